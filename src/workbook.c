/* workbook: .xlsx sheets as reader tables (see workbook.h). */
#include "workbook.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#include "util.h"

/* One sheet: its cells by row, as text. */
typedef struct {
    int row, col; /* 1-based */
    char *text;
} wcell;

typedef struct {
    char *name;
    wcell *cells;
    size_t n, cap;
    int merged_title_rows; /* rows above the header that are one merged cell */
    int *title_rows;
    size_t title_cap;
} wsheet;

struct workbook {
    char *path;
    wsheet *sheets;
    size_t nsheets;
};

/* Thai names a sheet may carry for a file. */
static const struct {
    const char *file, *th;
} sheet_th[] = {
    {"provinces", "จังหวัด"},       {"hospitals", "หน่วยบริการ"},  {"hospitals", "โรงพยาบาล"},
    {"finance", "การเงิน"},         {"trial_balance", "งบทดลอง"},  {"eclaim", "อีเคลม"},
    {"efficiency7", "7 plus efficiency"}, {"cmi", "ค่า cmi"},    {"cmi_prev", "cmi ปีก่อน"},
    {"ha", "การรับรอง ha"},         {"kpi", "ตัวชี้วัด"},        {"kpi_stages", "small success"},
    {"kpi_notes", "ข้อค้นพบ"},      {"dataset", "ตั้งค่า"},       {"signoff", "ลงนามรับรอง"},
};

#define WB_LIMIT ((zip_uint64_t)64 << 20) /* an entry inflated: the data limit */

/* ---- the container ---- */

static char *read_entry(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > WB_LIMIT)
        return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    char *buf = f ? malloc(st.size + 1) : NULL;
    zip_int64_t got = buf ? zip_fread(f, buf, st.size) : -1;
    if (f)
        zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[got] = 0;
    *len = (size_t)got;
    return buf;
}

static xmlDoc *read_xml(zip_t *z, const char *name)
{
    size_t len = 0;
    char *text = read_entry(z, name, &len);
    /* no network, no entity expansion, no DTD loading: the file is data */
    xmlDoc *doc = text && len < (size_t)1 << 30
                      ? xmlReadMemory(text, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                      : NULL;
    free(text);
    return doc;
}

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static char *prop(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp((xmlNode *)n, (const xmlChar *)name);
}

/* The text of every <t> below n (a shared string's runs, not its phonetic hints). */
static void gather_t(const xmlNode *n, strbuf *b)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is(c, "rPh"))
            continue;
        if (is(c, "t")) {
            xmlChar *t = xmlNodeGetContent((xmlNode *)c);
            if (t)
                sb_puts(b, (const char *)t);
            xmlFree(t);
        } else if (c->type == XML_ELEMENT_NODE) {
            gather_t(c, b);
        }
    }
}

typedef struct {
    char **s;
    size_t n;
} strings;

static void strings_free(strings *ss)
{
    for (size_t i = 0; i < ss->n; i++)
        free(ss->s[i]);
    free(ss->s);
}

static int load_shared(zip_t *z, strings *ss)
{
    xmlDoc *doc = read_xml(z, "xl/sharedStrings.xml");
    if (!doc)
        return 0; /* a workbook without text has none */
    size_t cap = 0;
    int rc = 0;
    for (xmlNode *si = xmlDocGetRootElement(doc)->children; si && !rc; si = si->next) {
        if (!is(si, "si"))
            continue;
        strbuf b = {0};
        gather_t(si, &b);
        char *t = sb_finish(&b);
        if (!t || util_grow((void **)&ss->s, &cap, ss->n + 1, sizeof *ss->s)) {
            free(t);
            rc = -1;
        } else {
            ss->s[ss->n++] = t;
        }
    }
    xmlFreeDoc(doc);
    return rc;
}

/* ---- styles: which cell formats are dates, and whether they show a day ---- */

typedef struct {
    unsigned char *date; /* per cellXfs index: 0 no, 1 a date, 2 a month (no day shown) */
    size_t n;
} styles;

static int format_kind(int id, const char *code)
{
    if ((id >= 14 && id <= 16) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return 1; /* Excel's built-in date formats (and the Thai ones 27-36, 50-58) */
    if (id == 17)
        return 2; /* mmm-yy */
    if (!code)
        return 0;
    int y = 0, m = 0, dd = 0, quoted = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (quoted || *p == '\\')
            p += *p == '\\' && p[1];
        else if (*p == '[') /* [$-th-TH], colours: not date codes */
            p = strchr(p, ']') ? strchr(p, ']') : p + strlen(p) - 1;
        else if (*p == 'y' || *p == 'Y' || *p == 'e' || *p == 'b' || *p == 'B')
            y = 1;
        else if (*p == 'd' || *p == 'D')
            dd = 1;
        else if (*p == 'm' || *p == 'M')
            m = 1;
    }
    return y && m ? (dd ? 1 : 2) : 0;
}

