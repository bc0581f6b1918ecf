/* Scheme loading: a scheme is a folder in templates/ (see templates/README.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "scoring.h"
#include "settings.h"
#include "util.h"

static const char *const measure_names[M_COUNT] = {
    "ebitda_sd", "nwc_ratio", "revenue_ge_expense", "tb_electronic", "tb_mapping", "eclaim",
    "eff7", "unit_cost", "risk7", "risk47", "risk47_improved",
};

const char *score_measure_name(measure_id m) { return measure_names[m]; }

/* ---- scheme.ini ---- */

typedef struct {
    scheme *s;
    diag_ctx *d;
    const char *path;
    int fiscal_year_seen;
} ini_ctx;

static int set_text(ini_ctx *c, int line, char **dst, const char *v)
{
    free(*dst);
    if ((*dst = util_strdup(v)))
        return SETTING_OK;
    diag_add(c->d, DIAG_SYSTEM, c->path, line, 1, "out of memory");
    return SETTING_STOP;
}

static void bad_setting(ini_ctx *c, int line, const char *name, const char *why)
{
    diag_add(c->d, DIAG_ERROR, c->path, line, 1, "setting '%s': %s", name, why);
}

static int parse_month_setting(ini_ctx *c, const char *name, const char *v, int line, int *out)
{
    reader_date m;
    const char *err = reader_parse_month(v, &m);
    int fm = err ? -1 : model_fiscal_month(c->s->fiscal_year, m);
    if (fm < 0)
        bad_setting(c, line, name, err ? err : "month outside the scheme's fiscal year (set fiscal_year first)");
    else
        *out = fm;
    return 1;
}

static int on_setting(void *user, const char *name, const char *v, int line)
{
    ini_ctx *c = user;
    scheme *s = c->s;
    int64_t n = 0;
    if (!strcmp(name, "name"))
        return set_text(c, line, &s->name, v);
    if (!strcmp(name, "title"))
        return set_text(c, line, &s->title, v);
    if (!strcmp(name, "organisation"))
        return set_text(c, line, &s->organisation, v);
    if (!strcmp(name, "kind")) {
        if (strcmp(v, "finance") && strcmp(v, "kpi"))
            bad_setting(c, line, name, "must be 'finance' or 'kpi'");
        return set_text(c, line, &s->kind, v);
    }
    if (!strcmp(name, "region")) {
        if (reader_parse_int(v, &n) || n < 1 || n > 13)
            bad_setting(c, line, name, "a health region number 1-13");
        else
            s->region = (int)n;
    } else if (!strcmp(name, "fiscal_year")) {
        if (reader_parse_int(v, &n) || n < 2500 || n > 2700)
            bad_setting(c, line, name, "a Buddhist Era year such as 2563");
        else
            s->fiscal_year = (int)n;
    } else if (!strcmp(name, "sd")) {
        if (strcmp(v, "sample") && strcmp(v, "population"))
            bad_setting(c, line, name, "must be 'sample' or 'population'");
        s->sd_sample = !strcmp(v, "sample");
    } else if (!strcmp(name, "band_k")) {
        if (reader_parse_decimal(v, 4, &n) || n <= 0)
            bad_setting(c, line, name, "a positive number such as 1");
        else
            s->band_k = (double)n / 10000.0;
    } else if (!strcmp(name, "reserved_share")) {
        if (reader_parse_decimal(v, 2, &n) || n < 0 || n > 10000)
            bad_setting(c, line, name, "a percentage 0-100");
        else
            s->reserved_share_bp = n;
    } else if (!strcmp(name, "period_start")) {
        return parse_month_setting(c, name, v, line, &s->period_start);
    } else if (!strcmp(name, "period_end")) {
        return parse_month_setting(c, name, v, line, &s->period_end);
    } else if (!strcmp(name, "tb_pass_score")) {
        if (reader_parse_decimal(v, 2, &n) || n < 0 || n > 10000)
            bad_setting(c, line, name, "a score 0-100");
        else
            s->tb_pass_x100 = n;
    } else if (!strcmp(name, "eff7_min")) {
        if (reader_parse_int(v, &n) || n < 0 || n > 7)
            bad_setting(c, line, name, "a count 0-7");
        else
            s->eff7_min = (int)n;
    } else if (!strcmp(name, "kpi_levels")) { /* the levels a KPI's CMI total covers, e.g. A-F2 */
        char lo[8] = "", hi[8] = "";
        hosp_level l0, l1;
        if (sscanf(v, "%7[A-Z0-9]-%7[A-Z0-9]", lo, hi) != 2 || model_level_parse(lo, &l0) || model_level_parse(hi, &l1) ||
            l0 > l1)
            bad_setting(c, line, name, "a range of hospital levels such as A-F2");
        else
            s->kpi_level_lo = l0, s->kpi_level_hi = l1;
    } else if (!strcmp(name, "no_data")) {
        if (strcmp(v, "zero") && strcmp(v, "bottom_band"))
            bad_setting(c, line, name, "must be 'zero' or 'bottom_band'");
        s->nodata = !strcmp(v, "zero") ? NODATA_ZERO : NODATA_BOTTOM_BAND;
    } else {
        return SETTING_UNKNOWN;
    }
    return SETTING_OK;
}

