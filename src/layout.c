/* layout: the block API (documents as a list of blocks) and the document
 * driver (keep rules between blocks, page count, furniture). See
 * layout_int.h for how the parts fit. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------------ */
/* Building                                                            */

int layout_blocks(const layout_doc *d) { return d->n; }

/* A text as the document sets it: in a Thai-digit document converted whole
 * (thai_digits), before it is broken into lines, so that the context that
 * keeps a digit Arabic ("(5 Years)", "F2", "Mean ± 1SD") is read across the
 * whole text, not lost where a line breaks; the line breaker then measures
 * and breaks what is drawn. `arabic`: a text that keeps its digits. */
static char *doc_text(const layout_doc *d, const char *s, int arabic)
{
    if (!s)
        s = "";
    return d->setup.thai_digits && !arabic ? thai_digits(s) : util_strdup(s);
}

static char *doc_text_or_null(const layout_doc *d, const char *s) { return s ? doc_text(d, s, 0) : NULL; }

layout_doc *layout_new(const layout_page_setup *s)
{
    layout_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->setup = *s;
    d->setup.header = d->header = doc_text_or_null(d, s->header);
    d->setup.footer = d->footer = doc_text_or_null(d, s->footer);
    d->setup.draft = d->draft = doc_text_or_null(d, s->draft);
    d->setup.draft_room = d->draft_room = doc_text_or_null(d, s->draft_room);
    if ((s->header && !d->header) || (s->footer && !d->footer) || (s->draft && !d->draft) ||
        (s->draft_room && !d->draft_room)) {
        layout_free(d);
        return NULL;
    }
    return d;
}

void layout_set_numbering(layout_doc *d, int first, int total)
{
    d->setup.first_page_number = first;
    d->setup.total_pages = total;
}

static void free_block(block *b)
{
    free(b->text);
    free(b->text2);
    free(b->text3);
    free(b->rel);
    for (int r = 0; r < b->nrows; r++) {
        for (int c = 0; c < b->rows[r].n; c++)
            free(b->rows[r].cells[c].text);
        free(b->rows[r].cells);
    }
    free(b->rows);
    for (int i = 0; i < b->n; i++)
        if (b->labels)
            free(b->labels[i]);
    for (int i = 0; i < b->nseries; i++) {
        free(b->names[i]);
        free(b->series[i]);
    }
    free(b->labels);
    free(b->names);
    free(b->series);
    free(b->values);
    free(b->shade);
    free(b->reference);
    for (int i = 0; b->ref_labels && b->ref_labels[i]; i++) /* NULL-terminated: whole even when refs failed */
        free(b->ref_labels[i]);
    free(b->ref_labels);
    free(b->refs);
}

void layout_free(layout_doc *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++)
        free_block(&d->blocks[i]);
    free(d->blocks);
    free(d->header);
    free(d->footer);
    free(d->draft);
    free(d->draft_room);
    free(d->source);
    free(d);
}

int layout_set_source(layout_doc *d, const char *name)
{
    free(d->source);
    d->source = name ? util_strdup(name) : NULL;
    return !name || d->source ? 0 : -1;
}

static block *add_block(layout_doc *d, block_type t)
{
    if (util_grow((void **)&d->blocks, &d->cap, d->n + 1, sizeof *d->blocks))
        return NULL;
    block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->type = t;
    return b;
}

static int dup_into(const layout_doc *d, char **dst, const char *s)
{
    *dst = doc_text(d, s, 0);
    return *dst ? 0 : -1;
}

int layout_heading(layout_doc *d, int level, const char *text)
{
    block *b = add_block(d, B_HEADING);
    if (!b)
        return -1;
    b->level = level;
    b->style = (layout_style){level <= 1 ? 20 : level == 2 ? 17 : 16, 1, level <= 1 ? ALIGN_CENTER : ALIGN_LEFT,
                              level <= 1 ? 0 : 8, 4, BLACK};
    return dup_into(d, &b->text, text);
}

int layout_paragraph(layout_doc *d, const char *text, layout_style style)
{
    block *b = add_block(d, B_PARA);
    if (!b)
        return -1;
    b->style = style;
    return dup_into(d, &b->text, text);
}

