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
# make_signers USERS KEYS cheap: the same accounts and keys, written straight
# where the server keeps them (USERS lines name:role:hash with the cheap
# hashes of CHEAP_HASH; KEYS/NAME.p12, mode 0600, in a 0700 folder), for a
# test of what the server does with them (92-attacks): --add-user --p12
# itself is 93-signoff's.
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
      if [ "${3:-}" = cheap ]; then
        mkdir -p -m 700 "$2" && cp "$SV/$n.p12" "$2/$n.p12" && chmod 600 "$2/$n.p12"
        cheap_account "$1" "$n" "$role"
      else
        printf '%s-password\n%s-key-phrase\n' "$n" "$n" |
          "$KHET" serve --users "$1" --keys "$2" --add-user "$n" --role "$role" --p12 "$SV/$n.p12" > /dev/null
      fi
    elif [ "${3:-}" = cheap ]; then
      cheap_account "$1" "$n" "$role"
    else
      echo "$n-password" | "$KHET" serve --users "$1" --add-user "$n" --role "$role" > /dev/null
    fi
  done
}
# Test accounts that cost the server little to log in to: it checks a
# password against its hash with the hash's own argon2id parameters, and the
# product's (`khet serve --add-user`: 19 MiB, two passes) cost it about 0.13 s
# of processor time and 6,000 page faults a login; 92 and 93 log in about 30
# times. These are argon2id hashes of NAME-password with 8 KiB and one pass
# (made once with libargon2, salt "khet-test-salt16"). The product's own
# hashes are made and logged in with in 90-serve (and made by make_signers
# and --add-user in 93, whose logins then use these: cheap_logins).
declare -A CHEAP_HASH=(
  [olan]='$argon2id$v=19$m=8,t=1,p=1$a2hldC10ZXN0LXNhbHQxNg$5eu1HQLLsa0vmeo2+9XdpORVxF1BdBUQmEaNg5Uj1vw'
  [chai]='$argon2id$v=19$m=8,t=1,p=1$a2hldC10ZXN0LXNhbHQxNg$SRRgUW1gCY+BfjIbC7K1NJVRSwpZdVLSeQ3VVoJUC5I'
  [arun]='$argon2id$v=19$m=8,t=1,p=1$a2hldC10ZXN0LXNhbHQxNg$4jCqcR7gOWRnF0C9QbqDGSNl/iNjKkQI4yKvj9KVtFI'
  [vera]='$argon2id$v=19$m=8,t=1,p=1$a2hldC10ZXN0LXNhbHQxNg$k7PU3H0H8bUDnuIKOOuCYV4V41b5FWBEPKxNH8w8HZ4'
  [chai2]='$argon2id$v=19$m=8,t=1,p=1$a2hldC10ZXN0LXNhbHQxNg$umoyWFEva+QWjeH3iMIqdTs0X9L7Uoh7xOYVwOSVF6I'
  [adam]='$argon2id$v=19$m=8,t=1,p=1$a2hldC10ZXN0LXNhbHQxNg$UKzqFppcbGAEPPBEMggFKfXqvjGvKFexnuAFsojIWhA'
)
# cheap_account USERS NAME ROLE: NAME's account (password NAME-password, a
# cheap hash) added to USERS as --add-user writes it
cheap_account() { echo "$2:$3:${CHEAP_HASH[$2]}" >>"$1"; }
# cheap_logins USERS: the accounts of USERS with a cheap hash get it in place
# of theirs (same names, roles and passwords)
cheap_logins() {
  local n r h out=""
  while IFS=: read -r n r h; do
    out+="$n:$r:${CHEAP_HASH[$n]:-$h}"$'\n'
  done <"$1"
  printf '%s' "$out" >"$1"
}
# The sign-off of the sample (data/signoff.csv) as /api/round/start takes it.
ROUND_START='{"ws":0,"scheme":"finance-r8-2563","period":"2563","round":1,"date":"2563-10-20","signers":[
 {"user":"olan","name":"นางสาวกัญญารัตน์ ศรีสุข","position":"นักวิชาการเงินและบัญชีชำนาญการ","date":"2563-10-15"},
 {"user":"chai","name":"นายประเสริฐ วงศ์ใหญ่","position":"หัวหน้ากลุ่มงานประกันสุขภาพ","date":"2563-10-16"},
 {"user":"arun","name":"นายแพทย์สมศักดิ์ ชัยมงคล","position":"ผู้อำนวยการสำนักงานเขตสุขภาพที่ 8","date":"2563-10-20"}]}'
