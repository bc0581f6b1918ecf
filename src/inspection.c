#include "inspection.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "reader.h"
#include "util.h"

static const char *const status_th[] = {"ยังไม่ถึงกำหนด", "ผ่าน", "ไม่ผ่าน", "อยู่ระหว่างดำเนินการ"};
static const char *const status_en[] = {"", "pass", "fail", "in_progress"};
static const char *const note_th[] = {"ปัญหา/อุปสรรค", "ข้อเสนอแนะ", "ผลงานเด่น/นวัตกรรม (Good Practice)"};
static const char *const note_en[] = {"problem", "suggestion", "good_practice"};

const char *inspection_status_th(stage_status s) { return status_th[s]; }
const char *inspection_note_title_th(note_kind k) { return note_th[k]; }

int inspection_stage_for_month(int fm)
{
    int months = fm + 1;
    return months <= 3 ? 3 : months <= 6 ? 6 : months <= 9 ? 9 : 12;
}

int inspection_round_for_month(int fm) { return inspection_stage_for_month(fm) <= 6 ? 1 : 2; }

double inspection_cmi(const int64_t *discharges, const int64_t *adjrw_x10000, int *ok)
{
    *ok = *discharges > 0;
    return *ok ? (double)*adjrw_x10000 / 10000.0 / (double)*discharges : 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

typedef struct {
    const char *path;
    reader_table *t;
    diag_ctx *d;
    int cols[8];
} sheet;

/* Opens an optional file and finds its columns. 0 = absent (a note), 1 =
 * ready, -1 = unreadable or a required column missing (reported). */
static int sheet_open(sheet *s, const dataset *ds, const char *dir, const char *file, const char *const *cols, const char *encoding,
                      diag_ctx *d)
{
    memset(s, 0, sizeof *s);
    s->d = d;
    s->path = util_path_join(dir, file);
    if (!s->path)
        return -1;
    if (!model_has_file(ds, dir, file)) {
        diag_add(d, DIAG_NOTE, s->path, 0, 0, "file not present: the KPI report says there is no data for it");
        return 0;
    }
    const char *none[] = {NULL};
    if ((s->t = model_open_table(ds, dir, file, encoding, d)) && ds->book) {
        char *sheet = util_strdup(reader_table_name(s->t)); /* messages name the workbook's sheet */
        if (sheet) {
            free((char *)s->path);
            s->path = sheet;
        }
    }
    if (s->t && model_thai_headers(s->t) != 0) {
        diag_add(d, DIAG_SYSTEM, s->path, 0, 0, "out of memory");
        return -1;
    }
    if (!s->t || reader_table_expect(s->t, cols, none, d) > 0)
        return -1;
    for (int i = 0; cols[i]; i++)
        s->cols[i] = reader_table_column(s->t, cols[i]);
    return 1;
}

static void sheet_close(sheet *s)
{
    reader_table_free(s->t);
    free((char *)s->path);
}

static const reader_cell *cell(const sheet *s, size_t r, int i) { return reader_table_cell(s->t, r, s->cols[i]); }

static void bad(const sheet *s, const reader_cell *c, const char *col, const char *what)
{
    diag_add(s->d, DIAG_ERROR, s->path, c->line, c->col, "column '%s': %s ('%s')", col, what, c->text);
}

static int int_in(const sheet *s, size_t r, int i, const char *col, int64_t lo, int64_t hi, int64_t *out)
{
    const reader_cell *c = cell(s, r, i);
    const char *err = reader_parse_int(c->text, out);
    if (!err && (*out < lo || *out > hi))
        err = "value outside the allowed range";
    if (err)
        bad(s, c, col, err);
    return err ? -1 : 0;
}

static int required_text(const sheet *s, size_t r, int i, const char *col)
{
    const reader_cell *c = cell(s, r, i);
    if (!c->text[0])
        bad(s, c, col, "a value is required");
    return c->text[0] ? 0 : -1;
}

/* A status as staff type it: Thai or the English code; empty = not due yet. */
static int parse_status(const char *t, stage_status *out)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(t, status_th[i]) || !strcasecmp(t, status_en[i]) || (i == 0 && !t[0])) {
            *out = (stage_status)i;
            return 0;
        }
    return -1;
}

