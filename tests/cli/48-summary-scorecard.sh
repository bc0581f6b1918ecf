# The region summary and the province scorecards as a finance office files
# them (issue 11): the money table on the summary's first page, the official
# style's tables at 14 pt or more (the summary's table turned: criteria down,
# provinces across), no page left two-thirds empty; the grade table on every
# scorecard and its appendix of the hospitals that pulled each criterion down.
plan 31
FIN=templates/finance-r8-2563
SM="$TMP/sm" SO="$TMP/so"
expect 0 "summary.pdf" -- "$KHET" render --out "$SM" --date 2563-10-15 --report summary
expect 0 "summary.pdf" -- "$KHET" render --out "$SO" --date 2563-10-15 --report summary --style official

# words of a PDF, one a line: page x0 y0 x1 y1 text (poppler's word boxes)
words() {
  pdftotext -bbox "$1" - 2>/dev/null | awk '
    /<page / { pg++; match($0, /height="[0-9.]+"/); ph = substr($0, RSTART + 8, RLENGTH - 9) }
    /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
               split("xMin yMin xMax yMax", k, " ")
               for (i = 1; i <= 4; i++) { match($0, k[i] "=\"[0-9.]+\""); v[i] = substr($0, RSTART + length(k[i]) + 2, RLENGTH - length(k[i]) - 3) }
               print pg, v[1], v[2], v[3], v[4], ph, t }'
}
# Thai digits as ASCII, for awk's patterns
ascii_digits() { sed 's/๐/0/g; s/๑/1/g; s/๒/2/g; s/๓/3/g; s/๔/4/g; s/๕/5/g; s/๖/6/g; s/๗/7/g; s/๘/8/g; s/๙/9/g'; }
thai_digits() { sed 's/0/๐/g; s/1/๑/g; s/2/๒/g; s/3/๓/g; s/4/๔/g; s/5/๕/g; s/6/๖/g; s/7/๗/g; s/8/๘/g; s/9/๙/g'; }

