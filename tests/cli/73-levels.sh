# Which units count is scheme data (issue 19): level P is left out by default,
# named in a warning, counted on the documents and in the JSON; a scheme that
# counts P scores it. CMI targets match by specificity whatever the row
# order; unit costs stand each on their own inputs. The oracle (exact
# fractions, the same rules read from the scheme) agrees throughout.
plan 16
FIN=templates/finance-r8-2563 KPI=templates/kpi66-r12-2563
L="$TMP/lv"; mkdir -p "$L"
# oracle_ok WHAT DATA SCHEME [--region N]: khet's figures are the oracle's
oracle_ok() {
  local what=$1 d=$2 s=$3 reg=(); shift 3; [ "${1:-}" = --region ] && reg=(--region "$2")
  "$KHET" score --data "$d" --scheme "$s" "${reg[@]}" --format json --hospitals >"$L/o.json" 2>/dev/null
  out=$(python3 tests/oracle.py "${reg[@]}" "$d" "$s" "$L/o.json" 2>&1)
  grep -qE "figures compared, 0 differ$" <<<"$out" && ok || bad "$what: oracle vs khet: $(head -5 <<<"$out")"
}

# -- a level-P unit (a copy of F3 hospital 10671's rows) added to province 41
fresh
h=$(awk -F, '$4 == "F3" && $3 == "41" {print $1; exit}' "$TMP/d/hospitals.csv")
echo "99001,โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ,41,P," >>"$TMP/d/hospitals.csv"
for f in finance trial_balance eclaim cmi efficiency7 ha; do
  grep "^$h," "$TMP/d/$f.csv" | sed "s/^$h,/99001,/" >>"$TMP/d/$f.csv"
done
"$KHET" score --data "$TMP/d" --scheme $FIN --format json --hospitals >"$L/p.json" 2>"$L/p.err"
grep -q "warning: region 8: hospital 99001 (โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ, province 41) is level P, which scheme 'finance-r8-2563' does not count" "$L/p.err" \
  && ok || bad "no warning naming the P unit: $(grep -v 'note:' "$L/p.err" | head -3)"
python3 - "$L/p.json" <<'PY' && ok || bad "JSON: the P unit not counted as left out"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["not_counted"] == {"P": 1}, d["not_counted"]
p = {p["code"]: p for p in d["provinces"]}
assert p["41"]["not_counted"] == 1 and p["47"]["not_counted"] == 0
assert "99001" not in {h["hcode"] for h in d["hospitals"]}
PY
# ... and the figures are those of the data without it
"$KHET" score --data data --scheme $FIN --format json >"$L/base.json" 2>/dev/null
"$KHET" score --data "$TMP/d" --scheme $FIN --format json >"$L/pp.json" 2>/dev/null
python3 - "$L/base.json" "$L/pp.json" <<'PY' && ok || bad "a unit left out changed the figures"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
for p in a["provinces"] + b["provinces"]:
    p.pop("not_counted")
b.pop("not_counted"); a.pop("not_counted")
assert a == b
PY
"$KHET" render --data "$TMP/d" --out "$L/out" --report scorecard --province 41 >/dev/null 2>&1
"$KHET" render --data "$TMP/d" --out "$L/out" --report summary >/dev/null 2>&1
for doc in scorecard-41 summary; do
  pdftotext "$L/out/2563/r8/$doc.pdf" - 2>/dev/null | tr -s ' \n' ' ' | grep -q "ไม่นับหน่วยบริการระดับ P จำนวน 1 แห่ง" \
    && ok || bad "$doc does not count the P unit left out"
done
oracle_ok "data with a P unit" "$TMP/d" $FIN
# -- a scheme that counts P: the unit is scored, the figures include it
cp -r $FIN "$L/withp"; sed -i 's/^no_data = zero/no_data = zero\nlevels = A-P/' "$L/withp/scheme.ini"
"$KHET" score --data "$TMP/d" --scheme "$L/withp" --format json --hospitals >"$L/wp.json" 2>"$L/wp.err"
python3 - "$L/wp.json" "$L/p.json" <<'PY' && ok || bad "levels = A-P: the P unit not scored"
import json, sys
w, p = (json.load(open(f)) for f in sys.argv[1:])
assert w["not_counted"] == {} and "99001" in {h["hcode"] for h in w["hospitals"]}
c3 = lambda d: [c for q in d["provinces"] if q["code"] == "41" for c in q["criteria"] if c["number"] == 3][0]["value"]
assert c3(w) != c3(p), (c3(w), c3(p))  # one more unit in criterion 3's share
PY
grep -q "hospital 99001" "$L/wp.err" && bad "levels = A-P still warns about the P unit" || ok
oracle_ok "levels = A-P" "$TMP/d" "$L/withp"
# -- a province with only P units: said so, not "no hospital"
fresh
echo '99,จังหวัดทดสอบ,Test,8,"1,000.00"' >>"$TMP/d/provinces.csv"
echo "99002,โรงพยาบาลส่งเสริมสุขภาพตำบลเดียว,99,P," >>"$TMP/d/hospitals.csv"
expect 2 "province 99 \(จังหวัดทดสอบ\) has only units of levels the scheme does not count \(1, e.g. level P\)" -- \
  "$KHET" score --data "$TMP/d" --scheme $FIN

