/* khet score: scores a region's provinces against a scheme and prints the
 * results as a text table, CSV, JSON (jansson) or an Excel workbook. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "datafolder.h"
#include "export.h"
#include "model.h"
#include "region.h"
#include "scoring.h"
#include "util.h"

static void score_usage(FILE *out)
{
    fputs("usage: khet score [--data DIR] [--scheme DIR] [--region N] [--month YYYY-MM]\n"
          "                  [--format table|csv|json|xlsx] [--hospitals] [--out FILE] [--headers th|en]\n"
          "                  [--encoding auto|utf-8|windows-874]\n"
          "                  [--allow-year-mismatch] [--allow-incomplete]\n"
          "Scores every province of the region (default: the scheme's) and prints\n"
          "measured values, region mean and SD, z-scores, bands, points, totals,\n"
          "grades and claw-back amounts. --hospitals adds the per-hospital\n"
          "indicators. --month cuts the data at that month. xlsx needs --out.\n"
          "Without --scheme: the finance scheme dataset.ini names, else its KPI scheme.\n"
          "CSV has the workbook's Thai headers after a UTF-8 BOM (Excel opens it right);\n"
          "--headers en gives the English column names without a BOM, for programs.\n"
          "A scheme of another fiscal year than the data's, or data with gaps (a\n"
          "province without hospitals, months missing), is refused unless allowed.\n",
          out);
}

typedef struct {
    const char *data, *scheme, *format, *out, *encoding;
    int region, hospitals, month;
    int allow_year_mismatch, allow_incomplete;
    int headers_en;
} score_opts;

static int parse_opts(int argc, char **argv, score_opts *o)
{
    static const struct option opts[] = {{"data", required_argument, 0, 'd'},   {"scheme", required_argument, 0, 's'},
                                         {"region", required_argument, 0, 'r'}, {"format", required_argument, 0, 'f'},
                                         {"hospitals", no_argument, 0, 'H'},    {"month", required_argument, 0, 'm'},
                                         {"out", required_argument, 0, 'o'},    {"encoding", required_argument, 0, 'e'},
                                         {"allow-year-mismatch", no_argument, 0, 'Y'},
                                         {"allow-incomplete", no_argument, 0, 'I'},
                                         {"headers", required_argument, 0, 'E'},
                                         {"help", no_argument, 0, 'h'},         {0}};
    *o = (score_opts){"data", NULL, "table", NULL, NULL, 0, 0, -1, 0, 0, 0};
    const char *month = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:s:r:f:Hm:o:e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 's': o->scheme = optarg; break;
        case 'r': {
            int64_t n;
            if (reader_parse_int(optarg, &n) || n < 1 || n > 13) {
                fprintf(stderr, "khet: --region: a health region number 1-13, not '%s'\n", optarg);
                return 2;
            }
            o->region = (int)n;
            break;
        }
        case 'f': o->format = optarg; break;
        case 'H': o->hospitals = 1; break;
        case 'm': month = optarg; break;
        case 'o': o->out = optarg; break;
        case 'e': o->encoding = optarg; break;
        case 'Y': o->allow_year_mismatch = 1; break;
        case 'I': o->allow_incomplete = 1; break;
        case 'E':
            if (strcmp(optarg, "th") && strcmp(optarg, "en")) {
                fprintf(stderr, "khet: --headers: th (Thai, for Excel) or en (for programs), not '%s'\n", optarg);
                return 2;
            }
            o->headers_en = !strcmp(optarg, "en");
            break;
        case 'h': score_usage(stdout); return 1;
        default: score_usage(stderr); return 2;
        }
    }
    if (o->out && !o->out[0]) {
        fputs("khet: --out: a file name is needed, not an empty name\n", stderr);
        return 2;
    }
    if (!strcmp(o->format, "xlsx") && !o->out) {
        fputs("khet: --format xlsx writes a workbook: name it with --out FILE.xlsx\n", stderr);
        return 2;
    }
    if (optind < argc || (o->region && (o->region < 1 || o->region > 13)) ||
        (strcmp(o->format, "table") && strcmp(o->format, "csv") && strcmp(o->format, "json") &&
         strcmp(o->format, "xlsx")) ||
        (!strcmp(o->format, "xlsx") && !o->out)) {
        score_usage(stderr);
        return 2;
    }
    if (month) {
        reader_date m;
        if (reader_parse_month(month, &m)) {
            fprintf(stderr, "khet: --month: not a month: '%s'\n", month);
            return 2;
        }
        o->month = m.year * 100 + m.month; /* resolved against the fiscal year later */
    }
    return 0;
}

