#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *util_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *util_strdup(const char *s) { return util_strndup(s, strlen(s)); }

char *util_vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *util_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = util_vformat(fmt, ap);
    va_end(ap);
    return p;
}

char *util_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n && dir[n - 1] == '/')
        return util_format("%s%s", dir, name);
    return util_format("%s/%s", dir, name);
}

void sb_append(strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void sb_puts(strbuf *b, const char *s) { sb_append(b, s, strlen(s)); }

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = util_vformat(fmt, ap);
    va_end(ap);
    if (!p) {
        b->oom = 1;
        return;
    }
    sb_puts(b, p);
    free(p);
}

void sb_free(strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *sb_finish(strbuf *b)
{
    if (!b->data && !b->oom)
        sb_puts(b, "");
    if (b->oom) {
        sb_free(b);
        return NULL;
    }
    return b->data;
}

int util_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int util_read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    strbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_append(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err || b.oom) {
        sb_free(&b);
        errno = err ? EIO : ENOMEM;
        return -1;
    }
    if (!b.data) { /* empty file: still hand back a valid string */
        b.data = calloc(1, 1);
        if (!b.data) {
            errno = ENOMEM;
            return -1;
        }
    }
    *data = b.data;
    *len = b.len;
    return 0;
}

int util_write_file_atomic(const char *path, const void *data, size_t len)
{
    char *tmp = util_format("%s.%ld.tmp", path, (long)getpid());
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        free(tmp);
        return -1;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok &= fflush(f) == 0;
    ok &= fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno ? errno : EIO;
        remove(tmp);
        free(tmp);
        errno = e;
        return -1;
    }
    free(tmp);
    return 0;
}

int util_mkdirs(const char *path)
{
    char *p = util_strdup(path);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = (mkdir(p, 0777) != 0 && errno != EEXIST) ? -1 : 0;
    free(p);
    return rc;
}

uint32_t util_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    int n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n || (size_t)n > len - *i) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t c = n == 1 ? p[0] : p[0] & (0x7Fu >> n);
    for (int k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        c = c << 6 | (p[k] & 0x3F);
    }
    *i += (size_t)n;
    return c;
}

void sb_put_cp(strbuf *b, uint32_t c)
{
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    sb_append(b, u, n);
}

char *util_ascii_digits(const char *s)
{
    strbuf b = {0};
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t c = util_utf8_next(s, len, &i);
        if (c >= 0x0E50 && c <= 0x0E59) {
            char d = (char)('0' + (c - 0x0E50));
            sb_append(&b, &d, 1);
        } else {
            sb_append(&b, s + at, i - at);
        }
    }
    return sb_finish(&b);
}

int util_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t c = util_utf8_next(s, n, &i);
        if (c == 0 || (c == 0xFFFD && (i - at != 3 || memcmp(s + at, "\xEF\xBF\xBD", 3))))
            return 0; /* a NUL, or a malformed sequence (a real U+FFFD is fine) */
    }
    return 1;
}
