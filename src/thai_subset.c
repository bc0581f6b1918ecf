/* thai_subset: libthai's dictionary cut down to the words a document's
 * texts can reach, so that opening it costs in proportion to the document's
 * Thai, not to the whole dictionary (25,110 words: 31 M instructions to
 * open, because libdatrie 0.2.13 reads the file 4 bytes at a time, and 3 M
 * to free; most of what libthai's veto cost a 400-row table).
 *
 * Why the answers stay the same. libthai's breaker (brk-maximal.c, 0.1.29)
 * uses its dictionary only by walking it along the text, from a position,
 * one character at a time, asking whether the walk goes on
 * (trie_state_walk), whether it stands at the end of a word
 * (trie_state_is_terminal) and, there, whether a single word is left ahead
 * (trie_state_is_single). A walk starts only at the start of the chunk it
 * breaks or at a break hint (brk_brkpos_hints, worked out here as libthai
 * does: unit_hints), and stops at the end of a word only at a hint or at
 * the chunk's end; where a walk that stops
 * nowhere fails does not matter (recovery starts from the walk's start),
 * only whether it fails or reaches the chunk's end. Every word is made of
 * Thai letters and marks (U+0E01..U+0E4E; thbrk_words checks it) and
 * libthai's chunks are cut at ฯ ๆ ฿ and whatever is not a letter, so a walk
 * never leaves such a unit. For each unit and each start in it, a part of
 * the dictionary answers every walk from there as the whole one does when
 * it holds: each word the text from there begins with that ends where a
 * walk can stop; when the text up to the unit's end begins a longer word,
 * one such word (the walk reaches the end); else, when the last of those
 * stops is followed by more words, one of them ("single" comes out the
 * same). A walk along a piece of a unit (a line of a justified paragraph) is
 * answered by the same words or needs a few more, which
 * thai_sublist_covers finds; any larger part serves too. tests/test_thai.c
 * compares the answers with the whole dictionary's.
 *
 * The words come from build/thbrk.words (src/tools/thbrk_words.c), made from
 * the dictionary at build time and checked against its size and time; the
 * part is laid out here in libdatrie's file format (serialize_part: the trie
 * trie_store would build, at a tenth of its cost) and handed to libthai
 * through a memory file, as th_brk_new takes only a path. When anything here fails the caller opens the whole
 * dictionary instead. */
#define _GNU_SOURCE /* memfd_create */
#include "thai_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

enum { WANTED = 1 };

struct thai_sublist {
    void *map;          /* the index file, mapped */
    size_t map_len;
    const uint32_t *off; /* word i is bytes[off[i] .. off[i + 1]) */
    const char *bytes;
    uint32_t nbytes;
    uint32_t n;
    const uint32_t *pairs; /* the words beginning with letters k, j: [pairs[t], pairs[t + 1]), t = k * THAI_LETTERS + j */
    unsigned char *mark;
    uint32_t *rank;     /* rank[i]: how many of the words before i are wanted */
    int rank_stale;
    uint32_t nwanted;   /* words wanted */
    size_t npending;    /* words wanted since the part was last made */
    unsigned char *hints; /* a unit's break hints, then the run's letters (each_start) */
    size_t hints_cap;
};

void thai_sublist_free(thai_sublist *L)
{
    if (!L)
        return;
    if (L->map)
        munmap(L->map, L->map_len);
    free(L->mark);
    free(L->rank);
    free(L->hints);
    free(L);
}

/* The letter (U+0E00 + k, 1 <= k <= 0x4E) of the 3 UTF-8 bytes at p, or 0. */
static unsigned letter(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] != 0xE0 || (u[1] != 0xB8 && u[1] != 0xB9) || (u[2] & 0xC0) != 0x80)
        return 0;
    unsigned k = (unsigned)(u[1] & 1) << 6 | (u[2] & 0x3F);
    return k >= 1 && k < THAI_LETTERS ? k : 0;
}

