/* Archive building blocks: the sign-off file, the ledger's hash chain, the
 * PDF/A finishing (sources in and out) and the PAdES signature (signs,
 * verifies, and fails on one changed byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "ledger.h"
#include "ledger_int.h" /* the ledger's SQLite handle, to make a query fail */
#include "pdfa.h"
#include "sign.h"
#include "signoff.h"
#include "util.h"

static char tmpdir[] = "/tmp/khet-test-archive-XXXXXX";

/* This binary is linked with -Wl,--wrap=fdopendir (Makefile): the guard's
 * fdopendir fails (as when memory runs out) while fail_fdopendir is set.
 * Test-only state. */
DIR *__real_fdopendir(int fd);
DIR *__wrap_fdopendir(int fd);
static int fail_fdopendir;
DIR *__wrap_fdopendir(int fd)
{
    if (fail_fdopendir) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_fdopendir(fd);
}

static char *write_tmp(const char *name, const char *text)
{
    char *p = util_path_join(tmpdir, name);
    assert_non_null(p);
    assert_int_equal(util_write_file_atomic(p, text, strlen(text)), 0);
    return p;
}

static const char good[] = "field,value,position,date\n"
                           "scheme,finance-r8-2563,,\nperiod,2563-09,,\nround,2,,\nsigned_off,2563-10-20,,\n"
                           "ผู้จัดทำ,ก ข,นักวิชาการ,2563-10-15\nผู้ตรวจสอบ,ค ง,หัวหน้ากลุ่ม,2563-10-16\n"
                           "ผู้ตรวจสอบ,จ ฉ,รองหัวหน้า,2563-10-16\nผู้อนุมัติ,ช ซ,ผู้อำนวยการ,2563-10-20\n";

static void test_signoff_good(void **s)
{
    (void)s;
    char *p = write_tmp("so.csv", good);
    diag_ctx *d = diag_new();
    signoff *so = signoff_load(p, d);
    diag_print(d, stderr);
    assert_non_null(so);
    assert_string_equal(so->id, "finance-r8-2563/2563-09-r2");
    assert_int_equal(so->fiscal_year, 2563); /* September 2563 is in FY2563 */
    assert_int_equal(so->month.year, 2020);
    assert_int_equal(so->month.month, 9);
    assert_int_equal(so->date.day, 20);
    assert_int_equal(so->nsigners, 4);
    assert_int_equal(so->signers[2].role, ROLE_CHECKER);
    assert_string_equal(so->signers[3].position, "ผู้อำนวยการ");
    signoff_free(so);
    diag_free(d);
    free(p);
}

/* October belongs to the next fiscal year. */
static void test_signoff_october(void **s)
{
    (void)s;
    char *p = write_tmp("so.csv", "field,value\nscheme,x,,\nperiod,10/2563\nround,1\nsigned_off,2563-11-01\n"
                                  "ผู้อนุมัติ,ก,ข,2563-11-01\n");
    diag_ctx *d = diag_new();
    signoff *so = signoff_load(p, d);
    assert_null(so); /* a position column is needed for the signer */
    diag_free(d);
    free(p);
    p = write_tmp("so.csv", "field,value,position,date\nscheme,x,,\nperiod,10/2563,,\nround,1,,\n"
                            "signed_off,2563-11-01,,\nผู้อนุมัติ,ก,ข,2563-11-01\n");
    d = diag_new();
    so = signoff_load(p, d);
    assert_non_null(so);
    assert_int_equal(so->fiscal_year, 2564);
    assert_string_equal(so->period, "2563-10");
    signoff_free(so);
    diag_free(d);
    free(p);
}

static void expect_signoff_error(const char *text, int line, const char *needle)
{
    char *p = write_tmp("bad.csv", text);
    diag_ctx *d = diag_new();
    assert_null(signoff_load(p, d));
    int found = 0;
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_msg *m = diag_get(d, i);
        /* a fault of the whole file names neither a line nor a column */
        found |= strstr(m->message, needle) && m->line == line && (line || !m->col);
    }
    if (!found) {
        diag_print(d, stderr);
        fail_msg("no error '%s' at line %d", needle, line);
    }
    diag_free(d);
    free(p);
}

