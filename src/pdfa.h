/* pdfa: finishes a PDF written by libharu as PDF/A-3b, with qpdf's C API
 * (libharu 2.3.0 cannot write valid PDF/A itself).
 *
 * Owns: the XMP metadata (pdfaid part 3, conformance B; the Thai title,
 * author and subject, equal to the document information), the sRGB output
 * intent with its ICC profile (Debian's icc-profiles-free), the deterministic
 * document /ID, and the exact inputs embedded as associated files (/AF,
 * /AFRelationship /Source, MIME type, size, MD5 /CheckSum). Also reads the
 * embedded files back for `khet verify`, and the ledger head the document
 * carries. Output is written with classic
 * cross-reference tables (no object streams) so that a signature can follow
 * as an incremental update. */
#ifndef KHET_PDFA_H
#define KHET_PDFA_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"

#define PDFA_ICC_PROFILE "/usr/share/color/icc/sRGB.icc"

/* One input file of the round. `name` is its place in the round's inputs,
 * e.g. "data/finance.csv", "scheme/criteria.csv", "reports/scorecard.md",
 * "signoff.csv". */
typedef struct {
    char *name;
    unsigned char *data;
    size_t len;
    /* data deflated (zlib format) by pdfa_sources_deflate, once for all the
     * round's documents; NULL until then (each document then deflates its
     * own copy). The owner frees it with data. */
    unsigned char *flate;
    size_t flate_len;
} pdfa_source;

/* Deflates each source once (libdeflate) for every pdfa_finish of the
 * round that follows: 8 documents embedding the same half megabyte of
 * sources spent a third of `khet archive` deflating it again in qpdf.
 * 0, or -1 when out of memory (the sources are then left as they were). */
int pdfa_sources_deflate(pdfa_source *src, int n);

/* Finishes pdf[0, len) into *out (caller frees). `date` is the document's
 * date (the sign-off date); `ledger_head`, when not NULL, the archive
 * ledger's head before the round (kept in the document information as
 * PDFA_LEDGER_HEAD_KEY). Returns 0, or -1 after reporting against `what`. */
int pdfa_finish(const unsigned char *pdf, size_t len, const pdfa_source *src, int nsrc, reader_date date,
                const char *ledger_head, const char *what, unsigned char **out, size_t *outlen, diag_ctx *d);
#define PDFA_LEDGER_HEAD_KEY "/KhetLedgerHead"
/* The ledger head a finished document carries (caller frees), NULL when none. */
char *pdfa_ledger_head(const unsigned char *pdf, size_t len);

/* The embedded files of a PDF, with the MD5 each one's /Params /CheckSum
 * claims (md5_ok says whether the data matches it). Returns the count, or -1
 * after reporting; *src is freed with pdfa_sources_free. */
typedef struct {
    pdfa_source file;
    int md5_ok;
} pdfa_embedded;
int pdfa_read_sources(const unsigned char *pdf, size_t len, const char *what, pdfa_embedded **src, diag_ctx *d);
void pdfa_sources_free(pdfa_embedded *src, int n);

/* The file name an input is embedded under ("data/finance.csv" ->
 * "data-finance.csv": PDF readers treat a slash as a folder) and back. */
char *pdfa_embedded_name(const char *name);
char *pdfa_source_name(const char *embedded);

#endif
