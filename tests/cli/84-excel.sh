# Issue 22: what Excel writes is accepted. The sample saved as Thai Excel
# would save it scores exactly as the sample; the mistakes Excel users make
# get one message each that names the file, line, value and what to do.
plan 23

rm -rf "$TMP/xl"; cp -r data "$TMP/xl"
python3 - "$TMP/xl" <<'PY'
import csv, io, sys
d = sys.argv[1]
def rows(f):
    return list(csv.reader(open(f"{d}/{f}", encoding="utf-8", newline="")))
def save(f, rs, enc="utf-8", bom=False, crlf=False):
    b = io.StringIO()
    csv.writer(b, lineterminator="\r\n" if crlf else "\n").writerows(rs)
    open(f"{d}/{f}", "wb").write((b"\xef\xbb\xbf" if bom else b"") + b.getvalue().encode(enc))
# finance.csv: BOM, CRLF, money with quoted thousands separators, an empty row
r = rows("finance.csv")
for row in r[1:]:
    for i in range(2, len(row)):
        if "." in row[i]:
            v = row[i]; neg = v.startswith("-"); v = v.lstrip("-")
            whole, frac = v.split(".")
            row[i] = ("-" if neg else "") + f"{int(whole):,}.{frac}"
r.insert(5, [""] * len(r[0]))
save("finance.csv", r, bom=True, crlf=True)
# hospitals.csv: Windows-874, Thai column labels as khet prints them
r = rows("hospitals.csv")
r[0] = ["รหัสหน่วยบริการ", "ชื่อภาษาไทย", "จังหวัด", "ระดับโรงพยาบาล", "ขนาดโรงพยาบาลศูนย์"][:len(r[0])]
save("hospitals.csv", r, enc="cp874")
# provinces.csv: English headers in any case with blanks, Thai (name) headers, empty rows at the end
r = rows("provinces.csv")
r[0] = [" CODE ", "ชื่อภาษาไทย (name_th)", "Name_EN", " Region", "เงินส่วนที่กัน (reserved_baht)"]
r += [[""] * 5, [""] * 5]
save("provinces.csv", r, crlf=True)
PY
"$KHET" score --format json --hospitals > "$TMP/want.json" 2>/dev/null
out=$("$KHET" score --data "$TMP/xl" --format json --hospitals 2>"$TMP/xl.err"); rc=$?
[ $rc = 0 ] && cmp -s <(printf '%s\n' "$out") "$TMP/want.json" && ok || bad "Excel-style CSVs score differently (status $rc): $(head -5 "$TMP/xl.err")"
grep -q "finance.csv:6:1: note: 1 empty row was skipped" "$TMP/xl.err" && ok || bad "empty row not counted: $(cat "$TMP/xl.err")"
grep -q "provinces.csv:[0-9]*:1: note: 2 empty rows were skipped" "$TMP/xl.err" && ok || bad "empty rows not counted: $(cat "$TMP/xl.err")"
# the scheme saved by a Thai Windows editor (Windows-874) is read as data files are
rm -rf "$TMP/s874"; cp -r templates/finance-r8-2563 "$TMP/s874"
for f in scheme.ini criteria.csv bands.csv grades.csv; do iconv -f utf-8 -t CP874//TRANSLIT "templates/finance-r8-2563/$f" > "$TMP/s874/$f"; done
"$KHET" score --scheme "$TMP/s874" --format json --hospitals 2>/dev/null | cmp -s - "$TMP/want.json" && ok ||
  bad "a Windows-874 scheme scores differently"

# an unquoted thousands separator: the cell, the value and the fix
fresh; sed -i '2s/^\(10651,2562-10\),\([0-9]*\)\([0-9]\{3\}\)\.\([0-9]*\),/\1,\2,\3.\4,/' "$TMP/d/finance.csv"
expect 2 "finance.csv:2:15: error: this row has 15 fields but the header has 14: is '[0-9]+,[0-9]{3}\.[0-9]+' one number whose thousands separator is not in quotes\? Write \"[0-9]+,[0-9]{3}\.[0-9]+\"" -- "$KHET" check --data "$TMP/d"
# did you mean: a column and a setting typed wrong
fresh; sed -i '1s/^hcode,/hcdoe,/' "$TMP/d/ha.csv"
expect 2 "ha.csv:1:1: error: required column 'hcode' is missing from the header: did you mean 'hcode' for 'hcdoe'\?" -- "$KHET" check --data "$TMP/d"
out=$("$KHET" check --data "$TMP/d" 2>&1)
count_is 0 "an unknown-column warning beside the missing column it is" "unknown column 'hcdoe'" <<<"$out"
fresh; sed -i '1s/,claims_passed/,claims_pased/' "$TMP/d/eclaim.csv"
expect 2 "did you mean 'claims_passed' for 'claims_pased'" -- "$KHET" check --data "$TMP/d"
fresh; printf 'data_dat = 2563-10-10\n' >> "$TMP/d/dataset.ini"
expect 0 "dataset.ini:13:1: warning: unknown setting 'data_dat' is ignored: did you mean 'data_date'\?" -- "$KHET" check --data "$TMP/d"

