# The booklet of an inspection round (issue 11): each region's documents
# bound into one PDF behind a cover and a contents page. What is checked
# comes from outside the booklet: the documents rendered alone (their page
# counts and text), the templates' titles and data/provinces.csv.
# (make test compares a --jobs 2 run's booklets with the first run's; KHET_FULL=1, make check-all, a second
# run of one process too)
if [ "${KHET_FULL:-0}" = 1 ]; then plan 67; else plan 64; fi
BA="$TMP/ba" BAO="$TMP/bao" BM="$TMP/bm" BO="$TMP/bo" BT="$TMP/bt"
expect 0 "" -- "$KHET" render --out "$BA" --date 2563-10-15
expect 0 "" -- "$KHET" render --out "$BAO" --date 2563-10-15 --style official
expect 0 "2563/r8/booklet-round2.pdf" -- "$KHET" render --out "$BM" --date 2563-10-15 --report booklet
expect 0 "2563/r12/booklet-round2.pdf" -- "$KHET" render --out "$BO" --date 2563-10-15 --report booklet --style official
expect 0 "2563/r8/booklet-round2.pdf" -- "$KHET" render --out "$BT" --date 2563-10-15 --report booklet --thai-digits
M8="$BM/2563/r8/booklet-round2.pdf" M12="$BM/2563/r12/booklet-round2.pdf"
O8="$BO/2563/r8/booklet-round2.pdf" O12="$BO/2563/r12/booklet-round2.pdf"
# pages FILE: its page count, from pdfinfo once per file (kept in $TMP/.pages: the calls run in subshells)
pages() {
  local m="$TMP/.pages/${1//\//%}" n="" l
  if [ -f "$m" ]; then read -r n <"$m"; echo "$n"; return; fi
  while read -r l; do [[ $l == Pages:* ]] && n=${l##* }; done < <(pdfinfo "$1")
  [ -d "$TMP/.pages" ] || mkdir -p "$TMP/.pages"
  [ -z "$n" ] || echo "$n" >"$m"
  echo "$n"
}
thai() { sed 'y/0123456789/๐๑๒๓๔๕๖๗๘๙/' <<<"$1"; }
arabic() { sed 'y/๐๑๒๓๔๕๖๗๘๙/0123456789/' <<<"$1"; }
flat() { tr '\n' ' ' | tr -s ' '; }

# What each booklet must hold, from the documents rendered alone (in the same
# style): the report (kpi, summary, scorecards in provinces.csv's order,
# monthly), its title (the template's first heading, filled here), its page
# count and the page it must start on: the cover is page 1, the contents
# page 2, the documents follow. $TMP/start-STYLE-REGION, one line each.
title_of() { sed -n '/^# /{s/^# //p;q}' "templates/reports/$1.md" | sed "s/{{region}}/$2/; s/{{fiscal_year}}/2563/; s/{{round}}/2/"; }
mon=$(basename "$BA"/2563/r12/monthly-*.pdf)
for st in modern official; do
  A=$BA; [ $st = official ] && A=$BAO
  {
    printf 'summary\t%s\t%s\n' "$(title_of summary 8)" "$(pages "$A/2563/r8/summary.pdf")"
    while IFS=, read -r code name _ region _; do
      [ "$region" = 8 ] || continue
      printf 'scorecard\t%s\t%s\n' "$(title_of scorecard 8 | sed "s/{{province_name}}/$name/")" \
        "$(pages "$A/2563/r8/scorecard-$code.pdf")"
    done < <(tail -n +2 data/provinces.csv)
  } >"$TMP/want-$st-8"
  printf 'kpi\t%s\t%s\nmonthly\t%s\t%s\n' "$(title_of kpi 12)" "$(pages "$A/2563/r12/kpi66.pdf")" \
    "$(title_of monthly 12 | sed 's/{{month}}/กันยายน 2563/')" "$(pages "$A/2563/r12/$mon")" >"$TMP/want-$st-12"
  for r in 8 12; do
    awk -F'\t' 'BEGIN { p = 3 } { print $0 "\t" p; p += $3 } END { print "total\t\t\t" p - 1 }' "$TMP/want-$st-$r" >"$TMP/start-$st-$r"
  done
done
[ "$(wc -l <"$TMP/start-modern-8")" = 9 ] && [ "$(wc -l <"$TMP/start-official-12")" = 3 ] && ok ||
  bad "expected documents: $(cat "$TMP/start-modern-8" "$TMP/start-official-12")"
style_of() { [[ $1 == "$BO"/* ]] && echo official || echo modern; }
region_of() { basename "$(dirname "$1")" | tr -d r; }
start_of() { echo "$TMP/start-$(style_of "$1")-$(region_of "$1")"; }

# every page of the documents is in the booklet, and no other but the cover and contents
for f in "$M8" "$M12" "$O8" "$O12"; do
  want=$(awk -F'\t' '$1 == "total" {print $4}' "$(start_of "$f")")
  [ "$(pages "$f")" = "$want" ] && ok || bad "$f has $(pages "$f") pages, wanted $want"
done

# the contents page lists each document with the page it starts on; the
# scorecards under the template's group heading, at the first scorecard's page
contents() { # FILE: "title<TAB>page" per entry of the contents table (page in Arabic digits; the portrait
  # page wraps a long title: its next lines, those without a page number, are joined on; spaces left out)
  pdftotext -f 2 -l 2 -layout "$1" - | awk '
    /^ *$/ { if (n) exit; next }
    match($0, /  +[0-9๐๑๒๓๔๕๖๗๘๙]+ *$/) { t = substr($0, 1, RSTART - 1); p = substr($0, RSTART); gsub(/ /, "", p); gsub(/ /, "", t)
      e[++n] = t; pg[n] = p; next }
    n { t = $0; gsub(/ /, "", t); e[n] = e[n] t }
    END { for (i = 1; i <= n; i++) print e[i] "\t" pg[i] }' | while IFS=$'\t' read -r t n; do
    printf '%s\t%s\n' "$t" "$(arabic "$n")"; done
}
group=$(sed -n 's/^scorecard: *//p' templates/reports/booklet.md)
for f in "$M8" "$O8" "$M12" "$O12"; do
  want=$(awk -F'\t' -v g="$group" '$1 == "scorecard" && !gs { print g "\t" $4; gs = 1 } $1 != "total" { print $2 "\t" $4 }' "$(start_of "$f")" | sed 's/ //g')
  got=$(contents "$f")
  [[ $f == "$BO"/* ]] && want=$(sed 'y/0123456789/๐๑๒๓๔๕๖๗๘๙/' <<<"$want" | sed 's/\t[๐๑๒๓๔๕๖๗๘๙]*$//' | paste - <(cut -f2 <<<"$want"))
  [ -n "$want" ] && [ "$got" = "$want" ] && ok || bad "$f contents: got
$got
wanted
$want"
done
# and each listed page is where that document's title really is: on that page, not on the one before
# (each page's text without spaces and line ends, from one tr over the kept text: pg[N - 1];
# a title looked for in it by bash's own match, not a grep each)
for f in "$M8" "$O8" "$M12" "$BT/2563/r8/booklet-round2.pdf"; do
  bad_pages=""
  # (from a file: bash's mapfile reads a pipe a byte per system call, 150,000 a booklet)
  pdf_text "$f" | tr -d ' \n' >"$TMP/pages"; mapfile -d $'\f' -t pg <"$TMP/pages"
  while IFS=$'\t' read -r t n; do
    [ "$t" = "$group" ] && continue
    tt=$t; for d in 0:๐ 1:๑ 2:๒ 3:๓ 4:๔ 5:๕ 6:๖ 7:๗ 8:๘ 9:๙; do tt=${tt//${d%%:*}/${d#*:}}; done
    on=${pg[n - 1]:-} before=""; [ "$n" -gt 1 ] && before=${pg[n - 2]:-} # (titles without spaces)
    [[ $on == *"$t"* || $on == *"$tt"* ]] && [[ $before != *"$t"* && $before != *"$tt"* ]] ||
      bad_pages="$bad_pages [$t: $n]"
  done < <(contents "$f" | tail -n +2)
  [ -z "$bad_pages" ] && ok || bad "$f: listed pages where the title is not:$bad_pages"
done

# the outline (bookmarks): cover, contents, then one entry per document at
# its first page, the scorecards under the group heading; titles in Thai
# (written as UTF-16: qpdf decodes them to the same text)
outline() { # FILE: "depth<TAB>page<TAB>title", depth 0 for top-level entries
  qpdf --json --json-key=outlines "$1" | python3 -c '
import json, sys
def walk(o, d):
    for x in o:
        print("%d\t%s\t%s" % (d, x["destpageposfrom1"], x["title"])); walk(x["kids"], d + 1)
walk(json.load(sys.stdin)["outlines"], 0)'
}
cover=$(sed -n '1s/^# //p' templates/reports/booklet.md | sed 's/{{round}}/2/; s/{{fiscal_year}}/2563/')
for f in "$M8" "$M12"; do
  want=$(printf '0\t1\t%s\n0\t2\tสารบัญ\n' "$cover"
         awk -F'\t' -v g="$group" '$1 == "scorecard" && !gs { print "0\t" $4 "\t" g; gs = 1 }
                                   $1 == "scorecard" { print "1\t" $4 "\t" $2 } $1 != "scorecard" && $1 != "total" { print "0\t" $4 "\t" $2 }' "$(start_of "$f")")
  got=$(outline "$f" | awk -F'\t' '($1 == 0) || ($1 == 1 && $3 ~ /จังหวัด/ && $3 ~ /^ผลการประเมิน/)')
  [ "$got" = "$want" ] && ok || bad "$f outline: got
$got
wanted
$want"
done
# the documents' own headings sit under them, at the pages the documents alone put them (shifted)
want=$(mutool show "$BA/2563/r12/kpi66.pdf" outline | awk -F'\t' '/^\|/ { sub(/#page=/, "", $4); sub(/&.*/, "", $4); print $3 "\t" $4 + 2 }')
got=$(mutool show "$M12" outline | awk -F'\t' '$1 == "|" && $2 == "" { sub(/#page=/, "", $4); sub(/&.*/, "", $4); print $3 "\t" $4 }' | head -n "$(wc -l <<<"$want")")
[ -n "$want" ] && [ "$got" = "$want" ] && ok || bad "kpi66 headings in the booklet's outline: got
$got
wanted
$want"
# official: the bookmarks read as the pages do, in Thai digits
outline "$O8" | grep -xF "$(printf '0\t1\t%s' "$(thai "$cover")")" >/dev/null && ok || bad "official booklet outline lacks the cover title in Thai digits"

# the bound documents are the documents alone: the same text, page furniture aside
# (FILE REGION ROW: the document's row in the list of what the booklet holds)
while read -r d r row; do
  f="$BM/2563/r$r/booklet-round2.pdf"
  s=$(awk -F'\t' -v row="$row" 'NR == row {print $4}' "$TMP/start-modern-$r")
  e=$((s + $(pages "$BA/2563/$d") - 1))
  diff <(pdftotext -f "$s" -l "$e" "$f" - | tr -d '\f' | grep -v -e '^หน้า ' -e '^$' | LC_ALL=C sort) <(pdftotext "$BA/2563/$d" - | tr -d '\f' | grep -v -e '^หน้า ' -e '^$' | LC_ALL=C sort) >/dev/null &&
    ok || bad "$d in the booklet (pages $s-$e) is not the document rendered alone"
done <<EOT
r8/summary.pdf 8 1
r8/scorecard-41.pdf 8 2
r8/scorecard-38.pdf 8 8
r12/kpi66.pdf 12 1
r12/$mon 12 2
EOT

# the cover: round, year, region, organisation, the document date; nothing numbered
c=$(pdftotext -l 1 "$M8" - | flat)
grep -qF "$cover" <<<"$c" && grep -q "เขตสุขภาพที่ 8" <<<"$c" && grep -q "สำนักงานเขตสุขภาพที่ 8" <<<"$c" &&
  grep -q "วันที่ 15 ตุลาคม 2563" <<<"$c" && ok || bad "r8 cover: $c"
c=$(pdftotext -l 1 "$O12" - | flat)
grep -qF "$(thai "$cover")" <<<"$c" && grep -q "เขตสุขภาพที่ ๑๒" <<<"$c" && grep -q "วันที่ ๑๕ ตุลาคม ๒๕๖๓" <<<"$c" &&
  ok || bad "r12 official cover: $c"
for f in "$M8" "$M12" "$O8" "$O12"; do
  pdftotext -l 1 "$f" - | grep -qE "^หน้า |^- *[0-9๐๑๒๓๔๕๖๗๘๙]+ *-$" && bad "$f numbers its cover" || ok
done
# the booklet is a draft like every rendered document: the mark on every page
# (each check reads the whole document's text, pdftotext's pages split at its form feeds)
for f in "$M12" "$O12"; do
  n=$(pages "$f"); _pdftext "$f"
  k=$(awk 'BEGIN { RS = "\f" } index($0, "ร่าง ยังไม่ได้ลงนามรับรอง") { k++ } END { print k + 0 }' "$REPLY")
  [ "$k" = "$n" ] && ok || bad "$f: draft line on $k of $n pages"
done

# numbered through from the cover: modern "หน้า p / N" on every page but the cover
for f in "$M8" "$M12"; do
  n=$(pages "$f"); _pdftext "$f"
  miss=$(awk -v n="$n" 'BEGIN { RS = "\f" }
    NR >= 2 && NR <= n && !index("\n" $0 "\n", "\nหน้า " NR " / " n "\n") { printf " %d", NR }' "$REPLY")
  [ -z "$miss" ] && ok || bad "$f: no 'หน้า p / $n' on pages$miss"
done
# official: "- ๒ -" centred at the top of every page from the contents on
for f in "$O8" "$O12"; do
  n=$(pages "$f"); _pdftext "$f" -bbox
  miss=$(awk -v n="$n" -v digits="๐ ๑ ๒ ๓ ๔ ๕ ๖ ๗ ๘ ๙" '
      BEGIN { split(digits, th, " ") }
      /<page / { p++; c = y = 0; want = prev = ""; for (i = 1; i <= length(p ""); i++) want = want th[substr(p "", i, 1) + 1]
                 match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0 }
      /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t);
                 match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0;
                 match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0;
                 if (t == want && prev == "-") { c = x0; y = y1 } prev = t }
      /<\/page>/ && p >= 2 && !(y > 0 && y < 60 && c > w / 2 - 25 && c < w / 2 + 10) { printf " %d", p }
      END { if (p != n) printf " (%d pages read, not %d)", p, n }' "$REPLY")
  [ -z "$miss" ] && ok || bad "$f: no centred '- p -' at the top of pages$miss"
  pdf_text "$f" | grep -q "^หน้า " && bad "$f (official) says หน้า p / N" || ok
done
# digits: Thai only in the official style or with --thai-digits
for f in "$M8" "$M12"; do pdf_text "$f" | grep -q '[๐๑๒๓๔๕๖๗๘๙]' && bad "$f has Thai digits unasked" || ok; done
# Arabic digits left once codes, levels and foreign names are taken out ("F2", "M1", "1SD",
# "7 Plus Efficiency", a five-digit hospital code keep theirs: issue 20 point 12)
# (a formula's operand is a figure of the prose, "n − ๑", "z > ๑.๐๐": sessions 12 and 13; but a risk level, "ระดับ 4–7",
# "รพ.จะนะ (7)"; a telephone number, "0-7431-2346": review point 6; the handout appendix's crisis table's two risk
# levels, its cells after the hospital's level code (S, M2, F3), "S / 7 / 7" in the text: issue 20, LAYOUT_ARABIC)
arabic_left() { pdf_text "$1" | perl -0pe 's/\n(A|S|M[12]|F[123]|P)\n\n([0-9]|-)\n\n([0-9])\n/\n$1\n\n\n\n/g; s/(รพ\.\S+)\n(\([0-9]( ใหม่)?\))/$1 $2/g' | sed -E 's/ระดับ [0-9]+([–-][0-9]+)?|รพ\.[^ ]* \([0-9]( ใหม่)?\)|0[0-9-]{8,}[0-9]//g; s/[A-Za-z][0-9]+|[0-9]+ ?[A-Za-z]//g; s/(^|[^0-9,.])[0-9]{5,}([^0-9,.]|$)/\1\2/g' | grep -m1 '[0-9]'; }
for f in "$O8" "$O12"; do l=$(arabic_left "$f"); [ -n "$l" ] && bad "$f (official) has Arabic digits: $l" || ok; done
T8="$BT/2563/r8/booklet-round2.pdf"
n=$(pages "$T8")
pdftotext -f 2 -l 2 "$T8" - | grep -q "^หน้า ๒ / $(thai "$n")$" && ok || bad "--thai-digits booklet: no 'หน้า ๒ / $(thai "$n")'"
# (Thai digits are wider: a document may take other pages, so the contents are checked where they point)
[ "$(contents "$T8" | wc -l)" = "$(contents "$M8" | wc -l)" ] && ok || bad "--thai-digits booklet lists other documents"

# the same input gives the same bytes, with one process or several (make test: several, --jobs 2, against
# the first run's; KHET_FULL=1, make check-all, a second run of one process too)
[ "${KHET_FULL:-0}" != 1 ] || expect 0 "" -- "$KHET" render --out "$TMP/bm2" --date 2563-10-15 --report booklet
expect 0 "" -- "$KHET" render --out "$TMP/bm3" --date 2563-10-15 --report booklet --jobs 2
for r in r8 r12; do
  [ "${KHET_FULL:-0}" != 1 ] ||
    { cmp -s "$BM/2563/$r/booklet-round2.pdf" "$TMP/bm2/2563/$r/booklet-round2.pdf" && ok || bad "$r booklet differs between two runs"; }
  cmp -s "$BM/2563/$r/booklet-round2.pdf" "$TMP/bm3/2563/$r/booklet-round2.pdf" && ok || bad "$r booklet differs with --jobs 2"
done

# the booklet's own pages bind every document of the round: their footer names the booklet, not the
# first document's scheme (region 12's contents page carried the KPI's footer)
for r in 8 12; do
  c=$(pdftotext -f 2 -l 2 "$BM/2563/r$r/booklet-round2.pdf" - 2>/dev/null | tr -d " \n")
  [[ $c == *"เอกสารประกอบการตรวจราชการเขตสุขภาพที่$r"* && $c != *"ตัวชี้วัดที่66"* && $c != *"เกณฑ์การประเมิน"* ]] &&
    ok || bad "r$r booklet's contents page does not carry the booklet's own footer"
done

# the round comes from the data's month: March is the 6-month stage, round 1
expect 0 "2563/r8/booklet-round1.pdf" -- "$KHET" render --out "$TMP/b1" --month 2563-03 --report booklet
pdftotext -l 1 "$TMP/b1/2563/r8/booklet-round1.pdf" - | flat | grep -q "รอบที่ 1 ปีงบประมาณ 2563" && ok || bad "March booklet is not round 1"
# without --date: a dotted date for the pen on the cover and no date in the PDF
pdftotext -l 1 "$TMP/b1/2563/r8/booklet-round1.pdf" - | grep -q "วันที่ \.\.\.\." && ok || bad "undated cover lacks the dotted date"
pdfinfo "$TMP/b1/2563/r8/booklet-round1.pdf" | grep -q "CreationDate" && bad "undated booklet carries a date" || ok

# bad usage and a bad template: a message and status 2, nothing written
expect 2 "province does not go with --report booklet" -- "$KHET" render --out "$TMP/bx" --report booklet --province 41
[ ! -e "$TMP/bx" ] && ok || bad "--report booklet --province wrote something"
expect 2 "--report: all, scorecard, summary, kpi, monthly or booklet" -- "$KHET" render --out "$TMP/bx" --report booklets
rm -rf "$TMP/tb"; cp -r templates "$TMP/tb"; printf '```contents\nscorecards: ผลรายจังหวัด\n```\n' >>"$TMP/tb/reports/booklet.md"
ln=$(grep -n '^scorecards:' "$TMP/tb/reports/booklet.md" | cut -d: -f1)
expect 2 "booklet.md:$ln:1: error: a contents line is REPORT: HEADING" -- "$KHET" render --templates "$TMP/tb" --out "$TMP/bx" --report booklet
[ ! -e "$TMP/bx/2563/r8/booklet-round2.pdf" ] && ok || bad "a bad booklet template left a booklet"

# the booklet's own pages portrait, as narrative, cover and contents are (issue 20 point 12): cover and contents
# taller than wide, every document bound behind them as it was rendered (Region 12's first, the KPI report,
# opens on a portrait page: its title, the region's result, the rule and the result table; Region 8's first, the
# summary, too: its title, the money table and the claw-back note under it); then the KPI report's second page,
# Small Success, landscape
for f in "$M8" "$O12"; do
  o=$(pdfinfo -f 1 -l 4 "$f" | awk '/^Page +[0-9]+ size:/ { printf "%s", ($4 < $6) ? "P" : "L" }')
  w=PPPL
  [ "$o" = $w ] && ok || bad "${f##*/}: pages 1-4 are $o, wanted portrait cover and contents, the first document's portrait first page, then its landscape second ($w)"
done
# ... and nothing of a portrait page's running footer runs off it: the longer footer wraps, at its size, beside the
# page number (every word of page 2 inside the paper, 6 mm from its edges)
off=$(for f in "$M8" "$O8"; do pdftotext -f 2 -l 2 -bbox "$f" - | awk '/<page / { match($0, /width="[0-9.]+"/); pw = substr($0, RSTART + 7, RLENGTH - 8) }
  /<word / { match($0, /xMax="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7); if (x > pw - 17) print FILENAME, x }'; done)
[ -z "$off" ] && ok || bad "contents page words run off the paper: $off"
