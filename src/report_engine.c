/* report_engine: the template engine: reads templates/reports/NAME.md (CommonMark,
 * libcmark), checks it, fills its {{placeholders}}, walks its blocks and
 * places each fenced block through the table of data-bound blocks below;
 * builds, saves and renders a report (report_build, report_render).
 * The blocks themselves live in report_<document>.c and report_common.c. */
#include "report_int.h"

#include <cmark.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdf.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Placeholders                                                        */

void var_set(vars *v, const char *name, char *value) /* takes value */
{
    if (!value || v->n == MAX_VARS) {
        v->oom = 1;
        free(value);
        return;
    }
    v->name[v->n] = name;
    v->value[v->n++] = value;
}

void var_absent(vars *v, const char *name)
{
    var_set(v, name, util_strdup(""));
    if (!v->oom && v->n && v->name[v->n - 1] == name)
        v->absent[v->n - 1] = 1;
}

int names_absent(const vars *v, const char *text)
{
    for (int i = 0; i < v->n; i++)
        if (v->absent[i]) {
            size_t n = strlen(v->name[i]);
            for (const char *p = text; (p = strstr(p, "{{")); p += 2)
                if (!strncmp(p + 2, v->name[i], n) && !strncmp(p + 2 + n, "}}", 2))
                    return 1;
        }
    return 0;
}

static void vars_free(vars *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->value[i]);
}

/* Replaces {{name}} in text; an unknown name or a "{{" never closed is an
 * error at the template line, a placeholder with nothing to show a warning
 * (the page would have a gap where the template expects a value). */
char *fill_placeholders(const vars *v, const char *text, const char *file, int line, diag_ctx *d)
{
    strbuf b = {0};
    const char *p = text;
    for (const char *open; (open = strstr(p, "{{"));) {
        const char *close = strstr(open, "}}");
        if (!close) {
            diag_add(d, DIAG_ERROR, file, line, 0, "'{{' is never closed by '}}' (near \"%.20s\")", open);
            break;
        }
        sb_append(&b, p, (size_t)(open - p));
        size_t n = (size_t)(close - open - 2);
        int found = 0;
        for (int i = 0; i < v->n && !found; i++)
            if (strlen(v->name[i]) == n && !strncmp(v->name[i], open + 2, n)) {
                sb_puts(&b, v->value[i]);
                found = 1;
                if (!v->value[i][0])
                    diag_add(d, DIAG_WARNING, file, line, 0, "placeholder {{%.*s}} is empty here: nothing is printed",
                             (int)n, open + 2);
            }
        if (!found)
            diag_add(d, DIAG_ERROR, file, line, 0, "unknown placeholder {{%.*s}}", (int)n, open + 2);
        p = close + 2;
    }
    sb_puts(&b, p);
    return sb_finish(&b);
}

/* The pages from here on portrait (narrative, signatures) or landscape
 * (wide tables): a template turns them where its content changes kind. */
static void block_portrait(rctx *c)
{
    if (layout_orientation(c->doc, 0) != 0)
        c->err = 1;
}
static void block_landscape(rctx *c)
{
    if (layout_orientation(c->doc, 1) != 0)
        c->err = 1;
}
/* Landscape in the official style only: its tables are never below 14 pt,
 * and a table of amounts (the summary's money table: three columns of
 * satang-exact figures in Thai digits) does not fit a portrait page at
 * that size (it was set at 11.5 pt). */
static void block_landscape_official(rctx *c)
{
    if (c->o->style == REPORT_STYLE_OFFICIAL)
        block_landscape(c);
}
/* Turned from the page the document begins anyway: a short handout's
 * narrative stays under its table on page 1, a longer one's page 2 is portrait. */
static void block_portrait_when_full(rctx *c)
{
    if (layout_orientation_when_full(c->doc, 0) != 0)
        c->err = 1;
}
static void block_landscape_when_full(rctx *c)
{
    if (layout_orientation_when_full(c->doc, 1) != 0)
        c->err = 1;
}

typedef struct {
    const char *name;
    void (*fn)(rctx *c);
    int need; /* 1 finance, 2 kpi, 3 scorecard province, 4 monthly, 5 booklet */
} block_def;