# the claw-back of every province (as khet score has it) and their sum are on page 1
# of the summary, in both styles; the sum is added up here
commas() { awk '{ n = $0; s = ""; split(n, p, "."); i = p[1]; while (length(i) > 3) { s = "," substr(i, length(i) - 2) s; i = substr(i, 1, length(i) - 3) } print i s "." p[2] }' <<<"$1"; }
claws=$("$KHET" score --scheme $FIN | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 ~ /^[0-9]+$/ {print $2 "," $11 "," $7}')
total=$(awk -F, '{ s += $2 * 100 } END { printf "%.2f\n", s / 100 }' <<<"$claws")
p1=$(pdftotext -f 1 -l 1 -layout "$SM/2563/r8/summary.pdf" - 2>/dev/null | tr -s ' ')
# each province's row: its name, its grade and its claw-back on one line
miss=$(while IFS=, read -r name claw grade; do grep -qF -- "$name $grade " <<<"$p1" && grep -F -- "$name " <<<"$p1" | grep -qF -- "$(commas "$claw")" || echo "$name $grade $claw"; done <<<"$claws")
[ "$(wc -l <<<"$claws")" -ge 7 ] && [ -z "$miss" ] && ok || bad "summary page 1 lacks the money of: $miss"
grep -qF -- "$(commas "$total")" <<<"$p1" && grep -q "เงินส่วนที่กัน" <<<"$p1" && ok || bad "summary page 1 lacks the claw-back total $(commas "$total")"
p1o=$(pdftotext -f 1 -l 1 "$SO/2563/r8/summary.pdf" - 2>/dev/null)
thai_total=$(commas "$total" | thai_digits)
grep -qF -- "$thai_total" <<<"$p1o" && grep -q "เงินส่วนที่กัน" <<<"$p1o" && ok || bad "official summary page 1 lacks the claw-back total $thai_total"
# the money table's heading "ดึงกลับ (%)" keeps its word whole in both styles (keep-together:
# the modern style's narrow column read "ดึง / กลับ / (%)", pdftotext's words "ดึง" and "กลับ")
torn=$(for f in "$SM" "$SO"; do words "$f/2563/r8/summary.pdf" | awk -v f="$f" '$7 == "ดึง" { print f ": page " $1 }'; done)
whole=$(for f in "$SM" "$SO"; do words "$f/2563/r8/summary.pdf" | awk '$7 == "ดึงกลับ"' | head -1; done | wc -l)
[ -z "$torn" ] && [ "$whole" -eq 2 ] && ok || bad "the money table's heading tears 'ดึงกลับ' ($whole whole of 2): $torn"

# official style: the score table is turned (the seven provinces side by side on one
# line of its header) and set at 14 pt or more (its cells on the page of its heading and the next: it begins under
# the money table's landscape page, review point 1). Sizes are read from word heights
# against the 16 pt body paragraph (the same font: heights scale with the size).
W=$(words "$SO/2563/r8/summary.pdf" | ascii_digits)
provs=$(awk -F, 'NR > 1 && $4 == 8 {print $2}' data/provinces.csv)
hdr=$(awk -v list="$(tr '\n' ' ' <<<"$provs")" '
  BEGIN { n = split(list, want, " ") }
  $7 == "คะแนนรายจังหวัด" { hp = $1; hy = $5 }
  hp && $1 == hp && $3 > hy && $3 < hy + 40 { line[$7] = 1 }
  END { c = 0; for (i = 1; i <= n; i++) c += (want[i] in line); print c " of " n }' <<<"$W")
[ "${hdr%% of *}" = "${hdr##* of }" ] && [ "${hdr%% of *}" -ge 7 ] && ok || bad "official summary table is not turned: provinces on its header line: $hdr"
sizes=$(awk '
  $7 ~ /^ดึงเงินกลับรวมทั้งเขต/ { body = $5 - $3 }
  $7 == "คะแนนรายจังหวัด" { hp = $1; hy = $5 }
  hp && (($1 == hp && $3 > hy) || $1 == hp + 1) && $7 ~ /^[0-9]+\.[0-9][0-9]$/ { n++; h = $5 - $3; if (!min || h < min) min = h }
  $7 == "ลำดับ" || $7 == "ร้อยละ" { h = $5 - $3; if (!min2 || h < min2) min2 = h }
  END { printf "%d %.2f %.2f\n", n, body ? 16 * min / body : 0, body ? 16 * min2 / body : 0 }' <<<"$W")
read -r ncells size size2 <<<"$sizes"
[ "$ncells" -ge 77 ] && awk -v s="$size" -v t="$size2" 'BEGIN { exit !(s >= 13.95 && t >= 13.95) }' && ok ||
  bad "official summary table below 14 pt: $ncells figure cells, smallest $size pt, result rows $size2 pt"
# modern style keeps the wide table: a province's row carries its 11 criteria on one line
Wm=$(words "$SM/2563/r8/summary.pdf")
row=$(awk '$7 == "คะแนนรายจังหวัด" { h = 1 } h && $7 == "อุดรธานี" && !y { y = $3; p = $1 } p && $1 == p && $3 > y - 2 && $3 < y + 2 && $7 ~ /^[0-9]+\.[0-9][0-9]$/ { n++ } END { print n + 0 }' <<<"$Wm")
[ "$row" -ge 11 ] && ok || bad "modern summary: Udon Thani's row carries $row figures"

# no page less than a third full but the last: the lowest word of the body (between
# the running header and the footer) against the height of the body
fill() {
  words "$1" | awk '
    { ph[$1] = $6; if ($3 >= 0.07 * $6 && $5 <= 0.9 * $6 && $5 > low[$1]) low[$1] = $5; if ($1 > np) np = $1 }
    END { for (p = 1; p < np; p++) { f = (low[p] - 0.07 * ph[p]) / (0.83 * ph[p]); if (f < 1 / 3) printf "page %d %.0f%% full; ", p, 100 * f } }'
}  # (each page by its own height: a document turns some pages portrait)
for f in "$SM/2563/r8/summary.pdf" "$SO/2563/r8/summary.pdf"; do
  e=$(fill "$f"); [ -z "$e" ] && [ "$(pdfinfo "$f" | awk '/^Pages/ {print $2}')" -ge 2 ] && ok || bad "$f: $e"
done
# the check itself can fail: a page break (---) after a short first page
mkdir -p "$TMP/tb/reports"; cp templates/reports/* "$TMP/tb/reports/"
# (the data folder names its schemes: they are looked up in --templates too)
cp -r templates/finance-r8-2563 templates/kpi66-r12-2563 "$TMP/tb/"
printf '# หัวเรื่อง\n\nย่อหน้าสั้น\n\n---\n\n```table money\n```\n\n```table summary\n```\n' > "$TMP/tb/reports/summary.md"
expect 0 "summary.pdf" -- "$KHET" render --out "$TMP/tbo" --templates "$TMP/tb" --report summary --date 2563-10-15
e=$(fill "$TMP/tbo/2563/r8/summary.pdf"); grep -q "^page 1 " <<<"$e" && ok || bad "the page-fill check misses a near-empty page 1: '$e'"

# ---- scorecards: the grade table on every one, and the appendix of hospitals
expect 0 "scorecard-41.pdf" -- "$KHET" render --out "$SM" --date 2563-10-15 --report scorecard
miss=""
# (make test reads scorecards 41 and 47 of each style here and below: the other five differ from them only in
# figures and names; KHET_FULL=1, make check-all, all seven)
sc48() { if [ "${KHET_FULL:-0}" = 1 ]; then echo "$1"/2563/r8/scorecard-*.pdf; else echo "$1"/2563/r8/scorecard-4[17].pdf; fi; }
for f in $(sc48 "$SM"); do
  t=$(pdftotext -layout "$f" - 2>/dev/null)
  # the heading and all seven grades at the start of the table's rows
  g=$(awk '/เกณฑ์การจัดระดับ/ { on = 1 } on && $1 ~ /^(A|B\+|B|C\+|C|D|F)$/ { n++ } END { print n + 0 }' <<<"$t")
  [ "$g" -ge 7 ] || miss="$miss $(basename "$f"):$g"
done
[ -z "$miss" ] && [ "$(ls "$SM"/2563/r8/scorecard-*.pdf | wc -l)" -eq 7 ] && ok || bad "scorecards without the grade table (grades found):$miss"

# every scorecard, in both styles: no page less than a third full but the last
expect 0 "scorecard-41.pdf" -- "$KHET" render --out "$SO" --date 2563-10-15 --report scorecard --style official
e=""; for f in $(sc48 "$SM") $(sc48 "$SO"); do x=$(fill "$f"); [ -z "$x" ] || e="$e $f: $x"; done
[ -z "$e" ] && ok || bad "scorecard pages less than a third full:$e"
# ... and the signatures go over with a fifth of a page of what they sign, not with its last bullet (the modern
# scorecards' p6 held one rule of two lines over the signers, 42 % full after a page 73 % full; the official p9 three)
r=$(python3 tests/sparse_pages.py --signed 0.15 "$SM"/2563/r8/scorecard-*.pdf "$SO"/2563/r8/scorecard-*.pdf 2>&1)
[ $? = 0 ] && grep -q "^14 signature pages read" <<<"$r" && ok || bad "signatures over with a line of what they sign: $(head -c 600 <<<"$r")"
# ... and their terms and comparisons stay whole at a line end, both styles (page review, session 13: the appendix
# read "(ค่า / กลาง 538.22)", criterion 7 "ประสิทธิภาพทางการ / เงิน", the appendix "รายเดือนต่ำ / กว่า 80.00", the targets
# "สูง / กว่าค่า Mean", the rules "ผล / ประเมินล่าสุด", the result "คิด / เป็นร้อยละ"), named here, not read from the list
printf '%s\n' ค่ากลาง ทางการเงิน ต่ำกว่า สูงกว่า น้อยกว่า มากกว่า ผลประเมิน คิดเป็น >"$TMP/terms.txt"
r=$(python3 tests/line_breaks.py "$TMP/terms.txt" $(sc48 "$SM") $(sc48 "$SO") 2>&1)
n=$(for f in $(sc48 "$SM") $(sc48 "$SO"); do words "$f" | awk '$7 ~ /^\(?ค่ากลาง$|ทางการเงิน/'; done | wc -l)
[ "$n" -ge 4 ] && ! grep -q "torn" <<<"$r" && grep -qE "^[0-9]{3,} line pairs checked" <<<"$r" && ok ||
  bad "terms torn at a line end ($n whole): $(grep torn <<<"$r" | head -5)"

# ... and the results box on page 1 in Thai digits too (56 reads the modern and official ones, issue 20 point 9):
# the score of the full points, the grade, the claw-back in words, what the next grade needs
"$KHET" render --out "$TMP/sth" --date 2563-10-15 --report scorecard --province 47 --thai-digits >/dev/null 2>&1
row=$("$KHET" score --scheme $FIN | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 == 47 {print $4, $5, $7}')
read -r t47 m47 g47 <<<"$row"
p1t=$(pdftotext -f 1 -l 1 "$TMP/sth/2563/r8/scorecard-47.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
want="$(thai_digits <<<"$t47") จาก $(thai_digits <<<"$m47") คะแนน"
[ -n "$t47" ] && [[ $p1t == *"$want"* ]] && [[ $p1t == *"ระดับ $g47 "* ]] && [[ $p1t == *"สตางค์)"* ]] &&
  [[ $p1t == *"ระดับถัดไป ต้องได้คะแนนรวมเพิ่มอีก "* ]] && ok || bad "Thai-digit scorecard 47: the results box on page 1 lacks '$want', grade $g47 or the next grade"

# the appendix: criterion 7's and criterion 6's hospitals of Udon Thani (41), worst first,
# worked out here from the data: 7 Plus Efficiency passed below eff7_min; E-Claim acceptance
# over the scheme's period below the province's pooled rate
want=$(python3 - "$FIN/scheme.ini" <<'PY'
import csv, sys, re
ini = open(sys.argv[1], encoding="utf-8").read()
get = lambda k: re.search(r"^%s\s*=\s*(\S+)" % k, ini, re.M).group(1)
emin, p0, p1 = int(get("eff7_min")), get("period_start"), get("period_end")
hosp = {r["hcode"]: r for r in csv.DictReader(open("data/hospitals.csv", encoding="utf-8")) if r["province"] == "41"}
eff = [(int(r["passed"]), r["hcode"]) for r in csv.DictReader(open("data/efficiency7.csv", encoding="utf-8"))
       if r["hcode"] in hosp and int(r["passed"]) < emin]
print(" ".join(h for _, h in sorted(eff)))
cl, ok = {}, {}
for r in csv.DictReader(open("data/eclaim.csv", encoding="utf-8")):
    if r["hcode"] in hosp and p0 <= r["month"] <= p1:
        cl[r["hcode"]] = cl.get(r["hcode"], 0) + int(r["claims"]); ok[r["hcode"]] = ok.get(r["hcode"], 0) + int(r["claims_passed"])
prov = 100 * sum(ok.values()) / sum(cl.values())
low = sorted((100 * ok[h] / cl[h], h) for h in cl if cl[h] and 100 * ok[h] / cl[h] < prov)
print(" ".join(h for _, h in low))
PY
)
t=$(pdftotext -layout "$SM/2563/r8/scorecard-41.pdf" - 2>/dev/null)
codes=$(cut -d, -f1 data/hospitals.csv | tail -n +2 | tr '\n' '|')
group() { # the hospital codes listed under criterion $1's heading row, in order
  awk -v a="^ *ข้อ $1 \\(" -v b="^ *ข้อ $2 \\(" -v codes="$codes" '
    BEGIN { n = split(codes, c, "|"); for (i = 1; i <= n; i++) if (c[i] != "") is[c[i]] = 1 }
    $0 ~ a { on = 1; next } $0 ~ b { on = 0 }
    on { for (i = 1; i <= NF; i++) if ($i in is) printf "%s ", $i }' <<<"$t" | sed 's/ $//'
}
w7=$(sed -n 1p <<<"$want") w6=$(sed -n 2p <<<"$want")
[ -n "$w7" ] && [ "$(group 7 8)" = "$w7" ] && ok || bad "scorecard-41 appendix, criterion 7: got '$(group 7 8)', want '$w7'"
[ -n "$w6" ] && [ "$(group 6 7)" = "$w6" ] && ok || bad "scorecard-41 appendix, criterion 6: got '$(group 6 7)', want '$w6'"
# each hospital with its own figure: the first of criterion 7 shows how many it passed
first7=${w7%% *}
n7=$(awk -F, -v h="$first7" '$1 == h {print $2}' data/efficiency7.csv)
grep -qE "$first7 .*ผ่าน $n7 ตัว" <<<"$t" && ok || bad "scorecard-41 appendix does not show $first7 passing $n7"
# the rule is on the page, and a lower-is-better criterion says so
grep -q "ภาคผนวก" <<<"$t" && grep -qE "ข้อ 9\.1 \(ค่าน้อยดี" <<<"$t" && ok || bad "scorecard-41 appendix lacks its heading or the lower-is-better note"

# ---- a scheme's band_k (Mean ± k·SD) on every page that names or draws the band
# (the chart shaded Mean ± 1SD and the wording said "1SD" whatever band_k said; "1.50SD" in the
# rules, "๑.5SD" with Thai digits). Region 8's scheme with band_k = 1.5 and its criteria's {{band}}.
K15="$TMP/k15"; cp -r $FIN "$K15"; sed -i 's/^band_k = 1$/band_k = 1.5/' "$K15/scheme.ini"
for st in modern official thai; do
  a="--style $st"; [ $st = thai ] && a="--thai-digits"
  "$KHET" render --scheme "$K15" --out "$TMP/k15-$st" --report summary $a >/dev/null 2>&1
  "$KHET" render --scheme "$K15" --out "$TMP/k15-$st" --report scorecard --province 41 $a >/dev/null 2>&1
done
# the provinces' percentages as khet score has them (the chart's bars), their mean, sample SD and
# the band's limits mean ± 1.5 SD
read -r kmean ksd klo khi < <("$KHET" score --scheme "$K15" | awk '/^== summary/ { s = 1; next } /^$/ { s = 0 }
  s && $1 ~ /^[0-9]+$/ { v[++n] = $6; t += $6 }
  END { m = t / n; for (i = 1; i <= n; i++) q += (v[i] - m) ^ 2; sd = sqrt(q / (n - 1))
        printf "%.2f %.2f %.2f %.2f\n", m, sd, m - 1.5 * sd, m + 1.5 * sd }')
leg=$(pdftotext "$TMP/k15-modern/2563/r8/summary.pdf" - 2>/dev/null | tr '\n' ' ')
[[ "$leg" == *"แถบสีเทา: Mean ± 1.5SD = $klo – $khi (SD = $ksd)"* ]] && ok ||
  bad "k = 1.5: the chart's legend does not say 'Mean ± 1.5SD = $klo – $khi (SD = $ksd)': $(grep -o 'แถบสีเทา[^)]*)' <<<"$leg")"
# the shaded band as drawn (the grey 0.88 rectangle): 3 SD tall, from the lower limit up, on the
# scale of the bars (the tallest bar is the highest percentage)
qpdf --qdf --object-streams=disable "$TMP/k15-modern/2563/r8/summary.pdf" "$TMP/k15.qdf" 2>/dev/null
drawn=$(awk '/^[0-9.]+ [0-9.]+ [0-9.]+ rg$/ { g = $1; next }
  / re$/ && g == 0.88 && !bh { by = $2; bh = $4; next }
  / re$/ && bh && g != 0.88 && g != 1 && g != 0 && (!base || $2 == base) { base = $2; if ($4 > tall) tall = $4 }
  END { printf "%s %s %s:%s", by, bh, base, tall }' "$TMP/k15.qdf")
maxp=$("$KHET" score --scheme "$K15" | awk '/^== summary/ { s = 1; next } /^$/ { s = 0 } s && $1 ~ /^[0-9]+$/ && $6 > m { m = $6 } END { print m }')
read -r by bh rest <<<"$drawn"; base=${rest%%:*} tall=${rest##*:}
awk -v by="$by" -v bh="$bh" -v base="$base" -v tall="$tall" -v maxp="$maxp" -v sd="$ksd" -v lo="$klo" 'BEGIN {
  if (!bh || !tall) exit 1; sc = tall / maxp
  exit !(((bh / sc) - 3 * sd) ^ 2 < 0.05 ^ 2 && (((by - base) / sc) - lo) ^ 2 < 0.05 ^ 2) }' && ok ||
  bad "k = 1.5: the chart's band is drawn $(awk -v bh="$bh" -v t="$tall" -v m="$maxp" 'BEGIN { if (t) printf "%.2f", bh * m / t }') points of percentage tall from $(awk -v by="$by" -v b="$base" -v t="$tall" -v m="$maxp" 'BEGIN { if (t) printf "%.2f", (by - b) * m / t }'), wanted 3 SD = $(awk -v s="$ksd" 'BEGIN { printf "%.2f", 3 * s }') from $klo"
# every style: the band named with band_k's figure in Arabic digits (rules, chart, the scorecard's
# targets and its note), z said in units of 1.5SD, the limits in the page's digits; never 1SD
e=""
for st in modern official thai; do
  for f in "$TMP/k15-$st"/2563/r8/summary.pdf "$TMP/k15-$st"/2563/r8/scorecard-41.pdf; do
    [ -f "$f" ] || { e="$e $st:${f##*/} missing;"; continue; }
    # (the text without blanks: a line may end anywhere in the Thai words)
    t=$(pdftotext "$f" - 2>/dev/null | tr -d ' \n')
    [[ "$t" == *"ช่วงคือMean±1.5SDของจังหวัดในเขต"* ]] || e="$e $st:${f##*/} no 'ช่วงคือ Mean ± 1.5SD';"
    [[ "$t" == *"zคือผลต่างของค่าจังหวัดจากค่าเฉลี่ยหารด้วย1.5SD"* ]] || e="$e $st:${f##*/} z not defined on 1.5SD;"
    grep -qE '±1SD|1\.50SD|๑\.5|๑SD' <<<"$t" && e="$e $st:${f##*/} $(grep -oE '.{12}(±1SD|1\.50SD|๑\.5|๑SD).{4}' <<<"$t" | head -2 | tr '\n' '|');"
  done
  t=$(pdftotext "$TMP/k15-$st"/2563/r8/scorecard-41.pdf - 2>/dev/null | tr -d ' \n')
  [[ "$t" == *"ค่าMean±1.5SD"* && "$t" == *"ดีกว่าค่าเฉลี่ยเกิน1.5SD"* ]] || e="$e $st: scorecard targets or note not on 1.5SD;"
  lim="Mean±1.5SD=$klo–$khi"; [ $st = modern ] || lim="Mean±1.5SD=$(thai_digits <<<"$klo")–$(thai_digits <<<"$khi")"
  [[ "$(pdftotext "$TMP/k15-$st"/2563/r8/summary.pdf - 2>/dev/null | tr -d ' \n')" == *"$lim"* ]] || e="$e $st: no '$lim';"
done
[ -z "$e" ] && ok || bad "k = 1.5 documents:$e"
# a scheme that says the band in words another band_k contradicts is warned of (write {{band}});
# the shipped scheme ({{band}}, k = 1) is not
cp -r "$K15" "$TMP/k15lit"; sed -i 's/{{band}}/Mean ± 1SD/g' "$TMP/k15lit/criteria.csv"
w=$("$KHET" check --scheme "$TMP/k15lit" 2>&1 | grep -c "names the band '± 1SD' but the scheme's band_k is 1.5 (Mean ± 1.5SD): write {{band}}")
q=$("$KHET" check --scheme $FIN 2>&1 | grep -c "names the band")
[ "$w" = 10 ] && [ "$q" = 0 ] && ok || bad "band wording warnings: $w for the literal 1SD criteria (wanted 10), $q for the shipped scheme (wanted 0)"

# ---- Thai lines a typist accepts
# below about 44 mm a glued number+unit group at 16 pt ("4,026,272.88 บาท") is wider than the
# line: it breaks at the space between number and unit, never inside the number, and the unit
# stays whole (the old fallback cut it: "4,026,272.88 บา | ท")
cat > "$TMP/nu.txt" <<'TXT'
ดึงเงินกลับรวม 4,026,272.88 บาท คิดเป็นร้อยละ 76.94 เวลา 16.00 น. ทั้งหมด 77 แห่ง ปีละ 2 ครั้ง คงเหลือ 36,236,455.88 บาท
TXT
errs=""
# (every 4 mm in make test; every 1 mm with KHET_FULL=1, make check-all: the same check at the widths between)
for w in $(seq 20 "$([ "${KHET_FULL:-0}" = 1 ] && echo 1 || echo 4)" 44); do
  "$KHET" typeset --in "$TMP/nu.txt" --out "$TMP/nu.pdf" --width "$w" >/dev/null 2>&1 || { errs="$errs $w:failed"; continue; }
  # (the lines but the page number's and the blank ones, checked in one awk: no grep each)
  pdftotext "$TMP/nu.pdf" "$TMP/nu.text"
  e=$(awk '/^หน้า/ || /^$/ { next }
           { l++ }
           l > 1 && prev ~ /[0-9,.]$/ && $0 ~ /^[0-9,.]/ { print "number cut: " prev " | " $0 }
           l > 1 && prev ~ /[0-9]$/ && $0 ~ /^(บ|บา|าท|ท|แห|่ง|ครั|้ง|น)( |$)/ { print "unit cut: " prev " | " $0 }
           { prev = $0; for (i = 1; i <= 4; i++) if ($0 ~ num[i]) seen[i] = 1; if ($0 ~ /^บาท|บาท$|บาท /) baht++ }
           BEGIN { split("4,026,272.88 36,236,455.88 76.94 16.00", num, " ") }
           END { for (i = 1; i <= 4; i++) if (!seen[i]) printf " \047%s\047 not whole", num[i]; if (baht < 2) printf " a บาท cut" }' "$TMP/nu.text")
  [ -z "$e" ] || errs="$errs $w mm: $e;"
done
[ -z "$errs" ] && ok || bad "narrow widths cut a number or a unit:$errs"

# justified text: the last line of a paragraph and a one-line paragraph are set exactly as
# flush-left text (the same word boxes), while the lines before it are spread
cat > "$TMP/jl.txt" <<'TXT'
ข้อมูล ณ วันที่ 10 ตุลาคม 2563 เวลา 16.00 น. ของ จังหวัด ใน เขต ที่ 8 มี โรงพยาบาล 77 แห่ง ผ่าน เกณฑ์ 60 แห่ง ไม่ผ่าน 17 แห่ง ดึงเงิน กลับ รวม 4,026,272.88 บาท คงเหลือ 36,236,455.88 บาท จาก เงิน ส่วน ที่ กัน ทั้ง หมด ของ ปี นี้ และ ปี ก่อน

ย่อหน้า สั้น มาก
TXT
"$KHET" typeset --in "$TMP/jl.txt" --out "$TMP/jj.pdf" --width 100 --align justify >/dev/null 2>&1
"$KHET" typeset --in "$TMP/jl.txt" --out "$TMP/jf.pdf" --width 100 --align left >/dev/null 2>&1
lines() { words "$1" | awk '$7 !~ /^หน้า$/ && $3 < 0.9 * $6 { y = sprintf("%.1f", $3); if (!(y in seen)) { seen[y] = 1; order[++n] = y }
            line[y] = line[y] sprintf("%.1f:%s ", $2, $7) }
          END { for (i = 1; i <= n; i++) print order[i], line[order[i]] }'; }
J=$(lines "$TMP/jj.pdf") F=$(lines "$TMP/jf.pdf")
nl=$(wc -l <<<"$J")
[ "$nl" -ge 4 ] && [ "$(tail -2 <<<"$J")" = "$(tail -2 <<<"$F")" ] && ok ||
  bad "the last line or a short paragraph is spread: $(tail -2 <<<"$J") vs $(tail -2 <<<"$F")"
spread=$(paste -d'\n' <(head -n $((nl - 2)) <<<"$J") <(head -n $((nl - 2)) <<<"$F") | awk 'NR % 2 { a = $0; next } $0 != a { n++ } END { print n + 0 }')
[ "$spread" -ge 3 ] && ok || bad "justified lines before the last are not spread ($spread of $((nl - 2)) differ)"
