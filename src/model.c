/* model: loading one health-region data folder (data/README.md) into the
 * dataset: hospital levels, fiscal months and code look-ups, the data
 * files' columns (their kinds and ranges) and how each valid row is stored
 * (duplicates, claims on a month), dataset.ini, provinces without
 * hospitals, and freeing the dataset. Reading a file against its columns,
 * cell by cell, is model_table.c's. */
#include "model_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "workbook.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Levels                                                              */

static const struct {
    const char *code, *name_th;
} level_table[LEVEL_COUNT] = {
    {"A", "โรงพยาบาลศูนย์"},       {"S", "โรงพยาบาลทั่วไป"},
    {"M1", "โรงพยาบาลทั่วไปขนาดเล็ก"}, {"M2", "โรงพยาบาลชุมชนแม่ข่าย"},
    {"F1", "โรงพยาบาลชุมชนขนาดใหญ่"}, {"F2", "โรงพยาบาลชุมชนขนาดกลาง"},
    {"F3", "โรงพยาบาลชุมชนขนาดเล็ก"}, {"P", "หน่วยบริการปฐมภูมิ"},
};

const char *model_level_code(hosp_level l) { return level_table[l].code; }
const char *model_level_name_th(hosp_level l) { return level_table[l].name_th; }

int model_level_parse(const char *s, hosp_level *out)
{
    for (int i = 0; i < LEVEL_COUNT; i++)
        if (!strcasecmp(s, level_table[i].code)) {
            *out = (hosp_level)i;
            return 0;
        }
    return -1;
}

int model_fiscal_month(int fiscal_year_be, reader_date m)
{
    int fy_ce = fiscal_year_be - 543;
    int idx = (m.year - (fy_ce - 1)) * 12 + (m.month - 10);
    return idx >= 0 && idx < FY_MONTHS ? idx : -1;
}

reader_date model_calendar_month(int fiscal_year_be, int fm)
{
    int fy_ce = fiscal_year_be - 543;
    int m0 = 9 + fm; /* 0-based month of October is 9 */
    return (reader_date){fy_ce - 1 + m0 / 12, m0 % 12 + 1, 0};
}

/* The number of a code of exactly `len` ASCII digits, or -1. */
long model_code_number(const char *code, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        if (code[i] < '0' || code[i] > '9')
            return -1;
        n = n * 10 + (code[i] - '0');
    }
    return code[len] ? -1 : n;
}

#define HOSPITAL_CODES 100000

long model_find_province(const dataset *ds, const char *code)
{
    long n = model_code_number(code, 2);
    return n < 0 ? -1 : (long)ds->province_by_code[n] - 1;
}

long model_find_hospital(const dataset *ds, const char *code)
{
    long n = model_code_number(code, 5);
    return n < 0 || !ds->hospital_by_code ? -1 : (long)ds->hospital_by_code[n] - 1;
}

/* Room for element n of an array that only ever grows one at a time from
 * empty: its capacity is the power of two at or above n, so it doubles when
 * n reaches one (a realloc per row copied the whole array each time where
 * realloc moves it: 60,000 hospitals took minutes under ASan). Returns p, the
 * moved array, or NULL with p untouched. */
static void *grow_array(void *p, size_t n, size_t size)
{
    if (n & (n - 1)) /* not 0 and not a power of two: there is room */
        return p;
    size_t cap = n ? 2 * n : 1;
    return cap > SIZE_MAX / size ? NULL : realloc(p, cap * size);
}

/* ------------------------------------------------------------------ */
/* The files                                                           */

static void oom(diag_ctx *d, const char *file, int line)
{
    diag_add(d, DIAG_SYSTEM, file, line, 0, "out of memory");
}

static const field_spec province_fields[] = {
    {"code", F_PROVCODE, 0, 0, 0},           {"name_th", F_TEXT, 0, 0, 0}, {"name_en", F_TEXT, 0, 0, 0},
    {"region", F_INT, 1, 13, 0},             {"reserved_baht", F_MONEY, 0, MODEL_MAX_SATANG, 0}, {0}};

