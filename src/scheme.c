/* scheme: loading a scheme, a folder in templates/ (see templates/README.md):
 * scheme.ini's settings, the CSV tables (criteria, bands, grades, CMI
 * targets) read and checked like data, the checks across them (points
 * adding up, grade ends), the scheme's year against the data's, and
 * freeing it. Its wording's placeholders are filled and checked in
 * scheme_wording.c. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "scheme_int.h"
#include "scoring.h"
#include "settings.h"
#include "util.h"

static const char *const measure_names[M_COUNT] = {
    "ebitda_sd", "nwc_ratio", "revenue_ge_expense", "tb_electronic", "tb_mapping", "eclaim",
    "eff7", "unit_cost", "risk7", "risk47", "risk47_improved",
};

const char *score_measure_name(measure_id m) { return measure_names[m]; }

/* A set of hospital levels as a bit mask: "A-F3", "A-P", "A,S,M1" or
 * "A-F3,P". 0 when the text is not one. */
unsigned scheme_parse_levels(const char *v)
{
    unsigned mask = 0;
    char buf[64];
    if (!v || strlen(v) >= sizeof buf)
        return 0;
    strcpy(buf, v);
    for (char *save = NULL, *item = strtok_r(buf, ", ", &save); item; item = strtok_r(NULL, ", ", &save)) {
        char *dash = strchr(item, '-');
        hosp_level lo, hi;
        if (dash)
            *dash = 0;
        if (model_level_parse(item, &lo) || model_level_parse(dash ? dash + 1 : item, &hi) || lo > hi)
            return 0;
        for (int l = (int)lo; l <= (int)hi; l++)
            mask |= 1u << l;
    }
    return mask;
}

void scheme_levels_text(unsigned mask, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (int l = 0; l < LEVEL_COUNT; l++) {
        if (!(mask >> l & 1u) || (l && mask >> (l - 1) & 1u))
            continue; /* not in the set, or inside a run already written */
        int e = l;
        while (e + 1 < LEVEL_COUNT && mask >> (e + 1) & 1u)
            e++;
        int w = e > l ? snprintf(buf + n, size - n, "%s%s-%s", n ? "," : "", model_level_code((hosp_level)l),
                                 model_level_code((hosp_level)e))
                      : snprintf(buf + n, size - n, "%s%s", n ? "," : "", model_level_code((hosp_level)l));
        if (w < 0 || (size_t)w >= size - n)
            return;
        n += (size_t)w;
    }
}

/* ---- scheme.ini ---- */

typedef struct {
    scheme *s;
    diag_ctx *d;
    const char *path;
    int fiscal_year_seen;
    reader_date period[2]; /* period_start, period_end as written; year 0 = not given */
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

/* A list of words (spaces or commas between them) as a mask of names[i] ->
 * bits[i]; -1 on a word not among the names. */
static int word_mask(const char *v, const char *const *names, const unsigned *bits, int n, unsigned *mask)
{
    *mask = 0;
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, " ,\t");
        int found = -1;
        for (int i = 0; len && i < n && found < 0; i++)
            if (strlen(names[i]) == len && !strncmp(p, names[i], len))
                found = i;
        if (len && found < 0)
            return -1;
        if (len)
            *mask |= bits[found];
        p += len;
        p += strspn(p, " ,\t");
    }
    return 0;
}

/* period_start/period_end are read as months and placed in the fiscal year
 * once the whole file is read (fiscal_year may come after them). */
static int parse_month_setting(ini_ctx *c, const char *name, const char *v, int line, reader_date *out)
{
    const char *err = reader_parse_month(v, out);
    if (err) {
        bad_setting(c, line, name, err);
        out->year = 0;
    }
    return 1;
}

/* The period's months inside the scheme's fiscal year: a month of another
 * year names that year and the month to write. */
