/* layout_table: tables with fitted columns, cells spanning rows, rows
 * that move or split across pages ("(ต่อ)"), header rows repeated on each
 * page, and a running subtotal carried across page breaks.
 *
 * Every cell is broken into lines once, before the table is placed: the
 * rows keep their lines and heights, and fitting, moving, splitting and
 * drawing all read them. A text that flows down through the cells it spans
 * is broken once too; each cell it passes through shows a run of its lines.
 * The columns' widths are layout_columns.c's. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"


static double span_width(const table *T, int col, int span)
{
    double w = 0;
    for (int i = col; i < col + span && i < T->t->ncols; i++)
        w += T->colw[i];
    return w;
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
static int span_below(const table *T, int r, int col)
{
    const block *t = T->t;
    if (col < t->ncols)
        return T->below[r * t->ncols + col];
    int k = 0, j;
    while (r + k + 1 < t->nrows && (j = cell_at(&t->rows[r + k + 1], col)) >= 0 && t->rows[r + k + 1].cells[j].cont)
        k++;
    return k;
}

/* span_below for every row and column, counted once from the bottom up:
 * asked for each cell of each row a span passes through, the count down
 * the column cost the square of a long span. */
static int count_spans(table *T)
{
    const block *t = T->t;
    int nc = t->ncols;
    if (!(T->below = calloc((size_t)t->nrows * (size_t)(nc > 0 ? nc : 1) + 1, sizeof *T->below)))
        return -1;
    for (int r = t->nrows - 2; r >= 0; r--)
        for (int col = 0; col < nc; col++) {
            int j = cell_at(&t->rows[r + 1], col);
            if (j >= 0 && t->rows[r + 1].cells[j].cont)
                T->below[r * nc + col] = 1 + T->below[(r + 1) * nc + col];
        }
    return 0;
}

/* The header rows under header row r's cell at column col that continue it (layout_cell.continues):
 * the cell is one heading standing in all of them ("จังหวัด" beside a group heading over the
 * columns of its second row), its text centred down them (table_header). 0 for a body row. */
static int header_span(const table *T, int r, int col)
{
    if (r >= T->t->header_rows)
        return 0;
    int k = span_below(T, r, col), rest = T->t->header_rows - 1 - r;
    return k < rest ? k : rest;
}

/* Every cell showing its own text, broken once. */
static int break_cells(table *T)
{
    const block *t = T->t;
    size_t total = 0;
    for (int r = 0; r < t->nrows; r++)
        total += (size_t)t->rows[r].n;
    T->rows = calloc((size_t)t->nrows + 1, sizeof *T->rows);
    T->views = calloc(total + 1, sizeof *T->views);
    if (!T->rows || !T->views)
        return -1;
    cell_view *v = T->views;
    for (int r = 0; r < t->nrows; r++, v += t->rows[r - 1].n) {
        T->rows[r].cells = v;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell *ce = &t->rows[r].cells[i];
            const lines *L = ly_break_lines(T->c, ce->text, span_width(T, col, ce->colspan) - 2 * HPAD(T), t->fsize, ce->bold);
            if (!L)
                return -1;
            v[i] = (cell_view){ce->text, L, 0, L->n, !ce->text[0], PAD};
        }
    }
    return 0;
}

/* Lines a row needs for its own cells: neither spanning texts nor the cells
 * they flow through. */
static int own_lines(const table *T, int row)
{
    const block *t = T->t;
    int own = 1;
    for (int q = 0, x = 0; q < t->rows[row].n; x += t->rows[row].cells[q].colspan, q++) {
        const cell *o = &t->rows[row].cells[q];
        if (o->cont || !o->text[0] || (row >= t->header_rows && span_below(T, row, x)))
            continue;
        if (T->rows[row].cells[q].n > own)
            own = T->rows[row].cells[q].n;
    }
    return own;
}

/* Shares the lines of the text of row r's cell i (column col), spanning
 * rows, out among the cells it flows through, from row `start` on (r, or
 * a row a page break comes before) and its line `pos`: as one paragraph,
 * its lines one pitch apart from the top of row `start` down, each in the
 * row its foot falls in (above the row's foot less PAD), whatever the rows
 * between (issue 20, review finding 6: a line a row, each row's padding
 * between them, read as gaps inside the indicator). The rows keep the
 * height their own cells need; the last row the text reaches takes what
 * is left (measure_rows). */
static void flow_one(table *T, int r, int i, int col, int start, int pos)
{
    const block *t = T->t;
    const cell *src = &t->rows[r].cells[i];
    const lines *L = T->rows[r].cells[i].L;
    int k = span_below(T, r, col);
    double p = T->m.pitch > 0 ? T->m.pitch : 1, y = 0; /* the top of row g below the top of row start */
    int p0 = pos;
    for (int g = start; g <= r + k && pos < L->n; g++) {
        int row = g, ci = g == r ? i : cell_at(&t->rows[row], col);
        double own = own_lines(T, row) * p + 2 * PAD;
        int take = L->n - pos;
        if (g < r + k) {
            int upto = p0 + (int)floor((y + own - 2 * PAD) / p + 1e-6); /* the lines whose foot is in this row */
            take = upto - pos < take ? upto - pos : take;
        }
        if (take < 0)
            take = 0;
        int empty = !take || L->v[pos + take - 1].end == L->v[pos].start;
        T->rows[row].cells[ci] = (cell_view){src->text, L, pos, take, empty, PAD + (pos - p0) * p - y};
        pos += take;
        y += own;
    }
}

/* Shares each spanning text's lines out among the cells it flows through. */
static void flow_spans(table *T)
{
    const block *t = T->t;
    for (int r = t->header_rows; r + 1 < t->nrows; r++)
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell *src = &t->rows[r].cells[i];
            if (!span_below(T, r, col) || src->cont || !src->text[0])
                continue;
            flow_one(T, r, i, col, r, 0);
        }
}

/* A page break before row g: the texts spanning rows that go on in g begin
 * again at its top, PAD under it (flow_one), and the rows are measured
 * again (a line begun in the padding of the row above would stand over the
 * page's header). */
