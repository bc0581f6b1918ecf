/* archive_extend: `khet archive --extend ROUND`: a filed round's signed
 * documents made PAdES B-LT and B-LTA (sign_extend: a DSS with the
 * certificates and CRLs, and a document time-stamp, as one incremental
 * update each), recorded in the ledger as extensions (ledger_ext.c).
 *
 * Owns: the checks before anything is touched (a TSA, CRLs, a signed
 * round whose ledger and files hold), the write-once folder opened for the
 * operation alone (0555 -> 0755 -> 0555, the files 0444 again, under the
 * archive's lock), and the step that replaces the files and commits the
 * ledger together (any failure puts every original back: each is a prefix
 * of its extended file). */
#include "archive.h"
#include "archive_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger.h"
#include "sign.h"
#include "sysio.h"
#include "util.h"

typedef struct {
    const archive_opts *o;
    diag_ctx *d;
    ledger *l;
    ledger_round *r;
    int nr;
    ledger_extension *ext;
    int next;
    const ledger_round *round;
    char *dir;
    char **path;
    char **old, **neu;
    size_t *oldlen, *neulen;
    ledger_extension *add;
    int nadd;
} ext_ctx;

/* What --extend needs before anything is read: a TSA and CRLs. */
static sign_crls *needs(const archive_opts *o, diag_ctx *d)
{
    if (!o->tsa)
        diag_add(d, DIAG_ERROR, "--extend", 0, 0,
                 "needs --tsa URL: the document time-stamp (PAdES B-LTA) comes from an RFC 3161 time-stamp "
                 "authority");
    else if (strncmp(o->tsa, "http://", 7) && strncmp(o->tsa, "https://", 8))
        diag_add(d, DIAG_ERROR, "--tsa", 0, 0, "'%s' is not an http:// or https:// URL of a time-stamp authority",
                 o->tsa);
    sign_crls *c = sign_crls_load(o->crls, o->ncrls, o->trust, d);
    if (c && !sign_crls_count(c)) {
        diag_add(d, DIAG_ERROR, "--extend", 0, 0,
                 "needs the certificate revocation lists (PAdES B-LT): --crl FILE for each CA (repeatable), or a "
                 "--trust folder that holds them beside its CA certificates");
        sign_crls_free(c);
        c = NULL;
    }
    if (diag_errors(d)) {
        sign_crls_free(c);
        return NULL;
    }
    return c;
}

/* The round, and a ledger that holds: chain, triggers, extensions. */
static int find(ext_ctx *c)
{
    const char *lp = c->o->archive_dir;
    if (!(c->l = ledger_open(lp, 0, c->d)) || ledger_check_triggers(c->l, c->d) != 0 ||
        ledger_load(c->l, &c->r, &c->nr, c->d) != 0 || ledger_load_extensions(c->l, &c->ext, &c->next, c->d) < 0)
        return -1;
    for (int i = 0; i < c->nr; i++)
        if (!strcmp(c->r[i].round, c->o->extend))
            c->round = &c->r[i];
    if (ledger_check(c->r, c->nr, lp, c->d) != 0 || ledger_check_extensions(c->ext, c->next, c->r, c->nr, lp, c->d) != 0) {
        diag_add(c->d, DIAG_ERROR, lp, 0, 0, "the ledger does not verify (see above): run khet verify; nothing extended");
        return -1;
    }
    if (!c->round)
        diag_add(c->d, DIAG_ERROR, "--extend", 0, 0, "round %s is not in the ledger of %s", c->o->extend, lp);
    else if (strcmp(c->round->seal, "pades"))
        diag_add(c->d, DIAG_ERROR, "--extend", 0, 0,
                 "round %s is sealed by checksums only: it has no signature to extend", c->o->extend);
    return diag_errors(c->d) ? -1 : 0;
}

