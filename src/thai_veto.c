/* thai_veto: libthai's second opinion on ICU's line breaks. ICU's
 * dictionary splits lexicalised compounds (แลก|เปลี่ยน) and unknown words
 * (การบู|รณาการ) that libthai keeps whole; a break between two Thai letters
 * where libthai sees no word boundary is only taken when a piece cannot fit
 * otherwise (thai_word_breaks). Owns libthai's breaker, opened on the first
 * Thai text that needs it, and the memo of its answers by Thai run. */
#include "thai_int.h"

#include <thai/thwbrk.h>
#include <wchar.h>

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct lt_entry {
    size_t len;    /* 0 = a free slot */
    uint64_t hash;
    char *text;    /* the run, then its len + 1 boundary flags */
};

enum { LT_MEMO_SLOTS = 4096, LT_MEMO_BYTES = 4 << 20 };

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

ThBrk *thai_veto_open(thai_veto *v)
{
    if (!v->lt && !v->lt_failed && !(v->lt = th_brk_new(NULL)))
        v->lt_failed = 1;
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
    int found = th_brk_wc_find_breaks(lt, w, pos, n + 1);
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
    ThBrk *lt = thai_veto_open(v);
    if (!lt)
        return NULL;
    thai_veto_memo *m = &v->memo;
    if (m->used >= LT_MEMO_SLOTS / 2 || m->bytes > LT_MEMO_BYTES)
        memo_clear(m);
    if (!m->slot) {
        if (!(m->slot = calloc(LT_MEMO_SLOTS, sizeof *m->slot))) {
            *oom = 1;
            return NULL;
        }
        m->nslots = LT_MEMO_SLOTS;
    }
    uint64_t h = util_hash_bytes(s, n);
    struct lt_entry *e = memo_slot(m, s, n, h);
    if (e->len)
        return (unsigned char *)e->text + n;
    char *t = malloc(2 * n + 1);
    if (!t || libthai_run(lt, s, n, (unsigned char *)t + n) < 0) {
        free(t);
        *oom = 1;
        return NULL;
    }
    memcpy(t, s, n);
    *e = (struct lt_entry){n, h, t};
    m->used++;
    m->bytes += 2 * n + 1;
    return (unsigned char *)t + n;
}

unsigned char *thai_veto_bounds(thai_veto *v, const char *s, size_t len, int *oom)
{
    *oom = 0;
    ThBrk *lt = v ? thai_veto_open(v) : NULL;
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
        size_t a = off - 3, e = off + 3;
        while (a >= 3 && thai_letter_at(s + a - 3))
            a -= 3;
        while (e + 3 <= len && thai_letter_at(s + e))
            e += 3;
        run->start = a, run->end = e;
        run->bounds = veto_run(v, s + a, e - a, oom);
    }
    return run->bounds && !run->bounds[off - run->start];
}
