# Page-breaking rules read back from poppler's word boxes, on a portrait
# report whose text we control (a kpi.md of our own through --templates):
# N one-line paragraphs, a heading, a long paragraph, a short one and a
# signature, for N = 14..48 so that every rule meets the page end somewhere.
# Exact fit: a page ends where the next line no longer fits above the bottom
# margin (22 mm, room for the two footer lines of a draft), neither earlier nor later; a heading keeps
# with its paragraph; a paragraph leaves neither a single first line at a page
# foot nor a single last line at a page head; a signature keeps what it signs.
plan 7
# (make test: every other N, 18 documents, each rule still met at a page end; KHET_FULL=1, make check-all, all 35)
NS=$(if [ "${KHET_FULL:-0}" = 1 ]; then seq 14 48; else seq 14 2 48; fi)
L="$TMP/lr"; rm -rf "$L"; mkdir -p "$L/pdf"; cp -r templates "$L/t"
for n in $NS; do
  {
    echo "# HEADX เอกสารทดสอบการตัดหน้า"; echo
    for i in $(seq 1 "$n"); do echo "FILLER$i บรรทัดเดียวสั้น ๆ"; echo; done
    echo "## HEADY หัวข้อที่ต้องอยู่กับย่อหน้าถัดไป"; echo
    printf 'ALPHA '; for i in $(seq 1 40); do printf 'ข้อความทดสอบการตัดบรรทัดภาษาไทยคำที่%d ' "$i"; done; echo; echo
    echo "BETA ย่อหน้าที่ลายมือชื่อรับรองต้องอยู่หน้าเดียวกัน"; echo
    printf '```signatures\nSIGNX ผู้อำนวยการ\n```\n'
  } >"$L/t/reports/kpi.md"
  "$KHET" render --templates "$L/t" --report kpi --out "$L/o" --date 2563-10-15 >/dev/null 2>&1 &&
    pdftotext -bbox-layout "$L/o/2563/r12/kpi66.pdf" "$L/pdf/$n.html" 2>/dev/null
