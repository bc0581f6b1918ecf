#include "shape.h"

#include <hb-ot.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct shape_font {
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    hb_draw_funcs_t *draw;
    unsigned upem, nglyphs;
    const unsigned char *loca, *glyf;
    unsigned loca_len, glyf_len;
    int long_loca;
    /* ink boxes looked up once per glyph: text extents run per cell */
    short *box_top, *box_bottom;
    unsigned char *box_known;
    /* the figure characters' glyphs, when the font shapes them one by one
     * (figure_glyphs): state 0 not asked yet, 1 usable, -1 not */
    int fig_state;
    uint32_t fig_gid[20];
    int32_t fig_advance[20];
};

struct shape_ctx {
    hb_buffer_t *buf;
};

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A table's bytes inside the file, checked against the file's length. */
typedef struct {
    const unsigned char *p;
    uint32_t len;
} table;

static int find_table(const unsigned char *d, size_t n, const char *tag, table *t)
{
    if (n < 12)
        return -1;
    unsigned count = be16(d + 4);
    if (12 + (size_t)count * 16 > n)
        return -1;
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = d + 12 + i * 16;
        if (memcmp(r, tag, 4) != 0)
            continue;
        uint32_t off = be32(r + 8), len = be32(r + 12);
        if (off > n || len > n - off)
            return -2;
        t->p = d + off;
        t->len = len;
        return 0;
    }
    return -1;
}

/* Byte range of glyph gid in glyf, 0 if sane. */
static int glyph_range(const shape_font *f, uint32_t gid, uint32_t *start, uint32_t *end)
{
    if (gid >= f->nglyphs)
        return -1;
    if (f->long_loca) {
        *start = be32(f->loca + gid * 4);
        *end = be32(f->loca + gid * 4 + 4);
    } else {
        *start = be16(f->loca + gid * 2) * 2u;
        *end = be16(f->loca + gid * 2 + 2) * 2u;
    }
    return *start <= *end && *end <= f->glyf_len ? 0 : -1;
}

/* The checks libharu does not make: it trusts table offsets, counts and
 * glyph offsets, and reads out of bounds (or leaks) on a damaged file. */
static const char *check_tables(shape_font *f, const unsigned char *d, size_t n)
{
    table head, maxp, hhea, hmtx, loca, glyf, cmap;
    uint32_t version = n >= 4 ? be32(d) : 0;
    if (version == 0x4F54544F) /* 'OTTO' */
        return "has PostScript (CFF) outlines, which libharu cannot embed: use a TrueType (.ttf) version of it";
    if (version != 0x00010000 && version != 0x74727565)
        return "is not a TrueType font file";
    /* every table of the directory inside the file: libharu copies some
     * (cvt, fpgm, prep) without looking */
    unsigned count = n >= 12 ? be16(d + 4) : 0;
    if (count == 0 || 12 + (size_t)count * 16 > n)
        return "is damaged: its table directory is cut short";
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = d + 12 + i * 16;
        uint32_t off = be32(r + 8), len = be32(r + 12);
        if (off > n || len > n - off)
            return "is damaged: a table lies outside the file";
    }
    static const char *const need[] = {"head", "maxp", "hhea", "hmtx", "loca", "glyf", "cmap", "name", "post", "OS/2"};
    table t;
    if (n >= 4 && (!memcmp(d, "OTTO", 4) || find_table(d, n, "CFF ", &t) == 0 || find_table(d, n, "CFF2", &t) == 0))
        return "has PostScript (CFF) outlines, which libharu cannot embed: use a TrueType (.ttf) version of the font";
    for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
        int rc = find_table(d, n, need[i], &t);
        if (rc == -2)
            return "is damaged: a table lies outside the file";
        if (rc != 0)
            return !strcmp(need[i], "glyf") ? "has no TrueType outlines (glyf table): libharu cannot embed it"
                                           : "is damaged or incomplete: a required table is missing";
    }
    find_table(d, n, "head", &head);
    find_table(d, n, "maxp", &maxp);
    find_table(d, n, "hhea", &hhea);
    find_table(d, n, "hmtx", &hmtx);
    find_table(d, n, "loca", &loca);
    find_table(d, n, "glyf", &glyf);
    find_table(d, n, "cmap", &cmap);
    if (head.len < 54 || maxp.len < 6 || hhea.len < 36 || cmap.len < 4)
        return "is damaged: a table is too short";
    f->upem = be16(head.p + 18);
    f->long_loca = be16(head.p + 50) != 0;
    f->nglyphs = be16(maxp.p + 4);
    unsigned nhm = be16(hhea.p + 34);
    if (f->upem < 16 || f->upem > 16384 || be16(head.p + 50) > 1)
        return "is damaged: the head table is invalid";
    if (f->nglyphs == 0 || nhm == 0 || nhm > f->nglyphs || hmtx.len < 4u * nhm + 2u * (f->nglyphs - nhm))
        return "is damaged: glyph counts and metrics disagree";
    if (loca.len < (f->nglyphs + 1u) * (f->long_loca ? 4u : 2u))
        return "is damaged: the glyph index (loca) is too short";
    f->loca = loca.p;
    f->loca_len = loca.len;
    f->glyf = glyf.p;
    f->glyf_len = glyf.len;
    for (uint32_t g = 0; g < f->nglyphs; g++) {
        uint32_t s, e;
        if (glyph_range(f, g, &s, &e) != 0)
            return "is damaged: a glyph lies outside its table";
        if (e > s && e - s < 10)
            return "is damaged: a glyph is truncated";
    }
    /* libharu draws through the Windows Unicode cmap (3,1) format 4 */
    unsigned nsub = be16(cmap.p + 2);
    if (4 + (size_t)nsub * 8 > cmap.len)
        return "is damaged: the cmap table is truncated";
    int found = 0;
    for (unsigned i = 0; i < nsub; i++) {
        const unsigned char *r = cmap.p + 4 + i * 8;
        uint32_t off = be32(r + 4);
        if (be16(r) != 3 || be16(r + 2) != 1)
            continue;
        if (off > cmap.len || cmap.len - off < 14 || be16(cmap.p + off) != 4)
            continue;
        const unsigned char *s = cmap.p + off;
        unsigned len = be16(s + 2), segx2 = be16(s + 6);
        if (len > cmap.len - off || segx2 == 0 || segx2 % 2 || 16 + 4u * segx2 > len)
            return "is damaged: its Unicode cmap is truncated";
        found = 1;
    }
    if (!found)
        return "has no Windows Unicode character map (cmap 3,1 format 4), which libharu needs";
    return NULL;
}

