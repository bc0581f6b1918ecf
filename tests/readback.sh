#!/bin/bash
# Thai read-back over fonts (issue 27): `khet typeset` of issue 27's three
# sets (tests/thai_combos.py: the 52-item list, the 3,039 consonant+mark
# combinations, the 3,168 made-up syllables) in a font, then the text
# poppler (pdftotext), MuPDF (mutool) and pdf.js (pdfjs-dist under node)
# extract, compared item by item with what went in (tests/readback_diff.py).
#
#   bash tests/readback.sh [FONT...]   every Thai TrueType family Debian
#                                      ships, regular and bold, Sarabun
#                                      (from npm: tests/npm_pdfjs.sh) and TH
#                                      Sarabun New where fontconfig finds it,
#                                      or the fonts named (a path or a family
#                                      name)
# Prints one line per font and set: the items not read back exactly in each
# viewer, "0/3039" when all are; then the total. Exit 1 when any differs.
# Sourced (by tests/cli/41-readback.sh), it only defines the functions.
# Needs KHET; installs pdf.js into build/npm (tests/npm_pdfjs.sh, under a lock).

# readback_pdfs FONT OUTDIR SET...: typesets OUTDIR/SET.txt in FONT as
# OUTDIR/TAG-SET.pdf with its poppler and MuPDF text beside it (TAG-SET.pdf.
# {poppler,mupdf}.txt); pdf.js's comes from readback_pdfjs. Prints failures.
readback_pdfs() {
  local font=$1 dir=$2 set tag pdf bad=0
  shift 2
  tag=$(_rb_tag "$font")
  for set in "$@"; do
    pdf=$dir/$tag-$set.pdf
    if ! "$KHET" typeset --in "$dir/$set.txt" --out "$pdf" --size 16 --width 160 --font "$font" >"$pdf.err" 2>&1; then
      echo "$font $set: typeset failed: $(head -2 "$pdf.err")"
      bad=1
      continue
    fi
    pdftotext "$pdf" "$pdf.poppler.txt" 2>/dev/null || : >"$pdf.poppler.txt"
    mutool draw -q -F txt "$pdf" 2>/dev/null >"$pdf.mupdf.txt" || : >"$pdf.mupdf.txt"
  done
  return $bad
}

# pdf.js's text of many PDFs at once (one node start): PDF.pdfjs.txt each
readback_pdfjs() { node build/npm/pdfjs-text.mjs --each "$@" 2>/dev/null; }

# readback_report FONT OUTDIR SET...: one line "FONT SET poppler K/N mupdf
# K/N pdfjs K/N" per set (K items of N not read back); 0 when all K are 0.
readback_report() {
  local font=$1 dir=$2 set tag pdf r line bad=0 res i km ex
  shift 2
  tag=$(_rb_tag "$font")
  for set in "$@"; do
    pdf=$dir/$tag-$set.pdf
    line="$(basename "${font%.ttf}") $set"
    # the three viewers' texts compared in one python run: "K M<TAB>example" or "missing" each
    mapfile -t res < <(python3 tests/readback_diff.py --many $([ "$set" = items ] && echo --lines) "$dir/$set.txt" \
                         "$pdf.poppler.txt" "$pdf.mupdf.txt" "$pdf.pdfjs.txt")
    i=0
    for r in poppler mupdf pdfjs; do
      IFS=$'\t' read -r km ex <<<"${res[$i]:-missing}"; i=$((i + 1))
      line+=" $r ${km// //}"
      [ "${km%% *}" = 0 ] || { bad=1; line+=" [$ex]"; }
    done
    echo "$line"
  done
  return $bad
}
_rb_tag() { basename "${1%%,*}" .ttf | tr ' /' '__'; }

# the three sets into OUTDIR/{items,marks,syllables}.txt
readback_sets() {
  local s
  for s in items marks syllables; do python3 tests/thai_combos.py "$s" >"$1/$s.txt" || return 1; done
}

# Debian's Thai TrueType families (fonts-tlwg-*, fonts-noto-core,
# fonts-noto-ui-core, fonts-arundina, fonts-freefont-ttf), regular and bold
# faces (not the obliques), and Sarabun / TH Sarabun New where installed
readback_families() {
  local d=/usr/share/fonts/truetype f
  ls "$d"/tlwg/*.ttf "$d"/noto/Noto*Thai*-Regular.ttf "$d"/noto/Noto*Thai*-Bold.ttf \
    "$d"/arundina/Arundina*.ttf "$d"/freefont/FreeSerif.ttf "$d"/freefont/FreeSerifBold.ttf 2>/dev/null |
    grep -vE 'Oblique|Italic|Light'
  npm_sarabun 2>/dev/null # Sarabun from npm when fontconfig has none
  for f in "Sarabun" "TH Sarabun New"; do
    fc-list -q ":family=$f" && fc-list ":family=$f" file | sed 's/: *$//' | grep -vE 'Italic|Oblique' |
      grep -E 'Regular|Bold\.|-Bold|New\.ttf|New Bold' | sort
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  KHET=${KHET:-build/khet}
  cd "$(dirname "$0")/.." || exit 2
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  . tests/npm_pdfjs.sh
  npm_pdfjs || { echo "readback: cannot install pdfjs-dist from npm"; exit 1; }
  readback_sets "$TMP" || exit 1
  fonts=("$@")
  [ ${#fonts[@]} -gt 0 ] || mapfile -t fonts < <(readback_families)
  failed=0
  for f in "${fonts[@]}"; do
    readback_pdfs "$f" "$TMP" items marks syllables || failed=$((failed + 1))
  done
  readback_pdfjs "$TMP"/*.pdf
  for f in "${fonts[@]}"; do
    readback_report "$f" "$TMP" items marks syllables || failed=$((failed + 1))
  done
  echo "readback: ${#fonts[@]} fonts x 3 sets x 3 viewers; $failed fonts with items read back wrong"
  [ "$failed" = 0 ]
fi