static int load_styles(zip_t *z, styles *st)
{
    xmlDoc *doc = read_xml(z, "xl/styles.xml");
    if (!doc)
        return 0;
    struct {
        int id;
        char *code;
    } fmts[64];
    int nf = 0, rc = 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *c = root->children; c; c = c->next) {
        if (is(c, "numFmts"))
            for (xmlNode *f = c->children; f && nf < 64; f = f->next)
                if (is(f, "numFmt")) {
                    char *id = prop(f, "numFmtId");
                    fmts[nf].id = id ? atoi(id) : -1;
                    fmts[nf++].code = prop(f, "formatCode");
                    xmlFree(id);
                }
    }
    for (xmlNode *c = root->children; c && !rc; c = c->next) {
        if (!is(c, "cellXfs"))
            continue;
        size_t cap = 0;
        for (xmlNode *x = c->children; x && !rc; x = x->next) {
            if (!is(x, "xf"))
                continue;
            char *id = prop(x, "numFmtId");
            int fid = id ? atoi(id) : 0, kind;
            xmlFree(id);
            const char *code = NULL;
            for (int i = 0; i < nf; i++)
                if (fmts[i].id == fid)
                    code = fmts[i].code;
            kind = format_kind(fid, code);
            if (util_grow((void **)&st->date, &cap, st->n + 1, 1))
                rc = -1;
            else
                st->date[st->n++] = (unsigned char)kind;
        }
    }
    for (int i = 0; i < nf; i++)
        xmlFree(fmts[i].code);
    xmlFreeDoc(doc);
    return rc;
}

/* ---- cells ---- */

/* "BC12" -> column 55, row 12; 0 on a malformed reference. */
static int cell_ref(const char *r, int *row, int *col)
{
    int c = 0, n = 0;
    for (; *r >= 'A' && *r <= 'Z' && n < 4; r++, n++)
        c = c * 26 + (*r - 'A' + 1);
    if (!n || *r < '1' || *r > '9')
        return 0;
    *col = c;
    *row = atoi(r);
    return *row > 0 && *row <= 1048576;
}

/* An Excel day number as a date (the 1900 system; day 60 is Excel's
 * 29 Feb 1900, which never was). */
static void serial_date(double v, int month_only, char *out, size_t n)
{
    long serial = (long)floor(v);
    long z = (serial >= 60 ? serial - 25569 : serial - 25568) + 719468; /* days from 0000-03-01 */
    long era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (month_only)
        snprintf(out, n, "%04ld-%02ld", y, m);
    else
        snprintf(out, n, "%04ld-%02ld-%02ld", y, m, d);
}

/* A number as stored ("1234.57", "1.2E-3", "0.30000000000000004") as a
 * person typed it: at most 15 significant digits, no exponent. */
static void plain_number(const char *v, char *out, size_t n)
{
    if (strlen(v) <= 18 && !strpbrk(v, "eE")) {
        snprintf(out, n, "%s", v);
        if (strchr(v, '.') && strlen(strchr(v, '.')) <= 7)
            return; /* as stored: up to six decimals is what was typed */
    }
    double x = strtod(v, NULL);
    char g[64];
    snprintf(g, sizeof g, "%.15g", x);
    if (strpbrk(g, "eE")) {
        snprintf(g, sizeof g, "%.10f", x);
        char *e = g + strlen(g);
        while (e > g && e[-1] == '0')
            *--e = 0;
        if (e > g && e[-1] == '.')
            e[-1] = 0;
    }
    snprintf(out, n, "%s", g);
}

static int add_cell(wsheet *sh, int row, int col, char *text)
{
    if (!text || util_grow((void **)&sh->cells, &sh->cap, sh->n + 1, sizeof *sh->cells)) {
        free(text);
        return -1;
    }
    sh->cells[sh->n++] = (wcell){row, col, text};
    return 0;
}

