/* render_batch: a batch of documents rendered all or nothing: planned
 * into a staging folder inside --out, rendered there (shared among worker
 * processes with --jobs, forked after the data are loaded and scored),
 * moved into place only when every document succeeded. Booklets bind the
 * documents planned for one region folder.
 */
#include "render_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inspection.h"
#include "layout.h"
#include "pdf.h"
#include "sysio.h"
#include "util.h"

int batch_add(job_list *jl, const char *name, report_data rd, const char *reldir, const char *file)
{
    if (!file)
        return -1;
    render_job *v = realloc(jl->v, ((size_t)jl->n + 1) * sizeof *v);
    if (!v)
        return -1;
    jl->v = v;
    char *path = util_format("%s/%s/%s", jl->out, reldir, file);
    char *stage = util_format("%s/%s/%s", jl->stage, reldir, file);
    if (!path || !stage) {
        free(path);
        free(stage);
        return -1;
    }
    jl->v[jl->n++] = (render_job){name, rd, path, stage, reldir, NULL, 0, NULL};
    return 0;
}

/* Renders the jobs into the staging folder, each worker taking the next
 * job not taken (*next, shared by the workers) until none is left: the
 * documents differ in size, and a worker that finishes early takes more
 * (the bytes of a document do not depend on which worker writes it). A
 * counter on a terminal. Stops at the first failure or when SIGINT/SIGTERM
 * came. */
static int run_share(const job_list *jl, atomic_int *next, int workers, const report_opts *ro, diag_ctx *d)
{
    int rc = 0, done = 0;
    /* the texts of one worker's documents are shaped and broken once for all of them */
    pdf_shapes *shapes = workers * 2 <= jl->n ? pdf_shapes_new() : NULL;
    layout_memo *memo = workers * 2 <= jl->n ? layout_memo_new() : NULL;
    for (int i = atomic_fetch_add(next, 1); i < jl->n && !rc; i = atomic_fetch_add(next, 1)) {
        if (sysio_interrupted()) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "interrupted: no document was replaced");
            rc = -1;
            break;
        }
        const render_job *j = &jl->v[i];
        report_opts mine = *ro;
        mine.shapes = shapes;
        mine.memo = memo;
        mine.staged = 1; /* into the staging folder: batch_commit moves it and syncs its destination */
        if (j->signed_month) /* the region's own last signed-off month (a national batch) */
            mine.signed_month = j->signed_month;
        rc = j->parts ? booklet_render(j->parts, j->nparts, &j->rd, &mine, j->stage, d)
                      : report_render(j->name, &j->rd, &mine, j->stage, d);
        if (rc == 0 && isatty(2))
            fprintf(stderr, "\r%d/%d documents", i + 1, jl->n);
        done += rc == 0;
    }
    if (isatty(2) && done)
        fputc('\n', stderr);
    pdf_shapes_free(shapes);
    layout_memo_free(memo);
    return rc;
}

/* With --jobs N > 1 the documents are shared among N child processes; each
 * reports its own problems. Returns 0 when every document was written. */
int batch_run(const job_list *jl, int njobs, const report_opts *ro, diag_ctx *d)
{
    atomic_int first = 0;
    /* several documents reach most of libthai's dictionary: it is opened
     * whole, once, before the workers fork, so that they share it (one
     * document opens only the part its texts reach, thai_subset.c) */
    if (jl->n > 1)
        thai_words_open_veto(ro->words);
    if (njobs <= 1 || jl->n <= 1)
        return run_share(jl, &first, 1, ro, d);
    if (njobs > jl->n)
        njobs = jl->n;
    /* the next job to take, in memory the forked workers share */
    atomic_int *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (next == MAP_FAILED)
        return run_share(jl, &first, 1, ro, d); /* one process renders them all */
    atomic_init(next, 0);
    pid_t *pids = malloc((size_t)njobs * sizeof *pids);
    int started = 0, failed = !pids;
    fflush(stdout);
    fflush(stderr);
    for (int w = 0; pids && w < njobs; w++) {
        pid_t pid = fork();
        if (pid < 0) {
            failed = 1;
            break;
        }
        if (pid == 0) {
            diag_ctx *mine = diag_new();
            int rc = mine ? run_share(jl, next, njobs, ro, mine) : -1;
            if (mine)
                diag_print(mine, stderr);
            int status = rc ? (mine && diag_errors(mine) ? 2 : 1) : 0;
            diag_free(mine); /* _exit runs no cleanup: the worker's own diagnostics go here */
            fflush(stdout);
            _exit(status);
        }
        pids[started++] = pid;
    }
    int worst = 0;
    for (int i = 0; i < started; i++) {
        int st = 0;
        if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st))
            worst = worst < 1 ? 1 : worst;
        else if (WEXITSTATUS(st) > worst)
            worst = WEXITSTATUS(st);
    }
    free(pids);
    munmap(next, sizeof *next);
    if (failed)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "cannot start a worker process");
    if (worst == 2)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "some documents were not rendered (see the messages above)");
    return failed || worst ? -1 : 0;
}