# -- CMI targets by specificity, in any row order
fresh
r12=$(awk -F, '$4 == 12 {printf "%s%s", sep, $1; sep="|"}' "$TMP/d/provinces.csv")
a=$(awk -F, -v r="^($r12)$" '$4 == "A" && $3 ~ r {print $1; exit}' "$TMP/d/hospitals.csv")
b=$(awk -F, -v r="^($r12)$" -v a="$a" '$4 == "A" && $3 ~ r && $1 != a {print $1; exit}' "$TMP/d/hospitals.csv")
sed -i "s/^$a,\([^,]*\),\([0-9]*\),A,[a-z]*$/$a,\1,\2,A,/" "$TMP/d/hospitals.csv"        # its size not given
sed -i "s/^$b,\([^,]*\),\([0-9]*\),A,[a-z]*$/$b,\1,\2,A,large/" "$TMP/d/hospitals.csv"   # a large one
cp -r $KPI "$L/k1"; cp -r $KPI "$L/k2"
printf 'level,a_size,target\nA,,1.55\nA,small,1.5\nA,large,1.6\nS,,1.2\nM1,,1.0\nM2,,0.8\nF1,,0.6\nF2,,0.5\nF3,,0.5\n' >"$L/k1/cmi_targets.csv"
{ head -1 "$L/k1/cmi_targets.csv"; tail -n +2 "$L/k1/cmi_targets.csv" | tac; } >"$L/k2/cmi_targets.csv"
t1=$("$KHET" score --data "$TMP/d" --scheme "$L/k1" --format json --hospitals 2>/dev/null | python3 -c "
import json,sys; d=json.load(sys.stdin); print(sorted((h['hcode'], h['cmi_target']) for h in d['hospitals'] if h['level']=='A'))")
t2=$("$KHET" score --data "$TMP/d" --scheme "$L/k2" --format json --hospitals 2>/dev/null | python3 -c "
import json,sys; d=json.load(sys.stdin); print(sorted((h['hcode'], h['cmi_target']) for h in d['hospitals'] if h['level']=='A'))")
grep -q "('$a', 1.55)" <<<"$t1" && grep -q "('$b', 1.6)" <<<"$t1" && [ "$t1" = "$t2" ] && ok \
  || bad "CMI targets: size not given should take 1.55 and large 1.6 in any order: $t1 / $t2"
oracle_ok "CMI targets, rows in another order" "$TMP/d" "$L/k2" --region 12
cp -r $KPI "$L/k3"; printf 'level,a_size,target\nA,Large,1.6\n' >"$L/k3/cmi_targets.csv"
expect 2 "cmi_targets.csv:2:[0-9]+: error: column 'a_size': must be 'large', 'small' or empty" -- \
  "$KHET" score --data "$TMP/d" --scheme "$L/k3"

# -- unit costs, each on its own inputs: no cmi.csv still gives OPD costs
fresh
rm "$TMP/d/cmi.csv"
"$KHET" score --data "$TMP/d" --scheme $FIN --allow-incomplete --format json --hospitals 2>/dev/null >"$L/nc.json"
python3 - "$L/nc.json" <<'PY' && ok || bad "without cmi.csv: OPD cost per visit missing, or an IPD cost or verdict given"
import json, sys
hs = json.load(open(sys.argv[1]))["hospitals"]
assert all(h["opd_cost_per_visit"] is not None and h["ipd_cost_per_adjrw"] is None and h["unit_cost_ok"] is None
           for h in hs), [h for h in hs if h["opd_cost_per_visit"] is None][:1]
PY
# ... and a hospital without OPD visits keeps its IPD cost and its place in the IPD median
fresh
python3 - "$TMP/d/finance.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
h = rows[0]["hcode"]
for r in rows:
    if r["hcode"] == h:
        r["opd_visits"] = "0"
w = csv.DictWriter(open(sys.argv[1], "w", encoding="utf-8", newline=""), fieldnames=list(rows[0]))
w.writeheader(); w.writerows(rows)
PY
h=$(sed -n 2p "$TMP/d/finance.csv" | cut -d, -f1)
"$KHET" score --data "$TMP/d" --scheme $FIN --format json --hospitals 2>/dev/null | python3 -c "
import json,sys; h=[h for h in json.load(sys.stdin)['hospitals'] if h['hcode']=='$h'][0]
sys.exit(not (h['opd_cost_per_visit'] is None and h['ipd_cost_per_adjrw'] is not None and h['unit_cost_ok'] is None))" \
  && ok || bad "a hospital without OPD visits lost its IPD cost"
oracle_ok "a hospital without OPD visits" "$TMP/d" $FIN
