/* model_table: one data file (a CSV file or a workbook's sheet) read
 * against its columns' specs (model_int.h) for model.c: each cell checked
 * and converted by its kind (numbers and money in range, province and
 * hospital codes new or known, months inside the fiscal year, levels, HA
 * status), errors at file:line:column with the column's Thai name, rows
 * that refer to rejected provinces or hospitals skipped quietly, months of
 * another year reported once a file with the fix; the valid rows handed to
 * the file's store function. Also Thai column headers, opening a file
 * from the folder or the workbook, and the scan of a file's months for a
 * render whose documents do not print it (model_load_tables_deferring). */
#include "model_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "workbook.h"

static int was_rejected(const load_ctx *lc, char kind, const char *code)
{
    long n = model_code_number(code, kind == 'P' ? 2 : 5);
    if (n < 0)
        return 0;
    return kind == 'P' ? lc->rejected_province[n] : lc->rejected_hospital && lc->rejected_hospital[n];
}

static void remember_rejected(load_ctx *lc, char kind, const char *code)
{
    long n = model_code_number(code, kind == 'P' ? 2 : 5);
    if (n >= 0 && kind == 'P')
        lc->rejected_province[n] = 1;
    else if (n >= 0 && lc->rejected_hospital)
        lc->rejected_hospital[n] = 1;
}

/* Thai names of the columns, for messages read by Thai staff. */
static const struct {
    const char *col, *th;
} column_th[] = {
    {"code", "รหัสจังหวัด"},         {"name_th", "ชื่อภาษาไทย"},        {"name_en", "ชื่อภาษาอังกฤษ"},
    {"region", "เขตสุขภาพ"},         {"reserved_baht", "เงินส่วนที่กัน"},   {"hcode", "รหัสหน่วยบริการ"},
    {"province", "จังหวัด"},          {"level", "ระดับโรงพยาบาล"},      {"a_size", "ขนาดโรงพยาบาลศูนย์"},
    {"month", "เดือน"},              {"cash", "เงินสดและรายการเทียบเท่าเงินสด"}, {"receivables", "ลูกหนี้"},
    {"inventory", "สินค้าคงคลัง"},     {"other_current_assets", "สินทรัพย์หมุนเวียนอื่น"},
    {"current_liabilities", "หนี้สินหมุนเวียน"}, {"revenue", "รายได้ (ไม่รวมงบลงทุน)"},
    {"investment_revenue", "งบลงทุน"}, {"expense", "ค่าใช้จ่าย (ไม่รวมค่าเสื่อมราคา)"},
    {"depreciation", "ค่าเสื่อมราคาและค่าตัดจำหน่าย"}, {"opd_visits", "จำนวนครั้งผู้ป่วยนอก"},
    {"opd_cost", "ต้นทุนผู้ป่วยนอก"},  {"ipd_cost", "ต้นทุนผู้ป่วยใน"},
    {"electronic_score", "คะแนนงบทดลองระบบ Electronic"}, {"mapping_score", "คะแนนงบทดลองระบบ Mapping"},
    {"claims", "จำนวนข้อมูล E-Claim"}, {"claims_passed", "จำนวนที่ผ่าน"}, {"passed", "จำนวนตัวชี้วัดที่ผ่าน"},
    {"discharges", "จำนวนผู้ป่วยจำหน่าย"}, {"sum_adjrw", "ผลรวม AdjRW"}, {"status", "สถานะ HA"},
    {"kpi", "ตัวชี้วัด"},            {"indicator", "ชื่อตัวชี้วัด"},      {"target", "เป้าหมาย"},
    {"milestone", "Small Success"},  {"line_of_work", "ประเด็นงาน"},   {"component_no", "ลำดับองค์ประกอบ"},
    {"component", "องค์ประกอบ"},      {"activity", "กิจกรรมที่ดำเนินการ"},
    /* the inspection files (inspection.c) */
    {"months", "ระยะ (เดือน)"}, {"goal", "สิ่งที่ระยะนี้กำหนด"}, {"round", "รอบ"}, {"section", "หัวข้อ"},
    {"text", "ข้อความ"},
};

