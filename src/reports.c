#include "reports.h"

#include <cmark.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "inspection.h"
#include "layout.h"
#include "pdf.h"
#include "thai.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Placeholders                                                        */

#define MAX_VARS 48

typedef struct {
    const char *name[MAX_VARS];
    char *value[MAX_VARS];
    int n, oom;
} vars;

static void var_set(vars *v, const char *name, char *value) /* takes value */
{
    if (!value || v->n == MAX_VARS) {
        v->oom = 1;
        free(value);
        return;
    }
    v->name[v->n] = name;
    v->value[v->n++] = value;
}

static void vars_free(vars *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->value[i]);
}

/* Replaces {{name}} in text; an unknown name or a "{{" never closed is an
 * error at the template line, a placeholder with nothing to show a warning
 * (the page would have a gap where the template expects a value). */
static char *fill(const vars *v, const char *text, const char *file, int line, diag_ctx *d)
{
    strbuf b = {0};
    const char *p = text;
    for (const char *open; (open = strstr(p, "{{"));) {
        const char *close = strstr(open, "}}");
        if (!close) {
            diag_add(d, DIAG_ERROR, file, line, 0, "'{{' is never closed by '}}' (near \"%.20s\")", open);
            break;
        }
        sb_append(&b, p, (size_t)(open - p));
        size_t n = (size_t)(close - open - 2);
        int found = 0;
        for (int i = 0; i < v->n && !found; i++)
            if (strlen(v->name[i]) == n && !strncmp(v->name[i], open + 2, n)) {
                sb_puts(&b, v->value[i]);
                found = 1;
                if (!v->value[i][0])
                    diag_add(d, DIAG_WARNING, file, line, 0, "placeholder {{%.*s}} is empty here: nothing is printed",
                             (int)n, open + 2);
            }
        if (!found)
            diag_add(d, DIAG_ERROR, file, line, 0, "unknown placeholder {{%.*s}}", (int)n, open + 2);
        p = close + 2;
    }
    sb_puts(&b, p);
    return sb_finish(&b);
}

/* ------------------------------------------------------------------ */
/* Formatting helpers                                                  */

typedef struct {
    const report_data *rd;
    const report_opts *o;
    layout_doc *doc;
    vars v;
    const char *file;
    diag_ctx *d;
    int err;
    const char *block_body; /* the text inside the fenced block being placed */
    int block_line;
    const char *name;           /* scorecard, summary, kpi, monthly, booklet */
    int quality_done, rules_done; /* the data-quality box and the rules: placed once */
    int grades_done;              /* the grade table is placed (the rules then leave it out) */
    char *contents_body;        /* booklet: the contents block's body (its group headings) */
} rctx;

static char *num(const rctx *c, double v, int dec) { return thai_number_d(v, dec, c->o->thai_digits); }
static char *money(const rctx *c, int64_t satang) { return thai_number(satang, 2, c->o->thai_digits); }
static char *cp(const rctx *c, int64_t cp) { return thai_number(cp, 2, c->o->thai_digits); }
static char *digits(const rctx *c, const char *s) { return c->o->thai_digits ? thai_digits(s) : util_strdup(s); }
static char *integer(const rctx *c, long v) { return thai_number(v, 0, c->o->thai_digits); }
static char *month_short(const rctx *c, const dataset *ds, int fm);

/* A number read as a name (a year, a region): no thousands separator. */
static char *plain_int(const rctx *c, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return digits(c, buf);
}

/* Measured values span ratios (0.03) and percentages (93.5): keep about
 * three significant digits for small magnitudes. */
static char *value_text(const rctx *c, double v, double mean)
{
    double m = fabs(mean) > fabs(v) ? fabs(mean) : fabs(v);
    return num(c, v, m < 1 ? 4 : 2);
}

static char *month_name(const rctx *c, const score_result *r, int fm)
{
    if (fm < 0)
        return util_strdup("-");
    return thai_date(model_calendar_month(r->ds->fiscal_year, fm), 0, c->o->thai_digits);
}

/* The result that names the document's region and organisation: the KPI
 * scheme's when there is one (the monthly handout is for its region). */
static const score_result *main_result(const report_data *rd)
{
    return rd->kpi ? rd->kpi : rd->finance;
}

/* What the monthly handout compares with: the last signed-off month when
 * the archive has one (for the grades), else the month before. */
static char *compared_with(const rctx *c, const score_result *r)
{
    const report_signed_month *s = c->o->signed_month;
    char *prev = month_name(c, r, r->last_month - 1), *out = NULL;
    char *sm = s ? month_name(c, r, model_fiscal_month(r->ds->fiscal_year, s->month)) : NULL;
    if (prev && s && sm)
        out = util_format("ระดับของเดือน %s ที่ลงนามรับรองแล้ว (รอบ %s) ส่วนตัวเลขอื่นเทียบกับเดือน %s", sm, s->round,
                          prev);
    else if (prev && !s)
        out = util_format("เดือน %s (ยังไม่มีเดือนที่ลงนามรับรองในแฟ้มเก็บเอกสาร)", prev);
    free(prev);
    free(sm);
    return out;
}

/* A province's grade in the signed-off month, or NULL. */
static const char *signed_grade(const rctx *c, const char *code)
{
    const report_signed_month *s = c->o->signed_month;
    for (int i = 0; s && i < s->n; i++)
        if (!strcmp(s->codes[i], code))
            return s->grades[i];
    return NULL;
}

static void common_vars(rctx *c)
{
    const score_result *r = main_result(c->rd);
    var_set(&c->v, "region", plain_int(c, r->region));
    var_set(&c->v, "fiscal_year", plain_int(c, r->ds->fiscal_year));
    var_set(&c->v, "data_date", r->ds->data_date.year ? thai_date(r->ds->data_date, 0, c->o->thai_digits)
                                                      : util_strdup("-"));
    var_set(&c->v, "scheme_title", util_strdup(r->sch->title));
    var_set(&c->v, "organisation", util_strdup(r->sch->organisation ? r->sch->organisation : ""));
    var_set(&c->v, "month", month_name(c, r, r->last_month));
    var_set(&c->v, "previous_month", month_name(c, r, r->last_month - 1));
    var_set(&c->v, "compared_with", compared_with(c, r));
}

static void scorecard_vars(rctx *c)
{
    const score_result *r = c->rd->finance;
    const province_result *p = &r->provinces[c->rd->province];
    const province *pv = &r->ds->provinces[p->province];
    var_set(&c->v, "province_name", util_strdup(pv->name_th));
    var_set(&c->v, "province_code", digits(c, pv->code));
    var_set(&c->v, "total", cp(c, p->total_cp));
    var_set(&c->v, "max_total", cp(c, p->max_cp));
    var_set(&c->v, "percent", thai_number(p->percent_x100, 2, c->o->thai_digits));
    var_set(&c->v, "grade", util_strdup(export_grade(r, p)));
    var_set(&c->v, "rank", integer(c, p->rank));
    var_set(&c->v, "clawback_rate", thai_number(p->grade >= 0 ? r->sch->grades[p->grade].rate_bp : 0, 2,
                                                c->o->thai_digits));
    var_set(&c->v, "reserved", money(c, p->reserved_satang));
    var_set(&c->v, "clawback", money(c, p->clawback_satang));
    var_set(&c->v, "clawback_words", thai_money_words(p->clawback_satang));
    var_set(&c->v, "kept", money(c, p->kept_satang));
    var_set(&c->v, "kept_words", thai_money_words(p->kept_satang));
}

static void summary_vars(rctx *c)
{
    const score_result *r = c->rd->finance;
    int64_t total = 0;
    for (size_t i = 0; i < r->nprovinces; i++)
        total += r->provinces[i].clawback_satang;
    var_set(&c->v, "clawback_total", money(c, total));
    var_set(&c->v, "clawback_total_words", thai_money_words(total));
}

static char *pct_text(const rctx *c, int num_, int den)
{
    return den ? num(c, 100.0 * num_ / den, 2) : util_strdup("-");
}

static void kpi_cmi_counts(const score_result *r, long province, int *n, int *pass);

/* CMI counts cover the KPI's levels (kpi_levels of the scheme, e.g. A-F2). */
static void kpi_vars(rctx *c)
{
    const score_result *r = c->rd->kpi;
    int n, pass;
    kpi_cmi_counts(r, -1, &n, &pass);
    var_set(&c->v, "cmi_pass", integer(c, pass));
    var_set(&c->v, "cmi_hospitals", integer(c, n));
    var_set(&c->v, "cmi_percent", pct_text(c, pass, n));
    var_set(&c->v, "ha_pass", integer(c, r->community_ha));
    var_set(&c->v, "ha_hospitals", integer(c, r->community));
    var_set(&c->v, "ha_percent", pct_text(c, r->community_ha, r->community));
}

/* ------------------------------------------------------------------ */
/* Data-bound blocks                                                   */

#define MAX_COLS 24

typedef struct {
    char *s[MAX_COLS];
    int n;
    int oom; /* a cell's text could not be made: the row must not be set blank */
} row_texts;

static void rt_add(row_texts *t, char *s)
{
    if (!s)
        t->oom = 1;
    t->s[t->n++] = s;
}
static void rt_free(row_texts *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->s[i]);
    t->n = 0;
    t->oom = 0;
}

/* Adds a row of texts; aligns[i] is 'l', 'c' or 'r'. Header rows are bold
 * and shaded; cell `span_col` (or none, -1) continues the cell above it. */
static void add_row_ex(rctx *c, row_texts *t, const char *aligns, int header, int span_col)
{
    if (t->oom) {
        c->err = 1;
        rt_free(t);
        return;
    }
    layout_cell cells[MAX_COLS];
    for (int i = 0; i < t->n; i++) {
        char a = aligns[i];
        cells[i] = (layout_cell){t->s[i], a == 'r' ? ALIGN_RIGHT : a == 'c' ? ALIGN_CENTER : ALIGN_LEFT, header,
                                 header ? 1 : 0, 1, i == span_col, 0};
    }
    if (layout_table_row(c->doc, cells, t->n) != 0)
        c->err = 1;
    rt_free(t);
}

static void add_row(rctx *c, row_texts *t, const char *aligns, int header) { add_row_ex(c, t, aligns, header, -1); }

/* Tables: official documents set them no smaller than 14 pt. */
static int table_begin(rctx *c, const double *w, int ncols, double size, int header_rows)
{
    if (c->o->style == REPORT_STYLE_OFFICIAL && size < 14)
        size = 14;
    return layout_table_begin(c->doc, w, ncols, size, header_rows);
}

static void header_row(rctx *c, const char *const *names, int n)
{
    row_texts t = {0};
    char al[MAX_COLS];
    for (int i = 0; i < n; i++) {
        rt_add(&t, util_strdup(names[i]));
        al[i] = 'c';
    }
    add_row(c, &t, al, 1);
}

static void block_criteria(rctx *c)
{
    const score_result *r = c->rd->finance;
    const province_result *p = &r->provinces[c->rd->province];
    static const double w[] = {0, 46, 24, 0, 0, 0, 0, 0, 0};
    static const char *h[] = {"ข้อ", "เกณฑ์การประเมิน", "เป้าหมาย", "ผลจังหวัด", "ค่าเฉลี่ยเขต", "SD", "ช่วง", "คะแนน", "เต็ม"};
    if (table_begin(c, w, 9, 11, 1)) {
        c->err = 1;
        return;
    }
    header_row(c, h, 9);
    for (size_t i = 0; i < r->sch->ncriteria; i++) {
        const criterion_def *cd = &r->sch->criteria[i];
        const criterion_result *cr = &p->crit[i];
        row_texts t = {0};
        char *no = cd->part ? util_format("%d.%d%s", cd->number, cd->part, cr->incomplete ? " *" : "")
                            : util_format("%d%s", cd->number, cr->incomplete ? " *" : "");
        rt_add(&t, no ? digits(c, no) : NULL);
        free(no);
        /* the parts of a criterion share its wording: print it once */
        rt_add(&t, util_strdup(cd->part > 1 ? "" : cd->label_th));
        rt_add(&t, util_strdup(cd->target_th));
        rt_add(&t, cr->has_value ? value_text(c, cr->value, cr->mean) : util_strdup("ไม่มีข้อมูล"));
        rt_add(&t, value_text(c, cr->mean, cr->mean));
        rt_add(&t, value_text(c, cr->sd, cr->mean));
        rt_add(&t, util_strdup(cr->band >= 0 ? export_band(r, cr)
                               : cd->rule == RULE_ZBAND ? "-" : cr->points_cp ? "ผ่าน" : "ไม่ผ่าน"));
        rt_add(&t, cp(c, cr->points_cp));
        rt_add(&t, cp(c, cd->max_cp));
        add_row_ex(c, &t, "cllrrrcrr", 0, cd->part > 1 ? 1 : -1);
    }
    row_texts t = {0};
    rt_add(&t, util_strdup(""));
    rt_add(&t, util_strdup("รวม"));
    for (int i = 0; i < 5; i++)
        rt_add(&t, util_strdup(""));
    rt_add(&t, cp(c, p->total_cp));
    rt_add(&t, cp(c, p->max_cp));
    add_row(c, &t, "cllrrrcrr", 1);
    layout_table_end(c->doc);
}

static void block_result(rctx *c)
{
    const char *keys[] = {"คะแนนรวม", "ร้อยละ", "ระดับ", "ลำดับในเขต", "เงินส่วนที่กัน", "ดึงเงินกลับ", "คงเหลือ"};
    const char *vals[] = {"total", "percent", "grade", "rank", "reserved", "clawback", "kept"};
    for (int i = 0; i < 7; i++) {
        for (int k = 0; k < c->v.n; k++)
            if (!strcmp(c->v.name[k], vals[i])) {
                char *text = i >= 4 ? util_format("%s บาท", c->v.value[k]) : util_strdup(c->v.value[k]);
                if (!text || layout_keyvalue(c->doc, keys[i], text, 45))
                    c->err = 1;
                free(text);
            }
    }
    if (layout_spacer(c->doc, 8))
        c->err = 1;
}

static void summary_wide(rctx *c);
static void summary_by_criterion(rctx *c);

/* The points of every province: one row a province, the criteria across
 * (14 columns for the Region 8 scheme); in the official style, whose tables
 * are never below 14 pt, the criteria go down and the provinces across, so
 * the table fits the page at that size. */
static void block_summary(rctx *c)
{
    if (c->o->style == REPORT_STYLE_OFFICIAL)
        summary_by_criterion(c);
    else
        summary_wide(c);
}