static const block_def blocks[] = {
    {"table criteria", block_criteria, 3},    {"keyvalues result", block_result, 3},
    {"table summary", block_summary, 1},      {"table money", block_money, 1},
    {"table grades", block_grades, 0},        {"table hospitals", block_hospitals, 3},        {"chart scores", block_chart_scores, 1},
    {"table crisis", block_crisis, 4},        {"crisis", block_crisis_words, 4},        {"table kpi", block_kpi, 2},              {"table kpi-result", block_kpi_result, 2},
    {"table small-success", block_small_success, 2}, {"table cmi-levels", block_cmi_levels, 2},
    {"notes problems", block_notes_problems, 2}, {"notes suggestions", block_notes_suggestions, 2},
    {"notes good-practice", block_notes_good, 2},              {"table cmi", block_cmi, 2},
    {"table cmi-summary", block_cmi_summary, 2}, {"table monthly", block_monthly, 4},
    {"table other-grades", block_other_grades, 4},
    {"chart cmi-trend", block_cmi_trend, 4},  {"signatures", block_signatures, 0},
    {"table meeting", block_meeting, 2},      {"preparer", block_preparer, 2}, {"reporter", block_reporter, 2},
    {"data-quality", block_data_quality, 0},  {"rules", block_rules, 1},
    {"contents", block_contents, 5},          {"page portrait", block_portrait, 0},
    {"page landscape", block_landscape, 0},   {"page portrait when full", block_portrait_when_full, 0},
    {"page landscape when full", block_landscape_when_full, 0}, {"page landscape official", block_landscape_official, 0},
    {"changes", block_changes, 4},           {"appendix", block_appendix, 4},
    {"cmi-trend-note", block_cmi_trend_note, 4},
};

/* The blocks that read the text between their fences; in any other, text
 * there means a closing fence is missing above (add a block here when it
 * takes text). */
static int takes_text(const char *name) { return !strcmp(name, "signatures") || !strcmp(name, "contents"); }

static int block_ok(const rctx *c, int need)
{
    const report_data *rd = c->rd;
    switch (need) {
    case 1: return rd->finance != NULL;
    case 2: return rd->kpi != NULL;
    case 3: return rd->finance && rd->province >= 0;
    case 4: return rd->finance && rd->kpi && rd->kpi_by_month;
    case 5: return !strcmp(c->name, "booklet");
    default: return 1;
    }
}

/* The finance documents (scorecard, summary) carry the scheme's rules. */
static int wants_rules(const rctx *c) { return !strcmp(c->name, "scorecard") || !strcmp(c->name, "summary"); }

/* A fenced block's name: its info string without the blanks after it. */
static void block_name(const char *info, char *name, size_t size)
{
    snprintf(name, size, "%s", info ? info : "");
    size_t n = strlen(name);
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\n'))
        name[--n] = 0;
}

/* Whether walk() will place a block of this name: one at the top level or
 * in a block quote, as walk goes (asked of cmark's tree, not of the text, so
 * a ~~~ or longer fence counts and a fence inside a comment does not). */
static int places_block(cmark_node *root, const char *want)
{
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n)) {
        cmark_node_type type = cmark_node_get_type(n);
        char name[64];
        if (type == CMARK_NODE_BLOCK_QUOTE && places_block(n, want))
            return 1;
        if (type != CMARK_NODE_CODE_BLOCK)
            continue;
        block_name(cmark_node_get_fence_info(n), name, sizeof name);
        if (!strcmp(name, want))
            return 1;
    }
    return 0;
}

