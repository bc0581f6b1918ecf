/* Scoring: hospital indicators -> province measures -> bands -> points ->
 * grades and money. The definitions follow ../shared/docs/domain.md; where
 * the announcement is silent the scheme's settings decide. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scoring.h"
#include "util.h"
#include "zband.h"
#include "score_gaps.h"
#include "unit_cost.h"

/* ------------------------------------------------------------------ */
/* Small exact helpers                                                 */

/* a*b/den rounded half away from zero, without overflow for our ranges. */
static int64_t mul_div_round(int64_t a, int64_t b, int64_t den)
{
    __int128 p = (__int128)a * b;
    __int128 q = p / den, r = p % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += p < 0 ? -1 : 1;
    return (int64_t)q;
}

int64_t score_clawback(int64_t reserved_satang, int64_t rate_bp) { return mul_div_round(reserved_satang, rate_bp, 10000); }
int64_t score_points(int64_t max_cp, int64_t share_bp) { return mul_div_round(max_cp, share_bp, 10000); }

/* Equal values must give a mean equal to them and a spread of exactly 0: a
 * float sum of seven 0.1 divided by 7 is not 0.1, and the resulting SD of
 * 1e-17 would turn a rounding error into z = +-0.9 (a band, millions of
 * baht). So: all equal -> that value; otherwise a two-pass mean (the second
 * pass adds the mean of the residuals, which removes the first pass's
 * rounding error to within one ulp). */
static int all_equal(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return 0;
    return 1;
}

double score_mean(const double *v, size_t n)
{
    if (!n)
        return 0;
    if (all_equal(v, n))
        return v[0];
    double s = 0, r = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++)
        r += v[i] - m;
    return m + r / (double)n;
}

