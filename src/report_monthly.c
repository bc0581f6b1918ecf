/* report_monthly: the monthly meeting handout: the comparison it states, the
 * province table (CMI share against last month and the same month last
 * year, risk levels, grades) and its changes in words, the issues put to the
 * meeting (meeting.csv), the hospitals in crisis, the CMI trend chart and
 * who prepared it (contacts.csv; the KPI report's ผู้รายงาน line too). */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "inspection.h"
#include "util.h"

/* What the monthly handout compares with: the last signed-off month when
 * the archive has one (for the grades), else the month before. */
char *compared_with(const rctx *c, const score_result *r)
{
    const report_signed_month *s = c->o->signed_month;
    char *prev = month_name(c, r, r->last_month - 1), *out = NULL;
    char *sm = s ? month_name(c, r, model_fiscal_month(r->ds->fiscal_year, s->month)) : NULL;
    if (prev && s && sm)
        out = util_format("ระดับของเดือน %s ที่ลงนามรับรองแล้ว (รอบ %s) ส่วนตัวเลขอื่นเทียบกับเดือน %s", sm, s->round,
                          prev);
    else if (r->last_month <= 0 && !s) /* October: the year's first month has nothing before it */
        out = util_strdup("เดือนก่อนหน้าไม่ได้ เพราะเป็นเดือนแรกของปีงบประมาณ (ช่องเปลี่ยนแปลงแสดง –)");
    else if (prev && !s)
        out = util_format("เดือน %s (ยังไม่มีเดือนที่ลงนามรับรอง)", prev);
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

/* Graded by another region's scheme, named on the command line: the
 * grades are for information only, in the appendix (block_other_grades),
 * so that pages 1-2 carry what applies to the region itself. */
static int other_scheme(const score_result *f) { return !score_scheme_is_own(f) && f->scheme_named; }

/* Under the monthly table: why it has no grades, whose grades they are and
 * where (another region's scheme: in the appendix). */
static void monthly_grades_note(rctx *c, const score_result *f, const score_result *k, int own, int grades)
{
    char *text = NULL;
    if (other_scheme(f))
        text = util_format("ร้อยละคะแนนและระดับตามเกณฑ์ของเขตสุขภาพที่ %d (ไม่ได้ประกาศใช้กับเขตสุขภาพที่ %d) "
                           "อยู่ในภาคผนวก", f->sch->region, k->region);
    else if (!grades)
        text = util_format("ไม่แสดงร้อยละคะแนนและระดับ: เขตสุขภาพที่ %d ไม่มีเกณฑ์ประเมินการเงินการคลัง"
                           "ของปีงบประมาณ %d", k->region, k->ds->fiscal_year);
    if (grades && ungraded_count(f)) { /* the provinces without a grade, and why */
        char *why = ungraded_note(c, f), *t = !why ? NULL : text ? util_format("%s %s", text, why) : util_strdup(why);
        free(text);
        free(why);
        if (!t)
            c->err = 1;
        text = t;
    } else if (own) {
        return;
    }
    if (!text || layout_paragraph(c->doc, text, disclosure(c)))
        c->err = 1;
    free(text);
}

/* The padding either side of the text of the handout's tables (layout_table_padding), in every style. */
#define CELL_PAD 4.5

/* Whether any hospital stands at risk level 6-7 in the month. */
static int crisis_any(const score_result *f)
{
    int any = 0;
    for (size_t i = 0; f->last_month >= 0 && i < f->nhospitals; i++)
        any |= f->hospitals[i].risk[f->last_month] >= 6;
    return any;
}

/* What the handout's appendix holds: the hospitals in crisis (their ratios, block_crisis), the CMI
 * trend (two months or more: one month is a sentence on page 2, block_cmi_trend_note), another
 * region's grades (block_other_grades). */
static void appendix_holds(const rctx *c, int *crisis, int *trend, int *other)
{
    *crisis = crisis_any(c->rd->finance);
    *trend = c->rd->nmonths >= 2;
    *other = other_scheme(c->rd->finance);
}

/* The appendix's contents as the words of its heading ("ภาคผนวก {{appendix}}"), "" when it holds
 * nothing (another region's grades alone: whose; the note under their table says they are not
 * that region's announced scheme). */
static char *appendix_text(const rctx *c)
{
    const score_result *f = c->rd->finance;
    int crisis, trend, other;
    appendix_holds(c, &crisis, &trend, &other);
    return crisis && trend ? util_strdup("โรงพยาบาลที่ประสบวิกฤตทางการเงินและแนวโน้ม CMI")
           : crisis        ? util_strdup("โรงพยาบาลที่ประสบวิกฤตทางการเงิน")
           : trend         ? util_strdup("แนวโน้ม CMI")
           : other         ? util_format("ผลการประเมินตามเกณฑ์ของเขตสุขภาพที่ %d", f->sch->region)
                           : util_strdup("");
}

/* {{appendix}}: the appendix's heading words (appendix_text). */
void monthly_vars(rctx *c)
{
    char *t = appendix_text(c);
    var_set(&c->v, "appendix", t ? digits(c, t) : NULL);
    free(t);
}

/* Where the appendix begins: a new page when it holds anything (appendix_holds); else the handout
 * ends here (region 5's October, example rows: its appendix repeated page 2's "ไม่มี…" and the
 * trend's one-month sentence on a third page 28 % full). The page is landscape for the crisis
 * table's ten columns and the trend's panels, portrait for another region's grades alone (three
 * columns: on a landscape page the province's name took 560 pt of it). */
void block_appendix(rctx *c)
{
    int crisis, trend, other;
    appendix_holds(c, &crisis, &trend, &other);
    if (!crisis && !trend && !other)
        c->stop = 1;
    else if (layout_page_break(c->doc) || layout_orientation(c->doc, crisis || trend))
        c->err = 1;
}

/* The hospitals in financial crisis (risk level 6-7) this month, named with
 * their level last month and this month and the ratios behind it, as
 * regional finance handouts list them. */
void block_crisis(rctx *c)
{
    const score_result *f = c->rd->finance;
    const dataset *ds = f->ds;
    int m = f->last_month;
    static const double w[] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    /* the two risk levels under a heading that says they are risk levels, beside the hospital's own
     * level (S, M2, F3) headed as that: "ระดับ | เดือนก่อน | เดือนนี้" read as three of a kind */
    static const char *h1[] = {"จังหวัด", "โรงพยาบาล", "ระดับ รพ.", "ระดับความเสี่ยง", "CR", "QR", "Cash ratio",
                               "NWC (บาท)", "NI สะสม (บาท)"};
    /* none: page 2 says so under its own heading, and the appendix's heading leaves them out (its line
     * "ไม่มี…" here, under the heading, sent the CMI chart to a page of its own: issue 20 point 11) */
    if (!crisis_any(f))
        return;
    layout_cell r1[9], r2[10];
    for (int i = 0; i < 9; i++)
        r1[i] = (layout_cell){h1[i], ALIGN_CENTER, 1, 1, i == 3 ? 2 : 1, 0, 0};
    for (int i = 0; i < 10; i++)
        r2[i] = (layout_cell){i == 3 ? "เดือนก่อน" : i == 4 ? "เดือนนี้" : "", ALIGN_CENTER, 1, 1, 1, i != 3 && i != 4, 0};
    /* (4.5 pt either side of each cell's text, as the KPI report's CMI appendix: at 3 the fitted figures
     * "-๒๓๘,๘๙๑,๙๑๐.๐๒" and the heading "เดือนนี้" read 1 pt from the rules, review finding 9a) */
    if (table_begin(c, w, 10, 12, 2) || layout_table_snug(c->doc) || layout_table_padding(c->doc, CELL_PAD) ||
        layout_table_row(c->doc, r1, 9) ||
        layout_table_row(c->doc, r2, 10)) {
        c->err = 1;
        return;
    }
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
        /* the risk levels keep their Arabic digits, as the text's "ระดับ 7" (issue 20 point 12) */
        rt_add(&t, m > 0 && hr->risk[m - 1] >= 0 ? util_format("%d", hr->risk[m - 1]) : util_strdup("-"));
        rt_add(&t, util_format("%d", hr->risk[m]));
        rt_add(&t, cl ? num(c, (double)ca / (double)cl, 2) : util_strdup("-"));
        rt_add(&t, cl ? num(c, (double)(fm->cash + fm->receivables) / (double)cl, 2) : util_strdup("-"));
        rt_add(&t, cl ? num(c, (double)fm->cash / (double)cl, 2) : util_strdup("-"));
        rt_add(&t, money(c, ca - cl));
        rt_add(&t, money(c, ni));
        add_row(c, &t, "llcCCrrrrr", 0);
    }
    layout_table_end(c->doc);
}

