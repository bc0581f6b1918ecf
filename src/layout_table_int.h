/* layout_table_int.h: what the three parts of the table layout share, and
 * nothing else sees (the table type itself, with the cells' and rows'
 * views, is layout_int.h's: layout_columns.c reads it too).
 *
 * The parts depend one way:
 *   layout_table.c        where the rows go: the table's start, rows kept
 *                         together, moved or split, widows; the block's
 *                         entry points (ly_table_lead, ly_render_table)
 *   layout_table_draw.c   drawing: rows, borders and shading, the header
 *                         rows, the subtotal carried, a group heading set
 *                         again, a page break inside a table
 *   layout_table_cells.c  the set-up: columns (layout_columns.c), every cell
 *                         broken into lines once, the texts spanning rows
 *                         shared out, the rows measured
 * layout_table.c -> draw -> cells.
 */
#ifndef KHET_LAYOUT_TABLE_INT_H
#define KHET_LAYOUT_TABLE_INT_H

#include "layout_int.h"

/* ---- layout_table_cells.c ---- */
/* The width of `span` columns from `col`. */
double ly_span_width(const table *T, int col, int span);
/* Index of the cell of row r that starts at column `col`, or -1. */
int ly_cell_at(const trow *r, int col);
/* The cells continuing below row r's cell at column col (a text flowing down through them). */
int ly_span_below(const table *T, int r, int col);
/* The header rows under header row r's cell at column col that continue it; 0 for a body row. */
int ly_header_span(const table *T, int r, int col);
/* A page break before row g: the texts spanning rows that go on in g begin again at its top. */
void ly_flow_after_break(table *T, int g);
/* The lines of its row a cell takes (its first line begun higher when a text flows into it). */
int ly_cell_lines(const table *T, const cell_view *v);
/* How many of a cell's lines end above line `upto` of its row. */
int ly_lines_above(const table *T, const cell_view *v, int upto);
/* Row heights, once every cell knows what it shows. */
void ly_measure_rows(table *T);
/* Sets T up for table t (*sized: t at the type size and padding its columns
 * need); 0, or -1 when memory runs out (T is then freed). */
int ly_table_prepare(rctx *c, const block *t, block *sized, table *T);
void ly_table_free(table *T);

/* ---- layout_table_draw.c ---- */
/* Draws lines [from, to) of each cell of row ri in a band of height h. */
void ly_draw_row(table *T, int ri, int from, int to, double h, int continued);
/* The header rows, at the top of the table and of each page it runs onto. */
void ly_table_header(table *T);
/* The rule under the table's last row on a page. */
void ly_close_table_page(table *T);
/* The value of a figure cell (the running subtotal's addend). */
double ly_cell_number(rctx *c, const char *s);
/* The height of the subtotal's row (ยอดยกไป, ยอดยกมา). */
double ly_carry_row_height(rctx *c, const block *t);
/* A row's heading level: 0 a row, 1 a group heading, 2 a subheading. */
int ly_row_level(const trow *r);
/* A page break inside a table: the page closed, the next begun with the
 * header rows, the subtotal and the group headings the next row stands under. */
void ly_table_page_break(table *T);

#endif
