/* report_kpi: the inspection report (ตรวจราชการ, KPI): its placeholders, the result
 * against target, the Small Success stages, the KPI lines of work, CMI by
 * level, by hospital and by province, and the notes. */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "inspection.h"
#include "util.h"

static void kpi_cmi_counts(const score_result *r, long province, int *n, int *pass);

/* CMI counts cover the KPI's levels (kpi_levels of the scheme, e.g. A-F2). */
void kpi_vars(rctx *c)
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
    /* the two counts as sentences: a count of none says so, not
     * "0 แห่ง จาก 0 แห่ง (ร้อยละ -)" (a region without community hospitals in
     * its list, Bangkok's) */
    char *lv = kpi_levels_text(r), *num = integer(c, pass), *of = integer(c, n), *pct = pct_text(c, pass, n);
    var_set(&c->v, "cmi_result",
            !lv || !num || !of || !pct ? NULL
            : n ? util_format("โรงพยาบาลระดับ %s ผ่านเกณฑ์ CMI ทั้งเขต %s แห่ง จาก %s แห่ง (ร้อยละ %s)", lv, num, of, pct)
                : util_format("ไม่มีโรงพยาบาลระดับ %s ที่มีข้อมูล CMI จึงไม่มีผลเทียบเกณฑ์ CMI", lv));
    free(num);
    free(of);
    free(pct);
    num = integer(c, r->community_ha), of = integer(c, r->community), pct = pct_text(c, r->community_ha, r->community);
    var_set(&c->v, "ha_result",
            !num || !of || !pct ? NULL
            : r->community ? util_format("โรงพยาบาลชุมชนผ่านการรับรอง HA %s แห่ง จาก %s แห่ง (ร้อยละ %s)", num, of, pct)
                           : util_strdup("รายชื่อโรงพยาบาลของเขตไม่มีโรงพยาบาลชุมชน (ระดับ M2–F3) จึงไม่มีผลการรับรอง HA "
                                         "ของโรงพยาบาลชุมชน"));
    free(lv);
    free(num);
    free(of);
    free(pct);
}
/* The Small Success stage (3, 6, 9 or 12 months) a narrative's milestone
 * ("6 เดือน") names; 0 when it names none of them. */
static int milestone_months(const char *ms)
{
    int m = atoi(ms);
    return m == 3 || m == 6 || m == 9 || m == 12 ? m : 0;
}

/* A stage's heading under its line of work: a subheading (level 2). */
static void kpi_group_row(rctx *c, const char *text, int shade)
{
    char *t = digits(c, text);
    layout_cell g[3] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0}, {"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                        {t ? t : "", ALIGN_LEFT, 1, shade, 2, 0, 2}};
    if (!t || layout_table_row(c->doc, g, 3))
        c->err = 1;
    free(t);
}

static void kpi_component_row(rctx *c, const kpi_row *k)
{
    char *comp = util_format("%d. %s", k->component_no, k->component);
    char *compd = comp ? digits(c, comp) : NULL;
    layout_cell cells[4] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                            {"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                            {compd ? compd : "", ALIGN_LEFT, 0, 0, 1, 0, 0},
                            {k->activity, ALIGN_LEFT, 0, 0, 1, 0, 0}};
    if (!compd || layout_table_row(c->doc, cells, 4))
        c->err = 1;
    free(comp);
    free(compd);
}

/* One line of work (its rows of kpi.csv from `first` on): what was done at
 * each stage up to the report's own (issue 20: not only the 3-month
 * narratives), a stage without a narrative said to be so, on the page and
 * as a warning; then rows whose milestone names no stage, under their own
 * text. Rows of later stages are not yet due and left out. */
