/* thai_veto: libthai's second opinion on ICU's line breaks. ICU's
 * dictionary splits lexicalised compounds (แลก|เปลี่ยน) and unknown words
 * (การบู|รณาการ) that libthai keeps whole; a break between two Thai letters
 * where libthai sees no word boundary is only taken when a piece cannot fit
 * otherwise (thai_word_breaks). Owns libthai's breaker, opened on the first
 * Thai text that needs it (on the part of the dictionary the document's
 * texts reach: thai_subset.c), and the memo of its answers by Thai run. */
#include "thai_int.h"

#include <thai/thwbrk.h>
#include <wchar.h>

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A text's breaks worked out ahead (thai_breaker_prime). */
struct thai_ahead {
    const char *text; /* NULL = a free slot; the copy v->told holds */
    size_t len;
    uint64_t hash;
    size_t *off;
    unsigned char *hd, *cand;
    int count;
    int taken; /* handed over: the slot stays, so that probing goes on past it */
};

struct lt_entry {
    size_t len;    /* 0 = a free slot */
    uint64_t hash;
    char *text;    /* the run, then (in the memo of answers) its len + 1 boundary flags */
};

/* A memo starts small (most documents have a few hundred runs), doubles up
 * to LT_MEMO_SLOTS, and is emptied when full, so memory stays bounded. */
enum { LT_MEMO_FIRST = 256, LT_MEMO_SLOTS = 4096, LT_MEMO_BYTES = 4 << 20 };

static void memo_clear(thai_veto_memo *m)
{
    for (size_t i = 0; i < m->nslots; i++)
        free(m->slot[i].text);
    free(m->slot);
    *m = (thai_veto_memo){0};
}

void thai_veto_free(thai_veto *v)
{
    if (v->lt)
        th_brk_delete(v->lt);
    thai_sublist_free(v->list);
    free(v->texts.v);
    for (size_t i = 0; i < v->nahead; i++)
        if (v->ahead[i].text) {
            free(v->ahead[i].off);
            free(v->ahead[i].hd); /* (cand is in its block) */
        }
    free(v->ahead);
    for (size_t i = 0; i < v->nblocks; i++)
        free(v->blocks[i]);
    free(v->blocks);
    free(v->told);
    memo_clear(&v->runs);
    memo_clear(&v->memo);
}

/* The slot of a run: the one holding it, or the free one where it goes. */
static struct lt_entry *memo_slot(thai_veto_memo *m, const char *s, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (m->nslots - 1);
    while (m->slot[i].len && !(m->slot[i].hash == h && m->slot[i].len == n && !memcmp(m->slot[i].text, s, n)))
        i = (i + 1) & (m->nslots - 1);
    return &m->slot[i];
}

/* A memo with room for one more run: made, doubled, or emptied when at
 * its bounds. -1 when out of memory. */
static int memo_ready(thai_veto_memo *m)
{
    if (m->slot && (m->bytes > LT_MEMO_BYTES || (m->used >= m->nslots / 2 && m->nslots >= LT_MEMO_SLOTS)))
        memo_clear(m);
    if (m->slot && m->used < m->nslots / 2)
        return 0;
    size_t n = m->slot ? 2 * m->nslots : LT_MEMO_FIRST;
    struct lt_entry *v = calloc(n, sizeof *v);
    if (!v)
        return -1;
    thai_veto_memo g = {v, n, m->used, m->bytes};
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slot[i].len)
            *memo_slot(&g, m->slot[i].text, m->slot[i].len, m->slot[i].hash) = m->slot[i];
    free(m->slot);
    *m = g;
    return 0;
}

/* Puts the copy t of a run (n bytes, the first n of its `size`) in the
 * memo's slot e. */
static void memo_put(thai_veto_memo *m, struct lt_entry *e, size_t n, uint64_t h, char *t, size_t size)
{
    *e = (struct lt_entry){n, h, t};
    m->used++;
    m->bytes += size;
}

