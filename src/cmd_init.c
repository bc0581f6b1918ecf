/* khet init: a working data folder for one of the 13 health regions
 * from the Ministry's province list (templates/moph-provinces.csv):
 * dataset.ini naming the region, year and schemes; every data file with
 * its Thai and English header and example rows (three hospitals a
 * province, from templates/moph-hospitals.csv, one month of made-up
 * figures that differ from hospital to hospital, see example_figures); and
 * the region's own finance and KPI schemes, copied from the shipped ones
 * with region and year set (their wording names region, year and province
 * count by placeholder). The data files' headers, the writing of a file
 * and the copying of a scheme are region_folder.c's; khet new-year, which
 * carries a folder into the next fiscal year, is cmd_new_year.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inspection.h"
#include "region.h"
#include "util.h"

/* An example hospital, from the Ministry's list, and its made-up figures. */
typedef struct {
    char hcode[6];
    char *name;
    const char *level;
    size_t province;     /* index into the region's provinces */
    int rank;            /* in level_order */
    /* October's figures, in satang (money), hundredths (scores) or
     * ten-thousandths (AdjRW): see example_figures */
    long long cash, receivables, inventory, other, liabilities, revenue, investment, expense, depreciation,
        opd_cost, ipd_cost, adjrw, adjrw_prev, electronic, mapping;
    long visits, discharges, discharges_prev, claims, claims_passed;
    int eff7;
    const char *ha;
} example_hospital;

static void init_usage(FILE *out)
{
    fputs("usage: khet init DIR --region N --fiscal-year YYYY [--templates DIR]\n"
          "Makes a working data folder for health region N (1-13) and fiscal year YYYY\n"
          "(Buddhist Era): dataset.ini, every data file with its Thai and English\n"
          "header and example rows, and the region's finance and KPI schemes.\n"
          "DIR must not exist yet, or be empty. Then it prints what to fill in.\n",
          out);
}

/* ---- the example rows ---- */

static const char *const level_order[] = {"A", "S", "M1", "M2", "F1", "F2", "F3", ""};

/* A level's rank in level_order (7: none of them). */
static int level_rank(const char *lv)
{
    int rank = 0;
    while (rank < 7 && strcmp(level_order[rank], lv))
        rank++;
    return rank;
}

/* A name as it should be typed: blanks at the ends dropped, runs of them
 * one (the Ministry's list has a double space or two: check would warn
 * about a folder init has just made). In place; returns s. */
static char *tidy_name(char *s)
{
    char *w = s;
    for (const char *r = s; s && *r; r++)
        if (*r != ' ' || (w > s && w[-1] != ' '))
            *w++ = *r;
    if (s) {
        while (w > s && w[-1] == ' ')
            w--;
        *w = 0;
    }
    return s;
}

/* The example hospitals of each province, from the Ministry's list: the
 * provincial hospital (its highest service level, first listed) and two
 * more with a level, community hospitals (M2-F3) first: the first and the
 * last of them by level and code, so that a province shows two levels.
 * Returns the array (*nex rows, province by province), or NULL. */
