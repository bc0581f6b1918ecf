#include "archive.h"
#include "archive_int.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "datafolder.h"
#include "guard.h"
#include "anchor.h"
#include "audit.h"
#include "cli.h"
#include "ledger.h"
#include "model.h"
#include "pdfa.h"
#include "reports.h"
#include "scoring.h"
#include "settings.h"
#include "archive_sign.h"
#include "sign.h"
#include "signoff.h"
#include "sysio.h"
#include "thai.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

void archive_sha256_hex(const unsigned char *data, size_t len, char out[65])
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
    int full = 0; /* memory ran out: a shorter list would leave files out of the round unsaid */
    *n = 0;
    if (!dh)
        return NULL;
    struct dirent *e;
    while (!full && (e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = util_path_join(dir, e->d_name);
        struct stat st;
        int ok = path && lstat(path, &st) == 0 && !want_dirs == !S_ISDIR(st.st_mode);
        full = !path;
        free(path);
        if (ok && (util_grow((void **)&v, &cap, (size_t)*n + 2, sizeof *v) || !(v[*n] = util_strdup(e->d_name))))
            full = 1;
        else if (ok)
            (*n)++;
    }
    closedir(dh);
    if (full || (!v && !(v = calloc(1, sizeof *v)))) {
        archive_free_list(v, *n);
        *n = 0;
        errno = ENOMEM;
        return NULL;
    }
    qsort(v, (size_t)*n, sizeof *v, by_str);
    return v;
}

void archive_free_list(char **v, int n)
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


static void sources_free(sources *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].data);
        free(s->v[i].flate);
    }
    free(s->v);
}

/* The file at path as the round's source FOLDER/NAME (NAME alone when
 * folder is NULL). A file that cannot be read is the user's to fix (status
 * 2); memory running out is a runtime failure (1). */
static int add_source(sources *s, const char *folder, const char *name, const char *path, diag_ctx *d)
{
    char *data = NULL;
    size_t len = 0;
    if (util_read_file(path, UTIL_LIMIT_DATA, &data, &len) != 0) {
        diag_add(d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot read: %s",
                 util_strerror(errno));
        return -1;
    }
    if (util_grow((void **)&s->v, &s->cap, (size_t)s->n + 1, sizeof *s->v) ||
        !(s->v[s->n].name = folder ? util_format("%s/%s", folder, name) : util_strdup(name))) {
        free(data);
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
        return -1;
    }
    s->v[s->n].data = (unsigned char *)data;
    s->v[s->n].flate = NULL;
    s->v[s->n++].len = len;
    return 0;
}

/* What a folder contributes to a round's evidence (README, "carrying its
 * evidence"): the data and scheme folders their CSV and INI files (the data
 * folder its .xlsx workbook too), the report templates also their Markdown
 * and word lists. */
typedef enum { FOLDER_DATA, FOLDER_SCHEME, FOLDER_REPORTS } folder_kind;

static int embeds(folder_kind k, const char *name)
{
    return ends_with(name, ".csv") || ends_with(name, ".ini") || (k == FOLDER_DATA && ends_with(name, ".xlsx")) ||
           (k == FOLDER_REPORTS && (ends_with(name, ".md") || ends_with(name, ".txt")));
}

/* The data of a round given as one workbook (--data BOOK.xlsx): the
 * workbook, and dataset.ini beside it when there is one (a workbook without
 * a sheet "dataset" takes its settings from there), as data/NAME, the
 * folder verify renders from. */
static int add_book(sources *s, const char *book, diag_ctx *d)
{
    const char *slash = strrchr(book, '/');
    char *dir = slash ? util_strndup(book, (size_t)(slash - book + (slash == book))) : util_strdup(".");
    char *ini = dir ? util_path_join(dir, "dataset.ini") : NULL;
    int rc = ini ? add_source(s, "data", slash ? slash + 1 : book, book, d) : -1;
    if (!rc && access(ini, F_OK) == 0)
        rc = add_source(s, "data", "dataset.ini", ini, d);
    if (!ini)
        diag_add(d, DIAG_SYSTEM, book, 0, 0, "out of memory");
    free(dir);
    free(ini);
    return rc;
}

