/* report_scorecard: the province scorecard: its placeholders, the criteria table,
 * the result block and the appendix of hospitals that pulled each
 * criterion down. */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "util.h"

void scorecard_vars(rctx *c)
{
    const score_result *r = c->rd->finance;
    const province_result *p = &r->provinces[c->rd->province];
    const province *pv = &r->ds->provinces[p->province];
    var_set(&c->v, "province_name", util_strdup(pv->name_th));
    var_set(&c->v, "province_code", digits(c, pv->code));
    /* a province without a grade (too few provinces for the SD): "–" where the JSON has null */
    int g = !p->ungraded;
    var_set(&c->v, "total", g ? cp(c, p->total_cp) : util_strdup("–"));
    var_set(&c->v, "max_total", cp(c, p->max_cp));
    var_set(&c->v, "percent", g ? thai_number(p->percent_x100, 2, c->o->thai_digits) : util_strdup("–"));
    var_set(&c->v, "grade", util_strdup(g ? export_grade(r, p) : "ไม่จัดระดับ"));
    var_set(&c->v, "rank", g ? rank_text(c, r, p, 1) : util_strdup("–"));
    var_set(&c->v, "clawback_rate", g ? thai_number(p->grade >= 0 ? r->sch->grades[p->grade].rate_bp : 0, 2,
                                                    c->o->thai_digits)
                                      : util_strdup("–"));
    var_set(&c->v, "reserved", money(c, p->reserved_satang));
    var_set(&c->v, "clawback", g ? money(c, p->clawback_satang) : util_strdup("–"));
    var_set(&c->v, "kept", g ? money(c, p->kept_satang) : util_strdup("–"));
    /* the template's sentence on the money is left out for a province without a grade, its reason
     * printed instead ({{not_graded}}); the result block says it too */
    if (g) {
        var_set(&c->v, "clawback_words", thai_money_words(p->clawback_satang));
        var_set(&c->v, "kept_words", thai_money_words(p->kept_satang));
        var_absent(&c->v, "not_graded");
    } else {
        var_absent(&c->v, "clawback_words");
        var_absent(&c->v, "kept_words");
        char *why = ungraded_reason(c, r, p, 0);
        var_set(&c->v, "not_graded", why ? util_format("จังหวัด%s %s", pv->name_th, why) : NULL);
        free(why);
    }
}
/* The row that heads a criterion's parts: its number and wording across
 * the table, kept with its first part. The wording never runs down through
 * the parts' rows (nor across a page break without saying so). */
static void criterion_group_row(rctx *c, const criterion_def *cd, int ncols)
{
    char *no = util_format("%d", cd->number), *nod = no ? digits(c, no) : NULL;
    layout_cell cells[2] = {{nod ? nod : "", ALIGN_CENTER, 1, 1, 1, 0, 1},
                            {cd->label_th, ALIGN_LEFT, 1, 1, ncols - 1, 0, 1}};
    if (!nod || layout_table_row(c->doc, cells, 2))
        c->err = 1;
    free(no);
    free(nod);
}

/* Two figures in one cell, the second in parentheses under the first
 * ("0.0470" over "(0.0344)"); takes both. */
static char *stacked(char *a, char *b)
{
    char *s = a && b ? util_format("%s\n(%s)", a, b) : NULL;
    free(a);
    free(b);
    return s;
}

