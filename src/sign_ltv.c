/* sign_ltv: PAdES long-term validation (ETSI EN 319 142-1 B-LT and B-LTA)
 * for `khet archive --extend`, and its checking for `khet verify`.
 *
 * Owns: the revocation lists an extension is given (--crl, or the CRLs of
 * the --trust folder); the certificates a signed document's validation
 * needs (every certificate each signature's CMS carries, those of each
 * signature's time-stamp token and of earlier document time-stamps, with
 * --trust the whole chain up to the anchor); the incremental update that
 * adds them and the CRLs as the catalog's /DSS, with a document time-stamp
 * (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161: an RFC 3161 token over
 * the file's /ByteRange) in an invisible signature field; and the checks
 * of both: the DSS holds every certificate and, for each one not
 * self-signed, a CRL of its issuer that verifies and does not revoke it
 * before the signature's time (the last document time-stamp's own
 * certificates excepted: only the next extension can add them); the
 * document time-stamp's imprint is the
 * SHA-256 of its byte range and its token verifies. */
#include "sign.h"

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h: its PEM functions need pem.h */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <qpdf/qpdf-c.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sign_int.h"
#include "sign_tsa.h"
#include "util.h"

#define TS_RESERVE 16384 /* bytes of token the document time-stamp's /Contents holds */

struct sign_crls {
    STACK_OF(X509_CRL) *v;
};

/* Every CRL of one file (PEM, one or more; or one DER). 0 when it holds
 * none (*err: errno when it could not be read), the count, -1 out of memory. */
static int read_crls(const char *path, STACK_OF(X509_CRL) *into, int *err)
{
    char *bytes = NULL;
    size_t len = 0;
    *err = 0;
    if (util_read_file(path, 1 << 24, &bytes, &len) != 0 || len > INT_MAX) {
        *err = errno ? errno : EFBIG;
        free(bytes);
        return 0;
    }
    BIO *b = BIO_new_mem_buf(bytes, (int)len);
    int n = 0;
    X509_CRL *c;
    while (b && (c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL))) {
        if (sk_X509_CRL_push(into, c) <= 0) {
            X509_CRL_free(c);
            n = -1;
            break;
        }
        n++;
    }
    if (n == 0) {
        const unsigned char *p = (const unsigned char *)bytes;
        if ((c = d2i_X509_CRL(NULL, &p, (long)len)) && sk_X509_CRL_push(into, c) <= 0) {
            X509_CRL_free(c);
            n = -1;
        } else if (c)
            n = 1;
    }
    ERR_clear_error();
    BIO_free(b);
    free(bytes);
    return n;
}

sign_crls *sign_crls_load(const char *const *paths, int n, const char *trust_path, diag_ctx *d)
{
    sign_crls *c = calloc(1, sizeof *c);
    if (!c || !(c->v = sk_X509_CRL_new_null())) {
        free(c);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        int err, got = read_crls(paths[i], c->v, &err);
        if (got == 0)
            diag_add(d, DIAG_ERROR, paths[i], 0, 0, "--crl: %s%s", err ? "cannot read it: " : "",
                     err ? util_strerror(err) : "no certificate revocation list (PEM or DER) in it");
        else if (got < 0)
            diag_add(d, DIAG_SYSTEM, paths[i], 0, 0, "out of memory");
    }
    struct stat st;
    DIR *dh = trust_path && stat(trust_path, &st) == 0 && S_ISDIR(st.st_mode) ? opendir(trust_path) : NULL;
    for (struct dirent *e; dh && (e = readdir(dh));) { /* the CRLs a --trust folder keeps beside its CAs */
        char *p = e->d_name[0] != '.' ? util_path_join(trust_path, e->d_name) : NULL;
        struct stat fs;
        int err;
        if (p && stat(p, &fs) == 0 && S_ISREG(fs.st_mode) && read_crls(p, c->v, &err) < 0)
            diag_add(d, DIAG_SYSTEM, p, 0, 0, "out of memory");
        free(p);
    }
    if (dh)
        closedir(dh);
    if (diag_errors(d)) {
        sign_crls_free(c);
        return NULL;
    }
    return c;
}

