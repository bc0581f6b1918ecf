/* pdf_int: what pdf.c (the device: pages, text, drawing, saving) and
 * pdf_font.c (the embedded fonts and their PDF objects) share. Private to
 * the two: the rest of khet sees only pdf.h. */
#ifndef KHET_PDF_INT_H
#define KHET_PDF_INT_H

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <stdint.h>

#include "diag.h"
#include "fontfind.h"
#include "pdf.h"
#include "shape.h"
#include "util.h"

#define PDF_NCODES 65536

struct libdeflate_compressor;

/* libdeflate's compressor and its output buffer, reused for every stream of
 * a document (zlib's deflateInit/deflateEnd per stream cost more than the
 * compressing of a small stream, and its memory went back to the kernel). */
typedef struct {
    struct libdeflate_compressor *z;
    unsigned char *buf;
    size_t cap;
} pdf_zip;

/* One font file as khet embeds it, with the codes khet gives its glyphs.
 * A code is the glyph's own code point where the cmap reaches the glyph
 * from the character it stands for; otherwise (one per glyph and text) the
 * first code from U+0001 on that the cmap does not reach, then a private-use
 * code; the CIDToGIDMap, W widths and ToUnicode written at save
 * time are made from this table, so the three always agree. libharu only
 * reads the file (its tables, for the subset it writes); the font objects
 * are khet's own. */
typedef struct {
    shape_font *sf;
    char *path;
    const char *hname; /* libharu's name of the loaded font definition */
    HPDF_FontDef def;
    HPDF_Dict type0; /* the Type0 font object, made on first use: an unused font is not written */
    int index;       /* its resource name is /F<index + 1> */
    /* code -> its glyph (+ 1; 0: unused) and its width in W (font units),
     * in pages of 256 made on first use */
    struct code_slot {
        uint32_t gid1;
        int32_t width;
    } *code_page[256];
    struct pua {
        uint32_t code, gid;
        int32_t width;
        char *text;
    } *pua;
    size_t npua, pua_cap;
    uint32_t next_pua;
    int *outline; /* per glyph: the number of a form drawing it (0: none yet), for glyphs placed off their pen */
    int32_t *advance; /* per glyph: its hmtx advance as HarfBuzz gives it (INT32_MIN: not asked yet) */
} pfont;

/* The font file's subset as libharu's HPDF_TTFontDef_SaveFontData writes it
 * (pdf_subset.c), into *out (malloc'd); sets the definition's length1.
 * 0, or -1 (unreadable file, a table outside it, out of memory). */
int pdf_subset_write(const pfont *f, unsigned char **out, size_t *len);

/* The content of one page, written by khet's own operators (libharu's page
 * operators cost a memset and a float conversion each), with the graphics
 * state last set, so a colour, width or dash is written only when it
 * changes, and a run of rules in the same state is one path. */
typedef struct {
    strbuf ops;
    pdf_rgb fill, stroke;
    double width;
    int dash;
    int open_path; /* a path of lines waiting for its stroke */
} pdf_page;

/* Fonts (pdf_font.c) */
/* Opens the font file at path into f (zeroed first); -1 after reporting.
 * libharu's error, if any, is in *err (its callback's sticky status). */
int pdf_open_font(HPDF_Doc doc, pfont *f, int index, const char *path, int need_thai, const HPDF_STATUS *err,
                  diag_ctx *d);
void pdf_free_font(pfont *f);
/* The code glyph gid is written with when it gives back text t, `width`
 * font units wide in W; 0 when it gives back nothing (drawn as a path
 * instead), -1 when out of codes or memory (see pdf_font.c). */
int pdf_code_for(pfont *f, uint32_t gid, const char *t, size_t tl, int32_t width);
/* A glyph's advance (HarfBuzz's hmtx advance), asked once per document. */
int32_t pdf_glyph_advance(pfont *f, uint32_t gid);
/* A code's width as written in W, in thousandths of an em. */
int pdf_code_w1000(const pfont *f, uint32_t code);
/* The Type0 font object of f, made (and named in the font resources) on
 * first use; NULL when out of memory. */
HPDF_Dict pdf_font_object(HPDF_Doc doc, HPDF_Dict font_res, pfont *f);
/* Writes every object of a used font: descendant CIDFontType2, W,
 * CIDToGIDMap, ToUnicode, descriptor and the subset font file. */
int pdf_finish_font(HPDF_Doc doc, pdf_zip *zip, pfont *f, pdf_shapes *shared);

/* The batch's shared shaping (pdf_shapes.c): the glyphs of text in fonts
 * (a key naming the font files and face), copied into *g; -1 when not there. */
