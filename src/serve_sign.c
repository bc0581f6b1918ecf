/* serve_sign: the sign-off of a round in the browser, history and verify.
 *
 * A round is started by an officer (which workspace, scheme, period, round
 * number, date) and signed in turn by three accounts: the preparer (role
 * officer), the checker (checker), the approver (approver); the role of the
 * session decides the one place an account may sign, so an approver can
 * never sign as a preparer, and no account signs twice. Signing unlocks the
 * signer's PKCS#12 file (KEYS/NAME.p12, --keys) with the passphrase typed
 * in: the passphrase and the key live only for that request, never on disk.
 * When the approver has signed, the round is filed by `khet archive` itself
 * in a worker, its key and certificate handed over as PEM in memory files
 * (memfd, /dev/fd/3 and 4): what the command line files, byte for byte.
 * Today `khet archive` seals with one key (the approver's); the preparer's
 * and checker's keys are unlocked to prove the signer but not yet applied.
 *
 * History and verify run `khet history --format json` and `khet verify`. */
#define _GNU_SOURCE /* memfd_create */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"
#include "util.h"

static const char *const slot_th[3] = {"ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ"};

/* A name or position for the sign-off file: UTF-8, no CSV syntax, no
 * control characters, at most 150 bytes. */
static int plain_text(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 150 || !util_utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 32 || s[i] == ',' || s[i] == '"' || s[i] == 127)
            return 0;
    return 1;
}

static int slot_of(serve_role r)
{
    return r == ROLE_OFFICER ? 0 : r == ROLE_CHECKER ? 1 : r == ROLE_APPROVER ? 2 : -1;
}

/* The round as the page sees it (under c->lock). */
static json_t *round_json(const serve_round *rd)
{
    if (!rd->active)
        return json_null();
    json_t *signers = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(signers, json_pack("{s:s,s:b,s:s,s:s,s:s,s:s}", "role", slot_th[i], "signed",
                                                 rd->signers[i].done, "user", rd->signers[i].user, "name",
                                                 rd->signers[i].name, "position", rd->signers[i].position, "date",
                                                 rd->signers[i].date));
    return json_pack("{s:i,s:s,s:s,s:i,s:s,s:o}", "ws", rd->ws, "scheme", rd->scheme, "period", rd->period, "round",
                     rd->round, "date", rd->date, "signers", signers);
}

int serve_round_get(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    pthread_mutex_lock(&c->lock);
    json_t *j = json_pack("{s:o,s:s,s:i,s:b}", "round", round_json(&c->round), "filed", c->last_filed,
                          "my_slot", slot_of(q->session.role), "keys", c->keys_dir != NULL);
    pthread_mutex_unlock(&c->lock);
    return serve_json(r, 200, j);
}

