/* Unit costs against the median of the level (see unit_cost.h). */
#include <gmp.h>
#include <stdlib.h>

#include "unit_cost.h"

/* One hospital's cost as a fraction, and which hospital it is. */
typedef struct {
    int64_t num, den; /* the cost num / den, den > 0 */
    size_t i;
} cost_ref;

/* The sign of a - b for costs: exact, since each product of two int64 fits
 * in 128 bits (the comparisons were rationals made canonical first: 30 M
 * instructions of a national month's scoring). */
static int cost_cmp(const cost_ref *a, const cost_ref *b)
{
    __int128 l = (__int128)a->num * b->den, r = (__int128)b->num * a->den;
    return (l > r) - (l < r);
}

static int cmp_cost(const void *a, const void *b) { return cost_cmp(a, b); }

/* Each hospital of level l that has cost `ipd` (0 OPD, 1 IPD) against the
 * median of them; refs has room for every hospital. */
static void median_of_level(score_result *res, const int64_t (*in)[4], cost_ref *refs, int l, int ipd)
{
    size_t n = 0;
    for (size_t i = 0; i < res->nhospitals; i++) {
        hospital_result *r = &res->hospitals[i];
        int has = ipd ? r->has_ipd_cost : r->has_opd_cost;
        if (!has || res->ds->hospitals[r->hospital].level != (hosp_level)l)
            continue;
        refs[n++] = (cost_ref){in[i][2 * ipd], in[i][2 * ipd + 1], i};
    }
    if (!n)
        return;
    qsort(refs, n, sizeof *refs, cmp_cost);
    const cost_ref *lo = &refs[(n - 1) / 2], *hi = &refs[n / 2]; /* the middle one, or the middle two */
    mpq_t med, other;
    mpq_inits(med, other, NULL);
    mpq_set_si(med, (long)hi->num, (unsigned long)hi->den);
    mpq_canonicalize(med);
    if (lo != hi) {
        mpq_set_si(other, (long)lo->num, (unsigned long)lo->den);
        mpq_canonicalize(other);
        mpq_add(med, med, other);
        mpq_div_2exp(med, med, 1);
    }
    double md = mpq_get_d(med) / (ipd ? 100.0 / 10000.0 : 100.0); /* baht per visit / per AdjRW */
    mpq_clears(med, other, NULL);
    for (size_t k = 0; k < n; k++) {
        hospital_result *r = &res->hospitals[refs[k].i];
        /* at or below the median: every cost sorted up to the lower middle
         * one; after it, only a cost equal to both middle ones (the median
         * lies between them, at or below the upper one) */
        int ok = k <= (n - 1) / 2 || (!cost_cmp(&refs[k], lo) && !cost_cmp(&refs[k], hi));
        if (ipd)
            r->ipd_median = md, r->ipd_ok = ok;
        else
            r->opd_median = md, r->opd_ok = ok;
    }
}

int unit_cost_indicators(score_result *res, const dataset *ds, int upto)
{
    int64_t(*in)[4] = malloc((res->nhospitals + 1) * sizeof *in); /* OPD cost, visits, IPD cost, AdjRW x 10^4 */
    cost_ref *refs = malloc((res->nhospitals + 1) * sizeof *refs);
    if (!in || !refs) {
        free(in);
        free(refs);
        return -1;
    }
    for (size_t i = 0; i < res->nhospitals; i++) {
        hospital_result *r = &res->hospitals[i];
        const hospital *h = &ds->hospitals[r->hospital];
        int64_t visits = 0, opd = 0, ipd = 0;
        for (int m = 0; m <= upto; m++)
            if (h->fin[m].line) {
                visits += h->fin[m].opd_visits;
                opd += h->fin[m].opd_cost;
                ipd += h->fin[m].ipd_cost;
            }
        in[i][0] = opd, in[i][1] = visits, in[i][2] = ipd, in[i][3] = r->adjrw_x10000;
        r->has_opd_cost = visits > 0;
        r->has_ipd_cost = r->adjrw_x10000 > 0;
        r->has_unit_cost = r->has_opd_cost && r->has_ipd_cost;
        if (r->has_opd_cost)
            r->opd_unit_cost = (double)opd / 100.0 / (double)visits;
        if (r->has_ipd_cost)
            r->ipd_unit_cost = (double)ipd / 100.0 / ((double)r->adjrw_x10000 / 10000.0);
    }
    for (int l = 0; l < LEVEL_COUNT; l++)
        for (int k = 0; k < 2; k++)
            median_of_level(res, (const int64_t(*)[4])in, refs, l, k);
    for (size_t i = 0; i < res->nhospitals; i++) {
        hospital_result *r = &res->hospitals[i];
        r->unit_cost_ok = r->has_unit_cost && r->opd_ok && r->ipd_ok;
    }
    free(in);
    free(refs);
    return 0;
}
