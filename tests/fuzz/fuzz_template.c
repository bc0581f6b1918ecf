/* libFuzzer target: the template parser and walk. The input is the summary
 * report's template; the sample data and the finance scheme are loaded once.
 * Any bytes give a PDF or an error (file:line), never a crash, a leak, a
 * stack overflow or silent loss. Run from the source tree. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datafolder.h"
#include "model.h"
#include "reports.h"
#include "scoring.h"
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

/* fuzzer-only state, made once */
static char dir[64];
static dataset *ds;
static scheme *fin;
static score_result *res;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/khet-fuzz-template-%ld", (long)getpid());
    char *rep = util_format("%s/reports", dir);
    diag_ctx *d = diag_new();
    if (!rep || util_mkdirs(rep) != 0 || !d || !(ds = datafolder_load("data", NULL, d)) ||
        !(fin = scheme_load("templates/finance-r8-2563", d)) || !(res = score_run(fin, ds, 0, -1, d)))
        abort(); /* run from the source tree */
    free(rep);
    diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ds)
        setup();
    char *md = util_format("%s/reports/summary.md", dir), *pdf = util_format("%s/summary.pdf", dir);
    if (!md || !pdf || put(md, data, size) != 0)
        abort();
    diag_ctx *d = diag_new();
    report_opts o = {.templates_dir = dir, .font_dir = "fonts", .font = "Laksaman", .date = {2020, 10, 15}};
    report_data rd = {.finance = res, .province = -1};
    report_render("summary", &rd, &o, pdf, d);
    diag_free(d);
    free(md);
    free(pdf);
    return 0;
}