static void kpi_line(rctx *c, const dataset *ds, size_t first, int now)
{
    const kpi_row *k0 = &ds->kpi[first];
#define SAME_LINE(k) ((k)->region == k0->region && !strcmp((k)->kpi, k0->kpi) && !strcmp((k)->line_of_work, k0->line_of_work))
    for (int s = 3; s <= now && !c->err; s += 3) {
        char *h = util_format("Small Success %d เดือน", s);
        if (!h) {
            c->err = 1;
            return;
        }
        kpi_group_row(c, h, 0);
        free(h);
        int n = 0;
        for (size_t i = first; i < ds->nkpi && !c->err; i++)
            if (SAME_LINE(&ds->kpi[i]) && milestone_months(ds->kpi[i].milestone) == s) {
                kpi_component_row(c, &ds->kpi[i]);
                n++;
            }
        if (!n) {
            layout_cell none[3] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0}, {"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                                   {"ไม่ได้รายงานการดำเนินงานของระยะนี้", ALIGN_LEFT, 0, 0, 2, 0, 0}};
            if (layout_table_row(c->doc, none, 3))
                c->err = 1;
            diag_add(c->d, DIAG_WARNING, "kpi.csv", 0, 0,
                     "'%s' has no narrative for the %d-month stage, which the report reaches: the report says "
                     "so (add rows with milestone '%d เดือน')", k0->line_of_work, s, s);
        }
    }
    for (size_t i = first; i < ds->nkpi && !c->err; i++)
        if (SAME_LINE(&ds->kpi[i]) && !milestone_months(ds->kpi[i].milestone)) {
            char *h = util_format("Small Success %s", ds->kpi[i].milestone);
            if (!h) {
                c->err = 1;
                return;
            }
            kpi_group_row(c, h, 0);
            free(h);
            kpi_component_row(c, &ds->kpi[i]);
        }
#undef SAME_LINE
}

void block_kpi(rctx *c)
{
    const score_result *r = c->rd->kpi;
    const dataset *ds = r->ds;
    int now = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month);
    /* the narrative column the widest (issue 20): at 40 % a line of work's first row, ten lines of narrative,
     * went whole to the next page and left the official style's p6 39 % full; at 47 % the Thai-digit report's
     * narratives take the modern one's lines (at 45 % two wrapped once more, "๒๕๖๔", "๑.๖ ๒.", and it took a
     * page more: review finding 3); the indicator and target give the width, flowing down their rows as one
     * paragraph; the issue column keeps 27 % so that section 3's first row fits under its heading on p3. A
     * table of narratives: a row of six lines or more splits where it stands (review finding 5) */
    static const double w[] = {14, 12, 27, 47};
    if (table_begin(c, w, 4, 12, 1) || layout_table_split_tall(c->doc)) {
        c->err = 1;
        return;
    }
    const char *h[] = {"ตัวชี้วัด", "เป้าหมาย", "ประเด็น / องค์ประกอบ", "คำอธิบาย (ระบุกิจกรรมที่ดำเนินการ)"};
    header_row(c, h, 4);
    const char *prev_kpi = NULL;
    for (size_t i = 0; i < ds->nkpi && !c->err; i++) {
        const kpi_row *k = &ds->kpi[i];
        if (k->region != r->region)
            continue;
        int seen = 0; /* each line of work once, where it first appears */
        for (size_t j = 0; j < i && !seen; j++)
            seen = ds->kpi[j].region == k->region && !strcmp(ds->kpi[j].kpi, k->kpi) &&
                   !strcmp(ds->kpi[j].line_of_work, k->line_of_work);
        if (seen)
            continue;
        int same_kpi = prev_kpi && !strcmp(prev_kpi, k->kpi);
        char *name = level_range_dashes(k->line_of_work); /* "A–F2", as the documents print the levels */
        layout_cell lw[3] = {{same_kpi ? "" : k->indicator, ALIGN_LEFT, 0, 0, 1, same_kpi, 0},
                             {same_kpi ? "" : k->target, ALIGN_LEFT, 0, 0, 1, same_kpi, 0},
                             {name ? name : "", ALIGN_LEFT, 1, 1, 2, 0, 1}};
        if (!name || layout_table_row(c->doc, lw, 3))
            c->err = 1;
        free(name);
        kpi_line(c, ds, i, now);
        prev_kpi = k->kpi;
    }
    layout_table_end(c->doc);
}


/* ------------------------------------------------------------------ */
/* The inspection report (ตรวจราชการ): result against target, Small     */
/* Success stages, CMI by quarter against the previous year, notes     */

static int kpi_level(const score_result *r, hosp_level l) { return l >= r->sch->kpi_level_lo && l <= r->sch->kpi_level_hi; }

