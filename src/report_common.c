/* report_common: what every document shares: number and date helpers, the
 * placeholders every document has, table rows, the grade table, the
 * signature blocks, and the disclosures (the data-quality box and the rules
 * block "หลักเกณฑ์ที่ใช้คำนวณ"). */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "util.h"

/* A number read as a name (a year, a region): no thousands separator. */
char *plain_int(const rctx *c, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return digits(c, buf);
}

/* A measure's value, one precision per measure (never by magnitude): the
 * ratios (EBITDA/expense and its SD, NWC/efficiency expense) 4 decimals, the
 * shares (percentages) 2. */
int measure_decimals(measure_id m) { return m == M_EBITDA_SD || m == M_NWC_RATIO ? 4 : 2; }

char *value_text(const rctx *c, double v, measure_id m) { return num(c, v, measure_decimals(m)); }

char *month_name(const rctx *c, const score_result *r, int fm)
{
    if (fm < 0)
        return util_strdup("-");
    return thai_date(model_calendar_month(r->ds->fiscal_year, fm), 0, c->o->thai_digits);
}

/* The result that names the document's region and organisation: the KPI
 * scheme's when there is one (the monthly handout is for its region). */
const score_result *main_result(const report_data *rd)
{
    return rd->kpi ? rd->kpi : rd->finance;
}
/* The criteria whose figures have a data date of their own (criteria.csv
 * cutoff_day: criterion 5's trial balances are cut off on the 15th of the
 * month after the last month of data), said after the document's date: " (ข้อ 5
 * ใช้ข้อมูล ณ วันที่ 15 ตุลาคม 2563 ตามเกณฑ์)"; "" when every criterion uses the data_date. */
static char *data_dates(const rctx *c)
{
    const score_result *r = c->rd->finance;
    strbuf b = {0};
    int last = -1;
    for (size_t i = 0; r && i < r->sch->ncriteria; i++) {
        const criterion_def *cd = &r->sch->criteria[i];
        if (!cd->cutoff_day || cd->number == last)
            continue;
        last = cd->number;
        /* (the month after the last month the figures reach: 15 พฤศจิกายน 2566 for a year read to
         * its October, not the scheme's year end) */
        reader_date d = model_calendar_month(r->ds->fiscal_year, r->last_month + 1);
        d.day = cd->cutoff_day;
        char *when = thai_date(d, 0, c->o->thai_digits), *n = plain_int(c, cd->number);
        if (!when || !n)
            b.oom = 1;
        else
            sb_printf(&b, "%sข้อ %s ใช้ข้อมูล ณ วันที่ %s", b.len ? "; " : " (", n, when);
        free(when);
        free(n);
    }
    if (b.len)
        sb_printf(&b, " ตามเกณฑ์)");
    return sb_finish(&b);
}

void common_vars(rctx *c)
{
    const score_result *r = main_result(c->rd);
    var_set(&c->v, "region", plain_int(c, r->region));
    var_set(&c->v, "fiscal_year", plain_int(c, r->ds->fiscal_year));
    var_set(&c->v, "data_date", r->ds->data_date.year ? thai_date(r->ds->data_date, 0, c->o->thai_digits)
                                                      : util_strdup("-"));
    var_set(&c->v, "data_dates", data_dates(c));
    var_set(&c->v, "scheme_title", util_strdup(r->sch->title));
    var_set(&c->v, "organisation", util_strdup(r->sch->organisation ? r->sch->organisation : ""));
    var_set(&c->v, "month", month_name(c, r, r->last_month));
    var_set(&c->v, "previous_month", month_name(c, r, r->last_month - 1));
    var_set(&c->v, "compared_with", compared_with(c, r));
    var_set(&c->v, "band", scheme_band_name(r->sch, 0));
    var_set(&c->v, "band_sd", scheme_band_name(r->sch, 1));
}
void out_of_scope_note(rctx *c, const char *no_cmi, const char *levels, const char *no_ha)
{
    if ((!no_cmi || !*no_cmi) && (!no_ha || !*no_ha))
        return;
    strbuf b = {0};
    sb_puts(&b, "– ไม่มีโรงพยาบาลในขอบเขต: ");
    if (no_cmi && *no_cmi)
        sb_printf(&b, "%s ไม่มีโรงพยาบาลระดับ %s ที่มีเกณฑ์ CMI ในรายชื่อของเขต จึงไม่มีร้อยละผ่านเกณฑ์ CMI", no_cmi,
                  levels ? levels : "");
    if (no_ha && *no_ha)
        sb_printf(&b, "%s%s ไม่มีโรงพยาบาลชุมชน (ระดับ M2–F3) ในรายชื่อของเขต จึงไม่มีร้อยละ HA",
                  no_cmi && *no_cmi ? "; " : "", no_ha);
    char *t = sb_finish(&b);
    if (!t || layout_paragraph(c->doc, t, disclosure(c)))
        c->err = 1;
    free(t);
}