/* "3/10": passed of those with a target. */
static char *of_text(const rctx *c, int part, int whole)
{
    char *a = integer(c, part), *b = integer(c, whole), *s = a && b ? util_format("%s/%s", a, b) : NULL;
    free(a);
    free(b);
    return s;
}

/* The CMI share: the KPI's (its levels, hospitals with a target), as the KPI
 * report and the JSON have it; the counts beside it. */
static void cmi_cells(const rctx *c, int pass, int n, int pass_before, int n_before, int compare, row_texts *t)
{
    double cmi = n ? 100.0 * pass / n : 0, before = n_before ? 100.0 * pass_before / n_before : 0;
    /* no hospital in the share's scope: "–" for the counts too, the note under the table says why */
    rt_add(t, n ? of_text(c, pass, n) : util_strdup("–"));
    rt_add(t, n ? num(c, cmi, 2) : util_strdup("–"));
    /* nothing to compare with (the year's first month, or no CMI last month): "–", never "±0.00" */
    rt_add(t, compare && n && n_before ? change_text(c, cmi, before, 2) : util_strdup("–"));
}

/* The same month last year: of the hospitals the KPI counts now (its
 * levels, a target, CMI this year) in a province (or the region: all),
 * those with discharges in the same months of the previous fiscal year
 * (cmi_prev.csv) and those whose CMI over them reached the same target,
 * compared exactly as this year's. *n is 0 without a previous year. */