int layout_keyvalue(layout_doc *d, const char *key, const char *value, double key_width_mm)
{
    block *b = add_block(d, B_KV);
    if (!b)
        return -1;
    b->num = key_width_mm * MM;
    b->style = (layout_style){16, 0, ALIGN_LEFT, 0, 0, BLACK};
    return dup_into(d, &b->text, key) || dup_into(d, &b->text2, value) ? -1 : 0;
}

int layout_spacer(layout_doc *d, double points)
{
    block *b = add_block(d, B_SPACER);
    if (!b)
        return -1;
    b->num = points;
    return 0;
}

int layout_page_break(layout_doc *d) { return add_block(d, B_BREAK) ? 0 : -1; }

int layout_orientation(layout_doc *d, int landscape)
{
    block *b = add_block(d, B_ORIENT);
    if (!b)
        return -1;
    b->num = landscape != 0;
    return 0;
}

int layout_orientation_when_full(layout_doc *d, int landscape)
{
    if (layout_orientation(d, landscape) != 0)
        return -1;
    d->blocks[d->n - 1].level = 1; /* deferred: see render_pass */
    return 0;
}

int layout_signature(layout_doc *d, const char *name, const char *position, const char *date)
{
    block *b = add_block(d, B_SIGN);
    if (!b)
        return -1;
    return dup_into(d, &b->text, name) || dup_into(d, &b->text2, position) || dup_into(d, &b->text3, date) ? -1 : 0;
}

/* Kept as four texts a signer in labels: role, name, position, date. */
int layout_signers(layout_doc *d, const layout_signer *s, int n)
{
    block *b = add_block(d, B_SIGNS);
    if (!b || !(b->labels = calloc((size_t)n * 4, sizeof *b->labels)))
        return -1;
    b->n = n * 4;
    for (int i = 0; i < n; i++) {
        const char *t[4] = {s[i].role, s[i].name, s[i].position, s[i].date};
        for (int k = 0; k < 4; k++)
            if (dup_into(d, &b->labels[i * 4 + k], t[k]))
                return -1;
    }
    return 0;
}

int layout_table_begin(layout_doc *d, const double *rel, int ncols, double font_size, int header_rows)
{
    block *b = add_block(d, B_TABLE);
    if (!b || !(b->rel = malloc((size_t)ncols * sizeof *b->rel)))
        return -1;
    memcpy(b->rel, rel, (size_t)ncols * sizeof *rel);
    b->ncols = ncols;
    b->fsize = font_size;
    b->header_rows = header_rows;
    b->carry_col = -1;
    return 0;
}

int layout_table_carry(layout_doc *d, int col, int decimals)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || b->type != B_TABLE || col < 0 || col >= b->ncols)
        return -1;
    b->carry_col = col;
    b->carry_decimals = decimals;
    return 0;
}

void layout_set_chart_min(layout_doc *d, double points) { d->chart_min = points > 0 ? points : 0; }

int layout_table_balance(layout_doc *d)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || b->type != B_TABLE)
        return -1;
    b->balance = 1;
    return 0;
}

int layout_table_split_tall(layout_doc *d)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || b->type != B_TABLE)
        return -1;
    b->split_tall = 1;
    return 0;
}

int layout_table_snug(layout_doc *d)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || b->type != B_TABLE)
        return -1;
    b->snug = 1;
    return 0;
}

int layout_table_padding(layout_doc *d, double points)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || b->type != B_TABLE || !(points > 0))
        return -1;
    b->hpad = points;
    return 0;
}

