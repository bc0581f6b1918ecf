#!/usr/bin/env python3
"""PDF/A-3b rule checker for khet's tests.

Written from veraPDF's public validation profile (veraPDF-validation-profiles,
PDF_A/PDFA-3B.xml: the rules of ISO 19005-3 level B), independently of khet's
code and of qpdf: its own lexer reads the bytes, follows every cross-reference
section (all revisions of an incrementally updated file), inflates streams with
zlib and parses XMP with the standard library's XML parser. Each failure is
printed as `FILE: CLAUSE-TEST: message` with the rule's clause and test number
from the profile; the status is 1 when any rule fails, 2 when a file cannot be
read at all.

It implements the rules that apply to what khet writes (CID TrueType fonts,
vector content, form XObjects, widgets and signatures, embedded files, XMP,
an output intent); rules about objects khet never writes (JPEG2000, halftones,
DeviceN, optional content, ...) are checked where they are cheap to recognise
and otherwise listed in NOT_IMPLEMENTED below, so nobody mistakes the checker
for veraPDF. Also checked: the font descriptor entries ISO 32000-1 9.8 Table
122 requires (CapHeight among them), which 6.2.11.2 makes part of PDF/A.

The object layer (lexer, cross-references, streams, fonts' tables) is
tests/pdfa_cos.py.

usage: pdfa_check.py [--quiet] FILE.pdf...
"""
import os
import re
import struct
import sys
import zlib
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfa_cos import Doc, Fail, FontInfo, Name, Ref, Stream, content_ops, der_items  # noqa: E402

NOT_IMPLEMENTED = ["6.1.13-10 (CIDs of embedded CMaps)", "6.2.4.4 (DeviceN/Separation)", "6.2.8.3 (JPEG2000)",
                   "6.2.11.3.3-2 (embedded CMap WMode)", "6.2.11.4.2 (CharSet/CIDSet completeness)",
                   "6.6.2.3.2/3 (extension schema fields: any extension schema is reported as undefined)"]

# ---------------------------------------------------------------- content
OPERATORS = set("""b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k
l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \"""".split())
RENDERING_INTENTS = {"RelativeColorimetric", "AbsoluteColorimetric", "Perceptual", "Saturation"}
BLEND_MODES = {"Normal", "Compatible", "Multiply", "Screen", "Overlay", "Darken", "Lighten", "ColorDodge",
               "ColorBurn", "HardLight", "SoftLight", "Difference", "Exclusion", "Hue", "Saturation", "Color",
               "Luminosity"}
FILTERS = {"ASCIIHexDecode", "ASCII85Decode", "FlateDecode", "RunLengthDecode", "CCITTFaxDecode", "JBIG2Decode",
           "DCTDecode", "JPXDecode"}
II_FILTERS = {"ASCIIHexDecode", "ASCII85Decode", "FlateDecode", "RunLengthDecode", "CCITTFaxDecode", "DCTDecode",
              "AHx", "A85", "Fl", "RL", "CCF", "DCT"}
STANDARD14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica", "Helvetica-Bold",
              "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold", "Courier-Oblique",
              "Courier-BoldOblique", "Symbol", "ZapfDingbats"}