static void place_block(rctx *c, const char *info, const char *body, int line)
{
    c->block_body = body;
    c->block_line = line;
    char name[64];
    block_name(info, name, sizeof name);
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (!strcmp(blocks[i].name, name)) {
            if (!block_ok(c, blocks[i].need)) {
                diag_add(c->d, DIAG_ERROR, c->file, line, 1, "block '%s' does not belong in this report", name);
                return;
            }
            if (!takes_text(name) && body && strspn(body, " \t\r\n") < strlen(body)) {
                /* only signatures has a body: text here means a closing fence is missing above */
                diag_add(c->d, DIAG_ERROR, c->file, line, 1,
                         "block '%s' takes no text, but text follows it up to the next ``` line: "
                         "is its closing ``` missing?", name);
                return;
            }
            if (blocks[i].fn == block_signatures && wants_rules(c))
                block_rules(c); /* what the signature signs includes its rules */
            int before = layout_blocks(c->doc);
            blocks[i].fn(c);
            /* the data-quality box, the rules, another scheme's grades, the changes, the appendix's crisis
             * table, its start, the trend (chart or sentence) and the official style's turn may rightly show
             * nothing (complete data, placed already, the region's own scheme or none, no month before, no
             * hospital in crisis, an appendix with nothing to hold, one month or more, the modern style); the
             * preparer and the reporter without a row in contacts.csv have said so, naming that file */
            if (!c->err && layout_blocks(c->doc) == before && blocks[i].fn != block_data_quality &&
                blocks[i].fn != block_rules && blocks[i].fn != block_other_grades && blocks[i].fn != block_changes && blocks[i].fn != block_crisis &&
                blocks[i].fn != block_appendix && blocks[i].fn != block_cmi_trend_note && blocks[i].fn != block_cmi_trend &&
                blocks[i].fn != block_landscape_official && blocks[i].fn != block_preparer && blocks[i].fn != block_reporter)
                diag_add(c->d, DIAG_WARNING, c->file, line, 1, "block '%s' has nothing to show here: the page has a gap",
                         name);
            return;
        }
    diag_add(c->d, DIAG_ERROR, c->file, line, 1, "unknown block '%s' (see templates/README.md)", name);
}

/* ------------------------------------------------------------------ */
/* Walking the CommonMark tree                                         */

/* The plain text of a node's inlines; emphasis is kept as plain text. */
static void inline_text(cmark_node *n, strbuf *b)
{
    for (cmark_node *ch = cmark_node_first_child(n); ch; ch = cmark_node_next(ch)) {
        cmark_node_type t = cmark_node_get_type(ch);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(b, cmark_node_get_literal(ch));
        else if (t == CMARK_NODE_SOFTBREAK)
            sb_puts(b, " ");
        else if (t == CMARK_NODE_LINEBREAK)
            sb_puts(b, "\n");
        else
            inline_text(ch, b);
    }
}

static int all_strong(cmark_node *n)
{
    cmark_node *ch = cmark_node_first_child(n);
    return ch && !cmark_node_next(ch) && cmark_node_get_type(ch) == CMARK_NODE_STRONG;
}

/* A block quote in a template is a note: smaller and in dark grey. */
static const layout_style body_style = {16, 0, ALIGN_JUSTIFY, 0, 6, {0, 0, 0}};
static const layout_style note_style = {14, 0, ALIGN_LEFT, 0, 6, {0.3, 0.3, 0.3}};

/* Under a document's title: the finance documents' subtitle on what the
 * money is (the announcement's words on the reserve: scorecard, summary and
 * the cover of a booklet binding them), then the data-quality box. */
static int wants_reserve_note(const rctx *c)
{
    const score_result *f = c->rd->finance;
    if (!f || c->subtitle_done)
        return 0;
    /* the booklet's cover: when it binds the finance documents of its region */
    return !strcmp(c->name, "scorecard") || !strcmp(c->name, "summary") ||
           (!strcmp(c->name, "booklet") && score_scheme_is_own(f));
}

static void after_title(rctx *c)
{
    if (wants_reserve_note(c)) {
        c->subtitle_done = 1;
        const scheme *s = c->rd->finance->sch;
        char *share = thai_number(s->reserved_share_bp, 0, c->o->thai_digits);
        char *text = s->reserve_note ? util_strdup(s->reserve_note)
                                     : util_format("การจัดสรรเงินส่วนที่กันร้อยละ %s", share ? share : "");
        layout_style st = body_style;
        st.bold = 1;
        st.align = ALIGN_CENTER;
        if (!text || layout_paragraph(c->doc, text, st))
            c->err = 1;
        free(text);
        free(share);
    }
    block_data_quality(c);
}

