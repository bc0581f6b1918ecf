/* zband: the Mean ± k·SD bands, the thresholds and the linear rules of a
 * criterion decided exactly, in rational arithmetic (GMP's mpq_t).
 *
 * Owns the region statistics of a criterion (mean, variance, whether the SD
 * exists) and every comparison that gives a province its points. Every
 * measure is a ratio of integers (satang, counts), so a province's value is
 * a rational number, and so are the region's mean and variance; "z >= b" is
 * d >= b·k·SD with d the province's signed distance from the mean, decided by
 * comparing d² with (b·k)²·variance, minding the signs. No rounded z decides
 * anything: doubles are made only for printing.
 *
 * One measure, ebitda_sd, is itself a standard deviation: the square root of
 * a rational. Its values are held as their squares; when they are all
 * rational multiples of one square root (equal values, perfect squares, the
 * usual ties), they are scaled to rationals (a band does not change when
 * every value is multiplied by the same positive number) and decided exactly;
 * otherwise they are decided in 1024-bit floating point over the values in
 * sorted order (row order then changes nothing, and two provinces with
 * equal squares still have equal values).
 */
#ifndef KHET_ZBAND_H
#define KHET_ZBAND_H

#include <gmp.h>
#include <stddef.h>

#include "scoring.h"

/* A province's exact value of one criterion. */
typedef struct {
    int has;    /* the province has a value */
    int root;   /* q holds the square of the value (ebitda_sd) */
    mpq_t q;    /* the value, or its square */
} zb_value;

/* The value as a double, for printing. */
double zb_value_double(const zb_value *v);

/* Region statistics of one criterion, for printing and the JSON. */
typedef struct {
    size_t n;        /* provinces with a value */
    int sd_defined;  /* n >= 2 for the sample SD, n >= 1 for the population SD */
    int too_few;     /* 0 < n < score_min_provinces(): a zband criterion cannot be banded */
    double mean, sd; /* meaningful when n > 0 / sd_defined */
} zb_stats;

/* Decides the criterion `c` of scheme `s` for `np` provinces: for each
 * province with a value, its band (zband rule, -1 otherwise), its z (for
 * printing, signed so that positive is better) and its share of the
 * criterion's points: share_bp for bands, thresholds and pass/fail rows, or
 * for a linear rule the points themselves in centipoints (points_cp,
 * rounded half up as the scheme says). A zband criterion with too few
 * provinces (st->too_few) gets the scheme's too_few_band, or no band and
 * share_bp -2 (undecided). Returns 0, or -1 when memory runs out. */
typedef struct {
    int band;
    double z;
    int64_t share_bp;  /* -1 for a linear rule: see points_cp; -2 undecided */
    int64_t points_cp; /* linear rule only */
} zb_decision;

int zband_decide(const scheme *s, const criterion_def *c, const zb_value *v, size_t np, zb_stats *st,
                 zb_decision *out);

/* The sign of d - t·sqrt(var) (var >= 0), exactly. Exposed for tests. */
int zband_cmp_root(const mpq_t d, const mpq_t t, const mpq_t var);

#endif
