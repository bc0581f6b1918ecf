/* sign_tsa: RFC 3161 signature time-stamps (PAdES B-T) for sign.c and
 * their checking for sign_verify.c.
 *
 * Owns: the time-stamp request over the SHA-256 of a signature's value
 * (with a nonce and a request for the TSA's certificate), its exchange
 * with the TSA over HTTP or HTTPS (OpenSSL's own HTTP client and, for
 * https://, its TLS: the server's certificate checked against the system's
 * CAs, or SSL_CERT_FILE / SSL_CERT_DIR as for every OpenSSL program, and
 * its name or IP address against the URL's host; 30 s at most), the response's checks (granted, version,
 * imprint, nonce), the token stored as the SignerInfo's unsigned attribute
 * signature-time-stamp-token (id-aa-signatureTimeStampToken), and reading
 * it back: imprint over the signature it stamps, the token's own signature
 * and, with trust anchors, the TSA's chain. */
#include "sign_tsa.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sign_int.h"
#include "util.h"

#define TSA_TIMEOUT 30
#define TSA_MAX_REPLY (1 << 20)

/* SHA-256 of the SignerInfo's signature value: what a signature
 * time-stamp stamps (RFC 3161 appendix A). */
static int signature_digest(CMS_SignerInfo *si, unsigned char md[32])
{
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    unsigned int n = 32;
    return sig && EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), md, &n, EVP_sha256(),
                             NULL) == 1
               ? 0
               : -1;
}

static TS_REQ *make_request(const unsigned char md[32], ASN1_INTEGER **nonce)
{
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *imp = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    unsigned char rnd[8];
    BIGNUM *bn = RAND_bytes(rnd, sizeof rnd) == 1 ? BN_bin2bn(rnd, sizeof rnd, NULL) : NULL;
    *nonce = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    int ok = req && imp && alg && *nonce && X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) == 1 &&
             TS_MSG_IMPRINT_set_algo(imp, alg) == 1 && TS_MSG_IMPRINT_set_msg(imp, (unsigned char *)md, 32) == 1 &&
             TS_REQ_set_version(req, 1) == 1 && TS_REQ_set_msg_imprint(req, imp) == 1 &&
             TS_REQ_set_nonce(req, *nonce) == 1 && TS_REQ_set_cert_req(req, 1) == 1;
    BN_free(bn);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(imp);
    if (!ok) {
        TS_REQ_free(req);
        req = NULL;
    }
    return req;
}

/* TLS for https:// (OpenSSL's HTTP client calls this on connecting, with
 * detail 1 for TLS, and on disconnecting): an SSL filter pushed on the
 * connection, its peer checked (SSL_VERIFY_PEER and the host). */
static BIO *tls_cb(BIO *bio, void *arg, int connect, int detail)
{
    SSL_CTX *ctx = arg;
    if (connect && detail) {
        BIO *sbio = BIO_new(BIO_f_ssl());
        SSL *ssl = sbio ? SSL_new(ctx) : NULL;
        const char *host = X509_VERIFY_PARAM_get0_host(SSL_CTX_get0_param(ctx), 0);
        if (!ssl) {
            BIO_free(sbio);
            return NULL;
        }
        if (host)
            SSL_set_tlsext_host_name(ssl, host);
        SSL_set_connect_state(ssl);
        BIO_set_ssl(sbio, ssl, BIO_CLOSE);
        return BIO_push(sbio, bio);
    }
    if (!connect && detail >= 0 && BIO_method_type(bio) == BIO_TYPE_SSL) {
        ERR_set_mark();
        BIO_ssl_shutdown(bio);
        BIO *cbio = BIO_pop(bio);
        BIO_free(bio);
        ERR_pop_to_mark();
        return cbio;
    }
    return bio;
}

/* The TLS settings of an https:// TSA: peer verified against the default
 * CAs, its certificate naming host (a name, or an IP address). */
static SSL_CTX *tls_ctx(const char *host)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    X509_VERIFY_PARAM *vp = ctx ? SSL_CTX_get0_param(ctx) : NULL;
    int ip = X509_VERIFY_PARAM_set1_ip_asc(vp, host) == 1;
    ERR_clear_error();
    if (!vp || SSL_CTX_set_default_verify_paths(ctx) != 1 || (!ip && X509_VERIFY_PARAM_set1_host(vp, host, 0) != 1)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return ctx;
}

/* POSTs the request to url; the TSA's response, or NULL after reporting. */
static TS_RESP *exchange(const char *url, TS_REQ *req, const char *what, diag_ctx *d)
{
    char *host = NULL, *port = NULL, *path = NULL;
    int ssl = 0;
    TS_RESP *resp = NULL;
    SSL_CTX *ctx = NULL;
    if (OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path, NULL, NULL) != 1) {
        ERR_clear_error();
        diag_add(d, DIAG_ERROR, "--tsa", 0, 0, "'%s' is not an http:// or https:// URL of a time-stamp authority", url);
    } else if (ssl && !(ctx = tls_ctx(host))) {
        sign_ssl_error(d, what, "cannot set up TLS for the time-stamp authority");
    } else {
        BIO *in = BIO_new(BIO_s_mem());
        BIO *out = in && i2d_TS_REQ_bio(in, req) == 1
                       ? OSSL_HTTP_transfer(NULL, host, port, path, ssl, NULL, NULL, NULL, NULL,
                                            ssl ? tls_cb : NULL, ctx, 0, NULL, "application/timestamp-query", in,
                                            "application/timestamp-reply", 1, TSA_MAX_REPLY, TSA_TIMEOUT, 0)
                       : NULL;
        if (!out || !(resp = d2i_TS_RESP_bio(out, NULL))) {
            char why[200] = "";
            unsigned long e = ERR_get_error();
            if (e)
                ERR_error_string_n(e, why, sizeof why);
            ERR_clear_error();
            diag_add(d, DIAG_SYSTEM, what, 0, 0, "the time-stamp authority %s gave no time-stamp: %s", url,
                     why[0] ? why : "no answer");
        }
        BIO_free(out);
        BIO_free(in);
    }
    SSL_CTX_free(ctx);
    OPENSSL_free(host);
    OPENSSL_free(port);
    OPENSSL_free(path);
    return resp;
}

