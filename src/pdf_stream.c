/* pdf_stream: the bytes of khet's PDF streams: compression with libdeflate
 * (whole buffers, one compressor per document, its output buffer reused),
 * the fixed-point numbers of the page operators (glibc's printf costs
 * more than the rest of writing a page), and text strings in UTF-16.
 * A compressed stream reaches libharu as a stream of libharu's own kind
 * whose read, seek, tell and size callbacks are khet's (held_bytes): libharu
 * copies from khet's buffer once as it writes the file, instead of holding
 * a second copy in its memory stream, filled and read byte by byte.
 */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"

static HPDF_STATUS flate_name(HPDF_Dict obj, HPDF_Stream out)
{
    (void)obj;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

size_t pdf_deflate(pdf_zip *zip, const void *data, size_t len)
{
    size_t bound = libdeflate_zlib_compress_bound(zip->z, len);
    if (bound > zip->cap) {
        unsigned char *b = realloc(zip->buf, bound);
        if (!b)
            return 0;
        zip->buf = b;
        zip->cap = bound;
    }
    return libdeflate_zlib_compress(zip->z, len ? data : "", len, zip->buf, bound);
}

/* A stream's compressed bytes as libharu reads them at save time: its
 * memory stream would take them with a byte-by-byte copy and give them back
 * with another (HPDF_MemCpy: 3 % of a national month's instructions), this
 * hands them over with memcpy. */
typedef struct {
    unsigned char *data;
    size_t len, pos;
} held_bytes;

static HPDF_STATUS held_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    held_bytes *h = s->attr;
    size_t n = h->len - h->pos < *siz ? h->len - h->pos : *siz;
    memcpy(ptr, h->data + h->pos, n);
    h->pos += n;
    HPDF_STATUS end = n < *siz ? HPDF_STREAM_EOF : HPDF_OK; /* as a memory stream says it, no error set */
    *siz = (HPDF_UINT)n;
    return end;
}

static HPDF_STATUS held_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    held_bytes *h = s->attr;
    long at = mode == HPDF_SEEK_SET ? pos : mode == HPDF_SEEK_CUR ? (long)h->pos + pos : (long)h->len + pos;
    if (at < 0 || (size_t)at > h->len)
        return HPDF_STREAM_EOF;
    h->pos = (size_t)at;
    return HPDF_OK;
}

static HPDF_INT32 held_tell(HPDF_Stream s) { return (HPDF_INT32)((held_bytes *)s->attr)->pos; }

static HPDF_UINT32 held_size(HPDF_Stream s) { return (HPDF_UINT32)((held_bytes *)s->attr)->len; }

static void held_free(HPDF_Stream s)
{
    held_bytes *h = s->attr;
    if (h)
        free(h->data);
    free(h);
    s->attr = NULL;
}

int pdf_put_deflated(HPDF_Dict obj, const void *z, size_t n)
{
    /* libharu would compress again with zlib: the stream is written as it is,
     * and write_fn names the filter its data is in */
    obj->filter = HPDF_STREAM_FILTER_NONE;
    obj->write_fn = flate_name;
    HPDF_Stream s = obj->stream;
    held_bytes *h = n ? malloc(sizeof *h) : NULL;
    unsigned char *data = h ? malloc(n) : NULL;
    if (!data) {
        free(h);
        return -1;
    }
    memcpy(data, z, n);
    if (s->free_fn) /* the memory stream libharu made (or bytes held before) */
        s->free_fn(s);
    *h = (held_bytes){data, n, 0};
    s->type = HPDF_STREAM_CALLBACK;
    s->write_fn = NULL; /* HPDF_Stream_Size then asks size_fn */
    s->read_fn = held_read;
    s->seek_fn = held_seek;
    s->tell_fn = held_tell;
    s->size_fn = held_size;
    s->free_fn = held_free;
    s->attr = h;
    s->size = (HPDF_UINT)n;
    return 0;
}

int pdf_flate_stream(pdf_zip *zip, HPDF_Dict obj, const void *data, size_t len)
{
    size_t n = pdf_deflate(zip, data, len);
    return n ? pdf_put_deflated(obj, zip->buf, n) : -1;
}

int pdf_text_string(HPDF_MMgr mmgr, HPDF_Dict dict, const char *key, const char *text)
{
    size_t len = strlen(text), n = 2;
    unsigned char *u = malloc(2 * len + 2); /* a code unit per byte at most (4 bytes for a pair) */
    if (!u)
        return -1;
    u[0] = 0xFE, u[1] = 0xFF;
    for (size_t i = 0; i < len;) {
        uint32_t c = util_utf8_next(text, len, &i);
        if (c >= 0x10000) {
            uint32_t hi = 0xD800 + ((c - 0x10000) >> 10), lo = 0xDC00 + ((c - 0x10000) & 0x3FF);
            u[n++] = (unsigned char)(hi >> 8), u[n++] = (unsigned char)hi;
            c = lo;
        }
        u[n++] = (unsigned char)(c >> 8), u[n++] = (unsigned char)c;
    }
    HPDF_Binary b = HPDF_Binary_New(mmgr, u, (HPDF_UINT)n);
    free(u);
    return b && HPDF_Dict_Add(dict, key, b) == HPDF_OK ? 0 : -1;
}

void pdf_put_num(strbuf *b, double v, int dec, char sep)
{
    static const long long scale[] = {1, 10, 100, 1000, 10000, 100000};
    char buf[40], *end = buf + sizeof buf, *q = end;
    if (sep)
        *--q = sep;
    if (!(v > -1e12 && v < 1e12)) /* NaN or absurd: never a malformed number */
        v = 0;
    double s = v * (double)scale[dec];
    long long n = (long long)(s < 0 ? s - 0.5 : s + 0.5);
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    unsigned long long ip = u / (unsigned long long)scale[dec], fp = u % (unsigned long long)scale[dec];
    if (fp) {
        int d = dec;
        for (; fp % 10 == 0; d--)
            fp /= 10;
        for (; d > 0; d--, fp /= 10)
            *--q = (char)('0' + fp % 10);
        *--q = '.';
    }
    do
        *--q = (char)('0' + ip % 10);
    while (ip /= 10);
    if (n < 0)
        *--q = '-';
    sb_append(b, q, (size_t)(end - q));
}
