#include "ledger.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "ledger_int.h"
#include "util.h"


#define GENESIS LEDGER_GENESIS
#define TRIGGER_BODY "%s_no_%s BEFORE %s ON %s BEGIN\n  SELECT RAISE(ABORT, 'the khet ledger is append-only'); END"
#define TRIGGER_SQL "CREATE TRIGGER " TRIGGER_BODY
#define TRIGGER_SQL_IF "CREATE TRIGGER IF NOT EXISTS " TRIGGER_BODY

#define ENV_TABLE                                                                                                  \
    "CREATE TABLE IF NOT EXISTS environment (round TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,\n"       \
    "  PRIMARY KEY (round, name));\n"
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS rounds (\n"
    "  seq INTEGER PRIMARY KEY, round TEXT NOT NULL UNIQUE, scheme TEXT NOT NULL, kind TEXT NOT NULL,\n"
    "  period TEXT NOT NULL, round_no INTEGER NOT NULL, signed_off TEXT NOT NULL, region INTEGER NOT NULL,\n"
    "  fiscal_year INTEGER NOT NULL, seal TEXT NOT NULL, cert_sha256 TEXT NOT NULL,\n"
    "  prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS signers (round TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL,\n"
    "  name TEXT NOT NULL, position TEXT NOT NULL, signed_on TEXT NOT NULL, PRIMARY KEY (round, seq));\n"
    "CREATE TABLE IF NOT EXISTS documents (round TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,\n"
    "  bytes INTEGER NOT NULL, PRIMARY KEY (round, file));\n"
    "CREATE TABLE IF NOT EXISTS sources (round TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL,\n"
    "  bytes INTEGER NOT NULL, PRIMARY KEY (round, name));\n"
    "CREATE TABLE IF NOT EXISTS results (round TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,\n"
    "  total_cp INTEGER NOT NULL, max_cp INTEGER NOT NULL, percent_x100 INTEGER NOT NULL, grade TEXT NOT NULL,\n"
    "  rank INTEGER NOT NULL, clawback_satang INTEGER NOT NULL, PRIMARY KEY (round, code));\n"
    ENV_TABLE LEDGER_EXT_TABLE;

/* environment came last: a ledger made before it gets it (and its
 * triggers) when khet next files into it */
static const char *const tables[] = {"rounds", "signers", "documents", "sources", "results", "environment",
                                     "extensions"};
#define NTABLES 7
#define NREQUIRED 5 /* the others came later: a ledger made before them lacks them */

/* Which class of failure SQLite's last error is: the machine's (the ledger
 * locked by another process, I/O, a full disk, memory: status 1) or the
 * file's (not a database, corrupt, not khet's tables: status 2). */
static diag_level sql_level(sqlite3 *db)
{
    switch (db ? sqlite3_errcode(db) : SQLITE_NOMEM) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL: return DIAG_SYSTEM;
    default: return DIAG_ERROR;
    }
}

void ledger_report(ledger *l, diag_ctx *d, const char *doing)
{
    int code = l->db ? sqlite3_errcode(l->db) : SQLITE_NOMEM;
    const char *why = code == SQLITE_BUSY || code == SQLITE_LOCKED
                          ? "another process holds the ledger's lock; try again when it is done"
                          : l->db ? sqlite3_errmsg(l->db) : "out of memory";
    diag_add(d, sql_level(l->db), l->path, 0, 0, "%s: %s", doing, why);
}

int ledger_exec(ledger *l, const char *sql, diag_ctx *d)
{
    char *err = NULL;
    if (sqlite3_exec(l->db, sql, NULL, NULL, &err) == SQLITE_OK)
        return 0;
    int code = sqlite3_errcode(l->db);
    diag_add(d, sql_level(l->db), l->path, 0, 0, "ledger: %s",
             code == SQLITE_BUSY || code == SQLITE_LOCKED ? "another process holds the ledger's lock; try again"
             : err                                        ? err
                                                          : sqlite3_errmsg(l->db));
    sqlite3_free(err);
    return -1;
}

/* 1 when the file holds no table yet (a new ledger), 0 when its tables are
 * khet's, -1 (reported) otherwise: a ledger of another schema is neither
 * filed into nor read as if it were empty. */
static int has_no_tables(ledger *l);

