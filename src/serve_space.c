/* serve_space: the workspaces. Workspace 0 is the --data folder, read only;
 * every upload (a zip of a data folder, a workbook, a CSV) makes a workspace
 * of its own under the run's private folder, and a corrected file dropped on
 * a workspace replaces its namesake there (a workbook: any workbook there,
 * since a data folder holds one). A workbook is opened (workbook.c) before
 * it is kept.
 *
 * What an upload may put on disk is bounded and named by us: a zip (libzip)
 * of at most SERVE_MAX_ENTRIES entries and SERVE_MAX_UNPACKED bytes once
 * unpacked, each entry at most SERVE_MAX_ENTRY, counted while inflating
 * (a zip bomb lies in its headers); only data files (.csv, .ini, .xlsx,
 * .txt, .md) are kept, by their last path component, which must be a safe
 * name (ASCII letters, digits, . _ -, not starting with a dot); everything
 * is unpacked into a staging folder and renamed into place whole, so a bad
 * upload leaves nothing. No name from a request reaches the file system
 * before serve_safe_name has passed it. */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "diag.h"
#include "serve.h"
#include "util.h"
#include "workbook.h"

int serve_safe_name(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 100 && s[0] != '.' && s[0] != '-' &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n && !strstr(s, "..");
}

static int data_extension(const char *name)
{
    static const char *const ext[] = {".csv", ".ini", ".xlsx", ".txt", ".md"};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof ext / sizeof *ext; i++)
        if (!strcasecmp(dot, ext[i]))
            return 1;
    return 0;
}

int serve_spaces_init(serve_ctx *c)
{
    serve_space *s = &c->spaces[0];
    s->id = 0;
    snprintf(s->name, sizeof s->name, "%s", c->data);
    s->dir = NULL;
    s->data = util_strdup(c->data);
    c->nspaces = 1;
    c->next_space = 1;
    char *ws0 = util_format("%s/ws-0", c->root); /* the data folder's renders */
    int rc = s->data && ws0 && mkdir(ws0, 0700) == 0 ? 0 : -1;
    free(ws0);
    return rc;
}

void serve_spaces_free(serve_ctx *c)
{
    for (int i = 0; i < c->nspaces; i++) {
        free(c->spaces[i].dir);
        free(c->spaces[i].data);
    }
    c->nspaces = 0;
}

void serve_spaces_free_copy(serve_space *s)
{
    free(s->dir);
    free(s->data);
    s->dir = s->data = NULL;
}

int serve_space_get(serve_ctx *c, int id, serve_space *out)
{
    int rc = -1;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->nspaces; i++)
        if (c->spaces[i].id == id) {
            *out = c->spaces[i];
            out->dir = c->spaces[i].dir ? util_strdup(c->spaces[i].dir) : NULL;
            out->data = util_strdup(c->spaces[i].data);
            rc = out->data && (!c->spaces[i].dir || out->dir) ? 0 : -1;
            if (rc)
                serve_spaces_free_copy(out);
        }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int serve_space_next_job(serve_ctx *c, int id)
{
    int job = -1;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->nspaces; i++)
        if (c->spaces[i].id == id)
            job = ++c->spaces[i].next_job;
    pthread_mutex_unlock(&c->lock);
    return job;
}

json_t *serve_spaces_json(serve_ctx *c)
{
    json_t *a = json_array();
    pthread_mutex_lock(&c->lock);
    for (int i = 0; a && i < c->nspaces; i++)
        json_array_append_new(a, json_pack("{s:i,s:s,s:b}", "id", c->spaces[i].id, "name", c->spaces[i].name,
                                           "readonly", c->spaces[i].id == 0));
    pthread_mutex_unlock(&c->lock);
    return a;
}

/* Copies n bytes of a zip entry into a new file, counting what inflates:
 * never more than the entry's declared size nor the limits. */
static int unpack_entry(zip_t *z, zip_uint64_t i, const char *path, zip_uint64_t declared, size_t *total)
{
    zip_file_t *zf = zip_fopen_index(z, i, 0);
    int fd = zf ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
    char buf[65536];
    zip_uint64_t got = 0;
    int rc = zf && fd >= 0 ? 0 : -1;
    while (rc == 0) {
        zip_int64_t n = zip_fread(zf, buf, sizeof buf);
        if (n < 0)
            rc = -1;
        if (n <= 0)
            break;
        got += (zip_uint64_t)n;
        *total += (size_t)n;
        if (got > declared || got > SERVE_MAX_ENTRY || *total > SERVE_MAX_UNPACKED)
            rc = -2;
        else if (write(fd, buf, (size_t)n) != n)
            rc = -1;
    }
    if (fd >= 0 && (fsync(fd) != 0 || close(fd) != 0))
        rc = rc ? rc : -1;
    if (zf)
        zip_fclose(zf);
    return rc;
}