shape_font *shape_font_open(const char *path, int need_thai, char *why, size_t why_len)
{
    shape_font *f = calloc(1, sizeof *f);
    const char *err = NULL;
    if (!f) {
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    f->blob = hb_blob_create_from_file_or_fail(path);
    if (!f->blob)
        err = "cannot be read";
    unsigned n = 0;
    const unsigned char *d = f->blob ? (const unsigned char *)hb_blob_get_data(f->blob, &n) : NULL;
    if (!err)
        err = check_tables(f, d, n);
    if (!err) {
        f->face = hb_face_create(f->blob, 0);
        f->font = hb_font_create(f->face);
        f->draw = hb_draw_funcs_create();
        f->box_top = calloc(f->nglyphs, sizeof *f->box_top);
        f->box_bottom = calloc(f->nglyphs, sizeof *f->box_bottom);
        f->box_known = calloc(f->nglyphs, 1);
        if (!f->box_top || !f->box_bottom || !f->box_known)
            err = "out of memory";
        hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    }
    if (!err && need_thai) {
        static const uint32_t thai[] = {0x0E01, 0x0E1B, 0x0E32, 0x0E34, 0x0E38, 0x0E48, 0x0E49, 0x0E33, 0x0E40};
        for (size_t i = 0; i < sizeof thai / sizeof *thai; i++)
            if (!shape_font_glyph(f, thai[i])) {
                err = "has no Thai letters (or lacks some of the basic ones)";
                break;
            }
    }
    if (err) {
        snprintf(why, why_len, "%s", err);
        shape_font_free(f);
        return NULL;
    }
    return f;
}

void shape_font_free(shape_font *f)
{
    if (!f)
        return;
    hb_draw_funcs_destroy(f->draw);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->box_top);
    free(f->box_bottom);
    free(f->box_known);
    free(f);
}

unsigned shape_font_upem(const shape_font *f) { return f->upem; }

uint32_t shape_font_glyph(const shape_font *f, uint32_t cp)
{
    hb_codepoint_t g = 0;
    return hb_font_get_nominal_glyph(f->font, cp, &g) ? g : 0;
}

int shape_glyph_advance(const shape_font *f, uint32_t gid) { return hb_font_get_glyph_h_advance(f->font, gid); }

