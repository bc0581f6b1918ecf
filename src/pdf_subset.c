/* pdf_subset: the embedded TrueType subset of a font, written from the font
 * file's bytes in one pass over memory.
 *
 * Owns: the bytes libharu's HPDF_TTFontDef_SaveFontData gives for a loaded
 * font definition and its used-glyph flags (libharu 2.3.0, which khet
 * links): the 13 tables libharu keeps, in its order and unpadded, the glyf
 * table holding only the used glyphs' outlines (the others empty), loca to
 * match, head from the parsed header, name with the subset tag before the
 * family and full names, the table checksums and checkSumAdjustment as
 * libharu computes them. libharu reads and writes that through its
 * streams 4 bytes at a time (a memcpy loop per call): ~4.7 M instructions
 * per font, where this is a copy. Same bytes, so the PDFs do not change;
 * libharu still parses the font and keeps the flags, this only writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"

static const char *const kept_tags[] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                        "hmtx", "loca", "maxp", "name", "post", "prep"};
#define NKEPT (sizeof kept_tags / sizeof *kept_tags)

typedef struct {
    unsigned char *p;
    size_t n, cap;
    int oom;
} obuf;

static void put(obuf *b, const void *s, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64 << 10;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *t = realloc(b->p, cap);
        if (!t) {
            b->oom = 1;
            return;
        }
        b->p = t;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void put16(obuf *b, unsigned v) { put(b, (unsigned char[]){(unsigned char)(v >> 8), (unsigned char)v}, 2); }
static void put32(obuf *b, uint32_t v)
{
    put(b, (unsigned char[]){(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v},
        4);
}

static const HPDF_TTFTable *find(const HPDF_TTFontDefAttr a, const char *tag)
{
    for (unsigned i = 0; i < a->offset_tbl.num_tables; i++)
        if (!memcmp(a->offset_tbl.table[i].tag, tag, 4))
            return &a->offset_tbl.table[i];
    return NULL;
}

/* The bytes [off, off + n) of the font file, or NULL when outside it. */
static const unsigned char *at(const unsigned char *font, size_t size, size_t off, size_t n)
{
    return off <= size && n <= size - off ? font + off : NULL;
}

static void write_head(obuf *b, const HPDF_TTF_FontHeader *h, size_t *adjust_at)
{
    put(b, h->version_number, 4);
    put32(b, h->font_revision);
    *adjust_at = b->n;
    put32(b, 0); /* checkSumAdjustment, set at the end */
    put32(b, h->magic_number);
    put16(b, h->flags);
    put16(b, h->units_per_em);
    put(b, h->created, 8);
    put(b, h->modified, 8);
    put16(b, (uint16_t)h->x_min);
    put16(b, (uint16_t)h->y_min);
    put16(b, (uint16_t)h->x_max);
    put16(b, (uint16_t)h->y_max);
    put16(b, h->mac_style);
    put16(b, h->lowest_rec_ppem);
    put16(b, (uint16_t)h->font_direction_hint);
    put16(b, (uint16_t)h->index_to_loc_format);
    put16(b, (uint16_t)h->glyph_data_format);
}

/* The used glyphs' outlines; new_off[i] in loca's units, as libharu. */
static int write_glyf(obuf *b, const HPDF_TTFontDefAttr a, const unsigned char *font, size_t size, uint32_t *new_off)
{
    size_t start = b->n;
    uint32_t saved = 0;
    int shortloca = a->header.index_to_loc_format == 0;
    for (unsigned i = 0; i < a->num_glyphs; i++) {
        if (a->glyph_tbl.flgs[i] != 1) {
            new_off[i] = saved;
            continue;
        }
        size_t off = a->glyph_tbl.offsets[i], len = a->glyph_tbl.offsets[i + 1] - off;
        new_off[i] = (uint32_t)(b->n - start);
        if (shortloca) {
            new_off[i] /= 2;
            len *= 2;
            off *= 2;
        }
        const unsigned char *g = at(font, size, off + a->glyph_tbl.base_offset, len);
        if (!g)
            return -1;
        put(b, g, len);
        saved = (uint32_t)(b->n - start);
        if (shortloca)
            saved /= 2;
    }
    new_off[a->num_glyphs] = saved;
    return 0;
}

