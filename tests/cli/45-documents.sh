# The documents as a Thai office files them (issue 11): the KPI inspection
# report's stages and statuses, sections and level coverage; official style
# (page numbers, Thai digits only when asked, furniture clear of the edge);
# footers without internal identifiers; units never cut from their numbers.
# (make test: the widths of the unit sweep below, and the per-document sweeps over four documents of each style)
if [ "${KHET_FULL:-0}" = 1 ]; then plan 136; else plan 91; fi
# docs45 DIR: the documents of a style the per-document sweeps read: in make test every kind of document
# with one scorecard of the seven (the other six differ from it only in figures and names), all with KHET_FULL=1
docs45() { if [ "${KHET_FULL:-0}" = 1 ]; then echo "$1"/2563/*/*.pdf; else echo "$1"/2563/r12/*.pdf "$1"/2563/r8/summary.pdf "$1"/2563/r8/scorecard-41.pdf; fi; }
DM="$TMP/dm" DO="$TMP/do"
expect 0 "kpi66.pdf" -- "$KHET" render --out "$DM" --date 2563-10-15
expect 0 "kpi66.pdf" -- "$KHET" render --out "$DO" --date 2563-10-15 --style official
K="$DM/2563/r12/kpi66.pdf"
kt=$(pdftotext "$K" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')  # cells break lines: read it as one line

# the round and the stage in the heading (data to September: 12 months, round 2)
grep -qE "รอบที่ 2 (ร่าง )?ปีงบประมาณ 2563" <<<"$kt" && ok || bad "kpi66 heading lacks the round"
# the stage columns: the heading row (around the word "(ระยะปัจจุบัน)") names 3, 6, 9 and 12 months
hdr=$(pdftotext -bbox "$K" - | awk '
  /<page / { pg++ }
  /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t);
             match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0;
             w[pg, ++n[pg]] = t; wy[pg, n[pg]] = y; if (t == "(ระยะปัจจุบัน)" && !hp) { hp = pg; hy = y } }
  END { for (i = 1; i <= n[hp]; i++) if (wy[hp, i] > hy - 25 && wy[hp, i] < hy + 5) printf "%s ", w[hp, i] }')
for s in 3 6 9 12; do grep -q "\b$s เดือน" <<<"$hdr" && ok || bad "kpi66 lacks the $s-month stage column: $hdr"; done
[ "$(grep -o "Success" <<<"$hdr" | wc -l)" -eq 4 ] && ok || bad "kpi66: not four Small Success columns: $hdr"
grep -q "12 เดือน (ระยะปัจจุบัน)\|(ระยะปัจจุบัน)" <<<"$hdr" && ok || bad "kpi66 does not mark the current stage"

# the statuses under the current stage's column are those of kpi_stages.csv, in order
want=$(awk -F, 'NR > 1 && $4 == 12 {print $6}' data/kpi_stages.csv | tr '\n' ' ')
# (the column's centre: the centre of the header line that ends in "(ระยะปัจจุบัน)", the heading being centred
# in its cell, from its first word on, the words before it at word spacing)
got=$(pdftotext -bbox "$K" - | awk '
  /<page / { pg++ }
  /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t); n++
             match($0, /xMin="[0-9.]+"/); X0[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0;
             match($0, /xMax="[0-9.]+"/); X1[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0;
             match($0, /yMin="[0-9.]+"/); Y[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0; T[n] = t; P[n] = pg
             if (t == "(ระยะปัจจุบัน)" && !cur) cur = n }
  END { if (!cur) exit
        left = X0[cur]
        do { moved = 0; for (i = 1; i <= n; i++) if (P[i] == P[cur] && Y[i] > Y[cur] - 1 && Y[i] < Y[cur] + 1 &&
                                                  X1[i] < left && X1[i] > left - 10) { left = X0[i]; moved = 1 } } while (moved)
        col = (left + X1[cur]) / 2
        for (i = 1; i <= n; i++) if (P[i] >= P[cur] && P[i] <= P[cur] + 1 && (T[i] == "ผ่าน" || T[i] == "ไม่ผ่าน" ||
            T[i] == "อยู่ระหว่างดำเนินการ") && (X0[i] + X1[i]) / 2 > col - 40 && (X0[i] + X1[i]) / 2 < col + 40) printf "%s ", T[i] }')
[ -n "$want" ] && [ "$got" = "$want" ] && ok || bad "kpi66 current-stage statuses: got '$got', want '$want'"

# result against target, levels covered, F3 shown but not counted
grep -q "ประเด็นที่ผ่าน Small Success ระยะ 12 เดือน" <<<"$kt" && ok || bad "kpi66 lacks the result against target"
grep -q "รวมระดับ A–F2" <<<"$kt" && ok || bad "kpi66 CMI total does not say which levels it covers"
grep -q "ระดับ F3.*ไม่นับรวมในตัวชี้วัด" <<<"$kt" && ok || bad "kpi66 does not say F3 is outside the KPI"
# the CMI pass count over A-F2, computed here from cmi.csv, cmi_targets and hospitals.csv (region 12)
n=$(awk -F, 'FNR == 1 { f++ } f == 1 && FNR > 1 && $3 >= 90 { lv[$1] = $4; sz[$1] = $5 }
  f == 2 && FNR > 1 { d[$1] += $3; a[$1] += $4 }
  END { t["A,large"] = 1.6; t["A,small"] = 1.5; t["A,"] = 1.5; t["S,"] = 1.2; t["M1,"] = 1.0; t["M2,"] = 0.8; t["F1,"] = 0.6; t["F2,"] = 0.5;
        for (h in lv) { k = lv[h] "," sz[h]; if (!(k in t)) continue; n++; if (d[h] && a[h] / d[h] >= t[k]) p++ }
        print p " แห่ง จาก " n " แห่ง" }' data/hospitals.csv data/cmi.csv)
grep -q "ผ่านเกณฑ์ CMI ทั้งเขต $n" <<<"$kt" && ok || bad "kpi66 CMI pass count is not '$n'"
# quarters and the previous year
# (four "ไตรมาส" headings over their numbers 1-4: the heading is no wider than its figures, issue 20 point 12)
grep -A1 -E "ไตรมาส +ไตรมาส +ไตรมาส +ไตรมาส" <(pdftotext -layout "$K" - 2>/dev/null) | grep -qE "^ +1 +2 +3 +4( |$)" &&
  grep -q "ปีก่อน" <<<"$kt" && ok || bad "kpi66 lacks CMI by quarter or the previous year"

# the sections: problems and good practice from data; an empty one says so
grep -q "6. ปัญหา/อุปสรรค" <<<"$kt" && grep -q "ยังไม่ผ่านการรับรอง HA" <<<"$kt" && ok || bad "kpi66 lacks its problems"
grep -q "ไม่มีข้อเสนอแนะที่รายงานในรอบที่ 2" <<<"$kt" && ok || bad "kpi66: an empty section does not say so"
grep -q "Thai Refer ไร้เอกสาร" <<<"$kt" && ok || bad "kpi66 lacks its good practice"
fresh; rm "$TMP/d/kpi_notes.csv" "$TMP/d/kpi_stages.csv" "$TMP/d/cmi_prev.csv"
expect 0 "kpi66.pdf" -- "$KHET" render --data "$TMP/d" --out "$TMP/dn" --report kpi
t=$(pdftotext "$TMP/dn/2563/r12/kpi66.pdf" -)
grep -q "ไม่มีข้อมูล Small Success" <<<"$t" && grep -q "ไม่มีปัญหาหรืออุปสรรค" <<<"$t" && ok || bad "kpi66 without the optional files"
# the KPI report alone reads no finance table (README, "A render reads what its documents print"):
# a bad amount there does not stop it (check still says), but its months count for the data's
# last month, and a bad month there stops it as before
fresh; sed -i '5s/^\([0-9]*,[0-9-]*\),[0-9.]*/\1,abc/' "$TMP/d/finance.csv"
expect 0 "kpi66.pdf" -- "$KHET" render --data "$TMP/d" --out "$TMP/dk" --report kpi
expect 2 "finance.csv:5:15: error: column 'cash'" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '5s/^\([0-9]*\),[0-9-]*/\1,2563-13/' "$TMP/d/finance.csv"
expect 2 "finance.csv:5:7: error: column 'month'" -- "$KHET" render --data "$TMP/d" --out "$TMP/dk" --report kpi
fresh; for f in cmi eclaim trial_balance; do sed -i '/,2563-09,/d' "$TMP/d/$f.csv"; done
expect 2 "cmi.csv: error: incomplete data: .*no row for month 2563-09" -- "$KHET" render --data "$TMP/d" --out "$TMP/dk" --report kpi
# bad rows: file:line:column and exit 2
fresh; sed -i '3s/,ผ่าน$/,ผ่านแล้ว/' "$TMP/d/kpi_stages.csv"
expect 2 "kpi_stages.csv:3:[0-9]+: error: column 'status'" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '2s/,1,problem,/,3,problem,/' "$TMP/d/kpi_notes.csv"
expect 2 "kpi_notes.csv:2:[0-9]+: error: column 'round'" -- "$KHET" check --data "$TMP/d"
fresh; sed -i '2s/^10651,2561-10,/10651,2563-10,/' "$TMP/d/cmi_prev.csv"
expect 2 "cmi_prev.csv:2:7: error: column 'month'" -- "$KHET" check --data "$TMP/d"

# no internal identifier in any footer (the bottom 45 pt of each page, landscape or portrait), in either style;
# the footer names the scheme by its Thai title
foot() { # FILE: the words of every page's bottom 45 pt
  pdftotext -bbox "$1" - 2>/dev/null | awk '/<page / { match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
    /<word / { match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0; w = $0; sub(/^.*">/, "", w); sub(/<.*$/, "", w)
      if (y > h - 45) printf "%s ", w }'
}
for f in $(docs45 "$DM") $(docs45 "$DO"); do
  ft=$(foot "$f")
  grep -qE "finance-r8|kpi66-r12|r[0-9]+-25[0-9][0-9]" <<<"$ft" && bad "$f names a scheme by its internal id in a footer" || ok
  # (the monthly handout's footer names the handout itself, not the KPI: issue 20)
  case $f in */monthly-*) want="สรุปสถานการณ์ประจำเดือน" ;; *) want="เกณฑ์การประเมิน|ตัวชี้วัดที่" ;; esac
  grep -qE "$want" <<<"$ft" && ok || bad "$f footer lacks its Thai title ($want): $ft"
