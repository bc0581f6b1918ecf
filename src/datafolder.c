/* datafolder: a data folder read whole, tables first (see datafolder.h). */
#include "datafolder.h"

#include <stdlib.h>

#include "inspection.h"
#include "workbook.h"

dataset *datafolder_load(const char *dir, const char *encoding, diag_ctx *d)
{
    /* a workbook in place of the CSV files: --data BOOK.xlsx, or a folder's one .xlsx */
    char *book_path = workbook_find(dir);
    workbook *wb = NULL;
    if (book_path && !book_path[0])
        diag_add(d, DIAG_ERROR, dir, 0, 0, "the folder holds two or more workbooks (.xlsx) and no provinces.csv: "
                                           "keep one workbook, or name it with --data FOLDER/BOOK.xlsx");
    else if (book_path && !(wb = workbook_open(book_path, d))) {
        free(book_path);
        return NULL;
    }
    if (book_path && !book_path[0]) {
        free(book_path);
        return NULL;
    }
    free(book_path);
    dataset *ds = model_load_tables_book(dir, wb, encoding, d);
    if (!ds) {
        workbook_free(wb);
        return NULL;
    }
    int errors_before = diag_errors(d);
    /* the inspection files name hospitals: only a folder with some can have them */
    if (ds->nhospitals && !(ds->insp = inspection_load(dir, ds, encoding, d)))
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
    if (diag_errors(d) > errors_before) {
        datafolder_free(ds);
        return NULL;
    }
    return ds;
}

void datafolder_free(dataset *ds)
{
    if (!ds)
        return;
    inspection_free(ds->insp);
    ds->insp = NULL;
    workbook_free((workbook *)ds->book); /* datafolder_load opened it */
    ds->book = NULL;
    model_free(ds);
}
