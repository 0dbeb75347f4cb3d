#!/usr/bin/env bash
# Runs one voting UI script: a fresh database with the sample content, PIN 2580, the
# two sample ballots (assets/content/ballots) and three fresh voter codes for each.
#   usage: run-vote.sh KIOSK KIOSKCTL SRC SHOTS SCRIPT [SIZE [MODE]]
# MODE headless (the default) draws into memory; xvfb runs the kiosk in a real window
# on a bare Xvfb, and its `shot`s are then taken from the X server.
# The script is a template: @K1@ @K2@ @K3@ become the codes of the knapsack ballot
# (porvoo-toimintaraha-2026), @A1@ @A2@ @A3@ those of the approval ballot
# (porvoo-lahioideat-2026), without dashes, as the on-screen keyboard types them.
# After the kiosk has run, its lines
#   #after-status BALLOT TEXT      `kioskctl ballot status`: BALLOT's line contains TEXT
#   #after-tally BALLOT TEXT       `kioskctl ballot tally --ballot BALLOT` contains TEXT
#   #after-outbox KIND N           the kiosk's outbox holds exactly N rows of KIND
# (comments to the kiosk) are checked against the database it left behind.
set -euo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4 script=$5 size=${6:-1920x1080} mode=${7:-headless}
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/ui.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null
echo 2580 | "$ctl" --db "$db" pin set >/dev/null
"$ctl" --db "$db" ballot import "$src/assets/content/ballots/porvoo-toimintaraha.json" \
  "$src/assets/content/ballots/porvoo-lahio-ideat.json" >/dev/null
subst=()
for b in K:porvoo-toimintaraha-2026 A:porvoo-lahioideat-2026; do
  "$ctl" --db "$db" ballot codes --ballot "${b#*:}" --count 3 --out "$tmp/sheet.png" \
    --txt "$tmp/codes.txt" >/dev/null
  i=1
  while read -r code; do
    subst+=(-e "s/@${b%%:*}$i@/${code//-/}/g")
    i=$((i + 1))
  done <"$tmp/codes.txt"
done
sed "${subst[@]}" "$src/tests/ui/$script" >"$tmp/$script"
if grep -q '@[KA][0-9]@' "$tmp/$script"; then
  echo "run-vote.sh: $script uses a code that was not made" >&2
  exit 1
fi
mkdir -p "$shots"
args=(--db "$db" --assets "$src/assets" --today 2026-11-25 --idle 60 --size "$size"
      --script "$tmp/$script" --shots "$shots")
if [ "$mode" = xvfb ]; then
  w=${size%x*} h=${size#*x}
  xvfb-run -a -s "-screen 0 ${w}x${h}x24 -nolisten tcp" "$kiosk" "${args[@]}" --fullscreen
else
  SDL_VIDEODRIVER=dummy "$kiosk" "${args[@]}" --headless
fi

fail=0
status=$("$ctl" --db "$db" ballot status)
while read -r _ ballot text; do
  if ! grep -F -- "$ballot:" <<<"$status" | grep -qF -- "$text"; then
    echo "$script: after the run, ballot status of $ballot lacks \"$text\":" >&2
    echo "$status" >&2
    fail=1
  fi
done < <(grep '^#after-status ' "$tmp/$script" || true)
while read -r _ ballot text; do
  out=$("$ctl" --db "$db" ballot tally --ballot "$ballot")
  if ! grep -qF -- "$text" <<<"$out"; then
    echo "$script: after the run, the tally of $ballot lacks \"$text\":" >&2
    echo "$out" >&2
    fail=1
  fi
done < <(grep '^#after-tally ' "$tmp/$script" || true)
while read -r _ kind want; do
  got=$(python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(c.execute("SELECT count(*) FROM outbox WHERE kind = ?", (sys.argv[2],)).fetchone()[0])' \
    "$db" "$kind")
  if [ "$got" != "$want" ]; then
    echo "$script: after the run, the outbox holds $got rows of kind $kind, not $want" >&2
    fail=1
  fi
done < <(grep '^#after-outbox ' "$tmp/$script" || true)
exit $fail
