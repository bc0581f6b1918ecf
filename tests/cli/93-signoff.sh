# khet serve's sign-off: an officer starts a round, the preparer (officer),
# checker and approver sign in turn with their own accounts and PKCS#12 keys
# (kept by the server, unlocked by passphrase), the approver's signature files
# the round through khet archive; history shows it with the signers, verify
# holds, the passphrases are nowhere on disk or in the log, and a restart
# keeps the archive and the accounts.
plan 18
. tests/serve_lib.sh
U="$SV/users-sign"; K="$SV/keys"
make_signers "$U" "$K"
[ "$(ls "$K" | wc -l)" = 4 ] && ok || bad "could not make the test keys"
serve_start --users "$U" --keys "$K"
login() { rm -f "$C"; TOK=$(get /api/session | J .csrf)
  TOK=$(post -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$1-password\"}" "$B/api/login" | J .csrf); }
jpost() { post -H 'Content-Type: application/json' -d "$2" "$B$1"; }
sign() { jpost /api/round/sign "{\"name\":\"$2\",\"position\":\"$3\",\"date\":\"$4\",\"passphrase\":\"$1\"}"; }

login arun
[ "$(jpost /api/round/start '{"ws":0,"scheme":"finance-r8-2563","period":"2563","round":1,"date":"2563-10-20"}' | J .error)" = 403 ] &&
  ok || bad "an approver started a round"
login olan
r=$(jpost /api/round/start '{"ws":0,"scheme":"finance-r8-2563","period":"2563","round":1,"date":"2563-10-20"}')
[ "$(J '.round.signers|map(.signed)|tostring' <<<"$r")" = "[false,false,false]" ] && ok || bad "start: $r"
# the approver cannot take the preparer's place, nor sign out of turn
login arun
r=$(sign arun-key-phrase "นายแพทย์สมศักดิ์ ชัยมงคล" "ผู้อำนวยการ" 2563-10-20)
[ "$(J .error <<<"$r")" = 409 ] && [ "$(get /api/round | J '.round.signers[0].signed')" = false ] && ok ||
  bad "the approver signed before the preparer: $r"
login olan
[ "$(sign wrong-phrase "นางสาวกัญญารัตน์ ศรีสุข" "นักวิชาการเงินและบัญชีชำนาญการ" 2563-10-15 | J .error)" = 403 ] && ok ||
  bad "a wrong passphrase was taken"
[ "$(sign olan-key-phrase "นางสาว,กัญญารัตน์" "x" 2563-10-15 | J .error)" = 400 ] && ok || bad "a comma in a name"
r=$(sign olan-key-phrase "นางสาวกัญญารัตน์ ศรีสุข" "นักวิชาการเงินและบัญชีชำนาญการ" 2563-10-15)
[ "$(J '.round.signers[0].user' <<<"$r")" = olan ] && ok || bad "the preparer's signature: $r"
[ "$(sign olan-key-phrase "นางสาวกัญญารัตน์ ศรีสุข" "นักวิชาการ" 2563-10-15 | J .error)" = 409 ] && ok || bad "signed twice"
login vera
[ "$(sign vera-key-phrase "x" "y" 2563-10-16 | J .error)" = 403 ] && ok || bad "a viewer signed"
login chai
r=$(sign chai-key-phrase "นายประเสริฐ วงศ์ใหญ่" "หัวหน้ากลุ่มงานประกันสุขภาพ" 2563-10-16)
[ "$(J '.round.signers|map(.signed)|tostring' <<<"$r")" = "[true,true,false]" ] && ok || bad "the checker's signature: $r"
login arun
r=$(sign arun-key-phrase "นายแพทย์สมศักดิ์ ชัยมงคล" "ผู้อำนวยการสำนักงานเขตสุขภาพที่ 8" 2563-10-20)
[ "$(J .filed <<<"$r")" = "finance-r8-2563/2563-r1" ] && ok || bad "the approver's signature did not file the round: $r"
pdfsig "$SV/archive/finance-r8-2563/2563-r1/summary.pdf" 2>&1 | grep -q "Signature is Valid" && ok || bad "the filed summary is not signed"
h=$(get /api/history | J '.json[0]|[.round, (.signers|map(.role+" "+.name)|join("|"))]|join(" ")')
[ "$h" = "finance-r8-2563/2563-r1 ผู้จัดทำ นางสาวกัญญารัตน์ ศรีสุข|ผู้ตรวจสอบ นายประเสริฐ วงศ์ใหญ่|ผู้อนุมัติ นายแพทย์สมศักดิ์ ชัยมงคล" ] &&
  ok || bad "history: $h"
[ "$(get "/api/history?province=41" | J '.json[0].results[0].percent_x100')" = 7694 ] && ok || bad "the trend of 41"
[ "$(get /api/verify | J .exit)" = 0 ] && ok || bad "verify: $(get /api/verify)"
grep -q "sign by=olan as=ผู้จัดทำ round=finance-r8-2563/2563-r1 result=signed" "$SV/log" &&
  grep -q "sign by=arun as=ผู้อนุมัติ .* filed=finance-r8-2563/2563-r1" "$SV/log" && ok || bad "the log does not say who signed"
grep -rlqa "key-phrase" "$SV/log" "$SV/archive" "$SV/tmp" 2>/dev/null && bad "a passphrase was written down" || ok
serve_stop
serve_start --users "$U" --keys "$K"
login vera
[ "$(get /api/history | J '.json|length')" = 1 ] && ok || bad "after a restart: the archive or the accounts were lost"
serve_stop