/* A criterion's number as the announcement writes it: "4", "9.2". */
static char *criterion_no(const rctx *c, const criterion_def *cd)
{
    char *s = cd->part ? util_format("%d.%d", cd->number, cd->part) : util_format("%d", cd->number);
    char *t = s ? digits(c, s) : NULL;
    free(s);
    return t;
}

/* The provinces' names across a header row, after `first` (and `second`). */
static void province_header(rctx *c, const char *first, const char *second)
{
    const score_result *r = c->rd->finance;
    row_texts t = {0};
    char al[MAX_COLS];
    memset(al, 'c', sizeof al);
    rt_add(&t, util_strdup(first));
    if (second)
        rt_add(&t, util_strdup(second));
    for (size_t p = 0; p < r->nprovinces && t.n < MAX_COLS; p++)
        rt_add(&t, util_strdup(r->ds->provinces[r->provinces[p].province].name_th));
    add_row(c, &t, al, 1);
}

/* Two tables, each fitting a landscape page at 14 pt: the points of each
 * criterion (criteria down, provinces across, the total at the foot), then
 * each province's percentage, grade and rank. */
static void summary_by_criterion(rctx *c)
{
    const score_result *r = c->rd->finance;
    int np = (int)r->nprovinces, nc = (int)r->sch->ncriteria;
    if (np > MAX_COLS - 2)
        np = MAX_COLS - 2;
    double w[MAX_COLS];
    char al[MAX_COLS];
    /* relative widths throughout, so that the second table's first column
     * is exactly the first two of this one and the provinces line up */
    for (int i = 0; i < np + 2; i++)
        w[i] = 1, al[i] = 'r';
    w[0] = 0.55, w[1] = 0.75; /* "๙.๓" and "๙๐๐.๐๐": the provinces get the room */
    al[0] = 'c';
    if (table_begin(c, w, np + 2, 14, 1)) {
        c->err = 1;
        return;
    }
    province_header(c, "ข้อ", "เต็ม");
    for (int i = 0; i < nc; i++) {
        row_texts t = {0};
        rt_add(&t, criterion_no(c, &r->sch->criteria[i]));
        rt_add(&t, cp(c, r->sch->criteria[i].max_cp));
        for (int p = 0; p < np; p++) {
            const criterion_result *cr = &r->provinces[p].crit[i];
            char *pts = cp(c, cr->points_cp);
            rt_add(&t, !pts ? NULL : cr->incomplete ? util_format("%s *", pts) : util_strdup(pts));
            free(pts);
        }
        add_row(c, &t, al, 0);
    }
    row_texts t = {0};
    rt_add(&t, util_strdup("รวม"));
    rt_add(&t, cp(c, np ? r->provinces[0].max_cp : 0));
    for (int p = 0; p < np; p++)
        rt_add(&t, cp(c, r->provinces[p].total_cp));
    add_row(c, &t, al, 1);
    if (layout_table_end(c->doc) || layout_spacer(c->doc, 4))
        c->err = 1;
    for (int i = 0; i < np + 1; i++)
        w[i] = 1, al[i] = 'c';
    w[0] = 1.3;
    if (table_begin(c, w, np + 1, 14, 1)) {
        c->err = 1;
        return;
    }
    province_header(c, "ผลการประเมิน", NULL);
    rt_add(&t, util_strdup("ร้อยละ"));
    for (int p = 0; p < np; p++)
        rt_add(&t, thai_number(r->provinces[p].percent_x100, 2, c->o->thai_digits));
    add_row(c, &t, al, 0);
    rt_add(&t, util_strdup("ระดับ"));
    for (int p = 0; p < np; p++)
        rt_add(&t, util_strdup(export_grade(r, &r->provinces[p])));
    add_row(c, &t, al, 0);
    rt_add(&t, util_strdup("ลำดับ"));
    for (int p = 0; p < np; p++)
        rt_add(&t, integer(c, r->provinces[p].rank));
    add_row(c, &t, al, 0);
    layout_table_end(c->doc);
}

static void summary_wide(rctx *c)
{
    const score_result *r = c->rd->finance;
    int nc = (int)r->sch->ncriteria;
    double w[MAX_COLS];
    char al[MAX_COLS];
    int cols;
    if (nc > MAX_COLS - 5)
        nc = MAX_COLS - 5;
    w[0] = 1;
    al[0] = 'l';
    for (int i = 0; i < nc; i++)
        w[1 + i] = 0, al[1 + i] = 'r';
    w[1 + nc] = 0, w[2 + nc] = 0, w[3 + nc] = 0, w[4 + nc] = 0;
    al[1 + nc] = al[2 + nc] = 'r', al[3 + nc] = al[4 + nc] = 'c';
    cols = 5 + nc;
    if (table_begin(c, w, cols, 11, 1)) {
        c->err = 1;
        return;
    }
    row_texts t = {0};
    rt_add(&t, util_strdup("จังหวัด"));
    for (int i = 0; i < nc; i++) {
        const criterion_def *cd = &r->sch->criteria[i];
        char *s = cd->part ? util_format("%d.%d", cd->number, cd->part) : util_format("%d", cd->number);
        rt_add(&t, s ? digits(c, s) : NULL);
        free(s);
    }
    rt_add(&t, util_strdup("รวม"));
    rt_add(&t, util_strdup("ร้อยละ"));
    rt_add(&t, util_strdup("ระดับ"));
    rt_add(&t, util_strdup("ลำดับ"));
    char hal[MAX_COLS];
    memset(hal, 'c', sizeof hal);
    add_row(c, &t, hal, 1);
    for (size_t p = 0; p < r->nprovinces; p++) {
        const province_result *pr = &r->provinces[p];
        rt_add(&t, util_strdup(r->ds->provinces[pr->province].name_th));
        for (int i = 0; i < nc; i++) {
            char *pts = cp(c, pr->crit[i].points_cp);
            rt_add(&t, !pts ? NULL : pr->crit[i].incomplete ? util_format("%s *", pts) : util_strdup(pts));
            free(pts);
        }
        rt_add(&t, cp(c, pr->total_cp));
        rt_add(&t, thai_number(pr->percent_x100, 2, c->o->thai_digits));
        rt_add(&t, util_strdup(export_grade(r, pr)));
        rt_add(&t, integer(c, pr->rank));
        add_row(c, &t, al, 0);
    }
    layout_table_end(c->doc);
}

static void block_money(rctx *c)
{
    const score_result *r = c->rd->finance;
    /* the grade beside the money: grade -> rate -> amount reads across the row */
    static const double w[] = {1, 0, 0, 0, 0, 0};
    static const char *h[] = {"จังหวัด", "ระดับ", "เงินส่วนที่กัน (บาท)", "ดึงกลับ (%)", "ดึงเงินกลับ (บาท)", "คงเหลือ (บาท)"};
    if (table_begin(c, w, 6, 12, 1)) {
        c->err = 1;
        return;
    }
    header_row(c, h, 6);
    int64_t sums[3] = {0};
    for (size_t p = 0; p < r->nprovinces; p++) {
        const province_result *pr = &r->provinces[p];
        row_texts t = {0};
        rt_add(&t, util_strdup(r->ds->provinces[pr->province].name_th));
        rt_add(&t, util_strdup(export_grade(r, pr)));
        rt_add(&t, money(c, pr->reserved_satang));
        rt_add(&t, thai_number(pr->grade >= 0 ? r->sch->grades[pr->grade].rate_bp : 0, 2, c->o->thai_digits));
        rt_add(&t, money(c, pr->clawback_satang));
        rt_add(&t, money(c, pr->kept_satang));
        sums[0] += pr->reserved_satang;
        sums[1] += pr->clawback_satang;
        sums[2] += pr->kept_satang;
        add_row(c, &t, "lcrrrr", 0);
    }
    row_texts t = {0};
    rt_add(&t, util_strdup("รวม"));
    rt_add(&t, util_strdup(""));
    rt_add(&t, money(c, sums[0]));
    rt_add(&t, util_strdup(""));
    rt_add(&t, money(c, sums[1]));
    rt_add(&t, money(c, sums[2]));
    add_row(c, &t, "lcrrrr", 1);
    layout_table_end(c->doc);
}

/* ------------------------------------------------------------------ */
/* The scorecard's appendix: for each criterion, the hospitals of the   */
/* province that pulled its value down, worst first                    */

typedef struct {
    const hospital_result *h;
    const char *code; /* ties go in code order: the same bytes every run */
    double worse;     /* how much worse than the line it is held to: larger first */
    char *value;      /* the hospital's own figure, as printed */
} puller;

static int puller_cmp(const void *a, const void *b)
{
    const puller *x = a, *y = b;
    if (x->worse != y->worse)
        return x->worse < y->worse ? 1 : -1;
    return strcmp(x->code, y->code);
}

/* The months of a hospital at risk level 7 (or 4-7) and the months it
 * reported, over the window the scheme scores (its period to the last month). */
static void risk_months(const score_result *r, const hospital_result *h, int lo, int *k, int *n)
{
    *k = *n = 0;
    for (int m = r->period_start; m <= r->last_month && m < FY_MONTHS; m++)
        if (h->risk[m] >= 0) {
            (*n)++;
            *k += h->risk[m] >= lo;
        }
}

/* The mean EBITDA/expense ratio of the province's hospitals that have one
 * (the hospitals whose ratios criterion 1 takes the SD of). */
static double ebitda_mean(const rctx *c)
{
    const score_result *r = c->rd->finance;
    size_t prov = r->provinces[c->rd->province].province, n = 0;
    double sum = 0;
    for (size_t i = 0; i < r->nhospitals; i++) {
        const hospital_result *h = &r->hospitals[i];
        if (r->ds->hospitals[h->hospital].province == prov && h->has_finance && h->expense > 0) {
            sum += h->ebitda_ratio;
            n++;
        }
    }
    return n ? sum / (double)n : 0;
}

/* Whether hospital h pulled criterion cd's value v down, how much (*worse)
 * and its own figure (*value, taken by the caller). 0: it did not. */
static int pulls_down(const rctx *c, const criterion_def *cd, double v, double mean, const hospital_result *h,
                      double *worse, char **value)
{
    const score_result *r = c->rd->finance;
    double x;
    int k, n;
    *value = NULL;
    switch (cd->measure) {
    case M_EBITDA_SD:
        if (!h->has_finance || h->expense <= 0 || fabs(h->ebitda_ratio - mean) <= v)
            return 0;
        *worse = fabs(h->ebitda_ratio - mean);
        *value = num(c, h->ebitda_ratio, 4);
        return 1;
    case M_NWC_RATIO:
        if (!h->has_finance || h->efficiency_expense <= 0)
            return 0;
        x = (double)h->nwc_satang / (double)h->efficiency_expense;
        if (x >= v)
            return 0;
        *worse = v - x;
        *value = value_text(c, x, v);
        return 1;
    case M_REVENUE_GE_EXPENSE:
        if (!h->has_finance || h->revenue >= h->expense)
            return 0;
        *worse = (double)(h->expense - h->revenue);
        char *gap = money(c, h->expense - h->revenue);
        *value = gap ? util_format("รายได้ต่ำกว่าค่าใช้จ่าย %s บาท", gap) : NULL;
        free(gap);
        return 1;
    case M_TB_ELECTRONIC:
    case M_TB_MAPPING:
        x = cd->measure == M_TB_ELECTRONIC ? h->tb_electronic : h->tb_mapping;
        if (!h->has_tb || (cd->measure == M_TB_ELECTRONIC ? h->tb_electronic_pass : h->tb_mapping_pass))
            return 0;
        *worse = (double)r->sch->tb_pass_x100 / 100.0 - x;
        *value = num(c, x, 2);
        return 1;
    case M_ECLAIM:
        if (h->claims <= 0)
            return 0;
        x = 100.0 * (double)h->claims_passed / (double)h->claims;
        if (x >= v)
            return 0;
        *worse = v - x;
        char *p = num(c, x, 2), *a = integer(c, (long)h->claims_passed), *b = integer(c, (long)h->claims);
        *value = p && a && b ? util_format("ร้อยละ %s (ผ่าน %s จาก %s รายการ)", p, a, b) : NULL;
        free(p);
        free(a);
        free(b);
        return 1;
    case M_EFF7:
        if (h->eff7 < 0 || h->eff7 >= r->sch->eff7_min)
            return 0;
        *worse = r->sch->eff7_min - h->eff7;
        char *e = integer(c, h->eff7);
        *value = e ? util_format("ผ่าน %s ตัว", e) : NULL;
        free(e);
        return 1;
    case M_UNIT_COST: {
        if (!h->has_unit_cost || h->unit_cost_ok)
            return 0;
        double ro = h->opd_median > 0 ? h->opd_unit_cost / h->opd_median : 0;
        double ri = h->ipd_median > 0 ? h->ipd_unit_cost / h->ipd_median : 0;
        *worse = ro > ri ? ro : ri;
        strbuf sb = {0};
        if (h->opd_unit_cost > h->opd_median) {
            char *o = num(c, h->opd_unit_cost, 2), *m = num(c, h->opd_median, 2);
            sb_printf(&sb, "ผู้ป่วยนอก %s บาทต่อครั้ง (ค่ากลาง %s)", o ? o : "", m ? m : "");
            free(o);
            free(m);
        }
        if (h->ipd_unit_cost > h->ipd_median) {
            char *o = num(c, h->ipd_unit_cost, 2), *m = num(c, h->ipd_median, 2);
            sb_printf(&sb, "%sผู้ป่วยใน %s บาทต่อ AdjRW (ค่ากลาง %s)", sb.len ? "; " : "", o ? o : "", m ? m : "");
            free(o);
            free(m);
        }
        *value = sb_finish(&sb);
        return 1;
    }
    case M_RISK7:
    case M_RISK47:
        risk_months(r, h, cd->measure == M_RISK7 ? 7 : 4, &k, &n);
        x = n ? 100.0 * k / n : 0;
        if (!n || x <= v)
            return 0;
        *worse = x - v;
        char *kk = integer(c, k), *nn = integer(c, n), *pp = num(c, x, 2);
        *value = kk && nn && pp ? util_format("%s จาก %s เดือน (ร้อยละ %s)", kk, nn, pp) : NULL;
        free(kk);
        free(nn);
        free(pp);
        return 1;
    case M_RISK47_IMPROVED:
        if (h->risk_start < 4 || h->risk_improved)
            return 0;
        *worse = 10.0 * (h->risk_end < 0 ? 8 : h->risk_end) + h->risk_start;
        char *s0 = integer(c, h->risk_start), *s1 = h->risk_end < 0 ? util_strdup("-") : integer(c, h->risk_end);
        *value = s0 && s1 ? util_format("ระดับ %s เมื่อต้นช่วง, %s เมื่อสิ้นช่วง", s0, s1) : NULL;
        free(s0);
        free(s1);
        return 1;
    case M_COUNT: break;
    }
    return 0;
}

