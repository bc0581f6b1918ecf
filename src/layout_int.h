/* layout_int.h: what the parts of the layout engine share, and nothing
 * outside it sees (layout.h is the only public face).
 *
 * The parts depend one way:
 *   layout.c        block API and document driver (keep rules, page count)
 *   layout_text.c   line breaking, lines, text blocks, signatures
 *   layout_table.c  tables (columns, spans, split rows, repeated headers)
 *   layout_chart.c  bar and line charts
 *   layout_page.c   page driver (new page, room left), measuring, furniture
 * layout.c -> text / table / chart -> page; table also breaks lines with text.
 */
#ifndef KHET_LAYOUT_INT_H
#define KHET_LAYOUT_INT_H

#include "layout.h"
#include "thai.h"

#define MM (72.0 / 25.4)
#define PAD 3.0

typedef enum { B_HEADING, B_PARA, B_KV, B_SPACER, B_BREAK, B_SIGN, B_SIGNS, B_TABLE, B_BAR, B_LINE } block_type;

typedef struct {
    char *text;
    layout_align align;
    int bold, shade, colspan, cont, keep;
} cell;

typedef struct {
    cell *cells;
    int n;
} trow;

typedef struct {
    block_type type;
    int level;
    char *text, *text2, *text3;
    layout_style style;
    double num;
    /* table */
    double *rel;
    int ncols, header_rows, nrows;
    size_t rows_cap;
    int carry_col, carry_decimals; /* running subtotal carried across pages, -1 none */
    double fsize;
    trow *rows;
    /* charts */
    char **labels, **names;
    double *values, *shade, **series;
    int n, nseries;
    double mean, sd, maxv, target;
} block;

struct layout_doc {
    layout_page_setup setup;
    char *header, *footer, *draft; /* the copies setup points at */
    block *blocks;
    int n;
    size_t cap;
};

static const pdf_rgb BLACK = {0, 0, 0}, GREY = {0.35, 0.35, 0.35};
typedef struct {
    double top, pitch; /* baseline below the line's top; distance between baselines */
} metrics;

/* ------------------------------------------------------------------ */
/* Rendering context                                                   */

typedef struct {
    layout_doc *d;
    pdf_doc *pdf;
    diag_ctx *diag;
    int draw, page, total, err;
    double pw, ph, x0, x1, ytop, ybot, y;
    /* table in progress, for header repetition after a page break */
    const block *table;
    double *colw;
    char **flow; /* per row x MAX_CELLS: the part of a spanning text a row shows */
    double carry; /* the running subtotal of the table's carry column */
    int page_top_row; /* the next data row is the first on its page */
    thai_breaker *breaker;
    metrics table_m; /* one line pitch for every row of the table in progress */
} rctx;

#define MAX_CELLS 64
typedef struct {
    size_t start, end; /* byte range of the line, trailing blanks excluded */
    double w;          /* its width, measured while breaking; < 0 if not known */
} line_span;

typedef struct {
    line_span *v;
    int n;
    size_t cap;
} lines;

/* ---- layout_page.c: page driver, measuring, furniture ---- */
double ly_line_height(rctx *c, double size);
double ly_baseline_offset(rctx *c, double size);
metrics ly_text_metrics(rctx *c, const char *s, double size, int bold);
void ly_text_at(rctx *c, const char *s, size_t len, double x, double y, double size, int bold, pdf_rgb col);
double ly_width_of(rctx *c, const char *s, size_t len, double size, int bold);
char *ly_shaped(rctx *c, const char *s, size_t len); /* digits as asked, marks placed; caller frees */
double ly_footer_baseline(rctx *c, double size);
void ly_furniture(rctx *c);
void ly_new_page(rctx *c);
/* Starts a new page unless h points still fit above the bottom margin (or
 * the page is still empty). */
void ly_ensure(rctx *c, double h);

/* ---- layout_text.c: line breaking, text blocks, signatures ---- */
int ly_break_lines(rctx *c, const char *s, double width, double size, int bold, lines *L);
void ly_draw_line(rctx *c, const char *s, line_span ln, double x, double width, double y, double size, int bold,
                  layout_align align, int last, pdf_rgb col);
void ly_text_block(rctx *c, const char *text, layout_style st, double x, double width, int keep_next);
void ly_render_kv(rctx *c, const block *b);
double ly_signature_height(rctx *c, const block *b);
void ly_render_signature(rctx *c, const block *b);
double ly_signers_height(rctx *c, const block *b);
void ly_render_signers(rctx *c, const block *b);

/* ---- layout_table.c ---- */
void ly_render_table(rctx *c, const block *t);

/* ---- layout_chart.c ---- */
void ly_render_bar(rctx *c, const block *b);
void ly_render_linechart(rctx *c, const block *b);

#endif
