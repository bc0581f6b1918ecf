/* export: a score result as text: a table for the terminal, CSV and JSON,
 * the table and CSV from one list of sheets (export_impl.h) that
 * export_xlsx.c writes as a workbook in khet-full. */
#include "export.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export_impl.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* One list of sheets                                                  */


static void add(xsheet *s, size_t *k, xcell c)
{
    if (s->oom || (c.text == NULL && !c.is_num)) {
        s->oom = 1;
        return;
    }
    if (util_grow((void **)&s->cells, &s->cap, *k + 1, sizeof *s->cells)) {
        free(c.text);
        s->oom = 1;
        return;
    }
    s->cells[(*k)++] = c;
}

static void add_num(xsheet *s, size_t *k, double v, int decimals) { add(s, k, (xcell){1, v, decimals, NULL, 0}); }
static void add_text(xsheet *s, size_t *k, const char *t) { add(s, k, (xcell){0, 0, 0, util_strdup(t ? t : ""), 0}); }
static void add_int(xsheet *s, size_t *k, int64_t v) { add_num(s, k, (double)v, 0); }
static void add_money(xsheet *s, size_t *k, int64_t satang) { add_num(s, k, (double)satang / 100.0, 2); }
/* "No data" is never written as 0 or -1: it is a null of its own. */
static void add_null(xsheet *s, size_t *k) { add(s, k, (xcell){0, 0, 0, util_strdup("no data"), 1}); }
static void add_opt(xsheet *s, size_t *k, int has, double v, int dec)
{
    if (has)
        add_num(s, k, v, dec);
    else
        add_null(s, k);
}
static void add_opt_int(xsheet *s, size_t *k, int has, int64_t v)
{
    if (has)
        add_int(s, k, v);
    else
        add_null(s, k);
}
static void add_opt_money(xsheet *s, size_t *k, int has, int64_t satang)
{
    if (has)
        add_money(s, k, satang);
    else
        add_null(s, k);
}

static void end_row(xsheet *s, size_t k) { s->nrows = s->ncols ? k / s->ncols : 0; }

static void sheet_free(xsheet *s)
{
    for (size_t i = 0; i < s->nrows * s->ncols && i < s->cap; i++)
        free(s->cells[i].text);
    free(s->cells);
}

const char *export_grade(const score_result *r, const province_result *p)
{
    return p->grade >= 0 ? r->sch->grades[p->grade].grade : "-";
}

const char *export_band(const score_result *r, const criterion_result *c)
{
    return c->band >= 0 ? r->sch->bands[c->band].label_th : "";
}

static const char *const summary_cols[] = {"code", "name_th", "hospitals", "total", "max", "percent", "grade", "rank",
                                           "clawback_percent", "reserved_baht", "clawback_baht", "kept_baht"};
static const char *const criteria_cols[] = {"code", "name_th", "number", "part", "measure", "value", "mean", "sd",
                                            "z", "band", "points", "max_points", "total", "percent", "grade", "rank",
                                            "clawback_baht"};
static const char *const hospital_cols[] = {
    "hcode", "name_th", "province", "level", "revenue_baht", "expense_baht", "ebitda_ratio", "revenue_ge_expense",
    "nwc_baht", "efficiency_expense_baht", "risk_start", "risk_end", "risk_improved", "tb_electronic",
    "tb_mapping", "tb_electronic_pass", "tb_mapping_pass", "eclaim_claims", "eclaim_passed", "eff7",
    "opd_cost_per_visit", "ipd_cost_per_adjrw", "unit_cost_ok", "discharges", "sum_adjrw", "cmi_fytd",
    "cmi_target", "cmi_pass"};
static const char *const cmi_cols[] = {"scope", "code", "name_th", "level", "hospitals", "cmi_pass", "pass_percent",
                                       "community", "community_ha", "ha_percent"};

static const char *const summary_th[] = {"รหัสจังหวัด", "จังหวัด", "จำนวนหน่วยบริการ", "คะแนนรวม", "คะแนนเต็ม", "ร้อยละ",
                                         "ระดับ", "ลำดับ", "ร้อยละที่ดึงกลับ", "เงินส่วนที่กัน (บาท)", "ดึงเงินกลับ (บาท)",
                                         "คงเหลือ (บาท)"};
