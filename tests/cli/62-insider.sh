# khet verify against an insider who can write the archive folder but holds
# no signer's key (issue 21): each attack of the issue makes verify exit
# non-zero naming it, and khet history refuses to print a ledger that does
# not verify. tests/ledger_rehash.py re-hashes an edited ledger with the
# formula README.md publishes.
plan 31
FIN=templates/finance-r8-2563
I="$TMP/insider"
R1=finance-r8-2563/2563-r1 R2=finance-r8-2563/2563-r2
test_key signer "$TMP/ik.pem" "$TMP/ic.pem"
test_key rogue "$TMP/rk.pem" "$TMP/rc.pem" # a rogue key under the same name
sed 's/^round,1,,$/round,2,,/' data/signoff.csv > "$TMP/iso2.csv"
expect 0 "ledger's head is now [0-9a-f]{64} \(1 rounds\)" -- "$KHET" archive --data data --scheme $FIN \
  --signoff data/signoff.csv --archive "$I" --key "$TMP/ik.pem" --cert "$TMP/ic.pem"
expect 0 "" -- "$KHET" archive --data data --scheme $FIN --signoff "$TMP/iso2.csv" --archive "$I" \
  --key "$TMP/ik.pem" --cert "$TMP/ic.pem"
expect 0 "everything holds" -- "$KHET" verify --archive "$I"
# the head is a CMS an auditor opens with openssl alone
h=$(openssl cms -verify -inform PEM -in "$I/ledger.head" -noverify 2>/dev/null)
[ "$(sed -n 's/^head: //p' <<<"$h")" = "$(sqlite3 "$I/ledger.sqlite" 'SELECT row_hash FROM rounds ORDER BY seq DESC LIMIT 1')" ] &&
  grep -q "^rounds: 2$" <<<"$h" && ok || bad "ledger.head does not carry the ledger's head: $h"
# each round's documents carry the ledger head before them (the signature covers it)
[ "$(python3 -c 'import re,sys; print(re.search(rb"/KhetLedgerHead \((\w+)\)", open(sys.argv[1], "rb").read()).group(1).decode())' "$I/$R2/summary.pdf")" = \
  "$(sqlite3 "$I/ledger.sqlite" "SELECT row_hash FROM rounds WHERE round = '$R1'")" ] && ok ||
  bad "round 2's summary does not carry round 1's hash"
copy() { insider_copy "$I" "$TMP/ia"; }
drop_round() { # the insider removes the last round: rows, folder, and the triggers back in place
  python3 - "$TMP/ia/ledger.sqlite" "$R2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
trig = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
for name, _ in trig:
    db.execute("DROP TRIGGER " + name)
for t in ("rounds", "signers", "documents", "sources", "results", "environment"):
    db.execute("DELETE FROM %s WHERE round = ?" % t, (sys.argv[2],))
for _, sql in trig:
    db.execute(sql)
db.commit()
PY
  rm -rf "$TMP/ia/$R2"
}

# 1. ledger edited and re-hashed: 41 shown as grade A with no claw-back
copy
python3 tests/ledger_rehash.py "$TMP/ia" --sql "UPDATE results SET grade = 'A', clawback_satang = 0 WHERE code = '41'"
keep -- "$KHET" verify --archive "$TMP/ia"
kept 2 "round $R2, province 41: grade A in the ledger, B\+ from the sources; claw-back 0.00 baht in the ledger, 4026272.88 baht"
kept 2 "$R2/summary.pdf: error: carries a ledger head that is not the ledger's before this round.*ledger rewritten"
kept 2 "ledger.head: error: the signed head names 2 rounds .* the ledger was changed after its last filing"
expect 2 "history refuses to print: the ledger does not verify" -- "$KHET" history --archive "$TMP/ia" --province 41
out=$("$KHET" history --archive "$TMP/ia" --province 41 2>/dev/null)
[ -z "$out" ] && ok || bad "history printed from a forged ledger: $out"
expect 2 "ledger does not verify.*monthly handout does not compare" -- "$KHET" render --report monthly --scheme $FIN \
  --archive "$TMP/ia" --out "$TMP/iout"
[ ! -e "$TMP/iout" ] && ok || bad "render wrote documents before refusing the forged ledger"

# The attacks below need none of the sample's figures: they are made on the
# mini round (cli.sh's MINI) filed twice with the same key, where a verify
# costs a fifth of the sample's.
I="$TMP/insider-mini" R1=$MINI_ROUND R2=${MINI_ROUND%-r1}-r2
sed 's/^round,1,,$/round,2,,/' $MINI_SIGNOFF > "$TMP/iso2.csv"
"$KHET" archive "${MINI[@]}" --archive "$I" --key "$TMP/ik.pem" --cert "$TMP/ic.pem" >/dev/null 2>&1
"$KHET" archive "${MINI[@]:0:4}" --signoff "$TMP/iso2.csv" --archive "$I" --key "$TMP/ik.pem" --cert "$TMP/ic.pem" >/dev/null 2>&1
[ "$(sqlite3 "$I/ledger.sqlite" 'SELECT group_concat(round, " ") FROM rounds')" = "$R1 $R2" ] && ok ||
  bad "the mini round was not filed twice: $(sqlite3 "$I/ledger.sqlite" 'SELECT round FROM rounds' 2>&1)"

