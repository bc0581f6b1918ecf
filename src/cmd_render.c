/* khet render: renders the four documents into out/FY/rREGION/. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "booklet.h"
#include "cli.h"
#include "datafolder.h"
#include "inspection.h"
#include "model.h"
#include "region.h"
#include "reports.h"
#include "scoring.h"
#include "fontfind.h"
#include "settings.h"
#include "sysio.h"
#include "util.h"

static void render_usage(FILE *out)
{
    fputs("usage: khet render [--data DIR] [--scheme DIR] [--kpi-scheme DIR] [--report NAME|all]\n"
          "                   [--province CODE] [--month YYYY-MM] [--out DIR] [--date YYYY-MM-DD]\n"
          "                   [--thai-digits] [--font NAME|PATH] [--fonts DIR] [--templates DIR] [--jobs N]\n"
          "                   [--encoding auto|utf-8|windows-874] [--allow-year-mismatch]\n"
          "                   [--allow-incomplete] [--archive DIR] [--style official|modern]\n"
          "Reports: scorecard (one per province), summary, kpi, monthly. Default: all.\n"
          "booklet: each region's documents bound into one PDF with a cover and contents.\n"
          "The schemes: those dataset.ini names (finance_scheme, kpi_scheme); --scheme and\n"
          "--kpi-scheme name others ('none': no such scheme). Without a KPI scheme the\n"
          "KPI report and the monthly handout are left out; without a finance scheme the\n"
          "scorecards, the summary and the handout.\n",
          out);
}

typedef struct {
    const char *data, *scheme, *kpi_scheme, *report, *province, *out, *font, *templates, *encoding;
    int jobs;
    reader_date month, date;
    int thai;
    int allow_year_mismatch, allow_incomplete;
    int scheme_given, kpi_scheme_given; /* --scheme, --kpi-scheme on the command line */
    const char *archive; /* the monthly handout compares with its last signed-off month */
    int style;           /* REPORT_STYLE_*, -1 = as settings.ini says */
    const char *fonts;   /* --fonts: the fonts folder, NULL = the one khet finds */
} render_opts;

/* A booklet binds every document of its region: it wants them all. */
static int wants(const render_opts *o, const char *name)
{
    return !strcmp(o->report, "all") || !strcmp(o->report, "booklet") || !strcmp(o->report, name);
}

/* One document to render: written first into the batch's staging folder,
 * moved to its place in --out only when the whole batch succeeded. */
typedef struct {
    const char *name;
    report_data rd; /* a booklet: the region's results, for its cover */
    char *path;  /* where it belongs: OUT/FY/rR/file */
    char *stage; /* where it is rendered: OUT/.khet-stage-PID-XXXXXX/FY/rR/file */
    const char *reldir; /* FY/rR: valid while the jobs are planned */
    booklet_part *parts; /* a booklet: the documents it binds (owned), else NULL */
    int nparts;
} render_job;

typedef struct {
    render_job *v;
    int n;
    const char *out;   /* --out */
    char *stage;       /* the staging folder, inside --out (same file system: rename works) */
} job_list;

static int add_job(job_list *jl, const char *name, report_data rd, const char *reldir, const char *file)
{
    if (!file)
        return -1;
    render_job *v = realloc(jl->v, ((size_t)jl->n + 1) * sizeof *v);
    if (!v)
        return -1;
    jl->v = v;
    char *path = util_format("%s/%s/%s", jl->out, reldir, file);
    char *stage = util_format("%s/%s/%s", jl->stage, reldir, file);
    if (!path || !stage) {
        free(path);
        free(stage);
        return -1;
    }
    jl->v[jl->n++] = (render_job){name, rd, path, stage, reldir, NULL, 0};
    return 0;
}

/* Renders jobs first, first + step, ... into the staging folder; a counter
 * on a terminal. Stops at the first failure or when SIGINT/SIGTERM came. */
static int run_share(const job_list *jl, int first, int step, const report_opts *ro, diag_ctx *d)
{
    int rc = 0, done = 0;
    for (int i = first; i < jl->n && !rc; i += step) {
        if (sysio_interrupted()) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "interrupted: no document was replaced");
            rc = -1;
            break;
        }
        const render_job *j = &jl->v[i];
        rc = j->parts ? booklet_render(j->parts, j->nparts, &j->rd, ro, j->stage, d)
                      : report_render(j->name, &j->rd, ro, j->stage, d);
        if (rc == 0 && isatty(2))
            fprintf(stderr, "\r%d/%d documents", ++done * step, jl->n);
    }
    if (isatty(2) && done)
        fputc('\n', stderr);
    return rc;
}

