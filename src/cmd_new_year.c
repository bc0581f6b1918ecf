/* khet new-year: a data folder carried into the next fiscal year. The
 * provinces, hospitals, accreditation and contacts go over as they are;
 * last year's cmi.csv becomes cmi_prev.csv; rows of the new year's months
 * already in the old folder's monthly files go over too; the files each
 * year fills anew start with their header alone; the schemes are copied to
 * the new year (region_copy_scheme, region_folder.c); and the office is
 * told what to review. The old folder is not changed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "region.h"
#include "settings.h"
#include "util.h"

typedef struct {
    int fiscal_year, region;
    char *finance_scheme, *kpi_scheme;
    const char *path;
    diag_ctx *d;
} old_settings;

static int on_old_setting(void *user, const char *name, const char *value, int line)
{
    old_settings *o = user;
    int64_t n;
    (void)line;
    if (!strcmp(name, "fiscal_year") && !reader_parse_int(value, &n) && n >= 2500 && n <= 2700)
        o->fiscal_year = (int)n;
    else if (!strcmp(name, "region") && !reader_parse_int(value, &n) && n >= 1 && n <= 13)
        o->region = (int)n;
    else if (!strcmp(name, "finance_scheme") || !strcmp(name, "kpi_scheme")) {
        char **dst = name[0] == 'f' ? &o->finance_scheme : &o->kpi_scheme;
        free(*dst);
        *dst = util_strdup(value);
    }
    return SETTING_OK; /* data_date and the rest are the new year's own */
}

static void csv_cell(strbuf *b, const char *t)
{
    if (!t[strcspn(t, ",\"\r\n")]) {
        sb_puts(b, t);
        return;
    }
    sb_puts(b, "\"");
    for (; *t; t++)
        sb_puts(b, *t == '"' ? "\"\"" : (char[2]){*t, 0});
    sb_puts(b, "\"");
}

/* The column names of one of init's headers ("ไทย (name),..."), in order:
 * the last "(name)" of each comma-separated label. Returns the count. */
static int header_names(const char *h, char names[][32], int max)
{
    int n = 0;
    while (h && *h && n < max) {
        const char *end = strchr(h, ',');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        const char *open = NULL;
        for (size_t i = 0; i < len; i++)
            if (h[i] == '(')
                open = h + i;
        size_t k = open ? (size_t)(h + len - open) : 0; /* "(name)" */
        snprintf(names[n++], 32, "%.*s", k > 2 && k < 33 ? (int)(k - 2) : 0, open ? open + 1 : "");
        h = end ? end + 1 : NULL;
    }
    return n;
}

/* Copies a data file into the new folder: all its rows (`rows` = -1), or only
 * the rows whose month falls in fiscal year `fy` (monthly files: rows added
 * early to last year's folder), or none (`rows` = 0: the header alone, a
 * file each year fills anew). Returns the rows carried, or -1. */
static long carry_file(const char *from, const char *to, const char *file, const char *to_file, int rows, int fy,
                       diag_ctx *d)
{
    char *src = util_path_join(from, file);
    strbuf b = {0};
    long kept = 0;
    sb_printf(&b, "%s\n", region_file_header(to_file));
    if (src && access(src, F_OK) == 0 && rows != 0) {
        diag_ctx *quiet = diag_new(); /* last year's problems are last year's: check reports them */
        reader_table *t = quiet ? reader_read_csv(src, NULL, quiet) : NULL;
        if (t) {
            /* the new header is init's: the old file's columns in that order */
            char names[24][32];
            int cols[24], nc = header_names(region_file_header(to_file), names, 24);
            for (int i = 0; i < nc; i++)
                cols[i] = reader_table_column(t, names[i]);
            int mc = reader_table_column(t, "month");
            for (size_t r = 0; r < reader_table_rows(t); r++) {
                if (rows > 0) {
                    const reader_cell *m = mc >= 0 ? reader_table_cell(t, r, mc) : NULL;
                    reader_date md;
                    if (!m || reader_parse_month(m->text, &md) || model_fiscal_month(fy, md) < 0)
                        continue;
                }
                for (int c = 0; c < nc; c++) {
                    const reader_cell *cell = cols[c] >= 0 ? reader_table_cell(t, r, cols[c]) : NULL;
                    if (c)
                        sb_puts(&b, ",");
                    csv_cell(&b, cell ? cell->text : "");
                }
                sb_puts(&b, "\n");
                kept++;
            }
        }
        reader_table_free(t);
        diag_free(quiet);
    }
    free(src);
    return region_put_file(to, to_file, &b, d) == 0 ? kept : -1;
}

