/* serve_render: rendering from the browser. POST /api/render runs
 * `khet render` with the options the page chose (each checked against its
 * own pattern before it becomes an argument) in a worker process through
 * the bounded queue (serve_work.c), into the workspace's job folder
 * ROOT/ws-N/job-J/out; the answer lists the documents made. GET /api/file
 * sends one (to preview in the page or download) and GET /api/zip all of a
 * job's, bound with libzip. A failed or timed-out render leaves no job
 * folder behind. */
#include <dirent.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "serve.h"
#include "util.h"

#define JOBS_KEPT 40 /* per workspace: older job folders are removed */

/* The documents a job made: FY/rR/NAME.pdf under its out folder. */
static json_t *list_documents(const char *out)
{
    json_t *a = json_array();
    DIR *fy = opendir(out);
    struct dirent *e, *f, *g;
    while (a && fy && (e = readdir(fy))) {
        if (!serve_matches(e->d_name, "^[0-9]{4}$"))
            continue;
        char *p1 = util_format("%s/%s", out, e->d_name);
        DIR *rd = p1 ? opendir(p1) : NULL;
        while (rd && (f = readdir(rd))) {
            if (!serve_matches(f->d_name, "^r[0-9]{1,2}$"))
                continue;
            char *p2 = util_format("%s/%s", p1, f->d_name);
            DIR *dd = p2 ? opendir(p2) : NULL;
            while (dd && (g = readdir(dd)))
                if (serve_safe_name(g->d_name) && serve_matches(g->d_name, "\\.pdf$")) {
                    char *rel = util_format("%s/%s/%s", e->d_name, f->d_name, g->d_name);
                    if (rel)
                        json_array_append_new(a, json_string(rel));
                    free(rel);
                }
            if (dd)
                closedir(dd);
            free(p2);
        }
        if (rd)
            closedir(rd);
        free(p1);
    }
    if (fy)
        closedir(fy);
    return a;
}

/* The lines of the worker's stderr, its paths made the workspace's own. */
json_t *serve_worker_messages(const char *err_file, const char *data_dir, serve_ctx *c)
{
    char *text = NULL;
    size_t len = 0;
    json_t *a = json_array();
    if (util_read_file(err_file, 1 << 20, &text, &len) != 0)
        return a;
    for (char *p = text, *nl; a && p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        /* FILE:... : only the name inside the data or templates folder is shown */
        const char *colon = strchr(p, ':');
        char *file = colon ? util_strndup(p, (size_t)(colon - p)) : NULL;
        char *line = file ? util_format("%s%s", serve_short_path(file, data_dir, c->templates_dir), colon) : NULL;
        if (util_utf8_valid(line ? line : p, strlen(line ? line : p)))
            json_array_append_new(a, json_string(line ? line : p));
        free(file);
        free(line);
    }
    free(text);
    return a;
}

/* Builds `render --data ... --out ...` from the page's choices; -1 when one
 * is not what its pattern allows. argv has room for 24 entries. */
