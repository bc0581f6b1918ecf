/* sysio: the system calls khet's own file I/O makes, in one table.
 *
 * Every open, read, write, fsync, rename, mkdir, ... of khet's code goes
 * through sysio() (SQLite's approach with its VFS syscall table), so that
 * tests/test_faults.c can fail each call in turn during a full render and
 * check that khet stops cleanly. In khet itself the table is a `static const`:
 * no mutable global. The test replaces sysio() at link time
 * (-Wl,--wrap=sysio), as tests/test_oom.c replaces malloc; passing a table
 * through a context instead would have changed the signature of every
 * reading and writing function in reader, settings, model, scheme, reports,
 * pdf and export for the sake of a test.
 *
 * Not covered: files that libraries open themselves (libharu reads the
 * fonts, libxlsxwriter writes its workbook to the temporary name we give it).
 *
 * Also owns the one flag a signal handler may set (SIGINT/SIGTERM): the
 * render loop asks sysio_interrupted() between documents and before it
 * moves anything into place. */
#ifndef KHET_SYSIO_H
#define KHET_SYSIO_H

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct {
    int (*open)(const char *path, int flags, mode_t mode);
    int (*fstat)(int fd, struct stat *st);
    int (*lstat)(const char *path, struct stat *st);
    ssize_t (*read)(int fd, void *buf, size_t n);
    ssize_t (*write)(int fd, const void *buf, size_t n);
    int (*fsync)(int fd);
    int (*fchmod)(int fd, mode_t mode);
    int (*close)(int fd);
    int (*rename)(const char *from, const char *to);
    int (*mkdir)(const char *path, mode_t mode);
    int (*rmdir)(const char *path);
    int (*unlink)(const char *path);
    int (*mkstemp)(char *template_); /* template ends in XXXXXX */
    char *(*mkdtemp)(char *template_);
    DIR *(*opendir)(const char *path);
} sysio_ops;

#define SYSIO_NOPS 15 /* entries of sysio_ops, for the fault-injection test */

const sysio_ops *sysio(void);

/* Installs handlers for SIGINT and SIGTERM that only set a flag. */
void sysio_catch_signals(void);
int sysio_interrupted(void);

#endif
