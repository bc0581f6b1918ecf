/* reader_impl: what the reader's files share and nothing else sees
 * (reader_decode.c decodes, reader.c splits into cells). */
#ifndef KHET_READER_IMPL_H
#define KHET_READER_IMPL_H

#include <stddef.h>

#include "diag.h"

/* Decodes the raw file to UTF-8, detecting the encoding unless one is given
 * (`want` NULL or "auto"). Valid UTF-8 is used in place: *start is set to
 * its first byte (after a BOM) and NULL returned. Text converted from
 * another encoding is returned (the caller frees it), *start set to it.
 * NULL with *start NULL after reporting the problem in `d`. *used is the
 * encoding found (a static name). */
char *reader_decode_input(const char *name, const char *raw, size_t len, const char *want, const char **used,
                          const char **start, diag_ctx *d);

#endif
