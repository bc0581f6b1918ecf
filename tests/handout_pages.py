#!/usr/bin/env python3
"""The monthly handout a chief acts on in two minutes (issue 20 point 16):
its own content on pages 1-2, the rest in an appendix after it. Read back
per page with pdftotext (text) and pdftotext -bbox (type sizes).

usage: handout_pages.py DATA_DIR PDF [--official]
Checks, for the handout of DATA_DIR's region 12 September 2563:
- pages 1-2 hold the province table with its region total row and
  denominators ("40/53"), the same month last year, the changes in words,
  every issue meeting.csv puts to that month's meeting, the hospitals in
  crisis named in words, and who prepared it with phone and e-mail;
- the table's note under the table on page 1; page 1 landscape, page 2
  portrait (narrative);
- the document has more pages only as an appendix: page 3 opens with
  "ภาคผนวก" (the crisis table and the CMI chart);
- the hospitals in crisis in words under a heading of their own, as the
  meeting's points are; the appendix's two risk levels under one heading
  "ระดับความเสี่ยง", beside the hospital's level headed "ระดับ รพ.";
- with --official: no word of pages 1-2's body is smaller than tables' 14
  pt (against the 16 pt page number "- ๒ -").
Prints "ok" or what is wrong, one line. Each kind of text (plain, -layout,
-bbox) is one pdftotext run over the whole document, cut into its pages at
the form feeds (tests/pdftext.py: kept, and shared with the CLI file's own
reads of the same document)."""
import csv
import re
import subprocess
import sys

from pdftext import pdftotext

THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')


def pages(pdf, kind=""):
    """The text of each page, as `pdftotext [KIND] -f P -l P PDF -` gives it."""
    return [t + "\f" for t in pdftotext(pdf, kind).split("\f")[:-1]]


