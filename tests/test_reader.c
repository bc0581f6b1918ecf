/* Reader tests: every field grammar, every encoding, and one test per class
 * of bad input, asserting the message and its position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "reader.h"

/* Parses CSV text and returns the table, or NULL with d holding the reason. */
static reader_table *parse(const char *text, size_t len, const char *enc, diag_ctx *d)
{
    return reader_parse_csv("t.csv", text, len, enc, d);
}

/* Asserts that parsing fails with one error at line:col whose text contains `needle`. */
static void expect_error(const char *text, size_t len, int line, int col, const char *needle)
{
    diag_ctx *d = diag_new();
    reader_table *t = parse(text, len, NULL, d);
    if (t || diag_errors(d) != 1) {
        diag_print(d, stderr);
        fail_msg("expected exactly one error for input '%s'", text);
    }
    const diag_msg *m = diag_get(d, 0);
    assert_int_equal(m->line, line);
    assert_int_equal(m->col, col);
    if (!strstr(m->message, needle))
        fail_msg("message '%s' lacks '%s'", m->message, needle);
    diag_free(d);
}

static void test_integers(void **s)
{
    (void)s;
    int64_t v;
    assert_null(reader_parse_int("42", &v));
    assert_int_equal(v, 42);
    assert_null(reader_parse_int("-1,234", &v));
    assert_int_equal(v, -1234);
    assert_null(reader_parse_int("๑๒๓", &v));
    assert_int_equal(v, 123);
    assert_non_null(reader_parse_int("1.5", &v));
    assert_non_null(reader_parse_int("abc", &v));
    assert_non_null(reader_parse_int("", &v));
    assert_non_null(reader_parse_int("99999999999999999999", &v));
}

static void test_decimals_and_money(void **s)
{
    (void)s;
    int64_t v;
    assert_null(reader_parse_money("1,234,567.89", &v));
    assert_int_equal(v, 123456789);
    assert_null(reader_parse_money("(1,234.00)", &v));
    assert_int_equal(v, -123400);
    assert_null(reader_parse_money("0.5", &v));
    assert_int_equal(v, 50);
    assert_null(reader_parse_money("-", &v)); /* accounting zero */
    assert_int_equal(v, 0);
    assert_null(reader_parse_money("๑,๐๐๐.๒๕", &v));
    assert_int_equal(v, 100025);
    assert_null(reader_parse_decimal("12.5%", 2, &v));
    assert_int_equal(v, 1250);
    assert_null(reader_parse_decimal("1.2345", 4, &v));
    assert_int_equal(v, 12345);
    assert_string_equal(reader_parse_money("1.234", &v), "too many decimal places");
    assert_string_equal(reader_parse_money("1,23", &v), "misplaced thousands separator");
    assert_string_equal(reader_parse_money("12,3456", &v), "misplaced thousands separator");
    assert_string_equal(reader_parse_money("1234,567", &v), "misplaced thousands separator");
    assert_non_null(reader_parse_money("1.2.3", &v));
    assert_non_null(reader_parse_money("(12", &v));
}

static void test_dates(void **s)
{
    (void)s;
    reader_date d;
    assert_null(reader_parse_date("2563-09-30", &d));
    assert_true(d.year == 2020 && d.month == 9 && d.day == 30);
    assert_null(reader_parse_date("30/09/2563", &d));
    assert_true(d.year == 2020 && d.month == 9 && d.day == 30);
    assert_null(reader_parse_date("1/2/2020", &d));
    assert_true(d.year == 2020 && d.month == 2 && d.day == 1);
    assert_null(reader_parse_date("29/02/2563", &d)); /* 2020 is a leap year */
    assert_non_null(reader_parse_date("29/02/2562", &d));
    assert_non_null(reader_parse_date("2563-13-01", &d));
    assert_non_null(reader_parse_date("2563-09", &d));
    assert_null(reader_parse_month("2563-09", &d));
    assert_true(d.year == 2020 && d.month == 9);
    assert_null(reader_parse_month("10/2562", &d));
    assert_true(d.year == 2019 && d.month == 10);
    assert_null(reader_parse_month("2019-10", &d));
    assert_true(d.year == 2019 && d.month == 10);
    assert_non_null(reader_parse_month("2563-9-1", &d));
    assert_int_equal(model_fiscal_month(2563, (reader_date){2019, 10, 0}), 0);
    assert_int_equal(model_fiscal_month(2563, (reader_date){2020, 9, 0}), 11);
    assert_int_equal(model_fiscal_month(2563, (reader_date){2020, 10, 0}), -1);
    assert_int_equal(model_fiscal_month(2563, (reader_date){2019, 9, 0}), -1);
}

