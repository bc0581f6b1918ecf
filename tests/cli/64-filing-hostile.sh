# Hostile archive folders, keys, settings and streams (issue 26): nothing
# below the archive is followed, nothing crashes or waits, a failure leaves
# the world as it was, and the status says which class of failure it was.
plan 74
FIN=templates/finance-r8-2563
H="$TMP/hostile"
mkdir -p "$H"
test_key signer "$H/key.pem" "$H/cert.pem"
arch() { # arch ARCHIVE [more options]: files the sample round (unsigned unless options say)
  local a=$1; shift
  "$KHET" archive --data data --scheme $FIN --signoff data/signoff.csv --archive "$a" "$@"
}
# a folder outside the archive with a file in it, to see whether it is touched
victim() { rm -rf "$H/victim"; mkdir -p "$H/victim"; echo keep > "$H/victim/precious.txt"; }
untouched() { [ "$(ls -A "$H/victim")" = precious.txt ] && [ "$(cat "$H/victim/precious.txt")" = keep ]; }

# 1. a planted staging link is refused and the folder it points at is left whole
victim; A="$H/a1"; mkdir -p "$A"; ln -s "$H/victim" "$A/.staging-finance-r8-2563-2563-r1"
expect 2 "\.staging-finance-r8-2563-2563-r1: error: is a symbolic link" -- arch "$A"
untouched && ok || bad "a staging link made khet archive empty the folder it points at: $(ls -A "$H/victim")"
# 2. a symlinked scheme folder, ledger, or dangling .lock: refused, nothing written through them
victim; A="$H/a2"; mkdir -p "$A"; ln -s "$H/victim" "$A/finance-r8-2563"
expect 2 "finance-r8-2563: error: is a symbolic link" -- arch "$A"
untouched && ok || bad "a symlinked scheme folder had the round filed through it: $(ls -A "$H/victim")"
A="$H/a3"; mkdir -p "$A"; ln -s "$H/victim/ledger.sqlite" "$A/ledger.sqlite"
expect 2 "ledger.sqlite: error: is a symbolic link" -- arch "$A"
untouched && ok || bad "a symlinked ledger was written into its target"
A="$H/a4"; mkdir -p "$A"; ln -s "$H/victim/lock-target" "$A/.lock"
expect 2 "\.lock: error: is a symbolic link" -- arch "$A"
untouched && ok || bad "a dangling .lock link created its target"
A="$H/a5"; mkdir -p "$A/ledger.sqlite"
expect 2 "ledger.sqlite: error: is a folder, where the archive keeps a regular file" -- arch "$A"
[ -z "$(ls -A "$A" | grep -v '^ledger.sqlite$')" ] && ok || bad "a refused archive left: $(ls -A "$A")"

# 3. crashes: an empty font setting, an empty --archive, points that overflow
for f in '' ',' ',Laksaman'; do
  expect 2 "names no main font" -- "$KHET" typeset --in tests/fixtures/tricky-words.txt --out "$H/t.pdf" --font "$f"
done
expect 2 "names no main font" -- "$KHET" render --out "$H/o" --font "" --report summary
mkdir -p "$H/tpl"; cp -r templates/reports "$H/tpl/"; cp -r $FIN templates/kpi66-r12-2563 "$H/tpl/"
sed -i 's/^font *=.*$/font =/' "$H/tpl/reports/settings.ini"
grep -q "^font =$" "$H/tpl/reports/settings.ini" || echo "font =" >> "$H/tpl/reports/settings.ini"
expect 2 "the font setting '' names no main font" -- "$KHET" render --out "$H/o" --templates "$H/tpl" --report summary
expect 2 "the font setting '' names no main font" -- arch "$H/a6" --templates "$H/tpl"
expect 2 "\-\-archive: an archive folder is needed, not an empty name" -- arch ''
for c in verify history "render --report monthly --out $H/o"; do
  # shellcheck disable=SC2086
  expect 2 "\-\-archive: an archive folder is needed, not an empty name" -- "$KHET" $c --archive ''
done
cp -r $FIN "$H/big"; sed -i '2s/^\([^,]*,[^,]*,[^,]*,[^,]*,\)[^,]*,/\11000000000000000,/' "$H/big/criteria.csv"
head -1 "$H/big/criteria.csv" | tr ',' '\n' | sed -n 5p | grep -q max_points && ok || bad "criteria.csv's 5th column is not max_points"
expect 2 "criteria.csv:2:[0-9]+: error: column 'max_points'" -- "$KHET" score --scheme "$H/big"