static example_hospital *pick_hospitals(const char *tdir, const region_province *p, size_t np, size_t *nex,
                                        diag_ctx *d)
{
    char *path = util_path_join(tdir, "moph-hospitals.csv");
    reader_table *t = path ? reader_read_csv(path, NULL, d) : NULL;
    static const char *const req[] = {"hcode", "name_th", "province", "level", NULL}, *const opt[] = {"beds", NULL};
    example_hospital *ex = calloc(np ? 3 * np : 1, sizeof *ex);
    size_t n = 0;
    *nex = 0;
    if (!path || !ex)
        diag_add(d, DIAG_SYSTEM, tdir, 0, 0, "out of memory");
    if (!t || !ex || reader_table_expect(t, req, opt, d) > 0) {
        free(ex);
        ex = NULL;
        goto done;
    }
    int ch = reader_table_column(t, "hcode"), cn = reader_table_column(t, "name_th"),
        cp = reader_table_column(t, "province"), cl = reader_table_column(t, "level");
    for (size_t i = 0; i < np; i++) {
        /* the province's rows with a 5-digit code: the best (lowest rank) first
         * listed, then the others in order of level and code */
        size_t main = (size_t)-1, others[3] = {0}, nothers = 0, first = (size_t)-1, last = (size_t)-1;
        int best = 99;
        for (size_t r = 0; r < reader_table_rows(t); r++)
            if (!strcmp(reader_table_cell(t, r, cp)->text, p[i].code) &&
                strlen(reader_table_cell(t, r, ch)->text) == 5 &&
                level_rank(reader_table_cell(t, r, cl)->text) < best) {
                best = level_rank(reader_table_cell(t, r, cl)->text);
                main = r;
            }
        /* order: (rank, hcode); community = rank 3..6 */
#define BEFORE(a, b)                                                                                                   \
    (level_rank(reader_table_cell(t, a, cl)->text) != level_rank(reader_table_cell(t, b, cl)->text)                   \
         ? level_rank(reader_table_cell(t, a, cl)->text) < level_rank(reader_table_cell(t, b, cl)->text)              \
         : strcmp(reader_table_cell(t, a, ch)->text, reader_table_cell(t, b, ch)->text) < 0)
        for (int community = 1; community >= 0 && nothers < 2; community--) {
            first = last = (size_t)-1;
            for (size_t r = 0; r < reader_table_rows(t); r++) {
                int rank = level_rank(reader_table_cell(t, r, cl)->text);
                if (r == main || rank == 7 || (rank >= 3) != community || strlen(reader_table_cell(t, r, ch)->text) != 5 ||
                    strcmp(reader_table_cell(t, r, cp)->text, p[i].code) ||
                    (nothers && (r == others[0])))
                    continue;
                if (first == (size_t)-1 || BEFORE(r, first))
                    first = r;
                if (last == (size_t)-1 || BEFORE(last, r))
                    last = r;
            }
            if (first != (size_t)-1)
                others[nothers++] = first;
            if (last != (size_t)-1 && last != first && nothers < 2)
                others[nothers++] = last;
        }
#undef BEFORE
        if (main == (size_t)-1) { /* no hospital listed: a made-up code the officer replaces */
            snprintf(ex[n].hcode, sizeof ex[n].hcode, "99%s0", p[i].code);
            ex[n].name = util_format("โรงพยาบาลตัวอย่าง จังหวัด%s", p[i].name_th);
            ex[n].level = "S";
            ex[n].rank = 1;
            ex[n++].province = i;
            if (!ex[n - 1].name)
                diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
            continue;
        }
        size_t rows[3] = {main, others[0], others[1]};
        for (size_t k = 0; k < 1 + nothers; k++) {
            example_hospital *e = &ex[n++];
            memcpy(e->hcode, reader_table_cell(t, rows[k], ch)->text, 6);
            e->name = tidy_name(util_strdup(reader_table_cell(t, rows[k], cn)->text));
            e->rank = level_rank(reader_table_cell(t, rows[k], cl)->text);
            e->level = e->rank < 7 ? level_order[e->rank] : "A"; /* outside the service plan: choose its level */
            if (e->rank == 7)
                e->rank = 0;
            e->province = i;
            if (!e->name)
                diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
        }
    }
    *nex = n;
done:
    reader_table_free(t);
    free(path);
    return ex;
}

/* The example figures: made up, but of a hospital of that level (the
 * sample's medians, data/), different for each hospital, and the same on
 * every run: a Park-Miller sequence seeded by the region, no clock. */
typedef struct {
    unsigned long long s;
} example_rng;

/* A whole number in [lo, hi]. */
static long long pick(example_rng *g, long long lo, long long hi)
{
    g->s = g->s * 16807 % 2147483647;
    return lo + (long long)(g->s % (unsigned long long)(hi - lo + 1));
}

/* x * [lo, hi] percent, rounded down; pick's draw. */
static long long share(example_rng *g, long long x, int lo, int hi)
{
    return x / 100 * pick(g, lo, hi) + x % 100 * pick(g, lo, hi) / 100;
}

