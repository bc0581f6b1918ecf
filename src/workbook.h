/* workbook: a data folder's files as the sheets of one Excel workbook
 * (.xlsx: libzip for the container, libxml2 for its XML).
 *
 * One sheet a file, named as the file without ".csv" ("finance") or by its
 * Thai name ("การเงิน"); a sheet "dataset" of key/value rows may stand for
 * dataset.ini. Cells are read as Excel stores them: shared and inline
 * strings, numbers (printed back exactly, without binary noise), dates (a
 * date-formatted number becomes YYYY-MM-DD, or YYYY-MM when its format shows
 * no day), formulas by their cached value; title rows above the header that
 * are one merged cell are skipped. Messages name "BOOK.xlsx[sheet]" with the
 * sheet's row and column number. */
#ifndef KHET_WORKBOOK_H
#define KHET_WORKBOOK_H

#include "diag.h"
#include "reader.h"
#include "settings.h"

typedef struct workbook workbook;

/* Opens and reads every sheet; NULL after reporting. */
workbook *workbook_open(const char *path, diag_ctx *d);
void workbook_free(workbook *wb);
const char *workbook_path(const workbook *wb);

/* Whether the workbook has the sheet of `file` ("finance.csv"). */
int workbook_has(const workbook *wb, const char *file);
/* The sheet of `file` as a table (caller frees); NULL after reporting. */
reader_table *workbook_table(const workbook *wb, const char *file, diag_ctx *d);
/* Hands each key/value row of the sheet "dataset" to fn, as settings_parse
 * does for dataset.ini. -1 when there is no such sheet (nothing reported). */
int workbook_settings(const workbook *wb, settings_fn fn, void *user, const char *const *known, diag_ctx *d);

/* The workbook a data path stands for: the path itself when it names an
 * .xlsx file, or the one .xlsx of a folder that holds no provinces.csv;
 * NULL when the data are CSV files. Caller frees. */
char *workbook_find(const char *data_path);

/* The names of a folder's workbooks (.xlsx, not hidden or Excel's ~$ lock
 * files), sorted and joined with ", ", for a message that must say which
 * ones it found. NULL when out of memory or unreadable. Caller frees. */
char *workbook_names(const char *dir);

#endif
