/* pdf: khet's PDF documents through libharu: fonts (a main family and
 * its fallback, faces opened once per batch), shaping with the document's
 * and the batch's caches, pages with their own operator buffers (text as
 * glyph runs in logical order, rules, rectangles, outlines of glyphs
 * HarfBuzz places off the pen), and saving through a temporary. Streams and
 * numbers are pdf_stream.c's, font objects pdf_font.c's, what a batch
 * shares pdf_shapes.c's, the outline and document information
 * pdf_outline.c's.
 */
#include "pdf.h"

#include <errno.h>
#include <libdeflate.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fontfind.h"
#include "pdf_int.h"

#define FAKE_BOLD 0.03 /* stroke width of a bold made from a regular face, per point of size */
/* libdeflate's level for every stream, chosen by measurement (README,
 * "Why these libraries"): level 4 costs 0.49 of zlib's level-6 instructions
 * on the 400-row document and its files are 2-4 % smaller than zlib's; level
 * 6 saves 2 % more bytes for 23 % more time, levels 1-2 cost the same as 4
 * (level 1's files are larger than zlib's). */
#define DEFLATE_LEVEL 4

/* libharu reports errors through a callback; we keep the first one and check
 * the context after each call (no global state: the context is user data). */
static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    pdf_doc *p = user;
    if (getenv("KHET_DEBUG"))
        fprintf(stderr, "libharu error 0x%04X detail %u\n", (unsigned)error, (unsigned)detail);
    if (!p->error) {
        p->error = error;
        p->detail = detail;
    }
}

/* ---------------------------------------------------------------- */
/* Fonts                                                            */

/* Adds a message unless d holds the same one already: a run that renders
 * many documents says a thing about its fonts once. */
static void say_once(diag_ctx *d, diag_level level, const char *file, const char *msg)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_msg *m = diag_get(d, i);
        if (m->level == level && m->message && !strcmp(m->message, msg) &&
            (m->file ? file && !strcmp(m->file, file) : !file))
            return;
    }
    diag_add(d, level, file, 0, 0, "%s", msg);
}

static pfont *open_font(pdf_doc *p, const char *path, int need_thai, diag_ctx *d)
{
    for (int i = 0; i < p->nfonts; i++)
        if (!strcmp(p->fonts[i].path, path))
            return &p->fonts[i];
    int index = p->nfonts++;
    pfont *f = &p->fonts[index];
    return pdf_open_font(p->doc, f, index, path, need_thai, &p->error, d) == 0 ? f : NULL;
}


/* The faces of one family into slot column k (0 main, 1 fallback). A
 * family without a bold face draws bold from its regular face, made heavier
 * (fake_bold), and says so. */
static int open_family(pdf_doc *p, int k, const font_faces *ff, diag_ctx *d)
{
    if (!(p->slot[0][k] = open_font(p, ff->regular, k == 0, d)))
        return -1;
    if (ff->bold)
        return (p->slot[1][k] = open_font(p, ff->bold, 0, d)) ? 0 : -1;
    p->slot[1][k] = p->slot[0][k];
    p->fake_bold[k] = 1;
    if (k == 0) {
        char *msg = util_format("font %s has no bold face: bold text is drawn from the regular face, made heavier",
                                ff->family);
        if (msg)
            say_once(d, DIAG_WARNING, ff->regular, msg);
        free(msg);
    }
    return 0;
}

/* "Thai" or "Thai,Latin": the main family and the one that draws what the
 * main one lacks. Without a second name the bundled Laksaman (in the fonts
 * folder) draws what the main family lacks, glyph by glyph: Noto Sans Thai's
 * Latin letters and digits, the ≥ and − that Garuda, Loma and Purisa lack;
 * a note names it when it drew anything (see pdf_save). */