static void measure_rows(table *T);
static void flow_after_break(table *T, int g)
{
    const block *t = T->t;
    int again = 0;
    if (g <= t->header_rows || g >= t->nrows)
        return;
    for (int i = 0, col = 0; i < t->rows[g].n; col += t->rows[g].cells[i].colspan, i++) {
        const cell_view *v = &T->rows[g].cells[i];
        if (!t->rows[g].cells[i].cont || v->empty || v->first >= v->L->n || fabs(v->dy - PAD) < 1e-6)
            continue;
        for (int r = g - 1; r >= t->header_rows; r--) { /* the row the text starts in */
            int si = cell_at(&t->rows[r], col);
            if (si >= 0 && !t->rows[r].cells[si].cont) {
                if (T->rows[r].cells[si].text == v->text) {
                    flow_one(T, r, si, col, g, v->first);
                    again = 1;
                }
                break;
            }
        }
    }
    if (again)
        measure_rows(T);
}

/* The lines of its row a cell takes: its own, or those a text flowing
 * down from above reaches to (its first line begun higher, flow_one). */
static int cell_lines(const table *T, const cell_view *v)
{
    if (fabs(v->dy - PAD) < 1e-6 || T->m.pitch <= 0)
        return v->n;
    int n = (int)ceil((v->dy - PAD) / T->m.pitch + v->n - 1e-6);
    return n > 0 ? n : 0;
}

/* How many of a cell's lines end above line `upto` of its row (its lines
 * [0, upto) as the row counts them: cell_lines). */
static int lines_above(const table *T, const cell_view *v, int upto)
{
    if (fabs(v->dy - PAD) < 1e-6 || T->m.pitch <= 0)
        return upto < v->n ? upto : v->n;
    int k = (int)floor((PAD + upto * T->m.pitch - v->dy) / T->m.pitch + 1e-6);
    return k < 0 ? 0 : k < v->n ? k : v->n;
}

/* Row heights, once every cell knows what it shows. */
static void measure_rows(table *T)
{
    const block *t = T->t;
    for (int r = 0; r < t->nrows; r++) {
        row_layout *rl = &T->rows[r];
        int maxl = 1;
        rl->nl = 0;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell_view *v = &rl->cells[i];
            int n = cell_lines(T, v);
            if (!v->empty && n > maxl && !header_span(T, r, col))
                maxl = n;
            if (n > rl->nl)
                rl->nl = n;
        }
        rl->h = maxl * T->m.pitch + 2 * PAD;
    }
    /* a heading spanning header rows: the last of them takes what they lack for its lines */
    for (int r = 0; r < t->header_rows && r < t->nrows; r++)
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            int k = header_span(T, r, col);
            double have = 0, need = T->rows[r].cells[i].n * T->m.pitch + 2 * PAD;
            for (int g = 0; k && g <= k; g++)
                have += T->rows[r + g].h;
            if (k && need > have)
                T->rows[r + k].h += need - have;
        }
}

/* One line pitch for the whole table, from the ink of all its cells: rows
 * of a list line up evenly instead of growing where a name has a tall stack
 * of marks. */
static metrics table_metrics(table *T)
{
    const block *t = T->t;
    metrics m = {0, 0};
    for (int r = 0; r < t->nrows; r++)
        for (int i = 0; i < t->rows[r].n; i++) {
            const cell_view *v = &T->rows[r].cells[i];
            metrics x;
            if (v->first == 0 && v->n == v->L->n && v->text == t->rows[r].cells[i].text) {
                x = ly_text_metrics(T->c, v->text, t->fsize, t->rows[r].cells[i].bold);
            } else { /* the share of a flowing text this cell shows */
                size_t a = v->n ? v->L->v[v->first].start : 0, b = v->n ? v->L->v[v->first + v->n - 1].end : 0;
                char *part = util_strndup(v->text + a, b - a);
                if (!part) {
                    T->c->err = 1;
                    return m;
                }
                x = ly_text_metrics(T->c, part, t->fsize, t->rows[r].cells[i].bold);
                free(part);
            }
            if (x.pitch > m.pitch)
                m = x;
        }
    return m;
}

static const pdf_rgb shades[3] = {{1, 1, 1}, {0.92, 0.92, 0.92}, {0.82, 0.82, 0.82}};

/* The row's borders: the left edge of each cell and the right edge of the
 * last, each once (neighbours share an edge), and the tops of neighbouring
 * cells as one rule; a cell that continues the one above has no top. */
static void row_borders(table *T, const trow *r, double h, int continued)
{
    rctx *c = T->c;
    double x = c->x0, top = c->y, open = -1; /* where the top rule being drawn starts */
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        ly_rule(c, x, top, x, top - h, BLACK, 0.5, 0);
        int has_top = !r->cells[i].cont || continued;
        if (has_top && open < 0)
            open = x;
        if (!has_top && open >= 0) {
            ly_rule(c, open, top, x, top, BLACK, 0.5, 0);
            open = -1;
        }
        x += span_width(T, col, r->cells[i].colspan);
    }
    if (r->n)
        ly_rule(c, x, top, x, top - h, BLACK, 0.5, 0);
    if (open >= 0)
        ly_rule(c, open, top, x, top, BLACK, 0.5, 0);
}

/* Draws lines [from, to) of each cell of a row in a band of height h: the
 * shading, then the borders over it, then the text. */
