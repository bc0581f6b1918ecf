/* scheme_wording: the scheme's wording against its region and year: the
 * placeholders {{region}}, {{fiscal_year}}, {{fy}}, {{previous_year}},
 * {{band}} (filled at load) and {{provinces}} (filled from the data) in
 * every text that reaches a document, unknown placeholders reported, and
 * warnings where the wording names another region, another count of
 * provinces or another band than band_k's. */
#include "scheme_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "util.h"

/* ---- wording placeholders ----
 * A scheme's wording names its region, year and province count through
 * {{region}}, {{fiscal_year}}, {{fy}} (the year's last two digits: "63"),
 * {{previous_year}} and {{provinces}}, and its band through {{band}}
 * ("Mean ± 1SD" of band_k), so that a scheme copied to another region or
 * year, or given another band_k, says the right thing. All but {{provinces}}
 * are filled from scheme.ini at load; {{provinces}} from the data
 * (scheme_fill_provinces). */

/* A k of four decimals (times 10000) as written, without the trailing zeros
 * ("1", "1.5", "1.96"); buf holds 32 bytes. */
static const char *k_text(long long k, char *buf)
{
    int n = snprintf(buf, 32, "%lld.%04lld", k / 10000, k % 10000);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = 0;
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = 0;
    return buf;
}

char *scheme_band_name(const scheme *s, int sd)
{
    char k[32];
    return util_format("%s%sSD", sd ? "" : "Mean ± ", k_text(s->band_k_x10000 > 0 ? s->band_k_x10000 : 10000, k));
}

/* Replaces every {{key}} of *text by value; 0, or -1 out of memory. */
static int replace_key(char **text, const char *key, const char *value)
{
    if (!*text || !strstr(*text, key))
        return 0;
    strbuf b = {0};
    const char *p = *text, *q;
    size_t klen = strlen(key);
    while ((q = strstr(p, key))) {
        sb_append(&b, p, (size_t)(q - p));
        sb_puts(&b, value);
        p = q + klen;
    }
    sb_puts(&b, p);
    char *t = sb_finish(&b);
    if (!t)
        return -1;
    free(*text);
    *text = t;
    return 0;
}

/* Every text of the scheme that reaches a document. */
static int each_text(scheme *s, const char *key, const char *value)
{
    int rc = replace_key(&s->title, key, value) | replace_key(&s->organisation, key, value) |
             replace_key(&s->reserve_note, key, value);
    for (size_t i = 0; i < s->ncriteria; i++)
        rc |= replace_key(&s->criteria[i].label_th, key, value) | replace_key(&s->criteria[i].target_th, key, value);
    for (size_t i = 0; i < s->nbands; i++)
        rc |= replace_key(&s->bands[i].label_th, key, value);
    return rc;
}

/* An unknown {{...}} left in a text after filling: reported once per text. */
static void report_unknown(const scheme *s, const char *text, const char *file, int line, diag_ctx *d)
{
    const char *o = text ? strstr(text, "{{") : NULL;
    if (!o || !strcmp(o, "{{provinces}}") || !strncmp(o, "{{provinces}}", 13))
        return;
    char *path = util_path_join(s->dir, file);
    const char *c = strstr(o, "}}");
    diag_add(d, DIAG_ERROR, path ? path : file, line, 1,
             "unknown placeholder '%.*s' in the scheme's wording: {{region}}, {{provinces}}, {{fiscal_year}}, "
             "{{fy}}, {{previous_year}} and {{band}} are filled in",
             c ? (int)(c - o + 2) : 2, o);
    free(path);
}

void scheme_fill_wording(scheme *s, diag_ctx *d)
{
    char reg[16], fy[16], fy2[16], prev[16];
    snprintf(reg, sizeof reg, "%d", s->region);
    snprintf(fy, sizeof fy, "%d", s->fiscal_year);
    snprintf(fy2, sizeof fy2, "%02d", s->fiscal_year % 100);
    snprintf(prev, sizeof prev, "%d", s->fiscal_year - 1);
    char *band = scheme_band_name(s, 0);
    if (!band || each_text(s, "{{region}}", reg) || each_text(s, "{{fiscal_year}}", fy) ||
        each_text(s, "{{fy}}", fy2) || each_text(s, "{{previous_year}}", prev) || each_text(s, "{{band}}", band)) {
        free(band);
        diag_add(d, DIAG_SYSTEM, s->dir, 0, 0, "out of memory");
        return;
    }
    free(band);
    report_unknown(s, s->title, "scheme.ini", 0, d);
    report_unknown(s, s->organisation, "scheme.ini", 0, d);
    report_unknown(s, s->reserve_note, "scheme.ini", 0, d);
    for (size_t i = 0; i < s->ncriteria; i++) {
        report_unknown(s, s->criteria[i].label_th, "criteria.csv", s->criteria[i].line, d);
        report_unknown(s, s->criteria[i].target_th, "criteria.csv", s->criteria[i].line, d);
    }
    for (size_t i = 0; i < s->nbands; i++)
        report_unknown(s, s->bands[i].label_th, "bands.csv", s->bands[i].line, d);
}

int scheme_fill_provinces(scheme *s, const dataset *ds, int region)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->nprovinces; i++)
        n += ds->provinces[i].region == (region ? region : s->region);
    char v[32];
    snprintf(v, sizeof v, "%zu", n);
    return each_text(s, "{{provinces}}", v);
}