int sign_tsa_token(const unsigned char md[32], const char *url, const char *what, unsigned char **der, int *len,
                   diag_ctx *d)
{
    ASN1_INTEGER *nonce = NULL;
    TS_REQ *req = make_request(md, &nonce);
    TS_RESP *resp = req ? exchange(url, req, what, d) : NULL;
    TS_VERIFY_CTX *ctx = resp ? TS_REQ_to_TS_VERIFY_CTX(req, NULL) : NULL;
    int rc = -1;
    *der = NULL;
    *len = 0;
    if (ctx) { /* the answer to this request: granted, over this digest, with our nonce */
        TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
        if (TS_RESP_verify_response(ctx, resp) != 1)
            sign_ssl_error(d, what, "the time-stamp authority's answer is not a time-stamp of this request");
        else if ((*len = i2d_PKCS7(TS_RESP_get_token(resp), der)) <= 0)
            sign_ssl_error(d, what, "cannot add the time-stamp");
        else
            rc = 0;
    } else if (resp || !req) {
        sign_ssl_error(d, what, "cannot make the time-stamp request");
    }
    if (rc) {
        OPENSSL_free(*der);
        *der = NULL;
    }
    TS_VERIFY_CTX_free(ctx);
    TS_RESP_free(resp);
    TS_REQ_free(req);
    ASN1_INTEGER_free(nonce);
    return rc;
}

int sign_tsa_stamp(CMS_SignerInfo *si, const char *url, const char *what, diag_ctx *d)
{
    unsigned char md[32], *der = NULL;
    int n = 0, rc = -1;
    if (signature_digest(si, md) != 0)
        sign_ssl_error(d, what, "cannot make the time-stamp request");
    else if (sign_tsa_token(md, url, what, &der, &n, d) == 0) {
        if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, der, n) != 1)
            sign_ssl_error(d, what, "cannot add the time-stamp");
        else
            rc = 0;
    }
    OPENSSL_free(der);
    return rc;
}

/* The token's time as "YYYY-MM-DD HH:MM:SS UTC". */
static void token_time(TS_TST_INFO *info, char *out, size_t n)
{
    struct tm tm;
    const ASN1_GENERALIZEDTIME *t = TS_TST_INFO_get_time(info);
    if (t && ASN1_TIME_to_tm(t, &tm) == 1)
        strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
    else
        snprintf(out, n, "?");
}

PKCS7 *sign_tsa_token_of(CMS_SignerInfo *si)
{
    int at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    ASN1_TYPE *v = at >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, at), 0) : NULL;
    const unsigned char *p = v && v->type == V_ASN1_SEQUENCE ? v->value.sequence->data : NULL;
    return p ? d2i_PKCS7(NULL, &p, v->value.sequence->length) : NULL;
}

int sign_tsa_check_token(PKCS7 *token, const unsigned char md[32], X509_STORE *trust, char *when, size_t wn,
                         time_t *at)
{
    TS_TST_INFO *info = token ? PKCS7_to_TS_TST_INFO(token) : NULL;
    TS_VERIFY_CTX *ctx = info ? TS_VERIFY_CTX_new() : NULL;
    unsigned char *imprint = OPENSSL_malloc(32);
    int ok = ctx && imprint;
    if (ok) { /* the ctx owns the imprint and the store it is given */
        memcpy(imprint, md, 32);
        TS_VERIFY_CTX_set_imprint(ctx, imprint, 32);
        imprint = NULL;
        int flags = TS_VFY_VERSION | TS_VFY_IMPRINT;
        if (trust && X509_STORE_up_ref(trust) == 1) {
            TS_VERIFY_CTX_set_store(ctx, trust);
            flags |= TS_VFY_SIGNATURE;
        }
        TS_VERIFY_CTX_set_flags(ctx, flags);
        /* without anchors the token's own signature is still checked */
        ok = TS_RESP_verify_token(ctx, token) == 1 &&
             (trust || PKCS7_verify(token, NULL, NULL, NULL, NULL, PKCS7_NOVERIFY) == 1);
    }
    if (ok) {
        struct tm tm;
        const ASN1_GENERALIZEDTIME *t = TS_TST_INFO_get_time(info);
        if (t && ASN1_TIME_to_tm(t, &tm) == 1) {
            if (at)
                *at = timegm(&tm);
        } else if (at)
            *at = 0;
        token_time(info, when, wn);
    }
    OPENSSL_free(imprint);
    TS_VERIFY_CTX_free(ctx);
    TS_TST_INFO_free(info);
    return ok ? 1 : -1;
}

int sign_tsa_check(CMS_SignerInfo *si, X509_STORE *trust, char *when, size_t wn, const char *what, diag_ctx *d)
{
    if (CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1) < 0)
        return 0;
    PKCS7 *token = sign_tsa_token_of(si);
    unsigned char md[32];
    int ok = token && signature_digest(si, md) == 0 && sign_tsa_check_token(token, md, trust, when, wn, NULL) == 1;
    if (!ok)
        sign_ssl_error(d, what,
                       trust ? "the signature's time-stamp does not verify, or its TSA's chain does not reach --trust"
                             : "the signature's time-stamp does not verify (not over this signature, or altered)");
    PKCS7_free(token);
    return ok ? 1 : -1;
}
