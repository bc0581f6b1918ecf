/* sign_verify: the checking half of sign.h: the auditor's trust anchors
 * (`khet verify --trust`) and every signature of a filed document, each
 * against the revision it signed. */
#include "sign.h"

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h: its PEM functions need pem.h */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <qpdf/qpdf-c.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign_int.h"
#include "sign_tsa.h"
#include "util.h"

sign_trust *sign_trust_load(const char *path, diag_ctx *d)
{
    sign_trust *t = calloc(1, sizeof *t);
    struct stat st;
    int n = 0;
    if (!t || !(t->store = X509_STORE_new())) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
        sign_trust_free(t);
        return NULL;
    }
    if (stat(path, &st) != 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read the trust anchors: %s", strerror(errno));
    } else if (S_ISDIR(st.st_mode)) { /* every certificate file of the folder, hashed names or not */
        DIR *dh = opendir(path);
        struct dirent *e;
        while (dh && (e = readdir(dh))) {
            char *p = e->d_name[0] != '.' ? util_path_join(path, e->d_name) : NULL;
            struct stat fs;
            if (p && stat(p, &fs) == 0 && S_ISREG(fs.st_mode) && X509_STORE_load_file(t->store, p) == 1)
                n++;
            free(p);
        }
        if (dh)
            closedir(dh);
        ERR_clear_error();
    } else if (X509_STORE_load_file(t->store, path) == 1) {
        n = 1;
    }
    if (!diag_errors(d) && n == 0)
        sign_ssl_error(d, path, "no CA certificate (PEM) could be read from it");
    if (diag_errors(d)) {
        sign_trust_free(t);
        return NULL;
    }
    return t;
}

void sign_trust_free(sign_trust *t)
{
    if (!t)
        return;
    X509_STORE_free(t->store);
    free(t);
}

/* Whether the signer's certificate chains, through the certificates the
 * CMS carries, to the trust anchors, at the signing time when known. */
static int chain_trusted(const sign_trust *t, X509 *signer, STACK_OF(X509) *carried, time_t when, char *why,
                         size_t n)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int ok = ctx && X509_STORE_CTX_init(ctx, t->store, signer, carried) == 1;
    if (ok && when > 0)
        X509_STORE_CTX_set_time(ctx, 0, when);
    ok = ok && X509_verify_cert(ctx) == 1;
    if (!ok)
        snprintf(why, n, "%s", ctx ? X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)) : "out of memory");
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

/* The /M of a signature dictionary as seconds since 1970, 0 when unreadable. */
static time_t sig_time(qpdf_data q, qpdf_oh v)
{
    qpdf_oh m = qpdf_oh_get_key(q, v, "/M");
    const char *s = qpdf_oh_is_string(q, m) ? qpdf_oh_get_utf8_value(q, m) : "";
    struct tm tm = {0};
    int off_h = 0, off_m = 0;
    char sign = 'Z';
    if (sscanf(s, "D:%4d%2d%2d%2d%2d%2d%c%2d'%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec, &sign, &off_h, &off_m) < 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    int off = (off_h * 60 + off_m) * 60;
    return sign == '+' ? t - off : sign == '-' ? t + off : t;
}

/* Where the document ended before any update: the first end-of-file mark. */
static size_t first_eof(const unsigned char *pdf, size_t len)
{
    static const char mark[] = "\nstartxref\n";
    for (size_t i = 0; i + sizeof mark < len; i++)
        if (pdf[i] == '\n' && !memcmp(pdf + i, mark, sizeof mark - 1)) {
            for (size_t j = i + sizeof mark - 1; j + 5 <= len; j++)
                if (!memcmp(pdf + j, "%%EOF", 5))
                    return j + 5 + (j + 5 < len && pdf[j + 5] == '\n');
            break;
        }
    return len;
}

/* Where each update after the document ends: the byte after its
 * end-of-file mark (and the end of line that follows it). */
static int revision_ends(const unsigned char *pdf, size_t len, size_t from, size_t *ends, int max)
{
    int n = 0;
    for (size_t i = from; i + 5 <= len; i++)
        if (pdf[i] == '%' && !memcmp(pdf + i, "%%EOF", 5)) {
            size_t e = i + 5;
            e += e < len && pdf[e] == '\r';
            e += e < len && pdf[e] == '\n';
            if (n < max)
                ends[n] = e;
            n++;
            i = e - 1;
        }
    return n;
}

/* The /T of a field as UTF-8 into out. */
static void field_name(qpdf_data q, qpdf_oh f, char *out, size_t n)
{
    qpdf_oh t = qpdf_oh_get_key(q, f, "/T");
    snprintf(out, n, "%s", qpdf_oh_is_string(q, t) ? qpdf_oh_get_utf8_value(q, t) : "");
}

/* Whether signature v is the document's certification: the catalog's
 * /Perms /DocMDP is it, and its /Reference says DocMDP. */
static int is_certification(qpdf_data q, qpdf_oh v)
{
    qpdf_oh mdp = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/Perms"), "/DocMDP");
    qpdf_oh ref = qpdf_oh_get_key(q, v, "/Reference");
    int yes = 0;
    for (int i = 0; qpdf_oh_is_array(q, ref) && i < qpdf_oh_get_array_n_items(q, ref); i++)
        yes |= qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, ref, i), "/TransformMethod"),
                                          "/DocMDP");
    return yes && qpdf_oh_is_indirect(q, mdp) && qpdf_oh_get_object_id(q, mdp) == qpdf_oh_get_object_id(q, v);
}

