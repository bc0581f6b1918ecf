/* serve: `khet serve`, the local web application. This header is shared by
 * its modules only:
 *   serve.c         options, the HTTP daemon (GNU libmicrohttpd), routing,
 *                   the headers every response carries, the request log,
 *                   the web assets and report fonts
 *   serve_auth.c    accounts (argon2id), sessions, CSRF tokens, roles
 *   serve_space.c   workspaces: the data folder and uploads (zip bounded by
 *                   size, count and unpacked size), names sanitised
 *   serve_api.c     the JSON API: check, score (in process, through the
 *                   commands' own functions) and render/download
 *   serve_sign.c    the sign-off of a round by three accounts in turn, each
 *                   through `khet archive --stage/--countersign`; history,
 *                   verify
 *   serve_keys.c    each signer's PKCS#12 key (uploaded, checked, kept),
 *                   the accounts an administrator makes in the browser, the
 *                   rounds being signed kept on disk
 *   serve_work.c    worker processes: `khet render` and friends run by the
 *                   very binary, through a bounded queue with a timeout
 * Nothing here scores or renders: it calls what the commands call. */
#ifndef KHET_SERVE_H
#define KHET_SERVE_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define SERVE_MAX_SESSIONS 256
#define SERVE_MAX_SPACES 64
#define SERVE_MAX_USERS 128
#define SERVE_MAX_BODY ((size_t)64 << 10)        /* a JSON request */
#define SERVE_MAX_UPLOAD ((size_t)32 << 20)      /* one uploaded file */
#define SERVE_MAX_UNPACKED ((size_t)256 << 20)   /* a zip, all entries unpacked */
#define SERVE_MAX_ENTRY ((size_t)64 << 20)       /* one entry of a zip, unpacked */
#define SERVE_MAX_ENTRIES 64                     /* entries of a zip */
#define SERVE_SESSION_SECONDS (8 * 3600)

/* ROLE_ADMIN manages accounts only: it may look, not upload, render or sign. */
typedef enum { ROLE_NONE, ROLE_VIEWER, ROLE_OFFICER, ROLE_CHECKER, ROLE_APPROVER, ROLE_ADMIN, ROLE_LOCAL } serve_role;

typedef struct {
    char name[64];
    serve_role role;
    char hash[160]; /* argon2id encoded */
} serve_user;

typedef struct {
    char id[65];   /* 32 random bytes, hex */
    char csrf[65]; /* 32 random bytes, hex */
    char user[64];
    serve_role role;
    time_t expires;
} serve_session;

typedef struct {
    int id;           /* 0: the --data folder (read only) */
    char name[128];   /* what the person uploaded, sanitised */
    char *dir;        /* the workspace folder (NULL for 0) */
    char *data;       /* its data folder */
    int next_job;
} serve_space;

/* A round being signed (KEYS/rounds.json keeps them across restarts): the
 * three accounts named when it was started, in the sign-off's order
 * (preparer: an officer, checker, approver), and who has signed. The
 * documents themselves wait in ARCHIVE/.pending-ID once the preparer has
 * signed (`khet archive --stage`). */
#define SERVE_MAX_ROUNDS 16
typedef struct {
    char id[96]; /* SCHEME/PERIOD-rN */
    int ws, round;
    int busy;  /* a signature is being made (not kept) */
    int stale; /* khet archive said the ledger moved on: its waiting documents cannot be filed */
    char scheme[64], period[16], date[16], started_by[64];
    struct {
        int done;
        char user[64], name[160], position[160], date[16];
    } signers[3];
} serve_round;

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int running, waiting, max_running, max_waiting;
    int timeout_s;
} serve_queue;

typedef struct serve_ctx {
    /* options */
    const char *data, *archive, *listen, *users_file, *tls_cert, *tls_key;
    const char *keys_dir; /* --keys (default: keys beside --users): NAME.p12, rounds.json */
    char keys_default[4200];
    int port;
    char host[64];
    int secure; /* TLS: cookies get Secure */
    char exe[4096];
    char web_dir[4200], font_dir[4200], templates_dir[4200];
    char *root; /* this run's workspaces: a private temporary folder */
    /* state, under lock */
    pthread_mutex_t lock;
    serve_user users[SERVE_MAX_USERS];
    int nusers;
    serve_session sessions[SERVE_MAX_SESSIONS];
    serve_space spaces[SERVE_MAX_SPACES];
    int nspaces, next_space;
    serve_queue queue;
    serve_round rounds[SERVE_MAX_ROUNDS];
    int nrounds;
    char last_filed[128], last_head[200];
    volatile int stopping;
} serve_ctx;

/* What a handler answers: a status, a content type and a body it owns,
 * or a file to send (fd) with an optional download name. */
typedef struct {
    int status;
    const char *type;
    char *body;
    size_t len;
    int fd;                /* -1: send body */
    char disposition[256]; /* Content-Disposition, or empty */
    char set_cookie[256];  /* Set-Cookie, or empty */
    const char *csp;       /* NULL: the pages' policy */
} serve_reply;

/* One request as the API sees it. */
typedef struct {
    serve_ctx *ctx;
    const char *method, *path;
    const char *(*arg)(void *conn, const char *name); /* a query argument */
    void *conn;
    const char *csrf; /* the X-CSRF-Token header, or NULL */
    const char *body; /* a POST's JSON (NUL-terminated), or an upload's file */
    size_t body_len;
    const char *upload_path; /* an upload streamed to disk, else NULL */
    serve_session session;   /* a copy; id empty when none */
    char action[512];        /* logged after the request line */
} serve_req;

