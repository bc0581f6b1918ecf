/* region_folder: what khet init and khet new-year share in making a
 * working data folder: the columns of each data file, as its first row
 * names them in Thai and English; a file written whole; a folder never
 * written over; and a scheme copied to another region or year, its name,
 * region and fiscal year set and its period moved on (cmd_init.c,
 * cmd_new_year.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "region.h"
#include "util.h"

/* The columns of each file a data folder holds, as "Thai label (name)":
 * khet reads either half, so the header says what a column is to the
 * officer and to the program. */
typedef struct {
    const char *file, *header;
} data_file;

static const data_file files[] = {
    {"provinces.csv", "รหัสจังหวัด (code),ชื่อภาษาไทย (name_th),ชื่อภาษาอังกฤษ (name_en),เขตสุขภาพ (region),"
                      "เงินส่วนที่กัน (reserved_baht)"},
    {"hospitals.csv", "รหัสหน่วยบริการ (hcode),ชื่อภาษาไทย (name_th),จังหวัด (province),ระดับโรงพยาบาล (level),"
                      "ขนาดโรงพยาบาลศูนย์ (a_size)"},
    {"finance.csv", "รหัสหน่วยบริการ (hcode),เดือน (month),เงินสดและรายการเทียบเท่าเงินสด (cash),ลูกหนี้ (receivables),"
                    "สินค้าคงคลัง (inventory),สินทรัพย์หมุนเวียนอื่น (other_current_assets),"
                    "หนี้สินหมุนเวียน (current_liabilities),รายได้ (ไม่รวมงบลงทุน) (revenue),งบลงทุน (investment_revenue),"
                    "ค่าใช้จ่าย (ไม่รวมค่าเสื่อมราคา) (expense),ค่าเสื่อมราคาและค่าตัดจำหน่าย (depreciation),"
                    "จำนวนครั้งผู้ป่วยนอก (opd_visits),ต้นทุนผู้ป่วยนอก (opd_cost),ต้นทุนผู้ป่วยใน (ipd_cost)"},
    {"trial_balance.csv", "รหัสหน่วยบริการ (hcode),เดือน (month),คะแนนงบทดลองระบบ Electronic (electronic_score),"
                          "คะแนนงบทดลองระบบ Mapping (mapping_score)"},
    {"eclaim.csv", "รหัสหน่วยบริการ (hcode),เดือน (month),จำนวนข้อมูล E-Claim (claims),จำนวนที่ผ่าน (claims_passed)"},
    {"efficiency7.csv", "รหัสหน่วยบริการ (hcode),จำนวนตัวชี้วัดที่ผ่าน (passed)"},
    {"cmi.csv", "รหัสหน่วยบริการ (hcode),เดือน (month),จำนวนผู้ป่วยจำหน่าย (discharges),ผลรวม AdjRW (sum_adjrw)"},
    {"cmi_prev.csv", "รหัสหน่วยบริการ (hcode),เดือน (month),จำนวนผู้ป่วยจำหน่าย (discharges),ผลรวม AdjRW (sum_adjrw)"},
    {"ha.csv", "รหัสหน่วยบริการ (hcode),สถานะ HA (status)"},
    {"kpi.csv", "เขตสุขภาพ (region),ตัวชี้วัด (kpi),ชื่อตัวชี้วัด (indicator),เป้าหมาย (target),Small Success (milestone),"
                "ประเด็นงาน (line_of_work),ลำดับองค์ประกอบ (component_no),องค์ประกอบ (component),"
                "กิจกรรมที่ดำเนินการ (activity)"},
    {"kpi_stages.csv", "เขตสุขภาพ (region),ตัวชี้วัด (kpi),ประเด็นงาน (line_of_work),ระยะ (เดือน) (months),"
                       "สิ่งที่ระยะนี้กำหนด (goal),สถานะ (status)"},
    {"kpi_notes.csv", "เขตสุขภาพ (region),ตัวชี้วัด (kpi),รอบ (round),หัวข้อ (section),ข้อความ (text)"},
    {"signoff.csv", "รายการ (field),ค่า (value),ตำแหน่ง (position),วันที่ (date)"},
    {"contacts.csv", "เขตสุขภาพ (region),เอกสาร (document),ชื่อ-นามสกุล (name),ตำแหน่ง (position),"
                     "โทรศัพท์ (phone),อีเมล (email)"},
    {"meeting.csv", "เขตสุขภาพ (region),เดือน (month),ประเด็น (issue),ข้อเสนอ/สิ่งที่ต้องดำเนินการ (action),"
                    "ผู้รับผิดชอบ (owner),กำหนดเสร็จ (due)"},
};

const char *region_file_header(const char *file)
{
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (!strcmp(files[i].file, file))
            return files[i].header;
    return "";
}

/* Writes DIR/NAME from a buffer; 0, or -1 after reporting. */
int region_put_file(const char *dir, const char *name, strbuf *b, diag_ctx *d)
{
    char *path = util_path_join(dir, name);
    int rc = -1;
    if (!path || b->oom)
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "out of memory");
    else if (util_write_file_atomic(path, b->data ? b->data : "", b->len) != 0)
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "cannot write: %s", util_strerror(errno));
    else
        rc = 0;
    free(path);
    sb_free(b);
    *b = (strbuf){0};
    return rc;
}

