/* Scoring tests against hand-computed figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "datafolder.h"
#include "scoring.h"
#include "zband.h"
#include "zband_fixture.h"

/* ---- MOPH risk score: every branch ---- */

/* One month of figures (in satang) at fiscal month 2 (December, elapsed 3). */
static int risk_of(int64_t cash, int64_t recv, int64_t other, int64_t cl, int64_t ni_per_month)
{
    hospital h;
    memset(&h, 0, sizeof h);
    for (int m = 0; m < 3; m++) {
        h.fin[m].line = m + 2;
        h.fin[m].revenue = 1000000 + ni_per_month;
        h.fin[m].expense = 1000000;
    }
    h.fin[2].cash = cash;
    h.fin[2].receivables = recv;
    h.fin[2].other_current_assets = other;
    h.fin[2].current_liabilities = cl;
    return score_risk(&h, 2);
}

static void test_risk_liquidity(void **s)
{
    (void)s;
    /* healthy: CR 2, QR 2, cash ratio 1, NWC > 0, NI > 0 */
    assert_int_equal(risk_of(100, 100, 0, 100, 10), 0);
    /* CR exactly 1.5 is not < 1.5; QR 1.5; cash 0.8 exactly is not < 0.8 */
    assert_int_equal(risk_of(80, 70, 0, 100, 10), 0);
    /* cash ratio 0.79 -> 1 point */
    assert_int_equal(risk_of(79, 71, 0, 100, 10), 1);
    /* CR 1.49 (149/100), QR 1.49, cash 0.8 -> 1 point */
    assert_int_equal(risk_of(80, 69, 0, 100, 10), 1);
    /* CR 1.2 QR 0.9 cash 0.5 -> 3 points */
    assert_int_equal(risk_of(50, 40, 30, 100, 10), 3);
    /* no current liabilities: no liquidity risk */
    assert_int_equal(risk_of(0, 0, 0, 0, 10), 0);
    /* no figures for the month */
    hospital h;
    memset(&h, 0, sizeof h);
    assert_int_equal(score_risk(&h, 0), -1);
}

static void test_risk_survival(void **s)
{
    (void)s;
    /* Liquidity held at 0 by a big cash pile; NWC = CA - CL.
     * NWC >= 0, NI < 0: m = NWC*3/|NI|. NI = 3 months x -n. */
    int64_t cl = 1000;
    /* NWC = 2600, NI = -3*100 = -300: m = 2600*3/300 = 26 > 6 -> 0 */
    assert_int_equal(risk_of(3600, 0, 0, cl, -100), 1 + 0); /* NI<0 gives 1 */
    /* NWC = 1500 (CA 2500): NI = -300*3 = -900 -> m = 1500*3/900 = 5 -> survival 1 */
    assert_int_equal(risk_of(2500, 0, 0, cl, -300), 1 + 1);
    /* m = 6 exactly -> 1: NWC 1800, NI -900 (m = 1800*3/900 = 6) */
    assert_int_equal(risk_of(2800, 0, 0, cl, -300), 1 + 1);
    /* m = 3 exactly -> 1: NWC 1500, NI -1500 (m = 3) */
    assert_int_equal(risk_of(2500, 0, 0, cl, -500), 1 + 1);
    /* m < 3 -> 2: NWC 1500, NI -3000 (m = 1.5) */
    assert_int_equal(risk_of(2500, 0, 0, cl, -1000), 1 + 2);
    /* NWC < 0 and NI < 0 -> 2 (+1 +1 status, +3 liquidity) = 7 */
    assert_int_equal(risk_of(100, 0, 0, cl, -10), 3 + 2 + 2);
    /* NWC < 0, NI >= 0: months to climb back. NWC = -900 (CA 100), liquidity 3, status 1.
     * NI = 3*100 = 300: m = 900*3/300 = 9 > 6 -> 2 */
    assert_int_equal(risk_of(100, 0, 0, cl, 100), 3 + 1 + 2);
    /* NI = 3*300 = 900: m = 3 -> 1 */
    assert_int_equal(risk_of(100, 0, 0, cl, 300), 3 + 1 + 1);
    /* NI = 3*1000 = 3000: m = 0.9 < 3 -> 0 */
    assert_int_equal(risk_of(100, 0, 0, cl, 1000), 3 + 1 + 0);
    /* NI = 0 with NWC < 0: never climbs back -> 2 */
    assert_int_equal(risk_of(100, 0, 0, cl, 0), 3 + 1 + 2);
}

