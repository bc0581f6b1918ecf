#!/bin/bash
# keys.sh NAME KEY CERT: a test RSA key and its self-signed certificate, for
# signing in the CLI tests. make test makes each once in build/tests/keys
# (tests/cli.sh's test_key copies them; a file run alone makes its own).
#   signer  the test signer (CN=Test Signer, O=Region 8 test)
#   rogue   another key under the very same name (62-insider)
#   other   someone else (60-archive: a key that does not match)
#   tls     the web application's TLS certificate for 127.0.0.1 (90-serve)
# keys.sh pki DIR: the test PKI of the per-signer tests (66-signers, 68-keys,
# 69-stages; tests/cli.sh's test_pki copies it), EC P-256 keys:
#   root.pem/key        Test Root (a CA), which --trust names
#   sub.pem/key         Test Issuing CA, under the root
#   prep                นางสาวกัญญารัตน์ ศรีสุข, under the root
#   check, appr         Test Checker and Test Approver, under the issuing CA;
#                       check-bundle.pem and appr-bundle.pem with its certificate
#   rogue-check         a self-signed key under the checker's very name
#   tprep, tcheck, tappr  CN=Test prep, Test check, Test appr, under the root
set -eu
sign_ext=(-addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,digitalSignature,nonRepudiation)
if [ "$1" = pki ]; then
  P=$2
  mkdir -p "$P"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$P/root.key" -out "$P/root.pem" -days 3650 -subj "/CN=Test Root/O=MOPH test" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  signer() { # signer NAME SUBJECT ISSUER [ca]
    openssl req -new "${ec[@]}" -keyout "$P/$1.key" -out "$P/$1.csr" -subj "$2" -utf8 2>/dev/null
    if [ -n "${4:-}" ]; then printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
    else printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n'; fi >"$P/$1.ext"
    openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 3650 \
      -extfile "$P/$1.ext" -out "$P/$1.pem" 2>/dev/null
    rm -f "$P/$1.csr" "$P/$1.ext"
  }
  signer sub "/CN=Test Issuing CA/O=MOPH test" root ca
  signer prep "/CN=นางสาวกัญญารัตน์ ศรีสุข/O=Region 8 test" root
  signer check "/CN=Test Checker/O=Region 8 test" sub
  signer appr "/CN=Test Approver/O=Region 8 test" sub
  for s in prep check appr; do signer "t$s" "/CN=Test $s/O=Region 8 test" root; done
  cat "$P/check.pem" "$P/sub.pem" >"$P/check-bundle.pem"
  cat "$P/appr.pem" "$P/sub.pem" >"$P/appr-bundle.pem"
  openssl req -x509 "${ec[@]}" -keyout "$P/rogue-check.key" -out "$P/rogue-check.pem" -days 3650 \
    -subj "/CN=Test Checker/O=Region 8 test" -addext basicConstraints=critical,CA:FALSE \
    -addext keyUsage=critical,digitalSignature 2>/dev/null
  rm -f "$P"/*.srl
  exit 0
fi
case $1 in
  signer | rogue) subj="/CN=Test Signer/O=Region 8 test" ext=("${sign_ext[@]}") ;;
  other) subj="/CN=Someone Else" ext=("${sign_ext[@]}") ;;
  tls) subj="/CN=127.0.0.1" ext=() ;;
  *) echo "keys.sh: no test key named $1" >&2; exit 2 ;;
esac
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$2" -out "$3" -days 3650 "${ext[@]}" -subj "$subj" 2>/dev/null