/* A text format to stdout, or with --out into that file: built in memory and
 * written under a temporary name, so a failure never leaves half a file. */
static int write_text(const score_result *res, const export_opts *eo, const char *format, const char *out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = out ? open_memstream(&buf, &len) : stdout;
    if (!f)
        return -1;
    int rc = !strcmp(format, "table") ? export_table(res, eo, f)
             : !strcmp(format, "csv") ? export_csv(res, eo, f)
                                      : export_json(res, eo, f);
    if (out) {
        if (fclose(f) != 0)
            rc = -1;
        if (!rc && util_write_file_atomic(out, buf, len) != 0)
            rc = -1;
        free(buf);
    }
    return rc;
}

/* --scheme, else the finance scheme dataset.ini names, else its KPI scheme. */
static char *pick_scheme(const score_opts *o, const dataset *ds, diag_ctx *d)
{
    char tbuf[CLI_PATH_MAX];
    const char *tdir = cli_templates_dir(tbuf, sizeof tbuf);
    int none = 0;
    if (o->scheme)
        return region_scheme_dir(ds, o->data, tdir, REGION_FINANCE, o->scheme, &none, d);
    char *dir = region_scheme_dir(ds, o->data, tdir, REGION_FINANCE, NULL, &none, d);
    if (!dir && none)
        dir = region_scheme_dir(ds, o->data, tdir, REGION_KPI, NULL, &none, d);
    if (!dir && none) { /* at the line that says none, else the first setting: where the names go */
        int line = ds->finance_scheme_line ? ds->finance_scheme_line
                   : ds->kpi_scheme_line   ? ds->kpi_scheme_line
                                           : ds->settings_line;
        diag_add(d, DIAG_ERROR, ds->settings_path, line, line ? 1 : 0,
                 "no scheme: name one with --scheme DIR, or the region's schemes here (%s; khet init makes the "
                 "folders finance-rN-YYYY and kpi66-rN-YYYY)",
                 ds->finance_scheme_line || ds->kpi_scheme_line
                     ? "this line says 'none': write a scheme folder's name"
                     : "add 'finance_scheme = FOLDER' and 'kpi_scheme = FOLDER' under [dataset]");
    }
    return dir;
}

int cmd_score(int argc, char **argv)
{
    score_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc == 1 ? EXIT_OK : EXIT_INPUT;
    /* data in a workbook, or one to write: khet (lite.c) hands the score to khet-full */
    int full = cli_data_needs_full(o.data, !strcmp(o.format, "xlsx"), argc, argv);
    if (full != 0)
        return full;
    diag_ctx *d = diag_new();
    if (!d)
        return EXIT_RUNTIME;
    dataset *ds = datafolder_load(o.data, o.encoding, d);
    char *dir = ds ? pick_scheme(&o, ds, d) : NULL;
    scheme *s = dir ? scheme_load(dir, d) : NULL;
    if (s && !o.scheme && region_check_scheme(s, ds, o.data, strcmp(s->kind, "kpi") ? REGION_FINANCE : REGION_KPI, 0, d)) {
        scheme_free(s);
        s = NULL;
    }
    free(dir);
    score_result *res = NULL;
    int runtime = 0;
    if (s) {
        int upto = -1;
        if (o.month >= 0) {
            upto = model_fiscal_month(ds->fiscal_year, (reader_date){o.month / 100, o.month % 100, 0});
            if (upto < 0)
                diag_add(d, DIAG_ERROR, NULL, 0, 0, "--month is outside the data's fiscal year %d", ds->fiscal_year);
        }
        scheme_check_year(s, ds, o.allow_year_mismatch, d);
        if (scheme_fill_provinces(s, ds, 0) != 0)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        if (!diag_errors(d))
            res = score_run(s, ds, o.region, upto, d);
    }
    if (res && score_report_gaps((const score_result *const[]){res}, 1, o.data, o.allow_incomplete, d) != 0) {
        score_result_free(res);
        res = NULL;
    }
    if (res) {
        score_report_too_few(res, 0, d); /* warnings: the output says null where it cannot grade */
        score_report_not_counted(res, o.data, d);
        export_opts eo = {o.hospitals, o.headers_en};
        if (!strcmp(o.format, "xlsx"))
            runtime = export_xlsx(res, &eo, o.out, d);
        else
            runtime = write_text(res, &eo, o.format, o.out);
        if (runtime && !diag_errors(d))
            diag_add(d, DIAG_SYSTEM, o.out, 0, 0, "could not write the results");
    }
    score_result_free(res);
    scheme_free(s);
    datafolder_free(ds);
    return cli_finish(d, runtime);
}
