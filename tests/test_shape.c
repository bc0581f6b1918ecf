/* Shaping tests (issue 15): HarfBuzz with the font's own tables, runs split
 * by font, and the text each glyph gives back. The PDF writes glyphs in the
 * order HarfBuzz returns them and maps each to its text, so the texts of the
 * glyphs, in glyph order, must be the input exactly: that is what copy and
 * paste reads. The font check refuses files libharu cannot use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shape.h"
#include "util.h"

static shape_font *open_font(const char *path, int thai)
{
    char why[200];
    shape_font *f = shape_font_open(path, thai, why, sizeof why);
    if (!f)
        fail_msg("%s: %s", path, why);
    return f;
}

/* The glyphs' texts in glyph order, concatenated. */
static char *read_back(shape_ctx *c, shape_font *const fonts[2], const char *s, shape_glyph **g, int *n)
{
    int missing;
    *n = shape_text(c, fonts, s, strlen(s), g, &missing);
    assert_true(*n > 0);
    assert_int_equal(missing, 0);
    strbuf b = {0};
    for (int i = 0; i < *n; i++)
        sb_append(&b, s + (*g)[i].text, (*g)[i].text_len);
    return b.data ? b.data : util_strdup("");
}

static void test_words_read_back(void **st)
{
    (void)st;
    char *list = NULL;
    size_t len;
    assert_int_equal(util_read_file(FIXTURES "/tricky-words.txt", 1 << 20, &list, &len), 0);
    shape_ctx *c = shape_ctx_new();
    shape_font *lak = open_font("fonts/Laksaman.ttf", 1), *noto = open_font("fonts/NotoSansThai-Regular.ttf", 1);
    shape_font *const sets[2][2] = {{lak, NULL}, {noto, lak}};
    for (int k = 0; k < 2; k++) {
        int words = 0;
        for (char *w = strtok(list, "\n"); w; w = strtok(NULL, "\n"), words++) {
            shape_glyph *g;
            int n;
            char *back = read_back(c, sets[k], w, &g, &n);
            if (strcmp(back, w))
                fail_msg("font %d: %s reads back as %s", k, w, back);
            free(back);
            free(g);
        }
        assert_true(words > 20);
        free(list);
        assert_int_equal(util_read_file(FIXTURES "/tricky-words.txt", 1 << 20, &list, &len), 0);
    }
    free(list);
    shape_font_free(lak);
    shape_font_free(noto);
    shape_ctx_free(c);
}

/* ำ: HarfBuzz splits it into NIKHAHIT + SARA AA and moves the NIKHAHIT before
 * the tone; the NIKHAHIT gives back nothing, SARA AA gives back ำ. Over ป
 * the tone is moved (GPOS), not left at its pen position. */
static void test_sara_am(void **st)
{
    (void)st;
    shape_ctx *c = shape_ctx_new();
    shape_font *lak = open_font("fonts/Laksaman.ttf", 1);
    shape_font *const fonts[2] = {lak, NULL};
    shape_glyph *g;
    int n;
    const char *w = "ป้ำ";
    char *back = read_back(c, fonts, w, &g, &n);
    assert_string_equal(back, w);
    assert_int_equal(n, 4); /* ป ํ ้ า */
    assert_int_equal(g[0].gid, shape_font_glyph(lak, 0x0E1B));
    assert_int_equal(g[1].gid, shape_font_glyph(lak, 0x0E4D));
    assert_int_equal(g[1].text_len, 0);
    assert_int_equal(g[3].gid, shape_font_glyph(lak, 0x0E32));
    assert_int_equal(g[3].text_len, 3); /* U+0E33 */
    assert_memory_equal(w + g[3].text, "ำ", 3);
    assert_true(g[2].x_offset != 0 || g[2].y_offset != 0 || g[2].gid != shape_font_glyph(lak, 0x0E49));
    free(back);
    free(g);
    shape_font_free(lak);
    shape_ctx_free(c);
}

