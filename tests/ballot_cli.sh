#!/usr/bin/env bash
# kioskctl ballot as an administrator uses it: import, code sheets, hashes, tally.
set -u
ctl=$1
src=$2
. "$src/tests/lib/check.sh"
db="$tmp/k.db"
kb="$tmp/kb.db"
ks=porvoo-toimintaraha-2026
check help 0 "$ctl" ballot --help
expect_in help "$tmp/out" "usage: kioskctl ballot"
check no-sub 2 "$ctl" --db "$db" ballot
check bad-sub 2 "$ctl" --db "$db" ballot frob
check import 0 "$ctl" --db "$db" ballot import "$src"/assets/content/ballots/*.json
expect_in import "$tmp/out" "\"$ks\" stored"
check import-again 0 "$ctl" --db "$db" ballot import "$src/assets/content/ballots/porvoo-toimintaraha.json"
expect_in import-again "$tmp/out" "unchanged"
printf '{"format":"kiosk-ballot","version":1,"id":"x"}' >"$tmp/bad.json"
check import-bad 1 "$ctl" --db "$db" ballot import "$tmp/bad.json"
expect_in import-bad "$tmp/err" 'field "title": required'
check codes-no-args 2 "$ctl" --db "$db" ballot codes --ballot "$ks"
check codes-bad-ext 2 "$ctl" --db "$db" ballot codes --ballot "$ks" --count 2 --out "$tmp/s.svg"
check codes-unknown 1 "$ctl" --db "$db" ballot codes --ballot nope --count 2 --out "$tmp/s.pdf"
check codes-pdf 0 "$ctl" --db "$db" ballot codes --ballot "$ks" --count 17 --out "$tmp/s.pdf" \
  --txt "$tmp/codes.txt" --hashes "$tmp/codes.json"
check codes-png 0 "$ctl" --db "$db" ballot codes --ballot "$ks" --count 3 --out "$tmp/s.png"
check codes-png-too-many 2 "$ctl" --db "$db" ballot codes --ballot "$ks" --count 301 --out "$tmp/t.png"
head -c 5 "$tmp/s.pdf" >"$tmp/magic"; expect_in pdf "$tmp/magic" "%PDF-"
head -c 4 "$tmp/s.png" | tail -c 3 >"$tmp/magic"; expect_in png "$tmp/magic" "PNG"
[ "$(wc -l <"$tmp/codes.txt")" -eq 17 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL txt: not 17 codes"; }
# no plain code anywhere in the database file
leaked=0
while read -r c; do grep -qF "$c" "$db" "$db-wal" 2>/dev/null && leaked=1; done <"$tmp/codes.txt"
[ $leaked -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL a plain code is in the database"; }
check status 0 "$ctl" --db "$db" ballot status
expect_in status "$tmp/out" "codes 20 (0 used)"
# a second kiosk gets the ballot and the codes file
check kb-import 0 "$ctl" --db "$kb" ballot import "$src/assets/content/ballots/porvoo-toimintaraha.json" "$tmp/codes.json"
expect_in kb-import "$tmp/out" "17 new code hashes"
check hashes 0 "$ctl" --db "$db" ballot hashes --ballot "$ks" --out "$tmp/all.json"
check kb-import-all 0 "$ctl" --db "$kb" ballot import "$tmp/all.json"
expect_in kb-import-all "$tmp/out" "3 new code hashes"
check tally 0 "$ctl" --db "$db" ballot tally --ballot "$ks" --csv "$tmp/t.csv" --lang en
expect_in tally "$tmp/out" "0 ballots"
expect_in tally "$tmp/out" "what is left of the budget"
expect_in tally-csv "$tmp/t.csv" "rank,id,title,cost,votes"
check receipt-unknown 1 "$ctl" --db "$db" ballot receipt --ballot "$ks" ABC-DEF
check keygen 0 "$ctl" ballot keygen
expect_in keygen "$tmp/out" "tally_key"
check scrub 0 "$ctl" --db "$db" ballot scrub
echo "ballot_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
