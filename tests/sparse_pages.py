#!/usr/bin/env python3
"""No nearly empty pages (issue 20 point 11), read back from the word boxes
(pdftotext -bbox-layout, through tests/pdftext.py's cache), over whole
documents.

A page after the first is *sparse* when the body's words on it (not the
running header, footer, page number nor the draft mark) fill less than
FILL (15 %) of the body's frame, from the frame's top to the last word.
A page after the first that holds nothing but signer blocks, or nothing but
a line saying a section has nothing ("... ไม่มี", under a repeated table
header and a group heading), is flagged whatever its fill.
A document's last page under 40 % full after a page at least 80 % full
of the same paper is flagged too (a long table's last rows left alone: the
page before could have given it rows; a page turned from the one before,
the handout's portrait narrative after its landscape table, is not). Every sparse page is flagged but one that opens an appendix ("ภาคผนวก",
which starts a page of its own after the signatures), with why it is
empty: the page before had room for it (the room under the previous page's
last word is at least the sparse page's body), it holds only signer blocks
or only a line saying a section has nothing ("... ไม่มี"), or a table's last
row or two went over alone.

usage: sparse_pages.py [--list] PDF...
       sparse_pages.py --like MODERN.pdf OTHER.pdf ...  (pairs: OTHER's landscape pages run as MODERN's)
       sparse_pages.py --signed SHARE PDF...  (each page with signer blocks holds SHARE of its body above them)
Prints each flagged page and exits 1 when there is any; prints the number
of pages read on stderr. --list prints every page's fill instead.

--like: the same document in Thai digits takes its wide tables and charts on
as many landscape pages as the modern one, run for run (Thai digits are
wider: the landscape footer wrapped to two lines and nine figure columns
squeezed the wording, so the summary's table and chart took two landscape
pages, p2 45 % full, and the scorecards' criteria three, p3 52 %)."""
import re
import sys

from pdftext import pdftotext


FILL = 0.15
# a document's last page under END_FILL after a page nearly full (PREV_FULL): the end of a long table left
# alone ("3-5 rows, 25-35 %" of a scorecard's appendix) where the page before could have given it rows
END_FILL, PREV_FULL = 0.40, 0.80
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')


def pages(pdf):
    out = pdftotext(pdf, "-bbox-layout")  # the kind line_breaks.py reads: one run for both (tests/pdftext.py)
    for chunk in out.split("<page ")[1:]:
        h = float(re.search(r'height="([0-9.]+)"', chunk).group(1))
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(chunk)]
        # the body: below the running header and page number, above the draft line and footer
        yield h, [w for w in words if h * 0.07 < w[1] and w[3] < h * 0.88 and w[4] != "ร่าง"]


def lines_of(words):
    out = []
    for w in sorted(words, key=lambda w: (w[1], w[0])):
        if out and abs(out[-1][-1][1] - w[1]) < 3:
            out[-1].append(w)
        else:
            out.append([w])
    return [" ".join(x[4] for x in sorted(l)) for l in out]


def only_signers(words):
    ls = lines_of(words)
    return any("(ลงชื่อ)" in l for l in ls) and all(
        re.match(r"^(\(ลงชื่อ\)|\(|ตำแหน่ง|วันที่|ผู้|[.…]+)", l) or "(ลงชื่อ)" in l for l in ls)


def only_none(words):
    ls = lines_of(words)
    return 0 < len(ls) <= 3 and ls[-1].rstrip().endswith("ไม่มี")


