/* khet history: the signed-off rounds of an archive and each province's
 * results across them, read from the ledger (table, CSV or JSON). */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "export.h"
#include "ledger.h"

static void history_usage(FILE *out)
{
    fputs("usage: khet history [--archive DIR] [--province CODE] [--format table|csv|json] [--headers th|en]\n"
          "Lists the signed-off rounds of the archive (default ./archive) and every province's\n"
          "signed-off result in each, oldest first; --province keeps one province.\n"
          "CSV: points, percent and baht; Thai headers after a UTF-8 BOM for Excel, or\n"
          "--headers en for programs. JSON keeps the ledger's integers (satang, x100).\n"
          "Prints nothing (status 2) when the ledger's hash chain, append-only triggers or\n"
          "signed head do not hold: its figures may be forged (run khet verify).\n",
          out);
}

static const char *approver(const ledger_round *r)
{
    return r->nsigners ? r->signers[r->nsigners - 1].name : "";
}

/* A CSV cell as `khet score --format csv` writes one: quoted when it must
 * be, and a text cell a spreadsheet could run as a formula neutralised
 * (export_csv_safe); numbers are written as they are. 0, or -1 (memory). */
static int csv_cell(const char *s, int text, int last)
{
    char *safe = text ? export_csv_safe(s) : NULL;
    if (text && !safe)
        return -1;
    export_csv_field(text ? safe : s, stdout);
    free(safe);
    putchar(last ? '\n' : ',');
    return 0;
}

/* A province filed without a grade (too few provinces for the SD): the
 * ledger has grade "-" and rank 0; its total and claw-back mean nothing. */
static int ungraded(const ledger_result *p) { return !strcmp(p->grade, "-") && p->rank == 0; }

static void print_table(const ledger_round *r, int n, const char *province)
{
    printf("%-30s %-10s %-9s %8s %8s %-5s %4s %16s  %s\n", "round", "signed off", "seal", "total", "percent", "grade",
           "rank", "claw-back (baht)", "province");
    for (int i = 0; i < n; i++) {
        if (!r[i].nresults && !province)
            printf("%-30s %-10s %-9s (a %s round: documents only, no scored results)\n", r[i].round, r[i].signed_off,
                   r[i].seal, r[i].kind);
        for (int k = 0; k < r[i].nresults; k++) {
            const ledger_result *p = &r[i].results[k];
            if (province && strcmp(province, p->code))
                continue;
            if (ungraded(p)) { /* no total, rank or amount: never a claw-back of 0.00 */
                printf("%-30s %-10s %-9s %8s %8s %-5s %4s %16s  %s %s\n", r[i].round, r[i].signed_off, r[i].seal, "-",
                       "-", "-", "-", "-", p->code, p->name);
                continue;
            }
            printf("%-30s %-10s %-9s %5" PRId64 ".%02" PRId64 " %5" PRId64 ".%02" PRId64 " %-5s %4d %13" PRId64
                   ".%02" PRId64 "  %s %s\n",
                   r[i].round, r[i].signed_off, r[i].seal, p->total_cp / 100, p->total_cp % 100, p->percent_x100 / 100,
                   p->percent_x100 % 100, p->grade, p->rank, p->clawback_satang / 100, p->clawback_satang % 100,
                   p->code, p->name);
        }
    }
}

/* Points, percent and baht as a person reads them ("812.50", "90.28",
 * "0.00"), exact from the ledger's integers (a negative never occurs). */
static void hundredths(char *buf, int64_t v) { snprintf(buf, 32, "%" PRId64 ".%02" PRId64, v / 100, v % 100); }

