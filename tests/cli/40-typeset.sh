# khet typeset: the Thai engine end to end. The text extracted back from the
# PDF is exactly the text that went in; lines never overflow the width.
plan 31
W="$TMP/w.pdf"
expect 0 "" -- "$KHET" typeset --in tests/fixtures/tricky-words.txt --out "$W"
got=$(pdftotext "$W" - | tr -d '\f' | grep -v '^$' | grep -v '^หน้า ')
want=$(grep -v '^$' tests/fixtures/tricky-words.txt)
[ "$got" = "$want" ] && ok || bad "typeset text does not extract exactly: $(diff <(echo "$want") <(echo "$got") | head -5)"
pdftotext "$W" - 2>&1 >/dev/null | grep -q "Syntax Warning" && bad "poppler warns about the ToUnicode CMap" || ok
# searching finds Thai words: pdftotext of a page contains them as typed
grep -q "กตัญญู" <<<"$got" && ok || bad "search for กตัญญู fails"

# a long seed paragraph in a 60 mm measure: no line wider than the box, nothing lost
for a in left justify center; do
  expect 0 "" -- "$KHET" typeset --in tests/fixtures/tricky-words.txt --out "$TMP/a.pdf" --width 60 --align $a
done
tail -n +2 data/kpi.csv | cut -d, -f10- | tr -d '"' > "$TMP/long.txt"
sed -i 's/$/\n/' "$TMP/long.txt"
expect 0 "" -- "$KHET" typeset --in "$TMP/long.txt" --out "$TMP/l.pdf" --width 60
# left margin 30 mm = 85.04 pt; 60 mm box ends at 255.1 pt
pdftotext -bbox "$TMP/l.pdf" - | awk '/<word / && !/หน้า/ { match($0, /xMax="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0;
  match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0;
  if (x > 256 || x0 < 84) bad = 1 } END { exit bad }' && ok || bad "a line overflows the 60 mm box"
a=$(tr -d ' \n' < "$TMP/long.txt"); b=$(pdftotext "$TMP/l.pdf" - | grep -v '^หน้า' | tr -d ' \n\f')
[ "$a" = "$b" ] && ok || bad "the long text does not come back whole"

# an overlong word with no break opportunity is cut between clusters, never inside one
printf 'สาธารณสุข(สป.สธ.)ได้ดำเนินการตรวจราชการเขตสุขภาพ\n' > "$TMP/o.txt"
expect 0 "" -- "$KHET" typeset --in "$TMP/o.txt" --out "$TMP/o.pdf" --width 20
pdftotext "$TMP/o.pdf" - | grep -v '^หน้า' | grep -v '^$' | LC_ALL=C.UTF-8 grep -qP '^[\x{0E31}\x{0E34}-\x{0E3A}\x{0E47}-\x{0E4E}]' && bad "a line starts with a mark" || ok
[ "$(pdftotext "$TMP/o.pdf" - | grep -v '^หน้า' | grep -cv '^$')" -ge 3 ] && ok || bad "the overlong word was not cut"

# Thai digits
printf 'ปีงบประมาณ 2563 หน้า\n' > "$TMP/d.txt"
expect 0 "" -- "$KHET" typeset --in "$TMP/d.txt" --out "$TMP/d.pdf" --thai-digits
pdftotext "$TMP/d.pdf" - | grep -q "ปีงบประมาณ ๒๕๖๓" && ok || bad "--thai-digits not applied"
# the digits a code, a level or a foreign name keeps Arabic stay Arabic where a line breaks inside
# their phrase: the text is converted whole before it is broken ("(5 / Years)" once read "(๕")
printf 'ผลการดำเนินงานย้อนหลัง (5 Years) และค่า Mean ± 1SD ของปี 2563\n' > "$TMP/ds.txt"
split=0 wrong=""
for w in $(if [ "${KHET_FULL:-0}" = 1 ]; then seq 30 5 75; else seq 30 10 70; fi); do # (make test every 10 mm, KHET_FULL=1 every 5)
  "$KHET" typeset --in "$TMP/ds.txt" --out "$TMP/ds.pdf" --width $w --thai-digits >/dev/null 2>&1 || wrong="$wrong $w(exit)"
  t=$(pdftotext "$TMP/ds.pdf" - | grep -v '^หน้า' | grep -v '^$')
  grep -q '(5$' <<<"$t" && split=$((split + 1))
  flat=$(tr '\n' ' ' <<<"$t")
  [[ "$flat" == *"(5 Years)"*"Mean ± 1SD"*"๒๕๖๓"* ]] || wrong="$wrong $w"
