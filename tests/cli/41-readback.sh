# Text reads back right in poppler, MuPDF and pdf.js in the fonts that broke
# it (issue 27 points 1-3): TlwgTypo (marks 600 wide in hmtx), Kinnari (a
# kern widening ร before its mark), FreeSerif (one-glyph ญู ฐุ) and Noto
# Sans Thai named by its family name, every consonant with every mark and
# the made-up syllables. Every Thai family Debian ships: tests/readback.sh
# (make check-fonts, and make check-all through KHET_FULL=1).
if [ "${KHET_FULL:-0}" = 1 ]; then plan 6; else plan 5; fi

. tests/readback.sh
. tests/npm_pdfjs.sh
npm_pdfjs >/dev/null 2>&1 || true  # a missing pdf.js shows as failed reads below
RB="$TMP/readback"
mkdir -p "$RB"
python3 tests/thai_combos.py marks >"$RB/marks.txt"
python3 tests/thai_combos.py syllables >"$RB/syllables.txt"
T=/usr/share/fonts/truetype
out=$(readback_font $T/tlwg/TlwgTypo.ttf "$RB/marks.txt" "$RB") && ok || bad "TlwgTypo: $out"
out=$(readback_font $T/tlwg/Kinnari.ttf "$RB/syllables.txt" "$RB") && ok || bad "Kinnari: $out"
out=$(readback_font $T/freefont/FreeSerif.ttf "$RB/marks.txt" "$RB") && ok || bad "FreeSerif: $out"
out=$(readback_font "Noto Sans Thai" tests/fixtures/tricky-words.txt "$RB") && ok || bad "Noto Sans Thai: $out"
# ร after a tone in Kinnari, the word the issue names
printf 'ได้รับ ฐั่ว รับ\n' >"$RB/kinnari.txt"
out=$(readback_font $T/tlwg/Kinnari.ttf "$RB/kinnari.txt" "$RB") && ok || bad "Kinnari ได้รับ: $out"
if [ "${KHET_FULL:-0}" = 1 ]; then
  out=$(bash tests/readback.sh 2>&1) && ok || bad "the sweep over Debian's Thai fonts: $out"
fi
