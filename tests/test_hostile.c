/* Hostile input (issue 10), at the level of the modules: files that are
 * not files, sizes over the limits, CR-only line ends, a header of very many
 * columns, formula-like cells, and the safe write path (symlinks, stale
 * temporaries). This binary is linked with -Wl,--wrap=strcmp so that the
 * header check can be shown to be linear by counting its comparisons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "reader.h"
#include "settings.h"
#include "util.h"

/* Test-only state: how many strcmp calls khet's code made. */
static long strcmp_calls;
int __real_strcmp(const char *a, const char *b);
int __wrap_strcmp(const char *a, const char *b)
{
    strcmp_calls++;
    return __real_strcmp(a, b);
}

static char dir[64];

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/khet-hostile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    return util_remove_tree(dir);
}

static char *in_dir(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static const char *first_message(diag_ctx *d, int *line, int *col)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_msg *m = diag_get(d, i);
        if (m->level >= DIAG_ERROR) {
            *line = m->line;
            *col = m->col;
            return m->message;
        }
    }
    return NULL;
}

static void test_formula_cells_neutralised(void **st)
{
    (void)st;
    static const char *const hostile[] = {"=1+2", "+1", "-1+cmd", "@SUM(A1)", "\t=1", "\r=1", "\n=1+2",
                                          " \t\r\n@x", "\tplain", "\rplain"};
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        char *s = export_csv_safe(hostile[i]);
        assert_non_null(s);
        assert_int_equal(s[0], '\'');
        assert_string_equal(s + 1, hostile[i]);
        free(s);
    }
    static const char *const fine[] = {"สงขลา", "12.5", "a=b", "\nplain", ""};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        char *s = export_csv_safe(fine[i]);
        assert_non_null(s);
        assert_string_equal(s, fine[i]);
        free(s);
    }
}

static void test_not_regular_files_refused(void **st)
{
    (void)st;
    char *data = NULL;
    size_t len;
    assert_int_equal(util_read_file(dir, 1000, &data, &len), -1);
    assert_int_equal(errno, EISDIR);
    assert_non_null(strstr(util_strerror(EISDIR), "directory"));
    assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
    assert_int_equal(util_read_file(in_dir("fifo"), 1000, &data, &len), -1); /* must not block */
    assert_int_equal(errno, UTIL_ENOTREG);
    assert_int_equal(util_read_file("/dev/zero", 1000, &data, &len), -1);
    assert_int_equal(errno, UTIL_ENOTREG);
    FILE *f = fopen(in_dir("big"), "w");
    assert_non_null(f);
    for (int i = 0; i < 1001; i++)
        fputc('x', f);
    fclose(f);
    assert_int_equal(util_read_file(in_dir("big"), 1000, &data, &len), -1);
    assert_int_equal(errno, UTIL_ETOOBIG);
    assert_int_equal(util_read_file(in_dir("big"), 1001, &data, &len), 0);
    assert_int_equal(len, 1001);
    assert_int_equal(data[len], 0);
    free(data);
}

static int any_setting(void *user, const char *name, const char *value, int line)
{
    (void)user, (void)name, (void)value, (void)line;
    return SETTING_OK;
}

/* Lone CR ends a line as LF and CR LF do, for the reader and settings. */
static void test_cr_only_positions(void **st)
{
    (void)st;
    diag_ctx *d = diag_new();
    const char csv[] = "a,b\r1,2\r\"3,4\r";
    reader_table *t = reader_parse_csv("cr.csv", csv, sizeof csv - 1, NULL, d);
    assert_null(t);
    int line = 0, col = 0;
    assert_non_null(strstr(first_message(d, &line, &col), "malformed quoted field"));
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    diag_free(d);

    d = diag_new();
    const char rows[] = "a,b\r1,2\r3,4,5\r";
    t = reader_parse_csv("cr.csv", rows, sizeof rows - 1, NULL, d);
    assert_null(t);
    assert_non_null(strstr(first_message(d, &line, &col), "this row has 3 fields"));
    assert_int_equal(line, 3);
    assert_int_equal(col, 5);
    diag_free(d);

    d = diag_new();
    const char mixed[] = "a,b\r\n1,2\r3,4\n5,6,7\n";
    t = reader_parse_csv("mixed.csv", mixed, sizeof mixed - 1, NULL, d);
    assert_null(t);
    first_message(d, &line, &col);
    assert_int_equal(line, 4);
    diag_free(d);

    FILE *f = fopen(in_dir("s.ini"), "w");
    fputs("[x]\ra = 1\r\rnot a setting\r", f);
    fclose(f);
    d = diag_new();
    assert_int_equal(settings_parse(in_dir("s.ini"), "x", any_setting, NULL, d), -1);
    assert_non_null(strstr(first_message(d, &line, &col), "syntax error"));
    assert_int_equal(line, 4);
    diag_free(d);
}

/* The duplicate-column check compares each name with a few others, not
 * with every column before it (100,000 columns took 13 s, 87 s under ASan). */