/* With --jobs N > 1 the documents are shared among N child processes; each
 * reports its own problems. Returns 0 when every document was written. */
static int run_jobs(const job_list *jl, int njobs, const report_opts *ro, diag_ctx *d)
{
    if (njobs <= 1 || jl->n <= 1)
        return run_share(jl, 0, 1, ro, d);
    if (njobs > jl->n)
        njobs = jl->n;
    pid_t *pids = malloc((size_t)njobs * sizeof *pids);
    int started = 0, failed = !pids;
    fflush(stdout);
    fflush(stderr);
    for (int w = 0; pids && w < njobs; w++) {
        pid_t pid = fork();
        if (pid < 0) {
            failed = 1;
            break;
        }
        if (pid == 0) {
            diag_ctx *mine = diag_new();
            int rc = mine ? run_share(jl, w, njobs, ro, mine) : -1;
            if (mine)
                diag_print(mine, stderr);
            fflush(stdout);
            _exit(rc ? (mine && diag_errors(mine) ? 2 : 1) : 0);
        }
        pids[started++] = pid;
    }
    int worst = 0;
    for (int i = 0; i < started; i++) {
        int st = 0;
        if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st))
            worst = worst < 1 ? 1 : worst;
        else if (WEXITSTATUS(st) > worst)
            worst = WEXITSTATUS(st);
    }
    free(pids);
    if (failed)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "cannot start a worker process");
    if (worst == 2)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "some documents were not rendered (see the messages above)");
    return failed || worst ? -1 : 0;
}

/* Moves every finished document from the staging folder into place (rename
 * within one file system: each file is replaced whole, never half-written)
 * and prints its path. Only called when the whole batch rendered. A rename
 * failing midway (the disk, not the input) is reported with what was and
 * was not replaced. Returns 0 or -1. */
static int commit_jobs(const job_list *jl, diag_ctx *d)
{
    int moved = 0;
    for (int i = 0; i < jl->n; i++) {
        if (sysio_interrupted() && moved == 0) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "interrupted: no document was replaced");
            return -1;
        }
        if (sysio()->rename(jl->v[i].stage, jl->v[i].path) != 0) {
            diag_add(d, DIAG_SYSTEM, jl->v[i].path, 0, 0,
                     "cannot move the new document into place: %s; %d of %d documents were replaced "
                     "(those printed above), the others are unchanged",
                     util_strerror(errno), moved, jl->n);
            return -1;
        }
        moved++;
        printf("%s\n", jl->v[i].path);
    }
    fflush(stdout);
    /* make the renames durable: fsync each destination folder once */
    for (int i = 0; i < jl->n; i++) {
        int seen = 0;
        const char *slash = strrchr(jl->v[i].path, '/');
        size_t n = (size_t)(slash - jl->v[i].path);
        for (int k = 0; k < i && !seen; k++)
            seen = !strncmp(jl->v[k].path, jl->v[i].path, n + 1) && !strchr(jl->v[k].path + n + 1, '/');
        char *dir = seen ? NULL : util_strndup(jl->v[i].path, n);
        if (!seen && (!dir || util_fsync_dir(dir) != 0)) {
            diag_add(d, DIAG_SYSTEM, dir ? dir : jl->out, 0, 0, "cannot sync the output folder: %s",
                     util_strerror(dir ? errno : ENOMEM));
            free(dir);
            return -1;
        }
        free(dir);
    }
    return 0;
}

/* Makes OUT/reldir (refusing symbolic links inside --out) and the same
 * folders in the staging folder; clears stale temporaries there. */
