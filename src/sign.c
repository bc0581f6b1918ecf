#include "sign.h"

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h: its PEM functions need pem.h */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <qpdf/qpdf-c.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign_int.h"
#include "sign_tsa.h"
#include "util.h"

#define SIG_RESERVE 16384 /* bytes of CMS the /Contents placeholder holds */

char *sign_blob(const sign_key *k, const char *data, size_t len, const char *tsa, const char *what, diag_ctx *d)
{
    BIO *in = len <= INT_MAX ? BIO_new_mem_buf(data, (int)len) : NULL, *out = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms =
        in && out ? CMS_sign(k->cert, k->key, NULL, in, CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP) : NULL;
    /* the time-stamp is an unsigned attribute: added after the signature */
    CMS_SignerInfo *si = cms ? sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0) : NULL;
    int stamped = !tsa || (si && sign_tsa_stamp(si, tsa, what, d) == 0);
    char *pem = NULL, *p = NULL;
    long n = cms && stamped && PEM_write_bio_CMS(out, cms) == 1 ? BIO_get_mem_data(out, &p) : 0;
    if (n > 0 && (pem = malloc((size_t)n + 1))) {
        memcpy(pem, p, (size_t)n);
        pem[n] = 0;
    }
    if (!pem && stamped)
        sign_ssl_error(d, what, "cannot sign the ledger head");
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    BIO_free(out);
    return pem;
}

char *sign_blob_open(const char *pem, size_t len, char fpr[65], const char *what, diag_ctx *d)
{
    BIO *in = len <= INT_MAX ? BIO_new_mem_buf(pem, (int)len) : NULL, *out = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms = in ? PEM_read_bio_CMS(in, NULL, NULL, NULL) : NULL;
    char *text = NULL, *p = NULL;
    fpr[0] = 0;
    CMS_SignerInfo *si = cms ? sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0) : NULL;
    char when[32];
    if (cms && out && CMS_verify(cms, NULL, NULL, NULL, out, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1 && si &&
        sign_tsa_check(si, NULL, when, sizeof when, what, d) >= 0) {
        long n = BIO_get_mem_data(out, &p);
        STACK_OF(X509) *signers = CMS_get0_signers(cms);
        if (signers && sk_X509_num(signers) == 1)
            sign_cert_fpr(sk_X509_value(signers, 0), fpr);
        sk_X509_free(signers);
        if (n >= 0 && fpr[0] && (text = malloc((size_t)n + 1))) {
            memcpy(text, p, (size_t)n);
            text[n] = 0;
        }
    }
    if (!text)
        sign_ssl_error(d, what, "the signature over the ledger head does not verify");
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    BIO_free(out);
    return text;
}

/* PAdES B-B (ETSI EN 319 142-1, 5.2.1) forbids the CMS signing-time
 * attribute: the time is the dictionary's /M. OpenSSL 3.0 adds one in
 * CMS_final whatever we ask, so it is taken out afterwards and the signature
 * over the signed attributes made again. PKCS7_ATTR_SIGN is OpenSSL's public
 * twin of CMS's internal CMS_Attributes_Sign: the DER SET OF, sorted, that
 * the signature covers. CMS_SignerInfo_verify then checks the result the way
 * OpenSSL's own verifier reads it (pdfsig, with NSS, is the tests' other). */
static int drop_signing_time(CMS_SignerInfo *si, EVP_PKEY *key)
{
    int loc;
    while ((loc = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1)) >= 0) {
        X509_ATTRIBUTE *gone = CMS_signed_delete_attr(si, loc);
        if (!gone)
            return -1;
        X509_ATTRIBUTE_free(gone);
    }
    int n = CMS_signed_get_attr_count(si);
    STACK_OF(X509_ATTRIBUTE) *attrs = n > 0 ? sk_X509_ATTRIBUTE_new_reserve(NULL, n) : NULL;
    int ok = attrs != NULL;
    for (int i = 0; ok && i < n; i++) {
        X509_ATTRIBUTE *a = CMS_signed_get_attr(si, i);
        ok = a && sk_X509_ATTRIBUTE_push(attrs, a) > 0;
    }
    unsigned char *der = NULL, *sig = NULL;
    int derlen = ok ? ASN1_item_i2d((ASN1_VALUE *)attrs, &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN)) : -1;
    EVP_MD_CTX *md = derlen > 0 ? EVP_MD_CTX_new() : NULL;
    size_t siglen = 0;
    ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
         EVP_DigestSign(md, NULL, &siglen, der, (size_t)derlen) == 1 && siglen <= INT_MAX &&
         (sig = OPENSSL_malloc(siglen)) && EVP_DigestSign(md, sig, &siglen, der, (size_t)derlen) == 1 &&
         ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)siglen) == 1 && CMS_SignerInfo_verify(si) == 1;
    OPENSSL_free(sig);
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    sk_X509_ATTRIBUTE_free(attrs); /* the attributes stay the SignerInfo's */
    return ok ? 0 : -1;
}