double score_sd(const double *v, size_t n, int sample)
{
    if (n < 2 || all_equal(v, n))
        return 0; /* one value has no spread (Excel's STDEV would give #DIV/0!) */
    double m = score_mean(v, n), s = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        s += (v[i] - m) * (v[i] - m);
        c += v[i] - m;
    }
    /* corrected two-pass formula (Chan, Golub & LeVeque) */
    s -= c * c / (double)n;
    return s > 0 ? sqrt(s / (double)(sample ? n - 1 : n)) : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double score_median(double *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int score_band(const scheme *s, double z)
{
    for (size_t i = 0; i < s->nbands; i++) {
        const band_def *b = &s->bands[i];
        if (b->otherwise || (b->strict ? z > b->bound : z >= b->bound))
            return (int)i;
    }
    return (int)s->nbands - 1;
}

/* Grades compare the exact percentage total/max*100 with each boundary:
 * p > a  <=>  total * 10000 > a_x100 * max  (all in integers). */
int score_grade(const scheme *s, int64_t total_cp, int64_t max_cp)
{
    for (size_t i = 0; i < s->ngrades; i++) {
        const grade_def *g = &s->grades[i];
        if (g->above_x100 < 0 || (__int128)total_cp * 10000 > (__int128)g->above_x100 * max_cp)
            return (int)i;
    }
    return (int)s->ngrades - 1;
}

/* ------------------------------------------------------------------ */
/* MOPH risk score                                                     */

static int64_t net_income_fytd(const hospital *h, int m)
{
    int64_t ni = 0;
    for (int i = 0; i <= m; i++) {
        const finance_month *f = &h->fin[i];
        ni += f->revenue + f->investment_revenue - f->expense - f->depreciation;
    }
    return ni;
}

/* Survival, 0-2: how long the working capital lasts (or how long to climb
 * back), m = |NWC x elapsed months / NI|, compared without division. */
static int survival_points(int64_t nwc, int64_t ni, int elapsed)
{
    if (nwc >= 0 && ni >= 0)
        return 0;
    if (nwc < 0 && ni < 0)
        return 2;
    __int128 lhs = (__int128)(nwc < 0 ? -nwc : nwc) * elapsed; /* m * |NI| */
    __int128 ani = ni < 0 ? -(__int128)ni : ni;
    int over6 = ni == 0 || lhs > 6 * ani, under3 = ni != 0 && lhs < 3 * ani;
    if (nwc >= 0) /* NI < 0: months until the money runs out */
        return over6 ? 0 : under3 ? 2 : 1;
    return over6 ? 2 : under3 ? 0 : 1; /* NWC < 0, NI >= 0: months to recover */
}

int score_risk(const hospital *h, int m)
{
    const finance_month *f = &h->fin[m];
    if (!f->line)
        return -1;
    int64_t ca = f->cash + f->receivables + f->inventory + f->other_current_assets, cl = f->current_liabilities;
    int points = 0;
    if (cl > 0) { /* with no current liabilities every ratio is infinite: no liquidity risk */
        points += 2 * ca < 3 * cl;              /* current ratio < 1.5 */
        points += f->cash + f->receivables < cl; /* quick ratio < 1.0 */
        points += 5 * f->cash < 4 * cl;          /* cash ratio < 0.8 */
    }
    int64_t nwc = ca - cl, ni = net_income_fytd(h, m);
    points += (nwc < 0) + (ni < 0);
    return points + survival_points(nwc, ni, m + 1);
}

/* ------------------------------------------------------------------ */
/* Hospital indicators                                                 */

static void finance_indicators(hospital_result *r, const hospital *h, int upto)
{
    int months = 0, last = -1;
    for (int m = 0; m <= upto; m++) {
        const finance_month *f = &h->fin[m];
        if (!f->line)
            continue;
        months++;
        last = m;
        r->revenue += f->revenue;
        r->expense += f->expense;
    }
    for (int m = 0; m < FY_MONTHS; m++)
        r->risk[m] = m <= upto ? score_risk(h, m) : -1;
    if (!months)
        return;
    r->has_finance = 1;
    const finance_month *f = &h->fin[last];
    r->nwc_satang = f->cash + f->receivables + f->inventory + f->other_current_assets - f->current_liabilities;
    r->efficiency_expense = mul_div_round(r->expense, 1, months); /* rounding = satang_half_up */
    r->ebitda_ratio = r->expense > 0 ? (double)(r->revenue - r->expense) / (double)r->expense : 0;
    r->revenue_ge_expense = r->revenue >= r->expense;
}

static void risk_trend(hospital_result *r, int start, int end)
{
    r->risk_start = r->risk_end = -1;
    for (int m = start; m <= end; m++)
        if (r->risk[m] >= 0) {
            if (r->risk_start < 0)
                r->risk_start = r->risk[m];
            r->risk_end = r->risk[m];
        }
    r->risk_improved = r->risk_start >= 4 && r->risk_end >= 0 && r->risk_end < r->risk_start;
}

static void monthly_checks(hospital_result *r, const hospital *h, const scheme *s, int start, int end)
{
    int64_t e = 0, mp = 0;
    int n = 0;
    for (int m = start; m <= end; m++) {
        if (h->tb[m].line) {
            e += h->tb[m].electronic_x100;
            mp += h->tb[m].mapping_x100;
            n++;
        }
        if (h->eclaim[m].line) {
            r->claims += h->eclaim[m].claims;
            r->claims_passed += h->eclaim[m].claims_passed;
        }
    }
    if (n) {
        r->has_tb = 1;
        r->tb_electronic = (double)e / n / 100.0;
        r->tb_mapping = (double)mp / n / 100.0;
        /* pass when the average score reaches the mark: e/n >= pass <=> e >= pass*n */
        r->tb_electronic_pass = e >= s->tb_pass_x100 * n;
        r->tb_mapping_pass = mp >= s->tb_pass_x100 * n;
    }
}

/* The target of the row for the hospital's level and size: an exact size
 * beats no size, and the row without a size holds only for a hospital whose
 * size is not given (rows are unique per level and size, so order never
 * matters). 0 when the scheme has none for it. */
static int64_t cmi_target_for(const scheme *s, const hospital *h)
{
    for (size_t i = 0; i < s->ncmi_targets; i++) {
        const cmi_target *t = &s->cmi_targets[i];
        if (t->level == h->level && t->a_large == h->a_large)
            return t->target_x1000;
    }
    return 0;
}

/* CMI = sum AdjRW / sum discharges over the period: never a mean of monthly CMIs. */
static void cmi_indicators(hospital_result *r, const hospital *h, const scheme *s, int upto)
{
    int64_t qd[4] = {0}, qa[4] = {0};
    for (int m = 0; m <= upto; m++) {
        const cmi_month *c = &h->cmi[m];
        if (!c->line)
            continue;
        r->discharges += c->discharges;
        r->adjrw_x10000 += c->adjrw_x10000;
        qd[m / 3] += c->discharges;
        qa[m / 3] += c->adjrw_x10000;
        r->cmi_month[m] = c->discharges ? (double)c->adjrw_x10000 / 10000.0 / (double)c->discharges : 0;
    }
    for (int q = 0; q < 4; q++) {
        r->has_quarter[q] = qd[q] > 0;
        r->cmi_quarter[q] = qd[q] ? (double)qa[q] / 10000.0 / (double)qd[q] : 0;
    }
    r->has_cmi = r->discharges > 0;
    if (r->has_cmi) /* else left 0 (calloc): read only where has_cmi holds */
        r->cmi_fytd = (double)r->adjrw_x10000 / 10000.0 / (double)r->discharges;
    r->cmi_target_x1000 = cmi_target_for(s, h);
    /* cmi >= target, exactly: adjrw/10^4/discharges >= target/10^3 */
    r->cmi_pass = r->has_cmi && r->cmi_target_x1000 > 0 &&
                  (__int128)r->adjrw_x10000 >= (__int128)r->cmi_target_x1000 * r->discharges * 10;
}

/* ------------------------------------------------------------------ */
/* Province measures                                                   */

/* v = num / den */
static void set_ratio(zb_value *v, int64_t num, int64_t den)
{
    mpz_set_si(mpq_numref(v->q), (long)num);
    mpz_set_si(mpq_denref(v->q), (long)den);
    mpq_canonicalize(v->q);
}

/* The exact variance of a province's EBITDA ratios x_i = a_i / b_i (EBITDA
 * and expense in satang, b_i > 0, n >= 2): the square of its ebitda_sd
 * value. Over the common denominator L = lcm(b_i), x_i = A_i / L with
 * A_i = a_i (L / b_i), and with T = sum A_i
 *     sum (x_i - mean)^2 = sum (n A_i - T)^2 / (n L)^2,
 * all in integers, made canonical once at the end. (Adding the fractions
 * one at a time made each sum's denominator the product of those before and
 * every addition a GCD of ever longer numbers: 60 M instructions of a
 * national month's scoring.) The same rational, so the same result. */
/* A_i = a_i (L / b_i), with a_i = rev - exp (EBITDA) and b_i = exp. */
static void ebitda_term(mpz_t a, const mpz_t l, int64_t rev, int64_t exp)
{
    mpz_divexact_ui(a, l, (unsigned long)exp); /* L / b_i */
    mpz_mul_si(a, a, (long)(rev - exp));
}

static void ebitda_variance(zb_value *v, const int64_t *rev, const int64_t *exp, size_t n, int sample)
{
    mpz_t l, t, a, sq;
    mpz_inits(l, t, a, sq, NULL);
    mpz_set_ui(l, 1);
    for (size_t i = 0; i < n; i++) {
        mpz_set_si(a, (long)exp[i]);
        mpz_lcm(l, l, a);
    }
    mpz_set_ui(t, 0);
    for (size_t i = 0; i < n; i++) { /* T */
        ebitda_term(a, l, rev[i], exp[i]);
        mpz_add(t, t, a);
    }
    mpz_set_ui(mpq_numref(v->q), 0);
    for (size_t i = 0; i < n; i++) { /* sum (n A_i - T)^2 */
        ebitda_term(a, l, rev[i], exp[i]);
        mpz_mul_ui(a, a, (unsigned long)n);
        mpz_sub(a, a, t);
        mpz_mul(sq, a, a);
        mpz_add(mpq_numref(v->q), mpq_numref(v->q), sq);
    }
    mpz_mul_ui(l, l, (unsigned long)n); /* n L */
    mpz_mul(mpq_denref(v->q), l, l);
    mpz_mul_ui(mpq_denref(v->q), mpq_denref(v->q), (unsigned long)(n - (sample ? 1 : 0)));
    mpq_canonicalize(v->q);
    v->root = 1;
    mpz_clears(l, t, a, sq, NULL);
}

/* The province's exact value of one measure (v->has: 1, or 0 when it has no
 * data). Returns 0, -1 when memory runs out, -2 when a sum of money overflows. */
static int province_measure(const score_result *res, size_t p, measure_id m, unsigned levels, int start, int end,
                            zb_value *v)
{
    const dataset *ds = res->ds;
    int64_t n = 0, yes = 0, nwc_n = 0;
    int64_t nwc = 0, effexp = 0, claims = 0, passed = 0;
    int64_t *rev = m == M_EBITDA_SD ? malloc((res->nhospitals + 1) * 2 * sizeof *rev) : NULL, *exp = rev;
    size_t nr = 0;
    if (m == M_EBITDA_SD && !rev)
        return -1;
    if (rev)
        exp = rev + res->nhospitals + 1;
    v->has = v->root = 0;
    for (size_t i = 0; i < res->nhospitals; i++) {
        const hospital_result *r = &res->hospitals[i];
        const hospital *hd = &ds->hospitals[r->hospital];
        if (hd->province != res->provinces[p].province || !(levels >> hd->level & 1u))
            continue; /* another province's, or a level the criterion does not count */
        switch (m) {
        case M_EBITDA_SD:
            if (r->has_finance && r->expense > 0) {
                rev[nr] = r->revenue;
                exp[nr++] = r->expense;
            }
            break;
        case M_NWC_RATIO:
            /* the one sum of money across hospitals: up to 10^5 hospitals of
             * up to 4 x 10^14 satang each could leave int64 */
            if (r->has_finance) {
                if (__builtin_add_overflow(nwc, r->nwc_satang, &nwc) ||
                    __builtin_add_overflow(effexp, r->efficiency_expense, &effexp)) {
                    free(rev);
                    return -2;
                }
                nwc_n++;
            }
            break;
        case M_REVENUE_GE_EXPENSE: n += r->has_finance; yes += r->has_finance && r->revenue_ge_expense; break;
        case M_TB_ELECTRONIC: n += r->has_tb; yes += r->has_tb && r->tb_electronic_pass; break;
        case M_TB_MAPPING: n += r->has_tb; yes += r->has_tb && r->tb_mapping_pass; break;
        case M_ECLAIM: claims += r->claims; passed += r->claims_passed; break;
        case M_EFF7: n += r->eff7 >= 0; yes += r->eff7 >= res->sch->eff7_min; break;
        case M_UNIT_COST: n += r->has_unit_cost; yes += r->unit_cost_ok; break;
        case M_RISK7:
        case M_RISK47:
            /* the share of the period's hospital-months at that level: each
             * month weighs by the units that reported in it */
            for (int mo = start; mo <= end; mo++)
                if (r->risk[mo] >= 0) {
                    n++;
                    yes += m == M_RISK7 ? r->risk[mo] == 7 : r->risk[mo] >= 4;
                }
            break;
        case M_RISK47_IMPROVED: n += r->risk_start >= 4; yes += r->risk_improved; break;
        case M_COUNT: break;
        }
    }
    switch (m) {
    case M_EBITDA_SD:
        if ((v->has = nr >= 2))
            ebitda_variance(v, rev, exp, nr, res->sch->sd_sample);
        free(rev);
        return 0;
    case M_NWC_RATIO:
        /* expense can be negative in a month (a reversal), but months of
         * expense covered by NWC only mean something when the expense is positive */
        if ((v->has = nwc_n > 0 && effexp > 0))
            set_ratio(v, nwc, effexp);
        return 0;
    case M_ECLAIM:
        /* claims <= 10^9 a cell: 100 x passed stays far inside int64 */
        if ((v->has = claims > 0))
            set_ratio(v, 100 * passed, claims);
        return 0;
    default:
        if ((v->has = n > 0))
            set_ratio(v, 100 * yes, n);
        return 0;
    }
}

/* ------------------------------------------------------------------ */
/* Points                                                              */

/* Scores criterion ci for every province: its exact values, the region's
 * statistics and each province's points (zband.h decides). */
static int score_criterion(score_result *res, size_t ci, int start, int end)
{
    const scheme *s = res->sch;
    const criterion_def *c = &s->criteria[ci];
    size_t np = res->nprovinces;
    zb_value *v = malloc((np + 1) * sizeof *v);
    zb_decision *dec = malloc((np + 1) * sizeof *dec);
    int rc = v && dec ? 0 : -1;
    size_t ninit = 0;
    for (; !rc && ninit < np; ninit++) {
        mpq_init(v[ninit].q);
        rc = province_measure(res, ninit, c->measure, c->levels_mask, start, end, &v[ninit]);
    }
    zb_stats st;
    if (!rc)
        rc = zband_decide(s, c, v, np, &st, dec);
    if (!rc) {
        res->crit_n[ci] = st.n;
        res->crit_mean[ci] = st.mean;
        res->crit_sd[ci] = st.sd;
        res->crit_sd_defined[ci] = st.sd_defined;
        res->crit_too_few[ci] = st.too_few && c->rule == RULE_ZBAND;
    }
    /* too few provinces and the scheme names no band for it: undecided for all */
    int undecided = !rc && res->crit_too_few[ci] && s->too_few_band < 0;
    for (size_t p = 0; !rc && p < np; p++) {
        criterion_result *cr = &res->provinces[p].crit[ci];
        cr->has_value = v[p].has;
        if (v[p].has) /* else left 0 (calloc): read only where has_value holds */
            cr->value = zb_value_double(&v[p]);
        cr->mean = st.mean;
        cr->sd = st.sd;
        cr->z = dec[p].z;
        cr->band = dec[p].band;
        cr->undecided = undecided;
        if (undecided) {
            cr->band = -1;
            cr->points_cp = 0;
        } else if (cr->has_value) {
            cr->points_cp = dec[p].share_bp < 0 ? dec[p].points_cp : score_points(c->max_cp, dec[p].share_bp);
        } else if (s->nodata == NODATA_BOTTOM_BAND && c->rule == RULE_ZBAND) {
            cr->band = (int)s->nbands - 1;
            cr->points_cp = score_points(c->max_cp, s->bands[cr->band].share_bp);
        } else {
            cr->points_cp = 0;
        }
    }
    for (size_t p = 0; v && p < ninit; p++)
        mpq_clear(v[p].q);
    free(v);
    free(dec);
    return rc;
}

static void totals_and_money(score_result *res)
{
    const scheme *s = res->sch;
    for (size_t p = 0; p < res->nprovinces; p++) {
        province_result *pr = &res->provinces[p];
        pr->total_cp = pr->max_cp = 0;
        pr->ungraded = 0;
        for (size_t c = 0; c < s->ncriteria; c++) {
            pr->total_cp += pr->crit[c].points_cp;
            pr->max_cp += s->criteria[c].max_cp;
            pr->ungraded |= pr->crit[c].undecided;
        }
        pr->percent_x100 = pr->max_cp ? mul_div_round(pr->total_cp, 10000, pr->max_cp) : 0;
        /* a criterion without a band: no grade and no amount, rather than a
         * grade from the points that could be given */
        pr->grade = s->ngrades && !pr->ungraded ? score_grade(s, pr->total_cp, pr->max_cp) : -1;
        pr->reserved_satang = res->ds->provinces[pr->province].reserved_satang;
        pr->clawback_satang = pr->grade >= 0 ? score_clawback(pr->reserved_satang, s->grades[pr->grade].rate_bp) : 0;
        pr->kept_satang = pr->reserved_satang - pr->clawback_satang;
    }
    /* rank by total, ties share a rank (1, 2, 2, 4); an ungraded province has none */
    for (size_t p = 0; p < res->nprovinces; p++) {
        int better = 0;
        for (size_t q = 0; q < res->nprovinces; q++)
            better += !res->provinces[q].ungraded && res->provinces[q].total_cp > res->provinces[p].total_cp;
        res->provinces[p].rank = res->provinces[p].ungraded ? 0 : better + 1;
    }
}

static int is_community(hosp_level l) { return l == LEVEL_M2 || l == LEVEL_F1 || l == LEVEL_F2 || l == LEVEL_F3; }

static void cmi_and_ha(score_result *res)
{
    const dataset *ds = res->ds;
    for (size_t i = 0; i < res->nhospitals; i++) {
        const hospital_result *r = &res->hospitals[i];
        const hospital *h = &ds->hospitals[r->hospital];
        province_result *pr = NULL;
        for (size_t p = 0; p < res->nprovinces; p++)
            if (res->provinces[p].province == h->province)
                pr = &res->provinces[p];
        pr->nhospitals++;
        if (r->has_cmi && r->cmi_target_x1000 > 0) {
            pr->cmi_level_n[h->level]++;
            pr->cmi_level_pass[h->level] += r->cmi_pass;
            res->cmi_level_n[h->level]++;
            res->cmi_level_pass[h->level] += r->cmi_pass;
        }
        /* the share every document and export prints is the KPI's: only the
         * levels of the scheme's kpi_levels count (A-F2: F3 is listed, not counted) */
        if (r->has_cmi && r->cmi_target_x1000 > 0 && h->level >= res->sch->kpi_level_lo &&
            h->level <= res->sch->kpi_level_hi) {
            pr->cmi_hospitals++;
            pr->cmi_pass += r->cmi_pass;
            res->cmi_hospitals++;
            res->cmi_pass += r->cmi_pass;
        }
        if (is_community(h->level)) {
            pr->community++;
            pr->community_ha += h->ha_known && h->ha == HA_ACCREDITED;
            res->community++;
            res->community_ha += h->ha_known && h->ha == HA_ACCREDITED;
        }
    }
}

/* ------------------------------------------------------------------ */

static int collect_region(score_result *res, diag_ctx *d)
{
    const dataset *ds = res->ds;
    res->provinces = calloc(ds->nprovinces ? ds->nprovinces : 1, sizeof *res->provinces);
    res->hospitals = calloc(ds->nhospitals ? ds->nhospitals : 1, sizeof *res->hospitals);
    res->not_counted_list = calloc(ds->nhospitals ? ds->nhospitals : 1, sizeof *res->not_counted_list);
    if (!res->provinces || !res->hospitals || !res->not_counted_list)
        return -1;
    for (size_t p = 0; p < ds->nprovinces; p++)
        if (ds->provinces[p].region == res->region) {
            province_result *pr = &res->provinces[res->nprovinces++];
            pr->province = p;
            pr->crit = calloc(res->sch->ncriteria ? res->sch->ncriteria : 1, sizeof *pr->crit);
            if (!pr->crit)
                return -1;
        }
    /* the units of the levels the scheme counts (any criterion's); the others
     * are counted as left out, named in a warning and on the documents */
    unsigned counted = res->sch->levels_mask;
    for (size_t c = 0; c < res->sch->ncriteria; c++)
        counted |= res->sch->criteria[c].levels_mask;
    res->counted_mask = counted;
    for (size_t h = 0; h < ds->nhospitals; h++) {
        const hospital *hd = &ds->hospitals[h];
        if (ds->provinces[hd->province].region != res->region)
            continue;
        if (counted >> hd->level & 1u) {
            res->hospitals[res->nhospitals++].hospital = h;
            continue;
        }
        res->not_counted[hd->level]++;
        res->not_counted_list[res->n_not_counted++] = h;
        for (size_t p = 0; p < res->nprovinces; p++)
            res->provinces[p].not_counted += res->provinces[p].province == hd->province;
    }
    if (!res->nprovinces) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "the data has no province of region %d", res->region);
        return -1;
    }
    return 0;
}