static int parse_note_kind(const char *t, note_kind *out)
{
    static const char *const th_short[] = {"ปัญหา", "ข้อเสนอแนะ", "ผลงานเด่น"};
    for (int i = 0; i < NOTE_KINDS; i++)
        if (!strcasecmp(t, note_en[i]) || !strcmp(t, note_th[i]) || !strcmp(t, th_short[i])) {
            *out = (note_kind)i;
            return 0;
        }
    return -1;
}

/* Room for element n of an array that only ever grows one at a time from
 * empty: its capacity is the power of two at or above n, so it doubles when
 * n reaches one (a realloc per row copied the whole array each time where
 * realloc moves it: 60,000 hospitals took minutes under ASan). Returns p, the
 * moved array, or NULL with p untouched. */
static void *grow(void *p, size_t n, size_t size)
{
    if (n & (n - 1)) /* not 0 and not a power of two: there is room */
        return p;
    size_t cap = n ? 2 * n : 1;
    return cap > SIZE_MAX / size ? NULL : realloc(p, cap * size);
}

static int load_stages(inspection *in, const dataset *ds, const char *dir, const char *enc, diag_ctx *d)
{
    static const char *const cols[] = {"region", "kpi", "line_of_work", "months", "goal", "status", NULL};
    sheet s;
    int rc = sheet_open(&s, ds, dir, "kpi_stages.csv", cols, enc, d);
    for (size_t r = 0; rc > 0 && r < reader_table_rows(s.t); r++) {
        int64_t region, months;
        stage_status st;
        int e = int_in(&s, r, 0, "region", 1, 13, &region) | required_text(&s, r, 1, "kpi") |
                required_text(&s, r, 2, "line_of_work") | int_in(&s, r, 3, "months", 3, 12, &months) |
                required_text(&s, r, 4, "goal");
        if (!e && months % 3) {
            bad(&s, cell(&s, r, 3), "months", "a Small Success stage is 3, 6, 9 or 12 months");
            e = -1;
        }
        if (parse_status(cell(&s, r, 5)->text, &st)) {
            bad(&s, cell(&s, r, 5), "status", "must be ผ่าน, ไม่ผ่าน, อยู่ระหว่างดำเนินการ (pass, fail, in_progress) or empty");
            e = -1;
        }
        if (e)
            continue;
        kpi_stage *v = grow(in->stages, in->nstages, sizeof *v);
        if (!v)
            return -1;
        in->stages = v;
        v = &v[in->nstages++];
        *v = (kpi_stage){(int)region, util_strdup(cell(&s, r, 1)->text), util_strdup(cell(&s, r, 2)->text),
                         util_strdup(cell(&s, r, 4)->text), (int)months, st};
        if (!v->kpi || !v->line_of_work || !v->goal)
            rc = -2;
    }
    sheet_close(&s);
    return rc == -2 ? -1 : 0;
}

static int load_notes(inspection *in, const dataset *ds, const char *dir, const char *enc, diag_ctx *d)
{
    static const char *const cols[] = {"region", "kpi", "round", "section", "text", NULL};
    sheet s;
    int rc = sheet_open(&s, ds, dir, "kpi_notes.csv", cols, enc, d);
    for (size_t r = 0; rc > 0 && r < reader_table_rows(s.t); r++) {
        int64_t region, round;
        note_kind k;
        int e = int_in(&s, r, 0, "region", 1, 13, &region) | required_text(&s, r, 1, "kpi") |
                int_in(&s, r, 2, "round", 1, 2, &round) | required_text(&s, r, 4, "text");
        if (parse_note_kind(cell(&s, r, 3)->text, &k)) {
            bad(&s, cell(&s, r, 3), "section", "must be problem, suggestion or good_practice");
            e = -1;
        }
        if (e)
            continue;
        kpi_note *v = grow(in->notes, in->nnotes, sizeof *v);
        if (!v)
            return -1;
        in->notes = v;
        v = &v[in->nnotes++];
        *v = (kpi_note){(int)region, (int)round, util_strdup(cell(&s, r, 1)->text), k,
                        util_strdup(cell(&s, r, 4)->text)};
        if (!v->kpi || !v->text)
            rc = -2;
    }
    sheet_close(&s);
    return rc == -2 ? -1 : 0;
}

/* The month of the previous fiscal year (0 = October), or -1. */
static int prev_fiscal_month(int fiscal_year_be, reader_date m) { return model_fiscal_month(fiscal_year_be - 1, m); }

