/* serve_sign: the sign-off of a round in the browser, history and verify.
 *
 * An officer starts a round: the workspace, scheme, period, round number,
 * sign-off date, and its three signers in the sign-off's order, each an
 * account of the right role (preparer: officer, checker: checker,
 * approver: approver; three different accounts) with the person's name,
 * position and date as the sign-off file carries them. Then each signs in
 * turn, logged in with their own account, typing the pass phrase of their
 * own PKCS#12 key (KEYS/NAME.p12, serve_keys.c), through the command line's
 * own code path, `khet archive` run as a worker:
 *   preparer   khet archive --data WS --scheme S --signoff F --archive A
 *                --stage --sign ผู้จัดทำ=/dev/fd/3 --pass-fd 4
 *   the others khet archive --archive A --countersign SCHEME/PERIOD-rN
 *                --sign ROLE=/dev/fd/3 --pass-fd 4
 * fd 3 a memory file holding the account's .p12, fd 4 one holding the pass
 * phrase and a newline: neither is ever on a command line or on disk. The
 * documents wait in ARCHIVE/.pending-ID; the approver's signature files the
 * round. `khet archive` checks the order, the keys and the ledger again;
 * its refusals (exit 2) come back in Thai with what to do. The session's
 * account must be the one named for the next place: an approver can never
 * sign as a preparer, nor anyone in another account's place.
 *
 * History and verify run `khet history --format json` and `khet verify`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "serve.h"
#include "util.h"

static const char *const slot_th[3] = {"ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ"};
static const serve_role slot_role[3] = {ROLE_OFFICER, ROLE_CHECKER, ROLE_APPROVER};

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

static int next_slot(const serve_round *rd)
{
    for (int i = 0; i < 3; i++)
        if (!rd->signers[i].done)
            return i;
    return 3;
}

/* A round as the page sees it (under c->lock). */
static json_t *round_json(const serve_round *rd, const char *me)
{
    json_t *signers = json_array();
    int next = next_slot(rd), mine = -1;
    for (int i = 0; i < 3; i++) {
        json_array_append_new(signers, json_pack("{s:s,s:b,s:s,s:s,s:s,s:s}", "role", slot_th[i], "signed",
                                                 rd->signers[i].done, "user", rd->signers[i].user, "name",
                                                 rd->signers[i].name, "position", rd->signers[i].position, "date",
                                                 rd->signers[i].date));
        if (me && !strcmp(rd->signers[i].user, me))
            mine = i;
    }
    return json_pack("{s:s,s:i,s:s,s:s,s:i,s:s,s:s,s:o,s:i,s:i,s:b,s:b}", "id", rd->id, "ws", rd->ws, "scheme",
                     rd->scheme, "period", rd->period, "round", rd->round, "date", rd->date, "started_by",
                     rd->started_by, "signers", signers, "next", next, "my_slot", mine, "busy", rd->busy, "stale",
                     rd->stale);
}

static serve_round *find_round(serve_ctx *c, const char *id)
{
    for (int i = 0; id && i < c->nrounds; i++)
        if (!strcmp(c->rounds[i].id, id))
            return &c->rounds[i];
    return NULL;
}

static int signing_on(serve_ctx *c) { return c->users_file && c->keys_dir; }

/* GET /api/round: the rounds being signed, the last filed, and for the
 * start form the accounts that may sign each place. */
int serve_round_get(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *rounds = json_array(), *accounts = json_array();
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->nrounds; i++)
        json_array_append_new(rounds, round_json(&c->rounds[i], q->session.user));
    for (int i = 0; i < c->nusers; i++)
        if (c->users[i].role == ROLE_OFFICER || c->users[i].role == ROLE_CHECKER ||
            c->users[i].role == ROLE_APPROVER)
            json_array_append_new(accounts, json_pack("{s:s,s:s}", "name", c->users[i].name, "role",
                                                      serve_role_name(c->users[i].role)));
    json_t *j = json_pack("{s:o,s:s,s:s,s:o,s:b,s:b}", "rounds", rounds, "filed", c->last_filed, "head",
                          c->last_head, "accounts", accounts, "signing", signing_on(c), "has_key",
                          serve_key_present(c, q->session.user));
    pthread_mutex_unlock(&c->lock);
    return serve_json(r, 200, j);
}