/* Whether the hash h was in the set; puts it there. -1 when out of memory. */
static int hashes_add(thai_hashes *H, uint64_t h)
{
    h |= 1; /* 0 marks a free slot */
    if (2 * (H->used + 1) > H->n) {
        size_t n = H->n ? 2 * H->n : 1024;
        uint64_t *v = calloc(n, sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < H->n; i++)
            if (H->v[i]) {
                size_t j = (size_t)H->v[i] & (n - 1);
                while (v[j])
                    j = (j + 1) & (n - 1);
                v[j] = H->v[i];
            }
        free(H->v);
        H->v = v, H->n = n;
    }
    size_t i = (size_t)h & (H->n - 1);
    while (H->v[i] && H->v[i] != h)
        i = (i + 1) & (H->n - 1);
    if (H->v[i])
        return 1;
    H->v[i] = h;
    H->used++;
    return 0;
}

ThBrk *thai_veto_open_whole(thai_veto *v)
{
    if (v->whole || v->lt_failed)
        return v->lt;
    if (v->lt)
        th_brk_delete(v->lt);
    v->whole = 1;
    if (!(v->lt = th_brk_new(NULL)))
        v->lt_failed = 1;
    return v->lt;
}

/* The word index, opened the first time; NULL when there is none (or the
 * whole dictionary is open already). */
static thai_sublist *list_of(thai_veto *v)
{
    if (!v->list_tried) {
        v->list_tried = 1;
        v->list = v->list_path ? thai_sublist_open(v->list_path) : NULL;
    }
    return v->whole || v->lt_failed ? NULL : v->list;
}

/* Wants the words of a run of Thai letters (n bytes) unless it was told or
 * asked about before; a run asked about (ask) is first checked against the
 * words wanted already, as a piece of a run told needs none of its own. 0,
 * or -1 when out of memory. */
static int want_run(thai_veto *v, thai_sublist *L, const char *s, size_t n, int ask)
{
    thai_veto_memo *m = &v->runs;
    if (memo_ready(m) != 0)
        return -1;
    uint64_t h = util_hash_bytes(s, n);
    struct lt_entry *e = memo_slot(m, s, n, h);
    if (e->len)
        return 0;
    char *t = malloc(n);
    if (!t || (!(ask && thai_sublist_covers(L, s, n)) && thai_sublist_want(L, s, n) != 0)) {
        free(t);
        return -1;
    }
    memcpy(t, s, n);
    memo_put(m, e, n, h, t, n);
    return 0;
}

static int tell_run(thai_veto *v, thai_sublist *L, const char *s, size_t n) { return want_run(v, L, s, n, 0); }
static int ask_run(thai_veto *v, thai_sublist *L, const char *s, size_t n) { return want_run(v, L, s, n, 1); }

/* Calls f on each run of Thai letters (U+0E01..U+0E4E) of s[0..n). */
static int each_run(thai_veto *v, thai_sublist *L, const char *s, size_t n,
                    int (*f)(thai_veto *, thai_sublist *, const char *, size_t))
{
    for (size_t i = 0; i + 3 <= n;) {
        const char *lead = memchr(s + i, 0xE0, n - i - 2); /* every Thai letter's first byte */
        if (!lead)
            break;
        i = (size_t)(lead - s);
        if (!thai_letter_at(s + i)) {
            i++;
            continue;
        }
        size_t a = i;
        while (i + 3 <= n && thai_letter_at(s + i))
            i += 3;
        if (f(v, L, s + a, i - a) != 0)
            return -1;
    }
    return 0;
}

int thai_veto_ahead(thai_veto *v) { return list_of(v) != NULL; }

/* A copy of s (len bytes, NUL added) in the blocks the copies share: one
 * allocation for many texts, not one each. NULL when out of memory. */
