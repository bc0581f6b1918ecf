/* layout_page: the page driver (a new page, the room left on it), text
 * measuring through the pdf device, and the running furniture. */
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Line pitch for labels and charts: room for the tallest stacks of the font. */
double ly_line_height(rctx *c, double size)
{
    return size * (pdf_mark_top(c->pdf) - pdf_mark_bottom(c->pdf));
}

double ly_baseline_offset(rctx *c, double size) { return size * pdf_mark_top(c->pdf); }

static int is_blank(char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; }

static int piece_extent(rctx *c, const char *s, size_t len, int bold, double *top, double *bottom)
{
    return pdf_text_extent(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, s, len, top, bottom);
}

/* The ink extents of s per point of size (see pdf_text_extent), once per
 * text and face. A text already broken into words (a cell, a paragraph)
 * is the union of its words' ink: they were shaped for their widths, and
 * shaping the whole text again costs more than the rest of measuring it
 * (Thai marks stack within a cluster, never across a word boundary). */
void ly_extent_of(rctx *c, const char *s, int bold, double *top, double *bottom)
{
    ly_key k = {LY_EXTENT, bold, 0, 0};
    size_t len = strlen(s);
    ly_value *v = ly_cache_find(c->cache, k, s, len);
    if (v) {
        *top = v->v[0];
        *bottom = v->v[1];
        return;
    }
    int bad = 0;
    const ly_breaks *br = ly_breaks_known(c, s, len);
    if (br && br->n > 1) { /* the ink of its words, already shaped for their widths */
        *top = *bottom = 0;
        size_t prev = 0;
        for (int i = 0; i < br->n && !bad; i++) {
            size_t end = br->off[i], trim = end;
            while (trim > prev && is_blank(s[trim - 1]))
                trim--;
            double t, b;
            bad = trim > prev ? piece_extent(c, s + prev, trim - prev, bold, &t, &b) : 0;
            *top = !bad && t > *top ? t : *top;
            *bottom = !bad && b < *bottom ? b : *bottom;
            prev = end;
        }
    } else {
        bad = piece_extent(c, s, len, bold, top, bottom);
    }
    if (bad != 0) {
        c->err = 1;
        *top = *bottom = 0;
        return;
    }
    if (ly_cache_put(c->cache, k, s, len, (ly_value){{*top, *bottom}, NULL, NULL}) != 0)
        c->err = 1;
}

/* Line metrics of a text block from the ink of its own glyphs: lines are
 * spaced evenly, just far enough apart that the tallest mark stack of one
 * line cannot touch the lowest vowel of the line above. A floor keeps plain
 * lines from being set tighter than upper and lower vowels need. */
metrics ly_text_metrics(rctx *c, const char *s, double size, int bold)
{
    double top = 0.95, bottom = -0.37, t, b;
    ly_extent_of(c, s, bold, &t, &b);
    if (!c->err) {
        top = t > top ? t : top;
        bottom = b < bottom ? b : bottom;
    }
    return (metrics){size * (top + 0.03), size * (top - bottom + 0.06)};
}

/* Width of len bytes of s at a size, measured once per layout for each
 * (text, size, face): words and cells come back again and again. */
double ly_width_of(rctx *c, const char *s, size_t len, double size, int bold)
{
    ly_key k = {LY_WIDTH, bold, size, 0};
    ly_value *v = ly_cache_find(c->cache, k, s, len);
    if (v)
        return v->v[0];
    double w = pdf_text_width(c->pdf, bold ? PDF_BOLD : PDF_REGULAR, size, s, len);
    if (w < 0 || ly_cache_put(c->cache, k, s, len, (ly_value){{w, 0}, NULL, NULL}) != 0)
        c->err = 1; /* out of memory: a width of 0 would lay out wrongly */
    return w < 0 ? 0 : w;
}

/* Running texts keep at least 6 mm from the paper's edge (many printers
 * cannot print closer), whatever the margins. */
#define FURNITURE_EDGE (6 * MM)

static double header_baseline(rctx *c, double size)
{
    double y = c->ph - c->d->setup.margin_top * 0.5, limit = c->ph - FURNITURE_EDGE - size * pdf_mark_top(c->pdf);
    return y < limit ? y : limit;
}

double ly_footer_baseline(rctx *c, double size)
{
    double y = c->d->setup.margin_bottom * 0.4, limit = FURNITURE_EDGE - size * pdf_mark_bottom(c->pdf);
    return y > limit ? y : limit;
}

/* The footer's lines on this page's paper (at least one: the geometry of a
 * page without a footer is that of a one-line footer). */
static int foot_lines(const rctx *c)
{
    int n = c->nfoot[c->landscape ? 1 : 0];
    return n > 0 ? n : 1;
}

