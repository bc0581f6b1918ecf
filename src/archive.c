#include "archive.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datafolder.h"
#include "guard.h"
#include "ledger.h"
#include "model.h"
#include "pdfa.h"
#include "reports.h"
#include "scoring.h"
#include "settings.h"
#include "sign.h"
#include "signoff.h"
#include "sysio.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void sha256_hex(const unsigned char *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int n = 32;
    out[0] = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) == 1)
        for (int i = 0; i < 32; i++)
            snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The names in a folder (no dot files), sorted: its folders, or everything
 * else (files, and links, FIFOs or devices, so that verify names them
 * instead of passing over them). Links are not followed. */
static char **list_dir(const char *dir, int want_dirs, int *n)
{
    DIR *dh = sysio()->opendir(dir);
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    if (!dh)
        return NULL;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = util_path_join(dir, e->d_name);
        struct stat st;
        int ok = path && lstat(path, &st) == 0 && !want_dirs == !S_ISDIR(st.st_mode);
        free(path);
        if (!ok)
            continue;
        if (util_grow((void **)&v, &cap, (size_t)*n + 2, sizeof *v) || !(v[*n] = util_strdup(e->d_name)))
            break;
        (*n)++;
    }
    closedir(dh);
    if (!v && !(v = calloc(1, sizeof *v)))
        return NULL;
    qsort(v, (size_t)*n, sizeof *v, by_str);
    return v;
}

static void free_list(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* ------------------------------------------------------------------ */
/* A round's inputs                                                    */

typedef struct {
    pdfa_source *v;
    int n;
    size_t cap;
} sources;

static void sources_free(sources *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].data);
    }
    free(s->v);
}

static int add_source(sources *s, const char *name, const char *path, diag_ctx *d)
{
    char *data = NULL;
    size_t len = 0;
    if (util_read_file(path, UTIL_LIMIT_DATA, &data, &len) != 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", util_strerror(errno));
        return -1;
    }
    if (util_grow((void **)&s->v, &s->cap, (size_t)s->n + 1, sizeof *s->v) ||
        !(s->v[s->n].name = util_strdup(name))) {
        free(data);
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
        return -1;
    }
    s->v[s->n].data = (unsigned char *)data;
    s->v[s->n++].len = len;
    return 0;
}

/* What a folder contributes to a round's evidence (README, "carrying its
 * evidence"): the data and scheme folders their CSV and INI files, the
 * report templates also their Markdown and word lists. */
typedef enum { FOLDER_DATA, FOLDER_SCHEME, FOLDER_REPORTS } folder_kind;

static int embeds(folder_kind k, const char *name)
{
    return ends_with(name, ".csv") || ends_with(name, ".ini") ||
           (k == FOLDER_REPORTS && (ends_with(name, ".md") || ends_with(name, ".txt")));
}

/* Every file of dir of the kinds the folder embeds, as PREFIX/NAME; any
 * other file (notes, backups) is left out and named in a note, so that
 * nothing is published in the PDFs unawares. data/README.md describes the
 * data and goes without a word. */
static int add_folder(sources *s, const char *dir, const char *prefix, folder_kind kind, diag_ctx *d)
{
    int n, rc = 0;
    char **names = list_dir(dir, 0, &n);
    if (!names) {
        diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot read the folder");
        return -1;
    }
    for (int i = 0; i < n && !rc; i++) {
        char *path = util_path_join(dir, names[i]);
        if (!path) {
            rc = -1;
        } else if (!util_utf8_valid(names[i], strlen(names[i]))) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "the file name is not UTF-8: a round names its sources as text in the PDFs and the ledger; "
                     "rename it (or move it out of the folder)");
            rc = -1;
        } else if (!embeds(kind, names[i])) {
            if (kind != FOLDER_DATA || strcmp(names[i], "README.md"))
                diag_add(d, DIAG_NOTE, path, 0, 0,
                         "not embedded in the documents: a round carries its folders' CSV and INI files only");
        } else {
            char *name = util_format("%s/%s", prefix, names[i]);
            rc = name ? add_source(s, name, path, d) : -1;
            free(name);
        }
        free(path);
    }
    free_list(names, n);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Rendering a round                                                   */

