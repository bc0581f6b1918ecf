/* serve_work: the worker processes. A render (or archive, verify, history)
 * runs as `khet COMMAND ...` from the server's own binary: the very code
 * path of the command line, in a process of its own, so a failing or
 * crashing render cannot take the server down, and killing it on a timeout
 * leaves nothing behind (the command writes to a staging folder and moves
 * finished documents into place only).
 *
 * The queue is bounded: at most max_running workers at once, at most
 * max_waiting requests waiting for one; beyond that the answer is 503 at
 * once instead of an ever-growing backlog. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

extern char **environ;

void serve_queue_init(serve_queue *q, int max_running, int max_waiting, int timeout_s)
{
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->freed, NULL);
    q->running = q->waiting = 0;
    q->max_running = max_running;
    q->max_waiting = max_waiting;
    q->timeout_s = timeout_s;
}

/* Takes a worker slot: 0, or 503 when the queue is full or the server is
 * stopping. */
static int acquire(serve_ctx *c)
{
    serve_queue *q = &c->queue;
    int rc = 0;
    pthread_mutex_lock(&q->lock);
    if (q->running >= q->max_running && q->waiting >= q->max_waiting)
        rc = 503;
    else {
        q->waiting++;
        while (q->running >= q->max_running && !c->stopping)
            pthread_cond_wait(&q->freed, &q->lock);
        q->waiting--;
        if (c->stopping)
            rc = 503;
        else
            q->running++;
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

static void release(serve_ctx *c)
{
    pthread_mutex_lock(&c->queue.lock);
    c->queue.running--;
    pthread_cond_signal(&c->queue.freed);
    pthread_mutex_unlock(&c->queue.lock);
}

static int spawn(serve_ctx *c, char *const argv[], const char *out_file, const char *err_file, const int *fds, int nfds,
                 pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    if (posix_spawnattr_init(&at) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    /* the worker must see SIGTERM (the server blocks it in its threads) */
    sigset_t none, deflt;
    sigemptyset(&none);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGTERM);
    sigaddset(&deflt, SIGINT);
    sigaddset(&deflt, SIGPIPE);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &deflt);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    for (int i = 0; i < nfds; i++) /* dup2 clears close-on-exec on the copy only */
        posix_spawn_file_actions_adddup2(&fa, fds[i], 3 + i);
    /* argv[0] of the worker is the binary, then the command and its options */
    int n = 0;
    while (argv[n])
        n++;
    char **full = calloc((size_t)n + 2, sizeof *full);
    int rc = -1;
    if (full) {
        full[0] = c->exe;
        for (int i = 0; i < n; i++)
            full[i + 1] = argv[i];
        int e = EAGAIN;
        /* EAGAIN: the process or thread limit, shared with everything the user runs; wait a little */
        for (int tries = 0; e == EAGAIN && tries < 5; tries++) {
            if (tries)
                nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
            e = posix_spawn(pid, c->exe, &fa, &at, full, environ);
        }
        if (e)
            serve_log("worker %s: cannot start: %s", argv[0], strerror(e));
        rc = e ? -1 : 0;
        free(full);
    }
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Waits for the worker, killing it on the timeout or when the server stops. */
static int reap(serve_ctx *c, pid_t pid)
{
    struct timespec start, now, nap = {0, 5 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int st = 0;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 125; /* a crash: never 0 */
        if (r < 0 && errno != EINTR) {
            serve_log("worker %ld: waitpid: %s", (long)pid, strerror(errno));
            return -1;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (c->stopping || now.tv_sec - start.tv_sec >= c->queue.timeout_s) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            return 124;
        }
        nanosleep(&nap, NULL);
        if (nap.tv_nsec < 50 * 1000 * 1000)
            nap.tv_nsec *= 2; /* short renders answer at once, long ones cost little */
    }
}

int serve_run_fds(serve_ctx *c, char *const argv[], const char *out_file, const char *err_file, const int *fds, int n)
{
    if (acquire(c) != 0)
        return 503;
    pid_t pid;
    int rc = spawn(c, argv, out_file, err_file, fds, n, &pid) == 0 ? reap(c, pid) : -1;
    release(c);
    return rc;
}

int serve_run(serve_ctx *c, char *const argv[], const char *out_file, const char *err_file)
{
    return serve_run_fds(c, argv, out_file, err_file, NULL, 0);
}
