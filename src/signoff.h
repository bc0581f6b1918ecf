/* signoff: the sign-off file of a round (CSV, see data/README.md): which
 * scheme, period and round a committee signed off, on which date, and who
 * signed it in the order Thai documents use: ผู้จัดทำ (prepared by),
 * ผู้ตรวจสอบ (checked by), ผู้อนุมัติ (approved by).
 *
 * Owns: reading and checking that file, and the round's name in the archive
 * (SCHEME/PERIOD-rN). Knows nothing of PDFs or the ledger. */
#ifndef KHET_SIGNOFF_H
#define KHET_SIGNOFF_H

#include "diag.h"
#include "reader.h"

#define SIGNOFF_MAX_SIGNERS 9

typedef enum { ROLE_PREPARER, ROLE_CHECKER, ROLE_APPROVER } signoff_role;

typedef struct {
    signoff_role role;
    char *name, *position;
    reader_date date;
    int line, col; /* where the file gives the position */
} signoff_signer;

typedef struct {
    char *scheme;     /* the scheme's name (scheme.ini name =) */
    int scheme_line, scheme_col; /* where the file names it */
    char *period;     /* "2563" (a fiscal year) or "2563-09" (a month, BE) */
    int fiscal_year;  /* BE; for a month, the fiscal year it belongs to */
    reader_date month; /* year 0 when the period is a whole fiscal year */
    int round;        /* 1, 2, ...: the committee's round for this period */
    reader_date date; /* the date of sign-off */
    signoff_signer signers[SIGNOFF_MAX_SIGNERS];
    int nsigners;
    char *id; /* SCHEME/PERIOD-rN: the round's folder in the archive */
} signoff;

/* Reads and checks a sign-off file; NULL after reporting every problem with
 * its file:line:column. */
signoff *signoff_load(const char *path, diag_ctx *d);
void signoff_free(signoff *s);

const char *signoff_role_th(signoff_role r); /* "ผู้จัดทำ", ... */

/* The health region a signer's position names ("ผู้อำนวยการสำนักงานเขตสุขภาพที่ 8",
 * "… เขต ๑๒": Arabic or Thai digits), 0 when it names none. */
int signoff_position_region(const char *position);
/* Warns, naming the file, the signer and both regions, about each signer
 * whose position names another health region than the round's `region`
 * (the scheme's): a sign-off copied from another region's round. The
 * number of warnings. */
int signoff_check_region(const signoff *s, int region, const char *path, diag_ctx *d);

#endif
