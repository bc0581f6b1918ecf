#!/bin/bash
# End-to-end tests of the khet command line on the sample data and on broken
# copies of it. Prints "N passed, N failed" and exits non-zero on any failure.
set -u
KHET=${KHET:-build/khet}
KHET=$(cd "$(dirname "$KHET")" && pwd)/$(basename "$KHET")
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect STATUS PATTERN -- command...: the exit status and a line of stderr+stdout.
expect() {
  local want=$1 pat=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then bad "$* exited $rc, wanted $want: $out"; return; fi
  if [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out"; then bad "$*: no line matching '$pat' in: $out"; return; fi
  ok
}
fresh() { rm -rf "$TMP/d"; cp -r data "$TMP/d"; }

for t in tests/cli/*.sh; do
  # shellcheck source=/dev/null
  . "$t"
done

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
