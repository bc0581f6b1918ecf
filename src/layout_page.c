/* layout_page: the page driver (a new page, the room left on it), text
 * measuring through the pdf device, and the running furniture. */
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Line pitch for labels and charts: room for the tallest stacks of the font. */
double ly_line_height(rctx *c, double size)
{
    return size * (pdf_mark_top(c->pdf) - pdf_mark_bottom(c->pdf));
}

double ly_baseline_offset(rctx *c, double size) { return size * pdf_mark_top(c->pdf); }

/* The ink extents of s per point of size (see pdf_text_extent), once per
 * text and face. */
static void extent_of(rctx *c, const char *s, int bold, double *top, double *bottom)
{
    ly_key k = {LY_EXTENT, bold, 0, 0};
    size_t len = strlen(s);
    ly_value *v = ly_cache_find(c->cache, k, s, len);
    if (v) {
        *top = v->v[0];
        *bottom = v->v[1];
        return;
    }
    if (pdf_text_extent(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, s, len, top, bottom) != 0) {
        c->err = 1;
        *top = *bottom = 0;
        return;
    }
    if (ly_cache_put(c->cache, k, s, len, (ly_value){{*top, *bottom}, NULL}) != 0)
        c->err = 1;
}

/* Line metrics of a text block from the ink of its own glyphs: lines are
 * spaced evenly, just far enough apart that the tallest mark stack of one
 * line cannot touch the lowest vowel of the line above. A floor keeps plain
 * lines from being set tighter than upper and lower vowels need. */
metrics ly_text_metrics(rctx *c, const char *s, double size, int bold)
{
    double top = 0.95, bottom = -0.37, t, b;
    extent_of(c, s, bold, &t, &b);
    if (!c->err) {
        top = t > top ? t : top;
        bottom = b < bottom ? b : bottom;
    }
    return (metrics){size * (top + 0.03), size * (top - bottom + 0.06)};
}

/* Width of len bytes of s at a size, measured once per layout for each
 * (text, size, face): words and cells come back again and again. */
double ly_width_of(rctx *c, const char *s, size_t len, double size, int bold)
{
    ly_key k = {LY_WIDTH, bold, size, 0};
    ly_value *v = ly_cache_find(c->cache, k, s, len);
    if (v)
        return v->v[0];
    double w = pdf_text_width(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, size, s, len);
    if (w < 0 || ly_cache_put(c->cache, k, s, len, (ly_value){{w, 0}, NULL}) != 0)
        c->err = 1; /* out of memory: a width of 0 would lay out wrongly */
    return w < 0 ? 0 : w;
}

/* A draft says so on every page: a light boxed "ร่าง" in the top margin,
 * clear of the text, and a footer line above the running footer. */
static void draw_draft(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    static const pdf_rgb LIGHT = {0.72, 0.72, 0.72};
    double size = 26, w = ly_width_of(c, "ร่าง", strlen("ร่าง"), size, 1) + 16, h = size * 1.05;
    double x = c->x1 - w, y = c->ph - s->margin_top * 0.5 - h * 0.45;
    ly_rect(c, x, y, w, h, NULL, &LIGHT, 1.2);
    ly_text_at(c, "ร่าง", strlen("ร่าง"), x + 8, y + h * 0.28, size, 1, LIGHT);
    ly_text_at(c, s->draft, strlen(s->draft), c->x0, s->margin_bottom * 0.4 + 13, 11, 0, GREY);
}

void ly_furniture(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    double size = 12;
    if (s->header)
        ly_text_at(c, s->header, strlen(s->header), c->x0, c->ph - s->margin_top * 0.5, size, 0, GREY);
    if (s->footer)
        ly_text_at(c, s->footer, strlen(s->footer), c->x0, s->margin_bottom * 0.4, size, 0, GREY);
    if (c->page > 1 || s->number_first_page) {
        char *num = util_format("หน้า %d / %d", c->page, c->total);
        char *t = num && s->thai_digits ? thai_digits(num) : NULL;
        const char *show = s->thai_digits ? t : num;
        if (!show)
            c->err = 1;
        if (show) {
            double w = ly_width_of(c, show, strlen(show), size, 0);
            ly_text_at(c, show, strlen(show), c->x1 - w, s->margin_bottom * 0.4, size, 0, GREY);
        }
        free(num);
        free(t);
    }
    if (s->draft)
        draw_draft(c);
}

void ly_new_page(rctx *c)
{
    c->page++;
    c->y = c->ytop;
    ly_list_set_pages(c->out, c->page);
}

void ly_ensure(rctx *c, double h)
{
    if (c->y - h < c->ybot && c->y < c->ytop - 1)
        ly_new_page(c);
}