/* CMI pass counts over the KPI's levels, for the region (province < 0) or
 * one province: scoring's counts, the one definition every document and
 * export prints. */
static void kpi_cmi_counts(const score_result *r, long province, int *n, int *pass)
{
    *n = r->cmi_hospitals;
    *pass = r->cmi_pass;
    for (size_t p = 0; province >= 0 && p < r->nprovinces; p++)
        if (r->provinces[p].province == (size_t)province) {
            *n = r->provinces[p].cmi_hospitals;
            *pass = r->provinces[p].cmi_pass;
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

void inspection_vars(rctx *c)
{
    const score_result *r = c->rd->kpi;
    int stage = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month);
    var_set(&c->v, "round", plain_int(c, inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month)));
    var_set(&c->v, "stage", plain_int(c, stage));
    var_set(&c->v, "kpi_levels", kpi_levels_text(r));
    var_set(&c->v, "kpi_number", util_strdup(kpi_number(r) ? kpi_number(r) : "-"));
}

/* The region's own result: KPI 66 counts health regions (its target is a
 * share of the regions), so what this report settles is whether this region
 * passes, by the scheme's rule (region_pass_lines: the share of the lines of
 * work that must pass the stage of the report). 1 pass, 0 not, -1 no stages. */
static int region_passes(const score_result *r, int stage, int *passed, int *lines)
{
    int cnt[4];
    stage_counts(r, stage, cnt, lines);
    *passed = cnt[STAGE_PASS];
    if (!*lines)
        return -1;
    return (int64_t)*passed * 10000 >= r->sch->region_pass_bp * (int64_t)*lines;
}

/* The headline: the region's ผ่าน/ไม่ผ่าน and the rule that decides it. */
static void kpi_headline(rctx *c, int stage)
{
    const score_result *r = c->rd->kpi;
    int passed, lines, res = region_passes(r, stage, &passed, &lines);
    const char *kpi = kpi_number(r);
    char *head = util_format("ผลของเขตสุขภาพที่ %d%s%s: %s", r->region, kpi ? " ตัวชี้วัดที่ " : "", kpi ? kpi : "",
                             res < 0 ? "ยังตัดสินไม่ได้ (ไม่มีข้อมูล Small Success)" : res ? "ผ่าน" : "ไม่ผ่าน");
    char *share = thai_number(r->sch->region_pass_bp % 100 ? r->sch->region_pass_bp : r->sch->region_pass_bp / 100,
                              r->sch->region_pass_bp % 100 ? 2 : 0, c->o->thai_digits);
    char *rule = share ? util_format("เกณฑ์ตัดสิน: เขตสุขภาพผ่านเมื่อประเด็นที่ผ่าน Small Success ระยะ %d เดือน "
                                     "มีไม่น้อยกว่าร้อยละ %s ของประเด็นทั้งหมด (ตามเกณฑ์ของตัวชี้วัด%s%s)%s "
                                     "ตัวชี้วัดนับจำนวนเขตสุขภาพที่ผ่าน ผลของเขตนี้นับเป็นหนึ่งเขตในเป้าหมายระดับประเทศ",
                                     stage, share, kpi ? "ที่ " : "", kpi ? kpi : "",
                                     r->sch->assumed & ASSUMED_REGION_PASS ? " (ประกาศมิได้ระบุ)" : "")
                       : NULL;
    char *hd = head ? digits(c, head) : NULL, *rd = rule ? digits(c, rule) : NULL;
    /* bold at the body's size: never larger than the section heading above it (17 pt; it was 18) */
    layout_style lead = {16, 1, ALIGN_LEFT, 0, 4, {0, 0, 0}};
    if (!hd || !rd || layout_paragraph(c->doc, hd, lead) || layout_paragraph(c->doc, rd, disclosure(c)))
        c->err = 1;
    free(head);
    free(share);
    free(rule);
    free(hd);
    free(rd);
}

/* Result against target: the region's ผ่าน/ไม่ผ่าน, then what supports it:
 * the lines of work at the stage that applies, CMI over the KPI's levels,
 * HA of community hospitals. */
