/* thai: line-break opportunities of Thai (and mixed) text: ICU's
 * dictionary breaker, libthai's veto on it (thai_veto.c), the word lists a
 * region edits (compounds kept whole, units kept with their number), the
 * typographic rules of Thai, and the grapheme-cluster and word fallbacks
 * for a piece wider than its box. Formats are in thai_format.c. */
#include "thai.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "thai_int.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Breaking                                                            */

/* UTF-16 copy of a UTF-8 string with a map from UTF-16 index to byte offset. */
static UChar *to_utf16(const char *s, size_t len, int32_t *n16, size_t **map)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *u = malloc((len + 1) * sizeof *u);
    *map = malloc((len + 2) * sizeof **map);
    if (!u || !*map)
        goto fail;
    u_strFromUTF8(u, (int32_t)len + 1, n16, s, (int32_t)len, &st);
    if (U_FAILURE(st))
        goto fail;
    size_t i = 0;
    int32_t k = 0;
    while (i < len) {
        size_t start = i;
        uint32_t c = util_utf8_next(s, len, &i);
        (*map)[k++] = start;
        if (c >= 0x10000)
            (*map)[k++] = start;
    }
    (*map)[k] = len;
    return u;
fail:
    free(u);
    free(*map);
    *map = NULL;
    return NULL;
}

static int is_leading_vowel(uint32_t c) { return c >= 0x0E40 && c <= 0x0E44; }
static int is_mark(uint32_t c) { return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E); }

/* The code point ending just before byte offset `off`. */
static uint32_t cp_before(const char *s, size_t off)
{
    size_t i = off;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0)
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return util_utf8_next(s, off, &i);
}

/* Whether the text at `off` starts with a digit (ASCII or Thai). */
static int k_is_number(const char *s, size_t off, size_t len)
{
    size_t j = off;
    uint32_t c = util_utf8_next(s, len, &j);
    return (c >= '0' && c <= '9') || (c >= 0x0E50 && c <= 0x0E59);
}

/* A number stays with the Thai word it counts or names: "ลำดับที่ 1",
 * "ร้อยละ 76.94", "ปีงบประมาณ 2563", "ก.ย. 63". */
static int number_after_word(const char *s, size_t off, size_t len)
{
    if (!(k_is_number(s, off, len) && off > 0 && s[off - 1] == ' '))
        return 0;
    size_t b = off;
    while (b > 0 && s[b - 1] == ' ')
        b--;
    uint32_t w = b > 0 ? cp_before(s, b) : 0;
    if (w >= 0x0E01 && w <= 0x0E5B && !(w >= 0x0E50 && w <= 0x0E59)) /* (a Thai digit is a number, as "3" is) */
        return 1;
    /* after an abbreviation: "ก.ย. 63", "พ.ศ. 2563" */
    return w == '.' && b > 1 && cp_before(s, b - 1) >= 0x0E01 && cp_before(s, b - 1) <= 0x0E4E;
}

/* Typographic rules on top of ICU: no line ends with a leading vowel, no line
 * starts with a combining mark, ๆ and ฯ stay with their word. */
