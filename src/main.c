/* main: dispatches `khet COMMAND` to the command table, and owns what every
 * command's standard streams need: a closed descriptor 0-2 is taken by a
 * placeholder (so no file khet opens becomes "stdout"), a reader that has
 * gone is an ordinary write error (SIGPIPE ignored: EPIPE), and a write to
 * stdout that failed (closed, full disk, closed pipe) makes the status 1. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "region.h"
#include "version.h"

static const cli_command commands[] = {
    {"init", "make a working data folder and schemes for a health region and year", cmd_init},
    {"new-year", "carry a data folder and its schemes into the next fiscal year", cmd_new_year},
    {"check", "read and validate a data folder, reporting every problem", cmd_check},
    {"score", "score the provinces of a region against a scheme", cmd_score},
    {"typeset", "set a Thai text file on A4 pages (checks the Thai engine)", cmd_typeset},
    {"fonts", "list the Thai fonts khet can use, with the file of each face", cmd_fonts},
    {"render", "render the PDF reports", cmd_render},
    {"archive", "file a signed-off round: signed PDF/A-3 documents and the ledger", cmd_archive},
    {"verify", "check an archive: checksums, signatures, ledger, sources, re-render", cmd_verify},
    {"history", "list the signed-off rounds and a province's results across them", cmd_history},
    {"serve", "serve the web application: check, score and render in a browser", cmd_serve},
};

static void usage(FILE *out)
{
    fputs("usage: khet COMMAND [options]\n       khet COMMAND --help\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\noptions:\n  -h, --help     this help\n  -V, --version  print the version\n", out);
}

/* A closed 0, 1 or 2 gets /dev/null opened the wrong way round: reads of
 * stdin and writes to stdout then fail (EBADF) instead of reaching a file
 * khet opened later under that number. */
static void hold_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (n >= 0 && n != fd) { /* cannot happen: the lowest free number is fd */
                dup2(n, fd);
                close(n);
            }
        }
}

/* Every command's output reached stdout, or the status says it did not. */
static int finish_stdout(int status)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    int e = errno;
    fprintf(stderr, "khet: error: cannot write to standard output: %s\n", strerror(e ? e : EIO));
    return EXIT_RUNTIME;
}

/* The heap's first HEAP_HUGE bytes in 2 MiB pages where the kernel offers
 * them (transparent huge pages, "madvise" or "always"). A render touches
 * ~6 MB of heap it allocates afresh, and each 4 KiB page of it first
 * costs a fault, ~2 us of kernel time (zeroing, accounting): 1,300 of a
 * 15-row render's 1,750 faults and about a tenth of its CPU. In 2 MiB
 * pages that is a handful of faults. The range is reserved by one
 * allocation from the heap's top and freed again: what comes after is
 * carved from it. The part of it below the first 2 MiB boundary (where the
 * heap begins is random) is held by a block never touched, so that the
 * allocations begin at the boundary, in huge pages; main frees it last.
 * Buffers up to 32 MiB come from the heap too (a fresh mmap per buffer
 * faulted every page in again). Where the kernel has no huge pages the
 * advice is ignored: the same program, as before. Not for `serve`, which
 * lives long and whose threads allocate from arenas of their own.
 * Returns the block to free, or NULL. */
#define HEAP_HUGE (16u << 20)
static void *heap_in_huge_pages(void)
{
    const uintptr_t huge = 2u << 20;
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    char *p = malloc(HEAP_HUGE);
    if (!p)
        return NULL; /* only slower */
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), b = ((uintptr_t)p + HEAP_HUGE) & ~(huge - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE); /* advice: refused is as before */
    free(p);
    /* the same address again from the heap's top: up to 32 bytes short of
     * the boundary (the next block's header goes just below it) */
    return a - (uintptr_t)p > 64 ? malloc(a - (uintptr_t)p - 32) : NULL;
}

static int run(int argc, char **argv)
{
    hold_std_fds();
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return finish_stdout(EXIT_OK);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("khet %s\n", KHET_VERSION);
        return finish_stdout(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return finish_stdout(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "khet: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_INPUT;
}

int main(int argc, char **argv)
{
    /* A run is short and allocates in waves (a document, then the next):
     * memory freed is kept for the next wave instead of going back to the
     * kernel and faulting in again (16 % fewer page faults a render). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    void *below = argc < 2 || strcmp(argv[1], "serve") != 0 ? heap_in_huge_pages() : NULL;
    int status = run(argc, argv);
    free(below);
    return status;
}
