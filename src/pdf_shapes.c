/* pdf_shapes: shaping shared by the documents of a batch. A worker that
 * renders many documents (a national month: 58 each) meets the same texts
 * again and again (headings, labels, province and hospital names); each
 * document still keeps its own cache (pdf.c), and on a miss there asks this
 * one before HarfBuzz. Keyed by the font files and the face, so documents
 * in other fonts never share. Owned by the batch (render_batch.c), one per
 * worker process; nothing global.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "util.h"

typedef struct {
    char *key; /* the fonts' key, a 0 byte, the text */
    size_t len;
    shape_glyph *g;
    int n, missing;
} shared;

/* A font subset as written once (see pdf_shapes_font_file). */
typedef struct {
    char *key; /* the font file's path, a 0 byte, its glyphs' used flags */
    size_t len;
    unsigned char *z;
    size_t zlen;
    uint32_t length1;
} kept_file;

/* A stream's bytes and the same compressed (see pdf_shapes_stream). */
typedef struct {
    uint64_t hash;
    unsigned char *data, *z;
    size_t len, zlen;
} kept_stream;

/* A font name looked up in a font folder (see pdf_shapes_fontfind). */
typedef struct {
    char *key; /* the folder, a 0 byte, the name */
    size_t len;
    font_faces faces;
} kept_faces;

struct pdf_shapes {
    shared *v;
    size_t cap, n;
    kept_file *files; /* a few: a batch's documents use a handful of glyph sets */
    size_t nfiles;
    kept_faces *faces;
    size_t nfaces;
    kept_stream *streams;
    size_t nstreams;
};

pdf_shapes *pdf_shapes_new(void) { return calloc(1, sizeof(pdf_shapes)); }

void pdf_shapes_free(pdf_shapes *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++) {
        free(s->v[i].key);
        free(s->v[i].g);
    }
    free(s->v);
    for (size_t i = 0; i < s->nfiles; i++) {
        free(s->files[i].key);
        free(s->files[i].z);
    }
    free(s->files);
    for (size_t i = 0; i < s->nfaces; i++) {
        free(s->faces[i].key);
        fontfind_free(&s->faces[i].faces);
    }
    free(s->faces);
    for (size_t i = 0; i < s->nstreams; i++) {
        free(s->streams[i].data);
        free(s->streams[i].z);
    }
    free(s->streams);
    free(s);
}

/* The key of a text in fonts: fonts, a 0 byte, the text (*len set). */
static char *make_key(const char *fonts, const char *text, size_t tlen, size_t *len)
{
    size_t fl = strlen(fonts);
    char *k = malloc(fl + 1 + tlen);
    if (k) {
        memcpy(k, fonts, fl + 1);
        memcpy(k + fl + 1, text, tlen);
        *len = fl + 1 + tlen;
    }
    return k;
}

/* The slot of the text in fonts (fl and tl bytes long), or the free slot
 * where it would go: found without making its key. */
static shared *slot(pdf_shapes *s, const char *fonts, size_t fl, const char *text, size_t tl)
{
    uint64_t h = util_hash_bytes(text, tl) ^ (util_hash_bytes(fonts, fl) * 0x9E3779B97F4A7C15ULL);
    size_t k = (size_t)(h ^ (h >> 29)) & (s->cap - 1), len = fl + 1 + tl;
    for (; s->v[k].key; k = (k + 1) & (s->cap - 1))
        if (s->v[k].len == len && !memcmp(s->v[k].key, fonts, fl + 1) &&
            (!tl || !memcmp(s->v[k].key + fl + 1, text, tl)))
            break;
    return &s->v[k];
}

/* The slot of a kept key (fonts, a 0 byte, the text). */
static shared *slot_of_key(pdf_shapes *s, const char *key, size_t len)
{
    size_t fl = strlen(key);
    return slot(s, key, fl, key + fl + 1, len - fl - 1);
}

int pdf_shapes_find(pdf_shapes *s, const char *fonts, const char *text, size_t tlen, shape_glyph **g, int *missing)
{
    const shared *e = s->cap ? slot(s, fonts, strlen(fonts), text, tlen) : NULL;
    if (!e || !e->key)
        return -1;
    if (!(*g = malloc((size_t)(e->n ? e->n : 1) * sizeof **g)))
        return -1;
    memcpy(*g, e->g, (size_t)e->n * sizeof **g);
    *missing = e->missing;
    return e->n;
}

