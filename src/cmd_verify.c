/* khet verify: checks an archive: every file's checksum, each signature,
 * the ledger's hash chain, the embedded sources, and that rendering them
 * again gives the same bytes. Exit 0 only when all of it holds. */
#include <getopt.h>
#include <stdio.h>

#include "archive.h"
#include "cli.h"

static void verify_usage(FILE *out)
{
    fputs("usage: khet verify [--archive DIR] [--allow-unsigned] [--trust CAFILE|DIR] [--fonts DIR] [ROUND]\n"
          "Checks every filed round (or ROUND, e.g. finance-r8-2563/2563-r1) of the archive\n"
          "(default ./archive) and names each file, signature or ledger row that does not hold:\n"
          "checksums, signatures, the ledger's hash chain, triggers and signed head, the ledger\n"
          "head each document carries, and every figure re-scored from the embedded sources.\n"
          "An unsigned round is an error unless --allow-unsigned (then a warning). --trust names\n"
          "the CA certificates (a PEM bundle or a folder of them) every signer's chain must reach.\n",
          out);
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {{"archive", required_argument, 0, 'a'},
                                         {"allow-unsigned", no_argument, 0, 'u'},
                                         {"trust", required_argument, 0, 't'},
                                         {"fonts", required_argument, 0, 'F'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    verify_opts o = {"archive", NULL, NULL, 0, NULL};
    char fbuf[CLI_PATH_MAX];
    const char *font_dir = cli_font_dir(fbuf, sizeof fbuf);
    int c, bad = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:F:t:uh", opts, NULL)) != -1) {
        if (c == 'a')
            o.archive_dir = optarg;
        else if (c == 'F')
            font_dir = optarg;
        else if (c == 'u')
            o.allow_unsigned = 1;
        else if (c == 't')
            o.trust = optarg;
        else if (c == 'h') {
            verify_usage(stdout);
            return EXIT_OK;
        } else
            bad = 1;
    }
    if (bad || argc - optind > 1) {
        verify_usage(stderr);
        return EXIT_INPUT;
    }
    if (cli_empty("--archive", o.archive_dir, "an archive folder"))
        return EXIT_INPUT;
    diag_ctx *d = diag_new();
    if (!d) {
        fputs("khet: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    o.round = optind < argc ? argv[optind] : NULL;
    o.font_dir = font_dir;
    int rc = archive_verify(&o, d);
    if (rc == 0)
        puts("verify: everything holds");
    return cli_finish(d, rc != 0 && !diag_errors(d));
}
