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

#include "scoring.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_first_value_differs),
                                       cmocka_unit_test(test_median_of_five_and_six),
                                       cmocka_unit_test(test_grade_above_zero_is_strict),
                                       cmocka_unit_test(test_below_every_boundary_is_the_last),
                                       cmocka_unit_test(test_one_satang_of_liabilities)};
    return cmocka_run_group_tests_name("edges", tests, NULL, NULL);
}
