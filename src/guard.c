/* guard: what khet may touch below an archive folder; see guard.h. */
#include "guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysio.h"
#include "util.h"

static const char *kind_name(mode_t m)
{
    return S_ISLNK(m)    ? "a symbolic link"
           : S_ISDIR(m)  ? "a folder"
           : S_ISREG(m)  ? "a file"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
                         : "a device";
}

int guard_name(const char *path, guard_kind want, diag_ctx *d)
{
    struct stat st;
    if (sysio()->lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        diag_add(d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot examine: %s",
                 util_strerror(errno));
        return -1;
    }
    int ok = want == GUARD_DIR ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
    if (ok)
        return 1;
    if (S_ISLNK(st.st_mode))
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "is a symbolic link: khet follows no link inside an archive (someone may have planted it to make "
                 "khet write or delete elsewhere); nothing was changed: remove it");
    else
        diag_add(d, DIAG_ERROR, path, 0, 0, "is %s, where the archive keeps %s; nothing was changed",
                 kind_name(st.st_mode), want == GUARD_DIR ? "a folder" : "a regular file");
    return -1;
}

int guard_archive(const char *archive, const char *round_id, const char *stage, diag_ctx *d)
{
    static const char *const files[] = {".lock",          "ledger.sqlite",     "ledger.sqlite-journal",
                                        "ledger.sqlite-wal", "ledger.sqlite-shm", "ledger.head"};
    int bad = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *p = util_path_join(archive, files[i]);
        bad |= !p || guard_name(p, GUARD_FILE, d) < 0;
        free(p);
    }
    /* SCHEME, SCHEME/PERIOD-rN, and the staging folder */
    char *round = util_path_join(archive, round_id), *slash = round ? strrchr(round, '/') : NULL;
    if (!round || !slash) {
        diag_add(d, DIAG_SYSTEM, archive, 0, 0, "out of memory");
        free(round);
        return -1;
    }
    bad |= guard_name(round, GUARD_DIR, d) < 0;
    *slash = 0;
    if (strlen(round) > strlen(archive)) /* the round id has a scheme part */
        bad |= guard_name(round, GUARD_DIR, d) < 0;
    free(round);
    bad |= guard_name(stage, GUARD_DIR, d) < 0;
    return bad ? -1 : 0;
}

int guard_open_lock(const char *path)
{
    return sysio()->open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
}

int guard_clear_flat(const char *dir)
{
    int fd = sysio()->open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    DIR *dh = fdopendir(fd);
    if (!dh) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; (e = readdir(dh));) /* hidden temporaries too */
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && unlinkat(fd, e->d_name, 0) != 0)
            rc = -1; /* a folder inside is not ours: left, and so is dir */
    closedir(dh); /* closes fd */
    if (sysio()->rmdir(dir) != 0)
        rc = -1;
    return rc;
}

int guard_regular_input(const char *path, const char *what, diag_ctx *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot read the %s: %s", what,
                 util_strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read the %s: %s", what,
                 util_strerror(S_ISDIR(st.st_mode) ? EISDIR : UTIL_ENOTREG));
        return -1;
    }
    return 0;
}