/* A fiscal year as the period: 2500 to 2699 Buddhist era, both ends
 * included; 2499 and 2700 are refused at the period's line. */
static void test_signoff_period_years(void **s)
{
    (void)s;
    static const int ok[] = {2500, 2699}, bad[] = {2499, 2700};
    char text[256];
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text,
                 "field,value,position,date\nscheme,x,,\nperiod,%d,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                 "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                 ok[i]);
        char *p = write_tmp("years.csv", text);
        diag_ctx *d = diag_new();
        signoff *so = signoff_load(p, d);
        diag_print(d, stderr);
        assert_non_null(so);
        assert_int_equal(so->fiscal_year, ok[i]);
        signoff_free(so);
        diag_free(d);
        unlink(p);
        free(p);
        snprintf(text, sizeof text,
                 "field,value,position,date\nscheme,x,,\nperiod,%d,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                 "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                 bad[i]);
        expect_signoff_error(text, 3, "the period is a fiscal year");
    }
}

/* A signer's position: empty is refused at its line; one byte ("A") is a
 * position like any other. */
static void test_signoff_position(void **s)
{
    (void)s;
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,,2563-10-20\n",
                         6, "a signer needs a position");
    char *p = write_tmp("pos.csv", "field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\n"
                                   "signed_off,2563-10-20,,\nผู้อนุมัติ,ก,A,2563-10-20\n");
    diag_ctx *d = diag_new();
    signoff *so = signoff_load(p, d);
    diag_print(d, stderr);
    assert_non_null(so);
    assert_string_equal(so->signers[0].position, "A");
    signoff_free(so);
    diag_free(d);
    unlink(p);
    free(p);
}

static void test_signoff_bad(void **s)
{
    (void)s;
    /* the header is checked first: a column misspelt is named, at line 1 */
    expect_signoff_error("field,valu,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                         1, "required column 'value' is missing from the header");
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\nผู้จัดทำ,ค,ง,2563-10-20\n",
                         7, "signers go in the order");
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,0,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                         4, "the round is a number");
    /* ten signers: the tenth refused at its line (at most nine; make test
     * SANITIZE=1 also sees that the whole-file checks read none past them) */
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้จัดทำ,ก,ข,2563-10-15\nผู้จัดทำ,ก,ข,2563-10-15\nผู้จัดทำ,ก,ข,2563-10-15\n"
                         "ผู้ตรวจสอบ,ก,ข,2563-10-16\nผู้ตรวจสอบ,ก,ข,2563-10-16\nผู้ตรวจสอบ,ก,ข,2563-10-16\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\nผู้อนุมัติ,ก,ข,2563-10-20\nผู้อนุมัติ,ก,ข,2563-10-20\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                         15, "too many signers");
    /* ... from 1 to 999: a round names a folder (2563-r999) */
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1000,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                         4, "the round is a number");
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้จัดทำ,ก,ข,2563-10-20\n",
                         0, "at least one ผู้อนุมัติ");
    expect_signoff_error("field,value,position,date\nscheme,x,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\n",
                         0, "no valid 'period' row");
    expect_signoff_error("field,value,position,date\nscheme,x,,\nperiod,2563,,\nround,1,,\nsigned_off,2563-10-20,,\n"
                         "ผู้อนุมัติ,ก,ข,2563-10-20\nผู้ลงนาม,ก,ข,2563-10-20\n",
                         7, "unknown field");
}

/* ---- ledger ---- */

static ledger_file files[2] = {{"b.pdf", "bb", 2}, {"a.pdf", "aa", 1}};
static ledger_signer signers[1] = {{"ผู้อนุมัติ", "ช ซ", "ผู้อำนวยการ", "2563-10-20"}};
static ledger_result results[2] = {{"41", "อุดรธานี", 69250, 90000, 7694, 402627288, "B+", 1},
                                   {"38", "บึงกาฬ", 50000, 90000, 5556, 100, "C", 2}};

static ledger_round make_round(const char *id)
{
    ledger_round r = {0};
    r.round = (char *)id, r.scheme = "s", r.kind = "finance", r.period = "2563", r.signed_off = "2563-10-20";
    r.round_no = 1, r.region = 8, r.fiscal_year = 2563, r.seal = "checksums", r.cert_sha256 = "";
    r.signers = signers, r.nsigners = 1, r.documents = files, r.ndocuments = 2, r.sources = files, r.nsources = 2;
    r.results = results, r.nresults = 2;
    return r;
}

