/* report_ungraded: what the documents print for a province that is not
 * graded (issue 28: a region with too few provinces for the SD, Region 13
 * above all): the reason, in Thai, where the grade and the money would be,
 * and "–" in every cell that would hold a band, points, grade, rank or
 * amount. Scoring decides who is ungraded (province_result.ungraded); this
 * file only says it. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "util.h"

/* The criteria of province p left without a band, "2, 3, 9.2", and the
 * fewest and most provinces with data among them. */
static char *undecided_list(const rctx *c, const score_result *r, const province_result *p, size_t *lo, size_t *hi)
{
    strbuf b = {0};
    *lo = (size_t)-1, *hi = 0;
    for (size_t i = 0, n = 0; i < r->sch->ncriteria; i++) {
        if (!p->crit[i].undecided)
            continue;
        const criterion_def *cd = &r->sch->criteria[i];
        sb_printf(&b, cd->part ? "%s%d.%d" : "%s%d", n++ ? ", " : "", cd->number, cd->part);
        if (r->crit_n[i] < *lo)
            *lo = r->crit_n[i];
        if (r->crit_n[i] > *hi)
            *hi = r->crit_n[i];
    }
    char *list = sb_finish(&b), *out = list ? digits(c, list) : NULL;
    free(list);
    return out;
}

/* Why province p has no grade; `brief` (the scorecard's results box) leaves
 * out what follows from it. */
char *ungraded_reason(const rctx *c, const score_result *r, const province_result *p, int brief)
{
    size_t lo, hi;
    const scheme *s = r->sch;
    int need = score_min_provinces(s), sd_needs = s->sd_sample ? 2 : 1;
    char *list = undecided_list(c, r, p, &lo, &hi);
    char *n = integer(c, (long)(hi ? hi : 0)), *k = integer(c, need), *band = scheme_band_name(s, 0);
    char *why = !n || !k || !band ? NULL
                : need > sd_needs ? util_format("แต่เกณฑ์กำหนดให้ต้องมีอย่างน้อย %s จังหวัด", k)
                : util_format("แต่ SD แบบ%sต้องใช้อย่างน้อย %s จังหวัด", s->sd_sample ? "ตัวอย่าง" : "ประชากร", k);
    char *out = !list || !why ? NULL
                : brief ? util_format("เกณฑ์ข้อ %s มีจังหวัดในเขตที่มีข้อมูล%s %s จังหวัด %s จึงคำนวณช่วง %s ไม่ได้",
                                      list, lo == hi ? "เพียง" : "ไม่เกิน", n, why, band)
                : util_format("ไม่จัดระดับ ไม่จัดลำดับ และไม่คำนวณเงินดึงกลับ: เกณฑ์ข้อ %s มีจังหวัดในเขตที่มีข้อมูล%s %s "
                              "จังหวัด %s จึงคำนวณช่วง %s ไม่ได้ และเกณฑ์ไม่ได้กำหนดว่าให้คะแนนอย่างไรในกรณีนี้",
                              list, lo == hi ? "เพียง" : "ไม่เกิน", n, why, band);
    free(list);
    free(n);
    free(k);
    free(why);
    free(band);
    return out;
}

int ungraded_count(const score_result *r)
{
    int n = 0;
    for (size_t i = 0; i < r->nprovinces; i++)
        n += r->provinces[i].ungraded != 0;
    return n;
}

/* The summary's note: each ungraded province by name with its reason;
 * provinces with the same reason share one sentence ("ทุกจังหวัดในเขต" when
 * that is every province of two or more). */
char *ungraded_note(const rctx *c, const score_result *r)
{
    strbuf b = {0};
    char **why = calloc(r->nprovinces + 1, sizeof *why);
    int oom = !why;
    for (size_t i = 0; !oom && i < r->nprovinces; i++)
        if (r->provinces[i].ungraded)
            oom = !(why[i] = ungraded_reason(c, r, &r->provinces[i], 0));
    for (size_t i = 0; !oom && i < r->nprovinces; i++) {
        if (!why[i])
            continue;
        int first = 1;
        for (size_t j = 0; j < i && first; j++)
            first = !why[j] || strcmp(why[j], why[i]);
        if (!first)
            continue;
        sb_puts(&b, b.len ? " " : "");
        size_t same = 0;
        for (size_t j = i; j < r->nprovinces; j++)
            same += why[j] && !strcmp(why[j], why[i]);
        if (same == r->nprovinces && same > 1) { /* all of them: not eight names that say "every province" */
            sb_printf(&b, "ทุกจังหวัดในเขต %s", why[i]);
            continue;
        }
        sb_puts(&b, "จังหวัด");
        for (size_t j = i, m = 0; j < r->nprovinces; j++)
            if (why[j] && !strcmp(why[j], why[i]))
                sb_printf(&b, "%s%s", m++ ? ", " : "", r->ds->provinces[r->provinces[j].province].name_th);
        sb_printf(&b, " %s", why[i]);
    }
    for (size_t i = 0; why && i < r->nprovinces; i++)
        free(why[i]);
    free(why);
    char *out = sb_finish(&b);
    if (oom) {
        free(out);
        return NULL;
    }
    return out;
}

/* A province's grade as a table cell prints it: "–" when it has none. */
const char *grade_cell(const score_result *r, const province_result *p)
{
    return p->ungraded ? "–" : export_grade(r, p);
}

/* The rules' line for the criteria left without a band (NULL: none, or out
 * of memory when *oom). */
char *ungraded_rule(const rctx *c, const score_result *r, int *oom)
{
    const scheme *s = r->sch;
    strbuf b = {0};
    *oom = 0;
    for (size_t i = 0, n = 0; i < s->ncriteria && s->too_few_band < 0; i++)
        if (r->crit_too_few[i]) {
            const criterion_def *cd = &s->criteria[i];
            sb_printf(&b, cd->part ? "%s%d.%d" : "%s%d", n++ ? ", " : "", cd->number, cd->part);
        }
    char *list = sb_finish(&b);
    if (!list || !*list) {
        *oom = !list && b.oom;
        free(list);
        return NULL;
    }
    char *l = digits(c, list), *need = integer(c, score_min_provinces(s));
    char *out = !l || !need ? NULL
                : util_format("• เกณฑ์ข้อ %s มีจังหวัดที่มีข้อมูลน้อยกว่า %s จังหวัดที่การคำนวณ SD ต้องใช้ และเกณฑ์ไม่ได้กำหนด"
                              "ว่าให้ทำอย่างไร: ไม่มีช่วงและไม่ให้คะแนนในเกณฑ์นั้น จังหวัดที่มีข้อมูลในเกณฑ์นั้นไม่จัดระดับ "
                              "ไม่จัดลำดับ และไม่คำนวณเงินดึงกลับ",
                              l, need);
    *oom = !out;
    free(list);
    free(l);
    free(need);
    return out;
}