static int render_args(json_t *j, const char *data, const char *out, const char *archive, char **argv)
{
    const char *report = "all", *province = NULL, *month = NULL, *style = NULL, *date = NULL;
    int thai = 0;
    if (json_unpack(j, "{s?s,s?s,s?s,s?s,s?s,s?b}", "report", &report, "province", &province, "month", &month,
                    "style", &style, "date", &date, "thai_digits", &thai) != 0)
        return -1;
    if (!serve_matches(report, "^(all|scorecard|summary|kpi|monthly|booklet)$") ||
        (province && *province && !serve_matches(province, "^[0-9]{2}$")) ||
        (month && *month && !serve_matches(month, "^[0-9]{4}-[0-9]{2}$")) ||
        (style && *style && !serve_matches(style, "^(official|modern)$")) ||
        (date && *date && !serve_matches(date, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))
        return -1;
    int n = 0;
    argv[n++] = "render";
    argv[n++] = "--data";
    argv[n++] = (char *)data;
    argv[n++] = "--out";
    argv[n++] = (char *)out;
    argv[n++] = "--archive";
    argv[n++] = (char *)archive;
    argv[n++] = "--report";
    argv[n++] = (char *)report;
    const char *opt[4][2] = {{"--province", province}, {"--month", month}, {"--style", style}, {"--date", date}};
    for (int i = 0; i < 4; i++)
        if (opt[i][1] && *opt[i][1]) {
            argv[n++] = (char *)opt[i][0];
            argv[n++] = (char *)opt[i][1];
        }
    if (thai)
        argv[n++] = "--thai-digits";
    argv[n] = NULL;
    return 0;
}

static void drop_old_job(serve_ctx *c, int ws, int job)
{
    if (job <= JOBS_KEPT)
        return;
    char *old = util_format("%s/ws-%d/job-%d", c->root, ws, job - JOBS_KEPT);
    if (old)
        util_remove_tree(old);
    free(old);
}

int serve_render(serve_req *q, serve_reply *r)
{
    serve_ctx *c = q->ctx;
    json_t *j = json_loadb(q->body, q->body_len, 0, NULL);
    json_t *wsv = j ? json_object_get(j, "ws") : NULL;
    int ws = json_is_integer(wsv) ? (int)json_integer_value(wsv) : -1;
    serve_space s;
    if (!j || ws < 0 || serve_space_get(c, ws, &s) != 0) {
        json_decref(j);
        return serve_error(r, 404, "ไม่พบพื้นที่งานนี้");
    }
    int job = serve_space_next_job(c, ws);
    char *dir = util_format("%s/ws-%d/job-%d", c->root, ws, job);
    char *out = dir ? util_format("%s/out", dir) : NULL, *so = dir ? util_format("%s/stdout", dir) : NULL;
    char *se = dir ? util_format("%s/stderr", dir) : NULL;
    char *argv[24];
    int status;
    if (!se || render_args(j, s.data, out, c->archive, argv) != 0)
        status = serve_error(r, 400, "ตัวเลือกการจัดทำเอกสารไม่ถูกต้อง");
    else if (mkdir(dir, 0700) != 0)
        status = serve_error(r, 500, "สร้างโฟลเดอร์งานไม่ได้");
    else {
        int rc = serve_run(c, argv, so, se);
        snprintf(q->action, sizeof q->action, "render ws=%d job=%d report=%s exit=%d", ws, job, argv[8], rc);
        if (rc == 0)
            status = serve_json(r, 200, json_pack("{s:i,s:i,s:o}", "ws", ws, "job", job, "files",
                                                  list_documents(out)));
        else if (rc == 503)
            status = serve_error(r, 503, "มีงานรออยู่มาก กรุณาลองใหม่อีกครั้ง");
        else if (rc == 124)
            status = serve_error(r, 504, "การจัดทำเอกสารใช้เวลานานเกินกำหนดและถูกยกเลิก");
        else
            status = serve_json(r, rc == 2 ? 422 : 500,
                                json_pack("{s:i,s:s,s:o}", "error", rc == 2 ? 422 : 500, "message",
                                          rc == 2 ? "ข้อมูลหรือตัวเลือกมีปัญหา จัดทำเอกสารไม่ได้"
                                                  : "จัดทำเอกสารไม่สำเร็จ",
                                          "messages", serve_worker_messages(se, s.data, c)));
        if (rc != 0)
            util_remove_tree(dir); /* nothing half-made stays */
        else
            drop_old_job(c, ws, job);
    }
    free(dir);
    free(out);
    free(so);
    free(se);
    json_decref(j);
    serve_spaces_free_copy(&s);
    return status;
}

/* The job folder of ?ws=&job= when both name existing things; NULL else. */
static char *job_dir(serve_req *q)
{
    int ws = serve_arg_int(q, "ws", 1 << 20), job = serve_arg_int(q, "job", 1 << 24);
    serve_space s;
    if (ws < 0 || job < 1 || serve_space_get(q->ctx, ws, &s) != 0)
        return NULL;
    serve_spaces_free_copy(&s);
    return util_format("%s/ws-%d/job-%d", q->ctx->root, ws, job);
}

static int send_file(serve_reply *r, const char *path, const char *type, const char *name, int download)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return serve_error(r, 404, "ไม่พบเอกสารนี้");
    }
    r->status = 200;
    r->type = type;
    r->fd = fd;
    r->len = (size_t)st.st_size;
    r->csp = "default-src 'none'; object-src 'self'; frame-ancestors 'self'";
    snprintf(r->disposition, sizeof r->disposition, "%s; filename=\"%s\"", download ? "attachment" : "inline", name);
    return 200;
}