/* The detached CMS over data: SHA-256, ESS signing-certificate-v2 (CAdES),
 * no signing time (see drop_signing_time). */
static unsigned char *make_cms(const sign_key *k, const unsigned char *data, size_t len, const char *tsa,
                               int *outlen, diag_ctx *d, const char *what)
{
    unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    CMS_SignerInfo *si = cms ? CMS_add1_signer(cms, k->cert, k->key, EVP_sha256(), flags | CMS_CADES) : NULL;
    /* the whole chain given, so that a verifier needs only the root */
    for (int i = 0; si && k->chain && i < sk_X509_num(k->chain); i++)
        if (CMS_add1_cert(cms, sk_X509_value(k->chain, i)) != 1)
            si = NULL;
    BIO *in = len <= INT_MAX ? BIO_new_mem_buf(data, (int)len) : NULL;
    unsigned char *der = NULL;
    *outlen = 0;
    int stamped = 1;
    if (si && in && CMS_final(cms, in, NULL, CMS_DETACHED | CMS_BINARY) == 1 && drop_signing_time(si, k->key) == 0 &&
        (!tsa || (stamped = sign_tsa_stamp(si, tsa, what, d) == 0)))
        *outlen = i2d_CMS_ContentInfo(cms, &der);
    if (*outlen <= 0 && stamped) {
        sign_ssl_error(d, what, "cannot sign");
        OPENSSL_free(der);
        der = NULL;
    }
    BIO_free(in);
    CMS_ContentInfo_free(cms);
    return der;
}

long sign_find_startxref(const unsigned char *pdf, size_t len)
{
    size_t from = len > 64 ? len - 64 : 0;
    for (size_t i = len >= 9 ? len - 9 : 0; i + 1 > from; i--)
        if (!memcmp(pdf + i, "startxref", 9))
            return atol((const char *)pdf + i + 9);
    return -1;
}

static int by_id(const void *a, const void *b) { return ((const upd_obj *)a)->id - ((const upd_obj *)b)->id; }

int sign_write_update(qpdf_data q, const unsigned char *pdf, size_t len, upd_obj *o, int n, strbuf *b)
{
    long prev = sign_find_startxref(pdf, len), *off = calloc((size_t)n + 1, sizeof *off);
    qpdf_oh trailer = qpdf_get_trailer(q);
    char *id = util_strdup(qpdf_oh_unparse(q, qpdf_oh_get_key(q, trailer, "/ID")));
    char *info = util_strdup(qpdf_oh_unparse(q, qpdf_oh_get_key(q, trailer, "/Info")));
    int size = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, trailer, "/Size"));
    int rc = prev < 0 || qpdf_has_error(q) || !id || !info || !off || n < 1 ? -1 : 0;
    for (int i = 0; i < n; i++)
        rc |= o[i].text ? 0 : -1;
    qsort(o, (size_t)n, sizeof *o, by_id);
    for (int i = 0; !rc && i < n; i++) {
        off[i] = (long)(len + b->len);
        sb_printf(b, "%d 0 obj\n", o[i].id);
        sb_append(b, o[i].text, o[i].len ? o[i].len : strlen(o[i].text));
        sb_puts(b, "\nendobj\n");
    }
    long xref = (long)(len + b->len);
    sb_puts(b, "xref\n");
    for (int i = 0; !rc && i < n;) {
        int j = i;
        while (j + 1 < n && o[j + 1].id == o[j].id + 1)
            j++;
        sb_printf(b, "%d %d\n", o[i].id, j - i + 1);
        for (; i <= j; i++)
            sb_printf(b, "%010ld 00000 n \n", off[i]);
    }
    if (!rc && o[n - 1].id >= size)
        size = o[n - 1].id + 1;
    sb_printf(b, "trailer\n<< /Size %d /Root %d 0 R /Info %s /ID %s /Prev %ld >>\nstartxref\n%ld\n%%%%EOF\n", size,
              qpdf_oh_get_object_id(q, qpdf_get_root(q)), info, id, prev, xref);
    for (int i = 0; i < n; i++)
        free(o[i].text);
    free(off);
    free(id);
    free(info);
    return rc || b->oom ? -1 : 0;
}

