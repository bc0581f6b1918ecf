# Issue 22: .xlsx workbooks in. The sample data as one workbook written by
# LibreOffice (from a flat OpenDocument file made at run time, converted by
# `soffice --headless`) and by libxlsxwriter (tests/xlsx_write.c: a Thai sheet
# name, months as dates, formulas with cached values, a merged title row)
# score to the same JSON as the CSV folder. LibreOffice's workbook under
# KHET_FULL=1 only (make check-all): soffice takes seconds to start, and
# libxlsxwriter's workbook reads through the same code.
if [ "${KHET_FULL:-0}" = 1 ]; then plan 15; else plan 13; fi

XW=${BUILD_TESTS:-build/tests}/xlsx_write
"$KHET" score --format json --hospitals > "$TMP/csv.json" 2>/dev/null
# LibreOffice's workbook: --data BOOK.xlsx with its sheet "dataset"
if [ "${KHET_FULL:-0}" = 1 ]; then
  mkdir -p "$TMP/lo"
  python3 tests/xlsx_fods.py data "$TMP/lo/sample.fods"
  if timeout $((120 * ${KHET_SLOW:-1})) soffice -env:UserInstallation=file://"$TMP/lo/profile" --headless \
       --convert-to xlsx --outdir "$TMP/lo" "$TMP/lo/sample.fods" >"$TMP/lo/log" 2>&1 && [ -s "$TMP/lo/sample.xlsx" ]; then ok
  else bad "LibreOffice did not write the workbook: $(cat "$TMP/lo/log")"; fi
  "$KHET" score --data "$TMP/lo/sample.xlsx" --format json --hospitals 2>"$TMP/lo/err" | cmp -s - "$TMP/csv.json" && ok ||
    bad "LibreOffice's workbook scores differently: $(head -3 "$TMP/lo/err")"
fi
# libxlsxwriter's workbook, in a folder of its own with dataset.ini beside it
mkdir -p "$TMP/xw"; "$XW" data "$TMP/xw/ข้อมูล.xlsx" && ok || bad "xlsx_write failed"
"$KHET" score --data "$TMP/xw/ข้อมูล.xlsx" --format json --hospitals 2>"$TMP/xw/err" | cmp -s - "$TMP/csv.json" && ok ||
  bad "libxlsxwriter's workbook scores differently: $(head -3 "$TMP/xw/err")"
rm -rf "$TMP/xwf"; mkdir "$TMP/xwf"; cp "$TMP/xw/ข้อมูล.xlsx" "$TMP/xwf/"; cp data/dataset.ini "$TMP/xwf/"
"$KHET" score --data "$TMP/xwf" --format json --hospitals 2>/dev/null | cmp -s - "$TMP/csv.json" && ok ||
  bad "a folder holding one workbook scores differently"
"$KHET" render --data "$TMP/xwf" --out "$TMP/xwo" --report summary >/dev/null 2>&1 && [ -s "$TMP/xwo/2563/r8/summary.pdf" ] && ok ||
  bad "a folder holding one workbook does not render"
# a workbook folder is filed as it is: the workbook embedded in every document
# (byte for byte), the scheme taken from dataset.ini (no --scheme), and
# verify renders the round again from it; --data BOOK.xlsx too
out=$("$KHET" archive --data "$TMP/xwf" --signoff data/signoff.csv --archive "$TMP/xwa" 2>&1) && ok || bad "archive of a workbook folder: $out"
pdfdetach -save "$(pdfdetach -list "$TMP/xwa/finance-r8-2563/2563-r1/summary.pdf" | awk '/data-.*\.xlsx$/ {sub(":", "", $1); print $1}')" \
  -o "$TMP/filed-book.xlsx" "$TMP/xwa/finance-r8-2563/2563-r1/summary.pdf" 2>/dev/null
cmp -s "$TMP/filed-book.xlsx" "$TMP/xwf/ข้อมูล.xlsx" && ok || bad "the filed round does not carry the workbook"
expect 0 "finance-r8-2563/2563-r1: 8 documents hold: .*same bytes when rendered again, the ledger's figures when scored again" -- \
  "$KHET" verify --archive "$TMP/xwa" --allow-unsigned
"$KHET" archive --data "$TMP/xw/ข้อมูล.xlsx" --signoff data/signoff.csv --archive "$TMP/xwb" >/dev/null 2>&1 &&
  pdfdetach -list "$TMP/xwb/finance-r8-2563/2563-r1/summary.pdf" | grep -q " data-ข้อมูล.xlsx$" && ok ||
  bad "archive --data BOOK.xlsx does not file the round with its workbook"
# a mistake in a sheet: the workbook, the sheet, its row and column (C = 3), the value
fresh; sed -i '2s/^10651,2562-10,[0-9]*,/10651,2562-10,12x4,/' "$TMP/d/cmi.csv"
"$XW" "$TMP/d" "$TMP/bad.xlsx"
expect 2 "bad.xlsx\[cmi\]:2:3: error: column 'discharges' \([^)]*\): not a number \('12x4'\)" -- "$KHET" check --data "$TMP/bad.xlsx"
# what a file that is not a workbook is, at its first byte, and what to do
printf 'code,name\n10,x\n' > "$TMP/junk.xlsx"
expect 2 "junk.xlsx:1:1: error: not an Excel workbook \(.xlsx\): it is a text file \(a CSV file named .xlsx\?\) \(Not a zip archive\); open it in Excel and save it as \"Excel Workbook \(\*.xlsx\)\"" -- \
  "$KHET" check --data "$TMP/junk.xlsx"
printf '\320\317\021\340\241\261\032\341 old' > "$TMP/old.xlsx"
expect 2 "old.xlsx:1:1: error: not an Excel workbook \(.xlsx\): it is an Excel 97-2003 workbook \(.xls\) or a workbook protected with a password" -- \
  "$KHET" check --data "$TMP/old.xlsx"
# a sheet whose XML is cut short: the sheet by its name, and what to do
python3 - "$TMP/xw/ข้อมูล.xlsx" "$TMP/cut.xlsx" <<'PY'
import re, sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
book = src.read("xl/workbook.xml").decode()
rels = src.read("xl/_rels/workbook.xml.rels").decode()
rid = re.search(r'<sheet [^>]*name="cmi"[^>]*r:id="([^"]+)"', book).group(1)
part = "xl/" + re.search(r'Id="%s"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="%s"' % (rid, rid), rels).group(1).lstrip("/")
with zipfile.ZipFile(sys.argv[2], "w") as out:
    for i in src.infolist():
        data = src.read(i.filename)
        out.writestr(i, data[: len(data) // 2] if i.filename == part else data)
PY
expect 2 "cut.xlsx: error: the workbook is damaged: the sheet 'cmi' \(xl/worksheets/sheet[0-9]+.xml\) cannot be read .*save it again" -- \
  "$KHET" check --data "$TMP/cut.xlsx"
cp "$TMP/xw/ข้อมูล.xlsx" "$TMP/xwf/อีกเล่ม.xlsx"; rm "$TMP/xwf/dataset.ini"
expect 2 "holds two or more workbooks \\(.xlsx\\) and no provinces.csv \\(ข้อมูล.xlsx, อีกเล่ม.xlsx\\): keep one workbook" -- "$KHET" check --data "$TMP/xwf"
