# What an inspector reads on the documents (issue 20): the rules the
# announcement leaves open printed with their mark, the grade table quoting the
# announcement, criterion 9.1's rule as scheme data (switched to Mean ± 1SD,
# the scores and the printed rule follow it).
plan 115
FIN=templates/finance-r8-2563
IQ="$TMP/iq"
rm -rf "$IQ"; "$KHET" render --out "$IQ/m" --date 2563-10-15 --report scorecard --province 41 >/dev/null 2>&1
# the rules block as one line, each bullet on a line of its own
rules() { pdftotext "$1" - 2>/dev/null | tr '\n' ' ' | sed 's/•/\n•/g' | sed 's/ร่าง ยังไม่ได้ลงนาม.*หน้า [0-9]* \/ [0-9]*//'; }
R=$(rules "$IQ/m/2563/r8/scorecard-41.pdf")
NS="(ประกาศมิได้ระบุ)"
# every reading the scheme marks is printed with the mark, in its own bullet
for want in "ข้อ 9.1 ให้คะแนนแบบผ่านหรือไม่ผ่านทั้งข้อ: ค่าไม่เกิน 4 ได้ 40.00 คะแนนเต็ม มิฉะนั้นได้ 0 คะแนน" \
  "\"ค่าใช้จ่ายประสิทธิภาพ\" คือค่าใช้จ่ายเฉลี่ยต่อเดือน" "คุณภาพ E-Claim = จำนวนรายการที่ผ่าน ÷ จำนวนรายการที่ส่ง" \
  "\"ค่ากลาง\" คือมัธยฐานของต้นทุนนั้นของหน่วยบริการระดับเดียวกันในเขต" "\"ดีขึ้น\" คือระดับความเสี่ยงของเดือนสุดท้าย" \
  "ข้อ 9.1 ร้อยละ 40, ข้อ 9.2 ร้อยละ 30 และข้อ 9.3 ร้อยละ 30" "แบบตัวอย่าง (STDEV ของ Excel"; do
  # (spaces left out on both sides: a portrait page wraps the rules elsewhere, and a line end reads as a space)
  tr -d ' ' <<<"$R" | grep -F -- "${want// /}" | grep -qF -- "$NS" && ok || bad "rules: '$want' missing or not marked $NS"
done
# the mark is the scheme's: a reading it does not mark is printed without it
rm -rf "$TMP/s"; cp -r $FIN "$TMP/s"
sed -i 's/,nwc_ratio,higher,zband,,measure,/,nwc_ratio,higher,zband,,,/' "$TMP/s/criteria.csv"
sed -i 's/^assumed = .*/assumed = tb_pass_score no_data/' "$TMP/s/scheme.ini"
"$KHET" render --scheme "$TMP/s" --out "$IQ/u" --report scorecard --province 41 >/dev/null 2>&1
R=$(rules "$IQ/u/2563/r8/scorecard-41.pdf")
l=$(grep -F "ค่าใช้จ่ายประสิทธิภาพ\" คือ" <<<"$R"); s=$(grep -F "แบบตัวอย่าง (STDEV" <<<"$R")
[ -n "$l" ] && [ -n "$s" ] && ! grep -qF "$NS" <<<"$l$s" && ok || bad "unmarked readings printed with the mark: $l / $s"

# the grade table quotes the announcement: A "มากกว่าร้อยละ 80", F not in it
G=$(pdftotext -layout "$IQ/m/2563/r8/scorecard-41.pdf" - 2>/dev/null)
grep -qE "^ *A +มากกว่าร้อยละ 80 +มากกว่า 80.00" <<<"$G" && ok || bad "grade table: A is not quoted as 'มากกว่าร้อยละ 80'"
grep -qE "^ *F +– \(ไม่มีในประกาศ\) +ไม่เกิน 50.00" <<<"$G" && ok || bad "grade table: F is not marked as outside the announcement"
grep -qF "81 – 100" <<<"$G" && bad "grade table still prints '81 – 100'" || ok