void sign_crls_free(sign_crls *c)
{
    if (!c)
        return;
    sk_X509_CRL_pop_free(c->v, X509_CRL_free);
    free(c);
}

int sign_crls_count(const sign_crls *c) { return c ? sk_X509_CRL_num(c->v) : 0; }

/* ---- what validation needs ---- */

typedef struct {
    STACK_OF(X509) *certs;   /* needed: carried by signatures and their tokens */
    STACK_OF(X509) *dss;     /* in the file's DSS */
    STACK_OF(X509_CRL) *crls; /* in the file's DSS */
} ltv_set;

static void set_free(ltv_set *s)
{
    sk_X509_pop_free(s->certs, X509_free);
    sk_X509_pop_free(s->dss, X509_free);
    sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
}

static int add_cert(STACK_OF(X509) *to, X509 *c)
{
    for (int i = 0; i < sk_X509_num(to); i++)
        if (!X509_cmp(sk_X509_value(to, i), c))
            return 0;
    if (X509_up_ref(c) != 1)
        return -1;
    if (sk_X509_push(to, c) <= 0) {
        X509_free(c);
        return -1;
    }
    return 0;
}

static int add_certs(STACK_OF(X509) *to, const STACK_OF(X509) *from)
{
    int rc = 0;
    for (int i = 0; !rc && from && i < sk_X509_num(from); i++)
        rc = add_cert(to, sk_X509_value(from, i));
    return rc;
}

/* A string object's bytes (the /Contents of a signature). */
static const unsigned char *contents_of(qpdf_data q, qpdf_oh v, size_t *n)
{
    qpdf_oh ct = qpdf_oh_get_key(q, v, "/Contents");
    *n = 0;
    return qpdf_oh_is_string(q, ct) ? (const unsigned char *)qpdf_oh_get_binary_string_value(q, ct, n) : NULL;
}

int sign_is_doc_timestamp(qpdf_data q, qpdf_oh v)
{
    return qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, v, "/SubFilter"), "/ETSI.RFC3161");
}

/* The certificates of every signature (its CMS and its time-stamp token)
 * and of the document time-stamps of the file: all of them, or (last 0)
 * all but the last, whose own validation data only a later extension can
 * add. */
static int gather(qpdf_data q, ltv_set *s, int last)
{
    qpdf_oh fields = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/AcroForm"), "/Fields");
    int nf = qpdf_oh_is_array(q, fields) ? qpdf_oh_get_array_n_items(q, fields) : 0, rc = 0, nsig = 0, skip = -1;
    for (int i = 0; !last && i < nf; i++) {
        qpdf_oh v = qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, fields, i), "/V");
        if (qpdf_oh_is_dictionary(q, v) && sign_is_doc_timestamp(q, v))
            skip = i;
    }
    for (int i = 0; !rc && i < nf; i++) {
        qpdf_oh v = qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, fields, i), "/V");
        size_t n;
        const unsigned char *der = qpdf_oh_is_dictionary(q, v) && i != skip ? contents_of(q, v, &n) : NULL, *p = der;
        if (!der)
            continue;
        if (sign_is_doc_timestamp(q, v)) {
            PKCS7 *t = d2i_PKCS7(NULL, &p, (long)n);
            rc = t && PKCS7_type_is_signed(t) ? add_certs(s->certs, t->d.sign->cert) : 0;
            PKCS7_free(t);
            continue;
        }
        CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
        STACK_OF(X509) *carried = cms ? CMS_get1_certs(cms) : NULL;
        CMS_SignerInfo *si = cms ? sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0) : NULL;
        PKCS7 *t = si ? sign_tsa_token_of(si) : NULL;
        rc = add_certs(s->certs, carried);
        if (!rc && t && PKCS7_type_is_signed(t))
            rc = add_certs(s->certs, t->d.sign->cert);
        nsig++;
        PKCS7_free(t);
        sk_X509_pop_free(carried, X509_free);
        CMS_ContentInfo_free(cms);
    }
    ERR_clear_error();
    return rc ? -1 : nsig;
}

