# khet check: the sample data is clean; every class of bad input gives exit 2
# and a file:line:column message; Windows-874 reads the same as UTF-8.
plan 31

expect 0 "fiscal year 2563, 14 provinces, 164 hospitals" -- "$KHET" check --data data
expect 0 "usage: khet check" -- "$KHET" check --help
expect 2 "usage" -- "$KHET" check --bogus
expect 2 "unknown command" -- "$KHET" frobnicate
expect 0 "^khet [0-9]" -- "$KHET" --version

# the hospitals file as Thai Excel saves it: Windows-874 with CRLF
fresh; iconv -f UTF-8 -t CP874 data/hospitals.csv | sed 's/$/\r/' > "$TMP/d/hospitals.csv"
expect 0 "164 hospitals" -- "$KHET" check --data "$TMP/d"
for f in data/*.csv; do iconv -f UTF-8 -t CP874 "$f" > "$TMP/d/$(basename "$f")"; done
expect 0 "164 hospitals" -- "$KHET" check --data "$TMP/d" --encoding windows-874
expect 2 "provinces.csv:2:4: error: byte 0x.. cannot be decoded as the requested encoding" -- \
  "$KHET" check --data "$TMP/d" --encoding utf-8

fresh; sed -i '30s/,[FM][123],/,X9,/' "$TMP/d/hospitals.csv"
expect 2 "hospitals.csv:30:[0-9]+: error: column 'level' \([^)]*\): hospital level must be one of" -- "$KHET" check --data "$TMP/d"

fresh; sed -i '2s/^41,/4x,/' "$TMP/d/provinces.csv"
expect 2 "provinces.csv:2:1: error: column 'code' \([^)]*\): a province code has 2 digits" -- "$KHET" check --data "$TMP/d"

fresh; sed -i '2s/,41,/,77,/' "$TMP/d/hospitals.csv"
expect 2 "hospitals.csv:2:[0-9]+: error: column 'province' \([^)]*\): unknown province" -- "$KHET" check --data "$TMP/d"

fresh; echo "10651,2562-10,1,1,1,1,1,1,1,1,1,1,1,1" >> "$TMP/d/finance.csv"
expect 2 "finance.csv:1970:7: error: duplicate row: hospital 10651, month 2562-10 is already given on line 2" -- "$KHET" check --data "$TMP/d"

fresh; sed -i '2s/,2562-10,/,2563-10,/' "$TMP/d/cmi.csv"
expect 2 "cmi.csv:2:7: error: column 'month' \([^)]*\): 1 row of this file has a month outside fiscal year 2563 \(October 2562 to September 2563\), the first 2563-10 here; 2563-10 is in fiscal year 2564: start that year's folder with .khet new-year --from $TMP/d --to NEW-FOLDER" -- "$KHET" check --data "$TMP/d"

fresh; sed -i '2s/^10651,2562-10,[0-9]*,/10651,2562-10,12x4,/' "$TMP/d/cmi.csv"
expect 2 "cmi.csv:2:15: error: column 'discharges' \(จำนวนผู้ป่วยจำหน่าย\): not a number" -- "$KHET" check --data "$TMP/d"

fresh; sed -i '3s/^10651,2562-11,[0-9]*,/10651,2562-11,"1,2",/' "$TMP/d/eclaim.csv"
expect 2 "eclaim.csv:3:15: error: column 'claims' \([^)]*\): misplaced thousands separator" -- "$KHET" check --data "$TMP/d"

fresh; echo "99999,2562-10,1,0" >> "$TMP/d/eclaim.csv"
expect 2 "eclaim.csv:1970:1: error: column 'hcode' \([^)]*\): unknown hospital" -- "$KHET" check --data "$TMP/d"

fresh; : > "$TMP/d/trial_balance.csv"
expect 2 "trial_balance.csv: error: the file is empty \(0 bytes\)" -- "$KHET" check --data "$TMP/d"

fresh; head -c 2000 data/finance.csv > "$TMP/d/finance.csv"
expect 2 "finance.csv:[0-9]+:[0-9]+: error: this row has [0-9]+ fields but the header has 14 \(is the file truncated\?\)" -- "$KHET" check --data "$TMP/d"

fresh; head -c 4000 /dev/urandom > "$TMP/d/ha.csv"; printf 'x\0y' >> "$TMP/d/ha.csv"
expect 2 "ha.csv:[0-9]+:[0-9]+: error: (binary data|byte 0x)" -- "$KHET" check --data "$TMP/d"

fresh; printf 'hcode,status\n10651,"accred\n' > "$TMP/d/ha.csv"
expect 2 "ha.csv:2:7: error: malformed quoted field" -- "$KHET" check --data "$TMP/d"

fresh; sed -i '1s/sum_adjrw/adjrw_total/' "$TMP/d/cmi.csv"
expect 2 "cmi.csv:1:1: error: required column 'sum_adjrw' is missing" -- "$KHET" check --data "$TMP/d"
expect 2 "cmi.csv:1:[0-9]+: warning: unknown column 'adjrw_total' is ignored" -- "$KHET" check --data "$TMP/d"

# every problem is reported, not just the first
fresh; sed -i '2s/,2562-10,/,2563-10,/; 5s/,2563-01,/,2563-13,/' "$TMP/d/cmi.csv"; sed -i '40s/,[FM][123],/,Q,/' "$TMP/d/hospitals.csv"
n=$("$KHET" check --data "$TMP/d" 2>&1 | grep -c "error:")
[ "$n" -ge 3 ] && ok || bad "check reported $n errors, wanted at least 3"

fresh; rm "$TMP/d/provinces.csv"
expect 2 "provinces.csv: error: required file is missing" -- "$KHET" check --data "$TMP/d"

# a rejected hospital row is reported once; rows that refer to it are skipped quietly
fresh; sed -i '30s/,[FM][123],/,X9,/' "$TMP/d/hospitals.csv"
n=$("$KHET" check --data "$TMP/d" 2>&1 | grep -c "error:")
[ "$n" = 1 ] && ok || bad "one bad hospital row gave $n errors"
expect 2 "cmi.csv: note: 12 rows refer to provinces or hospitals rejected above" -- "$KHET" check --data "$TMP/d"
fresh; echo "99,ทดสอบ,Test,8,100.00" >> "$TMP/d/provinces.csv"
expect 0 "warning: province 99 \(ทดสอบ\) has no hospital" -- "$KHET" check --data "$TMP/d"

# settings: another section and an unknown name are warnings, with their lines
fresh; printf '[dataset]\nfiscal_year = 2563\ncolour = blue\n[other]\nx = 1\n' > "$TMP/d/dataset.ini"
expect 0 "dataset.ini:3:1: warning: unknown setting 'colour' is ignored" -- "$KHET" check --data "$TMP/d"
expect 0 "dataset.ini:5:1: warning: setting 'x' of unknown section \[other\] is ignored" -- "$KHET" check --data "$TMP/d"

# a sign-off whose signers hold another region's office (region 8's sign-off turned into region 12's KPI
# round): a warning naming the file, the signer and both regions, Thai digits read as Arabic ones
fresh; sed -i 's/^scheme,finance-r8-2563,,/scheme,kpi66-r12-2563,,/; s/เขตสุขภาพที่ 8/เขตสุขภาพที่ ๘/' "$TMP/d/signoff.csv"
expect 0 "signoff.csv:8:[0-9]+: warning: ผู้อนุมัติ นายแพทย์สมศักดิ์ ชัยมงคล signs as \"ผู้อำนวยการสำนักงานเขตสุขภาพที่ ๘\", an office of health region 8, but the round \(scheme kpi66-r12-2563\) is region 12's" -- "$KHET" check --data "$TMP/d"
fresh; sed -i 's/^scheme,finance-r8-2563,,/scheme,kpi66-r12-2563,,/; s/เขตสุขภาพที่ 8/เขตสุขภาพที่ 12/' "$TMP/d/signoff.csv"
out=$("$KHET" check --data "$TMP/d" 2>&1)
[ $? = 0 ] && ! grep -q "health region" <<<"$out" && ok || bad "a sign-off signed by the round's own region warned: $out"
