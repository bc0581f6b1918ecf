# Two defects a reader sees at once, checked on every page of every document
# rendered from the sample data, in both styles:
# - a word cut inside (a column too narrow for it): khet warns when its
#   layout had to cut one, so the sample must render without that warning
#   (and the warning must exist: a 10 mm column forces it);
# - the draft's footer line colliding with the body: no word of the body may
#   reach the draft line's box (the landscape KPI table once ran into it).
plan 7
H="$TMP/hyg"; rm -rf "$H"; mkdir -p "$H"
for style in modern official; do
  "$KHET" render --data data --out "$H/$style" --style "$style" --date 2563-10-10 >/dev/null 2>"$H/$style.err"
  rc=$?
  if [ "$rc" = 0 ] && ! grep -q "cut inside" "$H/$style.err"; then ok
  else bad "render --style $style (exit $rc) cut words: $(cat "$H/$style.err")"; fi
done
printf 'โรงพยาบาลสมเด็จพระยุพราชสายบุรี\n' >"$H/long.txt"
expect 0 'wider than (its|their) box had to be cut inside, first "โรงพยาบาล"' -- "$KHET" typeset --in "$H/long.txt" --out "$H/long.pdf" --width 10

# Every page of every PDF: the draft line is found once, and nothing else
# reaches into its box (tests/draft_overlap.py).
for style in modern official; do
  n=0
  for f in $(find "$H/$style" -name '*.pdf' | sort); do
    pdftotext -bbox-layout "$f" "$H/$style-$n.html" 2>/dev/null; n=$((n + 1))
  done
  out=$(python3 tests/draft_overlap.py "$H/$style"-*.html)
  last=$(tail -n1 <<<"$out")
  if [ "${last#* }" = 0 ] && [ "${last% *}" -gt 20 ]; then ok; else bad "$style draft-line overlap: $out"; fi
done

# The rule above fails where it should: a body line planted on the draft line.
python3 - "$H/modern-0.html" >"$H/planted.html" <<'PY'
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">\s*<word[^>]*>ร่าง</word>\s*<word[^>]*>ยังไม่ได้', doc)
y0, y1 = float(m.group(2)), float(m.group(4))  # a body line 5 pt higher than the draft line, as in the old bug
plant = f'<line xMin="{m.group(1)}" yMin="{y0 - 5}" xMax="{m.group(3)}" yMax="{y1 - 5}"><word>PLANT</word></line>'
print(doc.replace("</page>", plant + "</page>", 1))
PY
planted=$(python3 tests/draft_overlap.py "$H/planted.html" | tail -n1)
[ "${planted#* }" -ge 1 ] && ok || bad "the overlap rule did not see a planted line: $planted"
count_is 1 "the CMI table prints hospital names without the column's own word" '^ *11071 +ระโนด ' \
  <<<"$(pdftotext -layout "$H/modern/2563/r12/kpi66.pdf" - 2>/dev/null)"
