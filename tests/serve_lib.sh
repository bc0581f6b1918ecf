# Shared by the tests of khet serve (tests/cli/9x-*.sh): start and stop a
# server on a free port of 127.0.0.1, and talk JSON to it with curl and jq.
SV="$TMP/serve-${_cli_file##*/}"; mkdir -p "$SV/tmp" # one folder per test file
# serve_start ARGS...: starts khet serve; sets SPID and B (the base URL).
# The last server's "open" line is removed first: the new process truncates
# the file only once it runs, and on a loaded machine the wait below could
# otherwise read the stopped server's address (every request then refused).
# Up to 60 s for the start (a sanitizer build on a machine at load 12).
serve_start() {
  rm -f "$SV/out"
  TMPDIR="$SV/tmp" "$KHET" serve --data data --archive "$SV/archive" --listen 127.0.0.1:0 "$@" \
    > "$SV/out" 2>> "$SV/log" & # the log of every start, kept
  SPID=$!
  for _ in $(seq 1 $((1200 * ${KHET_SLOW:-1}))); do grep -q "^khet serve: open" "$SV/out" 2>/dev/null && break; sleep 0.05; done
  B=$(grep -o 'https\?://127.0.0.1:[0-9]*' "$SV/out")
  [ -n "$B" ] || echo "serve_lib: khet serve $* did not start: $(cat "$SV/out"; tail -5 "$SV/log")" >&2
}
serve_stop() { kill -TERM "$SPID" 2>/dev/null; wait "$SPID"; }
# gojq when installed (.ci/deps installs it: jq 1.6 spends 23 ms of processor
# time starting, gojq 3, and these tests run about 170 filters), else jq
JQ=$(command -v gojq || echo jq)
J() { "$JQ" -r "$1"; }
C="$SV/cookies"
get()  { curl -s -b "$C" -c "$C" "$B$1"; }
post() { curl -s -b "$C" -c "$C" -H "X-CSRF-Token: $TOK" "$@"; }
# make_signers USERS KEYS: accounts olan (officer), chai (checker), arun
# (approver), vera (viewer), password NAME-password; each signer with a
# PKCS#12 key KEYS/NAME.p12 locked with NAME-key-phrase, put there by
# `khet serve --add-user --p12`: the shared test PKI's keys (tests/keys.sh
# pki, made once by make test; test_pki copies it to $SV/pki): olan the
# preparer's (CN=นางสาวกัญญารัตน์ ศรีสุข, under the root), chai and arun the
# checker's and approver's with their issuing CA's certificate.
make_signers() {
  rm -rf "$1" "$2"
  [ -f "$SV/pki/prep.key" ] || test_pki "$SV/pki"
  local a n role key
  for a in olan:officer:prep chai:checker:check arun:approver:appr vera:viewer:; do
    IFS=: read -r n role key <<<"$a"
    if [ -n "$key" ]; then
      openssl pkcs12 -export -inkey "$SV/pki/$key.key" \
        -in "$SV/pki/$( [ "$key" = prep ] && echo prep.pem || echo "$key-bundle.pem")" \
        -passout "pass:$n-key-phrase" -out "$SV/$n.p12"
      printf '%s-password\n%s-key-phrase\n' "$n" "$n" |
        "$KHET" serve --users "$1" --keys "$2" --add-user "$n" --role "$role" --p12 "$SV/$n.p12" > /dev/null
    else
      echo "$n-password" | "$KHET" serve --users "$1" --add-user "$n" --role "$role" > /dev/null
    fi
  done
}
# The sign-off of the sample (data/signoff.csv) as /api/round/start takes it.
ROUND_START='{"ws":0,"scheme":"finance-r8-2563","period":"2563","round":1,"date":"2563-10-20","signers":[
 {"user":"olan","name":"นางสาวกัญญารัตน์ ศรีสุข","position":"นักวิชาการเงินและบัญชีชำนาญการ","date":"2563-10-15"},
 {"user":"chai","name":"นายประเสริฐ วงศ์ใหญ่","position":"หัวหน้ากลุ่มงานประกันสุขภาพ","date":"2563-10-16"},
 {"user":"arun","name":"นายแพทย์สมศักดิ์ ชัยมงคล","position":"ผู้อำนวยการสำนักงานเขตสุขภาพที่ 8","date":"2563-10-20"}]}'
