/* serve: `khet serve`, the local web application. Owns the options, the HTTP
 * daemon (GNU libmicrohttpd: HTTP parsing, limits on connections and their
 * idle time, TLS, all from a kept library), the routing of a request to the
 * web assets, the report fonts or the API (serve_api.c), the headers every
 * response carries (Content-Type, Content-Security-Policy, nosniff), the
 * request log (one line per request, stderr) and a clean stop on SIGTERM.
 *
 * One process: connections each get a thread; renders go to worker
 * processes through the bounded queue of serve_work.c. The only state is
 * the serve_ctx every callback receives: no globals. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "serve.h"
#include "util.h"

#ifndef KHET_SHARE
#define KHET_SHARE "/usr/local/share/khet"
#endif

/* The pages' policy: our own scripts, styles, fonts and frames only. */
#define CSP_PAGES                                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "            \
    "connect-src 'self'; frame-src 'self'; object-src 'self'; frame-ancestors 'self'; base-uri 'none'; "          \
    "form-action 'self'"
/* A document shown in the page's frame: no scripts of ours run in it. */
#define CSP_DOCUMENT "default-src 'none'; object-src 'self'; plugin-types application/pdf; frame-ancestors 'self'"

void serve_log(const char *fmt, ...)
{
    char when[32], line[1200];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* one write per line: lines of concurrent requests never interleave */
    fprintf(stderr, "%s %s\n", when, line);
}

int serve_json(serve_reply *r, int status, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (!s)
        return serve_error(r, 500, "หน่วยความจำไม่พอ");
    free(r->body);
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->body = s;
    r->len = strlen(s);
    return status;
}

int serve_error(serve_reply *r, int status, const char *message_th)
{
    json_t *j = json_pack("{s:i,s:s}", "error", status, "message", message_th);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    free(r->body);
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->body = s;
    r->len = s ? strlen(s) : 0;
    return status;
}

/* ---- web assets: a fixed table, read once at start ---- */

typedef struct {
    const char *url, *file, *type;
} asset;

static const asset assets[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/index.html", "index.html", "text/html; charset=utf-8"},
    {"/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/style.css", "style.css", "text/css; charset=utf-8"},
    {"/favicon.svg", "favicon.svg", "image/svg+xml"},
};
#define NASSETS (sizeof assets / sizeof *assets)

/* The report fonts, by their fixed names: the pages are set in them. */
static const char *const fonts[] = {"Laksaman.ttf", "Laksaman-Bold.ttf"};

/* Finds the pages: src/web of the source tree when run from it (as the
 * templates and fonts are found), else src/web beside the binary in the
 * build tree (build/khet, build/sanitize/khet), else the installed
 * PREFIX/share/khet/web beside bin/, else the compiled-in share folder. */
static int find_web_dir(serve_ctx *c)
{
    char dir[4096], probe[4300];
    snprintf(dir, sizeof dir, "%s", c->exe);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    const char *tries[] = {"src/web", "%s/../src/web", "%s/../../src/web", "%s/../share/khet/web", NULL};
    for (int i = 0; tries[i]; i++) {
        snprintf(c->web_dir, sizeof c->web_dir, tries[i], dir);
        snprintf(probe, sizeof probe, "%s/index.html", c->web_dir);
        if (access(probe, R_OK) == 0)
            return 0;
    }
    snprintf(c->web_dir, sizeof c->web_dir, "%s/web", KHET_SHARE);
    snprintf(probe, sizeof probe, "%s/index.html", c->web_dir);
    return access(probe, R_OK) == 0 ? 0 : -1;
}

/* Opens a file of ours read-only, never through a symbolic link, and only
 * a regular file; its size into *size. */
static int open_regular(const char *path, off_t *size)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = st.st_size;
    return fd;
}

static int static_reply(serve_ctx *c, const char *url, serve_reply *r)
{
    for (size_t i = 0; i < NASSETS; i++) {
        if (strcmp(url, assets[i].url))
            continue;
        char *path = util_format("%s/%s", c->web_dir, assets[i].file);
        off_t size = 0;
        int fd = path ? open_regular(path, &size) : -1;
        free(path);
        if (fd < 0)
            return serve_error(r, 404, "ไม่พบหน้านี้");
        r->status = 200;
        r->type = assets[i].type;
        r->fd = fd;
        r->len = (size_t)size;
        return 200;
    }
    for (size_t i = 0; i < sizeof fonts / sizeof *fonts; i++) {
        char url_i[64];
        snprintf(url_i, sizeof url_i, "/fonts/%s", fonts[i]);
        if (strcmp(url, url_i))
            continue;
        char *path = util_format("%s/%s", c->font_dir, fonts[i]);
        off_t size = 0;
        int fd = path ? open_regular(path, &size) : -1;
        free(path);
        if (fd < 0)
            return serve_error(r, 404, "ไม่พบแบบอักษร");
        r->status = 200;
        r->type = "font/ttf";
        r->fd = fd;
        r->len = (size_t)size;
        return 200;
    }
    return serve_error(r, 404, "ไม่พบหน้านี้");
}

