/* archive_stage: a round signed in stages (`khet archive --stage`, then
 * `khet archive --countersign ROUND`): the preparer signs today, the
 * checker and the approver later, each with their own key.
 *
 * Owns: a staged round's waiting documents, ARCHIVE/.pending-ID (outside
 * the ledger; each signer's signature an incremental update of its own),
 * the checks before a later signer signs (the documents are the round
 * rendered again from their embedded sources, byte for byte before the
 * first signature; those who signed are the sign-off's first signers, in
 * order; the next signers follow in order), and filing the round once the
 * last has signed, as `khet archive` files a round signed at once. */
#include "archive.h"
#include "archive_int.h"
#include "archive_sign.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anchor.h"
#include "audit.h"
#include "ledger.h"
#include "pdfa.h"
#include "sign.h"
#include "sysio.h"
#include "util.h"

#define MAX_DOCS 64

typedef struct {
    char *file;
    unsigned char *bytes; /* as waiting, signed by the first signers */
    size_t len;
    sign_info si;
    unsigned char *out; /* with the new signatures */
    size_t outlen;
} waiting_doc;

typedef struct {
    const archive_opts *o;
    diag_ctx *d;
    char *pending, *stage, *final, *tmp;
    waiting_doc docs[MAX_DOCS];
    int ndocs, nsigned;
    char *head; /* the ledger head the documents carry */
    round_build rb;
} stage_ctx;

/* SCHEME/PERIOD-rN: one slash, no dot-dot, no leading slash. */
static int round_id_ok(const char *id)
{
    const char *slash = strchr(id, '/');
    return id[0] && id[0] != '/' && id[0] != '.' && slash && !strchr(slash + 1, '/') && slash[1] && slash[1] != '.' &&
           !strstr(id, "..");
}

/* The waiting documents, each with its signatures checked. */
static int read_waiting(stage_ctx *c)
{
    int n;
    char **names = audit_list_all(c->pending, &n);
    if (!names) {
        diag_add(c->d, DIAG_ERROR, c->pending, 0, 0,
                 "round %s is not waiting for signatures in %s (it was not staged with --stage, or is filed already)",
                 c->o->countersign, c->o->archive_dir);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        char *path = util_path_join(c->pending, names[i]);
        struct stat st;
        size_t l = strlen(names[i]);
        if (!path || c->ndocs == MAX_DOCS || l < 5 || strcmp(names[i] + l - 4, ".pdf") ||
            lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            diag_add(c->d, DIAG_ERROR, path ? path : names[i], 0, 0, "not a document of the staged round");
            rc = -1;
        } else {
            waiting_doc *w = &c->docs[c->ndocs++];
            char *bytes = NULL;
            w->file = util_strdup(names[i]);
            if (!w->file || util_read_file(path, UTIL_LIMIT_DATA, &bytes, &w->len) != 0) {
                diag_add(c->d, DIAG_SYSTEM, path, 0, 0, "cannot read: %s", util_strerror(errno));
                rc = -1;
            }
            w->bytes = (unsigned char *)bytes;
            if (!rc && sign_check(w->bytes, w->len, path, NULL, &w->si, c->d) < 0)
                rc = -1;
        }
        free(path);
    }
    archive_free_list(names, n);
    if (!rc && c->ndocs == 0) {
        diag_add(c->d, DIAG_ERROR, c->pending, 0, 0, "no documents wait here");
        rc = -1;
    }
    for (int i = 1; !rc && i < c->ndocs; i++)
        if (c->docs[i].si.n != c->docs[0].si.n) {
            diag_add(c->d, DIAG_ERROR, c->pending, 0, 0, "%s is signed %d times, %s %d times: not one round's documents",
                     c->docs[0].file, c->docs[0].si.n, c->docs[i].file, c->docs[i].si.n);
            rc = -1;
        }
    c->nsigned = rc ? 0 : c->docs[0].si.n;
    return rc;
}

/* The round built again from the sources the documents carry: it must give
 * each waiting document's bytes before its first signature. */
