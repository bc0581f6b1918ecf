/* layout: documents as a list of blocks, laid out on A4 pages and drawn
 * through the pdf device. Knows nothing of provinces or scores.
 *
 * Owns: page geometry and margins, styles, paragraph line breaking (on the
 * Thai engine's break opportunities, with a cluster fallback for overlong
 * words), line height from the font's real mark extents, tables with
 * repeated header rows and rows that move or split across pages, bar charts,
 * signature blocks, the running header and footer with "หน้า x / y", and the
 * PDF outline. The body is laid out once; the furniture goes on every page
 * when the page count is known. Split into layout*.c (see layout_int.h).
 */
#ifndef KHET_LAYOUT_H
#define KHET_LAYOUT_H

#include <stdio.h>

#include "diag.h"
#include "pdf.h"

typedef struct layout_doc layout_doc;

typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_JUSTIFY } layout_align;

typedef struct {
    double size;
    int bold;
    layout_align align;
    double space_before, space_after;
    pdf_rgb color; /* {0, 0, 0}: black */
} layout_style;

typedef struct {
    int landscape;
    double margin_left, margin_right, margin_top, margin_bottom; /* points */
    const char *header, *footer; /* running texts, may be NULL; copied */
    int thai_digits;       /* every text in Thai digits: titles, tables, furniture, page numbers */
    int number_first_page;
    int greedy; /* fill lines greedily instead of balancing the paragraph */
    const char *draft; /* a draft: a light "ร่าง" mark on every page and this footer line; NULL for final */
    int page_numbers;      /* LAYOUT_PAGE_NUMBER_*: "หน้า x / y" at the foot, or "- x -" centred at the top */
    int first_page_number; /* 0 or 1: pages count from 1; n: from n (a document inside a booklet) */
    const struct thai_words *words; /* compounds and units the line breaker keeps together; NULL = none */
    int total_pages; /* 0: the document's own page count; n: the pages of the booklet it is bound in */
    int cover;       /* page 1 is a cover: no running header, footer or number (the draft mark only) */
    /* a final (draft NULL): the draft line whose room it keeps above the
     * footer, so that it breaks its pages where its draft did; NULL: the
     * room of a one-word line */
    const char *draft_room;
} layout_page_setup;

enum { LAYOUT_PAGE_NUMBER_FOOT, LAYOUT_PAGE_NUMBER_OFFICIAL };

layout_doc *layout_new(const layout_page_setup *setup);
void layout_free(layout_doc *d);
/* What the layouts of a batch share: the break opportunities of each text
 * (headings, labels, names and narratives come back in every region's
 * documents), found once per worker instead of once per document. Owned
 * by the batch; it must outlive the documents that use it. */
typedef struct layout_memo layout_memo;
layout_memo *layout_memo_new(void);
void layout_memo_free(layout_memo *m);
void layout_use_memo(layout_doc *d, layout_memo *m);
/* Numbers the pages of a document bound into a booklet: its first page is
 * page `first` of `total`. Only the furniture changes; the body is laid out
 * as before. */
void layout_set_numbering(layout_doc *d, int first, int total);

/* Blocks, in reading order. Text is copied. Each returns 0 or -1 (memory). */
int layout_heading(layout_doc *d, int level, const char *text);
int layout_paragraph(layout_doc *d, const char *text, layout_style style);
int layout_keyvalue(layout_doc *d, const char *key, const char *value, double key_width_mm);
int layout_spacer(layout_doc *d, double points);
int layout_page_break(layout_doc *d);
/* The pages from here on portrait (0) or landscape (1), beginning on a new
 * page unless nothing is on the current one: narrative and signatures on
 * portrait pages, wide tables on landscape ones, in one document. */
int layout_orientation(layout_doc *d, int landscape);
/* The same turn, but only where the document begins a page anyway: the
 * first block from here on that does not fit on the current page begins
 * a turned one; when everything up to the next page break or turn fits,
 * nothing turns (a short handout's narrative stays under its table). */
