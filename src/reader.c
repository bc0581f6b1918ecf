#include "reader.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>
#include <unicode/ustring.h>

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
/* Decoding                                                            */

/* Position (line, column in characters) of byte `off` of a raw buffer. For
 * single-byte encodings every byte is one character. */
static void raw_position(const char *b, size_t off, int single_byte, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)b[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 == off || b[i + 1] != '\n'))) {
            l++; /* LF, CR LF and a lone CR (old Mac exports) each end one line */
            c = 1;
        } else if (ch == '\r') {
        } else if (single_byte || (ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Converts `len` bytes in `enc` to UTF-8. On an undecodable byte returns NULL
 * and sets *bad to its offset; on out of memory returns NULL with *bad = -1. */
static char *decode_to_utf8(const char *enc, const char *b, size_t len, long *bad)
{
    *bad = -1;
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(enc, &st);
    if (U_FAILURE(st))
        return NULL;
    ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    size_t cap16 = len + 1; /* one UTF-16 unit per byte is enough for both */
    UChar *u = malloc(cap16 * sizeof *u);
    char *out = NULL;
    if (!u)
        goto done;
    UChar *target = u;
    const char *src = b;
    ucnv_toUnicode(cv, &target, u + cap16, &src, b + len, NULL, 1, &st);
    if (U_FAILURE(st)) {
        char badbytes[8];
        int8_t nbad = sizeof badbytes;
        UErrorCode st2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(cv, badbytes, &nbad, &st2);
        *bad = (long)(src - b) - (U_SUCCESS(st2) ? nbad : 1);
        if (*bad < 0)
            *bad = 0;
        goto done;
    }
    int32_t n16 = (int32_t)(target - u), n8 = 0;
    /* ICU's Windows-874 table maps the bytes the code page leaves undefined
     * (0x81, 0xDB..0xDE, 0xFC..0xFF, ...) to private-use code points instead
     * or to C1 controls instead of failing; no Thai text contains those, so treat them as undecodable.
     * A single-byte code page gives one UTF-16 unit per byte. */
    if (ucnv_getMaxCharSize(cv) == 1)
        for (int32_t i = 0; i < n16; i++)
            if ((u[i] >= 0xE000 && u[i] <= 0xF8FF) || (u[i] >= 0x80 && u[i] <= 0x9F)) {
                *bad = i;
                goto done;
            }
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &n8, u, n16, &st);
    out = malloc((size_t)n8 + 1);
    if (!out)
        goto done;
    st = U_ZERO_ERROR;
    u_strToUTF8(out, n8 + 1, NULL, u, n16, &st);
    if (U_FAILURE(st)) {
        free(out);
        out = NULL;
    }
done:
    free(u);
    ucnv_close(cv);
    return out;
}

static int is_utf8_name(const char *enc)
{
    return !strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8");
}

/* The offset of the first byte that is not well-formed UTF-8, -1 if none
 * (ICU's check: overlong forms, surrogates and code points over U+10FFFF
 * are not UTF-8). */
static long utf8_invalid_at(const char *raw, size_t len)
{
    const uint8_t *s = (const uint8_t *)raw;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) { /* ASCII, most of a CSV file */
            i++;
            continue;
        }
        int32_t k = 0, n = len - i < 4 ? (int32_t)(len - i) : 4; /* a sequence is at most 4 bytes */
        UChar32 c;
        U8_NEXT(s + i, k, n, c);
        if (c < 0)
            return (long)i;
        i += (size_t)k;
    }
    return -1;
}

/* Decodes the raw file to UTF-8, detecting the encoding unless one is given.
 * Valid UTF-8 is used in place: *start is set to its first byte (after a
 * BOM) and NULL returned. Text converted from another encoding is returned
 * (the caller frees it), *start set to it. NULL with *start NULL after
 * reporting the problem. */