/* "finance-r8-2563" for fiscal year 2564: "finance-r8-2564"; a name without
 * the old year gets the new one appended. */
static char *next_name(const char *name, int old_fy, int fy)
{
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    char y[8];
    snprintf(y, sizeof y, "%d", old_fy);
    const char *at = strstr(base, y);
    return at ? util_format("%.*s%d%s", (int)(at - base), base, fy, at + 4) : util_format("%s-%d", base, fy);
}

/* Copies the scheme of one kind to the new year; its new folder name in *out. */
static int carry_scheme(const old_settings *o, const char *from, const char *to, const char *tdir, const char *name,
                        int fy, char **out, strbuf *review, diag_ctx *d)
{
    *out = NULL;
    if (!name || !name[0] || !strcmp(name, "none")) {
        if ((*out = util_strdup("none")))
            return 0;
        diag_add(d, DIAG_SYSTEM, to, 0, 0, "out of memory");
        return -1;
    }
    char *beside = name[0] == '/' ? util_strdup(name) : util_path_join(from, name);
    char *shipped = util_path_join(tdir, name), *ini = beside ? util_path_join(beside, "scheme.ini") : NULL;
    const char *src = ini && access(ini, F_OK) == 0 ? beside : shipped;
    char *nn = next_name(name, o->fiscal_year, fy), *dst = nn ? util_path_join(to, nn) : NULL;
    int rc = -1;
    if (src && dst) {
        /* the scheme's region: read back from its own scheme.ini by the copy */
        rc = region_copy_scheme(src, dst, nn, 0, fy, review, d);
        if (!rc)
            sb_printf(review, "  %s/: the criteria, grades and wording of fiscal year %d's announcement "
                              "(copied from %s)\n", dst, fy, src);
    }
    if (!rc)
        *out = nn, nn = NULL;
    free(beside);
    free(shipped);
    free(ini);
    free(nn);
    free(dst);
    return rc;
}

static void new_year_usage(FILE *out)
{
    fputs("usage: khet new-year --from DIR --to NEWDIR [--templates DIR]\n"
          "Starts the next fiscal year's data folder: carries provinces, hospitals and\n"
          "settings over, turns last year's cmi.csv into cmi_prev.csv, copies the\n"
          "schemes to the new year (fiscal year, periods moved on a year) and lists\n"
          "what the office must review. Rows of the new year's months already in the\n"
          "old folder's monthly files are carried too. The old folder is not changed.\n",
          out);
}