void shape_glyph_box(shape_font *f, uint32_t gid, int *top, int *bottom)
{
    *top = *bottom = 0;
    if (gid >= f->nglyphs)
        return;
    if (!f->box_known[gid]) {
        hb_glyph_extents_t e = {0};
        hb_font_get_glyph_extents(f->font, gid, &e);
        f->box_top[gid] = (short)e.y_bearing;
        f->box_bottom[gid] = (short)(e.y_bearing + e.height);
        f->box_known[gid] = 1;
    }
    *top = f->box_top[gid];
    *bottom = f->box_bottom[gid];
}

static void components(const shape_font *f, uint32_t gid, int depth, void (*fn)(uint32_t, void *), void *u)
{
    uint32_t s, e;
    if (depth > 8 || glyph_range(f, gid, &s, &e) != 0 || e - s < 10 || (int16_t)be16(f->glyf + s) >= 0)
        return;
    uint32_t i = s + 10;
    for (;;) {
        if (i + 4 > e)
            return;
        unsigned flags = be16(f->glyf + i), g = be16(f->glyf + i + 2);
        fn(g, u);
        components(f, g, depth + 1, fn, u);
        i += 4 + ((flags & 1) ? 4 : 2);
        i += (flags & 0x8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0;
        if (!(flags & 0x20))
            return;
    }
}

void shape_glyph_components(const shape_font *f, uint32_t gid, void (*fn)(uint32_t gid, void *u), void *u)
{
    components(f, gid, 0, fn, u);
}

/* ---- outlines ---- */
typedef struct {
    const shape_pen *pen;
    void *u;
} pen_ctx;

static void d_move(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float x, float y, void *ud)
{
    (void)df, (void)st, (void)ud;
    pen_ctx *c = data;
    c->pen->move(c->u, x, y);
}
static void d_line(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float x, float y, void *ud)
{
    (void)df, (void)st, (void)ud;
    pen_ctx *c = data;
    c->pen->line(c->u, x, y);
}
static void d_quad(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float cx, float cy, float x, float y,
                   void *ud)
{
    (void)df, (void)ud;
    pen_ctx *c = data;
    double x0 = st->current_x, y0 = st->current_y;
    c->pen->cubic(c->u, x0 + 2.0 / 3 * (cx - x0), y0 + 2.0 / 3 * (cy - y0), x + 2.0 / 3 * (cx - x),
                  y + 2.0 / 3 * (cy - y), x, y);
}
static void d_cubic(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float x1, float y1, float x2, float y2,
                    float x, float y, void *ud)
{
    (void)df, (void)st, (void)ud;
    pen_ctx *c = data;
    c->pen->cubic(c->u, x1, y1, x2, y2, x, y);
}
static void d_close(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, void *ud)
{
    (void)df, (void)st, (void)ud;
    pen_ctx *c = data;
    c->pen->close(c->u);
}

void shape_glyph_outline(const shape_font *f, uint32_t gid, const shape_pen *pen, void *u)
{
    if (!hb_draw_funcs_is_immutable(f->draw)) {
        hb_draw_funcs_set_move_to_func(f->draw, d_move, NULL, NULL);
        hb_draw_funcs_set_line_to_func(f->draw, d_line, NULL, NULL);
        hb_draw_funcs_set_quadratic_to_func(f->draw, d_quad, NULL, NULL);
        hb_draw_funcs_set_cubic_to_func(f->draw, d_cubic, NULL, NULL);
        hb_draw_funcs_set_close_path_func(f->draw, d_close, NULL, NULL);
        hb_draw_funcs_make_immutable(f->draw);
    }
    pen_ctx c = {pen, u};
    hb_font_get_glyph_shape(f->font, gid, f->draw, &c);
}

/* ---- shaping ---- */
shape_ctx *shape_ctx_new(void)
{
    shape_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(c->buf)) {
        hb_buffer_destroy(c->buf);
        free(c);
        return NULL;
    }
    return c;
}

void shape_ctx_free(shape_ctx *c)
{
    if (!c)
        return;
    hb_buffer_destroy(c->buf);
    free(c);
}

static int is_thai(uint32_t c) { return c >= 0x0E00 && c <= 0x0E7F; }

/* A character that belongs with the one before it (a combining mark), so it
 * stays in its base's font and run. */
