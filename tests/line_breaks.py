#!/usr/bin/env python3
"""Line breaks an inspector would send back (issue 20 point 10), read back
from the PDFs' word boxes (pdftotext -bbox-layout): for every two lines one
under the other in a text block, the end of the upper line and the start of
the lower one must not split a group a Thai typist keeps together: a numeric
range ("4– / 7"), an operator and its operand ("≥ / 3"), a day, month and
year ("10 / ตุลาคม 2563", "เม.ย.– / ก.ย."), a time ("เวลา / 16.00 น."), or
a compound of the keep-together list ("ผู้ป่วย / ใน", "ลำดับ / ที่"); nor
a spaced range after its dash ("ต.ค. 2562 – / ก.ย. 2563"); nor a hospital
and its level in brackets ("รพ.กันตัง / (๖)").

usage: line_breaks.py KEEP_TOGETHER_FILE PDF...
Prints one line per bad break (file, page, the two sides) and exits 1 when
there is any; prints the number of line pairs checked on stderr."""
import re
import sys
import xml.etree.ElementTree as ET
from pdftext import pdftotext

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MONTHS = ("มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม "
          "พฤศจิกายน ธันวาคม ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.").split()
DASH = "–-"
OPS = "≥≤±<>=×÷"
NUM = re.compile(r"^[(]?[0-9][0-9,.]*%?$")


def lines_of(pdf):
    """(page, [(words of a line, box)...]) for every page of the PDF: the
    lines pdftotext finds, whichever block it put them in."""
    xml = pdftotext(pdf, "-bbox-layout")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(xml)
    for pno, page in enumerate(root.iter("page"), 1):
        ls = []
        for line in page.iter("line"):
            ws = [w for w in line.iter("word") if w.text]
            words = [w.text.translate(THAI_DIGITS) for w in ws]
            box = tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            if words and lone_dash(ws, box):
                words[0] = CELL_DASH
            if words:
                ls.append((words, box))
        yield pno, ls


CELL_DASH = "(–)"  # a table cell holding only "–" (no value): not a range's dash


def lone_dash(ws, box):
    """Whether the line's first word is a "–" standing alone as a table cell's
    text: the whole line, or apart from the next word by more than a space
    (poppler joins a row's cells into one line: "– 65.28", "– 1/1 100.00"),
    where a spaced range's dash ("4 – 7") is a space from its figure."""
    if ws[0].text != "–":
        return False
    if len(ws) == 1:
        return True
    gap = float(ws[1].get("xMin")) - float(ws[0].get("xMax"))
    return gap > 0.25 * (box[3] - box[1])  # a space is under a fifth of the line's height


def next_line(ls, i):
    """The line that continues line i: the nearest one below it (within two
    of its heights) that starts at its left edge or under it, in its column,
    or is centred under it (a centred table heading's next line may be wider)."""
    words, (x0, y0, x1, y1) = ls[i]
    h = y1 - y0
    best = None
    for j, (w, (a0, b0, a1, b1)) in enumerate(ls):
        # (or centred under it, as a table's heading cell: "ดึง / กลับ / (%)", the lower line wider)
        centred = abs((a0 + a1) - (x0 + x1)) <= 3 and a1 - a0 < 200
        if j == i or b0 <= y0 + h * 0.5 or b0 > y1 + h or (not centred and (a0 < x0 - 3 or a0 > x0 + 40 or a0 > x1)):
            continue
        if best is None or b0 < ls[best][1][1]:
            best = j
    return best


def split_pair(a, b, compounds):
    """Why ending a line with word a and starting the next with word b tears a group, or None."""
    if a[-1] in DASH and len(a) > 1 and (a[-2].isdigit() or a[-2] == "." or a[-2] in "AFMSP0123456789"):
        return "a range torn at its dash"
    if b[0] == "–" and a[-1:].isalnum():  # a hyphen-minus starts negative figures and bullets
        return "a range torn before its dash"
    if a in DASH and (b[:1].isdigit() or b in MONTHS):  # spaced: "ต.ค. 2562 – / ก.ย. 2563", "4 – / 7"
        return "a range torn after its dash"
    if a in OPS or a[-1] in OPS:
        return "an operator left at the line end"
    if b in OPS:  # "(z / > 1.00)", "๙.๓ / = ๓๐%" (not a signed figure: a table's "±0" under "+1")
        return "an operator starting a line"
    if a.startswith("รพ.") and re.match(r"^\([0-9]{1,2}(\)|,|;|$)", b):  # "รพ.กันตัง / (๖)", "(7 / ใหม่)"
        return "a hospital torn from its level"
    if a.endswith(("เวลา", "วันที่")) and NUM.match(b):
        return "a time or a date torn from the word introducing it"
    if NUM.match(a) and a.isdigit() and int(a) <= 31 and b in MONTHS:
        return "a day torn from its month"
    if a in MONTHS and b.isdigit() and len(b) in (2, 4):
        return "a month torn from its year"
    joined = a + b
    for c in compounds:
        i = joined.find(c)
        if i >= 0 and i < len(a) < i + len(c):
            return "the compound %s torn" % c
    return None


def main():
    compounds = [l.strip().replace(" ", "") for l in open(sys.argv[1], encoding="utf-8")
                 if l.strip() and not l.startswith("#")]
    compounds += ["ลำดับที่", "เขตสุขภาพที่", "ผู้ป่วยใน", "ผู้ป่วยนอก", "งบลงทุน"]  # the issue's own
    bad, pairs = 0, 0
    for pdf in sys.argv[2:]:
        for pno, ls in lines_of(pdf):
            for i in range(len(ls)):
                j = next_line(ls, i)
                if j is None:
                    continue
                up, down = ls[i][0], ls[j][0]
                pairs += 1
                why = split_pair(up[-1], down[0], compounds)
                if why:
                    bad += 1
                    print("%s p%d: %s: '%s / %s'" % (pdf.rsplit("/", 1)[-1], pno, why,
                                                    " ".join(up[-2:]), " ".join(down[:2])))
    print("%d line pairs checked" % pairs, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
