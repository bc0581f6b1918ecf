/* fontfind: which font files a font name means, the way a desktop finds
 * them.
 *
 * Owns: turning `--font NAME` into the files of a regular and a bold face:
 * a path to a font file; else a family in the project's fonts folder, known
 * by the fonts' own family names (and, as before, by file name:
 * FAMILY.ttf, FAMILY-Regular.ttf, FAMILY-Bold.ttf); else a family
 * fontconfig knows (the system's and the user's fonts). The bold face is
 * the one the font itself says is bold (OS/2 weight, as fontconfig reads
 * it), never guessed from a file name. Also lists the Thai-capable fonts
 * (`khet fonts`). No PDF and no shaping here. */
#ifndef KHET_FONTFIND_H
#define KHET_FONTFIND_H

#include <stdio.h>

#include "diag.h"

typedef struct {
    char *regular; /* file of the regular face */
    char *bold;    /* file of the bold face; NULL when the family has none */
    char *family;  /* the family name the font gives itself */
} font_faces;

/* Finds the faces of name. -1 after reporting when none is found (the
 * message lists where it looked) or out of memory. */
int fontfind(const char *font_dir, const char *name, font_faces *out, diag_ctx *d);
void fontfind_free(font_faces *f);

/* Prints every Thai-capable family found in font_dir and by fontconfig:
 * its name and the file of each face khet would use. -1 when out of memory. */
int fontfind_list(const char *font_dir, FILE *out, diag_ctx *d);

#endif
