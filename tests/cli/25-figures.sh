# Figures you can sign (issue 9): no fixed limits, bounded money, the command
# line doing what it says. Expected figures are recomputed here with awk from
# the generated data, never copied from khet's output.
plan 124
FIN=templates/finance-r8-2563 KPI=templates/kpi66-r12-2563

# ---- a national data set: 77 provinces in one region, one hospital each ----
# Province i (1..77) has code 9+i and hospital 10000+i; revenue >= expense in
# every month exactly when i % 3 == 0, so criterion 3 is 100 or 0.
national() {
  local d=$1
  mkdir -p "$d"
  printf '[dataset]\nfiscal_year = 2563\ndata_date = 2563-09-30\n' >"$d/dataset.ini"
  {
    echo "code,name_th,name_en,region,reserved_baht"
    for i in $(seq 1 77); do echo "$((9 + i)),จังหวัด$i,Province $i,8,1000000.00"; done
  } >"$d/provinces.csv"
  {
    echo "hcode,name_th,province,level,a_size"
    for i in $(seq 1 77); do echo "$((10000 + i)),โรงพยาบาล$i,$((9 + i)),F2,"; done
  } >"$d/hospitals.csv"
  {
    echo "hcode,month,cash,receivables,inventory,other_current_assets,current_liabilities,revenue,investment_revenue,expense,depreciation,opd_visits,opd_cost,ipd_cost"
    for i in $(seq 1 77); do
      for m in 2562-10 2562-11 2562-12 2563-01 2563-02 2563-03 2563-04 2563-05 2563-06 2563-07 2563-08 2563-09; do
        if [ $((i % 3)) = 0 ]; then rev=1200.00; else rev=900.00; fi
        echo "$((10000 + i)),$m,5000.00,100.00,10.00,0.00,1000.00,$rev,0.00,1000.00,10.00,10,100.00,100.00"
      done
    done
  } >"$d/finance.csv"
}
rm -rf "$TMP/nat"; national "$TMP/nat"
nat=$("$KHET" score --data "$TMP/nat" --scheme $FIN --format csv --allow-incomplete 2>/dev/null)
n=$(awk -F, '$3 == 3' <<<"$nat" | wc -l)
[ "$n" = 77 ] && ok || bad "national: criterion 3 has $n province rows, wanted 77"
# mean and sample SD of criterion 3 over all 77, and each province's z and band
awk -F, '
  $3 == 3 {
    i = $1 - 9; v = (i % 3 == 0) ? 100 : 0
    n++; val[n] = v; got_v[n] = $6; got_m[n] = $7; got_s[n] = $8; got_z[n] = $9; got_b[n] = $10
  }
  END {
    for (k = 1; k <= n; k++) s += val[k]; m = s / n
    for (k = 1; k <= n; k++) q += (val[k] - m) ^ 2; sd = sqrt(q / (n - 1))
    bad = 0
    for (k = 1; k <= n; k++) {
      z = (val[k] - m) / sd
      band = z > 1 ? "ดีกว่าช่วง" : z >= -1 ? "อยู่ในช่วง" : "ต่ำกว่าช่วง"
      if (sprintf("%.4f", m) != got_m[k] || sprintf("%.4f", sd) != got_s[k] || sprintf("%.4f", z) != got_z[k] ||
          band != got_b[k] || sprintf("%.4f", val[k]) != got_v[k]) { print "row " k ": " m " " sd " " z " " band; bad = 1 }
    }
    exit bad
  }' <<<"$nat" && ok || bad "national: criterion 3 mean/SD/z/band do not recompute over 77 provinces"
