/* layout_table_cells: a table set up before any row is placed: the type
 * size and padding its columns need (the widths are layout_columns.c's),
 * every cell broken into lines once, the texts that flow down through the
 * cells they span shared out among them, one line pitch for the table, and
 * the rows measured. The rows keep their lines and heights; placing
 * (layout_table.c) and drawing (layout_table_draw.c) read them. */
#include "layout_table_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

double ly_span_width(const table *T, int col, int span)
{
    double w = 0;
    for (int i = col; i < col + span && i < T->t->ncols; i++)
        w += T->colw[i];
    return w;
}

/* Index of the cell of row r that starts at column `col`, or -1. */
int ly_cell_at(const trow *r, int col)
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
int ly_span_below(const table *T, int r, int col)
{
    const block *t = T->t;
    if (col < t->ncols)
        return T->below[r * t->ncols + col];
    int k = 0, j;
    while (r + k + 1 < t->nrows && (j = ly_cell_at(&t->rows[r + k + 1], col)) >= 0 && t->rows[r + k + 1].cells[j].cont)
        k++;
    return k;
}

/* ly_span_below for every row and column, counted once from the bottom up:
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
            int j = ly_cell_at(&t->rows[r + 1], col);
            if (j >= 0 && t->rows[r + 1].cells[j].cont)
                T->below[r * nc + col] = 1 + T->below[(r + 1) * nc + col];
        }
    return 0;
}

/* The header rows under header row r's cell at column col that continue it (layout_cell.continues):
 * the cell is one heading standing in all of them ("จังหวัด" beside a group heading over the
 * columns of its second row), its text centred down them (ly_table_header). 0 for a body row. */
int ly_header_span(const table *T, int r, int col)
{
    if (r >= T->t->header_rows)
        return 0;
    int k = ly_span_below(T, r, col), rest = T->t->header_rows - 1 - r;
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
            const lines *L = ly_break_lines(T->c, ce->text, ly_span_width(T, col, ce->colspan) - 2 * HPAD(T), t->fsize, ce->bold);
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
        if (o->cont || !o->text[0] || (row >= t->header_rows && ly_span_below(T, row, x)))
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
 * is left (ly_measure_rows). `lift`: the room above row `start` the text
 * may begin in (a page's group headings set again: ly_table_page_break),
 * its first line that much higher. */
static void flow_one(table *T, int r, int i, int col, int start, int pos, double lift)
{
    const block *t = T->t;
    const cell *src = &t->rows[r].cells[i];
    const lines *L = T->rows[r].cells[i].L;
    int k = ly_span_below(T, r, col);
    double p = T->m.pitch > 0 ? T->m.pitch : 1, y = lift; /* the top of row g below where the text begins, less PAD */
    int p0 = pos;
    for (int g = start; g <= r + k && pos < L->n; g++) {
        int row = g, ci = g == r ? i : ly_cell_at(&t->rows[row], col);
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
            if (!ly_span_below(T, r, col) || src->cont || !src->text[0])
                continue;
            flow_one(T, r, i, col, r, 0, 0);
        }
}

/* A page break before row g: the texts spanning rows that go on in g begin
 * again at its top, PAD under it (flow_one), or one line under the "(ต่อ)"
 * of the group headings set again over it (T->lift: not under a blank line
 * beside the subheading, review finding 6 left on the official KPI
 * report's p4), and the rows are measured again (a line begun in the
 * padding of the row above would stand over the page's header). */
void ly_flow_after_break(table *T, int g)
{
    const block *t = T->t;
    int again = 0;
    if (g <= t->header_rows || g >= t->nrows)
        return;
    for (int i = 0, col = 0; i < t->rows[g].n; col += t->rows[g].cells[i].colspan, i++) {
        const cell_view *v = &T->rows[g].cells[i];
        double lift = T->lift;
        for (int h = 0; h < 2; h++) { /* (where each heading set again is a row of this text: its cell there is free) */
            int rr = T->repeated[h], hc = rr >= 0 ? ly_cell_at(&t->rows[rr], col) : 0;
            if (rr >= 0 && (hc < 0 || t->rows[rr].cells[hc].keep || T->rows[rr].cells[hc].text != v->text ||
                            t->rows[rr].cells[hc].colspan != t->rows[g].cells[i].colspan))
                lift = 0;
        }
        if (!t->rows[g].cells[i].cont || v->empty || v->first >= v->L->n || fabs(v->dy - (PAD - lift)) < 1e-6)
            continue;
        for (int r = g - 1; r >= t->header_rows; r--) { /* the row the text starts in */
            int si = ly_cell_at(&t->rows[r], col);
            if (si >= 0 && !t->rows[r].cells[si].cont) {
                if (T->rows[r].cells[si].text == v->text) {
                    flow_one(T, r, si, col, g, v->first, lift);
                    again = 1;
                }
                break;
            }
        }
    }
    if (again)
        ly_measure_rows(T);
}

/* The lines of its row a cell takes: its own, or those a text flowing
 * down from above reaches to (its first line begun higher, flow_one). */
int ly_cell_lines(const table *T, const cell_view *v)
{
    if (fabs(v->dy - PAD) < 1e-6 || T->m.pitch <= 0)
        return v->n;
    int n = (int)ceil((v->dy - PAD) / T->m.pitch + v->n - 1e-6);
    return n > 0 ? n : 0;
}

/* How many of a cell's lines end above line `upto` of its row (its lines
 * [0, upto) as the row counts them: ly_cell_lines). */
int ly_lines_above(const table *T, const cell_view *v, int upto)
{
    if (fabs(v->dy - PAD) < 1e-6 || T->m.pitch <= 0)
        return upto < v->n ? upto : v->n;
    int k = (int)floor((PAD + upto * T->m.pitch - v->dy) / T->m.pitch + 1e-6);
    return k < 0 ? 0 : k < v->n ? k : v->n;
}

/* Row heights, once every cell knows what it shows. */
void ly_measure_rows(table *T)
{
    const block *t = T->t;
    for (int r = 0; r < t->nrows; r++) {
        row_layout *rl = &T->rows[r];
        int maxl = 1;
        rl->nl = 0;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell_view *v = &rl->cells[i];
            int n = ly_cell_lines(T, v);
            if (!v->empty && n > maxl && !ly_header_span(T, r, col))
                maxl = n;
            if (n > rl->nl)
                rl->nl = n;
        }
        rl->h = maxl * T->m.pitch + 2 * PAD;
    }
    /* a heading spanning header rows: the last of them takes what they lack for its lines */
    for (int r = 0; r < t->header_rows && r < t->nrows; r++)
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            int k = ly_header_span(T, r, col);
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
            const lines *L = ly_break_lines(T->c, ce->text, ly_span_width(T, col, ce->colspan) - 2 * HPAD(T), t->fsize, ce->bold);
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
int ly_table_prepare(rctx *c, const block *t, block *sized, table *T)
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
        ly_table_free(T);
        return -1;
    }
    if (sized->balance)
        ly_balance_columns(T);
    if (break_cells(T) != 0 || count_spans(T) != 0) {
        ly_table_free(T);
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
    ly_measure_rows(T);
    return 0;
}

void ly_table_free(table *T)
{
    free(T->colw);
    free(T->rows);
    free(T->views);
    free(T->below);
    T->colw = NULL, T->rows = NULL, T->views = NULL, T->below = NULL;
}
