# Thai shaped by HarfBuzz (issue 15), in Laksaman and in Noto Sans Thai (with
# a Latin fallback): copy and paste gives back exactly the text that went in
# in poppler (pdftotext), MuPDF (mutool) and pdf.js (Firefox's reader); ink
# matches a HarfBuzz + FreeType rendering; no empty boxes; fonts khet cannot
# use are refused with the reason.
# make test reads Laksaman's scorecard 41 and KPI report (the other six
# scorecards differ from it only in their figures and names; the summary and
# handout hold the same kinds of text, tables and chart labels) and Noto's KPI
# report (its Latin from the fallback); check-all every document of both
if [ "${KHET_FULL:-0}" = 1 ]; then plan 115; else plan 47; fi

BUILD_TESTS=${BUILD_TESTS:-$(dirname "$KHET")/tests}

# pdf.js from npm, fetched once into build/npm (the script must sit beside it)
PDFJS=build/npm/pdfjs-text.mjs
. tests/npm_pdfjs.sh
npm_pdfjs && ok || bad "cannot install pdfjs-dist from npm (node and npm needed)"

# the text of a PDF in one reader, without the page footer, one line per line
read_all() { # reader file: everything it extracts
  case $1 in
    poppler) pdftotext "$2" - 2>/dev/null ;;
    mupdf) mutool draw -q -F txt "$2" 2>/dev/null ;;
    pdfjs) if [ -f "$2.pdfjs.txt" ]; then cat "$2.pdfjs.txt"; else node "$PDFJS" "$2" 2>/dev/null; fi ;;
  esac
}
read_pdf() { read_all "$@" | tr -d '\f' | grep -v '^หน้า [0-9]* / [0-9]*$' | grep -v '^[[:space:]]*$'; }
nospace() { tr -d ' \n\t'; }
words() { tr -s ' \n\t\f/' '\n\n\n\n\n' | grep -v '^$' | LC_ALL=C sort; } # ("4/6" and "4 / 6" are the same words)

H="$TMP/hb"
mkdir -p "$H"
# the word list and every sample document in each font, then pdf.js reads
# them all in one node run (FILE.pdfjs.txt beside each; read_all uses it)
declare -A rout rrc
for font in Laksaman NotoSansThai,Laksaman; do
  tag=${font%%,*}
  expect 0 "" -- "$KHET" typeset --in tests/fixtures/tricky-words.txt --out "$H/w-$tag.pdf" --size 20 --font "$font"
  rout[$tag]=$("$KHET" render --out "$H/$tag" --date 2563-10-15 --font "$font" 2>&1)
  rrc[$tag]=$?
done
# docs TAG: the sample documents of a font the readers compare
docs() {
  find "$H/$1" -name '*.pdf' | sort |
    if [ "${KHET_FULL:-0}" = 1 ]; then cat; elif [ "$1" = Laksaman ]; then grep -e '/scorecard-41\.pdf$' -e '/kpi66\.pdf$'
    else grep '/kpi66\.pdf$'; fi
}
{ ls "$H"/w-*.pdf; docs Laksaman; docs NotoSansThai; } | tr '\n' '\0' | xargs -0 node "$PDFJS" --each 2>/dev/null
for font in Laksaman NotoSansThai,Laksaman; do
  tag=${font%%,*}
  # the word list: every word comes back exactly, line for line, in all three
  want=$(grep -v '^$' tests/fixtures/tricky-words.txt)
  for r in poppler mupdf pdfjs; do
    got=$(read_pdf $r "$H/w-$tag.pdf" | sed 's/[[:space:]]*$//')
    [ "$got" = "$want" ] && ok || bad "$tag: $r does not give back the word list: $(diff <(echo "$want") <(echo "$got") | head -4)"
  done
  qpdf --check "$H/w-$tag.pdf" >/dev/null 2>&1 && ok || bad "$tag: qpdf --check fails on the word list"

  # every sample document: no empty boxes, the three readers agree character
  # for character (spaces aside) and poppler's text is clean Thai
  out=${rout[$tag]} rc=${rrc[$tag]}
  [ $rc = 0 ] && ok || bad "$tag: render failed ($rc): $out"
  grep -q "empty boxes" <<<"$out" && bad "$tag: characters without glyphs: $out" || ok
  for f in $(docs "$tag"); do
    # readers order table cells differently (poppler by position, MuPDF and
    # pdf.js in drawing order): compare the sorted words, character for character
    p=$(read_all poppler "$f")
    m=$(read_all mupdf "$f")
    j=$(read_all pdfjs "$f")
    [ "$(words <<<"$p")" = "$(words <<<"$m")" ] && ok ||
      bad "$tag: MuPDF reads $(basename "$f") differently: $(diff <(words <<<"$p") <(words <<<"$m") | head -4)"
    [ "$(words <<<"$p")" = "$(words <<<"$j")" ] && ok ||
      bad "$tag: pdf.js reads $(basename "$f") differently: $(diff <(words <<<"$p") <(words <<<"$j") | head -4)"
    LC_ALL=C.UTF-8 grep -qP '[\x{E000}-\x{F8FF}\x{FFFD}]|(^|\s)[\x{0E31}\x{0E34}-\x{0E3A}\x{0E47}-\x{0E4E}]|\x{0E4D}\x{0E32}' <<<"$p$m$j" &&
      bad "$tag: $(basename "$f") extracts private-use codes, orphan marks or a split ำ" || ok
    qpdf --check "$f" >/dev/null 2>&1 && ok || bad "$tag: qpdf --check fails on $f"
  done
  # the KPI narratives come back word for word in each reader (poppler: from
  # their column, x from 444 pt as in 30-render.sh; MuPDF and pdf.js keep a cell's lines together)
  for r in poppler mupdf pdfjs; do
    if [ $r = poppler ]; then
      kt=$(pdftotext -x 444 -y 0 -W 351 -H 595 "$H/$tag/2563/r12/kpi66.pdf" - 2>/dev/null | nospace)
    else
      kt=$(read_pdf $r "$H/$tag/2563/r12/kpi66.pdf" | nospace)
    fi
    tail -n +2 data/kpi.csv | awk -F, '{print $NF}' | tr -d '"' | while read -r a; do
      [ -z "$a" ] && continue
      [[ $kt == *"${a// /}"* ]] || echo "missing: $a"; done | grep -q missing && # (bash, not tr and grep: 360 processes)
      bad "$tag: $r lacks a KPI narrative" || ok
  done
  # Noto has no Latin letters: they come from the fallback, never as boxes
  grep -q "(CMI)" <<<"$(read_pdf poppler "$H/$tag/2563/r12/kpi66.pdf")" && ok || bad "$tag: kpi66 lacks (CMI)"