/* Word i's length and bytes (the offsets are in order: sound() checked). */
static size_t wlen(const thai_sublist *L, uint32_t i) { return L->off[i + 1] - L->off[i]; }
static const char *word(const thai_sublist *L, uint32_t i) { return L->bytes + L->off[i]; }

/* Whether the n + 1 offsets never go down, as signed 32-bit numbers four
 * at a time (a GNU C vector: this runs once a process, over 25,110
 * offsets). With the first 0 and the last the words' size below 2^31, that
 * keeps every offset within the words. */
typedef int32_t i32x4 __attribute__((vector_size(16)));
static int offsets_in_order(const uint32_t *off, uint32_t n)
{
    i32x4 bad = {0};
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        i32x4 a, b;
        memcpy(&a, off + i, sizeof a);
        memcpy(&b, off + i + 1, sizeof b);
        bad |= b < a;
    }
    int32_t worse = 0;
    for (int k = 0; k < 4; k++)
        worse |= bad[k];
    for (; i < n; i++)
        worse |= (int32_t)off[i + 1] < (int32_t)off[i];
    return !worse;
}

/* Whether the index's header and offsets are sound and were made from the
 * dictionary libthai opens. */
static int sound(const thai_sublist *L, const thai_words_header *h)
{
    struct stat st;
    if (memcmp(h->magic, THAI_WORDS_MAGIC, sizeof h->magic) || h->bom != THAI_WORDS_BOM || !h->usable ||
        getenv("LIBTHAI_DICTDIR") || stat(THAI_THBRK_TRI, &st) != 0 || h->tri_size != (int64_t)st.st_size ||
        h->tri_mtime != (int64_t)st.st_mtime)
        return 0;
    size_t tables = ((size_t)h->n + 1 + THAI_PAIRS) * sizeof(uint32_t);
    if (h->n > L->map_len || L->map_len - sizeof *h < tables || L->map_len - sizeof *h - tables != h->bytes)
        return 0;
    if (L->off[0] != 0 || L->off[h->n] != h->bytes || h->bytes > INT32_MAX || L->pairs[0] != 0 ||
        L->pairs[THAI_PAIRS - 1] != h->n)
        return 0;
    unsigned bad = 0; /* offsets in order (a word's length not a whole number of letters is read as shorter) */
    for (size_t t = 0; t + 1 < THAI_PAIRS; t++)
        bad |= L->pairs[t + 1] < L->pairs[t];
    return !bad && offsets_in_order(L->off, h->n);
}