# 4. keys that would wait for ever: a FIFO, an encrypted key; keys of the wrong kind
mkfifo "$H/fifo.pem"
expect 2 "fifo.pem: error: cannot read the private key: it is not a regular file" -- timeout 20 "$KHET" archive --data data \
  --scheme $FIN --signoff data/signoff.csv --archive "$H/a7" --key "$H/fifo.pem" --cert "$H/cert.pem"
openssl pkey -in "$H/key.pem" -aes256 -passout pass:secret -out "$H/enc.pem" 2>/dev/null
expect 2 "enc.pem: error: the private key is encrypted with a pass phrase" -- timeout 20 setsid "$KHET" archive --data data \
  --scheme $FIN --signoff data/signoff.csv --archive "$H/a7" --key "$H/enc.pem" --cert "$H/cert.pem"
openssl genpkey -algorithm ed25519 -out "$H/ed.pem" 2>/dev/null
expect 2 "ed.pem: error: khet signs with an RSA or ECDSA" -- arch "$H/a7" --key "$H/ed.pem" --cert "$H/cert.pem"
expect 2 "nokey.pem: error: cannot read the private key: No such file or directory" -- \
  arch "$H/a7" --key "$H/nokey.pem" --cert "$H/cert.pem"
[ ! -e "$H/a7/finance-r8-2563" ] && [ -z "$(ls -A "$H/a7" 2>/dev/null | grep staging)" ] && ok ||
  bad "a refused key left a round or a staging folder: $(ls -A "$H/a7")"

# 5. failures that would leave the world changed
A="$H/good"
expect 0 "" -- arch "$A" --key "$H/key.pem" --cert "$H/cert.pem"
"$KHET" render --report monthly --archive "$A" --out "$H/m" --date 2563-10-15 >/dev/null 2>&1
before=$(find "$H/m" -type f | sort | xargs sha256sum)
mkdir -p "$H/bad"; head -c 4096 /dev/urandom > "$H/bad/ledger.sqlite"
expect 2 "ledger.sqlite: error: cannot open the ledger" -- "$KHET" render --report monthly --archive "$H/bad" \
  --out "$H/m" --date 2563-11-20
[ "$(find "$H/m" -type f | sort | xargs sha256sum)" = "$before" ] && ok || bad "a render with an unreadable ledger replaced documents"
expect 2 "ledger.sqlite: error: cannot open the ledger" -- arch "$H/bad"
[ -z "$(ls -A "$H/bad" | grep -v '^ledger.sqlite$\|^.lock$')" ] && ok || bad "a ledger that cannot be opened left: $(ls -A "$H/bad")"
# another schema is not "already filed"
mkdir -p "$H/other"; sqlite3 "$H/other/ledger.sqlite" "CREATE TABLE rounds (x TEXT)"
expect 2 "ledger.sqlite: error: is not a khet ledger" -- arch "$H/other"
# a killed verify's scratch folder is removed by the next one
mkdir -p "$H/tmp"; dead=$(sh -c 'echo $$') # a process id that is gone
mkdir -p "$H/tmp/khet-verify-$dead-abcdef/data"; echo x > "$H/tmp/khet-verify-$dead-abcdef/data/x.csv"
expect 0 "everything holds" -- env TMPDIR="$H/tmp" "$KHET" verify --archive "$A"
[ -z "$(ls -A "$H/tmp")" ] && ok || bad "verify left or kept scratch folders: $(ls -A "$H/tmp")"
# a reader that has gone (a pipe whose reading end is closed): status 1 and
# a sentence, not death by SIGPIPE (Python restores SIGPIPE for the child)
gone() { python3 -c 'import os, subprocess, sys
r, w = os.pipe(); os.close(r)
rc = subprocess.call(sys.argv[1:], stdout=w)
sys.exit(128 - rc if rc < 0 else rc)' "$@"; }
# (the mini round: what the documents say does not matter here)
gone "$KHET" archive "${MINI[@]}" --archive "$H/pipe" 2>"$H/pipe.err"; rc=$?
[ "$rc" = 1 ] && grep -q "cannot write to standard output" "$H/pipe.err" && ok || bad "archive into a closed pipe: status $rc"
gone "$KHET" history --archive "$A" --format json 2>/dev/null; rc=$?
[ "$rc" = 1 ] && ok || bad "history --format json into a closed pipe: status $rc"

# 6. verify's answers: the class of what is in a document's place
# (on the mini round of cli.sh, filed as A was: verify reads two documents, not eight)
AM="$H/mini" RM=$MINI_ROUND
"$KHET" archive "${MINI[@]}" --archive "$AM" --key "$H/key.pem" --cert "$H/cert.pem" >/dev/null 2>&1
tamper() { insider_copy "$AM" "$H/t"; }
R=finance-r8-2563/2563-r1
tamper; rm "$H/t/$RM/summary.pdf"; mkfifo "$H/t/$RM/summary.pdf"
expect 2 "summary.pdf: error: cannot read, not the filed document: it is not a regular file" -- timeout 60 "$KHET" verify --archive "$H/t"
tamper; rm "$H/t/$RM/summary.pdf"; mkdir "$H/t/$RM/summary.pdf"
expect 2 "summary.pdf: error: cannot read, not the filed document: it is a directory" -- "$KHET" verify --archive "$H/t"
tamper; truncate -s 70M "$H/t/$RM/summary.pdf"
expect 2 "summary.pdf: error: cannot read, not the filed document: it is larger" -- "$KHET" verify --archive "$H/t"
# a document cut short is named as no readable PDF, with nothing of qpdf's own on the way
# (qpdf_cleanup printed "WARNING: application did not handle error" for the ledger-head read)
tamper; truncate -s 50000 "$H/t/$RM/summary.pdf"
keep -- "$KHET" verify --archive "$H/t"
grep -q "application did not handle" <<<"$_kept" && bad "verify of a cut document shows qpdf's own warning: $_kept" ||
  kept 2 "summary.pdf: error: not a readable PDF: .*unable to find trailer dictionary"
tamper; ln -sf "$AM/$RM/summary.pdf" "$H/t/$RM/scorecard-11.pdf"
expect 2 "scorecard-11.pdf: error: a symbolic link in place of the filed document" -- "$KHET" verify --archive "$H/t"
tamper; : > "$H/t/ledger.sqlite-journal"
expect 0 "everything holds" -- "$KHET" verify --archive "$H/t"
# names: "a..b.csv" is a name like any other; a name that is not UTF-8 is refused when filing
rm -rf "$H/d"; cp -r data "$H/d"; cp "$H/d/ha.csv" "$H/d/ha..old.csv"
# (and province names a spreadsheet would run, led by CR and LF: history below)
python3 - "$H/d/provinces.csv" <<'EOF'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
names = {"41": '"\r=1+1"', "42": '"\n@SUM(A1)"'}
rows = [",".join([r.split(",")[0], names[r[:2]]] + r.split(",")[2:]) if r[:3] in ("41,", "42,") else r for r in rows]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(rows))
EOF
expect 0 "" -- "$KHET" archive --data "$H/d" --scheme $FIN --signoff data/signoff.csv --archive "$H/dots" \
  --key "$H/key.pem" --cert "$H/cert.pem"
