/* scoring: schemes (criteria, bands, grades read from templates/) and the
 * scoring of a region's provinces against them.
 *
 * Owns: the per-hospital indicators (MOPH risk score, EBITDA ratio, unit
 * costs, CMI ...), the per-province measures of each criterion, Mean ± k·SD
 * bands, points, totals, grades, claw-back money, ranks, and the CMI / HA
 * results of the KPI scheme. Knows nothing of pages or output formats.
 *
 * Exactness: points are held in hundredths of a point (centipoints), shares
 * and rates in basis points, money in satang; grade boundaries and claw-back
 * are computed in integers. Measured values (ratios, percentages) are
 * rationals while they are scored: bands, thresholds and linear points are
 * decided in exact arithmetic (zband.h); the doubles below are for printing.
 */
#ifndef KHET_SCORING_H
#define KHET_SCORING_H

#include <stdint.h>

#include "diag.h"
#include "model.h"

typedef enum { DIR_HIGHER, DIR_LOWER } score_direction;
typedef enum { RULE_ZBAND, RULE_THRESHOLD, RULE_PASSFAIL, RULE_LINEAR } score_rule;
typedef enum { NODATA_ZERO, NODATA_BOTTOM_BAND } score_nodata;

typedef enum {
    M_EBITDA_SD,          /* 1: SD of EBITDA/expense across the province's units */
    M_NWC_RATIO,          /* 2: NWC / efficiency expense (months of expense) */
    M_REVENUE_GE_EXPENSE, /* 3: % of units with revenue >= expense */
    M_TB_ELECTRONIC,      /* 4: % of units passing the electronic TB check */
    M_TB_MAPPING,         /* 5: % of units passing the Mapping TB check */
    M_ECLAIM,             /* 6: % of E-Claim records accepted */
    M_EFF7,               /* 7: % of units passing >= 3 of 7 Plus Efficiency */
    M_UNIT_COST,          /* 8: % of units with OPD and IPD unit cost <= peer median */
    M_RISK7,              /* 9.1: % of units at risk level 7 */
    M_RISK47,             /* 9.2: % of units at risk level 4-7 */
    M_RISK47_IMPROVED,    /* 9.3: % of level 4-7 units that improved */
    M_COUNT
} measure_id;

const char *score_measure_name(measure_id m);

typedef struct {
    char *label_th;
    int line;      /* in bands.csv */
    int otherwise; /* matches any z */
    int strict;    /* z > bound, else z >= bound */
    double bound;         /* for printing */
    int64_t bound_x10000; /* decides: z = bound_x10000 / 10^4 exactly */
    int64_t share_bp; /* of the criterion's points, 10000 = all */
    int assumption;   /* not from the announcement: printed "ประกาศมิได้ระบุ" */
} band_def;

typedef struct {
    char *grade;
    int64_t above_x100; /* percentage strictly above this (x100), -1 = otherwise */
    int64_t rate_bp;    /* claw-back rate, basis points of the reserve */
    int assumption;     /* not from the announcement: shown as such */
    int announced_low, announced_high; /* the range as announced ("76 - 80"), -1 = not given */
    char *announced_th;                /* the announcement's own words ("มากกว่าร้อยละ 80"), or NULL */
    int line;                          /* in grades.csv */
} grade_def;

typedef struct {
    int number, part; /* part 0 = the criterion has no parts */
    char *label_th, *target_th;
    char *short_th;    /* a part's own short label (criteria.csv short_th), or NULL */
    int64_t max_cp;    /* points of this row (criterion max x part weight), centipoints */
    measure_id measure;
    score_direction dir;
    score_rule rule;
    double threshold, low, high;                  /* for printing */
    int64_t threshold_x10000, low_x10000, high_x10000; /* decide (four decimals, exact) */
    int64_t weight_bp; /* the part's share of the criterion (10000 = all) */
    int64_t points_cp; /* the criterion's max_points, centipoints */
    unsigned levels_mask; /* bit per hosp_level: the units it counts (column `levels`, else the scheme's) */
    int line;          /* in criteria.csv */
    unsigned assumed;  /* ASSUMED_*: the readings of this row the announcement does not state */
    int cutoff_day;    /* its own data date: this day of the month after the period's end
                          (criteria.csv cutoff_day), 0 = the dataset's data_date */
} criterion_def;

/* What a scheme marks as its own reading, not the announcement's (criteria.csv
 * `assumed`, scheme.ini `assumed`): the documents print each such reading
 * marked "ประกาศมิได้ระบุ". */
