/* Schemes, criteria and values built in code for zband_decide, shared by
 * test_scoring, test_edges and zband_cases (no file read): one place for
 * the fields a built scheme needs, so a test shows only what it varies. */
#ifndef KHET_TESTS_ZBAND_FIXTURE_H
#define KHET_TESTS_ZBAND_FIXTURE_H

#include <stddef.h>

#include "scoring.h"
#include "zband.h"

/* A scheme of `n` bands (none for a threshold row) with k = 1, the
 * population SD and no band for too few provinces. */
static inline scheme zband_scheme(band_def *bands, size_t n)
{
    scheme s = {0};
    s.too_few_band = -1;
    s.band_k_x10000 = 10000;
    s.bands = bands;
    s.nbands = n;
    return s;
}

/* One criterion row of 100 points: `rule`, higher or (lower) lower is better. */
static inline criterion_def zband_criterion(score_rule rule, int lower)
{
    criterion_def c = {0};
    c.rule = rule;
    c.dir = lower ? DIR_LOWER : DIR_HIGHER;
    c.max_cp = 10000;
    return c;
}

/* v[0..n-1] = num[i] / den, each a value (root: its square), initialised:
 * zband_clear them. */
static inline void zband_values(zb_value *v, size_t n, const unsigned long *num, unsigned long den, int root)
{
    for (size_t i = 0; i < n; i++) {
        v[i].has = 1;
        v[i].root = root;
        mpq_init(v[i].q);
        mpq_set_ui(v[i].q, num[i], den);
        mpq_canonicalize(v[i].q);
    }
}

static inline void zband_clear(zb_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpq_clear(v[i].q);
}

#endif
