/* layout_chart: bar charts, and line charts as small multiples, with their
 * axes, reference lines and labels.
 *
 * Why small multiples: the monthly handout follows seven provinces (77 in a
 * national run) over twelve months on one measure. Seven lines on one axis
 * cross and hide each other, and end labels of close values must be pushed
 * away from their lines. One small panel per series, on the same scale,
 * shows each shape plainly, prints in grey without needing seven
 * distinguishable dash patterns, and the shared scale keeps the panels
 * comparable. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A chart text's size: its design size, or the document's minimum
 * (layout_set_chart_min) when that is larger. */
static double sz(const rctx *c, double size) { return size < c->d->chart_min ? c->d->chart_min : size; }

static const pdf_rgb GRID = {0.85, 0.85, 0.85}, REF_LINE = {0.25, 0.25, 0.25}, REF_SERIES = {0.55, 0.55, 0.55},
                     SERIES = {0.10, 0.28, 0.55}, WHITE = {1, 1, 1};

/* The 1-2-5 step that cuts `range` into about `parts` intervals. */
static double nice_step(double range, int parts)
{
    double raw = range / parts, mag = pow(10, floor(log10(raw > 0 ? raw : 1)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

typedef struct {
    double lo, hi, step;
} scale;

/* An axis from the data: whole steps around [dmin, dmax], never past the
 * measure's own limits (NAN: none). */
static scale nice_scale(double dmin, double dmax, double lo_limit, double hi_limit, int parts)
{
    if (!(dmax >= dmin)) { /* no data at all: the measure's range, or 0..1 */
        dmin = isnan(lo_limit) ? 0 : lo_limit;
        dmax = isnan(hi_limit) ? dmin + 1 : hi_limit;
    }
    scale s = {0, 0, nice_step(dmax - dmin, parts)};
    s.lo = floor(dmin / s.step) * s.step;
    s.hi = ceil(dmax / s.step) * s.step;
    if (s.hi - s.lo < s.step) /* flat data */
        s.hi = s.lo + s.step;
    if (!isnan(lo_limit) && s.lo < lo_limit)
        s.lo = lo_limit;
    if (!isnan(hi_limit) && s.hi > hi_limit)
        s.hi = hi_limit;
    if (s.hi <= s.lo)
        s.lo = s.hi - s.step;
    return s;
}

static double y_of(scale s, double y, double h, double v) { return y + h * (v - s.lo) / (s.hi - s.lo); }

static int ticks(scale s) { return (int)floor((s.hi - s.lo) / s.step + 1e-9); }

/* A number as the chart prints it; NULL (c->err set) when memory runs out. */
static char *number(rctx *c, double v, int decimals)
{
    char *t = thai_number_d(v, decimals, c->d->setup.thai_digits);
    if (!t)
        c->err = 1;
    return t;
}

static int tick_decimals(scale s) { return s.step < 1 ? (s.step < 0.1 ? 2 : 1) : 0; }

/* The widest tick label of a scale. */
static double tick_width(rctx *c, scale s, double size)
{
    double w = 0;
    for (int i = 0; i <= ticks(s); i++) {
        char *lab = number(c, s.lo + i * s.step, tick_decimals(s));
        if (lab)
            w = fmax(w, ly_width_of(c, lab, strlen(lab), size, 0));
        free(lab);
    }
    return w;
}

/* Gridlines at every step of the scale, their values `gap` points left of x
 * when `labelled`. */
static void grid(rctx *c, scale s, double x, double y, double w, double h, double size, int labelled, double gap)
{
    for (int i = 0; i <= ticks(s); i++) {
        double v = s.lo + i * s.step, yy = y_of(s, y, h, v);
        ly_rule(c, x, yy, x + w, yy, GRID, 0.4, 0);
        if (!labelled)
            continue;
        char *lab = number(c, v, tick_decimals(s));
        if (lab) {
            double tw = ly_width_of(c, lab, strlen(lab), size, 0);
            ly_text_at(c, lab, strlen(lab), x - tw - gap, yy - size * 0.35, size, 0, BLACK);
        }
        free(lab);
    }
    ly_rule(c, x, y, x + w, y, BLACK, 0.6, 0);
}

/* Moves the label centres pos[] (in any order) the least needed so that any
 * two are at least `gap` apart, within [lo, hi] when there is room (hi
 * first when there is not): labels too close join a cluster, and each
 * cluster stands centred on the lines its labels name, so that a stack of
 * grade labels spreads above and below its lines, not all upwards. */
static int spread(rctx *c, double *pos, int n, double gap, double lo, double hi)
{
    int *o = malloc(((size_t)n + 1) * sizeof *o), *start = malloc(((size_t)n + 1) * sizeof *start);
    double *base = malloc(((size_t)n + 1) * sizeof *base);
    if (!o || !start || !base) {
        free(o);
        free(start);
        free(base);
        c->err = 1;
        return -1;
    }
    for (int i = 0; i < n; i++)
        o[i] = i;
    for (int i = 1; i < n; i++) /* insertion sort by height, lowest first */
        for (int j = i; j > 0 && pos[o[j]] < pos[o[j - 1]]; j--) {
            int t = o[j];
            o[j] = o[j - 1];
            o[j - 1] = t;
        }
    int k = 0; /* clusters: labels start[q] .. start[q + 1] - 1 (in o's order), the lowest's centre at base[q] */
    for (int i = 0; i < n; i++) {
        start[k] = i;
        base[k++] = pos[o[i]];
        start[k] = i + 1;
        /* a cluster that reaches into the one below joins it, centred on its labels' lines */
        while (k > 1 && base[k - 2] + (start[k - 1] - start[k - 2]) * gap > base[k - 1]) {
            start[k - 1] = start[k];
            k--;
            int m = start[k] - start[k - 1];
            double sum = 0;
            for (int j = start[k - 1]; j < start[k]; j++)
                sum += pos[o[j]];
            double b0 = sum / m - (m - 1) * gap / 2;
            b0 = fmax(b0, lo);
            b0 = fmin(b0, hi - (m - 1) * gap);
            base[k - 1] = b0;
        }
    }
    for (int q = 0; q < k; q++)
        for (int j = start[q]; j < start[q + 1]; j++)
            pos[o[j]] = base[q] + (j - start[q]) * gap;
    free(o);
    free(start);
    free(base);
    return 0;
}

/* The chart's title; `height` is what the chart needs below it, so that
 * title and chart stay on one page. */
static void chart_title(rctx *c, const char *title, double height)
{
    double lh = ly_line_height(c, 14);
    ly_ensure(c, lh + 6 + height);
    const lines *L = ly_break_lines(c, title, c->x1 - c->x0, 14, 1);
    for (int i = 0; L && i < L->n; i++) {
        double tw = ly_width_of(c, title + L->v[i].start, L->v[i].end - L->v[i].start, 14, 1);
        ly_text_at(c, title + L->v[i].start, L->v[i].end - L->v[i].start, (c->x0 + c->x1 - tw) / 2,
                   c->y - ly_baseline_offset(c, 14), 14, 1, BLACK);
        c->y -= lh;
    }
    c->y -= 6;
}

/* The legend's lines at `size` in a box `w` wide, and their height. */
static double legend_height(rctx *c, const char *text, double w, double size)
{
    const lines *L = ly_break_lines(c, text, w, size, 0);
    return L ? L->n * ly_text_metrics(c, text, size, 0).pitch : 0;
}

/* The note under a chart, wrapped to the chart's width. */
static void chart_legend(rctx *c, const char *text, double x)
{
    if (!text || !*text)
        return;
    ly_text_block(c, text, (layout_style){sz(c, 10), 0, ALIGN_LEFT, 0, 6, GREY}, x, c->x1 - x, 0);
}

/* A label's ink above and below its baseline at `size` (digits as drawn). */
static void ink(rctx *c, const char *t, double size, double *top, double *bottom)
{
    ly_extent_of(c, t, 1, top, bottom);
    *top *= size;
    *bottom *= size;
}

/* The least distance between two reference labels' baselines: a line of
 * text's pitch at their size, so that stacked labels read as lines of their
 * own (at their ink plus 2.5 pt, "B+ >๗๕" touched "A >๘๐" in 12 pt). */
static double label_gap(rctx *c, double size) { return ly_line_height(c, size); }

/* Reference lines across [x, x + w] and their labels beyond x + w: dotted,
 * so that they read apart from the mean's dashes and the bars in grey. Each
 * label is centred on its line; labels closer than a line of text are moved
 * apart, and a leader then joins each to its line. */
static void reference_lines(rctx *c, const block *b, scale s, double x, double y, double w, double h, double size)
{
    int n = 0;
    double *pos = malloc(((size_t)b->nrefs + 1) * sizeof *pos), gap = label_gap(c, size);
    int *idx = malloc(((size_t)b->nrefs + 1) * sizeof *idx);
    if (!pos || !idx) {
        free(pos);
        free(idx);
        c->err = 1;
        return;
    }
    for (int i = 0; i < b->nrefs; i++)
        if (b->refs[i] >= s.lo && b->refs[i] <= s.hi) {
            double yy = y_of(s, y, h, b->refs[i]);
            ly_rule(c, x, yy, x + w + 3, yy, REF_LINE, 0.7, 2);
            idx[n] = i;
            pos[n++] = yy;
        }
    if (spread(c, pos, n, gap, y, y + h + gap) == 0)
        for (int k = 0; k < n; k++) {
            double ly = y_of(s, y, h, b->refs[idx[k]]), lx = x + w + 8, top, bottom;
            if (fabs(pos[k] - ly) > 0.5) /* moved apart from its line: a leader shows which line it names */
                ly_rule(c, x + w + 3, ly, lx - 1, pos[k], REF_LINE, 0.4, 0);
            const char *t = b->ref_labels[idx[k]];
            ink(c, t, size, &top, &bottom);
            ly_text_at(c, t, strlen(t), lx, pos[k] - (top + bottom) / 2, size, 1, BLACK);
        }
    free(pos);
    free(idx);
}

static double ref_label_width(rctx *c, const block *b, double size)
{
    double w = 0;
    for (int i = 0; i < b->nrefs; i++)
        w = fmax(w, ly_width_of(c, b->ref_labels[i], strlen(b->ref_labels[i]), size, 1));
    return w;
}

/* ---- bar chart ---- */

/* The least height of a bar chart's plot. */
#define BAR_MIN 110

/* The plot's height: BAR_MIN points, or taller when reference lines are close
 * (grade boundaries 5 points apart of 100), so that each label stays
 * centred on its line, a line of text from the next; at most 260. */
static double bar_height(rctx *c, const block *b, double size)
{
    double range = b->maxv > 0 ? b->maxv : 1, closest = INFINITY, gap = label_gap(c, size);
    for (int i = 0; i < b->nrefs; i++) {
        for (int k = 0; k < b->nrefs; k++)
            if (k != i && b->refs[k] != b->refs[i])
                closest = fmin(closest, fabs(b->refs[k] - b->refs[i]));
    }
    return fmin(260, fmax(BAR_MIN, isinf(closest) ? 0 : 1.15 * gap * range / closest));
}


/* The height of a bar chart's note under it (chart_legend), from x on. */
static double bar_legend(rctx *c, const block *b, double x)
{
    return b->text2 && *b->text2 ? legend_height(c, b->text2, c->x1 - x, sz(c, 10)) + 6 : 0;
}

void ly_render_bar(rctx *c, const block *b)
{
    double rsize = sz(c, 9), h = bar_height(c, b, rsize), lh = ly_line_height(c, sz(c, 11));
    scale s = {0, b->maxv > 0 ? b->maxv : 1, 0};
    s.step = nice_step(s.hi, 5);
    double x = c->x0 + tick_width(c, s, sz(c, 10)) + 6;
    double w = c->x1 - x - (b->nrefs ? ref_label_width(c, b, rsize) + 12 : 0);
    /* the note stays with its chart; the chart gives up height, down to BAR_MIN, to share its page with
     * what comes before it (the official summary's result rows, the modern summary's 7-row table) rather
     * than take a page of its own and leave that one nearly empty: its labels then stand apart with
     * leaders to their lines */
    double extra = 2 * lh + 16 + bar_legend(c, b, x), room = c->y - c->ybot - ly_line_height(c, 14) - 6 - extra;
    if (h > room && room >= BAR_MIN)
        h = room;
    chart_title(c, b->text, h + extra);
    double y = c->y - h;
    { /* the band, mean ± sd (the caller's half-width: k·SD), shaded */
        double lo = fmax(s.lo, b->mean - b->sd), hi = fmin(s.hi, b->mean + b->sd);
        pdf_rgb band = {0.88, 0.88, 0.88};
        ly_rect(c, x, y_of(s, y, h, lo), w, y_of(s, y, h, hi) - y_of(s, y, h, lo), &band, NULL, 0);
    }
    grid(c, s, x, y, w, h, sz(c, 10), 1, 4);
    ly_rule(c, x, y, x, y + h, BLACK, 0.6, 0);
    double slot = w / (b->n ? b->n : 1), bw = slot * 0.55;
    for (int i = 0; i < b->n; i++) {
        double bx = x + slot * i + (slot - bw) / 2, bh = h * fmin(b->values[i], s.hi) / s.hi;
        pdf_rgb fill = {b->shade[i], b->shade[i], b->shade[i]};
        ly_rect(c, bx, y, bw, bh, &fill, &BLACK, 0.5);
        double lw = ly_width_of(c, b->labels[i], strlen(b->labels[i]), sz(c, 11), 0);
        ly_text_at(c, b->labels[i], strlen(b->labels[i]), x + slot * i + (slot - lw) / 2, y - lh + 2, sz(c, 11), 0, BLACK);
    }
    /* the mean and the reference lines, over the bars */
    ly_rule(c, x, y_of(s, y, h, b->mean), x + w, y_of(s, y, h, b->mean), BLACK, 1, 1);
    reference_lines(c, b, s, x, y, w, h, rsize);
    /* the values last, on a white ground, so that no line runs through them */
    for (int i = 0; i < b->n; i++) {
        double bx = x + slot * i + (slot - bw) / 2, bh = h * fmin(b->values[i], s.hi) / s.hi;
        char *v = number(c, b->values[i], 2);
        if (!v)
            continue;
        double vs = sz(c, 10), tw = ly_width_of(c, v, strlen(v), vs, 0);
        ly_rect(c, bx + (bw - tw) / 2 - 1.5, y + bh + 1.5, tw + 3, vs + 1, &WHITE, NULL, 0);
        ly_text_at(c, v, strlen(v), bx + (bw - tw) / 2, y + bh + 3.5, vs, 0, BLACK);
        free(v);
    }
    c->y = y - lh - 4;
    chart_legend(c, b->text2, x);
}

/* ---- line chart: small multiples ---- */

typedef struct {
    scale s;
    double tick_size, title_size, xsize, vsize;
    double ylab_w;          /* tick labels, left of each row */
    double tick_gap;        /* between them and the plot: clear of the first month's label */
    double slot, pw, ph;    /* a panel's share of the width, its plot's width and height */
    int cols;
    double title_h, xlab_h, row_h;
    int xevery;             /* label every xevery-th month (and the last) */
} panels;

static double last_value(const block *b, int s, int *at)
{
    for (int i = b->n - 1; i >= 0; i--)
        if (!isnan(b->series[s][i])) {
            *at = i;
            return b->series[s][i];
        }
    *at = -1;
    return NAN;
}

static panels panel_geometry(rctx *c, const block *b)
{
    panels g = {.tick_size = sz(c, 8), .title_size = sz(c, 11), .xsize = sz(c, 9), .vsize = sz(c, 9.5)};
    double dmin = INFINITY, dmax = -INFINITY;
    for (int s = 0; s <= b->nseries; s++) {
        const double *v = s < b->nseries ? b->series[s] : b->reference;
        for (int i = 0; v && i < b->n; i++)
            if (!isnan(v[i])) {
                dmin = fmin(dmin, v[i]);
                dmax = fmax(dmax, v[i]);
            }
    }
    /* (fewer ticks where their labels' lines would not stand clear of each other on the 70 pt plot: type
     * larger than 8 pt, the official style's 12 or the modern handout's 11) */
    for (int parts = 4; parts >= 1; parts--) {
        g.s = nice_scale(dmin, dmax, b->lo_limit, b->hi_limit, parts);
        if (ticks(g.s) * ly_line_height(c, g.tick_size) <= 70 + 0.5)
            break;
    }
    g.tick_gap = 4 + (b->n ? ly_width_of(c, b->labels[0], strlen(b->labels[0]), g.xsize, 0) / 2 : 0);
    g.ylab_w = tick_width(c, g.s, g.tick_size) + g.tick_gap + 2;
    double vw = 0; /* room right of each plot for its last value */
    for (int s = 0; s < b->nseries; s++) {
        int at;
        double v = last_value(b, s, &at);
        char *t = at >= 0 ? number(c, v, 2) : NULL;
        if (t)
            vw = fmax(vw, ly_width_of(c, t, strlen(t), g.vsize, 1));
        free(t);
    }
    double room = c->x1 - c->x0 - g.ylab_w;
    g.cols = (int)(room / 165);
    g.cols = g.cols < 1 ? 1 : g.cols > b->nseries ? (b->nseries ? b->nseries : 1) : g.cols;
    g.slot = room / g.cols;
    g.pw = g.slot - vw - 8 - 14;
    g.ph = 70; /* a tick label's line (not only its ink) clear of the next one's */
    g.title_h = ly_line_height(c, g.title_size);
    g.xlab_h = ly_line_height(c, g.xsize);
    g.row_h = g.title_h + 4 + g.ph + g.xlab_h + 6;
    /* month labels as often as they fit side by side */
    double mw = 0, step = b->n > 1 ? g.pw / (b->n - 1) : g.pw;
    for (int i = 0; i < b->n; i++)
        mw = fmax(mw, ly_width_of(c, b->labels[i], strlen(b->labels[i]), g.xsize, 0));
    static const int every[] = {1, 3, 6, 12}; /* months, quarters, halves of the fiscal year */
    g.xevery = 12;
    for (size_t k = 0; k < sizeof every / sizeof *every; k++)
        if (every[k] * step >= mw + 4) {
            g.xevery = every[k];
            break;
        }
    return g;
}

static double x_at(const block *b, const panels *g, double px, int i)
{
    return b->n > 1 ? px + g->pw * i / (b->n - 1) : px + g->pw / 2;
}

/* A series as line segments between months that both have data. */
static void polyline(rctx *c, const block *b, const panels *g, const double *v, double px, double py, pdf_rgb col,
                     double width, int dashed)
{
    for (int i = 1; i < b->n; i++)
        if (!isnan(v[i - 1]) && !isnan(v[i]))
            ly_rule(c, x_at(b, g, px, i - 1), y_of(g->s, py, g->ph, v[i - 1]), x_at(b, g, px, i),
                    y_of(g->s, py, g->ph, v[i]), col, width, dashed);
}

static void month_labels(rctx *c, const block *b, const panels *g, double px, double py)
{
    double last_l = INFINITY;
    if (b->n > 0) {
        const char *t = b->labels[b->n - 1];
        last_l = x_at(b, g, px, b->n - 1) - ly_width_of(c, t, strlen(t), g->xsize, 0) / 2;
    }
    for (int i = 0; i < b->n; i++) {
        const char *t = b->labels[i];
        double tw = ly_width_of(c, t, strlen(t), g->xsize, 0), lx = x_at(b, g, px, i) - tw / 2;
        if (i != b->n - 1 && (i % g->xevery || lx + tw + 3 > last_l))
            continue; /* no room: the last month is always named */
        ly_rule(c, x_at(b, g, px, i), py, x_at(b, g, px, i), py - 2.5, BLACK, 0.5, 0);
        ly_text_at(c, t, strlen(t), lx, py - 3 - ly_baseline_offset(c, g->xsize), g->xsize, 0, BLACK);
    }
}

static void panel(rctx *c, const block *b, const panels *g, int s, double px, double top, int first_in_row)
{
    double py = top - g->title_h - 4 - g->ph;
    const char *name = b->names[s];
    ly_text_at(c, name, strlen(name), px, top - ly_baseline_offset(c, g->title_size), g->title_size, 1, BLACK);
    grid(c, g->s, px, py, g->pw, g->ph, g->tick_size, first_in_row, g->tick_gap);
    for (int i = 0; i < b->nrefs; i++) /* thresholds: the legend names them */
        if (b->refs[i] >= g->s.lo && b->refs[i] <= g->s.hi)
            ly_rule(c, px, y_of(g->s, py, g->ph, b->refs[i]), px + g->pw, y_of(g->s, py, g->ph, b->refs[i]), REF_LINE,
                    0.7, 2);
    if (b->reference)
        polyline(c, b, g, b->reference, px, py, REF_SERIES, 1, 1);
    polyline(c, b, g, b->series[s], px, py, SERIES, 1.5, 0);
    for (int i = 0; i < b->n; i++) /* a mark at each month, so a lone month with data shows too */
        if (!isnan(b->series[s][i])) {
            double d = 2.2;
            ly_rect(c, x_at(b, g, px, i) - d / 2, y_of(g->s, py, g->ph, b->series[s][i]) - d / 2, d, d, &SERIES,
                    NULL, 0);
        }
    int at;
    double v = last_value(b, s, &at);
    if (at >= 0) {
        double lx = x_at(b, g, px, at), ly = y_of(g->s, py, g->ph, v), d = 4;
        ly_rect(c, lx - d / 2, ly - d / 2, d, d, &SERIES, &WHITE, 0.6);
        char *t = number(c, v, 2);
        /* beside its mark, but its line clear of the month names under the axis (a value of 0 set
         * "0.00" over "ต.ค.") and, where it reaches under the panel's name (one month: the mark in
         * the middle), clear of that name's line too */
        double base = ly - g->vsize * 0.35, mt = pdf_mark_top(c->pdf), mb = pdf_mark_bottom(c->pdf);
        base = fmax(base, py - 3 - g->vsize * mb + 0.5);
        if (lx + 5 < px + ly_width_of(c, name, strlen(name), g->title_size, 1) + 2)
            base = fmin(base, top - g->title_h - g->vsize * mt - 0.5);
        if (t)
            ly_text_at(c, t, strlen(t), lx + 5, base, g->vsize, 1, SERIES);
        free(t);
    }
    month_labels(c, b, g, px, py);
}

/* Where the legend goes: in the empty panels of the last row when it fits
 * there (it then reads beside the panels it explains), else under the
 * chart. The box's left edge and width, 0 width = under the chart. */
static double legend_slot(rctx *c, const block *b, const panels *g, double *x)
{
    int used = b->nseries % g->cols;
    if (!used || !b->text2 || !*b->text2)
        return 0;
    *x = c->x0 + g->ylab_w + used * g->slot + 6;
    double w = c->x1 - *x;
    return legend_height(c, b->text2, w, sz(c, 9.5)) <= g->row_h - 4 ? w : 0;
}

/* The legend's height when it goes under the chart. */
static double legend_below(rctx *c, const block *b, const panels *g, double slot_width)
{
    return slot_width > 0 || !b->text2 || !*b->text2 ? 0
                                                     : legend_height(c, b->text2, c->x1 - c->x0 - g->ylab_w, sz(c, 10)) + 6;
}

/* What must fit under the title: the whole chart when a page can hold it,
 * else its first row (the rest follows row by row). */
static double first_need(rctx *c, const block *b, const panels *g, double below)
{
    int rows = (b->nseries + g->cols - 1) / g->cols;
    double whole = rows * g->row_h + below;
    if (whole + ly_line_height(c, 14) + 6 <= c->ytop - c->ybot)
        return whole;
    return g->row_h + (rows == 1 ? below : 0);
}

void ly_render_linechart(rctx *c, const block *b)
{
    panels g = panel_geometry(c, b);
    double lx = 0, lw = legend_slot(c, b, &g, &lx), below = legend_below(c, b, &g, lw);
    int rows = (b->nseries + g.cols - 1) / g.cols;
    double need = first_need(c, b, &g, below), frame = c->ytop - c->ybot;
    /* whole on a page of its own but not under what opens this one (a heading and a line, under 15 % of the
     * page): it runs on from here, row by row, rather than leave them alone (the handout's appendix heading
     * on a page 19 % full, the chart on the next) */
    if (c->y < c->ytop - 1 && c->ytop - c->y < 0.15 * frame && c->y - ly_line_height(c, 14) - 6 - need < c->ybot)
        need = g.row_h + (rows == 1 ? below : 0);
    chart_title(c, b->text, need);
    /* a chart whole on its page, with what follows it (c->after) under it, grows its plots into the room left
     * (the handout's appendix page was a third empty under 70 pt plots), each plot no taller than it is wide;
     * the scale and its ticks stay as chosen for 70 pt */
    double spare = c->after < 0 ? 0 : (c->y - c->ybot - c->after - 10 - rows * g.row_h - below) / rows;
    if (spare > 0 && g.ph < g.pw) {
        double add = fmin(spare, g.pw - g.ph);
        g.ph += add;
        g.row_h += add;
    }
    for (int s = 0; s < b->nseries && !c->err; s++) {
        int col = s % g.cols, last_row = s / g.cols == rows - 1;
        if (col == 0) {
            int page = c->page;
            ly_ensure(c, g.row_h + (last_row ? below : 0)); /* the legend stays with the last row */
            if (c->page != page) { /* a chart running on: its title again, marked as continued */
                char *t = util_format("%s (ต่อ)", b->text);
                if (!t) {
                    c->err = 1;
                    return;
                }
                chart_title(c, t, g.row_h);
                free(t);
            }
        }
        panel(c, b, &g, s, c->x0 + g.ylab_w + col * g.slot, c->y, col == 0);
        if (s == b->nseries - 1 && lw > 0) {
            double y = c->y;
            ly_text_block(c, b->text2, (layout_style){sz(c, 9.5), 0, ALIGN_LEFT, 0, 0, GREY}, lx, lw, 0);
            c->y = y;
        }
        if (col == g.cols - 1 || s == b->nseries - 1)
            c->y -= g.row_h;
    }
    if (lw <= 0)
        chart_legend(c, b->text2, c->x0 + g.ylab_w);
}

double ly_chart_lead(rctx *c, const block *b)
{
    double title = ly_line_height(c, 14) + 6;
    if (b->type == B_BAR) {
        scale s = {0, b->maxv > 0 ? b->maxv : 1, 0};
        s.step = nice_step(s.hi, 5);
        return title + BAR_MIN + 2 * ly_line_height(c, sz(c, 11)) + 16 +
               bar_legend(c, b, c->x0 + tick_width(c, s, sz(c, 10)) + 6);
    }
    panels g = panel_geometry(c, b);
    double lx = 0;
    return title + first_need(c, b, &g, legend_below(c, b, &g, legend_slot(c, b, &g, &lx)));
}
