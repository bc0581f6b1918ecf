/* serve_api: the JSON API of `khet serve`: sessions and login, workspaces
 * and uploads, check and score. Who may do what is decided here, once, for
 * every route: a session for everything but /api/session and /api/login, a
 * CSRF token (the X-CSRF-Token header) on every POST, and a role that may
 * change things (not a viewer) for uploads and renders.
 *
 * check calls what `khet check` calls (datafolder_load) in this process;
 * score runs `khet score` itself in a worker process (serve_work.c), and so
 * do renders (serve_render.c): the command's own code and output. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datafolder.h"
#include "model.h"
#include "serve.h"
#include "util.h"

int serve_arg_int(serve_req *q, const char *name, int max)
{
    const char *s = q->arg(q->conn, name);
    if (!s || !*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s))
        return -1;
    int v = atoi(s);
    return v <= max ? v : -1;
}

const char *serve_short_path(const char *file, const char *data_dir, const char *templates_dir)
{
    if (!file)
        return "";
    for (int k = 0; k < 2; k++) {
        const char *dir = k ? templates_dir : data_dir;
        size_t n = strlen(dir);
        if (n && !strncmp(file, dir, n) && file[n] == '/')
            return file + n + 1;
    }
    const char *slash = strrchr(file, '/'); /* never a server path */
    return slash ? slash + 1 : file;
}

/* ---- sessions ---- */

static void set_cookie(serve_req *q, serve_reply *r, const char *id, int clear)
{
    snprintf(r->set_cookie, sizeof r->set_cookie, "khet_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
             clear ? "" : id, q->ctx->secure ? "; Secure" : "", clear ? "; Max-Age=0" : "");
}

static int session_json(serve_req *q, serve_reply *r, const serve_session *s)
{
    return serve_json(r, 200,
                      json_pack("{s:s,s:s,s:s,s:b,s:b}", "user", s->role == ROLE_NONE ? "" : s->user, "role",
                                serve_role_name(s->role), "csrf", s->csrf, "accounts", q->ctx->users_file != NULL,
                                "setup", serve_users_none(q->ctx)));
}

/* GET /api/session: the visitor's session, made on first visit: a local
 * one without accounts, else a signed-out one that carries a CSRF token
 * for the login form. */
static int api_session(serve_req *q, serve_reply *r)
{
    if (q->session.id[0])
        return session_json(q, r, &q->session);
    serve_session s;
    int local = !q->ctx->users_file;
    if (serve_session_new(q->ctx, local ? "local" : "", local ? ROLE_LOCAL : ROLE_NONE, &s) != 0)
        return serve_error(r, 500, "สร้างเซสชันไม่ได้");
    set_cookie(q, r, s.id, 0);
    return session_json(q, r, &s);
}

static int api_login(serve_req *q, serve_reply *r)
{
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *name = NULL, *pw = NULL;
    serve_session s;
    int rc;
    if (!q->ctx->users_file)
        rc = serve_error(r, 400, "เซิร์ฟเวอร์นี้ไม่มีบัญชีผู้ใช้");
    else if (!j || json_unpack(j, "{s:s,s:s}", "name", &name, "password", &pw) != 0)
        rc = serve_error(r, 400, "กรุณากรอกชื่อและรหัสผ่าน");
    else if (serve_login(q->ctx, name, pw, &s) != 0) {
        snprintf(q->action, sizeof q->action, "login-failed name=%.60s", name);
        rc = serve_error(r, 401, "ชื่อหรือรหัสผ่านไม่ถูกต้อง");
    } else {
        serve_session_end(q->ctx, q->session.id); /* a new id after login: no fixation */
        set_cookie(q, r, s.id, 0);
        snprintf(q->action, sizeof q->action, "login user=%s role=%s", s.user, serve_role_name(s.role));
        rc = session_json(q, r, &s);
    }
    json_decref(j);
    return rc;
}

/* POST /api/setup {name, password}: the first run (--users names a file
 * without accounts, 127.0.0.1 only): the person at this computer makes the
 * administrator's account, and is signed in as it. Refused once there is one. */