static void draw_row(table *T, int ri, int from, int to, double h, int continued)
{
    rctx *c = T->c;
    const trow *r = &T->t->rows[ri];
    const row_layout *rl = &T->rows[ri];
    double lh = T->m.pitch, x = c->x0, top = c->y;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        double w = span_width(T, col, r->cells[i].colspan);
        if (r->cells[i].shade)
            ly_rect(c, x, top - h, w, h, &shades[r->cells[i].shade], NULL, 0);
        x += w;
    }
    row_borders(T, r, h, continued);
    x = c->x0;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        const cell *ce = &r->cells[i];
        const cell_view *v = &rl->cells[i];
        double w = span_width(T, col, ce->colspan), y = top - PAD;
        /* the continued part of a split row, or a row span carried over to a new page */
        if ((continued && i == 0 && from > 0) || (T->page_top_row && ce->cont && v->empty))
            ly_text_at(c, "(ต่อ)", strlen("(ต่อ)"), x + HPAD(T), y - T->m.top, T->t->fsize, 0, GREY);
        /* lines [a, b) of the cell: those ending in the row's lines [from, to), all that are left in its last
         * part; the first part from where the cell's text begins (a paragraph flowing down from the rows
         * above: flow_one), a part after a page break from the top */
        int a = from ? lines_above(T, v, from) : 0, b = to >= rl->nl ? v->n : lines_above(T, v, to);
        double at = from ? PAD : v->dy;
        for (int k = a; k < b && !header_span(T, ri, col); k++) /* (those: table_header) */
            ly_draw_line(c, v->text, v->L->v[v->first + k], x + HPAD(T), w - 2 * HPAD(T),
                         top - at - (k - a) * lh - T->m.top, T->t->fsize, ce->bold, ce->align, 1, BLACK);
        x += w;
    }
    c->y -= h;
}

static void close_table_page(table *T) { ly_rule(T->c, T->c->x0, T->c->y, T->c->x1, T->c->y, BLACK, 0.5, 0); }

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

static double carry_row_height(rctx *c, const block *t)
{
    return ly_text_metrics(c, "ยอดยกมา", t->fsize, 1).pitch + 2 * PAD;
}

/* A one-line row with a label and the running subtotal under its column. */
static void carry_row(table *T, const char *label)
{
    rctx *c = T->c;
    const block *t = T->t;
    double h = carry_row_height(c, t), x = c->x0;
    metrics m = ly_text_metrics(c, label, t->fsize, 1);
    char *v = thai_number_d(T->carry, t->carry_decimals, c->d->setup.thai_digits);
    if (!v) {
        c->err = 1;
        return;
    }
    for (int i = 0; i < t->carry_col; i++)
        x += T->colw[i];
    ly_rect(c, c->x0, c->y - h, c->x1 - c->x0, h, &(pdf_rgb){0.92, 0.92, 0.92}, &BLACK, 0.5);
    ly_rule(c, x, c->y, x, c->y - h, BLACK, 0.5, 0);
    ly_rule(c, x + T->colw[t->carry_col], c->y, x + T->colw[t->carry_col], c->y - h, BLACK, 0.5, 0);
    ly_text_at(c, label, strlen(label), c->x0 + HPAD(T), c->y - PAD - m.top, t->fsize, 1, BLACK);
    double w = ly_width_of(c, v, strlen(v), t->fsize, 1);
    ly_text_at(c, v, strlen(v), x + T->colw[t->carry_col] - HPAD(T) - w, c->y - PAD - m.top, t->fsize, 1, BLACK);
    c->y -= h;
    free(v);
}

/* The header rows, at the top of the table and of each page it runs onto. */
static void table_header(table *T)
{
    rctx *c = T->c;
    const block *t = T->t;
    double top = c->y;
    /* a cell that continues a heading above it has no rule between them (the first row's tops all drawn) */
    for (int r = 0; r < t->header_rows && r < t->nrows; r++)
        draw_row(T, r, 0, T->rows[r].nl, T->rows[r].h, r == 0);
    /* then each heading spanning header rows, its lines centred down them */
    for (int r = 0; r < t->header_rows && r < t->nrows; top -= T->rows[r].h, r++) {
        double x = c->x0;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell *ce = &t->rows[r].cells[i];
            const cell_view *v = &T->rows[r].cells[i];
            double w = span_width(T, col, ce->colspan), band = 0;
            int k = header_span(T, r, col);
            for (int g = 0; k && g <= k; g++)
                band += T->rows[r + g].h;
            double y = top - PAD - (band - 2 * PAD - v->n * T->m.pitch) / 2 - T->m.top;
            for (int l = 0; k && l < v->n; l++)
                ly_draw_line(c, v->text, v->L->v[v->first + l], x + HPAD(T), w - 2 * HPAD(T), y - l * T->m.pitch,
                             t->fsize, ce->bold, ce->align, 1, BLACK);
            x += w;
        }
    }
}

/* A row's heading level: 0 a row, 1 a group heading, 2 a subheading
 * (layout_cell.keep_with_next). */
static int row_level(const trow *r)
{
    int lv = 0;
    for (int i = 0; i < r->n; i++)
        if (r->cells[i].keep > lv)
            lv = r->cells[i].keep > 2 ? 2 : r->cells[i].keep;
    return lv;
}

/* The group heading row g again at the top of a page its group goes on
 * to: its heading cells with "(ต่อ)" after their text (after the last
 * line, or on a line of its own when the text fills it), its other cells
 * (a span carried down beside it) with "(ต่อ)" alone on the first repeated
 * row. Set as the heading is, so that a reader takes it for a word of its
 * line. No page of the table opens inside a group without saying which. */