/* ---- statistics ---- */

static void test_median_and_sd(void **s)
{
    (void)s;
    double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, one[] = {7};
    assert_true(score_median(odd, 3) == 3);
    assert_true(score_median(even, 4) == 2.5);
    assert_true(score_median(one, 1) == 7);
    double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
    assert_true(fabs(score_sd(v, 8, 0) - 2.0) < 1e-12);               /* population */
    assert_true(fabs(score_sd(v, 8, 1) - sqrt(32.0 / 7)) < 1e-12);    /* sample, Excel STDEV */
    assert_true(score_sd(one, 1, 1) == 0);
    assert_true(score_mean(v, 8) == 5);
}

/* ---- money and points ---- */

static void test_rounding(void **s)
{
    (void)s;
    assert_int_equal(score_clawback(33333, 2000), 6667);   /* 6666.6 -> 6667 */
    assert_int_equal(score_clawback(33332, 2000), 6666);   /* 6666.4 -> 6666 */
    assert_int_equal(score_clawback(25, 2000), 5);         /* exact */
    assert_int_equal(score_clawback(5, 1000), 1);          /* 0.5 -> 1, half up */
    assert_int_equal(score_clawback(4026272876, 1000), 402627288);
    assert_int_equal(score_clawback(100000000000000, 5000), 50000000000000); /* a trillion baht */
    assert_int_equal(score_points(3000, 7500), 2250);      /* 75 % of 30 points = 22.50 */
    assert_int_equal(score_points(1, 5000), 1);            /* 0.005 -> 0.01 */
}

/* ---- scheme: grades and bands as the template sets them ---- */

static scheme *load_scheme(const char *dir)
{
    diag_ctx *d = diag_new();
    scheme *s = scheme_load(dir, d);
    if (!s)
        diag_print(d, stderr);
    diag_free(d);
    assert_non_null(s);
    return s;
}

static const char *grade_at(const scheme *s, int64_t total_cp, int64_t max_cp)
{
    return s->grades[score_grade(s, total_cp, max_cp)].grade;
}

static void test_grade_boundaries(void **st)
{
    (void)st;
    scheme *s = load_scheme("templates/finance-r8-2563");
    /* percentages on a max of 100.0000 points (1000000 units of 1e-4 % each) */
    int64_t max = 1000000;
    assert_string_equal(grade_at(s, 800000, max), "B+");  /* 80 is not > 80 */
    assert_string_equal(grade_at(s, 800001, max), "A");   /* 80.0001 */
    assert_string_equal(grade_at(s, 750000, max), "B");
    assert_string_equal(grade_at(s, 750001, max), "B+");
    assert_string_equal(grade_at(s, 700000, max), "C+");
    assert_string_equal(grade_at(s, 650001, max), "C+");
    assert_string_equal(grade_at(s, 600000, max), "D");
    assert_string_equal(grade_at(s, 500001, max), "D");
    assert_string_equal(grade_at(s, 500000, max), "F");   /* the assumed grade below D */
    assert_string_equal(grade_at(s, 0, max), "F");
    assert_true(s->grades[score_grade(s, 500000, max)].assumption);
    assert_int_equal(s->grades[score_grade(s, 760000, max)].rate_bp, 1000);
    /* real totals: 720 of 900 points is exactly 80 % -> B+; 720.01 -> A */
    assert_string_equal(grade_at(s, 72000, 90000), "B+");
    assert_string_equal(grade_at(s, 72001, 90000), "A");
    /* bands: z > 1 full, z >= -1 within, else below */
    assert_int_equal(score_band(s, 1.0), 1);
    assert_int_equal(score_band(s, 1.000001), 0);
    assert_int_equal(score_band(s, -1.0), 1);
    assert_int_equal(score_band(s, -1.000001), 2);
    /* criterion 9's parts share its 100 points 40/30/30 */
    int64_t c9 = 0;
    for (size_t i = 0; i < s->ncriteria; i++)
        if (s->criteria[i].number == 9)
            c9 += s->criteria[i].max_cp;
    assert_int_equal(c9, 10000);
    assert_int_equal(s->ncriteria, 11);
    scheme_free(s);
}