done

# Thai digits only when asked: none in the modern style; in the official one no Arabic digit but
# those of codes, levels and foreign names (behaviour changed on purpose: issue 20 point 12)
# Arabic digits left once codes, levels and foreign names are taken out ("F2", "M1", "1SD",
# "7 Plus Efficiency", a five-digit hospital code keep theirs: issue 20 point 12)
# (a formula's operand is a figure of the prose, "n − ๑", "z > ๑.๐๐": sessions 12 and 13; but a risk level,
# "ระดับ 4–7", "รพ.จะนะ (7)"; a telephone number, "0-7431-2346": review point 6; the handout appendix's crisis table's two
# risk levels, its cells after the hospital's level code (S, M2, F3), "S / 7 / 7" in the text: issue 20, LAYOUT_ARABIC)
# (a hospital's level stays Arabic where a line break parts it from the name, "รพ.บางแก้ว / (7)": session 11)
arabic_left() { pdf_text "$1" | perl -0pe 's/\n(A|S|M[12]|F[123]|P)\n\n([0-9]|-)\n\n([0-9])\n/\n$1\n\n\n\n/g; s/(รพ\.\S+)\n(\([0-9]( ใหม่)?\))/$1 $2/g' | sed -E 's/ระดับ [0-9]+([–-][0-9]+)?|รพ\.[^ ]* \([0-9]( ใหม่)?\)|0[0-9-]{8,}[0-9]//g; s/[A-Za-z][0-9]+|[0-9]+ ?[A-Za-z]//g; s/(^|[^0-9,.])[0-9]{5,}([^0-9,.]|$)/\1\2/g' | grep -m1 '[0-9]'; }
for f in $(docs45 "$DM"); do pdf_text "$f" | grep -q '[๐๑๒๓๔๕๖๗๘๙]' && bad "$f has Thai digits unasked" || ok; done
for f in $(docs45 "$DO"); do l=$(arabic_left "$f"); [ -n "$l" ] && bad "$f (official) has Arabic digits: $l" || ok; done

