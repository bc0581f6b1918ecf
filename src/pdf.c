#include "pdf.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fontfind.h"
#include "shape.h"
#include "util.h"

#define MAX_OUTLINE_LEVELS 4
#define FAKE_BOLD 0.03 /* stroke width of a bold made from a regular face, per point of size */
#define NCODES 65536

/* One font file as libharu embeds it, with the codes khet gives its glyphs.
 * A code is the glyph's own code point where the cmap reaches the glyph
 * from the character it stands for, a private-use code otherwise (one per
 * glyph and text); the CIDToGIDMap, W widths and ToUnicode written at save
 * time are made from this table, so the three always agree. */
typedef struct {
    shape_font *sf;
    char *path;
    const char *hname; /* libharu's name of the loaded font */
    HPDF_FontDef def;
    HPDF_Font font;       /* made on first use: an unused font is not written */
    /* code -> its glyph (+ 1; 0: unused) and its width in W (font units),
     * in pages of 256 made on first use */
    struct code_slot {
        uint32_t gid1;
        int32_t width;
    } *code_page[256];
    struct pua {
        uint32_t code, gid;
        int32_t width;
        char *text;
    } *pua;
    size_t npua, pua_cap;
    uint32_t next_pua;
    HPDF_Dict *outline; /* per glyph: a form drawing it, for glyphs placed off their pen position */
} pfont;

/* A text shaped once: layout measures the same pieces many times. */
typedef struct {
    char *key;
    size_t len;
    int face;
    shape_glyph *g;
    int n;
    double width_em; /* sum of advances, in ems */
} shaped;

struct pdf_doc {
    HPDF_Doc doc;
    pfont fonts[4];
    int nfonts;
    pfont *slot[2][2]; /* [face][0: main, 1: fallback (may be NULL)] */
    int fake_bold[2];  /* per slot column: bold drawn from the regular face, made heavier */
    int auto_fallback; /* the fallback is the bundled font, chosen by khet */
    char *family;      /* the main family's own name */
    long fallback_chars; /* characters drawn by the fallback font */
    shape_ctx *sc;
    shaped *cache;
    size_t cache_cap, cache_n;
    HPDF_Page page;
    HPDF_Page *pages;
    int npages;
    size_t pages_cap;
    HPDF_Outline outline[MAX_OUTLINE_LEVELS];
    HPDF_Outline ahead[MAX_OUTLINE_LEVELS]; /* group entries waiting for the next entry's destination */
    int nahead;
    double mark_top, mark_bottom;
    long missing; /* characters no font has: drawn as empty boxes */
    int oom;
    int nforms;
    HPDF_STATUS error; /* the first libharu error seen */
    unsigned long detail;
};

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
    pfont *f = &p->fonts[p->nfonts];
    char why[200];
    memset(f, 0, sizeof *f);
    if (!(f->path = util_strdup(path))) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    p->nfonts++;
    if (!(f->sf = shape_font_open(path, need_thai, why, sizeof why))) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "khet cannot use this font: it %s", why);
        return NULL;
    }
    f->next_pua = 0xE000;
    f->hname = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
    if (f->hname)
        f->def = HPDF_GetFontDef(p->doc, f->hname);
    if (!f->hname || !f->def) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot load the font (libharu error 0x%04X)", (unsigned)p->error);
        return NULL;
    }
    return f;
}

