/* khet verify: checks an archive: every file's checksum, each signature,
 * the ledger's hash chain, the embedded sources, and that rendering them
 * again gives the same bytes. Exit 0 only when all of it holds. */
#include <getopt.h>
#include <stdio.h>

#include "archive.h"
#include "cli.h"

static void verify_usage(FILE *out)
{
    fputs("usage: khet verify [--archive DIR] [ROUND]\n"
          "Checks every filed round (or ROUND, e.g. finance-r8-2563/2563-r1) of the archive\n"
          "(default ./archive) and names each file, signature or ledger row that does not hold.\n",
          out);
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {{"archive", required_argument, 0, 'a'}, {"help", no_argument, 0, 'h'}, {0}};
    const char *archive = "archive";
    char fbuf[CLI_PATH_MAX];
    int c, bad = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:h", opts, NULL)) != -1) {
        if (c == 'a')
            archive = optarg;
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
    if (cli_empty("--archive", archive, "an archive folder"))
        return EXIT_INPUT;
    diag_ctx *d = diag_new();
    if (!d) {
        fputs("khet: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    int rc = archive_verify(archive, optind < argc ? argv[optind] : NULL, cli_font_dir(fbuf, sizeof fbuf), d);
    if (rc == 0)
        puts("verify: everything holds");
    return cli_finish(d, rc != 0 && !diag_errors(d));
}