# every one of the 77 provinces gets a scorecard (no job limit); the KPI
# scheme is moved to region 8, the only region of this data
rm -rf "$TMP/k8"; cp -r $KPI "$TMP/k8"; sed -i 's/^region = 12/region = 8/' "$TMP/k8/scheme.ini"
rm -rf "$TMP/natout"
"$KHET" render --data "$TMP/nat" --kpi-scheme "$TMP/k8" --allow-incomplete --report scorecard --jobs 2 --out "$TMP/natout" >/dev/null 2>&1
n=$(ls "$TMP/natout/2563/r8" 2>/dev/null | grep -c '^scorecard-')
[ "$n" = 77 ] && ok || bad "national: $n scorecards rendered, wanted 77"
# the monthly chart draws one line per province of a 77-province region
expect 0 "monthly-2563-09.pdf" -- "$KHET" render --data "$TMP/nat" --kpi-scheme "$TMP/k8" --allow-incomplete --report monthly --out "$TMP/natout"

# ---- money: every amount bounded, negative only where accounting allows ----
fresh; sed -i '2s/^\(10651,2562-10,\)[0-9.]*,/\120000000000000000.00,/' "$TMP/d/finance.csv"
expect 2 "finance.csv:2:[0-9]+: error: column 'cash'.*1,000,000,000,000 baht" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '2s/^\(10651,2562-10,\)[0-9.]*,/\11000000000000.00,/' "$TMP/d/finance.csv"
expect 0 "" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '2s/^\(10651,2562-10,\)[0-9.]*,/\11000000000000.01,/' "$TMP/d/finance.csv"
expect 2 "finance.csv:2:15: error: column 'cash'" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '2s/,"40,262,728.76"$/,"1,000,000,000,001.00"/' "$TMP/d/provinces.csv"
expect 2 "provinces.csv:2:[0-9]+: error: column 'reserved_baht'" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '2s/^\(10651,2562-10,\)[0-9.]*,/\1-5.00,/' "$TMP/d/finance.csv"
expect 2 "finance.csv:2:15: error: column 'cash'.*cannot be negative" -- "$KHET" check --data "$TMP/d"
# a month's revenue or expense may be negative (a reversal): accepted
fresh; awk -F, -v OFS=, 'NR == 2 { $8 = "-1500.00"; $10 = "(250.00)" } 1' data/finance.csv >"$TMP/d/finance.csv"
expect 0 "" -- "$KHET" check --data "$TMP/d"
for col in opd_cost ipd_cost current_liabilities; do
  fresh; awk -F, -v OFS=, -v c=$col 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } NR == 2 { $k = "-1.00" } 1' \
    data/finance.csv >"$TMP/d/finance.csv"
  expect 2 "finance.csv:2:[0-9]+: error: column '$col'.*cannot be negative" -- "$KHET" check --data "$TMP/d"
done
fresh; awk -F, -v OFS=, 'NR == 2 { $12 = "2000000000" } 1' data/finance.csv >"$TMP/d/finance.csv"
expect 2 "finance.csv:2:[0-9]+: error: column 'opd_visits'.*1,000,000,000" -- "$KHET" check --data "$TMP/d"

# ---- the command line does what it says ----
for f in table csv json; do
  rm -f "$TMP/o.$f"
  out=$("$KHET" score --scheme $FIN --format $f --out "$TMP/o.$f" 2>&1)
  [ -z "$out" ] && [ -s "$TMP/o.$f" ] && ok || bad "score --format $f --out wrote nothing or printed: $out"
done
grep -q '"clawback_satang"' "$TMP/o.json" && ok || bad "score --out json lacks the results"
head -1 "$TMP/o.csv" | grep -q $'^\xEF\xBB\xBFรหัสจังหวัด,จังหวัด,' && ok || bad "score --out csv lacks the BOM and the Thai header (issue 22)"
expect 2 "--out: a file name is needed" -- "$KHET" score --scheme $FIN --out ''
expect 2 "--out: an output folder is needed" -- "$KHET" render --out ''
expect 2 "--province 90 is not a province of region 8" -- "$KHET" render --province 90 --out "$TMP/x"
expect 2 "--province 90 is not a province of region 8" -- "$KHET" render --report summary --province 90 --out "$TMP/x"
for j in 2x 0 -1 ' 2' 2.0 65 ''; do
  expect 2 "--jobs" -- "$KHET" render --jobs "$j" --out "$TMP/x"
