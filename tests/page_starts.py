#!/usr/bin/env python3
"""A page-start check over whole documents (issue 20 point 7): no page opens
with a continuation that is not marked. Read back from the word boxes
(pdftotext -bbox): on every page after the first whose body opens with a
table header repeated from the page before (the same words at the same x),
the first line under that header starts a new row (a word in the first
column) or says "(ต่อ)"; the page does not go on with the text of a cell
spanning rows that its first rows mark "(ต่อ)" (the KPI report's indicator),
but from a table that began low on the page before (began_low);
and the page before does not end with a group heading (set again here with
"(ต่อ)") over one short row of its group.

usage: page_starts.py PDF...
       page_starts.py --overprint PDF...  (no two words of any page overprint: a chart's labels)
       page_starts.py --footers PDF...  (no two words of a page's foot overprint each other, and
                                         the running footer at one size on every page)
       page_starts.py --with-overprint PDF...  (the page starts and --overprint in one run: its
                                         lines prefixed "overprint: "; exits 4 for a bad page start,
                                         8 for an overprint, 12 for both)
Prints each bad page start and exits 1 when there is any; prints the number
of continued tables checked on stderr."""
import re
import sys
from pdftext import pdftotext

NUMBERED = re.compile(r"^[0-9๐-๙][0-9๐-๙.,]*$")
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')


def all_pages(pdf):
    """Every page's words (x0, y0, x1, y1, text), with its height and shorter side."""
    out = pdftotext(pdf, "-bbox")
    for chunk in out.split("<page ")[1:]:
        h = float(re.search(r'height="([0-9.]+)"', chunk).group(1))
        w = float(re.search(r'width="([0-9.]+)"', chunk).group(1))
        yield h, min(w, h), [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(chunk)]


def pages(pdf, turns=None, dims=None):
    for h, m, words in all_pages(pdf):
        if turns is not None:
            turns.append(h > m)  # portrait
        if dims is not None:
            dims.append((h, m))
        # the body: not the running header, footer or page number (the outer 7 % and 12 % of the shorter
        # side: the margins are the same on a turned page), nor the draft mark
        # (by the middle of its box: a heading set at the top of a modern landscape page reaches above the 7 %)
        yield [w for w in words if m * 0.07 < (w[1] + w[3]) / 2 and w[1] < h - m * 0.12 and w[4] != "ร่าง"]


def footer_overlaps(pdf, whole=False):
    """The pages whose foot (the draft line, the running footer, the page
    number: the last 12 % of the shorter side; whole: anywhere on the page,
    a chart's labels too) has two words overprinting each other: boxes that
    share more than 1 pt across and a third of the smaller height down."""
    bad = []
    for pno, (h, m, words) in enumerate(all_pages(pdf), 1):
        # (the boxed draft mark "ร่าง" in the top margin is left out: its word box, 2 em tall, reaches
        # below the box its ink is drawn in, clear of the body)
        foot = sorted(w for w in words if (whole and not (w[4] == "ร่าง" and w[1] < m * 0.12)) or
                      w[1] >= h - m * 0.12)
        for i, a in enumerate(foot):
            for b in foot[i + 1:]:
                if b[0] >= a[2]:
                    break
                if min(a[2], b[2]) - b[0] > 1 and \
                        min(a[3], b[3]) - max(a[1], b[1]) > min(a[3] - a[1], b[3] - b[1]) / 3:
                    bad.append("%s p%d: '%s' overprints '%s' at the foot" % (pdf.rsplit("/", 1)[-1], pno, a[4], b[4]))
    return bad


