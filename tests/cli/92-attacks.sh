# Attacks on a running khet serve (127.0.0.1, accounts on): CSRF without a
# token on every state change, another role's session, forged and ended
# sessions, path traversal in every parameter, oversized bodies, a zip of
# 1,000 entries and one with ../ names, malformed requests (each of 18 kinds
# six times; 1,000 with KHET_FULL=1: make check-all) and slow
# clients (tests/serve_attacks.py): each refused, the server still serving.
# The sign-off's endpoints too: another role's session, a replayed CSRF
# token, an account not named in the round, keys that are not PKCS#12
# files, huge, a CA's or locked with another phrase, traversal in names.
plan 28
. tests/serve_lib.sh
U="$SV/users-attack"; K="$SV/keys-attack"
# (the accounts and keys written as the server keeps them, with cheap hashes: about 20
# logins; --add-user and the product's hashes are 90's and 93's: tests/serve_lib.sh)
make_signers "$U" "$K" cheap
cheap_account "$U" chai2 checker
cheap_account "$U" adam admin
serve_start --users "$U" --keys "$K"
login() { # login NAME [PASSWORD]: a fresh session in $C, its token in TOK
  rm -f "$C"; TOK=$(get /api/session | J .csrf)
  TOK=$(post -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"${2:-$1-password}\"}" "$B/api/login" | J .csrf)
}
code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
# codes OPTION... -- URL...: the HTTP status of each URL, a line each, from one
# curl run (each URL a transfer of its own with the same options: --next)
codes() {
  local opts=() args=() u
  while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
  for u in "$@"; do args+=(--next -s -o /dev/null -w '%{http_code}\n' --path-as-is "${opts[@]}" "$u"); done
  curl "${args[@]:1}"
}
jcode() { post -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$B$1"; }
login olan
# an upload to attack: workspace 1 with a rendered job 1
(cd "$SV" && rm -rf z && mkdir -p z/data && cp "$OLDPWD"/data/*.csv "$OLDPWD"/data/dataset.ini z/data && cd z && zip -qr ../ok.zip data)
ws=$(post --data-binary @"$SV/ok.zip" "$B/api/upload?name=ok.zip" | J .ws)
job=$(post -H 'Content-Type: application/json' -d "{\"ws\":$ws,\"report\":\"summary\"}" "$B/api/render" | J .job)
[ "$ws" = 1 ] && [ "$job" = 1 ] && ok || bad "setting up: ws=$ws job=$job"

# CSRF: every POST without the token, or with another session's
bads=""
ps=("/api/login" "/api/logout" "/api/upload?name=a.csv&ws=1" "/api/render" "/api/round/start" "/api/round/sign"
    "/api/round/cancel" "/api/key" "/api/users" "/api/setup")
mapfile -t c1 < <(codes -b "$C" -H 'Content-Type: application/json' -d '{"ws":1}' -- "${ps[@]/#/$B}")
mapfile -t c2 < <(codes -b "$C" -H "X-CSRF-Token: $(printf '%064d' 0)" -d '{"ws":1}' -- "${ps[@]/#/$B}")
for i in "${!ps[@]}"; do
  [ "${c1[$i]:-}" = 403 ] || bads="$bads ${ps[$i]}=${c1[$i]:-}"
  [ "${c2[$i]:-}" = 403 ] || bads="$bads ${ps[$i]}(forged)=${c2[$i]:-}"
done
[ -z "$bads" ] && ok || bad "POST without a valid CSRF token not refused:$bads"

# traversal and injection in every parameter
bads=""
mapfile -t us <<EOT
/api/file?ws=1&job=1&name=../../../../../../etc/passwd
/api/file?ws=1&job=1&name=2563/r8/../../../stderr.pdf
/api/file?ws=1&job=1&name=2563%2Fr8%2F..%2F..%2Fx.pdf
/api/file?ws=1&job=1&name=/etc/passwd.pdf
/api/file?ws=1&job=1&name=2563/r8/summary.pdf%00.txt
/api/file?ws=1&job=1&name=2563\\r8\\..\\..\\x.pdf
/api/file?ws=-1&job=1&name=2563/r8/summary.pdf
/api/file?ws=1/../0&job=1&name=2563/r8/summary.pdf
/api/file?ws=1&job=../../ws-0&name=2563/r8/summary.pdf
/api/file?ws=1&job=99999999999999&name=2563/r8/summary.pdf
/api/zip?ws=..&job=1
/api/zip?ws=1&job=1/../../..
/api/check?ws=../../../etc
/api/check?ws=%2e%2e
/api/score?ws=1&scheme=../../etc
/api/score?ws=1&scheme=/etc
/api/score?ws=1&scheme=finance-r8-2563/../../data
/../../../etc/passwd
/%2e%2e/%2e%2e/etc/passwd
/fonts/../../../etc/passwd
/fonts/..%2f..%2fetc%2fpasswd
/src/serve.c
/web/index.html
EOT
mapfile -t cs < <(codes -b "$C" -- "${us[@]/#/$B}")
for i in "${!us[@]}"; do case ${cs[$i]:-} in 400|404) ;; *) bads="$bads ${us[$i]}=${cs[$i]:-}" ;; esac; done
[ -z "$bads" ] && ok || bad "traversal not refused:$bads"
bads=""
for body in '{"ws":1,"province":"../41"}' '{"ws":1,"month":"2563-09/../x"}' '{"ws":1,"date":"$(id)"}' \
            '{"ws":1,"style":"official --out /tmp"}' '{"ws":1,"report":"../../etc"}' '{"ws":"1"}' '{"ws":-1}' \
            '{"ws":1,"report":"scorecard","province":"41","x":"--out=/"}' 'not json' '[]'; do
  c=$(post -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$B/api/render")
  case $c in 400|404) ;; 200) [[ $body == *'"x"'* ]] || bads="$bads $body=$c" ;; *) bads="$bads $body=$c" ;; esac
done
[ -z "$bads" ] && ok || bad "render options outside their patterns not refused:$bads"
bads=""
ns=("../../evil.csv" "..%2f..%2fevil.csv" "/etc/evil.csv" ".hidden.csv" "a%20b.csv" "x.sh" "x.csv%00.zip" "%E0%B8%81.csv")
us=(); for n in "${ns[@]}"; do us+=("$B/api/upload?name=$n&ws=1"); done
mapfile -t cs < <(codes -b "$C" -c "$C" -H "X-CSRF-Token: $TOK" --data-binary @"$SV/ok.zip" -- "${us[@]}")
for i in "${!ns[@]}"; do [ "${cs[$i]:-}" = 400 ] || bads="$bads ${ns[$i]}=${cs[$i]:-}"; done
[ -z "$bads" ] && ok || bad "upload names not refused:$bads"
# a zip whose entries climb out: kept by their last name inside the workspace only
python3 - "$SV/climb.zip" "$SV/many.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('../../../../climbed.csv', 'x\n')
    z.writestr('/abs/climbed2.csv', 'x\n')
    z.writestr('data/dataset.ini', 'fiscal_year = 2563\n')
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    for i in range(1000):
        z.writestr('data/f%d.csv' % i, 'x\n')
PY
post --data-binary @"$SV/climb.zip" "$B/api/upload?name=climb.zip" > /dev/null
found=$(find "$SV" -name 'climbed*.csv' | sed "s|^$SV/tmp/khet-serve-[^/]*/||" | sort | tr '\n' ' ')
[ "$found" = "ws-2/data/climbed.csv ws-2/data/climbed2.csv " ] && ok || bad "zip entries with ../ landed at: $found"
[ "$(post -o /dev/null -w '%{http_code}' --data-binary @"$SV/many.zip" "$B/api/upload?name=many.zip")" = 413 ] && ok ||
  bad "a zip of 1,000 entries was not refused"
head -c 70000 /dev/zero | tr '\0' a > "$SV/big.json"
[ "$(post -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$SV/big.json" "$B/api/render")" = 413 ] &&
  ok || bad "a 70 KB JSON body was not refused"

# sessions: a viewer may not change anything; forged and ended sessions are nobody
login vera
c1=$(post -o /dev/null -w '%{http_code}' --data-binary @"$SV/ok.zip" "$B/api/upload?name=ok.zip")
c2=$(post -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"ws":1}' "$B/api/render")
c3=$(code -b "$C" "$B/api/file?ws=1&job=1&name=2563/r8/summary.pdf")
[ "$c1 $c2 $c3" = "403 403 200" ] && ok || bad "viewer: upload $c1, render $c2, download $c3"
old=$(grep khet_session "$C" | awk '{print $7}')
post -o "$SV/logout" -d "{}" "$B/api/logout"
[ -n "$old" ] && [ "$(J .ok < "$SV/logout")" = true ] && ok || bad "logout: '$old' $(cat "$SV/logout")"
c1=$(code -H "Cookie: khet_session=$old" "$B/api/check?ws=0")
c2=$(code -H "Cookie: khet_session=$(printf '%064d' 7)" "$B/api/check?ws=0")
c3=$(code -H "Cookie: khet_session=../../etc/passwd" "$B/api/check?ws=0")
[ "$c1 $c2 $c3" = "401 401 401" ] && ok || bad "ended, forged or odd sessions: $c1 $c2 $c3"

# ---- the sign-off's endpoints ----
# another role's session: each POST refused to the roles it is not for
login olan
S1=$("$JQ" -c . <<<"$ROUND_START")
[ "$(jcode /api/round/start "$S1")" = 200 ] && ok || bad "the officer could not start the round to attack"
R='{"round":"finance-r8-2563/2563-r1","passphrase":"x"}'
bads=""
# (one session per account, its cookie and token kept: a refusal does not end it, and each
# login costs the server an argon2id hash)
declare -A tok
for who in "vera /api/round/start $S1" "chai /api/round/start $S1" "arun /api/round/start $S1" \
           "adam /api/round/sign $R" "vera /api/round/sign $R" "chai /api/round/cancel $R" "adam /api/round/cancel $R" \
           "olan /api/users {}" "arun /api/users {}" "vera /api/key {}" "adam /api/key {}"; do
  read -r n p body <<<"$who"
  if [ -n "${tok[$n]:-}" ]; then cp "$SV/jar-$n" "$C"; TOK=${tok[$n]}; else login "$n"; tok[$n]=$TOK; fi
  c=$(jcode "$p" "$body"); [ "$c" = 403 ] || bads="$bads $n:$p=$c"
  cp "$C" "$SV/jar-$n"
done
login olan; c1=$(code -b "$C" "$B/api/users")
login vera; c2=$(code -b "$C" "$B/api/key")
[ -z "$bads" ] && [ "$c1 $c2" = "403 403" ] && ok || bad "another role's session not refused:$bads users=$c1 key=$c2"
# a replayed CSRF token: the one of an ended session, with a new session's cookie
login chai; old_tok=$TOK; post -o /dev/null -d '{}' "$B/api/logout"
login chai
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$C" -H "X-CSRF-Token: $old_tok" -H 'Content-Type: application/json' \
  -d "$R" "$B/api/round/sign")
[ "$c" = 403 ] && grep -c "refused: no valid CSRF token" "$SV/log" > /dev/null && ok || bad "a replayed CSRF token: $c"
# another account's place: chai2 is a checker, but the round names chai; olan may not sign chai's place
login chai2; c1=$(jcode /api/round/sign '{"round":"finance-r8-2563/2563-r1","passphrase":"chai-key-phrase"}')
login chai; c2=$(jcode /api/round/sign '{"round":"finance-r8-2563/2563-r1","passphrase":"chai-key-phrase"}')
[ "$c1 $c2" = "403 409" ] && [ ! -e "$SV/archive/.pending-finance-r8-2563-2563-r1" ] && ok ||
  bad "another account's round: chai2 $c1, chai before the preparer $c2"
# rounds and names that climb out, or do not exist
bads=""
for body in '{"round":"../../etc/passwd","passphrase":"x"}' '{"round":"finance-r8-2563/../../x","passphrase":"x"}' \
            '{"round":"finance-r8-2563/2563-r1","passphrase":"a\nb"}' '{"round":"finance-r8-2563/2563-r1","passphrase":"a\u0000b"}' \
            '{"round":1,"passphrase":"x"}' '{"round":"finance-r8-2563/2563-r1"}'; do
  c=$(jcode /api/round/sign "$body"); case $c in 400|404) ;; *) bads="$bads $body=$c" ;; esac