static int open_families(pdf_doc *p, const char *font_dir, const char *family, diag_ctx *d)
{
    char *names = util_strdup(family);
    if (!names) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    char *comma = strchr(names, ','), *fallback = comma ? comma + 1 : NULL;
    if (comma)
        *comma = '\0';
    if (!*names) { /* --font '', ',' or ',Laksaman', or `font =` in settings.ini */
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "the font setting '%s' names no main font: write a family, e.g. --font Laksaman (or font = "
                 "NotoSansThai,Laksaman in settings.ini)",
                 family);
        free(names);
        return -1;
    }
    font_faces main = {0}, second = {0};
    int rc = pdf_shapes_fontfind(p->shared, font_dir, names, &main, d);
    if (rc == 0)
        rc = open_family(p, 0, &main, d);
    if (rc == 0 && fallback && *fallback) {
        rc = pdf_shapes_fontfind(p->shared, font_dir, fallback, &second, d);
        if (rc == 0)
            rc = open_family(p, 1, &second, d);
    } else if (rc == 0 && strcmp(names, "Laksaman") != 0) { /* Laksaman is its own fallback: not looked up again */
        diag_ctx *quiet = diag_new(); /* no bundled font: no fallback, and missing glyphs say so */
        if (quiet && pdf_shapes_fontfind(p->shared, font_dir, "Laksaman", &second, quiet) == 0 &&
            strcmp(second.regular, main.regular) != 0) {
            if (open_family(p, 1, &second, quiet) == 0)
                p->auto_fallback = 1;
            else /* a damaged bundled font: do without */
                p->slot[0][1] = p->slot[1][1] = NULL;
        }
        diag_free(quiet);
    }
    if (rc == 0 && !(p->family = util_strdup(main.family))) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    fontfind_free(&main);
    fontfind_free(&second);
    free(names);
    return rc;
}

/* ---------------------------------------------------------------- */
/* Shaping, cached                                                  */

static uint64_t hash_text(const char *s, size_t len, int face)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)face;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int cache_grow(pdf_doc *p)
{
    size_t cap = p->cache_cap ? p->cache_cap * 2 : 1024;
    shaped *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < p->cache_cap; i++) {
        shaped *e = &p->cache[i];
        if (!e->key)
            continue;
        size_t k = hash_text(e->key, e->len, e->face) & (cap - 1);
        while (t[k].key)
            k = (k + 1) & (cap - 1);
        t[k] = *e;
    }
    free(p->cache);
    p->cache = t;
    p->cache_cap = cap;
    return 0;
}

/* The shaped glyphs of a text in a face; NULL when out of memory. */
static const shaped *shape(pdf_doc *p, pdf_face face, const char *s, size_t len)
{
    if ((p->cache_n + 1) * 2 > p->cache_cap && cache_grow(p) != 0)
        return NULL;
    size_t k = hash_text(s, len, face) & (p->cache_cap - 1);
    for (; p->cache[k].key; k = (k + 1) & (p->cache_cap - 1))
        if (p->cache[k].face == (int)face && p->cache[k].len == len && !memcmp(p->cache[k].key, s, len))
            return &p->cache[k];
    shaped e = {util_strndup(s, len), len, face, NULL, 0, 0};
    shape_font *fonts[2] = {p->slot[face][0]->sf, p->slot[face][1] ? p->slot[face][1]->sf : NULL};
    int missing = 0;
    if (e.key && p->shared && (e.n = pdf_shapes_find(p->shared, p->shape_key[face], s, len, &e.g, &missing)) >= 0)
        ; /* another document of the batch shaped it */
    else if (!e.key || (e.n = shape_text(p->sc, fonts, s, len, &e.g, &missing)) < 0) {
        free(e.key);
        return NULL;
    } else if (p->shared) {
        pdf_shapes_put(p->shared, p->shape_key[face], s, len, e.g, e.n, missing);
    }
    p->missing += missing;
    for (int i = 0; i < e.n; i++)
        p->fallback_chars += e.g[i].font == 1 && e.g[i].text_len > 0;
    for (int i = 0; i < e.n; i++)
        e.width_em += (double)e.g[i].advance / shape_font_upem(fonts[e.g[i].font]);
    p->cache[k] = e;
    p->cache_n++;
    return &p->cache[k];
}