done
for e in abc 12x -5 1e9 99999999999999; do
  expect 2 "SOURCE_DATE_EPOCH" -- env SOURCE_DATE_EPOCH="$e" "$KHET" render --report summary --out "$TMP/x"
done
# a valid epoch dates the document: 1600000000 is 2020-09-13 (13 กันยายน 2563)
rm -rf "$TMP/x"
SOURCE_DATE_EPOCH=1600000000 "$KHET" render --report summary --out "$TMP/x" >/dev/null 2>&1
pdftotext "$TMP/x/2563/r8/summary.pdf" - 2>/dev/null | grep -q "13 กันยายน 2563" && ok || bad "SOURCE_DATE_EPOCH does not date the summary"

# ---- invented figures: the Region 12 handout has no Region 8 grades ----
rm -rf "$TMP/m"
"$KHET" render --report monthly --out "$TMP/m" >/dev/null 2>&1
t=$(pdftotext -layout "$TMP/m/2563/r12/monthly-2563-09.pdf" - 2>/dev/null)
grep -q "ไม่แสดงร้อยละคะแนนและระดับ" <<<"$t" && ! grep -q "finance-r8-2563" <<<"$t" && ok || bad "monthly: no note that the grades are left out, or it names the scheme by its folder"
# (the CMI heading names the KPI's hospital levels "A–F2": levels, not grades)
sed 's/A–F2//g' <<<"$t" | grep -qE "เดิม|ระดับคาดการณ์|\b(A|B\+|C\+|F)\b" && bad "monthly prints grades of Region 8's scheme" || ok
# named explicitly: the grades carry the scheme's region, and the note names it; they are for
# information, in the appendix, not on pages 1-2 (issue 20: the handout's two pages keep to the region's own)
rm -rf "$TMP/m"
"$KHET" render --report monthly --scheme $FIN --out "$TMP/m" >/dev/null 2>&1
t=$(pdftotext -layout "$TMP/m/2563/r12/monthly-2563-09.pdf" - 2>/dev/null)
# (the heading over the grades may wrap, its lines read apart from each other: looked for with the lines joined)
h=$(pdftotext "$TMP/m/2563/r12/monthly-2563-09.pdf" - 2>/dev/null | tr -d '\n')
grep -q "ผลการประเมินตามเกณฑ์ของเขตสุขภาพที่ 8" <<<"$h" && grep -q "คำนวณตาม \"เกณฑ์การประเมิน" <<<"$t" && ! grep -q "finance-r8-2563" <<<"$t" && ok || bad "monthly: an explicit scheme is not named"
p12=$(pdftotext -l 2 "$TMP/m/2563/r12/monthly-2563-09.pdf" - 2>/dev/null | tr -d '\n')
app=$(pdftotext -f 3 "$TMP/m/2563/r12/monthly-2563-09.pdf" - 2>/dev/null)
grep -q "อยู่ในภาคผนวก" <<<"$p12" && ! grep -q "เดิม" <<<"$p12" && [ "$(grep -o "(เดิม" <<<"$app" | wc -l)" -ge 7 ] && ok ||
  bad "monthly: another region's grades not in the appendix alone (pages 1-2: '${p12:0:200}')"

# ---- JSON and CSV: null for no data, never 0 or -1 ----
# eff7 rows removed for one hospital, finance rows for another: their
# indicators are null; a region where no province has data has null mean/SD
fresh; sed -i '/^10651,/d' "$TMP/d/efficiency7.csv"; sed -i '/^10652,/d' "$TMP/d/finance.csv"
# the pretty-printed JSON as "hcode key value" lines (values without the comma)
jv() { awk '/"hcode": /{ gsub(/[",]/, "", $2); h = $2 } /^ *"[a-z_0-9]+": [^[{]/ { k = $1; gsub(/[":]/, "", k); v = $2; gsub(/,$/, "", v); print h, k, v }'; }
j=$("$KHET" score --data "$TMP/d" --scheme $FIN --format json --hospitals --allow-incomplete 2>/dev/null | jv)
grep -qx "10651 eff7 null" <<<"$j" && ok || bad "JSON: eff7 without data is not null"
for k in risk_start risk_end risk_improved revenue_ge_expense nwc_satang ebitda_ratio revenue_satang expense_satang; do
  grep -qx "10652 $k null" <<<"$j" && ok || bad "JSON: $k without finance data is not null"
done
! grep -qE " (risk_start|risk_end|eff7) -" <<<"$j" && ok || bad "JSON: a -1 stands for no data"
csv=$("$KHET" score --data "$TMP/d" --scheme $FIN --format csv --headers en --hospitals --allow-incomplete 2>/dev/null)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } $1 == "10652" { bad = $c["risk_start"] != "" || $c["revenue_ge_expense"] != "" }
         $1 == "10651" { bad = bad || $c["eff7"] != "" } END { exit bad }' <<<"$csv" && ok || bad "CSV: no-data values are not empty"