/* The last path component of a zip entry, or NULL for a folder, a hidden
 * file, macOS metadata or a file that is not data. */
static const char *entry_base(const char *name)
{
    if (!*name || name[strlen(name) - 1] == '/' || strstr(name, "__MACOSX"))
        return NULL;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *bs = strrchr(base, '\\');
    base = bs ? bs + 1 : base;
    return *base == '.' || !data_extension(base) ? NULL : base;
}

static int unpack_zip(const char *zip_path, const char *dest, char *err, size_t n)
{
    int zerr = 0;
    zip_t *z = zip_open(zip_path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!z) {
        snprintf(err, n, "ไฟล์ zip เสียหรือไม่ใช่ zip");
        return 400;
    }
    zip_int64_t count = zip_get_num_entries(z, 0);
    int status = 0, kept = 0;
    size_t total = 0, declared = 0;
    if (count < 0 || count > 4 * SERVE_MAX_ENTRIES) {
        snprintf(err, n, "zip มีไฟล์มากเกินไป (ไม่เกิน %d ไฟล์)", SERVE_MAX_ENTRIES);
        status = 413;
    }
    for (zip_int64_t i = 0; !status && i < count; i++) {
        zip_stat_t st;
        const char *base;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || !st.name) {
            snprintf(err, n, "zip เสียหาย");
            status = 400;
        } else if (!(base = entry_base(st.name))) {
            continue;
        } else if (!serve_safe_name(base)) {
            snprintf(err, n, "ชื่อไฟล์ใน zip ใช้ไม่ได้ ต้องเป็นอักษรอังกฤษ ตัวเลข . _ - เท่านั้น");
            status = 400;
        } else if (++kept > SERVE_MAX_ENTRIES || (declared += st.size) > SERVE_MAX_UNPACKED ||
                   st.size > SERVE_MAX_ENTRY) {
            snprintf(err, n, "zip ใหญ่เกินกำหนดเมื่อแตกไฟล์ (ไฟล์ละไม่เกิน %zu MB รวมไม่เกิน %zu MB)", SERVE_MAX_ENTRY >> 20, SERVE_MAX_UNPACKED >> 20);
            status = 413;
        } else {
            char *path = util_format("%s/%s", dest, base);
            int rc = path ? unpack_entry(z, (zip_uint64_t)i, path, st.size, &total) : -1;
            free(path);
            if (rc == -2) {
                snprintf(err, n, "zip ใหญ่เกินกำหนดเมื่อแตกไฟล์ (ไฟล์ละไม่เกิน %zu MB รวมไม่เกิน %zu MB)", SERVE_MAX_ENTRY >> 20, SERVE_MAX_UNPACKED >> 20);
                status = 413;
            } else if (rc) {
                snprintf(err, n, errno == EEXIST ? "zip มีไฟล์ชื่อซ้ำกัน" : "แตกไฟล์ zip ไม่ได้");
                status = 400;
            }
        }
    }
    if (!status && kept == 0) {
        snprintf(err, n, "ใน zip ไม่มีไฟล์ข้อมูล (.csv .ini .xlsx)");
        status = 400;
    }
    zip_discard(z);
    return status;
}

/* Copies the uploaded file to dest/name through a temporary and a rename. */
static int place_file(const char *tmp, const char *dest, const char *name)
{
    char *data = NULL;
    size_t len = 0;
    char *path = util_format("%s/%s", dest, name);
    int rc = path && util_read_file(tmp, SERVE_MAX_UPLOAD, &data, &len) == 0 &&
                     util_write_file_atomic(path, data, len) == 0
                 ? 0
                 : -1;
    free(data);
    free(path);
    return rc;
}

static int is_zip(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && !strcasecmp(dot, ".zip");
}