static void measure_marks(pdf_doc *p)
{
    static const char *const stacks[] = {"ปั้", "ฝั่", "ฟื้", "กั๊", "กี๋", "ก็", "ญู", "ฐุ", "ฎุ", "ฏู", "กฺ", "ตู้", "กํ่"};
    double top = 0, bottom = 0, t, b;
    for (int f = 0; f < 2; f++)
        for (size_t i = 0; i < sizeof stacks / sizeof *stacks; i++)
            if (pdf_text_extent(p, (pdf_face)f, stacks[i], strlen(stacks[i]), &t, &b) == 0) {
                top = t > top ? t : top;
                bottom = b < bottom ? b : bottom;
            }
    p->mark_top = top;
    p->mark_bottom = bottom;
}

/* The resource dictionary every page shares: the fonts and the glyph forms. */
static int make_resources(pdf_doc *p)
{
    HPDF_MMgr m = p->doc->mmgr;
    if (!(p->res = HPDF_Dict_New(m)) || HPDF_Xref_Add(p->doc->xref, p->res) != HPDF_OK)
        return -1;
    if (!(p->font_res = HPDF_Dict_New(m)) || HPDF_Dict_Add(p->res, "Font", p->font_res) != HPDF_OK)
        return -1;
    if (!(p->xobj_res = HPDF_Dict_New(m)) || HPDF_Dict_Add(p->res, "XObject", p->xobj_res) != HPDF_OK)
        return -1;
    return 0;
}

static int share_shapes(pdf_doc *p, pdf_shapes *s);

pdf_doc *pdf_new(const char *font_dir, const char *family, diag_ctx *d)
{
    return pdf_new_in(font_dir, family, NULL, d);
}

pdf_doc *pdf_new_in(const char *font_dir, const char *family, pdf_shapes *shared, diag_ctx *d)
{
    pdf_doc *p = calloc(1, sizeof *p);
    if (p)
        p->shared = shared; /* the fonts are looked up through it: keys are set below */
    if (!p || !(p->doc = HPDF_New(on_error, p)) || !(p->sc = shape_ctx_new()) ||
        !(p->zip.z = libdeflate_alloc_compressor(DEFLATE_LEVEL)) || make_resources(p) != 0) {
        pdf_free(p);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "cannot start a PDF document (out of memory)");
        return NULL;
    }
    /* every stream is compressed here, with libdeflate, not by libharu */
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_NONE);
    HPDF_UseUTFEncodings(p->doc);
    if (open_families(p, font_dir, family, d) != 0) {
        pdf_free(p);
        return NULL;
    }
    if (shared && share_shapes(p, shared) != 0) {
        pdf_free(p);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    measure_marks(p);
    return p;
}

void pdf_free(pdf_doc *p)
{
    if (!p)
        return;
    if (p->doc)
        HPDF_Free(p->doc);
    for (int i = 0; i < p->nfonts; i++)
        pdf_free_font(&p->fonts[i]);
    for (size_t i = 0; i < p->cache_cap; i++) {
        free(p->cache[i].key);
        free(p->cache[i].g);
    }
    free(p->cache);
    shape_ctx_free(p->sc);
    if (p->zip.z)
        libdeflate_free_compressor(p->zip.z);
    free(p->zip.buf);
    for (int i = 0; i < p->npages; i++)
        sb_free(&p->content[i].ops);
    free(p->content);
    free(p->pages);
    free(p->family);
    free(p->shape_key[0]);
    free(p->shape_key[1]);
    free(p);
}

static int share_shapes(pdf_doc *p, pdf_shapes *s)
{
    for (int f = 0; f < 2; f++) {
        const pfont *a = p->slot[f][0], *b = p->slot[f][1];
        if (!(p->shape_key[f] = util_format("%d\n%s\n%s", f, a->path, b ? b->path : "")))
            return -1;
    }
    p->shared = s;
    return 0;
}

double pdf_mark_top(const pdf_doc *p) { return p->mark_top; }
double pdf_mark_bottom(const pdf_doc *p) { return p->mark_bottom; }