int layout_table_row(layout_doc *d, const layout_cell *cells, int n)
{
    block *b = &d->blocks[d->n - 1];
    if (b->type != B_TABLE)
        return -1;
    if (util_grow((void **)&b->rows, &b->rows_cap, (size_t)b->nrows + 1, sizeof *b->rows))
        return -1;
    trow *r = &b->rows[b->nrows];
    r->cells = calloc((size_t)n, sizeof *r->cells);
    if (!r->cells)
        return -1;
    r->n = n;
    b->nrows++;
    for (int i = 0; i < n; i++) {
        cell *c = &r->cells[i];
        c->align = cells[i].align;
        c->bold = (cells[i].bold & ~LAYOUT_ARABIC) != 0; /* its face */
        c->shade = cells[i].shade;
        c->colspan = cells[i].colspan > 1 ? cells[i].colspan : 1;
        c->cont = cells[i].continues;
        c->keep = cells[i].keep_with_next;
        if (!(c->text = doc_text(d, cells[i].text, cells[i].bold & LAYOUT_ARABIC)))
            return -1;
    }
    return 0;
}

int layout_table_end(layout_doc *d) { return d->n && d->blocks[d->n - 1].type == B_TABLE ? 0 : -1; }

/* A copy of n strings (as the document sets them), or NULL (nothing
 * half-copied) when memory runs out. */
static char **copy_strings(const layout_doc *d, const char *const *s, int n)
{
    char **out = calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out && i < n; i++)
        if (!(out[i] = doc_text(d, s[i], 0))) {
            for (int k = 0; k < i; k++)
                free(out[k]);
            free(out);
            return NULL;
        }
    return out;
}

static double *copy_doubles(const double *v, int n)
{
    double *out = malloc(((size_t)n + 1) * sizeof *out);
    if (out && n)
        memcpy(out, v, (size_t)n * sizeof *v);
    return out;
}

int layout_bar_chart(layout_doc *d, const char *title, const char *const *labels, const double *values,
                     const double *shade, int n, double mean, double sd, double max_value, const char *legend)
{
    block *b = add_block(d, B_BAR);
    if (!b)
        return -1;
    b->n = n;
    b->labels = copy_strings(d, labels, n);
    b->values = copy_doubles(values, n);
    b->shade = copy_doubles(shade, n);
    b->mean = mean;
    b->sd = sd;
    b->maxv = max_value;
    if (!b->labels || !b->values || !b->shade)
        return -1;
    return dup_into(d, &b->text, title) || dup_into(d, &b->text2, legend) ? -1 : 0;
}

int layout_line_chart(layout_doc *d, const char *title, const char *const *xl, int nx, const double *const *series,
                      const char *const *names, int nseries, const double *reference, double lo_limit,
                      double hi_limit, const char *legend)
{
    block *b = add_block(d, B_LINE);
    if (!b)
        return -1;
    b->n = nx;
    b->labels = copy_strings(d, xl, nx);
    b->names = calloc((size_t)nseries + 1, sizeof *b->names);
    b->series = calloc((size_t)nseries + 1, sizeof *b->series);
    if (!b->labels || !b->names || !b->series)
        return -1;
    b->nseries = nseries;
    for (int i = 0; i < nseries; i++) {
        b->names[i] = doc_text(d, names[i], 0);
        b->series[i] = copy_doubles(series[i], nx);
        if (!b->names[i] || !b->series[i])
            return -1;
    }
    if (reference && !(b->reference = copy_doubles(reference, nx)))
        return -1;
    b->lo_limit = lo_limit;
    b->hi_limit = hi_limit;
    return dup_into(d, &b->text, title) || dup_into(d, &b->text2, legend) ? -1 : 0;
}

int layout_chart_references(layout_doc *d, const double *values, const char *const *labels, int n)
{
    block *b = d->n ? &d->blocks[d->n - 1] : NULL;
    if (!b || (b->type != B_BAR && b->type != B_LINE) || b->nrefs || n < 0)
        return -1;
    if (!n)
        return 0;
    b->refs = copy_doubles(values, n);
    b->ref_labels = copy_strings(d, labels, n);
    if (!b->refs || !b->ref_labels)
        return -1;
    b->nrefs = n;
    return 0;
}

static double lead_height(rctx *c, int i, int depth);

/* The room heading i needs below its space before: all its lines, its
 * space after and what it keeps with (lead_height), and never less than
 * ly_text_block keeps for it. (Counting one line and no space after left a
 * heading alone at a page foot when the room was short by that much.) */