/* Copies the staged document `from` into the fresh temporary `to` (ours,
 * from util_temp_beside) and syncs it. 0 or -1 with errno. */
static int copy_into(const char *from, const char *to)
{
    const sysio_ops *io = sysio();
    int in = io->open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
    if (in < 0)
        return -1;
    int out = io->open(to, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0);
    int ok = out >= 0, e = errno;
    char buf[1 << 16];
    for (ssize_t n; ok && (n = io->read(in, buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        for (ssize_t off = 0; ok && n > 0 && off < n;) {
            ssize_t w = io->write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            ok = w > 0;
            off += w > 0 ? w : 0;
        }
        ok = ok && n > 0;
        e = ok ? e : errno;
    }
    if (ok && io->fsync(out) != 0) {
        ok = 0;
        e = errno;
    }
    if (out >= 0 && io->close(out) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    io->close(in);
    errno = e;
    return ok ? 0 : -1;
}

/* Brings one staged document into its destination folder under a fresh
 * temporary name of our own (.khet-tmp-PID-XXXXXX, removed by the next run
 * if this one is killed): a rename where the staging folder and the
 * destination share a file system; a synced copy where the destination
 * folder is another file system mounted inside --out, which rename cannot
 * cross (EXDEV). The final move is then a rename within one folder.
 * Returns the temporary, or NULL with errno set. */
static char *bring_beside(const render_job *j)
{
    char *tmp = util_temp_beside(j->path);
    if (!tmp)
        return NULL;
    if (sysio()->rename(j->stage, tmp) == 0)
        return tmp;
    int e = errno;
    if (e == EXDEV && copy_into(j->stage, tmp) == 0) {
        sysio()->unlink(j->stage); /* as a rename would; else the staging folder's removal takes it */
        return tmp;
    }
    e = e == EXDEV ? errno : e;
    sysio()->unlink(tmp);
    free(tmp);
    errno = e;
    return NULL;
}

/* Moves every finished document from the staging folder into place and
 * prints its path. Only called when the whole batch rendered. First every
 * document is brought beside its place (bring_beside: across file systems
 * too); only then is anything replaced, each by a rename within its folder,
 * so each file is replaced whole, never half-written, and a failure before
 * that point replaces nothing. A rename failing midway (the disk, not the
 * input) is reported with what was and was not replaced. 0 or -1. */
int batch_commit(const job_list *jl, diag_ctx *d)
{
    char **from = calloc(jl->n > 0 ? (size_t)jl->n : 1, sizeof *from);
    if (!from) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory: no document was replaced");
        return -1;
    }
    int rc = 0, moved = 0;
    for (int i = 0; i < jl->n && !rc; i++) {
        if (sysio_interrupted()) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "interrupted: no document was replaced");
            rc = -1;
        } else if (!(from[i] = bring_beside(&jl->v[i]))) {
            diag_add(d, DIAG_SYSTEM, jl->v[i].path, 0, 0,
                     "cannot bring the new document into its folder: %s; no document was replaced",
                     util_strerror(errno));
            rc = -1;
        }
    }
    for (int i = 0; i < jl->n && !rc; i++) {
        if (sysio_interrupted() && moved == 0) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "interrupted: no document was replaced");
            rc = -1;
        } else if (sysio()->rename(from[i], jl->v[i].path) != 0) {
            diag_add(d, DIAG_SYSTEM, jl->v[i].path, 0, 0,
                     "cannot move the new document into place: %s; %d of %d documents were replaced "
                     "(those printed above), the others are unchanged",
                     util_strerror(errno), moved, jl->n);
            rc = -1;
        } else {
            free(from[i]);
            from[i] = NULL;
            moved++;
            printf("%s\n", jl->v[i].path);
        }
    }
    for (int i = 0; i < jl->n; i++) { /* the temporaries a failure left */
        if (from[i])
            sysio()->unlink(from[i]);
        free(from[i]);
    }
    free(from);
    if (rc)
        return -1;
    fflush(stdout);
    /* make the renames durable: fsync each destination folder once */
    for (int i = 0; i < jl->n; i++) {
        int seen = 0;
        const char *slash = strrchr(jl->v[i].path, '/');
        size_t n = (size_t)(slash - jl->v[i].path);
        for (int k = 0; k < i && !seen; k++)
            seen = !strncmp(jl->v[k].path, jl->v[i].path, n + 1) && !strchr(jl->v[k].path + n + 1, '/');
        char *dir = seen ? NULL : util_strndup(jl->v[i].path, n);
        if (!seen && (!dir || util_fsync_dir(dir) != 0)) {
            diag_add(d, DIAG_SYSTEM, dir ? dir : jl->out, 0, 0, "cannot sync the output folder: %s",
                     util_strerror(dir ? errno : ENOMEM));
            free(dir);
            return -1;
        }
        free(dir);
    }
    return 0;
}

