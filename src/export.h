/* export: the results of a scoring run as data for people and programs:
 * a text table, CSV, JSON (jansson; a documented, stable interface) and an
 * Excel workbook (libxlsxwriter). All but JSON are built from one list of
 * sheets, so the formats cannot disagree. */
#ifndef KHET_EXPORT_H
#define KHET_EXPORT_H

#include <stdio.h>

#include "diag.h"
#include "scoring.h"

typedef struct {
    int hospitals; /* include the per-hospital indicators */
    int headers_en; /* CSV: the English column names, no BOM (for programs); else Thai after a BOM (for Excel) */
} export_opts;

/* Each returns 0 on success, -1 on an output or memory failure. */
int export_table(const score_result *r, const export_opts *o, FILE *out);
int export_csv(const score_result *r, const export_opts *o, FILE *out);
int export_json(const score_result *r, const export_opts *o, FILE *out);
int export_xlsx(const score_result *r, const export_opts *o, const char *path, diag_ctx *d);

/* A CSV text cell that a spreadsheet would run as a formula (=, +, -, @ at
 * the start) gets a leading apostrophe; returns a new string. */
char *export_csv_safe(const char *text);

/* Writes one CSV field, quoted (and its quotes doubled) when it holds a
 * comma, a quote, a CR or an LF. */
void export_csv_field(const char *text, FILE *out);

/* Formatting shared with the reports. */
const char *export_grade(const score_result *r, const province_result *p);
const char *export_band(const score_result *r, const criterion_result *c);

#endif
