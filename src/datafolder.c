/* datafolder: a data folder read whole, tables first (see datafolder.h). */
#include "datafolder.h"

#include "inspection.h"

dataset *datafolder_load(const char *dir, const char *encoding, diag_ctx *d)
{
    dataset *ds = model_load_tables(dir, encoding, d);
    if (!ds)
        return NULL;
    int errors_before = diag_errors(d);
    /* the inspection files name hospitals: only a folder with some can have them */
    if (ds->nhospitals && !(ds->insp = inspection_load(dir, ds, encoding, d)))
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
    if (diag_errors(d) > errors_before) {
        datafolder_free(ds);
        return NULL;
    }
    return ds;
}

void datafolder_free(dataset *ds)
{
    if (!ds)
        return;
    inspection_free(ds->insp);
    ds->insp = NULL;
    model_free(ds);
}