score_result *score_run(const scheme *s, const dataset *ds, int region, int upto_month, diag_ctx *d)
{
    score_result *res = calloc(1, sizeof *res);
    if (!res) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    res->sch = s;
    res->ds = ds;
    res->region = region ? region : s->region;
    int upto = upto_month >= 0 ? upto_month : ds->last_month;
    if (upto < 0)
        upto = FY_MONTHS - 1;
    int end = s->period_end < upto ? s->period_end : upto, start = s->period_start <= end ? s->period_start : 0;
    res->last_month = end;
    res->crit_mean = calloc(s->ncriteria + 1, sizeof(double));
    res->crit_sd = calloc(s->ncriteria + 1, sizeof(double));
    res->crit_n = calloc(s->ncriteria + 1, sizeof(size_t));
    res->crit_sd_defined = calloc(s->ncriteria + 1, sizeof(int));
    res->crit_too_few = calloc(s->ncriteria + 1, sizeof(int));
    if (!res->crit_mean || !res->crit_sd || !res->crit_n || !res->crit_sd_defined || !res->crit_too_few ||
        collect_region(res, d) != 0) {
        if (!diag_errors(d))
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        score_result_free(res);
        return NULL;
    }
    for (size_t i = 0; i < res->nhospitals; i++) {
        hospital_result *r = &res->hospitals[i];
        const hospital *h = &ds->hospitals[r->hospital];
        finance_indicators(r, h, end);
        risk_trend(r, start, end);
        monthly_checks(r, h, s, start, end);
        r->eff7 = h->eff7_passed;
        cmi_indicators(r, h, s, end);
    }
    if (unit_cost_indicators(res, ds, end) != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        score_result_free(res);
        return NULL;
    }
    for (size_t c = 0; c < s->ncriteria; c++) {
        int rc = score_criterion(res, c, start, end);
        if (rc == -2)
            diag_add(d, DIAG_ERROR, NULL, 0, 0,
                     "criterion %d: the province sums of money are too large to add up exactly (over 9.2 x 10^16 baht)",
                     s->criteria[c].number);
        else if (rc)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        if (rc) {
            score_result_free(res);
            return NULL;
        }
    }
    totals_and_money(res);
    cmi_and_ha(res);
    res->period_start = start;
    if (score_find_gaps(res, start, end) != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        score_result_free(res);
        return NULL;
    }
    return res;
}