static void example_figures(example_hospital *e, int watch, example_rng *g)
{
    /* by rank (A, S, M1, M2, F1, F2, F3): a month's expense (baht), OPD
     * visits, discharges, E-Claim records; the CMI target (x100) */
    static const long long expense[7] = {250000000, 120000000, 48000000, 31000000, 17000000, 9000000, 5500000};
    static const long visits[7] = {66000, 32000, 14500, 10300, 6300, 4300, 2800},
                      discharges[7] = {4500, 2200, 1050, 610, 310, 170, 90}, claims[7] = {3300, 1600, 790, 470, 230, 130, 70};
    static const int cmi[7] = {160, 120, 100, 80, 60, 50, 50};
    int r = e->rank;
    e->expense = share(g, expense[r], 80, 120) * 100 + pick(g, 0, 99);
    e->liabilities = share(g, e->expense, 120, 180);
    e->depreciation = share(g, e->expense, 3, 6);
    e->investment = pick(g, 1, 3) == 1 ? share(g, e->expense, 1, 3) : 0;
    e->inventory = share(g, e->liabilities, 12, 18);
    e->other = share(g, e->liabilities, 2, 3);
    if (watch) {
        /* short of cash: current assets below the liabilities (current,
         * quick and cash ratios all under their bars, NWC below 0), but the
         * month earns NWC's gap back within five months: risk score
         * (scoring.c) 4 or 5, to watch, not in crisis (6-7) */
        e->cash = share(g, e->liabilities, 40, 50);
        e->receivables = share(g, e->liabilities, 20, 28);
        long long gap = e->liabilities - e->cash - e->receivables - e->inventory - e->other;
        e->revenue = e->expense + e->depreciation - e->investment + gap / 5 + share(g, e->expense, 1, 3);
    } else { /* current ratio 1.5 and over, NWC well above a month's loss: 0 or 1 */
        e->cash = share(g, e->liabilities, 90, 150);
        e->receivables = share(g, e->liabilities, 50, 90);
        e->revenue = share(g, e->expense, 97, 112);
    }
    e->visits = (long)share(g, visits[r], 80, 120);
    e->opd_cost = e->visits * pick(g, 35000, 65000);
    e->discharges = (long)share(g, discharges[r], 80, 120);
    long long cmi_x10000 = cmi[r] * pick(g, 85, 125); /* around the level's target */
    e->adjrw = e->discharges * cmi_x10000;
    e->ipd_cost = e->adjrw / 100 * pick(g, 9000, 14000);
    e->discharges_prev = (long)share(g, e->discharges, 90, 110);
    e->adjrw_prev = e->discharges_prev * (cmi_x10000 / 100 * pick(g, 85, 112));
    e->electronic = pick(g, 6500, 10000);
    e->mapping = pick(g, 5500, 10000);
    e->claims = (long)share(g, claims[r], 80, 120);
    e->claims_passed = (long)share(g, e->claims, 88, 99);
    e->eff7 = (int)pick(g, 1, 7);
    long long ha = pick(g, 1, 10); /* provincial hospitals accredited; community ones not all */
    e->ha = r < 3 || ha <= 6 ? "accredited" : ha <= 8 ? "step2" : ha == 9 ? "step1" : "none";
}

/* satang as baht: "1234.56" */
#define BAHT(x) (x) / 100, (x) % 100