void block_kpi_result(rctx *c)
{
    const score_result *r = c->rd->kpi;
    int stage = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month), lines, passed, n, pass;
    kpi_headline(c, stage);
    static const double w[] = {30, 24, 0, 0, 0, 22};
    static const char *h[] = {"ข้อมูลประกอบ", "เป้าหมาย", "ผลงาน", "จาก", "ร้อยละ", "ผลการประเมิน"};
    /* balanced: the fewest lines, so that the table stays on page 1 under its headline */
    if (c->err || table_begin(c, w, 6, 14, 1) || layout_table_balance(c->doc)) {
        c->err = 1;
        return;
    }
    header_row(c, h, 6);
    int res = region_passes(r, stage, &passed, &lines);
    row_texts t = {0};
    char *what = util_format("ประเด็นที่ผ่าน Small Success ระยะ %d เดือน", stage);
    rt_add(&t, what ? digits(c, what) : NULL);
    free(what);
    char *share = thai_number(r->sch->region_pass_bp % 100 ? r->sch->region_pass_bp : r->sch->region_pass_bp / 100,
                              r->sch->region_pass_bp % 100 ? 2 : 0, c->o->thai_digits);
    rt_add(&t, share ? util_format("ไม่น้อยกว่าร้อยละ %s ของประเด็น", share) : NULL);
    free(share);
    rt_add(&t, lines ? integer(c, passed) : util_strdup("-"));
    rt_add(&t, lines ? integer(c, lines) : util_strdup("-"));
    rt_add(&t, pct_text(c, passed, lines));
    rt_add(&t, util_strdup(res < 0 ? "ไม่มีข้อมูล Small Success" : res ? "ผ่าน" : "ไม่ผ่าน"));
    add_row(c, &t, "llrrrl", 0);
    if (stage > 6) { /* round 2: beside round 1's result (its last stage, 6 months), by the same rule */
        int p6, l6, r6 = region_passes(r, 6, &p6, &l6);
        rt_add(&t, digits(c, "เทียบกับรอบที่ 1: ประเด็นที่ผ่าน Small Success ระยะ 6 เดือน"));
        rt_add(&t, util_strdup("ตามเกณฑ์เดียวกัน"));
        rt_add(&t, l6 ? integer(c, p6) : util_strdup("-"));
        rt_add(&t, l6 ? integer(c, l6) : util_strdup("-"));
        rt_add(&t, pct_text(c, p6, l6));
        rt_add(&t, util_strdup(r6 < 0 ? "ไม่มีข้อมูล Small Success" : r6 ? "ผ่าน (รอบที่ 1)" : "ไม่ผ่าน (รอบที่ 1)"));
        add_row(c, &t, "llrrrl", 0);
    }
    kpi_cmi_counts(r, -1, &n, &pass);
    char *lv = kpi_levels_text(r);
    what = lv ? util_format("โรงพยาบาลระดับ %s ที่ค่า CMI ผ่านเกณฑ์ตามระดับ", lv) : NULL;
    rt_add(&t, what);
    rt_add(&t, digits(c, "ตามเกณฑ์ CMI รายระดับ (หัวข้อ 4)"));
    rt_add(&t, integer(c, pass));
    rt_add(&t, integer(c, n));
    rt_add(&t, pct_text(c, pass, n));
    rt_add(&t, util_strdup(n ? "ไม่ได้กำหนดร้อยละเป้าหมาย" : "ไม่มีโรงพยาบาลที่มีข้อมูล CMI"));
    add_row(c, &t, "llrrrl", 0);
    free(lv);
    rt_add(&t, util_strdup("โรงพยาบาลชุมชน (M2–F3) ผ่านการรับรอง HA"));
    rt_add(&t, util_strdup("โรงพยาบาลชุมชนผ่าน HA"));
    rt_add(&t, integer(c, r->community_ha));
    rt_add(&t, integer(c, r->community));
    rt_add(&t, pct_text(c, r->community_ha, r->community));
    rt_add(&t, util_strdup(r->community ? "ไม่ได้กำหนดร้อยละเป้าหมาย" : "ไม่มีโรงพยาบาลชุมชนในรายชื่อของเขต"));
    add_row(c, &t, "llrrrl", 0);
    layout_table_end(c->doc);
}