static const char *const criteria_th[] = {"รหัสจังหวัด", "จังหวัด", "เกณฑ์ข้อ", "ส่วนย่อย", "ตัวชี้วัด", "ผลจังหวัด",
                                          "ค่าเฉลี่ยเขต", "SD", "z", "ช่วง", "คะแนน", "คะแนนเต็ม", "คะแนนรวม", "ร้อยละ",
                                          "ระดับ", "ลำดับ", "ดึงเงินกลับ (บาท)"};
static const char *const hospital_th[] = {
    "รหัสหน่วยบริการ", "ชื่อหน่วยบริการ", "รหัสจังหวัด", "ระดับ", "รายได้ (บาท)", "ค่าใช้จ่าย (บาท)", "EBITDA ต่อค่าใช้จ่าย",
    "รายได้ ≥ ค่าใช้จ่าย", "NWC (บาท)", "ค่าใช้จ่ายเฉลี่ยต่อเดือน (บาท)", "Risk Score ต้นงวด", "Risk Score ปลายงวด",
    "Risk Score ดีขึ้น", "คะแนนงบทดลอง Electronic", "คะแนนงบทดลอง Mapping", "ผ่าน Electronic", "ผ่าน Mapping",
    "E-Claim ส่ง", "E-Claim ผ่าน", "7 Plus Efficiency", "ต้นทุน OPD ต่อครั้ง", "ต้นทุน IPD ต่อ AdjRW",
    "ต้นทุนไม่เกินค่ากลาง", "จำหน่ายผู้ป่วยใน", "ผลรวม AdjRW", "CMI สะสม", "เป้าหมาย CMI", "ผ่านเกณฑ์ CMI"};
static const char *const cmi_th[] = {"ระดับการสรุป", "รหัส", "ชื่อ", "ระดับโรงพยาบาล", "จำนวนโรงพยาบาล",
                                     "ผ่านเกณฑ์ CMI", "ร้อยละผ่าน", "รพช.", "รพช. ผ่าน HA", "ร้อยละ HA"};

#define NCOLS(a) (sizeof a / sizeof *a)

static void build_summary(const score_result *r, xsheet *s)
{
    *s = (xsheet){"summary", summary_cols, summary_th, NCOLS(summary_cols), 0, 0, NULL, 0};
    size_t k = 0;
    for (size_t i = 0; i < r->nprovinces; i++) {
        const province_result *p = &r->provinces[i];
        const province *pv = &r->ds->provinces[p->province];
        add_text(s, &k, pv->code);
        add_text(s, &k, pv->name_th);
        add_int(s, &k, (int64_t)p->nhospitals);
        int g = !p->ungraded; /* an ungraded province: empty cells, never 0 */
        add_opt(s, &k, g, (double)p->total_cp / 100, 2);
        add_num(s, &k, (double)p->max_cp / 100, 2);
        add_opt(s, &k, g, (double)p->percent_x100 / 100, 2);
        add_text(s, &k, export_grade(r, p));
        add_opt_int(s, &k, g, p->rank);
        add_opt(s, &k, g, p->grade >= 0 ? (double)r->sch->grades[p->grade].rate_bp / 100 : 0, 2);
        add_money(s, &k, p->reserved_satang);
        add_opt_money(s, &k, g, p->clawback_satang);
        add_opt_money(s, &k, g, p->kept_satang);
    }
    end_row(s, k);
}

/* The region's SD of a criterion: unknown with no province's value, and
 * with one value for the sample SD (Excel's STDEV gives #DIV/0!); the
 * scoring then puts every province at the mean (z = 0). */
static int sd_known(const score_result *r, size_t c) { return r->crit_sd_defined[c]; }

