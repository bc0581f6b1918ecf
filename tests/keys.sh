#!/bin/bash
# keys.sh NAME KEY CERT: a test RSA key and its self-signed certificate, for
# signing in the CLI tests. make test makes each once in build/tests/keys
# (tests/cli.sh's test_key copies them; a file run alone makes its own).
#   signer  the test signer (CN=Test Signer, O=Region 8 test)
#   rogue   another key under the very same name (62-insider)
#   other   someone else (60-archive: a key that does not match)
#   tls     the web application's TLS certificate for 127.0.0.1 (90-serve)
set -eu
sign_ext=(-addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,digitalSignature,nonRepudiation)
case $1 in
  signer | rogue) subj="/CN=Test Signer/O=Region 8 test" ext=("${sign_ext[@]}") ;;
  other) subj="/CN=Someone Else" ext=("${sign_ext[@]}") ;;
  tls) subj="/CN=127.0.0.1" ext=() ;;
  *) echo "keys.sh: no test key named $1" >&2; exit 2 ;;
esac
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$2" -out "$3" -days 3650 "${ext[@]}" -subj "$subj" 2>/dev/null
