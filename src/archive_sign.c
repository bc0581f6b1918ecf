/* archive_sign: who signs a filed round's documents, and where.
 *
 * Owns: rendering a final document with the place of each signer's block
 * found in its display list (the pen line "(ลงชื่อ) ..... ROLE" and the
 * lines under it), the signers' keys (one per role of the sign-off with
 * --sign ROLE=KEY,CERT, or one --key/--cert for the whole round) checked at
 * the signing time, and signing each document signer by signer: the
 * preparer's certification first, each later signer's signature an
 * incremental update of its own. */
#include "archive_sign.h"

#include "fontfind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "layout.h"
#include "pdf.h"
#include "util.h"

#define PEN "(ลงชื่อ)"

/* The box of the signer block whose pen line is item `at`: the pen's room
 * above it down to the last line under it that shares its column. */
static void block_box(const layout_list *l, int at, pdf_doc *pdf, archive_box *box)
{
    const layout_item *pen = layout_list_item(l, at);
    double w = pdf_text_width(pdf, pen->bold ? PDF_BOLD : PDF_REGULAR, pen->size, pen->text, pen->len);
    double x0 = pen->x, x1 = pen->x + (w > 0 ? w : 0), bottom = pen->y;
    for (int i = at + 1, k = 0; i < layout_list_count(l) && k < 8; i++, k++) {
        const layout_item *it = layout_list_item(l, i);
        if (it->kind != LAYOUT_TEXT || it->furniture || it->page != pen->page || it->y >= pen->y ||
            (it->len >= strlen(PEN) && !memcmp(it->text, PEN, strlen(PEN))))
            break;
        double iw = pdf_text_width(pdf, it->bold ? PDF_BOLD : PDF_REGULAR, it->size, it->text, it->len);
        double c = it->x + iw / 2;
        if (c <= pen->x || c >= pen->x + w)
            continue; /* the block beside it */
        bottom = it->y < bottom ? it->y : bottom;
        x0 = it->x < x0 ? it->x : x0;
        x1 = it->x + iw > x1 ? it->x + iw : x1;
    }
    box->page = pen->page - 1;
    box->rect[0] = x0 - 4, box->rect[1] = bottom - 0.5 * pen->size;
    box->rect[2] = x1 + 4, box->rect[3] = pen->y + 1.9 * pen->size; /* the pen's room */
    box->room = 0.95 * pen->size; /* above the pen line's tallest marks: where a pen signs */
}

/* Each signer's block in sign-off order: the n-th pen line is the n-th
 * signer's (layout draws them in order) and ends with its role. */
static void find_boxes(const layout_list *l, pdf_doc *pdf, const signoff *so, built_doc *b)
{
    int next = 0;
    for (int i = 0; i < layout_list_count(l) && next < so->nsigners; i++) {
        const layout_item *it = layout_list_item(l, i);
        const char *role = signoff_role_th(so->signers[next].role);
        size_t rl = strlen(role);
        if (it->kind != LAYOUT_TEXT || it->furniture || it->len < strlen(PEN) + rl ||
            memcmp(it->text, PEN, strlen(PEN)) || memcmp(it->text + it->len - rl, role, rl))
            continue;
        block_box(l, i, pdf, &b->boxes[next]);
        b->boxes[next++].found = 1;
    }
}

int archive_render_doc(const char *name, const report_data *rd, const report_opts *ro, const char *out_path,
                       const char *shown, built_doc *b, diag_ctx *d)
{
    report_built rb;
    if (report_build(name, rd, ro, &rb, d) != 0)
        return -1;
    pdf_doc *pdf = pdf_new(ro->font_dir, ro->font, d);
    layout_list *l = NULL;
    int rc = -1;
    if (pdf && layout_set_source(rb.doc, shown) != 0)
        diag_add(d, DIAG_SYSTEM, out_path, 0, 0, "out of memory while naming the document");
    else if (pdf && (l = layout_build(rb.doc, pdf, d)) && layout_paint(l, pdf, d) == 0) {
        if (ro->signoff)
            find_boxes(l, pdf, ro->signoff, b);
        rc = report_save(&rb, pdf, ro, out_path, d);
    }
    layout_list_free(l);
    pdf_free(pdf);
    report_built_free(&rb);
    return rc;
}