static int make_dirs(const job_list *jl, const char *reldir, diag_ctx *d)
{
    char *bad = NULL;
    int rc = util_mkdirs_below(jl->out, reldir, &bad);
    if (rc != 0) {
        diag_add(d, DIAG_SYSTEM, bad ? bad : jl->out, 0, 0,
                 "cannot create the output folder: %s", util_strerror(errno));
        free(bad);
        return -1;
    }
    char *dir = util_path_join(jl->out, reldir);
    if (dir)
        util_clean_stale(dir);
    free(dir);
    if (util_mkdirs_below(jl->stage, reldir, NULL) != 0) {
        diag_add(d, DIAG_SYSTEM, jl->stage, 0, 0, "cannot create the staging folder: %s", util_strerror(errno));
        return -1;
    }
    return 0;
}

/* templates/reports/settings.ini: the report font and digits, unless the
 * command line says otherwise. */
typedef struct {
    render_opts *o;
    char *font;
    diag_ctx *d;
    const char *path;
} report_settings;

static int on_report_setting(void *user, const char *name, const char *value, int line)
{
    report_settings *rs = user;
    if (!strcmp(name, "font")) {
        free(rs->font);
        if (!(rs->font = util_strdup(value)))
            diag_add(rs->d, DIAG_SYSTEM, rs->path, line, 1, "out of memory");
    } else if (!strcmp(name, "thai_digits")) {
        if (strcmp(value, "yes") && strcmp(value, "no"))
            diag_add(rs->d, DIAG_ERROR, rs->path, line, 1, "thai_digits must be yes or no");
        rs->o->thai |= !strcmp(value, "yes");
    } else if (!strcmp(name, "style")) {
        if (strcmp(value, "official") && strcmp(value, "modern"))
            diag_add(rs->d, DIAG_ERROR, rs->path, line, 1, "style must be official or modern");
        else if (rs->o->style < 0) /* --style wins */
            rs->o->style = !strcmp(value, "official") ? REPORT_STYLE_OFFICIAL : REPORT_STYLE_MODERN;
    } else {
        return SETTING_UNKNOWN;
    }
    return SETTING_OK;
}

/* Reproducible builds: SOURCE_DATE_EPOCH (seconds since 1970, UTC) sets the
 * document date. Anything but a plain count of seconds is refused. */
static int source_date(reader_date *out)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return 0;
    size_t n = strspn(sde, "0123456789");
    int64_t secs = 0;
    /* up to the year 9999: 253402300799 */
    if (n == 0 || sde[n] || n > 12 || reader_parse_int(sde, &secs) || secs > 253402300799LL) {
        fprintf(stderr, "khet: SOURCE_DATE_EPOCH: not a number of seconds since 1970-01-01: '%s'\n", sde);
        return -1;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        fprintf(stderr, "khet: SOURCE_DATE_EPOCH: not a date: '%s'\n", sde);
        return -1;
    }
    *out = (reader_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return 0;
}

/* Official documents are set in TH Sarabun New (the cabinet's font), or TH
 * SarabunPSK, when the fonts folder or fontconfig has it; otherwise in the
 * font asked for, and a note says which and how to get TH Sarabun New. */
static const char *official_font(const char *font_dir, const char *fallback, diag_ctx *d)
{
    static const char *const names[] = {"TH Sarabun New", "TH SarabunPSK"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        diag_ctx *quiet = diag_new();
        font_faces ff;
        int found = quiet && fontfind(font_dir, names[i], &ff, quiet) == 0;
        if (found)
            fontfind_free(&ff);
        diag_free(quiet);
        if (found)
            return names[i];
    }
    diag_add(d, DIAG_NOTE, NULL, 0, 0,
             "the official style is set in %s: TH Sarabun New, the font of Thai official documents, is not "
             "installed (download THSarabunNew.ttf and its bold from the Software Industry Promotion Agency "
             "(SIPA, f0nt.com) and put them in %s or ~/.fonts, or name them with --font PATH)",
             fallback, font_dir);
    return fallback;
}

/* Every name in the data is a word (issue 28): each space-separated part of
 * a province's and a hospital's Thai name is kept whole on a line, as the
 * word lists keep compounds, so a name ICU's dictionary does not know
 * (กุฉินารายณ์, ชุตินธโร) is never broken where it happens to guess; a part
 * wider than its box is cut between its known words first (layout_text.c).
 * -1 when out of memory. */
