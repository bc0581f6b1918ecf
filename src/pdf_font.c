/* pdf_font: the embedded fonts of a PDF document and their objects.
 *
 * Owns: opening a font file (HarfBuzz for shaping, libharu for its tables
 * and the subset it writes), the codes khet gives glyphs (code point where
 * the cmap reaches the glyph, private-use otherwise), and, at save time, the
 * font objects written directly from those codes: the Type0 font, its
 * CIDFontType2 with W widths and CIDToGIDMap, the ToUnicode CMap, the
 * descriptor and the subset font file, every stream compressed with
 * libdeflate. libharu's own Type0 font (HPDF_GetFont) is not used: it maps
 * all 65,536 codes through the cmap for each face (4 ms a document), only
 * for khet to replace the map, the widths and the ToUnicode with its own.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"

int pdf_open_font(HPDF_Doc doc, pfont *f, int index, const char *path, int need_thai, const HPDF_STATUS *err,
                  diag_ctx *d)
{
    char why[200];
    memset(f, 0, sizeof *f);
    f->index = index;
    if (!(f->path = util_strdup(path))) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    if (!(f->sf = shape_font_open(path, need_thai, why, sizeof why))) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "khet cannot use this font: it %s", why);
        return -1;
    }
    f->next_pua = 1;
    f->hname = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
    if (f->hname)
        f->def = HPDF_GetFontDef(doc, f->hname);
    if (!f->hname || !f->def) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot load the font (libharu error 0x%04X)", (unsigned)*err);
        return -1;
    }
    return 0;
}

void pdf_free_font(pfont *f)
{
    shape_font_free(f->sf);
    free(f->path);
    for (int i = 0; i < 256; i++)
        free(f->code_page[i]);
    for (size_t i = 0; i < f->npua; i++)
        free(f->pua[i].text);
    free(f->pua);
    free(f->outline);
    free(f->advance);
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

int32_t pdf_glyph_advance(pfont *f, uint32_t gid)
{
    HPDF_UINT16 n = ((HPDF_TTFontDefAttr)f->def->attr)->num_glyphs;
    if (gid >= n)
        return shape_glyph_advance(f->sf, gid);
    if (!f->advance && (f->advance = malloc((size_t)n * sizeof *f->advance)))
        for (HPDF_UINT16 i = 0; i < n; i++)
            f->advance[i] = INT32_MIN;
    if (!f->advance) /* out of memory: asked each time */
        return shape_glyph_advance(f->sf, gid);
    if (f->advance[gid] == INT32_MIN)
        f->advance[gid] = shape_glyph_advance(f->sf, gid);
    return f->advance[gid];
}

/* The first code from c on that was given a glyph; PDF_NCODES when none:
 * the pages never made are skipped whole (a document uses a few hundred
 * of the 65,536 codes, written for each font of each document). */
static uint32_t next_code(const pfont *f, uint32_t c)
{
    while (c < PDF_NCODES) {
        const struct code_slot *page = f->code_page[c >> 8];
        if (!page)
            c = (c | 0xFF) + 1;
        else if (page[c & 0xFF].gid1)
            return c;
        else
            c++;
    }
    return PDF_NCODES;
}

int pdf_code_w1000(const pfont *f, uint32_t code)
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

/* A code for a glyph that cannot have its own code point: first the C0
 * controls U+0001-U+001F, then the private-use area U+E000-U+F8FF; never
 * one the font's cmap reaches or one already given. The controls come first
 * because the CIDToGIDMap has 2 bytes for every code up to the highest one
 * used: with a Thai document's dozen shifted marks at U+E000 on it was 115 KB
 * of zeros per font, compressed in every document (6 M instructions of a
 * 15-row render); with them at U+0001 on it ends at the highest code point
 * the text uses (about 8 KB). No text khet sets draws a control, and the
 * ToUnicode maps each code to its text as before. 0 when none is left. */
static uint32_t private_code(pfont *f)
{
    for (;; f->next_pua++) {
        if (f->next_pua == 0x20)
            f->next_pua = 0xE000;
        if (f->next_pua > 0xF8FF)
            return 0;
        if (!shape_font_glyph(f->sf, f->next_pua) && !code_gid(f, f->next_pua))
            return f->next_pua++;
    }
}

