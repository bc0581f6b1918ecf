# Text reads back right in poppler, MuPDF and pdf.js (issue 27 points 1-3),
# a sample of the sweep: issue 27's three sets (make test a third of the two large ones) (tests/thai_combos.py: the
# 52-item list, the 3,039 consonant+mark combinations, the 3,168 made-up
# syllables) in the fonts that broke a viewer: TlwgTypo (marks 600 wide in
# hmtx), Kinnari (a kern widening ร before its mark), FreeSerif (one-glyph
# ญู ฐุ), Noto Sans Thai named by its family name (GSUB-only glyphs) and the
# bundled Laksaman; every item, in every viewer. Every Thai family Debian
# ships, regular and bold: tests/readback.sh (make check-all through
# KHET_FULL=1, or make readback).
if [ "${KHET_FULL:-0}" = 1 ]; then plan 10; else plan 9; fi

. tests/readback.sh
. tests/npm_pdfjs.sh
npm_pdfjs >/dev/null 2>&1 || true  # a missing pdf.js shows as failed reads below
RB="$TMP/readback"
mkdir -p "$RB"
readback_sets "$RB" && ok || bad "tests/thai_combos.py does not build issue 27's sets"
# make test reads back a third of the combinations and of the syllables, spread over the sets (a
# Weyl sequence: no mark or consonant left out as a whole), and every one holding ร, ญ or ฐ (Kinnari's
# kern before its mark, FreeSerif's one-glyph ญู ฐุ); KHET_FULL=1 (make check-all) all of them
if [ "${KHET_FULL:-0}" != 1 ]; then
  for set in marks syllables; do
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
      { o = ""; for (k = 1; k <= NF; k++) { i++; if ($k ~ /ร|ญ|ฐ/ || int(i * 1.8541019662496845) % 3 == 0) o = o (o == "" ? "" : " ") $k }
        if (o != "") print o }' "$RB/$set.txt" >"$RB/$set.part" && mv "$RB/$set.part" "$RB/$set.txt"
  done
fi
T=/usr/share/fonts/truetype
sample=("$T/tlwg/TlwgTypo.ttf marks" "$T/tlwg/Kinnari.ttf syllables" "$T/tlwg/Kinnari.ttf items" "$T/freefont/FreeSerif.ttf marks"
        "Noto Sans Thai items" "fonts/Laksaman.ttf items")
for s in "${sample[@]}"; do readback_pdfs "${s% *}" "$RB" "${s##* }"; done
readback_pdfjs "$RB"/*.pdf
for s in "${sample[@]}"; do
  out=$(readback_report "${s% *}" "$RB" "${s##* }") && ok || bad "read back wrong: $out"
done
if [ "${KHET_FULL:-0}" = 1 ]; then
  out=$(bash tests/readback.sh 2>&1) && ok || bad "the sweep over Debian's Thai fonts: $(grep -v ' 0/[0-9]* mupdf 0/[0-9]* pdfjs 0/' <<<"$out")"
fi
# The seeds' prose at 40-160 mm (issue 27 points 4, 10, 11; tests/prose_sweep.py):
# no break inside a word by libthai's reading, at most 30 compound splits,
# no hyphen lost in poppler, no "เวลา | 16.00 น." where the group fits, the
# text read back exactly at every width. make test sets every 30th width.
step=30
[ "${KHET_FULL:-0}" = 1 ] && step=1
out=$(python3 tests/prose_sweep.py --khet "$KHET" --step $step 2>&1) && ok || bad "prose sweep: $out"
# A range wider than the line is cut before its hyphen, never after it,
# where poppler would drop it ("มีย.กย.63", "(F23)"): every hyphen reads
# back at every width from 8 to 22 mm (every 2 mm; make test every 4 mm from 8 and 22).
printf 'ข้อมูลมีย.-กย.63ทั้งหมด รพช.(F2-3)ทั้งหมด\n' >"$RB/hyphen.txt"
lost=""
for w in $(if [ "${KHET_FULL:-0}" = 1 ]; then seq 8 2 22; else echo 8 12 16 20 22; fi); do
  "$KHET" typeset --in "$RB/hyphen.txt" --out "$RB/hyphen.pdf" --width $w >/dev/null 2>&1
  [ "$(pdftotext "$RB/hyphen.pdf" - 2>/dev/null | grep -o -- - | wc -l)" = 2 ] || lost+=" $w mm"
done
[ -z "$lost" ] && ok || bad "a hyphen is lost in poppler at$lost"
