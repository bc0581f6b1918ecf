/* layout_list: the display list, pages of positioned items (text runs,
 * rules, rectangles, bookmarks) that layout decides and the painter draws.
 * Text is kept in one growing buffer, each string followed by a NUL, and
 * items point into it once the list is sealed. Also sets the layout's own
 * texts (ly_own_text) as the document's, so that the list depends on no
 * other layout part. */
#include "layout_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct layout_list {
    layout_item *v;
    size_t *text_at; /* while building: offset of each item's text in buf */
    int n;
    size_t cap, tcap;
    char *buf;
    size_t blen, bcap;
    int pages;
    double pw, ph;
    signed char *land; /* per page (1-based): 1 landscape, 0 portrait, -1 the list's own size */
    size_t lcap;
};

layout_list *ly_list_new(double pw, double ph)
{
    layout_list *l = calloc(1, sizeof *l);
    if (l) {
        l->pw = pw;
        l->ph = ph;
    }
    return l;
}

void layout_list_free(layout_list *l)
{
    if (!l)
        return;
    free(l->v);
    free(l->text_at);
    free(l->buf);
    free(l->land);
    free(l);
}

/* Appends an item (text copied, may be NULL); -1 when memory runs out. */
static int push(layout_list *l, layout_item it, const char *s, size_t len)
{
    if (util_grow((void **)&l->v, &l->cap, (size_t)l->n + 1, sizeof *l->v) ||
        util_grow((void **)&l->text_at, &l->tcap, (size_t)l->n + 1, sizeof *l->text_at) ||
        util_grow((void **)&l->buf, &l->bcap, l->blen + len + 1, 1))
        return -1;
    l->text_at[l->n] = l->blen;
    if (len)
        memcpy(l->buf + l->blen, s, len);
    l->buf[l->blen + len] = 0;
    l->blen += len + 1;
    it.len = len;
    it.text = NULL;
    l->v[l->n++] = it;
    if (it.page > l->pages)
        l->pages = it.page;
    return 0;
}

void ly_list_set_pages(layout_list *l, int pages)
{
    if (pages > l->pages)
        l->pages = pages;
}

int ly_list_set_landscape(layout_list *l, int page, int landscape)
{
    size_t old = l->lcap;
    if (page < 1 || util_grow((void **)&l->land, &l->lcap, (size_t)page + 1, 1))
        return -1;
    if (l->lcap > old)
        memset(l->land + old, -1, l->lcap - old);
    l->land[page] = (signed char)(landscape != 0);
    return 0;
}

void ly_list_page_size(const layout_list *l, int page, double *w, double *h)
{
    int o = page >= 1 && (size_t)page < l->lcap ? l->land[page] : -1;
    *w = o < 0 ? l->pw : o ? 841.89 : 595.28;
    *h = o < 0 ? l->ph : o ? 595.28 : 841.89;
}

/* Points the items at their texts and orders them page by page (a stable
 * counting sort: within a page the body keeps its order and the furniture,
 * added last, comes after it). */
int ly_list_seal(layout_list *l)
{
    size_t *start = calloc((size_t)l->pages + 2, sizeof *start);
    layout_item *out = malloc(((size_t)l->n + 1) * sizeof *out);
    if (!start || !out) {
        free(start);
        free(out);
        return -1;
    }
    for (int i = 0; i < l->n; i++) {
        l->v[i].text = l->buf + l->text_at[i];
        start[l->v[i].page + 1]++;
    }
    for (int p = 1; p <= l->pages + 1; p++)
        start[p] += start[p - 1];
    for (int i = 0; i < l->n; i++)
        out[start[l->v[i].page]++] = l->v[i];
    free(start);
    free(l->v);
    free(l->text_at);
    l->text_at = NULL;
    l->v = out;
    l->cap = (size_t)l->n + 1;
    return 0;
}

