/* layout_columns: the widths of a table's columns. Figure columns (relative
 * width 0) are fitted to their widest figure, headings wrapping between
 * words when the page cannot afford them whole; the text columns share what
 * is left by their weights, each given at least its longest word; a table
 * that cannot fit is set in smaller type; and, asked (layout_table_balance),
 * the text columns trade width for the fewest lines. layout_table.c lays the
 * rows out in these widths. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The width a heading cell needs: its widest word, since a heading may
 * wrap between words ("ตั้งแต่|ต้นปี") where a figure may not. */
static double widest_word(rctx *c, const char *s, double size, int bold)
{
    ly_key k = {LY_WIDEST, bold, size, 0};
    size_t len = strlen(s);
    ly_value *v = ly_cache_find(c->cache, k, s, len);
    if (v)
        return v->v[0];
    const ly_breaks *b = ly_breaks_of(c, s);
    double best = 0;
    size_t prev = 0;
    for (int i = 0; b && i < b->n; i++) {
        size_t end = b->off[i];
        while (end > prev && (s[end - 1] == ' ' || s[end - 1] == '\n'))
            end--;
        double w = ly_width_of(c, s + prev, end - prev, size, bold);
        best = w > best ? w : best;
        prev = b->off[i];
    }
    if (b && ly_cache_put(c->cache, k, s, len, (ly_value){{best, 0}, NULL, NULL}) != 0)
        c->err = 1;
    return best;
}

/* A heading's width whole, and the least it needs wrapped between words.
 * A heading broken by its author ("ไตรมาส\n1") is whole as its widest line. */
static void heading_widths(table *T, const cell *ce, double *whole, double *wrapped)
{
    const block *t = T->t;
    *whole = 0;
    for (const char *s = ce->text;;) {
        size_t n = strcspn(s, "\n");
        double w = ly_width_of(T->c, s, n, t->fsize, ce->bold) + 2 * HPAD(T) + 1;
        *whole = w > *whole ? w : *whole;
        if (!s[n])
            break;
        s += n + 1;
    }
    *wrapped = widest_word(T->c, ce->text, t->fsize, ce->bold) + 2 * HPAD(T) + 1;
}

/* Headings kept on one line where the fitted columns can afford it: the
 * columns whose heading would wrap are widened, cheapest first, while the
 * fitted columns stay within `budget` ("ผลงาน" whole above a column of
 * small counts; "ตั้งแต่ต้นปี" wrapped where ten figures share the page). */
static void unwrap_headings(table *T, const double *whole, double budget)
{
    const block *t = T->t;
    double used = 0;
    for (int i = 0; i < t->ncols; i++)
        used += t->rel[i] > 0 ? 0 : T->colw[i];
    for (;;) {
        int best = -1;
        for (int i = 0; i < t->ncols; i++)
            if (t->rel[i] <= 0 && whole[i] > T->colw[i] + 0.01 &&
                (best < 0 || whole[i] - T->colw[i] < whole[best] - T->colw[best]))
                best = i;
        if (best < 0 || used + whole[best] - T->colw[best] > budget)
            return;
        used += whole[best] - T->colw[best];
        T->colw[best] = whole[best];
    }
}

/* What the text columns (relative widths) would take unwrapped, each
 * counted up to `cap`. Measured only when a heading might be unwrapped, and
 * a column no further once it reaches the cap: a long table's every text
 * cell is not shaped whole for nothing. */
static double text_columns_need(table *T, double cap)
{
    const block *t = T->t;
    double need = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (t->rel[i] <= 0)
            continue;
        double most = 0;
        for (int r = 0; r < t->nrows && most < cap; r++) {
            int col = 0;
            for (int k = 0; k < t->rows[r].n && col <= i; k++) {
                const cell *ce = &t->rows[r].cells[k];
                if (col == i && ce->colspan == 1)
                    most = fmax(most, ly_width_of(T->c, ce->text, strlen(ce->text), t->fsize, ce->bold) + 2 * HPAD(T) + 1);
                col += ce->colspan;
            }
        }
        need += fmin(most, cap);
    }
    return need;
}