/* Every file of dir of the kinds the folder embeds, as PREFIX/NAME; any
 * other file (notes, backups) is left out and named in a note, so that
 * nothing is published in the PDFs unawares. data/README.md describes the
 * data and goes without a word. A name that is not UTF-8 is refused: the
 * PDFs and the ledger name the sources as text. */
static int add_folder(sources *s, const char *dir, const char *prefix, folder_kind kind, diag_ctx *d)
{
    int n, rc = 0;
    char **names = list_dir(dir, 0, &n);
    if (!names) {
        diag_add(d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, dir, 0, 0, "cannot read the folder: %s",
                 util_strerror(errno));
        return -1;
    }
    for (int i = 0; i < n && !rc; i++) {
        char *path = util_path_join(dir, names[i]);
        if (!path) {
            diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
            rc = -1;
        } else if (!util_utf8_valid(names[i], strlen(names[i]))) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "the file name is not UTF-8: a round names its sources as text in the PDFs and the ledger; "
                     "rename it (or move it out of the folder)");
            rc = -1;
        } else if (!embeds(kind, names[i])) {
            if (kind != FOLDER_DATA || strcmp(names[i], "README.md"))
                diag_add(d, DIAG_NOTE, path, 0, 0,
                         "not embedded in the documents: a round carries its folders' CSV and INI files (and the data's workbook) only");
        } else {
            rc = add_source(s, prefix, names[i], path, d);
        }
        free(path);
    }
    archive_free_list(names, n);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Rendering a round                                                   */


void archive_build_free(round_build *rb)
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
    round_build *rb = user;
    if (!strcmp(name, "font")) {
        free(rb->font);
        rb->font = util_strdup(value);
    } else if (!strcmp(name, "thai_digits")) {
        rb->thai_digits = !strcmp(value, "yes");
    } else if (!strcmp(name, "style")) { /* the same as render's: a final is its draft */
        if (strcmp(value, "official") && strcmp(value, "modern"))
            diag_add(rb->diag, DIAG_ERROR, rb->settings_path, line, 1, "style must be official or modern");
        rb->style = !strcmp(value, "official") ? REPORT_STYLE_OFFICIAL : REPORT_STYLE_MODERN;
    } else {
        return SETTING_UNKNOWN;
    }
    return SETTING_OK;
}

/* Two names that may print alike (SARA AM typed as NIKHAHIT + SARA AA, a
 * zero-width space): the code points where they differ, as a clause to
 * append, or NULL when the difference is plain ASCII anyone can see. */
static char *code_points_differ(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), pre = 0, suf = 0;
    while (pre < la && pre < lb && a[pre] == b[pre])
        pre++;
    while (pre > 0 && ((unsigned char)a[pre] & 0xC0) == 0x80) /* back to a character's start */
        pre--;
    while (suf < la - pre && suf < lb - pre && a[la - 1 - suf] == b[lb - 1 - suf])
        suf++;
    while (suf > 0 && la - suf < la && ((unsigned char)a[la - suf] & 0xC0) == 0x80)
        suf--;
    int visible = 1;
    for (size_t i = pre; i < la - suf; i++)
        visible &= (unsigned char)a[i] >= 0x20 && (unsigned char)a[i] < 0x7F;
    for (size_t i = pre; i < lb - suf; i++)
        visible &= (unsigned char)b[i] >= 0x20 && (unsigned char)b[i] < 0x7F;
    if (visible)
        return NULL;
    strbuf o = {0};
    const char *s[2] = {a, b};
    size_t end[2] = {la - suf, lb - suf};
    sb_puts(&o, " (they differ in code points: the sign-off has");
    for (int k = 0; k < 2; k++) {
        if (k)
            sb_puts(&o, ", --scheme has");
        if (end[k] == pre)
            sb_puts(&o, " nothing");
        for (size_t i = pre; i < end[k];)
            sb_printf(&o, " U+%04X", (unsigned)util_utf8_next(s[k], end[k], &i));
    }
    sb_puts(&o, ")");
    return sb_finish(&o);
}

