/* khet check: reads a whole data folder, the schemes it names and its
 * sign-off file, and reports every problem, grouped by file with counts.
 * `khet check --scheme DIR` checks one scheme, its wording against its
 * region (issue 28: a scheme copied from another region keeps that region's
 * number and province count in its text). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "datafolder.h"
#include "inspection.h"
#include "model.h"
#include "region.h"
#include "signoff.h"
#include "util.h"

static void check_usage(FILE *out)
{
    fputs("usage: khet check [--data DIR] [--scheme DIR] [--encoding auto|utf-8|windows-874]\n"
          "Reads and validates every file of a data folder (default: data), the schemes\n"
          "its dataset.ini names and its signoff.csv, and reports every problem as\n"
          "file:line:column, grouped by file with counts. --scheme DIR checks that\n"
          "scheme (alone, unless --data is given too), its wording against its region.\n"
          "Exit 0 if clean (warnings allowed), 2 if not.\n",
          out);
}

/* A region of one province cannot be banded with the sample SD (issue 28):
 * say so here, before a score or a render meets it. */
static void note_small_regions(const dataset *ds, const char *dir, diag_ctx *d)
{
    int n[14] = {0};
    for (size_t i = 0; i < ds->nprovinces; i++)
        if (ds->provinces[i].region >= 1 && ds->provinces[i].region <= 13)
            n[ds->provinces[i].region]++;
    for (int r = 1; r <= 13; r++)
        if (n[r] == 1)
            diag_add(d, DIAG_NOTE, dir, 0, 0,
                     "region %d has one province: a Mean ± k·SD criterion with the sample SD cannot band it "
                     "(no grade and no amount) unless the scheme sets too_few_provinces",
                     r);
}

/* Prints the messages grouped by file, in the order files first appear,
 * then a count per file. */
static void print_grouped(const diag_ctx *d)
{
    size_t n = diag_count(d);
    char *done = calloc(n ? n : 1, 1);
    if (!done) {
        diag_print(d, stderr);
        return;
    }
    strbuf summary = {0};
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        const char *file = diag_get(d, i)->file;
        int counts[4] = {0};
        diag_ctx *one = diag_new();
        for (size_t j = i; j < n; j++) {
            const diag_msg *m = diag_get(d, j);
            if (done[j] || (file ? !m->file || strcmp(file, m->file) : m->file != NULL))
                continue;
            done[j] = 1;
            counts[m->level]++;
            if (one)
                diag_add(one, m->level, m->file, m->line, m->col, "%s", m->message);
        }
        if (one)
            diag_print(one, stderr);
        diag_free(one);
        if (counts[DIAG_ERROR] + counts[DIAG_SYSTEM] + counts[DIAG_WARNING])
            sb_printf(&summary, "  %s: %d error%s, %d warning%s\n", file ? file : "(the run)",
                      counts[DIAG_ERROR] + counts[DIAG_SYSTEM], counts[DIAG_ERROR] + counts[DIAG_SYSTEM] == 1 ? "" : "s",
                      counts[DIAG_WARNING], counts[DIAG_WARNING] == 1 ? "" : "s");
    }
    if (summary.len)
        fprintf(stderr, "by file:\n%s", summary.data);
    sb_free(&summary);
    free(done);
}

/* Province count of a region from the national list, for a scheme checked
 * without data. -1 when the list cannot be read. */
static int national_count(int region, diag_ctx *d)
{
    char tbuf[CLI_PATH_MAX];
    size_t n = 0;
    diag_ctx *quiet = diag_new();
    region_province *p = quiet ? region_provinces_load(cli_templates_dir(tbuf, sizeof tbuf), &n, quiet) : NULL;
    int count = p ? 0 : -1;
    for (size_t i = 0; p && i < n; i++)
        count += p[i].region == region;
    region_provinces_free(p, n);
    diag_free(quiet);
    (void)d;
    return count;
}

/* One scheme: loaded (checked like data) and its wording held against the
 * region's number and province count. *name and *sregion (when given):
 * its name (a copy, NULL when it did not load) and its region. */
