/* reader: CSV files as tables of UTF-8 text cells that know their position.
 *
 * Owns: the CSV syntax through libcsv (strict; a cell's text trimmed of its
 * blanks, with its line and column), the table checks (an empty file, the
 * header: Excel's spellings of a name, duplicate and empty names; empty rows;
 * field counts, and a number whose thousands separator split it), tables
 * built cell by cell from a workbook's sheet, header lookup. Decoding to
 * UTF-8 is reader_decode.c's, the field grammars reader_fields.c's, "did you
 * mean" and missing or unknown columns reader_names.c's.
 */
#include "reader.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reader_impl.h"
#include "util.h"

typedef struct {
    size_t first; /* index of the row's first cell */
    size_t ncells;
    int line;
} row_info;

struct reader_table {
    char *name;
    const char *encoding;
    reader_cell *cells;
    size_t ncells, cells_cap;
    strbuf text;  /* every cell's text, one after the other: no allocation per cell */
    char **extra; /* texts given to cells later (renamed headers) */
    size_t nextra, extra_cap;
    row_info *rows; /* rows[0] is the header */
    size_t nrows, rows_cap;
};

/* ------------------------------------------------------------------ */
/* CSV syntax through libcsv, with positions                           */

#define LINE_FIELDS 64 /* a line with more is fed a run at a time */

typedef struct {
    reader_table *t;
    int line, col;             /* position of the byte being fed */
    int start_line, start_col; /* where the current field began */
    const char *raw;           /* the text fed, and the byte where the field began: a blank there is */
    size_t start_off;          /* one libcsv took from the field's start (a name's note says so) */
    size_t chunk_end;          /* the end of the bytes being fed: the field's terminator is the last */
    int need_start;
    int row_open;
    int oom;
    int too_long;     /* a cell over UTIL_LIMIT_CELL */
    size_t field_len; /* bytes fed since the current field began */
    /* the fields of a line fed in one call (feed_line), in order: where each
     * began, and its chunk_end (after its comma, else after its terminator) */
    struct {
        size_t start, chunk_end;
        int line, col;
    } pos[LINE_FIELDS];
    int npos, next_pos;
} csv_state;

/* Appends the cell's text, trimmed, and its NUL to the table's text; its
 * offset there (cells point into the text once it stops growing:
 * set_cell_texts). */
static size_t trim_append(strbuf *b, const char *s, size_t n, int *trimmed)
{
    size_t was = n;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && s[n - 1] == '\r') /* a line end, not a blank typed in the cell */
        n--, was--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    *trimmed = n != was;
    size_t at = b->len;
    if (at + n + 1 < b->cap) { /* nearly always: the text grows by doubling */
        memcpy(b->data + at, s, n);
        b->data[at + n] = 0;
        b->len = at + n + 1;
    } else {
        sb_append(b, s, n); /* with its NUL after it */
        b->len += !b->oom;
    }
    return at;
}

/* Cells hold offsets into the table's text while it grows; pointers after. */
static void set_cell_texts(reader_table *t)
{
    for (size_t i = 0; i < t->ncells; i++)
        t->cells[i].text = t->text.data + (uintptr_t)t->cells[i].text;
}

/* Whether the raw field had a blank libcsv took away: at its start, or, for
 * a field not in quotes, before its terminator (the last byte fed). */
static int blank_around(const csv_state *st)
{
    const char *r = st->raw;
    size_t a = st->start_off, end = st->chunk_end ? st->chunk_end - 1 : 0; /* the terminator's offset */
    if (r[a] == ' ' || r[a] == '\t')
        return 1;
    if (r[a] == '"' || end <= a)
        return 0;
    while (end > a && r[end - 1] == '\r')
        end--;
    return end > a && (r[end - 1] == ' ' || r[end - 1] == '\t');
}