thai_sublist *thai_sublist_open(const char *path)
{
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    thai_sublist *L = fd >= 0 && fstat(fd, &st) == 0 && (size_t)st.st_size > sizeof(thai_words_header)
                          ? calloc(1, sizeof *L)
                          : NULL;
    if (L) {
        L->map_len = (size_t)st.st_size;
        L->rank_stale = 1;
        L->map = mmap(NULL, L->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (L->map == MAP_FAILED)
            L->map = NULL;
    }
    if (fd >= 0)
        close(fd);
    if (!L || !L->map) {
        thai_sublist_free(L);
        return NULL;
    }
    thai_words_header h;
    memcpy(&h, L->map, sizeof h);
    L->off = (const uint32_t *)((const char *)L->map + sizeof h);
    L->n = h.n;
    L->pairs = L->off + h.n + 1;
    L->nbytes = h.bytes;
    L->bytes = (const char *)(L->pairs + THAI_PAIRS);
    if (!sound(L, &h) || !(L->mark = calloc(h.n ? h.n : 1, 1))) {
        thai_sublist_free(L);
        return NULL;
    }
    return L;
}

/* Marks word i wanted; -1 when out of memory. */
static int want_word(thai_sublist *L, uint32_t i)
{
    if (L->mark[i] & WANTED)
        return 0;
    L->mark[i] |= WANTED;
    L->nwanted++;
    L->npending++;
    L->rank_stale = 1;
    return 0;
}

/* libthai's break hints (brk_brkpos_hints, 0.1.29) of a unit of n letters
 * k (U+0E00 + k[i]): h[i] = 1 where a word may start, before letter i. A walk starts only
 * at the unit's start or at a hint, and stops at the end of a word only at
 * a hint or at the unit's end, so only the words met there are needed.
 * The letters are named by their code point less U+0E00 (TIS-620 less
 * 0xA0), as libthai's tis.h and thctype.c class them. */
enum {
    KO_KAI = 0x01, RU = 0x24, LU = 0x26, WO_WAEN = 0x27, O_ANG = 0x2D, SARA_A = 0x30, MAI_HAN_AKAT = 0x31,
    SARA_AA = 0x32, SARA_UEE = 0x37, SARA_E = 0x40, SARA_AE = 0x41, MAITAIKHU = 0x47, THANTHAKHAT = 0x4C
};
static int th_cons(unsigned k) { return k >= 0x01 && k <= 0x2E && k != RU && k != LU; }
static int th_ldvowel(unsigned k) { return k >= 0x40 && k <= 0x44; }
static int th_upvowel(unsigned k) { return k == 0x31 || (k >= 0x34 && k <= 0x37); }
static int th_tone(unsigned k) { return k >= 0x48 && k <= 0x4B; }

static void unit_hints(const unsigned char *k, size_t n, unsigned char *h)
{
#define K(i) k[i]
    memset(h, 0, n);
    for (size_t i = 0; i < n;) {
        unsigned c = K(i);
        if (th_cons(c)) {
            if (i + 1 < n && K(i + 1) == THANTHAKHAT)
                i += 2; /* the consonant and the mark */
            else if (i + 2 < n && K(i + 2) == THANTHAKHAT)
                i += 3;
            else if (i + 2 < n && c != KO_KAI && K(i + 1) == MAITAIKHU && (K(i + 2) == O_ANG || K(i + 2) == WO_WAEN)) {
                h[i] = 1;
                i += 4;
            } else if ((i > 0 && (K(i - 1) == MAI_HAN_AKAT || K(i - 1) == SARA_UEE)) ||
                       (i > 1 && th_tone(K(i - 1)) && (K(i - 2) == MAI_HAN_AKAT || K(i - 2) == SARA_UEE)))
                i++;
            else
                h[i++] = 1;
        } else if (c == SARA_E || c == SARA_AE) {
            h[i] = 1;
            i += 2; /* the vowel and its consonant */
            if (i >= n)
                break;
            if (K(i) == MAITAIKHU)
                i += 2;
            else if (th_upvowel(K(i))) {
                i++;
                if (i < n && th_tone(K(i)))
                    i++;
                i++;
            } else if (i + 2 < n && ((K(i + 1) == SARA_AA && K(i + 2) == SARA_A) ||
                                     (K(i) != KO_KAI && K(i + 1) == MAITAIKHU && K(i + 2) != O_ANG && K(i + 2) != WO_WAEN)))
                i += 3;
        } else if (th_ldvowel(c)) {
            h[i] = 1;
            i += 2;
        } else if (c == RU || c == LU)
            h[i++] = 1;
        else
            i++;
    }
#undef K
}

/* What libthai's walks from the start of a unit s (n bytes) meet: the
 * words ending where a walk can stop, and the word that keeps the walk
 * going to the unit's end or says "more than one" at its last stop. */
typedef struct {
    uint32_t stop[THAI_WORD_MAX];
    size_t nstops;
    uint32_t lo, hi; /* the witness's range: the words beginning with the text up to the end or the last stop */
    int witness;     /* 1: one of [lo, hi) must be in (the walk reaches the end); 2: two (the last stop) */
} walk;

/* Word i's letter at byte m as its last two UTF-8 bytes (every letter's
 * first is 0xE0), for a word known to begin with the m bytes before; -1
 * when the word ends there. */
static inline int32_t letter_code(const thai_sublist *L, uint32_t i, size_t m)
{
    if (L->off[i + 1] - L->off[i] < m + 3)
        return -1;
    const unsigned char *w = (const unsigned char *)L->bytes + L->off[i] + m;
    return (int32_t)(w[1] << 8 | w[2]);
}

/* Narrows [*lo, *hi), the words beginning with a prefix of m bytes, to
 * those going on with the letter c (its last two UTF-8 bytes): the first by
 * binary search, the end by galloping from it (few words go on alike). */
static void narrow(const thai_sublist *L, size_t m, int32_t c, uint32_t *lo, uint32_t *hi)
{
    uint32_t a = *lo, b = *hi;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (letter_code(L, mid, m) < c)
            a = mid + 1;
        else
            b = mid;
    }
    if (a == *hi || letter_code(L, a, m) != c) {
        *lo = *hi = a;
        return;
    }
    uint32_t e = a + 1, top = *hi; /* the end is in [e, top] */
    for (uint32_t step = 1;; step *= 2) {
        uint32_t probe = top - a > step ? a + step : top;
        if (probe == top || letter_code(L, probe, m) != c) {
            top = probe;
            break;
        }
        e = probe + 1;
    }
    while (e < top) {
        uint32_t mid = e + (top - e) / 2;
        if (letter_code(L, mid, m) == c)
            e = mid + 1;
        else
            top = mid;
    }
    *lo = a, *hi = e;
}