static void repeat_group(table *T, int g, int first)
{
    rctx *c = T->c;
    const trow *r = &T->t->rows[g];
    const row_layout *rl = &T->rows[g];
    const char *more = "(ต่อ)";
    double lh = T->m.pitch, top = c->y, x = c->x0, size = T->t->fsize, gap = 0.4 * size;
    double tw = ly_width_of(c, more, strlen(more), size, 0);
    int nl = 1;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        const cell_view *v = &rl->cells[i];
        if (!r->cells[i].keep || v->empty || v->n < 1)
            continue;
        size_t a = v->L->v[v->first + v->n - 1].start, b = v->L->v[v->first + v->n - 1].end;
        double end = ly_width_of(c, v->text + a, b - a, size, r->cells[i].bold) + gap + tw;
        int lines = v->n + (end > span_width(T, col, r->cells[i].colspan) - 2 * HPAD(T));
        if (lines > nl)
            nl = lines;
    }
    double h = nl * lh + 2 * PAD;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        double w = span_width(T, col, r->cells[i].colspan);
        if (r->cells[i].keep && r->cells[i].shade)
            ly_rect(c, x, top - h, w, h, &shades[r->cells[i].shade], NULL, 0);
        x += w;
    }
    row_borders(T, r, h, first); /* the first under the header rule, a second under the first */
    x = c->x0;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        const cell *ce = &r->cells[i];
        const cell_view *v = &rl->cells[i];
        double w = span_width(T, col, ce->colspan), y = top - PAD - T->m.top, at = x + HPAD(T);
        if (ce->keep && !v->empty && v->n > 0) {
            for (int k = 0; k < v->n; k++)
                ly_draw_line(c, v->text, v->L->v[v->first + k], x + HPAD(T), w - 2 * HPAD(T), y - k * lh, size, ce->bold,
                             ce->align, 1, BLACK);
            size_t a = v->L->v[v->first + v->n - 1].start, b = v->L->v[v->first + v->n - 1].end;
            at += ly_width_of(c, v->text + a, b - a, size, ce->bold) + gap;
            y -= (v->n - 1) * lh;
            if (at + tw > x + w - HPAD(T)) /* no room after the text: the next line */
                at = x + HPAD(T), y -= lh;
        }
        if (ce->keep ? !v->empty && v->n > 0 : first && (ce->cont || (ce->text && ce->text[0])))
            ly_text_at(c, more, strlen(more), at, y, size, 0, GREY); /* (the table's size: an official table's 14 pt at least) */
        x += w;
    }
    c->y -= h;
}

/* A page break inside a table: close the page (with the subtotal carried
 * forward, ยอดยกไป), start the next one with the header rows (and ยอดยกมา),
 * then the group heading and subheading the next row stands under, again
 * (repeat_group; not those the next row begins or replaces). */
static void table_page_break(table *T)
{
    if (T->t->carry_col >= 0)
        carry_row(T, "ยอดยกไป");
    close_table_page(T);
    ly_new_page(T->c);
    table_header(T);
    if (T->t->carry_col >= 0)
        carry_row(T, "ยอดยกมา");
    T->page_top_row = 1;
    int lv = T->next >= 0 && T->next < T->t->nrows ? row_level(&T->t->rows[T->next]) : 0;
    for (int i = 0; i < 2; i++)
        if (T->group[i] >= 0 && (lv == 0 || i + 1 < lv)) {
            repeat_group(T, T->group[i], T->page_top_row);
            T->page_top_row = 0; /* the "(ต่อ)" of a cell carried over went on the heading */
        }
    T->fresh = 1;
}

/* Height of rows [0, n) of the table, stopping once past `limit`. */
static double rows_height(const table *T, int n, double limit)
{
    double h = 0;
    for (int r = 0; r < n && r < T->t->nrows && h <= limit; r++)
        h += T->rows[r].h;
    return h;
}

static int row_keeps(const trow *r)
{
    for (int i = 0; i < r->n; i++)
        if (r->cells[i].keep)
            return 1;
    return 0;
}

/* The room a row has on a fresh page of its table: the body less the
 * header set again, and never more than the body less 40 pt (a group
 * heading repeated over it). A row that fits it moves whole to the next
 * page (place_row); one that does not splits where it is, since no page
 * would hold it whole (a header taller than 40 pt moved such a row and
 * left the header alone at the foot). */
static double fresh_room(const table *T)
{
    const rctx *c = T->c;
    return c->ytop - c->ybot - fmax(40, rows_height(T, T->t->header_rows, 1e9));
}

/* The lines a row shows. */
static int row_lines(const table *T, int r) { return (int)lround((T->rows[r].h - 2 * PAD) / T->m.pitch); }

/* A group heading keeps two rows of its group with it, or one of at least
 * KEEP_LINES lines (a narrative under its heading is no stray row). */
#define KEEP_LINES 3

/* In a table of narratives (layout_table_split_tall) a row of SPLIT_LINES
 * lines or more splits across a page break, KEEP_LINES of them at least on
 * either side, rather than go whole to the next page (review finding 5: a
 * line of work's first row of ten lines went over whole with its headings
 * and left the official KPI report's p6 50 % full); a shorter row, or any
 * row of another table (a hospital's figures), moves whole. */
#define SPLIT_LINES 6
static int splits_tall(const table *T, int r) { return T->t->split_tall && row_lines(T, r) >= SPLIT_LINES; }

/* The height group heading rows from r on need with the rows they head: a
 * heading and its subheading ("ใช้ Thai Refer" over "Small Success 3
 * เดือน") go with two rows of the group under both, or its one row when it
 * has only one, or when the first holds KEEP_LINES lines or more (issue
 * 20: "ระดับ F1 ..." at a page foot over one hospital, the rest of its
 * group on the next page; criterion 9's group over 9.1). The first row counts whole when
 * it fits a fresh page (it will move whole), else three of its lines (it
 * splits, and the second row is not asked for); the second counts when the
 * headings and both rows fit a fresh page together (else nothing keeps them
 * together anyway). A row that is not a heading needs itself alone. */
static double keep_height(const table *T, int r)
{
    const block *t = T->t;
    double need = 0, room = fresh_room(T);
    int head = r < t->nrows && row_keeps(&t->rows[r]);
    for (; r < t->nrows && row_keeps(&t->rows[r]); r++)
        need += T->rows[r].h;
    if (r >= t->nrows)
        return need;
    if (T->rows[r].h > room || splits_tall(T, r))
        return need + KEEP_LINES * T->m.pitch + 2 * PAD;
    need += T->rows[r].h;
    if (head && row_lines(T, r) < KEEP_LINES && r + 1 < t->nrows && !row_keeps(&t->rows[r + 1]) &&
        need + T->rows[r + 1].h <= room)
        need += T->rows[r + 1].h;
    return need;
}

/* The last row showing lines of a text that starts in row r and flows down
 * through the cells below it (flow_spans), or r when none starts there. */