char *pct_text(const rctx *c, int num_, int den)
{
    return den ? num(c, 100.0 * num_ / den, 2) : util_strdup("-");
}

void rt_add(row_texts *t, char *s)
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

/* Adds a row of texts; aligns[i] is 'l', 'c' or 'r', or 'L', 'C', 'R' for
 * a cell that keeps its Arabic digits in a Thai-digit document (a risk
 * level, issue 20 point 12: LAYOUT_ARABIC). Header rows are bold and
 * shaded; cell `span_col` (or none, -1) continues the cell above it. */
void add_row_ex(rctx *c, row_texts *t, const char *aligns, int header, int span_col)
{
    if (t->oom) {
        c->err = 1;
        rt_free(t);
        return;
    }
    layout_cell cells[MAX_COLS];
    for (int i = 0; i < t->n; i++) {
        char a = aligns[i];
        int arabic = a >= 'A' && a <= 'Z' ? LAYOUT_ARABIC : 0;
        a = (char)(a | 0x20);
        cells[i] = (layout_cell){t->s[i], a == 'r' ? ALIGN_RIGHT : a == 'c' ? ALIGN_CENTER : ALIGN_LEFT,
                                 header | arabic, header ? 1 : 0, 1, i == span_col, 0};
    }
    if (layout_table_row(c->doc, cells, t->n) != 0)
        c->err = 1;
    rt_free(t);
}

void add_row(rctx *c, row_texts *t, const char *aligns, int header) { add_row_ex(c, t, aligns, header, -1); }

/* Tables: official documents set them no smaller than 14 pt. */
int table_begin(rctx *c, const double *w, int ncols, double size, int header_rows)
{
    if (c->o->style == REPORT_STYLE_OFFICIAL && size < 14)
        size = 14;
    return layout_table_begin(c->doc, w, ncols, size, header_rows);
}

void header_row(rctx *c, const char *const *names, int n)
{
    row_texts t = {0};
    char al[MAX_COLS];
    for (int i = 0; i < n; i++) {
        rt_add(&t, util_strdup(names[i]));
        al[i] = 'c';
    }
    add_row(c, &t, al, 1);
}
/* A criterion's number as the announcement writes it: "4", "9.2". */
char *criterion_no(const rctx *c, const criterion_def *cd)
{
    char *s = cd->part ? util_format("%d.%d", cd->number, cd->part) : util_format("%d", cd->number);
    char *t = s ? digits(c, s) : NULL;
    free(s);
    return t;
}

/* A grade as the announcement words it: its own words when the scheme
 * quotes them ("มากกว่าร้อยละ 80"), else its range ("76 – 80"); a grade the
 * announcement does not have says so. */
static char *announced_range(const rctx *c, const grade_def *g)
{
    if (g->assumption)
        return util_strdup("– (ไม่มีในประกาศ)");
    if (g->announced_th)
        return digits(c, g->announced_th);
    if (g->announced_low < 0)
        return util_strdup("-");
    char *r = util_format("%d – %d", g->announced_low, g->announced_high);
    char *t = r ? digits(c, r) : NULL;
    free(r);
    return t;
}