/* A glyph keeps its own code point where the cmap reaches it from its
 * character and it is written as wide as that code already is; any other
 * glyph, text or width gets a private-use code. So each code's width in W
 * is the advance HarfBuzz gave: TlwgTypo's marks (600 in hmtx, none from
 * HarfBuzz) are written 0 wide, never as a mark and a TJ pulling the pen
 * back, which poppler reads backwards. */
int pdf_code_for(pfont *f, uint32_t gid, const char *t, size_t tl, int32_t width)
{
    if (tl == 0)
        return 0;
    size_t i = 0;
    uint32_t cp = util_utf8_next(t, tl, &i), code = 0;
    int one = i == tl && cp > 0 && cp < PDF_NCODES && (cp < 0xD800 || cp > 0xDFFF);
    const struct code_slot *at = one ? f->code_page[cp >> 8] : NULL;
    /* the glyph of its own code point, written before (most glyphs, most
     * times): the answer below without asking the cmap again (a code given
     * as private-use is one the cmap does not reach, so the answer is the
     * same) */
    if (at && at[cp & 0xFF].gid1 == gid + 1 && at[cp & 0xFF].width == width)
        return (int)cp;
    if (one && shape_font_glyph(f->sf, cp) == gid && code_fits(f, cp, gid, width))
        code = cp;
    for (size_t k = 0; !code && k < f->npua; k++)
        if (f->pua[k].gid == gid && f->pua[k].width == width && strlen(f->pua[k].text) == tl &&
            !memcmp(f->pua[k].text, t, tl))
            code = f->pua[k].code;
    if (!code) {
        uint32_t next = private_code(f);
        char *copy = util_strndup(t, tl);
        if (!next || !copy || util_grow((void **)&f->pua, &f->pua_cap, f->npua + 1, sizeof *f->pua)) {
            free(copy);
            return -1;
        }
        code = next;
        f->pua[f->npua++] = (struct pua){code, gid, width, copy};
    }
    struct code_slot **page = &f->code_page[code >> 8];
    if (!*page && !(*page = calloc(256, sizeof **page)))
        return -1;
    if (!(*page)[code & 0xFF].gid1) {
        (*page)[code & 0xFF] = (struct code_slot){gid + 1, width};
        mark_used(gid, f);
        shape_glyph_components(f->sf, gid, mark_used, f);
    }
    return (int)code;
}

HPDF_Dict pdf_font_object(HPDF_Doc doc, HPDF_Dict font_res, pfont *f)
{
    if (f->type0)
        return f->type0;
    /* the subset's tag: six capitals, one per font of the document */
    char tag[7] = {'K', 'H', 'E', 'T', 'A', (char)('A' + f->index), 0};
    HPDF_TTFontDef_SetTagName(f->def, tag);
    HPDF_Dict t0 = HPDF_Dict_New(doc->mmgr);
    if (!t0 || HPDF_Xref_Add(doc->xref, t0) != HPDF_OK)
        return NULL;
    char name[16];
    snprintf(name, sizeof name, "F%d", f->index + 1);
    HPDF_STATUS rc = HPDF_Dict_AddName(t0, "Type", "Font");
    rc += HPDF_Dict_AddName(t0, "Subtype", "Type0");
    rc += HPDF_Dict_AddName(t0, "BaseFont", ((HPDF_TTFontDefAttr)f->def->attr)->base_font);
    rc += HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    rc += HPDF_Dict_Add(font_res, name, t0);
    return rc == HPDF_OK ? (f->type0 = t0) : NULL;
}