static int is_combining(uint32_t c)
{
    hb_unicode_general_category_t g = hb_unicode_general_category(hb_unicode_funcs_get_default(), c);
    return g == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK || g == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           g == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

int shape_is_mark(uint32_t c)
{
    return hb_unicode_general_category(hb_unicode_funcs_get_default(), c) ==
           HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK;
}

static int is_common(uint32_t c)
{
    hb_script_t s = hb_unicode_script(hb_unicode_funcs_get_default(), c);
    return s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN;
}

/* A glyph's cluster and its place in the run, sorted by both. */
typedef struct {
    uint32_t cluster, at;
} cluster_at;

static int cmp_cluster(const void *a, const void *b)
{
    const cluster_at *x = a, *y = b;
    return x->cluster != y->cluster ? (x->cluster < y->cluster ? -1 : 1) : (x->at < y->at ? -1 : x->at > y->at);
}

/* Shapes bytes [start, end) of s with one font and appends the glyphs. */
static int shape_run(shape_ctx *c, shape_font *f, int fi, int thai, const char *s, size_t len, size_t start,
                     size_t end, shape_glyph **out, size_t *n, size_t *cap)
{
    hb_buffer_t *b = c->buf;
    hb_buffer_clear_contents(b);
    hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
    hb_buffer_add_utf8(b, s, (int)len, (unsigned)start, (int)(end - start));
    hb_buffer_set_direction(b, HB_DIRECTION_LTR);
    hb_buffer_set_script(b, thai ? HB_SCRIPT_THAI : HB_SCRIPT_LATIN);
    hb_buffer_set_language(b, hb_language_from_string(thai ? "th" : "en", -1));
    hb_shape(f->font, b, NULL, 0);
    if (!hb_buffer_allocation_successful(b))
        return -1;
    unsigned gn = 0;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(b, &gn);
    hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(b, NULL);
    if (util_grow((void **)out, cap, *n + gn, sizeof **out))
        return -1;
    /* Each glyph gives back the text from its cluster to the next cluster
     * of the run; glyphs sharing a cluster (ำ split into ํ + า) give it from
     * the last of them, so the text reads in logical order. */
    /* One sort of (cluster, place) gives both in O(n log n): a glyph is the
     * last of its cluster when the next pair has another cluster, and the
     * next cluster is the first pair's of the next group. (A search over
     * every later glyph per glyph made one long paragraph quadratic.) */
    cluster_at *cl = malloc((gn + 1) * sizeof *cl);
    uint32_t *next_of = malloc((gn + 1) * sizeof *next_of);
    unsigned char *last = malloc(gn + 1);
    if (!cl || !next_of || !last) {
        free(cl);
        free(next_of);
        free(last);
        return -1;
    }
    int sorted = 1; /* left to right, HarfBuzz's clusters seldom go back: then no sort */
    for (unsigned i = 0; i < gn; i++) {
        cl[i] = (cluster_at){gi[i].cluster, i};
        sorted &= i == 0 || cl[i - 1].cluster <= cl[i].cluster;
    }
    if (!sorted)
        qsort(cl, gn, sizeof *cl, cmp_cluster);
    uint32_t next = (uint32_t)end;
    for (unsigned i = gn; i-- > 0;) { /* from the end: the next group's cluster is known */
        int group_end = i + 1 == gn || cl[i + 1].cluster != cl[i].cluster;
        if (i + 1 < gn && group_end)
            next = cl[i + 1].cluster;
        last[cl[i].at] = (unsigned char)group_end;
        next_of[cl[i].at] = next;
    }
    for (unsigned i = 0; i < gn; i++) {
        uint32_t k = gi[i].cluster;
        (*out)[*n + i] = (shape_glyph){gi[i].codepoint, gp[i].x_advance, gp[i].x_offset, gp[i].y_offset,
                                       k, last[i] ? next_of[i] - k : 0, (unsigned char)fi};
    }
    free(next_of);
    free(last);
    free(cl);
    *n += gn;
    return 0;
}

/* Shapes the text with HarfBuzz, run by run (by font and script). */
static int shape_runs(shape_ctx *c, shape_font *const fonts[2], const char *s, size_t len, shape_glyph **out,
                      int *missing)
{
    size_t n = 0, cap = 0, i = 0, run = 0;
    int run_font = -1, run_thai = 0;
    *out = NULL;
    *missing = 0;
    while (i <= len) {
        size_t at = i;
        int fi = run_font < 0 ? 0 : run_font, thai = run_thai;
        if (i < len) {
            uint32_t cp = util_utf8_next(s, len, &i);
            if (!(is_combining(cp) && run_font >= 0)) {
                if (shape_font_glyph(fonts[0], cp))
                    fi = 0;
                else if (fonts[1] && shape_font_glyph(fonts[1], cp))
                    fi = 1;
                else {
                    fi = 0;
                    *missing += cp > ' ';
                }
            }
            if (!is_common(cp) || run_font < 0)
                thai = is_thai(cp);
        } else
            i = len + 1;
        if (run_font >= 0 && (at >= len || fi != run_font || thai != run_thai)) {
            if (shape_run(c, fonts[run_font], run_font, run_thai, s, len, run, at, out, &n, &cap) != 0) {
                free(*out);
                *out = NULL;
                return -1;
            }
            run = at;
        }
        run_font = fi;
        run_thai = thai;
    }
    return (int)n;
}

/* Figures ("0.5296", "+12.5%", "(3/4)") without a HarfBuzz call each: a KPI
 * document shapes hundreds of distinct ones, and each call costs thousands
 * of instructions for what is a table look-up when the main font shapes
 * these ASCII characters one by one (its cmap glyph, its hmtx advance, no
 * offset, one glyph per byte: no kerning, ligature or contextual form among
 * them). That is HarfBuzz's own decision, once per font: a probe holding
 * every ordered pair of the characters is shaped, and the table is used
 * only if HarfBuzz's glyphs for it are exactly the table's. */
static const char figure_chars[] = "0123456789.,+-%()/: ";
#define NFIG (sizeof figure_chars - 1)

static int fig_index(unsigned char ch)
{
    const char *at = ch ? strchr(figure_chars, ch) : NULL;
    return at ? (int)(at - figure_chars) : -1;
}

/* Whether the main font shapes figures from its table: 1, 0, or -1 when
 * out of memory (asked again next time). */
static int figures_usable(shape_ctx *c, shape_font *const fonts[2])
{
    shape_font *f = fonts[0];
    if (f->fig_state)
        return f->fig_state > 0;
    for (size_t i = 0; i < NFIG; i++) {
        f->fig_gid[i] = shape_font_glyph(f, (unsigned char)figure_chars[i]);
        if (!f->fig_gid[i]) { /* a character the font lacks: HarfBuzz and the fallback */
            f->fig_state = -1;
            return 0;
        }
        f->fig_advance[i] = shape_glyph_advance(f, f->fig_gid[i]);
    }
    char probe[2 * NFIG * NFIG];
    size_t len = 0;
    for (size_t a = 0; a < NFIG; a++)
        for (size_t b = 0; b < NFIG; b++) {
            probe[len++] = figure_chars[a];
            probe[len++] = figure_chars[b];
        }
    shape_glyph *g = NULL;
    int missing = 0, n = shape_runs(c, fonts, probe, len, &g, &missing);
    if (n < 0)
        return -1;
    int same = (size_t)n == len && missing == 0;
    for (int i = 0; same && i < n; i++) {
        int k = fig_index((unsigned char)probe[i]);
        same = g[i].gid == f->fig_gid[k] && g[i].advance == f->fig_advance[k] && g[i].x_offset == 0 &&
               g[i].y_offset == 0 && g[i].text == (uint32_t)i && g[i].text_len == 1 && g[i].font == 0;
    }
    free(g);
    f->fig_state = same ? 1 : -1;
    return same;
}

/* A figure's glyphs from the main font's table: the count, -2 when s is not
 * a figure or the font needs HarfBuzz for it, -1 when out of memory. */
static int figure_glyphs(shape_ctx *c, shape_font *const fonts[2], const char *s, size_t len, shape_glyph **out)
{
    if (len == 0 || len > 64)
        return -2;
    for (size_t i = 0; i < len; i++)
        if (fig_index((unsigned char)s[i]) < 0)
            return -2;
    int usable = figures_usable(c, fonts);
    if (usable <= 0)
        return usable < 0 ? -1 : -2;
    shape_glyph *g = malloc(len * sizeof *g);
    if (!g)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int k = fig_index((unsigned char)s[i]);
        g[i] = (shape_glyph){fonts[0]->fig_gid[k], fonts[0]->fig_advance[k], 0, 0, (uint32_t)i, 1, 0};
    }
    *out = g;
    return (int)len;
}

int shape_text(shape_ctx *c, shape_font *const fonts[2], const char *s, size_t len, shape_glyph **out, int *missing)
{
    *out = NULL;
    *missing = 0;
    int n = figure_glyphs(c, fonts, s, len, out);
    return n != -2 ? n : shape_runs(c, fonts, s, len, out, missing);
}