static void cmi_last_year(const score_result *k, int all, size_t province, int *pass, int *n)
{
    const inspection *in = k->ds->insp;
    *pass = *n = 0;
    for (size_t i = 0; in && in->prev_cmi && i < k->nhospitals; i++) {
        const hospital_result *hr = &k->hospitals[i];
        const hospital *h = &k->ds->hospitals[hr->hospital];
        if ((!all && h->province != province) || !hr->has_cmi || hr->cmi_target_x1000 <= 0 ||
            h->level < k->sch->kpi_level_lo || h->level > k->sch->kpi_level_hi)
            continue;
        int64_t d = 0, a = 0;
        for (int m = 0; m <= k->last_month && m < FY_MONTHS; m++) {
            d += in->prev_cmi[hr->hospital][m].discharges;
            a += in->prev_cmi[hr->hospital][m].adjrw_x10000;
        }
        if (d <= 0)
            continue;
        (*n)++;
        *pass += (__int128)a >= (__int128)hr->cmi_target_x1000 * d * 10;
    }
}

/* The last-year cell: "p/n ร้อยละ" of cmi_last_year, or "–". */
static char *last_year_text(const rctx *c, int pass, int n)
{
    if (n <= 0)
        return util_strdup("–");
    char *of = of_text(c, pass, n), *sh = num(c, 100.0 * pass / n, 2);
    char *s = of && sh ? util_format("%s %s", of, sh) : NULL;
    free(of);
    free(sh);
    return s;
}

/* The changes a chief should hear first, in words, under the table: each
 * province whose CMI share moved by 10 points or more since the month
 * compared with ("ตรัง ร้อยละ CMI ผ่านลดลงจาก 70.00 เป็น 30.00"), and each
 * whose count of level-7 hospitals rose; or that nothing moved that much. */
static char *monthly_changes(rctx *c, const score_result *f, const score_result *fp, const score_result *k,
                             const score_result *kp)
{
    strbuf b = {0};
    int n = 0;
    for (size_t p = 0; p < k->nprovinces && kp; p++) {
        const province_result *kr = &k->provinces[p], *krp = &kp->provinces[p];
        if (!kr->cmi_hospitals || !krp->cmi_hospitals)
            continue;
        double now = 100.0 * kr->cmi_pass / kr->cmi_hospitals, before = 100.0 * krp->cmi_pass / krp->cmi_hospitals;
        if (fabs(now - before) < 10)
            continue;
        char *a = num(c, before, 2), *z = num(c, now, 2);
        sb_printf(&b, "%s%s ร้อยละ CMI ผ่าน%sจาก %s เป็น %s", n++ ? "; " : "",
                  k->ds->provinces[kr->province].name_th, now < before ? "ลดลง" : "เพิ่มขึ้น", a ? a : "", z ? z : "");
        free(a);
        free(z);
    }
    for (size_t p = 0; p < f->nprovinces && fp; p++) {
        size_t prov = f->provinces[p].province;
        int r7 = risk_count(f, prov, 7, 7), r7p = risk_count(fp, prov, 7, 7);
        if (r7 <= r7p)
            continue;
        char *a = integer(c, r7p), *z = integer(c, r7);
        sb_printf(&b, "%s%s โรงพยาบาลความเสี่ยงระดับ 7 เพิ่มขึ้นจาก %s เป็น %s แห่ง", n++ ? "; " : "",
                  f->ds->provinces[prov].name_th, a ? a : "", z ? z : "");
        free(a);
        free(z);
    }
    char *list = sb_finish(&b);
    char *text = n ? (list ? util_format("เทียบกับเดือนก่อน: %s", list) : NULL)
                   : util_strdup("เทียบกับเดือนก่อน: ไม่มีจังหวัดที่ร้อยละ CMI ผ่านเปลี่ยน 10 จุดขึ้นไป "
                                 "หรือ รพ.วิกฤตระดับ 7 เพิ่มขึ้น");
    free(list);
    if (!text)
        c->err = 1;
    return text;
}

/* Against the same month last year, in words: each province whose CMI
 * share differs by 10 points or more from last year's ("ยะลา ร้อยละ CMI
 * ผ่านสูงขึ้นจาก 40.00 เป็น 83.33", after "เทียบกับเดือนเดียวกันปีก่อน:"); nothing without a
 * previous year. */