def footer_sizes(pdf):
    """The pages whose running footer is set smaller than the document's own
    footer size (issue 20: a long footer shrank to about 8.4 pt on portrait
    pages): the foot's words (the last 12 % of the shorter side, not the
    draft line) all as tall as the tallest of them in the document (2 %), and
    that as tall as the draft line's words by 12 to 11 (the footer is 12 pt,
    the draft line 11 pt)."""
    feet, draft = [], 0.0
    for pno, (h, m, words) in enumerate(all_pages(pdf), 1):
        # the draft line: the line opening "ร่าง ยังไม่ได้ลงนามรับรอง ..." above the footer
        dl = [w for w in words if w[4] == "ยังไม่ได้ลงนามรับรอง" and w[1] >= h - m * 0.25]
        dy = [(w[1], w[3]) for w in dl]
        draft = max([draft] + [w[3] - w[1] for w in dl])
        feet += [(pno, w) for w in words if w[1] >= h - m * 0.12 and not any(abs(w[3] - b) < 1 for a, b in dy)]
    if not feet:
        return []
    top = max(w[3] - w[1] for p, w in feet)
    name = pdf.rsplit("/", 1)[-1]
    bad = ["%s p%d: footer word '%s' is %.1f tall, the footer's size %.1f" % (name, p, w[4], w[3] - w[1], top)
           for p, w in feet if w[3] - w[1] < 0.98 * top]
    if draft and top < 0.98 * draft * 12 / 11:
        bad.append("%s: the footer (%.1f) is no larger than the draft line (%.1f)" % (name, top, draft))
    return bad[:3]  # the first pages say enough


def lines(words):
    """The words in lines, top to bottom (a line: words whose boxes overlap the
    first word's by half the smaller height; "(ต่อ)" is set smaller)."""
    out = []
    for w in sorted(words, key=lambda w: (w[1], w[0])):
        if out:
            f = out[-1][0]
            if min(f[3], w[3]) - max(f[1], w[1]) > 0.5 * min(f[3] - f[1], w[3] - w[1]):
                out[-1].append(w)
                continue
        out.append([w])
    return out


def text_line(line):
    """Whether a line is running text (not a table row): its words follow
    one another at word spacing, no column gap between them."""
    ws = sorted(line)
    return len(ws) >= 2 and all(b[0] - a[2] < 14 for a, b in zip(ws, ws[1:]))


def mid_paragraph(prev, words):
    """Whether the page of `words` opens inside the paragraph that ends the
    page before: that page's last line is running text that fills the
    measure (the paragraph wrapped on), and this page's first line starts
    where it started, in the same type size, with no bullet, number or
    "(ต่อ)" opening a new paragraph, heading or row."""
    lp, ln = lines(prev), lines(words)
    if not lp or not ln:
        return None
    z, f = sorted(lp[-1]), sorted(ln[0])
    right = max(w[2] for l in lp if text_line(l) for w in l) if any(text_line(l) for l in lp) else 0
    hz, hf = z[0][3] - z[0][1], f[0][3] - f[0][1]
    if not (text_line(lp[-1]) and z[-1][2] >= right - 0.15 * (right - z[0][0]) and abs(f[0][0] - z[0][0]) < 3
            and abs(hz - hf) < 0.15 * hz):
        return None
    first = f[0][4]
    if first[:1] in "•-–" or re.match(r"^[0-9๐-๙]+[.)]$", first) or \
            any(w[4] == "(ต่อ)" for w in f):
        return None
    return " ".join(w[4] for w in f)[:60]


def table_row(line):
    """Whether a line is a table row: two words or more, some of them a
    column gap apart (not running text)."""
    return len(line) >= 2 and not text_line(line)


def lone_note(prev, words):
    """Whether the page of `words` opens with the note of the table that
    ends the page before (issue 20: a table's note went over alone, without
    a row of its table): that page's last line is a table row, and this
    page's first line is running text no taller than that row's words (a
    note, not a heading: headings are set larger) and not a table row."""
    lp, ln = lines(prev), lines(words)
    if not lp or not ln or not table_row(lp[-1]):
        return None
    f = ln[0]
    # (a note starts at the body's left edge, as the table does: a chart's centred title is no note)
    if min(w[0] for w in f) > min(w[0] for w in prev) + 10:
        return None
    row_h = max(w[3] - w[1] for w in lp[-1])
    if table_row(f) or len(ln) > 1 and table_row(ln[1]) or max(w[3] - w[1] for w in f) > 1.05 * row_h:
        return None
    # (a single word opening a line is running text too: a note's first line holds words, not a cell's figure)
    if len(f) == 1 and (NUMBERED.match(f[0][4]) or f[0][2] - f[0][0] < 60):
        return None
    return " ".join(w[4] for w in sorted(f))[:60]