/* A new workspace: unpacked or copied into ROOT/stage-N, renamed ROOT/ws-N. */
static int new_space(serve_ctx *c, const char *name, const char *tmp, int *new_id, char *err, size_t n)
{
    pthread_mutex_lock(&c->lock);
    int id = c->next_space++;
    pthread_mutex_unlock(&c->lock);
    char *stage = util_format("%s/stage-%d", c->root, id), *dir = util_format("%s/ws-%d", c->root, id);
    char *sdata = stage ? util_format("%s/data", stage) : NULL, *data = dir ? util_format("%s/data", dir) : NULL;
    int status = 0;
    if (!sdata || !data || mkdir(stage, 0700) != 0 || mkdir(sdata, 0700) != 0) {
        snprintf(err, n, "สร้างพื้นที่งานไม่ได้");
        status = 500;
    } else if (is_zip(name)) {
        status = unpack_zip(tmp, sdata, err, n);
    } else if (place_file(tmp, sdata, name) != 0) {
        snprintf(err, n, "บันทึกไฟล์ไม่ได้");
        status = 500;
    }
    if (!status && rename(stage, dir) != 0) {
        snprintf(err, n, "บันทึกไฟล์ไม่ได้");
        status = 500;
    }
    if (status && stage)
        util_remove_tree(stage);
    pthread_mutex_lock(&c->lock);
    if (!status && c->nspaces == SERVE_MAX_SPACES) {
        /* the oldest upload gives way (never the data folder) */
        util_remove_tree(c->spaces[1].dir);
        free(c->spaces[1].dir);
        free(c->spaces[1].data);
        memmove(&c->spaces[1], &c->spaces[2], (size_t)(c->nspaces - 2) * sizeof c->spaces[0]);
        c->nspaces--;
    }
    if (!status) {
        serve_space *s = &c->spaces[c->nspaces++];
        *s = (serve_space){id, "", dir, data, 0};
        snprintf(s->name, sizeof s->name, "%s", name);
        dir = data = NULL;
        *new_id = id;
    }
    pthread_mutex_unlock(&c->lock);
    free(stage);
    free(sdata);
    free(dir);
    free(data);
    return status;
}

static int is_book(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && !strcasecmp(dot, ".xlsx");
}

/* A workbook is opened before it is kept: a file that is not one (a CSV
 * renamed, an old .xls, a password) is refused with what to do. 0 or 400. */
static int check_book(const char *tmp, char *err, size_t n)
{
    diag_ctx *d = diag_new();
    workbook *wb = d ? workbook_open(tmp, d) : NULL;
    int ok = wb != NULL;
    workbook_free(wb);
    diag_free(d);
    if (!ok)
        snprintf(err, n, "ไฟล์นี้ไม่ใช่สมุดงาน Excel (.xlsx) ที่อ่านได้ (ไฟล์ CSV ที่เปลี่ยนชื่อ ไฟล์ .xls รุ่นเก่า "
                         "หรือมีรหัสผ่าน): ใน Excel ให้บันทึกเป็น \"Excel Workbook (*.xlsx)\" โดยไม่ใส่รหัสผ่าน");
    return ok ? 0 : 400;
}

/* A folder holds one workbook: a new one takes the place of any other. */
static void drop_other_books(const char *dir, const char *keep)
{
    DIR *dh = opendir(dir);
    for (struct dirent *e; dh && (e = readdir(dh));)
        if (e->d_name[0] != '.' && is_book(e->d_name) && strcmp(e->d_name, keep)) {
            char *p = util_format("%s/%s", dir, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
    if (dh)
        closedir(dh);
}

int serve_space_upload(serve_ctx *c, int ws, const char *name, const char *tmp, int *new_id, char *err, size_t n)
{
    if (!name || !serve_safe_name(name) || (!is_zip(name) && !data_extension(name))) {
        snprintf(err, n, "ชื่อไฟล์ใช้ไม่ได้: ใช้ .zip .csv .ini หรือ .xlsx ที่ชื่อเป็นอักษรอังกฤษ ตัวเลข . _ -");
        return 400;
    }
    /* a workbook holds the data folder's tables, one sheet a file (with a sheet
     * "dataset", or a dataset.ini dropped beside it) */
    if (is_book(name) && check_book(tmp, err, n) != 0)
        return 400;
    if (ws < 0)
        return new_space(c, name, tmp, new_id, err, n);
    if (ws == 0) {
        snprintf(err, n, "โฟลเดอร์ข้อมูลหลักแก้จากหน้าเว็บไม่ได้ อัปโหลดเป็นพื้นที่งานใหม่");
        return 403;
    }
    if (is_zip(name)) {
        snprintf(err, n, "ไฟล์ zip สร้างพื้นที่งานใหม่ ส่วนไฟล์ที่แก้แล้วให้วางทีละไฟล์");
        return 400;
    }
    serve_space s;
    if (serve_space_get(c, ws, &s) != 0) {
        snprintf(err, n, "ไม่พบพื้นที่งานนี้");
        return 404;
    }
    int status = place_file(tmp, s.data, name) == 0 ? 0 : 500;
    if (!status && is_book(name))
        drop_other_books(s.data, name);
    if (status)
        snprintf(err, n, "บันทึกไฟล์ไม่ได้");
    *new_id = ws;
    serve_spaces_free_copy(&s);
    return status;
}

/* 1 when s (not NULL) matches the extended regular expression: the one check of
 * every value a request names (render options, signer fields). */
int serve_matches(const char *s, const char *pattern)
{
    regex_t re;
    if (!s || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    int ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}