static void build_criteria(const score_result *r, xsheet *s)
{
    *s = (xsheet){"criteria", criteria_cols, criteria_th, NCOLS(criteria_cols), 0, 0, NULL, 0};
    size_t k = 0;
    for (size_t i = 0; i < r->nprovinces; i++) {
        const province_result *p = &r->provinces[i];
        const province *pv = &r->ds->provinces[p->province];
        for (size_t c = 0; c < r->sch->ncriteria; c++) {
            const criterion_def *cd = &r->sch->criteria[c];
            const criterion_result *cr = &p->crit[c];
            add_text(s, &k, pv->code);
            add_text(s, &k, pv->name_th);
            add_int(s, &k, cd->number);
            add_int(s, &k, cd->part);
            add_text(s, &k, score_measure_name(cd->measure));
            add_opt(s, &k, cr->has_value, cr->value, 4);
            add_opt(s, &k, r->crit_n[c] > 0, cr->mean, 4);
            add_opt(s, &k, sd_known(r, c), cr->sd, 4);
            add_opt(s, &k, cr->has_value && !cr->undecided && cd->rule == RULE_ZBAND, cr->z, 4);
            add_text(s, &k, export_band(r, cr));
            add_opt(s, &k, !cr->undecided, (double)cr->points_cp / 100, 2);
            add_num(s, &k, (double)cd->max_cp / 100, 2);
            add_opt(s, &k, !p->ungraded, (double)p->total_cp / 100, 2);
            add_opt(s, &k, !p->ungraded, (double)p->percent_x100 / 100, 2);
            add_text(s, &k, export_grade(r, p));
            add_opt_int(s, &k, !p->ungraded, p->rank);
            add_opt_money(s, &k, !p->ungraded, p->clawback_satang);
        }
    }
    end_row(s, k);
}

static void build_hospitals(const score_result *r, xsheet *s)
{
    *s = (xsheet){"hospitals", hospital_cols, hospital_th, NCOLS(hospital_cols), 0, 0, NULL, 0};
    size_t k = 0;
    for (size_t i = 0; i < r->nhospitals; i++) {
        const hospital_result *h = &r->hospitals[i];
        const hospital *hd = &r->ds->hospitals[h->hospital];
        add_text(s, &k, hd->code);
        add_text(s, &k, hd->name_th);
        add_text(s, &k, r->ds->provinces[hd->province].code);
        add_text(s, &k, model_level_code(hd->level));
        add_opt_money(s, &k, h->has_finance, h->revenue);
        add_opt_money(s, &k, h->has_finance, h->expense);
        add_opt(s, &k, h->has_finance && h->expense > 0, h->ebitda_ratio, 6);
        add_opt_int(s, &k, h->has_finance, h->revenue_ge_expense);
        add_opt_money(s, &k, h->has_finance, h->nwc_satang);
        add_opt_money(s, &k, h->has_finance, h->efficiency_expense);
        add_opt_int(s, &k, h->risk_start >= 0, h->risk_start);
        add_opt_int(s, &k, h->risk_end >= 0, h->risk_end);
        add_opt_int(s, &k, h->risk_start >= 0, h->risk_improved);
        add_opt(s, &k, h->has_tb, h->tb_electronic, 2);
        add_opt(s, &k, h->has_tb, h->tb_mapping, 2);
        add_opt_int(s, &k, h->has_tb, h->tb_electronic_pass);
        add_opt_int(s, &k, h->has_tb, h->tb_mapping_pass);
        add_int(s, &k, h->claims);
        add_int(s, &k, h->claims_passed);
        add_opt_int(s, &k, h->eff7 >= 0, h->eff7);
        add_opt(s, &k, h->has_opd_cost, h->opd_unit_cost, 2);
        add_opt(s, &k, h->has_ipd_cost, h->ipd_unit_cost, 2);
        add_opt_int(s, &k, h->has_unit_cost, h->unit_cost_ok);
        add_int(s, &k, h->discharges);
        add_num(s, &k, (double)h->adjrw_x10000 / 10000, 4);
        add_opt(s, &k, h->has_cmi, h->cmi_fytd, 4);
        add_opt(s, &k, h->cmi_target_x1000 > 0, (double)h->cmi_target_x1000 / 1000, 3);
        add_opt_int(s, &k, h->has_cmi && h->cmi_target_x1000 > 0, h->cmi_pass);
    }
    end_row(s, k);
}

static void cmi_row(xsheet *s, size_t *k, const char *scope, const char *code, const char *name, const char *level,
                    int n, int pass, int comm, int ha)
{
    add_text(s, k, scope);
    add_text(s, k, code);
    add_text(s, k, name);
    add_text(s, k, level);
    add_int(s, k, n);
    add_int(s, k, pass);
    add_opt(s, k, n > 0, n ? 100.0 * pass / n : 0, 2);
    add_int(s, k, comm);
    add_int(s, k, ha);
    add_opt(s, k, comm > 0, comm ? 100.0 * ha / comm : 0, 2);
}

