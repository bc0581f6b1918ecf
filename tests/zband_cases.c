/* Runs khet's band decisions (src/zband.c) on regions read from stdin, one a
 * line, for tests/zband_sweep.py to compare with bands it computes itself in
 * Python's exact fractions. A line:
 *
 *   SAMPLE K_X10000 LOWER NBANDS {OP BOUND_X10000}... N {KIND NUM DEN}...
 *
 * OP: 0 '>', 1 '>=', 2 'otherwise'; KIND: 0 no value, 1 NUM/DEN, 2 the square
 * root of NUM/DEN (ebitda_sd). Prints, per line, "SD_DEFINED BAND..." with
 * -1 for a province without a band. Exit 2 on a line it cannot read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zband.h"
#include "zband_fixture.h"

static int read_ll(FILE *in, long long *v) { return fscanf(in, "%lld", v) == 1; }

int main(void)
{
    long long sample, k, lower, nb;
    int line = 0;
    while (read_ll(stdin, &sample)) {
        line++;
        if (!read_ll(stdin, &k) || !read_ll(stdin, &lower) || !read_ll(stdin, &nb) || nb < 1 || nb > 16) {
            fprintf(stderr, "zband_cases: line %d: bad header\n", line);
            return 2;
        }
        band_def bands[16];
        memset(bands, 0, sizeof bands);
        for (long long b = 0; b < nb; b++) {
            long long op, bound;
            if (!read_ll(stdin, &op) || !read_ll(stdin, &bound)) {
                fprintf(stderr, "zband_cases: line %d: bad band\n", line);
                return 2;
            }
            bands[b].otherwise = op == 2;
            bands[b].strict = op == 0;
            bands[b].bound_x10000 = bound;
            bands[b].share_bp = 10000 - 2500 * b;
        }
        long long n;
        if (!read_ll(stdin, &n) || n < 0 || n > 1000) {
            fprintf(stderr, "zband_cases: line %d: bad count\n", line);
            return 2;
        }
        zb_value *v = calloc((size_t)n + 1, sizeof *v);
        zb_decision *dec = calloc((size_t)n + 1, sizeof *dec);
        if (!v || !dec)
            return 1;
        for (long long i = 0; i < n; i++) {
            long long kind, num, den;
            mpq_init(v[i].q);
            if (!read_ll(stdin, &kind) || !read_ll(stdin, &num) || !read_ll(stdin, &den) || den <= 0) {
                fprintf(stderr, "zband_cases: line %d: bad value %lld\n", line, i + 1);
                return 2;
            }
            v[i].has = kind != 0;
            v[i].root = kind == 2;
            mpq_set_si(v[i].q, (long)num, (unsigned long)den);
            mpq_canonicalize(v[i].q);
        }
        scheme s = zband_scheme(bands, (size_t)nb); /* too few provinces for the SD: no band */
        s.sd_sample = (int)sample;
        s.band_k_x10000 = k;
        criterion_def c = zband_criterion(RULE_ZBAND, lower != 0);
        zb_stats st;
        if (zband_decide(&s, &c, v, (size_t)n, &st, dec))
            return 1;
        printf("%d", st.sd_defined);
        for (long long i = 0; i < n; i++) {
            printf(" %d", dec[i].band);
            mpq_clear(v[i].q);
        }
        putchar('\n');
        free(v);
        free(dec);
    }
    return ferror(stdout) ? 1 : 0;
}
