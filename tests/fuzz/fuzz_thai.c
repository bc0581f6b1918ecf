/* libFuzzer target: the Thai engine on arbitrary bytes taken as UTF-8:
 * shaping with HarfBuzz (Noto Sans Thai with Laksaman as fallback; each
 * glyph's text must lie inside the input), line-break opportunities and
 * grapheme clusters. The offsets must ascend and end at the length. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shape.h"
#include "thai.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_offsets(const size_t *o, int n, size_t len)
{
    for (int i = 1; i < n; i++)
        if (o[i] < o[i - 1])
            abort();
    if (n > 0 && o[n - 1] != len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = util_strndup((const char *)data, size); /* C strings: up to the first NUL */
    if (!s)
        return 0;
    size_t len = strlen(s);
    /* opened once for the whole run (a fuzz target may keep state) */
    static shape_font *fonts[2];
    static shape_ctx *ctx;
    char why[200];
    if (!ctx) {
        fonts[0] = shape_font_open("fonts/NotoSansThai-Regular.ttf", 1, why, sizeof why);
        fonts[1] = shape_font_open("fonts/Laksaman.ttf", 0, why, sizeof why);
        ctx = shape_ctx_new();
        if (!fonts[0] || !fonts[1] || !ctx)
            abort(); /* run make first: it copies the fonts */
    }
    shape_glyph *g = NULL;
    int missing, ng = shape_text(ctx, fonts, s, len, &g, &missing);
    for (int i = 0; i < ng; i++)
        if (g[i].text > len || g[i].text_len > len - g[i].text)
            abort();
    free(g);
    size_t *off = NULL;
    unsigned char *hard = NULL;
    int n = thai_breaks(s, &off, &hard);
    if (n >= 0)
        check_offsets(off, n, len);
    free(off);
    free(hard);
    off = NULL;
    n = thai_clusters(s, len, &off);
    if (n >= 0)
        check_offsets(off, n, len);
    free(off);
    free(s);
    return 0;
}