# criterion 9.1 switched to the Mean ± 1SD bands in the scheme: the scores follow, and so does the printed rule
rm -rf "$TMP/s1"; cp -r $FIN "$TMP/s1"
sed -i 's/,100,40,risk7,lower,threshold,4,rule weights measure,/,100,40,risk7,lower,zband,,weights measure,/' "$TMP/s1/criteria.csv"
grep -q ",risk7,lower,zband," "$TMP/s1/criteria.csv" && ok || bad "could not switch 9.1 to zband in the copy of the scheme"
a=$("$KHET" score --scheme $FIN | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 ~ /^[0-9]+$/ {print $1, $7}')
b=$("$KHET" score --scheme "$TMP/s1" | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 ~ /^[0-9]+$/ {print $1, $7}')
[ -n "$a" ] && [ "$a" != "$b" ] && ok || bad "9.1 on bands changes no grade: $a / $b"
"$KHET" render --scheme "$TMP/s1" --out "$IQ/z" --report scorecard --province 41 >/dev/null 2>&1
R=$(rules "$IQ/z/2563/r8/scorecard-41.pdf")
grep -qF "คะแนนตามช่วง (ข้อ 1, 2, 3, 4, 5, 6, 7, 8, 9.1, 9.2, 9.3)" <<<"$R" && ok || bad "9.1 on bands: the rules do not list 9.1 among the banded criteria"
grep -qF "ข้อ 9.1 ให้คะแนนแบบผ่านหรือไม่ผ่าน" <<<"$R" && bad "9.1 on bands: the all-or-nothing rule is still printed" || ok
# the scorecard's 9.1 row carries a band, not ผ่าน/ไม่ผ่าน
grep -E "^ *9\.1 " <(pdftotext -layout "$IQ/z/2563/r8/scorecard-41.pdf" - 2>/dev/null) | grep -qE "ดีกว่าช่วง|อยู่ในช่วง|ต่ำกว่าช่วง" && ok || bad "9.1 on bands: its row has no band"
# a reading the scheme cannot mark is refused at its line
rm -rf "$TMP/s2"; cp -r $FIN "$TMP/s2"; sed -i 's/,zband,,measure,/,zband,,meaning,/' "$TMP/s2/criteria.csv"
expect 2 "criteria.csv:3:[0-9]+: error: column 'assumed'" -- "$KHET" score --scheme "$TMP/s2"
rm -rf "$TMP/s2"; cp -r $FIN "$TMP/s2"; sed -i 's/^assumed = sd/assumed = sdd/' "$TMP/s2/scheme.ini"
expect 2 "scheme.ini:[0-9]+:[0-9]+: error: setting .assumed." -- "$KHET" score --scheme "$TMP/s2"

# ---- KPI 66: the region's own ผ่าน/ไม่ผ่าน, by the scheme's rule (point 1) ----
KPI=templates/kpi66-r12-2563
"$KHET" render --out "$IQ/k" --date 2563-10-15 --report kpi >/dev/null 2>&1
"$KHET" render --out "$IQ/k" --date 2563-10-15 --report monthly >/dev/null 2>&1
p1=$(pdftotext -f 1 -l 1 "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
p1n=${p1// /}  # without spaces: the portrait first page wraps its rule wherever its measure ends
p1l=$(pdftotext -layout -f 1 -l 1 "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null)
# expected, from kpi_stages.csv: every line of work at the 12-month stage passed?
want=$(awk -F, 'NR > 1 && $1 == 12 && $4 == 12 { n++; p += $6 == "ผ่าน" } END { print (n && p == n) ? "ผ่าน" : "ไม่ผ่าน" }' data/kpi_stages.csv)
grep -qF "ผลของเขตสุขภาพที่ 12 ตัวชี้วัดที่ 66: $want" <<<"$p1" && ok || bad "kpi66 p1 headline is not the region's '$want'"
grep -qF "ไม่น้อยกว่าร้อยละ100ของประเด็นทั้งหมด" <<<"$p1n" && grep -qF "(ประกาศมิได้ระบุ)" <<<"$p1" && ok || bad "kpi66 p1 does not state the rule that decides"
grep -qF "ไม่บรรลุเป้าหมาย" <<<"$p1" && bad "kpi66 p1 still rates the share of lines of work as the KPI" || ok
# round 2 beside round 1 (point 17): the 6-month stage's passes, from kpi_stages.csv, by the same rule
r1=$(awk -F, 'NR > 1 && $1 == 12 && $4 == 6 { n++; p += $6 == "ผ่าน" } END { printf "%d %d %.2f %s", p, n, 100 * p / n, (p == n) ? "ผ่าน" : "ไม่ผ่าน" }' data/kpi_stages.csv)
set -- $r1
# (the label wraps in its cell: the row's first line carries its figures, the stage is on the lines under it)
grep -qE "^เทียบกับรอบที่ 1: .* $1 +$2 +$3 +$4 \(รอบที่ 1\)" <<<"$p1l" &&
  grep -qF "SmallSuccessระยะ6เดือน" <<<"$p1n" && ok ||
  bad "kpi66 p1 does not compare with round 1 ($r1)"
# the rule is the scheme's: 30 % of the lines of work, and 1 of 3 passes
rm -rf "$TMP/k1"; cp -r $KPI "$TMP/k1"; sed -i 's/^region_pass_lines = 100/region_pass_lines = 30/' "$TMP/k1/scheme.ini"
"$KHET" render --kpi-scheme "$TMP/k1" --out "$IQ/k1" --report kpi >/dev/null 2>&1
p1=$(pdftotext -f 1 -l 1 "$IQ/k1/2563/r12/kpi66.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
grep -qF "ตัวชี้วัดที่ 66: ผ่าน" <<<"$p1" && grep -qF "ไม่น้อยกว่าร้อยละ30ของประเด็นทั้งหมด" <<<"${p1// /}" && ok || bad "kpi66 headline does not follow region_pass_lines = 30"

# ---- one CMI share: handout, KPI report and JSON print the same counts (point 2) ----
json=$("$KHET" score --scheme $KPI --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d["provinces"]: print(p["name_th"], p["cmi"]["pass"], p["cmi"]["hospitals"])
print("รวม", d["cmi"]["pass"], d["cmi"]["hospitals"], d["cmi"]["counted_levels"])')
# the handout: "<province> pass/n share"; its heading names the levels
H=$(pdftotext -layout "$IQ/k/2563/r12/monthly-2563-09.pdf" - 2>/dev/null)
grep -qF "A–F2 (แห่ง)" <<<"$H" && ok || bad "handout CMI heading does not name the KPI's levels"
K=$(pdftotext -layout "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | sed -n '/5. สรุปร้อยละ/,/ผ่านเกณฑ์ CMI ทั้งเขต/p')
miss=""
while read -r name np nn lv; do
  [ "$name" = รวม ] && { hn="รวมเขตสุขภาพที่ 12"; kn="ทั้งเขตสุขภาพที่ 12"; } || { hn=$name; kn=$name; }
  share=$(awk -v p="$np" -v n="$nn" 'BEGIN { printf "%.2f", 100 * p / n }')
  grep -E "^ *$hn +$np/$nn +$share " <<<"$H" >/dev/null || miss="$miss handout:$name"  # (its cells padded: a space before)
  grep -E "^$kn +$nn +$np +$share " <<<"$K" >/dev/null || miss="$miss kpi:$name"
done <<<"$json"
[ "$(wc -l <<<"$json")" -ge 8 ] && [ -z "$miss" ] && ok || bad "CMI counts differ from the JSON's:$miss"
grep -q "รวม .* A-F2$" <<<"$json" && ok || bad "JSON does not say which levels its CMI counts cover"

# ---- no program, command or file names on any page (point 13) ----
"$KHET" render --out "$IQ/all" --date 2563-10-15 >/dev/null 2>&1
"$KHET" render --out "$IQ/all" --date 2563-10-15 --report booklet >/dev/null 2>&1
"$KHET" render --out "$IQ/off" --style official >/dev/null 2>&1
# gaps in the data and a scheme of another year put their own lines on the page
fresh; sed -i '/^10651,2563-05,/d' "$TMP/d/finance.csv"
"$KHET" render --data "$TMP/d" --out "$IQ/gap" --report scorecard --province 41 --allow-incomplete >/dev/null 2>&1
rm -rf "$TMP/s3"; cp -r $FIN "$TMP/s3"; sed -i 's/^fiscal_year = 2563/fiscal_year = 2564/; s/^period_start = 2563-04/period_start = 2564-04/; s/^period_end = 2563-09/period_end = 2564-09/' "$TMP/s3/scheme.ini"
"$KHET" render --scheme "$TMP/s3" --out "$IQ/yr" --report scorecard --province 41 --allow-year-mismatch >/dev/null 2>&1
# the documents of both styles the sweeps below read (line breaks, page starts, signatures alone,
# sparse pages): make test leaves out the booklets (they bind these same documents behind a cover and
# a contents page, which 46-booklet reads) and five of the seven scorecards of each style (41 and 47
# stay: they differ from the other five only in figures and names); KHET_FULL=1 (make check-all)
# reads every one. sc_docs STYLE: the scorecards the per-scorecard checks read, the same two or all seven.
sweep_docs() {
  find "$IQ/all" "$IQ/off" -name '*.pdf' | sort |
    if [ "${KHET_FULL:-0}" = 1 ]; then cat; else grep -v -e '/booklet-' -e '/scorecard-\(38\|39\|42\|43\|48\)\.pdf$'; fi
}
sc_docs() {
  if [ "${KHET_FULL:-0}" = 1 ]; then echo "$IQ/$1"/2563/r8/scorecard-*.pdf; else echo "$IQ/$1"/2563/r8/scorecard-4[17].pdf; fi
}
n=0 kept=()
for f in $(find "$IQ/all" "$IQ/off" "$IQ/gap" "$IQ/yr" -name '*.pdf' | sort); do
  n=$((n + 1))
  # a booklet binds the documents read here alone behind its cover and contents page (46-booklet
  # checks they are the same): make test reads those two pages of it, KHET_FULL=1 every page
  if [[ $f == */booklet-* ]] && [ "${KHET_FULL:-0}" != 1 ]; then _pdftext "$f" "" 1 2; else _pdftext "$f"; fi
  kept+=("$REPLY")
done
# (one grep over the kept texts, FILE:NAME a line, not a grep, a sort and a tr a document; the kept
# text's name ends in the document's)
names=$(grep -oHE '\bkhet\b|[A-Za-z0-9_]+\.(csv|md|ini)\b|--[a-z][a-z-]+|[a-z0-9]+-r[0-9]+-[0-9]{4}' "${kept[@]}" | sort -u |
  awk '{ f = $0; sub(/:.*/, "", f); w = substr($0, length(f) + 2); d = f; sub(/.*%/, "", d); sub(/@.*/, "", d)
         if (f != last) printf " %s:", d; printf " %s", w; last = f }')
[ "$n" -ge 24 ] && [ -z "$names" ] && ok || bad "program, command or file names on the page ($n documents):$names"
# ... and the gap and the year are still said, in words
grep -qF "ข้อมูลการเงินรายเดือน: ไม่มีข้อมูลเดือน พ.ค. 2563" <(pdftotext "$IQ/gap/2563/r8/scorecard-41.pdf" - 2>/dev/null) && ok || bad "the gap is not said in words"
pdftotext "$IQ/yr/2563/r8/scorecard-41.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "เป็นของปีงบประมาณ 2564 แต่ข้อมูลเป็นของปีงบประมาณ 2563" && ok || bad "the year mismatch is not said"

# ---- no line break inside a range, after an operator, between a day, its month and its year, after
# "เวลา", or inside a compound of the lists (point 10), on every page of every document in both styles ----
r=$(python3 tests/line_breaks.py templates/reports/keep-together.txt $(sweep_docs) 2>&1)
[ $? = 0 ] && grep -qE "^[0-9]{4,} line pairs checked" <<<"$r" && ok || bad "groups torn at a line end: $(head -c 600 <<<"$r")"
# ... and the data's date stays one phrase, "ข้อมูล ณ วันที่ …", on the booklet's cover and in the opening
# paragraph (the keep-together list; line_breaks.py sees only the two words either side of a break: page
# review, session 10, "(ข้อมูล | ณ วันที่ 10 ตุลาคม 2563)" on the cover, "ข้อมูล | ณ วันที่ 10 …" in the summary)
dl=""
grep -qxF "(ข้อมูล ณ วันที่ 10 ตุลาคม 2563)" <(pdftotext -f 1 -l 1 "$IQ/all/2563/r8/booklet-round2.pdf" - 2>/dev/null) || dl="$dl cover"
grep -qE "^ข้อมูล ณ วันที่ 10 ตุลาคม 2563 " <(pdftotext -f 1 -l 1 "$IQ/all/2563/r8/summary.pdf" - 2>/dev/null) || dl="$dl summary"
[ -z "$dl" ] && ok || bad "the data's date torn from 'ข้อมูล':$dl"

# ---- the official style's Thai digits leave codes, levels and foreign names alone (point 12) ----
ot=$( (pdftotext "$IQ/off/2563/r8/scorecard-41.pdf" - ; pdftotext "$IQ/off/2563/r12/kpi66.pdf" -; pdftotext "$IQ/off/2563/r12/monthly-2563-09.pdf" -) 2>/dev/null | tr "\n" " ")
miss=""
# (the band's name "Mean ± 1SD", one spelling, never "ค่าเฉลี่ย ± 1 SD"; but a figure of the prose in Thai
# digits, a formula's operand too, "หารด้วย n − ๑" as the bounds "(z > ๑.๐๐) ได้ร้อยละ ๑๐๐", not "n − 1", "(z > 1.00)
# ได้ ๑๐๐%": review finding 10, issue 20 point 12 (a formula is no code, level or foreign name: session 13), a share "ร้อยละ N" as official Thai writes it; risk levels, "ระดับ 4–7", "รพ.จะนะ (7)";
# telephone numbers, dialled or copied, not read as quantities; the levels' range with its en dash, "A–F2", in the
# Small Success row label too, not the seed's "A-F2": review point 6)
for w in "Mean ± 1SD" "(7 Plus Efficiency)" "A–F2" "ปีงบประมาณ ๒๕๖๓" "n − ๑)" "(z > ๑.๐๐)" "(z ≥ -๑.๐๐)" \
  "ระดับ 4–7" "ระดับ 7 มี ๘ แห่ง" "รพ.จะนะ (7)" "โทร 0-7431-"; do grep -qF -- "$w" <<<"$ot" || miss="$miss '$w'"; done
grep -qE "(^| )1[0-9]{4} " <<<"$ot" || miss="$miss 'a five-digit code'"
for w in "๑SD" "F๒" "M๒" "๗ Plus" "(๕ Years" "n − 1" "± ๑ SD" "± 1 SD" "z > 1" "ระดับ ๗" "ระดับ ๔" "(๗)" "โทร ๐" "A-F2"; do grep -qF -- "$w" <<<"$ot" && miss="$miss not:'$w'"; done
grep -qE "(๐|๑|๒|๓|๔|๕|๖|๗|๘|๙)%" <<<"$ot" && miss="$miss not:'$(grep -oE ".{12}(๐|๑|๒|๓|๔|๕|๖|๗|๘|๙)%" <<<"$ot" | head -1)'"
[ -z "$miss" ] && ok || bad "official style digits:$miss"

# ---- the reserve under the title: summary and the cover of the booklet binding it (point 14) ----
# (the value with its indented continuation lines: a trailing \ is a space)
note=$(awk '/^reserve_note = / { sub(/^reserve_note = /, ""); v = $0; c = 1; next }
  c && /^[ \t]/ { sub(/ *\\$/, " ", v); sub(/^[ \t]+/, ""); v = v $0; next } { c = 0 } END { print v }' $FIN/scheme.ini |
  sed 's/{{fiscal_year}}/2563/')
# y (top) of the first word of a line of page 1 starting with $2
ytop() { pdftotext -f 1 -l 1 -bbox "$1" - 2>/dev/null | awk -v w="$2" '/<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
  if (t == w && !y) { match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) } } END { print y + 0 }'; }
for f in "$IQ/all/2563/r8/summary.pdf" "$IQ/all/2563/r8/booklet-round2.pdf"; do
  # the note's words on page 1, and just under the title (its first word within 80 pt below the title's first word:
  # the portrait cover wraps the title, and the note, over two lines)
  ty=$(ytop "$f" "$(pdftotext -f 1 -l 1 "$f" - 2>/dev/null | grep -m1 -oE '^(สรุปผล|เอกสารประกอบ)\S*')")
  ny=$(ytop "$f" "${note%% *}")
  pdftotext -f 1 -l 1 "$f" - 2>/dev/null | tr -d ' \n' | grep -qF -- "${note// /}" && awk -v t="$ty" -v n="$ny" 'BEGIN { exit !(t > 0 && n > t && n < t + 80) }' \
    && ok || bad "${f##*/}: the reserve note '$note' is not under the title (title y $ty, note y $ny)"
done

# ---- Small Success goals agree with the narrative; the notes with the figures (point 4) ----
kt=$(pdftotext "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
grep -qF "(องค์ประกอบ 1–4)" <<<"$kt" && ! grep -qF "(องค์ประกอบ 1–2)" <<<"$kt" && ok || bad "kpi66: the 3-month goal is not components 1–4"
# the notes' counts are the data's: community hospitals not accredited, hospitals of the region
na=$("$KHET" score --scheme $KPI --format json | python3 -c 'import json,sys; c=json.load(sys.stdin)["cmi"]; print(c["community"] - c["community_ha"])')
nh=$(awk -F, 'FNR == 1 { f++; next } f == 1 && $4 == 12 { p[$1] = 1 } f == 2 && ($3 in p) { n++ } END { print n }' data/provinces.csv data/hospitals.csv)
grep -qF "โรงพยาบาลชุมชน $na แห่ง ยังไม่ผ่านการรับรอง HA" <<<"$kt" && grep -qF "ใช้ครบทุกโรงพยาบาลในเขต $nh แห่ง" <<<"$kt" && ok || bad "kpi66 notes do not agree with the data ($na not accredited, $nh hospitals)"
# a goal naming fewer components than the narrative of its stage is warned about
fresh; sed -i 's/(องค์ประกอบ 1–4)/(องค์ประกอบ 1–2)/' "$TMP/d/kpi_stages.csv"
expect 0 "kpi_stages.csv: warning: the 3-month goal of '- ใช้ Thai Refer' names components 1-2, but the narrative of the same stage \(kpi.csv\) describes component 4" -- "$KHET" render --data "$TMP/d" --out "$IQ/w" --report kpi
"$KHET" render --out "$IQ/w2" --report kpi 2>&1 | grep -q "warning" && bad "the sample data warns of its stage goals" || ok
# "ตองเอ" stays one word, as the seed writes it
grep -qF "ตองเอ (AAA)" <<<"$kt" && ! grep -qF "ตอง เอ" <<<"$kt" && ok || bad "kpi66: 'ตองเอ' is split"
# what was done at each stage up to the report's (12 months: September), not only the 3-month narratives
# (point 17): under each line of work of kpi.csv, section 3 heads the stages 3, 6, 9, 12 in order, and the
# last stage's narratives are there
s3=$(pdftotext "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | sed -n '/^3. คำอธิบาย/,/^4. ดัชนี/p' | grep -v "^ร่าง" | tr '\n' ' ' | tr -s ' ')
# (the headings a continued page repeats, marked "(ต่อ)", left out)
seq=$(sed -E 's/(Small Success [0-9]+ เดือน|- ใช้ Thai Refer|- โรงพยาบาลชุมชนผ่าน HA|- เพิ่ม CMI ในระดับ A–F2) \(ต่อ\)//g' <<<"$s3" |
  grep -oE "(- [^ ]+ [^ ]+|Small Success [0-9]+ เดือน)" | grep -E "^(- ใช้|- โรงพยาบาลชุมชนผ่าน|- เพิ่ม|Small)" | tr '\n' '|')
want=""; for lw in "- ใช้ Thai" "- โรงพยาบาลชุมชนผ่าน HA" "- เพิ่ม CMI"; do want="$want$lw|Small Success 3 เดือน|Small Success 6 เดือน|Small Success 9 เดือน|Small Success 12 เดือน|"; done
[ "$seq" = "$want" ] && ok || bad "kpi66 section 3 does not give every stage up to 12 months per line of work: $seq"
# (the narratives read from their column over section 3's pages, as 30-render reads them: poppler's reading order
# over the whole page takes a narrative's last line after the next row's first when the issue beside it is taller)
pg=$(pdftotext "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /(^|\n)3\. คำอธิบาย/ && !a { a = NR } /(^|\n)4\. ดัชนี/ { print a, NR; exit }')
s3n=$(pdftotext -f "${pg% *}" -l "${pg#* }" -x 444 -y 45 -W 351 -H 485 "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | tr -d ' \n\f')
miss=$(awk -F, 'NR > 1 && $5 == "12 เดือน" { print $NF }' data/kpi.csv | while read -r a; do [[ -n $s3n && $s3n == *"${a// /}"* ]] || echo "$a"; done)
[ -z "$miss" ] && [ "$(awk -F, 'NR > 1 && $5 == "12 เดือน"' data/kpi.csv | wc -l)" -ge 3 ] && ok || bad "kpi66 lacks 12-month narratives: $miss"
# a stage the report reaches without a narrative is said to be so, on the page and as a warning
fresh; sed -i '/,9 เดือน,- ใช้ Thai Refer,/d' "$TMP/d/kpi.csv"
expect 0 "kpi.csv: warning: '- ใช้ Thai Refer' has no narrative for the 9-month stage" -- "$KHET" render --data "$TMP/d" --out "$IQ/w9" --report kpi
pdftotext "$IQ/w9/2563/r12/kpi66.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "ไม่ได้รายงานการดำเนินงานของระยะนี้" && ok || bad "a stage without narrative is not said to be so"

# ---- shared ranks, one precision per measure, the handout's own footer (point 6) ----
ranks=$("$KHET" score --scheme $FIN | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 ~ /^[0-9]+$/ {print $1, $2, $8}')
# a province whose rank another shares names it on its scorecard
shared=$(awk '{ n[$3]++; who[$3] = who[$3] " " $1 ":" $2 } END { for (r in n) if (n[r] == 2) print who[r] }' <<<"$ranks" | head -1)
set -- $shared
a=${1%%:*} an=${1##*:} bn=${2##*:}
[ -n "$a" ] && grep -qF "ลำดับในเขต" <(pdftotext -layout "$IQ/all/2563/r8/scorecard-$a.pdf" - 2>/dev/null) \
  && pdftotext -layout "$IQ/all/2563/r8/scorecard-$a.pdf" - 2>/dev/null | grep "ลำดับในเขต" | grep -qF "(ร่วมกับ$bn)" && ok \
  || bad "scorecard $a ($an) does not say its rank is shared with $bn (ranks: $ranks)"
# ... and so do the summary's tables, both styles (they printed "1 (ร่วม)": review point 6)
miss=""
for f in "$IQ"/{all,off}/2563/r8/summary.pdf; do
  t=$(pdftotext "$f" - 2>/dev/null | tr -d ' \n')
  { [[ $t == *"(ร่วมกับ$bn)"* ]] && [[ $t == *"(ร่วมกับ$an)"* ]] && [[ $t != *"(ร่วม)"* ]]; } || miss="$miss ${f#$IQ/}"
done
[ -n "$bn" ] && [ -z "$miss" ] && ok || bad "summary does not name who shares a rank ($an, $bn):$miss"
# ratios 4 decimals, shares 2, whatever their size: 9.1's small share keeps 2
sc=$(pdftotext -layout "$IQ/all/2563/r8/scorecard-41.pdf" - 2>/dev/null)
r1=$(grep -E "^ *1 ค่า SD" <<<"$sc" | grep -oE "[0-9]+\.[0-9]+" | head -3 | awk -F. '{ print length($2) }' | sort -u | tr '\n' ' ')
r91=$(grep -E "^ *9\.1 " <<<"$sc" | sed "s/^ *9\.1 //" | grep -oE "[0-9]+\.[0-9]+" | head -3 | awk -F. '{ print length($2) }' | sort -u | tr '\n' ' ')
[ "$r1" = "4 " ] && [ "$r91" = "2 " ] && ok || bad "precision not per measure: criterion 1 decimals '$r1' (want 4), 9.1 '$r91' (want 2)"
# the monthly handout's footer names the handout, not KPI 66
ft=$(pdftotext -layout "$IQ/all/2563/r12/monthly-2563-09.pdf" - 2>/dev/null | grep "ข้อมูล ณ วันที่" | head -1)
grep -qF "สรุปสถานการณ์ประจำเดือน" <<<"$ft" && ! grep -qF "ตัวชี้วัดที่ 66" <<<"$ft" && ok || bad "handout footer: '$ft'"

# ---- a criterion with a data date of its own says so under the title (point 6): criterion 5's trial
# balances are cut off on the 15th of the month after the period (scheme.ini period_end, criteria.csv cutoff_day) ----
pe=$(sed -n 's/^period_end = //p' $FIN/scheme.ini)   # 2563-09
cut=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "cutoff_day") c = i; next } $c != "" { print $1 ":" $c }' $FIN/criteria.csv)
want=$(awk -v pe="$pe" -v cut="$cut" 'BEGIN { split(pe, a, "-"); y = a[1]; m = a[2] + 1; if (m > 12) { m = 1; y++ }
  split("มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม", mn, " ")
  split(cut, c, ":"); printf "ข้อมูล ณ วันที่ 10 ตุลาคม 2563 (ข้อ %s ใช้ข้อมูล ณ วันที่ %d %s %d ตามเกณฑ์)", c[1], c[2], mn[m], y }')
for f in "$IQ/all/2563/r8/scorecard-41.pdf" "$IQ/all/2563/r8/summary.pdf"; do
  pdftotext -f 1 -l 1 "$f" - 2>/dev/null | tr -d ' \n' | grep -qF -- "${want// /}" && ok || bad "${f##*/}: no '$want' on page 1 ($cut)"
done
rm -rf "$TMP/s4"; cp -r $FIN "$TMP/s4"; sed -i 's/,zband,,,,15,$/,zband,,,,31,/' "$TMP/s4/criteria.csv"
expect 2 "criteria.csv:6:[0-9]+: error: column 'cutoff_day'" -- "$KHET" score --scheme "$TMP/s4"

# ---- criterion 9: a group row across the table, short labels for its parts (point 7) ----
sc=$(pdftotext -layout "$IQ/all/2563/r8/scorecard-41.pdf" - 2>/dev/null)
g=$(grep -cE "^ *9 +ร้อยละของ รพ\. ที่มีความเสี่ยงทางการเงิน" <<<"$sc")
p=$(grep -cE "^ *9\.1 +ร้อยละของ รพ\. ระดับ 7 |^ *9\.2 +ร้อยละของ รพ\. ระดับ 4–7 |^ *9\.3 +ร้อยละของ รพ\. ระดับ 4–7 ที่ดีขึ้น" <<<"$sc")
[ "$g" = 1 ] && [ "$p" = 3 ] && ok || bad "criterion 9: group row $g (want 1), parts with short labels $p (want 3)"
# the group row's wording runs across the columns (its words reach past the target column's left edge)
W=$(pdftotext -f 1 -l 3 -bbox "$IQ/all/2563/r8/scorecard-41.pdf" - 2>/dev/null)
span=$(awk '/<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
  match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0; match($0, /xMax="[0-9.]+"/); xe = substr($0, RSTART + 6, RLENGTH - 7) + 0
  match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0; n++; wy[n] = y; wx[n] = xe
  if (t == "เป้าหมาย" && !tx) tx = x; if (t == "(NI" && !ny) ny = y }
  END { for (i = 1; i <= n; i++) if (wy[i] == ny && wx[i] > m) m = wx[i]; print (tx && m > tx + 100) ? "across" : "narrow " tx " " m }' <<<"$W")
[ "$span" = across ] && ok || bad "criterion 9's group row does not run across the table: $span"

# ---- page starts: no page opens the criteria table with a fragment not marked "(ต่อ)" (point 7) ----
# for each page whose criteria table continues from the page before: its first body row starts in the
# number column (a new row) or says "(ต่อ)"
page_starts() {
  pdftotext -bbox "$1" - 2>/dev/null | awk '
    function flush() { if (pg > 1 && hy) { fy = 1e9; for (i = 1; i <= n; i++) if (y0[i] > hy + 1 && y0[i] < fy) fy = y0[i]
        line = ""; lx = 1e9; cont = 0
        for (i = 1; i <= n; i++) if (y0[i] >= fy - 2 && y0[i] <= fy + 4) { line = line " " w[i]; if (x0[i] < lx) lx = x0[i]; if (w[i] == "(ต่อ)") cont = 1 }
        if (fy < 1e9) print pg ":" ((lx <= hx + 4 || cont) ? "ok" : "BAD" line) }
      n = 0; hy = 0; cy = 0 }
    /<page / { flush(); pg++ }
    /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
      match($0, /xMin="[0-9.]+"/); a = substr($0, RSTART + 6, RLENGTH - 7) + 0
      match($0, /yMin="[0-9.]+"/); b = substr($0, RSTART + 6, RLENGTH - 7) + 0
      match($0, /xMax="[0-9.]+"/); c = substr($0, RSTART + 6, RLENGTH - 7) + 0
      match($0, /yMax="[0-9.]+"/); e = substr($0, RSTART + 6, RLENGTH - 7) + 0
      n++; w[n] = t; x0[n] = a; y0[n] = b
      if (t == "ข้อ") { cy = b; ce = e; cx = c }
      if (t == "เกณฑ์การประเมิน" && cy && b > cy - 3 && b < cy + 3 && !hy) { hy = ce; hx = cx } }
    END { flush() }'
}
checked=0 badp=""
for f in $(sc_docs all) $(sc_docs off); do
  s=$(page_starts "$f"); checked=$((checked + $(grep -c . <<<"$s")))
  grep -q BAD <<<"$s" && badp="$badp ${f##*/}: $(grep BAD <<<"$s" | tr '\n' ' ')"
done
[ "$checked" -ge $(($(sc_docs all | wc -w) * 2)) ] && [ -z "$badp" ] && ok || bad "pages open with an unmarked continuation ($checked page starts checked):$badp"

# ... and over every document in both styles, booklets included under KHET_FULL=1 (Done-when: a page-start check): a table
# continued on a page opens with a new row or "(ต่อ)" under its repeated header
# (one run for this and the overprint check below: exit 4 a bad page start, 8 an overprint, anything else a failure)
ps=$(python3 tests/page_starts.py --with-overprint $(sweep_docs) 2>&1); ps_rc=$?
{ [ $ps_rc = 0 ] || [ $ps_rc = 8 ]; } && [[ $ps =~ (^|$'\n')[0-9]{2,}\ continued\ tables\ checked ]] && ok ||
  bad "page starts: $(head -c 600 <<<"$ps")"
# ... and no page's foot overprints: the booklets bind every document's pages, portrait and landscape,
# under their longest footers (the page number "หน้า 2 / 86" ran into "...10 ตุลาคม 2563" on the contents page);
# and the footer keeps its size on every page, portrait too, in both styles (it shrank to 8.4 pt on the
# official portrait pages, 8.5 pt on the booklet's: a long footer now wraps)
bk=$(find "$IQ/all" -name 'booklet-*.pdf' | sort)
r=$(python3 tests/page_starts.py --footers $bk "$IQ/off/2563/r8/scorecard-41.pdf" "$IQ/off/2563/r12/kpi66.pdf" 2>&1)
[ $? = 0 ] && [ "$(wc -w <<<"$bk")" -ge 2 ] && ok || bad "footers overprint or shrink: $(head -c 600 <<<"$r")"
# ... and no two words of any page overprint, over every document in both styles: the summary chart's grade
# labels stood 10.6 pt apart in 9 pt ("A >80" over "B+ >75"; official 11.5 in 12 pt), now a line of text apart
# with leaders to their lines (the same word boxes the page-start check read)
{ [ $ps_rc = 0 ] || [ $ps_rc = 4 ]; } && ok || bad "words overprint: $(head -c 600 <<<"$ps")"

# ---- the draft carries the final's three signer blocks, dotted (point 15); the appendix after them, on a
# page of its own (point 11) ----
for f in "$IQ/all/2563/r8/scorecard-41.pdf" "$IQ/all/2563/r12/kpi66.pdf" "$IQ/off/2563/r8/scorecard-41.pdf"; do
  t=$(pdftotext -layout "$f" - 2>/dev/null)
  roles=$(grep -oE "\(ลงชื่อ\) \.+ (ผู้จัดทำ|ผู้ตรวจสอบ|ผู้อนุมัติ)" <<<"$t" | awk '{ print $3 }' | tr '\n' ' ')
  [ "$roles" = "ผู้จัดทำ ผู้ตรวจสอบ ผู้อนุมัติ " ] && ok || bad "${f##*/}: the draft's signer blocks are '$roles'"
  # the last page with signer blocks, the first opening a line with ภาคผนวก and that page's first line
  # of its own (not blank, not the draft mark or the running header or page number): one awk over the pages
  { read -r sp ap; IFS= read -r first; } < <(pdf_text "$f" | awk 'BEGIN { RS = "\f"; sp = ap = 0 }
    { if (index($0, "(ลงชื่อ)")) sp = NR
      if (!ap && $0 ~ /(^|\n)ภาคผนวก/) { ap = NR; k = split($0, L, "\n")
        for (i = 1; i <= k; i++) if (L[i] !~ /^[[:space:]]*$/ && L[i] !~ /^(ร่าง|สำนักงานเขตสุขภาพ|- .* -$)/) { first = L[i]; break } } }
    END { print sp, ap; print first }')
  [ "$sp" -gt 0 ] && [ "$ap" -gt "$sp" ] && grep -q "^ภาคผนวก" <<<"$first" && ok || bad "${f##*/}: signatures on page $sp, appendix on page $ap opening with '$first'"
done

# ... and no signature alone on a page: every page with signer blocks carries some of the document's own text
# (not only the blocks, the draft's lines and the running header and footer), in every document and booklet
lone=$(python3 - $(sweep_docs) <<'PY'
import re, subprocess, sys
sys.path.insert(0, "tests")
from pdftext import pdftotext
bad, seen = [], 0
for pdf in sys.argv[1:]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
    # one pdftotext run per document: each page ends in a form feed
    pages = pdftotext(pdf).split("\f")
    for p in range(1, n + 1):
        t = pages[p - 1] if p <= len(pages) else ""
        if "(ลงชื่อ)" not in t:
            continue
        seen += 1
        own = [l for l in t.splitlines() if l.strip() and l.strip() not in ("ร่าง",) and not re.match(
            r"^(ร่าง ยังไม่|\(|ตำแหน่ง|วันที่ |สำนักงานเขตสุขภาพที่ \S+ · |หน้า |- *\S+ *-$|-\S+-$)", l.strip())
            and "ข้อมูล ณ วันที่" not in l]
        if not own:
            bad.append("%s p%d" % (pdf.rsplit("/", 1)[-1], p))
# (every document but the monthly handouts has a page with signer blocks)
need = sum(1 for pdf in sys.argv[1:] if "/monthly-" not in pdf)
print(" ".join(bad) if bad or seen < need else "ok")
PY
)
[ "$lone" = ok ] && ok || bad "signatures alone on a page (or too few pages with signatures read): $lone"

# ---- the official scorecard's wording gets the room its figure headings give up (point 9): "ผล / จังหวัด" and
# "ค่าเฉลี่ย / เขต" over two lines, the SD under the mean and the full points under the score (seven columns,
# not nine): the wording column at least 34 % of the table (28 % at first, 30 % with nine columns) ----
wc=$(pdftotext -f 2 -l 2 -bbox "$IQ/off/2563/r8/scorecard-41.pdf" - 2>/dev/null | awk '/<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
  match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0; match($0, /xMax="[0-9.]+"/); e = substr($0, RSTART + 6, RLENGTH - 7) + 0
  match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
  if (t == "ข้อ" && !l) l = x; if (t == "(เต็ม)" && !r) r = e; if (t == "ค่า" && !a) a = x; if (t == "SD" && !b && a && x > a + 50) b = x
  n++; W[n] = t; X[n] = (x + e) / 2; Y[n] = y }
  END { for (i = 1; i <= n; i++) if (W[i] == "ผล") for (j = 1; j <= n; j++)
          if (W[j] == "จังหวัด" && Y[j] > Y[i] + 5 && Y[j] < Y[i] + 40 && X[j] - X[i] < 15 && X[i] - X[j] < 15) st = 1
        printf "%.3f %d", (r > l ? (b - a) / (r - l) : 0), st }')
awk -v w="$wc" 'BEGIN { split(w, v, " "); exit !(v[1] >= 0.34 && v[2] == 1) }' && ok || bad "official scorecard: wording column share, stacked heading: $wc"
# ... so the nine criteria take four pages, not five or six: from the page of "คะแนนรายเกณฑ์" to that of the
# note under the table ("ช่วง: ..."), in every official scorecard (of sc_docs)
span=""
for f in $(sc_docs off); do
  span="$span $(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /คะแนนรายเกณฑ์/ && !s { s = NR } /\nช่วง: ผลของจังหวัด/ && !e { e = NR } END { print e - s + 1 }')"
done
[ "$(wc -w <<<"$span")" = "$(sc_docs off | wc -w)" ] && ! grep -qvE "^ *([1-4] *)+$" <<<"$span" && ok || bad "official scorecards spend more than four pages on the criteria:$span"

# ---- the results box on page 1 of every scorecard, both styles (point 9; the official ones of sc_docs) ----
ascii_digits() { sed 's/๐/0/g; s/๑/1/g; s/๒/2/g; s/๓/3/g; s/๔/4/g; s/๕/5/g; s/๖/6/g; s/๗/7/g; s/๘/8/g; s/๙/9/g'; }
# khet score's figures; the points to the next grade worked out here from grades.csv
rows=$("$KHET" score --scheme $FIN | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 ~ /^[0-9]+$/ {print $1, $4, $5, $7, $13}')
miss="" offsc=" $(sc_docs off) "
while read -r code total max grade claw; do
  up=$(awk -F, -v g="$grade" 'NR > 1 { name[NR] = $1; above[NR] = $2 } NR > 1 && $1 == g { me = NR } END { if (me > 2) print name[me - 1], above[me - 1] }' $FIN/grades.csv)
  if [ -n "$up" ]; then
    set -- $up
    need=$(awk -v a="$2" -v m="$max" -v t="$total" 'BEGIN { c = int(a * m + 1e-9); printf "%.2f", (c + 1) / 100 - t }')
    want="ต้องได้คะแนนรวมเพิ่มอีก $need คะแนน จึงได้ระดับ $1"
  else
    want="ได้ระดับสูงสุดแล้ว"
  fi
  for st in all off; do
    [ $st = all ] || [[ $offsc == *"/scorecard-$code.pdf "* ]] || continue # (official: the scorecards of sc_docs)
    p1=$(pdftotext -f 1 -l 1 "$IQ/$st/2563/r8/scorecard-$code.pdf" - 2>/dev/null | ascii_digits | tr '\n' ' ' | tr -s ' ')
    for w in "$total จาก $max คะแนน" "ระดับถัดไป" "$want" "สตางค์)"; do
      [[ $p1 == *"$w"* ]] || miss="$miss $st/$code:'$w'" # (bash's own match: p1 is one line)
    done
  done
done <<<"$rows"
[ "$(wc -l <<<"$rows")" -ge 7 ] && [ -z "$miss" ] && ok || bad "results box on page 1 lacks:$miss"

# ---- official style: the rules at body size, 16 pt (point 12, part): word heights against the body paragraph ----
hts=$(pdftotext -bbox "$IQ/off/2563/r8/scorecard-41.pdf" - 2>/dev/null | awk '/<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
  match($0, /yMin="[0-9.]+"/); a = substr($0, RSTART + 6, RLENGTH - 7); match($0, /yMax="[0-9.]+"/); b = substr($0, RSTART + 6, RLENGTH - 7)
  if (t == "เกณฑ์การประเมินประสิทธิภาพการบริหารจัดการการเงินการคลังของระดับจังหวัด" && !body) body = b - a
  if (t == "(ประกาศมิได้ระบุ)" && !rule) rule = b - a } END { print body + 0, rule + 0 }')
awk -v h="$hts" 'BEGIN { split(h, v, " "); exit !(v[1] > 0 && v[2] >= 0.99 * v[1]) }' && ok || bad "official rules smaller than the 16 pt body (body, rule heights: $hts)"

# ... and the KPI report's appendix tables at 14 pt at least, not shrunk to 11.5 (point 12): every word of the
# body of its pages from "ภาคผนวก" on stands at least 14/16 of the body's height (that of the page number
# "- ๒ -", set at the body's 16 pt; "(ต่อ)" aside)
sz=$(pdftotext -bbox "$IQ/off/2563/r12/kpi66.pdf" - 2>/dev/null | awk '/<page / { match($0, /height="[0-9.]+"/); ph = substr($0, RSTART + 8, RLENGTH - 9) }
  /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
  match($0, /yMin="[0-9.]+"/); a = substr($0, RSTART + 6, RLENGTH - 7); match($0, /yMax="[0-9.]+"/); b = substr($0, RSTART + 6, RLENGTH - 7)
  if (t == "ภาคผนวก") app = 1
  if (a < 0.07 * ph && t != "-" && t != "ร่าง" && !body) body = b - a
  if (app && a > 0.07 * ph && b < 0.88 * ph && t != "(ต่อ)" && t != "ร่าง") { n++; if (!low || b - a < low) low = b - a } }
  END { print body + 0, low + 0, n + 0 }')
awk -v h="$sz" 'BEGIN { split(h, v, " "); exit !(v[1] > 0 && v[3] > 100 && v[2] >= 0.99 * 14 / 16 * v[1]) }' && ok ||
  bad "official KPI appendix below 14 pt (body height, smallest word, words: $sz)"
# the KPI report's section 3 begins on the page of the Small Success table's end and its note (the official p3 held
# only that table's last row and its note, ~35 % full: review point 4), in both styles. Its indicator and target,
# which run down the rows of its lines of work as one paragraph, end on that page in the modern style (the first
# component's row grows a line to hold the target's last); in the official style no row can, and they go on to
# the next page under the "(ต่อ)" of the line of work set again (review finding 5: the section went whole to p4
# and left p3 52 % full, a page more; tests/page_starts.py lets a span go on from a table begun low on a page)
miss=""
for f in "$IQ"/{all,off}/2563/r12/kpi66.pdf; do
  pdftotext "$f" - 2>/dev/null | awk -v off=$([[ $f == */off/* ]] && echo 1 || echo 0) 'BEGIN { RS = "\f" }
    /ระยะที่มีแถบสีเข้ม/ && !n { n = NR } /คำอธิบายการดำเนินงานรายองค์ประกอบ/ && !h { h = NR; whole = /\(ร้อยละ (100|๑๐๐)\)/ }
    h && NR == h + 1 { next_page = /\(ต่อ\)/ && /\(ร้อยละ (100|๑๐๐)\)/ }
    END { exit !(n && n == h && (off ? !whole && next_page : whole)) }' || miss="$miss ${f#$IQ/}"
done
fill=$(python3 tests/sparse_pages.py --list "$IQ/off/2563/r12/kpi66.pdf" 2>/dev/null | awk '$2 == "p3" { print $4 }')
[ -z "$miss" ] && awk -v f="$fill" 'BEGIN { exit !(f >= 0.6) }' && ok ||
  bad "section 3 does not begin on the page of the Small Success note (official p3 $fill), its indicator and target whole there (modern) or going on under '(ต่อ)' (official):$miss"
# ... and so are the summary's money table (set at 11.5 pt to fit a portrait page: review point 1) and every "(ต่อ)"
# of every official table (11.2 pt): against the page number "- ๒ -" at the body's 16 pt, as above
# (the documents the sweeps below read: their word boxes are read once)
sz=$(python3 - $(sweep_docs | grep /off/) <<'PY'
import re, sys
sys.path.insert(0, "tests")
from pdftext import pdftotext
W = re.compile(r'<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)</word>')
bad, money, marks = [], 0, 0
for pdf in sys.argv[1:]:
    pages = pdftotext(pdf, "-bbox").split("<page ")[1:]
    ph = [float(re.search(r'height="([0-9.]+)"', p).group(1)) for p in pages]
    words = [[(float(a), float(b), t) for a, b, t in W.findall(p)] for p in pages]
    body = [b - a for i, ws in enumerate(words) for a, b, t in ws if i and a < 0.07 * ph[i] and t not in ("-", "ร่าง")][:1]
    if not body:
        continue
    least = 0.99 * 14 / 16 * body[0]
    name = pdf.rsplit("/", 1)[-1]
    for i, ws in enumerate(words):
        head = [a for a, b, t in ws if t == "เงินที่ดึงกลับและคงเหลือ"]
        for a, b, t in ws:
            if head and a > head[0] + 5 and b < 0.88 * ph[i] and t != "ร่าง":
                money += 1
                if b - a < least:
                    bad.append("%s p%d '%s' %.1f" % (name, i + 1, t, b - a))
            elif t == "(ต่อ)":
                marks += 1
                if b - a < least:
                    bad.append("%s p%d '(ต่อ)' %.1f" % (name, i + 1, b - a))
print("ok" if not bad and money > 50 and marks > 10 else "%d money words, %d marks: %s" % (money, marks, " ".join(bad[:6])))
PY
)
[ "$sz" = ok ] && ok || bad "official money table or (ต่อ) below 14 pt: $sz"

# ---- the handout sets the same month last year beside this year's CMI share (point 16): worked out here from
# cmi_prev.csv over the same months, for the hospitals the KPI counts (A-F2, a target, CMI this year) ----
ly=$(python3 - "$IQ/k/2563/r12/monthly-2563-09.pdf" <<'PY'
import csv, re, subprocess, sys
from decimal import Decimal as D
rows = lambda f: list(csv.DictReader(open(f, encoding="utf-8")))
prov = {p["code"]: p["name_th"] for p in rows("data/provinces.csv") if p["region"] == "12"}
tgt = {(t["level"], t["a_size"]): D(t["target"]) for t in rows("templates/kpi66-r12-2563/cmi_targets.csv")}
levels = ["A", "S", "M1", "M2", "F1", "F2"]
now, prev = {}, {}
for f, into in (("data/cmi.csv", now), ("data/cmi_prev.csv", prev)):
    for r in rows(f):
        d, a = into.get(r["hcode"], (0, D(0)))
        into[r["hcode"]] = (d + int(r["discharges"]), a + D(r["sum_adjrw"]))  # Oct-Sep: the handout's month is September
count = {}
for h in rows("data/hospitals.csv"):
    if h["province"] not in prov or h["level"] not in levels:
        continue
    t = tgt.get((h["level"], h["a_size"])) or tgt.get((h["level"], ""))
    if not t or now.get(h["hcode"], (0,))[0] <= 0 or prev.get(h["hcode"], (0,))[0] <= 0:
        continue
    d, a = prev[h["hcode"]]
    for k in (prov[h["province"]], "รวมเขตสุขภาพที่ 12"):
        p, n = count.get(k, (0, 0))
        count[k] = (p + (a >= t * d), n + 1)
text = subprocess.run(["pdftotext", "-layout", sys.argv[1], "-"], capture_output=True, text=True).stdout
bad = []
for k, (p, n) in count.items():
    want = "%d/%d %.2f" % (p, n, 100 * p / n)
    line = [l for l in text.splitlines() if l.strip().startswith(k)]
    if not line or want not in " ".join(line[0].split()):
        bad.append("%s: want %s in %r" % (k, want, line[:1]))
# ... and a share 10 points or more from last year's is called out in words under the table
flat = " ".join(text.split())
for k, (p, n) in count.items():
    row = [l for l in text.splitlines() if l.strip().startswith(k) and not k.startswith("รวม")]
    m = re.search(r"(\d+)/(\d+) +([0-9.]+)", row[0]) if row else None
    if not m:
        continue
    now, last = float(m.group(3)), 100 * p / n
    said = "%s ร้อยละ CMI ผ่าน%sจาก %.2f เป็น %.2f" % (k, "ต่ำลง" if now < last else "สูงขึ้น", last, now)
    if (abs(now - last) >= 10) != (said in flat):
        bad.append("%s: %s %s" % (k, "not said" if abs(now - last) >= 10 else "said", said))
print("; ".join(bad) if bad or len(count) < 8 or "เทียบกับเดือนเดียวกันปีก่อน:" not in flat else "ok")
PY
)
[ "$ly" = ok ] && ok || bad "handout: the same month last year: $ly"

# ---- ประเด็นเสนอที่ประชุม from data/meeting.csv: every issue of the handout's month with its action, owner and
# due date; who prepared the handout and who reports the KPI, with position, phone and e-mail (points 16, 17) ----
mt=$(pdftotext "$IQ/k/2563/r12/monthly-2563-09.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
miss=$(python3 - "$IQ/k/2563/r12/monthly-2563-09.pdf" <<'PY'
import csv, re, subprocess, sys
# the table read column by column from the word boxes: each column's words top to bottom, no spaces
xml = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
cols = {}
for page in xml.split("<page ")[1:]:
    ws = [(float(a), float(b), float(c), t) for a, b, c, t in
          re.findall(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>', page)]
    head = {t: ((x + c) / 2, y) for x, y, c, t in ws if t in ("ประเด็น", "ข้อเสนอ/สิ่งที่ต้องดำเนินการ", "ผู้รับผิดชอบ", "กำหนดเสร็จ")}
    if len(head) < 4:
        continue
    top = max(y for x, y in head.values()) + 5
    # the columns' left edges: the four cells of the first row's first line, apart by more than a space
    y1 = min(y for x, y, c, t in ws if y > top)
    first = sorted((x, c) for x, y, c, t in ws if abs(y - y1) < 3)
    edges = [first[0][0]] + [b[0] for a, b in zip(first, first[1:]) if b[0] - a[1] > 10]
    if len(edges) != 4:
        continue
    edges = [e - 3 for e in edges] + [1e9]
    end = min([y for x, y, c, t in ws if t.startswith("โรงพยาบาลที่ประสบวิกฤต")] + [1e9])
    for i in range(4):
        cols[i] = "".join(t for x, y, c, t in sorted((w for w in ws if edges[i] <= w[0] < edges[i + 1] and top < w[1] < end),
                                                     key=lambda w: (round(w[1]), w[0])))
months = "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.".split()
rows = [r for r in csv.DictReader(open("data/meeting.csv", encoding="utf-8")) if r["region"] == "12" and r["month"] == "2563-09"]
bad = []
for r in rows:
    y, m, d = r["due"].split("-")
    for i, w in enumerate((r["issue"], r["action"], r["owner"], "%d %s %s" % (int(d), months[int(m) - 1], y[2:]))):
        if w.replace(" ", "") not in cols.get(i, ""):
            bad.append(w)
print("none" if not rows else " | ".join(bad))
PY
)
[ -z "$miss" ] && grep -qF "ประเด็นเสนอที่ประชุม" <<<"$mt" && ok || bad "handout's meeting issues missing: $miss"
kt=$(pdftotext "$IQ/k/2563/r12/kpi66.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
miss=""
while IFS=, read -r rg doc name pos phone mail; do
  [ "$rg" = 12 ] || continue
  [ "$doc" = monthly ] && t=$mt role=ผู้จัดทำ || { t=$kt; role=ผู้รายงาน; }
  # (spaces left out on both sides: a narrower portrait page wraps the line between words without one)
  w="$role: $name ตำแหน่ง $pos โทร $phone อีเมล $mail"
  tr -d ' ' <<<"$t" | grep -qF "${w// /}" || miss="$miss $doc"
done < data/contacts.csv
[ -z "$miss" ] && ok || bad "contact line missing on:$miss"
# ... and the KPI report's "ผู้รายงาน" line stands apart from item 8's notes above it (page review: right under
# them, a line's usual 30 pt on, it read as one of them): a blank line more, in both styles
for f in "$IQ/all/2563/r12/kpi66.pdf" "$IQ/off/2563/r12/kpi66.pdf"; do
  gap=$(pdftotext -bbox "$f" - 2>/dev/null | awk '/<page / { top = "" } /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
    match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
    if (top == "" || y > top + 3) { if (t == "ผู้รายงาน:") { print y - top; exit } top = y } }')
  awk -v g="$gap" 'BEGIN { exit !(g + 0 >= 40) }' && ok || bad "${f#$IQ/}: 'ผู้รายงาน' ${gap:-?} pt under the line above it"
done
fresh; sed -i '2s/,2563-10-31$/,2563-13-31/' "$TMP/d/meeting.csv"
expect 2 "meeting.csv:2:[0-9]+: error: column 'due'" -- "$KHET" check --data "$TMP/d"

# ---- the handout calls its largest changes out in words, agreeing with its table (point 16, part) ----
"$KHET" render --out "$IQ/mo" --report monthly --month 2563-02 >/dev/null 2>&1
H=$(pdftotext -layout "$IQ/mo/2563/r12/monthly-2563-02.pdf" - 2>/dev/null)
Ht=$(tr '\n' ' ' <<<"$H" | tr -s ' ')
# every province whose table share moved 10 points or more is named with its before and now
want=$(awk '$2 ~ /^[0-9]+\/[0-9]+$/ && $4 ~ /^[-+±][0-9.]+$/ { d = $4; sub(/^±/, "", d); if (d + 0 >= 10 || d + 0 <= -10)
  printf "%s ร้อยละ CMI ผ่าน%sจาก %.2f เป็น %.2f\n", $1, (d < 0 ? "ลดลง" : "เพิ่มขึ้น"), $3 - d, $3 }' <<<"$H")
miss=""; while read -r w; do [ -n "$w" ] && ! grep -qF -- "$w" <<<"$Ht" && miss="$miss '$w'"; done <<<"$want"
[ -n "$want" ] && [ -z "$miss" ] && ok || bad "handout does not call out its largest CMI changes: want '$want', missing$miss"

# ---- the monthly handout on two pages (point 16): the table with its region row and denominators, the same
# month last year, the changes in words, the meeting's issues, the crisis hospitals named, who prepared it;
# the crisis table and the chart in an appendix after it; the official style's type no smaller than 14 pt ----
r=$(python3 tests/handout_pages.py data "$IQ/k/2563/r12/monthly-2563-09.pdf")
[ "$r" = ok ] && ok || bad "modern handout: $r"
r=$(python3 tests/handout_pages.py data "$IQ/off/2563/r12/monthly-2563-09.pdf" --official)
[ "$r" = ok ] && ok || bad "official handout: $r"
# ... and the appendix's CMI trend panels readable in the modern style too: every word of their page at least 11 pt
# (their ticks, months and legend were 8-9.5 pt on half a page: review point 6), against the footer's 12 pt "หน้า"
sz=$(pdftotext -bbox "$IQ/all/2563/r12/monthly-2563-09.pdf" - 2>/dev/null | awk '/<page / { p++ } /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
  match($0, /yMin="[0-9.]+"/); a = substr($0, RSTART + 6, RLENGTH - 7) + 0; match($0, /yMax="[0-9.]+"/); b = substr($0, RSTART + 6, RLENGTH - 7) + 0
  if (t == "หน้า" && !foot) foot = b - a
  if (t ~ /^ร้อยละของโรงพยาบาลที่ค่า/) cp = p
  h[p, ++n[p]] = b - a; y[p, n[p]] = a; w[p, n[p]] = t }
  END { for (i = 1; i <= n[cp]; i++) if (y[cp, i] > 40 && y[cp, i] < 520 && w[cp, i] != "ร่าง") { k++; if (!low || h[cp, i] < low) low = h[cp, i] }
        print foot + 0, low + 0, k + 0 }')
awk -v h="$sz" 'BEGIN { split(h, v, " "); exit !(v[1] > 0 && v[3] > 50 && v[2] >= 0.99 * 11 / 12 * v[1]) }' && ok ||
  bad "modern handout's trend panels below 11 pt (footer height, smallest word, words: $sz)"
# ... and the trend panels use their page: the handout's last page (the chart's, after the crisis table's) at
# least 85 % full in both styles (its plots grow from 70 pt, no taller than wide; it was 71 % in the modern style)
for f in "$IQ/all/2563/r12/monthly-2563-09.pdf" "$IQ/off/2563/r12/monthly-2563-09.pdf"; do
  r=$(python3 tests/sparse_pages.py --list "$f" 2>/dev/null | tail -1)
  awk -v f="$(awk '{ print $4 }' <<<"$r")" 'BEGIN { exit !(f >= 0.85) }' && ok || bad "${f#$IQ/}: the chart's page is $r"
done
# ... and so is the official one graded under another region's scheme (Region 8's named with --scheme): its
# grades, for information, go to the appendix
"$KHET" render --out "$IQ/oth" --report monthly --style official --scheme $FIN >/dev/null 2>&1
r=$(python3 tests/handout_pages.py data "$IQ/oth/2563/r12/monthly-2563-09.pdf" --official)
[ "$r" = ok ] && ok || bad "official handout under Region 8's scheme: $r"
# ... and a month without a hospital in crisis (the sample with every hospital's current liabilities cut to a
# tenth and its revenue 1.3 times its expense): page 2 says there is none, the appendix leaves them out of its
# heading and holds the trend chart under it (its line "ไม่มีโรงพยาบาล…" under the heading sent the official
# chart to a page of its own: the heading and that line alone on a page 19 % full)
fresh; awk -F, -v OFS=, 'NR > 1 { $7 = sprintf("%.2f", $7 / 10); $8 = sprintf("%.2f", $10 * 1.3) } 1' data/finance.csv >"$TMP/d/finance.csv"
"$KHET" render --data "$TMP/d" --out "$IQ/nocrisis" --report monthly --style official >/dev/null 2>&1
r=$(pdftotext "$IQ/nocrisis/2563/r12/monthly-2563-09.pdf" - 2>/dev/null | awk 'BEGIN { RS = "\f" } { gsub(/[ \n]/, "") }
  /ไม่มีโรงพยาบาลที่มีความเสี่ยงทางการเงินระดับ/ && !/ภาคผนวก/ { said = NR }
  /ภาคผนวก/ { ap = NR; head = /ภาคผนวกแนวโน้มCMIร้อยละของโรงพยาบาลที่ค่าCMIสะสม/; none = /ไม่มีโรงพยาบาล/ }
  END { print (said == 2 && ap == 3 && head && !none && NR == 3) ? "ok" : "none said on p" said ", appendix p" ap ", its heading over the chart " head ", its none " none ", pages " NR }')
[ "$r" = ok ] && ok || bad "official handout without a hospital in crisis: $r"

# ---- no nearly empty page (point 11): every page after the first of every document, both styles, booklet (KHET_FULL=1)
# included, is at least 15 % full unless it opens an appendix (tests/sparse_pages.py); and the rule fails
# where it should: 21 one-line paragraphs set 20 to a page leave the 21st alone on page 2 ----
r=$(python3 tests/sparse_pages.py $(sweep_docs) 2>&1)
[ $? = 0 ] && grep -qE "^[0-9]{3,} pages read" <<<"$r" && ok || bad "nearly empty pages: $(head -c 600 <<<"$r")"
python3 -c "print('\n\n'.join('บรรทัดที่ %d' % i for i in range(1, 22)))" >"$IQ/lines.txt"
"$KHET" typeset --in "$IQ/lines.txt" --out "$IQ/lines.pdf" >/dev/null 2>&1
r=$(python3 tests/sparse_pages.py "$IQ/lines.pdf" 2>/dev/null)
grep -q "lines.pdf p2 is [0-9]* % full" <<<"$r" && ok || bad "a page holding one line was not flagged: $r"
# ... and in Thai digits the wide tables and charts take as many landscape pages as in Arabic ones (review point 3:
# the wider digits wrapped the landscape footer and squeezed the criteria's wording: the summary's table and chart
# took two landscape pages, p2 45 % full, the scorecards' criteria three, p3 52 %)
# (and the summary's 'page landscape official', a no-op outside the official style, warns of nothing)
w=$("$KHET" render --out "$IQ/thd" --date 2563-10-15 --thai-digits --report summary 2>&1 >/dev/null)
"$KHET" render --out "$IQ/thd" --date 2563-10-15 --thai-digits --report scorecard --province 47 >/dev/null 2>&1
r=$(python3 tests/sparse_pages.py --like "$IQ"/all/2563/r8/summary.pdf "$IQ"/thd/2563/r8/summary.pdf \
  "$IQ"/all/2563/r8/scorecard-47.pdf "$IQ"/thd/2563/r8/scorecard-47.pdf 2>&1)
[ $? = 0 ] && [ -z "$w" ] && ok || bad "Thai digits take more landscape pages: $(head -c 600 <<<"$r") $w"
# ... and criterion 9.3's appendix rows give both risk levels in Arabic digits, each after "ระดับ", in the
# official and the Thai-digit style alike (page review, session 10: the official style printed "ระดับ 7 เมื่อ
# ต้นช่วง, ๗ เมื่อสิ้นช่วง", the Thai-digit style "ระดับ ๗ …, ๗ …")
lv="" D="(๐|๑|๒|๓|๔|๕|๖|๗|๘|๙)"  # (a Thai-digit range is no valid bracket in every locale)
for f in "$IQ"/off/2563/r8/scorecard-47.pdf "$IQ"/thd/2563/r8/scorecard-47.pdf; do
  t=$(pdftotext "$f" - 2>/dev/null | tr '\n' ' ')
  # (each half on its own: the portrait appendix's value column may wrap the cell after the comma)
  grep -qF "ระดับ 7 เมื่อต้นช่วง," <<<"$t" && grep -qF "ระดับ 7 เมื่อสิ้นช่วง" <<<"$t" && ! grep -qE "ระดับ $D|$D เมื่อ(ต้น|สิ้น)ช่วง" <<<"$t" ||
    lv="$lv ${f#"$IQ"/}"
done
[ -z "$lv" ] && ok || bad "risk levels in Thai digits or without 'ระดับ' in 9.3's appendix rows:$lv"
# ... and the Thai-digit summary as many pages as the modern one (issue 20 point 3: its rules ran a line longer,
# "๙.๓ = ๓๐%" wider than "9.3 = 30%", and the last rule and the signatures went to a 5th page, p4 59 %, p5 42 %):
# the grade table's F row takes one line, its note "สมมติฐาน (ไม่อยู่ในประกาศ)" whole beside the grade (the
# balance gives a cell the width it needs from what the other columns spare; at the official style's 14 pt the
# five columns need ~550 pt against its 453 pt measure, and the note wraps there)
pm=$(pdfinfo "$IQ/all/2563/r8/summary.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
pt=$(pdfinfo "$IQ/thd/2563/r8/summary.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ -n "$pm" ] && [ "$pm" = "$pt" ] && ok || bad "the Thai-digit summary takes $pt pages, the modern one $pm"
for f in "$IQ/all/2563/r8/summary.pdf" "$IQ/thd/2563/r8/summary.pdf"; do
  pdftotext -bbox "$f" - 2>/dev/null | awk -F'"' '/<page / { p++ } /<word / && p > 1 { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
    if (t == "สมมติฐาน") { y = $4; q = p } if (t == "(ไม่อยู่ในประกาศ)" && p == q && !n++) d = $4 - y }
    END { exit !(q && n && d > -2 && d < 2) }' && ok || bad "${f#$IQ/}: the grade table's note 'สมมติฐาน (ไม่อยู่ในประกาศ)' wraps"
done
# ... and risk levels keep their Arabic digits in tables too (point 12: the text says "ระดับ 7"): the handout
# appendix's crisis table, its levels last month and this month, the ratios beside them in Thai digits, in the
# official style (a cell's LAYOUT_ARABIC: the layout converted every cell)
r=$(python3 tests/arabic_cells.py "$IQ/off/2563/r12/monthly-2563-09.pdf")
[ "$r" = ok ] && ok || bad "official handout's crisis table: $r"
# ... and a page holding only "ข้อ 9.3 ... ไม่มี" is flagged whatever its fill
python3 -c "print('\n\n'.join(['บรรทัดที่ %d' % i for i in range(1, 21)] + ['ข้อ 9.3 โรงพยาบาลที่ดีขึ้น: ไม่มี']))" >"$IQ/none.txt"
"$KHET" typeset --in "$IQ/none.txt" --out "$IQ/none.pdf" >/dev/null 2>&1
r=$(python3 tests/sparse_pages.py "$IQ/none.pdf" 2>/dev/null)
grep -q "none.pdf p2 holds only a line saying there is nothing" <<<"$r" && ok || bad "a page holding only 'ไม่มี' was not flagged: $r"

# ---- the KPI report's section 3 runs its pages full (issue 20 point 4): no page of it but its last under 60 %,
# in the three styles (the official style's p6 was 39 %, then 50 %: "Small Success ๑๒ เดือน" kept whole with its
# two rows, the next line of work's first row, ten lines of narrative, went whole to p7; now a row of six lines
# or more splits where it stands, three lines at least either side: review finding 5). And the Thai-digit
# report takes as many pages as the modern one (review finding 3: 19 against 18, p8 57 %, p9 62 %) ----
"$KHET" render --out "$IQ/thd" --date 2563-10-15 --thai-digits --report kpi >/dev/null 2>&1
for f in "$IQ/all/2563/r12/kpi66.pdf" "$IQ/off/2563/r12/kpi66.pdf" "$IQ/thd/2563/r12/kpi66.pdf"; do
  pg=$(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /(^|\n)(3|๓)\. คำอธิบาย/ && !a { a = NR } /(^|\n)(4|๔)\. ดัชนี/ { print a, NR - 1; exit }')
  r=$(python3 tests/sparse_pages.py --list "$f" 2>/dev/null | awk -v a="${pg% *}" -v b="${pg#* }" '{ p = substr($2, 2) + 0 }
    p >= a && p < b && $4 < 0.60 { printf "p%d %s; ", p, $4 } END { if (a < 1 || b <= a) print "no section 3 found" }')
  [ -z "$r" ] && ok || bad "${f#$IQ/}: section 3 (pages ${pg/ /-}) has pages under 60 %: $r"
done
pm=$(pdfinfo "$IQ/all/2563/r12/kpi66.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
pt=$(pdfinfo "$IQ/thd/2563/r12/kpi66.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ -n "$pm" ] && [ "$pm" = "$pt" ] && ok || bad "the Thai-digit KPI report takes $pt pages, the modern one $pm"
# ... and its spanning indicator reads as one paragraph (review finding 6: a line a row, the rows' padding
# between them): on the modern p3 the indicator's lines stand one pitch apart, as a paragraph's
r=$(python3 - "$IQ/all/2563/r12/kpi66.pdf" <<'PY'
import re, sys
sys.path.insert(0, "tests")
from pdftext import pdftotext
W = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
for p in pdftotext(sys.argv[1], "-bbox").split("<page ")[1:]:
    h = float(re.search(r'height="([0-9.]+)"', p).group(1))
    ws = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in W.findall(p) if float(d) < 0.88 * h]
    if "คำอธิบายการดำเนินงานรายองค์ประกอบ" not in [w[4] for w in ws]:
        continue
    top = sorted(w for w in ws if w[4] == "ตัวชี้วัดที่")
    if not top:
        continue
    top.sort(key=lambda w: w[1])
    x = top[0][0]
    # the indicator's column: words starting at its left edge, under the header, above the next line of work
    ys = sorted({round(w[1], 1) for w in ws if abs(w[0] - x) < 1 and w[1] >= top[0][1] - 1})
    steps = [round(b - a, 1) for a, b in zip(ys, ys[1:])][:4]
    print("ok" if len(steps) >= 3 and max(steps) - min(steps) < 0.5 else "lines at %s" % ys[:6])
    break
else:
    print("no indicator found")
PY
)
[ "$r" = ok ] && ok || bad "kpi66 section 3's indicator is not one paragraph: $r"
# ... and where it goes on to the next page (official p4), it goes on one line under the "(ต่อ)" set again in its
# column, as one paragraph, not under a blank line beside the subheading repeated over it (session 12's leftover:
# "(ต่อ)", the row of "Small Success ๓ เดือน (ต่อ)" empty in the column, then "ที่มีประสิทธิภาพ"): on every
# page of the three styles a "(ต่อ)" standing alone in its cell, first under the header in the indicator's or the
# target's column, has the next word of that column (the text going on: one indicator in the data) one line under
# it, its top less than 1.3 times the mark's box height below the mark's top (one pitch: 23.8 of 27.4 pt); and no
# "(ต่อ)" under it there
r=$(python3 - "$IQ/all/2563/r12/kpi66.pdf" "$IQ/off/2563/r12/kpi66.pdf" "$IQ/thd/2563/r12/kpi66.pdf" <<'PY'
import re, sys
sys.path.insert(0, "tests")
from pdftext import pdftotext
W = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
seen, bad = 0, []
for f in sys.argv[1:]:
    for n, p in enumerate(pdftotext(f, "-bbox").split("<page ")[1:], 1):
        ws = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in W.findall(p)]
        head = [w for w in ws if w[4] in ("ตัวชี้วัด", "เป้าหมาย")]
        if len(head) != 2 or abs(head[0][1] - head[1][1]) > 1:
            continue
        below = head[0][3]
        first = min((w[1] for w in ws if w[1] > below), default=None)
        for m in ws:
            # the marks on the first line under the header, at the left of their cells
            if m[4] != "(ต่อ)" or first is None or abs(m[1] - first) > 1 or any(0 <= m[0] - o[2] < 14 for o in ws if o is not m):
                continue
            col = sorted((w for w in ws if abs(w[0] - m[0]) < 3 and w[1] > m[1] + 1), key=lambda w: w[1])
            # and once: a row split over the page says "(ต่อ)" in a cell of its own, not again in the column of a
            # text spanning rows (official p9: "(ต่อ)", then "(ต่อ)" again for the row under the subheading)
            if col and col[0][4] == "(ต่อ)":
                bad.append("%s p%d: '(ต่อ)' twice in a column, %.1f pt apart" % (f.split("/")[-4], n, col[0][1] - m[1]))
                continue
            if not col:
                continue
            seen += 1
            gap = col[0][1] - m[1]
            if gap > 1.3 * (m[3] - m[1]):
                bad.append("%s p%d: '%s' %.1f pt under the mark" % (f.split("/")[-4], n, col[0][4], gap))
print("ok" if seen and not bad else "; ".join(bad) or "no text going on under a mark")
PY
)
[ "$r" = ok ] && ok || bad "kpi66 section 3's indicator or target goes on under a blank line: $r"
# ---- portrait for narrative and signatures, landscape for wide tables (point 12): the KPI report turns its
# pages to portrait for ปัญหา/อุปสรรค, ข้อเสนอแนะ, Good Practice, ผู้รายงาน and the signatures, and back to
# landscape for its appendix table; its first page (title, the region's result, the rule and the result table)
# portrait, then landscape for the form's wide tables from Small Success on ----
for f in "$IQ/all/2563/r12/kpi66.pdf" "$IQ/off/2563/r12/kpi66.pdf"; do
  o=$(pdfinfo -f 1 -l 99 "$f" | awk '/^Page +[0-9]+ size:/ { printf "%s", ($4 < $6) ? "P" : "L" }')
  sp=$(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /\(ลงชื่อ\)/ { print NR; exit }')
  np=$(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /ปัญหา\/อุปสรรค/ { print NR; exit }')
  ap=$(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /(^|\n)ภาคผนวก/ { print NR; exit }')
  [ -n "$sp" ] && [ -n "$np" ] && [ -n "$ap" ] && [ "${o:0:2}" = PL ] && [ "${o:$((sp - 1)):1}" = P ] && [ "${o:$((np - 1)):1}" = P ] &&
    [ "${o:$((ap - 1)):1}" = L ] && ok || bad "${f##*/}: pages $o, narrative p$np, signatures p$sp, appendix p$ap"
done
# ... and section 5 (the provinces' CMI share, a short table of figures) portrait too, the narrative going on under it:
# it stood alone on a landscape page, 45 % full, the narrative on the next (review finding 9b)
for f in "$IQ/all/2563/r12/kpi66.pdf" "$IQ/off/2563/r12/kpi66.pdf"; do
  o=$(pdfinfo -f 1 -l 99 "$f" | awk '/^Page +[0-9]+ size:/ { printf "%s", ($4 < $6) ? "P" : "L" }')
  s5=$(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /สรุปร้อยละของโรงพยาบาลที่ผ่านเกณฑ์/ { print NR; exit }')
  np=$(pdftotext "$f" - 2>/dev/null | awk 'BEGIN { RS = "\f" } /ปัญหา\/อุปสรรค/ { print NR; exit }')
  [ -n "$s5" ] && [ "$s5" = "$np" ] && [ "${o:$((s5 - 1)):1}" = P ] && ok || bad "${f##*/}: section 5 on p$s5 ($o), the narrative on p$np"
done
# the summary's claw-back total on page 1, in both styles (it opened page 2 alone); it leads the money table (in the
# official style on a landscape page of its own: its 14 pt columns do not fit a portrait one, review point 1)
miss=""
for f in "$IQ"/{all,off}/2563/r8/summary.pdf; do
  pdftotext -f 1 -l 1 "$f" - 2>/dev/null | grep -q "^ดึงเงินกลับรวมทั้งเขต" || miss="$miss ${f#$IQ/}"
done
[ -z "$miss" ] && ok || bad "the claw-back total is not on page 1:$miss"
# ... and so do the scorecard and the summary: the scorecard's first page (title and results box), the summary's
# (title, money table and its claw-back note), the result in
# words, the grade table, the rules and the signatures portrait; the criteria table, the summary's tables and chart
# landscape; the scorecard's appendix portrait (a four-column table: session 11, it was landscape); the landscape
# page before a turn at least 40 % full (point 11: the turn leaves no
# nearly empty page: the criteria table's last rows, the summary's table and chart share their pages)
# (every page's fill, "NAME pN fill F", one python run per style)
fills_all=$(python3 tests/sparse_pages.py --list "$IQ"/all/2563/r8/scorecard-4[18].pdf "$IQ"/all/2563/r8/summary.pdf 2>/dev/null)
fills_off=$(python3 tests/sparse_pages.py --list "$IQ"/off/2563/r8/scorecard-4[18].pdf "$IQ"/off/2563/r8/summary.pdf 2>/dev/null)
for f in "$IQ"/all/2563/r8/scorecard-4[18].pdf "$IQ"/off/2563/r8/scorecard-4[18].pdf "$IQ"/{all,off}/2563/r8/summary.pdf; do
  o=$(pdfinfo -f 1 -l 99 "$f" | awk '/^Page +[0-9]+ size:/ { printf "%s", ($4 < $6) ? "P" : "L" }')
  t=$(pdftotext "$f" - 2>/dev/null)
  pg() { awk -v re="$1" 'BEGIN { RS = "\f" } $0 ~ re { print NR; exit }' <<<"$t"; }
  cp=$(pg "(^|\n)(คะแนนรายเกณฑ์|คะแนนรายจังหวัด)"); gp=$(pg "(^|\n)เกณฑ์การจัดระดับ"); rp=$(pg "(^|\n)หลักเกณฑ์ที่ใช้คำนวณ")
  sp=$(pg "\\(ลงชื่อ\\)")
  ap=$(pg "(^|\n)ภาคผนวก"); first=P; money=1:P; case $f in *summary*) ap=${ap:-0} ;; esac
  case $f in */off/*summary*) money="$(pg "(^|\n)เงินที่ดึงกลับและคงเหลือ"):L" ;; esac
  want=1
  for x in "1:$first" "$money" "$cp:L" "$gp:P" "$rp:P" "$sp:P"; do [ "${o:$((${x%%:*} - 1)):1}" = "${x#*:}" ] || want=0; done
  [ "$ap" = 0 ] || [ "${o:$((ap - 1)):1}" = P ] || want=0
  case $f in "$IQ"/all/*) fill=$fills_all ;; *) fill=$fills_off ;; esac
  fill=$(awk -v b="${f##*/}" '$1 == b { print $NF }' <<<"$fill" | tr '\n' ' ')
  low=$(awk -v o="$o" -v f="$fill" 'BEGIN { n = split(f, v, " "); for (i = 1; i < n; i++)
    if (substr(o, i, 1) == "L" && substr(o, i + 1, 1) == "P" && v[i] < 0.40) printf "p%d %.2f ", i, v[i] }')
  [ $want = 1 ] && [ -z "$low" ] && [[ $o == *P*L*P* || $f == *summary* ]] && ok ||
    bad "${f#$IQ/}: pages $o, criteria p$cp, grades p$gp, rules p$rp, signatures p$sp, appendix p$ap; landscape before a turn: $low"
done

# ---- session 11's low points of issue 20 ----
# the KPI report's result line no larger than its section heading (bold at the body's size; it was 18 pt under a
# 17 pt heading: same font and face, so word heights scale with the size); the CMI appendix's cells 4.5 pt either
# side of their text (the ink of "ไม่ผ่าน" stood 1 pt from the rules at 3): between two figures of a row 10 pt, was
# 7 (the official style's 14 pt table 8: its padding gives way before its type, down to 3 pt); the data's date in one form in every footer of a Thai-digit document (long on its portrait pages, short on
# its landscape ones), the long one of page 1 (where it fills the line, the page number stands on the row above); under the finance documents' titles the reserve as official Thai writes it, "ร้อยละ 15"
lp=$(python3 - "$IQ"/all/2563/r12/kpi66.pdf "$IQ"/off/2563/r12/kpi66.pdf -- "$IQ"/thd/2563/r8/summary.pdf \
  "$IQ"/thd/2563/r8/scorecard-47.pdf -- "$IQ"/{all,off,thd}/2563/r8/summary.pdf "$IQ"/off/2563/r8/scorecard-41.pdf <<'PY'
import re, sys
sys.path.insert(0, "tests")
from pdftext import pdftotext
W = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
args = " ".join(sys.argv[1:]).split(" -- ")
kpis, thai, titled = (a.split() for a in args)
def pages(pdf):
    for p in pdftotext(pdf, "-bbox").split("<page ")[1:]:
        h = float(re.search(r'height="([0-9.]+)"', p).group(1))
        yield h, [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in W.findall(p)]
for pdf in kpis:
    name = "/".join(pdf.split("/")[-4:])
    ws = [w for h, p in pages(pdf) for w in p]
    head = next((w for w in ws if w[4] == "ผลการดำเนินงานเทียบกับเป้าหมาย"), None)
    res = next((w for w in ws if w[4] == "ผลของเขตสุขภาพที่"), None)
    if not head or not res or res[3] - res[1] > head[3] - head[1] + 0.01:
        print("result: %s: result line %s, heading %s" % (name, res and round(res[3] - res[1], 2), head and round(head[3] - head[1], 2)))
    gaps, app = [], False
    for h, p in pages(pdf):
        app = app or any(w[4] == "ภาคผนวก" for w in p)
        if not app:
            continue
        rows = {}
        for w in p:
            if re.fullmatch(r"[+-]?[0-9๐-๙.]+", w[4]):
                rows.setdefault(round(w[1]), []).append(w)
        for r in rows.values():
            r.sort()
            gaps += [b[0] - a[2] for a, b in zip(r, r[1:])]
    need = 7.5 if "/off/" in pdf else 9.5  # (the official 14 pt table keeps its size: the padding gives way first)
    if len(gaps) < 50 or min(gaps) < need:
        print("padding: %s: %d gaps between the appendix's figures, the least %s pt" % (name, len(gaps), gaps and round(min(gaps), 2)))
for pdf in thai:
    forms = set()
    for h, p in pages(pdf):
        foot = " ".join(w[4] for w in p if w[1] > h - 60)
        m = re.search(r"ข้อมูล ณ วันที่ (\S+ \S+ \S+)", foot)
        forms.add(m.group(1) if m else "-")
    # ... and the long form, as under the title on page 1 (review finding 10: "๑๐ ต.ค. ๖๓" on every page)
    if len(forms) != 1 or "-" in forms or any("." in f for f in forms):
        print("footer: %s: the data's date as %s" % (pdf.split("/")[-1], sorted(forms)))
for pdf in titled:
    t = "".join(pdftotext(pdf, "").split("\f")[0].split())
    if "ส่วนที่กันร้อยละ" not in t or re.search(r"ส่วนที่กัน[0-9๐-๙]+%", t):
        print("reserve: %s: %s" % ("/".join(pdf.split("/")[-4:]), re.findall(r"ส่วนที่กัน.{0,12}", t)))
PY
)
for k in result padding footer reserve; do
  grep -q "^$k:" <<<"$lp" && bad "$(grep "^$k:" <<<"$lp" | head -3)" || ok
done
[ -n "$(pdftotext "$IQ"/all/2563/r12/kpi66.pdf - 2>/dev/null | head -c 1)" ] && ok || bad "the low points read no KPI report"

