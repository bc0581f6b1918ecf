#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct diag_ctx {
    diag_msg *msgs;
    size_t n, cap;
    int errors, warnings, system;
};

diag_ctx *diag_new(void) { return calloc(1, sizeof(diag_ctx)); }

void diag_free(diag_ctx *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->msgs[i].file);
        free(d->msgs[i].message);
    }
    free(d->msgs);
    free(d);
}

void diag_vadd(diag_ctx *d, diag_level level, const char *file, int line, int col,
               const char *fmt, va_list ap)
{
    if (level == DIAG_ERROR || level == DIAG_SYSTEM)
        d->errors++;
    if (level == DIAG_SYSTEM)
        d->system++;
    else if (level == DIAG_WARNING)
        d->warnings++;
    if (util_grow((void **)&d->msgs, &d->cap, d->n + 1, sizeof *d->msgs))
        return;
    char *text = util_vformat(fmt, ap);
    if (!text)
        return;
    diag_msg *m = &d->msgs[d->n];
    m->level = level;
    m->file = file ? util_strdup(file) : NULL;
    m->line = line;
    m->col = col;
    m->message = text;
    d->n++;
}

void diag_add(diag_ctx *d, diag_level level, const char *file, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, level, file, line, col, fmt, ap);
    va_end(ap);
}

size_t diag_count(const diag_ctx *d) { return d->n; }
const diag_msg *diag_get(const diag_ctx *d, size_t i) { return i < d->n ? &d->msgs[i] : NULL; }
int diag_errors(const diag_ctx *d) { return d->errors; }
int diag_warnings(const diag_ctx *d) { return d->warnings; }
int diag_system_errors(const diag_ctx *d) { return d->system; }

static const char *level_name(diag_level l)
{
    static const char *names[] = {"note", "warning", "error", "error"};
    return names[l];
}

void diag_print(const diag_ctx *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const diag_msg *m = &d->msgs[i];
        if (m->file) {
            fputs(m->file, out);
            if (m->line > 0) {
                fprintf(out, ":%d", m->line);
                if (m->col > 0)
                    fprintf(out, ":%d", m->col);
            }
            fputs(": ", out);
        } else {
            fputs("khet: ", out);
        }
        fprintf(out, "%s: %s\n", level_name(m->level), m->message);
    }
}