static void walk_from(const thai_sublist *L, const char *s, size_t n, const unsigned char *hint, walk *w)
{
    w->nstops = 0, w->witness = 0;
    unsigned k = letter(s);
    uint32_t lo = k ? L->pairs[k * THAI_LETTERS] : 0, hi = k ? L->pairs[(k + 1) * THAI_LETTERS] : 0;
    size_t m = 3, deepest = 0;
    uint32_t stop_hi = 0; /* the end of the last stop's range */
    if (lo >= hi)
        return;
    for (;;) { /* [lo, hi): the words beginning with s[0..m); lo is s[0..m) when it is a word */
        if (wlen(L, lo) == m && (m == n || hint[m / 3]) && w->nstops < THAI_WORD_MAX) {
            w->stop[w->nstops++] = lo;
            deepest = m, stop_hi = hi;
        }
        if (m + 3 > n)
            break;
        const unsigned char *c = (const unsigned char *)s + m;
        uint32_t a = lo, b = hi;
        if (m == 3) { /* the second letter: from the table */
            unsigned j = letter(s + 3);
            a = j ? L->pairs[k * THAI_LETTERS + j] : 0, b = j ? L->pairs[k * THAI_LETTERS + j + 1] : 0;
        } else
            narrow(L, m, (int32_t)(c[1] << 8 | c[2]), &a, &b);
        if (a >= b)
            break;
        lo = a, hi = b, m += 3;
    }
    if (m == n && deepest != n) { /* the walk reaches the end in a word longer than the unit */
        w->lo = lo, w->hi = hi, w->witness = 1;
    } else if (deepest && deepest < n) { /* the last stop: "single" must come out the same */
        uint32_t at = w->stop[w->nstops - 1];
        if (at + 1 < stop_hi)
            w->lo = at, w->hi = stop_hi, w->witness = 2;
    }
}

/* Whether the letter U+0E00 + k (0: none) is of libthai's Thai class (ฯ,
 * ๆ, ฿ and unassigned code points are not: a new chunk starts after them):
 * walks go on only in chunks, so units are cut there. */
static int chunk_letter(unsigned k) { return k && k != 0x2F && k != 0x46 && !(k >= 0x3B && k <= 0x3F); }

/* Calls f on each unit of the run s (n bytes of letters) and each start in
 * it (its first letter and each hint), with the hints from there, until f
 * returns nonzero; -1 when out of memory. */