# no province has E-Claim data: criterion 6's mean and SD are null
fresh; rm "$TMP/d/eclaim.csv"
j=$("$KHET" score --data "$TMP/d" --scheme $FIN --format json --allow-incomplete 2>/dev/null)
# every criterion 6 object: "measure": "eclaim" then value, mean, sd, z lines
n=$(grep -A4 '"measure": "eclaim"' <<<"$j" | grep -cE '"(value|mean|sd|z)": null')
[ "$n" = 28 ] && ok || bad "JSON: value/mean/SD/z of a criterion without data are not null ($n of 28)"

# ---- a scheme is checked like data ----
scheme_err() { # PATTERN FILE SED...: a broken copy of the finance scheme must be refused
  local pat=$1 file=$2; shift 2
  rm -rf "$TMP/s"; cp -r $FIN "$TMP/s"; sed -i "$@" "$TMP/s/$file"
  expect 2 "$pat" -- "$KHET" score --scheme "$TMP/s"
}
scheme_err "scheme.ini:[0-9]+:1: error: setting 'total_points': the criteria in criteria.csv give 900.00 points, not the declared 800.00" \
  scheme.ini 's/^total_points = 900/total_points = 800/'
scheme_err "criteria.csv:3:[0-9]+: error: column 'max_points'" criteria.csv '3s/,100,,nwc_ratio/,0,,nwc_ratio/'
scheme_err "criteria.csv:3:[0-9]+: error: column 'max_points'" criteria.csv '3s/,100,,nwc_ratio/,-5,,nwc_ratio/'
scheme_err "criteria.csv:10:1: error: column 'weight_percent': the parts of criterion 9 share 110.00 %" criteria.csv '11s/,100,30,risk47,/,100,40,risk47,/'
scheme_err "criteria.csv:10:[0-9]+: error: column 'weight_percent'" criteria.csv '10s/,100,40,risk7,/,100,140,risk7,/'
scheme_err "bands.csv:3:[0-9]+: error: column 'share_percent'" bands.csv '3s/,75,/,175,/'
scheme_err "bands.csv:3:[0-9]+: error: column 'share_percent'" bands.csv '3s/,75,/,-1,/'
scheme_err "bands.csv:3:[0-9]+: error: column 'z': bands must be listed from the highest z down" bands.csv '3s/,>=,-1,/,>=,2,/'
scheme_err "bands.csv:4:[0-9]+: error: column 'op': a band after the 'otherwise' band" bands.csv '3s/,>=,-1,75,/,otherwise,,75,/'
scheme_err "scheme.ini:[0-9]+:1: error: setting 'period_start': the period starts after it ends" scheme.ini 's/^period_start = 2563-04/period_start = 2563-09/; s/^period_end = 2563-09/period_end = 2563-04/'
scheme_err "grades.csv:3:[0-9]+: error: column 'above_percent': grades are listed from the highest boundary down: this one must be below 80.00" grades.csv '3s/^B+,75,/B+,85,/'
scheme_err "grades.csv:2:[0-9]+: error: column 'above_percent': a grade boundary is a percentage" grades.csv '2s/^A,80,/A,120,/'
scheme_err "grades.csv:3:[0-9]+: error: column 'announced_high': the announced range overlaps" grades.csv '3s/,76,80,/,76,81,/'
scheme_err "grades.csv:4:[0-9]+: error: column 'announced_high': a gap" grades.csv '4s/,71,75,/,71,74,/'
scheme_err "grades.csv:3:[0-9]+: error: column 'above_percent': the boundary must fall" grades.csv '3s/^B+,75,/B+,77,/'
scheme_err "grades.csv:8:[0-9]+: error: column 'announced_low': the lowest grade must start at 0" grades.csv '8s/,0,50,/,10,50,/'
scheme_err "grades.csv:2:[0-9]+: error: column 'announced_high': the highest grade must reach 100" grades.csv '2s/,81,100,/,81,99,/'
rm -rf "$TMP/s"; cp -r $KPI "$TMP/s"; echo "S,,1.3,second" >>"$TMP/s/cmi_targets.csv"
expect 2 "cmi_targets.csv:11:[0-9]+: error: column 'level': a second target for the same level and size \\(line 5\\)" -- "$KHET" score --scheme "$TMP/s"
rm -rf "$TMP/s"; cp -r $KPI "$TMP/s"; sed -i '5s/^S,,1.2,/S,,-1.2,/' "$TMP/s/cmi_targets.csv"
expect 2 "cmi_targets.csv:5:[0-9]+: error: column 'target'" -- "$KHET" score --scheme "$TMP/s"
# a KPI scheme that bands a criterion by Mean ± 1SD needs bands.csv (it crashed render before)
rm -rf "$TMP/s"; cp -r $KPI "$TMP/s"; sed -n '1p;7p' $FIN/criteria.csv >"$TMP/s/criteria.csv"
expect 2 "scheme.ini: error: the criteria are banded by Mean ± 1SD \\(rule zband\\), which needs bands.csv" -- \
  "$KHET" render --kpi-scheme "$TMP/s" --report kpi --out "$TMP/x"