/* The DSS the file has (certificates and CRLs), into s->dss and s->crls. */
static int read_dss(qpdf_data q, ltv_set *s)
{
    qpdf_oh dss = qpdf_oh_get_key(q, qpdf_get_root(q), "/DSS");
    static const char *const keys[] = {"/Certs", "/CRLs"};
    for (int k = 0; k < 2 && qpdf_oh_is_dictionary(q, dss); k++) {
        qpdf_oh a = qpdf_oh_get_key(q, dss, keys[k]);
        for (int i = 0; qpdf_oh_is_array(q, a) && i < qpdf_oh_get_array_n_items(q, a); i++) {
            unsigned char *buf = NULL;
            size_t n = 0;
            if (qpdf_oh_get_stream_data(q, qpdf_oh_get_array_item(q, a, i), qpdf_dl_generalized, NULL, &buf, &n) !=
                QPDF_SUCCESS) {
                free(buf);
                return -1;
            }
            const unsigned char *p = buf;
            X509 *c = k == 0 ? d2i_X509(NULL, &p, (long)n) : NULL;
            X509_CRL *r = k == 1 ? d2i_X509_CRL(NULL, &p, (long)n) : NULL;
            int bad = (!c && !r) || (c && sk_X509_push(s->dss, c) <= 0) || (r && sk_X509_CRL_push(s->crls, r) <= 0);
            free(buf);
            if (bad) {
                X509_free(c);
                X509_CRL_free(r);
                return -1;
            }
        }
    }
    return 0;
}

static int self_signed(X509 *c) { return X509_check_issued(c, c) == X509_V_OK; }

/* The issuer of c among the stacks, NULL when none. */
static X509 *issuer_in(X509 *c, STACK_OF(X509) *a, STACK_OF(X509) *b)
{
    STACK_OF(X509) *v[2] = {a, b};
    for (int k = 0; k < 2; k++)
        for (int i = 0; v[k] && i < sk_X509_num(v[k]); i++)
            if (X509_check_issued(sk_X509_value(v[k], i), c) == X509_V_OK)
                return sk_X509_value(v[k], i);
    return NULL;
}

/* The newest CRL of c's issuer (signed by it: the latest thisUpdate), NULL
 * when none. */
static X509_CRL *crl_for(X509 *c, X509 *issuer, STACK_OF(X509_CRL) *crls)
{
    X509_CRL *best = NULL;
    for (int i = 0; issuer && i < sk_X509_CRL_num(crls); i++) {
        X509_CRL *r = sk_X509_CRL_value(crls, i);
        if (!X509_NAME_cmp(X509_CRL_get_issuer(r), X509_get_issuer_name(c)) &&
            X509_CRL_verify(r, X509_get0_pubkey(issuer)) == 1 &&
            (!best || ASN1_TIME_compare(X509_CRL_get0_lastUpdate(r), X509_CRL_get0_lastUpdate(best)) > 0))
            best = r;
    }
    ERR_clear_error();
    return best;
}

static void subject_of(X509 *c, char *out, size_t n) { sign_cert_subject(c, out, n); }

/* ---- extending ---- */

/* With anchors, each certificate's chain up to them joins the set. */
static void add_chains(ltv_set *s, const sign_trust *trust)
{
    int n = sk_X509_num(s->certs);
    for (int i = 0; trust && i < n; i++) {
        X509_STORE_CTX *ctx = X509_STORE_CTX_new();
        if (ctx && X509_STORE_CTX_init(ctx, trust->store, sk_X509_value(s->certs, i), s->certs) == 1) {
            X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_PARTIAL_CHAIN);
            if (X509_verify_cert(ctx) == 1)
                add_certs(s->certs, X509_STORE_CTX_get0_chain(ctx));
        }
        X509_STORE_CTX_free(ctx);
    }
    ERR_clear_error();
}

/* The CRLs the set needs, from the given ones and the file's DSS; names
 * each certificate without one. */