/* What the list of a criterion holds, said so that it can be checked by
 * hand against the hospitals' figures; v is the province's value. */
static char *puller_rule(const rctx *c, const criterion_def *cd, double v, double mean)
{
    const scheme *s = c->rd->finance->sch;
    char *pv = value_text(c, v, v), *m = num(c, mean, 4), *pass = thai_number(s->tb_pass_x100, 2, c->o->thai_digits);
    char *no = criterion_no(c, cd), *t = NULL;
    const char *x = pv ? pv : "";
    switch (cd->measure) {
    case M_EBITDA_SD:
        t = util_format("ข้อ %s (ค่าน้อยดี; SD ของจังหวัด %s): โรงพยาบาลที่สัดส่วน EBITDA ต่อค่าใช้จ่ายอยู่นอกช่วง"
                        "ค่าเฉลี่ยของจังหวัด %s ± %s เรียงจากที่ห่างค่าเฉลี่ยมากที่สุด", no, x, m ? m : "", x);
        break;
    case M_NWC_RATIO:
        t = util_format("ข้อ %s (ค่ามากดี): โรงพยาบาลที่ NWC ÷ ค่าใช้จ่ายเฉลี่ยต่อเดือนต่ำกว่าค่าของจังหวัด %s", no, x);
        break;
    case M_REVENUE_GE_EXPENSE:
        t = util_format("ข้อ %s (ร้อยละ %s): โรงพยาบาลที่รายได้ต่ำกว่าค่าใช้จ่าย ตั้งแต่ต้นปีงบประมาณ", no, x);
        break;
    case M_TB_ELECTRONIC:
    case M_TB_MAPPING:
        t = util_format("ข้อ %s (ร้อยละ %s): โรงพยาบาลที่คะแนนงบทดลองเฉลี่ยรายเดือนต่ำกว่า %s (ค่าของโรงพยาบาล)", no, x,
                        pass ? pass : "");
        break;
    case M_ECLAIM:
        t = util_format("ข้อ %s (ค่ามากดี): โรงพยาบาลที่ร้อยละของข้อมูล E-Claim ที่ผ่านต่ำกว่าค่าของจังหวัด ร้อยละ %s", no, x);
        break;
    case M_EFF7:
        t = util_format("ข้อ %s (ร้อยละ %s): โรงพยาบาลที่ผ่าน 7 Plus Efficiency น้อยกว่า %d ตัว", no, x, s->eff7_min);
        break;
    case M_UNIT_COST:
        t = util_format("ข้อ %s (ร้อยละ %s): โรงพยาบาลที่ต้นทุนผู้ป่วยนอกหรือผู้ป่วยในสูงกว่าค่ากลางของโรงพยาบาล"
                        "ระดับเดียวกันในเขต เรียงจากที่เกินค่ากลางมากที่สุด (เท่าของค่ากลาง)", no, x);
        break;
    case M_RISK7:
    case M_RISK47:
        t = util_format("ข้อ %s (ค่าน้อยดี; จังหวัดร้อยละ %s ของเดือน): โรงพยาบาลที่อยู่ในระดับ %s หลายเดือนกว่าสัดส่วน"
                        "ของจังหวัด", no, x, cd->measure == M_RISK7 ? "7" : "4–7");
        break;
    case M_RISK47_IMPROVED:
        t = util_format("ข้อ %s (ร้อยละ %s): โรงพยาบาลที่ต้นช่วงอยู่ระดับ 4–7 และระดับไม่ลดลงเมื่อสิ้นช่วง", no, x);
        break;
    case M_COUNT: break;
    }
    char *out = t ? digits(c, t) : NULL;
    free(t);
    free(pv);
    free(m);
    free(pass);
    free(no);
    return out;
}

/* One criterion's group: its rule in a heading row, then its hospitals. */
static void puller_group(rctx *c, size_t ci, puller *list)
{
    const score_result *r = c->rd->finance;
    const criterion_def *cd = &r->sch->criteria[ci];
    const criterion_result *cr = &r->provinces[c->rd->province].crit[ci];
    size_t prov = r->provinces[c->rd->province].province, n = 0;
    double mean = cd->measure == M_EBITDA_SD ? ebitda_mean(c) : 0;
    char *rule = puller_rule(c, cd, cr->value, mean);
    layout_cell head[1] = {{rule ? rule : "", ALIGN_LEFT, 1, 1, 4, 0, 1}};
    if (!rule || layout_table_row(c->doc, head, 1))
        c->err = 1;
    free(rule);
    for (size_t i = 0; cr->has_value && i < r->nhospitals; i++) {
        const hospital_result *h = &r->hospitals[i];
        double worse = 0;
        char *value = NULL;
        if (r->ds->hospitals[h->hospital].province != prov || !pulls_down(c, cd, cr->value, mean, h, &worse, &value))
            continue;
        if (!value)
            c->err = 1;
        list[n++] = (puller){h, r->ds->hospitals[h->hospital].code, worse, value};
    }
    qsort(list, n, sizeof *list, puller_cmp);
    for (size_t i = 0; i < n; i++) {
        const hospital *hp = &r->ds->hospitals[list[i].h->hospital];
        row_texts t = {0};
        rt_add(&t, integer(c, (long)i + 1));
        rt_add(&t, util_format("%s %s", hp->code, hp->name_th));
        rt_add(&t, util_strdup(model_level_code(hp->level)));
        rt_add(&t, list[i].value ? list[i].value : util_strdup(""));
        if (t.s[1] && c->o->thai_digits) {
            char *d = digits(c, t.s[1]);
            free(t.s[1]);
            t.s[1] = d;
            t.oom |= !d;
        }
        add_row(c, &t, "rlcl", 0);
    }
    if (!n) {
        layout_cell none[1] = {{cr->has_value ? "ไม่มี" : "ไม่มีข้อมูล", ALIGN_LEFT, 0, 0, 4, 0, 0}};
        if (layout_table_row(c->doc, none, 1))
            c->err = 1;
    }
}

static void block_hospitals(rctx *c)
{
    const score_result *r = c->rd->finance;
    static const double w[] = {0, 34, 0, 50};
    static const char *h[] = {"ที่", "โรงพยาบาล", "ระดับ", "ค่าของโรงพยาบาล"};
    puller *list = malloc((r->nhospitals + 1) * sizeof *list);
    if (!list || table_begin(c, w, 4, 12, 1)) {
        free(list);
        c->err = 1;
        return;
    }
    header_row(c, h, 4);
    for (size_t ci = 0; ci < r->sch->ncriteria && !c->err; ci++)
        puller_group(c, ci, list);
    layout_table_end(c->doc);
    free(list);
}

/* A grade's range as the announcement prints it: "76 – 80", "81 – 100". */
static char *announced_range(const rctx *c, const grade_def *g)
{
    if (g->announced_low < 0)
        return util_strdup("-");
    char *r = util_format("%d – %d", g->announced_low, g->announced_high);
    char *t = r ? digits(c, r) : NULL;
    free(r);
    return t;
}

static void block_grades(rctx *c)
{
    const scheme *s = main_result(c->rd)->sch;
    static const double w[] = {9, 18, 33, 14, 26};
    static const char *h[] = {"ระดับ", "ตามประกาศ", "ร้อยละของคะแนนรวมที่ใช้ตัดระดับ", "ดึงเงินกลับ (%)", "หมายเหตุ"};
    if (table_begin(c, w, 5, 12, 1)) {
        c->err = 1;
        return;
    }
    header_row(c, h, 5);
    c->grades_done = 1;
    for (size_t i = 0; i < s->ngrades; i++) {
        const grade_def *g = &s->grades[i];
        row_texts t = {0};
        rt_add(&t, util_strdup(g->grade));
        rt_add(&t, announced_range(c, g));
        char *lo = thai_number(g->above_x100, 2, c->o->thai_digits);
        char *hi = i ? thai_number(s->grades[i - 1].above_x100, 2, c->o->thai_digits) : NULL;
        if (!lo || (i && !hi))
            rt_add(&t, NULL); /* out of memory: the row is refused, not set blank */
        else
            rt_add(&t, g->above_x100 < 0 ? (i ? util_format("ไม่เกิน %s", hi) : util_strdup("ทุกระดับคะแนน"))
                       : hi ? util_format("มากกว่า %s ถึง %s", lo, hi) : util_format("มากกว่า %s", lo));
        free(lo);
        free(hi);
        rt_add(&t, thai_number(g->rate_bp, 2, c->o->thai_digits));
        rt_add(&t, util_strdup(g->assumption ? "สมมติฐาน (ไม่อยู่ในประกาศ)" : ""));
        add_row(c, &t, "cclrl", 0);
    }
    layout_table_end(c->doc);
}

/* The grade boundaries of the scheme's table as labelled lines on the
 * chart just added: "A >80" at the line the percentage must pass for A. */
static int grade_lines(rctx *c, const scheme *sch)
{
    double *v = malloc((sch->ngrades + 1) * sizeof *v);
    char **lab = calloc(sch->ngrades + 1, sizeof *lab);
    int n = 0, rc = !v || !lab;
    for (size_t i = 0; !rc && i < sch->ngrades; i++) {
        const grade_def *g = &sch->grades[i];
        if (g->above_x100 < 0)
            continue;
        char *x = g->above_x100 % 100 ? thai_number(g->above_x100, 2, c->o->thai_digits)
                                       : thai_number(g->above_x100 / 100, 0, c->o->thai_digits);
        v[n] = (double)g->above_x100 / 100;
        lab[n] = x ? util_format("%s >%s", g->grade, x) : NULL;
        free(x);
        rc |= !lab[n++];
    }
    if (!rc)
        rc = layout_chart_references(c->doc, v, (const char *const *)lab, n);
    for (int i = 0; i < n; i++)
        free(lab[i]);
    free(lab);
    free(v);
    return rc ? -1 : 0;
}

static void block_chart_scores(rctx *c)
{
    const score_result *r = c->rd->finance;
    int n = (int)r->nprovinces;
    const char **labels = malloc(((size_t)n + 1) * sizeof *labels);
    double *vals = malloc(((size_t)n + 1) * sizeof *vals), *shade = malloc(((size_t)n + 1) * sizeof *shade);
    if (!labels || !vals || !shade) {
        c->err = 1;
        free(labels);
        free(vals);
        free(shade);
        return;
    }
    for (int i = 0; i < n; i++) {
        const province_result *p = &r->provinces[i];
        labels[i] = r->ds->provinces[p->province].name_th;
        vals[i] = (double)p->percent_x100 / 100;
        shade[i] = 0.25 + 0.6 * (double)(p->grade < 0 ? 0 : p->grade) / (double)(r->sch->ngrades ? r->sch->ngrades : 1);
    }
    double mean = score_mean(vals, (size_t)n), sd = score_sd(vals, (size_t)n, r->sch->sd_sample);
    char *m = num(c, mean, 2), *s = num(c, sd, 2);
    if (!m || !s)
        c->err = 1;
    char *legend = util_format("เส้นประ: ค่าเฉลี่ยของเขต %s  แถบสีเทา: Mean ± 1SD (SD = %s)  "
                               "เส้นจุด: เส้นแบ่งระดับตามเกณฑ์การจัดระดับ (ได้ระดับนั้นเมื่อร้อยละมากกว่าค่าของเส้น)  "
                               "สีแท่ง: ยิ่งเข้มยิ่งได้ระดับสูง",
                               m ? m : "", s ? s : "");
    if (!legend || layout_bar_chart(c->doc, "ร้อยละของคะแนนรวมรายจังหวัด", labels, vals, shade, n, mean, sd, 100,
                                    legend) ||
        grade_lines(c, r->sch))
        c->err = 1;
    free(m);
    free(s);
    free(legend);
    free(labels);
    free(vals);
    free(shade);
}

static void block_kpi(rctx *c)
{
    const score_result *r = c->rd->kpi;
    const dataset *ds = r->ds;
    static const double w[] = {17, 15, 28, 40};
    if (table_begin(c, w, 4, 12, 1)) {
        c->err = 1;
        return;
    }
    const char *ms = "3 เดือน";
    for (size_t i = 0; i < ds->nkpi; i++)
        if (ds->kpi[i].region == r->region)
            ms = ds->kpi[i].milestone;
    char *h2 = util_format("ประเด็น / องค์ประกอบ (Small Success %s)", ms);
    const char *h[] = {"ตัวชี้วัด", "เป้าหมาย ปีงบประมาณ", h2 ? h2 : "", "คำอธิบาย (ระบุกิจกรรมที่ดำเนินการ)"};
    header_row(c, h, 4);
    free(h2);
    const char *prev_kpi = NULL, *prev_line = NULL;
    for (size_t i = 0; i < ds->nkpi; i++) {
        const kpi_row *k = &ds->kpi[i];
        if (k->region != r->region)
            continue;
        int same_kpi = prev_kpi && !strcmp(prev_kpi, k->kpi);
        if (!prev_line || strcmp(prev_line, k->line_of_work) || !same_kpi) {
            layout_cell lw[4] = {{same_kpi ? "" : k->indicator, ALIGN_LEFT, 0, 0, 1, same_kpi, 0},
                                 {same_kpi ? "" : k->target, ALIGN_LEFT, 0, 0, 1, same_kpi, 0},
                                 {k->line_of_work, ALIGN_LEFT, 1, 1, 2, 0, 1}};
            if (layout_table_row(c->doc, lw, 3))
                c->err = 1;
            same_kpi = 1;
        }
        char *comp = util_format("%d. %s", k->component_no, k->component);
        char *compd = comp ? digits(c, comp) : NULL;
        layout_cell cells[4] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                                {"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                                {compd ? compd : "", ALIGN_LEFT, 0, 0, 1, 0, 0},
                                {k->activity, ALIGN_LEFT, 0, 0, 1, 0, 0}};
        if (layout_table_row(c->doc, cells, 4))
            c->err = 1;
        free(comp);
        free(compd);
        prev_kpi = k->kpi;
        prev_line = k->line_of_work;
    }
    layout_table_end(c->doc);
}



static int risk_count(const score_result *r, size_t province, int lo, int hi)
{
    int n = 0;
    for (size_t i = 0; i < r->nhospitals; i++) {
        const hospital_result *h = &r->hospitals[i];
        int lv = h->risk[r->last_month];
        n += r->ds->hospitals[h->hospital].province == province && lv >= lo && lv <= hi;
    }
    return n;
}