/* A name's spaces as printed everywhere: none at its ends, one between its
 * words ("ณ  อำเภอนาทวี" would print with a double gap, and the line
 * breaker would take the name for two). Says so in a warning when it (or
 * the reader, trimming the cell) changed anything, so the office can fix the
 * source. */
static void normalise_name(char *name, int trimmed, const char *file, int line, diag_ctx *d)
{
    size_t k = 0;
    int changed = trimmed; /* blanks at its ends the reader took */
    for (size_t i = 0; name[i]; i++) {
        int blank = name[i] == ' ' || name[i] == '\t';
        if (blank && (k == 0 || name[i + 1] == ' ' || name[i + 1] == '\t' || !name[i + 1])) {
            changed = 1; /* at the start, doubled, or at the end */
            continue;
        }
        changed |= name[i] == '\t';
        name[k++] = blank ? ' ' : name[i];
    }
    name[k] = '\0';
    if (changed) /* a warning: the source cell is worth fixing, the printed name is right */
        diag_add(d, DIAG_WARNING, file, line, 0,
                 "the name \"%s\" has blanks at its start or end or two together: they are left out where it is "
                 "printed (correct the cell to silence this)",
                 name);
}

static void store_province(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    province *p = grow_array(ds->provinces, ds->nprovinces, sizeof *p);
    if (!p)
        return oom(d, file, line);
    ds->provinces = p;
    p = &p[ds->nprovinces];
    memset(p, 0, sizeof *p);
    char *code = util_ascii_digits(v[0].text);
    p->name_th = util_strdup(v[1].text);
    p->name_en = util_strdup(v[2].text);
    if (!code || !p->name_th || !p->name_en) {
        free(code);
        free(p->name_th);
        free(p->name_en);
        return oom(d, file, line);
    }
    normalise_name(p->name_th, v[1].trimmed, file, line, d);
    memcpy(p->code, code, 3);
    free(code);
    ds->province_by_code[model_code_number(p->code, 2)] = (uint32_t)ds->nprovinces + 1;
    p->region = (int)v[3].num;
    p->reserved_satang = v[4].num;
    ds->nprovinces++;
}

static const field_spec hospital_fields[] = {
    {"hcode", F_HCODE, 0, 0, 0},  {"name_th", F_TEXT, 0, 0, 0}, {"province", F_PROVREF, 0, 0, 0},
    {"level", F_LEVEL, 0, 0, 0},  {"a_size", F_ASIZE, 0, 0, 1}, {0}};

static void store_hospital(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    hospital *h = grow_array(ds->hospitals, ds->nhospitals, sizeof *h);
    if (!h)
        return oom(d, file, line);
    ds->hospitals = h;
    h = &h[ds->nhospitals];
    memset(h, 0, sizeof *h);
    if (reader_parse_hcode(v[0].text, h->code) || model_code_number(h->code, 5) < 0) /* checked before: out of memory */
        return oom(d, file, line);
    if (!(h->name_th = util_strdup(v[1].text)))
        return oom(d, file, line);
    normalise_name(h->name_th, v[1].trimmed, file, line, d);
    ds->hospital_by_code[model_code_number(h->code, 5)] = (uint32_t)ds->nhospitals + 1;
    h->province = (size_t)v[2].ref;
    h->level = (hosp_level)v[3].num;
    h->a_large = v[4].present && v[4].text && v[4].text[0] ? (int)v[4].num : -1; /* -1: size not given */
    h->eff7_passed = -1;
    ds->nhospitals++;
}

/* Monthly tables share one rule: one row per hospital and month. Returns
 * the slot's month, or -1 after reporting a duplicate. */
