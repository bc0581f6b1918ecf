/* lite: what `khet` (the binary most commands start) has in place of the
 * modules that need qpdf, SQLite, OpenSSL, libmicrohttpd and argon2.
 *
 * Loading and relocating those libraries (and GnuTLS, p11-kit and the rest
 * they pull in) cost about 5 ms of CPU at every start (half of `khet
 * --version`, a tenth of a 15-row render), and only `archive`, `verify`, `history`, `serve` and a render
 * beside a signed-off ledger (the monthly handout compares with it) use
 * them. The same for libzip, libxml2 and libxlsxwriter, which pull in
 * OpenSSL again: only data in an Excel workbook and `score --format xlsx`
 * use them. So `khet` is built without them, and runs khet-full, the same
 * program with every module, for those: the same command line, the same
 * streams, the same process (exec). khet-full is found beside khet (in the
 * build folder, or PREFIX/bin wherever the installed tree was copied: it
 * finds the templates, fonts and web pages the way khet does), else at the
 * compiled-in KHET_FULL.
 *
 * Built into build/khet only (the Makefile's LITE_OBJ); the tests and
 * khet-full link the real modules. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "export.h"
#include "util.h"
#include "workbook.h"

#ifndef KHET_FULL
#define KHET_FULL "/usr/local/bin/khet-full"
#endif

#define FULL_MAX (PATH_MAX + 64)

/* The path of khet-full into buf (FULL_MAX bytes): beside this binary, else
 * the compiled-in one. */
static void full_path(char *buf)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = len > 0 ? (exe[len] = 0, strrchr(exe, '/')) : NULL;
    if (slash) {
        snprintf(buf, FULL_MAX, "%.*s/khet-full", (int)(slash - exe), exe);
        if (access(buf, X_OK) == 0)
            return;
    }
    snprintf(buf, FULL_MAX, "%s", KHET_FULL);
}

/* Runs `khet-full COMMAND ARGS...` in this process (argv[0] is COMMAND);
 * returns only when it cannot (status 1, said why). */
static int run_full(int argc, char **argv)
{
    char path[FULL_MAX];
    full_path(path);
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        fputs("khet: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    args[0] = path;
    memcpy(args + 1, argv, (size_t)argc * sizeof *args);
    fflush(stdout);
    fflush(stderr);
    execv(path, args);
    fprintf(stderr,
            "khet: error: cannot run %s: %s (khet %s runs in khet-full, the khet built with qpdf, SQLite and "
            "OpenSSL: `make` builds it beside khet, `make install` installs it)\n",
            path, strerror(errno), argv[0]);
    free(args);
    return EXIT_RUNTIME;
}

int cmd_archive(int argc, char **argv) { return run_full(argc, argv); }
int cmd_verify(int argc, char **argv) { return run_full(argc, argv); }
int cmd_history(int argc, char **argv) { return run_full(argc, argv); }
int cmd_serve(int argc, char **argv) { return run_full(argc, argv); }

/* A render beside a ledger runs in khet-full: the monthly handout reads the
 * last signed-off month from it (and checks the ledger first). */
int cli_render_needs_full(const char *archive_dir, int argc, char **argv)
{
    char *path = archive_dir ? util_path_join(archive_dir, "ledger.sqlite") : NULL;
    int have = path && access(path, F_OK) == 0;
    free(path);
    return have ? run_full(argc, argv) : 0;
}

/* Data in a workbook, or a workbook to write: khet-full, which has libzip,
 * libxml2 and libxlsxwriter (and the OpenSSL they pull in: 4,000 symbol
 * relocations, about half of what starting khet cost). */
int cli_data_needs_full(const char *data_path, int xlsx_out, int argc, char **argv)
{
    char *book = data_path && !xlsx_out ? workbook_find(data_path) : NULL;
    int want = xlsx_out || (book && book[0]); /* "": two workbooks, which khet itself reports */
    free(book);
    return want ? run_full(argc, argv) : 0;
}

/* Never reached with a workbook (cli_data_needs_full ran khet-full first):
 * a workbook that appeared since is reported, not read. */
workbook *workbook_open(const char *path, diag_ctx *d)
{
    diag_add(d, DIAG_ERROR, path, 0, 0, "a workbook appeared in the data folder while khet started: run again");
    return NULL;
}

void workbook_free(workbook *wb) { (void)wb; }
const char *workbook_path(const workbook *wb) { return wb ? "" : NULL; }
int workbook_has(const workbook *wb, const char *file) { return (void)wb, (void)file, 0; }
reader_table *workbook_table(const workbook *wb, const char *file, diag_ctx *d)
{
    return (void)wb, (void)file, (void)d, NULL;
}
int workbook_settings(const workbook *wb, settings_fn fn, void *user, const char *const *known, diag_ctx *d)
{
    return (void)wb, (void)fn, (void)user, (void)known, (void)d, -1;
}

/* Never reached: `score --format xlsx` ran khet-full first. */
int export_xlsx(const score_result *r, const export_opts *o, const char *path, diag_ctx *d)
{
    (void)r, (void)o;
    diag_add(d, DIAG_SYSTEM, path, 0, 0, "khet writes workbooks through khet-full");
    return -1;
}

/* Never reached with a ledger (cli_render_needs_full ran khet-full): there
 * is no signed-off month without one. A ledger that appeared since is
 * reported, not ignored. */
int archive_last_month(const char *archive_dir, const char *scheme, int region, reader_date before,
                       report_signed_month *out, diag_ctx *d)
{
    (void)scheme, (void)region, (void)before;
    memset(out, 0, sizeof *out);
    char *path = util_path_join(archive_dir, "ledger.sqlite");
    int have = path && access(path, F_OK) == 0;
    free(path);
    if (have)
        diag_add(d, DIAG_ERROR, archive_dir, 0, 0, "a ledger appeared in the archive while rendering: run again");
    return have ? -1 : 0;
}

void archive_month_free(report_signed_month *s) { memset(s, 0, sizeof *s); }
