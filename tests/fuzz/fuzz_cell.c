/* libFuzzer target: a table cell of arbitrary text laid out at an arbitrary
 * width. The first two bytes give the widths of a two-column table (the
 * second column 0 = fit to its text) and the font size; the rest is the
 * cell's text, set in both columns and as a paragraph, drawn into a PDF in
 * memory (not saved). Overlong words, marks without a base, control
 * characters: never a crash, a hang or a leak. Run from the source tree. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "pdf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    char *text = util_strndup((const char *)data + 2, size - 2);
    if (!text)
        return 0;
    if (!util_utf8_valid(text, strlen(text))) { /* the reader and templates hand over valid UTF-8 only */
        free(text);
        return 0;
    }
    double widths[2] = {1 + data[0] % 100, data[1] & 1 ? 0 : 1 + data[1] % 50};
    double font = 4 + data[1] % 40;
    diag_ctx *d = diag_new();
    layout_page_setup ps = {.margin_left = 20 * MM_PT, .margin_right = 20 * MM_PT, .margin_top = 20 * MM_PT,
                            .margin_bottom = 20 * MM_PT, .number_first_page = 1};
    layout_doc *doc = layout_new(&ps);
    pdf_doc *pdf = d ? pdf_new("fonts", "Laksaman", d) : NULL;
    if (doc && pdf && layout_table_begin(doc, widths, 2, font, 0) == 0) {
        layout_cell cells[2] = {{.text = text, .align = ALIGN_LEFT}, {.text = text, .align = ALIGN_RIGHT}};
        layout_table_row(doc, cells, 2);
        layout_table_end(doc);
        layout_style st = {.size = font, .align = ALIGN_JUSTIFY};
        layout_paragraph(doc, text, st);
        layout_render(doc, pdf, d);
    }
    pdf_free(pdf);
    layout_free(doc);
    diag_free(d);
    free(text);
    return 0;
}
