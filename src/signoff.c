#include "signoff.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The longest scheme name: ARCHIVE/.staging-SCHEME-PERIOD-rN must stay
 * within NAME_MAX (255 bytes). */
#define SIGNOFF_MAX_SCHEME 100

static const char *const role_th[] = {"ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ"};

const char *signoff_role_th(signoff_role r) { return role_th[r]; }

void signoff_free(signoff *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nsigners; i++) {
        free(s->signers[i].name);
        free(s->signers[i].position);
    }
    free(s->scheme);
    free(s->period);
    free(s->id);
    free(s);
}

typedef struct {
    const reader_table *t;
    int cfield, cvalue, cpos, cdate;
    const char *path;
    diag_ctx *d;
} sheet;

static const char *cell(const sheet *sh, size_t row, int col, const reader_cell **at)
{
    const reader_cell *c = col >= 0 ? reader_table_cell(sh->t, row, col) : NULL;
    *at = c;
    return c && c->text ? c->text : "";
}

static void bad(const sheet *sh, const reader_cell *c, size_t row, const char *msg)
{
    diag_add(sh->d, DIAG_ERROR, sh->path, c ? c->line : reader_table_row_line(sh->t, row), c ? c->col : 1, "%s",
             msg);
}

/* "2563" is a fiscal year, "2563-09" (or 09/2563) a month of one: 0, -1
 * when v is neither, -2 when out of memory (not the file's fault). */
static int parse_period(signoff *s, const char *v)
{
    int64_t y;
    if (strlen(v) == 4 && !reader_parse_int(v, &y) && y >= 2500 && y < 2700) {
        s->fiscal_year = (int)y;
        s->period = util_format("%04d", (int)y);
        return s->period ? 0 : -2;
    }
    if (reader_parse_month(v, &s->month) || s->month.year < 1900)
        return -1;
    int be = s->month.year + 543;
    s->fiscal_year = s->month.month >= 10 ? be + 1 : be;
    s->period = util_format("%04d-%02d", be, s->month.month);
    return s->period ? 0 : -2;
}

static int round_field(signoff *s, const sheet *sh, size_t row, const char *field, const char *v,
                       const reader_cell *at)
{
    int64_t n;
    if (!strcmp(field, "scheme")) {
        if (!v[0] || strchr(v, '/') || v[0] == '.')
            bad(sh, at, row, "the scheme is its name (as in scheme.ini), without a slash");
        else if (strlen(v) > SIGNOFF_MAX_SCHEME)
            bad(sh, at, row, "the scheme's name is longer than 100 bytes: it names the archive's folders, which "
                             "must stay within the file system's limits");
        else if (!s->scheme && !(s->scheme = util_strdup(v)))
            return -1;
        else if (at && !s->scheme_line)
            s->scheme_line = at->line, s->scheme_col = at->col;
    } else if (!strcmp(field, "period")) {
        int p = parse_period(s, v); /* once: a second period row is refused before (repeated) */
        if (p == -2)
            return -1;
        if (p)
            bad(sh, at, row, "the period is a fiscal year (2563) or a month (2563-09)");
    } else if (!strcmp(field, "round")) {
        if (reader_parse_int(v, &n) || n < 1 || n > 999)
            bad(sh, at, row, "the round is a number from 1");
        else
            s->round = (int)n;
    } else if (!strcmp(field, "signed_off")) {
        const char *e = reader_parse_date(v, &s->date);
        if (e)
            bad(sh, at, row, e);
    } else {
        return 1;
    }
    return 0;
}

static int signer_row(signoff *s, const sheet *sh, size_t row, int role, const char *v, const reader_cell *at)
{
    const reader_cell *pc, *dc;
    const char *pos = cell(sh, row, sh->cpos, &pc), *date = cell(sh, row, sh->cdate, &dc);
    if (s->nsigners && (int)s->signers[s->nsigners - 1].role > role)
        bad(sh, at, row, "signers go in the order ผู้จัดทำ, ผู้ตรวจสอบ, ผู้อนุมัติ");
    if (!v[0])
        bad(sh, at, row, "a signer needs a name");
    if (!pos[0])
        bad(sh, pc, row, "a signer needs a position");
    reader_date when = {0, 0, 0};
    const char *e = reader_parse_date(date, &when);
    if (e)
        bad(sh, dc, row, e);
    if (s->nsigners == SIGNOFF_MAX_SIGNERS) {
        bad(sh, at, row, "too many signers (at most 9)");
        return 0;
    }
    signoff_signer *g = &s->signers[s->nsigners++];
    g->role = (signoff_role)role;
    g->date = when;
    g->line = pc ? pc->line : reader_table_row_line(sh->t, row);
    g->col = pc ? pc->col : 1;
    g->name = util_strdup(v);
    g->position = util_strdup(pos);
    return g->name && g->position ? 0 : -1;
}

/* A round field given twice would leave the round to whichever row the
 * code kept: refused, naming both lines. first_line[] holds each field's line. */