void block_criteria(rctx *c)
{
    const score_result *r = c->rd->finance;
    const province_result *p = &r->provinces[c->rd->province];
    /* the official style (14 pt) stacks the SD under the mean and the full
     * points under the score: two figure columns fewer, their room to the
     * wording and the target, whose rows are what spend the pages; so do
     * Thai digits, wider than Arabic ones (nine columns of them took the
     * criteria a third landscape page) */
    int stack = c->o->style == REPORT_STYLE_OFFICIAL || c->o->thai_digits, nc = stack ? 7 : 9;
    static const double w9[] = {0, 46, 24, 0, 0, 0, 0, 0, 0}, w7[] = {0, 60, 30, 0, 0, 0, 0};
    /* the figure headings over two lines: no wider than their figures, the room goes to the wording */
    static const char *h9[] = {"ข้อ", "เกณฑ์การประเมิน", "เป้าหมาย", "ผล\nจังหวัด", "ค่าเฉลี่ย\nเขต", "SD", "ช่วง", "คะแนน", "เต็ม"};
    static const char *h7[] = {"ข้อ", "เกณฑ์การประเมิน", "เป้าหมาย", "ผล\nจังหวัด", "ค่าเฉลี่ยเขต\n(SD)", "ช่วง",
                               "คะแนน\n(เต็ม)"};
    if (table_begin(c, stack ? w7 : w9, nc, 11, 1) || layout_table_balance(c->doc)) {
        c->err = 1;
        return;
    }
    header_row(c, stack ? h7 : h9, nc);
    const char *al = stack ? "cllrrcr" : "cllrrrcrr";
    for (size_t i = 0; i < r->sch->ncriteria; i++) {
        const criterion_def *cd = &r->sch->criteria[i];
        const criterion_result *cr = &p->crit[i];
        if (cd->part == 1)
            criterion_group_row(c, cd, nc);
        row_texts t = {0};
        char *no = cd->part ? util_format("%d.%d%s", cd->number, cd->part, cr->incomplete ? " *" : "")
                            : util_format("%d%s", cd->number, cr->incomplete ? " *" : "");
        rt_add(&t, no ? digits(c, no) : NULL);
        free(no);
        /* the parts of a criterion: its wording is the group row above, each part its short label */
        rt_add(&t, util_strdup(cd->part && cd->short_th ? cd->short_th : cd->label_th));
        rt_add(&t, util_strdup(cd->target_th));
        rt_add(&t, cr->has_value ? value_text(c, cr->value, cd->measure) : util_strdup("ไม่มีข้อมูล"));
        /* "–" wherever the JSON has null: no province's value, no SD, no band */
        char *mean = r->crit_n[i] ? value_text(c, cr->mean, cd->measure) : util_strdup("–");
        char *sd = r->crit_sd_defined[i] ? value_text(c, cr->sd, cd->measure) : util_strdup("–");
        if (stack) {
            rt_add(&t, stacked(mean, sd));
        } else {
            rt_add(&t, mean);
            rt_add(&t, sd);
        }
        rt_add(&t, util_strdup(cr->band >= 0 ? export_band(r, cr)
                               : cd->rule == RULE_ZBAND ? "–" : cr->points_cp ? "ผ่าน" : "ไม่ผ่าน"));
        char *pts = cr->undecided ? util_strdup("–") : cp(c, cr->points_cp), *max = cp(c, cd->max_cp);
        if (stack) {
            rt_add(&t, stacked(pts, max));
        } else {
            rt_add(&t, pts);
            rt_add(&t, max);
        }
        add_row(c, &t, al, 0);
    }
    row_texts t = {0};
    rt_add(&t, util_strdup(""));
    rt_add(&t, util_strdup("รวม"));
    for (int i = 0; i < (stack ? 4 : 5); i++)
        rt_add(&t, util_strdup(""));
    char *total = p->ungraded ? util_strdup("–") : cp(c, p->total_cp), *max = cp(c, p->max_cp);
    if (stack) {
        rt_add(&t, stacked(total, max));
    } else {
        rt_add(&t, total);
        rt_add(&t, max);
    }
    add_row(c, &t, al, 1);
    layout_table_end(c->doc);
}

/* What the province still needs for the next grade up, in points of the
 * total: the least total (in hundredths) whose percentage passes the next
 * grade's boundary, exactly as grading compares (total x 10000 > boundary x
 * max, integers). */
static char *next_grade_text(const rctx *c, const score_result *r, const province_result *p)
{
    if (p->ungraded || p->grade <= 0 || p->max_cp <= 0)
        return util_strdup(p->grade == 0 ? "ได้ระดับสูงสุดแล้ว" : "–");
    const grade_def *up = &r->sch->grades[p->grade - 1];
    int64_t need = up->above_x100 * p->max_cp / 10000 + 1 - p->total_cp; /* centipoints */
    if (need < 1)
        need = 1;
    char *n = cp(c, need), *s = n ? util_format("ต้องได้คะแนนรวมเพิ่มอีก %s คะแนน จึงได้ระดับ %s", n, up->grade) : NULL;
    free(n);
    return s;
}