# 2. the last round removed (rows, folder), the triggers put back
copy; drop_round
expect 2 "the signed head names 2 rounds ending at $R2, but the ledger has 1 ending at $R1: the last round was removed \(missing last round\)" -- \
  "$KHET" verify --archive "$TMP/ia"
expect 2 "history refuses" -- "$KHET" history --archive "$TMP/ia"

# 3. the round re-filed (with a doctored scheme) under a rogue key with the same name
copy; drop_round
cp -r tests/fixtures/mini-scheme "$TMP/doctored"
sed -i 's/^B+,75,10,/B+,75,0,/' "$TMP/doctored/grades.csv" # B+ claws nothing back
expect 0 "" -- "$KHET" archive "${MINI[@]:0:2}" --scheme "$TMP/doctored" --signoff "$TMP/iso2.csv" --archive "$TMP/ia" \
  --key "$TMP/rk.pem" --cert "$TMP/rc.pem"
expect 2 "round $R2 is signed for .* with another key than round $R1 .*re-filed with another key" -- \
  "$KHET" verify --archive "$TMP/ia"
expect 2 "history refuses" -- "$KHET" history --archive "$TMP/ia"

# 4. the round replaced by an unsigned one: an error, a warning with --allow-unsigned
copy; drop_round
expect 0 "sealed by its checksums only" -- "$KHET" archive "${MINI[@]:0:4}" --signoff "$TMP/iso2.csv" --archive "$TMP/ia"
keep -- "$KHET" verify --archive "$TMP/ia"
kept 2 "round $R2 is not signed .*unsigned round"
kept 2 "ledger.head: error: the ledger's head is not signed"
expect 0 "warning: round $R2 is not signed" -- "$KHET" verify --archive "$TMP/ia" --allow-unsigned

# 5. hidden files added: in a round's folder, a scheme folder and the top
copy; echo x > "$TMP/ia/$R1/.hidden.pdf"
expect 2 "$R1/.hidden.pdf: error: not part of the filed round" -- "$KHET" verify --archive "$TMP/ia"
copy; echo x > "$TMP/ia/mini/.notes"
expect 2 "mini/.notes: error: not part of the archive" -- "$KHET" verify --archive "$TMP/ia"
copy; mkdir "$TMP/ia/.cache"
expect 2 "ia/.cache: error: not part of the archive" -- "$KHET" verify --archive "$TMP/ia"

# 6. a trigger dropped (nothing else yet): verify names it, and archive will not
#    file into that ledger (re-creating the trigger would hide it was dropped)
copy; sqlite3 "$TMP/ia/ledger.sqlite" "DROP TRIGGER results_no_update"
expect 2 "trigger results_no_update was dropped" -- "$KHET" verify --archive "$TMP/ia"
sed 's/^round,1,,$/round,3,,/' $MINI_SIGNOFF > "$TMP/iso3.csv"
expect 2 "trigger results_no_update was dropped" -- "$KHET" archive "${MINI[@]:0:4}" --signoff "$TMP/iso3.csv" \
  --archive "$TMP/ia" --key "$TMP/ik.pem" --cert "$TMP/ic.pem"
[ ! -e "$TMP/ia/mini/2563-r3" ] && ok || bad "a round was filed into a ledger without its triggers"
copy; sqlite3 "$TMP/ia/ledger.sqlite" "DROP TRIGGER rounds_no_delete; CREATE TRIGGER rounds_no_delete BEFORE DELETE ON rounds BEGIN SELECT 1; END"
expect 2 "trigger rounds_no_delete was changed" -- "$KHET" verify --archive "$TMP/ia"

# 7. the signed head removed
copy; rm "$TMP/ia/ledger.head"
expect 2 "ledger.head: error: missing: nothing vouches for the ledger's last round" -- "$KHET" verify --archive "$TMP/ia"

# 8. a round sealed by checksums given a signature afterwards (the document
#    replaced by the same one signed, its hash re-made in the ledger and the
#    unsigned head): the seal the ledger records is not the document's
U="$TMP/unsigned" S="$TMP/signed-elsewhere"
"$KHET" archive "${MINI[@]}" --archive "$U" >/dev/null 2>&1
"$KHET" archive "${MINI[@]}" --archive "$S" --key "$TMP/ik.pem" --cert "$TMP/ic.pem" >/dev/null 2>&1
insider_copy "$U" "$TMP/ia"; cp "$S/$R1/summary.pdf" "$TMP/ia/$R1/summary.pdf"
python3 tests/ledger_rehash.py "$TMP/ia" --head --sql "UPDATE documents SET sha256 = '$(sha256sum "$TMP/ia/$R1/summary.pdf" |
  cut -d' ' -f1)', bytes = $(stat -c %s "$TMP/ia/$R1/summary.pdf") WHERE file = 'summary.pdf'"
expect 2 "summary.pdf: error: signed, but the ledger says the round was sealed by checksums only" -- \
  "$KHET" verify --archive "$TMP/ia"