/* The scheme, data and sign-off must name the same round. */
static int same_round(const round_build *rb, const char *signoff_path, diag_ctx *d)
{
    if (strcmp(rb->so->scheme, rb->sch->name)) {
        char *why = code_points_differ(rb->so->scheme, rb->sch->name);
        diag_add(d, DIAG_ERROR, signoff_path, 0, 0, "the sign-off is for scheme %s, but --scheme is %s%s",
                 rb->so->scheme, rb->sch->name, why ? why : "");
        free(why);
        return -1;
    }
    if (rb->sch->fiscal_year != rb->ds->fiscal_year) { /* the scheme's year, not the sign-off's, is wrong */
        char *ini = util_path_join(rb->sch->dir, "scheme.ini");
        diag_add(d, DIAG_ERROR, ini ? ini : rb->sch->name, rb->sch->fiscal_year_line, 1, /* column 1 of its line, if any */
                 "the scheme %s is for fiscal year %d, but the data is for fiscal year %d", rb->sch->name,
                 rb->sch->fiscal_year, rb->ds->fiscal_year);
        free(ini);
        return -1;
    }
    if (rb->so->fiscal_year != rb->ds->fiscal_year) {
        diag_add(d, DIAG_ERROR, signoff_path, 0, 0,
                 "the sign-off's period (fiscal year %d) is not the data's fiscal year %d", rb->so->fiscal_year,
                 rb->ds->fiscal_year);
        return -1;
    }
    return 0;
}

/* The document rendered into the staging file raw (archive_render_doc:
 * with its signers' places), its messages passed on naming the document
 * the user gets (ROUND/FILE), not the staging file. */
static int render_raw(const char *name, const report_data *rd, const report_opts *ro, const char *raw,
                      const char *round, built_doc *b, diag_ctx *d)
{
    diag_ctx *mine = diag_new();
    char *shown = util_format("%s/%s", round, b->file);
    int rc = mine && shown ? archive_render_doc(name, rd, ro, raw, shown, b, mine) : -1;
    for (size_t i = 0; mine && i < diag_count(mine); i++) {
        const diag_msg *m = diag_get(mine, i);
        diag_add(d, m->level, m->file && shown && !strcmp(m->file, raw) ? shown : m->file, m->line, m->col, "%s",
                 m->message);
    }
    if (!mine || !shown)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    diag_free(mine);
    free(shown);
    return rc;
}

static int render_one(round_build *rb, const char *name, report_data rd, const report_opts *ro, const char *work,
                      const char *file, diag_ctx *d)
{
    char *raw = util_format("%s/.%s.raw", work, file);
    char *bytes = NULL;
    size_t len = 0;
    int rc = -1;
    built_doc *b = &rb->docs[rb->ndocs];
    memset(b, 0, sizeof *b);
    if (raw && (b->file = util_strdup(file)) && render_raw(name, &rd, ro, raw, rb->so->id, b, d) == 0 &&
        util_read_file(raw, UTIL_LIMIT_DATA, &bytes, &len) == 0) {
        if (pdfa_finish((unsigned char *)bytes, len, rb->src.v, rb->src.n, rb->so->date, rb->ledger_head, file, &b->pdf,
                        &b->len, d) ==
                0) {
            rb->ndocs++;
            rc = 0;
        }
    }
    if (rc) {
        free(b->file);
        b->file = NULL;
    }
    if (raw)
        sysio()->unlink(raw);
    free(raw);
    free(bytes);
    return rc;
}

/* Loads, scores and renders a round's documents as final PDF/A into rb
 * (work: a folder for libharu's temporary files). */
