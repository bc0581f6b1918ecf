/* cmd_fonts: `khet fonts`, the Thai-capable fonts khet can see (the fonts
 * folder first, then fontconfig's), with the file of each face it would use
 * for `--font FAMILY`. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "fontfind.h"

static void fonts_usage(FILE *out)
{
    fputs("usage: khet fonts [--fonts DIR]\n"
          "lists the Thai fonts khet can use with --font FAMILY (or --font PATH), and the file of each face\n",
          out);
}

int cmd_fonts(int argc, char **argv)
{
    static const struct option opts[] = {{"fonts", required_argument, 0, 'F'}, {"help", no_argument, 0, 'h'}, {0}};
    char fbuf[CLI_PATH_MAX];
    const char *font_dir = cli_font_dir(fbuf, sizeof fbuf);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "F:h", opts, NULL)) != -1) {
        switch (c) {
        case 'F': font_dir = optarg; break;
        case 'h': fonts_usage(stdout); return EXIT_OK;
        default: fonts_usage(stderr); return EXIT_INPUT;
        }
    }
    if (optind < argc) {
        fonts_usage(stderr);
        return EXIT_INPUT;
    }
    diag_ctx *d = diag_new();
    int rc = fontfind_list(font_dir, stdout, d);
    return cli_finish(d, rc != 0 || fflush(stdout) != 0);
}