def alone(line, w):
    """Whether word w of a line stands alone in its cell: no word ends
    within word spacing to its left."""
    return not any(0 <= w[0] - o[2] < 14 for o in line if o is not w)


def carried_span(ls, head):
    """A text spanning rows carried on from the page before (issue 20 point
    7: the KPI report's indicator, its last line "ประสิทธิภาพ" on p4 under
    "(ต่อ)"): the page's first lines under its header mark the cells a span
    carried over with "(ต่อ)" standing alone in its cell, on the group
    headings set again; the first line after those (the first row of the
    page) has a word in such a cell. The words, or None."""
    # (not the "(ต่อ)" of a group heading set again that wrapped onto a line of its own, under the heading's
    # text at the same left edge, a heading line without its mark: a narrow portrait column)
    marks = [w[0] for j in range(head, min(head + 3, len(ls))) for w in ls[j] if w[4] == "(ต่อ)" and alone(ls[j], w)
             and not (len(ls[j]) == 1 and j > 0 and abs(min(ls[j - 1])[0] - w[0]) < 3
                      and not any(o[4] == "(ต่อ)" for o in ls[j - 1]))]
    if not marks:
        return None
    k = head
    while k < len(ls) and any(w[4] == "(ต่อ)" for w in ls[k]):
        k += 1
    if k >= len(ls):
        return None
    hit = [w[4] for w in sorted(ls[k]) if any(abs(w[0] - x) < 3 for x in marks)]
    return " ".join(hit) if hit else None


def began_low(prev, header, dim):
    """Whether the table whose header line (its words) opens this page
    began on the page before under more than BEGAN_LOW of its body: there a
    text spanning its first rows may go on to this page, under the "(ต่อ)"
    of its group heading set again, rather than take the table and its
    heading to a page of their own (layout_table.c lead_height, FULL_ENOUGH:
    the official KPI report's section 3 left p3 52 % full)."""
    h, m = dim
    top, bottom = m * 0.07, h - m * 0.12
    key = {(w[4], round(w[0])) for w in header}
    ys = [w[1] for w in prev if (w[4], round(w[0])) in key]
    return bool(ys) and any(w[3] < min(ys) for w in prev) and (min(ys) - top) / (bottom - top) < BEGAN_LOW


BEGAN_LOW = 0.7

ROW = re.compile(r"^[0-9๐-๙]")


def short_group(prev, words):
    """A group heading left at the foot of the page before with one row of
    its group (issue 20 point 11; official KPI report p16, "ระดับ F1 ..."
    over one hospital; criterion 9 over 9.1): this page sets the heading
    again ("... (ต่อ)"), and under the heading's own line on the page before
    one row starts (a line opening with a number where the group's first
    row does) and it holds fewer than 3 lines (a narrative under its
    heading is no stray row). The heading's words, or None."""
    lp = lines(prev)
    for l in lines(words)[:6]:
        ws = sorted(l)
        if not any(w[4] == "(ต่อ)" and not alone(l, w) for w in ws):
            continue
        text = [w for w in ws if w[4] != "(ต่อ)"]
        key = [(w[4], round(w[0])) for w in text]
        for i, pl in enumerate(lp):
            if [(w[4], round(w[0])) for w in sorted(pl)] != key:
                continue
            below = lp[i + 1:]
            starts = [j for j, b in enumerate(below) if ROW.match(min(b)[4])]
            if not starts:
                continue
            x = min(below[starts[0]])[0]
            rows = [j for j in starts if abs(min(below[j])[0] - x) < 10]
            if len(rows) == 1 and len(below) - rows[0] < 3:
                return " ".join(w[4] for w in text)[:60]
    return None


