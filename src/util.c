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

size_t util_utf8_len(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

int util_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        int k = u[i] < 0x80 ? 0 : (u[i] & 0xE0) == 0xC0 ? 1 : (u[i] & 0xF0) == 0xE0 ? 2 : (u[i] & 0xF8) == 0xF0 ? 3 : -1;
        if (k < 0 || u[i] == 0 || i + (size_t)k >= n + (k ? 0 : 1))
            return 0;
        for (int j = 1; j <= k; j++)
            if ((u[i + (size_t)j] & 0xC0) != 0x80)
                return 0;
        i += (size_t)k + 1;
    }
    return 1;
}
