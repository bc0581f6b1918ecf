/* sign: PAdES B-B signatures (OpenSSL CMS, SHA-256, detached, ETSI.CAdES
 * .detached) appended to a finished PDF as an incremental update, and their
 * checking for `khet verify` (sign_verify.c).
 *
 * Owns: the signature dictionaries, their fields and widgets (one per
 * signer, on the signer's block; the first a DocMDP certification), each
 * update's cross-reference section, the /ByteRange that covers the file up
 * to the end of the update but the signature itself, and the CMS: signed attributes content type,
 * message digest and ESS signing-certificate-v2, and no signing time (PAdES
 * B-B forbids it; the signing time is the dictionary's /M). qpdf reads the
 * objects the update amends (catalog, pages, fields); the bytes before the
 * update are never touched, so the document as it was before signing stays
 * recoverable. An RSA key gives the same signature for the same document
 * (PKCS#1 v1.5 is deterministic); an ECDSA key does not. */
#ifndef KHET_SIGN_H
#define KHET_SIGN_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"

#include <time.h>

typedef struct sign_key sign_key;
typedef struct sign_trust sign_trust;

/* Loads a private key — PEM (encrypted or not) or a PKCS#12 file with its
 * certificate and chain — and a PEM certificate file (NULL for a PKCS#12
 * file that holds it): the signer's certificate first, then its chain (all
 * embedded in each signature). A pass phrase, when one is asked, is the
 * next line read from pass_fd (-1: none; the key is then refused). NULL
 * after reporting (a key that does not match the certificate too). */
sign_key *sign_key_load(const char *key_path, const char *cert_path, int pass_fd, diag_ctx *d);
void sign_key_free(sign_key *k);
/* Whether the certificate may sign at `when`: valid then, key usage
 * digitalSignature or nonRepudiation, an extended key usage (if any) for
 * documents or e-mail, not a CA (sign_key_load checked the key). -1 after naming each
 * problem (status 2: checked before anything is rendered). */
int sign_key_check(const sign_key *k, time_t when, const char *cert_path, diag_ctx *d);
/* The signing time: now, or SOURCE_DATE_EPOCH when set (reproducible
 * builds and tests). -1 after reporting a malformed SOURCE_DATE_EPOCH. */
int sign_time_now(time_t *out, diag_ctx *d);

/* The auditor's trust anchors for `khet verify --trust`: a PEM file (one
 * or more CA certificates) or a folder of them. NULL after reporting. */
sign_trust *sign_trust_load(const char *path, diag_ctx *d);
void sign_trust_free(sign_trust *t);
/* SHA-256 of the certificate (DER), lowercase hex, 65 bytes. */
void sign_key_fingerprint(const sign_key *k, char out[65]);
/* The certificate's subject, one line. Caller frees. */
char *sign_key_subject(const sign_key *k);

/* A signature field of a document: one per signer, in signing order, on
 * the signer's block (rect in points on page `page`, 0-based; all zero: an
 * invisible field on that page). */
typedef struct {
    const char *field;  /* /T, UTF-8: the role (ผู้จัดทำ, ...) */
    const char *reason; /* /Reason, UTF-8: the role, name and position */
    int page;
    double rect[4]; /* x0 y0 x1 y1 */
    /* what the signed widget's appearance draws beside the role, the
     * signing time and the certificate's subject: the signer's name (may be
     * NULL), in the pen's room (the free band of `room` points at the top
     * of rect), with the report font's file (NULL: a frame only) */
    const char *name;
    double room;
    const char *font;
    int thai_digits; /* its date and time in Thai digits, as the page's (the official style) */
} sign_slot;

/* Appends signature `index` of slots[0, nslots) to pdf[0, len) as an
 * incremental update, signed at `when` (its /M), /Name the certificate's
 * common name; with tsa (an http:// URL, or NULL) time-stamped by that
 * RFC 3161 authority (PAdES B-T). Index 0 is the certification (DocMDP, P 2: form filling and
 * signing allowed afterwards) and creates every slot's field and widget;
 * a later index fills its field, which the file must have. *out is the
 * whole signed file. */
int sign_pdf(const unsigned char *pdf, size_t len, const sign_key *k, time_t when, const char *tsa,
             const sign_slot *slots, int nslots, int index, const char *what, unsigned char **out, size_t *outlen,
             diag_ctx *d);

