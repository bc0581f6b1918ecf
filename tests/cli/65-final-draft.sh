# Final = draft (issue 21): in the modern and official styles, every archived document (make test: the
# summary, scorecards 41 and 47 and the KPI report; KHET_FULL=1 all) has
# the page count of its draft and the same text on every page, apart from the
# draft mark and the signers' fields (the draft keeps the room of the filled
# signer blocks); archive takes the style from settings.ini or --style, and
# verify renders a --style round again the same way.
plan 14
FIN=templates/finance-r8-2563 KPI=templates/kpi66-r12-2563
sed 's/^scheme,finance-r8-2563,,/scheme,kpi66-r12-2563,,/; s/เขตสุขภาพที่ 8/เขตสุขภาพที่ 12/' data/signoff.csv > "$TMP/fd-kpi.csv"
# same_pages FINAL DRAFT [FINAL DRAFT ...]: for each pair that differs, a line
# "FINAL's NAME: what differs" (none when every final has its draft's pages
# and the same text per page once the draft mark, the blank lines and the
# signer fields are left out); one python run for all the pairs, each
# document read once (tests/pdftext.py, the kept pdftotext outputs)
same_pages() {
  python3 - "$@" <<'PY'
import collections, os, sys
sys.path.insert(0, "tests")
from pdftext import pdftotext
# a page's text without the draft mark and footer and the signers' fields
# (names in brackets, positions, dates), as a count of its characters:
# pdftotext joins or splits lines and words differently around the
# watermark, but a line that moved to another page changes the counts
def pages(f):
    # one pdftotext run: it ends each page's text with a form feed
    out = []
    for t in (pdftotext(f) if os.path.isfile(f) else "").split("\f")[:-1]:
        # (a position may wrap onto the lines after "ตำแหน่ง ", up to the date: a portrait
        # signature page's blocks are narrower)
        keep, in_pos = [], False
        for l in t.splitlines():
            if l.startswith("ตำแหน่ง "):
                in_pos = True
            elif l.startswith("วันที่ ") or l.startswith("("):
                in_pos = False
            elif not in_pos and l.strip() != "ร่าง" and not l.startswith("ร่าง ยังไม่ได้ลงนามรับรอง"):
                keep.append(l)
        keep = "".join(keep)
        out.append(collections.Counter(c for c in keep if not c.isspace() and c != "-"))  # "- ๗ -" joins lines
    return out
args = sys.argv[1:]
for final, draft in zip(args[::2], args[1::2]):
    a, b = pages(final), pages(draft)
    if len(a) != len(b) or not a:
        print("%s: %d pages, the draft %d" % (os.path.basename(final), len(a), len(b)))
        continue
    for i, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            print("%s: page %d differs by %r" % (os.path.basename(final), i, "".join(sorted(((x - y) + (y - x)).elements()))[:40]))
            break
PY
}
for st in modern official; do
  A="$TMP/fd-$st"
  expect 0 "" -- "$KHET" archive --data data --scheme $FIN --signoff data/signoff.csv --archive "$A" --style $st
  "$KHET" archive --data data --scheme $KPI --signoff "$TMP/fd-kpi.csv" --archive "$A" --style $st >/dev/null 2>&1
  "$KHET" render --data data --scheme $FIN --kpi-scheme $KPI --out "$TMP/fd-draft-$st" --style $st --date 2020-10-20 >/dev/null 2>&1
  # (make test compares the summary and two of the seven scorecards, which differ from the other five
  # only in figures and names; KHET_FULL=1, make check-all, all eight documents)
  pairs=() n=0
  for f in "$A"/finance-r8-2563/2563-r1/*.pdf; do
    b=$(basename "$f"); n=$((n + 1))
    [ "${KHET_FULL:-0}" = 1 ] || [[ $b == summary.pdf || $b == scorecard-41.pdf || $b == scorecard-47.pdf ]] || continue
    d="$TMP/fd-draft-$st/2563/r8/$b"; [ -f "$d" ] || d=/nonexistent
    pairs+=("$f" "$d")
  done
  diffs=$(same_pages "${pairs[@]}" 2>&1)
  [ "$n" = 8 ] && [ -z "$diffs" ] && ok || bad "$st style, final vs draft ($n documents): $diffs"
  # the KPI report too: the final keeps the room of the draft's footer line,
  # so each section starts on the page it starts on in the draft
  r=$(same_pages "$A/kpi66-r12-2563/2563-r1/kpi66.pdf" "$TMP/fd-draft-$st/2563/r12/kpi66.pdf" 2>&1)
  [ -z "$r" ] && ok || bad "$st style: kpi66.pdf final vs draft: $r"
done
# the official style's pages are not the modern's (the style took effect)
[ "$(pdfinfo "$TMP/fd-official/finance-r8-2563/2563-r1/scorecard-41.pdf" | awk '/^Pages:/ {print $2}')" != \
  "$(pdfinfo "$TMP/fd-modern/finance-r8-2563/2563-r1/scorecard-41.pdf" | awk '/^Pages:/ {print $2}')" ] && ok ||
  bad "--style official filed the modern layout"
expect 0 "everything holds" -- "$KHET" verify --archive "$TMP/fd-official" --allow-unsigned
pdfdetach -list "$TMP/fd-official/finance-r8-2563/2563-r1/summary.pdf" 2>/dev/null | grep -q " options.ini$" && ok ||
  bad "the --style option is not embedded as options.ini"
# style = official in settings.ini files the official layout without --style
cp -r templates "$TMP/fd-tpl"
sed -i 's/^style = modern$/style = official/' "$TMP/fd-tpl/reports/settings.ini"
expect 0 "" -- "$KHET" archive --data data --scheme $FIN --signoff data/signoff.csv --archive "$TMP/fd-set" \
  --templates "$TMP/fd-tpl"
cmp -s <(pdftotext "$TMP/fd-set/finance-r8-2563/2563-r1/scorecard-41.pdf" -) \
  <(pdftotext "$TMP/fd-official/finance-r8-2563/2563-r1/scorecard-41.pdf" -) && ok ||
  bad "style = official in settings.ini did not give the official layout"

# Each round records the SHA-256 of its font files and the versions of the
# libraries that wrote it; a re-render that differs says which differs.
env=$(sqlite3 "$TMP/fd-modern/ledger.sqlite" "SELECT name || '=' || value FROM environment WHERE round = 'finance-r8-2563/2563-r1'")
grep -qx "font regular=Laksaman.ttf $(sha256sum < fonts/Laksaman.ttf | cut -d' ' -f1)" <<<"$env" &&
  grep -qx "qpdf=$(qpdf --version | awk 'NR == 1 {print $3}')" <<<"$env" && grep -q "^libharu=2\." <<<"$env" && ok ||
  bad "the round does not record its fonts and libraries: $env"
mkdir -p "$TMP/fd-fonts"
cp fonts/NotoSansThai-Regular.ttf "$TMP/fd-fonts/Laksaman.ttf"; cp fonts/NotoSansThai-Bold.ttf "$TMP/fd-fonts/Laksaman-Bold.ttf"
expect 2 "2563-r1: note: font regular: filed with Laksaman.ttf [0-9a-f]{64}, here Laksaman.ttf $(sha256sum < fonts/NotoSansThai-Regular.ttf | cut -d' ' -f1)" -- \
  "$KHET" verify --archive "$TMP/fd-modern" --allow-unsigned --fonts "$TMP/fd-fonts"
# the published formula, fonts and libraries included, gives the ledger's own hashes
insider_copy "$TMP/fd-modern" "$TMP/fd-t"
python3 tests/ledger_rehash.py "$TMP/fd-t" --sql "SELECT 1" --head
expect 0 "everything holds" -- "$KHET" verify --archive "$TMP/fd-t" --allow-unsigned
