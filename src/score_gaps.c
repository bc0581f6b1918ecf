/* Gaps in the data a scheme scores (see score_gaps.h). */
#include <stdlib.h>
#include <string.h>

#include "score_gaps.h"
#include "util.h"

static int is_community(hosp_level l) { return l == LEVEL_M2 || l == LEVEL_F1 || l == LEVEL_F2 || l == LEVEL_F3; }

/* ------------------------------------------------------------------ */
/* Gaps: what is missing from the data the scheme scores                */

/* The files the scores read: monthly or once a year, and for the monthly
 * ones whether the whole year to date counts (finance: sums and the risk
 * score's net income; CMI) or only the scheme's period. */
enum { F_FIN, F_TB, F_ECLAIM, F_EFF7, F_CMI, F_HA, NFILES };
static const struct {
    const char *name;
    int monthly, whole_year;
} data_files[NFILES] = {{"finance.csv", 1, 1}, {"trial_balance.csv", 1, 0}, {"eclaim.csv", 1, 0},
                        {"efficiency7.csv", 0, 0}, {"cmi.csv", 1, 1}, {"ha.csv", 0, 0}};

/* Bit f: the measure reads data file f. */
static unsigned measure_files(measure_id m)
{
    switch (m) {
    case M_UNIT_COST: return 1u << F_FIN | 1u << F_CMI;
    case M_TB_ELECTRONIC:
    case M_TB_MAPPING: return 1u << F_TB;
    case M_ECLAIM: return 1u << F_ECLAIM;
    case M_EFF7: return 1u << F_EFF7;
    case M_COUNT: return 0;
    default: return 1u << F_FIN; /* EBITDA, NWC, revenue >= expense, risk */
    }
}

static int has_data(const hospital *h, int f, int m)
{
    switch (f) {
    case F_FIN: return h->fin[m].line != 0;
    case F_TB: return h->tb[m].line != 0;
    case F_ECLAIM: return h->eclaim[m].line != 0;
    case F_CMI: return h->cmi[m].line != 0;
    case F_EFF7: return h->eff7_passed >= 0;
    default: return h->ha_known || !is_community(h->level); /* HA is asked of community hospitals */
    }
}

static int add_gap(score_result *res, size_t *cap, score_gap g)
{
    if (util_grow((void **)&res->gaps, cap, res->ngaps + 1, sizeof *res->gaps))
        return -1;
    res->gaps[res->ngaps++] = g;
    return 0;
}

/* The gaps of file f in province p (a result index); 1 if any, -1 on memory. */
static int file_gaps(score_result *res, size_t *cap, size_t p, int f, unsigned levels, int start, int end)
{
    const dataset *ds = res->ds;
    size_t prov = res->provinces[p].province;
    int any = 0;
    for (size_t i = 0; i < res->nhospitals; i++) {
        size_t hi = res->hospitals[i].hospital;
        const hospital *h = &ds->hospitals[hi];
        if (h->province != prov || !(levels >> h->level & 1u))
            continue; /* another province's, or a level no criterion reading the file counts */
        if (!data_files[f].monthly) {
            if (!has_data(h, f, 0) &&
                (any = 1, add_gap(res, cap, (score_gap){GAP_ROW, data_files[f].name, (long)prov, (long)hi, -1})))
                return -1;
            continue;
        }
        for (int m = data_files[f].whole_year ? 0 : start; m <= end; m++)
            if (!has_data(h, f, m) &&
                (any = 1, add_gap(res, cap, (score_gap){GAP_MONTH, data_files[f].name, (long)prov, (long)hi, m})))
                return -1;
    }
    return any;
}

/* Bit f of data_files: what the scheme's scores read, and the levels each is read for. */
static unsigned files_used(const scheme *s, unsigned levels[NFILES])
{
    unsigned used = 0;
    for (size_t c = 0; c < s->ncriteria; c++) { /* the files the criteria read, and the levels they count */
        unsigned fs = measure_files(s->criteria[c].measure);
        used |= fs;
        for (int f = 0; f < NFILES; f++)
            if (fs >> f & 1)
                levels[f] |= s->criteria[c].levels_mask;
    }
    if (s->kind && !strcmp(s->kind, "kpi"))
        used |= 1u << F_CMI | 1u << F_HA, levels[F_CMI] |= s->levels_mask, levels[F_HA] |= s->levels_mask;
    return used;
}

unsigned score_data_files(const scheme *s)
{
    unsigned levels[NFILES] = {0}, used = files_used(s, levels), mask = 0;
    for (int f = 0; f < NFILES; f++)
        if (used >> f & 1)
            mask |= model_file_bit(data_files[f].name);
    return mask;
}

