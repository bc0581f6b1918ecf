#!/usr/bin/env python3
"""The three read-back sets of issue 27, built from its definitions (the
sweep is tests/readback.sh; tests/cli/41-readback.sh reads a sample):

  items       the 52-item list: the words that broke a viewer or a breaker
              (tests/fixtures/tricky-words.txt, 24 items: floating marks,
              ญ/ฐ tails, ascenders, ำ, ฯ ๆ, ฤๅ) and the 28 the issue and
              ../shared/docs/thai-typesetting.md name (ได้รับ in Kinnari, ที่
              and ำ in Sarabun, ญู ฐุ in FreeSerif, the hyphen of มีย.-กย.63,
              the compounds ICU splits, "เวลา 16.00 น.", ≥ and −, Latin).
  marks       the 3,039 consonant+mark combinations: each of the 44
              consonants (ก..ฮ without the vowels ฤ ฦ) with
                each of the 16 combining marks alone and with ำ      17
                each of the 8 vowels above or below (ั ิ ี ึ ื ุ ู ฺ)
                  with each of the 6 marks that stack on them
                  (่ ้ ๊ ๋ ์ ํ)                                       48
                each tone mark before ำ (ก่ำ, the ligature of ํ+tone)  4
              = 44 x 69 = 3,036, and the two letters that take ๅ with
              it (ฤๅ ฦๅ) and ฤๅษี: 3,039.
  syllables   the 3,168 made-up tone+consonant+vowel syllables: each of
              the 44 consonants with each of the 4 tone marks in each of
              18 vowel forms (-า -ิ -ี -ึ -ือ -ุ -ู เ- แ- โ- ใ- ไ- เ-า -ำ
              -ัว เ-ีย เ-ือ -อ): 44 x 4 x 18 = 3,168.

Printed 12 items a line (the 52-item list: one item a line), one paragraph
a line (blank lines between), so that a line break never falls inside an
item; `--count` prints the count.
"""
import sys

CONSONANTS = [chr(c) for c in range(0x0E01, 0x0E2F) if chr(c) not in "ฤฦ"]
COMBINING = [chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]]
TONES = ["\u0E48", "\u0E49", "\u0E4A", "\u0E4B"]              # ่ ้ ๊ ๋
STACKED_ON = ["\u0E31", "\u0E34", "\u0E35", "\u0E36", "\u0E37",  # ั ิ ี ึ ื
              "\u0E38", "\u0E39", "\u0E3A"]                      # ุ ู ฺ
STACKING = TONES + ["\u0E4C", "\u0E4D"]                          # ์ ํ
AM = "\u0E33"                                                     # ำ

# -X stands for the consonant, T for the tone mark
VOWEL_FORMS = ["XTา", "XิT", "XีT", "XึT", "XืTอ", "XุT", "XูT", "เXT", "แXT",
               "โXT", "ใXT", "ไXT", "เXTา", "XTำ", "XัTว", "เXีTย", "เXืTอ", "XTอ"]

TRICKY = "tests/fixtures/tricky-words.txt"
NAMED = [
    "ได้รับ", "ที่", "ฐั่ว", "มีย.-กย.63", "ด้วยการบูรณาการ", "แลกเปลี่ยน", "เรียนรู้",
    "คัดเลือก", "ส่งเสริม", "เครือข่าย", "เป้าหมาย", "พื้นที่", "เปรียบเทียบ",
    "เวลา 16.00 น.", "ภายในเวลา 3 เดือน", "โควิด-19", "สาธารณสุข(สป.สธ.)ได้",
    "ระดับ 4–7", "≥ 80 %", "− 5.25", "กษัตริย์", "พันธุ์", "ทำนุบำรุง",
    "Smart Hospital", "โรงพยาบาล", "ก.ย. 63", "ร้อยละ 76.94", "ปฏิบัติงาน",
]


def items():
    with open(TRICKY, encoding="utf-8") as f:
        tricky = [line.strip() for line in f if line.strip()]
    return tricky + NAMED


def marks():
    out = []
    for c in CONSONANTS:
        out += [c + m for m in COMBINING + [AM]]
        out += [c + v + m for v in STACKED_ON for m in STACKING]
        out += [c + t + AM for t in TONES]
    return out + ["ฤๅ", "ฦๅ", "ฤๅษี"]


def syllables():
    return [f.replace("X", c).replace("T", t) for c in CONSONANTS for t in TONES for f in VOWEL_FORMS]


SETS = {"items": (items, 52), "marks": (marks, 3039), "syllables": (syllables, 3168)}

if __name__ == "__main__":
    args = sys.argv[1:]
    count = "--count" in args
    names = [a for a in args if a != "--count"]
    if len(names) != 1 or names[0] not in SETS:
        sys.exit("usage: thai_combos.py [--count] items|marks|syllables")
    make, want = SETS[names[0]]
    got = make()
    # the sets are the issue's: a change that alters a count is a mistake
    if len(got) != want or len(set(got)) != want:
        sys.exit("thai_combos.py: %s has %d items (%d distinct), not %d" % (names[0], len(got), len(set(got)), want))
    if count:
        print(len(got))
    else:
        per_line = 1 if names[0] == "items" else 12
        for i in range(0, len(got), per_line):
            print(" ".join(got[i:i + per_line]))
            print()