/* A CMS SignedData that carries data itself (attached), PEM, with no signed
 * attributes, so the same data and RSA key give the same bytes; for the
 * archive's signed ledger head; time-stamped by tsa unless NULL. Caller
 * frees; NULL after reporting. */
char *sign_blob(const sign_key *k, const char *data, size_t len, const char *tsa, const char *what, diag_ctx *d);
/* Opens one: checks its signature and its time-stamp if it has one (trust
 * in the certificate is separate) and returns the content (NUL-terminated, caller frees) and the signer
 * certificate's SHA-256 in fpr. NULL after reporting against `what`. */
char *sign_blob_open(const char *pem, size_t len, char fpr[65], const char *what, diag_ctx *d);

#define SIGN_MAX 9 /* signatures a document may carry (SIGNOFF_MAX_SIGNERS) */

/* One signature as sign_check found it. */
typedef struct {
    char fpr[65];       /* the signer certificate's SHA-256 */
    char subject[256];  /* its subject, one line */
    char field[128];    /* the field's /T (the role), UTF-8 */
    size_t covers;      /* bytes of the file it covers: the revision it signed */
    int certify;        /* a DocMDP certification (the first) */
    char stamped[32];   /* its RFC 3161 time-stamp's time (B-T), "" when none */
    time_t at;          /* the same as seconds, 0 when none */
} sign_one;

/* One document time-stamp (PAdES B-LTA) as sign_check found it. */
typedef struct {
    size_t covers;    /* bytes of the file it covers: the revision it stamped */
    char stamped[32]; /* its time, "YYYY-MM-DD HH:MM:SS UTC" */
    time_t at;
} sign_stamp;

/* What sign_check found: where the document ended before the first
 * signature (the whole file when unsigned), each signature in signing
 * order, the last signer's certificate (SHA-256, subject) and, with trust
 * anchors, whether every signer's chain reaches them (1), not (0), or -1
 * when no anchors were given. Empty signature fields are not counted. */
typedef struct {
    size_t unsigned_len;
    int n;
    sign_one sig[SIGN_MAX];
    char fpr[65];
    char subject[256];
    int trusted;
    int nts;                 /* document time-stamps (B-LTA), after the signatures */
    sign_stamp ts[SIGN_MAX];
    int dss;                 /* the file has a DSS (B-LT): 1 when it held, -1 when it did not, 0 none */
    int dss_certs, dss_crls; /* what it holds */
} sign_info;

/* Checks a file's signatures: each covers the whole file up to the end of
 * its own revision but its /Contents (so signature k covers revision k and
 * every one before), no update is left uncovered, the last covers the
 * whole file, the first is the certification when there are several, each
 * CMS verifies (digest and signature), and with trust (may be NULL) each
 * signer's chain, through the certificates the signature carries, reaches
 * it at the signing time.
 * Returns the number of valid signatures, 0 when unsigned, -1 after
 * reporting a problem against `what`. */
int sign_check(const unsigned char *pdf, size_t len, const char *what, const sign_trust *trust, sign_info *info,
               diag_ctx *d);

/* Certificate revocation lists for `archive --extend`: each file given
 * (PEM or DER) and every CRL of the --trust folder (trust_path, when it is
 * a folder; NULL: none). NULL after reporting. */
typedef struct sign_crls sign_crls;
sign_crls *sign_crls_load(const char *const *paths, int n, const char *trust_path, diag_ctx *d);
void sign_crls_free(sign_crls *c);
int sign_crls_count(const sign_crls *c);

/* PAdES B-LT and B-LTA: appends to the signed pdf[0, len), as one
 * incremental update, a /DSS with every certificate its signatures and
 * their time-stamps carry (and, with trust, their chains up to it) and, for
 * each certificate not self-signed, its issuer's CRL from crls (the DSS's
 * earlier contents kept); and a document time-stamp from tsa over the whole
 * result. stamped: its time. A certificate without its CRL or issuer is
 * named (status 2). *out is the extended file. 0, or -1 after reporting. */
int sign_extend(const unsigned char *pdf, size_t len, const char *tsa, const sign_crls *crls, const sign_trust *trust,
                const char *what, unsigned char **out, size_t *outlen, char stamped[32], diag_ctx *d);

#endif