static void on_field(void *s, size_t n, void *data)
{
    csv_state *st = data;
    reader_table *t = st->t;
    if (st->next_pos < st->npos) { /* a field of a line fed whole: its place found before */
        int k = st->next_pos++;
        st->start_line = st->pos[k].line;
        st->start_col = st->pos[k].col;
        st->start_off = st->pos[k].start;
        st->chunk_end = st->pos[k].chunk_end;
        if (st->next_pos == st->npos)
            st->npos = st->next_pos = 0;
    }
    if (st->oom || st->too_long)
        return;
    if (n > UTIL_LIMIT_CELL) {
        st->too_long = 1;
        return;
    }
    if (!st->row_open) {
        if (util_grow((void **)&t->rows, &t->rows_cap, t->nrows + 1, sizeof *t->rows)) {
            st->oom = 1;
            return;
        }
        t->rows[t->nrows] = (row_info){t->ncells, 0, st->start_line};
        st->row_open = 1;
    }
    if (t->ncells == t->cells_cap && util_grow((void **)&t->cells, &t->cells_cap, t->ncells + 1, sizeof *t->cells)) {
        st->oom = 1;
        return;
    }
    int trimmed;
    size_t at = trim_append(&t->text, s ? s : "", s ? n : 0, &trimmed);
    trimmed |= st->raw && blank_around(st);
    if (t->text.oom) {
        st->oom = 1;
        return;
    }
    t->cells[t->ncells++] = (reader_cell){(char *)(uintptr_t)at, st->start_line, st->start_col, trimmed};
    t->rows[t->nrows].ncells++;
    st->need_start = 1;
}

static void on_record(int c, void *data)
{
    (void)c;
    csv_state *st = data;
    if (st->row_open) {
        st->t->nrows++;
        st->row_open = 0;
    }
    st->need_start = 1;
}

static void feed(struct csv_parser *p, csv_state *st, const char *text, size_t len, int *fail)
{
    for (size_t i = 0; i < len && !*fail; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (st->need_start && ch != '\r' && ch != '\n') {
            st->start_line = st->line;
            st->start_col = st->col;
            st->start_off = i;
            st->need_start = 0;
            st->field_len = 0;
        }
        /* stop at the limit while libcsv still gathers the cell, not after */
        if (!st->need_start && ++st->field_len > UTIL_LIMIT_CELL + 2) {
            st->too_long = 1;
            *fail = 1;
            break;
        }
        st->chunk_end = i + 1;
        if (csv_parse(p, text + i, 1, on_field, on_record, st) != 1 || st->oom || st->too_long)
            *fail = 1;
        if (ch == '\n' || (ch == '\r' && (i + 1 == len || text[i + 1] != '\n'))) {
            st->line++; /* LF, CR LF and a lone CR each end one line */
            st->col = 1;
        } else if (ch != '\r' && (ch & 0xC0) != 0x80) {
            st->col++;
        }
    }
}

/* Of the eight bytes w (the first in the lowest byte), bit 7 of each comma
 * or line end, and of each quote when `quotes`. Exact up to the first such
 * byte, which is all that is used. */
static inline uint64_t separators(uint64_t w, int quotes)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t c = w ^ (ones * ','), n = w ^ (ones * '\n'), r = w ^ (ones * '\r'), q = w ^ (ones * '"');
    uint64_t hit = ((c - ones) & ~c) | ((n - ones) & ~n) | ((r - ones) & ~r);
    return (quotes ? hit | ((q - ones) & ~q) : hit) & highs;
}

/* How many of the eight bytes w are 10xxxxxx (continue a UTF-8 sequence). */
static inline size_t continuations(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    return (size_t)(((((w & ~(w << 1)) & highs) >> 7) * ones) >> 56);
}

/* The end of the run that starts at text[i], a byte that is not a line
 * end: just after the next comma, at the next line end, or at the end of the
 * text; *chars counts its characters (bytes that do not continue a UTF-8
 * sequence). With `quotes`, a quote ends it too (at the quote). Eight bytes
 * at a time where they are loaded lowest first. */
static inline __attribute__((always_inline)) size_t run_end(const char *text, size_t i, size_t len, int *chars,
                                                            int quotes)
{
    size_t j = i, cont = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; j + 8 <= len; j += 8) {
        uint64_t w;
        memcpy(&w, text + j, 8);
        uint64_t hit = separators(w, quotes);
        if (hit) { /* the first separator is byte k of the eight */
            unsigned k = (unsigned)__builtin_ctzll(hit) >> 3;
            cont += k ? continuations(w & (~(uint64_t)0 >> (64 - 8 * k))) : 0;
            j += k + (text[j + k] == ',');
            *chars = (int)(j - i - cont);
            return j;
        }
        cont += continuations(w);
    }
