#define _GNU_SOURCE /* mkostemp, for O_CLOEXEC on temporaries */
#include "sysio.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sys_open(const char *path, int flags, mode_t mode) { return open(path, flags | O_CLOEXEC, mode); }
static char *sys_mkdtemp(char *t) { return mkdtemp(t); }
static int sys_mkstemp(char *t) { return mkostemp(t, O_CLOEXEC); }

static const sysio_ops real_ops = {sys_open, fstat, lstat,  read,   write,       fsync,       fchmod, close,
                                   rename,   mkdir, rmdir,  unlink, sys_mkstemp, sys_mkdtemp, opendir};

const sysio_ops *sysio(void) { return &real_ops; }

/* The one piece of global mutable state khet has, forced on it: a signal
 * handler can do nothing but set a volatile sig_atomic_t. The handler only
 * sets it; the render loop asks and cleans up. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

void sysio_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* calls in progress finish; the flag is checked after */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sysio_interrupted(void) { return interrupted != 0; }
_Static_assert(sizeof(sysio_ops) == SYSIO_NOPS * sizeof(int (*)(void)), "SYSIO_NOPS counts the table");
