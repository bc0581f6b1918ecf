/* inkdiff: how far khet's PDF ink is from a HarfBuzz + FreeType rendering.
 *
 * usage: inkdiff FONTDIR FAMILY[,FALLBACK] LINES.txt WORKDIR
 * Each line of LINES.txt becomes one page of WORKDIR/ink.pdf (khet's pdf
 * device, 28 pt), which pdftoppm rasterises at 144 dpi; the same line is
 * shaped with HarfBuzz and its glyphs rasterised with FreeType at the same
 * positions (unhinted, as poppler does). An ink pixel is one darker than half;
 * a line's difference is the pixels inked in one image and not the other,
 * over the reference's ink pixels. Prints each line's percentage and
 * "mean X" (percent). Exit 1 if anything fails to run. */
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "pdf.h"
#include "shape.h"
#include "util.h"

#define SIZE 28.0
#define DPI 144
#define MARGIN 10.0
#define PAGE_H 70.0
#define BASE 25.0

static char *font_path(const char *dir, const char *name)
{
    char *p = util_format("%s/%s.ttf", dir, name);
    if (p && access(p, R_OK) != 0) {
        free(p);
        p = util_format("%s/%s-Regular.ttf", dir, name);
    }
    return p;
}

static unsigned char *read_pgm(const char *path, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    int maxv;
    if (!f || fscanf(f, "P5 %d %d %d", w, h, &maxv) != 3 || fgetc(f) == EOF) {
        if (f)
            fclose(f);
        return NULL;
    }
    unsigned char *px = malloc((size_t)*w * *h);
    if (px && fread(px, 1, (size_t)*w * *h, f) != (size_t)*w * *h) {
        free(px);
        px = NULL;
    }
    fclose(f);
    return px;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: inkdiff FONTDIR FAMILY[,FALLBACK] LINES.txt WORKDIR\n");
        return 2;
    }
    size_t tlen;
    char *text = NULL;
    if (util_read_file(argv[3], 1 << 20, &text, &tlen) != 0)
        return 1;
    char *lines[400];
    int n = 0;
    for (char *s = strtok(text, "\n"); s && n < 400; s = strtok(NULL, "\n"))
        if (*s)
            lines[n++] = s;
    char fam[200], *fb;
    snprintf(fam, sizeof fam, "%s", argv[2]);
    fb = strchr(fam, ',');
    if (fb)
        *fb++ = '\0';
    else
        fb = "Laksaman";

    /* khet's PDF: one page per line */
    diag_ctx *d = diag_new();
    pdf_doc *pdf = pdf_new(argv[1], argv[2], d);
    char *pdfpath = util_format("%s.pdf", argv[4]);
    if (!pdf || !pdfpath) {
        diag_print(d, stderr);
        return 1;
    }
    double widths[400];
    for (int i = 0; i < n; i++) {
        widths[i] = pdf_text_width(pdf, PDF_REGULAR, SIZE, lines[i], strlen(lines[i])) + 2 * MARGIN;
        if (pdf_begin_page(pdf, widths[i], PAGE_H) != 0 ||
            pdf_text(pdf, PDF_REGULAR, SIZE, MARGIN, BASE, lines[i], strlen(lines[i]), (pdf_rgb){0, 0, 0}) != 0)
            return 1;
    }
    if (pdf_save(pdf, pdfpath, d) != 0) {
        diag_print(d, stderr);
        return 1;
    }
    pdf_free(pdf);
    diag_free(d);
    char *cmd = util_format("pdftoppm -r %d -gray %s %s", DPI, pdfpath, argv[4]);
    if (!cmd || system(cmd) != 0)
        return 1;

    /* the reference: HarfBuzz positions, FreeType outlines */
    char *paths[2] = {font_path(argv[1], fam), font_path(argv[1], fb)};
    char why[200];
    shape_font *sf[2] = {shape_font_open(paths[0], 1, why, sizeof why), shape_font_open(paths[1], 0, why, sizeof why)};
    FT_Library lib;
    FT_Face face[2];
    if (!sf[0] || !sf[1] || FT_Init_FreeType(&lib) || FT_New_Face(lib, paths[0], 0, &face[0]) ||
        FT_New_Face(lib, paths[1], 0, &face[1])) {
        fprintf(stderr, "inkdiff: cannot open the fonts\n");
        return 1;
    }
    for (int k = 0; k < 2; k++)
        FT_Set_Char_Size(face[k], 0, (FT_F26Dot6)(SIZE * 64), DPI, DPI);
    shape_ctx *sc = shape_ctx_new();
    double sum = 0;
    const double px = DPI / 72.0;
    int digits = n >= 100 ? 3 : n >= 10 ? 2 : 1;
    for (int i = 0; i < n; i++) {
        int w, h;
        char *pgm = util_format("%s-%0*d.pgm", argv[4], digits, i + 1);
        unsigned char *got = pgm ? read_pgm(pgm, &w, &h) : NULL;
        unsigned char *ref = got ? calloc((size_t)w * h, 1) : NULL;
        shape_glyph *g = NULL;
        int missing, ng = ref ? shape_text(sc, sf, lines[i], strlen(lines[i]), &g, &missing) : -1;
        if (ng < 0) {
            fprintf(stderr, "inkdiff: cannot read %s\n", pgm ? pgm : "?");
            return 1;
        }
        double pen = MARGIN;
        for (int k = 0; k < ng; k++) {
            FT_Face fc = face[g[k].font];
            double scale = SIZE / shape_font_upem(sf[g[k].font]);
            double gx = (pen + g[k].x_offset * scale) * px, gy = (PAGE_H - BASE - g[k].y_offset * scale) * px;
            /* poppler puts a large text glyph's origin on a whole pixel
             * (Splash drops the fraction), a path where it falls; khet
             * writes a glyph as text unless HarfBuzz moved it off its pen
             * position or it stands for no text (the ํ of ำ) */
            if (g[k].x_offset == 0 && g[k].y_offset == 0 && g[k].text_len > 0) {
                gx = floor(gx);
                gy = floor(gy);
            }
            FT_Vector delta = {(FT_Pos)lround((gx - floor(gx)) * 64), (FT_Pos)lround(-(gy - floor(gy)) * 64)};
            FT_Set_Transform(fc, NULL, &delta);
            if (FT_Load_Glyph(fc, g[k].gid, FT_LOAD_NO_HINTING | FT_LOAD_RENDER) == 0) {
                FT_Bitmap *bm = &fc->glyph->bitmap;
                int x0 = (int)floor(gx) + fc->glyph->bitmap_left, y0 = (int)floor(gy) - fc->glyph->bitmap_top;
                for (unsigned r = 0; r < bm->rows; r++)
                    for (unsigned c = 0; c < bm->width; c++) {
                        int x = x0 + (int)c, y = y0 + (int)r;
                        unsigned char v = bm->buffer[r * bm->pitch + c];
                        if (x >= 0 && y >= 0 && x < w && y < h && v > ref[y * w + x])
                            ref[y * w + x] = v;
                    }
            }
            pen += g[k].advance * scale;
        }
        if (getenv("INKDIFF_DUMP")) { /* the reference beside khet's page, for a look */
            char *rp = util_format("%s-ref-%d.pgm", argv[4], i + 1);
            FILE *o = rp ? fopen(rp, "wb") : NULL;
            if (o) {
                fprintf(o, "P5 %d %d 255\n", w, h);
                for (long p = 0; p < (long)w * h; p++)
                    fputc(255 - ref[p], o);
                fclose(o);
            }
            free(rp);
        }
        long ink = 0, diff = 0;
        for (long p = 0; p < (long)w * h; p++) {
            int a = ref[p] >= 128, b = got[p] < 128;
            ink += a;
            diff += a != b;
        }
        double pct = ink ? 100.0 * diff / ink : 0;
        printf("%6.2f %% %s\n", pct, lines[i]);
        sum += pct;
        free(g);
        free(ref);
        free(got);
        free(pgm);
    }
    printf("mean %.3f\n", n ? sum / n : 0);
    shape_ctx_free(sc);
    shape_font_free(sf[0]);
    shape_font_free(sf[1]);
    FT_Done_Face(face[0]);
    FT_Done_Face(face[1]);
    FT_Done_FreeType(lib);
    free(paths[0]);
    free(paths[1]);
    free(cmd);
    free(pdfpath);
    free(text);
    return 0;
}
