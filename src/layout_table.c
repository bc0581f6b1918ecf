/* layout_table: where a table's rows go: the table begins where its header
 * and first rows fit (a short table whole, with its note), a group heading
 * keeps rows of its group, a text spanning rows stays with them or ends in
 * a grown row, rows move whole to the next page or split there ("(ต่อ)"),
 * and no last page is left with a row or two alone. The block's entry
 * points: ly_table_lead (what a heading above the table must find room
 * for) and ly_render_table.
 *
 * The table is set up once, before it is placed (layout_table_cells.c:
 * every cell broken into lines, the rows measured), and drawn row by row
 * (layout_table_draw.c); the columns' widths are layout_columns.c's. */
#include "layout_table_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
        int k = ly_span_below(T, r, col);
        if (!k || src->cont || !src->text[0])
            continue;
        for (int g = 1; g <= k; g++) {
            int ci = ly_cell_at(&t->rows[r + g], col);
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
        ly_table_page_break(T);
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
        int si = ly_cell_at(&t->rows[s], col);
        if (row > s && t->rows[row].cells[i].cont && si >= 0 && v.text == t->rows[s].cells[si].text)
            v.n = v.L->n - v.first, v.empty = 0; /* the rest of the text flowing from s */
        int n = v.empty ? 0 : ly_cell_lines(T, &v);
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
        int k = col < t->ncols ? ly_span_below(T, s, col) : 0;
        if (!k || src->cont || !src->text[0])
            continue;
        for (int g = s; g <= s + k; g++) {
            int ci = g == s ? i : ly_cell_at(&t->rows[g], col);
            cell_view *v = &T->rows[g].cells[ci];
            if (v->text != src->text)
                continue;
            if (g == j)
                v->n = v->L->n - v->first, v->empty = 0; /* the rest of the text */
            else if (g > j)
                v->first = v->L->n, v->n = 0, v->empty = 1;
        }
    }
    ly_measure_rows(T);
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
        ly_table_page_break(T);
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
            ly_flow_after_break(T, r);
            nl = T->rows[r].nl;
        }
        int fit = (int)floor((c->y - c->ybot - 2 * PAD) / lh);
        int rest = nl - from;
        if (rest <= fit || nl == 0) {
            ly_draw_row(T, r, from, nl, (nl ? rest : 1) * lh + 2 * PAD, continued);
            T->page_top_row = T->fresh = 0;
            break;
        }
        /* (never twice at the top of a page: what the header and the repeated headings leave is all a
         * page of this table has, and a row that does not fit it splits there) */
        int split = from == 0 && T->t->split_tall && nl >= SPLIT_LINES && fit >= KEEP_LINES;
        if (split && fit > nl - KEEP_LINES)
            fit = nl - KEEP_LINES;
        if (!T->fresh && !split && (fit < 2 || (from == 0 && nl * lh + 2 * PAD <= fresh_room(T)))) {
            ly_table_page_break(T);
            continue;
        }
        if (fit < 1) /* a page its header fills: a line a page, over the foot, rather than none */
            fit = 1;
        ly_draw_row(T, r, from, from + fit, fit * lh + 2 * PAD, continued);
        T->page_top_row = T->fresh = 0;
        from += fit;
        continued = 1;
        ly_table_page_break(T);
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
    ly_table_header(T);
    T->widow_at = -1;
    T->group[0] = T->group[1] = T->repeated[0] = T->repeated[1] = -1;
    for (int r = t->header_rows; r < t->nrows && !c->err; r++) {
        T->next = r;
        if (T->widow_at == r)
            ly_table_page_break(T);
        else if (T->widow_at < r)
            T->widow_at = table_widows(T, r);
        if (row_keeps(&t->rows[r]) && r + 1 < t->nrows)
            keep_with_next(T, r);
        keep_span(T, r);
        place_row(T, r);
        int lv = ly_row_level(&t->rows[r]);
        if (lv == 1)
            T->group[0] = r, T->group[1] = -1;
        else if (lv == 2)
            T->group[1] = r;
        if (t->carry_col >= 0) {
            int ci = ly_cell_at(&t->rows[r], t->carry_col);
            if (ci >= 0)
                T->carry += ly_cell_number(c, t->rows[r].cells[ci].text);
        }
    }
    ly_close_table_page(T);
}

static double note_height(rctx *c, const block *t);

/* A table set up by ly_table_prepare, kept from its lead (ly_table_lead, asked
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
        ly_table_free(&c->prepared->T);
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
    if (!(P = malloc(sizeof *P)) || ly_table_prepare(c, t, &P->sized, &P->T) != 0) {
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
        c->ybot += ly_carry_row_height(c, &P->sized); /* room for ยอดยกไป at every page foot */
    lay_out_rows(T, lh);
    c->ybot = saved_ybot;
    ly_table_free(T);
    free(P);
    c->y -= 6;
}
