/* ledger_int: what the ledger's files (ledger.c: rounds; ledger_ext.c:
 * extensions) share. Internal to those two files. */
#ifndef KHET_LEDGER_INT_H
#define KHET_LEDGER_INT_H

#include <sqlite3.h>

#include "diag.h"
#include "ledger.h"

struct ledger {
    sqlite3 *db;
    char *path;
};

#define LEDGER_EXT_TABLE                                                                                           \
    "CREATE TABLE IF NOT EXISTS extensions (seq INTEGER PRIMARY KEY, round TEXT NOT NULL, file TEXT NOT NULL,\n"    \
    "  before_sha256 TEXT NOT NULL, before_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,\n" \
    "  stamped TEXT NOT NULL, round_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL);\n"

/* Runs sql; reports SQLite's error. 0, or -1. */
int ledger_exec(ledger *l, const char *sql, diag_ctx *d);
/* Binds the arguments described by fmt (s text, i int64) and steps once. */
int ledger_put(ledger *l, const char *sql, const char *fmt, ...);
/* Column i of the row as a new string ("" for NULL). */
char *ledger_col(sqlite3_stmt *st, int i);
/* Whether the ledger has a table: 1, 0, -1 on error. */
int ledger_has_table(ledger *l, const char *name);
/* A table added after the first ledgers, with its triggers, made when missing. */
int ledger_add_table(ledger *l, const char *name, const char *create_sql, diag_ctx *d);
/* SHA-256 of a NUL-terminated string, lowercase hex. 0, or -1. */
int ledger_sha256_text(const char *s, char out[65]);

#endif
