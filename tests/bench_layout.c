/* make bench, in process: lays out, paints and saves a 400-row table of
 * Thai narrative (75 pages) and a 3-page one, without loading any data, and
 * prints time, pages per second, peak memory and bytes per page (the fonts
 * are loaded for each document, as khet render does). The targets are on
 * the user's path, in bench.sh's table. A benchmark, not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "layout.h"
#include "pdf.h"
#include "util.h"

static const char *narrative[] = {
    "มีการบริหารจัดการโดยคณะทำงานสารสนเทศ เขตสุขภาพที่ 12 ด้วยการจัดประชุม แลกเปลี่ยนเรียนรู้ ช่วยกันแก้ไขปัญหา ปีละ 2 "
    "ครั้ง และการลงพื้นที่ตามวาระการตรวจราชการเขตสุขภาพ",
    "เขตสุขภาพที่ 12 มีการจัดทำแผนแม่บทและแผนปฏิบัติการรองรับฯ ในตาม Policy 5 โรค 5 ระบบ 5 สนับสนุน ตามเป้าหมาย AAA "
    "สร้างภาพ (คุณภาพ) และจัดทำโครงการประชุมปฏิบัติการเพื่อส่งเสริมและสนับสนุนการพัฒนาคุณภาพมาตรฐาน(HA)",
    "วิเคราะห์เปรียบเทียบ และรายงานข้อมูลผู้บริหาร ในการประชุมผู้บริหารเขตสุขภาพ ทุกเดือน",
    "มีการจัดเวทีแลกเปลี่ยนเรียนรู้และคัดเลือกผลงานการพัฒนาคุณภาพในงานมหกรรมวิชาการระดับเขต ช่วงเดือนสิงหาคม 2563",
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int run(int rows, const char *out, int *pages, double *ms)
{
    double t0 = now_ms();
    diag_ctx *d = diag_new();
    layout_page_setup ps = {0, 30 * MM_PT, 20 * MM_PT, 22 * MM_PT, 18 * MM_PT, "khet bench", NULL, 0, 0, 0, NULL, 0, 0, NULL, 0, 0, NULL};
    layout_doc *doc = layout_new(&ps);
    pdf_doc *pdf = pdf_new("fonts", "Laksaman", d);
    int rc = -1;
    if (doc && pdf) {
        layout_heading(doc, 1, "ตารางทดสอบความเร็ว");
        double w[] = {0, 30, 70};
        layout_table_begin(doc, w, 3, 14, 1);
        layout_cell h[3] = {{"ลำดับ", ALIGN_CENTER, 1, 1, 1, 0, 0}, {"ตัวชี้วัด", ALIGN_CENTER, 1, 1, 1, 0, 0},
                            {"ผลการดำเนินงาน", ALIGN_CENTER, 1, 1, 1, 0, 0}};
        layout_table_row(doc, h, 3);
        for (int i = 0; i < rows; i++) {
            char no[16];
            snprintf(no, sizeof no, "%d", i + 1);
            layout_cell c[3] = {{no, ALIGN_RIGHT, 0, 0, 1, 0, 0},
                                {"ร้อยละของเขตสุขภาพมีการพัฒนาระบบบริหารจัดการที่มีประสิทธิภาพ", ALIGN_LEFT, 0, 0, 1, 0, 0},
                                {narrative[i % 4], ALIGN_LEFT, 0, 0, 1, 0, 0}};
            layout_table_row(doc, c, 3);
        }
        layout_table_end(doc);
        *pages = layout_render(doc, pdf, d);
        if (*pages > 0)
            rc = pdf_save(pdf, out, d);
    }
    diag_print(d, stderr);
    pdf_free(pdf);
    layout_free(doc);
    diag_free(d);
    *ms = now_ms() - t0;
    return rc;
}

int main(void)
{
    const struct {
        int rows;
        const char *out, *target;
    } cases[] = {{400, "build/bench-400.pdf", "layout only"}, {12, "build/bench-3.pdf", "layout only"}};
    for (size_t i = 0; i < 2; i++) {
        int pages = 0;
        double best = 1e9, ms;
        for (int k = 0; k < 3; k++) { /* best of three */
            if (run(cases[i].rows, cases[i].out, &pages, &ms) != 0)
                return 1;
            best = ms < best ? ms : best;
        }
        struct stat st;
        struct rusage ru;
        stat(cases[i].out, &st);
        getrusage(RUSAGE_SELF, &ru);
        printf("%3d rows: %3d pages, %7.1f ms, %6.0f pages/s, peak RSS %5.1f MB, %6.0f bytes/page   (%s)\n",
               cases[i].rows, pages, best, pages / (best / 1000), ru.ru_maxrss / 1024.0,
               (double)st.st_size / pages, cases[i].target);
    }
    return 0;
}