/* Four capital hex digits of a 16-bit value. */
static void put_hex4(strbuf *b, uint32_t v)
{
    static const char hex[] = "0123456789ABCDEF";
    char h[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    sb_append(b, h, 4);
}

/* ToUnicode of a font: every code written, mapped to the text it stands for. */
static int make_tounicode(const pfont *f, strbuf *b)
{
    sb_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
               "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int in_block = 0;
    for (uint32_t code = next_code(f, 1); code < PDF_NCODES; code = next_code(f, code + 1)) {
        if (in_block == 0) {
            int n = 0;
            for (uint32_t k = code; k < PDF_NCODES && n < 100; k = next_code(f, k + 1))
                n++;
            sb_printf(b, "%d beginbfchar\n", n);
            in_block = n;
        }
        const char *t = NULL;
        for (size_t k = 0; k < f->npua && !t; k++)
            if (f->pua[k].code == code)
                t = f->pua[k].text;
        sb_puts(b, "<");
        put_hex4(b, code);
        sb_puts(b, "> <");
        if (!t)
            put_hex4(b, code);
        for (size_t i = 0, n = t ? strlen(t) : 0; i < n;) {
            uint32_t c = util_utf8_next(t, n, &i);
            if (c >= 0x10000) {
                put_hex4(b, 0xD800 + ((c - 0x10000) >> 10));
                put_hex4(b, 0xDC00 + ((c - 0x10000) & 0x3FF));
            } else
                put_hex4(b, c);
        }
        sb_puts(b, ">\n");
        if (--in_block == 0)
            sb_puts(b, "endbfchar\n");
    }
    sb_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    return b->oom ? -1 : 0;
}

/* A new stream object holding data compressed; NULL when out of memory.
 * In a batch, bytes compressed before are not compressed again: a font's
 * CIDToGIDMap and ToUnicode come back in document after document. */
static HPDF_Dict new_stream(HPDF_Doc doc, pdf_zip *z, pdf_shapes *shared, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!s)
        return NULL;
    const unsigned char *kept;
    size_t n;
    if (pdf_shapes_stream(shared, data, len, &kept, &n) == 0)
        return pdf_put_deflated(s, kept, n) == 0 ? s : NULL;
    if (!(n = pdf_deflate(z, data, len)) || pdf_put_deflated(s, z->buf, n) != 0)
        return NULL;
    pdf_shapes_keep_stream(shared, data, len, z->buf, n);
    return s;
}

/* W and the CIDToGIDMap (2 bytes per code, up to the highest code used). */
static int widths_and_map(HPDF_Doc doc, pdf_zip *z, pfont *f, HPDF_Dict cid, pdf_shapes *shared)
{
    uint32_t max = 0;
    for (uint32_t c = next_code(f, 0); c < PDF_NCODES; c = next_code(f, c + 1))
        max = c;
    unsigned char *map = calloc(max + 1, 2);
    HPDF_Array w = HPDF_Array_New(doc->mmgr), run = NULL;
    if (!map && w) { /* w in no dictionary yet: ours to free */
        HPDF_Array_Free(w);
        w = NULL;
    }
    int rc = map && w && HPDF_Dict_Add(cid, "W", w) == HPDF_OK ? 0 : -1;
    for (uint32_t c = next_code(f, 0), prev = 0; rc == 0 && c <= max; prev = c, c = next_code(f, c + 1)) {
        uint32_t g = code_gid(f, c);
        if (c != prev + 1)
            run = NULL; /* codes between were not used: a new run of W */
        map[c * 2] = (unsigned char)((g - 1) >> 8);
        map[c * 2 + 1] = (unsigned char)(g - 1);
        if (!run) {
            run = HPDF_Array_New(doc->mmgr);
            if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)c) != HPDF_OK || HPDF_Array_Add(w, run) != HPDF_OK)
                rc = -1;
        }
        if (rc == 0 && HPDF_Array_AddNumber(run, pdf_code_w1000(f, c)) != HPDF_OK)
            rc = -1;
    }
    HPDF_Dict ms = rc == 0 ? new_stream(doc, z, shared, map, (size_t)(max + 1) * 2) : NULL;
    free(map);
    return ms && HPDF_Dict_Add(cid, "CIDToGIDMap", ms) == HPDF_OK ? 0 : -1;
}

/* The subset font file (libharu writes the subset of the glyphs marked
 * used). In a batch the same subset comes back document after document (a
 * national month: 232 font files, 14 subsets): it is written and compressed
 * once, and the bytes kept are the same bytes. */
static HPDF_Dict font_file(HPDF_Doc doc, pdf_zip *z, pfont *f, pdf_shapes *shared)
{
    HPDF_TTFontDefAttr a = f->def->attr;
    const unsigned char *kept;
    size_t klen;
    uint32_t length1;
    if (pdf_shapes_font_file(shared, f->path, a->glyph_tbl.flgs, a->num_glyphs, &kept, &klen, &length1) == 0) {
        HPDF_Dict file = HPDF_DictStream_New(doc->mmgr, doc->xref);
        return file && pdf_put_deflated(file, kept, klen) == 0 &&
                       HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)length1) == HPDF_OK
                   ? file
                   : NULL;
    }
    /* the flags before libharu writes: the key the subset is kept under */
    unsigned char *used = shared ? malloc(a->num_glyphs ? a->num_glyphs : 1) : NULL;
    if (used)
        memcpy(used, a->glyph_tbl.flgs, a->num_glyphs);
    HPDF_Dict file = NULL;
    unsigned char *buf = NULL;
    size_t len = 0, zn = 0;
    if (pdf_subset_write(f, &buf, &len) == 0 && (zn = pdf_deflate(z, buf, len)) > 0 &&
        (file = HPDF_DictStream_New(doc->mmgr, doc->xref)) && pdf_put_deflated(file, z->buf, zn) != 0)
        file = NULL;
    if (file && (HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)a->length1) != HPDF_OK))
        file = NULL;
    if (file && used)
        pdf_shapes_keep_font_file(shared, f->path, used, a->num_glyphs, z->buf, zn, a->length1);
    free(used);
    free(buf);
    return file;
}

