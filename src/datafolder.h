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
/* Frees what datafolder_load returned (NULL is fine). */
void datafolder_free(dataset *ds);

#endif
