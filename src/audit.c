#include "audit.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hpdf.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <qpdf/qpdf-c.h>
#include <sqlite3.h>
#include <unicode/uversion.h>
#include <zlib.h>

#include "fontfind.h"
#include "sysio.h"
#include "util.h"
#include "version.h"

int audit_results_of(const score_result *res, const dataset *ds, const scheme *sch, ledger_result **out, int *n)
{
    *n = 0;
    *out = calloc(res->nprovinces + 1, sizeof **out);
    if (!*out)
        return -1;
    int oom = 0;
    /* a KPI round has no scored totals, grades or claw-back to record */
    for (size_t i = 0; !strcmp(sch->kind, "finance") && i < res->nprovinces; i++, (*n)++) {
        const province_result *p = &res->provinces[i];
        const province *pv = &ds->provinces[p->province];
        (*out)[i] = (ledger_result){util_strdup(pv->code), util_strdup(pv->name_th), p->total_cp, p->max_cp,
                                    p->percent_x100, p->clawback_satang,
                                    util_strdup(p->grade >= 0 ? sch->grades[p->grade].grade : "-"), p->rank};
        oom |= !(*out)[i].code || !(*out)[i].name || !(*out)[i].grade;
    }
    return oom ? -1 : 0;
}

void audit_results_free(ledger_result *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].code);
        free(v[i].name);
        free(v[i].grade);
    }
    free(v);
}

static void money(int64_t satang, char out[40])
{
    snprintf(out, 40, "%s%" PRId64 ".%02" PRId64, satang < 0 ? "-" : "", (satang < 0 ? -satang : satang) / 100,
             (satang < 0 ? -satang : satang) % 100);
}

/* What differs between the ledger's row and the fresh one, as one phrase. */
static int differences(const ledger_result *l, const ledger_result *f, strbuf *b)
{
    char x[40], y[40];
    int n = 0;
#define DIFF(cond, ...)                                                                                                \
    if (cond) {                                                                                                        \
        sb_puts(b, n++ ? "; " : "");                                                                                   \
        sb_printf(b, __VA_ARGS__);                                                                                     \
    }
    DIFF(strcmp(l->grade, f->grade), "grade %s in the ledger, %s from the sources", l->grade, f->grade)
    money(l->clawback_satang, x);
    money(f->clawback_satang, y);
    DIFF(l->clawback_satang != f->clawback_satang, "claw-back %s baht in the ledger, %s baht from the sources", x, y)
    DIFF(l->percent_x100 != f->percent_x100, "percent %" PRId64 " in the ledger, %" PRId64 " from the sources (x100)",
         l->percent_x100, f->percent_x100)
    DIFF(l->total_cp != f->total_cp || l->max_cp != f->max_cp, "points %" PRId64 "/%" PRId64
         " in the ledger, %" PRId64 "/%" PRId64 " from the sources (x100)", l->total_cp, l->max_cp, f->total_cp, f->max_cp)
    DIFF(l->rank != f->rank, "rank %d in the ledger, %d from the sources", l->rank, f->rank)
    DIFF(strcmp(l->name, f->name), "name %s in the ledger, %s from the sources", l->name, f->name)
#undef DIFF
    return n;
}

int audit_compare_results(const ledger_round *r, const ledger_result *fresh, int nfresh, const char *ledger_path,
                          diag_ctx *d)
{
    int bad = 0;
    for (int i = 0; i < r->nresults; i++) {
        const ledger_result *l = &r->results[i], *f = NULL;
        for (int k = 0; k < nfresh; k++)
            if (!strcmp(fresh[k].code, l->code))
                f = &fresh[k];
        strbuf b = {0};
        if (!f)
            sb_puts(&b, "the embedded sources score no such province");
        else if (!differences(l, f, &b))
            continue;
        diag_add(d, DIAG_ERROR, ledger_path, 0, 0,
                 "ledger: round %s, province %s: %s (the ledger's figures are not what the signed sources give: "
                 "the ledger was edited)",
                 r->round, l->code, b.oom ? "out of memory" : b.data);
        sb_free(&b);
        bad++;
    }
    for (int k = 0; k < nfresh; k++) {
        int found = 0;
        for (int i = 0; i < r->nresults; i++)
            found |= !strcmp(fresh[k].code, r->results[i].code);
        if (!found) {
            diag_add(d, DIAG_ERROR, ledger_path, 0, 0,
                     "ledger: round %s: province %s is scored by the embedded sources but has no row in the ledger "
                     "(the ledger was edited)",
                     r->round, fresh[k].code);
            bad++;
        }
    }
    return bad;
}

/* The round's signatures: how many certificates cert_sha256 lists. */
static int cert_count(const ledger_round *r)
{
    int n = r->cert_sha256[0] ? 1 : 0;
    for (const char *p = r->cert_sha256; *p; p++)
        n += *p == ' ';
    return n;
}

/* Certificate k of the round's list (65 bytes), "" when there is none. */
static void cert_at(const ledger_round *r, int k, char out[65])
{
    const char *p = r->cert_sha256;
    for (int i = 0; i < k && p; i++)
        p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
    size_t len = p ? strcspn(p, " ") : 0;
    snprintf(out, 65, "%.*s", (int)(len < 64 ? len : 64), p ? p : "");
}

