/* serve_keys: what `khet serve` keeps for the sign-off, in the keys folder
 * (--keys, by default `keys` beside the accounts file, mode 0700):
 *   NAME.p12      each signer's PKCS#12 key and certificate, uploaded once
 *                 by its owner (POST /api/key) or given to
 *                 `khet serve --add-user --p12`; checked before it is kept
 *                 with the pass phrase typed then, by the functions
 *                 `khet archive` itself loads and checks keys with
 *                 (sign_key_load, sign_key_check); the pass phrase is never
 *                 kept: each signature needs it typed again;
 *   rounds.json   the rounds being signed: who signs each place, who has
 *                 signed (jansson), so a restart loses no half-signed round.
 * And the accounts an administrator makes in the browser (/api/users). */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"
#include "sign.h"
#include "util.h"

#define KEY_MAX ((size_t)48 << 10) /* a PKCS#12 file: a key, its certificate and a chain */

int serve_memory_file(const char *name, const char *data, size_t n)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, data + off, n - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* What the key check's first problem means, in Thai, with what to do. */
static const char *key_problem_th(const diag_ctx *d)
{
    static const struct {
        const char *needle, *th;
    } map[] = {
        {"does not unlock", "รหัสผ่านไม่ตรงกับไฟล์กุญแจนี้: พิมพ์รหัสผ่านของไฟล์ .p12 ใหม่ (ตรวจแป้นภาษาและตัวพิมพ์ใหญ่-เล็ก)"},
        {"expired", "ใบรับรองในไฟล์นี้หมดอายุแล้ว: ขอใบรับรองใหม่จากผู้ออกใบรับรอง แล้วอัปโหลดไฟล์ .p12 ใหม่"},
        {"not yet valid", "ใบรับรองในไฟล์นี้ยังไม่ถึงวันเริ่มใช้: ตรวจวันเวลาของเครื่อง หรือรอถึงวันเริ่มใช้"},
        {"CA certificate", "ไฟล์นี้เป็นกุญแจของผู้ออกใบรับรอง (CA) ใช้ลงนามเอกสารไม่ได้: ใช้ไฟล์กุญแจของผู้ลงนามเอง"},
        {"wrong usage", "ใบรับรองนี้ไม่ได้ออกไว้สำหรับลงนามเอกสาร: ขอใบรับรองสำหรับลงลายมือชื่ออิเล็กทรอนิกส์"},
        {"Ed25519", "ชนิดกุญแจนี้ใช้ไม่ได้: ใช้กุญแจ RSA หรือ ECDSA"},
        {"does not match", "กุญแจกับใบรับรองในไฟล์ไม่ใช่คู่กัน: ขอไฟล์ .p12 ที่ถูกต้องจากผู้ออกใบรับรอง"},
    };
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_msg *m = diag_get(d, i);
        for (size_t k = 0; m->message && k < sizeof map / sizeof *map; k++)
            if (strstr(m->message, map[k].needle))
                return map[k].th;
    }
    return "ไฟล์นี้ไม่ใช่ไฟล์กุญแจ PKCS#12 (.p12 หรือ .pfx) ที่มีกุญแจและใบรับรองสำหรับลงนาม: ส่งออกไฟล์ .p12 "
           "จากโปรแกรมที่เก็บใบรับรอง แล้วอัปโหลดใหม่";
}

int serve_key_install(const char *keys_dir, const char *user, const char *der, size_t len, const char *pass,
                      char *subject, size_t sn, char *err, size_t en)
{
    if (!keys_dir)
        return snprintf(err, en, "เซิร์ฟเวอร์นี้ไม่มีโฟลเดอร์กุญแจ (--keys)"), 403;
    if (len == 0 || len > KEY_MAX)
        return snprintf(err, en, "ไฟล์กุญแจ .p12 ต้องมีขนาดไม่เกิน %zu KiB", KEY_MAX >> 10), 413;
    if (!pass || strchr(pass, '\n') || strchr(pass, '\r') || strlen(pass) > 1000)
        return snprintf(err, en, "รหัสผ่านกุญแจเป็นข้อความบรรทัดเดียว"), 400;
    /* the very loader and checks of `khet archive`, on memory files */
    char *phrase = util_format("%s\n", pass);
    int kfd = serve_memory_file("khet-p12", der, len), pfd = phrase ? serve_memory_file("khet-pass", phrase, strlen(phrase)) : -1;
    char *kpath = kfd >= 0 ? util_format("/dev/fd/%d", kfd) : NULL;
    diag_ctx *d = diag_new();
    time_t now;
    sign_key *k = kpath && pfd >= 0 && d ? sign_key_load(kpath, NULL, pfd, d) : NULL;
    int status = 0;
    if (!kpath || pfd < 0 || !d)
        status = 500, snprintf(err, en, "หน่วยความจำไม่พอ");
    else if (!k || sign_time_now(&now, d) != 0 || sign_key_check(k, now, kpath, d) != 0)
        status = 400, snprintf(err, en, "%s", key_problem_th(d));
    if (!status) {
        char *subj = sign_key_subject(k);
        snprintf(subject, sn, "%s", subj ? subj : "");
        free(subj);
        char *path = util_format("%s/%s.p12", keys_dir, user);
        if ((mkdir(keys_dir, 0700) != 0 && errno != EEXIST) || !path ||
            util_write_file_atomic(path, der, len) != 0 || chmod(path, 0600) != 0)
            status = 500, snprintf(err, en, "บันทึกไฟล์กุญแจไม่ได้: %s", util_strerror(errno));
        free(path);
    }
    sign_key_free(k);
    diag_free(d);
    if (phrase)
        OPENSSL_cleanse(phrase, strlen(phrase));
    free(phrase);
    free(kpath);
    if (kfd >= 0)
        close(kfd);
    if (pfd >= 0)
        close(pfd);
    return status;
}