static char *last_year_changes(rctx *c, const score_result *k, int *none)
{
    strbuf b = {0};
    int n = 0, any = 0;
    for (size_t p = 0; p < k->nprovinces; p++) {
        const province_result *kr = &k->provinces[p];
        int lp, ln;
        cmi_last_year(k, 0, kr->province, &lp, &ln);
        any |= ln > 0;
        if (ln <= 0 || !kr->cmi_hospitals)
            continue;
        double now = 100.0 * kr->cmi_pass / kr->cmi_hospitals, before = 100.0 * lp / ln;
        if (fabs(now - before) < 10)
            continue;
        char *a = num(c, before, 2), *z = num(c, now, 2);
        sb_printf(&b, "%s%s ร้อยละ CMI ผ่าน%sจาก %s เป็น %s", n++ ? "; " : "", k->ds->provinces[kr->province].name_th,
                  now < before ? "ต่ำลง" : "สูงขึ้น", a ? a : "", z ? z : "");
        free(a);
        free(z);
    }
    char *list = sb_finish(&b), *text = NULL;
    *none = !any;
    if (any) {
        text = n ? (list ? util_format("เทียบกับเดือนเดียวกันปีก่อน: %s", list) : NULL)
                 : util_strdup("เทียบกับเดือนเดียวกันปีก่อน: ไม่มีจังหวัดที่ร้อยละ CMI ผ่านต่างจากปีก่อน 10 จุดขึ้นไป");
        if (!text)
            c->err = 1;
    }
    free(list);
    return text;
}

/* The changes a chief acts on, in one paragraph under the table: against
 * last month, then against the same month last year (each left out when
 * there is nothing to compare with). */
static void changes_paragraph(rctx *c, const score_result *f, const score_result *fp, const score_result *k,
                              const score_result *kp)
{
    int none = 1;
    char *m = kp || fp ? monthly_changes(c, f, fp, k, kp) : NULL, *y = last_year_changes(c, k, &none);
    char *text = m && y ? util_format("การเปลี่ยนแปลงที่สำคัญ: %s; %s", m, y)
                 : m || y ? util_format("การเปลี่ยนแปลงที่สำคัญ: %s", m ? m : y)
                          : NULL;
    char *td = text ? digits(c, text) : NULL;
    if ((m || y) && (!td || layout_paragraph(c->doc, td, (layout_style){16, 0, ALIGN_LEFT, 0, 6, {0, 0, 0}})))
        c->err = 1;
    free(m);
    free(y);
    free(text);
    free(td);
}

/* Province p's grade, with the signed-off month's (or last month's) beside
 * it: "C+ (เดิม B)". */
static char *grade_was(const rctx *c, const score_result *f, const score_result *fp, size_t p)
{
    const province_result *pr = &f->provinces[p], *prp = fp ? &fp->provinces[p] : NULL;
    const char *was = c->o->signed_month ? signed_grade(c, f->ds->provinces[pr->province].code)
                      : prp                ? grade_cell(fp, prp)
                                           : NULL;
    return was ? util_format("%s (เดิม %s)", grade_cell(f, pr), was) : util_strdup(grade_cell(f, pr));
}

/* The appendix's grades by another region's scheme (other_scheme): each
 * province's percentage and grade under a heading that says whose scheme
 * and that it is for information; nothing otherwise. */
void block_other_grades(rctx *c)
{
    const score_result *f = c->rd->finance, *fp = c->rd->finance_prev;
    int crisis, trend, other;
    appendix_holds(c, &crisis, &trend, &other);
    if (!other)
        return;
    /* no heading of their own when they are all the appendix holds: its heading names them
     * (appendix_text; "ภาคผนวก ผลการประเมินตามเกณฑ์ของเขตสุขภาพที่ 4" stood over the same words) */
    char *h = crisis || trend ? util_format("ผลการประเมินตามเกณฑ์ของเขตสุขภาพที่ %d (เพื่อทราบ ไม่ได้ประกาศใช้กับ"
                                            "เขตสุขภาพที่ %d)", f->sch->region, c->rd->kpi->region)
                              : util_strdup("");
    char *hd = h ? digits(c, h) : NULL;
    static const double w[] = {1, 0, 0};
    if (!hd || (hd[0] && layout_heading(c->doc, 2, hd)) || table_begin(c, w, 3, 12, 1) ||
        layout_table_padding(c->doc, CELL_PAD)) {
        free(h);
        free(hd);
        c->err = 1;
        return;
    }
    free(h);
    free(hd);
    const char *names[] = {"จังหวัด", "ร้อยละคะแนน", "ระดับ"};
    header_row(c, names, 3);
    for (size_t p = 0; p < f->nprovinces; p++) {
        const province_result *pr = &f->provinces[p];
        row_texts t = {0};
        rt_add(&t, util_strdup(f->ds->provinces[pr->province].name_th));
        rt_add(&t, pr->ungraded ? util_strdup("–") : thai_number(pr->percent_x100, 2, c->o->thai_digits));
        rt_add(&t, grade_was(c, f, fp, p));
        add_row(c, &t, "lrc", 0);
    }
    layout_table_end(c->doc);
    char *note = util_format("ร้อยละคะแนนและระดับคำนวณตาม \"%s\" ของเขตสุขภาพที่ %d "
                             "ซึ่งไม่ได้ประกาศใช้กับเขตสุขภาพที่ %d",
                             f->sch->title, f->sch->region, c->rd->kpi->region);
    if (!note || layout_paragraph(c->doc, note, disclosure(c)))
        c->err = 1;
    free(note);
}

