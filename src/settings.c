#include "settings.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    FILE *f;
    int line;
    settings_fn fn;
    void *user;
} settings_ctx;

static char *read_line(char *str, int num, void *stream)
{
    settings_ctx *c = stream;
    char *s = fgets(str, num, c->f);
    if (s)
        c->line++;
    return s;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    settings_ctx *c = user;
    return c->fn(c->user, section, name, value, c->line);
}

int settings_parse(const char *path, settings_fn fn, void *user, diag_ctx *d)
{
    settings_ctx c = {fopen(path, "r"), 0, fn, user};
    if (!c.f) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read settings: %s", strerror(errno));
        return -1;
    }
    int rc = ini_parse_stream(read_line, &c, on_value, &c);
    fclose(c.f);
    if (rc > 0)
        diag_add(d, DIAG_ERROR, path, rc, 1, "syntax error (expected [section] or name = value)");
    else if (rc < 0)
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read settings (out of memory)");
    return rc == 0 ? 0 : -1;
}