int serve_file(serve_req *q, serve_reply *r)
{
    const char *name = q->arg(q->conn, "name");
    if (!serve_matches(name, "^[0-9]{4}/r[0-9]{1,2}/[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.pdf$"))
        return serve_error(r, 400, "ชื่อเอกสารไม่ถูกต้อง");
    char *dir = job_dir(q);
    char *path = dir ? util_format("%s/out/%s", dir, name) : NULL;
    const char *dl = q->arg(q->conn, "download");
    int status = path ? send_file(r, path, "application/pdf", strrchr(name, '/') + 1, dl && !strcmp(dl, "1"))
                      : serve_error(r, 404, "ไม่พบเอกสารนี้");
    free(dir);
    free(path);
    return status;
}

/* Binds the job's documents into documents.zip (once; reproducible: fixed
 * times, sorted names), through a temporary renamed into place. */
static int make_zip(const char *dir, const char *zpath)
{
    char *out = util_format("%s/out", dir), *tmp = util_format("%s/.documents-XXXXXX", dir);
    json_t *docs = out ? list_documents(out) : NULL;
    int fd = tmp ? mkstemp(tmp) : -1, err = 0, rc = -1;
    if (fd >= 0)
        close(fd);
    zip_t *z = fd >= 0 ? zip_open(tmp, ZIP_TRUNCATE, &err) : NULL;
    size_t n = json_array_size(docs);
    const char **names = calloc(n + 1, sizeof *names);
    for (size_t i = 0; names && i < n; i++)
        names[i] = json_string_value(json_array_get(docs, i));
    if (names)
        qsort(names, n, sizeof *names, (int (*)(const void *, const void *))strcmp);
    rc = z && names && n ? 0 : -1;
    for (size_t i = 0; !rc && i < n; i++) {
        char *src = util_format("%s/%s", out, names[i]);
        zip_source_t *zs = src ? zip_source_file(z, src, 0, -1) : NULL;
        zip_int64_t idx = zs ? zip_file_add(z, names[i], zs, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (zs)
                zip_source_free(zs);
            rc = -1;
        } else if (zip_file_set_mtime(z, (zip_uint64_t)idx, 315532800, 0) != 0) {
            rc = -1;
        }
        free(src);
    }
    if (z && (rc ? (zip_discard(z), -1) : zip_close(z)) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, zpath) != 0)
        rc = -1;
    if (rc && tmp)
        unlink(tmp);
    free(names);
    json_decref(docs);
    free(out);
    free(tmp);
    return rc;
}

int serve_zip(serve_req *q, serve_reply *r)
{
    char *dir = job_dir(q);
    char *zpath = dir ? util_format("%s/documents.zip", dir) : NULL;
    int status;
    if (!zpath)
        status = serve_error(r, 404, "ไม่พบงานนี้");
    else if (access(zpath, F_OK) != 0 && make_zip(dir, zpath) != 0)
        status = serve_error(r, 404, "ไม่พบเอกสารของงานนี้");
    else
        status = send_file(r, zpath, "application/zip", "documents.zip", 1);
    free(dir);
    free(zpath);
    return status;
}