/* The handout table's two header rows: the CMI columns under one heading
 * naming the levels the share counts, the risk columns under another; a
 * cell's own heading stays short, so the header takes two or three lines,
 * not five. */
static int monthly_header(rctx *c, const score_result *f, const score_result *k, int grades, int own)
{
    char *lv = kpi_levels_text(k);
    char *g1 = lv ? util_format("รพ. ที่ CMI ผ่านเกณฑ์ ระดับ %s (แห่ง)", lv) : NULL;
    /* the grades: a forecast by the region's own scheme, or another region's named */
    char *gh = !own && grades ? util_format("ผลการประเมิน (เกณฑ์เขต %d)", f->sch->region)
                              : util_strdup("ผลการประเมิน (คาดการณ์)");
    char *t1[] = {digits(c, "จังหวัด"), g1 ? digits(c, g1) : NULL, digits(c, "รพ. ความเสี่ยงการเงิน (แห่ง)"),
                  gh ? digits(c, gh) : NULL};
    /* two lines each, broken here: no wider than the figures under them; without the grades'
     * columns, one line each (a header line less keeps the note under the table on page 1 in the
     * official style's type); the change against the month the subtitle names as "เทียบ" in both
     * (with the grades "เทียบ / เดือนก่อน" took three lines over its narrow column in the official
     * style, and region 5's table a page and a third) */
    char *t2[] = {digits(c, grades ? "ผ่าน/\nมีเกณฑ์" : "ผ่าน/มีเกณฑ์"), digits(c, "ร้อยละ"),
                  digits(c, "เทียบ"),
                  digits(c, grades ? "เดือนเดียวกัน\nปีก่อน" : "เดือนเดียวกันปีก่อน"), digits(c, "ระดับ 7"),
                  digits(c, "เทียบ"), digits(c, "ระดับ 4–7"),
                  digits(c, "เทียบ"), digits(c, "ร้อยละ\nคะแนน"), digits(c, "ระดับ")};
    int bad = 0;
    for (size_t i = 0; i < sizeof t1 / sizeof *t1; i++)
        bad |= !t1[i];
    for (size_t i = 0; i < sizeof t2 / sizeof *t2; i++)
        bad |= !t2[i];
    layout_cell r1[6], r2[11];
    int n1 = 0, n2 = 0;
#define HEAD(text, span, cont) ((layout_cell){(text), ALIGN_CENTER, 1, 1, (span), (cont), 0})
    if (!bad) {
        r1[n1++] = HEAD(t1[0], 1, 0);
        r1[n1++] = HEAD(t1[1], 4, 0);
        r1[n1++] = HEAD(t1[2], 4, 0);
        r2[n2++] = HEAD("", 1, 1);
        for (int i = 0; i < (grades ? 10 : 8); i++)
            r2[n2++] = HEAD(t2[i], 1, 0);
        if (grades)
            r1[n1++] = HEAD(t1[3], 2, 0);
        bad = layout_table_row(c->doc, r1, n1) || layout_table_row(c->doc, r2, n2);
    }
#undef HEAD
    for (size_t i = 0; i < sizeof t1 / sizeof *t1; i++)
        free(t1[i]);
    for (size_t i = 0; i < sizeof t2 / sizeof *t2; i++)
        free(t2[i]);
    free(lv);
    free(g1);
    free(gh);
    return bad ? -1 : 0;
}

