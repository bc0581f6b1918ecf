/* libFuzzer target: the sign-off reader (signoff.c over reader.c's CSV).
 * The bytes are written as a sign-off file and loaded: any input must give
 * a sign-off or diagnostics, never a crash, a leak or an overflow (a
 * repeated round row, a period of any shape, too many signers, dates
 * out of order). Run from the source tree. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "signoff.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64]; /* fuzzer-only state: the file's name, made once */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/khet-fuzz-signoff-%ld.csv", (long)getpid());
    FILE *f = fopen(path, "wb"); /* plain stdio: an atomic write's fsync would slow the fuzzer */
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    diag_ctx *d = diag_new();
    signoff *s = signoff_load(path, d);
    if (s && (!s->id || !s->scheme || !s->period || s->nsigners < 1))
        abort(); /* a sign-off that loads is whole */
    signoff_free(s);
    diag_free(d);
    return 0;
}
