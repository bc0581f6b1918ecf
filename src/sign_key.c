/* sign_key: the signer's key and certificates for sign.h: a PEM key
 * (plain or encrypted) with a PEM certificate file, or a PKCS#12 file; pass
 * phrases only from a file descriptor (--pass-fd); the checks a
 * certificate must pass to sign; fingerprints, names and subjects. */
#include "sign.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sign_int.h"
#include "util.h"

void sign_ssl_error(diag_ctx *d, const char *what, const char *msg)
{
    char buf[256] = "";
    unsigned long e = ERR_get_error();
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    diag_add(d, DIAG_ERROR, what, 0, 0, "%s%s%s", msg, buf[0] ? ": " : "", buf);
}

/* Where pass phrases come from: one line of --pass-fd per key that asks,
 * read when OpenSSL asks (never a prompt, never the command line). */
typedef struct {
    int fd;        /* -1: none given */
    int asked;     /* a pass phrase was wanted */
    int have;      /* phrase read */
    char phrase[1024];
} pass_src;

/* One line of fd, byte by byte (the next key reads the next line). */
static int read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    char c;
    for (;;) {
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0 || c == '\n')
            break;
        if (n + 1 < size)
            buf[n++] = c;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = 0;
    return 0;
}

static int pass_cb(char *buf, int size, int rwflag, void *user)
{
    pass_src *p = user;
    (void)rwflag;
    p->asked = 1;
    if (p->fd < 0)
        return -1;
    if (!p->have && read_line(p->fd, p->phrase, sizeof p->phrase) != 0)
        return -1;
    p->have = 1;
    int n = (int)strlen(p->phrase);
    if (n >= size)
        return -1;
    memcpy(buf, p->phrase, (size_t)n);
    return n;
}

/* A key or certificate file read whole (a regular file of at most 1 MiB)
 * into a read-only memory BIO over *text (which the caller wipes and frees
 * after the BIO). */
static BIO *file_bio(const char *path, const char *what, char **text, size_t *len, diag_ctx *d)
{
    *text = NULL;
    *len = 0;
    if (util_read_file(path, (size_t)1 << 20, text, len) != 0) {
        int e = errno;
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot read the %s: %s", what,
                 util_strerror(e));
        return NULL;
    }
    BIO *b = *len <= INT_MAX ? BIO_new_mem_buf(*text, (int)*len) : NULL;
    if (!b)
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
    return b;
}

static void wipe(char *text, size_t len)
{
    if (text)
        OPENSSL_cleanse(text, len);
    free(text);
}

/* The kinds of key a PAdES signature with SHA-256 takes (RSA, ECDSA);
 * checked before anything is rendered. */
static int key_kind_ok(EVP_PKEY *k, const char *path, diag_ctx *d)
{
    int id = EVP_PKEY_get_base_id(k);
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_EC)
        return 1;
    diag_add(d, DIAG_ERROR, path, 0, 0,
             "khet signs with an RSA or ECDSA (EC) key and SHA-256; this key is %s: make an RSA key, e.g. openssl "
             "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072",
             OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "of another kind");
    return 0;
}

/* The certificate file: the signer's certificate first, then its chain. */
static int read_certs(sign_key *k, BIO *b, const char *cert_path, diag_ctx *d)
{
    pass_src none = {-1, 0, 0, ""};
    if (!(k->cert = PEM_read_bio_X509(b, NULL, pass_cb, &none))) {
        sign_ssl_error(d, cert_path, "cannot read the certificate (PEM)");
        return -1;
    }
    X509 *c;
    int rc = k->chain || (k->chain = sk_X509_new_null()) ? 0 : -1;
    while (!rc && (c = PEM_read_bio_X509(b, NULL, pass_cb, &none)))
        if (sk_X509_push(k->chain, c) <= 0) {
            X509_free(c);
            rc = -1;
        }
    ERR_clear_error(); /* the end of the file */
    if (rc)
        diag_add(d, DIAG_SYSTEM, cert_path, 0, 0, "out of memory");
    return rc;
}

static void no_phrase(const char *key_path, diag_ctx *d)
{
    diag_add(d, DIAG_ERROR, key_path, 0, 0,
             "the private key is encrypted with a pass phrase, and none was given: give it on a file descriptor, "
             "one line per key that asks, in the order of the keys (--pass-fd N, e.g. 3<phrase.txt), never on the "
             "command line");
}

/* A PKCS#12 file: its key, its certificate and the CA certificates with
 * it (the chain), unlocked with the empty pass phrase or the next one. */