void block_monthly(rctx *c)
{
    const score_result *f = c->rd->finance, *fp = c->rd->finance_prev, *k = c->rd->kpi;
    /* figures fitted to their widest cell, the province's name to its widest (snug): the figures' headings
     * whole, the width left shared among the figures (the names took it all: 40 % of the page, and the
     * grades' heading over two narrow columns wrapped to three lines, region 5's header to five) */
    static const double w[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    int own = score_scheme_is_own(f), grades = own, ncols = grades ? 11 : 9;
    if (table_begin(c, w, ncols, 12, 2) || layout_table_snug(c->doc) || layout_table_padding(c->doc, CELL_PAD) ||
        monthly_header(c, f, k, grades, own)) {
        c->err = 1;
        return;
    }
    const score_result *kp = c->rd->nmonths >= 2 ? c->rd->kpi_by_month[c->rd->nmonths - 2] : NULL;
    int sum[4] = {0}; /* the region's risk counts: level 7, before, 4-7, before */
    strbuf nocmi = {0};   /* the provinces without a hospital in the CMI share's scope */
    for (size_t p = 0; p < f->nprovinces; p++) {
        const province_result *pr = &f->provinces[p];
        const province_result *kr = &k->provinces[p], *krp = kp ? &kp->provinces[p] : NULL;
        size_t prov = pr->province;
        int r7 = risk_count(f, prov, 7, 7), r7p = fp ? risk_count(fp, prov, 7, 7) : r7;
        int r47 = risk_count(f, prov, 4, 7), r47p = fp ? risk_count(fp, prov, 4, 7) : r47;
        sum[0] += r7, sum[1] += r7p, sum[2] += r47, sum[3] += r47p;
        row_texts t = {0};
        rt_add(&t, util_strdup(f->ds->provinces[prov].name_th));
        cmi_cells(c, kr->cmi_pass, kr->cmi_hospitals, krp ? krp->cmi_pass : 0, krp ? krp->cmi_hospitals : 0,
                  krp != NULL, &t);
        if (!kr->cmi_hospitals)
            sb_printf(&nocmi, "%s%s", nocmi.len ? ", " : "", f->ds->provinces[prov].name_th);
        int lp, ln;
        cmi_last_year(k, 0, kr->province, &lp, &ln);
        rt_add(&t, last_year_text(c, lp, ln));
        rt_add(&t, integer(c, r7));
        rt_add(&t, fp ? change_text(c, r7, r7p, 0) : util_strdup("–"));
        rt_add(&t, integer(c, r47));
        rt_add(&t, fp ? change_text(c, r47, r47p, 0) : util_strdup("–"));
        if (grades) {
            /* no grade (too few provinces for the SD): "–", the note under the table says why */
            rt_add(&t, pr->ungraded ? util_strdup("–") : thai_number(pr->percent_x100, 2, c->o->thai_digits));
            rt_add(&t, grade_was(c, f, fp, p));
        }
        add_row(c, &t, "lrrrrrrrrrc", 0);
    }
    /* the region as a whole: what a chief reads first */
    row_texts t = {0};
    char *name = util_format("รวมเขตสุขภาพที่ %d", k->region);
    rt_add(&t, name ? digits(c, name) : NULL);
    free(name);
    cmi_cells(c, k->cmi_pass, k->cmi_hospitals, kp ? kp->cmi_pass : 0, kp ? kp->cmi_hospitals : 0, kp != NULL, &t);
    int lp, ln;
    cmi_last_year(k, 1, 0, &lp, &ln);
    rt_add(&t, last_year_text(c, lp, ln));
    rt_add(&t, integer(c, sum[0]));
    rt_add(&t, fp ? change_text(c, sum[0], sum[1], 0) : util_strdup("–"));
    rt_add(&t, integer(c, sum[2]));
    rt_add(&t, fp ? change_text(c, sum[2], sum[3], 0) : util_strdup("–"));
    if (grades) {
        rt_add(&t, util_strdup(""));
        rt_add(&t, util_strdup(""));
    }
    add_row(c, &t, "lrrrrrrrrrc", 1);
    layout_table_end(c->doc);
    /* the note says what the table's columns leave out: right under it; then the changes in words,
     * unless the template places them itself (block changes) */
    char *nc = sb_finish(&nocmi), *lv = kpi_levels_text(k);
    if (!nc || !lv)
        c->err = 1;
    else
        out_of_scope_note(c, nc, lv, NULL);
    free(nc);
    free(lv);
    monthly_grades_note(c, f, k, own, grades);
    if (!c->own_changes)
        changes_paragraph(c, f, fp, k, kp);
}

/* The changes in words, where the template puts them (after a deferred
 * turn: on page 1 under the table when they fit there, else at the head of
 * the portrait page 2). */
void block_changes(rctx *c)
{
    const score_result *kp = c->rd->nmonths >= 2 ? c->rd->kpi_by_month[c->rd->nmonths - 2] : NULL;
    changes_paragraph(c, c->rd->finance, c->rd->finance_prev, c->rd->kpi, kp);
}

/* The share of hospitals whose CMI for the year to date reaches their
 * level's target, month by month: one panel per province with the whole
 * region dashed behind it. The last value of each panel is the table's
 * CMI share (ร้อยละ) of the month, over the KPI's levels. A province with no hospital to judge in a
 * month has no value there (NAN), never 0. */
static double cmi_share(int pass, int n) { return n ? 100.0 * pass / n : NAN; }

/* With one month of data, the CMI trend in a sentence, on page 2: no chart of one-point panels
 * (page review, region 5's October), the region's share given; nothing with two months or more. */
void block_cmi_trend_note(rctx *c)
{
    const report_data *rd = c->rd;
    const score_result *k = rd->kpi;
    int nm = rd->nmonths;
    if (nm != 1) /* the trend is a chart in the appendix (block_cmi_trend) */
        return;
    char *last = month_short(c, k->ds, 0);
    double share = cmi_share(rd->kpi_by_month[0]->cmi_pass, rd->kpi_by_month[0]->cmi_hospitals);
    char *rv = isnan(share) ? util_strdup("-") : num(c, share, 2);
    char *t = last && rv ? util_format("แนวโน้ม CMI รายจังหวัด: มีข้อมูลเดือนเดียว (%s) จึงยังไม่แสดงกราฟแนวโน้ม "
                                       "ร้อยละของโรงพยาบาลที่ค่า CMI ถึงเกณฑ์ของแต่ละจังหวัดอยู่ในตารางสรุปรายจังหวัด "
                                       "(ทั้งเขต ร้อยละ %s)", last, rv)
                         : NULL;
    char *td = t ? digits(c, t) : NULL;
    if (!td || layout_paragraph(c->doc, td, (layout_style){16, 0, ALIGN_LEFT, 0, 6, {0, 0, 0}}))
        c->err = 1;
    free(last), free(rv), free(t), free(td);
}

void block_cmi_trend(rctx *c)
{
    const report_data *rd = c->rd;
    const score_result *k = rd->kpi;
    int nm = rd->nmonths, np = (int)k->nprovinces;
    if (nm < 1 || np < 1)
        return;
    if (nm > FY_MONTHS)
        nm = FY_MONTHS;
    if (nm == 1) /* a trend of one month is a sentence on page 2 (block_cmi_trend_note) */
        return;
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
    char *lv = kpi_levels_text(k);
    char *legend = rv && last && lv ? util_format("นับโรงพยาบาลระดับ %s ที่มีเกณฑ์ CMI (ตามตัวชี้วัด) ทุกแผงใช้มาตราเดียวกัน\n"
                                                  "เส้นประสีเทา: ทั้งเขต (%s ร้อยละ %s)\n"
                                                  "ตัวเลขท้ายเส้น: ค่าเดือน %s ตรงกับช่องร้อยละ CMI ผ่านในตาราง",
                                                  lv, last, rv, last)
                                  : NULL;
    free(lv);
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

/* A paragraph of the handout's own text, in the document's digits. */
static void say(rctx *c, const char *text, int bold)
{
    char *td = text ? digits(c, text) : NULL;
    if (!td || layout_paragraph(c->doc, td, (layout_style){16, bold, ALIGN_LEFT, 0, 6, {0, 0, 0}}))
        c->err = 1;
    free(td);
}

/* ประเด็นเสนอที่ประชุม: the issues meeting.csv puts to this month's meeting
 * of the region, each with its action, owner and due date; or that there
 * are none. */
void block_meeting(rctx *c)
{
    const score_result *k = c->rd->kpi;
    const inspection *in = k->ds->insp;
    reader_date m = model_calendar_month(k->ds->fiscal_year, k->last_month);
    static const double w[] = {1, 1.4, 1, 0};
    static const char *h[] = {"ประเด็น", "ข้อเสนอ/สิ่งที่ต้องดำเนินการ", "ผู้รับผิดชอบ", "กำหนดเสร็จ"};
    int n = 0;
    for (size_t i = 0; in && i < in->nmeeting; i++) {
        const meeting_item *it = &in->meeting[i];
        if (it->region != k->region || it->month.year != m.year || it->month.month != m.month)
            continue;
        if (!n++) {
            if (table_begin(c, w, 4, 12, 1) || layout_table_balance(c->doc) || layout_table_padding(c->doc, CELL_PAD)) {
                c->err = 1;
                return;
            }
            header_row(c, h, 4);
        }
        row_texts t = {0};
        rt_add(&t, util_strdup(it->issue));
        rt_add(&t, util_strdup(it->action));
        rt_add(&t, util_strdup(it->owner));
        rt_add(&t, thai_date(it->due, 1, c->o->thai_digits));
        add_row(c, &t, "lllc", 0);
    }
    if (n)
        layout_table_end(c->doc);
    else
        say(c, "ไม่มีประเด็นเสนอที่ประชุมในเดือนนี้", 0);
}

/* Who prepared the document and how to reach them (contacts.csv), as
 * "ผู้จัดทำ: name ตำแหน่ง ... โทร ... อีเมล ..."; nothing when the file
 * names nobody for it (a warning at contacts.csv says so). Shared by the handout ("monthly") and the KPI
 * report ("kpi": ผู้รายงาน). */
void contact_line(rctx *c, const char *document, const char *role)
{
    const score_result *k = c->rd->kpi;
    const report_contact *p = inspection_contact(k->ds->insp, k->region, document);
    if (!p) { /* the warning names the data file to fill, not the template's block */
        inspection_check_contact(k->ds->insp, k->region, document, 0, c->d);
        return;
    }
    char *s = util_format("%s: %s ตำแหน่ง %s%s%s%s%s", role, p->name, p->position, p->phone[0] ? " โทร " : "",
                          p->phone, p->email[0] ? " อีเมล " : "", p->email);
    say(c, s, 0);
    free(s);
}

void block_preparer(rctx *c) { contact_line(c, "monthly", "ผู้จัดทำ"); }

/* A hospital's name as a handout line names it: "รพ.จะนะ". */
static void short_hospital(strbuf *b, const char *name)
{
    static const char full[] = "โรงพยาบาล";
    if (!strncmp(name, full, sizeof full - 1) && name[sizeof full - 1])
        sb_printf(b, "รพ.%s", name + sizeof full - 1);
    else
        sb_puts(b, name);
}

/* How many of a month's hospitals stand at risk level `lv`. */
static int level_count(const score_result *f, int m, int lv)
{
    int n = 0;
    for (size_t i = 0; m >= 0 && i < f->nhospitals; i++)
        n += f->hospitals[i].risk[m] == lv;
    return n;
}

/* The hospitals in crisis in words, on the handout's second page: how many
 * at levels 7 and 6 against last month; each province's hospitals with
 * their level, "ใหม่" for one that came into 6-7 this month ("สงขลา:
 * รพ.จะนะ (7), รพ.สะเดา (7 ใหม่)"); those that left 6-7. Their ratios
 * are in the appendix (block_crisis), under a heading that names them (the
 * official handout's page 2 has no line to spare for saying so here). A
 * long list stops after CRISIS_NAMES names: the appendix names them all. */
#define CRISIS_NAMES 24
void block_crisis_words(rctx *c)
{
    const score_result *f = c->rd->finance;
    const dataset *ds = f->ds;
    int m = f->last_month, shown = 0, all = 0, left = 0;
    for (size_t i = 0; m >= 0 && i < f->nhospitals; i++) {
        const hospital_result *hr = &f->hospitals[i];
        all += hr->risk[m] >= 6;
        left += m > 0 && hr->risk[m - 1] >= 6 && hr->risk[m] >= 0 && hr->risk[m] < 6;
    }
    /* under the template's heading "โรงพยาบาลที่ประสบวิกฤตทางการเงิน (ระดับ 6–7)": the paragraph after
     * the meeting's table read as one of its points */
    if (!all && !left) {
        say(c, "ไม่มีโรงพยาบาลที่มีความเสี่ยงทางการเงินระดับ 6–7 ในเดือนนี้", 0);
        return;
    }
    strbuf b = {0};
    sb_printf(&b, "ระดับ 7 มี %d แห่ง ระดับ 6 มี %d แห่ง", level_count(f, m, 7), level_count(f, m, 6));
    if (m > 0)
        sb_printf(&b, " (เดือนก่อน %d และ %d แห่ง)", level_count(f, m - 1, 7), level_count(f, m - 1, 6));
    for (size_t p = 0; p < f->nprovinces; p++) {
        size_t prov = f->provinces[p].province;
        int first = 1;
        for (size_t i = 0; i < f->nhospitals && shown < CRISIS_NAMES; i++) {
            const hospital_result *hr = &f->hospitals[i];
            const hospital *hd = &ds->hospitals[hr->hospital];
            if (hd->province != prov || hr->risk[m] < 6)
                continue;
            if (first)
                sb_printf(&b, "%s%s ", shown ? "; " : ": ", ds->provinces[prov].name_th);
            else
                sb_puts(&b, ", ");
            short_hospital(&b, hd->name_th);
            int fresh = m > 0 && hr->risk[m - 1] >= 0 && hr->risk[m - 1] < 6;
            sb_printf(&b, " (%d%s)", hr->risk[m], fresh ? " ใหม่" : "");
            first = 0;
            shown++;
        }
    }
    if (all > shown)
        sb_printf(&b, " และอีก %d แห่ง", all - shown);
    if (left) {
        sb_printf(&b, " พ้นระดับ 6–7 ในเดือนนี้ %d แห่ง:", left);
        for (size_t i = 0, k = 0; i < f->nhospitals; i++) {
            const hospital_result *hr = &f->hospitals[i];
            if (!(hr->risk[m - 1] >= 6 && hr->risk[m] >= 0 && hr->risk[m] < 6))
                continue;
            sb_puts(&b, k++ ? ", " : " ");
            short_hospital(&b, ds->hospitals[hr->hospital].name_th);
            sb_printf(&b, " (%d เป็น %d)", hr->risk[m - 1], hr->risk[m]);
        }
    }
    char *s = sb_finish(&b);
    say(c, s, 0);
    free(s);
}