static char *change(const rctx *c, double now, double before, int dec)
{
    double dlt = now - before;
    char *n = num(c, fabs(dlt), dec);
    char *s = util_format("%s%s", dlt > 0 ? "+" : dlt < 0 ? "-" : "±", n ? n : "");
    free(n);
    return s;
}

/* Disclosures: the rules and gaps behind a document's figures. */
static const layout_style disclosure_style = {13, 0, ALIGN_LEFT, 0, 4, {0.2, 0.2, 0.2}};

/* Under the monthly table: why it has no grades, or whose grades they are. */
static void monthly_grades_note(rctx *c, const score_result *f, const score_result *k, int own, int grades)
{
    char *text = NULL;
    if (!grades)
        text = util_format("ไม่แสดงร้อยละคะแนนและระดับ: ไม่มีเกณฑ์ประเมินการเงินการคลังของเขตสุขภาพที่ %d "
                           "ปีงบประมาณ %d (\"%s\" เป็นของเขตสุขภาพที่ %d ปีงบประมาณ %d)",
                           k->region, k->ds->fiscal_year, f->sch->title, f->sch->region, f->sch->fiscal_year);
    else if (!own)
        text = util_format("ร้อยละคะแนนและระดับคำนวณตาม \"%s\" ของเขตสุขภาพที่ %d ปีงบประมาณ %d "
                           "ซึ่งไม่ได้ประกาศใช้กับเขตสุขภาพที่ %d ปีงบประมาณ %d",
                           f->sch->title, f->sch->region, f->sch->fiscal_year, k->region,
                           k->ds->fiscal_year);
    else
        return;
    if (!text || layout_paragraph(c->doc, text, disclosure_style))
        c->err = 1;
    free(text);
}

/* The hospitals in financial crisis (risk level 6-7) this month, named with
 * their level last month and this month and the ratios behind it, as
 * regional finance handouts list them. */
static void block_crisis(rctx *c)
{
    const score_result *f = c->rd->finance;
    const dataset *ds = f->ds;
    int m = f->last_month;
    static const double w[] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    static const char *h[] = {"จังหวัด", "โรงพยาบาล", "ระดับ", "เดือนก่อน", "เดือนนี้", "CR", "QR", "Cash ratio",
                              "NWC (บาท)", "NI สะสม (บาท)"};
    int any = 0;
    for (size_t i = 0; m >= 0 && i < f->nhospitals; i++)
        any |= f->hospitals[i].risk[m] >= 6;
    if (!any) {
        char *none = digits(c, "ไม่มีโรงพยาบาลที่มีความเสี่ยงทางการเงินระดับ 6–7 ในเดือนนี้");
        int bad = !none || layout_paragraph(c->doc, none, (layout_style){16, 0, ALIGN_LEFT, 0, 6, {0, 0, 0}});
        free(none);
        if (bad)
            c->err = 1;
        return;
    }
    if (table_begin(c, w, 10, 12, 1)) {
        c->err = 1;
        return;
    }
    header_row(c, h, 10);
    for (size_t i = 0; i < f->nhospitals; i++) {
        const hospital_result *hr = &f->hospitals[i];
        if (hr->risk[m] < 6)
            continue;
        const hospital *hd = &ds->hospitals[hr->hospital];
        const finance_month *fm = &hd->fin[m];
        int64_t ca = fm->cash + fm->receivables + fm->inventory + fm->other_current_assets, cl = fm->current_liabilities;
        int64_t ni = 0;
        for (int k = 0; k <= m; k++)
            ni += hd->fin[k].revenue + hd->fin[k].investment_revenue - hd->fin[k].expense - hd->fin[k].depreciation;
        row_texts t = {0};
        rt_add(&t, util_strdup(ds->provinces[hd->province].name_th));
        rt_add(&t, util_strdup(hd->name_th));
        rt_add(&t, util_strdup(model_level_code(hd->level)));
        rt_add(&t, m > 0 && hr->risk[m - 1] >= 0 ? integer(c, hr->risk[m - 1]) : util_strdup("-"));
        rt_add(&t, integer(c, hr->risk[m]));
        rt_add(&t, cl ? num(c, (double)ca / (double)cl, 2) : util_strdup("-"));
        rt_add(&t, cl ? num(c, (double)(fm->cash + fm->receivables) / (double)cl, 2) : util_strdup("-"));
        rt_add(&t, cl ? num(c, (double)fm->cash / (double)cl, 2) : util_strdup("-"));
        rt_add(&t, money(c, ca - cl));
        rt_add(&t, money(c, ni));
        add_row(c, &t, "llcccrrrrr", 0);
    }
    layout_table_end(c->doc);
}

static void block_monthly(rctx *c)
{
    const score_result *f = c->rd->finance, *fp = c->rd->finance_prev, *k = c->rd->kpi;
    static const double w[] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
    const char *h[] = {"จังหวัด", "CMI ผ่าน (%)", "เปลี่ยนแปลง", "ระดับ 7 (แห่ง)", "เปลี่ยนแปลง",
                       "ระดับ 4-7 (แห่ง)", "เปลี่ยนแปลง", "ร้อยละคะแนน", "ระดับคาดการณ์"};
    int own = score_scheme_is_own(f), grades = own || f->scheme_named, ncols = grades ? 9 : 7;
    char *gh = !own && grades ? util_format("ระดับ (เกณฑ์เขต %d)", f->sch->region) : NULL;
    if (gh)
        h[8] = gh;
    if (table_begin(c, w, ncols, 12, 1)) {
        free(gh);
        c->err = 1;
        return;
    }
    header_row(c, h, ncols);
    free(gh);
    const score_result *kp = c->rd->nmonths >= 2 ? c->rd->kpi_by_month[c->rd->nmonths - 2] : NULL;
    for (size_t p = 0; p < f->nprovinces; p++) {
        const province_result *pr = &f->provinces[p], *prp = fp ? &fp->provinces[p] : NULL;
        const province_result *kr = &k->provinces[p], *krp = kp ? &kp->provinces[p] : NULL;
        size_t prov = pr->province;
        double cmi = kr->cmi_hospitals ? 100.0 * kr->cmi_pass / kr->cmi_hospitals : 0;
        double cmip = krp && krp->cmi_hospitals ? 100.0 * krp->cmi_pass / krp->cmi_hospitals : cmi;
        int r7 = risk_count(f, prov, 7, 7), r7p = fp ? risk_count(fp, prov, 7, 7) : r7;
        int r47 = risk_count(f, prov, 4, 7), r47p = fp ? risk_count(fp, prov, 4, 7) : r47;
        row_texts t = {0};
        rt_add(&t, util_strdup(f->ds->provinces[prov].name_th));
        rt_add(&t, num(c, cmi, 2));
        rt_add(&t, change(c, cmi, cmip, 2));
        rt_add(&t, integer(c, r7));
        rt_add(&t, change(c, r7, r7p, 0));
        rt_add(&t, integer(c, r47));
        rt_add(&t, change(c, r47, r47p, 0));
        if (grades) {
            rt_add(&t, thai_number(pr->percent_x100, 2, c->o->thai_digits));
            const char *was = c->o->signed_month ? signed_grade(c, f->ds->provinces[prov].code)
                              : prp                  ? export_grade(fp, prp)
                                                     : NULL;
            char *g = was ? util_format("%s (เดิม %s)", export_grade(f, pr), was) : util_strdup(export_grade(f, pr));
            rt_add(&t, g);
        }
        add_row(c, &t, "lrrrrrrrc", 0);
    }
    layout_table_end(c->doc);
    monthly_grades_note(c, f, k, own, grades);
}

/* The share of hospitals whose CMI for the year to date reaches their
 * level's target, month by month: one panel per province with the whole
 * region dashed behind it. The last value of each panel is the table's
 * "CMI ผ่าน (%)" of the month. A province with no hospital to judge in a
 * month has no value there (NAN), never 0. */
static double cmi_share(int pass, int n) { return n ? 100.0 * pass / n : NAN; }

static void block_cmi_trend(rctx *c)
{
    const report_data *rd = c->rd;
    const score_result *k = rd->kpi;
    int nm = rd->nmonths, np = (int)k->nprovinces;
    if (nm < 1 || np < 1)
        return;
    if (nm > FY_MONTHS)
        nm = FY_MONTHS;
    const char *xl[FY_MONTHS];
    double region[FY_MONTHS];
    const char **names = calloc((size_t)np + 1, sizeof *names);
    double **series = calloc((size_t)np + 1, sizeof *series);
    if (!names || !series) {
        free(names);
        free(series);
        c->err = 1;
        return;
    }
    for (int m = 0; m < nm; m++) {
        xl[m] = thai_month_short[model_calendar_month(k->ds->fiscal_year, m).month - 1];
        region[m] = cmi_share(rd->kpi_by_month[m]->cmi_pass, rd->kpi_by_month[m]->cmi_hospitals);
    }
    for (int p = 0; p < np; p++) {
        names[p] = k->ds->provinces[k->provinces[p].province].name_th;
        series[p] = calloc(FY_MONTHS, sizeof(double));
        for (int m = 0; series[p] && m < nm; m++) {
            const province_result *pr = &rd->kpi_by_month[m]->provinces[p];
            series[p][m] = cmi_share(pr->cmi_pass, pr->cmi_hospitals);
        }
        if (!series[p])
            c->err = 1;
    }
    char *first = month_short(c, k->ds, 0), *last = month_short(c, k->ds, nm - 1);
    char *rv = isnan(region[nm - 1]) ? util_strdup("-") : num(c, region[nm - 1], 2);
    char *title = first && last ? util_format("ร้อยละของโรงพยาบาลที่ค่า CMI สะสมตั้งแต่ต้นปีงบประมาณถึงเกณฑ์ของระดับ"
                                              " รายจังหวัด (%s – %s)", first, last)
                                : NULL;
    char *legend = rv && last ? util_format("นับโรงพยาบาลทุกระดับที่มีเกณฑ์ CMI ทุกแผงใช้มาตราเดียวกัน\n"
                                            "เส้นประสีเทา: ทั้งเขต (%s ร้อยละ %s)\n"
                                            "ตัวเลขท้ายเส้น: ค่าเดือน %s ตรงกับช่อง CMI ผ่าน (%%) ในตาราง",
                                            last, rv, last)
                            : NULL;
    if (!c->err && (!title || !legend ||
                    layout_line_chart(c->doc, title, xl, nm, (const double *const *)series, names, np, region, 0, 100,
                                      legend)))
        c->err = 1;
    free(first);
    free(last);
    free(rv);
    free(title);
    free(legend);
    for (int p = 0; p < np; p++)
        free(series[p]);
    free(series);
    free(names);
}

/* The signers of a signed-off round, in the sign-off file's order
 * (ผู้จัดทำ, ผู้ตรวจสอบ, ผู้อนุมัติ), each with the date they signed. */
static void signoff_signatures(rctx *c)
{
    const signoff *so = c->o->signoff;
    layout_signer s[SIGNOFF_MAX_SIGNERS];
    char *dates[SIGNOFF_MAX_SIGNERS] = {0};
    for (int i = 0; i < so->nsigners; i++) {
        const signoff_signer *g = &so->signers[i];
        char *d = thai_date(g->date, 0, c->o->thai_digits);
        dates[i] = d ? util_format("วันที่ %s", d) : NULL;
        free(d);
        if (!dates[i])
            c->err = 1;
        s[i] = (layout_signer){signoff_role_th(g->role), g->name, g->position, dates[i] ? dates[i] : ""};
    }
    if (!c->err && layout_signers(c->doc, s, so->nsigners) != 0)
        c->err = 1;
    for (int i = 0; i < so->nsigners; i++)
        free(dates[i]);
}

/* One signature per line of the block's body: the signer's position, with
 * placeholders filled ("ผู้อำนวยการ{{organisation}}"); the name is left
 * dotted for the pen. An empty body signs for the scheme's organisation.
 * A signed-off round's signers replace them. */
static void block_signatures(rctx *c)
{
    if (c->o->signoff) {
        signoff_signatures(c);
        return;
    }
    const score_result *r = main_result(c->rd);
    char *date = c->o->date.year ? thai_date(c->o->date, 0, c->o->thai_digits) : util_strdup("......../......../........");
    char *when = date ? util_format("วันที่ %s", date) : NULL;
    const char *body = c->block_body && strspn(c->block_body, " \n") < strlen(c->block_body) ? c->block_body : NULL;
    char *dflt = body ? NULL : util_format("ผู้อำนวยการ%s", r->sch->organisation ? r->sch->organisation : "");
    const char *p = body ? body : dflt;
    if (!when || !p)
        c->err = 1;
    for (int line = 0; p && *p && !c->err; line++) {
        size_t n = strcspn(p, "\n");
        char *raw = util_strndup(p, n), *pos = raw ? fill(&c->v, raw, c->file, c->block_line + 1 + line, c->d) : NULL;
        char *text = pos ? util_format("ตำแหน่ง %s", pos) : NULL;
        if (!raw || !text)
            c->err = 1;
        else if (pos[0] && layout_signature(c->doc, "........................................", text, when))
            c->err = 1;
        free(raw);
        free(pos);
        free(text);
        p += n + (p[n] == '\n');
    }
    free(dflt);
    free(date);
    free(when);
}

/* ------------------------------------------------------------------ */
/* Disclosures: the data-quality box and the rules behind the figures.   */
/* Every document carries them whether or not its template places them:  */
/* the box after the title, the rules before the signatures.             */

static char *month_short(const rctx *c, const dataset *ds, int fm)
{
    reader_date m = model_calendar_month(ds->fiscal_year, fm);
    char *s = util_format("%s %d", thai_month_short[m.month - 1], m.year + 543);
    char *t = s ? digits(c, s) : NULL;
    free(s);
    return t;
}

/* One line per (province, hospital, file) of a result's gaps, months run
 * together; only province `only` (a dataset index) when >= 0. */