static int span_end(const table *T, int r)
{
    const block *t = T->t;
    int end = r;
    if (r < t->header_rows || r >= t->nrows)
        return r;
    for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
        const cell *src = &t->rows[r].cells[i];
        int k = span_below(T, r, col);
        if (!k || src->cont || !src->text[0])
            continue;
        for (int g = 1; g <= k; g++) {
            int ci = cell_at(&t->rows[r + g], col);
            if (ci >= 0 && T->rows[r + g].cells[ci].text == src->text && T->rows[r + g].cells[ci].n > 0 &&
                r + g > end)
                end = r + g;
        }
    }
    return end;
}

/* Height of rows [a, b]. */
static double rows_between(const table *T, int a, int b)
{
    double h = 0;
    for (int i = a; i <= b && i < T->t->nrows; i++)
        h += T->rows[i].h;
    return h;
}

/* Whether moving the rows from r on to the next page leaves enough on this
 * one: FULL_ENOUGH of its body used. Below that, a text spanning rows ends
 * on this page in a grown row (keep_span) rather than go over whole. */
#define FULL_ENOUGH 0.6

/* What the table's first row r needs on its page with it: a group heading
 * the rows it keeps (keep_height); a text flowing down from r, when its
 * rows fit a fresh page together, the rows it shows lines in, or as few as
 * it can end in, grown (grow_row; keep_span: a text spanning rows stays
 * whole with its rows; one taller than a page splits, "(ต่อ)"). On a page
 * less than FULL_ENOUGH used the text may go on to the next page under its
 * group heading set again, its cell marked "(ต่อ)" (review finding 5: the
 * official KPI report's section 3 went whole to p4 and left p3 52 % full,
 * a page more): the table begins here with the rows its headings keep. */
static int grow_row(const table *T, int s, double room, double *h);
static double lead_height(const table *T, int r)
{
    const rctx *c = T->c;
    double need = keep_height(T, r), span = rows_between(T, r, span_end(T, r)), grown;
    if (span > fresh_room(T) || (c->ytop - c->y) / (c->ytop - c->ybot) < FULL_ENOUGH)
        return need;
    if (grow_row(T, r, -1, &grown) >= 0 && grown < span)
        span = grown;
    return fmax(need, span);
}

/* A short table: half a page or less, twelve rows at most. */
static int short_table(const table *T)
{
    const rctx *c = T->c;
    double half = (c->ytop - c->ybot) / 2;
    return T->t->nrows <= 12 && rows_height(T, T->t->nrows, half) <= half;
}

/* Where a table begins: its header and first row start together (the first
 * row with the rows it heads, or the rows a text flowing down from it
 * fills: lead_height), and a short table is not split at all: it
 * begins where its note fits under it too. When that start fits a page (to
 * the point, as ly_ensure counts: equal fits) the table begins where it fits
 * whole, on the next page if need be; when it does not (a first row that
 * splits anyway), where three lines fit. */
static void table_start(table *T, double lh)
{
    rctx *c = T->c;
    double all = rows_height(T, T->t->nrows, 1e9);
    int hr = T->t->header_rows;
    double need = short_table(T) ? (all + T->note_after <= c->ytop - c->ybot ? all + T->note_after : all)
                  : hr < T->t->nrows ? rows_height(T, hr, 1e9) + fmax(lead_height(T, hr), T->rows[hr].h)
                                     : rows_height(T, hr + 1, 1e9);
    ly_ensure(c, need <= c->ytop - c->ybot ? need : lh * 3);
}

/* A group heading row goes with its first row: when both do not fit, a
 * new page. */
static void keep_with_next(table *T, int r)
{
    rctx *c = T->c;
    if (c->y - keep_height(T, r) < c->ybot && !T->fresh)
        table_page_break(T);
}

/* The lines the row `row` shows once a text flowing from row s ends
 * there: the row's other cells as they are, that cell with all the rest
 * of the text, from where its share begins (flow_one). */
static int grown_lines(const table *T, int s, int row)
{
    const block *t = T->t;
    int maxl = 1;
    for (int i = 0, col = 0; i < t->rows[row].n; col += t->rows[row].cells[i].colspan, i++) {
        cell_view v = T->rows[row].cells[i];
        int si = cell_at(&t->rows[s], col);
        if (row > s && t->rows[row].cells[i].cont && si >= 0 && v.text == t->rows[s].cells[si].text)
            v.n = v.L->n - v.first, v.empty = 0; /* the rest of the text flowing from s */
        int n = v.empty ? 0 : cell_lines(T, &v);
        if (n > maxl)
            maxl = n;
    }
    return maxl;
}

/* Where a text spanning rows from s may end early, in row j (j > s: the
 * row where it begins keeps its share; not a heading; a page break after
 * it that group_cut allows), the rows after j
 * showing none of it: with room >= 0, the last such row whose rows s..j so
 * grown fit `room`; with room < 0, the first such row. -1 when none; *h:
 * the height of rows s..j so grown. */
static int group_cut(const table *T, int from, int at);
static int grow_row(const table *T, int s, double room, double *h)
{
    const block *t = T->t;
    int e = span_end(T, s), best = -1;
    double above = T->rows[s].h;
    for (int j = s + 1; j < e && (room >= 0 || best < 0); j++) {
        double grown = above + grown_lines(T, s, j) * T->m.pitch + 2 * PAD;
        if ((room < 0 || grown <= room) && !row_keeps(&t->rows[j]) && group_cut(T, s, j + 1))
            best = j, *h = grown;
        above += T->rows[j].h;
    }
    return best;
}

/* The texts spanning rows from s end in row j (grow_row): j shows the rest
 * of each, the rows after it none (their cell is marked "(ต่อ)" on the next
 * page, as an emptied span carried over). */
static void grow_span(table *T, int s, int j)
{
    const block *t = T->t;
    for (int i = 0, col = 0; i < t->rows[s].n; col += t->rows[s].cells[i].colspan, i++) {
        const cell *src = &t->rows[s].cells[i];
        int k = col < t->ncols ? span_below(T, s, col) : 0;
        if (!k || src->cont || !src->text[0])
            continue;
        for (int g = s; g <= s + k; g++) {
            int ci = g == s ? i : cell_at(&t->rows[g], col);
            cell_view *v = &T->rows[g].cells[ci];
            if (v->text != src->text)
                continue;
            if (g == j)
                v->n = v->L->n - v->first, v->empty = 0; /* the rest of the text */
            else if (g > j)
                v->first = v->L->n, v->n = 0, v->empty = 1;
        }
    }
    measure_rows(T);
}