/* Makes OUT/reldir (refusing symbolic links inside --out) and the same
 * folders in the staging folder; clears stale temporaries there. */
int batch_make_dirs(const job_list *jl, const char *reldir, diag_ctx *d)
{
    char *bad = NULL;
    int rc = util_mkdirs_below(jl->out, reldir, &bad);
    if (rc != 0) {
        diag_add(d, DIAG_SYSTEM, bad ? bad : jl->out, 0, 0,
                 "cannot create the output folder: %s", util_strerror(errno));
        free(bad);
        return -1;
    }
    char *dir = util_path_join(jl->out, reldir);
    if (dir)
        util_clean_stale(dir);
    free(dir);
    if (util_mkdirs_below(jl->stage, reldir, NULL) != 0) {
        diag_add(d, DIAG_SYSTEM, jl->stage, 0, 0, "cannot create the staging folder: %s", util_strerror(errno));
        return -1;
    }
    return 0;
}

/* The order of a booklet: the inspection report, the region summary, the
 * provinces' scorecards, the monthly handout. */
static int bound_order(const char *name)
{
    static const char *const order[] = {"kpi", "summary", "scorecard", "monthly"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(order[i], name))
            return i;
    return 4;
}

void batch_free_job(render_job *j)
{
    free(j->path);
    free(j->stage);
    free(j->parts);
}

/* One booklet of the documents planned into folder reldir, named for the
 * inspection round its data fall in (booklet-round2.pdf); 0 or -1. */
static int bind_one(job_list *jl, const render_job *docs, int ndocs, const char *reldir)
{
    booklet_part *parts = malloc((size_t)ndocs * sizeof *parts);
    report_data front = {.province = -1};
    int n = 0;
    for (int k = 0; parts && k <= 4; k++) /* stable: scorecards keep the region's order */
        for (int i = 0; i < ndocs; i++)
            if (!strcmp(docs[i].reldir, reldir) && bound_order(docs[i].name) == k) {
                parts[n++] = (booklet_part){docs[i].name, docs[i].rd};
                front.kpi = front.kpi ? front.kpi : docs[i].rd.kpi;
                front.finance = front.finance ? front.finance : docs[i].rd.finance;
            }
    const score_result *r = front.kpi ? front.kpi : front.finance;
    char *file = parts && r ? util_format("booklet-round%d.pdf",
                                          inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month))
                            : NULL;
    int rc = file ? batch_add(jl, "booklet", front, reldir, file) : -1;
    free(file);
    if (rc != 0) {
        free(parts);
        return -1;
    }
    jl->v[jl->n - 1].parts = parts;
    jl->v[jl->n - 1].nparts = n;
    return 0;
}

/* --report booklet: the documents planned become one booklet per region
 * folder (Region 8's finance documents, Region 12's inspection report and
 * handout; one booklet when both schemes are for the same region). */
int batch_bind_booklets(job_list *jl)
{
    render_job *docs = jl->v;
    int ndocs = jl->n, rc = 0;
    jl->v = NULL;
    jl->n = 0;
    for (int i = 0; i < ndocs && !rc; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = !strcmp(docs[k].reldir, docs[i].reldir);
        if (!seen)
            rc = bind_one(jl, docs, ndocs, docs[i].reldir);
    }
    for (int i = 0; i < ndocs; i++)
        batch_free_job(&docs[i]);
    free(docs);
    return rc;
}

/* Makes --out, removes what an earlier run killed midway left there, and
 * creates this batch's staging folder inside it. SIGINT and SIGTERM from
 * now on only set a flag: the batch stops between documents and cleans up. */
int batch_start(job_list *jl, const char *out, diag_ctx *d)
{
    jl->out = out;
    if (util_mkdirs(out) != 0) {
        diag_add(d, DIAG_SYSTEM, out, 0, 0,
                 "cannot create the output folder: %s", util_strerror(errno));
        return -1;
    }
    util_clean_stale(out);
    char *t = util_format("%s/" UTIL_STAGE_PREFIX "%ld-XXXXXX", out, (long)getpid());
    if (!t || !sysio()->mkdtemp(t)) {
        diag_add(d, DIAG_SYSTEM, out, 0, 0, "cannot create a staging folder: %s", util_strerror(t ? errno : ENOMEM));
        free(t);
        return -1;
    }
    jl->stage = t;
    sysio_catch_signals();
    return 0;
}

