/* mutate_font: damaged copies of a TrueType font, to check that khet refuses
 * (or safely uses) them and never hands libharu a file it would read out of
 * bounds. usage: mutate_font FONT.ttf OUTDIR N -> OUTDIR/Mut00.ttf ...
 * Deterministic: copy i is damaged by a generator seeded with i, in turn in
 * the table directory, in the header tables (counts, formats), in loca, at
 * random, or cut short. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t next(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3]; }

/* offset and length of a table, 0 if absent */
static uint32_t table(const unsigned char *d, long n, const char *tag, uint32_t *len)
{
    int count = d[4] << 8 | d[5];
    for (int i = 0; i < count && 12 + i * 16 + 16 <= n; i++) {
        const unsigned char *r = d + 12 + i * 16;
        if (r[0] == tag[0] && r[1] == tag[1] && r[2] == tag[2] && r[3] == tag[3]) {
            *len = be32(r + 12);
            return be32(r + 8);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        return 1;
    long n = ftell(f);
    unsigned char *src = malloc(n), *d = malloc(n);
    rewind(f);
    if (!src || !d || fread(src, 1, n, f) != (size_t)n)
        return 1;
    fclose(f);
    static const char *const tags[] = {"head", "maxp", "hhea", "cmap", "loca", "hmtx", "glyf", "name", "OS/2", "post"};
    int count = atoi(argv[3]);
    for (int i = 0; i < count; i++) {
        uint32_t s = (uint32_t)i * 2654435761u + 1, len = 0, off;
        long size = n;
        for (long k = 0; k < n; k++)
            d[k] = src[k];
        switch (i % 5) {
        case 0: /* table directory: offsets, lengths, count */
            for (int k = 0; k < 3; k++)
                d[4 + next(&s) % (8 + 16 * (src[5]))] = (unsigned char)next(&s);
            break;
        case 1: /* a header field of a small table */
            off = table(src, n, tags[next(&s) % 4], &len);
            if (len)
                for (int k = 0; k < 2; k++)
                    d[off + next(&s) % (len < 54 ? len : 54)] = (unsigned char)next(&s);
            break;
        case 2: /* glyph offsets or metrics */
            off = table(src, n, tags[4 + next(&s) % 3], &len);
            if (len)
                for (int k = 0; k < 4; k++)
                    d[off + next(&s) % len] = (unsigned char)next(&s);
            break;
        case 3: /* anywhere */
            for (int k = 0; k < 16; k++)
                d[next(&s) % n] = (unsigned char)next(&s);
            break;
        default: /* cut short */
            size = 12 + next(&s) % (n - 12);
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/Mut%02d.ttf", argv[2], i);
        FILE *o = fopen(path, "wb");
        if (!o || fwrite(d, 1, size, o) != (size_t)size || fclose(o) != 0)
            return 1;
    }
    free(src);
    free(d);
    return 0;
}
