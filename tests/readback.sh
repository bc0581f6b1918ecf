#!/bin/bash
# Thai read-back over fonts: `khet typeset` of a text in a font, then the
# words poppler (pdftotext), MuPDF (mutool) and pdf.js (pdfjs-dist under node)
# extract, compared token for token with the text that went in (a mark
# split from its base, a joined line or a lost word is a token that differs).
#
#   bash tests/readback.sh [FAMILY...]     every Thai TrueType family Debian
#                                          ships (or those named), each of
#                                          tests/thai_combos.py's two lists
#                                          and tests/fixtures/tricky-words.txt
# Sourced (by tests/cli/41-readback.sh), it only defines readback_font.
# Needs KHET; installs pdf.js into build/npm itself (tests/npm_pdfjs.sh, under a
# lock shared with 45-harfbuzz.sh). Prints one line per font, text and reader that differs.

# readback_font FAMILY_OR_PATH TEXT OUTDIR: 0 when all three readers give the
# text's words back exactly; the differences on stdout otherwise.
readback_font() {
  local font=$1 in=$2 dir=$3 tag pdf r got bad=0
  tag=$(basename "${font%%,*}" .ttf)-$(basename "$in" .txt)
  pdf=$dir/$tag.pdf
  if ! "$KHET" typeset --in "$in" --out "$pdf" --size 16 --width 160 --font "$font" >"$dir/$tag.err" 2>&1; then
    echo "$font $(basename "$in"): typeset failed: $(head -2 "$dir/$tag.err")"
    return 1
  fi
  _rb_tokens <"$in" >"$dir/$tag.want"
  for r in poppler mupdf pdfjs; do
    case $r in
      poppler) pdftotext "$pdf" - 2>/dev/null ;;
      mupdf) mutool draw -q -F txt "$pdf" 2>/dev/null ;;
      pdfjs) node build/npm/pdfjs-text.mjs "$pdf" 2>/dev/null ;;
    esac | _rb_tokens >"$dir/$tag.$r"
    got=$(diff "$dir/$tag.want" "$dir/$tag.$r" | grep -c '^<')
    if [ "$got" != 0 ]; then
      echo "$font $(basename "$in") $r: $got words differ, e.g. $(diff "$dir/$tag.want" "$dir/$tag.$r" | grep '^>' | head -3 | tr '\n' ' ')"
      bad=1
    fi
  done
  return $bad
}
# the words of a text, one a line, without the page footer "หน้า n / N"
_rb_tokens() { tr -s ' \n\t\f' '\n' | grep -v '^$' | grep -vE '^(หน้า|/|[0-9]+)$'; }

# Debian's Thai TrueType families (fonts-tlwg-*, fonts-noto-core,
# fonts-noto-ui-core, fonts-arundina, fonts-freefont-ttf), regular faces
readback_families() {
  local d=/usr/share/fonts/truetype
  ls "$d"/tlwg/*.ttf "$d"/noto/Noto*Thai*-Regular.ttf "$d"/arundina/Arundina*.ttf \
    "$d"/freefont/FreeSerif.ttf 2>/dev/null | grep -vE 'Bold|Oblique|Italic|Light'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  KHET=${KHET:-build/khet}
  cd "$(dirname "$0")/.." || exit 2
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  . tests/npm_pdfjs.sh
  npm_pdfjs || { echo "readback: cannot install pdfjs-dist from npm"; exit 1; }
  python3 tests/thai_combos.py marks >"$TMP/marks.txt"
  python3 tests/thai_combos.py syllables >"$TMP/syllables.txt"
  fonts=("$@")
  [ ${#fonts[@]} -gt 0 ] || mapfile -t fonts < <(readback_families)
  n=0 failed=0
  for f in "${fonts[@]}"; do
    for t in "$TMP/marks.txt" "$TMP/syllables.txt" tests/fixtures/tricky-words.txt; do
      n=$((n + 1))
      readback_font "$f" "$t" "$TMP" || failed=$((failed + 1))
    done
  done
  echo "readback: ${#fonts[@]} fonts, $n texts, $failed with words read back wrong"
  [ "$failed" = 0 ]
fi
