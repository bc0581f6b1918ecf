/* khet render: renders the four documents into out/FY/rREGION/. */
#include <dirent.h>
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
#include "render_batch.h"
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
          "scorecards, the summary and the handout.\n"
          "--schemes DIR: every scheme folder in DIR, for each region its finance and KPI\n"
          "scheme (a national month): the data are loaded and checked once, each region's\n"
          "documents go into OUT/FY/rREGION/, all of them or none.\n",
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
    const char *schemes; /* --schemes DIR: every region's schemes, the data loaded once */
} render_opts;

/* A booklet binds every document of its region: it wants them all. */
static int wants(const render_opts *o, const char *name)
{
    return !strcmp(o->report, "all") || !strcmp(o->report, "booklet") || !strcmp(o->report, name);
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
        {"style", required_argument, 0, 'S'}, {"schemes", required_argument, 0, 'N'}, {"fonts", required_argument, 0, 'F'},
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
        case 'N': o->schemes = optarg; break;
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
    if (o->schemes && (o->scheme || o->kpi_scheme || o->province)) {
        fputs("khet: --schemes renders every region with the schemes in its folder: not with --scheme, "
              "--kpi-scheme or --province\n", stderr);
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
    else if ((fdir && batch_make_dirs(jl, fdir, d) != 0) || (kdir && batch_make_dirs(jl, kdir, d) != 0))
        rc = -1;
    for (size_t p = 0; !rc && rr->fin && wants(o, "scorecard") && p < rr->fin->nprovinces; p++) {
        const char *code = ds->provinces[rr->fin->provinces[p].province].code;
        if (o->province && strcmp(o->province, code))
            continue;
        char *file = util_format("scorecard-%s.pdf", code);
        rc = batch_add(jl, "scorecard", (report_data){.finance = rr->fin, .province = (long)p}, fdir, file);
        free(file);
    }
    if (!rc && rr->fin && wants(o, "summary"))
        rc = batch_add(jl, "summary", (report_data){.finance = rr->fin, .province = -1}, fdir, "summary.pdf");
    if (!rc && rr->kpi && wants(o, "kpi"))
        rc = batch_add(jl, "kpi", (report_data){.kpi = rr->kpi, .province = -1}, kdir, "kpi66.pdf");
    if (!rc && rr->fin && rr->kpi && wants(o, "monthly") && (rc = score_monthly(rr, fs, ks, ds, d)) == 0) {
        int last = rr->kpi->last_month;
        reader_date cm = model_calendar_month(ds->fiscal_year, last);
        char *file = util_format("monthly-%04d-%02d.pdf", cm.year + 543, cm.month);
        /* the handout names a finance scheme the user chose for another region */
        rr->fin_k->scheme_named = o->scheme_given;
        if (rr->fin_k_prev)
            rr->fin_k_prev->scheme_named = o->scheme_given;
        rc = batch_add(jl, "monthly",
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
    if (!rc && !strcmp(o->report, "booklet") && batch_bind_booklets(jl) != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    free(fdir);
    free(kdir);
    return rc;
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
    /* the settings the schemes came from (dataset.ini, or the workbook's sheet "dataset") */
    const char *ini = ds->settings_path ? ds->settings_path : o->data;
    int rc = 0;
    if (!*fs && !*ks) {
        /* the line that says none, else the first setting: where the names go */
        int fl = o->scheme_given ? 0 : ds->finance_scheme_line, kl = o->kpi_scheme_given ? 0 : ds->kpi_scheme_line;
        int line = fl ? fl : kl ? kl : ds->settings_line;
        if (o->scheme_given && o->kpi_scheme_given)
            diag_add(d, DIAG_ERROR, NULL, 0, 0,
                     "no scheme to render with: --scheme and --kpi-scheme name none; name a scheme folder "
                     "(khet init makes finance-rN-YYYY and kpi66-rN-YYYY)");
        else
            diag_add(d, DIAG_ERROR, ini, line, line ? 1 : 0,
                     "no scheme to render with: name the region's schemes in dataset.ini: %s (khet init makes "
                     "the folders finance-rN-YYYY and kpi66-rN-YYYY), or pass --scheme DIR / --kpi-scheme DIR",
                     fl || kl ? "this line says 'none' (and the other scheme is none too); write a scheme "
                                "folder's name instead"
                         : "add the lines 'finance_scheme = FOLDER' and 'kpi_scheme = FOLDER' under [dataset]");
        rc = -1;
    } else if (strcmp(o->report, "all") && strcmp(o->report, "booklet")) {
        int need_f = strcmp(o->report, "kpi") != 0, need_k = !strcmp(o->report, "kpi") || !strcmp(o->report, "monthly");
        if ((need_f && !*fs) || (need_k && !*ks)) {
            int fin = need_f && !*fs, given = fin ? o->scheme_given : o->kpi_scheme_given;
            int line = fin ? ds->finance_scheme_line : ds->kpi_scheme_line;
            const char *opt = fin ? "--scheme" : "--kpi-scheme";
            if (given)
                diag_add(d, DIAG_ERROR, NULL, 0, 0, "--report %s needs a %s scheme, and %s says none: name the "
                         "scheme folder with %s DIR", o->report, fin ? "finance" : "KPI", opt, opt);
            else
                diag_add(d, DIAG_ERROR, ini, line ? line : ds->settings_line, ds->settings_line ? 1 : 0,
                         "--report %s needs a %s scheme and %s: %s, or pass %s DIR", o->report,
                         fin ? "finance" : "KPI", line ? "this line says none" : "dataset.ini names none",
                         line ? "write the scheme folder's name here"
                              : fin ? "add 'finance_scheme = FOLDER' under [dataset]"
                                    : "add 'kpi_scheme = FOLDER' under [dataset]",
                         opt);
            rc = -1;
        }
    } else if (!*ks) {
        diag_add(d, DIAG_NOTE, ini, ds->kpi_scheme_line, ds->kpi_scheme_line ? 1 : 0, "no KPI scheme (kpi_scheme): "
                 "the KPI inspection report and the monthly handout are left out");
    } else if (!*fs) {
        diag_add(d, DIAG_NOTE, ini, ds->finance_scheme_line, ds->finance_scheme_line ? 1 : 0, "no finance scheme "
                 "(finance_scheme): the scorecards, the region summary and the monthly handout are left out");
    }
    return rc;
}

/* One region of a national batch: its schemes, results and last signed month. */
typedef struct {
    scheme *fin, *kpi;
    render_results rr;
    report_signed_month signed_month;
} national_region;

/* Loads every scheme folder in dir (sorted by name: the same batch every
 * run) into its region's slot; two of a kind for one region is an error. */
static int load_national(const render_opts *o, const dataset *ds, national_region *nr, diag_ctx *d)
{
    struct dirent **names = NULL;
    int n = scandir(o->schemes, &names, NULL, alphasort), rc = n < 0 ? -1 : 0;
    if (n < 0)
        diag_add(d, DIAG_ERROR, o->schemes, 0, 0, "cannot read the schemes folder: %s", util_strerror(errno));
    for (int i = 0; i < n; i++) {
        char *dir = names[i]->d_name[0] != '.' ? util_path_join(o->schemes, names[i]->d_name) : NULL;
        char *ini = dir ? util_path_join(dir, "scheme.ini") : NULL;
        int is_scheme = ini && access(ini, R_OK) == 0;
        scheme *s = is_scheme ? scheme_load(dir, d) : NULL;
        if (is_scheme && !s)
            rc = -1;
        if (s && (scheme_check_year(s, ds, o->allow_year_mismatch, d) != 0 || s->region < 1 || s->region > 13)) {
            if (s->region < 1 || s->region > 13)
                diag_add(d, DIAG_ERROR, ini, 0, 0, "a national batch needs the scheme's region (1-13)");
            scheme_free(s);
            s = NULL;
            rc = -1;
        }
        if (s) {
            scheme **slot = !strcmp(s->kind, "kpi") ? &nr[s->region].kpi : &nr[s->region].fin;
            if (*slot) {
                diag_add(d, DIAG_ERROR, dir, 0, 0, "region %d has two %s schemes in %s: %s and this one", s->region,
                         s->kind, o->schemes, (*slot)->dir);
                scheme_free(s);
                rc = -1;
            } else if (scheme_fill_provinces(s, ds, 0) != 0) {
                diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
                scheme_free(s);
                rc = -1;
            } else {
                *slot = s;
            }
        }
        free(ini);
        free(dir);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* --schemes: every region's documents in one batch, the data loaded and
 * checked once; the workers (--jobs) fork after all is scored. */
static int render_national(render_opts *o, const dataset *ds, int upto, const report_opts *ro, job_list *jl,
                           diag_ctx *d)
{
    national_region nr[14] = {0};
    int rc = load_national(o, ds, nr, d), any = 0;
    if (!rc && batch_start(jl, o->out, d) != 0)
        rc = -1;
    for (int r = 1; r <= 13 && !rc; r++) {
        national_region *x = &nr[r];
        if (!x->fin && !x->kpi)
            continue;
        any = 1;
        if ((x->fin && !(x->rr.fin = score_run(x->fin, ds, 0, upto, d))) ||
            (x->kpi && !(x->rr.kpi = score_run(x->kpi, ds, 0, upto, d)))) {
            rc = -1;
            break;
        }
        if (x->rr.fin) /* too few provinces for the SD: warned, the documents say why there is no grade */
            score_report_too_few(x->rr.fin, 0, d);
        reader_date cm = model_calendar_month(ds->fiscal_year, x->rr.kpi ? x->rr.kpi->last_month : 0);
        /* a ledger that cannot be read or does not verify stops the batch before anything moves */
        int first = jl->n, signed_month = x->fin && x->kpi && wants(o, "monthly")
                                              ? archive_last_month(o->archive, x->fin->name, r, cm, &x->signed_month, d)
                                              : 0;
        if (signed_month < 0) {
            rc = -1;
            break;
        }
        /* each region planned on its own (a booklet binds one region), then joined */
        job_list one = {NULL, 0, jl->out, jl->stage};
        rc = plan_jobs(&one, o, ds, x->fin, x->kpi, &x->rr, d) != 0 || render_gaps(&x->rr, o, d) != 0 ? -1 : 0;
        render_job *v = rc ? NULL : realloc(jl->v, ((size_t)jl->n + (size_t)one.n) * sizeof *v);
        if (v) {
            memcpy(v + jl->n, one.v, (size_t)one.n * sizeof *v);
            jl->v = v;
            jl->n += one.n;
            one.n = 0;
        } else if (!rc) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
            rc = -1;
        }
        for (int i = 0; i < one.n; i++)
            batch_free_job(&one.v[i]);
        free(one.v);
        for (int i = first; signed_month && i < jl->n; i++)
            jl->v[i].signed_month = &x->signed_month;
    }
    if (!rc && !any) {
        diag_add(d, DIAG_ERROR, o->schemes, 0, 0, "no scheme folder (with a scheme.ini) here");
        rc = -1;
    }
    if (!rc && (batch_run(jl, o->jobs, ro, d) != 0 || batch_commit(jl, d) != 0))
        rc = -1;
    for (int r = 0; r < 14; r++) {
        free_results(&nr[r].rr);
        archive_month_free(&nr[r].signed_month);
        scheme_free(nr[r].fin);
        scheme_free(nr[r].kpi);
    }
    return rc;
}

/* A render of the KPI report alone reads no finance table: finance.csv,
 * trial_balance.csv, eclaim.csv and efficiency7.csv are left unread (their
 * months still count for the data's last month: model_load_tables_deferring),
 * unless the KPI scheme's criteria read them. `khet check` reads them all. */
static unsigned kpi_only_defer(const render_opts *o)
{
    if (strcmp(o->report, "kpi") || o->province || o->schemes)
        return 0;
    return model_file_bit("finance.csv") | model_file_bit("trial_balance.csv") | model_file_bit("eclaim.csv") |
           model_file_bit("efficiency7.csv");
}

int cmd_render(int argc, char **argv)
{
    char tbuf[CLI_PATH_MAX], fbuf[CLI_PATH_MAX];
    const char *tdir = cli_templates_dir(tbuf, sizeof tbuf);
    char *fin = NULL, *kpi = NULL;
    render_opts o = {"data", NULL, NULL, "all", NULL, "out", "Laksaman", tdir, NULL, 1, {0, 0, 0}, {0, 0, 0}, 0, 0, 0, 0, 0, "archive", -1, NULL, NULL};
    int font_given = 0, rc = parse_render_opts(argc, argv, &o, &font_given);
    /* beside a ledger, khet (lite.c) hands the render to khet-full; in khet-full this is 0 */
    int full = rc == 0 ? cli_render_needs_full(o.archive, argc, argv) : 0;
    full = rc == 0 && !full ? cli_data_needs_full(o.data, 0, argc, argv) : full; /* the same for a workbook */
    if (full != 0)
        return full;
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
    unsigned defer = kpi_only_defer(&o);
    dataset *ds = !words ? NULL : datafolder_load_deferring(o.data, o.encoding, defer, d);
    if (ds && datafolder_teach_names(words, ds, NULL) != 0)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    scheme *fs = NULL, *ks = NULL;
    int loaded = ds && !diag_system_errors(d) && (o.schemes || load_schemes(&o, ds, &fs, &ks, &fin, &kpi, d) == 0);
    if (loaded && ds->deferred && ks && model_load_deferred(ds, o.data, o.encoding, score_data_files(ks), d) != 0)
        loaded = 0; /* the KPI scheme's criteria read a finance table after all */
    int upto = -1, runtime = 0;
    if (loaded && o.month.year && (upto = model_fiscal_month(ds->fiscal_year, o.month)) < 0)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "--month is outside the data's fiscal year");
    render_results rr = {0};
    report_signed_month signed_month = {0};
    job_list *jl = calloc(1, sizeof *jl);
    if (loaded && o.schemes && !diag_errors(d)) {
        const char *font_dir = o.fonts ? o.fonts : cli_font_dir(fbuf, sizeof fbuf);
        report_opts ro = {o.templates, font_dir, o.font, o.thai, o.date, NULL, 0, NULL,
                          o.style == REPORT_STYLE_OFFICIAL ? REPORT_STYLE_OFFICIAL : REPORT_STYLE_MODERN, words, NULL, NULL, 0};
        if (!jl)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        runtime = !jl || render_national(&o, ds, upto, &ro, jl, d) != 0;
    /* a region with too few provinces for the SD is not graded unless its
     * scheme names what to do: its documents say why, with no grade, rank or
     * amount (a warning here, status 0) */
    } else if (loaded && !diag_errors(d) && (!fs || defer || (rr.fin = score_run(fs, ds, 0, upto, d))) &&
        (!ks || (rr.kpi = score_run(ks, ds, 0, upto, d)))) {
        if (rr.fin)
            score_report_too_few(rr.fin, 0, d);
        if (rr.fin)
            score_report_not_counted(rr.fin, o.data, d);
        const char *font_dir = o.fonts ? o.fonts : cli_font_dir(fbuf, sizeof fbuf);
        if (o.style == REPORT_STYLE_OFFICIAL && !font_given)
            o.font = official_font(font_dir, o.font, d);
        report_opts ro = {o.templates, font_dir, o.font, o.thai, o.date, NULL, 0, NULL,
                          o.style == REPORT_STYLE_OFFICIAL ? REPORT_STYLE_OFFICIAL : REPORT_STYLE_MODERN, words, NULL, NULL, 0};
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
        else if (!jl || batch_start(jl, o.out, d) != 0 || plan_jobs(jl, &o, ds, fs, ks, &rr, d) != 0 ||
            render_gaps(&rr, &o, d) != 0 || batch_run(jl, o.jobs, &ro, d) != 0 || batch_commit(jl, d) != 0)
            runtime = 1;
    }
    for (int i = 0; jl && i < jl->n; i++)
        batch_free_job(&jl->v[i]);
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
