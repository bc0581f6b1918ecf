/* pdf_digits: the shaped glyphs of a figure ("0.5296", "+12.5%", "(3/4)")
 * without a HarfBuzz call per text.
 *
 * Owns: deciding, once per face of a document, whether the main font shapes
 * these ASCII characters one by one (its cmap glyph, its hmtx advance, no
 * offset, one glyph per byte: no kerning, ligature or contextual form among
 * them), and then giving a figure's glyphs from that table. A KPI document
 * shapes hundreds of distinct figures; each HarfBuzz call costs thousands of
 * instructions for what is a table look-up. The decision is HarfBuzz's own:
 * a probe text holding every ordered pair of the characters is shaped, and
 * the table is used only if HarfBuzz's glyphs for it are exactly the ones
 * the table would give. Any other text goes to shape_text as before.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"

static const char figure_chars[] = "0123456789.,+-%()/: ";
#define NFIG (sizeof figure_chars - 1)

static int fig_index(unsigned char c)
{
    const char *at = c ? strchr(figure_chars, c) : NULL;
    return at ? (int)(at - figure_chars) : -1;
}

/* The glyph each figure character would have alone; 0 when the font lacks
 * one (then the table is never used). */
static int fill_table(pdf_figures *t, shape_font *f)
{
    for (size_t i = 0; i < NFIG; i++) {
        t->gid[i] = shape_font_glyph(f, (unsigned char)figure_chars[i]);
        if (!t->gid[i])
            return -1;
        t->advance[i] = shape_glyph_advance(f, t->gid[i]);
    }
    return 0;
}

/* Whether HarfBuzz shapes every ordered pair of figure characters as the
 * table does: 1 yes, 0 no, -1 out of memory. */
static int probe(pdf_doc *p, pdf_face face, const pdf_figures *t)
{
    char s[2 * NFIG * NFIG];
    size_t len = 0;
    for (size_t a = 0; a < NFIG; a++)
        for (size_t b = 0; b < NFIG; b++) {
            s[len++] = figure_chars[a];
            s[len++] = figure_chars[b];
        }
    shape_font *fonts[2] = {p->slot[face][0]->sf, p->slot[face][1] ? p->slot[face][1]->sf : NULL};
    shape_glyph *g = NULL;
    int missing = 0, n = shape_text(p->sc, fonts, s, len, &g, &missing);
    if (n < 0)
        return -1;
    int same = (size_t)n == len && missing == 0;
    for (int i = 0; same && i < n; i++) {
        int k = fig_index((unsigned char)s[i]);
        same = g[i].gid == t->gid[k] && g[i].advance == t->advance[k] && g[i].x_offset == 0 && g[i].y_offset == 0 &&
               g[i].text == (uint32_t)i && g[i].text_len == 1 && g[i].font == 0;
    }
    free(g);
    return same;
}

int pdf_figure_glyphs(pdf_doc *p, pdf_face face, const char *s, size_t len, shape_glyph **out)
{
    if (len == 0 || len > 64)
        return -2;
    for (size_t i = 0; i < len; i++)
        if (fig_index((unsigned char)s[i]) < 0)
            return -2;
    pdf_figures *t = &p->figures[face];
    if (t->state == 0) {
        int r = fill_table(t, p->slot[face][0]->sf) == 0 ? probe(p, face, t) : 0;
        if (r < 0)
            return -1;
        t->state = r ? 1 : -1;
    }
    if (t->state < 0)
        return -2;
    shape_glyph *g = malloc(len * sizeof *g);
    if (!g)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int k = fig_index((unsigned char)s[i]);
        g[i] = (shape_glyph){t->gid[k], t->advance[k], 0, 0, (uint32_t)i, 1, 0};
    }
    *out = g;
    return (int)len;
}
