# Attacks on a running khet serve (127.0.0.1, accounts on): CSRF without a
# token on every state change, another role's session, forged and ended
# sessions, path traversal in every parameter, oversized bodies, a zip of
# 1,000 entries and one with ../ names, 1,000 malformed requests and slow
# clients (tests/serve_attacks.py): each refused, the server still serving.
plan 21
. tests/serve_lib.sh
U="$SV/users-attack"; rm -f "$U"
echo "officer-pass-1" | "$KHET" serve --users "$U" --add-user olan --role officer > /dev/null
echo "viewer-pass-1" | "$KHET" serve --users "$U" --add-user vera --role viewer > /dev/null
serve_start --users "$U"
login() { # login NAME PASSWORD: a fresh session in $C, its token in TOK
  rm -f "$C"; TOK=$(get /api/session | J .csrf)
  TOK=$(post -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$B/api/login" | J .csrf)
}
code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
login olan officer-pass-1
# an upload to attack: workspace 1 with a rendered job 1
(cd "$SV" && rm -rf z && mkdir -p z/data && cp "$OLDPWD"/data/*.csv "$OLDPWD"/data/dataset.ini z/data && cd z && zip -qr ../ok.zip data)
ws=$(post --data-binary @"$SV/ok.zip" "$B/api/upload?name=ok.zip" | J .ws)
job=$(post -H 'Content-Type: application/json' -d "{\"ws\":$ws,\"report\":\"summary\"}" "$B/api/render" | J .job)
[ "$ws" = 1 ] && [ "$job" = 1 ] && ok || bad "setting up: ws=$ws job=$job"

# CSRF: every POST without the token, or with another session's
bads=""
for p in "/api/login" "/api/logout" "/api/upload?name=a.csv&ws=1" "/api/render"; do
  c=$(code -b "$C" -H 'Content-Type: application/json' -d '{"ws":1}' "$B$p"); [ "$c" = 403 ] || bads="$bads $p=$c"
  c=$(code -b "$C" -H "X-CSRF-Token: $(printf '%064d' 0)" -d '{"ws":1}' "$B$p"); [ "$c" = 403 ] || bads="$bads $p(forged)=$c"
done
[ -z "$bads" ] && ok || bad "POST without a valid CSRF token not refused:$bads"

# traversal and injection in every parameter
bads=""
while read -r u; do
  c=$(code -b "$C" "$B$u"); case $c in 400|404) ;; *) bads="$bads $u=$c" ;; esac
done <<EOT
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
for n in "../../evil.csv" "..%2f..%2fevil.csv" "/etc/evil.csv" ".hidden.csv" "a%20b.csv" "x.sh" "x.csv%00.zip" "%E0%B8%81.csv"; do
  c=$(post -o /dev/null -w '%{http_code}' --data-binary @"$SV/ok.zip" "$B/api/upload?name=$n&ws=1")
  [ "$c" = 400 ] || bads="$bads $n=$c"
done
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
login vera viewer-pass-1
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

# raw sockets: 1,000 malformed requests, a flood of new sessions, slow clients
login olan officer-pass-1; cp "$C" "$SV/olan-cookies"
while IFS= read -r line; do
  case $line in "ok - "*) ok ;; "not ok - "*) bad "attacks: ${line#not ok - }" ;; esac
done < <(timeout $((60 * ${KHET_SLOW:-1})) python3 tests/serve_attacks.py "${B##*:}" 2>&1)
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$SV/olan-cookies" "$B/api/check?ws=0")" = 200 ] && ok ||
  bad "the flood of visitors pushed out a signed-in session"
grep -q "refused: no valid CSRF token" "$SV/log" && grep -q "refused: role viewer may not /api/upload" "$SV/log" && ok ||
  bad "the refusals are not in the log"
serve_stop; st=$?
[ "$st" = 0 ] && ok || bad "after the attacks, SIGTERM: exit $st"
