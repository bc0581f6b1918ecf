/* verify: `khet verify`, and the ledger checks `khet history` and the
 * monthly handout make before believing the ledger (see archive.h).
 *
 * Owns: the walk over the archive (every name, dot-files and links
 * included), each round's documents (checksum, signatures, the ledger head
 * they carry, embedded sources), the re-render and re-score from those
 * sources, and the ledger-level checks (chain, triggers, signed head,
 * signers' keys) through ledger, anchor and audit. */
#include "archive.h"
#include "archive_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
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
#include "version.h"

typedef struct {
    const char *archive;
    diag_ctx *d;
    int bad;
    int allow_unsigned;
    const char *ledger_path;
    const sign_trust *trust; /* --trust, or NULL */
    char signer[1600];       /* the round being checked: its signers (role and subject) */
    int trusted;             /* ... and whether all its chains reached --trust */
    int stamped;             /* ... and whether every signature has a valid time-stamp (PAdES B-T) */
    int *round_trusted;      /* per round, for the signers' continuity */
    const ledger_extension *ext; /* the ledger's extensions (archive --extend) */
    int next;
    int ltv;                 /* ... and whether every document holds a DSS and a document time-stamp (B-LTA) */
    char ltv_time[32];       /* ... the last document time-stamp's time */
} vctx;

static void fail(vctx *v, const char *file, const char *fmt, const char *a, const char *b)
{
    diag_add(v->d, DIAG_ERROR, file, 0, 0, fmt, a, b);
    v->bad++;
}

static const ledger_round *find_round(const ledger_round *r, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(r[i].round, id))
            return &r[i];
    return NULL;
}

/* What may sit at the archive's top beside the scheme folders. */
static int archive_own(const char *name)
{
    return !strcmp(name, "ledger.sqlite") || !strcmp(name, "ledger.sqlite-journal") || !strcmp(name, "ledger.head") ||
           !strcmp(name, "ledger.sqlite-wal") || !strcmp(name, "ledger.sqlite-shm") || !strcmp(name, ".lock");
}

static int is_dir(const char *dir, const char *name)
{
    char *p = util_path_join(dir, name);
    struct stat st;
    int yes = p && lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return yes;
}

/* Folders and files on disk that the ledger does not know, dot-files and
 * links included (nothing an insider adds may hide). */
static void check_tree(vctx *v, const ledger_round *r, int n)
{
    int nt;
    char **top = audit_list_all(v->archive, &nt);
    if (!top)
        fail(v, v->archive, "%s%scannot read the archive folder", "", "");
    for (int i = 0; top && i < nt; i++) {
        char *sdir = util_path_join(v->archive, top[i]);
        if (archive_own(top[i]))
            ;
        else if (!strncmp(top[i], ".pending-", 9) && is_dir(v->archive, top[i]))
            diag_add(v->d, DIAG_NOTE, sdir ? sdir : top[i], 0, 0,
                     "a round signed in part, waiting for its other signers (not filed: khet archive --countersign)");
        else if (top[i][0] == '.' || !is_dir(v->archive, top[i]))
            fail(v, sdir ? sdir : top[i], "%s%snot part of the archive (added after filing)", "", "");
        else {
            int nr;
            char **rounds = sdir ? audit_list_all(sdir, &nr) : NULL;
            if (!rounds) { /* its mode, or memory: nothing in it could be checked */
                int e = sdir ? errno : ENOMEM;
                diag_add(v->d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, sdir ? sdir : top[i], 0, 0,
                         "cannot read the scheme folder: %s", util_strerror(e));
                v->bad++;
            }
            for (int k = 0; rounds && k < nr; k++) {
                char *id = util_format("%s/%s", top[i], rounds[k]), *p = util_path_join(sdir, rounds[k]);
                if (rounds[k][0] == '.' || !is_dir(sdir, rounds[k]))
                    fail(v, p ? p : rounds[k], "%s%snot part of the archive (added after filing)", "", "");
                else if (id && !find_round(r, n, id))
                    fail(v, p ? p : rounds[k],
                         "%s%sa round folder the ledger does not know (added after filing, or its record removed)", "",
                         "");
                free(id);
                free(p);
            }
            if (rounds)
                archive_free_list(rounds, nr);
        }
        free(sdir);
    }
    archive_free_list(top, nt); /* nt is 0 when there is no list */
}

