/* khet archive: renders a signed-off round as final PDF/A-3b documents,
 * signs them (with --key/--cert) and files them, write-once, in the archive
 * and its ledger. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "archive_sign.h"
#include "cli.h"
#include "datafolder.h"
#include "region.h"
#include "signoff.h"
#include "util.h"

static void archive_usage(FILE *out)
{
    fputs("usage: khet archive --data DIR --signoff FILE [--scheme DIR] [--archive DIR] [--stage]\n"
          "                    [--sign ROLE=KEY.pem,CERT.pem|ROLE=FILE.p12 ...] [--key KEY [--cert CERT.pem]]\n"
          "                    [--pass-fd N] [--tsa URL]\n"
          "                    [--templates DIR] [--font NAME|PATH] [--fonts DIR]\n"
          "                    [--style official|modern]\n"
          "Files the round the sign-off file names: its documents as signed PDF/A-3b with their\n"
          "inputs embedded, in ARCHIVE/SCHEME/PERIOD-rN (default archive: ./archive), recorded in\n"
          "ARCHIVE/ledger.sqlite. A round is filed once; nothing in the archive is overwritten.\n"
          "The scheme is the one of dataset.ini (finance_scheme or kpi_scheme) the sign-off names,\n"
          "unless --scheme gives its folder.\n"
          "--sign, once per signer of the sign-off (ROLE: ผู้จัดทำ, ผู้ตรวจสอบ, ผู้อนุมัติ, or preparer,\n"
          "checker, approver): each signs every document with their own key, in that order, the\n"
          "first a certification. --key/--cert: one signature for the whole sign-off.\n"
          "--tsa http[s]://HOST[:PORT]/PATH: each signature time-stamped by that RFC 3161 authority.\n"
          "--pass-fd N: the pass phrases of encrypted keys and PKCS#12 files, one line per key that\n"
          "asks, in the order the keys are given (never on the command line).\n"
          "--stage: only the first signers (--sign) sign now; the round waits in ARCHIVE/.pending-*\n"
          "until the others sign in turn with\n"
          "       khet archive --countersign SCHEME/PERIOD-rN [--archive DIR] --sign ROLE=KEY,CERT ...\n"
          "and is filed when the last has signed.\n"
          "       khet archive --extend SCHEME/PERIOD-rN [--archive DIR] --tsa URL [--crl FILE ...] [--trust CAFILE|DIR]\n"
          "adds to each signed document of a filed round the validation data (certificates and CRLs:\n"
          "PAdES B-LT) and a document time-stamp (B-LTA), recorded in the ledger.\n",
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
        {"sign", required_argument, 0, 'g'},    {"tsa", required_argument, 0, 'T'},
        {"pass-fd", required_argument, 0, 'P'}, {"stage", no_argument, 0, 'G'},
        {"countersign", required_argument, 0, 'C'}, {"extend", required_argument, 0, 'E'},
        {"crl", required_argument, 0, 'R'},     {"trust", required_argument, 0, 'U'},
        {"help", no_argument, 0, 'h'},          {0}};
    char tbuf[CLI_PATH_MAX], fbuf[CLI_PATH_MAX];
    archive_opts o = {NULL, NULL, NULL, "archive", cli_templates_dir(tbuf, sizeof tbuf), cli_font_dir(fbuf, sizeof fbuf),
                      NULL, NULL, NULL, NULL, NULL, 0, NULL, -1, 0, NULL, NULL, NULL, 0, NULL};
    const char *crls[16];
    archive_signer signers[SIGNOFF_MAX_SIGNERS];
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
        case 'T': o.tsa = optarg; break;
        case 'G': o.stage = 1; break;
        case 'C': o.countersign = optarg; break;
        case 'E': o.extend = optarg; break;
        case 'U': o.trust = optarg; break;
        case 'R':
            if (o.ncrls == 16) {
                fputs("khet: too many --crl (16 at most: put them in one file)\n", stderr);
                bad = 1;
            } else {
                crls[o.ncrls++] = optarg;
                o.crls = crls;
            }
            break;
        case 'P': {
            char *end;
            long fd = strtol(optarg, &end, 10);
            if (*end || end == optarg || fd < 0 || fd > 1023 || fcntl((int)fd, F_GETFD) < 0) {
                fprintf(stderr, "khet: --pass-fd %s: not an open file descriptor\n", optarg);
                bad = 1;
            } else {
                o.pass_fd = (int)fd;
            }
            break;
        }
        case 'g':
            if (o.nsigners == SIGNOFF_MAX_SIGNERS) {
                fputs("khet: too many --sign\n", stderr);
                bad = 1;
            } else if ((c = archive_parse_sign(optarg, &signers[o.nsigners])) != 0) {
                fprintf(stderr, c == -2 ? "khet: out of memory\n"
                                        : "khet: --sign takes ROLE=KEY.pem,CERT.pem (ROLE: ผู้จัดทำ, ผู้ตรวจสอบ, "
                                          "ผู้อนุมัติ, or preparer, checker, approver), not '%s'\n",
                        optarg);
                archive_signers_free(&signers[o.nsigners], 1);
                bad = 1;
            } else {
                o.signers = signers;
                o.nsigners++;
            }
            break;
        case 'h': archive_usage(stdout); return EXIT_OK;
        default: bad = 1;
        }
    }
    if (!bad && o.style && strcmp(o.style, "official") && strcmp(o.style, "modern")) {
        fputs("khet: --style takes official or modern\n", stderr);
        bad = 1;
    }
    if (!bad && o.key_path && o.nsigners) {
        fputs("khet: --sign (one per signer) and --key/--cert (one for all) do not go together\n", stderr);
        bad = 1;
    }
    if (!bad && o.tsa && !o.key_path && !o.nsigners && !o.extend) {
        fputs("khet: --tsa time-stamps signatures: give --sign or --key/--cert too\n", stderr);
        bad = 1;
    }
    if (!bad && o.countersign && (o.data_dir || o.scheme_dir || o.signoff_path || o.key_path || o.stage ||
                                  !o.nsigners)) {
        fputs("khet: --countersign ROUND takes --sign for the next signers (and --archive, --pass-fd, --tsa, --fonts): "
              "the rest comes from the round's documents\n",
              stderr);
        bad = 1;
    }
    if (!bad && o.extend && (o.data_dir || o.scheme_dir || o.signoff_path || o.key_path || o.stage || o.nsigners ||
                             o.countersign)) {
        fputs("khet: --extend ROUND takes --tsa, --crl and --trust (and --archive): the rest comes from the round's "
              "documents\n",
              stderr);
        bad = 1;
    }
    if (!bad && !o.extend && (o.ncrls || o.trust)) {
        fputs("khet: --crl and --trust go with --extend ROUND\n", stderr);
        bad = 1;
    }
    int need = !o.countersign && !o.extend; /* a new round names its inputs */
    if (bad || optind < argc || (need && (!o.data_dir || !o.signoff_path)) ||
        (o.cert_path && !o.key_path)) {
        if (!bad && o.cert_path && !o.key_path)
            fputs("khet: --cert goes with --key (a PKCS#12 file needs no --cert)\n", stderr);
        archive_usage(stderr);
        archive_signers_free(signers, o.nsigners);
        return EXIT_INPUT;
    }
    if (cli_empty("--archive", o.archive_dir, "an archive folder")) {
        archive_signers_free(signers, o.nsigners);
        return EXIT_INPUT;
    }
    diag_ctx *d = diag_new();
    if (!d) {
        fputs("khet: out of memory\n", stderr);
        archive_signers_free(signers, o.nsigners);
        return EXIT_RUNTIME;
    }
    cli_check_dirs(o.templates_dir, o.font_dir, d);
    char *scheme = NULL;
    if (!o.countersign && !o.extend && !o.scheme_dir && !diag_errors(d)) /* the scheme dataset.ini names, as render takes it */
        o.scheme_dir = scheme = scheme_from_dataset(o.data_dir, o.templates_dir, o.signoff_path, d);
    int rc = diag_errors(d)  ? -1
             : o.extend      ? archive_extend(&o, d)
             : o.countersign ? archive_countersign(&o, d)
             : o.scheme_dir  ? archive_round(&o, d)
                             : -1;
    free(scheme);
    archive_signers_free(signers, o.nsigners);
    return cli_finish(d, rc != 0 && !diag_errors(d));
}
