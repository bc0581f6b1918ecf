# khet serve: the web application's API on 127.0.0.1, driven with curl: the
# check of the sample and of an upload with a planted error that a corrected
# file clears, a scorecard byte-identical to `khet render`'s, the headers of
# every response, sessions, CSRF, roles, uploads refused, a workbook uploaded, and a clean stop.
plan 53
. tests/serve_lib.sh

expect 2 "needs --users" -- "$KHET" serve --listen 0.0.0.0:0
expect 2 "usage: khet serve" -- "$KHET" serve --bogus
expect 2 "an IPv4 address and a port" -- "$KHET" serve --listen nowhere

serve_start
[ -n "$B" ] && ok || bad "khet serve did not start: $(cat "$SV/log")"
h=$(curl -s -D - -o /dev/null -c "$C" "$B/api/session")
grep -qi '^Set-Cookie: khet_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' <<<"$h" && ok || bad "session cookie: $h"
TOK=$(get /api/session | J .csrf)
# every response: Content-Type, CSP, nosniff (pages, assets, fonts, API, errors)
# (one curl run, each URL a transfer of its own (--next): the headers of each, from its status line on)
miss="" us=(/ /app.js /style.css /fonts/Laksaman.ttf /api/check?ws=0 /nothing /api/nothing "/api/file?ws=0&job=1&name=../../etc/passwd")
args=() i=0
for u in "${us[@]}"; do args+=(--next -s -D - -o /dev/null -b "$C" "$B$u"); done
all=$(curl "${args[@]:1}")$'\nHTTP/'
shopt -s nocasematch
all=${all#HTTP/}
while [[ $all == *$'\nHTTP/'* ]]; do
  h=$'\n'${all%%$'\nHTTP/'*} all=${all#*$'\nHTTP/'}
  [[ $h == *$'\n'"Content-Type: "* && $h == *$'\n'"Content-Security-Policy: default-src 'none'"* &&
     $h == *$'\n'"X-Content-Type-Options: nosniff"* ]] || miss="$miss ${us[$i]}"
  i=$((i + 1))
done
shopt -u nocasematch
[ $i = ${#us[@]} ] && [ -z "$miss" ] && ok || bad "responses without Content-Type, CSP or nosniff:$miss ($i of ${#us[@]} read)"
grep -q 'lang="th"' <<<"$(get /)" && ok || bad "the page is not Thai"
# DNS rebinding: a page of another site whose name resolves to 127.0.0.1
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example:8470' "$B/api/session")" = 421 ] &&
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: localhost:${B##*:}" "$B/")" = 200 ] && ok ||
  bad "a Host header of another site was served"

# the data folder checks clean, as `khet check` says
c=$(get "/api/check?ws=0")
[ "$(J '"\(.errors) \(.summary.provinces) \(.summary.hospitals)"' <<<"$c")" = "0 14 164" ] && ok || bad "check: $c"

# an uploaded zip with a planted error: the finding with its line, column, value, advice
rm -rf "$SV/z"; mkdir -p "$SV/z/data"; cp data/*.csv data/dataset.ini "$SV/z/data/"
sed -i '30s/,[FM][123],/,X9,/' "$SV/z/data/hospitals.csv"
(cd "$SV/z" && zip -qr ../up.zip data)
ws=$(post --data-binary @"$SV/up.zip" "$B/api/upload?name=region8.zip" | J .ws)
[ "$ws" = 1 ] && ok || bad "upload gave workspace '$ws'"
c=$(get "/api/check?ws=1")
[ "$(J .errors <<<"$c")" = 1 ] && ok || bad "check of the upload: $c"
f=$(J '[.findings[]|select(.level=="error")][0]|"\(.file) \(.line) \(.col)"' <<<"$c")
[ "$f" = "hospitals.csv 30 28" ] && ok || bad "finding at $f"
J '[.findings[]|select(.level=="error")][0].message' <<<"$c" | grep -q "'X9'" && ok || bad "the value is not named"
J '[.findings[]|select(.level=="error")][0].hint' <<<"$c" | grep -q "เลือกค่าจากรายการ" &&
  [ "$(J '[.findings[]|select(.level=="error")][0].what' <<<"$c")" = "ค่าในช่องนี้ไม่อยู่ในรายการที่กำหนด" ] && ok ||
  bad "no advice, or no Thai words for the problem"
grep -q "/tmp\|$SV" <<<"$c" && bad "a server path leaks into the findings" || ok
# the corrected file dropped on the workspace clears it
cp data/hospitals.csv "$SV/hospitals.csv"
post --data-binary @"$SV/hospitals.csv" "$B/api/upload?name=hospitals.csv&ws=1" >/dev/null
[ "$(get "/api/check?ws=1" | J .errors)" = 0 ] && ok || bad "the corrected file did not clear the error"

# scores: the table of khet score --format json --hospitals, run by the server
s=$(get "/api/score?ws=1&scheme=finance-r8-2563")
"$KHET" score --data data --scheme templates/finance-r8-2563 --format json --hospitals > "$SV/score.json"
[ "$("$JQ" -S .score <<<"$s" | md5sum)" = "$("$JQ" -S . < "$SV/score.json" | md5sum)" ] &&
  ok || bad "the scores differ from khet score's"
[ "$(get "/api/score?ws=1&scheme=../finance-r8-2563" | J .error)" = 400 ] && ok || bad "a scheme outside templates"

# render: the scorecard, the same bytes as khet render's
r=$(post -H 'Content-Type: application/json' -d '{"ws":1,"report":"scorecard","province":"41"}' "$B/api/render")
[ "$("$JQ" -c .files <<<"$r")" = '["2563/r8/scorecard-41.pdf"]' ] && ok || bad "render: $r"
job=$(J .job <<<"$r")
curl -s -b "$C" -o "$SV/web.pdf" "$B/api/file?ws=1&job=$job&name=2563/r8/scorecard-41.pdf&download=1"
"$KHET" render --data data --report scorecard --province 41 --out "$SV/cli" > /dev/null
cmp -s "$SV/web.pdf" "$SV/cli/2563/r8/scorecard-41.pdf" && ok || bad "the downloaded scorecard differs from khet render's"
curl -s -b "$C" -o "$SV/all.zip" "$B/api/zip?ws=1&job=$job"
unzip -p "$SV/all.zip" 2563/r8/scorecard-41.pdf | cmp -s - "$SV/web.pdf" && ok || bad "the zip of all documents"
r=$(post -H 'Content-Type: application/json' -d '{"ws":1,"report":"scorecard","province":"99"}' "$B/api/render")
grep -q "not a province of region 8" <<<"$r" && ok || bad "a failing render: $r"
[ "$(ls "$SV"/tmp/khet-serve-*/ws-1 | grep -c job-)" = 1 ] && ok || bad "a failed render left its job folder"
r=$(post -H 'Content-Type: application/json' -d '{"ws":1,"report":"scorecard","province":"41; rm"}' "$B/api/render")
[ "$(J .error <<<"$r")" = 400 ] && ok || bad "an option outside its pattern: $r"

# refused: no CSRF token, paths out of the workspace, bad uploads
r=$(curl -s -b "$C" -H 'Content-Type: application/json' -d '{"ws":1}' "$B/api/render")
[ "$(J .error <<<"$r")" = 403 ] && ok || bad "render without the CSRF token: $r"
TOK2=$(curl -s -c "$SV/other" "$B/api/session" | J .csrf) # another visitor's token
r=$(curl -s -b "$C" -H "X-CSRF-Token: $TOK2" --data-binary @"$SV/hospitals.csv" "$B/api/upload?name=hospitals.csv&ws=1")
[ "$(J .error <<<"$r")" = 403 ] && ok || bad "another session's token: $r"
bads="" us=("/api/file?ws=1&job=$job&name=../../../../etc/passwd" "/api/file?ws=1&job=$job&name=2563/r8/../../stdout.pdf"
         "/api/file?ws=../1&job=$job&name=2563/r8/scorecard-41.pdf" "/api/file?ws=1&job=../$job&name=2563/r8/scorecard-41.pdf"
         "/api/check?ws=../../etc" "/api/zip?ws=1&job=/etc" "/%2e%2e/%2e%2e/etc/passwd" "/fonts/../../etc/passwd")
args=()
for u in "${us[@]}"; do args+=(--next -s -o /dev/null -w '%{http_code}\n' -b "$C" --path-as-is "$B$u"); done
i=0 # (the status of each from one curl run, a line each)
while read -r code; do
  case $code in 400|404) ;; *) bads="$bads ${us[$i]}=$code" ;; esac
  i=$((i + 1))
done < <(curl "${args[@]:1}")
[ $i = ${#us[@]} ] && [ -z "$bads" ] && ok || bad "traversal not refused:$bads ($i of ${#us[@]} answered)"
r=$(post --data-binary @"$SV/hospitals.csv" "$B/api/upload?name=region8.xlsx")
[ "$(J .error <<<"$r")" = 400 ] && grep -q "ไม่ใช่สมุดงาน Excel (.xlsx) ที่อ่านได้" <<<"$r" && ok || bad "a CSV named .xlsx: $r"
r=$(post --data-binary @"$SV/hospitals.csv" "$B/api/upload?name=../../x.csv&ws=1")
[ "$(J .error <<<"$r")" = 400 ] && ok || bad "an upload named ../../x.csv: $r"
# a zip bomb: 70 MB of zeros (over the 64 MB an entry may unpack to) in a small zip
python3 -c "
import zipfile
with zipfile.ZipFile('$SV/bomb.zip','w',zipfile.ZIP_DEFLATED) as z:
    with z.open('hospitals.csv','w',force_zip64=True) as f:
        for _ in range(70): f.write(bytes(1<<20))"
r=$(post --data-binary @"$SV/bomb.zip" "$B/api/upload?name=bomb.zip")
[ "$(J .error <<<"$r")" = 413 ] && ok || bad "zip bomb: $r"
head -c $((33 << 20)) /dev/zero > "$SV/big.zip"
code=$(post -o /dev/null -w '%{http_code}' --data-binary @"$SV/big.zip" "$B/api/upload?name=big.zip")
[ "$code" = 413 ] && ok || bad "a 33 MB upload: $code"
[ "$(ls "$SV"/tmp/khet-serve-* | grep -c '^ws-')" = 2 ] && ok || bad "refused uploads left workspaces: $(ls "$SV"/tmp/khet-serve-*)"
[ "$(ls "$SV"/tmp/khet-serve-* | grep -c '^upload-')" = 0 ] && ok || bad "uploads left behind"
# a workbook (libxlsxwriter's, with its sheet "dataset") is a workspace of its own: it checks clean and
# scores as khet score does the CSV folder; dropped on a workspace it takes the place of its workbook
"${BUILD_TESTS:-build/tests}/xlsx_write" data "$SV/region8.xlsx"
wb=$(post --data-binary @"$SV/region8.xlsx" "$B/api/upload?name=region8.xlsx" | J .ws)
[ "$wb" -ge 2 ] 2>/dev/null && [ "$(get "/api/check?ws=$wb" | J .errors)" = 0 ] && ok || bad "a workbook upload: workspace '$wb'"
[ "$(get "/api/score?ws=$wb&scheme=finance-r8-2563" | "$JQ" -S .score | md5sum)" = "$("$JQ" -S . < "$SV/score.json" | md5sum)" ] &&
  ok || bad "the workbook's scores differ from khet score's"
post --data-binary @"$SV/region8.xlsx" "$B/api/upload?name=again.xlsx&ws=$wb" >/dev/null
[ "$(ls "$SV"/tmp/khet-serve-*/ws-$wb/data)" = again.xlsx ] && [ "$(get "/api/check?ws=$wb" | J .errors)" = 0 ] && ok ||
  bad "a workbook dropped on a workspace: $(ls "$SV"/tmp/khet-serve-*/ws-$wb/data)"
grep -q "POST /api/render 200 .* render ws=1 job=$job report=scorecard exit=0" "$SV/log" && ok || bad "no log line of the render"
# a client that hangs up during a render: the render finishes or stops whole, nothing half-made stays
curl -s -m 0.05 -b "$C" -H "X-CSRF-Token: $TOK" -H 'Content-Type: application/json' -d '{"ws":1,"report":"all"}' "$B/api/render" > /dev/null
for _ in $(seq 1 $((200 * ${KHET_SLOW:-1}))); do [ -z "$(pgrep -P "$SPID")" ] && break; sleep 0.05; done
[ -z "$(find "$SV/tmp" -name '.khet-stage-*' -o -name '.khet-tmp-*')" ] && ok || bad "a hang-up left a staging folder"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$B/")" = 200 ] && ok || bad "the server stopped answering"
serve_stop; st=$?
[ "$st" = 0 ] && ok || bad "SIGTERM: exit $st"
[ -z "$(ls "$SV/tmp")" ] && ok || bad "workspaces left after SIGTERM: $(ls "$SV/tmp")"

# installed: PREFIX/bin/khet finds its pages in PREFIX/share/khet/web, from any folder
I="$SV/inst"; mkdir -p "$I/bin" "$I/share/khet/web"
cp "$KHET" "$I/bin/khet"; cp src/web/* "$I/share/khet/web/"; cp -r templates fonts "$I/share/khet/"
cp "$(dirname "$KHET")/khet-full" "$I/bin/" # khet serve runs in khet-full (make install puts it beside khet)
( cd "$SV" && exec "$I/bin/khet" serve --data "$OLDPWD/data" --listen 127.0.0.1:0 > "$SV/inst.out" 2>&1 ) & ipid=$!
for _ in $(seq 1 $((1200 * ${KHET_SLOW:-1}))); do grep -q "^khet serve: open" "$SV/inst.out" 2>/dev/null && break; sleep 0.05; done
curl -s "$(grep -o 'http://127.0.0.1:[0-9]*' "$SV/inst.out")/" | grep -q 'lang="th"' && ok || bad "the installed khet serves no pages: $(cat "$SV/inst.out")"
kill -TERM $ipid; wait $ipid

# TLS: https, and the session cookie is Secure
test_key tls "$SV/tls.key" "$SV/tls.crt"
serve_start --tls-cert "$SV/tls.crt" --tls-key "$SV/tls.key"
h=$(curl -sk -D - -o /dev/null "$B/api/session")
[[ $B == https://* ]] && grep -qi '^Set-Cookie: khet_session=.*; HttpOnly; SameSite=Strict; Secure' <<<"$h" && ok || bad "TLS: $B $h $(cat "$SV/out" "$SV/log")"
serve_stop

# a render that hangs (its worker stopped with SIGSTOP) is killed at --timeout, leaving nothing
serve_start --timeout 1
rm -f "$C"; TOK=$(get /api/session | J .csrf)
post -o "$SV/hung" -w '%{http_code}' -H 'Content-Type: application/json' -d '{"ws":0,"report":"all"}' "$B/api/render" > "$SV/hung.code" &
cpid=$!
for _ in $(seq 1 400); do w=$(pgrep -P "$SPID"); [ -n "$w" ] && break; sleep 0.01; done
[ -n "$w" ] && kill -STOP $w
wait $cpid
[ "$(cat "$SV/hung.code")" = 504 ] && [ -z "$(ls "$SV"/tmp/khet-serve-*/ws-0)" ] && [ -z "$(pgrep -P "$SPID")" ] && ok ||
  bad "a hung render: $(cat "$SV/hung.code") $(cat "$SV/hung"), left: $(ls "$SV"/tmp/khet-serve-*/ws-0)"
serve_stop

# accounts: --add-user, login, roles
U="$SV/users"
echo "viewer-pass-1" | "$KHET" serve --users "$U" --add-user vera --role viewer > /dev/null
echo "officer-pass-1" | "$KHET" serve --users "$U" --add-user olan --role officer > /dev/null
# (the product's cost, OWASP's argon2id minimum: the other serve tests log in with cheap test hashes)
grep -q '^olan:officer:\$argon2id\$v=19\$m=19456,t=2,p=1\$' "$U" && ok || bad "accounts file: $(cat "$U")"
expect 2 "already an account" -- sh -c "echo another-pass | '$KHET' serve --users '$U' --add-user olan --role officer"
serve_start --users "$U"
rm -f "$C"; TOK=$(get /api/session | J .csrf)
[ "$(get "/api/check?ws=0" | J .error)" = 401 ] && ok || bad "check before login"
[ "$(post -H 'Content-Type: application/json' -d '{"name":"vera","password":"wrong-pass"}' "$B/api/login" | J .error)" = 401 ] && ok || bad "a wrong password"
TOK=$(post -H 'Content-Type: application/json' -d '{"name":"vera","password":"viewer-pass-1"}' "$B/api/login" | J .csrf)
r=$(post -H 'Content-Type: application/json' -d '{"ws":0,"report":"summary"}' "$B/api/render")
[ "$(J .error <<<"$r")" = 403 ] && ok || bad "a viewer rendered: $r"
serve_stop

# the first run: --users names a file without accounts; the person at this
# computer (127.0.0.1, this computer's Host only) makes the administrator's
F="$SV/first/users"; mkdir -p "$SV/first"
expect 2 "no accounts" -- "$KHET" serve --users "$F" --listen 0.0.0.0:0
serve_start --users "$F"
rm -f "$C"; s=$(get /api/session); TOK=$(J .csrf <<<"$s")
[ "$(J .setup <<<"$s")" = true ] && [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$B/api/session")" = 421 ] &&
  ok || bad "the first run: $s"
r=$(post -H 'Content-Type: application/json' -d '{"name":"admin","password":"admin-password"}' "$B/api/setup")
[ "$(J .role <<<"$r")" = admin ] && grep -q '^admin:admin:\$argon2id\$' "$F" && [ "$(get /api/users | J '.users[0].role')" = admin ] &&
  [ "$(get /api/session | J .setup)" = false ] && ok || bad "the first administrator: $r"
rm -f "$C"; TOK=$(get /api/session | J .csrf)
[ "$(post -H 'Content-Type: application/json' -d '{"name":"mallory","password":"mallory-password"}' "$B/api/setup" | J .error)" = 409 ] &&
  [ "$(grep -c '' "$F")" = 1 ] && ok || bad "a second first administrator was taken: $(cat "$F")"
serve_stop