def check(pdf):
    bad, checked = [], 0
    prev, turns, dims = None, [], []
    for pno, words in enumerate(pages(pdf, turns, dims), 1):
        # (a document turns its pages only between blocks: no paragraph goes on across a turn)
        turned = pno > 1 and turns[-1] != turns[-2]
        frag = mid_paragraph(prev, words) if prev is not None and not turned else None
        if frag:
            bad.append("%s p%d opens in the middle of a paragraph: '%s'" % (pdf.rsplit("/", 1)[-1], pno, frag))
        note = lone_note(prev, words) if prev is not None and not turned and not frag else None
        if note:
            bad.append("%s p%d opens with the note of the table ending the page before, alone: '%s'"
                       % (pdf.rsplit("/", 1)[-1], pno, note))
        if prev is not None and words:
            seen = {(w[4], round(w[0])) for w in prev}
            ls = lines(words)
            head = 0
            # (a line under the header that opens at the table's left edge with a number or code is a row,
            # even when each of its words stood at the same place on the page before: "3 11011
            # โรงพยาบาลภูหลวง F3 ..."; a header's own numbers, "ไตรมาส" over "1 2 3 4", stand right of it)
            edge = min(w[0] for w in ls[0]) if ls else 0
            # (a group heading repeated under the header with "(ต่อ)" is the marked start, even where the page
            # before opened with the same repeated heading)
            while head < len(ls) and not (head and NUMBERED.match(min(ls[head])[4]) and min(ls[head])[0] <= edge + 8) \
                    and not (head and any(w[4] == "(ต่อ)" for w in ls[head])) \
                    and (all((w[4], round(w[0])) in seen for w in ls[head]) and len(ls[head]) > 1 or
                         (head and all((w[4], round(w[0])) in seen for w in ls[head]))):
                head += 1
            if head == 0 and ls and table_row(ls[0]) and len(ls) > 1 and table_row(ls[1]):
                # a table opening the page neither repeats the header of one on the page before nor stands under
                # a heading: an untitled fragment (the official summary's results rows opened a page alone)
                bad.append("%s p%d opens with a table without a heading or a repeated header: '%s'" % (
                    pdf.rsplit("/", 1)[-1], pno, " ".join(w[4] for w in sorted(ls[0]))[:60]))
            span = carried_span(ls, head) if 0 < head < len(ls) else None
            if span and began_low(prev, ls[0], dims[-2]):
                span = None
            if span:
                bad.append("%s p%d goes on with the text of a cell spanning rows from the page before: '%s'"
                           % (pdf.rsplit("/", 1)[-1], pno, span[:60]))
            group = short_group(prev, words) if 0 < head < len(ls) else None
            if group:
                bad.append("%s p%d: the group heading '%s' ends the page before with one row of its group"
                           % (pdf.rsplit("/", 1)[-1], pno - 1, group))
            if 0 < head < len(ls):
                checked += 1
                left = min(w[0] for l in ls[:head] for w in l)
                first = ls[head]
                if not (min(w[0] for w in first) <= left + 8 or any(w[4] == "(ต่อ)" for w in first)):
                    bad.append("%s p%d opens its table with '%s'" % (pdf.rsplit("/", 1)[-1], pno,
                                                                     " ".join(w[4] for w in first)[:60]))
        prev = words
    return bad, checked


def main():
    if sys.argv[1:2] == ["--overprint"]:
        bad = [b.replace(" at the foot", "") for pdf in sys.argv[2:] for b in footer_overlaps(pdf, True)]
        for b in bad:
            print(b)
        return 1 if bad else 0
    if sys.argv[1:2] == ["--footers"]:
        bad = [b for pdf in sys.argv[2:] for b in footer_overlaps(pdf) + footer_sizes(pdf)]
        for b in bad:
            print(b)
        return 1 if bad else 0
    both = sys.argv[1:2] == ["--with-overprint"]
    pdfs = sys.argv[2:] if both else sys.argv[1:]
    bad, checked = [], 0
    for pdf in pdfs:
        b, n = check(pdf)
        bad += b
        checked += n
    for b in bad:
        print(b)
    print("%d continued tables checked" % checked, file=sys.stderr)
    if not both:
        return 1 if bad else 0
    over = [b.replace(" at the foot", "") for pdf in pdfs for b in footer_overlaps(pdf, True)]
    for b in over:
        print("overprint: " + b)
    return (4 if bad else 0) | (8 if over else 0)


if __name__ == "__main__":
    sys.exit(main())
