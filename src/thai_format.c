/* thai_format: Thai formats of dates, numbers and money: BE dates (full and
 * short), fiscal years and quarters, numbers with thousands separators,
 * Thai digits (but for codes, levels and foreign names), and money in words
 * as official documents write it. Pure functions. */
#include "thai.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *const thai_month_full[12] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                         "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
const char *const thai_month_short[12] = {"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                                          "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."};

static int is_latin(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int ends_with(const char *s, size_t k, const char *w)
{
    size_t n = strlen(w);
    return k >= n && !memcmp(s + k - n, w, n);
}

/* A risk level: the digits after "ระดับ " ("ระดับ 7"), or the second of
 * a range of them ("ระดับ 4–7"). */
static int risk_level(const char *s, size_t i)
{
    static const char level[] = "\xe0\xb8\xa3\xe0\xb8\xb0\xe0\xb8\x94\xe0\xb8\xb1\xe0\xb8\x9a "; /* "ระดับ " */
    if (ends_with(s, i, level))
        return 1;
    size_t k = i;
    if (ends_with(s, k, "\xe2\x80\x93")) /* – */
        k -= 3;
    else if (ends_with(s, k, "-"))
        k--;
    else
        return 0;
    size_t d = k;
    while (d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9')
        d--;
    return d < k && ends_with(s, d, level);
}

/* A hospital's risk level after its name: "รพ.จะนะ (7)", "(6 ใหม่)". */
static int hospital_level(const char *s, size_t i, size_t j)
{
    static const char rp[] = "\xe0\xb8\xa3\xe0\xb8\x9e."; /* "รพ." */
    if (j != i + 1 || i < 2 || s[i - 1] != '(' || s[i - 2] != ' ' ||
        (s[j] != ')' && strncmp(s + j, " \xe0\xb9\x83\xe0\xb8\xab\xe0\xb8\xa1\xe0\xb9\x88)", 14))) /* " ใหม่)" */
        return 0;
    size_t w = i - 2;
    while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '\n')
        w--;
    return !strncmp(s + w, rp, strlen(rp));
}

/* A telephone number: digits joined by hyphens, nine or more of them
 * ("0-7431-2346"); dialled or copied, never read as a quantity. */
static int phone_number(const char *s, size_t i)
{
    size_t a = i, b = i, n = 0;
    while (a > 0 && ((s[a - 1] >= '0' && s[a - 1] <= '9') || s[a - 1] == '-'))
        a--;
    for (b = a; (s[b] >= '0' && s[b] <= '9') || s[b] == '-'; b++)
        n += s[b] != '-';
    return n >= 9 && memchr(s + a, '-', b - a) != NULL;
}

/* The digits [i, j) of s belong to a code, a level or a foreign name, which
 * keep their Arabic digits in a Thai-digit text: touching a Latin letter
 * ("F2", "M1", "1SD"), before a Latin word ("7 Plus Efficiency", "± 1 SD"),
 * a risk level ("ระดับ 4–7", "รพ.จะนะ (7)"), a telephone number, or five
 * digits or more standing alone (a hospital's code, "10938"). A formula's
 * operand is a figure of the prose and takes the page's digits, beside a
 * Latin variable too ("n − ๑", "z > ๑.๐๐": issue 20 point 12). */
static int digits_stay(const char *s, size_t i, size_t j)
{
    if ((i > 0 && is_latin(s[i - 1])) || is_latin(s[j]) || (s[j] == ' ' && is_latin(s[j + 1])) ||
        risk_level(s, i) || hospital_level(s, i, j) || phone_number(s, i))
        return 1;
    int apart = (i == 0 || (s[i - 1] != ',' && s[i - 1] != '.')) && s[j] != ',' && s[j] != '.';
    return j - i >= 5 && apart;
}

char *thai_digits(const char *s)
{
    strbuf b = {0};
    for (size_t i = 0; s[i];) {
        if (s[i] < '0' || s[i] > '9') {
            sb_append(&b, s + i++, 1);
            continue;
        }
        size_t j = i, e;
        while (s[j] >= '0' && s[j] <= '9')
            j++;
        /* a figure with decimals touching a Latin letter stays whole: "1.5SD", not "๑.5SD" */
        for (e = j; s[e] == '.' && s[e + 1] >= '0' && s[e + 1] <= '9';)
            for (e++; s[e] >= '0' && s[e] <= '9'; e++)
                ;
        if (digits_stay(s, i, j) || (e > j && is_latin(s[e]))) {
            sb_append(&b, s + i, e - i); /* and its decimals: "1.00" */
            i = e;
            continue;
        }
        for (; i < j; i++)
            sb_put_cp(&b, 0x0E50 + (uint32_t)(s[i] - '0'));
    }
    return sb_finish(&b);
}

static char *maybe_thai(char *s, int thai)
{
    if (!s || !thai)
        return s;
    char *t = thai_digits(s);
    free(s);
    return t;
}

char *thai_date(reader_date d, int short_form, int thai)
{
    int be = d.year + 543;
    const char *m = short_form ? thai_month_short[d.month - 1] : thai_month_full[d.month - 1];
    char *s;
    if (d.day == 0)
        s = short_form ? util_format("%s %02d", m, be % 100) : util_format("%s %d", m, be);
    else
        s = short_form ? util_format("%d %s %02d", d.day, m, be % 100) : util_format("%d %s %d", d.day, m, be);
    return maybe_thai(s, thai);
}

int thai_fiscal_year(reader_date d) { return d.year + 543 + (d.month >= 10); }
int thai_fiscal_quarter(reader_date d) { return ((d.month + 2) % 12) / 3 + 1; }

char *thai_number(int64_t v, int decimals, int thai)
{
    char digits[32];
    int neg = v < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)a);
    size_t n = strlen(digits);
    while ((int)n <= decimals) { /* pad so there is at least one integer digit */
        memmove(digits + 1, digits, n + 1);
        digits[0] = '0';
        n++;
    }
    size_t int_len = n - (size_t)decimals;
    strbuf b = {0};
    if (neg)
        sb_puts(&b, "-");
    for (size_t i = 0; i < int_len; i++) {
        if (i && (int_len - i) % 3 == 0)
            sb_puts(&b, ",");
        sb_append(&b, &digits[i], 1);
    }
    if (decimals) {
        sb_puts(&b, ".");
        sb_append(&b, digits + int_len, (size_t)decimals);
    }
    return maybe_thai(sb_finish(&b), thai);
}

