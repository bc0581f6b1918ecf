# Issue 22: exports Excel opens right. CSV carries a UTF-8 BOM and the
# workbook's Thai headers (--headers en for programs); money in baht and
# shares in percent; xlsx needs --out; keys never end up in git.
plan 8

FIN=templates/finance-r8-2563
csv=$("$KHET" score --format csv)
head -1 <<<"$csv" | grep -q $'^\xEF\xBB\xBFรหัสจังหวัด,จังหวัด,เกณฑ์ข้อ,' && ok || bad "CSV without BOM and Thai header: $(head -1 <<<"$csv")"
# the same Thai headers as the workbook's sheet
"$KHET" score --format xlsx --out "$TMP/e.xlsx" 2>/dev/null
rm -rf "$TMP/ex"; mkdir "$TMP/ex"; (cd "$TMP/ex" && unzip -oq ../e.xlsx)
miss=0; IFS=, read -ra h <<<"$(head -1 <<<"$csv" | sed $'s/^\xEF\xBB\xBF//')"
for c in "${h[@]}"; do grep -qF ">$c<" "$TMP/ex/xl/sharedStrings.xml" || { miss=1; echo "not in the workbook: $c" >&2; }; done
[ $miss = 0 ] && [ ${#h[@]} = 17 ] && ok || bad "the CSV's Thai headers are not the workbook's"
# money in baht with two decimals, the percentage 0-100: Udon Thani's claw-back and share as on its scorecard
grep -q '^41,อุดรธานี,1,0,ebitda_sd,.*,76.94,B+,1,4026272.88$' <<<"$csv" && ok || bad "CSV row of 41: $(grep '^41,' <<<"$csv" | head -1)"
en=$("$KHET" score --format csv --headers en)
head -c 5 <<<"$en" | grep -q '^code,' && ok || bad "--headers en: $(head -1 <<<"$en")"
[ "$(tail -n +2 <<<"$en")" = "$(tail -n +2 <<<"$csv")" ] && ok || bad "--headers changes more than the header"
expect 2 "--headers: th \(Thai, for Excel\) or en" -- "$KHET" score --format csv --headers fr
# xlsx without --out: one line, saying what to do
out=$("$KHET" score --format xlsx 2>&1); rc=$?
[ $rc = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "name it with --out FILE.xlsx" <<<"$out" && ok || bad "xlsx without --out: $rc: $out"
# a key and certificate made where the README says are ignored by git
git check-ignore -q office-key.pem && git check-ignore -q office-cert.pem && git check-ignore -q out/x.pdf && ok ||
  bad ".gitignore does not cover keys, certificates and out/"
