/* Figures you can sign (issue 9): equal values give SD 0 and z 0 exactly,
 * any number of provinces, sums of money that cannot overflow unnoticed,
 * schemes checked like data. Expected figures are derived by hand here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scoring.h"

/* ---- equal values ---- */

/* The naive mean: what khet used to compute. */
static double naive_mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

static void test_equal_values(void **st)
{
    (void)st;
    /* values that binary floating point cannot hold exactly */
    const double cases[] = {0.1, 1.0 / 3, 2.0 / 3, 0.7, 93.45, 1e-7 / 3, 123456.789};
    const size_t counts[] = {7, 5, 9, 13, 77, 3, 11};
    int naive_wrong = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double v[77];
        for (size_t i = 0; i < counts[c]; i++)
            v[i] = cases[c];
        assert_true(score_mean(v, counts[c]) == cases[c]);
        assert_true(score_sd(v, counts[c], 1) == 0.0);
        assert_true(score_sd(v, counts[c], 0) == 0.0);
        naive_wrong |= naive_mean(v, counts[c]) != cases[c];
    }
    /* the test has teeth: at least one case is wrong the naive way */
    assert_true(naive_wrong);
}

/* Nearly equal values keep their (tiny) spread, computed accurately:
 * 1, 1+e, 1+2e: mean 1+e, population SD e*sqrt(2/3). */
static void test_nearly_equal(void **st)
{
    (void)st;
    double e = 1.0 / 1024 / 1024; /* exact in binary */
    double v[] = {1, 1 + e, 1 + 2 * e};
    assert_true(score_mean(v, 3) == 1 + e);
    assert_true(fabs(score_sd(v, 3, 0) - e * sqrt(2.0 / 3)) < 1e-6 * e);
    assert_true(fabs(score_sd(v, 3, 1) - e) < 1e-6 * e); /* sample: sqrt(2e^2/2) */
}

/* The mean to the last bit: for these percentages the float sum loses a
 * bit and the naive mean is one unit in the last place off; the second
 * pass brings it back to the double nearest the exact mean. The expected
 * means were worked out outside khet with exact fractions (Python's
 * fractions.Fraction of each double, summed, divided, rounded to nearest).
 * A mean a bit off puts a province that stands exactly at the mean at
 * z != 0, and one exactly on a band edge on the wrong side of it. */
static void test_mean_to_the_last_bit(void **st)
{
    (void)st;
    static const double a[] = {24.71, 64.68, 7.91, 11.86, 87.79, 15.42, 59.91};
    static const double b[] = {90.28, 69.55, 9.68, 92.64, 20.28};
    static const double c[] = {81.11, 56.27, 73.53, 47.17, 99.77, 11.99, 19.34, 83.87, 68.5};
    static const double d[] = {12.71, 91.43, 93.88, 51.4, 55.72, 57.37, 97.38, 81.37, 95.01};
    const struct {
        const double *v;
        size_t n;
        double mean;
    } cases[] = {{a, 7, 0x1.372d593bfa261p+5}, {b, 5, 0x1.c3e353f7ced91p+5},
                 {c, 9, 0x1.e160b60b60b61p+5}, {d, 9, 0x1.1ac962fc962fdp+6}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_true(score_mean(cases[i].v, cases[i].n) == cases[i].mean);
        assert_true(naive_mean(cases[i].v, cases[i].n) != cases[i].mean); /* the case has teeth */
    }
}

/* ---- a hand-built region: n provinces, one F2 hospital each ---- */

typedef struct {
    dataset ds;
    char names[200][16];
} region;

/* Every hospital: NWC 100 baht, monthly expense 300 baht -> NWC ratio 1/3
 * (not representable), revenue = expense. `odd` makes province 0 differ. */
static region *make_region(size_t n, int odd)
{
    region *g = calloc(1, sizeof *g);
    assert_non_null(g);
    dataset *ds = &g->ds;
    ds->fiscal_year = 2563;
    ds->last_month = FY_MONTHS - 1;
    ds->provinces = calloc(n, sizeof *ds->provinces);
    ds->hospitals = calloc(n, sizeof *ds->hospitals);
    assert_non_null(ds->provinces);
    assert_non_null(ds->hospitals);
    ds->nprovinces = ds->nhospitals = n;
    for (size_t p = 0; p < n; p++) {
        province *pv = &ds->provinces[p];
        snprintf(pv->code, sizeof pv->code, "%02u", (unsigned)(10 + p % 90));
        snprintf(g->names[p], sizeof g->names[p], "P%zu", p);
        pv->name_th = pv->name_en = g->names[p];
        pv->region = 8;
        pv->reserved_satang = 100000000; /* 1,000,000 baht */
        hospital *h = &ds->hospitals[p];
        snprintf(h->code, sizeof h->code, "%05u", (unsigned)(10000 + p % 90000));
        h->name_th = g->names[p];
        h->province = p;
        h->level = LEVEL_F2;
        h->eff7_passed = -1;
        for (int m = 0; m < FY_MONTHS; m++) {
            finance_month *f = &h->fin[m];
            f->line = m + 2;
            f->cash = 10000 + (odd && p == 0 ? 50000 : 0);
            f->current_liabilities = 0;
            f->revenue = f->expense = 30000;
        }
    }
    return g;
}