/* One signature dictionary: its range (the file up to `end`, the end of the
 * revision it signed, but its /Contents), then its CMS over that range. */
static int check_one(qpdf_data q, qpdf_oh v, const unsigned char *pdf, size_t len, size_t end, const char *what,
                     const sign_trust *trust, sign_info *info, sign_one *one, diag_ctx *d)
{
    qpdf_oh br = qpdf_oh_get_key(q, v, "/ByteRange"), ct = qpdf_oh_get_key(q, v, "/Contents");
    long long r[4] = {-1, -1, -1, -1};
    for (int i = 0; i < 4 && qpdf_oh_is_array(q, br) && qpdf_oh_get_array_n_items(q, br) == 4; i++)
        r[i] = qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, br, i));
    size_t clen = 0;
    const char *cms_der = qpdf_oh_is_string(q, ct) ? qpdf_oh_get_binary_string_value(q, ct, &clen) : NULL;
    if (r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0 || (size_t)(r[2] + r[3]) > len || !cms_der ||
        pdf[r[1]] != '<' || pdf[r[2] - 1] != '>') {
        diag_add(d, DIAG_ERROR, what, 0, 0, "a signature's /ByteRange is malformed");
        return -1;
    }
    one->covers = (size_t)(r[2] + r[3]);
    if (one->covers != end) {
        if (end == len)
            diag_add(d, DIAG_ERROR, what, 0, 0, "%zu bytes after the signature of %s are not covered by it",
                     len - one->covers, one->field);
        else
            diag_add(d, DIAG_ERROR, what, 0, 0,
                     "the signature of %s does not cover exactly its own revision (it ends at byte %zu, the revision "
                     "at %zu)",
                     one->field, one->covers, end);
        return -1;
    }
    const unsigned char *p = (const unsigned char *)cms_der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)clen);
    unsigned char *data = malloc((size_t)(r[1] + r[3]) + 1);
    BIO *in = data ? BIO_new_mem_buf(data, (int)(r[1] + r[3])) : NULL;
    int ok = 0;
    if (data) {
        memcpy(data, pdf, (size_t)r[1]);
        memcpy(data + r[1], pdf + r[2], (size_t)r[3]);
    }
    if (cms && in &&
        CMS_verify(cms, NULL, NULL, in, NULL, CMS_DETACHED | CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1) {
        ok = 1;
        STACK_OF(X509) *signers = CMS_get0_signers(cms), *carried = CMS_get1_certs(cms);
        X509 *signer = signers && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : NULL;
        if (signer) {
            sign_cert_fpr(signer, one->fpr);
            sign_cert_subject(signer, one->subject, sizeof one->subject);
            memcpy(info->fpr, one->fpr, sizeof info->fpr);
            memcpy(info->subject, one->subject, sizeof info->subject);
        }
        char why[128];
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
        if (!si || sign_tsa_check(si, trust ? trust->store : NULL, one->stamped, sizeof one->stamped, what, d) < 0)
            ok = 0;
        else if (one->stamped[0]) {
            struct tm tm = {0};
            if (sscanf(one->stamped, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                       &tm.tm_min, &tm.tm_sec) == 6) {
                tm.tm_year -= 1900;
                tm.tm_mon -= 1;
                one->at = timegm(&tm);
            }
        }
        if (trust && signer && !chain_trusted(trust, signer, carried, sig_time(q, v), why, sizeof why)) {
            diag_add(d, DIAG_ERROR, what, 0, 0, "the signer %s: its certificate chain does not reach --trust: %s",
                     one->subject, why);
            info->trusted = 0;
            ok = 0;
        } else if (trust && signer && info->trusted != 0) {
            info->trusted = 1;
        }
        sk_X509_pop_free(carried, X509_free);
        sk_X509_free(signers);
    } else {
        sign_ssl_error(d, what, "the signature does not verify (the document was changed after signing)");
    }
    if (!ok && trust)
        info->trusted = 0;
    BIO_free(in);
    free(data);
    CMS_ContentInfo_free(cms);
    return ok ? 0 : -1;
}