static int api_setup(serve_req *q, serve_reply *r)
{
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    const char *name = NULL, *pw = NULL;
    serve_session s;
    int why = !j || json_unpack(j, "{s:s,s:s}", "name", &name, "password", &pw) != 0
                  ? USER_BAD_NAME
                  : serve_user_add(q->ctx, q->ctx->users_file, name, "admin", pw, 1);
    int rc;
    if (why == USER_NOT_FIRST || why == USER_EXISTS)
        rc = serve_error(r, 409, "มีบัญชีผู้ดูแลระบบแล้ว: เข้าสู่ระบบด้วยบัญชีนั้น");
    else if (why == USER_BAD_NAME || why == USER_BAD_PASSWORD)
        rc = serve_error(r, 400, why == USER_BAD_NAME ? "ชื่อบัญชีใช้ตัวอักษร a-z ตัวเลข . _ -"
                                                      : "รหัสผ่านยาวอย่างน้อย 8 ตัวอักษร");
    else if (why)
        rc = serve_error(r, 500, "บันทึกไฟล์บัญชีผู้ใช้ไม่ได้");
    else if (serve_session_new(q->ctx, name, ROLE_ADMIN, &s) != 0)
        rc = serve_error(r, 500, "สร้างเซสชันไม่ได้");
    else {
        serve_session_end(q->ctx, q->session.id);
        set_cookie(q, r, s.id, 0);
        snprintf(q->action, sizeof q->action, "setup admin=%s", s.user);
        rc = session_json(q, r, &s);
    }
    json_decref(j);
    return rc;
}

static int api_logout(serve_req *q, serve_reply *r)
{
    serve_session_end(q->ctx, q->session.id);
    set_cookie(q, r, "", 1);
    snprintf(q->action, sizeof q->action, "logout user=%s", q->session.user);
    return serve_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- check ---- */

typedef struct {
    const char *needle, *what, *hint;
} hint;

/* What a finding means and what to do about it, in the words of a person
 * who knows Excel (khet check's own message stays beside them). */
static const hint hints[] = {
    {"rejected above", "แถวที่อ้างถึงจังหวัดหรือหน่วยบริการที่มีข้อผิดพลาดถูกข้ามไป", "ไม่ต้องแก้ไฟล์นี้: แถวเหล่านี้ถูกข้ามเพราะจังหวัดหรือหน่วยบริการที่อ้างถึงมีข้อผิดพลาดด้านบน "
                       "แก้ข้อผิดพลาดนั้นแล้วแถวเหล่านี้จะถูกนับตามเดิม"},
    {"not a number", "ค่าในช่องนี้ไม่ใช่ตัวเลข", "ใส่เป็นตัวเลขอย่างเดียว ไม่มีตัวอักษร หน่วย หรือช่องว่าง"},
    {"thousands separator", "เครื่องหมายคั่นหลักพันอยู่ผิดตำแหน่ง", "ลบเครื่องหมายจุลภาคคั่นหลักพันออก หรือใส่ให้ถูกตำแหน่ง (1,234,567)"},
    {"duplicate row", "มีแถวซ้ำ", "ลบแถวที่ซ้ำ ให้เหลือแถวเดียวต่อโรงพยาบาลต่อเดือน"},
    {"is given twice", "มีข้อมูลเดียวกันซ้ำสองครั้ง", "ลบแถวที่ซ้ำ ให้เหลือแถวเดียว"},
    {"unknown province", "ไม่มีรหัสจังหวัดนี้ในรายชื่อจังหวัด", "ใช้รหัสจังหวัดที่มีใน provinces.csv"},
    {"unknown hospital", "ไม่มีรหัสหน่วยบริการนี้ในรายชื่อหน่วยบริการ", "ใช้รหัสหน่วยบริการที่มีใน hospitals.csv"},
    {"outside the fiscal year", "เดือนนี้อยู่นอกปีงบประมาณของชุดข้อมูล", "ใช้เดือนในปีงบประมาณของชุดข้อมูล (ต.ค. ถึง ก.ย.) รูปแบบ ปปปป-ดด เช่น 2562-10"},
    {"required column", "ขาดคอลัมน์ที่ต้องมี", "เพิ่มคอลัมน์นี้ในแถวหัวตาราง (แถวแรก) ให้ชื่อตรงตามที่กำหนด"},
    {"appears twice in the header", "แถวหัวตารางมีคอลัมน์ซ้ำ", "ลบคอลัมน์ที่ซ้ำในแถวหัวตาราง"},
    {"decoded", "อ่านตัวอักษรในไฟล์ไม่ได้ (รหัสอักขระไม่ถูกต้อง)", "ใน Excel ให้บันทึกเป็น CSV UTF-8 (Save As > CSV UTF-8) แล้วอัปโหลดใหม่"},
    {"encoding", "อ่านตัวอักษรในไฟล์ไม่ได้ (รหัสอักขระไม่ถูกต้อง)", "ใน Excel ให้บันทึกเป็น CSV UTF-8 (Save As > CSV UTF-8) แล้วอัปโหลดใหม่"},
    {"CSV syntax", "รูปแบบ CSV ของแถวนี้ผิด", "ตรวจเครื่องหมายคำพูด (\") ในแถวนี้ให้ครบคู่"},
    {"must be one of", "ค่าในช่องนี้ไม่อยู่ในรายการที่กำหนด", "เลือกค่าจากรายการ ค่าที่ใช้ได้ (พิมพ์ให้ตรงทุกตัวอักษร)"},
    {"digits", "จำนวนหลักของรหัสไม่ถูกต้อง", "ใส่รหัสให้ครบจำนวนหลักตามที่ข้อความระบุ"},
    {"empty", "ไม่มีข้อมูล", "ไฟล์ว่าง ใส่ข้อมูล หรือใช้ไฟล์จากชุดข้อมูลเดิม"},
    {"not found", "ไม่พบไฟล์ที่ต้องมี", "ไฟล์นี้ขาดไป วางไฟล์นี้ลงในพื้นที่งาน"},
    {"missing", "ข้อมูลที่ต้องมีขาดไป", "ไฟล์หรือคอลัมน์นี้ขาดไป เพิ่มให้ครบ"},
    {"fiscal_year", "ปีงบประมาณใน dataset.ini ไม่ถูกต้อง", "ตั้ง fiscal_year ใน dataset.ini เป็นปี พ.ศ. เช่น 2563"},
};

static const hint *hint_for(const char *message)
{
    static const hint other = {"", "", "แก้ตามข้อความ แล้ววางไฟล์ที่แก้แล้วลงในพื้นที่งานนี้"};
    for (size_t i = 0; i < sizeof hints / sizeof *hints; i++)
        if (strstr(message, hints[i].needle))
            return &hints[i];
    return &other;
}

static const char *level_name(diag_level l)
{
    return l == DIAG_NOTE ? "note" : l == DIAG_WARNING ? "warning" : l == DIAG_ERROR ? "error" : "system";
}

json_t *serve_findings(serve_ctx *c, const diag_ctx *d, const char *data_dir);
json_t *serve_findings(serve_ctx *c, const diag_ctx *d, const char *data_dir)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < diag_count(d) && i < 2000; i++) {
        const diag_msg *m = diag_get(d, i);
        const hint *h = hint_for(m->message ? m->message : "");
        json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:i,s:s,s:s,s:s}", "level", level_name(m->level), "file",
                                           serve_short_path(m->file, data_dir, c->templates_dir), "line", m->line,
                                           "col", m->col, "message", m->message ? m->message : "", "what", h->what,
                                           "hint", h->hint));
    }
    return a;
}