static int is_new_or_khet(ledger *l, diag_ctx *d)
{
    int none = has_no_tables(l);
    if (none < 0) {
        ledger_report(l, d, "cannot read the ledger");
        return -1;
    }
    if (none)
        return 1;
    static const char probe[] =
        "SELECT seq, round, scheme, kind, period, round_no, signed_off, region, fiscal_year, seal, cert_sha256, "
        "prev_hash, row_hash FROM rounds LIMIT 0; SELECT round, seq, role, name, position, signed_on FROM signers "
        "LIMIT 0; SELECT round, file, sha256, bytes FROM documents LIMIT 0; SELECT round, name, sha256, bytes FROM "
        "sources LIMIT 0; SELECT round, code, name, total_cp, max_cp, percent_x100, grade, rank, clawback_satang "
        "FROM results LIMIT 0;";
    char *err = NULL;
    if (sqlite3_exec(l->db, probe, NULL, NULL, &err) == SQLITE_OK)
        return 0;
    diag_level level = sql_level(l->db);
    diag_add(d, level, l->path, 0, 0, "%s: %s",
             level == DIAG_SYSTEM ? "cannot read the ledger"
                                  : "is not a khet ledger (its tables are not the ones khet writes); nothing was "
                                    "changed",
             err ? err : sqlite3_errmsg(l->db));
    sqlite3_free(err);
    return -1;
}

/* Append-only: every table refuses UPDATE and DELETE. */
static int make_schema(ledger *l, diag_ctx *d)
{
    strbuf b = {0};
    sb_puts(&b, "BEGIN;\n");
    sb_puts(&b, schema);
    for (int i = 0; i < NTABLES; i++)
        for (int k = 0; k < 2; k++) /* SQLite keeps the text without IF NOT EXISTS and ';' */
            sb_printf(&b, TRIGGER_SQL_IF ";\n", tables[i], k ? "delete" : "update", k ? "DELETE" : "UPDATE",
                      tables[i]);
    sb_puts(&b, "COMMIT;\n");
    int rc = b.oom ? -1 : ledger_exec(l, b.data, d);
    sb_free(&b);
    return rc;
}

static char *last_hash(ledger *l);

/* 1 when the database has no table yet (a new ledger), 0 when it has, -1 on error. */
static int has_no_tables(ledger *l)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(l->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        rc = sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    return rc;
}

/* Whether the ledger has a table: 1, 0, -1 on error. */
int ledger_has_table(ledger *l, const char *name)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(l->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        rc = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return rc;
}

/* A table added after the first ledgers (environment, extensions) and its
 * triggers, made in a ledger that lacks it (nothing else is re-created:
 * see ledger_check_triggers). */
int ledger_add_table(ledger *l, const char *name, const char *create_sql, diag_ctx *d)
{
    int have = ledger_has_table(l, name);
    if (have != 0)
        return have < 0 ? -1 : 0;
    strbuf b = {0};
    sb_puts(&b, "BEGIN;\n");
    sb_puts(&b, create_sql);
    for (int k = 0; k < 2; k++)
        sb_printf(&b, TRIGGER_SQL_IF ";\n", name, k ? "delete" : "update", k ? "DELETE" : "UPDATE", name);
    sb_puts(&b, "COMMIT;\n");
    int rc = b.oom ? -1 : ledger_exec(l, b.data, d);
    sb_free(&b);
    return rc;
}

static int add_environment_table(ledger *l, diag_ctx *d) { return ledger_add_table(l, "environment", ENV_TABLE, d); }

int ledger_check_triggers(ledger *l, diag_ctx *d)
{
    int bad = 0;
    for (int i = 0; i < NTABLES; i++) {
        int have = i < NREQUIRED ? 1 : ledger_has_table(l, tables[i]);
        if (have < 0)
            return -1;
        for (int k = 0; have && k < 2; k++) {
            char name[32];
            snprintf(name, sizeof name, "%s_no_%s", tables[i], k ? "delete" : "update");
            char *want = util_format(TRIGGER_SQL, tables[i], k ? "delete" : "update", k ? "DELETE" : "UPDATE",
                                     tables[i]);
            sqlite3_stmt *st = NULL;
            int s = want && sqlite3_prepare_v2(l->db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                               -1, &st, NULL) == SQLITE_OK &&
                            sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT) == SQLITE_OK
                        ? sqlite3_step(st)
                        : SQLITE_ERROR;
            const char *got = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
            if (s != SQLITE_ROW && s != SQLITE_DONE)
                bad = -1;
            else if (!got || strcmp(got, want)) {
                diag_add(d, DIAG_ERROR, l->path, 0, 0,
                         "ledger: its append-only trigger %s was %s: whoever did it could edit the ledger (trigger "
                         "dropped)",
                         name, got ? "changed" : "dropped");
                bad += bad >= 0;
            }
            sqlite3_finalize(st);
            free(want);
            if (bad < 0)
                return -1;
        }
    }
    return bad;
}

