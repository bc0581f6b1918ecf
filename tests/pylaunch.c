/* build/pybin/python3 (the Makefile): Debian's python3 without the site
 * module (-S), for the test scripts. A static program exec'ing it directly,
 * not a `#!/bin/sh` script: the shell's own start was a quarter of an empty
 * script's processor time on a slow machine (35.7 -> 28.3 ms task-clock;
 * make test starts python ~360 times). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        perror("python3");
        return 127;
    }
    args[0] = "/usr/bin/python3";
    args[1] = "-S";
    for (int i = 1; i < argc; i++)
        args[i + 1] = argv[i];
    execv(args[0], args);
    perror("/usr/bin/python3");
    return 127;
}