cp $FIN/bands.csv "$TMP/s/"
expect 0 "" -- "$KHET" render --kpi-scheme "$TMP/s" --report kpi --out "$TMP/x"
# a scheme of another fiscal year: refused, or with the flag a warning
rm -rf "$TMP/s"; cp -r $FIN "$TMP/s"; sed -i 's/^fiscal_year = 2563/fiscal_year = 2564/; s/^period_start = 2563-04/period_start = 2564-04/; s/^period_end = 2563-09/period_end = 2564-09/' "$TMP/s/scheme.ini"
expect 2 "scheme.ini:[0-9]+:1: error: the scheme is for fiscal year 2564, the data for 2563" -- "$KHET" score --scheme "$TMP/s"
expect 2 "the scheme is for fiscal year 2564" -- "$KHET" render --scheme "$TMP/s" --out "$TMP/x"
expect 0 "warning: the scheme is for fiscal year 2564" -- "$KHET" score --scheme "$TMP/s" --allow-year-mismatch
# the shipped schemes pass every check
expect 0 "" -- "$KHET" score --scheme $FIN
expect 0 "" -- "$KHET" score --scheme $KPI

# ---- incomplete data: refused with one message per gap, or listed on the documents ----
expect 0 "" -- "$KHET" check --data data   # the sample data is complete
# hospital 10651 (province 41) lacks May 2563 of finance.csv, and 10652 June of
# trial_balance.csv (inside the Apr-Sep period); a new province 37 has no hospital
fresh; sed -i '/^10651,2563-05,/d' "$TMP/d/finance.csv"; sed -i '/^10652,2563-06,/d' "$TMP/d/trial_balance.csv"
echo '37,หนองบัวใหม่,New Province,8,"1,000.00"' >>"$TMP/d/provinces.csv"
out=$("$KHET" score --data "$TMP/d" --scheme $FIN 2>&1); rc=$?
[ $rc = 2 ] && ok || bad "score over gaps exited $rc, wanted 2"
grep -qE "finance.csv: error: incomplete data: province 41, hospital 10651 \(.*\): no row for month 2563-05" <<<"$out" && ok || bad "no message for the missing finance month: $out"
grep -qE "trial_balance.csv: error: incomplete data: province 47, hospital 10652 \(.*\): no row for month 2563-06" <<<"$out" && ok || bad "no message for the missing trial-balance month"
grep -qE "hospitals.csv: error: incomplete data: province 37 \(หนองบัวใหม่\) has no hospital to score" <<<"$out" && ok || bad "no message for the province without hospitals"
n=$(grep -c "error: incomplete data" <<<"$out")
[ "$n" = 3 ] && ok || bad "$n gap messages, wanted 3 (one per gap)"
expect 2 "incomplete data: province 41, hospital 10651" -- "$KHET" render --data "$TMP/d" --out "$TMP/x"
# a trial-balance month outside the period (Feb) is not a gap of the finance scheme
fresh; sed -i '/^10652,2563-02,/d' "$TMP/d/trial_balance.csv"
expect 0 "" -- "$KHET" score --data "$TMP/d" --scheme $FIN
# allowed: warnings, and every document lists the gaps and marks the rows
fresh; sed -i '/^10651,2563-05,/d' "$TMP/d/finance.csv"; sed -i '/^10652,2563-06,/d' "$TMP/d/trial_balance.csv"
echo '37,หนองบัวใหม่,New Province,8,"1,000.00"' >>"$TMP/d/provinces.csv"
expect 0 "warning: incomplete data: province 41, hospital 10651" -- "$KHET" score --data "$TMP/d" --scheme $FIN --allow-incomplete
rm -rf "$TMP/q"
"$KHET" render --data "$TMP/d" --out "$TMP/q" --allow-incomplete >/dev/null 2>&1
t=$(pdftotext -layout "$TMP/q/2563/r8/scorecard-41.pdf" - 2>/dev/null)
# (the data is named by what it holds, never by its file: issue 20)
grep -q "ข้อมูลไม่ครบถ้วน" <<<"$t" && grep -qE "ข้อมูลการเงินรายเดือน: ไม่มีข้อมูลเดือน พ.ค. 2563" <<<"$t" && ok || bad "scorecard 41 lacks the data-quality box"
grep -q "ข้อมูลงบทดลอง:" <<<"$t" && bad "scorecard 41 lists another province's gap" || ok
# rows of criteria reading finance.csv (1, 2, 3, 8, 9.x) are marked, 4-7 are not
for k in 1 2 3 8 9.1 9.2 9.3; do grep -qE "^ *$k \*" <<<"$t" && ok || bad "scorecard 41: criterion $k not marked"; done
for k in 4 5 6 7; do grep -qE "^ *$k \*" <<<"$t" && bad "scorecard 41: criterion $k marked" || ok; done
t=$(pdftotext -layout "$TMP/q/2563/r8/scorecard-37.pdf" - 2>/dev/null)
grep -q "ไม่มีหน่วยบริการ" <<<"$t" && ok || bad "scorecard 37 does not say it has no hospitals"
t=$(pdftotext -layout "$TMP/q/2563/r8/summary.pdf" - 2>/dev/null)
grep -q "ไม่มีข้อมูลเดือน พ.ค. 2563" <<<"$t" && grep -q "ไม่มีข้อมูลเดือน มิ.ย. 2563" <<<"$t" && ok || bad "summary lacks the gaps"
# complete data: no box
rm -rf "$TMP/q"; "$KHET" render --out "$TMP/q" --report scorecard --province 41 >/dev/null 2>&1
pdftotext -layout "$TMP/q/2563/r8/scorecard-41.pdf" - 2>/dev/null | grep -q "ข้อมูลไม่ครบถ้วน" && bad "a complete scorecard has a data-quality box" || ok