/* The components a stage goal names, "(องค์ประกอบ 1–4)" or "(องค์ประกอบ 3)";
 * 0 when it names none. */
static int goal_components(const char *goal, int *lo, int *hi)
{
    const char *p = strstr(goal, "องค์ประกอบ ");
    if (!p)
        return 0;
    p += strlen("องค์ประกอบ ");
    char *end;
    long a = strtol(p, &end, 10), b = a;
    if (end == p)
        return 0;
    if (!strncmp(end, "–", strlen("–")) || *end == '-')
        b = strtol(end + (*end == '-' ? 1 : strlen("–")), NULL, 10);
    *lo = (int)a;
    *hi = (int)(b < a ? a : b);
    return 1;
}

/* A stage goal that names fewer components than the narrative (kpi.csv)
 * describes for the same stage contradicts it: the inspector would send the
 * report back. Said as a warning, once per line of work. */
static void check_stage_goals(rctx *c)
{
    const score_result *r = c->rd->kpi;
    const inspection *in = insp(r);
    const dataset *ds = r->ds;
    for (size_t i = 0; in && i < in->nstages; i++) {
        const kpi_stage *st = &in->stages[i];
        int lo, hi, worst = 0;
        if (st->region != r->region || !goal_components(st->goal, &lo, &hi))
            continue;
        for (size_t k = 0; k < ds->nkpi; k++) {
            const kpi_row *kr = &ds->kpi[k];
            if (kr->region != st->region || strcmp(kr->kpi, st->kpi) || strcmp(kr->line_of_work, st->line_of_work) ||
                atoi(kr->milestone) != st->months)
                continue;
            if ((kr->component_no < lo || kr->component_no > hi) && kr->component_no > worst)
                worst = kr->component_no;
        }
        if (worst)
            diag_add(c->d, DIAG_WARNING, "kpi_stages.csv", 0, 0,
                     "the %d-month goal of '%s' names components %d-%d, but the narrative of the same stage "
                     "(kpi.csv) describes component %d: one of them is wrong",
                     st->months, st->line_of_work, lo, hi, worst);
    }
}

/* Small Success: one row per line of work, one column per stage; each cell
 * what the stage asks and its status; the stage the data reach is shaded
 * and marked in its heading. */
void block_small_success(rctx *c)
{
    const score_result *r = c->rd->kpi;
    const inspection *in = insp(r);
    const char *kpi = kpi_number(r);
    int now = inspection_stage_for_month(r->last_month < 0 ? 0 : r->last_month);
    check_stage_goals(c);
    static const double w[] = {19, 20, 20, 20, 21};
    if (table_begin(c, w, 5, 14, 1) || layout_table_balance(c->doc)) {
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
        char *name = level_range_dashes(st->line_of_work[0] == '-' ? st->line_of_work + 2 : st->line_of_work);
        char *cell[5] = {name ? digits(c, name) : NULL}; /* "A–F2", as the documents print the levels */
        free(name);
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
/* "ไตรมาส" over its number: the heading no wider than the figures under it,
 * so that the hospital table keeps the official style's 14 pt */
static const char *const cmi_quarter_head[] = {"ไตรมาส\n1", "ไตรมาส\n2", "ไตรมาส\n3", "ไตรมาส\n4"};

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
    h[n++] = "ผลต่าง";
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
void block_cmi_levels(rctx *c)
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

void block_notes_problems(rctx *c) { notes_block(c, NOTE_PROBLEM); }
void block_notes_suggestions(rctx *c) { notes_block(c, NOTE_SUGGESTION); }
void block_notes_good(rctx *c) { notes_block(c, NOTE_GOOD_PRACTICE); }

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
void block_cmi(rctx *c)
{
    const score_result *r = c->rd->kpi;
    /* figures fitted to their widest cell (headings wrap between words),
     * the names the rest: no figure is ever cut, no name torn; the province
     * follows the name in its cell, so that the official 14 pt fits */
    static const double w[] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const char *const lead[] = {"รหัส", "โรงพยาบาล (จังหวัด)", "เกณฑ์"};
    /* (4.5 pt either side of each cell's text: at 3 the fitted figures and "ไม่ผ่าน" read 1 pt from the rules) */
    if (table_begin(c, w, 11, 14, 1) || layout_table_padding(c->doc, 4.5)) {
        c->err = 1;
        return;
    }
    cmi_head(c, lead, 3, "ผล");
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
                layout_cell g[1] = {{td ? td : "", ALIGN_LEFT, 1, 1, 11, 0, 1}};
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
            rt_add(&t, util_format("%s (%s)", short_hospital_name(hd->name_th), r->ds->provinces[hd->province].name_th));
            rt_add(&t, hr->cmi_target_x1000 ? thai_number(hr->cmi_target_x1000 / 100, 1, c->o->thai_digits)
                                            : util_strdup("-"));
            cmi_cells(c, r, &s, &t);
            rt_add(&t, util_strdup(!hr->cmi_target_x1000 || !hr->has_cmi ? "-" : hr->cmi_pass ? "ผ่าน" : "ไม่ผ่าน"));
            add_row(c, &t, "llrrrrrrrrc", 0);
        }
    }
    layout_table_end(c->doc);
}

