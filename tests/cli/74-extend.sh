# Long-term validation (PAdES B-LT and B-LTA, issue 21): khet archive
# --extend ROUND appends to each signed document of a filed round, as an
# incremental update, a DSS (every certificate of the signatures and their
# time-stamps, the CA's CRL made by `openssl ca -gencrl`) and a document
# time-stamp from the local TSA (tests/tsa_responder.py); the ledger records
# the extension and verify checks it; pdfsig reads it; the files stay
# 0444/0555, PDF/A-3b and qpdf-clean; a change after the extension, or an
# extension undone, is named, and so is a first revision changed under an
# extension recorded again (the ledger's hashes made anew) or a filed length
# past the document's end; --extend without a TSA or CRLs says what it
# needs. EC keys, one CA for signers and TSA, one filing of the mini round:
# kept cheap.
plan 34
P="$TMP/xpki" R=$MINI_ROUND # (the mini round of cli.sh: a scorecard and a summary)
test_pki "$P" # the shared test PKI: its signers tprep, tcheck, tappr under Test Root
mkdir -p "$P/trust" && cp "$P/root.pem" "$P/trust/"
leaf() { # leaf NAME SUBJECT EXTENSIONS: the TSA's and the TLS server's, under the same root
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$1.key" -out "$P/$1.csr" \
    -subj "$2" 2>/dev/null
  printf '%s\n' "$3" > "$P/$1.ext"
  openssl x509 -req -in "$P/$1.csr" -CA "$P/root.pem" -CAkey "$P/root.key" -CAcreateserial -days 3650 \
    -extfile "$P/$1.ext" -out "$P/$1.pem" 2>/dev/null
}
leaf tls "/CN=127.0.0.1" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1"
leaf tsa "/CN=Test LTV TSA/O=MOPH test" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=critical,timeStamping"
tsa_cnf "$P" "$P/root.pem"
# the CA's revocation list, as a CA publishes it (openssl ca -gencrl)
: > "$P/index.txt"
echo 01 > "$P/crlnumber"
cat > "$P/ca.cnf" <<CNF
[ ca ]
default_ca = c
[ c ]
database = $P/index.txt
crlnumber = $P/crlnumber
default_md = sha256
default_crl_days = 30
CNF
openssl ca -gencrl -config "$P/ca.cnf" -keyfile "$P/root.key" -cert "$P/root.pem" -out "$P/root.crl" 2>/dev/null
# and, unknown to that list, the TSA's certificate revoked before anything is signed
openssl ca -config "$P/ca.cnf" -keyfile "$P/root.key" -cert "$P/root.pem" -revoke "$P/tsa.pem" 2>/dev/null
python3 tests/tsa_responder.py "$P/tsa.cnf" "$P/port" &
tsa_pid=$!
python3 tests/tsa_responder.py "$P/tsa.cnf" "$P/tlsport" "$P/tls.pem" "$P/tls.key" & # the same TSA over HTTPS
tls_pid=$!
for _ in $(seq 50); do [ -s "$P/port" ] && [ -s "$P/tlsport" ] && break; sleep 0.1; done
TSA="http://127.0.0.1:$(cat "$P/port" 2>/dev/null)/tsa" TLS="https://127.0.0.1:$(cat "$P/tlsport" 2>/dev/null)/tsa"
A="$TMP/ltv"
"$KHET" archive "${MINI[@]}" --archive "$A" --tsa "$TSA" \
  --sign "ผู้จัดทำ=$P/tprep.key,$P/tprep.pem" --sign "ผู้ตรวจสอบ=$P/tcheck.key,$P/tcheck.pem" \
  --sign "ผู้อนุมัติ=$P/tappr.key,$P/tappr.pem" >/dev/null 2>"$TMP/ltv.err"
