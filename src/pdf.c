#include "pdf.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "thai.h"
#include "util.h"

#define MAX_OUTLINE_LEVELS 4

struct pdf_doc {
    HPDF_Doc doc;
    HPDF_Font font[2];
    HPDF_FontDef def[2];
    HPDF_Page page;
    HPDF_Page *pages;
    int npages;
    size_t pages_cap;
    HPDF_Outline outline[MAX_OUTLINE_LEVELS];
    double mark_top, mark_bottom;
    /* glyph boxes of the Thai block (U+0E00-0E7F) and its private-use
     * variants (U+F700-F77F), looked up once: text_extent runs per cell */
    short ext_top[2][256], ext_bottom[2][256];
    unsigned char ext_known[2][256];
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

/* A ToUnicode CMap for an Identity-H font whose CIDs are Unicode code points:
 * identity everywhere, except the Thai private-use glyphs, which map back to
 * the standard characters. Ranges keep within one high byte, as the CMap
 * syntax requires. */
static char *make_tounicode(void)
{
    strbuf b = {0};
    sb_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int highs[256], nh = 0;
    for (int h = 0; h < 256; h++)
        if ((h < 0xD8 || h >= 0xE0) && h != 0xF7)
            highs[nh++] = h;
    for (int i = 0; i < nh; i += 100) {
        int n = nh - i < 100 ? nh - i : 100;
        sb_printf(&b, "%d beginbfrange\n", n);
        for (int k = i; k < i + n; k++)
            sb_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", highs[k], highs[k], highs[k]);
        sb_puts(&b, "endbfrange\n");
    }
    sb_puts(&b, "27 beginbfchar\n");
    for (uint32_t c = 0xF700; c <= 0xF71A; c++)
        sb_printf(&b, "<%04X> <%04X>\n", c, thai_pua_to_unicode(c));
    sb_puts(&b, "endbfchar\n1 beginbfrange\n<F71B> <F7FF> <F71B>\nendbfrange\n"
                "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    if (b.oom) {
        sb_free(&b);
        return NULL;
    }
    return b.data;
}

static int replace_tounicode(pdf_doc *p, HPDF_Font font)
{
    char *cmap = make_tounicode();
    if (!cmap)
        return -1;
    HPDF_Dict stream = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
    int rc = -1;
    if (stream) {
        stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        if (HPDF_Stream_WriteStr(stream->stream, cmap) == HPDF_OK) {
            HPDF_Dict_RemoveElement(font, "ToUnicode");
            rc = HPDF_Dict_Add(font, "ToUnicode", stream) == HPDF_OK ? 0 : -1;
        }
    }
    free(cmap);
    return rc;
}

static int load_face(pdf_doc *p, const char *path, int i, diag_ctx *d)
{
    const char *name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
    if (name) {
        p->font[i] = HPDF_GetFont(p->doc, name, "UTF-8");
        p->def[i] = HPDF_GetFontDef(p->doc, name);
    }
    if (!name || !p->font[i] || !p->def[i]) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot load the font (libharu error 0x%04X)", (unsigned)p->error);
        return -1;
    }
    /* Without the private-use glyphs, marks would float or collide. */
    for (HPDF_UINT16 c = 0xF700; c <= 0xF71A; c++)
        if (HPDF_TTFontDef_GetGlyphid(p->def[i], c) == 0) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "the font lacks the Thai private-use glyph U+%04X: its tone marks would float; use "
                     "Laksaman, Garuda, Loma or TH Sarabun New",
                     c);
            return -1;
        }
    if (replace_tounicode(p, p->font[i]) != 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot attach the text-extraction map");
        return -1;
    }
    return 0;
}

static void measure_marks(pdf_doc *p)
{
    static const HPDF_UINT16 tops[] = {0x0E48, 0x0E49, 0x0E4A, 0x0E4B, 0x0E4C, 0xF713, 0xF714, 0xF715, 0xF716, 0xF717};
    static const HPDF_UINT16 bottoms[] = {0x0E38, 0x0E39, 0x0E3A, 0xF718, 0xF719, 0xF71A, 0x0E0E, 0x0E0F};
    double top = 0, bottom = 0;
    for (int f = 0; f < 2; f++) {
        for (size_t i = 0; i < sizeof tops / sizeof *tops; i++) {
            HPDF_Box bb = HPDF_TTFontDef_GetCharBBox(p->def[f], tops[i]);
            if (bb.top > top)
                top = bb.top;
        }
        for (size_t i = 0; i < sizeof bottoms / sizeof *bottoms; i++) {
            HPDF_Box bb = HPDF_TTFontDef_GetCharBBox(p->def[f], bottoms[i]);
            if (bb.bottom < bottom)
                bottom = bb.bottom;
        }
    }
    p->mark_top = top / 1000.0;
    p->mark_bottom = bottom / 1000.0;
}

