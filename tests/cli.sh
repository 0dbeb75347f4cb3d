#!/usr/bin/env bash
# kioskctl as an operator uses it: exit codes, messages on stderr, round trips.
set -u
ctl=$1
src=$2
. "$src/tests/lib/check.sh"

db="$tmp/k.db"
check help 0 "$ctl" --help
expect_in help "$tmp/out" "exit codes"
for c in import export search stats gen; do
  check "help-$c" 0 "$ctl" "$c" --help
  expect_in "help-$c" "$tmp/out" "usage: kioskctl $c"
done
check no-command 2 "$ctl"
check unknown-command 2 "$ctl" frobnicate
expect_in unknown-command "$tmp/err" 'unknown command "frobnicate"'
check import-no-file 2 "$ctl" --db "$db" import
check import-missing 1 "$ctl" --db "$db" import "$tmp/nope.json"
expect_in import-missing "$tmp/err" "cannot open"

check import-fixture 0 "$ctl" --db "$db" import "$src/tests/data/search.json"
expect_in import-fixture "$tmp/out" "30 added"
check import-again 0 "$ctl" --db "$db" import "$src/tests/data/search.json"
expect_in import-again "$tmp/out" "0 added, 0 updated, 30 unchanged"
# A pipe cannot be read twice (the importer reads files twice to keep memory low).
check import-pipe 0 bash -c '"$1" --db "$2" import /dev/stdin < <(cat "$3")' _ "$ctl" "$db" \
  "$src/tests/data/search.json"
expect_in import-pipe "$tmp/out" "0 added, 0 updated, 30 unchanged"
check import-bad 1 "$ctl" --db "$db" import "$src/tests/data/bad/name-too-long.json"
expect_in import-bad "$tmp/err" 'item "a-kuoro" field "name.fi": 201 bytes, limit is 200'
check check-only 0 "$ctl" --db "$db" import --check "$src/tests/data/search.json"
expect_in check-only "$tmp/out" "valid"

check search 0 "$ctl" --db "$db" search kunta
expect_in search "$tmp/out" "a-kunta"
check search-sv 0 "$ctl" --db "$db" search --lang sv borga
expect_in search-sv "$tmp/out" "Borgå Pensionärer rf"
check search-fallback 0 "$ctl" --db "$db" search --lang en kuoro
expect_in search-fallback "$tmp/out" "Kuoro Kaiku (fi)"
check search-kind 0 "$ctl" --db "$db" search --kind venue ""
expect_in search-kind "$tmp/out" "v-harjula"
check search-bad-kind 2 "$ctl" --db "$db" search --kind club x
check search-bad-area 2 "$ctl" --db "$db" search --area atlantis x
check stats 0 "$ctl" --db "$db" stats
expect_in stats "$tmp/out" "revision     30"

check export 0 "$ctl" --db "$db" export "$tmp/e1.json"
check reimport 0 "$ctl" --db "$tmp/k2.db" import "$tmp/e1.json"
check export2 0 "$ctl" --db "$tmp/k2.db" export "$tmp/e2.json"
if cmp -s "$tmp/e1.json" "$tmp/e2.json"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL round trip: exports differ"; fi

check gen 0 "$ctl" gen --items 500 --seed 7 -o "$tmp/g.json"
check gen-import 0 "$ctl" --db "$tmp/g.db" import "$tmp/g.json"
expect_in gen-import "$tmp/out" "500 added"
check gen-bad 2 "$ctl" gen --items -3

if [ -f "$src/assets/content/sample.json" ]; then
  check sample 0 "$ctl" --db "$tmp/s.db" import "$src/assets/content/sample.json"
fi

# A database from a newer version is refused with its own exit code, untouched.
sqlite3 "$tmp/new.db" "PRAGMA user_version = 999;" 2>/dev/null ||
  python3 -c "import sqlite3; c=sqlite3.connect('$tmp/new.db'); c.execute('PRAGMA user_version = 999'); c.commit()"
sum1=$(md5sum <"$tmp/new.db")
check newer 3 "$ctl" --db "$tmp/new.db" stats
expect_in newer "$tmp/err" "newer version"
[ "$sum1" = "$(md5sum <"$tmp/new.db")" ] && pass=$((pass + 1)) || {
  fail=$((fail + 1)); echo "FAIL newer: file changed"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