done
out=$(python3 - "$L/pdf" <<'PY'
import glob, re, sys, collections
MM = 72 / 25.4
res = collections.Counter()
fails = []
for path in sorted(glob.glob(sys.argv[1] + "/*.html"), key=lambda p: int(re.findall(r"(\d+)\.html", p)[0])):
    n = re.findall(r"(\d+)\.html", path)[0]
    doc = open(path, encoding="utf-8").read()
    pages = []
    for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', doc, re.S):
        ph = float(pm.group(2))
        TOP, BOT = (16, 22) if float(pm.group(1)) > ph else (22, 22)  # landscape or portrait margins, mm
        lines = []
        for lm in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', pm.group(3), re.S):
            words = re.findall(r">([^<]*)</word>", lm.group(5))
            lines.append((float(lm.group(2)), float(lm.group(4)), " ".join(words)))
        # body lines: between the running header and footer (those are in the outer 60 % of the margins)
        body = sorted(l for l in lines if TOP * MM * 0.6 < l[0] and l[1] < ph - BOT * MM * 0.6
                      and "ร่าง" not in l[2] and "·" not in l[2] and not re.fullmatch(r"-\s*\S+\s*-", l[2]))
        pages.append((ph, body, BOT))
    res["documents"] += 1
    def where(tag):
        return [(p, i) for p, (ph, body, BOT) in enumerate(pages) for i, l in enumerate(body) if tag in l[2]]
    alpha = [(p, i) for p, (ph, body, BOT) in enumerate(pages) for i, l in enumerate(body)
             if where("ALPHA") and (p, i) >= where("ALPHA")[0] and (p, i) < where("BETA")[0]]
    hy, beta, sig = where("HEADY"), where("BETA"), where("SIGNX")
    if not (hy and alpha and beta and sig):
        fails.append(f"N={n}: a part is missing"); continue
    # every body line above the bottom margin
    for p, (ph, body, BOT) in enumerate(pages):
        for l in body:
            # poppler's box reaches the font's full descent, below the line's
            # own box: a quarter of the box height is allowed past the margin
            if l[1] > ph - BOT * MM + 0.25 * (l[1] - l[0]):
                fails.append(f"N={n} page {p+1}: '{l[2][:20]}' below the bottom margin ({l[1]:.1f} > {ph - 18*MM:.1f})")
    # keep with next: the heading shares its page with the paragraph's first line
    res["heading_at_page_foot_region"] += hy[0][0] == alpha[0][0] and hy[0][1] >= len(pages[hy[0][0]][1]) - 4
    if hy[0][0] != alpha[0][0]:
        fails.append(f"N={n}: heading HEADY on page {hy[0][0]+1}, its paragraph on {alpha[0][0]+1}")
    # orphans and widows of ALPHA
    per_page = collections.Counter(p for p, i in alpha)
    if len(per_page) > 1:
        res["alpha_split"] += 1
        first, last = min(per_page), max(per_page)
        if per_page[first] < 2 or per_page[last] < 2:
            fails.append(f"N={n}: ALPHA split {dict(per_page)} leaves a single line")
    # signature keeps the paragraph it signs
    if beta[-1][0] != sig[0][0]:
        fails.append(f"N={n}: BETA on page {beta[-1][0]+1}, its signature on page {sig[0][0]+1}")
    res["sig_moved_with_text"] += sig[0][0] > 0 and beta[0] == (sig[0][0], 0)
    # exact fit: a page that ends inside the fillers is full, to one filler step
    fillers = [(p, i, pages[p][1][i]) for p, i in where("FILLER")]
    steps = [b[2][0] - a[2][0] for a, b in zip(fillers, fillers[1:]) if a[0] == b[0]]
    if steps:
        d = min(steps)
        for a, b in zip(fillers, fillers[1:]):
            if b[0] == a[0] + 1:
                ph, BOT = pages[a[0]][0], pages[a[0]][2]
                room = (ph - BOT * MM) - a[2][1]
                res["filler_page_ends"] += 1
                if room >= d + 0.5:
                    fails.append(f"N={n}: page {a[0]+1} ends with {room:.1f} pt free, room for another line ({d:.1f} pt)")
                if room < -0.5:
                    fails.append(f"N={n}: page {a[0]+1} overfull by {-room:.1f} pt")
print(" ".join(f"{k}={v}" for k, v in sorted(res.items())))
for f in fails[:15]:
    print("FAILURE", f)
PY
)
grep -q "documents=$(wc -w <<<"$NS")" <<<"$out" && ok || bad "layout rules: not every sweep document was read: $out"
grep -q "FAILURE.*below the bottom margin" <<<"$out" && bad "text below the bottom margin: $(grep FAILURE <<<"$out" | head -3)" || ok
grep -q "FAILURE.*heading HEADY" <<<"$out" && bad "keep with next broken: $(grep FAILURE <<<"$out" | head -3)" || ok
grep -q "FAILURE.*single line" <<<"$out" && bad "orphan or widow: $(grep FAILURE <<<"$out" | head -3)" || ok
grep -q "FAILURE.*signature" <<<"$out" && bad "a signature left what it signs: $(grep "FAILURE.*signature" <<<"$out" | head -3)" || ok
grep -qE "FAILURE.*(free, room|overfull)" <<<"$out" && bad "pages do not fit exactly: $(grep FAILURE <<<"$out" | head -3)" || ok
# the sweep really met each rule at a page end (else the checks above prove nothing)
grep -qE "alpha_split=[1-9]" <<<"$out" && grep -qE "filler_page_ends=[1-9][0-9]" <<<"$out" && ! grep -q "FAILURE.*missing" <<<"$out" \
  && ok || bad "the sweep no longer reaches the page ends it tests: $out"