static void text_node(rctx *c, cmark_node *n, const char *prefix, int heading_level, const layout_style *style)
{
    strbuf b = {0};
    if (prefix)
        sb_puts(&b, prefix);
    inline_text(n, &b);
    int line = cmark_node_get_start_line(n);
    if (!b.oom && b.data && names_absent(&c->v, b.data)) { /* a paragraph this document has no values for */
        sb_free(&b);
        return;
    }
    char *t = b.oom ? NULL : fill_placeholders(&c->v, b.data ? b.data : "", c->file, line, c->d);
    int had_text = b.data && strspn(b.data, " \n") < b.len;
    sb_free(&b);
    if (!t) {
        c->err = 1;
        return;
    }
    if (had_text && strspn(t, " \n") == strlen(t))
        diag_add(c->d, DIAG_WARNING, c->file, line, 1, "this %s is empty once its placeholders are filled",
                 heading_level ? "heading" : "paragraph");
    int rc;
    if (heading_level) {
        rc = layout_heading(c->doc, heading_level, t);
        if (!rc && heading_level == 1)
            after_title(c);
    } else {
        layout_style st = *style;
        st.bold = all_strong(n);
        rc = layout_paragraph(c->doc, t, st);
    }
    if (rc)
        c->err = 1;
    free(t);
}

static void walk(rctx *c, cmark_node *root, const layout_style *style)
{
    for (cmark_node *n = cmark_node_first_child(root); n && !c->err && !c->stop; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING: text_node(c, n, NULL, cmark_node_get_heading_level(n), style); break;
        case CMARK_NODE_PARAGRAPH: text_node(c, n, NULL, 0, style); break;
        case CMARK_NODE_BLOCK_QUOTE: walk(c, n, &note_style); break;
        case CMARK_NODE_CODE_BLOCK:
            place_block(c, cmark_node_get_fence_info(n), cmark_node_get_literal(n), cmark_node_get_start_line(n));
            break;
        case CMARK_NODE_LIST: {
            int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST, k = cmark_node_get_list_start(n);
            for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it), k++)
                for (cmark_node *p = cmark_node_first_child(it); p; p = cmark_node_next(p))
                    if (cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH) {
                        char pre[16];
                        snprintf(pre, sizeof pre, ordered ? "%d. " : "• ", k);
                        text_node(c, p, pre, 0, style);
                    }
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK: layout_page_break(c->doc); break;
        default:
            diag_add(c->d, DIAG_WARNING, c->file, cmark_node_get_start_line(n), 1, "this kind of Markdown is ignored");
        }
    }
}

/* Templates come from elsewhere (e-mail, USB sticks): before walking one,
 * check what the walk cannot cope with. Nesting (block quotes, lists,
 * emphasis) deeper than this is refused: walk() and inline_text() recurse
 * once per level, and no report needs more than a few. */
#define TEMPLATE_MAX_DEPTH 32

/* Start offsets of the source's lines (LF, CR LF or lone CR, as cmark
 * counts them); returns the count, or -1 out of memory. */
static long line_starts(const char *src, size_t len, size_t **out)
{
    size_t n = 1, cap = 0;
    size_t *v = NULL;
    if (util_grow((void **)&v, &cap, 1, sizeof *v))
        return -1;
    v[0] = 0;
    for (size_t i = 0; i < len; i++)
        if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n'))) {
            if (util_grow((void **)&v, &cap, n + 1, sizeof *v)) {
                free(v);
                return -1;
            }
            v[n++] = i + 1;
        }
    *out = v;
    return (long)n;
}

/* Whether 1-based line `ln` of the source, after container markers ('>'
 * and indentation), is a closing fence: at least `n` characters `ch`, then
 * nothing but blanks. */
static int closing_fence(const char *src, size_t len, const size_t *starts, long nlines, int ln, char ch, size_t n)
{
    if (ln < 1 || ln > nlines)
        return 0;
    size_t i = starts[ln - 1], end = ln < nlines ? starts[ln] : len;
    while (i < end && (src[i] == ' ' || src[i] == '\t' || src[i] == '>'))
        i++;
    size_t k = 0;
    while (i + k < end && src[i + k] == ch)
        k++;
    if (k < n)
        return 0;
    for (i += k; i < end; i++)
        if (src[i] != ' ' && src[i] != '\t' && src[i] != '\r' && src[i] != '\n')
            return 0;
    return 1;
}

