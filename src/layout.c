#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "thai.h"
#include "util.h"

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

/* ------------------------------------------------------------------ */
/* Building                                                            */

layout_doc *layout_new(const layout_page_setup *s)
{
    layout_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->setup = *s;
    d->setup.header = d->header = s->header ? util_strdup(s->header) : NULL;
    d->setup.footer = d->footer = s->footer ? util_strdup(s->footer) : NULL;
    d->setup.draft = d->draft = s->draft ? util_strdup(s->draft) : NULL;
    if ((s->header && !d->header) || (s->footer && !d->footer) || (s->draft && !d->draft)) {
        layout_free(d);
        return NULL;
    }
    return d;
}

static void free_block(block *b)
{
    free(b->text);
    free(b->text2);
    free(b->text3);
    free(b->rel);
    for (int r = 0; r < b->nrows; r++) {
        for (int c = 0; c < b->rows[r].n; c++)
            free(b->rows[r].cells[c].text);
        free(b->rows[r].cells);
    }
    free(b->rows);
    for (int i = 0; i < b->n; i++)
        if (b->labels)
            free(b->labels[i]);
    for (int i = 0; i < b->nseries; i++) {
        free(b->names[i]);
        free(b->series[i]);
    }
    free(b->labels);
    free(b->names);
    free(b->series);
    free(b->values);
    free(b->shade);
}

void layout_free(layout_doc *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++)
        free_block(&d->blocks[i]);
    free(d->blocks);
    free(d->header);
    free(d->footer);
    free(d->draft);
    free(d);
}

static block *add_block(layout_doc *d, block_type t)
{
    if (util_grow((void **)&d->blocks, &d->cap, d->n + 1, sizeof *d->blocks))
        return NULL;
    block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->type = t;
    return b;
}

static int dup_into(char **dst, const char *s)
{
    *dst = util_strdup(s ? s : "");
    return *dst ? 0 : -1;
}

int layout_heading(layout_doc *d, int level, const char *text)
{
    block *b = add_block(d, B_HEADING);
    if (!b)
        return -1;
    b->level = level;
    b->style = (layout_style){level <= 1 ? 20 : level == 2 ? 17 : 16, 1, level <= 1 ? ALIGN_CENTER : ALIGN_LEFT,
                              level <= 1 ? 0 : 8, 4, BLACK};
    return dup_into(&b->text, text);
}

int layout_paragraph(layout_doc *d, const char *text, layout_style style)
{
    block *b = add_block(d, B_PARA);
    if (!b)
        return -1;
    b->style = style;
    return dup_into(&b->text, text);
}

int layout_keyvalue(layout_doc *d, const char *key, const char *value, double key_width_mm)
{
    block *b = add_block(d, B_KV);
    if (!b)
        return -1;
    b->num = key_width_mm * MM;
    b->style = (layout_style){16, 0, ALIGN_LEFT, 0, 0, BLACK};
    return dup_into(&b->text, key) || dup_into(&b->text2, value) ? -1 : 0;
}

int layout_spacer(layout_doc *d, double points)
{
    block *b = add_block(d, B_SPACER);
    if (!b)
        return -1;
    b->num = points;
    return 0;
}

int layout_page_break(layout_doc *d) { return add_block(d, B_BREAK) ? 0 : -1; }

int layout_signature(layout_doc *d, const char *name, const char *position, const char *date)
{
    block *b = add_block(d, B_SIGN);
    if (!b)
        return -1;
    return dup_into(&b->text, name) || dup_into(&b->text2, position) || dup_into(&b->text3, date) ? -1 : 0;
}

/* Kept as four texts a signer in labels: role, name, position, date. */
int layout_signers(layout_doc *d, const layout_signer *s, int n)
{
    block *b = add_block(d, B_SIGNS);
    if (!b || !(b->labels = calloc((size_t)n * 4, sizeof *b->labels)))
        return -1;
    b->n = n * 4;
    for (int i = 0; i < n; i++) {
        const char *t[4] = {s[i].role, s[i].name, s[i].position, s[i].date};
        for (int k = 0; k < 4; k++)
            if (dup_into(&b->labels[i * 4 + k], t[k]))
                return -1;
    }
    return 0;
}

int layout_table_begin(layout_doc *d, const double *rel, int ncols, double font_size, int header_rows)
{
    block *b = add_block(d, B_TABLE);
    if (!b || !(b->rel = malloc((size_t)ncols * sizeof *b->rel)))
        return -1;
    memcpy(b->rel, rel, (size_t)ncols * sizeof *rel);
    b->ncols = ncols;
    b->fsize = font_size;
    b->header_rows = header_rows;
    b->carry_col = -1;
    return 0;
}

int layout_table_carry(layout_doc *d, int col, int decimals)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || b->type != B_TABLE || col < 0 || col >= b->ncols)
        return -1;
    b->carry_col = col;
    b->carry_decimals = decimals;
    return 0;
}

int layout_table_row(layout_doc *d, const layout_cell *cells, int n)
{
    block *b = &d->blocks[d->n - 1];
    if (b->type != B_TABLE)
        return -1;
    if (util_grow((void **)&b->rows, &b->rows_cap, (size_t)b->nrows + 1, sizeof *b->rows))
        return -1;
    trow *r = &b->rows[b->nrows];
    r->cells = calloc((size_t)n, sizeof *r->cells);
    if (!r->cells)
        return -1;
    r->n = n;
    b->nrows++;
    for (int i = 0; i < n; i++) {
        cell *c = &r->cells[i];
        c->align = cells[i].align;
        c->bold = cells[i].bold;
        c->shade = cells[i].shade;
        c->colspan = cells[i].colspan > 1 ? cells[i].colspan : 1;
        c->cont = cells[i].continues;
        c->keep = cells[i].keep_with_next;
        if (dup_into(&c->text, cells[i].text))
            return -1;
    }
    return 0;
}

int layout_table_end(layout_doc *d) { return d->n && d->blocks[d->n - 1].type == B_TABLE ? 0 : -1; }

/* A copy of n strings, or NULL (nothing half-copied) when memory runs out. */
static char **copy_strings(const char *const *s, int n)
{
    char **out = calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out && i < n; i++)
        if (!(out[i] = util_strdup(s[i] ? s[i] : ""))) {
            for (int k = 0; k < i; k++)
                free(out[k]);
            free(out);
            return NULL;
        }
    return out;
}

static double *copy_doubles(const double *v, int n)
{
    double *out = malloc(((size_t)n + 1) * sizeof *out);
    if (out && n)
        memcpy(out, v, (size_t)n * sizeof *v);
    return out;
}

int layout_bar_chart(layout_doc *d, const char *title, const char *const *labels, const double *values,
                     const double *shade, int n, double mean, double sd, double max_value, const char *legend)
{
    block *b = add_block(d, B_BAR);
    if (!b)
        return -1;
    b->n = n;
    b->labels = copy_strings(labels, n);
    b->values = copy_doubles(values, n);
    b->shade = copy_doubles(shade, n);
    b->mean = mean;
    b->sd = sd;
    b->maxv = max_value;
    if (!b->labels || !b->values || !b->shade)
        return -1;
    return dup_into(&b->text, title) || dup_into(&b->text2, legend) ? -1 : 0;
}

