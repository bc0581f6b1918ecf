#!/usr/bin/env python3
"""Thai test text for the read-back sweeps (tests/check-fonts.sh): every
consonant with every mark and vowel+tone stack ("marks"), and made-up
syllables of a leading vowel, consonant, tone and following vowel
("syllables"); 12 items a line, one paragraph a line (blank lines between)."""
import sys

CONS = [chr(c) for c in range(0x0E01, 0x0E2F)]          # ก .. ฮ (with ฤ ฦ)
UPPER = ['\u0E31', '\u0E34', '\u0E35', '\u0E36', '\u0E37']  # ั ิ ี ึ ื
LOWER = ['\u0E38', '\u0E39', '\u0E3A']                   # ุ ู ฺ
TONES = ['\u0E48', '\u0E49', '\u0E4A', '\u0E4B']         # ่ ้ ๊ ๋
OTHER = ['\u0E47', '\u0E4C', '\u0E4D', '\u0E33']          # ็ ์ ํ ำ


def marks():
    out = []
    for c in CONS:
        for m in UPPER + LOWER + TONES + OTHER:
            out.append(c + m)
        for v in UPPER + LOWER[:2]:
            for t in TONES:
                out.append(c + v + t)
        for t in TONES:
            out.append(c + t + '\u0E33')               # tone before SARA AM
        for v in LOWER[:2]:
            out.append(c + v + '\u0E4C')
    return out


def syllables():
    out = []
    lead = ['\u0E40', '\u0E41', '\u0E42', '\u0E43', '\u0E44']  # เ แ โ ใ ไ
    for c in CONS:
        for t in TONES + ['']:
            for l in lead:
                out.append(l + c + t)
            out.append(c + t + '\u0E32')               # า
            out.append(c + '\u0E31' + t + '\u0E27')    # ัว
            out.append('\u0E40' + c + '\u0E34' + t + '\u0E19')  # เ-ิน
            out.append('\u0E40' + c + '\u0E37' + t + '\u0E2D')  # เ-ือ
            out.append(c + '\u0E38' + t + '\u0E07')    # -ุง
            out.append(c + t + '\u0E33')
            out.append('\u0E40' + c + t + '\u0E32\u0E30')  # เ-าะ
            out.append(c + '\u0E48' + '\u0E30' if t == '' else c + t + '\u0E22')
    return out


items = marks() if sys.argv[1:] == ['marks'] else syllables()
for i in range(0, len(items), 12):
    print(' '.join(items[i:i + 12]))
    print()