/* A text spanning rows from r on (a row-spanning indicator and its target)
 * stays whole with its rows when they fit a page: when they do not fit the
 * room left, they go to the next page, or, when that would leave this page
 * less than FULL_ENOUGH used, the text ends on this page in a grown row
 * (grow_row). At the table's first row it grows whenever it can: moving
 * would take the table and the heading over it to the next page
 * (lead_height has kept room for it). A text taller than a page breaks where
 * it stands, its rows marked "(ต่อ)" (issue 20: the indicator's last line
 * under "(ต่อ)" on the official KPI report's p4). */
static void keep_span(table *T, int r)
{
    rctx *c = T->c;
    int e = span_end(T, r), first = r == T->t->header_rows && c->page == T->first_page;
    double h = rows_between(T, r, e), g;
    if (e == r || T->fresh || h <= c->y - c->ybot || h > fresh_room(T))
        return;
    if (first || (c->ytop - c->y) / (c->ytop - c->ybot) < FULL_ENOUGH) {
        int j = grow_row(T, r, c->y - c->ybot, &g);
        if (j >= 0) {
            grow_span(T, r, j);
            return;
        }
    }
    if (!first) /* (a first row breaks where it stands rather than leave the header alone) */
        table_page_break(T);
}

/* Places data row r: whole if it fits, else moved whole to a fresh page if
 * it fits one, else split across pages with "(ต่อ)". */
static void place_row(table *T, int r)
{
    rctx *c = T->c;
    int nl = T->rows[r].nl, from = 0, continued = 0;
    double lh = T->m.pitch;
    for (;;) { /* ends at the break below, once the row's last part (or an empty row) is drawn */
        if (T->fresh && !continued) { /* the first row of a page: a text flowing into it begins at its top */
            flow_after_break(T, r);
            nl = T->rows[r].nl;
        }
        int fit = (int)floor((c->y - c->ybot - 2 * PAD) / lh);
        int rest = nl - from;
        if (rest <= fit || nl == 0) {
            draw_row(T, r, from, nl, (nl ? rest : 1) * lh + 2 * PAD, continued);
            T->page_top_row = T->fresh = 0;
            break;
        }
        /* (never twice at the top of a page: what the header and the repeated headings leave is all a
         * page of this table has, and a row that does not fit it splits there) */
        int split = from == 0 && T->t->split_tall && nl >= SPLIT_LINES && fit >= KEEP_LINES;
        if (split && fit > nl - KEEP_LINES)
            fit = nl - KEEP_LINES;
        if (!T->fresh && !split && (fit < 2 || (from == 0 && nl * lh + 2 * PAD <= fresh_room(T)))) {
            table_page_break(T);
            continue;
        }
        if (fit < 1) /* a page its header fills: a line a page, over the foot, rather than none */
            fit = 1;
        draw_row(T, r, from, from + fit, fit * lh + 2 * PAD, continued);
        T->page_top_row = T->fresh = 0;
        from += fit;
        continued = 1;
        table_page_break(T);
    }
}

/* Whether a page may break before row `at`, the rows from `from` on not yet
 * placed, as far as groups go: not right under a group heading, and not
 * under a group heading (from `from` on) with fewer than two of its rows
 * when more of them follow, unless that one holds KEEP_LINES lines
 * (keep_height's rule, for the breaks
 * table_widows and grow_span choose). */
static int group_cut(const table *T, int from, int at)
{
    const block *t = T->t;
    if (at <= 0 || at >= t->nrows)
        return 1;
    if (row_keeps(&t->rows[at - 1]))
        return 0;
    int g = at - 1;
    while (g >= from && !row_keeps(&t->rows[g]))
        g--;
    return g < from || at - g - 1 >= 2 || row_keeps(&t->rows[at]) ||
           (at - g - 1 == 1 && row_lines(T, at - 1) >= KEEP_LINES);
}

/* ... and as far as spans go: not inside the rows a text flowing down from
 * a row from `from` on fills, when they fit a page (keep_span). */
static int keeps_cut(const table *T, int from, int at)
{
    if (!group_cut(T, from, at))
        return 0;
    for (int s = from; s < at; s++)
        if (span_end(T, s) >= at && rows_between(T, s, span_end(T, s)) <= fresh_room(T))
            return 0;
    return 1;
}

/* No nearly empty last page: when the rows from r on would end the table
 * (or the short table after it, before the pages turn) with fewer than
 * WIDOW_ROWS rows alone on its last page (a group heading
 * row does not count: "ข้อ 9.3 ..." over "ไม่มี" is one row of substance),
 * the page breaks earlier so that WIDOW_ROWS go over together, never
 * leaving a group heading at the foot of the page before, which keeps at
 * least two rows; the rows moved must fit a fresh page. The row to break
 * before, or -1. Rows taller than a page (they split) are left to
 * place_row. */