int layout_line_chart(layout_doc *d, const char *title, const char *const *xl, int nx, const double *const *series,
                      const char *const *names, int nseries, double target, const char *target_label)
{
    block *b = add_block(d, B_LINE);
    if (!b)
        return -1;
    b->n = nx;
    b->labels = copy_strings(xl, nx);
    b->names = calloc((size_t)nseries + 1, sizeof *b->names);
    b->series = calloc((size_t)nseries + 1, sizeof *b->series);
    if (!b->labels || !b->names || !b->series)
        return -1;
    b->nseries = nseries;
    for (int i = 0; i < nseries; i++) {
        b->names[i] = util_strdup(names[i]);
        b->series[i] = copy_doubles(series[i], nx);
        if (!b->names[i] || !b->series[i])
            return -1;
    }
    b->target = target;
    return dup_into(&b->text, title) || dup_into(&b->text2, target_label) ? -1 : 0;
}

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

/* Line pitch for labels and charts: room for the tallest stacks of the font. */
static double line_height(rctx *c, double size)
{
    return size * (pdf_mark_top(c->pdf) - pdf_mark_bottom(c->pdf));
}

static double baseline_offset(rctx *c, double size) { return size * pdf_mark_top(c->pdf); }

/* Line metrics of a text block from the ink of its own glyphs: lines are
 * spaced evenly, just far enough apart that the tallest mark stack of one
 * line cannot touch the lowest vowel of the line above. A floor keeps plain
 * lines from being set tighter than upper and lower vowels need. */
static metrics text_metrics(rctx *c, const char *s, double size, int bold)
{
    char *sh = thai_shape(s);
    double top = 0.95, bottom = -0.37;
    if (!sh)
        c->err = 1;
    if (sh) {
        double t, b;
        pdf_text_extent(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, sh, strlen(sh), &t, &b);
        top = t > top ? t : top;
        bottom = b < bottom ? b : bottom;
    }
    free(sh);
    return (metrics){size * (top + 0.03), size * (top - bottom + 0.06)};
}

static void text_at(rctx *c, const char *s, size_t len, double x, double y, double size, int bold, pdf_rgb col)
{
    if (!c->draw || c->err)
        return;
    char *t = util_strndup(s, len), *sh = t ? thai_shape(t) : NULL;
    if (!sh || pdf_text(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, size, x, y, sh, strlen(sh), col) != 0)
        c->err = 1;
    free(t);
    free(sh);
}

static double width_of(rctx *c, const char *s, size_t len, double size, int bold)
{
    char *t = util_strndup(s, len), *sh = t ? thai_shape(t) : NULL;
    double w = sh ? pdf_text_width(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, size, sh, strlen(sh)) : 0;
    if (!sh)
        c->err = 1; /* out of memory: a width of 0 would lay out wrongly */
    free(t);
    free(sh);
    return w;
}

/* A draft says so on every page: a light boxed "ร่าง" in the top margin,
 * clear of the text, and a footer line above the running footer. */
static void draw_draft(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    static const pdf_rgb LIGHT = {0.72, 0.72, 0.72};
    double size = 26, w = width_of(c, "ร่าง", strlen("ร่าง"), size, 1) + 16, h = size * 1.05;
    double x = c->x1 - w, y = c->ph - s->margin_top * 0.5 - h * 0.45;
    if (c->draw && !c->err && pdf_rect(c->pdf, x, y, w, h, NULL, &LIGHT, 1.2) != 0)
        c->err = 1;
    text_at(c, "ร่าง", strlen("ร่าง"), x + 8, y + h * 0.28, size, 1, LIGHT);
    text_at(c, s->draft, strlen(s->draft), c->x0, s->margin_bottom * 0.4 + 13, 11, 0, GREY);
}

static void draw_furniture(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    double size = 12;
    if (s->header)
        text_at(c, s->header, strlen(s->header), c->x0, c->ph - s->margin_top * 0.5, size, 0, GREY);
    if (s->footer)
        text_at(c, s->footer, strlen(s->footer), c->x0, s->margin_bottom * 0.4, size, 0, GREY);
    if (c->page > 1 || s->number_first_page) {
        char *num = util_format("หน้า %d / %d", c->page, c->total);
        char *t = num && s->thai_digits ? thai_digits(num) : NULL;
        const char *show = s->thai_digits ? t : num;
        if (!show)
            c->err = 1;
        if (show) {
            double w = width_of(c, show, strlen(show), size, 0);
            text_at(c, show, strlen(show), c->x1 - w, s->margin_bottom * 0.4, size, 0, GREY);
        }
        free(num);
        free(t);
    }
    if (s->draft)
        draw_draft(c);
}

static void table_header(rctx *c);

static void new_page(rctx *c)
{
    c->page++;
    c->y = c->ytop;
    if (c->draw && !c->err && pdf_begin_page(c->pdf, c->pw, c->ph) != 0)
        c->err = 1;
    if (c->table)
        table_header(c);
}

static void ensure(rctx *c, double h)
{
    if (c->y - h < c->ybot && c->y < c->ytop - 1)
        new_page(c);
}

/* ------------------------------------------------------------------ */
/* Line breaking                                                       */

typedef struct {
    size_t start, end; /* byte range of the line, trailing blanks excluded */
    double w;          /* its width, measured while breaking; < 0 if not known */
} line_span;

typedef struct {
    line_span *v;
    int n;
    size_t cap;
} lines;

static int is_blank(char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; }

/* Adds a line of width w (< 0: not known), its blanks trimmed at both ends. */
static int push_line(lines *L, const char *s, size_t a, size_t b, double w)
{
    while (b > a && is_blank(s[b - 1]))
        b--;
    if (a < b && s[a] == ' ')
        w = -1; /* leading blanks were measured with the line: measure again when drawn */
    while (a < b && s[a] == ' ')
        a++;
    if (util_grow((void **)&L->v, &L->cap, (size_t)L->n + 1, sizeof *L->v))
        return -1;
    L->v[L->n++] = (line_span){a, b, w};
    return 0;
}

/* Cuts an overlong piece at grapheme clusters; returns the end of what fits
 * (at least one cluster, so progress is always made). */
static size_t fit_clusters(rctx *c, const char *s, size_t a, size_t b, double width, double size, int bold)
{
    size_t *off = NULL;
    int n = thai_clusters(s + a, b - a, &off);
    size_t best = n > 0 ? a + off[0] : b;
    for (int i = 1; i < n; i++) {
        if (width_of(c, s + a, off[i], size, bold) > width)
            break;
        best = a + off[i];
    }
    free(off);
    return best;
}

/* A piece of text between two break opportunities. */
typedef struct {
    size_t start, trim, end; /* text, then its trailing blanks up to end */
    double w, space;
    int hard;     /* a line must end after it */
    int particle; /* a short particle that should not end a line */
} piece;

typedef struct {
    piece *v;
    int n;
    size_t cap;
} pieces;