int cmd_new_year(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, 0, 'f'}, {"to", required_argument, 0, 'o'},
                                         {"templates", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'},
                                         {0}};
    const char *from = NULL, *to = NULL;
    char tbuf[CLI_PATH_MAX];
    const char *tdir = cli_templates_dir(tbuf, sizeof tbuf);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 'o': to = optarg; break;
        case 't': tdir = optarg; break;
        case 'h': new_year_usage(stdout); return EXIT_OK;
        default: new_year_usage(stderr); return EXIT_INPUT;
        }
    }
    if (!from || !to || optind < argc) {
        new_year_usage(stderr);
        return EXIT_INPUT;
    }
    diag_ctx *d = diag_new();
    if (!d)
        return EXIT_RUNTIME;
    char *ini = util_path_join(from, "dataset.ini");
    old_settings o = {.path = ini, .d = d};
    if (ini && settings_parse(ini, "dataset", on_old_setting, &o, d) == 0 && !o.fiscal_year)
        diag_add(d, DIAG_ERROR, ini, 0, 0, "fiscal_year is not set: khet cannot tell which year follows; add the line "
                 "'fiscal_year = YYYY' (Buddhist Era) under [dataset]");
    int fy = o.fiscal_year + 1;
    strbuf review = {0};
    char *fin = NULL, *kpi = NULL;
    long carried[4] = {0}, cmi_prev = -1;
    static const char *const monthly[4] = {"finance.csv", "trial_balance.csv", "eclaim.csv", "cmi.csv"};
    static const char *const fresh[7] = {"efficiency7.csv", "kpi.csv", "kpi_stages.csv", "kpi_notes.csv",
                                         "signoff.csv", "meeting.csv", NULL};
    int rc = !ini || diag_errors(d) || region_fresh_folder(to, d) != 0 ? -1 : 0;
    /* the schemes a pre-init folder used implicitly are named from now on */
    const char *fname = o.finance_scheme ? o.finance_scheme : (o.region || o.kpi_scheme) ? NULL : "finance-r8-2563";
    const char *kname = o.kpi_scheme ? o.kpi_scheme : (o.region || o.finance_scheme) ? NULL : "kpi66-r12-2563";
    if (!rc && (carry_scheme(&o, from, to, tdir, fname, fy, &fin, &review, d) != 0 ||
                carry_scheme(&o, from, to, tdir, kname, fy, &kpi, &review, d) != 0))
        rc = -1;
    if (!rc && (carry_file(from, to, "provinces.csv", "provinces.csv", -1, fy, d) < 0 ||
                carry_file(from, to, "hospitals.csv", "hospitals.csv", -1, fy, d) < 0 ||
                carry_file(from, to, "ha.csv", "ha.csv", -1, fy, d) < 0 ||
                carry_file(from, to, "contacts.csv", "contacts.csv", -1, fy, d) < 0 ||
                (cmi_prev = carry_file(from, to, "cmi.csv", "cmi_prev.csv", 1, o.fiscal_year, d)) < 0))
        rc = -1;
    for (int i = 0; !rc && i < 4; i++)
        if ((carried[i] = carry_file(from, to, monthly[i], monthly[i], 1, fy, d)) < 0)
            rc = -1;
    for (int i = 0; !rc && fresh[i]; i++)
        if (carry_file(from, to, fresh[i], fresh[i], 0, fy, d) < 0)
            rc = -1;
    if (!rc) {
        strbuf b = {0};
        sb_printf(&b, "; khet data folder, fiscal year %d (carried from %s by khet new-year)\n[dataset]\n", fy, from);
        if (o.region)
            sb_printf(&b, "region = %d\n", o.region);
        sb_printf(&b, "; FY%d runs 1 Oct %d - 30 Sep %d\nfiscal_year = %d\n"
                      "; the day the figures were processed (printed as the data date)\ndata_date = %d-11-10\n"
                      "finance_scheme = %s\nkpi_scheme = %s\n",
                  fy, fy - 1, fy, fy, fy - 1, fin ? fin : "none", kpi ? kpi : "none");
        rc = region_put_file(to, "dataset.ini", &b, d);
    }
    if (!rc) {
        printf("%s: fiscal year %d (1 Oct %d - 30 Sep %d), from %s\n", to, fy, fy - 1, fy, from);
        printf("carried: provinces.csv, hospitals.csv, ha.csv, contacts.csv, dataset.ini; cmi.csv -> cmi_prev.csv "
               "(%ld rows)\n",
               cmi_prev);
        for (int i = 0; i < 4; i++)
            if (carried[i])
                printf("carried: %ld rows of %s already in fiscal year %d (delete them from %s/%s)\n", carried[i],
                       monthly[i], fy, from, monthly[i]);
        printf("\nReview before the first render of %d:\n"
               "  %s/provinces.csv: each province's reserve (reserved_baht) for %d\n"
               "  %s/hospitals.csv: hospitals opened, closed or moved level; %s/ha.csv: accreditation\n"
               "  %s/contacts.csv: who prepares the monthly handout and the KPI report\n"
               "  efficiency7.csv, kpi.csv, kpi_stages.csv, kpi_notes.csv, signoff.csv, meeting.csv start empty: fill them in %d\n"
               "%s",
               fy, to, fy, to, to, to, fy, review.data ? review.data : "");
    }
    sb_free(&review);
    free(fin);
    free(kpi);
    free(o.finance_scheme);
    free(o.kpi_scheme);
    free(ini);
    return cli_finish(d, 0);
}