/* layout_table_snug: the figure columns take what the text columns' widest cells, whole, leave
 * them: their headings whole as far as that goes (cheapest first, unwrap_headings), then each
 * heading over several columns whole where it fits (those columns widened alike), then what is
 * left shared alike among them (the handout's province column was 40 % of the page while a
 * heading over two narrow columns wrapped to three lines). 0, the widths as they were, when the
 * figures alone need more: the table is then fitted as any other. */
static int snug_columns(table *T, const double *whole)
{
    const block *t = T->t;
    int n = t->ncols, nfit = 0;
    double budget = T->c->x1 - T->c->x0 - text_columns_need(T, HUGE_VAL), used = 0;
    for (int i = 0; i < n; i++)
        if (t->rel[i] <= 0)
            used += T->colw[i], nfit++;
    if (!nfit || used > budget + 0.5)
        return 0;
    unwrap_headings(T, whole, budget);
    used = 0;
    for (int i = 0; i < n; i++)
        used += t->rel[i] <= 0 ? T->colw[i] : 0;
    for (int r = 0; r < t->header_rows && r < t->nrows; r++)
        for (int k = 0, col = 0; k < t->rows[r].n; col += t->rows[r].cells[k].colspan, k++) {
            const cell *ce = &t->rows[r].cells[k];
            int span = ce->colspan, fitted = col + span <= n;
            for (int i = col; i < col + span && i < n; i++)
                fitted &= t->rel[i] <= 0;
            if (span < 2 || !fitted || !ce->text[0])
                continue;
            double w, wrapped, have = 0;
            heading_widths(T, ce, &w, &wrapped);
            for (int i = col; i < col + span; i++)
                have += T->colw[i];
            if (w <= have || used + w - have > budget)
                continue;
            for (int i = col; i < col + span; i++)
                T->colw[i] += (w - have) / span;
            used += w - have;
        }
    for (int i = 0; i < n; i++)
        if (t->rel[i] <= 0)
            T->colw[i] += (budget - used) / nfit;
    return 1;
}

/* What a column of relative width must have, from its cells: *need, the
 * widest word of any cell (a name is never cut while the table can give it
 * room), and *cap, the widest cell when every body cell is a figure (a
 * column of "0.73" gets no more than that while a name beside it wraps), or
 * HUGE_VAL. A column whose share is already past `enough` is not measured:
 * the long texts of a KPI table need no widening. */
static void relative_needs(table *T, int i, double enough, double *need, double *cap)
{
    const block *t = T->t;
    int figures = 1;
    *need = 0;
    *cap = 0;
    for (int r = 0; r < t->nrows && *need < enough; r++) {
        int col = 0;
        for (int k = 0; k < t->rows[r].n && col <= i; k++) {
            const cell *ce = &t->rows[r].cells[k];
            if (col == i && ce->colspan == 1 && ce->text[0]) {
                size_t n = strlen(ce->text);
                int fig = r >= t->header_rows && ly_is_figure(ce->text, n);
                double whole = fig ? ly_width_of(T->c, ce->text, n, t->fsize, ce->bold) + 2 * HPAD(T) + 1 : 0;
                double word = fig ? whole : widest_word(T->c, ce->text, t->fsize, ce->bold) + 2 * HPAD(T) + 1;
                *need = fmax(*need, word);
                if (r >= t->header_rows)
                    figures &= fig;
                *cap = fmax(*cap, fig ? whole : word);
            }
            col += ce->colspan;
        }
    }
    if (!figures)
        *cap = HUGE_VAL;
    *cap = fmax(*cap, *need);
}

/* Takes up to `want` from the columns' widths above their floor, in
 * proportion to what each has above it; what it could not take. */
static double take_from(table *T, const double *floor, const char *skip, double want)
{
    double spare = 0;
    for (int i = 0; i < T->t->ncols; i++)
        if (T->t->rel[i] > 0 && !skip[i] && T->colw[i] > floor[i])
            spare += T->colw[i] - floor[i];
    double take = fmin(want, spare);
    for (int i = 0; take > 0 && i < T->t->ncols; i++)
        if (T->t->rel[i] > 0 && !skip[i] && T->colw[i] > floor[i])
            T->colw[i] -= (T->colw[i] - floor[i]) * take / spare;
    return want - take;
}

