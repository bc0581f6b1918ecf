# An installed khet (PREFIX/bin + PREFIX/share/khet) finds its templates and
# fonts from any folder, without the source tree.
plan 7
I="$TMP/inst"
mkdir -p "$I/bin" "$I/share/khet"
cp "$KHET" "$I/bin/khet"
cp -r templates fonts "$I/share/khet/"
( cd "$TMP" && "$I/bin/khet" render --data "$OLDPWD/data" --out "$TMP/io" --report summary >/dev/null 2>&1 )
[ -s "$TMP/io/2563/r8/summary.pdf" ] && ok || bad "the installed khet could not render from another folder"
( cd "$TMP" && "$I/bin/khet" typeset --in "$OLDPWD/tests/fixtures/tricky-words.txt" --out "$TMP/it.pdf" >/dev/null 2>&1 )
[ -s "$TMP/it.pdf" ] && ok || bad "the installed khet could not find its fonts"
# the built khet (build/khet, beside the source tree) renders from any folder
# (issue 28: it looked in /usr/local/share/khet only); the khet under test is
# put at build/khet of a tree holding the templates and fonts, since a
# sanitizer build lives one folder deeper (build/sanitize/khet)
R=$(pwd)
mkdir -p "$TMP/tree/build"
cp "$KHET" "$TMP/tree/build/khet"
ln -s "$R/templates" "$TMP/tree/templates"
ln -s "$R/fonts" "$TMP/tree/fonts"
( cd "$TMP" && "$TMP/tree/build/khet" render --data "$R/data" --out "$TMP/bo" --report summary >/dev/null 2>&1 )
[ -s "$TMP/bo/2563/r8/summary.pdf" ] && ok || bad "the built khet could not render from another folder"
# a khet with neither: the message lists every folder it looked in
mkdir -p "$TMP/lone"
cp "$KHET" "$TMP/lone/khet"
out=$(cd "$TMP" && "$TMP/lone/khet" render --data "$R/data" --out "$TMP/lo" --report summary 2>&1)
grep -q "looked in ./templates, $TMP/lone/../templates, .*share/khet/templates" <<<"$out" && ok || bad "no list of the folders looked in: $out"
# every command that sets text takes --fonts
for cmd in "render --data $R/data --out $TMP/fo --report summary --templates $R/templates" \
           "typeset --in $R/tests/fixtures/tricky-words.txt --out $TMP/ft.pdf"; do
  (cd "$TMP" && "$TMP/lone/khet" $cmd --fonts "$R/fonts" >"$TMP/f.out" 2>&1) && ok || bad "$cmd --fonts: $(cat "$TMP/f.out")"
done
"$KHET" archive --help | grep -q -- "--fonts" && "$KHET" verify --help | grep -q -- "--fonts" && ok || bad "archive or verify has no --fonts"