static STACK_OF(X509_CRL) *needed_crls(ltv_set *s, const sign_crls *given, const char *what, diag_ctx *d)
{
    STACK_OF(X509_CRL) *out = sk_X509_CRL_new_null();
    for (int i = 0; out && i < sk_X509_num(s->certs); i++) {
        X509 *c = sk_X509_value(s->certs, i), *iss = issuer_in(c, s->certs, s->dss);
        char subj[256], isub[256];
        if (self_signed(c))
            continue;
        X509_CRL *r = crl_for(c, iss, given->v);
        r = r ? r : crl_for(c, iss, s->crls);
        subject_of(c, subj, sizeof subj);
        sign_name_line(X509_get_issuer_name(c), isub, sizeof isub);
        if (!iss)
            diag_add(d, DIAG_ERROR, what, 0, 0,
                     "the chain of %s stops before its issuer %s: give --trust with the CA certificates, so that "
                     "its CRL can be checked and the chain embedded",
                     subj, isub);
        else if (!r)
            diag_add(d, DIAG_ERROR, what, 0, 0,
                     "no CRL of %s (the issuer of %s) was given: --crl FILE, or a CRL in the --trust folder", isub,
                     subj);
        else {
            int have = 0;
            for (int k = 0; k < sk_X509_CRL_num(out); k++)
                have |= sk_X509_CRL_value(out, k) == r;
            if (!have && (X509_CRL_up_ref(r) != 1 || sk_X509_CRL_push(out, r) <= 0)) {
                sk_X509_CRL_pop_free(out, X509_CRL_free);
                return NULL;
            }
        }
    }
    return out;
}

/* A stream object holding der (a certificate or a CRL). */
static char *der_stream(const unsigned char *der, int n, size_t *len)
{
    strbuf b = {0};
    sb_printf(&b, "<< /Length %d >>\nstream\n", n);
    sb_append(&b, (const char *)der, (size_t)n);
    sb_puts(&b, "\nendstream");
    *len = b.len;
    if (b.oom) {
        sb_free(&b);
        return NULL;
    }
    return b.data;
}

/* One array "[N 0 R ...]" of new stream objects, one per DER item. */
static void der_array(qpdf_data q, int kind, void *items, upd_obj *o, int *n, strbuf *arr)
{
    int count = kind ? sk_X509_CRL_num(items) : sk_X509_num(items);
    sb_puts(arr, "[");
    for (int i = 0; i < count; i++) {
        unsigned char *der = NULL;
        int dl = kind ? i2d_X509_CRL(sk_X509_CRL_value(items, i), &der) : i2d_X509(sk_X509_value(items, i), &der);
        qpdf_oh h = qpdf_make_indirect_object(q, qpdf_oh_new_null(q));
        size_t len = 0;
        o[*n] = (upd_obj){qpdf_oh_get_object_id(q, h), dl > 0 ? der_stream(der, dl, &len) : NULL, 0};
        o[(*n)++].len = len;
        sb_printf(arr, "%s%d 0 R", i ? " " : "", qpdf_oh_get_object_id(q, h));
        OPENSSL_free(der);
    }
    sb_puts(arr, "]");
}

/* The update's objects: the DSS and its streams, the time-stamp's field on
 * the first page, its dictionary (placeholders), the page and the catalog. */
