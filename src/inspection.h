/* inspection: what an inspection round's KPI report needs beyond the scored
 * figures, read from the data folder (see data/README.md):
 *   kpi_stages.csv  Small Success stages (3, 6, 9, 12 months) per line of
 *                   work: what the stage asks and its status;
 *   kpi_notes.csv   problems, suggestions and good practice per round;
 *   cmi_prev.csv    the previous fiscal year's monthly CMI per hospital;
 *   meeting.csv     the issues a month's handout puts to the meeting;
 *   contacts.csv    who prepares the handout and the KPI report, with
 *                   position, phone and e-mail.
 * Every file is optional (the last two silently); a missing one leaves its part of the report saying
 * that there is no data. Loaded with the dataset (datafolder_load calls
 * inspection_load), so `khet check` validates them too. Also owns the
 * arithmetic of the report's CMI tables (per level, per quarter, previous
 * year), which counts hospitals of a range of levels only.
 */
#ifndef KHET_INSPECTION_H
#define KHET_INSPECTION_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model.h"

typedef enum { STAGE_NOT_DUE, STAGE_PASS, STAGE_FAIL, STAGE_IN_PROGRESS } stage_status;
typedef enum { NOTE_PROBLEM, NOTE_SUGGESTION, NOTE_GOOD_PRACTICE, NOTE_KINDS } note_kind;

typedef struct {
    int region;
    char *kpi, *line_of_work, *goal;
    int months; /* 3, 6, 9 or 12 */
    stage_status status;
} kpi_stage;

typedef struct {
    int region, round; /* round 1 or 2 */
    char *kpi;
    note_kind kind;
    char *text;
} kpi_note;

typedef struct {
    int line; /* 0 = no row */
    int64_t discharges, adjrw_x10000;
} prev_cmi_month;

/* meeting.csv: an issue put to the month's executive meeting (ประเด็นเสนอที่ประชุม) */
typedef struct {
    int region;
    reader_date month; /* the handout's month it is put to */
    char *issue, *action, *owner;
    reader_date due;
} meeting_item;

/* contacts.csv: who prepares a document and how to reach them */
typedef struct {
    int region;
    char *document; /* "monthly" or "kpi" */
    char *name, *position, *phone, *email;
    int line, col; /* of its name cell */
} report_contact;

typedef struct inspection {
    meeting_item *meeting;
    size_t nmeeting;
    report_contact *contacts;
    size_t ncontacts;
    char *contacts_path; /* contacts.csv as messages name it (there or not) */
    int contacts_there;
    kpi_stage *stages;
    size_t nstages;
    kpi_note *notes;
    size_t nnotes;
    prev_cmi_month (*prev_cmi)[12]; /* per hospital of the dataset, fiscal months; NULL = no file */
    size_t nprev;                   /* hospitals with at least one row */
} inspection;

/* Reads the optional files of `dir` for the loaded dataset `ds`
 * (hospitals must be loaded). Reports every problem; returns NULL only when
 * out of memory. */
inspection *inspection_load(const char *dir, const dataset *ds, const char *encoding, diag_ctx *d);
void inspection_free(inspection *in);

const char *inspection_status_th(stage_status s); /* "ผ่าน", ... */
/* Who prepares `document` ("monthly", "kpi") of a region, or NULL. */
const report_contact *inspection_contact(const inspection *in, int region, const char *document);
const char *inspection_note_title_th(note_kind k);
/* The name `khet init` writes into contacts.csv's example rows. */
#define INSPECTION_EXAMPLE_NAME "ชื่อ นามสกุล"
/* Warns, at contacts.csv, when it names no one for a region's `document`
 * ("monthly": the handout's ผู้จัดทำ line, "kpi": the KPI report's ผู้รายงาน
 * line; the document then prints none), and, when `example` is set, when the
 * row still holds init's example name. Returns 1 when a row is there. */
int inspection_check_contact(const inspection *in, int region, const char *document, int example, diag_ctx *d);

/* The Small Success stage (3, 6, 9 or 12) that applies when the data reach
 * fiscal month `fm` (0 = October), and the inspection round it belongs to
 * (stages 3 and 6: round 1; 9 and 12: round 2). */
int inspection_stage_for_month(int fm);
int inspection_round_for_month(int fm);

/* CMI of a set of months: sum AdjRW / sum discharges, never a mean of
 * monthly CMIs. *ok = 0 when there were no discharges. */
double inspection_cmi(const int64_t *discharges, const int64_t *adjrw_x10000, int *ok);

#endif
