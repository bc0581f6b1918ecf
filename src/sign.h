/* sign: PAdES B-B signatures (OpenSSL CMS, SHA-256, detached, ETSI.CAdES
 * .detached) appended to a finished PDF as an incremental update, and their
 * checking for `khet verify`.
 *
 * Owns: the signature dictionary and its invisible widget, the update's
 * cross-reference section, the /ByteRange that covers the whole file but
 * the signature itself, and the CMS: signed attributes content type,
 * message digest and ESS signing-certificate-v2, and no signing time (PAdES
 * B-B forbids it; the sign-off date is the dictionary's /M). qpdf reads the
 * objects the update amends (catalog, first page); the bytes before the
 * update are never touched, so the document as it was before signing stays
 * recoverable. An RSA key gives the same signature for the same document
 * (PKCS#1 v1.5 is deterministic); an ECDSA key does not. */
#ifndef KHET_SIGN_H
#define KHET_SIGN_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"

typedef struct sign_key sign_key;

/* Loads a PEM private key and certificate; NULL after reporting. */
sign_key *sign_key_load(const char *key_path, const char *cert_path, diag_ctx *d);
void sign_key_free(sign_key *k);
/* SHA-256 of the certificate (DER), lowercase hex, 65 bytes. */
void sign_key_fingerprint(const sign_key *k, char out[65]);
/* The certificate's subject, one line. Caller frees. */
char *sign_key_subject(const sign_key *k);

/* Appends a signature to pdf[0, len) (a file written by pdfa_finish), signed
 * at `when` on behalf of `signer` (UTF-8). *out is the whole signed file. */
int sign_pdf(const unsigned char *pdf, size_t len, const sign_key *k, reader_date when, const char *signer,
             const char *what, unsigned char **out, size_t *outlen, diag_ctx *d);

/* A CMS SignedData that carries data itself (attached), PEM, with no signed
 * attributes, so the same data and RSA key give the same bytes; for the
 * archive's signed ledger head. Caller frees; NULL after reporting. */
char *sign_blob(const sign_key *k, const char *data, size_t len, const char *what, diag_ctx *d);
/* Opens one: checks its signature (trust in the certificate is separate)
 * and returns the content (NUL-terminated, caller frees) and the signer
 * certificate's SHA-256 in fpr. NULL after reporting against `what`. */
char *sign_blob_open(const char *pem, size_t len, char fpr[65], const char *what, diag_ctx *d);

/* Checks a file's signatures: each covers the whole file before it but its
 * own /Contents, the last covers the whole file, each CMS verifies (digest
 * and signature; trust in the certificate is the auditor's call). Returns
 * the number of valid signatures, 0 when unsigned, -1 after reporting a
 * problem against `what`. *signed_len is the length of the file before the
 * first signature's update (the whole file when unsigned); fpr, when not
 * NULL, receives the signer certificate's SHA-256. */
int sign_check(const unsigned char *pdf, size_t len, const char *what, size_t *unsigned_len, char fpr[65],
               diag_ctx *d);

#endif
