/* layout_text: paragraphs broken into lines (on the Thai engine's break
 * opportunities), lines drawn (justified Thai too), and the text blocks:
 * key-value lines, signatures, signers. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------------ */
/* Line breaking                                                       */


static int is_blank(char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; }

/* Adds a line of width w (< 0: not known), its blanks trimmed at both ends. */
static int push_line(lines *L, const char *s, size_t a, size_t b, double w)
{
    while (b > a && is_blank(s[b - 1]))
        b--;
    if (a < b && s[a] == ' ')
        w = -1; /* leading blanks were measured with the line: measure again when drawn */
    while (a < b && s[a] == ' ')
        a++;
    if (util_grow((void **)&L->v, &L->cap, (size_t)L->n + 1, sizeof *L->v))
        return -1;
    L->v[L->n++] = (line_span){a, b, w};
    return 0;
}

/* Cuts an overlong piece at grapheme clusters; returns the end of what fits
 * (at least one cluster, so progress is always made). */
static size_t fit_clusters(rctx *c, const char *s, size_t a, size_t b, double width, double size, int bold)
{
    size_t *off = NULL;
    /* between words first (a name's known words, a break libthai vetoed),
     * between clusters only when the first word alone does not fit */
    int n = thai_word_breaks(c->breaker, s + a, b - a, &off);
    if (n > 0 && ly_width_of(c, s + a, off[0], size, bold) <= width) {
        size_t best = a + off[0];
        for (int i = 1; i < n && ly_width_of(c, s + a, off[i], size, bold) <= width; i++)
            best = a + off[i];
        free(off);
        return best;
    }
    free(off);
    off = NULL;
    n = thai_clusters(s + a, b - a, &off);
    size_t best = n > 0 ? a + off[0] : b;
    for (int i = 1; i < n; i++) {
        if (ly_width_of(c, s + a, off[i], size, bold) > width)
            break;
        best = a + off[i];
    }
    free(off);
    return best;
}

/* Inside a piece wider than the box (a number glued to its unit, a word
 * kept with its number), the last space before which the text fits; when
 * even the first part is too wide, the first space, so the part stands on a
 * line of its own. 0 when the piece has no space. */
static size_t fit_spaces(rctx *c, const char *s, size_t a, size_t b, double width, double size, int bold)
{
    size_t best = 0, first = 0;
    for (size_t i = a + 1; i < b; i++) {
        if (s[i] != ' ' || s[i - 1] == ' ')
            continue;
        if (!first)
            first = i;
        if (ly_width_of(c, s + a, i - a, size, bold) > width)
            break;
        best = i;
    }
    return best ? best : first;
}

/* Whether a text is a figure: digits (Arabic or Thai), separators, a sign. */
int ly_is_figure(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= '0' && ch <= '9') {
            digits++;
            i++;
        } else if (ch == ',' || ch == '.' || ch == '-' || ch == '+' || ch == '%') {
            i++;
        } else if (i + 2 < n && ch == 0xE0 && (unsigned char)s[i + 1] == 0xB9 && (unsigned char)s[i + 2] >= 0x90 &&
                   (unsigned char)s[i + 2] <= 0x99) { /* Thai digits, U+0E50-U+0E59 */
            digits++;
            i += 3;
        } else
            return 0;
    }
    return digits > 0;
}

/* A piece of text between two break opportunities. */
typedef struct {
    size_t start, trim, end; /* text, then its trailing blanks up to end */
    double w, space;
    int hard;     /* a line must end after it */
    int particle; /* a short particle that should not end a line */
} piece;

typedef struct {
    piece *v;
    int n;
    size_t cap;
} pieces;

static int push_piece(pieces *P, piece p)
{
    if (util_grow((void **)&P->v, &P->cap, (size_t)P->n + 1, sizeof *P->v))
        return -1;
    P->v[P->n++] = p;
    return 0;
}

