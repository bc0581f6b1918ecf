#!/bin/bash
# End-to-end tests of the khet command line on the sample data and on broken
# copies of it. Prints "N passed, N failed" and exits non-zero on any failure.
#
# Checks cannot vanish silently: every tests/cli/NN-*.sh declares how many
# checks it runs with `plan N` (one per ok/bad/expect/kept/count_is call it makes);
# a file that runs fewer or more, or declares none, is a failure, and the
# closing line is compared with the sum of the plans.
# `bash tests/cli.sh tests/cli/20-score.sh ...` runs only the files named.
# CLI_RESULT=FILE (set by `make test`, which runs one file per job) also
# writes "passed failed planned files" there for the closing summary.
set -u
KHET=${KHET:-build/khet}
KHET=$(cd "$(dirname "$KHET")" && pwd)/$(basename "$KHET")
cd "$(dirname "$0")/.."
# The scratch folder: on a tmpfs (/dev/shm) when there is one that runs
# programs and has a gigabyte free, with TMPDIR there too for what khet and
# the tools write (khet archive and verify fsync every file they write: on
# a disk-backed /tmp that was a fifth of their processor time); else in
# TMPDIR (or /tmp) as given.
TMP=""
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 + 0 }')" -ge 1048576 ] &&
   TMP=$(mktemp -d -p /dev/shm khet-test.XXXXXX 2>/dev/null) && cp /bin/true "$TMP/.x" 2>/dev/null && "$TMP/.x"; then
  rm -f "$TMP/.x"; export TMPDIR=/dev/shm
else
  [ -z "$TMP" ] || rm -rf "$TMP"
  TMP=$(mktemp -d)
fi
export PDFTEXT_CACHE=$TMP/.pdftext # (tests/pdftext.py: the scripts read the same kept outputs)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT # filed rounds are read-only
pass=0 fail=0 planned=0 plan_n=-1

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# plan N: this file runs N checks (each ok, bad, expect, kept or count_is is one).
plan() { plan_n=$1; }
# _matches PATTERN TEXT: a line of TEXT matches the extended regular
# expression PATTERN (`grep -qE`). A pattern without operators (a '.' aside,
# which also matches itself) found as a substring needs no grep started: the
# same answer (about 400 greps of a make test); else grep decides.
_matches() {
  case $1 in
    *[][\\^\$\(\)\|\*\+\?\{\}]*) ;;
    *) [[ $2 == *"$1"* ]] && return 0 ;;
  esac
  grep -qE -- "$1" <<<"$2"
}
# expect STATUS PATTERN -- command...: the exit status and a line of stderr+stdout.
expect() {
  local want=$1 pat=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then bad "$* exited $rc, wanted $want: $out"; return; fi
  if [ -n "$pat" ] && ! _matches "$pat" "$out"; then bad "$*: no line matching '$pat' in: $out"; return; fi
  ok
}
# keep -- command...: runs the command once and keeps its status and output
# (stderr+stdout) for the `kept` checks that follow: several things asserted
# of one run of a slow command (khet verify) without running it again.
keep() {
  shift; _kept_cmd="$*"
  _kept=$("$@" 2>&1); _kept_rc=$?
}
# kept STATUS PATTERN: the kept run exited STATUS and printed a line matching PATTERN (one check).
kept() {
  if [ "$_kept_rc" != "$1" ]; then bad "$_kept_cmd exited $_kept_rc, wanted $1: $_kept"; return; fi
  if [ -n "$2" ] && ! _matches "$2" "$_kept"; then bad "$_kept_cmd: no line matching '$2' in: $_kept"; return; fi
  ok
}
# count_is N WHAT PATTERN <<<"$text": exactly N lines of the text match PATTERN
# (a renamed heading or a lost row then fails instead of passing vacuously).
count_is() {
  local want=$1 what=$2 pat=$3 n
  n=$(grep -cE -- "$pat")
  [ "$n" = "$want" ] && ok || bad "$what: found $n, wanted $want (pattern '$pat')"
}
fresh() { rm -rf "$TMP/d"; cp -r data "$TMP/d"; }
# The smallest round khet files: two documents (a scorecard and a summary)
# from tests/fixtures/archive-0.1.0's data (the mini fixture cut to province
# 11), scheme and sign-off, filed as round $MINI_ROUND, for the tests of keys,
# certificates and stages, where what the documents say does not matter:
# filing and verifying the sample's eight costs five times as much.
MINI=(--data tests/fixtures/archive-0.1.0/data --scheme tests/fixtures/mini-scheme
      --signoff tests/fixtures/archive-0.1.0/signoff.csv)