static char *decode_input(const char *name, const char *raw, size_t len, const char *want,
                          const char **used, const char **start, diag_ctx *d)
{
    *start = NULL;
    int auto_detect = !want || !strcasecmp(want, "auto");
    if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3) && (auto_detect || is_utf8_name(want))) {
        raw += 3;
        len -= 3;
        want = "utf-8";
        auto_detect = 0;
    }
    const char *nul = memchr(raw, 0, len);
    if (nul) {
        int l, c;
        raw_position(raw, (size_t)(nul - raw), 0, &l, &c);
        diag_add(d, DIAG_ERROR, name, l, c, "binary data (a NUL byte): this is not a CSV text file");
        return NULL;
    }
    const char *tries[2] = {auto_detect ? "utf-8" : want, auto_detect ? "windows-874" : NULL};
    long bad[2] = {-1, -1};
    for (int i = 0; i < 2 && tries[i]; i++) {
        if (is_utf8_name(tries[i])) {
            /* UTF-8 is only checked, not converted: the bytes are the text */
            bad[i] = utf8_invalid_at(raw, len);
            if (bad[i] < 0) {
                *used = "utf-8";
                *start = raw;
                return NULL;
            }
            continue;
        }
        char *out = decode_to_utf8(tries[i], raw, len, &bad[i]);
        if (out) {
            *used = tries[i];
            *start = out;
            return out;
        }
        if (bad[i] < 0)
            break;
    }
    long at = bad[0];
    int single_byte = !auto_detect && !is_utf8_name(want);
    /* Auto-detection failed both ways. If valid UTF-8 with non-ASCII text
     * came before the bad byte, the file is meant to be UTF-8; otherwise it is
     * meant to be Windows-874 and its own bad byte is the one to show. */
    if (auto_detect && bad[1] >= 0) {
        int had_utf8 = 0;
        for (long i = 0; i < bad[0]; i++)
            had_utf8 |= (unsigned char)raw[i] >= 0x80;
        if (!had_utf8) {
            at = bad[1];
            single_byte = 1;
        }
    }
    if (at < 0) {
        diag_add(d, DIAG_ERROR, name, 0, 0, "cannot decode: unknown encoding '%s' or out of memory",
                 want ? want : "auto");
        return NULL;
    }
    int l, c;
    raw_position(raw, (size_t)at, single_byte, &l, &c);
    diag_add(d, DIAG_ERROR, name, l, c,
             auto_detect ? "byte 0x%02X is neither valid UTF-8 nor Windows-874 (TIS-620) text"
                         : "byte 0x%02X cannot be decoded as the requested encoding",
             (unsigned char)raw[at]);
    return NULL;
}

char *reader_decode_text(const char *name, const char *bytes, size_t len, const char *encoding, diag_ctx *d)
{
    const char *used = NULL, *start;
    char *out = decode_input(name, bytes, len, encoding, &used, &start, d);
    if (!out && start && !(out = util_strndup(start, len - (size_t)(start - bytes))))
        diag_add(d, DIAG_SYSTEM, name, 0, 0, "out of memory");
    return out;
}

/* ------------------------------------------------------------------ */
/* CSV syntax through libcsv, with positions                           */

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
} csv_state;