int archive_parse_sign(const char *arg, archive_signer *s)
{
    const char *eq = strchr(arg, '='), *comma = eq ? strchr(eq + 1, ',') : NULL;
    memset(s, 0, sizeof *s);
    if (!eq || !eq[1] || comma == eq + 1 || (comma && !comma[1]))
        return -1;
    char role[64];
    if ((size_t)(eq - arg) >= sizeof role)
        return -1;
    memcpy(role, arg, (size_t)(eq - arg));
    role[eq - arg] = 0;
    static const char *const en[] = {"preparer", "checker", "approver"};
    int found = -1;
    for (int r = ROLE_PREPARER; r <= ROLE_APPROVER; r++)
        if (!strcmp(role, signoff_role_th((signoff_role)r)) || !strcmp(role, en[r]))
            found = r;
    if (found < 0)
        return -1;
    s->role = (signoff_role)found;
    /* ROLE=KEY,CERT, or ROLE=FILE.p12 (key, certificate and chain in one) */
    s->key_path = comma ? util_strndup(eq + 1, (size_t)(comma - eq - 1)) : util_strdup(eq + 1);
    s->cert_path = comma ? util_strdup(comma + 1) : NULL;
    return s->key_path && (s->cert_path || !comma) ? 0 : -2;
}

void archive_signers_free(archive_signer *s, int n)
{
    for (int i = 0; s && i < n; i++) {
        free(s[i].key_path);
        free(s[i].cert_path);
        sign_key_free(s[i].key);
        s[i].key = NULL;
    }
}

/* Which signer each --sign is: order[i] for signer i of the sign-off, NULL
 * when not given (those before `first` have signed already). Every role
 * once, none the sign-off does not have; all of the signers from `first` on,
 * or with `partial` the next ones in the sign-off's order. */
static int match_signers(const signoff *so, const char *signoff_path, archive_signer *s, int n, int first,
                         int partial, archive_signer **order, diag_ctx *d)
{
    int errors = diag_errors(d);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < i; k++)
            if (s[k].role == s[i].role)
                diag_add(d, DIAG_ERROR, "--sign", 0, 0, "%s is given twice: each signer signs once",
                         signoff_role_th(s[i].role));
    for (int i = 0; i < so->nsigners; i++) {
        const char *role = signoff_role_th(so->signers[i].role);
        order[i] = NULL;
        for (int k = 0; k < n; k++)
            if (s[k].role == (int)so->signers[i].role)
                order[i] = &s[k];
        if (order[i] && i < first)
            diag_add(d, DIAG_ERROR, "--sign", 0, 0, "%s %s has signed this round already", role, so->signers[i].name);
        else if (!order[i] && i >= first && !partial)
            diag_add(d, DIAG_ERROR, signoff_path, 0, 0,
                     "the sign-off names %s %s, who has no --sign %s=KEY,CERT: every signer signs with their own key "
                     "(or sign in stages: --stage now, --countersign later)",
                     role, so->signers[i].name, role);
        else if (order[i] && i > first && !order[i - 1])
            diag_add(d, DIAG_ERROR, "--sign", 0, 0, "%s signs after %s %s, who has not signed yet: the sign-off's order",
                     role, signoff_role_th(so->signers[i - 1].role), so->signers[i - 1].name);
    }
    for (int k = 0; k < n; k++) {
        int named = 0;
        for (int i = 0; i < so->nsigners; i++)
            named |= (int)so->signers[i].role == s[k].role;
        if (!named)
            diag_add(d, DIAG_ERROR, signoff_path, 0, 0, "--sign %s: the sign-off has no %s",
                     signoff_role_th(s[k].role), signoff_role_th(s[k].role));
    }
    return diag_errors(d) > errors ? -1 : 0;
}

/* Matches --sign to the sign-off's signers, then loads each key (in the
 * order --sign was given: the order pass phrases are read from pass_fd) and
 * checks it at the signing time. */