int serve_key_present(serve_ctx *c, const char *user)
{
    char *path = c->keys_dir ? util_format("%s/%s.p12", c->keys_dir, user) : NULL;
    struct stat st;
    int ok = path && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return ok;
}

static int signs(serve_role r) { return r == ROLE_OFFICER || r == ROLE_CHECKER || r == ROLE_APPROVER; }

/* GET /api/key: whether the account has its key here. POST /api/key
 * {p12: base64, passphrase}: its owner puts it here (or replaces it). */
int serve_api_key(serve_req *q, serve_reply *r)
{
    if (!q->ctx->keys_dir || !signs(q->session.role))
        return serve_error(r, 403, "บัญชีนี้ไม่มีกุญแจสำหรับลงนาม");
    if (strcmp(q->method, "POST"))
        return serve_json(r, 200, json_pack("{s:b}", "has_key", serve_key_present(q->ctx, q->session.user)));
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *b64 = NULL, *pass = NULL;
    size_t blen = 0;
    if (!j || json_unpack(j, "{s:s%,s:s}", "p12", &b64, &blen, "passphrase", &pass) != 0 || blen == 0 ||
        blen > 2 * KEY_MAX || strlen(pass) != json_string_length(json_object_get(j, "passphrase"))) {
        json_decref(j);
        return serve_error(r, 400, "เลือกไฟล์กุญแจ .p12 และพิมพ์รหัสผ่านของไฟล์");
    }
    /* base64 by OpenSSL's decoder (its length exact, padding and line ends allowed) */
    unsigned char *der = malloc(blen);
    int n1 = 0, n2 = 0;
    EVP_ENCODE_CTX *e = EVP_ENCODE_CTX_new();
    int decoded = der && e;
    if (decoded) {
        EVP_DecodeInit(e);
        decoded = EVP_DecodeUpdate(e, der, &n1, (const unsigned char *)b64, (int)blen) >= 0 &&
                  EVP_DecodeFinal(e, der + n1, &n2) == 1;
    }
    EVP_ENCODE_CTX_free(e);
    char subject[512] = "", err[512] = "";
    int status = decoded ? serve_key_install(q->ctx->keys_dir, q->session.user, (char *)der, (size_t)(n1 + n2), pass,
                                             subject, sizeof subject, err, sizeof err)
                         : (snprintf(err, sizeof err, "%s", der ? "ไฟล์ที่ส่งมาเสียหาย: เลือกไฟล์ .p12 ใหม่" : "หน่วยความจำไม่พอ"),
                            der ? 400 : 500);
    if (der) {
        OPENSSL_cleanse(der, blen);
        free(der);
    }
    OPENSSL_cleanse((char *)pass, strlen(pass)); /* jansson's copy of the pass phrase, before it is freed */
    snprintf(q->action, sizeof q->action, "key by=%s result=%s", q->session.user, status ? "refused" : "kept");
    json_decref(j);
    if (status)
        return serve_error(r, status, err);
    return serve_json(r, 200, json_pack("{s:b,s:s}", "has_key", 1, "subject", subject));
}

/* GET /api/users: the accounts (names, roles, whether each has its key).
 * POST /api/users {name, role, password}: a new account. Administrators only. */