static int allowed_break(const char *s, size_t off, size_t len)
{
    if (off == 0 || off >= len)
        return off >= len;
    size_t j = off;
    uint32_t after = util_utf8_next(s, len, &j), before = cp_before(s, off);
    if (is_leading_vowel(before) || is_mark(after))
        return 0;
    if (after == 0x0E46 || after == 0x0E2F)
        return 0;
    /* A dash standing alone ("... (MIS) - ระบบ") introduces what follows:
     * never leave it at a line end (poppler would also take it for a
     * hyphenation and drop it when extracting the text). */
    size_t k = off;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    if (k > 0 && s[k - 1] == '-' && (k == 1 || s[k - 2] == ' '))
        return 0;
    /* A spaced en dash between two figures or dates ("ต.ค. ๒๕๖๒ – ก.ย. ๒๕๖๓") joins them as a
     * hyphen does: no line ends with it, none starts with it. */
    if (k >= 3 && k < off && !memcmp(s + k - 3, "\xE2\x80\x93", 3) && (k == 3 || s[k - 4] == ' '))
        return 0;
    if (off >= 1 && s[off - 1] == ' ' && off + 3 <= len && !memcmp(s + off, "\xE2\x80\x93", 3) &&
        (off + 3 == len || s[off + 3] == ' '))
        return 0;
    /* An operator goes with what it applies to ("≥ 3 ตัว", "IPD ÷ ผลรวม
     * AdjRW"): no line ends with one, and none starts with one ("(z / > 1.00)"
     * left a formula's first operand alone at a line end). */
    static const uint32_t ops[] = {0x2265, 0x2264, 0x00B1, 0x00D7, 0x00F7, 0x2260, '=', '<', '>'};
    uint32_t last = k > 0 ? cp_before(s, k) : 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if ((last == ops[i] || after == ops[i]) && k < off)
            return 0;
    /* A short figure in brackets after a word is the word's own label, a
     * hospital's risk level in the handout's crisis line ("รพ.กันตัง (๖)",
     * "รพ.จะนะ (7 ใหม่)", "(7 เป็น 5)"): no line starts with it ("รพ.กันตัง
     * / (๖)" read as a level of nothing). One or two digits, then ")" or a
     * space; a figure of three or more ("(100.00)") is a value of its own. */
    if (k < off && k > 0 && s[k - 1] != ' ' && s[off] == '(') {
        size_t q = off + 1, nd = 0;
        while (q < len && nd < 3) {
            size_t q0 = q;
            uint32_t d = util_utf8_next(s, len, &q);
            if (!((d >= '0' && d <= '9') || (d >= 0x0E50 && d <= 0x0E59))) {
                q = q0;
                break;
            }
            nd++;
        }
        if (nd >= 1 && nd <= 2 && q < len && (s[q] == ')' || s[q] == ' '))
            return 0;
    }
    /* A range joined by a hyphen or a dash ("มีย.-กย.63", "ระดับ 4–7")
     * stays on one line: poppler takes a hyphen at a line end for a
     * hyphenation and drops it ("มีย.กย.63"), and "4– | 7" reads badly. */
    uint32_t dash = cp_before(s, off);
    if ((dash == '-' || dash == 0x2013) && off < len && s[off] != ' ' && k == off) {
        size_t before = off - (dash == '-' ? 1 : 3);
        if (before > 0 && s[before - 1] != ' ')
            return 0;
    }
    return 1;
}

/* The words a region's typists keep whole: compounds ICU's dictionary splits
 * (โรง|พยาบาล) and the units and classifiers that never leave the number
 * before them ("77 แห่ง", "16.00 น."). They come from word lists in
 * templates/ (see cli.c); the engine holds no list of its own.
 * What the breakers of a batch's documents share through their word lists
 * (one thai_words for a whole render): libthai's dictionary, loaded once,
 * not once a document, and the compounds sorted for the lookup of
 * compound_interiors. A cache: the lists stay const. */
typedef struct {
    thai_veto veto;
    struct compound {
        const char *w;
        size_t len, index;
        size_t parent; /* the longest compound before it that begins it, or NONE */
    } *by_text;      /* the compounds in byte order */
    size_t nsorted;  /* how many compounds by_text was made from */
    size_t nunique;  /* how many it holds: an equal compound kept once (it is kept whole alike) */
    size_t *free_from; /* per compound of by_text: where it may occur again in the text broken now */
    unsigned char starts[0x0E80 / 8]; /* a compound starts with code point c (c < U+0E80; above: maybe) */
} words_cache;

enum { NONE = (size_t)-1 };

struct thai_words {
    char **w[2];
    size_t n[2], cap[2];
    words_cache *cache;
    char *index_path; /* libthai's dictionary as a word index (thai_words_use_index) */
};

thai_words *thai_words_new(void)
{
    thai_words *tw = calloc(1, sizeof(thai_words));
    if (tw && !(tw->cache = calloc(1, sizeof *tw->cache))) {
        free(tw);
        tw = NULL;
    }
    return tw;
}

