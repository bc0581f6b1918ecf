#include "anchor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define HEAD_FILE "ledger.head"
#define PEM_MARK "-----BEGIN CMS-----"

/* What the head says, as text: the same lines signed and compared. */
static char *head_text(const ledger_round *last, int nrounds)
{
    return util_format("khet ledger head\nrounds: %d\nlast: %s\nhead: %s\n", nrounds, last->round, last->row_hash);
}

int anchor_write(const char *archive_dir, const ledger_round *last, int nrounds, const sign_key *key, const char *tsa,
                 diag_ctx *d)
{
    char *path = util_path_join(archive_dir, HEAD_FILE), *text = head_text(last, nrounds);
    char *body = text && key ? sign_blob(key, text, strlen(text), tsa, path ? path : HEAD_FILE, d) : text;
    int rc = -1;
    if (!path || !body) {
        if (!diag_errors(d))
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    } else if (util_write_file_atomic(path, body, strlen(body)) != 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write the ledger's head: %s", strerror(errno));
    } else {
        rc = 0;
    }
    if (body != text)
        free(body);
    free(text);
    free(path);
    return rc;
}

/* Reads "key: value" of the head's text into out (at most n bytes). */
static int field(const char *text, const char *key, char *out, size_t n)
{
    char pat[16];
    snprintf(pat, sizeof pat, "\n%s: ", key);
    const char *p = strstr(text, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    size_t len = strcspn(p, "\n");
    if (len >= n)
        return -1;
    memcpy(out, p, len);
    out[len] = 0;
    return 0;
}

/* The head's content against the ledger's last round. */
static int compare(const char *path, const char *text, const ledger_round *r, int n, diag_ctx *d)
{
    char rounds[16], last[512], head[80];
    if (strncmp(text, "khet ledger head\n", 17) || field(text, "rounds", rounds, sizeof rounds) ||
        field(text, "last", last, sizeof last) || field(text, "head", head, sizeof head)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a khet ledger head");
        return 1;
    }
    const ledger_round *end = n ? &r[n - 1] : NULL;
    if (atoi(rounds) == n && end && !strcmp(last, end->round) && !strcmp(head, end->row_hash))
        return 0;
    if (atoi(rounds) > n)
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "the signed head names %s rounds ending at %s, but the ledger has %d ending at %s: the last "
                 "round was removed (missing last round)",
                 rounds, last, n, end ? end->round : "none");
    else
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "the signed head names %s rounds ending at %s (hash %.16s...), but the ledger has %d ending at %s "
                 "(hash %.16s...): the ledger was changed after its last filing",
                 rounds, last, head, n, end ? end->round : "none", end ? end->row_hash : "");
    return 1;
}

int anchor_check(const char *archive_dir, const ledger_round *r, int n, int allow_unsigned, diag_ctx *d)
{
    char *path = util_path_join(archive_dir, HEAD_FILE), *bytes = NULL, *text = NULL, fpr[65] = "";
    size_t len = 0;
    int bad = 0;
    if (!path)
        return -1;
    if (util_read_file(path, 1 << 20, &bytes, &len) != 0) {
        if (errno == ENOENT && n > 0 && !r[n - 1].khet_version) { /* before 0.2.0 recorded versions */
            diag_add(d, DIAG_NOTE, path, 0, 0,
                     "none: the last round (%s) was filed by khet 0.1.0, before khet signed the ledger's head; only "
                     "the hash chain and the documents vouch for the ledger",
                     r[n - 1].round);
            free(path);
            return 0;
        }
        if (errno == ENOENT)
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "missing: nothing vouches for the ledger's last round (the signed head was removed, or the "
                     "archive was filed by an older khet)");
        else
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        free(path);
        return 1;
    }
    int is_signed = len >= strlen(PEM_MARK) && !strncmp(bytes, PEM_MARK, strlen(PEM_MARK));
    if (is_signed) {
        text = sign_blob_open(bytes, len, fpr, path, d);
        bad = !text;
    } else if (memchr(bytes, 0, len)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a khet ledger head");
        bad = 1;
    } else {
        text = bytes;
        bytes = NULL;
    }
    if (text)
        bad |= compare(path, text, r, n, d);
    const ledger_round *end = n ? &r[n - 1] : NULL;
    if (!bad && is_signed && end && strcmp(fpr, ledger_last_cert(end))) {
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "the head is signed by a certificate (SHA-256 %.16s...) that did not sign the last round %s", fpr,
                 end->round);
        bad = 1;
    }
    if (!bad && !is_signed) {
        diag_add(d, allow_unsigned ? DIAG_WARNING : DIAG_ERROR, path, 0, 0,
                 "the ledger's head is not signed (its last round was filed without a key): nothing but the "
                 "checksums vouches for the ledger%s",
                 allow_unsigned ? "" : " (--allow-unsigned accepts that with a warning)");
        bad = !allow_unsigned;
    }
    free(text);
    free(bytes);
    free(path);
    return bad;
}