/* The baseline of the footer's top line: a wrapped footer rises line by line. */
static double foot_top_baseline(rctx *c)
{
    return ly_footer_baseline(c, FOOTER_SIZE) + (foot_lines(c) - 1) * ly_line_height(c, FOOTER_SIZE);
}

/* The draft line sits above the running footer, in a smaller size. */
#define DRAFT_LINE_SIZE 11

/* The draft line, or in a final the line whose room it keeps. */
static const char *draft_text(const layout_page_setup *s)
{
    return s->draft ? s->draft : s->draft_room ? s->draft_room : "ร่าง";
}

double ly_draft_width(rctx *c)
{
    const char *t = draft_text(&c->d->setup);
    return ly_width_of(c, t, strlen(t), DRAFT_LINE_SIZE, 0);
}

/* How far the draft line's baseline sits above the footer's top line: far
 * enough that the marks above the footer (its text and "หน้า") clear the
 * lowest vowels of the draft line, measured on their own glyphs, with 2.5 pt air. */
static double draft_rise(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    double top = 0.95, bottom = -0.37, t, b;
    const char *above[] = {s->footer, "หน้า"};
    for (int i = 0; i < 2; i++) {
        if (!above[i])
            continue;
        ly_extent_of(c, above[i], 0, &t, &b);
        top = t > top ? t : top;
    }
    ly_extent_of(c, draft_text(s), 0, &t, &b);
    bottom = b < bottom ? b : bottom;
    return FOOTER_SIZE * top - DRAFT_LINE_SIZE * bottom + 2.5;
}

/* The lowest y the body may use: the bottom margin, raised when the footer
 * lines of a draft and a gap would reach into it (more on paper where the
 * footer wraps). Finals reserve the same room, so that a signed final breaks
 * its pages exactly where the draft its signers read did. */
double ly_body_bottom(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    double t, b;
    ly_extent_of(c, draft_text(s), 0, &t, &b);
    double draft_top = foot_top_baseline(c) + draft_rise(c) + DRAFT_LINE_SIZE * t + 4;
    if (c->foot_number[c->landscape ? 1 : 0] < 0) { /* the page number on the draft line's row */
        ly_extent_of(c, "หน้า", 0, &t, &b);
        double num_top = foot_top_baseline(c) + draft_rise(c) + FOOTER_SIZE * t + 4;
        draft_top = num_top > draft_top ? num_top : draft_top;
    }
    return draft_top > s->margin_bottom ? draft_top : s->margin_bottom;
}

/* A draft says so on every page: a light boxed "ร่าง" in the top margin,
 * clear of the text, and a footer line above the running footer. The box
 * holds the word's ink (its tone mark too, measured on the glyphs), keeps
 * 6 mm from the paper's edge and stays above the body's top, so no table
 * rule or text of the page touches it; it shrinks (never below 12 pt) when
 * the top margin is narrow. */
static void draw_draft(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    static const pdf_rgb LIGHT = {0.72, 0.72, 0.72};
    const double pad = 3, gap = 3;
    double t, b;
    ly_extent_of(c, "ร่าง", 1, &t, &b);
    if (t <= 0)
        t = pdf_mark_top(c->pdf), b = pdf_mark_bottom(c->pdf);
    double room = (c->ph - FURNITURE_EDGE) - (c->ytop + gap); /* between the edge's 6 mm and the body */
    double size = 20;
    if (size * (t - b) + 2 * pad > room)
        size = (room - 2 * pad) / (t - b);
    if (size < 12)
        size = 12;
    double w = ly_width_of(c, "ร่าง", strlen("ร่าง"), size, 1) + 2 * (pad + 4), h = size * (t - b) + 2 * pad;
    double x = c->x1 - w, y = c->ytop + gap; /* just above the body */
    double top = c->ph - FURNITURE_EDGE - h;
    if (y > top)
        y = top;
    ly_rect(c, x, y, w, h, NULL, &LIGHT, 1.2);
    ly_text_at(c, "ร่าง", strlen("ร่าง"), x + pad + 4, y + pad - size * b, size, 1, LIGHT);
    ly_text_at(c, s->draft, strlen(s->draft), c->x0, foot_top_baseline(c) + draft_rise(c), DRAFT_LINE_SIZE, 0, GREY);
}

/* The page number's text: "หน้า x / y", or as Thai official documents
 * number their pages, "- ๒ -" (from page two on). A document bound into a
 * booklet shows its place in the booklet. NULL when the page shows none
 * (c->err is set when memory ran out). */