static int print_csv(const ledger_round *r, int n, const char *province, int headers_en)
{
    static const char numeric[15] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1};
    if (headers_en)
        puts("round,scheme,period,round_no,signed_off,seal,approved_by,code,province,total,max,percent,grade,"
             "rank,clawback_baht");
    else /* for Excel: a UTF-8 BOM and the Thai headers of the score workbook */
        puts("\xEF\xBB\xBFรอบ,เกณฑ์,งวด,รอบที่,วันที่ลงนามรับรอง,การรับรอง,ผู้อนุมัติ,รหัสจังหวัด,จังหวัด,คะแนนรวม,"
             "คะแนนเต็ม,ร้อยละ,ระดับ,ลำดับ,ดึงเงินกลับ (บาท)");
    for (int i = 0; i < n; i++)
        for (int k = 0; k < r[i].nresults; k++) {
            const ledger_result *p = &r[i].results[k];
            if (province && strcmp(province, p->code))
                continue;
            char num[8][32];
            snprintf(num[0], 32, "%d", r[i].round_no);
            hundredths(num[1], p->total_cp);
            hundredths(num[2], p->max_cp);
            hundredths(num[3], p->percent_x100);
            snprintf(num[4], 32, "%d", p->rank);
            hundredths(num[5], p->clawback_satang);
            if (ungraded(p)) /* empty cells, never 0 */
                num[1][0] = num[3][0] = num[4][0] = num[5][0] = '\0';
            const char *cells[] = {r[i].round, r[i].scheme, r[i].period, num[0], r[i].signed_off, r[i].seal,
                                   approver(&r[i]), p->code, p->name, num[1], num[2], num[3], p->grade, num[4],
                                   num[5]};
            for (int c = 0; c < 15; c++)
                if (csv_cell(cells[c], !numeric[c], c == 14) != 0)
                    return -1;
        }
    return 0;
}

/* The ledger's own canonical JSON of each round, results kept to the
 * province asked for. */
static int print_json(const ledger_round *r, int n, const char *province)
{
    json_t *all = json_array();
    for (int i = 0; all && i < n; i++) {
        char *s = ledger_round_json(&r[i], 1);
        json_t *o = s ? json_loads(s, 0, NULL) : NULL;
        free(s);
        if (!o) {
            json_decref(all);
            return -1;
        }
        json_t *res = json_object_get(o, "results");
        for (size_t k = json_array_size(res); province && k-- > 0;)
            if (strcmp(json_string_value(json_object_get(json_array_get(res, k), "code")), province))
                json_array_remove(res, k);
        json_array_append_new(all, o);
    }
    char *out = all ? json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(all);
    if (!out)
        return -1;
    puts(out);
    free(out);
    return 0;
}

int cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {{"archive", required_argument, 0, 'a'}, {"province", required_argument, 0, 'p'},
                                         {"format", required_argument, 0, 'F'},  {"help", no_argument, 0, 'h'},
                                         {"headers", required_argument, 0, 'H'},
                                         {0}};
    const char *archive = "archive", *province = NULL, *format = "table", *headers = "th";
    int c, bad = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:p:F:H:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': archive = optarg; break;
        case 'p': province = optarg; break;
        case 'F': format = optarg; break;
        case 'H': headers = optarg; break;
        case 'h': history_usage(stdout); return EXIT_OK;
        default: bad = 1;
        }
    }
    if (bad || optind < argc || (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) ||
        (strcmp(headers, "th") && strcmp(headers, "en"))) {
        history_usage(stderr);
        return EXIT_INPUT;
    }
    if (cli_empty("--archive", archive, "an archive folder"))
        return EXIT_INPUT;
    diag_ctx *d = diag_new();
    if (!d)
        return EXIT_RUNTIME;
    /* figures from a ledger that does not hold are not shown at all */
    int holds = archive_ledger_holds(archive, d);
    if (holds > 0)
        diag_add(d, DIAG_ERROR, archive, 0, 0,
                 "khet history refuses to print: the ledger does not verify (see above), so its figures may be "
                 "forged; run khet verify --archive %s",
                 archive);
    ledger *l = holds == 0 ? ledger_open(archive, 0, d) : NULL;
    ledger_round *r = NULL;
    int n = 0, runtime = 0;
    if (l && ledger_load(l, &r, &n, d) == 0) {
        int found = !province;
        for (int i = 0; i < n && !found; i++)
            for (int k = 0; k < r[i].nresults; k++)
                found |= !strcmp(r[i].results[k].code, province);
        if (!found)
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "no signed-off result for province %s in %s", province, archive);
        else if (!strcmp(format, "csv"))
            runtime = print_csv(r, n, province, !strcmp(headers, "en")) != 0;
        else if (!strcmp(format, "json"))
            runtime = print_json(r, n, province) != 0;
        else
            print_table(r, n, province);
    }
    if (runtime)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    ledger_rounds_free(r, n);
    ledger_close(l);
    return cli_finish(d, runtime);
}