class ContentChecker:
    """Operators, nesting, colour spaces and glyphs of every content stream."""

    def __init__(self, doc, out_cs):
        self.doc, self.out_cs, self.seen_forms, self.fonts = doc, out_cs, set(), {}
        self.reported = set()

    def once(self, rule, msg):
        if (rule, msg) not in self.reported:
            self.reported.add((rule, msg))
            self.doc.fail(rule, msg)

    def device(self, cs, where):
        if cs in ("DeviceRGB", "RGB") and self.out_cs != "RGB ":
            self.once("6.2.4.3-2", "%s uses DeviceRGB without an RGB PDF/A output intent" % where)
        if cs in ("DeviceCMYK", "CMYK") and self.out_cs != "CMYK":
            self.once("6.2.4.3-3", "%s uses DeviceCMYK without a CMYK PDF/A output intent" % where)
        if cs in ("DeviceGray", "G") and self.out_cs is None:
            self.once("6.2.4.3-4", "%s uses DeviceGray without a PDF/A output intent" % where)

    def font(self, ref, fdict):
        key = ref.num if isinstance(ref, Ref) else id(fdict)
        if key not in self.fonts:
            self.fonts[key] = FontInfo(self.doc, fdict)
        return self.fonts[key]

    def run(self, data, resources, where, has_own_resources=True):
        doc = self.doc
        res = resources if isinstance(resources, dict) else {}
        depth, font, tr = 0, None, 0
        for op, args in content_ops(doc, data):
            if op not in OPERATORS:
                self.once("6.2.2-1", "%s: operator '%s' is not defined in ISO 32000-1" % (where, op))
                continue
            if op == "q":
                depth += 1
                if depth > 28:
                    self.once("6.1.13-8", "%s: q/Q nested deeper than 28" % where)
            elif op == "Q":
                depth -= 1
            elif op in ("rg", "RG"):
                self.device("DeviceRGB", where)
            elif op in ("k", "K"):
                self.device("DeviceCMYK", where)
            elif op in ("g", "G"):
                self.device("DeviceGray", where)
            elif op in ("cs", "CS") and args:
                name = args[-1]
                if name in ("DeviceRGB", "DeviceCMYK", "DeviceGray"):
                    self.device(name, where)
                else:
                    self.need(res, "ColorSpace", name, where, has_own_resources)
            elif op == "ri" and args and args[-1] not in RENDERING_INTENTS:
                self.once("6.2.6-1", "%s: rendering intent %s" % (where, args[-1]))
            elif op == "Tr" and args:
                tr = args[-1]
            elif op == "Tf" and args:
                ref = (self.doc.get(res, "Font") or {}).get(args[0]) if isinstance(args[0], Name) else None
                fd = doc.resolve(ref)
                self.need(res, "Font", args[0], where, has_own_resources)
                font = self.font(ref, fd) if isinstance(fd, dict) else None
            elif op in ("Tj", "'", '"', "TJ") and args:
                strings = [a for a in (args[-1] if op == "TJ" else [args[-1]]) if isinstance(a, bytes)]
                if font:
                    for s in strings:
                        self.glyphs(font, s, tr, where)
            elif op == "gs" and args:
                self.need(res, "ExtGState", args[-1], where, has_own_resources)
            elif op == "Do" and args:
                self.need(res, "XObject", args[-1], where, has_own_resources)
                xo_ref = (self.doc.get(res, "XObject") or {}).get(args[-1])
                xo = doc.resolve(xo_ref)
                if isinstance(xo, Stream) and xo.dict.get("Subtype") == "Form":
                    key = xo_ref.num if isinstance(xo_ref, Ref) else id(xo)
                    if key not in self.seen_forms:
                        self.seen_forms.add(key)
                        own = "Resources" in xo.dict
                        body = doc.decode(xo)
                        if body is not None:
                            self.run(body, doc.get(xo.dict, "Resources") if own else res,
                                     "form XObject %s" % xo_ref, own)
                elif isinstance(xo, Stream) and xo.dict.get("Subtype") == "Image":
                    self.device(doc.get(xo.dict, "ColorSpace"), "image %s" % xo_ref)
            elif op == "BI":
                d = args[0]
                f = d.get("F", d.get("Filter"))
                for name in (f if isinstance(f, list) else ([f] if f else [])):
                    if name not in II_FILTERS:
                        self.once("6.1.10-1", "%s: inline image filter %s" % (where, name))
                if d.get("I", d.get("Interpolate")) is True:
                    self.once("6.2.8-3", "%s: inline image with /I true" % where)
                self.device({"RGB": "DeviceRGB", "CMYK": "DeviceCMYK", "G": "DeviceGray"}.get(
                    d.get("CS", d.get("ColorSpace")), d.get("CS", d.get("ColorSpace"))), where)
            elif op == "sh" and args:
                self.need(res, "Shading", args[-1], where, has_own_resources)

    def need(self, res, kind, name, where, own):
        if not own:
            self.once("6.2.2-2", "%s uses /%s without its own resources" % (where, name))
        elif not isinstance(self.doc.get(res, kind), dict) or name not in self.doc.get(res, kind):
            self.once("6.2.2-2", "%s: /%s is not in its /%s resources" % (where, name, kind))

    def glyphs(self, font, s, tr, where):
        codes = [s[i] << 8 | s[i + 1] for i in range(0, len(s) - 1, 2)] if font.cid else list(s)
        for c in codes:
            gid = c if font.gidmap is None else (font.gidmap[c] if c < len(font.gidmap) else 0)
            if tr == 3:
                continue
            if font.cid and gid == 0:
                self.once("6.2.11.8-1", "%s: text shows the .notdef glyph (CID %d)" % (where, c))
            p = font.prog
            if p is None:
                continue
            if gid >= p.nglyphs:
                self.once("6.2.11.4.1-2", "%s: glyph %d is not in the embedded font (%d glyphs)"
                          % (where, gid, p.nglyphs))
                continue
            w = font.widths.get(c, font.default_w if font.cid else None)
            if w is not None and abs(p.width(gid) - w) > 1:
                self.once("6.2.11.5-1", "%s: code %d is %g wide in the font dictionary, %g in the font program"
                          % (where, c, w, p.width(gid)))


