/* Out of memory, as SQLite tests it: fail allocation 1, 2, ... N of a whole
 * load, score and render, and check that each failure gives a clean error
 * (no crash, no leak under ASan or valgrind) and never a half-written PDF.
 * This binary is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * so the allocations of khet's own code go through the hooks below
 * (those inside ICU, libharu and other shared libraries do not). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_int.h"
#include "datafolder.h"
#include "layout.h"
#include "model.h"
#include "pdf.h"
#include "reports.h"
#include "scoring.h"
#include "signoff.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);

/* Test-only state: which allocation fails, and how many were made. */
static long fail_at = -1, count;

/* A place for a debugger breakpoint: `gdb -ex 'b injected'` with KHET_OOM_AT=N. */
void injected(void);
__attribute__((noinline)) void injected(void) { __asm__ volatile(""); }

static int should_fail(void)
{
    if (++count != fail_at)
        return 0;
    injected();
    return 1;
}
void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return should_fail() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }

/* One whole run, writing the summary to out; returns 0 when every stage succeeded. */
static int whole_run(const char *out)
{
    diag_ctx *d = diag_new();
    if (!d)
        return -1;
    dataset *ds = datafolder_load(FIXTURES "/mini", NULL, d);
    scheme *s = ds ? scheme_load(FIXTURES "/mini-scheme", d) : NULL;
    score_result *r = s ? score_run(s, ds, 0, -1, d) : NULL;
    int rc = -1;
    if (r) {
        report_opts o = {"templates", "fonts", "Laksaman", 0, {2020, 10, 15}, NULL, 0, NULL, 0, NULL, NULL, NULL, 0};
        report_data rd = {.finance = r, .province = -1};
        rc = report_render("summary", &rd, &o, out, d);
    }
    int errors = diag_errors(d);
    score_result_free(r);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
    /* a failed run must have said why (unless the diagnostics themselves could not be allocated) */
    if (rc != 0 && errors == 0 && fail_at > 0)
        return -2;
    return rc;
}