expect 0 "everything holds" -- "$KHET" verify --archive "$H/dots"
rm "$H/d/ha..old.csv"; cp "$H/d/ha.csv" "$H/d/$(printf 'ha-\xff.csv')"
expect 2 "the file name is not UTF-8" -- "$KHET" archive --data "$H/d" --scheme $FIN --signoff data/signoff.csv --archive "$H/nonutf"

# 7. silent acceptance: a repeated round row; files of the scheme folder that are not its CSV and INI
for f in scheme period round signed_off; do
  awk -v f="$f" -F, '{ print } $1 == f { print }' data/signoff.csv > "$H/dup.csv"
  expect 2 "dup.csv:[0-9]+:1: error: a second '$f' row \(the first is on line [0-9]+\)" -- \
    arch "$H/a8" --signoff "$H/dup.csv"
done
# a sign-off without its approver: the whole file's fault, named without a line
grep -v '^ผู้อนุมัติ' data/signoff.csv > "$H/noappr.csv"
expect 2 "noappr.csv: error: a round is signed off by at least one ผู้อนุมัติ" -- arch "$H/a8" --signoff "$H/noappr.csv"
# the first signer too is held to the sign-off date
sed 's/^\(ผู้จัดทำ,.*,\)2563-10-15$/\12563-10-21/' data/signoff.csv > "$H/late.csv"
expect 2 "late.csv: error: นางสาวกัญญารัตน์ ศรีสุข signed after the sign-off date" -- arch "$H/a8" --signoff "$H/late.csv"
cp -r $FIN "$H/sch"; echo "private notes" > "$H/sch/notes.txt"; echo x > "$H/sch/criteria.csv.bak"
echo "# the scheme's own notes" > "$H/sch/README.md" # named as left out: only data/README.md goes without a word
echo "a,b" > "$H/sch/.hidden.csv" # a dot file is not the scheme's either
# (with templates that draw a character no font has: its warning names the
# document the user gets, not the staging file; checked in 10. below)
mkdir -p "$H/tw"; cp -r templates/reports "$H/tw/"; sed -i '0,/^# /s/^# \(.*\)$/# \1 漢/' "$H/tw/reports/summary.md"
a9=$("$KHET" archive --data data --scheme "$H/sch" --signoff data/signoff.csv --archive "$H/a9" --templates "$H/tw" 2>&1)
grep -q "notes.txt: note: not embedded" <<<"$a9" && grep -q "sch/README.md: note: not embedded" <<<"$a9" &&
  ! grep -q "^data/README.md" <<<"$a9" && ok || bad "the scheme's notes and README.md not named as left out, or data/README.md named: $a9"