static void test_hcode(void **s)
{
    (void)s;
    char c[6];
    assert_null(reader_parse_hcode("01234", c));
    assert_string_equal(c, "01234");
    assert_non_null(reader_parse_hcode("1234", c));
    assert_non_null(reader_parse_hcode("123456", c));
    assert_non_null(reader_parse_hcode("12a45", c));
}

static void test_quoting_and_line_ends(void **s)
{
    (void)s;
    const char *text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,2,3\r\n";
    diag_ctx *d = diag_new();
    reader_table *t = parse(text, strlen(text), NULL, d);
    assert_non_null(t);
    assert_int_equal(reader_table_rows(t), 2);
    assert_string_equal(reader_table_cell(t, 0, 0)->text, "x, y");
    assert_string_equal(reader_table_cell(t, 0, 1)->text, "say \"hi\"");
    assert_string_equal(reader_table_cell(t, 0, 2)->text, "two\nlines");
    /* the row after a quoted newline is on physical line 4 */
    assert_int_equal(reader_table_row_line(t, 1), 4);
    assert_int_equal(reader_table_cell(t, 1, 2)->col, 5);
    assert_int_equal(reader_table_column(t, "c"), 2);
    assert_int_equal(reader_table_column(t, "z"), -1);
    reader_table_free(t);
    diag_free(d);
}

/* Every cell's line and column, counted by hand: Thai letters are one
 * column each (three bytes), a lone CR ends a line as LF and CR LF do, a
 * cell starts at its first byte (blanks and the opening quote included),
 * and a quoted cell over two lines starts where its quote is. */
static void test_cell_positions(void **s)
{
    (void)s;
    const char *text = "code,name,note\r\n"
                       "11,ไทย, x \r"
                       "12,  \"a,\nb\",ก\n"
                       "13,\"ข\",z\n";
    diag_ctx *d = diag_new();
    reader_table *t = parse(text, strlen(text), NULL, d);
    assert_non_null(t);
    assert_int_equal(reader_table_rows(t), 3);
    static const int want[3][3][2] = {{{2, 1}, {2, 4}, {2, 8}}, {{3, 1}, {3, 4}, {4, 4}}, {{5, 1}, {5, 4}, {5, 8}}};
    for (size_t r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            assert_int_equal(reader_table_cell(t, r, c)->line, want[r][c][0]);
            assert_int_equal(reader_table_cell(t, r, c)->col, want[r][c][1]);
        }
    assert_string_equal(reader_table_cell(t, 0, 1)->text, "ไทย");
    assert_string_equal(reader_table_cell(t, 0, 2)->text, "x");
    assert_string_equal(reader_table_cell(t, 1, 1)->text, "a,\nb");
    assert_string_equal(reader_table_cell(t, 2, 1)->text, "ข");
    assert_int_equal(reader_table_row_line(t, 1), 3);
    reader_table_free(t);
    diag_free(d);
}

static void test_header_by_name(void **s)
{
    (void)s;
    const char *text = "level,extra,hcode\nA,x,01234\n";
    diag_ctx *d = diag_new();
    reader_table *t = parse(text, strlen(text), NULL, d);
    const char *req[] = {"hcode", "level", NULL}, *opt[] = {NULL};
    assert_int_equal(reader_table_expect(t, req, opt, d), 0);
    assert_int_equal(diag_warnings(d), 1);
    assert_true(strstr(diag_get(d, 0)->message, "unknown column 'extra'") != NULL);
    assert_string_equal(reader_table_cell(t, 0, reader_table_column(t, "hcode"))->text, "01234");
    const char *req2[] = {"hcode", "province", NULL};
    size_t before = diag_count(d);
    assert_int_equal(reader_table_expect(t, req2, opt, d), 1);
    assert_true(strstr(diag_get(d, before)->message, "'province' is missing") != NULL);
    reader_table_free(t);
    diag_free(d);
}