typedef struct {
    char *file;
    unsigned char *pdf; /* finished PDF/A, before any signature */
    size_t len;
} built_doc;

typedef struct {
    signoff *so;
    dataset *ds;
    scheme *sch;
    score_result *res;
    sources src;
    built_doc docs[64];
    int ndocs;
    char *font;
    int thai_digits;
} round_build;

static void build_free(round_build *rb)
{
    for (int i = 0; i < rb->ndocs; i++) {
        free(rb->docs[i].file);
        free(rb->docs[i].pdf);
    }
    score_result_free(rb->res);
    scheme_free(rb->sch);
    datafolder_free(rb->ds);
    signoff_free(rb->so);
    sources_free(&rb->src);
    free(rb->font);
}

static int on_setting(void *user, const char *name, const char *value, int line)
{
    (void)line;
    round_build *rb = user;
    if (!strcmp(name, "font")) {
        free(rb->font);
        rb->font = util_strdup(value);
    } else if (!strcmp(name, "thai_digits")) {
        rb->thai_digits = !strcmp(value, "yes");
    } else {
        return SETTING_UNKNOWN;
    }
    return SETTING_OK;
}

/* The scheme, data and sign-off must name the same round. */
static int same_round(const round_build *rb, const char *signoff_path, diag_ctx *d)
{
    if (strcmp(rb->so->scheme, rb->sch->name)) {
        diag_add(d, DIAG_ERROR, signoff_path, 0, 0, "the sign-off is for scheme %s, but --scheme is %s",
                 rb->so->scheme, rb->sch->name);
        return -1;
    }
    if (rb->so->fiscal_year != rb->ds->fiscal_year || rb->sch->fiscal_year != rb->ds->fiscal_year) {
        diag_add(d, DIAG_ERROR, signoff_path, 0, 0,
                 "the sign-off's period (fiscal year %d) is not the data's fiscal year %d", rb->so->fiscal_year,
                 rb->ds->fiscal_year);
        return -1;
    }
    return 0;
}

static int render_one(round_build *rb, const char *name, report_data rd, const report_opts *ro, const char *work,
                      const char *file, diag_ctx *d)
{
    char *raw = util_format("%s/.%s.raw", work, file);
    char *bytes = NULL;
    size_t len = 0;
    int rc = -1;
    if (raw && report_render(name, &rd, ro, raw, d) == 0 && util_read_file(raw, UTIL_LIMIT_DATA, &bytes, &len) == 0) {
        built_doc *b = &rb->docs[rb->ndocs];
        if ((b->file = util_strdup(file)) &&
            pdfa_finish((unsigned char *)bytes, len, rb->src.v, rb->src.n, rb->so->date, file, &b->pdf, &b->len, d) ==
                0) {
            rb->ndocs++;
            rc = 0;
        } else {
            free(b->file);
            b->file = NULL;
        }
    }
    if (raw)
        sysio()->unlink(raw);
    free(raw);
    free(bytes);
    return rc;
}

/* Loads, scores and renders a round's documents as final PDF/A into rb
 * (work: a folder for libharu's temporary files). */
