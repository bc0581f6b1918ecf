#include "pdfa.h"

#include <hb-ot.h>
#include <hb.h>
#include <libdeflate.h>
#include <openssl/evp.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *pdfa_embedded_name(const char *name)
{
    char *s = util_strdup(name);
    for (char *p = s; p && *p; p++)
        if (*p == '/')
            *p = '-';
    return s;
}

/* Only the first dash was a slash: folders are one level deep. */
char *pdfa_source_name(const char *embedded)
{
    char *s = util_strdup(embedded), *dash = s ? strchr(s, '-') : NULL;
    if (dash && strncmp(s, "signoff", 7))
        *dash = '/';
    return s;
}

static const char *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strcmp(dot, ".csv"))
        return "/text/csv";
    if (dot && !strcmp(dot, ".md"))
        return "/text/markdown";
    if (dot && !strcmp(dot, ".xlsx")) /* a data folder's workbook */
        return "/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return "/text/plain";
}

/* The first qpdf error, reported once as `kind`; returns -1 when there was one. */
static int qcheck_as(qpdf_data q, const char *what, diag_ctx *d, diag_level kind)
{
    if (!qpdf_has_error(q))
        return 0;
    qpdf_error e = qpdf_get_error(q);
    diag_add(d, kind, what, 0, 0, "qpdf: %s", qpdf_get_error_full_text(q, e));
    return -1;
}

/* Writing our own document: a qpdf error is ours (exit 1). */
static int qcheck(qpdf_data q, const char *what, diag_ctx *d) { return qcheck_as(q, what, d, DIAG_SYSTEM); }

static void xml_escaped(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        default: sb_append(b, s, 1);
        }
    }
}

typedef struct {
    char *title, *author, *subject, *keywords;
    char pdf_date[40], xmp_date[40];
} doc_info;

/* The XMP packet: PDF/A identification and the same title, author,
 * subject, keywords, tools and dates as the document information. */
static char *make_xmp(const doc_info *in)
{
    strbuf b = {0};
    sb_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                "  <rdf:Description rdf:about=\"\"\n"
                "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
                "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                "   <pdfaid:part>3</pdfaid:part>\n"
                "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                "   <dc:format>application/pdf</dc:format>\n"
                "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escaped(&b, in->title);
    sb_puts(&b, "</rdf:li></rdf:Alt></dc:title>\n   <dc:creator><rdf:Seq><rdf:li>");
    xml_escaped(&b, in->author);
    sb_puts(&b, "</rdf:li></rdf:Seq></dc:creator>\n   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escaped(&b, in->subject);
    sb_puts(&b, "</rdf:li></rdf:Alt></dc:description>\n   <pdf:Keywords>");
    xml_escaped(&b, in->keywords);
    sb_printf(&b,
              "</pdf:Keywords>\n   <pdf:Producer>khet (libharu, qpdf)</pdf:Producer>\n"
              "   <xmp:CreatorTool>khet</xmp:CreatorTool>\n"
              "   <xmp:CreateDate>%s</xmp:CreateDate>\n   <xmp:ModifyDate>%s</xmp:ModifyDate>\n"
              "   <xmp:MetadataDate>%s</xmp:MetadataDate>\n"
              "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n",
              in->xmp_date, in->xmp_date, in->xmp_date);
    /* room for an editor to rewrite the packet in place, as XMP expects */
    for (int i = 0; i < 8; i++)
        sb_puts(&b, "                                                                                \n");
    sb_puts(&b, "<?xpacket end=\"w\"?>");
    return sb_finish(&b);
}

static char *info_text(qpdf_data q, qpdf_oh info, const char *key)
{
    qpdf_oh v = qpdf_oh_get_key(q, info, key);
    const char *s = qpdf_oh_is_string(q, v) ? qpdf_oh_get_utf8_value(q, v) : "";
    return util_strdup(s);
}

/* The document information, rewritten to match the XMP exactly. */
static int set_info(qpdf_data q, doc_info *in, reader_date date, const char *ledger_head)
{
    qpdf_oh trailer = qpdf_get_trailer(q), old = qpdf_oh_get_key(q, trailer, "/Info");
    in->title = info_text(q, old, "/Title");
    in->author = info_text(q, old, "/Author");
    in->subject = info_text(q, old, "/Subject");
    in->keywords = info_text(q, old, "/Keywords");
    if (!in->title || !in->author || !in->subject || !in->keywords)
        return -1;
    /* the sign-off is a Thai office's day: midnight in Bangkok */
    snprintf(in->pdf_date, sizeof in->pdf_date, "D:%04d%02d%02d000000+07'00'", date.year, date.month, date.day);
    snprintf(in->xmp_date, sizeof in->xmp_date, "%04d-%02d-%02dT00:00:00+07:00", date.year, date.month, date.day);
    qpdf_oh info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    const char *keys[] = {"/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate",
                          "/ModDate"};
    const char *vals[] = {in->title, in->author, in->subject, in->keywords, "khet", "khet (libharu, qpdf)",
                          in->pdf_date, in->pdf_date};
    for (int i = 0; i < 8; i++)
        qpdf_oh_replace_key(q, info, keys[i], qpdf_oh_new_unicode_string(q, vals[i]));
    /* the ledger before this round: the signatures vouch for the chain behind them */
    if (ledger_head)
        qpdf_oh_replace_key(q, info, PDFA_LEDGER_HEAD_KEY, qpdf_oh_new_string(q, ledger_head));
    qpdf_oh_replace_key(q, trailer, "/Info", info);
    return 0;
}

static int add_metadata(qpdf_data q, qpdf_oh root, const doc_info *in)
{
    char *xmp = make_xmp(in);
    if (!xmp)
        return -1;
    qpdf_oh md = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, md, (const unsigned char *)xmp, strlen(xmp), qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    qpdf_oh dict = qpdf_oh_get_dict(q, md);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, root, "/Metadata", md);
    free(xmp);
    return 0;
}

