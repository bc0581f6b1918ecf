/* archive_int: what filing (archive.c) and verifying (verify.c) share: a
 * round built from its inputs (loaded, scored, rendered as PDF/A before any
 * signature) and small file helpers. Internal to those two files. */
#ifndef KHET_ARCHIVE_INT_H
#define KHET_ARCHIVE_INT_H

#include <stddef.h>

#include "diag.h"
#include "ledger.h"
#include "model.h"
#include "pdfa.h"
#include "scoring.h"
#include "signoff.h"

typedef struct {
    pdfa_source *v;
    int n;
    size_t cap;
} sources;

/* Where a signer signs a document: its block on page `page` (0-based). */
typedef struct {
    int found;
    int page;
    double rect[4];
    double room; /* the pen's room: the free band at the top of rect, in points */
} archive_box;

typedef struct {
    char *file;
    unsigned char *pdf; /* finished PDF/A, before any signature */
    size_t len;
    archive_box boxes[SIGNOFF_MAX_SIGNERS]; /* per signer of the sign-off */
} built_doc;

typedef struct {
    signoff *so;
    dataset *ds;
    scheme *sch;
    score_result *res;
    sources src;
    built_doc docs[64];
    int ndocs;
    char *font;
    int thai_digits;
    const char *ledger_head; /* the ledger before the round, carried by each document */
    int style;               /* REPORT_STYLE_*, from the settings and options */
    diag_ctx *diag;          /* for the settings callback */
    const char *settings_path;
} round_build;

/* Loads, scores and renders a round's documents as final PDF/A into rb
 * (work: a folder for libharu's temporary files; rb->ledger_head set by the
 * caller). `options`, when not NULL, is an INI file like settings.ini whose
 * settings win (the command line's --style and --font), embedded as
 * options.ini. 0, or -1 after reporting. */
int archive_build_round(const char *data_dir, const char *scheme_dir, const char *templates_dir,
                        const char *signoff_path, const char *font_dir, const char *font, const char *options,
                        const char *work, round_build *rb, diag_ctx *d);
void archive_build_free(round_build *rb);

/* Whether the round's documents print Thai digits (the setting, or the
 * official style, which always does). */
int archive_thai_digits(const round_build *rb);

/* The archive's lock (one filing at a time): a descriptor, or -1. */
int archive_lock(const char *archive, diag_ctx *d);
/* ARCHIVE/KIND + the round's id with '/' as '-' (".staging-", ".pending-"). */
char *archive_side_dir(const char *archive, const char *kind, const char *id);
/* The ledger's record of a round from what was built and signed (cert: the
 * certificates' SHA-256 in signing order, space-separated; NULL unsigned). */
int archive_fill_record(ledger_round *r, const round_build *rb, const unsigned char *const *bytes,
                        const size_t *lens, const char *cert, const char *font_dir, diag_ctx *d);
/* Records the round and moves the staging folder into place as one step. */
int archive_file_round(ledger *l, ledger_round *rec, const char *stage, const char *final,
                       const char *archive, const char *scheme, diag_ctx *d);
/* A round's embedded sources written out as data/, scheme/, reports/ and
 * signoff.csv under tmp (for building it again); removed again. */
int archive_write_sources(const char *tmp, const pdfa_embedded *e, int n);
void archive_remove_sources(const char *tmp);

void archive_sha256_hex(const unsigned char *data, size_t len, char out[65]);
void archive_free_list(char **v, int n);
/* Removes a flat folder (files only, hidden ones too) and the folder. */
void archive_remove_flat(const char *dir);

#endif
