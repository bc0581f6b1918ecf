/* audit: the checks of `khet verify` that catch an insider who can write the
 * archive but holds no signer's key.
 *
 * Owns: a round's results as the ledger records them (from a scoring run),
 * their comparison with the ledger's rows (verify re-scores every round from
 * the sources embedded in its signed documents, so a ledger edited and
 * re-hashed with the published formula is named figure by figure), the
 * signers' keys across rounds (a round re-filed under another key with the
 * same name is named unless its chain reaches --trust), and the listing of
 * every name in an archive folder, dot-files included. */
#ifndef KHET_AUDIT_H
#define KHET_AUDIT_H

#include "diag.h"
#include "ledger.h"
#include "model.h"
#include "scoring.h"

/* The ledger rows of a scored round (none for a KPI scheme). 0, or -1 when
 * out of memory; free *out with audit_results_free. */
int audit_results_of(const score_result *res, const dataset *ds, const scheme *sch, ledger_result **out, int *n);
void audit_results_free(ledger_result *v, int n);

/* Names every province whose ledger row differs from `fresh` (and every row
 * one side lacks). Returns the number named. */
int audit_compare_results(const ledger_round *r, const ledger_result *fresh, int nfresh, const char *ledger_path,
                          diag_ctx *d);

/* Whether a round's certificate chain reaches the auditor's trust anchors. */
typedef int (*audit_trusted_fn)(void *user, int round_index);
/* Names each signed round whose approver signed an earlier round with
 * another certificate (unless trusted says the new one is trusted).
 * Returns the number named. */
int audit_signers(const ledger_round *r, int n, const char *ledger_path, audit_trusted_fn trusted, void *user,
                  diag_ctx *d);

/* What produces a round's bytes here: the SHA-256 of the font files `font`
 * means in font_dir (regular, bold) and the versions of khet and of the
 * libraries that write them. 0, or -1 when out of memory or the font is not
 * found (reported). Free with audit_env_free. */
int audit_environment(const char *font_dir, const char *font, ledger_env **out, int *n, diag_ctx *d);
void audit_env_free(ledger_env *v, int n);
/* Names (as notes) each entry that differs between what a round was filed
 * with and this system; returns how many differ. */
int audit_compare_environment(const ledger_round *r, const ledger_env *here, int nhere, diag_ctx *d);

/* Every name in dir but . and .., dot-files included, sorted; NULL when it
 * cannot be read. Free each and the array. */
char **audit_list_all(const char *dir, int *n);

#endif
