# RFC 3161 signature time-stamps (PAdES B-T, issue 21): khet archive --tsa
# URL has every signature time-stamped by a local TSA (tests/tsa_responder.py,
# `openssl ts -reply` on 127.0.0.1; no network); verify names each time,
# checks each token over its signature and, with --trust, the TSA's chain;
# openssl ts verifies a token on its own; a TSA that is down or a URL that is
# not http:// is refused with nothing filed; an altered token is named.
plan 13
P="$TMP/tpki" R=$MINI_ROUND # (the mini round of cli.sh)
mkdir -p "$P"
root() { # root NAME SUBJECT
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$1.key" -out "$P/$1.pem" \
    -days 3650 -subj "$2" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() { # leaf NAME SUBJECT ISSUER EXTENSIONS
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$1.key" -out "$P/$1.csr" \
    -subj "$2" 2>/dev/null
  printf '%s\n' "$4" > "$P/$1.ext"
  openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 3650 \
    -extfile "$P/$1.ext" -out "$P/$1.pem" 2>/dev/null
}
SIGNER="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation"
root root "/CN=Test Root/O=MOPH test"
root tsaroot "/CN=Test TSA Root/O=Time test"
leaf tsa "/CN=Test TSA/O=Time test" tsaroot "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=critical,timeStamping"
for s in prep check appr; do leaf $s "/CN=Test $s/O=Region 8 test" root "$SIGNER"; done
cat "$P/root.pem" "$P/tsaroot.pem" > "$P/both.pem"
tsa_cnf "$P" "$P/tsaroot.pem"
python3 tests/tsa_responder.py "$P/tsa.cnf" "$P/port" &
tsa_pid=$!
for _ in $(seq 50); do [ -s "$P/port" ] && break; sleep 0.1; done
[ -s "$P/port" ] && [ -s "$P/appr.pem" ] && ok || bad "the test PKI or the local TSA was not made"
TSA="http://127.0.0.1:$(cat "$P/port" 2>/dev/null)/tsa"
A="$TMP/stamped"
SIGN=(--sign "ผู้จัดทำ=$P/prep.key,$P/prep.pem" --sign "ผู้ตรวจสอบ=$P/check.key,$P/check.pem"
      --sign "ผู้อนุมัติ=$P/appr.key,$P/appr.pem")
expect 0 "" -- "$KHET" archive "${MINI[@]}" --archive "$A" "${SIGN[@]}" --tsa "$TSA"
out=$("$KHET" verify --archive "$A" --trust "$P/both.pem" 2>&1)
[ $? = 0 ] && [ "$(grep "^$R: signed by" <<<"$out" | grep -o "(time-stamped 20[0-9-]* [0-9:]* UTC)" | wc -l)" = 3 ] &&
  grep -q "its chain reaches --trust" <<<"$out" &&
  grep -q "^$R: 2 documents hold: checksums, signatures valid and trusted, time-stamped (PAdES B-T)" <<<"$out" && ok ||
  bad "verify does not name three trusted time-stamps: $out"
# the TSA's chain is checked against --trust like the signers'
expect 2 "summary.pdf: error: the signature's time-stamp does not verify, or its TSA's chain does not reach --trust" -- \
  "$KHET" verify --archive "$A" --trust "$P/root.pem"
# the ledger's signed head is time-stamped too
openssl cms -cmsout -print -inform PEM -in "$A/ledger.head" 2>/dev/null | grep -q "id-smime-aa-timeStampToken" && ok ||
  bad "the ledger's head carries no time-stamp"