int serve_round_start(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *scheme = NULL, *period = NULL, *date = NULL;
    int ws = -1, round = 0, status;
    serve_space s;
    if (q->session.role != ROLE_OFFICER)
        status = serve_error(r, 403, "เริ่มรอบได้เฉพาะผู้จัดทำ (officer)");
    else if (!j || json_unpack(j, "{s:i,s:s,s:s,s:i,s:s}", "ws", &ws, "scheme", &scheme, "period", &period, "round",
                               &round, "date", &date) != 0 ||
             !serve_safe_name(scheme) || !serve_matches(period, "^[0-9]{4}(-[0-9]{2})?$") || round < 1 || round > 99 ||
             !serve_matches(date, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        status = serve_error(r, 400, "ข้อมูลของรอบไม่ถูกต้อง");
    else if (serve_space_get(c, ws, &s) != 0)
        status = serve_error(r, 404, "ไม่พบพื้นที่งานนี้");
    else {
        serve_spaces_free_copy(&s);
        pthread_mutex_lock(&c->lock);
        if (c->round.active) {
            status = serve_error(r, 409, "มีรอบที่กำลังลงนามอยู่แล้ว");
        } else {
            c->round = (serve_round){.active = 1, .ws = ws, .round = round};
            snprintf(c->round.scheme, sizeof c->round.scheme, "%s", scheme);
            snprintf(c->round.period, sizeof c->round.period, "%s", period);
            snprintf(c->round.date, sizeof c->round.date, "%s", date);
            status = serve_json(r, 200, json_pack("{s:o}", "round", round_json(&c->round)));
            snprintf(q->action, sizeof q->action, "round-start by=%s ws=%d scheme=%s period=%s round=%d",
                     q->session.user, ws, scheme, period, round);
        }
        pthread_mutex_unlock(&c->lock);
    }
    json_decref(j);
    return status;
}

/* Unlocks KEYS/USER.p12 with the passphrase; the key and certificate as PEM
 * text (caller frees; the key's is cleansed first), or -1. */
static int unlock_key(serve_ctx *c, const char *user, const char *pass, char **key_pem, size_t *key_len,
                      char **cert_pem, size_t *cert_len)
{
    char *path = util_format("%s/%s.p12", c->keys_dir, user), *der = NULL;
    size_t n = 0;
    int rc = -1;
    if (!path || util_read_file(path, 1 << 20, &der, &n) != 0) {
        free(path);
        return -2; /* no key file */
    }
    const unsigned char *p = (const unsigned char *)der;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)n);
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    if (p12 && PKCS12_parse(p12, pass, &key, &cert, NULL) == 1 && key && cert && X509_check_private_key(cert, key)) {
        BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
        char *kd, *cd;
        if (kb && cb && PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) && PEM_write_bio_X509(cb, cert)) {
            long kl = BIO_get_mem_data(kb, &kd), cl = BIO_get_mem_data(cb, &cd);
            *key_pem = malloc((size_t)kl);
            *cert_pem = malloc((size_t)cl);
            if (*key_pem && *cert_pem) {
                memcpy(*key_pem, kd, (size_t)kl);
                memcpy(*cert_pem, cd, (size_t)cl);
                *key_len = (size_t)kl;
                *cert_len = (size_t)cl;
                rc = 0;
            } else {
                free(*key_pem);
                free(*cert_pem);
                *key_pem = *cert_pem = NULL;
            }
            OPENSSL_cleanse(kd, (size_t)kl);
        }
        BIO_free(kb);
        BIO_free(cb);
    }
    ERR_clear_error();
    EVP_PKEY_free(key);
    X509_free(cert);
    PKCS12_free(p12);
    free(der);
    free(path);
    return rc;
}

