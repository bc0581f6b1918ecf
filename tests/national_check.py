#!/usr/bin/env python3
"""Reads every document of the national test set back through poppler's word
boxes (pdftotext -bbox-layout) and checks what a Thai reader sees (issue 28):

- no line starts with a following vowel, a tone or a mark (ะ า ำ ๅ, ั ิ-ฺ,
  ็-๎), nor ends with a leading vowel (เ แ โ ใ ไ);
- no name of the data (a province's, a hospital's) is broken across lines
  except at its own spaces (with --lenient, a hospital's part wider than its
  column may break at a word boundary libthai sees, through ctypes);
- no province name is broken at all in a table column (a column is never
  narrower than the province names' longest word).

    python3 tests/national_check.py DATA_DIR FILE.pdf...
Prints each finding; exit 1 when there is any. Standard library only."""
import bisect
import csv
import ctypes
import os
import sys
import xml.etree.ElementTree as ET
from pdftext import pdftotext

FOLLOW = set("\u0e30\u0e32\u0e33\u0e45\u0e31") | {chr(c) for c in range(0x0E34, 0x0E3B)} | \
    {chr(c) for c in range(0x0E47, 0x0E4F)}
LEAD = {chr(c) for c in range(0x0E40, 0x0E45)}
DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
NS = "{http://www.w3.org/1999/xhtml}"
# every name part is taught to the line breaker and every name column is as wide as its longest part,
# so no part of a name is broken at all, not even between its known words (--lenient allows that)
STRICT = "--lenient" not in sys.argv


def libthai_bounds():
    """A function giving libthai's word boundaries in a string, or None."""
    try:
        lt = ctypes.CDLL("libthai.so.0")
    except OSError:
        return None
    lt.th_brk_new.restype = ctypes.c_void_p
    lt.th_brk_new.argtypes = [ctypes.c_char_p]
    lt.th_brk_wc_find_breaks.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p, ctypes.POINTER(ctypes.c_int),
                                         ctypes.c_size_t]
    brk = lt.th_brk_new(None)
    if not brk:
        return None

    def bounds(s):
        pos = (ctypes.c_int * (len(s) + 1))()
        n = lt.th_brk_wc_find_breaks(brk, s, pos, len(s) + 1)
        return {pos[i] for i in range(n)}
    return bounds


def lines_of(pdf):
    out = pdftotext(pdf, "-bbox-layout").encode("utf-8")  # (tests/pdftext.py: the run sparse_pages.py reads too)
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(NS + "page"):
        ls = []
        for line in page.iter(NS + "line"):
            words = [w.text or "" for w in line.iter(NS + "word")]
            if words:
                box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
                ls.append((box, [w.translate(DIGITS) for w in words]))
        pages.append(ls)
    return pages


def by_top(ls):
    """The page's line numbers by their top (yMin), then their order: the
    candidates for next_line in the order it takes the first that fits."""
    order = sorted(range(len(ls)), key=lambda j: (ls[j][0][1], j))
    return order, [ls[j][0][1] for j in order]


def next_line(ls, i, top=None):
    """The line set right under line i in its column (a paragraph's or a
    table cell's next line), or None: of the lines whose top is below i's
    by less than 1.6 of its height and that overlap it by half the narrower
    one, the highest (the first on the page of equals). TOP: by_top(ls),
    made once a page (the lines below i are then found by bisection, not
    by a walk over the whole page for every line)."""
    (x0, y0, x1, y1), _ = ls[i]
    h = y1 - y0
    order, tops = top or by_top(ls)
    for k in range(bisect.bisect_right(tops, y0), len(order)):
        j = order[k]
        a0, b0, a1, b1 = ls[j][0]
        if not b0 - y0 < 1.6 * h:
            break
        if j != i and b0 - y0 > 0 and min(x1, a1) - max(x0, a0) >= 0.5 * min(x1 - x0, a1 - a0):
            return j
    return None


def main(data, pdfs):
    names = []
    for f, kind in (("provinces.csv", "province"), ("hospitals.csv", "hospital")):
        with open(os.path.join(data, f), encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                for part in r["name_th"].translate(DIGITS).split():
                    if len(part) > 6:
                        names.append((part, kind))
    bounds = libthai_bounds()
    every = "\0".join(part for part, _ in names)  # (one search first: most joins are in no name)
    findings = 0
    for pdf in pdfs:
        for pno, ls in enumerate(lines_of(pdf), 1):
            top = by_top(ls)
            for i, (_, words) in enumerate(ls):
                text = " ".join(words)
                where = "%s page %d" % (os.path.basename(pdf), pno)
                if text[0] in FOLLOW:
                    print("%s: a line starts with a following vowel or mark: %s" % (where, text))
                    findings += 1
                if text[-1] in LEAD:
                    print("%s: a line ends with a leading vowel: %s" % (where, text))
                    findings += 1
                j = next_line(ls, i, top)
                if j is None:
                    continue
                a, b = words[-1], ls[j][1][0]
                if not any("\u0e01" <= ch <= "\u0e4e" for ch in a) or not any("\u0e01" <= ch <= "\u0e4e" for ch in b):
                    continue  # figures in cells one above the other
                s = a + b
                if every.find(s) < 0:
                    continue
                for part, kind in names:
                    k = part.find(s)
                    if k < 0:
                        continue
                    cut = k + len(a)
                    if kind == "hospital" and bounds and cut in bounds(part) and STRICT is False:
                        continue  # a part wider than its column, cut between known words
                    if part[:cut].endswith("โรงพยาบาล"):
                        continue  # "โรงพยาบาล | ขอนแก่น": the common word, then the name (or a text above a label)
                    print("%s: the %s name %s is broken: %s | %s" % (where, kind, part, a, b))
                    findings += 1
                    break
    return 1 if findings else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--lenient"]
    sys.exit(main(args[0], args[1:]))
