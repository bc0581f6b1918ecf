/* layout_int.h: what the parts of the layout engine share, and nothing
 * outside it sees (layout.h is the only public face).
 *
 * The parts depend one way:
 *   layout.c        block API and document driver (keep rules, page count)
 *   layout_text.c   line breaking, lines, text blocks, signatures
 *   layout_table.c  tables: where the rows go; layout_table_draw.c draws
 *                   them, layout_table_cells.c sets them up, layout_columns.c
 *                   fits the columns (layout_table_int.h: what they share)
 *   layout_chart.c  bar and line charts
 *   layout_page.c   page driver (new page, room left), measuring, furniture
 *   layout_list.c   the display list the parts add items to
 *   layout_cache.c  widths, extents, broken lines and break opportunities, found once
 *   layout_paint.c  the painter: draws a finished list through pdf.h
 * layout.c -> text / table / chart -> page -> list (-> paint); table also
 * breaks lines with text. Layout measures through pdf.h but never draws.
 */
#ifndef KHET_LAYOUT_INT_H
#define KHET_LAYOUT_INT_H

#include "layout.h"
#include "thai.h"

#define MM (72.0 / 25.4)
#define PAD 3.0 /* a table cell's padding above and below its text, and by default either side */
/* A table's cells' padding either side of their text (layout_table_padding) */
#define HPAD(T) ((T)->t->hpad > 0 ? (T)->t->hpad : PAD)

typedef enum { B_HEADING, B_PARA, B_KV, B_SPACER, B_BREAK, B_SIGN, B_SIGNS, B_TABLE, B_BAR, B_LINE, B_ORIENT } block_type;

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
    int balance; /* layout_table_balance: the text columns' widths traded for the fewest lines */
    int split_tall; /* layout_table_split_tall: a row of SPLIT_LINES lines or more splits where it stands */
    int snug;    /* layout_table_snug: the text columns no wider than their widest cell */
    double hpad; /* layout_table_padding: the cells' padding either side of their text, 0: PAD */
    double fsize;
    trow *rows;
    /* charts */
    char **labels, **names;
    double *values, *shade, **series;
    int n, nseries;
    double mean, sd, maxv, target;
    double *reference;        /* line chart: the reference series drawn in every panel, n values; NULL none */
    double lo_limit, hi_limit; /* line chart: the range the measure can take (NAN: unbounded) */
    double *refs;             /* reference lines at these values, labelled at their right end */
    char **ref_labels;
    int nrefs;
} block;

struct layout_doc {
    layout_page_setup setup;
    char *header, *footer, *draft, *draft_room; /* the copies setup points at */
    char *source;                  /* the document's name in warnings, or NULL */
    block *blocks;
    int n;
    size_t cap;
    layout_memo *memo; /* the batch's, or NULL (layout_use_memo) */
    double chart_min;  /* no chart text smaller (layout_set_chart_min), 0: as designed */
};

static const pdf_rgb BLACK = {0, 0, 0}, GREY = {0.35, 0.35, 0.35};
typedef struct {
    double top, pitch; /* baseline below the line's top; distance between baselines */
} metrics;

typedef struct {
    size_t start, end; /* byte range of the line, trailing blanks excluded */
    double w;          /* its width, measured while breaking; < 0 if not known */
} line_span;

typedef struct {
    line_span *v;
    int n;
    size_t cap;
} lines;

/* ---- layout_cache.c: measurements remembered for one layout ---- */
typedef struct ly_cache ly_cache;
typedef struct {
    int what; /* one of the LY_* below */
    int face; /* 0 regular, 1 bold */
    double a, b;
} ly_key;
enum { LY_WIDTH, LY_EXTENT, LY_LINES, LY_BREAKS, LY_WIDEST };
/* A text's break opportunities (thai_breaks_with), found once per text. */
typedef struct {
    int n;
    size_t *off;
    unsigned char *hard;
} ly_breaks;
typedef struct {
    double v[2];
    lines *lines;     /* LY_LINES: owned by the cache */
    ly_breaks *breaks; /* LY_BREAKS: owned by the cache */
} ly_value;
ly_cache *ly_cache_new(void);
void ly_cache_free(ly_cache *c);
/* The memo's cache of break opportunities for a layout with these word
 * lists; NULL when there is no memo or it was made for other lists. */
