/* sign_int: what signing (sign.c) and checking signatures (sign_verify.c)
 * share. Internal to those two files. */
#ifndef KHET_SIGN_INT_H
#define KHET_SIGN_INT_H

#include <openssl/x509.h>

#include "diag.h"

struct sign_key {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain; /* the rest of the certificate file: its issuers */
};

struct sign_trust {
    X509_STORE *store;
};

/* Reports msg against `what`, with OpenSSL's first queued error. */
void sign_ssl_error(diag_ctx *d, const char *what, const char *msg);
/* n bytes as lowercase hex into out (2n + 1 bytes). */
void sign_hex(const unsigned char *b, size_t n, char *out);
/* SHA-256 of the certificate (DER), lowercase hex. */
void sign_cert_fpr(X509 *c, char out[65]);
/* The certificate's subject on one line, UTF-8 as it is. */
void sign_cert_subject(X509 *c, char *out, size_t n);
/* The certificate subject's common name (UTF-8), or the whole subject on
 * one line when it has none. Caller frees; NULL when out of memory. */
char *sign_cert_name(X509 *c);

#endif