int layout_orientation_when_full(layout_doc *d, int landscape);
int layout_signature(layout_doc *d, const char *name, const char *position, const char *date);
/* How many blocks the document has so far (a template block that added
 * none has nothing to show). */
int layout_blocks(const layout_doc *d);

/* The signers of a signed-off document, laid out as Thai offices do: each
 * block is "(ลงชื่อ) .......... ROLE", "(NAME)", the position and the date,
 * centred in its column; two signers side by side, a third (the approver)
 * centred below them; more go two to a row. */
typedef struct {
    const char *role, *name, *position, *date;
} layout_signer;
int layout_signers(layout_doc *d, const layout_signer *s, int n);

/* Tables: begin with relative column widths (0 = fit the column to its
 * widest cell, for figures that must not wrap), add rows, end. */
typedef struct {
    const char *text;
    layout_align align;
    int bold;     /* 1 bold; with LAYOUT_ARABIC added (either face) the cell keeps its Arabic digits */
    int shade;    /* 0 none, 1 light, 2 medium */
    int colspan;  /* 0 or 1 = one column */
    int continues; /* the cell above stands for this one too: no border between (in the header rows, its
                      text centred down the rows it spans) */
    int keep_with_next; /* a group heading row (1; 2 a subheading under one): never left alone at a page
                           foot, and repeated with "(ต่อ)" at the top of each page its group goes on to */
} layout_cell;

/* A cell's digits stay Arabic in a Thai-digit document (layout_page_setup.thai_digits): a risk level ("7"),
 * a code, in a column of them; the document's other cells are set in Thai digits. */
#define LAYOUT_ARABIC 2

int layout_table_begin(layout_doc *d, const double *rel_widths, int ncols, double font_size, int header_rows);
int layout_table_row(layout_doc *d, const layout_cell *cells, int ncells);
int layout_table_end(layout_doc *d);
/* Carries the running subtotal of column `col` across page breaks: a row
 * "ยอดยกไป" closes each page of the table and "ยอดยกมา" opens the next. */
int layout_table_carry(layout_doc *d, int col, int decimals);
/* Trades width between the table's text columns (relative widths) while
 * that saves lines: a short table whose texts differ in length (an issue,
 * its action and its owner) gets the fewest lines its rows can take, not
 * the widths its weights say. For tables of up to BALANCE_CELLS text
 * cells; a longer one keeps its weights. -1 when the last block is not a
 * table. */
int layout_table_balance(layout_doc *d);
/* A table of narratives (the KPI report's section 3): a row of six lines
 * or more splits where it stands, three of its lines at least on either
 * side, marked "(ต่อ)", rather than go whole to the next page and leave
 * this one half empty. In other tables (figures of one hospital, one
 * criterion) a row that fits a page moves whole. -1 when the last block is
 * not a table. */
int layout_table_split_tall(layout_doc *d);
/* A table whose text column is a short name (a province) beside many figures: the text
 * columns get no more than their widest cell whole, and the figure columns the rest: their
 * headings whole as far as it goes (cheapest first, then a heading over several columns),
 * then the width left shared among them. As without when the figures alone need more. -1
 * when the last block is not a table. */
int layout_table_snug(layout_doc *d);
/* The padding either side of the text of the last table's cells (3 pt unless
 * set): a table of figures fitted to their widest (the KPI report's CMI
 * appendix) needs more, the ink of a Thai word reaching past its advance
 * (3 pt read as 1 against the column rules). -1 when the last block is not
 * a table or points is not positive. */
int layout_table_padding(layout_doc *d, double points);

/* A bar chart of values with the mean and a shaded band mean ± sd (sd: the
 * band's half-width, k·SD for a Mean ± k·SD band). shade[i] is a grey level
 * 0..1 for bar i (e.g. by grade). */
int layout_bar_chart(layout_doc *d, const char *title, const char *const *labels, const double *values,
                     const double *shade, int n, double mean, double sd, double max_value, const char *legend);