static void gap_lines(rctx *c, const score_result *r, long only, char ***lines, size_t *n, size_t *cap)
{
    const dataset *ds = r->ds;
    for (size_t i = 0; i < r->ngaps && !c->err; i++) {
        const score_gap *g = &r->gaps[i];
        if (only >= 0 && g->province >= 0 && g->province != only)
            continue;
        strbuf b = {0};
        const province *p = g->province >= 0 ? &ds->provinces[g->province] : NULL;
        const hospital *h = g->hospital >= 0 ? &ds->hospitals[g->hospital] : NULL;
        if (g->kind == GAP_FILE)
            sb_printf(&b, "ไม่มีแฟ้ม %s: เกณฑ์ที่ใช้แฟ้มนี้ไม่มีข้อมูลทุกจังหวัด", g->file);
        else if (g->kind == GAP_NO_HOSPITALS)
            sb_printf(&b, "จังหวัด%s ไม่มีหน่วยบริการใน %s: ทุกเกณฑ์ไม่มีข้อมูล", p->name_th, g->file);
        else {
            sb_printf(&b, "จังหวัด%s %s (%s) แฟ้ม %s: ", p->name_th, h->name_th, h->code, g->file);
            if (g->kind == GAP_ROW)
                sb_puts(&b, "ไม่มีข้อมูล");
            else {
                sb_puts(&b, "ไม่มีข้อมูลเดือน ");
                for (size_t j = i; j < r->ngaps && r->gaps[j].kind == GAP_MONTH && r->gaps[j].hospital == g->hospital &&
                                   r->gaps[j].file == g->file;
                     j++) {
                    char *m = month_short(c, ds, r->gaps[j].month);
                    sb_printf(&b, "%s%s", j > i ? ", " : "", m ? m : "?");
                    free(m);
                    i = j;
                }
            }
        }
        char *line = sb_finish(&b);
        int dup = 0;
        for (size_t k = 0; line && k < *n && !dup; k++)
            dup = !strcmp((*lines)[k], line);
        if (!line || (!dup && util_grow((void **)lines, cap, *n + 1, sizeof **lines))) {
            free(line);
            c->err = 1;
        } else if (dup) {
            free(line);
        } else {
            (*lines)[(*n)++] = line;
        }
    }
}

/* A scheme of another fiscal year, allowed with --allow-year-mismatch. */
static char *year_mismatch_line(const score_result *r)
{
    if (!r || r->sch->fiscal_year == r->ds->fiscal_year)
        return NULL;
    return util_format("เกณฑ์ %s เป็นของปีงบประมาณ %d แต่ข้อมูลเป็นของปีงบประมาณ %d (ใช้ตามคำสั่ง --allow-year-mismatch)",
                       r->sch->name, r->sch->fiscal_year, r->ds->fiscal_year);
}

static void block_data_quality(rctx *c)
{
    if (c->quality_done)
        return;
    c->quality_done = 1;
    const report_data *rd = c->rd;
    long only = rd->finance && rd->province >= 0 ? (long)rd->finance->provinces[rd->province].province : -1;
    const score_result *rs[] = {rd->finance, rd->kpi};
    char **lines = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 2; i++) {
        if (!rs[i] || (i == 1 && rs[0] && rs[0]->sch == rs[1]->sch))
            continue;
        gap_lines(c, rs[i], only, &lines, &n, &cap);
        char *y = year_mismatch_line(rs[i]);
        if (y && !util_grow((void **)&lines, &cap, n + 1, sizeof *lines))
            lines[n++] = y;
        else
            free(y);
    }
    if (n && !c->err) {
        static const double w[] = {1};
        layout_cell head = {"ข้อมูลไม่ครบถ้วน: ตัวเลขในเอกสารนี้คำนวณจากข้อมูลที่มีอยู่เท่านั้น รายการที่ทำเครื่องหมาย * ได้รับผลกระทบ",
                            ALIGN_LEFT, 1, 2, 1, 0, 1};
        if (table_begin(c, w, 1, 12, 1) || layout_table_row(c->doc, &head, 1))
            c->err = 1;
        for (size_t i = 0; i < n && !c->err; i++) {
            layout_cell cell = {lines[i], ALIGN_LEFT, 0, 0, 1, 0, 0};
            if (layout_table_row(c->doc, &cell, 1))
                c->err = 1;
        }
        if (layout_table_end(c->doc) || layout_spacer(c->doc, 6))
            c->err = 1;
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* The months a measure reads: the year to date, the scheme's period, or
 * the latest assessment (once-a-year files). */
static char *data_window(const rctx *c, const score_result *r, measure_id m)
{
    const dataset *ds = r->ds;
    int start = 0;
    switch (m) {
    case M_EFF7: return util_strdup("ผลประเมินล่าสุดของปี");
    case M_TB_ELECTRONIC:
    case M_TB_MAPPING:
    case M_ECLAIM:
    case M_RISK7:
    case M_RISK47:
    case M_RISK47_IMPROVED: start = r->period_start; break;
    default: start = 0;
    }
    char *a = month_short(c, ds, start), *b = month_short(c, ds, r->last_month);
    char *t = a && b ? util_format("%s – %s%s", a, b, start == 0 ? " (สะสมตั้งแต่ต้นปีงบประมาณ)" : "") : NULL;
    free(a);
    free(b);
    return t;
}

/* A percentage held in basis points, without needless decimals: 40, 12.5 */
static char *percent_bp(const rctx *c, int64_t bp)
{
    if (bp % 100 == 0)
        return thai_number(bp / 100, 0, c->o->thai_digits);
    return bp % 10 == 0 ? thai_number(bp / 10, 1, c->o->thai_digits) : thai_number(bp, 2, c->o->thai_digits);
}

static void rule_line(rctx *c, char *text) /* takes text */
{
    if (!text || layout_paragraph(c->doc, text, disclosure_style))
        c->err = 1;
    free(text);
}

/* The rules that move money and that the announcement leaves open, as the
 * scheme sets them. */
static void block_rules(rctx *c)
{
    if (c->rules_done || !c->rd->finance)
        return;
    c->rules_done = 1;
    const score_result *r = c->rd->finance;
    const scheme *s = r->sch;
    if (layout_heading(c->doc, 2, "หลักเกณฑ์ที่ใช้คำนวณ (ตามที่กำหนดในเกณฑ์ ไม่ได้ระบุไว้ในประกาศ)")) {
        c->err = 1;
        return;
    }
    char *k = num(c, s->band_k, s->band_k == floor(s->band_k) ? 0 : 2);
    rule_line(c, util_format("• ส่วนเบี่ยงเบนมาตรฐาน (SD): %s; ช่วง = ค่าเฉลี่ย ± %s SD ของจังหวัดในเขต; "
                             "เมื่อทุกจังหวัดมีค่าเท่ากัน SD = 0 และทุกจังหวัดได้ \"%s\"",
                             s->sd_sample ? "แบบตัวอย่าง (STDEV ของ Excel, หารด้วย n − 1)" : "แบบประชากร (หารด้วย n)",
                             k ? k : "", s->nbands ? s->bands[score_band(s, 0)].label_th : "-"));
    free(k);
    strbuf b = {0};
    sb_puts(&b, "• คะแนนตามช่วง: ");
    for (size_t i = 0; i < s->nbands; i++) {
        const band_def *bd = &s->bands[i];
        char *share = percent_bp(c, bd->share_bp), *z = num(c, bd->bound, 2);
        if (bd->otherwise)
            sb_printf(&b, "%s%s (กรณีอื่น) ได้ %s%% ของคะแนนเกณฑ์", i ? "; " : "", bd->label_th, share ? share : "");
        else
            sb_printf(&b, "%s%s (z %s %s) ได้ %s%% ของคะแนนเกณฑ์", i ? "; " : "", bd->label_th, bd->strict ? ">" : "≥",
                      z ? z : "", share ? share : "");
        free(share);
        free(z);
    }
    rule_line(c, sb_finish(&b));
    /* the parts of a criterion */
    for (size_t i = 0; i < s->ncriteria; i++) {
        const criterion_def *cd = &s->criteria[i];
        if (cd->part != 1)
            continue;
        strbuf pb = {0};
        sb_printf(&pb, "• เกณฑ์ข้อ %d แบ่งคะแนนเป็นส่วน ", cd->number);
        for (size_t j = i; j < s->ncriteria && s->criteria[j].number == cd->number; j++) {
            char *w = percent_bp(c, s->criteria[j].weight_bp);
            sb_printf(&pb, "%s%d.%d = %s%%", j > i ? ", " : "", cd->number, s->criteria[j].part, w ? w : "");
            free(w);
        }
        rule_line(c, sb_finish(&pb));
    }
    rule_line(c, util_strdup(s->nodata == NODATA_ZERO ? "• จังหวัดที่ไม่มีข้อมูลของเกณฑ์ใด ได้ 0 คะแนนในเกณฑ์นั้น"
                                                      : "• จังหวัดที่ไม่มีข้อมูลของเกณฑ์ใด ได้คะแนนของช่วงต่ำสุดในเกณฑ์นั้น"));
    /* the data window of each criterion, criteria with the same window together */
    strbuf wb = {0};
    sb_puts(&wb, "• ช่วงข้อมูลของแต่ละเกณฑ์: ");
    char **win = calloc(s->ncriteria + 1, sizeof *win);
    for (size_t i = 0; win && i < s->ncriteria; i++)
        if (!(win[i] = data_window(c, r, s->criteria[i].measure)))
            c->err = 1;
    for (size_t i = 0, groups = 0; win && !c->err && i < s->ncriteria; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(win[j], win[i]);
        if (seen)
            continue;
        sb_printf(&wb, "%sข้อ ", groups++ ? "; " : "");
        for (size_t j = i, n = 0; j < s->ncriteria; j++) {
            const criterion_def *cd = &s->criteria[j];
            if (strcmp(win[j], win[i]))
                continue;
            if (cd->part)
                sb_printf(&wb, "%s%d.%d", n++ ? ", " : "", cd->number, cd->part);
            else
                sb_printf(&wb, "%s%d", n++ ? ", " : "", cd->number);
        }
        sb_printf(&wb, " %s", win[i]);
    }
    for (size_t i = 0; win && i < s->ncriteria; i++)
        free(win[i]);
    if (!win)
        c->err = 1;
    free(win);
    rule_line(c, sb_finish(&wb));
    for (size_t i = 0; i < s->ncriteria; i++)
        if (s->criteria[i].measure == M_TB_ELECTRONIC || s->criteria[i].measure == M_TB_MAPPING) {
            char *p = thai_number(s->tb_pass_x100, 2, c->o->thai_digits);
            rule_line(c, util_format("• หน่วยบริการผ่านเกณฑ์งบทดลองเมื่อคะแนนเฉลี่ยรายเดือนไม่น้อยกว่า %s", p ? p : ""));
            free(p);
            break;
        }
    for (size_t i = 0; i < s->ngrades; i++) {
        const grade_def *g = &s->grades[i];
        if (!g->assumption)
            continue;
        char *rate = percent_bp(c, g->rate_bp);
        char *lo = i ? thai_number(s->grades[i - 1].above_x100, 2, c->o->thai_digits) : NULL;
        rule_line(c, util_format("• ระดับ %s (ไม่อยู่ในประกาศ): ร้อยละของคะแนนรวม%s%s ดึงเงินกลับ %s%%", g->grade,
                                 lo ? "ไม่เกิน " : "", lo ? lo : "", rate ? rate : ""));
        free(rate);
        free(lo);
    }
    rule_line(c, util_strdup("• เงินดึงกลับ = อัตราดึงกลับ × เงินส่วนที่กัน ปัดเศษเป็นสตางค์ (ตั้งแต่ครึ่งสตางค์ปัดขึ้น); "
                             "ร้อยละของคะแนนรวมแสดงทศนิยม 2 ตำแหน่ง แต่การตัดระดับใช้ค่าที่ไม่ปัดเศษ"));
    if (!strcmp(c->name, "scorecard") && !c->grades_done)
        block_grades(c);
}

/* ------------------------------------------------------------------ */
/* The inspection report (ตรวจราชการ): result against target, Small     */
/* Success stages, CMI by quarter against the previous year, notes     */

static int kpi_level(const score_result *r, hosp_level l) { return l >= r->sch->kpi_level_lo && l <= r->sch->kpi_level_hi; }

/* "A–F2": the levels the KPI's CMI total covers. */
static char *kpi_levels_text(const score_result *r)
{
    if (r->sch->kpi_level_lo == r->sch->kpi_level_hi)
        return util_strdup(model_level_code(r->sch->kpi_level_lo));
    return util_format("%s–%s", model_level_code(r->sch->kpi_level_lo), model_level_code(r->sch->kpi_level_hi));
}

/* CMI pass counts over the KPI's levels, for the region (province < 0) or one province. */
static void kpi_cmi_counts(const score_result *r, long province, int *n, int *pass)
{
    *n = *pass = 0;
    for (size_t i = 0; i < r->nhospitals; i++) {
        const hospital_result *hr = &r->hospitals[i];
        const hospital *h = &r->ds->hospitals[hr->hospital];
        if (!kpi_level(r, h->level) || !hr->cmi_target_x1000 || (province >= 0 && h->province != (size_t)province))
            continue;
        (*n)++;
        *pass += hr->cmi_pass;
    }
}

static const char *kpi_number(const score_result *r)
{
    for (size_t i = 0; i < r->ds->nkpi; i++)
        if (r->ds->kpi[i].region == r->region)
            return r->ds->kpi[i].kpi;
    return NULL;
}

static const inspection *insp(const score_result *r) { return r->ds->insp; }

/* The statuses of the lines of work at one stage: counts of each status. */
static void stage_counts(const score_result *r, int months, int counts[4], int *lines)
{
    const inspection *in = insp(r);
    const char *kpi = kpi_number(r);
    memset(counts, 0, 4 * sizeof *counts);
    *lines = 0;
    for (size_t i = 0; in && kpi && i < in->nstages; i++) {
        const kpi_stage *s = &in->stages[i];
        if (s->region == r->region && !strcmp(s->kpi, kpi) && s->months == months) {
            counts[s->status]++;
            (*lines)++;
        }
    }
}

static void inspection_vars(rctx *c)
{
    const score_result *r = c->rd->kpi;
    int stage = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month);
    var_set(&c->v, "round", plain_int(c, inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month)));
    var_set(&c->v, "stage", plain_int(c, stage));
    var_set(&c->v, "kpi_levels", kpi_levels_text(r));
    var_set(&c->v, "kpi_number", util_strdup(kpi_number(r) ? kpi_number(r) : "-"));
}

/* Result against target: the KPI as a whole (every line of work passes the
 * stage that applies), CMI over the KPI's levels, HA of community hospitals. */