static double heading_need(rctx *c, int i)
{
    const block *b = &c->d->blocks[i];
    const lines *L = ly_break_lines(c, b->text, c->x1 - c->x0, b->style.size, 1);
    double pitch = ly_text_metrics(c, b->text, b->style.size, 1).pitch;
    int n = L ? L->n : 1;
    return fmax(n * pitch + b->style.space_after + lead_height(c, i + 1, 0), ly_text_keep(c, n, pitch, 1));
}

static double lead_height(rctx *c, int i, int depth)
{
    if (i >= c->d->n)
        return 0;
    const block *b = &c->d->blocks[i];
    switch (b->type) {
    case B_PARA: {
        /* broken first: the metrics then measure the words already shaped */
        const lines *L = ly_break_lines(c, b->text, c->x1 - c->x0, b->style.size, b->style.bold);
        double pitch = ly_text_metrics(c, b->text, b->style.size, b->style.bold).pitch;
        int n = L ? L->n : 0;
        if (n > 4 && n * pitch > KEEP_WHOLE * (c->ytop - c->ybot)) /* not kept whole (ly_text_block) */
            return 2 * pitch;
        return n * pitch + b->style.space_before + b->style.space_after + (depth ? 0 : lead_height(c, i + 1, 1));
    }
    case B_TABLE: { /* a short table moves whole (see render_table): keep it all */
        double row = b->fsize * 1.7 + 2 * PAD, all = b->nrows * row;
        int sign_next = i + 1 < c->d->n && (c->d->blocks[i + 1].type == B_SIGN || c->d->blocks[i + 1].type == B_SIGNS);
        /* the rows as they will be set: a first row of many lines counts whole */
        int whole;
        double real = ly_table_lead(c, b, &whole);
        if (b->nrows <= 12 && all <= (c->ytop - c->ybot) / 2)
            return fmax(all, real) + 10 + (!depth && sign_next ? lead_height(c, i + 1, 1) : 0);
        return fmax(3 * row, real) + 10;
    }
    case B_HEADING: /* right after a heading: this one and what it keeps, or the first stands alone */
        if (!depth)
            return b->style.space_before + heading_need(c, i);
        return 2 * ly_line_height(c, 16);
    case B_SIGN: return ly_signature_height(c, b);
    case B_SIGNS: return ly_signers_height(c, b);
    case B_BAR:
    case B_LINE: return ly_chart_lead(c, b);
    default: return 2 * ly_line_height(c, 16);
    }
}


static void render_heading(rctx *c, const block *b)
{
    /* a heading that opens a page stays there, even when what it keeps with does not fit one page
     * (its space before had made the page look begun: the official handout's appendix heading left
     * a blank page behind it) */
    int top = c->y >= c->ytop - 1;
    c->y -= b->style.space_before;
    if (!top)
        ly_ensure(c, heading_need(c, (int)(b - c->d->blocks))); /* keep with what follows */
    ly_outline(c, b->level - 1, b->text, c->y);
    layout_style st = b->style;
    st.space_before = 0;
    ly_text_block(c, b->text, st, c->x0, c->x1 - c->x0, 1);
}

/* layout_orientation: the pages from here on turned, on a new page unless
 * nothing is on this one yet. */
static void turn_pages(rctx *c, int landscape)
{
    if (landscape == c->landscape)
        return;
    if (c->y < c->ytop - 1)
        ly_new_page(c);
    ly_page_geometry(c, landscape);
    c->ybot = ly_body_bottom(c); /* the footer may take another line on this paper */
    c->y = c->ytop;
    if (ly_list_set_landscape(c->out, c->page, landscape) != 0)
        c->err = 1;
}

/* ------------------------------------------------------------------ */

/* What block i needs on the page where it begins: its lead, a heading
 * with what it keeps with. */
static double block_need(rctx *c, int i)
{
    const block *b = &c->d->blocks[i];
    if (b->type != B_HEADING)
        return lead_height(c, i, 1);
    return b->style.space_before + heading_need(c, i);
}

/* The height of the blocks from i up to the next page break, turn or the
 * end, at the current page's measure; *ok = 0 when one of them cannot be
 * told whole (a table that splits, a chart, signatures). */