static void free_region(region *g)
{
    free(g->ds.provinces);
    free(g->ds.hospitals);
    free(g);
}

static scheme *finance_scheme(void)
{
    diag_ctx *d = diag_new();
    scheme *s = scheme_load("templates/finance-r8-2563", d);
    if (!s)
        diag_print(d, stderr);
    diag_free(d);
    assert_non_null(s);
    return s;
}

static long criterion_of(const scheme *s, measure_id m)
{
    for (size_t i = 0; i < s->ncriteria; i++)
        if (s->criteria[i].measure == m)
            return (long)i;
    return -1;
}

static void test_equal_provinces_score_equal(void **st)
{
    (void)st;
    scheme *s = finance_scheme();
    long c = criterion_of(s, M_NWC_RATIO);
    assert_true(c >= 0);
    for (size_t n = 2; n <= 90; n += 11) {
        region *g = make_region(n, 0);
        diag_ctx *d = diag_new();
        score_result *r = score_run(s, &g->ds, 8, -1, d);
        assert_non_null(r);
        assert_int_equal(r->nprovinces, n);
        assert_true(r->crit_sd[c] == 0.0);
        assert_true(r->crit_mean[c] == r->provinces[0].crit[c].value);
        for (size_t p = 0; p < n; p++) {
            assert_true(r->provinces[p].crit[c].z == 0.0);
            /* the "within" band: 75 % of 100 points */
            assert_int_equal(r->provinces[p].crit[c].band, 1);
            assert_int_equal(r->provinces[p].crit[c].points_cp, 7500);
        }
        score_result_free(r);
        diag_free(d);
        free_region(g);
    }
    scheme_free(s);
}

/* 77 provinces, one of them different: the mean and SD are over all 77
 * (khet once took only the first 64). Province 0 has NWC 600 baht against
 * 300 of expense (ratio 2), the others 1/3. */
static void test_many_provinces(void **st)
{
    (void)st;
    scheme *s = finance_scheme();
    long c = criterion_of(s, M_NWC_RATIO);
    const size_t n = 77;
    region *g = make_region(n, 1);
    diag_ctx *d = diag_new();
    score_result *r = score_run(s, &g->ds, 8, -1, d);
    assert_non_null(r);
    assert_int_equal(r->crit_n[c], n);
    double hi = 2.0, lo = 1.0 / 3;
    double mean = (hi + (n - 1) * lo) / n;
    double ss = (hi - mean) * (hi - mean) + (n - 1) * (lo - mean) * (lo - mean);
    double sd = sqrt(ss / (n - 1));
    assert_true(fabs(r->crit_mean[c] - mean) < 1e-12);
    assert_true(fabs(r->crit_sd[c] - sd) < 1e-12);
    assert_true(fabs(r->provinces[0].crit[c].z - (hi - mean) / sd) < 1e-9);
    assert_true(fabs(r->provinces[76].crit[c].z - (lo - mean) / sd) < 1e-9);
    assert_int_equal(r->provinces[0].crit[c].band, 0); /* better than the range */
    score_result_free(r);
    diag_free(d);
    free_region(g);
    scheme_free(s);
}

/* A province sum of NWC that leaves int64 is refused, not wrapped. */
static void test_money_overflow(void **st)
{
    (void)st;
    scheme *s = finance_scheme();
    region *g = make_region(2, 0);
    /* model bounds each cell at 10^14 satang, so build the sum directly:
     * three hospitals of 4 x 10^18 satang receivables in province 0 add up
     * past int64's 9.2 x 10^18 */
    dataset *ds = &g->ds;
    hospital *h = realloc(ds->hospitals, 4 * sizeof *h);
    assert_non_null(h);
    ds->hospitals = h;
    h[2] = h[3] = h[0];
    ds->nhospitals = 4;
    for (int k = 0; k < 4; k += k ? 1 : 2)
        for (int m = 0; m < FY_MONTHS; m++)
            h[k].fin[m].receivables = 4000000000000000000LL;
    diag_ctx *d = diag_new();
    assert_null(score_run(s, ds, 8, -1, d));
    assert_true(diag_errors(d) > 0);
    assert_int_equal(diag_system_errors(d), 0); /* bad input, not a machine failure */
    diag_free(d);
    free_region(g);
    scheme_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_values),         cmocka_unit_test(test_nearly_equal),
        cmocka_unit_test(test_mean_to_the_last_bit),
        cmocka_unit_test(test_equal_provinces_score_equal), cmocka_unit_test(test_many_provinces),
        cmocka_unit_test(test_money_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