void thai_words_free(thai_words *tw)
{
    if (!tw)
        return;
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < tw->n[k]; i++)
            free(tw->w[k][i]);
        free(tw->w[k]);
    }
    thai_veto_free(&tw->cache->veto);
    free(tw->index_path);
    free(tw->cache->by_text);
    free(tw->cache->free_from);
    free(tw->cache);
    free(tw);
}

int thai_words_add(thai_words *tw, thai_word_kind kind, const char *word)
{
    int k = kind == THAI_WORD_UNIT;
    if (!word || !word[0])
        return 0;
    if (tw->n[k] == tw->cap[k]) {
        size_t cap = tw->cap[k] ? 2 * tw->cap[k] : 32;
        char **v = realloc(tw->w[k], cap * sizeof *v);
        if (!v)
            return -1;
        tw->w[k] = v;
        tw->cap[k] = cap;
    }
    if (!(tw->w[k][tw->n[k]] = util_strdup(word)))
        return -1;
    tw->n[k]++;
    return 0;
}

size_t thai_words_count(const thai_words *tw, thai_word_kind kind)
{
    return tw ? tw->n[kind == THAI_WORD_UNIT] : 0;
}

/* KHET_NO_LIBTHAI: no veto (make bench measures its cost against none). */
static int veto_off(void) { return getenv("KHET_NO_LIBTHAI") != NULL; }

void thai_words_open_veto(const thai_words *tw)
{
    if (tw && !veto_off())
        thai_veto_open_whole(&tw->cache->veto);
}

int thai_words_use_index(thai_words *tw, const char *path)
{
    char *p = path ? util_strdup(path) : NULL;
    if (path && !p)
        return -1;
    free(tw->index_path);
    tw->index_path = p;
    tw->cache->veto.list_path = p;
    return 0;
}

int thai_words_dictionary(const thai_words *tw)
{
    const thai_veto *v = &tw->cache->veto;
    return v->lt_failed ? -1 : !v->lt ? 0 : v->whole ? 2 : 1;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(((const struct compound *)a)->w, ((const struct compound *)b)->w);
}

/* Whether compound a begins b (or is it). */
static int begins(const struct compound *a, const struct compound *b)
{
    return a->len <= b->len && !memcmp(a->w, b->w, a->len);
}

/* The compounds in byte order (made again when words were added), each
 * with the longest one before it that begins it; NULL when out of memory. */
static const struct compound *sorted_compounds(const thai_words *tw)
{
    words_cache *c = tw->cache;
    if (c->by_text && c->nsorted == tw->n[0])
        return c->by_text;
    struct compound *v = malloc((tw->n[0] + 1) * sizeof *v);
    size_t *from = calloc(tw->n[0] + 1, sizeof *from), n = 0;
    if (!v || !from) {
        free(v), free(from);
        return NULL;
    }
    for (size_t i = 0; i < tw->n[0]; i++)
        v[i] = (struct compound){tw->w[0][i], strlen(tw->w[0][i]), 0, NONE};
    qsort(v, tw->n[0], sizeof *v, by_bytes);
    for (size_t i = 0; i < tw->n[0]; i++) /* equal ones once (a region's names repeat) */
        if (!n || strcmp(v[n - 1].w, v[i].w))
            v[n++] = v[i];
    memset(c->starts, 0, sizeof c->starts);
    for (size_t i = 0; i < n; i++) {
        v[i].index = i;
        size_t p = i ? i - 1 : NONE, at = 0;
        while (p != NONE && !begins(&v[p], &v[i])) /* those that begin it are on the chain before it */
            p = v[p].parent;
        v[i].parent = p;
        uint32_t cp = util_utf8_next(v[i].w, v[i].len, &at);
        if (cp < 0x0E80)
            c->starts[cp / 8] |= (unsigned char)(1u << cp % 8);
    }
    free(c->by_text);
    free(c->free_from);
    c->by_text = v;
    c->free_from = from;
    c->nsorted = tw->n[0];
    c->nunique = n;
    return v;
}

/* The compounds that begin the text s[i..len): the last of them in byte
 * order (follow .parent for the others, each shorter), or NONE. One binary
 * search: the last compound not after the text begins with every compound
 * that begins the text, so they are on its chain. */
