/* pdf: the PDF device, on libharu. The layout engine draws through it and
 * never calls libharu itself.
 *
 * Owns: the document, the two faces of a font family and of its fallback
 * (regular and bold, embedded, Identity-H; their objects are pdf_font.c's),
 * shaped text (through shape.c, cached per text) written glyph by glyph at
 * HarfBuzz's positions with codes that give back the text that went in (so
 * copy, paste and search work in poppler, MuPDF and pdf.js), the page
 * content written by khet's own operators and fixed-point numbers, every
 * stream compressed with libdeflate (one compressor for the document),
 * outlines, document info, and saving through a temporary file.
 * Text given to it is logical UTF-8, as typed: shaping (mark placement) and
 * the measuring of shaped text happen in here, so the layout never shapes.
 *
 * Errors: libharu reports through a callback; the first error is kept and is
 * sticky. Every drawing call returns -1 once an error happened, and pdf_save
 * refuses to write a document that had one, so a caller that ignores a
 * drawing call's result still never produces a damaged file.
 */
#ifndef KHET_PDF_H
#define KHET_PDF_H

#include <stddef.h>

#include "diag.h"

typedef struct pdf_doc pdf_doc;
/* What the documents of a batch share (pdf_shapes.c): a worker that
 * renders many documents shapes each text, looks each font up and
 * compresses each font subset once for all of them. */
typedef struct pdf_shapes pdf_shapes;
pdf_shapes *pdf_shapes_new(void);
void pdf_shapes_free(pdf_shapes *s);
typedef enum { PDF_REGULAR, PDF_BOLD } pdf_face;

typedef struct {
    double r, g, b;
} pdf_rgb;

/* Opens a document with fonts FAMILY.ttf (or FAMILY-Regular.ttf) and
 * FAMILY-Bold.ttf from font_dir; family "THAI,LATIN" names a fallback for
 * the characters the Thai font lacks. Checks each font can be used (see
 * shape.h) and refuses a font without Latin letters when no fallback is
 * named. NULL after reporting. */
pdf_doc *pdf_new(const char *font_dir, const char *family, diag_ctx *d);
/* The same in a batch: fonts looked up, texts shaped and font subsets
 * compressed through `shared` (NULL: none; it must outlive the document). */
pdf_doc *pdf_new_in(const char *font_dir, const char *family, pdf_shapes *shared, diag_ctx *d);
void pdf_free(pdf_doc *p);

/* Width in points of logical UTF-8 text at `size`, as drawn (shaped);
 * -1 when out of memory. */
double pdf_text_width(pdf_doc *p, pdf_face f, double size, const char *s, size_t len);
/* The font's real extents of stacked marks, per point of size: the highest
 * tone over an upper vowel and the lowest lower vowel. */
double pdf_mark_top(const pdf_doc *p);
/* The ink extents of logical UTF-8 text as drawn, per point of size, from the
 * real glyph boxes: *top above the baseline, *bottom below it (negative).
 * -1 when out of memory (then both are 0). */
int pdf_text_extent(pdf_doc *p, pdf_face f, const char *s, size_t len, double *top, double *bottom);
double pdf_mark_bottom(const pdf_doc *p); /* negative */

int pdf_begin_page(pdf_doc *p, double width, double height);
/* Makes page `index` (0-based, already begun) current again, so running
 * furniture such as "page x of y" can be drawn once the count is known. */
int pdf_select_page(pdf_doc *p, int index);
int pdf_text(pdf_doc *p, pdf_face f, double size, double x, double y, const char *s, size_t len, pdf_rgb c);
int pdf_rect(pdf_doc *p, double x, double y, double w, double h, const pdf_rgb *fill, const pdf_rgb *stroke,
             double line_width);
/* dashed: 0 solid, 1 dashes (3 on, 2 off), 2 dots (1 on, 2 off). */
int pdf_line(pdf_doc *p, double x0, double y0, double x1, double y1, pdf_rgb c, double width, int dashed);
/* An outline entry pointing at the current page at height y. */
int pdf_outline(pdf_doc *p, int level, const char *title, double y);
/* An open group entry (e.g. "the provinces' scorecards") whose pages are
 * not drawn yet: it points where the next entry made points. */
int pdf_outline_group(pdf_doc *p, int level, const char *title);

/* Document info; date as "YYYYMMDDHHMMSS" or NULL for none. */
int pdf_info(pdf_doc *p, const char *title, const char *author, const char *subject, const char *keywords,
             const char *date);

/* Writes the document to path via a temporary file and rename. */
int pdf_save(pdf_doc *p, const char *path, diag_ctx *d);
/* The same into a batch's staging folder: the file's data are synced, its
 * folder is not (the document is moved on, and its destination synced). */
int pdf_save_staged(pdf_doc *p, const char *path, diag_ctx *d);

#endif