static int add_output_intent(qpdf_data q, qpdf_oh root, const char *what, diag_ctx *d)
{
    char *icc = NULL;
    size_t n = 0;
    if (util_read_file(PDFA_ICC_PROFILE, UTIL_LIMIT_DATA, &icc, &n) != 0) {
        diag_add(d, DIAG_SYSTEM, PDFA_ICC_PROFILE, 0, 0,
                 "cannot read the sRGB ICC profile for %s (install Debian's icc-profiles-free)", what);
        return -1;
    }
    qpdf_oh prof = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, prof, (const unsigned char *)icc, n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, prof), "/N", qpdf_oh_new_integer(q, 3));
    free(icc);
    qpdf_oh oi = qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"
                                  " /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) >>");
    qpdf_oh_replace_key(q, oi, "/DestOutputProfile", prof);
    qpdf_oh arr = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, arr, oi);
    qpdf_oh_replace_key(q, root, "/OutputIntents", arr);
    return 0;
}

static void md5(const unsigned char *data, size_t len, unsigned char out[16])
{
    unsigned int n = 16;
    EVP_Digest(data, len, out, &n, EVP_md5(), NULL);
}

/* The level of khet's own streams (pdf.c): the sources are deflated once
 * per round, so the level costs little either way. */
#define SOURCE_DEFLATE_LEVEL 6

static int deflate_one(struct libdeflate_compressor *z, const pdfa_source *s, unsigned char **out, size_t *outlen)
{
    size_t bound = libdeflate_zlib_compress_bound(z, s->len);
    unsigned char *buf = malloc(bound);
    size_t n = buf ? libdeflate_zlib_compress(z, s->len ? s->data : (const unsigned char *)"", s->len, buf, bound) : 0;
    if (!n) {
        free(buf);
        return -1;
    }
    *out = buf;
    *outlen = n;
    return 0;
}

int pdfa_sources_deflate(pdfa_source *src, int n)
{
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(SOURCE_DEFLATE_LEVEL);
    int rc = z ? 0 : -1;
    for (int i = 0; !rc && i < n; i++)
        if (!src[i].flate)
            rc = deflate_one(z, &src[i], &src[i].flate, &src[i].flate_len);
    libdeflate_free_compressor(z);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const pdfa_source *const *)a)->name, (*(const pdfa_source *const *)b)->name);
}

/* One associated file: its stream (MIME type, size, date, MD5) and its
 * file specification (the source of the document). */
