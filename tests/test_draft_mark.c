/* The boxed "ร่าง" of a draft (issue 20 point 8), read from the display list:
 * on every page its box holds the word's ink, tone mark included, and
 * nothing of the body (text, table rules, shading) reaches into it, in the
 * modern and the official margins; pages continuing a table repeat its
 * header rule right under the top margin, where the box used to sit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "pdf.h"
#include "util.h"

static const layout_item *draft_box(const layout_list *l, int page)
{
    for (int i = 0; i < layout_list_count(l); i++) {
        const layout_item *it = layout_list_item(l, i);
        if (it->page == page && it->furniture && it->kind == LAYOUT_RECT && it->has_stroke && !it->has_fill)
            return it;
    }
    return NULL;
}

/* The top of an item's ink (text: its glyphs' extents at its size). */
static double item_top(pdf_doc *pdf, const layout_item *it)
{
    double t = 0, b = 0;
    switch (it->kind) {
    case LAYOUT_TEXT:
        assert_int_equal(pdf_text_extent(pdf, it->bold ? PDF_BOLD : PDF_REGULAR, it->text, it->len, &t, &b), 0);
        return it->y + it->size * t;
    case LAYOUT_RULE: return it->y > it->y2 ? it->y : it->y2;
    case LAYOUT_RECT: return it->y + it->y2;
    default: return -1;
    }
}

static void check_style(double left, double right, double top, double bottom)
{
    diag_ctx *d = diag_new();
    layout_page_setup ps = {1, left, right, top, bottom, "สำนักงานเขตสุขภาพที่ 12", "ท้ายกระดาษ", 0, 1, 0,
                            "ร่าง ยังไม่ได้ลงนามรับรอง", LAYOUT_PAGE_NUMBER_FOOT, 0, NULL, 0, 0, NULL};
    layout_doc *doc = layout_new(&ps);
    pdf_doc *pdf = pdf_new("fonts", "Laksaman", d);
    assert_non_null(doc);
    assert_non_null(pdf);
    static const double w[] = {1, 3, 1};
    assert_int_equal(layout_table_begin(doc, w, 3, 14, 1), 0);
    layout_cell head[3] = {{"ข้อ", ALIGN_CENTER, 1, 1, 1, 0, 0}, {"เกณฑ์", ALIGN_CENTER, 1, 1, 1, 0, 0},
                           {"คะแนน", ALIGN_CENTER, 1, 1, 1, 0, 0}};
    assert_int_equal(layout_table_row(doc, head, 3), 0);
    for (int i = 0; i < 60; i++) {
        char no[16];
        snprintf(no, sizeof no, "%d", i + 1);
        layout_cell row[3] = {{no, ALIGN_CENTER, 0, 0, 1, 0, 0}, {"ร้อยละของโรงพยาบาลที่ผ่านเกณฑ์", ALIGN_LEFT, 0, 0, 1, 0, 0},
                              {"100.00", ALIGN_RIGHT, 0, 0, 1, 0, 0}};
        assert_int_equal(layout_table_row(doc, row, 3), 0);
    }
    assert_int_equal(layout_table_end(doc), 0);
    layout_list *l = layout_build(doc, pdf, d);
    assert_non_null(l);
    int pages = layout_list_pages(l);
    assert_true(pages >= 3);
    for (int p = 1; p <= pages; p++) {
        const layout_item *box = draft_box(l, p);
        assert_non_null(box);
        double bx0 = box->x, bx1 = box->x + box->x2, by0 = box->y, by1 = box->y + box->y2;
        for (int i = 0; i < layout_list_count(l); i++) {
            const layout_item *it = layout_list_item(l, i);
            if (it->page != p)
                continue;
            if (it->furniture && it->kind == LAYOUT_TEXT && it->len == strlen("ร่าง") && !memcmp(it->text, "ร่าง", it->len)) {
                double t, b; /* the word's ink, tone mark included, inside its frame */
                assert_int_equal(pdf_text_extent(pdf, PDF_BOLD, it->text, it->len, &t, &b), 0);
                assert_true(it->y + it->size * t < by1 - 0.6);
                assert_true(it->y + it->size * b > by0 + 0.6);
                assert_true(it->x > bx0 && it->x < bx1);
                continue;
            }
            if (it->furniture)
                continue;
            double itop = item_top(pdf, it);
            int over_x = it->kind == LAYOUT_TEXT || (it->kind == LAYOUT_RULE ? (it->x < bx1 && it->x2 > bx0)
                                                                              : (it->x < bx1 && it->x + it->x2 > bx0));
            if (over_x && itop > by0 - 1) /* 1 pt of air at least under the frame */
                fail_msg("page %d: a body item's top %.2f reaches the draft box (bottom %.2f)", p, itop, by0);
        }
    }
    layout_list_free(l);
    pdf_free(pdf);
    layout_free(doc);
    diag_free(d);
}

static void test_draft_box_clear_modern(void **st)
{
    (void)st;
    check_style(20 * MM_PT, 22 * MM_PT, 16 * MM_PT, 22 * MM_PT);
}

static void test_draft_box_clear_official(void **st)
{
    (void)st;
    check_style(30 * MM_PT, 20 * MM_PT, 22 * MM_PT, 22 * MM_PT);
}

/* A narrow top margin: the box shrinks to fit and still clears the body. */
static void test_draft_box_clear_narrow_top(void **st)
{
    (void)st;
    check_style(20 * MM_PT, 20 * MM_PT, 14 * MM_PT, 22 * MM_PT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft_box_clear_modern),
        cmocka_unit_test(test_draft_box_clear_official),
        cmocka_unit_test(test_draft_box_clear_narrow_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
