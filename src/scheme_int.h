/* scheme_int: what the scheme's files share and nothing outside uses: the
 * loader (scheme.c) has the wording's placeholders filled
 * (scheme_wording.c) once the scheme has passed its checks. */
#ifndef KHET_SCHEME_INT_H
#define KHET_SCHEME_INT_H

#include "scoring.h"

/* Fills {{region}}, {{fiscal_year}}, {{fy}} and {{previous_year}} from
 * scheme.ini in every text of the scheme that reaches a document, and
 * reports any placeholder other than those and {{provinces}}. */
void scheme_fill_wording(scheme *s, diag_ctx *d);

#endif