static const char *thai_name(const char *col)
{
    for (size_t i = 0; i < sizeof column_th / sizeof *column_th; i++)
        if (!strcmp(column_th[i].col, col))
            return column_th[i].th;
    return NULL;
}

/* A header typed as khet's Thai label of a column means that column. */
int model_thai_headers(reader_table *t)
{
    for (size_t i = 0; i < reader_table_columns(t); i++)
        for (size_t k = 0; k < sizeof column_th / sizeof *column_th; k++)
            if (!strcmp(reader_table_header(t, (int)i)->text, column_th[k].th) &&
                reader_table_column(t, column_th[k].col) < 0) {
                if (reader_table_rename_column(t, (int)i, column_th[k].col) != 0)
                    return -1;
                break;
            }
    return 0;
}

static void cell_error(diag_ctx *d, const char *file, const reader_cell *c, const char *col, const char *what,
                       const char *detail)
{
    const char *th = thai_name(col);
    diag_add(d, DIAG_ERROR, file, c->line, c->col, "column '%s'%s%s%s: %s ('%s')", col, th ? " (" : "", th ? th : "",
             th ? ")" : "", what, detail);
}

static const char *range_error(const field_spec *f, int64_t n)
{
    if (n < 0 && f->min == 0)
        return f->kind == F_MONEY ? "this amount cannot be negative (see data/README.md)" : "cannot be negative";
    if (f->kind == F_MONEY && (n > MODEL_MAX_SATANG || n < -MODEL_MAX_SATANG))
        return "amount beyond the 1,000,000,000,000 baht khet accepts in one cell";
    if (f->max == MODEL_MAX_COUNT && n > f->max)
        return "count beyond the 1,000,000,000 khet accepts in one cell";
    return n < f->min ? "value below the allowed range" : "value above the allowed range";
}

static int parse_field(load_ctx *lc, const field_spec *f, const reader_cell *c, field_value *v, const char *file,
                       diag_ctx *d)
{
    const dataset *ds = lc->ds;
    const char *err = NULL;
    v->present = 1;
    v->text = c->text;
    v->line = c->line;
    v->col = c->col;
    v->trimmed = c->trimmed;
    if (!c->text[0] && f->kind != F_OPTTEXT && f->kind != F_ASIZE) {
        cell_error(d, file, c, f->name, "a value is required", "");
        return -1;
    }
    switch (f->kind) {
    case F_TEXT:
    case F_OPTTEXT:
        return 0;
    case F_INT:
        err = reader_parse_int(c->text, &v->num);
        break;
    case F_MONEY:
        err = reader_parse_money(c->text, &v->num);
        break;
    case F_DEC2:
        err = reader_parse_decimal(c->text, 2, &v->num);
        break;
    case F_DEC4:
        err = reader_parse_decimal(c->text, 4, &v->num);
        break;
    case F_PROVCODE:
    case F_PROVREF: {
        char *a = util_ascii_digits(c->text);
        int ok = a && strlen(a) == 2 && a[0] >= '1' && a[0] <= '9' && a[1] >= '0' && a[1] <= '9';
        v->ref = ok ? model_find_province(ds, a) : -1;
        int quiet = ok && f->kind == F_PROVREF && v->ref < 0 && was_rejected(lc, 'P', a);
        free(a);
        if (quiet) {
            lc->quiet_skips++;
            return -1;
        }
        if (!ok)
            err = "a province code has 2 digits";
        else if (f->kind == F_PROVREF && v->ref < 0)
            err = "unknown province (not in provinces.csv)";
        else if (f->kind == F_PROVCODE && v->ref >= 0)
            err = "duplicate province code";
        break;
    }
    case F_HCODE:
    case F_HREF: {
        char code[6];
        err = reader_parse_hcode(c->text, code);
        if (err)
            break;
        v->ref = model_find_hospital(ds, code);
        if (f->kind == F_HREF && v->ref < 0 && was_rejected(lc, 'H', code)) {
            lc->quiet_skips++;
            return -1;
        }
        if (f->kind == F_HREF && v->ref < 0)
            err = "unknown hospital (not in hospitals.csv)";
        else if (f->kind == F_HCODE && v->ref >= 0)
            err = "duplicate hospital code";
        break;
    }
    case F_MONTH: {
        reader_date m;
        err = reader_parse_month(c->text, &m);
        if (!err && (v->num = model_fiscal_month(ds->fiscal_year, m)) < 0) {
            if (!lc->off_year++) { /* reported once for the file, with the count */
                lc->off_line = c->line;
                lc->off_col = c->col;
                lc->off_month = m;
            }
            return -1;
        }
        break;
    }
    case F_LEVEL: {
        hosp_level l = LEVEL_A;
        if (model_level_parse(c->text, &l) != 0)
            err = "hospital level must be one of A, S, M1, M2, F1, F2, F3, P";
        v->num = l;
        break;
    }
    case F_HA: {
        static const char *names[] = {"none", "step1", "step2", "accredited"};
        err = "HA status must be none, step1, step2 or accredited";
        for (int i = 0; i < 4; i++)
            if (!strcasecmp(c->text, names[i])) {
                v->num = i;
                err = NULL;
            }
        break;
    }
    case F_ASIZE:
        v->num = !strcasecmp(c->text, "large");
        if (c->text[0] && strcasecmp(c->text, "large") && strcasecmp(c->text, "small"))
            err = "must be 'large', 'small' or empty";
        break;
    }
    if (!err && (f->kind == F_INT || f->kind == F_MONEY || f->kind == F_DEC2 || f->kind == F_DEC4) &&
        (v->num < f->min || v->num > f->max))
        err = range_error(f, v->num);
    if (err) {
        cell_error(d, file, c, f->name, err, c->text);
        return -1;
    }
    return 0;
}

