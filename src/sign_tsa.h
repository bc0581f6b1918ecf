/* sign_tsa: RFC 3161 signature time-stamps (PAdES B-T); see sign_tsa.c.
 * Internal to sign.c and sign_verify.c. */
#ifndef KHET_SIGN_TSA_H
#define KHET_SIGN_TSA_H

#include <openssl/cms.h>
#include <openssl/x509_vfy.h>

#include "diag.h"

#include <openssl/pkcs7.h>
#include <time.h>

/* Asks the TSA at url (http://...) to time-stamp the signature of si and
 * adds the token as its unsigned attribute. 0, or -1 after reporting. */
int sign_tsa_stamp(CMS_SignerInfo *si, const char *url, const char *what, diag_ctx *d);

/* Asks the TSA at url for a token over the SHA-256 digest md (checked:
 * granted, this imprint, this nonce); *der (OPENSSL_free) is the token, a
 * CMS SignedData. 0, or -1 after reporting. */
int sign_tsa_token(const unsigned char md[32], const char *url, const char *what, unsigned char **der, int *len,
                   diag_ctx *d);

/* The time-stamp token si carries (PKCS7_free), NULL when none. */
PKCS7 *sign_tsa_token_of(CMS_SignerInfo *si);
/* Whether token stamps the digest md: its imprint, its own signature and,
 * with trust, the TSA's chain. 1 (when, *at filled: at may be NULL) or -1;
 * reports nothing. */
int sign_tsa_check_token(PKCS7 *token, const unsigned char md[32], X509_STORE *trust, char *when, size_t wn,
                         time_t *at);

/* Checks si's time-stamp: 0 when it has none, 1 valid (when filled with
 * its time), -1 after reporting. With trust, the TSA's chain must reach it. */
int sign_tsa_check(CMS_SignerInfo *si, X509_STORE *trust, char *when, size_t wn, const char *what, diag_ctx *d);

#endif
