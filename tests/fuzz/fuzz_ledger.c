/* libFuzzer target: the ledger reader on a corrupt SQLite file. The bytes
 * become ARCHIVE/ledger.sqlite and the ledger is opened read-only the way
 * khet verify and khet history open it (schema check, rounds, hash chain,
 * triggers). Any file must be refused with a message or read, never a
 * crash, a hang or a leak. Seeds: a real one-round ledger, VACUUMed to
 * 512-byte pages so that it fits the fuzzer's input size. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ledger.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64]; /* fuzzer-only state: the archive folder, made once */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/khet-fuzz-ledger-%ld", (long)getpid());
        util_mkdirs(dir);
    }
    char *path = util_path_join(dir, "ledger.sqlite");
    FILE *f = path ? fopen(path, "wb") : NULL;
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    diag_ctx *d = diag_new();
    ledger *l = ledger_open(dir, 0, d);
    ledger_round *r = NULL;
    int n = 0;
    if (l && ledger_load(l, &r, &n, d) == 0) {
        ledger_check(r, n, path, d);
        ledger_check_triggers(l, d);
        for (int i = 0; i < n; i++)
            free(ledger_round_json(&r[i], 1));
        ledger_rounds_free(r, n);
    }
    ledger_close(l);
    diag_free(d);
    unlink(path); /* SQLite's journal, if any, goes with it */
    char *journal = util_format("%s-journal", path);
    if (journal)
        unlink(journal);
    free(journal);
    free(path);
    return 0;
}
