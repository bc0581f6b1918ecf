/* Layout tests end to end, through the painter and read back with poppler:
 * column fitting, carried subtotals, words inside their cells, a sample
 * document using every block. Page breaks, margins, keep rules, split rows
 * and repeated headers are checked on the display list, with exact
 * numbers, in test_layout_list.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "pdf.h"
#include "util.h"

/* A document on A4 with the report margins, its PDF device and diagnostics. */
typedef struct {
    diag_ctx *d;
    layout_doc *doc;
    pdf_doc *pdf;
} fixture;

static fixture open_doc(const char *header, const char *footer, int thai_digits, int number_first_page)
{
    layout_page_setup ps = {0, 30 * MM_PT, 20 * MM_PT, 25 * MM_PT, 25 * MM_PT, header, footer,
                            thai_digits, number_first_page, 0, NULL, 0, 0, NULL, 0, 0, NULL};
    fixture f = {diag_new(), layout_new(&ps), NULL};
    f.pdf = pdf_new("fonts", "Laksaman", f.d);
    assert_non_null(f.doc);
    assert_non_null(f.pdf);
    return f;
}

/* Lays out and saves the document; returns its page count. */
static int render_doc(fixture *f, const char *path)
{
    int pages = layout_render(f->doc, f->pdf, f->d);
    assert_int_equal(pdf_save(f->pdf, path, f->d), 0);
    return pages;
}

static void close_doc(fixture *f)
{
    pdf_free(f->pdf);
    layout_free(f->doc);
    diag_free(f->d);
}

static const char *LONG = "มีการบริหารจัดการโดยคณะทำงานสารสนเทศ เขตสุขภาพที่ 12 ด้วยการจัดประชุม แลกเปลี่ยนเรียนรู้ "
                          "ช่วยกันแก้ไขปัญหา ปีละ 2 ครั้ง และการลงพื้นที่ตามวาระการตรวจราชการเขตสุขภาพ ";

/* Renders a table of `rows` rows whose second cell repeats LONG `reps`
 * times; returns the page count and leaves the PDF at `path`. */
static int table_doc(int rows, int reps, const char *path)
{
    fixture f = open_doc(NULL, NULL, 0, 1);
    layout_doc *doc = f.doc;
    double w[] = {0, 1};
    layout_table_begin(doc, w, 2, 14, 1);
    layout_cell h[2] = {{"ลำดับ", ALIGN_CENTER, 1, 1, 1, 0, 0}, {"หัวตารางซ้ำทุกหน้า", ALIGN_CENTER, 1, 1, 1, 0, 0}};
    layout_table_row(doc, h, 2);
    strbuf text = {0};
    for (int i = 0; i < reps; i++)
        sb_puts(&text, LONG);
    for (int i = 0; i < rows; i++) {
        char no[16];
        snprintf(no, sizeof no, "%d", i + 1);
        layout_cell c[2] = {{no, ALIGN_RIGHT, 0, 0, 1, 0, 0}, {text.data, ALIGN_LEFT, 0, 0, 1, 0, 0}};
        layout_table_row(doc, c, 2);
    }
    layout_table_end(doc);
    int pages = render_doc(&f, path);
    sb_free(&text);
    close_doc(&f);
    return pages;
}

/* The text of one page, through pdftotext. */
static char *page_text(const char *path, int page)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d '%s' - 2>/dev/null", page, page, path);
    FILE *f = popen(cmd, "r");
    strbuf b = {0};
    char buf[4096];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_append(&b, buf, n);
    if (f)
        pclose(f);
    return b.data ? b.data : util_strdup("");
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_table_fits(void **s)
{
    (void)s;
    assert_int_equal(table_doc(3, 1, "build/t-fits.pdf"), 1);
}