/* Appends the cell's text, trimmed, to the table's text; its offset there
 * (cells point into the text once it stops growing: set_cell_texts). */
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
    sb_append(b, s, n);
    sb_append(b, "", 1);
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
    if (util_grow((void **)&t->cells, &t->cells_cap, t->ncells + 1, sizeof *t->cells)) {
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

/* The same, a run of bytes at a time: libcsv ends a field or a row only at a
 * comma or a line end, so feeding it up to each comma and each line end on
 * its own keeps every field's start position exact at a fraction of the
 * calls. Stops at the first problem (the byte-wise feed then reports it). */
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
            if (st->need_start) {
                st->start_line = st->line;
                st->start_col = st->col;
                st->start_off = i;
                st->need_start = 0;
                st->field_len = 0;
            }
            chars = (ch & 0xC0) != 0x80;
            for (; ch != ',' && j < len; j++) {
                ch = (unsigned char)text[j];
                if (ch == '\r' || ch == '\n')
                    break;
                chars += (ch & 0xC0) != 0x80;
            }
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
    char *converted = decode_input(name, bytes, len, encoding, &t->encoding, &start, d);
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

static int listed(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

/* Edit distance of two short names (bytes), for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *reader_did_you_mean(const char *name, const char *const *a, const char *const *b)
{
    const char *best = NULL;
    size_t bd = 3; /* at most two edits, and fewer than half the name */
    for (int k = 0; k < 2; k++)
        for (const char *const *l = k ? b : a; l && *l; l++) {
            size_t dist = edit_distance(name, *l);
            if (dist < bd && dist * 2 < strlen(*l)) {
                bd = dist;
                best = *l;
            }
        }
    return best;
}

int reader_table_rename_column(reader_table *t, int col, const char *name)
{
    return set_text(t, (size_t)col, util_strdup(name));
}

size_t reader_table_columns(const reader_table *t) { return t->rows[0].ncells; }
const reader_cell *reader_table_header(const reader_table *t, int col) { return &t->cells[col]; }

int reader_table_expect(const reader_table *t, const char *const *required, const char *const *optional,
                        diag_ctx *d)
{
    int missing = 0;
    for (const char *const *r = required; r && *r; r++)
        if (reader_table_column(t, *r) < 0) {
            /* a header cell that is nearly this name is what was meant */
            const reader_cell *near = NULL;
            for (size_t i = 0; i < t->rows[0].ncells && !near; i++) {
                const char *const one[2] = {*r, NULL};
                if (!listed(t->cells[i].text, required) && !listed(t->cells[i].text, optional) &&
                    reader_did_you_mean(t->cells[i].text, one, NULL))
                    near = &t->cells[i];
            }
            if (near)
                diag_add(d, DIAG_ERROR, t->name, near->line, near->col,
                         "required column '%s' is missing from the header: did you mean '%s' for '%s'?", *r, *r,
                         near->text);
            else
                diag_add(d, DIAG_ERROR, t->name, 1, 1, "required column '%s' is missing from the header", *r);
            missing++;
        }
    for (size_t i = 0; i < t->rows[0].ncells; i++) {
        const reader_cell *h = &t->cells[i];
        if (!h->text[0] || listed(h->text, required) || listed(h->text, optional))
            continue;
        const char *guess = reader_did_you_mean(h->text, required, optional);
        if (guess && reader_table_column(t, guess) < 0 && listed(guess, required))
            continue; /* reported above as the missing column it is */
        if (guess)
            diag_add(d, DIAG_WARNING, t->name, h->line, h->col, "unknown column '%s' is ignored: did you mean '%s'?",
                     h->text, guess);
        else
            diag_add(d, DIAG_WARNING, t->name, h->line, h->col, "unknown column '%s' is ignored", h->text);
    }
    return missing;
}

/* ------------------------------------------------------------------ */
/* Field grammars                                                      */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The text with Thai digits as ASCII ones: s itself when it is all ASCII
 * (nearly every cell: no copy), else a copy left in *owned for the caller
 * to free. NULL when out of memory. */
static const char *ascii_view(const char *s, char **owned)
{
    *owned = NULL;
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q >= 0x80)
            return *owned = util_ascii_digits(s);
    return s;
}

/* Parses the digits of an unsigned decimal with optional grouping commas into
 * units of 10^-scale. */
static const char *parse_unsigned_decimal(const char *p, const char *end, int scale, int64_t *out)
{
    int64_t v = 0;
    int digits = 0, group = -1, frac = -1;
    for (; p < end; p++) {
        if (is_digit(*p)) {
            if (frac >= 0 && ++frac > scale)
                return scale ? "too many decimal places" : "a whole number is expected here";
            if (v > (INT64_MAX - 9) / 10)
                return "number too large";
            v = v * 10 + (*p - '0');
            digits++;
            if (group >= 0 && frac < 0)
                group++;
        } else if (*p == ',' && frac < 0 && digits > 0 && (group < 0 || group == 3)) {
            if (group < 0 && digits > 3)
                return "misplaced thousands separator";
            group = 0;
        } else if (*p == '.' && frac < 0) {
            if (group >= 0 && group != 3)
                return "misplaced thousands separator";
            frac = 0;
        } else {
            return "not a number";
        }
    }
    if (!digits)
        return "not a number";
    if (group >= 0 && frac < 0 && group != 3)
        return "misplaced thousands separator";
    for (int k = frac < 0 ? 0 : frac; k < scale; k++) {
        if (v > INT64_MAX / 10)
            return "number too large";
        v *= 10;
    }
    *out = v;
    return NULL;
}