static int push_piece(pieces *P, piece p)
{
    if (util_grow((void **)&P->v, &P->cap, (size_t)P->n + 1, sizeof *P->v))
        return -1;
    P->v[P->n++] = p;
    return 0;
}

/* Short function words that read badly alone at the end of a line. */
static int is_particle(const char *s, size_t n)
{
    static const char *const words[] = {"ที่", "และ", "หรือ", "ใน", "ของ", "แต่", "กับ", "ซึ่ง", "แก่", "แห่ง"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], s, n))
            return 1;
    return 0;
}

/* Cuts the text into measured pieces at the break opportunities. A piece
 * wider than the box on its own is cut further between grapheme clusters. */
static int make_pieces(rctx *c, const char *s, double width, double size, int bold, pieces *P)
{
    size_t *off = NULL;
    unsigned char *hard = NULL;
    int n = thai_breaks_with(c->breaker, s, &off, &hard), rc = n < 0 ? -1 : 0;
    size_t prev = 0;
    for (int i = 0; i < n && !rc; i++) {
        size_t end = off[i], trim = end;
        while (trim > prev && is_blank(s[trim - 1]))
            trim--;
        piece p = {prev, trim, end, width_of(c, s + prev, trim - prev, size, bold),
                   width_of(c, s + trim, end - trim, size, bold), hard[i], 0};
        p.particle = is_particle(s + prev, trim - prev);
        while (!rc && p.w > width) {
            size_t cut = fit_clusters(c, s, p.start, p.trim, width, size, bold);
            if (cut >= p.trim)
                break;
            rc = push_piece(P, (piece){p.start, cut, cut, width_of(c, s + p.start, cut - p.start, size, bold), 0, 0, 0});
            p.start = cut;
            p.w = width_of(c, s + p.start, p.trim - p.start, size, bold);
        }
        if (!rc)
            rc = push_piece(P, p);
        prev = end;
    }
    free(off);
    free(hard);
    return rc;
}

/* The cost of a line of width w in a box of `width`: the square of the
 * unused share, so that the paragraph's slack is spread evenly; a particle
 * left at the line end costs like a third of a line left empty. */
static double line_cost(double w, double width, int last, int particle)
{
    if (w > width)
        return 1e9; /* only an overlong single piece gets here */
    double slack = (width - w) / width;
    return (last ? 0 : slack * slack * 100) + (particle && !last ? 12 : 0) + 1;
}

/* Chooses the breaks that minimise the total cost over the whole paragraph
 * (Knuth and Plass's idea, on ICU's break opportunities), or fills lines
 * greedily when the document asks for it. */
static int break_lines(rctx *c, const char *s, double width, double size, int bold, lines *L)
{
    pieces P = {0};
    if (make_pieces(c, s, width, size, bold, &P) != 0) {
        free(P.v);
        return -1;
    }
    int n = P.n, rc = 0;
    double *best = malloc(((size_t)n + 1) * sizeof *best), *linew = malloc(((size_t)n + 1) * sizeof *linew);
    int *from = malloc(((size_t)n + 1) * sizeof *from);
    if (!best || !linew || !from) {
        rc = -1;
        goto done;
    }
    best[0] = 0;
    for (int k = 1; k <= n; k++) {
        best[k] = 1e300;
        from[k] = k - 1;
        double w = 0;
        for (int j = k - 1; j >= 0; j--) {
            if (j < k - 1 && P.v[j].hard)
                break; /* a line cannot run past a hard break */
            w += P.v[j].w + (j < k - 1 ? P.v[j].space : 0);
            if (w > width && j < k - 1)
                break;
            int last = k == n || P.v[k - 1].hard;
            double cost = best[j] + line_cost(w, width, last, P.v[k - 1].particle);
            if (c->d->setup.greedy && j < k - 1 && best[j] < 1e300) {
                /* greedy: the longest line that fits, whatever comes after */
                cost = best[j] - (double)(k - j) * 1e-6 + (last ? 0 : 1);
            }
            if (cost < best[k]) {
                best[k] = cost;
                from[k] = j;
                linew[k] = w;
            }
        }
    }
    /* walk back from the end, then emit the lines in order */
    int nl = 0;
    for (int k = n; k > 0; k = from[k])
        nl++;
    int *ends = malloc(((size_t)nl + 1) * sizeof *ends);
    if (!ends) {
        rc = -1;
        goto done;
    }
    for (int k = n, i = nl; k > 0; k = from[k])
        ends[--i] = k;
    for (int i = 0, j = 0; i < nl && !rc; j = ends[i++])
        rc = push_line(L, s, P.v[j].start, P.v[ends[i] - 1].end, linew[ends[i]]);
    if (!rc && nl == 0)
        rc = push_line(L, s, 0, strlen(s), -1);
    free(ends);
done:
    free(best);
    free(linew);
    free(from);
    free(P.v);
    return rc;
}

/* Draws a line at baseline y. Justified Thai spreads the slack over the
 * line's word boundaries (Thai has no spaces to stretch), but a PDF viewer
 * reads any visible gap as a space: so each boundary without a space gets at
 * most JUSTIFY_GAP em, too little to be read as one, and the rest goes to the
 * real spaces, at most JUSTIFY_SPACE em each. A line that would need more
 * stays a little short rather than read wrongly when copied or searched. */
#define JUSTIFY_GAP 0.02
#define JUSTIFY_SPACE 0.5

