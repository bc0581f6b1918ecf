/* ledger: the archive's SQLite database (ledger.sqlite), the record of every
 * filed round: its scheme, period, signers, every document and input with
 * its SHA-256, and every province's signed-off result.
 *
 * Owns: the schema (documented in README.md), its append-only triggers, and
 * the hash chain: each round's row carries the SHA-256 of the previous
 * round's row, and its own row_hash covers the round's fields and all of its
 * signers, documents, sources and results (canonical JSON by jansson), so an
 * edited or removed round is detected by ledger_check. */
#ifndef KHET_LEDGER_H
#define KHET_LEDGER_H

#include <stdint.h>

#include "diag.h"

typedef struct {
    char *role, *name, *position, *signed_on;
} ledger_signer;

typedef struct {
    char *file; /* the name in the round's folder */
    char *sha256;
    int64_t bytes;
} ledger_file;

typedef struct {
    char *code, *name;
    int64_t total_cp, max_cp, percent_x100, clawback_satang;
    char *grade;
    int rank;
} ledger_result;

/* What produced a round's bytes: each font file's SHA-256, each library's
 * version ("font regular", "libharu", ...), so that a re-render that differs
 * says which differs. */
typedef struct {
    char *name, *value;
} ledger_env;

typedef struct {
    char *round;  /* SCHEME/PERIOD-rN */
    char *scheme, *kind, *period, *signed_off; /* signed_off: YYYY-MM-DD, Buddhist Era */
    int round_no, region, fiscal_year;
    char *seal;       /* "pades" or "checksums" */
    char *cert_sha256; /* the signing certificates' SHA-256, one per signature in signing order, separated by
                          spaces (the last: the approver's); "" when sealed by checksums */
    char *prev_hash, *row_hash;
    char *khet_version; /* the khet that filed it; NULL when filed before 0.2.0 recorded it */
    ledger_signer *signers;
    int nsigners;
    ledger_file *documents, *sources;
    int ndocuments, nsources;
    ledger_result *results;
    int nresults;
    ledger_env *environment; /* none in rounds filed before it was recorded */
    int nenvironment;
} ledger_round;

typedef struct ledger ledger;

/* Opens ARCHIVE/ledger.sqlite; with create, makes it (and its schema) when
 * missing. NULL after reporting. */
ledger *ledger_open(const char *archive_dir, int create, diag_ctx *d);
void ledger_close(ledger *l);

/* Whether a round is filed: 1 yes, 0 no, -1 error (ledger_report says it). */
int ledger_has_round(ledger *l, const char *round);

/* Reports SQLite's last error on the ledger as "DOING: why", as a runtime
 * failure (locked, I/O, full disk: status 1) or bad input (status 2). */
void ledger_report(ledger *l, diag_ctx *d, const char *doing);

/* Appends a round in one transaction, left open: ledger_commit makes it
 * final, ledger_rollback forgets it. Fills r->prev_hash and r->row_hash. */
int ledger_append(ledger *l, ledger_round *r, diag_ctx *d);
int ledger_commit(ledger *l, diag_ctx *d);
void ledger_rollback(ledger *l);

/* Every round, in filing order (caller frees with ledger_rounds_free). */
int ledger_load(ledger *l, ledger_round **rounds, int *n, diag_ctx *d);
void ledger_rounds_free(ledger_round *r, int n);
void ledger_round_clear(ledger_round *r); /* frees what one round holds */

/* Recomputes the chain; reports each round whose hash or link is wrong.
 * Returns the number of problems, -1 on error. */
int ledger_check(const ledger_round *r, int n, const char *path, diag_ctx *d);

/* The ledger's head: the row_hash of its last round, or 64 zeros when it
 * has none (caller frees; NULL on error). Filed documents carry the head
 * before their round. */
char *ledger_head(ledger *l);
/* The number of rounds filed, -1 on error. */
int ledger_count(ledger *l);
#define LEDGER_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Whether the append-only triggers are all there, as khet made them;
 * reports each one dropped or changed. Returns the number of problems,
 * -1 on error. */
int ledger_check_triggers(ledger *l, diag_ctx *d);

/* The last certificate of r->cert_sha256 (the approver's, who also signs
 * the ledger head): a pointer into it. */
const char *ledger_last_cert(const ledger_round *r);

/* The canonical JSON of a round (as hashed), for `khet history`. */
char *ledger_round_json(const ledger_round *r, int with_hashes);

/* One document's extension (`khet archive --extend`: PAdES B-LT/B-LTA
 * validation data and a document time-stamp appended as an incremental
 * update): the file's hash and size before and after it, the time-stamp's
 * time, and the round's row_hash it extends. Chained like rounds: each
 * extension row carries the previous one's hash (the first: 64 zeros), and
 * its row_hash covers all of its fields. The round's own documents row
 * keeps the hash the round was filed with (the original revision: a
 * prefix of the extended file). */
typedef struct {
    char *round, *file;
    char *before_sha256;
    int64_t before_bytes;
    char *sha256;
    int64_t bytes;
    char *stamped; /* the document time-stamp's time */
    char *round_hash, *prev_hash, *row_hash;
} ledger_extension;

/* Every extension, in order (none in a ledger without the table). */
int ledger_load_extensions(ledger *l, ledger_extension **v, int *n, diag_ctx *d);
void ledger_extensions_free(ledger_extension *v, int n);
/* Appends v[0, n) in one transaction, left open (ledger_commit, or
 * ledger_rollback); fills their prev_hash and row_hash. */
int ledger_append_extensions(ledger *l, ledger_extension *v, int n, diag_ctx *d);
/* Recomputes the extensions' chain, each against its round (rounds r[0,
 * nr)) and the file's state before it; reports each problem. Returns the
 * number of problems, -1 on error. */
int ledger_check_extensions(const ledger_extension *v, int n, const ledger_round *r, int nr, const char *path,
                            diag_ctx *d);
/* The hash and size a round's document must have now: after its last
 * extension, else as filed. */
const char *ledger_current_sha256(const ledger_extension *v, int n, const char *round, const char *file,
                                  const char *filed);

#endif
