/* Exact band decisions (see zband.h): rationals in, bands and points out. */
#include <math.h>
#include <stdlib.h>

#include "zband.h"

#define MPF_BITS 1024

double zb_value_double(const zb_value *v)
{
    double d = mpq_get_d(v->q);
    return v->root ? sqrt(d) : d;
}

/* x = n / 10^4 */
static void set_x10000(mpq_t x, int64_t n)
{
    mpq_set_si(x, (long)n, 10000);
    mpq_canonicalize(x);
}

int zband_cmp_root(const mpq_t d, const mpq_t t, const mpq_t var)
{
    int sd = mpq_sgn(d), st = mpq_sgn(t);
    if (!mpq_sgn(var) || !st)
        return sd; /* t·sqrt(var) = 0 */
    if (!sd)
        return -st;
    if (sd != st)
        return sd; /* d and -t·sqrt(var) have the same sign */
    mpq_t a, b;
    mpq_inits(a, b, NULL);
    mpq_mul(a, d, d);
    mpq_mul(b, t, t);
    mpq_mul(b, b, var);
    int c = mpq_cmp(a, b);
    mpq_clears(a, b, NULL);
    c = (c > 0) - (c < 0);
    return sd > 0 ? c : -c; /* both negative: the larger square is the smaller number */
}

/* The same in floating point (the irrational fallback of ebitda_sd). */
static int cmp_root_f(const mpf_t d, const mpf_t t, const mpf_t var)
{
    int sd = mpf_sgn(d), st = mpf_sgn(t);
    if (!mpf_sgn(var) || !st)
        return sd;
    if (!sd)
        return -st;
    if (sd != st)
        return sd;
    mpf_t a, b;
    mpf_init2(a, MPF_BITS);
    mpf_init2(b, MPF_BITS);
    mpf_mul(a, d, d);
    mpf_mul(b, t, t);
    mpf_mul(b, b, var);
    int c = mpf_cmp(a, b);
    mpf_clear(a);
    mpf_clear(b);
    c = (c > 0) - (c < 0);
    return sd > 0 ? c : -c;
}

/* sqrt(q) when q is the square of a rational (q >= 0). */
static int rational_root(mpq_t out, const mpq_t q)
{
    if (mpq_sgn(q) < 0 || !mpz_perfect_square_p(mpq_numref(q)) || !mpz_perfect_square_p(mpq_denref(q)))
        return 0;
    mpz_sqrt(mpq_numref(out), mpq_numref(q));
    mpz_sqrt(mpq_denref(out), mpq_denref(q));
    mpq_canonicalize(out);
    return 1;
}

/* Whether value i is at or above (strict: above) the band boundary
 * z = bound: d >= bound·k·SD with d the signed distance from the mean. */
static int band_holds(const band_def *b, int cmp)
{
    return b->otherwise || (b->strict ? cmp > 0 : cmp >= 0);
}

static int first_band(const scheme *s, const int *cmps)
{
    size_t i = 0;
    while (i + 1 < s->nbands && !band_holds(&s->bands[i], cmps[i]))
        i++;
    return (int)i; /* the last band is 'otherwise' (the scheme check makes sure) */
}

/* ---- the region's values as rationals ---- */

typedef struct {
    mpq_t *x;             /* per province (has only) */
    double offset, scale; /* the printed value is offset + x · scale */
} rvals;

/* Two distinct roots (any others equal to one of them): 0 and 1 in their
 * order. z does not change under x -> a + b·x with b > 0, and with two
 * values it depends on their counts alone (half and half is exactly ±1
 * under the population SD, whatever the roots). */
static int two_roots(const zb_value *v, size_t np, rvals *r)
{
    size_t lo = np, hi = np;
    for (size_t i = 0; i < np; i++) {
        if (!v[i].has)
            continue;
        if (lo == np)
            lo = i;
        else if (!mpq_equal(v[i].q, v[lo].q) && hi == np)
            hi = i;
        else if (!mpq_equal(v[i].q, v[lo].q) && !mpq_equal(v[i].q, v[hi].q))
            return 0;
    }
    if (hi == np)
        return 0;
    if (mpq_cmp(v[lo].q, v[hi].q) > 0) {
        size_t t = lo;
        lo = hi;
        hi = t;
    }
    for (size_t i = 0; i < np; i++)
        if (v[i].has)
            mpq_set_ui(r->x[i], mpq_equal(v[i].q, v[hi].q) ? 1 : 0, 1);
    r->offset = sqrt(mpq_get_d(v[lo].q));
    r->scale = sqrt(mpq_get_d(v[hi].q)) - r->offset;
    return 1;
}

