/* layout_table: tables with fitted columns, cells spanning rows, rows
 * that move or split across pages ("(ต่อ)"), header rows repeated on each
 * page, and a running subtotal carried across page breaks. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
        if (ly_break_lines(c, text, w, t->fsize, ce->bold, &rl->L[i]) != 0)
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
        if (ly_break_lines(c, o->text, span_width(c, x, o->colspan) - 2 * PAD, t->fsize, o->bold, &M) != 0)
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
            if (ly_break_lines(c, src->text, w, t->fsize, src->bold, &L) != 0)
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
            ly_text_at(c, "(ต่อ)", strlen("(ต่อ)"), x + PAD, y - rl->m.top, t->fsize * 0.8, 0, GREY);
        for (int k = from; k < to && k < rl->L[i].n; k++) {
            int li = k - from;
            ly_draw_line(c, cell_text(c, ri, i), rl->L[i].v[k], x + PAD, w - 2 * PAD, y - li * lh - rl->m.top, t->fsize,
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

static double carry_row_height(rctx *c, const block *t) { return ly_text_metrics(c, "ยอดยกมา", t->fsize, 1).pitch + 2 * PAD; }

/* A one-line row with a label and the running subtotal under its column. */
static void carry_row(rctx *c, const char *label)
{
    const block *t = c->table;
    double h = carry_row_height(c, t), x = c->x0;
    metrics m = ly_text_metrics(c, label, t->fsize, 1);
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
    ly_text_at(c, label, strlen(label), c->x0 + PAD, c->y - PAD - m.top, t->fsize, 1, BLACK);
    double w = ly_width_of(c, v, strlen(v), t->fsize, 1);
    ly_text_at(c, v, strlen(v), x + c->colw[t->carry_col] - PAD - w, c->y - PAD - m.top, t->fsize, 1, BLACK);
    c->y -= h;
    free(v);
}

static void table_header(rctx *c);

/* A page break inside a table: close the page (with the subtotal carried
 * forward, ยอดยกไป), start the next one with the header rows (and ยอดยกมา). */
static void table_page_break(rctx *c)
{
    const block *t = c->table;
    if (t->carry_col >= 0)
        carry_row(c, "ยอดยกไป");
    close_table_page(c);
    ly_new_page(c);
    table_header(c);
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
                double w = ly_width_of(c, ce->text, strlen(ce->text), t->fsize, ce->bold) + 2 * PAD + 1;
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
            metrics x = ly_text_metrics(c, cell_text(c, r, i), t->fsize, t->rows[r].cells[i].bold);
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
    ly_ensure(c, need < c->ytop - c->ybot ? need : lh * 3);
}

static int row_keeps(const trow *r)
{
    for (int i = 0; i < r->n; i++)
        if (r->cells[i].keep)
            return 1;
    return 0;
}

void ly_render_table(rctx *c, const block *t)
{
    double total = 0, width = c->x1 - c->x0, lh = ly_line_height(c, t->fsize);
    double colw[64], fitted = 0, pads = 0;
    fit_columns(c, t, colw);
    for (int i = 0; i < t->ncols && i < 64; i++) {
        total += t->rel[i] > 0 ? t->rel[i] : 0;
        fitted += t->rel[i] > 0 ? 0 : colw[i];
        pads += t->rel[i] > 0 ? 0 : 2 * PAD + 1;
    }
    /* Columns fitted to their figures that would leave the text columns no
     * room (or overrun the page): the last resort is a smaller type for this
     * table, never text one letter wide nor a table off the page. */
    double room = total > 0 ? 0.8 * width : width;
    if (fitted > room + 0.5 && fitted > pads && t->fsize > 8.05) {
        block smaller = *t;
        double size = t->fsize * (room - pads) / (fitted - pads);
        smaller.fsize = size < 8 ? 8 : size;
        ly_render_table(c, &smaller);
        return;
    }
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
