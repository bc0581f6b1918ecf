/* util: small helpers shared by every module: strings, growable buffers,
 * whole-file reading and atomic file writing. Nothing here knows the domain. */
#ifndef KHET_UTIL_H
#define KHET_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

char *util_strdup(const char *s);             /* NULL on out of memory */
char *util_strndup(const char *s, size_t n);
char *util_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *util_vformat(const char *fmt, va_list ap);
char *util_path_join(const char *dir, const char *name);

/* A growable byte buffer; `oom` sticks once an append failed, so callers may
 * append many times and check once. Data is always NUL-terminated. */
typedef struct {
    char *data;
    size_t len, cap;
    int oom;
} strbuf;
void sb_append_grow(strbuf *b, const char *s, size_t n); /* sb_append, growing the buffer when needed */
/* Appends n bytes. Inline where they fit (a content stream is written a
 * few bytes at a time: 200,000 appends in a 100-page table). */
static inline void sb_append(strbuf *b, const char *s, size_t n)
{
    if (b->oom || b->len + n >= b->cap) {
        sb_append_grow(b, s, n);
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}
static inline void sb_puts(strbuf *b, const char *s) { sb_append(b, s, strlen(s)); }
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(strbuf *b);
/* Hands the text over (an empty string if nothing was appended), or NULL
 * after freeing it if an append ran out of memory. */
char *sb_finish(strbuf *b);

/* Makes room for `need` elements of `size` bytes in *p (capacity *cap),
 * doubling; returns 0, or -1 with *p untouched when memory runs out. */
int util_grow(void **p, size_t *cap, size_t need, size_t size);

/* Size limits: khet refuses larger files (and larger CSV cells) with a
 * clear message instead of reading on until memory runs out. A region's
 * whole year of data is a few MiB; a template or settings file a few KiB. */
#define UTIL_LIMIT_DATA ((size_t)64 << 20) /* a CSV data or scheme file */
#define UTIL_LIMIT_TEXT ((size_t)4 << 20)  /* a template, settings file or text to typeset */
#define UTIL_LIMIT_CELL ((size_t)64 << 10) /* one CSV cell */

/* errno values of our own, beside the system's (util_strerror knows them). */
#define UTIL_ENOTREG 0x4B01 /* not a regular file: a FIFO, device or socket */
#define UTIL_ETOOBIG 0x4B02 /* over the size limit */

/* Reads a whole regular file of at most `limit` bytes; returns 0 and fills
 * *data (NUL-terminated) and *len (caller frees), or -1 with errno set:
 * EISDIR, UTIL_ENOTREG and UTIL_ETOOBIG are refused before anything is
 * read, so a FIFO or /dev/zero cannot hang khet. */
int util_read_file(const char *path, size_t limit, char **data, size_t *len);

/* strerror() that also knows UTIL_ENOTREG and UTIL_ETOOBIG, in words a
 * user can act on ("is a directory", not "Input/output error"). */
const char *util_strerror(int err);
/* Whether a failure to read says the input is wrong (a missing file, a
 * folder, a FIFO, too large: exit 2) rather than the machine failing us
 * (an I/O error, out of memory: exit 1). */
int util_input_errno(int err);

/* Writes a file safely: a fresh temporary (mkstemp, never an existing name
 * or a planted symlink) in the same folder, fsync, rename into place, fsync
 * the folder. On any failure, or when SIGINT/SIGTERM arrived, the temporary
 * is removed, the old file is untouched, and -1 is returned with errno set. */
int util_write_file_atomic(const char *path, const void *data, size_t len);
/* The same without the folder's sync, for a file that is moved on later (a
 * batch's staging folder): its data are synced before it is renamed, and
 * the folder it finally lands in is synced then (render_batch.c). */
int util_write_file_staged(const char *path, const void *data, size_t len);

/* Creates an empty temporary of our own naming in the folder of `path`, for
 * a library that insists on writing to a path itself; returns its name
 * (caller frees and removes) or NULL with errno set. */
char *util_temp_beside(const char *path);
/* Moves a finished temporary from util_temp_beside into place: checks it is
 * still a regular file (not swapped for a link), fsyncs it, renames it, and
 * fsyncs the folder; on failure removes it. */
int util_commit_temp(char *tmp, const char *path);

/* fsyncs a folder, so that a rename in it survives a power cut. */
int util_fsync_dir(const char *dir);

/* Creates a folder and its parents (mkdir -p). */
int util_mkdirs(const char *path);
/* Creates base/rel and the folders between (base must exist), refusing to go
 * through a symbolic link or anything not a folder inside base: errno ELOOP
 * or ENOTDIR, and *bad (if not NULL) gets the offending path (caller frees). */
int util_mkdirs_below(const char *base, const char *rel, char **bad);

/* Removes a folder tree that khet made (never following links). */
int util_remove_tree(const char *path);

/* Temporaries of our own naming: ".khet-tmp-PID-XXXXXX" files and
 * ".khet-stage-PID-XXXXXX" folders. Removes those in `dir` whose process
 * is gone (left by kill -9 or a power cut); returns how many. */
#define UTIL_TMP_PREFIX ".khet-tmp-"
#define UTIL_STAGE_PREFIX ".khet-stage-"
int util_clean_stale(const char *dir);

/* UTF-8, shared by every module that walks text: the code point at byte *i
 * of s[0, len), advancing *i; a malformed or cut sequence gives U+FFFD and
 * advances one byte. Inline for ASCII and three-byte sequences (Thai):
 * called for every character the line breaker and the PDF writer look at. */
uint32_t util_utf8_decode(const char *s, size_t len, size_t *i); /* any sequence */
static inline uint32_t util_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        (*i)++;
        return p[0];
    }
    if ((p[0] & 0xF0) == 0xE0 && len - *i >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *i += 3;
        return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
    }
    return util_utf8_decode(s, len, i);
}
void sb_put_cp(strbuf *b, uint32_t c);
/* A copy with Thai digits ๐-๙ replaced by ASCII digits (NULL on out of memory). */
char *util_ascii_digits(const char *s);

/* Whether n bytes are well-formed UTF-8 (no NUL bytes). */
int util_utf8_valid(const char *s, size_t n);
/* The offset of the first byte that is not well-formed UTF-8 (or a NUL), or
 * n when all are; and the 1-based line and column (in characters) of an
 * offset, counting LF, CR LF and a lone CR each as one line end. */
size_t util_utf8_invalid_at(const char *s, size_t n);
void util_text_position(const char *s, size_t off, int *line, int *col);

#define MM_PT (72.0 / 25.4)

/* A 64-bit hash of n bytes: FNV-1a's step on eight bytes at a time (the
 * layout and shape caches hash a text at every lookup; byte by byte it was
 * 3 % of a national month). For tables in memory only, never written. */
uint64_t util_hash_bytes(const char *a, size_t n);

#endif
