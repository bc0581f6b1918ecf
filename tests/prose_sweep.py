#!/usr/bin/env python3
"""The line breaks of the seeds' own prose at every width from 40 to 160 mm
(issue 27, points 4, 10 and 11), read back through poppler:

  khet typeset --width W of tests/fixtures/seeds-prose.txt (every Thai cell
  of ../shared/seeds, one paragraph each), W = 40..160 mm; the lines come
  from poppler's word boxes (pdftotext -bbox), the text from pdftotext.

Counted over all widths, for each line break between two Thai letters
(libthai through ctypes, as the line breaker's veto):
  in a word        a break where libthai sees no word boundary and the two
                   sides are not each a whole word of its dictionary
                   (การบู|รณาการ)                              must be 0
  compound split   a break where libthai sees no word boundary between two
                   words it knows (แลก|เปลี่ยน: ICU's dictionary splits what
                   libthai keeps as one word)                  at most 30
and for the whole text:
  lost hyphens     hyphens the text has and pdftotext does not give back
                   (poppler drops a hyphen it takes for a hyphenation)
                                                               must be 0
  time breaks      a line ending with the word before a time or a period
                   ("เวลา | 16.00 น.", "ภายใน | 3 เดือน") where the group
                   fits the line                               must be 0
  widths read back exactly (the text's words, footers aside).

    python3 tests/prose_sweep.py [--khet KHET] [--widths A-B] [--step MM] [--prose FILE]
Prints the counts (and the first findings); exit 1 when a target is missed.
Standard library, poppler-utils and libthai only."""
import argparse
import ctypes
import html
import os
import re
import subprocess
import sys
import tempfile

import pdftext  # (pdftotext from a copy without the glyph maps poppler decodes on every page)

THAI = re.compile("[\u0e01-\u0e4e]")
FOOTER = re.compile(r"^หน้า\s*[0-9๐-๙]+\s*/\s*[0-9๐-๙]+$")
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">(.*?)</word>')
# the units of a time or a period, as templates/reports/units.txt spells them
TIME_UNITS = ("น.", "นาฬิกา", "นาที", "ชั่วโมง", "วัน", "สัปดาห์", "เดือน", "ปี", "ไตรมาส")
NUMBER = re.compile(r"[0-9๐-๙][0-9๐-๙.,:]*")


def is_thai(ch):
    return "\u0e01" <= ch <= "\u0e4e"


class LibThai:
    def __init__(self):
        lt = ctypes.CDLL("libthai.so.0")
        lt.th_brk_new.restype = ctypes.c_void_p
        lt.th_brk_new.argtypes = [ctypes.c_char_p]
        lt.th_brk_wc_find_breaks.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p, ctypes.POINTER(ctypes.c_int),
                                             ctypes.c_size_t]
        self.lt, self.brk, self.memo = lt, lt.th_brk_new(None), {}

    def bounds(self, s):
        if s not in self.memo:
            pos = (ctypes.c_int * (len(s) + 1))()
            n = self.lt.th_brk_wc_find_breaks(self.brk, s, pos, len(s) + 1)
            self.memo[s] = {pos[i] for i in range(n)}
        return self.memo[s]

    def one_word(self, s):
        """s is a single word to libthai's dictionary (no boundary inside)."""
        return len(s) > 1 and not self.bounds(s)


def lines_of(pdf):
    """The lines of a PDF, top to bottom on each page: poppler's words set
    on the same baseline, joined by a space; footers left out."""
    out = pdftext.read(pdf, "-bbox")
    lines = []
    for page in out.split("<page ")[1:]:
        rows = {}
        for x0, y0, x1, y1, w in WORD.findall(page):
            rows.setdefault(round(float(y1), 0), []).append((float(x0), html.unescape(w)))
        for y in sorted(rows):
            text = " ".join(w for _, w in sorted(rows[y]))
            if not FOOTER.match(text):
                lines.append(text)
    return lines


