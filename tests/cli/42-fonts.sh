# Fonts found as a user expects (issue 27 points 5-8): a font file by its
# path, a family by its name (fonts folder, then fontconfig), bold by the
# font's own weight, a warning when a family has no bold, the bundled font
# drawing what the chosen one lacks (said once), CFF refused by content.
plan 13

FD="$TMP/fontsdir"
mkdir -p "$FD"
printf 'ทดสอบ ABC 123 ได้รับ\n' >"$TMP/f.txt"
T=/usr/share/fonts/truetype
embedded() { pdffonts "$1" 2>/dev/null | tail -n +3 | awk '{print $1}' | sed 's/^[A-Z]*+//' | sort | tr '\n' ' '; }

# a path: that file (it was taken as a family name, fonts//path.ttf.ttf)
expect 0 "" -- "$KHET" typeset --in "$TMP/f.txt" --out "$TMP/p.pdf" --font $T/tlwg/Kinnari.ttf
[[ "$(embedded "$TMP/p.pdf")" == "Kinnari " ]] && ok || bad "--font PATH embeds $(embedded "$TMP/p.pdf")"
# a family name fontconfig knows, with spaces; Latin and digits from the bundled Laksaman, said once
out=$("$KHET" typeset --in "$TMP/f.txt" --out "$TMP/n.pdf" --font "Noto Sans Thai" 2>&1)
[[ "$(embedded "$TMP/n.pdf")" == "Laksaman NotoSansThai-Regular " ]] && ok || bad "Noto Sans Thai embeds $(embedded "$TMP/n.pdf"): $out"
[ "$(grep -c 'drawn in the bundled Laksaman' <<<"$out")" = 1 ] && ok || bad "the fallback is not named once: $out"
[ "$(pdftotext "$TMP/n.pdf" - | head -1)" = "ทดสอบ ABC 123 ได้รับ" ] && ok || bad "Noto + fallback reads back $(pdftotext "$TMP/n.pdf" - | head -1)"
# bold by weight: FreeSerifBold.ttf and Sarabun-style names are found
out=$("$KHET" render --report summary --font FreeSerif --out "$TMP/fs" --date 2563-10-15 2>&1)
grep -q "FreeSerifBold" <<<"$(embedded "$TMP"/fs/*/*/summary.pdf)" && ok || bad "FreeSerif's bold face is not used: $(embedded "$TMP"/fs/*/*/summary.pdf) $out"
cp $T/freefont/FreeSerif.ttf "$FD/MySerif-Book.ttf"
cp $T/freefont/FreeSerifBold.ttf "$FD/Heavy.ttf"
out=$("$KHET" render --report summary --fonts "$FD" --font FreeSerif --out "$TMP/fs2" --date 2563-10-15 2>&1)
grep -q "FreeSerifBold" <<<"$(embedded "$TMP"/fs2/*/*/summary.pdf)" && ok || bad "a bold face under any file name is not found by its weight: $out"
# a family without bold: a warning once, bold drawn heavier (stroked text)
mkdir -p "$FD/nb" && cp $T/tlwg/Kinnari.ttf "$FD/nb/Solo.ttf" && cp fonts/Laksaman*.ttf "$FD/nb/"
out=$("$KHET" render --report summary --fonts "$FD/nb" --font Solo --out "$TMP/nb" --date 2563-10-15 2>&1)
[ "$(grep -c 'has no bold face' <<<"$out")" = 1 ] && ok || bad "no bold face is not said once: $out"
qpdf --qdf --object-streams=disable "$TMP"/nb/*/*/summary.pdf "$TMP/nb.qdf" 2>/dev/null
grep -aq "^2 Tr" "$TMP/nb.qdf" && ok || bad "bold from a regular face is not drawn heavier"
# a CFF font is refused by its content, whatever its file is called
printf 'OTTO\0\0\0\0\0\0\0\0' >"$FD/Pretty.otf"
expect 2 "CFF.*TrueType" -- "$KHET" typeset --in "$TMP/f.txt" --out "$TMP/c.pdf" --font "$FD/Pretty.otf"
# a name nobody has: where khet looked
expect 2 "not found: looked for.*fontconfig" -- "$KHET" typeset --in "$TMP/f.txt" --out "$TMP/x.pdf" --font "No Such Family"
# khet fonts: the Thai families with the file of each face
out=$("$KHET" fonts 2>&1)
grep -A2 '^Kinnari$' <<<"$out" | grep -q "bold: *$T/tlwg/Kinnari-Bold.ttf" && ok || bad "khet fonts: $(head -9 <<<"$out")"
grep -q "^DejaVu" <<<"$out" && bad "khet fonts lists a font without Thai" || ok