static int claim_month(dataset *ds, int *line_slot, const field_value *v, const char *file, int line, diag_ctx *d)
{
    if (*line_slot) {
        diag_add(d, DIAG_ERROR, file, line, v[1].col,
                 "duplicate row: hospital %s, month %s is already given on line %d", v[0].text, v[1].text,
                 *line_slot);
        return -1;
    }
    *line_slot = line;
    if ((int)v[1].num > ds->last_month)
        ds->last_month = (int)v[1].num;
    return (int)v[1].num;
}

#define HMONTH {"hcode", F_HREF, 0, 0, 0}, {"month", F_MONTH, 0, 0, 0}
/* Balances and costs cannot be negative; a month's flows can (a reversal of
 * revenue, a corrected accrual): see data/README.md. */
#define MONEY(n) {n, F_MONEY, 0, MODEL_MAX_SATANG, 0}
#define SIGNED_MONEY(n) {n, F_MONEY, -MODEL_MAX_SATANG, MODEL_MAX_SATANG, 0}
#define COUNT(n) {n, F_INT, 0, MODEL_MAX_COUNT, 0}

static const field_spec finance_fields[] = {
    HMONTH,
    MONEY("cash"),
    MONEY("receivables"),
    MONEY("inventory"),
    MONEY("other_current_assets"),
    MONEY("current_liabilities"),
    SIGNED_MONEY("revenue"),
    SIGNED_MONEY("investment_revenue"),
    SIGNED_MONEY("expense"),
    SIGNED_MONEY("depreciation"),
    COUNT("opd_visits"),
    MONEY("opd_cost"),
    MONEY("ipd_cost"),
    {0}};

static void store_finance(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    hospital *h = &ds->hospitals[v[0].ref];
    finance_month *f = &h->fin[v[1].num];
    if (claim_month(ds, &f->line, v, file, line, d) < 0)
        return;
    int64_t *dst[] = {&f->cash,    &f->receivables,        &f->inventory, &f->other_current_assets,
                      &f->current_liabilities, &f->revenue, &f->investment_revenue, &f->expense,
                      &f->depreciation, &f->opd_visits, &f->opd_cost, &f->ipd_cost};
    for (size_t i = 0; i < sizeof dst / sizeof *dst; i++)
        *dst[i] = v[2 + i].num;
}

static const field_spec tb_fields[] = {
    HMONTH, {"electronic_score", F_DEC2, 0, 10000, 0}, {"mapping_score", F_DEC2, 0, 10000, 0}, {0}};

static void store_tb(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    tb_month *t = &ds->hospitals[v[0].ref].tb[v[1].num];
    if (claim_month(ds, &t->line, v, file, line, d) < 0)
        return;
    t->electronic_x100 = v[2].num;
    t->mapping_x100 = v[3].num;
}

static const field_spec eclaim_fields[] = {HMONTH, COUNT("claims"), COUNT("claims_passed"), {0}};

static void store_eclaim(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    if (v[3].num > v[2].num) {
        diag_add(d, DIAG_ERROR, file, line, v[3].col, "column 'claims_passed': more claims passed (%lld) than sent (%lld)",
                 (long long)v[3].num, (long long)v[2].num);
        return;
    }
    eclaim_month *e = &ds->hospitals[v[0].ref].eclaim[v[1].num];
    if (claim_month(ds, &e->line, v, file, line, d) < 0)
        return;
    e->claims = v[2].num;
    e->claims_passed = v[3].num;
}

static const field_spec cmi_fields[] = {HMONTH, COUNT("discharges"), {"sum_adjrw", F_DEC4, 0, MODEL_MAX_COUNT * 10000, 0}, {0}};

static void store_cmi(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    if (v[2].num == 0 && v[3].num > 0) {
        diag_add(d, DIAG_ERROR, file, line, v[3].col, "column 'sum_adjrw': AdjRW given for a month with no discharges");
        return;
    }
    cmi_month *c = &ds->hospitals[v[0].ref].cmi[v[1].num];
    if (claim_month(ds, &c->line, v, file, line, d) < 0)
        return;
    c->discharges = v[2].num;
    c->adjrw_x10000 = v[3].num;
}

