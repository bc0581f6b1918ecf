/* anchor: the archive's signed ledger head, ARCHIVE/ledger.head.
 *
 * Owns: after each filing, the head of the ledger (how many rounds, the last
 * one, its row_hash) written beside the ledger and signed by the key that
 * signed the round (a CMS SignedData in PEM that carries the text; `openssl
 * cms -verify -inform PEM -in ledger.head -noverify` prints it), or left
 * unsigned when the round was filed without a key; and its check against the
 * ledger for `khet verify` and `khet history`. A ledger edited and re-hashed,
 * or cut short by its last rounds, no longer matches the signed head, and
 * only the approver's key can sign a new one. (An insider who kept an earlier
 * signed head can put it back together with the ledger of that time: the
 * README says how an office keeps the head hash khet prints elsewhere.) */
#ifndef KHET_ANCHOR_H
#define KHET_ANCHOR_H

#include "diag.h"
#include "ledger.h"
#include "sign.h"

/* Writes the head after `last` (the newest of nrounds), signed with key
 * unless key is NULL, and time-stamped by tsa unless NULL. 0, or -1 after
 * reporting. */
int anchor_write(const char *archive_dir, const ledger_round *last, int nrounds, const sign_key *key, const char *tsa,
                 diag_ctx *d);

/* Checks the head against the ledger's rounds r[0, n): present, its
 * signature valid and made by the last round's certificate, and naming the
 * ledger's last round and hash. An unsigned head is an error, or a warning
 * with allow_unsigned. Returns the number of problems (0 or 1), -1 on error. */
int anchor_check(const char *archive_dir, const ledger_round *r, int n, int allow_unsigned, diag_ctx *d);

#endif