static void test_ledger_chain(void **s)
{
    (void)s;
    diag_ctx *d = diag_new();
    ledger *l = ledger_open(tmpdir, 1, d);
    assert_non_null(l);
    const char *ids[] = {"s/2563-r1", "s/2563-r2", "s/2563-r3"};
    for (int i = 0; i < 3; i++) {
        ledger_round r = make_round(ids[i]);
        assert_int_equal(ledger_append(l, &r, d), 0);
        assert_int_equal(ledger_commit(l, d), 0);
        free(r.prev_hash);
        free(r.row_hash);
    }
    assert_int_equal(ledger_has_round(l, "s/2563-r2"), 1);
    assert_int_equal(ledger_has_round(l, "s/2563-r9"), 0);
    ledger_round *all = NULL;
    int n = 0;
    assert_int_equal(ledger_load(l, &all, &n, d), 0);
    assert_int_equal(n, 3);
    assert_string_equal(all[0].prev_hash, "0000000000000000000000000000000000000000000000000000000000000000");
    assert_string_equal(all[1].prev_hash, all[0].row_hash);
    assert_string_equal(all[0].documents[0].file, "a.pdf"); /* sorted */
    assert_string_equal(all[0].results[0].code, "38");
    assert_int_equal(all[0].results[1].clawback_satang, 402627288);
    assert_int_equal(ledger_check(all, n, "l", d), 0);
    /* an edited result breaks its own round's hash */
    all[1].results[1].clawback_satang = 0;
    assert_int_equal(ledger_check(all, n, "l", d), 1);
    all[1].results[1].clawback_satang = 402627288;
    /* a removed round breaks the next one's link */
    assert_int_equal(ledger_check(all + 1, n - 1, "l", d), 1);
    assert_true(strstr(diag_get(d, diag_count(d) - 1)->message, "s/2563-r2: the previous round's hash"));
    ledger_rounds_free(all, n);
    ledger_close(l);
    diag_free(d);
    char *p = util_path_join(tmpdir, "ledger.sqlite");
    unlink(p);
    free(p);
}

/* ---- PDF/A and signature ---- */

static const char tiny_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                               "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                               "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
                               "4 0 obj << /Title (T) /Author (A) /Subject (S) >> endobj\n"
                               "trailer << /Root 1 0 R /Info 4 0 R /Size 5 >>\n%%EOF\n";

static void make_key(const char *kpath, const char *cpath)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    X509 *x = X509_new();
    assert_non_null(k);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -86400L * 365 * 20);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365 * 20);
    X509_set_pubkey(x, k);
    X509_NAME *nm = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"unit", -1, -1, 0);
    X509_set_issuer_name(x, nm);
    assert_true(X509_sign(x, k, EVP_sha256()) > 0);
    FILE *f = fopen(kpath, "w");
    PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    f = fopen(cpath, "w");
    PEM_write_X509(f, x);
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(k);
}