# ---------------------------------------------------------------- document-level rules
def check_icc(doc, s, rule, what, allowed_class):
    raw = doc.decode(s) if isinstance(s, Stream) else None
    if not raw or len(raw) < 128:
        doc.fail(rule, "%s: no readable ICC profile" % what)
        return None
    dclass, cspace, ver = raw[12:16].decode("latin-1"), raw[16:20].decode("latin-1"), raw[8]
    if dclass not in allowed_class or cspace not in ("RGB ", "CMYK", "GRAY") or ver >= 5:
        doc.fail(rule, "%s: ICC profile class %r, colour space %r, version %d" % (what, dclass, cspace, ver))
    return cspace


def check_fonts(doc, f, ref):
    sub, where = f.get("Subtype"), "font %s" % ref
    if f.get("Type") != "Font":
        doc.fail("6.2.11.2-1", "%s: /Type is not /Font" % where)
    if sub not in ("Type1", "MMType1", "TrueType", "Type3", "Type0", "CIDFontType0", "CIDFontType2"):
        doc.fail("6.2.11.2-2", "%s: /Subtype %s" % (where, sub))
    if sub != "Type3" and "BaseFont" not in f:
        doc.fail("6.2.11.2-3", "%s: no /BaseFont" % where)
    for k in ("BaseFont",):
        if isinstance(f.get(k), Name):
            try:
                f[k].encode("latin-1").decode("utf-8")
            except UnicodeDecodeError:
                doc.fail("6.1.8-1", "%s: the font name is not valid UTF-8" % where)
    standard = sub in ("Type1", "TrueType") and f.get("BaseFont") in STANDARD14 and "FontDescriptor" not in f
    if sub in ("Type1", "MMType1", "TrueType", "Type3") and not standard:
        if "FirstChar" not in f:
            doc.fail("6.2.11.2-4", "%s: no /FirstChar" % where)
        if "LastChar" not in f:
            doc.fail("6.2.11.2-5", "%s: no /LastChar" % where)
        w = doc.get(f, "Widths")
        if not (isinstance(w, list) and len(w) == f.get("LastChar", 0) - f.get("FirstChar", 0) + 1):
            doc.fail("6.2.11.2-6", "%s: /Widths does not have LastChar - FirstChar + 1 entries" % where)
    if sub == "Type0":
        enc = f.get("Encoding")
        desc = doc.resolve((doc.get(f, "DescendantFonts") or [None])[0])
        if isinstance(enc, Name):
            if enc not in ("Identity-H", "Identity-V"):
                doc.fail("6.2.11.3.3-1", "%s: CMap %s is not embedded" % (where, enc))
        elif isinstance(doc.resolve(enc), Stream):
            csi, dcsi = doc.get(doc.resolve(enc).dict, "CIDSystemInfo") or {}, doc.get(desc, "CIDSystemInfo") or {}
            if csi.get("Registry") != dcsi.get("Registry") or csi.get("Ordering") != dcsi.get("Ordering") or \
                    dcsi.get("Supplement", 0) < csi.get("Supplement", 0):
                doc.fail("6.2.11.3.1-1", "%s: CIDSystemInfo of the CMap and the CIDFont differ" % where)
        if isinstance(desc, dict):
            check_fonts(doc, desc, "%s (descendant)" % ref)
        return
    fd = doc.get(f, "FontDescriptor")
    if sub != "Type3" and not standard:
        if not isinstance(fd, dict):
            doc.fail("6.2.11.4.1-1", "%s: no font descriptor, so no embedded font program" % where)
            return
        if not any(k in fd for k in ("FontFile", "FontFile2", "FontFile3")):
            doc.fail("6.2.11.4.1-1", "%s: the font program is not embedded" % where)
        ff3 = doc.get(fd, "FontFile3")
        if isinstance(ff3, Stream) and ff3.dict.get("Subtype") not in ("Type1C", "CIDFontType0C", "OpenType"):
            doc.fail("6.2.11.2-7", "%s: FontFile3 subtype %s" % (where, ff3.dict.get("Subtype")))
        # ISO 32000-1 9.8, Table 122: entries required in every descriptor but Type 3's
        for k in ("Type", "FontName", "Flags", "FontBBox", "ItalicAngle", "Ascent", "Descent", "CapHeight", "StemV"):
            if k not in fd:
                doc.fail("6.2.11.2-ISO32000-9.8", "%s: the font descriptor lacks /%s (ISO 32000-1 Table 122)"
                         % (where, k))
        if sub == "CIDFontType2" and "CIDToGIDMap" not in f and "FontFile2" in fd:
            doc.fail("6.2.11.3.2-1", "%s: an embedded CIDFontType2 has no /CIDToGIDMap" % where)
    if sub == "TrueType" and isinstance(fd, dict):
        symbolic = bool(fd.get("Flags", 0) & 4)
        enc = doc.get(f, "Encoding")
        prog = doc.font_program(fd)
        if not symbolic:
            base = enc.get("BaseEncoding") if isinstance(enc, dict) else enc
            if base not in ("MacRomanEncoding", "WinAnsiEncoding"):
                doc.fail("6.2.11.6-2", "%s: a non-symbolic TrueType font with encoding %s" % (where, base))
            if prog and not any(p in ((3, 1), (1, 0)) for p in prog.cmaps):
                doc.fail("6.2.11.6-1", "%s: no non-symbolic cmap in the font program" % where)
        else:
            if enc is not None:
                doc.fail("6.2.11.6-3", "%s: a symbolic TrueType font has /Encoding" % where)
            if prog and len(prog.cmaps) != 1 and (3, 0) not in prog.cmaps:
                doc.fail("6.2.11.6-4", "%s: the symbolic font's cmap has neither one encoding nor (3,0)" % where)