def check(pdf, listing):
    bad, n, fills = [], 0, []
    prev_bottom, top, bottom = None, None, None
    name = pdf.rsplit("/", 1)[-1]
    for pno, (h, words) in enumerate(pages(pdf), 1):
        n += 1
        top, bottom = h * 0.07, h * 0.88
        frame = bottom - top
        if not words:
            fill, used = 0.0, 0.0
        else:
            first, last = min(w[1] for w in words), max(w[3] for w in words)
            used = last - first
            fill = (last - top) / frame
        if listing:
            print("%s p%d fill %.2f" % (name, pno, fill))
        ls = lines_of(words)
        if pno > 1 and (only_none(words) or only_signers(words)):
            bad.append("%s p%d holds only %s: %s" % (name, pno, "signer blocks" if only_signers(words) else
                                                     "a line saying there is nothing", " / ".join(ls)[:80]))
        elif pno > 1 and fill < FILL and not (ls and ls[0].startswith("ภาคผนวก")):
            room = bottom - prev_bottom if prev_bottom is not None else 0
            why = "the page before had room for it (%.0f pt, it needs %.0f)" % (room, used) if room >= used else \
                "it holds only signer blocks" if only_signers(words) else \
                "it holds only a line saying there is nothing" if only_none(words) else \
                "the end of what the page before holds went over alone"
            if why:
                bad.append("%s p%d is %.0f %% full: %s: %s" % (name, pno, 100 * fill, why,
                                                               " / ".join(lines_of(words))[:80]))
        prev_bottom = max(w[3] for w in words) if words else top
        fills.append((fill, ls[0] if ls else "", h))
    # (a last page turned from the page before, as the handout's portrait narrative after its landscape table:
    # the page before, of the other paper, has nothing of it to give)
    if len(fills) >= 2 and fills[-1][0] < END_FILL and fills[-2][0] >= PREV_FULL and \
            not fills[-1][1].startswith("ภาคผนวก") and abs(fills[-1][2] - fills[-2][2]) < 1:
        bad.append("%s p%d, its last, is %.0f %% full after a page %.0f %% full: the page before could give it rows"
                   % (name, len(fills), 100 * fills[-1][0], 100 * fills[-2][0]))
    return bad, n


def signed(pdf, share):
    """The pages with signer blocks whose own text above the first "(ลงชื่อ)" fills less than `share` of
    the body's frame: the signatures went over with a line or two of what they sign (the modern scorecard's
    p6, one bullet of its rules over the signers, 9 %; the page before had kept the rest, 73 % full)."""
    bad, seen = [], 0
    name = pdf.rsplit("/", 1)[-1]
    for pno, (h, words) in enumerate(pages(pdf), 1):
        signs = [w[1] for w in words if w[4] == "(ลงชื่อ)"]
        if not signs:
            continue
        seen += 1
        top, bottom = h * 0.07, h * 0.88
        above = [w for w in words if w[3] <= min(signs)]
        used = (max(w[3] for w in above) - top) / (bottom - top) if above else 0.0
        if used < share:
            bad.append("%s p%d: the signatures under %.0f %% of the page of what they sign: %s" % (
                name, pno, 100 * used, " / ".join(lines_of(above))[:80]))
    return bad, seen


def landscape_runs(pdf):
    """The lengths of the document's runs of landscape pages, in order."""
    runs, prev = [], False
    for h, words in pages(pdf):
        land = h < 700  # (A4: 595 pt tall on its side, 842 upright)
        if land:
            runs[-1:] = [runs[-1] + 1] if prev else runs[-1:] + [1]
        prev = land
    return runs


def like(pairs):
    bad = []
    for a, b in zip(pairs[::2], pairs[1::2]):
        ra, rb = landscape_runs(a), landscape_runs(b)
        if ra != rb:
            bad.append("%s: landscape pages in runs of %s, the modern document's %s" % (b, rb, ra))
    return bad


def main():
    if sys.argv[1:2] == ["--like"]:
        bad = like(sys.argv[2:])
        for b in bad:
            print(b)
        return 1 if bad or len(sys.argv) < 4 else 0
    if sys.argv[1:2] == ["--signed"]:
        bad, seen = [], 0
        for pdf in sys.argv[3:]:
            b, k = signed(pdf, float(sys.argv[2]))
            bad += b
            seen += k
        for b in bad:
            print(b)
        print("%d signature pages read" % seen, file=sys.stderr)
        return 1 if bad or not seen else 0
    listing = "--list" in sys.argv[1:]
    bad, n = [], 0
    for pdf in [a for a in sys.argv[1:] if a != "--list"]:
        b, k = check(pdf, listing)
        bad += b
        n += k
    for b in bad:
        print(b)
    print("%d pages read" % n, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