static void test_every_allocation_fails_cleanly(void **st)
{
    (void)st;
    /* a folder of its own: two test runs at once must not share the PDF */
    char dir[] = "/tmp/khet-oom-XXXXXX", out[sizeof dir + 16];
    assert_non_null(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/summary.pdf", dir);
    fail_at = -1;
    count = 0;
    assert_int_equal(whole_run(out), 0);
    long total = count;
    assert_true(total > 100);
    int failures = 0;
    long only = getenv("KHET_OOM_AT") ? atol(getenv("KHET_OOM_AT")) : 0;
    /* KHET_OOM_STEP=k fails every k-th allocation only (valgrind's pace) */
    long step = getenv("KHET_OOM_STEP") ? atol(getenv("KHET_OOM_STEP")) : 1;
    if (step < 1)
        step = 1;
    for (long n = only ? only : 1; n <= (only ? only : total); n += step) {
        remove(out);
        fail_at = n;
        count = 0;
        int rc = whole_run(out);
        if (rc == -2)
            fail_msg("allocation %ld of %ld failed without an error message", n, total);
        if (rc == 0 && getenv("KHET_OOM_SHOW"))
            fprintf(stderr, "allocation %ld failed and the run still succeeded\n", n);
        if (rc != 0) {
            failures++;
            if (access(out, F_OK) == 0)
                fail_msg("allocation %ld failed but a PDF was written", n);
        }
    }
    fail_at = -1;
    remove(out);
    assert_int_equal(rmdir(dir), 0); /* nothing else left behind (no temporary of the atomic write) */
    assert_true(failures > 0);
    printf("oom: %ld allocations in a run, %d injected failures handled\n", total, failures);
}

/* Scoring alone, on the oracle's region (unit costs, every measure, both
 * money rules): the data and scheme load cleanly, then allocation 1, 2, ...
 * of score_run fails in turn. Each failure must end the run with no result
 * and an error said, never a crash or a result computed without what the
 * failed allocation was for. Fast: a few hundred allocations a run. */
static void test_scoring_allocation_fails_cleanly(void **st)
{
    (void)st;
    fail_at = -1;
    diag_ctx *d = diag_new();
    dataset *ds = datafolder_load(FIXTURES "/oracle-r8", NULL, d);
    scheme *s = ds ? scheme_load("templates/finance-r8-2563", d) : NULL;
    assert_non_null(s);
    count = 0;
    score_result *r = score_run(s, ds, 8, -1, d);
    assert_non_null(r);
    long total = count;
    int with_unit_cost = 0;
    for (size_t i = 0; i < r->nhospitals; i++)
        with_unit_cost += r->hospitals[i].has_unit_cost;
    assert_true(with_unit_cost > 0); /* the unit-cost comparison runs */
    score_result_free(r);
    assert_true(total > 10);
    long step = getenv("KHET_OOM_STEP") ? atol(getenv("KHET_OOM_STEP")) : 1; /* valgrind's pace */
    for (long n = 1; n <= total; n += step < 1 ? 1 : step) {
        diag_ctx *e = diag_new();
        assert_non_null(e);
        fail_at = n;
        count = 0;
        r = score_run(s, ds, 8, -1, e);
        fail_at = -1;
        if (r)
            fail_msg("allocation %ld of %ld in score_run failed and it still gave a result", n, total);
        assert_true(diag_errors(e) > 0);
        diag_free(e);
    }
    printf("oom: score_run makes %ld allocations on the oracle region, each failure handled\n", total);
    scheme_free(s);
    datafolder_free(ds);
    diag_free(d);
}

/* The sign-off reader (archive): allocation 1, 2, ... of reading the
 * sample's sign-off fails in turn. Each must end with no sign-off and a
 * runtime failure said (status 1), never a half-read sign-off nor a false
 * complaint about the file (status 2: "no ผู้อนุมัติ" for a row that
 * could not be kept); or, where the CSV reader reads the file again byte
 * by byte after a failure (reader.c's parse_rows), with the whole sign-off,
 * the same as read with no failure. */
static void test_signoff_allocation_fails_cleanly(void **st)
{
    (void)st;
    fail_at = -1;
    diag_ctx *d = diag_new();
    count = 0;
    signoff *so = signoff_load("data/signoff.csv", d), *whole = so;
    assert_non_null(so);
    long total = count;
    diag_free(d);
    int recovered = 0;
    assert_true(total > 10);
    for (long n = 1; n <= total; n++) {
        diag_ctx *e = diag_new();
        assert_non_null(e);
        fail_at = n;
        count = 0;
        so = signoff_load("data/signoff.csv", e);
        fail_at = -1;
        if (so) {
            int same = !strcmp(so->id, whole->id) && so->nsigners == whole->nsigners && so->round == whole->round &&
                       !memcmp(&so->date, &whole->date, sizeof so->date) && !diag_errors(e);
            for (int i = 0; same && i < so->nsigners; i++)
                same = so->signers[i].role == whole->signers[i].role &&
                       !strcmp(so->signers[i].name, whole->signers[i].name) &&
                       !strcmp(so->signers[i].position, whole->signers[i].position);
            if (!same)
                fail_msg("allocation %ld of %ld in signoff_load failed and it gave another sign-off", n, total);
            recovered++;
            signoff_free(so);
            diag_free(e);
            continue;
        }
        int system = 0, input = 0;
        for (size_t i = 0; i < diag_count(e); i++) {
            system += diag_get(e, i)->level == DIAG_SYSTEM;
            input += diag_get(e, i)->level == DIAG_ERROR;
        }
        if (!system || input)
            fail_msg("allocation %ld of %ld in signoff_load: %d runtime failures and %d input errors said", n, total,
                     system, input);
        diag_free(e);
    }
    signoff_free(whole);
    assert_true(recovered < total);
    printf("oom: signoff_load makes %ld allocations on the sample's sign-off, each failure handled (%d read again)\n",
           total, recovered);
}

static char *dump_of(const layout_list *l)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    assert_non_null(f);
    assert_int_equal(layout_list_dump(l, f), 0);
    fclose(f);
    return text;
}

/* Layout alone: a paragraph and a signature block, laid out while
 * allocation 1, 2, ... of layout_build fails in turn. The build either
 * fails with an error said, or gives the very display list a clean build
 * gives: an allocation that may fail must not change the document (a
 * signer's name dropped, a line lost). */
static void test_layout_allocation_fails_cleanly(void **st)
{
    (void)st;
    fail_at = -1;
    layout_page_setup ps = {0, 72, 72, 72, 72, NULL, NULL, 0, 0, 0, NULL, 0, 0, NULL, 0, 0, NULL};
    diag_ctx *d = diag_new();
    layout_doc *doc = layout_new(&ps);
    pdf_doc *pdf = pdf_new("fonts", "Laksaman", d);
    assert_non_null(doc);
    assert_non_null(pdf);
    layout_paragraph(doc, "ผลการประเมินของจังหวัด", (layout_style){16, 0, ALIGN_LEFT, 0, 0, {0, 0, 0}});
    layout_signature(doc, "นายทดสอบ ระบบ", "ตำแหน่ง ผู้อำนวยการ", "วันที่ 15 ตุลาคม 2563");
    layout_list *l = layout_build(doc, pdf, d);
    assert_non_null(l);
    char *clean = dump_of(l);
    layout_list_free(l);
    long n;
    for (n = 1; n < 100000; n++) {
        diag_ctx *e = diag_new();
        assert_non_null(e);
        count = 0;
        fail_at = n;
        l = layout_build(doc, pdf, e);
        fail_at = -1;
        if (l) {
            char *again = dump_of(l);
            if (strcmp(again, clean))
                fail_msg("allocation %ld failed: the build succeeded with another display list", n);
            free(again);
        } else if (!diag_errors(e)) {
            fail_msg("allocation %ld failed: no list and no error", n);
        }
        layout_list_free(l);
        diag_free(e);
        if (count < n)
            break; /* the build made fewer allocations: every one has failed once */
    }
    assert_true(n > 10 && n < 100000);
    free(clean);
    pdf_free(pdf);
    layout_free(doc);
    diag_free(d);
}

