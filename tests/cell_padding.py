#!/usr/bin/env python3
"""The room between a table cell's text and its rules, read from the PDF:
the rules are the vertical lines a page's content stream strokes (m/l/S at
the tables' 0.5 pt width, read with tests/pdfa_cos.py, the CTM applied), the
text is pdftotext's word boxes (the glyphs' advances). A word whose middle
lies between two such rules is in a cell; its gap on each side is the
distance from its box to the nearest rule on that side.

    python3 tests/cell_padding.py [--min PT] [--pages A-B] PDF...

prints, for each PDF, "PDF: least gap G pt (word W, page P); N words in
cells" and, with --min, each word closer than PT to a rule; exits 1 when
one is (or when a PDF has no word in a cell: nothing was measured).
Standard library only."""
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from pdfa_cos import Doc, content_ops  # noqa: E402
from pdftext import pdftotext  # noqa: E402

RULE = 0.5  # the tables' rules (layout_table_draw.c); chart axes and bars are drawn otherwise
W = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')


def mul(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def vertical_rules(path):
    """Per page: [(x, top, bottom)] in pdftotext's coordinates (y down)."""
    doc = Doc(path, open(path, "rb").read())
    doc.read_structure()
    pages = []

    def collect(n, box):
        nd = doc.resolve(n)
        box = doc.resolve(nd.get("MediaBox")) or box
        if "Kids" in nd:
            for k in doc.get(nd, "Kids") or []:
                collect(k, box)
        else:
            pages.append((nd, box))

    collect(doc.resolve(doc.trailers[0].get("Root")).get("Pages"), None)
    out = []
    for pg, box in pages:
        h = float(doc.resolve(box[3]))
        c = doc.resolve(pg.get("Contents"))
        rules, ctm, stack, width, path_ = [], [1, 0, 0, 1, 0, 0], [], 1.0, []
        for s in c if isinstance(c, list) else [c]:
            for op, a in content_ops(doc, doc.decode(doc.resolve(s)) or b""):
                if op == "q":
                    stack.append((ctm, width))
                elif op == "Q" and stack:
                    ctm, width = stack.pop()
                elif op == "cm" and len(a) == 6:
                    ctm = mul([float(v) for v in a], ctm)
                elif op == "w" and a:
                    width = float(a[0])
                elif op in ("m", "l") and len(a) == 2:
                    x, y = float(a[0]), float(a[1])
                    p = (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])
                    if op == "l" and path_:
                        path_[-1].append(p)
                    else:
                        path_.append([p])
                elif op in ("S", "s"):
                    if abs(width - RULE) < 0.01:
                        for sub in path_:
                            for (x0, y0), (x1, y1) in zip(sub, sub[1:]):
                                if abs(x0 - x1) < 0.01 and abs(y0 - y1) > 1:
                                    rules.append((x0, h - max(y0, y1), h - min(y0, y1)))
                    path_ = []
                elif op in ("n", "f", "F", "f*", "B", "B*", "b", "b*"):
                    path_ = []
        out.append(rules)
    return out


def main(argv):
    least_ok, first, last, files = None, 1, 10 ** 6, []
    it = iter(argv)
    for a in it:
        if a == "--min":
            least_ok = float(next(it))
        elif a == "--pages":
            lo, _, hi = next(it).partition("-")
            first, last = int(lo), int(hi or lo)
        else:
            files.append(a)
    status = 0
    for pdf in files:
        rules = vertical_rules(pdf)
        least, words = None, 0
        for n, (page, vs) in enumerate(zip(pdftotext(pdf, "-bbox").split("<page ")[1:], rules), 1):
            if not first <= n <= last:
                continue
            for x0, y0, x1, y1, t in W.findall(page):
                x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)
                ym = (y0 + y1) / 2
                xm = (x0 + x1) / 2
                left = [x0 - x for x, top, bot in vs if top <= ym <= bot and x <= xm]
                right = [x - x1 for x, top, bot in vs if top <= ym <= bot and x >= xm]
                if not left or not right:
                    continue
                words += 1
                gap = min(min(left), min(right))
                if least is None or gap < least[0]:
                    least = (gap, t, n)
                if least_ok is not None and gap < least_ok - 0.005:
                    print("%s: page %d: '%s' %.2f pt from a rule (left %.2f, right %.2f)" % (
                        pdf, n, t, gap, min(left), min(right)))
                    status = 1
        if least is None:
            print("%s: no word in a table cell" % pdf)
            status = 1
        else:
            print("%s: least gap %.2f pt (word %s, page %d); %d words in cells" % (pdf, least[0], least[1], least[2], words))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