static const field_spec eff7_fields[] = {{"hcode", F_HREF, 0, 0, 0}, {"passed", F_INT, 0, 7, 0}, {0}};

static void store_eff7(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    hospital *h = &ds->hospitals[v[0].ref];
    if (h->eff7_passed >= 0) {
        diag_add(d, DIAG_ERROR, file, line, v[0].col, "duplicate row: hospital %s is given twice", v[0].text);
        return;
    }
    h->eff7_passed = (int)v[1].num;
}

static const field_spec ha_fields[] = {{"hcode", F_HREF, 0, 0, 0}, {"status", F_HA, 0, 0, 0}, {0}};

static void store_ha(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    hospital *h = &ds->hospitals[v[0].ref];
    if (h->ha_known) {
        diag_add(d, DIAG_ERROR, file, line, v[0].col, "duplicate row: hospital %s is given twice", v[0].text);
        return;
    }
    h->ha_known = 1;
    h->ha = (ha_status)v[1].num;
}

static const field_spec kpi_fields[] = {
    {"region", F_INT, 1, 13, 0},       {"kpi", F_TEXT, 0, 0, 0},          {"indicator", F_TEXT, 0, 0, 0},  {"target", F_TEXT, 0, 0, 0},
    {"milestone", F_TEXT, 0, 0, 0},    {"line_of_work", F_TEXT, 0, 0, 0}, {"component_no", F_INT, 1, 9, 0},
    {"component", F_TEXT, 0, 0, 0},    {"activity", F_OPTTEXT, 0, 0, 0}, {0}};

static void store_kpi(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d)
{
    kpi_row *k = grow_array(ds->kpi, ds->nkpi, sizeof *k);
    if (!k)
        return oom(d, file, line);
    ds->kpi = k;
    k = &k[ds->nkpi];
    memset(k, 0, sizeof *k);
    k->region = (int)v[0].num;
    char **dst[] = {&k->kpi, &k->indicator, &k->target, &k->milestone, &k->line_of_work};
    for (int i = 0; i < 5; i++)
        *dst[i] = util_strdup(v[1 + i].text);
    k->component_no = (int)v[6].num;
    k->component = util_strdup(v[7].text);
    k->activity = util_strdup(v[8].text);
    ds->nkpi++;
    if (!k->kpi || !k->indicator || !k->target || !k->milestone || !k->line_of_work || !k->component || !k->activity)
        oom(d, file, line);
}

static const loader loaders[] = {
    {"provinces.csv", 1, province_fields, store_province},
    {"hospitals.csv", 1, hospital_fields, store_hospital},
    {"finance.csv", 0, finance_fields, store_finance},
    {"trial_balance.csv", 0, tb_fields, store_tb},
    {"eclaim.csv", 0, eclaim_fields, store_eclaim},
    {"efficiency7.csv", 0, eff7_fields, store_eff7},
    {"cmi.csv", 0, cmi_fields, store_cmi},
    {"ha.csv", 0, ha_fields, store_ha},
    {"kpi.csv", 0, kpi_fields, store_kpi},
};

unsigned model_file_bit(const char *file)
{
    for (size_t i = 0; i < sizeof loaders / sizeof *loaders; i++)
        if (!strcmp(loaders[i].file, file))
            return 1u << i;
    return 0;
}

