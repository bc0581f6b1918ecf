# One signature per signer (issue 21): khet archive --sign ROLE=KEY,CERT for
# each role of the sign-off signs every document in turn (ผู้จัดทำ first, a
# DocMDP certification; each later one an incremental update of its own),
# each in a named field whose widget stands on the signer's block; pdfsig
# lists every signature as valid and covering its own revision; verify
# names every signer, checks each against the ledger and catches an update
# no signature covers, a removed signature and a reordered ledger.
if [ "${KHET_FULL:-0}" = 1 ]; then plan 22; else plan 21; fi
P="$TMP/spki" R=$MINI_ROUND # (the mini round of cli.sh: two documents)
test_pki "$P"
[ -s "$P/prep.pem" ] && [ -s "$P/appr-bundle.pem" ] && ok || bad "the test PKI was not made"
A="$TMP/signers"
SIGN=(--sign "ผู้จัดทำ=$P/prep.key,$P/prep.pem" --sign "checker=$P/check.key,$P/check-bundle.pem"
      --sign "ผู้อนุมัติ=$P/appr.key,$P/appr-bundle.pem")
expect 0 "" -- "$KHET" archive "${MINI[@]}" --archive "$A" "${SIGN[@]}"

# pdfsig: three valid signatures in signing order, each named by its certificate
for f in "$A/$R"/*.pdf; do
  s=$(pdfsig "$f" 2>&1)
  [ "$(grep -c "Signature Validation: Signature is Valid" <<<"$s")" = 3 ] &&
    [ "$(grep "Signature Field Name" <<<"$s" | sed 's/.*: //' | tr '\n' ' ')" = "ผู้จัดทำ ผู้ตรวจสอบ ผู้อนุมัติ " ] &&
    [ "$(grep "Common Name" <<<"$s" | sed 's/.*: //' | tr '\n' '|')" = "นางสาวกัญญารัตน์ ศรีสุข|Test Checker|Test Approver|" ] &&
    [ "$(grep -c "Total document signed" <<<"$s")" = 1 ] || { echo "$f: $s"; break; }
done >"$TMP/sig.out"
[ ! -s "$TMP/sig.out" ] && ok || bad "pdfsig does not list three valid signatures in order: $(head -c 1500 "$TMP/sig.out")"

# the structure, read from the bytes: the first is the certification (catalog
# /Perms /DocMDP, /P 2), each signature covers exactly its own revision (up
# to the end of the update that added it), /Name is the certificate's name
python3 - "$A/$R"/*.pdf >"$TMP/struct.out" 2>&1 <<'PY'
import re, sys
for path in sys.argv[1:]:
    pdf = open(path, "rb").read()
    first = pdf.index(b"%%EOF") + 6
    ends = [m.end() + 1 for m in re.finditer(rb"%%EOF", pdf) if m.start() >= first]
    sigs = list(re.finditer(rb"<< /Type /Sig .*?/ByteRange \[0 (\d+) (\d+) (\d+) *\]", pdf))
    def text(s):  # a PDF string: <FEFF...> hex (UTF-16) or (PDFDocEncoding, here ASCII)
        m = re.search(rb"/Name (?:<([0-9a-fA-F]+)>|\(([^)]*)\))", s)
        return bytes.fromhex(m.group(1).decode()).decode("utf-16") if m.group(1) else m.group(2).decode()
    names = [text(s.group(0)) for s in sigs]
    cov = [int(s.group(2)) + int(s.group(3)) for s in sigs]
    mdp = [b"/TransformMethod /DocMDP" in s.group(0) and b"/P 2" in s.group(0) for s in sigs]
    perms = re.findall(rb"/Perms << /DocMDP (\d+) 0 R >>", pdf)
    sig1 = re.search(rb"\n(\d+) 0 obj\n<< /Type /Sig", pdf).group(1)
    want = ["\u0e19\u0e32\u0e07\u0e2a\u0e32\u0e27\u0e01\u0e31\u0e0d\u0e0d\u0e32\u0e23\u0e31\u0e15\u0e19\u0e4c \u0e28\u0e23\u0e35\u0e2a\u0e38\u0e02",
            "Test Checker", "Test Approver"]
    if len(sigs) != 3 or cov != ends or len(ends) != 3 or mdp != [True, False, False] or \
            set(perms) != {sig1} or names != want:
        print(path, cov, ends, mdp, perms, sig1, names)
PY
[ $? = 0 ] || echo "the check crashed" >>"$TMP/struct.out"
[ ! -s "$TMP/struct.out" ] && ok || bad "signature structure: $(cat "$TMP/struct.out")"

# each widget stands on its signer's block: the role word's box (poppler)
# lies inside the field's /Rect, on the field's page
python3 - "$A/$R/summary.pdf" "$A/$R/scorecard-11.pdf" >"$TMP/wid.out" 2>&1 <<'PY'
import json, re, subprocess, sys
for path in sys.argv[1:]:
    form = json.loads(subprocess.run(["qpdf", "--json", "--json-key=acroform", path], capture_output=True).stdout)
    for f in form["acroform"]["fields"]:
        role, page = f["fullname"], f["pageposfrom1"]
        oid = f["annotation"]["object"].split()[0]
        obj = subprocess.run(["qpdf", "--show-object=" + oid, path], capture_output=True).stdout
        x0, y0, x1, y1 = map(float, re.search(rb"/Rect \[ *([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)", obj).groups())
        box = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", path, "-"],
                             capture_output=True, text=True).stdout
        h = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', box).group(1))
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">%s</word>' % role, box)
        inside = [w for w in words if x0 <= float(w[0]) and float(w[2]) <= x1 and y0 <= h - float(w[3]) and
                  h - float(w[1]) <= y1]
        if len(inside) != 1 or x1 - x0 < 150 or y1 - y0 < 60:
            print(path, role, page, (x0, y0, x1, y1), words)
    if len(form["acroform"]["fields"]) != 3:
        print(path, "fields:", len(form["acroform"]["fields"]))
PY
[ $? = 0 ] || echo "the check crashed" >>"$TMP/wid.out"
[ ! -s "$TMP/wid.out" ] && ok || bad "a widget is not on its signer's block: $(cat "$TMP/wid.out")"

python3 tests/pdfa_check.py --quiet "$A/$R"/*.pdf && ok || bad "a document signed three times is not PDF/A-3b"
for f in "$A/$R"/*.pdf; do qpdf --check "$f" >/dev/null 2>&1 || echo "$f"; done >"$TMP/qc.out"
[ ! -s "$TMP/qc.out" ] && ok || bad "qpdf --check fails: $(cat "$TMP/qc.out")"

# the chain through the sub-CA is embedded: openssl cms verifies each
# signature of the summary against the root alone
python3 - "$A/$R/summary.pdf" "$TMP/sg" <<'PY'
import re, sys
pdf = open(sys.argv[1], "rb").read()
for i, m in enumerate(re.finditer(rb"/ByteRange \[0 (\d+) (\d+) (\d+) *\]", pdf)):
    a, b, c = map(int, m.groups())
    der = bytes.fromhex(pdf[a + 1:b - 1].decode())
    n = der[1]
    der = der[:2 + n] if n < 0x80 else der[:2 + (n & 0x7f) + int.from_bytes(der[2:2 + (n & 0x7f)], "big")]
    open("%s%d.der" % (sys.argv[2], i), "wb").write(der)
    open("%s%d.bin" % (sys.argv[2], i), "wb").write(pdf[:a] + pdf[b:b + c])
PY
v=0
for i in 0 1 2; do
  openssl cms -verify -binary -inform DER -in "$TMP/sg$i.der" -content "$TMP/sg$i.bin" -CAfile "$P/root.pem" \
    -purpose any -out /dev/null 2>/dev/null && v=$((v + 1))
done
[ "$v" = 3 ] && ok || bad "openssl cms -verify -CAfile root verified $v of 3 signatures"
# and pdfsig (NSS) with only the root trusted, in an NSS database (certutil,
# libnss3-tools): every signer's certificate is trusted, the sub-CA's too
mkdir -p "$TMP/nss" && certutil -N -d "sql:$TMP/nss" --empty-password &&
  certutil -A -d "sql:$TMP/nss" -n root -t "C,C,C" -a -i "$P/root.pem"
s=$(pdfsig -nssdir "sql:$TMP/nss" "$A/$R/summary.pdf" 2>&1)
[ "$(grep -c "Certificate Validation: Certificate is Trusted" <<<"$s")" = 3 ] && ok ||
  bad "pdfsig with the root trusted does not trust the three signers' chains: $s"

expect 0 "$R: signed by ผู้จัดทำ CN=นางสาวกัญญารัตน์ ศรีสุข, O=Region 8 test; ผู้ตรวจสอบ CN=Test Checker.*; ผู้อนุมัติ CN=Test Approver.*its chain reaches --trust" -- \
  "$KHET" verify --archive "$A" --trust "$P/root.pem"

# Refused before anything is rendered: status 2, the reason, nothing filed.
refused() { # refused PATTERN ARGS...
  local pat=$1; shift
  rm -rf "$TMP/rs"
  expect 2 "$pat" -- "$KHET" archive "${MINI[@]}" --archive "$TMP/rs" "$@"
}
refused "signoff.csv: error: the sign-off names ผู้อนุมัติ .*who has no --sign ผู้อนุมัติ=KEY,CERT" "${SIGN[@]:0:4}"
[ -z "$(find "$TMP/rs" -name '*.pdf' 2>/dev/null)" ] && ok || bad "a round without its approver's key was filed"
refused "ผู้จัดทำ is given twice" "${SIGN[@]}" --sign "preparer=$P/prep.key,$P/prep.pem"
refused "--sign takes ROLE=KEY.pem,CERT.pem" --sign "boss=$P/prep.key,$P/prep.pem"
refused "do not go together" "${SIGN[@]}" --key "$P/appr.key" --cert "$P/appr.pem"
refused "appr.key: error: the private key does not belong to the certificate" "${SIGN[@]:0:4}" \
  --sign "approver=$P/appr.key,$P/check.pem"

# Insiders, each with the ledger's document hash re-made to match:
copy() { insider_copy "$A" "$TMP/sa"; }
rehash_doc() { # the document's new SHA-256 and size written into the ledger, the chain re-hashed
  python3 tests/ledger_rehash.py "$TMP/sa" --sql "UPDATE documents SET sha256 = '$(sha256sum "$TMP/sa/$R/$1" |
    cut -d' ' -f1)', bytes = $(stat -c %s "$TMP/sa/$R/$1") WHERE file = '$1'"
}
# an update appended after the last signature (the page's text changed): no signature covers it
copy
python3 - "$TMP/sa/$R/summary.pdf" <<'PY'
import re, sys
p = sys.argv[1]
pdf = open(p, "rb").read()
prev = int(re.findall(rb"startxref\n(\d+)", pdf)[-1])
size = int(re.findall(rb"/Size (\d+)", pdf)[-1])
root = re.findall(rb"/Root (\d+ 0 R)", pdf)[-1]
body = b"%d 0 obj\n<< /Producer (forged) >>\nendobj\n" % size
off = len(pdf)
xref = off + len(body)
tail = b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
    size, off, size + 1, root, size, prev, xref)
open(p, "wb").write(pdf + body + tail)
PY
rehash_doc summary.pdf
expect 2 "summary.pdf: error: 4 updates after the document but 3 signatures: an update no signature covers" -- \
  "$KHET" verify --archive "$TMP/sa"
# the approver's signature cut off (the file as the checker left it)
copy
python3 - "$TMP/sa/$R/summary.pdf" <<'PY'
import re, sys
p = sys.argv[1]
pdf = open(p, "rb").read()
ends = [m.end() + 1 for m in re.finditer(rb"%%EOF", pdf)]
open(p, "wb").write(pdf[:ends[-2]])
PY
rehash_doc summary.pdf
expect 2 "summary.pdf: error: signed 2 times, but the ledger records 3 signatures" -- "$KHET" verify --archive "$TMP/sa"
# the ledger's certificates reordered (the checker's recorded as the preparer's; KHET_FULL=1: make check-all)
if [ "${KHET_FULL:-0}" = 1 ]; then
  copy
  python3 tests/ledger_rehash.py "$TMP/sa" --sql "UPDATE rounds SET cert_sha256 = '$(sqlite3 "$A/ledger.sqlite" \
    'SELECT cert_sha256 FROM rounds' | awk '{print $2, $1, $3}')'"
  expect 2 "summary.pdf: error: not signed with the certificates the ledger records" -- "$KHET" verify --archive "$TMP/sa"
fi
# the next round signed for the same checker with another key (a rogue one under the same name): named
copy
sed 's/^round,1,,$/round,2,,/' $MINI_SIGNOFF >"$TMP/so2.csv"
"$KHET" archive "${MINI[@]:0:4}" --signoff "$TMP/so2.csv" --archive "$TMP/sa" "${SIGN[@]:0:2}" \
  --sign "ผู้ตรวจสอบ=$P/rogue-check.key,$P/rogue-check.pem" "${SIGN[@]:4:2}" >/dev/null 2>&1
expect 2 "ledger: round mini/2563-r2 is signed for นายประเสริฐ วงศ์ใหญ่ with another key than round $R" -- \
  "$KHET" verify --archive "$TMP/sa"
# the ledger records the three certificates, in signing order
[ "$(sqlite3 "$A/ledger.sqlite" 'SELECT cert_sha256 FROM rounds')" = "$(for c in prep check appr; do
  openssl x509 -in "$P/$c.pem" -outform DER | sha256sum | cut -d' ' -f1; done | tr '\n' ' ' | sed 's/ $//')" ] && ok ||
  bad "the ledger does not record the three certificates in order"
# write-once on disk: documents 0444, the round's folder 0555
[ "$(stat -c %a "$A/$R")" = 555 ] && [ "$(stat -c %a "$A/$R"/*.pdf | sort -u)" = 444 ] &&
  [ -d "$A/${R%%/*}" ] && [ "$(stat -c %a "$A/${R%%/*}")" != 555 ] && ok ||
  bad "the filed round is not read-only: $(stat -c '%a %n' "$A/$R" "$A/$R"/*.pdf | head -3)"
