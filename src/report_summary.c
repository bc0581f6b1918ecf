/* report_summary: the region summary: its placeholders, the points of every
 * province (wide, or by criterion in the official style), the money table
 * and the chart of scores with the grade lines. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "util.h"

void summary_vars(rctx *c)
{
    const score_result *r = c->rd->finance;
    int64_t total = 0;
    int ungraded = ungraded_count(r);
    for (size_t i = 0; i < r->nprovinces; i++)
        total += r->provinces[i].ungraded ? 0 : r->provinces[i].clawback_satang;
    /* no province graded: no total to print (its sentence is left out); the note says why */
    if (ungraded < (int)r->nprovinces) {
        var_set(&c->v, "clawback_total", money(c, total));
        var_set(&c->v, "clawback_total_words", thai_money_words(total));
    } else {
        var_absent(&c->v, "clawback_total");
        var_absent(&c->v, "clawback_total_words");
    }
    if (ungraded) {
        char *note = ungraded_note(c, r);
        var_set(&c->v, "not_graded",
                !note ? NULL
                : ungraded < (int)r->nprovinces ? util_format("%s (ไม่รวมอยู่ในยอดดึงเงินกลับและคงเหลือข้างต้น)", note)
                                                : util_strdup(note));
        free(note);
    } else {
        var_absent(&c->v, "not_graded");
    }
}

/* A province's points in a criterion: "–" where the criterion has no band for it. */
static char *points_cell(const rctx *c, const criterion_result *cr)
{
    if (cr->undecided)
        return util_strdup("–");
    char *pts = cp(c, cr->points_cp), *s = !pts ? NULL : cr->incomplete ? util_format("%s *", pts) : util_strdup(pts);
    free(pts);
    return s;
}

static void summary_wide(rctx *c);
static void summary_by_criterion(rctx *c);

/* The points of every province: one row a province, the criteria across
 * (14 columns for the Region 8 scheme); in the official style, whose tables
 * are never below 14 pt, the criteria go down and the provinces across, so
 * the table fits the page at that size. */
void block_summary(rctx *c)
{
    if (c->o->style == REPORT_STYLE_OFFICIAL)
        summary_by_criterion(c);
    else
        summary_wide(c);
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
 * under its own heading each province's percentage, grade and rank. */
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
            rt_add(&t, points_cell(c, &r->provinces[p].crit[i]));
        }
        add_row(c, &t, al, 0);
    }
    row_texts t = {0};
    rt_add(&t, util_strdup("รวม"));
    rt_add(&t, cp(c, np ? r->provinces[0].max_cp : 0));
    for (int p = 0; p < np; p++)
        rt_add(&t, r->provinces[p].ungraded ? util_strdup("–") : cp(c, r->provinces[p].total_cp));
    add_row(c, &t, al, 1);
    /* the second table under a heading of its own: on the page after the first (whose rows fill a
     * landscape page) it opened the page untitled, read as a fragment of the first */
    if (layout_table_end(c->doc) || layout_heading(c->doc, 3, "ผลการประเมินรายจังหวัด"))
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
        rt_add(&t, r->provinces[p].ungraded ? util_strdup("–")
                                           : thai_number(r->provinces[p].percent_x100, 2, c->o->thai_digits));
    add_row(c, &t, al, 0);
    rt_add(&t, util_strdup("ระดับ"));
    for (int p = 0; p < np; p++)
        rt_add(&t, util_strdup(grade_cell(r, &r->provinces[p])));
    add_row(c, &t, al, 0);
    rt_add(&t, util_strdup("ลำดับ"));
    for (int p = 0; p < np; p++)
        rt_add(&t, r->provinces[p].ungraded ? util_strdup("–") : rank_text(c, r, &r->provinces[p], 2));
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
        for (int i = 0; i < nc; i++)
            rt_add(&t, points_cell(c, &pr->crit[i]));
        int g = !pr->ungraded;
        rt_add(&t, g ? cp(c, pr->total_cp) : util_strdup("–"));
        rt_add(&t, g ? thai_number(pr->percent_x100, 2, c->o->thai_digits) : util_strdup("–"));
        rt_add(&t, util_strdup(grade_cell(r, pr)));
        rt_add(&t, g ? rank_text(c, r, pr, 2) : util_strdup("–"));
        add_row(c, &t, al, 0);
    }
    layout_table_end(c->doc);
}

