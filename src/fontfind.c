#include "fontfind.h"

#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

/* One face: its file and what the font says about itself. */
typedef struct {
    char *path;
    char *family;  /* first family name */
    char *names;   /* every family name, normalised, each followed by '\n' */
    int weight;    /* fontconfig weight: 80 regular, 200 bold */
    int slant;     /* 0 roman */
    int thai;
} face;

typedef struct {
    face *v;
    size_t n, cap;
} faces;

static void faces_free(faces *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].path);
        free(fs->v[i].family);
        free(fs->v[i].names);
    }
    free(fs->v);
    fs->v = NULL;
    fs->n = fs->cap = 0;
}

/* A name as compared: lower case, without spaces, hyphens and underscores,
 * so "Noto Sans Thai", "NotoSansThai" and "noto-sans-thai" are one name. */
static void normalise(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        if (*s != ' ' && *s != '-' && *s != '_')
            out[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
    out[k] = '\0';
}

/* Appends the face fontconfig describes in p. 0, or -1 when out of memory. */
static int add_face(faces *fs, FcPattern *p, const char *file)
{
    FcChar8 *s = NULL;
    int w = FC_WEIGHT_REGULAR, sl = FC_SLANT_ROMAN;
    FcLangSet *ls = NULL;
    if (!file && FcPatternGetString(p, FC_FILE, 0, &s) == FcResultMatch)
        file = (const char *)s;
    if (!file || FcPatternGetString(p, FC_FAMILY, 0, &s) != FcResultMatch)
        return 0;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &w);
    FcPatternGetInteger(p, FC_SLANT, 0, &sl);
    strbuf names = {0};
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch; i++) {
        char buf[256];
        normalise((const char *)s, buf, sizeof buf);
        sb_printf(&names, "%s\n", buf);
    }
    FcPatternGetString(p, FC_FAMILY, 0, &s);
    face f = {util_strdup(file), util_strdup((const char *)s), names.data, w, sl,
              FcPatternGetLangSet(p, FC_LANG, 0, &ls) == FcResultMatch && ls && FcLangSetHasLang(ls, (const FcChar8 *)"th") == FcLangEqual};
    if (!f.path || !f.family || names.oom || !f.names || util_grow((void **)&fs->v, &fs->cap, fs->n + 1, sizeof *fs->v)) {
        free(f.path);
        free(f.family);
        free(f.names);
        return -1;
    }
    fs->v[fs->n++] = f;
    return 0;
}

/* A file fontconfig cannot read, known by its file name only (FAMILY.ttf,
 * FAMILY-Regular.ttf, FAMILY-Bold.ttf), so that naming it gets the reason
 * it cannot be used (a CFF font, a damaged one) rather than "not found". */
static int add_unreadable(faces *fs, const char *path)
{
    const char *base = strrchr(path, '/');
    FcPattern *p = FcPatternCreate();
    char *stem = util_strdup(base ? base + 1 : path), *dot = stem ? strrchr(stem, '.') : NULL;
    if (dot)
        *dot = '\0';
    size_t l = stem ? strlen(stem) : 0;
    int bold = l > 5 && !strcmp(stem + l - 5, "-Bold");
    int rc = -1;
    if (p && stem && FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)stem) &&
        FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR))
        rc = add_face(fs, p, path);
    if (p)
        FcPatternDestroy(p);
    free(stem);
    return rc;
}

/* The faces of one font file (all faces of a collection). */
static int add_file(faces *fs, const char *path)
{
    int count = 1;
    for (int id = 0; id < count && id < 64; id++) {
        FcPattern *p = FcFreeTypeQuery((const FcChar8 *)path, (unsigned)id, NULL, &count);
        if (!p && id == 0)
            return add_unreadable(fs, path);
        if (!p)
            return 0;
        int rc = add_face(fs, p, path);
        FcPatternDestroy(p);
        if (rc)
            return -1;
    }
    return 0;
}

