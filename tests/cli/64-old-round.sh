# A round filed by an older khet (0.1.0, whose bytes differ from today's)
# still verifies: its checksums, signatures, sources and the ledger's chain
# hold, and verify says which khet its byte-for-byte re-render needs rather
# than calling it tampered with. New rounds record the khet that filed them.
plan 14
OLD=tests/fixtures/archive-0.1.0
A="$TMP/old-archive"
rm -rf "$A"; cp -r "$OLD/archive" "$A"
out=$("$KHET" verify --archive "$A" 2>&1); rc=$?
[ "$rc" = 0 ] && ok || bad "verify of a 0.1.0 round exited $rc: $out"
grep -q "mini/2563-r1: 2 documents hold: checksums, signatures valid, embedded sources" <<<"$out" && ok ||
  bad "the 0.1.0 round's checks are not reported: $out"
grep -q "filed by khet 0.1.0: .*the re-render check needs khet 0.1.0.*git worktree add /tmp/khet-0.1.0 700edea" <<<"$out" &&
  ok || bad "verify does not name the khet the re-render needs: $out"
grep -qi "tamper\|error" <<<"$out" && bad "an old round is called tampered with: $out" || ok
# a round signed in part waits in ARCHIVE/.pending-*: a folder of that name
# is noted, not called foreign; a file of that name is foreign
insider_copy "$A" "$TMP/t-pend"
mkdir "$TMP/t-pend/.pending-mini-2563-r2"
expect 0 "pending-mini-2563-r2: note: a round signed in part, waiting" -- "$KHET" verify --archive "$TMP/t-pend"
rmdir "$TMP/t-pend/.pending-mini-2563-r2" && : > "$TMP/t-pend/.pending-mini-2563-r2"
expect 2 "pending-mini-2563-r2: error: not part of the archive" -- "$KHET" verify --archive "$TMP/t-pend"
# changed bytes in an old round are still caught
insider_copy "$A" "$TMP/t-old"
printf 'X' | dd of="$TMP/t-old/mini/2563-r1/summary.pdf" bs=1 seek=50000 conv=notrunc 2>/dev/null
expect 2 "summary.pdf: error: its SHA-256 differs" -- "$KHET" verify --archive "$TMP/t-old"
# a document stripped of every embedded file: verify names the sources gone too
# (none read is still not the ledger's list), not only the changed bytes
insider_copy "$A" "$TMP/t-strip"
S="$TMP/t-strip/mini/2563-r1/scorecard-11.pdf"
qpdf "$S" $(qpdf --list-attachments "$S" | awk '{ printf "--remove-attachment=%s ", $1 }') "$TMP/stripped.pdf" &&
  [ -z "$(qpdf --list-attachments "$TMP/stripped.pdf" | grep -v 'has no embedded files')" ] && cp "$TMP/stripped.pdf" "$S"
expect 2 "scorecard-11.pdf: error: the embedded sources are not the ones filed in the ledger" -- \
  "$KHET" verify --archive "$TMP/t-strip"
# every document's embedded provinces.csv replaced by an edited copy (same
# names, same count): each is named, and verify renders nothing again from
# sources the ledger does not know (it would re-score a forged province)
insider_copy "$A" "$TMP/t-src"
for f in summary scorecard-11; do
  S="$TMP/t-src/mini/2563-r1/$f.pdf"
  qpdf --show-attachment=data-provinces.csv "$S" | sed 's/^11,/11,1/' >"$TMP/provinces.csv" &&
    qpdf "$S" --add-attachment "$TMP/provinces.csv" --key=data-provinces.csv --filename=data/provinces.csv --replace -- \
      "$TMP/t-src.pdf" && cp "$TMP/t-src.pdf" "$S"
done
expect 2 "mini/2563-r1: error: no document carries sources that match the ledger: cannot render again" -- \
  "$KHET" verify --archive "$TMP/t-src"
# a new round filed into the old ledger records this khet and renders again byte for byte
sed 's/^round,1,,$/round,2,,/' "$OLD/signoff.csv" > "$TMP/old-signoff2.csv"
expect 0 "mini/2563-r2/summary.pdf" -- "$KHET" archive --data "$OLD/data" --scheme tests/fixtures/mini-scheme \
  --signoff "$TMP/old-signoff2.csv" --archive "$A" --key "$OLD/key.pem" --cert "$OLD/cert.pem"
v=$(sqlite3 "$A/ledger.sqlite" "SELECT value FROM environment WHERE round = 'mini/2563-r2' AND name = 'khet'")
[ "$v" = "$("$KHET" --version | awk '{print $2}')" ] && ok || bad "the ledger records version '$v' for the new round"
out=$("$KHET" verify --archive "$A" 2>&1)
grep -q "mini/2563-r2: 2 documents hold: .*same bytes when rendered again" <<<"$out" && ok ||
  bad "the new round does not render again byte for byte: $out"
grep -q "2 rounds, hash chain intact" <<<"$out" && ok || bad "the chain across versions: $out"
# the recorded version is part of the round's hash: editing it is caught
sqlite3 "$A/ledger.sqlite" "DROP TRIGGER IF EXISTS environment_no_update; UPDATE environment SET value = '0.1.0' WHERE name = 'khet'"
expect 2 "round mini/2563-r2: its rows do not match its hash" -- "$KHET" verify --archive "$A"