int pdf_text_extent(pdf_doc *p, pdf_face f, const char *s, size_t len, double *top, double *bottom)
{
    double t = 0, b = 0;
    *top = *bottom = 0;
    const shaped *sh = shape(p, f, s, len);
    if (!sh)
        return -1;
    for (int i = 0; i < sh->n; i++) {
        const shape_glyph *g = &sh->g[i];
        shape_font *sf = p->slot[f][g->font]->sf;
        if (g->text_len && (unsigned char)s[g->text] < ' ')
            continue; /* a line break or tab: no ink */
        int gt, gb;
        shape_glyph_box(sf, g->gid, &gt, &gb);
        if (gt == 0 && gb == 0)
            continue; /* a space */
        double em = shape_font_upem(sf);
        t = (gt + g->y_offset) / em > t ? (gt + g->y_offset) / em : t;
        b = (gb + g->y_offset) / em < b ? (gb + g->y_offset) / em : b;
    }
    *top = t;
    *bottom = b;
    return 0;
}

double pdf_text_width(pdf_doc *p, pdf_face f, double size, const char *s, size_t len)
{
    const shaped *sh = shape(p, f, s, len);
    return sh ? sh->width_em * size : -1;
}

/* ---------------------------------------------------------------- */
/* Streams and numbers                                              */

/* Numbers then an operator: "1 2 3 rg\n". */
static void put_op(strbuf *b, const double *v, int n, int dec, const char *op)
{
    for (int i = 0; i < n; i++)
        pdf_put_num(b, v[i], dec, ' ');
    sb_puts(b, op);
}

/* ---------------------------------------------------------------- */
/* Pages and their graphics state                                   */

/* Strokes the lines waiting as one path. */
static void flush_path(pdf_doc *p)
{
    if (p->pg && p->pg->open_path) {
        sb_puts(&p->pg->ops, "S\n");
        p->pg->open_path = 0;
    }
}

static int same_rgb(pdf_rgb a, pdf_rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

static void set_fill(pdf_doc *p, pdf_rgb c)
{
    if (same_rgb(p->pg->fill, c))
        return;
    flush_path(p);
    put_op(&p->pg->ops, (const double[]){c.r, c.g, c.b}, 3, 4, "rg\n");
    p->pg->fill = c;
}

static void set_stroke(pdf_doc *p, pdf_rgb c, double width, int dash)
{
    pdf_page *pg = p->pg;
    if (!same_rgb(pg->stroke, c)) {
        flush_path(p);
        put_op(&pg->ops, (const double[]){c.r, c.g, c.b}, 3, 4, "RG\n");
        pg->stroke = c;
    }
    if (pg->width != width) {
        flush_path(p);
        put_op(&pg->ops, &width, 1, 3, "w\n");
        pg->width = width;
    }
    if (pg->dash != dash) {
        flush_path(p);
        sb_puts(&pg->ops, dash == 2 ? "[1 2] 0 d\n" : dash ? "[3 2] 0 d\n" : "[] 0 d\n");
        pg->dash = dash;
    }
}

int pdf_begin_page(pdf_doc *p, double width, double height)
{
    flush_path(p);
    p->pg = NULL;
    HPDF_Page page = HPDF_AddPage(p->doc);
    size_t n = (size_t)p->npages + 1;
    if (!page || util_grow((void **)&p->pages, &p->pages_cap, n, sizeof *p->pages) ||
        util_grow((void **)&p->content, &p->content_cap, n, sizeof *p->content))
        return -1;
    p->pages[p->npages] = p->page = page;
    /* PDF's initial graphics state: black, 1 pt lines, solid */
    p->content[p->npages] = (pdf_page){.width = 1};
    p->pg = &p->content[p->npages++];
    HPDF_Page_SetWidth(page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)height);
    if (HPDF_Dict_Add(page, "Resources", p->res) != HPDF_OK)
        return -1;
    return p->error ? -1 : 0;
}

int pdf_select_page(pdf_doc *p, int index)
{
    if (index < 0 || index >= p->npages)
        return -1;
    flush_path(p);
    p->page = p->pages[index];
    p->pg = &p->content[index];
    return 0;
}