/* Short function words that read badly alone at the end of a line. */
static int is_particle(const char *s, size_t n)
{
#define WORD(w) {w, sizeof w - 1} /* its length known here: asked for every piece of every line */
    static const struct {
        const char *w;
        size_t n;
    } words[] = {WORD("ที่"), WORD("และ"), WORD("หรือ"), WORD("ใน"), WORD("ของ"),
                 WORD("แต่"), WORD("กับ"), WORD("ซึ่ง"), WORD("แก่"), WORD("แห่ง")};
#undef WORD
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (words[i].n == n && !memcmp(words[i].w, s, n))
            return 1;
    return 0;
}

/* A word cut inside is a defect of the page (a column too narrow for it),
 * never silent: the document's layout warns once, naming the first. */
static void note_cut_word(rctx *c, const char *w, size_t n)
{
    if (!c->words_cut++) {
        size_t k = n < sizeof c->first_cut - 1 ? n : sizeof c->first_cut - 1;
        while (k > 0 && k < n && (w[k] & 0xC0) == 0x80) /* whole UTF-8 characters only */
            k--;
        memcpy(c->first_cut, w, k);
        c->first_cut[k] = '\0';
        c->first_cut_page = c->page;
    }
}

/* Cuts the text into measured pieces at the break opportunities. A piece
 * wider than the box on its own is cut further between grapheme clusters. */
static int make_pieces(rctx *c, const char *s, double width, double size, int bold, pieces *P)
{
    const ly_breaks *b = ly_breaks_of(c, s);
    if (!b)
        return -1;
    const size_t *off = b->off;
    const unsigned char *hard = b->hard;
    int n = b->n, rc = 0;
    size_t prev = 0;
    for (int i = 0; i < n && !rc; i++) {
        size_t end = off[i], trim = end;
        while (trim > prev && is_blank(s[trim - 1]))
            trim--;
        piece p = {prev, trim, end, ly_width_of(c, s + prev, trim - prev, size, bold),
                   ly_width_of(c, s + trim, end - trim, size, bold), hard[i], 0};
        p.particle = is_particle(s + prev, trim - prev);
        int noted = 0;
        while (!rc && p.w > width) {
            /* a glued group ("4,026,272.88 บาท") breaks at its space, never inside the number; a
             * word too wide before the space is cut below, and the number after it then stays whole */
            size_t sp = fit_spaces(c, s, p.start, p.trim, width, size, bold);
            double head = sp ? ly_width_of(c, s + p.start, sp - p.start, size, bold) : 0;
            if (sp && (head <= width || ly_is_figure(s + p.start, sp - p.start))) {
                size_t next = sp;
                while (next < p.trim && s[next] == ' ')
                    next++;
                rc = push_piece(P, (piece){p.start, sp, next, head, ly_width_of(c, s + sp, next - sp, size, bold), 0, 0});
                p.start = next;
                p.w = ly_width_of(c, s + p.start, p.trim - p.start, size, bold);
                continue;
            }
            if (ly_is_figure(s + p.start, p.trim - p.start))
                break; /* a number alone wider than the line: kept whole, never cut */
            if (!noted++)
                note_cut_word(c, s + p.start, p.trim - p.start);
            size_t cut = fit_clusters(c, s, p.start, p.trim, width, size, bold);
            if (cut >= p.trim)
                break;
            rc = push_piece(P, (piece){p.start, cut, cut, ly_width_of(c, s + p.start, cut - p.start, size, bold), 0, 0, 0});
            p.start = cut;
            p.w = ly_width_of(c, s + p.start, p.trim - p.start, size, bold);
        }
        if (!rc)
            rc = push_piece(P, p);
        prev = end;
    }
    return rc;
}

/* The cost of a line of width w in a box of `width`: the square of the
 * unused share, so that the paragraph's slack is spread evenly; a particle
 * left at the line end costs like a line three-fifths empty (the
 * libthai veto leaves fewer, longer pieces to choose from). */