/* Turns the values into rationals: themselves, or for square roots the roots
 * of their ratios to one of them, or two distinct roots as 0 and 1. 1 when
 * that worked, 0 when three or more roots are irrational multiples of one
 * another (an exact tie then needs square roots of different numbers to
 * cancel, which they cannot: the floating-point fallback decides). */
static int to_rationals(const zb_value *v, size_t np, rvals *r)
{
    r->offset = 0;
    r->scale = 1;
    size_t ref = np;
    for (size_t i = 0; i < np; i++)
        if (v[i].has && v[i].root && mpq_sgn(v[i].q) && ref == np)
            ref = i;
    mpq_t ratio;
    mpq_init(ratio);
    int ok = 1;
    for (size_t i = 0; ok && i < np; i++) {
        if (!v[i].has)
            continue;
        if (!v[i].root)
            mpq_set(r->x[i], v[i].q);
        else if (ref == np)
            mpq_set_ui(r->x[i], 0, 1); /* every square is 0 */
        else {
            mpq_div(ratio, v[i].q, v[ref].q);
            ok = rational_root(r->x[i], ratio);
        }
    }
    if (ref < np)
        r->scale = sqrt(mpq_get_d(v[ref].q));
    mpq_clear(ratio);
    return ok || two_roots(v, np, r);
}

/* ---- decisions ---- */

static int decide_zband_q(const scheme *s, const criterion_def *c, const zb_value *v, size_t np, rvals *r,
                          zb_stats *st, zb_decision *out, int *cmps)
{
    mpq_t *tb = malloc((s->nbands + 1) * sizeof *tb); /* each band's bound times k, the same for every province */
    if (!tb)
        return -1;
    mpq_t sum, mean, var, d, k, dev, z2;
    mpq_inits(sum, mean, var, d, k, dev, z2, NULL);
    for (size_t i = 0; i < np; i++)
        if (v[i].has)
            mpq_add(sum, sum, r->x[i]);
    if (st->n) {
        mpq_set_ui(dev, (unsigned long)st->n, 1);
        mpq_div(mean, sum, dev);
    }
    for (size_t i = 0; i < np; i++)
        if (v[i].has) {
            mpq_sub(dev, r->x[i], mean);
            mpq_mul(dev, dev, dev);
            mpq_add(var, var, dev);
        }
    if (st->sd_defined) {
        mpq_set_ui(dev, (unsigned long)(st->n - (size_t)s->sd_sample), 1);
        mpq_div(var, var, dev);
    } else {
        mpq_set_ui(var, 0, 1);
    }
    st->mean = r->offset + mpq_get_d(mean) * r->scale;
    st->sd = sqrt(mpq_get_d(var)) * r->scale;
    set_x10000(k, s->band_k_x10000);
    mpq_mul(z2, k, k);
    mpq_mul(z2, z2, var); /* (k·SD)² */
    for (size_t b = 0; b < s->nbands; b++) {
        mpq_init(tb[b]);
        set_x10000(tb[b], s->bands[b].bound_x10000);
        mpq_mul(tb[b], tb[b], k);
    }
    for (size_t i = 0; i < np; i++) {
        if (!v[i].has)
            continue;
        if (c->dir == DIR_LOWER)
            mpq_sub(d, mean, r->x[i]);
        else
            mpq_sub(d, r->x[i], mean);
        for (size_t b = 0; b < s->nbands; b++) /* SD = 0: every province at the mean, z = 0 against the bound */
            cmps[b] = mpq_sgn(var) ? zband_cmp_root(d, tb[b], var) : -mpq_sgn(tb[b]);
        out[i].band = first_band(s, cmps);
        if (mpq_sgn(z2)) { /* z = d / (k·SD): its square is exact, so z = ±1 prints as 1 */
            mpq_mul(dev, d, d);
            mpq_div(dev, dev, z2);
            out[i].z = (mpq_sgn(d) < 0 ? -1 : 1) * sqrt(mpq_get_d(dev));
        } else {
            out[i].z = 0; /* every province at the mean */
        }
    }
    mpq_clears(sum, mean, var, d, k, dev, z2, NULL);
    for (size_t b = 0; b < s->nbands; b++)
        mpq_clear(tb[b]);
    free(tb);
    return 0;
}