done
login olan
for body in "$("$JQ" -c '.scheme="../../etc"' <<<"$ROUND_START")" "$("$JQ" -c '.period="2563/../x"' <<<"$ROUND_START")" \
            "$("$JQ" -c '.signers[1].user="../chai"' <<<"$ROUND_START")" "$("$JQ" -c '.signers[2].name="a,b"' <<<"$ROUND_START")" \
            "$("$JQ" -c '.ws=-1' <<<"$ROUND_START")" "$("$JQ" -c '.signers|=.[0:2]' <<<"$ROUND_START")" \
            "$("$JQ" -c '.signers[2].user="chai"' <<<"$ROUND_START")" "$("$JQ" -c '.signers[0].date="2563-10-21"' <<<"$ROUND_START")"; do
  c=$(jcode /api/round/start "$body"); case $c in 400|404) ;; *) bads="$bads $body=$c" ;; esac
done
login adam
for body in '{"name":"../../etc/x","role":"viewer","password":"long-enough"}' '{"name":"x","role":"root","password":"long-enough"}' \
            '{"name":"x:y","role":"viewer","password":"long-enough"}' '{"name":"x","role":"viewer","password":"a\nb:c:d:e"}'; do
  c=$(jcode /api/users "$body"); [ "$c" = 400 ] || bads="$bads $body=$c"