static int rebuild(stage_ctx *c)
{
    const waiting_doc *w0 = &c->docs[0];
    pdfa_embedded *e = NULL;
    int ne = pdfa_read_sources(w0->bytes, w0->si.unsigned_len, w0->file, &e, c->d);
    const char *base = getenv("TMPDIR");
    char *tmpl = util_format("%s/khet-countersign-XXXXXX", base && *base ? base : "/tmp");
    c->tmp = tmpl && ne >= 0 ? sysio()->mkdtemp(tmpl) : NULL;
    if (!c->tmp)
        free(tmpl);
    c->head = pdfa_ledger_head(w0->bytes, w0->si.unsigned_len);
    char *data = c->tmp ? util_path_join(c->tmp, "data") : NULL, *sch = c->tmp ? util_path_join(c->tmp, "scheme") : NULL;
    char *so = c->tmp ? util_path_join(c->tmp, "signoff.csv") : NULL;
    char *opts = c->tmp ? util_path_join(c->tmp, "options.ini") : NULL;
    int rc = -1;
    c->rb.ledger_head = c->head;
    if (ne < 0)
        ; /* reported */
    else if (!c->tmp || !data || !sch || !so || !opts || !c->head || archive_write_sources(c->tmp, e, ne) != 0)
        diag_add(c->d, DIAG_SYSTEM, w0->file, 0, 0, "cannot write the round's embedded sources to a temporary folder");
    else if (archive_build_round(data, sch, c->tmp, so, c->o->font_dir, NULL, opts, c->tmp, &c->rb, c->d) == 0)
        rc = 0;
    for (int i = 0; !rc && i < c->ndocs; i++) {
        const waiting_doc *w = &c->docs[i];
        const built_doc *b = NULL;
        for (int k = 0; k < c->rb.ndocs; k++)
            if (!strcmp(c->rb.docs[k].file, w->file))
                b = &c->rb.docs[k];
        if (!b || b->len != w->si.unsigned_len || memcmp(b->pdf, w->bytes, b->len)) {
            diag_add(c->d, DIAG_ERROR, w->file, 0, 0,
                     "is not what its embedded sources render to (changed since it was staged, or staged by another "
                     "khet): the signers sign only what the first one signed");
            rc = -1;
        }
    }
    if (!rc && c->rb.ndocs != c->ndocs) {
        diag_add(c->d, DIAG_ERROR, c->pending, 0, 0, "the round has %d documents, %d wait here", c->rb.ndocs, c->ndocs);
        rc = -1;
    }
    pdfa_sources_free(e, ne > 0 ? ne : 0);
    free(data);
    free(sch);
    free(so);
    free(opts);
    return rc;
}

/* Those who signed are the sign-off's first signers, in its order. */
static int signed_in_order(stage_ctx *c)
{
    const signoff *so = c->rb.so;
    for (int i = 0; i < c->ndocs; i++)
        for (int k = 0; k < c->nsigned; k++)
            if (k >= so->nsigners || strcmp(c->docs[i].si.sig[k].field, signoff_role_th(so->signers[k].role))) {
                diag_add(c->d, DIAG_ERROR, c->docs[i].file, 0, 0,
                         "its signature %d is in the field %s, not the sign-off's %s", k + 1,
                         c->docs[i].si.sig[k].field, k < so->nsigners ? signoff_role_th(so->signers[k].role) : "-");
                return -1;
            }
    if (c->nsigned < 1 || c->nsigned >= so->nsigners) {
        diag_add(c->d, DIAG_ERROR, c->pending, 0, 0, "the documents are signed %d times: nothing for --countersign",
                 c->nsigned);
        return -1;
    }
    return 0;
}

