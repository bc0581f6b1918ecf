/* layout_paint: the painter. Draws a display list through the pdf device,
 * page by page, deciding nothing; the only layout code that calls pdf
 * drawing functions. */
#include "layout_int.h"


typedef int (*paint_fn)(pdf_doc *pdf, const layout_item *it, int depth);

static int paint_text(pdf_doc *pdf, const layout_item *it, int depth)
{
    (void)depth;
    return pdf_text(pdf, it->bold ? PDF_BOLD : PDF_REGULAR, it->size, it->x, it->y, it->text, it->len, it->color);
}

static int paint_rule(pdf_doc *pdf, const layout_item *it, int depth)
{
    (void)depth;
    return pdf_line(pdf, it->x, it->y, it->x2, it->y2, it->color, it->width, it->dashed);
}

static int paint_rect(pdf_doc *pdf, const layout_item *it, int depth)
{
    (void)depth;
    return pdf_rect(pdf, it->x, it->y, it->x2, it->y2, it->has_fill ? &it->fill : NULL,
                    it->has_stroke ? &it->color : NULL, it->width);
}

static int paint_outline(pdf_doc *pdf, const layout_item *it, int depth)
{
    return pdf_outline(pdf, it->level + depth, it->text, it->y);
}

static const paint_fn painters[] = {
    [LAYOUT_TEXT] = paint_text, [LAYOUT_RULE] = paint_rule, [LAYOUT_RECT] = paint_rect,
    [LAYOUT_OUTLINE] = paint_outline};

int layout_paint(const layout_list *l, pdf_doc *pdf, diag_ctx *diag) { return layout_paint_nested(l, pdf, 0, diag); }

int layout_paint_nested(const layout_list *l, pdf_doc *pdf, int depth, diag_ctx *diag)
{
    int rc = 0, n = layout_list_count(l), i = 0;
    for (int p = 1; p <= layout_list_pages(l) && !rc; p++) {
        double w, h;
        ly_list_page_size(l, p, &w, &h); /* a document may turn some pages (layout_orientation) */
        rc = pdf_begin_page(pdf, w, h);
        for (; !rc && i < n && layout_list_item(l, i)->page == p; i++)
            rc = painters[layout_list_item(l, i)->kind](pdf, layout_list_item(l, i), depth);
    }
    if (rc)
        diag_add(diag, DIAG_SYSTEM, NULL, 0, 0, "drawing the pages failed (out of memory or a PDF error)");
    return rc ? -1 : 0;
}