enum {
    ASSUMED_RULE = 1,     /* criteria: how the value becomes points (e.g. all-or-nothing) */
    ASSUMED_WEIGHTS = 2,  /* criteria: the parts' shares of the criterion */
    ASSUMED_MEASURE = 4,  /* criteria: how the measure is computed from the data */
    ASSUMED_SD = 8,       /* scheme.ini: sample or population SD */
    ASSUMED_NO_DATA = 16, /* scheme.ini: the points of a province without data */
    ASSUMED_TB_PASS = 32, /* scheme.ini: the trial-balance pass mark */
    ASSUMED_EFF7 = 64,    /* scheme.ini: the 7 Plus Efficiency pass count */
    ASSUMED_REGION_PASS = 128 /* scheme.ini: the rule that decides the region's ผ่าน (KPI) */
};

typedef struct {
    hosp_level level;
    int a_large; /* the hospital's a_size: 0 small, 1 large, -1 the row for a size not given */
    int64_t target_x1000;
    int line; /* in cmi_targets.csv */
} cmi_target;

typedef struct scheme {
    char *dir, *name, *title, *kind; /* kind: "finance" or "kpi" */
    char *organisation;
    int region, fiscal_year;
    int sd_sample;       /* 1: sample SD (Excel STDEV), 0: population */
    double band_k;       /* Mean ± k·SD, for printing */
    int64_t band_k_x10000; /* k exactly (four decimals): the bands use this */
    int64_t reserved_share_bp;
    int period_start, period_end; /* fiscal months of the monthly criteria */
    int period_start_line, period_end_line, fiscal_year_line; /* in scheme.ini, 0 = not set */
    int64_t total_points_cp; /* declared total of the criteria, -1 = not declared */
    int total_points_line;
    char *reserve_note;       /* the announcement's words on the reserve (ส่วนที่กัน 15 %) */
    int64_t tb_pass_x100;
    int eff7_min;
    score_nodata nodata;
    criterion_def *criteria;
    size_t ncriteria;
    band_def *bands;
    size_t nbands;
    grade_def *grades;
    size_t ngrades;
    cmi_target *cmi_targets;
    size_t ncmi_targets;
    hosp_level kpi_level_lo, kpi_level_hi; /* kpi_levels: the CMI total covers these (default A-P: all) */
    /* A Mean ± k·SD criterion needs this many provinces with data (at least
     * 2 for the sample SD, 1 for the population SD); with fewer (but some),
     * too_few_band says what to do: -1 (the default) no band, no points, no
     * grade and no amount; else the index of the band every province gets. */
    int min_provinces, min_provinces_line;
    unsigned levels_mask; /* `levels`: the hospital levels the criteria count by default */
    int too_few_band, too_few_line;
    int title_line, organisation_line, reserve_note_line; /* in scheme.ini, for the wording check */
    unsigned bad_tables; /* while loading: bit 1 criteria, 2 bands, 4 grades, 8 cmi_targets had a refused row */
    unsigned assumed; /* ASSUMED_SD ...: settings that are the scheme's reading (scheme.ini `assumed`) */
    /* KPI schemes: the region passes when at least this share of its lines of
     * work pass the Small Success stage of the report (basis points) */
    int64_t region_pass_bp;
} scheme;

/* The levels a scheme counts unless it says otherwise: A to F3. Level P
 * (primary care units, รพ.สต.) keeps no accounts of its own in the MOPH
 * financial reports the criteria read (see templates/README.md). */
#define SCHEME_DEFAULT_LEVELS ((1u << LEVEL_P) - 1u)
unsigned scheme_parse_levels(const char *v); /* "A-F3", "A-P", "A,S": a bit mask, 0 if not levels */
void scheme_levels_text(unsigned mask, char *buf, size_t size); /* the mask as "A-F3" or "A-F3,P" */

/* Loads a scheme folder (scheme.ini, criteria.csv, bands.csv, grades.csv,
 * cmi_targets.csv) and checks it like data: every problem with file:line
 * (points not adding up to the declared total, shares outside 0-100 %,
 * bands or grades out of order, overlapping or with gaps, periods running
 * backwards, duplicate or negative CMI targets). NULL after reporting. */
scheme *scheme_load(const char *dir, diag_ctx *d);

/* A scheme is made for one fiscal year: scoring another year's data with it
 * is an error, or with `allow` a warning (the documents then say so).
 * Returns 0 when the data may be scored. */