static int teach_names(thai_words *w, const dataset *ds)
{
    for (size_t i = 0; i < ds->nprovinces + ds->nhospitals; i++) {
        const char *name = i < ds->nprovinces ? ds->provinces[i].name_th : ds->hospitals[i - ds->nprovinces].name_th;
        for (const char *p = name; p && *p;) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " ");
            /* a part of a few letters (ณ, จ.) needs no keeping */
            if (n > 6) {
                char *part = util_strndup(p, n);
                int rc = part ? thai_words_add(w, THAI_WORD_KEEP, part) : -1;
                free(part);
                if (rc)
                    return -1;
            }
            p += n;
        }
        /* an official title's "จังหวัดพระนครศรีอยุธยา" stays whole too */
        char *with = i < ds->nprovinces ? util_format("จังหวัด%s", name) : NULL;
        int rc = i < ds->nprovinces ? (with ? thai_words_add(w, THAI_WORD_KEEP, with) : -1) : 0;
        free(with);
        if (rc)
            return -1;
    }
    return 0;
}

/* Parses the command line into o; returns 0, 1 for --help, 2 for a usage error. */
static int parse_render_opts(int argc, char **argv, render_opts *o, int *font_given)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},  {"scheme", required_argument, 0, 's'},
        {"kpi-scheme", required_argument, 0, 'k'}, {"report", required_argument, 0, 'r'},
        {"province", required_argument, 0, 'p'}, {"month", required_argument, 0, 'm'},
        {"out", required_argument, 0, 'o'},   {"date", required_argument, 0, 'D'},
        {"thai-digits", no_argument, 0, 'T'}, {"font", required_argument, 0, 'f'},
        {"jobs", required_argument, 0, 'j'},  {"templates", required_argument, 0, 't'},
        {"encoding", required_argument, 0, 'e'}, {"allow-year-mismatch", no_argument, 0, 'Y'},
        {"allow-incomplete", no_argument, 0, 'I'}, {"archive", required_argument, 0, 'A'},
        {"style", required_argument, 0, 'S'}, {"fonts", required_argument, 0, 'F'},
        {"help", no_argument, 0, 'h'}, {0}};
    int c, bad = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:s:k:r:p:m:o:D:Tf:j:t:e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 's': o->scheme = optarg; o->scheme_given = 1; break;
        case 'k': o->kpi_scheme = optarg; o->kpi_scheme_given = 1; break;
        case 'r': o->report = optarg; break;
        case 'p': o->province = optarg; break;
        case 'm': bad |= reader_parse_month(optarg, &o->month) != NULL; break;
        case 'o': o->out = optarg; break;
        case 'A': o->archive = optarg; break;
        case 'S':
            if (strcmp(optarg, "official") && strcmp(optarg, "modern")) {
                fprintf(stderr, "khet: --style: official or modern, not '%s'\n", optarg);
                bad = 1;
            }
            o->style = !strcmp(optarg, "official") ? REPORT_STYLE_OFFICIAL : REPORT_STYLE_MODERN;
            break;
        case 'D': bad |= reader_parse_date(optarg, &o->date) != NULL; break;
        case 'T': o->thai = 1; break;
        case 'f': o->font = optarg; *font_given = 1; break;
        case 't': o->templates = optarg; break;
        case 'F': o->fonts = optarg; break;
        case 'e': o->encoding = optarg; break;
        case 'Y': o->allow_year_mismatch = 1; break;
        case 'I': o->allow_incomplete = 1; break;
        case 'j': {
            int64_t n;
            if (reader_parse_int(optarg, &n) || n < 1 || n > 64 || !strspn(optarg, "0123456789") ||
                optarg[strspn(optarg, "0123456789")]) {
                fprintf(stderr, "khet: --jobs: a whole number of processes 1-64, not '%s'\n", optarg);
                bad = 1;
            } else {
                o->jobs = (int)n;
            }
            break;
        }
        case 'h': return 1;
        default: bad = 1;
        }
    }
    static const char *const names[] = {"all", "scorecard", "summary", "kpi", "monthly", "booklet"};
    int known = 0;
    for (int i = 0; i < 6; i++)
        known |= !strcmp(o->report, names[i]);
    if (!known)
        fprintf(stderr, "khet: --report: all, scorecard, summary, kpi, monthly or booklet, not '%s'\n", o->report);
    if (known && !strcmp(o->report, "booklet") && o->province) {
        fprintf(stderr, "khet: --province does not go with --report booklet: a region's booklet binds the "
                        "scorecards of all its provinces\n");
        return 2;
    }
    if (!o->out[0]) {
        fputs("khet: --out: an output folder is needed, not an empty name\n", stderr);
        return 2;
    }
    if (cli_empty("--archive", o->archive, "an archive folder"))
        return 2;
    if (bad || !known || optind < argc)
        return 2;
    if (!o->date.year && source_date(&o->date) != 0)
        return 2;
    return 0;
}