list=$(pdfdetach -list "$H/a9/$R/summary.pdf" 2>/dev/null)
grep -q "scheme-criteria.csv$" <<<"$list" && ! grep -q "notes.txt\|\.bak\|hidden\|README" <<<"$list" && ok ||
  bad "the scheme's notes or backups, or a README, were embedded: $list"

# 9. exit status: stdout closed or full (README: status 1, for every command
# that prints; verify on the mini round, which it reads four times faster);
# history CSV neutralised like score's
for c in "history --archive $A" "history --archive $A --format json" "verify --archive $AM" \
         "score --scheme $FIN --format csv" "check --data data" "render --out $H/full --report summary"; do
  # shellcheck disable=SC2086
  "$KHET" $c >&- 2>/dev/null; rc1=$?
  # shellcheck disable=SC2086
  "$KHET" $c >/dev/full 2>/dev/null; rc2=$?
  [ $rc1 = 1 ] && [ $rc2 = 1 ] && ok || bad "khet $c with stdout closed: $rc1, full: $rc2 (wanted 1, 1)"
done
csv=$("$KHET" history --archive "$H/dots" --format csv --headers en 2>/dev/null) # (filed above: names led by CR and LF)
python3 -c '
import csv, sys
rows = {r["code"]: r["province"] for r in csv.DictReader(sys.stdin)}
sys.exit(0 if rows.get("41") == "\x27\r=1+1" and rows.get("42") == "\x27\n@SUM(A1)" else 1)' <<<"$csv" && ok ||
  bad "history --format csv did not neutralise CR/LF-led formulas: $(grep -a -A1 '^finance' <<<"$csv" | head -4 | cat -A)"

# 10. messages that name the right thing
# a scheme of another fiscal year is the scheme's fault, not the sign-off's
cp -r $FIN "$H/y64"; sed -i 's/^fiscal_year = 2563/fiscal_year = 2564/; s/^period_start = 2563/period_start = 2564/; s/^period_end = 2563/period_end = 2564/' "$H/y64/scheme.ini"
expect 2 "y64/scheme.ini:[0-9]+:1: error: the scheme finance-r8-2563 is for fiscal year 2564, but the data is for fiscal year 2563" -- \
  "$KHET" archive --data data --scheme "$H/y64" --signoff data/signoff.csv --archive "$H/a10"
# a 250-byte scheme name is bad input at its line, not a runtime failure with an internal path
sed "s/^scheme,finance-r8-2563/scheme,$(printf 'x%.0s' $(seq 250))/" data/signoff.csv > "$H/long.csv"
expect 2 "long.csv:2:[0-9]+: error: the scheme's name is longer than 100 bytes" -- arch "$H/a10" --signoff "$H/long.csv"
# look-alike Thai names: SARA AM against NIKHAHIT + SARA AA
cp -r $FIN "$H/am"; sed -i "s/^name = .*/name = $(printf 'ก\xe0\xb9\x8d\xe0\xb8\xb2ไร')/" "$H/am/scheme.ini"
sed "s/^scheme,finance-r8-2563/scheme,กำไร/" data/signoff.csv > "$H/am.csv"
expect 2 "they differ in code points: the sign-off has U\+0E33, --scheme has U\+0E4D U\+0E32" -- \
  "$KHET" archive --data data --scheme "$H/am" --signoff "$H/am.csv" --archive "$H/a10"
# a warning names the document the user gets, not the staging file (the archive of 7.)
grep -q "^finance-r8-2563/2563-r1/summary.pdf: warning: .* empty boxes" <<<"$a9" && ! grep -q "staging\|\.raw" <<<"$a9" && ok ||
  bad "a warning names the staging file: $(grep -i warning <<<"$a9" | head -3)"
# a ledger locked by another process is a runtime failure (1), said as such
( trap - EXIT; exec python3 -c 'import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None); db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").write("locked"); time.sleep(60)' "$A/ledger.sqlite" "$H/locked" ) &
holder=$!
for _ in $(seq 100); do [ -s "$H/locked" ] && break; sleep 0.1; done
expect 1 "ledger.sqlite: error: cannot open the ledger: another process holds the ledger's lock" -- \
  "$KHET" history --archive "$A"