static int build_round(const char *data_dir, const char *scheme_dir, const char *templates_dir,
                       const char *signoff_path, const char *font_dir, const char *font, const char *work,
                       round_build *rb, diag_ctx *d)
{
    char *reports = util_path_join(templates_dir, "reports"), *settings = util_path_join(reports, "settings.ini");
    int rc = reports && settings ? 0 : -1;
    if (!rc && (!(rb->so = signoff_load(signoff_path, d)) || !(rb->ds = datafolder_load(data_dir, NULL, d)) ||
                !(rb->sch = scheme_load(scheme_dir, d)) || same_round(rb, signoff_path, d) != 0))
        rc = -1;
    if (!rc && (add_folder(&rb->src, data_dir, "data", FOLDER_DATA, d) ||
                add_folder(&rb->src, scheme_dir, "scheme", FOLDER_SCHEME, d) ||
                add_folder(&rb->src, reports, "reports", FOLDER_REPORTS, d) || add_source(&rb->src, "signoff.csv", signoff_path, d)))
        rc = -1;
    if (!rc && access(settings, R_OK) == 0 && settings_parse(settings, "reports", on_setting, rb, d) != 0)
        rc = -1;
    int upto = -1;
    if (!rc && rb->so->month.year && (upto = model_fiscal_month(rb->ds->fiscal_year, rb->so->month)) < 0) {
        diag_add(d, DIAG_ERROR, signoff_path, 0, 0, "the period is outside the data's fiscal year");
        rc = -1;
    }
    if (!rc && scheme_check_year(rb->sch, rb->ds, 0, d) != 0)
        rc = -1;
    if (!rc && scheme_fill_provinces(rb->sch, rb->ds, 0) != 0) {
        diag_add(d, DIAG_SYSTEM, scheme_dir, 0, 0, "out of memory");
        rc = -1;
    }
    if (!rc && !(rb->res = score_run(rb->sch, rb->ds, 0, upto, d)))
        rc = -1;
    /* a final, signed document is never scored over gaps in the data (issue 9) */
    if (!rc && score_report_gaps((const score_result *const[]){rb->res}, 1, data_dir, 0, d) != 0)
        rc = -1;
    report_opts ro = {templates_dir, font_dir, font ? font : rb->font ? rb->font : "Laksaman", rb->thai_digits,
                      rb->so ? rb->so->date : (reader_date){0, 0, 0}, rb->so, 1, NULL, REPORT_STYLE_MODERN, NULL};
    int finance = !rc && !strcmp(rb->sch->kind, "finance");
    for (size_t p = 0; finance && !rc && p < rb->res->nprovinces && rb->ndocs < 63; p++) {
        char *file = util_format("scorecard-%s.pdf", rb->ds->provinces[rb->res->provinces[p].province].code);
        rc = file ? render_one(rb, "scorecard", (report_data){.finance = rb->res, .province = (long)p}, &ro, work, file, d)
                  : -1;
        free(file);
    }
    if (finance && !rc)
        rc = render_one(rb, "summary", (report_data){.finance = rb->res, .province = -1}, &ro, work, "summary.pdf", d);
    if (!finance && !rc)
        rc = render_one(rb, "kpi", (report_data){.kpi = rb->res, .province = -1}, &ro, work, "kpi66.pdf", d);
    if (rc && !diag_errors(d))
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    free(reports);
    free(settings);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Filing                                                              */

/* Removes a flat folder left by an interrupted run (files only), never
 * through a link planted at its name (guard.c). */
static void remove_flat(const char *dir) { guard_clear_flat(dir); }

/* One filing at a time per archive: a second khet archive would otherwise
 * clear the first one's staging folder. */
static int lock_archive(const char *archive, diag_ctx *d)
{
    char *path = util_path_join(archive, ".lock");
    int fd = path ? guard_open_lock(path) : -1;
    if (fd < 0)
        diag_add(d, path && util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, path ? path : archive, 0, 0,
                 "cannot open the archive's lock: %s", util_strerror(errno));
    else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        diag_add(d, DIAG_ERROR, archive, 0, 0, "another khet archive is filing into this archive; try again when it is done");
        sysio()->close(fd);
        fd = -1;
    }
    free(path);
    return fd;
}

static char *staging_dir(const char *archive, const char *id)
{
    char *s = util_format("%s/.staging-%s", archive, id);
    for (char *p = s ? s + strlen(archive) + 1 : NULL; p && *p; p++)
        if (*p == '/')
            *p = '-';
    return s;
}