const char *reader_parse_decimal(const char *s, int scale, int64_t *out)
{
    char *a = NULL;
    if (!(s = ascii_view(s, &a)))
        return "out of memory";
    const char *err = NULL, *p = s, *end = s + strlen(s);
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    int neg = 0;
    if (p == end) {
        err = "empty value";
        goto done;
    }
    if (end - p == 1 && *p == '-') { /* accounting format writes zero as "-" */
        *out = 0;
        goto done;
    }
    if (end[-1] == '%')
        end--;
    if (*p == '(' && end > p + 1 && end[-1] == ')') {
        neg = 1;
        p++;
        end--;
    } else if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    int64_t v;
    err = parse_unsigned_decimal(p, end, scale, &v);
    if (!err)
        *out = neg ? -v : v;
done:
    free(a);
    return err;
}

const char *reader_parse_int(const char *s, int64_t *out) { return reader_parse_decimal(s, 0, out); }

const char *reader_parse_money(const char *s, int64_t *satang) { return reader_parse_decimal(s, 2, satang); }

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Reads up to `max` digits; returns the count read. */
static int read_num(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && is_digit(**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

static const char *normalise_year(int *y)
{
    if (*y >= 2400)
        *y -= 543;
    if (*y < 1900 || *y > 2200)
        return "year out of range";
    return NULL;
}

/* Parses "Y-M[-D]" or "[D/]M/Y"; `want_day` says whether D is present. */
static const char *parse_ymd(const char *s, int want_day, reader_date *out)
{
    char *a = NULL;
    const char *p = ascii_view(s, &a);
    if (!p)
        return "out of memory";
    int y = 0, m = 0, d = 0, ok;
    int n1 = read_num(&p, 4, &y);
    if (n1 == 4 && *p == '-') { /* year first */
        p++;
        ok = read_num(&p, 2, &m) > 0;
        if (ok && want_day)
            ok = *p++ == '-' && read_num(&p, 2, &d) > 0;
    } else { /* day/month/year or month/year */
        int first = y;
        ok = n1 > 0 && n1 <= 2 && *p++ == '/';
        if (ok && want_day) {
            d = first;
            ok = read_num(&p, 2, &m) > 0 && *p++ == '/';
        } else {
            m = first;
        }
        ok = ok && read_num(&p, 4, &y) == 4;
    }
    ok = ok && *p == 0;
    free(a);
    if (!ok)
        return want_day ? "not a date (expected e.g. 2563-09-30 or 30/09/2563)"
                        : "not a month (expected e.g. 2563-09 or 09/2563)";
    const char *err = normalise_year(&y);
    if (err)
        return err;
    if (m < 1 || m > 12)
        return "month out of range";
    if (want_day && (d < 1 || d > days_in_month(y, m)))
        return "day out of range for that month";
    *out = (reader_date){y, m, want_day ? d : 0};
    return NULL;
}

const char *reader_parse_date(const char *s, reader_date *out) { return parse_ymd(s, 1, out); }
const char *reader_parse_month(const char *s, reader_date *out) { return parse_ymd(s, 0, out); }

const char *reader_parse_hcode(const char *s, char out[6])
{
    char *a = NULL;
    const char *v = ascii_view(s, &a);
    if (!v)
        return "out of memory";
    size_t n = strlen(v);
    int ok = n == 5;
    for (size_t i = 0; ok && i < n; i++)
        ok = is_digit(v[i]);
    if (ok)
        memcpy(out, v, 6);
    free(a);
    return ok ? NULL : "a hospital code has exactly 5 digits (keep leading zeros)";
}