static int read_pkcs12(sign_key *k, BIO *b, const char *key_path, pass_src *p, diag_ctx *d)
{
    PKCS12 *p12 = d2i_PKCS12_bio(b, NULL);
    if (!p12) {
        ERR_clear_error();
        return 1; /* not one */
    }
    int rc = 0;
    const char *pass = "";
    if (PKCS12_verify_mac(p12, "", 0) != 1 && PKCS12_verify_mac(p12, NULL, 0) != 1) {
        char buf[1024];
        int n = pass_cb(buf, sizeof buf, 0, p);
        OPENSSL_cleanse(buf, sizeof buf);
        if (n < 0) {
            no_phrase(key_path, d);
            rc = -1;
        } else if (PKCS12_verify_mac(p12, p->phrase, -1) != 1) {
            diag_add(d, DIAG_ERROR, key_path, 0, 0, "the pass phrase does not unlock this PKCS#12 file");
            rc = -1;
        }
        pass = p->phrase;
    }
    ERR_clear_error();
    if (!rc && PKCS12_parse(p12, pass, &k->key, &k->cert, &k->chain) != 1) {
        sign_ssl_error(d, key_path, "cannot read the PKCS#12 file");
        rc = -1;
    } else if (!rc && (!k->key || !k->cert)) {
        diag_add(d, DIAG_ERROR, key_path, 0, 0, "the PKCS#12 file holds no %s", k->key ? "certificate" : "private key");
        rc = -1;
    }
    PKCS12_free(p12);
    return rc;
}

/* A PEM private key, encrypted or not. */
static int read_pem_key(sign_key *k, BIO *b, const char *key_path, pass_src *p, diag_ctx *d)
{
    if ((k->key = PEM_read_bio_PrivateKey(b, NULL, pass_cb, p)))
        return 0;
    if (p->asked && p->fd < 0) {
        ERR_clear_error();
        no_phrase(key_path, d);
    } else if (p->asked) {
        ERR_clear_error();
        diag_add(d, DIAG_ERROR, key_path, 0, 0, "the pass phrase does not unlock this private key");
    } else {
        sign_ssl_error(d, key_path, "cannot read the private key (PEM or PKCS#12)");
    }
    return -1;
}

sign_key *sign_key_load(const char *key_path, const char *cert_path, int pass_fd, diag_ctx *d)
{
    sign_key *k = calloc(1, sizeof *k);
    if (!k) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    pass_src p = {pass_fd, 0, 0, ""};
    char *text;
    size_t len;
    BIO *b = file_bio(key_path, "private key", &text, &len, d);
    int p12 = b ? read_pkcs12(k, b, key_path, &p, d) : -1;
    if (p12 == 1 && BIO_reset(b) == 1) /* a read-only memory BIO: back to its start */
        read_pem_key(k, b, key_path, &p, d);
    OPENSSL_cleanse(p.phrase, sizeof p.phrase);
    BIO_free(b);
    wipe(text, len);
    if (k->key && !key_kind_ok(k->key, key_path, d)) {
        EVP_PKEY_free(k->key);
        k->key = NULL;
    }
    b = NULL;
    text = NULL;
    if (cert_path && !diag_errors(d) && (b = file_bio(cert_path, "certificate", &text, &len, d))) {
        X509_free(k->cert); /* a certificate file given beside a PKCS#12 one wins */
        k->cert = NULL;
        read_certs(k, b, cert_path, d);
    } else if (!cert_path && p12 == 1 && k->key) {
        diag_add(d, DIAG_ERROR, key_path, 0, 0,
                 "no certificate: give it beside the key (KEY,CERT or --cert), or a PKCS#12 file that holds both");
    }
    BIO_free(b);
    wipe(text, len);
    if (k->key && k->cert && X509_check_private_key(k->cert, k->key) != 1)
        sign_ssl_error(d, key_path, "the private key does not belong to the certificate (mismatched key)");
    if (!k->key || !k->cert || diag_errors(d)) {
        sign_key_free(k);
        return NULL;
    }
    return k;
}