static size_t count_fields(const field_spec *f)
{
    size_t n = 0;
    while (f[n].name)
        n++;
    return n;
}

static void collect_names(const field_spec *f, const char **req, const char **opt)
{
    size_t r = 0, o = 0;
    for (; f->name; f++) {
        if (f->optional)
            opt[o++] = f->name;
        else
            req[r++] = f->name;
    }
    req[r] = opt[o] = NULL;
}

/* A rejected row of provinces.csv or hospitals.csv: remember its key. */
static void reject_key(load_ctx *lc, const loader *ld, const reader_table *t, size_t r)
{
    int is_prov = !strcmp(ld->file, "provinces.csv"), is_hosp = !strcmp(ld->file, "hospitals.csv");
    if (!is_prov && !is_hosp)
        return;
    const reader_cell *c = reader_table_cell(t, r, reader_table_column(t, is_prov ? "code" : "hcode"));
    char *a = c ? util_ascii_digits(c->text) : NULL;
    if (a && strlen(a) == (is_prov ? 2u : 5u))
        remember_rejected(lc, is_prov ? 'P' : 'H', a);
    free(a);
}

/* Months of another fiscal year: one error for the file, with the count
 * and the fix (a month after the year starts the next year's folder). */
static void off_year_error(const load_ctx *lc, const char *path, const char *dir, diag_ctx *d)
{
    int fy = lc->ds->fiscal_year, be = lc->off_month.year + 543, m = lc->off_month.month;
    int its_fy = m >= 10 ? be + 1 : be;
    diag_add(d, DIAG_ERROR, path, lc->off_line, lc->off_col,
             "column 'month' (เดือน): %d row%s of this file %s outside fiscal year %d (October %d to "
             "September %d), the first %04d-%02d here; %04d-%02d is in fiscal year %d: %s%s%s",
             lc->off_year, lc->off_year == 1 ? "" : "s", lc->off_year == 1 ? "has a month" : "have months", fy, fy - 1, fy, be,
             m, be, m, its_fy,
             its_fy > fy ? "start that year's folder with `khet new-year --from " : "",
             its_fy > fy ? dir : "",
             its_fy > fy ? " --to NEW-FOLDER` and put these rows there"
                         : its_fy < fy ? "those rows belong in that year's folder (last year's cmi.csv is this "
                                         "year's cmi_prev.csv)"
                                       : "check fiscal_year in dataset.ini");
}