/* A widget's appearance: a thin grey frame round the signer's block, so
 * that the field shows where it is and the printed block stays as it was
 * (PDF/A wants an appearance for every annotation that has an area). */
static char *frame_appearance(double w, double h)
{
    char body[160];
    snprintf(body, sizeof body, "0.6 0.6 0.6 RG 0.5 w 0.25 0.25 %.2f %.2f re S", w - 0.5, h - 0.5);
    return util_format("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << >> /Length %zu >>\n"
                       "stream\n%s\nendstream",
                       w, h, strlen(body), body);
}

/* The widget and field of slot s (one dictionary, as PDF allows), on its
 * page; with an appearance when it has an area. */
static qpdf_oh make_field(qpdf_data q, const sign_slot *s, char *drawn, upd_obj *o, int *n)
{
    char rect[128];
    double w = s->rect[2] - s->rect[0], h = s->rect[3] - s->rect[1];
    snprintf(rect, sizeof rect, "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [%.2f %.2f %.2f %.2f] >>",
             s->rect[0], s->rect[1], s->rect[2], s->rect[3]);
    qpdf_oh page = qpdf_get_page_n(q, (size_t)s->page);
    qpdf_oh f = qpdf_make_indirect_object(q, qpdf_oh_parse(q, rect));
    qpdf_oh_replace_key(q, f, "/T", qpdf_oh_new_unicode_string(q, s->field));
    qpdf_oh_replace_key(q, f, "/P", page);
    if (w > 0 && h > 0) {
        qpdf_oh ap = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh n_ = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, n_, "/N", ap);
        qpdf_oh_replace_key(q, f, "/AP", n_);
        o[(*n)++] = (upd_obj){qpdf_oh_get_object_id(q, ap), drawn ? drawn : frame_appearance(w, h), 0};
        drawn = NULL;
    }
    qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
    if (!qpdf_oh_is_array(q, annots)) {
        annots = qpdf_oh_new_array(q);
        qpdf_oh_replace_key(q, page, "/Annots", annots);
    }
    qpdf_oh_append_item(q, annots, f);
    free(drawn);
    return f;
}

/* The signed widget's drawn appearance (NULL: none, the frame stays). */
static char *drawn_for(qpdf_data q, const sign_slot *s, const sign_key *k, time_t when, upd_obj *o, int *n)
{
    char subject[256];
    if (s->rect[2] - s->rect[0] <= 0 || s->rect[3] - s->rect[1] <= 0 || !s->font)
        return NULL;
    sign_cert_subject(k->cert, subject, sizeof subject);
    return sign_appearance(q, s, subject, when, o, n);
}

/* The certification's update: every slot's field (the first signed by
 * sig), the form, the DocMDP permission, and the pages that carry them. */