static double rest_height(rctx *c, int i, int *ok)
{
    double h = 0;
    *ok = 1;
    for (; i < c->d->n && *ok; i++) {
        const block *b = &c->d->blocks[i];
        if (b->type == B_BREAK || b->type == B_ORIENT)
            break;
        if (b->type == B_PARA || b->type == B_HEADING) {
            const lines *L = ly_break_lines(c, b->text, c->x1 - c->x0, b->style.size, b->type == B_HEADING || b->style.bold);
            double pitch = ly_text_metrics(c, b->text, b->style.size, b->type == B_HEADING || b->style.bold).pitch;
            h += (L ? L->n : 1) * pitch + b->style.space_before + b->style.space_after;
        } else if (b->type == B_SPACER) {
            h += b->num;
        } else if (b->type == B_TABLE) {
            int whole;
            h += ly_table_lead(c, b, &whole) + 10;
            *ok = whole;
        } else {
            *ok = 0;
        }
    }
    return h;
}

/* The height of the blocks from i on (rest_height) on a page turned to
 * `to`, and that page's body height in *frame. */
static double turned_rest(rctx *c, int i, int to, int *ok, double *frame)
{
    int own = c->landscape;
    double ybot = c->ybot;
    ly_page_geometry(c, to);
    c->ybot = ly_body_bottom(c);
    double h = rest_height(c, i, ok);
    *frame = c->ytop - c->ybot;
    ly_page_geometry(c, own);
    c->ybot = ybot;
    return h;
}

/* The least share of a turned page that what goes over to it holds: a
 * handout's page 2 with more than the last paragraph left over. */
#define TURNED_LEAST 0.25

/* Whether a deferred turn (layout_orientation_when_full) is taken before
 * block i: when the block does not fit on this page; or when what follows
 * needs the turned page anyway and, were block i to stay here, would
 * leave that page under TURNED_LEAST: then block i goes over with it (the
 * page before keeps what fits, the turned page more than a paragraph). */
static int take_turn(rctx *c, int i)
{
    if (c->y - block_need(c, i) < c->ybot)
        return c->y < c->ytop - 1;
    int ok, fits;
    double here = rest_height(c, i, &ok), frame;
    fits = ok && c->y - here >= c->ybot;
    /* ... and each block where it would begin, with what it keeps (a heading with its paragraph and what
     * follows that): a heading the sum let through went over alone (region 13's crisis heading, 8 %) */
    for (int j = i + 1, k; fits && j < c->d->n; j++) {
        const block *b = &c->d->blocks[j];
        if (b->type == B_BREAK || b->type == B_ORIENT)
            break;
        fits = c->y - (here - rest_height(c, j, &k)) - block_need(c, j) >= c->ybot;
    }
    if (fits)
        return 0; /* all of it fits here: nothing turns */
    double after = turned_rest(c, i + 1, c->pending_turn, &ok, &frame);
    return ok && after > 0 && after < TURNED_LEAST * frame;
}

/* The least of the page a signature page holds of the text it signs, when
 * the signatures go over: a fifth of the body (the modern scorecard's
 * signature page held one bullet of its rules over the signers, 42 % full
 * after a page 73 % full; now 65 % after 50 %; region 5's 61 % after 46 %,
 * where a quarter left the page before 42 %). */
#define SIGN_CARRY 0.2

/* The height of paragraph, heading or spacer b set at the page's measure; -1 for any other block. */
static double text_height(rctx *c, const block *b)
{
    if (b->type == B_SPACER)
        return b->num;
    if (b->type != B_PARA && b->type != B_HEADING)
        return -1;
    int bold = b->type == B_HEADING || b->style.bold;
    const lines *L = ly_break_lines(c, b->text, c->x1 - c->x0, b->style.size, bold);
    double pitch = ly_text_metrics(c, b->text, b->style.size, bold).pitch;
    return (L ? L->n : 1) * pitch + b->style.space_before + b->style.space_after;
}