int score_report_too_few(const score_result *r, int as_error, diag_ctx *d)
{
    const scheme *s = r->sch;
    int undecided = 0;
    char *ini = util_path_join(s->dir, "scheme.ini");
    for (size_t c = 0; c < s->ncriteria; c++) {
        if (!r->crit_too_few[c])
            continue;
        const criterion_def *cd = &s->criteria[c];
        char num[16];
        if (cd->part)
            snprintf(num, sizeof num, "%d.%d", cd->number, cd->part);
        else
            snprintf(num, sizeof num, "%d", cd->number);
        if (s->too_few_band >= 0) {
            diag_add(d, DIAG_NOTE, ini ? ini : s->dir, s->too_few_line, 1,
                     "region %d, criterion %s: %zu province(s) with data, fewer than the %d Mean ± k·SD needs; "
                     "every province gets band %d (%s) as too_few_provinces says",
                     r->region, num, r->crit_n[c], score_min_provinces(s), s->too_few_band + 1,
                     s->bands[s->too_few_band].label_th);
            continue;
        }
        undecided++;
        diag_add(d, as_error ? DIAG_ERROR : DIAG_WARNING, ini ? ini : s->dir, 0, 0,
                 "region %d, criterion %s: %zu province(s) with data; the %s SD needs at least %d: no band, no "
                 "points, no grade and no amount for the region's provinces",
                 r->region, num, r->crit_n[c], s->sd_sample ? "sample" : "population", score_min_provinces(s));
    }
    if (undecided)
        diag_add(d, DIAG_NOTE, ini ? ini : s->dir, 0, 0,
                 "a scheme names what to do with too few provinces in scheme.ini: too_few_provinces = band N "
                 "gives every province the N-th row of bands.csv (printed on the documents); min_provinces = N "
                 "asks for more provinces than the SD does (see templates/README.md)");
    free(ini);
    return undecided;
}