static double line_cost(double w, double width, int last, int particle)
{
    if (w > width)
        return 1e9; /* only an overlong single piece gets here */
    double slack = (width - w) / width;
    return (last ? 0 : slack * slack * 100) + (particle && !last ? 40 : 0) + 1;
}

/* Chooses the breaks that minimise the total cost over the whole paragraph
 * (Knuth and Plass's idea, on ICU's break opportunities), or fills lines
 * greedily when the document asks for it. */
static int break_into(rctx *c, const char *s, double width, double size, int bold, lines *L)
{
    pieces P = {0};
    if (make_pieces(c, s, width, size, bold, &P) != 0) {
        free(P.v);
        return -1;
    }
    int n = P.n, rc = 0;
    double *best = malloc(((size_t)n + 1) * sizeof *best), *linew = malloc(((size_t)n + 1) * sizeof *linew);
    int *from = malloc(((size_t)n + 1) * sizeof *from);
    if (!best || !linew || !from) {
        rc = -1;
        goto done;
    }
    best[0] = 0;
    for (int k = 1; k <= n; k++) {
        best[k] = 1e300;
        from[k] = k - 1;
        double w = 0;
        for (int j = k - 1; j >= 0; j--) {
            if (j < k - 1 && P.v[j].hard)
                break; /* a line cannot run past a hard break */
            w += P.v[j].w + (j < k - 1 ? P.v[j].space : 0);
            if (w > width && j < k - 1)
                break;
            int last = k == n || P.v[k - 1].hard;
            double cost = best[j] + line_cost(w, width, last, P.v[k - 1].particle);
            if (c->d->setup.greedy && j < k - 1 && best[j] < 1e300) {
                /* greedy: the longest line that fits, whatever comes after */
                cost = best[j] - (double)(k - j) * 1e-6 + (last ? 0 : 1);
            }
            if (cost < best[k]) {
                best[k] = cost;
                from[k] = j;
                linew[k] = w;
            }
        }
    }
    /* walk back from the end, then emit the lines in order */
    int nl = 0;
    for (int k = n; k > 0; k = from[k])
        nl++;
    int *ends = malloc(((size_t)nl + 1) * sizeof *ends);
    if (!ends) {
        rc = -1;
        goto done;
    }
    for (int k = n, i = nl; k > 0; k = from[k])
        ends[--i] = k;
    for (int i = 0, j = 0; i < nl && !rc; j = ends[i++])
        rc = push_line(L, s, P.v[j].start, P.v[ends[i] - 1].end, linew[ends[i]]);
    if (!rc && nl == 0)
        rc = push_line(L, s, 0, strlen(s), -1);
    free(ends);
done:
    free(best);
    free(linew);
    free(from);
    free(P.v);
    return rc;
}

const lines *ly_break_lines(rctx *c, const char *s, double width, double size, int bold)
{
    ly_key k = {LY_LINES, bold, width, size};
    size_t len = strlen(s);
    ly_value *v = ly_cache_find(c->cache, k, s, len);
    if (v)
        return v->lines;
    lines *L = calloc(1, sizeof *L);
    if (!L || break_into(c, s, width, size, bold, L) != 0 ||
        ly_cache_put(c->cache, k, s, len, (ly_value){{0, 0}, L, NULL}) != 0) {
        if (L)
            free(L->v);
        free(L);
        c->err = 1;
        return NULL;
    }
    return L;
}

/* Draws a line at baseline y. Justified Thai spreads the slack over the
 * line's word boundaries (Thai has no spaces to stretch), but a PDF viewer
 * reads any visible gap as a space: so each boundary without a space gets at
 * most JUSTIFY_GAP em, too little to be read as one, and the rest goes to the
 * real spaces, at most JUSTIFY_SPACE em each. A line that would need more
 * stays a little short rather than read wrongly when copied or searched. */
#define JUSTIFY_GAP 0.02
#define JUSTIFY_SPACE 0.5