done
# the first run's administrator, asked for on a server that has accounts
c=$(jcode /api/setup '{"name":"mallory","password":"long-enough"}'); [ "$c" = 409 ] || bads="$bads setup=$c"
[ -z "$bads" ] && [ "$(grep -c '^' "$U")" = 6 ] && ok || bad "names and rounds out of their patterns not refused:$bads $(cat "$U")"
# keys: not a PKCS#12 file, a huge one, another's phrase, a CA's, not base64: refused; nothing kept
login chai2
key() { "$JQ" -n --rawfile b "$1" --arg p "$2" '{p12: $b, passphrase: $p}' > "$SV/key.json"
  post -H 'Content-Type: application/json' --data-binary @"$SV/key.json" "$B/api/key"; }
base64 -w0 < data/hospitals.csv > "$SV/k1"
head -c 60000 /dev/urandom | base64 -w0 > "$SV/k2"
base64 -w0 < "$SV/chai.p12" > "$SV/k3"
openssl pkcs12 -export -inkey "$SV/pki/sub.key" -in "$SV/pki/sub.pem" -passout pass:ca-phrase -out "$SV/ca.p12"
base64 -w0 < "$SV/ca.p12" > "$SV/k4"
printf 'not base64 at all!' > "$SV/k5"
r1=$(key "$SV/k1" x); r2=$(key "$SV/k2" x); r3=$(key "$SV/k3" wrong); r4=$(key "$SV/k4" ca-phrase); r5=$(key "$SV/k5" x)
[ "$(J .error <<<"$r1")" = 400 ] && J .message <<<"$r1" | grep -q "ไม่ใช่ไฟล์กุญแจ PKCS#12" &&
  [ "$(J .error <<<"$r2")" = 413 ] && J .message <<<"$r3" | grep -q "รหัสผ่านไม่ตรงกับไฟล์กุญแจนี้" &&
  J .message <<<"$r4" | grep -q "ผู้ออกใบรับรอง (CA)" && [ "$(J .error <<<"$r5")" = 400 ] && [ ! -e "$K/chai2.p12" ] && ok ||
  bad "keys not refused: $r1 | $r2 | $r3 | $r4 | $r5"
[ "$(get /api/key | J .has_key)" = false ] && ok || bad "a refused key was kept"

# raw sockets: malformed requests (1,000 with KHET_FULL=1), a flood of new sessions, slow clients
login olan; cp "$C" "$SV/olan-cookies"
while IFS= read -r line; do
  case $line in "ok - "*) ok ;; "not ok - "*) bad "attacks: ${line#not ok - }" ;; esac
done < <(timeout $((60 * ${KHET_SLOW:-1})) python3 tests/serve_attacks.py "${B##*:}" 2>&1)
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$SV/olan-cookies" "$B/api/check?ws=0")" = 200 ] && ok ||
  bad "the flood of visitors pushed out a signed-in session"
grep -q "refused: no valid CSRF token" "$SV/log" && grep -q "refused: role viewer may not /api/upload" "$SV/log" && ok ||
  bad "the refusals are not in the log"
serve_stop; st=$?
[ "$st" = 0 ] && ok || bad "after the attacks, SIGTERM: exit $st"
