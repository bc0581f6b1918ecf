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

/* libthai's breaker and what it said: one per batch (the word lists'
 * cache) or, without word lists, one per breaker. Zeroed = not opened yet;
 * libthai is opened on the first Thai text that needs it. */
typedef struct {
    ThBrk *lt;
    int lt_failed; /* libthai cannot be used here: no veto */
    thai_veto_memo memo;
} thai_veto;

void thai_veto_free(thai_veto *v);
/* libthai's breaker, opened the first time; NULL when it cannot be (no
 * dictionary): then there is no veto, and it is not tried again. */
ThBrk *thai_veto_open(thai_veto *v);

/* The Thai run (letters and marks) looked at last, with libthai's
 * boundaries inside it: ICU's breaks come in order, so each run is looked
 * up once a text. Zero it before a text. */
typedef struct {
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
