/* cli: what every command shares: turning diagnostics into an exit status,
 * and where the binary finds its templates and fonts.
 *
 * Templates and fonts: the source tree's own
 * folders when run from it, otherwise PREFIX/share/khet next to the
 * installed binary (found through /proc/self/exe, so a `make install` to any
 * PREFIX works without rebuilding), otherwise the compiled-in KHET_SHARE. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef KHET_SHARE
#define KHET_SHARE "/usr/local/share/khet"
#endif

/* Writes BINDIR/../share/khet/SUB into buf if that folder exists. */
static int beside_binary(const char *sub, char *buf, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0; /* BINDIR */
    snprintf(buf, n, "%s/../share/khet/%s", exe, sub);
    return access(buf, R_OK) == 0 ? 0 : -1;
}

static const char *find(const char *local, const char *probe, const char *sub, char *buf, size_t n)
{
    if (access(probe, R_OK) == 0)
        return local;
    if (beside_binary(sub, buf, n) == 0)
        return buf;
    snprintf(buf, n, "%s/%s", KHET_SHARE, sub);
    return buf;
}

const char *cli_font_dir(char *buf, size_t n) { return find("fonts", "fonts/Laksaman.ttf", "fonts", buf, n); }

const char *cli_templates_dir(char *buf, size_t n)
{
    return find("templates", "templates/reports/summary.md", "templates", buf, n);
}

int cli_finish(diag_ctx *d, int runtime_failure)
{
    diag_print(d, stderr);
    /* a failure of the machine (memory, disk) outranks bad input */
    int status = runtime_failure || diag_system_errors(d) ? EXIT_RUNTIME : diag_errors(d) ? EXIT_INPUT : EXIT_OK;
    diag_free(d);
    return status;
}