static void iso_time(const ASN1_TIME *t, char out[32])
{
    struct tm tm;
    out[0] = 0;
    if (ASN1_TIME_to_tm(t, &tm) == 1)
        strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* Whether the certificate may sign documents: RFC 5280 key usage
 * digitalSignature or nonRepudiation when the extension is there, and an
 * extended key usage (when there) that is not for TLS only. */
static const char *usage_problem(X509 *c)
{
    uint32_t flags = X509_get_extension_flags(c);
    if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(c) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        return "its key usage allows neither digitalSignature nor nonRepudiation (wrong usage)";
    if (flags & EXFLAG_XKUSAGE) {
        /* e-mail protection, documentSigning (RFC 9336), Adobe authentic
         * documents, any, Microsoft document signing */
        EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(c, NID_ext_key_usage, NULL, NULL);
        int ok = 0;
        for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++) {
            char oid[64];
            OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1);
            ok |= !strcmp(oid, "1.3.6.1.5.5.7.3.4") || !strcmp(oid, "1.3.6.1.5.5.7.3.36") ||
                  !strcmp(oid, "1.2.840.113583.1.1.5") || !strcmp(oid, "2.5.29.37.0") ||
                  !strcmp(oid, "1.3.6.1.4.1.311.10.3.12");
        }
        EXTENDED_KEY_USAGE_free(eku);
        if (!ok)
            return "its extended key usage is for other things (e.g. TLS servers), not for signing documents "
                   "(wrong usage)";
    }
    return NULL;
}

int sign_key_check(const sign_key *k, time_t when, const char *cert_path, diag_ctx *d)
{
    char from[32], until[32], now[32];
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S UTC", &tm);
    iso_time(X509_get0_notBefore(k->cert), from);
    iso_time(X509_get0_notAfter(k->cert), until);
    int before = X509_cmp_time(X509_get0_notBefore(k->cert), &when), after = X509_cmp_time(X509_get0_notAfter(k->cert), &when);
    const char *usage = usage_problem(k->cert);
    int errors = diag_errors(d);
    if (before == 0 || after == 0)
        diag_add(d, DIAG_ERROR, cert_path, 0, 0, "the certificate's validity dates cannot be read");
    else if (before > 0)
        diag_add(d, DIAG_ERROR, cert_path, 0, 0,
                 "the certificate is not yet valid at the signing time %s (valid from %s): it cannot sign", now, from);
    else if (after < 0)
        diag_add(d, DIAG_ERROR, cert_path, 0, 0, "the certificate expired on %s, before the signing time %s: it cannot sign",
                 until, now);
    if (X509_check_ca(k->cert) != 0)
        diag_add(d, DIAG_ERROR, cert_path, 0, 0,
                 "a CA certificate signs certificates, not documents: give the signer's own certificate (CA key "
                 "refused)");
    if (usage)
        diag_add(d, DIAG_ERROR, cert_path, 0, 0, "the certificate cannot sign documents: %s", usage);
    return diag_errors(d) > errors ? -1 : 0;
}

int sign_time_now(time_t *out, diag_ctx *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) {
        *out = time(NULL);
        return *out == (time_t)-1 ? -1 : 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < 0 || (time_t)v != v) {
        diag_add(d, DIAG_ERROR, "SOURCE_DATE_EPOCH", 0, 0, "'%s' is not a number of seconds since 1970", s);
        return -1;
    }
    *out = (time_t)v;
    return 0;
}

void sign_key_free(sign_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->key);
    X509_free(k->cert);
    sk_X509_pop_free(k->chain, X509_free);
    free(k);
}

void sign_hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

void sign_cert_fpr(X509 *c, char out[65])
{
    unsigned char md[32];
    unsigned int n = 32;
    out[0] = 0;
    if (X509_digest(c, EVP_sha256(), md, &n) == 1)
        sign_hex(md, 32, out);
}

void sign_key_fingerprint(const sign_key *k, char out[65]) { sign_cert_fpr(k->cert, out); }

char *sign_cert_name(X509 *c)
{
    X509_NAME *subject = X509_get_subject_name(c);
    int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    unsigned char *utf8 = NULL;
    int n = at >= 0 ? ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at))) : -1;
    char *name = NULL;
    if (n >= 0) {
        name = util_strdup((const char *)utf8);
        OPENSSL_free(utf8);
    } else {
        char *line = X509_NAME_oneline(subject, NULL, 0);
        name = util_strdup(line ? line : "");
        OPENSSL_free(line);
    }
    return name;
}

void sign_name_line(const X509_NAME *name, char *out, size_t n)
{
    /* in the certificate's order, UTF-8 kept (a Thai name stays readable) */
    BIO *b = BIO_new(BIO_s_mem());
    char *p = NULL;
    long len = b && X509_NAME_print_ex(b, name, 0, (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SPC_EQ)) >= 0
                   ? BIO_get_mem_data(b, &p)
                   : 0;
    snprintf(out, n, "%.*s", (int)(len > 0 ? len : 0), p ? p : "");
    BIO_free(b);
}

void sign_cert_subject(X509 *c, char *out, size_t n) { sign_name_line(X509_get_subject_name(c), out, n); }

char *sign_key_subject(const sign_key *k)
{
    char s[512];
    sign_cert_subject(k->cert, s, sizeof s);
    return util_strdup(s);
}