/* The results box, on page 1 of every scorecard: score, percentage, grade,
 * rank, the money in figures and words, and what the next grade needs; a
 * boxed table whose rows are short, so it stays whole. */
void block_result(rctx *c)
{
    const score_result *r = c->rd->finance;
    const province_result *p = &r->provinces[c->rd->province];
    const char *keys[] = {"คะแนนรวม", "ร้อยละ", "ระดับ", "ลำดับในเขต", "เงินส่วนที่กัน", "ดึงเงินกลับ", "คงเหลือ"};
    const char *vals[] = {"total", "percent", "grade", "rank", "reserved", "clawback", "kept"};
    const char *words[] = {NULL, NULL, NULL, NULL, NULL, "clawback_words", "kept_words"};
    static const double w[] = {22, 78};
    int ungraded = p->ungraded;
    if (table_begin(c, w, 2, 14, 0)) {
        c->err = 1;
        return;
    }
    for (int i = 0; i < 7; i++) {
        const char *v = NULL, *wd = NULL;
        for (int k = 0; k < c->v.n; k++) {
            if (!strcmp(c->v.name[k], vals[i]))
                v = c->v.value[k];
            if (words[i] && !strcmp(c->v.name[k], words[i]) && c->v.value[k][0])
                wd = c->v.value[k];
        }
        if (!v)
            continue;
        row_texts t = {0};
        rt_add(&t, util_strdup(keys[i]));
        if (!strcmp(vals[i], "total")) {
            const char *max = NULL;
            for (int k = 0; k < c->v.n; k++)
                if (!strcmp(c->v.name[k], "max_total"))
                    max = c->v.value[k];
            rt_add(&t, util_format("%s จาก %s คะแนน", v, max ? max : ""));
        } else if (ungraded && i >= 5) { /* no grade: no amount, said in words rather than "– บาท" */
            rt_add(&t, util_strdup("ไม่คำนวณ (ไม่จัดระดับ)"));
        } else
            rt_add(&t, i >= 4 ? util_format("%s บาท%s%s%s", v, wd ? " (" : "", wd ? wd : "", wd ? ")" : "")
                              : util_strdup(v));
        add_row(c, &t, "ll", 0);
    }
    row_texts t = {0};
    /* why there is no grade, where the grade and the money are; else what the next grade needs */
    rt_add(&t, util_strdup(ungraded ? "เหตุผล" : "ระดับถัดไป"));
    rt_add(&t, ungraded ? ungraded_reason(c, r, p, 1) : next_grade_text(c, r, p));
    add_row(c, &t, "ll", 0);
    if (layout_table_end(c->doc) || layout_spacer(c->doc, 8))
        c->err = 1;
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
        *value = value_text(c, x, M_NWC_RATIO);
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
        if (!h->opd_ok) { /* decided exactly by the scoring, not by these doubles */
            char *o = num(c, h->opd_unit_cost, 2), *m = num(c, h->opd_median, 2);
            sb_printf(&sb, "ผู้ป่วยนอก %s บาทต่อครั้ง (ค่ากลาง %s)", o ? o : "", m ? m : "");
            free(o);
            free(m);
        }
        if (!h->ipd_ok) {
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
        /* risk levels keep their Arabic digits in every style, as "ระดับ 4–7"
         * does; "ระดับ" before each, so neither reads as a count */
        *value = h->risk_end < 0 ? util_format("ระดับ %d เมื่อต้นช่วง, - เมื่อสิ้นช่วง", h->risk_start)
                                 : util_format("ระดับ %d เมื่อต้นช่วง, ระดับ %d เมื่อสิ้นช่วง", h->risk_start, h->risk_end);
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
    char *pv = value_text(c, v, cd->measure), *m = num(c, mean, measure_decimals(cd->measure)), *pass = thai_number(s->tb_pass_x100, 2, c->o->thai_digits);
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

void block_hospitals(rctx *c)
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
