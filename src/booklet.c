/* booklet: binds a region's documents into one PDF.
 *
 * Two passes, so that the contents page can only tell the truth: each
 * document is laid out first to count its pages; then the cover and
 * contents are laid out with the page each document starts on (again if
 * the contents themselves take another page); then every page is drawn,
 * in order, into one PDF, each document numbered as a part of the booklet
 * (layout_set_numbering). Only the furniture of the second layout differs
 * from the first, so the pages counted are the pages drawn. */
#include "booklet.h"

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "pdf.h"

/* The cover and contents settle in a few tries: the contents take another
 * page only when the numbers grow a line longer, which they cannot. */
#define FRONT_TRIES 4

/* Pages of a document laid out as it is; -1 after reporting. */
static int count_pages(layout_doc *doc, pdf_doc *pdf, diag_ctx *d)
{
    layout_list *l = layout_build(doc, pdf, d);
    int n = l ? layout_list_pages(l) : -1;
    layout_list_free(l);
    return n;
}

/* Lays doc out as pages first..total of the booklet and draws it, its
 * outline entries `depth` levels deep. */
static int draw_part(layout_doc *doc, int first, int total, int depth, pdf_doc *pdf, diag_ctx *d)
{
    layout_set_numbering(doc, first, total);
    layout_list *l = layout_build(doc, pdf, d);
    int rc = l ? layout_paint_nested(l, pdf, depth, d) : -1;
    layout_list_free(l);
    return rc;
}

/* Each document's first page, after `front` pages of cover and contents. */
static int number_parts(report_contents_entry *e, const int *pages, int n, int front)
{
    int next = front + 1;
    for (int i = 0; i < n; i++) {
        e[i].page = next;
        next += pages[i];
    }
    return next - 1;
}

/* Lays out the cover and contents until the page numbers they list allow
 * for their own pages; returns the booklet's page count or -1. */
static int build_front(report_built *fb, report_data *frd, report_contents_entry *e, const int *pages, int n,
                       const report_opts *o, pdf_doc *pdf, int *nfront, diag_ctx *d)
{
    *nfront = 2; /* a cover and one page of contents */
    for (int t = 0; t < FRONT_TRIES; t++) {
        int total = number_parts(e, pages, n, *nfront);
        if (report_build("booklet", frd, o, fb, d) != 0)
            return -1;
        int got = count_pages(fb->doc, pdf, d);
        if (got < 0)
            return -1;
        if (got == *nfront)
            return total;
        *nfront = got;
        report_built_free(fb);
    }
    diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "the booklet's contents do not settle on a page count");
    return -1;
}

/* Draws the documents after the front matter; a report the contents list
 * under a heading gets an outline group of that heading, its documents
 * one level down. */
static int draw_parts(const booklet_part *parts, int n, report_built *b, const report_built *fb,
                      const report_contents_entry *e, int total, pdf_doc *pdf, diag_ctx *d)
{
    for (int i = 0; i < n; i++) {
        char *label = NULL;
        if (report_contents_group(fb, parts[i].name, &label) != 0) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
            return -1;
        }
        int opens = label && (i == 0 || strcmp(parts[i - 1].name, parts[i].name));
        int rc = opens ? pdf_outline_group(pdf, 0, label) : 0;
        if (rc != 0)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "cannot make the booklet's outline");
        int depth = label != NULL;
        free(label);
        if (rc != 0 || draw_part(b[i].doc, e[i].page, total, depth, pdf, d) != 0)
            return -1;
    }
    return 0;
}

int booklet_render(const booklet_part *parts, int n, const report_data *front, const report_opts *o,
                   const char *out_path, diag_ctx *d)
{
    report_built *b = calloc((size_t)n + 1, sizeof *b), fb = {0};
    report_contents_entry *e = calloc((size_t)n + 1, sizeof *e);
    int *pages = calloc((size_t)n + 1, sizeof *pages), rc = -1, built = 0, nfront = 0;
    pdf_doc *pdf = NULL;
    if (!b || !e || !pages)
        diag_add(d, DIAG_SYSTEM, out_path, 0, 0, "out of memory");
    else
        pdf = pdf_new_in(o->font_dir, o->font, o->shapes, d);
    for (; pdf && built < n; built++) {
        if (report_build(parts[built].name, &parts[built].rd, o, &b[built], d) != 0 ||
            (pages[built] = count_pages(b[built].doc, pdf, d)) < 0)
            break;
        e[built] = (report_contents_entry){parts[built].name, b[built].title, 0};
    }
    if (pdf && built == n) {
        report_data frd = *front;
        frd.contents = e;
        frd.ncontents = n;
        int total = build_front(&fb, &frd, e, pages, n, o, pdf, &nfront, d);
        if (total > 0 && draw_part(fb.doc, 1, total, 0, pdf, d) == 0 &&
            draw_parts(parts, n, b, &fb, e, total, pdf, d) == 0)
            rc = report_save(&fb, pdf, o, out_path, d);
    }
    for (int i = 0; b && i <= built && i < n; i++)
        report_built_free(&b[i]);
    report_built_free(&fb);
    pdf_free(pdf);
    free(b);
    free(e);
    free(pages);
    return rc;
}