static void place_period(ini_ctx *c)
{
    scheme *s = c->s;
    static const char *const names[2] = {"period_start", "period_end"};
    int *dst[2] = {&s->period_start, &s->period_end}, lines[2] = {s->period_start_line, s->period_end_line};
    for (int i = 0; i < 2; i++) {
        reader_date m = c->period[i];
        if (!m.year || !s->fiscal_year)
            continue;
        int fm = model_fiscal_month(s->fiscal_year, m);
        if (fm >= 0) {
            *dst[i] = fm;
            continue;
        }
        int be = m.year + 543, its_fy = m.month >= 10 ? be + 1 : be;
        char why[256];
        snprintf(why, sizeof why,
                 "%04d-%02d is in fiscal year %d, not the scheme's %d (October %d to September %d): write %04d-%02d",
                 be, m.month, its_fy, s->fiscal_year, s->fiscal_year - 1, s->fiscal_year,
                 m.month >= 10 ? s->fiscal_year - 1 : s->fiscal_year, m.month);
        bad_setting(c, lines[i], names[i], why);
    }
}

static int on_setting(void *user, const char *name, const char *v, int line)
{
    ini_ctx *c = user;
    scheme *s = c->s;
    int64_t n = 0;
    if (!strcmp(name, "name"))
        return set_text(c, line, &s->name, v);
    if (!strcmp(name, "title"))
        return s->title_line = line, set_text(c, line, &s->title, v);
    if (!strcmp(name, "organisation"))
        return s->organisation_line = line, set_text(c, line, &s->organisation, v);
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
        s->fiscal_year_line = line;
    } else if (!strcmp(name, "total_points")) {
        if (reader_parse_decimal(v, 2, &n) || n <= 0 || n > 100000000)
            bad_setting(c, line, name, "a positive number of points such as 900");
        else
            s->total_points_cp = n;
        s->total_points_line = line;
    } else if (!strcmp(name, "reserve_note")) {
        s->reserve_note_line = line;
        return set_text(c, line, &s->reserve_note, v);
    } else if (!strcmp(name, "rounding")) {
        if (strcmp(v, "satang_half_up"))
            bad_setting(c, line, name, "khet rounds amounts to the satang, half up: 'satang_half_up'");
    } else if (!strcmp(name, "sd")) {
        if (strcmp(v, "sample") && strcmp(v, "population"))
            bad_setting(c, line, name, "must be 'sample' or 'population'");
        s->sd_sample = !strcmp(v, "sample");
    } else if (!strcmp(name, "band_k")) {
        if (reader_parse_decimal(v, 4, &n) || n <= 0)
            bad_setting(c, line, name, "a positive number such as 1");
        else
            s->band_k = (double)n / 10000.0, s->band_k_x10000 = n;
    } else if (!strcmp(name, "reserved_share")) {
        if (reader_parse_decimal(v, 2, &n) || n < 0 || n > 10000)
            bad_setting(c, line, name, "a percentage 0-100");
        else
            s->reserved_share_bp = n;
    } else if (!strcmp(name, "period_start")) {
        s->period_start_line = line;
        return parse_month_setting(c, name, v, line, &c->period[0]);
    } else if (!strcmp(name, "period_end")) {
        s->period_end_line = line;
        return parse_month_setting(c, name, v, line, &c->period[1]);
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
    } else if (!strcmp(name, "levels")) { /* the hospital levels the criteria count (default A-F3) */
        unsigned m = scheme_parse_levels(v);
        if (!m)
            bad_setting(c, line, name, "hospital levels such as A-F3, A-P or A-F3,P");
        else
            s->levels_mask = m;
    } else if (!strcmp(name, "min_provinces")) { /* a banded criterion needs this many provinces with data */
        if (reader_parse_int(v, &n) || n < 1 || n > 100)
            bad_setting(c, line, name, "a number of provinces 1-100 (the sample SD needs at least 2)");
        else
            s->min_provinces = (int)n;
        s->min_provinces_line = line;
    } else if (!strcmp(name, "too_few_provinces")) { /* what a banded criterion does with fewer */
        s->too_few_line = line;
        if (!strcmp(v, "no_grade"))
            s->too_few_band = -1;
        else if (sscanf(v, "band %" SCNd64, &n) == 1 && n >= 1 && n <= 100)
            s->too_few_band = (int)n - 1; /* checked against bands.csv once it is read */
        else
            bad_setting(c, line, name, "'no_grade', or 'band N' (the N-th row of bands.csv for every province)");
    } else if (!strcmp(name, "assumed")) { /* the settings that are the scheme's reading, not the announcement's */
        static const char *names[] = {"sd", "no_data", "tb_pass_score", "eff7_min", "region_pass_lines"};
        static const unsigned bits[] = {ASSUMED_SD, ASSUMED_NO_DATA, ASSUMED_TB_PASS, ASSUMED_EFF7,
                                        ASSUMED_REGION_PASS};
        if (word_mask(v, names, bits, 5, &s->assumed))
            bad_setting(c, line, name, "a list of: sd, no_data, tb_pass_score, eff7_min, region_pass_lines");
    } else if (!strcmp(name, "region_pass_lines")) { /* KPI: the share of lines of work that must pass the stage */
        if (reader_parse_decimal(v, 2, &n) || n <= 0 || n > 10000)
            bad_setting(c, line, name, "a percentage above 0, at most 100");
        else
            s->region_pass_bp = n;
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
    int prev_bad; /* the row before was refused: no check against it (one root error, not a cascade) */
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

/* One error a row: once a row is wrong, what follows from it is not reported. */
static void row_error(row_ctx *r, const char *col, const char *why)
{
    if (r->bad)
        return;
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
    } else if ((t = reader_read_csv(path, NULL, d)) && reader_table_expect(t, req, opt, d) > 0) {
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
                      size_t size, void **array, size_t *count, row_fn fn, unsigned bit, diag_ctx *d)
{
    int errors = diag_errors(d);
    reader_table *t = open_table(s->dir, file, req, opt, required, d);
    if (diag_errors(d) > errors)
        s->bad_tables |= bit; /* the table's own checks would only repeat it */
    if (!t)
        return;
    size_t n = reader_table_rows(t);
    if (!(*array = calloc(n ? n : 1, size)))
        diag_add(d, DIAG_SYSTEM, reader_table_name(t), 0, 0, "out of memory");
    int prev_bad = 0;
    for (size_t i = 0; *array && i < n; i++) {
        row_ctx r = {t, i, d, 0, prev_bad};
        fn(s, &r, (char *)*array + *count * size);
        if (!r.bad)
            (*count)++;
        else
            s->bad_tables |= bit;
        prev_bad = r.bad;
    }
    reader_table_free(t);
}

static void criterion_row(scheme *s, row_ctx *r, void *elem)
{
    static const char *dirs[] = {"higher", "lower"};
    static const char *rules[] = {"zband", "threshold", "passfail", "linear"};
    criterion_def *c = elem;
    c->number = (int)decimal(r, "number", 0, 0);
    c->part = (int)decimal(r, "part", 0, 0);
    c->line = reader_table_row_line(r->t, r->row);
    int64_t max = decimal(r, "max_points", 2, 0), weight = decimal(r, "weight_percent", 2, 10000);
    int max_ok = max > 0 && max <= 100000000, weight_ok = weight >= 0 && weight <= 10000;
    if (!max_ok)
        row_error(r, "max_points", "a criterion's points must be more than 0 (and at most 1,000,000)");
    if (!weight_ok)
        row_error(r, "weight_percent", "a part's share must be 0-100 %");
    c->points_cp = max;
    c->weight_bp = weight;
    /* only in range: max_points 1e15 would overflow the product (the row is dropped anyway) */
    c->max_cp = max_ok && weight_ok ? (max * weight + 5000) / 10000 : 0;
    int m = lookup(text(r, "measure"), measure_names, M_COUNT);
    int dir = lookup(text(r, "direction"), dirs, 2);
    int rule = lookup(text(r, "rule"), rules, 4);
    if (m < 0)
        row_error(r, "measure", "unknown measure (see templates/README.md)");
    if (dir < 0)
        row_error(r, "direction", "must be 'higher' or 'lower'");
    if (rule < 0)
        row_error(r, "rule", "must be zband, threshold, passfail or linear");
    static const char *assumed[] = {"rule", "weights", "measure"};
    static const unsigned assumed_bits[] = {ASSUMED_RULE, ASSUMED_WEIGHTS, ASSUMED_MEASURE};
    if (word_mask(text(r, "assumed"), assumed, assumed_bits, 3, &c->assumed))
        row_error(r, "assumed", "a list of: rule, weights, measure (the readings the announcement does not state)");
    const char *lv = text(r, "levels"); /* the units this criterion counts; empty: scheme.ini's `levels` */
    c->levels_mask = lv[0] ? scheme_parse_levels(lv) : s->levels_mask;
    if (!c->levels_mask)
        row_error(r, "levels", "hospital levels such as A-F3, A-P or A-F3,P");
    int64_t cutoff = decimal(r, "cutoff_day", 0, 0);
    c->cutoff_day = cutoff >= 0 && cutoff <= 28 ? (int)cutoff : 0;
    if (cutoff < 0 || cutoff > 28)
        row_error(r, "cutoff_day", "the day of the month after the period's end on which the figures are cut off: 1-28, "
                                   "or empty for the dataset's data_date");
    c->threshold_x10000 = decimal(r, "threshold", 4, 0);
    c->low_x10000 = decimal(r, "low", 4, 0);
    c->high_x10000 = decimal(r, "high", 4, 0);
    c->threshold = (double)c->threshold_x10000 / 10000.0;
    c->low = (double)c->low_x10000 / 10000.0;
    c->high = (double)c->high_x10000 / 10000.0;
    if (rule == RULE_LINEAR && c->low_x10000 == c->high_x10000)
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
    if (!r->bad && text(r, "short_th")[0] && !(c->short_th = dup_text(r, "short_th"))) {
        free(c->label_th); /* the row is dropped */
        free(c->target_th);
        c->label_th = c->target_th = NULL;
    }
}

static void band_row(scheme *s, row_ctx *r, void *elem)
{
    band_def *b = elem;
    const char *op = text(r, "op");
    b->otherwise = !strcmp(op, "otherwise");
    b->strict = !strcmp(op, ">");
    if (!b->otherwise && !b->strict && strcmp(op, ">="))
        row_error(r, "op", "must be '>', '>=' or 'otherwise'");
    b->line = reader_table_row_line(r->t, r->row);
    b->bound_x10000 = decimal(r, "z", 4, 0);
    b->bound = (double)b->bound_x10000 / 10000.0;
    b->share_bp = decimal(r, "share_percent", 2, 0);
    b->assumption = !strcmp(text(r, "assumption"), "yes");
    if (b->share_bp < 0 || b->share_bp > 10000)
        row_error(r, "share_percent", "a band's share of the points must be 0-100 %");
    if (r->prev_bad)
        ; /* the row before was refused: nothing to compare with */
    else if (s->nbands > 0 && s->bands[s->nbands - 1].otherwise)
        row_error(r, "op", "a band after the 'otherwise' band can never match");
    else if (s->nbands > 0 && !b->otherwise) {
        const band_def *prev = &s->bands[s->nbands - 1];
        /* first match wins: each band must start below the one before it
         * (or at the same z, taking the equal case the previous one left) */
        if (b->bound_x10000 > prev->bound_x10000 ||
            (b->bound_x10000 == prev->bound_x10000 && (b->strict || !prev->strict)))
            row_error(r, "z", "bands must be listed from the highest z down, each below the one before");
    }
    if (!r->bad)
        b->label_th = dup_text(r, "label_th");
}

static void grade_row(scheme *s, row_ctx *r, void *elem)
{
    grade_def *g = elem;
    g->above_x100 = decimal(r, "above_percent", 2, -1);
    g->rate_bp = decimal(r, "clawback_percent", 2, 0);
    g->assumption = !strcmp(text(r, "assumption"), "yes");
    g->line = reader_table_row_line(r->t, r->row);
    g->announced_low = (int)(decimal(r, "announced_low", 0, -1));
    g->announced_high = (int)(decimal(r, "announced_high", 0, -1));
    if (g->rate_bp < 0 || g->rate_bp > 10000)
        row_error(r, "clawback_percent", "a percentage 0-100");
    if (g->above_x100 != -1 && (g->above_x100 < 0 || g->above_x100 >= 10000))
        row_error(r, "above_percent", "a grade boundary is a percentage from 0 to below 100");
    if (r->prev_bad)
        ; /* the row before was refused: nothing to compare with */
    else if (s->ngrades > 0 && s->grades[s->ngrades - 1].above_x100 < 0)
        row_error(r, "above_percent", "a grade after the lowest grade (empty above_percent) can never be given");
    else if (s->ngrades > 0 && g->above_x100 >= s->grades[s->ngrades - 1].above_x100 && g->above_x100 >= 0) {
        const grade_def *up = &s->grades[s->ngrades - 1];
        char why[160];
        snprintf(why, sizeof why, "grades are listed from the highest boundary down: this one must be below %lld.%02lld, "
                 "the boundary of grade %s on line %d", (long long)(up->above_x100 / 100),
                 (long long)(up->above_x100 % 100), up->grade ? up->grade : "", up->line);
        row_error(r, "above_percent", why);
    }
    if ((g->announced_low < 0) != (g->announced_high < 0))
        row_error(r, "announced_high", "give both ends of the announced range, or neither");
    else if (g->announced_low >= 0 && (g->announced_low > g->announced_high || g->announced_high > 100))
        row_error(r, "announced_low", "the announced range must run low to high within 0-100");
    else if (g->announced_low >= 0 && g->above_x100 >= 0 &&
             (g->above_x100 >= (int64_t)g->announced_low * 100 || g->above_x100 < ((int64_t)g->announced_low - 1) * 100))
        row_error(r, "above_percent", "the boundary must fall in the step just below the announced range's low end");
    if (!r->prev_bad && g->announced_low >= 0 && s->ngrades > 0 && s->grades[s->ngrades - 1].announced_low >= 0) {
        const grade_def *up = &s->grades[s->ngrades - 1];
        char why[160];
        snprintf(why, sizeof why, "%s the grade above it (%s, from %d on line %d): end this range at %d",
                 g->announced_high >= up->announced_low ? "the announced range overlaps" : "a gap between this range and",
                 up->grade ? up->grade : "", up->announced_low, up->line, up->announced_low - 1);
        if (g->announced_high >= up->announced_low || up->announced_low - g->announced_high > 1)
            row_error(r, "announced_high", why);
    }
    if (!r->bad && text(r, "announced_th")[0])
        g->announced_th = dup_text(r, "announced_th");
    if (!r->bad && !(g->grade = dup_text(r, "grade"))) {
        free(g->announced_th); /* the row is dropped */
        g->announced_th = NULL;
    }
}

static void cmi_target_row(scheme *s, row_ctx *r, void *elem)
{
    cmi_target *c = elem;
    if (model_level_parse(text(r, "level"), &c->level) != 0)
        row_error(r, "level", "unknown hospital level");
    const char *a = text(r, "a_size");
    c->a_large = !a[0] ? -1 : !strcmp(a, "large") ? 1 : 0;
    if (a[0] && strcmp(a, "large") && strcmp(a, "small"))
        row_error(r, "a_size", "must be 'large', 'small' or empty (the target of a hospital whose size is not given)");
    c->target_x1000 = decimal(r, "target", 3, 0);
    c->line = reader_table_row_line(r->t, r->row);
    if (c->target_x1000 <= 0)
        row_error(r, "target", "a CMI target must be more than 0");
    for (size_t i = 0; !r->bad && i < s->ncmi_targets; i++)
        if (s->cmi_targets[i].level == c->level && s->cmi_targets[i].a_large == c->a_large) {
            char why[96];
            snprintf(why, sizeof why, "a second target for the same level and size (line %d)", s->cmi_targets[i].line);
            row_error(r, "level", why);
        }
}

static void load_tables(scheme *s, diag_ctx *d)
{
    static const char *crit_req[] = {"number", "label_th", "target_th", "max_points", "measure", "direction", "rule",
                                     NULL};
    static const char *crit_opt[] = {"part", "weight_percent", "threshold", "low", "high", "assumed", "levels",
                                     "short_th", "cutoff_day", "note", NULL};
    static const char *band_req[] = {"label_th", "op", "z", "share_percent", NULL};
    static const char *grade_req[] = {"grade", "above_percent", "clawback_percent", NULL};
    static const char *grade_opt[] = {"assumption", "announced_low", "announced_high", "announced_th", "note", NULL};
    static const char *cmi_req[] = {"level", "target", NULL};
    static const char *cmi_opt[] = {"a_size", "note", NULL};
    static const char *band_opt[] = {"assumption", "note", NULL};
    int finance = !s->kind || strcmp(s->kind, "kpi"); /* a KPI scheme has no criteria */
    load_rows(s, "criteria.csv", crit_req, crit_opt, finance, sizeof *s->criteria, (void **)&s->criteria,
              &s->ncriteria, criterion_row, 1, d);
    load_rows(s, "bands.csv", band_req, band_opt, 0, sizeof *s->bands, (void **)&s->bands, &s->nbands, band_row, 2, d);
    load_rows(s, "grades.csv", grade_req, grade_opt, 0, sizeof *s->grades, (void **)&s->grades, &s->ngrades,
              grade_row, 4, d);
    load_rows(s, "cmi_targets.csv", cmi_req, cmi_opt, 0, sizeof *s->cmi_targets, (void **)&s->cmi_targets,
              &s->ncmi_targets, cmi_target_row, 8, d);
}

static int check_points(const scheme *s, diag_ctx *d);
static int check_grade_ends(const scheme *s, diag_ctx *d);

/* Whether a criterion is banded by z-score (a finance scheme always is
 * checked for bands, as its announcement bands its criteria). */
static int needs_bands(const scheme *s)
{
    if (s->kind && !strcmp(s->kind, "finance"))
        return 1;
    for (size_t c = 0; c < s->ncriteria; c++)
        if (s->criteria[c].rule == RULE_ZBAND)
            return 1;
    return 0;
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
        /* a table with a refused row has had its error: its whole-table rules would only echo it */
        NEED((s->bad_tables & 1) || s->ncriteria > 0, "a finance scheme needs criteria");
        NEED((s->bad_tables & 4) || (s->ngrades > 0 && s->grades[s->ngrades - 1].above_x100 < 0),
             "grades.csv must end with a grade whose above_percent is empty (the lowest)");
    }
    /* any kind of scheme: a criterion banded by Mean ± 1SD needs the bands
     * (a KPI scheme may score criteria too, and zband indexes bands.csv) */
    NEED((s->bad_tables & 2) || !needs_bands(s) || s->nbands > 0,
         "the criteria are banded by Mean ± 1SD (rule zband), which needs bands.csv in the scheme folder");
    NEED((s->bad_tables & 2) || s->nbands == 0 || s->bands[s->nbands - 1].otherwise,
         "bands.csv must end with an 'otherwise' band so every z-score gets one");
#undef NEED
    if (s->too_few_band >= 0 && (size_t)s->too_few_band >= s->nbands) {
        diag_add(d, DIAG_ERROR, ini, s->too_few_line, 1,
                 "setting 'too_few_provinces': bands.csv has %zu bands, not %d", s->nbands, s->too_few_band + 1);
        ok = 0;
    }
    if (s->period_start > s->period_end) {
        diag_add(d, DIAG_ERROR, ini, s->period_start_line, 1,
                 "setting 'period_start': the period starts after it ends (period_end, line %d)", s->period_end_line);
        ok = 0;
    }
    return ((s->bad_tables & 1) || check_points(s, d)) && ((s->bad_tables & 4) || check_grade_ends(s, d)) && ok;
}