char *ledger_head(ledger *l) { return last_hash(l); }

int ledger_count(ledger *l)
{
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(l->db, "SELECT count(*) FROM rounds", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

ledger *ledger_open(const char *archive_dir, int create, diag_ctx *d)
{
    ledger *l = calloc(1, sizeof *l);
    if (!l || !(l->path = util_path_join(archive_dir, "ledger.sqlite"))) {
        diag_add(d, DIAG_SYSTEM, archive_dir, 0, 0, "out of memory");
        free(l);
        return NULL;
    }
    if (!create && access(l->path, F_OK) != 0) {
        diag_add(d, DIAG_ERROR, l->path, 0, 0, "no ledger here: nothing was archived in %s", archive_dir);
        ledger_close(l);
        return NULL;
    }
    /* a link or a FIFO in its place is refused, never followed or waited on */
    if (guard_name(l->path, GUARD_FILE, d) < 0) {
        ledger_close(l);
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(l->path, &l->db, flags, NULL) != SQLITE_OK ||
        sqlite3_exec(l->db, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;", NULL, NULL, NULL) != SQLITE_OK) {
        ledger_report(l, d, "cannot open the ledger");
        ledger_close(l);
        return NULL;
    }
    sqlite3_busy_timeout(l->db, 5000);
    /* a ledger of another schema is neither filed into nor read; one that
     * exists keeps its triggers: re-creating a dropped one would hide that it
     * was dropped (and the ledger perhaps edited) */
    int fresh = is_new_or_khet(l, d);
    if (fresh < 0 || (fresh && !create) || (fresh && make_schema(l, d) != 0) ||
        (create && !fresh && (ledger_check_triggers(l, d) != 0 || add_environment_table(l, d) != 0))) {
        if (fresh > 0 && !create)
            diag_add(d, DIAG_ERROR, l->path, 0, 0, "the ledger is empty: nothing was archived in %s", archive_dir);
        else if (!diag_errors(d))
            ledger_report(l, d, "cannot read the ledger");
        ledger_close(l);
        return NULL;
    }
    return l;
}

void ledger_close(ledger *l)
{
    if (!l)
        return;
    sqlite3_close(l->db);
    free(l->path);
    free(l);
}

int ledger_has_round(ledger *l, const char *round)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(l->db, "SELECT 1 FROM rounds WHERE round = ?", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC) == SQLITE_OK) {
        int s = sqlite3_step(st);
        rc = s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- the canonical form that is hashed ---- */

static json_t *files_json(const ledger_file *f, int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "file", f[i].file, "sha256", f[i].sha256, "bytes",
                                           (json_int_t)f[i].bytes));
    return a;
}

static json_t *round_json(const ledger_round *r, int with_hashes)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:i, s:s, s:s, s:s}", "round", r->round, "scheme",
                          r->scheme, "kind", r->kind, "period", r->period, "round_no", r->round_no, "signed_off",
                          r->signed_off, "region", r->region, "fiscal_year", r->fiscal_year, "seal", r->seal,
                          "cert_sha256", r->cert_sha256, "prev_hash", r->prev_hash ? r->prev_hash : GENESIS);
    json_t *sg = json_array(), *res = json_array();
    for (int i = 0; sg && i < r->nsigners; i++)
        json_array_append_new(sg, json_pack("{s:s, s:s, s:s, s:s}", "role", r->signers[i].role, "name",
                                            r->signers[i].name, "position", r->signers[i].position, "signed_on",
                                            r->signers[i].signed_on));
    for (int i = 0; res && i < r->nresults; i++) {
        const ledger_result *p = &r->results[i];
        json_array_append_new(res, json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:i, s:I}", "code", p->code, "name",
                                             p->name, "total_cp", (json_int_t)p->total_cp, "max_cp",
                                             (json_int_t)p->max_cp, "percent_x100", (json_int_t)p->percent_x100,
                                             "grade", p->grade, "rank", p->rank, "clawback_satang",
                                             (json_int_t)p->clawback_satang));
    }
    if (!o || !sg || !res) {
        json_decref(o);
        json_decref(sg);
        json_decref(res);
        return NULL;
    }
    json_object_set_new(o, "signers", sg);
    json_object_set_new(o, "documents", files_json(r->documents, r->ndocuments));
    json_object_set_new(o, "sources", files_json(r->sources, r->nsources));
    json_object_set_new(o, "results", res);
    if (r->nenvironment > 0) { /* absent from rounds filed before it was recorded: their hashes stand */
        json_t *env = json_array();
        for (int i = 0; env && i < r->nenvironment; i++)
            json_array_append_new(env, json_pack("{s:s, s:s}", "name", r->environment[i].name, "value",
                                                 r->environment[i].value));
        if (!env) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "environment", env);
    }
    if (with_hashes && r->row_hash)
        json_object_set_new(o, "row_hash", json_string(r->row_hash));
    return o;
}