static int cmp_mpf(const void *a, const void *b) { return mpf_cmp(*(const mpf_t *)a, *(const mpf_t *)b); }

/* ebitda_sd whose roots are irrational multiples of one another: 1024 bits,
 * summed in sorted order. */
static int decide_zband_f(const scheme *s, const criterion_def *c, const zb_value *v, size_t np, zb_stats *st,
                          zb_decision *out, int *cmps)
{
    mpf_t *x = malloc((np + 1) * sizeof *x), *sorted = malloc((np + 1) * sizeof *sorted);
    if (!x || !sorted) {
        free(x);
        free(sorted);
        return -1;
    }
    mpf_t sum, mean, var, d, t, k, dev;
    mpf_init2(sum, MPF_BITS);
    mpf_init2(mean, MPF_BITS);
    mpf_init2(var, MPF_BITS);
    mpf_init2(d, MPF_BITS);
    mpf_init2(t, MPF_BITS);
    mpf_init2(k, MPF_BITS);
    mpf_init2(dev, MPF_BITS);
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        mpf_init2(x[i], MPF_BITS);
        if (v[i].has) {
            mpf_set_q(x[i], v[i].q);
            mpf_sqrt(x[i], x[i]);
            mpf_init2(sorted[n], MPF_BITS);
            mpf_set(sorted[n++], x[i]);
        }
    }
    qsort(sorted, n, sizeof *sorted, cmp_mpf);
    for (size_t i = 0; i < n; i++)
        mpf_add(sum, sum, sorted[i]);
    mpf_div_ui(mean, sum, (unsigned long)n);
    for (size_t i = 0; i < n; i++) {
        mpf_sub(dev, sorted[i], mean);
        mpf_mul(dev, dev, dev);
        mpf_add(var, var, dev);
    }
    if (st->sd_defined)
        mpf_div_ui(var, var, (unsigned long)(n - (size_t)s->sd_sample));
    else
        mpf_set_ui(var, 0);
    st->mean = mpf_get_d(mean);
    st->sd = sqrt(mpf_get_d(var));
    mpf_set_si(k, (long)s->band_k_x10000);
    mpf_div_ui(k, k, 10000);
    for (size_t i = 0; i < np; i++) {
        if (!v[i].has)
            continue;
        if (c->dir == DIR_LOWER)
            mpf_sub(d, mean, x[i]);
        else
            mpf_sub(d, x[i], mean);
        for (size_t b = 0; b < s->nbands; b++) {
            mpf_set_si(t, (long)s->bands[b].bound_x10000);
            mpf_div_ui(t, t, 10000);
            mpf_mul(t, t, k);
            cmps[b] = mpf_sgn(var) ? cmp_root_f(d, t, var) : -mpf_sgn(t);
        }
        out[i].band = first_band(s, cmps);
        /* the SD is above 0 here: this fallback runs only for three or more
         * mutually irrational roots, which differ */
        out[i].z = mpf_get_d(d) / (st->sd * mpf_get_d(k));
    }
    for (size_t i = 0; i < np; i++)
        mpf_clear(x[i]);
    for (size_t i = 0; i < n; i++)
        mpf_clear(sorted[i]);
    mpf_clear(sum);
    mpf_clear(mean);
    mpf_clear(var);
    mpf_clear(d);
    mpf_clear(t);
    mpf_clear(k);
    mpf_clear(dev);
    free(x);
    free(sorted);
    return 0;
}

/* value - threshold: its sign, exactly (a root compared through squares). */
static int cmp_threshold(const zb_value *v, int64_t t_x10000)
{
    mpq_t t;
    mpq_init(t);
    set_x10000(t, t_x10000);
    int c;
    if (!v->root) {
        c = mpq_cmp(v->q, t);
    } else if (mpq_sgn(t) < 0) {
        c = 1;
    } else {
        mpq_mul(t, t, t);
        c = mpq_cmp(v->q, t);
    }
    mpq_clear(t);
    return (c > 0) - (c < 0);
}

/* Linear rule: points = max · (v - low) / (high - low), clamped to 0..max,
 * rounded half up to the centipoint. */