#endif
    for (; j < len; j++) {
        unsigned char ch = (unsigned char)text[j];
        if (ch == '\r' || ch == '\n' || (quotes && ch == '"'))
            break;
        cont += (ch & 0xC0) == 0x80;
        if (ch == ',') {
            j++;
            break;
        }
    }
    *chars = (int)(j - i - cont);
    return j;
}

/* The rest of a line, from text[i] (a field's first byte, not a line end),
 * fed to libcsv in one call when the field positions can be known before:
 * no quote in it (each comma then ends one field; the scan stops at one), at most LINE_FIELDS
 * fields, not only blanks (libcsv makes no field of those at a row's start),
 * no field over the limit. The positions go to on_field through st->pos; the
 * last field ends when its line end is fed (or at csv_fini). Returns the end
 * of what was fed, or i when nothing was (feed_runs then feeds it). */
static size_t feed_line(struct csv_parser *p, csv_state *st, const char *text, size_t i, size_t len, int *fail)
{
    size_t j = i, end;
    int n = 0, col = st->col, chars;
    for (;; j = end) {
        end = run_end(text, j, len, &chars, 1);
        if (n == LINE_FIELDS || end - j > UTIL_LIMIT_CELL + 2 || (end < len && text[end] == '"'))
            return i;
        int comma = end > j && text[end - 1] == ',';
        st->pos[n].start = j;
        st->pos[n].chunk_end = comma ? end : end + 1;
        st->pos[n].line = st->line;
        st->pos[n++].col = col;
        col += chars;
        if (!comma)
            break; /* at the line end or the text's end */
    }
    if (end == j && n > 1) { /* an empty last field: a run feed gives it the place of the one before */
        st->pos[n - 1].start = st->pos[n - 2].start;
        st->pos[n - 1].col = st->pos[n - 2].col;
    }
    int blanks = n == 1;
    for (size_t k = i; blanks && k < end; k++)
        blanks = text[k] == ' ' || text[k] == '\t';
    if (blanks)
        return i;
    st->npos = n;
    st->next_pos = 0;
    if (csv_parse(p, text + i, end - i, on_field, on_record, st) != end - i || st->oom || st->too_long)
        *fail = 1;
    /* the last field waits for its line end, as a run would */
    st->need_start = 0;
    st->start_line = st->line;
    st->start_col = st->pos[n - 1].col;
    st->start_off = st->pos[n - 1].start;
    st->field_len = end - st->pos[n - 1].start;
    st->chunk_end = end;
    st->col = col;
    return end;
}

/* The same as feed, a run of bytes at a time: libcsv ends a field or a row
 * only at a comma or a line end, so feeding it up to each comma and each
 * line end on its own keeps every field's start position exact at a
 * fraction of the calls. Stops at the first problem (the byte-wise feed then
 * reports it). */
static void feed_runs(struct csv_parser *p, csv_state *st, const char *text, size_t len, int *fail)
{
    for (size_t i = 0; i < len && !*fail;) {
        unsigned char ch = (unsigned char)text[i];
        size_t j = i + 1;
        int chars = 0;
        if (ch == '\r' || ch == '\n') {
            st->field_len += !st->need_start; /* a line end inside quotes */
            if (ch == '\n' || j == len || text[j] != '\n') {
                st->line++; /* LF, CR LF and a lone CR each end one line */
                st->col = 1;
            }
        } else {
            if (st->need_start && (j = feed_line(p, st, text, i, len, fail)) != i) {
                i = j;
                continue;
            }
            if (st->need_start) {
                st->start_line = st->line;
                st->start_col = st->col;
                st->start_off = i;
                st->need_start = 0;
                st->field_len = 0;
            }
            j = run_end(text, i, len, &chars, 0);
            if ((st->field_len += j - i) > UTIL_LIMIT_CELL + 2) {
                *fail = 1;
                break;
            }
        }
        st->chunk_end = j;
        if (csv_parse(p, text + i, j - i, on_field, on_record, st) != j - i || st->oom || st->too_long)
            *fail = 1;
        st->col += chars;
        i = j;
    }
}