static void free_font(pfont *f)
{
    shape_font_free(f->sf);
    free(f->path);
    for (int i = 0; i < 256; i++)
        free(f->code_page[i]);
    for (size_t i = 0; i < f->npua; i++)
        free(f->pua[i].text);
    free(f->pua);
    free(f->outline);
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
    int rc = fontfind(font_dir, names, &main, d);
    if (rc == 0)
        rc = open_family(p, 0, &main, d);
    if (rc == 0 && fallback && *fallback) {
        rc = fontfind(font_dir, fallback, &second, d);
        if (rc == 0)
            rc = open_family(p, 1, &second, d);
    } else if (rc == 0) {
        diag_ctx *quiet = diag_new(); /* no bundled font: no fallback, and missing glyphs say so */
        if (quiet && fontfind(font_dir, "Laksaman", &second, quiet) == 0 && strcmp(second.regular, main.regular) != 0) {
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

/* The libharu font of a slot, made on first use. */
static HPDF_Font hpdf_font(pdf_doc *p, pfont *f)
{
    if (!f->font)
        f->font = HPDF_GetFont(p->doc, f->hname, "UTF-8");
    return f->font;
}

/* Marks a glyph and every component of it as used, so libharu's subset keeps
 * it (libharu itself follows composites one level only). */
static void mark_used(uint32_t gid, void *u)
{
    HPDF_TTFontDefAttr a = ((pfont *)u)->def->attr;
    if (gid < a->num_glyphs)
        a->glyph_tbl.flgs[gid] = 1;
}

/* The glyph (+ 1) a code was given, 0 if the code is unused. */
static uint32_t code_gid(const pfont *f, uint32_t code)
{
    const struct code_slot *page = f->code_page[code >> 8];
    return page ? page[code & 0xFF].gid1 : 0;
}

/* A code's width as written in W, in thousandths of an em. */
static int code_w1000(const pfont *f, uint32_t code)
{
    const struct code_slot *page = f->code_page[code >> 8];
    double w = page ? page[code & 0xFF].width * 1000.0 / shape_font_upem(f->sf) : 0;
    return (int)(w < 0 ? w - 0.5 : w + 0.5);
}

/* Whether code is free for glyph gid written `width` wide, or already
 * given to exactly that. */
static int code_fits(const pfont *f, uint32_t code, uint32_t gid, int32_t width)
{
    const struct code_slot *page = f->code_page[code >> 8];
    return !page || !page[code & 0xFF].gid1 || (page[code & 0xFF].gid1 == gid + 1 && page[code & 0xFF].width == width);
}

/* The code glyph gid is written with when it gives back text t, `width`
 * font units wide in W; 0 when it gives back nothing (drawn as a path
 * instead), -1 when no code is left. A glyph keeps its own code point where
 * the cmap reaches it from its character and it is written as wide as that
 * code already is; any other glyph, text or width gets a private-use code.
 * So each code's width in W is the advance HarfBuzz gave: TlwgTypo's marks
 * (600 in hmtx, none from HarfBuzz) are written 0 wide, never as a mark and
 * a TJ pulling the pen back, which poppler reads backwards. */
static int code_for(pdf_doc *p, pfont *f, uint32_t gid, const char *t, size_t tl, int32_t width)
{
    if (tl == 0)
        return 0;
    size_t i = 0;
    uint32_t cp = util_utf8_next(t, tl, &i), code = 0;
    if (i == tl && cp > 0 && cp < NCODES && (cp < 0xD800 || cp > 0xDFFF) && shape_font_glyph(f->sf, cp) == gid &&
        code_fits(f, cp, gid, width))
        code = cp;
    for (size_t k = 0; !code && k < f->npua; k++)
        if (f->pua[k].gid == gid && f->pua[k].width == width && strlen(f->pua[k].text) == tl &&
            !memcmp(f->pua[k].text, t, tl))
            code = f->pua[k].code;
    if (!code) {
        /* a private-use code the font's own cmap does not use */
        while (f->next_pua <= 0xF8FF && shape_font_glyph(f->sf, f->next_pua))
            f->next_pua++;
        char *copy = util_strndup(t, tl);
        if (f->next_pua > 0xF8FF || !copy ||
            util_grow((void **)&f->pua, &f->pua_cap, f->npua + 1, sizeof *f->pua)) {
            free(copy);
            p->oom = 1;
            return -1;
        }
        code = f->next_pua++;
        f->pua[f->npua++] = (struct pua){code, gid, width, copy};
    }
    struct code_slot **page = &f->code_page[code >> 8];
    if (!*page && !(*page = calloc(256, sizeof **page))) {
        p->oom = 1;
        return -1;
    }
    if (!(*page)[code & 0xFF].gid1) {
        (*page)[code & 0xFF] = (struct code_slot){gid + 1, width};
        mark_used(gid, f);
        shape_glyph_components(f->sf, gid, mark_used, f);
    }
    return (int)code;
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
    if (!e.key || (e.n = shape_text(p->sc, fonts, s, len, &e.g, &missing)) < 0) {
        free(e.key);
        return NULL;
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

pdf_doc *pdf_new(const char *font_dir, const char *family, diag_ctx *d)
{
    pdf_doc *p = calloc(1, sizeof *p);
    if (!p || !(p->doc = HPDF_New(on_error, p)) || !(p->sc = shape_ctx_new())) {
        if (p && p->doc)
            HPDF_Free(p->doc);
        free(p);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "cannot start a PDF document (out of memory)");
        return NULL;
    }
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p->doc);
    if (open_families(p, font_dir, family, d) != 0) {
        pdf_free(p);
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
        free_font(&p->fonts[i]);
    for (size_t i = 0; i < p->cache_cap; i++) {
        free(p->cache[i].key);
        free(p->cache[i].g);
    }
    free(p->cache);
    shape_ctx_free(p->sc);
    free(p->pages);
    free(p->family);
    free(p);
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

int pdf_begin_page(pdf_doc *p, double width, double height)
{
    p->page = HPDF_AddPage(p->doc);
    if (!p->page)
        return -1;
    if (util_grow((void **)&p->pages, &p->pages_cap, (size_t)p->npages + 1, sizeof *p->pages))
        return -1;
    p->pages[p->npages++] = p->page;
    HPDF_Page_SetWidth(p->page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(p->page, (HPDF_REAL)height);
    return p->error ? -1 : 0;
}

int pdf_select_page(pdf_doc *p, int index)
{
    if (index < 0 || index >= p->npages)
        return -1;
    p->page = p->pages[index];
    return 0;
}

/* pen callbacks writing a glyph outline as PDF path operators */
static void pen_move(void *u, double x, double y) { sb_printf(u, "%.1f %.1f m\n", x, y); }
static void pen_line(void *u, double x, double y) { sb_printf(u, "%.1f %.1f l\n", x, y); }
static void pen_cubic(void *u, double x1, double y1, double x2, double y2, double x3, double y3)
{
    sb_printf(u, "%.1f %.1f %.1f %.1f %.1f %.1f c\n", x1, y1, x2, y2, x3, y3);
}
static void pen_close(void *u) { sb_puts(u, "h\n"); }

/* A form that draws one glyph's outline in font units, made once per glyph. */
static HPDF_Dict outline_form(pdf_doc *p, pfont *f, uint32_t gid)
{
    HPDF_TTFontDefAttr a = f->def->attr;
    if (gid >= a->num_glyphs)
        return NULL;
    if (!f->outline && !(f->outline = calloc(a->num_glyphs, sizeof *f->outline)))
        return NULL;
    if (f->outline[gid])
        return f->outline[gid];
    HPDF_Dict form = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
    if (!form)
        return NULL;
    form->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    form->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    double em = shape_font_upem(f->sf);
    HPDF_Box box = {(HPDF_REAL)-em, (HPDF_REAL)-em, (HPDF_REAL)(2 * em), (HPDF_REAL)(2 * em)};
    strbuf b = {0};
    static const shape_pen pen = {pen_move, pen_line, pen_cubic, pen_close};
    shape_glyph_outline(f->sf, gid, &pen, &b);
    sb_puts(&b, "f\n");
    HPDF_STATUS rc = HPDF_Dict_AddName(form, "Type", "XObject");
    rc += HPDF_Dict_AddName(form, "Subtype", "Form");
    rc += HPDF_Dict_Add(form, "BBox", HPDF_Box_Array_New(p->doc->mmgr, box));
    if (b.oom || !b.data || rc != HPDF_OK || HPDF_Stream_WriteStr(form->stream, b.data) != HPDF_OK) {
        sb_free(&b);
        return NULL;
    }
    sb_free(&b);
    return f->outline[gid] = form;
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

/* Switches the text object to a font at pen position (x, y): what is
 * buffered goes to the page's stream first, as libharu writes Tf there. */
static int switch_font(pdf_doc *p, pfont *f, double size, double x, double y, strbuf *b)
{
    HPDF_Stream st = ((HPDF_PageAttr)p->page->attr)->stream;
    if (HPDF_Stream_WriteStr(st, b->data ? b->data : "") != HPDF_OK)
        return -1;
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    if (HPDF_Page_SetFontAndSize(p->page, hpdf_font(p, f), (HPDF_REAL)size) != HPDF_OK)
        return -1;
    sb_printf(b, "1 0 0 1 %.3f %.3f Tm\n", x, y);
    return 0;
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
        if (shape_is_mark(util_utf8_next(t, len, &i)))
            return at ? at : len;
    return len;
}

/* The marks a glyph stands for beyond its head (see mark_free_head), as
 * invisible zero-width text where the glyph ends. */
static int write_tail(pdf_doc *p, pfont *f, const char *t, size_t len, int tr, strbuf *b, int *in_tj, int *in_str)
{
    size_t i = 0;
    uint32_t gid = shape_font_glyph(f->sf, util_utf8_next(t, len, &i));
    int code = code_for(p, f, gid, t, len, 0);
    if (code <= 0)
        return -1;
    close_tj(b, in_tj, in_str);
    sb_printf(b, "3 Tr\n<%04X> Tj\n%d Tr\n", (unsigned)code, tr);
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
static int write_glyphs(pdf_doc *p, pdf_face face, const shaped *sh, double size, double x, double y, strbuf *b,
                        placed **pl, size_t *npl, size_t *plcap)
{
    HPDF_Stream st = ((HPDF_PageAttr)p->page->attr)->stream;
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
        int32_t hmtx = shape_glyph_advance(f->sf, g->gid);
        int in_cluster = i + 1 < sh->n && sh->g[i + 1].advance == 0 && sh->g[i + 1].font == g->font;
        int32_t width = g->advance == 0 || in_cluster ? g->advance : hmtx;
        const char *t = sh->key + g->text;
        size_t head = width ? mark_free_head(t, g->text_len) : g->text_len;
        int code = code_for(p, f, g->gid, t, head, width);
        if (code < 0)
            return -1;
        if (code != 0 && g->font != cur) {
            close_tj(b, &in_tj, &in_str);
            if (switch_font(p, f, size, pen, y, b) != 0)
                return -1;
            cur = g->font;
            tpen = pen;
            tr = face == PDF_BOLD && p->fake_bold[cur] ? 2 : 0; /* 2: filled and stroked, heavier */
            sb_printf(b, "%d Tr\n", tr);
        } else if (code != 0 && fabs(tpen - pen) * k > 0.0005) {
            if (in_str)
                sb_puts(b, ">");
            if (!in_tj)
                sb_puts(b, "[");
            sb_printf(b, " %.3f ", (tpen - pen) * k);
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
            sb_printf(b, "3 Tr\n<%04X> Tj\n%d Tr\n", (unsigned)code, tr);
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
            tpen += code_w1000(f, (uint32_t)code) / k;
        if (head < g->text_len && write_tail(p, f, t + head, g->text_len - head, tr, b, &in_tj, &in_str) != 0)
            return -1;
        pen += g->advance * scale;
    }
    close_tj(b, &in_tj, &in_str);
    if (tr)
        sb_puts(b, "0 Tr\n");
    if (b->oom || (b->data && HPDF_Stream_WriteStr(st, b->data) != HPDF_OK))
        return -1;
    return 0;
}

int pdf_text(pdf_doc *p, pdf_face f, double size, double x, double y, const char *s, size_t len, pdf_rgb c)
{
    const shaped *sh = shape(p, f, s, len);
    if (!sh)
        return -1;
    strbuf b = {0};
    placed *pl = NULL;
    size_t npl = 0, cap = 0;
    HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    double heavier = f == PDF_BOLD && (p->fake_bold[0] || p->fake_bold[1]) ? size * FAKE_BOLD : 0;
    if (heavier > 0) {
        HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
        HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)heavier);
    }
    HPDF_Page_BeginText(p->page);
    int rc = p->error ? -1 : write_glyphs(p, f, sh, size, x, y, &b, &pl, &npl, &cap);
    HPDF_Page_EndText(p->page);
    for (size_t i = 0; rc == 0 && i < npl; i++) {
        HPDF_Dict form = outline_form(p, pl[i].f, pl[i].gid);
        if (!form) {
            rc = -1;
            break;
        }
        /* a heavier outline: the fill drawn twice, a stroke's width apart */
        int fake = heavier > 0 && p->fake_bold[pl[i].f == p->slot[f][0] ? 0 : 1];
        for (int twice = 0; twice <= fake; twice++) {
            double dx = fake ? (twice ? heavier / 2 : -heavier / 2) : 0;
            HPDF_Page_GSave(p->page);
            HPDF_Page_Concat(p->page, (HPDF_REAL)pl[i].scale, 0, 0, (HPDF_REAL)pl[i].scale,
                             (HPDF_REAL)(pl[i].x + dx), (HPDF_REAL)pl[i].y);
            HPDF_Page_ExecuteXObject(p->page, form);
            HPDF_Page_GRestore(p->page);
        }
    }
    sb_free(&b);
    free(pl);
    return rc == 0 && !p->error ? 0 : -1;
}

int pdf_rect(pdf_doc *p, double x, double y, double w, double h, const pdf_rgb *fill, const pdf_rgb *stroke,
             double lw)
{
    if (fill)
        HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)fill->r, (HPDF_REAL)fill->g, (HPDF_REAL)fill->b);
    if (stroke) {
        HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)stroke->r, (HPDF_REAL)stroke->g, (HPDF_REAL)stroke->b);
        HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)lw);
    }
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    if (fill && stroke)
        HPDF_Page_FillStroke(p->page);
    else if (fill)
        HPDF_Page_Fill(p->page);
    else
        HPDF_Page_Stroke(p->page);
    return p->error ? -1 : 0;
}