/* ---- the CSV tables ---- */

typedef struct {
    const reader_table *t;
    size_t row;
    diag_ctx *d;
    int bad;
} row_ctx;

static const reader_cell *cell(row_ctx *r, const char *col)
{
    int c = reader_table_column(r->t, col);
    return c < 0 ? NULL : reader_table_cell(r->t, r->row, c);
}

static const char *text(row_ctx *r, const char *col)
{
    const reader_cell *c = cell(r, col);
    return c ? c->text : "";
}

static int64_t decimal(row_ctx *r, const char *col, int scale, int64_t dflt)
{
    const reader_cell *c = cell(r, col);
    if (!c || !c->text[0])
        return dflt;
    int64_t v;
    const char *err = reader_parse_decimal(c->text, scale, &v);
    if (err) {
        diag_add(r->d, DIAG_ERROR, reader_table_name(r->t), c->line, c->col, "column '%s': %s ('%s')", col, err,
                 c->text);
        r->bad = 1;
        return dflt;
    }
    return v;
}

static void row_error(row_ctx *r, const char *col, const char *why)
{
    const reader_cell *c = cell(r, col);
    diag_add(r->d, DIAG_ERROR, reader_table_name(r->t), c ? c->line : reader_table_row_line(r->t, r->row),
             c ? c->col : 1, "column '%s': %s ('%s')", col, why, c ? c->text : "");
    r->bad = 1;
}

static int lookup(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return i;
    return -1;
}

static reader_table *open_table(const char *dir, const char *file, const char *const *req, const char *const *opt,
                                int required, diag_ctx *d)
{
    char *path = util_path_join(dir, file);
    if (!path) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory");
        return NULL;
    }
    reader_table *t = NULL;
    if (access(path, F_OK) != 0) {
        if (required)
            diag_add(d, DIAG_ERROR, path, 0, 0, "required scheme file is missing");
    } else if ((t = reader_read_csv(path, "utf-8", d)) && reader_table_expect(t, req, opt, d) > 0) {
        reader_table_free(t);
        t = NULL;
    }
    free(path);
    return t;
}

/* The text of a cell, copied; NULL (and the row marked bad) when memory runs out. */
static char *dup_text(row_ctx *r, const char *col)
{
    char *t = util_strdup(text(r, col));
    if (!t) {
        diag_add(r->d, DIAG_SYSTEM, reader_table_name(r->t), reader_table_row_line(r->t, r->row), 1, "out of memory");
        r->bad = 1;
    }
    return t;
}

/* Reads one row into `elem`; marks the row bad (r->bad) to drop it. */
typedef void (*row_fn)(scheme *s, row_ctx *r, void *elem);

/* Reads every row of a scheme table into a new array of `size`-byte
 * elements, keeping the rows that are not bad. */