/* pen callbacks writing a glyph outline as PDF path operators */
static void pen_move(void *u, double x, double y) { put_op(u, (const double[]){x, y}, 2, 1, "m\n"); }
static void pen_line(void *u, double x, double y) { put_op(u, (const double[]){x, y}, 2, 1, "l\n"); }
static void pen_cubic(void *u, double x1, double y1, double x2, double y2, double x3, double y3)
{
    put_op(u, (const double[]){x1, y1, x2, y2, x3, y3}, 6, 1, "c\n");
}
static void pen_close(void *u) { sb_puts(u, "h\n"); }

/* The number (from 1) of the form that draws one glyph's outline in font
 * units, made once per glyph; 0 when out of memory. */
static int outline_form(pdf_doc *p, pfont *f, uint32_t gid)
{
    HPDF_TTFontDefAttr a = f->def->attr;
    if (gid >= a->num_glyphs)
        return 0;
    if (!f->outline && !(f->outline = calloc(a->num_glyphs, sizeof *f->outline)))
        return 0;
    if (f->outline[gid])
        return f->outline[gid];
    HPDF_Dict form = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
    if (!form)
        return 0;
    form->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    double em = shape_font_upem(f->sf);
    HPDF_Box box = {(HPDF_REAL)-em, (HPDF_REAL)-em, (HPDF_REAL)(2 * em), (HPDF_REAL)(2 * em)};
    strbuf b = {0};
    static const shape_pen pen = {pen_move, pen_line, pen_cubic, pen_close};
    shape_glyph_outline(f->sf, gid, &pen, &b);
    sb_puts(&b, "f\n");
    char name[16];
    snprintf(name, sizeof name, "G%d", p->nforms + 1);
    HPDF_STATUS rc = HPDF_Dict_AddName(form, "Type", "XObject");
    rc += HPDF_Dict_AddName(form, "Subtype", "Form");
    rc += HPDF_Dict_Add(form, "BBox", HPDF_Box_Array_New(p->doc->mmgr, box));
    rc += HPDF_Dict_Add(p->xobj_res, name, form);
    int ok = !b.oom && rc == HPDF_OK && pdf_flate_stream(&p->zip, form, b.data, b.len) == 0;
    sb_free(&b);
    return ok ? (f->outline[gid] = ++p->nforms) : 0;
}

typedef struct {
    pfont *f;
    uint32_t gid;
    double x, y, scale;
} placed;

/* Ends the TJ array (and hex string) being written, if any. */
static void close_tj(strbuf *b, int *in_tj, int *in_str)
{
    if (*in_str)
        sb_puts(b, ">");
    if (*in_tj)
        sb_puts(b, "] TJ\n");
    *in_tj = *in_str = 0;
}

/* Switches the text object to a font at pen position (x, y). */
static int switch_font(pdf_doc *p, pfont *f, double size, double x, double y, strbuf *b)
{
    if (!pdf_font_object(p->doc, p->font_res, f))
        return -1;
    char tf[] = "/F0 "; /* a document has at most 4 fonts (F1-F4): printf cost more than the glyphs */
    tf[2] = (char)('1' + f->index);
    sb_append(b, tf, 4);
    put_op(b, &size, 1, 5, "Tf\n1 0 0 1 ");
    put_op(b, (const double[]){x, y}, 2, 3, "Tm\n");
    return 0;
}

/* A glyph written invisibly (3 Tr) where it stands, then the render mode back. */
static void put_invisible(strbuf *b, int code, int tr)
{
    static const char hex[] = "0123456789ABCDEF";
    char s[32] = "3 Tr\n<";
    char *q = s + 6;
    for (int k = 12; k >= 0; k -= 4)
        *q++ = hex[(code >> k) & 15];
    memcpy(q, "> Tj\n", 5);
    q += 5;
    *q++ = (char)('0' + tr);
    memcpy(q, " Tr\n", 5);
    sb_append(b, s, (size_t)(q + 5 - s));
}

/* Whether c is a non-spacing mark (shape_is_mark), answered here for the
 * characters nearly every glyph stands for: nothing below U+0300 is one,
 * and the Thai block's are fixed (U+0E31, U+0E34-0E3A, U+0E47-0E4E). */