# page numbers: official "- ๒ -" centred at the top from page two, none on page one; modern "หน้า x / y"
for f in "$DO"/2563/r8/summary.pdf "$DO"/2563/r12/kpi66.pdf; do
  n=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
  pdftotext -f 1 -l 1 "$f" - | grep -q "^- ๑ -$" && bad "$f numbers its first page" || ok
  # (every page's word boxes read by one awk over the kept run, not a page_bbox, a sed and an awk a page:
  # the first page from the second on without its centred "- p -", p in Thai digits)
  _pdftext "$f" -bbox
  p=$(awk -v n="$n" -v digits="๐ ๑ ๒ ๓ ๔ ๕ ๖ ๗ ๘ ๙" '
      function done_page() { if (p >= 2 && p <= n && !(y > 0 && y < 60 && c > w / 2 - 15 && c < w / 2 + 5)) { print p; found = 1; exit } }
      BEGIN { split(digits, th, " ") }
      /<page / { p++; c = y = 0; prev = want = ""; for (i = 1; i <= length(p ""); i++) want = want th[substr(p "", i, 1) + 1]
                 match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0 }
      /<word / { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t);
                 match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0;
                 match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0;
                 if (t == want && prev == "-") { c = x0; y = y1 } prev = t }
      /<\/page>/ { done_page() }
      END { if (!found && p < n) print (p < 1 ? 2 : p + 1) }' "$REPLY")
  [ -z "$p" ] || bad "$f page $p: no centred '- $(sed 'y/0123456789/๐๑๒๓๔๕๖๗๘๙/' <<<"$p") -' at the top"
  ok
  pdftotext "$f" - | grep -q "หน้า " && bad "$f (official) still says หน้า x / y" || ok
