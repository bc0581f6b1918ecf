/* I/O faults, as SQLite tests them: during a full `khet render` of the
 * sample data, fail call 1, 2, ... of each system call in khet's I/O table
 * (src/sysio.h) in turn, and check that every run ends cleanly: exit 1
 * with an error message (or 0 when the failed call did not matter, e.g.
 * the scan for stale temporaries), the previous complete set of documents
 * untouched or, only when the failure hit the final move, each document
 * whole (old or new), and no temporary or staging folder left behind.
 * Leaks are caught by ASan (make test SANITIZE=1) and valgrind
 * (make test VALGRIND=1). A last pass delivers SIGTERM in the middle of
 * each document's write: the batch stops and nothing is replaced. Then
 * the region folders are taken to be another file system than the staging
 * folder (rename fails with EXDEV): the batch still replaces the whole set,
 * and each call of its final move is failed in turn too.
 *
 * This binary is linked with -Wl,--wrap=sysio: khet's code asks sysio() for
 * the table, and gets the one below, which forwards to the real one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "sysio.h"
#include "util.h"

const sysio_ops *__real_sysio(void);

/* Test-only state: which call of which operation fails, and the counts. */
enum { OP_OPEN, OP_FSTAT, OP_LSTAT, OP_READ, OP_WRITE, OP_FSYNC, OP_FCHMOD, OP_CLOSE, OP_RENAME,
       OP_MKDIR, OP_RMDIR, OP_UNLINK, OP_MKSTEMP, OP_MKDTEMP, OP_OPENDIR, NOPS };
static const char *const op_names[NOPS] = {"open",   "fstat", "lstat", "read",   "write",   "fsync",
                                           "fchmod", "close", "rename", "mkdir", "rmdir", "unlink",
                                           "mkstemp", "mkdtemp", "opendir"};
_Static_assert(NOPS == SYSIO_NOPS, "one test entry per sysio operation");
static long calls[NOPS];
static int fail_op = -1, signal_instead;
static long fail_at;

/* Whether this call must fail; with signal_instead, SIGTERM arrives instead. */
static int inject(int op)
{
    if (++calls[op] != fail_at || op != fail_op)
        return 0;
    if (signal_instead) {
        raise(SIGTERM);
        return 0;
    }
    errno = EIO;
    return 1;
}

static int f_open(const char *p, int fl, mode_t m) { return inject(OP_OPEN) ? -1 : __real_sysio()->open(p, fl, m); }
static int f_fstat(int fd, struct stat *st) { return inject(OP_FSTAT) ? -1 : __real_sysio()->fstat(fd, st); }
static int f_lstat(const char *p, struct stat *st) { return inject(OP_LSTAT) ? -1 : __real_sysio()->lstat(p, st); }
static ssize_t f_read(int fd, void *b, size_t n) { return inject(OP_READ) ? -1 : __real_sysio()->read(fd, b, n); }
static ssize_t f_write(int fd, const void *b, size_t n)
{
    return inject(OP_WRITE) ? -1 : __real_sysio()->write(fd, b, n);
}
static int f_fsync(int fd) { return inject(OP_FSYNC) ? -1 : __real_sysio()->fsync(fd); }
static int f_fchmod(int fd, mode_t m) { return inject(OP_FCHMOD) ? -1 : __real_sysio()->fchmod(fd, m); }
static int f_close(int fd)
{
    if (inject(OP_CLOSE)) {
        __real_sysio()->close(fd); /* a failed close still frees the descriptor on Linux */
        errno = EIO;
        return -1;
    }
    return __real_sysio()->close(fd);
}
/* cross_device: the output's region folders are another file system than
 * the staging folder (a mount point inside --out), so a rename out of the
 * staging folder fails with EXDEV, as the kernel's does; commit_at holds the
 * counts of the calls made before the first such rename (the final move). */
static int cross_device;
static long commit_at[NOPS];
static int f_rename(const char *a, const char *b)
{
    if (inject(OP_RENAME))
        return -1;
    if (cross_device && strstr(a, "/" UTIL_STAGE_PREFIX) && !strstr(b, "/" UTIL_STAGE_PREFIX)) {
        if (!commit_at[OP_RENAME])
            memcpy(commit_at, calls, sizeof calls);
        errno = EXDEV;
        return -1;
    }
    return __real_sysio()->rename(a, b);
}
static int f_mkdir(const char *p, mode_t m) { return inject(OP_MKDIR) ? -1 : __real_sysio()->mkdir(p, m); }
static int f_rmdir(const char *p) { return inject(OP_RMDIR) ? -1 : __real_sysio()->rmdir(p); }
static int f_unlink(const char *p) { return inject(OP_UNLINK) ? -1 : __real_sysio()->unlink(p); }
static int f_mkstemp(char *t) { return inject(OP_MKSTEMP) ? -1 : __real_sysio()->mkstemp(t); }
static char *f_mkdtemp(char *t) { return inject(OP_MKDTEMP) ? NULL : __real_sysio()->mkdtemp(t); }
static DIR *f_opendir(const char *p) { return inject(OP_OPENDIR) ? NULL : __real_sysio()->opendir(p); }

