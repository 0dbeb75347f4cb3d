#!/usr/bin/env bash
# kiosk-server admin with pabulib files: import a .pb election, count it by its rule and
# by others, export it again and import the export; bad files named by line.
set -u
ctl=$1
src=$2
build=$3
. "$src/tests/lib/check.sh"
ks="$build/sync/kiosk-server"
db="$tmp/s.db"
data="$src/tests/data/pb"
check import 0 "$ks" --db "$db" admin ballot-import-pb "$data/no-skip.pb"
expect_in import "$tmp/out" 'ballot "no-skip" added with 5 votes (1 outside the ballot'
check import-again 1 "$ks" --db "$db" admin ballot-import-pb "$data/no-skip.pb"
expect_in import-again "$tmp/err" 'exists on the server already'
check import-id 0 "$ks" --db "$db" admin ballot-import-pb "$data/equal-shares.pb" --id es
check tally 0 "$ks" --db "$db" admin ballot-tally no-skip
expect_in tally "$tmp/out" '5 ballots counted (3 with a code, 0 unlocked by staff, 2 on paper)'
expect_in tally "$tmp/out" 'Not considered: counting stopped at "Two", which did not fit.'
expect_in tally "$tmp/out" 'Below the threshold: 1 votes, 2 needed.'
expect_in tally "$tmp/out" 'Counting stops at the first project that does not fit.'
# the same votes by plain greedy: Three fits after Two is skipped
check replay 0 "$ks" --db "$db" admin ballot-tally no-skip --method greedy --csv
expect_in replay "$tmp/out" '3;"3";"Three";300;3;2;0;1;0;1;2;'
check replay-bad 1 "$ks" --db "$db" admin ballot-tally no-skip --method best
expect_in replay-bad "$tmp/err" 'rule.method'
check tally-es 0 "$ks" --db "$db" admin ballot-tally es
expect_in tally-es "$tmp/out" 'at most 200.00'
check export 0 "$ks" --db "$db" admin ballot-export-pb no-skip -o "$tmp/x.pb"
expect_in export "$tmp/x.pb" 'rule;greedy-no-skip'
expect_in export "$tmp/x.pb" 'voter_id;vote;voting_method'
expect_in export "$tmp/x.pb" '1;500;5;One;1'
if grep -qiE 'uuid|device|[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$tmp/x.pb"; then
  fail=$((fail + 1)); echo "FAIL export: a code, device or time in the file"
else pass=$((pass + 1)); fi
check reimport 0 "$ks" --db "$db" admin ballot-import-pb "$tmp/x.pb" --id again
check tally-again 0 "$ks" --db "$db" admin ballot-tally again --csv
check tally-orig 0 "$ks" --db "$db" admin ballot-tally no-skip --csv
cp "$tmp/out" "$tmp/orig.csv"
check tally-again2 0 "$ks" --db "$db" admin ballot-tally again --csv
if cmp -s "$tmp/out" "$tmp/orig.csv"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL round trip: the counts differ"; diff "$tmp/out" "$tmp/orig.csv" | head; fi
# paper ballots entered by staff: same rules, a serial only once, counted as paper
check paper 0 "$ks" --db "$db" admin ballot-paper no-skip P-001 3 1
expect_in paper "$tmp/out" 'paper ballot "P-001" stored'
check paper-twice 1 "$ks" --db "$db" admin ballot-paper no-skip P-001 2
expect_in paper-twice "$tmp/err" 'paper ballot "P-001" was entered already; nothing stored'
check paper-bad 1 "$ks" --db "$db" admin ballot-paper no-skip P-002 1 9
expect_in paper-bad "$tmp/err" 'breaks the rule'
check paper-empty 1 "$ks" --db "$db" admin ballot-paper no-skip P-003
check paper-serial 1 "$ks" --db "$db" admin ballot-paper no-skip "P 4" 1
check paper-unknown 1 "$ks" --db "$db" admin ballot-paper nope P-005 1
check paper-again-ok 0 "$ks" --db "$db" admin ballot-paper no-skip P-002 2
check tally-paper 0 "$ks" --db "$db" admin ballot-tally no-skip
expect_in tally-paper "$tmp/out" '7 ballots counted (3 with a code, 0 unlocked by staff, 4 on paper)'
check export-paper 0 "$ks" --db "$db" admin ballot-export-pb no-skip -o "$tmp/p.pb"
[ "$(grep -c ';paper$' "$tmp/p.pb")" -eq 4 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL export-paper: not 4 paper rows"; }
if grep -q 'P-00' "$tmp/p.pb"; then fail=$((fail + 1)); echo "FAIL export-paper: a serial in the file"; else pass=$((pass + 1)); fi
check export-missing 1 "$ks" --db "$db" admin ballot-export-pb nope
check export-usage 2 "$ks" --db "$db" admin ballot-export-pb
printf 'META\nkey;value\nbudget;100\nrule;greedy\nvote_type;approval\ndate_begin;2026\ndate_end;2026\nPROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote\nv;1,9\n' >"$tmp/bad.pb"
check import-bad 1 "$ks" --db "$db" admin ballot-import-pb "$tmp/bad.pb"
expect_in import-bad "$tmp/err" 'bad.pb: line 13: vote for "9", which PROJECTS does not list'
check import-bad-nothing 1 "$ks" --db "$db" admin ballot-tally bad
# Rule, projects and costs are frozen from the start of voting, before any ballot
# arrives: kiosks may hold ballots cast under it (the old rule waited for votes).
mk() {  # FILE OPENS BUDGET
  printf '{"format":"kiosk-ballot","version":1,"id":"fz","title":{"fi":"F"},"eligibility":{"fi":"E"},"opens":"%s","closes":"2099-12-31","rule":{"type":"knapsack","budget":%s},"projects":[{"id":"a","title":{"fi":"A"},"cost":500}]}' "$2" "$3" >"$1"
}
mk "$tmp/f1.json" 2000-01-01 1000
mk "$tmp/f2.json" 2000-01-01 800
check frozen-add 0 "$ks" --db "$db" admin import-ballot "$tmp/f1.json"
check frozen-change 1 "$ks" --db "$db" admin import-ballot "$tmp/f2.json"
expect_in frozen-change "$tmp/err" 'voting opened on 2000-01-01; from then only texts may change'
check frozen-kiosk-add 0 "$ctl" --db "$tmp/k.db" ballot import "$tmp/f1.json"
check frozen-kiosk-change 1 "$ctl" --db "$tmp/k.db" ballot import "$tmp/f2.json"
expect_in frozen-kiosk-change "$tmp/err" 'voting opened on 2000-01-01'
mk "$tmp/g1.json" 2099-01-01 1000
mk "$tmp/g2.json" 2099-01-01 800
check future-add 0 "$ctl" --db "$tmp/k2.db" ballot import "$tmp/g1.json"
check future-change 0 "$ctl" --db "$tmp/k2.db" ballot import "$tmp/g2.json"
finish