char *ledger_round_json(const ledger_round *r, int with_hashes)
{
    json_t *o = round_json(r, with_hashes);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

int ledger_sha256_text(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned int n = 32;
    int rc = s && EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL) == 1 ? 0 : -1;
    for (int i = 0; !rc && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return rc;
}

static int row_hash(const ledger_round *r, char out[65])
{
    char *s = ledger_round_json(r, 0);
    int rc = ledger_sha256_text(s, out);
    free(s);
    return rc;
}

/* ---- appending ---- */

static int by_file(const void *a, const void *b)
{
    return strcmp(((const ledger_file *)a)->file, ((const ledger_file *)b)->file);
}
static int by_env(const void *a, const void *b)
{
    return strcmp(((const ledger_env *)a)->name, ((const ledger_env *)b)->name);
}
static int by_code(const void *a, const void *b)
{
    return strcmp(((const ledger_result *)a)->code, ((const ledger_result *)b)->code);
}

/* Binds the arguments described by fmt (s text, i int64) and steps once. */
int ledger_put(ledger *l, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st = NULL;
    va_list ap;
    int rc = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);
    va_start(ap, fmt);
    for (int i = 0; rc == SQLITE_OK && fmt[i]; i++)
        rc = fmt[i] == 's' ? sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT)
                           : sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
    va_end(ap);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static char *last_hash(ledger *l)
{
    sqlite3_stmt *st = NULL;
    char *h = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT row_hash FROM rounds ORDER BY seq DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        h = util_strdup((const char *)sqlite3_column_text(st, 0));
    else if (s == SQLITE_DONE)
        h = util_strdup(GENESIS);
    sqlite3_finalize(st);
    return h;
}

int ledger_append(ledger *l, ledger_round *r, diag_ctx *d)
{
    if (ledger_exec(l, "BEGIN IMMEDIATE", d) != 0)
        return -1;
    qsort(r->documents, (size_t)r->ndocuments, sizeof *r->documents, by_file);
    qsort(r->sources, (size_t)r->nsources, sizeof *r->sources, by_file);
    qsort(r->results, (size_t)r->nresults, sizeof *r->results, by_code);
    if (r->nenvironment)
        qsort(r->environment, (size_t)r->nenvironment, sizeof *r->environment, by_env);
    char h[65];
    free(r->prev_hash);
    int rc = (r->prev_hash = last_hash(l)) && row_hash(r, h) == 0 && (r->row_hash = util_strdup(h)) ? 0 : -1;
    for (int i = 0; !rc && i < r->nsigners; i++) {
        const ledger_signer *s = &r->signers[i];
        rc = ledger_put(l, "INSERT INTO signers VALUES (?, ?, ?, ?, ?, ?)", "sissss", r->round, (int64_t)i + 1, s->role,
                 s->name, s->position, s->signed_on);
    }
    for (int i = 0; !rc && i < r->ndocuments; i++)
        rc = ledger_put(l, "INSERT INTO documents VALUES (?, ?, ?, ?)", "sssi", r->round, r->documents[i].file,
                 r->documents[i].sha256, r->documents[i].bytes);
    for (int i = 0; !rc && i < r->nsources; i++)
        rc = ledger_put(l, "INSERT INTO sources VALUES (?, ?, ?, ?)", "sssi", r->round, r->sources[i].file,
                 r->sources[i].sha256, r->sources[i].bytes);
    for (int i = 0; !rc && i < r->nresults; i++) {
        const ledger_result *p = &r->results[i];
        rc = ledger_put(l, "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "sssiiisii", r->round, p->code, p->name,
                 p->total_cp, p->max_cp, p->percent_x100, p->grade, (int64_t)p->rank, p->clawback_satang);
    }
    for (int i = 0; !rc && i < r->nenvironment; i++)
        rc = ledger_put(l, "INSERT INTO environment VALUES (?, ?, ?)", "sss", r->round, r->environment[i].name,
                 r->environment[i].value);
    if (!rc)
        rc = ledger_put(l,
                 "INSERT INTO rounds (round, scheme, kind, period, round_no, signed_off, region, fiscal_year, seal,"
                 " cert_sha256, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 "ssssisiissss", r->round, r->scheme, r->kind, r->period, (int64_t)r->round_no, r->signed_off,
                 (int64_t)r->region, (int64_t)r->fiscal_year, r->seal, r->cert_sha256, r->prev_hash, r->row_hash);
    if (rc) {
        diag_add(d, DIAG_SYSTEM, l->path, 0, 0, "cannot record the round in the ledger: %s", sqlite3_errmsg(l->db));
        ledger_rollback(l);
    }
    return rc;
}