# and (README) render --archive and archive fail with status 1 and every file as it was
before=$(find "$H/m" -type f | sort | xargs sha256sum)
expect 1 "ledger.sqlite: error: cannot open the ledger: another process holds the ledger's lock" -- \
  "$KHET" render --report monthly --archive "$A" --out "$H/m" --date 2563-11-20
[ "$(find "$H/m" -type f | sort | xargs sha256sum)" = "$before" ] && ok || bad "a render with a locked ledger replaced documents"
sed 's/^round,1,,$/round,2,,/' data/signoff.csv > "$H/so2.csv"
expect 1 "ledger.sqlite: error: cannot open the ledger: another process holds the ledger's lock" -- \
  "$KHET" archive --data data --scheme $FIN --signoff "$H/so2.csv" --archive "$A"
[ ! -e "$A/finance-r8-2563/2563-r2" ] && [ -z "$(ls -A "$A" | grep staging)" ] && ok ||
  bad "an archive into a locked ledger left a round or a staging folder: $(ls -A "$A" "$A/finance-r8-2563")"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# 6 (memory). A document khet cannot read for want of memory is a runtime
# failure (status 1, "cannot read"), never "missing" (false evidence of
# tampering): verify under address-space limits from 400 MB down (every
# 20 MB with KHET_FULL=1), a 60 MB file in a document's place.
tamper; head -c 60M /dev/zero > "$H/t/$RM/summary.pdf"
# from the bottom up (a limit the loader fails at costs nothing) to the
# first that lets verify read as far as the document, then 400 MB. Under
# ASan or valgrind, which reserve terabytes of address space, no such limit
# can be set: those runs check the plain build's answer only by the read.
case "$KHET" in
  */sanitize/*|*valgrind*)
    out=$("$KHET" verify --archive "$H/t" 2>&1); rc=$?
    [ $rc = 2 ] && ! grep -q "summary.pdf: error: missing" <<<"$out" && ok || bad "verify of a 60 MB document: $rc: $out"
    grep -q "summary.pdf: error: its SHA-256 differs" <<<"$out" && grep -q "summary.pdf: error: not a PDF document" <<<"$out" &&
      ok || bad "verify of a 60 MB document: $out" ;;
  *)
    limits="60000 80000 100000 120000 140000 160000 200000 250000 300000"
    [ "${KHET_FULL:-0}" = 1 ] && limits=$(seq 60000 20000 400000)
    said_oom=0 wrong=""
    for lim in $limits 400000; do
      [ $said_oom = 1 ] && [ "$lim" != 400000 ] && [ "${KHET_FULL:-0}" != 1 ] && continue
      out=$( (ulimit -v "$lim"; exec "$KHET" verify --archive "$H/t") 2>&1); rc=$?
      grep -q "summary.pdf: error: missing" <<<"$out" && wrong="$wrong $lim:missing"
      [ "$rc" -le 2 ] || [ "$rc" = 127 ] || wrong="$wrong $lim:status-$rc" # (127: the loader itself fails)
      grep -q "summary.pdf: error: cannot read: Cannot allocate memory" <<<"$out" && [ $rc = 1 ] && said_oom=1
      # read whole: named as no PDF at all (not handed to qpdf to repair), nothing from qpdf itself
      [ "$lim" != 400000 ] || { grep -q "summary.pdf: error: not a PDF document (no %PDF- header" <<<"$out" &&
        ! grep -q "application did not handle" <<<"$out"; } || wrong="$wrong $lim:not-named-as-no-PDF"
    done
    [ -z "$wrong" ] && ok || bad "verify under memory limits:$wrong"
    [ $said_oom = 1 ] && ok || bad "no memory limit made verify say 'cannot read: Cannot allocate memory' with status 1" ;;
esac

# (make mutate's survivors) the ledger records the sign-off date in the
# Buddhist Era as the sign-off says it; a period before 1900 CE is refused
# as a period, not filed as BE 2443
grep -q "^finance-r8-2563/2563-r1 *2563-10-20 " <<<"$("$KHET" history --archive "$A" 2>/dev/null)" && ok ||
  bad "history does not show the sign-off date 2563-10-20: $("$KHET" history --archive "$A" 2>&1 | head -3)"
sed 's/^period,2563,,$/period,2400-09,,/' data/signoff.csv > "$H/old.csv"
expect 2 "old.csv:3:[0-9]+: error: the period is a fiscal year \(2563\) or a month \(2563-09\)" -- arch "$H/a12" --signoff "$H/old.csv"