static size_t compounds_at(const thai_words *tw, const struct compound *v, const char *s, size_t i, size_t len)
{
    size_t at = i, n = tw->cache->nunique, lo = 0, hi = n;
    uint32_t cp = util_utf8_next(s, len, &at);
    if (cp < 0x0E80 && !(tw->cache->starts[cp / 8] & (1u << cp % 8)))
        return NONE; /* no compound starts with this character */
    const char *x = s + i;
    size_t xl = len - i;
    while (lo < hi) { /* the first compound after the text */
        size_t mid = lo + (hi - lo) / 2, m = v[mid].len;
        int c = memcmp(v[mid].w, x, m < xl ? m : xl);
        if (c < 0 || (c == 0 && m <= xl))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo ? lo - 1 : NONE;
    while (k != NONE && !(v[k].len <= xl && !memcmp(v[k].w, x, v[k].len)))
        k = v[k].parent;
    return k;
}

/* Marks the byte offsets strictly inside an occurrence of a compound, each
 * compound's occurrences from the left, not overlapping one another (as a
 * scan per compound finds them). One pass over the text: at each character
 * that starts a compound, one binary search finds those that begin the text
 * there, so a thousand names in the lists cost no more than a few. */
static unsigned char *compound_interiors(const char *s, size_t len, const thai_words *tw)
{
    unsigned char *in = calloc(len + 1, 1);
    if (!in || !tw || !tw->n[0])
        return in;
    const struct compound *v = sorted_compounds(tw);
    if (!v) {
        free(in);
        return NULL;
    }
    /* per compound, where it may occur again, plus 1 (0: not yet in this
     * text); the ones set are put back to 0 at the end */
    size_t *free_from = tw->cache->free_from, *set = NULL, nset = 0, cap = 0;
    int oom = 0;
    for (size_t i = 0; i < len && !oom;) {
        size_t next = i;
        util_utf8_next(s, len, &next);
        for (size_t k = compounds_at(tw, v, s, i, len); k != NONE && !oom; k = v[k].parent) {
            if (v[k].len < next - i || (free_from[k] && i + 1 < free_from[k]))
                continue; /* it ends inside this character, or overlaps its occurrence before */
            if (!free_from[k] && !(oom = util_grow((void **)&set, &cap, nset + 1, sizeof *set)))
                set[nset++] = k;
            memset(in + i + 1, 1, v[k].len - 1);
            free_from[k] = i + v[k].len + 1;
        }
        i = next;
    }
    for (size_t j = 0; j < nset; j++)
        free_from[set[j]] = 0;
    free(set);
    if (oom) { /* (a compound not remembered would be lost on the next text: all put back) */
        memset(free_from, 0, tw->cache->nunique * sizeof *free_from);
        free(in);
        return NULL;
    }
    return in;
}

static int is_digit_cp(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0x0E50 && c <= 0x0E59); }

/* Whether two NUL-terminated strings begin alike, up to 3 bytes (a Thai
 * letter): most units are told apart here, before their length is taken. */
static int same_start(const char *a, const char *b)
{
    return a[0] == b[0] && (!a[0] || (a[1] == b[1] && (!a[1] || a[2] == b[2])));
}

/* The longest compound on the chain from k (those that begin a text). */
static size_t longest_from(const struct compound *v, size_t k)
{
    size_t m = 0;
    for (; k != NONE; k = v[k].parent)
        if (v[k].len > m)
            m = v[k].len;
    return m;
}