/* Every data file with its header and example rows. */
static int write_examples(const char *dir, int region, int fy, const region_province *p, size_t np,
                          example_hospital *ex, size_t nex, diag_ctx *d)
{
    strbuf b = {0};
    int rc = 0;
    char oct[16], prev_oct[16];
    snprintf(oct, sizeof oct, "%d-10", fy - 1);       /* the fiscal year's first month */
    snprintf(prev_oct, sizeof prev_oct, "%d-10", fy - 2); /* the same month a year before */
    example_rng g = {(unsigned long long)(20230000 + region)};
#define HEAD(f) sb_printf(&b, "%s\n", region_file_header(f))
    HEAD("provinces.csv");
    for (size_t i = 0; i < np; i++) /* a reserve of some 12 to 45 million baht */
        sb_printf(&b, "%s,%s,%s,%d,%lld.00\n", p[i].code, p[i].name_th, p[i].name_en, p[i].region,
                  pick(&g, 12000, 45000) * 1000);
    rc |= region_put_file(dir, "provinces.csv", &b, d);
    /* a hospital to watch (risk 4-5) in every other province, the last of
     * its examples, and now and then another: criterion 9.3 has provinces
     * enough to band (one alone grades no province of the region) */
    for (size_t i = 0; i < nex; i++) {
        int last = i + 1 == nex || ex[i + 1].province != ex[i].province;
        example_figures(&ex[i], (last && ex[i].province % 2 == 1) || (ex[i].rank >= 3 && pick(&g, 1, 6) == 1), &g);
    }
    HEAD("hospitals.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,\"%s\",%s,%s,%s\n", ex[i].hcode, ex[i].name, p[ex[i].province].code, ex[i].level,
                  !strcmp(ex[i].level, "A") ? "large" : "");
    rc |= region_put_file(dir, "hospitals.csv", &b, d);
    HEAD("finance.csv");
    for (size_t i = 0; i < nex; i++) {
        const example_hospital *e = &ex[i];
        sb_printf(&b, "%s,%s,%lld.%02lld,%lld.%02lld,%lld.%02lld,%lld.%02lld,%lld.%02lld,%lld.%02lld,%lld.%02lld,"
                      "%lld.%02lld,%lld.%02lld,%ld,%lld.%02lld,%lld.%02lld\n",
                  e->hcode, oct, BAHT(e->cash), BAHT(e->receivables), BAHT(e->inventory), BAHT(e->other),
                  BAHT(e->liabilities), BAHT(e->revenue), BAHT(e->investment), BAHT(e->expense), BAHT(e->depreciation),
                  e->visits, BAHT(e->opd_cost), BAHT(e->ipd_cost));
    }
    rc |= region_put_file(dir, "finance.csv", &b, d);
    HEAD("trial_balance.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,%s,%lld.%02lld,%lld.%02lld\n", ex[i].hcode, oct, BAHT(ex[i].electronic), BAHT(ex[i].mapping));
    rc |= region_put_file(dir, "trial_balance.csv", &b, d);
    HEAD("eclaim.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,%s,%ld,%ld\n", ex[i].hcode, oct, ex[i].claims, ex[i].claims_passed);
    rc |= region_put_file(dir, "eclaim.csv", &b, d);
    HEAD("efficiency7.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,%d\n", ex[i].hcode, ex[i].eff7);
    rc |= region_put_file(dir, "efficiency7.csv", &b, d);
    HEAD("cmi.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,%s,%ld,%lld.%04lld\n", ex[i].hcode, oct, ex[i].discharges, ex[i].adjrw / 10000,
                  ex[i].adjrw % 10000);
    rc |= region_put_file(dir, "cmi.csv", &b, d);
    HEAD("cmi_prev.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,%s,%ld,%lld.%04lld\n", ex[i].hcode, prev_oct, ex[i].discharges_prev,
                  ex[i].adjrw_prev / 10000, ex[i].adjrw_prev % 10000);
    rc |= region_put_file(dir, "cmi_prev.csv", &b, d);
    HEAD("ha.csv");
    for (size_t i = 0; i < nex; i++)
        sb_printf(&b, "%s,%s\n", ex[i].hcode, ex[i].ha);
    rc |= region_put_file(dir, "ha.csv", &b, d);
    HEAD("kpi.csv");
    sb_printf(&b, "%d,66,ร้อยละของเขตสุขภาพมีการพัฒนาระบบบริหารจัดการที่มีประสิทธิภาพ,ร้อยละ 100,3 เดือน,"
                  "การเงินการคลัง,1,แผนการเงินการคลังของเขต,ตัวอย่าง: ประชุมคณะกรรมการการเงินการคลังเขต\n", region);
    rc |= region_put_file(dir, "kpi.csv", &b, d);
    HEAD("kpi_stages.csv");
    sb_printf(&b, "%d,66,การเงินการคลัง,3,ตัวอย่าง: มีแผนการเงินการคลังระดับเขต,ผ่าน\n", region);
    rc |= region_put_file(dir, "kpi_stages.csv", &b, d);
    HEAD("kpi_notes.csv");
    sb_printf(&b, "%d,66,1,problem,ตัวอย่าง: ข้อมูลบางหน่วยบริการส่งล่าช้า\n", region);
    rc |= region_put_file(dir, "kpi_notes.csv", &b, d);
    HEAD("signoff.csv");
    sb_printf(&b, "scheme,finance-r%d-%d,,\nperiod,%d-10,,\nround,1,,\nsigned_off,%d-11-20,,\n"
                  "ผู้จัดทำ,ชื่อ นามสกุล,นักวิชาการเงินและบัญชี,%d-11-15\n"
                  "ผู้ตรวจสอบ,ชื่อ นามสกุล,หัวหน้ากลุ่มงานประกันสุขภาพ,%d-11-16\n"
                  "ผู้อนุมัติ,ชื่อ นามสกุล,ผู้ตรวจราชการกระทรวงสาธารณสุข เขตสุขภาพที่ %d,%d-11-18\n",
              region, fy, fy - 1, fy - 1, fy - 1, fy - 1, region, fy - 1);
    rc |= region_put_file(dir, "signoff.csv", &b, d);
    /* who prepares the handout (ผู้จัดทำ) and the KPI report (ผู้รายงาน): init's example name, which
     * khet check warns of until it is replaced */
    HEAD("contacts.csv");
    sb_printf(&b, "%d,monthly,%s,นักวิชาการสาธารณสุข สำนักงานเขตสุขภาพที่ %d,0-0000-0000,name@example.go.th\n"
                  "%d,kpi,%s,นักวิเคราะห์นโยบายและแผน สำนักงานเขตสุขภาพที่ %d,0-0000-0000,name@example.go.th\n",
              region, INSPECTION_EXAMPLE_NAME, region, region, INSPECTION_EXAMPLE_NAME, region);
    rc |= region_put_file(dir, "contacts.csv", &b, d);
    /* the issues each month's handout puts to the meeting (ประเด็นเสนอที่ประชุม): the header only, so that the
     * officers see the file; no example row (the handout says there are none) */
    HEAD("meeting.csv");
    rc |= region_put_file(dir, "meeting.csv", &b, d);
#undef HEAD
    return rc ? -1 : 0;
}