/* A line chart as small multiples: one panel per series, titled with its
 * name, all on one scale chosen from the data (nice steps, never past
 * lo_limit..hi_limit, the range the measure can take; NAN = unbounded);
 * each panel also draws `reference` (nx values, NULL = none) dashed in grey,
 * and labels its last value. A value that is NAN is a month without data:
 * the line breaks there. */
int layout_line_chart(layout_doc *d, const char *title, const char *const *xlabels, int nx,
                      const double *const *series, const char *const *names, int nseries, const double *reference,
                      double lo_limit, double hi_limit, const char *legend);
/* No text of the document's charts below `points` (0: the charts' own
 * sizes, 8-11 pt): the official style asks 12 pt. The charts grow to fit
 * their larger labels. */
void layout_set_chart_min(layout_doc *d, double points);
/* Reference lines (thresholds, grade boundaries) for the chart just added:
 * a dotted line at each value, its label at the line's right end (labels
 * kept apart, with a leader when one had to move). -1 when the last block
 * is not a chart or memory runs out. */
int layout_chart_references(layout_doc *d, const double *values, const char *const *labels, int n);

/* ---- The display list: layout decides, a painter draws ----
 * layout_build lays the document out into pages of positioned items,
 * measuring text through `pdf` but drawing nothing; layout_paint draws a
 * list through the pdf device (and is the only layout code that does).
 * Tests read the list to check page breaks and positions exactly. */
typedef struct layout_list layout_list;

typedef enum {
    LAYOUT_TEXT,    /* a run of text: x, y its baseline start; size, bold, color */
    LAYOUT_RULE,    /* a line from (x, y) to (x2, y2); width, color, dashed (1 dashes, 2 dots) */
    LAYOUT_RECT,    /* a rectangle, lower left (x, y), size x2 by y2; filled with fill
                       if has_fill, outlined with color at width if has_stroke */
    LAYOUT_OUTLINE, /* a bookmark: level (0 top), text, pointing at height y of its page */
} layout_item_kind;

typedef struct {
    layout_item_kind kind;
    int page;       /* 1-based */
    int furniture;  /* running header, footer, page number, draft mark */
    double x, y, x2, y2;
    double size;    /* TEXT: font size in points */
    double width;   /* RULE, RECT: line width */
    int bold, dashed, level, has_fill, has_stroke;
    pdf_rgb color, fill;
    const char *text; /* TEXT, OUTLINE: UTF-8 as given (not shaped), len bytes */
    size_t len;
} layout_item;

/* The list, or NULL after reporting to diag. Freed with layout_list_free. */
layout_list *layout_build(layout_doc *d, pdf_doc *pdf, diag_ctx *diag);
/* The name warnings about the document give it (its file); 0 or -1. */
int layout_set_source(layout_doc *d, const char *name);
void layout_list_free(layout_list *l);
int layout_list_pages(const layout_list *l);
/* Items in painting order: page by page, the body before the furniture. The
 * pointer stays valid until layout_list_free. */
int layout_list_count(const layout_list *l);
const layout_item *layout_list_item(const layout_list *l, int i);
/* One line per item, for golden files and debugging: page, kind, numbers
 * with two decimals, text. 0 or -1 (write error). */
int layout_list_dump(const layout_list *l, FILE *f);
/* Draws every page of the list onto pdf; 0 or -1 after reporting to diag. */
int layout_paint(const layout_list *l, pdf_doc *pdf, diag_ctx *diag);
/* The same, with the list's outline entries `depth` levels deeper (a
 * document bound under a group heading of a booklet's outline). */
int layout_paint_nested(const layout_list *l, pdf_doc *pdf, int depth, diag_ctx *diag);

/* layout_build then layout_paint; returns the page count or -1. */
int layout_render(layout_doc *d, pdf_doc *pdf, diag_ctx *diag);

#endif