static void test_pdfa_and_sign(void **s)
{
    (void)s;
    diag_ctx *d = diag_new();
    pdfa_source src[2] = {{.name = "data/x.csv", .data = (unsigned char *)"a,b\n1,2\n", .len = 8},
                          {.name = "signoff.csv", .data = (unsigned char *)"z", .len = 1}};
    unsigned char *out = NULL, *signed_pdf = NULL;
    size_t len = 0, slen = 0;
    reader_date when = {2020, 10, 20};
    assert_int_equal(pdfa_finish((const unsigned char *)tiny_pdf, strlen(tiny_pdf), src, 2, when, NULL, "t", &out, &len, d), 0);
    /* same input, same bytes */
    unsigned char *again = NULL;
    size_t alen = 0;
    assert_int_equal(pdfa_finish((const unsigned char *)tiny_pdf, strlen(tiny_pdf), src, 2, when, NULL, "t", &again, &alen, d), 0);
    assert_true(alen == len && !memcmp(out, again, len));
    free(again);
    pdfa_embedded *e = NULL;
    int n = pdfa_read_sources(out, len, "t", &e, d);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].file.name, "data/x.csv"); /* embedded as data-x.csv */
    assert_int_equal(e[0].file.len, 8);
    assert_true(e[0].md5_ok && e[1].md5_ok);
    assert_string_equal(e[1].file.name, "signoff.csv");
    pdfa_sources_free(e, n);
    /* the sources deflated once for the round (pdfa_sources_deflate) embed
     * the same bytes, read back whole, as those qpdf deflates itself */
    assert_int_equal(pdfa_sources_deflate(src, 2), 0);
    assert_non_null(src[0].flate);
    unsigned char *pre = NULL;
    size_t plen = 0;
    assert_int_equal(pdfa_finish((const unsigned char *)tiny_pdf, strlen(tiny_pdf), src, 2, when, NULL, "t", &pre, &plen, d), 0);
    assert_int_equal(pdfa_read_sources(pre, plen, "t", &e, d), 2);
    assert_int_equal(e[0].file.len, 8);
    assert_memory_equal(e[0].file.data, "a,b\n1,2\n", 8);
    assert_memory_equal(e[1].file.data, "z", 1);
    assert_true(e[0].md5_ok && e[1].md5_ok);
    pdfa_sources_free(e, 2);
    free(pre);
    free(src[0].flate);
    free(src[1].flate);

    char *kp = util_path_join(tmpdir, "k.pem"), *cp = util_path_join(tmpdir, "c.pem");
    make_key(kp, cp);
    sign_key *k = sign_key_load(kp, cp, -1, d);
    assert_non_null(k);
    char fpr[65];
    sign_info got;
    sign_key_fingerprint(k, fpr);
    assert_int_equal(sign_key_check(k, 1603170000, cp, d), 0); /* 2020-10-20: within its 40 years */
    assert_int_equal(sign_key_check(k, 1603170000 + 86400L * 365 * 30, cp, d), -1); /* expired by then */
    assert_true(diag_errors(d) > 0);
    diag_free(d);
    d = diag_new();
    sign_slot slots[2] = {{"ผู้จัดทำ", "ช ซ", 0, {100, 100, 300, 180}, NULL, 0, NULL, 0},
                          {"ผู้อนุมัติ", NULL, 0, {0, 0, 0, 0}, NULL, 0, NULL, 0}};
    assert_int_equal(sign_pdf(out, len, k, 1603170000, NULL, slots, 1, 0, "t", &signed_pdf, &slen, d), 0);
    assert_non_null(strstr((char *)signed_pdf + len, "/M (D:20201020120000+07'00')")); /* 05:00 UTC in Bangkok */
    assert_int_equal(sign_check(signed_pdf, slen, "t", NULL, &got, d), 1);
    assert_int_equal(got.unsigned_len, len);
    assert_int_equal(got.trusted, -1);
    assert_memory_equal(signed_pdf, out, len); /* the update only appends */
    assert_string_equal(got.fpr, fpr);
    assert_non_null(strstr(got.subject, "CN=unit"));
    assert_int_equal(sign_check(out, len, "t", NULL, &got, d), 0); /* unsigned */
    assert_int_equal(sign_check(signed_pdf, slen, "t", NULL, &got, d), 1);
    assert_true(got.sig[0].certify); /* the first signature certifies */
    assert_int_equal(got.sig[0].covers, slen);
    assert_string_equal(got.sig[0].field, "ผู้จัดทำ");
    /* two signers: the second fills its own field in an update of its own,
     * the first still covers exactly its revision */
    unsigned char *one = NULL, *two = NULL;
    size_t l1 = 0, l2 = 0;
    assert_int_equal(sign_pdf(out, len, k, 1603170000, NULL, slots, 2, 0, "t", &one, &l1, d), 0);
    assert_int_equal(sign_pdf(one, l1, k, 1603170060, NULL, slots, 2, 1, "t", &two, &l2, d), 0);
    assert_memory_equal(two, one, l1);
    assert_int_equal(sign_check(two, l2, "t", NULL, &got, d), 2);
    assert_int_equal(got.n, 2);
    assert_int_equal(got.sig[0].covers, l1);
    assert_int_equal(got.sig[1].covers, l2);
    assert_true(got.sig[0].certify && !got.sig[1].certify);
    assert_string_equal(got.sig[1].field, "ผู้อนุมัติ");
    int errors = diag_errors(d);
    unsigned char *three = NULL;
    size_t l3 = 0;
    assert_int_equal(sign_pdf(two, l2, k, 1603170120, NULL, slots, 2, 1, "t", &three, &l3, d), -1); /* signed already */
    assert_true(diag_errors(d) > errors);
    errors = diag_errors(d);
    assert_int_equal(sign_check(one, l1, "t", NULL, &got, d), 1); /* the approver's field still empty */
    free(one);
    free(two);
    signed_pdf[len / 2] ^= 1;
    assert_int_equal(sign_check(signed_pdf, slen, "t", NULL, &got, d), -1);
    assert_true(diag_errors(d) > errors);
    sign_key_free(k);
    unlink(kp);
    unlink(cp);
    free(kp);
    free(cp);
    free(out);
    free(signed_pdf);
    diag_free(d);
}

