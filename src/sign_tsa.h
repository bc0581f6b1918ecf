/* sign_tsa: RFC 3161 signature time-stamps (PAdES B-T); see sign_tsa.c.
 * Internal to sign.c and sign_verify.c. */
#ifndef KHET_SIGN_TSA_H
#define KHET_SIGN_TSA_H

#include <openssl/cms.h>
#include <openssl/x509_vfy.h>

#include "diag.h"

/* Asks the TSA at url (http://...) to time-stamp the signature of si and
 * adds the token as its unsigned attribute. 0, or -1 after reporting. */
int sign_tsa_stamp(CMS_SignerInfo *si, const char *url, const char *what, diag_ctx *d);

/* Checks si's time-stamp: 0 when it has none, 1 valid (when filled with
 * its time), -1 after reporting. With trust, the TSA's chain must reach it. */
int sign_tsa_check(CMS_SignerInfo *si, X509_STORE *trust, char *when, size_t wn, const char *what, diag_ctx *d);

#endif
