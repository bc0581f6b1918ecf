/* khet typeset: sets a UTF-8 text file (blank line = new paragraph) on A4
 * pages with the report fonts: how a user checks the Thai engine on any text. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "layout.h"
#include "pdf.h"
#include "thai.h"
#include "util.h"

static void typeset_usage(FILE *out)
{
    fputs("usage: khet typeset --in FILE.txt --out FILE.pdf [--font NAME] [--size PT]\n"
          "                    [--width MM] [--align left|justify|center] [--thai-digits]\n"
          "                    [--greedy] [--fonts DIR]\n"
          "Sets a UTF-8 text file on A4 pages; a blank line starts a new paragraph.\n"
          "Lines are balanced over the whole paragraph; --greedy fills each line in turn.\n",
          out);
}

/* Splits text into paragraphs at blank lines and adds each to the document. */
static int add_paragraphs(layout_doc *doc, char *text, layout_style st)
{
    /* Windows line ends: drop the CRs so that a blank line is a blank line */
    char *w = text;
    for (char *r = text; *r; r++)
        if (*r != '\r')
            *w++ = *r;
    *w = 0;
    char *p = text;
    while (*p) {
        char *end = strstr(p, "\n\n");
        char *next = end ? end + 2 : p + strlen(p);
        if (end)
            *end = 0;
        for (char *q = p; *q; q++) /* single newlines inside a paragraph are spaces */
            if (*q == '\n' || *q == '\r')
                *q = ' ';
        if (strspn(p, " \t") < strlen(p)) {
            if (layout_paragraph(doc, p, st) != 0) /* (in Thai digits, whole, when the setup asks) */
                return -1;
        }
        p = next;
        while (*p == '\n' || *p == '\r')
            p++;
    }
    return 0;
}

int cmd_typeset(int argc, char **argv)
{
    static const struct option opts[] = {{"in", required_argument, 0, 'i'},    {"out", required_argument, 0, 'o'},
                                         {"font", required_argument, 0, 'f'},  {"size", required_argument, 0, 's'},
                                         {"width", required_argument, 0, 'w'}, {"align", required_argument, 0, 'a'},
                                         {"thai-digits", no_argument, 0, 'T'}, {"fonts", required_argument, 0, 'F'},
                                         {"greedy", no_argument, 0, 'g'},
                                         {"help", no_argument, 0, 'h'},        {0}};
    char fbuf[CLI_PATH_MAX];
    const char *in = NULL, *out = NULL, *font = "Laksaman", *align = "left", *font_dir = cli_font_dir(fbuf, sizeof fbuf);
    double size = 16, width_mm = 0;
    int thai = 0, greedy = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:o:f:s:w:a:TF:gh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'f': font = optarg; break;
        case 's': size = atof(optarg); break;
        case 'w': width_mm = atof(optarg); break;
        case 'a': align = optarg; break;
        case 'T': thai = 1; break;
        case 'F': font_dir = optarg; break;
        case 'g': greedy = 1; break;
        case 'h': typeset_usage(stdout); return EXIT_OK;
        default: typeset_usage(stderr); return EXIT_INPUT;
        }
    }
    layout_align al = !strcmp(align, "left") ? ALIGN_LEFT : !strcmp(align, "justify") ? ALIGN_JUSTIFY
                      : !strcmp(align, "center") ? ALIGN_CENTER : (layout_align)-1;
    if (!in || !out || optind < argc || size < 4 || size > 72 || (int)al < 0 || width_mm < 0 || width_mm > 160) {
        typeset_usage(stderr);
        return EXIT_INPUT;
    }
    diag_ctx *d = diag_new();
    cli_check_dirs(NULL, font_dir, d);
    char *text = NULL;
    size_t len;
    if (util_read_file(in, UTIL_LIMIT_TEXT, &text, &len) != 0) {
        int e = errno;
        diag_add(d, util_input_errno(e) ? DIAG_ERROR : DIAG_SYSTEM, in, 0, 0, "cannot read: %s", util_strerror(e));
        return cli_finish(d, !util_input_errno(e));
    }
    if (!util_utf8_valid(text, len)) {
        diag_add(d, DIAG_ERROR, in, 0, 0, "the text is not valid UTF-8");
        free(text);
        return cli_finish(d, 0);
    }
    /* the region's word lists (templates/reports/keep-together.txt, units.txt): what a typist keeps together */
    char tbuf[CLI_PATH_MAX];
    thai_words *words = cli_words(cli_templates_dir(tbuf, sizeof tbuf), d);
    layout_page_setup ps = {0,    30 * MM_PT, 20 * MM_PT, 25 * MM_PT, 25 * MM_PT, NULL, NULL, thai, 1, greedy, NULL,
                            LAYOUT_PAGE_NUMBER_FOOT, 0, words, 0, 0, NULL};
    if (width_mm > 0)
        ps.margin_right = 210 * MM_PT - ps.margin_left - width_mm * MM_PT;
    layout_doc *doc = layout_new(&ps);
    pdf_doc *pdf = doc ? pdf_new(font_dir, font, d) : NULL;
    int runtime = 0;
    if (pdf) {
        layout_style st = {size, 0, al, 0, size * 0.5, {0, 0, 0}};
        /* a byte-order mark is not text */
        char *body = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? text + 3 : text;
        if (add_paragraphs(doc, body, st) != 0 || layout_render(doc, pdf, d) < 0 ||
            pdf_info(pdf, in, NULL, "khet typeset", NULL, NULL) != 0 || pdf_save(pdf, out, d) != 0)
            runtime = 1;
    }
    pdf_free(pdf);
    layout_free(doc);
    thai_words_free(words);
    free(text);
    return cli_finish(d, runtime || !words);
}