enum { TOLD_BLOCK = 64 << 10 };
static char *told_copy(thai_veto *v, const char *s, size_t len)
{
    if (len + 1 > v->block_left) {
        size_t size = len + 1 > TOLD_BLOCK ? len + 1 : TOLD_BLOCK;
        char *b = malloc(size);
        if (!b || util_grow((void **)&v->blocks, &v->blocks_cap, v->nblocks + 1, sizeof *v->blocks)) {
            free(b);
            return NULL;
        }
        v->blocks[v->nblocks++] = b;
        v->block_at = b, v->block_left = size;
    }
    char *t = v->block_at;
    memcpy(t, s, len);
    t[len] = 0;
    v->block_at += len + 1, v->block_left -= len + 1;
    return t;
}

int thai_veto_told(thai_veto *v, const char *s, size_t len)
{
    v->told_hash = util_hash_bytes(s, len);
    int told = hashes_add(&v->texts, v->told_hash); /* a report repeats its texts */
    if (told)
        return told;
    char *t = told_copy(v, s, len);
    if (!t || util_grow((void **)&v->told, &v->told_cap, v->ntold + 1, sizeof *v->told))
        return -1;
    v->told[v->ntold++] = t;
    return 0;
}

/* The run of Thai letters (3 bytes each in UTF-8) around the break at byte
 * off of s, between the letters at off - 3 and off: what libthai is told or
 * asked about. */
static void run_around(const char *s, size_t off, size_t len, thai_veto_view *run)
{
    size_t a = off - 3, e = off + 3;
    while (a >= 3 && thai_letter_at(s + a - 3))
        a -= 3;
    while (e + 3 <= len && thai_letter_at(s + e))
        e += 3;
    run->start = a, run->end = e;
}

int thai_veto_tell(thai_veto *v, const char *s, size_t off, size_t len, thai_veto_view *run)
{
    thai_sublist *L = list_of(v);
    if (!L || (run->start < off && off < run->end))
        return 0;
    run_around(s, off, len, run);
    return tell_run(v, L, s + run->start, run->end - run->start);
}

/* The slot of a text kept ahead, or the free one where it goes. */
static struct thai_ahead *ahead_slot(thai_veto *v, const char *s, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (v->nahead - 1);
    while (v->ahead[i].text && !(v->ahead[i].hash == h && v->ahead[i].len == len && !memcmp(v->ahead[i].text, s, len)))
        i = (i + 1) & (v->nahead - 1);
    return &v->ahead[i];
}

int thai_veto_keep(thai_veto *v, size_t len, size_t *off, unsigned char *hd, unsigned char *cand, int count)
{
    if (2 * (v->ahead_used + 1) > v->nahead) {
        size_t n = v->nahead ? 2 * v->nahead : 256;
        struct thai_ahead *t = calloc(n, sizeof *t), *old = v->ahead;
        if (!t) {
            free(off), free(hd);
            return -1;
        }
        size_t nold = v->nahead;
        v->ahead = t, v->nahead = n;
        for (size_t i = 0; i < nold; i++)
            if (old[i].text)
                *ahead_slot(v, old[i].text, old[i].len, old[i].hash) = old[i];
        free(old);
    }
    /* the text told last: its copy and its hash */
    const char *t = v->told[v->ntold - 1];
    *ahead_slot(v, t, len, v->told_hash) = (struct thai_ahead){t, len, v->told_hash, off, hd, cand, count, 0};
    v->ahead_used++;
    return 0;
}

int thai_veto_take(thai_veto *v, const char *s, size_t len, size_t **off, unsigned char **hd, unsigned char **cand)
{
    if (!v->ahead_used)
        return -2;
    struct thai_ahead *e = ahead_slot(v, s, len, util_hash_bytes(s, len));
    if (!e->text || e->taken)
        return -2;
    *off = e->off, *hd = e->hd, *cand = e->cand;
    e->off = NULL, e->hd = e->cand = NULL, e->taken = 1;
    return e->count;
}

/* Every run of every text told, told (once a text needs words beyond those
 * of the runs asked about: a justified line's pieces, where ICU breaks
 * otherwise), so that the part is opened again once, not at every line.
 * 0, or -1. */
static int tell_all(thai_veto *v, thai_sublist *L)
{
    v->told_all = 1;
    for (size_t i = 0; i < v->ntold; i++)
        if (each_run(v, L, v->told[i], strlen(v->told[i]), tell_run) != 0)
            return -1;
    return 0;
}

