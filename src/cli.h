/* cli: the khet command line. Each command is one entry of a table: its
 * name, a one-line summary and a function taking argc/argv after the command
 * name. Commands return the process exit status: 0 success, 1 a runtime
 * failure (I/O, out of memory), 2 bad input or usage. */
#ifndef KHET_CLI_H
#define KHET_CLI_H

#include <stddef.h>

#include "diag.h"
#include "thai.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* 1 after saying so when an option's value is empty (--archive ''): each
 * names a file or folder ("an archive folder"); 0 otherwise. */
int cli_empty(const char *opt, const char *value, const char *what);

/* Prints the diagnostics and turns them into an exit status. */
int cli_finish(diag_ctx *d, int runtime_failure);

int cmd_check(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_typeset(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_archive(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_fonts(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* khet is built without the modules that need qpdf, SQLite and OpenSSL
 * (src/lite/lite.c): a render beside a ledger (archive_dir/ledger.sqlite)
 * runs in khet-full, which holds them; argv is the command's (argv[0] the
 * command). Returns 0 where the render goes on here (always in khet-full,
 * src/full.c), else the status of a hand-over that failed. */
int cli_render_needs_full(const char *archive_dir, int argc, char **argv);

/* The same for a command whose data are an Excel workbook (`data_path` names
 * an .xlsx, or a folder whose one .xlsx stands for its CSV files) or whose
 * output is one (`xlsx_out`): reading one needs libzip and libxml2, writing
 * one libxlsxwriter, and with them OpenSSL, which khet starts without. 0
 * where the command goes on here, else the status of a failed hand-over. */
int cli_data_needs_full(const char *data_path, int xlsx_out, int argc, char **argv);

/* The fonts and templates folders: ./fonts and ./templates when run from
 * the source tree, else the installed ones. The path may be written into
 * buf (CLI_PATH_MAX bytes); the result lives as long as buf. */
#define CLI_PATH_MAX 4200
const char *cli_font_dir(char *buf, size_t n);
const char *cli_templates_dir(char *buf, size_t n);
/* Says, naming every folder looked in, when the templates or fonts folder
 * a command uses lacks what khet ships there (an error for the templates,
 * a note for the fonts: a font may still be found through fontconfig). */
void cli_check_dirs(const char *templates_dir, const char *font_dir, diag_ctx *d);

/* The word lists of templates_dir/reports/ (keep-together.txt, units.txt) that
 * the line breaker applies. NULL after reporting (out of memory). */
thai_words *cli_words(const char *templates_dir, diag_ctx *d);

#endif