done
[ -z "$wrong" ] && [ $split -ge 1 ] && ok || bad "a phrase that keeps its Arabic digits changed at a line break (widths:$wrong; split at (5 in $split)"

# bad input
printf 'bad \xff byte\n' > "$TMP/bad.txt"
expect 2 "bad.txt: error: the text is not valid UTF-8" -- "$KHET" typeset --in "$TMP/bad.txt" --out "$TMP/x.pdf"
[ ! -e "$TMP/x.pdf" ] && ok || bad "typeset wrote a PDF from bad input"
expect 2 "usage" -- "$KHET" typeset --in "$TMP/d.txt"
expect 2 "has no Thai letters" -- "$KHET" typeset --in "$TMP/d.txt" --out "$TMP/x.pdf" --fonts /usr/share/fonts/truetype/dejavu --font DejaVuSans

# balanced lines keep a dangling particle off the line end where a better break exists
printf 'เขตสุขภาพที่ 12 มีการจัดทำแผนแม่บทและแผนปฏิบัติการรองรับฯ ในตาม Policy 5 โรค 5 ระบบ\n' > "$TMP/k.txt"
expect 0 "" -- "$KHET" typeset --in "$TMP/k.txt" --out "$TMP/k.pdf" --width 60
pdftotext "$TMP/k.pdf" - | grep -q "และ$" && bad "a line ends with the particle และ" || ok
expect 0 "" -- "$KHET" typeset --in "$TMP/k.txt" --out "$TMP/kg.pdf" --width 60 --greedy

# justified text reads back line for line as the same text set flush left: the
# stretch never opens a gap a viewer would take for a space or a column
tail -n +2 data/kpi.csv | awk -F, '{print $NF}' | tr -d '"' | sed 's/$/\n/' > "$TMP/j.txt"
for w in 50 70 90 120; do
  "$KHET" typeset --in "$TMP/j.txt" --out "$TMP/jj.pdf" --width $w --align justify >/dev/null 2>&1
  "$KHET" typeset --in "$TMP/j.txt" --out "$TMP/jl.pdf" --width $w --align left >/dev/null 2>&1
  cmp -s <(pdftotext "$TMP/jj.pdf" - | tr -d '\f' | grep -v '^$') <(pdftotext "$TMP/jl.pdf" - | tr -d '\f' | grep -v '^$') && ok || bad "justified text at $w mm extracts differently"
done

# a text saved with Windows line ends: blank lines still separate paragraphs
printf 'ย่อหน้าแรก\r\n\r\nย่อหน้าที่สอง\r\n' > "$TMP/crlf.txt"
expect 0 "" -- "$KHET" typeset --in "$TMP/crlf.txt" --out "$TMP/crlf.pdf"
[ "$(pdftotext "$TMP/crlf.pdf" - | grep -c '^ย่อหน้า')" = 2 ] && ok || bad "CRLF paragraphs were not separated"
printf '\xef\xbb\xbfสวัสดี\n' > "$TMP/bom.txt"
expect 0 "" -- "$KHET" typeset --in "$TMP/bom.txt" --out "$TMP/bom.pdf"
[ "$(pdftotext "$TMP/bom.pdf" - | head -1)" = "สวัสดี" ] && ok || bad "a byte-order mark was set as text"