/* A fitted column is as wide as its widest figure: figures never wrap. */
static void test_column_fitting(void **s)
{
    (void)s;
    table_doc(12, 1, "build/t-fit.pdf");
    char *t = page_text("build/t-fit.pdf", 1);
    assert_non_null(strstr(t, "12\n") ? t : strstr(t, "12"));
    assert_null(strstr(t, "1\n2\n")); /* "12" not broken over two lines */
    free(t);
}

/* A running subtotal: each page of the table ends with ยอดยกไป and the
 * next begins with ยอดยกมา, equal to the sum of the rows before. */
static void test_carried_subtotal(void **s)
{
    (void)s;
    fixture f = open_doc(NULL, NULL, 0, 1);
    layout_doc *doc = f.doc;
    double w[] = {1, 0};
    layout_table_begin(doc, w, 2, 14, 1);
    assert_int_equal(layout_table_carry(doc, 1, 2), 0);
    layout_cell h[2] = {{"รายการ", ALIGN_CENTER, 1, 1, 1, 0, 0}, {"จำนวนเงิน", ALIGN_CENTER, 1, 1, 1, 0, 0}};
    layout_table_row(doc, h, 2);
    for (int i = 0; i < 60; i++) {
        layout_cell c[2] = {{"ค่าใช้จ่ายดำเนินงาน", ALIGN_LEFT, 0, 0, 1, 0, 0}, {"1,000.25", ALIGN_RIGHT, 0, 0, 1, 0, 0}};
        layout_table_row(doc, c, 2);
    }
    int pages = render_doc(&f, "build/t-carry.pdf");
    assert_true(pages >= 2);
    int rows_before = 0;
    for (int p = 1; p <= pages; p++) {
        char *t = page_text("build/t-carry.pdf", p);
        int rows = count(t, "ค่าใช้จ่ายดำเนินงาน");
        if (p > 1) { /* the carried amount is the sum of every row on the pages before */
            char want[64];
            snprintf(want, sizeof want, "%d,%03d.%02d", (rows_before * 100025 / 100) / 1000,
                     (rows_before * 100025 / 100) % 1000, (rows_before * 25) % 100);
            assert_non_null(strstr(t, "ยอดยกมา"));
            if (!strstr(t, want))
                fail_msg("page %d lacks the carried %s", p, want);
        }
        if (p < pages)
            assert_non_null(strstr(t, "ยอดยกไป"));
        else
            assert_null(strstr(t, "ยอดยกไป"));
        rows_before += rows;
        free(t);
    }
    assert_int_equal(rows_before, 60);
    close_doc(&f);
}

/* No word's box leaves its cell: every word of a table lies inside one
 * column, between the column's borders (word boxes from pdftotext -bbox).
 * The first column's words fit its quarter of the width: a wider unbroken
 * word (it was "สาธารณสุข(สป.สธ.)ได้", cut between clusters) now widens its
 * column instead (issue 28), which 43-national.sh checks on real names. */
static void test_words_stay_in_cells(void **s)
{
    (void)s;
    fixture f = open_doc(NULL, NULL, 0, 0);
    layout_doc *doc = f.doc;
    double w[] = {1, 2, 1};
    layout_table_begin(doc, w, 3, 14, 0);
    for (int i = 0; i < 12; i++) {
        layout_cell c[3] = {{"สาธารณสุข (สป.สธ.) ได้ดำเนินการตรวจราชการ", ALIGN_LEFT, 0, 0, 1, 0, 0},
                            {LONG, i % 2 ? ALIGN_JUSTIFY : ALIGN_RIGHT, 0, 0, 1, 0, 0},
                            {"1,234,567.89 บาท", ALIGN_RIGHT, 0, 0, 1, 0, 0}};
        layout_table_row(doc, c, 3);
    }
    layout_table_end(doc);
    int pages = render_doc(&f, "build/t-cells.pdf");
    assert_true(pages >= 1);
    double x0 = 30 * MM_PT, width = 595.28 - 50 * MM_PT;
    double edges[4] = {x0, x0 + width / 4, x0 + width * 3 / 4, x0 + width};
    FILE *fp = popen("pdftotext -bbox build/t-cells.pdf - 2>/dev/null", "r");
    assert_non_null(fp);
    char line[2048];
    int words = 0;
    while (fgets(line, sizeof line, fp)) {
        double a, b, y;
        char *p = strstr(line, "<word xMin=\"");
        if (!p || sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\"", &a, &y, &b) != 3)
            continue;
        if (y > 841.89 - 25 * MM_PT)
            continue; /* the page number in the footer */
        int inside = 0;
        for (int k = 0; k < 3; k++)
            inside |= a >= edges[k] + 1 && b <= edges[k + 1] - 1;
        if (!inside)
            fail_msg("word at x %.1f-%.1f crosses a cell border: %s", a, b, p);
        words++;
    }
    pclose(fp);
    assert_true(words > 100);
    close_doc(&f);
}