void ly_draw_line(rctx *c, const char *s, line_span ln, double x, double width, double y, double size, int bold,
                      layout_align align, int last, pdf_rgb col)
{
    double w = ln.w >= 0 ? ln.w : ly_width_of(c, s + ln.start, ln.end - ln.start, size, bold);
    if (align == ALIGN_CENTER)
        x += (width - w) / 2;
    else if (align == ALIGN_RIGHT)
        x += width - w;
    if (align != ALIGN_JUSTIFY || last || w >= width) {
        ly_text_at(c, s + ln.start, ln.end - ln.start, x, y, size, bold, col);
        return;
    }
    /* the line's break opportunities: the text's inside it (found when it
     * was broken into lines, never looked for again in the line alone), and
     * its end */
    const char *t = s + ln.start;
    const ly_breaks *b = ly_breaks_of(c, s);
    size_t *off = b ? malloc(((size_t)b->n + 1) * sizeof *off) : NULL;
    int n = 0;
    for (int i = 0; off && i < b->n; i++)
        if (b->off[i] > ln.start && b->off[i] < ln.end)
            off[n++] = b->off[i] - ln.start;
    if (off)
        off[n++] = ln.end - ln.start;
    else
        c->err = 1;
    int spaces = 0, joins = 0;
    for (int i = 0; i < n - 1; i++) {
        if (off[i] > 0 && t[off[i] - 1] == ' ')
            spaces++;
        else
            joins++;
    }
    double slack = width - w, gap = joins + spaces ? slack / (joins + spaces) : 0;
    if (gap > JUSTIFY_GAP * size)
        gap = JUSTIFY_GAP * size;
    double space = spaces ? (slack - gap * joins) / spaces : 0;
    if (space > JUSTIFY_SPACE * size)
        space = JUSTIFY_SPACE * size;
    size_t prev = 0;
    for (int i = 0; i < n; i++) {
        ly_text_at(c, t + prev, off[i] - prev, x, y, size, bold, col);
        x += ly_width_of(c, t + prev, off[i] - prev, size, bold);
        if (i < n - 1)
            x += off[i] > 0 && t[off[i] - 1] == ' ' ? space : gap;
        prev = off[i];
    }
    free(off);
}

/* ------------------------------------------------------------------ */
/* Blocks                                                              */

static const lines NO_LINES = {0};

/* Whether line ln ends its paragraph: the text's end, or a hard line
 * break (a typed newline) right after it. Such a line is set flush, never
 * spread to the width. */
static int ends_paragraph(const char *s, line_span ln)
{
    const char *p = s + ln.end;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\n' || !*p;
}

/* A paragraph of a few lines (a rule's bullet, a table's note) is kept
 * whole: no page opens in the middle of its sentence (issue 20 point 7);
 * a longer one keeps two lines on each side of the break. keep_next (a
 * heading) adds two lines of room for what follows. */
double ly_text_keep(const rctx *c, int n, double lh, int keep_next)
{
    double whole = n * lh;
    return whole <= KEEP_WHOLE * (c->ytop - c->ybot) ? whole + (keep_next ? 2 * lh : 0)
                                                     : lh * (keep_next ? 3 : (n >= 2 ? 2 : 1));
}

void ly_text_block(rctx *c, const char *text, layout_style st, double x, double width, int keep_next)
{
    const lines *L = ly_break_lines(c, text, width, st.size, st.bold);
    if (!L)
        return;
    metrics m = ly_text_metrics(c, text, st.size, st.bold);
    double lh = m.pitch;
    c->y -= st.space_before;
    ly_ensure(c, ly_text_keep(c, L->n, lh, keep_next));
    for (int i = 0; i < L->n; i++) {
        /* no lone last line at the top of the next page: move two lines */
        ly_ensure(c, i == L->n - 2 ? 2 * lh : lh);
        ly_draw_line(c, text, L->v[i], x, width, c->y - m.top, st.size, st.bold, st.align,
                     i == L->n - 1 || ends_paragraph(text, L->v[i]), st.color);
        c->y -= lh;
    }
    c->y -= st.space_after;
}

