/* datafolder: a data folder read whole, tables first (see datafolder.h). */
#include "datafolder.h"

#include <stdlib.h>
#include <string.h>

#include "inspection.h"
#include "thai.h"
#include "util.h"
#include "workbook.h"

dataset *datafolder_load(const char *dir, const char *encoding, diag_ctx *d)
{
    return datafolder_load_deferring(dir, encoding, 0, d);
}

dataset *datafolder_load_deferring(const char *dir, const char *encoding, unsigned defer, diag_ctx *d)
{
    /* a workbook in place of the CSV files: --data BOOK.xlsx, or a folder's one .xlsx */
    char *book_path = workbook_find(dir);
    workbook *wb = NULL;
    if (book_path && !book_path[0]) {
        char *names = workbook_names(dir);
        diag_add(d, DIAG_ERROR, dir, 0, 0, "the folder holds two or more workbooks (.xlsx) and no provinces.csv (%s): "
                 "keep one workbook, or name it with --data FOLDER/BOOK.xlsx", names ? names : "their names cannot be read");
        free(names);
    } else if (book_path && !(wb = workbook_open(book_path, d))) {
        free(book_path);
        return NULL;
    }
    if (book_path && !book_path[0]) {
        free(book_path);
        return NULL;
    }
    free(book_path);
    dataset *ds = wb || !defer ? model_load_tables_book(dir, wb, encoding, d)
                               : model_load_tables_deferring(dir, encoding, defer, d);
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

/* Every name in the data is a word (issue 28): each space-separated part of
 * a name is kept whole on a line, as the word lists keep compounds, so a
 * name ICU's dictionary does not know (กุฉินารายณ์, ชุตินธโร) is never broken
 * where it happens to guess; a part wider than its box is cut between its
 * known words first (layout_text.c). */
static int teach_parts(thai_words *w, const char *name)
{
    static const char hospital[] = "โรงพยาบาล";
    for (const char *p = name; p && *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        /* a part of a few letters (ณ, จ.) needs no keeping */
        for (int k = 0; k < 2 && n > 6; k++) {
            /* the part, and as a table under "โรงพยาบาล" prints it: เชียงรายประชานุเคราะห์ */
            size_t skip = k ? sizeof hospital - 1 : 0;
            if (k && (n <= skip + 6 || strncmp(p, hospital, skip)))
                break;
            char *part = util_strndup(p + skip, n - skip);
            int rc = part ? thai_words_add(w, THAI_WORD_KEEP, part) : -1;
            /* a Thai-digit document's texts are converted before they are broken:
             * สัตหีบกม.10 is kept whole there as สัตหีบกม.๑๐ */
            if (!rc && strpbrk(part, "0123456789")) {
                char *thai = thai_digits(part);
                rc = thai ? thai_words_add(w, THAI_WORD_KEEP, thai) : -1;
                free(thai);
            }
            free(part);
            if (rc)
                return -1;
        }
        p += n;
    }
    return 0;
}

int datafolder_teach_names(thai_words *w, const dataset *ds, const char *const *people)
{
    for (size_t i = 0; i < ds->nprovinces + ds->nhospitals; i++) {
        const char *name = i < ds->nprovinces ? ds->provinces[i].name_th : ds->hospitals[i - ds->nprovinces].name_th;
        if (teach_parts(w, name) != 0)
            return -1;
        /* an official title's "จังหวัดพระนครศรีอยุธยา" stays whole too */
        char *with = i < ds->nprovinces ? util_format("จังหวัด%s", name) : NULL;
        int rc = i < ds->nprovinces ? (with ? thai_words_add(w, THAI_WORD_KEEP, with) : -1) : 0;
        free(with);
        if (rc)
            return -1;
    }
    for (size_t i = 0; people && people[i]; i++)
        if (teach_parts(w, people[i]) != 0)
            return -1;
    return 0;
}
