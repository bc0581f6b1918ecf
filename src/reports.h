/* reports: CommonMark templates (libcmark) + scoring results -> a layout
 * document -> PDF. Wording lives in templates/reports/NAME.md; this module only
 * places the data-bound parts and fills {{placeholders}} after parsing. */
#ifndef KHET_REPORTS_H
#define KHET_REPORTS_H

#include "diag.h"
#include "layout.h"
#include "scoring.h"
#include "thai.h"
#include "signoff.h"

/* The last signed-off month of the finance scheme for the handout's region,
 * from the archive's ledger: the monthly handout compares its grades with
 * it, and says so. */
typedef struct {
    const char *round;  /* SCHEME/PERIOD-rN */
    reader_date month;  /* the period, a calendar month (CE) */
    int n;              /* provinces */
    char **codes, **grades;
} report_signed_month;

typedef struct {
    const char *templates_dir; /* holds reports/NAME.md */
    const char *font_dir, *font;
    int thai_digits;
    reader_date date; /* the document date; year 0 = none */
    /* A signed-off round: its signers fill the signature blocks. NULL: the
     * blocks are left for the pen. */
    const signoff *signoff;
    int final; /* 0: a draft, marked "ร่าง" on every page; 1: an archived round */
    const report_signed_month *signed_month; /* monthly: the last signed-off month, or NULL */
    int style; /* REPORT_STYLE_MODERN, or _OFFICIAL: งานสารบรรณ (see templates/README.md) */
    const thai_words *words; /* the line breaker's word lists; NULL: read from templates_dir/reports/ */
    struct pdf_shapes *shapes; /* shaping shared by a batch's documents (pdf.h); NULL: each its own */
    struct layout_memo *memo;  /* line breaking shared by a batch's documents (layout.h); NULL: none */
    int staged; /* written into a batch's staging folder, moved on later: its folder is not synced */
} report_opts;

enum { REPORT_STYLE_MODERN, REPORT_STYLE_OFFICIAL };

/* The data a report draws on. Unused members may be NULL. */
typedef struct {
    const score_result *finance;      /* scorecard, summary, monthly */
    const score_result *finance_prev; /* monthly: the month before */
    const score_result *kpi;          /* kpi, monthly */
    const score_result *const *kpi_by_month; /* monthly trend: 0..month */
    int nmonths;
    long province; /* scorecard: index into finance->provinces */
    /* booklet: the documents bound, in order, with the page each starts on */
    const struct report_contents_entry *contents;
    int ncontents;
} report_data;

typedef struct report_contents_entry {
    const char *report; /* scorecard, summary, kpi, monthly */
    const char *title;  /* the document's title (its first heading) */
    int page;           /* the booklet page it starts on */
} report_contents_entry;

/* Renders report `name` (scorecard, summary, kpi, monthly) to `out_path`.
 * Returns 0, or -1 after reporting (template errors point at the line). */
int report_render(const char *name, const report_data *rd, const report_opts *o, const char *out_path,
                  diag_ctx *d);

/* A report laid out as blocks but not drawn yet: what a booklet binds. */
typedef struct {
    layout_doc *doc;
    char *title;                       /* the first heading, placeholders filled: contents line, PDF title */
    char *author, *subject, *keywords; /* the rest of the document information */
    thai_words *own_words;             /* the word lists, when o->words was NULL (doc points at them) */
    char *contents_body;               /* booklet: the contents block's body, its group headings */
} report_built;

/* Builds report `name` ("booklet": a booklet's cover and contents, from
 * templates/reports/booklet.md). 0, or -1 after reporting; b is freed
 * with report_built_free. */
int report_build(const char *name, const report_data *rd, const report_opts *o, report_built *b, diag_ctx *d);
void report_built_free(report_built *b);
/* Sets pdf's document information from b (and o->date) and saves it. */
int report_save(const report_built *b, pdf_doc *pdf, const report_opts *o, const char *out_path, diag_ctx *d);
/* The heading the booklet's contents list `report`'s documents under, or
 * *label NULL for none; -1 out of memory. */
int report_contents_group(const report_built *front, const char *report, char **label);

#endif
