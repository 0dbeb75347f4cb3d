#!/usr/bin/env bash
# The coordinator PIN pad while another connection holds the write lock: the check
# fails closed with a plain message (pin_locked.script).
# usage: pin_locked.sh KIOSK KIOSKCTL SRC SHOTS
set -euo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
holder=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
db=$tmp/ui.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null
echo 2580 | "$ctl" --db "$db" pin set >/dev/null
mkdir -p "$shots"
args=(--db "$db" --assets "$src/assets" --today 2026-11-25 --idle 60 --size 1280x800
      --shots "$shots" --headless)
# A first run creates every module's tables, so the locked run writes nothing to start.
printf 'expect text "Yhdistykset"\n' >"$tmp/none.script"
SDL_VIDEODRIVER=dummy "$kiosk" "${args[@]}" --script "$tmp/none.script" >/dev/null
# The holder: a write transaction left open until it is killed.
mkfifo "$tmp/in"
sqlite3 "$db" <"$tmp/in" >/dev/null 2>&1 &
holder=$!
exec 3>"$tmp/in"
echo "BEGIN IMMEDIATE; UPDATE meta SET value = value WHERE key = 'pin.fails';" >&3
for _ in $(seq 100); do
  sqlite3 "$db" ".timeout 0" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
  sleep 0.05
done
if sqlite3 "$db" ".timeout 0" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; then
  echo "FAIL: the lock holder did not take the write lock"; exit 1
fi
SDL_VIDEODRIVER=dummy "$kiosk" "${args[@]}" --script "$src/tests/ui/pin_locked.script" \
  2>"$tmp/err"
cat "$tmp/err" >&2
# The operator's log has the details the screen leaves out.
grep -q "PIN check: .*locked" "$tmp/err" || { echo "FAIL: no log line"; exit 1; }
exec 3>&-
wait "$holder" 2>/dev/null || true
holder=
# Nothing was compared while locked, so nothing was counted.
fails=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'pin.fails'")
[ "$fails" = 0 ] || { echo "FAIL: pin.fails is $fails"; exit 1; }
echo "PASS"
