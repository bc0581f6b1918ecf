/* diag: the one diagnostics context of a run.
 *
 * Every module reports problems here instead of printing them, so a run can
 * collect *every* problem in a data folder and the CLI decides what to print and
 * which exit status to use. Positions are 1-based; columns count Unicode
 * characters (code points) of the decoded line, not bytes, so that they match
 * what a user sees in an editor even for Windows-874 files. Line or column 0
 * means "not known" and is left out of the message.
 */
#ifndef KHET_DIAG_H
#define KHET_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* DIAG_ERROR: the input is wrong (exit 2). DIAG_SYSTEM: the machine failed
 * us, out of memory or a file that cannot be written (exit 1). */
typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR, DIAG_SYSTEM } diag_level;

typedef struct {
    diag_level level;
    char *file;    /* may be NULL */
    int line, col; /* 0 when unknown */
    char *message;
} diag_msg;

typedef struct diag_ctx diag_ctx;

diag_ctx *diag_new(void);
void diag_free(diag_ctx *d); /* diag_free(NULL) is a no-op */

/* Records a message. If memory runs out the message is dropped but the error
 * count still rises, so a failed run is never reported as a clean one. */
void diag_add(diag_ctx *d, diag_level level, const char *file, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_vadd(diag_ctx *d, diag_level level, const char *file, int line, int col,
               const char *fmt, va_list ap);

size_t diag_count(const diag_ctx *d);
const diag_msg *diag_get(const diag_ctx *d, size_t i);
int diag_errors(const diag_ctx *d); /* DIAG_ERROR and DIAG_SYSTEM */
int diag_system_errors(const diag_ctx *d);
int diag_warnings(const diag_ctx *d);

/* Prints every message as `file:line:col: level: message`. */
void diag_print(const diag_ctx *d, FILE *out);

#endif
