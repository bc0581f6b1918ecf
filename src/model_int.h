/* model_int: what the data set's files share and nothing outside uses:
 * the data files' column specs and a load's memory, which model.c declares
 * and stores from, and the table reader (model_table.c) that checks each
 * file's cells against them. */
#ifndef KHET_MODEL_INT_H
#define KHET_MODEL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef enum {
    F_TEXT,     /* non-empty text */
    F_OPTTEXT,  /* text, may be empty */
    F_INT,      /* whole number within [min, max] */
    F_MONEY,    /* baht -> satang, within [min, max] */
    F_DEC2,     /* two decimals, within [min, max] (x100) */
    F_DEC4,     /* four decimals (x10000), within [min, max] */
    F_PROVCODE, /* 2-digit province code, new */
    F_PROVREF,  /* reference to a known province */
    F_HCODE,    /* 5-digit hospital code, new */
    F_HREF,     /* reference to a known hospital */
    F_MONTH,    /* month inside the fiscal year */
    F_LEVEL,    /* hospital level */
    F_HA,       /* HA status */
    F_ASIZE,    /* large / small, may be empty */
} field_kind;

typedef struct {
    const char *name;
    field_kind kind;
    int64_t min, max;
    int optional; /* column may be absent */
} field_spec;

typedef struct {
    int present;
    const char *text;
    int64_t num;
    long ref;
    int line, col;
    int trimmed; /* the reader took blanks from its ends */
} field_value;

#define MAX_FIELDS 20

/* What a load remembers between files: the keys of rows rejected earlier, so
 * that rows referring to them are skipped quietly instead of producing one
 * "unknown hospital" per month, and how many were skipped that way. */
typedef struct {
    dataset *ds;
    unsigned char rejected_province[100];
    unsigned char *rejected_hospital; /* HOSPITAL_CODES flags */
    int quiet_skips;
    /* months outside the fiscal year: one error per file, at the first */
    int off_year, off_line, off_col;
    reader_date off_month;
} load_ctx;

/* A data file: its name, whether a folder must have it, its columns, and
 * what stores each valid row (the checked values, in the columns' order). */
typedef struct loader loader;
typedef void (*store_fn)(dataset *ds, const field_value *v, const char *file, int line, diag_ctx *d);

struct loader {
    const char *file;
    int required;
    const field_spec *fields;
    store_fn store;
};

/* The months of a monthly file without reading it (model_load_tables_deferring):
 * 0 and ds->last_month raised to its latest month, or 1 when the file is
 * not one the scan can take (then read it with model_load_table). */
int model_scan_months(load_ctx *lc, const char *dir, const loader *ld, const char *encoding);

/* The number of a code of exactly `len` ASCII digits, or -1. */
long model_code_number(const char *code, size_t len);

/* Reads one file with its loader. Returns -1 when the file is required and
 * missing or unreadable; row errors are reported and the row skipped. */
int model_load_table(load_ctx *lc, const char *dir, const loader *ld, const char *encoding, diag_ctx *d);

#endif