/* The ledger's record of a round from what was built. */
static int fill_record(ledger_round *r, const round_build *rb, const unsigned char *const *bytes, const size_t *lens,
                       const char *cert)
{
    const signoff *so = rb->so;
    char date[48];
    snprintf(date, sizeof date, "%04d-%02d-%02d", so->date.year + 543, so->date.month, so->date.day);
    r->round = util_strdup(so->id), r->scheme = util_strdup(so->scheme), r->kind = util_strdup(rb->sch->kind);
    r->period = util_strdup(so->period), r->signed_off = util_strdup(date);
    r->round_no = so->round, r->region = rb->res->region, r->fiscal_year = rb->ds->fiscal_year;
    r->seal = util_strdup(cert ? "pades" : "checksums"), r->cert_sha256 = util_strdup(cert ? cert : "");
    r->signers = calloc((size_t)so->nsigners + 1, sizeof *r->signers);
    r->documents = calloc((size_t)rb->ndocs + 1, sizeof *r->documents);
    r->sources = calloc((size_t)rb->src.n + 1, sizeof *r->sources);
    r->results = calloc(rb->res->nprovinces + 1, sizeof *r->results);
    if (!r->signers || !r->documents || !r->sources || !r->results)
        return -1;
    int oom = 0;
    for (int i = 0; i < so->nsigners; i++, r->nsigners++) {
        const signoff_signer *g = &so->signers[i];
        snprintf(date, sizeof date, "%04d-%02d-%02d", g->date.year + 543, g->date.month, g->date.day);
        ledger_signer *s = &r->signers[i];
        s->role = util_strdup(signoff_role_th(g->role)), s->name = util_strdup(g->name);
        s->position = util_strdup(g->position), s->signed_on = util_strdup(date);
        oom |= !s->role || !s->name || !s->position || !s->signed_on;
    }
    char h[65];
    for (int i = 0; i < rb->ndocs; i++, r->ndocuments++) {
        sha256_hex(bytes[i], lens[i], h);
        r->documents[i] = (ledger_file){util_strdup(rb->docs[i].file), util_strdup(h), (int64_t)lens[i]};
        oom |= !r->documents[i].file || !r->documents[i].sha256;
    }
    for (int i = 0; i < rb->src.n; i++, r->nsources++) {
        sha256_hex(rb->src.v[i].data, rb->src.v[i].len, h);
        r->sources[i] = (ledger_file){util_strdup(rb->src.v[i].name), util_strdup(h), (int64_t)rb->src.v[i].len};
        oom |= !r->sources[i].file || !r->sources[i].sha256;
    }
    /* a KPI round has no scored totals, grades or claw-back to record */
    for (size_t i = 0; !strcmp(rb->sch->kind, "finance") && i < rb->res->nprovinces; i++, r->nresults++) {
        const province_result *p = &rb->res->provinces[i];
        const province *pv = &rb->ds->provinces[p->province];
        r->results[i] = (ledger_result){util_strdup(pv->code), util_strdup(pv->name_th), p->total_cp, p->max_cp,
                                        p->percent_x100, p->clawback_satang,
                                        util_strdup(p->grade >= 0 ? rb->sch->grades[p->grade].grade : "-"), p->rank};
        oom |= !r->results[i].code || !r->results[i].name || !r->results[i].grade;
    }
    return oom || !r->round || !r->scheme || !r->kind || !r->period || !r->signed_off || !r->seal || !r->cert_sha256
               ? -1
               : 0;
}

