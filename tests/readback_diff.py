#!/usr/bin/env python3
"""Compares the text a viewer extracted from a `khet typeset` PDF with the
text that went in, item by item (an item: a space-separated word of the
input, or with --lines a line: the 52-item list, whose items hold spaces,
is set one item a paragraph). Prints "K M" (K of the M items not read back exactly) and up to 3
examples; exit 0 when K = 0. The page footers ("หน้า 3 / 13") are left out.
An item is read back when it stands whole among the extracted words, in
its place: a mark split off, two lines joined or a lost hyphen each make
the items around it differ.

    readback_diff.py [--lines] WANT.txt GOT.txt
    readback_diff.py --many [--lines] WANT.txt GOT.txt...
        one line per GOT (one python start for a set's three viewers):
        "K M<TAB>the first example", or "missing" when GOT does not exist;
        exit 0 when every K is 0
"""
import difflib
import re
import sys

FOOTER = re.compile(r"หน้า\s*[0-9๐-๙]+\s*/\s*[0-9๐-๙]+")


def words(path, lines):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = FOOTER.sub(" ", f.read())
    if lines:
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return text.split()


def compare(want, got):
    """(K, M, examples): K of the M wanted items not read back, up to 3 examples."""
    m = difflib.SequenceMatcher(None, want, got, autojunk=False)
    same = sum(b.size for b in m.get_matching_blocks())
    bad = len(want) - same
    shown = []
    if bad:
        for op, i1, i2, j1, j2 in m.get_opcodes():
            if op != "equal" and len(shown) < 3:
                shown.append("want %r got %r" % (" ".join(want[i1:i2][:4]), " ".join(got[j1:j2][:4])))
    return bad, len(want), shown


def main():
    args = sys.argv[1:]
    lines = "--lines" in args
    many = "--many" in args
    args = [a for a in args if a not in ("--lines", "--many")]
    want = words(args[0], lines)
    if many:
        failed = 0
        for path in args[1:]:
            try:
                got = words(path, lines)
            except FileNotFoundError:
                print("missing")
                failed = 1
                continue
            bad, n, shown = compare(want, got)
            print("%d %d\t%s" % (bad, n, shown[0] if shown else ""))
            failed |= bad != 0
        return 1 if failed else 0
    bad, n, shown = compare(want, words(args[1], lines))
    print(bad, n)
    for s in shown:
        print("  " + s)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