static void block_kpi_result(rctx *c)
{
    const score_result *r = c->rd->kpi;
    int stage = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month), cnt[4], lines, n, pass;
    static const double w[] = {30, 24, 0, 0, 0, 22};
    static const char *h[] = {"ประเด็น", "เป้าหมาย", "ผลงาน", "จาก", "ร้อยละ", "ผลการประเมิน"};
    if (table_begin(c, w, 6, 14, 1)) {
        c->err = 1;
        return;
    }
    header_row(c, h, 6);
    stage_counts(r, stage, cnt, &lines);
    const char *target = "ร้อยละ 100";
    for (size_t i = 0; i < r->ds->nkpi; i++)
        if (r->ds->kpi[i].region == r->region)
            target = r->ds->kpi[i].target;
    row_texts t = {0};
    char *what = util_format("ประเด็นที่ผ่าน Small Success ระยะ %d เดือน", stage);
    rt_add(&t, what ? digits(c, what) : NULL);
    free(what);
    rt_add(&t, digits(c, target));
    rt_add(&t, lines ? integer(c, cnt[STAGE_PASS]) : util_strdup("-"));
    rt_add(&t, lines ? integer(c, lines) : util_strdup("-"));
    rt_add(&t, pct_text(c, cnt[STAGE_PASS], lines));
    rt_add(&t, util_strdup(!lines ? "ไม่มีข้อมูล Small Success"
                           : cnt[STAGE_PASS] == lines ? "บรรลุเป้าหมาย"
                           : cnt[STAGE_FAIL] ? "ไม่บรรลุเป้าหมาย" : "อยู่ระหว่างดำเนินการ"));
    add_row(c, &t, "llrrrl", 0);
    kpi_cmi_counts(r, -1, &n, &pass);
    char *lv = kpi_levels_text(r);
    what = lv ? util_format("โรงพยาบาลระดับ %s ที่ค่า CMI ผ่านเกณฑ์ตามระดับ", lv) : NULL;
    rt_add(&t, what);
    rt_add(&t, digits(c, "ตามเกณฑ์ CMI รายระดับ (หัวข้อ 4)"));
    rt_add(&t, integer(c, pass));
    rt_add(&t, integer(c, n));
    rt_add(&t, pct_text(c, pass, n));
    rt_add(&t, util_strdup("ไม่ได้กำหนดร้อยละเป้าหมาย"));
    add_row(c, &t, "llrrrl", 0);
    free(lv);
    rt_add(&t, util_strdup("โรงพยาบาลชุมชน (M2–F3) ผ่านการรับรอง HA"));
    rt_add(&t, util_strdup("โรงพยาบาลชุมชนผ่าน HA"));
    rt_add(&t, integer(c, r->community_ha));
    rt_add(&t, integer(c, r->community));
    rt_add(&t, pct_text(c, r->community_ha, r->community));
    rt_add(&t, util_strdup("ไม่ได้กำหนดร้อยละเป้าหมาย"));
    add_row(c, &t, "llrrrl", 0);
    layout_table_end(c->doc);
}

/* Small Success: one row per line of work, one column per stage; each cell
 * what the stage asks and its status; the stage the data reach is shaded
 * and marked in its heading. */
static void block_small_success(rctx *c)
{
    const score_result *r = c->rd->kpi;
    const inspection *in = insp(r);
    const char *kpi = kpi_number(r);
    int now = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month);
    static const double w[] = {19, 20, 20, 20, 21};
    if (table_begin(c, w, 5, 14, 1)) {
        c->err = 1;
        return;
    }
    layout_cell hc[5] = {{"ประเด็น", ALIGN_CENTER, 1, 1, 1, 0, 0}};
    char *ht[4] = {0};
    for (int s = 0; s < 4; s++) {
        char *raw = util_format("Small Success %d เดือน%s", 3 * (s + 1), 3 * (s + 1) == now ? " (ระยะปัจจุบัน)" : "");
        ht[s] = raw ? digits(c, raw) : NULL;
        free(raw);
        hc[1 + s] = (layout_cell){ht[s] ? ht[s] : "", ALIGN_CENTER, 1, 3 * (s + 1) == now ? 2 : 1, 1, 0, 0};
    }
    if (layout_table_row(c->doc, hc, 5))
        c->err = 1;
    for (int s = 0; s < 4; s++)
        free(ht[s]);
    /* lines of work in the order of kpi.csv, then any only in kpi_stages.csv */
    int rows = 0;
    for (size_t i = 0; in && kpi && i < in->nstages; i++) {
        const kpi_stage *st = &in->stages[i];
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = in->stages[j].region == st->region && !strcmp(in->stages[j].kpi, st->kpi) &&
                   !strcmp(in->stages[j].line_of_work, st->line_of_work);
        if (seen || st->region != r->region || strcmp(st->kpi, kpi))
            continue;
        char *cell[5] = {digits(c, st->line_of_work[0] == '-' ? st->line_of_work + 2 : st->line_of_work)};
        const kpi_stage *stage[4] = {0};
        for (int s = 0; s < 4; s++) {
            const kpi_stage *f = NULL;
            for (size_t j = i; j < in->nstages; j++)
                if (in->stages[j].region == st->region && !strcmp(in->stages[j].kpi, kpi) &&
                    !strcmp(in->stages[j].line_of_work, st->line_of_work) && in->stages[j].months == 3 * (s + 1))
                    f = &in->stages[j];
            stage[s] = f;
            cell[1 + s] = f ? digits(c, f->goal) : util_strdup("ไม่มีข้อมูล");
        }
        layout_cell cells[5];
        int ok = 1;
        for (int s = 0; s < 5; s++) {
            ok &= cell[s] != NULL;
            /* kept with the statuses below it: a status row alone at a page
             * head, under "(ต่อ)", reads as nobody's */
            cells[s] = (layout_cell){cell[s] ? cell[s] : "", ALIGN_LEFT, s == 0, s > 0 && 3 * s == now, 1, 0, 1};
        }
        if (!ok || layout_table_row(c->doc, cells, 5))
            c->err = 1;
        /* the statuses on a row of their own, where the eye finds them */
        for (int s = 0; s < 4; s++) {
            const char *st_th = stage[s] ? inspection_status_th(stage[s]->status) : "-";
            cells[1 + s] = (layout_cell){st_th, ALIGN_CENTER, 1, 3 * (s + 1) == now ? 2 : 0, 1, 0, 0};
        }
        cells[0] = (layout_cell){"", ALIGN_LEFT, 0, 0, 1, 1, 0};
        if (layout_table_row(c->doc, cells, 5))
            c->err = 1;
        for (int s = 0; s < 5; s++)
            free(cell[s]);
        rows++;
    }
    if (!rows) {
        layout_cell none[1] = {{"ไม่มีข้อมูล Small Success ของตัวชี้วัดนี้ (data/kpi_stages.csv)", ALIGN_LEFT, 0, 0, 5, 0, 0}};
        if (layout_table_row(c->doc, none, 1))
            c->err = 1;
    }
    layout_table_end(c->doc);
}

/* The previous fiscal year's CMI of a hospital over the same months. */
static int prev_cmi(const score_result *r, size_t hospital, int from, int to, int64_t *dis, int64_t *adj)
{
    const inspection *in = insp(r);
    if (!in || !in->prev_cmi)
        return 0;
    for (int m = from; m <= to && m < FY_MONTHS; m++) {
        *dis += in->prev_cmi[hospital][m].discharges;
        *adj += in->prev_cmi[hospital][m].adjrw_x10000;
    }
    return 1;
}

/* Sums of one level (or of one hospital) by quarter, year to date and the
 * previous year's same months. */
typedef struct {
    int64_t qd[4], qa[4], d, a, pd, pa;
    int n, pass, prev_n;
} cmi_sums;

static void cmi_add(const score_result *r, const hospital_result *hr, cmi_sums *s)
{
    const hospital *h = &r->ds->hospitals[hr->hospital];
    for (int m = 0; m <= r->last_month && m < FY_MONTHS; m++)
        if (h->cmi[m].line) {
            s->qd[m / 3] += h->cmi[m].discharges;
            s->qa[m / 3] += h->cmi[m].adjrw_x10000;
        }
    s->d += hr->discharges;
    s->a += hr->adjrw_x10000;
    int64_t pd = 0, pa = 0;
    if (prev_cmi(r, hr->hospital, 0, r->last_month, &pd, &pa) && pd > 0) {
        s->pd += pd;
        s->pa += pa;
        s->prev_n++;
    }
    s->n++;
    s->pass += hr->cmi_pass;
}

static char *cmi_text(const rctx *c, int64_t d, int64_t a)
{
    int ok;
    double v = inspection_cmi(&d, &a, &ok);
    return ok ? num(c, v, 4) : util_strdup("-");
}

/* The quarters, year to date, previous year and change cells of a sum. */
static void cmi_cells(const rctx *c, const score_result *r, const cmi_sums *s, row_texts *t)
{
    for (int q = 0; q < 4; q++)
        rt_add(t, q * 3 <= r->last_month ? cmi_text(c, s->qd[q], s->qa[q]) : util_strdup(""));
    rt_add(t, cmi_text(c, s->d, s->a));
    rt_add(t, cmi_text(c, s->pd, s->pa));
    int ok1, ok2;
    double now = inspection_cmi(&s->d, &s->a, &ok1), before = inspection_cmi(&s->pd, &s->pa, &ok2);
    if (ok1 && ok2) {
        double dl = now - before;
        char *v = num(c, fabs(dl), 4);
        rt_add(t, v ? util_format("%s%s", dl > 0 ? "+" : dl < 0 ? "-" : "±", v) : NULL);
        free(v);
    } else {
        rt_add(t, util_strdup("-"));
    }
}

static char *level_target_text(const rctx *c, const scheme *s, hosp_level l)
{
    strbuf b = {0};
    for (size_t i = 0; i < s->ncmi_targets; i++) {
        const cmi_target *t = &s->cmi_targets[i];
        if (t->level != l || (l == LEVEL_A && t->a_large < 0))
            continue;
        char *v = thai_number(t->target_x1000 / 100, 1, c->o->thai_digits);
        if (b.len)
            sb_puts(&b, " / ");
        sb_puts(&b, v ? v : "");
        if (l == LEVEL_A && t->a_large >= 0)
            sb_puts(&b, t->a_large ? " (ใหญ่)" : " (เล็ก)");
        free(v);
    }
    if (!b.len)
        sb_puts(&b, "-");
    return sb_finish(&b);
}

/* Headings stay one short line: the table's columns are narrow. */
static const char *const cmi_quarter_head[] = {"ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4"};

static void cmi_head(rctx *c, const char *const *lead, int nlead, const char *last)
{
    const char *h[16];
    int n = 0;
    for (int i = 0; i < nlead; i++)
        h[n++] = lead[i];
    for (int q = 0; q < 4; q++)
        h[n++] = cmi_quarter_head[q];
    h[n++] = "ตั้งแต่ต้นปี";
    h[n++] = "ปีก่อน";
    h[n++] = "เปลี่ยนแปลง";
    h[n++] = last;
    char *d[16] = {0};
    int ok = 1;
    for (int i = 0; i < n; i++)
        ok &= (d[i] = digits(c, h[i])) != NULL;
    if (ok)
        header_row(c, (const char *const *)d, n);
    else
        c->err = 1;
    for (int i = 0; i < n; i++)
        free(d[i]);
}

/* CMI per level by quarter and year to date, the previous year beside it;
 * the total row names the levels it covers. */
static void block_cmi_levels(rctx *c)
{
    const score_result *r = c->rd->kpi;
    static const double w[] = {1.2, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    static const char *const lead[] = {"ระดับ", "เกณฑ์ CMI"};
    if (table_begin(c, w, 10, 14, 1)) {
        c->err = 1;
        return;
    }
    cmi_head(c, lead, 2, "ผ่าน/ทั้งหมด");
    cmi_sums all = {0};
    for (int l = 0; l < LEVEL_COUNT; l++) {
        cmi_sums s = {0};
        for (size_t i = 0; i < r->nhospitals; i++)
            if (r->ds->hospitals[r->hospitals[i].hospital].level == (hosp_level)l && r->hospitals[i].cmi_target_x1000)
                cmi_add(r, &r->hospitals[i], &s);
        if (!s.n)
            continue;
        row_texts t = {0};
        rt_add(&t, util_format("%s%s", model_level_code((hosp_level)l), kpi_level(r, (hosp_level)l) ? "" : " *"));
        rt_add(&t, level_target_text(c, r->sch, (hosp_level)l));
        cmi_cells(c, r, &s, &t);
        char *p = integer(c, s.pass), *n = integer(c, s.n);
        rt_add(&t, p && n ? util_format("%s / %s", p, n) : NULL);
        free(p);
        free(n);
        add_row(c, &t, "lcrrrrrrrc", 0);
        if (kpi_level(r, (hosp_level)l)) {
            for (int q = 0; q < 4; q++)
                all.qd[q] += s.qd[q], all.qa[q] += s.qa[q];
            all.d += s.d, all.a += s.a, all.pd += s.pd, all.pa += s.pa;
            all.n += s.n, all.pass += s.pass;
        }
    }
    char *lv = kpi_levels_text(r);
    row_texts t = {0};
    rt_add(&t, lv ? util_format("รวมระดับ %s", lv) : NULL);
    rt_add(&t, util_strdup("ตามระดับ"));
    cmi_cells(c, r, &all, &t);
    char *p = integer(c, all.pass), *n = integer(c, all.n);
    rt_add(&t, p && n ? util_format("%s / %s", p, n) : NULL);
    free(p);
    free(n);
    free(lv);
    add_row(c, &t, "lcrrrrrrrc", 1);
    layout_table_end(c->doc);
}

/* One section of notes (problems, suggestions, good practice) of the
 * round; an empty section says so. */
static void notes_block(rctx *c, note_kind kind)
{
    const score_result *r = c->rd->kpi;
    const inspection *in = insp(r);
    const char *kpi = kpi_number(r);
    int round = inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month), k = 0;
    layout_style st = {16, 0, ALIGN_JUSTIFY, 0, 4, {0, 0, 0}};
    for (size_t i = 0; in && kpi && i < in->nnotes && !c->err; i++) {
        const kpi_note *n = &in->notes[i];
        if (n->region != r->region || strcmp(n->kpi, kpi) || n->round != round || n->kind != kind)
            continue;
        char *raw = util_format("%d. %s", ++k, n->text), *t = raw ? digits(c, raw) : NULL;
        if (!t || layout_paragraph(c->doc, t, st))
            c->err = 1;
        free(raw);
        free(t);
    }
    if (!k && !c->err) {
        st.color = (pdf_rgb){0.3, 0.3, 0.3};
        char *raw = util_format("ไม่มี%sที่รายงานในรอบที่ %d", kind == NOTE_PROBLEM ? "ปัญหาหรืออุปสรรค"
                                                         : kind == NOTE_SUGGESTION ? "ข้อเสนอแนะ" : "ผลงานเด่นหรือนวัตกรรม",
                                round);
        char *t = raw ? digits(c, raw) : NULL;
        if (!t || layout_paragraph(c->doc, t, st))
            c->err = 1;
        free(raw);
        free(t);
    }
}

static void block_notes_problems(rctx *c) { notes_block(c, NOTE_PROBLEM); }
static void block_notes_suggestions(rctx *c) { notes_block(c, NOTE_SUGGESTION); }
static void block_notes_good(rctx *c) { notes_block(c, NOTE_GOOD_PRACTICE); }