def breaks_of(paragraphs, lines):
    """(paragraph index, character offset) of each line end inside a
    paragraph, aligned on the text without spaces; None when the lines do
    not give the paragraphs' text back (a lost or changed character)."""
    flat, where = [], []
    for p, text in enumerate(paragraphs):
        for i, ch in enumerate(text):
            if not ch.isspace():
                flat.append(ch)
                where.append((p, i))
    k, out = 0, []
    for line in lines:
        ink = "".join(line.split())
        if "".join(flat[k:k + len(ink)]) != ink:
            return None
        k += len(ink)
        if k < len(flat):
            (p, i), (q, _) = where[k - 1], where[k]
            if p == q:
                out.append((p, i + 1))
    return out if k == len(flat) else None


def time_group_break(text, i):
    """The break at i ends a line with a Thai word and the next starts with
    a number followed by a time or period unit: "เวลา | 16.00 น."."""
    before, after = text[:i].rstrip(), text[i:].lstrip()
    m = NUMBER.match(after)
    if not before or not is_thai(before[-1]) or not m:
        return False
    rest = after[m.end():].lstrip()
    unit = next((u for u in TIME_UNITS if rest.startswith(u)), None)
    # a unit as a word of its own: "3 เดือน", not "2563 วันที่"
    return unit is not None and (unit.endswith(".") or not rest[len(unit):len(unit) + 1] or
                                 not is_thai(rest[len(unit)]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--khet", default=os.environ.get("KHET", "build/khet"))
    ap.add_argument("--widths", default="40-160")
    ap.add_argument("--step", type=int, default=1)
    ap.add_argument("--prose", default="tests/fixtures/seeds-prose.txt")
    ap.add_argument("--max-compounds", type=int, default=30)
    a = ap.parse_args()
    lo, hi = (int(x) for x in a.widths.split("-"))
    with open(a.prose, encoding="utf-8") as f:
        paragraphs = [" ".join(p.split()) for p in f.read().split("\n\n") if p.strip()]
    want_hyphens = sum(p.count("-") for p in paragraphs)
    lt = LibThai()
    between = in_word = compound = lost = timebr = exact = 0
    shown = []
    with tempfile.TemporaryDirectory() as tmp:
        widths = range(lo, hi + 1, a.step)
        for w in widths:
            pdf = os.path.join(tmp, "w%d.pdf" % w)
            subprocess.run([a.khet, "typeset", "--in", a.prose, "--out", pdf, "--width", str(w)],
                           check=True, capture_output=True)
            text = pdftext.read(pdf)
            text = "\n".join(line for line in text.splitlines() if not FOOTER.match(line.strip()))
            lost += max(0, want_hyphens - text.count("-"))
            exact += "".join(text.split()) == "".join("".join(paragraphs).split())
            br = breaks_of(paragraphs, lines_of(pdf))
            if br is None:
                shown.append("%d mm: poppler's lines do not give the text back" % w)
                continue
            for p, i in br:
                t = paragraphs[p]
                if time_group_break(t, i):
                    timebr += 1
                    shown.append("%d mm: time break %s|%s" % (w, t[max(0, i - 12):i], t[i:i + 14]))
                if not (is_thai(t[i - 1]) and is_thai(t[i])):
                    continue
                between += 1
                # the run of Thai letters around the break, as libthai reads it
                s, e = i, i
                while s > 0 and is_thai(t[s - 1]):
                    s -= 1
                while e < len(t) and is_thai(t[e]):
                    e += 1
                b = sorted(lt.bounds(t[s:e]) | {0, e - s})
                if i - s in b:
                    continue
                left = max(x for x in b if x < i - s)
                right = min(x for x in b if x > i - s)
                word = t[s + left:s + right]
                cut = i - s - left
                if lt.one_word(word[:cut]) and lt.one_word(word[cut:]):
                    compound += 1
                    kind = "compound split"
                else:
                    in_word += 1
                    kind = "in a word"
                shown.append("%d mm: %s %s|%s" % (w, kind, word[:cut], word[cut:]))
    n = len(widths)
    print("prose sweep %d-%d mm (%d widths): %d breaks between Thai letters; %d in a word, %d compound splits; "
          "%d lost hyphens (of %d a width); %d time breaks; %d of %d widths read back exactly"
          % (lo, hi, n, between, in_word, compound, lost, want_hyphens, timebr, exact, n))
    for s in shown[:15]:
        print("  " + s)
    ok = in_word == 0 and compound <= a.max_compounds and lost == 0 and timebr == 0 and exact == n
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