static int read_cell(wsheet *sh, const xmlNode *c, const strings *ss, const styles *st, int row, int col)
{
    char *t = prop(c, "t"), *s = prop(c, "s");
    int style = s ? atoi(s) : 0, rc = 0;
    char *v = NULL;
    strbuf inl = {0};
    for (const xmlNode *k = c->children; k; k = k->next) {
        if (is(k, "v")) {
            xmlFree(v);
            v = (char *)xmlNodeGetContent((xmlNode *)k);
        } else if (is(k, "is")) {
            gather_t(k, &inl);
        }
    }
    char buf[96];
    char *text = NULL;
    if (t && !strcmp(t, "inlineStr"))
        text = sb_finish(&inl), inl = (strbuf){0};
    else if (!v)
        text = NULL; /* an empty cell with only a style */
    else if (t && !strcmp(t, "s")) {
        long i = strtol(v, NULL, 10);
        text = util_strdup(i >= 0 && (size_t)i < ss->n ? ss->s[i] : "");
    } else if (t && (!strcmp(t, "str") || !strcmp(t, "e")))
        text = util_strdup(v); /* a formula's cached text, or an error such as #N/A */
    else if (t && !strcmp(t, "b"))
        text = util_strdup(strcmp(v, "0") ? "TRUE" : "FALSE");
    else if (style >= 0 && (size_t)style < st->n && st->date[style]) {
        serial_date(strtod(v, NULL), st->date[style] == 2, buf, sizeof buf);
        text = util_strdup(buf);
    } else {
        plain_number(v, buf, sizeof buf);
        text = util_strdup(buf);
    }
    if (text && text[0])
        rc = add_cell(sh, row, col, text);
    else
        free(text);
    sb_free(&inl);
    xmlFree(v);
    xmlFree(t);
    xmlFree(s);
    return rc;
}

/* Rows above the header holding one merged cell across columns (a title). */
static void find_titles(wsheet *sh, const xmlNode *root)
{
    for (const xmlNode *m = root->children; m; m = m->next) {
        if (!is(m, "mergeCells"))
            continue;
        for (const xmlNode *mc = m->children; mc; mc = mc->next) {
            char *ref = is(mc, "mergeCell") ? prop(mc, "ref") : NULL;
            char *colon = ref ? strchr(ref, ':') : NULL;
            int r0, c0, r1, c1;
            if (colon) {
                *colon = 0;
                if (cell_ref(ref, &r0, &c0) && cell_ref(colon + 1, &r1, &c1) && c1 > c0 && r0 == r1 &&
                    r0 <= 5 && !util_grow((void **)&sh->title_rows, &sh->title_cap, (size_t)sh->merged_title_rows + 1,
                                          sizeof(int)))
                    sh->title_rows[sh->merged_title_rows++] = r0;
            }
            xmlFree(ref);
        }
    }
}

static int load_sheet(zip_t *z, const char *entry, wsheet *sh, const strings *ss, const styles *st)
{
    xmlDoc *doc = read_xml(z, entry);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    int rc = 0;
    find_titles(sh, root);
    for (xmlNode *sd = root->children; sd && !rc; sd = sd->next) {
        if (!is(sd, "sheetData"))
            continue;
        int next_row = 1;
        for (xmlNode *r = sd->children; r && !rc; r = r->next) {
            if (!is(r, "row"))
                continue;
            char *rn = prop(r, "r");
            int row = rn ? atoi(rn) : next_row, next_col = 1;
            xmlFree(rn);
            next_row = row + 1;
            for (xmlNode *c = r->children; c && !rc; c = c->next) {
                if (!is(c, "c"))
                    continue;
                char *ref = prop(c, "r");
                int rr = row, cc = next_col;
                if (ref && !cell_ref(ref, &rr, &cc))
                    rr = row, cc = next_col;
                xmlFree(ref);
                next_col = cc + 1;
                rc = read_cell(sh, c, ss, st, row, cc);
            }
        }
    }
    xmlFreeDoc(doc);
    return rc;
}

