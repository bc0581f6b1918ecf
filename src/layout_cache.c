/* layout_cache: what one layout measures, remembered for the rest of it.
 * Keyed by what the answer depends on (what is asked, the face, up to two
 * numbers such as size and width, and the text's bytes), so a word, a line
 * or a cell that comes back is measured or broken once per document; and
 * a text's break opportunities, found once per batch where a memo is
 * shared (layout_text.c breaks lines at them, layout_page.c measures the
 * ink of a text by its words). */
#include "layout_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The entries lie one after the other in the order they came; the hash
 * table holds only their numbers (4 bytes a slot where a slot was the whole
 * 88-byte entry: a table sized for 4,000 entries was 1.4 MB of fresh pages,
 * faulted in one by one, and the next size up another 2.9 MB). */
typedef struct {
    uint64_t hash;
    ly_key key;
    size_t off, len; /* the text, in keys */
    ly_value value;
} entry;

struct ly_cache {
    uint32_t *slot; /* an entry's index + 1, 0 when empty */
    size_t cap;     /* a power of two, at most half full */
    entry *e;
    size_t n, ecap;
    char *keys;
    size_t klen, kcap;
};

ly_cache *ly_cache_new(void) { return calloc(1, sizeof(ly_cache)); }

void ly_cache_free(ly_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        if (c->e[i].value.lines) {
            free(c->e[i].value.lines->v);
            free(c->e[i].value.lines);
        }
        if (c->e[i].value.breaks) {
            free(c->e[i].value.breaks->off);
            free(c->e[i].value.breaks->hard);
            free(c->e[i].value.breaks);
        }
    }
    free(c->slot);
    free(c->e);
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

static int same(const ly_cache *c, const entry *e, uint64_t h, const ly_key *k, const char *s, size_t len)
{
    return e->hash == h && e->len == len && e->key.what == k->what && e->key.face == k->face && e->key.a == k->a &&
           e->key.b == k->b && !memcmp(c->keys + e->off, s, len);
}

/* The first empty slot on the hash's probe sequence. */
static uint32_t *probe(uint32_t *slot, size_t cap, uint64_t h)
{
    size_t i = h & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    return &slot[i];
}

static int grow(ly_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 256;
    if (cap > UINT32_MAX)
        return -1;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < c->n; i++)
        *probe(slot, cap, c->e[i].hash) = (uint32_t)(i + 1);
    free(c->slot);
    c->slot = slot;
    c->cap = cap;
    return 0;
}

ly_value *ly_cache_find(ly_cache *c, ly_key k, const char *s, size_t len)
{
    if (!c->cap)
        return NULL;
    uint64_t h = hash_of(&k, s, len);
    for (size_t i = h & (c->cap - 1); c->slot[i]; i = (i + 1) & (c->cap - 1))
        if (same(c, &c->e[c->slot[i] - 1], h, &k, s, len))
            return &c->e[c->slot[i] - 1].value;
    return NULL;
}

int ly_cache_put(ly_cache *c, ly_key k, const char *s, size_t len, ly_value v)
{
    if ((c->n + 1) * 2 > c->cap && grow(c) != 0)
        return -1;
    if (util_grow((void **)&c->e, &c->ecap, c->n + 1, sizeof *c->e) ||
        util_grow((void **)&c->keys, &c->kcap, c->klen + len + 1, 1))
        return -1;
    uint64_t h = hash_of(&k, s, len);
    if (len)
        memcpy(c->keys + c->klen, s, len);
    c->e[c->n] = (entry){h, k, c->klen, len, v};
    *probe(c->slot, c->cap, h) = (uint32_t)(c->n + 1);
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

/* A text's break opportunities: a cell's text is broken for its widest
 * word (the table's column widths) and again for its lines, at each width
 * tried, and comes back in the batch's other documents; the breaks are the
 * same every time. */
static ly_cache *breaks_cache(rctx *c)
{
    ly_cache *cache = ly_memo_breaks(c->d->memo, c->d->setup.words); /* the batch's, else the document's */
    return cache ? cache : c->cache;
}

const ly_breaks *ly_breaks_known(rctx *c, const char *s, size_t len)
{
    ly_value *v = ly_cache_find(breaks_cache(c), (ly_key){LY_BREAKS, 0, 0, 0}, s, len);
    return v ? v->breaks : NULL;
}

const ly_breaks *ly_breaks_of(rctx *c, const char *s)
{
    ly_key k = {LY_BREAKS, 0, 0, 0};
    size_t len = strlen(s);
    ly_cache *cache = breaks_cache(c);
    ly_value *v = ly_cache_find(cache, k, s, len);
    if (v)
        return v->breaks;
    ly_breaks *b = calloc(1, sizeof *b);
    if (b)
        b->n = thai_breaks_with(c->breaker, s, &b->off, &b->hard);
    if (!b || b->n < 0 || ly_cache_put(cache, k, s, len, (ly_value){{0, 0}, NULL, b}) != 0) {
        if (b) {
            free(b->off);
            free(b->hard);
        }
        free(b);
        c->err = 1;
        return NULL;
    }
    return b;
}