static void test_header_check_linear(void **st)
{
    (void)st;
    enum { NCOLS = 20000 };
    strbuf b = {0};
    for (int i = 0; i < NCOLS; i++)
        sb_printf(&b, "%scolumn%d", i ? "," : "", i);
    sb_puts(&b, ",column7\n");
    for (int i = 0; i <= NCOLS; i++)
        sb_puts(&b, i ? ",1" : "1");
    sb_puts(&b, "\n");
    assert_false(b.oom);
    diag_ctx *d = diag_new();
    strcmp_calls = 0;
    reader_table *t = reader_parse_csv("wide.csv", b.data, b.len, NULL, d);
    long calls = strcmp_calls;
    assert_null(t);
    int line = 0, col = 0;
    assert_non_null(strstr(first_message(d, &line, &col), "column 'column7' appears twice"));
    assert_int_equal(diag_errors(d), 1);
    assert_int_equal(line, 1);
    assert_int_equal(col, (int)(strchr(b.data, '\n') - b.data) - (int)strlen("column7") + 1);
    /* quadratic would be NCOLS^2 / 2 = 2e8 */
    assert_true(calls < 10L * NCOLS);
    diag_free(d);
    sb_free(&b);
}

/* A cell over the limit is refused where it starts. */
static void test_cell_limit(void **st)
{
    (void)st;
    size_t n = UTIL_LIMIT_CELL + 10;
    char *csv = malloc(n + 16);
    assert_non_null(csv);
    memcpy(csv, "a,b\n1,\"", 7);
    memset(csv + 7, 'x', n);
    diag_ctx *d = diag_new();
    reader_table *t = reader_parse_csv("long.csv", csv, n + 7, NULL, d);
    assert_null(t);
    int line = 0, col = 0;
    assert_non_null(strstr(first_message(d, &line, &col), "a cell longer than 64 KiB"));
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    diag_free(d);
    free(csv);
}

static void test_safe_writes(void **st)
{
    (void)st;
    /* a symlink at the destination is replaced, its target untouched */
    FILE *f = fopen(in_dir("victim"), "w");
    fputs("precious", f);
    fclose(f);
    assert_int_equal(symlink(in_dir("victim"), in_dir("doc.pdf")), 0);
    assert_int_equal(util_write_file_atomic(in_dir("doc.pdf"), "new", 3), 0);
    struct stat sb;
    assert_int_equal(lstat(in_dir("doc.pdf"), &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    char *data;
    size_t len;
    assert_int_equal(util_read_file(in_dir("victim"), 100, &data, &len), 0);
    assert_string_equal(data, "precious");
    free(data);

    /* no folder is made through a symlink inside the base */
    assert_int_equal(mkdir(in_dir("out"), 0777), 0);
    assert_int_equal(mkdir(in_dir("elsewhere"), 0777), 0);
    assert_int_equal(symlink(in_dir("elsewhere"), in_dir("out/2563")), 0);
    char *bad = NULL;
    assert_int_equal(util_mkdirs_below(in_dir("out"), "2563/r8", &bad), -1);
    assert_int_equal(errno, ELOOP);
    assert_string_equal(bad, in_dir("out/2563"));
    free(bad);
    assert_int_equal(rmdir(in_dir("elsewhere/r8")), -1); /* nothing made there */
    assert_int_equal(util_mkdirs_below(in_dir("out"), "2564/r8", NULL), 0);
    assert_int_equal(util_mkdirs_below(in_dir("out"), "2564/r8", NULL), 0);

    /* stale temporaries of our naming go, live ones and others stay */
    char live[64];
    snprintf(live, sizeof live, "out/" UTIL_TMP_PREFIX "%ld-abcdef", (long)getpid());
    const char *keep[] = {live, "out/.khet-tmp-x", "out/notes.txt"};
    const char *gone[] = {"out/" UTIL_TMP_PREFIX "4194999-abcdef"};
    for (int i = 0; i < 3; i++)
        fclose(fopen(in_dir(keep[i]), "w"));
    fclose(fopen(in_dir(gone[0]), "w"));
    assert_int_equal(mkdir(in_dir("out/" UTIL_STAGE_PREFIX "4194998-xyzxyz"), 0700), 0);
    fclose(fopen(in_dir("out/" UTIL_STAGE_PREFIX "4194998-xyzxyz/doc.pdf"), "w"));
    assert_int_equal(util_clean_stale(in_dir("out")), 2);
    for (int i = 0; i < 3; i++)
        assert_int_equal(access(in_dir(keep[i]), F_OK), 0);
    assert_int_equal(access(in_dir(gone[0]), F_OK), -1);
    assert_int_equal(access(in_dir("out/" UTIL_STAGE_PREFIX "4194998-xyzxyz"), F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_cells_neutralised), cmocka_unit_test(test_not_regular_files_refused),
        cmocka_unit_test(test_cr_only_positions),         cmocka_unit_test(test_header_check_linear),
        cmocka_unit_test(test_cell_limit),                cmocka_unit_test(test_safe_writes),
    };
    return cmocka_run_group_tests_name("hostile", tests, setup, teardown);
}