/* Noto Sans Thai has no Latin letters or digits: they come from the fallback. */
static void test_fallback_runs(void **st)
{
    (void)st;
    shape_ctx *c = shape_ctx_new();
    shape_font *lak = open_font("fonts/Laksaman.ttf", 1), *noto = open_font("fonts/NotoSansThai-Regular.ttf", 1);
    assert_int_equal(shape_font_glyph(noto, 'C'), 0);
    shape_font *const fonts[2] = {noto, lak};
    shape_glyph *g;
    int n;
    const char *w = "เขต 12 (CMI) ที่";
    char *back = read_back(c, fonts, w, &g, &n);
    assert_string_equal(back, w);
    for (int i = 0; i < n; i++) {
        char ch = w[g[i].text];
        if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '(' || ch == ')')
            assert_int_equal(g[i].font, 1);
        else if ((unsigned char)ch >= 0x80)
            assert_int_equal(g[i].font, 0);
        assert_true(g[i].gid != 0);
    }
    free(back);
    free(g);
    /* a character no font has is counted (it would show as an empty box) */
    shape_font *const alone[2] = {noto, NULL};
    int missing;
    n = shape_text(c, alone, "ก C", strlen("ก C"), &g, &missing);
    assert_int_equal(missing, 1);
    free(g);
    shape_font_free(lak);
    shape_font_free(noto);
    shape_ctx_free(c);
}

static void refused(const char *path, int thai, const char *why_part)
{
    char why[200] = "";
    shape_font *f = shape_font_open(path, thai, why, sizeof why);
    if (f)
        fail_msg("%s was accepted", path);
    if (!strstr(why, why_part))
        fail_msg("%s refused as '%s', wanted '%s'", path, why, why_part);
}

static void test_font_check(void **st)
{
    (void)st;
    char *font = NULL;
    size_t len;
    assert_int_equal(util_read_file("fonts/Laksaman.ttf", 1 << 24, &font, &len), 0);
    const char *tmp = "build/test_shape.ttf";
    FILE *f;
    /* CFF outlines */
    f = fopen(tmp, "wb");
    fwrite("OTTO\0\0\0\0\0\0\0\0", 1, 12, f);
    fclose(f);
    refused(tmp, 1, "CFF");
    /* cut short: the directory points past the end */
    f = fopen(tmp, "wb");
    fwrite(font, 1, len / 2, f);
    fclose(f);
    refused(tmp, 1, "damaged");
    /* a table length beyond the file (libharu would read it forever) */
    unsigned ntab = (unsigned char)font[4] << 8 | (unsigned char)font[5];
    for (unsigned i = 0; i < ntab; i++)
        if (!memcmp(font + 12 + i * 16, "prep", 4) || !memcmp(font + 12 + i * 16, "post", 4)) {
            char save = font[12 + i * 16 + 12];
            font[12 + i * 16 + 12] = 0x7F;
            f = fopen(tmp, "wb");
            fwrite(font, 1, len, f);
            fclose(f);
            refused(tmp, 1, "outside the file");
            font[12 + i * 16 + 12] = save;
            break;
        }
    /* no Thai */
    refused("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 1, "no Thai");
    shape_font *dv = open_font("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0);
    shape_font_free(dv);
    remove(tmp);
    free(font);
}

/* Figures come from a table of the main font's glyphs when HarfBuzz shapes
 * them one by one: the same glyphs HarfBuzz gives the figure inside a text
 * it shapes ("12.5%" before a letter goes to HarfBuzz), in either font. */
static void test_figures_as_harfbuzz(void **st)
{
    (void)st;
    shape_ctx *c = shape_ctx_new();
    shape_font *lak = open_font("fonts/Laksaman.ttf", 1), *noto = open_font("fonts/NotoSansThai-Regular.ttf", 1);
    shape_font *const sets[2][2] = {{lak, NULL}, {noto, lak}};
    static const char *const figures[] = {"0.5296", "+12.5%", "(3/4)", "1,234.00", "10:30", "- 7"};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
            char text[32];
            snprintf(text, sizeof text, "%sก", figures[i]);
            shape_glyph *a, *b;
            int missing, n = shape_text(c, sets[k], figures[i], strlen(figures[i]), &a, &missing);
            int m = shape_text(c, sets[k], text, strlen(text), &b, &missing);
            assert_true(n > 0 && m > n);
            for (int j = 0; j < n; j++) {
                assert_int_equal(a[j].gid, b[j].gid);
                assert_int_equal(a[j].advance, b[j].advance);
                assert_int_equal(a[j].x_offset, b[j].x_offset);
                assert_int_equal(a[j].y_offset, b[j].y_offset);
                assert_int_equal(a[j].text, b[j].text);
                assert_int_equal(a[j].text_len, b[j].text_len);
                assert_int_equal(a[j].font, b[j].font);
            }
            free(a), free(b);
        }
    shape_font_free(lak), shape_font_free(noto);
    shape_ctx_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_read_back),
        cmocka_unit_test(test_sara_am),
        cmocka_unit_test(test_fallback_runs),
        cmocka_unit_test(test_font_check),
        cmocka_unit_test(test_figures_as_harfbuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
