/* sign_appear: the drawn appearance of a signer's widget (sign.c), as
 * Acrobat shows a signed field: in the pen's room of the signer's block
 * (the free band above the line "(ลงชื่อ) ..... ROLE", where a pen would
 * sign; the block's printed lines stay as they are, uncovered, so their
 * text reads back whole), two lines in blue: "ลงนามดิจิทัลโดย NAME (ROLE)"
 * with the real signing time, and the certificate's subject; the field's
 * thin grey frame round the block.
 *
 * Owns: the lines' text, their shaping (shape.c: HarfBuzz with the round's
 * report font, Thai marks placed by its GPOS), each line set at the largest
 * size up to 8 pt that fits the block's width and the room, centred; the font the
 * appearance carries: a subset of the report font (hb-subset, glyph ids
 * kept) embedded as a Type0 / CIDFontType2 with a CIDToGIDMap (one CID
 * per glyph and the text it reads back as), W widths from the font's hmtx,
 * a ToUnicode CMap (so text extraction reads the lines)
 * and a descriptor (PDF/A-3b: every font embedded, widths consistent). */
#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shape.h"
#include "sign_int.h"
#include "thai.h"
#include "util.h"

#define AP_LINES 2
#define AP_MAX_PT 8.0
#define AP_MAX_GLYPHS 2048

typedef struct {
    shape_glyph *g;
    int n;
    double width; /* font units */
} ap_line;

/* The appearance font's codes: CID i + 1 is glyph gid[i] read back as
 * text[i]; a glyph that stands for other text elsewhere (SARA AA alone,
 * and as the second half of SARA AM) gets a CID of its own. */
typedef struct {
    uint32_t gid[AP_MAX_GLYPHS];
    char *text[AP_MAX_GLYPHS];
    int n;
} ap_glyphs;

static int glyph_index(ap_glyphs *u, uint32_t gid, const char *t, size_t tl)
{
    for (int i = 0; i < u->n; i++)
        if (u->gid[i] == gid && strlen(u->text[i]) == tl && !memcmp(u->text[i], t, tl))
            return i;
    if (u->n == AP_MAX_GLYPHS)
        return -1;
    u->gid[u->n] = gid;
    u->text[u->n] = malloc(tl + 1);
    if (!u->text[u->n])
        return -1;
    memcpy(u->text[u->n], t, tl);
    u->text[u->n][tl] = 0;
    return u->n++;
}

/* The components of a composite glyph go into the subset (never drawn
 * alone: no CID is used for them, but the font file needs them). */
typedef struct {
    uint32_t gid[AP_MAX_GLYPHS];
    int n;
} ap_parts;

static void add_component(uint32_t gid, void *user)
{
    ap_parts *p = user;
    if (p->n < AP_MAX_GLYPHS)
        p->gid[p->n++] = gid;
}

/* "<XXXX>" UTF-16BE of a UTF-8 string (BMP and beyond), into b. */
static void utf16_hex(strbuf *b, const char *s)
{
    sb_puts(b, "<");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        for (; more && (*p & 0xC0) == 0x80; more--)
            c = (c << 6) | (*p++ & 0x3F);
        if (c >= 0x10000) {
            c -= 0x10000;
            sb_printf(b, "%04X%04X", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
        } else
            sb_printf(b, "%04X", c);
    }
    sb_puts(b, ">");
}

static char *tounicode(const ap_glyphs *u)
{
    strbuf b = {0};
    sb_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry "
                "(Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int n = 0;
    for (int i = 0; i < u->n; i++)
        n += u->text[i][0] != 0;
    for (int i = 0, done = 0; done < n; done += 100) {
        int k = n - done < 100 ? n - done : 100;
        sb_printf(&b, "%d beginbfchar\n", k);
        for (int c = 0; c < k; i++)
            if (u->text[i][0]) {
                sb_printf(&b, "<%04X> ", i + 1);
                utf16_hex(&b, u->text[i]);
                sb_puts(&b, "\n");
                c++;
            }
        sb_puts(&b, "endbfchar\n");
    }
    sb_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
    return sb_finish(&b);
}

static char *stream_obj(const char *dict_extra, const char *data, size_t len, size_t *outlen)
{
    strbuf b = {0};
    sb_printf(&b, "<< /Length %zu%s >>\nstream\n", len, dict_extra);
    sb_append(&b, data, len);
    sb_puts(&b, "\nendstream");
    *outlen = b.len;
    return b.oom ? (sb_free(&b), NULL) : b.data;
}