int pdf_line(pdf_doc *p, double x0, double y0, double x1, double y1, pdf_rgb c, double width, int dashed)
{
    static const HPDF_UINT16 dash[] = {3, 2}, dot[] = {1, 2};
    HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
    HPDF_Page_SetDash(p->page, dashed == 2 ? dot : dashed ? dash : NULL, dashed ? 2 : 0, 0);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_Stroke(p->page);
    if (dashed)
        HPDF_Page_SetDash(p->page, NULL, 0, 0);
    return p->error ? -1 : 0;
}

static int clamp_level(int level)
{
    return level < 0 ? 0 : level >= MAX_OUTLINE_LEVELS ? MAX_OUTLINE_LEVELS - 1 : level;
}

/* A destination on the current page at height y (a view fitting the width). */
static int set_destination(pdf_doc *p, HPDF_Outline o, double y)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(p->page);
    if (!dst || HPDF_Destination_SetFitH(dst, (HPDF_REAL)y) != HPDF_OK ||
        HPDF_Outline_SetDestination(o, dst) != HPDF_OK)
        return -1;
    return 0;
}

/* Creates an entry under the open entry one level up; later entries deeper
 * than it go under it. */
static HPDF_Outline add_entry(pdf_doc *p, int level, const char *title)
{
    HPDF_Outline parent = level > 0 ? p->outline[level - 1] : NULL;
    /* Outline titles are written as UTF-16 by libharu; the encoder decodes our UTF-8. */
    HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
    HPDF_Outline o = enc ? HPDF_CreateOutline(p->doc, parent, title, enc) : NULL;
    if (!o)
        return NULL;
    p->outline[level] = o;
    for (int i = level + 1; i < MAX_OUTLINE_LEVELS; i++)
        p->outline[i] = NULL;
    return o;
}

