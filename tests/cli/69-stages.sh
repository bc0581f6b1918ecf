# A round signed in stages (issue 21): khet archive --stage has the preparer
# sign today (the certification, with every signer's field), the round waits
# in ARCHIVE/.pending-ID outside the ledger; khet archive --countersign ROUND
# has the checker sign tomorrow and the approver the day after, each with
# their own key and time, in the sign-off's order, and files the round when
# the last has signed. Out of order, twice, a changed waiting document or a
# ledger that moved on in between are refused (status 2).
if [ "${KHET_FULL:-0}" = 1 ]; then plan 16; else plan 13; fi
P="$TMP/gpki" R=$MINI_ROUND # (the mini round of cli.sh)
test_pki "$P" # its signers: tprep, tcheck, tappr under the root
[ -s "$P/tappr.pem" ] && ok || bad "the test PKI was not made"
PREP="ผู้จัดทำ=$P/tprep.key,$P/tprep.pem" CHECK="ผู้ตรวจสอบ=$P/tcheck.key,$P/tcheck.pem" APPR="ผู้อนุมัติ=$P/tappr.key,$P/tappr.pem"
A="$TMP/staged" W="$TMP/staged/.pending-mini-2563-r1"
day=$(( $(date +%s) + 60 )) # now; the next signers a day and two days later
countersign() { # countersign ARCHIVE EPOCH --sign ...
  local a=$1 t=$2; shift 2
  SOURCE_DATE_EPOCH=$t "$KHET" archive --archive "$a" --countersign $R "$@"
}
# day 1: the preparer
expect 0 "signed by 1 of its 3 signers and waits .*the next: ผู้ตรวจสอบ" -- env SOURCE_DATE_EPOCH=$day "$KHET" archive \
  "${MINI[@]}" --archive "$A" --stage --sign "$PREP"
s=$(pdfsig "$W/summary.pdf" 2>&1)
[ "$(grep -c "Signature is Valid" <<<"$s")" = 1 ] && grep -q "Field Name: ผู้จัดทำ" <<<"$s" &&
  [ "$(qpdf --json --json-key=acroform "$W/summary.pdf" | grep -c '"fullname"')" = 3 ] &&
  [ "$(sqlite3 "$A/ledger.sqlite" 'SELECT count(*) FROM rounds')" = 0 ] && [ ! -e "$A/$R" ] && ok ||
  bad "the staged round is not the preparer's signature with three fields, outside the ledger: $s"
# out of order, or twice: refused
expect 2 "ผู้อนุมัติ signs after ผู้ตรวจสอบ .*who has not signed yet" -- countersign "$A" $((day + 86400)) --sign "$APPR"
[ "${KHET_FULL:-0}" = 1 ] &&
  expect 2 "ผู้จัดทำ .* has signed this round already" -- countersign "$A" $((day + 86400)) --sign "$PREP"
expect 2 "is not a round \(SCHEME/PERIOD-rN\)" -- countersign "$A" $((day + 86400)) --sign "$CHECK" --countersign ../x
# a waiting document changed (a byte of its document information, under the preparer's signature): refused
insider_copy "$A" "$TMP/staged-t"
python3 - "$TMP/staged-t/.pending-mini-2563-r1/summary.pdf" <<'PY'
import sys
p = sys.argv[1]
pdf = bytearray(open(p, "rb").read())
i = pdf.index(b"/Producer (") + 11  # the document information, before the signatures
pdf[i] ^= 0x20
open(p, "wb").write(pdf)
PY
expect 2 "summary.pdf: error: the signature does not verify \(the document was changed after signing\)" -- countersign "$TMP/staged-t" \
  $((day + 86400)) --sign "$CHECK"
# day 2: the checker; day 3: the approver, and the round is filed
expect 0 "signed by 2 of its 3 signers.*the next: ผู้อนุมัติ" -- countersign "$A" $((day + 86400)) --sign "$CHECK"
[ "$(sqlite3 "$A/ledger.sqlite" 'SELECT count(*) FROM rounds')" = 0 ] && ok || bad "filed before the approver signed"
expect 0 "ledger's head is now [0-9a-f]{64} \(1 rounds\)" -- countersign "$A" $((day + 2 * 86400)) --sign "$APPR"
[ ! -e "$W" ] && [ "$(stat -c %a "$A/$R")" = 555 ] && ok || bad "the waiting folder is left, or the round is not read-only"
expect 0 "$R: signed by ผู้จัดทำ CN=Test prep.*; ผู้ตรวจสอบ CN=Test check.*; ผู้อนุมัติ CN=Test appr.*chain reaches --trust" -- \
  "$KHET" verify --archive "$A" --trust "$P/root.pem"
# each signature carries its own day, in order, each valid for its revision
s=$(pdfsig "$A/$R/scorecard-11.pdf" 2>&1)
times=$(python3 -c 'import re, sys; print(" ".join(re.findall(rb"/M \(D:(\d{8})", open(sys.argv[1], "rb").read())[i].decode() for i in range(3)))' "$A/$R/scorecard-11.pdf")
want=$(for k in 0 1 2; do TZ=Asia/Bangkok date -d @$((day + k * 86400)) +%Y%m%d; done | tr '\n' ' ' | sed 's/ $//')
[ "$(grep -c "Signature is Valid" <<<"$s")" = 3 ] && [ "$times" = "$want" ] && ok ||
  bad "the three signatures are not valid on their own days: $times (wanted $want): $s"
python3 tests/pdfa_check.py --quiet "$A/$R"/*.pdf && ok || bad "a round signed in stages is not PDF/A-3b"
# the ledger moved on while a round waited: its documents carry the old head (KHET_FULL=1: make check-all)
[ "${KHET_FULL:-0}" = 1 ] || return 0
B="$TMP/moved"
sed 's/^round,1,,$/round,2,,/' $MINI_SIGNOFF >"$TMP/so2.csv"
"$KHET" archive "${MINI[@]}" --archive "$B" --stage --sign "$PREP" >/dev/null 2>&1
"$KHET" archive "${MINI[@]:0:4}" --signoff "$TMP/so2.csv" --archive "$B" --sign "$PREP" --sign "$CHECK" \
  --sign "$APPR" >/dev/null 2>&1
expect 2 "the ledger has moved on since round $R was staged" -- countersign "$B" $(date +%s) --sign "$CHECK" --sign "$APPR"
expect 0 "waiting for its other signers \(not filed" -- "$KHET" verify --archive "$B"