/* Everything scored for one run; freed together. */
typedef struct {
    score_result *fin, *kpi;          /* the finance scheme's region, the KPI scheme's region */
    score_result *fin_k, *fin_k_prev; /* the finance scheme on the KPI region: this month, last month */
    score_result *kpi_months[FY_MONTHS];
} render_results;

static void free_results(render_results *rr)
{
    for (int m = 0; m < FY_MONTHS; m++)
        score_result_free(rr->kpi_months[m]);
    score_result_free(rr->fin_k);
    score_result_free(rr->fin_k_prev);
    score_result_free(rr->fin);
    score_result_free(rr->kpi);
}

/* The monthly handout is for the KPI scheme's region: its finance figures
 * this month and last, and the KPI results month by month for the trend. */
static int score_monthly(render_results *rr, const scheme *fs, const scheme *ks, const dataset *ds, diag_ctx *d)
{
    int last = rr->kpi->last_month;
    rr->fin_k = score_run(fs, ds, rr->kpi->region, last, d);
    rr->fin_k_prev = last > 0 ? score_run(fs, ds, rr->kpi->region, last - 1, d) : NULL;
    for (int m = 0; m <= last && m < FY_MONTHS; m++)
        if (!(rr->kpi_months[m] = score_run(ks, ds, 0, m, d)))
            return -1;
    return rr->fin_k && (last == 0 || rr->fin_k_prev) ? 0 : -1;
}

/* The index of province `code` among the scored ones, or -1. */
static long province_in(const score_result *r, const char *code)
{
    for (size_t p = 0; p < r->nprovinces; p++)
        if (!strcmp(r->ds->provinces[r->provinces[p].province].code, code))
            return (long)p;
    return -1;
}

/* Gaps in the data of the documents planned: refused, or listed (--allow-incomplete). */
static int render_gaps(const render_results *rr, const render_opts *o, diag_ctx *d)
{
    const score_result *rs[] = {rr->fin, rr->kpi, rr->fin_k};
    return score_report_gaps(rs, 3, o->data, o->allow_incomplete, d);
}

/* The order of a booklet: the inspection report, the region summary, the
 * provinces' scorecards, the monthly handout. */
static int bound_order(const char *name)
{
    static const char *const order[] = {"kpi", "summary", "scorecard", "monthly"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(order[i], name))
            return i;
    return 4;
}

static void free_job(render_job *j)
{
    free(j->path);
    free(j->stage);
    free(j->parts);
}

/* One booklet of the documents planned into folder reldir, named for the
 * inspection round its data fall in (booklet-round2.pdf); 0 or -1. */
static int bind_one(job_list *jl, const render_job *docs, int ndocs, const char *reldir)
{
    booklet_part *parts = malloc((size_t)ndocs * sizeof *parts);
    report_data front = {.province = -1};
    int n = 0;
    for (int k = 0; parts && k <= 4; k++) /* stable: scorecards keep the region's order */
        for (int i = 0; i < ndocs; i++)
            if (!strcmp(docs[i].reldir, reldir) && bound_order(docs[i].name) == k) {
                parts[n++] = (booklet_part){docs[i].name, docs[i].rd};
                front.kpi = front.kpi ? front.kpi : docs[i].rd.kpi;
                front.finance = front.finance ? front.finance : docs[i].rd.finance;
            }
    const score_result *r = front.kpi ? front.kpi : front.finance;
    char *file = parts && r ? util_format("booklet-round%d.pdf",
                                          inspection_round_for_month(r->last_month < 0 ? 0 : r->last_month))
                            : NULL;
    int rc = file ? add_job(jl, "booklet", front, reldir, file) : -1;
    free(file);
    if (rc != 0) {
        free(parts);
        return -1;
    }
    jl->v[jl->n - 1].parts = parts;
    jl->v[jl->n - 1].nparts = n;
    return 0;
}

