#include "settings.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "util.h"

/* Debian's libinih reads lines of at most 200 bytes (about 60 Thai
 * characters). Long Thai values are therefore written on several lines, each
 * continuation line indented; we join the parts with one space and hand the
 * continuation line indented. Parts are joined directly, since Thai puts no
 * space between words; a part that ends in a backslash is joined with one
 * space instead. A line too long is reported, not cut. */
typedef struct {
    const char *text; /* the whole file, read at once (util_read_file's limits) */
    size_t len, at;
    const char *path;
    diag_ctx *d;
    int line, cont_line, too_long;
    settings_fn fn;
    void *user;
    const char *want;   /* the one section the caller reads */
    const char *const *known; /* the names the caller reads, for "did you mean" (may be NULL) */
    char *section, *name; /* the pending value */
    strbuf value;
    int value_line, stop;
} settings_ctx;

/* libinih's line reader: one line of the text, ended by LF, CR LF or a lone
 * CR (all count as one line, so messages give the line an editor shows). */
static char *read_line(char *str, int num, void *stream)
{
    settings_ctx *c = stream;
    if (c->at >= c->len)
        return NULL;
    const char *p = c->text + c->at;
    size_t n = 0, rest = c->len - c->at;
    while (n < rest && p[n] != '\n' && p[n] != '\r')
        n++;
    size_t end = n < rest ? n + 1 + (p[n] == '\r' && n + 1 < rest && p[n + 1] == '\n') : n;
    c->line++;
    int ended = n < rest;
    if (n + (size_t)ended > (size_t)num - 1) {
        c->too_long = c->line;
        return NULL;
    }
    memcpy(str, p, n);
    if (ended)
        str[n++] = '\n';
    str[n] = 0;
    c->at += end;
    if ((str[0] == ' ' || str[0] == '\t') && strspn(str, " \t\r\n") < n)
        c->cont_line = c->line;
    return str;
}

/* Appends one line's part; a trailing backslash stands for a space. */
static void join_part(strbuf *b, const char *part)
{
    size_t n = strlen(part);
    if (n && part[n - 1] == '\\') {
        while (n > 1 && (part[n - 2] == ' ' || part[n - 2] == '\t'))
            n--;
        sb_append(b, part, n - 1);
        sb_puts(b, " ");
    } else {
        sb_append(b, part, n);
    }
}

static int flush(settings_ctx *c)
{
    int ok = 1;
    if ((!c->name || !c->section) && c->value.oom && !c->stop) { /* the name itself could not be kept */
        diag_add(c->d, DIAG_SYSTEM, c->path, c->value_line, 1, "out of memory");
        ok = 0;
    } else if (c->name && !c->stop) {
        if (c->value.oom) {
            diag_add(c->d, DIAG_SYSTEM, c->path, c->value_line, 1, "out of memory");
            ok = 0;
        } else if (strcmp(c->section, c->want) != 0) {
            diag_add(c->d, DIAG_WARNING, c->path, c->value_line, 1, "setting '%s' of unknown section [%s] is ignored",
                     c->name, c->section);
        } else {
            int r = c->fn(c->user, c->name, c->value.data ? c->value.data : "", c->value_line);
            const char *guess = r == SETTING_UNKNOWN ? reader_did_you_mean(c->name, c->known, NULL) : NULL;
            if (r == SETTING_UNKNOWN && guess)
                diag_add(c->d, DIAG_WARNING, c->path, c->value_line, 1,
                         "unknown setting '%s' is ignored: did you mean '%s'?", c->name, guess);
            else if (r == SETTING_UNKNOWN)
                diag_add(c->d, DIAG_WARNING, c->path, c->value_line, 1, "unknown setting '%s' is ignored", c->name);
            ok = r != SETTING_STOP;
        }
    }
    free(c->section);
    free(c->name);
    c->section = c->name = NULL;
    sb_free(&c->value);
    c->value = (strbuf){0};
    if (!ok)
        c->stop = 1;
    return ok;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    settings_ctx *c = user;
    if (c->line == c->cont_line && c->name && c->section && !strcmp(name, c->name) && !strcmp(section, c->section)) {
        join_part(&c->value, value);
        return 1;
    }
    if (!flush(c))
        return 0;
    c->section = util_strdup(section);
    c->name = util_strdup(name);
    c->value_line = c->line;
    join_part(&c->value, value);
    if (!c->section || !c->name || !c->value.data) {
        c->value.oom = 1;
        if (!c->value.data)
            sb_puts(&c->value, "");
    }
    return 1;
}

int settings_parse(const char *path, const char *section, settings_fn fn, void *user, diag_ctx *d)
{
    return settings_parse_known(path, section, fn, user, NULL, d);
}

int settings_parse_known(const char *path, const char *section, settings_fn fn, void *user, const char *const *known,
                         diag_ctx *d)
{
    settings_ctx c = {.path = path, .d = d, .fn = fn, .user = user, .want = section, .known = known};
    char *text;
    if (util_read_file(path, UTIL_LIMIT_TEXT, &text, &c.len) != 0) {
        int e = errno;
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, path, 0, 0, "cannot read settings: %s",
                 util_strerror(e));
        return -1;
    }
    /* as data files: UTF-8 (a BOM allowed), else Windows-874 as Thai Windows saves it */
    if (util_utf8_invalid_at(text, c.len) < c.len || (c.len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))) {
        char *utf8 = reader_decode_text(path, text, c.len, NULL, d);
        free(text);
        if (!utf8)
            return -1;
        text = utf8;
        c.len = strlen(utf8);
    }
    c.text = text;
    int rc = ini_parse_stream(read_line, &c, on_value, &c);
    free(text);
    if (rc == 0)
        flush(&c);
    else {
        free(c.section);
        free(c.name);
        sb_free(&c.value);
    }
    if (c.too_long) {
        diag_add(d, DIAG_ERROR, path, c.too_long, 199,
                 "line longer than 199 bytes: continue the value on an indented next line");
        return -1;
    }
    if (rc > 0)
        diag_add(d, DIAG_ERROR, path, rc, 1, "syntax error (expected [section] or name = value)");
    else if (rc < 0)
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot read settings (out of memory)");
    return rc == 0 && !c.stop ? 0 : -1;
}