char *thai_number_d(double v, int decimals, int thai)
{
    double scale = pow(10, decimals);
    double r = v * scale;
    r = r < 0 ? -floor(-r + 0.5) : floor(r + 0.5);
    return thai_number((int64_t)r, decimals, thai);
}

/* ---- money in words ---- */

static const char *const digit_word[10] = {"", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"};
static const char *const place_word[6] = {"", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"};

/* Words for 0 < n < 1,000,000; `alone` says no higher group stands before,
 * which decides whether a final 1 reads หนึ่ง or เอ็ด. */
static void words_below_million(strbuf *b, int64_t n, int alone)
{
    char d[24];
    snprintf(d, sizeof d, "%lld", (long long)n);
    int len = (int)strlen(d);
    for (int i = 0; i < len; i++) {
        int digit = d[i] - '0', place = len - 1 - i;
        if (!digit)
            continue;
        if (place == 0 && digit == 1 && (len > 1 || !alone))
            sb_puts(b, "เอ็ด");
        else if (place == 1 && digit == 1)
            ; /* สิบ, not หนึ่งสิบ */
        else if (place == 1 && digit == 2)
            sb_puts(b, "ยี่");
        else
            sb_puts(b, digit_word[digit]);
        sb_puts(b, place_word[place]);
    }
}

/* Any non-negative integer: groups of six digits joined by ล้าน. */
static void words_integer(strbuf *b, int64_t n, int alone)
{
    if (n >= 1000000) {
        words_integer(b, n / 1000000, alone);
        sb_puts(b, "ล้าน");
        if (n % 1000000)
            words_below_million(b, n % 1000000, 0);
    } else {
        words_below_million(b, n, alone);
    }
}

char *thai_money_words(int64_t satang)
{
    strbuf b = {0};
    if (satang < 0) {
        sb_puts(&b, "ลบ");
        satang = -satang; /* amounts are far below INT64_MIN in practice */
    }
    int64_t baht = satang / 100, st = satang % 100;
    if (baht) {
        words_integer(&b, baht, 1);
        sb_puts(&b, "บาท");
    }
    if (st) {
        words_integer(&b, st, 1);
        sb_puts(&b, "สตางค์");
    } else {
        if (!baht)
            sb_puts(&b, "ศูนย์บาท");
        sb_puts(&b, "ถ้วน");
    }
    return sb_finish(&b);
}