int scheme_check_year(const scheme *s, const dataset *ds, int allow, diag_ctx *d);
/* Fills {{provinces}} in the scheme's wording with the number of provinces
 * the data hold in `region` (0: the scheme's own). The other placeholders
 * ({{region}}, {{fiscal_year}}, {{fy}}, {{previous_year}}, {{band}}) are filled from
 * scheme.ini by scheme_load. 0, or -1 out of memory. */
int scheme_fill_provinces(scheme *s, const dataset *ds, int region);
/* Warns where the scheme's wording names a region other than `region` (0:
 * the scheme's own), a count of provinces other than the data hold in it or
 * a band other than band_k's ("เขตสุขภาพที่ 8", "ของ 7 จังหวัด", "Mean ± 1SD"
 * typed instead of {{region}}, {{provinces}}, {{band}}): a scheme copied
 * from another region, or given another band_k, keeps them. Returns the
 * warnings. */
int scheme_check_wording(const scheme *s, const dataset *ds, int region, diag_ctx *d);
/* The band of the Mean ± k·SD criteria as the documents name it, k as
 * band_k writes it: "Mean ± 1SD", "Mean ± 1.5SD" (with `sd` set, "1.5SD"
 * alone). Its figure stays in Arabic digits in a Thai-digit document (a
 * part of the name, issue 20 point 12). Caller frees; NULL out of memory. */
char *scheme_band_name(const scheme *s, int sd);
void scheme_free(scheme *s);

/* ---- Per-hospital indicators ---- */

typedef struct {
    size_t hospital;
    int has_finance;
    double ebitda_ratio;        /* EBITDA / expense, FY to date */
    int64_t revenue, expense;   /* FY to date, satang (excl. investment / depreciation) */
    int64_t nwc_satang;         /* at the last month */
    int64_t efficiency_expense; /* average monthly expense, satang */
    int revenue_ge_expense;
    int risk[FY_MONTHS];         /* 0-7, -1 = no data */
    int risk_start, risk_end;    /* at the period's first and last month with data */
    int risk_improved;
    int has_tb;
    double tb_electronic, tb_mapping; /* period averages */
    int tb_electronic_pass, tb_mapping_pass;
    int64_t claims, claims_passed;
    int eff7;
    int has_opd_cost, has_ipd_cost;      /* OPD visits > 0; AdjRW > 0 (cmi.csv) */
    int has_unit_cost;                   /* both: criterion 8 counts the hospital */
    double opd_unit_cost, ipd_unit_cost; /* baht per visit, baht per AdjRW */
    double opd_median, ipd_median; /* of the region's hospitals of its level that have that cost */
    int opd_ok, ipd_ok;            /* the cost is at most its median (exactly) */
    int unit_cost_ok;              /* has_unit_cost and both at most their medians */
    /* CMI */
    int64_t discharges, adjrw_x10000; /* FY to date */
    double cmi_fytd;                  /* NAN-free: 0 when no discharges */
    int has_cmi;
    double cmi_quarter[4];
    int has_quarter[4];
    double cmi_month[FY_MONTHS];
    int64_t cmi_target_x1000; /* 0 = no target for the level */
    int cmi_pass;
} hospital_result;

/* MOPH financial risk score 0-7 of one hospital at fiscal month m (FY to
 * date net income); -1 when the month has no figures. */
int score_risk(const hospital *h, int m);

/* ---- Per-province results ---- */

typedef struct {
    int has_value;
    int incomplete; /* a gap in the data touches this figure (see score_gap) */
    double value;
    double mean, sd, z; /* region statistics of this criterion; z signed "better" */
    int band;           /* index into scheme bands, -1 when not banded */
    int undecided;      /* too few provinces with data for the SD: no band, no points */
    int64_t points_cp;
} criterion_result;

typedef struct {
    size_t province;
    size_t nhospitals;
    criterion_result *crit; /* one per scheme criterion row */
    int64_t total_cp, max_cp;
    int64_t percent_x100; /* rounded half-up, for display; grades use exact compare */
    int grade;            /* index into scheme grades, -1 = none */
    int ungraded;         /* a criterion is undecided: no total, grade, rank or amount */
    int rank;             /* 0 when ungraded */
    int64_t reserved_satang, clawback_satang, kept_satang;
    /* KPI scheme: cmi_hospitals / cmi_pass count the scheme's kpi_levels only
     * (hospitals with a target); the per-level counts cover every level */
    int cmi_hospitals, cmi_pass;
    int cmi_level_n[LEVEL_COUNT], cmi_level_pass[LEVEL_COUNT];
    int community, community_ha;
    int not_counted; /* units of the province of levels the scheme does not count */
} province_result;