static int is_mark(uint32_t c)
{
    if (c < 0x300)
        return 0;
    if (c >= 0xE00 && c <= 0xE7F)
        return c == 0xE31 || (c >= 0xE34 && c <= 0xE3A) || (c >= 0xE47 && c <= 0xE4E);
    return shape_is_mark(c);
}

/* How many bytes of a glyph's text come before its first non-spacing
 * mark, when that is not at the start. pdf.js takes any glyph whose text
 * holds a mark for a zero-width mark and drops its advance, then reads the
 * gap as a space: FreeSerif's one-glyph ญู and ฐุ, Sarabun's ก that gives
 * back "ก่" when its tone merges with the NIKHAHIT of ำ. Such a glyph gives
 * back only the head; the marks follow as invisible zero-width text. */
static size_t mark_free_head(const char *t, size_t len)
{
    for (size_t i = 0, at = 0; i < len; at = i)
        if (is_mark(util_utf8_next(t, len, &i)))
            return at ? at : len;
    return len;
}

/* The marks a glyph stands for beyond its head (see mark_free_head), as
 * invisible zero-width text where the glyph ends. */
static int write_tail(pfont *f, const char *t, size_t len, int tr, strbuf *b, int *in_tj, int *in_str)
{
    size_t i = 0;
    uint32_t gid = shape_font_glyph(f->sf, util_utf8_next(t, len, &i));
    int code = pdf_code_for(f, gid, t, len, 0);
    if (code <= 0)
        return -1;
    close_tj(b, in_tj, in_str);
    put_invisible(b, code, tr);
    return 0;
}

/* The operators of a shaped text inside the page's text object. Each glyph
 * that gives back text is written as text at its pen position, in logical
 * order, so every reader extracts the words as typed. Each code's width in
 * W is the advance HarfBuzz gives (see code_for), so the text pen (tpen)
 * follows HarfBuzz's pen with no TJ adjustment but for rounding. A glyph
 * HarfBuzz places off its pen position (a mark lowered or moved over ป ฝ ฟ)
 * is written there invisibly (3 Tr) and its ink drawn as a path at the right
 * place, as is a glyph that gives back no text (the NIKHAHIT of ำ). */