/* Who made signature k: the signer in that place of the sign-off when each
 * signed, the approver when one key sealed the round. */
static const char *signer_of(const ledger_round *r, int k)
{
    return cert_count(r) == r->nsigners ? r->signers[k].name : r->signers[r->nsigners - 1].name;
}

int audit_signers(const ledger_round *r, int n, const char *ledger_path, audit_trusted_fn trusted, void *user,
                  diag_ctx *d)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(r[i].seal, "pades") || !r[i].nsigners)
            continue;
        int named = 0; /* each signer's key is compared with the one they used before */
        for (int k = 0; k < cert_count(&r[i]) && !named; k++) {
            const char *who = signer_of(&r[i], k);
            char mine[65], before[65];
            cert_at(&r[i], k, mine);
            for (int j = 0; j < i && !named; j++) {
                if (strcmp(r[j].seal, "pades") || !r[j].nsigners)
                    continue;
                for (int m = 0; m < cert_count(&r[j]) && !named; m++) {
                    cert_at(&r[j], m, before);
                    if (strcmp(signer_of(&r[j], m), who) || !strcmp(before, mine))
                        continue;
                    named = 1;
                    if (trusted && trusted(user, i))
                        break; /* a renewed key whose chain reaches --trust */
                    diag_add(d, DIAG_ERROR, ledger_path, 0, 0,
                             "ledger: round %s is signed for %s with another key than round %s (certificate "
                             "%.16s..., before %.16s...): a round re-filed with another key? Without --trust CAFILE "
                             "khet cannot tell a renewed key from a rogue one",
                             r[i].round, who, r[j].round, mine, before);
                    bad++;
                }
            }
        }
    }
    return bad;
}

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char **audit_list_all(const char *dir, int *n)
{
    DIR *dh = sysio()->opendir(dir);
    char **v = NULL;
    size_t cap = 0;
    int oom = 0;
    *n = 0;
    if (!dh)
        return NULL;
    struct dirent *e;
    while ((e = readdir(dh)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            if (util_grow((void **)&v, &cap, (size_t)*n + 2, sizeof *v) || !(v[*n] = util_strdup(e->d_name))) {
                oom = 1;
                break;
            }
            (*n)++;
        }
    closedir(dh);
    if (!oom && !v && !(v = calloc(1, sizeof *v)))
        oom = 1;
    if (oom) {
        for (int i = 0; i < *n; i++)
            free(v[i]);
        free(v);
        *n = 0;
        return NULL;
    }
    qsort(v, (size_t)*n, sizeof *v, by_str);
    return v;
}

void audit_env_free(ledger_env *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].value);
    }
    free(v);
}

/* "FILE SHA256" of a font file. */
static char *font_sum(const char *path)
{
    char *data = NULL, hex[65] = "";
    size_t len = 0;
    if (!path || util_read_file(path, (size_t)256 << 20, &data, &len) != 0)
        return NULL;
    unsigned char md[32];
    unsigned int n = 32;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) == 1)
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", md[i]);
    free(data);
    const char *base = strrchr(path, '/');
    return hex[0] ? util_format("%s %s", base ? base + 1 : path, hex) : NULL;
}

int audit_environment(const char *font_dir, const char *font, ledger_env **out, int *n, diag_ctx *d)
{
    font_faces ff = {0};
    *out = NULL;
    *n = 0;
    if (fontfind(font_dir, font, &ff, d) != 0)
        return -1;
    char *regular = font_sum(ff.regular), *bold = ff.bold ? font_sum(ff.bold) : util_strdup("none");
    const char *names[] = {"font regular", "font bold", "khet", "libharu", "qpdf", "zlib", "harfbuzz", "icu",
                           "openssl", "sqlite"};
    const char *values[] = {regular, bold, KHET_VERSION, HPDF_VERSION_TEXT, qpdf_get_qpdf_version(), zlibVersion(),
                            hb_version_string(), U_ICU_VERSION, OpenSSL_version(OPENSSL_VERSION),
                            sqlite3_libversion()};
    int count = (int)(sizeof names / sizeof *names), oom = !regular || !bold;
    if (!oom && !(*out = calloc((size_t)count, sizeof **out)))
        oom = 1;
    for (int i = 0; !oom && i < count; i++, (*n)++)
        oom = !((*out)[i].name = util_strdup(names[i])) || !((*out)[i].value = util_strdup(values[i]));
    free(regular);
    free(bold);
    fontfind_free(&ff);
    if (oom) {
        diag_add(d, DIAG_SYSTEM, font, 0, 0, "cannot read the font files to record them");
        audit_env_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int audit_compare_environment(const ledger_round *r, const ledger_env *here, int nhere, diag_ctx *d)
{
    int differ = 0;
    for (int i = 0; i < r->nenvironment; i++)
        for (int k = 0; k < nhere; k++)
            if (!strcmp(r->environment[i].name, here[k].name) && strcmp(r->environment[i].value, here[k].value)) {
                diag_add(d, DIAG_NOTE, r->round, 0, 0, "%s: filed with %s, here %s", here[k].name,
                         r->environment[i].value, here[k].value);
                differ++;
            }
    return differ;
}
