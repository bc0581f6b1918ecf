/* full: what khet-full, the khet with every module (the one the tests link),
 * has where `khet` has src/lite/lite.c: here a render never hands over. */
#include "cli.h"

int cli_render_needs_full(const char *archive_dir, int argc, char **argv)
{
    (void)archive_dir, (void)argc, (void)argv;
    return 0;
}

int cli_data_needs_full(const char *data_path, int xlsx_out, int argc, char **argv)
{
    (void)data_path, (void)xlsx_out, (void)argc, (void)argv;
    return 0;
}
