/* archive: files a signed-off round (archive.c) and checks filed ones
 * (verify.c; what both share is in archive_int.h).
 *
 * Owns: which documents a round has (a finance scheme: one scorecard per
 * province and the region summary; a KPI scheme: the inspection report), the
 * round's inputs (every data CSV and INI, the scheme folder, the report
 * templates and the sign-off file) as embedded sources, the write-once
 * archive folder (ARCHIVE/SCHEME/PERIOD-rN, built aside in a staging folder
 * and renamed into place, recorded in the ledger in the same step), and
 * `khet verify`: checksums, signatures, the ledger's chain, the embedded
 * sources, a re-render and re-score from them that must give the same bytes
 * and the ledger's figures, the ledger head each document carries, the
 * signed ledger head (anchor) and the append-only triggers. */
#ifndef KHET_ARCHIVE_H
#define KHET_ARCHIVE_H

#include "diag.h"
#include "reports.h"

/* One --sign ROLE=KEY,CERT. */
typedef struct archive_signer {
    int role; /* signoff_role */
    char *key_path, *cert_path; /* cert_path NULL: a PKCS#12 file */
    struct sign_key *key;       /* loaded when filing */
} archive_signer;

typedef struct {
    const char *data_dir, *scheme_dir, *signoff_path, *archive_dir;
    const char *templates_dir; /* holds reports/NAME.md and reports/settings.ini */
    const char *font_dir, *font; /* font NULL: reports/settings.ini, else Laksaman */
    const char *style;           /* "official" or "modern"; NULL: reports/settings.ini */
    const char *key_path, *cert_path; /* both NULL: sealed by checksums only; cert NULL: a PKCS#12 key */
    archive_signer *signers;          /* --sign, one per role; instead of key_path */
    int nsigners;
    const char *tsa;                  /* --tsa: an RFC 3161 time-stamp authority's http:// URL, or NULL */
    int pass_fd;                      /* --pass-fd: pass phrases, a line per key that asks; -1: none */
    int stage;                        /* --stage: only the first signers sign now; filed by --countersign */
    const char *countersign;          /* --countersign ROUND: the next signers of a staged round */
    const char *extend;               /* --extend ROUND: PAdES B-LT/B-LTA for a filed round */
    const char *const *crls;          /* --crl FILE ...: revocation lists for --extend */
    int ncrls;
    const char *trust;                /* --trust CAFILE|DIR: chains (and CRLs in a folder) for --extend */
} archive_opts;

/* Files the round; prints each document's path. 0, or -1 after reporting
 * (a round already filed is an error and nothing is written). With
 * o->stage, the first signers' documents wait in ARCHIVE/.pending-ID. */
int archive_round(const archive_opts *o, diag_ctx *d);
/* The next signers of a staged round (o->countersign): their signatures
 * added, and the round filed once the last has signed. 0, or -1. */
int archive_countersign(const archive_opts *o, diag_ctx *d);

/* Extends a filed round (o->extend) to PAdES B-LT and B-LTA: each signed
 * document gets, as an incremental update, a DSS with the certificates
 * and CRLs (o->crls, o->trust) and a document time-stamp (o->tsa); the
 * ledger records each as an extension. Prints each document's path. 0, or
 * -1 after reporting (nothing changed). */
int archive_extend(const archive_opts *o, diag_ctx *d);

typedef struct {
    const char *archive_dir;
    const char *round;    /* SCHEME/PERIOD-rN, or NULL for every round */
    const char *font_dir;
    int allow_unsigned;   /* an unsigned round or head is a warning, not an error */
    const char *trust;    /* --trust: CA certificates (a PEM file or a folder), or NULL */
} verify_opts;

/* Checks every filed round, or only o->round; prints what held. Returns 0
 * when everything holds, -1 after naming each failure. */
int archive_verify(const verify_opts *o, diag_ctx *d);

/* The light check `khet history` makes before printing the ledger's
 * figures: the hash chain, the append-only triggers and the signed head.
 * Returns the number of problems (each reported), -1 on error. */
int archive_ledger_holds(const char *archive_dir, diag_ctx *d);

/* The latest round of `scheme` for `region` whose period is a month before
 * `before` (a calendar month): 1 and *out filled, 0 when the archive has
 * none (or no ledger), -1 after reporting. Free with archive_month_free. */
int archive_last_month(const char *archive_dir, const char *scheme, int region, reader_date before,
                       report_signed_month *out, diag_ctx *d);
void archive_month_free(report_signed_month *s);

#endif
