# A region of one province is not graded against itself (issue 28, point 1).
# tests/fixtures/exact/one-province is Region 13 as the Ministry has it: one
# province (Bangkok). With the sample SD no Mean ± 1SD criterion can be
# banded: no band, no points, no grade and no amount, and khet says why in
# score, check, render and the JSON; a scheme that names what to do
# (too_few_provinces = band N, min_provinces = N) is followed and printed.
plan 21
FIN=templates/finance-r8-2563 ONE=tests/fixtures/exact/one-province
S="$TMP/few"; mkdir -p "$S"
cp -r $FIN "$S/r13"; sed -i 's/^region = 8/region = 13/' "$S/r13/scheme.ini"
cp -r "$S/r13" "$S/r13band"; printf 'too_few_provinces = band 2\n' >>"$S/r13band/scheme.ini"
cp -r "$S/r13" "$S/r13pop3"; sed -i 's/^sd = sample/sd = population\nmin_provinces = 3/' "$S/r13pop3/scheme.ini"
cp -r "$S/r13" "$S/r13pop"; sed -i 's/^sd = sample/sd = population/' "$S/r13pop/scheme.ini"

# score: status 0, a warning per criterion, nulls where nothing can be given
"$KHET" score --data $ONE --scheme "$S/r13" --format json >"$S/one.json" 2>"$S/one.err"
rc=$?
[ $rc = 0 ] && ok || bad "score of a one-province region exited $rc: $(grep -v 'note: file' "$S/one.err" | head -3)"
n=$(grep -c "warning: region 13, criterion [0-9.]*: 1 province(s) with data; the sample SD needs at least 2: no band, no points, no grade and no amount" "$S/one.err")
[ "$n" = 9 ] && ok || bad "score warned for $n criteria, wanted the 9 banded ones: $(head -3 "$S/one.err")"
python3 - "$S/one.json" <<'PY' && ok || bad "one-province JSON: a band, point, SD, grade or amount where there can be none"
import json, sys
p = json.load(open(sys.argv[1]))["provinces"][0]
assert p["grade"] is None and p["clawback_satang"] is None and p["kept_satang"] is None, p
assert p["total"] is None and p["rank"] is None and p["clawback_rate"] is None, p
assert "fewer provinces of region 13 have data than the sample SD needs (2)" in p["not_graded"], p["not_graded"]
banded = [c for c in p["criteria"] if (c["number"], c["part"]) != (9, 1) and c["value"] is not None]
assert len(banded) == 9 and all(c["band"] is None and c["points"] is None and c["sd"] is None and c["z"] is None
                                for c in banded), banded
t = [c for c in p["criteria"] if (c["number"], c["part"]) == (9, 1)][0]
assert t["points"] == 40 and t["z"] is None, t  # a pass/fail row: points, no z
PY
out=$(python3 tests/schema/check.py tests/schema/score.schema.json "$S/one.json" 2>&1)
grep -q "^schema: 0 violations$" <<<"$out" && ok || bad "ungraded JSON breaks the schema: $out"
"$KHET" score --data $ONE --scheme "$S/r13" --format json --hospitals >"$S/oh.json" 2>/dev/null
out=$(python3 tests/oracle.py $ONE "$S/r13" "$S/oh.json" 2>&1)
grep -qE "^oracle: 1 provinces, 3 hospitals, [0-9]+ figures compared, 0 differ$" <<<"$out" && ok \
  || bad "oracle vs khet on the one-province region: $(head -5 <<<"$out")"