done
pdftotext -f 2 -l 2 "$DM/2563/r12/kpi66.pdf" - | grep -q "^หน้า 2 / " && ok || bad "modern style lost หน้า x / y"

# running header and footer at least 6 mm (17 pt) from every edge, every page, both styles:
# the ink itself, rendered at 72 dpi (1 px = 1 pt) in grey, must leave those bands white
cat > "$TMP/edges.py" <<'PY'
import sys
def pgm(path):
    d = open(path, 'rb').read()
    parts, i = [], 0
    while len(parts) < 4:
        while d[i:i+1].isspace(): i += 1
        j = i
        while not d[j:j+1].isspace(): j += 1
        parts.append(d[i:j]); i = j
    w, h = int(parts[1]), int(parts[2])
    return w, h, d[i+1:]
bad = 0
for path in sys.argv[1:]:
    w, h, px = pgm(path)
    for y in list(range(17)) + list(range(h - 17, h)):
        row = px[y * w:(y + 1) * w]
        if min(row) < 200:
            print(path, 'ink at row', y); bad = 1; break
    for y in range(h):
        row = px[y * w:(y + 1) * w]
        if min(row[:17]) < 200 or min(row[w - 17:]) < 200:
            print(path, 'ink at the side, row', y); bad = 1; break
sys.exit(bad)
PY
# (each document's pages into a folder of its own, then one python run over all of them: a line per
# page with ink at an edge, each document's check from those)
edocs=("$DM"/2563/r12/*.pdf "$DM"/2563/r8/summary.pdf "$DM"/2563/r8/scorecard-41.pdf "$DO"/2563/r12/*.pdf "$DO"/2563/r8/summary.pdf)
rm -rf "$TMP/edge"; k=0
for f in "${edocs[@]}"; do k=$((k + 1)); mkdir -p "$TMP/edge/$k"; pdftoppm -r 72 -gray "$f" "$TMP/edge/$k/p"; done
inked=$(python3 "$TMP/edges.py" "$TMP"/edge/*/p-*.pgm)
k=0
for f in "${edocs[@]}"; do
  k=$((k + 1)); pgms=("$TMP/edge/$k"/p-*.pgm)
  [ -f "${pgms[0]}" ] && [[ $inked != *"$TMP/edge/$k/"* ]] && ok ||
    bad "$f has ink within 6 mm of the paper's edge: $(grep -m1 -F "$TMP/edge/$k/" <<<"$inked")"
done

