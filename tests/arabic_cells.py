#!/usr/bin/env python3
"""Risk levels keep their Arabic digits in a Thai-digit document (issue 20
point 12), in tables too (a cell's LAYOUT_ARABIC): read back from the word
boxes (pdftotext -bbox, through tests/pdftext.py's cache).

usage: arabic_cells.py HANDOUT.pdf
The handout appendix's crisis table: the cells under "เดือนก่อน" and
"เดือนนี้" (a hospital's risk level last month and this month) are Arabic
digits, as the text's "ระดับ 7", while the ratios beside them (under "CR")
are in the document's Thai digits. Prints "ok" or what is wrong, one line."""
import re
import sys

from pdftext import pdftotext

WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
THAI_DIGIT = re.compile("[๐-๙]")


def pages(pdf):
    for chunk in pdftotext(pdf, "-bbox").split("<page ")[1:]:
        yield [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(chunk)]


def column(words, head, below):
    """The words under the header word `head` (x-centres within its box
    widened by 6 pt), from y `below` on, in reading order."""
    hx0, hx1 = head[0] - 6, head[2] + 6
    return [w for w in words if w[1] > below and hx0 <= (w[0] + w[2]) / 2 <= hx1]


def crisis(pdf):
    for words in pages(pdf):
        if not any(w[4] == "ภาคผนวก" for w in words):
            continue
        heads = {w[4]: w for w in words if w[4] in ("เดือนนี้", "CR")}
        if len(heads) < 2:
            return "no crisis table under the appendix heading"
        # the header row's last line: below it the rows ("เดือน / ก่อน" takes two lines)
        top = max(w[3] for w in words if abs(w[1] - heads["เดือนนี้"][1]) < 3 or w[4] == "ก่อน")
        if not any(w[4] in ("เดือนก่อน", "ก่อน") and w[1] < top for w in words):
            return "no column 'เดือนก่อน' in the crisis table"
        # the rows: as far as the last word in the column of the ratios
        ratios = [w for w in column(words, heads["CR"], top) if re.search(r"[0-9๐-๙]", w[4])]
        if not ratios:
            return "no rows under the crisis table's header"
        bottom = max(w[3] for w in ratios)
        now = [w for w in column(words, heads["เดือนนี้"], top) if w[3] <= bottom + 1]
        before = [w for w in words if w[4] in ("เดือนก่อน", "ก่อน") and w[1] < top]
        cols = now + (column(words, before[0], top) if before else [])
        cols = [w for w in cols if w[3] <= bottom + 1]
        bad = [w[4] for w in cols if not re.fullmatch(r"[0-9]|-", w[4])]
        if not now or bad:
            return "risk level cells not in Arabic digits: %s (of %d)" % (bad[:6], len(cols))
        if not all(THAI_DIGIT.search(w[4]) for w in ratios):
            return "the ratios beside them not in Thai digits: %s" % [w[4] for w in ratios][:4]
        return "ok"
    return "no appendix page"


def main():
    print(crisis(sys.argv[1]))


if __name__ == "__main__":
    main()
