/* Where the binary finds its templates and fonts. */
#include <unistd.h>

#include "cli.h"

#ifndef KHET_SHARE
#define KHET_SHARE "/usr/local/share/khet"
#endif

const char *cli_share_dir(void) { return KHET_SHARE; }

/* Run from the source tree, use its folders; installed, use the share folder. */
const char *cli_font_dir(void) { return access("fonts/Laksaman.ttf", R_OK) == 0 ? "fonts" : KHET_SHARE "/fonts"; }
const char *cli_templates_dir(void) { return access("templates", R_OK) == 0 ? "templates" : KHET_SHARE "/templates"; }