/* The embedded sources of one document against the ledger's list. */
static int check_sources(vctx *v, const ledger_round *r, const char *path, const pdfa_embedded *e, int n)
{
    int bad = n != r->nsources;
    if (n != r->nsources)
        fail(v, path, "%s%sthe embedded sources are not the ones filed in the ledger", "", "");
    for (int i = 0; i < n; i++) {
        char h[65];
        archive_sha256_hex(e[i].file.data, e[i].file.len, h);
        const ledger_file *f = NULL;
        for (int k = 0; k < r->nsources; k++)
            if (!strcmp(r->sources[k].file, e[i].file.name))
                f = &r->sources[k];
        if (!e[i].md5_ok || !f || strcmp(f->sha256, h)) {
            fail(v, path, "embedded source %s%s does not match its checksum", e[i].file.name,
                 !e[i].md5_ok ? " (/CheckSum)" : " (ledger SHA-256)");
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

int archive_write_sources(const char *tmp, const pdfa_embedded *e, int n)
{
    for (int i = 0; i < n; i++) {
        const char *name = e[i].file.name;
        if (name[0] == '/' || !strcmp(name, "..") || !strncmp(name, "../", 3) || strstr(name, "/../") ||
            (strlen(name) >= 3 && !strcmp(name + strlen(name) - 3, "/..")))
            return -1; /* "a..b.csv" is a name like any other */
        char *path = util_path_join(tmp, name), *slash = path ? strrchr(path, '/') : NULL;
        int rc = -1;
        if (slash) {
            *slash = 0;
            rc = util_mkdirs(path);
            *slash = '/';
        }
        if (!rc)
            rc = util_write_file_atomic(path, e[i].file.data, e[i].file.len);
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}

void archive_remove_sources(const char *tmp)
{
    static const char *const subs[] = {"data", "scheme", "reports"};
    for (int i = 0; i < 3; i++) {
        char *p = util_path_join(tmp, subs[i]);
        if (p)
            archive_remove_flat(p);
        free(p);
    }
    archive_remove_flat(tmp);
}

/* Says that a round filed by another khet renders to other bytes today:
 * not tampering (its checksums, signatures and chain were checked), but
 * the byte-for-byte check needs the khet that filed it. */
static void needs_version(const ledger_round *r, int ndiffer)
{
    const char *v = r->khet_version ? r->khet_version : KHET_VERSION_UNRECORDED;
    printf("%s: filed by khet %s: this khet (%s) writes %d of its documents in other bytes (compression, number "
           "formatting, glyph codes, page layout), so the re-render check needs khet %s. ",
           r->round, v, KHET_VERSION, ndiffer, v);
    if (!strcmp(v, "0.1.0"))
        printf("Build it from khet's git history: git worktree add /tmp/khet-0.1.0 %s && make -C /tmp/khet-0.1.0, "
               "then /tmp/khet-0.1.0/build/khet verify\n",
               KHET_COMMIT_0_1_0);
    else
        printf("Build it from the commit of khet's git history whose src/version.h says %s (git log -S'\"%s\"' -- "
               "src/version.h), then run its verify\n",
               v, v);
}

/* A verify's scratch folder, TMPDIR/khet-verify-PID-XXXXXX: one whose
 * process is gone (killed mid-run) is removed by the next verify. */
#define VERIFY_TMP "khet-verify-"

static void clean_stale_verify(const char *base)
{
    DIR *dh = opendir(base);
    for (struct dirent *e; dh && (e = readdir(dh));) {
        char *end;
        if (strncmp(e->d_name, VERIFY_TMP, strlen(VERIFY_TMP)))
            continue;
        /* digits only (strtol would take a sign or spaces): never a process
         * group (-N) that kill would ask about; 0, this process's group, is
         * never gone */
        const char *num = e->d_name + strlen(VERIFY_TMP);
        if (!isdigit((unsigned char)*num))
            continue;
        long pid = strtol(num, &end, 10);
        if (*end != '-' || !(kill((pid_t)pid, 0) != 0 && errno == ESRCH))
            continue;
        char *p = util_path_join(base, e->d_name);
        struct stat st;
        if (p && lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid())
            util_remove_tree(p);
        free(p);
    }
    if (dh)
        closedir(dh);
}

/* Renders the round again from the sources embedded in its documents and
 * compares each document with the archived one before its signature. */
/* Why a re-render may differ: each font or library that is not what the
 * round was filed with, or that they all are. */
static void explain_rerender(vctx *v, const ledger_round *r, const char *font_dir, const char *font)
{
    ledger_env *here = NULL;
    int n = 0;
    diag_ctx *quiet = diag_new();
    if (!r->nenvironment)
        diag_add(v->d, DIAG_NOTE, r->round, 0, 0, "the round records no fonts or library versions (filed by an older khet)");
    else if (quiet && audit_environment(font_dir, font ? font : "Laksaman", &here, &n, quiet) == 0 &&
             audit_compare_environment(r, here, n, v->d) == 0)
        diag_add(v->d, DIAG_NOTE, r->round, 0, 0,
                 "the fonts and library versions are those the round was filed with: the documents or their "
                 "sources were changed");
    audit_env_free(here, n);
    diag_free(quiet);
}

/* Returns how many differ in a round filed by another version of khet. */
static int rerender(vctx *v, const ledger_round *r, const pdfa_embedded *e, int n, unsigned char **docs,
                     const size_t *unsigned_len, const char *font_dir)
{
    const char *base = getenv("TMPDIR");
    base = base && *base ? base : "/tmp";
    clean_stale_verify(base);
    char *tmpl = util_format("%s/" VERIFY_TMP "%ld-XXXXXX", base, (long)getpid());
    const char *tmp = tmpl ? sysio()->mkdtemp(tmpl) : NULL;
    round_build rb = {.ledger_head = r->prev_hash};
    int differs = 0;
    char *data = tmp ? util_path_join(tmp, "data") : NULL, *sch = tmp ? util_path_join(tmp, "scheme") : NULL;
    char *so = tmp ? util_path_join(tmp, "signoff.csv") : NULL, *opts = tmp ? util_path_join(tmp, "options.ini") : NULL;
    diag_ctx *quiet = diag_new();
    int other = strcmp(r->khet_version ? r->khet_version : KHET_VERSION_UNRECORDED, KHET_VERSION) != 0, older = 0;
    if (!tmp || !data || !sch || !so || !quiet || archive_write_sources(tmp, e, n) != 0) {
        diag_add(v->d, DIAG_SYSTEM, r->round, 0, 0, "cannot write the embedded sources to a temporary folder");
        v->bad++;
    } else if (archive_build_round(data, sch, tmp, so, font_dir, NULL, opts, tmp, &rb, quiet) != 0) {
        diag_print(quiet, stderr);
        fail(v, r->round, "%s%sthe embedded sources do not render again (see the messages above)", "", "");
    } else {
        /* re-scored from what the signers signed: the ledger's figures must be these */
        ledger_result *fresh = NULL;
        int nfresh = 0;
        if (audit_results_of(rb.res, rb.ds, rb.sch, &fresh, &nfresh) != 0) {
            diag_add(v->d, DIAG_SYSTEM, r->round, 0, 0, "out of memory");
            v->bad++;
        } else {
            /* another khet may score by other rules (exact bands, a region too
             * small to grade): its differences are that version's to judge */
            int differ = audit_compare_results(r, fresh, nfresh, v->ledger_path, other ? quiet : v->d);
            if (other && differ > 0)
                diag_add(v->d, DIAG_WARNING, v->ledger_path, 0, 0,
                         "round %s: %d province(s) score differently from its sources under this khet's rules "
                         "(%s); it was filed by khet %s, which the re-score check needs too",
                         r->round, differ, KHET_VERSION, r->khet_version ? r->khet_version : KHET_VERSION_UNRECORDED);
            else
                v->bad += differ;
        }
        audit_results_free(fresh, nfresh);
        for (int i = 0; i < r->ndocuments; i++) {
            const built_doc *b = NULL;
            for (int k = 0; k < rb.ndocs; k++)
                if (!strcmp(rb.docs[k].file, r->documents[i].file))
                    b = &rb.docs[k];
            char *path = util_format("%s/%s/%s", v->archive, r->round, r->documents[i].file);
            if (!docs[i])
                ;
            else if (!b)
                fail(v, path, "%s%sthe embedded sources no longer produce this document", "", "");
            else if ((b->len != unsigned_len[i] || memcmp(b->pdf, docs[i], b->len)) && other)
                older++;
            else if (b->len != unsigned_len[i] || memcmp(b->pdf, docs[i], b->len)) {
                fail(v, path, "%s%srendering the embedded sources again does not give the same bytes", "", "");
                differs = 1;
            }
            free(path);
        }
        if (differs)
            explain_rerender(v, r, font_dir, rb.font);
        if (rb.ndocs != r->ndocuments)
            fail(v, r->round, "%s%sthe embedded sources produce a different set of documents", "", "");
    }
    archive_build_free(&rb);
    diag_free(quiet);
    if (tmp)
        archive_remove_sources(tmp);
    free(tmpl);
    free(data);
    free(sch);
    free(so);
    free(opts);
    return older;
}

/* The signers of a document, "ROLE SUBJECT; ..." (one signature: its
 * subject). */
static void name_signers(const sign_info *si, char *out, size_t n)
{
    size_t at = 0;
    out[0] = 0;
    for (int i = 0; i < si->n && at < n; i++) {
        const sign_one *g = &si->sig[i];
        int w = si->n == 1 ? snprintf(out, n, "%s", g->subject)
                           : snprintf(out + at, n - at, "%s%s %s", i ? "; " : "", g->field, g->subject);
        at += w > 0 ? (size_t)w : 0;
        if (g->stamped[0] && at < n) /* PAdES B-T: the TSA's time, not the signer's word */
            w = snprintf(out + at, n - at, " (time-stamped %s)", g->stamped);
        at += w > 0 && g->stamped[0] ? (size_t)w : 0;
    }
}

/* A signed round's document: signed by exactly the certificates the
 * ledger records, in its order, each in the field of its role. */
static void check_signers(vctx *v, const ledger_round *r, const sign_info *si, const char *path)
{
    char got[SIGN_MAX * 65 + 1] = "";
    for (int i = 0; i < si->n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, si->sig[i].fpr);
    }
    int want = 1;
    for (const char *p = r->cert_sha256; *p; p++)
        want += *p == ' ';
    if (si->n == 0)
        fail(v, path, "%s%snot signed, but the ledger records a signed round", "", "");
    else if (si->n != want) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", si->n);
        snprintf(b, sizeof b, "%d", want);
        fail(v, path, "signed %s times, but the ledger records %s signatures", a, b);
    } else if (strcmp(got, r->cert_sha256))
        fail(v, path, "%s%snot signed with the certificates the ledger records (a signature replaced or re-made)",
             "", "");
    for (int i = 0; want > 1 && si->n == want && i < si->n && i < r->nsigners; i++)
        if (strcmp(si->sig[i].field, r->signers[i].role))
            fail(v, path, "the signature in field %s stands where the ledger has %s's", si->sig[i].field,
                 r->signers[i].role);
}

/* Whether a file starts as a PDF does: "%PDF-" within its first 1,024
 * bytes (where readers look for it, as qpdf does). */
static int has_pdf_header(const unsigned char *b, size_t len)
{
    for (size_t i = 0; i + 5 <= len && i < 1024; i++)
        if (b[i] == '%' && !memcmp(b + i, "%PDF-", 5))
            return 1;
    return 0;
}

/* One document: its checksum, its signature and its embedded sources. The
 * bytes are kept in *doc for the re-render (NULL when unusable). */
static void check_document(vctx *v, const ledger_round *r, const ledger_file *f, unsigned char **doc,
                           size_t *unsigned_len, pdfa_embedded **src, int *nsrc)
{
    char *path = util_format("%s/%s/%s", v->archive, r->round, f->file), *bytes = NULL, h[65];
    sign_info si;
    size_t len = 0;
    struct stat st;
    if (!path || sysio()->lstat(path, &st) != 0 || S_ISLNK(st.st_mode) ||
        util_read_file(path, UTIL_LIMIT_DATA, &bytes, &len) != 0) {
        int e = path ? errno : ENOMEM;
        if (path && S_ISLNK(st.st_mode))
            fail(v, path, "%s%sa symbolic link in place of the filed document", "", "");
        else if (e == ENOENT)
            fail(v, path, "%s%smissing (filed in the ledger, now gone)", "", "");
        else if (!util_input_errno(e)) { /* memory, I/O: no evidence either way */
            diag_add(v->d, DIAG_SYSTEM, path ? path : f->file, 0, 0, "cannot read: %s", util_strerror(e));
            v->bad++;
        } else
            fail(v, path, "cannot read, not the filed document: %s%s", util_strerror(e), "");
        free(path);
        return;
    }
    archive_sha256_hex((unsigned char *)bytes, len, h);
    const char *want = ledger_current_sha256(v->ext, v->next, r->round, f->file, f->sha256);
    if (strcmp(h, want)) {
        fail(v, path, "its SHA-256 differs from the ledger's (changed after %s%s)",
             want == f->sha256 ? "filing" : "its extension", "");
        if (!has_pdf_header((unsigned char *)bytes, len)) {
            /* not a PDF at all (a file of zeros, another kind of file): said
             * so, and not handed to qpdf, whose repair of a damaged file
             * scans every byte of it three times over (a second for 60 MB) */
            fail(v, path, "%s%snot a PDF document (no %%PDF- header in its first 1,024 bytes)", "", "");
            *doc = (unsigned char *)bytes;
            *unsigned_len = len;
            *nsrc = -1;
            free(path);
            return;
        }
    } else if (want != f->sha256) { /* extended: the revision filed is still its first f->bytes bytes */
        archive_sha256_hex((unsigned char *)bytes, f->bytes >= 0 && (size_t)f->bytes < len ? (size_t)f->bytes : len, h);
        if (strcmp(h, f->sha256))
            fail(v, path, "%s%sits first revision is not the document filed (the original hash)", "", "");
    }
    int nsig = sign_check((unsigned char *)bytes, len, path, v->trust, &si, v->d);
    if (nsig >= 0) {
        v->ltv &= si.dss == 1 && si.nts > 0;
        if (si.nts)
            snprintf(v->ltv_time, sizeof v->ltv_time, "%s", si.ts[si.nts - 1].stamped);
    }
    *unsigned_len = si.unsigned_len;
    if (nsig > 0) { /* the round's signers, named once, and whether every document's chain was trusted */
        if (!v->signer[0])
            name_signers(&si, v->signer, sizeof v->signer);
        v->trusted = v->trusted && si.trusted == 1;
        for (int k = 0; k < si.n; k++)
            v->stamped &= *si.sig[k].stamped != 0; /* the time-stamp's time, "" when none */
    }
    if (nsig < 0)
        v->bad++;
    else if (!strcmp(r->seal, "pades"))
        check_signers(v, r, &si, path);
    else if (nsig > 0)
        fail(v, path, "%s%ssigned, but the ledger says the round was sealed by checksums only", "", "");
    char *head = pdfa_ledger_head((unsigned char *)bytes, *unsigned_len);
    if (!head && r->khet_version) /* khet 0.1.0 wrote none */
        fail(v, path, "%s%scarries no ledger head (the hash of the ledger before its round)", "", "");
    else if (head && strcmp(head, r->prev_hash))
        fail(v, path,
             "%s%scarries a ledger head that is not the ledger's before this round: the rounds before it were "
             "edited and re-hashed, removed or re-filed (ledger rewritten)",
             "", "");
    free(head);
    int n = pdfa_read_sources((unsigned char *)bytes, *unsigned_len, path, src, v->d);
    if (n < 0)
        v->bad++;
    *nsrc = n;
    if (n >= 0 && check_sources(v, r, path, *src, n) != 0) {
        pdfa_sources_free(*src, n);
        *src = NULL;
        *nsrc = -1;
    }
    *doc = (unsigned char *)bytes;
    free(path);
}

/* A filed round's mode on disk: its folder 0555, its documents 0444 (as
 * filed: write-once). Writable by others (every user of the machine) is a
 * failure: anyone could change the filed round. Any other difference (the
 * owner's or the group's write bit back, read bits changed) is a warning:
 * the owner and root can always chmod, so the mode guards against
 * accidents, not insiders; the checksums and signatures prove the content
 * either way. */
static void check_mode(vctx *v, const char *path, mode_t want)
{
    struct stat st;
    if (!path || lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
        return; /* missing or a link: named by the other checks */
    mode_t m = st.st_mode & 07777;
    char got[8], should[8];
    snprintf(got, sizeof got, "%04o", (unsigned)m);
    snprintf(should, sizeof should, "%04o", (unsigned)want);
    if (m & S_IWOTH)
        fail(v, path, "mode %s, not %s as filed: writable by every user of the machine, any of whom could change "
                      "the filed round (chmod it back)", got, should);
    else if (m != want)
        diag_add(v->d, DIAG_WARNING, path, 0, 0,
                 "mode %s, not %s as filed: the write-once guard was lifted by its owner (chmod %s it back); the "
                 "checksums and signatures, not the mode, prove the content",
                 got, should, should);
}

/* What a round's documents hold, in PAdES terms. */
static const char *level_of(const vctx *v, int pades, char *buf, size_t n)
{
    if (!pades)
        return "sealed by checksums only (not signed)";
    const char *sig = v->trust ? "signatures valid and trusted" : "signatures valid";
    if (v->ltv && v->stamped)
        snprintf(buf, n, "%s, time-stamped, validation data and a document time-stamp of %s (PAdES B-LTA)",
                 sig, v->ltv_time);
    else if (v->ltv) /* PAdES B-LT builds on B-T: these signatures have no time-stamps of their own */
        snprintf(buf, n, "%s, validation data and a document time-stamp of %s (not PAdES B-LT: the signatures carry "
                         "no time-stamps)",
                 sig, v->ltv_time);
    else if (v->stamped)
        snprintf(buf, n, "%s, time-stamped (PAdES B-T)", sig);
    else
        snprintf(buf, n, "%s", sig);
    return buf;
}

static void verify_round(vctx *v, const ledger_round *r, int index, const char *font_dir)
{
    int before = v->bad, nx;
    v->signer[0] = 0;
    v->trusted = 1;
    v->stamped = 1;
    v->ltv = 1;
    v->ltv_time[0] = 0;
    char *dir = util_path_join(v->archive, r->round);
    char **files = dir ? audit_list_all(dir, &nx) : NULL;
    if (!files)
        fail(v, dir ? dir : r->round, "%s%sthe round's folder is missing", "", "");
    if (strcmp(r->seal, "pades")) {
        diag_add(v->d, v->allow_unsigned ? DIAG_WARNING : DIAG_ERROR, v->ledger_path, 0, 0,
                 "round %s is not signed (sealed by checksums only): nobody's signature vouches for it%s", r->round,
                 v->allow_unsigned ? "" : " (unsigned round; --allow-unsigned accepts it with a warning)");
        v->bad += !v->allow_unsigned;
    }
    if (files)
        check_mode(v, dir, 0555);
    for (int i = 0; files && i < nx; i++) {
        int known = 0;
        for (int k = 0; k < r->ndocuments; k++)
            known |= !strcmp(files[i], r->documents[k].file);
        char *p = util_path_join(dir, files[i]);
        if (!known)
            fail(v, p, "%s%snot part of the filed round (added after filing)", "", "");
        else
            check_mode(v, p, 0444);
        free(p);
    }
    unsigned char **docs = calloc((size_t)r->ndocuments + 1, sizeof *docs);
    size_t *ulen = calloc((size_t)r->ndocuments + 1, sizeof *ulen);
    pdfa_embedded *src = NULL;
    int nsrc = -1;
    for (int i = 0; docs && ulen && i < r->ndocuments; i++) {
        pdfa_embedded *s = NULL;
        int n = -1;
        check_document(v, r, &r->documents[i], &docs[i], &ulen[i], &s, &n);
        if (n >= 0 && !src) {
            src = s;
            nsrc = n;
        } else {
            pdfa_sources_free(s, n > 0 ? n : 0);
        }
    }
    int older = 0;
    if (src && docs && ulen)
        older = rerender(v, r, src, nsrc, docs, ulen, font_dir);
    else if (docs && ulen)
        fail(v, r->round, "%s%sno document carries sources that match the ledger: cannot render again", "", "");
    int pades = !strcmp(r->seal, "pades");
    char level[200];
    if (v->round_trusted)
        v->round_trusted[index] = pades && v->trust && v->trusted && v->signer[0];
    if (pades && v->signer[0])
        printf("%s: signed by %s; %s\n", r->round, v->signer,
               !v->trust ? "no --trust given: whether to trust this certificate is the auditor's call"
               : v->trusted ? "its chain reaches --trust" : "its chain does NOT reach --trust");
    if (v->bad == before)
        printf("%s: %d documents hold: checksums, %s, embedded sources, %s, the ledger's figures when scored "
               "again\n",
               r->round, r->ndocuments, level_of(v, pades, level, sizeof level),
               older ? "they render again (in another khet's bytes)" : "same bytes when rendered again");
    if (v->bad == before && older)
        needs_version(r, older);
    for (int i = 0; docs && i < r->ndocuments; i++)
        free(docs[i]);
    free(docs);
    free(ulen);
    pdfa_sources_free(src, nsrc > 0 ? nsrc : 0);
    archive_free_list(files, files ? nx : 0);
    free(dir);
}

/* ------------------------------------------------------------------ */
/* The last signed-off month, for the monthly handout                  */

/* The chain, the triggers and the signed head: what must hold before any
 * figure of the ledger is believed. */
static int ledger_holds(ledger *l, const char *archive_dir, const char *lpath, const ledger_round *r, int n,
                        int allow_unsigned, diag_ctx *d)
{
    int chain = ledger_check(r, n, lpath, d), trig = ledger_check_triggers(l, d);
    int head = anchor_check(archive_dir, r, n, allow_unsigned, d), keys = audit_signers(r, n, lpath, NULL, NULL, d);
    if (chain < 0 || trig < 0 || head < 0)
        return -1;
    return chain + trig + head + keys;
}


int archive_last_month(const char *archive_dir, const char *scheme, int region, reader_date before,
                       report_signed_month *out, diag_ctx *d)
{
    memset(out, 0, sizeof *out);
    char *path = util_path_join(archive_dir, "ledger.sqlite"), want[16];
    int have = path && access(path, F_OK) == 0;
    free(path);
    if (!have)
        return 0;
    ledger *l = ledger_open(archive_dir, 0, d);
    ledger_round *r = NULL;
    int n = 0, best = -1;
    if (!l || ledger_load(l, &r, &n, d) != 0) {
        ledger_close(l);
        return -1;
    }
    char *lpath = util_path_join(archive_dir, "ledger.sqlite");
    int holds = lpath ? ledger_holds(l, archive_dir, lpath, r, n, 1, d) : -1;
    free(lpath);
    if (holds != 0) {
        if (holds > 0)
            diag_add(d, DIAG_ERROR, archive_dir, 0, 0,
                     "the archive's ledger does not verify (see above): the monthly handout does not compare with "
                     "grades that may be forged; run khet verify --archive %s",
                     archive_dir);
        ledger_rounds_free(r, n);
        ledger_close(l);
        return -1;
    }
    snprintf(want, sizeof want, "%04d-%02d", before.year + 543, before.month);
    for (int i = 0; i < n; i++) /* a month before, latest period, latest round */
        if (!strcmp(r[i].scheme, scheme) && r[i].region == region && strlen(r[i].period) == 7 &&
            strcmp(r[i].period, want) < 0 &&
            (best < 0 || strcmp(r[i].period, r[best].period) > 0 ||
             (!strcmp(r[i].period, r[best].period) && r[i].round_no > r[best].round_no)))
            best = i;
    int rc = 0;
    if (best >= 0) {
        const ledger_round *b = &r[best];
        out->round = util_strdup(b->round);
        out->month = (reader_date){atoi(b->period) - 543, atoi(b->period + 5), 0};
        out->codes = calloc((size_t)b->nresults + 1, sizeof *out->codes);
        out->grades = calloc((size_t)b->nresults + 1, sizeof *out->grades);
        for (int i = 0; out->codes && out->grades && i < b->nresults; i++, out->n++)
            if (!(out->codes[i] = util_strdup(b->results[i].code)) ||
                !(out->grades[i] = util_strdup(b->results[i].grade)))
                rc = -1;
        if (rc || !out->round || !out->codes || !out->grades) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
            rc = -1;
        } else {
            rc = 1;
        }
    }
    ledger_rounds_free(r, n);
    ledger_close(l);
    return rc;
}

void archive_month_free(report_signed_month *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->codes[i]);
        free(s->grades[i]);
    }
    free(s->codes);
    free(s->grades);
    free((char *)s->round);
    memset(s, 0, sizeof *s);
}