/* The text of line `line` of file `name` in the data folder, when it is
 * UTF-8 (what the page shows beside the finding); NULL otherwise. */
static json_t *line_text(const char *data_dir, const char *name, int line)
{
    if (!serve_safe_name(name) || line < 1)
        return json_null();
    char *path = util_format("%s/%s", data_dir, name), *text = NULL;
    size_t len = 0;
    json_t *out = NULL;
    if (path && util_read_file(path, UTIL_LIMIT_DATA, &text, &len) == 0) {
        char *p = text;
        for (int l = 1; p && l < line; l++)
            p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
        if (p) {
            size_t n = strcspn(p, "\r\n");
            if (n < 4096 && util_utf8_valid(p, n))
                out = json_stringn(p, n);
        }
    }
    free(text);
    free(path);
    return out ? out : json_null();
}

static int api_check(serve_req *q, serve_reply *r)
{
    serve_space s;
    int ws = serve_arg_int(q, "ws", 1 << 20);
    if (ws < 0 || serve_space_get(q->ctx, ws, &s) != 0)
        return serve_error(r, 404, "ไม่พบพื้นที่งานนี้");
    diag_ctx *d = diag_new();
    dataset *ds = d ? datafolder_load(s.data, NULL, d) : NULL;
    json_t *j = d ? json_pack("{s:i,s:s,s:o,s:i,s:i}", "ws", ws, "name", s.name, "findings",
                              serve_findings(q->ctx, d, s.data), "errors", diag_errors(d), "warnings",
                              diag_warnings(d))
                  : NULL;
    json_t *f = j ? json_object_get(j, "findings") : NULL;
    for (size_t i = 0; f && i < json_array_size(f) && i < 200; i++) {
        json_t *m = json_array_get(f, i);
        json_object_set_new(m, "text", line_text(s.data, json_string_value(json_object_get(m, "file")),
                                                 (int)json_integer_value(json_object_get(m, "line"))));
    }
    if (j && ds) {
        json_object_set_new(j, "summary",
                            json_pack("{s:i,s:I,s:I,s:I,s:i}", "fiscal_year", ds->fiscal_year, "provinces",
                                      (json_int_t)ds->nprovinces, "hospitals", (json_int_t)ds->nhospitals, "kpi_rows",
                                      (json_int_t)ds->nkpi, "last_month", ds->last_month));
    }
    snprintf(q->action, sizeof q->action, "check ws=%d errors=%d", ws, d ? diag_errors(d) : -1);
    datafolder_free(ds);
    diag_free(d);
    serve_spaces_free_copy(&s);
    return serve_json(r, 200, j);
}