/* The lines of a three-column table whose middle texts are long and the
 * others short, as the display list has them (distinct baselines of the
 * body's text), with or without layout_table_balance. */
static int meeting_lines(int balance)
{
    fixture f = open_doc(NULL, NULL, 0, 1);
    double w[] = {1, 1, 1};
    layout_table_begin(f.doc, w, 3, 14, 0);
    if (balance)
        assert_int_equal(layout_table_balance(f.doc), 0);
    for (int i = 0; i < 3; i++) {
        layout_cell c[3] = {{"ประเด็นที่เสนอ", ALIGN_LEFT, 0, 0, 1, 0, 0},
                            {LONG, ALIGN_LEFT, 0, 0, 1, 0, 0},
                            {"หัวหน้ากลุ่มงาน", ALIGN_LEFT, 0, 0, 1, 0, 0}};
        layout_table_row(f.doc, c, 3);
    }
    layout_table_end(f.doc);
    layout_list *l = layout_build(f.doc, f.pdf, f.d);
    assert_non_null(l);
    double ys[256];
    int n = 0;
    for (int i = 0; i < layout_list_count(l); i++) {
        const layout_item *it = layout_list_item(l, i);
        if (it->kind != LAYOUT_TEXT || it->furniture)
            continue;
        int seen = 0;
        for (int k = 0; k < n; k++)
            seen |= fabs(ys[k] - it->y) < 0.5;
        if (!seen && n < 256)
            ys[n++] = it->y;
    }
    layout_list_free(l);
    close_doc(&f);
    return n;
}

/* layout_table_balance gives the long texts the short ones' spare width:
 * the same table takes fewer lines; without it, the weights hold. */
static void test_balanced_columns(void **s)
{
    (void)s;
    int plain = meeting_lines(0), balanced = meeting_lines(1);
    assert_true(plain >= 6);
    assert_true(balanced < plain);
    assert_true(balanced >= 3);
}

