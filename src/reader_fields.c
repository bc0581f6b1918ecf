/* reader_fields: the grammars of the typed values inside CSV cells.
 *
 * Owns: integers and decimals in fixed point (grouping commas, accounting
 * "(1.00)" and "-", a trailing %), money in satang, BE/CE dates and months
 * ("2563-09-30", "30/09/2563"), hospital codes. Thai digits count as their
 * ASCII ones. Each parser returns NULL or a short English message (a static
 * string); reader.h documents them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "util.h"


static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The text with Thai digits as ASCII ones: s itself when it is all ASCII
 * (nearly every cell: no copy), else a copy left in *owned for the caller
 * to free. NULL when out of memory. */
static const char *ascii_view(const char *s, char **owned)
{
    *owned = NULL;
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q >= 0x80)
            return *owned = util_ascii_digits(s);
    return s;
}

/* The common case in one tight pass: no grouping commas, at most `scale`
 * digits after a point, and at most 18 digits once scaled (no overflow is
 * possible, so the full grammar would find no error either).
 * 1 with the digits' value in *v and the digits after the point in *frac;
 * 0 when the text is anything else (the full grammar then reads it). */
static int plain_decimal(const char *p, const char *end, int scale, int64_t *v, int *frac)
{
    const char *q = p, *point = NULL;
    uint64_t x = 0; /* at most 19 digits here (the caller's bound): no wrap */
    for (; q < end; q++) {
        if (is_digit(*q))
            x = x * 10 + (*q - '0');
        else if (*q == '.' && !point)
            point = q;
        else
            return 0;
    }
    long digits = (long)(end - p) - (point != NULL);
    *frac = point ? (int)(end - point - 1) : -1;
    if (digits < 1 || *frac > scale || digits + scale - (*frac > 0 ? *frac : 0) > 18)
        return 0;
    *v = (int64_t)x;
    return 1;
}

/* Parses the digits of an unsigned decimal with optional grouping commas into
 * units of 10^-scale. */
static const char *parse_unsigned_decimal(const char *p, const char *end, int scale, int64_t *out)
{
    int frac0;
    if (end - p <= 19 && plain_decimal(p, end, scale, out, &frac0)) {
        for (int k = frac0 < 0 ? 0 : frac0; k < scale; k++) /* at most 18 digits once scaled */
            *out *= 10;
        return NULL;
    }
    int64_t v = 0;
    int digits = 0, group = -1, frac = -1;
    for (; p < end; p++) {
        if (is_digit(*p)) {
            if (frac >= 0 && ++frac > scale)
                return scale ? "too many decimal places" : "a whole number is expected here";
            if (v > (INT64_MAX - 9) / 10)
                return "number too large";
            v = v * 10 + (*p - '0');
            digits++;
            if (group >= 0 && frac < 0)
                group++;
        } else if (*p == ',' && frac < 0 && digits > 0 && (group < 0 || group == 3)) {
            if (group < 0 && digits > 3)
                return "misplaced thousands separator";
            group = 0;
        } else if (*p == '.' && frac < 0) {
            if (group >= 0 && group != 3)
                return "misplaced thousands separator";
            frac = 0;
        } else {
            return "not a number";
        }
    }
    if (!digits)
        return "not a number";
    if (group >= 0 && frac < 0 && group != 3)
        return "misplaced thousands separator";
    for (int k = frac < 0 ? 0 : frac; k < scale; k++) {
        if (v > INT64_MAX / 10)
            return "number too large";
        v *= 10;
    }
    *out = v;
    return NULL;
}

/* The decimal in [p, end): blanks around, a sign or accounting brackets,
 * a trailing %, "-" for zero. */
static const char *parse_decimal_span(const char *p, const char *end, int scale, int64_t *out)
{
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    if (p == end)
        return "empty value";
    if (end - p == 1 && *p == '-') { /* accounting format writes zero as "-" */
        *out = 0;
        return NULL;
    }
    if (end[-1] == '%')
        end--;
    int neg = 0;
    if (*p == '(' && end > p + 1 && end[-1] == ')') {
        neg = 1;
        p++;
        end--;
    } else if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    int64_t v;
    const char *err = parse_unsigned_decimal(p, end, scale, &v);
    if (!err)
        *out = neg ? -v : v;
    return err;
}

const char *reader_parse_decimal(const char *s, int scale, int64_t *out)
{
    /* one pass finds the end and any byte that is not ASCII: nearly every
     * cell is ASCII and read in place; Thai digits are made ASCII in a copy */
    const char *end = s;
    unsigned char high = 0;
    for (; *end; end++)
        high |= (unsigned char)*end;
    if (!(high & 0x80))
        return parse_decimal_span(s, end, scale, out);
    char *a = util_ascii_digits(s);
    if (!a)
        return "out of memory";
    const char *err = parse_decimal_span(a, a + strlen(a), scale, out);
    free(a);
    return err;
}

const char *reader_parse_int(const char *s, int64_t *out) { return reader_parse_decimal(s, 0, out); }

const char *reader_parse_money(const char *s, int64_t *satang) { return reader_parse_decimal(s, 2, satang); }

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Reads up to `max` digits; returns the count read. */
static int read_num(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && is_digit(**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

static const char *normalise_year(int *y)
{
    if (*y >= 2400)
        *y -= 543;
    if (*y < 1900 || *y > 2200)
        return "year out of range";
    return NULL;
}

/* Parses "Y-M[-D]" or "[D/]M/Y"; `want_day` says whether D is present. */
static const char *parse_ymd(const char *s, int want_day, reader_date *out)
{
    char *a = NULL;
    const char *p = ascii_view(s, &a);
    if (!p)
        return "out of memory";
    int y = 0, m = 0, d = 0, ok;
    int n1 = read_num(&p, 4, &y);
    if (n1 == 4 && *p == '-') { /* year first */
        p++;
        ok = read_num(&p, 2, &m) > 0;
        if (ok && want_day)
            ok = *p++ == '-' && read_num(&p, 2, &d) > 0;
    } else { /* day/month/year or month/year */
        int first = y;
        ok = n1 > 0 && n1 <= 2 && *p++ == '/';
        if (ok && want_day) {
            d = first;
            ok = read_num(&p, 2, &m) > 0 && *p++ == '/';
        } else {
            m = first;
        }
        ok = ok && read_num(&p, 4, &y) == 4;
    }
    ok = ok && *p == 0;
    free(a);
    if (!ok)
        return want_day ? "not a date (expected e.g. 2563-09-30 or 30/09/2563)"
                        : "not a month (expected e.g. 2563-09 or 09/2563)";
    const char *err = normalise_year(&y);
    if (err)
        return err;
    if (m < 1 || m > 12)
        return "month out of range";
    if (want_day && (d < 1 || d > days_in_month(y, m)))
        return "day out of range for that month";
    *out = (reader_date){y, m, want_day ? d : 0};
    return NULL;
}

const char *reader_parse_date(const char *s, reader_date *out) { return parse_ymd(s, 1, out); }
const char *reader_parse_month(const char *s, reader_date *out) { return parse_ymd(s, 0, out); }

const char *reader_parse_hcode(const char *s, char out[6])
{
    char *a = NULL;
    const char *v = ascii_view(s, &a);
    if (!v)
        return "out of memory";
    size_t n = strlen(v);
    int ok = n == 5;
    for (size_t i = 0; ok && i < n; i++)
        ok = is_digit(v[i]);
    if (ok)
        memcpy(out, v, 6);
    free(a);
    return ok ? NULL : "a hospital code has exactly 5 digits (keep leading zeros)";
}