/* The same text as UTF-8, UTF-8 with BOM and Windows-874 reads to the same cells. */
static void test_encodings(void **s)
{
    (void)s;
    const char *utf8 = "name,x\nโรงพยาบาลน้ำโสม,1\n";
    char bom[128];
    snprintf(bom, sizeof bom, "\xEF\xBB\xBF%s", utf8);
    /* โรงพยาบาลน้ำโสม in TIS-620 */
    const char cp874[] = "name,x\n\xE2\xC3\xA7\xBE\xC2\xD2\xBA\xD2\xC5\xB9\xE9\xD3\xE2\xCA\xC1,1\n";
    const char *inputs[] = {utf8, bom, cp874};
    const char *encs[] = {"utf-8", "utf-8", "windows-874"};
    for (int i = 0; i < 3; i++) {
        diag_ctx *d = diag_new();
        reader_table *t = parse(inputs[i], strlen(inputs[i]), NULL, d);
        assert_non_null(t);
        assert_string_equal(reader_table_encoding(t), encs[i]);
        assert_int_equal(reader_table_column(t, "name"), 0); /* BOM not part of the name */
        assert_string_equal(reader_table_cell(t, 0, 0)->text, "โรงพยาบาลน้ำโสม");
        reader_table_free(t);
        diag_free(d);
    }
    /* explicit encoding overrides detection */
    diag_ctx *d = diag_new();
    reader_table *t = parse(cp874, strlen(cp874), "tis-620", d);
    assert_non_null(t);
    assert_string_equal(reader_table_cell(t, 0, 0)->text, "โรงพยาบาลน้ำโสม");
    reader_table_free(t);
    diag_free(d);
}

/* The fixture pair: one hospitals file saved by Thai Excel (Windows-874) and as UTF-8. */
static void test_fixture_cp874_equals_utf8(void **s)
{
    (void)s;
    diag_ctx *d = diag_new();
    reader_table *a = reader_read_csv(FIXTURES "/hospitals-utf8.csv", NULL, d);
    reader_table *b = reader_read_csv(FIXTURES "/hospitals-cp874.csv", NULL, d);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(reader_table_encoding(b), "windows-874");
    assert_int_equal(reader_table_rows(a), reader_table_rows(b));
    assert_true(reader_table_rows(a) > 50);
    for (size_t r = 0; r < reader_table_rows(a); r++)
        for (int c = 0; c < 4; c++)
            assert_string_equal(reader_table_cell(a, r, c)->text, reader_table_cell(b, r, c)->text);
    reader_table_free(a);
    reader_table_free(b);
    diag_free(d);
}

static void test_bad_input(void **s)
{
    (void)s;
    expect_error("", 0, 0, 0, "empty (0 bytes)");
    expect_error("a,b\n1,2\n3\n", 10, 3, 1, "1 fields but the header has 2 (is the file truncated?)");
    expect_error("a,b\n1,2,3\n4,5\n", 14, 2, 5, "3 fields but the header has 2");
    expect_error("a,b\n1,\"open\n", 12, 2, 3, "never closed");
    expect_error("a,b\nx\"y,2\n", 10, 2, 1, "stray quote");
    expect_error("a,b\n1,2\x00\x01\x02\n", 11, 2, 4, "binary data");
    expect_error("a,a\n1,2\n", 8, 1, 3, "appears twice");
    /* 0xFF is undefined in Windows-874 and invalid in UTF-8: line 2, character 3 */
    expect_error("a,b\nx,\xFF\n", 8, 2, 3, "0xFF is neither valid UTF-8 nor Windows-874");
    /* a bad byte after Thai UTF-8 text: columns count characters, not bytes */
    expect_error("a\nน้ำ\xC3\x28\n", 14, 2, 4, "neither valid UTF-8");
    /* a byte Windows-874 leaves undefined, in an otherwise Thai file */
    expect_error("a\n\xA1\xDB\n", 5, 2, 2, "0xDB is neither valid UTF-8 nor Windows-874");
}

static void test_utf8_forced_on_cp874(void **s)
{
    (void)s;
    diag_ctx *d = diag_new();
    reader_table *t = parse("a\n\xA1\xA2\n", 5, "utf-8", d);
    assert_null(t);
    assert_int_equal(diag_get(d, 0)->line, 2);
    assert_int_equal(diag_get(d, 0)->col, 1);
    assert_non_null(strstr(diag_get(d, 0)->message, "requested encoding"));
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),       cmocka_unit_test(test_decimals_and_money),
        cmocka_unit_test(test_dates),          cmocka_unit_test(test_hcode),
        cmocka_unit_test(test_quoting_and_line_ends), cmocka_unit_test(test_header_by_name),
        cmocka_unit_test(test_cell_positions),
        cmocka_unit_test(test_encodings),      cmocka_unit_test(test_fixture_cp874_equals_utf8),
        cmocka_unit_test(test_bad_input),      cmocka_unit_test(test_utf8_forced_on_cp874),
    };
    return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