static const sysio_ops faulty = {f_open,  f_fstat, f_lstat,  f_read,   f_write,   f_fsync,   f_fchmod, f_close,
                                 f_rename, f_mkdir, f_rmdir, f_unlink, f_mkstemp, f_mkdtemp, f_opendir};
const sysio_ops *__wrap_sysio(void);
const sysio_ops *__wrap_sysio(void) { return &faulty; }

/* ------------------------------------------------------------------ */

static char root[64];
#define MAXDOCS 64
typedef struct {
    char *name[MAXDOCS]; /* relative to the output folder */
    char *bytes[MAXDOCS];
    size_t len[MAXDOCS];
    int n;
} doc_set;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return sb_finish(&b);
}

/* Every file under dir (recursively), with its bytes; names of our
 * temporaries count too, so that a left-over one is seen. */
static void collect(const char *dir, const char *rel, doc_set *s)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = util_path_join(dir, e->d_name);
        char *r = rel[0] ? util_format("%s/%s", rel, e->d_name) : util_strdup(e->d_name);
        struct stat st;
        assert_int_equal(lstat(p, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            collect(p, r, s);
            free(r);
        } else {
            assert_true(s->n < MAXDOCS);
            s->name[s->n] = r;
            s->bytes[s->n] = slurp(p, &s->len[s->n]);
            s->n++;
        }
        free(p);
    }
    closedir(d);
}

static void set_free(doc_set *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->name[i]);
        free(s->bytes[i]);
    }
    s->n = 0;
}

static int find(const doc_set *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->name[i], name))
            return i;
    return -1;
}

static int same(const doc_set *a, int i, const doc_set *b, int j)
{
    return j >= 0 && a->len[i] == b->len[j] && !memcmp(a->bytes[i], b->bytes[j], a->len[i]);
}

/* One whole `khet render` into `out`, every kind of document (one
 * scorecard, to keep the run short); its messages go to `log`. */