# official: the font is TH Sarabun New when present in fonts/, Laksaman otherwise
pdffonts "$DO/2563/r8/summary.pdf" | grep -q Laksaman && ok || bad "official style without TH Sarabun New must use Laksaman"
expect 2 "style must be official or modern" -- bash -c "rm -rf '$TMP/ts5'; cp -r templates '$TMP/ts5'; echo 'style = formal' >> '$TMP/ts5/reports/settings.ini'; '$KHET' render --templates '$TMP/ts5' --out '$TMP/o6' --report summary"
expect 2 "--style: official or modern" -- "$KHET" render --style formal

# no unit or classifier is left at a line end away from its number, across widths
cat > "$TMP/units.txt" <<'TXT'
ประมวลผลข้อมูล 30 กันยายน 2563 ณ วันที่ 10 ตุลาคม 2563 เวลา 16.00 น. โรงพยาบาลในเขตทั้งหมด 77 แห่ง มีการประชุมปีละ 2 ครั้ง และดึงเงินกลับรวม 4,026,272.88 บาท คิดเป็นร้อยละ 76.94 อยู่ในลำดับที่ 1 ของเขต ข้อมูลเดือน ก.ย. 63 ของ รพ.สต. ทุกแห่ง รวม 12 จังหวัด 9 ข้อ 900 คะแนน
TXT
units=$(grep -v '^#' templates/reports/units.txt | grep -v '^$' | sed 's/[.]/[.]/g' | paste -sd'|')
# (every 10 mm and 140 in make test; every 5 mm with KHET_FULL=1, make check-all: the same check at the widths between)
for w in $(if [ "${KHET_FULL:-0}" = 1 ]; then seq 45 5 140; else seq 45 10 135; echo 140; fi); do  # below about 44 mm a glued group at 16 pt is wider than the line: 48-summary-scorecard.sh
  "$KHET" typeset --in "$TMP/units.txt" --out "$TMP/u.pdf" --width "$w" >/dev/null 2>&1 || { bad "typeset --width $w failed"; continue; }
  pdftotext "$TMP/u.pdf" "$TMP/u.text"; awk '!/^หน้า/ && !/^$/' "$TMP/u.text" > "$TMP/u.lines"
  awk -v units="^($units)" 'NR > 1 && prev ~ /([0-9]|๐|๑|๒|๓|๔|๕|๖|๗|๘|๙)$/ && $0 ~ units { print "cut: " prev " | " $0; bad = 1 }
       NR > 1 && prev ~ /(ร้อยละ|ที่|ก\.ย\.)$/ && $0 ~ /^[0-9]/ { print "cut: " prev " | " $0; bad = 1 }
       /^\./ { bad = 1 } { prev = $0 } END { exit bad }' "$TMP/u.lines" >/dev/null \
    || { bad "width $w mm: a unit or number cut at a line end: $(awk 'NR>1{print p" | "$0}{p=$0}' "$TMP/u.lines" | head -3)"; break; }
  ok
done

# the monthly handout names the hospitals at risk level 6-7 this month, with last month's and this month's level,
# exactly those khet score finds (levels from its JSON, not from the PDF)
M="$DM/2563/r12/monthly-2563-09.pdf"
mt=$(pdftotext -layout "$M" - | tr -s ' ')
"$KHET" score --scheme templates/finance-r8-2563 --region 12 --hospitals --format json 2>/dev/null | python3 -c '
import json, sys
for h in json.load(sys.stdin)["hospitals"]:
    r = h["risk"]
    if r[11] is not None and r[11] >= 6:
        print("%s %s %s" % (h["name_th"], r[10], r[11]))' > "$TMP/crisis.txt"
[ -s "$TMP/crisis.txt" ] && ok || bad "the sample has no hospital in crisis to check"
while read -r name before now; do
  grep -q "$name [A-Z0-9]* $before $now" <<<"$mt" && ok || bad "monthly handout does not list $name at $before -> $now"
done < "$TMP/crisis.txt"
[ "$(grep -c "โรงพยาบาล" <<<"$(pdftotext -layout "$M" - | sed -n '/วิกฤต/,$p' | grep -E ' (6|7) +[0-9.-]+ ')")" -ge "$(wc -l < "$TMP/crisis.txt")" ] && ok || bad "monthly handout: crisis list shorter than khet score's"