static int make_ltv_update(qpdf_data q, ltv_set *s, STACK_OF(X509_CRL) *crls, upd_obj **po, int *pn)
{
    int cap = sk_X509_num(s->certs) + sk_X509_CRL_num(crls) + 8, n = 0;
    upd_obj *o = calloc((size_t)cap, sizeof *o);
    if (!o)
        return -1;
    strbuf certs = {0}, rl = {0}, ts = {0};
    der_array(q, 0, s->certs, o, &n, &certs);
    der_array(q, 1, crls, o, &n, &rl);
    qpdf_oh dss = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q)); /* not null: qpdf drops a key set to null */
    o[n++] = (upd_obj){qpdf_oh_get_object_id(q, dss),
                       certs.oom || rl.oom ? NULL
                                           : util_format("<< /Type /DSS /Certs %s /CRLs %s >>", certs.data, rl.data),
                       0};
    qpdf_oh root = qpdf_get_root(q), page = qpdf_get_page_n(q, 0);
    qpdf_oh fields = qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/AcroForm"), "/Fields");
    int nf = qpdf_oh_is_array(q, fields) ? qpdf_oh_get_array_n_items(q, fields) : 0;
    char name[48];
    snprintf(name, sizeof name, "khet-archive-timestamp-%d", nf + 1);
    qpdf_oh f = qpdf_make_indirect_object(
        q, qpdf_oh_parse(q, "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [0 0 0 0] >>"));
    qpdf_oh_replace_key(q, f, "/T", qpdf_oh_new_unicode_string(q, name));
    qpdf_oh_replace_key(q, f, "/P", page);
    qpdf_oh sig = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    qpdf_oh_replace_key(q, f, "/V", sig);
    qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
    if (!qpdf_oh_is_array(q, annots)) {
        annots = qpdf_oh_new_array(q);
        qpdf_oh_replace_key(q, page, "/Annots", annots);
    }
    qpdf_oh_append_item(q, annots, f);
    qpdf_oh_append_item(q, fields, f);
    qpdf_oh_replace_key(q, root, "/DSS", dss);
    o[n++] = (upd_obj){qpdf_oh_get_object_id(q, f), util_strdup(qpdf_oh_unparse_resolved(q, f)), 0};
    o[n++] = (upd_obj){qpdf_oh_get_object_id(q, page), util_strdup(qpdf_oh_unparse_resolved(q, page)), 0};
    o[n++] = (upd_obj){qpdf_oh_get_object_id(q, root), util_strdup(qpdf_oh_unparse_resolved(q, root)), 0};
    sb_printf(&ts, "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange [0 %-32s] "
                   "/Contents <",
              "");
    for (int i = 0; i < TS_RESERVE; i++)
        sb_puts(&ts, "00");
    sb_puts(&ts, "> >>");
    o[n++] = (upd_obj){qpdf_oh_get_object_id(q, sig), ts.oom ? NULL : util_strdup(ts.data), 0};
    sb_free(&certs);
    sb_free(&rl);
    sb_free(&ts);
    *po = o;
    *pn = n;
    return nf > 0 && !qpdf_has_error(q) ? 0 : -1;
}

/* The last occurrence of needle in hay[0, n), NULL when none. */
static char *last_of(char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (!memcmp(hay + i, needle, k))
            return hay + i;
    return NULL;
}

/* Fills the placeholders of the update appended to all[0, n) (its
 * dictionary the last one of the update) with the token over its range. */
static int stamp(unsigned char *all, size_t n, size_t from, const char *tsa, const char *what, char *when, size_t wn,
                 diag_ctx *d)
{
    char *br = last_of((char *)all + from, n - from, "/ByteRange [0 ");
    char *ct = last_of((char *)all + from, n - from, "/Contents <00");
    if (!br || !ct || ct < br)
        return -1;
    long a = (long)((unsigned char *)ct - all) + 10, c = a + 2 * TS_RESERVE + 2;
    char range[72];
    snprintf(range, sizeof range, "%ld %ld %ld", a, c, (long)n - c);
    if (strlen(range) > 32)
        return -1;
    memcpy(br + 14, range, strlen(range));
    unsigned char md[32], *der = NULL;
    unsigned int ml = 32;
    int dl = 0, rc = -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 || EVP_DigestUpdate(ctx, all, (size_t)a) != 1 ||
        EVP_DigestUpdate(ctx, all + c, n - (size_t)c) != 1 || EVP_DigestFinal_ex(ctx, md, &ml) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    EVP_MD_CTX_free(ctx);
    if (sign_tsa_token(md, tsa, what, &der, &dl, d) != 0)
        return -1;
    const unsigned char *p = der;
    PKCS7 *t = d2i_PKCS7(NULL, &p, dl);
    char *h = dl <= TS_RESERVE ? malloc(2 * (size_t)dl + 1) : NULL;
    if (dl > TS_RESERVE)
        diag_add(d, DIAG_ERROR, what, 0, 0, "the document time-stamp (%d bytes) is larger than the room kept for it",
                 dl);
    else if (h && t && sign_tsa_check_token(t, md, NULL, when, wn, NULL) == 1) {
        sign_hex(der, (size_t)dl, h);
        memcpy(all + a + 1, h, 2 * (size_t)dl);
        rc = 0;
    } else
        sign_ssl_error(d, what, "the time-stamp authority's token does not verify");
    free(h);
    PKCS7_free(t);
    OPENSSL_free(der);
    return rc;
}

