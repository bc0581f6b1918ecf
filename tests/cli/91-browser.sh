# khet serve in headless Chromium (puppeteer-core from npm into
# build/npm-browser, never committed): check the sample, upload it with a
# planted error and see the finding, drop the corrected file and see it
# clear, sort the scores and open the hospitals behind one, render the
# scorecard and download it with the bytes of khet render's; screenshots at
# 1366x768 and 390x844 into build/screens/.
plan 13
. tests/serve_lib.sh
if [ ! -d build/npm-browser/node_modules/puppeteer-core ]; then
  mkdir -p build/npm-browser && (cd build/npm-browser && npm install --no-audit --no-fund --silent puppeteer-core@23.11.1 >/dev/null 2>&1)
fi
[ -d build/npm-browser/node_modules/puppeteer-core ] && ok || bad "cannot install puppeteer-core from npm (node and npm needed)"
W="$TMP/browser"; rm -rf "$W"; mkdir -p "$W/z/data"
cp data/*.csv data/dataset.ini "$W/z/data/"
sed -i '30s/,[FM][123],/,X9,/' "$W/z/data/hospitals.csv"
(cd "$W/z" && zip -qr ../bad.zip data)
cp data/hospitals.csv "$W/hospitals.csv"
"$KHET" render --data data --report scorecard --province 41 --out "$W/cli" > /dev/null
cp "$W/cli/2563/r8/scorecard-41.pdf" "$W/cli-scorecard-41.pdf"
serve_start
mkdir -p build/screens
while IFS= read -r line; do
  case $line in
    "ok - "*) ok ;;
    "not ok - "*) bad "browser: ${line#not ok - }" ;;
  esac
done < <(timeout $((60 * ${KHET_SLOW:-1})) node tests/browser.mjs "$B" "$W" build/screens 2>&1)
curl -s -o /dev/null "$B/" && ok || bad "the server stopped answering after the browser run"
serve_stop