MINI_SIGNOFF=tests/fixtures/archive-0.1.0/signoff.csv MINI_ROUND=mini/2563-r1
# test_key NAME KEY CERT: a test RSA key and certificate (tests/keys.sh names
# them), copied from the set make test makes once ($BUILD_TESTS/keys), or
# made here when a file runs alone.
test_key() {
  if [ -n "${BUILD_TESTS:-}" ] && [ -s "$BUILD_TESTS/keys/$1.key" ] && [ -s "$BUILD_TESTS/keys/$1.pem" ]; then
    cp "$BUILD_TESTS/keys/$1.key" "$2" && cp "$BUILD_TESTS/keys/$1.pem" "$3"
  else
    bash tests/keys.sh "$1" "$2" "$3"
  fi
}
# test_pki DIR: the per-signer tests' PKI (tests/keys.sh pki lists it) in
# DIR, copied from the one make test makes once ($BUILD_TESTS/pki), or made
# here when a file runs alone.
test_pki() {
  if [ -n "${BUILD_TESTS:-}" ] && [ -f "$BUILD_TESTS/pki/.made" ]; then
    mkdir -p "$1" && cp "$BUILD_TESTS/pki"/*.pem "$BUILD_TESTS/pki"/*.key "$1"/
  else
    bash tests/keys.sh pki "$1"
  fi
}
# page_text FILE N and page_bbox FILE N: what `pdftotext -f N -l N [-bbox]
# FILE -` prints (without the closing form feed), cut from one pdftotext run
# per file and kind, kept in $TMP/.pdftext until the file changes (newer
# than the copy): a loop over a document's pages runs pdftotext once.
# A kept output is the file's while its inode, size and change time (which
# no copy can set back, unlike cp -a's modification time) are the same.
tsa_cnf() { # tsa_cnf DIR CHAIN: `openssl ts`'s configuration (DIR/tsa.cnf) for the local
  # time-stamp authority of tests/tsa_responder.py, signing with DIR/tsa.{pem,key}
  # and sending the CHAIN certificates with each token
  echo 01 > "$1/tsa.serial"
  cat > "$1/tsa.cnf" <<CNF
[ tsa ]
default_tsa = khet_test
[ khet_test ]
serial = $1/tsa.serial
signer_cert = $1/tsa.pem
certs = $2
signer_key = $1/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_alg = sha256
CNF
}
_pdftext() { # _pdftext FILE [KIND [F L]]: REPLY = the kept output's name (KIND: -layout, -bbox
  # or -bbox-layout; pages F to L, L 0 the last, or the whole document without them)
  REPLY="$TMP/.pdftext/${1//\//%}${2:-}${3:+@$3-$4}"
  local stamp=${_pdftext_stamp:-} kept=""
  [ -n "$stamp" ] || stamp=$(stat -L -c '%d %i %s %.9Z' -- "$1" 2>/dev/null)
  [ -f "$REPLY" ] && read -r kept <"$REPLY.stamp" 2>/dev/null
  if [ "$kept" != "$stamp" ]; then
    [ -d "$TMP/.pdftext" ] || mkdir -p "$TMP/.pdftext"
    # (the copy: one name per shell, written over each time, gone with $TMP)
    local src="$TMP/.pdftext/.copy-$BASHPID.pdf"
    # pdftotext reads a copy with two keys renamed (the same length: every
    # offset stays; the text, word boxes and layout are the same), each
    # nothing to do with the text and most of poppler's time:
    # - an archived (PDF/A) document's sRGB output intent has poppler build a
    #   LittleCMS transform for every page: 80 % of pdftotext's time on it
    #   (0.16 s for a 13-page scorecard, 0.03 s without);
    # - each font's CIDToGIDMap is decoded again on every page (it was up to
    #   115 KB and 40 % of pdftotext's instructions before khet 0.3.0 gave
    #   shifted marks codes from U+0001; still a 16 KB map per font, and
    #   older documents' maps are read too). The glyph numbers
    #   are for drawing; the text is the ToUnicode's, the boxes the W's (the
    #   same output, byte for byte, on the 407 documents and kinds make test reads).
    LC_ALL=C sed 's|/OutputIntents|/OutputIntentZ|g; s|/CIDToGIDMap|/CIDToGIDMaX|g' "$1" >"$src" 2>/dev/null || src=$1
    local pages=()
    [ -z "${3:-}" ] || pages=(-f "$3")
    [ "${4:-0}" = 0 ] || pages+=(-l "$4")
    command pdftotext "${pages[@]}" ${2:-} "$src" "$REPLY" 2>/dev/null || : >"$REPLY"
    [ ! -e "$REPLY.n" ] || rm -f "$REPLY.n"
    echo "$stamp" >"$REPLY.stamp"
  fi
}
pdf_text() { _pdftext "$1"; cat "$REPLY"; } # the whole text, as `pdftotext FILE -`
# pdftotext [-f N] [-l N] [-layout|-bbox|-bbox-layout] FILE -: the same bytes
# as poppler's pdftotext, cut from the one run per file and kind that
# _pdftext keeps (a test reads a document in several ways and page by page:
# 56-inspector ran pdftotext 495 times over 40 documents). A page range of a
# document not yet read whole is read alone, and kept (the cover of a
# 100-page booklet costs a hundredth of the whole), up to two ranges per
# document and kind; the third reads it whole. Into an output file, it reads
# the same renamed copy (see _pdftext) and keeps nothing. Anything else (other
# options, a file that is not a readable PDF, a page range outside the
# document, an error) runs poppler's pdftotext itself.
pdftotext() {
  local f=1 l=0 kind="" n args=("$@") whole kept=""
  while [ $# -gt 2 ]; do
    case $1 in
      -f | -l) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || break
               if [ "$1" = -f ]; then f=$2; else l=$2; fi; shift 2 ;;
      -layout | -bbox | -bbox-layout) [ -z "$kind" ] || break; kind=$1; shift ;;
      *) break ;;
    esac
  done
  local head=""
  [ $# = 2 ] && [ -f "$1" ] && [ -r "$1" ] && IFS= read -r -n 5 head <"$1" 2>/dev/null
  if [ "$head" != "%PDF-" ]; then
    command pdftotext "${args[@]}"; return
  fi
  if [ "$2" != - ]; then # into a file: not kept, but read from the same renamed copy
    local copy="$TMP/.pdftext/.copy-$BASHPID.pdf" rc
    [ -d "$TMP/.pdftext" ] || mkdir -p "$TMP/.pdftext"
    LC_ALL=C sed 's|/OutputIntents|/OutputIntentZ|g; s|/CIDToGIDMap|/CIDToGIDMaX|g' "$1" >"$copy" 2>/dev/null &&
      command pdftotext "${args[@]:0:${#args[@]}-2}" "$copy" "$2"
    rc=$?
    [ $rc = 0 ] || command pdftotext "${args[@]}"
    return
  fi
  local stamp
  stamp=$(stat -L -c '%d %i %s %.9Z' -- "$1" 2>/dev/null)
  if [ "$f" != 1 ] || [ "$l" != 0 ]; then
    whole="$TMP/.pdftext/${1//\//%}$kind"
    [ -f "$whole" ] && read -r kept <"$whole.stamp" 2>/dev/null
    local ranges=("$whole"@*[0-9]) # (the ranges kept: files, as most calls run in a subshell)
    [ -e "${ranges[0]}" ] || ranges=()
    if [ "$kept" != "$stamp" ] && { [ ${#ranges[@]} -lt 2 ] || [ -f "$whole@$f-$l" ]; }; then
      _pdftext_stamp=$stamp _pdftext "$1" "$kind" "$f" "$l"
      if [ -s "$REPLY" ]; then cat "$REPLY"; else command pdftotext "${args[@]}"; fi
      return
    fi
  fi
  _pdftext_stamp=$stamp _pdftext "$1" "$kind"
  # the page count, counted once per kept output (REPLY.n)
  if ! { [ -f "$REPLY.n" ] && read -r n <"$REPLY.n"; }; then
    if [ -n "$kind" ] && [ "$kind" != -layout ]; then n=$(grep -c '^ *<page ' "$REPLY"); else n=$(tr -cd '\f' <"$REPLY" | wc -c); fi
    echo "$n" >"$REPLY.n"
  fi
  { [ "$l" = 0 ] || [ "$l" -gt "$n" ]; } && l=$n
  if [ "$n" = 0 ] || [ "$f" -gt "$l" ]; then
    command pdftotext "${args[@]}"; return
  fi
  if [ -z "$kind" ] || [ "$kind" = -layout ]; then
    awk -v f="$f" -v l="$l" 'BEGIN { RS = "\f"; ORS = "" } NR >= f && NR <= l { print $0 "\f" }' "$REPLY"
  else
    awk -v f="$f" -v l="$l" -v n="$n" '/^ *<page / { p++; in_page = 1 }
      p == 0 || (p >= f && p <= l) || (p == n && !in_page) { print } /^ *<\/page>/ { in_page = 0 }' "$REPLY"
  fi
}
page_text() { _pdftext "$1"; awk -v p="$2" 'BEGIN { RS = "\f" } NR == p { printf "%s", $0; exit }' "$REPLY"; }
page_bbox() {
  _pdftext "$1" -bbox
  awk -v p="$2" '/<page / { n++ } n == p { print } n == p && /<\/page>/ { exit }' "$REPLY"
}
# insider_copy SRC DST: a copy of a filed archive (whose rounds are read-only,
# 0555/0444) made writable again, as anyone who owns the folder can; DST first
# removed, writable or not.
insider_copy() {
  [ -e "$2" ] && chmod -R u+w "$2"
  rm -rf "$2" && cp -a "$1" "$2" && chmod -R u+w "$2"
}

files=("$@")
[ ${#files[@]} -gt 0 ] || files=(tests/cli/*.sh)
for _cli_file in "${files[@]}"; do
  plan_n=-1
  _cli_before=$((pass + fail))
  # shellcheck source=/dev/null
  . "$_cli_file"
  _cli_ran=$((pass + fail - _cli_before))
  if [ "$plan_n" -lt 0 ]; then
    bad "$_cli_file declares no plan: add 'plan $_cli_ran' at its top if $_cli_ran is the number of checks it means to run"
  else
    planned=$((planned + plan_n))
    [ "$_cli_ran" = "$plan_n" ] || bad "$_cli_file ran $_cli_ran checks but plans $plan_n: a check vanished or was added without its plan"
  fi
done

echo "cli: $pass passed, $fail failed ($planned planned in ${#files[@]} files)"
[ -z "${CLI_RESULT:-}" ] || echo "$pass $fail $planned ${#files[@]}" >"$CLI_RESULT"
[ "$fail" -eq 0 ] && [ "$pass" -eq "$planned" ]