int model_load_table(load_ctx *lc, const char *dir, const loader *ld, const char *encoding, diag_ctx *d)
{
    dataset *ds = lc->ds;
    char *path = util_path_join(dir, ld->file);
    if (!path) {
        diag_add(d, DIAG_SYSTEM, ld->file, 0, 0, "out of memory");
        return -1;
    }
    if (!model_has_file(ds, dir, ld->file)) {
        if (ds->book)
            diag_add(d, ld->required ? DIAG_ERROR : DIAG_NOTE, workbook_path(ds->book), 0, 0,
                     ld->required ? "the workbook has no sheet '%.*s' (a sheet a file, named as the file without .csv)"
                                  : "no sheet '%.*s': its criteria will show no data",
                     (int)(strlen(ld->file) - 4), ld->file);
        else
            diag_add(d, ld->required ? DIAG_ERROR : DIAG_NOTE, path, 0, 0,
                     ld->required ? "required file is missing" : "file not present: its criteria will show no data");
        free(path);
        return ld->required ? -1 : 0;
    }
    reader_table *t = model_open_table(ds, dir, ld->file, encoding, d);
    if (t && ds->book) { /* messages name the workbook and its sheet: BOOK.xlsx[finance]:ROW:COL */
        char *sheet = util_strdup(reader_table_name(t));
        if (sheet) {
            free(path);
            path = sheet;
        }
    }
    int rc = 0;
    const char *req[MAX_FIELDS + 1], *opt[MAX_FIELDS + 1];
    collect_names(ld->fields, req, opt);
    if (t && model_thai_headers(t) != 0) {
        diag_add(d, DIAG_SYSTEM, path, 1, 0, "out of memory");
        rc = -1;
        goto done;
    }
    if (!t || reader_table_expect(t, req, opt, d) > 0) {
        rc = -1;
        goto done;
    }
    size_t nf = count_fields(ld->fields);
    int cols[MAX_FIELDS];
    for (size_t i = 0; i < nf; i++)
        cols[i] = reader_table_column(t, ld->fields[i].name);
    if (reader_table_rows(t) == 0)
        diag_add(d, ld->required ? DIAG_ERROR : DIAG_WARNING, path, 1, 1, "the file has a header but no data rows");
    lc->quiet_skips = 0;
    lc->off_year = 0;
    for (size_t r = 0; r < reader_table_rows(t); r++) {
        field_value v[MAX_FIELDS];
        memset(v, 0, nf * sizeof *v); /* the row's fields, not all MAX_FIELDS */
        int bad = 0;
        for (size_t i = 0; i < nf; i++)
            if (cols[i] >= 0 && parse_field(lc, &ld->fields[i], reader_table_cell(t, r, cols[i]), &v[i], path, d))
                bad = 1;
        if (!bad)
            ld->store(ds, v, path, reader_table_row_line(t, r), d);
        else
            reject_key(lc, ld, t, r);
    }
    if (lc->off_year)
        off_year_error(lc, path, dir, d);
    if (lc->quiet_skips)
        diag_add(d, DIAG_NOTE, path, 0, 0, "%d rows refer to provinces or hospitals rejected above and were skipped",
                 lc->quiet_skips);
done:
    reader_table_free(t);
    free(path);
    return rc;
}

int model_has_file(const dataset *ds, const char *dir, const char *file)
{
    if (ds->book)
        return workbook_has(ds->book, file);
    char *path = util_path_join(dir, file);
    int yes = path && access(path, F_OK) == 0;
    free(path);
    return yes;
}

reader_table *model_open_table(const dataset *ds, const char *dir, const char *file, const char *encoding, diag_ctx *d)
{
    if (ds->book)
        return workbook_table(ds->book, file, d);
    char *path = util_path_join(dir, file);
    reader_table *t = path ? reader_read_csv(path, encoding, d) : NULL;
    if (!path)
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
    free(path);
    return t;
}

/* ------------------------------------------------------------------ */
/* The months of a file no document of the run reads                   */