/* Every kind of block in one document. */
static void test_every_block(void **s)
{
    (void)s;
    fixture f = open_doc("หัวกระดาษ", "ท้ายกระดาษ", 1, 0);
    layout_doc *doc = f.doc;
    layout_heading(doc, 1, "เอกสารตัวอย่าง");
    layout_heading(doc, 2, "ย่อหน้า");
    layout_paragraph(doc, LONG, (layout_style){16, 0, ALIGN_JUSTIFY, 0, 6, {0, 0, 0}});
    layout_paragraph(doc, "กึ่งกลาง", (layout_style){16, 1, ALIGN_CENTER, 0, 6, {0, 0, 0.6}});
    layout_paragraph(doc, "ชิดขวา", (layout_style){16, 0, ALIGN_RIGHT, 0, 6, {0.4, 0.4, 0.4}});
    layout_keyvalue(doc, "คะแนนรวม", "692.50 คะแนน", 40);
    layout_spacer(doc, 10);
    const char *labels[] = {"ก", "ข", "ค"};
    double v[] = {80, 60, 70}, sh[] = {0.3, 0.6, 0.45};
    layout_bar_chart(doc, "แผนภูมิแท่ง", labels, v, sh, 3, 70, 10, 100, "คำอธิบาย");
    double s1[] = {1, 2, 3}, s2[] = {2, 2, 1};
    const double *series[] = {s1, s2};
    const char *names[] = {"ชุดหนึ่ง", "ชุดสอง"};
    double ref[] = {2.5, 2.5, 2.5};
    layout_line_chart(doc, "แผนภูมิเส้น", labels, 3, series, names, 2, ref, 0, NAN, "เป้าหมาย");
    layout_page_break(doc);
    layout_heading(doc, 2, "ตาราง");
    double w[] = {1, 1};
    layout_table_begin(doc, w, 2, 14, 1);
    layout_cell h[1] = {{"หัวตารางแบบรวมช่อง", ALIGN_CENTER, 1, 2, 2, 0, 0}};
    layout_table_row(doc, h, 1);
    layout_cell r[2] = {{"ก", ALIGN_LEFT, 0, 0, 1, 0, 0}, {"1,234.50", ALIGN_RIGHT, 0, 0, 1, 0, 0}};
    layout_table_row(doc, r, 2);
    layout_cell r2[2] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0}, {"99.00", ALIGN_RIGHT, 0, 0, 1, 0, 0}};
    layout_table_row(doc, r2, 2);
    /* the same text in a cell that keeps its Arabic digits (a risk level) and in one that does not */
    layout_cell r3[2] = {{"ระดับ", ALIGN_LEFT, 0, 0, 1, 0, 0}, {"4–7", ALIGN_RIGHT, LAYOUT_ARABIC, 0, 1, 0, 0}};
    layout_table_row(doc, r3, 2);
    layout_cell r4[2] = {{"ช่วง", ALIGN_LEFT, 0, 0, 1, 0, 0}, {"4–7", ALIGN_RIGHT, 0, 0, 1, 0, 0}};
    layout_table_row(doc, r4, 2);
    layout_table_end(doc);
    layout_signature(doc, "นายทดสอบ ระบบ", "ตำแหน่ง ผู้อำนวยการ", "วันที่ 30 กันยายน 2563");
    int pages = render_doc(&f, "build/layout-sample.pdf");
    assert_int_equal(pages, 2);
    /* page 1: text and both charts; page 2, after the page break: the table and the signature */
    char *t1 = page_text("build/layout-sample.pdf", 1), *t2 = page_text("build/layout-sample.pdf", 2);
    assert_non_null(strstr(t1, "เอกสารตัวอย่าง"));
    assert_non_null(strstr(t1, "แผนภูมิแท่ง"));
    assert_non_null(strstr(t1, "แผนภูมิเส้น"));
    assert_null(strstr(t1, "หน้า ๑ / ๒")); /* the first page carries no number here */
    assert_non_null(strstr(t2, "หน้า ๒ / ๒")); /* Thai digits */
    assert_non_null(strstr(t2, "หัวกระดาษ"));
    assert_non_null(strstr(t2, "ท้ายกระดาษ"));
    assert_non_null(strstr(t2, "(นายทดสอบ ระบบ)"));
    assert_non_null(strstr(t2, "๑,๒๓๔.๕๐")); /* Thai digits everywhere, tables too */
    assert_non_null(strstr(t2, "4–7"));         /* but in a LAYOUT_ARABIC cell */
    assert_non_null(strstr(t2, "๔–๗"));
    assert_null(strstr(t2, "4–๗"));
    assert_non_null(strstr(t2, "หัวตารางแบบรวมช่อง"));
    free(t1);
    free(t2);
    close_doc(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_fits), cmocka_unit_test(test_column_fitting),
        cmocka_unit_test(test_carried_subtotal), cmocka_unit_test(test_words_stay_in_cells),
        cmocka_unit_test(test_every_block), cmocka_unit_test(test_balanced_columns),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