# one edited cell of grades.csv: one error, naming the grade above and its line
rm -rf "$TMP/g"; cp -r templates/finance-r8-2563 "$TMP/g"; sed -i 's/^B+,75,10,76,80/B+,85,10,76,80/' "$TMP/g/grades.csv"
out=$("$KHET" check --scheme "$TMP/g" 2>&1)
count_is 1 "errors from one edited grade boundary" "error:" <<<"$out"
count_is 1 "the root error" "grades.csv:3:4: error: column 'above_percent': grades are listed from the highest boundary down: this one must be below 80.00, the boundary of grade A on line 2 \('85'\)" <<<"$out"
cp templates/finance-r8-2563/grades.csv "$TMP/g/"; sed -i 's/^B,70,20,71,75/B,70,20,71,74/' "$TMP/g/grades.csv"
out=$("$KHET" check --scheme "$TMP/g" 2>&1)
count_is 1 "errors from one edited announced range" "error:" <<<"$out"
count_is 1 "the range's fix" "grades.csv:4:12: error: column 'announced_high': a gap between this range and the grade above it \(B\+, from 76 on line 3\): end this range at 75 \('74'\)" <<<"$out"
cp templates/finance-r8-2563/grades.csv "$TMP/g/"; sed -i 's/^C+,65,30/C+,6x,30/' "$TMP/g/grades.csv"
out=$("$KHET" check --scheme "$TMP/g" 2>&1)
count_is 1 "errors from one cell that is not a number" "error:" <<<"$out"
# a period in last year's months: the year it is in and the month to write
cp templates/finance-r8-2563/grades.csv "$TMP/g/"; sed -i 's/^period_start = 2563-04/period_start = 2562-04/' "$TMP/g/scheme.ini"
expect 2 "scheme.ini:[0-9]+:1: error: setting 'period_start': 2562-04 is in fiscal year 2562, not the scheme's 2563 \(October 2562 to September 2563\): write 2563-04" -- "$KHET" check --scheme "$TMP/g"

# a name with blanks at its start, end or two together: printed with none, and a warning at its line (issue 28)
# (at its start, two together, at its end)
fresh; sed -i '3s/^\([0-9]*\),โรงพยาบาล/\1, โรงพยาบาล/; 4s/^\([0-9]*\),โรงพยาบาล\([^,]*\)/\1,โรงพยาบาล  \2/; 5s/^\([0-9]*\),\([^,]*\),/\1,\2 ,/' "$TMP/d/hospitals.csv"
out=$("$KHET" check --data "$TMP/d" 2>&1)
count_is 3 "warnings on the blanks of three names" "hospitals.csv:[345]: warning: the name \"โรงพยาบาล ?[^ \"]+\" has blanks at its start or end or two together" <<<"$out"
# issue 28 point 5: a Region 8 scheme copied for Region 1 with only region = changed
rm -rf "$TMP/s1"; cp -r templates/finance-r8-2563 "$TMP/s1"
sed -i 's/^region = 8/region = 1/; s/{{region}}/8/g' "$TMP/s1/scheme.ini"; sed -i 's/{{provinces}}/7/g; s/{{region}}/8/g' "$TMP/s1/criteria.csv"
out=$("$KHET" check --scheme "$TMP/s1" 2>&1)
count_is 2 "scheme.ini lines naming region 8" "scheme.ini:[0-9]+: warning: the wording names region 8 \('เขตสุขภาพที่ 8'\) but the scheme is for region 1: write \{\{region\}\}" <<<"$out"
count_is 10 "criteria naming 7 provinces for region 1's 8" "criteria.csv:[0-9]+: warning: the wording (counts 7 provinces \('7 จังหวัด'\) but region 1 has 8|names region 8)" <<<"$out"
count_is 1 "the count by file" "^  $TMP/s1/criteria.csv: 0 errors, 10 warnings$" <<<"$out"
# ... also in Thai digits and without the space ("ของ ๗จังหวัด")
sed -i '9s/ของ 7 จังหวัด/ของ ๗จังหวัด/' "$TMP/s1/criteria.csv"
expect 0 "criteria.csv:9: warning: the wording counts 7 provinces \('7 จังหวัด'\) but region 1 has 8" -- "$KHET" check --scheme "$TMP/s1"
# the shipped schemes name neither: their wording is filled in from the data
out=$("$KHET" check 2>&1)
count_is 0 "wording warnings on the sample" "warning: the wording" <<<"$out"
# khet check reads the data, the schemes dataset.ini names and the sign-off together
grep -q "templates/finance-r8-2563: finance scheme 'finance-r8-2563', region 8" <<<"$out" && grep -q "data/signoff.csv: sign-off read" <<<"$out" && ok ||
  bad "check does not read the schemes and sign-off: $out"
fresh; sed -i '2s/^10651,2562-10,[0-9]*,/10651,2562-10,12x4,/' "$TMP/d/cmi.csv"; printf 'colour = blue\n' >> "$TMP/d/dataset.ini"
out=$("$KHET" check --data "$TMP/d" 2>&1)
count_is 1 "grouped counts" "^  $TMP/d/cmi.csv: 1 error, 0 warnings$" <<<"$out"