static int each_start(thai_sublist *L, const char *s, size_t n,
                      int (*f)(thai_sublist *, const char *, size_t, const unsigned char *))
{
    size_t letters = n / 3; /* the run's letters (U+0E00 + k), then a unit's hints */
    if (util_grow((void **)&L->hints, &L->hints_cap, 2 * letters, 1))
        return -1;
    unsigned char *k = L->hints + letters, *h = L->hints;
    for (size_t i = 0; i < letters; i++)
        k[i] = (unsigned char)letter(s + 3 * i);
    for (size_t a = 0; a < letters;) {
        while (a < letters && !chunk_letter(k[a]))
            a++;
        size_t e = a;
        while (e < letters && chunk_letter(k[e]))
            e++;
        unit_hints(k + a, e - a, h);
        for (size_t i = a; i < e; i++) {
            if (i > a && !h[i - a])
                continue;
            int rc = f(L, s + 3 * i, 3 * (e - i), h + (i - a));
            if (rc)
                return rc;
        }
        a = e;
    }
    return 0;
}

static int want_start(thai_sublist *L, const char *s, size_t n, const unsigned char *hint)
{
    walk w;
    walk_from(L, s, n, hint, &w);
    int rc = 0;
    for (size_t i = 0; i < w.nstops; i++)
        rc |= want_word(L, w.stop[i]);
    if (w.witness)
        rc |= want_word(L, w.lo + (w.witness == 2)); /* the word after the stop's own */
    return rc;
}

int thai_sublist_want(thai_sublist *L, const char *s, size_t n) { return each_start(L, s, n, want_start) ? -1 : 0; }

/* 1 when a start is not covered by the words wanted so far. */
static int uncovered_start(thai_sublist *L, const char *s, size_t n, const unsigned char *hint)
{
    walk w;
    walk_from(L, s, n, hint, &w);
    for (size_t i = 0; i < w.nstops; i++)
        if (!(L->mark[w.stop[i]] & WANTED))
            return 1;
    if (!w.witness)
        return 0;
    return L->rank[w.hi] - L->rank[w.lo] < (uint32_t)w.witness;
}

int thai_sublist_covers(thai_sublist *L, const char *s, size_t n)
{
    if (!L->rank && !(L->rank = malloc(((size_t)L->n + 1) * sizeof *L->rank)))
        return 0; /* out of memory: the run's words are wanted instead */
    if (L->rank_stale) {
        L->rank[0] = 0;
        for (uint32_t i = 0; i < L->n; i++)
            L->rank[i + 1] = L->rank[i] + (L->mark[i] & WANTED);
        L->rank_stale = 0;
    }
    return !each_start(L, s, n, uncovered_start);
}

int thai_sublist_dirty(const thai_sublist *L) { return L->npending > 0; }

/* The part as the file libdatrie's trie_serialize writes (0.2.x: an
 * alphabet, a double array, tails; big-endian), laid out here from the
 * sorted words in one pass: libdatrie has no bulk build, and its trie_store
 * moves a node each time a child does not fit (4 M instructions for 700
 * words, as much as libthai's breaking itself). The trie is the one
 * trie_store would make, node for node, but for where the nodes sit: a
 * prefix of two words or more is a node of the array; below it, a prefix of
 * one word is a "separate" node whose tail holds the rest of the word (what
 * trie_state_is_single tells libthai); a word's end is the terminator
 * (symbol 0). Symbols are the letters' code points less U+0E00 (the
 * alphabet's one range U+0E01..U+0E5B, as thbrk.tri's). */
enum { DA_POOL_BEGIN = 3, DA_ROOT = 2 };

typedef struct {
    int32_t *base, *check; /* check 0: a free cell (no node is at index 0) */
    uint64_t *used;        /* a bit a cell: taken (to skip them 64 at a time) */
    size_t n, cap;         /* cells in use */
    unsigned char *tails;  /* the tails as serialized, one after another */
    size_t tbytes, tcap;
    int32_t ntails;
    const thai_sublist *L;
    const uint32_t *ids;   /* the words, in byte order */
} da_build;