static HPDF_Dict descriptor(HPDF_Doc doc, pdf_zip *z, pfont *f, pdf_shapes *shared)
{
    HPDF_FontDef def = f->def;
    HPDF_Dict fd = HPDF_Dict_New(doc->mmgr), file = font_file(doc, z, f, shared);
    /* an object in no xref is freed by no one but us (HPDF_Xref_Add frees
       what it fails to add) */
    if (!fd || !file) {
        HPDF_Dict_Free(fd);
        return NULL;
    }
    if (HPDF_Xref_Add(doc->xref, fd) != HPDF_OK)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
    rc += HPDF_Dict_AddName(fd, "FontName", ((HPDF_TTFontDefAttr)def->attr)->base_font);
    rc += HPDF_Dict_AddNumber(fd, "Flags", (HPDF_INT32)def->flags);
    rc += HPDF_Dict_Add(fd, "FontBBox", HPDF_Box_Array_New(doc->mmgr, def->font_bbox));
    rc += HPDF_Dict_AddNumber(fd, "ItalicAngle", def->italic_angle);
    rc += HPDF_Dict_AddNumber(fd, "Ascent", def->ascent);
    rc += HPDF_Dict_AddNumber(fd, "Descent", def->descent);
    rc += HPDF_Dict_AddNumber(fd, "CapHeight", def->cap_height);
    rc += HPDF_Dict_AddNumber(fd, "StemV", def->stemv);
    rc += HPDF_Dict_AddNumber(fd, "XHeight", def->x_height);
    rc += HPDF_Dict_Add(fd, "FontFile2", file);
    return rc == HPDF_OK ? fd : NULL;
}

int pdf_finish_font(HPDF_Doc doc, pdf_zip *z, pfont *f, pdf_shapes *shared)
{
    HPDF_Dict cid = HPDF_Dict_New(doc->mmgr), info = HPDF_Dict_New(doc->mmgr), fd = descriptor(doc, z, f, shared);
    HPDF_Array desc = HPDF_Array_New(doc->mmgr);
    if (!cid || !info || !fd || !desc) {
        HPDF_Dict_Free(cid);
        HPDF_Dict_Free(info);
        HPDF_Array_Free(desc);
        return -1;
    }
    if (HPDF_Xref_Add(doc->xref, cid) != HPDF_OK) { /* cid freed by libharu */
        HPDF_Dict_Free(info);
        HPDF_Array_Free(desc);
        return -1;
    }
    HPDF_STATUS rc = HPDF_Dict_Add(info, "Registry", HPDF_String_New(doc->mmgr, "Adobe", NULL));
    rc += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(doc->mmgr, "Identity", NULL));
    rc += HPDF_Dict_AddNumber(info, "Supplement", 0);
    rc += HPDF_Dict_AddName(cid, "Type", "Font");
    rc += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    rc += HPDF_Dict_AddName(cid, "BaseFont", ((HPDF_TTFontDefAttr)f->def->attr)->base_font);
    rc += HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    rc += HPDF_Dict_Add(cid, "FontDescriptor", fd);
    rc += HPDF_Array_Add(desc, cid);
    rc += HPDF_Dict_Add(f->type0, "DescendantFonts", desc);
    if (rc != HPDF_OK || widths_and_map(doc, z, f, cid, shared) != 0)
        return -1;
    strbuf b = {0};
    HPDF_Dict tu = make_tounicode(f, &b) == 0 ? new_stream(doc, z, shared, b.data, b.len) : NULL;
    sb_free(&b);
    return tu && HPDF_Dict_Add(f->type0, "ToUnicode", tu) == HPDF_OK ? 0 : -1;
}
