/* serve_auth: who is asking. Owns the accounts file (--users: one account a
 * line, `name:role:argon2id-hash`, written by `khet serve --add-user`), the
 * password check (argon2id from libargon2: a kept, memory-hard KDF, never
 * our own), the sessions (random ids from OpenSSL's RAND_bytes, kept in
 * memory only, ended by logout or after 8 hours) and their CSRF tokens.
 *
 * Without --users (127.0.0.1 only) the person at the computer gets a local
 * session on first visit; it may do everything but sign (signing needs
 * accounts, so that a round names three different people). */
#include <argon2.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "serve.h"
#include "util.h"

/* OWASP's argon2id minimum: 19 MiB, two passes, one lane. */
#define KDF_T 2
#define KDF_M 19456
#define KDF_P 1

static const char *const role_names[] = {"none", "viewer", "officer", "checker", "approver", "admin", "local"};

const char *serve_role_name(serve_role r) { return role_names[r]; }

int serve_role_of(const char *s, serve_role *out)
{
    for (int i = ROLE_VIEWER; i <= ROLE_ADMIN; i++)
        if (!strcmp(s, role_names[i])) {
            *out = (serve_role)i;
            return 0;
        }
    return -1;
}

static int valid_account_name(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n && s[0] != '.';
}

int serve_random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];
    if (bytes > sizeof raw || RAND_bytes(raw, (int)bytes) != 1)
        return -1;
    for (size_t i = 0; i < bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* Parses the accounts file's text into c->users; -1 after a message. */
static int parse_users(serve_ctx *c, const char *path, char *text)
{
    int line = 0;
    for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
        line++;
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (!*p || *p == '#')
            continue;
        char *a = strchr(p, ':'), *b = a ? strchr(a + 1, ':') : NULL;
        serve_user u = {0};
        if (!a || !b || (a - p) >= (long)sizeof u.name || strlen(b + 1) >= sizeof u.hash) {
            fprintf(stderr, "%s:%d:1: error: an account is name:role:hash\n", path, line);
            return -1;
        }
        *a = *b = 0;
        snprintf(u.name, sizeof u.name, "%s", p);
        snprintf(u.hash, sizeof u.hash, "%s", b + 1);
        if (!valid_account_name(u.name) || serve_role_of(a + 1, &u.role) != 0 || strncmp(u.hash, "$argon2id$", 10)) {
            fprintf(stderr, "%s:%d:1: error: a name (a-z 0-9 . _ -), a role (officer, checker, approver, viewer, admin) "
                            "and an argon2id hash are needed\n", path, line);
            return -1;
        }
        if (c->nusers == SERVE_MAX_USERS) {
            fprintf(stderr, "%s:%d:1: error: more than %d accounts\n", path, line, SERVE_MAX_USERS);
            return -1;
        }
        c->users[c->nusers++] = u;
    }
    return 0;
}

int serve_users_load(serve_ctx *c)
{
    char *text = NULL;
    size_t len = 0;
    if (util_read_file(c->users_file, 1 << 20, &text, &len) != 0 && errno != ENOENT) {
        fprintf(stderr, "%s: error: cannot read the accounts: %s\n", c->users_file, util_strerror(errno));
        return -1;
    }
    int rc = text ? parse_users(c, c->users_file, text) : 0;
    free(text);
    if (rc == 0 && c->nusers == 0 && strncmp(c->host, "127.", 4)) {
        fprintf(stderr, "%s: error: no accounts (add one with khet serve --users %s --add-user NAME --role admin, "
                        "or serve 127.0.0.1 first and make it in the browser)\n", c->users_file, c->users_file);
        rc = -1;
    } else if (rc == 0 && c->nusers == 0) {
        /* the first run: the person at this computer makes the administrator's account in the browser */
        serve_log("khet serve: %s has no accounts yet: the first visitor from this computer makes the administrator's",
                  c->users_file);
    }
    return rc;
}

int serve_users_none(serve_ctx *c)
{
    pthread_mutex_lock(&c->lock);
    int none = c->users_file && c->nusers == 0;
    pthread_mutex_unlock(&c->lock);
    return none;
}

serve_role serve_user_role(serve_ctx *c, const char *name)
{
    serve_role r = ROLE_NONE;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->nusers; i++)
        if (!strcmp(c->users[i].name, name))
            r = c->users[i].role;
    pthread_mutex_unlock(&c->lock);
    return r;
}

/* Whether the accounts file names `name` already: 1, 0, or -1 when it
 * cannot be read (an absent file names nobody). */