int archive_build_round(const char *data_dir, const char *scheme_dir, const char *templates_dir,
                        const char *signoff_path, const char *font_dir, const char *font, const char *options,
                        const char *work, round_build *rb, diag_ctx *d)
{
    char *reports = util_path_join(templates_dir, "reports"), *settings = util_path_join(reports, "settings.ini");
    int rc = reports && settings ? 0 : -1;
    if (!rc && (!(rb->so = signoff_load(signoff_path, d)) || !(rb->ds = datafolder_load(data_dir, NULL, d)) ||
                !(rb->sch = scheme_load(scheme_dir, d)) || same_round(rb, signoff_path, d) != 0))
        rc = -1;
    struct stat dst;
    int book = stat(data_dir, &dst) == 0 && S_ISREG(dst.st_mode); /* --data BOOK.xlsx */
    if (!rc && ((book ? add_book(&rb->src, data_dir, d) : add_folder(&rb->src, data_dir, "data", FOLDER_DATA, d)) ||
                add_folder(&rb->src, scheme_dir, "scheme", FOLDER_SCHEME, d) ||
                add_folder(&rb->src, reports, "reports", FOLDER_REPORTS, d) || add_source(&rb->src, NULL, "signoff.csv", signoff_path, d)))
        rc = -1;
    rb->diag = d;
    rb->settings_path = settings;
    if (!rc && access(settings, R_OK) == 0 && settings_parse(settings, "reports", on_setting, rb, d) != 0)
        rc = -1;
    /* the command line's options, embedded beside the settings so that
     * verify renders the round again the same way */
    if (!rc && options && access(options, R_OK) == 0) {
        rb->settings_path = options;
        if (add_source(&rb->src, NULL, "options.ini", options, d) != 0 ||
            settings_parse(options, "reports", on_setting, rb, d) != 0)
            rc = -1;
    }
    if (!rc && diag_errors(d))
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
    /* a province without a grade (too few provinces for the SD) is filed as its
     * documents say: no grade, rank or amount (the ledger's grade "-", rank 0) */
    if (!rc)
        score_report_too_few(rb->res, 0, d);
    /* a final, signed document is never scored over gaps in the data (issue 9) */
    if (!rc && score_report_gaps((const score_result *const[]){rb->res}, 1, data_dir, 0, d) != 0)
        rc = -1;
    /* the line breaker knows every name of the data and the signers' (as render's drafts do) */
    thai_words *words = !rc ? cli_words(templates_dir, d) : NULL;
    const char *people[SIGNOFF_MAX_SIGNERS + 1] = {NULL};
    for (int i = 0; !rc && i < rb->so->nsigners && i < SIGNOFF_MAX_SIGNERS; i++)
        people[i] = rb->so->signers[i].name;
    if (!rc && (!words || datafolder_teach_names(words, rb->ds, people) != 0)) {
        if (!diag_errors(d))
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    report_opts ro = {templates_dir, font_dir, font ? font : rb->font ? rb->font : "Laksaman", rb->thai_digits,
                      rb->so ? rb->so->date : (reader_date){0, 0, 0}, rb->so, 1, NULL, rb->style, words, NULL, NULL, 0};
    /* every document embeds the same sources: deflated once here, not per document */
    if (!rc && pdfa_sources_deflate(rb->src.v, rb->src.n) != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
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
    thai_words_free(words);
    free(reports);
    free(settings);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Filing                                                              */

/* Removes a flat folder left by an interrupted run (files only), never
 * through a link planted at its name (guard.c). */
void archive_remove_flat(const char *dir) { guard_clear_flat(dir); }

int archive_thai_digits(const round_build *rb) { return rb->thai_digits || rb->style == REPORT_STYLE_OFFICIAL; }

/* One filing at a time per archive: a second khet archive would otherwise
 * clear the first one's staging folder. */
int archive_lock(const char *archive, diag_ctx *d)
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

char *archive_side_dir(const char *archive, const char *kind, const char *id)
{
    char *s = util_format("%s/%s%s", archive, kind, id);
    for (char *p = s ? s + strlen(archive) + 1 : NULL; p && *p; p++)
        if (*p == '/')
            *p = '-';
    return s;
}

/* The ledger's record of a round from what was built. */
int archive_fill_record(ledger_round *r, const round_build *rb, const unsigned char *const *bytes, const size_t *lens,
                       const char *cert, const char *font_dir, diag_ctx *d)
{
    /* the fonts' SHA-256 and the libraries' versions: a re-render that
     * differs later says which */
    if (audit_environment(font_dir, rb->font ? rb->font : "Laksaman", &r->environment, &r->nenvironment, d) != 0)
        return -1;
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
    if (!r->signers || !r->documents || !r->sources)
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
        archive_sha256_hex(bytes[i], lens[i], h);
        r->documents[i] = (ledger_file){util_strdup(rb->docs[i].file), util_strdup(h), (int64_t)lens[i]};
        oom |= !r->documents[i].file || !r->documents[i].sha256;
    }
    for (int i = 0; i < rb->src.n; i++, r->nsources++) {
        archive_sha256_hex(rb->src.v[i].data, rb->src.v[i].len, h);
        r->sources[i] = (ledger_file){util_strdup(rb->src.v[i].name), util_strdup(h), (int64_t)rb->src.v[i].len};
        oom |= !r->sources[i].file || !r->sources[i].sha256;
    }
    oom |= audit_results_of(rb->res, rb->ds, rb->sch, &r->results, &r->nresults) != 0;
    return oom || !r->round || !r->scheme || !r->kind || !r->period || !r->signed_off || !r->seal || !r->cert_sha256
               ? -1
               : 0;
}

/* Builds the round, with --style and --font (when given) written into an
 * options file that is embedded with the sources. */
static int build_with_options(const archive_opts *o, const char *stage, round_build *rb, diag_ctx *d)
{
    char *path = util_path_join(stage, ".options.ini");
    strbuf b = {0};
    sb_puts(&b, "# khet archive's command-line options for this round\n[reports]\n");
    if (o->style)
        sb_printf(&b, "style = %s\n", o->style);
    if (o->font)
        sb_printf(&b, "font = %s\n", o->font);
    int given = o->style || o->font;
    int rc = path && !b.oom && (!given || util_write_file_atomic(path, b.data, b.len) == 0) ? 0 : -1;
    if (rc)
        diag_add(d, DIAG_SYSTEM, path ? path : stage, 0, 0, "cannot write: %s", util_strerror(errno));
    else
        rc = archive_build_round(o->data_dir, o->scheme_dir, o->templates_dir, o->signoff_path, o->font_dir, NULL,
                                 given ? path : NULL, stage, rb, d);
    if (!rc) /* signers of another region's office: filed, but said (the round's region is its scheme's) */
        signoff_check_region(rb->so, rb->sch->region, o->signoff_path, d);
    if (path && given)
        sysio()->unlink(path);
    free(path);
    sb_free(&b);
    return rc;
}

/* Signs (with nkeys keys, or not) and writes every document into the
 * staging folder. */
static int write_documents(const round_build *rb, const sign_key *const *keys, int nkeys, int single, time_t when,
                           const char *tsa, const char *font_dir, const char *stage, unsigned char **bytes, size_t *lens,
                           diag_ctx *d)
{
    char *font = nkeys && !single ? archive_sign_font(font_dir, rb->font) : NULL;
    for (int i = 0; i < rb->ndocs; i++) {
        const built_doc *b = &rb->docs[i];
        if (nkeys) {
            if (archive_sign_doc(rb->so, b, b->pdf, b->len, keys, 0, nkeys, single, when, tsa, font,
                                 archive_thai_digits(rb), &bytes[i], &lens[i], d) != 0) {
                free(font);
                return -1;
            }
        } else if ((bytes[i] = malloc(b->len))) {
            memcpy(bytes[i], b->pdf, b->len);
            lens[i] = b->len;
        }
        char *path = util_path_join(stage, b->file);
        /* write-once: read-only for everyone once written */
        int rc = bytes[i] && path ? util_write_file_atomic(path, bytes[i], lens[i]) : -1;
        if (!rc && chmod(path, 0444) != 0)
            rc = -1;
        if (rc)
            diag_add(d, DIAG_SYSTEM, path ? path : b->file, 0, 0, "cannot write: %s", strerror(errno));
        free(path);
        if (rc) {
            free(font);
            return -1;
        }
    }
    free(font);
    return 0;
}

/* The keys that sign, in signing order: --sign's in the sign-off's order,
 * or the one --key. 0 (*nkeys 0 when nothing signs), or -1 after reporting;
 * checked at the real signing time, before anything is rendered. */
static int load_keys(const archive_opts *o, const signoff *so, time_t *when, sign_key **single,
                     const sign_key **keys, int *nkeys, diag_ctx *d)
{
    archive_signer *order[SIGNOFF_MAX_SIGNERS];
    *nkeys = 0;
    if (!o->key_path && !o->nsigners)
        return 0;
    if (o->stage && !o->nsigners) {
        diag_add(d, DIAG_ERROR, "--stage", 0, 0, "signing in stages takes --sign ROLE=KEY,CERT for the first signers");
        return -1;
    }
    if (sign_time_now(when, d) != 0)
        return -1;
    if (o->nsigners) {
        if (archive_load_signers(so, o->signoff_path, o->signers, o->nsigners, *when, o->pass_fd, 0, o->stage, order,
                                 d) != 0)
            return -1;
        for (int i = 0; i < so->nsigners && order[i]; i++)
            keys[(*nkeys)++] = order[i]->key;
        return 0;
    }
    if (guard_regular_input(o->key_path, "private key", d) != 0 ||
        (o->cert_path && guard_regular_input(o->cert_path, "certificate", d) != 0))
        return -1; /* a FIFO would block for ever under the lock */
    if (!(*single = sign_key_load(o->key_path, o->cert_path, o->pass_fd, d)) ||
        sign_key_check(*single, *when, o->cert_path ? o->cert_path : o->key_path, d) != 0)
        return -1;
    keys[(*nkeys)++] = *single;
    return 0;
}

/* Records the round and moves the staging folder into place as one step:
 * the ledger transaction commits only once the folder has its final name. */
int archive_file_round(ledger *l, ledger_round *rec, const char *stage, const char *final, const char *archive,
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
            /* write-once: the round's folder read-only too (its files are
             * 0444 already); only the administrator's chattr +i stops root */
            if (chmod(final, 0555) != 0)
                diag_add(d, DIAG_WARNING, final, 0, 0, "filed, but cannot be made read-only: %s", strerror(errno));
        }
    }
    free(sdir);
    return rc;
}

