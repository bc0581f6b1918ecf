# Sourced by the tests that read PDFs with pdf.js (45-harfbuzz, 41-readback,
# tests/readback.sh): installs pdfjs-dist from npm into build/npm once and puts
# tests/pdfjs-text.mjs beside it. `make test` runs the CLI files in parallel,
# so the install is done under a lock: a second job waits for the first
# instead of reading a half-installed package (or none). 0 when pdf.js is there.
npm_pdfjs() {
  mkdir -p build/npm || return 1
  (
    flock 8
    if [ ! -d build/npm/node_modules/pdfjs-dist ]; then
      (cd build/npm && npm install --no-audit --no-fund --silent pdfjs-dist@4.10.38 >/dev/null 2>&1)
    fi
    cp tests/pdfjs-text.mjs build/npm/pdfjs-text.mjs
  ) 8>build/npm.lock
  [ -d build/npm/node_modules/pdfjs-dist ] && [ -f build/npm/pdfjs-text.mjs ]
}

# Sarabun (Google's OFL redesign of TH Sarabun New, not in Debian), for the
# read-back sweep's 22nd family: @expo-google-fonts/sarabun's TrueType files
# into build/npm, under the same lock. Prints the regular and bold paths.
npm_sarabun() {
  local d=build/npm/node_modules/@expo-google-fonts/sarabun
  mkdir -p build/npm || return 1
  (
    flock 8
    if [ ! -f "$d/400Regular/Sarabun_400Regular.ttf" ]; then
      (cd build/npm && npm install --no-audit --no-fund --silent @expo-google-fonts/sarabun@0.4.1 >/dev/null 2>&1)
    fi
  ) 8>build/npm.lock
  [ -f "$d/400Regular/Sarabun_400Regular.ttf" ] && [ -f "$d/700Bold/Sarabun_700Bold.ttf" ] &&
    echo "$d/400Regular/Sarabun_400Regular.ttf" && echo "$d/700Bold/Sarabun_700Bold.ttf"
}