/* The three signers of a start request, checked: accounts of the right
 * roles, three different ones, names, positions and dates the sign-off
 * file can carry. NULL, or what is wrong in Thai. */
static const char *read_signers(serve_ctx *c, json_t *arr, serve_round *rd)
{
    if (json_array_size(arr) != 3)
        return "ระบุผู้ลงนามให้ครบสามคน: ผู้จัดทำ ผู้ตรวจสอบ ผู้อนุมัติ";
    for (int i = 0; i < 3; i++) {
        const char *user = NULL, *name = NULL, *pos = NULL, *date = NULL;
        if (json_unpack(json_array_get(arr, (size_t)i), "{s:s,s:s,s:s,s:s}", "user", &user, "name", &name,
                        "position", &pos, "date", &date) != 0 ||
            !plain_text(name) || !plain_text(pos) || !serve_matches(date, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            return "กรอกชื่อ-นามสกุล ตำแหน่ง (ไม่มีเครื่องหมาย , หรือ \") และวันที่ ปปปป-ดด-วว ของผู้ลงนามทุกคน";
        if (strlen(user) >= sizeof rd->signers[i].user || serve_user_role(c, user) != slot_role[i])
            return i == 0   ? "ผู้จัดทำต้องเป็นบัญชีบทบาทผู้จัดทำ (officer)"
                   : i == 1 ? "ผู้ตรวจสอบต้องเป็นบัญชีบทบาทผู้ตรวจสอบ (checker)"
                            : "ผู้อนุมัติต้องเป็นบัญชีบทบาทผู้อนุมัติ (approver)";
        if (strcmp(date, rd->date) > 0)
            return "วันที่ลงนามของผู้ลงนามต้องไม่หลังวันที่ลงนามรับรองของรอบ";
        snprintf(rd->signers[i].user, sizeof rd->signers[i].user, "%s", user);
        snprintf(rd->signers[i].name, sizeof rd->signers[i].name, "%s", name);
        snprintf(rd->signers[i].position, sizeof rd->signers[i].position, "%s", pos);
        snprintf(rd->signers[i].date, sizeof rd->signers[i].date, "%s", date);
    }
    return NULL;
}

/* Whether the archive has this round already, filed or waiting. */
static int in_archive(serve_ctx *c, const serve_round *rd)
{
    char *filed = util_format("%s/%s/%s-r%d", c->archive, rd->scheme, rd->period, rd->round);
    char *pending = util_format("%s/.pending-%s-%s-r%d", c->archive, rd->scheme, rd->period, rd->round);
    struct stat st;
    int have = !filed || !pending || lstat(filed, &st) == 0 || lstat(pending, &st) == 0;
    free(filed);
    free(pending);
    return have;
}

/* POST /api/round/start {ws, scheme, period, round, date, signers: [{user,
 * name, position, date} x3]}: an officer names the round and its signers. */
int serve_round_start(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL), *signers = NULL;
    const char *scheme = NULL, *period = NULL, *date = NULL, *bad = NULL;
    serve_round rd = {0};
    serve_space s;
    int status = 0;
    if (!signing_on(c))
        status = serve_error(r, 403, "การลงนามต้องใช้บัญชีผู้ใช้ (--users)");
    else if (q->session.role != ROLE_OFFICER)
        status = serve_error(r, 403, "เริ่มรอบได้เฉพาะผู้จัดทำ (officer)");
    else if (!j || json_unpack(j, "{s:i,s:s,s:s,s:i,s:s,s:o}", "ws", &rd.ws, "scheme", &scheme, "period", &period,
                               "round", &rd.round, "date", &date, "signers", &signers) != 0 ||
             !serve_is_scheme(c, scheme) || strlen(scheme) >= sizeof rd.scheme ||
             !serve_matches(period, "^[0-9]{4}(-[0-9]{2})?$") || rd.round < 1 || rd.round > 99 ||
             !serve_matches(date, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        status = serve_error(r, 400, "ข้อมูลของรอบไม่ถูกต้อง: เลือกเกณฑ์ กรอกช่วงข้อมูล ครั้งที่ และวันที่ลงนามรับรอง");
    else if (rd.ws < 0 || serve_space_get(c, rd.ws, &s) != 0)
        status = serve_error(r, 404, "ไม่พบพื้นที่งานนี้");
    else {
        serve_spaces_free_copy(&s);
        snprintf(rd.scheme, sizeof rd.scheme, "%s", scheme);
        snprintf(rd.period, sizeof rd.period, "%s", period);
        snprintf(rd.date, sizeof rd.date, "%s", date);
        snprintf(rd.id, sizeof rd.id, "%s/%s-r%d", scheme, period, rd.round);
        snprintf(rd.started_by, sizeof rd.started_by, "%s", q->session.user);
        if ((bad = read_signers(c, signers, &rd)))
            status = serve_error(r, 400, bad);
        else if (!strcmp(rd.signers[0].user, rd.signers[1].user) || !strcmp(rd.signers[1].user, rd.signers[2].user) ||
                 !strcmp(rd.signers[0].user, rd.signers[2].user))
            status = serve_error(r, 400, "ผู้ลงนามสามตำแหน่งต้องเป็นสามบัญชีที่ต่างกัน");
        else if (in_archive(c, &rd))
            status = serve_error(r, 409, "รอบนี้ยื่นเก็บแล้วหรือมีเอกสารรอลงนามอยู่ในคลังแล้ว: ใช้ครั้งที่ถัดไป");
    }
    if (!status) {
        pthread_mutex_lock(&c->lock);
        if (find_round(c, rd.id))
            status = serve_error(r, 409, "รอบนี้เริ่มไว้แล้ว: ดูรายการรอบที่รอลงนามด้านล่าง");
        else if (c->nrounds == SERVE_MAX_ROUNDS)
            status = serve_error(r, 409, "มีรอบที่รอลงนามมากเกินไป: ลงนามหรือยกเลิกรอบที่ค้างอยู่ก่อน");
        else {
            c->rounds[c->nrounds++] = rd;
            serve_rounds_save(c);
            status = serve_json(r, 200, json_pack("{s:o}", "round", round_json(&rd, q->session.user)));
            snprintf(q->action, sizeof q->action, "round-start by=%.40s round=%.90s ws=%d signers=%.30s,%.30s,%.30s",
                     q->session.user, rd.id, rd.ws, rd.signers[0].user, rd.signers[1].user, rd.signers[2].user);
        }
        pthread_mutex_unlock(&c->lock);
    }
    json_decref(j);
    return status;
}

/* POST /api/round/cancel {round}: an officer drops a round nobody has
 * signed yet, or one whose waiting documents can no longer be filed (the
 * ledger moved on); otherwise, once the preparer has signed, it is signed
 * to the end. Documents already waiting stay the archive's (`khet verify`
 * lists them as waiting). */
int serve_round_cancel(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *id = NULL;
    int status;
    if (q->session.role != ROLE_OFFICER || !signing_on(c))
        return json_decref(j), serve_error(r, 403, "ยกเลิกรอบได้เฉพาะผู้จัดทำ (officer)");
    if (!j || json_unpack(j, "{s:s}", "round", &id) != 0)
        return json_decref(j), serve_error(r, 400, "ไม่ได้ระบุรอบ");
    pthread_mutex_lock(&c->lock);
    serve_round *rd = find_round(c, id);
    if (!rd)
        status = serve_error(r, 404, "ไม่พบรอบนี้");
    else if ((rd->signers[0].done && !rd->stale) || rd->busy)
        status = serve_error(r, 409, "ผู้จัดทำลงนามแล้ว: รอบนี้ยกเลิกไม่ได้ ให้ผู้ลงนามที่เหลือลงนามให้ครบ");
    else {
        snprintf(q->action, sizeof q->action, "round-cancel by=%s round=%s", q->session.user, rd->id);
        *rd = c->rounds[--c->nrounds];
        serve_rounds_save(c);
        status = serve_json(r, 200, json_pack("{s:b}", "ok", 1));
    }
    pthread_mutex_unlock(&c->lock);
    json_decref(j);
    return status;
}

/* What `khet archive`'s refusal means for the person signing, in Thai. */
static const char *refusal_th(json_t *messages)
{
    static const struct {
        const char *needle, *th;
    } map[] = {
        {"does not unlock", "รหัสผ่านกุญแจไม่ถูกต้อง: พิมพ์รหัสผ่านของไฟล์กุญแจ (.p12) ของคุณใหม่ "
                            "(ตรวจแป้นภาษาไทย/อังกฤษ และตัวพิมพ์ใหญ่-เล็ก)"},
        {"signs after", "ยังไม่ถึงลำดับของคุณ: ผู้ลงนามก่อนหน้ายังไม่ได้ลงนาม รอให้ลงนามก่อนแล้วลองใหม่"},
        {"has signed this round already", "ตำแหน่งนี้ลงนามรอบนี้แล้ว ไม่ต้องลงนามซ้ำ"},
        {"ledger has moved on", "มีรอบอื่นยื่นเก็บเข้าคลังระหว่างที่รอบนี้รอลงนาม เอกสารที่รออยู่จึงใช้ยื่นเก็บไม่ได้: "
                                "ผู้จัดทำเริ่มรอบใหม่ด้วยครั้งที่ถัดไป แล้วลงนามตามลำดับอีกครั้ง"},
        {"is already filed", "รอบนี้ยื่นเก็บในคลังแล้ว: เริ่มรอบใหม่ด้วยครั้งที่ถัดไป"},
        {"is filed already", "รอบนี้ยื่นเก็บในคลังแล้ว: เริ่มรอบใหม่ด้วยครั้งที่ถัดไป"},
        {"waits for its other signers", "รอบนี้มีเอกสารรอลงนามอยู่ในคลังแล้ว: ผู้ลงนามถัดไปลงนามต่อ หรือเริ่มรอบใหม่ด้วยครั้งที่ถัดไป"},
        {"expired", "ใบรับรองในกุญแจของคุณหมดอายุ: ขอใบรับรองใหม่ แล้วอัปโหลดไฟล์ .p12 ใหม่ที่ส่วน กุญแจของฉัน"},
        {"not yet valid", "ใบรับรองในกุญแจของคุณยังไม่ถึงวันเริ่มใช้: ตรวจวันเวลาของเครื่องเซิร์ฟเวอร์"},
        {"cannot sign documents", "ใบรับรองในกุญแจของคุณใช้ลงนามเอกสารไม่ได้: ขอใบรับรองสำหรับลงลายมือชื่ออิเล็กทรอนิกส์"},
        {"CA certificate", "กุญแจของคุณเป็นกุญแจของผู้ออกใบรับรอง (CA): อัปโหลดกุญแจของคุณเอง"},
        {"signed after the sign-off date", "วันที่ลงนามของผู้ลงนามอยู่หลังวันที่ลงนามรับรอง: ผู้จัดทำยกเลิกรอบแล้วเริ่มใหม่ด้วยวันที่ที่ถูกต้อง"},
        {"not a round of", "ข้อมูลไม่มีเกณฑ์นี้: เลือกเกณฑ์ที่ตรงกับ dataset.ini ของข้อมูล"},
        {"incomplete data", "ข้อมูลยังไม่ครบ: ตรวจที่หน้า ข้อมูลและการตรวจ แก้แล้วเริ่มรอบใหม่"},
        {"signature does not verify", "เอกสารที่รอลงนามถูกแก้ไขหลังลงนาม: แจ้งผู้ดูแลระบบ และเริ่มรอบใหม่ด้วยครั้งที่ถัดไป"},
    };
    size_t i;
    json_t *m;
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
        json_array_foreach(messages, i, m) if (strstr(json_string_value(m), map[k].needle)) return map[k].th;
    return "khet archive ไม่ลงนามรอบนี้: ดูข้อความด้านล่าง แก้ตามนั้น แล้วลองใหม่";
}

/* Runs the signature of place `slot` of the round (a copy) with the
 * session's key and the pass phrase: `khet archive`'s exit status, or -1
 * when it could not run; its stderr's lines into *messages. */
static int run_signature(serve_req *q, const serve_round *rd, int slot, const char *pass, json_t **messages)
{
    serve_ctx *c = q->ctx;
    serve_space s = {0};
    int have_space = slot == 0 ? serve_space_get(c, rd->ws, &s) == 0 : serve_space_get(c, 0, &s) == 0;
    int job = have_space ? serve_space_next_job(c, s.id) : -1;
    char *dir = job > 0 ? util_format("%s/ws-%d/job-%d", c->root, s.id, job) : NULL;
    char *so_path = dir ? util_format("%s/signoff.csv", dir) : NULL, *out = dir ? util_format("%s/stdout", dir) : NULL;
    char *err = dir ? util_format("%s/stderr", dir) : NULL, *scheme = util_format("%s/%s", c->templates_dir, rd->scheme);
    char *key_path = util_format("%s/%s.p12", c->keys_dir, q->session.user), *sign = util_format("%s=/dev/fd/3", slot_th[slot]);
    char *der = NULL, *phrase = util_format("%s\n", pass);
    size_t dn = 0;
    int kfd = -1, pfd = -1, rc = -1;
    strbuf csv = {0};
    if (slot == 0) {
        sb_printf(&csv, "field,value,position,date\nscheme,%s,,\nperiod,%s,,\nround,%d,,\nsigned_off,%s,,\n",
                  rd->scheme, rd->period, rd->round, rd->date);
        for (int i = 0; i < 3; i++)
            sb_printf(&csv, "%s,%s,%s,%s\n", slot_th[i], rd->signers[i].name, rd->signers[i].position,
                      rd->signers[i].date);
    }
    if (key_path && util_read_file(key_path, (size_t)64 << 10, &der, &dn) == 0) {
        kfd = serve_memory_file("khet-p12", der, dn);
        OPENSSL_cleanse(der, dn);
    }
    if (phrase)
        pfd = serve_memory_file("khet-pass", phrase, strlen(phrase));
    char *stage[] = {"archive", "--data", s.data, "--scheme", scheme, "--signoff", so_path, "--archive",
                     (char *)c->archive, "--stage", "--sign", sign, "--pass-fd", "4", NULL};
    char *counter[] = {"archive", "--archive", (char *)c->archive, "--countersign", (char *)rd->id, "--sign", sign,
                       "--pass-fd", "4", NULL};
    int fds[2] = {kfd, pfd};
    if (kfd >= 0 && pfd >= 0 && err && scheme && sign && !csv.oom && mkdir(dir, 0700) == 0 &&
        (slot > 0 || util_write_file_atomic(so_path, csv.data, csv.len) == 0))
        rc = serve_run_fds(c, slot == 0 ? stage : counter, out, err, fds, 2);
    *messages = rc >= 0 && err ? serve_worker_messages(err, s.data, c) : json_array();
    /* the key is /dev/fd/3 to khet archive: named as the account's key to the person */
    size_t i;
    json_t *m;
    json_array_foreach(*messages, i, m) if (!strncmp(json_string_value(m), "3: ", 3))
    {
        char *named = util_format("%s.p12: %s", q->session.user, json_string_value(m) + 3);
        if (named)
            json_string_set(m, named);
        free(named);
    }
    if (kfd >= 0)
        close(kfd);
    if (pfd >= 0)
        close(pfd);
    if (dir)
        util_remove_tree(dir);
    if (phrase)
        OPENSSL_cleanse(phrase, strlen(phrase));
    free(phrase);
    free(der);
    free(key_path);
    free(sign);
    sb_free(&csv);
    free(dir);
    free(so_path);
    free(out);
    free(err);
    free(scheme);
    if (have_space)
        serve_spaces_free_copy(&s);
    return have_space ? rc : -2;
}

/* Whose turn it is, for the session: 0 when it may sign place *slot of the
 * round, else an HTTP status after answering. Under c->lock. */
static int may_sign(serve_req *q, serve_reply *r, serve_round *rd, int *slot)
{
    *slot = next_slot(rd);
    int mine = -1;
    for (int i = 0; i < 3; i++)
        if (!strcmp(rd->signers[i].user, q->session.user))
            mine = i;
    if (rd->busy)
        return serve_error(r, 409, "กำลังลงนามรอบนี้อยู่: รอสักครู่แล้วโหลดหน้าใหม่");
    if (rd->stale)
        return serve_error(r, 409, "เอกสารที่รอของรอบนี้ยื่นเก็บไม่ได้แล้ว (มีรอบอื่นยื่นเก็บระหว่างรอ): "
                                   "ผู้จัดทำยกเลิกรอบนี้ แล้วเริ่มใหม่ด้วยครั้งที่ถัดไป");
    if (mine < 0)
        return serve_error(r, 403, "รอบนี้ไม่ได้กำหนดให้บัญชีนี้ลงนาม: ผู้ลงนามแต่ละตำแหน่งลงนามด้วยบัญชีของตนเอง");
    if (q->session.role != slot_role[mine])
        return serve_error(r, 403, "บทบาทของบัญชีนี้ไม่ตรงกับตำแหน่งที่ลงนาม");
    if (mine < *slot)
        return serve_error(r, 409, "คุณลงนามรอบนี้แล้ว ไม่ต้องลงนามซ้ำ");
    if (mine > *slot)
        return serve_error(r, 409, "ยังไม่ถึงลำดับของคุณ: รอผู้ลงนามก่อนหน้าลงนามก่อน");
    return 0;
}

/* POST /api/round/sign {round, passphrase}: the session's place in the
 * round, in turn; the approver's signature files it. */
int serve_round_sign(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *id = NULL, *pass = NULL;
    size_t plen = 0;
    int slot = -1, status = 0;
    serve_round rd;
    char head[200] = "";
    int signed_before = 0, moved_on = 0;
    if (!signing_on(c))
        return json_decref(j), serve_error(r, 403, "การลงนามต้องใช้บัญชีผู้ใช้และกุญแจ (--users)");
    if (q->session.role != ROLE_OFFICER && q->session.role != ROLE_CHECKER && q->session.role != ROLE_APPROVER) {
        snprintf(q->action, sizeof q->action, "refused: role %s may not sign", serve_role_name(q->session.role));
        return json_decref(j), serve_error(r, 403, "บัญชีนี้ลงนามไม่ได้");
    }
    if (!j || json_unpack(j, "{s:s,s:s%}", "round", &id, "passphrase", &pass, &plen) != 0 || plen == 0 ||
        plen > 1000 || strlen(pass) != plen || strchr(pass, '\n') || strchr(pass, '\r'))
        return json_decref(j), serve_error(r, 400, "เลือกรอบ และพิมพ์รหัสผ่านกุญแจ (บรรทัดเดียว)");
    pthread_mutex_lock(&c->lock);
    serve_round *live = find_round(c, id);
    if (!live)
        status = serve_error(r, 404, "ไม่พบรอบนี้ในรายการรอลงนาม: โหลดหน้าใหม่");
    else if ((status = may_sign(q, r, live, &slot)) == 0)
        live->busy = 1;
    if (live)
        rd = *live;
    pthread_mutex_unlock(&c->lock);
    if (!live || status) {
        snprintf(q->action, sizeof q->action, "sign by=%s round=%.90s result=refused", q->session.user,
                 live ? live->id : "?");
        return json_decref(j), status;
    }
    if (!serve_key_present(c, q->session.user)) {
        status = serve_error(r, 409, "ยังไม่มีกุญแจของบัญชีนี้บนเซิร์ฟเวอร์: อัปโหลดไฟล์ .p12 ของคุณที่ส่วน กุญแจของฉัน ก่อน");
    } else {
        json_t *messages = NULL;
        int rc = run_signature(q, &rd, slot, pass, &messages);
        if (rc == 0)
            status = 0;
        else if (rc == -2)
            status = serve_error(r, 409, "พื้นที่งานของรอบนี้หายไป (เซิร์ฟเวอร์เริ่มใหม่): ยกเลิกรอบนี้แล้วเริ่มใหม่");
        else if (rc == 503)
            status = serve_error(r, 503, "มีงานรออยู่มาก กรุณาลองใหม่อีกครั้ง");
        else if (rc == 124)
            status = serve_error(r, 504, "การลงนามใช้เวลานานเกินกำหนดและถูกยกเลิก: ลองใหม่อีกครั้ง");
        else
            status = serve_json(r, rc == 2 ? 422 : 500,
                                json_pack("{s:i,s:s,s:O}", "error", rc == 2 ? 422 : 500, "message",
                                          rc == 2 ? refusal_th(messages) : "ลงนามไม่สำเร็จ: ระบบขัดข้อง ดูข้อความด้านล่าง",
                                          "messages", messages));
        /* the approver's signature files the round: khet prints the ledger's head for the filing log */
        size_t i;
        json_t *m;
        json_array_foreach(messages, i, m) if (!status && strstr(json_string_value(m), "ledger's head is now"))
            snprintf(head, sizeof head, "%s", json_string_value(m));
        /* the archive has this place signed already (the server stopped between the signature and
         * keeping it in rounds.json): the archive is right, the place is marked signed */
        json_array_foreach(messages, i, m) if (rc == 2 && strstr(json_string_value(m), "ledger has moved on"))
            moved_on = 1;
        json_array_foreach(messages, i, m) if (rc == 2 && (strstr(json_string_value(m), "has signed this round already") ||
                                                           (slot == 0 && strstr(json_string_value(m), "already signed in part"))))
            signed_before = 1;
        json_decref(messages);
    }
    OPENSSL_cleanse((char *)pass, plen); /* jansson's copy of the pass phrase, before it is freed */
    snprintf(q->action, sizeof q->action, "sign by=%s as=%s round=%s result=%s", q->session.user, slot_th[slot], rd.id,
             status ? "refused" : "signed");
    pthread_mutex_lock(&c->lock);
    live = find_round(c, rd.id);
    if (live) {
        live->busy = 0;
        if (!status || signed_before)
            live->signers[slot].done = 1;
        if (moved_on)
            live->stale = 1;
        if (signed_before || moved_on)
            serve_rounds_save(c);
        if (!status && slot == 2) {
            snprintf(c->last_filed, sizeof c->last_filed, "%s", rd.id);
            snprintf(c->last_head, sizeof c->last_head, "%s", head);
            *live = c->rounds[--c->nrounds];
            live = NULL;
        }
        if (!status)
            serve_rounds_save(c);
    }
    if (!status) {
        rd.signers[slot].done = 1;
        rd.busy = 0;
        status = serve_json(r, 200, json_pack("{s:o,s:s,s:s}", "round", round_json(&rd, q->session.user), "filed",
                                              slot == 2 ? rd.id : "", "head", slot == 2 ? head : ""));
        if (slot == 2)
            snprintf(q->action + strlen(q->action), sizeof q->action - strlen(q->action), " filed=%s", rd.id);
    }
    pthread_mutex_unlock(&c->lock);
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