int archive_ledger_holds(const char *archive_dir, diag_ctx *d)
{
    ledger *l = ledger_open(archive_dir, 0, d);
    ledger_round *r = NULL;
    int n = 0;
    if (!l || ledger_load(l, &r, &n, d) != 0) {
        ledger_close(l);
        return -1;
    }
    char *lpath = util_path_join(archive_dir, "ledger.sqlite");
    int bad = lpath ? ledger_holds(l, archive_dir, lpath, r, n, 1, d) : -1;
    free(lpath);
    ledger_rounds_free(r, n);
    ledger_close(l);
    return bad;
}

static int round_was_trusted(void *user, int index)
{
    const vctx *v = user;
    return v->round_trusted[index];
}

int archive_verify(const verify_opts *o, diag_ctx *d)
{
    const char *archive_dir = o->archive_dir, *round = o->round;
    ledger *l = ledger_open(archive_dir, 0, d);
    ledger_round *r = NULL;
    int n = 0;
    if (!l || ledger_load(l, &r, &n, d) != 0) {
        ledger_close(l);
        return -1;
    }
    char *lpath = util_path_join(archive_dir, "ledger.sqlite");
    vctx v = {archive_dir, d, 0, o->allow_unsigned, lpath ? lpath : archive_dir, NULL, "", 1, 1, NULL, NULL, 0, 1, ""};
    ledger_extension *ext = NULL;
    if (ledger_load_extensions(l, &ext, &v.next, d) < 0) {
        free(lpath);
        ledger_rounds_free(r, n);
        ledger_close(l);
        return -1;
    }
    v.ext = ext;
    sign_trust *trust = NULL;
    if (o->trust && !(trust = sign_trust_load(o->trust, d))) {
        ledger_extensions_free(ext, v.next);
        free(lpath);
        ledger_rounds_free(r, n);
        ledger_close(l);
        return -1;
    }
    v.trust = trust;
    v.round_trusted = calloc((size_t)n + 1, sizeof *v.round_trusted);
    int chain = ledger_check(r, n, v.ledger_path, d);
    v.bad += chain != 0;
    if (chain == 0)
        printf("ledger: %d rounds, hash chain intact\n", n);
    int echain = ledger_check_extensions(ext, v.next, r, n, v.ledger_path, d);
    v.bad += echain != 0;
    if (echain == 0 && v.next)
        printf("ledger: %d document extensions (archive --extend), hash chain intact\n", v.next);
    int more = ledger_check_triggers(l, d);
    v.bad += more != 0;
    more = anchor_check(archive_dir, r, n, o->allow_unsigned, d);
    v.bad += more != 0;
    const ledger_round *only = round ? find_round(r, n, round) : NULL;
    if (round && !only)
        fail(&v, v.ledger_path, "round %s%s is not in the ledger", round, "");
    if (!round)
        check_tree(&v, r, n);
    for (int i = 0; i < n; i++)
        if (!round || &r[i] == only)
            verify_round(&v, &r[i], i, o->font_dir);
    /* after the rounds: a changed key is accepted when its chain reached --trust */
    v.bad += audit_signers(r, n, v.ledger_path, trust && v.round_trusted && !round ? round_was_trusted : NULL,
                           &v, d);
    free(v.round_trusted);
    ledger_extensions_free(ext, v.next);
    sign_trust_free(trust);
    free(lpath);
    ledger_rounds_free(r, n);
    ledger_close(l);
    return v.bad ? -1 : 0;
}