/* libthai's answers for every run told and not answered yet, asked in one
 * call: the runs joined by spaces, which libthai breaks chunk by chunk as
 * it would each run alone (a chunk ends at the space; its breaks at a run's
 * two ends, which a run alone never gets, are left out), without the
 * set-up and tear-down of a call for each run. Only when they all fit in
 * the memo of answers; else each is asked when it comes. 0, or -1. */
static int answer_told(thai_veto *v)
{
    thai_veto_memo *m = &v->memo, *r = &v->runs;
    size_t runs = 0, chars = 0, bytes = 0;
    for (size_t i = 0; i < r->nslots; i++)
        if (r->slot[i].len) {
            runs++;
            chars += r->slot[i].len / 3 + 1;
            bytes += 2 * r->slot[i].len + 1; /* its memo entry */
        }
    if (!runs || m->used + runs > LT_MEMO_SLOTS / 2 || m->bytes + bytes > LT_MEMO_BYTES / 2)
        return 0;
    thchar_t *w = malloc(chars + 1); /* TIS-620: a run's letters are U+0E01..U+0E4E, 0xA1..0xEE */
    int *pos = malloc((chars + 1) * sizeof *pos);
    unsigned char *brk = calloc(chars + 1, 1);
    int rc = w && pos && brk ? 0 : -1;
    size_t k = 0;
    for (size_t i = 0; !rc && i < r->nslots; i++)
        if (r->slot[i].len) {
            const char *t = r->slot[i].text;
            for (size_t j = 0; j < r->slot[i].len; j += 3)
                w[k++] = (thchar_t)(0xA0 + ((unsigned char)t[j + 1] & 1) * 0x40 + ((unsigned char)t[j + 2] & 0x3F));
            w[k++] = ' ';
        }
    if (!rc) {
        w[k] = 0;
        int found = th_brk_find_breaks(v->lt, w, pos, k + 1);
        for (int i = 0; i < found; i++)
            if (pos[i] >= 0 && (size_t)pos[i] <= k)
                brk[pos[i]] = 1;
    }
    k = 0;
    for (size_t i = 0; !rc && i < r->nslots; i++) {
        const struct lt_entry *e = &r->slot[i];
        if (!e->len)
            continue;
        size_t n = e->len, letters = n / 3;
        if ((rc = memo_ready(m)) != 0)
            break;
        struct lt_entry *a = memo_slot(m, e->text, n, e->hash);
        char *t = a->len ? NULL : malloc(2 * n + 1);
        if (!a->len && !t) {
            rc = -1;
            break;
        }
        if (t) {
            memcpy(t, e->text, n);
            memset(t + n, 0, n + 1);
            for (size_t j = 1; j < letters; j++) /* inside the run only */
                t[n + 3 * j] = (char)brk[k + j];
            memo_put(m, a, n, e->hash, t, 2 * n + 1);
        }
        k += letters + 1;
    }
    free(w), free(pos), free(brk);
    return rc;
}

/* libthai's breaker for the text s[0..n) about to be broken: on the part of
 * the dictionary its runs and every run told reach (opened again when it
 * reaches further), or on the whole dictionary when there is no word index
 * or the part cannot be opened. NULL: no veto (*oom set when out of
 * memory). */
static ThBrk *veto_for(thai_veto *v, const char *s, size_t n, int *oom)
{
    thai_sublist *L = list_of(v);
    if (!L)
        return thai_veto_open_whole(v);
    if (each_run(v, L, s, n, ask_run) != 0) {
        *oom = 1;
        return NULL;
    }
    if (v->lt && !thai_sublist_dirty(L))
        return v->lt;
    /* another document of the same process (a batch not shared out by
     * batch_run, such as an archive's) reaches further: most of the
     * dictionary soon, opened whole once rather than the part again */
    if (v->lt && v->ntold > v->told_at_open)
        return thai_veto_open_whole(v);
    if (v->lt && !v->told_all && tell_all(v, L) != 0) {
        *oom = 1;
        return NULL;
    }
    if (v->lt)
        th_brk_delete(v->lt);
    if (!(v->lt = thai_sublist_brk(L)))
        return thai_veto_open_whole(v);
    v->told_at_open = v->ntold;
    if (answer_told(v) != 0) {
        *oom = 1;
        return NULL;
    }
    return v->lt;
}