def main():
    data, pdf = sys.argv[1], sys.argv[2]
    official = "--official" in sys.argv[3:]
    text = pages(pdf)
    n = len(text)

    def page_text(pdf, p):
        return text[p - 1].translate(THAI)

    bad = []
    p12 = page_text(pdf, 1) + page_text(pdf, 2)
    flat = " ".join(p12.split())
    want = ["รวมเขตสุขภาพที่ 12", "เดือนเดียวกันปีก่อน", "การเปลี่ยนแปลงที่สำคัญ:", "ประเด็นเสนอที่ประชุม",
            "โรงพยาบาลที่ประสบวิกฤตทางการเงิน (ระดับ 6–7) ระดับ 7 มี", "ผู้จัดทำ:"]
    for r in csv.DictReader(open(data + "/contacts.csv", encoding="utf-8")):
        if r["region"] == "12" and r["document"] == "monthly":
            want += [r["name"], r["phone"], r["email"]]
    for r in csv.DictReader(open(data + "/meeting.csv", encoding="utf-8")):
        if r["region"] == "12" and r["month"] == "2563-09":
            want.append(r["issue"][:9])  # its first letters: the cell may wrap after them ("การบันทึก|ข้อมูล")
    tight = "".join(p12.split())  # a narrow (portrait) cell wraps a word's letters onto the next line
    for w in want:
        if w not in flat and w.replace(" ", "") not in tight:
            bad.append("pages 1-2 lack %r" % w)
    # the note on what the table leaves out (no grades, or another region's in the appendix) stands under
    # the table on page 1, not alone at the head of page 2
    p1 = " ".join(page_text(pdf, 1).split())
    for note in ("ไม่แสดงร้อยละคะแนนและระดับ", "ร้อยละคะแนนและระดับตามเกณฑ์ของเขตสุขภาพที่"):
        if note in flat and note not in p1:
            bad.append("the table's note %r is not on page 1" % note)
    # page 1 landscape (the wide table), page 2 portrait (the meeting's points, the crisis in words, the
    # preparer: narrative)
    sizes = re.findall(r"Page +\d+ size: +([0-9.]+) x ([0-9.]+)", subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "2", pdf], capture_output=True, text=True).stdout)
    turn = "".join("L" if float(w) > float(h) else "P" for w, h in sizes)
    if turn != "LP":
        bad.append("pages 1-2 are %s, not landscape then portrait" % turn)
    # the region row with its denominators: "รวมเขตสุขภาพที่ 12 40/53 75.47"
    if not re.search(r"รวมเขตสุขภาพที่ 12 \d+/\d+ \d+\.\d\d", " ".join(
            "".join(pages(pdf, "-layout")[:2]).translate(THAI).split())):
        bad.append("no region total row with its denominators on pages 1-2")
    for p in range(3, n + 1):
        body = [l for l in page_text(pdf, p).splitlines() if l.strip()]
        body = [l for l in body if not re.match(r"^(ร่าง|สำนักงานเขตสุขภาพ|- *\d+ *-|-\d+-)", l.strip())]
        if p == 3 and not (body and body[0].startswith("ภาคผนวก")):
            bad.append("page 3 does not open the appendix: %r" % (body[:1],))
        if "ผู้จัดทำ:" in " ".join(body):
            bad.append("the preparer is on page %d" % p)
    if n < 3:
        bad.append("%d pages: no appendix for the crisis table and the chart" % n)
    # (page review, session 10) the hospitals in crisis in words stand under a heading of their own
    # after the meeting's table (they read as one of its points), set larger than the text under it;
    # the appendix's two risk-level columns under one heading that says they are risk levels, beside
    # the hospital's own level headed as that ("ระดับ | เดือนก่อน | เดือนนี้" read as three of a kind)
    box = [[(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(chunk)]
           for chunk in pdftotext(pdf, "-bbox").split("<page ")[1:]]
    p12w = box[0] + box[1] if n >= 2 else []
    head = [w[3] - w[1] for w in p12w if w[4].startswith("โรงพยาบาลที่ประสบวิกฤตทางการเงิน")]
    meet = [w[3] - w[1] for w in p12w if w[4] == "ประเด็นเสนอที่ประชุม"]
    body = [w[3] - w[1] for w in p12w if w[4] == "ผู้จัดทำ:"]
    if not head or not meet or not body or abs(head[0] - meet[0]) > 0.1 or head[0] <= body[0]:
        bad.append("no heading over the hospitals in crisis on pages 1-2 as over the meeting's points "
                   "(its words %s pt tall, the meeting heading's %s, the preparer's %s)" % (head[:1], meet[:1], body[:1]))
    # the same on page 1: "จังหวัด" down the middle of the table's two header rows, below the first line of
    # the group headings over the CMI and risk columns ("รพ. ที่ CMI ผ่านเกณฑ์ …", "รพ. ความเสี่ยงการเงิน …")
    name = [w[1] for w in box[0] if w[4] == "จังหวัด"]
    group = [w[1] for w in box[0] if w[4] == "รพ."]
    if len(name) != 1 or not group or name[0] < min(group) + 2:
        bad.append("page 1's 'จังหวัด' does not span the table's two header rows (top %s, the groups' %s)"
                   % (name, group[:1]))
    for page in box[2:]:
        # (a narrow column wraps them: "ระดับ / ความเสี่ยง", "เดือน / ก่อน")
        risk = [w for w in page if w[4] in ("ระดับความเสี่ยง", "ความเสี่ยง")]
        cols = [w for w in page if w[4] in ("เดือนก่อน", "เดือน", "เดือนนี้")]
        if not risk and not cols:
            continue
        if len(risk) != 1 or len(cols) != 2 or any(c[1] < risk[0][3] - 1 for c in cols) or not (
                min(c[0] + c[2] for c in cols) < risk[0][0] + risk[0][2] < max(c[0] + c[2] for c in cols)) or \
                not any(w[4] in ("รพ.", "ระดับ รพ.") for w in page):
            bad.append("the appendix's risk levels are not under a heading 'ระดับความเสี่ยง' spanning "
                       "'เดือนก่อน' and 'เดือนนี้' beside 'ระดับ รพ.'")
        # the headings of no group ("จังหวัด", "CR", "QR") span both header rows: set down their middle, below
        # the group heading's first line (they stood on it, over an empty cell closed by a rule)
        tops = [w[1] for w in page if w[4] in ("จังหวัด", "CR", "QR")]
        if risk and (len(tops) != 3 or min(tops) < risk[0][1] + 2 or max(tops) > max(c[1] for c in cols)):
            bad.append("the appendix's 'จังหวัด', 'CR', 'QR' do not span both header rows (tops %s, the group "
                       "heading's %s)" % (tops, risk[0][1]))
        break
    else:
        # none: page 2 says so, the appendix does not (under its heading it sent the chart to a page of its own)
        if "ไม่มีโรงพยาบาลที่มีความเสี่ยงทางการเงินระดับ" not in flat or \
                "ไม่มีโรงพยาบาลที่มีความเสี่ยงทางการเงินระดับ" in " ".join(text[2:]):
            bad.append("no crisis table in the appendix, and page 2 does not say there is none (or the appendix does)")
    if official:
        xml = pdftotext(pdf, "-bbox")
        ref, low, words = 0, 1e9, 0
        for chunk in xml.split("<page ")[1:3]:  # pages 1 and 2
            h = float(re.search(r'height="([0-9.]+)"', chunk).group(1))
            for a, b, c, d, t in WORD.findall(chunk):
                y0, y1 = float(b), float(d)
                if y0 < 0.07 * h and t not in ("-", "ร่าง") and not ref:
                    ref = y1 - y0  # the page number, 16 pt
                elif 0.07 * h < y0 and y1 < 0.88 * h and t not in ("ร่าง", "(ต่อ)"):
                    words += 1
                    low = min(low, y1 - y0)
        if not ref or words < 100 or low < 0.99 * 14 / 16 * ref:
            bad.append("official pages 1-2 below 14 pt (page number %.2f, smallest word %.2f, %d words)"
                       % (ref, low, words))
    print("; ".join(bad) if bad else "ok")


if __name__ == "__main__":
    main()