/* ---- one connection's request ---- */

typedef struct {
    serve_ctx *ctx;
    struct timespec start;
    char method[16], path[256], ip[64], user[64];
    int upload;          /* POST /api/upload: the body goes to a file */
    int upload_fd;
    char *upload_tmp;
    strbuf body;
    size_t received;
    int too_big;
    int status;
    size_t bytes;
    char action[512];
} conn_state;

/* A query argument, or NULL when absent or when it holds a NUL byte (%00
 * would otherwise cut it short into some other, valid-looking value). */
static const char *query_arg(void *conn, const char *name)
{
    const char *v = NULL;
    size_t n = 0;
    if (MHD_lookup_connection_value_n((struct MHD_Connection *)conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
                                      &n) != MHD_YES ||
        !v || strlen(v) != n)
        return NULL;
    return v;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "?");
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, (socklen_t)n);
}

static conn_state *conn_begin(serve_ctx *c, struct MHD_Connection *conn, const char *url, const char *method)
{
    conn_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx = c;
    s->upload_fd = -1;
    clock_gettime(CLOCK_MONOTONIC, &s->start);
    snprintf(s->method, sizeof s->method, "%s", method);
    /* the log shows printable ASCII of the path only */
    size_t k = 0;
    for (const char *p = url; *p && k + 1 < sizeof s->path; p++)
        s->path[k++] = (*p > 32 && *p < 127) ? *p : '?';
    client_ip(conn, s->ip, sizeof s->ip);
    snprintf(s->user, sizeof s->user, "-");
    if (!strcmp(method, "POST")) {
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        long long len = cl ? atoll(cl) : 0;
        s->upload = !strcmp(url, "/api/upload");
        if (len < 0 || (size_t)len > (s->upload ? SERVE_MAX_UPLOAD : SERVE_MAX_BODY))
            s->too_big = 1;
        if (s->upload && !s->too_big) {
            s->upload_tmp = util_format("%s/upload-XXXXXX", c->root);
            s->upload_fd = s->upload_tmp ? mkstemp(s->upload_tmp) : -1;
        }
    }
    return s;
}

/* Takes a chunk of the body: into the upload file or the JSON buffer,
 * counting against the limit (a body without Content-Length too). */
static void conn_body(conn_state *s, const char *data, size_t n)
{
    if (s->too_big)
        return;
    s->received += n;
    if (s->received > (s->upload ? SERVE_MAX_UPLOAD : SERVE_MAX_BODY)) {
        s->too_big = 1;
        return;
    }
    if (s->upload) {
        while (n > 0 && s->upload_fd >= 0) {
            ssize_t w = write(s->upload_fd, data, n);
            if (w <= 0) {
                close(s->upload_fd);
                s->upload_fd = -1;
                break;
            }
            data += w;
            n -= (size_t)w;
        }
    } else {
        sb_append(&s->body, data, n);
    }
}

static void conn_end(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    conn_state *s = *con_cls;
    if (!s)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - s->start.tv_sec) * 1000 + (now.tv_nsec - s->start.tv_nsec) / 1000000;
    serve_log("%s %s %s %s %d %zuB %ldms%s%s%s", s->ip, s->user, s->method, s->path, s->status, s->bytes, ms,
              toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)", s->action[0] ? " " : "",
              s->action);
    if (s->upload_fd >= 0)
        close(s->upload_fd);
    if (s->upload_tmp) {
        unlink(s->upload_tmp); /* a workspace took a copy, or it failed: never left behind */
        free(s->upload_tmp);
    }
    if (s->body.data) /* a pass phrase or password may be in it: never left in freed memory */
        OPENSSL_cleanse(s->body.data, s->body.len);
    sb_free(&s->body);
    free(s);
    *con_cls = NULL;
}