static void report_csv_error(struct csv_parser *p, csv_state *st, const char *name, diag_ctx *d)
{
    if (st->oom) {
        diag_add(d, DIAG_SYSTEM, name, 0, 0, "out of memory while reading");
        return;
    }
    if (st->too_long) {
        diag_add(d, DIAG_ERROR, name, st->start_line, st->start_col,
                 "a cell longer than %zu KiB (khet's limit): is a quote never closed, or is this not a CSV file?",
                 UTIL_LIMIT_CELL >> 10);
        return;
    }
    if (csv_error(p) == CSV_EPARSE && st->need_start == 0) {
        diag_add(d, DIAG_ERROR, name, st->start_line, st->start_col,
                 "malformed quoted field (a stray quote, or a quote that is never closed: "
                 "is the file truncated?)");
        return;
    }
    diag_add(d, DIAG_ERROR, name, st->line, st->col, "CSV syntax error: %s",
             csv_strerror(csv_error(p)));
}

/* Splits the text into cells: by runs, and when that meets a problem once
 * more byte by byte, which finds where it is for the message. */
static int parse_rows(reader_table *t, const char *text, size_t len, diag_ctx *d)
{
    int fail = 0;
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        struct csv_parser p;
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
            diag_add(d, DIAG_SYSTEM, t->name, 0, 0, "out of memory");
            return -1;
        }
        t->ncells = t->nrows = t->text.len = 0;
        t->text.oom = 0;
        csv_state st = {.t = t, .line = 1, .col = 1, .need_start = 1, .raw = text};
        fail = 0;
        if (bytewise)
            feed(&p, &st, text, len, &fail);
        else
            feed_runs(&p, &st, text, len, &fail);
        st.chunk_end = len + 1; /* the last field ends at the end of the text, with no terminator */
        if (!fail && csv_fini(&p, on_field, on_record, &st) != 0)
            fail = 1;
        if (fail && bytewise)
            report_csv_error(&p, &st, t->name, d);
        csv_free(&p);
        if (!fail)
            break;
    }
    if (!fail)
        set_cell_texts(t);
    return fail ? -1 : 0;
}

