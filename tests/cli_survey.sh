#!/usr/bin/env bash
# kioskctl survey, responses and workshop commands: exit codes, messages, files.
set -u
ctl=$1
src=$2
. "$src/tests/lib/check.sh"
db="$tmp/k.db"
surveys="$src/assets/content/surveys"
for c in survey responses workshop; do
  check "help-$c" 0 "$ctl" "$c" --help
  expect_in "help-$c" "$tmp/out" "usage: kioskctl $c"
done
check import 0 "$ctl" --db "$db" survey import "$surveys/library-feedback.json" "$surveys/ylojarvi-forum-workshop.json"
expect_in import "$tmp/out" 'survey "library-feedback" version 1 (added)'
check import-again 0 "$ctl" --db "$db" survey import "$surveys/library-feedback.json"
expect_in import-again "$tmp/out" "version 1 (unchanged)"
check import-bad 1 "$ctl" --db "$db" survey import "$src/tests/data/bad-survey/top-pick-too-many.json"
expect_in import-bad "$tmp/err" 'survey "bad" question "q3" field "pick": 4 is outside 1..3'
check check-only 0 "$ctl" survey import --check "$surveys/ylojarvi-forum-workshop.json"
expect_in check-only "$tmp/out" 'valid workshop "ylojarvi-kumppanuusfoorumi", 6 questions'
check list 0 "$ctl" --db "$db" survey list
expect_in list "$tmp/out" "library-feedback"
check list-again 0 "$ctl" --db "$db" survey list
[ "$(grep -c . "$tmp/out")" -eq 2 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL list: not 2 surveys"; }
check export-usage 2 "$ctl" --db "$db" responses export --survey library-feedback
check export-unknown 1 "$ctl" --db "$db" responses export --survey nope --format csv
expect_in export-unknown "$tmp/err" 'survey "nope" is not stored'
check export-csv 0 "$ctl" --db "$db" responses export --survey library-feedback --format csv -o "$tmp/r.csv"
[ "$(head -c 3 "$tmp/r.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL export-csv: no BOM"; }
expect_in export-csv "$tmp/r.csv" '"vastaus";"versio";"tunti (UTC)";"visits Kuinka usein käyt kirjastossa?"'
check stats 0 "$ctl" --db "$db" responses stats
expect_in stats "$tmp/out" "outbox: 0 waiting"
check ws-start 0 "$ctl" --db "$db" workshop start ylojarvi-kumppanuusfoorumi --label "Foorumi 25.9."
ws=$(cat "$tmp/out")
check ws-answer 0 "$ctl" --db "$db" workshop answer "$ws" seniorit rakenne foorumit tilat yhdistysavustukset
check ws-answer-few 1 "$ctl" --db "$db" workshop answer "$ws" muut rakenne tilat
expect_in ws-answer-few "$tmp/err" 'group "muut" question "rakenne": too few chosen'
check ws-results 0 "$ctl" --db "$db" workshop results "$ws"
expect_in ws-results "$tmp/out" "answered 1"
check ws-end 0 "$ctl" --db "$db" workshop end "$ws"
expect_in ws-end "$tmp/out" "2 rows queued"
check ws-after-end 1 "$ctl" --db "$db" workshop answer "$ws" muut rakenne tilat foorumit jarjestokirje
check ws-export 0 "$ctl" --db "$db" workshop export "$ws" --format json -o "$tmp/ws.json"
expect_in ws-export "$tmp/ws.json" '"format": "kiosk-workshop"'
echo "cli_survey: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