static void add_headers(struct MHD_Response *resp, const serve_reply *r)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type ? r->type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", r->csp ? r->csp : CSP_PAGES);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->set_cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, conn_state *s, serve_reply *r)
{
    struct MHD_Response *resp;
    if (r->fd >= 0) {
        resp = MHD_create_response_from_fd(r->len, r->fd);
        if (!resp)
            close(r->fd);
        free(r->body);
    } else {
        resp = MHD_create_response_from_buffer(r->len, r->body ? r->body : (char *)"", r->body ? MHD_RESPMEM_MUST_FREE
                                                                                             : MHD_RESPMEM_PERSISTENT);
        if (!resp)
            free(r->body);
    }
    if (!resp)
        return MHD_NO;
    add_headers(resp, r);
    s->status = r->status;
    s->bytes = r->len;
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Without accounts anyone who reaches the server is the local user, so a
 * web page elsewhere must not reach it through DNS rebinding (its name
 * resolved to 127.0.0.1): the Host header must name this computer. With
 * accounts a rebound page has no session cookie and gets nowhere. */
static int host_ok(serve_ctx *c, struct MHD_Connection *conn)
{
    if (c->users_file && !serve_users_none(c)) /* (the first run's setup page is this computer's only) */
        return 1;
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!h)
        return 0;
    size_t n = strcspn(h, ":");
    return (n == strlen(c->host) && !strncmp(h, c->host, n)) || (n == 9 && !strncmp(h, "localhost", 9)) ||
           (n == 9 && !strncmp(h, "127.0.0.1", 9));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    serve_ctx *c = cls;
    conn_state *s = *con_cls;
    if (!s) {
        if (!(s = conn_begin(c, conn, url, method)))
            return MHD_NO;
        *con_cls = s;
        return MHD_YES;
    }
    if (*upload_size) {
        conn_body(s, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    serve_reply r = {.status = 500, .fd = -1};
    if (!host_ok(c, conn)) {
        serve_error(&r, 421, "ชื่อเซิร์ฟเวอร์ไม่ถูกต้อง");
        snprintf(s->action, sizeof s->action, "refused: Host header of another site");
    } else if (s->too_big) {
        serve_error(&r, 413, "ไฟล์หรือคำขอใหญ่เกินกำหนด");
    } else if (strcmp(method, "GET") && strcmp(method, "POST") && strcmp(method, "HEAD")) {
        serve_error(&r, 405, "ไม่รองรับคำขอแบบนี้");
    } else if (strncmp(url, "/api/", 5)) {
        if (strcmp(method, "POST"))
            static_reply(c, url, &r);
        else
            serve_error(&r, 405, "ไม่รองรับคำขอแบบนี้");
    } else {
        serve_req q = {.ctx = c, .method = method, .path = url, .arg = query_arg, .conn = conn};
        const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "khet_session");
        if (cookie && serve_session_get(c, cookie, &q.session) == 0 && q.session.role != ROLE_NONE)
            snprintf(s->user, sizeof s->user, "%s", q.session.user);
        q.csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
        q.body = s->body.data ? s->body.data : "";
        q.body_len = s->body.len;
        if (s->upload) {
            if (s->upload_fd < 0 || fsync(s->upload_fd) != 0)
                serve_error(&r, 500, "บันทึกไฟล์ที่อัปโหลดไม่ได้");
            else
                q.upload_path = s->upload_tmp;
        }
        if (!s->upload || q.upload_path)
            serve_api(&q, &r);
        snprintf(s->action, sizeof s->action, "%s", q.action);
    }
    return send_reply(conn, s, &r);
}

/* libmicrohttpd's own messages (a malformed request, ...) go to the log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    serve_log("http: %s", msg);
}

/* ---- options and the run ---- */

static void serve_usage(FILE *out)
{
    fputs("usage: khet serve [--data DIR] [--archive DIR] [--listen ADDRESS:PORT] [--users FILE]\n"
          "                  [--keys DIR] [--tls-cert FILE --tls-key FILE] [--workers N] [--timeout SECONDS]\n"
          "       khet serve --users FILE --add-user NAME --role officer|checker|approver|viewer|admin\n"
          "                  [--p12 KEY.p12 [--keys DIR]]\n"
          "Serves the web application (pages in Thai) on 127.0.0.1:8470: check a data folder or an\n"
          "uploaded zip, see the scores, render and download the documents, and sign a round in\n"
          "turn. Any address other than 127.0.0.1 needs --users (accounts with roles).\n"
          "--add-user reads the password from the first line of standard input and adds the\n"
          "account to FILE; with --p12, the signer's PKCS#12 key too, its pass phrase read from the\n"
          "second line (checked, never kept). --keys DIR (default: keys beside FILE) holds each\n"
          "signer's key as NAME.p12, unlocked by `khet archive` with the pass phrase the signer\n"
          "types when signing, and rounds.json, the rounds being signed.\n",
          out);
}

/* ADDRESS:PORT, an IPv4 address; 0 or -1. */
static int parse_listen(serve_ctx *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof c->host)
        return -1;
    memcpy(c->host, s, (size_t)(colon - s));
    c->host[colon - s] = 0;
    if (!strcmp(c->host, "localhost"))
        snprintf(c->host, sizeof c->host, "127.0.0.1");
    struct in_addr a;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (inet_pton(AF_INET, c->host, &a) != 1 || *end || end == colon + 1 || port < 0 || port > 65535)
        return -1;
    c->port = (int)port;
    return 0;
}

