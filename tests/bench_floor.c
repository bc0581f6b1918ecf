/* make bench: the floor of khet's work, the same work done alone, so the
 * bench shows how far khet is from it (never a test: it prints times).
 *
 *   bench_floor load DIR   read every .csv in DIR, check it is UTF-8 (ICU's
 *                          U8_NEXT), split it into cells (quotes, commas,
 *                          line ends), copy each cell into one buffer and
 *                          parse every number in place: the loader's work
 *                          with nothing else.
 *   bench_floor deflate PDF  inflate every stream of PDF, then compress them
 *                          all again with libdeflate at khet's level, one
 *                          compressor: the compressing alone is timed.
 *   bench_floor start      nothing: a process start with libc only.
 *   bench_floor thbrk      libthai opening its dictionary and closing it
 *                          (th_brk_new + th_brk_delete, best of 5): the
 *                          fixed part of the veto's cost, paid once by a
 *                          process that breaks Thai text.
 * Prints "floor: WHAT N ms CPU" for load, deflate and thbrk.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <libdeflate.h>
#include <thai/thbrk.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/utf8.h>

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Splits, copies and parses one file; returns cells seen, -1 if not UTF-8. */
static long load_one(const char *b, size_t n, char *out, int64_t *sum)
{
    for (int32_t i = 0; i < (int32_t)n;) {
        UChar32 c;
        U8_NEXT(b, i, (int32_t)n, c);
        if (c < 0)
            return -1;
    }
    long cells = 0;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t start = o;
        if (b[i] == '"') {
            for (i++; i < n; i++) {
                if (b[i] == '"' && (i + 1 >= n || b[i + 1] != '"'))
                    break;
                if (b[i] == '"')
                    i++;
                out[o++] = b[i];
            }
            i++;
        }
        for (; i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r'; i++)
            out[o++] = b[i];
        out[o++] = 0;
        cells++;
        int64_t v = 0;
        int digits = 1;
        for (size_t k = start; out[k] && digits; k++)
            if (out[k] >= '0' && out[k] <= '9')
                v = v * 10 + (out[k] - '0');
            else if (out[k] != '.' && out[k] != '-')
                digits = 0;
        if (digits)
            *sum += v;
        while (i < n && (b[i] == '\r' || b[i] == '\n' || b[i] == ','))
            if (b[i++] == ',')
                break;
    }
    return cells;
}

static int floor_load(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    double t0 = cpu_ms();
    long cells = 0;
    int64_t sum = 0;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name), n;
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *b = slurp(path, &n), *out = b ? malloc(n + 1) : NULL;
        long c = out ? load_one(b, n, out, &sum) : -1;
        free(b);
        free(out);
        if (c < 0)
            return 1;
        cells += c;
    }
    if (d)
        closedir(d);
    printf("floor: load %.1f ms CPU (%ld cells)\n", cpu_ms() - t0, cells);
    return sum == -1; /* the sum is used: nothing optimised away */
}

static int floor_deflate(const char *pdf, int level)
{
    size_t n;
    char *b = slurp(pdf, &n);
    if (!b)
        return 1;
    struct libdeflate_decompressor *dz = libdeflate_alloc_decompressor();
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(level);
    char **raw = NULL;
    size_t *rawlen = NULL, nraw = 0, total = 0;
    for (char *p = b; (p = memmem(p, n - (size_t)(p - b), "stream\r\n", 8)); p++) {
        char *s = p + 8, *e = memmem(s, n - (size_t)(s - b), "endstream", 9);
        if (!e)
            break;
        for (size_t cap = 1 << 16; cap < (1 << 28); cap *= 4) {
            char *o = malloc(cap);
            size_t got;
            enum libdeflate_result r = libdeflate_zlib_decompress(dz, s, (size_t)(e - s), o, cap, &got);
            if (r == LIBDEFLATE_SUCCESS) {
                raw = realloc(raw, (nraw + 1) * sizeof *raw);
                rawlen = realloc(rawlen, (nraw + 1) * sizeof *rawlen);
                raw[nraw] = o;
                rawlen[nraw++] = got;
                total += got;
                break;
            }
            free(o);
            if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
                break;
        }
        p = e;
    }
    double t0 = cpu_ms();
    size_t out = 0, cap = 0;
    char *buf = NULL;
    for (size_t i = 0; i < nraw; i++) {
        size_t bound = libdeflate_zlib_compress_bound(z, rawlen[i]);
        if (bound > cap)
            buf = realloc(buf, cap = bound);
        out += libdeflate_zlib_compress(z, raw[i], rawlen[i], buf, bound);
    }
    printf("floor: deflate %.1f ms CPU (%zu streams, %zu -> %zu bytes)\n", cpu_ms() - t0, nraw, total, out);
    for (size_t i = 0; i < nraw; i++)
        free(raw[i]);
    free(raw);
    free(rawlen);
    free(buf);
    free(b);
    libdeflate_free_compressor(z);
    libdeflate_free_decompressor(dz);
    return 0;
}

static int floor_thbrk(void)
{
    double best = 1e18;
    for (int i = 0; i < 5; i++) {
        double t0 = cpu_ms();
        ThBrk *b = th_brk_new(NULL);
        if (!b)
            return 1;
        th_brk_delete(b);
        double t = cpu_ms() - t0;
        best = t < best ? t : best;
    }
    printf("floor: thbrk %.1f ms CPU (libthai's dictionary opened and closed, best of 5)\n", best);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "load"))
        return floor_load(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "deflate"))
        return floor_deflate(argv[2], argc > 3 ? atoi(argv[3]) : 4);
    if (argc >= 2 && !strcmp(argv[1], "thbrk"))
        return floor_thbrk();
    if (argc >= 2 && !strcmp(argv[1], "start"))
        return 0;
    fprintf(stderr, "usage: bench_floor load DIR | deflate PDF [LEVEL] | thbrk | start\n");
    return 2;
}