/* The criteria's points add up to the declared total, and the parts of a
 * criterion share its points out exactly (40 + 30 + 30 = 100 %). */
static int check_points(const scheme *s, diag_ctx *d)
{
    char *csv = util_path_join(s->dir, "criteria.csv"), *ini = util_path_join(s->dir, "scheme.ini");
    int ok = csv && ini;
    int64_t total = 0;
    for (size_t i = 0; ok && i < s->ncriteria; i++) {
        const criterion_def *c = &s->criteria[i];
        total += c->max_cp;
        if (c->part && (i == 0 || s->criteria[i - 1].number != c->number)) { /* the first part */
            int64_t w = 0;
            size_t j = i;
            for (; j < s->ncriteria && s->criteria[j].number == c->number; j++) {
                w += s->criteria[j].weight_bp;
                if (s->criteria[j].points_cp != c->points_cp) {
                    diag_add(d, DIAG_ERROR, csv, s->criteria[j].line, 1,
                             "column 'max_points': the parts of criterion %d must give the criterion's same points",
                             c->number);
                    ok = 0;
                }
            }
            if (w != 10000) {
                diag_add(d, DIAG_ERROR, csv, c->line, 1,
                         "column 'weight_percent': the parts of criterion %d share %lld.%02lld %% of its points, not 100 %%",
                         c->number, (long long)(w / 100), (long long)(w % 100));
                ok = 0;
            }
        }
    }
    if (ok && s->total_points_cp > 0 && total != s->total_points_cp) {
        diag_add(d, DIAG_ERROR, ini, s->total_points_line, 1,
                 "setting 'total_points': the criteria in criteria.csv give %lld.%02lld points, not the declared %lld.%02lld",
                 (long long)(total / 100), (long long)(total % 100), (long long)(s->total_points_cp / 100),
                 (long long)(s->total_points_cp % 100));
        ok = 0;
    }
    free(csv);
    free(ini);
    return ok;
}