/* ---- score ---- */

/* The schemes of the templates folder: folders holding a scheme.ini. */
static json_t *scheme_list(serve_ctx *c)
{
    json_t *a = json_array();
    DIR *dir = opendir(c->templates_dir);
    struct dirent *e;
    while (a && dir && (e = readdir(dir))) {
        if (!serve_safe_name(e->d_name))
            continue;
        char *ini = util_format("%s/%s/scheme.ini", c->templates_dir, e->d_name);
        struct stat st;
        if (ini && stat(ini, &st) == 0 && S_ISREG(st.st_mode))
            json_array_append_new(a, json_string(e->d_name));
        free(ini);
    }
    if (dir)
        closedir(dir);
    return a;
}

int serve_is_scheme(serve_ctx *c, const char *name)
{
    json_t *a = scheme_list(c);
    size_t i;
    json_t *v;
    int found = 0;
    json_array_foreach(a, i, v) found |= name && !strcmp(json_string_value(v), name);
    json_decref(a);
    return found;
}

/* GET /api/score?ws=&scheme=: `khet score --format json --hospitals` itself,
 * in a worker: the table of the command, byte for byte, and its messages. */
static int api_score(serve_req *q, serve_reply *r)
{
    serve_space s;
    int ws = serve_arg_int(q, "ws", 1 << 20);
    const char *name = q->arg(q->conn, "scheme"), *inc = q->arg(q->conn, "allow_incomplete");
    if (!serve_is_scheme(q->ctx, name))
        return serve_error(r, 400, "ไม่พบเกณฑ์นี้");
    if (ws < 0 || serve_space_get(q->ctx, ws, &s) != 0)
        return serve_error(r, 404, "ไม่พบพื้นที่งานนี้");
    int job = serve_space_next_job(q->ctx, ws);
    char *dir = util_format("%s/ws-%d/job-%d", q->ctx->root, ws, job);
    char *scheme = util_format("%s/%s", q->ctx->templates_dir, name);
    char *out = dir ? util_format("%s/score.json", dir) : NULL, *so = dir ? util_format("%s/stdout", dir) : NULL;
    char *se = dir ? util_format("%s/stderr", dir) : NULL;
    char *argv[] = {"score", "--data", s.data, "--scheme", scheme, "--format", "json", "--hospitals",
                    "--out", out, inc && !strcmp(inc, "1") ? "--allow-incomplete" : NULL, NULL};
    int rc = -1, status;
    if (scheme && se && mkdir(dir, 0700) == 0)
        rc = serve_run(q->ctx, argv, so, se);
    if (rc == 503)
        status = serve_error(r, 503, "มีงานรออยู่มาก กรุณาลองใหม่อีกครั้ง");
    else if (rc == 124)
        status = serve_error(r, 504, "การคำนวณคะแนนใช้เวลานานเกินกำหนดและถูกยกเลิก");
    else if (rc != 0 && rc != 2)
        status = serve_error(r, 500, "คำนวณคะแนนไม่สำเร็จ");
    else {
        json_t *score = rc == 0 ? json_load_file(out, 0, NULL) : NULL;
        status = serve_json(r, 200, json_pack("{s:i,s:o,s:o}", "ws", ws, "score", score ? score : json_null(),
                                              "messages", serve_worker_messages(se, s.data, q->ctx)));
    }
    snprintf(q->action, sizeof q->action, "score ws=%d scheme=%s exit=%d", ws, name, rc);
    if (dir)
        util_remove_tree(dir);
    free(dir);
    free(scheme);
    free(out);
    free(so);
    free(se);
    serve_spaces_free_copy(&s);
    return status;
}