/* The files of a folder a round embeds (README, "carrying its evidence"):
 * its CSV and INI files, and for the report templates their Markdown and
 * word lists too; counted here from the folder itself. */
static int embedded_in(const char *dir, int reports)
{
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    int n = 0;
    for (struct dirent *e; (e = readdir(dh));) {
        const char *dot = strrchr(e->d_name, '.');
        n += e->d_name[0] != '.' && dot &&
             (!strcmp(dot, ".csv") || !strcmp(dot, ".ini") || (reports && (!strcmp(dot, ".md") || !strcmp(dot, ".txt"))));
    }
    closedir(dh);
    return n;
}

/* A round's evidence: archive_build_round collects the data, scheme and
 * report templates' files (and the sign-off) that every document embeds,
 * while allocation n fails, for each n from the end of the loading (whose
 * failures the tests above cover) until the collection is whole. Each
 * failure ends the build with a runtime failure said (on no line of a
 * file) and no input error blamed on a file; a build that goes on has
 * every source: memory running out never files a round with a file left
 * out unsaid. */
static void test_round_sources_allocation_fails_cleanly(void **st)
{
    (void)st;
    const char *data = FIXTURES "/archive-0.1.0/data", *sch = FIXTURES "/mini-scheme", *so = FIXTURES "/archive-0.1.0/signoff.csv";
    int whole = embedded_in(data, 0) + embedded_in(sch, 0) + embedded_in("templates/reports", 1) + 1;
    char work[] = "/tmp/khet-oom-round-XXXXXX";
    assert_non_null(mkdtemp(work));
    /* the allocations of the loading: archive_build_round joins two paths, then loads these */
    fail_at = -1;
    count = 0;
    diag_ctx *d = diag_new();
    signoff *sg = signoff_load(so, d);
    dataset *ds = datafolder_load(data, NULL, d);
    scheme *sc = scheme_load(sch, d);
    long loading = 2 + count;
    assert_non_null(sg);
    assert_non_null(ds);
    assert_non_null(sc);
    signoff_free(sg);
    datafolder_free(ds);
    scheme_free(sc);
    diag_free(d);
    long step = getenv("KHET_OOM_STEP") ? atol(getenv("KHET_OOM_STEP")) : 1; /* make test samples */
    int failed = 0;
    for (long n = loading + 1;; n += step < 1 ? 1 : step) {
        diag_ctx *e = diag_new();
        assert_non_null(e);
        round_build rb = {0};
        fail_at = n;
        count = 0;
        int rc = archive_build_round(data, sch, "templates", so, "fonts", NULL, NULL, work, &rb, e);
        fail_at = -1;
        int system = 0, input = 0, got = rb.src.n;
        for (size_t i = 0; i < diag_count(e); i++) {
            const diag_msg *m = diag_get(e, i);
            /* memory is nobody's line: "FILE: error: out of memory", never "FILE:1:" */
            system += m->level == DIAG_SYSTEM && !m->line;
            input += m->level == DIAG_ERROR;
        }
        archive_build_free(&rb);
        diag_free(e);
        if (rc == 0 && !failed)
            continue; /* a reader that read its file again after the failure: still loading */
        if (rc == 0 || got == whole) { /* past the collection: whole */
            if (got != whole)
                fail_msg("allocation %ld failed and the round went on with %d of its %d sources", n, got, whole);
            break;
        }
        if (!system || input)
            fail_msg("allocation %ld failed while collecting the sources (%d of %d): %d runtime failures and "
                     "%d input errors said", n, got, whole, system, input);
        failed++;
    }
    assert_int_equal(rmdir(work), 0);
    assert_true(failed > whole / (step < 1 ? 1 : step)); /* each source's allocations were reached */
    printf("oom: %d failures while collecting a round's %d sources, each said\n", failed, whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_scoring_allocation_fails_cleanly),
                                       cmocka_unit_test(test_layout_allocation_fails_cleanly),
                                       cmocka_unit_test(test_signoff_allocation_fails_cleanly),
                                       cmocka_unit_test(test_round_sources_allocation_fails_cleanly),
                                       cmocka_unit_test(test_every_allocation_fails_cleanly)};
    /* KHET_OOM_ONLY=PATTERN runs the tests whose names match (make mutate's archive area: test_round*) */
    if (getenv("KHET_OOM_ONLY"))
        cmocka_set_test_filter(getenv("KHET_OOM_ONLY"));
    return cmocka_run_group_tests_name("oom", tests, NULL, NULL);
}
