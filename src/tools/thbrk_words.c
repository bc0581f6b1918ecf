/* thbrk_words: libthai's word-break dictionary as a sorted word index, made
 * at build time for thai_subset.c, which opens for a document only the part
 * of the dictionary its texts can reach (opening the whole of it costs 31 M
 * instructions: libdatrie 0.2.13 reads it 4 bytes at a time).
 *
 *   thbrk_words /usr/share/libthai/thbrk.tri build/thbrk.words
 *
 * Output (native byte order; thai_subset.c checks it): a header (magic,
 * byte-order mark, the dictionary file's size and time, so that a changed
 * dictionary is noticed and opened whole, a usable flag, the word count and
 * byte count), the words' offsets (count + 1), where the words of each
 * first two letters start (thai_int.h), then the words in UTF-8, sorted by
 * bytes. The index is marked unusable (the whole dictionary is
 * then opened) when a word has a character outside U+0E01..U+0E4E, the
 * Thai letters and marks the subset's reasoning relies on. Exit 1 when the
 * dictionary cannot be read or the index cannot be written. */
#include <datrie/trie.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../thai_int.h"

typedef struct {
    char **w;
    size_t n, cap;
    int oom, foreign;
} list;

/* One word as UTF-8 (every code point of libthai's dictionary is below
 * U+10000). */
static Bool add(const AlphaChar *key, TrieData data, void *user)
{
    (void)data;
    list *l = user;
    size_t n = 0;
    while (key[n])
        n++;
    char *s = malloc(3 * n + 1), *p = s;
    if (s && l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4096;
        char **w = realloc(l->w, cap * sizeof *w);
        if (w)
            l->w = w, l->cap = cap;
    }
    if (!s || l->n == l->cap) {
        free(s);
        l->oom = 1;
        return FALSE;
    }
    for (size_t i = 0; i < n; i++) {
        AlphaChar c = key[i];
        if (c < 0x0E01 || c > 0x0E4E)
            l->foreign = 1;
        if (c < 0x80)
            *p++ = (char)c;
        else if (c < 0x800)
            *p++ = (char)(0xC0 | c >> 6), *p++ = (char)(0x80 | (c & 0x3F));
        else
            *p++ = (char)(0xE0 | (c >> 12 & 0x0F)), *p++ = (char)(0x80 | ((c >> 6) & 0x3F)), *p++ = (char)(0x80 | (c & 0x3F));
    }
    *p = 0;
    if (n == 0 || n > THAI_WORD_MAX)
        l->foreign = 1;
    l->w[l->n++] = s;
    return TRUE;
}

static int by_bytes(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    struct stat st;
    Trie *t = argc == 3 && stat(argv[1], &st) == 0 ? trie_new_from_file(argv[1]) : NULL;
    if (!t) {
        fprintf(stderr, "thbrk_words: cannot read the dictionary %s\n", argc >= 2 ? argv[1] : "(none named)");
        return 1;
    }
    list l = {0};
    trie_enumerate(t, add, &l);
    trie_free(t);
    if (l.oom) {
        fprintf(stderr, "thbrk_words: out of memory\n");
        return 1;
    }
    qsort(l.w, l.n, sizeof *l.w, by_bytes);
    thai_words_header h = {.magic = THAI_WORDS_MAGIC, .bom = THAI_WORDS_BOM, .tri_size = (int64_t)st.st_size,
                           .tri_mtime = (int64_t)st.st_mtime, .usable = !l.foreign, .n = (uint32_t)l.n};
    uint32_t *off = malloc((l.n + 1) * sizeof *off);
    if (!off) {
        fprintf(stderr, "thbrk_words: out of memory\n");
        return 1;
    }
    off[0] = 0;
    for (size_t i = 0; i < l.n; i++)
        off[i + 1] = off[i] + (uint32_t)strlen(l.w[i]);
    h.bytes = off[l.n];
    static uint32_t pairs[THAI_PAIRS]; /* counts, then where each pair starts */
    for (size_t i = 0; i < l.n && !l.foreign; i++) {
        const unsigned char *w = (const unsigned char *)l.w[i];
        size_t k = (size_t)(w[1] & 1) << 6 | (w[2] & 0x3F), j = 0;
        if (w[3])
            j = (size_t)(w[4] & 1) << 6 | (w[5] & 0x3F);
        pairs[k * THAI_LETTERS + j]++;
    }
    uint32_t sum = 0;
    for (size_t t = 0; t < THAI_PAIRS; t++) {
        uint32_t c = pairs[t];
        pairs[t] = sum;
        sum += c;
    }
    if (l.foreign)
        pairs[THAI_PAIRS - 1] = (uint32_t)l.n;
    FILE *f = fopen(argv[2], "wb");
    int ok = f && fwrite(&h, sizeof h, 1, f) == 1 && fwrite(off, sizeof *off, l.n + 1, f) == l.n + 1 &&
             fwrite(pairs, sizeof *pairs, THAI_PAIRS, f) == THAI_PAIRS;
    for (size_t i = 0; i < l.n; i++) {
        ok = ok && fputs(l.w[i], f) >= 0;
        free(l.w[i]);
    }
    free(l.w);
    free(off);
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "thbrk_words: cannot write %s\n", argv[2]);
        remove(argv[2]);
        return 1;
    }
    return 0;
}
