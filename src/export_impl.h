/* export_impl: what export.c (tables, CSV, JSON) shares with export_xlsx.c
 * (the workbook, in khet-full only: libxlsxwriter): one list of sheets. */
#ifndef KHET_EXPORT_IMPL_H
#define KHET_EXPORT_IMPL_H

#include <stddef.h>

#include "export.h"

typedef struct {
    int is_num;
    double num;
    int decimals;
    char *text;
    int is_null; /* no data: an empty CSV cell, a blank workbook cell, "no data" in the table */
} xcell;

typedef struct {
    const char *name;
    const char *const *headers;    /* machine names: CSV, table */
    const char *const *headers_th; /* Thai: the workbook, for staff */
    size_t ncols, nrows, cap;
    xcell *cells;
    int oom;
} xsheet;

/* The sheets of a result, in order; returns how many. */
size_t build_sheets(const score_result *r, const export_opts *o, xsheet sh[4]);
void free_sheets(xsheet *sh, size_t n);
int sheets_oom(const xsheet *sh, size_t n);

#endif
