# Issue 22: .xlsx workbooks in. The sample data as one workbook written by
# LibreOffice (from a flat OpenDocument file made at run time, converted by
# `soffice --headless`) and by libxlsxwriter (tests/xlsx_write.c: a Thai sheet
# name, months as dates, formulas with cached values, a merged title row)
# score to the same JSON as the CSV folder.
plan 9

XW=${BUILD_TESTS:-build/tests}/xlsx_write
"$KHET" score --format json --hospitals > "$TMP/csv.json" 2>/dev/null
# LibreOffice's workbook: --data BOOK.xlsx with its sheet "dataset"
mkdir -p "$TMP/lo"
python3 tests/xlsx_fods.py data "$TMP/lo/sample.fods"
if timeout $((120 * ${KHET_SLOW:-1})) soffice -env:UserInstallation=file://"$TMP/lo/profile" --headless \
     --convert-to xlsx --outdir "$TMP/lo" "$TMP/lo/sample.fods" >"$TMP/lo/log" 2>&1 && [ -s "$TMP/lo/sample.xlsx" ]; then ok
else bad "LibreOffice did not write the workbook: $(cat "$TMP/lo/log")"; fi
"$KHET" score --data "$TMP/lo/sample.xlsx" --format json --hospitals 2>"$TMP/lo/err" | cmp -s - "$TMP/csv.json" && ok ||
  bad "LibreOffice's workbook scores differently: $(head -3 "$TMP/lo/err")"
# libxlsxwriter's workbook, in a folder of its own with dataset.ini beside it
mkdir -p "$TMP/xw"; "$XW" data "$TMP/xw/ข้อมูล.xlsx" && ok || bad "xlsx_write failed"
"$KHET" score --data "$TMP/xw/ข้อมูล.xlsx" --format json --hospitals 2>"$TMP/xw/err" | cmp -s - "$TMP/csv.json" && ok ||
  bad "libxlsxwriter's workbook scores differently: $(head -3 "$TMP/xw/err")"
rm -rf "$TMP/xwf"; mkdir "$TMP/xwf"; cp "$TMP/xw/ข้อมูล.xlsx" "$TMP/xwf/"; cp data/dataset.ini "$TMP/xwf/"
"$KHET" score --data "$TMP/xwf" --format json --hospitals 2>/dev/null | cmp -s - "$TMP/csv.json" && ok ||
  bad "a folder holding one workbook scores differently"
"$KHET" render --data "$TMP/xwf" --out "$TMP/xwo" --report summary >/dev/null 2>&1 && [ -s "$TMP/xwo/2563/r8/summary.pdf" ] && ok ||
  bad "a folder holding one workbook does not render"
# a mistake in a sheet: the workbook, the sheet, its row and column (C = 3), the value
fresh; sed -i '2s/^10651,2562-10,[0-9]*,/10651,2562-10,12x4,/' "$TMP/d/cmi.csv"
"$XW" "$TMP/d" "$TMP/bad.xlsx"
expect 2 "bad.xlsx\[cmi\]:2:3: error: column 'discharges' \([^)]*\): not a number \('12x4'\)" -- "$KHET" check --data "$TMP/bad.xlsx"
printf 'not a zip' > "$TMP/junk.xlsx"
expect 2 "junk.xlsx: error: not an Excel workbook \(.xlsx\) that can be opened" -- "$KHET" check --data "$TMP/junk.xlsx"
cp "$TMP/xw/ข้อมูล.xlsx" "$TMP/xwf/อีกเล่ม.xlsx"; rm "$TMP/xwf/dataset.ini"
expect 2 "holds two or more workbooks" -- "$KHET" check --data "$TMP/xwf"