/* A hospital's name under a column headed "โรงพยาบาล": without the word
 * again, as Thai tables print it ("โรงพยาบาลสงขลา" → "สงขลา"). */
static const char *short_hospital_name(const char *name)
{
    static const char prefix[] = "โรงพยาบาล";
    size_t n = sizeof prefix - 1;
    return !strncmp(name, prefix, n) && name[n] ? name + n : name;
}

/* CMI by hospital, grouped by level: quarters, year to date, the previous
 * year's same months and the result against the level's target. Levels
 * outside the KPI are listed and marked as not counted. */
static void block_cmi(rctx *c)
{
    const score_result *r = c->rd->kpi;
    /* figures fitted to their widest cell (headings wrap between words),
     * names and provinces share the rest: no figure is ever cut */
    static const double w[] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const char *const lead[] = {"รหัส", "โรงพยาบาล", "จังหวัด", "เกณฑ์"};
    if (table_begin(c, w, 12, 14, 1)) {
        c->err = 1;
        return;
    }
    cmi_head(c, lead, 4, "ผล");
    for (int l = 0; l < LEVEL_COUNT; l++) {
        int any = 0;
        for (size_t i = 0; i < r->nhospitals; i++) {
            const hospital_result *hr = &r->hospitals[i];
            const hospital *hd = &r->ds->hospitals[hr->hospital];
            if (hd->level != (hosp_level)l)
                continue;
            if (!any) {
                char *lv = kpi_levels_text(r);
                char *title = util_format("ระดับ %s %s%s%s%s", model_level_code((hosp_level)l),
                                          model_level_name_th((hosp_level)l),
                                          kpi_level(r, (hosp_level)l) ? "" : " (ไม่นับรวมในตัวชี้วัด ซึ่งกำหนดระดับ ",
                                          kpi_level(r, (hosp_level)l) ? "" : lv ? lv : "",
                                          kpi_level(r, (hosp_level)l) ? "" : ")");
                char *td = title ? digits(c, title) : NULL;
                layout_cell g[1] = {{td ? td : "", ALIGN_LEFT, 1, 1, 12, 0, 1}};
                if (!td || layout_table_row(c->doc, g, 1))
                    c->err = 1;
                free(title);
                free(td);
                free(lv);
                any = 1;
            }
            cmi_sums s = {0};
            cmi_add(r, hr, &s);
            row_texts t = {0};
            rt_add(&t, digits(c, hd->code));
            rt_add(&t, util_strdup(short_hospital_name(hd->name_th)));
            rt_add(&t, util_strdup(r->ds->provinces[hd->province].name_th));
            rt_add(&t, hr->cmi_target_x1000 ? thai_number(hr->cmi_target_x1000 / 100, 1, c->o->thai_digits)
                                            : util_strdup("-"));
            cmi_cells(c, r, &s, &t);
            rt_add(&t, util_strdup(!hr->cmi_target_x1000 || !hr->has_cmi ? "-" : hr->cmi_pass ? "ผ่าน" : "ไม่ผ่าน"));
            add_row(c, &t, "lllrrrrrrrrc", 0);
        }
    }
    layout_table_end(c->doc);
}

/* Pass shares per level and per province, over the KPI's levels; the rows
 * and totals say which levels they cover. */
static void block_cmi_summary(rctx *c)
{
    const score_result *r = c->rd->kpi;
    static const double w[] = {1, 0, 0, 0, 0, 0};
    char *lv = kpi_levels_text(r);
    char *h1 = lv ? util_format("รพ. ระดับ %s", lv) : NULL;
    const char *h[] = {"จังหวัด", h1 ? h1 : "", "ผ่านเกณฑ์ CMI", "ร้อยละ", "รพช. ผ่าน HA/ทั้งหมด", "ร้อยละ HA"};
    char *hd[6] = {0};
    int ok = h1 != NULL;
    for (int i = 0; i < 6; i++)
        ok &= (hd[i] = digits(c, h[i])) != NULL;
    if (!ok || table_begin(c, w, 6, 14, 1)) {
        c->err = 1;
    } else {
        header_row(c, (const char *const *)hd, 6);
        for (size_t p = 0; p <= r->nprovinces; p++) {
            int last = p == r->nprovinces, n, pass;
            const province_result *pr = last ? NULL : &r->provinces[p];
            kpi_cmi_counts(r, last ? -1 : (long)pr->province, &n, &pass);
            row_texts t = {0};
            char *name = last ? util_format("ทั้งเขตสุขภาพที่ %d", r->region)
                              : util_format("%s", r->ds->provinces[pr->province].name_th);
            rt_add(&t, name ? digits(c, name) : NULL);
            free(name);
            int cm = last ? r->community : pr->community, ha = last ? r->community_ha : pr->community_ha;
            rt_add(&t, integer(c, n));
            rt_add(&t, integer(c, pass));
            rt_add(&t, pct_text(c, pass, n));
            char *a = integer(c, ha), *b = integer(c, cm);
            rt_add(&t, a && b ? util_format("%s / %s", a, b) : NULL);
            free(a);
            free(b);
            rt_add(&t, pct_text(c, ha, cm));
            add_row(c, &t, "lrrrrr", last);
        }
        layout_table_end(c->doc);
    }
    free(h1);
    free(lv);
    for (int i = 0; i < 6; i++)
        free(hd[i]);
}
/* ------------------------------------------------------------------ */
/* The booklet of an inspection round: cover and contents               */

/* The cover and contents are centred and a little larger than body text. */
static const layout_style cover_style = {18, 0, ALIGN_CENTER, 0, 10, {0, 0, 0}};

static void booklet_vars(rctx *c)
{
    const score_result *r = main_result(c->rd);
    var_set(&c->v, "round", plain_int(c, inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month)));
    /* the document date (--date), or a line for the pen, as in the signature blocks */
    var_set(&c->v, "date", c->o->date.year ? thai_date(c->o->date, 0, c->o->thai_digits)
                                           : util_strdup("......../......../........"));
    var_set(&c->v, "documents", integer(c, c->rd->ncontents));
}

static const char *const bound_reports[] = {"kpi", "summary", "scorecard", "monthly"};

/* In the body of a contents block, the heading that report's documents
 * are listed under ("scorecard: ผลการประเมินรายจังหวัด"): a pointer into
 * body and its length, or NULL when the report has none. */
static const char *group_in(const char *body, const char *report, size_t *len)
{
    size_t rl = strlen(report);
    for (const char *p = body ? body : ""; *p;) {
        size_t n = strcspn(p, "\n"), lead = strspn(p, " \t");
        if (n > lead + rl && !strncmp(p + lead, report, rl) && p[lead + rl] == ':') {
            const char *l = p + lead + rl + 1, *e = p + n;
            while (l < e && (*l == ' ' || *l == '\t'))
                l++;
            while (e > l && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                e--;
            *len = (size_t)(e - l);
            return *len ? l : NULL;
        }
        p += n + (p[n] == '\n');
    }
    return NULL;
}

/* Each line of a contents block must name a report and a heading. */
static int check_groups(rctx *c)
{
    int bad = 0, line = c->block_line + 1;
    for (const char *p = c->block_body ? c->block_body : ""; *p; line++) {
        size_t n = strcspn(p, "\n"), known = 0, len;
        if (strspn(p, " \t\r") < n) {
            for (size_t i = 0; i < sizeof bound_reports / sizeof *bound_reports; i++) {
                size_t rl = strlen(bound_reports[i]), lead = strspn(p, " \t");
                known |= !strncmp(p + lead, bound_reports[i], rl) && p[lead + rl] == ':' &&
                         group_in(p, bound_reports[i], &len) != NULL;
            }
            if (!known) {
                diag_add(c->d, DIAG_ERROR, c->file, line, 1,
                         "a contents line is REPORT: HEADING, REPORT one of kpi, summary, scorecard, monthly");
                bad = 1;
            }
        }
        p += n + (p[n] == '\n');
    }
    return bad;
}

static void contents_row(rctx *c, const char *title, size_t tlen, int page, int indent, int bold)
{
    char *t = util_strndup(title, tlen), *pg = integer(c, page);
    /* the indent of a group's documents reads as one blank column under its heading */
    layout_cell cells[3] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                            {t, ALIGN_LEFT, bold, 0, indent ? 1 : 2, 0, bold},
                            {pg, ALIGN_RIGHT, bold, 0, 1, 0, 0}};
    if (!t || !pg || layout_table_row(c->doc, indent ? cells : cells + 1, indent ? 3 : 2) != 0)
        c->err = 1;
    free(t);
    free(pg);
}

/* The booklet's contents: every document bound, with the page it starts
 * on; the documents of a report named in the block's body are listed under
 * its heading. The page numbers are the booklet's (see booklet.c). */
static void block_contents(rctx *c)
{
    const report_data *rd = c->rd;
    static const double w[] = {0.05, 0.80, 0};
    if (check_groups(c))
        return;
    free(c->contents_body);
    if (!(c->contents_body = util_strdup(c->block_body ? c->block_body : "")) || table_begin(c, w, 3, 16, 1) != 0) {
        c->err = 1;
        return;
    }
    layout_cell head[] = {{"เรื่อง", ALIGN_CENTER, 1, 1, 2, 0, 0}, {"หน้า", ALIGN_CENTER, 1, 1, 1, 0, 0}};
    if (layout_table_row(c->doc, head, 2) != 0)
        c->err = 1;
    const char *open = NULL;
    for (int i = 0; i < rd->ncontents && !c->err; i++) {
        const report_contents_entry *e = &rd->contents[i];
        size_t glen = 0;
        const char *g = group_in(c->block_body, e->report, &glen);
        if (g && (!open || strcmp(open, e->report)))
            contents_row(c, g, glen, e->page, 0, 1);
        open = g ? e->report : NULL;
        contents_row(c, e->title, strlen(e->title), e->page, g != NULL, 0);
    }
    layout_table_end(c->doc);
}

int report_contents_group(const report_built *front, const char *report, char **label)
{
    size_t len = 0;
    const char *g = group_in(front->contents_body, report, &len);
    *label = g ? util_strndup(g, len) : NULL;
    return g && !*label ? -1 : 0;
}

typedef struct {
    const char *name;
    void (*fn)(rctx *c);
    int need; /* 1 finance, 2 kpi, 3 scorecard province, 4 monthly, 5 booklet */
} block_def;

static const block_def blocks[] = {
    {"table criteria", block_criteria, 3},    {"keyvalues result", block_result, 3},
    {"table summary", block_summary, 1},      {"table money", block_money, 1},
    {"table grades", block_grades, 0},        {"table hospitals", block_hospitals, 3},        {"chart scores", block_chart_scores, 1},
    {"table crisis", block_crisis, 4},        {"table kpi", block_kpi, 2},              {"table kpi-result", block_kpi_result, 2},
    {"table small-success", block_small_success, 2}, {"table cmi-levels", block_cmi_levels, 2},
    {"notes problems", block_notes_problems, 2}, {"notes suggestions", block_notes_suggestions, 2},
    {"notes good-practice", block_notes_good, 2},              {"table cmi", block_cmi, 2},
    {"table cmi-summary", block_cmi_summary, 2}, {"table monthly", block_monthly, 4},
    {"chart cmi-trend", block_cmi_trend, 4},  {"signatures", block_signatures, 0},
    {"data-quality", block_data_quality, 0},  {"rules", block_rules, 1},
    {"contents", block_contents, 5},
};

/* The blocks that read the text between their fences; in any other, text
 * there means a closing fence is missing above (add a block here when it
 * takes text). */
static int takes_text(const char *name) { return !strcmp(name, "signatures") || !strcmp(name, "contents"); }

static int block_ok(const rctx *c, int need)
{
    const report_data *rd = c->rd;
    switch (need) {
    case 1: return rd->finance != NULL;
    case 2: return rd->kpi != NULL;
    case 3: return rd->finance && rd->province >= 0;
    case 4: return rd->finance && rd->kpi && rd->kpi_by_month;
    case 5: return !strcmp(c->name, "booklet");
    default: return 1;
    }
}

/* The finance documents (scorecard, summary) carry the scheme's rules. */
static int wants_rules(const rctx *c) { return !strcmp(c->name, "scorecard") || !strcmp(c->name, "summary"); }

static void place_block(rctx *c, const char *info, const char *body, int line)
{
    c->block_body = body;
    c->block_line = line;
    char name[64];
    snprintf(name, sizeof name, "%s", info ? info : "");
    size_t n = strlen(name);
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\n'))
        name[--n] = 0;
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (!strcmp(blocks[i].name, name)) {
            if (!block_ok(c, blocks[i].need)) {
                diag_add(c->d, DIAG_ERROR, c->file, line, 1, "block '%s' does not belong in this report", name);
                return;
            }
            if (!takes_text(name) && body && strspn(body, " \t\r\n") < strlen(body)) {
                /* only signatures has a body: text here means a closing fence is missing above */
                diag_add(c->d, DIAG_ERROR, c->file, line, 1,
                         "block '%s' takes no text, but text follows it up to the next ``` line: "
                         "is its closing ``` missing?", name);
                return;
            }
            if (blocks[i].fn == block_signatures && wants_rules(c))
                block_rules(c); /* what the signature signs includes its rules */
            int before = layout_blocks(c->doc);
            blocks[i].fn(c);
            /* the data-quality box and the rules may rightly show nothing (complete data, placed already) */
            if (!c->err && layout_blocks(c->doc) == before && blocks[i].fn != block_data_quality &&
                blocks[i].fn != block_rules)
                diag_add(c->d, DIAG_WARNING, c->file, line, 1, "block '%s' has nothing to show here: the page has a gap",
                         name);
            return;
        }
    diag_add(c->d, DIAG_ERROR, c->file, line, 1, "unknown block '%s' (see templates/README.md)", name);
}

/* ------------------------------------------------------------------ */
/* Walking the CommonMark tree                                         */

/* The plain text of a node's inlines; emphasis is kept as plain text. */
static void inline_text(cmark_node *n, strbuf *b)
{
    for (cmark_node *ch = cmark_node_first_child(n); ch; ch = cmark_node_next(ch)) {
        cmark_node_type t = cmark_node_get_type(ch);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(b, cmark_node_get_literal(ch));
        else if (t == CMARK_NODE_SOFTBREAK)
            sb_puts(b, " ");
        else if (t == CMARK_NODE_LINEBREAK)
            sb_puts(b, "\n");
        else
            inline_text(ch, b);
    }
}

static int all_strong(cmark_node *n)
{
    cmark_node *ch = cmark_node_first_child(n);
    return ch && !cmark_node_next(ch) && cmark_node_get_type(ch) == CMARK_NODE_STRONG;
}