/* ---- what khet may touch below an archive (guard.c) ---- */

/* The one message of d: its text holds `needle`, it is bad input (status 2)
 * and names the file alone, without a line or column. */
static void only_error(diag_ctx *d, const char *path, const char *needle)
{
    assert_int_equal(diag_count(d), 1);
    const diag_msg *m = diag_get(d, 0);
    if (!strstr(m->message, needle))
        fail_msg("'%s' is not in: %s", needle, m->message);
    assert_int_equal(m->level, DIAG_ERROR);
    assert_string_equal(m->file, path);
    assert_int_equal(m->line, 0);
    assert_int_equal(m->col, 0);
}

static void test_guard_names(void **s)
{
    (void)s;
    char *dir = util_path_join(tmpdir, "g"), *file = util_path_join(tmpdir, "g/f"), *link = util_path_join(tmpdir, "g/l"),
         *none = util_path_join(tmpdir, "g/none");
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(util_write_file_atomic(file, "x", 1), 0);
    assert_int_equal(symlink(file, link), 0);
    diag_ctx *d = diag_new();
    assert_int_equal(guard_name(none, GUARD_FILE, d), 0); /* absent: fine, and said nothing */
    assert_int_equal(guard_name(file, GUARD_FILE, d), 1);
    assert_int_equal(guard_name(dir, GUARD_DIR, d), 1);
    assert_int_equal(diag_count(d), 0);
    assert_int_equal(guard_name(dir, GUARD_FILE, d), -1);
    only_error(d, dir, "is a folder, where the archive keeps a regular file");
    diag_free(d);
    /* a name that cannot be examined (a file where a folder should be on its way) is refused, not absent */
    char *under = util_path_join(tmpdir, "g/f/x");
    d = diag_new();
    assert_int_equal(guard_name(under, GUARD_FILE, d), -1);
    only_error(d, under, "cannot examine: Not a directory");
    diag_free(d);
    free(under);
    d = diag_new();
    assert_int_equal(guard_name(link, GUARD_FILE, d), -1); /* a link to the right kind is still a link */
    only_error(d, link, "is a symbolic link");
    diag_free(d);
    /* a key or certificate: a regular file, else "cannot read the key" with the reason */
    d = diag_new();
    assert_int_equal(guard_regular_input(file, "key", d), 0);
    assert_int_equal(guard_regular_input(none, "key", d), -1);
    only_error(d, none, "cannot read the key: No such file or directory");
    diag_free(d);
    d = diag_new();
    assert_int_equal(guard_regular_input(dir, "certificate", d), -1);
    only_error(d, dir, "cannot read the certificate: it is a directory");
    diag_free(d);
    /* the archive folder itself may be a link (the user named it); below it, nothing */
    char *alink = util_path_join(tmpdir, "g-link"), *stage = util_path_join(tmpdir, "g/.staging");
    assert_int_equal(symlink(dir, alink), 0);
    d = diag_new();
    assert_int_equal(guard_archive(alink, "r1", stage, d), 0);
    assert_int_equal(guard_archive(alink, "s/2563-r1", stage, d), 0);
    assert_int_equal(diag_count(d), 0);
    assert_int_equal(symlink(dir, stage), 0);
    assert_int_equal(guard_archive(alink, "s/2563-r1", stage, d), -1);
    only_error(d, stage, "is a symbolic link");
    diag_free(d);
    unlink(stage);
    unlink(alink);
    unlink(link);
    unlink(file);
    rmdir(dir);
    free(dir), free(file), free(link), free(none), free(alink), free(stage);
}