int pdf_shapes_find(pdf_shapes *s, const char *fonts, const char *text, size_t len, shape_glyph **g, int *missing);
void pdf_shapes_put(pdf_shapes *s, const char *fonts, const char *text, size_t len, const shape_glyph *g, int n,
                    int missing);
/* The batch's font files: the subset of the font at path with the glyphs
 * `used` (n flags, libharu's) as last written, compressed, with its Length1;
 * -1 when not there (or s is NULL). A national month's 232 embedded fonts
 * are 14 distinct subsets. */
int pdf_shapes_font_file(const pdf_shapes *s, const char *path, const unsigned char *used, size_t n,
                         const unsigned char **z, size_t *zlen, uint32_t *length1);
/* Keeps one (copied); a cache: out of memory only means not kept. */
void pdf_shapes_keep_font_file(pdf_shapes *s, const char *path, const unsigned char *used, size_t n,
                               const unsigned char *z, size_t zlen, uint32_t length1);
/* The batch's compressed streams: data (len bytes) as compressed before,
 * -1 when not there (or s is NULL); and keeping one (copied; a cache: out
 * of memory only means not kept). */
int pdf_shapes_stream(const pdf_shapes *s, const void *data, size_t len, const unsigned char **z, size_t *zlen);
void pdf_shapes_keep_stream(pdf_shapes *s, const void *data, size_t len, const unsigned char *z, size_t zlen);
/* fontfind (fontfind.h) through the batch: each name looked up in a font
 * folder once per worker (fontconfig reads every font file it scans). */
int pdf_shapes_fontfind(pdf_shapes *s, const char *font_dir, const char *name, font_faces *out, diag_ctx *d);

/* Streams (pdf.c): sets a stream object's data to `data` compressed with
 * libdeflate (FlateDecode), replacing what it held. */
int pdf_flate_stream(pdf_zip *zip, HPDF_Dict obj, const void *data, size_t len);
/* The two halves: data compressed into zip->buf (its length; 0 when out of
 * memory), and compressed bytes made a stream's data. */
size_t pdf_deflate(pdf_zip *zip, const void *data, size_t len);
int pdf_put_deflated(HPDF_Dict obj, const void *z, size_t n);
/* Sets key of dict to text (UTF-8) as PDF wants Thai text strings: UTF-16BE
 * after the byte-order mark, <FEFF...>, the bytes libharu's UTF-8 encoder
 * writes, without making that encoder (its code tables cost 1.4 M
 * instructions a document: 2.5 % of a national month). 0 or -1 (memory). */
int pdf_text_string(HPDF_MMgr mmgr, HPDF_Dict dict, const char *key, const char *text);
/* Appends v with at most `dec` decimals (trailing zeros dropped) and the
 * separator c. */
void pdf_put_num(strbuf *b, double v, int dec, char c);

/* ---- the document (pdf.c; the outline and information pdf_outline.c) ---- */
#define MAX_OUTLINE_LEVELS 4

/* A text shaped once: layout measures the same pieces many times. */
typedef struct {
    char *key;
    size_t len;
    int face;
    shape_glyph *g;
    int n;
    double width_em; /* sum of advances, in ems */
} shaped;

struct pdf_doc {
    HPDF_Doc doc;
    pfont fonts[4];
    int nfonts;
    pfont *slot[2][2]; /* [face][0: main, 1: fallback (may be NULL)] */
    int fake_bold[2];  /* per slot column: bold drawn from the regular face, made heavier */
    int auto_fallback; /* the fallback is the bundled font, chosen by khet */
    char *family;      /* the main family's own name */
    long fallback_chars; /* characters drawn by the fallback font */
    shape_ctx *sc;
    shaped *cache;
    size_t cache_cap, cache_n;
    pdf_shapes *shared;   /* the batch's, or NULL */
    char *shape_key[2];   /* per face: its font files, the key in `shared` */
    pdf_zip zip; /* one compressor and output buffer for every stream of the document */
    HPDF_Dict res, font_res, xobj_res; /* one resource dictionary shared by every page */
    HPDF_Page page;                    /* the current page */
    HPDF_Page *pages;
    pdf_page *content; /* per page: its operators and graphics state */
    pdf_page *pg;      /* the current page's */
    int npages;
    size_t pages_cap, content_cap;
    HPDF_Outline outline[MAX_OUTLINE_LEVELS];
    HPDF_Outline ahead[MAX_OUTLINE_LEVELS]; /* group entries waiting for the next entry's destination */
    int nahead;
    double mark_top, mark_bottom;
    long missing; /* characters no font has: drawn as empty boxes */
    int oom;
    int nforms;
    HPDF_STATUS error; /* the first libharu error seen */
    unsigned long detail;
};

#endif