static void draw_line(rctx *c, const char *s, line_span ln, double x, double width, double y, double size, int bold,
                      layout_align align, int last, pdf_rgb col)
{
    double w = ln.w >= 0 ? ln.w : width_of(c, s + ln.start, ln.end - ln.start, size, bold);
    if (align == ALIGN_CENTER)
        x += (width - w) / 2;
    else if (align == ALIGN_RIGHT)
        x += width - w;
    if (align != ALIGN_JUSTIFY || last || w >= width) {
        text_at(c, s + ln.start, ln.end - ln.start, x, y, size, bold, col);
        return;
    }
    char *t = util_strndup(s + ln.start, ln.end - ln.start);
    size_t *off = NULL;
    int n = t ? thai_breaks_with(c->breaker, t, &off, NULL) : -1;
    if (n < 0)
        c->err = 1;
    int spaces = 0, joins = 0;
    for (int i = 0; i < n - 1; i++) {
        if (off[i] > 0 && t[off[i] - 1] == ' ')
            spaces++;
        else
            joins++;
    }
    double slack = width - w, gap = joins + spaces ? slack / (joins + spaces) : 0;
    if (gap > JUSTIFY_GAP * size)
        gap = JUSTIFY_GAP * size;
    double space = spaces ? (slack - gap * joins) / spaces : 0;
    if (space > JUSTIFY_SPACE * size)
        space = JUSTIFY_SPACE * size;
    size_t prev = 0;
    for (int i = 0; i < n; i++) {
        text_at(c, t + prev, off[i] - prev, x, y, size, bold, col);
        x += width_of(c, t + prev, off[i] - prev, size, bold);
        if (i < n - 1)
            x += off[i] > 0 && t[off[i] - 1] == ' ' ? space : gap;
        prev = off[i];
    }
    free(off);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Blocks                                                              */

static void render_text_block(rctx *c, const char *text, layout_style st, double x, double width, int keep_next)
{
    lines L = {0};
    if (break_lines(c, text, width, st.size, st.bold, &L) != 0) {
        c->err = 1;
        return;
    }
    metrics m = text_metrics(c, text, st.size, st.bold);
    double lh = m.pitch;
    c->y -= st.space_before;
    ensure(c, lh * (keep_next ? 3 : (L.n >= 2 ? 2 : 1)));
    for (int i = 0; i < L.n; i++) {
        /* no lone last line at the top of the next page: move two lines */
        ensure(c, i == L.n - 2 ? 2 * lh : lh);
        draw_line(c, text, L.v[i], x, width, c->y - m.top, st.size, st.bold, st.align, i == L.n - 1, st.color);
        c->y -= lh;
    }
    c->y -= st.space_after;
    free(L.v);
}

/* The room a signature block takes: a half-line gap and its lines. */
static double signature_height(rctx *c, const block *b)
{
    double w = (c->x1 - c->x0) * 0.6, pitch = text_metrics(c, b->text2, 16, 0).pitch;
    const char *texts[3] = {b->text, b->text2, b->text3};
    int n = 1;
    for (int i = 0; i < 3; i++) {
        lines L = {0};
        if (break_lines(c, texts[i], w, 16, 0, &L) != 0)
            c->err = 1;
        n += L.n;
        free(L.v);
    }
    return (n + 0.5) * pitch;
}

/* Signers' blocks: the column of signer i and its lines. Two to a row; an
 * odd last one (the approver of three) centred below; one alone stands in
 * the right half, where a Thai letter is signed. */
static void signer_column(rctx *c, const block *b, int i, double *x, double *w)
{
    int n = b->n / 4;
    double full = c->x1 - c->x0, half = full / 2;
    *w = half - 6;
    if (n == 1)
        *x = c->x0 + half;
    else if (i == n - 1 && n % 2)
        *x = c->x0 + half / 2;
    else
        *x = c->x0 + (i % 2) * half;
}

static char *signer_line(const block *b, int i, int k)
{
    char *const *t = &b->labels[i * 4];
    switch (k) {
    case 0: return util_format("(ลงชื่อ) ................................ %s", t[0]);
    case 1: return util_format("(%s)", t[1]);
    case 2: return util_format("ตำแหน่ง %s", t[2]);
    default: return util_format("%s", t[3]);
    }
}

/* Lines of signer i's block (filled in L[4]); returns the count. */
static int signer_lines(rctx *c, const block *b, int i, lines L[4], char *text[4])
{
    double x, w;
    signer_column(c, b, i, &x, &w);
    int n = 0;
    for (int k = 0; k < 4; k++) {
        L[k] = (lines){0};
        text[k] = signer_line(b, i, k);
        if (!text[k] || (text[k][0] && break_lines(c, text[k], w, 16, 0, &L[k]) != 0))
            c->err = 1;
        n += L[k].n;
    }
    return n;
}

static void free_signer_lines(lines L[4], char *text[4])
{
    for (int k = 0; k < 4; k++) {
        free(L[k].v);
        free(text[k]);
    }
}

/* Height of the row of signers starting at i: its tallest block. */
static double signers_row_height(rctx *c, const block *b, int i, double lh)
{
    int most = 0, n = b->n / 4;
    for (int j = i; j < n && j < i + (n == 1 || (i == n - 1 && n % 2) ? 1 : 2); j++) {
        lines L[4];
        char *t[4];
        int k = signer_lines(c, b, j, L, t);
        most = k > most ? k : most;
        free_signer_lines(L, t);
    }
    return most * lh;
}

static double signers_height(rctx *c, const block *b)
{
    double lh = text_metrics(c, "ตำแหน่ง ผู้อำนวยการ", 16, 0).pitch, h = 0;
    for (int i = 0; i < b->n / 4; i += 2)
        h += lh * 1.5 + signers_row_height(c, b, i, lh);
    return h;
}

static void render_signers(rctx *c, const block *b)
{
    int n = b->n / 4;
    metrics m = text_metrics(c, "ตำแหน่ง ผู้อำนวยการ", 16, 0);
    for (int i = 0; i < n && !c->err; i += 2) {
        int last = n == 1 || (i == n - 1 && n % 2);
        double row = signers_row_height(c, b, i, m.pitch);
        c->y -= m.pitch * 1.5; /* room for the pen */
        ensure(c, row);
        for (int j = i; j < (last ? i + 1 : i + 2) && j < n; j++) {
            lines L[4];
            char *t[4];
            double x, w, y = c->y;
            signer_lines(c, b, j, L, t);
            signer_column(c, b, j, &x, &w);
            for (int k = 0; k < 4 && !c->err; k++)
                for (int l = 0; l < L[k].n; l++, y -= m.pitch)
                    draw_line(c, t[k], L[k].v[l], x, w, y - m.top, 16, 0, ALIGN_CENTER, 1, BLACK);
            free_signer_lines(L, t);
        }
        c->y -= row;
        if (last)
            i--; /* a lone block used one column: the next row starts after it */
    }
}

/* How much of block i must stand on the same page as a heading before it:
 * a short paragraph whole (and what follows it), the head of a table, a chart
 * whole, two lines of anything else. */
static double lead_height(rctx *c, int i, int depth)
{
    if (i >= c->d->n)
        return 0;
    const block *b = &c->d->blocks[i];
    switch (b->type) {
    case B_PARA: {
        lines L = {0};
        double pitch = text_metrics(c, b->text, b->style.size, b->style.bold).pitch;
        if (break_lines(c, b->text, c->x1 - c->x0, b->style.size, b->style.bold, &L) != 0)
            c->err = 1;
        int n = L.n;
        free(L.v);
        if (n > 4)
            return 2 * pitch;
        return n * pitch + b->style.space_before + b->style.space_after + (depth ? 0 : lead_height(c, i + 1, 1));
    }
    case B_TABLE: { /* a short table moves whole (see render_table): keep it all */
        double row = b->fsize * 1.7 + 2 * PAD, all = b->nrows * row;
        int sign_next = i + 1 < c->d->n && (c->d->blocks[i + 1].type == B_SIGN || c->d->blocks[i + 1].type == B_SIGNS);
        if (b->nrows <= 12 && all <= (c->ytop - c->ybot) / 2)
            return all + 10 + (!depth && sign_next ? lead_height(c, i + 1, 1) : 0);
        return 3 * row + 10;
    }
    case B_SIGN: return signature_height(c, b);
    case B_SIGNS: return signers_height(c, b);
    case B_BAR: return 110 + 70;
    case B_LINE: return 105 + 60;
    default: return 2 * line_height(c, 16);
    }
}


static void render_heading(rctx *c, const block *b)
{
    double lh = text_metrics(c, b->text, b->style.size, 1).pitch;
    c->y -= b->style.space_before;
    ensure(c, lh + lead_height(c, (int)(b - c->d->blocks) + 1, 0)); /* keep with what follows */
    if (c->draw && !c->err && pdf_outline(c->pdf, b->level - 1, b->text, c->y) != 0)
        c->err = 1;
    layout_style st = b->style;
    st.space_before = 0;
    render_text_block(c, b->text, st, c->x0, c->x1 - c->x0, 1);
}

static void render_kv(rctx *c, const block *b)
{
    lines L = {0};
    double kx = c->x0, vx = c->x0 + b->num, size = b->style.size;
    metrics mk = text_metrics(c, b->text, size, 1), mv = text_metrics(c, b->text2, size, 0);
    metrics m = mk.pitch > mv.pitch ? mk : mv;
    double lh = m.pitch;
    if (break_lines(c, b->text2, c->x1 - vx, size, 0, &L) != 0) {
        c->err = 1;
        return;
    }
    ensure(c, lh);
    text_at(c, b->text, strlen(b->text), kx, c->y - m.top, size, 1, BLACK);
    for (int i = 0; i < L.n; i++) {
        ensure(c, lh);
        draw_line(c, b->text2, L.v[i], vx, c->x1 - vx, c->y - m.top, size, 0, ALIGN_LEFT, 1, BLACK);
        c->y -= lh;
    }
    free(L.v);
}

/* The signature block stands in the right half of the page; a long
 * position wraps within it rather than running into the margin. */
static void render_signature(rctx *c, const block *b)
{
    double size = 16, x = c->x0 + (c->x1 - c->x0) * 0.4, w = c->x1 - x;
    char *name = util_format("(%s)", b->text);
    if (!name) {
        c->err = 1;
        return;
    }
    const char *texts[4] = {"(ลงชื่อ) ........................................", name, b->text2, b->text3};
    lines L[4] = {{0}};
    int total = 0;
    metrics m = {0, 0};
    for (int i = 0; i < 4; i++) {
        if (texts[i][0] && break_lines(c, texts[i], w, size, 0, &L[i]) != 0)
            c->err = 1;
        total += L[i].n;
        metrics mi = text_metrics(c, texts[i], size, 0);
        if (mi.pitch > m.pitch)
            m = mi;
    }
    double lh = m.pitch;
    c->y -= lh / 2;
    ensure(c, total * lh);
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < L[i].n; k++) {
            draw_line(c, texts[i], L[i].v[k], x, w, c->y - m.top, size, 0, ALIGN_CENTER, 1, BLACK);
            c->y -= lh;
        }
        free(L[i].v);
    }
    free(name);
}