/* guard_clear_flat empties and removes a flat folder, says whether it could,
 * and never follows a link at its name */
static void test_guard_clear_flat(void **s)
{
    (void)s;
    char *dir = util_path_join(tmpdir, "flat"), *a = util_path_join(tmpdir, "flat/a"),
         *b = util_path_join(tmpdir, "flat/.b"), *sub = util_path_join(tmpdir, "flat/sub"),
         *link = util_path_join(tmpdir, "flat-link");
    assert_int_equal(guard_clear_flat(dir), 0); /* nothing there: nothing to do */
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(util_write_file_atomic(a, "a", 1), 0);
    assert_int_equal(util_write_file_atomic(b, "b", 1), 0);
    assert_int_equal(guard_clear_flat(dir), 0);
    assert_int_equal(access(dir, F_OK), -1); /* gone, hidden files and all */
    /* a folder inside is not khet's: left, with the folder, and said */
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(util_write_file_atomic(a, "a", 1), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(guard_clear_flat(dir), -1);
    assert_int_equal(access(sub, F_OK), 0);
    assert_int_equal(access(a, F_OK), -1);
    /* a link at the name: refused, and the folder it points at untouched */
    assert_int_equal(util_write_file_atomic(a, "a", 1), 0);
    assert_int_equal(symlink(dir, link), 0);
    assert_int_equal(guard_clear_flat(link), -1);
    assert_int_equal(access(a, F_OK), 0);
    assert_int_equal(access(link, F_OK), 0);
    /* the folder cannot be listed (fdopendir fails: memory): said, nothing
     * removed, and the descriptor it opened closed (the next open gets it) */
    rmdir(sub);
    int probe = open(tmpdir, O_RDONLY | O_DIRECTORY);
    assert_true(probe >= 0);
    close(probe);
    fail_fdopendir = 1;
    int rc = guard_clear_flat(dir);
    fail_fdopendir = 0;
    assert_int_equal(rc, -1);
    assert_int_equal(access(a, F_OK), 0);
    int again = open(tmpdir, O_RDONLY | O_DIRECTORY);
    assert_int_equal(again, probe);
    close(again);
    unlink(link);
    unlink(a);
    rmdir(sub);
    rmdir(dir);
    free(dir), free(a), free(b), free(sub), free(link);
}

/* a ledger of another schema is named as such, the whole file's fault */
static void test_ledger_other_schema(void **s)
{
    (void)s;
    char *dir = util_path_join(tmpdir, "other"), *db = util_path_join(tmpdir, "other/ledger.sqlite");
    assert_int_equal(mkdir(dir, 0755), 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE rounds (x TEXT)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    diag_ctx *d = diag_new();
    assert_null(ledger_open(dir, 1, d));
    assert_true(diag_count(d) >= 1);
    const diag_msg *m = diag_get(d, 0);
    assert_non_null(strstr(m->message, "is not a khet ledger"));
    assert_int_equal(m->level, DIAG_ERROR);
    assert_int_equal(m->line, 0);
    assert_int_equal(m->col, 0);
    diag_free(d);
    unlink(db);
    rmdir(dir);
    free(dir), free(db);
}

/* SQLite's allocations, failed on request: the k-th from now fails
 * (installed with SQLITE_CONFIG_MALLOC around sqlite3's default
 * allocator). Test-only state. */
static sqlite3_mem_methods real_mem;
static long mem_countdown; /* 0: none fails */
static int mem_failed;
static void *fail_malloc(int n)
{
    if (mem_countdown > 0 && --mem_countdown == 0) {
        mem_failed = 1;
        return NULL;
    }
    return real_mem.xMalloc(n);
}
static void *fail_realloc(void *p, int n)
{
    if (mem_countdown > 0 && --mem_countdown == 0) {
        mem_failed = 1;
        return NULL;
    }
    return real_mem.xRealloc(p, n);
}

/* Memory running out anywhere in SQLite while the ledger is opened and its
 * tables are checked: either the ledger opens and nothing is reported, or
 * it does not and one error says so (never a ledger handed back with an
 * error recorded, as when a failed check of its tables was taken for a
 * pass, nor a refusal without a word). Each allocation in turn, until the
 * open makes no more. */
static void test_ledger_open_out_of_memory(void **s)
{
    (void)s;
    char *dir = util_path_join(tmpdir, "mem"), *db = util_path_join(tmpdir, "mem/ledger.sqlite");
    assert_int_equal(mkdir(dir, 0755), 0);
    diag_ctx *d = diag_new();
    ledger *l = ledger_open(dir, 1, d); /* a khet ledger with its tables */
    assert_non_null(l);
    ledger_close(l);
    diag_free(d);
    assert_int_equal(sqlite3_shutdown(), SQLITE_OK);
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem), SQLITE_OK);
    sqlite3_mem_methods m = real_mem;
    m.xMalloc = fail_malloc, m.xRealloc = fail_realloc;
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0), SQLITE_OK);
    assert_int_equal(sqlite3_initialize(), SQLITE_OK);
    int refused = 0, k;
    for (k = 1; k < 10000; k++) {
        d = diag_new();
        mem_failed = 0, mem_countdown = k;
        l = ledger_open(dir, 0, d);
        mem_countdown = 0;
        if (l && diag_count(d))
            fail_msg("allocation %d failed: the ledger opened with an error recorded: %s", k,
                     diag_get(d, 0)->message);
        if (!l && diag_errors(d) != 1)
            fail_msg("allocation %d failed: the ledger refused with %d errors", k, diag_errors(d));
        refused += !l;
        ledger_close(l);
        diag_free(d);
        if (!mem_failed)
            break;
    }
    assert_int_equal(sqlite3_shutdown(), SQLITE_OK);
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &real_mem), SQLITE_OK);
    assert_int_equal(sqlite3_initialize(), SQLITE_OK);
    assert_true(k > 20 && k < 10000); /* it ran out of allocations to fail */
    assert_true(refused > 0);
    unlink(db);
    rmdir(dir);
    free(dir), free(db);
}