/* Pass shares per level and per province, over the KPI's levels; the rows
 * and totals say which levels they cover. */
void block_cmi_summary(rctx *c)
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
    /* a province with no hospital in a share's scope: "–" for its counts and share (not "0 / 0 -"), the
     * reason in a note under the table; the JSON's counts are 0 and 0 (cmi.hospitals, cmi.community) */
    strbuf nocmi = {0}, noha = {0};
    if (!ok || table_begin(c, w, 6, 14, 1)) {
        c->err = 1;
    } else {
        header_row(c, (const char *const *)hd, 6);
        for (size_t p = 0; p <= r->nprovinces; p++) {
            int last = p == r->nprovinces, n, pass;
            const province_result *pr = last ? NULL : &r->provinces[p];
            kpi_cmi_counts(r, last ? -1 : (long)pr->province, &n, &pass);
            row_texts t = {0};
            const char *pname = last ? NULL : r->ds->provinces[pr->province].name_th;
            char *name = last ? util_format("ทั้งเขตสุขภาพที่ %d", r->region) : util_format("%s", pname);
            rt_add(&t, name ? digits(c, name) : NULL);
            free(name);
            int cm = last ? r->community : pr->community, ha = last ? r->community_ha : pr->community_ha;
            rt_add(&t, n ? integer(c, n) : util_strdup("–"));
            rt_add(&t, n ? integer(c, pass) : util_strdup("–"));
            rt_add(&t, n ? pct_text(c, pass, n) : util_strdup("–"));
            char *a = integer(c, ha), *b = integer(c, cm);
            rt_add(&t, !cm ? util_strdup("–") : a && b ? util_format("%s / %s", a, b) : NULL);
            free(a);
            free(b);
            rt_add(&t, cm ? pct_text(c, ha, cm) : util_strdup("–"));
            add_row(c, &t, "lrrrrr", last);
            /* (the region's own row: the sentences under the table say why) */
            if (!last && !n)
                sb_printf(&nocmi, "%s%s", nocmi.len ? ", " : "", pname);
            if (!last && !cm)
                sb_printf(&noha, "%s%s", noha.len ? ", " : "", pname);
        }
        layout_table_end(c->doc);
    }
    char *p1 = sb_finish(&nocmi), *p2 = sb_finish(&noha);
    if (!p1 || !p2)
        c->err = 1;
    else
        out_of_scope_note(c, p1, lv, p2);
    free(p1);
    free(p2);
    free(h1);
    free(lv);
    for (int i = 0; i < 6; i++)
        free(hd[i]);
}

/* ผู้รายงาน of the ตก. form: name, position, phone and e-mail (contacts.csv). */
/* A line's space above it: right under item 8's notes it read as one of them (issue 20 page review). */
void block_reporter(rctx *c)
{
    const score_result *k = c->rd->kpi;
    if (inspection_contact(k->ds->insp, k->region, "kpi") && layout_spacer(c->doc, 16))
        c->err = 1;
    contact_line(c, "kpi", "ผู้รายงาน");
}
