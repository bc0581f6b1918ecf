/* layout_chart: bar and line charts with their axes and labels. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- charts ---- */

static double nice_step(double range)
{
    double raw = range / 5, mag = pow(10, floor(log10(raw > 0 ? raw : 1)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static void axis(rctx *c, double x, double y, double w, double h, double maxv, double *step_out)
{
    double step = nice_step(maxv);
    *step_out = step;
    for (double v = 0; v <= maxv + step * 0.01; v += step) {
        double yy = y + h * v / maxv;
        ly_rule(c, x, yy, x + w, yy, (pdf_rgb){0.85, 0.85, 0.85}, 0.4, 0);
        char *lab = thai_number_d(v, step < 1 ? 1 : 0, c->d->setup.thai_digits);
        if (!lab)
            c->err = 1;
        if (lab) {
            double tw = ly_width_of(c, lab, strlen(lab), 11, 0);
            ly_text_at(c, lab, strlen(lab), x - tw - 4, yy - 3, 11, 0, BLACK);
        }
        free(lab);
    }
    ly_rule(c, x, y, x + w, y, BLACK, 0.6, 0);
    ly_rule(c, x, y, x, y + h, BLACK, 0.6, 0);
}

/* The chart's title; `height` is what the chart needs below it, so that
 * title and chart stay on one page. */
static void chart_title(rctx *c, const char *title, double height)
{
    double lh = ly_line_height(c, 14);
    ly_ensure(c, lh + 6 + height);
    double tw = ly_width_of(c, title, strlen(title), 14, 1);
    ly_text_at(c, title, strlen(title), (c->x0 + c->x1 - tw) / 2, c->y - ly_baseline_offset(c, 14), 14, 1, BLACK);
    c->y -= lh + 6;
}

void ly_render_bar(rctx *c, const block *b)
{
    double h = 110, x = c->x0 + 30, w = c->x1 - x, lh = ly_line_height(c, 11);
    chart_title(c, b->text, h + 2 * lh + 16);
    double y = c->y - h, maxv = b->maxv > 0 ? b->maxv : 1, step;
    { /* the mean ± 1 SD band, shaded */
        double lo = fmax(0, b->mean - b->sd), hi = fmin(maxv, b->mean + b->sd);
        pdf_rgb band = {0.88, 0.88, 0.88};
        ly_rect(c, x, y + h * lo / maxv, w, h * (hi - lo) / maxv, &band, NULL, 0);
    }
    axis(c, x, y, w, h, maxv, &step);
    double slot = w / (b->n ? b->n : 1), bw = slot * 0.55;
    for (int i = 0; i < b->n; i++) {
        double bx = x + slot * i + (slot - bw) / 2, bh = h * fmin(b->values[i], maxv) / maxv;
        pdf_rgb fill = {b->shade[i], b->shade[i], b->shade[i]};
        ly_rect(c, bx, y, bw, bh, &fill, &BLACK, 0.5);
        double lw = ly_width_of(c, b->labels[i], strlen(b->labels[i]), 11, 0);
        ly_text_at(c, b->labels[i], strlen(b->labels[i]), x + slot * i + (slot - lw) / 2, y - lh + 2, 11, 0, BLACK);
    }
    /* the mean, over the bars */
    ly_rule(c, x, y + h * b->mean / maxv, x + w, y + h * b->mean / maxv, BLACK, 1, 1);
    /* the values last, on a white ground, so that no line runs through them */
    for (int i = 0; i < b->n; i++) {
        double bx = x + slot * i + (slot - bw) / 2, bh = h * fmin(b->values[i], maxv) / maxv;
        char *v = thai_number_d(b->values[i], 2, c->d->setup.thai_digits);
        if (!v) {
            c->err = 1;
            continue;
        }
        double tw = ly_width_of(c, v, strlen(v), 10, 0);
        static const pdf_rgb white = {1, 1, 1};
        ly_rect(c, bx + (bw - tw) / 2 - 1.5, y + bh + 1.5, tw + 3, 11, &white, NULL, 0);
        ly_text_at(c, v, strlen(v), bx + (bw - tw) / 2, y + bh + 3.5, 10, 0, BLACK);
        free(v);
    }
    c->y = y - lh - 4;
    ly_text_at(c, b->text2, strlen(b->text2), x, c->y - ly_baseline_offset(c, 11), 11, 0, GREY);
    c->y -= lh + 6;
}

void ly_render_linechart(rctx *c, const block *b)
{
    double h = 105, x = c->x0 + 30, w = c->x1 - x - 90, lh = ly_line_height(c, 11);
    chart_title(c, b->text, h + 2 * lh + 16);
    double maxv = b->target, step;
    for (int s = 0; s < b->nseries; s++)
        for (int i = 0; i < b->n; i++)
            maxv = fmax(maxv, b->series[s][i]);
    maxv = maxv * 1.15;
    double y = c->y - h;
    axis(c, x, y, w, h, maxv, &step);
    double slot = b->n > 1 ? w / (b->n - 1) : w;
    for (int i = 0; i < b->n; i++) {
        double lw = ly_width_of(c, b->labels[i], strlen(b->labels[i]), 10, 0);
        ly_text_at(c, b->labels[i], strlen(b->labels[i]), x + slot * i - lw / 2, y - lh + 2, 10, 0, BLACK);
    }
    for (int s = 0; s < b->nseries && !c->err; s++) {
        double g = b->nseries > 1 ? 0.6 * s / (b->nseries - 1) : 0;
        pdf_rgb col = {g, g, g};
        for (int i = 1; i < b->n; i++)
            if (b->series[s][i - 1] > 0 && b->series[s][i] > 0)
                ly_rule(c, x + slot * (i - 1), y + h * b->series[s][i - 1] / maxv, x + slot * i,
                         y + h * b->series[s][i] / maxv, col, 1.2, s % 2);
    }
    /* end-of-line labels, spread apart so that close series stay readable */
    int ns = b->nseries;
    double *ly = malloc(((size_t)ns + 1) * sizeof *ly);
    int *order = malloc(((size_t)ns + 1) * sizeof *order);
    if (!ly || !order) {
        free(ly);
        free(order);
        c->err = 1;
        return;
    }
    for (int s = 0; s < ns; s++) {
        int last = b->n - 1;
        while (last > 0 && b->series[s][last] <= 0)
            last--;
        ly[s] = y + h * b->series[s][last] / maxv - 3;
        order[s] = s;
    }
    for (int i = 1; i < ns; i++) /* insertion sort by height, lowest first */
        for (int j = i; j > 0 && ly[order[j]] < ly[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 1; i < ns; i++)
        if (ly[order[i]] < ly[order[i - 1]] + 12)
            ly[order[i]] = ly[order[i - 1]] + 12;
    for (int s = 0; s < ns; s++)
        ly_text_at(c, b->names[s], strlen(b->names[s]), x + w + 6, ly[s], 10, 0, BLACK);
    free(ly);
    free(order);
    if (b->target > 0)
        ly_rule(c, x, y + h * b->target / maxv, x + w, y + h * b->target / maxv, BLACK, 0.8, 1);
    c->y = y - lh - 4;
    ly_text_at(c, b->text2, strlen(b->text2), x, c->y - ly_baseline_offset(c, 11), 11, 0, GREY);
    c->y -= lh + 6;
}