/* Every signed field in the form's order (the signing order, document
 * time-stamps after the signatures), each checked against the revision it
 * must cover; then the DSS, when the file has one. */
static int check_fields(qpdf_data q, const unsigned char *pdf, size_t len, const char *what, const sign_trust *trust,
                        sign_info *info, diag_ctx *d)
{
    qpdf_oh fields = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/AcroForm"), "/Fields");
    int nf = qpdf_oh_is_array(q, fields) ? qpdf_oh_get_array_n_items(q, fields) : 0, bad = 0, nall = 0;
    qpdf_oh sigs[2 * SIGN_MAX];
    int is_ts[2 * SIGN_MAX];
    for (int i = 0; i < nf; i++) {
        qpdf_oh f = qpdf_oh_get_array_item(q, fields, i), v = qpdf_oh_get_key(q, f, "/V");
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, f, "/FT"), "/Sig") || !qpdf_oh_has_key(q, f, "/V"))
            continue;
        int ts = sign_is_doc_timestamp(q, v);
        if ((ts ? info->nts : info->n) == SIGN_MAX) {
            diag_add(d, DIAG_ERROR, what, 0, 0, "more than %d signatures or time-stamps", SIGN_MAX);
            return -1;
        }
        if (!ts && info->nts) {
            diag_add(d, DIAG_ERROR, what, 0, 0, "a signature after a document time-stamp (not khet's order)");
            return -1;
        }
        if (!ts)
            field_name(q, f, info->sig[info->n].field, sizeof info->sig[info->n].field);
        ts ? info->nts++ : info->n++;
        is_ts[nall] = ts;
        sigs[nall++] = v;
    }
    size_t ends[2 * SIGN_MAX + 1];
    int nrev = nall ? revision_ends(pdf, len, info->unsigned_len, ends, 2 * SIGN_MAX + 1) : 0;
    if (nall && nrev != nall) {
        diag_add(d, DIAG_ERROR, what, 0, 0,
                 "%d updates after the document but %d signatures%s: an update no signature covers was added", nrev,
                 nall, info->nts ? " and document time-stamps" : "");
        return -1;
    }
    if (nall && ends[nall - 1] != len)
        ends[nall - 1] = len; /* bytes after the last mark: check_one names them */
    time_t last_signed = 0;
    for (int i = 0, k = 0, t = 0; i < nall; i++) {
        if (is_ts[i]) {
            bad |= sign_docts_check(q, sigs[i], pdf, len, ends[i], trust, &info->ts[t++], what, d) != 0;
            continue;
        }
        sign_one *one = &info->sig[k++];
        one->certify = is_certification(q, sigs[i]);
        if (check_one(q, sigs[i], pdf, len, ends[i], what, trust, info, one, d) != 0)
            bad = 1;
        else if (k > 1 && one->certify)
            diag_add(d, DIAG_ERROR, what, 0, 0, "the signature of %s claims to certify, but it is not the first",
                     one->field), bad = 1;
        time_t at = one->at ? one->at : sig_time(q, sigs[i]);
        last_signed = at > last_signed ? at : last_signed;
    }
    if (info->n > 1 && !info->sig[0].certify) {
        diag_add(d, DIAG_ERROR, what, 0, 0,
                 "the first of %d signatures is not a certification (DocMDP): later changes are not limited", info->n);
        bad = 1;
    }
    if (qpdf_oh_is_dictionary(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/DSS"))) {
        info->dss = sign_dss_check(q, last_signed, info, what, d) == 0 ? 1 : -1;
        bad |= info->dss < 0;
    }
    return bad ? -1 : info->n;
}

int sign_check(const unsigned char *pdf, size_t len, const char *what, const sign_trust *trust, sign_info *info,
               diag_ctx *d)
{
    memset(info, 0, sizeof *info);
    info->trusted = trust ? 2 : -1; /* 2: nothing checked yet */
    info->unsigned_len = first_eof(pdf, len);
    qpdf_data q = qpdf_init();
    if (!q)
        return -1;
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int n;
    if (qpdf_read_memory(q, what, (const char *)pdf, len, NULL) & QPDF_ERRORS) {
        diag_add(d, DIAG_ERROR, what, 0, 0, "not a readable PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
        n = -1;
    } else {
        n = check_fields(q, pdf, len, what, trust, info, d);
    }
    qpdf_cleanup(&q);
    if (info->trusted == 2)
        info->trusted = info->n > 0;
    return n;
}
