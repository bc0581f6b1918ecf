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

#include <errno.h>
#include <stdlib.h>

#include "util.h"

#ifndef KHET_SHARE
#define KHET_SHARE "/usr/local/share/khet"
#endif

/* The folder of the running executable into dir (PATH_MAX bytes); -1 if unknown. */
static int exe_dir(char *dir)
{
    ssize_t len = readlink("/proc/self/exe", dir, PATH_MAX - 1);
    if (len <= 0)
        return -1;
    dir[len] = 0;
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    *slash = 0;
    return 0;
}

/* Where templates and fonts are, in this order: the current folder's (run
 * from the source tree), the source tree the executable was built in
 * (BINDIR/.. for build/khet, BINDIR/../.. for build/sanitize/khet), the
 * installed BINDIR/../share/khet (found through /proc/self/exe, so `make
 * install` to any PREFIX works without rebuilding), the compiled-in
 * KHET_SHARE. So a built or installed khet runs from any folder. */
static const char *find(const char *local, const char *probe, const char *sub, char *buf, size_t n)
{
    if (access(probe, R_OK) == 0)
        return local;
    char exe[PATH_MAX];
    if (exe_dir(exe) == 0) {
        static const char *const up[] = {"/..", "/../.."};
        for (size_t i = 0; i < 2; i++) {
            char test[PATH_MAX + 64];
            snprintf(test, sizeof test, "%s%s/%s", exe, up[i], probe);
            if (access(test, R_OK) == 0) {
                snprintf(buf, n, "%s%s/%s", exe, up[i], sub);
                return buf;
            }
        }
        snprintf(buf, n, "%s/../share/khet/%s", exe, sub);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    snprintf(buf, n, "%s/%s", KHET_SHARE, sub);
    return buf;
}

/* The folders find() looks in for sub, as a sentence part. */
static void looked_in(const char *sub, char *out, size_t n)
{
    char exe[PATH_MAX];
    if (exe_dir(exe) == 0)
        snprintf(out, n, "./%s, %s/../%s, %s/../../%s, %s/../share/khet/%s and %s/%s", sub, exe, sub, exe, sub, exe,
                 sub, KHET_SHARE, sub);
    else
        snprintf(out, n, "./%s and %s/%s", sub, KHET_SHARE, sub);
}

void cli_check_dirs(const char *templates_dir, const char *font_dir, diag_ctx *d)
{
    char probe[CLI_PATH_MAX + 64], where[4 * PATH_MAX + 256];
    snprintf(probe, sizeof probe, "%s/reports/summary.md", templates_dir ? templates_dir : ".");
    if (templates_dir && access(probe, R_OK) != 0) {
        looked_in("templates", where, sizeof where);
        diag_add(d, DIAG_ERROR, templates_dir, 0, 0,
                 "no report templates here (reports/summary.md): looked in %s; name the folder with --templates DIR",
                 where);
    }
    snprintf(probe, sizeof probe, "%s/Laksaman.ttf", font_dir ? font_dir : ".");
    if (font_dir && access(probe, R_OK) != 0) {
        looked_in("fonts", where, sizeof where);
        diag_add(d, DIAG_NOTE, font_dir, 0, 0,
                 "the bundled fonts are not here (Laksaman.ttf; `make` copies them): looked in %s; name the folder "
                 "with --fonts DIR",
                 where);
    }
}

const char *cli_font_dir(char *buf, size_t n) { return find("fonts", "fonts/Laksaman.ttf", "fonts", buf, n); }

const char *cli_templates_dir(char *buf, size_t n)
{
    return find("templates", "templates/reports/summary.md", "templates", buf, n);
}

/* libthai's dictionary as a word index (thai_words_use_index): made by
 * `make` beside the binary (or the folder above, for the test programs in
 * build/tests), installed beside the templates; NULL when none is there
 * (then the whole dictionary is opened, as before). */
static const char *thbrk_words(char *buf, size_t n)
{
    char exe[PATH_MAX];
    if (exe_dir(exe) == 0) {
        static const char *const at[] = {"", "/..", "/../share/khet"}; /* build/, build/tests/, installed */
        for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
            snprintf(buf, n, "%s%s/thbrk.words", exe, at[i]);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    snprintf(buf, n, "%s/thbrk.words", KHET_SHARE);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

int cli_empty(const char *opt, const char *value, const char *what)
{
    if (!value || *value)
        return 0;
    fprintf(stderr, "khet: %s: %s is needed, not an empty name\n", opt, what);
    return 1;
}

int cli_finish(diag_ctx *d, int runtime_failure)
{
    diag_print(d, stderr);
    /* a failure of the machine (memory, disk) outranks bad input */
    int status = runtime_failure || diag_system_errors(d) ? EXIT_RUNTIME : diag_errors(d) ? EXIT_INPUT : EXIT_OK;
    diag_free(d);
    return status;
}

/* One word list file: one word a line, blanks around it ignored, '#' starts
 * a comment line. A missing file is a note (the engine then keeps nothing
 * together of that kind), unreadable UTF-8 is an error at its line. */
static int load_word_file(thai_words *w, thai_word_kind kind, const char *path, diag_ctx *d)
{
    char *text = NULL;
    size_t len = 0;
    if (util_read_file(path, 1 << 20, &text, &len) != 0) {
        int e = errno;
        if (e == ENOENT) { /* a region may do without one */
            diag_add(d, DIAG_NOTE, path, 0, 0, "word list not found: no %s are kept with their neighbours",
                     kind == THAI_WORD_UNIT ? "units" : "compounds");
            return 0;
        }
        /* any other failure would silently change the pages: refuse */
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot read the word list: %s",
                 util_strerror(e));
        return -1;
    }
    int rc = 0, line = 1;
    for (char *p = text; p && *p && !rc; line++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            p[--n] = 0;
        if (!util_utf8_valid(p, n))
            diag_add(d, DIAG_ERROR, path, line, 1, "the word list must be UTF-8");
        else if (*p && *p != '#' && thai_words_add(w, kind, p) != 0) {
            diag_add(d, DIAG_SYSTEM, path, line, 1, "out of memory");
            rc = -1;
        }
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    return rc;
}

thai_words *cli_words(const char *templates_dir, diag_ctx *d)
{
    static const char *const files[2] = {"reports/keep-together.txt", "reports/units.txt"};
    thai_words *w = thai_words_new();
    char index[PATH_MAX + 64];
    if (!w || thai_words_use_index(w, thbrk_words(index, sizeof index)) != 0) {
        thai_words_free(w);
        diag_add(d, DIAG_SYSTEM, templates_dir, 0, 0, "out of memory");
        return NULL;
    }
    for (int k = 0; k < 2; k++) {
        char *path = util_format("%s/%s", templates_dir, files[k]);
        int rc = path ? load_word_file(w, k ? THAI_WORD_UNIT : THAI_WORD_KEEP, path, d) : -1;
        if (!path)
            diag_add(d, DIAG_SYSTEM, templates_dir, 0, 0, "out of memory");
        free(path);
        if (rc) {
            thai_words_free(w);
            return NULL;
        }
    }
    return w;
}