int ledger_commit(ledger *l, diag_ctx *d) { return ledger_exec(l, "COMMIT", d); }

void ledger_rollback(ledger *l) { sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL); }

/* ---- loading ---- */

char *ledger_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return util_strdup(t ? (const char *)t : "");
}

typedef int (*row_fn)(sqlite3_stmt *st, void *item);

/* Runs sql with the round bound, growing *v by `size` per row. */
static int load_rows(ledger *l, const char *sql, const char *round, void **v, int *n, size_t size, row_fn fn)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) == SQLITE_OK &&
                     sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC) == SQLITE_OK
                 ? 0
                 : -1;
    int s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (util_grow(v, &cap, (size_t)*n + 1, size)) {
            rc = -1;
            break;
        }
        memset((char *)*v + (size_t)*n * size, 0, size);
        rc = fn(st, (char *)*v + (size_t)(*n)++ * size);
    }
    if (!rc && s != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(st);
    return rc;
}

static int signer_row(sqlite3_stmt *st, void *item)
{
    ledger_signer *s = item;
    s->role = ledger_col(st, 0), s->name = ledger_col(st, 1), s->position = ledger_col(st, 2), s->signed_on = ledger_col(st, 3);
    return s->role && s->name && s->position && s->signed_on ? 0 : -1;
}

static int file_row(sqlite3_stmt *st, void *item)
{
    ledger_file *f = item;
    f->file = ledger_col(st, 0), f->sha256 = ledger_col(st, 1), f->bytes = sqlite3_column_int64(st, 2);
    return f->file && f->sha256 ? 0 : -1;
}

static int result_row(sqlite3_stmt *st, void *item)
{
    ledger_result *p = item;
    p->code = ledger_col(st, 0), p->name = ledger_col(st, 1), p->grade = ledger_col(st, 5);
    p->total_cp = sqlite3_column_int64(st, 2), p->max_cp = sqlite3_column_int64(st, 3);
    p->percent_x100 = sqlite3_column_int64(st, 4), p->rank = sqlite3_column_int(st, 6);
    p->clawback_satang = sqlite3_column_int64(st, 7);
    return p->code && p->name && p->grade ? 0 : -1;
}

static int env_row(sqlite3_stmt *st, void *item)
{
    ledger_env *e = item;
    e->name = ledger_col(st, 0), e->value = ledger_col(st, 1);
    return e->name && e->value ? 0 : -1;
}

static int load_children(ledger *l, ledger_round *r)
{
    int env = ledger_has_table(l, "environment");
    if (env < 0 || (env && load_rows(l, "SELECT name, value FROM environment WHERE round = ? ORDER BY name", r->round,
                                     (void **)&r->environment, &r->nenvironment, sizeof *r->environment, env_row)))
        return -1;
    for (int i = 0; i < r->nenvironment && !r->khet_version; i++) /* the khet that filed it (verify) */
        if (!strcmp(r->environment[i].name, "khet") && !(r->khet_version = util_strdup(r->environment[i].value)))
            return -1;
    return load_rows(l, "SELECT role, name, position, signed_on FROM signers WHERE round = ? ORDER BY seq", r->round,
                     (void **)&r->signers, &r->nsigners, sizeof *r->signers, signer_row) ||
                   load_rows(l, "SELECT file, sha256, bytes FROM documents WHERE round = ? ORDER BY file", r->round,
                             (void **)&r->documents, &r->ndocuments, sizeof *r->documents, file_row) ||
                   load_rows(l, "SELECT name, sha256, bytes FROM sources WHERE round = ? ORDER BY name", r->round,
                             (void **)&r->sources, &r->nsources, sizeof *r->sources, file_row) ||
                   load_rows(l,
                             "SELECT code, name, total_cp, max_cp, percent_x100, grade, rank, clawback_satang"
                             " FROM results WHERE round = ? ORDER BY code",
                             r->round, (void **)&r->results, &r->nresults, sizeof *r->results, result_row)
               ? -1
               : 0;
}

