/* reader: turns CSV files as staff export them into tables of UTF-8 text cells
 * that know their position, and parses the typed values inside those cells.
 *
 * Owns: encoding detection and conversion (UTF-8, UTF-8 with BOM,
 * Windows-874/TIS-620 through ICU ucnv), CSV syntax (libcsv, strict), header
 * lookup by name, and the field grammars (integers, decimals in fixed point,
 * money in satang, BE/CE dates and months, hospital codes). It knows nothing of
 * provinces or hospitals: the model decides what each column means.
 *
 * Positions: line numbers count physical lines of the file; columns count
 * characters of that line (1-based), the same in every encoding.
 */
#ifndef KHET_READER_H
#define KHET_READER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct {
    char *text; /* UTF-8, surrounding blanks trimmed */
    int line, col;
    int trimmed; /* blanks were taken from its ends (a name's note says so) */
} reader_cell;

typedef struct reader_table reader_table;

/* Reads and decodes a CSV file. `encoding` is NULL or "auto" for detection,
 * otherwise an ICU converter name ("utf-8", "windows-874", "tis-620").
 * Returns NULL after reporting every problem found in `d`; a table returned
 * may still have produced warnings. Caller frees with reader_table_free. */
reader_table *reader_read_csv(const char *path, const char *encoding, diag_ctx *d);

/* The same from bytes in memory; `name` is used in messages. */
reader_table *reader_parse_csv(const char *name, const char *bytes, size_t len,
                               const char *encoding, diag_ctx *d);

void reader_table_free(reader_table *t);

/* A table built cell by cell (a workbook's sheet): rows in order, each
 * cell with its own line (row) and column; finish checks it as a CSV file's
 * (header, empty rows, field counts). -1 / NULL out of memory. */
reader_table *reader_table_new(const char *name);
int reader_table_add_row(reader_table *t, int line);
int reader_table_add_cell(reader_table *t, const char *text, int line, int col);
int reader_table_finish(reader_table *t, diag_ctx *d);

/* Decodes a text file's bytes to UTF-8 the way CSV files are (a UTF-8 BOM,
 * UTF-8, else Windows-874/TIS-620), for settings files saved from a Thai
 * Windows editor. NULL after reporting; caller frees. */
char *reader_decode_text(const char *name, const char *bytes, size_t len, const char *encoding, diag_ctx *d);

const char *reader_table_name(const reader_table *t);
const char *reader_table_encoding(const reader_table *t); /* as detected */
size_t reader_table_rows(const reader_table *t);           /* header excluded */
int reader_table_row_line(const reader_table *t, size_t row);
/* Index of the column called `name`, or -1. */
int reader_table_column(const reader_table *t, const char *name);
const reader_cell *reader_table_cell(const reader_table *t, size_t row, int col);

/* Header names are matched as Excel users type them: surrounding blanks
 * and ASCII case do not count, and "ชื่อไทย (name)" is the column "name".
 * Rows with no text in any cell are skipped (a note counts them). */
size_t reader_table_columns(const reader_table *t);
const reader_cell *reader_table_header(const reader_table *t, int col);
/* Renames header cell `col` (a Thai label read as its English name); -1 out of memory. */
int reader_table_rename_column(reader_table *t, int col, const char *name);
/* The name of the lists (NULL-ended, either may be NULL) within two edits
 * of `name`, for "did you mean"; NULL when none is that close. */
const char *reader_did_you_mean(const char *name, const char *const *a, const char *const *b);

/* Checks the header: every required column present (an error for each one
 * missing), any column in neither list reported as a warning. Returns the
 * number of missing required columns. Lists end with NULL. */
int reader_table_expect(const reader_table *t, const char *const *required,
                        const char *const *optional, diag_ctx *d);

/* ---- Field grammars. Each returns NULL on success, or a short English
 * message saying what is wrong (a static string). Thai digits ๐–๙ are
 * accepted wherever ASCII digits are. ---- */

const char *reader_parse_int(const char *s, int64_t *out);

/* A decimal held as an integer count of 10^-scale units: with scale 2,
 * "1,234.5" gives 123450. Accepts thousands separators, a sign, accounting
 * negatives "(1,234.00)", a lone "-" for zero (Excel's accounting format) and
 * a trailing "%" (the number is kept as written: "12.5%" is 12.5). More
 * fraction digits than `scale` is an error: nothing is silently rounded. */
const char *reader_parse_decimal(const char *s, int scale, int64_t *out);

/* Money in baht, held exactly in satang. */
const char *reader_parse_money(const char *s, int64_t *satang);

typedef struct {
    int year; /* Common Era */
    int month, day;
} reader_date;

/* "2563-09-30", "30/09/2563", "2020-09-30", "30/9/2020": years from 2400 on
 * are Buddhist Era. The date must exist in the calendar. */
const char *reader_parse_date(const char *s, reader_date *out);

/* A month: "2563-09", "09/2563", "2020-09". day is set to 0. */
const char *reader_parse_month(const char *s, reader_date *out);

/* A 5-digit MOPH hospital code; leading zeros are kept. out has 6 bytes. */
const char *reader_parse_hcode(const char *s, char out[6]);


#endif