/* Whether the page breaks before block i so that the signatures after the
 * run of paragraphs (and spacers, from its heading at most) block i is in
 * take SIGN_CARRY of a page of that text with them: i begins the shortest
 * end of the run that holds as much (or the run, when it holds less), and
 * that end with the signatures does not fit in what is left of this page
 * but does fit a page of its own. */
static int carry_to_signatures(rctx *c, int i)
{
    const block *b = &c->d->blocks[i];
    if ((b->type != B_PARA && b->type != B_HEADING) || c->y >= c->ytop - 1)
        return 0;
    int s = i + 1;
    while (s < c->d->n && (c->d->blocks[s].type == B_PARA || c->d->blocks[s].type == B_SPACER))
        s++;
    if (s >= c->d->n || (c->d->blocks[s].type != B_SIGN && c->d->blocks[s].type != B_SIGNS))
        return 0;
    double frame = c->ytop - c->ybot, carry = 0;
    int j = s - 1;
    for (;; j--) {
        const block *k = &c->d->blocks[j];
        carry += text_height(c, k);
        if (carry >= SIGN_CARRY * frame || k->type == B_HEADING || j == 0 ||
            (c->d->blocks[j - 1].type != B_PARA && c->d->blocks[j - 1].type != B_SPACER &&
             c->d->blocks[j - 1].type != B_HEADING))
            break;
    }
    while (j < s && c->d->blocks[j].type == B_SPACER) /* (a spacer does not open the page) */
        carry -= text_height(c, &c->d->blocks[j++]);
    double all = carry + lead_height(c, s, 1);
    return j == i && c->y - all < c->ybot && all <= frame;
}

static void render_pass(rctx *c)
{
    c->page = 0;
    c->pending_turn = -1;
    ly_new_page(c);
    for (int i = 0; i < c->d->n && !c->err; i++) {
        const block *b = &c->d->blocks[i];
        /* a deferred turn (layout_orientation_when_full) begins the page of the first block that does not
         * fit on this one, or that should go over with what follows (take_turn) */
        if (c->pending_turn >= 0 && b->type != B_ORIENT && b->type != B_BREAK && b->type != B_SPACER &&
            take_turn(c, i)) {
            turn_pages(c, c->pending_turn);
            c->pending_turn = -1;
        }
        /* a signature never stands alone on a page: what it signs goes along, a share of a page of it */
        if (carry_to_signatures(c, i))
            ly_new_page(c);
        const block *nb = i + 1 < c->d->n ? &c->d->blocks[i + 1] : NULL;
        if (nb && (nb->type == B_SIGN || nb->type == B_SIGNS) && b->type != B_HEADING && b->type != B_BREAK)
            ly_ensure(c, lead_height(c, i, 1) + lead_height(c, i + 1, 1));
        switch (b->type) {
        case B_HEADING: render_heading(c, b); break;
        case B_PARA: ly_text_block(c, b->text, b->style, c->x0, c->x1 - c->x0, 0); break;
        case B_KV: ly_render_kv(c, b); break;
        case B_SPACER: c->y -= b->num; break;
        case B_BREAK: c->pending_turn = -1, ly_new_page(c); break;
        case B_ORIENT:
            c->pending_turn = -1;
            if (b->level) /* deferred: taken where take_turn says */
                c->pending_turn = (b->num != 0) != c->landscape ? b->num != 0 : -1;
            else
                turn_pages(c, b->num != 0);
            break;
        case B_SIGN: ly_render_signature(c, b); break;
        case B_SIGNS: ly_render_signers(c, b); break;
        case B_TABLE: ly_render_table(c, b); break;
        case B_BAR: ly_render_bar(c, b); break;
        case B_LINE: {
            int ok;
            double after = rest_height(c, i + 1, &ok);
            c->after = ok ? after : -1;
            ly_render_linechart(c, b);
            break;
        }
        }
    }
}

/* Tells the line breaker every text of the document before it breaks the
 * first, and the few the layout adds: libthai's dictionary is then opened
 * once, on the part of it these texts reach (thai_breaker_prime). */
