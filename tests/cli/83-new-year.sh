# Issue 22: a new month, a new year. October's rows in last year's folder give
# one error per file with the count and the fix; `khet new-year` starts the
# next year's folder; its first month renders "–" where there is nothing to
# compare with.
plan 16

fresh
# every hospital's October 2563 (fiscal year 2564) added to last year's monthly files
for f in finance trial_balance eclaim cmi; do
  awk -F, 'BEGIN{OFS=","} NR>1 && $2=="2562-10" {$2="2563-10"; print}' data/$f.csv >> "$TMP/d/$f.csv"
done
out=$("$KHET" check --data "$TMP/d" 2>&1); rc=$?
[ $rc = 2 ] && ok || bad "check of a folder with next year's months: status $rc"
count_is 4 "one error per monthly file" "error: column 'month' \(เดือน\): 164 rows of this file have months outside fiscal year 2563 \(October 2562 to September 2563\), the first 2563-10 here; 2563-10 is in fiscal year 2564: start that year's folder with .khet new-year --from $TMP/d --to NEW-FOLDER" <<<"$out"
count_is 4 "month errors in all" "error: .*month" <<<"$out"
# the first such row of finance.csv is named: the sample's last line + 1
expect 2 "finance.csv:$(( $(wc -l < data/finance.csv) + 1 )):7: error: column 'month'" -- "$KHET" check --data "$TMP/d"

out=$("$KHET" new-year --from "$TMP/d" --to "$TMP/ny" 2>&1); rc=$?
[ $rc = 0 ] && ok || bad "new-year: status $rc: $out"
grep -q "carried: 164 rows of finance.csv already in fiscal year 2564" <<<"$out" && ok || bad "new-year does not carry October's rows: $out"
# last year's cmi.csv is this year's cmi_prev.csv (its own year's rows only)
[ "$(wc -l < "$TMP/ny/cmi_prev.csv")" = "$(wc -l < data/cmi.csv)" ] && ok || bad "cmi_prev.csv is not last year's cmi.csv"
grep -q '^fiscal_year = 2564$' "$TMP/ny/dataset.ini" && grep -q '^finance_scheme = finance-r8-2564$' "$TMP/ny/dataset.ini" && ok ||
  bad "new dataset.ini: $(cat "$TMP/ny/dataset.ini")"
# the schemes move to the new year, their period with them
grep -q '^fiscal_year = 2564$' "$TMP/ny/finance-r8-2564/scheme.ini" && grep -q '^period_start = 2564-04$' "$TMP/ny/finance-r8-2564/scheme.ini" &&
  grep -q '^period_end = 2564-09$' "$TMP/ny/finance-r8-2564/scheme.ini" && ok || bad "the finance scheme was not moved to 2564"
grep -q "Review before the first render of 2564" <<<"$out" && grep -q "provinces.csv: each province's reserve" <<<"$out" && ok ||
  bad "new-year lists nothing to review: $out"
expect 2 "already holds a dataset.ini" -- "$KHET" new-year --from "$TMP/d" --to "$TMP/ny"
# who prepares the handout and the KPI report stays (issue 20 points 16/17: the new year's folder had no
# contacts.csv, and its handout no ผู้จัดทำ line)
[ "$(tail -n +2 "$TMP/ny/contacts.csv")" = "$(tail -n +2 data/contacts.csv)" ] && grep -q "contacts.csv: who prepares" <<<"$out" &&
  ok || bad "new-year does not carry contacts.csv: $(cat "$TMP/ny/contacts.csv" 2>&1)"
# ... and the meeting's issues start empty, under init's header (the sample's are last year's September's)
[ "$(wc -l <"$TMP/ny/meeting.csv" 2>/dev/null)" = 1 ] && grep -q "(issue)" "$TMP/ny/meeting.csv" &&
  grep -q "meeting.csv start empty" <<<"$out" && ok || bad "new-year's meeting.csv: $(cat "$TMP/ny/meeting.csv" 2>&1)"

# the first month of the new year: once-a-year files filled in, then the handout
tail -n +2 data/efficiency7.csv >> "$TMP/ny/efficiency7.csv"
"$KHET" render --data "$TMP/ny" --out "$TMP/nyo" --report monthly >/dev/null 2>&1 && ok || bad "the new year's first month does not render"
txt=$(pdftotext -layout "$TMP/nyo/2564/r12/monthly-2563-10.pdf" - 2>/dev/null)
# seven provinces, each with its three changes "–"
# (the CMI share has its counts passed/with a target before it, issue 20) (its cells padded 4.5 pt: -layout may set a space before the name)
count_is 7 "province rows with – for every change" '^ *\S+ +[0-9]+/[0-9]+ +[0-9.]+ +– +([0-9]+/[0-9]+ +[0-9.]+|–) +[0-9]+ +– +[0-9]+ +–$' <<<"$txt"
grep -q '±' <<<"$txt" && bad "the first month prints ± changes against no month" || ok