static int load_prev_cmi(inspection *in, const char *dir, const dataset *ds, const char *enc, diag_ctx *d)
{
    static const char *const cols[] = {"hcode", "month", "discharges", "sum_adjrw", NULL};
    sheet s;
    int rc = sheet_open(&s, ds, dir, "cmi_prev.csv", cols, enc, d);
    if (rc > 0 && !(in->prev_cmi = calloc(ds->nhospitals, sizeof *in->prev_cmi)))
        rc = -2;
    for (size_t r = 0; rc > 0 && r < reader_table_rows(s.t); r++) {
        char code[6];
        reader_date m;
        int64_t dis, adj;
        const reader_cell *hc = cell(&s, r, 0), *mc = cell(&s, r, 1), *ac = cell(&s, r, 3);
        long h = -1;
        int fm = -1, e = 0;
        const char *err = reader_parse_hcode(hc->text, code);
        if (err || (h = model_find_hospital(ds, code)) < 0) {
            bad(&s, hc, "hcode", err ? err : "unknown hospital (not in hospitals.csv)");
            e = -1;
        }
        if ((err = reader_parse_month(mc->text, &m)) || (fm = prev_fiscal_month(ds->fiscal_year, m)) < 0) {
            bad(&s, mc, "month", err ? err : "month outside the previous fiscal year (October to September)");
            e = -1;
        }
        e |= int_in(&s, r, 2, "discharges", 0, 1000000000, &dis);
        if ((err = reader_parse_decimal(ac->text, 4, &adj)) || adj < 0) {
            bad(&s, ac, "sum_adjrw", err ? err : "value below the allowed range");
            e = -1;
        }
        if (e)
            continue;
        prev_cmi_month *pm = &in->prev_cmi[h][fm];
        if (pm->line) {
            diag_add(d, DIAG_ERROR, s.path, reader_table_row_line(s.t, r), hc->col,
                     "duplicate row: hospital %s, month %s is given on line %d too", code, mc->text, pm->line);
            continue;
        }
        int first = 1;
        for (int k = 0; k < 12; k++)
            first &= !in->prev_cmi[h][k].line;
        in->nprev += first;
        *pm = (prev_cmi_month){reader_table_row_line(s.t, r), dis, adj};
    }
    sheet_close(&s);
    return rc == -2 ? -1 : 0;
}

static char *text_of(const sheet *s, size_t r, int i) { return util_strdup(cell(s, r, i)->text); }

static int load_meeting(inspection *in, const dataset *ds, const char *dir, const char *enc, diag_ctx *d)
{
    static const char *const cols[] = {"region", "month", "issue", "action", "owner", "due", NULL};
    sheet s;
    if (!model_has_file(ds, dir, "meeting.csv"))
        return 0; /* optional and new: no note */
    int rc = sheet_open(&s, ds, dir, "meeting.csv", cols, enc, d);
    for (size_t r = 0; rc > 0 && r < reader_table_rows(s.t); r++) {
        int64_t region;
        reader_date month, due;
        const char *err;
        int e = int_in(&s, r, 0, "region", 1, 13, &region) | required_text(&s, r, 2, "issue") |
                required_text(&s, r, 3, "action") | required_text(&s, r, 4, "owner");
        if ((err = reader_parse_month(cell(&s, r, 1)->text, &month))) {
            bad(&s, cell(&s, r, 1), "month", err);
            e = -1;
        }
        if ((err = reader_parse_date(cell(&s, r, 5)->text, &due))) {
            bad(&s, cell(&s, r, 5), "due", err);
            e = -1;
        }
        if (e)
            continue;
        meeting_item *v = grow(in->meeting, in->nmeeting, sizeof *v);
        if (!v)
            return -1;
        in->meeting = v;
        v = &v[in->nmeeting++];
        *v = (meeting_item){(int)region, month, text_of(&s, r, 2), text_of(&s, r, 3), text_of(&s, r, 4), due};
        if (!v->issue || !v->action || !v->owner)
            rc = -2;
    }
    sheet_close(&s);
    return rc == -2 ? -1 : 0;
}