/* Writes every signed document into dir, read-only. */
static int write_docs(stage_ctx *c, const char *dir)
{
    for (int i = 0; i < c->ndocs; i++) {
        char *path = util_path_join(dir, c->docs[i].file);
        int rc = path ? util_write_file_atomic(path, c->docs[i].out, c->docs[i].outlen) : -1;
        if (!rc && chmod(path, 0444) != 0)
            rc = -1;
        if (rc)
            diag_add(c->d, DIAG_SYSTEM, path ? path : c->docs[i].file, 0, 0, "cannot write: %s", strerror(errno));
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}

/* The last signer has signed: the round is filed as khet archive files one. */
static int file_now(stage_ctx *c, const sign_key *approver)
{
    const char *archive = c->o->archive_dir;
    ledger *l = ledger_open(archive, 1, c->d);
    ledger_round rec = {0};
    char *now = l ? ledger_head(l) : NULL;
    int have = l ? ledger_has_round(l, c->rb.so->id) : -1, rc = -1;
    sign_info si;
    char fpr[SIGN_MAX * 65 + 1] = "";
    if (!l)
        ; /* reported */
    else if (have != 0 || !now)
        diag_add(c->d, have > 0 ? DIAG_ERROR : DIAG_SYSTEM, archive, 0, 0,
                 have > 0 ? "round %s is filed already" : "cannot read the ledger (round %s)", c->rb.so->id);
    else if (strcmp(now, c->head))
        diag_add(c->d, DIAG_ERROR, c->pending, 0, 0,
                 "the ledger has moved on since round %s was staged (another round was filed in between), and its "
                 "documents carry the ledger's head of then: stage it again",
                 c->rb.so->id);
    else if (sign_check(c->docs[0].out, c->docs[0].outlen, c->docs[0].file, NULL, &si, c->d) > 0)
        rc = 0;
    for (int i = 0; !rc && i < si.n; i++) /* the ledger's cert_sha256: every signature's, in order */
        snprintf(fpr + strlen(fpr), sizeof fpr - strlen(fpr), "%s%s", i ? " " : "", si.sig[i].fpr);
    unsigned char *bytes[MAX_DOCS];
    size_t lens[MAX_DOCS];
    for (int i = 0; i < c->ndocs; i++) { /* in the order the round renders them */
        for (int k = 0; k < c->ndocs; k++)
            if (!strcmp(c->docs[k].file, c->rb.docs[i].file))
                bytes[i] = c->docs[k].out, lens[i] = c->docs[k].outlen;
    }
    if (!rc) {
        archive_remove_flat(c->stage);
        rc = sysio()->mkdir(c->stage, 0755) != 0 || write_docs(c, c->stage) != 0 ||
                     archive_fill_record(&rec, &c->rb, (const unsigned char *const *)bytes, lens, fpr,
                                         c->o->font_dir, c->d) != 0 ||
                     archive_file_round(l, &rec, c->stage, c->final, archive, c->rb.so->scheme, c->d) != 0
                 ? -1
                 : 0;
        if (rc)
            archive_remove_flat(c->stage);
    }
    int count = !rc ? ledger_count(l) : 0;
    if (!rc && (count < 1 || anchor_write(archive, &rec, count, approver, c->o->tsa, c->d) != 0))
        diag_add(c->d, DIAG_SYSTEM, archive, 0, 0, "round %s is filed, but the ledger's signed head is not",
                 c->rb.so->id);
    if (!rc) {
        archive_remove_flat(c->pending);
        for (int i = 0; i < c->ndocs; i++)
            printf("%s/%s\n", c->final, c->rb.docs[i].file);
        fprintf(stderr, "khet: the ledger's head is now %s (%d rounds): keep this line outside the archive\n",
                rec.row_hash, count);
    }
    ledger_round_clear(&rec);
    free(now);
    ledger_close(l);
    return rc;
}

/* The next signers sign every document; 0, or -1. */
static int countersign(stage_ctx *c)
{
    const archive_opts *o = c->o;
    archive_signer *order[SIGNOFF_MAX_SIGNERS];
    const sign_key *keys[SIGNOFF_MAX_SIGNERS];
    time_t when;
    int m = 0;
    if (sign_time_now(&when, c->d) != 0 ||
        archive_load_signers(c->rb.so, c->pending, o->signers, o->nsigners, when, o->pass_fd, c->nsigned, 1, order,
                             c->d) != 0)
        return -1;
    for (int i = c->nsigned; i < c->rb.so->nsigners && order[i]; i++)
        keys[m++] = order[i]->key;
    char *font = archive_sign_font(o->font_dir, c->rb.font);
    for (int i = 0; i < c->ndocs; i++) {
        const built_doc *b = NULL;
        for (int k = 0; k < c->rb.ndocs; k++)
            if (!strcmp(c->rb.docs[k].file, c->docs[i].file))
                b = &c->rb.docs[k];
        if (!b || archive_sign_doc(c->rb.so, b, c->docs[i].bytes, c->docs[i].len, keys, c->nsigned, m, 0, when, o->tsa,
                                   font, archive_thai_digits(&c->rb), &c->docs[i].out, &c->docs[i].outlen,
                                   c->d) != 0) {
            free(font);
            return -1;
        }
    }
    free(font);
    if (c->nsigned + m == c->rb.so->nsigners)
        return file_now(c, keys[m - 1]);
    if (write_docs(c, c->pending) != 0)
        return -1;
    for (int i = 0; i < c->ndocs; i++)
        printf("%s/%s\n", c->pending, c->docs[i].file);
    archive_say_waiting(c->rb.so, c->nsigned + m);
    return 0;
}

int archive_countersign(const archive_opts *o, diag_ctx *d)
{
    stage_ctx c = {.o = o, .d = d};
    int rc = -1, lock = -1;
    if (!round_id_ok(o->countersign)) {
        diag_add(d, DIAG_ERROR, "--countersign", 0, 0, "'%s' is not a round (SCHEME/PERIOD-rN)", o->countersign);
        return -1;
    }
    c.pending = archive_side_dir(o->archive_dir, ".pending-", o->countersign);
    c.stage = archive_side_dir(o->archive_dir, ".staging-", o->countersign);
    c.final = util_path_join(o->archive_dir, o->countersign);
    if (!c.pending || !c.stage || !c.final)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    else if ((lock = archive_lock(o->archive_dir, d)) >= 0 && read_waiting(&c) == 0 && rebuild(&c) == 0 &&
             signed_in_order(&c) == 0)
        rc = countersign(&c);
    for (int i = 0; i < c.ndocs; i++) {
        free(c.docs[i].file);
        free(c.docs[i].bytes);
        free(c.docs[i].out);
    }
    for (int i = 0; i < o->nsigners; i++) { /* the keys; the paths are the caller's */
        sign_key_free(o->signers[i].key);
        o->signers[i].key = NULL;
    }
    archive_build_free(&c.rb);
    if (c.tmp) {
        archive_remove_sources(c.tmp);
        free(c.tmp);
    }
    free(c.head);
    free(c.pending);
    free(c.stage);
    free(c.final);
    if (lock >= 0)
        sysio()->close(lock);
    return rc;
}
