# Charts a meeting can read (issue 11), checked on poppler's word boxes.
# Monthly handout: one panel per province (its name once, as the panel's
# title), the last value at the line's end equal to the share computed here
# from cmi.csv, hospitals.csv and the scheme's CMI targets, labels that do
# not overlap, months in fiscal order, a scale from the data in nice steps,
# Thai digits only when asked. Region summary: the scheme's grade boundaries
# as labelled lines, in order, each at the height the axis gives its value.
plan 36
CM="$TMP/cm" CO="$TMP/co" CT="$TMP/ct"
expect 0 "monthly-2563-09.pdf" -- "$KHET" render --out "$CM" --report monthly
expect 0 "summary.pdf" -- "$KHET" render --out "$CM" --report summary
expect 0 "monthly-2563-09.pdf" -- "$KHET" render --out "$CO" --report monthly --style official
expect 0 "summary.pdf" -- "$KHET" render --out "$CO" --report summary --style official
expect 0 "monthly-2563-09.pdf" -- "$KHET" render --out "$CT" --report monthly --thai-digits

# words FILE PAGE: "xMin yMin xMax yMax text" per word (y grows downwards)
words() {
  pdftotext -f "$2" -l "$2" -bbox "$1" - 2>/dev/null | awk '/<word / {
    t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t); gsub(/&gt;/, ">", t); gsub(/&lt;/, "<", t); gsub(/&amp;/, "\\&", t)
    n = split("xMin yMin xMax yMax", k, " ")
    for (i = 1; i <= n; i++) { match($0, k[i] "=\"[0-9.]+\""); v[i] = substr($0, RSTART + length(k[i]) + 2, RLENGTH - length(k[i]) - 3) }
    print v[1], v[2], v[3], v[4], t }'
}
# chart FILE ANCHOR: the words below the chart title word ANCHOR, on its page, above the footer
# (the draft line "ร่าง ยังไม่ได้ลงนามรับรอง ..." opens it)
# (page by page in one awk over the kept word boxes, as words prints them: the first page that has any)
chart() {
  local n
  n=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}')
  _pdftext "$1" -bbox
  awk -v a="$2" -v n="${n:-0}" '
    /<page / { if (++p > n) exit; m = 0; y = f = 0 }
    /<word / {
      t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t); gsub(/&gt;/, ">", t); gsub(/&lt;/, "<", t); gsub(/&amp;/, "\\&", t)
      k = split("xMin yMin xMax yMax", key, " ")
      for (i = 1; i <= k; i++) { match($0, key[i] "=\"[0-9.]+\""); v[i] = substr($0, RSTART + length(key[i]) + 2, RLENGTH - length(key[i]) - 3) }
      if (t == a && !y) y = v[4] + 0
      if (t == "ยังไม่ได้ลงนามรับรอง") f = v[2] + 0
      w[++m] = v[1] " " v[2] " " v[3] " " v[4] " " t; c[m] = (v[2] + v[4]) / 2 }
    /<\/page>/ { for (i = 1; y && i <= m; i++) if (c[i] > y && (!f || c[i] < f)) { print w[i]; hit = 1 }
                 if (hit) exit }' "$REPLY"
}
# the monthly chart without its legend (the note set as a paragraph, beside or under the panels)
panels() { awk '$5 ~ /^นับโรงพยาบาล/ && !lx { lx = $1; ly = $2 } { w[NR] = $0; x[NR] = $1; y[NR] = $2 }
  END { for (i = 1; i <= NR; i++) if (!lx || x[i] < lx - 1 || y[i] < ly - 2) print w[i] }'; }

M=$(chart "$CM/2563/r12/monthly-2563-09.pdf" "รายจังหวัด" | panels)
[ -n "$M" ] && ok || bad "the monthly handout has no CMI chart titled ... รายจังหวัด"

# the expected last values: hospitals of Region 12 with a CMI target at the KPI's levels (kpi_levels A-F2: F3
# does not count, as in the KPI report), CMI for the year >= target
mapfile -t provs < <(awk -F, 'NR > 1 && $4 == 12 { print $2 }' data/provinces.csv)
expected=$(awk -F, 'FNR == 1 { f++; next }
  f == 1 && $4 == 12 { pn[$1] = $2 }
  f == 2 { t[$1 "," $2] = $3 }
  f == 3 && ($3 in pn) && $4 !~ /^(F3|P)$/ { pv[$1] = pn[$3]; k[$1] = $4 "," $5 }
  f == 4 { d[$1] += $3; a[$1] += $4 }
  END { for (h in pv) if ((k[h] in t) && d[h] > 0) { n[pv[h]]++; if (a[h] / d[h] >= t[k[h]]) p[pv[h]]++ }
        for (q in n) printf "%s %.2f\n", q, 100 * p[q] / n[q] }' \
  data/provinces.csv templates/kpi66-r12-2563/cmi_targets.csv data/hospitals.csv data/cmi.csv)

for p in "${provs[@]}"; do
  # the province's name once in the chart: its panel's title
  c=$(awk -v p="$p" '$5 == p' <<<"$M" | wc -l)
  [ "$c" = 1 ] && ok || bad "monthly chart names $p $c times, wanted once (as its panel's title)"
done
for p in "${provs[@]}"; do
  # its last value, computed here, at the end of its line: in its panel (right of and below its title, above the
  # next row's titles: the plots grow into their page, so a panel is as tall as its row)
  v=$(awk -v p="$p" '$1 == p { print $2 }' <<<"$expected")
  got=$(awk -v p="$p" -v v="$v" -v names="$(IFS='|'; echo "${provs[*]}")" 'BEGIN { split(names, q, "|"); for (k in q) title[q[k]] = 1 }
    $5 == p { tx = $1; ty = $4 } { w[NR] = $0; x[NR] = $1; y[NR] = $2; t[NR] = $5 }
    END { below = 1000; for (i = 1; i <= NR; i++) if ((t[i] in title) && y[i] > ty + 5 && y[i] - ty < below) below = y[i] - ty
          for (i = 1; i <= NR; i++) if (t[i] == v && x[i] > tx && x[i] < tx + 200 && y[i] > ty && y[i] < ty + below) n++; print n + 0 }' <<<"$M")
  [ -n "$v" ] && [ "$got" = 1 ] && ok || bad "monthly chart: $p's panel does not end on its value $v (found $got)"
done

# no two labels overlap: every pair of word boxes in the panels is disjoint
ov=$(awk '{ x0[NR] = $1; y0[NR] = $2; x1[NR] = $3; y1[NR] = $4; t[NR] = $5 }
  END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
          if (x0[i] < x1[j] - 0.5 && x0[j] < x1[i] - 0.5 && y0[i] < y1[j] - 0.5 && y0[j] < y1[i] - 0.5) printf "%s/%s ", t[i], t[j] }' <<<"$M")
[ -z "$ov" ] && ok || bad "monthly chart labels overlap: $ov"

# month labels under every panel: in fiscal order, from ต.ค. to ก.ย., at least four, the same in each panel
seqs=$(awk 'BEGIN { split("ต.ค. พ.ย. ธ.ค. ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย.", m, " "); for (i in m) o[m[i]] = i + 0 }
  ($5 in o) { printf "%d %09.3f %s\n", $2, $1, $5 }' <<<"$M" | sort -k1,1n -k2,2n |
  awk '$1 != r || $3 == "ต.ค." { if (s != "") print s; s = "" } { r = $1; s = s (s == "" ? "" : " ") $3 } END { if (s != "") print s }')
bad_rows=$(awk 'BEGIN { split("ต.ค. พ.ย. ธ.ค. ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย.", m, " "); for (i in m) o[m[i]] = i + 0 }
  { for (i = 2; i <= NF; i++) if (o[$i] <= o[$(i - 1)]) { print "out of order: " $0; next }
    if (NF < 4 || $1 != "ต.ค." || $NF != "ก.ย.") { print "short: " $0; next } all[$0]++; np++ }
  END { n = 0; for (s in all) n++; if (n != 1 || np != '"${#provs[@]}"') print n " different sequences in " np " panels" }' <<<"$seqs")
[ -n "$seqs" ] && [ -z "$bad_rows" ] && ok || bad "monthly chart month labels: $bad_rows"

# the scale: evenly spaced ticks in a 1-2-5 step, from the data (lowest <= the smallest value, not 0 here),
# never past 100; read left of the first panel of the first row
ticks=$(awk -v p="${provs[0]}" '$5 == p { tx = $1 } { w[NR] = $0; x1[NR] = $3; t[NR] = $5 }
  END { for (i = 1; i <= NR; i++) if (x1[i] < tx && t[i] ~ /^[0-9]+$/) print t[i] }' <<<"$M" | sort -n | uniq)
lo=$(awk '{ print $2 }' <<<"$expected" | sort -n | head -1); hi=$(awk '{ print $2 }' <<<"$expected" | sort -n | tail -1)
tk=$(awk -v lo="$lo" -v hi="$hi" '{ v[NR] = $1 } END {
  if (NR < 3) { print "too few ticks"; exit }
  s = v[2] - v[1]; for (i = 3; i <= NR; i++) if (v[i] - v[i - 1] != s) { print "uneven"; exit }
  m = s; while (m >= 10) m /= 10; if (m != 1 && m != 2 && m != 5) { print "step " s; exit }
  if (v[1] > lo || v[1] <= 0 || v[NR] < hi || v[NR] > 100) print "range " v[1] "-" v[NR] " for data " lo "-" hi }' <<<"$ticks")
[ -n "$ticks" ] && [ -z "$tk" ] && ok || bad "monthly chart scale: $tk ($(tr '\n' ' ' <<<"$ticks"))"

# Thai digits: none unasked; every end value in Thai digits with --style official and with --thai-digits
grep -q '[๐๑๒๓๔๕๖๗๘๙]' <<<"$M" && bad "the modern monthly chart has Thai digits" || ok
for d in "$CO" "$CT"; do
  W=$(chart "$d/2563/r12/monthly-2563-09.pdf" "รายจังหวัด")
  miss=$(awk '{ print $2 }' <<<"$expected" | sed 'y/0123456789/๐๑๒๓๔๕๖๗๘๙/' |
    while read -r v; do awk -v v="$v" '$5 == v { f = 1 } END { exit !f }' <<<"$W" || printf '%s ' "$v"; done)
  names=$(for p in "${provs[@]}"; do awk -v p="$p" '$5 == p' <<<"$W" | wc -l; done | sort -u | tr -d ' \n')
  [ -n "$W" ] && [ -z "$miss" ] && [ "$names" = 1 ] && ok || bad "$d chart: Thai-digit values missing: '$miss', name counts '$names'"
done

# ---- region summary: grade boundaries from the scheme's table ----
S=$(chart "$CM/2563/r8/summary.pdf" "ร้อยละของคะแนนรวมรายจังหวัด")
FIN=templates/finance-r8-2563
# gradelines WORDS GRADES.CSV: per boundary "grade value expected-y label-y", the axis from the ticks 0 and 100
gradelines() {
  awk -F, 'NR > 1 && $2 != "" { print "G", $1, $2 }' "$2" | cat - <(printf '%s\n' "$1") | awk '
    $1 == "G" { g[++n] = $2; b[n] = $3; next }
    { x0 = $1; y = ($2 + $4) / 2; t = $5 }
    t == "0" && (!l0 || x0 < l0x) { y0 = y; l0 = 1; l0x = x0 }
    t == "100" && (!l1 || x0 < l1x) { y100 = y; l1 = 1; l1x = x0 }
    { for (i = 1; i <= n; i++) if (t == g[i]) { c[i]++; gy[i] = y; gx[i] = x0; gh[i] = $4 - $2 } }
    END { for (i = 1; i <= n; i++) printf "%s %s %.2f %.2f %d %.1f %.1f %d\n", g[i], b[i], y0 + (y100 - y0) * b[i] / 100, gy[i], c[i], gx[i], gh[i], n }'
}
GL=$(gradelines "$S" $FIN/grades.csv)
# each grade with a boundary labelled exactly once, right of the plot (beyond the last bar's value)
miss=$(awk '$5 != 1 { printf "%s(%d) ", $1, $5 }' <<<"$GL")
[ -n "$GL" ] && [ -z "$miss" ] && ok || bad "summary chart grade labels not once each: $miss"
# top to bottom in the table's order (80 above 75 above ...): y grows downwards
ord=$(awk 'NR > 1 && $4 <= prev { print "out of order at " $1 } { prev = $4 }' <<<"$GL")
[ -z "$ord" ] && ok || bad "summary chart grade labels: $ord"
# each label by its line: where the axis puts its boundary (from the 0 and 100 ticks), within 2 pt, or, where
# the labels stand a line of text apart (no two touch: 56 reads every page for words that overprint) and a
# leader joins each to its line, within half the stack of labels (the chart shares its page with the province
# table: a plot too low to centre five labels 5 points apart)
off=$(awk '{ d = $3 - $4; m = 2 + ($8 - 1) / 2 * $7; if (d < -m || d > m) printf "%s at %.1f, its line at %.1f; ", $1, $4, $3 }' <<<"$GL")
[ -z "$off" ] && ok || bad "summary chart grade labels off their lines: $off"
grep -q "Mean" <<<"$S" && grep -q "เส้นแบ่งระดับ" <<<"$S" && ok || bad "summary chart legend lacks the band or the grade lines"
# official: the boundaries in Thai digits
SO=$(chart "$CO/2563/r8/summary.pdf" "ร้อยละของคะแนนรวมรายจังหวัด")
grep -q '>๘๐' <<<"$SO" && ! grep -q '>80' <<<"$SO" && ok || bad "official summary chart: boundaries not in Thai digits"
# a scheme that moves D's boundary to 55: the line follows the table
rm -rf "$TMP/g8"; cp -r $FIN "$TMP/g8"
sed -i 's/^D,50,50,51,60,/D,55,50,56,60,/; s/^F,,60,0,50,/F,,60,0,55,/' "$TMP/g8/grades.csv"
expect 0 "summary.pdf" -- "$KHET" render --out "$TMP/g8o" --report summary --scheme "$TMP/g8"
GL=$(gradelines "$(chart "$TMP/g8o/2563/r8/summary.pdf" "ร้อยละของคะแนนรวมรายจังหวัด")" "$TMP/g8/grades.csv")
grep -q "^D 55 " <<<"$GL" && awk '$1 == "D" { d = $3 - $4; m = 2 + ($8 - 1) / 2 * $7; exit !($5 == 1 && d > -m && d < m) }' <<<"$GL" &&
  ! chart "$TMP/g8o/2563/r8/summary.pdf" "ร้อยละของคะแนนรวมรายจังหวัด" | grep -q '>50$' && ok ||
  bad "summary chart does not follow the scheme's boundaries: $GL"

# ---- the official style's charts no smaller than 12 pt (issue 20 point 12): every word of the monthly
# chart and the summary chart (ticks, months, panel names, values, grade labels, legend) stands at least
# 12/14 of the chart's 14 pt title word; the modern style keeps its smaller labels ----
chart_sizes() {
  python3 - "$1" "$2" <<'PY2'
import re, subprocess, sys
pdf, anchor = sys.argv[1], sys.argv[2]
W = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
for page in out.split("<page ")[1:]:
    ws = [(float(b), float(d), t) for a, b, c, d, t in W.findall(page)]
    top = [w for w in ws if w[2] == anchor]
    if not top:
        continue
    ref = top[0][1] - top[0][0]
    foot = min([w[0] for w in ws if w[2] == "ยังไม่ได้ลงนามรับรอง"] + [1e9])
    body = [w for w in ws if w[0] > top[0][1] and w[1] < foot and w[2] != "(ต่อ)"]
    low = min(w[1] - w[0] for w in body) if body else 0
    print("%.3f %d" % (low / ref, len(body)))
    break
PY2
}
for pair in "$CO/2563/r12/monthly-2563-09.pdf รายจังหวัด" "$CO/2563/r8/summary.pdf ร้อยละของคะแนนรวมรายจังหวัด"; do
  set -- $pair
  r=$(chart_sizes "$1" "$2")
  awk -v r="$r" 'BEGIN { split(r, v, " "); exit !(v[2] > 20 && v[1] >= 0.99 * 12 / 14) }' && ok || bad "${1##*/}: official chart text below 12 pt (smallest/title, words: $r)"
done
# ---- the handout's tables: 4.5 pt between each cell's text and the column rules on either side, in every
# style (review finding 9a: at 3 pt the official appendix's "-๒๓๘,๘๙๑,๙๑๐.๐๒" and its heading "เดือนนี้" read
# 1 pt from the rules, the ink of a Thai word reaching past its advance); the rules read from the PDF's
# content stream, the words from poppler's boxes (tests/cell_padding.py) ----
r=$(python3 tests/cell_padding.py --min 4.5 "$CM/2563/r12/monthly-2563-09.pdf" "$CO/2563/r12/monthly-2563-09.pdf" \
  "$CT/2563/r12/monthly-2563-09.pdf" 2>&1)
[ $? = 0 ] && [ "$(grep -c "words in cells" <<<"$r")" = 3 ] && ok || bad "handout cells closer than 4.5 pt to a rule: $(head -5 <<<"$r")"