/* The subset font file (glyph ids kept) of the glyphs used; NULL on failure. */
static hb_blob_t *subset(hb_face_t *face, const ap_glyphs *u, const ap_parts *parts)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *gs = hb_subset_input_glyph_set(in);
    for (int i = 0; i < u->n; i++)
        hb_set_add(gs, u->gid[i]);
    for (int i = 0; i < parts->n; i++)
        hb_set_add(gs, parts->gid[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(face, in);
    hb_blob_t *b = sub ? hb_face_reference_blob(sub) : NULL;
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    if (b && hb_blob_get_length(b) == 0) {
        hb_blob_destroy(b);
        b = NULL;
    }
    return b;
}

static int16_t be16(const char *p) { return (int16_t)(((unsigned char)p[0] << 8) | (unsigned char)p[1]); }

/* The font objects (Type0, CIDFont, descriptor, file, ToUnicode) added to
 * o; the Type0's number in *font. 0, or -1. */
static int font_objects(qpdf_data q, const char *path, shape_font *sf, const ap_glyphs *u, const ap_parts *parts,
                        upd_obj *o, int *n, int *font)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    hb_face_t *face = blob ? hb_face_create(blob, 0) : NULL;
    hb_font_t *hf = face ? hb_font_create(face) : NULL;
    hb_blob_t *file = face ? subset(face, u, parts) : NULL;
    hb_blob_t *head = face ? hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd')) : NULL;
    unsigned hl = 0;
    const char *hd = head ? hb_blob_get_data(head, &hl) : NULL;
    int rc = -1;
    if (hf && file && hd && hl >= 54) {
        double k = 1000.0 / shape_font_upem(sf);
        hb_position_t asc = 0, desc = 0, cap = 0;
        hb_ot_metrics_get_position_with_fallback(hf, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
        hb_ot_metrics_get_position_with_fallback(hf, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc);
        hb_ot_metrics_get_position_with_fallback(hf, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
        int ids[6];
        for (int i = 0; i < 6; i++)
            ids[i] = qpdf_oh_get_object_id(q, qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q)));
        const char *name = "KHETAP+SignerFont";
        unsigned fl = 0;
        const char *fd = hb_blob_get_data(file, &fl);
        size_t len = 0;
        char extra[48];
        snprintf(extra, sizeof extra, " /Length1 %u", fl);
        o[*n] = (upd_obj){ids[0], stream_obj(extra, fd, fl, &len), 0};
        o[(*n)++].len = len;
        o[(*n)++] = (upd_obj){ids[1],
                              util_format("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%d %d %d %d] "
                                          "/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 "
                                          "%d 0 R >>",
                                          name, (int)(be16(hd + 36) * k), (int)(be16(hd + 38) * k),
                                          (int)(be16(hd + 40) * k), (int)(be16(hd + 42) * k), (int)(asc * k),
                                          (int)(desc * k), (int)(cap * k), ids[0]),
                              0};
        strbuf w = {0};
        sb_puts(&w, "[");
        sb_puts(&w, " 1 [");
        for (int i = 0; i < u->n; i++)
            sb_printf(&w, " %d", (int)(shape_glyph_advance(sf, u->gid[i]) * k + 0.5));
        sb_puts(&w, " ] ]");
        /* CID -> GID, two bytes each, CID 0 the .notdef */
        unsigned char *map = calloc((size_t)u->n + 1, 2);
        for (int i = 0; map && i < u->n; i++) {
            map[2 * (i + 1)] = (unsigned char)(u->gid[i] >> 8);
            map[2 * (i + 1) + 1] = (unsigned char)u->gid[i];
        }
        o[*n] = (upd_obj){ids[5], map ? stream_obj("", (const char *)map, 2 * ((size_t)u->n + 1), &len) : NULL, 0};
        o[(*n)++].len = len;
        free(map);
        o[(*n)++] = (upd_obj){ids[2],
                              w.oom ? NULL
                                    : util_format("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo "
                                                  "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                                                  "/FontDescriptor %d 0 R /DW 0 /W %s /CIDToGIDMap %d 0 R >>",
                                                  name, ids[1], w.data, ids[5]),
                              0};
        sb_free(&w);
        char *cmap = tounicode(u);
        o[*n] = (upd_obj){ids[3], cmap ? stream_obj("", cmap, strlen(cmap), &len) : NULL, 0};
        o[(*n)++].len = len;
        free(cmap);
        o[(*n)++] = (upd_obj){ids[4],
                              util_format("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
                                          "/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
                                          name, ids[2], ids[3]),
                              0};
        *font = ids[4];
        rc = 0;
    }
    hb_blob_destroy(head);
    hb_blob_destroy(file);
    hb_font_destroy(hf);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return rc;
}

