/* Edges of the money rules that the sample data never reaches, each worked
 * out by hand from the rule (make mutate's survivors showed them untested):
 * a first value unlike the rest, a grade boundary of 0 %, a score below
 * every grade and band, one satang of current liabilities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "datafolder.h"
#include "scoring.h"
#include "zband.h"
#include "zband_fixture.h"

/* A grade "above 0 %" takes any positive score, but a score of exactly 0 %
 * is not above 0: it falls to the next grade (percentage strictly above). */
static void test_grade_above_zero_is_strict(void **st)
{
    (void)st;
    grade_def g[3];
    memset(g, 0, sizeof g);
    g[0].above_x100 = 8000; /* A: above 80 % */
    g[1].above_x100 = 0;    /* B: above 0 % */
    g[2].above_x100 = -1;   /* F: otherwise */
    scheme s;
    memset(&s, 0, sizeof s);
    s.grades = g;
    s.ngrades = 3;
    assert_int_equal(score_grade(&s, 0, 10000), 2);    /* 0 of 100 points: F, not B */
    assert_int_equal(score_grade(&s, 1, 10000), 1);    /* 0.01 %: B */
    assert_int_equal(score_grade(&s, 8000, 10000), 1); /* exactly 80 %: not above 80 */
    assert_int_equal(score_grade(&s, 8001, 10000), 0);
}

/* With no "otherwise" row a score below every boundary takes the last grade
 * or band (the lowest), never one past the end. */
static void test_below_every_boundary_is_the_last(void **st)
{
    (void)st;
    grade_def *g = calloc(2, sizeof *g); /* on the heap: reading past it shows under ASan */
    band_def *b = calloc(2, sizeof *b);
    assert_non_null(g);
    assert_non_null(b);
    g[0].above_x100 = 5000;
    g[1].above_x100 = 2000;
    b[0].bound = 1.0;
    b[0].bound_x10000 = 10000;
    b[1].bound = 0.0;
    scheme s;
    memset(&s, 0, sizeof s);
    s.grades = g;
    s.ngrades = 2;
    s.bands = b;
    s.nbands = 2;
    assert_int_equal(score_grade(&s, 1000, 10000), 1); /* 10 %: below 20 % too */
    assert_int_equal(score_band(&s, -3.0), 1);         /* z = -3 is below both bounds */
    assert_int_equal(score_band(&s, 1.0), 0);          /* z >= 1 */
    free(g);
    free(b);
}

/* One satang of current liabilities and nothing to meet it: every ratio is
 * 0, so all three liquidity points count (only cl = 0 means "no risk"). */
static void test_one_satang_of_liabilities(void **st)
{
    (void)st;
    hospital h;
    memset(&h, 0, sizeof h);
    for (int m = 0; m < 3; m++) {
        h.fin[m].line = m + 2;
        h.fin[m].revenue = 1000010; /* NI > 0: no survival points */
        h.fin[m].expense = 1000000;
    }
    h.fin[2].cash = 1000000; /* NWC > 0 */
    h.fin[2].current_liabilities = 1;
    int with_cash = score_risk(&h, 2);
    h.fin[2].cash = 0;
    h.fin[2].other_current_assets = 1000000; /* NWC > 0 still, but no cash or receivables */
    int without = score_risk(&h, 2);
    assert_int_equal(with_cash, 0); /* CR, QR and cash ratio all huge */
    assert_int_equal(without, 2);   /* QR 0 < 1 and cash ratio 0 < 0.8; CR is huge */
}

/* The first value differs from the rest that agree: not "all equal". The
 * mean of 5, 3, 3 is 11/3 and its population SD sqrt(8/9), by hand. */
static void test_first_value_differs(void **st)
{
    (void)st;
    const double v[] = {5, 3, 3};
    assert_true(fabs(score_mean(v, 3) - 11.0 / 3.0) < 1e-12);
    assert_true(fabs(score_sd(v, 3, 0) - sqrt(8.0 / 9.0)) < 1e-12);
    const double w[] = {3, 3, 3};
    assert_true(score_mean(w, 3) == 3.0 && score_sd(w, 3, 1) == 0.0);
}

/* The median of an odd count is the middle value once sorted, of an even
 * count the mean of the two middle ones; by hand, for counts past 3 (where
 * n / 2 and n / 3 first differ). */
