/* version: khet's version, and the versions whose documents differ in bytes.
 *
 * The version changes whenever the same input renders to different bytes
 * (compression, number formatting, font objects), so that a filed round
 * records (in the ledger) which khet renders it again byte for byte. `khet
 * verify` names the version and the commit to build when the running khet
 * is a different one.
 */
#ifndef KHET_VERSION_H
#define KHET_VERSION_H

/* 0.3.0: a glyph that cannot have its own code point takes a code from
 * U+0001 on before the private-use area (pdf_font.c: the CIDToGIDMap ends
 * at the text's highest code point), and the pages of session 8 (footers
 * that wrap at their size, portrait narrative pages, balanced tables);
 * 0.2.0's last commit is 59c31c5. */
#define KHET_VERSION "0.3.0"

/* Rounds filed before the ledger recorded a version were filed by 0.1.0
 * (libharu's fonts and operators, zlib): its last commit. */
#define KHET_VERSION_UNRECORDED "0.1.0"
#define KHET_COMMIT_0_1_0 "700edea"

#endif
