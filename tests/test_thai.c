/* Thai engine tests: line breaking on government sentences, formats and money in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thai.h"
#include "thai_int.h"
#include "util.h"


static int has_break(const size_t *off, int n, size_t at)
{
    for (int i = 0; i < n; i++)
        if (off[i] == at)
            return 1;
    return 0;
}

static void test_breaks(void **s)
{
    (void)s;
    const char *t = "มีการบริหารจัดการโดยคณะทำงานสารสนเทศ เขตสุขภาพที่ 12 ด้วยการจัดประชุม";
    size_t *off;
    int n = thai_breaks(t, &off, NULL);
    assert_true(n > 10);
    /* word boundaries of the seed sentence */
    const char *words[] = {"มี", "การ", "บริหาร", "จัดการ", "โดย", "คณะ", "ทำงาน", "สารสนเทศ ", "เขต", "สุขภาพ", "ที่ 12 ", /* the number stays with ที่ */
                           "ด้วย", "การ", "จัด", "ประชุม"};
    size_t at = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        at += strlen(words[i]);
        if (!has_break(off, n, at))
            fail_msg("no break after '%s'", words[i]);
    }
    assert_int_equal(off[n - 1], strlen(t));
    assert_false(has_break(off, n, (size_t)(strstr(t, "12") - t)));
    free(off);
}

/* No line may start with a combining mark or end with a leading vowel,
 * whatever the text; ๆ and ฯ stay with their word. */
static void test_break_rules(void **s)
{
    (void)s;
    const char *texts[] = {"ต่างๆ ของเขตสุขภาพ", "สาธารณสุข(สป.สธ.)ได้ดำเนินการ", "เพิ่มเติมแล้วไปโรงพยาบาลใหม่",
                           "ฯลฯ และอื่นๆ อีกมากมาย", "โควิด-19 ระบาด"};
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        size_t *off;
        int n = thai_breaks(texts[k], &off, NULL);
        assert_true(n >= 1);
        for (int i = 0; i < n - 1; i++) {
            const unsigned char *p = (const unsigned char *)texts[k] + off[i];
            const unsigned char *q = (const unsigned char *)texts[k] + off[i] - 3;
            uint32_t next = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            uint32_t prev = ((uint32_t)(q[0] & 0x0F) << 12) | ((uint32_t)(q[1] & 0x3F) << 6) | (q[2] & 0x3F);
            if (p[0] == 0xE0) {
                assert_false(next == 0x0E31 || (next >= 0x0E34 && next <= 0x0E3A) || (next >= 0x0E47 && next <= 0x0E4E));
                assert_false(next == 0x0E46 || next == 0x0E2F);
            }
            if (off[i] >= 3 && q[0] == 0xE0)
                assert_false(prev >= 0x0E40 && prev <= 0x0E44);
        }
        free(off);
    }
}

/* A breaker kept open across texts breaks each one as a fresh iterator does. */
static void test_breaker_reuse(void **s)
{
    (void)s;
    const char *texts[] = {"มีการบริหารจัดการโดยคณะทำงานสารสนเทศ เขตสุขภาพที่ 12", "", "Smart Hospital ของเขต",
                           "สาธารณสุข(สป.สธ.)ได้ดำเนินการ\nบรรทัดใหม่", "ต่างๆ ฯลฯ"};
    thai_breaker *b = thai_breaker_new();
    assert_non_null(b);
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            size_t *o1, *o2;
            unsigned char *h1, *h2;
            int n1 = thai_breaks(texts[k], &o1, &h1), n2 = thai_breaks_with(b, texts[k], &o2, &h2);
            assert_int_equal(n1, n2);
            assert_memory_equal(o1, o2, (size_t)n1 * sizeof *o1);
            assert_memory_equal(h1, h2, (size_t)n1);
            free(o1);
            free(o2);
            free(h1);
            free(h2);
        }
    thai_breaker_free(b);
    thai_breaker_free(NULL);
}