/* ICU's line breaks of the text: is `at` one of them (a word ends there)? */
static int icu_break_at(const size_t *brk, size_t nbrk, size_t at)
{
    size_t lo = 0, hi = nbrk;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (brk[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nbrk && brk[lo] == at;
}

/* The unit `w` at `off` is a word of its own: a word ends after it (its
 * last dot, a blank, a digit, the text's end, or a break ICU finds there:
 * "3 ปี|ที่แล้ว", not "5 คนไข้" nor "10 ข้อมูล"), and no compound of
 * keep-together.txt that it begins runs further ("ปีงบประมาณ", "ตัวชี้วัด"
 * are words of their own, where ICU splits them). */
static int unit_is_word(const char *s, size_t off, size_t len, const char *w, const thai_words *tw, const size_t *brk,
                        size_t nbrk)
{
    size_t n = strlen(w), e = off + n;
    if (!(w[n - 1] == '.' || e + 3 > len || !thai_letter_at(s + e) || icu_break_at(brk, nbrk, e)))
        return 0;
    const struct compound *v = tw->n[0] ? sorted_compounds(tw) : NULL;
    size_t k = v ? compounds_at(tw, v, s, off, len) : NONE;
    return k == NONE || longest_from(v, k) <= n;
}

/* A unit or classifier starts at `off` as a word of its own and a number
 * ends just before it (blanks between): "77 แห่ง", "4,026,272.88 บาท",
 * "16.00 น."; brk: ICU's breaks of the text (where its words end). */
static int unit_after_number(const char *s, size_t off, size_t len, const thai_words *tw, const size_t *brk,
                             size_t nbrk)
{
    size_t b = off;
    while (b > 0 && s[b - 1] == ' ')
        b--;
    if (!tw || b == 0 || !is_digit_cp(cp_before(s, b)))
        return 0;
    for (size_t i = 0; i < tw->n[1]; i++)
        if (same_start(s + off, tw->w[1][i]) && !strncmp(s + off, tw->w[1][i], strlen(tw->w[1][i])) &&
            unit_is_word(s, off, len, tw->w[1][i], tw, brk, nbrk))
            return 1;
    return 0;
}

/* Where the word after the number at `off` starts: past its digits (ASCII
 * or Thai), its separators ("," "." and, in a time, ":") and the blanks
 * after it. 0 when no number followed by a blank stands there. */
static size_t word_after_number(const char *s, size_t off, size_t len, int time)
{
    size_t j = off;
    while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ',' || s[j] == '.' || (time && s[j] == ':') ||
                       ((unsigned char)s[j] == 0xE0 && j + 2 < len && (unsigned char)s[j + 1] == 0xB9 &&
                        (unsigned char)s[j + 2] >= 0x90 && (unsigned char)s[j + 2] <= 0x99)))
        j += (unsigned char)s[j] == 0xE0 ? 3 : 1;
    if (j == off || j >= len || s[j] != ' ')
        return 0;
    while (j < len && s[j] == ' ')
        j++;
    return j;
}

/* The number starting at `off` is followed by a unit ("2 ครั้ง"): it goes
 * with its unit, and the word before may end a line ("ปีละ | 2 ครั้ง"), so
 * that chains such as "12 จังหวัด 9 ข้อ" do not glue into one piece. */
static int unit_follows(const char *s, size_t off, size_t len, const thai_words *tw, const size_t *brk, size_t nbrk)
{
    size_t j = word_after_number(s, off, len, 0);
    return j && unit_after_number(s, j, len, tw, brk, nbrk);
}

/* An abbreviation keeps its dots: no break before a dot, nor between the
 * parts of "ก.ย." or "รพ.สต." (a Thai letter, a dot, a Thai letter). */
static int inside_abbreviation(const char *s, size_t off, size_t len)
{
    size_t j = off;
    uint32_t after = util_utf8_next(s, len, &j);
    if (after == '.')
        return 1;
    if (off < 2 || s[off - 1] != '.')
        return 0;
    uint32_t before_dot = cp_before(s, off - 1);
    return before_dot >= 0x0E01 && before_dot <= 0x0E4E && after >= 0x0E01 && after <= 0x0E4E;
}

/* Whether the break at byte `off` is mandatory: the character before it ends
 * a line (LF, VT, FF, CR, NEL, LS, PS). ICU's rule status cannot tell us:
 * for a dictionary break inside Thai it reports the status of the next rule
 * break, so every word before a newline would come back "hard". */
