/* settings: INI files (libinih) with line numbers for messages.
 *
 * Debian's libinih is built without line numbers in its callback, so we feed
 * it through our own line reader and count lines ourselves. */
#ifndef KHET_SETTINGS_H
#define KHET_SETTINGS_H

#include "diag.h"

/* Called for each name = value; return 0 to stop. */
typedef int (*settings_fn)(void *user, const char *section, const char *name, const char *value, int line);

/* Parses `path`. Returns 0 on success; otherwise reports the problem (file
 * missing, or the line of a syntax error) in `d` and returns -1. */
int settings_parse(const char *path, settings_fn fn, void *user, diag_ctx *d);

#endif
