/* sign_int: what signing (sign.c) and checking signatures (sign_verify.c)
 * share. Internal to those two files. */
#ifndef KHET_SIGN_INT_H
#define KHET_SIGN_INT_H

#include <openssl/x509.h>
#include <qpdf/qpdf-c.h>
#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "sign.h"
#include "util.h"

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
/* A name on one line ("CN=..., O=..."), UTF-8 as it is. */
void sign_name_line(const X509_NAME *name, char *out, size_t n);
/* The certificate's subject on one line, UTF-8 as it is. */
void sign_cert_subject(X509 *c, char *out, size_t n);
/* The certificate subject's common name (UTF-8), or the whole subject on
 * one line when it has none. Caller frees; NULL when out of memory. */
char *sign_cert_name(X509 *c);

/* One object of an incremental update: its number and its text ("<< ...
 * >>", or a stream's dictionary, stream and endstream); len 0: text is a C
 * string, else its bytes (a stream with binary data). */
typedef struct {
    int id;
    char *text;
    size_t len;
} upd_obj;

/* The update: objects o[0, n) (freed here) of the file pdf[0, len) that q
 * read, a cross-reference section for them and a trailer pointing back at
 * the file's own, appended to b. 0, or -1. */
int sign_write_update(qpdf_data q, const unsigned char *pdf, size_t len, upd_obj *o, int n, strbuf *b);
/* The drawn appearance of slot s's widget, signed by `subject` at `when`
 * (sign_appear.c): a Form XObject's text; the font objects it uses are
 * added to o. NULL (nothing added) when it cannot be drawn. */
char *sign_appearance(qpdf_data q, const sign_slot *s, const char *subject, time_t when, upd_obj *o, int *n);
/* Whether signature dictionary v is a document time-stamp (ETSI.RFC3161). */
int sign_is_doc_timestamp(qpdf_data q, qpdf_oh v);
/* Document time-stamp v: its range covers the file up to `end` but its
 * /Contents, and its token's imprint is that range's SHA-256 (with trust,
 * its TSA's chain reaches it). 0, or -1 after reporting. */
int sign_docts_check(qpdf_data q, qpdf_oh v, const unsigned char *pdf, size_t len, size_t end,
                     const sign_trust *trust, sign_stamp *one, const char *what, diag_ctx *d);
/* The file's DSS: holds every certificate of its signatures and their
 * time-stamps, and for each one not self-signed a CRL of its issuer that
 * verifies and does not revoke it before `when` (0: ever). Fills
 * info->dss_certs and dss_crls. 0, or -1 after naming each problem. */
int sign_dss_check(qpdf_data q, time_t when, sign_info *info, const char *what, diag_ctx *d);
/* The offset the file's last startxref names, -1 when none. */
long sign_find_startxref(const unsigned char *pdf, size_t len);

#endif