/* A new folder, or an empty one: init never writes over anything. */
int region_fresh_folder(const char *dir, diag_ctx *d)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        char *probe = util_path_join(dir, "dataset.ini");
        int has = probe && access(probe, F_OK) == 0;
        free(probe);
        if (!S_ISDIR(st.st_mode) || has) {
            diag_add(d, DIAG_ERROR, dir, 0, 0, "%s: khet never writes over a data folder; name a new folder",
                     S_ISDIR(st.st_mode) ? "already holds a dataset.ini" : "exists and is not a folder");
            return -1;
        }
    }
    if (util_mkdirs(dir) != 0) {
        diag_add(d, DIAG_SYSTEM, dir, 0, 0, "cannot create the folder: %s", util_strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- copying a scheme to another region or year ---- */

/* "2563-04" moved by `years`. */
static void shift_month(strbuf *b, const char *v, int years)
{
    int y = 0, m = 0;
    if (sscanf(v, "%4d-%2d", &y, &m) == 2)
        sb_printf(b, "%04d-%02d", y + years, m);
    else
        sb_puts(b, v);
}

/* Copies scheme folder src to dst with name, region and fiscal year set and
 * its period moved by the years between; other files verbatim. Lines of
 * scheme.ini naming a year literally are added to `review`. */
int region_copy_scheme(const char *src, const char *dst, const char *name, int region, int fiscal_year,
                       strbuf *review, diag_ctx *d)
{
    static const char *const tables[] = {"criteria.csv", "bands.csv", "grades.csv", "cmi_targets.csv"};
    if (util_mkdirs(dst) != 0) {
        diag_add(d, DIAG_SYSTEM, dst, 0, 0, "cannot create the folder: %s", util_strerror(errno));
        return -1;
    }
    char *ini = util_path_join(src, "scheme.ini"), *text = NULL;
    size_t len = 0;
    if (!ini || util_read_file(ini, UTIL_LIMIT_TEXT, &text, &len) != 0) {
        diag_add(d, DIAG_ERROR, ini ? ini : src, 0, 0, "cannot read the scheme to copy: %s", util_strerror(errno));
        free(ini);
        return -1;
    }
    int old_year = 0, line = 0;
    for (char *p = strstr(text, "fiscal_year"); p && !old_year; p = strstr(p + 1, "fiscal_year"))
        sscanf(p, "fiscal_year = %d", &old_year);
    int years = old_year ? fiscal_year - old_year : 0;
    strbuf out = {0};
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char key[32] = "";
        line++;
        sscanf(p, "%31[a-z_] =", key);
        const char *eq = memchr(p, '=', n);
        char *value = eq ? util_strndup(eq + 1 + strspn(eq + 1, " "), n - (size_t)(eq + 1 - p) - strspn(eq + 1, " "))
                         : NULL;
        if (value && !strcmp(key, "name"))
            sb_printf(&out, "name = %s", name);
        else if (value && !strcmp(key, "region") && region)
            sb_printf(&out, "region = %d", region);
        else if (value && !strcmp(key, "fiscal_year"))
            sb_printf(&out, "fiscal_year = %d", fiscal_year);
        else if (value && (!strcmp(key, "period_start") || !strcmp(key, "period_end"))) {
            sb_printf(&out, "%s = ", key);
            shift_month(&out, value, years);
        } else {
            sb_append(&out, p, n);
            char y[8];
            snprintf(y, sizeof y, "%d", old_year);
            char *row = util_strndup(p, n);
            int names_year = row && strstr(row, y);
            free(row);
            if (review && old_year && p[0] != ';' && names_year)
                sb_printf(review, "  %s/scheme.ini:%d: names the year %d: check it for %d\n", dst, line, old_year,
                          fiscal_year);
        }
        sb_puts(&out, "\n");
        free(value);
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    free(ini);
    int rc = region_put_file(dst, "scheme.ini", &out, d);
    for (size_t i = 0; !rc && i < sizeof tables / sizeof *tables; i++) {
        char *from = util_path_join(src, tables[i]);
        if (!from || access(from, F_OK) != 0) {
            free(from);
            continue;
        }
        strbuf b = {0};
        if (util_read_file(from, UTIL_LIMIT_DATA, &text, &len) != 0) {
            diag_add(d, DIAG_ERROR, from, 0, 0, "cannot read the scheme to copy: %s", util_strerror(errno));
            rc = -1;
        } else {
            sb_append(&b, text, len);
            char y[8];
            snprintf(y, sizeof y, "%d", old_year);
            int ln = 1;
            for (const char *q = text; review && old_year && years && *q; ln++) {
                const char *nl = strchr(q, '\n');
                size_t n = nl ? (size_t)(nl - q) : strlen(q);
                char *row = util_strndup(q, n);
                if (row && strstr(row, y))
                    sb_printf(review, "  %s/%s:%d: names the year %d: check it for %d\n", dst, tables[i], ln,
                              old_year, fiscal_year);
                free(row);
                q = nl ? nl + 1 : q + n;
            }
            free(text);
            rc = region_put_file(dst, tables[i], &b, d);
        }
        free(from);
    }
    return rc;
}