static int write_glyphs(pdf_doc *p, pdf_face face, const shaped *sh, double size, double x, double y, placed **pl,
                        size_t *npl, size_t *plcap)
{
    strbuf *b = &p->pg->ops;
    int cur = -1, in_tj = 0, in_str = 0, tr = 0;
    double pen = x, tpen = x, k = 1000.0 / size; /* k: thousandths of an em per point */
    for (int i = 0; i < sh->n; i++) {
        const shape_glyph *g = &sh->g[i];
        pfont *f = p->slot[face][g->font];
        double em = shape_font_upem(f->sf), scale = size / em;
        /* W: the hmtx advance, but a mark's own (none) and, inside a
         * cluster, a base's kerned advance: no adjustment may stand between
         * a base and its marks, and none after a mark either (poppler ends a
         * word at a glyph that starts where a zero-width one did, then reads
         * a gap wider than 0.03 em as a space: Kinnari's "ร ับ" and "รั บ") */
        int32_t hmtx = pdf_glyph_advance(f, g->gid);
        int in_cluster = i + 1 < sh->n && sh->g[i + 1].advance == 0 && sh->g[i + 1].font == g->font;
        int32_t width = g->advance == 0 || in_cluster ? g->advance : hmtx;
        const char *t = sh->key + g->text;
        size_t head = width ? mark_free_head(t, g->text_len) : g->text_len;
        int code = pdf_code_for(f, g->gid, t, head, width);
        if (code < 0)
            return -1;
        if (code != 0 && g->font != cur) {
            close_tj(b, &in_tj, &in_str);
            if (switch_font(p, f, size, pen, y, b) != 0)
                return -1;
            cur = g->font;
            tpen = pen;
            tr = face == PDF_BOLD && p->fake_bold[cur] ? 2 : 0; /* 2: filled and stroked, heavier */
            sb_puts(b, tr ? "2 Tr\n" : "0 Tr\n");
        } else if (code != 0 && fabs(tpen - pen) * k > 0.0005) {
            if (in_str)
                sb_puts(b, ">");
            sb_puts(b, in_tj ? " " : "[ ");
            pdf_put_num(b, (tpen - pen) * k, 3, ' ');
            in_tj = 1;
            in_str = 0;
            tpen = pen;
        }
        double hx = pen + g->x_offset * scale;
        /* within a thousandth of an em of HarfBuzz's place: the glyph itself */
        int off = code != 0 && (fabs(tpen - hx) * k > 1.0 || g->y_offset != 0);
        if (code == 0 || off) {
            if (util_grow((void **)pl, plcap, *npl + 1, sizeof **pl))
                return -1;
            (*pl)[(*npl)++] = (placed){f, g->gid, hx, y + g->y_offset * scale, scale};
        }
        if (off) {
            close_tj(b, &in_tj, &in_str);
            put_invisible(b, code, tr);
        } else if (code != 0) {
            if (!in_tj)
                sb_puts(b, "[");
            if (!in_str)
                sb_puts(b, "<");
            static const char hex[] = "0123456789ABCDEF";
            char h4[4] = {hex[(code >> 12) & 15], hex[(code >> 8) & 15], hex[(code >> 4) & 15], hex[code & 15]};
            sb_append(b, h4, 4);
            in_tj = in_str = 1;
        }
        if (code != 0)
            tpen += pdf_code_w1000(f, (uint32_t)code) / k;
        if (head < g->text_len && write_tail(f, t + head, g->text_len - head, tr, b, &in_tj, &in_str) != 0)
            return -1;
        pen += g->advance * scale;
    }
    close_tj(b, &in_tj, &in_str);
    if (tr)
        sb_puts(b, "0 Tr\n");
    return b->oom ? -1 : 0;
}

int pdf_text(pdf_doc *p, pdf_face f, double size, double x, double y, const char *s, size_t len, pdf_rgb c)
{
    const shaped *sh = shape(p, f, s, len);
    if (!sh || !p->pg)
        return -1;
    placed *pl = NULL;
    size_t npl = 0, cap = 0;
    set_fill(p, c);
    double heavier = f == PDF_BOLD && (p->fake_bold[0] || p->fake_bold[1]) ? size * FAKE_BOLD : 0;
    if (heavier > 0)
        set_stroke(p, c, heavier, 0);
    flush_path(p);
    strbuf *b = &p->pg->ops;
    sb_puts(b, "BT\n");
    int rc = p->error ? -1 : write_glyphs(p, f, sh, size, x, y, &pl, &npl, &cap);
    sb_puts(b, "ET\n");
    for (size_t i = 0; rc == 0 && i < npl; i++) {
        int form = outline_form(p, pl[i].f, pl[i].gid);
        if (!form) {
            rc = -1;
            break;
        }
        /* a heavier outline: the fill drawn twice, a stroke's width apart */
        int fake = heavier > 0 && p->fake_bold[pl[i].f == p->slot[f][0] ? 0 : 1];
        for (int twice = 0; twice <= fake; twice++) {
            double dx = fake ? (twice ? heavier / 2 : -heavier / 2) : 0;
            sb_puts(b, "q\n");
            put_op(b, (const double[]){pl[i].scale, 0, 0, pl[i].scale, pl[i].x + dx, pl[i].y}, 6, 5, "cm\n");
            sb_puts(b, "/G");
            pdf_put_num(b, form, 0, ' '); /* an integer: as "%d" would write it */
            sb_puts(b, "Do\nQ\n");
        }
    }
    free(pl);
    if (rc != 0 || b->oom)
        p->oom = 1;
    return rc == 0 && !p->error && !b->oom ? 0 : -1;
}