/* ---- uploads ---- */

static int api_upload(serve_req *q, serve_reply *r)
{
    const char *name = q->arg(q->conn, "name");
    int ws = q->arg(q->conn, "ws") ? serve_arg_int(q, "ws", 1 << 20) : -1;
    if (q->arg(q->conn, "ws") && ws < 0)
        return serve_error(r, 404, "ไม่พบพื้นที่งานนี้");
    char err[256] = "";
    int id = -1;
    int status = serve_space_upload(q->ctx, ws, name, q->upload_path, &id, err, sizeof err);
    char safe[64] = "";
    for (size_t i = 0; name && name[i] && i + 1 < sizeof safe; i++)
        safe[i] = name[i] > 32 && name[i] < 127 ? name[i] : '?';
    snprintf(q->action, sizeof q->action, "upload name=%s into=%d status=%d ws=%d", safe, ws, status ? status : 200,
             id);
    if (status)
        return serve_error(r, status, err);
    return serve_json(r, 200, json_pack("{s:i}", "ws", id));
}

/* ---- routing ---- */

/* Who may POST: officers, checkers and approvers change things (each
 * handler narrows further); an administrator only makes accounts; a viewer
 * nothing. */
static int may_post(const serve_session *s, const char *path)
{
    if (s->role == ROLE_ADMIN)
        return !strcmp(path, "/api/users");
    return s->role == ROLE_OFFICER || s->role == ROLE_CHECKER || s->role == ROLE_APPROVER || s->role == ROLE_LOCAL;
}

int serve_api(serve_req *q, serve_reply *r)
{
    int post = !strcmp(q->method, "POST");
    const char *p = q->path;
    if (!strcmp(p, "/api/session") && !post)
        return api_session(q, r);
    if (post && !serve_csrf_ok(&q->session, q->csrf)) {
        snprintf(q->action, sizeof q->action, "refused: no valid CSRF token");
        return serve_error(r, 403, "คำขอไม่มีรหัสยืนยัน (CSRF) ที่ถูกต้อง โหลดหน้าใหม่แล้วลองอีกครั้ง");
    }
    if (!strcmp(p, "/api/login") && post)
        return api_login(q, r);
    if (!strcmp(p, "/api/setup") && post && q->ctx->users_file)
        return api_setup(q, r);
    if (!q->session.id[0] || q->session.role == ROLE_NONE)
        return serve_error(r, 401, "กรุณาเข้าสู่ระบบ");
    if (!strcmp(p, "/api/logout") && post)
        return api_logout(q, r);
    if (post && !may_post(&q->session, p)) {
        snprintf(q->action, sizeof q->action, "refused: role %s may not %s", serve_role_name(q->session.role), p);
        return serve_error(r, 403, q->session.role == ROLE_ADMIN ? "ผู้ดูแลระบบจัดการบัญชีผู้ใช้ได้อย่างเดียว"
                                                                 : "บัญชีนี้ดูได้อย่างเดียว");
    }
    if (!strcmp(p, "/api/spaces") && !post)
        return serve_json(r, 200, json_pack("{s:o,s:o}", "spaces", serve_spaces_json(q->ctx), "schemes",
                                             scheme_list(q->ctx)));
    if (!strcmp(p, "/api/check") && !post)
        return api_check(q, r);
    if (!strcmp(p, "/api/score") && !post)
        return api_score(q, r);
    if (!strcmp(p, "/api/upload") && post)
        return api_upload(q, r);
    if (!strcmp(p, "/api/render") && post)
        return serve_render(q, r);
    if (!strcmp(p, "/api/file") && !post)
        return serve_file(q, r);
    if (!strcmp(p, "/api/zip") && !post)
        return serve_zip(q, r);
    if (!strcmp(p, "/api/round") && !post)
        return serve_round_get(q, r);
    if (!strcmp(p, "/api/round/start") && post)
        return serve_round_start(q, r);
    if (!strcmp(p, "/api/round/sign") && post)
        return serve_round_sign(q, r);
    if (!strcmp(p, "/api/round/cancel") && post)
        return serve_round_cancel(q, r);
    if (!strcmp(p, "/api/key"))
        return serve_api_key(q, r);
    if (!strcmp(p, "/api/users"))
        return serve_api_users(q, r);
    if (!strcmp(p, "/api/history") && !post)
        return serve_history(q, r);
    if (!strcmp(p, "/api/verify") && !post)
        return serve_verify(q, r);
    return serve_error(r, 404, "ไม่พบ");
}
