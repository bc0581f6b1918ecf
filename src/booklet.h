/* booklet: one region's documents of an inspection round bound into one
 * PDF: a cover and a contents page (templates/reports/booklet.md), then
 * each document as it is rendered alone, numbered through from the cover,
 * with an outline entry per document (and its headings under it). */
#ifndef KHET_BOOKLET_H
#define KHET_BOOKLET_H

#include "diag.h"
#include "reports.h"

/* A document to bind: the report's name (kpi, summary, scorecard,
 * monthly) and its data, as report_render takes them. */
typedef struct {
    const char *name;
    report_data rd;
} booklet_part;

/* Binds parts, in this order, behind the cover and contents made from
 * `front` (the region's results: its finance and/or KPI scheme) and writes
 * the booklet to out_path. 0, or -1 after reporting. */
int booklet_render(const booklet_part *parts, int nparts, const report_data *front, const report_opts *o,
                   const char *out_path, diag_ctx *d);

#endif
