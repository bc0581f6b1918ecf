# Shared by the tests of khet serve (tests/cli/9x-*.sh): start and stop a
# server on a free port of 127.0.0.1, and talk JSON to it with curl and jq.
SV="$TMP/serve"; mkdir -p "$SV/tmp"
# serve_start ARGS...: starts khet serve; sets SPID and B (the base URL).
serve_start() {
  TMPDIR="$SV/tmp" "$KHET" serve --data data --archive "$SV/archive" --listen 127.0.0.1:0 "$@" \
    > "$SV/out" 2> "$SV/log" &
  SPID=$!
  for _ in $(seq 1 $((100 * ${KHET_SLOW:-1}))); do grep -q "^khet serve: open" "$SV/out" 2>/dev/null && break; sleep 0.05; done
  B=$(grep -o 'http://127.0.0.1:[0-9]*' "$SV/out")
}
serve_stop() { kill -TERM "$SPID" 2>/dev/null; wait "$SPID"; }
J() { jq -r "$1"; }
C="$SV/cookies"
get()  { curl -s -b "$C" -c "$C" "$B$1"; }
post() { curl -s -b "$C" -c "$C" -H "X-CSRF-Token: $TOK" "$@"; }