static char *page_number_text(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    int official = s->page_numbers == LAYOUT_PAGE_NUMBER_OFFICIAL;
    int first = s->first_page_number > 0 ? s->first_page_number : 1;
    int shown = first + c->page - 1, total = s->total_pages > 0 ? s->total_pages : first - 1 + c->total;
    if (official ? shown < 2 : shown < 2 && !s->number_first_page)
        return NULL;
    char *raw = official ? util_format("- %d -", shown) : util_format("หน้า %d / %d", shown, total);
    char *num = raw ? ly_own_text(c, raw) : NULL;
    free(raw);
    if (!num)
        c->err = 1;
    return num;
}

/* The official page number, "- ๒ -" centred at the top. */
static void official_page_number(rctx *c)
{
    char *num = page_number_text(c);
    if (!num)
        return;
    double w = ly_width_of(c, num, strlen(num), 16, 0);
    ly_text_at(c, num, strlen(num), (c->pw - w) / 2, header_baseline(c, 16), 16, 0, BLACK);
    free(num);
}

/* The gap between the footer and the page number beside it. */
#define NUMBER_GAP 12

double ly_number_room(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    if (s->page_numbers == LAYOUT_PAGE_NUMBER_OFFICIAL)
        return 0;
    /* the widest number a document of up to 999 pages shows, so every page breaks its footer alike */
    char *widest = ly_own_text(c, "หน้า 888 / 888");
    double w = widest ? ly_width_of(c, widest, strlen(widest), FOOTER_SIZE, 0) : 0;
    free(widest);
    return w + NUMBER_GAP;
}

/* The running footer, line by line from the top, at FOOTER_SIZE (layout.c
 * broke its lines so that the page number has room beside one of them:
 * only a line no break could shorten is set smaller, never below 8 pt);
 * the page number, when it stands at the foot, beside that line. */
static void draw_footer(rctx *c, const char *num)
{
    const layout_page_setup *s = &c->d->setup;
    int o = c->landscape ? 1 : 0, n = c->nfoot[o];
    double pitch = ly_line_height(c, FOOTER_SIZE), top = foot_top_baseline(c);
    const char *f = s->footer;
    for (int i = 0; s->footer && f && i < n; i++) {
        const line_span *l = &c->foot[o][i];
        double measure = c->x1 - c->x0 - (i == c->foot_number[o] ? ly_number_room(c) : 0);
        double w = ly_width_of(c, f + l->start, l->end - l->start, FOOTER_SIZE, 0);
        double fs = w > measure ? FOOTER_SIZE * measure / w : FOOTER_SIZE;
        ly_text_at(c, f + l->start, l->end - l->start, c->x0, top - i * pitch, fs < 8 ? 8 : fs, 0, GREY);
    }
    if (num)
        ly_text_at(c, num, strlen(num), c->x1 - ly_width_of(c, num, strlen(num), FOOTER_SIZE, 0),
                   c->foot_number[o] < 0 ? top + draft_rise(c) : top - (n ? c->foot_number[o] : 0) * pitch,
                   FOOTER_SIZE, 0, GREY);
}

void ly_furniture(rctx *c)
{
    const layout_page_setup *s = &c->d->setup;
    if (s->cover && c->page == 1) { /* a cover is counted but carries only the draft mark */
        if (s->draft)
            draw_draft(c);
        return;
    }
    /* official pages carry only their number at the top */
    if (s->header && s->page_numbers != LAYOUT_PAGE_NUMBER_OFFICIAL)
        ly_text_at(c, s->header, strlen(s->header), c->x0, header_baseline(c, FOOTER_SIZE), FOOTER_SIZE, 0, GREY);
    if (s->page_numbers == LAYOUT_PAGE_NUMBER_OFFICIAL) {
        draw_footer(c, NULL);
        official_page_number(c);
    } else {
        char *num = page_number_text(c);
        draw_footer(c, num);
        free(num);
    }
    if (s->draft)
        draw_draft(c);
}

void ly_new_page(rctx *c)
{
    c->page++;
    c->y = c->ytop;
    ly_list_set_pages(c->out, c->page);
    if (c->landscape != c->d->setup.landscape && ly_list_set_landscape(c->out, c->page, c->landscape) != 0)
        c->err = 1;
}

void ly_page_geometry(rctx *c, int landscape)
{
    const layout_page_setup *s = &c->d->setup;
    c->landscape = landscape;
    c->pw = landscape ? 841.89 : 595.28;
    c->ph = landscape ? 595.28 : 841.89;
    c->x1 = c->pw - s->margin_right;
    c->ytop = c->ph - s->margin_top;
}

void ly_ensure(rctx *c, double h)
{
    if (c->y - h < c->ybot && c->y < c->ytop - 1)
        ly_new_page(c);
}
