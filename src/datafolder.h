/* datafolder: a health region's data folder read whole: the tables
 * (model.c), then the optional inspection files that refer to their
 * hospitals (inspection.c). The one place that knows both, so that
 * inspection depends on model and model on nothing of inspection. */
#ifndef KHET_DATAFOLDER_H
#define KHET_DATAFOLDER_H

#include "diag.h"
#include "model.h"

/* Loads and validates every file of a data folder. Reports every problem;
 * returns NULL if any error was found. `encoding` as for reader_read_csv. */
dataset *datafolder_load(const char *dir, const char *encoding, diag_ctx *d);
/* The same, but the tables in `defer` (model_file_bit) are not read when
 * the data are CSV files: see model_load_tables_deferring. */
dataset *datafolder_load_deferring(const char *dir, const char *encoding, unsigned defer, diag_ctx *d);
/* Frees what datafolder_load returned (NULL is fine). */
void datafolder_free(dataset *ds);

/* Teaches the line breaker every name of the data (issue 28): each part of a
 * province's and a hospital's name between its spaces (and a hospital's as
 * tables print it, without "โรงพยาบาล"), "จังหวัด" + a province's name, and
 * each part of `people` (signers' names; NULL-terminated, may be NULL), so
 * that a name breaks only at its own spaces, or between known words when it
 * cannot fit. 0, or -1 when memory runs out. */
struct thai_words;
int datafolder_teach_names(struct thai_words *w, const dataset *ds, const char *const *people);

#endif