[ -s "$P/root.crl" ] && [ -s "$A/$R/summary.pdf" ] && ok || bad "the test PKI, CRL or stamped round was not made: $(cat "$TMP/ltv.err")"
before=$(cat "$A/$R"/*.pdf | sha256sum)

# what --extend needs, said before anything is touched (status 2)
expect 2 "needs --tsa URL" -- "$KHET" archive --archive "$A" --extend $R --crl "$P/root.crl"
expect 2 "needs the certificate revocation lists" -- "$KHET" archive --archive "$A" --extend $R --tsa "$TSA"
# a CRL of another CA only: the certificates whose issuer's CRL is missing are named
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/other.key" -out "$P/other.pem" \
  -days 30 -subj "/CN=Other CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,cRLSign 2>/dev/null
openssl ca -gencrl -config "$P/ca.cnf" -keyfile "$P/other.key" -cert "$P/other.pem" -out "$P/other.crl" 2>/dev/null
expect 2 "scorecard-11.pdf: error: no CRL of CN=Test Root, O=MOPH test \(the issuer of CN=Test prep, O=Region 8 test\) was given" -- \
  "$KHET" archive --archive "$A" --extend $R --tsa "$TSA" --crl "$P/other.crl" --trust "$P/root.pem"
[ "$(cat "$A/$R"/*.pdf | sha256sum)" = "$before" ] && ok || bad "a refused --extend changed the documents"

# B-LT + B-LTA: the CRL from the --trust folder (beside the root); the
# document time-stamp from the TSA over HTTPS, its TLS certificate checked:
# refused (status 1, nothing changed) until SSL_CERT_FILE names its CA
cp "$P/root.crl" "$P/trust/"
expect 1 "the time-stamp authority https://127.0.0.1:[0-9]+/tsa gave no time-stamp: .*certificate verify failed" -- \
  env SSL_CERT_FILE=/dev/null "$KHET" archive --archive "$A" --extend $R --tsa "$TLS" --trust "$P/trust"
[ "$(cat "$A/$R"/*.pdf | sha256sum)" = "$before" ] && [ "$(stat -c %a "$A/$R")" = 555 ] && ok ||
  bad "a failed --extend changed the documents or left the folder writable"
expect 0 "extended: 2 documents PAdES B-LTA" -- env SSL_CERT_FILE="$P/root.pem" \
  "$KHET" archive --archive "$A" --extend $R --tsa "$TLS" --trust "$P/trust"
# still write-once on disk
[ "$(stat -c %a "$A/$R")" = 555 ] && [ "$(stat -c %a "$A/$R"/*.pdf | sort -u)" = 444 ] && ok ||
  bad "the extended round is not 0555/0444: $(stat -c '%a %n' "$A/$R" "$A/$R"/*.pdf | head -3)"
keep -- "$KHET" verify --archive "$A" --trust "$P/root.pem"
kept 0 "^$R: 2 documents hold: checksums, signatures valid and trusted, time-stamped, validation data and a document time-stamp of 20[0-9-]+ [0-9:]+ UTC \(PAdES B-LTA\)"
kept 0 "^ledger: 2 document extensions \(archive --extend\), hash chain intact"

# a round signed without time-stamps (B-B) extends too: its document
# time-stamp's TSA is no certificate of the signatures (the next extension
# would add its validation data); verify says it is not B-LT
"$KHET" archive "${MINI[@]}" --archive "$TMP/bb" --sign "ผู้จัดทำ=$P/tprep.key,$P/tprep.pem" \
  --sign "ผู้ตรวจสอบ=$P/tcheck.key,$P/tcheck.pem" --sign "ผู้อนุมัติ=$P/tappr.key,$P/tappr.pem" >/dev/null 2>&1
expect 0 "extended: 2 documents" -- "$KHET" archive --archive "$TMP/bb" --extend $R --tsa "$TSA" --crl "$P/root.crl" \
  --trust "$P/root.pem"
expect 0 "^$R: 2 documents hold: checksums, signatures valid and trusted, validation data and a document time-stamp of .* \(not PAdES B-LT: the signatures carry no time-stamps\)" -- \
  "$KHET" verify --archive "$TMP/bb" --trust "$P/root.pem"

# the DSS, read from the bytes with openssl: the signers', the TSA's and the
# root's certificates and the root's CRL; pdfsig lists the three signatures
# and the document time-stamp
python3 - "$A/$R/summary.pdf" "$TMP/dss" <<'PY'
import re, sys, zlib
pdf = open(sys.argv[1], "rb").read()
dss = re.findall(rb"/Type /DSS /Certs \[([^\]]*)\] /CRLs \[([^\]]*)\]", pdf)[-1]
for kind, refs in (("cert", dss[0]), ("crl", dss[1])):
    for i, n in enumerate(re.findall(rb"(\d+) 0 R", refs)):
        m = re.search(rb"\n" + n + rb" 0 obj\n<< /Length (\d+) >>\nstream\n", pdf)
        open("%s-%s%d.der" % (sys.argv[2], kind, i), "wb").write(pdf[m.end():m.end() + int(m.group(1))])
PY
subj=$(for f in "$TMP"/dss-cert*.der; do openssl x509 -inform DER -in "$f" -noout -subject 2>/dev/null; done | sort | tr '\n' '|')
crl=$(openssl crl -inform DER -in "$TMP/dss-crl0.der" -noout -issuer 2>/dev/null)
[ "$subj" = "subject=CN = Test LTV TSA, O = MOPH test|subject=CN = Test Root, O = MOPH test|subject=CN = Test appr, O = Region 8 test|subject=CN = Test check, O = Region 8 test|subject=CN = Test prep, O = Region 8 test|" ] &&
  [ "$crl" = "issuer=CN = Test Root, O = MOPH test" ] && ok || bad "the DSS does not hold the chain and the CRL: $subj / $crl"
s=$(pdfsig "$A/$R/summary.pdf" 2>&1)
# (poppler 22 names the time-stamp's TSA and its range but cannot validate an RFC 3161 document time-stamp)
[ "$(grep -c "Signature Validation: Signature is Valid" <<<"$s")" = 3 ] && [ "$(grep -c "^Signature #" <<<"$s")" = 4 ] &&
  [ "$(sed -n '/^Signature #4/,$p' <<<"$s" | grep -c "Common Name: Test LTV TSA\|Total document signed")" = 2 ] &&
  ok || bad "pdfsig does not list three valid signatures and the time-stamp over the whole file: $s"
# openssl alone: the document time-stamp is a token of the TSA over the file's byte range
python3 - "$A/$R/summary.pdf" "$TMP/dts" <<'PY'
import re, sys
pdf = open(sys.argv[1], "rb").read()
m = list(re.finditer(rb"/Type /DocTimeStamp .*?/ByteRange \[0 (\d+) (\d+) (\d+) *\] /Contents <([0-9a-f]+)", pdf))[-1]
a, b, c = (int(m.group(i)) for i in (1, 2, 3))
open(sys.argv[2] + ".data", "wb").write(pdf[:a] + pdf[b:b + c])
der = bytes.fromhex(m.group(4).decode())
n = der[1] & 0x7f if der[1] & 0x80 else 0
open(sys.argv[2] + ".tst", "wb").write(der[:2 + n + (int.from_bytes(der[2:2 + n], "big") if n else der[1])])
PY
openssl ts -verify -data "$TMP/dts.data" -in "$TMP/dts.tst" -token_in -CAfile "$P/root.pem" >/dev/null 2>&1 && ok ||
  bad "openssl ts -verify does not accept the document time-stamp over the byte range"
python3 tests/pdfa_check.py --quiet "$A/$R/summary.pdf" "$A/$R/scorecard-11.pdf" && ok || bad "an extended document is not PDF/A-3b"
qpdf --check "$A/$R/summary.pdf" >/dev/null 2>&1 && ok || bad "qpdf --check fails on an extended document"

# each signer's widget is drawn (issue 21): in its block's pen room (poppler's
# word boxes, centred inside the field's /Rect), "ลงนามดิจิทัลโดย NAME (ROLE)"
# with the signing time, and the certificate's subject; the block's printed
# words under it still read back whole, once each (nothing drawn over them)
python3 - "$A/$R/summary.pdf" >"$TMP/ap.out" 2>&1 <<'PY'
import json, re, subprocess, sys
path = sys.argv[1]
names = {"ผู้จัดทำ": ("นางสาวกัญญารัตน์", "prep,"), "ผู้ตรวจสอบ": ("นายประเสริฐ", "check,"),
         "ผู้อนุมัติ": ("นายแพทย์สมศักดิ์", "appr,")}
form = json.loads(subprocess.run(["qpdf", "--json", "--json-key=acroform", path], capture_output=True).stdout)
seen = 0
for f in form["acroform"]["fields"]:
    role, page = f["fullname"], f["pageposfrom1"]
    if role not in names:
        continue
    seen += 1
    obj = subprocess.run(["qpdf", "--show-object=" + f["annotation"]["object"].split()[0], path],
                         capture_output=True).stdout
    x0, y0, x1, y1 = map(float, re.search(rb"/Rect \[ *([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)", obj).groups())
    box = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", path, "-"],
                         capture_output=True, text=True).stdout
    h = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', box).group(1))
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', box)
    inside = [w[4] for w in words if x0 < (float(w[0]) + float(w[2])) / 2 < x1 and
              y0 < h - (float(w[1]) + float(w[3])) / 2 < y1]
    name, cn = names[role]
    want = ["ลงนามดิจิทัลโดย", name, "(%s)" % role, "เวลา", "น.", "ใบรับรอง", "CN=Test", cn, "O=Region"]
    printed = ["(ลงชื่อ)", role, "(" + name, "ตำแหน่ง", "วันที่"]
    if [w for w in want if w not in inside] or [w for w in printed if inside.count(w) != 1]:
        print(role, (x0, y0, x1, y1), inside)
if seen != 3:
    print("signer fields:", seen)
PY
[ $? = 0 ] || echo "the check crashed" >>"$TMP/ap.out"
[ ! -s "$TMP/ap.out" ] && ok || bad "a signer's widget does not draw its signer inside the block: $(cat "$TMP/ap.out")"

# a change after the extension: one byte of the DSS's CRL; and the extension
# undone (the file cut back to its filed revision, which is a prefix of it)
insider_copy "$A" "$TMP/lx"
python3 - "$TMP/lx/$R/summary.pdf" <<'PY'
import re, sys
p = sys.argv[1]
pdf = bytearray(open(p, "rb").read())
n = re.findall(rb"/CRLs \[(\d+) 0 R", pdf)[-1]
m = re.search(rb"\n" + n + rb" 0 obj\n<< /Length \d+ >>\nstream\n", pdf)
pdf[m.end() + 40] ^= 1
open(p, "wb").write(pdf)
PY
keep -- "$KHET" verify --archive "$TMP/lx"
kept 2 "summary.pdf: error: the document time-stamp does not verify over its byte range \(the file was changed after extension\)"
kept 2 "summary.pdf: error: its SHA-256 differs from the ledger's \(changed after its extension\)"
# an extension's row edited in the ledger (its trigger dropped first) is named
insider_copy "$A" "$TMP/le"
sqlite3 "$TMP/le/ledger.sqlite" "DROP TRIGGER extensions_no_update; UPDATE extensions SET stamped = '2020-01-01 00:00:00 UTC' WHERE seq = 2"
expect 2 "ledger: extension 2 \(mini/2563-r1/summary.pdf\): its row does not match its hash" -- \
  "$KHET" verify --archive "$TMP/le"
insider_copy "$A" "$TMP/lu"
bytes=$(sqlite3 "$A/ledger.sqlite" "SELECT bytes FROM documents WHERE file = 'summary.pdf'")
truncate -s "$bytes" "$TMP/lu/$R/summary.pdf"
expect 2 "summary.pdf: error: its SHA-256 differs from the ledger's \(changed after its extension\)" -- \
  "$KHET" verify --archive "$TMP/lu"
# an insider who changes the filed revision inside an extended document and
# records the change as the extension (its row and every later row hashed
# again, in order, the append-only trigger put back): the ledger holds, the
# first revision does not
insider_copy "$A" "$TMP/lr"
python3 - "$TMP/lr" "$R" <<'PY'
import hashlib, json, sqlite3, sys
a, r = sys.argv[1], sys.argv[2]
path = "%s/%s/summary.pdf" % (a, r)
db = sqlite3.connect(a + "/ledger.sqlite")
filed = db.execute("SELECT bytes FROM documents WHERE round = ? AND file = 'summary.pdf'", (r,)).fetchone()[0]
pdf = bytearray(open(path, "rb").read())
pdf[filed // 2] ^= 1  # inside the revision filed
open(path, "wb").write(pdf)
new = hashlib.sha256(pdf).hexdigest()
cols = ["round", "file", "before_sha256", "before_bytes", "sha256", "bytes", "stamped", "round_hash", "prev_hash"]
rows = db.execute("SELECT seq, " + ", ".join(cols) + " FROM extensions ORDER BY seq").fetchall()
last = max(row[0] for row in rows if row[1] == r and row[2] == "summary.pdf")
db.execute("DROP TRIGGER extensions_no_update")
prev = "0" * 64
for row in rows:
    e = dict(zip(cols, row[1:]))
    if row[0] == last:
        e["sha256"] = new
    if row[0] != rows[0][0]:
        e["prev_hash"] = prev
    prev = hashlib.sha256(json.dumps(e, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    db.execute("UPDATE extensions SET sha256 = ?, prev_hash = ?, row_hash = ? WHERE seq = ?",
               (e["sha256"], e["prev_hash"], prev, row[0]))
db.execute("CREATE TRIGGER extensions_no_update BEFORE UPDATE ON extensions BEGIN\n"
           "  SELECT RAISE(ABORT, 'the khet ledger is append-only'); END")  # as khet made it
db.commit()
PY
keep -- "$KHET" verify --archive "$TMP/lr"
kept 2 "summary.pdf: error: its first revision is not the document filed \(the original hash\)"
[[ $_kept == *"document extensions (archive --extend), hash chain intact"* && $_kept != *"error: ledger"* ]] && ok ||
  bad "the ledger edited does not check out: $_kept"
# the filed length of an extended document made longer than the document
# (its row edited): named, and nothing read past the document's end
insider_copy "$A" "$TMP/lb"
sqlite3 "$TMP/lb/ledger.sqlite" "DROP TRIGGER documents_no_update; UPDATE documents SET bytes = 1099511627776 WHERE file = 'summary.pdf'"
expect 2 "summary.pdf: error: its first revision is not the document filed \(the original hash\)" -- \
  "$KHET" verify --archive "$TMP/lb"
# verify and the modes on disk: the owner's write bit back is a warning (the
# owner can always chmod; the checksums prove the content), a file every
# user may write is a failure
insider_copy "$A" "$TMP/lm"
chmod 0444 "$TMP/lm/$R"/*.pdf && chmod 0644 "$TMP/lm/$R/summary.pdf" && chmod 0446 "$TMP/lm/$R/scorecard-11.pdf" &&
  chmod 0555 "$TMP/lm/$R"
keep -- "$KHET" verify --archive "$TMP/lm"
kept 2 "summary.pdf: warning: mode 0644, not 0444 as filed: the write-once guard was lifted by its owner"
kept 2 "scorecard-11.pdf: error: mode 0446, not 0444 as filed: writable by every user of the machine"
[ "$(grep -c "mode 0" <<<"$_kept")" = 2 ] && ok || bad "verify names other modes than the two changed: $_kept"
chmod -R u+w "$TMP/lm"
# extended again later with the CA's new CRL, which lists the TSA's
# certificate (revoked before the signatures' time-stamps: a failure, named)
# and the checker's, revoked only now, after it signed (a note); a second
# DSS and document time-stamp on top of the first
openssl ca -config "$P/ca.cnf" -keyfile "$P/root.key" -cert "$P/root.pem" -revoke "$P/tcheck.pem" 2>/dev/null &&
  sleep 1 && openssl ca -gencrl -config "$P/ca.cnf" -keyfile "$P/root.key" -cert "$P/root.pem" -out "$P/root2.crl" 2>/dev/null
expect 0 "extended: 2 documents PAdES B-LTA" -- "$KHET" archive --archive "$A" --extend $R --tsa "$TSA" \
  --crl "$P/root2.crl" --trust "$P/root.pem"
keep -- "$KHET" verify --archive "$A" --trust "$P/root.pem"
kept 2 "summary.pdf: note: the certificate CN=Test check, O=Region 8 test was revoked on 20[0-9-]+ [0-9:]+ UTC, after it signed"
kept 2 "summary.pdf: error: the certificate CN=Test LTV TSA, O=MOPH test was revoked on 20[0-9-]+ [0-9:]+ UTC \(its issuer's CRL in the DSS\)"
kept 2 "^ledger: 4 document extensions \(archive --extend\), hash chain intact"
! grep -q "time-stamp does not verify\|lacks the certificate" <<<"$_kept" && ok ||
  bad "the second extension's time-stamps or DSS do not hold: $_kept"
[ -n "${KEEP_TMP:-}" ] && cp -r "$A" /tmp/xt/ltv
kill "$tsa_pid" "$tls_pid" 2>/dev/null
wait "$tsa_pid" "$tls_pid" 2>/dev/null
