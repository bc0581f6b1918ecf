#!/usr/bin/env python3
"""Reads pdftotext -bbox-layout files and checks every page: the draft's
footer line ("ร่าง ยังไม่ได้ลงนามรับรอง ...") is there once, and no line of the
body reaches down past the middle of its box (poppler's boxes are about twice
the type size, so neighbouring lines' boxes touch even when their ink does not).
Prints "PAGES PROBLEMS" last; each problem on a line before it."""
import re
import sys

DRAFT = "ร่าง ยังไม่ได้ลงนามรับรอง"
LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)

pages = problems = 0
for path in sys.argv[1:]:
    doc = open(path, encoding="utf-8").read()
    for pm in re.finditer(r"<page [^>]*>(.*?)</page>", doc, re.S):
        lines = [(float(y0), float(y1), float(x0), float(x1), " ".join(re.findall(r">([^<]*)</word>", w)))
                 for x0, y0, x1, y1, w in LINE.findall(pm.group(1))]
        draft = [l for l in lines if l[4].startswith(DRAFT)]
        pages += 1
        if len(draft) != 1:
            problems += 1
            print(f"{path}: the draft line is on a page {len(draft)} times")
            continue
        d = draft[0]
        mid = (d[0] + d[1]) / 2  # poppler's boxes are twice the type size: compare with the middle
        for l in lines:
            below = (l[0] + l[1]) / 2 > mid  # the running footer, under the draft line
            if l is not d and not below and l[1] > mid and l[3] > d[2] and l[2] < d[3]:
                problems += 1
                print(f"{path}: {l[4][:40]!r} reaches the draft line")
print(pages, problems)