int sign_extend(const unsigned char *pdf, size_t len, const char *tsa, const sign_crls *crls, const sign_trust *trust,
                const char *what, unsigned char **out, size_t *outlen, char stamped[32], diag_ctx *d)
{
    qpdf_data q = qpdf_init();
    ltv_set s = {sk_X509_new_null(), sk_X509_new_null(), sk_X509_CRL_new_null()};
    STACK_OF(X509_CRL) *need = NULL;
    upd_obj *o = NULL;
    int no = 0, rc = -1, before = diag_errors(d);
    strbuf b = {0};
    *out = NULL;
    if (q && s.certs && s.dss && s.crls) {
        qpdf_silence_errors(q);
        qpdf_set_suppress_warnings(q, QPDF_TRUE);
    }
    if (!q || !s.certs || !s.dss || !s.crls)
        ;
    else if (qpdf_read_memory(q, what, (const char *)pdf, len, NULL) & QPDF_ERRORS)
        diag_add(d, DIAG_ERROR, what, 0, 0, "not a readable PDF");
    else if (gather(q, &s, 1) <= 0 || read_dss(q, &s) != 0)
        diag_add(d, DIAG_ERROR, what, 0, 0, "not signed, or its signatures or DSS cannot be read: nothing to extend");
    else {
        add_chains(&s, trust);
        need = needed_crls(&s, crls, what, d);
        /* certificates and CRLs the DSS had stay in the new one */
        for (int i = 0; need && i < sk_X509_CRL_num(s.crls); i++) {
            X509_CRL *r = sk_X509_CRL_value(s.crls, i);
            int have = 0;
            for (int k = 0; k < sk_X509_CRL_num(need); k++)
                have |= !X509_CRL_match(sk_X509_CRL_value(need, k), r);
            if (!have && X509_CRL_up_ref(r) == 1 && sk_X509_CRL_push(need, r) <= 0)
                X509_CRL_free(r);
        }
        int made = need && add_certs(s.certs, s.dss) == 0 && diag_errors(d) == before &&
                   make_ltv_update(q, &s, need, &o, &no) == 0;
        if (!made) /* sign_write_update frees the objects' texts, whatever it returns */
            for (int i = 0; o && i < no; i++)
                free(o[i].text);
        if (made && sign_write_update(q, pdf, len, o, no, &b) == 0) {
            unsigned char *all = malloc(len + b.len);
            if (all) {
                memcpy(all, pdf, len);
                memcpy(all + len, b.data, b.len);
                if (stamp(all, len + b.len, len, tsa, what, stamped, 32, d) == 0) {
                    *out = all;
                    *outlen = len + b.len;
                    all = NULL;
                }
            }
            free(all);
        }
    }
    rc = *out ? 0 : -1;
    if (rc && diag_errors(d) == before)
        diag_add(d, DIAG_SYSTEM, what, 0, 0, "cannot extend the document (qpdf: %s)",
                 q && qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "out of memory");
    free(o);
    sb_free(&b);
    sk_X509_CRL_pop_free(need, X509_CRL_free);
    set_free(&s);
    ERR_clear_error();
    qpdf_cleanup(&q);
    return rc;
}

/* ---- checking ---- */