static int parse_serve_opts(int argc, char **argv, serve_ctx *c, const char **add_user, const char **role,
                            const char **p12)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},     {"archive", required_argument, 0, 'a'},
        {"listen", required_argument, 0, 'l'},   {"users", required_argument, 0, 'u'},
        {"tls-cert", required_argument, 0, 'C'}, {"tls-key", required_argument, 0, 'K'},
        {"workers", required_argument, 0, 'w'},  {"timeout", required_argument, 0, 't'},
        {"add-user", required_argument, 0, 'A'}, {"role", required_argument, 0, 'R'},
        {"keys", required_argument, 0, 'k'},    {"p12", required_argument, 0, 'P'},
        {"help", no_argument, 0, 'h'},           {0}};
    int ch, bad = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:a:l:u:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': c->data = optarg; break;
        case 'a': c->archive = optarg; break;
        case 'l': c->listen = optarg; break;
        case 'u': c->users_file = optarg; break;
        case 'C': c->tls_cert = optarg; break;
        case 'K': c->tls_key = optarg; break;
        case 'A': *add_user = optarg; break;
        case 'k': c->keys_dir = optarg; break;
        case 'R': *role = optarg; break;
        case 'P': *p12 = optarg; break;
        case 'w':
            c->queue.max_running = atoi(optarg);
            bad |= c->queue.max_running < 1 || c->queue.max_running > 64;
            break;
        case 't':
            c->queue.timeout_s = atoi(optarg);
            bad |= c->queue.timeout_s < 1 || c->queue.timeout_s > 3600;
            break;
        case 'h': return 1;
        default: bad = 1;
        }
    }
    if (bad || optind < argc)
        return 2;
    if (parse_listen(c, c->listen) != 0) {
        fprintf(stderr, "khet: --listen: an IPv4 address and a port, such as 127.0.0.1:8470, not '%s'\n", c->listen);
        return 2;
    }
    if (!!c->tls_cert != !!c->tls_key) {
        fputs("khet: --tls-cert and --tls-key go together\n", stderr);
        return 2;
    }
    if (c->users_file && !c->keys_dir) { /* the keys beside the accounts */
        const char *slash = strrchr(c->users_file, '/');
        snprintf(c->keys_default, sizeof c->keys_default, "%.*skeys", slash ? (int)(slash - c->users_file + 1) : 0,
                 c->users_file);
        c->keys_dir = c->keys_default;
    }
    return 0;
}

static int start_checks(serve_ctx *c)
{
    if (strncmp(c->host, "127.", 4) && !c->users_file) {
        fprintf(stderr, "khet: --listen %s: serving beyond this computer needs --users FILE (accounts with "
                        "passwords and roles); without it khet serves 127.0.0.1 only\n", c->listen);
        return EXIT_INPUT;
    }
    if (c->users_file && serve_users_load(c) != 0)
        return EXIT_INPUT;
    if (c->users_file)
        serve_rounds_load(c);
    ssize_t n = readlink("/proc/self/exe", c->exe, sizeof c->exe - 1);
    if (n <= 0) {
        fputs("khet: cannot find the khet binary (/proc/self/exe)\n", stderr);
        return EXIT_RUNTIME;
    }
    c->exe[n] = 0;
    if (find_web_dir(c) != 0) {
        fprintf(stderr, "khet: the web pages are missing (looked for src/web beside the binary and %s/web)\n",
                KHET_SHARE);
        return EXIT_RUNTIME;
    }
    cli_font_dir(c->font_dir, sizeof c->font_dir);
    const char *t = cli_templates_dir(c->templates_dir, sizeof c->templates_dir);
    if (t != c->templates_dir)
        snprintf(c->templates_dir, sizeof c->templates_dir, "%s", t);
    const char *f = cli_font_dir(c->font_dir, sizeof c->font_dir);
    if (f != c->font_dir)
        snprintf(c->font_dir, sizeof c->font_dir, "%s", f);
    return EXIT_OK;
}