pdf_doc *pdf_new(const char *font_dir, const char *family, diag_ctx *d)
{
    pdf_doc *p = calloc(1, sizeof *p);
    if (!p || !(p->doc = HPDF_New(on_error, p))) {
        free(p);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "cannot start a PDF document (out of memory)");
        return NULL;
    }
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p->doc);
    char *reg = util_format("%s/%s.ttf", font_dir, family), *bold = util_format("%s/%s-Bold.ttf", font_dir, family);
    int ok = reg && bold;
    if (!ok)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    if (ok && access(reg, R_OK) != 0) {
        diag_add(d, DIAG_ERROR, reg, 0, 0, "font file not found (run make, or put the TTF files in fonts/)");
        ok = 0;
    }
    if (ok && access(bold, R_OK) != 0) {
        free(bold);
        bold = util_strdup(reg); /* a family without bold: use regular for both */
        if (!bold) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
            ok = 0;
        }
    }
    ok = ok && load_face(p, reg, 0, d) == 0 && load_face(p, bold, 1, d) == 0;
    free(reg);
    free(bold);
    if (!ok) {
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
    free(p->pages);
    free(p);
}

double pdf_mark_top(const pdf_doc *p) { return p->mark_top; }
double pdf_mark_bottom(const pdf_doc *p) { return p->mark_bottom; }


/* Index of a code point in the glyph-box cache, or -1 if not cached. */
static int ext_slot(uint32_t c)
{
    if (c >= 0x0E00 && c < 0x0E80)
        return (int)(c - 0x0E00);
    if (c >= 0xF700 && c < 0xF780)
        return (int)(c - 0xF700) + 128;
    return -1;
}

static HPDF_Box glyph_box(pdf_doc *p, pdf_face f, uint32_t c)
{
    int k = ext_slot(c);
    if (k < 0)
        return HPDF_TTFontDef_GetCharBBox(p->def[f], (HPDF_UINT16)c);
    if (!p->ext_known[f][k]) {
        HPDF_Box bb = HPDF_TTFontDef_GetCharBBox(p->def[f], (HPDF_UINT16)c);
        p->ext_top[f][k] = (short)bb.top;
        p->ext_bottom[f][k] = (short)bb.bottom;
        p->ext_known[f][k] = 1;
    }
    return (HPDF_Box){.bottom = p->ext_bottom[f][k], .top = p->ext_top[f][k]};
}

int pdf_text_extent(pdf_doc *p, pdf_face f, const char *text, size_t n, double *top, double *bottom)
{
    double t = 0, b = 0;
    char *raw = util_strndup(text, n), *s = raw ? thai_shape(raw) : NULL;
    free(raw);
    *top = *bottom = 0;
    if (!s)
        return -1;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t c = util_utf8_next(s, len, &i);
        if (c > ' ' && c < 0x10000) {
            HPDF_Box bb = glyph_box(p, f, c);
            t = bb.top > t ? bb.top : t;
            b = bb.bottom < b ? bb.bottom : b;
        }
    }
    free(s);
    *top = t / 1000.0;
    *bottom = b / 1000.0;
    return 0;
}

/* libharu's own TextWidth does not handle UTF-8 text: sum the advances. */
double pdf_text_width(pdf_doc *p, pdf_face f, double size, const char *text, size_t n)
{
    double w = 0;
    char *raw = util_strndup(text, n), *s = raw ? thai_shape(raw) : NULL;
    free(raw);
    if (!s)
        return -1;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t c = util_utf8_next(s, len, &i);
        if (c < 0x10000)
            w += HPDF_TTFontDef_GetCharWidth(p->def[f], (HPDF_UINT16)c);
    }
    free(s);
    return w * size / 1000.0;
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

int pdf_text(pdf_doc *p, pdf_face f, double size, double x, double y, const char *s, size_t len, pdf_rgb c)
{
    char *raw = util_strndup(s, len), *t = raw ? thai_shape(raw) : NULL;
    free(raw);
    if (!t)
        return -1;
    HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, p->font[f], (HPDF_REAL)size);
    HPDF_Page_TextOut(p->page, (HPDF_REAL)x, (HPDF_REAL)y, t);
    HPDF_Page_EndText(p->page);
    free(t);
    return p->error ? -1 : 0;
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
    static const HPDF_UINT16 dash[] = {3, 2};
    HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
    HPDF_Page_SetDash(p->page, dashed ? dash : NULL, dashed ? 2 : 0, 0);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_Stroke(p->page);
    if (dashed)
        HPDF_Page_SetDash(p->page, NULL, 0, 0);
    return p->error ? -1 : 0;
}

int pdf_outline(pdf_doc *p, int level, const char *title, double y)
{
    if (level < 0)
        level = 0;
    if (level >= MAX_OUTLINE_LEVELS)
        level = MAX_OUTLINE_LEVELS - 1;
    HPDF_Outline parent = level > 0 ? p->outline[level - 1] : NULL;
    /* Outline titles are written as UTF-16 by libharu; the encoder decodes our UTF-8. */
    HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
    HPDF_Outline o = HPDF_CreateOutline(p->doc, parent, title, enc);
    if (!o)
        return -1;
    HPDF_Destination dst = HPDF_Page_CreateDestination(p->page);
    if (dst) {
        HPDF_Destination_SetFitH(dst, (HPDF_REAL)y);
        HPDF_Outline_SetDestination(o, dst);
    }
    p->outline[level] = o;
    for (int i = level + 1; i < MAX_OUTLINE_LEVELS; i++)
        p->outline[i] = NULL;
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

int pdf_save(pdf_doc *p, const char *path, diag_ctx *d)
{
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
