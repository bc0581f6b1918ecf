/* region: which schemes a data folder's commands use, and the making of
 * working folders for any region and year (khet init, khet new-year).
 *
 * The region is data: dataset.ini names the region, its fiscal year and its
 * schemes (finance, KPI) by folder. A command uses the scheme the command
 * line names, else the one dataset.ini names, else none: no scheme of
 * another region is loaded unasked. A folder whose dataset.ini names no
 * region and no scheme (made before khet init) gets the shipped sample
 * scheme of a kind only when its data hold that scheme's region. */
#ifndef KHET_REGION_H
#define KHET_REGION_H

#include "diag.h"
#include "model.h"
#include "scoring.h"
#include "util.h"

typedef enum { REGION_FINANCE, REGION_KPI } region_scheme_kind;

/* The folder of the scheme of `kind` for data folder `data_dir`:
 * `given` (the command line; "none" = no scheme) wins, else dataset.ini's
 * name, found beside dataset.ini, then in `templates_dir`. Returns a path
 * the caller frees, or NULL with *none set when there is no scheme of that
 * kind (*none = 0 and NULL: out of memory, reported). */
char *region_scheme_dir(const dataset *ds, const char *data_dir, const char *templates_dir, region_scheme_kind kind,
                        const char *given, int *none, diag_ctx *d);

/* A scheme dataset.ini named (not the command line) must be of the kind
 * asked for and of dataset.ini's region, when it names one. 0, or -1 after
 * an error at dataset.ini's line. */
int region_check_scheme(const scheme *s, const dataset *ds, const char *data_dir, region_scheme_kind kind,
                        int from_command_line, diag_ctx *d);

/* The national list of provinces (code, name_th, name_en, region) shipped
 * as templates/moph-provinces.csv. */
typedef struct {
    char code[3];
    char *name_th, *name_en;
    int region;
} region_province;

/* Reads the list; NULL after reporting. *n gets the count. */
region_province *region_provinces_load(const char *templates_dir, size_t *n, diag_ctx *d);
void region_provinces_free(region_province *p, size_t n);

/* ---- region_folder.c: making working folders (khet init, khet new-year) ---- */
/* The header row of data file `file` ("provinces.csv"): each column as
 * "Thai label (name)"; "" for a file khet does not know. */
const char *region_file_header(const char *file);
/* Writes DIR/NAME whole (atomically) from b, which is freed and emptied;
 * 0, or -1 after reporting. */
int region_put_file(const char *dir, const char *name, strbuf *b, diag_ctx *d);
/* Makes `dir` unless it holds a dataset.ini already (never written over). */
int region_fresh_folder(const char *dir, diag_ctx *d);
/* Copies scheme folder src to dst with its name, region and fiscal year set
 * and its period moved by as many years; scheme.ini lines naming the old
 * year literally are listed in `review` (may be NULL). 0, or -1 after reporting. */
int region_copy_scheme(const char *src, const char *dst, const char *name, int region, int fiscal_year,
                       strbuf *review, diag_ctx *d);

int cmd_init(int argc, char **argv);     /* cmd_init.c */
int cmd_new_year(int argc, char **argv); /* cmd_new_year.c */

#endif