/* --report booklet: the documents planned become one booklet per region
 * folder (Region 8's finance documents, Region 12's inspection report and
 * handout; one booklet when both schemes are for the same region). */
static int bind_booklets(job_list *jl)
{
    render_job *docs = jl->v;
    int ndocs = jl->n, rc = 0;
    jl->v = NULL;
    jl->n = 0;
    for (int i = 0; i < ndocs && !rc; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = !strcmp(docs[k].reldir, docs[i].reldir);
        if (!seen)
            rc = bind_one(jl, docs, ndocs, docs[i].reldir);
    }
    for (int i = 0; i < ndocs; i++)
        free_job(&docs[i]);
    free(docs);
    return rc;
}

/* Lists the documents asked for; returns 0, or -1 after reporting. */
static int plan_jobs(job_list *jl, const render_opts *o, const dataset *ds, const scheme *fs, const scheme *ks,
                     render_results *rr, diag_ctx *d)
{
    if (o->province && (!rr->fin || province_in(rr->fin, o->province) < 0)) {
        if (rr->fin)
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "--province %s is not a province of region %d", o->province,
                     rr->fin->region);
        else
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "--province: there is no finance scheme, so no scorecard to render");
        return -1;
    }
    char *fdir = rr->fin ? util_format("%d/r%d", ds->fiscal_year, rr->fin->region) : NULL;
    char *kdir = rr->kpi ? util_format("%d/r%d", ds->fiscal_year, rr->kpi->region) : NULL;
    int rc = 0;
    if ((rr->fin && !fdir) || (rr->kpi && !kdir))
        rc = -1;
    else if ((fdir && make_dirs(jl, fdir, d) != 0) || (kdir && make_dirs(jl, kdir, d) != 0))
        rc = -1;
    for (size_t p = 0; !rc && rr->fin && wants(o, "scorecard") && p < rr->fin->nprovinces; p++) {
        const char *code = ds->provinces[rr->fin->provinces[p].province].code;
        if (o->province && strcmp(o->province, code))
            continue;
        char *file = util_format("scorecard-%s.pdf", code);
        rc = add_job(jl, "scorecard", (report_data){.finance = rr->fin, .province = (long)p}, fdir, file);
        free(file);
    }
    if (!rc && rr->fin && wants(o, "summary"))
        rc = add_job(jl, "summary", (report_data){.finance = rr->fin, .province = -1}, fdir, "summary.pdf");
    if (!rc && rr->kpi && wants(o, "kpi"))
        rc = add_job(jl, "kpi", (report_data){.kpi = rr->kpi, .province = -1}, kdir, "kpi66.pdf");
    if (!rc && rr->fin && rr->kpi && wants(o, "monthly") && (rc = score_monthly(rr, fs, ks, ds, d)) == 0) {
        int last = rr->kpi->last_month;
        reader_date cm = model_calendar_month(ds->fiscal_year, last);
        char *file = util_format("monthly-%04d-%02d.pdf", cm.year + 543, cm.month);
        /* the handout names a finance scheme the user chose for another region */
        rr->fin_k->scheme_named = o->scheme_given;
        if (rr->fin_k_prev)
            rr->fin_k_prev->scheme_named = o->scheme_given;
        rc = add_job(jl, "monthly",
                     (report_data){.finance = rr->fin_k, .finance_prev = rr->fin_k_prev, .kpi = rr->kpi,
                                   .kpi_by_month = (const score_result *const *)rr->kpi_months,
                                   .nmonths = last + 1, .province = -1},
                     kdir, file);
        free(file);
    }
    if (rc && !diag_errors(d))
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    if (!rc && jl->n == 0) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "nothing to render (is --province a code of the region?)");
        rc = -1;
    }
    if (!rc && !strcmp(o->report, "booklet") && bind_booklets(jl) != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    free(fdir);
    free(kdir);
    return rc;
}

/* Makes --out, removes what an earlier run killed midway left there, and
 * creates this batch's staging folder inside it. SIGINT and SIGTERM from
 * now on only set a flag: the batch stops between documents and cleans up. */