static int prime_breaker(rctx *c)
{
    static const char *const own[] = {"ร่าง", "หน้า", "(ต่อ)", "ยอดยกไป", "ยอดยกมา"};
    const layout_doc *d = c->d;
    const char *furniture[] = {d->header, d->footer, d->draft, d->draft_room};
    int rc = 0;
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        rc |= thai_breaker_prime(c->breaker, own[i]);
    for (size_t i = 0; i < sizeof furniture / sizeof *furniture; i++)
        rc |= thai_breaker_prime(c->breaker, furniture[i]);
    for (int i = 0; i < d->n && !rc; i++) {
        const block *b = &d->blocks[i];
        rc |= thai_breaker_prime(c->breaker, b->text) | thai_breaker_prime(c->breaker, b->text2) |
              thai_breaker_prime(c->breaker, b->text3);
        for (int r = 0; r < b->nrows; r++)
            for (int k = 0; k < b->rows[r].n; k++)
                rc |= thai_breaker_prime(c->breaker, b->rows[r].cells[k].text);
        for (int k = 0; b->labels && k < b->n; k++)
            rc |= thai_breaker_prime(c->breaker, b->labels[k]);
        for (int k = 0; b->names && k < b->nseries; k++)
            rc |= thai_breaker_prime(c->breaker, b->names[k]);
        for (int k = 0; b->ref_labels && k < b->nrefs; k++)
            rc |= thai_breaker_prime(c->breaker, b->ref_labels[k]);
    }
    return rc;
}

/* The footer broken into out[] in a measure: the whole footer when it fits;
 * else one line per run of its parts between " · " (the document, then the
 * data's date) when each run fits; else as the line breaker breaks it (the
 * rest on the last line when it takes more than FOOTER_LINES). The count. */
static int break_footer(rctx *c, const char *f, double measure, line_span *out)
{
    size_t len = strlen(f);
    if (ly_width_of(c, f, len, FOOTER_SIZE, 0) <= measure) {
        out[0] = (line_span){0, len, -1};
        return 1;
    }
    /* greedy over the parts: "A  ·  B" breaks after the dot's blanks */
    static const char dot[] = "\xc2\xb7"; /* U+00B7 MIDDLE DOT */
    int n = 0, fits = 1;
    size_t start = 0;
    while (start < len && n < FOOTER_LINES && fits) {
        size_t end = 0;
        for (const char *p = f + start;;) {
            const char *sep = strstr(p, dot);
            size_t e = sep ? (size_t)(sep - f) : len;
            while (e > start && f[e - 1] == ' ')
                e--;
            if (end && ly_width_of(c, f + start, e - start, FOOTER_SIZE, 0) > measure)
                break;
            end = e;
            if (!sep)
                break;
            p = sep + strlen(dot);
        }
        fits = ly_width_of(c, f + start, end - start, FOOTER_SIZE, 0) <= measure;
        out[n++] = (line_span){start, end, -1};
        const char *next = strstr(f + end, dot);
        start = next ? (size_t)(next - f) + strlen(dot) : len;
        while (start < len && f[start] == ' ')
            start++;
    }
    if (fits && start >= len)
        return n;
    const lines *L = ly_break_lines(c, f, measure, FOOTER_SIZE, 0);
    if (!L)
        return 0;
    n = L->n < FOOTER_LINES ? L->n : FOOTER_LINES;
    for (int i = 0; i < n; i++)
        out[i] = L->v[i];
    if (n && L->n > n)
        out[n - 1].end = L->v[L->n - 1].end; /* the rest on the last line, set smaller */
    return n;
}

/* The running footer's lines on paper of one orientation (c's geometry),
 * at FOOTER_SIZE, never set smaller to fit (a portrait page once set it at
 * 8.4 pt), and the line the page number stands beside (at the foot, modern
 * style): broken in the whole measure, the number beside the last line
 * that leaves it room (the last one first); when none does, broken again
 * in the measure left of the number's room, the number beside the last.
 * A footer that fills one line alone, with no room for the number beside
 * it, keeps its line, and the number stands on the row above, the draft
 * line's (foot_number -1; the row every page keeps, a final's too): a
 * second footer line took the body's room (the summary's score chart left
 * its table's page). The footer is the same text on every page and in
 * every style: its date was set short ("๑๐ ต.ค. ๖๓") where a Thai-digit
 * footer did not fit one line beside the number, under "ข้อมูล ณ วันที่
 * ๑๐ ตุลาคม ๒๕๖๓" on the document's first page. */