int pdf_outline(pdf_doc *p, int level, const char *title, double y)
{
    level = clamp_level(level);
    HPDF_Outline o = add_entry(p, level, title);
    if (!o || !p->page || set_destination(p, o, y) != 0)
        return -1;
    /* group entries made before their first page existed point where it does */
    for (int i = 0; i < p->nahead; i++)
        if (set_destination(p, p->ahead[i], y) != 0)
            return -1;
    p->nahead = 0;
    return p->error ? -1 : 0;
}

int pdf_outline_group(pdf_doc *p, int level, const char *title)
{
    level = clamp_level(level);
    HPDF_Outline o = add_entry(p, level, title);
    if (!o || p->nahead == MAX_OUTLINE_LEVELS || HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
        return -1;
    p->ahead[p->nahead++] = o;
    return p->error ? -1 : 0;
}

int pdf_info(pdf_doc *p, const char *title, const char *author, const char *subject, const char *keywords,
             const char *date)
{
    /* libharu encodes info strings with the current encoder: with UTF-8
     * current they are written as UTF-16, as PDF requires for Thai. */
    HPDF_SetCurrentEncoder(p->doc, "UTF-8");
    const struct {
        HPDF_InfoType type;
        const char *value;
    } items[] = {{HPDF_INFO_TITLE, title},       {HPDF_INFO_AUTHOR, author}, {HPDF_INFO_SUBJECT, subject},
                 {HPDF_INFO_KEYWORDS, keywords}, {HPDF_INFO_CREATOR, "khet"}};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        if (items[i].value)
            HPDF_SetInfoAttr(p->doc, items[i].type, items[i].value);
    if (date && strlen(date) >= 14) {
        HPDF_Date dt = {0};
        sscanf(date, "%4d%2d%2d%2d%2d%2d", &dt.year, &dt.month, &dt.day, &dt.hour, &dt.minutes, &dt.seconds);
        dt.ind = 'Z';
        HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, dt);
        HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, dt);
    }
    return p->error ? -1 : 0;
}

