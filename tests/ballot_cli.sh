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
expect_in tally-csv "$tmp/t.csv" "\"rank\";\"id\";\"title\";\"cost\";\"votes\""
check receipt-unknown 1 "$ctl" --db "$db" ballot receipt --ballot "$ks" ABC-DEF
check keygen 0 "$ctl" ballot keygen
expect_in keygen "$tmp/out" "tally_key"
check scrub 0 "$ctl" --db "$db" ballot scrub
# The file's own "format" decides how it is read, not a title that names the other one.
sed 's/"en": "A shared kitchen for everyone"/"en": "kiosk-ballot-codes"/' \
  "$src/assets/content/ballots/porvoo-lahio-ideat.json" >"$tmp/tricky.json"
grep -q '"kiosk-ballot-codes"' "$tmp/tricky.json" || { fail=$((fail + 1)); echo "FAIL tricky: sed did nothing"; }
check import-tricky 0 "$ctl" --db "$db" ballot import "$tmp/tricky.json"
expect_in import-tricky "$tmp/out" "stored"
printf '{"format":"kiosk-content","items":[]}' >"$tmp/other.json"
check import-other-format 1 "$ctl" --db "$db" ballot import "$tmp/other.json"
expect_in import-other-format "$tmp/err" '"format" must be "kiosk-ballot" (a ballot) or "kiosk-ballot-codes"'
# A codes file whose "used" lists a hash it does not hold (a code used elsewhere):
# stored as used, and counted as new, not hidden behind "0 new".
python3 - "$tmp/all.json" "$tmp/extra-used.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["used"] = d.get("used", []) + ["ab" * 32]
json.dump(d, open(sys.argv[2], "w"))
PY
check codes-used-unknown 0 "$ctl" --db "$kb" ballot import "$tmp/extra-used.json"
expect_in codes-used-unknown "$tmp/out" "1 new code hashes"
check codes-used-unknown-status 0 "$ctl" --db "$kb" ballot status
expect_in codes-used-unknown-status "$tmp/out" "codes 21 (1 used)"
# Byte order marks, UTF-16 and escaped NULs, in every kind of file: plain words.
enc() {  # NAME SRC-FILE -> $tmp/NAME-bom.json, -utf16.json, -nul.json
  { printf '\xef\xbb\xbf'; cat "$2"; } >"$tmp/$1-bom.json"
  iconv -f UTF-8 -t UTF-16 "$2" >"$tmp/$1-utf16.json"
  python3 - "$2" "$tmp/$1-nul.json" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
i = t.index('"fi"')
i = t.index('"', i + 4) + 1
open(sys.argv[2], "w", encoding="utf-8").write(t[:i] + "\\u0000" + t[i:])
PY
}
enc ballot "$src/assets/content/ballots/porvoo-lahio-ideat.json"
enc codes "$tmp/all.json"
for kind in ballot codes; do
  check "$kind-bom" 1 "$ctl" --db "$kb" ballot import "$tmp/$kind-bom.json"
  expect_in "$kind-bom" "$tmp/err" "$kind-bom.json: starts with a byte order mark"
  check "$kind-utf16" 1 "$ctl" --db "$kb" ballot import "$tmp/$kind-utf16.json"
  expect_in "$kind-utf16" "$tmp/err" "$kind-utf16.json: is UTF-16 text; save it as UTF-8"
done
check ballot-nul 1 "$ctl" --db "$kb" ballot import "$tmp/ballot-nul.json"
expect_in ballot-nul "$tmp/err" 'a string holds \u0000 (a NUL character)'
enc survey "$src/assets/content/surveys/library-feedback.json"
enc content "$src/assets/content/sample.json"
check survey-bom 1 "$ctl" --db "$kb" survey import "$tmp/survey-bom.json"
expect_in survey-bom "$tmp/err" "survey-bom.json: starts with a byte order mark"
check survey-utf16 1 "$ctl" --db "$kb" survey import "$tmp/survey-utf16.json"
expect_in survey-utf16 "$tmp/err" "survey-utf16.json: is UTF-16 text"
check survey-nul 1 "$ctl" --db "$kb" survey import "$tmp/survey-nul.json"
expect_in survey-nul "$tmp/err" 'a string holds \u0000 (a NUL character)'
check content-bom 1 "$ctl" --db "$kb" import "$tmp/content-bom.json"
expect_in content-bom "$tmp/err" "content-bom.json: starts with a byte order mark"
check content-utf16 1 "$ctl" --db "$kb" import "$tmp/content-utf16.json"
expect_in content-utf16 "$tmp/err" "content-utf16.json: is UTF-16 text"
check content-nul 1 "$ctl" --db "$kb" import "$tmp/content-nul.json"
expect_in content-nul "$tmp/err" 'a string holds \u0000 (a NUL character)'
echo "ballot_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