/* Shares `width` among the columns of relative width in proportion to
 * their weights; a column narrower than its widest word then gets that
 * width, taken first from figure columns wider than their widest figure,
 * then from the others down to their own widest word: a name is never cut
 * while the table can give it room, and a column of "0.73" gives up its
 * room before a name beside it wraps. Returns the width the columns need
 * at least (more than `width` when not every column can have its widest
 * word: the table is then set smaller). */
static double share_relative(table *T, double width, double total)
{
    const block *t = T->t;
    int n = t->ncols;
    double *need = calloc((size_t)n, sizeof *need), *cap = calloc((size_t)n, sizeof *cap), least = 0, short_by = 0;
    char *fixed = calloc((size_t)n, 1);
    if (!need || !cap || !fixed) {
        free(need), free(cap), free(fixed);
        T->c->err = 1;
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (t->rel[i] > 0) {
            T->colw[i] = width * t->rel[i] / total;
            relative_needs(T, i, width, &need[i], &cap[i]);
            least += need[i];
            if (need[i] > T->colw[i] + 0.01) {
                short_by += need[i] - T->colw[i];
                T->colw[i] = need[i];
                fixed[i] = 1;
            }
        }
    if (short_by > 0 && least <= width + 0.5) {
        for (int i = 0; i < n; i++)
            cap[i] = cap[i] == HUGE_VAL ? T->colw[i] : fmax(cap[i], need[i]);
        short_by = take_from(T, cap, fixed, short_by);
        take_from(T, need, fixed, short_by);
    }
    free(need), free(cap), free(fixed);
    return least;
}

/* Columns whose relative width is 0 are fitted to their widest cell, so
 * figures are never wrapped (headings wrap between words when the page
 * cannot afford them whole); the others share what is left. Returns the
 * type size the table needs: smaller than its own when the fitted columns
 * would leave the text columns no room or overrun the page (never text one
 * letter wide, nor a table off the page, nor below 8 pt). */
double ly_fit_columns(table *T)
{
    const block *t = T->t;
    double total = 0, width = T->c->x1 - T->c->x0, fitted = 0, pads = 0;
    double *whole = calloc((size_t)t->ncols, sizeof *whole);
    if (!whole) {
        T->c->err = 1;
        return t->fsize;
    }
    for (int r = 0; r < t->nrows; r++) {
        int col = 0;
        for (int i = 0; i < t->rows[r].n && col < t->ncols; i++) {
            const cell *ce = &t->rows[r].cells[i];
            if (ce->colspan == 1 && t->rel[col] <= 0) {
                double w, full = 0;
                if (r < t->header_rows)
                    heading_widths(T, ce, &full, &w);
                else if (strchr(ce->text, '\n')) /* figures stacked ("0.0470\n(0.0344)"): the widest */
                    heading_widths(T, ce, &w, &full), full = 0;
                else
                    w = ly_width_of(T->c, ce->text, strlen(ce->text), t->fsize, ce->bold) + 2 * HPAD(T) + 1;
                T->colw[col] = w > T->colw[col] ? w : T->colw[col];
                whole[col] = full > whole[col] ? full : whole[col];
            }
            col += ce->colspan;
        }
    }
    int wraps = 0;
    for (int i = 0; i < t->ncols; i++) {
        total += t->rel[i] > 0 ? t->rel[i] : 0;
        wraps |= t->rel[i] <= 0 && whole[i] > T->colw[i] + 0.01;
    }
    /* the fitted columns may always take 60 %, more when the text columns
     * need less than 30 % each unwrapped, but never more than their room:
     * a heading set whole is not worth a smaller type for the whole table */
    double room = total > 0 ? 0.8 * width : width;
    int snug = t->snug && total > 0 && snug_columns(T, whole);
    if (wraps && !snug)
        unwrap_headings(T, whole, fmin(room, fmax(0.6 * width, width - text_columns_need(T, 0.3 * width))));
    free(whole);
    for (int i = 0; i < t->ncols; i++) {
        fitted += t->rel[i] > 0 ? 0 : T->colw[i];
        pads += t->rel[i] > 0 ? 0 : 2 * HPAD(T) + 1;
    }
    if (total > 0 && fitted > room + 0.5) { /* the names may give up their 20 %, down to their widest words */
        double names = 0, need, cap;
        for (int i = 0; i < t->ncols; i++)
            if (t->rel[i] > 0) {
                relative_needs(T, i, width, &need, &cap);
                names += need;
            }
        room = fmax(room, width - names);
    }
    if (fitted > room + 0.5 && fitted > pads && t->fsize > 8.05) {
        double size = t->fsize * (room - pads) / (fitted - pads);
        return size < 8 ? 8 : size;
    }
    for (int i = 0; i < t->ncols; i++)
        width -= t->rel[i] > 0 ? 0 : T->colw[i];
    double least = total > 0 ? share_relative(T, width, total) : 0;
    if (least > width + 0.5 && t->fsize > 8.05) { /* no room for every name whole: smaller type */
        double size = t->fsize * width / least;
        return size < 8 ? 8 : size > t->fsize - 0.05 ? t->fsize - 0.05 : size;
    }
    return t->fsize;
}

/* The lines the text columns take, row by row, each row its tallest
 * text cell: what balance_columns makes fewer; then (x 1000, the units)
 * the lines of all text cells, so that a move which shortens a cell
 * without yet shortening its row is taken on the way to one that does. */
static long text_lines(table *T)
{
    const block *t = T->t;
    long total = 0;
    for (int r = 0; r < t->nrows; r++) {
        int most = 1;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell *ce = &t->rows[r].cells[i];
            if (ce->colspan != 1 || ce->cont || !ce->text[0] || t->rel[col] <= 0)
                continue;
            const lines *L = ly_break_lines(T->c, ce->text, T->colw[col] - 2 * HPAD(T), t->fsize, ce->bold);
            if (!L) {
                T->c->err = 1;
                return 0;
            }
            most = L->n > most ? L->n : most;
            total += L->n;
        }
        total += 1000L * most;
    }
    return total;
}