/* serve.c */
void serve_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int serve_json(serve_reply *r, int status, json_t *j); /* steals j */
int serve_error(serve_reply *r, int status, const char *message_th);

/* serve_auth.c */
int serve_users_load(serve_ctx *c);
/* `khet serve --add-user`: the password from stdin's first line (and with
 * p12, the key's pass phrase from its second). An exit status. */
int serve_add_user(const char *file, const char *name, const char *role, const char *keys_dir, const char *p12);
/* Adds an account to the file (and to c->users when c is not NULL):
 * USER_OK or why not. */
enum { USER_OK, USER_BAD_NAME, USER_BAD_PASSWORD, USER_NO_HASH, USER_CANNOT_READ, USER_EXISTS, USER_FULL,
       USER_CANNOT_WRITE, USER_NOT_FIRST };
/* first: only while there is no account at all (the first run's administrator). */
int serve_user_add(serve_ctx *c, const char *file, const char *name, const char *role, const char *password,
                   int first);
/* 1 while --users names a file without accounts (the first run, 127.0.0.1 only). */
int serve_users_none(serve_ctx *c);
int serve_role_of(const char *s, serve_role *out);
/* The role of account `name`, ROLE_NONE when there is none. */
serve_role serve_user_role(serve_ctx *c, const char *name);
const char *serve_role_name(serve_role r);
int serve_random_hex(char *out, size_t bytes); /* out: 2*bytes+1 */
/* Finds the session of the cookie; 0 and a copy, or -1. */
int serve_session_get(serve_ctx *c, const char *cookie, serve_session *out);
int serve_session_new(serve_ctx *c, const char *user, serve_role role, serve_session *out);
void serve_session_end(serve_ctx *c, const char *id);
int serve_login(serve_ctx *c, const char *name, const char *password, serve_session *out);
int serve_csrf_ok(const serve_session *s, const char *token);

/* serve_space.c */
int serve_spaces_init(serve_ctx *c);
void serve_spaces_free(serve_ctx *c);
/* Copies the workspace's folders under the lock; -1 when there is none. */
int serve_space_get(serve_ctx *c, int id, serve_space *out);
json_t *serve_spaces_json(serve_ctx *c);
int serve_space_next_job(serve_ctx *c, int id); /* a new job number, -1: no such workspace */
/* An uploaded file (at tmp) named `name`: a zip or a data file, into a new
 * workspace (ws < 0) or workspace ws. Fills *new_id. 0, or an HTTP status
 * with a Thai message in err. */
int serve_space_upload(serve_ctx *c, int ws, const char *name, const char *tmp, int *new_id, char *err, size_t n);
/* Whether a name is a safe file name of ours (letters, digits, . _ -). */
int serve_safe_name(const char *s);
void serve_spaces_free_copy(serve_space *s);

/* serve_work.c */
void serve_queue_init(serve_queue *q, int max_running, int max_waiting, int timeout_s);
/* Runs `khet ARGV...` (argv[0] is the command name) with stdout and stderr
 * into files; 0 when it exited 0, its exit status, 124 on timeout, 503
 * when the queue is full, -1 when it could not start. */
int serve_run(serve_ctx *c, char *const argv[], const char *out_file, const char *err_file);
/* The same, handing the worker fds[0..n) as its descriptors 3, 4, ... */
int serve_run_fds(serve_ctx *c, char *const argv[], const char *out_file, const char *err_file, const int *fds, int n);

/* serve_api.c */
int serve_api(serve_req *q, serve_reply *r);
int serve_is_scheme(serve_ctx *c, const char *name);
/* A workspace id from the query (?ws=N), or -1. */
int serve_arg_int(serve_req *q, const char *name, int max);
/* Rewrites the workspace's paths out of a diagnostic's file name. */
const char *serve_short_path(const char *file, const char *data_dir, const char *templates_dir);

/* serve_sign.c */
int serve_round_get(serve_req *q, serve_reply *r);
int serve_round_start(serve_req *q, serve_reply *r);
int serve_round_sign(serve_req *q, serve_reply *r);
int serve_round_cancel(serve_req *q, serve_reply *r);
int serve_history(serve_req *q, serve_reply *r);
int serve_verify(serve_req *q, serve_reply *r);

/* serve_keys.c */
/* Checks a PKCS#12 file (der) with its pass phrase as `khet archive` will
 * (sign_key_load, sign_key_check) and keeps it as KEYS/USER.p12: 0, or an
 * HTTP status with a Thai message in err; the certificate's subject into
 * subject. */
int serve_key_install(const char *keys_dir, const char *user, const char *der, size_t len, const char *pass,
                      char *subject, size_t sn, char *err, size_t en);
int serve_key_present(serve_ctx *c, const char *user);
int serve_api_key(serve_req *q, serve_reply *r);   /* GET/POST /api/key */
int serve_api_users(serve_req *q, serve_reply *r); /* GET/POST /api/users */
/* The rounds being signed, to and from KEYS/rounds.json (call under c->lock). */
int serve_rounds_save(serve_ctx *c);
void serve_rounds_load(serve_ctx *c);
/* A memory file holding n bytes, for a worker's /dev/fd/N; -1 on failure. */
int serve_memory_file(const char *name, const char *data, size_t n);

/* serve_render.c */
int serve_render(serve_req *q, serve_reply *r);
int serve_file(serve_req *q, serve_reply *r);
int serve_zip(serve_req *q, serve_reply *r);
/* A worker's stderr, a line each, server paths cut to the workspace's names. */
json_t *serve_worker_messages(const char *err_file, const char *data_dir, serve_ctx *c);
/* 1 when s matches the extended regular expression pattern (s NULL: 0). */
int serve_matches(const char *s, const char *pattern);

#endif