/* The appearance's lines for slot s signed by `subject` at `when`. */
static void ap_text(const sign_slot *s, const char *subject, time_t when, char lines[AP_LINES][400])
{
    time_t local = when + 7 * 3600; /* Bangkok, UTC+7 all year */
    struct tm tm;
    gmtime_r(&local, &tm);
    char *day = thai_date((reader_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, 1, 0);
    snprintf(lines[0], 400, "ลงนามดิจิทัลโดย %s (%s) %s เวลา %02d:%02d:%02d น.", s->name ? s->name : "", s->field,
             day ? day : "", tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(lines[1], 400, "ใบรับรอง %s", subject);
    free(day);
    char *th = s->thai_digits ? thai_digits(lines[0]) : NULL; /* the subject stays as the certificate has it */
    if (th)
        snprintf(lines[0], 400, "%s", th);
    free(th);
}

char *sign_appearance(qpdf_data q, const sign_slot *s, const char *subject, time_t when, upd_obj *o, int *n)
{
    double w = s->rect[2] - s->rect[0], h = s->rect[3] - s->rect[1];
    char lines[AP_LINES][400], why[160];
    ap_line l[AP_LINES] = {{0}};
    ap_glyphs *u = calloc(1, sizeof *u);
    ap_parts *parts = calloc(1, sizeof *parts);
    int *cid[AP_LINES] = {NULL};
    shape_font *sf = s->font ? shape_font_open(s->font, 1, why, sizeof why) : NULL;
    shape_ctx *ctx = sf ? shape_ctx_new() : NULL;
    strbuf b = {0};
    int font = 0, ok = u && parts && ctx, missing = 0;
    ap_text(s, subject, when, lines);
    for (int i = 0; ok && i < AP_LINES; i++) {
        shape_font *fonts[2] = {sf, NULL};
        ok = (l[i].n = shape_text(ctx, fonts, lines[i], strlen(lines[i]), &l[i].g, &missing)) >= 0 &&
             (cid[i] = calloc((size_t)l[i].n + 1, sizeof *cid[i]));
        for (int k = 0; ok && k < l[i].n; k++) {
            l[i].width += l[i].g[k].advance;
            ok = (cid[i][k] = glyph_index(u, l[i].g[k].gid, lines[i] + l[i].g[k].text, l[i].g[k].text_len) + 1) > 0;
            if (ok)
                shape_glyph_components(sf, l[i].g[k].gid, add_component, parts);
        }
    }
    int base_n = *n;
    ok = ok && font_objects(q, s->font, sf, u, parts, o, n, &font) == 0;
    if (ok) {
        /* the pen's room: the band at the top of the block, above its pen line */
        double upem = shape_font_upem(sf), band = s->room > 0 && s->room < h ? s->room : h / 4;
        double lead = band / AP_LINES, top = h - 1;
        sb_printf(&b, "q 0.6 0.6 0.6 RG 0.5 w 0.25 0.25 %.2f %.2f re S\n0 0.2 0.6 rg\nBT\n", w - 0.5, h - 0.5);
        for (int i = 0; i < AP_LINES; i++) {
            double pt = AP_MAX_PT < lead * 0.8 ? AP_MAX_PT : lead * 0.8, room = w - 6;
            if (l[i].width * pt / upem > room)
                pt = room * upem / l[i].width;
            double x = (w - l[i].width * pt / upem) / 2, y = top - lead * (i + 1) + lead * 0.25;
            sb_printf(&b, "/F1 %.2f Tf\n", pt);
            for (int k = 0; k < l[i].n; k++) {
                const shape_glyph *g = &l[i].g[k];
                /* a mark nudged right of its base's end (Laksaman's THANTHAKHAT over SARA I: 0.08 em) reads
                 * back in poppler as a word of its own: kept at the end, a shift too small to see here */
                int xo = g->advance == 0 && g->x_offset > 0 ? 0 : g->x_offset;
                sb_printf(&b, "1 0 0 1 %.2f %.2f Tm <%04X> Tj\n", x + xo * pt / upem,
                          y + g->y_offset * pt / upem, (unsigned)cid[i][k]);
                x += g->advance * pt / upem;
            }
        }
        sb_puts(&b, "ET Q");
    }
    char *ap = NULL;
    if (ok && !b.oom)
        ap = util_format("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %d 0 R >> "
                         ">> /Length %zu >>\nstream\n%s\nendstream",
                         w, h, font, b.len, b.data);
    if (!ap) /* the objects made for it go too */
        for (; *n > base_n; (*n)--)
            free(o[*n - 1].text);
    sb_free(&b);
    for (int i = 0; i < AP_LINES; i++) {
        free(l[i].g);
        free(cid[i]);
    }
    free(parts);
    for (int i = 0; u && i < u->n; i++)
        free(u->text[i]);
    free(u);
    shape_ctx_free(ctx);
    shape_font_free(sf);
    return ap;
}