# ---- hidden figures: the rules are printed from the scheme ----
# (the text without its spaces and line ends: the portrait page wraps elsewhere;
# tr, not bash's ${t// /}, which takes a third of a second on a scorecard's text)
t=$(pdftotext "$TMP/q/2563/r8/scorecard-41.pdf" - 2>/dev/null | tr -d ' \n')
for want in "เกณฑ์การจัดสรรเงินส่วนที่กันร้อยละ 15" "แบบตัวอย่าง (STDEV ของ Excel" "ดีกว่าช่วง (z > 1.00) ได้ร้อยละ 100" \
  "อยู่ในช่วง (z ≥ -1.00) ได้ร้อยละ 75" "ต่ำกว่าช่วง (กรณีอื่น) ได้ร้อยละ 50" "ข้อ 9.1 ร้อยละ 40, ข้อ 9.2 ร้อยละ 30 และข้อ 9.3 ร้อยละ 30" \
  "ได้ 0 คะแนนในเกณฑ์นั้น" "ข้อ 4, 5, 6, 9.1, 9.2, 9.3 เม.ย. 2563 – ก.ย. 2563" "ข้อ 7 ผลประเมินล่าสุดของปี" \
  "ระดับ F (ไม่อยู่ในประกาศ)" "ปัดเศษเป็นสตางค์" "76 – 80" "มากกว่า 75.00 ถึง 80.00"; do
  grep -qF -- "${want// /}" <<<"$t" && ok || bad "scorecard lacks the rule '$want'"
