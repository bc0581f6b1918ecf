# khet score: every format, any region with any scheme, the scheme read at run time.
plan 31
FIN=templates/finance-r8-2563 KPI=templates/kpi66-r12-2563

out=$("$KHET" score --scheme $FIN 2>&1)
for p in อุดรธานี สกลนคร นครพนม เลย หนองคาย หนองบัวลำภู บึงกาฬ; do
  grep -q "$p" <<<"$out" && ok || bad "score table lacks $p"
done
# nine criteria (eleven rows with criterion 9's three parts) for each of the 7 provinces
n=$("$KHET" score --scheme $FIN --format csv | tail -n +2 | wc -l)
[ "$n" = 77 ] && ok || bad "criteria CSV has $n rows, wanted 77"
expect 0 '"clawback_satang"' -- "$KHET" score --scheme $FIN --format json
expect 0 '^41,' -- "$KHET" score --scheme $FIN --format csv
expect 0 '^[0-9]{5},' -- "$KHET" score --scheme $FIN --format csv --hospitals
# Region 12's data scored with Region 8's scheme
expect 0 "สงขลา" -- "$KHET" score --scheme $FIN --region 12
# the region's CMI count is the KPI's (kpi_levels A-F2: 53 hospitals with a target; F3 is not counted, issue 20)
expect 0 "^region +53 +40 " -- "$KHET" score --scheme $KPI
# issue 22: the schemes come from dataset.ini; a folder naming none is told how to name one
expect 0 "region 8, fiscal year 2563" -- "$KHET" score
expect 2 "usage" -- "$KHET" score --scheme $FIN --format pdf
expect 2 "outside the data's fiscal year" -- "$KHET" score --scheme $FIN --month 2563-10
expect 2 "no province of region 5" -- "$KHET" score --scheme $FIN --region 5

# the per-province totals add up from the per-criterion points in the same output
"$KHET" score --scheme $FIN --format csv | tail -n +2 | awk -F, '
  { sum[$1] += $11; tot[$1] = $13 }
  END { bad = 0; for (p in sum) if (sprintf("%.2f", sum[p]) != sprintf("%.2f", tot[p])) bad = 1; exit bad }' \
  && ok || bad "criterion points do not add up to the totals"

# clawback = rate x reserve, to the satang, recomputed here from the summary
"$KHET" score --scheme $FIN | awk '/^== summary/{s=1; next} /^$/{s=0} s && $1 ~ /^[0-9]+$/ {
  r = $(NF-3); res = $(NF-2); cb = $(NF-1); kept = $NF
  want = int(res * 100 * r / 100 + 0.5) / 100
  if (sprintf("%.2f", want) != sprintf("%.2f", cb) || sprintf("%.2f", res - cb) != sprintf("%.2f", kept)) bad = 1 }
  END { exit bad }' && ok || bad "clawback amounts do not recompute"

# changing a grade row in the scheme changes the result without a rebuild
rm -rf "$TMP/s"; cp -r $FIN "$TMP/s"
before=$("$KHET" score --scheme "$TMP/s" --format json | grep -c '"grade": "A"')
sed -i '/^\(B+\|B\|C+\|C\|D\),/d; s/^A,80,0,81,/A,50,0,51,/' "$TMP/s/grades.csv"
after=$("$KHET" score --scheme "$TMP/s" --format json | grep -c '"grade": "A"')
[ "$after" = 7 ] && [ "$before" != 7 ] && ok || bad "grade change not picked up ($before -> $after)"
cp $FIN/grades.csv "$TMP/s/"; sed -i 's/^อยู่ในช่วง,>=,-1,75,/อยู่ในช่วง Mean ± 1SD,>=,-1,0,/' "$TMP/s/bands.csv"
a=$("$KHET" score --scheme $FIN --format json | grep -m1 '"total"'); b=$("$KHET" score --scheme "$TMP/s" --format json | grep -m1 '"total"')
[ "$a" != "$b" ] && ok || bad "band change not picked up"
sed -i 's/^A,/A,x/' "$TMP/s/grades.csv"; sed -i '3s/,zband,/,zbandx,/' "$TMP/s/criteria.csv"
expect 2 "criteria.csv:3:[0-9]+: error: column 'rule'" -- "$KHET" score --scheme "$TMP/s"

# CSV cells that a spreadsheet would run as formulas are neutralised
fresh; sed -i '2s/,อุดรธานี,/,=SUM(1+2),/' "$TMP/d/provinces.csv"
expect 0 "^41,'=SUM\\(1\\+2\\)" -- "$KHET" score --data "$TMP/d" --scheme $FIN --format csv

# Excel workbook: one sheet per table, Thai headers, numbers stored as numbers
rm -f "$TMP/r.xlsx"
expect 0 "" -- "$KHET" score --scheme $FIN --format xlsx --out "$TMP/r.xlsx" --hospitals
rm -rf "$TMP/x"; mkdir "$TMP/x"; (cd "$TMP/x" && unzip -q ../r.xlsx)
[ -f "$TMP/x/xl/worksheets/sheet4.xml" ] && ok || bad "workbook lacks its four sheets"
grep -q "คะแนนรวม" "$TMP/x/xl/sharedStrings.xml" && ok || bad "workbook headers are not Thai"
# the total of the first province (summary!D2) is a number cell, not text
grep -oE '<c r="D2"[^>]*>' "$TMP/x/xl/worksheets/sheet1.xml" | grep -vq 't="s"' && ok || bad "totals are stored as text"
ls "$TMP"/r.xlsx.*.tmp >/dev/null 2>&1 && bad "temporary workbook left behind" || ok
expect 2 "^khet: --format xlsx writes a workbook: name it with --out FILE.xlsx$" -- "$KHET" score --scheme $FIN --format xlsx
expect 2 "a health region number 1-13" -- "$KHET" score --scheme $FIN --region abc
# same input, same bytes: the workbook carries no clock time
"$KHET" score --scheme $FIN --format xlsx --out "$TMP/r2.xlsx" >/dev/null 2>&1; sleep 1
"$KHET" score --scheme $FIN --format xlsx --out "$TMP/r3.xlsx" >/dev/null 2>&1
cmp -s "$TMP/r2.xlsx" "$TMP/r3.xlsx" && ok || bad "two workbooks from the same data differ"