static qpdf_oh add_file(qpdf_data q, const pdfa_source *s, const char *pdf_date, const char *ename)
{
    qpdf_oh ef = qpdf_oh_new_stream(q);
    /* already deflated (pdfa_sources_deflate): qpdf keeps a /FlateDecode
     * stream as it is; else qpdf deflates the plain data itself */
    if (s->flate)
        qpdf_oh_replace_stream_data(q, ef, s->flate, s->flate_len, qpdf_oh_new_name(q, "/FlateDecode"),
                                    qpdf_oh_new_null(q));
    else
        qpdf_oh_replace_stream_data(q, ef, s->data, s->len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    qpdf_oh dict = qpdf_oh_get_dict(q, ef);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/EmbeddedFile"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, mime_of(s->name)));
    unsigned char sum[16];
    md5(s->data, s->len, sum);
    qpdf_oh params = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, params, "/Size", qpdf_oh_new_integer(q, (long long)s->len));
    qpdf_oh_replace_key(q, params, "/ModDate", qpdf_oh_new_string(q, pdf_date));
    qpdf_oh_replace_key(q, params, "/CheckSum", qpdf_oh_new_binary_string(q, (const char *)sum, 16));
    qpdf_oh_replace_key(q, dict, "/Params", params);
    qpdf_oh fs = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    qpdf_oh_replace_key(q, fs, "/Type", qpdf_oh_new_name(q, "/Filespec"));
    qpdf_oh_replace_key(q, fs, "/F", qpdf_oh_new_unicode_string(q, ename));
    qpdf_oh_replace_key(q, fs, "/UF", qpdf_oh_new_unicode_string(q, ename));
    qpdf_oh_replace_key(q, fs, "/AFRelationship", qpdf_oh_new_name(q, "/Source"));
    char *desc = util_format("ข้อมูลที่ใช้คำนวณเอกสารนี้: %s", s->name);
    qpdf_oh_replace_key(q, fs, "/Desc", qpdf_oh_new_unicode_string(q, desc ? desc : s->name));
    free(desc);
    qpdf_oh efd = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, efd, "/F", ef);
    qpdf_oh_replace_key(q, efd, "/UF", ef);
    qpdf_oh_replace_key(q, fs, "/EF", efd);
    return fs;
}

/* Every source as an associated file of the document (/AF) and in the
 * EmbeddedFiles name tree (sorted, as name trees must be). */
static int add_sources(qpdf_data q, qpdf_oh root, const pdfa_source *src, int n, const char *pdf_date)
{
    const pdfa_source **v = calloc((size_t)(n ? n : 1), sizeof *v);
    char **enames = calloc((size_t)(n ? n : 1), sizeof *enames);
    int rc = v && enames ? 0 : -1;
    for (int i = 0; !rc && i < n; i++)
        v[i] = &src[i];
    if (!rc)
        qsort(v, (size_t)n, sizeof *v, by_name);
    qpdf_oh af = qpdf_oh_new_array(q), names = qpdf_oh_new_array(q);
    for (int i = 0; !rc && i < n; i++) {
        if (!(enames[i] = pdfa_embedded_name(v[i]->name))) {
            rc = -1;
            break;
        }
        qpdf_oh fs = add_file(q, v[i], pdf_date, enames[i]);
        qpdf_oh_append_item(q, af, fs);
        qpdf_oh_append_item(q, names, qpdf_oh_new_unicode_string(q, enames[i]));
        qpdf_oh_append_item(q, names, fs);
    }
    if (!rc) {
        qpdf_oh_replace_key(q, root, "/AF", af);
        qpdf_oh tree = qpdf_oh_new_dictionary(q), nd = qpdf_oh_get_key(q, root, "/Names");
        qpdf_oh_replace_key(q, tree, "/Names", names);
        if (!qpdf_oh_is_dictionary(q, nd)) {
            nd = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, root, "/Names", nd);
        }
        qpdf_oh_replace_key(q, nd, "/EmbeddedFiles", tree);
    }
    for (int i = 0; enames && i < n; i++)
        free(enames[i]);
    free(enames);
    free(v);
    return rc;
}

/* The cap height of an embedded TrueType program in the descriptor's units
 * (1000 to the em), as HarfBuzz reads it (OS/2 sCapHeight, else measured). */