/* The lines of a signature block (pen line, name, position, date) in its
 * column of the page's right 60 %, and the pitch of its tallest text: the
 * height kept for it and the block drawn come from this one count, so a
 * signature measured to fit under what it signs does fit. Returns the
 * number of lines; *name is texts[1] (free it), NULL when out of memory. */
static int signature_lines(rctx *c, const block *b, double w, const char *texts[4], char **name, const lines *L[4],
                           metrics *m)
{
    *name = util_format("(%s)", b->text);
    texts[0] = "(ลงชื่อ) ........................................";
    texts[1] = *name;
    texts[2] = b->text2;
    texts[3] = b->text3;
    *m = ly_text_metrics(c, texts[0], 16, 0); /* the tallest of the four, below */
    if (!*name) {
        c->err = 1;
        return 0;
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        L[i] = texts[i][0] ? ly_break_lines(c, texts[i], w, 16, 0) : &NO_LINES;
        if (!L[i])
            L[i] = &NO_LINES;
        total += L[i]->n;
        metrics mi = ly_text_metrics(c, texts[i], 16, 0);
        if (mi.pitch > m->pitch)
            *m = mi;
    }
    return total;
}

static double signature_width(const rctx *c) { return (c->x1 - c->x0) * 0.6; }

/* The room a signature block takes: a half-line gap and its lines. */
double ly_signature_height(rctx *c, const block *b)
{
    const char *texts[4];
    char *name;
    const lines *L[4];
    metrics m;
    int n = signature_lines(c, b, signature_width(c), texts, &name, L, &m);
    free(name);
    return (n + 0.5) * m.pitch;
}

/* Signers' blocks: the column of signer i and its lines. Two to a row; an
 * odd last one (the approver of three) centred below; one alone stands in
 * the right half, where a Thai letter is signed. */
static void signer_column(rctx *c, const block *b, int i, double *x, double *w)
{
    int n = b->n / 4;
    double full = c->x1 - c->x0, half = full / 2;
    *w = half - 8;
    if (n == 1)
        *x = c->x0 + half;
    else if (i == n - 1 && n % 2) { /* centred, wider: a long position stays on one line */
        *w = full * 0.7;
        *x = c->x0 + (full - *w) / 2;
    } else
        *x = c->x0 + (i % 2) * half + (i % 2 ? 8 : 0);
}

/* The pen's line: as many dots as fit beside "(ลงชื่อ)" and the role in a
 * column w wide (up to 32), so the role is never broken. */
static char *pen_line(rctx *c, const char *role, double w)
{
    double fixed = ly_width_of(c, "(ลงชื่อ)  ", strlen("(ลงชื่อ)  "), 16, 0) + ly_width_of(c, role, strlen(role), 16, 0);
    double dot = ly_width_of(c, ".", 1, 16, 0);
    int n = dot > 0 ? (int)((w - fixed) / dot) - 1 : 8;
    n = n > 32 ? 32 : n < 8 ? 8 : n;
    char dots[33];
    memset(dots, '.', (size_t)n);
    dots[n] = 0;
    return util_format("(ลงชื่อ) %s %s", dots, role);
}

static char *signer_line(rctx *c, const block *b, int i, int k, double w)
{
    char *const *t = &b->labels[i * 4];
    switch (k) {
    case 0: return pen_line(c, t[0], w);
    case 1: return util_format("(%s)", t[1]);
    case 2: return util_format("ตำแหน่ง %s", t[2]);
    default: return util_format("%s", t[3]);
    }
}

/* Lines of signer i's block (filled in L[4]); returns the count. */
static int signer_lines(rctx *c, const block *b, int i, const lines *L[4], char *text[4])
{
    double x, w;
    signer_column(c, b, i, &x, &w);
    int n = 0;
    for (int k = 0; k < 4; k++) {
        text[k] = signer_line(c, b, i, k, w);
        L[k] = text[k] && text[k][0] ? ly_break_lines(c, text[k], w, 16, 0) : &NO_LINES;
        if (!text[k] || !L[k]) {
            c->err = 1;
            L[k] = &NO_LINES;
        }
        n += L[k]->n;
    }
    return n;
}

