#include <stdio.h>
#include "cli.h"
int cmd_typeset(int argc, char **argv) { (void)argc; (void)argv; fputs("khet typeset: not built yet\n", stderr); return EXIT_RUNTIME; }
int cmd_render(int argc, char **argv) { (void)argc; (void)argv; fputs("khet render: not built yet\n", stderr); return EXIT_RUNTIME; }
const char *cli_share_dir(void) { return "."; }