static void check_scheme(const char *dir, const dataset *ds, int region, char **name, int *sregion, diag_ctx *d)
{
    scheme *s = scheme_load(dir, d);
    if (!s)
        return;
    if (name && s->name && !(*name = util_strdup(s->name)))
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    if (sregion)
        *sregion = s->region;
    if (ds) {
        scheme_check_year(s, ds, 0, d);
        scheme_check_wording(s, ds, region, d);
        /* a region with too few provinces for the SD: say which criteria cannot be banded */
        score_result *r = strcmp(s->kind, "kpi") && !diag_errors(d) ? score_run(s, ds, region, -1, d) : NULL;
        if (r) {
            score_report_too_few(r, 0, d);
            score_report_not_counted(r, NULL, d);
        }
        score_result_free(r);
    } else {
        /* no data: the Ministry's list says how many provinces the region has */
        int n = national_count(s->region, d);
        dataset none = {0};
        province *pv = n > 0 ? calloc((size_t)n, sizeof *pv) : NULL;
        for (int i = 0; pv && i < n; i++)
            pv[i].region = s->region;
        none.provinces = pv;
        none.nprovinces = pv ? (size_t)n : 0;
        if (n >= 0)
            scheme_check_wording(s, &none, 0, d);
        free(pv);
    }
    printf("%s: %s scheme '%s', region %d, fiscal year %d, %zu criteria, %zu grades\n", dir, s->kind, s->name,
           s->region, s->fiscal_year, s->ncriteria, s->ngrades);
    scheme_free(s);
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, 0, 'd'},
                                         {"scheme", required_argument, 0, 's'},
                                         {"encoding", required_argument, 0, 'e'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    const char *dir = "data", *enc = NULL, *scheme_dir = NULL;
    int c, data_given = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:s:e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; data_given = 1; break;
        case 's': scheme_dir = optarg; break;
        case 'e': enc = optarg; break;
        case 'h': check_usage(stdout); return EXIT_OK;
        default: check_usage(stderr); return EXIT_INPUT;
        }
    }
    if (optind < argc) {
        check_usage(stderr);
        return EXIT_INPUT;
    }
    /* data in a workbook: khet (lite.c) hands the check to khet-full; in khet-full this is 0 */
    int full = !scheme_dir || data_given ? cli_data_needs_full(dir, 0, argc, argv) : 0;
    if (full != 0)
        return full;
    diag_ctx *d = diag_new();
    if (!d)
        return EXIT_RUNTIME;
    dataset *ds = NULL;
    char *names[2] = {NULL, NULL};
    int regions[2] = {0, 0};
    if (scheme_dir && !data_given) {
        check_scheme(scheme_dir, NULL, 0, NULL, NULL, d);
    } else {
        ds = datafolder_load(dir, enc, d);
        if (ds) {
            printf("%s: fiscal year %d, %zu provinces, %zu hospitals, %zu KPI rows", dir, ds->fiscal_year,
                   ds->nprovinces, ds->nhospitals, ds->nkpi);
            if (ds->last_month >= 0) {
                reader_date m = model_calendar_month(ds->fiscal_year, ds->last_month);
                printf(", monthly data up to %04d-%02d (fiscal month %d)", m.year + 543, m.month, ds->last_month + 1);
            }
            putchar('\n');
            char tbuf[CLI_PATH_MAX];
            const char *tdir = cli_templates_dir(tbuf, sizeof tbuf);
            for (int k = 0; k < 2; k++) { /* the schemes dataset.ini names, or --scheme */
                int none = 0;
                char *sd = region_scheme_dir(ds, dir, tdir, k ? REGION_KPI : REGION_FINANCE,
                                             k ? NULL : scheme_dir, &none, d);
                if (sd)
                    check_scheme(sd, ds, ds->region, &names[k], &regions[k], d);
                free(sd);
            }
            note_small_regions(ds, dir, d);
            /* who prepares the KPI report and (with a finance scheme too) the monthly handout: without a row in
             * contacts.csv they print no ผู้รายงาน / ผู้จัดทำ line; init's example name is still to be replaced */
            int kr = ds->region ? ds->region : regions[1];
            if (names[1] && names[0] && ds->insp)
                inspection_check_contact(ds->insp, kr, "monthly", 1, d);
            if (names[1] && ds->insp)
                inspection_check_contact(ds->insp, kr, "kpi", 1, d);
        }
        /* the sign-off of the round, when the folder holds one */
        char *so = util_path_join(dir, "signoff.csv");
        if (so && access(so, F_OK) == 0) {
            signoff *s = signoff_load(so, d);
            if (s)
                printf("%s: sign-off read\n", so);
            /* its signers hold offices of the region of the scheme it signs off */
            for (int k = 0; s && k < 2; k++)
                if (names[k] && !strcmp(names[k], s->scheme))
                    signoff_check_region(s, regions[k], so, d);
            signoff_free(s);
        }
        free(so);
    }
    free(names[0]);
    free(names[1]);
    print_grouped(d);
    int status = diag_system_errors(d) ? EXIT_RUNTIME : diag_errors(d) ? EXIT_INPUT : EXIT_OK;
    diag_free(d);
    datafolder_free(ds);
    return status;
}