/* Compounds stay whole; a lone dash is never left at a line end. */
static void test_break_keeps(void **s)
{
    (void)s;
    const char *t = "การพัฒนาคุณภาพมาตรฐาน(HA) โรงพยาบาลในเขตสุขภาพ (MIS) - ระบบ Smart Kid";
    size_t *off;
    /* compounds come from a word list (templates/words/keep-together.txt) */
    thai_words *w = thai_words_new();
    assert_non_null(w);
    assert_int_equal(thai_words_add(w, THAI_WORD_KEEP, "โรงพยาบาล"), 0);
    thai_breaker *br = thai_breaker_new();
    thai_breaker_use_words(br, w);
    int n = thai_breaks(t, &off, NULL);
    /* ICU's dictionary splits โรง|พยาบาล; libthai, which vetoes such breaks
     * (issue 27), keeps it whole even without the list */
    assert_false(has_break(off, n, (size_t)(strstr(t, "พยาบาล") - t)));
    free(off);
    /* the veto: lexicalised compounds ICU splits stay whole, words too */
    const char *v = "ด้วยการบูรณาการ แลกเปลี่ยน เรียนรู้ คัดเลือก เครือข่าย เป้าหมาย";
    n = thai_breaks(v, &off, NULL);
    static const char *const inner[] = {"รบูรณาการ", "รณาการ", "เปลี่ยน", "รู้", "เลือก", "ข่าย", "หมาย"};
    for (size_t k = 0; k < sizeof inner / sizeof *inner; k++)
        assert_false(has_break(off, n, (size_t)(strstr(v, inner[k]) - v)));
    assert_true(has_break(off, n, (size_t)(strstr(v, "การบูรณาการ") - v))); /* ด้วย | การบูรณาการ */
    free(off);
    /* a word cut between clusters is never cut before a following vowel
     * (สมุทรปราก|าร) nor before a letter silenced by ์ (กุฉินาราย|ณ์) */
    static const char *const cut[][2] = {{"สมุทรปราการ", "าร"}, {"กุฉินารายณ์", "ณ์"}, {"นครศรีธรรมราช", "าช"}};
    for (size_t k = 0; k < 3; k++) {
        int m = thai_clusters(cut[k][0], strlen(cut[k][0]), &off);
        assert_true(m > 3);
        assert_false(has_break(off, m, (size_t)(strstr(cut[k][0], cut[k][1]) - cut[k][0])));
        free(off);
    }
    /* nor right after a hyphen joined to what follows (poppler would drop
     * it at the line end): before it instead */
    const char *hy = "มีย.-กย.63";
    int m = thai_clusters(hy, strlen(hy), &off);
    assert_false(has_break(off, m, (size_t)(strchr(hy, '-') - hy) + 1));
    assert_true(has_break(off, m, (size_t)(strchr(hy, '-') - hy)));
    free(off);
    /* a range joined by a hyphen or a dash stays whole */
    const char *rg = "ข้อมูล มีย.-กย.63 ระดับ 4–7 และ";
    n = thai_breaks(rg, &off, NULL);
    assert_false(has_break(off, n, (size_t)(strstr(rg, "กย.63") - rg)));
    assert_false(has_break(off, n, (size_t)(strstr(rg, "7 และ") - rg)));
    free(off);
    /* "เวลา 16.00 น.": the time stays with เวลา */
    thai_words *units = thai_words_new();
    assert_int_equal(thai_words_add(units, THAI_WORD_UNIT, "น."), 0);
    thai_breaker *ub = thai_breaker_new();
    thai_breaker_use_words(ub, units);
    const char *tm = "ประชุมเวลา 16.00 น. ที่ห้องประชุม";
    n = thai_breaks_with(ub, tm, &off, NULL);
    assert_false(has_break(off, n, (size_t)(strstr(tm, "16.00") - tm)));
    free(off);
    /* any time or period stays with the word before it (issue 27 point
     * 11); a count of times ("ปีละ | 2 ครั้ง") and a year before a day
     * ("2563 | วันที่") do not */
    assert_int_equal(thai_words_add(units, THAI_WORD_UNIT, "เดือน"), 0);
    assert_int_equal(thai_words_add(units, THAI_WORD_UNIT, "ครั้ง"), 0);
    const char *per = "ส่งข้อมูลทุก 3 เดือน ภายใน 15 วัน ปีละ 2 ครั้ง วันที่ 30 กันยายน 2563 วันที่ 1";
    n = thai_breaks_with(ub, per, &off, NULL);
    assert_false(has_break(off, n, (size_t)(strstr(per, "3 เดือน") - per)));
    assert_false(has_break(off, n, (size_t)(strstr(per, "15 วัน") - per)));
    assert_true(has_break(off, n, (size_t)(strstr(per, "2 ครั้ง") - per)));
    assert_true(has_break(off, n, (size_t)(strstr(per, "3 เดือน ") - per) + strlen("3 เดือน ")));
    free(off);
    thai_breaker_free(ub);
    thai_words_free(units);
    n = thai_breaks_with(br, t, &off, NULL);
    const char *p = strstr(t, "โรงพยาบาล");
    for (size_t k = 1; k < strlen("โรงพยาบาล"); k++)
        assert_false(has_break(off, n, (size_t)(p - t) + k));
    assert_true(has_break(off, n, (size_t)(p - t))); /* but a line may start with it */
    assert_false(has_break(off, n, (size_t)(strstr(t, "- ระบบ") - t) + 2)); /* not after "- " */
    free(off);
    const char *u = "อยู่ในระดับ B+ ลำดับที่ 1 ของเขต ร้อยละ 76.94";
    n = thai_breaks(u, &off, NULL);
    assert_false(has_break(off, n, (size_t)(strstr(u, "1 ของ") - u)));     /* ที่ 1 */
    assert_false(has_break(off, n, (size_t)(strstr(u, "76.94") - u)));     /* ร้อยละ 76.94 */
    assert_true(has_break(off, n, (size_t)(strstr(u, "ของเขต") - u)));     /* after the number, yes */
    free(off);
    /* nor does a line start with an operator: "(z | > 1.00)" left the formula's operand alone */
    const char *op = "ดีกว่าช่วง (z > 1.00) ได้ร้อยละ 100 และ 9.3 = 30% ของคะแนน";
    n = thai_breaks(op, &off, NULL);
    assert_false(has_break(off, n, (size_t)(strstr(op, "> 1.00") - op)));
    assert_false(has_break(off, n, (size_t)(strstr(op, "= 30%") - op)));
    assert_true(has_break(off, n, (size_t)(strstr(op, "(z") - op)));
    free(off);
    /* nor with a hospital's level in brackets, which stays with its name ("รพ.กันตัง / (๖)"), new or left
     * ("(7 ใหม่)", "(7 เป็น 5)"); a larger figure in brackets may start a line */
    const char *lv = "สงขลา: รพ.จะนะ (7), รพ.สะเดา (7 ใหม่); ตรัง: รพ.กันตัง (๖) พ้นระดับ: รพ.นาโยง (7 เป็น 5) รวม (100.00)";
    n = thai_breaks(lv, &off, NULL);
    static const char *const lvs[] = {"(7)", "(7 ใหม่)", "(๖)", "(7 เป็น"};
    for (size_t k = 0; k < sizeof lvs / sizeof *lvs; k++)
        assert_false(has_break(off, n, (size_t)(strstr(lv, lvs[k]) - lv)));
    assert_true(has_break(off, n, (size_t)(strstr(lv, "รพ.สะเดา") - lv)));
    assert_true(has_break(off, n, (size_t)(strstr(lv, "(100.00)") - lv)));
    free(off);
    /* a Thai digit is a number as "9" is, not a Thai word that keeps the number after it: a text set in
     * Thai digits (converted whole before it is broken) breaks where its Arabic text does */
    static const char *const pair[][2] = {{"คะแนนรอบ 85 90 และ 95", "90"}, {"คะแนนรอบ ๘๕ ๙๐ และ ๙๕", "๙๐"}};
    for (size_t k = 0; k < 2; k++) {
        n = thai_breaks(pair[k][0], &off, NULL);
        assert_true(has_break(off, n, (size_t)(strstr(pair[k][0], pair[k][1]) - pair[k][0])));
        free(off);
    }
    thai_breaker_free(br);
    thai_words_free(w);
}