/* A round signed by its first signers only: moved aside into
 * ARCHIVE/.pending-ID (not in the ledger) until the others countersign. */
static int stage_round(const char *stage, const char *pending, diag_ctx *d)
{
    if (sysio()->rename(stage, pending) == 0)
        return 0;
    diag_add(d, DIAG_SYSTEM, pending, 0, 0, "cannot move the signed documents aside: %s", strerror(errno));
    return -1;
}

int archive_round(const archive_opts *o, diag_ctx *d)
{
    signoff *so = signoff_load(o->signoff_path, d);
    if (!so)
        return -1;
    char *final = util_path_join(o->archive_dir, so->id), *stage = archive_side_dir(o->archive_dir, ".staging-", so->id);
    char *pending = archive_side_dir(o->archive_dir, ".pending-", so->id);
    ledger *l = NULL;
    sign_key *single = NULL;
    const sign_key *keys[SIGNOFF_MAX_SIGNERS];
    time_t when = 0;
    int rc = -1, have = -1, lock = -1, nkeys = 0;
    if (!final || !stage || !pending)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    else if (util_mkdirs(o->archive_dir) != 0)
        diag_add(d, util_input_errno(errno) ? DIAG_ERROR : DIAG_SYSTEM, o->archive_dir, 0, 0,
                 "cannot create the archive folder: %s", util_strerror(errno));
    else if (guard_archive(o->archive_dir, so->id, stage, d) != 0)
        ; /* a planted link or a wrong kind of file: touch nothing */
    else if (load_keys(o, so, &when, &single, keys, &nkeys, d) != 0)
        ; /* before anything is rendered or created; checked at the real signing time */
    else if ((lock = archive_lock(o->archive_dir, d)) < 0)
        ;
    else if (!(l = ledger_open(o->archive_dir, 1, d)))
        ; /* reported */
    else if ((have = ledger_has_round(l, so->id)) < 0)
        ledger_report(l, d, "cannot read the ledger");
    else if (have > 0)
        diag_add(d, DIAG_ERROR, o->signoff_path, 0, 0,
                 "round %s is already filed in %s: an archive is written once, nothing was changed", so->id,
                 o->archive_dir);
    else if (access(final, F_OK) == 0)
        diag_add(d, DIAG_ERROR, final, 0, 0, "already exists: an archive is written once, nothing was changed");
    else if (access(pending, F_OK) == 0)
        diag_add(d, DIAG_ERROR, pending, 0, 0,
                 "round %s is already signed in part and waits for its other signers: khet archive --countersign %s "
                 "--sign ROLE=KEY,CERT",
                 so->id, so->id);
    else {
        archive_remove_flat(stage); /* what an interrupted run left */
        if (sysio()->mkdir(stage, 0755) != 0)
            diag_add(d, DIAG_SYSTEM, stage, 0, 0, "cannot create: %s", strerror(errno));
        else
            rc = 0;
    }
    round_build rb = {0};
    unsigned char *bytes[64] = {0};
    size_t lens[64] = {0};
    ledger_round rec = {0};
    char fpr[SIGNOFF_MAX_SIGNERS * 65 + 1] = "";
    char *head = !rc ? ledger_head(l) : NULL;
    if (!rc && !head) {
        diag_add(d, DIAG_SYSTEM, o->archive_dir, 0, 0, "cannot read the ledger's head");
        rc = -1;
    }
    rb.ledger_head = head;
    for (int i = 0; i < nkeys; i++) { /* the ledger's cert_sha256: one per signature, in signing order */
        if (i)
            strcat(fpr, " ");
        sign_key_fingerprint(keys[i], fpr + strlen(fpr));
    }
    if (!rc)
        rc = build_with_options(o, stage, &rb, d);
    if (!rc)
        rc = write_documents(&rb, keys, nkeys, single != NULL, when, o->tsa, o->font_dir, stage, bytes, lens, d);
    if (!rc && archive_fill_record(&rec, &rb, (const unsigned char *const *)bytes, lens, nkeys ? fpr : NULL, o->font_dir, d) != 0) {
        if (!diag_errors(d))
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    if (!rc)
        rc = o->stage ? stage_round(stage, pending, d) : archive_file_round(l, &rec, stage, final, o->archive_dir, so->scheme, d);
    /* the round is filed: a head that cannot be written is a runtime failure
     * that khet verify will name until the next filing writes one */
    int filed = !rc && !o->stage, count = filed ? ledger_count(l) : 0;
    if (filed && (count < 1 || anchor_write(o->archive_dir, &rec, count, nkeys ? keys[nkeys - 1] : NULL, o->tsa, d) != 0)) {
        if (!diag_errors(d))
            diag_add(d, DIAG_SYSTEM, o->archive_dir, 0, 0, "cannot count the ledger's rounds");
        diag_add(d, DIAG_SYSTEM, o->archive_dir, 0, 0, "round %s is filed, but the ledger's signed head is not",
                 so->id);
    }
    if (rc && stage && have == 0)
        archive_remove_flat(stage);
    for (int i = 0; !rc && i < rb.ndocs; i++)
        printf("%s/%s\n", o->stage ? pending : final, rb.docs[i].file);
    if (!rc && o->stage)
        archive_say_waiting(so, nkeys);
    if (filed)
        fprintf(stderr, "khet: the ledger's head is now %s (%d rounds): keep this line outside the archive\n",
                rec.row_hash, count);
    if (!rc && !nkeys)
        fprintf(stderr, "khet: round %s is sealed by its checksums only (no --sign or --key/--cert): the ledger and khet verify "
                        "detect changes, but nobody's signature vouches for it\n",
                so->id);
    for (int i = 0; i < 64; i++)
        free(bytes[i]);
    ledger_round_clear(&rec);
    archive_build_free(&rb);
    free(head);
    sign_key_free(single);
    for (int i = 0; i < o->nsigners; i++) { /* the keys; the paths are the caller's */
        sign_key_free(o->signers[i].key);
        o->signers[i].key = NULL;
    }
    ledger_close(l);
    free(final);
    free(stage);
    free(pending);
    signoff_free(so);
    if (lock >= 0)
        sysio()->close(lock); /* releases the lock */
    return rc;
}