static void footer_lines_for(rctx *c, int o)
{
    const char *f = c->d->setup.footer;
    c->nfoot[o] = 0;
    c->foot_number[o] = 0;
    if (!f)
        return;
    double measure = c->x1 - c->x0, room = ly_number_room(c);
    line_span *out = c->foot[o];
    int n = break_footer(c, f, measure, out);
    if (n == 1 && room > 0 && ly_width_of(c, f, strlen(f), FOOTER_SIZE, 0) + room > measure &&
        ly_draft_width(c) + room <= measure) {
        c->nfoot[o] = 1;
        c->foot_number[o] = -1;
        return;
    }
    for (int i = n - 1; i >= 0; i--)
        if (ly_width_of(c, f + out[i].start, out[i].end - out[i].start, FOOTER_SIZE, 0) + room <= measure) {
            c->nfoot[o] = n;
            c->foot_number[o] = i;
            return;
        }
    n = break_footer(c, f, measure - room, out);
    c->nfoot[o] = n;
    c->foot_number[o] = n ? n - 1 : 0;
}

/* The footer on each paper. */
static void footer_lines(rctx *c)
{
    int own = c->landscape;
    for (int o = 0; o < 2; o++) {
        ly_page_geometry(c, o);
        footer_lines_for(c, o);
    }
    ly_page_geometry(c, own);
}

/* Lays the body out, then adds the running header, footer and "หน้า x / y"
 * to every page once the page count is known. */
layout_list *layout_build(layout_doc *d, pdf_doc *pdf, diag_ctx *diag)
{
    const layout_page_setup *s = &d->setup;
    rctx c = {.d = d, .pdf = pdf, .breaker = thai_breaker_new(), .cache = ly_cache_new()};
    thai_breaker_use_words(c.breaker, s->words);
    ly_page_geometry(&c, s->landscape);
    c.x0 = s->margin_left;
    c.ybot = s->margin_bottom;
    c.out = ly_list_new(c.pw, c.ph);
    c.err = !c.breaker || !c.cache || !c.out;
    if (!c.err)
        c.err = prime_breaker(&c) != 0;
    if (!c.err)
        footer_lines(&c);
    if (!c.err)
        c.ybot = ly_body_bottom(&c); /* measures the footer's glyphs: needs the cache */
    if (!c.err)
        render_pass(&c);
    c.total = c.page;
    c.furniture = 1;
    for (int i = 0; i < c.total && !c.err; i++) {
        c.page = i + 1;
        double w, h;
        ly_list_page_size(c.out, c.page, &w, &h); /* each page's furniture on its own paper */
        ly_page_geometry(&c, w > h);
        ly_furniture(&c);
    }
    if (!c.err && ly_list_seal(c.out) != 0)
        c.err = 1;
    ly_table_forget(&c);
    thai_breaker_free(c.breaker);
    ly_cache_free(c.cache);
    if (!c.err && c.words_cut)
        diag_add(diag, DIAG_WARNING, d->source, 0, 0,
                 "%d word%s wider than %s box had to be cut inside, first \"%s\" on page %d (a column or line "
                 "too narrow; cut between words where a dictionary knows them)",
                 c.words_cut, c.words_cut == 1 ? "" : "s", c.words_cut == 1 ? "its" : "their", c.first_cut,
                 c.first_cut_page);
    if (c.err) {
        layout_list_free(c.out);
        diag_add(diag, DIAG_SYSTEM, NULL, 0, 0, "layout failed (out of memory)");
        return NULL;
    }
    return c.out;
}

int layout_render(layout_doc *d, pdf_doc *pdf, diag_ctx *diag)
{
    layout_list *l = layout_build(d, pdf, diag);
    int pages = l && layout_paint(l, pdf, diag) == 0 ? layout_list_pages(l) : -1;
    layout_list_free(l);
    return pages;
}
