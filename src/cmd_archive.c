/* khet archive: renders a signed-off round as final PDF/A-3b documents,
 * signs them (with --key/--cert) and files them, write-once, in the archive
 * and its ledger. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "datafolder.h"
#include "region.h"
#include "signoff.h"
#include "util.h"

static void archive_usage(FILE *out)
{
    fputs("usage: khet archive --data DIR --signoff FILE [--scheme DIR] [--archive DIR]\n"
          "                    [--key KEY.pem --cert CERT.pem] [--templates DIR] [--font NAME|PATH] [--fonts DIR]\n"
          "                    [--style official|modern]\n"
          "Files the round the sign-off file names: its documents as signed PDF/A-3b with their\n"
          "inputs embedded, in ARCHIVE/SCHEME/PERIOD-rN (default archive: ./archive), recorded in\n"
          "ARCHIVE/ledger.sqlite. A round is filed once; nothing in the archive is overwritten.\n"
          "The scheme is the one of dataset.ini (finance_scheme or kpi_scheme) the sign-off names,\n"
          "unless --scheme gives its folder.\n",
          out);
}

/* The scheme folder of the round when --scheme is not given: of the
 * schemes dataset.ini names, the one whose name the sign-off carries.
 * NULL after reporting. */
static char *scheme_from_dataset(const char *data_dir, const char *templates_dir, const char *signoff_path,
                                 diag_ctx *d)
{
    signoff *so = signoff_load(signoff_path, d);
    dataset *ds = so ? datafolder_load(data_dir, NULL, d) : NULL;
    char *found = NULL, *names[2] = {NULL, NULL};
    for (int k = 0; ds && k < 2 && !found; k++) {
        int none = 0;
        char *dir = region_scheme_dir(ds, data_dir, templates_dir, k ? REGION_KPI : REGION_FINANCE, NULL, &none, d);
        scheme *s = dir ? scheme_load(dir, d) : NULL;
        if (s && s->name && !strcmp(s->name, so->scheme))
            found = dir, dir = NULL;
        else if (s && s->name)
            names[k] = util_strdup(s->name);
        scheme_free(s);
        free(dir);
    }
    if (ds && !found && !diag_errors(d))
        diag_add(d, DIAG_ERROR, signoff_path, so->scheme_line, so->scheme_col,
                 "the sign-off is for scheme %s, but %s names %s%s%s%s%s%s: name the scheme's folder with --scheme DIR, "
                 "or correct finance_scheme / kpi_scheme there",
                 so->scheme, ds->settings_path ? ds->settings_path : "dataset.ini",
                 names[0] || names[1] ? "" : "no scheme", names[0] ? "finance scheme " : "", names[0] ? names[0] : "",
                 names[0] && names[1] ? " and " : "", names[1] ? "KPI scheme " : "", names[1] ? names[1] : "");
    free(names[0]);
    free(names[1]);
    datafolder_free(ds);
    signoff_free(so);
    return found;
}

int cmd_archive(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},    {"scheme", required_argument, 0, 's'},
        {"signoff", required_argument, 0, 'o'}, {"archive", required_argument, 0, 'a'},
        {"key", required_argument, 0, 'k'},     {"cert", required_argument, 0, 'c'},
        {"templates", required_argument, 0, 't'}, {"font", required_argument, 0, 'f'},
        {"fonts", required_argument, 0, 'F'},   {"style", required_argument, 0, 'S'},
        {"help", no_argument, 0, 'h'},          {0}};
    char tbuf[CLI_PATH_MAX], fbuf[CLI_PATH_MAX];
    archive_opts o = {NULL, NULL, NULL, "archive", cli_templates_dir(tbuf, sizeof tbuf), cli_font_dir(fbuf, sizeof fbuf),
                      NULL, NULL, NULL, NULL};
    int c, bad = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:s:o:a:k:c:t:f:F:S:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.data_dir = optarg; break;
        case 's': o.scheme_dir = optarg; break;
        case 'o': o.signoff_path = optarg; break;
        case 'a': o.archive_dir = optarg; break;
        case 'k': o.key_path = optarg; break;
        case 'c': o.cert_path = optarg; break;
        case 't': o.templates_dir = optarg; break;
        case 'f': o.font = optarg; break;
        case 'F': o.font_dir = optarg; break;
        case 'S': o.style = optarg; break;
        case 'h': archive_usage(stdout); return EXIT_OK;
        default: bad = 1;
        }
    }
    if (!bad && o.style && strcmp(o.style, "official") && strcmp(o.style, "modern")) {
        fputs("khet: --style takes official or modern\n", stderr);
        bad = 1;
    }
    if (bad || optind < argc || !o.data_dir || !o.signoff_path || !o.key_path != !o.cert_path) {
        if (!bad && !o.key_path != !o.cert_path)
            fputs("khet: --key and --cert go together\n", stderr);
        archive_usage(stderr);
        return EXIT_INPUT;
    }
    if (cli_empty("--archive", o.archive_dir, "an archive folder"))
        return EXIT_INPUT;
    diag_ctx *d = diag_new();
    if (!d) {
        fputs("khet: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    cli_check_dirs(o.templates_dir, o.font_dir, d);
    char *scheme = NULL;
    if (!o.scheme_dir && !diag_errors(d)) /* the scheme dataset.ini names, as render takes it */
        o.scheme_dir = scheme = scheme_from_dataset(o.data_dir, o.templates_dir, o.signoff_path, d);
    int rc = o.scheme_dir && !diag_errors(d) ? archive_round(&o, d) : -1;
    free(scheme);
    return cli_finish(d, rc != 0 && !diag_errors(d));
}