/* ---- a whole run on the hand-made region (tests/fixtures/mini) ---- */

static void test_mini_region(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/mini", NULL, d);
    scheme *s = load_scheme(FIXTURES "/mini-scheme");
    assert_non_null(ds);
    score_result *r = score_run(s, ds, 0, -1, d);
    assert_non_null(r);
    assert_int_equal(r->nprovinces, 4); /* region 2's province is not scored */
    /* criterion 1, E-Claim: 96, 80, 80, 64 %: mean 80, sample SD sqrt(512/3) */
    double sd = sqrt(512.0 / 3);
    const double want[] = {96, 80, 80, 64};
    for (int p = 0; p < 4; p++)
        assert_true(fabs(r->provinces[p].crit[0].value - want[p]) < 1e-9);
    assert_true(fabs(r->crit_mean[0] - 80) < 1e-9);
    assert_true(fabs(r->crit_sd[0] - sd) < 1e-9);
    assert_true(fabs(r->provinces[0].crit[0].z - 16 / sd) < 1e-9); /* 1.2247 */
    /* points: above (100), within (75), within (75), below (50) */
    const int64_t pts[] = {10000, 7500, 7500, 5000};
    for (int p = 0; p < 4; p++)
        assert_int_equal(r->provinces[p].crit[0].points_cp, pts[p]);
    /* criterion 2: every province with data has 100 % -> SD 0 -> z 0 -> within;
     * province 14 has no data -> no value, zero points (no_data = zero) */
    assert_true(r->crit_sd[1] == 0);
    for (int p = 0; p < 3; p++) {
        assert_true(r->provinces[p].crit[1].has_value);
        assert_true(r->provinces[p].crit[1].z == 0);
        assert_int_equal(r->provinces[p].crit[1].points_cp, 7500);
    }
    assert_false(r->provinces[3].crit[1].has_value);
    assert_int_equal(r->provinces[3].crit[1].points_cp, 0);
    /* totals 175, 150, 150, 50 of 200: 87.5 % A, 75 % B, 75 % B, 25 % F */
    const char *grades[] = {"A", "B", "B", "F"};
    const int ranks[] = {1, 2, 2, 4}; /* a tie shares its rank */
    const int64_t pct[] = {8750, 7500, 7500, 2500};
    for (int p = 0; p < 4; p++) {
        assert_string_equal(s->grades[r->provinces[p].grade].grade, grades[p]);
        assert_int_equal(r->provinces[p].rank, ranks[p]);
        assert_int_equal(r->provinces[p].percent_x100, pct[p]);
    }
    /* money: 333.33 baht at 20 % = 66.666 -> 66.67; kept 266.66 */
    assert_int_equal(r->provinces[1].clawback_satang, 6667);
    assert_int_equal(r->provinces[1].kept_satang, 26666);
    assert_int_equal(r->provinces[0].clawback_satang, 0);
    assert_int_equal(r->provinces[3].clawback_satang, 6000); /* F: 60 % of 100 baht */
    /* scoring region 2 with the same scheme works too */
    score_result *r2 = score_run(s, ds, 2, -1, d);
    assert_non_null(r2);
    assert_int_equal(r2->nprovinces, 1);
    assert_true(r2->crit_sd[0] == 0);
    score_result_free(r2);
    /* a region with no province is an error, not a crash */
    assert_null(score_run(s, ds, 5, -1, d));
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* Hand-made CMI rows: 00101 has 100 discharges at CMI 0.65 in October and
 * 300 at 0.57 in November: 236/400 = 0.59, not (0.65 + 0.57) / 2 = 0.61;
 * 00102 has a month with no discharges; 00201 only one month (the others
 * missing); the rest no rows at all. */
static void test_cmi_by_hand(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/mini", NULL, d);
    scheme *s = load_scheme("templates/kpi66-r12-2563");
    score_result *r = score_run(s, ds, 1, -1, d);
    assert_non_null(r);
    const hospital_result *h0 = &r->hospitals[0], *h1 = &r->hospitals[1], *h2 = &r->hospitals[2];
    assert_true(fabs(h0->cmi_fytd - 0.59) < 1e-12);
    assert_true(fabs(h0->cmi_month[0] - 0.65) < 1e-12);
    assert_true(fabs(h0->cmi_month[1] - 0.57) < 1e-12);
    assert_true(fabs(h0->cmi_quarter[0] - 0.59) < 1e-12);
    assert_false(h0->has_quarter[1]);
    assert_int_equal(h0->cmi_target_x1000, 600); /* F1 */
    assert_false(h0->cmi_pass);                  /* 0.59 < 0.6 */
    assert_false(h1->has_cmi);                   /* no discharges: no CMI, not a division by zero */
    assert_false(h1->cmi_pass);
    assert_true(h2->has_cmi);
    assert_true(fabs(h2->cmi_fytd - 0.6) < 1e-12);
    assert_true(h2->cmi_pass); /* exactly the target passes (>=) */
    assert_true(h2->has_quarter[1] && !h2->has_quarter[0]);
    /* only hospitals with CMI and a target count in the pass share */
    assert_int_equal(r->cmi_hospitals, 2);
    assert_int_equal(r->cmi_pass, 1);
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* CMI is sum AdjRW / sum discharges, never the mean of monthly CMIs. */
static void test_cmi(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load("data", NULL, d);
    scheme *s = load_scheme("templates/kpi66-r12-2563");
    score_result *r = score_run(s, ds, 0, -1, d);
    assert_non_null(r);
    for (size_t i = 0; i < r->nhospitals; i++) {
        const hospital_result *h = &r->hospitals[i];
        const hospital *hd = &ds->hospitals[h->hospital];
        int64_t dis = 0, adj = 0;
        for (int m = 0; m < 12; m++) {
            dis += hd->cmi[m].discharges;
            adj += hd->cmi[m].adjrw_x10000;
        }
        assert_true(fabs(h->cmi_fytd - (double)adj / 10000 / (double)dis) < 1e-12);
        int64_t target = hd->level == LEVEL_A ? (hd->a_large ? 1600 : 1500)
                         : hd->level == LEVEL_S ? 1200 : hd->level == LEVEL_M1 ? 1000
                         : hd->level == LEVEL_M2 ? 800 : hd->level == LEVEL_F1 ? 600 : 500;
        assert_int_equal(h->cmi_target_x1000, target);
        assert_int_equal(h->cmi_pass, adj * 1000 >= target * dis * 10000);
    }
    int sum = 0;
    for (size_t p = 0; p < r->nprovinces; p++)
        sum += r->provinces[p].cmi_pass;
    assert_int_equal(sum, r->cmi_pass);
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* A level the scheme sets no CMI target for: its hospitals' CMI is shown,
 * but they neither pass nor fail, and the per-level counts (the KPI
 * report's and the exports' breakdown) leave them out. The KPI scheme with
 * its F3 row made to match no hospital, on the sample data, whose F3
 * hospitals have CMI data; F2 (its own row) is counted as before. */
static void test_cmi_level_without_target(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load("data", NULL, d);
    scheme *s = load_scheme("templates/kpi66-r12-2563");
    for (size_t i = 0; i < s->ncmi_targets; i++)
        if (s->cmi_targets[i].level == LEVEL_F3)
            s->cmi_targets[i].a_large = 1; /* an F3 hospital is never "large" */
    score_result *r = score_run(s, ds, 0, -1, d);
    assert_non_null(r);
    int f3 = 0, f2 = 0;
    for (size_t i = 0; i < r->nhospitals; i++) {
        const hospital_result *h = &r->hospitals[i];
        hosp_level l = ds->hospitals[h->hospital].level;
        if (l == LEVEL_F3 && h->has_cmi) {
            f3++;
            assert_int_equal(h->cmi_target_x1000, 0);
            assert_false(h->cmi_pass);
        }
        f2 += l == LEVEL_F2 && h->has_cmi;
    }
    assert_true(f3 > 0 && f2 > 0);
    assert_int_equal(r->cmi_level_n[LEVEL_F3], 0);
    assert_int_equal(r->cmi_level_pass[LEVEL_F3], 0);
    assert_int_equal(r->cmi_level_n[LEVEL_F2], f2);
    for (size_t p = 0; p < r->nprovinces; p++)
        assert_int_equal(r->provinces[p].cmi_level_n[LEVEL_F3], 0);
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* E-Claim quality is the share of a province's claims accepted over the
 * period: a province that sent one claim has a value (1 of 1 accepted is
 * 100 %, 0 of 1 is 0 %), not "no data". The oracle region with the first
 * province's claims replaced by one claim in September, accepted, and the
 * second's by one refused. */
static void test_eclaim_of_one_claim(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/oracle-r8", NULL, d);
    assert_non_null(ds);
    scheme *s = load_scheme("templates/finance-r8-2563");
    score_result *r = score_run(s, ds, 0, -1, d);
    assert_non_null(r);
    size_t prov[2] = {r->provinces[0].province, r->provinces[1].province};
    score_result_free(r);
    for (int k = 0; k < 2; k++) {
        int first = 1;
        for (size_t i = 0; i < ds->nhospitals; i++) {
            hospital *h = &ds->hospitals[i];
            if (h->province != prov[k])
                continue;
            for (int m = 0; m < 12; m++) { /* one claim in September, inside the scheme's period */
                int one = first && m == 11 && h->eclaim[m].line;
                h->eclaim[m].claims = one;
                h->eclaim[m].claims_passed = one && k == 0;
                first &= !one;
            }
        }
        assert_false(first); /* the province had claims to replace */
    }
    r = score_run(s, ds, 0, -1, d);
    assert_non_null(r);
    size_t c = 0;
    while (c < s->ncriteria && s->criteria[c].measure != M_ECLAIM)
        c++;
    assert_true(c < s->ncriteria);
    for (int k = 0; k < 2; k++) {
        assert_true(r->provinces[k].crit[c].has_value);
        assert_true(r->provinces[k].crit[c].value == (k == 0 ? 100.0 : 0.0));
    }
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* ---- exact band decisions (issue 19) ---- */

/* sign(d - t*sqrt(var)) for d, t, var given as fractions */
static int cmp_root(long dn, long dd, long tn, long td, long vn, long vd)
{
    mpq_t d, t, v;
    mpq_inits(d, t, v, NULL);
    mpq_set_si(d, dn, (unsigned long)dd);
    mpq_set_si(t, tn, (unsigned long)td);
    mpq_set_si(v, vn, (unsigned long)vd);
    mpq_canonicalize(d);
    mpq_canonicalize(t);
    mpq_canonicalize(v);
    int c = zband_cmp_root(d, t, v);
    mpq_clears(d, t, v, NULL);
    return c;
}

static void test_cmp_root_signs(void **st)
{
    (void)st;
    /* the issue's province: d = -1/6 (50 % against a mean of 2/3), SD 1/6 (var 1/36): on -1 exactly */
    assert_int_equal(cmp_root(-1, 6, -1, 1, 1, 36), 0);
    assert_int_equal(cmp_root(1, 6, 1, 1, 1, 36), 0);          /* +1 exactly */
    assert_int_equal(cmp_root(-1, 6, -1, 1, 1, 37), -1);       /* a hair less spread: d is below -SD */
    assert_int_equal(cmp_root(-1, 6, -1, 1, 1, 35), 1);        /* a hair more: d is inside */
    assert_int_equal(cmp_root(1, 6, 1, 1, 1, 35), -1);         /* both positive: compare squares */
    assert_int_equal(cmp_root(1, 6, 1, 1, 1, 37), 1);
    assert_int_equal(cmp_root(1, 6, -1, 1, 1, 36), 1);         /* opposite signs: d's sign */
    assert_int_equal(cmp_root(-1, 6, 1, 1, 1, 36), -1);
    assert_int_equal(cmp_root(0, 1, 1, 2, 1, 4), -1);          /* d = 0 against t*SD > 0 */
    assert_int_equal(cmp_root(0, 1, -1, 2, 1, 4), 1);
    assert_int_equal(cmp_root(0, 1, 0, 1, 1, 4), 0);
    assert_int_equal(cmp_root(-3, 1, 5, 1, 0, 1), -1);         /* var 0: d against 0 */
    /* sqrt(2)/2 vs 1 * sqrt(1/2): equal, though neither is a double */
    assert_int_equal(cmp_root(1, 2, 1, 1, 1, 4), 0);
}

/* The issue's region as exact values: province i passed pass[i] of 6
 * units, 100 * pass[i] / 6 per cent (the caller clears each q). */
static void percent_of_six(zb_value v[7], const int pass[7])
{
    unsigned long num[7];
    for (int i = 0; i < 7; i++)
        num[i] = 100u * (unsigned)pass[i];
    zband_values(v, 7, num, 6, 0);
}

/* zband_decide on the issue's criterion: 4,5,5,3,3,5,3 of 6 units passing,
 * under the shipped bands (z > 1, z >= -1, otherwise). */
static void test_decide_issue_region(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    scheme *s = scheme_load("templates/finance-r8-2563", d);
    assert_non_null(s);
    const criterion_def *c = &s->criteria[3]; /* criterion 4, higher is better */
    const int pass[7] = {4, 5, 5, 3, 3, 5, 3};
    zb_value v[7];
    zb_decision dec[7];
    zb_stats stt;
    for (int sample = 1; sample >= 0; sample--) {
        s->sd_sample = sample;
        percent_of_six(v, pass);
        assert_int_equal(zband_decide(s, c, v, 7, &stt, dec), 0);
        assert_true(stt.sd_defined);
        assert_true(fabs(stt.mean - 200.0 / 3) < 1e-12);
        for (int i = 0; i < 7; i++) {
            /* sample SD 1/6: everyone within, z exactly 0 or +-1; population: +-1.08 */
            int want = sample ? 1 : pass[i] == 5 ? 0 : pass[i] == 3 ? 2 : 1;
            assert_int_equal(dec[i].band, want);
            if (sample)
                assert_true(dec[i].z == 0.0 || dec[i].z == 1.0 || dec[i].z == -1.0);
        }
        zband_clear(v, 7);
    }
    scheme_free(s);
    diag_free(d);
}

/* A value that no band holds (a scheme built in code, its last band not
 * 'otherwise', which the scheme check would refuse) still gets one of the
 * scheme's bands, the last: never an index past them, which the reports
 * would read. The issue's region, population SD: the three provinces of
 * 3 of 6 stand at z = -1.08, below "z >= -1" in every band. */
static void test_band_never_past_the_last(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    scheme *s = scheme_load("templates/finance-r8-2563", d);
    assert_non_null(s);
    assert_int_equal(s->nbands, 3);
    assert_true(s->bands[2].otherwise);
    s->bands[2].otherwise = 0; /* z >= -1, as band 1 */
    s->bands[2].strict = s->bands[1].strict;
    s->bands[2].bound_x10000 = s->bands[1].bound_x10000;
    s->sd_sample = 0;
    const int pass[7] = {4, 5, 5, 3, 3, 5, 3};
    zb_value v[7];
    zb_decision dec[7];
    zb_stats stt;
    percent_of_six(v, pass);
    assert_int_equal(zband_decide(s, &s->criteria[3], v, 7, &stt, dec), 0);
    for (int i = 0; i < 7; i++)
        assert_int_equal(dec[i].band, pass[i] == 5 ? 0 : pass[i] == 3 ? 2 : 1);
    zband_clear(v, 7);
    scheme_free(s);
    diag_free(d);
}

/* Pass/fail rows: a value equal to its threshold passes either way round,
 * compared exactly; a root (ebitda_sd) of 0 against a threshold of 0 too. */
static void test_threshold_exact(void **st)
{
    (void)st;
    scheme s = zband_scheme(NULL, 0);
    zb_value v[2];
    zb_decision dec[2];
    zb_stats stt;
    for (int lower = 0; lower < 2; lower++) {
        criterion_def c = zband_criterion(RULE_THRESHOLD, lower);
        /* 4 % exactly (1 of 25 hospital-months) against 4.0000, and 4.01: above */
        c.threshold_x10000 = 40000;
        zband_values(v, 2, (const unsigned long[]){400, 401}, 100, 0);
        assert_int_equal(zband_decide(&s, &c, v, 2, &stt, dec), 0);
        assert_int_equal(dec[0].share_bp, 10000);
        assert_int_equal(dec[1].share_bp, lower ? 0 : 10000);
        /* a root: sqrt(0) = 0 against 0, and sqrt(1/10^4) = 0.01 against 0 */
        c.threshold_x10000 = 0;
        v[0].root = v[1].root = 1;
        mpq_set_ui(v[0].q, 0, 1);
        mpq_set_ui(v[1].q, 1, 10000);
        assert_int_equal(zband_decide(&s, &c, v, 2, &stt, dec), 0);
        assert_int_equal(dec[0].share_bp, 10000);
        assert_int_equal(dec[1].share_bp, lower ? 0 : 10000);
        /* a root (never negative) against a negative threshold: above it */
        c.threshold_x10000 = -1;
        assert_int_equal(zband_decide(&s, &c, v, 2, &stt, dec), 0);
        assert_int_equal(dec[0].share_bp, lower ? 0 : 10000);
        assert_int_equal(dec[1].share_bp, lower ? 0 : 10000);
        zband_clear(v, 2);
    }
}

/* Three mutually irrational roots (ebitda_sd of sqrt 2, sqrt 3, sqrt 5) have
 * no exact rational form, so their bands are decided in 256-bit floating
 * point (decide_zband_f). By hand (50 digits): mean 1.7941108, population
 * SD 0.3383782, so sqrt 5 stands at z = 1.3061040645..., sqrt 2 at
 * -1.1226999 and sqrt 3 at -0.1834042. A band's bound is read to the
 * ten-thousandth: "z >= 1.3062" does not hold for sqrt 5 and "z >= 1.3061"
 * does (a bound read as 1.3062 / 1.0001 = 1.30607 would take it in). */
static void test_bands_of_irrational_roots(void **st)
{
    (void)st;
    band_def bands[3] = {{.bound_x10000 = 13062, .share_bp = 10000},
                         {.bound_x10000 = 13061, .share_bp = 5000},
                         {.otherwise = 1}};
    scheme s = zband_scheme(bands, 3);
    criterion_def c = zband_criterion(RULE_ZBAND, 0);
    zb_value v[3];
    zb_decision dec[3];
    zb_stats stt;
    zband_values(v, 3, (const unsigned long[]){2, 3, 5}, 1, 1);
    assert_int_equal(zband_decide(&s, &c, v, 3, &stt, dec), 0);
    assert_true(fabs(stt.mean - 1.7941108) < 1e-7);
    assert_true(fabs(stt.sd - 0.3383782) < 1e-7);
    assert_true(fabs(dec[2].z - 1.3061041) < 1e-7);
    assert_true(fabs(dec[0].z + 1.1226999) < 1e-7);
    assert_int_equal(dec[2].band, 1);
    assert_int_equal(dec[0].band, 2);
    assert_int_equal(dec[1].band, 2);
    /* one step below the lower of the two: sqrt 5 is above both */
    bands[0].bound_x10000 = 13060;
    assert_int_equal(zband_decide(&s, &c, v, 3, &stt, dec), 0);
    assert_int_equal(dec[2].band, 0);
    zband_clear(v, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_risk_liquidity), cmocka_unit_test(test_risk_survival),
        cmocka_unit_test(test_median_and_sd),  cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_grade_boundaries), cmocka_unit_test(test_mini_region),
        cmocka_unit_test(test_cmi), cmocka_unit_test(test_cmi_level_without_target),
        cmocka_unit_test(test_eclaim_of_one_claim),            cmocka_unit_test(test_cmi_by_hand),
        cmocka_unit_test(test_cmp_root_signs), cmocka_unit_test(test_decide_issue_region),
        cmocka_unit_test(test_threshold_exact), cmocka_unit_test(test_band_never_past_the_last),
        cmocka_unit_test(test_bands_of_irrational_roots),
    };
    return cmocka_run_group_tests_name("scoring", tests, NULL, NULL);
}