/* Word ids[k]'s symbol at letter d: its letter, or 0 past its end. */
static unsigned symbol_at(const da_build *B, size_t k, size_t d)
{
    uint32_t i = B->ids[k];
    return 3 * d < wlen(B->L, i) ? letter(word(B->L, i) + 3 * d) : 0;
}

static int da_grow(da_build *B, size_t n);

static inline int da_room(da_build *B, size_t n) { return n <= B->cap ? 0 : da_grow(B, n); }

static int da_grow(da_build *B, size_t n)
{
    size_t cap = B->cap, old = B->cap;
    while (cap < n)
        cap = cap ? 2 * cap : 1024;
    int32_t *b = realloc(B->base, cap * sizeof *b);
    if (b)
        B->base = b;
    int32_t *c = b ? realloc(B->check, cap * sizeof *c) : NULL;
    if (!c)
        return -1;
    B->check = c;
    uint64_t *u = realloc(B->used, cap / 64 * sizeof *u);
    if (!u)
        return -1;
    B->used = u, B->cap = cap;
    memset(B->used + old / 64, 0, (cap - old) / 64 * sizeof *u);
    memset(B->base + old, 0, (cap - old) * sizeof *b);
    memset(B->check + old, 0, (cap - old) * sizeof *c);
    return 0;
}

/* The first free cell from t on. */
static size_t next_free(const da_build *B, size_t t)
{
    for (size_t k = t / 64; k < B->cap / 64; k++) {
        uint64_t w = ~B->used[k] & (k == t / 64 ? ~(uint64_t)0 << t % 64 : ~(uint64_t)0);
        if (w)
            return 64 * k + (size_t)__builtin_ctzll(w);
    }
    return t > B->cap ? t : B->cap;
}

static void put32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    p[0] = (unsigned char)(u >> 24), p[1] = (unsigned char)(u >> 16), p[2] = (unsigned char)(u >> 8), p[3] = (unsigned char)u;
}

/* A tail block for the rest of word ids[k] from letter d; its number. */
static int32_t add_tail(da_build *B, size_t k, size_t d)
{
    uint32_t i = B->ids[k];
    size_t n = wlen(B->L, i) / 3, len = n > d ? n - d : 0;
    if (util_grow((void **)&B->tails, &B->tcap, B->tbytes + 10 + len, 1))
        return -1;
    unsigned char *p = B->tails + B->tbytes;
    put32(p, -1); /* next free: none (a block in use) */
    put32(p + 4, 1); /* the data trie_store(..., 1) gives */
    p[8] = (unsigned char)(len >> 8), p[9] = (unsigned char)len;
    for (size_t j = 0; j < len; j++)
        p[10 + j] = (unsigned char)letter(word(B->L, i) + 3 * (d + j));
    B->tbytes += 10 + len;
    return ++B->ntails; /* blocks are numbered from 1 */
}

/* Lays out node s, the prefix of length d of the words [lo, hi) (two or
 * more): its children at the first base where all of them fit, then each
 * child. 0, or -1 when out of memory. */