/* ToUnicode of a font: every code written, mapped to the text it stands for. */
static char *make_tounicode(const pfont *f)
{
    strbuf b = {0};
    sb_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int in_block = 0;
    for (uint32_t code = 1; code < NCODES; code++) {
        if (!code_gid(f, code))
            continue;
        if (in_block == 0) {
            int n = 0;
            for (uint32_t k = code; k < NCODES && n < 100; k++)
                n += code_gid(f, k) != 0;
            sb_printf(&b, "%d beginbfchar\n", n);
            in_block = n;
        }
        const char *t = NULL;
        for (size_t k = 0; k < f->npua && !t; k++)
            if (f->pua[k].code == code)
                t = f->pua[k].text;
        sb_printf(&b, "<%04X> <", (unsigned)code);
        if (!t)
            sb_printf(&b, "%04X", (unsigned)code);
        for (size_t i = 0, n = t ? strlen(t) : 0; i < n;) {
            uint32_t c = util_utf8_next(t, n, &i);
            if (c >= 0x10000)
                sb_printf(&b, "%04X%04X", (unsigned)(0xD800 + ((c - 0x10000) >> 10)),
                          (unsigned)(0xDC00 + ((c - 0x10000) & 0x3FF)));
            else
                sb_printf(&b, "%04X", (unsigned)c);
        }
        sb_puts(&b, ">\n");
        if (--in_block == 0)
            sb_puts(&b, "endbfchar\n");
    }
    sb_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    if (b.oom) {
        sb_free(&b);
        return NULL;
    }
    return b.data;
}