/* ---- tables ---- */

typedef struct {
    lines L[64];
    double h;
    metrics m; /* the table's line metrics */
} row_layout;

static double span_width(rctx *c, int col, int span)
{
    double w = 0;
    for (int i = col; i < col + span && i < c->table->ncols; i++)
        w += c->colw[i];
    return w;
}

/* The text cell i of row ri shows: its own, or its share of a text that
 * flows down through the cells below it (a row span). */
static const char *cell_text(rctx *c, int ri, int i)
{
    const char *f = c->flow ? c->flow[(size_t)ri * MAX_CELLS + (size_t)i] : NULL;
    return f ? f : c->table->rows[ri].cells[i].text;
}

static int layout_row(rctx *c, int ri, row_layout *rl)
{
    const block *t = c->table;
    const trow *r = &t->rows[ri];
    int col = 0, maxl = 1;
    memset(rl, 0, sizeof *rl);
    rl->m = c->table_m;
    double lh = rl->m.pitch;
    for (int i = 0; i < r->n && i < 64; i++) {
        const cell *ce = &r->cells[i];
        const char *text = cell_text(c, ri, i);
        double w = span_width(c, col, ce->colspan) - 2 * PAD;
        if (break_lines(c, text, w, t->fsize, ce->bold, &rl->L[i]) != 0)
            return -1;
        if (text[0] && rl->L[i].n > maxl)
            maxl = rl->L[i].n;
        col += ce->colspan;
    }
    rl->h = maxl * lh + 2 * PAD;
    return 0;
}

/* Index of the cell of row r that starts at column `col`, or -1. */
static int cell_at(const trow *r, int col)
{
    for (int i = 0, x = 0; i < r->n; x += r->cells[i].colspan, i++)
        if (x == col)
            return i;
    return -1;
}

/* Row spans: a cell followed below by `continues` cells in its column is a
 * text that flows down through them. Each row keeps the height its other
 * cells need and shows as many lines of the flowing text as fit; the last
 * row of the span takes the rest. */
static int span_below(const block *t, int r, int col)
{
    int k = 0, j;
    while (r + k + 1 < t->nrows && (j = cell_at(&t->rows[r + k + 1], col)) >= 0 && t->rows[r + k + 1].cells[j].cont)
        k++;
    return k;
}

/* Lines a row needs for its own cells: neither spanning texts nor the cells
 * they flow through. */
static int own_lines(rctx *c, const block *t, int row)
{
    int own = 1;
    for (int q = 0, x = 0; q < t->rows[row].n; x += t->rows[row].cells[q].colspan, q++) {
        const cell *o = &t->rows[row].cells[q];
        if (o->cont || !o->text[0] || (row >= t->header_rows && span_below(t, row, x)))
            continue;
        lines M = {0};
        if (break_lines(c, o->text, span_width(c, x, o->colspan) - 2 * PAD, t->fsize, o->bold, &M) != 0)
            c->err = 1;
        else if (M.n > own)
            own = M.n;
        free(M.v);
    }
    return own;
}

static int flow_spans(rctx *c, const block *t)
{
    c->flow = calloc((size_t)t->nrows * MAX_CELLS, sizeof *c->flow);
    if (!c->flow)
        return -1;
    for (int r = t->header_rows; r + 1 < t->nrows; r++)
        for (int i = 0, col = 0; i < t->rows[r].n && i < MAX_CELLS; col += t->rows[r].cells[i].colspan, i++) {
            const cell *src = &t->rows[r].cells[i];
            int k = span_below(t, r, col);
            if (!k || src->cont || !src->text[0])
                continue;
            lines L = {0};
            double w = span_width(c, col, src->colspan) - 2 * PAD;
            if (break_lines(c, src->text, w, t->fsize, src->bold, &L) != 0)
                return -1;
            for (int g = 0, pos = 0; g <= k && pos < L.n; g++) {
                int row = r + g, ci = g ? cell_at(&t->rows[row], col) : i, own = own_lines(c, t, row);
                int take = g == k ? L.n - pos : (L.n - pos < own ? L.n - pos : own);
                char *part = util_strndup(src->text + L.v[pos].start, L.v[pos + take - 1].end - L.v[pos].start);
                if (!part) {
                    free(L.v);
                    return -1;
                }
                c->flow[(size_t)row * MAX_CELLS + (size_t)ci] = part;
                pos += take;
            }
            free(L.v);
        }
    return 0;
}

static void free_flow(rctx *c, const block *t)
{
    for (size_t i = 0; c->flow && i < (size_t)t->nrows * MAX_CELLS; i++)
        free(c->flow[i]);
    free(c->flow);
    c->flow = NULL;
}

