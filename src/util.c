#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysio.h"

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

void sb_append_grow(strbuf *b, const char *s, size_t n)
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

int util_read_file(const char *path, size_t limit, char **data, size_t *len)
{
    const sysio_ops *io = sysio();
    int fd = io->open(path, O_RDONLY | O_NONBLOCK, 0); /* O_NONBLOCK: opening a FIFO must not wait */
    if (fd < 0)
        return -1;
    struct stat st;
    int err = 0;
    if (io->fstat(fd, &st) != 0)
        err = errno;
    else if (S_ISDIR(st.st_mode))
        err = EISDIR;
    else if (!S_ISREG(st.st_mode))
        err = UTIL_ENOTREG;
    else if ((uintmax_t)st.st_size > limit)
        err = UTIL_ETOOBIG;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    /* Read to the end, the file may have grown since fstat; never past the
     * limit, and stop at once when memory runs out. */
    while (!err) {
        if (n + 1 >= cap) {
            size_t want = cap ? cap * 2 : (size_t)st.st_size + 2;
            if (want > limit + 2)
                want = limit + 2;
            if (want <= n + 1) {
                err = UTIL_ETOOBIG;
                break;
            }
            char *p = realloc(buf, want);
            if (!p) {
                err = ENOMEM;
                break;
            }
            buf = p;
            cap = want;
        }
        ssize_t got = io->read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            err = errno;
        else if (got == 0)
            break;
        else if ((n += (size_t)got) > limit)
            err = UTIL_ETOOBIG;
    }
    if (io->close(fd) != 0 && !err)
        err = errno;
    if (err) {
        free(buf);
        errno = err;
        return -1;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
}

const char *util_strerror(int err)
{
    switch (err) {
    case EISDIR: return "it is a directory, not a file";
    case UTIL_ENOTREG: return "it is not a regular file (a FIFO, device or socket): khet reads only ordinary files";
    case UTIL_ETOOBIG:
        return "it is larger than khet's size limit (64 MiB for a data file, 4 MiB for a template or settings file)";
    case ELOOP: return "a symbolic link is in the way: khet does not write through links inside its output folder";
    default: return strerror(err);
    }
}

int util_input_errno(int err)
{
    return err == ENOENT || err == ENOTDIR || err == EISDIR || err == EACCES || err == EPERM || err == ELOOP ||
           err == ENAMETOOLONG || err == UTIL_ENOTREG || err == UTIL_ETOOBIG || err == EILSEQ;
}

int util_clean_stale(const char *dir);

/* The folder part of a path ("." when there is none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return util_strdup(".");
    return util_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* A fresh temporary in the folder of `path`; returns the open descriptor
 * and its name in *name, or -1 with errno set. */
static int temp_beside(const char *path, char **name)
{
    char *dir = dir_of(path);
    if (dir)
        util_clean_stale(dir); /* what a run killed midway left here */
    char *t = dir ? util_format("%s/" UTIL_TMP_PREFIX "%ld-XXXXXX", dir, (long)getpid()) : NULL;
    free(dir);
    if (!t) {
        errno = ENOMEM;
        return -1;
    }
    int fd = sysio()->mkstemp(t); /* O_EXCL: never an existing file or a planted link */
    /* mkstemp makes the file 0600; a document gets the usual 0666 less umask */
    mode_t mask = umask(022);
    umask(mask);
    if (fd >= 0 && sysio()->fchmod(fd, 0666 & ~mask) != 0) {
        int e = errno;
        sysio()->close(fd);
        sysio()->unlink(t);
        errno = e;
        fd = -1;
    }
    if (fd < 0) {
        int e = errno;
        free(t);
        errno = e;
        return -1;
    }
    *name = t;
    return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = sysio()->write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int util_fsync_dir(const char *dir)
{
    const sysio_ops *io = sysio();
    int fd = io->open(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0)
        return -1;
    int rc = io->fsync(fd) == 0 || errno == EINVAL; /* some file systems cannot sync folders */
    int e = errno;
    if (io->close(fd) != 0 && rc) {
        e = errno;
        rc = 0;
    }
    errno = e;
    return rc ? 0 : -1;
}

/* Renames tmp to path and syncs the folder (unless !sync_dir); removes tmp
 * on failure. */
static int finish_rename(const char *tmp, const char *path, int sync_dir)
{
    const sysio_ops *io = sysio();
    char *dir = dir_of(path);
    int e = dir ? EINTR : ENOMEM;
    if (!dir || sysio_interrupted() || io->rename(tmp, path) != 0) {
        if (dir)
            e = sysio_interrupted() ? EINTR : errno;
        io->unlink(tmp);
        free(dir);
        errno = e;
        return -1;
    }
    int rc = sync_dir ? util_fsync_dir(dir) : 0;
    e = errno;
    free(dir);
    errno = e;
    return rc;
}

static int write_file(const char *path, const void *data, size_t len, int sync_dir)
{
    const sysio_ops *io = sysio();
    char *tmp;
    int fd = temp_beside(path, &tmp);
    if (fd < 0)
        return -1;
    int ok = write_all(fd, data, len) == 0 && io->fsync(fd) == 0;
    int e = errno;
    if (io->close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        io->unlink(tmp);
        free(tmp);
        errno = e;
        return -1;
    }
    int rc = finish_rename(tmp, path, sync_dir);
    e = errno;
    free(tmp);
    errno = e;
    return rc;
}

int util_write_file_atomic(const char *path, const void *data, size_t len) { return write_file(path, data, len, 1); }

int util_write_file_staged(const char *path, const void *data, size_t len) { return write_file(path, data, len, 0); }

char *util_temp_beside(const char *path)
{
    char *tmp;
    int fd = temp_beside(path, &tmp);
    if (fd < 0)
        return NULL;
    if (sysio()->close(fd) != 0) {
        int e = errno;
        sysio()->unlink(tmp);
        free(tmp);
        errno = e;
        return NULL;
    }
    return tmp;
}

int util_commit_temp(char *tmp, const char *path)
{
    const sysio_ops *io = sysio();
    int fd = io->open(tmp, O_RDONLY | O_NOFOLLOW, 0);
    struct stat st;
    int ok = fd >= 0 && io->fstat(fd, &st) == 0;
    int e = errno;
    if (ok && !S_ISREG(st.st_mode)) {
        ok = 0;
        e = UTIL_ENOTREG;
    }
    if (ok && io->fsync(fd) != 0) {
        ok = 0;
        e = errno;
    }
    if (fd >= 0 && io->close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        io->unlink(tmp);
        errno = e;
        return -1;
    }
    return finish_rename(tmp, path, 1);
}

static int mkdir_one(const char *p)
{
    if (sysio()->mkdir(p, 0777) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

int util_mkdirs(const char *path)
{
    if (!*path) { /* no folder named (e.g. --archive ''): nothing to make */
        errno = ENOENT;
        return -1;
    }
    char *p = util_strdup(path);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir_one(p) != 0) {
            int e = errno;
            free(p);
            errno = e;
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir_one(p);
    int e = errno;
    free(p);
    errno = e;
    return rc;
}

int util_mkdirs_below(const char *base, const char *rel, char **bad)
{
    char *p = util_path_join(base, rel);
    if (bad)
        *bad = NULL;
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    size_t from = strlen(p) - strlen(rel);
    int rc = 0, e = 0;
    for (size_t i = from; !rc; i++) {
        char ch = p[i];
        if (ch != '/' && ch != 0)
            continue;
        p[i] = 0;
        struct stat st;
        if (i > from && sysio()->mkdir(p, 0777) != 0) {
            if (errno != EEXIST) {
                rc = -1;
                e = errno;
            } else if (sysio()->lstat(p, &st) != 0) {
                rc = -1;
                e = errno;
            } else if (!S_ISDIR(st.st_mode)) {
                rc = -1;
                e = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
            }
            if (rc && bad)
                *bad = util_strdup(p);
        }
        p[i] = ch;
        if (!ch)
            break;
    }
    free(p);
    errno = e;
    return rc;
}

int util_remove_tree(const char *path)
{
    const sysio_ops *io = sysio();
    struct stat st;
    if (io->lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return io->unlink(path);
    DIR *dir = io->opendir(path);
    if (!dir)
        return -1;
    int rc = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *sub = util_path_join(path, e->d_name);
        if (!sub || util_remove_tree(sub) != 0)
            rc = -1;
        free(sub);
    }
    closedir(dir);
    if (io->rmdir(path) != 0)
        rc = -1;
    return rc;
}

/* Whether a name of our own naming belongs to a process that is gone. */
static int stale_name(const char *name)
{
    const char *rest;
    if (!strncmp(name, UTIL_TMP_PREFIX, strlen(UTIL_TMP_PREFIX)))
        rest = name + strlen(UTIL_TMP_PREFIX);
    else if (!strncmp(name, UTIL_STAGE_PREFIX, strlen(UTIL_STAGE_PREFIX)))
        rest = name + strlen(UTIL_STAGE_PREFIX);
    else
        return 0;
    char *end;
    long pid = strtol(rest, &end, 10);
    if (end == rest || *end != '-' || pid <= 0)
        return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

int util_clean_stale(const char *dir)
{
    DIR *d = sysio()->opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!stale_name(e->d_name))
            continue;
        char *p = util_path_join(dir, e->d_name);
        if (p && util_remove_tree(p) == 0)
            n++;
        free(p);
    }
    closedir(d);
    return n;
}

uint32_t util_utf8_decode(const char *s, size_t len, size_t *i)
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
    return util_utf8_invalid_at(s, n) == n; /* a NUL or a malformed sequence (a real U+FFFD is fine) */
}

size_t util_utf8_invalid_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t c = util_utf8_next(s, n, &i);
        if (c == 0 || (c == 0xFFFD && (i - at != 3 || memcmp(s + at, "\xEF\xBF\xBD", 3))))
            return at;
    }
    return n;
}

void util_text_position(const char *s, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n' || (ch == '\r' && s[i + 1] != '\n')) {
            l++;
            c = 1;
        } else if (ch != '\r' && (ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

uint64_t util_hash_bytes(const char *a, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, a + i, 8);
        h = (h ^ w) * 1099511628211ULL;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)a[i]) * 1099511628211ULL;
    return h;
}