void block_money(rctx *c)
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
    int graded = 0;
    for (size_t p = 0; p < r->nprovinces; p++) {
        const province_result *pr = &r->provinces[p];
        row_texts t = {0};
        /* no grade: no rate and no amount, "–" (the note under the table says why) */
        int g = !pr->ungraded;
        rt_add(&t, util_strdup(r->ds->provinces[pr->province].name_th));
        rt_add(&t, util_strdup(grade_cell(r, pr)));
        rt_add(&t, money(c, pr->reserved_satang));
        rt_add(&t, !g ? util_strdup("–")
                      : thai_number(pr->grade >= 0 ? r->sch->grades[pr->grade].rate_bp : 0, 2, c->o->thai_digits));
        rt_add(&t, g ? money(c, pr->clawback_satang) : util_strdup("–"));
        rt_add(&t, g ? money(c, pr->kept_satang) : util_strdup("–"));
        sums[0] += pr->reserved_satang;
        sums[1] += g ? pr->clawback_satang : 0;
        sums[2] += g ? pr->kept_satang : 0;
        graded += g;
        add_row(c, &t, "lcrrrr", 0);
    }
    row_texts t = {0};
    rt_add(&t, util_strdup("รวม"));
    rt_add(&t, util_strdup(""));
    rt_add(&t, money(c, sums[0]));
    rt_add(&t, util_strdup(""));
    rt_add(&t, graded ? money(c, sums[1]) : util_strdup("–"));
    rt_add(&t, graded ? money(c, sums[2]) : util_strdup("–"));
    add_row(c, &t, "lcrrrr", 1);
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

void block_chart_scores(rctx *c)
{
    const score_result *r = c->rd->finance;
    int n = (int)r->nprovinces;
    const char **labels = malloc(((size_t)n + 1) * sizeof *labels);
    double *vals = calloc((size_t)n + 1, sizeof *vals), *shade = malloc(((size_t)n + 1) * sizeof *shade);
    if (!labels || !vals || !shade) {
        c->err = 1;
        free(labels);
        free(vals);
        free(shade);
        return;
    }
    /* a province without a grade has no percentage to draw */
    int all = n;
    n = 0;
    for (int i = 0; i < all; i++) {
        const province_result *p = &r->provinces[i];
        if (p->ungraded)
            continue;
        labels[n] = r->ds->provinces[p->province].name_th;
        vals[n] = (double)p->percent_x100 / 100;
        shade[n++] = 0.25 + 0.6 * (double)(p->grade < 0 ? 0 : p->grade) / (double)(r->sch->ngrades ? r->sch->ngrades : 1);
    }
    if (!n) {
        if (layout_paragraph(c->doc, "ไม่มีแผนภูมิร้อยละของคะแนนรวม: ไม่มีจังหวัดที่จัดระดับได้ (ดูเหตุผลข้างต้น)",
                             (layout_style){14, 0, ALIGN_LEFT, 0, 6, {0.3, 0.3, 0.3}}))
            c->err = 1;
        free(labels);
        free(vals);
        free(shade);
        return;
    }
    /* one province under the sample SD: no SD ("–", as the JSON's null), no band drawn; the band is the
     * scheme's, Mean ± k·SD of band_k (as its criteria are scored), its limits printed */
    int sd_ok = n >= (r->sch->sd_sample ? 2 : 1);
    double mean = score_mean(vals, (size_t)n), sd = sd_ok ? score_sd(vals, (size_t)n, r->sch->sd_sample) : 0;
    double k = r->sch->band_k, lo = mean - k * sd, hi = mean + k * sd;
    char *m = num(c, mean, 2), *s = sd_ok ? num(c, sd, 2) : util_strdup("–"), *band = scheme_band_name(r->sch, 0);
    char *l = sd_ok ? num(c, lo, 2) : NULL, *h = sd_ok ? num(c, hi, 2) : NULL;
    char *limits = l && h ? util_format(" = %s – %s", l, h) : util_strdup("");
    if (!m || !s || !band || !limits)
        c->err = 1;
    char *legend = util_format("เส้นประ: ค่าเฉลี่ยของเขต %s  แถบสีเทา: %s%s (SD = %s)  "
                               "เส้นจุด: เส้นแบ่งระดับตามเกณฑ์การจัดระดับ (ได้ระดับนั้นเมื่อร้อยละมากกว่าค่าของเส้น)  "
                               "สีแท่ง: ยิ่งเข้มยิ่งได้ระดับสูง",
                               m ? m : "", band ? band : "", limits ? limits : "", s ? s : "");
    if (!legend || layout_bar_chart(c->doc, "ร้อยละของคะแนนรวมรายจังหวัด", labels, vals, shade, n, mean, k * sd, 100,
                                    legend) ||
        grade_lines(c, r->sch))
        c->err = 1;
    free(m);
    free(s);
    free(band);
    free(l);
    free(h);
    free(limits);
    free(legend);
    free(labels);
    free(vals);
    free(shade);
}