static void free_row_layout(row_layout *rl, int n)
{
    for (int i = 0; i < n && i < 64; i++)
        free(rl->L[i].v);
}

static const pdf_rgb shades[3] = {{1, 1, 1}, {0.92, 0.92, 0.92}, {0.82, 0.82, 0.82}};

/* Draws lines [from, to) of each cell of a row in a band of height h. */
static void draw_row(rctx *c, int ri, const row_layout *rl, int from, int to, double h, int continued)
{
    const trow *r = &c->table->rows[ri];
    const block *t = c->table;
    double lh = rl->m.pitch, x = c->x0, top = c->y;
    int col = 0;
    for (int i = 0; i < r->n && i < 64; i++) {
        const cell *ce = &r->cells[i];
        double w = span_width(c, col, ce->colspan);
        if (c->draw && !c->err) {
            if (ce->shade && pdf_rect(c->pdf, x, top - h, w, h, &shades[ce->shade], NULL, 0))
                c->err = 1;
            pdf_line(c->pdf, x, top, x, top - h, BLACK, 0.5, 0);
            pdf_line(c->pdf, x + w, top, x + w, top - h, BLACK, 0.5, 0);
            if (!ce->cont || continued)
                pdf_line(c->pdf, x, top, x + w, top, BLACK, 0.5, 0);
        }
        double y = top - PAD;
        /* the continued part of a split row, or a row span carried over to a new page */
        if ((continued && i == 0 && from > 0) || (c->page_top_row && ce->cont && !cell_text(c, ri, i)[0]))
            text_at(c, "(ต่อ)", strlen("(ต่อ)"), x + PAD, y - rl->m.top, t->fsize * 0.8, 0, GREY);
        for (int k = from; k < to && k < rl->L[i].n; k++) {
            int li = k - from;
            draw_line(c, cell_text(c, ri, i), rl->L[i].v[k], x + PAD, w - 2 * PAD, y - li * lh - rl->m.top, t->fsize,
                      ce->bold, ce->align, 1, BLACK);
        }
        x += w;
        col += ce->colspan;
    }
    c->y -= h;
}

static void close_table_page(rctx *c)
{
    if (c->draw && !c->err)
        pdf_line(c->pdf, c->x0, c->y, c->x1, c->y, BLACK, 0.5, 0);
}

/* The value of a figure cell: digits (ASCII or Thai), a point, a sign;
 * thousands separators and units skipped. */
