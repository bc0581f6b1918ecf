/* pdf_outline: a document's outline (the bookmarks a reader lists: an
 * entry per heading, groups opened) and its information dictionary (title,
 * author, subject, keywords in UTF-16, creation date), through libharu. */
#include <stdio.h>
#include <string.h>

#include "pdf.h"
#include "pdf_int.h"

static int clamp_level(int level)
{
    return level < 0 ? 0 : level >= MAX_OUTLINE_LEVELS ? MAX_OUTLINE_LEVELS - 1 : level;
}

/* A destination on the current page at height y (a view fitting the width). */
static int set_destination(pdf_doc *p, HPDF_Outline o, double y)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(p->page);
    if (!dst || HPDF_Destination_SetFitH(dst, (HPDF_REAL)y) != HPDF_OK ||
        HPDF_Outline_SetDestination(o, dst) != HPDF_OK)
        return -1;
    return 0;
}

/* Creates an entry under the open entry one level up; later entries deeper
 * than it go under it. */
static HPDF_Outline add_entry(pdf_doc *p, int level, const char *title)
{
    HPDF_Outline parent = level > 0 ? p->outline[level - 1] : NULL;
    /* the title in UTF-16, replacing the empty one it is made with */
    HPDF_Outline o = HPDF_CreateOutline(p->doc, parent, "", NULL);
    if (!o || pdf_text_string(p->doc->mmgr, o, "Title", title) != 0)
        return NULL;
    p->outline[level] = o;
    for (int i = level + 1; i < MAX_OUTLINE_LEVELS; i++)
        p->outline[i] = NULL;
    return o;
}

int pdf_outline(pdf_doc *p, int level, const char *title, double y)
{
    level = clamp_level(level);
    HPDF_Outline o = add_entry(p, level, title);
    if (!o || !p->page || set_destination(p, o, y) != 0)
        return -1;
    /* group entries made before their first page existed point where it does */
    for (int i = 0; i < p->nahead; i++)
        if (set_destination(p, p->ahead[i], y) != 0)
            return -1;
    p->nahead = 0;
    return p->error ? -1 : 0;
}

int pdf_outline_group(pdf_doc *p, int level, const char *title)
{
    level = clamp_level(level);
    HPDF_Outline o = add_entry(p, level, title);
    if (!o || p->nahead == MAX_OUTLINE_LEVELS || HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
        return -1;
    p->ahead[p->nahead++] = o;
    return p->error ? -1 : 0;
}

int pdf_info(pdf_doc *p, const char *title, const char *author, const char *subject, const char *keywords,
             const char *date)
{
    /* each entry made by libharu (the dictionary, its order), then its text
     * in UTF-16 (pdf_text_string), as PDF requires for Thai */
    const struct {
        HPDF_InfoType type;
        const char *key, *value;
    } items[] = {{HPDF_INFO_TITLE, "Title", title},
                 {HPDF_INFO_AUTHOR, "Author", author},
                 {HPDF_INFO_SUBJECT, "Subject", subject},
                 {HPDF_INFO_KEYWORDS, "Keywords", keywords},
                 {HPDF_INFO_CREATOR, "Creator", "khet"}};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        if (items[i].value && (HPDF_SetInfoAttr(p->doc, items[i].type, "") != HPDF_OK || !p->doc->info ||
                               pdf_text_string(p->doc->mmgr, p->doc->info, items[i].key, items[i].value) != 0))
            return -1;
    if (date && strlen(date) >= 14) {
        HPDF_Date dt = {0};
        sscanf(date, "%4d%2d%2d%2d%2d%2d", &dt.year, &dt.month, &dt.day, &dt.hour, &dt.minutes, &dt.seconds);
        dt.ind = 'Z';
        HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, dt);
        HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, dt);
    }
    return p->error ? -1 : 0;
}