static int certify_update(qpdf_data q, const sign_slot *slots, int nslots, qpdf_oh sig, const sign_key *k, time_t when,
                          upd_obj *o, int *n)
{
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh form = qpdf_oh_parse(q, "<< /Fields [] /SigFlags 3 >>"), perms = qpdf_oh_new_dictionary(q);
    int pages = (int)qpdf_get_num_pages(q), touched[SIGN_MAX] = {0};
    for (int i = 0; i < nslots; i++) {
        if (slots[i].page < 0 || slots[i].page >= pages)
            return -1;
        qpdf_oh f = make_field(q, &slots[i], i == 0 ? drawn_for(q, &slots[i], k, when, o, n) : NULL, o, n);
        if (i == 0)
            qpdf_oh_replace_key(q, f, "/V", sig);
        qpdf_oh_append_item(q, qpdf_oh_get_key(q, form, "/Fields"), f);
        o[(*n)++] = (upd_obj){qpdf_oh_get_object_id(q, f), util_strdup(qpdf_oh_unparse_resolved(q, f)), 0};
        touched[i] = slots[i].page;
        int seen = 0;
        for (int k = 0; k < i; k++)
            seen |= touched[k] == slots[i].page;
        qpdf_oh page = qpdf_get_page_n(q, (size_t)slots[i].page);
        if (!seen)
            o[(*n)++] = (upd_obj){qpdf_oh_get_object_id(q, page), NULL, 0};
    }
    qpdf_oh_replace_key(q, perms, "/DocMDP", sig);
    qpdf_oh_replace_key(q, root, "/AcroForm", form);
    qpdf_oh_replace_key(q, root, "/Perms", perms);
    /* pages last: each carries every widget added to it */
    for (int i = 0; i < *n; i++)
        if (!o[i].text)
            for (int p = 0; p < pages; p++) {
                qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
                if (qpdf_oh_get_object_id(q, page) == o[i].id)
                    o[i].text = util_strdup(qpdf_oh_unparse_resolved(q, page));
            }
    o[(*n)++] = (upd_obj){qpdf_oh_get_object_id(q, root), util_strdup(qpdf_oh_unparse_resolved(q, root)), 0};
    return qpdf_has_error(q) ? -1 : 0;
}

/* A later signature's update: its empty field, now signed by sig. */
static int fill_update(qpdf_data q, const sign_slot *s, qpdf_oh sig, const sign_key *k, time_t when, upd_obj *o,
                       int *n, const char *what, diag_ctx *d)
{
    qpdf_oh fields = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/AcroForm"), "/Fields");
    int nf = qpdf_oh_is_array(q, fields) ? qpdf_oh_get_array_n_items(q, fields) : 0;
    for (int i = 0; i < nf; i++) {
        qpdf_oh f = qpdf_oh_get_array_item(q, fields, i), t = qpdf_oh_get_key(q, f, "/T");
        if (!qpdf_oh_is_string(q, t) || strcmp(qpdf_oh_get_utf8_value(q, t), s->field))
            continue;
        if (qpdf_oh_has_key(q, f, "/V")) {
            diag_add(d, DIAG_ERROR, what, 0, 0, "the signature field of %s is already signed", s->field);
            return -1;
        }
        qpdf_oh_replace_key(q, f, "/V", sig);
        char *drawn = drawn_for(q, s, k, when, o, n);
        if (drawn) { /* the signer's own appearance replaces the empty field's frame */
            qpdf_oh ap = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q)), nd = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, nd, "/N", ap);
            qpdf_oh_replace_key(q, f, "/AP", nd);
            o[(*n)++] = (upd_obj){qpdf_oh_get_object_id(q, ap), drawn, 0};
        }
        o[(*n)++] = (upd_obj){qpdf_oh_get_object_id(q, f), util_strdup(qpdf_oh_unparse_resolved(q, f)), 0};
        return 0;
    }
    diag_add(d, DIAG_ERROR, what, 0, 0, "the document has no signature field for %s (it was not certified by khet)",
             s->field);
    return -1;
}

/* The signature dictionary, its /ByteRange and /Contents placeholders
 * filled in later; the first is the certification (DocMDP). */
static void sig_dict(qpdf_data q, const sign_key *k, time_t when, const sign_slot *s, int certify, strbuf *sd)
{
    /* the signing time, in Bangkok time (UTC+7 all year) */
    time_t local = when + 7 * 3600;
    struct tm tm;
    char m[24];
    gmtime_r(&local, &tm);
    strftime(m, sizeof m, "%Y%m%d%H%M%S", &tm);
    char *name = sign_cert_name(k->cert);
    sb_printf(sd, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Name %s",
              qpdf_oh_unparse(q, qpdf_oh_new_unicode_string(q, name ? name : "")));
    if (s->reason)
        sb_printf(sd, " /Reason %s", qpdf_oh_unparse(q, qpdf_oh_new_unicode_string(q, s->reason)));
    if (certify)
        sb_puts(sd, " /Reference [<< /Type /SigRef /TransformMethod /DocMDP"
                    " /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>]");
    sb_printf(sd, " /M (D:%s+07'00') /ByteRange [0 %-32s] /Contents <", m, "");
    for (int i = 0; i < SIG_RESERVE; i++)
        sb_puts(sd, "00");
    sb_puts(sd, "> >>");
    free(name);
    if (!name)
        sd->oom = 1;
}

