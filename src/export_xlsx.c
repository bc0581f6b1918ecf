/* export_xlsx: a score result as an Excel workbook (libxlsxwriter), the
 * sheets export.c builds for the table and CSV. In khet-full only (with
 * libxlsxwriter and the OpenSSL it pulls in): `khet score --format xlsx`
 * runs there (src/lite/lite.c). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <xlsxwriter.h>

#include "export_impl.h"
#include "sysio.h"
#include "util.h"

static int write_sheet(lxw_workbook *wb, const xsheet *s, lxw_format *head, lxw_format **num)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
    if (!ws)
        return -1;
    for (size_t c = 0; c < s->ncols; c++)
        if (worksheet_write_string(ws, 0, (lxw_col_t)c, s->headers_th[c], head) != LXW_NO_ERROR)
            return -1;
    for (size_t i = 0; i < s->nrows * s->ncols; i++) {
        const xcell *c = &s->cells[i];
        lxw_row_t row = (lxw_row_t)(i / s->ncols + 1);
        lxw_col_t col = (lxw_col_t)(i % s->ncols);
        if (c->is_null)
            continue; /* a blank cell */
        lxw_error e = c->is_num ? worksheet_write_number(ws, row, col, c->num, num[c->decimals > 4 ? 4 : c->decimals])
                                : worksheet_write_string(ws, row, col, c->text, NULL);
        if (e != LXW_NO_ERROR)
            return -1;
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_set_column(ws, 0, (lxw_col_t)(s->ncols - 1), 16, NULL);
    return 0;
}

/* libxlsxwriter writes to a path itself: it gets a fresh temporary of our
 * own naming beside the destination (mkstemp), which util_commit_temp checks
 * is still a regular file, syncs and renames into place. Text cells are
 * written as strings, which a spreadsheet never evaluates as formulas. */
int export_xlsx(const score_result *r, const export_opts *o, const char *path, diag_ctx *d)
{
    char *tmp = util_temp_beside(path);
    if (!tmp) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write: cannot create a temporary file beside it: %s", util_strerror(errno));
        return -1;
    }
    xsheet sh[4];
    size_t n = build_sheets(r, o, sh);
    int rc = -1;
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = tmp && !sheets_oom(sh, n) ? workbook_new_opt(tmp, &wo) : NULL;
    if (wb) {
        /* Same input, same bytes: the workbook's creation time is the day the
         * data was processed (libxlsxwriter would write the clock). */
        reader_date dd = r->ds->data_date;
        struct tm tm = {.tm_year = (dd.year ? dd.year : 1980) - 1900, .tm_mon = dd.year ? dd.month - 1 : 0,
                        .tm_mday = dd.year ? dd.day : 1};
        lxw_doc_properties props = {.title = r->sch->title, .author = r->sch->organisation,
                                    .company = r->sch->organisation, .created = timegm(&tm)};
        workbook_set_properties(wb, &props);
        static const char *fmts[] = {"#,##0", "#,##0.0", "#,##0.00", "0.000", "0.0000"};
        lxw_format *head = workbook_add_format(wb), *num[5];
        format_set_bold(head);
        for (int i = 0; i < 5; i++) {
            num[i] = workbook_add_format(wb);
            format_set_num_format(num[i], fmts[i]);
        }
        rc = 0;
        for (size_t i = 0; i < n && !rc; i++)
            rc = write_sheet(wb, &sh[i], head, num);
        lxw_error e = workbook_close(wb);
        if (e != LXW_NO_ERROR) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write the workbook: %s", lxw_strerror(e));
            rc = -1;
        }
        if (!rc && util_commit_temp(tmp, path) != 0) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write the workbook: %s", util_strerror(errno));
            rc = -1;
            free(tmp);
            tmp = NULL; /* util_commit_temp removed it */
        }
    }
    if (rc && tmp)
        sysio()->unlink(tmp);
    free(tmp);
    free_sheets(sh, n);
    return rc;
}