# the CSV: empty cells, never 0
"$KHET" score --data $ONE --scheme "$S/r13" --format csv 2>/dev/null | awk -F, 'NR == 2' >"$S/row.csv"
python3 - "$S/row.csv" <<'PY' && ok || bad "CSV of an ungraded province: $(cat "$S/row.csv")"
import csv, sys
row = next(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
# code, name, number, part, measure, value, mean, sd, z, band, points, max, total, percent, grade, rank, clawback
assert row[7] == "" and row[8] == "" and row[9] == "" and row[10] == "" and row[12] == "" and row[16] == "", row
PY

# check says so before anything is scored
expect 0 "note: region 13 has one province: a Mean ± k·SD criterion with the sample SD cannot band it" -- \
  "$KHET" check --data $ONE
expect 0 "warning: region 13, criterion 4: 1 province\(s\) with data; the sample SD needs at least 2: no band" -- \
  "$KHET" check --data $ONE --scheme "$S/r13"
# render: the documents, status 0, a warning per criterion, and the reason
# printed where the grade and the money would be; no band, points, grade,
# rank or amount anywhere (the reserve, 82,089,359.50, is data, printed)
expect 0 "warning: region 13, criterion 1: 1 province\(s\) with data; the sample SD needs at least 2" -- \
  "$KHET" render --data $ONE --scheme "$S/r13" --kpi-scheme none --out "$S/out"
sc=$(pdftotext -layout "$S/out/2563/r13/scorecard-10.pdf" - 2>/dev/null)
sm=$(pdftotext -layout "$S/out/2563/r13/summary.pdf" - 2>/dev/null)
flat=$(tr -d ' \n' <<<"$sc$sm")
want=$(tr -d ' ' <<<"จังหวัดกรุงเทพมหานคร ไม่จัดระดับ ไม่จัดลำดับ และไม่คำนวณเงินดึงกลับ: เกณฑ์ข้อ 1, 2, 3, 4, 5, 6, 7, 8, 9.2 มีจังหวัดในเขตที่มีข้อมูลเพียง 1 จังหวัด")
[ "$(grep -oF "$want" <<<"$flat" | wc -l)" = 2 ] && ok || bad "the scorecard and the summary do not both say why there is no grade"
# every amount printed is the reserve; the criteria rows' points are "–" (9.1 pass/fail keeps its 40)
grep -E "[0-9] *บาท|บาท \(" <<<"$sc$sm" | grep -vF -e "82,089,359.50 บาท" -e "รายได้ต่ำกว่าค่าใช้จ่าย" | grep -q . \
  && bad "an amount other than the reserve is printed: $(grep -E '[0-9] *บาท' <<<"$sc$sm" | grep -vF 82,089,359.50 | head -3)" || ok
grep -E "^ *กรุงเทพมหานคร " <<<"$sm" | head -1 | grep -qE "^ *กรุงเทพมหานคร +– +82,089,359\.50 +– +– +–$" \
  && ok || bad "the summary's money row: $(grep -E '^ *กรุงเทพมหานคร ' <<<"$sm" | head -1)"
# the summary's rules say which criteria have no band and what follows
tr -d ' \n' <<<"$sm" | grep -qF "$(tr -d ' ' <<<"• เกณฑ์ข้อ 1, 2, 3, 4, 5, 6, 7, 8, 9.2 มีจังหวัดที่มีข้อมูลน้อยกว่า 2 จังหวัด")" \
  && ok || bad "the summary's rules do not name the criteria without a band"
# filed as its documents say; history prints no total, rank or claw-back for it (never 0.00)
"$KHET" archive --data $ONE --scheme "$S/r13" --signoff data/signoff.csv --archive "$S/a" >/dev/null 2>&1 && ok ||
  bad "an ungraded round is not filed"
"$KHET" history --archive "$S/a" 2>/dev/null | grep -qE "^finance-r8-2563/2563-r1 +2563-10-20 checksums +- +- - +- +-  10 กรุงเทพมหานคร$" \
  && ok || bad "history of an ungraded province: $("$KHET" history --archive "$S/a" 2>&1 | tail -1)"
# the scheme names what to do: every province gets band 2, graded, printed on the scorecard
"$KHET" score --data $ONE --scheme "$S/r13band" --format json >"$S/band.json" 2>/dev/null
python3 - "$S/band.json" <<'PY' && ok || bad "too_few_provinces = band 2: not every criterion within, or not 662.50 / B"
import json, sys
p = json.load(open(sys.argv[1]))["provinces"][0]
# 8 criteria x 75 + 9.1 40 + 9.2 22.5 (within) + 9.3 no data 0 = 662.5 of 900 = 73.61 %: B, 20 % of 82,089,359.50
assert p["total"] == 662.5 and p["grade"] == "B" and p["clawback_satang"] == 1641787190 and p["not_graded"] is None, p
assert all(c["band"] == "อยู่ในช่วง" for c in p["criteria"] if c["value"] is not None and (c["number"], c["part"]) != (9, 1))
PY
"$KHET" render --data $ONE --scheme "$S/r13band" --kpi-scheme none --report scorecard --out "$S/out2" >/dev/null 2>&1
txt=$(pdftotext "$S/out2/2563/r13/scorecard-10.pdf" - 2>/dev/null | tr -s ' \n' ' ')
grep -q 'เกณฑ์ข้อ 1, 2, 3, 4, 5, 6, 7, 8, 9.2 มีจังหวัดที่มีข้อมูลน้อยกว่า 2 จังหวัดที่การคำนวณ SD ต้องใช้: ไม่คำนวณ Mean ± 1SD ทุกจังหวัดได้ช่วง "อยู่ในช่วง" ตามที่เกณฑ์กำหนด' <<<"$txt" \
  && ok || bad "the scorecard does not print the scheme's rule for too few provinces"
# ... and no SD where there is none ("–", never 0.00)
pdftotext -layout "$S/out2/2563/r13/scorecard-10.pdf" - 2>/dev/null | grep -E "^ *1 ค่า SD ของสัดส่วน" | grep -q " – อยู่ในช่วง" \
  && ok || bad "the scorecard prints a number for an SD that does not exist"
# the summary's chart of one province: no SD in its legend either
"$KHET" render --data $ONE --scheme "$S/r13band" --kpi-scheme none --report summary --out "$S/out2" >/dev/null 2>&1
pdftotext "$S/out2/2563/r13/summary.pdf" - 2>/dev/null | grep -q "Mean ± 1SD (SD = –)" \
  && ok || bad "the summary's chart prints an SD for one province under the sample SD"
# the population SD of one province is 0 (graded), unless min_provinces asks for more
g1=$("$KHET" score --data $ONE --scheme "$S/r13pop" --format json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["provinces"][0]["grade"])')
g3=$("$KHET" score --data $ONE --scheme "$S/r13pop3" --format json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["provinces"][0]["grade"])')
[ "$g1" = B ] && [ "$g3" = None ] && ok || bad "population SD: grade $g1 (wanted B), with min_provinces = 3: $g3 (wanted none)"
# a band the scheme does not have is refused with file:line
cp -r "$S/r13" "$S/bad"; printf 'too_few_provinces = band 9\n' >>"$S/bad/scheme.ini"
expect 2 "scheme.ini:[0-9]+:1: error: setting 'too_few_provinces': bands.csv has 3 bands, not 9" -- \
  "$KHET" score --data $ONE --scheme "$S/bad"