static int cap_height_of(qpdf_data q, qpdf_oh program, long *out)
{
    unsigned char *buf = NULL;
    size_t n = 0;
    qpdf_oh_get_stream_data(q, program, qpdf_dl_all, NULL, &buf, &n);
    if (qpdf_has_error(q) || !buf || n > UINT32_MAX) {
        free(buf);
        return -1;
    }
    hb_blob_t *blob = hb_blob_create((const char *)buf, (unsigned)n, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    unsigned upem = hb_face_get_upem(face);
    hb_font_set_scale(font, (int)upem, (int)upem);
    hb_position_t cap = 0;
    hb_ot_metrics_get_position_with_fallback(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
    int ok = hb_face_get_glyph_count(face) > 0 && upem > 0;
    if (ok)
        *out = (long)((cap * 1000L + (long)upem / 2) / (long)upem);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    free(buf);
    return ok ? 0 : -1;
}

/* ISO 32000-1 Table 122 requires /CapHeight in every font descriptor but a
 * Type 3 font's, and PDF/A (6.2.11.2) requires fonts to follow it; libharu
 * writes none for its CID TrueType fonts. */
static int add_cap_height(qpdf_data q, qpdf_oh font)
{
    qpdf_oh desc = font;
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, font, "/Subtype"), "/Type0"))
        desc = qpdf_oh_get_array_item(q, qpdf_oh_get_key(q, font, "/DescendantFonts"), 0);
    qpdf_oh fd = qpdf_oh_get_key(q, desc, "/FontDescriptor");
    if (!qpdf_oh_is_dictionary(q, fd) || qpdf_oh_has_key(q, fd, "/CapHeight"))
        return 0;
    qpdf_oh program = qpdf_oh_get_key(q, fd, "/FontFile2");
    long cap = 0;
    if (!qpdf_oh_is_stream(q, program) || cap_height_of(q, program, &cap) != 0)
        return -1;
    qpdf_oh_replace_key(q, fd, "/CapHeight", qpdf_oh_new_integer(q, cap));
    return 0;
}

static int add_cap_heights(qpdf_data q)
{
    int pages = qpdf_get_num_pages(q), rc = pages < 0 ? -1 : 0;
    for (int i = 0; !rc && i < pages; i++) {
        qpdf_oh fonts = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Resources"), "/Font");
        if (!qpdf_oh_is_dictionary(q, fonts))
            continue;
        /* the keys first: the iterator is qpdf_data's, and add_cap_height
         * reads on (a page of khet's has two to four fonts) */
        int n = 0;
        char *names[64];
        qpdf_oh_begin_dict_key_iter(q, fonts);
        while (!rc && qpdf_oh_dict_more_keys(q))
            if (n == 64 || !(names[n++] = util_strdup(qpdf_oh_dict_next_key(q))))
                rc = -1;
        for (int k = 0; k < n; k++) {
            if (!rc && names[k])
                rc = add_cap_height(q, qpdf_oh_get_key(q, fonts, names[k]));
            free(names[k]);
        }
    }
    return rc || qpdf_has_error(q) ? -1 : 0;
}

static int write_out(qpdf_data q, unsigned char **out, size_t *outlen)
{
    qpdf_init_write_memory(q);
    qpdf_set_object_stream_mode(q, qpdf_o_disable); /* classic xref: a signature appends to it */
    qpdf_set_compress_streams(q, QPDF_TRUE);
    /* ISO 19005-3 6.1.7.1: an end-of-line before every endstream, outside /Length */
    qpdf_set_newline_before_endstream(q, QPDF_TRUE);
    qpdf_set_stream_data_mode(q, qpdf_s_compress);
    qpdf_set_deterministic_ID(q, QPDF_TRUE); /* /ID from the content: same input, same bytes */
    qpdf_set_minimum_pdf_version(q, "1.7");
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS)
        return -1;
    size_t n = qpdf_get_buffer_length(q);
    if (!(*out = malloc(n ? n : 1)))
        return -1;
    memcpy(*out, qpdf_get_buffer(q), n);
    *outlen = n;
    return 0;
}

int pdfa_finish(const unsigned char *pdf, size_t len, const pdfa_source *src, int nsrc, reader_date date,
                const char *ledger_head, const char *what, unsigned char **out, size_t *outlen, diag_ctx *d)
{
    qpdf_data q = qpdf_init();
    doc_info in = {0};
    int rc = -1;
    *out = NULL;
    if (!q) {
        diag_add(d, DIAG_SYSTEM, what, 0, 0, "out of memory");
        return -1;
    }
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (!(qpdf_read_memory(q, what, (const char *)pdf, len, NULL) & QPDF_ERRORS)) {
        qpdf_oh root = qpdf_get_root(q);
        if (set_info(q, &in, date, ledger_head) == 0 && add_metadata(q, root, &in) == 0 &&
            add_output_intent(q, root, what, d) == 0 && add_sources(q, root, src, nsrc, in.pdf_date) == 0 &&
            add_cap_heights(q) == 0 &&
            !qpdf_has_error(q))
            rc = write_out(q, out, outlen);
    }
    if (qcheck(q, what, d) != 0 || (rc != 0 && !diag_errors(d)))
        diag_add(d, DIAG_SYSTEM, what, 0, 0, "cannot finish the document as PDF/A-3 (out of memory?)");
    if (rc != 0 || diag_errors(d)) {
        free(*out);
        *out = NULL;
        rc = -1;
    }
    free(in.title);
    free(in.author);
    free(in.subject);
    free(in.keywords);
    qpdf_cleanup(&q);
    return rc;
}

