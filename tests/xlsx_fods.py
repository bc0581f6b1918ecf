#!/usr/bin/env python3
"""Writes a data folder's CSV files (and dataset.ini as a sheet "dataset")
as one flat OpenDocument spreadsheet (.fods): one sheet a file, numbers as
numbers (codes with a leading zero stay text), months as dates shown as
year-month. LibreOffice then saves it as .xlsx: a workbook written by
LibreOffice, for tests/cli/86-xlsx.sh. Standard library only."""
import csv, os, re, sys
from xml.sax.saxutils import escape

src, out = sys.argv[1], sys.argv[2]
NUM = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")

def cell(v):
    m = MONTH.match(v)
    if m:  # a month typed in Excel becomes a date: the first of the month, CE
        y, mo = int(m.group(1)), int(m.group(2))
        if y >= 2400:
            y -= 543
        return ('<table:table-cell table:style-name="ym" office:value-type="date" '
                f'office:date-value="{y:04d}-{mo:02d}-01"><text:p>{y:04d}-{mo:02d}</text:p></table:table-cell>')
    if NUM.match(v) and not (v.startswith("0") and len(v) > 1 and "." not in v):
        return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                f'<text:p>{v}</text:p></table:table-cell>')
    return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'

sheets = []
for f in sorted(os.listdir(src)):
    if f.endswith(".csv"):
        rows = list(csv.reader(open(os.path.join(src, f), encoding="utf-8-sig", newline="")))
        sheets.append((f[:-4], rows))
ini = [l.split("=", 1) for l in open(os.path.join(src, "dataset.ini"), encoding="utf-8")
       if "=" in l and not l.lstrip().startswith(";")]
sheets.append(("dataset", [["key", "value"]] + [[k.strip(), v.strip()] for k, v in ini]))
with open(out, "w", encoding="utf-8") as o:
    o.write('<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
            'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
            'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '<office:automatic-styles><number:date-style style:name="N1"><number:year number:style="long"/>'
            '<number:text>-</number:text><number:month number:style="long"/></number:date-style>'
            '<style:style style:name="ym" style:family="table-cell" style:data-style-name="N1"/>'
            '</office:automatic-styles><office:body><office:spreadsheet>')
    for name, rows in sheets:
        o.write(f'<table:table table:name="{escape(name)}">')
        for r in rows:
            o.write("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>")
        o.write("</table:table>")
    o.write("</office:spreadsheet></office:body></office:document>")