static int start_batch(job_list *jl, const char *out, diag_ctx *d)
{
    jl->out = out;
    if (util_mkdirs(out) != 0) {
        diag_add(d, DIAG_SYSTEM, out, 0, 0,
                 "cannot create the output folder: %s", util_strerror(errno));
        return -1;
    }
    util_clean_stale(out);
    char *t = util_format("%s/" UTIL_STAGE_PREFIX "%ld-XXXXXX", out, (long)getpid());
    if (!t || !sysio()->mkdtemp(t)) {
        diag_add(d, DIAG_SYSTEM, out, 0, 0, "cannot create a staging folder: %s", util_strerror(t ? errno : ENOMEM));
        free(t);
        return -1;
    }
    jl->stage = t;
    sysio_catch_signals();
    return 0;
}

/* The schemes of the run: the command line's, else those dataset.ini
 * names (region.h). A region without one renders what it has and says what
 * it left out; a document asked for by name that needs a missing scheme is
 * an error. 0, or -1 after reporting. */
static int load_schemes(render_opts *o, const dataset *ds, scheme **fs, scheme **ks, char **fin, char **kpi,
                        diag_ctx *d)
{
    int fnone = 0, knone = 0;
    *fin = region_scheme_dir(ds, o->data, o->templates, REGION_FINANCE, o->scheme_given ? o->scheme : NULL, &fnone, d);
    *kpi = region_scheme_dir(ds, o->data, o->templates, REGION_KPI, o->kpi_scheme_given ? o->kpi_scheme : NULL, &knone,
                             d);
    if ((!*fin && !fnone) || (!*kpi && !knone))
        return -1;
    if (*fin && (!(*fs = scheme_load(*fin, d)) ||
                 region_check_scheme(*fs, ds, o->data, REGION_FINANCE, o->scheme_given, d) != 0 ||
                 scheme_check_year(*fs, ds, o->allow_year_mismatch, d) != 0))
        return -1;
    if (*kpi && (!(*ks = scheme_load(*kpi, d)) ||
                 region_check_scheme(*ks, ds, o->data, REGION_KPI, o->kpi_scheme_given, d) != 0 ||
                 scheme_check_year(*ks, ds, o->allow_year_mismatch, d) != 0))
        return -1;
    if (*fs)
        scheme_check_wording(*fs, ds, 0, d);
    if ((*fs && scheme_fill_provinces(*fs, ds, 0) != 0) || (*ks && scheme_fill_provinces(*ks, ds, 0) != 0)) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    char *ini = util_path_join(o->data, "dataset.ini");
    int rc = 0;
    if (!*fs && !*ks) {
        diag_add(d, DIAG_ERROR, ini, 0, 0,
                 "no scheme to render with: name the region's schemes in dataset.ini (finance_scheme = FOLDER, "
                 "kpi_scheme = FOLDER; khet init makes them) or pass --scheme / --kpi-scheme");
        rc = -1;
    } else if (strcmp(o->report, "all") && strcmp(o->report, "booklet")) {
        int need_f = strcmp(o->report, "kpi") != 0, need_k = !strcmp(o->report, "kpi") || !strcmp(o->report, "monthly");
        if ((need_f && !*fs) || (need_k && !*ks)) {
            diag_add(d, DIAG_ERROR, ini, 0, 0, "--report %s needs a %s scheme and there is none (dataset.ini names "
                     "none; --%s names one)", o->report, need_f && !*fs ? "finance" : "KPI",
                     need_f && !*fs ? "scheme" : "kpi-scheme");
            rc = -1;
        }
    } else if (!*ks) {
        diag_add(d, DIAG_NOTE, ini, 0, 0, "no KPI scheme (kpi_scheme): the KPI inspection report and the monthly "
                 "handout are left out");
    } else if (!*fs) {
        diag_add(d, DIAG_NOTE, ini, 0, 0, "no finance scheme (finance_scheme): the scorecards, the region summary "
                 "and the monthly handout are left out");
    }
    free(ini);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    char tbuf[CLI_PATH_MAX], fbuf[CLI_PATH_MAX];
    const char *tdir = cli_templates_dir(tbuf, sizeof tbuf);
    char *fin = NULL, *kpi = NULL;
    render_opts o = {"data", NULL, NULL, "all", NULL, "out", "Laksaman", tdir, NULL, 1, {0, 0, 0}, {0, 0, 0}, 0, 0, 0, 0, 0, "archive", -1, NULL};
    int font_given = 0, rc = parse_render_opts(argc, argv, &o, &font_given);
    diag_ctx *d = rc == 0 ? diag_new() : NULL;
    if (rc != 0 || !d) {
        if (rc > 0)
            render_usage(rc == 1 ? stdout : stderr);
        else
            fputs("khet: out of memory\n", stderr);
        free(fin);
        free(kpi);
        return rc == 1 ? EXIT_OK : rc == 2 ? EXIT_INPUT : EXIT_RUNTIME;
    }
    cli_check_dirs(o.templates, o.fonts ? o.fonts : cli_font_dir(fbuf, sizeof fbuf), d);
    report_settings rs = {&o, NULL, d, NULL};
    char *settings = util_format("%s/reports/settings.ini", o.templates);
    if (settings && access(settings, R_OK) == 0) {
        rs.path = settings;
        settings_parse(settings, "reports", on_report_setting, &rs, d);
        if (rs.font && !font_given)
            o.font = rs.font;
    }
    thai_words *words = diag_errors(d) ? NULL : cli_words(o.templates, d);
    dataset *ds = !words ? NULL : datafolder_load(o.data, o.encoding, d);
    if (ds && teach_names(words, ds) != 0)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    scheme *fs = NULL, *ks = NULL;
    int loaded = ds && !diag_system_errors(d) && load_schemes(&o, ds, &fs, &ks, &fin, &kpi, d) == 0;
    int upto = -1, runtime = 0;
    if (loaded && o.month.year && (upto = model_fiscal_month(ds->fiscal_year, o.month)) < 0)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "--month is outside the data's fiscal year");
    render_results rr = {0};
    report_signed_month signed_month = {0};
    job_list *jl = calloc(1, sizeof *jl);
    /* a region with too few provinces for the SD is not graded: no document
     * (status 2) unless its scheme names what to do */
    if (loaded && !diag_errors(d) && (!fs || (rr.fin = score_run(fs, ds, 0, upto, d))) &&
        (!ks || (rr.kpi = score_run(ks, ds, 0, upto, d))) && (!rr.fin || !score_report_too_few(rr.fin, 1, d))) {
        if (rr.fin)
            score_report_not_counted(rr.fin, o.data, d);
        const char *font_dir = o.fonts ? o.fonts : cli_font_dir(fbuf, sizeof fbuf);
        if (o.style == REPORT_STYLE_OFFICIAL && !font_given)
            o.font = official_font(font_dir, o.font, d);
        report_opts ro = {o.templates, font_dir, o.font, o.thai, o.date, NULL, 0, NULL,
                          o.style == REPORT_STYLE_OFFICIAL ? REPORT_STYLE_OFFICIAL : REPORT_STYLE_MODERN, words};
        reader_date cm = model_calendar_month(ds->fiscal_year, rr.kpi ? rr.kpi->last_month : 0);
        /* a ledger that cannot be read or does not verify stops the batch before anything moves */
        int sm = fs && ks && wants(&o, "monthly")
                     ? archive_last_month(o.archive, fs->name, rr.kpi->region, cm, &signed_month, d)
                     : 0;
        if (sm > 0)
            ro.signed_month = &signed_month;
        if (!jl)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        if (sm < 0)
            ;
        else if (!jl || start_batch(jl, o.out, d) != 0 || plan_jobs(jl, &o, ds, fs, ks, &rr, d) != 0 ||
            render_gaps(&rr, &o, d) != 0 || run_jobs(jl, o.jobs, &ro, d) != 0 || commit_jobs(jl, d) != 0)
            runtime = 1;
    }
    for (int i = 0; jl && i < jl->n; i++)
        free_job(&jl->v[i]);
    if (jl && jl->stage && util_remove_tree(jl->stage) != 0) /* the documents are fine; the next run removes it */
        diag_add(d, DIAG_WARNING, jl->stage, 0, 0, "cannot remove the staging folder: %s", util_strerror(errno));
    if (jl) {
        free(jl->stage);
        free(jl->v);
    }
    free(jl);
    free_results(&rr);
    archive_month_free(&signed_month);
    thai_words_free(words);
    scheme_free(fs);
    scheme_free(ks);
    datafolder_free(ds);
    free(fin);
    free(kpi);
    free(rs.font);
    free(settings);
    /* a template or data error is bad input (2), not a runtime failure */
    return cli_finish(d, runtime && !diag_errors(d));
}