int score_report_not_counted(const score_result *r, const char *dir, diag_ctx *d)
{
    const dataset *ds = r->ds;
    char *path = dir ? util_path_join(dir, "hospitals.csv") : util_strdup("hospitals.csv");
    char lv[64] = "";
    scheme_levels_text(r->counted_mask, lv, sizeof lv);
    for (size_t i = 0; i < r->n_not_counted && i < 10; i++) {
        const hospital *h = &ds->hospitals[r->not_counted_list[i]];
        diag_add(d, DIAG_WARNING, path ? path : "hospitals.csv", 0, 0,
                 "region %d: hospital %s (%s, province %s) is level %s, which scheme '%s' does not count: left out of "
                 "every criterion (the scheme's levels: %s)",
                 r->region, h->code, h->name_th, ds->provinces[h->province].code, model_level_code(h->level),
                 r->sch->name, lv);
    }
    if (r->n_not_counted > 10)
        diag_add(d, DIAG_WARNING, path ? path : "hospitals.csv", 0, 0, "region %d: and %zu more units left out",
                 r->region, r->n_not_counted - 10);
    free(path);
    return (int)r->n_not_counted;
}

int score_scheme_is_own(const score_result *r)
{
    return r->sch->region == r->region && r->sch->fiscal_year == r->ds->fiscal_year;
}

void score_result_free(score_result *r)
{
    if (!r)
        return;
    for (size_t p = 0; p < r->nprovinces; p++)
        free(r->provinces[p].crit);
    free(r->provinces);
    free(r->hospitals);
    free(r->crit_mean);
    free(r->crit_sd);
    free(r->crit_n);
    free(r->crit_sd_defined);
    free(r->not_counted_list);
    free(r->crit_too_few);
    free(r->gaps);
    free(r);
}