static int write_dataset_ini(const char *dir, int region, int fy, const char *fin, const char *kpi, diag_ctx *d)
{
    strbuf b = {0};
    sb_printf(&b, "; khet data folder of health region %d, fiscal year %d (see data/README.md)\n[dataset]\n"
                  "; the health region (1-13) the folder is for\nregion = %d\n"
                  "; Buddhist Era fiscal year: FY%d runs 1 Oct %d - 30 Sep %d\nfiscal_year = %d\n"
                  "; the day the figures were processed (printed as the data date)\ndata_date = %d-11-10\n"
                  "; the region's schemes, by folder (beside this file, else in templates/);\n"
                  "; 'none' when the region has no scheme of that kind\nfinance_scheme = %s\nkpi_scheme = %s\n",
              region, fy, region, fy, fy - 1, fy, fy, fy - 1, fin, kpi);
    return region_put_file(dir, "dataset.ini", &b, d);
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"region", required_argument, 0, 'r'},
                                         {"fiscal-year", required_argument, 0, 'y'},
                                         {"templates", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c, region = 0, fy = 0;
    char tbuf[CLI_PATH_MAX];
    const char *tdir = cli_templates_dir(tbuf, sizeof tbuf);
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:y:t:h", opts, NULL)) != -1) {
        int64_t n = 0;
        switch (c) {
        case 'r':
            if (reader_parse_int(optarg, &n) || n < 1 || n > 13) {
                fprintf(stderr, "khet: --region: a health region number 1-13, not '%s'\n", optarg);
                return EXIT_INPUT;
            }
            region = (int)n;
            break;
        case 'y':
            if (reader_parse_int(optarg, &n) || n < 2500 || n > 2700) {
                fprintf(stderr, "khet: --fiscal-year: a Buddhist Era year such as 2567, not '%s'\n", optarg);
                return EXIT_INPUT;
            }
            fy = (int)n;
            break;
        case 't': tdir = optarg; break;
        case 'h': init_usage(stdout); return EXIT_OK;
        default: init_usage(stderr); return EXIT_INPUT;
        }
    }
    if (optind + 1 != argc || !region || !fy) {
        init_usage(stderr);
        return EXIT_INPUT;
    }
    const char *dir = argv[optind];
    diag_ctx *d = diag_new();
    if (!d)
        return EXIT_RUNTIME;
    size_t nall = 0, np = 0;
    region_province *all = region_provinces_load(tdir, &nall, d), *p = NULL;
    if (all) { /* the region's provinces, moved to the front */
        for (size_t i = 0; i < nall; i++)
            if (all[i].region == region) {
                region_province t = all[np];
                all[np++] = all[i];
                all[i] = t;
            }
        p = all;
    }
    size_t nex = 0;
    example_hospital *ex = p ? pick_hospitals(tdir, p, np, &nex, d) : NULL;
    char *fin = util_format("finance-r%d-%d", region, fy), *kpi = util_format("kpi66-r%d-%d", region, fy);
    char *fin_dst = fin ? util_path_join(dir, fin) : NULL, *kpi_dst = kpi ? util_path_join(dir, kpi) : NULL;
    char *fin_src = util_path_join(tdir, "finance-r8-2563"), *kpi_src = util_path_join(tdir, "kpi66-r12-2563");
    if (ex && !diag_errors(d) && fin_dst && kpi_dst && fin_src && kpi_src && region_fresh_folder(dir, d) == 0 &&
        region_copy_scheme(fin_src, fin_dst, fin, region, fy, NULL, d) == 0 &&
        region_copy_scheme(kpi_src, kpi_dst, kpi, region, fy, NULL, d) == 0 &&
        write_examples(dir, region, fy, p, np, ex, nex, d) == 0 && write_dataset_ini(dir, region, fy, fin, kpi, d) == 0) {
        printf("%s: health region %d (%zu provinces), fiscal year %d\n\n"
               "Fill in next (each file's first row says what a column is, in Thai and English;\n"
               "data/README.md describes every column):\n"
               "  1. %s/provinces.csv   the reserve of each province (reserved_baht: the examples are made up)\n"
               "  2. %s/hospitals.csv   every hospital of the region (three examples a province are there;\n"
               "                        the Ministry's list is %s/moph-hospitals.csv)\n"
               "  3. finance.csv, trial_balance.csv, eclaim.csv, cmi.csv: a row per hospital and month\n"
               "     (the example rows, October %d, are made up: replace them); efficiency7.csv, ha.csv:\n"
               "     a row per hospital\n"
               "  4. cmi_prev.csv: last year's cmi.csv; kpi.csv, kpi_stages.csv, kpi_notes.csv: the inspection;\n"
               "     contacts.csv: who prepares the monthly handout and the KPI report (the rows name an example);\n"
               "     meeting.csv: the issues each month's handout puts to the meeting (ประเด็นเสนอที่ประชุม)\n"
               "  5. %s/ and %s/: the region's own criteria, grades and wording (scheme.ini's ASSUMPTION lines)\n"
               "Then: khet check --data %s    and    khet render --data %s\n",
               dir, region, np, fy, dir, dir, tdir, fy - 1, fin_dst, kpi_dst, dir, dir);
        if (np < 2) /* Bangkok: Mean ± SD of one province grades nothing (templates/README.md) */
            printf("\nRegion %d has %zu province: the Mean ± SD bands cannot grade it against its region, so its\n"
                   "documents print no grade, rank or amount and say why, until %s/scheme.ini\n"
                   "says what to do (too_few_provinces = band N, or thresholds in criteria.csv:\n"
                   "templates/README.md).\n",
                   region, np, fin_dst);
    }
    for (size_t i = 0; ex && i < nex; i++)
        free(ex[i].name);
    free(ex);
    region_provinces_free(all, nall);
    free(fin);
    free(kpi);
    free(fin_dst);
    free(kpi_dst);
    free(fin_src);
    free(kpi_src);
    return cli_finish(d, 0);
}