def check_xmp(doc, root):
    md = doc.get(root, "Metadata")
    if not isinstance(md, Stream) or md.dict.get("Type") != "Metadata":
        doc.fail("6.6.2.1-1", "the catalog has no /Metadata stream")
        return
    raw = doc.decode(md)
    if raw is None:
        doc.fail("6.6.2.1-4", "the metadata stream cannot be decoded")
        return
    m = re.search(rb"<\?xpacket begin=[^?]*\?>", raw)
    if m and re.search(rb"\sbytes=", m.group(0)):
        doc.fail("6.6.2.1-2", "the XMP packet header has a bytes attribute")
    if m and re.search(rb"\sencoding=", m.group(0)):
        doc.fail("6.6.2.1-3", "the XMP packet header has an encoding attribute")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        doc.fail("6.6.2.1-5", "the XMP packet is not UTF-8")
        return
    body = re.sub(rb"<\?xpacket[^?]*\?>", b"", raw)
    try:
        tree = ET.fromstring(body)
    except ET.ParseError as e:
        doc.fail("6.6.2.1-4", "the XMP packet is not well-formed XML: %s" % e)
        return
    RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    predefined = {"http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/", "http://ns.adobe.com/pdf/1.3/",
                  "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/",
                  "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
                  "http://ns.adobe.com/photoshop/1.0/", "http://ns.adobe.com/tiff/1.0/",
                  "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
                  "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://www.aiim.org/pdfa/ns/id/",
                  "http://ns.adobe.com/camera-raw-settings/1.0/"}
    # value types of the properties khet writes (XMP Specification 2005)
    types = {"dc:title": "LangAlt", "dc:description": "LangAlt", "dc:rights": "LangAlt", "dc:creator": "Seq",
             "dc:subject": "Bag", "dc:format": "Text", "pdf:Keywords": "Text", "pdf:Producer": "Text",
             "pdf:PDFVersion": "Text", "xmp:CreatorTool": "Text", "xmp:CreateDate": "Date",
             "xmp:ModifyDate": "Date", "xmp:MetadataDate": "Date", "pdfaid:part": "Integer",
             "pdfaid:conformance": "Text", "pdfaid:amd": "Text", "pdfaid:corr": "Text"}
    prefixes = {"http://purl.org/dc/elements/1.1/": "dc", "http://ns.adobe.com/xap/1.0/": "xmp",
                "http://ns.adobe.com/pdf/1.3/": "pdf", "http://www.aiim.org/pdfa/ns/id/": "pdfaid"}
    props = {}
    for desc in tree.iter("{%s}Description" % RDF):
        items = [(k, v, None) for k, v in desc.attrib.items() if not k.startswith("{%s}" % RDF)]
        items += [(c.tag, (c.text or "").strip(), c) for c in desc]
        for tag, text, el in items:
            ns, local = tag[1:].split("}", 1) if tag.startswith("{") else ("", tag)
            if ns not in predefined:
                doc.fail("6.6.2.3.1-1", "XMP property %s of schema %s is neither predefined nor in an extension "
                         "schema" % (local, ns))
                continue
            qn = "%s:%s" % (prefixes.get(ns, "?"), local)
            props[qn] = text
            want = types.get(qn)
            kids = [c.tag for c in el] if el is not None else []
            ok = True
            if want in ("LangAlt", "Seq", "Bag"):
                container = {"LangAlt": "Alt"}.get(want, want)
                ok = kids == ["{%s}%s" % (RDF, container)] and all(
                    li.tag == "{%s}li" % RDF for li in el[0])
                if ok and want == "LangAlt":
                    ok = all("{http://www.w3.org/XML/1998/namespace}lang" in li.attrib for li in el[0])
            elif want == "Date":
                ok = not kids and re.fullmatch(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?"
                                               r"(Z|[+-]\d\d:\d\d))?)?)?", text) is not None
            elif want == "Integer":
                ok = not kids and re.fullmatch(r"[+-]?\d+", text) is not None
            elif want == "Text":
                ok = not kids
            if not ok:
                doc.fail("6.6.2.3.1-2", "XMP property %s does not have the value type %s" % (qn, want))
    # 6.6.4: identification, in the pdfaid namespace (the prefix follows from it)
    if "pdfaid:part" not in props:
        doc.fail("6.6.4-1", "the XMP has no PDF/A identification (pdfaid:part)")
        return
    if props["pdfaid:part"] != "3":
        doc.fail("6.6.4-2", "pdfaid:part is %s, not 3" % props["pdfaid:part"])
    if props.get("pdfaid:conformance") not in ("A", "B", "U"):
        doc.fail("6.6.4-3", "pdfaid:conformance is %s" % props.get("pdfaid:conformance"))
    for k in ("part", "conformance", "amd", "corr"):
        for m in re.finditer(rb"<(\w+):%s>" % k.encode(), body):
            if m.group(1) != b"pdfaid":
                doc.fail("6.6.4-%d" % (4 + ["part", "conformance", "amd", "corr"].index(k)),
                         "pdfaid:%s is written with the prefix %s" % (k, m.group(1).decode()))


