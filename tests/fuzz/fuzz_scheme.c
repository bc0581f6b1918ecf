/* libFuzzer target: the scheme and settings parsers. The first byte picks
 * which file of a copy of templates/finance-r8-2563 the rest replaces
 * (scheme.ini, criteria.csv, bands.csv, grades.csv), and the scheme is
 * loaded and checked; the bytes are also parsed as a settings file on their
 * own (libinih through our line reader). Run from the source tree. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scoring.h"
#include "settings.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Plain stdio, not util_write_file_atomic: its fsync would slow the fuzzer 20-fold. */
static int put(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(b, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static char dir[64]; /* fuzzer-only state: the scheme folder, made once */

static int copy(const char *from, const char *to)
{
    char *b;
    size_t n;
    if (util_read_file(from, UTIL_LIMIT_DATA, &b, &n) != 0)
        return -1;
    int rc = put(to, b, n);
    free(b);
    return rc;
}

static const char *const files[] = {"scheme.ini", "criteria.csv", "bands.csv", "grades.csv"};

static int any(void *user, const char *name, const char *value, int line)
{
    (void)user, (void)name, (void)value, (void)line;
    return SETTING_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/khet-fuzz-scheme-%ld", (long)getpid());
        util_mkdirs(dir);
        for (int i = 0; i < 4; i++) {
            char *from = util_format("templates/finance-r8-2563/%s", files[i]), *to = util_path_join(dir, files[i]);
            if (!from || !to || copy(from, to) != 0)
                abort(); /* run from the source tree */
            free(from);
            free(to);
        }
    }
    if (size < 1)
        return 0;
    const char *which = files[data[0] % 4];
    char *path = util_path_join(dir, which), *orig = util_format("templates/finance-r8-2563/%s", which);
    if (!path || !orig || put(path, data + 1, size - 1) != 0)
        abort();
    diag_ctx *d = diag_new();
    scheme *s = scheme_load(dir, d);
    scheme_free(s);
    settings_parse(path, "scheme", any, NULL, d);
    diag_free(d);
    copy(orig, path); /* put the good file back for the next input */
    free(path);
    free(orig);
    return 0;
}