/* The node types cmark's iterator only enters (never exits). */
static int leaf_node(cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE: return 1;
    default: return 0;
    }
}

/* Reports nesting too deep and fenced blocks never closed (which would
 * swallow the rest of the document silently). Returns the errors found. */
static int check_template(cmark_node *root, const char *src, size_t len, const char *file, diag_ctx *d)
{
    size_t *starts = NULL;
    long nlines = line_starts(src, len, &starts);
    if (nlines < 0) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while reading the template");
        return 1;
    }
    cmark_iter *it = cmark_iter_new(root);
    int depth = 0, errors = 0;
    if (!it) {
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while reading the template");
        errors = 1;
    }
    for (cmark_event_type ev; it && !errors && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_EXIT) { /* containers (even empty ones) enter and exit; leaves only enter */
            depth--;
            continue;
        }
        if (!leaf_node(n) && ++depth > TEMPLATE_MAX_DEPTH) {
            diag_add(d, DIAG_ERROR, file, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
                     "nested more than %d levels deep (block quotes, lists or emphasis): khet refuses such a template",
                     TEMPLATE_MAX_DEPTH);
            errors++;
        }
        if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
            continue;
        int first = cmark_node_get_start_line(n), last = cmark_node_get_end_line(n);
        const char *open = first >= 1 && first <= nlines ? src + starts[first - 1] : "";
        size_t o = strspn(open, " \t>-*+0123456789.)");
        char ch = open[o];
        size_t flen = strspn(open + o, ch == '`' ? "`" : "~");
        if ((ch != '`' && ch != '~') || flen < 3)
            continue; /* an indented code block: it has no fence to close */
        if (last <= first || !closing_fence(src, len, starts, nlines, last, ch, flen)) {
            diag_add(d, DIAG_ERROR, file, first, 1,
                     "the fenced block opened here is never closed: it would swallow the rest of the %s "
                     "(add a line %.*s after its body)",
                     last >= nlines - 1 ? "template" : "block quote or list", (int)(flen < 8 ? flen : 8),
                     ch == '~' ? "~~~~~~~~" : "````````");
            errors++;
        }
    }
    cmark_iter_free(it);
    free(starts);
    return errors;
}

/* The document information: the title from the template's first heading
 * (else its first block: a page turn may come before the title) with its
 * placeholders filled (also the booklet's contents line and the outline),
 * the organisation, the scheme and where and when. */
static int document_info(rctx *c, cmark_node *root, report_built *b)
{
    const score_result *r = main_result(c->rd);
    strbuf tb = {0};
    cmark_node *first = cmark_node_first_child(root);
    while (first && cmark_node_get_type(first) != CMARK_NODE_HEADING && cmark_node_next(first))
        first = cmark_node_next(first);
    if (first && cmark_node_get_type(first) != CMARK_NODE_HEADING)
        first = cmark_node_first_child(root);
    if (first)
        inline_text(first, &tb);
    b->title = tb.oom ? NULL : fill_placeholders(&c->v, tb.data ? tb.data : c->name, c->file, 0, c->d);
    b->keywords = util_format("เขตสุขภาพที่ %d, ปีงบประมาณ %d, %s", r->region, r->ds->fiscal_year, r->sch->name);
    b->author = r->sch->organisation ? util_strdup(r->sch->organisation) : NULL;
    b->subject = r->sch->title ? util_strdup(r->sch->title) : NULL;
    sb_free(&tb);
    return b->title && b->keywords && (b->author || !r->sch->organisation) && (b->subject || !r->sch->title) ? 0 : -1;
}

int report_save(const report_built *b, pdf_doc *pdf, const report_opts *o, const char *out_path, diag_ctx *d)
{
    char datebuf[32] = "";
    if (o->date.year)
        snprintf(datebuf, sizeof datebuf, "%04d%02d%02d000000", o->date.year, o->date.month, o->date.day);
    if (pdf_info(pdf, b->title, b->author, b->subject, b->keywords, datebuf[0] ? datebuf : NULL) != 0) {
        diag_add(d, DIAG_SYSTEM, out_path, 0, 0, "cannot set the document information");
        return -1;
    }
    return o->staged ? pdf_save_staged(pdf, out_path, d) : pdf_save(pdf, out_path, d);
}

