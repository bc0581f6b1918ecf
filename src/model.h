/* model: the data of one health-region data folder, validated.
 *
 * Owns the tables staff export (see data/README.md), the rules that make a
 * row valid (references, ranges, duplicates, months inside the fiscal year)
 * and the in-memory dataset the scoring reads. Monthly figures are indexed by
 * fiscal month: 0 = October ... 11 = September. Money is int64 satang; scores
 * and ratios from the files are fixed point as noted per field.
 */
#ifndef KHET_MODEL_H
#define KHET_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "reader.h"

#define FY_MONTHS 12

typedef enum { LEVEL_A, LEVEL_S, LEVEL_M1, LEVEL_M2, LEVEL_F1, LEVEL_F2, LEVEL_F3, LEVEL_P, LEVEL_COUNT } hosp_level;

const char *model_level_code(hosp_level l);    /* "A", "S", "M1", ... */
const char *model_level_name_th(hosp_level l); /* "โรงพยาบาลศูนย์", ... */
int model_level_parse(const char *s, hosp_level *out);

typedef struct {
    char code[3]; /* 2-digit province code */
    char *name_th, *name_en;
    int region;
    int64_t reserved_satang; /* the province's reserved budget */
} province;

typedef struct {
    int line; /* 0 = no row for this month */
    /* balance at month end, satang */
    int64_t cash, receivables, inventory, other_current_assets, current_liabilities;
    /* flows within the month, satang */
    int64_t revenue, investment_revenue, expense, depreciation;
    int64_t opd_visits, opd_cost, ipd_cost;
} finance_month;

typedef struct {
    int line;
    int64_t electronic_x100, mapping_x100; /* check scores 0-100, two decimals */
} tb_month;

typedef struct {
    int line;
    int64_t claims, claims_passed;
} eclaim_month;

typedef struct {
    int line;
    int64_t discharges;
    int64_t adjrw_x10000; /* sum of AdjRW, four decimals */
} cmi_month;

typedef enum { HA_NONE, HA_STEP1, HA_STEP2, HA_ACCREDITED } ha_status;

typedef struct {
    char code[6];
    char *name_th;
    size_t province; /* index into dataset.provinces */
    hosp_level level;
    int a_large; /* a_size: 1 large, 0 small, -1 not given (level A: the CMI target differs) */
    finance_month fin[FY_MONTHS];
    tb_month tb[FY_MONTHS];
    eclaim_month eclaim[FY_MONTHS];
    cmi_month cmi[FY_MONTHS];
    int eff7_passed; /* 7 Plus Efficiency indicators passed, -1 = no data */
    ha_status ha;
    int ha_known;
} hospital;

typedef struct {
    int region;
    char *kpi, *indicator, *target, *milestone, *line_of_work, *component, *activity;
    int component_no;
} kpi_row;

typedef struct {
    int fiscal_year;       /* Buddhist Era, e.g. 2563 */
    /* dataset.ini: the region the folder is for (0 = not named: the schemes
     * say) and the schemes its commands use, by folder (NULL = none named;
     * see cli_dataset_scheme). A name of "none" says: this region has none. */
    int region;
    char *finance_scheme, *kpi_scheme;
    int finance_scheme_line, kpi_scheme_line;
    /* where the settings were read (dataset.ini, or BOOK.xlsx[dataset]) and
     * the line of their first setting: what a message about a setting that
     * is not there points at */
    char *settings_path;
    int settings_line;
    reader_date data_date; /* when the data was processed */
    province *provinces;
    size_t nprovinces;
    hospital *hospitals;
    size_t nhospitals;
    kpi_row *kpi;
    size_t nkpi;
    int last_month; /* latest fiscal month with any monthly figure, -1 if none */
    /* lookups by code, so that loading stays linear in the rows: index + 1
     * (0 = none) by the code's number, 100 province codes, 10^5 hospital codes */
    uint32_t province_by_code[100];
    uint32_t *hospital_by_code;
    struct inspection *insp; /* Small Success, notes, previous-year CMI (inspection.h, datafolder.h) */
    unsigned files_present; /* bit i: the i-th file of model_files() was found */
    /* bit i: the i-th file is there but was not read (model_load_tables_deferring):
     * no document of the run reads it; its months are in last_month all the same */
    unsigned deferred;
    const struct workbook *book; /* the data are the sheets of this workbook (not owned), or NULL: CSV files */
} dataset;

/* Renames header cells typed as khet's Thai label of a column ("รหัสหน่วยบริการ")
 * to the column's name ("hcode"); -1 out of memory. */
int model_thai_headers(reader_table *t);

/* Whether the data folder had `file` (e.g. "finance.csv"). */
int model_file_present(const dataset *ds, const char *file);

/* The largest amount of money a cell may hold: 10^12 baht (a thousand
 * billion, far above any hospital's or province's figure), so that every
 * sum khet forms stays far inside int64 satang. */
#define MODEL_MAX_BAHT 1000000000000LL
#define MODEL_MAX_SATANG (MODEL_MAX_BAHT * 100)
/* The largest count (visits, discharges, claims) in one cell. */
#define MODEL_MAX_COUNT 1000000000LL

/* Loads and validates the tables of a data folder (not the inspection
 * files: datafolder_load reads both). Reports every problem; returns NULL
 * if any error was found. `encoding` as for reader_read_csv. */
dataset *model_load_tables(const char *dir, const char *encoding, diag_ctx *d);
/* The same from a workbook's sheets (workbook.h); book NULL: CSV files. */
struct workbook;
dataset *model_load_tables_book(const char *dir, const struct workbook *book, const char *encoding, diag_ctx *d);
/* The bit of a data file ("finance.csv") in files_present and deferred; 0 if
 * not one of the tables. */
unsigned model_file_bit(const char *file);
/* The same as model_load_tables_book(dir, NULL, ...), but the files in
 * `defer` (never provinces.csv or hospitals.csv) are not read: a render of
 * documents that do not print them. A monthly one's months are still found,
 * so the data's last month is the same: a scan takes the hospital code and
 * month of each row (both checked, as a full read would); a file it cannot
 * take that simply (quotes, non-ASCII bytes, a bad code or month, ...) is
 * read in full instead, and its errors reported as ever. `khet check` reads
 * everything. */
dataset *model_load_tables_deferring(const char *dir, const char *encoding, unsigned defer, diag_ctx *d);
/* Reads the deferred files in `which` after all (a scheme turns out to
 * read them); -1 if they had errors (reported). */
int model_load_deferred(dataset *ds, const char *dir, const char *encoding, unsigned which, diag_ctx *d);
/* Whether the data have `file` ("finance.csv": the file, or the workbook's
 * sheet), and that table read (NULL after reporting). */
int model_has_file(const dataset *ds, const char *dir, const char *file);
reader_table *model_open_table(const dataset *ds, const char *dir, const char *file, const char *encoding, diag_ctx *d);
/* Frees the tables; ds->insp must be freed first (datafolder_free does). */
void model_free(dataset *ds);

/* Fiscal month index (0 = Oct) of a calendar month, or -1 if outside the
 * dataset's fiscal year. */
int model_fiscal_month(int fiscal_year_be, reader_date m);
/* Calendar month of a fiscal month index. */
reader_date model_calendar_month(int fiscal_year_be, int fm);

/* Index of a province by code / a hospital by code, or -1. */
long model_find_province(const dataset *ds, const char *code);
long model_find_hospital(const dataset *ds, const char *code);

#endif