/* Signs (or not) and writes every document into the staging folder. */
static int write_documents(const round_build *rb, const sign_key *key, const char *stage, unsigned char **bytes,
                           size_t *lens, diag_ctx *d)
{
    char signer[512];
    const signoff_signer *ap = &rb->so->signers[rb->so->nsigners - 1];
    snprintf(signer, sizeof signer, "%s (%s)", ap->name, ap->position);
    for (int i = 0; i < rb->ndocs; i++) {
        const built_doc *b = &rb->docs[i];
        if (key) {
            if (sign_pdf(b->pdf, b->len, key, rb->so->date, signer, b->file, &bytes[i], &lens[i], d) != 0)
                return -1;
        } else if ((bytes[i] = malloc(b->len))) {
            memcpy(bytes[i], b->pdf, b->len);
            lens[i] = b->len;
        }
        char *path = util_path_join(stage, b->file);
        int rc = bytes[i] && path ? util_write_file_atomic(path, bytes[i], lens[i]) : -1;
        if (rc)
            diag_add(d, DIAG_SYSTEM, path ? path : b->file, 0, 0, "cannot write: %s", strerror(errno));
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}

/* Records the round and moves the staging folder into place as one step:
 * the ledger transaction commits only once the folder has its final name. */
static int file_round(ledger *l, ledger_round *rec, const char *stage, const char *final, const char *archive,
                      const char *scheme, diag_ctx *d)
{
    char *sdir = util_path_join(archive, scheme);
    int rc = -1;
    if (ledger_append(l, rec, d) == 0) {
        if (!sdir || util_mkdirs(sdir) != 0 || sysio()->rename(stage, final) != 0) {
            diag_add(d, DIAG_SYSTEM, final, 0, 0, "cannot move the round into place: %s", strerror(errno));
            ledger_rollback(l);
        } else if (ledger_commit(l, d) != 0) {
            sysio()->rename(final, stage);
            ledger_rollback(l);
        } else {
            rc = 0;
        }
    }
    free(sdir);
    return rc;
}

int archive_round(const archive_opts *o, diag_ctx *d)
{
    signoff *so = signoff_load(o->signoff_path, d);
    if (!so)
        return -1;
    char *final = util_path_join(o->archive_dir, so->id), *stage = staging_dir(o->archive_dir, so->id);
    ledger *l = NULL;
    sign_key *key = NULL;
    int rc = -1, have = -1, lock = -1;
    if (!final || !stage)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    else if (util_mkdirs(o->archive_dir) != 0)
        diag_add(d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, o->archive_dir, 0, 0,
                 "cannot create the archive folder: %s", util_strerror(errno));
    else if (guard_archive(o->archive_dir, so->id, stage, d) != 0)
        ; /* a planted link or a wrong kind of file: touch nothing */
    else if (o->key_path && (guard_regular_input(o->key_path, "private key", d) != 0 ||
                             guard_regular_input(o->cert_path, "certificate", d) != 0))
        ; /* a FIFO would block for ever under the lock */
    else if (o->key_path && !(key = sign_key_load(o->key_path, o->cert_path, d)))
        ; /* before anything is rendered or created */
    else if ((lock = lock_archive(o->archive_dir, d)) < 0)
        ;
    else if (!(l = ledger_open(o->archive_dir, 1, d)))
        ;
    else if ((have = ledger_has_round(l, so->id)) < 0)
        ledger_report(l, d, "cannot read the ledger");
    else if (have > 0)
        diag_add(d, DIAG_ERROR, o->signoff_path, 0, 0,
                 "round %s is already filed in %s: an archive is written once, nothing was changed", so->id,
                 o->archive_dir);
    else if (access(final, F_OK) == 0)
        diag_add(d, DIAG_ERROR, final, 0, 0, "already exists: an archive is written once, nothing was changed");
    else {
        remove_flat(stage); /* what an interrupted run left */
        if (sysio()->mkdir(stage, 0755) != 0)
            diag_add(d, DIAG_SYSTEM, stage, 0, 0, "cannot create: %s", strerror(errno));
        else
            rc = 0;
    }
    round_build rb = {0};
    unsigned char *bytes[64] = {0};
    size_t lens[64] = {0};
    ledger_round rec = {0};
    char fpr[65] = "";
    if (key)
        sign_key_fingerprint(key, fpr);
    if (!rc)
        rc = build_round(o->data_dir, o->scheme_dir, o->templates_dir, o->signoff_path, o->font_dir, o->font, stage,
                         &rb, d);
    if (!rc)
        rc = write_documents(&rb, key, stage, bytes, lens, d);
    if (!rc && fill_record(&rec, &rb, (const unsigned char *const *)bytes, lens, key ? fpr : NULL) != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    if (!rc)
        rc = file_round(l, &rec, stage, final, o->archive_dir, so->scheme, d);
    if (rc && stage && have == 0)
        remove_flat(stage);
    for (int i = 0; !rc && i < rb.ndocs; i++)
        printf("%s/%s\n", final, rb.docs[i].file);
    if (!rc && !key)
        fprintf(stderr, "khet: round %s is sealed by its checksums only (no --key/--cert): the ledger and khet verify "
                        "detect changes, but nobody's signature vouches for it\n",
                so->id);
    for (int i = 0; i < 64; i++)
        free(bytes[i]);
    ledger_round_clear(&rec);
    build_free(&rb);
    sign_key_free(key);
    ledger_close(l);
    free(final);
    free(stage);
    signoff_free(so);
    if (lock >= 0)
        sysio()->close(lock); /* releases the lock */
    return rc;
}

/* ------------------------------------------------------------------ */
/* Verifying                                                           */

typedef struct {
    const char *archive;
    diag_ctx *d;
    int bad;
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

/* Folders and files on disk that the ledger does not know. */
static void check_tree(vctx *v, const ledger_round *r, int n)
{
    int ns, nf;
    char **files = list_dir(v->archive, 0, &nf), **schemes = list_dir(v->archive, 1, &ns);
    for (int i = 0; files && i < nf; i++)
        if (strcmp(files[i], "ledger.sqlite") && strcmp(files[i], "ledger.sqlite-journal") &&
            strcmp(files[i], "ledger.sqlite-wal") && strcmp(files[i], "ledger.sqlite-shm")) { /* SQLite's, while it writes */
            char *p = util_path_join(v->archive, files[i]);
            fail(v, p, "%s%snot part of the archive (added after filing)", "", "");
            free(p);
        }
    for (int i = 0; schemes && i < ns; i++) {
        char *sdir = util_path_join(v->archive, schemes[i]);
        int nr, nx;
        char **rounds = sdir ? list_dir(sdir, 1, &nr) : NULL, **loose = sdir ? list_dir(sdir, 0, &nx) : NULL;
        for (int k = 0; rounds && k < nr; k++) {
            char *id = util_format("%s/%s", schemes[i], rounds[k]), *p = util_path_join(sdir, rounds[k]);
            if (id && !find_round(r, n, id))
                fail(v, p, "%s%sa round folder the ledger does not know (added after filing, or its record removed)",
                     "", "");
            free(id);
            free(p);
        }
        for (int k = 0; loose && k < nx; k++) {
            char *p = util_path_join(sdir, loose[k]);
            fail(v, p, "%s%snot part of the archive (added after filing)", "", "");
            free(p);
        }
        free_list(rounds, nr);
        free_list(loose, nx);
        free(sdir);
    }
    free_list(files, nf);
    free_list(schemes, ns);
}

/* The embedded sources of one document against the ledger's list. */
static int check_sources(vctx *v, const ledger_round *r, const char *path, const pdfa_embedded *e, int n)
{
    int bad = n != r->nsources;
    if (n != r->nsources)
        fail(v, path, "%s%sthe embedded sources are not the ones filed in the ledger", "", "");
    for (int i = 0; i < n; i++) {
        char h[65];
        sha256_hex(e[i].file.data, e[i].file.len, h);
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

static int write_sources(const char *tmp, const pdfa_embedded *e, int n)
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

static void remove_tree(const char *tmp)
{
    static const char *const subs[] = {"data", "scheme", "reports"};
    for (int i = 0; i < 3; i++) {
        char *p = util_path_join(tmp, subs[i]);
        if (p)
            remove_flat(p);
        free(p);
    }
    remove_flat(tmp);
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
        long pid = strtol(e->d_name + strlen(VERIFY_TMP), &end, 10);
        if (pid <= 0 || *end != '-' || !(kill((pid_t)pid, 0) != 0 && errno == ESRCH))
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
static void rerender(vctx *v, const ledger_round *r, const pdfa_embedded *e, int n, unsigned char **docs,
                     const size_t *unsigned_len, const char *font_dir)
{
    const char *base = getenv("TMPDIR");
    base = base && *base ? base : "/tmp";
    clean_stale_verify(base);
    char *tmpl = util_format("%s/" VERIFY_TMP "%ld-XXXXXX", base, (long)getpid());
    const char *tmp = tmpl ? sysio()->mkdtemp(tmpl) : NULL;
    round_build rb = {0};
    char *data = tmp ? util_path_join(tmp, "data") : NULL, *sch = tmp ? util_path_join(tmp, "scheme") : NULL;
    char *so = tmp ? util_path_join(tmp, "signoff.csv") : NULL;
    diag_ctx *quiet = diag_new();
    if (!tmp || !data || !sch || !so || !quiet || write_sources(tmp, e, n) != 0) {
        diag_add(v->d, DIAG_SYSTEM, r->round, 0, 0, "cannot write the embedded sources to a temporary folder");
        v->bad++;
    } else if (build_round(data, sch, tmp, so, font_dir, NULL, tmp, &rb, quiet) != 0) {
        diag_print(quiet, stderr);
        fail(v, r->round, "%s%sthe embedded sources do not render again (see the messages above)", "", "");
    } else {
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
            else if (b->len != unsigned_len[i] || memcmp(b->pdf, docs[i], b->len))
                fail(v, path, "%s%srendering the embedded sources again does not give the same bytes", "", "");
            free(path);
        }
        if (rb.ndocs != r->ndocuments)
            fail(v, r->round, "%s%sthe embedded sources produce a different set of documents", "", "");
    }
    build_free(&rb);
    diag_free(quiet);
    if (tmp)
        remove_tree(tmp);
    free(tmpl);
    free(data);
    free(sch);
    free(so);
}

/* One document: its checksum, its signature and its embedded sources. The
 * bytes are kept in *doc for the re-render (NULL when unusable). */
static void check_document(vctx *v, const ledger_round *r, const ledger_file *f, unsigned char **doc,
                           size_t *unsigned_len, pdfa_embedded **src, int *nsrc)
{
    char *path = util_format("%s/%s/%s", v->archive, r->round, f->file), *bytes = NULL, h[65], fpr[65];
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
    sha256_hex((unsigned char *)bytes, len, h);
    if (strcmp(h, f->sha256))
        fail(v, path, "%s%sits SHA-256 differs from the ledger's (changed after filing)", "", "");
    int nsig = sign_check((unsigned char *)bytes, len, path, unsigned_len, fpr, v->d);
    if (nsig < 0)
        v->bad++;
    else if (!strcmp(r->seal, "pades") && (nsig == 0 || strcmp(fpr, r->cert_sha256)))
        fail(v, path, "%s%snot signed with the certificate the ledger records", "", "");
    else if (strcmp(r->seal, "pades") && nsig > 0)
        fail(v, path, "%s%ssigned, but the ledger says the round was sealed by checksums only", "", "");
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

static void verify_round(vctx *v, const ledger_round *r, const char *font_dir)
{
    int before = v->bad, nx;
    char *dir = util_path_join(v->archive, r->round);
    char **files = dir ? list_dir(dir, 0, &nx) : NULL;
    if (!files)
        fail(v, dir ? dir : r->round, "%s%sthe round's folder is missing", "", "");
    for (int i = 0; files && i < nx; i++) {
        int known = 0;
        for (int k = 0; k < r->ndocuments; k++)
            known |= !strcmp(files[i], r->documents[k].file);
        if (!known) {
            char *p = util_path_join(dir, files[i]);
            fail(v, p, "%s%snot part of the filed round (added after filing)", "", "");
            free(p);
        }
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
    if (src && docs && ulen)
        rerender(v, r, src, nsrc, docs, ulen, font_dir);
    else if (docs && ulen)
        fail(v, r->round, "%s%sno document carries sources that match the ledger: cannot render again", "", "");
    if (v->bad == before)
        printf("%s: %d documents hold: checksums, %s, embedded sources, same bytes when rendered again\n", r->round,
               r->ndocuments, strcmp(r->seal, "pades") ? "sealed by checksums only (not signed)" : "signatures valid");
    for (int i = 0; docs && i < r->ndocuments; i++)
        free(docs[i]);
    free(docs);
    free(ulen);
    pdfa_sources_free(src, nsrc > 0 ? nsrc : 0);
    free_list(files, nx);
    free(dir);
}

/* ------------------------------------------------------------------ */
/* The last signed-off month, for the monthly handout                  */

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

int archive_verify(const char *archive_dir, const char *round, const char *font_dir, diag_ctx *d)
{
    ledger *l = ledger_open(archive_dir, 0, d);
    ledger_round *r = NULL;
    int n = 0;
    vctx v = {archive_dir, d, 0};
    if (!l || ledger_load(l, &r, &n, d) != 0) {
        ledger_close(l);
        return -1;
    }
    char *lpath = util_path_join(archive_dir, "ledger.sqlite");
    int chain = ledger_check(r, n, lpath, d);
    v.bad += chain != 0;
    if (chain == 0)
        printf("ledger: %d rounds, hash chain intact\n", n);
    const ledger_round *only = round ? find_round(r, n, round) : NULL;
    if (round && !only)
        fail(&v, lpath, "round %s%s is not in the ledger", round, "");
    if (!round)
        check_tree(&v, r, n);
    for (int i = 0; i < n; i++)
        if (!round || &r[i] == only)
            verify_round(&v, &r[i], font_dir);
    free(lpath);
    ledger_rounds_free(r, n);
    ledger_close(l);
    return v.bad ? -1 : 0;
}