void report_built_free(report_built *b)
{
    layout_free(b->doc);
    thai_words_free(b->own_words);
    free(b->title);
    free(b->author);
    free(b->subject);
    free(b->keywords);
    free(b->contents_body);
    memset(b, 0, sizeof *b);
}

/* The footer line of a draft: it is not evidence of anything yet. */
#define DRAFT_LINE "ร่าง ยังไม่ได้ลงนามรับรอง ห้ามใช้อ้างอิง: ฉบับจริงคือฉบับที่ผู้มีอำนาจลงนามรับรองแล้ว"

/* The running footer: which document and the data's date (short_date: "10 ต.ค. 63"). The scheme
 * by its Thai title: an internal name such as finance-r8-2563 means nothing on paper; the monthly
 * handout is not the KPI's document: its footer names the handout; the booklet's own pages (cover,
 * contents) bind every document of the round, so theirs names no one scheme. NULL: no memory. */
static char *running_footer(const char *name, const score_result *r, const report_opts *o)
{
    char *asof = r->ds->data_date.year ? thai_date(r->ds->data_date, 0, o->thai_digits) : util_strdup("-");
    char *footer = !asof ? NULL
                   : !strcmp(name, "monthly")
                       ? util_format("สรุปสถานการณ์ประจำเดือน เขตสุขภาพที่ %d (เอกสารประกอบการประชุมผู้บริหาร)  ·  "
                                     "ข้อมูล ณ วันที่ %s", r->region, asof)
                   : !strcmp(name, "booklet")
                       ? util_format("เอกสารประกอบการตรวจราชการ เขตสุขภาพที่ %d  ·  ข้อมูล ณ วันที่ %s", r->region, asof)
                       : util_format("%s  ·  ข้อมูล ณ วันที่ %s", r->sch->title ? r->sch->title : "", asof);
    free(asof);
    return footer;
}