static int da_node(da_build *B, int32_t s, size_t lo, size_t hi, size_t d)
{
    unsigned sym[THAI_LETTERS];
    size_t from[THAI_LETTERS + 1], ns = 0;
    for (size_t k = lo; k < hi;) { /* the words are sorted: each symbol's are together */
        unsigned c = symbol_at(B, k, d);
        sym[ns] = c, from[ns++] = k;
        while (k < hi && symbol_at(B, k, d) == c)
            k++;
    }
    from[ns] = hi;
    size_t base;
    for (size_t t = sym[0] + DA_POOL_BEGIN;; t++) {
        t = next_free(B, t); /* the first child's cell */
        base = t - sym[0];
        if (da_room(B, base + sym[ns - 1] + 1) != 0)
            return -1;
        size_t j = 1;
        while (j < ns && !B->check[base + sym[j]])
            j++;
        if (j == ns)
            break;
    }
    B->base[s] = (int32_t)base;
    for (size_t j = 0; j < ns; j++) {
        size_t t = base + sym[j];
        B->check[t] = s;
        B->used[t / 64] |= (uint64_t)1 << t % 64;
        if (t + 1 > B->n)
            B->n = t + 1;
    }
    for (size_t j = 0; j < ns; j++) {
        int32_t t = (int32_t)(base + sym[j]);
        if (from[j + 1] - from[j] > 1) {
            if (da_node(B, t, from[j], from[j + 1], d + 1) != 0)
                return -1;
        } else { /* one word: a separate node, the rest in a tail (none after the terminator) */
            int32_t tail = add_tail(B, from[j], d + 1);
            if (tail < 0)
                return -1;
            B->base[t] = -tail;
        }
    }
    return 0;
}

/* The file of the words wanted (*size bytes), or NULL. */
static unsigned char *serialize_part(thai_sublist *L, size_t *size)
{
    uint32_t *ids = malloc(((size_t)L->nwanted + 1) * sizeof *ids);
    da_build B = {0};
    B.L = L, B.ids = ids;
    size_t m = 0;
    for (uint32_t i = 0; ids && i < L->n; i++)
        if (L->mark[i] & WANTED)
            ids[m++] = i;
    unsigned char *out = NULL;
    int ok = ids && m && da_room(&B, DA_POOL_BEGIN) == 0;
    if (ok) {
        B.n = DA_POOL_BEGIN;
        B.used[0] = 7; /* the header, the free list's head, the root */
        B.check[0] = B.check[1] = 1;
        ok = da_node(&B, DA_ROOT, 0, m, 0) == 0;
    }
    if (ok) {
        /* the unused cells in libdatrie's free list (a ring through cell 1,
         * linked by negative indexes), so that the array is what it reads */
        int32_t first = 0, prev = 1;
        for (size_t i = DA_POOL_BEGIN; i < B.n; i++)
            if (!B.check[i] && (size_t)i != DA_ROOT) {
                if (!first)
                    first = (int32_t)i;
                B.base[i] = -prev, B.check[prev] = -(int32_t)i;
                prev = (int32_t)i;
            }
        B.check[prev] = -1, B.base[1] = -prev;
        if (!first)
            B.check[1] = -1;
        B.check[DA_ROOT] = 0;
        B.base[0] = (int32_t)0xDAFCDAFCu, B.check[0] = (int32_t)B.n;
        *size = 16 + 8 * B.n + 12 + B.tbytes;
        out = malloc(*size);
    }
    if (out) {
        unsigned char *p = out;
        put32(p, (int32_t)0xD9FCD9FCu), put32(p + 4, 1), put32(p + 8, 0x0E01), put32(p + 12, 0x0E5B);
        p += 16;
        for (size_t i = 0; i < B.n; i++, p += 8)
            put32(p, B.base[i]), put32(p + 4, B.check[i]);
        put32(p, (int32_t)0xDFFCDFFCu), put32(p + 4, 0), put32(p + 8, B.ntails);
        memcpy(p + 12, B.tails, B.tbytes);
    }
    free(ids), free(B.base), free(B.check), free(B.used), free(B.tails);
    return out;
}

ThBrk *thai_sublist_brk(thai_sublist *L)
{
    size_t size = 0;
    unsigned char *buf = serialize_part(L, &size);
    int fd = buf ? memfd_create("khet-thbrk", MFD_CLOEXEC) : -1;
    ThBrk *b = NULL;
    L->npending = 0;
    if (fd >= 0) {
        size_t done = 0;
        ssize_t w = 0;
        while (done < size && (w = write(fd, buf + done, size - done)) > 0)
            done += (size_t)w;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (done == size)
            b = th_brk_new(path);
        close(fd);
    }
    free(buf);
    return b;
}