done
pdffonts "$H/NotoSansThai/2563/r12/kpi66.pdf" | grep -q NotoSansThai && pdffonts "$H/NotoSansThai/2563/r12/kpi66.pdf" |
  grep -q Laksaman && ok || bad "the Noto document does not embed Noto Sans Thai and its fallback"
# no orphaned 128 KB maps: a one-word PDF stays small
printf 'ป้ำ\n' > "$TMP/one.txt"
"$KHET" typeset --in "$TMP/one.txt" --out "$H/one.pdf" >/dev/null 2>&1
[ "$(stat -c %s "$H/one.pdf")" -lt 40000 ] && ok || bad "a one-word PDF is $(stat -c %s "$H/one.pdf") bytes"
# same bytes twice, with shaping and forms
"$KHET" typeset --in tests/fixtures/tricky-words.txt --out "$H/w2.pdf" --size 20 --font NotoSansThai,Laksaman >/dev/null 2>&1
cmp -s "$H/w2.pdf" "$H/w-NotoSansThai.pdf" && ok || bad "shaped output differs between two runs"

# fonts khet cannot use are refused with the reason (exit 2, no PDF)
F="$TMP/fonts"
mkdir -p "$F"
printf 'OTTO\0\0\0\0\0\0\0\0' > "$F/Cff.ttf"
expect 2 "CFF" -- "$KHET" typeset --in "$TMP/one.txt" --out "$H/x.pdf" --fonts "$F" --font Cff
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$F/Dv.ttf"
expect 2 "no Thai letters" -- "$KHET" typeset --in "$TMP/one.txt" --out "$H/x.pdf" --fonts "$F" --font Dv
cp fonts/NotoSansThai-Regular.ttf "$F/NotoSansThai-Regular.ttf"
expect 2 "not found" -- "$KHET" typeset --in "$TMP/one.txt" --out "$H/x.pdf" --fonts "$F" --font NotoSansThai,NoSuch
[ ! -e "$H/x.pdf" ] && ok || bad "a refused font still produced a PDF"
# a Thai-only font sets Thai-only text with no fallback named (issue 27: it
# was refused), and says that it has no bold face
expect 0 "Noto Sans Thai has no bold face" -- "$KHET" typeset --in "$TMP/one.txt" --out "$H/x.pdf" --fonts "$F" --font NotoSansThai
# damaged fonts (tables cut, offsets and counts mutated): refused or used,
# never a crash (make test SANITIZE=1 runs this under ASan): 20 in make test
# (each of mutate_font's five kinds of damage four times), 60 with KHET_FULL=1
cp fonts/Laksaman.ttf "$F/Laksaman.ttf"
"$BUILD_TESTS/mutate_font" fonts/Laksaman.ttf "$F" "$([ "${KHET_FULL:-0}" = 1 ] && echo 60 || echo 20)" >/dev/null 2>&1 &&
  ok || bad "cannot make the mutated fonts"
crash=0
for m in "$F"/Mut*.ttf; do
  n=$(basename "$m" .ttf)
  "$KHET" typeset --in "$TMP/one.txt" --out "$H/m.pdf" --fonts "$F" --font "$n,Laksaman" >"$TMP/m.out" 2>&1
  rc=$?
  if [ $rc != 0 ] && [ $rc != 2 ]; then crash=1; echo "mutated font $n: exit $rc" >&2; fi
  if [ $rc = 2 ] && ! grep -q "khet cannot use this font\|cannot load the font" "$TMP/m.out"; then crash=1; echo "mutated font $n: $(cat "$TMP/m.out")" >&2; fi
done
[ $crash = 0 ] && ok || bad "a damaged font crashed khet or was refused without a reason"

# ink: placed exactly where HarfBuzz + FreeType put it (mean difference <= 1 %)
for font in Laksaman NotoSansThai; do
  lines="$TMP/lines-$font.txt"
  { grep -v '^$' tests/fixtures/tricky-words.txt
    for f in $(docs $font); do read_pdf poppler "$f"; done | awk 'length($0) < 60' | sort -u | head -150
  } > "$lines"
  fam=$font; [ $font = NotoSansThai ] && fam=NotoSansThai,Laksaman
  res=$("$BUILD_TESTS/inkdiff" fonts "$fam" "$lines" "$TMP/ink-$font" 2>&1)
  mean=$(awk '/^mean/ {print $2}' <<<"$res")
  awk -v m="$mean" 'BEGIN { exit !(m != "" && m <= 1.0) }' && ok || bad "$font: ink differs from HarfBuzz+FreeType by $mean % (mean): $(tail -3 <<<"$res")"
done
