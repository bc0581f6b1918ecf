/* archive_sign: who signs a filed round's documents, and where (see
 * archive_sign.c). Internal to the archive's files. */
#ifndef KHET_ARCHIVE_SIGN_H
#define KHET_ARCHIVE_SIGN_H

#include <time.h>

#include "archive.h"
#include "archive_int.h"
#include "reports.h"
#include "sign.h"
#include "signoff.h"

/* Renders report `name` to out_path as report_render does, and fills
 * b->boxes with where each signer of ro->signoff signs (`shown` names the
 * document in warnings). 0, or -1 after reporting. */
int archive_render_doc(const char *name, const report_data *rd, const report_opts *ro, const char *out_path,
                       const char *shown, built_doc *b, diag_ctx *d);

/* Parses "ROLE=KEY,CERT" or "ROLE=FILE.p12" (ROLE in Thai or preparer,
 * checker, approver).
 * 0, -1 when malformed, -2 out of memory. */
int archive_parse_sign(const char *arg, archive_signer *s);
void archive_signers_free(archive_signer *s, int n);

/* Matches --sign to the sign-off's signers (order[i]: signer i's, NULL
 * when not given; those before `first` signed already) — all the others,
 * or with `partial` the next ones in order — and loads (pass phrases from
 * pass_fd, -1: none) and checks each key at `when`. 0, or -1 after naming
 * each problem. */
int archive_load_signers(const signoff *so, const char *signoff_path, archive_signer *s, int n, time_t when,
                         int pass_fd, int first, int partial, archive_signer **order, diag_ctx *d);

/* Says on stderr that the round waits for its signers from nsigned on. */
void archive_say_waiting(const signoff *so, int nsigned);

/* Signs pdf[0, len) (document b, signed by its first `first` signers) as
 * signers first .. first + nkeys - 1 of the sign-off, in order, with keys
 * (single: one signature for the whole sign-off), each time-stamped by tsa
 * (NULL: none), each signed widget drawn with font (a font file, or NULL:
 * a frame only; thai_digits: its date and time in Thai digits). *out is
 * the signed file. */
int archive_sign_doc(const signoff *so, const built_doc *b, const unsigned char *pdf, size_t len,
                     const sign_key *const *keys, int first, int nkeys, int single, time_t when, const char *tsa,
                     const char *font, int thai_digits, unsigned char **out, size_t *outlen, diag_ctx *d);
/* The file of the report font's regular face (font NULL: Laksaman), for
 * the widgets' drawn appearances (font: that file, NULL for a frame only).
 * Caller frees; NULL when not found. */
char *archive_sign_font(const char *font_dir, const char *font);

#endif