ly_cache *ly_memo_breaks(layout_memo *m, const struct thai_words *words);
ly_value *ly_cache_find(ly_cache *c, ly_key k, const char *s, size_t len); /* NULL: not there */
int ly_cache_put(ly_cache *c, ly_key k, const char *s, size_t len, ly_value v); /* -1: memory */

/* The running header's and footer's size, and the most lines a footer takes. */
#define FOOTER_SIZE 12
#define FOOTER_LINES 3

/* ---- the layout of one document in progress ---- */
typedef struct {
    layout_doc *d;
    pdf_doc *pdf; /* for measuring only: layout_paint draws */
    layout_list *out;
    ly_cache *cache;
    thai_breaker *breaker;
    int page, total, err;
    int furniture; /* items being added are running furniture */
    double pw, ph, x0, x1, ytop, ybot, y;
    int landscape;       /* the orientation of the page being laid out (layout_orientation) */
    /* the running footer's lines on portrait [0] and landscape [1] paper, at
     * FOOTER_SIZE: a long footer wraps rather than shrinks (layout.c's footer_lines) */
    line_span foot[2][FOOTER_LINES];
    int nfoot[2];
    int foot_number[2]; /* the footer line the page number stands beside (modern style); -1: on the draft line's row */
    int pending_turn;   /* a deferred turn (layout_orientation_when_full): 0 portrait, 1 landscape, -1 none */
    int words_cut;       /* words wider than their box, cut between clusters */
    char first_cut[96];  /* the first of them, for the warning */
    int first_cut_page;  /* the page its block is on */
    struct ly_prepared *prepared; /* the table last measured for its lead, kept for its drawing (layout_table.c) */
    double after;        /* what follows the block being drawn on its page, up to the next break (layout.c's
                            rest_height); -1 when it cannot be told: a line chart grows its plots into the rest */
} rctx;

/* ---- layout_cache.c: a text's break opportunities, in the batch's memo or the layout's cache ---- */
/* s's break opportunities, found once per layout; NULL: out of memory (c->err set). */
const ly_breaks *ly_breaks_of(rctx *c, const char *s);
/* The breaks of s when they were already found, else NULL (never computes them). */
const ly_breaks *ly_breaks_known(rctx *c, const char *s, size_t len);

/* ---- layout_list.c: the display list ---- */
layout_list *ly_list_new(double page_width, double page_height);
void ly_list_set_pages(layout_list *l, int pages);
/* A page's orientation, where a document turns its pages (layout_orientation):
 * set as the page is begun; a page never set has the list's own size. */
int ly_list_set_landscape(layout_list *l, int page, int landscape);
void ly_list_page_size(const layout_list *l, int page, double *w, double *h);
int ly_list_seal(layout_list *l);
double ly_list_width(const layout_list *l);
double ly_list_height(const layout_list *l);
/* Items on the current page (c->page); out of memory sets c->err. */
void ly_text_at(rctx *c, const char *s, size_t len, double x, double y, double size, int bold, pdf_rgb col);
void ly_rule(rctx *c, double x0, double y0, double x1, double y1, pdf_rgb col, double width, int dashed);
void ly_rect(rctx *c, double x, double y, double w, double h, const pdf_rgb *fill, const pdf_rgb *stroke, double lw);
void ly_outline(rctx *c, int level, const char *title, double y);
/* A text the layout makes itself (a page number) as the document sets its texts (Thai digits when it asks):
 * a copy, or NULL (c->err set). The texts of the blocks were set so when they were given (layout.c). */
char *ly_own_text(rctx *c, const char *s);

/* ---- layout_page.c: page driver, measuring, furniture ---- */
double ly_line_height(rctx *c, double size);
double ly_baseline_offset(rctx *c, double size);
metrics ly_text_metrics(rctx *c, const char *s, double size, int bold);
double ly_width_of(rctx *c, const char *s, size_t len, double size, int bold);
double ly_footer_baseline(rctx *c, double size);
/* The ink extents of s per point of size, digits as drawn; cached. */
void ly_extent_of(rctx *c, const char *s, int bold, double *top, double *bottom);
/* The lowest y the body may use on the current page's paper (c->foot set). */
double ly_body_bottom(rctx *c);
/* The room the page number takes beside the footer (0: it stands at the top). */
double ly_number_room(rctx *c);
/* The width of the draft line (or of the row a final keeps for it) at its size. */
double ly_draft_width(rctx *c);
void ly_furniture(rctx *c);
void ly_new_page(rctx *c);
/* The page geometry of an orientation (A4 turned or not, the setup's margins). */
void ly_page_geometry(rctx *c, int landscape);
/* Starts a new page unless h points still fit above the bottom margin (or
 * the page is still empty). */