static int repeated(const sheet *sh, size_t row, const char *field, const reader_cell *at, int first_line[4])
{
    static const char *const fields[] = {"scheme", "period", "round", "signed_off"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(field, fields[k])) {
            int line = at ? at->line : reader_table_row_line(sh->t, row);
            if (!first_line[k]) {
                first_line[k] = line;
                return 0;
            }
            diag_add(sh->d, DIAG_ERROR, sh->path, line, at ? at->col : 1,
                     "a second '%s' row (the first is on line %d): a sign-off file names one round", field,
                     first_line[k]);
            return 1;
        }
    return 0;
}

static long date_key(reader_date d) { return d.year * 10000L + d.month * 100 + d.day; }

/* What only the whole file can show: every round field given, an approver,
 * nobody signing after the sign-off date. */
static void check_whole(signoff *s, const sheet *sh)
{
    static const char *const need[] = {"scheme", "period", "round", "signed_off"};
    const int have[] = {s->scheme != NULL, s->period != NULL, s->round > 0, s->date.year > 0};
    for (int i = 0; i < 4; i++)
        if (!have[i])
            diag_add(sh->d, DIAG_ERROR, sh->path, 0, 0, "the sign-off file has no valid '%s' row", need[i]);
    if (!s->nsigners || s->signers[s->nsigners - 1].role != ROLE_APPROVER)
        diag_add(sh->d, DIAG_ERROR, sh->path, 0, 0, "a round is signed off by at least one ผู้อนุมัติ");
    for (int i = 0; i < s->nsigners && s->date.year; i++)
        if (date_key(s->signers[i].date) > date_key(s->date))
            diag_add(sh->d, DIAG_ERROR, sh->path, 0, 0, "%s signed after the sign-off date", s->signers[i].name);
}

signoff *signoff_load(const char *path, diag_ctx *d)
{
    int errors = diag_errors(d);
    reader_table *t = reader_read_csv(path, NULL, d);
    if (!t)
        return NULL;
    static const char *const req[] = {"field", "value", NULL}, *const opt[] = {"position", "date", NULL};
    signoff *s = calloc(1, sizeof *s);
    sheet sh = {t, reader_table_column(t, "field"), reader_table_column(t, "value"),
                reader_table_column(t, "position"), reader_table_column(t, "date"), path, d};
    int oom = !s, first_line[4] = {0};
    if (s && reader_table_expect(t, req, opt, d) == 0) {
        for (size_t r = 0; r < reader_table_rows(t) && !oom; r++) {
            const reader_cell *fc, *vc;
            const char *field = cell(&sh, r, sh.cfield, &fc), *v = cell(&sh, r, sh.cvalue, &vc);
            int role = -1;
            for (int k = 0; k < 3; k++)
                if (!strcmp(field, role_th[k]))
                    role = k;
            if (role < 0 && repeated(&sh, r, field, fc, first_line))
                continue;
            int rc = role >= 0 ? signer_row(s, &sh, r, role, v, vc) : round_field(s, &sh, r, field, v, vc);
            if (rc < 0)
                oom = 1;
            else if (rc > 0)
                bad(&sh, fc, r, "unknown field (scheme, period, round, signed_off, ผู้จัดทำ, ผู้ตรวจสอบ or ผู้อนุมัติ)");
        }
        if (!oom)
            check_whole(s, &sh);
        if (!oom && diag_errors(d) == errors && !(s->id = util_format("%s/%s-r%d", s->scheme, s->period, s->round)))
            oom = 1;
    }
    reader_table_free(t);
    if (oom)
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
    if (oom || diag_errors(d) != errors) {
        signoff_free(s);
        return NULL;
    }
    return s;
}

int signoff_position_region(const char *position)
{
    static const char *const words[] = {"เขตสุขภาพที่", "เขต"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++)
        for (const char *p = position; (p = strstr(p, words[w]));) {
            p += strlen(words[w]);
            const char *q = p;
            while (*q == ' ')
                q++;
            long n = 0;
            int digits = 0;
            for (;; digits++) { /* Arabic, or Thai (๐-๙: E0 B9 90-99) */
                if (*q >= '0' && *q <= '9')
                    n = n * 10 + (*q++ - '0');
                else if ((unsigned char)q[0] == 0xE0 && (unsigned char)q[1] == 0xB9 && (unsigned char)q[2] >= 0x90 &&
                         (unsigned char)q[2] <= 0x99)
                    n = n * 10 + ((unsigned char)q[2] - 0x90), q += 3;
                else
                    break;
                if (n > 99)
                    break;
            }
            if (digits && n >= 1 && n <= 13)
                return (int)n;
        }
    return 0;
}

int signoff_check_region(const signoff *s, int region, const char *path, diag_ctx *d)
{
    int n = 0;
    for (int i = 0; region > 0 && i < s->nsigners; i++) {
        const signoff_signer *g = &s->signers[i];
        int named = signoff_position_region(g->position);
        if (named && named != region) {
            diag_add(d, DIAG_WARNING, path, g->line, g->col,
                     "%s %s signs as \"%s\", an office of health region %d, but the round (scheme %s) is region %d's: "
                     "a sign-off copied from another region? Correct the position or the scheme",
                     signoff_role_th(g->role), g->name, g->position, named, s->scheme ? s->scheme : "?", region);
            n++;
        }
    }
    return n;
}
