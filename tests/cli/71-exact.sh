# Bands decided exactly (issue 19). tests/fixtures/exact holds the two regions
# of the issue, their expected bands, grades and amounts derived by hand in its
# README.md (copied into the tables below): provinces exactly on Mean ± 1SD
# under the sample and the population SD, and equal values in shuffled order.
# A property sweep compares every band of 1,000 generated regions with a band
# computed in Python's exact fractions; the sample data scored with its rows
# in other orders gives the same figures.
plan 14
FIN=templates/finance-r8-2563 POP=tests/fixtures/exact/population-scheme EX=tests/fixtures/exact

# provinces_are DATA SCHEME WHAT EXPECTED: "code total grade rank claw-back-satang" per province
provinces_are() {
  local got
  got=$("$KHET" score --data "$1" --scheme "$2" --format json 2>"$TMP/ex.err" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["provinces"]:
    print(p["code"], "%.2f" % p["total"], p["grade"], p["rank"], p["clawback_satang"])')
  if [ "$got" = "$4" ]; then ok; else bad "$3: got
$got
wanted
$4 ($(head -3 "$TMP/ex.err"))"; fi
}
provinces_are $EX/boundary $FIN "boundary region, sample SD" "41 637.50 B 6 200000000
42 637.50 B 6 400000000
43 662.50 B 1 600000000
47 662.50 B 1 24691357
48 662.50 B 1 800000000
38 662.50 B 1 1000000000
39 662.50 B 1 1200000000"
provinces_are $EX/boundary $POP "boundary region, population SD" "41 637.50 B 4 200000000
42 687.50 B+ 3 200000000
43 712.50 B+ 1 300000000
47 612.50 C+ 5 37037036
48 612.50 C+ 5 1200000000
38 712.50 B+ 1 500000000
39 612.50 C+ 5 1800000000"
all_b="41 662.50 B 1 200000000
42 662.50 B 1 400000000
43 662.50 B 1 600000000
47 662.50 B 1 24691357
48 662.50 B 1 800000000
38 662.50 B 1 1000000000
39 662.50 B 1 1200000000"
provinces_are $EX/shuffled $FIN "shuffled region, sample SD" "$all_b"
provinces_are $EX/shuffled $POP "shuffled region, population SD" "$all_b"

# the bands themselves: on the boundary, inside it (z printed as exactly ±1)
"$KHET" score --data $EX/boundary --scheme $FIN --format json >"$TMP/b.json" 2>/dev/null
python3 - "$TMP/b.json" <<'PY' && ok || bad "boundary bands (sample): criteria 4 and 7 not all within at z = ±1"
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["provinces"]:
    for c in p["criteria"]:
        if c["number"] in (4, 7):
            assert c["band"] == "อยู่ในช่วง", (p["code"], c)
            assert c["z"] in (0.0, 1.0, -1.0), (p["code"], c["z"])
            assert str(c["z"]) != "-0.0", (p["code"], "a negative zero z")
            assert abs(c["sd"] - 100 / 6) < 1e-9 and abs(c["mean"] - 200 / 3) < 1e-9
PY
"$KHET" score --data $EX/shuffled --scheme $FIN --format json >"$TMP/s.json" 2>/dev/null
python3 - "$TMP/s.json" <<'PY' && ok || bad "shuffled region: criterion 1's SD is not exactly 0 or a z is not 0"
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["provinces"]:
    c = p["criteria"][0]
    assert c["sd"] == 0.0 and c["z"] == 0.0 and c["band"] == "อยู่ในช่วง", (p["code"], c)
PY

# the oracle (exact fractions, written apart from khet) agrees with every figure
for d in boundary shuffled; do
  for s in $FIN $POP; do
    "$KHET" score --data $EX/$d --scheme $s --format json --hospitals >"$TMP/o.json" 2>/dev/null
    out=$(python3 tests/oracle.py $EX/$d $s "$TMP/o.json" 2>&1)
    grep -qE "^oracle: 7 provinces, [0-9]+ hospitals, [0-9]{3,} figures compared, 0 differ$" <<<"$out" && ok \
      || bad "oracle vs khet on $d with $s: $(head -5 <<<"$out")"
  done
done

# the property sweep: 1,000 regions, every band against Python's fractions
# (make check-all: KHET_FULL=1, 20,000 regions)
regions=1000; [ "${KHET_FULL:-0}" = 1 ] && regions=20000
out=$(python3 tests/zband_sweep.py "${BUILD_TESTS:-build/tests}/zband_cases" --regions $regions 2>&1)
grep -qE "^zband sweep: $regions regions, [0-9]+ bands compared, 0 disagree" <<<"$out" && ok || bad "zband sweep: $(tail -5 <<<"$out")"
# ... and the sweep can fail: a driver that answers one band wrong is caught
printf '#!/bin/sh\n"%s" | sed "1s/ 0 / 1 /"\n' "$(cd "${BUILD_TESTS:-build/tests}" && pwd)/zband_cases" >"$TMP/liar.sh"
chmod +x "$TMP/liar.sh"
python3 tests/zband_sweep.py "$TMP/liar.sh" --regions 200 >"$TMP/liar.out" 2>&1
grep -qE "[1-9][0-9]* disagree" "$TMP/liar.out" && ok || bad "the sweep missed a wrong band: $(tail -2 "$TMP/liar.out")"

# equal values whatever the row order: the sample data with its hospitals and
# finance rows in three other orders gives the same figures, byte for byte
"$KHET" score --data data --scheme $FIN --format json >"$TMP/order0.json" 2>/dev/null
same=0
for seed in 1 2 3; do
  fresh
  python3 - "$TMP/d" $seed <<'PY'
import random, sys
d, seed = sys.argv[1], int(sys.argv[2])
for name in ("hospitals.csv", "finance.csv", "trial_balance.csv"):
    lines = open(f"{d}/{name}", encoding="utf-8").read().splitlines(True)
    body = lines[1:]
    random.Random(seed).shuffle(body)
    open(f"{d}/{name}", "w", encoding="utf-8").writelines(lines[:1] + body)
PY
  "$KHET" score --data "$TMP/d" --scheme $FIN --format json >"$TMP/order.json" 2>/dev/null
  cmp -s "$TMP/order0.json" "$TMP/order.json" && same=$((same + 1))
done
[ "$same" = 3 ] && ok || bad "the sample data's figures change with its row order ($same of 3 orders the same)"

# rounding as the scheme says: 120,007 satang of expense over 12 months is an
# efficiency expense of 10,000.58 satang, 10,001 half up (not 10,000)
fresh
python3 - "$TMP/d/finance.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
h = rows[0]["hcode"]
for r in rows:
    if r["hcode"] == h:
        r["expense"] = "100.07" if r["month"].endswith("-10") else "100.00"
w = csv.DictWriter(open(sys.argv[1], "w", encoding="utf-8", newline=""), fieldnames=list(rows[0]))
w.writeheader(); w.writerows(rows)
PY
h=$(sed -n 2p "$TMP/d/finance.csv" | cut -d, -f1)
n=$("$KHET" score --data "$TMP/d" --scheme $FIN --format json --hospitals 2>/dev/null |
  python3 -c "import json,sys; print([x['efficiency_expense_satang'] for x in json.load(sys.stdin)['hospitals'] if x['hcode']=='$h'][0])")
[ "$n" = 10001 ] && ok || bad "efficiency expense of 120,007 satang over 12 months: $n, wanted 10001"
