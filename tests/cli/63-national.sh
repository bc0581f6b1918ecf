# render --schemes DIR: a national month in one command. The data are loaded
# and checked once, every region's documents go into their own folder, the
# same bytes as each region rendered alone and with any --jobs, all of them
# or none.
plan 11
S="$TMP/nat-schemes"
rm -rf "$S" && mkdir -p "$S"
cp -r templates/finance-r8-2563 "$S/finance-r8-2563"
cp -r templates/kpi66-r12-2563 "$S/kpi66-r12-2563"
cp -r templates/finance-r8-2563 "$S/finance-r12-2563"
sed -i 's/^region = .*/region = 12/; s/^name = .*/name = finance-r12-2563/' "$S/finance-r12-2563/scheme.ini"
N="$TMP/nat-out"
out=$("$KHET" render --schemes "$S" --out "$N" --date 2563-10-15 --jobs 2 2>&1); rc=$?
[ "$rc" = 0 ] && ok || bad "render --schemes exited $rc: $out"
# region 8: its scorecards and summary; region 12: both schemes, so also the KPI report and the handout
n8=$(ls "$N/2563/r8" 2>/dev/null | wc -l); n12=$(ls "$N/2563/r12" 2>/dev/null | wc -l)
[ "$n8" = 8 ] && [ -f "$N/2563/r8/summary.pdf" ] && ok || bad "region 8 has $n8 documents"
[ -f "$N/2563/r12/kpi66.pdf" ] && [ -f "$N/2563/r12/monthly-2563-09.pdf" ] && [ -f "$N/2563/r12/summary.pdf" ] && ok ||
  bad "region 12 lacks a document: $(ls "$N/2563/r12")"
# the same bytes as each region rendered alone, and with --jobs 1
"$KHET" render --scheme "$S/finance-r8-2563" --kpi-scheme none --out "$TMP/nat-r8" --date 2563-10-15 >/dev/null 2>&1
"$KHET" render --scheme "$S/finance-r12-2563" --kpi-scheme "$S/kpi66-r12-2563" --out "$TMP/nat-r12" --date 2563-10-15 >/dev/null 2>&1
diff -r "$TMP/nat-r8/2563/r8" "$N/2563/r8" >/dev/null && ok || bad "region 8 differs from its render alone"
diff -r "$TMP/nat-r12/2563/r12" "$N/2563/r12" >/dev/null && ok || bad "region 12 differs from its render alone"
"$KHET" render --schemes "$S" --out "$TMP/nat-j1" --date 2563-10-15 --jobs 1 >/dev/null 2>&1
diff -r "$TMP/nat-j1" "$N" >/dev/null && ok || bad "--jobs 1 and --jobs 2 differ"
# all or nothing: one broken scheme, and no region's documents are written or replaced
cp -r "$S" "$TMP/nat-bad"
printf 'no,such,header\n' > "$TMP/nat-bad/kpi66-r12-2563/criteria.csv"
before=$(cd "$N" && find . -type f -exec sha256sum {} + | sort)
expect 2 "error" -- "$KHET" render --schemes "$TMP/nat-bad" --out "$N" --date 2563-10-16
after=$(cd "$N" && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] && ok || bad "a failed national batch changed the documents"
rm -rf "$TMP/nat-none"
"$KHET" render --schemes "$TMP/nat-bad" --out "$TMP/nat-none" --date 2563-10-15 >/dev/null 2>&1
[ -z "$(find "$TMP/nat-none" -name '*.pdf' 2>/dev/null)" ] && ok || bad "a failed national batch left documents"
# two finance schemes for one region, and --schemes with --scheme, are refused
cp -r "$S" "$TMP/nat-two" && cp -r "$S/finance-r8-2563" "$TMP/nat-two/finance-r8-copy"
expect 2 "region 8 has two finance schemes" -- "$KHET" render --schemes "$TMP/nat-two" --out "$TMP/nat-two-out"
expect 2 "not with --scheme" -- "$KHET" render --schemes "$S" --scheme templates/finance-r8-2563 --out "$TMP/x"
