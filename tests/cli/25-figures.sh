# Figures you can sign (issue 9): no fixed limits, bounded money, the command
# line doing what it says. Expected figures are recomputed here with awk from
# the generated data, never copied from khet's output.
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
nat=$("$KHET" score --data "$TMP/nat" --scheme $FIN --format csv 2>/dev/null)
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
"$KHET" render --data "$TMP/nat" --kpi-scheme "$TMP/k8" --report scorecard --jobs 2 --out "$TMP/natout" >/dev/null 2>&1
n=$(ls "$TMP/natout/2563/r8" 2>/dev/null | grep -c '^scorecard-')
[ "$n" = 77 ] && ok || bad "national: $n scorecards rendered, wanted 77"
# the monthly chart draws one line per province of a 77-province region
expect 0 "monthly-2563-09.pdf" -- "$KHET" render --data "$TMP/nat" --kpi-scheme "$TMP/k8" --report monthly --out "$TMP/natout"

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
[ "$(head -c 5 "$TMP/o.csv")" = "code," ] && ok || bad "score --out csv lacks the header"
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