/* An announced grade table covers 0-100: the top range reaches 100 and the
 * lowest starts at 0 (when the ranges are given). */
static int check_grade_ends(const scheme *s, diag_ctx *d)
{
    if (!s->ngrades || s->grades[0].announced_low < 0)
        return 1;
    char *csv = util_path_join(s->dir, "grades.csv");
    int ok = 1;
    const grade_def *top = &s->grades[0], *low = &s->grades[s->ngrades - 1];
    if (top->announced_high != 100) {
        diag_add(d, DIAG_ERROR, csv, top->line, 1, "column 'announced_high': the highest grade must reach 100");
        ok = 0;
    }
    if (low->announced_low > 0) {
        diag_add(d, DIAG_ERROR, csv, low->line, 1, "column 'announced_low': the lowest grade must start at 0");
        ok = 0;
    }
    free(csv);
    return ok;
}

int scheme_check_year(const scheme *s, const dataset *ds, int allow, diag_ctx *d)
{
    if (s->fiscal_year == ds->fiscal_year)
        return 0;
    char *ini = util_path_join(s->dir, "scheme.ini");
    diag_add(d, allow ? DIAG_WARNING : DIAG_ERROR, ini ? ini : s->dir, s->fiscal_year_line, 1,
             "the scheme is for fiscal year %d, the data for %d%s", s->fiscal_year, ds->fiscal_year,
             allow ? " (--allow-year-mismatch: the documents say so)" : " (--allow-year-mismatch scores it anyway)");
    free(ini);
    return allow ? 0 : -1;
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
    s->band_k_x10000 = 10000;
    s->too_few_band = -1;
    s->kpi_level_hi = LEVEL_P;
    s->levels_mask = SCHEME_DEFAULT_LEVELS;
    s->period_end = FY_MONTHS - 1;
    s->tb_pass_x100 = 8000;
    s->eff7_min = 3;
    s->region_pass_bp = 10000;
    s->total_points_cp = -1;
    int errors = diag_errors(d);
    char *ini = util_path_join(dir, "scheme.ini");
    ini_ctx c = {s, d, ini, 0, {{0, 0, 0}, {0, 0, 0}}};
    static const char *const known[] = {"name", "title", "organisation", "kind", "region", "fiscal_year", "total_points",
                                        "reserve_note", "rounding", "sd", "band_k", "reserved_share", "period_start",
                                        "period_end", "tb_pass_score", "eff7_min", "kpi_levels", "no_data", "assumed",
                                        "min_provinces", "too_few_provinces", "levels", NULL};
    if (ini && settings_parse_known(ini, "scheme", on_setting, &c, known, d) == 0) {
        place_period(&c);
        load_tables(s, d);
        if (check_scheme(s, ini, d))
            scheme_fill_wording(s, d);
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
        free(s->criteria[i].short_th);
    }
    for (size_t i = 0; i < s->nbands; i++)
        free(s->bands[i].label_th);
    for (size_t i = 0; i < s->ngrades; i++) {
        free(s->grades[i].grade);
        free(s->grades[i].announced_th);
    }
    free(s->criteria);
    free(s->bands);
    free(s->grades);
    free(s->cmi_targets);
    free(s->dir);
    free(s->name);
    free(s->title);
    free(s->kind);
    free(s->organisation);
    free(s->reserve_note);
    free(s);
}