void pdf_shapes_put(pdf_shapes *s, const char *fonts, const char *text, size_t tlen, const shape_glyph *g, int n,
                    int missing)
{
    if ((s->n + 1) * 2 > s->cap) { /* grow: the table stays at most half full */
        size_t cap = s->cap ? s->cap * 2 : 4096;
        shared *t = calloc(cap, sizeof *t), *old = s->v;
        if (!t)
            return; /* a cache: without it, only slower */
        size_t ocap = s->cap;
        s->v = t;
        s->cap = cap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].key)
                *slot_of_key(s, old[i].key, old[i].len) = old[i];
        free(old);
    }
    size_t len;
    char *key = make_key(fonts, text, tlen, &len);
    shape_glyph *copy = malloc((size_t)(n ? n : 1) * sizeof *copy);
    shared *e = key && copy ? slot_of_key(s, key, len) : NULL;
    if (!e || e->key) {
        free(key);
        free(copy);
        return;
    }
    if (n > 0) /* a run of no glyphs may come with g == NULL */
        memcpy(copy, g, (size_t)n * sizeof *copy);
    *e = (shared){key, len, copy, n, missing};
    s->n++;
}

/* Whether a kept key is a, a 0 byte, then b (bn bytes). */
static int key_is(const char *key, size_t len, const char *a, const void *b, size_t bn)
{
    size_t al = strlen(a);
    return len == al + 1 + bn && !memcmp(key, a, al + 1) && (!bn || !memcmp(key + al + 1, b, bn));
}

int pdf_shapes_font_file(const pdf_shapes *s, const char *path, const unsigned char *used, size_t n,
                         const unsigned char **z, size_t *zlen, uint32_t *length1)
{
    for (size_t i = 0; s && i < s->nfiles; i++) {
        const kept_file *e = &s->files[i];
        if (key_is(e->key, e->len, path, used, n)) {
            *z = e->z;
            *zlen = e->zlen;
            *length1 = e->length1;
            return 0;
        }
    }
    return -1;
}

void pdf_shapes_keep_font_file(pdf_shapes *s, const char *path, const unsigned char *used, size_t n,
                               const unsigned char *z, size_t zlen, uint32_t length1)
{
    if (!s || !zlen)
        return;
    kept_file *v = realloc(s->files, (s->nfiles + 1) * sizeof *v);
    if (!v)
        return; /* a cache: without it, only slower */
    s->files = v;
    size_t len;
    char *key = make_key(path, (const char *)used, n, &len);
    unsigned char *copy = malloc(zlen);
    if (!key || !copy) {
        free(key);
        free(copy);
        return;
    }
    memcpy(copy, z, zlen);
    s->files[s->nfiles++] = (kept_file){key, len, copy, zlen, length1};
}

static int copy_faces(font_faces *to, const font_faces *from)
{
    to->regular = util_strdup(from->regular);
    to->bold = from->bold ? util_strdup(from->bold) : NULL;
    to->family = util_strdup(from->family);
    if (to->regular && to->family && (to->bold || !from->bold))
        return 0;
    fontfind_free(to);
    return -1;
}

int pdf_shapes_fontfind(pdf_shapes *s, const char *font_dir, const char *name, font_faces *out, diag_ctx *d)
{
    for (size_t i = 0; s && i < s->nfaces; i++)
        if (key_is(s->faces[i].key, s->faces[i].len, font_dir, name, strlen(name))) {
            if (copy_faces(out, &s->faces[i].faces) == 0)
                return 0;
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
            return -1;
        }
    if (fontfind(font_dir, name, out, d) != 0)
        return -1;
    kept_faces *v = s ? realloc(s->faces, (s->nfaces + 1) * sizeof *v) : NULL;
    if (!v)
        return 0; /* found; kept or not, only slower */
    s->faces = v;
    size_t len;
    char *key = make_key(font_dir, name, strlen(name), &len);
    kept_faces e = {key, len, {0}};
    if (key && copy_faces(&e.faces, out) == 0)
        s->faces[s->nfaces++] = e;
    else
        free(key);
    return 0;
}

int pdf_shapes_stream(const pdf_shapes *s, const void *data, size_t len, const unsigned char **z, size_t *zlen)
{
    if (!s || !s->nstreams)
        return -1;
    uint64_t h = util_hash_bytes((const char *)data, len);
    for (size_t i = 0; i < s->nstreams; i++) {
        const kept_stream *e = &s->streams[i];
        if (e->hash == h && e->len == len && (!len || !memcmp(e->data, data, len))) {
            *z = e->z;
            *zlen = e->zlen;
            return 0;
        }
    }
    return -1;
}

void pdf_shapes_keep_stream(pdf_shapes *s, const void *data, size_t len, const unsigned char *z, size_t zlen)
{
    if (!s || !zlen)
        return;
    kept_stream *v = realloc(s->streams, (s->nstreams + 1) * sizeof *v);
    if (!v)
        return; /* a cache: without it, only slower */
    s->streams = v;
    kept_stream e = {util_hash_bytes((const char *)data, len), malloc(len ? len : 1), malloc(zlen), len, zlen};
    if (!e.data || !e.z) {
        free(e.data);
        free(e.z);
        return;
    }
    if (len)
        memcpy(e.data, data, len);
    memcpy(e.z, z, zlen);
    s->streams[s->nstreams++] = e;
}
