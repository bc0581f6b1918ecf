# Keys kept encrypted (issue 21): an encrypted PEM key and PKCS#12 files
# (key, certificate and chain in one), their pass phrases read from a file
# descriptor (--pass-fd N: one line per key that asks, in the order the keys
# are given), never from the command line; a wrong or missing pass phrase,
# or a closed descriptor, is refused with status 2 and nothing filed.
plan 9
P="$TMP/kpki" R=$MINI_ROUND # (the mini round of cli.sh)
test_pki "$P" # its signers: tprep, tcheck, tappr under the root
openssl pkey -in "$P/tprep.key" -aes256 -passout pass:"prep phrase" -out "$P/prep-enc.key" 2>/dev/null
openssl pkcs12 -export -inkey "$P/tcheck.key" -in "$P/tcheck.pem" -certfile "$P/root.pem" -passout pass:"check phrase" \
  -out "$P/check.p12" 2>/dev/null
openssl pkcs12 -export -inkey "$P/tappr.key" -in "$P/tappr.pem" -passout pass: -out "$P/appr.p12" 2>/dev/null
[ -s "$P/check.p12" ] && [ -s "$P/appr.p12" ] && grep -q "ENCRYPTED" "$P/prep-enc.key" && ok || bad "the test keys were not made"
printf 'prep phrase\ncheck phrase\n' >"$P/phrases"
SIGN=(--sign "ผู้จัดทำ=$P/prep-enc.key,$P/tprep.pem" --sign "ผู้ตรวจสอบ=$P/check.p12" --sign "ผู้อนุมัติ=$P/appr.p12")
arch() { "$KHET" archive "${MINI[@]}" "$@"; }
# the encrypted key's phrase on the first line, the PKCS#12 file's on the
# second; the approver's PKCS#12 file has none and reads none
expect 0 "" -- arch --archive "$TMP/k1" "${SIGN[@]}" --pass-fd 3 3<"$P/phrases"
expect 0 "$R: signed by ผู้จัดทำ CN=Test prep.*; ผู้ตรวจสอบ CN=Test check.*; ผู้อนุมัติ CN=Test appr.*its chain reaches --trust" -- \
  "$KHET" verify --archive "$TMP/k1" --trust "$P/root.pem"
# refused, nothing filed
printf 'prep phrase\nnot it\n' >"$P/wrong"
expect 2 "check.p12: error: the pass phrase does not unlock this PKCS#12 file" -- \
  arch --archive "$TMP/k2" "${SIGN[@]}" --pass-fd 3 3<"$P/wrong"
expect 2 "prep-enc.key: error: the private key is encrypted with a pass phrase, and none was given.*--pass-fd N" -- \
  arch --archive "$TMP/k2" "${SIGN[@]}"
printf 'wrong\n' >"$P/wrong1"
expect 2 "prep-enc.key: error: the pass phrase does not unlock this private key" -- \
  arch --archive "$TMP/k2" "${SIGN[@]}" --pass-fd 0 <"$P/wrong1"
[ -z "$(find "$TMP/k2" -name '*.pdf' 2>/dev/null)" ] && ok || bad "a round was filed with a key that did not unlock"
expect 2 "--pass-fd 9: not an open file descriptor" -- arch --archive "$TMP/k3" "${SIGN[@]}" --pass-fd 9 9<&-
# one PKCS#12 file for the whole sign-off: --key alone, its phrase on standard input
printf 'check phrase\n' >"$P/one"
expect 0 "" -- arch --archive "$TMP/k4" --key "$P/check.p12" --pass-fd 0 <"$P/one"
