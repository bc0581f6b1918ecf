/* thai: the Thai text engine. Pure functions, no pages.
 *
 * Owns: line-break opportunities (ICU's dictionary breaker plus Thai
 * typographic rules and a grapheme-cluster fallback: thai.c), libthai's
 * veto on ICU's breaks (thai_veto.c), and Thai formats: BE dates, numbers,
 * Thai digits, money in words (thai_format.c).
 */
#ifndef KHET_THAI_H
#define KHET_THAI_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

/* Break opportunities of a UTF-8 text: byte offsets where a line may end
 * (after the preceding character), ascending, always ending with strlen.
 * `hard` (may be NULL) gets 1 where the break is mandatory (a newline).
 * Returns the count, or -1 on failure. Caller frees *offsets and *hard. */
int thai_breaks(const char *utf8, size_t **offsets, unsigned char **hard);

/* Word lists a region edits (templates/keep-together.txt, templates/units.txt):
 * compounds kept on one line, and units / classifiers that stay with the
 * number before them. */
typedef enum { THAI_WORD_KEEP, THAI_WORD_UNIT } thai_word_kind;
typedef struct thai_words thai_words;
thai_words *thai_words_new(void);               /* NULL on out of memory */
int thai_words_add(thai_words *w, thai_word_kind kind, const char *word); /* 0 or -1 */
size_t thai_words_count(const thai_words *w, thai_word_kind kind);
void thai_words_free(thai_words *w);
/* Opens libthai's dictionary for the breakers using these lists now rather
 * than at their first Thai text: called before --jobs forks its workers,
 * so that they share one copy (copy-on-write) instead of each loading it.
 * Nothing when the veto is off (KHET_NO_LIBTHAI) or w is NULL. */
void thai_words_open_veto(const thai_words *w);
/* libthai's dictionary as a sorted word index (build/thbrk.words, installed
 * beside the templates; NULL = none): the breakers using these lists then
 * open only the part of the dictionary their texts reach (see
 * thai_breaker_prime), with the same answers. 0, or -1 out of memory. */
int thai_words_use_index(thai_words *w, const char *path);
/* How much of libthai's dictionary the lists' breakers opened: 0 none
 * yet, 1 a part (the words their texts reach), 2 the whole of it; -1 when
 * it could not be opened (no veto). */
int thai_words_dictionary(const thai_words *w);

/* The same with a line breaker kept open across calls (a layout breaks
 * thousands of cells; opening ICU's iterator each time would dominate). */
typedef struct thai_breaker thai_breaker;
thai_breaker *thai_breaker_new(void); /* NULL when ICU cannot open one */
void thai_breaker_free(thai_breaker *b);
/* The breaker applies these lists from now on (not copied; NULL = none).
 * thai_breaks() without a breaker applies none. */
void thai_breaker_use_words(thai_breaker *b, const thai_words *w);
int thai_breaks_with(thai_breaker *b, const char *utf8, size_t **offsets, unsigned char **hard);
/* Tells the breaker a text it will be asked to break: a layout tells it
 * every text of its document before breaking the first. With a word index
 * (thai_words_use_index) the text's breaks are worked out now and kept, but
 * for libthai's veto, and the runs libthai will be asked about noted, so
 * that its dictionary is opened once, on the part they reach, at the first
 * question. A text not told costs opening that part again; the breaks are
 * the same either way. 0, or -1 when out of memory. */
int thai_breaker_prime(thai_breaker *b, const char *utf8);

/* Word boundaries inside `len` bytes that the line breaks leave out (a
 * name kept whole, a break libthai vetoes): libthai's (ICU's without it), with the
 * typographic rules, ascending, ending with len. Where a piece wider than its
 * box is cut before falling back to clusters. Count, or -1. */
int thai_word_breaks(thai_breaker *b, const char *utf8, size_t len, size_t **offsets);

/* Grapheme-cluster boundaries (byte offsets, ascending, ending with the
 * length) of `len` bytes: where an overlong word may be cut. */
int thai_clusters(const char *utf8, size_t len, size_t **offsets);

/* ---- formats ---- */
extern const char *const thai_month_full[12];
extern const char *const thai_month_short[12];

/* "30 กันยายน 2563" (full) or "30 ก.ย. 63" (short); day 0 gives the month
 * only ("กันยายน 2563"). Caller frees. */
char *thai_date(reader_date d, int short_form, int thai_digits);

/* The fiscal year (BE) of a date and its fiscal quarter 1-4 (Q1 = Oct-Dec). */
int thai_fiscal_year(reader_date d);
int thai_fiscal_quarter(reader_date d);

/* value / 10^decimals with thousands separators: 123456789, 2 -> "1,234,567.89".
 * Caller frees. */
char *thai_number(int64_t value, int decimals, int thai_digits);
/* A double rounded half away from zero to `decimals` places, then formatted. */
char *thai_number_d(double value, int decimals, int thai_digits);

/* Replaces ASCII digits by Thai digits, but for those of codes, levels and
 * foreign names ("F2", "1SD", "7 Plus Efficiency", a five-digit code); a
 * formula's operand takes Thai digits ("n − ๑"). Caller frees. */
char *thai_digits(const char *s);

/* Money in words as official documents write it:
 * 123456750 -> "หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทห้าสิบสตางค์",
 * whole baht end in "ถ้วน", negatives start with "ลบ". Caller frees. */
char *thai_money_words(int64_t satang);

#endif