static int is_font_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".ttf") || !strcasecmp(dot, ".otf") || !strcasecmp(dot, ".ttc"));
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every face of the font files directly in dir, in file-name order. */
static int add_dir(faces *fs, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(dp));) {
        if (!is_font_file(e->d_name))
            continue;
        char *path = util_format("%s/%s", dir, e->d_name);
        if (!path || util_grow((void **)&names, &cap, n + 1, sizeof *names)) {
            free(path);
            rc = -1;
        } else
            names[n++] = path;
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = add_file(fs, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Whether a face belongs to the family called `want` (normalised): by its
 * own family names, or by its file name (FAMILY.ttf, FAMILY-Regular.ttf,
 * FAMILY-Bold.ttf), as the fonts folder has always been read. */
static int face_is(const face *f, const char *want)
{
    char line[260];
    snprintf(line, sizeof line, "\n%s\n", want);
    if (!strncmp(f->names, line + 1, strlen(line + 1)) || strstr(f->names, line))
        return 1;
    const char *base = strrchr(f->path, '/');
    char stem[256], norm[256];
    snprintf(stem, sizeof stem, "%s", base ? base + 1 : f->path);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    size_t l = strlen(stem);
    static const char *const suffix[] = {"-Regular", "-Bold"};
    for (size_t i = 0; i < 2; i++) {
        size_t sl = strlen(suffix[i]);
        if (l > sl && !strcmp(stem + l - sl, suffix[i])) {
            stem[l - sl] = '\0';
            break;
        }
    }
    normalise(stem, norm, sizeof norm);
    return !strcmp(norm, want);
}

/* The regular and bold faces of family `want` among fs: the upright face
 * nearest to regular weight, and the upright face of at least semibold
 * weight nearest to bold. 0 when the family has no face here. */
static int pick(const faces *fs, const char *want, const face **reg, const face **bold)
{
    *reg = *bold = NULL;
    for (int pass = 0; pass < 2 && !*reg; pass++) /* pass 1: a family with only slanted faces */
        for (size_t i = 0; i < fs->n; i++) {
            const face *f = &fs->v[i];
            if (!face_is(f, want) || (pass == 0 && f->slant != FC_SLANT_ROMAN))
                continue;
            if (!*reg || abs(f->weight - FC_WEIGHT_REGULAR) < abs((*reg)->weight - FC_WEIGHT_REGULAR))
                *reg = f;
        }
    for (size_t i = 0; i < fs->n; i++) {
        const face *f = &fs->v[i];
        if (!face_is(f, want) || f->slant != FC_SLANT_ROMAN || f->weight < FC_WEIGHT_DEMIBOLD)
            continue;
        if (!*bold || abs(f->weight - FC_WEIGHT_BOLD) < abs((*bold)->weight - FC_WEIGHT_BOLD))
            *bold = f;
    }
    if (*bold == *reg)
        *bold = NULL; /* a family of one bold face: that face is its regular */
    return *reg != NULL;
}

/* The faces fontconfig knows of a family (system and user fonts). */
static int add_system(faces *fs, const char *family)
{
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (!cfg)
        return 0;
    FcPattern *pat = family ? FcPatternBuild(NULL, FC_FAMILY, FcTypeString, family, (char *)0) : FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_FILE, FC_WEIGHT, FC_SLANT, FC_LANG, (char *)0);
    FcFontSet *set = pat && os ? FcFontList(cfg, pat, os) : NULL;
    int rc = pat && os ? 0 : -1;
    if (set) {
        /* fontconfig's order is its cache's: sort by file for the same choice every run */
        faces tmp = {0};
        for (int i = 0; rc == 0 && i < set->nfont; i++)
            rc = add_face(&tmp, set->fonts[i], NULL);
        for (size_t i = 1; i < tmp.n; i++)
            for (size_t j = i; j > 0 && strcmp(tmp.v[j - 1].path, tmp.v[j].path) > 0; j--) {
                face t = tmp.v[j];
                tmp.v[j] = tmp.v[j - 1];
                tmp.v[j - 1] = t;
            }
        for (size_t i = 0; rc == 0 && i < tmp.n; i++) {
            if (util_grow((void **)&fs->v, &fs->cap, fs->n + 1, sizeof *fs->v))
                rc = -1;
            else {
                fs->v[fs->n++] = tmp.v[i];
                tmp.v[i].path = tmp.v[i].family = tmp.v[i].names = NULL;
            }
        }
        faces_free(&tmp);
        FcFontSetDestroy(set);
    }
    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    FcConfigDestroy(cfg);
    return rc;
}

static int set_result(font_faces *out, const face *reg, const face *bold)
{
    out->regular = util_strdup(reg->path);
    out->family = util_strdup(reg->family);
    out->bold = bold ? util_strdup(bold->path) : NULL;
    return out->regular && out->family && (!bold || out->bold) ? 0 : -1;
}

static int is_path(const char *name)
{
    return strchr(name, '/') != NULL || is_font_file(name);
}

/* --font PATH: that file; its bold face is the file of the same family
 * that says it is bold, beside it, in the fonts folder or known to
 * fontconfig. */
static int find_path(const char *font_dir, const char *path, font_faces *out, diag_ctx *d)
{
    if (access(path, R_OK) != 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "font file not found");
        return -1;
    }
    faces self = {0}, near = {0};
    int rc = add_file(&self, path);
    out->regular = util_strdup(path);
    if (rc == 0 && out->regular && self.n) {
        char want[256];
        normalise(self.v[0].family, want, sizeof want);
        out->family = util_strdup(self.v[0].family);
        char *dir = util_strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash)
            *slash = '\0';
        rc = !dir ? -1 : add_dir(&near, slash ? dir : ".");
        if (rc == 0)
            rc = add_dir(&near, font_dir);
        const face *r, *b;
        if (rc == 0 && !(pick(&near, want, &r, &b) && b))
            rc = add_system(&near, self.v[0].family);
        if (rc == 0 && pick(&near, want, &r, &b) && b && strcmp(b->path, path) != 0 && self.v[0].weight < FC_WEIGHT_DEMIBOLD &&
            !(out->bold = util_strdup(b->path)))
            rc = -1;
        free(dir);
    } else if (rc == 0 && out->regular) {
        const char *base = strrchr(path, '/');
        out->family = util_strdup(base ? base + 1 : path);
    }
    faces_free(&self);
    faces_free(&near);
    if (rc || !out->regular || !out->family) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    return 0;
}