/* name: the records with the tag before names 1 and 4, the strings after. */
static int write_name(obuf *b, const HPDF_TTFontDefAttr a, const HPDF_TTFTable *tbl, const unsigned char *font,
                      size_t size)
{
    obuf str = {0};
    put16(b, a->name_tbl.format);
    put16(b, a->name_tbl.count);
    put16(b, a->name_tbl.string_offset);
    for (unsigned i = 0; i < a->name_tbl.count; i++) {
        const HPDF_TTF_NameRecord *r = &a->name_tbl.name_records[i];
        size_t len = r->length, rec_off = str.n;
        if (r->name_id == 1 || r->name_id == 4) {
            int wide = r->platform_id == 0 || r->platform_id == 3;
            put(&str, wide ? a->tag_name2 : a->tag_name, wide ? sizeof a->tag_name2 : sizeof a->tag_name);
            len += wide ? sizeof a->tag_name2 : sizeof a->tag_name;
        }
        put16(b, r->platform_id);
        put16(b, r->encoding_id);
        put16(b, r->language_id);
        put16(b, r->name_id);
        put16(b, (uint16_t)len);
        put16(b, (uint16_t)rec_off);
        const unsigned char *s = at(font, size, (size_t)tbl->offset + a->name_tbl.string_offset + r->offset, r->length);
        if (!s) {
            free(str.p);
            return -1;
        }
        put(&str, s, r->length);
    }
    put(b, str.p, str.n);
    b->oom |= str.oom;
    free(str.p);
    return 0;
}

static uint32_t be32_at(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Sum of big-endian words; a last partial word zero-padded (a table's
 * checksum) or left out (libharu's whole-file sum stops at it). */
static uint32_t sum_words(const unsigned char *p, size_t n, int partial)
{
    uint32_t s = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        s += be32_at(p + i);
    if (partial && i < n) {
        unsigned char w[4] = {0};
        memcpy(w, p + i, n - i);
        s += be32_at(w);
    }
    return s;
}

int pdf_subset_write(const pfont *f, unsigned char **out, size_t *len)
{
    const HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)f->def->attr;
    *out = NULL;
    *len = 0;
    FILE *fp = fopen(f->path, "rb");
    if (!fp)
        return -1;
    unsigned char *font = NULL;
    size_t size = 0, cap = 0;
    int bad = 0;
    for (;;) {
        if (size == cap) {
            unsigned char *t = realloc(font, cap ? cap * 2 : 256 << 10);
            if (!t) {
                bad = 1;
                break;
            }
            font = t;
            cap = cap ? cap * 2 : 256 << 10;
        }
        size_t got = fread(font + size, 1, cap - size, fp);
        size += got;
        if (got == 0)
            break;
    }
    bad |= ferror(fp) || size == 0;
    fclose(fp);
    uint32_t *new_off = bad ? NULL : malloc(((size_t)a->num_glyphs + 1) * sizeof *new_off);
    bad |= !new_off; /* no table written: nothing below may be summed or patched */
    obuf t = {0};
    HPDF_TTFTable dir[NKEPT];
    size_t adjust_at = 0;
    for (size_t i = 0; new_off && i < NKEPT && !bad; i++) {
        const HPDF_TTFTable *tbl = find(a, kept_tags[i]);
        static const HPDF_TTFTable empty = {{0}, 0, 0, 0};
        if (!tbl)
            tbl = &empty;
        size_t start = t.n;
        if (!strcmp(kept_tags[i], "head"))
            write_head(&t, &a->header, &adjust_at);
        else if (!strcmp(kept_tags[i], "glyf"))
            bad = write_glyf(&t, a, font, size, new_off) != 0;
        else if (!strcmp(kept_tags[i], "loca"))
            for (unsigned j = 0; j <= a->num_glyphs; j++) {
                if (a->header.index_to_loc_format == 0)
                    put16(&t, (uint16_t)new_off[j]);
                else
                    put32(&t, new_off[j]);
            }
        else if (!strcmp(kept_tags[i], "name"))
            bad = write_name(&t, a, tbl, font, size) != 0;
        else {
            const unsigned char *s = at(font, size, tbl->offset, tbl->length);
            bad = !s;
            if (s)
                put(&t, s, tbl->length);
        }
        dir[i].offset = (uint32_t)start;
        dir[i].length = (uint32_t)(t.n - start);
    }
    free(new_off);
    free(font);
    size_t base = 12 + 16 * NKEPT;
    obuf o = {0};
    if (!bad && !t.oom) {
        put32(&o, a->offset_tbl.sfnt_version);
        put16(&o, NKEPT);
        put16(&o, a->offset_tbl.search_range);
        put16(&o, a->offset_tbl.entry_selector);
        put16(&o, a->offset_tbl.range_shift);
        for (size_t i = 0; i < NKEPT; i++) {
            put(&o, kept_tags[i], 4);
            put32(&o, sum_words(t.p + dir[i].offset, dir[i].length, 1));
            put32(&o, dir[i].offset + (uint32_t)base);
            put32(&o, dir[i].length);
        }
        uint32_t adjust = 0xB1B0AFBAu - sum_words(t.p, t.n, 0);
        unsigned char *w = t.p + adjust_at;
        w[0] = (unsigned char)(adjust >> 24), w[1] = (unsigned char)(adjust >> 16);
        w[2] = (unsigned char)(adjust >> 8), w[3] = (unsigned char)adjust;
        put(&o, t.p, t.n);
    }
    free(t.p);
    if (bad || t.oom || o.oom) {
        free(o.p);
        return -1;
    }
    a->length1 = (HPDF_UINT)o.n;
    *out = o.p;
    *len = o.n;
    return 0;
}