/* Each document read (as the ledger has it now) and extended in memory. */
static int extend_docs(ext_ctx *c, const sign_crls *crls, const sign_trust *trust)
{
    int n = c->round->ndocuments;
    c->dir = util_path_join(c->o->archive_dir, c->round->round);
    c->path = calloc((size_t)n + 1, sizeof *c->path);
    c->old = calloc((size_t)n + 1, sizeof *c->old);
    c->neu = calloc((size_t)n + 1, sizeof *c->neu);
    c->oldlen = calloc((size_t)n + 1, sizeof *c->oldlen);
    c->neulen = calloc((size_t)n + 1, sizeof *c->neulen);
    c->add = calloc((size_t)n + 1, sizeof *c->add);
    if (!c->dir || !c->path || !c->old || !c->neu || !c->oldlen || !c->neulen || !c->add) {
        diag_add(c->d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const ledger_file *f = &c->round->documents[i];
        char h[65], stamped[32] = "";
        const char *want = ledger_current_sha256(c->ext, c->next, c->round->round, f->file, f->sha256);
        if (!(c->path[i] = util_path_join(c->dir, f->file)) ||
            util_read_file(c->path[i], UTIL_LIMIT_DATA, &c->old[i], &c->oldlen[i]) != 0) {
            diag_add(c->d, c->path[i] && util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM,
                     c->path[i] ? c->path[i] : f->file, 0, 0, "cannot read: %s", util_strerror(errno));
            return -1;
        }
        archive_sha256_hex((unsigned char *)c->old[i], c->oldlen[i], h);
        if (strcmp(h, want)) {
            diag_add(c->d, DIAG_ERROR, c->path[i], 0, 0,
                     "its SHA-256 is not the ledger's (changed after filing): run khet verify; nothing extended");
            return -1;
        }
        if (sign_extend((unsigned char *)c->old[i], c->oldlen[i], c->o->tsa, crls, trust, c->path[i],
                        (unsigned char **)&c->neu[i], &c->neulen[i], stamped, c->d) != 0)
            return -1;
        ledger_extension *e = &c->add[c->nadd++];
        char nh[65];
        archive_sha256_hex((unsigned char *)c->neu[i], c->neulen[i], nh);
        e->round = util_strdup(c->round->round), e->file = util_strdup(f->file);
        e->before_sha256 = util_strdup(h), e->before_bytes = (int64_t)c->oldlen[i];
        e->sha256 = util_strdup(nh), e->bytes = (int64_t)c->neulen[i];
        e->stamped = util_strdup(stamped), e->round_hash = util_strdup(c->round->row_hash);
        if (!e->round || !e->file || !e->before_sha256 || !e->sha256 || !e->stamped || !e->round_hash) {
            diag_add(c->d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
            return -1;
        }
    }
    return 0;
}

/* Writes the documents (bytes v, lengths n), each read-only again. */
static int write_all(ext_ctx *c, char **v, const size_t *n, int count)
{
    for (int i = 0; i < count; i++)
        if (util_write_file_atomic(c->path[i], v[i], n[i]) != 0 || chmod(c->path[i], 0444) != 0) {
            diag_add(c->d, DIAG_SYSTEM, c->path[i], 0, 0, "cannot write the extended document: %s",
                     util_strerror(errno));
            return i + 1;
        }
    return 0;
}

/* The folder opened for writing (owner only) for this step alone, the
 * files replaced and the ledger committed; on any failure the originals
 * go back and the ledger forgets the extension. */
static int replace(ext_ctx *c)
{
    int n = c->round->ndocuments, rc = -1;
    if (chmod(c->dir, 0755) != 0) {
        diag_add(c->d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, c->dir, 0, 0,
                 "cannot open the write-once round folder for the extension: %s%s", util_strerror(errno),
                 errno == EPERM ? " (immutable? chattr -i it for the extension, then chattr +i again)" : "");
        return -1;
    }
    if (ledger_append_extensions(c->l, c->add, c->nadd, c->d) == 0) {
        int done = write_all(c, c->neu, c->neulen, n);
        if (!done && ledger_commit(c->l, c->d) == 0)
            rc = 0;
        else {
            write_all(c, c->old, c->oldlen, done ? done : n); /* each original back, as it was */
            ledger_rollback(c->l);
        }
    }
    if (chmod(c->dir, 0555) != 0)
        diag_add(c->d, DIAG_WARNING, c->dir, 0, 0, "cannot be made read-only again: %s", util_strerror(errno));
    return rc;
}

static void ctx_free(ext_ctx *c)
{
    int n = c->round ? c->round->ndocuments : 0;
    for (int i = 0; i < n; i++) {
        free(c->path ? c->path[i] : NULL);
        free(c->old ? c->old[i] : NULL);
        free(c->neu ? c->neu[i] : NULL);
    }
    free(c->path), free(c->old), free(c->neu), free(c->oldlen), free(c->neulen);
    ledger_extensions_free(c->add, n);
    ledger_extensions_free(c->ext, c->next);
    ledger_rounds_free(c->r, c->nr);
    ledger_close(c->l);
    free(c->dir);
}

int archive_extend(const archive_opts *o, diag_ctx *d)
{
    ext_ctx c = {.o = o, .d = d};
    sign_crls *crls = needs(o, d);
    sign_trust *trust = crls && o->trust ? sign_trust_load(o->trust, d) : NULL;
    int lock = -1, rc = -1;
    if (crls && (!o->trust || trust) && (lock = archive_lock(o->archive_dir, d)) >= 0 && find(&c) == 0 &&
        extend_docs(&c, crls, trust) == 0 && replace(&c) == 0) {
        rc = 0;
        for (int i = 0; i < c.round->ndocuments; i++)
            printf("%s\n", c.path[i]);
        fprintf(stderr, "khet: %s extended: %d documents PAdES B-LTA (validation data and a document time-stamp of %s)\n",
                c.round->round, c.round->ndocuments, c.nadd ? c.add[0].stamped : "?");
    }
    if (lock >= 0)
        sysio()->close(lock);
    ctx_free(&c);
    sign_trust_free(trust);
    sign_crls_free(crls);
    return rc;
}