def check_signature(doc, v, where):
    br, ct = doc.get(v, "ByteRange"), doc.get(v, "Contents")
    d = doc.data
    if not (isinstance(br, list) and len(br) == 4 and isinstance(ct, bytes)):
        doc.fail("6.4.3-1", "%s: no /ByteRange or /Contents" % where)
        return
    a, b, c, n = br
    # the revision this signature belongs to ends at the %%EOF after c+n
    end = c + n
    if a != 0 or d[b:b + 1] != b"<" or d[c - 1:c] != b">" or d[end - 6:end].rstrip(b"\r\n")[-5:] != b"%%EOF" \
            and d[end - 5:end] != b"%%EOF":
        doc.fail("6.4.3-1", "%s: the /ByteRange does not cover the whole revision but its /Contents" % where)
    try:
        top = der_items(ct, 0, len(ct), True)[0]  # zero padding follows
        ci = der_items(ct, top[1], top[2])
        sd = der_items(ct, ci[1][1], ci[1][2])[0]
        parts = der_items(ct, sd[1], sd[2])
        certs = [p for p in parts if p[0] == 0xA0]
        infos = [p for p in parts if p[0] == 0x31][-1]
        n_infos = len(der_items(ct, infos[1], infos[2]))
    except (IndexError, ValueError):
        doc.fail("6.4.3-2", "%s: /Contents is not a DER PKCS#7 SignedData" % where)
        return
    if not certs or not der_items(ct, certs[0][1], certs[0][2]):
        doc.fail("6.4.3-2", "%s: the PKCS#7 object carries no signing certificate" % where)
    if n_infos != 1:
        doc.fail("6.4.3-3", "%s: the PKCS#7 object has %d SignerInfos, not one" % (where, n_infos))


ANNOTS = {"Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon", "PolyLine", "Highlight", "Underline",
          "Squiggly", "StrikeOut", "Stamp", "Caret", "Ink", "Popup", "FileAttachment", "Widget", "PrinterMark",
          "TrapNet", "Watermark", "Redact"}
ACTIONS = {"GoTo", "GoToR", "GoToE", "Thread", "URI", "Named", "SubmitForm"}