/* libthai's veto is asked once per Thai run and remembered (issue 27: its
 * cost): the same text broken again, and the same phrase inside another
 * text, come out as the first time; KHET_NO_LIBTHAI (make bench's
 * comparison) turns it off also for a breaker with word lists. */
static void test_veto_memo(void **s)
{
    (void)s;
    thai_words *w = thai_words_new();
    assert_int_equal(thai_words_add(w, THAI_WORD_UNIT, "น."), 0);
    const char *v = "จัดประชุมแลกเปลี่ยนเรียนรู้ด้วยการบูรณาการ (HA) แลกเปลี่ยนเรียนรู้";
    const char *in = strstr(v, "เปลี่ยน"), *in2 = strstr(in + 1, "เปลี่ยน");
    size_t *off[3];
    int n[3];
    for (int k = 0; k < 3; k++) {
        if (k == 2)
            setenv("KHET_NO_LIBTHAI", "1", 1);
        thai_breaker *br = thai_breaker_new();
        assert_non_null(br);
        thai_breaker_use_words(br, w);
        n[k] = thai_breaks_with(br, v, &off[k], NULL);
        if (k == 1) { /* the memo's answer, twice over */
            free(off[k]);
            n[k] = thai_breaks_with(br, v, &off[k], NULL);
        }
        thai_breaker_free(br);
        unsetenv("KHET_NO_LIBTHAI");
    }
    assert_int_equal(n[0], n[1]);
    assert_memory_equal(off[0], off[1], (size_t)n[0] * sizeof *off[0]);
    assert_false(has_break(off[0], n[0], (size_t)(in - v)));
    assert_false(has_break(off[0], n[0], (size_t)(in2 - v)));
    assert_true(has_break(off[0], n[0], (size_t)(strstr(v, "การบูรณาการ") - v)));
    /* without the veto, ICU's แลก|เปลี่ยน is back */
    assert_true(has_break(off[2], n[2], (size_t)(in - v)));
    for (int k = 0; k < 3; k++)
        free(off[k]);
    /* more runs than the memo keeps: it empties and starts again, the
     * veto unchanged */
    thai_breaker *br = thai_breaker_new();
    thai_breaker_use_words(br, w);
    char t[64];
    for (int k = 0; k < 46 * 46; k++) {
        /* แลกเปลี่ยน and two more letters: U+0E01 + i is E0 B8 81+i */
        snprintf(t, sizeof t, "แลกเปลี่ยน\xE0\xB8%c\xE0\xB8%c", (char)(0x81 + k % 46), (char)(0x81 + k / 46));
        n[0] = thai_breaks_with(br, t, &off[0], NULL);
        assert_true(n[0] > 0);
        assert_false(has_break(off[0], n[0], strlen("แลก")));
        free(off[0]);
    }
    thai_breaker_free(br);
    thai_words_free(w);
}

