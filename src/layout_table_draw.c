/* layout_table_draw: a table's rows drawn where layout_table.c places
 * them: shading, borders and lines of text (a part of a split row, a cell
 * a page break carried over, marked "(ต่อ)"), the header rows, the running
 * subtotal carried across page breaks (ยอดยกไป, ยอดยกมา), a group heading
 * set again at the top of a page its group goes on to, and the page break
 * inside a table that joins them. */
#include "layout_table_int.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

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
        x += ly_span_width(T, col, r->cells[i].colspan);
    }
    if (r->n)
        ly_rule(c, x, top, x, top - h, BLACK, 0.5, 0);
    if (open >= 0)
        ly_rule(c, open, top, x, top, BLACK, 0.5, 0);
}

/* Draws lines [from, to) of each cell of a row in a band of height h: the
 * shading, then the borders over it, then the text. */
void ly_draw_row(table *T, int ri, int from, int to, double h, int continued)
{
    rctx *c = T->c;
    const trow *r = &T->t->rows[ri];
    const row_layout *rl = &T->rows[ri];
    double lh = T->m.pitch, x = c->x0, top = c->y;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        double w = ly_span_width(T, col, r->cells[i].colspan);
        if (r->cells[i].shade)
            ly_rect(c, x, top - h, w, h, &shades[r->cells[i].shade], NULL, 0);
        x += w;
    }
    row_borders(T, r, h, continued);
    x = c->x0;
    /* the cell the continued part of a split row says "(ต่อ)" in: its first, or under group headings set again
     * (they carry the "(ต่อ)" of a text spanning rows beside them) its first cell of its own */
    int own = 0;
    while (!T->page_top_row && own + 1 < r->n && r->cells[own].cont)
        own++;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        const cell *ce = &r->cells[i];
        const cell_view *v = &rl->cells[i];
        double w = ly_span_width(T, col, ce->colspan), y = top - PAD;
        /* the continued part of a split row (not twice in the column of a text spanning rows: the official KPI
         * report's p9), or a row span carried over to a new page */
        if ((continued && i == own && from > 0) || (T->page_top_row && ce->cont && v->empty))
            ly_text_at(c, "(ต่อ)", strlen("(ต่อ)"), x + HPAD(T), y - T->m.top, T->t->fsize, 0, GREY);
        /* lines [a, b) of the cell: those ending in the row's lines [from, to), all that are left in its last
         * part; the first part from where the cell's text begins (a paragraph flowing down from the rows
         * above: flow_one), a part after a page break from the top */
        int a = from ? ly_lines_above(T, v, from) : 0, b = to >= rl->nl ? v->n : ly_lines_above(T, v, to);
        double at = from ? PAD : v->dy;
        for (int k = a; k < b && !ly_header_span(T, ri, col); k++) /* (those: ly_table_header) */
            ly_draw_line(c, v->text, v->L->v[v->first + k], x + HPAD(T), w - 2 * HPAD(T),
                         top - at - (k - a) * lh - T->m.top, T->t->fsize, ce->bold, ce->align, 1, BLACK);
        x += w;
    }
    c->y -= h;
}

void ly_close_table_page(table *T) { ly_rule(T->c, T->c->x0, T->c->y, T->c->x1, T->c->y, BLACK, 0.5, 0); }

/* The value of a figure cell: digits (ASCII or Thai), a point, a sign;
 * thousands separators and units skipped. */
double ly_cell_number(rctx *c, const char *s)
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

double ly_carry_row_height(rctx *c, const block *t)
{
    return ly_text_metrics(c, "ยอดยกมา", t->fsize, 1).pitch + 2 * PAD;
}

/* A one-line row with a label and the running subtotal under its column. */
static void carry_row(table *T, const char *label)
{
    rctx *c = T->c;
    const block *t = T->t;
    double h = ly_carry_row_height(c, t), x = c->x0;
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
void ly_table_header(table *T)
{
    rctx *c = T->c;
    const block *t = T->t;
    double top = c->y;
    /* a cell that continues a heading above it has no rule between them (the first row's tops all drawn) */
    for (int r = 0; r < t->header_rows && r < t->nrows; r++)
        ly_draw_row(T, r, 0, T->rows[r].nl, T->rows[r].h, r == 0);
    /* then each heading spanning header rows, its lines centred down them */
    for (int r = 0; r < t->header_rows && r < t->nrows; top -= T->rows[r].h, r++) {
        double x = c->x0;
        for (int i = 0, col = 0; i < t->rows[r].n; col += t->rows[r].cells[i].colspan, i++) {
            const cell *ce = &t->rows[r].cells[i];
            const cell_view *v = &T->rows[r].cells[i];
            double w = ly_span_width(T, col, ce->colspan), band = 0;
            int k = ly_header_span(T, r, col);
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
int ly_row_level(const trow *r)
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
        int lines = v->n + (end > ly_span_width(T, col, r->cells[i].colspan) - 2 * HPAD(T));
        if (lines > nl)
            nl = lines;
    }
    double h = nl * lh + 2 * PAD;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        double w = ly_span_width(T, col, r->cells[i].colspan);
        if (r->cells[i].keep && r->cells[i].shade)
            ly_rect(c, x, top - h, w, h, &shades[r->cells[i].shade], NULL, 0);
        x += w;
    }
    row_borders(T, r, h, first); /* the first under the header rule, a second under the first */
    x = c->x0;
    for (int i = 0, col = 0; i < r->n; col += r->cells[i].colspan, i++) {
        const cell *ce = &r->cells[i];
        const cell_view *v = &rl->cells[i];
        double w = ly_span_width(T, col, ce->colspan), y = top - PAD - T->m.top, at = x + HPAD(T);
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
void ly_table_page_break(table *T)
{
    if (T->t->carry_col >= 0)
        carry_row(T, "ยอดยกไป");
    ly_close_table_page(T);
    ly_new_page(T->c);
    ly_table_header(T);
    if (T->t->carry_col >= 0)
        carry_row(T, "ยอดยกมา");
    T->page_top_row = 1;
    int lv = T->next >= 0 && T->next < T->t->nrows ? ly_row_level(&T->t->rows[T->next]) : 0;
    double top = T->c->y;
    for (int i = 0; i < 2; i++) {
        T->repeated[i] = -1;
        if (T->group[i] >= 0 && (lv == 0 || i + 1 < lv)) {
            repeat_group(T, T->group[i], T->page_top_row);
            T->page_top_row = 0; /* the "(ต่อ)" of a cell carried over went on the heading */
            T->repeated[i] = T->group[i];
        }
    }
    /* a text carried over beside the headings goes on one line under their "(ต่อ)" (ly_flow_after_break) */
    T->lift = T->page_top_row ? 0 : top - T->c->y - T->m.pitch;
    T->fresh = 1;
}