static char *read_small(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (util_read_file(path, 1 << 20, &data, &len) != 0) {
        fprintf(stderr, "khet: %s: %s\n", path, util_strerror(errno));
        return NULL;
    }
    return data;
}

static struct MHD_Daemon *start_daemon(serve_ctx *c, char **cert, char **key)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->port)};
    inet_pton(AF_INET, c->host, &sa.sin_addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
    if (c->tls_cert) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
            fputs("khet: this libmicrohttpd has no TLS\n", stderr);
            return NULL;
        }
        if (!(*cert = read_small(c->tls_cert)) || !(*key = read_small(c->tls_key)))
            return NULL;
        flags |= MHD_USE_TLS;
        c->secure = 1;
    }
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, c, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, c,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)128, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                            (unsigned)c->host[0] == '1' ? 0u : 32u, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 << 10), MHD_OPTION_NOTIFY_COMPLETED,
                            conn_end, c,
                            c->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, *cert,
                            MHD_OPTION_HTTPS_MEM_KEY, *key, MHD_OPTION_END);
}

/* Waits for SIGTERM or SIGINT (blocked in every thread, taken here). */
static void wait_for_stop(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    serve_log("khet serve: signal %d, stopping", sig);
}

static int run_server(serve_ctx *c)
{
    char *cert = NULL, *key = NULL;
    char tmpl[] = "/tmp/khet-serve-XXXXXX";
    const char *tmpdir = getenv("TMPDIR");
    c->root = util_format("%s/khet-serve-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!c->root || !mkdtemp(c->root)) {
        fprintf(stderr, "khet: cannot create a folder for the workspaces (%s): %s\n", tmpl, util_strerror(errno));
        free(c->root);
        return EXIT_RUNTIME;
    }
    if (serve_spaces_init(c) != 0) {
        util_remove_tree(c->root);
        free(c->root);
        return EXIT_RUNTIME;
    }
    /* every thread libmicrohttpd starts inherits this mask: the signals come to sigwait */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = start_daemon(c, &cert, &key);
    int status = EXIT_OK;
    if (!d) {
        fprintf(stderr, "khet: cannot listen on %s (in use, or not an address of this computer)\n", c->listen);
        status = EXIT_RUNTIME;
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        printf("khet serve: open %s://%s:%u/ in a browser (data: %s, archive: %s%s)\n", c->secure ? "https" : "http",
               c->host, info ? info->port : (unsigned)c->port, c->data, c->archive,
               c->users_file ? ", accounts required" : "");
        fflush(stdout);
        serve_log("khet serve: listening on %s:%u, workspaces in %s", c->host, info ? info->port : (unsigned)c->port,
                  c->root);
        wait_for_stop();
        pthread_mutex_lock(&c->queue.lock);
        c->stopping = 1; /* running renders are abandoned (their workspaces go below) */
        pthread_cond_broadcast(&c->queue.freed);
        pthread_mutex_unlock(&c->queue.lock);
        MHD_stop_daemon(d);
    }
    serve_spaces_free(c);
    util_remove_tree(c->root);
    free(c->root);
    free(cert);
    free(key);
    serve_log("khet serve: stopped");
    return status;
}

int cmd_serve(int argc, char **argv)
{
    serve_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        fputs("khet: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    c->data = "data";
    c->archive = "archive";
    c->listen = "127.0.0.1:8470";
    serve_queue_init(&c->queue, 2, 32, 120);
    pthread_mutex_init(&c->lock, NULL);
    const char *add_user = NULL, *role = NULL, *p12 = NULL;
    int rc = parse_serve_opts(argc, argv, c, &add_user, &role, &p12);
    if (rc == 0 && p12 && !add_user) {
        fputs("khet: --p12 goes with --add-user (an account's key; or its owner uploads it in the browser)\n", stderr);
        rc = 2;
    }
    if (rc == 0 && add_user) {
        rc = !c->users_file || !role ? 2 : serve_add_user(c->users_file, add_user, role, c->keys_dir, p12);
        if (rc == 2 && (!c->users_file || !role))
            fputs("khet: --add-user needs --users FILE and --role\n", stderr);
        free(c);
        return rc;
    }
    int status;
    if (rc)
        serve_usage(rc == 1 ? stdout : stderr);
    if (rc == 1)
        status = EXIT_OK;
    else if (rc)
        status = EXIT_INPUT;
    else if ((status = start_checks(c)) == EXIT_OK)
        status = run_server(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
    return status;
}
