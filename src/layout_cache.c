/* layout_cache: what one layout measures, remembered for the rest of it.
 * Keyed by what the answer depends on (what is asked, the face, up to two
 * numbers such as size and width, and the text's bytes), so a word, a line
 * or a cell that comes back is measured or broken once per document. */
#include "layout_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
    uint64_t hash;
    ly_key key;
    size_t off, len; /* the text, in keys */
    ly_value value;
    int used;
} slot;

struct ly_cache {
    slot *v;
    size_t cap, n; /* cap a power of two, at most half full */
    char *keys;
    size_t klen, kcap;
};

ly_cache *ly_cache_new(void) { return calloc(1, sizeof(ly_cache)); }

void ly_cache_free(ly_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++) {
        if (c->v[i].used && c->v[i].value.lines) {
            free(c->v[i].value.lines->v);
            free(c->v[i].value.lines);
        }
        if (c->v[i].used && c->v[i].value.breaks) {
            free(c->v[i].value.breaks->off);
            free(c->v[i].value.breaks->hard);
            free(c->v[i].value.breaks);
        }
    }
    free(c->v);
    free(c->keys);
    free(c);
}

static uint64_t hash_of(const ly_key *k, const char *s, size_t len)
{
    uint64_t h = util_hash_bytes(s, len), a, b;
    memcpy(&a, &k->a, sizeof a);
    memcpy(&b, &k->b, sizeof b);
    h = (h ^ (uint64_t)(k->what * 2 + k->face)) * 1099511628211ULL;
    h = (h ^ a) * 1099511628211ULL;
    h = (h ^ b) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static int same(const ly_cache *c, const slot *e, uint64_t h, const ly_key *k, const char *s, size_t len)
{
    return e->hash == h && e->len == len && e->key.what == k->what && e->key.face == k->face && e->key.a == k->a &&
           e->key.b == k->b && !memcmp(c->keys + e->off, s, len);
}

static slot *probe(slot *v, size_t cap, uint64_t h)
{
    size_t i = h & (cap - 1);
    while (v[i].used)
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static int grow(ly_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 256;
    slot *v = calloc(cap, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < c->cap; i++)
        if (c->v[i].used)
            *probe(v, cap, c->v[i].hash) = c->v[i];
    free(c->v);
    c->v = v;
    c->cap = cap;
    return 0;
}

ly_value *ly_cache_find(ly_cache *c, ly_key k, const char *s, size_t len)
{
    if (!c->cap)
        return NULL;
    uint64_t h = hash_of(&k, s, len);
    for (size_t i = h & (c->cap - 1); c->v[i].used; i = (i + 1) & (c->cap - 1))
        if (same(c, &c->v[i], h, &k, s, len))
            return &c->v[i].value;
    return NULL;
}

int ly_cache_put(ly_cache *c, ly_key k, const char *s, size_t len, ly_value v)
{
    if ((c->n + 1) * 2 > c->cap && grow(c) != 0)
        return -1;
    if (util_grow((void **)&c->keys, &c->kcap, c->klen + len + 1, 1))
        return -1;
    uint64_t h = hash_of(&k, s, len);
    slot *e = probe(c->v, c->cap, h);
    if (len)
        memcpy(c->keys + c->klen, s, len);
    *e = (slot){h, k, c->klen, len, v, 1};
    c->klen += len;
    c->n++;
    return 0;
}

struct layout_memo {
    ly_cache *breaks;
    const struct thai_words *words; /* the word lists its breaks were found with */
    int bound;
};

layout_memo *layout_memo_new(void)
{
    layout_memo *m = calloc(1, sizeof *m);
    if (m && !(m->breaks = ly_cache_new())) {
        free(m);
        return NULL;
    }
    return m;
}

void layout_memo_free(layout_memo *m)
{
    if (!m)
        return;
    ly_cache_free(m->breaks);
    free(m);
}

void layout_use_memo(layout_doc *d, layout_memo *m)
{
    if (d)
        d->memo = m;
}

ly_cache *ly_memo_breaks(layout_memo *m, const struct thai_words *words)
{
    if (!m)
        return NULL;
    if (!m->bound) {
        m->words = words;
        m->bound = 1;
    }
    return m->words == words ? m->breaks : NULL;
}