static int mandatory_break_before(const char *s, size_t off)
{
    if (off == 0)
        return 0;
    uint32_t c = cp_before(s, off);
    return (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* A text opened for one of ICU's break iterators, with the map from its
 * UTF-16 offsets back to UTF-8 bytes. */
typedef struct {
    UChar *u;
    size_t *map;
    int32_t n16;
    UBreakIterator *bi;
    int own; /* the iterator was opened for this text */
} icu_text;

struct thai_breaker {
    UBreakIterator *line; /* opening one costs more than breaking a cell's text */
    const thai_words *words;
    thai_veto own;        /* libthai's, opened on first Thai text, when there are no word lists */
    int no_veto;          /* KHET_NO_LIBTHAI: make bench measures the veto's cost against none */
};

void thai_breaker_use_words(thai_breaker *b, const thai_words *w)
{
    if (b)
        b->words = w;
}

thai_breaker *thai_breaker_new(void)
{
    thai_breaker *b = calloc(1, sizeof *b);
    UErrorCode st = U_ZERO_ERROR;
    if (b && !(b->line = ubrk_open(UBRK_LINE, "th", NULL, 0, &st))) {
        free(b);
        return NULL;
    }
    if (b)
        b->no_veto = veto_off();
    return b;
}

void thai_breaker_free(thai_breaker *b)
{
    if (!b)
        return;
    ubrk_close(b->line);
    thai_veto_free(&b->own);
    free(b);
}

/* Opens text for breaking: on the breaker's line iterator when one is given,
 * else on an iterator of its own. */
static int icu_open(icu_text *t, UBreakIteratorType type, thai_breaker *reuse, const char *s, size_t len)
{
    memset(t, 0, sizeof *t);
    if (!(t->u = to_utf16(s, len, &t->n16, &t->map)))
        return -1;
    UErrorCode st = U_ZERO_ERROR;
    if (reuse) {
        t->bi = reuse->line;
        ubrk_setText(t->bi, t->u, t->n16, &st);
    } else {
        t->bi = ubrk_open(type, "th", t->u, t->n16, &st);
        t->own = 1;
    }
    return U_SUCCESS(st) && t->bi ? 0 : -1;
}

static void icu_close(icu_text *t)
{
    if (t->bi && t->own)
        ubrk_close(t->bi);
    free(t->u);
    free(t->map);
}

/* The libthai state a breaker uses: the batch's (its word lists') when it
 * has word lists, else its own; NULL for no veto. */
static thai_veto *veto_of(thai_breaker *b)
{
    if (!b || b->no_veto)
        return NULL;
    return b->words ? &b->words->cache->veto : &b->own;
}

/* The units of a time or a period. A language's, not a region's: "เวลา
 * 16.00 น.", "ภายใน 3 เดือน", "ทุก 3 เดือน" keep the number with the word
 * before it, where "ปีละ | 2 ครั้ง" may break (so that chains such as "12
 * จังหวัด 9 ข้อ" do not glue into one piece). */
static const char *const time_units[] = {"น.", "นาฬิกา", "นาที", "ชั่วโมง", "วัน", "สัปดาห์", "เดือน", "ปี", "ไตรมาส",
                                         /* a date: "วันที่ 10 ตุลาคม 2563", "ณ 30 ก.ย. 63" */
                                         "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
                                         "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "ม.ค.", "ก.พ.", "มี.ค.",
                                         "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."};

/* The number at `off` is followed by a time or period unit as a word of
 * its own ("3 เดือน", not "2563 วันที่" nor "2 ปีละ"). */
static int time_follows(const char *s, size_t off, size_t len)
{
    size_t j = word_after_number(s, off, len, 1);
    if (!j)
        return 0;
    for (size_t k = 0; k < sizeof time_units / sizeof *time_units; k++) {
        size_t n = strlen(time_units[k]);
        if (n <= len - j && !memcmp(s + j, time_units[k], n) &&
            (time_units[k][n - 1] == '.' || j + n + 3 > len || !thai_letter_at(s + j + n)))
            return 1;
    }
    return 0;
}

int thai_breaks(const char *s, size_t **offsets, unsigned char **hard)
{
    thai_breaker *b = thai_breaker_new(); /* with libthai's veto, as a layout breaks */
    int n = b ? thai_breaks_with(b, s, offsets, hard) : -1;
    thai_breaker_free(b);
    return n;
}

/* The text's breaks but for libthai's veto: those it may take back (a
 * break between two Thai letters, ICU's and every other rule's) flagged in
 * *cand (in the allocation of *hard, after its flags). Count, or -1. */
static int breaks_of(thai_breaker *b, const char *s, size_t len, size_t **offsets, unsigned char **hard,
                     unsigned char **cand)
{
    icu_text it;
    int ok = icu_open(&it, UBRK_LINE, b, s, len) == 0;
    size_t *off = malloc(((size_t)it.n16 + 2) * sizeof *off);
    const thai_words *words = b ? b->words : NULL;
    /* the candidates after the hard flags, in one allocation (hd's) */
    unsigned char *hd = malloc(2 * ((size_t)it.n16 + 2)), *cd = hd ? hd + it.n16 + 2 : NULL;
    unsigned char *inside = compound_interiors(s, len, words);
    int veto = veto_of(b) != NULL, count = -1;
    if (ok && off && hd && cd && inside) {
        /* ICU's breaks first, all of them (a unit is a word where one ends
         * after it), then filtered in place: what is kept never overtakes
         * what is still to be read */
        size_t nbrk = 0;
        for (int32_t p = ubrk_next(it.bi); p != UBRK_DONE; p = ubrk_next(it.bi))
            off[nbrk++] = it.map[p];
        count = 0;
        for (size_t i = 0; i < nbrk; i++) {
            size_t b = off[i];
            int h = mandatory_break_before(s, b);
            if (b < len && !h &&
                (!allowed_break(s, b, len) || inside[b] || inside_abbreviation(s, b, len) ||
                 unit_after_number(s, b, len, words, off + i, nbrk - i) ||
                 (number_after_word(s, b, len) &&
                  (!unit_follows(s, b, len, words, off + i, nbrk - i) || time_follows(s, b, len)))))
                continue;
            cd[count] = veto && b < len && !h && b >= 3 && b + 3 <= len && thai_letter_at(s + b - 3) &&
                        thai_letter_at(s + b);
            off[count] = b;
            hd[count++] = (unsigned char)h;
        }
        if (!count || off[count - 1] != len) {
            cd[count] = 0;
            off[count] = len;
            hd[count++] = 0;
        }
    }
    icu_close(&it);
    free(inside);
    if (count < 0) {
        free(off), free(hd);
        return -1;
    }
    *offsets = off, *hard = hd, *cand = cd;
    return count;
}

/* Whether two Thai letters follow each other somewhere in s: else no break
 * of it is the veto's to take back. */
static int thai_pair_in(const char *s, size_t len)
{
    for (const char *p = s, *end = s + len; end - p >= 6 && (p = memchr(p, 0xE0, (size_t)(end - p) - 5)); p++)
        if (thai_letter_at(p) && thai_letter_at(p + 3))
            return 1;
    return 0;
}

int thai_breaker_prime(thai_breaker *b, const char *text)
{
    thai_veto *v = veto_of(b);
    if (!v || !text || !thai_veto_ahead(v))
        return 0;
    size_t len = strlen(text), *off;
    if (!thai_pair_in(text, len))
        return 0; /* nothing to tell: broken when the layout asks, as without the veto */
    unsigned char *hd, *cand;
    int told = thai_veto_told(v, text, len), n = told ? 0 : breaks_of(b, text, len, &off, &hd, &cand);
    if (told || n < 0)
        return told < 0 || n < 0 ? -1 : 0;
    thai_veto_view run = {0};
    for (int i = 0; i < n; i++)
        if (cand[i] && thai_veto_tell(v, text, off[i], len, &run) != 0) {
            free(off), free(hd);
            return -1;
        }
    return thai_veto_keep(v, len, off, hd, cand, n);
}

int thai_breaks_with(thai_breaker *b, const char *s, size_t **offsets, unsigned char **hard)
{
    size_t len = strlen(s), *off = NULL;
    unsigned char *hd = NULL, *cand = NULL;
    thai_veto *veto = veto_of(b);
    *offsets = NULL;
    if (hard)
        *hard = NULL;
    int n = veto ? thai_veto_take(veto, s, len, &off, &hd, &cand) : -2, count = 0, oom = 0;
    if (n == -2)
        n = breaks_of(b, s, len, &off, &hd, &cand);
    /* libthai's veto on the breaks flagged, asked now (its dictionary is
     * opened at the first, on what the texts told ahead reach) */
    thai_veto_view run = {0};
    for (int i = 0; i < n && !oom; i++)
        if (!cand[i] || !thai_vetoed(veto, s, off[i], len, &run, &oom)) {
            off[count] = off[i];
            hd[count++] = hd[i];
        }
    if (n < 0 || oom) {
        free(off), free(hd);
        return -1;
    }
    *offsets = off;
    if (hard)
        *hard = hd;
    else
        free(hd);
    return count;
}

int thai_clusters(const char *s, size_t len, size_t **offsets)
{
    icu_text it;
    *offsets = NULL;
    int ok = icu_open(&it, UBRK_CHARACTER, NULL, s, len) == 0;
    size_t *off = malloc(((size_t)it.n16 + 2) * sizeof *off);
    int count = -1;
    if (ok && off) {
        count = 0;
        for (int32_t p = ubrk_next(it.bi); p != UBRK_DONE; p = ubrk_next(it.bi)) {
            size_t b = it.map[p];
            /* a leading vowel belongs with the consonant after it, a
             * following vowel (ะ า ำ ๅ) with the consonant before it, and a
             * letter silenced by ์ with the syllable before it */
            size_t j = b, k;
            uint32_t after = b < len ? util_utf8_next(s, len, &j) : 0, next = 0;
            k = j;
            if (j < len)
                next = util_utf8_next(s, len, &k);
            /* nor after a hyphen joined to what follows ("มีย.-|กย.63"):
             * poppler takes a hyphen at a line end for a hyphenation and
             * drops it; cut before it instead, where it reads back */
            if (b < len && b > 0 && s[b - 1] == '-' && s[b] != ' ')
                continue;
            if (b < len && (is_leading_vowel(cp_before(s, b)) || after == 0x0E30 || after == 0x0E32 ||
                            after == 0x0E33 || after == 0x0E45 || next == 0x0E4C ||
                            (j < len && k < len && next >= 0x0E38 && next <= 0x0E39 && s[k] && util_utf8_next(s, len, &k) == 0x0E4C)))
                continue;
            off[count++] = b;
        }
        if (!count || off[count - 1] != len)
            off[count++] = len;
    }
    icu_close(&it);
    if (count < 0)
        free(off);
    else
        *offsets = off;
    return count;
}

int thai_word_breaks(thai_breaker *b, const char *s, size_t len, size_t **offsets)
{
    *offsets = NULL;
    char *t = util_strndup(s, len);
    int oom = 0;
    unsigned char *lt = t ? thai_veto_bounds(veto_of(b), t, len, &oom) : NULL;
    icu_text it;
    int ok = t && !oom && icu_open(&it, UBRK_LINE, b, t, len) == 0;
    size_t *off = ok ? calloc(len + 2, sizeof *off) : NULL;
    unsigned char *cand = ok ? calloc(len + 1, 1) : NULL;
    int count = -1;
    if (off && cand) {
        /* libthai's boundaries where it can judge (it keeps a word it does
         * not know whole, where ICU's dictionary guesses: นวมินทราธิ|ราช) */
        for (int32_t p = ubrk_next(it.bi); !lt && p != UBRK_DONE; p = ubrk_next(it.bi))
            cand[it.map[p]] = 1;
        for (size_t i = 0; lt && i <= len; i++)
            cand[i] = lt[i];
        count = 0;
        for (size_t i = 1; i < len; i++)
            if (cand[i] && allowed_break(t, i, len) && !inside_abbreviation(t, i, len))
                off[count++] = i;
        off[count++] = len;
    }
    if (ok)
        icu_close(&it);
    free(lt);
    free(cand);
    free(t);
    if (count < 0)
        free(off);
    else
        *offsets = off;
    return count;
}