static double cell_number(rctx *c, const char *s)
{
    char *a = util_ascii_digits(s), buf[64];
    size_t n = 0;
    if (!a) {
        c->err = 1;
        return 0;
    }
    for (const char *p = a; *p && n < sizeof buf - 1; p++)
        if ((*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
            buf[n++] = *p;
    buf[n] = 0;
    free(a);
    return n ? strtod(buf, NULL) : 0;
}

static double carry_row_height(rctx *c, const block *t) { return text_metrics(c, "ยอดยกมา", t->fsize, 1).pitch + 2 * PAD; }

/* A one-line row with a label and the running subtotal under its column. */
static void carry_row(rctx *c, const char *label)
{
    const block *t = c->table;
    double h = carry_row_height(c, t), x = c->x0;
    metrics m = text_metrics(c, label, t->fsize, 1);
    char *v = thai_number_d(c->carry, t->carry_decimals, c->d->setup.thai_digits);
    if (!v) {
        c->err = 1;
        return;
    }
    for (int i = 0; i < t->carry_col; i++)
        x += c->colw[i];
    if (c->draw && !c->err) {
        pdf_rect(c->pdf, c->x0, c->y - h, c->x1 - c->x0, h, &(pdf_rgb){0.92, 0.92, 0.92}, &BLACK, 0.5);
        pdf_line(c->pdf, x, c->y, x, c->y - h, BLACK, 0.5, 0);
        pdf_line(c->pdf, x + c->colw[t->carry_col], c->y, x + c->colw[t->carry_col], c->y - h, BLACK, 0.5, 0);
    }
    text_at(c, label, strlen(label), c->x0 + PAD, c->y - PAD - m.top, t->fsize, 1, BLACK);
    double w = width_of(c, v, strlen(v), t->fsize, 1);
    text_at(c, v, strlen(v), x + c->colw[t->carry_col] - PAD - w, c->y - PAD - m.top, t->fsize, 1, BLACK);
    c->y -= h;
    free(v);
}

/* A page break inside a table: close the page (with the subtotal carried
 * forward, ยอดยกไป), start the next one with the header rows (and ยอดยกมา). */
static void table_page_break(rctx *c)
{
    const block *t = c->table;
    if (t->carry_col >= 0)
        carry_row(c, "ยอดยกไป");
    close_table_page(c);
    new_page(c);
    if (t->carry_col >= 0)
        carry_row(c, "ยอดยกมา");
    c->page_top_row = 1;
}

static void table_header(rctx *c)
{
    const block *t = c->table;
    for (int r = 0; r < t->header_rows && r < t->nrows; r++) {
        row_layout rl;
        if (layout_row(c, r, &rl) == 0)
            draw_row(c, r, &rl, 0, 64, rl.h, 1);
        else
            c->err = 1;
        free_row_layout(&rl, t->rows[r].n);
    }
}

static int max_lines(const row_layout *rl, int n)
{
    int m = 0;
    for (int i = 0; i < n && i < 64; i++)
        if (rl->L[i].n > m)
            m = rl->L[i].n;
    return m;
}

/* Columns whose relative width is 0 are fitted to their widest cell, so
 * figures are never wrapped; the others share what is left. */
static void fit_columns(rctx *c, const block *t, double *colw)
{
    for (int i = 0; i < t->ncols && i < 64; i++)
        colw[i] = 0;
    for (int r = 0; r < t->nrows; r++) {
        int col = 0;
        for (int i = 0; i < t->rows[r].n && col < 64; i++) {
            const cell *ce = &t->rows[r].cells[i];
            if (ce->colspan == 1 && t->rel[col] <= 0) {
                double w = width_of(c, ce->text, strlen(ce->text), t->fsize, ce->bold) + 2 * PAD + 1;
                if (w > colw[col])
                    colw[col] = w;
            }
            col += ce->colspan;
        }
    }
}

/* One line pitch for the whole table, from the ink of all its cells: rows
 * of a list line up evenly instead of growing where a name has a tall stack
 * of marks. */
static metrics table_metrics(rctx *c, const block *t)
{
    metrics m = {0, 0};
    for (int r = 0; r < t->nrows; r++)
        for (int i = 0; i < t->rows[r].n && i < MAX_CELLS; i++) {
            metrics x = text_metrics(c, cell_text(c, r, i), t->fsize, t->rows[r].cells[i].bold);
            if (x.pitch > m.pitch)
                m = x;
        }
    return m;
}

/* Height of rows [0, n) of the current table, stopping once past `limit`. */
static double rows_height(rctx *c, int n, double limit)
{
    double h = 0;
    for (int r = 0; r < n && r < c->table->nrows && h <= limit; r++) {
        row_layout rl;
        if (layout_row(c, r, &rl) == 0)
            h += rl.h;
        else
            c->err = 1;
        free_row_layout(&rl, c->table->rows[r].n);
    }
    return h;
}

/* Where a table begins: its header and first row start together, and a short
 * table (half a page or less, twelve rows at most) is not split at all. */
static void table_start(rctx *c, const block *t, double lh)
{
    double half = (c->ytop - c->ybot) / 2, all = rows_height(c, 13, half);
    double need = t->nrows <= 12 && all <= half ? all : rows_height(c, t->header_rows + 1, 1e9);
    const block *saved = c->table;
    c->table = NULL; /* a page break here must not repeat the header yet */
    ensure(c, need < c->ytop - c->ybot ? need : lh * 3);
    c->table = saved;
}

static int row_keeps(const trow *r)
{
    for (int i = 0; i < r->n; i++)
        if (r->cells[i].keep)
            return 1;
    return 0;
}

static void render_table(rctx *c, const block *t)
{
    double total = 0, width = c->x1 - c->x0, lh = line_height(c, t->fsize);
    double colw[64];
    fit_columns(c, t, colw);
    for (int i = 0; i < t->ncols && i < 64; i++)
        total += t->rel[i] > 0 ? t->rel[i] : 0;
    for (int i = 0; i < t->ncols && i < 64; i++)
        width -= t->rel[i] > 0 ? 0 : colw[i];
    for (int i = 0; i < t->ncols && i < 64; i++)
        if (t->rel[i] > 0)
            colw[i] = width * t->rel[i] / (total > 0 ? total : 1);
    c->colw = colw;
    c->y -= 4;
    c->table = t;
    c->carry = 0;
    c->page_top_row = 0;
    double saved_ybot = c->ybot;
    if (t->carry_col >= 0)
        c->ybot += carry_row_height(c, t); /* room for ยอดยกไป at every page foot */
    if (flow_spans(c, t) != 0) {
        c->ybot = saved_ybot;
        c->err = 1;
        free_flow(c, t);
        c->table = NULL;
        return;
    }
    c->table_m = table_metrics(c, t);
    table_start(c, t, lh);
    table_header(c);
    for (int r = t->header_rows; r < t->nrows && !c->err; r++) {
        row_layout rl;
        if (layout_row(c, r, &rl) != 0) {
            c->err = 1;
            free_row_layout(&rl, t->rows[r].n);
            break;
        }
        int nl = max_lines(&rl, t->rows[r].n), from = 0, continued = 0;
        lh = rl.m.pitch;
        if (row_keeps(&t->rows[r]) && r + 1 < t->nrows) { /* a group heading goes with its first row */
            row_layout next;
            double need = rl.h;
            /* the next row moves whole when it fits a fresh page: then so does this one */
            if (layout_row(c, r + 1, &next) == 0)
                need += next.h <= c->ytop - c->ybot - 40 ? next.h : 3 * next.m.pitch + 2 * PAD;
            else
                c->err = 1;
            free_row_layout(&next, t->rows[r + 1].n);
            if (c->y - need < c->ybot)
                table_page_break(c);
        }
        while (from < nl || (nl == 0 && from == 0)) {
            int fit = (int)floor((c->y - c->ybot - 2 * PAD) / lh);
            int rest = nl - from;
            if (rest <= fit || nl == 0) {
                double h = (nl ? rest : 1) * lh + 2 * PAD;
                draw_row(c, r, &rl, from, nl, h, continued);
                c->page_top_row = 0;
                break;
            }
            /* Move the whole row if it fits a fresh page; otherwise split it. */
            if (fit < 2 || (from == 0 && nl * lh + 2 * PAD <= c->ytop - c->ybot - 40)) {
                table_page_break(c);
                continue;
            }
            draw_row(c, r, &rl, from, from + fit, fit * lh + 2 * PAD, continued);
            c->page_top_row = 0;
            from += fit;
            continued = 1;
            table_page_break(c);
        }
        if (t->carry_col >= 0) {
            int ci = cell_at(&t->rows[r], t->carry_col);
            if (ci >= 0)
                c->carry += cell_number(c, t->rows[r].cells[ci].text);
        }
        free_row_layout(&rl, t->rows[r].n);
    }
    close_table_page(c);
    free_flow(c, t);
    c->ybot = saved_ybot;
    c->table = NULL;
    c->colw = NULL;
    c->y -= 6;
}

/* ---- charts ---- */

static double nice_step(double range)
{
    double raw = range / 5, mag = pow(10, floor(log10(raw > 0 ? raw : 1)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static void axis(rctx *c, double x, double y, double w, double h, double maxv, double *step_out)
{
    double step = nice_step(maxv);
    *step_out = step;
    for (double v = 0; v <= maxv + step * 0.01; v += step) {
        double yy = y + h * v / maxv;
        if (c->draw && !c->err)
            pdf_line(c->pdf, x, yy, x + w, yy, (pdf_rgb){0.85, 0.85, 0.85}, 0.4, 0);
        char *lab = thai_number_d(v, step < 1 ? 1 : 0, c->d->setup.thai_digits);
        if (!lab)
            c->err = 1;
        if (lab) {
            double tw = width_of(c, lab, strlen(lab), 11, 0);
            text_at(c, lab, strlen(lab), x - tw - 4, yy - 3, 11, 0, BLACK);
        }
        free(lab);
    }
    if (c->draw && !c->err) {
        pdf_line(c->pdf, x, y, x + w, y, BLACK, 0.6, 0);
        pdf_line(c->pdf, x, y, x, y + h, BLACK, 0.6, 0);
    }
}

/* The chart's title; `height` is what the chart needs below it, so that
 * title and chart stay on one page. */
static void chart_title(rctx *c, const char *title, double height)
{
    double lh = line_height(c, 14);
    ensure(c, lh + 6 + height);
    double tw = width_of(c, title, strlen(title), 14, 1);
    text_at(c, title, strlen(title), (c->x0 + c->x1 - tw) / 2, c->y - baseline_offset(c, 14), 14, 1, BLACK);
    c->y -= lh + 6;
}

static void render_bar(rctx *c, const block *b)
{
    double h = 110, x = c->x0 + 30, w = c->x1 - x, lh = line_height(c, 11);
    chart_title(c, b->text, h + 2 * lh + 16);
    double y = c->y - h, maxv = b->maxv > 0 ? b->maxv : 1, step;
    if (c->draw && !c->err) { /* the mean ± 1 SD band, shaded */
        double lo = fmax(0, b->mean - b->sd), hi = fmin(maxv, b->mean + b->sd);
        pdf_rgb band = {0.88, 0.88, 0.88};
        pdf_rect(c->pdf, x, y + h * lo / maxv, w, h * (hi - lo) / maxv, &band, NULL, 0);
    }
    axis(c, x, y, w, h, maxv, &step);
    double slot = w / (b->n ? b->n : 1), bw = slot * 0.55;
    for (int i = 0; i < b->n; i++) {
        double bx = x + slot * i + (slot - bw) / 2, bh = h * fmin(b->values[i], maxv) / maxv;
        pdf_rgb fill = {b->shade[i], b->shade[i], b->shade[i]};
        if (c->draw && !c->err && pdf_rect(c->pdf, bx, y, bw, bh, &fill, &BLACK, 0.5))
            c->err = 1;
        double lw = width_of(c, b->labels[i], strlen(b->labels[i]), 11, 0);
        text_at(c, b->labels[i], strlen(b->labels[i]), x + slot * i + (slot - lw) / 2, y - lh + 2, 11, 0, BLACK);
    }
    if (c->draw && !c->err) /* the mean, over the bars */
        pdf_line(c->pdf, x, y + h * b->mean / maxv, x + w, y + h * b->mean / maxv, BLACK, 1, 1);
    /* the values last, on a white ground, so that no line runs through them */
    for (int i = 0; i < b->n; i++) {
        double bx = x + slot * i + (slot - bw) / 2, bh = h * fmin(b->values[i], maxv) / maxv;
        char *v = thai_number_d(b->values[i], 2, c->d->setup.thai_digits);
        if (!v) {
            c->err = 1;
            continue;
        }
        double tw = width_of(c, v, strlen(v), 10, 0);
        static const pdf_rgb white = {1, 1, 1};
        if (c->draw && !c->err)
            pdf_rect(c->pdf, bx + (bw - tw) / 2 - 1.5, y + bh + 1.5, tw + 3, 11, &white, NULL, 0);
        text_at(c, v, strlen(v), bx + (bw - tw) / 2, y + bh + 3.5, 10, 0, BLACK);
        free(v);
    }
    c->y = y - lh - 4;
    text_at(c, b->text2, strlen(b->text2), x, c->y - baseline_offset(c, 11), 11, 0, GREY);
    c->y -= lh + 6;
}

static void render_linechart(rctx *c, const block *b)
{
    double h = 105, x = c->x0 + 30, w = c->x1 - x - 90, lh = line_height(c, 11);
    chart_title(c, b->text, h + 2 * lh + 16);
    double maxv = b->target, step;
    for (int s = 0; s < b->nseries; s++)
        for (int i = 0; i < b->n; i++)
            maxv = fmax(maxv, b->series[s][i]);
    maxv = maxv * 1.15;
    double y = c->y - h;
    axis(c, x, y, w, h, maxv, &step);
    double slot = b->n > 1 ? w / (b->n - 1) : w;
    for (int i = 0; i < b->n; i++) {
        double lw = width_of(c, b->labels[i], strlen(b->labels[i]), 10, 0);
        text_at(c, b->labels[i], strlen(b->labels[i]), x + slot * i - lw / 2, y - lh + 2, 10, 0, BLACK);
    }
    for (int s = 0; s < b->nseries && c->draw && !c->err; s++) {
        double g = b->nseries > 1 ? 0.6 * s / (b->nseries - 1) : 0;
        pdf_rgb col = {g, g, g};
        for (int i = 1; i < b->n; i++)
            if (b->series[s][i - 1] > 0 && b->series[s][i] > 0)
                pdf_line(c->pdf, x + slot * (i - 1), y + h * b->series[s][i - 1] / maxv, x + slot * i,
                         y + h * b->series[s][i] / maxv, col, 1.2, s % 2);
    }
    /* end-of-line labels, spread apart so that close series stay readable */
    int ns = b->nseries;
    double *ly = malloc(((size_t)ns + 1) * sizeof *ly);
    int *order = malloc(((size_t)ns + 1) * sizeof *order);
    if (!ly || !order) {
        free(ly);
        free(order);
        c->err = 1;
        return;
    }
    for (int s = 0; s < ns; s++) {
        int last = b->n - 1;
        while (last > 0 && b->series[s][last] <= 0)
            last--;
        ly[s] = y + h * b->series[s][last] / maxv - 3;
        order[s] = s;
    }
    for (int i = 1; i < ns; i++) /* insertion sort by height, lowest first */
        for (int j = i; j > 0 && ly[order[j]] < ly[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 1; i < ns; i++)
        if (ly[order[i]] < ly[order[i - 1]] + 12)
            ly[order[i]] = ly[order[i - 1]] + 12;
    for (int s = 0; s < ns; s++)
        text_at(c, b->names[s], strlen(b->names[s]), x + w + 6, ly[s], 10, 0, BLACK);
    free(ly);
    free(order);
    if (b->target > 0 && c->draw && !c->err)
        pdf_line(c->pdf, x, y + h * b->target / maxv, x + w, y + h * b->target / maxv, BLACK, 0.8, 1);
    c->y = y - lh - 4;
    text_at(c, b->text2, strlen(b->text2), x, c->y - baseline_offset(c, 11), 11, 0, GREY);
    c->y -= lh + 6;
}

/* ------------------------------------------------------------------ */

static void render_pass(rctx *c)
{
    c->page = 0;
    c->table = NULL;
    new_page(c);
    for (int i = 0; i < c->d->n && !c->err; i++) {
        const block *b = &c->d->blocks[i];
        /* a signature never stands alone on a page: what it signs goes along */
        const block *nb = i + 1 < c->d->n ? &c->d->blocks[i + 1] : NULL;
        if (nb && (nb->type == B_SIGN || nb->type == B_SIGNS) && b->type != B_HEADING && b->type != B_BREAK)
            ensure(c, lead_height(c, i, 1) + lead_height(c, i + 1, 1));
        switch (b->type) {
        case B_HEADING: render_heading(c, b); break;
        case B_PARA: render_text_block(c, b->text, b->style, c->x0, c->x1 - c->x0, 0); break;
        case B_KV: render_kv(c, b); break;
        case B_SPACER: c->y -= b->num; break;
        case B_BREAK: new_page(c); break;
        case B_SIGN: render_signature(c, b); break;
        case B_SIGNS: render_signers(c, b); break;
        case B_TABLE: render_table(c, b); break;
        case B_BAR: render_bar(c, b); break;
        case B_LINE: render_linechart(c, b); break;
        }
    }
}

int layout_render(layout_doc *d, pdf_doc *pdf, diag_ctx *diag)
{
    const layout_page_setup *s = &d->setup;
    rctx c = {.d = d, .pdf = pdf, .diag = diag, .draw = 1, .breaker = thai_breaker_new()};
    c.pw = s->landscape ? 841.89 : 595.28;
    c.ph = s->landscape ? 595.28 : 841.89;
    c.x0 = s->margin_left;
    c.x1 = c.pw - s->margin_right;
    c.ytop = c.ph - s->margin_top;
    c.ybot = s->margin_bottom;
    render_pass(&c);
    /* One pass: the running header, footer and "หน้า x / y" go onto each
     * page once the page count is known. */
    c.total = c.page;
    for (int i = 0; i < c.total && !c.err; i++) {
        c.page = i + 1;
        if (pdf_select_page(pdf, i) != 0)
            c.err = 1;
        else
            draw_furniture(&c);
    }
    thai_breaker_free(c.breaker);
    if (c.err) {
        diag_add(diag, DIAG_SYSTEM, NULL, 0, 0, "layout failed (out of memory or a PDF error)");
        return -1;
    }
    return c.total;
}