/* A block quote in a template is a note: smaller and in dark grey. */
static const layout_style body_style = {16, 0, ALIGN_JUSTIFY, 0, 6, {0, 0, 0}};
static const layout_style note_style = {14, 0, ALIGN_LEFT, 0, 6, {0.3, 0.3, 0.3}};

/* Under a document's title: the scorecard's subtitle on what the money is
 * (the announcement's words on the reserve), then the data-quality box. */
static void after_title(rctx *c)
{
    if (!strcmp(c->name, "scorecard") && !c->quality_done) {
        const scheme *s = c->rd->finance->sch;
        char *share = thai_number(s->reserved_share_bp, 0, c->o->thai_digits);
        char *text = s->reserve_note ? util_strdup(s->reserve_note)
                                     : util_format("การจัดสรรเงินส่วนที่กัน %s %%", share ? share : "");
        layout_style st = body_style;
        st.bold = 1;
        st.align = ALIGN_CENTER;
        if (!text || layout_paragraph(c->doc, text, st))
            c->err = 1;
        free(text);
        free(share);
    }
    block_data_quality(c);
}

static void text_node(rctx *c, cmark_node *n, const char *prefix, int heading_level, const layout_style *style)
{
    strbuf b = {0};
    if (prefix)
        sb_puts(&b, prefix);
    inline_text(n, &b);
    int line = cmark_node_get_start_line(n);
    char *t = b.oom ? NULL : fill(&c->v, b.data ? b.data : "", c->file, line, c->d);
    int had_text = b.data && strspn(b.data, " \n") < b.len;
    sb_free(&b);
    if (!t) {
        c->err = 1;
        return;
    }
    if (had_text && strspn(t, " \n") == strlen(t))
        diag_add(c->d, DIAG_WARNING, c->file, line, 1, "this %s is empty once its placeholders are filled",
                 heading_level ? "heading" : "paragraph");
    int rc;
    if (heading_level) {
        rc = layout_heading(c->doc, heading_level, t);
        if (!rc && heading_level == 1)
            after_title(c);
    } else {
        layout_style st = *style;
        st.bold = all_strong(n);
        rc = layout_paragraph(c->doc, t, st);
    }
    if (rc)
        c->err = 1;
    free(t);
}

static void walk(rctx *c, cmark_node *root, const layout_style *style)
{
    for (cmark_node *n = cmark_node_first_child(root); n && !c->err; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING: text_node(c, n, NULL, cmark_node_get_heading_level(n), style); break;
        case CMARK_NODE_PARAGRAPH: text_node(c, n, NULL, 0, style); break;
        case CMARK_NODE_BLOCK_QUOTE: walk(c, n, &note_style); break;
        case CMARK_NODE_CODE_BLOCK:
            place_block(c, cmark_node_get_fence_info(n), cmark_node_get_literal(n), cmark_node_get_start_line(n));
            break;
        case CMARK_NODE_LIST: {
            int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST, k = cmark_node_get_list_start(n);
            for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it), k++)
                for (cmark_node *p = cmark_node_first_child(it); p; p = cmark_node_next(p))
                    if (cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH) {
                        char pre[16];
                        snprintf(pre, sizeof pre, ordered ? "%d. " : "• ", k);
                        text_node(c, p, pre, 0, style);
                    }
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK: layout_page_break(c->doc); break;
        default:
            diag_add(c->d, DIAG_WARNING, c->file, cmark_node_get_start_line(n), 1, "this kind of Markdown is ignored");
        }
    }
}

/* Templates come from elsewhere (e-mail, USB sticks): before walking one,
 * check what the walk cannot cope with. Nesting (block quotes, lists,
 * emphasis) deeper than this is refused: walk() and inline_text() recurse
 * once per level, and no report needs more than a few. */
#define TEMPLATE_MAX_DEPTH 32

/* Start offsets of the source's lines (LF, CR LF or lone CR, as cmark
 * counts them); returns the count, or -1 out of memory. */
static long line_starts(const char *src, size_t len, size_t **out)
{
    size_t n = 1, cap = 0;
    size_t *v = NULL;
    if (util_grow((void **)&v, &cap, 1, sizeof *v))
        return -1;
    v[0] = 0;
    for (size_t i = 0; i < len; i++)
        if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n'))) {
            if (util_grow((void **)&v, &cap, n + 1, sizeof *v)) {
                free(v);
                return -1;
            }
            v[n++] = i + 1;
        }
    *out = v;
    return (long)n;
}

/* Whether 1-based line `ln` of the source, after container markers ('>'
 * and indentation), is a closing fence: at least `n` characters `ch`, then
 * nothing but blanks. */
static int closing_fence(const char *src, size_t len, const size_t *starts, long nlines, int ln, char ch, size_t n)
{
    if (ln < 1 || ln > nlines)
        return 0;
    size_t i = starts[ln - 1], end = ln < nlines ? starts[ln] : len;
    while (i < end && (src[i] == ' ' || src[i] == '\t' || src[i] == '>'))
        i++;
    size_t k = 0;
    while (i + k < end && src[i + k] == ch)
        k++;
    if (k < n)
        return 0;
    for (i += k; i < end; i++)
        if (src[i] != ' ' && src[i] != '\t' && src[i] != '\r' && src[i] != '\n')
            return 0;
    return 1;
}

/* The node types cmark's iterator only enters (never exits). */
static int leaf_node(cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE: return 1;
    default: return 0;
    }
}

/* Reports nesting too deep and fenced blocks never closed (which would
 * swallow the rest of the document silently). Returns the errors found. */
static int check_template(cmark_node *root, const char *src, size_t len, const char *file, diag_ctx *d)
{
    size_t *starts = NULL;
    long nlines = line_starts(src, len, &starts);
    if (nlines < 0) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while reading the template");
        return 1;
    }
    cmark_iter *it = cmark_iter_new(root);
    int depth = 0, errors = 0;
    if (!it) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while reading the template");
        errors = 1;
    }
    for (cmark_event_type ev; it && !errors && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_EXIT) { /* containers (even empty ones) enter and exit; leaves only enter */
            depth--;
            continue;
        }
        if (!leaf_node(n) && ++depth > TEMPLATE_MAX_DEPTH) {
            diag_add(d, DIAG_ERROR, file, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
                     "nested more than %d levels deep (block quotes, lists or emphasis): khet refuses such a template",
                     TEMPLATE_MAX_DEPTH);
            errors++;
        }
        if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
            continue;
        int first = cmark_node_get_start_line(n), last = cmark_node_get_end_line(n);
        const char *open = first >= 1 && first <= nlines ? src + starts[first - 1] : "";
        size_t o = strspn(open, " \t>-*+0123456789.)");
        char ch = open[o];
        size_t flen = strspn(open + o, ch == '`' ? "`" : "~");
        if ((ch != '`' && ch != '~') || flen < 3)
            continue; /* an indented code block: it has no fence to close */
        if (last <= first || !closing_fence(src, len, starts, nlines, last, ch, flen)) {
            diag_add(d, DIAG_ERROR, file, first, 1,
                     "the fenced block opened here is never closed: it would swallow the rest of the %s "
                     "(add a line %.*s after its body)",
                     last >= nlines - 1 ? "template" : "block quote or list", (int)(flen < 8 ? flen : 8),
                     ch == '~' ? "~~~~~~~~" : "````````");
            errors++;
        }
    }
    cmark_iter_free(it);
    free(starts);
    return errors;
}

/* The document information: the title from the template's first block
 * with its placeholders filled (also the booklet's contents line and the
 * outline), the organisation, the scheme and where and when. */
static int document_info(rctx *c, cmark_node *root, report_built *b)
{
    const score_result *r = main_result(c->rd);
    strbuf tb = {0};
    if (cmark_node_first_child(root))
        inline_text(cmark_node_first_child(root), &tb);
    b->title = tb.oom ? NULL : fill(&c->v, tb.data ? tb.data : c->name, c->file, 0, c->d);
    b->keywords = util_format("เขตสุขภาพที่ %d, ปีงบประมาณ %d, %s", r->region, r->ds->fiscal_year, r->sch->name);
    b->author = r->sch->organisation ? util_strdup(r->sch->organisation) : NULL;
    b->subject = r->sch->title ? util_strdup(r->sch->title) : NULL;
    sb_free(&tb);
    return b->title && b->keywords && (b->author || !r->sch->organisation) && (b->subject || !r->sch->title) ? 0 : -1;
}

int report_save(const report_built *b, pdf_doc *pdf, const report_opts *o, const char *out_path, diag_ctx *d)
{
    char datebuf[32] = "";
    if (o->date.year)
        snprintf(datebuf, sizeof datebuf, "%04d%02d%02d000000", o->date.year, o->date.month, o->date.day);
    if (pdf_info(pdf, b->title, b->author, b->subject, b->keywords, datebuf[0] ? datebuf : NULL) != 0) {
        diag_add(d, DIAG_SYSTEM, out_path, 0, 0, "cannot set the document information");
        return -1;
    }
    return pdf_save(pdf, out_path, d);
}

void report_built_free(report_built *b)
{
    layout_free(b->doc);
    thai_words_free(b->own_words);
    free(b->title);
    free(b->author);
    free(b->subject);
    free(b->keywords);
    free(b->contents_body);
    memset(b, 0, sizeof *b);
}

/* The footer line of a draft: it is not evidence of anything yet. */
#define DRAFT_LINE "ร่าง ยังไม่ได้ลงนามรับรอง ห้ามใช้อ้างอิง: ฉบับจริงออกโดย khet archive"

int report_build(const char *name, const report_data *rd, const report_opts *o, report_built *b, diag_ctx *d)
{
    memset(b, 0, sizeof *b);
    char *file = util_format("%s/reports/%s.md", o->templates_dir, name);
    char *src = NULL;
    size_t len = 0;
    if (!file || util_read_file(file, UTIL_LIMIT_TEXT, &src, &len) != 0) {
        int e = file ? errno : ENOMEM;
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, file ? file : name, 0, 0,
                 "cannot read the report template: %s", util_strerror(e));
        free(file);
        return -1;
    }
    size_t bad = util_utf8_invalid_at(src, len);
    if (bad < len) { /* found here, not later as a layout failure */
        int l, col;
        util_text_position(src, bad, &l, &col);
        diag_add(d, DIAG_ERROR, file, l, col, "byte 0x%02X is not UTF-8 text (templates are UTF-8)",
                 (unsigned char)src[bad]);
        free(src);
        free(file);
        return -1;
    }
    const score_result *r = main_result(rd);
    int landscape = !strcmp(name, "monthly") || !strcmp(name, "summary") || !strcmp(name, "scorecard") ||
                    !strcmp(name, "kpi") || !strcmp(name, "booklet");
    /* running header: who and which year; footer: which scheme and the data's date */
    char *header = util_format("%s  ·  ปีงบประมาณ %d", r->sch->organisation ? r->sch->organisation : "",
                               r->ds->fiscal_year);
    char *asof = r->ds->data_date.year ? thai_date(r->ds->data_date, 0, o->thai_digits) : util_strdup("-");
    /* the scheme by its Thai title: an internal name such as finance-r8-2563 means nothing on paper */
    char *footer = asof ? util_format("%s  ·  ข้อมูล ณ วันที่ %s", r->sch->title ? r->sch->title : "", asof) : NULL;
    free(asof);
    int errors = diag_errors(d);
    if (!header || !footer)
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory");
    thai_words *own_words = b->own_words = o->words ? NULL : cli_words(o->templates_dir, d);
    int official = o->style == REPORT_STYLE_OFFICIAL;
    layout_page_setup ps = {landscape, 30 * MM_PT, 20 * MM_PT, 22 * MM_PT, 22 * MM_PT, header, footer,
                            o->thai_digits || official, 1, 0, o->final ? NULL : DRAFT_LINE,
                            official ? LAYOUT_PAGE_NUMBER_OFFICIAL : LAYOUT_PAGE_NUMBER_FOOT, 0,
                            o->words ? o->words : own_words, 0, !strcmp(name, "booklet")};
    if (landscape && !official) { /* wide tables and charts: the meeting handout must fit its pages */
        ps.margin_left = 20 * MM_PT;
        ps.margin_top = 16 * MM_PT;
    }
    rctx c = {rd, o, layout_new(&ps), {{0}, {0}, 0, 0}, file, d, 0, NULL, 0, name, 0, 0, 0, NULL};
    free(header);
    free(footer);
    cmark_node *root = cmark_parse_document(src, len, CMARK_OPT_DEFAULT);
    int rc = -1;
    if (!c.doc || !root)
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while reading the template");
    if (c.doc && root) {
        int booklet = !strcmp(name, "booklet");
        common_vars(&c);
        if (!strcmp(name, "scorecard"))
            scorecard_vars(&c);
        if (!strcmp(name, "summary"))
            summary_vars(&c);
        if (rd->kpi)
            kpi_vars(&c);
        if (rd->kpi && !strcmp(name, "kpi"))
            inspection_vars(&c);
        if (booklet)
            booklet_vars(&c);
        /* the booklet's documents carry their own data-quality boxes: none on its cover */
        c.quality_done = booklet;
        if (booklet && layout_spacer(c.doc, 110) != 0) /* the cover's text stands in the middle of the page */
            c.err = 1;
        if (!c.v.oom && check_template(root, src, len, file, d) == 0)
            walk(&c, root, booklet ? &cover_style : &body_style);
        if (!c.err && !c.v.oom) { /* a template without a title or signatures still carries them */
            block_data_quality(&c);
            if (wants_rules(&c))
                block_rules(&c);
        }
        if (!c.err && !c.v.oom && document_info(&c, root, b) != 0)
            c.err = 1;
        if (c.err || c.v.oom)
            diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while building the report");
        if (diag_errors(d) == errors && !c.err && !c.v.oom)
            rc = 0;
    }
    if (root)
        cmark_node_free(root);
    b->doc = c.doc;
    b->contents_body = c.contents_body;
    vars_free(&c.v);
    free(src);
    free(file);
    if (rc != 0)
        report_built_free(b);
    return rc;
}

int report_render(const char *name, const report_data *rd, const report_opts *o, const char *out_path, diag_ctx *d)
{
    report_built b;
    if (report_build(name, rd, o, &b, d) != 0)
        return -1;
    pdf_doc *pdf = pdf_new(o->font_dir, o->font, d);
    int rc = pdf && layout_render(b.doc, pdf, d) > 0 ? report_save(&b, pdf, o, out_path, d) : -1;
    pdf_free(pdf);
    report_built_free(&b);
    return rc;
}