int ledger_load(ledger *l, ledger_round **rounds, int *n, diag_ctx *d)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    *rounds = NULL;
    *n = 0;
    int rc = sqlite3_prepare_v2(l->db,
                                "SELECT round, scheme, kind, period, round_no, signed_off, region, fiscal_year, seal,"
                                " cert_sha256, prev_hash, row_hash FROM rounds ORDER BY seq",
                                -1, &st, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (util_grow((void **)rounds, &cap, (size_t)*n + 1, sizeof **rounds)) {
            rc = -1;
            break;
        }
        ledger_round *r = &(*rounds)[(*n)++];
        memset(r, 0, sizeof *r);
        r->round = ledger_col(st, 0), r->scheme = ledger_col(st, 1), r->kind = ledger_col(st, 2), r->period = ledger_col(st, 3);
        r->round_no = sqlite3_column_int(st, 4), r->signed_off = ledger_col(st, 5);
        r->region = sqlite3_column_int(st, 6), r->fiscal_year = sqlite3_column_int(st, 7);
        r->seal = ledger_col(st, 8), r->cert_sha256 = ledger_col(st, 9), r->prev_hash = ledger_col(st, 10), r->row_hash = ledger_col(st, 11);
        if (!r->round || !r->scheme || !r->kind || !r->period || !r->signed_off || !r->seal || !r->cert_sha256 ||
            !r->prev_hash || !r->row_hash || load_children(l, r) != 0)
            rc = -1;
    }
    if (!rc && s != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(st);
    if (rc) {
        diag_add(d, DIAG_SYSTEM, l->path, 0, 0, "cannot read the ledger: %s", sqlite3_errmsg(l->db));
        ledger_rounds_free(*rounds, *n);
        *rounds = NULL;
        *n = 0;
    }
    return rc;
}

static void free_files(ledger_file *f, int n)
{
    for (int i = 0; f && i < n; i++) {
        free(f[i].file);
        free(f[i].sha256);
    }
    free(f);
}

void ledger_rounds_free(ledger_round *r, int n)
{
    for (int i = 0; r && i < n; i++)
        ledger_round_clear(&r[i]);
    free(r);
}

void ledger_round_clear(ledger_round *x)
{
    {
        for (int k = 0; k < x->nsigners; k++) {
            free(x->signers[k].role);
            free(x->signers[k].name);
            free(x->signers[k].position);
            free(x->signers[k].signed_on);
        }
        for (int k = 0; k < x->nresults; k++) {
            free(x->results[k].code);
            free(x->results[k].name);
            free(x->results[k].grade);
        }
        for (int k = 0; k < x->nenvironment; k++) {
            free(x->environment[k].name);
            free(x->environment[k].value);
        }
        free(x->environment);
        free(x->signers);
        free(x->results);
        free_files(x->documents, x->ndocuments);
        free_files(x->sources, x->nsources);
        free(x->round);
        free(x->scheme);
        free(x->kind);
        free(x->period);
        free(x->signed_off);
        free(x->seal);
        free(x->cert_sha256);
        free(x->prev_hash);
        free(x->row_hash);
        free(x->khet_version);
    }
}

int ledger_check(const ledger_round *r, int n, const char *path, diag_ctx *d)
{
    int bad = 0;
    const char *prev = GENESIS;
    for (int i = 0; i < n; i++) {
        char h[65];
        if (row_hash(&r[i], h) != 0)
            return -1;
        if (strcmp(h, r[i].row_hash)) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "ledger: round %s: its rows do not match its hash (the round was edited after filing)", r[i].round);
            bad++;
        }
        if (strcmp(prev, r[i].prev_hash)) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "ledger: round %s: the previous round's hash does not match (a round before it was removed or "
                     "edited)",
                     r[i].round);
            bad++;
        }
        prev = r[i].row_hash;
    }
    return bad;
}

const char *ledger_last_cert(const ledger_round *r)
{
    const char *sp = strrchr(r->cert_sha256, ' ');
    return sp ? sp + 1 : r->cert_sha256;
}
