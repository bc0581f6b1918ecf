/* thai_int: what the Thai engine's files share and nothing outside uses:
 * libthai's veto on ICU's line breaks (thai_veto.c) as the breaker
 * (thai.c) holds and asks it. */
#ifndef KHET_THAI_INT_H
#define KHET_THAI_INT_H

#include <stddef.h>
#include <stdint.h>

#include <thai/thbrk.h>

/* libthai's boundaries of the Thai runs seen so far, by the run's text: a
 * layout breaks each cell's text more than once (its widest word, then its
 * lines at the column's width), and reports repeat their phrases. An open
 * hash table; emptied when full, so memory stays bounded. */
typedef struct {
    struct lt_entry *slot;
    size_t nslots, used, bytes;
} thai_veto_memo;

/* libthai's dictionary as a sorted word index (thai_subset.c), to open
 * only the part of it a document's texts reach. */
typedef struct thai_sublist thai_sublist;
/* NULL when there is none, it is unsound, or it was not made from the
 * dictionary libthai opens: then the whole dictionary is opened. */
thai_sublist *thai_sublist_open(const char *path);
void thai_sublist_free(thai_sublist *L);
/* Wants the words libthai's walks over a run of Thai letters (n bytes,
 * U+0E01..U+0E4E only) need; 0, or -1 when out of memory. */
int thai_sublist_want(thai_sublist *L, const char *run, size_t n);
/* Whether the words wanted so far serve the run too (a piece of a run
 * told: a line of a justified paragraph). */
int thai_sublist_covers(thai_sublist *L, const char *run, size_t n);
/* Whether words were wanted since the last thai_sublist_brk. */
int thai_sublist_dirty(const thai_sublist *L);
/* libthai's breaker on the words wanted so far; NULL on failure. */
ThBrk *thai_sublist_brk(thai_sublist *L);

/* The index file src/tools/thbrk_words.c makes (native byte order): this
 * header; the words' offsets (n + 1); for each pair of letters k, j (j = 0:
 * k alone) at k * THAI_LETTERS + j, how many words sort before those
 * beginning with them (THAI_PAIRS, the last = n); the words, sorted. */
#define THAI_WORDS_MAGIC "khet-thbrk-idx2"
#define THAI_LETTERS 0x4F /* letters U+0E00 + 1..0x4E */
#define THAI_PAIRS (THAI_LETTERS * THAI_LETTERS + 1)
#define THAI_WORDS_BOM 0x01020304u
#define THAI_WORD_MAX 64 /* letters in a word (the dictionary's longest: 19) */
#ifndef THAI_THBRK_TRI
#define THAI_THBRK_TRI "/usr/share/libthai/thbrk.tri" /* what th_brk_new(NULL) opens on Debian */
#endif
typedef struct {
    char magic[16];
    uint32_t bom, usable; /* usable: every word is Thai letters and marks */
    int64_t tri_size, tri_mtime; /* the dictionary it was made from */
    uint32_t n, bytes;    /* words; bytes of them all */
} thai_words_header;

/* A set of 64-bit hashes (the texts a veto was told about). */
typedef struct {
    uint64_t *v;
    size_t n, used;
} thai_hashes;

/* libthai's breaker and what it said: one per batch (the word lists'
 * cache) or, without word lists, one per breaker. Zeroed = not opened yet;
 * libthai is opened on the first Thai text that needs it: on the part of
 * its dictionary the runs told (thai_veto_tell) and asked about reach
 * when there is a word index (list_path), else on the whole of it. */
typedef struct {
    ThBrk *lt;
    int lt_failed;         /* libthai cannot be used here: no veto */
    int whole;             /* lt has the whole dictionary */
    const char *list_path; /* thbrk.words (the word lists own it); NULL: the whole dictionary */
    thai_sublist *list;    /* opened at the first Thai text */
    int list_tried;
    thai_hashes texts;     /* the texts told */
    thai_veto_memo runs;   /* the runs told or asked about: their words are wanted */
    thai_veto_memo memo;
    struct thai_ahead *ahead; /* breaks worked out for the texts told, the veto's candidates flagged */
    size_t nahead, ahead_used;
    char **told;           /* copies of the texts told, for tell_all */
    size_t ntold, told_cap;
    uint64_t told_hash;    /* the hash of the text told last */
    char **blocks;         /* where the copies are (told_copy) */
    size_t nblocks, blocks_cap, block_left;
    char *block_at;
    int told_all;          /* every run of every text told has been told */
    size_t told_at_open;   /* ntold when the part was opened: texts told since are another document's */
} thai_veto;

void thai_veto_free(thai_veto *v);
/* The breaker on the whole dictionary, opened now (a batch of documents
 * reaches most of it); NULL when it cannot be: then there is no veto. */
ThBrk *thai_veto_open_whole(thai_veto *v);

struct thai_veto_view;
/* Whether texts are told ahead (a word index is in use and the whole
 * dictionary is not open): then thai_breaker_prime works their breaks out
 * ahead and tells the veto only the runs it will be asked about. */
int thai_veto_ahead(thai_veto *v);
/* Whether the text (len bytes) was told before; else remembers it (a copy).
 * 1, 0, or -1 when out of memory. */
int thai_veto_told(thai_veto *v, const char *s, size_t len);
/* Tells the veto the run of Thai letters around the break at `off` (run:
 * the run told last, so that each is told once). 0, or -1 out of memory. */
int thai_veto_tell(thai_veto *v, const char *s, size_t off, size_t len, struct thai_veto_view *run);
/* Keeps the breaks worked out ahead for the text told last (len bytes):
 * count offsets, hard flags and veto candidates (cand: inside hd's
 * allocation); taken over, freed on failure. 0, or -1. */
int thai_veto_keep(thai_veto *v, size_t len, size_t *off, unsigned char *hd, unsigned char *cand, int count);
/* The breaks kept for the text, handed over and forgotten; -2 when none. */
int thai_veto_take(thai_veto *v, const char *s, size_t len, size_t **off, unsigned char **hd, unsigned char **cand);

/* The Thai run (letters and marks) looked at last, with libthai's
 * boundaries inside it: ICU's breaks come in order, so each run is looked
 * up once a text. Zero it before a text. */
typedef struct thai_veto_view {
    size_t start, end;
    const unsigned char *bounds; /* end - start + 1 flags; NULL = no veto */
} thai_veto_view;

/* Whether libthai vetoes ICU's break at byte `off` of s (len bytes): a
 * break between two Thai letters where libthai sees no word boundary. 0
 * when v is NULL or libthai cannot be used; *oom set when out of memory. */
int thai_vetoed(thai_veto *v, const char *s, size_t off, size_t len, thai_veto_view *run, int *oom);

/* libthai's word boundaries in s (len bytes), as a map of byte offsets
 * (1 = a boundary), caller frees; NULL when libthai is not available (no
 * veto then) or out of memory (*oom set). */
unsigned char *thai_veto_bounds(thai_veto *v, const char *s, size_t len, int *oom);

/* Whether the 3 bytes at p are a Thai letter or mark, U+0E01..0E4E in UTF-8
 * (asked on every ICU break: no decoding). */
static inline int thai_letter_at(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return u[0] == 0xE0 && ((u[1] == 0xB8 && u[2] >= 0x81) || (u[1] == 0xB9 && u[2] <= 0x8E));
}

#endif
