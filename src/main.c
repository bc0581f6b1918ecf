/* main: dispatches `khet COMMAND` to the command table. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "region.h"

#ifndef KHET_VERSION
#define KHET_VERSION "0.1.0"
#endif

static const cli_command commands[] = {
    {"init", "make a working data folder and schemes for a health region and year", cmd_init},
    {"new-year", "carry a data folder and its schemes into the next fiscal year", cmd_new_year},
    {"check", "read and validate a data folder, reporting every problem", cmd_check},
    {"score", "score the provinces of a region against a scheme", cmd_score},
    {"typeset", "set a Thai text file on A4 pages (checks the Thai engine)", cmd_typeset},
    {"fonts", "list the Thai fonts khet can use, with the file of each face", cmd_fonts},
    {"render", "render the PDF reports", cmd_render},
    {"archive", "file a signed-off round: signed PDF/A-3 documents and the ledger", cmd_archive},
    {"verify", "check an archive: checksums, signatures, ledger, sources, re-render", cmd_verify},
    {"history", "list the signed-off rounds and a province's results across them", cmd_history},
    {"serve", "serve the web application: check, score and render in a browser", cmd_serve},
};

static void usage(FILE *out)
{
    fputs("usage: khet COMMAND [options]\n       khet COMMAND --help\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\noptions:\n  -h, --help     this help\n  -V, --version  print the version\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("khet %s\n", KHET_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "khet: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_INPUT;
}