int model_file_present(const dataset *ds, const char *file)
{
    for (size_t i = 0; i < sizeof loaders / sizeof *loaders; i++)
        if (!strcmp(loaders[i].file, file))
            return (ds->files_present >> i) & 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* dataset.ini                                                         */

typedef struct {
    dataset *ds;
    diag_ctx *d;
    const char *path;
} ini_ctx;

static int on_ini(void *user, const char *name, const char *value, int line)
{
    ini_ctx *c = user;
    if (!c->ds->settings_line)
        c->ds->settings_line = line;
    if (!strcmp(name, "fiscal_year")) {
        int64_t y;
        if (reader_parse_int(value, &y) || y < 2500 || y > 2700)
            diag_add(c->d, DIAG_ERROR, c->path, line, 1, "fiscal_year must be a Buddhist Era year such as 2563");
        else
            c->ds->fiscal_year = (int)y;
    } else if (!strcmp(name, "data_date")) {
        const char *err = reader_parse_date(value, &c->ds->data_date);
        if (err)
            diag_add(c->d, DIAG_ERROR, c->path, line, 1, "data_date: %s", err);
    } else if (!strcmp(name, "region")) {
        int64_t r;
        if (reader_parse_int(value, &r) || r < 1 || r > 13)
            diag_add(c->d, DIAG_ERROR, c->path, line, 1, "region must be a health region number 1-13, not '%s'", value);
        else
            c->ds->region = (int)r;
    } else if (!strcmp(name, "finance_scheme") || !strcmp(name, "kpi_scheme")) {
        int fin = name[0] == 'f';
        char **dst = fin ? &c->ds->finance_scheme : &c->ds->kpi_scheme;
        free(*dst);
        if (!(*dst = util_strdup(value)))
            diag_add(c->d, DIAG_SYSTEM, c->path, line, 1, "out of memory");
        *(fin ? &c->ds->finance_scheme_line : &c->ds->kpi_scheme_line) = line;
    } else {
        return SETTING_UNKNOWN;
    }
    return SETTING_OK;
}

static int load_settings(dataset *ds, const char *dir, diag_ctx *d)
{
    /* a workbook's sheet "dataset", else dataset.ini in the folder (beside the workbook) */
    char *path = ds->book ? util_format("%s[dataset]", workbook_path(ds->book)) : util_path_join(dir, "dataset.ini");
    if (!path)
        return -1;
    ini_ctx c = {ds, d, path};
    static const char *const known[] = {"fiscal_year", "data_date", "region", "finance_scheme", "kpi_scheme", NULL};
    int rc = ds->book ? workbook_settings(ds->book, on_ini, &c, known, d) : -1;
    if (rc != 0) {
        free(path);
        char *folder = ds->book && !strcmp(dir, workbook_path(ds->book)) ? util_strndup(dir, (size_t)(strrchr(dir, '/') ? strrchr(dir, '/') - dir : 1)) : NULL;
        if (folder && !strrchr(dir, '/'))
            folder[0] = '.';
        path = util_path_join(folder ? folder : dir, "dataset.ini");
        free(folder);
        c.path = path;
        rc = path ? settings_parse_known(path, "dataset", on_ini, &c, known, d) : -1;
    }
    if (rc == 0 && !ds->fiscal_year) {
        diag_add(d, DIAG_ERROR, path, ds->settings_line, ds->settings_line ? 1 : 0,
                 "fiscal_year is not set: add the line 'fiscal_year = YYYY' under [dataset] (the Buddhist Era year "
                 "the folder's months belong to, e.g. 2567 for October 2566 to September 2567)");
        rc = -1;
    }
    if (rc == 0) { /* kept for the messages on the schemes it names (or does not) */
        ds->settings_path = path;
        path = NULL;
    }
    free(path);
    return rc;
}

/* A province without hospitals scores "no data" on every criterion: worth a word. */
static void warn_empty_provinces(const dataset *ds, const char *dir, diag_ctx *d)
{
    for (size_t p = 0; p < ds->nprovinces; p++) {
        size_t n = 0;
        for (size_t h = 0; h < ds->nhospitals; h++)
            n += ds->hospitals[h].province == p;
        if (!n)
            diag_add(d, DIAG_WARNING, dir, 0, 0, "province %s (%s) has no hospital in hospitals.csv",
                     ds->provinces[p].code, ds->provinces[p].name_th);
    }
}

dataset *model_load_tables(const char *dir, const char *encoding, diag_ctx *d)
{
    return model_load_tables_book(dir, NULL, encoding, d);
}

static dataset *load_tables(const char *dir, const struct workbook *book, const char *encoding, unsigned defer,
                            diag_ctx *d);

dataset *model_load_tables_book(const char *dir, const struct workbook *book, const char *encoding, diag_ctx *d)
{
    return load_tables(dir, book, encoding, 0, d);
}

dataset *model_load_tables_deferring(const char *dir, const char *encoding, unsigned defer, diag_ctx *d)
{
    return load_tables(dir, NULL, encoding, defer & ~3u, d); /* provinces and hospitals always */
}

/* Whether loader i is deferred: present, and a monthly file's months scanned. */
static int defer_one(load_ctx *lc, const char *dir, size_t i, const char *encoding)
{
    const loader *ld = &loaders[i];
    if (!(lc->ds->files_present >> i & 1))
        return 0; /* missing: the full path says so */
    if (ld->fields[1].kind == F_MONTH && model_scan_months(lc, dir, ld, encoding) != 0)
        return 0;
    lc->ds->deferred |= 1u << i;
    return 1;
}

int model_load_deferred(dataset *ds, const char *dir, const char *encoding, unsigned which, diag_ctx *d)
{
    int errors_before = diag_errors(d);
    /* nothing was rejected: a load with rejected rows has failed already */
    load_ctx lc = {.ds = ds};
    for (size_t i = 0; i < sizeof loaders / sizeof *loaders; i++)
        if (which & ds->deferred & 1u << i) {
            ds->deferred &= ~(1u << i);
            model_load_table(&lc, dir, &loaders[i], encoding, d);
        }
    return diag_errors(d) > errors_before ? -1 : 0;
}

static dataset *load_tables(const char *dir, const struct workbook *book, const char *encoding, unsigned defer,
                            diag_ctx *d)
{
    dataset *ds = calloc(1, sizeof *ds);
    if (!ds) {
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
        return NULL;
    }
    ds->book = book;
    ds->last_month = -1;
    int errors_before = diag_errors(d);
    load_ctx lc = {.ds = ds, .rejected_hospital = calloc(HOSPITAL_CODES, 1)};
    ds->hospital_by_code = calloc(HOSPITAL_CODES, sizeof *ds->hospital_by_code);
    if (!lc.rejected_hospital || !ds->hospital_by_code)
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
    else if (load_settings(ds, dir, d) == 0) {
        for (size_t i = 0; i < sizeof loaders / sizeof *loaders; i++) {
            if (model_has_file(ds, dir, loaders[i].file))
                ds->files_present |= 1u << i;
            if ((defer >> i & 1) && defer_one(&lc, dir, i, encoding))
                continue;
            if (model_load_table(&lc, dir, &loaders[i], encoding, d) != 0 && i < 2)
                break; /* nothing can refer to provinces or hospitals that failed */
        }
    }
    free(lc.rejected_hospital);
    warn_empty_provinces(ds, dir, d);
    if (diag_errors(d) > errors_before) {
        model_free(ds);
        return NULL;
    }
    return ds;
}

void model_free(dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->nprovinces; i++) {
        free(ds->provinces[i].name_th);
        free(ds->provinces[i].name_en);
    }
    for (size_t i = 0; i < ds->nhospitals; i++)
        free(ds->hospitals[i].name_th);
    for (size_t i = 0; i < ds->nkpi; i++) {
        kpi_row *k = &ds->kpi[i];
        free(k->kpi);
        free(k->indicator);
        free(k->target);
        free(k->milestone);
        free(k->line_of_work);
        free(k->component);
        free(k->activity);
    }
    free(ds->finance_scheme);
    free(ds->kpi_scheme);
    free(ds->settings_path);
    free(ds->provinces);
    free(ds->hospitals);
    free(ds->kpi);
    free(ds->hospital_by_code);
    free(ds);
}
