/* region: the schemes a data folder names (see region.h) and the national
 * province list khet init works from. */
#include "region.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reader.h"
#include "util.h"

/* The sample schemes shipped in templates/, and the region each is for:
 * what a folder made before dataset.ini named its schemes still gets. */
static const struct {
    const char *dir;
    int region;
} legacy[2] = {{"finance-r8-2563", 8}, {"kpi66-r12-2563", 12}};

static int is_scheme_dir(const char *dir)
{
    char *ini = util_path_join(dir, "scheme.ini");
    struct stat st;
    int yes = ini && stat(ini, &st) == 0 && S_ISREG(st.st_mode);
    free(ini);
    return yes;
}

static int data_has_region(const dataset *ds, int region)
{
    for (size_t i = 0; i < ds->nprovinces; i++)
        if (ds->provinces[i].region == region)
            return 1;
    return 0;
}

char *region_scheme_dir(const dataset *ds, const char *data_dir, const char *templates_dir, region_scheme_kind kind,
                        const char *given, int *none, diag_ctx *d)
{
    *none = 0;
    const char *name = given ? given : kind == REGION_FINANCE ? ds->finance_scheme : ds->kpi_scheme;
    if (name && (!name[0] || !strcmp(name, "none"))) {
        *none = 1;
        return NULL;
    }
    if (given) {
        char *p = util_strdup(given);
        if (!p)
            diag_add(d, DIAG_SYSTEM, given, 0, 0, "out of memory");
        return p;
    }
    if (!name) {
        /* a folder from before dataset.ini named its region and schemes */
        if (ds->region || ds->finance_scheme || ds->kpi_scheme || !data_has_region(ds, legacy[kind].region)) {
            *none = 1;
            return NULL;
        }
        char *p = util_path_join(templates_dir, legacy[kind].dir);
        if (!p)
            diag_add(d, DIAG_SYSTEM, templates_dir, 0, 0, "out of memory");
        return p;
    }
    char *ini = util_path_join(data_dir, "dataset.ini");
    char *beside = name[0] == '/' ? util_strdup(name) : util_path_join(data_dir, name);
    char *shipped = name[0] == '/' ? NULL : util_path_join(templates_dir, name);
    char *found = NULL;
    if (!ini || !beside || (name[0] != '/' && !shipped))
        diag_add(d, DIAG_SYSTEM, data_dir, 0, 0, "out of memory");
    else if (is_scheme_dir(beside))
        found = beside, beside = NULL;
    else if (shipped && is_scheme_dir(shipped))
        found = shipped, shipped = NULL;
    else
        diag_add(d, DIAG_ERROR, ini, kind == REGION_FINANCE ? ds->finance_scheme_line : ds->kpi_scheme_line, 1,
                 "%s_scheme: no scheme folder '%s' (a folder with scheme.ini) in %s%s%s; write the folder's name, "
                 "or 'none' when the region has no %s scheme",
                 kind == REGION_FINANCE ? "finance" : "kpi", name, data_dir, shipped ? " or " : "",
                 shipped ? templates_dir : "", kind == REGION_FINANCE ? "finance" : "KPI");
    free(ini);
    free(beside);
    free(shipped);
    return found;
}

int region_check_scheme(const scheme *s, const dataset *ds, const char *data_dir, region_scheme_kind kind,
                        int from_command_line, diag_ctx *d)
{
    const char *want = kind == REGION_FINANCE ? "finance" : "kpi";
    const char *key = kind == REGION_FINANCE ? "finance_scheme" : "kpi_scheme";
    int line = kind == REGION_FINANCE ? ds->finance_scheme_line : ds->kpi_scheme_line;
    char *ini = util_path_join(data_dir, "dataset.ini");
    int rc = 0;
    if (s->kind && strcmp(s->kind, want)) {
        diag_add(d, DIAG_ERROR, from_command_line ? s->dir : ini, from_command_line ? 0 : line, 0,
                 "%s is a %s scheme, not a %s scheme%s", s->dir, s->kind, want,
                 from_command_line ? "" : ": name it under the other key");
        rc = -1;
    } else if (!from_command_line && ds->region && s->region != ds->region) {
        diag_add(d, DIAG_ERROR, ini, line, 1,
                 "%s: the scheme %s is for region %d, the data folder for region %d (dataset.ini 'region'); "
                 "name this region's own scheme (khet init makes one), or pass --%s to use it anyway",
                 key, s->dir, s->region, ds->region, kind == REGION_FINANCE ? "scheme" : "kpi-scheme");
        rc = -1;
    }
    free(ini);
    return rc;
}

/* ---- the national list ---- */

void region_provinces_free(region_province *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].name_th);
        free(p[i].name_en);
    }
    free(p);
}

region_province *region_provinces_load(const char *templates_dir, size_t *n, diag_ctx *d)
{
    *n = 0;
    char *path = util_path_join(templates_dir, "moph-provinces.csv");
    reader_table *t = path ? reader_read_csv(path, NULL, d) : NULL;
    static const char *const req[] = {"code", "name_th", "name_en", "region", NULL};
    region_province *p = NULL;
    if (!path)
        diag_add(d, DIAG_SYSTEM, templates_dir, 0, 0, "out of memory");
    if (!t || reader_table_expect(t, req, NULL, d) > 0)
        goto done;
    size_t rows = reader_table_rows(t);
    if (!(p = calloc(rows ? rows : 1, sizeof *p))) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
        goto done;
    }
    int cc = reader_table_column(t, "code"), ct = reader_table_column(t, "name_th"),
        ce = reader_table_column(t, "name_en"), cr = reader_table_column(t, "region");
    for (size_t r = 0; r < rows; r++) {
        const reader_cell *code = reader_table_cell(t, r, cc), *reg = reader_table_cell(t, r, cr);
        int64_t region = 0;
        if (strlen(code->text) != 2 || reader_parse_int(reg->text, &region) || region < 1 || region > 13) {
            diag_add(d, DIAG_ERROR, path, code->line, code->col, "not a province code and region 1-13");
            continue;
        }
        region_province *q = &p[(*n)++];
        memcpy(q->code, code->text, 3);
        q->region = (int)region;
        q->name_th = util_strdup(reader_table_cell(t, r, ct)->text);
        q->name_en = util_strdup(reader_table_cell(t, r, ce)->text);
        if (!q->name_th || !q->name_en) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, "out of memory");
            region_provinces_free(p, *n);
            p = NULL;
            *n = 0;
            break;
        }
    }
done:
    reader_table_free(t);
    free(path);
    return p;
}