/* A round that cannot be looked up in the ledger (the query cannot even be
 * prepared: here SQLite's statement-length limit, in life memory) is an
 * error, never "not filed", which would let khet archive file it twice. */
static void test_ledger_round_lookup_fails(void **s)
{
    (void)s;
    char *dir = util_path_join(tmpdir, "lookup"), *db = util_path_join(tmpdir, "lookup/ledger.sqlite");
    assert_int_equal(mkdir(dir, 0755), 0);
    diag_ctx *d = diag_new();
    ledger *l = ledger_open(dir, 1, d);
    assert_non_null(l);
    assert_int_equal(ledger_has_round(l, "finance-r8-2563/2563-09-r2"), 0); /* a new ledger: not filed */
    sqlite3_limit(l->db, SQLITE_LIMIT_SQL_LENGTH, 8);
    assert_int_equal(ledger_has_round(l, "finance-r8-2563/2563-09-r2"), -1);
    ledger_close(l);
    diag_free(d);
    unlink(db);
    rmdir(dir);
    free(dir), free(db);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signoff_good), cmocka_unit_test(test_signoff_october),
        cmocka_unit_test(test_signoff_bad), cmocka_unit_test(test_signoff_period_years),
        cmocka_unit_test(test_signoff_position),  cmocka_unit_test(test_ledger_chain),
        cmocka_unit_test(test_pdfa_and_sign), cmocka_unit_test(test_guard_names),
        cmocka_unit_test(test_guard_clear_flat), cmocka_unit_test(test_ledger_other_schema),
        cmocka_unit_test(test_ledger_open_out_of_memory), cmocka_unit_test(test_ledger_round_lookup_fails),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char *p = util_path_join(tmpdir, "so.csv"), *q = util_path_join(tmpdir, "bad.csv");
    unlink(p);
    unlink(q);
    free(p);
    free(q);
    rmdir(tmpdir);
    return rc;
}