/* The lines of the cell of row r in column col at width w (0: none). */
static int cell_lines(table *T, int r, int col, double w)
{
    const block *t = T->t;
    for (int i = 0, k = 0; i < t->rows[r].n; k += t->rows[r].cells[i].colspan, i++) {
        const cell *ce = &t->rows[r].cells[i];
        if (k < col)
            continue;
        if (k > col || ce->colspan != 1 || ce->cont || !ce->text[0])
            return 0;
        const lines *L = ly_break_lines(T->c, ce->text, w - 2 * HPAD(T), t->fsize, ce->bold);
        if (!L)
            T->c->err = 1;
        return L ? L->n : 0;
    }
    return 0;
}

/* Whether every cell of column col takes no more lines at width w than at its own width. */
static int keeps_lines(table *T, int col, double w)
{
    for (int r = 0; r < T->t->nrows && !T->c->err; r++)
        if (cell_lines(T, r, col, w) > cell_lines(T, r, col, T->colw[col]))
            return 0;
    return 1;
}

/* What text column col can give up and keep every cell's lines (and its widest word, need). */
static double slack_of(table *T, int col, double need)
{
    double lo = need, hi = T->colw[col];
    if (hi - lo < 0.5 || keeps_lines(T, col, lo))
        return hi - lo > 0 ? hi - lo : 0;
    for (int k = 0; k < 12 && hi - lo > 0.25; k++) {
        double mid = (lo + hi) / 2;
        if (keeps_lines(T, col, mid))
            hi = mid;
        else
            lo = mid;
    }
    return T->colw[col] - hi;
}

/* The balance's finer move, when no step saves a line: a cell that
 * sets its row's height (a two-line note in a five-column grade table)
 * given the least width that takes a line off it (and off its row), from what the other
 * text columns can spare without a cell of theirs taking a line more,
 * each giving in proportion to its spare width. 1 when a move was made. */