static void build_cmi(const score_result *r, xsheet *s)
{
    *s = (xsheet){"cmi", cmi_cols, cmi_th, NCOLS(cmi_cols), 0, 0, NULL, 0};
    size_t k = 0;
    for (int l = 0; l < LEVEL_COUNT; l++)
        if (r->cmi_level_n[l])
            cmi_row(s, &k, "level", "", "", model_level_code((hosp_level)l), r->cmi_level_n[l], r->cmi_level_pass[l],
                    0, 0);
    for (size_t i = 0; i < r->nprovinces; i++) {
        const province_result *p = &r->provinces[i];
        const province *pv = &r->ds->provinces[p->province];
        cmi_row(s, &k, "province", pv->code, pv->name_th, "", p->cmi_hospitals, p->cmi_pass, p->community,
                p->community_ha);
    }
    cmi_row(s, &k, "region", "", "", "", r->cmi_hospitals, r->cmi_pass, r->community, r->community_ha);
    end_row(s, k);
}

static int is_kpi(const score_result *r) { return !strcmp(r->sch->kind, "kpi"); }

/* The sheets of a result, in order; returns how many. */
size_t build_sheets(const score_result *r, const export_opts *o, xsheet sh[4])
{
    size_t n = 0;
    if (!is_kpi(r)) {
        build_summary(r, &sh[n++]);
        build_criteria(r, &sh[n++]);
    }
    build_cmi(r, &sh[n++]);
    if (o->hospitals || is_kpi(r))
        build_hospitals(r, &sh[n++]);
    return n;
}

void free_sheets(xsheet *sh, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sheet_free(&sh[i]);
}

int sheets_oom(const xsheet *sh, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sh[i].oom)
            return 1;
    return 0;
}

static void format_cell(const xcell *c, char *buf, size_t n)
{
    if (c->is_num)
        snprintf(buf, n, "%.*f", c->decimals, c->num);
    else
        snprintf(buf, n, "%s", c->text);
}

/* ------------------------------------------------------------------ */
/* Text table                                                          */

/* Display width: Thai combining marks take no column. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        if (p[0] == 0xE0 && p[1] == 0xB8 && (p[2] == 0xB1 || (p[2] >= 0xB4 && p[2] <= 0xBA)))
            continue;
        if (p[0] == 0xE0 && p[1] == 0xB9 && p[2] >= 0x87 && p[2] <= 0x8E)
            continue;
        w++;
    }
    return w;
}

static void print_sheet(const xsheet *s, FILE *out)
{
    size_t *w = calloc(s->ncols, sizeof *w);
    char buf[512];
    if (!w)
        return;
    for (size_t c = 0; c < s->ncols; c++)
        w[c] = display_width(s->headers[c]);
    for (size_t i = 0; i < s->nrows * s->ncols; i++) {
        format_cell(&s->cells[i], buf, sizeof buf);
        size_t dw = display_width(buf);
        if (dw > w[i % s->ncols])
            w[i % s->ncols] = dw > 40 ? 40 : dw;
    }
    fprintf(out, "== %s\n", s->name);
    for (size_t c = 0; c < s->ncols; c++)
        fprintf(out, "%s%-*s", c ? "  " : "", (int)w[c], s->headers[c]);
    fputc('\n', out);
    for (size_t i = 0; i < s->nrows * s->ncols; i++) {
        const xcell *c = &s->cells[i];
        format_cell(c, buf, sizeof buf);
        size_t col = i % s->ncols, dw = display_width(buf);
        size_t pad = w[col] > dw ? w[col] - dw : 0;
        if (col)
            fputs("  ", out);
        if (c->is_num)
            fprintf(out, "%*s%s", (int)pad, "", buf);
        else
            fprintf(out, "%s%*s", buf, col + 1 < s->ncols ? (int)pad : 0, "");
        if (col + 1 == s->ncols)
            fputc('\n', out);
    }
    fputc('\n', out);
    free(w);
}

int export_table(const score_result *r, const export_opts *o, FILE *out)
{
    xsheet sh[4];
    size_t n = build_sheets(r, o, sh);
    int oom = sheets_oom(sh, n);
    if (!oom) {
        fprintf(out, "%s\nregion %d, fiscal year %d, data up to fiscal month %d\n\n", r->sch->title, r->region,
                r->ds->fiscal_year, r->last_month + 1);
        for (size_t i = 0; i < n; i++)
            print_sheet(&sh[i], out);
    }
    free_sheets(sh, n);
    return oom || ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */

/* OWASP's list for CSV injection: a cell a spreadsheet could take for a
 * formula starts with = + - @, or with TAB or CR; blanks (TAB, CR, LF,
 * space) before one of = + - @ do not make it safe either. Such a cell is
 * prefixed with an apostrophe. */
char *export_csv_safe(const char *t)
{
    size_t lead = strspn(t, " \t\r\n");
    if (t[0] == '\t' || t[0] == '\r' || (t[lead] && strchr("=+-@", t[lead])))
        return util_format("'%s", t);
    return util_strdup(t);
}

void export_csv_field(const char *t, FILE *out)
{
    if (!strpbrk(t, ",\"\r\n")) {
        fputs(t, out);
        return;
    }
    fputc('"', out);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', out);
        fputc(*t, out);
    }
    fputc('"', out);
}

int export_csv(const score_result *r, const export_opts *o, FILE *out)
{
    xsheet sh[4];
    size_t n = build_sheets(r, o, sh);
    /* one table: the per-hospital sheet when asked for, else criteria (finance) or CMI (kpi) */
    const xsheet *s = o->hospitals ? &sh[n - 1] : is_kpi(r) ? &sh[0] : &sh[1];
    int oom = sheets_oom(sh, n);
    if (!oom && !o->headers_en) /* Excel reads a CSV as UTF-8 only after a BOM */
        fputs("\xEF\xBB\xBF", out);
    for (size_t c = 0; !oom && c < s->ncols; c++) {
        fputs(c ? "," : "", out);
        export_csv_field(o->headers_en ? s->headers[c] : s->headers_th[c], out);
    }
    fputc('\n', out);
    char buf[512];
    for (size_t i = 0; !oom && i < s->nrows * s->ncols; i++) {
        const xcell *c = &s->cells[i];
        if (i % s->ncols)
            fputc(',', out);
        if (c->is_null) {
            /* an empty field: CSV's null */
        } else if (c->is_num) {
            format_cell(c, buf, sizeof buf);
            fputs(buf, out);
        } else {
            char *safe = export_csv_safe(c->text);
            if (!safe) {
                oom = 1;
                break;
            }
            export_csv_field(safe, out);
            free(safe);
        }
        if (i % s->ncols == s->ncols - 1)
            fputc('\n', out);
    }
    free_sheets(sh, n);
    return oom || ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static json_t *num_or_null(int has, double v) { return has && isfinite(v) ? json_real(v) : json_null(); }

static json_t *int_or_null(int has, json_int_t v) { return has ? json_integer(v) : json_null(); }
static json_t *bool_or_null(int has, int v) { return has ? json_boolean(v) : json_null(); }

static json_t *json_criteria(const score_result *r, const province_result *p)
{
    json_t *a = json_array();
    for (size_t c = 0; a && c < r->sch->ncriteria; c++) {
        const criterion_def *cd = &r->sch->criteria[c];
        const criterion_result *cr = &p->crit[c];
        json_t *o = json_pack("{s:i, s:i, s:s, s:o, s:o, s:o, s:o, s:s?, s:o, s:f}", "number", cd->number, "part",
                              cd->part, "measure", score_measure_name(cd->measure), "value",
                              num_or_null(cr->has_value, cr->value), "mean", num_or_null(r->crit_n[c] > 0, cr->mean),
                              "sd", num_or_null(sd_known(r, c), cr->sd), "z",
                              num_or_null(cr->has_value && !cr->undecided && cd->rule == RULE_ZBAND, cr->z), "band",
                              cr->band >= 0 ? export_band(r, cr) : NULL, "points",
                              num_or_null(!cr->undecided, (double)cr->points_cp / 100), "max_points",
                              (double)cd->max_cp / 100);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Why a province has no grade: the criteria without a band (caller frees). */
static char *not_graded(const score_result *r, const province_result *p)
{
    strbuf b = {0};
    size_t n = 0;
    for (size_t c = 0; c < r->sch->ncriteria; c++)
        if (p->crit[c].undecided) {
            const criterion_def *cd = &r->sch->criteria[c];
            sb_puts(&b, n++ ? ", " : "criteria ");
            char num[24];
            snprintf(num, sizeof num, cd->part ? "%d.%d" : "%d", cd->number, cd->part);
            sb_puts(&b, num);
        }
    char tail[160];
    snprintf(tail, sizeof tail, ": fewer provinces of region %d have data than the %s SD needs (%d)", r->region,
             r->sch->sd_sample ? "sample" : "population", score_min_provinces(r->sch));
    sb_puts(&b, tail);
    return sb_finish(&b);
}

static json_t *json_province(const score_result *r, const province_result *p)
{
    const province *pv = &r->ds->provinces[p->province];
    int64_t rate = p->grade >= 0 ? r->sch->grades[p->grade].rate_bp : 0;
    int g = !p->ungraded;
    char *why = p->ungraded ? not_graded(r, p) : NULL;
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:I, s:o, s:o, s:f, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "code",
        pv->code, "name_th", pv->name_th, "name_en", pv->name_en, "hospitals", (json_int_t)p->nhospitals, "criteria",
        json_criteria(r, p), "total", num_or_null(g, (double)p->total_cp / 100), "max_total",
        (double)p->max_cp / 100, "percent", num_or_null(g, (double)p->percent_x100 / 100), "grade",
        g ? json_string(export_grade(r, p)) : json_null(), "rank", int_or_null(g, p->rank), "clawback_rate",
        num_or_null(g, (double)rate / 10000), "reserved_satang", (json_int_t)p->reserved_satang, "clawback_satang",
        int_or_null(g, p->clawback_satang), "kept_satang", int_or_null(g, p->kept_satang), "not_graded",
        why ? json_string(why) : json_null(), "cmi", "hospitals", (json_int_t)p->cmi_hospitals,
        "pass", (json_int_t)p->cmi_pass, "community", (json_int_t)p->community, "community_ha",
        (json_int_t)p->community_ha);
    free(why);
    /* units of the province the scheme does not count (level P by default) */
    if (o && json_object_set_new(o, "not_counted", json_integer(p->not_counted))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

static json_t *json_hospital(const score_result *r, const hospital_result *h)
{
    const hospital *hd = &r->ds->hospitals[h->hospital];
    json_t *risk = json_array(), *months = json_array(), *quarters = json_array();
    for (int m = 0; risk && months && m <= r->last_month; m++) {
        json_array_append_new(risk, h->risk[m] >= 0 ? json_integer(h->risk[m]) : json_null());
        json_array_append_new(months, num_or_null(hd->cmi[m].discharges > 0, h->cmi_month[m]));
    }
    for (int q = 0; quarters && q < 4 && q * 3 <= r->last_month; q++)
        json_array_append_new(quarters, num_or_null(h->has_quarter[q], h->cmi_quarter[q]));
    int fin = h->has_finance, cmi_judged = h->has_cmi && h->cmi_target_x1000 > 0;
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
                     " s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:f, s:o, s:o, s:o, s:o, s:o}",
                     "hcode", hd->code, "name_th", hd->name_th, "province", r->ds->provinces[hd->province].code,
                     "level", model_level_code(hd->level), "revenue_satang", int_or_null(fin, h->revenue),
                     "expense_satang", int_or_null(fin, h->expense), "ebitda_ratio",
                     num_or_null(fin && h->expense > 0, h->ebitda_ratio), "revenue_ge_expense",
                     bool_or_null(fin, h->revenue_ge_expense), "nwc_satang", int_or_null(fin, h->nwc_satang),
                     "efficiency_expense_satang", int_or_null(fin, h->efficiency_expense), "risk", risk,
                     "risk_start", int_or_null(h->risk_start >= 0, h->risk_start), "risk_end",
                     int_or_null(h->risk_end >= 0, h->risk_end), "risk_improved",
                     bool_or_null(h->risk_start >= 0, h->risk_improved), "tb_electronic",
                     num_or_null(h->has_tb, h->tb_electronic), "tb_mapping", num_or_null(h->has_tb, h->tb_mapping),
                     "tb_electronic_pass", bool_or_null(h->has_tb, h->tb_electronic_pass), "tb_mapping_pass",
                     bool_or_null(h->has_tb, h->tb_mapping_pass), "eclaim_claims", (json_int_t)h->claims,
                     "eclaim_passed", (json_int_t)h->claims_passed, "eff7", int_or_null(h->eff7 >= 0, h->eff7),
                     "opd_cost_per_visit", num_or_null(h->has_opd_cost, h->opd_unit_cost), "ipd_cost_per_adjrw",
                     num_or_null(h->has_ipd_cost, h->ipd_unit_cost), "unit_cost_ok",
                     bool_or_null(h->has_unit_cost, h->unit_cost_ok), "discharges", (json_int_t)h->discharges,
                     "sum_adjrw", (double)h->adjrw_x10000 / 10000, "cmi_fytd", num_or_null(h->has_cmi, h->cmi_fytd),
                     "cmi_quarters", quarters, "cmi_months", months, "cmi_target",
                     num_or_null(h->cmi_target_x1000 > 0, (double)h->cmi_target_x1000 / 1000), "cmi_pass",
                     bool_or_null(cmi_judged, h->cmi_pass));
}

/* The JSON document of a result (caller json_decref()s). */
static json_t *export_json_doc(const score_result *r, const export_opts *o)
{
    json_t *provs = json_array(), *levels = json_object();
    for (size_t i = 0; provs && i < r->nprovinces; i++)
        json_array_append_new(provs, json_province(r, &r->provinces[i]));
    for (int l = 0; levels && l < LEVEL_COUNT; l++)
        if (r->cmi_level_n[l])
            json_object_set_new(levels, model_level_code((hosp_level)l),
                                json_pack("{s:i, s:i}", "hospitals", r->cmi_level_n[l], "pass", r->cmi_level_pass[l]));
    /* hospitals/pass (here and per province) count these levels only: the KPI's share */
    char counted[16];
    snprintf(counted, sizeof counted, "%s-%s", model_level_code(r->sch->kpi_level_lo),
             model_level_code(r->sch->kpi_level_hi));
    json_t *doc = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:o, s:{s:i, s:i, s:s, s:i, s:i, s:o}}", "scheme",
                            r->sch->name, "kind", r->sch->kind, "title", r->sch->title, "region", r->region,
                            "fiscal_year", r->ds->fiscal_year, "last_month", r->last_month + 1, "provinces", provs,
                            "cmi", "hospitals", r->cmi_hospitals, "pass", r->cmi_pass, "counted_levels", counted,
                            "community", r->community, "community_ha", r->community_ha, "levels", levels);
    json_t *left = json_object(); /* the region's units the scheme does not count, per level */
    for (int l = 0; left && l < LEVEL_COUNT; l++)
        if (r->not_counted[l])
            json_object_set_new(left, model_level_code((hosp_level)l), json_integer(r->not_counted[l]));
    if (doc && (!left || json_object_set_new(doc, "not_counted", left))) {
        json_decref(doc);
        doc = NULL;
    } else if (!doc) {
        json_decref(left);
    }
    if (doc && o->hospitals) {
        json_t *hs = json_array();
        for (size_t i = 0; hs && i < r->nhospitals; i++)
            json_array_append_new(hs, json_hospital(r, &r->hospitals[i]));
        json_object_set_new(doc, "hospitals", hs);
    }
    return doc;
}

int export_json(const score_result *r, const export_opts *o, FILE *out)
{
    json_t *doc = export_json_doc(r, o);
    if (!doc)
        return -1;
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    fputc('\n', out);
    json_decref(doc);
    return rc || ferror(out) ? -1 : 0;
}

_Static_assert(NCOLS(summary_th) == NCOLS(summary_cols), "one Thai header per summary column");
_Static_assert(NCOLS(criteria_th) == NCOLS(criteria_cols), "one Thai header per criteria column");
_Static_assert(NCOLS(hospital_th) == NCOLS(hospital_cols), "one Thai header per hospital column");
_Static_assert(NCOLS(cmi_th) == NCOLS(cmi_cols), "one Thai header per CMI column");
