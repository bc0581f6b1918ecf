# An installed khet (PREFIX/bin + PREFIX/share/khet) finds its templates and
# fonts from any folder, without the source tree.
plan 2
I="$TMP/inst"
mkdir -p "$I/bin" "$I/share/khet"
cp "$KHET" "$I/bin/khet"
cp -r templates fonts "$I/share/khet/"
( cd "$TMP" && "$I/bin/khet" render --data "$OLDPWD/data" --out "$TMP/io" --report summary >/dev/null 2>&1 )
[ -s "$TMP/io/2563/r8/summary.pdf" ] && ok || bad "the installed khet could not render from another folder"
( cd "$TMP" && "$I/bin/khet" typeset --in "$OLDPWD/tests/fixtures/tricky-words.txt" --out "$TMP/it.pdf" >/dev/null 2>&1 )
[ -s "$TMP/it.pdf" ] && ok || bad "the installed khet could not find its fonts"