int archive_load_signers(const signoff *so, const char *signoff_path, archive_signer *s, int n, time_t when,
                         int pass_fd, int first, int partial, archive_signer **order, diag_ctx *d)
{
    if (match_signers(so, signoff_path, s, n, first, partial, order, d) != 0)
        return -1;
    int errors = diag_errors(d);
    for (int k = 0; k < n; k++)
        if (guard_regular_input(s[k].key_path, "private key", d) != 0 ||
            (s[k].cert_path && guard_regular_input(s[k].cert_path, "certificate", d) != 0) ||
            !(s[k].key = sign_key_load(s[k].key_path, s[k].cert_path, pass_fd, d)) ||
            sign_key_check(s[k].key, when, s[k].cert_path ? s[k].cert_path : s[k].key_path, d) != 0)
            break;
    return diag_errors(d) > errors ? -1 : 0;
}

void archive_say_waiting(const signoff *so, int nsigned)
{
    fprintf(stderr, "khet: round %s is signed by %d of its %d signers and waits for the others (the next: %s %s), each "
                    "in turn: khet archive --countersign %s --sign ROLE=KEY,CERT; it is filed when the last has signed\n",
            so->id, nsigned, so->nsigners, signoff_role_th(so->signers[nsigned].role), so->signers[nsigned].name,
            so->id);
}

/* The slot of signer i of the sign-off in document b (date: room for the
 * sign-off date as the block prints it). */
static void slot_of(const signoff *so, const built_doc *b, int i, char *reason, size_t rn, const char *font,
                    int thai_digits, sign_slot *s)
{
    const signoff_signer *g = &so->signers[i];
    snprintf(reason, rn, "%s: %s (%s)", signoff_role_th(g->role), g->name, g->position);
    *s = (sign_slot){signoff_role_th(g->role), reason, 0, {0, 0, 0, 0}, g->name, 0, font, thai_digits};
    if (b->boxes[i].found) {
        s->page = b->boxes[i].page;
        memcpy(s->rect, b->boxes[i].rect, sizeof s->rect);
        s->room = b->boxes[i].room;
    }
}

char *archive_sign_font(const char *font_dir, const char *font)
{
    font_faces ff = {0};
    diag_ctx *quiet = diag_new();
    char *path = quiet && fontfind(font_dir, font ? font : "Laksaman", &ff, quiet) == 0 ? util_strdup(ff.regular) : NULL;
    fontfind_free(&ff);
    diag_free(quiet);
    return path;
}

int archive_sign_doc(const signoff *so, const built_doc *b, const unsigned char *pdf, size_t len,
                     const sign_key *const *keys, int first, int nkeys, int single, time_t when, const char *tsa,
                     const char *font, int thai_digits, unsigned char **out, size_t *outlen, diag_ctx *d)
{
    sign_slot slots[SIGN_MAX];
    char reasons[SIGN_MAX][600];
    int n = single ? 1 : so->nsigners;
    if (n > SIGN_MAX || first < 0 || first + nkeys > n)
        return -1;
    if (single) { /* one key for the whole sign-off: one invisible field, as the approver */
        const signoff_signer *ap = &so->signers[so->nsigners - 1];
        snprintf(reasons[0], sizeof reasons[0], "%s: %s (%s)", signoff_role_th(ap->role), ap->name, ap->position);
        slots[0] = (sign_slot){"khet-signoff", reasons[0], 0, {0, 0, 0, 0}, NULL, 0, NULL, 0};
    } else {
        for (int i = 0; i < n; i++)
            slot_of(so, b, i, reasons[i], sizeof reasons[i], font, thai_digits, &slots[i]);
    }
    unsigned char *cur = (unsigned char *)pdf;
    *out = NULL;
    for (int i = first; i < first + nkeys; i++) {
        unsigned char *next = NULL;
        size_t nlen = 0;
        int rc = sign_pdf(cur, len, keys[i - first], when, tsa, slots, n, i, b->file, &next, &nlen, d);
        if (cur != pdf)
            free(cur);
        if (rc != 0)
            return -1;
        cur = next, len = nlen;
    }
    *out = cur;
    *outlen = len;
    return 0;
}