void block_grades(rctx *c)
{
    const scheme *s = main_result(c->rd)->sch;
    static const double w[] = {9, 18, 33, 14, 26};
    static const char *h[] = {"ระดับ", "ตามประกาศ", "ร้อยละของคะแนนรวมที่ใช้ตัดระดับ", "ดึงเงินกลับ (%)", "หมายเหตุ"};
    /* balanced: a portrait page's narrower grade table keeps "51 – 60" on one line */
    if (table_begin(c, w, 5, 12, 1) || layout_table_balance(c->doc)) {
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
char *change_text(const rctx *c, double now, double before, int dec)
{
    double dlt = now - before;
    char *n = num(c, fabs(dlt), dec);
    char *s = util_format("%s%s", dlt > 0 ? "+" : dlt < 0 ? "-" : "±", n ? n : "");
    free(n);
    return s;
}

/* Disclosures: the rules and gaps behind a document's figures. */
const layout_style disclosure_style = {13, 0, ALIGN_LEFT, 0, 4, {0.2, 0.2, 0.2}};

/* The disclosures' style: the official style sets them at body size, 16 pt
 * (its own minimum for text), the modern one smaller, in grey. */
layout_style disclosure(const rctx *c)
{
    layout_style s = disclosure_style;
    if (c->o->style == REPORT_STYLE_OFFICIAL)
        s.size = 16;
    return s;
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

/* The draft's signers: the three blocks a signed-off round fills, with the
 * names and the preparer's and checker's positions dotted for the pen and
 * the approver's position the block body's first line (placeholders filled,
 * "ผู้อำนวยการ{{organisation}}" when empty). Drawn with the final's own
 * block, so the draft keeps exactly the room the filled blocks take and a
 * final breaks its pages where its draft did (issue 21, issue 20 point 15).
 * A signed-off round's signers replace them. */
void block_signatures(rctx *c)
{
    if (c->o->signoff) {
        signoff_signatures(c);
        return;
    }
    static const char dots[] = "........................................";
    const score_result *r = main_result(c->rd);
    char *date = c->o->date.year ? thai_date(c->o->date, 0, c->o->thai_digits) : util_strdup("......../......../........");
    char *when = date ? util_format("วันที่ %s", date) : NULL;
    const char *body = c->block_body && strspn(c->block_body, " \n") < strlen(c->block_body) ? c->block_body : NULL;
    if (body)
        body += strspn(body, " \n");
    char *raw = body ? util_strndup(body, strcspn(body, "\n"))
                     : util_format("ผู้อำนวยการ%s", r->sch->organisation ? r->sch->organisation : "");
    char *pos = raw ? fill_placeholders(&c->v, raw, c->file, c->block_line + 1, c->d) : NULL;
    if (!when || !pos) {
        c->err = 1;
    } else if (pos[0]) { /* a position that fills to nothing shows nothing (and the engine warns) */
        layout_signer s[3] = {{signoff_role_th(ROLE_PREPARER), dots, dots, when},
                              {signoff_role_th(ROLE_CHECKER), dots, dots, when},
                              {signoff_role_th(ROLE_APPROVER), dots, pos, when}};
        if (layout_signers(c->doc, s, 3) != 0)
            c->err = 1;
    }
    free(raw);
    free(pos);
    free(date);
    free(when);
}
/* ------------------------------------------------------------------ */
/* Disclosures: the data-quality box and the rules behind the figures.   */
/* Every document carries them whether or not its template places them:  */
/* the box after the title, the rules before the signatures.             */

char *month_short(const rctx *c, const dataset *ds, int fm)
{
    reader_date m = model_calendar_month(ds->fiscal_year, fm);
    char *s = util_format("%s %d", thai_month_short[m.month - 1], m.year + 543);
    char *t = s ? digits(c, s) : NULL;
    free(s);
    return t;
}

/* A data file by what it holds: pages name no files (issue 20). */
static const char *file_th(const char *file)
{
    static const char *const names[][2] = {
        {"finance.csv", "ข้อมูลการเงินรายเดือน"}, {"trial_balance.csv", "ข้อมูลงบทดลอง"},
        {"eclaim.csv", "ข้อมูล E-Claim"},         {"efficiency7.csv", "ผลประเมิน 7 Plus Efficiency"},
        {"cmi.csv", "ข้อมูล CMI"},                {"ha.csv", "ข้อมูลการรับรอง HA"},
        {"hospitals.csv", "ทะเบียนหน่วยบริการ"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(file, names[i][0]))
            return names[i][1];
    return "ข้อมูลที่เกณฑ์ใช้";
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
            sb_printf(&b, "ไม่มี%s: เกณฑ์ที่ใช้ข้อมูลนี้ไม่มีข้อมูลทุกจังหวัด", file_th(g->file));
        else if (g->kind == GAP_NO_HOSPITALS)
            sb_printf(&b, "จังหวัด%s ไม่มีหน่วยบริการใน%s: ทุกเกณฑ์ไม่มีข้อมูล", p->name_th, file_th(g->file));
        else {
            sb_printf(&b, "จังหวัด%s %s (%s) %s: ", p->name_th, h->name_th, h->code, file_th(g->file));
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

/* A scheme of another fiscal year, allowed on the command line: named by
 * its title, as the page names schemes. */
static char *year_mismatch_line(const score_result *r)
{
    if (!r || r->sch->fiscal_year == r->ds->fiscal_year)
        return NULL;
    return util_format("เกณฑ์ที่ใช้เป็นของปีงบประมาณ %d แต่ข้อมูลเป็นของปีงบประมาณ %d (ผู้จัดทำสั่งให้ใช้แม้ปีไม่ตรงกัน): \"%s\"",
                       r->sch->fiscal_year, r->ds->fiscal_year, r->sch->title ? r->sch->title : r->sch->name);
}

void block_data_quality(rctx *c)
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
    /* one month (the year's first, or a window of one): that month, not "ต.ค. 2566 – ต.ค. 2566" */
    char *t = !a || !b               ? NULL
              : start == r->last_month ? util_strdup(a)
                                       : util_format("%s – %s%s", a, b, start == 0 ? " (สะสมตั้งแต่ต้นปีงบประมาณ)" : "");
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

/* The mark of a reading the announcement does not state (issue 20): the
 * scheme marks it (criteria.csv and scheme.ini `assumed`, bands.csv and
 * grades.csv `assumption`). */
#define NOT_STATED " (ประกาศมิได้ระบุ)"

static void rule_line(rctx *c, char *text) /* takes text */
{
    if (!text || layout_paragraph(c->doc, text, disclosure(c)))
        c->err = 1;
    free(text);
}

/* The numbers of the criteria (or parts) that `pick` selects, "9.1, 9.2". */
static char *criteria_list(const scheme *s, int (*pick)(const criterion_def *cd, const void *arg), const void *arg)
{
    strbuf b = {0};
    for (size_t i = 0, n = 0; i < s->ncriteria; i++) {
        const criterion_def *cd = &s->criteria[i];
        if (!pick(cd, arg))
            continue;
        if (cd->part)
            sb_printf(&b, "%s%d.%d", n++ ? ", " : "", cd->number, cd->part);
        else
            sb_printf(&b, "%s%d", n++ ? ", " : "", cd->number);
    }
    return sb_finish(&b);
}

static int by_zband(const criterion_def *cd, const void *arg) { return (void)arg, cd->rule == RULE_ZBAND; }

/* How khet computes a measure where the announcement names it only: NULL
 * for a measure whose wording leaves nothing open. */
static const char *measure_reading(measure_id m)
{
    switch (m) {
    case M_NWC_RATIO:
        return "\"ค่าใช้จ่ายประสิทธิภาพ\" คือค่าใช้จ่ายเฉลี่ยต่อเดือน (ไม่รวมค่าเสื่อมราคาและค่าตัดจำหน่าย) "
               "ของเดือนที่มีข้อมูลตั้งแต่ต้นปีงบประมาณ สัดส่วนของจังหวัด = NWC รวมของหน่วยบริการ ÷ ค่าใช้จ่ายประสิทธิภาพรวม";
    case M_ECLAIM:
        return "คุณภาพ E-Claim = จำนวนรายการที่ผ่าน ÷ จำนวนรายการที่ส่ง รวมทุกหน่วยบริการของจังหวัด "
               "(ไม่ใช่ค่าเฉลี่ยของร้อยละรายหน่วยบริการ)";
    case M_UNIT_COST:
        return "ต้นทุนผู้ป่วยนอกต่อครั้ง = ต้นทุน OPD ÷ จำนวนครั้ง และต้นทุนผู้ป่วยในต่อ AdjRW = ต้นทุน IPD ÷ ผลรวม AdjRW "
               "แต่ละค่าคิดจากข้อมูลของตัวเอง; \"ค่ากลาง\" คือมัธยฐานของต้นทุนนั้นของหน่วยบริการระดับเดียวกันในเขต"
               "ที่มีต้นทุนนั้น; นับเฉพาะหน่วยบริการที่มีต้นทุนทั้งสองค่า และผ่านเมื่อไม่เกินค่ากลางทั้งสองค่า";
    case M_RISK7:
    case M_RISK47:
        return "ร้อยละคิดจากเดือน-โรงพยาบาลของช่วงข้อมูล (แต่ละเดือนนับโรงพยาบาลที่มีข้อมูลในเดือนนั้น)";
    case M_RISK47_IMPROVED:
        return "\"ดีขึ้น\" คือระดับความเสี่ยงของเดือนสุดท้ายที่มีข้อมูลในช่วง ต่ำกว่าของเดือนแรกที่มีข้อมูล "
               "นับเฉพาะโรงพยาบาลที่เดือนแรกอยู่ระดับ 4–7";
    default: return NULL;
    }
}

/* The criteria not scored on the Mean ± k·SD bands, each with its rule:
 * a threshold gives all of the points or none. */
static void rule_lines_not_banded(rctx *c, const scheme *s)
{
    char *band = scheme_band_name(s, 0);
    for (size_t i = 0; i < s->ncriteria && !c->err; i++) {
        const criterion_def *cd = &s->criteria[i];
        if (cd->rule == RULE_ZBAND)
            continue;
        char *no = criterion_no(c, cd), *max = cp(c, cd->max_cp);
        char *lim = num(c, cd->threshold, cd->threshold == floor(cd->threshold) ? 0 : 2);
        char *lo = num(c, cd->low, 2), *hi = num(c, cd->high, 2);
        const char *op = cd->dir == DIR_LOWER ? "ไม่เกิน" : "ไม่น้อยกว่า";
        const char *mark = cd->assumed & ASSUMED_RULE ? NOT_STATED : "";
        char *text = !no || !max || !lim || !lo || !hi ? NULL
                     : cd->rule == RULE_LINEAR
                         ? util_format("• ข้อ %s ให้คะแนนตามสัดส่วนระหว่าง %s ถึง %s (เต็ม %s คะแนน) ไม่ใช้ช่วง %s%s",
                                       no, lo, hi, max, band ? band : "", mark)
                         : util_format("• ข้อ %s ให้คะแนนแบบผ่านหรือไม่ผ่านทั้งข้อ: ค่า%s %s ได้ %s คะแนนเต็ม "
                                       "มิฉะนั้นได้ 0 คะแนน ไม่ใช้ช่วง %s%s",
                                       no, op, lim, max, band ? band : "", mark);
        rule_line(c, text);
        free(no);
        free(max);
        free(lim);
        free(lo);
        free(hi);
    }
    free(band);
}

static int by_reading(const criterion_def *cd, const void *arg)
{
    const char *r = measure_reading(cd->measure);
    return r && !strcmp(r, (const char *)arg);
}

/* How the measures the announcement only names are computed, once per
 * reading, with the criteria that read it ("ข้อ 9.1, 9.2"). */
static void rule_lines_measures(rctx *c, const scheme *s)
{
    for (size_t i = 0; i < s->ncriteria && !c->err; i++) {
        const char *reading = measure_reading(s->criteria[i].measure);
        int seen = 0;
        for (size_t j = 0; reading && j < i && !seen; j++)
            seen = by_reading(&s->criteria[j], reading);
        if (!reading || seen)
            continue;
        unsigned assumed = 0;
        for (size_t j = i; j < s->ncriteria; j++)
            if (by_reading(&s->criteria[j], reading))
                assumed |= s->criteria[j].assumed;
        char *list = criteria_list(s, by_reading, reading);
        rule_line(c, list ? util_format("• ข้อ %s: %s%s", list, reading, assumed & ASSUMED_MEASURE ? NOT_STATED : "")
                          : NULL);
        free(list);
    }
}

/* The rules that move money and that the announcement leaves open, as the
 * scheme sets them; each reading the scheme marks as its own is marked
 * "ประกาศมิได้ระบุ". */
void block_rules(rctx *c)
{
    if (c->rules_done || !c->rd->finance)
        return;
    c->rules_done = 1;
    const score_result *r = c->rd->finance;
    const scheme *s = r->sch;
    if (layout_heading(c->doc, 2, "หลักเกณฑ์ที่ใช้คำนวณ") ||
        layout_paragraph(c->doc, "ตามเกณฑ์ของเขต ข้อที่ประกาศมิได้ระบุไว้ และเป็นการตีความของเกณฑ์ มีหมายเหตุ \"(ประกาศมิได้ระบุ)\" กำกับ",
                         disclosure(c))) {
        c->err = 1;
        return;
    }
    /* (the band's figure in Arabic digits: a part of its name, "Mean ± 1SD", as the announcement writes it) */
    char *k = scheme_band_name(s, 0);
    rule_line(c, util_format("• ส่วนเบี่ยงเบนมาตรฐาน (SD): %s; ช่วงคือ %s ของจังหวัดในเขต; "
                             "เมื่อทุกจังหวัดมีค่าเท่ากัน SD เท่ากับ 0 และทุกจังหวัดได้ \"%s\"%s",
                             s->sd_sample ? "แบบตัวอย่าง (STDEV ของ Excel, หารด้วย n − 1)" : "แบบประชากร (หารด้วย n)",
                             k ? k : "", s->nbands ? s->bands[score_band(s, 0)].label_th : "-",
                             s->assumed & ASSUMED_SD ? NOT_STATED : ""));
    free(k);
    char *banded = criteria_list(s, by_zband, NULL);
    strbuf b = {0};
    int bands_assumed = 0;
    sb_printf(&b, "• คะแนนตามช่วง (ข้อ %s): ", banded ? banded : "");
    free(banded);
    if (s->band_k_x10000 != 10000) { /* z in units of k·SD (as the JSON's z), said where it is not the usual one */
        char *ksd = scheme_band_name(s, 1);
        sb_printf(&b, "z คือผลต่างของค่าจังหวัดจากค่าเฉลี่ยหารด้วย %s (ปรับทิศทางแล้ว); ", ksd ? ksd : "");
        free(ksd);
    }
    for (size_t i = 0; i < s->nbands; i++) {
        const band_def *bd = &s->bands[i];
        /* a share as official Thai writes it, "ร้อยละ 75", and the bound a figure of the page's digits, as
         * the share beside it and the "n − ๑" above ("(z > ๑.๐๐) ได้ร้อยละ ๑๐๐": review finding 10, issue 20
         * point 12) */
        char *share = percent_bp(c, bd->share_bp), *z = num(c, bd->bound, 2);
        if (bd->otherwise)
            sb_printf(&b, "%s%s (กรณีอื่น) ได้ร้อยละ %s ของคะแนนเกณฑ์", i ? "; " : "", bd->label_th, share ? share : "");
        else
            sb_printf(&b, "%s%s (z %s %s) ได้ร้อยละ %s ของคะแนนเกณฑ์", i ? "; " : "", bd->label_th,
                      bd->strict ? ">" : "≥", z ? z : "", share ? share : "");
        bands_assumed |= bd->assumption;
        free(share);
        free(z);
    }
    if (bands_assumed)
        sb_puts(&b, NOT_STATED);
    rule_line(c, sb_finish(&b));
    rule_lines_not_banded(c, s);
    /* the parts of a criterion */
    for (size_t i = 0; i < s->ncriteria; i++) {
        const criterion_def *cd = &s->criteria[i];
        if (cd->part != 1)
            continue;
        strbuf pb = {0};
        unsigned assumed = 0;
        /* "ข้อ 9.1 ร้อยละ 40, ข้อ 9.2 ร้อยละ 30 และข้อ 9.3 ร้อยละ 30" (it was "9.1 = 40%": no "=" in a sentence) */
        sb_printf(&pb, "• คะแนนเกณฑ์ข้อ %d แบ่งเป็น ", cd->number);
        for (size_t j = i; j < s->ncriteria && s->criteria[j].number == cd->number; j++) {
            char *w = percent_bp(c, s->criteria[j].weight_bp);
            int last = j + 1 == s->ncriteria || s->criteria[j + 1].number != cd->number;
            sb_printf(&pb, "%sข้อ %d.%d ร้อยละ %s", j == i ? "" : last ? " และ" : ", ", cd->number, s->criteria[j].part,
                      w ? w : "");
            assumed |= s->criteria[j].assumed;
            free(w);
        }
        if (assumed & ASSUMED_WEIGHTS)
            sb_puts(&pb, NOT_STATED);
        rule_line(c, sb_finish(&pb));
    }
    /* criteria banded without an SD, as the scheme says (too_few_provinces) */
    strbuf fb = {0};
    for (size_t i = 0, n = 0; i < s->ncriteria && s->too_few_band >= 0; i++)
        if (r->crit_too_few[i]) {
            const criterion_def *cd = &s->criteria[i];
            sb_puts(&fb, n++ ? ", " : "• เกณฑ์ข้อ ");
            sb_printf(&fb, cd->part ? "%d.%d" : "%d", cd->number, cd->part);
        }
    char *fl = sb_finish(&fb);
    if (fl && *fl) {
        char *need = integer(c, score_min_provinces(s)), *band = scheme_band_name(s, 0);
        rule_line(c, util_format("%s มีจังหวัดที่มีข้อมูลน้อยกว่า %s จังหวัดที่การคำนวณ SD ต้องใช้: ไม่คำนวณ %s "
                                 "ทุกจังหวัดได้ช่วง \"%s\" ตามที่เกณฑ์กำหนด",
                                 fl, need ? need : "", band ? band : "", s->bands[s->too_few_band].label_th));
        free(need);
        free(band);
    }
    free(fl);
    int oom;
    char *ug = ungraded_rule(c, r, &oom); /* ... or without a band: no grade */
    if (ug || oom)
        rule_line(c, ug);
    rule_lines_measures(c, s);
    /* the units the scheme leaves out (level P by default), counted */
    for (int l = 0; l < LEVEL_COUNT; l++)
        if (r->not_counted[l]) {
            char *n = integer(c, r->not_counted[l]), lv[64];
            scheme_levels_text(r->counted_mask, lv, sizeof lv);
            rule_line(c, util_format("• ไม่นับหน่วยบริการระดับ %s จำนวน %s แห่ง (เกณฑ์นับหน่วยบริการระดับ %s)",
                                     model_level_code((hosp_level)l), n ? n : "", lv));
            free(n);
        }
    rule_line(c, util_format("%s%s",
                             s->nodata == NODATA_ZERO ? "• จังหวัดที่ไม่มีข้อมูลของเกณฑ์ใด ได้ 0 คะแนนในเกณฑ์นั้น"
                                                      : "• จังหวัดที่ไม่มีข้อมูลของเกณฑ์ใด ได้คะแนนของช่วงต่ำสุดในเกณฑ์นั้น",
                             s->assumed & ASSUMED_NO_DATA ? NOT_STATED : ""));
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
            rule_line(c, util_format("• หน่วยบริการผ่านเกณฑ์งบทดลองเมื่อคะแนนเฉลี่ยรายเดือนไม่น้อยกว่า %s%s", p ? p : "",
                                     s->assumed & ASSUMED_TB_PASS ? NOT_STATED : ""));
            free(p);
            break;
        }
    for (size_t i = 0; i < s->ngrades; i++) {
        const grade_def *g = &s->grades[i];
        if (!g->assumption)
            continue;
        char *rate = percent_bp(c, g->rate_bp);
        char *lo = i ? thai_number(s->grades[i - 1].above_x100, 2, c->o->thai_digits) : NULL;
        rule_line(c, util_format("• ระดับ %s (ไม่อยู่ในประกาศ): ร้อยละของคะแนนรวม%s%s ดึงเงินกลับร้อยละ %s%s", g->grade,
                                 lo ? "ไม่เกิน " : "", lo ? lo : "", rate ? rate : "", NOT_STATED));
        free(rate);
        free(lo);
    }
    rule_line(c, util_strdup("• เงินดึงกลับ = อัตราดึงกลับ × เงินส่วนที่กัน ปัดเศษเป็นสตางค์ (ตั้งแต่ครึ่งสตางค์ปัดขึ้น); "
                             "ร้อยละของคะแนนรวมแสดงทศนิยม 2 ตำแหน่ง แต่การตัดระดับใช้ค่าที่ไม่ปัดเศษ"));
    if (!strcmp(c->name, "scorecard") && !c->grades_done)
        block_grades(c);
}

static int ascii_alnum(char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); }
static int capital(char ch) { return ch >= 'A' && ch <= 'Z'; }

/* s with a hyphen between two hospital levels ("A-F2", "F2-F3") as the en
 * dash of a range, the way the documents print the KPI's levels ("A–F2"):
 * a line of work's name is the seed's text. NULL: no memory. */
char *level_range_dashes(const char *s)
{
    strbuf b = {0};
    for (size_t i = 0; s[i]; i++) {
        int dash = 0;
        if (s[i] == '-' && i > 0) {
            /* a level ends here: a capital letter and at most one digit, not inside a longer word */
            size_t k = i - 1;
            if (s[k] >= '0' && s[k] <= '9' && k > 0)
                k--;
            int left = capital(s[k]) && (k == 0 || !ascii_alnum(s[k - 1]));
            /* ... and one begins after it */
            size_t j = i + 1;
            int right = capital(s[j]);
            if (right && s[j + 1] >= '0' && s[j + 1] <= '9')
                j++;
            dash = left && right && !ascii_alnum(s[j + 1]);
        }
        if (dash)
            sb_puts(&b, "\xe2\x80\x93"); /* – */
        else
            sb_append(&b, s + i, 1);
    }
    return sb_finish(&b);
}

/* "A–F2": the levels the KPI's CMI share covers. */
char *kpi_levels_text(const score_result *r)
{
    if (r->sch->kpi_level_lo == r->sch->kpi_level_hi)
        return util_strdup(model_level_code(r->sch->kpi_level_lo));
    return util_format("%s–%s", model_level_code(r->sch->kpi_level_lo), model_level_code(r->sch->kpi_level_hi));
}

/* A province's rank; a rank it shares says with whom: "2 (ร่วมกับสกลนคร)",
 * or in a narrow table column (`names` 0) "2 (ร่วม)". In a table's cell
 * (`names` 2) the others are named up to two; more are counted, "1
 * (ร่วมกับอีก 7 จังหวัด)": seven names in every row of a region whose
 * provinces all tie took the table's width and cut the province names. */
char *rank_text(const rctx *c, const score_result *r, const province_result *p, int names)
{
    char *n = integer(c, p->rank);
    strbuf b = {0};
    int shared = 0;
    for (size_t i = 0; i < r->nprovinces; i++) {
        const province_result *o = &r->provinces[i];
        if (o == p || o->rank != p->rank || o->ungraded)
            continue;
        if (names)
            sb_printf(&b, "%s%s", shared ? ", " : "", r->ds->provinces[o->province].name_th);
        shared++;
    }
    char *with = sb_finish(&b), *count = names == 2 && shared > 2 ? integer(c, shared) : NULL;
    char *s = !n || (names == 2 && shared > 2 && !count) ? NULL
              : !shared ? util_strdup(n)
              : count   ? util_format("%s (ร่วมกับอีก %s จังหวัด)", n, count)
              : names   ? (with ? util_format("%s (ร่วมกับ%s)", n, with) : NULL)
                        : util_format("%s (ร่วม)", n);
    free(n);
    free(with);
    free(count);
    return s;
}