static void load_rows(scheme *s, const char *file, const char *const *req, const char *const *opt, int required,
                      size_t size, void **array, size_t *count, row_fn fn, diag_ctx *d)
{
    reader_table *t = open_table(s->dir, file, req, opt, required, d);
    if (!t)
        return;
    size_t n = reader_table_rows(t);
    if (!(*array = calloc(n ? n : 1, size)))
        diag_add(d, DIAG_SYSTEM, reader_table_name(t), 0, 0, "out of memory");
    for (size_t i = 0; *array && i < n; i++) {
        row_ctx r = {t, i, d, 0};
        fn(s, &r, (char *)*array + *count * size);
        if (!r.bad)
            (*count)++;
    }
    reader_table_free(t);
}

static void criterion_row(scheme *s, row_ctx *r, void *elem)
{
    static const char *dirs[] = {"higher", "lower"};
    static const char *rules[] = {"zband", "threshold", "passfail", "linear"};
    (void)s;
    criterion_def *c = elem;
    c->number = (int)decimal(r, "number", 0, 0);
    c->part = (int)decimal(r, "part", 0, 0);
    int64_t max = decimal(r, "max_points", 2, 0), weight = decimal(r, "weight_percent", 2, 10000);
    c->max_cp = (max * weight + 5000) / 10000;
    int m = lookup(text(r, "measure"), measure_names, M_COUNT);
    int dir = lookup(text(r, "direction"), dirs, 2);
    int rule = lookup(text(r, "rule"), rules, 4);
    if (m < 0)
        row_error(r, "measure", "unknown measure (see templates/README.md)");
    if (dir < 0)
        row_error(r, "direction", "must be 'higher' or 'lower'");
    if (rule < 0)
        row_error(r, "rule", "must be zband, threshold, passfail or linear");
    c->threshold = (double)decimal(r, "threshold", 4, 0) / 10000.0;
    c->low = (double)decimal(r, "low", 4, 0) / 10000.0;
    c->high = (double)decimal(r, "high", 4, 0) / 10000.0;
    if (rule == RULE_LINEAR && c->low == c->high)
        row_error(r, "high", "a linear rule needs low and high bounds that differ");
    if (r->bad)
        return;
    c->measure = (measure_id)m;
    c->dir = (score_direction)dir;
    c->rule = (score_rule)rule;
    if ((c->label_th = dup_text(r, "label_th")) && !(c->target_th = dup_text(r, "target_th"))) {
        free(c->label_th);
        c->label_th = NULL;
    }
}

static void band_row(scheme *s, row_ctx *r, void *elem)
{
    (void)s;
    band_def *b = elem;
    const char *op = text(r, "op");
    b->otherwise = !strcmp(op, "otherwise");
    b->strict = !strcmp(op, ">");
    if (!b->otherwise && !b->strict && strcmp(op, ">="))
        row_error(r, "op", "must be '>', '>=' or 'otherwise'");
    b->bound = (double)decimal(r, "z", 4, 0) / 10000.0;
    b->share_bp = decimal(r, "share_percent", 2, 0);
    if (!r->bad)
        b->label_th = dup_text(r, "label_th");
}

static void grade_row(scheme *s, row_ctx *r, void *elem)
{
    grade_def *g = elem;
    g->above_x100 = decimal(r, "above_percent", 2, -1);
    g->rate_bp = decimal(r, "clawback_percent", 2, 0);
    g->assumption = !strcmp(text(r, "assumption"), "yes");
    if (g->rate_bp < 0 || g->rate_bp > 10000)
        row_error(r, "clawback_percent", "a percentage 0-100");
    if (s->ngrades > 0 && g->above_x100 >= s->grades[s->ngrades - 1].above_x100 && g->above_x100 >= 0)
        row_error(r, "above_percent", "grades must be listed from the highest boundary down");
    if (!r->bad)
        g->grade = dup_text(r, "grade");
}

static void cmi_target_row(scheme *s, row_ctx *r, void *elem)
{
    (void)s;
    cmi_target *c = elem;
    if (model_level_parse(text(r, "level"), &c->level) != 0)
        row_error(r, "level", "unknown hospital level");
    const char *a = text(r, "a_size");
    c->a_large = !a[0] ? -1 : !strcmp(a, "large") ? 1 : 0;
    c->target_x1000 = decimal(r, "target", 3, 0);
}