def check_annot(doc, a, where):
    sub = a.get("Subtype")
    if sub not in ANNOTS:
        doc.fail("6.3.1-1", "%s: annotation type %s" % (where, sub))
    f = a.get("F")
    if sub != "Popup" and f is None:
        doc.fail("6.3.2-1", "%s: no /F flags" % where)
    if f is not None and not (f & 4 and not f & (1 | 2 | 32 | 256)):
        doc.fail("6.3.2-2", "%s: /F %d (must print, must not be hidden, invisible or no-view)" % (where, f))
    r = [doc.resolve(x) for x in (doc.get(a, "Rect") or [0, 0, 0, 0])]
    w, h = abs(r[2] - r[0]), abs(r[3] - r[1])
    ap = doc.get(a, "AP")
    if not (w == 0 and h == 0) and sub not in ("Popup", "Link") and ap is None:
        doc.fail("6.3.3-1", "%s: a %gx%g annotation without an appearance" % (where, w, h))
    if isinstance(ap, dict):
        if set(ap) != {"N"}:
            doc.fail("6.3.3-2", "%s: the appearance dictionary has %s, not only /N" % (where, sorted(ap)))
        ft = a.get("FT") or doc.get(doc.get(a, "Parent"), "FT")
        n = doc.get(ap, "N")
        if sub == "Widget" and ft == "Btn":
            if not isinstance(n, dict) or isinstance(n, Stream):
                doc.fail("6.3.3-3", "%s: a button's /N is not a subdictionary" % where)
        elif "N" in ap and not isinstance(n, Stream):
            doc.fail("6.3.3-4", "%s: /N is not an appearance stream" % where)
    if sub == "Widget" and ("A" in a or "AA" in a):
        doc.fail("6.4.1-1", "%s: a widget with /A or /AA" % where)