static void free_signer_lines(char *text[4])
{
    for (int k = 0; k < 4; k++)
        free(text[k]);
}

/* Height of the row of signers starting at i: its tallest block. Rows hold
 * two; an odd last one stands alone, which `j < n` already says. */
static double signers_row_height(rctx *c, const block *b, int i, double lh)
{
    int most = 0, n = b->n / 4;
    for (int j = i; j < n && j < i + 2; j++) {
        const lines *L[4];
        char *t[4];
        int k = signer_lines(c, b, j, L, t);
        most = k > most ? k : most;
        free_signer_lines(t);
    }
    return most * lh;
}

double ly_signers_height(rctx *c, const block *b)
{
    double lh = ly_text_metrics(c, "ตำแหน่ง ผู้อำนวยการ", 16, 0).pitch, h = 0;
    for (int i = 0; i < b->n / 4; i += 2)
        h += lh * 1.5 + signers_row_height(c, b, i, lh);
    return h;
}

void ly_render_signers(rctx *c, const block *b)
{
    int n = b->n / 4;
    metrics m = ly_text_metrics(c, "ตำแหน่ง ผู้อำนวยการ", 16, 0);
    for (int i = 0; i < n && !c->err; i += 2) {
        int last = n == 1 || (i == n - 1 && n % 2);
        double row = signers_row_height(c, b, i, m.pitch);
        c->y -= m.pitch * 1.5; /* room for the pen */
        ly_ensure(c, row);
        for (int j = i; j < (last ? i + 1 : i + 2) && j < n; j++) {
            const lines *L[4];
            char *t[4];
            double x, w, y = c->y;
            signer_lines(c, b, j, L, t);
            signer_column(c, b, j, &x, &w);
            for (int k = 0; k < 4 && !c->err; k++)
                for (int l = 0; l < L[k]->n; l++, y -= m.pitch)
                    ly_draw_line(c, t[k], L[k]->v[l], x, w, y - m.top, 16, 0, ALIGN_CENTER, 1, BLACK);
            free_signer_lines(t);
        }
        c->y -= row;
        if (last)
            i--; /* a lone block used one column: the next row starts after it */
    }
}

void ly_render_kv(rctx *c, const block *b)
{
    double kx = c->x0, vx = c->x0 + b->num, size = b->style.size;
    metrics mk = ly_text_metrics(c, b->text, size, 1), mv = ly_text_metrics(c, b->text2, size, 0);
    metrics m = mk.pitch > mv.pitch ? mk : mv;
    double lh = m.pitch;
    const lines *L = ly_break_lines(c, b->text2, c->x1 - vx, size, 0);
    if (!L)
        return;
    ly_ensure(c, lh);
    ly_text_at(c, b->text, strlen(b->text), kx, c->y - m.top, size, 1, BLACK);
    for (int i = 0; i < L->n; i++) {
        ly_ensure(c, lh);
        ly_draw_line(c, b->text2, L->v[i], vx, c->x1 - vx, c->y - m.top, size, 0, ALIGN_LEFT, 1, BLACK);
        c->y -= lh;
    }
}

/* The signature block stands in the right half of the page; a long
 * position wraps within it rather than running into the margin. */
void ly_render_signature(rctx *c, const block *b)
{
    double w = signature_width(c), x = c->x1 - w;
    const char *texts[4];
    char *name;
    const lines *L[4];
    metrics m;
    int total = signature_lines(c, b, w, texts, &name, L, &m);
    if (!name)
        return;
    double lh = m.pitch;
    c->y -= lh / 2;
    ly_ensure(c, total * lh);
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < L[i]->n; k++) {
            ly_draw_line(c, texts[i], L[i]->v[k], x, w, c->y - m.top, 16, 0, ALIGN_CENTER, 1, BLACK);
            c->y -= lh;
        }
    }
    free(name);
}
