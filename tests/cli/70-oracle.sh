# Independent figures: tests/oracle.py (written from the rules, not from khet's
# code or output) recomputes every figure of `khet score --format json
# --hospitals` for both shipped schemes on a hand-shaped fixture region
# (tests/fixtures/oracle-r8: 5 provinces, 15 hospitals, negative flows, net
# losses, every risk level, a half satang to round, a hospital on the edge
# of the survival rule: net income +0.01 and NWC -0.01 baht) and on the sample data.
# tests/fixtures/oracle-ties is the same region with a sixth province (49), a
# copy of 41: two provinces tie (both rank 3, the next is 5th), and the
# changed means put 47 at exactly 80 % of its points, on the grade boundary
# ("above 80" is A, so 80.00 is B+ with 10 % clawed back).
plan 16
FIN=templates/finance-r8-2563 KPI=templates/kpi66-r12-2563 OR=tests/fixtures/oracle-r8
LIN=tests/fixtures/oracle-linear-scheme TIES=tests/fixtures/oracle-ties
# oracle_is WHAT PROVINCES HOSPITALS [--region N] DATA SCHEME: khet's figures equal the oracle's
oracle_is() {
  local what=$1 np=$2 nh=$3 reg=() out; shift 3
  [ "$1" = --region ] && { reg=(--region "$2"); shift 2; }
  if ! "$KHET" score --data "$1" --scheme "$2" "${reg[@]}" --format json --hospitals >"$TMP/oracle.json" 2>"$TMP/oracle.err"; then
    bad "$what: khet score failed: $(cat "$TMP/oracle.err")"; return
  fi
  out=$(python3 tests/oracle.py "${reg[@]}" "$1" "$2" "$TMP/oracle.json" 2>&1)
  if grep -qE "^oracle: $np provinces, $nh hospitals, [0-9]{2,} figures compared, 0 differ$" <<<"$out"; then ok
  else bad "$what: khet and the oracle disagree: $(head -20 <<<"$out")"; fi
  ORACLE_OUT=$out
}
# cover KEY...: the fixture still exercises each case (coverage count above 0)
cover() {
  local k miss=""
  for k in "$@"; do grep -qE "(^coverage:| )$k=[1-9]" <<<"$ORACLE_OUT" || miss="$miss $k"; done
  [ -z "$miss" ] && ok || bad "oracle fixture no longer covers:$miss ($(grep '^coverage' <<<"$ORACLE_OUT"))"
}
oracle_is "finance scheme, fixture" 5 15 $OR $FIN
cover negative_flows negative_nwc net_loss lower_banded lower_threshold half_satang no_data improved
grep -qE "risk_levels=8" <<<"$ORACLE_OUT" && ok || bad "fixture no longer has every risk level 0-7"
oracle_is "linear rule, fixture" 5 15 $OR $LIN
cover linear_rows half_points half_satang
oracle_is "KPI scheme, fixture" 5 15 --region 8 $OR $KPI
cover cmi_pass cmi_fail a_sizes ha_accredited
oracle_is "finance scheme, ties fixture" 6 18 $TIES $FIN
# the oracle's own figures still have the tie and the boundary (else the check above proves less)
python3 tests/oracle.py $TIES $FIN | python3 -c '
import json, sys
p = json.load(sys.stdin)["provinces"]
ok = (p["41"]["total_cp"] == p["49"]["total_cp"] and p["41"]["rank"] == p["49"]["rank"] == 3 and p["43"]["rank"] == 5
      and p["47"]["total_cp"] * 100 == 80 * p["47"]["max_cp"] and p["47"]["grade"] == "B+" and p["47"]["clawback"] == 20003)
sys.exit(not ok)' && ok || bad "the ties fixture no longer has two provinces tied at rank 3 and one at exactly 80 %"
oracle_is "linear rule, ties fixture" 6 18 $TIES $LIN
oracle_is "KPI scheme, ties fixture" 6 18 --region 8 $TIES $KPI
oracle_is "finance scheme, sample region 8" 7 87 data $FIN
oracle_is "finance scheme, sample region 12" 7 77 --region 12 data $FIN
oracle_is "KPI scheme, sample region 12" 7 77 data $KPI

# The oracle can fail: a figure moved in khet's JSON is reported.
"$KHET" score --data $OR --scheme $FIN --format json --hospitals 2>/dev/null |
  sed '0,/"clawback_satang": [0-9]*/s//"clawback_satang": 1/' >"$TMP/moved.json"
out=$(python3 tests/oracle.py $OR $FIN "$TMP/moved.json" 2>&1)
grep -q "clawback_satang: expected" <<<"$out" && ok || bad "the oracle missed a moved claw-back: $out"
# and its fixture really has a half satang (48: 30 % of 1,234,567.85 baht = 37,037,035.5 satang)
python3 tests/oracle.py $OR $FIN | python3 -c 'import json,sys; p=json.load(sys.stdin)["provinces"]["48"]; sys.exit(not (p["clawback"] == 37037036 and p["clawback_exact"] == "74074071/2"))' \
  && ok || bad "the fixture's half-satang case moved"