/* The update's bytes in b: signature `index` of slots, unsigned yet. */
static int make_update(qpdf_data q, const unsigned char *pdf, size_t len, const sign_key *k, time_t when,
                       const sign_slot *slots, int nslots, int index, strbuf *b, const char *what, diag_ctx *d)
{
    upd_obj o[12 + 3 * SIGN_MAX] = {{0, NULL, 0}};
    int n = 0;
    strbuf sd = {0};
    if (nslots < 1 || nslots > SIGN_MAX || index < 0 || index >= nslots)
        return -1;
    qpdf_oh sig = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    int rc = index == 0 ? certify_update(q, slots, nslots, sig, k, when, o, &n)
                        : fill_update(q, &slots[index], sig, k, when, o, &n, what, d);
    sig_dict(q, k, when, &slots[index], index == 0, &sd);
    o[n++] = (upd_obj){qpdf_oh_get_object_id(q, sig), sd.oom ? NULL : util_strdup(sd.data), 0};
    sb_free(&sd);
    sb_append(b, "", 0);
    if (rc == 0)
        return sign_write_update(q, pdf, len, o, n, b);
    for (int i = 0; i < n; i++)
        free(o[i].text);
    return -1;
}

int sign_pdf(const unsigned char *pdf, size_t len, const sign_key *k, time_t when, const char *tsa,
             const sign_slot *slots, int nslots, int index, const char *what, unsigned char **out, size_t *outlen,
             diag_ctx *d)
{
    qpdf_data q = qpdf_init();
    strbuf b = {0};
    int rc = -1;
    *out = NULL;
    if (!q)
        return -1;
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (!(qpdf_read_memory(q, what, (const char *)pdf, len, NULL) & QPDF_ERRORS) &&
        make_update(q, pdf, len, k, when, slots, nslots, index, &b, what, d) == 0)
        rc = 0;
    unsigned char *all = rc == 0 ? malloc(len + b.len) : NULL;
    if (all) {
        memcpy(all, pdf, len);
        memcpy(all + len, b.data, b.len);
        size_t n = len + b.len;
        const char *br = strstr(b.data, "/ByteRange [0 ");
        const char *ct = strstr(b.data, "/Contents <00");
        long a = (long)(len + (size_t)(ct - b.data) + 10), c = a + 2 * SIG_RESERVE + 2;
        char range[40];
        snprintf(range, sizeof range, "%ld %ld %ld", a, c, (long)n - c);
        memcpy(all + len + (size_t)(br - b.data) + 14, range, strlen(range));
        unsigned char *signed_bytes = malloc(n);
        int derlen = 0;
        unsigned char *der = NULL;
        if (signed_bytes) {
            memcpy(signed_bytes, all, (size_t)a);
            memcpy(signed_bytes + a, all + c, n - (size_t)c);
            der = make_cms(k, signed_bytes, n - (size_t)(c - a), tsa, &derlen, d, what);
        }
        if (der && derlen <= SIG_RESERVE) {
            char *h = malloc(2 * (size_t)derlen + 1);
            if (h) {
                sign_hex(der, (size_t)derlen, h);
                memcpy(all + a + 1, h, 2 * (size_t)derlen);
                *out = all;
                *outlen = n;
                all = NULL;
            }
            free(h);
        } else if (der) {
            diag_add(d, DIAG_ERROR, what, 0, 0, "the signature (%d bytes) is larger than the room kept for it", derlen);
        }
        OPENSSL_free(der);
        free(signed_bytes);
    }
    free(all);
    if (!*out && !diag_errors(d))
        diag_add(d, DIAG_SYSTEM, what, 0, 0, "cannot add the signature (qpdf: %s)",
                 qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "out of memory");
    sb_free(&b);
    qpdf_cleanup(&q);
    return *out ? 0 : -1;
}