pdfsig "$A/$R/summary.pdf" 2>&1 | grep -c "Signature is Valid" | grep -qx 3 && ok || bad "pdfsig no longer reads the stamped signatures"
python3 tests/pdfa_check.py --quiet "$A/$R"/*.pdf && ok || bad "a time-stamped document is not PDF/A-3b"

# openssl alone: the approver's token, taken out of the summary's last
# signature, is a time-stamp of that signature's value by the TSA
python3 - "$A/$R/summary.pdf" "$TMP/ts.der" <<'PY'
import re, sys
pdf = open(sys.argv[1], "rb").read()
a, b, c = map(int, re.findall(rb"/ByteRange \[0 (\d+) (\d+) (\d+) *\]", pdf)[-1])
der = bytes.fromhex(pdf[a + 1:b - 1].decode())
n = der[1]
der = der[:2 + n] if n < 0x80 else der[:2 + (n & 0x7f) + int.from_bytes(der[2:2 + (n & 0x7f)], "big")]
open(sys.argv[2], "wb").write(der)
PY
lines=$(openssl asn1parse -inform DER -in "$TMP/ts.der" 2>/dev/null)
# the signature value: the last OCTET STRING before the unsigned attributes; the token: the SEQUENCE after the OID
sigval=$(awk '/cont \[ 1 \]/ && seen { print last; exit } /OCTET STRING/ { last = $0; seen = 1 }' <<<"$lines" | sed 's/.*\[HEX DUMP\]://')
tok=$(awk '/id-smime-aa-timeStampToken/ { getline; getline; print; exit }' <<<"$lines")
off=${tok%%:*} hl=$(sed 's/.*hl= *\([0-9]*\).*/\1/' <<<"$tok") len=$(sed 's/.* l= *\([0-9]*\).*/\1/' <<<"$tok")
dd if="$TMP/ts.der" of="$TMP/tok.der" bs=1 skip=$((off)) count=$((hl + len)) 2>/dev/null
digest=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())' "$sigval")
openssl ts -verify -in "$TMP/tok.der" -token_in -digest "$digest" -CAfile "$P/tsaroot.pem" >/dev/null 2>&1 && ok ||
  bad "openssl ts -verify does not accept the approver's token over its signature (digest $digest)"

# refused, nothing filed: a TSA that is down (status 1), a URL that is not http(s)://, --tsa without a key
expect 1 "the time-stamp authority http://127.0.0.1:.*/fail gave no time-stamp" -- "$KHET" archive "${MINI[@]}" \
  --archive "$TMP/down" "${SIGN[@]}" --tsa "${TSA%/tsa}/fail"
[ -z "$(find "$TMP/down" -name '*.pdf' 2>/dev/null)" ] && ok || bad "a round was filed without its time-stamps"
expect 2 "'ftp://tsa.example/' is not an http:// or https:// URL" -- "$KHET" archive "${MINI[@]}" \
  --archive "$TMP/https" "${SIGN[@]}" --tsa ftp://tsa.example/
expect 2 "--tsa time-stamps signatures" -- "$KHET" archive "${MINI[@]}" \
  --archive "$TMP/nokey" --tsa "$TSA"

# an insider alters a token's time (the signature's unsigned attribute, not
# covered by the signature itself) and re-hashes the ledger: verify names it
insider_copy "$A" "$TMP/ta"
python3 - "$TMP/ta/$R/summary.pdf" <<'PY'
import re, sys
p = sys.argv[1]
pdf = bytearray(open(p, "rb").read())
a, b, c = map(int, re.findall(rb"/ByteRange \[0 (\d+) (\d+) (\d+) *\]", pdf)[-1])
year = b"20".hex().encode()  # the token's genTime starts with the century, in the CMS as hex
at = pdf.index(b"180f" + year, a, b)  # GeneralizedTime, 15 bytes: YYYYMMDDHHMMSSZ
pos = at + 4 + 2 * 9  # the last digit of the hour... a digit of the time, changed
pdf[pos:pos + 2] = b"%02x" % (pdf[pos:pos + 2] != b"31" and 0x31 or 0x32)
open(p, "wb").write(pdf)
PY
python3 tests/ledger_rehash.py "$TMP/ta" --sql "UPDATE documents SET sha256 = '$(sha256sum "$TMP/ta/$R/summary.pdf" |
  cut -d' ' -f1)' WHERE file = 'summary.pdf'"
expect 2 "summary.pdf: error: the signature's time-stamp does not verify \(not over this signature, or altered\)" -- \
  "$KHET" verify --archive "$TMP/ta"
kill "$tsa_pid" 2>/dev/null
wait "$tsa_pid" 2>/dev/null
