/* ledger_ext: the ledger's record of extensions (`khet archive --extend`):
 * the `extensions` table, its append-only triggers (ledger.c makes and
 * checks them with the others), its hash chain and its checks against the
 * rounds (see ledger.h). */
#include "ledger.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "util.h"

static int ext_hash(const ledger_extension *e, char out[65])
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:s}", "round", e->round, "file", e->file,
                          "before_sha256", e->before_sha256, "before_bytes", (json_int_t)e->before_bytes, "sha256",
                          e->sha256, "bytes", (json_int_t)e->bytes, "stamped", e->stamped, "round_hash",
                          e->round_hash, "prev_hash", e->prev_hash ? e->prev_hash : LEDGER_GENESIS);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc = ledger_sha256_text(s, out);
    free(s);
    json_decref(o);
    return rc;
}

static char *last_ext_hash(ledger *l)
{
    sqlite3_stmt *st = NULL;
    char *h = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT row_hash FROM extensions ORDER BY seq DESC LIMIT 1", -1, &st, NULL) !=
        SQLITE_OK)
        return NULL;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        h = util_strdup((const char *)sqlite3_column_text(st, 0));
    else if (s == SQLITE_DONE)
        h = util_strdup(LEDGER_GENESIS);
    sqlite3_finalize(st);
    return h;
}

int ledger_append_extensions(ledger *l, ledger_extension *v, int n, diag_ctx *d)
{
    if (ledger_add_table(l, "extensions", LEDGER_EXT_TABLE, d) != 0 || ledger_exec(l, "BEGIN IMMEDIATE", d) != 0)
        return -1;
    char *prev = last_ext_hash(l);
    int rc = prev ? 0 : -1;
    for (int i = 0; !rc && i < n; i++) {
        ledger_extension *e = &v[i];
        char h[65];
        free(e->prev_hash);
        free(e->row_hash);
        e->row_hash = NULL;
        rc = (e->prev_hash = util_strdup(prev)) && ext_hash(e, h) == 0 && (e->row_hash = util_strdup(h)) ? 0 : -1;
        rc = rc ? rc
                : ledger_put(l,
                             "INSERT INTO extensions (round, file, before_sha256, before_bytes, sha256, bytes, stamped,"
                             " round_hash, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             "sssisissss", e->round, e->file, e->before_sha256, e->before_bytes, e->sha256, e->bytes,
                             e->stamped, e->round_hash, e->prev_hash, e->row_hash);
        free(prev);
        prev = rc ? NULL : util_strdup(e->row_hash);
        rc = rc || !prev ? -1 : 0;
    }
    free(prev);
    if (rc) {
        diag_add(d, DIAG_SYSTEM, l->path, 0, 0, "cannot record the extension in the ledger: %s",
                 sqlite3_errmsg(l->db));
        ledger_rollback(l);
    }
    return rc;
}

int ledger_load_extensions(ledger *l, ledger_extension **v, int *n, diag_ctx *d)
{
    *v = NULL;
    *n = 0;
    int have = ledger_has_table(l, "extensions");
    if (have <= 0) {
        if (have < 0)
            ledger_report(l, d, "cannot read the ledger");
        return have;
    }
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = sqlite3_prepare_v2(l->db,
                                "SELECT round, file, before_sha256, before_bytes, sha256, bytes, stamped, round_hash,"
                                " prev_hash, row_hash FROM extensions ORDER BY seq",
                                -1, &st, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (util_grow((void **)v, &cap, (size_t)*n + 1, sizeof **v)) {
            rc = -1;
            break;
        }
        ledger_extension *e = &(*v)[(*n)++];
        memset(e, 0, sizeof *e);
        e->round = ledger_col(st, 0), e->file = ledger_col(st, 1), e->before_sha256 = ledger_col(st, 2);
        e->before_bytes = sqlite3_column_int64(st, 3), e->sha256 = ledger_col(st, 4);
        e->bytes = sqlite3_column_int64(st, 5), e->stamped = ledger_col(st, 6), e->round_hash = ledger_col(st, 7);
        e->prev_hash = ledger_col(st, 8), e->row_hash = ledger_col(st, 9);
        if (!e->round || !e->file || !e->before_sha256 || !e->sha256 || !e->stamped || !e->round_hash ||
            !e->prev_hash || !e->row_hash)
            rc = -1;
    }
    if (!rc && s != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(st);
    if (rc) {
        ledger_report(l, d, "cannot read the ledger's extensions");
        ledger_extensions_free(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return rc;
}

void ledger_extensions_free(ledger_extension *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        ledger_extension *e = &v[i];
        free(e->round), free(e->file), free(e->before_sha256), free(e->sha256), free(e->stamped);
        free(e->round_hash), free(e->prev_hash), free(e->row_hash);
    }
    free(v);
}

const char *ledger_current_sha256(const ledger_extension *v, int n, const char *round, const char *file,
                                  const char *filed)
{
    const char *h = filed;
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i].round, round) && !strcmp(v[i].file, file))
            h = v[i].sha256;
    return h;
}

/* The document the extension names, in its round (NULL when none). */
static const ledger_file *doc_of(const ledger_extension *e, const ledger_round *r, int nr, const ledger_round **rr)
{
    for (int i = 0; i < nr; i++)
        if (!strcmp(r[i].round, e->round)) {
            *rr = &r[i];
            for (int k = 0; k < r[i].ndocuments; k++)
                if (!strcmp(r[i].documents[k].file, e->file))
                    return &r[i].documents[k];
        }
    return NULL;
}

int ledger_check_extensions(const ledger_extension *v, int n, const ledger_round *r, int nr, const char *path,
                            diag_ctx *d)
{
    int bad = 0;
    const char *prev = LEDGER_GENESIS;
    for (int i = 0; i < n; i++) {
        const ledger_extension *e = &v[i];
        const ledger_round *rr = NULL;
        const ledger_file *f = doc_of(e, r, nr, &rr);
        char h[65];
        if (ext_hash(e, h) != 0)
            return -1;
        const char *why = strcmp(h, e->row_hash)        ? "its row does not match its hash (edited after extension)"
                          : strcmp(prev, e->prev_hash) ? "the previous extension's hash does not match (an "
                                                         "extension before it was removed or edited)"
                          : !f                         ? "it names a document the ledger's rounds do not have"
                          : strcmp(rr->row_hash, e->round_hash) ? "it extends another state of its round"
                                                                : NULL;
        /* the state it extended: the file as filed, or after its last extension */
        const char *was = f ? f->sha256 : "";
        int64_t was_bytes = f ? f->bytes : -1;
        for (int k = 0; f && k < i; k++)
            if (!strcmp(v[k].round, e->round) && !strcmp(v[k].file, e->file))
                was = v[k].sha256, was_bytes = v[k].bytes;
        if (!why && (strcmp(was, e->before_sha256) || was_bytes != e->before_bytes || e->bytes <= e->before_bytes))
            why = "it does not start from the document's state before it";
        if (why) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "ledger: extension %d (%s/%s): %s", i + 1, e->round, e->file, why);
            bad++;
        }
        prev = e->row_hash;
    }
    return bad;
}