static int64_t linear_points(const criterion_def *c, const zb_value *v)
{
    mpq_t x, lo, span;
    mpq_inits(x, lo, span, NULL);
    set_x10000(lo, c->low_x10000);
    set_x10000(span, c->high_x10000 - c->low_x10000);
    int exact = !v->root || rational_root(x, v->q);
    if (!v->root)
        mpq_set(x, v->q);
    int64_t cp;
    if (exact) {
        mpq_sub(x, x, lo);
        mpq_div(x, x, span);
        if (c->dir == DIR_LOWER) {
            mpq_neg(x, x);
            mpq_set_ui(lo, 1, 1);
            mpq_add(x, x, lo);
        }
        if (mpq_sgn(x) < 0)
            mpq_set_ui(x, 0, 1);
        mpq_set_ui(lo, 1, 1);
        if (mpq_cmp(x, lo) > 0)
            mpq_set_ui(x, 1, 1);
        /* floor(max·x + 1/2): x >= 0, so half up is half away from zero */
        mpq_set_si(lo, (long)c->max_cp, 1);
        mpq_mul(x, x, lo);
        mpq_set_ui(lo, 1, 2);
        mpq_add(x, x, lo);
        mpz_t f;
        mpz_init(f);
        mpz_fdiv_q(f, mpq_numref(x), mpq_denref(x));
        cp = (int64_t)mpz_get_si(f);
        mpz_clear(f);
    } else { /* an irrational root never lies on a half centipoint */
        double t = (zb_value_double(v) - (double)c->low_x10000 / 1e4) / ((double)(c->high_x10000 - c->low_x10000) / 1e4);
        if (c->dir == DIR_LOWER)
            t = 1 - t;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        cp = (int64_t)floor((double)c->max_cp * t + 0.5);
    }
    mpq_clears(x, lo, span, NULL);
    return cp;
}

/* The provinces with data a banded criterion needs: the SD of fewer is not
 * defined, or the scheme asks more (declared in scoring.h, where the
 * documents and the export ask it). */
int score_min_provinces(const scheme *s)
{
    int sd_needs = s->sd_sample ? 2 : 1;
    return s->min_provinces > sd_needs ? s->min_provinces : sd_needs;
}

int zband_decide(const scheme *s, const criterion_def *c, const zb_value *v, size_t np, zb_stats *st,
                 zb_decision *out)
{
    st->n = 0;
    for (size_t i = 0; i < np; i++) {
        out[i] = (zb_decision){-1, 0, 0, 0};
        st->n += v[i].has != 0;
    }
    st->sd_defined = st->n >= (s->sd_sample ? 2u : 1u);
    st->too_few = st->n > 0 && st->n < (size_t)score_min_provinces(s);
    st->mean = st->sd = 0;
    rvals r = {.x = malloc((np + 1) * sizeof *r.x)}; /* offset and scale: to_rationals */
    int *cmps = malloc((s->nbands + 1) * sizeof *cmps);
    if (!r.x || !cmps) {
        free(r.x);
        free(cmps);
        return -1;
    }
    for (size_t i = 0; i < np; i++)
        mpq_init(r.x[i]);
    int rc = 0;
    if (to_rationals(v, np, &r))
        rc = decide_zband_q(s, c, v, np, &r, st, out, cmps);
    else
        rc = decide_zband_f(s, c, v, np, st, out, cmps);
    for (size_t i = 0; i < np; i++) {
        mpq_clear(r.x[i]);
        if (!v[i].has || rc)
            continue;
        switch (c->rule) {
        case RULE_ZBAND:
            if (st->too_few) { /* no SD to band with: the scheme's band for the case, or none */
                out[i].z = 0;
                out[i].band = s->too_few_band;
                out[i].share_bp = s->too_few_band >= 0 ? s->bands[s->too_few_band].share_bp : -2;
            } else {
                out[i].share_bp = s->bands[out[i].band].share_bp;
            }
            break;
        case RULE_THRESHOLD:
        case RULE_PASSFAIL: {
            int cmp = cmp_threshold(&v[i], c->threshold_x10000);
            out[i].band = -1;
            out[i].share_bp = (c->dir == DIR_LOWER ? cmp <= 0 : cmp >= 0) ? 10000 : 0;
            break;
        }
        case RULE_LINEAR:
            out[i].band = -1;
            out[i].share_bp = -1;
            out[i].points_cp = linear_points(c, &v[i]);
            break;
        }
    }
    free(r.x);
    free(cmps);
    return rc;
}