/* The sheets in workbook order with their part names. */
static int load_sheets(zip_t *z, workbook *wb, const strings *ss, const styles *st, char *failed, size_t nfailed)
{
    xmlDoc *book = read_xml(z, "xl/workbook.xml"), *rels = read_xml(z, "xl/_rels/workbook.xml.rels");
    int rc = book && rels ? 0 : -1;
    if (rc)
        snprintf(failed, nfailed, "its list of sheets (%s)", book ? "xl/_rels/workbook.xml.rels" : "xl/workbook.xml");
    size_t cap = 0;
    for (xmlNode *n = book ? xmlDocGetRootElement(book)->children : NULL; n && !rc; n = n->next) {
        if (!is(n, "sheets"))
            continue;
        for (xmlNode *s = n->children; s && !rc; s = s->next) {
            if (!is(s, "sheet"))
                continue;
            char *name = prop(s, "name"), *rid = NULL;
            for (xmlAttr *a = s->properties; a; a = a->next)
                if (!strcmp((const char *)a->name, "id") && a->children)
                    rid = (char *)xmlNodeGetContent((xmlNode *)a);
            char *target = NULL;
            for (xmlNode *r = xmlDocGetRootElement(rels)->children; r && rid && !target; r = r->next) {
                char *id = is(r, "Relationship") ? prop(r, "Id") : NULL;
                if (id && !strcmp(id, rid))
                    target = prop(r, "Target");
                xmlFree(id);
            }
            char *entry = !target ? NULL
                          : target[0] == '/' ? util_strdup(target + 1)
                                             : util_format("xl/%s", target);
            if (name && entry && !util_grow((void **)&wb->sheets, &cap, wb->nsheets + 1, sizeof *wb->sheets)) {
                wsheet *sh = &wb->sheets[wb->nsheets++];
                memset(sh, 0, sizeof *sh);
                sh->name = util_strdup(name);
                rc = !sh->name || load_sheet(z, entry, sh, ss, st) != 0 ? -1 : 0;
                if (rc && sh->name) /* the sheet the officer sees, and the part behind it */
                    snprintf(failed, nfailed, "the sheet '%s' (%s)", name, entry);
            } else if (name && entry) {
                rc = -1;
            }
            free(entry);
            xmlFree(target);
            xmlFree(rid);
            xmlFree(name);
        }
    }
    xmlFreeDoc(book);
    xmlFreeDoc(rels);
    return rc;
}

/* What a file that does not open as a workbook is, from its first bytes
 * (the place a reader is pointed at: line 1, column 1), and what to do. */
static void not_a_workbook(const char *path, int zerr, diag_ctx *d)
{
    unsigned char head[512];
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    int text = n > 0;
    for (size_t i = 0; i < n; i++)
        text &= head[i] >= 0x20 || head[i] == '\n' || head[i] == '\r' || head[i] == '\t';
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    const char *what = !f       ? "it cannot be read"
                       : n == 0 ? "the file is empty"
                       : n >= 8 && !memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)
                           ? "it is an Excel 97-2003 workbook (.xls) or a workbook protected with a password"
                       : n >= 2 && !memcmp(head, "PK", 2) ? "its zip container is damaged"
                       : text ? "it is a text file (a CSV file named .xlsx?)"
                              : "it is not a zip container, as every .xlsx is";
    diag_add(d, DIAG_ERROR, path, 1, 1,
             "not an Excel workbook (.xlsx): %s (%s); open it in Excel and save it as \"Excel Workbook (*.xlsx)\" "
             "without a password%s",
             what, zip_error_strerror(&ze), text ? ", or give a CSV file the name of the table (finance.csv, ...)" : "");
    zip_error_fini(&ze);
}

workbook *workbook_open(const char *path, diag_ctx *d)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        not_a_workbook(path, zerr, d);
        return NULL;
    }
    workbook *wb = calloc(1, sizeof *wb);
    strings ss = {0};
    styles st = {0};
    char failed[256] = "";
    int rc = !wb || !(wb->path = util_strdup(path)) ? -2 : 0;
    if (!rc && load_shared(z, &ss) != 0)
        rc = -1, snprintf(failed, sizeof failed, "its shared text (xl/sharedStrings.xml)");
    if (!rc && load_styles(z, &st) != 0)
        rc = -1, snprintf(failed, sizeof failed, "its cell styles (xl/styles.xml)");
    if (!rc && load_sheets(z, wb, &ss, &st, failed, sizeof failed) != 0)
        rc = -1;
    strings_free(&ss);
    free(st.date);
    zip_discard(z);
    if (rc) {
        if (rc == -2)
            diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
        else
            diag_add(d, DIAG_ERROR, path, 0, 0, "the workbook is damaged: %s cannot be read (out of memory, or not the "
                     "XML Excel writes); open it in Excel or LibreOffice and save it again as \"Excel Workbook (*.xlsx)\"",
                     failed[0] ? failed : "a part of it");
        workbook_free(wb);
        return NULL;
    }
    return wb;
}

void workbook_free(workbook *wb)
{
    if (!wb)
        return;
    for (size_t i = 0; i < wb->nsheets; i++) {
        for (size_t k = 0; k < wb->sheets[i].n; k++)
            free(wb->sheets[i].cells[k].text);
        free(wb->sheets[i].cells);
        free(wb->sheets[i].title_rows);
        free(wb->sheets[i].name);
    }
    free(wb->sheets);
    free(wb->path);
    free(wb);
}

const char *workbook_path(const workbook *wb) { return wb->path; }