void ly_ensure(rctx *c, double h);

/* ---- layout_text.c: line breaking, text blocks, signatures ---- */
/* The lines of s in a box `width` wide, broken once per layout and kept
 * (owned by the layout's cache); NULL, with c->err set, when memory runs out. */
const lines *ly_break_lines(rctx *c, const char *s, double width, double size, int bold);
void ly_draw_line(rctx *c, const char *s, line_span ln, double x, double width, double y, double size, int bold,
                  layout_align align, int last, pdf_rgb col);
/* The share of a page a paragraph kept whole on one page may take (a longer one splits, two lines a side). */
#define KEEP_WHOLE 0.3
void ly_text_block(rctx *c, const char *text, layout_style st, double x, double width, int keep_next);
/* The room ly_text_block keeps for n lines of pitch lh before it draws the first */
double ly_text_keep(const rctx *c, int n, double lh, int keep_next);
void ly_render_kv(rctx *c, const block *b);
double ly_signature_height(rctx *c, const block *b);
void ly_render_signature(rctx *c, const block *b);
double ly_signers_height(rctx *c, const block *b);
void ly_render_signers(rctx *c, const block *b);

/* ---- layout_table*.c, layout_columns.c: a table being laid out ---- */
/* What one cell shows: lines [first, first + n) of L, which index into text
 * (its own text, or the text flowing down from where a span starts). */
typedef struct {
    const char *text;
    const lines *L;
    int first, n;
    int empty; /* no text of its own and none flowing into it */
    double dy; /* the top of its first line below the row's top: PAD, or where a text flowing down from the rows
                  above goes on as one paragraph (flow_one: less than PAD, its line begun in their padding) */
} cell_view;

typedef struct {
    cell_view *cells; /* one per cell of the row */
    int nl;           /* the most lines of any cell */
    double h;         /* the row's height: its tallest non-empty cell and padding */
} row_layout;

/* The table being laid out. */
typedef struct {
    rctx *c;
    const block *t;
    double *colw;      /* one per column */
    row_layout *rows;  /* one per row */
    cell_view *views;  /* the rows' cells, in one block */
    int *below;        /* [row * ncols + col]: the cells continuing below the cell there (ly_span_below) */
    metrics m;         /* one line pitch for every row */
    double carry;      /* the running subtotal of the carry column */
    int page_top_row;  /* the next data row is the first on its page */
    int widow_at;      /* the row a page break is kept before (table_widows), or -1 */
    double before_turn; /* the pages turn after the table: the height of what joins its last page (its notes,
                           a short table), or -1 (turns_after) */
    double note_after;  /* the height of the note under the table (a short paragraph right after it), which
                           goes over with the table's last rows rather than alone (note_height), or 0 */
    int first_page;     /* the page the table begins on */
    int next;           /* the row being placed */
    int group[2];       /* the group heading and subheading rows the rows being placed stand under, or -1 */
    int fresh;          /* nothing but the header and repeated headings on this page of the table yet */
} table;
/* layout_columns.c: sets T->colw; returns the type size the table needs
 * (its own, or smaller when it cannot fit). */
double ly_fit_columns(table *T);
/* layout_table_balance: the text columns' widths traded for the fewest lines. */
void ly_balance_columns(table *T);
void ly_render_table(rctx *c, const block *t);
void ly_table_forget(rctx *c); /* frees the table kept by ly_table_lead */
/* The height a table keeps together where it begins, at its rows' real
 * heights; *whole: the table moves whole (a short one). */
double ly_table_lead(rctx *c, const block *t, int *whole);

/* ---- layout_chart.c ---- */
void ly_render_bar(rctx *c, const block *b);
void ly_render_linechart(rctx *c, const block *b);
/* What a chart needs below a heading to stay with it: the bar chart whole,
 * the line chart's title and first row of panels. */
double ly_chart_lead(rctx *c, const block *b);

/* Whether a text is a figure: digits (Arabic or Thai), separators, a sign. */
int ly_is_figure(const char *s, size_t n);

#endif