/* The first fields of one line, split at its commas into f[0..max-1]: their
 * count (max at most: the rest of the line is not looked at), or -1 when
 * the line has more than max and `all` asks for every field. */
static int split_commas(const char *s, const char *end, const char **f, size_t *fl, int max, int all)
{
    int n = 0;
    for (const char *a = s;; a++) {
        if (n == max)
            return all ? -1 : n;
        const char *c = memchr(a, ',', (size_t)(end - a));
        f[n] = a;
        fl[n++] = (size_t)((c ? c : end) - a);
        if (!c)
            return n;
        a = c;
    }
}

/* Whether a field is one the full read would take as it stands: no blanks
 * to trim at its ends, short enough for the buffers below. */
static int plain_field(const char *f, size_t n) { return n > 0 && n < 16 && f[0] != ' ' && f[n - 1] != ' '; }

/* Only files the scan cannot misread are scanned: no quotes (so a comma or
 * a line end is always one), no NUL, no lone CR, no blank line, the header
 * naming hcode and month once each, and in every row those two fields as
 * the full read would check them (a known hospital, a month of the fiscal
 * year). Anything else is left to the reader, whose messages are the
 * user's. The other columns are not looked at: no document of the run
 * prints them (`khet check` does read them). */
static int scan_months(load_ctx *lc, const char *data, size_t len)
{
    if (memchr(data, '"', len) || memchr(data, '\0', len))
        return 1;
    int has_cr = memchr(data, '\r', len) != NULL;
    const char *f[MAX_FIELDS + 1];
    size_t fl[MAX_FIELDS + 1];
    int need = 0, hcol = -1, mcol = -1, rows = 0, last = -1;
    for (const char *s = data, *end = data + len; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *e = nl ? nl : end;
        if (e > s && e[-1] == '\r')
            e--;
        if (e == s || (has_cr && memchr(s, '\r', (size_t)(e - s))))
            return 1; /* a blank line, a lone CR */
        if (!need) {
            int n = split_commas(s, e, f, fl, MAX_FIELDS + 1, 1);
            for (int i = 0; i < n; i++) {
                int h = fl[i] == 5 && !memcmp(f[i], "hcode", 5), m = fl[i] == 5 && !memcmp(f[i], "month", 5);
                if ((h && hcol >= 0) || (m && mcol >= 0))
                    return 1; /* a column named twice: the reader's to report */
                hcol = h ? i : hcol;
                mcol = m ? i : mcol;
            }
            if (n < 0 || hcol < 0 || mcol < 0)
                return 1;
            need = (hcol > mcol ? hcol : mcol) + 1;
        } else {
            if (split_commas(s, e, f, fl, need, 0) < need || !plain_field(f[hcol], fl[hcol]) ||
                !plain_field(f[mcol], fl[mcol]))
                return 1;
            char hc[16], mo[16], code[6];
            memcpy(hc, f[hcol], fl[hcol]);
            hc[fl[hcol]] = '\0';
            memcpy(mo, f[mcol], fl[mcol]);
            mo[fl[mcol]] = '\0';
            reader_date m;
            int fm;
            if (reader_parse_hcode(hc, code) || model_find_hospital(lc->ds, code) < 0 || reader_parse_month(mo, &m) ||
                (fm = model_fiscal_month(lc->ds->fiscal_year, m)) < 0)
                return 1;
            last = fm > last ? fm : last;
            rows++;
        }
        s = nl ? nl + 1 : end;
    }
    if (!rows)
        return 1;
    if (last > lc->ds->last_month)
        lc->ds->last_month = last;
    return 0;
}

int model_scan_months(load_ctx *lc, const char *dir, const loader *ld, const char *encoding)
{
    if (encoding && strcasecmp(encoding, "auto") && strcasecmp(encoding, "utf-8"))
        return 1;
    char *path = util_path_join(dir, ld->file), *data = NULL;
    size_t len = 0;
    int rc = path && util_read_file(path, UTIL_LIMIT_DATA, &data, &len) == 0 ? scan_months(lc, data, len) : 1;
    free(data);
    free(path);
    return rc;
}