/* Units and classifiers stay with their number; abbreviations keep their dots. */
static void test_break_units(void **s)
{
    (void)s;
    thai_words *w = thai_words_new();
    const char *units[] = {"น.", "แห่ง", "ครั้ง", "บาท"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(thai_words_add(w, THAI_WORD_UNIT, units[i]), 0);
    assert_int_equal(thai_words_count(w, THAI_WORD_UNIT), 4);
    thai_breaker *br = thai_breaker_new();
    thai_breaker_use_words(br, w);
    const char *t = "เวลา 16.00 น. ทั้งหมด 77 แห่ง ปีละ 2 ครั้ง เป็นเงิน 4,026,272.88 บาท ข้อมูล ก.ย. 63 ของ รพ.สต.บ้านนา";
    size_t *off;
    int n = thai_breaks_with(br, t, &off, NULL);
    const char *glued[] = {"น. ทั้ง", "แห่ง ปี", "ครั้ง เป็น", "บาท ข้อ", "63 ของ"};
    for (int i = 0; i < 5; i++)
        assert_false(has_break(off, n, (size_t)(strstr(t, glued[i]) - t)));
    assert_false(has_break(off, n, (size_t)(strstr(t, "ย. 63") - t)));   /* ก.|ย. */
    assert_false(has_break(off, n, (size_t)(strstr(t, ". 63") - t)));    /* before the dot */
    assert_false(has_break(off, n, (size_t)(strstr(t, "สต.") - t)));      /* รพ.|สต. */
    assert_true(has_break(off, n, (size_t)(strstr(t, "ทั้งหมด") - t)));   /* after the unit, yes */
    free(off);
    thai_breaker_free(br);
    thai_words_free(w);
    thai_words_free(NULL);
}

/* A unit matches only as a word of its own (units.txt): where ICU ends a
 * word after it ("3 ปี|ที่แล้ว", "77 แห่ง|ใน") and no compound it begins
 * runs further ("ปีงบประมาณ", "ตัวชี้วัด" of keep-together.txt); "คนไข้",
 * "ข้อมูล" are words that begin with one, and the number before them stays
 * with the word before it. */
static void test_break_units_are_words(void **s)
{
    (void)s;
    thai_words *w = thai_words_new();
    const char *units[] = {"ปี", "คน", "ข้อ", "ตัว", "แห่ง"}, *keep[] = {"ปีงบประมาณ", "ตัวชี้วัด", "รอบที่"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(thai_words_add(w, THAI_WORD_UNIT, units[i]), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(thai_words_add(w, THAI_WORD_KEEP, keep[i]), 0);
    thai_breaker *br = thai_breaker_new();
    thai_breaker_use_words(br, w);
    const char *t = "รอบที่ 2 ปีงบประมาณ 2563 จำนวน 5 คนไข้ ได้ 10 ข้อมูล ผ่าน 3 ตัวชี้วัด ภายใน 3 ปีที่แล้ว มี 77 แห่งในเขต";
    size_t *off;
    int n = thai_breaks_with(br, t, &off, NULL);
    /* not units: the line may end before them, and the number stays with the word before it */
    const char *word[] = {"ปีงบประมาณ", "คนไข้", "ข้อมูล", "ตัวชี้วัด"}, *num[] = {"2 ปีงบ", "5 คนไข้", "10 ข้อมูล", "3 ตัวชี้"};
    for (int i = 0; i < 4; i++) {
        assert_true(has_break(off, n, (size_t)(strstr(t, word[i]) - t)));
        assert_false(has_break(off, n, (size_t)(strstr(t, num[i]) - t)));
    }
    /* units: they stay with their number */
    assert_false(has_break(off, n, (size_t)(strstr(t, "ปีที่") - t)));
    assert_false(has_break(off, n, (size_t)(strstr(t, "แห่งใน") - t)));
    free(off);
    thai_breaker_free(br);
    thai_words_free(w);
}

/* The emergency cuts fall between grapheme clusters, never inside one. */
/* Only the break after a newline is mandatory; the dictionary breaks of the
 * Thai words before it stay optional (ICU reports them with the status of
 * the newline's rule, which once set a multi-line text one word per line). */
static void test_hard_breaks_only_at_newlines(void **s)
{
    (void)s;
    const char *text = "ขอรับรองว่าถูกต้อง\nตามความจริง\r\nทุกประการ";
    size_t *off;
    unsigned char *hard;
    int n = thai_breaks(text, &off, &hard);
    assert_true(n > 4);
    int nhard = 0;
    for (int i = 0; i < n; i++) {
        int after_newline = off[i] > 0 && (text[off[i] - 1] == '\n' || text[off[i] - 1] == '\r');
        assert_int_equal(hard[i] != 0, after_newline);
        nhard += hard[i] != 0;
    }
    assert_int_equal(nhard, 2);
    free(off);
    free(hard);
}

static void test_clusters(void **s)
{
    (void)s;
    const char *t = "สาธารณสุข(สป.สธ.)ได้ที่น้ำ";
    size_t *off;
    int n = thai_clusters(t, strlen(t), &off);
    assert_true(n > 10);
    for (int i = 0; i < n - 1; i++) {
        const unsigned char *p = (const unsigned char *)t + off[i];
        uint32_t next = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        assert_false(p[0] == 0xE0 && (next == 0x0E31 || next == 0x0E33 || (next >= 0x0E34 && next <= 0x0E3A) ||
                                      (next >= 0x0E47 && next <= 0x0E4E)));
    }
    assert_true(has_break(off, n, strlen("สา"))); /* สา | ธา ... */
    assert_true(has_break(off, n, strlen("สาธารณสุข(สป.สธ.)")));
    assert_false(has_break(off, n, strlen("สาธารณสุข(สป.สธ.)ไ"))); /* ไ stays with its consonant */
    free(off);
}

static void expect_words(int64_t satang, const char *want)
{
    char *got = thai_money_words(satang);
    assert_non_null(got);
    if (strcmp(got, want))
        fail_msg("money_words(%lld) = %s, wanted %s", (long long)satang, got, want);
    free(got);
}

static void test_money_words(void **s)
{
    (void)s;
    expect_words(0, "ศูนย์บาทถ้วน");
    expect_words(100, "หนึ่งบาทถ้วน");
    expect_words(1000, "สิบบาทถ้วน");
    expect_words(1100, "สิบเอ็ดบาทถ้วน");
    expect_words(2000, "ยี่สิบบาทถ้วน");
    expect_words(2100, "ยี่สิบเอ็ดบาทถ้วน");
    expect_words(10100, "หนึ่งร้อยเอ็ดบาทถ้วน");
    expect_words(100000100, "หนึ่งล้านเอ็ดบาทถ้วน");
    expect_words(100000000, "หนึ่งล้านบาทถ้วน");
    expect_words(1100000000, "สิบเอ็ดล้านบาทถ้วน");
    expect_words(2100000000, "ยี่สิบเอ็ดล้านบาทถ้วน");
    expect_words(123456750, "หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทห้าสิบสตางค์");
    expect_words(-525, "ลบห้าบาทยี่สิบห้าสตางค์");
    expect_words(1, "หนึ่งสตางค์");
    expect_words(21, "ยี่สิบเอ็ดสตางค์");
    expect_words(100000000000000, "หนึ่งล้านล้านบาทถ้วน");
    expect_words(4026272888, "สี่สิบล้านสองแสนหกหมื่นสองพันเจ็ดร้อยยี่สิบแปดบาทแปดสิบแปดสตางค์");
}

static void test_dates_numbers(void **s)
{
    (void)s;
    char *d = thai_date((reader_date){2020, 9, 30}, 0, 0);
    assert_string_equal(d, "30 กันยายน 2563");
    free(d);
    d = thai_date((reader_date){2020, 9, 30}, 1, 0);
    assert_string_equal(d, "30 ก.ย. 63");
    free(d);
    d = thai_date((reader_date){2020, 9, 30}, 0, 1);
    assert_string_equal(d, "๓๐ กันยายน ๒๕๖๓");
    free(d);
    d = thai_date((reader_date){2019, 10, 0}, 0, 0);
    assert_string_equal(d, "ตุลาคม 2562");
    free(d);
    assert_int_equal(thai_fiscal_year((reader_date){2019, 10, 1}), 2563);
    assert_int_equal(thai_fiscal_year((reader_date){2020, 9, 30}), 2563);
    assert_int_equal(thai_fiscal_quarter((reader_date){2019, 10, 1}), 1);
    assert_int_equal(thai_fiscal_quarter((reader_date){2019, 12, 31}), 1);
    assert_int_equal(thai_fiscal_quarter((reader_date){2020, 1, 1}), 2);
    assert_int_equal(thai_fiscal_quarter((reader_date){2020, 9, 1}), 4);
    char *n = thai_number(123456789, 2, 0);
    assert_string_equal(n, "1,234,567.89");
    free(n);
    n = thai_number(-5, 2, 0);
    assert_string_equal(n, "-0.05");
    free(n);
    n = thai_number(1000, 0, 1);
    assert_string_equal(n, "๑,๐๐๐");
    free(n);
    n = thai_number_d(2.005, 2, 0); /* binary 2.00499..: half away from zero on the decimal written */
    assert_true(!strcmp(n, "2.01") || !strcmp(n, "2.00"));
    free(n);
    n = thai_number_d(-1.5, 0, 0);
    assert_string_equal(n, "-2");
    free(n);
}

/* libthai's dictionary cut down to what the texts reach (thai_subset.c)
 * answers as the whole one does: the same breaks and word boundaries for
 * the seeds' prose, the tricky words and every piece of them, whether the
 * texts were told first (as a layout does) or only asked about (the part
 * opened again as it grows). KHET_CORPORA=DIR adds the files of DIR
 * (../shared/corpora/thai-segmentation: tokens joined). */
static char **subset_texts(size_t *n)
{
    static const char *const files[] = {FIXTURES "/seeds-prose.txt", FIXTURES "/tricky-words.txt"};
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t f = 0; f < 8; f++) {
        char path[512];
        const char *dir = getenv("KHET_CORPORA");
        static const char *const corpora[] = {"pud.txt", "tud-essay.txt", "tud-news.txt", "tud-other.txt", "tud-wiki.txt", "wisesight.txt"};
        if (f < 2)
            snprintf(path, sizeof path, "%s", files[f]);
        else if (dir)
            snprintf(path, sizeof path, "%s/%s", dir, corpora[f - 2]);
        else
            break;
        char *data;
        size_t len;
        assert_int_equal(util_read_file(path, (size_t)64 << 20, &data, &len), 0);
        for (char *p = data, *nl; p < data + len; p = nl + 1) {
            nl = memchr(p, '\n', (size_t)(data + len - p));
            if (!nl)
                nl = data + len;
            char *t = util_strndup(p, (size_t)(nl - p)), *o = t;
            for (char *q = t; *q; q++) /* the corpora's token marks out */
                if (*q == '\\' && q[1])
                    *o++ = *++q;
                else if (*q != '|')
                    *o++ = *q;
            *o = 0;
            assert_int_equal(util_grow((void **)&v, &cap, *n + 1, sizeof *v), 0);
            v[(*n)++] = t;
        }
        free(data);
    }
    return v;
}

static void test_veto_subset(void **s)
{
    (void)s;
    size_t nt;
    char **texts = subset_texts(&nt);
    thai_words *whole = thai_words_new(), *told = thai_words_new(), *asked = thai_words_new();
    assert_int_equal(thai_words_use_index(told, KHET_BUILD "/thbrk.words"), 0);
    assert_int_equal(thai_words_use_index(asked, KHET_BUILD "/thbrk.words"), 0);
    thai_breaker *bw = thai_breaker_new(), *bt = thai_breaker_new(), *ba = thai_breaker_new();
    thai_breaker_use_words(bw, whole);
    thai_breaker_use_words(bt, told);
    thai_breaker_use_words(ba, asked);
    for (size_t i = 0; i < nt; i++)
        assert_int_equal(thai_breaker_prime(bt, texts[i]), 0);
    size_t pieces = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t *o[3];
        int n[3];
        n[0] = thai_breaks_with(bw, texts[i], &o[0], NULL);
        n[1] = thai_breaks_with(bt, texts[i], &o[1], NULL);
        n[2] = thai_breaks_with(ba, texts[i], &o[2], NULL);
        for (int k = 1; k < 3; k++) {
            assert_int_equal(n[k], n[0]);
            assert_memory_equal(o[k], o[0], (size_t)n[0] * sizeof *o[0]);
        }
        /* libthai's word boundaries inside each piece between ICU's breaks
         * and inside each pair of pieces: cut-off runs, as a justified line
         * or an overlong piece gives them */
        for (int j = 0; j + 1 < n[0] && (i < 200 || getenv("KHET_CORPORA")); j++) {
            size_t a = j ? o[0][j - 1] : 0, b = o[0][j + 1];
            size_t *w[3];
            int m[3];
            thai_breaker *br[3] = {bw, bt, ba};
            for (int k = 0; k < 3; k++)
                m[k] = thai_word_breaks(br[k], texts[i] + a, b - a, &w[k]);
            for (int k = 1; k < 3; k++) {
                assert_int_equal(m[k], m[0]);
                assert_memory_equal(w[k], w[0], (size_t)m[0] * sizeof *w[0]);
            }
            for (int k = 0; k < 3; k++)
                free(w[k]);
            pieces++;
        }
        for (int k = 0; k < 3; k++)
            free(o[k]);
    }
    assert_true(pieces > 500);
    /* each opened the part it needed, not the whole dictionary */
    assert_int_equal(thai_words_dictionary(whole), 2);
    assert_int_equal(thai_words_dictionary(told), 1);
    assert_int_equal(thai_words_dictionary(asked), 1);
    /* a second document told after the part was opened, reaching further:
     * the whole dictionary, once, and the same answers */
    const char *more = "นวัตกรรมเทคโนโลยีชีวภาพกับเศรษฐกิจหมุนเวียนของชุมชนชายแดนใต้";
    assert_int_equal(thai_breaker_prime(bt, more), 0);
    size_t *m[2];
    int nm0 = thai_breaks_with(bt, more, &m[0], NULL), nm1 = thai_breaks_with(bw, more, &m[1], NULL);
    assert_int_equal(nm0, nm1);
    assert_memory_equal(m[0], m[1], (size_t)nm0 * sizeof *m[0]);
    if (!getenv("KHET_CORPORA")) /* (the corpora reach these words already) */
        assert_int_equal(thai_words_dictionary(told), 2);
    free(m[0]), free(m[1]);
    /* an index that is not there: the whole dictionary, same answers */
    thai_words *none = thai_words_new();
    assert_int_equal(thai_words_use_index(none, KHET_BUILD "/no-such.words"), 0);
    thai_breaker *bn = thai_breaker_new();
    thai_breaker_use_words(bn, none);
    size_t *o[2];
    int n0 = thai_breaks_with(bn, texts[0], &o[0], NULL), n1 = thai_breaks_with(bw, texts[0], &o[1], NULL);
    assert_int_equal(n0, n1);
    assert_memory_equal(o[0], o[1], (size_t)n0 * sizeof *o[0]);
    assert_int_equal(thai_words_dictionary(none), 2);
    free(o[0]), free(o[1]);
    thai_breaker_free(bn);
    thai_words_free(none);
    thai_breaker_free(bw), thai_breaker_free(bt), thai_breaker_free(ba);
    thai_words_free(whole), thai_words_free(told), thai_words_free(asked);
    for (size_t i = 0; i < nt; i++)
        free(texts[i]);
    free(texts);
}

/* Compounds are kept whole exactly where a scan per compound finds them
 * (from the left, not overlapping itself), nested, overlapping and
 * repeated ones too: the breaks with the list are those without it less
 * the ones strictly inside an occurrence. */
static void test_break_compounds(void **s)
{
    (void)s;
    static const char *const keep[] = {"ส่งเสริม", "ส่งเสริมสุขภาพ", "สุขภาพตำบล", "ส่งเสริม", "ตำบลบ้าน", "บ้าน",
                                       "โรงพยาบาลส่งเสริมสุขภาพตำบล", "พยาบาล"};
    const char *t = "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านนา ส่งเสริมสุขภาพตำบลบ้านบ้าน พยาบาลส่งเสริมส่งเสริมสุขภาพ";
    size_t len = strlen(t), *o[2];
    setenv("KHET_NO_LIBTHAI", "1", 1);
    thai_words *w = thai_words_new();
    for (size_t k = 0; k < sizeof keep / sizeof *keep; k++)
        assert_int_equal(thai_words_add(w, THAI_WORD_KEEP, keep[k]), 0);
    thai_breaker *br[2] = {thai_breaker_new(), thai_breaker_new()};
    thai_breaker_use_words(br[1], w);
    int n[2];
    for (int k = 0; k < 2; k++)
        n[k] = thai_breaks_with(br[k], t, &o[k], NULL);
    unsetenv("KHET_NO_LIBTHAI");
    unsigned char *in = calloc(len + 1, 1);
    for (size_t k = 0; k < sizeof keep / sizeof *keep; k++)
        for (const char *p = t; (p = strstr(p, keep[k]));) {
            size_t at = (size_t)(p - t), m = strlen(keep[k]);
            memset(in + at + 1, 1, m - 1);
            p += m;
        }
    int j = 0, removed = 0;
    for (int i = 0; i < n[0]; i++) {
        if (in[o[0][i]]) {
            removed++;
            continue;
        }
        assert_true(j < n[1]);
        assert_int_equal(o[1][j++], o[0][i]);
    }
    assert_int_equal(j, n[1]);
    assert_true(removed >= 6);
    free(in);
    for (int k = 0; k < 2; k++) {
        free(o[k]);
        thai_breaker_free(br[k]);
    }
    thai_words_free(w);
}

/* An index whose word offsets go down somewhere (a damaged file) is not
 * used: the whole dictionary is opened, with the same answers. Checked in
 * the middle and among the last offsets (looked at four at a time, then
 * one by one). */
static void test_veto_index_damaged(void **s)
{
    (void)s;
    char *data;
    size_t len;
    assert_int_equal(util_read_file(KHET_BUILD "/thbrk.words", (size_t)16 << 20, &data, &len), 0);
    thai_words_header h;
    assert_true(len > sizeof h);
    memcpy(&h, data, sizeof h);
    assert_true(h.n > 200);
    const char *text = "การบูรณาการแลกเปลี่ยนเรียนรู้ของเครือข่ายโรงพยาบาล";
    size_t *whole_off;
    thai_breaker *bw = thai_breaker_new();
    int nw = thai_breaks_with(bw, text, &whole_off, NULL);
    uint32_t at[] = {100, h.n - 1};
    for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
        char *copy = malloc(len), path[] = KHET_BUILD "/thbrk-damaged.words";
        memcpy(copy, data, len);
        uint32_t next, bad;
        memcpy(&next, copy + sizeof h + 4 * ((size_t)at[k] + 1), 4);
        bad = next + 3; /* offset at[k] past the one after it */
        memcpy(copy + sizeof h + 4 * (size_t)at[k], &bad, 4);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(copy, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        thai_words *w = thai_words_new();
        assert_int_equal(thai_words_use_index(w, path), 0);
        thai_breaker *b = thai_breaker_new();
        thai_breaker_use_words(b, w);
        assert_int_equal(thai_breaker_prime(b, text), 0);
        size_t *off;
        int n = thai_breaks_with(b, text, &off, NULL);
        assert_int_equal(n, nw);
        assert_memory_equal(off, whole_off, (size_t)n * sizeof *off);
        assert_int_equal(thai_words_dictionary(w), 2);
        free(off);
        thai_breaker_free(b);
        thai_words_free(w);
        remove(path);
        free(copy);
    }
    free(whole_off);
    thai_breaker_free(bw);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breaks),
        cmocka_unit_test(test_break_rules),   cmocka_unit_test(test_break_keeps), cmocka_unit_test(test_break_units),
        cmocka_unit_test(test_break_units_are_words), cmocka_unit_test(test_break_compounds),
        cmocka_unit_test(test_veto_memo),     cmocka_unit_test(test_veto_subset), cmocka_unit_test(test_veto_index_damaged),
        cmocka_unit_test(test_breaker_reuse), cmocka_unit_test(test_hard_breaks_only_at_newlines),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_money_words),   cmocka_unit_test(test_dates_numbers),
    };
    return cmocka_run_group_tests_name("thai", tests, NULL, NULL);
}
