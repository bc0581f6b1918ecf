# Shared by the tests of khet serve (tests/cli/9x-*.sh): start and stop a
# server on a free port of 127.0.0.1, and talk JSON to it with curl and jq.
SV="$TMP/serve-${_cli_file##*/}"; mkdir -p "$SV/tmp" # one folder per test file
# serve_start ARGS...: starts khet serve; sets SPID and B (the base URL).
serve_start() {
  TMPDIR="$SV/tmp" "$KHET" serve --data data --archive "$SV/archive" --listen 127.0.0.1:0 "$@" \
    > "$SV/out" 2> "$SV/log" &
  SPID=$!
  for _ in $(seq 1 $((400 * ${KHET_SLOW:-1}))); do grep -q "^khet serve: open" "$SV/out" 2>/dev/null && break; sleep 0.05; done
  B=$(grep -o 'https\?://127.0.0.1:[0-9]*' "$SV/out")
}
serve_stop() { kill -TERM "$SPID" 2>/dev/null; wait "$SPID"; }
J() { jq -r "$1"; }
C="$SV/cookies"
get()  { curl -s -b "$C" -c "$C" "$B$1"; }
post() { curl -s -b "$C" -c "$C" -H "X-CSRF-Token: $TOK" "$@"; }
# make_signers USERS KEYS: accounts olan (officer), chai (checker), arun
# (approver), vera (viewer), password NAME-password, each with a PKCS#12 key
# KEYS/NAME.p12 locked with NAME-key-phrase (a self-signed test certificate).
make_signers() {
  rm -rf "$1" "$2"; mkdir -p "$2"
  for a in olan:officer chai:checker arun:approver vera:viewer; do
    n=${a%%:*}; echo "$n-password" | "$KHET" serve --users "$1" --add-user "$n" --role "${a#*:}" > /dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SV/$n.key" -out "$SV/$n.crt" -days 3650 \
      -addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,digitalSignature,nonRepudiation \
      -subj "/CN=$n/O=Region 8 test" 2>/dev/null &&
      openssl pkcs12 -export -inkey "$SV/$n.key" -in "$SV/$n.crt" -passout "pass:$n-key-phrase" -out "$2/$n.p12" 2>/dev/null
    rm -f "$SV/$n.key"
  done
}
