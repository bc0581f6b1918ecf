/* shape: Thai (and any) text shaped by HarfBuzz with the font's own GSUB and
 * GPOS, with a fallback font for the characters the main font lacks.
 *
 * Owns: opening a font file for shaping and checking that khet can use it
 * (TrueType outlines that libharu can embed, sane tables, Thai coverage when
 * asked), splitting text into runs by font and script, the shaped glyphs of
 * a run (glyph id, advance, offsets, the bytes of text each glyph stands
 * for), figures from a table of the main font's glyphs where HarfBuzz
 * shapes them one by one (no call per figure), glyph ink boxes, glyph
 * outlines, and composite-glyph components (so the PDF subset keeps every
 * glyph a drawn glyph needs). No PDF here.
 */
#ifndef KHET_SHAPE_H
#define KHET_SHAPE_H

#include <stddef.h>
#include <stdint.h>

typedef struct shape_font shape_font;

/* Opens a TrueType font file. NULL with the reason in why (a sentence) when
 * it cannot be used: unreadable, not TrueType (CFF outlines), malformed
 * tables, or (need_thai) no Thai letters. */
shape_font *shape_font_open(const char *path, int need_thai, char *why, size_t why_len);
void shape_font_free(shape_font *f);

unsigned shape_font_upem(const shape_font *f);
/* The glyph the font's cmap gives a character, 0 if none. */
uint32_t shape_font_glyph(const shape_font *f, uint32_t cp);
/* Advance of a glyph in font units (hmtx). */
int shape_glyph_advance(const shape_font *f, uint32_t gid);
/* Ink box of a glyph in font units: top (yMax) and bottom (yMin). */
void shape_glyph_box(shape_font *f, uint32_t gid, int *top, int *bottom);
/* Components of a composite glyph, all levels down: calls fn for each. */
void shape_glyph_components(const shape_font *f, uint32_t gid, void (*fn)(uint32_t gid, void *u), void *u);

/* Whether a character is a non-spacing mark (general category Mn). */
int shape_is_mark(uint32_t cp);

/* Outline callbacks, coordinates in font units. */
typedef struct {
    void (*move)(void *u, double x, double y);
    void (*line)(void *u, double x, double y);
    void (*cubic)(void *u, double x1, double y1, double x2, double y2, double x3, double y3);
    void (*close)(void *u);
} shape_pen;
void shape_glyph_outline(const shape_font *f, uint32_t gid, const shape_pen *pen, void *u);

/* One shaped glyph. text/text_len: the bytes of the input this glyph gives
 * back when the text is copied (empty for a glyph that only repeats a part
 * of a character, such as the NIKHAHIT HarfBuzz splits off SARA AM). */
typedef struct {
    uint32_t gid;
    int32_t advance, x_offset, y_offset; /* font units of its font */
    uint32_t text, text_len;             /* byte range in the input */
    unsigned char font;                  /* 0: main font, 1: fallback */
} shape_glyph;

typedef struct shape_ctx shape_ctx;
shape_ctx *shape_ctx_new(void);
void shape_ctx_free(shape_ctx *c);

/* Shapes len bytes of UTF-8 with fonts[0] and, for characters it lacks,
 * fonts[1] (may be NULL). *out is allocated (free it); *missing counts the
 * characters neither font has (drawn as empty boxes). Returns the glyph
 * count or -1 when out of memory. */
int shape_text(shape_ctx *c, shape_font *const fonts[2], const char *s, size_t len, shape_glyph **out,
               int *missing);

#endif