#define WIDOW_ROWS 3
static int table_widows(const table *T, int r)
{
    const rctx *c = T->c;
    const block *t = T->t;
    int n = t->nrows, k = 0, real = 0;
    double avail = c->y - c->ybot, h = 0, fresh = c->ytop - c->ybot - 40;
    for (int i = r; i < n && h + T->rows[i].h <= avail; i++)
        h += T->rows[i].h, k++;
    /* the rest fits, and so does what joins it before the pages turn (a short table after it); else, a
     * long table, its last rows go over with that short table rather than leave it alone on a page */
    if (r + k >= n && (T->before_turn <= 0 || avail - h >= T->before_turn || n <= 12)) {
        /* the rest fits; so does the note under it, or two rows go over with the note, on the
         * table's first page too: a note alone at a page head reads as nobody's (a short table
         * moved whole with its note where it began: table_start) */
        if (avail - h >= T->note_after || n - r < 2 || (c->page == T->first_page && short_table(T)))
            return -1;
        int at = n - r >= 4 ? n - 2 : n - 1;
        while (at > r && !keeps_cut(T, r, at))
            at--;
        return at > r ? at : -1;
    }
    for (int i = r + k; i < n; i++)
        real += !row_keeps(&t->rows[i]);
    /* ... and a fifth of the page at least: a portrait page's three short rows are not enough; before
     * the pages turn (nothing but the table's notes and a short table will join them) nearly half of it */
    double page = c->ytop - c->ybot, tail = 0,
           least = T->before_turn >= 0 ? fmax(0.2 * page, 0.45 * page - T->before_turn) : 0.2 * page;
    for (int i = r + k; i < n; i++)
        tail += T->rows[i].h;
    if (real >= WIDOW_ROWS && tail >= least)
        return -1;
    int at = r + k, real0 = real;
    double tail0 = tail;
    while ((real < WIDOW_ROWS || tail < least) && at > r) {
        real += !row_keeps(&t->rows[--at]);
        tail += T->rows[at].h;
    }
    while (at > r && !keeps_cut(T, r, at))
        at--;
    /* before a turn (the document's end) nearly half a page cannot go over from a page whose rows are tall:
     * a fifth, as elsewhere, rather than nothing (the portrait appendix of a scorecard left "ข้อ ๙.๓ …" over
     * "ไม่มี" alone on its last page, 17 % after 91 %) */
    if (at - r < 2 && least > 0.2 * page) {
        at = r + k, real = real0, tail = tail0, least = 0.2 * page;
        while ((real < WIDOW_ROWS || tail < least) && at > r) {
            real += !row_keeps(&t->rows[--at]);
            tail += T->rows[at].h;
        }
        while (at > r && !keeps_cut(T, r, at))
            at--;
    }
    if (at - r < 2)
        return -1;
    double over = 0;
    for (int i = at; i < n; i++)
        over += T->rows[i].h;
    return over + rows_height(T, t->header_rows, 1e9) <= fresh ? at : -1;
}

static void lay_out_rows(table *T, double lh)
{
    rctx *c = T->c;
    const block *t = T->t;
    table_start(T, lh);
    T->first_page = c->page;
    table_header(T);
    T->widow_at = -1;
    T->group[0] = T->group[1] = -1;
    for (int r = t->header_rows; r < t->nrows && !c->err; r++) {
        T->next = r;
        if (T->widow_at == r)
            table_page_break(T);
        else if (T->widow_at < r)
            T->widow_at = table_widows(T, r);
        if (row_keeps(&t->rows[r]) && r + 1 < t->nrows)
            keep_with_next(T, r);
        keep_span(T, r);
        place_row(T, r);
        int lv = row_level(&t->rows[r]);
        if (lv == 1)
            T->group[0] = r, T->group[1] = -1;
        else if (lv == 2)
            T->group[1] = r;
        if (t->carry_col >= 0) {
            int ci = cell_at(&t->rows[r], t->carry_col);
            if (ci >= 0)
                T->carry += cell_number(c, t->rows[r].cells[ci].text);
        }
    }
    close_table_page(T);
}

static void table_free(table *T);

/* The lines the table's rows take at its columns' widths (each row its
 * tallest cell; the rows a text spans, one each), or -1 when memory runs
 * out. */
static long table_lines(table *T)
{
    const block *t = T->t;
    long sum = 0;
    for (int r = 0; r < t->nrows; r++) {
        int most = 1;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell *ce = &t->rows[r].cells[i];
            if (!ce->text[0] || ce->cont)
                continue;
            const lines *L = ly_break_lines(T->c, ce->text, span_width(T, col, ce->colspan) - 2 * HPAD(T), t->fsize, ce->bold);
            if (!L)
                return -1;
            if (L->n > most)
                most = L->n;
        }
        sum += most;
    }
    return sum;
}

/* A padding wider than PAD (layout_table_padding) gives way, 0.5 pt at a
 * time, where that saves lines: the widest padding at which the table
 * takes the fewest lines (review finding 4: at 4.5 pt region 5's CMI
 * appendix wrapped its hospitals' names, "พหลพลพยุหเสนา / (กาญจนบุรี)",
 * and went over two pages, 4 | 4 hospitals, where at 3 it fits one). T's
 * columns are set again at that padding. 0, or -1 when memory runs out. */
static int pad_gives_way(table *T, block *sized)
{
    double best = sized->hpad, size = sized->fsize;
    long fewest = table_lines(T);
    if (fewest < 0)
        return -1;
    for (double pad = sized->hpad - 0.5; pad >= PAD - 1e-9; pad -= 0.5) {
        sized->hpad = pad;
        memset(T->colw, 0, (size_t)T->t->ncols * sizeof *T->colw);
        if (ly_fit_columns(T) < size) /* (the type would have to shrink: not this padding) */
            continue;
        long n = table_lines(T);
        if (n < 0)
            return -1;
        if (n < fewest)
            fewest = n, best = pad;
    }
    sized->hpad = best;
    memset(T->colw, 0, (size_t)T->t->ncols * sizeof *T->colw);
    ly_fit_columns(T);
    return 0;
}

/* Sets T up for table t: the type size the columns need (t's own, or
 * smaller: then *sized is the table at that size and T reads it), the
 * column widths, every cell broken into lines, the spans shared out, the
 * rows measured. 0, or -1 when memory runs out (T is then freed). */