void pdfa_sources_free(pdfa_embedded *src, int n)
{
    for (int i = 0; src && i < n; i++) {
        free(src[i].file.name);
        free(src[i].file.data);
        free(src[i].file.flate);
    }
    free(src);
}

/* Reads one file specification of the name tree into e. */
static int read_one(qpdf_data q, qpdf_oh fs, pdfa_embedded *e)
{
    qpdf_oh ef = qpdf_oh_get_key(q, qpdf_oh_get_key(q, fs, "/EF"), "/F");
    qpdf_oh uf = qpdf_oh_get_key(q, fs, "/UF");
    if (!qpdf_oh_is_stream(q, ef) || !qpdf_oh_is_string(q, uf))
        return 1;
    unsigned char *buf = NULL;
    size_t n = 0;
    qpdf_oh_get_stream_data(q, ef, qpdf_dl_all, NULL, &buf, &n);
    if (qpdf_has_error(q))
        return 1;
    e->file.name = pdfa_source_name(qpdf_oh_get_utf8_value(q, uf));
    e->file.data = malloc(n ? n : 1);
    if (!e->file.name || !e->file.data) {
        free(buf);
        return -1;
    }
    memcpy(e->file.data, buf, n);
    e->file.len = n;
    free(buf);
    qpdf_oh sum = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, ef), "/Params"), "/CheckSum");
    size_t sl = 0;
    const char *claimed = qpdf_oh_is_string(q, sum) ? qpdf_oh_get_binary_string_value(q, sum, &sl) : NULL;
    unsigned char real[16];
    md5(e->file.data, n, real);
    e->md5_ok = claimed && sl == 16 && !memcmp(claimed, real, 16);
    return 0;
}

int pdfa_read_sources(const unsigned char *pdf, size_t len, const char *what, pdfa_embedded **src, diag_ctx *d)
{
    qpdf_data q = qpdf_init();
    *src = NULL;
    int n = -1, items = 0;
    if (!q)
        return -1;
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (!(qpdf_read_memory(q, what, (const char *)pdf, len, NULL) & QPDF_ERRORS)) {
        qpdf_oh tree = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/Names"), "/EmbeddedFiles");
        qpdf_oh names = qpdf_oh_get_key(q, tree, "/Names");
        items = qpdf_oh_is_array(q, names) ? qpdf_oh_get_array_n_items(q, names) : 0;
        *src = calloc((size_t)(items / 2 + 1), sizeof **src);
        n = *src ? 0 : -1;
        for (int i = 1; n >= 0 && i < items; i += 2) {
            int r = read_one(q, qpdf_oh_get_array_item(q, names, i), &(*src)[n]);
            if (r < 0)
                n = -1;
            else if (r == 0)
                n++;
            else
                diag_add(d, DIAG_ERROR, what, 0, 0, "an embedded file cannot be read");
        }
    }
    /* reading a filed document: a qpdf error means the file is damaged (bad input, exit 2) */
    if (qcheck_as(q, what, d, DIAG_ERROR) != 0 || n < 0) {
        if (!diag_errors(d))
            diag_add(d, DIAG_SYSTEM, what, 0, 0, "out of memory");
        pdfa_sources_free(*src, items / 2 + 1);
        *src = NULL;
        n = -1;
    }
    qpdf_cleanup(&q);
    return n;
}

char *pdfa_ledger_head(const unsigned char *pdf, size_t len)
{
    qpdf_data q = qpdf_init();
    char *head = NULL;
    if (!q)
        return NULL;
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (!(qpdf_read_memory(q, "pdf", (const char *)pdf, len, NULL) & QPDF_ERRORS)) {
        qpdf_oh v = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info"), PDFA_LEDGER_HEAD_KEY);
        if (qpdf_oh_is_string(q, v))
            head = util_strdup(qpdf_oh_get_utf8_value(q, v));
    }
    if (qpdf_has_error(q)) /* taken (the caller says what is wrong), or qpdf_cleanup prints it to stderr */
        (void)qpdf_get_error(q);
    qpdf_cleanup(&q);
    return head;
}