int sign_docts_check(qpdf_data q, qpdf_oh v, const unsigned char *pdf, size_t len, size_t end,
                     const sign_trust *trust, sign_stamp *one, const char *what, diag_ctx *d)
{
    qpdf_oh br = qpdf_oh_get_key(q, v, "/ByteRange");
    long long r[4] = {-1, -1, -1, -1};
    for (int i = 0; i < 4 && qpdf_oh_is_array(q, br) && qpdf_oh_get_array_n_items(q, br) == 4; i++)
        r[i] = qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, br, i));
    size_t n = 0;
    const unsigned char *der = contents_of(q, v, &n), *p = der;
    if (r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0 || (size_t)(r[2] + r[3]) > len || !der ||
        pdf[r[1]] != '<' || pdf[r[2] - 1] != '>') {
        diag_add(d, DIAG_ERROR, what, 0, 0, "the document time-stamp's /ByteRange is malformed");
        return -1;
    }
    one->covers = (size_t)(r[2] + r[3]);
    if (one->covers != end) {
        diag_add(d, DIAG_ERROR, what, 0, 0,
                 end == len ? "%zu bytes after the document time-stamp are not covered by it (changed after "
                              "extension)"
                            : "the document time-stamp does not cover exactly its own revision (%zu)",
                 end == len ? len - one->covers : one->covers);
        return -1;
    }
    unsigned char md[32];
    unsigned int ml = 32;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, pdf, (size_t)r[1]) == 1 &&
             EVP_DigestUpdate(ctx, pdf + r[2], (size_t)r[3]) == 1 && EVP_DigestFinal_ex(ctx, md, &ml) == 1;
    EVP_MD_CTX_free(ctx);
    PKCS7 *t = ok ? d2i_PKCS7(NULL, &p, (long)n) : NULL;
    ok = t && sign_tsa_check_token(t, md, trust ? trust->store : NULL, one->stamped, sizeof one->stamped,
                                   &one->at) == 1;
    PKCS7_free(t);
    if (!ok)
        sign_ssl_error(d, what,
                       trust ? "the document time-stamp does not verify over its byte range (the file was changed "
                               "after extension), or its TSA's chain does not reach --trust"
                             : "the document time-stamp does not verify over its byte range (the file was changed "
                               "after extension)");
    return ok ? 0 : -1;
}

/* Whether c is revoked by r before `when` (0: at any time); names it. */
static int revoked(X509 *c, X509_CRL *r, time_t when, const char *what, diag_ctx *d)
{
    X509_REVOKED *rev = NULL;
    if (X509_CRL_get0_by_cert(r, &rev, c) != 1 || !rev)
        return 0;
    struct tm tm;
    const ASN1_TIME *t = X509_REVOKED_get0_revocationDate(rev);
    time_t at = t && ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : 0;
    char subj[256], day[32] = "?";
    subject_of(c, subj, sizeof subj);
    if (at)
        strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S UTC", &tm);
    if (when && at && at > when) {
        diag_add(d, DIAG_NOTE, what, 0, 0, "the certificate %s was revoked on %s, after it signed (its time-stamp)",
                 subj, day);
        return 0;
    }
    diag_add(d, DIAG_ERROR, what, 0, 0, "the certificate %s was revoked on %s (its issuer's CRL in the DSS)", subj,
             day);
    return 1;
}

int sign_dss_check(qpdf_data q, time_t when, sign_info *info, const char *what, diag_ctx *d)
{
    ltv_set s = {sk_X509_new_null(), sk_X509_new_null(), sk_X509_CRL_new_null()};
    int bad = 0;
    if (!s.certs || !s.dss || !s.crls || gather(q, &s, 0) < 0 || read_dss(q, &s) != 0) {
        diag_add(d, DIAG_ERROR, what, 0, 0, "the DSS (validation data) cannot be read");
        set_free(&s);
        return -1;
    }
    info->dss_certs = sk_X509_num(s.dss);
    info->dss_crls = sk_X509_CRL_num(s.crls);
    for (int i = 0; i < sk_X509_num(s.certs); i++) {
        X509 *c = sk_X509_value(s.certs, i), *iss = issuer_in(c, s.dss, NULL);
        char subj[256];
        subject_of(c, subj, sizeof subj);
        int in = 0;
        for (int k = 0; k < sk_X509_num(s.dss); k++)
            in |= !X509_cmp(sk_X509_value(s.dss, k), c);
        if (!in) {
            diag_add(d, DIAG_ERROR, what, 0, 0, "the DSS lacks the certificate %s (validation data incomplete)", subj);
            bad++;
            continue;
        }
        if (self_signed(c))
            continue;
        X509_CRL *r = crl_for(c, iss, s.crls);
        if (!r) {
            diag_add(d, DIAG_ERROR, what, 0, 0,
                     "the DSS has no CRL of the issuer of %s that verifies (validation data incomplete or altered)",
                     subj);
            bad++;
        } else
            bad += revoked(c, r, when, what, d);
    }
    set_free(&s);
    return bad ? -1 : 0;
}