static int table_prepare(rctx *c, const block *t, block *sized, table *T)
{
    *sized = *t;
    for (;;) {
        *T = (table){.c = c, .t = sized};
        if (!(T->colw = calloc((size_t)t->ncols + 1, sizeof *T->colw)))
            return -1;
        double size = ly_fit_columns(T);
        if (size >= sized->fsize)
            break;
        free(T->colw);
        if (sized->hpad > PAD) { /* a padding wider than PAD (layout_table_padding) gives way before the type */
            sized->hpad = sized->hpad - 0.5 > PAD ? sized->hpad - 0.5 : PAD;
            continue;
        }
        sized->fsize = size; /* the same table in smaller type */
    }
    if (sized->hpad > PAD && pad_gives_way(T, sized) != 0) {
        table_free(T);
        return -1;
    }
    if (sized->balance)
        ly_balance_columns(T);
    if (break_cells(T) != 0 || count_spans(T) != 0) {
        table_free(T);
        return -1;
    }
    /* the pitch first (flow_spans sets a text flowing down one pitch a line), from every cell's whole text, then
     * from what each shows (the same but where a share of a text has no tall stack of marks the whole had) */
    T->m = table_metrics(T);
    flow_spans(T);
    metrics m = table_metrics(T);
    if (m.pitch != T->m.pitch) {
        T->m = m;
        flow_spans(T);
    }
    measure_rows(T);
    return 0;
}

static void table_free(table *T)
{
    free(T->colw);
    free(T->rows);
    free(T->views);
    free(T->below);
    T->colw = NULL, T->rows = NULL, T->views = NULL, T->below = NULL;
}

static double note_height(rctx *c, const block *t);

/* A table set up by table_prepare, kept from its lead (ly_table_lead, asked
 * by the heading above it and by the page's planning) to its drawing
 * (ly_render_table): the same table at the same measure gives the same
 * set-up, so it is made once (it was made up to three times a table). */
struct ly_prepared {
    const block *src;
    double x0, x1;
    block sized;
    table T;
};

void ly_table_forget(rctx *c)
{
    if (c->prepared) {
        table_free(&c->prepared->T);
        free(c->prepared);
        c->prepared = NULL;
    }
}

/* Table t set up at the current measure: the one kept if it is t's at this
 * measure, else made now. NULL when memory runs out (c->err set). */
static struct ly_prepared *prepared(rctx *c, const block *t)
{
    struct ly_prepared *P = c->prepared;
    if (P && P->src == t && P->x0 == c->x0 && P->x1 == c->x1) {
        c->prepared = NULL;
        return P;
    }
    if (!(P = malloc(sizeof *P)) || table_prepare(c, t, &P->sized, &P->T) != 0) {
        free(P);
        c->err = 1;
        return NULL;
    }
    P->src = t, P->x0 = c->x0, P->x1 = c->x1;
    return P;
}

/* The height the table keeps together where it begins (see table_start):
 * all of a short table, else its header rows and first row (with the group
 * headings over it: keep_height), at their real heights; *whole says
 * which. What a heading above it must find room for beside itself. */
double ly_table_lead(rctx *c, const block *t, int *whole)
{
    *whole = 0;
    struct ly_prepared *P = prepared(c, t);
    if (!P)
        return 0;
    table *T = &P->T;
    double half = (c->ytop - c->ybot) / 2, all = rows_height(T, t->nrows, half), need;
    int first = t->header_rows + 1;
    if (t->nrows <= 12 && all <= half) {
        double note = note_height(c, t); /* (it begins where its note fits too: table_start) */
        need = all + note < c->ytop - c->ybot ? all + note : all;
        *whole = 1;
    } else {
        need = first <= t->nrows ? rows_height(T, t->header_rows, 1e9) + lead_height(T, t->header_rows)
                                 : rows_height(T, first, 1e9);
        if (need > c->ytop - c->ybot - 40) /* a row taller than a page splits: three of its lines */
            need = rows_height(T, t->header_rows, 1e9) + 3 * T->m.pitch + 2 * PAD;
    }
    ly_table_forget(c);
    c->prepared = P;
    return need + 4;
}

/* The pages turn after table t, with at most its notes (short paragraphs)
 * and a short table between (layout_orientation), or a page break or the
 * document's end comes there (a scorecard's appendix): its last page gets
 * nothing else. The height those short tables and spacers take on it (an
 * estimate: one line a row), or -1 when the pages go on. t is one of the
 * document's blocks. */
static double turns_after(const rctx *c, const block *t)
{
    double after = 0;
    long i = t - c->d->blocks + 1;
    for (long k = 0; i < c->d->n && k < 4; i++, k++) {
        const block *b = &c->d->blocks[i];
        if (b->type == B_ORIENT) /* (a deferred turn may never come) */
            return (b->num != 0) != c->landscape && !b->level ? after : -1;
        if (b->type == B_BREAK)
            return after;
        if (b->type == B_TABLE && b->nrows <= 6)
            after += b->nrows * (b->fsize * 1.7 + 2 * PAD) + 10;
        else if (b->type == B_SPACER)
            after += b->num;
        else if (b->type != B_PARA)
            return -1;
    }
    return i == c->d->n ? after : -1;
}

/* The note under table t: the short paragraph right after it (kept whole,
 * see ly_text_block), its height with the gap after the table; 0 when none. */
static double note_height(rctx *c, const block *t)
{
    long i = t - c->d->blocks + 1;
    if (i >= c->d->n || c->d->blocks[i].type != B_PARA)
        return 0;
    const block *b = &c->d->blocks[i];
    const lines *L = ly_break_lines(c, b->text, c->x1 - c->x0, b->style.size, b->style.bold);
    double h = L ? L->n * ly_text_metrics(c, b->text, b->style.size, b->style.bold).pitch : 0;
    return h <= KEEP_WHOLE * (c->ytop - c->ybot) ? h + b->style.space_before + 6 : 0;
}

void ly_render_table(rctx *c, const block *t)
{
    double saved_ybot = c->ybot;
    struct ly_prepared *P = prepared(c, t);
    if (!P)
        return;
    table *T = &P->T;
    T->before_turn = turns_after(c, t);
    T->note_after = note_height(c, t);
    double lh = ly_line_height(c, P->sized.fsize);
    c->y -= 4;
    if (t->carry_col >= 0)
        c->ybot += carry_row_height(c, &P->sized); /* room for ยอดยกไป at every page foot */
    lay_out_rows(T, lh);
    c->ybot = saved_ybot;
    table_free(T);
    free(P);
    c->y -= 6;
}
