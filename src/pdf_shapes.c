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

typedef struct {
    char *key; /* the fonts' key, a 0 byte, the text */
    size_t len;
    shape_glyph *g;
    int n, missing;
} shared;

struct pdf_shapes {
    shared *v;
    size_t cap, n;
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
    free(s);
}

static uint64_t hash_bytes(const char *a, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)a[i]) * 1099511628211ULL;
    return h;
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

static shared *slot(pdf_shapes *s, const char *key, size_t len)
{
    size_t k = (size_t)hash_bytes(key, len) & (s->cap - 1);
    for (; s->v[k].key; k = (k + 1) & (s->cap - 1))
        if (s->v[k].len == len && !memcmp(s->v[k].key, key, len))
            break;
    return &s->v[k];
}

int pdf_shapes_find(pdf_shapes *s, const char *fonts, const char *text, size_t tlen, shape_glyph **g, int *missing)
{
    size_t len;
    char *key = s->cap ? make_key(fonts, text, tlen, &len) : NULL;
    const shared *e = key ? slot(s, key, len) : NULL;
    free(key);
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
                *slot(s, old[i].key, old[i].len) = old[i];
        free(old);
    }
    size_t len;
    char *key = make_key(fonts, text, tlen, &len);
    shape_glyph *copy = malloc((size_t)(n ? n : 1) * sizeof *copy);
    shared *e = key && copy ? slot(s, key, len) : NULL;
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