int pdf_rect(pdf_doc *p, double x, double y, double w, double h, const pdf_rgb *fill, const pdf_rgb *stroke,
             double lw)
{
    if (!p->pg)
        return -1;
    if (fill)
        set_fill(p, *fill);
    if (stroke)
        set_stroke(p, *stroke, lw, 0);
    flush_path(p);
    put_op(&p->pg->ops, (const double[]){x, y, w, h}, 4, 3, fill && stroke ? "re\nB\n" : fill ? "re\nf\n" : "re\nS\n");
    return p->error || p->pg->ops.oom ? -1 : 0;
}

/* Lines in the same colour, width and dash are one path, stroked once
 * (each subpath is dashed from its own start, as a path of its own is). */
int pdf_line(pdf_doc *p, double x0, double y0, double x1, double y1, pdf_rgb c, double width, int dashed)
{
    if (!p->pg)
        return -1;
    set_stroke(p, c, width, dashed);
    put_op(&p->pg->ops, (const double[]){x0, y0}, 2, 3, "m ");
    put_op(&p->pg->ops, (const double[]){x1, y1}, 2, 3, "l\n");
    p->pg->open_path = 1;
    return p->error || p->pg->ops.oom ? -1 : 0;
}

/* The saved document into buf (size bytes) straight from libharu's buffers
 * with memcpy: its own read copies byte by byte (1 % of a national month);
 * -1 when they do not hold exactly size bytes. */
static int gather(HPDF_Stream s, unsigned char *buf, HPDF_UINT32 size)
{
    HPDF_UINT n = s && s->type == HPDF_STREAM_MEMORY ? HPDF_MemStream_GetBufCount(s) : 0;
    size_t at = 0;
    for (HPDF_UINT i = 0; i < n; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (!b || len > size - at)
            return -1;
        memcpy(buf + at, b, len);
        at += len;
    }
    return n && at == size ? 0 : -1;
}

static int save(pdf_doc *p, const char *path, int staged, diag_ctx *d)
{
    flush_path(p);
    for (int i = 0; i < p->nfonts; i++)
        if (p->fonts[i].type0 && pdf_finish_font(p->doc, &p->zip, &p->fonts[i], p->shared) != 0)
            p->oom = 1;
    for (int i = 0; i < p->npages; i++) {
        strbuf *ops = &p->content[i].ops;
        HPDF_Dict contents = ((HPDF_PageAttr)p->pages[i]->attr)->contents;
        if (ops->oom || pdf_flate_stream(&p->zip, contents, ops->data, ops->len) != 0)
            p->oom = 1;
        sb_free(ops);
    }
    if (p->auto_fallback && p->fallback_chars) {
        char *msg = util_format("characters that font %s lacks (Latin letters, digits or signs) are drawn in the "
                                "bundled Laksaman",
                                p->family);
        if (msg)
            say_once(d, DIAG_NOTE, NULL, msg);
        free(msg);
    }
    if (p->missing)
        diag_add(d, DIAG_WARNING, path, 0, 0,
                 "%ld character(s) have no glyph in the font or its fallback and show as empty boxes", p->missing);
    if (p->oom && !p->error)
        p->error = HPDF_FAILD_TO_ALLOC_MEM;
    if (p->error || HPDF_SaveToStream(p->doc) != HPDF_OK) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot produce the PDF (libharu error 0x%04X, detail %lu)",
                 (unsigned)p->error, p->detail);
        return -1;
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
    unsigned char *buf = malloc(size ? size : 1);
    HPDF_UINT32 got = size;
    int rc = -1;
    HPDF_STATUS st = !buf ? HPDF_FAILD_TO_ALLOC_MEM
                     : gather(p->doc->stream, buf, size) == 0 ? HPDF_OK
                                                              : HPDF_ReadFromStream(p->doc, buf, &got);
    if ((st == HPDF_OK || st == HPDF_STREAM_EOF) && got == size)
        rc = staged ? util_write_file_staged(path, buf, size) : util_write_file_atomic(path, buf, size);
    if (rc != 0)
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write: %s", buf ? strerror(errno) : "out of memory");
    free(buf);
    return rc;
}

int pdf_save(pdf_doc *p, const char *path, diag_ctx *d) { return save(p, path, 0, d); }

int pdf_save_staged(pdf_doc *p, const char *path, diag_ctx *d) { return save(p, path, 1, d); }
