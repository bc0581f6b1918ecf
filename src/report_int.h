/* report_int: what the report_*.c files share and nothing else includes:
 * the state of one report being built (rctx), its placeholders, table rows,
 * the number helpers, and the blocks each file offers the template engine
 * (report_engine.c). The public interface is reports.h. */
#ifndef KHET_REPORT_INT_H
#define KHET_REPORT_INT_H

#include "reports.h"

#include <stdint.h>

#include "util.h"

/* ------------------------------------------------------------------ */
/* Placeholders (report_engine.c)                                      */

#define MAX_VARS 48

typedef struct {
    const char *name[MAX_VARS];
    char *value[MAX_VARS];
    unsigned char absent[MAX_VARS]; /* no value for this document: a paragraph naming it is left out */
    int n, oom;
} vars;

void var_set(vars *v, const char *name, char *value);
/* A placeholder this document has no value for (the money of a province
 * that is not graded, the reason of one that is): the template's paragraph
 * naming it is left out, so one template serves both cases. */
void var_absent(vars *v, const char *name);
/* Whether text names a placeholder set absent. */
int names_absent(const vars *v, const char *text);
char *fill_placeholders(const vars *v, const char *text, const char *file, int line, diag_ctx *d);

/* ------------------------------------------------------------------ */
/* One report being built                                              */

typedef struct {
    const report_data *rd;
    const report_opts *o;
    layout_doc *doc;
    vars v;
    const char *file;
    diag_ctx *d;
    int err;
    const char *block_body; /* the text inside the fenced block being placed */
    int block_line;
    const char *name;           /* scorecard, summary, kpi, monthly, booklet */
    int quality_done, rules_done; /* the data-quality box and the rules: placed once */
    int grades_done;              /* the grade table is placed (the rules then leave it out) */
    char *contents_body;        /* booklet: the contents block's body (its group headings) */
    int subtitle_done;          /* the reserve note under the first title: placed once */
    int own_changes;            /* the template places the handout's changes in words (block changes) */
    int stop;                   /* the rest of the template is left out (block appendix: nothing to append) */
} rctx;

static inline char *num(const rctx *c, double v, int dec) { return thai_number_d(v, dec, c->o->thai_digits); }
/* Under a table of CMI and HA shares (the KPI report's section 5, the
 * monthly handout): the provinces whose share has no hospital in its scope,
 * printed "–" in the table (not "0 / 0 -"), and why: no_cmi lists the
 * provinces without a hospital of `levels` with a CMI target, no_ha those
 * without a community hospital (M2–F3); NULL or "" for none. Nothing when
 * both are empty. */
void out_of_scope_note(rctx *c, const char *no_cmi, const char *levels, const char *no_ha);
static inline char *money(const rctx *c, int64_t satang) { return thai_number(satang, 2, c->o->thai_digits); }
static inline char *cp(const rctx *c, int64_t cp) { return thai_number(cp, 2, c->o->thai_digits); }
static inline char *digits(const rctx *c, const char *s) { return c->o->thai_digits ? thai_digits(s) : util_strdup(s); }
static inline char *integer(const rctx *c, long v) { return thai_number(v, 0, c->o->thai_digits); }

/* ------------------------------------------------------------------ */
/* Rows of texts                                                       */

#define MAX_COLS 24

typedef struct {
    char *s[MAX_COLS];
    int n;
    int oom; /* a cell's text could not be made: the row must not be set blank */
} row_texts;

/* Shared helpers and blocks (report_common.c) */
char *plain_int(const rctx *c, long v);
int measure_decimals(measure_id m); /* 4 for ratios, 2 for shares */
char *value_text(const rctx *c, double v, measure_id m);
char *month_name(const rctx *c, const score_result *r, int fm);
const score_result *main_result(const report_data *rd);
void common_vars(rctx *c);
char *pct_text(const rctx *c, int num_, int den);
void rt_add(row_texts *t, char *s);
void add_row_ex(rctx *c, row_texts *t, const char *aligns, int header, int span_col);
void add_row(rctx *c, row_texts *t, const char *aligns, int header);
int table_begin(rctx *c, const double *w, int ncols, double size, int header_rows);
void header_row(rctx *c, const char *const *names, int n);
char *criterion_no(const rctx *c, const criterion_def *cd);
void block_grades(rctx *c);
char *change_text(const rctx *c, double now, double before, int dec);
void block_signatures(rctx *c);
char *month_short(const rctx *c, const dataset *ds, int fm);
void block_data_quality(rctx *c);
void block_rules(rctx *c);
char *kpi_levels_text(const score_result *r);
char *level_range_dashes(const char *s);

/* A province that is not graded (report_ungraded.c) */
char *ungraded_reason(const rctx *c, const score_result *r, const province_result *p, int brief);
int ungraded_count(const score_result *r);
char *ungraded_note(const rctx *c, const score_result *r); /* each ungraded province and why */
const char *grade_cell(const score_result *r, const province_result *p); /* "–" without a grade */
char *ungraded_rule(const rctx *c, const score_result *r, int *oom); /* the rules' line, NULL if none */
char *rank_text(const rctx *c, const score_result *r, const province_result *p, int names); /* "A–F2": the levels the KPI's CMI share covers */
extern const layout_style disclosure_style; /* the rules and gaps behind the figures */
layout_style disclosure(const rctx *c);      /* ... at the document style's size */

/* Scorecard (report_scorecard.c) */
void scorecard_vars(rctx *c);
void block_criteria(rctx *c);
void block_result(rctx *c);
void block_hospitals(rctx *c);

/* Region summary (report_summary.c) */
void summary_vars(rctx *c);
void block_summary(rctx *c);
void block_money(rctx *c);
void block_chart_scores(rctx *c);

/* Monthly handout (report_monthly.c) */
char *compared_with(const rctx *c, const score_result *r);
void block_crisis(rctx *c);
void monthly_vars(rctx *c);
void block_appendix(rctx *c);
void block_cmi_trend_note(rctx *c);
void block_crisis_words(rctx *c);
void block_monthly(rctx *c);
void block_changes(rctx *c);
void block_other_grades(rctx *c);
void block_cmi_trend(rctx *c);
void block_meeting(rctx *c);
void block_preparer(rctx *c);
void block_reporter(rctx *c);
void contact_line(rctx *c, const char *document, const char *role);

/* KPI inspection report (report_kpi.c) */
void kpi_vars(rctx *c);
void block_kpi(rctx *c);
void inspection_vars(rctx *c);
void block_kpi_result(rctx *c);
void block_small_success(rctx *c);
void block_cmi_levels(rctx *c);
void block_notes_problems(rctx *c);
void block_notes_suggestions(rctx *c);
void block_notes_good(rctx *c);
void block_cmi(rctx *c);
void block_cmi_summary(rctx *c);

/* Booklet cover and contents (report_booklet.c) */
void booklet_vars(rctx *c);
void block_contents(rctx *c);
extern const layout_style cover_style;

#endif