/* Rewrites a stream object's data in place (a new object would leave the
 * old one in the file). */
static int rewrite_stream(HPDF_Dict obj, const void *data, size_t len)
{
    HPDF_MemStream_FreeData(obj->stream);
    return HPDF_Stream_Write(obj->stream, data, (HPDF_UINT)len) == HPDF_OK ? 0 : -1;
}

/* Makes libharu's CIDToGIDMap, W and ToUnicode of a used font agree with
 * the codes khet wrote. */
static int finish_font(pdf_doc *p, pfont *f)
{
    HPDF_FontAttr attr = f->font->attr;
    HPDF_Dict desc = attr->descendant_font;
    uint32_t max = 0;
    for (uint32_t c = 0; c < NCODES; c++)
        if (code_gid(f, c))
            max = c;
    unsigned char *map = calloc(max + 1, 2);
    HPDF_Array w = HPDF_Array_New(p->doc->mmgr), run = NULL;
    char *cmap = make_tounicode(f);
    int rc = map && w && cmap && attr->map_stream ? 0 : -1;
    for (uint32_t c = 0; rc == 0 && c <= max; c++) {
        uint32_t g = code_gid(f, c);
        if (!g) {
            run = NULL;
            continue;
        }
        map[c * 2] = (unsigned char)((g - 1) >> 8);
        map[c * 2 + 1] = (unsigned char)(g - 1);
        if (!run) {
            run = HPDF_Array_New(p->doc->mmgr);
            if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)c) != HPDF_OK || HPDF_Array_Add(w, run) != HPDF_OK)
                rc = -1;
        }
        if (rc == 0 && HPDF_Array_AddNumber(run, code_w1000(f, c)) != HPDF_OK)
            rc = -1;
    }
    if (rc == 0)
        rc = rewrite_stream(attr->map_stream, map, (size_t)(max + 1) * 2);
    if (rc == 0) {
        HPDF_Dict_RemoveElement(desc, "W");
        rc = HPDF_Dict_Add(desc, "W", w) == HPDF_OK ? 0 : -1;
        w = NULL;
    } else if (w)
        HPDF_Array_Free(w);
    if (rc == 0) {
        HPDF_Dict tu = HPDF_Dict_GetItem(f->font, "ToUnicode", HPDF_OCLASS_DICT);
        if (tu)
            rc = rewrite_stream(tu, cmap, strlen(cmap));
        else if (!(tu = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref)))
            rc = -1;
        else {
            tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
            rc = HPDF_Stream_WriteStr(tu->stream, cmap) == HPDF_OK && HPDF_Dict_Add(f->font, "ToUnicode", tu) == HPDF_OK
                     ? 0
                     : -1;
        }
    }
    free(map);
    free(cmap);
    return rc;
}

int pdf_save(pdf_doc *p, const char *path, diag_ctx *d)
{
    for (int i = 0; i < p->nfonts; i++)
        if (p->fonts[i].font && finish_font(p, &p->fonts[i]) != 0 && !p->error)
            p->error = HPDF_FAILD_TO_ALLOC_MEM;
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
    HPDF_STATUS st = buf ? HPDF_ReadFromStream(p->doc, buf, &got) : HPDF_FAILD_TO_ALLOC_MEM;
    if ((st == HPDF_OK || st == HPDF_STREAM_EOF) && got == size)
        rc = util_write_file_atomic(path, buf, size);
    if (rc != 0)
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write: %s", buf ? strerror(errno) : "out of memory");
    free(buf);
    return rc;
}