static int slack_move(table *T, const double *need, long *now)
{
    const block *t = T->t;
    int n = t->ncols;
    double *spare = calloc((size_t)n, sizeof *spare), *was = calloc((size_t)n, sizeof *was);
    if (!spare || !was) {
        free(spare), free(was);
        T->c->err = 1;
        return 0;
    }
    double total = 0;
    for (int j = 0; j < n; j++)
        if (t->rel[j] > 0)
            total += spare[j] = slack_of(T, j, need[j]);
    memcpy(was, T->colw, (size_t)n * sizeof *was);
    long best = *now;
    double bw = 0;
    int bi = -1;
    for (int r = 0; r < t->nrows && total >= 0.5 && !T->c->err; r++)
        for (int i = 0; i < n; i++) {
            int L = t->rel[i] > 0 ? cell_lines(T, r, i, T->colw[i]) : 0;
            if (L < 2 || cell_lines(T, r, i, T->colw[i] + total - spare[i]) >= L)
                continue;
            double lo = T->colw[i], hi = T->colw[i] + total - spare[i];
            for (int k = 0; k < 14 && hi - lo > 0.25; k++) {
                double mid = (lo + hi) / 2;
                if (cell_lines(T, r, i, mid) < L)
                    hi = mid;
                else
                    lo = mid;
            }
            double d = hi - T->colw[i], others = total - spare[i];
            for (int j = 0; j < n; j++)
                if (j != i && t->rel[j] > 0)
                    T->colw[j] -= d * spare[j] / others;
            T->colw[i] += d;
            long got = text_lines(T);
            if (got / 1000 < *now / 1000 && got < best) /* a row's line saved, not a cell's */
                best = got, bi = i, bw = hi;
            memcpy(T->colw, was, (size_t)n * sizeof *was);
        }
    if (bi >= 0) {
        double d = bw - T->colw[bi], others = total - spare[bi];
        for (int j = 0; j < n; j++)
            if (j != bi && t->rel[j] > 0)
                T->colw[j] -= d * spare[j] / others;
        T->colw[bi] = bw;
        *now = best;
    }
    free(spare), free(was);
    return bi >= 0;
}

/* layout_table_balance: moves width from one text column to another, in
 * steps of 3, 8 or 15 % of their room, while a move saves lines and leaves
 * the giving column its widest word; the best move first; when no step
 * saves a line, the finer slack_move. */
#define BALANCE_CELLS 200
void ly_balance_columns(table *T)
{
    const block *t = T->t;
    int n = t->ncols, rel = 0;
    double room = 0;
    for (int i = 0; i < n; i++)
        if (t->rel[i] > 0)
            rel++, room += T->colw[i];
    if (rel < 2 || (long)rel * t->nrows > BALANCE_CELLS)
        return;
    double *need = calloc((size_t)n, sizeof *need), cap;
    if (!need) {
        T->c->err = 1;
        return;
    }
    for (int i = 0; i < n; i++)
        if (t->rel[i] > 0)
            relative_needs(T, i, HUGE_VAL, &need[i], &cap);
    static const double steps[] = {0.03, 0.08, 0.15};
    long now = text_lines(T);
    for (int round = 0; round < 40 && !T->c->err; round++) {
        long best = now;
        int bi = -1, bj = -1;
        double bs = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (size_t k = 0; i != j && t->rel[i] > 0 && t->rel[j] > 0 && k < sizeof steps / sizeof *steps; k++) {
                    double d = steps[k] * room;
                    if (T->colw[j] - d < need[j])
                        continue;
                    T->colw[i] += d, T->colw[j] -= d;
                    long got = text_lines(T);
                    T->colw[i] -= d, T->colw[j] += d;
                    if (got < best)
                        best = got, bi = i, bj = j, bs = d;
                }
        if (bi < 0) {
            if (slack_move(T, need, &now))
                continue;
            break;
        }
        T->colw[bi] += bs, T->colw[bj] -= bs;
        now = best;
    }
    free(need);
}
