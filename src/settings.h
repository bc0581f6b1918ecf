/* settings: INI files (libinih) with line numbers for messages.
 *
 * Debian's libinih is built without line numbers in its callback, so we feed
 * it through our own line reader and count lines ourselves. */
#ifndef KHET_SETTINGS_H
#define KHET_SETTINGS_H

#include "diag.h"

/* What a handler answers for one name = value of the expected section. */
enum { SETTING_STOP = 0, SETTING_OK = 1, SETTING_UNKNOWN = 2 };
typedef int (*settings_fn)(void *user, const char *name, const char *value, int line);

/* Parses `path`, handing each name = value of [section] to fn. Other sections
 * and names the handler does not know are reported as warnings here, once
 * for every caller. Returns 0 on success; otherwise reports the problem
 * (file missing, the line of a syntax error) in `d` and returns -1. */
int settings_parse(const char *path, const char *section, settings_fn fn, void *user, diag_ctx *d);
/* The same, with the names the handler knows (NULL-ended): an unknown name
 * within two edits of one gets "did you mean". Files may be UTF-8 (with or
 * without a BOM) or Windows-874, detected as data files are. */
int settings_parse_known(const char *path, const char *section, settings_fn fn, void *user, const char *const *known,
                         diag_ctx *d);

#endif