def check_document(doc):
    doc.read_structure()
    for num, gen, off in doc.all_offsets:  # every revision's objects, byte by byte
        try:
            doc.read_indirect(off, check=True)
        except Fail as e:
            doc.fail("6.1.9-1", "object %d at byte %d: %s" % (num, off, e))
    if len({n for n, _, _ in doc.all_offsets}) > 8388607:
        doc.fail("6.1.13-7", "more than 8388607 indirect objects")
    trailer = doc.trailers[0]
    root = doc.get(trailer, "Root")
    if not isinstance(root, dict):
        raise Fail("no catalog")

    # every dictionary and stream reachable from the trailer
    out_cs, intents = None, doc.get(root, "OutputIntents") or []
    profiles = set()
    for oi in intents:
        oi = doc.resolve(oi)
        if not isinstance(oi, dict):
            continue
        if "DestOutputProfileRef" in oi and oi.get("S") == "GTS_PDFX":
            doc.fail("6.2.3-3", "a PDF/X output intent has /DestOutputProfileRef")
        if "DestOutputProfile" in oi:
            profiles.add(repr(oi["DestOutputProfile"]))
            cs = check_icc(doc, doc.get(oi, "DestOutputProfile"), "6.2.3-1", "the output intent",
                           ("prtr", "mntr"))
            if oi.get("S") == "GTS_PDFA1":
                out_cs = cs
    if len(profiles) > 1:
        doc.fail("6.2.3-2", "output intents with different profiles")
    for k, rule in (("NeedsRendering", "6.4.2-2"), ("Requirements", "6.11-1"), ("AA", "6.5.2-1")):
        if k in root and not (k == "NeedsRendering" and root[k] is False):
            doc.fail(rule, "the catalog has /%s" % k)
    names = doc.get(root, "Names") or {}
    if "AlternatePresentations" in names:
        doc.fail("6.10-1", "the name dictionary has /AlternatePresentations")
    perms = doc.get(root, "Perms")
    if isinstance(perms, dict) and set(perms) - {"UR3", "DocMDP"}:
        doc.fail("6.1.12-1", "the permissions dictionary has %s" % sorted(set(perms) - {"UR3", "DocMDP"}))
    form = doc.get(root, "AcroForm")
    if isinstance(form, dict):
        if form.get("NeedAppearances") is True:
            doc.fail("6.4.1-3", "/NeedAppearances is true")
        if "XFA" in form:
            doc.fail("6.4.2-1", "the form has /XFA")
        for fld in doc.get(form, "Fields") or []:
            fr = fld
            fld = doc.resolve(fld)
            if isinstance(fld, dict):
                if "AA" in fld:
                    doc.fail("6.4.1-2", "field %s has /AA" % fr)
                v = doc.get(fld, "V")
                if fld.get("FT") == "Sig" and isinstance(v, dict):
                    check_signature(doc, v, "signature field %s" % fr)
    ocp = doc.get(root, "OCProperties")
    if isinstance(ocp, dict):
        configs = [doc.get(ocp, "D")] + [doc.resolve(c) for c in doc.get(ocp, "Configs") or []]
        seen_names = []
        for c in configs:
            if isinstance(c, dict):
                if not c.get("Name"):
                    doc.fail("6.9-1", "an optional content configuration has no /Name")
                seen_names.append(c.get("Name"))
                if "AS" in c:
                    doc.fail("6.9-4", "an optional content configuration has /AS")
        if len(seen_names) != len(set(seen_names)):
            doc.fail("6.9-2", "optional content configurations share a name")

    associated = set()
    embedded = []

    def visit(d, key, stream):
        t, s = d.get("Type"), d.get("Subtype")
        if key == "AF" or "AF" in d:
            for x in (doc.get(d, "AF") or []):
                if isinstance(x, Ref):
                    associated.add(x.num)
        if stream is not None:
            fl = doc.resolve(d.get("Filter"))
            for name in (fl if isinstance(fl, list) else ([fl] if fl else [])):
                if name not in FILTERS:
                    doc.fail("6.1.7.2-1", "a stream uses the filter %s" % name)
            if t == "EmbeddedFile" or key in ("F", "UF") and "Params" in d:
                if not (isinstance(s, Name) and re.fullmatch(r"[-\w+.]+/[-\w+.]+", s)):
                    doc.fail("6.8-1", "an embedded file has no MIME type (/Subtype %s)" % s)
            if s == "Image":
                if "Alternates" in d:
                    doc.fail("6.2.8-1", "an image has /Alternates")
                if "OPI" in d:
                    doc.fail("6.2.8-2", "an image has /OPI")
                if d.get("Interpolate") is True:
                    doc.fail("6.2.8-3", "an image has /Interpolate true")
                bpc = d.get("BitsPerComponent")
                if d.get("ImageMask") is True:
                    if bpc not in (None, 1):
                        doc.fail("6.2.8-5", "an image mask with /BitsPerComponent %s" % bpc)
                elif bpc not in (None, 1, 2, 4, 8, 16):
                    doc.fail("6.2.8-4", "an image with /BitsPerComponent %s" % bpc)
                if d.get("Intent") is not None and d.get("Intent") not in RENDERING_INTENTS:
                    doc.fail("6.2.6-1", "an image with /Intent %s" % d.get("Intent"))
            if s == "Form":
                if "OPI" in d or "PS" in d or d.get("Subtype2") == "PS":
                    doc.fail("6.2.9-1", "a form XObject has /OPI, /PS or /Subtype2 /PS")
                if "Ref" in d:
                    doc.fail("6.2.9-2", "a reference XObject")
            if s == "PS" and t == "XObject":
                doc.fail("6.2.9-3", "a PostScript XObject")
        if t == "Filespec" or (key in ("FS",) and "EF" in d) or ("EF" in d and "F" in d):
            if "EF" in d:
                embedded.append(d)
                if "F" not in d or "UF" not in d:
                    doc.fail("6.8-2", "an embedded file's specification lacks /F or /UF")
            if "AFRelationship" not in d:
                doc.fail("6.8-3", "a file specification has no /AFRelationship")
        if "TR" in d and ("Type" not in d or t == "ExtGState"):
            doc.fail("6.2.5-1", "an ExtGState has /TR")
        if "TR2" in d and d.get("TR2") != "Default":
            doc.fail("6.2.5-2", "an ExtGState has /TR2 other than /Default")
        if "HTP" in d:
            doc.fail("6.2.5-3", "an ExtGState has /HTP")
        if "HalftoneType" in d:
            if d.get("HalftoneType") not in (1, 5):
                doc.fail("6.2.5-4", "a halftone of type %s" % d.get("HalftoneType"))
            if "HalftoneName" in d:
                doc.fail("6.2.5-5", "a halftone with /HalftoneName")
        bm = d.get("BM")
        for b in (bm if isinstance(bm, list) else ([bm] if bm is not None else [])):
            if b not in BLEND_MODES:
                doc.fail("6.2.10-1", "blend mode %s" % b)
        if t == "ExtGState" and d.get("RI") is not None and d.get("RI") not in RENDERING_INTENTS:
            doc.fail("6.2.6-1", "an ExtGState with /RI %s" % d.get("RI"))
        if t == "Action" or key in ("A", "OpenAction", "Next") and "S" in d:
            if d.get("S") not in ACTIONS:
                doc.fail("6.5.1-1", "a %s action" % d.get("S"))
            if d.get("S") == "Named" and d.get("N") not in ("NextPage", "PrevPage", "FirstPage", "LastPage"):
                doc.fail("6.5.1-2", "the named action %s" % d.get("N"))
        if t == "Sig" and "Reference" in d:
            for r in doc.get(d, "Reference") or []:
                r = doc.resolve(r)
                if isinstance(r, dict) and r.get("TransformMethod") == "DocMDP" and \
                        any(k in r for k in ("DigestLocation", "DigestMethod", "DigestValue")):
                    doc.fail("6.1.12-2", "a DocMDP signature reference has digest keys")

    doc.walk(trailer.get("Root"), set(), visit)
    tree = doc.get(names, "EmbeddedFiles")
    leaves = []
    stack = [tree] if isinstance(tree, dict) else []
    while stack:
        n = stack.pop()
        leaves += (doc.get(n, "Names") or [])[1::2]
        stack += [doc.resolve(k) for k in doc.get(n, "Kids") or []]
    for leaf in leaves:
        if not isinstance(leaf, Ref) or leaf.num not in associated:
            doc.fail("6.8-4", "embedded file %s is not an associated file (no /AF refers to it)" % leaf)

    # pages: boxes, resources, annotations, content
    cc = ContentChecker(doc, out_cs)
    fonts_seen = set()
    pages = []

    def collect(node, inherited, seen):
        if isinstance(node, Ref):
            if node.num in seen:
                return
            seen.add(node.num)
        nd = doc.resolve(node)
        if not isinstance(nd, dict):
            return
        inh = dict(inherited)
        for k in ("Resources", "MediaBox", "CropBox"):
            if k in nd:
                inh[k] = nd[k]
        if nd.get("Type") == "Pages" or "Kids" in nd:
            for k in doc.get(nd, "Kids") or []:
                collect(k, inh, seen)
        else:
            pages.append((node, nd, inh))

    collect(root.get("Pages"), {}, set())
    for i, (ref, pg, inh) in enumerate(pages, 1):
        where = "page %d" % i
        for k in ("MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox"):
            box = doc.resolve(inh.get(k, pg.get(k)))
            if isinstance(box, list) and len(box) == 4:
                l, b, r, t = [doc.resolve(x) for x in box]
                if not (3 <= abs(t - b) <= 14400 and 3 <= abs(r - l) <= 14400):
                    doc.fail("6.1.13-11", "%s: /%s is %gx%g" % (where, k, abs(r - l), abs(t - b)))
        if "AA" in pg:
            doc.fail("6.5.2-2", "%s has /AA" % where)
        if "PresSteps" in pg:
            doc.fail("6.10-2", "%s has /PresSteps" % where)
        res = doc.resolve(inh.get("Resources"))
        if isinstance(res, dict):
            for fname, fref in (doc.get(res, "Font") or {}).items():
                key = fref.num if isinstance(fref, Ref) else id(fref)
                f = doc.resolve(fref)
                if key not in fonts_seen and isinstance(f, dict):
                    fonts_seen.add(key)
                    check_fonts(doc, f, fref)
        contents = doc.resolve(pg.get("Contents"))
        streams = contents if isinstance(contents, list) else ([pg.get("Contents")] if contents else [])
        body = b""
        for s in streams:
            s = doc.resolve(s)
            if isinstance(s, Stream):
                body += (doc.decode(s) or b"") + b"\n"
        if body.strip() and not isinstance(res, dict):
            doc.fail("6.2.2-2", "%s has content but no resources" % where)
        cc.run(body, res, where, isinstance(res, dict))
        for a in doc.get(pg, "Annots") or []:
            ad = doc.resolve(a)
            if isinstance(ad, dict):
                check_annot(doc, ad, "%s annotation %s" % (where, a))
                ap = doc.get(doc.get(ad, "AP"), "N")
                if isinstance(ap, Stream):
                    body = doc.decode(ap)
                    own = "Resources" in ap.dict
                    if body is not None:
                        cc.run(body, doc.get(ap.dict, "Resources"), "appearance of %s" % a, own)
    check_xmp(doc, root)


def main(argv):
    quiet = "--quiet" in argv
    files = [a for a in argv if a != "--quiet"]
    status = 0
    for path in files:
        try:
            data = open(path, "rb").read()
        except OSError as e:
            print("%s: cannot read: %s" % (path, e.strerror))
            status = max(status, 2)
            continue
        doc = Doc(path, data)
        try:
            check_document(doc)
        except (Fail, KeyError, IndexError, TypeError, ValueError, AttributeError, struct.error, zlib.error) as e:
            doc.fail("6.1", "the file cannot be read as PDF: %s: %s" % (type(e).__name__, e))
        seen = []
        for f in doc.fails:
            if f not in seen:
                seen.append(f)
        for f in seen:
            print("%s: %s" % (path, f))
        if seen:
            status = max(status, 1)
        elif not quiet:
            print("%s: PDF/A-3b rules hold" % path)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
