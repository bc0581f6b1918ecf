/* reader_decode: the bytes of a CSV or settings file as UTF-8 text.
 *
 * Owns: encoding detection (a UTF-8 BOM, UTF-8, else Windows-874/TIS-620),
 * the check of UTF-8 (checked in place, never converted: the bytes are the
 * text), the conversion of anything else through ICU ucnv, and the position
 * (line, column in characters) of a byte that cannot be decoded. The CSV
 * syntax is reader.c's; the field grammars reader_fields.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>
#include <unicode/ustring.h>

#include "reader.h"
#include "reader_impl.h"
#include "util.h"


/* Position (line, column in characters) of byte `off` of a raw buffer. For
 * single-byte encodings every byte is one character. */
static void raw_position(const char *b, size_t off, int single_byte, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)b[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 == off || b[i + 1] != '\n'))) {
            l++; /* LF, CR LF and a lone CR (old Mac exports) each end one line */
            c = 1;
        } else if (ch == '\r') {
        } else if (single_byte || (ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Converts `len` bytes in `enc` to UTF-8. On an undecodable byte returns NULL
 * and sets *bad to its offset; on out of memory returns NULL with *bad = -1. */
static char *decode_to_utf8(const char *enc, const char *b, size_t len, long *bad)
{
    *bad = -1;
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(enc, &st);
    if (U_FAILURE(st))
        return NULL;
    ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    size_t cap16 = len + 1; /* one UTF-16 unit per byte is enough for both */
    UChar *u = malloc(cap16 * sizeof *u);
    char *out = NULL;
    if (!u)
        goto done;
    UChar *target = u;
    const char *src = b;
    ucnv_toUnicode(cv, &target, u + cap16, &src, b + len, NULL, 1, &st);
    if (U_FAILURE(st)) {
        char badbytes[8];
        int8_t nbad = sizeof badbytes;
        UErrorCode st2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(cv, badbytes, &nbad, &st2);
        *bad = (long)(src - b) - (U_SUCCESS(st2) ? nbad : 1);
        if (*bad < 0)
            *bad = 0;
        goto done;
    }
    int32_t n16 = (int32_t)(target - u), n8 = 0;
    /* ICU's Windows-874 table maps the bytes the code page leaves undefined
     * (0x81, 0xDB..0xDE, 0xFC..0xFF, ...) to private-use code points instead
     * or to C1 controls instead of failing; no Thai text contains those, so treat them as undecodable.
     * A single-byte code page gives one UTF-16 unit per byte. */
    if (ucnv_getMaxCharSize(cv) == 1)
        for (int32_t i = 0; i < n16; i++)
            if ((u[i] >= 0xE000 && u[i] <= 0xF8FF) || (u[i] >= 0x80 && u[i] <= 0x9F)) {
                *bad = i;
                goto done;
            }
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &n8, u, n16, &st);
    out = malloc((size_t)n8 + 1);
    if (!out)
        goto done;
    st = U_ZERO_ERROR;
    u_strToUTF8(out, n8 + 1, NULL, u, n16, &st);
    if (U_FAILURE(st)) {
        free(out);
        out = NULL;
    }
done:
    free(u);
    ucnv_close(cv);
    return out;
}

static int is_utf8_name(const char *enc)
{
    return !strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8");
}

/* The offset of the first byte that is not well-formed UTF-8, -1 if none
 * (ICU's check: overlong forms, surrogates and code points over U+10FFFF
 * are not UTF-8). */
static long utf8_invalid_at(const char *raw, size_t len)
{
    const uint8_t *s = (const uint8_t *)raw;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) { /* ASCII, most of a CSV file: eight bytes at a time */
            for (i++; i + 8 <= len; i += 8) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080u)
                    break;
            }
            continue;
        }
        int32_t k = 0, n = len - i < 4 ? (int32_t)(len - i) : 4; /* a sequence is at most 4 bytes */
        UChar32 c;
        U8_NEXT(s + i, k, n, c);
        if (c < 0)
            return (long)i;
        i += (size_t)k;
    }
    return -1;
}

char *reader_decode_input(const char *name, const char *raw, size_t len, const char *want, const char **used,
                          const char **start, diag_ctx *d)
{
    *start = NULL;
    int auto_detect = !want || !strcasecmp(want, "auto");
    if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3) && (auto_detect || is_utf8_name(want))) {
        raw += 3;
        len -= 3;
        want = "utf-8";
        auto_detect = 0;
    }
    const char *nul = memchr(raw, 0, len);
    if (nul) {
        int l, c;
        raw_position(raw, (size_t)(nul - raw), 0, &l, &c);
        diag_add(d, DIAG_ERROR, name, l, c, "binary data (a NUL byte): this is not a CSV text file");
        return NULL;
    }
    const char *tries[2] = {auto_detect ? "utf-8" : want, auto_detect ? "windows-874" : NULL};
    long bad[2] = {-1, -1};
    for (int i = 0; i < 2 && tries[i]; i++) {
        if (is_utf8_name(tries[i])) {
            /* UTF-8 is only checked, not converted: the bytes are the text */
            bad[i] = utf8_invalid_at(raw, len);
            if (bad[i] < 0) {
                *used = "utf-8";
                *start = raw;
                return NULL;
            }
            continue;
        }
        char *out = decode_to_utf8(tries[i], raw, len, &bad[i]);
        if (out) {
            *used = tries[i];
            *start = out;
            return out;
        }
        if (bad[i] < 0)
            break;
    }
    long at = bad[0];
    int single_byte = !auto_detect && !is_utf8_name(want);
    /* Auto-detection failed both ways. If valid UTF-8 with non-ASCII text
     * came before the bad byte, the file is meant to be UTF-8; otherwise it is
     * meant to be Windows-874 and its own bad byte is the one to show. */
    if (auto_detect && bad[1] >= 0) {
        int had_utf8 = 0;
        for (long i = 0; i < bad[0]; i++)
            had_utf8 |= (unsigned char)raw[i] >= 0x80;
        if (!had_utf8) {
            at = bad[1];
            single_byte = 1;
        }
    }
    if (at < 0) {
        diag_add(d, DIAG_ERROR, name, 0, 0, "cannot decode: unknown encoding '%s' or out of memory",
                 want ? want : "auto");
        return NULL;
    }
    int l, c;
    raw_position(raw, (size_t)at, single_byte, &l, &c);
    diag_add(d, DIAG_ERROR, name, l, c,
             auto_detect ? "byte 0x%02X is neither valid UTF-8 nor Windows-874 (TIS-620) text"
                         : "byte 0x%02X cannot be decoded as the requested encoding",
             (unsigned char)raw[at]);
    return NULL;
}

char *reader_decode_text(const char *name, const char *bytes, size_t len, const char *encoding, diag_ctx *d)
{
    const char *used = NULL, *start;
    char *out = reader_decode_input(name, bytes, len, encoding, &used, &start, d);
    if (!out && start && !(out = util_strndup(start, len - (size_t)(start - bytes))))
        diag_add(d, DIAG_SYSTEM, name, 0, 0, "out of memory");
    return out;
}

