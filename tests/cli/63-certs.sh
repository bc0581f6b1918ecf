# Certificates at signing and verifying (issue 21): a small PKI made with
# openssl (root -> signer, root -> sub-CA -> signer); expired, not yet
# valid, CA, wrong-usage, mismatched and Ed25519 keys are refused with exit 2
# before anything is rendered, nothing filed; the whole chain of a bundle is
# embedded, and verify --trust (a file or a folder) checks every signer's
# chain at the signing time.
plan 34
P="$TMP/pki" # (the rounds: the mini round of cli.sh)
mkdir -p "$P"
ca() { # ca NAME SUBJECT [ISSUER]: a CA certificate, self-signed without an issuer
  if [ -z "${3:-}" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$1.key" -out "$P/$1.pem" \
      -days 3650 -subj "$2" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  else
    leaf "$1" "$2" "$3" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign"
  fi
}
leaf() { # leaf NAME SUBJECT ISSUER [EXTENSIONS]: a certificate issued by ISSUER
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$1.key" -out "$P/$1.csr" \
    -subj "$2" 2>/dev/null
  printf '%s\n' "${4:-basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation}" > "$P/$1.ext"
  openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 3650 \
    -extfile "$P/$1.ext" -out "$P/$1.pem" 2>/dev/null
}
ca root "/CN=Test National Root/O=MOPH test"
ca sub "/CN=Test Issuing CA/O=MOPH test" root
leaf direct "/CN=Test Approver/O=Region 8 test" root
leaf officer "/CN=Test Approver/O=Region 8 test" sub
leaf tls "/CN=Test TLS" root "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth"
leaf enc "/CN=Test Enc" root "basicConstraints=critical,CA:FALSE
keyUsage=critical,keyEncipherment"
cat "$P/officer.pem" "$P/sub.pem" > "$P/officer-bundle.pem"
ca other "/CN=Some Other Root"
openssl genpkey -algorithm ed25519 -out "$P/ed.key" 2>/dev/null
openssl req -x509 -key "$P/ed.key" -out "$P/ed.pem" -days 3650 -subj "/CN=Ed" \
  -addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,digitalSignature 2>/dev/null
[ -s "$P/officer.pem" ] && [ -s "$P/tls.pem" ] && [ -s "$P/ed.pem" ] && ok || bad "the test PKI was not made"

# Refused before anything is rendered: status 2, the reason, nothing filed.
refused() { # refused PATTERN KEY CERT [ENV...]
  local pat=$1 key=$2 cert=$3; shift 3
  rm -rf "$TMP/rf"
  expect 2 "$pat" -- env "$@" "$KHET" archive "${MINI[@]}" \
    --archive "$TMP/rf" --key "$P/$key" --cert "$P/$cert"
  [ -z "$(find "$TMP/rf" -name '*.pdf' 2>/dev/null)" ] && [ ! -e "$TMP/rf/ledger.head" ] &&
    [ "$(sqlite3 "$TMP/rf/ledger.sqlite" 'SELECT count(*) FROM rounds' 2>/dev/null || echo 0)" = 0 ] && ok ||
    bad "a refused key ($key) filed something"
}
refused "direct.pem: error: the certificate expired on .*before the signing time" direct.key direct.pem \
  SOURCE_DATE_EPOCH=$(( $(date +%s) + 86400 * 365 * 20 ))
refused "direct.pem: error: the certificate is not yet valid at the signing time 2001-09-09" direct.key direct.pem \
  SOURCE_DATE_EPOCH=1000000000
refused "root.pem: error: a CA certificate signs certificates, not documents" root.key root.pem
refused "tls.pem: error: .*extended key usage is for other things \(e.g. TLS servers\)" tls.key tls.pem
refused "enc.pem: error: .*key usage allows neither digitalSignature nor nonRepudiation" enc.key enc.pem
refused "officer.key: error: the private key does not belong to the certificate" officer.key direct.pem
refused "ed.key: error: khet signs with an RSA or ECDSA \(EC\) key and SHA-256; this key is ED25519" ed.key ed.pem
refused "SOURCE_DATE_EPOCH: error: 'soon' is not a number" direct.key direct.pem SOURCE_DATE_EPOCH=soon

# A signer under a sub-CA, the bundle given: the chain is embedded.
A="$TMP/chain"
R=$MINI_ROUND
expect 0 "" -- "$KHET" archive "${MINI[@]}" --archive "$A" \
  --key "$P/officer.key" --cert "$P/officer-bundle.pem"
python3 - "$A/$R/summary.pdf" "$TMP/c.der" "$TMP/c.bin" <<'PY'
import re, sys
pdf = open(sys.argv[1], "rb").read()
r = [int(x) for x in re.findall(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]", pdf)[-1]]
der = bytes.fromhex(pdf[r[1] + 1:r[2] - 1].decode())
n = der[1]
der = der[:2 + n] if n < 0x80 else der[:2 + (n & 0x7f) + int.from_bytes(der[2:2 + (n & 0x7f)], "big")]
open(sys.argv[2], "wb").write(der)
open(sys.argv[3], "wb").write(pdf[:r[1]] + pdf[r[2]:r[2] + r[3]])
PY
certs=$(openssl pkcs7 -inform DER -in "$TMP/c.der" -print_certs 2>/dev/null | grep -c "^subject=")
[ "$certs" = 2 ] && ok || bad "the signature carries $certs certificates, not the signer's and the sub-CA's"
# an auditor holding only the root verifies the chain with openssl alone
expect 0 "Verification successful" -- openssl cms -verify -binary -inform DER -in "$TMP/c.der" -content "$TMP/c.bin" \
  -CAfile "$P/root.pem" -purpose any -out /dev/null
expect 4 "" -- openssl cms -verify -binary -inform DER -in "$TMP/c.der" -content "$TMP/c.bin" \
  -CAfile "$P/other.pem" -purpose any -out /dev/null
# the signing time is the real time (no SOURCE_DATE_EPOCH here): today, not the sign-off's 2563-10-20
grep -aq "/M (D:$(date -u -d "@$(( $(date +%s) + 7 * 3600 ))" +%Y%m%d)" "$A/$R/summary.pdf" && ok ||
  bad "/M is not today's date: $(grep -ao '/M (D:[0-9]*' "$A/$R/summary.pdf" | head -1)"

# verify names the signer, and with --trust checks the chain (file or folder)
expect 0 "$R: signed by .*CN=Test Approver.*no --trust given" -- "$KHET" verify --archive "$A"
expect 0 "$R: signed by .*CN=Test Approver.*; its chain reaches --trust" -- "$KHET" verify --archive "$A" --trust "$P/root.pem"
mkdir -p "$TMP/anchors" && cp "$P/root.pem" "$P/other.pem" "$TMP/anchors/"
expect 0 "signatures valid and trusted" -- "$KHET" verify --archive "$A" --trust "$TMP/anchors"
expect 2 "summary.pdf: error: the signer .*CN=Test Approver.*: its certificate chain does not reach --trust: unable to get local issuer" -- \
  "$KHET" verify --archive "$A" --trust "$P/other.pem"
expect 2 "cannot read the trust anchors" -- "$KHET" verify --archive "$A" --trust "$TMP/nowhere.pem"
echo "not a certificate" > "$TMP/junk.pem"
expect 2 "junk.pem: error: no CA certificate" -- "$KHET" verify --archive "$A" --trust "$TMP/junk.pem"
# the sub-CA's certificate missing from the bundle: the chain cannot be built from the root alone
B="$TMP/leafonly"
expect 0 "" -- "$KHET" archive "${MINI[@]}" --archive "$B" \
  --key "$P/officer.key" --cert "$P/officer.pem"
expect 2 "does not reach --trust" -- "$KHET" verify --archive "$B" --trust "$P/root.pem"

# A renewed key for the same approver: named without --trust, accepted when
# both chains reach it.
C="$TMP/renewed"
sed 's/^round,1,,$/round,2,,/' $MINI_SIGNOFF > "$TMP/so2.csv"
expect 0 "" -- "$KHET" archive "${MINI[@]}" --archive "$C" \
  --key "$P/direct.key" --cert "$P/direct.pem"
expect 0 "" -- "$KHET" archive "${MINI[@]:0:4}" --signoff "$TMP/so2.csv" --archive "$C" \
  --key "$P/officer.key" --cert "$P/officer-bundle.pem"
expect 2 "round mini/2563-r2 is signed for .* with another key than round $R" -- \
  "$KHET" verify --archive "$C"
expect 0 "everything holds" -- "$KHET" verify --archive "$C" --trust "$P/root.pem"