/* A memory file holding text, for a worker to read as /dev/fd/N. */
static int memory_file(const char *name, const char *text, size_t n)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (write(fd, text, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Files the signed round with `khet archive`: 0, or an HTTP status after
 * answering. Called with the round copied out of the lock. */
static int file_round(serve_req *q, serve_reply *r, const serve_round *rd, const char *key, size_t kn,
                      const char *cert, size_t cn)
{
    serve_ctx *c = q->ctx;
    serve_space s;
    if (serve_space_get(c, rd->ws, &s) != 0)
        return serve_error(r, 404, "ไม่พบพื้นที่งานของรอบนี้");
    int job = serve_space_next_job(c, rd->ws);
    char *dir = util_format("%s/ws-%d/job-%d", c->root, rd->ws, job);
    char *so_path = dir ? util_format("%s/signoff.csv", dir) : NULL, *out = dir ? util_format("%s/stdout", dir) : NULL;
    char *err = dir ? util_format("%s/stderr", dir) : NULL, *scheme = util_format("%s/%s", c->templates_dir, rd->scheme);
    strbuf csv = {0};
    sb_printf(&csv, "field,value,position,date\nscheme,%s,,\nperiod,%s,,\nround,%d,,\nsigned_off,%s,,\n", rd->scheme,
              rd->period, rd->round, rd->date);
    for (int i = 0; i < 3; i++)
        sb_printf(&csv, "%s,%s,%s,%s\n", slot_th[i], rd->signers[i].name, rd->signers[i].position,
                  rd->signers[i].date);
    int kfd = memory_file("khet-key", key, kn), cfd = memory_file("khet-cert", cert, cn), rc = -1;
    char *argv[] = {"archive", "--data", s.data, "--scheme", scheme, "--signoff", so_path, "--archive",
                    (char *)c->archive, "--key", "/dev/fd/3", "--cert", "/dev/fd/4", NULL};
    int fds[2] = {kfd, cfd};
    if (err && scheme && !csv.oom && kfd >= 0 && cfd >= 0 && mkdir(dir, 0700) == 0 &&
        util_write_file_atomic(so_path, csv.data, csv.len) == 0)
        rc = serve_run_fds(c, argv, out, err, fds, 2);
    int status;
    if (rc == 0)
        status = 0;
    else if (rc == 503)
        status = serve_error(r, 503, "มีงานรออยู่มาก กรุณาลองใหม่อีกครั้ง");
    else
        status = serve_json(r, rc == 2 ? 422 : 500,
                            json_pack("{s:i,s:s,s:o}", "error", rc == 2 ? 422 : 500, "message",
                                      "ยื่นเก็บรอบไม่สำเร็จ", "messages", serve_worker_messages(err, s.data, c)));
    if (kfd >= 0)
        close(kfd);
    if (cfd >= 0)
        close(cfd);
    if (dir)
        util_remove_tree(dir);
    sb_free(&csv);
    free(dir);
    free(so_path);
    free(out);
    free(err);
    free(scheme);
    serve_spaces_free_copy(&s);
    return status;
}

/* POST /api/round/sign {name, position, date, passphrase}: the session's
 * place in the round, in turn; the approver's signature files it. */
int serve_round_sign(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *name = NULL, *position = NULL, *date = NULL, *pass = NULL;
    int slot = slot_of(q->session.role), status = 0;
    serve_round rd;
    if (!c->keys_dir || !c->users_file)
        return json_decref(j), serve_error(r, 403, "การลงนามต้องใช้บัญชีผู้ใช้และกุญแจ (--users และ --keys)");
    if (slot < 0)
        return json_decref(j), serve_error(r, 403, "บัญชีนี้ลงนามไม่ได้");
    if (!j || json_unpack(j, "{s:s,s:s,s:s,s:s}", "name", &name, "position", &position, "date", &date, "passphrase",
                          &pass) != 0 ||
        !plain_text(name) || !plain_text(position) || !serve_matches(date, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        return json_decref(j), serve_error(r, 400, "กรอกชื่อ ตำแหน่ง (ไม่มีเครื่องหมาย , หรือ \") และวันที่ ปปปป-ดด-วว");
    pthread_mutex_lock(&c->lock);
    rd = c->round;
    pthread_mutex_unlock(&c->lock);
    if (!rd.active)
        status = serve_error(r, 409, "ยังไม่มีรอบที่รอลงนาม");
    else if (rd.signers[slot].done)
        status = serve_error(r, 409, "ตำแหน่งนี้ลงนามแล้ว");
    else if (slot > 0 && !rd.signers[slot - 1].done)
        status = serve_error(r, 409, "ยังไม่ถึงลำดับ: รอผู้ลงนามก่อนหน้า");
    for (int i = 0; !status && i < 3; i++)
        if (rd.signers[i].done && !strcmp(rd.signers[i].user, q->session.user))
            status = serve_error(r, 403, "บัญชีหนึ่งลงนามได้ตำแหน่งเดียว");
    char *key = NULL, *cert = NULL;
    size_t kn = 0, cn = 0;
    int unlocked = status ? -1 : unlock_key(c, q->session.user, pass, &key, &kn, &cert, &cn);
    if (!status && unlocked == -2)
        status = serve_error(r, 403, "ไม่พบกุญแจของบัญชีนี้บนเซิร์ฟเวอร์");
    else if (!status && unlocked != 0)
        status = serve_error(r, 403, "รหัสผ่านกุญแจไม่ถูกต้อง");
    snprintf(q->action, sizeof q->action, "sign by=%s as=%s round=%s/%s-r%d result=%s", q->session.user,
             slot_th[slot], rd.scheme, rd.period, rd.round, status ? "refused" : "signed");
    if (!status) {
        snprintf(rd.signers[slot].user, sizeof rd.signers[slot].user, "%s", q->session.user);
        snprintf(rd.signers[slot].name, sizeof rd.signers[slot].name, "%s", name);
        snprintf(rd.signers[slot].position, sizeof rd.signers[slot].position, "%s", position);
        snprintf(rd.signers[slot].date, sizeof rd.signers[slot].date, "%s", date);
        rd.signers[slot].done = 1;
        if (slot == 2)
            status = file_round(q, r, &rd, key, kn, cert, cn);
        if (!status) {
            pthread_mutex_lock(&c->lock);
            if (slot == 2) {
                c->round.active = 0;
                snprintf(c->last_filed, sizeof c->last_filed, "%s/%s-r%d", rd.scheme, rd.period, rd.round);
            } else {
                c->round.signers[slot] = rd.signers[slot];
            }
            json_t *out = json_pack("{s:o,s:s}", "round", round_json(&c->round), "filed", slot == 2 ? c->last_filed : "");
            pthread_mutex_unlock(&c->lock);
            status = serve_json(r, 200, out);
            if (slot == 2)
                snprintf(q->action + strlen(q->action), sizeof q->action - strlen(q->action), " filed=%s/%s-r%d",
                         rd.scheme, rd.period, rd.round);
        }
    }
    if (key)
        OPENSSL_cleanse(key, kn);
    free(key);
    free(cert);
    json_decref(j);
    return status;
}

/* Runs a read-only command on the archive; its stdout parsed as JSON, or
 * its lines; NULL when it could not run. */
static json_t *archive_command(serve_req *q, char *const argv[], int *rc, int as_json)
{
    serve_ctx *c = q->ctx;
    char *dir = util_format("%s/ws-0/job-%d", c->root, serve_space_next_job(c, 0));
    char *out = dir ? util_format("%s/stdout", dir) : NULL, *err = dir ? util_format("%s/stderr", dir) : NULL;
    json_t *j = NULL;
    *rc = -1;
    if (err && mkdir(dir, 0700) == 0)
        *rc = serve_run(c, (char **)argv, out, err);
    if (*rc >= 0 && *rc != 503 && *rc != 124) {
        json_t *lines = serve_worker_messages(out, c->data, c), *errs = serve_worker_messages(err, c->data, c);
        json_t *parsed = as_json && *rc == 0 ? json_load_file(out, 0, NULL) : NULL;
        j = json_pack("{s:i,s:o,s:o,s:o}", "exit", *rc, "json", parsed ? parsed : json_null(), "lines", lines,
                      "messages", errs);
    }
    if (dir)
        util_remove_tree(dir);
    free(dir);
    free(out);
    free(err);
    return j;
}

int serve_history(serve_req *q, serve_reply *r)
{
    const char *prov = q->arg(q->conn, "province");
    if (prov && !serve_matches(prov, "^[0-9]{2}$"))
        return serve_error(r, 400, "รหัสจังหวัดไม่ถูกต้อง");
    char *argv[] = {"history", "--archive", (char *)q->ctx->archive, "--format", "json",
                    prov ? "--province" : NULL, (char *)prov, NULL};
    int rc;
    json_t *j = archive_command(q, argv, &rc, 1);
    snprintf(q->action, sizeof q->action, "history province=%s exit=%d", prov ? prov : "all", rc);
    return j ? serve_json(r, 200, j) : serve_error(r, rc == 503 ? 503 : 500, "อ่านประวัติไม่ได้");
}

int serve_verify(serve_req *q, serve_reply *r)
{
    char *argv[] = {"verify", "--archive", (char *)q->ctx->archive, NULL};
    int rc;
    json_t *j = archive_command(q, argv, &rc, 0);
    snprintf(q->action, sizeof q->action, "verify by=%s exit=%d", q->session.user, rc);
    return j ? serve_json(r, 200, j) : serve_error(r, rc == 503 ? 503 : 500, "ตรวจสอบไม่ได้");
}