/* ---- the wording against the region ---- */

/* The number written right after `word` (and blanks) in text, -2 when none
 * follows, -1 when the word is not there; *at
 * moves past it so that every occurrence is seen. Thai digits count. */
static long number_after(const char **at, const char *word)
{
    const char *p = strstr(*at, word);
    if (!p)
        return -1;
    p += strlen(word);
    *at = p;
    while (*p == ' ')
        p++;
    char *a = util_ascii_digits(p);
    long n = -2; /* the word, but no number after it */
    if (a && a[0] >= '0' && a[0] <= '9')
        n = strtol(a, NULL, 10);
    free(a);
    return n;
}

/* The number written right before " จังหวัด" in text at each occurrence
 * after `of` ("ของ 7 จังหวัด", "Mean ± 1SD ของ 7 จังหวัด"). */
static long count_before(const char **at)
{
    const char *p = strstr(*at, "จังหวัด"), *start = *at;
    if (!p)
        return -1;
    *at = p + strlen("จังหวัด");
    const char *q = p;
    if (q > start && q[-1] == ' ')
        q--;
    const char *end = q;
    long n = 0, scale = 1;
    /* the digits before it, Arabic or Thai (๗ is E0 B9 97), read right to left */
    for (int k = 0; k < 6 && q > start; k++) {
        if (q[-1] >= '0' && q[-1] <= '9') {
            n += (q[-1] - '0') * scale;
            q--;
        } else if (q - start >= 3 && (unsigned char)q[-3] == 0xE0 && (unsigned char)q[-2] == 0xB9 &&
                   (unsigned char)q[-1] >= 0x90 && (unsigned char)q[-1] <= 0x99) {
            n += ((unsigned char)q[-1] - 0x90) * scale;
            q -= 3;
        } else {
            break;
        }
        scale *= 10;
    }
    return q == end ? -2 : n; /* -2: not a count */
}

/* The k of the next "± k SD" in text ("Mean ± 1SD", "± 1.5 SD"; Thai digits
 * count) times 10000, -2 when a "±" is followed by no such figure, -1 when
 * no "±" is left; *at moves past it. */
static long long band_after(const char **at)
{
    const char *p = strstr(*at, "±");
    if (!p)
        return -1;
    *at = p + strlen("±");
    char *a = util_ascii_digits(*at);
    if (!a)
        return -2;
    char *q = a + strspn(a, " ");
    size_t n = strspn(q, "0123456789.");
    const char *unit = q + n + strspn(q + n, " ");
    int64_t k = -2;
    if (n && !strncmp(unit, "SD", 2)) {
        q[n] = 0; /* the figure alone, read as band_k itself is read */
        if (reader_parse_decimal(q, 4, &k))
            k = -2;
    }
    free(a);
    return k;
}

static int wording_one(const scheme *s, const char *text, const char *file, int line, int region, long nprov,
                       diag_ctx *d)
{
    static const char *const region_words[] = {"เขตสุขภาพที่", "เขต", NULL};
    int warned = 0;
    char *path = util_path_join(s->dir, file);
    for (int w = 0; text && region_words[w] && !warned; w++) {
        const char *at = text;
        long n;
        while ((n = number_after(&at, region_words[w])) != -1 && !warned)
            if (n >= 1 && n <= 13 && n != region) {
                diag_add(d, DIAG_WARNING, path ? path : file, line, 0,
                         "the wording names region %ld ('%s %ld') but the scheme is for region %d: write {{region}} "
                         "and khet fills it in",
                         n, region_words[w], n, region);
                warned = 1;
            }
    }
    const char *at = text;
    long long k;
    while (text && !warned && (k = band_after(&at)) != -1)
        if (k >= 0 && k != s->band_k_x10000) {
            char said[32], own[32];
            diag_add(d, DIAG_WARNING, path ? path : file, line, 0,
                     "the wording names the band '± %sSD' but the scheme's band_k is %s (Mean ± %sSD): write "
                     "{{band}} and khet fills it in",
                     k_text(k, said), k_text(s->band_k_x10000, own), own);
            warned = 1;
        }
    at = text;
    long n;
    while (text && !warned && (n = count_before(&at)) != -1)
        if (n > 0 && n != nprov) {
            diag_add(d, DIAG_WARNING, path ? path : file, line, 0,
                     "the wording counts %ld provinces ('%ld จังหวัด') but region %d has %ld: write "
                     "{{provinces}} and khet fills it in",
                     n, n, region, nprov);
            warned = 1;
        }
    free(path);
    return warned;
}

int scheme_check_wording(const scheme *s, const dataset *ds, int region, diag_ctx *d)
{
    if (!region)
        region = s->region;
    long nprov = 0;
    for (size_t i = 0; i < ds->nprovinces; i++)
        nprov += ds->provinces[i].region == region;
    int n = wording_one(s, s->title, "scheme.ini", s->title_line, region, nprov, d) +
            wording_one(s, s->organisation, "scheme.ini", s->organisation_line, region, nprov, d) +
            wording_one(s, s->reserve_note, "scheme.ini", s->reserve_note_line, region, nprov, d);
    for (size_t i = 0; i < s->ncriteria; i++)
        n += wording_one(s, s->criteria[i].label_th, "criteria.csv", s->criteria[i].line, region, nprov, d) ||
             wording_one(s, s->criteria[i].target_th, "criteria.csv", s->criteria[i].line, region, nprov, d);
    return n;
}