/* libthai's boundaries inside s[0..n): flags[i] = 1 where a word starts at
 * byte i. -1 when out of memory. */
static int libthai_run(ThBrk *lt, const char *s, size_t n, unsigned char *flags)
{
    wchar_t *w = malloc((n + 1) * sizeof *w);
    size_t *at = malloc((n + 1) * sizeof *at); /* wide index -> byte offset */
    int *pos = malloc((n + 1) * sizeof *pos);
    size_t k = 0;
    if (!w || !at || !pos) {
        free(w), free(at), free(pos);
        return -1;
    }
    for (size_t i = 0; i < n;) {
        at[k] = i;
        w[k++] = (wchar_t)util_utf8_next(s, n, &i);
    }
    at[k] = n;
    w[k] = 0;
    memset(flags, 0, n + 1);
    int found = th_brk_wc_find_breaks(lt, w, pos, k + 1); /* at most k breaks: libthai allocates pos_sz per path it tries */
    for (int i = 0; i < found; i++)
        if (pos[i] >= 0 && (size_t)pos[i] <= k)
            flags[at[pos[i]]] = 1;
    free(w), free(at), free(pos);
    return 0;
}

/* libthai's boundaries of the Thai run s[0..n) (n + 1 flags), from the
 * memo or worked out and remembered; NULL with *oom set when out of memory,
 * NULL alone when libthai cannot be used (no veto then). */
static const unsigned char *veto_run(thai_veto *v, const char *s, size_t n, int *oom)
{
    if (v->lt_failed)
        return NULL;
    thai_veto_memo *m = &v->memo;
    if (memo_ready(m) != 0) {
        *oom = 1;
        return NULL;
    }
    uint64_t h = util_hash_bytes(s, n);
    struct lt_entry *e = memo_slot(m, s, n, h);
    if (e->len)
        return (unsigned char *)e->text + n;
    ThBrk *lt = veto_for(v, s, n, oom);
    if (!lt)
        return NULL;
    if (memo_ready(m) != 0) {
        *oom = 1;
        return NULL;
    }
    e = memo_slot(m, s, n, h); /* answered with the runs told, when the part was opened */
    if (e->len)
        return (unsigned char *)e->text + n;
    char *t = malloc(2 * n + 1);
    if (!t || libthai_run(lt, s, n, (unsigned char *)t + n) < 0) {
        free(t);
        *oom = 1;
        return NULL;
    }
    memcpy(t, s, n);
    memo_put(m, e, n, h, t, 2 * n + 1);
    return (unsigned char *)t + n;
}

unsigned char *thai_veto_bounds(thai_veto *v, const char *s, size_t len, int *oom)
{
    *oom = 0;
    ThBrk *lt = v && !v->lt_failed ? veto_for(v, s, len, oom) : NULL;
    if (!lt)
        return NULL;
    unsigned char *ok = calloc(len + 1, 1);
    if (!ok || libthai_run(lt, s, len, ok) < 0) {
        free(ok);
        *oom = 1;
        return NULL;
    }
    return ok;
}

/* libthai is asked only here, about the Thai run around a break ICU
 * proposes (its cost was a tenth of a table's layout when it read every
 * text whole). */
int thai_vetoed(thai_veto *v, const char *s, size_t off, size_t len, thai_veto_view *run, int *oom)
{
    if (!v || off < 3 || off + 3 > len || !thai_letter_at(s + off - 3) || !thai_letter_at(s + off))
        return 0;
    if (!(run->start < off && off < run->end)) {
        run_around(s, off, len, run);
        run->bounds = veto_run(v, s + run->start, run->end - run->start, oom);
    }
    return run->bounds && !run->bounds[off - run->start];
}
