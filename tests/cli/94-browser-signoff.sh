# khet serve's sign-off in headless Chromium (tests/browser_signoff.mjs):
# the officer starts a round and signs (a wrong key passphrase refused first),
# the approver is told to wait, the checker and then the approver sign, the
# round is filed; history lists it, Udon Thani's trend is drawn, verify holds.
# Screenshots (login, sign, history; 1366x768 and 390x844) in build/screens/.
# A longer flow (three logins, a filing, a verify): `make check-all` runs it
# (KHET_FULL=1); `make test` has its API twin, 93-signoff.sh.
if [ "${KHET_FULL:-0}" != 1 ]; then plan 0; return 0; fi
plan 11
. tests/serve_lib.sh
U="$SV/users-b"; K="$SV/keys-b"
make_signers "$U" "$K"
if [ ! -d build/npm-browser/node_modules/puppeteer-core ]; then
  mkdir -p build/npm-browser && (cd build/npm-browser && npm install --no-audit --no-fund --silent puppeteer-core@23.11.1 >/dev/null 2>&1)
fi
[ -d build/npm-browser/node_modules/puppeteer-core ] && ok || bad "cannot install puppeteer-core from npm (node and npm needed)"
serve_start --users "$U" --keys "$K"
mkdir -p build/screens
while IFS= read -r line; do
  case $line in
    "ok - "*) ok ;;
    "not ok - "*) bad "browser: ${line#not ok - }" ;;
  esac
done < <(timeout $((90 * ${KHET_SLOW:-1})) node tests/browser_signoff.mjs "$B" build/screens 2>&1)
curl -s -o /dev/null "$B/" && ok || bad "the server stopped answering after the browser run"
serve_stop