int fontfind(const char *font_dir, const char *name, font_faces *out, diag_ctx *d)
{
    memset(out, 0, sizeof *out);
    if (is_path(name))
        return find_path(font_dir, name, out, d);
    char want[256];
    normalise(name, want, sizeof want);
    faces fs = {0};
    const face *reg, *bold;
    int rc = add_dir(&fs, font_dir);
    if (rc == 0 && pick(&fs, want, &reg, &bold))
        rc = set_result(out, reg, bold) ? -1 : 1;
    if (rc == 0) {
        faces_free(&fs);
        rc = add_system(&fs, name);
        if (rc == 0 && pick(&fs, want, &reg, &bold))
            rc = set_result(out, reg, bold) ? -1 : 1;
    }
    faces_free(&fs);
    if (rc < 0) {
        fontfind_free(out);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    if (rc == 0) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "font \"%s\" not found: looked for a font file of that family in %s and among the fonts fontconfig "
                 "knows (`khet fonts` lists them; fc-list shows all); name a font file with --font PATH, or put "
                 "the font in %s (run make for the bundled Laksaman)",
                 name, font_dir, font_dir);
        return -1;
    }
    return 0;
}

void fontfind_free(font_faces *f)
{
    free(f->regular);
    free(f->bold);
    free(f->family);
    memset(f, 0, sizeof *f);
}

int fontfind_list(const char *font_dir, FILE *out, diag_ctx *d)
{
    faces fs = {0};
    if (add_dir(&fs, font_dir) != 0 || add_system(&fs, NULL) != 0) {
        faces_free(&fs);
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    /* each Thai family once, in the order found: the fonts folder first */
    char **seen = NULL;
    size_t nseen = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < fs.n; i++) {
        char want[256];
        normalise(fs.v[i].family, want, sizeof want);
        int dup = !fs.v[i].thai;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = !strcmp(seen[k], want);
        if (dup)
            continue;
        char *copy = util_strdup(want);
        if (!copy || util_grow((void **)&seen, &cap, nseen + 1, sizeof *seen)) {
            free(copy);
            rc = -1;
            break;
        }
        seen[nseen++] = copy;
        const face *reg, *bold;
        pick(&fs, want, &reg, &bold);
        fprintf(out, "%s\n  regular: %s\n  bold:    %s\n", fs.v[i].family, reg ? reg->path : fs.v[i].path,
                bold ? bold->path : "(none: bold text is drawn from the regular face, made heavier)");
    }
    for (size_t k = 0; k < nseen; k++)
        free(seen[k]);
    free(seen);
    faces_free(&fs);
    if (rc)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, "out of memory");
    return rc;
}