/* Gives cell i a text of its own (freed with the table). */
static int set_text(reader_table *t, size_t i, char *text)
{
    if (!text || util_grow((void **)&t->extra, &t->extra_cap, t->nextra + 1, sizeof *t->extra)) {
        free(text);
        return -1;
    }
    t->extra[t->nextra++] = t->cells[i].text = text;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Table checks                                                        */

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Reports every header name seen before, in one pass over the header with
 * a hash set of the names (a header of 100,000 columns is checked in
 * linear time). Returns the count, or -1 when memory runs out. */
static int duplicate_columns(reader_table *t, size_t ncols, diag_ctx *d)
{
    size_t cap = 16;
    while (cap < 2 * ncols)
        cap *= 2;
    size_t *slot = calloc(cap, sizeof *slot); /* cell index + 1; 0 is empty */
    if (!slot) {
        diag_add(d, DIAG_SYSTEM, t->name, 0, 0, "out of memory");
        return -1;
    }
    int dups = 0;
    for (size_t i = 0; i < ncols; i++) {
        const reader_cell *h = &t->cells[i];
        if (!h->text[0])
            continue;
        size_t k = (size_t)hash_text(h->text) & (cap - 1);
        while (slot[k] && strcmp(t->cells[slot[k] - 1].text, h->text))
            k = (k + 1) & (cap - 1);
        if (slot[k]) {
            diag_add(d, DIAG_ERROR, t->name, h->line, h->col, "column '%s' appears twice in the header", h->text);
            dups++;
        } else {
            slot[k] = i + 1;
        }
    }
    free(slot);
    return dups;
}

/* What Excel writes: a header typed "Code", " hcode " or "รหัสจังหวัด (code)"
 * means the column "code". ASCII letters are folded to lower case (every
 * name khet reads is lower case) and a trailing "(name)" of ASCII letters,
 * digits and underscores is the name. Returns -1 when memory runs out. */
static int normalise_header(reader_table *t)
{
    for (size_t i = 0; i < t->rows[0].ncells; i++) {
        char *h = t->cells[i].text;
        size_t n = strlen(h);
        char *open = n && h[n - 1] == ')' ? strrchr(h, '(') : NULL;
        if (open && open + 2 < h + n) {
            size_t k = (size_t)(open - h) + 1, ok = 1;
            for (size_t j = k; j < n - 1 && ok; j++)
                ok = (h[j] >= 'a' && h[j] <= 'z') || (h[j] >= 'A' && h[j] <= 'Z') || (h[j] >= '0' && h[j] <= '9') ||
                     h[j] == '_';
            if (ok) {
                if (set_text(t, i, util_strndup(h + k, n - 1 - k)) != 0)
                    return -1;
                h = t->cells[i].text;
            }
        }
        for (char *p = h; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    }
    return 0;
}

static int row_is_empty(const reader_table *t, const row_info *ri)
{
    for (size_t c = 0; c < ri->ncells; c++)
        if (t->cells[ri->first + c].text[0])
            return 0;
    return 1;
}

/* Rows with no text in any cell (",,,,", what Excel leaves after deleted
 * rows) are dropped and counted in a note. */
static void drop_empty_rows(reader_table *t, diag_ctx *d)
{
    size_t kept = 1, dropped = 0;
    int first = 0;
    for (size_t r = 1; r < t->nrows; r++) {
        if (row_is_empty(t, &t->rows[r])) {
            if (!dropped++)
                first = t->rows[r].line;
            continue;
        }
        t->rows[kept++] = t->rows[r];
    }
    t->nrows = kept;
    if (dropped)
        diag_add(d, DIAG_NOTE, t->name, first, 1, "%zu empty row%s skipped (the first here)", dropped,
                 dropped == 1 ? " was" : "s were");
}

/* An unquoted "1,234.50" splits into "1" and "234.50": a cell of exactly
 * three digits (and a fraction) after a cell ending in a digit. */
static const reader_cell *split_number(const reader_table *t, const row_info *ri)
{
    for (size_t c = 1; c < ri->ncells; c++) {
        const char *a = t->cells[ri->first + c - 1].text, *b = t->cells[ri->first + c].text;
        size_t la = strlen(a);
        if (!la || a[la - 1] < '0' || a[la - 1] > '9' || strspn(b, "0123456789") != 3 ||
            (b[3] && (b[3] != '.' || strspn(b + 4, "0123456789") != strlen(b + 4))))
            continue;
        return &t->cells[ri->first + c - 1];
    }
    return NULL;
}

static int check_shape(reader_table *t, diag_ctx *d)
{
    if (t->nrows == 0) {
        diag_add(d, DIAG_ERROR, t->name, 1, 1, "the file is empty: a header row is expected");
        return -1;
    }
    if (normalise_header(t) != 0) {
        diag_add(d, DIAG_SYSTEM, t->name, 0, 0, "out of memory");
        return -1;
    }
    drop_empty_rows(t, d);
    size_t want = t->rows[0].ncells;
    for (size_t i = 0; i < want; i++)
        if (!t->cells[i].text[0])
            diag_add(d, DIAG_WARNING, t->name, t->cells[i].line, t->cells[i].col, "a header cell is empty");
    int errors = duplicate_columns(t, want, d);
    if (errors < 0)
        return -1;
    for (size_t r = 1; r < t->nrows; r++) {
        row_info *ri = &t->rows[r];
        if (ri->ncells == want)
            continue;
        const reader_cell *last = &t->cells[ri->first + ri->ncells - 1], *num = NULL;
        if (ri->ncells > want && (num = split_number(t, ri))) {
            const reader_cell *next = num + 1;
            diag_add(d, DIAG_ERROR, t->name, num->line, num->col,
                     "this row has %zu fields but the header has %zu: is '%s,%s' one number whose thousands "
                     "separator is not in quotes? Write \"%s,%s\" or %s%s (save the sheet as CSV from Excel, "
                     "which quotes it)",
                     ri->ncells, want, num->text, next->text, num->text, next->text, num->text, next->text);
            errors++;
            continue;
        }
        diag_add(d, DIAG_ERROR, t->name, ri->line, ri->ncells < want ? last->col : t->cells[ri->first + want].col,
                 "this row has %zu fields but the header has %zu%s", ri->ncells, want,
                 (ri->ncells < want && r == t->nrows - 1) ? " (is the file truncated?)" : "");
        errors++;
    }
    return errors ? -1 : 0;
}

reader_table *reader_parse_csv(const char *name, const char *bytes, size_t len, const char *encoding,
                               diag_ctx *d)
{
    reader_table *t = calloc(1, sizeof *t);
    if (!t || !(t->name = util_strdup(name))) {
        free(t);
        diag_add(d, DIAG_SYSTEM, name, 0, 0, "out of memory");
        return NULL;
    }
    if (len == 0) {
        diag_add(d, DIAG_ERROR, name, 0, 0, "the file is empty (0 bytes)");
        reader_table_free(t);
        return NULL;
    }
    const char *start;
    char *converted = reader_decode_input(name, bytes, len, encoding, &t->encoding, &start, d);
    if (!start || parse_rows(t, start, converted ? strlen(converted) : len - (size_t)(start - bytes), d) != 0 ||
        check_shape(t, d) != 0) {
        free(converted);
        reader_table_free(t);
        return NULL;
    }
    free(converted);
    return t;
}

/* ---- tables built cell by cell (workbook sheets) ---- */

reader_table *reader_table_new(const char *name)
{
    reader_table *t = calloc(1, sizeof *t);
    if (t && !(t->name = util_strdup(name))) {
        free(t);
        return NULL;
    }
    if (t)
        t->encoding = "xlsx";
    return t;
}

int reader_table_add_row(reader_table *t, int line)
{
    if (util_grow((void **)&t->rows, &t->rows_cap, t->nrows + 1, sizeof *t->rows))
        return -1;
    t->rows[t->nrows++] = (row_info){t->ncells, 0, line};
    return 0;
}

/* A copy of n bytes of s without surrounding blanks; NULL when out of memory. */
static char *trim_copy(const char *s, size_t n, int *trimmed)
{
    size_t was = n;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    *trimmed = n != was;
    return util_strndup(s, n);
}

int reader_table_add_cell(reader_table *t, const char *text, int line, int col)
{
    int trimmed;
    char *copy = trim_copy(text, strlen(text), &trimmed);
    if (!copy || !t->nrows || util_grow((void **)&t->cells, &t->cells_cap, t->ncells + 1, sizeof *t->cells)) {
        free(copy);
        return -1;
    }
    t->cells[t->ncells] = (reader_cell){NULL, line, col, trimmed};
    if (set_text(t, t->ncells, copy) != 0) /* the table owns it (freed with it) */
        return -1;
    t->ncells++;
    t->rows[t->nrows - 1].ncells++;
    return 0;
}

int reader_table_finish(reader_table *t, diag_ctx *d) { return check_shape(t, d); }

reader_table *reader_read_csv(const char *path, const char *encoding, diag_ctx *d)
{
    char *data;
    size_t len;
    if (util_read_file(path, UTIL_LIMIT_DATA, &data, &len) != 0) {
        int e = errno;
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot read: %s", util_strerror(e));
        return NULL;
    }
    reader_table *t = reader_parse_csv(path, data, len, encoding, d);
    free(data);
    return t;
}

void reader_table_free(reader_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nextra; i++)
        free(t->extra[i]);
    free(t->extra);
    sb_free(&t->text);
    free(t->cells);
    free(t->rows);
    free(t->name);
    free(t);
}

const char *reader_table_name(const reader_table *t) { return t->name; }
const char *reader_table_encoding(const reader_table *t) { return t->encoding; }
size_t reader_table_rows(const reader_table *t) { return t->nrows ? t->nrows - 1 : 0; }
int reader_table_row_line(const reader_table *t, size_t row) { return t->rows[row + 1].line; }

int reader_table_column(const reader_table *t, const char *name)
{
    for (size_t i = 0; i < t->rows[0].ncells; i++)
        if (!strcmp(t->cells[i].text, name))
            return (int)i;
    return -1;
}

const reader_cell *reader_table_cell(const reader_table *t, size_t row, int col)
{
    const row_info *ri = &t->rows[row + 1];
    if (col < 0 || (size_t)col >= ri->ncells)
        return NULL;
    return &t->cells[ri->first + (size_t)col];
}

int reader_table_rename_column(reader_table *t, int col, const char *name)
{
    return set_text(t, (size_t)col, util_strdup(name));
}

size_t reader_table_columns(const reader_table *t) { return t->rows[0].ncells; }
const reader_cell *reader_table_header(const reader_table *t, int col) { return &t->cells[col]; }