int layout_list_pages(const layout_list *l) { return l ? l->pages : 0; }
int layout_list_count(const layout_list *l) { return l ? l->n : 0; }
const layout_item *layout_list_item(const layout_list *l, int i) { return l && i >= 0 && i < l->n ? &l->v[i] : NULL; }
double ly_list_width(const layout_list *l) { return l->pw; }
double ly_list_height(const layout_list *l) { return l->ph; }

static int put_rgb(FILE *f, pdf_rgb c)
{
    return fprintf(f, " #%02x%02x%02x", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5), (int)(c.b * 255 + 0.5));
}

int layout_list_dump(const layout_list *l, FILE *f)
{
    static const char *const kinds[] = {"text", "rule", "rect", "outline"};
    int bad = fprintf(f, "pages %d size %.2f %.2f\n", l->pages, l->pw, l->ph) < 0;
    for (int i = 0; i < l->n && !bad; i++) {
        const layout_item *it = &l->v[i];
        bad |= fprintf(f, "%d%s %s %.2f %.2f", it->page, it->furniture ? "f" : "", kinds[it->kind], it->x, it->y) < 0;
        if (it->kind == LAYOUT_TEXT)
            bad |= fprintf(f, " size %.2f%s", it->size, it->bold ? " bold" : "") < 0 || put_rgb(f, it->color) < 0;
        else if (it->kind == LAYOUT_OUTLINE)
            bad |= fprintf(f, " level %d", it->level) < 0;
        else {
            bad |= fprintf(f, " %.2f %.2f width %.2f%s", it->x2, it->y2, it->width, it->dashed ? " dashed" : "") < 0;
            if (it->kind == LAYOUT_RULE || it->has_stroke)
                bad |= put_rgb(f, it->color) < 0;
            if (it->has_fill)
                bad |= fprintf(f, " fill") < 0 || put_rgb(f, it->fill) < 0;
        }
        if (it->len)
            bad |= fprintf(f, " %s", it->text) < 0;
        bad |= fputc('\n', f) == EOF;
    }
    return bad ? -1 : 0;
}

/* ---- what the layout parts call: items on the current page ---- */

/* A text the layout makes itself (a page number), as the document sets its
 * texts (layout.c converts every text it is given, whole, when it is
 * given): a copy, or NULL with c->err set when memory runs out. */
char *ly_own_text(rctx *c, const char *s)
{
    char *t = c->d->setup.thai_digits ? thai_digits(s) : util_strdup(s);
    if (!t)
        c->err = 1;
    return t;
}

static void add(rctx *c, layout_item it, const char *s, size_t len)
{
    if (c->err)
        return;
    it.page = c->page;
    it.furniture = c->furniture;
    if (push(c->out, it, s, len) != 0)
        c->err = 1;
}

void ly_text_at(rctx *c, const char *s, size_t len, double x, double y, double size, int bold, pdf_rgb col)
{
    add(c, (layout_item){.kind = LAYOUT_TEXT, .x = x, .y = y, .size = size, .bold = bold, .color = col}, s, len);
}

void ly_rule(rctx *c, double x0, double y0, double x1, double y1, pdf_rgb col, double width, int dashed)
{
    add(c, (layout_item){.kind = LAYOUT_RULE, .x = x0, .y = y0, .x2 = x1, .y2 = y1, .color = col, .width = width,
                         .dashed = dashed},
        NULL, 0);
}

void ly_rect(rctx *c, double x, double y, double w, double h, const pdf_rgb *fill, const pdf_rgb *stroke, double lw)
{
    layout_item it = {.kind = LAYOUT_RECT, .x = x, .y = y, .x2 = w, .y2 = h, .width = lw};
    if (fill) {
        it.has_fill = 1;
        it.fill = *fill;
    }
    if (stroke) {
        it.has_stroke = 1;
        it.color = *stroke;
    }
    add(c, it, NULL, 0);
}

void ly_outline(rctx *c, int level, const char *title, double y)
{
    add(c, (layout_item){.kind = LAYOUT_OUTLINE, .y = y, .level = level}, title, strlen(title));
}