static void test_median_of_five_and_six(void **st)
{
    (void)st;
    double five[] = {9, 1, 7, 3, 5}; /* sorted 1 3 5 7 9 */
    assert_true(score_median(five, 5) == 5.0);
    double six[] = {12, 2, 10, 4, 8, 6}; /* sorted 2 4 6 8 10 12 */
    assert_true(score_median(six, 6) == 7.0);
    double seven[] = {70, 10, 60, 20, 50, 30, 40};
    assert_true(score_median(seven, 7) == 40.0);
}

/* The TB checks pass when the mean of the months' scores reaches the mark:
 * one month at the mark less 0.01 fails, one at the mark passes (the sum
 * starts at nothing). Hospital 00101 of the mini region, its TB rows set
 * here: October only. */
static void test_tb_pass_at_the_mark(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/mini", NULL, d);
    scheme *s = scheme_load("templates/kpi66-r12-2563", d);
    assert_non_null(ds);
    assert_non_null(s);
    int64_t mark = s->tb_pass_x100;
    assert_true(mark > 0);
    hospital *h = &ds->hospitals[0];
    memset(h->tb, 0, sizeof h->tb);
    h->tb[0] = (tb_month){2, mark - 1, mark};
    score_result *r = score_run(s, ds, 1, -1, d);
    assert_non_null(r);
    const hospital_result *hr = NULL;
    for (size_t i = 0; i < r->nhospitals; i++)
        if (r->hospitals[i].hospital == 0)
            hr = &r->hospitals[i];
    assert_non_null(hr);
    assert_true(hr->has_tb);
    assert_true(hr->tb_electronic == (double)(mark - 1) / 100.0);
    assert_false(hr->tb_electronic_pass);
    assert_true(hr->tb_mapping == (double)mark / 100.0);
    assert_true(hr->tb_mapping_pass);
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* A scheme may claw back from its top grade too: province 11 of the mini
 * region, graded A (87.5 %), with A's rate set to 15 % here, gives back
 * 15 % of its 1,000.00 baht: 150.00 baht, and keeps 850.00. */
static void test_top_grade_claws_back_its_rate(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/mini", NULL, d);
    scheme *s = scheme_load(FIXTURES "/mini-scheme", d);
    assert_non_null(ds);
    assert_non_null(s);
    assert_string_equal(s->grades[0].grade, "A");
    s->grades[0].rate_bp = 1500;
    score_result *r = score_run(s, ds, 1, -1, d);
    assert_non_null(r);
    assert_int_equal(r->provinces[0].grade, 0);
    assert_int_equal(r->provinces[0].reserved_satang, 100000);
    assert_int_equal(r->provinces[0].clawback_satang, 15000);
    assert_int_equal(r->provinces[0].kept_satang, 85000);
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* Ranks in a region that holds every province of the data (the results'
 * array then has no spare room: a read past its end shows under ASan):
 * each province's rank is one more than the number of provinces with a
 * higher total, worked out here from the totals. */
static void test_ranks_when_the_region_is_all_the_data(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/oracle-r8", NULL, d);
    scheme *s = scheme_load("templates/finance-r8-2563", d);
    assert_non_null(ds);
    assert_non_null(s);
    score_result *r = score_run(s, ds, 8, -1, d);
    assert_non_null(r);
    assert_int_equal(r->nprovinces, ds->nprovinces);
    for (size_t p = 0; p < r->nprovinces; p++) {
        int higher = 0;
        for (size_t q = 0; q < r->nprovinces; q++)
            higher += r->provinces[q].total_cp > r->provinces[p].total_cp;
        assert_int_equal(r->provinces[p].rank, higher + 1);
    }
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* The CMI counts per hospital level, of the region and of each province:
 * the hospitals of that level with a CMI and a target, and how many of them
 * reach it, counted here from the hospitals' own results (the sample
 * data, Region 12's KPI scheme). */
static void test_cmi_counts_per_level(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load("data", NULL, d);
    scheme *s = scheme_load("templates/kpi66-r12-2563", d);
    assert_non_null(ds);
    assert_non_null(s);
    score_result *r = score_run(s, ds, 0, -1, d);
    assert_non_null(r);
    int passed_somewhere = 0;
    for (int l = 0; l < LEVEL_COUNT; l++) {
        int n = 0, pass = 0;
        for (size_t i = 0; i < r->nhospitals; i++) {
            const hospital_result *h = &r->hospitals[i];
            if ((int)ds->hospitals[h->hospital].level == l && h->has_cmi && h->cmi_target_x1000 > 0) {
                n++;
                pass += h->cmi_pass;
            }
        }
        assert_int_equal(r->cmi_level_n[l], n);
        assert_int_equal(r->cmi_level_pass[l], pass);
        int pn = 0, pp = 0;
        for (size_t p = 0; p < r->nprovinces; p++) {
            pn += r->provinces[p].cmi_level_n[l];
            pp += r->provinces[p].cmi_level_pass[l];
        }
        assert_int_equal(pn, n);
        assert_int_equal(pp, pass);
        passed_somewhere += pass > 0;
    }
    assert_true(passed_somewhere > 0); /* not a count of nothing */
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* The SD is defined from two values for the sample SD and from one for the
 * population SD: 96 and 64 have a sample SD of sqrt(512) (mean 80, squares
 * 256 + 256 over 1), a lone 70 a population SD of 0. */
static void test_sd_defined_from_two_values(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    scheme *s = scheme_load(FIXTURES "/mini-scheme", d);
    assert_non_null(s);
    assert_true(s->sd_sample);
    zb_value v[2];
    zband_values(v, 2, (const unsigned long[]){96, 64}, 1, 0);
    zb_stats z;
    zb_decision out[2];
    assert_int_equal(zband_decide(s, &s->criteria[0], v, 2, &z, out), 0);
    assert_int_equal(z.n, 2);
    assert_true(z.sd_defined);
    assert_true(fabs(z.mean - 80) < 1e-12 && fabs(z.sd - sqrt(512.0)) < 1e-12);
    s->sd_sample = 0;
    mpq_set_ui(v[0].q, 70, 1);
    assert_int_equal(zband_decide(s, &s->criteria[0], v, 1, &z, out), 0);
    assert_int_equal(z.n, 1);
    assert_true(z.sd_defined);
    assert_true(z.mean == 70 && z.sd == 0);
    zband_clear(v, 2);
    scheme_free(s);
    diag_free(d);
}

/* Too few provinces for the SD, the scheme naming a band for the case:
 * every province gets that band's share, the first band (too_few_provinces
 * = band 1) as much as any other; with no_grade none. */
static void test_too_few_provinces_take_the_named_band(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    scheme *s = scheme_load(FIXTURES "/mini-scheme", d);
    assert_non_null(s);
    s->min_provinces = 3;
    zb_value v[2];
    zband_values(v, 2, (const unsigned long[]){60, 90}, 1, 0);
    zb_stats z;
    zb_decision out[2];
    const criterion_def *c = &s->criteria[0];
    assert_int_equal(c->rule, RULE_ZBAND);
    for (int band = -1; band < (int)s->nbands; band++) {
        s->too_few_band = band;
        assert_int_equal(zband_decide(s, c, v, 2, &z, out), 0);
        assert_true(z.too_few);
        for (int i = 0; i < 2; i++) {
            assert_int_equal(out[i].band, band);
            assert_int_equal(out[i].share_bp, band >= 0 ? s->bands[band].share_bp : -2);
            assert_true(out[i].z == 0);
        }
    }
    zband_clear(v, 2);
    scheme_free(s);
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_first_value_differs),
                                       cmocka_unit_test(test_too_few_provinces_take_the_named_band),
                                       cmocka_unit_test(test_median_of_five_and_six),
                                       cmocka_unit_test(test_tb_pass_at_the_mark),
                                       cmocka_unit_test(test_top_grade_claws_back_its_rate),
                                       cmocka_unit_test(test_ranks_when_the_region_is_all_the_data),
                                       cmocka_unit_test(test_cmi_counts_per_level),
                                       cmocka_unit_test(test_sd_defined_from_two_values),
                                       cmocka_unit_test(test_grade_above_zero_is_strict),
                                       cmocka_unit_test(test_below_every_boundary_is_the_last),
                                       cmocka_unit_test(test_one_satang_of_liabilities)};
    return cmocka_run_group_tests_name("edges", tests, NULL, NULL);
}
