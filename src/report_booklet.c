/* report_booklet: a booklet's cover and contents (templates/reports/booklet.md):
 * the contents' groups and the page each bound document starts on.
 * Binding the documents into one PDF is booklet.c's. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#include "inspection.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* The booklet of an inspection round: cover and contents               */

/* The cover and contents are centred and a little larger than body text. */
const layout_style cover_style = {18, 0, ALIGN_CENTER, 0, 10, {0, 0, 0}};

void booklet_vars(rctx *c)
{
    const score_result *r = main_result(c->rd);
    var_set(&c->v, "round", plain_int(c, inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month)));
    /* the document date (--date), or a line for the pen, as in the signature blocks */
    var_set(&c->v, "date", c->o->date.year ? thai_date(c->o->date, 0, c->o->thai_digits)
                                           : util_strdup("......../......../........"));
    var_set(&c->v, "documents", integer(c, c->rd->ncontents));
}

static const char *const bound_reports[] = {"kpi", "summary", "scorecard", "monthly"};

/* In the body of a contents block, the heading that report's documents
 * are listed under ("scorecard: ผลการประเมินรายจังหวัด"): a pointer into
 * body and its length, or NULL when the report has none. */
static const char *group_in(const char *body, const char *report, size_t *len)
{
    size_t rl = strlen(report);
    for (const char *p = body ? body : ""; *p;) {
        size_t n = strcspn(p, "\n"), lead = strspn(p, " \t");
        if (n > lead + rl && !strncmp(p + lead, report, rl) && p[lead + rl] == ':') {
            const char *l = p + lead + rl + 1, *e = p + n;
            while (l < e && (*l == ' ' || *l == '\t'))
                l++;
            while (e > l && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                e--;
            *len = (size_t)(e - l);
            return *len ? l : NULL;
        }
        p += n + (p[n] == '\n');
    }
    return NULL;
}

/* Each line of a contents block must name a report and a heading. */
static int check_groups(rctx *c)
{
    int bad = 0, line = c->block_line + 1;
    for (const char *p = c->block_body ? c->block_body : ""; *p; line++) {
        size_t n = strcspn(p, "\n"), known = 0, len;
        if (strspn(p, " \t\r") < n) {
            for (size_t i = 0; i < sizeof bound_reports / sizeof *bound_reports; i++) {
                size_t rl = strlen(bound_reports[i]), lead = strspn(p, " \t");
                known |= !strncmp(p + lead, bound_reports[i], rl) && p[lead + rl] == ':' &&
                         group_in(p, bound_reports[i], &len) != NULL;
            }
            if (!known) {
                diag_add(c->d, DIAG_ERROR, c->file, line, 1,
                         "a contents line is REPORT: HEADING, REPORT one of kpi, summary, scorecard, monthly");
                bad = 1;
            }
        }
        p += n + (p[n] == '\n');
    }
    return bad;
}

static void contents_row(rctx *c, const char *title, size_t tlen, int page, int indent, int bold)
{
    char *t = util_strndup(title, tlen), *pg = integer(c, page);
    /* the indent of a group's documents reads as one blank column under its heading */
    layout_cell cells[3] = {{"", ALIGN_LEFT, 0, 0, 1, 1, 0},
                            {t, ALIGN_LEFT, bold, 0, indent ? 1 : 2, 0, bold},
                            {pg, ALIGN_RIGHT, bold, 0, 1, 0, 0}};
    if (!t || !pg || layout_table_row(c->doc, indent ? cells : cells + 1, indent ? 3 : 2) != 0)
        c->err = 1;
    free(t);
    free(pg);
}

/* The booklet's contents: every document bound, with the page it starts
 * on; the documents of a report named in the block's body are listed under
 * its heading. The page numbers are the booklet's (see booklet.c). */
void block_contents(rctx *c)
{
    const report_data *rd = c->rd;
    static const double w[] = {0.05, 0.80, 0};
    if (check_groups(c))
        return;
    free(c->contents_body);
    if (!(c->contents_body = util_strdup(c->block_body ? c->block_body : "")) || table_begin(c, w, 3, 16, 1) != 0) {
        c->err = 1;
        return;
    }
    layout_cell head[] = {{"เรื่อง", ALIGN_CENTER, 1, 1, 2, 0, 0}, {"หน้า", ALIGN_CENTER, 1, 1, 1, 0, 0}};
    if (layout_table_row(c->doc, head, 2) != 0)
        c->err = 1;
    const char *open = NULL;
    for (int i = 0; i < rd->ncontents && !c->err; i++) {
        const report_contents_entry *e = &rd->contents[i];
        size_t glen = 0;
        const char *g = group_in(c->block_body, e->report, &glen);
        if (g && (!open || strcmp(open, e->report)))
            contents_row(c, g, glen, e->page, 0, 1);
        open = g ? e->report : NULL;
        contents_row(c, e->title, strlen(e->title), e->page, g != NULL, 0);
    }
    layout_table_end(c->doc);
}

int report_contents_group(const report_built *front, const char *report, char **label)
{
    size_t len = 0;
    const char *g = group_in(front->contents_body, report, &len);
    *label = g ? util_strndup(g, len) : NULL;
    return g && !*label ? -1 : 0;
}
