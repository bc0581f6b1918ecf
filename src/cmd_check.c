/* khet check: reads a whole data folder and reports every problem. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "datafolder.h"
#include "model.h"

static void check_usage(FILE *out)
{
    fputs("usage: khet check [--data DIR] [--encoding auto|utf-8|windows-874]\n"
          "Reads and validates every file of a data folder (default: data) and\n"
          "reports every problem as file:line:column. Exit 0 if clean, 2 if not.\n",
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

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"encoding", required_argument, 0, 'e'}, {"help", no_argument, 0, 'h'}, {0}};
    const char *dir = "data", *enc = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'e': enc = optarg; break;
        case 'h': check_usage(stdout); return EXIT_OK;
        default: check_usage(stderr); return EXIT_INPUT;
        }
    }
    if (optind < argc) {
        check_usage(stderr);
        return EXIT_INPUT;
    }
    diag_ctx *d = diag_new();
    if (!d)
        return EXIT_RUNTIME;
    dataset *ds = datafolder_load(dir, enc, d);
    if (ds) {
        printf("%s: fiscal year %d, %zu provinces, %zu hospitals, %zu KPI rows", dir, ds->fiscal_year, ds->nprovinces,
               ds->nhospitals, ds->nkpi);
        if (ds->last_month >= 0) {
            reader_date m = model_calendar_month(ds->fiscal_year, ds->last_month);
            printf(", monthly data up to %04d-%02d (fiscal month %d)", m.year + 543, m.month, ds->last_month + 1);
        }
        putchar('\n');
        note_small_regions(ds, dir, d);
        datafolder_free(ds);
    }
    return cli_finish(d, 0);
}