static int load_contacts(inspection *in, const dataset *ds, const char *dir, const char *enc, diag_ctx *d)
{
    static const char *const cols[] = {"region", "document", "name", "position", "phone", "email", NULL};
    sheet s;
    if (!model_has_file(ds, dir, "contacts.csv"))
        return (in->contacts_path = util_path_join(dir, "contacts.csv")) ? 0 : -1;
    in->contacts_there = 1;
    int rc = sheet_open(&s, ds, dir, "contacts.csv", cols, enc, d);
    if (s.path && !(in->contacts_path = util_strdup(s.path)))
        rc = -2;
    for (size_t r = 0; rc > 0 && r < reader_table_rows(s.t); r++) {
        int64_t region;
        const char *doc = cell(&s, r, 1)->text;
        int e = int_in(&s, r, 0, "region", 1, 13, &region) | required_text(&s, r, 2, "name") |
                required_text(&s, r, 3, "position");
        if (strcmp(doc, "monthly") && strcmp(doc, "kpi")) {
            bad(&s, cell(&s, r, 1), "document", "must be monthly or kpi");
            e = -1;
        }
        if (e)
            continue;
        report_contact *v = grow(in->contacts, in->ncontacts, sizeof *v);
        if (!v)
            return -1;
        in->contacts = v;
        v = &v[in->ncontacts++];
        *v = (report_contact){(int)region,         text_of(&s, r, 1), text_of(&s, r, 2),   text_of(&s, r, 3),
                              text_of(&s, r, 4),   text_of(&s, r, 5), cell(&s, r, 2)->line, cell(&s, r, 2)->col};
        if (!v->document || !v->name || !v->position || !v->phone || !v->email)
            rc = -2;
    }
    sheet_close(&s);
    return rc == -2 ? -1 : 0;
}

const report_contact *inspection_contact(const inspection *in, int region, const char *document)
{
    for (size_t i = 0; in && i < in->ncontacts; i++)
        if (in->contacts[i].region == region && !strcmp(in->contacts[i].document, document))
            return &in->contacts[i];
    return NULL;
}

int inspection_check_contact(const inspection *in, int region, const char *document, int example, diag_ctx *d)
{
    if (!in)
        return 0;
    int kpi = !strcmp(document, "kpi");
    const char *what = kpi ? "KPI report" : "monthly handout", *line = kpi ? "ผู้รายงาน" : "ผู้จัดทำ";
    const report_contact *p = inspection_contact(in, region, document);
    if (!p && !in->contacts_there)
        diag_add(d, DIAG_WARNING, in->contacts_path, 0, 0,
                 "not there: region %d's %s prints no '%s' line (who prepared it, with phone and e-mail); "
                 "add the file with a row '%d,%s,name,position,phone,e-mail' (data/README.md)",
                 region, what, line, region, document);
    else if (!p)
        diag_add(d, DIAG_WARNING, in->contacts_path, 0, 0,
                 "names no one for region %d's %s: it prints no '%s' line (who prepared it, with phone and "
                 "e-mail); add a row '%d,%s,name,position,phone,e-mail' (data/README.md)",
                 region, what, line, region, document);
    else if (example && !strcmp(p->name, INSPECTION_EXAMPLE_NAME))
        diag_add(d, DIAG_WARNING, in->contacts_path, p->line, p->col,
                 "'%s' is khet init's example: put who prepares region %d's %s, with position, phone and e-mail "
                 "(the '%s' line)",
                 p->name, region, what, line);
    return p != NULL;
}

inspection *inspection_load(const char *dir, const dataset *ds, const char *encoding, diag_ctx *d)
{
    inspection *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    if (load_stages(in, ds, dir, encoding, d) || load_notes(in, ds, dir, encoding, d) ||
        load_prev_cmi(in, dir, ds, encoding, d) || load_meeting(in, ds, dir, encoding, d) ||
        load_contacts(in, ds, dir, encoding, d)) {
        inspection_free(in);
        return NULL;
    }
    return in;
}

void inspection_free(inspection *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->nstages; i++) {
        free(in->stages[i].kpi);
        free(in->stages[i].line_of_work);
        free(in->stages[i].goal);
    }
    for (size_t i = 0; i < in->nnotes; i++) {
        free(in->notes[i].kpi);
        free(in->notes[i].text);
    }
    for (size_t i = 0; i < in->nmeeting; i++) {
        free(in->meeting[i].issue);
        free(in->meeting[i].action);
        free(in->meeting[i].owner);
    }
    for (size_t i = 0; i < in->ncontacts; i++) {
        report_contact *k = &in->contacts[i];
        free(k->document), free(k->name), free(k->position), free(k->phone), free(k->email);
    }
    free(in->meeting);
    free(in->contacts);
    free(in->contacts_path);
    free(in->stages);
    free(in->notes);
    free(in->prev_cmi);
    free(in);
}