static void load_tables(scheme *s, diag_ctx *d)
{
    static const char *crit_req[] = {"number", "label_th", "target_th", "max_points", "measure", "direction", "rule",
                                     NULL};
    static const char *crit_opt[] = {"part", "weight_percent", "threshold", "low", "high", "note", NULL};
    static const char *band_req[] = {"label_th", "op", "z", "share_percent", NULL};
    static const char *grade_req[] = {"grade", "above_percent", "clawback_percent", NULL};
    static const char *grade_opt[] = {"assumption", "note", NULL};
    static const char *cmi_req[] = {"level", "target", NULL};
    static const char *cmi_opt[] = {"a_size", "note", NULL};
    static const char *note[] = {"note", NULL};
    int finance = !s->kind || strcmp(s->kind, "kpi"); /* a KPI scheme has no criteria */
    load_rows(s, "criteria.csv", crit_req, crit_opt, finance, sizeof *s->criteria, (void **)&s->criteria,
              &s->ncriteria, criterion_row, d);
    load_rows(s, "bands.csv", band_req, note, 0, sizeof *s->bands, (void **)&s->bands, &s->nbands, band_row, d);
    load_rows(s, "grades.csv", grade_req, grade_opt, 0, sizeof *s->grades, (void **)&s->grades, &s->ngrades,
              grade_row, d);
    load_rows(s, "cmi_targets.csv", cmi_req, cmi_opt, 0, sizeof *s->cmi_targets, (void **)&s->cmi_targets,
              &s->ncmi_targets, cmi_target_row, d);
}

static int check_scheme(scheme *s, const char *ini, diag_ctx *d)
{
    int ok = 1;
#define NEED(cond, msg)                                                                                              \
    if (!(cond)) {                                                                                                   \
        diag_add(d, DIAG_ERROR, ini, 0, 0, msg);                                                                     \
        ok = 0;                                                                                                      \
    }
    NEED(s->name && s->title && s->kind, "scheme.ini must set name, title and kind");
    NEED(s->region, "scheme.ini must set region");
    NEED(s->fiscal_year, "scheme.ini must set fiscal_year");
    if (s->kind && !strcmp(s->kind, "finance")) {
        NEED(s->ncriteria > 0, "a finance scheme needs criteria");
        NEED(s->nbands > 0 && s->bands[s->nbands - 1].otherwise,
             "bands.csv must end with an 'otherwise' band so every z-score gets one");
        NEED(s->ngrades > 0 && s->grades[s->ngrades - 1].above_x100 < 0,
             "grades.csv must end with a grade whose above_percent is empty (the lowest)");
    }
#undef NEED
    return ok;
}

scheme *scheme_load(const char *dir, diag_ctx *d)
{
    scheme *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = util_strdup(dir))) {
        free(s);
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
        return NULL;
    }
    s->sd_sample = 1;
    s->band_k = 1.0;
    s->kpi_level_hi = LEVEL_P;
    s->period_end = FY_MONTHS - 1;
    s->tb_pass_x100 = 8000;
    s->eff7_min = 3;
    int errors = diag_errors(d);
    char *ini = util_path_join(dir, "scheme.ini");
    ini_ctx c = {s, d, ini, 0};
    if (ini && settings_parse(ini, "scheme", on_setting, &c, d) == 0) {
        load_tables(s, d);
        check_scheme(s, ini, d);
    }
    free(ini);
    if (diag_errors(d) > errors) {
        scheme_free(s);
        return NULL;
    }
    return s;
}

void scheme_free(scheme *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncriteria; i++) {
        free(s->criteria[i].label_th);
        free(s->criteria[i].target_th);
    }
    for (size_t i = 0; i < s->nbands; i++)
        free(s->bands[i].label_th);
    for (size_t i = 0; i < s->ngrades; i++)
        free(s->grades[i].grade);
    free(s->criteria);
    free(s->bands);
    free(s->grades);
    free(s->cmi_targets);
    free(s->dir);
    free(s->name);
    free(s->title);
    free(s->kind);
    free(s->organisation);
    free(s);
}