done
# ... from the scheme, not hard-coded: change the scheme, the page follows
rm -rf "$TMP/s"; cp -r $FIN "$TMP/s"
sed -i 's/^sd = sample/sd = population/; s/^no_data = zero/no_data = bottom_band/; s/^reserve_note = .*/reserve_note = ทดสอบเงินส่วนที่กัน 20 %/' "$TMP/s/scheme.ini"
sed -i '10s/,100,40,risk7,/,100,50,risk7,/; 11s/,100,30,risk47,/,100,20,risk47,/' "$TMP/s/criteria.csv"
sed -i '3s/,75,/,70,/' "$TMP/s/bands.csv"
rm -rf "$TMP/q"; "$KHET" render --scheme "$TMP/s" --out "$TMP/q" --report scorecard --province 41 >/dev/null 2>&1
t=$(pdftotext "$TMP/q/2563/r8/scorecard-41.pdf" - 2>/dev/null | tr '\n' ' ')
for want in "ทดสอบเงินส่วนที่กัน 20 %" "แบบประชากร (หารด้วย n)" "ได้ร้อยละ 70" "ข้อ 9.1 ร้อยละ 50, ข้อ 9.2 ร้อยละ 20 และข้อ 9.3 ร้อยละ 30" "ได้คะแนนของช่วงต่ำสุด"; do
  grep -qF -- "$want" <<<"$t" && ok || bad "scorecard does not follow the scheme: '$want'"
done
# a year mismatch, when allowed, is printed on the page
rm -rf "$TMP/s"; cp -r $FIN "$TMP/s"; sed -i 's/^fiscal_year = 2563/fiscal_year = 2564/; s/^period_start = 2563-04/period_start = 2564-04/; s/^period_end = 2563-09/period_end = 2564-09/' "$TMP/s/scheme.ini"
rm -rf "$TMP/q"; "$KHET" render --scheme "$TMP/s" --out "$TMP/q" --report scorecard --province 41 --allow-year-mismatch >/dev/null 2>&1
pdftotext "$TMP/q/2563/r8/scorecard-41.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "เป็นของปีงบประมาณ 2564 แต่ข้อมูลเป็นของปีงบประมาณ 2563" && ok || bad "year mismatch not on the page"
# archive: a signed, final round is never made from data with gaps
fresh; sed -i '/^10651,2563-05,/d' "$TMP/d/finance.csv"
expect 2 "incomplete data: province 41, hospital 10651 .*2563-05" -- "$KHET" archive --data "$TMP/d" --scheme $FIN \
  --signoff data/signoff.csv --archive "$TMP/arch"
[ ! -e "$TMP/arch/ledger.sqlite" ] || ! ls "$TMP/arch"/*/* >/dev/null 2>&1 && ok || bad "archive filed documents from data with gaps"