static int account_in_file(const char *file, const char *name)
{
    char *old = NULL, *prefix = util_format("%s:", name);
    size_t len = 0;
    int found = 0;
    if (!prefix || (util_read_file(file, 1 << 20, &old, &len) != 0 && errno != ENOENT)) {
        free(prefix);
        return -1;
    }
    for (char *p = old; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        found |= !strncmp(p, prefix, strlen(prefix));
    free(prefix);
    free(old);
    return found;
}

int serve_user_add(serve_ctx *c, const char *file, const char *name, const char *role, const char *pw, int first)
{
    serve_role r;
    if (!name || !valid_account_name(name) || !role || serve_role_of(role, &r) != 0)
        return USER_BAD_NAME;
    if (!pw || strlen(pw) < 8 || strlen(pw) > 1000 || strchr(pw, '\n') || strchr(pw, '\r'))
        return USER_BAD_PASSWORD;
    unsigned char salt[16];
    char hash[160];
    if (RAND_bytes(salt, sizeof salt) != 1 ||
        argon2id_hash_encoded(KDF_T, KDF_M, KDF_P, pw, strlen(pw), salt, sizeof salt, 32, hash, sizeof hash) !=
            ARGON2_OK)
        return USER_NO_HASH;
    if (c)
        pthread_mutex_lock(&c->lock); /* one writer of the file at a time */
    char *old = NULL, *text = NULL;
    size_t len = 0;
    int rc = USER_OK, have = account_in_file(file, name);
    if (have < 0 || (util_read_file(file, 1 << 20, &old, &len) != 0 && errno != ENOENT))
        rc = USER_CANNOT_READ;
    else if (first && c && c->nusers > 0)
        rc = USER_NOT_FIRST;
    else if (have)
        rc = USER_EXISTS;
    else if (c && c->nusers == SERVE_MAX_USERS)
        rc = USER_FULL;
    else if (!(text = util_format("%s%s%s:%s:%s\n", old ? old : "", len && old[len - 1] != '\n' ? "\n" : "", name,
                                  role, hash)) ||
             util_write_file_atomic(file, text, strlen(text)) != 0)
        rc = USER_CANNOT_WRITE;
    else if (c) {
        serve_user u = {.role = r};
        snprintf(u.name, sizeof u.name, "%s", name);
        snprintf(u.hash, sizeof u.hash, "%s", hash);
        c->users[c->nusers++] = u;
    }
    if (c)
        pthread_mutex_unlock(&c->lock);
    free(text);
    free(old);
    return rc;
}

/* A line of standard input (at most 1023 bytes), without its line end. */
static int stdin_line(char *buf, size_t n)
{
    if (!fgets(buf, (int)n, stdin))
        return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

/* What serve_user_add's refusal means, for the command line. */
static int add_user_failed(const char *file, const char *name, int why)
{
    static const char *const msg[] = {
        "", "a name of a-z 0-9 . _ - and --role officer, checker, approver, viewer or admin",
        "a password of at least 8 characters, on one line", "cannot hash the password",
        "cannot read the accounts", "there is already an account", "too many accounts", "cannot write the accounts",
        "not the first account"};
    if (why == USER_EXISTS)
        fprintf(stderr, "%s: error: there is already an account '%s'\n", file, name);
    else if (why == USER_CANNOT_READ || why == USER_CANNOT_WRITE)
        fprintf(stderr, "%s: error: %s: %s\n", file, msg[why], util_strerror(errno));
    else
        fprintf(stderr, "khet: --add-user: %s\n", msg[why]);
    return why == USER_NO_HASH || why == USER_CANNOT_READ || why == USER_CANNOT_WRITE ? EXIT_RUNTIME : EXIT_INPUT;
}

int serve_add_user(const char *file, const char *name, const char *role, const char *keys_dir, const char *p12)
{
    serve_role r;
    if (!valid_account_name(name) || serve_role_of(role, &r) != 0)
        return add_user_failed(file, name, USER_BAD_NAME);
    if (p12 && r != ROLE_OFFICER && r != ROLE_CHECKER && r != ROLE_APPROVER) {
        fputs("khet: --add-user: --p12 is for an account that signs (officer, checker or approver)\n", stderr);
        return EXIT_INPUT;
    }
    int have = account_in_file(file, name);
    if (have != 0)
        return add_user_failed(file, name, have > 0 ? USER_EXISTS : USER_CANNOT_READ);
    char pw[1024], phrase[1024] = "", err[512] = "", subject[512] = "";
    if (stdin_line(pw, sizeof pw) != 0 || (p12 && stdin_line(phrase, sizeof phrase) != 0)) {
        fputs(p12 ? "khet: --add-user: the password is read from the first line of standard input, the key's pass "
                    "phrase from the second\n"
                  : "khet: --add-user: the password is read from the first line of standard input\n",
              stderr);
        return EXIT_INPUT;
    }
    int rc = EXIT_OK, status;
    char *der = NULL;
    size_t len = 0;
    if (p12 && util_read_file(p12, (size_t)64 << 10, &der, &len) != 0) {
        fprintf(stderr, "%s: error: cannot read the PKCS#12 key (at most 64 KiB): %s\n", p12, util_strerror(errno));
        rc = EXIT_INPUT;
    } else if (p12 && (status = serve_key_install(keys_dir, name, der, len, phrase, subject, sizeof subject, err,
                                                  sizeof err)) != 0) {
        fprintf(stderr, "%s: error: %s\n", p12, err);
        rc = status >= 500 ? EXIT_RUNTIME : EXIT_INPUT;
    } else if ((status = serve_user_add(NULL, file, name, role, pw, 0)) != USER_OK) {
        rc = add_user_failed(file, name, status);
        char *path = p12 ? util_format("%s/%s.p12", keys_dir, name) : NULL;
        if (path) /* the key of an account that was not added does not stay */
            unlink(path);
        free(path);
    } else {
        printf("%s: account %s (%s) added", file, name, role);
        if (p12)
            printf(", its key (%s) kept in %s/%s.p12", subject, keys_dir, name);
        putchar('\n');
    }
    OPENSSL_cleanse(pw, sizeof pw);
    OPENSSL_cleanse(phrase, sizeof phrase);
    if (der)
        OPENSSL_cleanse(der, len);
    free(der);
    return rc;
}

/* ---- sessions ---- */

static int same_token(const char *a, const char *b)
{
    return strlen(a) == 64 && strlen(b) == 64 && CRYPTO_memcmp(a, b, 64) == 0;
}

int serve_session_get(serve_ctx *c, const char *cookie, serve_session *out)
{
    int rc = -1;
    time_t now = time(NULL);
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < SERVE_MAX_SESSIONS; i++) {
        serve_session *s = &c->sessions[i];
        if (s->id[0] && same_token(s->id, cookie) && s->expires > now) {
            *out = *s;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int serve_session_new(serve_ctx *c, const char *user, serve_role role, serve_session *out)
{
    serve_session s = {0};
    if (serve_random_hex(s.id, 32) != 0 || serve_random_hex(s.csrf, 32) != 0)
        return -1;
    snprintf(s.user, sizeof s.user, "%s", user);
    s.role = role;
    time_t now = time(NULL);
    /* a visitor not signed in holds a slot for 10 minutes only */
    s.expires = now + (role == ROLE_NONE ? 600 : SERVE_SESSION_SECONDS);
    pthread_mutex_lock(&c->lock);
    /* a free or expired slot, else the signed-out visitor closest to
     * expiring, else the session closest to expiring: a flood of visitors
     * never pushes out the people who have signed in */
    int slot = -1, none = -1, any = 0;
    for (int i = 0; i < SERVE_MAX_SESSIONS && slot < 0; i++) {
        const serve_session *t = &c->sessions[i];
        if (!t->id[0] || t->expires <= now)
            slot = i;
        else if (t->role == ROLE_NONE && (none < 0 || t->expires < c->sessions[none].expires))
            none = i;
        if (t->expires < c->sessions[any].expires)
            any = i;
    }
    slot = slot >= 0 ? slot : none >= 0 ? none : any;
    c->sessions[slot] = s;
    pthread_mutex_unlock(&c->lock);
    *out = s;
    return 0;
}

void serve_session_end(serve_ctx *c, const char *id)
{
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < SERVE_MAX_SESSIONS; i++)
        if (c->sessions[i].id[0] && same_token(c->sessions[i].id, id))
            memset(&c->sessions[i], 0, sizeof c->sessions[i]);
    pthread_mutex_unlock(&c->lock);
}

int serve_login(serve_ctx *c, const char *name, const char *password, serve_session *out)
{
    serve_user u = {0};
    int found = 0;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->nusers && !found; i++)
        if (!strcmp(c->users[i].name, name)) {
            u = c->users[i];
            found = 1;
        }
    pthread_mutex_unlock(&c->lock);
    /* an unknown name costs the same time as a wrong password */
    static const char dummy[] = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
                                "0dQ2GGw7+v3Ue0zUhE8D8lYqTe1pTzPqVd2zc6bL6Eg";
    int ok = argon2id_verify(found ? u.hash : dummy, password, strlen(password)) == ARGON2_OK;
    if (!found || !ok)
        return -1;
    return serve_session_new(c, u.name, u.role, out);
}

int serve_csrf_ok(const serve_session *s, const char *token)
{
    return s->id[0] && token && same_token(s->csrf, token);
}