static int render(const char *out, const char *date, const char *log)
{
    char *argv[] = {"render", "--out", (char *)out, "--date", (char *)date, "--province", "41", NULL};
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
    int rc = cmd_render(7, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    return rc;
}

static void copy_tree(const char *from, const char *to)
{
    char *cmd = util_format("rm -rf '%s' && cp -a '%s' '%s'", to, from, to);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static int log_has_error(const char *log)
{
    size_t n;
    char *t = slurp(log, &n);
    int has = t && strstr(t, "error:");
    free(t);
    return has;
}

static void test_every_io_call_fails_cleanly(void **st)
{
    (void)st;
    snprintf(root, sizeof root, "/tmp/khet-faults-XXXXXX");
    assert_non_null(mkdtemp(root));
    char *old = util_format("%s/old", root), *newer = util_format("%s/new", root), *out = util_format("%s/out", root);
    char *log = util_format("%s/log", root);
    /* the previous complete set (one date) and what the next run makes (another) */
    fail_op = -1;
    assert_int_equal(render(old, "2563-10-15", log), 0);
    assert_int_equal(render(newer, "2563-11-20", log), 0);
    doc_set A = {0}, B = {0};
    collect(old, "", &A);
    collect(newer, "", &B);
    assert_int_equal(A.n, 4);
    assert_int_equal(A.n, B.n);
    for (int i = 0; i < A.n; i++)
        assert_false(same(&A, i, &B, find(&B, A.name[i]))); /* the date is on every page */
    /* a clean run counts the calls of each operation */
    copy_tree(old, out);
    memset(calls, 0, sizeof calls);
    assert_int_equal(render(out, "2563-11-20", log), 0);
    long total[NOPS];
    memcpy(total, calls, sizeof calls);
    /* the region folders on another file system: the documents are copied
     * beside their places before any is replaced; the same new set */
    copy_tree(old, out);
    memset(calls, 0, sizeof calls);
    memset(commit_at, 0, sizeof commit_at);
    cross_device = 1;
    assert_int_equal(render(out, "2563-11-20", log), 0);
    cross_device = 0;
    long total_x[NOPS], before_commit[NOPS];
    memcpy(total_x, calls, sizeof calls);
    memcpy(before_commit, commit_at, sizeof commit_at);
    assert_true(before_commit[OP_RENAME] > 0); /* the EXDEV path was taken */
    doc_set X = {0};
    collect(out, "", &X);
    assert_int_equal(X.n, B.n);
    for (int i = 0; i < X.n; i++)
        if (!same(&X, i, &B, find(&B, X.name[i])))
            fail_msg("across file systems, %s is not the new document", X.name[i]);
    set_free(&X);
    long runs = 0, harmless = 0;
    /* KHET_FAULTS_STEP=k fails every k-th call only (for valgrind's pace) */
    long step = getenv("KHET_FAULTS_STEP") ? atol(getenv("KHET_FAULTS_STEP")) : 1;
    if (step < 1)
        step = 1;
    for (int pass = 0; pass < 3; pass++)
        for (int op = 0; op < NOPS; op++) {
            if (pass == 1 && op != OP_WRITE)
                continue; /* pass 1: SIGTERM during each document's write */
            /* pass 2: across file systems, calls of the final move (the
             * copies beside the documents' places, then the renames): every
             * 4th of each operation, from its first (the same calls repeat
             * for each document; FULL=1 stays within check-all's time) */
            long first = pass == 2 ? before_commit[op] + 1 : 1, last = pass == 2 ? total_x[op] : total[op];
            for (long n = first; n <= last; n += pass == 2 ? 4 * step : step) {
                copy_tree(old, out);
                memset(calls, 0, sizeof calls);
                fail_op = op;
                fail_at = n;
                signal_instead = pass == 1;
                cross_device = pass == 2;
                int rc;
                if (signal_instead) { /* in a child: the flag a signal sets is never cleared */
                    fflush(stdout);
                    pid_t pid = fork();
                    assert_true(pid >= 0);
                    if (pid == 0)
                        _exit(render(out, "2563-11-20", log));
                    int status = 0;
                    assert_int_equal(waitpid(pid, &status, 0), pid);
                    assert_true(WIFEXITED(status));
                    rc = WEXITSTATUS(status);
                } else {
                    rc = render(out, "2563-11-20", log);
                }
                fail_op = -1;
                cross_device = 0;
                runs++;
                doc_set C = {0};
                collect(out, "", &C);
                if (rc == 0 && !signal_instead) { /* the failed call did not matter: the new set, whole */
                    harmless++;
                    if (C.n != B.n)
                        fail_msg("pass %d: %s call %ld failed, exit 0, but %d files (%s ...)", pass, op_names[op], n, C.n, C.name[0]);
                    for (int i = 0; i < C.n; i++)
                        if (!same(&C, i, &B, find(&B, C.name[i])))
                            fail_msg("%s call %ld failed, exit 0, and %s is not the new document", op_names[op], n,
                                     C.name[i]);
                    set_free(&C);
                    continue;
                }
                if (rc != EXIT_RUNTIME)
                    fail_msg("%s call %ld %s: exit %d, wanted 1", op_names[op], n,
                             signal_instead ? "got SIGTERM" : "failed", rc);
                if (!log_has_error(log))
                    fail_msg("%s call %ld failed without an error message", op_names[op], n);
                if (C.n != A.n)
                    fail_msg("%s call %ld failed and left %d files, not %d (a temporary?)", op_names[op], n, C.n, A.n);
                int replaced = 0;
                for (int i = 0; i < C.n; i++) {
                    int a = find(&A, C.name[i]), b = find(&B, C.name[i]);
                    if (same(&C, i, &B, b))
                        replaced++;
                    else if (!same(&C, i, &A, a))
                        fail_msg("%s call %ld failed and %s is neither the old nor the new document",
                                 op_names[op], n, C.name[i]);
                }
                /* only a failure in the final move may leave some documents new */
                if (replaced && op != OP_RENAME && op != OP_FSYNC && op != OP_OPEN && op != OP_CLOSE)
                    fail_msg("%s call %ld failed and %d documents were replaced anyway", op_names[op], n,
                             replaced);
                set_free(&C);
            }
        }
    printf("faults: %ld runs (", runs);
    for (int op = 0; op < NOPS; op++)
        printf("%s%s %ld", op ? ", " : "", op_names[op], total[op]);
    long xcalls = 0;
    for (int op = 0; op < NOPS; op++)
        xcalls += total_x[op] - before_commit[op];
    printf(" calls in a clean run; %ld in the move across file systems); %ld failures did not matter\n", xcalls,
           harmless);
    set_free(&A);
    set_free(&B);
    free(old);
    free(newer);
    free(out);
    free(log);
}

/* The scratch folder goes even when a check failed midway. */
static int remove_root(void **st)
{
    (void)st;
    if (root[0]) {
        char *cmd = util_format("rm -rf '%s'", root);
        if (cmd && system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", root);
        free(cmd);
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_every_io_call_fails_cleanly, remove_root)};
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