/* Lists every gap in what the scheme scores and marks the criteria they touch. */
int score_find_gaps(score_result *res, int start, int end)
{
    const scheme *s = res->sch;
    size_t cap = 0;
    unsigned missing = 0, levels[NFILES] = {0}, used = files_used(s, levels);
    for (int f = 0; f < NFILES; f++)
        if ((used >> f & 1) && !model_file_present(res->ds, data_files[f].name)) {
            missing |= 1u << f;
            if (add_gap(res, &cap, (score_gap){GAP_FILE, data_files[f].name, -1, -1, -1}))
                return -1;
        }
    for (size_t p = 0; p < res->nprovinces; p++) {
        province_result *pr = &res->provinces[p];
        unsigned gap = missing;
        if (!pr->nhospitals) {
            gap = ~0u;
            if (add_gap(res, &cap, (score_gap){GAP_NO_HOSPITALS, "hospitals.csv", (long)pr->province, -1, -1}))
                return -1;
        }
        for (int f = 0; pr->nhospitals && f < NFILES; f++) {
            if (!(used >> f & 1) || (missing >> f & 1))
                continue;
            int rc = file_gaps(res, &cap, p, f, levels[f], start, end);
            if (rc < 0)
                return -1;
            gap |= (unsigned)rc << f;
        }
        for (size_t c = 0; c < s->ncriteria; c++)
            pr->crit[c].incomplete = (measure_files(s->criteria[c].measure) & gap) != 0;
    }
    return 0;
}

char *score_gap_message(const score_result *r, const score_gap *g)
{
    const dataset *ds = r->ds;
    const province *p = g->province >= 0 ? &ds->provinces[g->province] : NULL;
    const hospital *h = g->hospital >= 0 ? &ds->hospitals[g->hospital] : NULL;
    reader_date cm = model_calendar_month(ds->fiscal_year, g->month >= 0 ? g->month : 0);
    switch (g->kind) {
    case GAP_FILE: return util_format("the file is missing: the scheme's criteria need it");
    case GAP_NO_HOSPITALS: {
        /* none at all, or only units of levels the scheme does not count (P) */
        int left = 0;
        for (size_t i = 0; i < r->n_not_counted; i++)
            left += ds->hospitals[r->not_counted_list[i]].province == (size_t)g->province;
        if (left)
            return util_format("province %s (%s) has only units of levels the scheme does not count (%d, e.g. level "
                               "P): no hospital to score; a scheme that counts them sets `levels` in scheme.ini",
                               p->code, p->name_th, left);
        return util_format("province %s (%s) has no hospital to score", p->code, p->name_th);
    }
    case GAP_MONTH:
        return util_format("province %s, hospital %s (%s): no row for month %04d-%02d", p->code, h->code, h->name_th,
                           cm.year + 543, cm.month);
    case GAP_ROW: return util_format("province %s, hospital %s (%s): no row", p->code, h->code, h->name_th);
    }
    return NULL;
}

typedef struct {
    const score_result *r;
    const score_gap *g;
} gap_ref;

static int cmp_gap(const void *a, const void *b)
{
    const score_gap *x = ((const gap_ref *)a)->g, *y = ((const gap_ref *)b)->g;
    if (x->province != y->province)
        return x->province < y->province ? -1 : 1;
    if (x->hospital != y->hospital)
        return x->hospital < y->hospital ? -1 : 1;
    int f = strcmp(x->file, y->file);
    if (f)
        return f;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return (x->month > y->month) - (x->month < y->month);
}

int score_report_gaps(const score_result *const *rs, size_t n, const char *dir, int allow, diag_ctx *d)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        total += rs[i] ? rs[i]->ngaps : 0;
    if (!total)
        return 0;
    gap_ref *all = malloc(total * sizeof *all);
    if (!all) {
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; rs[i] && j < rs[i]->ngaps; j++)
            all[k++] = (gap_ref){rs[i], &rs[i]->gaps[j]};
    qsort(all, total, sizeof *all, cmp_gap);
    for (size_t i = 0; i < total; i++) {
        if (i && !cmp_gap(&all[i - 1], &all[i]))
            continue;
        char *path = util_path_join(dir, all[i].g->file), *msg = score_gap_message(all[i].r, all[i].g);
        if (!path || !msg)
            diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
        else
            diag_add(d, allow ? DIAG_WARNING : DIAG_ERROR, path, 0, 0, "incomplete data: %s", msg);
        free(path);
        free(msg);
    }
    free(all);
    if (!allow)
        diag_add(d, DIAG_NOTE, dir, 0, 0,
                 "khet does not score over gaps in the data; --allow-incomplete scores anyway and lists the gaps on "
                 "every document");
    return allow ? 0 : -1;
}

