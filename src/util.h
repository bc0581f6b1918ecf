/* util: small helpers shared by every module: strings, growable buffers,
 * whole-file reading and atomic file writing. Nothing here knows the domain. */
#ifndef KHET_UTIL_H
#define KHET_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
void sb_append(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(strbuf *b);
/* Hands the text over (an empty string if nothing was appended), or NULL
 * after freeing it if an append ran out of memory. */
char *sb_finish(strbuf *b);

/* Makes room for `need` elements of `size` bytes in *p (capacity *cap),
 * doubling; returns 0, or -1 with *p untouched when memory runs out. */
int util_grow(void **p, size_t *cap, size_t need, size_t size);

/* Reads a whole file; returns 0 and fills *data and *len (caller frees), or -1
 * with errno set. */
int util_read_file(const char *path, char **data, size_t *len);

/* Writes a file through a temporary name in the same folder and renames it
 * into place, so a crash or a full disk never leaves a half-written file. */
int util_write_file_atomic(const char *path, const void *data, size_t len);

/* Creates a folder and its parents (mkdir -p). */
int util_mkdirs(const char *path);

/* UTF-8, shared by every module that walks text: the code point at byte *i
 * of s[0, len), advancing *i; a malformed or cut sequence gives U+FFFD and
 * advances one byte. */
uint32_t util_utf8_next(const char *s, size_t len, size_t *i);
void sb_put_cp(strbuf *b, uint32_t c);
/* A copy with Thai digits ๐-๙ replaced by ASCII digits (NULL on out of memory). */
char *util_ascii_digits(const char *s);

/* Whether n bytes are well-formed UTF-8 (no NUL bytes). */
int util_utf8_valid(const char *s, size_t n);

#define MM_PT (72.0 / 25.4)

#endif