int serve_api_users(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    if (q->session.role != ROLE_ADMIN) {
        snprintf(q->action, sizeof q->action, "refused: role %s may not %s %s", serve_role_name(q->session.role),
                 q->method, q->path);
        return serve_error(r, 403, "จัดการบัญชีผู้ใช้ได้เฉพาะผู้ดูแลระบบ (admin)");
    }
    if (!strcmp(q->method, "POST")) {
        json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
        const char *name = NULL, *role = NULL, *pw = NULL;
        int why = !j || json_unpack(j, "{s:s,s:s,s:s}", "name", &name, "role", &role, "password", &pw) != 0
                      ? USER_BAD_NAME
                      : serve_user_add(c, c->users_file, name, role, pw, 0);
        static const char *const th[] = {
            "", "ชื่อบัญชีใช้ตัวอักษร a-z ตัวเลข . _ - และเลือกบทบาท", "รหัสผ่านยาวอย่างน้อย 8 ตัวอักษร",
            "เข้ารหัสรหัสผ่านไม่ได้", "อ่านไฟล์บัญชีผู้ใช้ไม่ได้", "มีบัญชีชื่อนี้อยู่แล้ว: ใช้ชื่ออื่น",
            "บัญชีผู้ใช้ครบจำนวนสูงสุดแล้ว", "บันทึกไฟล์บัญชีผู้ใช้ไม่ได้", ""};
        static const int status[] = {200, 400, 400, 500, 500, 409, 409, 500, 409};
        snprintf(q->action, sizeof q->action, "add-user by=%s name=%.60s role=%.20s result=%s", q->session.user,
                 name && serve_matches(name, "^[a-z0-9._-]+$") ? name : "?",
                 role && serve_matches(role, "^[a-z]+$") ? role : "?", why ? "refused" : "added");
        json_decref(j);
        if (why)
            return serve_error(r, status[why], th[why]);
    }
    json_t *a = json_array();
    pthread_mutex_lock(&c->lock);
    serve_user copy[SERVE_MAX_USERS];
    int n = c->nusers;
    memcpy(copy, c->users, sizeof copy);
    pthread_mutex_unlock(&c->lock);
    for (int i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "name", copy[i].name, "role",
                                           serve_role_name(copy[i].role), "has_key",
                                           serve_key_present(c, copy[i].name)));
    OPENSSL_cleanse(copy, sizeof copy);
    return serve_json(r, 200, json_pack("{s:o}", "users", a));
}

/* ---- the rounds being signed, kept across restarts ---- */

int serve_rounds_save(serve_ctx *c)
{
    if (!c->keys_dir)
        return -1;
    json_t *a = json_array();
    for (int i = 0; a && i < c->nrounds; i++) {
        const serve_round *rd = &c->rounds[i];
        json_t *s = json_array();
        for (int k = 0; s && k < 3; k++)
            json_array_append_new(s, json_pack("{s:b,s:s,s:s,s:s,s:s}", "done", rd->signers[k].done, "user",
                                               rd->signers[k].user, "name", rd->signers[k].name, "position",
                                               rd->signers[k].position, "date", rd->signers[k].date));
        json_array_append_new(a, json_pack("{s:s,s:i,s:i,s:s,s:s,s:s,s:s,s:b,s:o}", "id", rd->id, "ws", rd->ws, "round",
                                           rd->round, "scheme", rd->scheme, "period", rd->period, "date", rd->date,
                                           "started_by", rd->started_by, "stale", rd->stale, "signers",
                                           s ? s : json_null()));
    }
    char *text = a ? json_dumps(a, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
    char *path = util_format("%s/rounds.json", c->keys_dir);
    int rc = text && path && (mkdir(c->keys_dir, 0700) == 0 || errno == EEXIST) &&
                     util_write_file_atomic(path, text, strlen(text)) == 0
                 ? 0
                 : -1;
    if (rc)
        serve_log("khet serve: cannot keep the rounds being signed in %s: %s", path ? path : "?", util_strerror(errno));
    json_decref(a);
    free(text);
    free(path);
    return rc;
}

static void copy_str(char *dst, size_t n, json_t *v)
{
    snprintf(dst, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* Reads rounds.json at start. A round whose preparer had not signed yet and
 * whose data was an upload is dropped: uploads do not outlive the server. */
void serve_rounds_load(serve_ctx *c)
{
    char *path = c->keys_dir ? util_format("%s/rounds.json", c->keys_dir) : NULL;
    json_t *a = path ? json_load_file(path, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        serve_round rd = {0};
        json_t *s = json_object_get(v, "signers");
        copy_str(rd.id, sizeof rd.id, json_object_get(v, "id"));
        copy_str(rd.scheme, sizeof rd.scheme, json_object_get(v, "scheme"));
        copy_str(rd.period, sizeof rd.period, json_object_get(v, "period"));
        copy_str(rd.date, sizeof rd.date, json_object_get(v, "date"));
        copy_str(rd.started_by, sizeof rd.started_by, json_object_get(v, "started_by"));
        rd.ws = (int)json_integer_value(json_object_get(v, "ws"));
        rd.round = (int)json_integer_value(json_object_get(v, "round"));
        rd.stale = json_is_true(json_object_get(v, "stale"));
        for (int k = 0; k < 3; k++) {
            json_t *g = json_array_get(s, (size_t)k);
            rd.signers[k].done = json_is_true(json_object_get(g, "done"));
            copy_str(rd.signers[k].user, sizeof rd.signers[k].user, json_object_get(g, "user"));
            copy_str(rd.signers[k].name, sizeof rd.signers[k].name, json_object_get(g, "name"));
            copy_str(rd.signers[k].position, sizeof rd.signers[k].position, json_object_get(g, "position"));
            copy_str(rd.signers[k].date, sizeof rd.signers[k].date, json_object_get(g, "date"));
        }
        if (!rd.id[0] || json_array_size(s) != 3 || c->nrounds == SERVE_MAX_ROUNDS)
            continue;
        if (!rd.signers[0].done && rd.ws != 0) {
            serve_log("khet serve: round %s was not signed yet and its upload is gone: dropped", rd.id);
            continue;
        }
        c->rounds[c->nrounds++] = rd;
    }
    json_decref(a);
    free(path);
}