int report_build(const char *name, const report_data *rd, const report_opts *o, report_built *b, diag_ctx *d)
{
    memset(b, 0, sizeof *b);
    char *file = util_format("%s/reports/%s.md", o->templates_dir, name);
    char *src = NULL;
    size_t len = 0;
    if (!file || util_read_file(file, UTIL_LIMIT_TEXT, &src, &len) != 0) {
        int e = file ? errno : ENOMEM;
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, file ? file : name, 0, 0,
                 "cannot read the report template: %s", util_strerror(e));
        free(file);
        return -1;
    }
    size_t bad = util_utf8_invalid_at(src, len);
    if (bad < len) { /* found here, not later as a layout failure */
        int l, col;
        util_text_position(src, bad, &l, &col);
        diag_add(d, DIAG_ERROR, file, l, col, "byte 0x%02X is not UTF-8 text (templates are UTF-8)",
                 (unsigned char)src[bad]);
        free(src);
        free(file);
        return -1;
    }
    const score_result *r = main_result(rd);
    /* the documents of wide tables are landscape; the booklet's own pages (its
     * cover and contents) portrait, as a bound report's are */
    int landscape = !strcmp(name, "monthly") || !strcmp(name, "summary") || !strcmp(name, "scorecard") ||
                    !strcmp(name, "kpi");
    /* running header: who and which year; footer: which scheme and the data's date */
    char *header = util_format("%s  ·  ปีงบประมาณ %d", r->sch->organisation ? r->sch->organisation : "",
                               r->ds->fiscal_year);
    /* the footer: the data's date in the same long form as on the first page, in every style (where
     * it does not fit one line beside the page number, it wraps: layout.c's footer_lines) */
    char *footer = running_footer(name, r, o);
    int errors = diag_errors(d);
    if (!header || !footer)
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory");
    thai_words *own_words = b->own_words = o->words ? NULL : cli_words(o->templates_dir, d);
    int official = o->style == REPORT_STYLE_OFFICIAL;
    layout_page_setup ps = {landscape, 30 * MM_PT, 20 * MM_PT, 22 * MM_PT, 22 * MM_PT, header, footer,
                            o->thai_digits || official, 1, 0, o->final ? NULL : DRAFT_LINE,
                            official ? LAYOUT_PAGE_NUMBER_OFFICIAL : LAYOUT_PAGE_NUMBER_FOOT, 0,
                            o->words ? o->words : own_words, 0, !strcmp(name, "booklet"), DRAFT_LINE};
    if (landscape && !official) { /* wide tables and charts: the meeting handout must fit its pages */
        ps.margin_left = 20 * MM_PT;
        ps.margin_top = 16 * MM_PT;
    }
    rctx c = {rd, o, layout_new(&ps), {{0}, {0}, {0}, 0, 0}, file, d, 0, NULL, 0, name, 0, 0, 0, NULL, 0, 0, 0};
    layout_use_memo(c.doc, o->memo);
    if (c.doc && official) /* charts no smaller than 12 pt, as the official style's tables no smaller than 14 */
        layout_set_chart_min(c.doc, 12);
    else if (c.doc && !strcmp(name, "monthly")) /* the appendix's trend panels: readable at arm's length (they */
        layout_set_chart_min(c.doc, 11);        /* were 8 pt on half a page) */
    free(header);
    free(footer);
    cmark_node *root = cmark_parse_document(src, len, CMARK_OPT_DEFAULT);
    int rc = -1;
    if (!c.doc || !root)
        diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while reading the template");
    if (c.doc && root) {
        int booklet = !strcmp(name, "booklet");
        common_vars(&c);
        if (!strcmp(name, "scorecard"))
            scorecard_vars(&c);
        if (!strcmp(name, "summary"))
            summary_vars(&c);
        if (rd->kpi)
            kpi_vars(&c);
        if (rd->kpi && !strcmp(name, "kpi"))
            inspection_vars(&c);
        if (rd->finance && rd->kpi && rd->kpi_by_month && !strcmp(name, "monthly"))
            monthly_vars(&c);
        if (booklet)
            booklet_vars(&c);
        /* the booklet's documents carry their own data-quality boxes: none on its cover */
        c.quality_done = booklet;
        if (booklet && layout_spacer(c.doc, 200) != 0) /* the cover's text stands in the middle of the page */
            c.err = 1;
        if (!c.v.oom && check_template(root, src, len, file, d) == 0) {
            /* asked only of a template checked for depth: places_block recurses as walk does */
            c.own_changes = places_block(root, "changes"); /* else the monthly table places them under it */
            walk(&c, root, booklet ? &cover_style : &body_style);
        }
        if (!c.err && !c.v.oom) { /* a template without a title or signatures still carries them */
            block_data_quality(&c);
            if (wants_rules(&c))
                block_rules(&c);
        }
        if (!c.err && !c.v.oom && document_info(&c, root, b) != 0)
            c.err = 1;
        if (c.err || c.v.oom)
            diag_add(d, DIAG_SYSTEM, file, 0, 0, "out of memory while building the report");
        if (diag_errors(d) == errors && !c.err && !c.v.oom)
            rc = 0;
    }
    if (root)
        cmark_node_free(root);
    b->doc = c.doc;
    b->contents_body = c.contents_body;
    vars_free(&c.v);
    free(src);
    free(file);
    if (rc != 0)
        report_built_free(b);
    return rc;
}

int report_render(const char *name, const report_data *rd, const report_opts *o, const char *out_path, diag_ctx *d)
{
    report_built b;
    if (report_build(name, rd, o, &b, d) != 0)
        return -1;
    pdf_doc *pdf = pdf_new_in(o->font_dir, o->font, o->shapes, d);
    /* warnings name the document as it lands in --out (FY/rN/name.pdf), not the staging folder */
    const char *tail = out_path + strlen(out_path);
    for (int slashes = 0; tail > out_path && slashes < 3; tail--)
        slashes += tail[-1] == '/';
    tail += tail > out_path ? 1 : 0;
    int rc = -1;
    if (pdf && layout_set_source(b.doc, tail) != 0)
        diag_add(d, DIAG_SYSTEM, out_path, 0, 0, "out of memory while naming the document");
    else if (pdf && layout_render(b.doc, pdf, d) > 0)
        rc = report_save(&b, pdf, o, out_path, d);
    pdf_free(pdf);
    report_built_free(&b);
    return rc;
}
