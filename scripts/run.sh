#!/usr/bin/env bash
# Imports the built-in sample catalog and shows it.  Kept small: the kiosk binary
# does the real work.
set -euo pipefail
build=${1:-build}
db="$build/sample.db"
ctl="$build/kioskctl"
"$ctl" --db "$db" import assets/content/sample.json
echo
echo "== catalog overview ($db) =="
"$ctl" --db "$db" stats
for q in liikunta eläkeläiset borgå; do
  echo
  echo "== search: $q =="
  "$ctl" --db "$db" search --limit 8 "$q"
done