/* Sheet names match in any case and spacing, in English or Thai. */
static int same_name(const char *a, const char *b)
{
    while (*a == ' ')
        a++;
    size_t n = strlen(a);
    while (n && a[n - 1] == ' ')
        n--;
    return strlen(b) == n && !strncasecmp(a, b, n);
}

static const wsheet *find_sheet(const workbook *wb, const char *file)
{
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)(strstr(file, ".csv") ? strstr(file, ".csv") - file : (long)strlen(file)),
             file);
    for (size_t i = 0; i < wb->nsheets; i++) {
        if (same_name(wb->sheets[i].name, base))
            return &wb->sheets[i];
        for (size_t k = 0; k < sizeof sheet_th / sizeof *sheet_th; k++)
            if (!strcmp(sheet_th[k].file, base) && same_name(wb->sheets[i].name, sheet_th[k].th))
                return &wb->sheets[i];
    }
    return NULL;
}

int workbook_has(const workbook *wb, const char *file) { return find_sheet(wb, file) != NULL; }

static int is_title_row(const wsheet *sh, int row)
{
    for (int i = 0; i < sh->merged_title_rows; i++)
        if (sh->title_rows[i] == row)
            return 1;
    return 0;
}

reader_table *workbook_table(const workbook *wb, const char *file, diag_ctx *d)
{
    const wsheet *sh = find_sheet(wb, file);
    if (!sh)
        return NULL;
    char *name = util_format("%s[%s]", wb->path, sh->name);
    reader_table *t = name ? reader_table_new(name) : NULL;
    free(name);
    if (!t) {
        diag_add(d, DIAG_SYSTEM, wb->path, 0, 0, "out of memory");
        return NULL;
    }
    /* the header: the first row that is not a merged title; its width sets the table's */
    int header = 0, width = 0, rc = 0;
    for (size_t i = 0; i < sh->n && !header; i++)
        if (!is_title_row(sh, sh->cells[i].row))
            header = sh->cells[i].row;
    for (size_t i = 0; i < sh->n; i++)
        if (sh->cells[i].row == header && sh->cells[i].col > width)
            width = sh->cells[i].col;
    size_t i = 0;
    while (i < sh->n && sh->cells[i].row < header)
        i++;
    while (i < sh->n && !rc) { /* one row: cells in column order, gaps filled empty */
        int row = sh->cells[i].row, last = width;
        for (size_t k = i; k < sh->n && sh->cells[k].row == row; k++)
            last = sh->cells[k].col > last ? sh->cells[k].col : last;
        rc = reader_table_add_row(t, row);
        for (int c = 1; c <= last && !rc; c++) {
            const char *text = "";
            if (i < sh->n && sh->cells[i].row == row && sh->cells[i].col == c)
                text = sh->cells[i++].text;
            rc = reader_table_add_cell(t, text, row, c);
        }
        while (i < sh->n && sh->cells[i].row == row) /* a cell out of column order */
            i++;
    }
    if (rc) {
        diag_add(d, DIAG_SYSTEM, wb->path, 0, 0, "out of memory");
        reader_table_free(t);
        return NULL;
    }
    if (!header)
        diag_add(d, DIAG_ERROR, reader_table_name(t), 1, 1, "the sheet is empty: a header row is expected");
    if (!header || reader_table_finish(t, d) != 0) {
        reader_table_free(t);
        return NULL;
    }
    return t;
}

int workbook_settings(const workbook *wb, settings_fn fn, void *user, const char *const *known, diag_ctx *d)
{
    const wsheet *sh = find_sheet(wb, "dataset");
    if (!sh)
        return -1;
    char *where = util_format("%s[%s]", wb->path, sh->name);
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->cells[i].col != 1)
            continue;
        const char *key = sh->cells[i].text, *value = "";
        if (i + 1 < sh->n && sh->cells[i + 1].row == sh->cells[i].row && sh->cells[i + 1].col == 2)
            value = sh->cells[i + 1].text;
        if (!strcmp(key, "key") || !strcmp(key, "setting") || key[0] == ';' || key[0] == '#')
            continue; /* a header row or a comment */
        int r = fn(user, key, value, sh->cells[i].row);
        const char *guess = r == SETTING_UNKNOWN ? reader_did_you_mean(key, known, NULL) : NULL;
        if (r == SETTING_UNKNOWN)
            diag_add(d, DIAG_WARNING, where ? where : wb->path, sh->cells[i].row, 1,
                     "unknown setting '%s' is ignored%s%s%s", key, guess ? ": did you mean '" : "", guess ? guess : "",
                     guess ? "'?" : "");
        if (r == SETTING_STOP)
            break;
    }
    free(where);
    return 0;
}