/* A gap in the data a result was scored on. By default the commands refuse
 * to score over gaps; with --allow-incomplete the documents list them. */
typedef enum {
    GAP_FILE,         /* a file the scheme needs is missing altogether */
    GAP_NO_HOSPITALS, /* a province of the region has no hospital to score */
    GAP_MONTH,        /* a hospital has no row for a month of the scored period */
    GAP_ROW,          /* a hospital has no row in a once-a-year file */
} gap_kind;

typedef struct {
    gap_kind kind;
    const char *file; /* "finance.csv" (a static string) */
    long province;    /* index into ds->provinces, -1 = every province */
    long hospital;    /* index into ds->hospitals, -1 = none */
    int month;        /* fiscal month, -1 = none */
} score_gap;

typedef struct {
    const scheme *sch;
    const dataset *ds;
    int region;
    int last_month; /* last fiscal month used (the period end, or data end) */
    hospital_result *hospitals; /* of the region, in data order */
    size_t nhospitals;
    province_result *provinces; /* of the region, in data order */
    size_t nprovinces;
    double *crit_mean, *crit_sd; /* meaningful only where crit_n > 0 */
    size_t *crit_n;              /* provinces with a value, per criterion */
    int *crit_sd_defined;        /* the SD exists (crit_n >= 2 sample, >= 1 population) */
    int *crit_too_few;           /* 0 < crit_n < what a banded criterion needs (scheme min_provinces) */
    unsigned counted_mask;          /* the levels any criterion (or the scheme) counts */
    int not_counted[LEVEL_COUNT];   /* the region's units left out, per level */
    size_t *not_counted_list;       /* their indexes into ds->hospitals, in data order */
    size_t n_not_counted;
    int cmi_level_n[LEVEL_COUNT], cmi_level_pass[LEVEL_COUNT];
    int cmi_hospitals, cmi_pass, community, community_ha;
    int scheme_named; /* the user named the scheme on the command line (set by the caller) */
    int period_start;  /* first fiscal month of the monthly criteria */
    score_gap *gaps;   /* in province, hospital, file, month order */
    size_t ngaps;
} score_result;

/* One line saying what a gap is, in English for the command line (caller frees). */
char *score_gap_message(const score_result *r, const score_gap *g);

/* Reports the gaps of results scored from the data folder `dir` (each gap
 * once, however many results share it): errors, or with `allow` warnings.
 * Returns -1 when the gaps refuse the run, 0 otherwise. */
int score_report_gaps(const score_result *const *rs, size_t n, const char *dir, int allow, diag_ctx *d);

/* Says, for each criterion of a result that has too few provinces with data
 * for its SD, why its provinces have no band, points, grade or amount (or,
 * when the scheme names a band for that case, which band they got): errors
 * with `as_error` (render), warnings otherwise (score). Returns how many
 * criteria are undecided (0 when the scheme names what to do). */
int score_report_too_few(const score_result *r, int as_error, diag_ctx *d);

/* Warns about each unit of the region the scheme does not count (level P by
 * default), naming it (the first ten, then how many more), as a warning on
 * `dir`/hospitals.csv. Returns how many. */
int score_report_not_counted(const score_result *r, const char *dir, diag_ctx *d);

/* The number of provinces with data a banded criterion of `s` needs (zband.c:
 * the SD of fewer is not defined, or the scheme asks more). */
int score_min_provinces(const scheme *s);

/* Whether a result's grades may be printed: the scheme was made for the
 * scored region and the data's fiscal year (or the user named it, and the
 * document then names it beside the grades). */
int score_scheme_is_own(const score_result *r);

/* Scores region `region` (0 = the scheme's) of `ds`. `upto_month` (fiscal
 * index) cuts the data, -1 for all. NULL after reporting (e.g. no provinces). */
score_result *score_run(const scheme *s, const dataset *ds, int region, int upto_month, diag_ctx *d);
/* The data files a scheme's scores read, as model_file_bit's mask (score_gaps.c). */
unsigned score_data_files(const scheme *s);
void score_result_free(score_result *r);

/* Helpers exposed for tests. */
double score_mean(const double *v, size_t n);
double score_sd(const double *v, size_t n, int sample);
double score_median(double *v, size_t n); /* sorts v */
int score_band(const scheme *s, double z);
int score_grade(const scheme *s, int64_t total_cp, int64_t max_cp);
int64_t score_clawback(int64_t reserved_satang, int64_t rate_bp); /* half-up */
int64_t score_points(int64_t max_cp, int64_t share_bp);            /* half-up */

#endif
