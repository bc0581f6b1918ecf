/* guard: what khet may touch below an archive folder (issue 26).
 *
 * An archive folder may be shared: anyone who can write into it could plant
 * a symbolic link at a name khet uses (the staging folder, the scheme folder,
 * the ledger, the lock) and make khet empty, write or create something
 * elsewhere. The rule: the archive root itself may be a link (the user named
 * it), nothing below it is followed, and every name khet touches is of the
 * kind it expects (a folder, or a regular file) or absent. A name that breaks
 * the rule is bad input (status 2) with a sentence naming it. */
#ifndef KHET_GUARD_H
#define KHET_GUARD_H

#include "diag.h"

/* The kind a name below the archive must be, when it exists. */
typedef enum { GUARD_FILE, GUARD_DIR } guard_kind;

/* 0 when path is absent, 1 when it is of the kind wanted, -1 (reported)
 * when it is a symbolic link or of another kind, or cannot be examined. */
int guard_name(const char *path, guard_kind want, diag_ctx *d);

/* Every name below archive that filing round_id (SCHEME/PERIOD-rN) through
 * the staging folder `stage` touches: the lock, the ledger and SQLite's
 * files beside it, the scheme folder, the round folder, the staging folder.
 * 0, or -1 after reporting each one that is in the way. */
int guard_archive(const char *archive, const char *round_id, const char *stage, diag_ctx *d);

/* Opens (creating) the archive's lock file without following a link:
 * a descriptor, or -1 with errno (ELOOP for a link). */
int guard_open_lock(const char *path);

/* Empties and removes a flat folder khet made (files only), opened with
 * O_NOFOLLOW | O_DIRECTORY and emptied relative to that descriptor, so a
 * link planted at its name is never followed. 0, or -1 with errno. */
int guard_clear_flat(const char *dir);

/* A key or certificate the user names must be a regular file: a FIFO would
 * block for ever while the archive is locked. 0, or -1 (reported). */
int guard_regular_input(const char *path, const char *what, diag_ctx *d);

#endif
