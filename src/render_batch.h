/* render_batch: a batch of documents rendered all or nothing (see
 * render_batch.c). */
#ifndef KHET_RENDER_BATCH_H
#define KHET_RENDER_BATCH_H

#include "booklet.h"
#include "diag.h"
#include "reports.h"

/* One document to render: written first into the batch's staging folder,
 * moved to its place in --out only when the whole batch succeeded. */
typedef struct {
    const char *name;
    report_data rd; /* a booklet: the region's results, for its cover */
    char *path;  /* where it belongs: OUT/FY/rR/file */
    char *stage; /* where it is rendered: OUT/.khet-stage-PID-XXXXXX/FY/rR/file */
    const char *reldir; /* FY/rR: valid while the jobs are planned */
    booklet_part *parts; /* a booklet: the documents it binds (owned), else NULL */
    int nparts;
    const report_signed_month *signed_month; /* NULL: the batch's (report_opts) */
} render_job;

typedef struct {
    render_job *v;
    int n;
    const char *out;   /* --out */
    char *stage;       /* the staging folder, inside --out (same file system: rename works) */
} job_list;

/* Makes --out, clears what a killed run left there and creates the batch's
 * staging folder in it; SIGINT/SIGTERM then only stop the batch. */
int batch_start(job_list *jl, const char *out, diag_ctx *d);
/* Makes OUT/reldir and the same folders in the staging folder. */
int batch_make_dirs(const job_list *jl, const char *reldir, diag_ctx *d);
/* Adds a document to render into reldir/file; -1 when out of memory. */
int batch_add(job_list *jl, const char *name, report_data rd, const char *reldir, const char *file);
/* The documents planned become one booklet per region folder. */
int batch_bind_booklets(job_list *jl);
/* Renders every document into the staging folder, shared among njobs
 * worker processes; 0 when all were written. */
int batch_run(const job_list *jl, int njobs, const report_opts *ro, diag_ctx *d);
/* Moves the documents into place and prints their paths. */
int batch_commit(const job_list *jl, diag_ctx *d);
void batch_free_job(render_job *j);

#endif
