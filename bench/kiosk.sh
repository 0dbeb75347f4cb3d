#!/usr/bin/env bash
# Runs inside xvfb-run (see run.sh).  usage: kiosk.sh BUILD DB
set -euo pipefail
build=$1 db=$2
kiosk=("$build/kiosk/kiosk" --db "$db" --assets assets)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Process start to first presented frame, five runs.
for i in 1 2 3 4 5; do
  rm -f "$tmp/ff"
  start=$(date +%s.%N)
  "${kiosk[@]}" --first-frame "$tmp/ff" &
  pid=$!
  for _ in $(seq 200); do [ -s "$tmp/ff" ] && break; sleep 0.01; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v s="$start" -v f="$(cat "$tmp/ff")" 'BEGIN{printf "first frame: %.0f ms\n", (f - s) * 1000}'
done

# Idle: after the index is built, 10 s with no input.
"${kiosk[@]}" &
pid=$!
sleep 6
t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
sleep 10
t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
hz=$(getconf CLK_TCK)
awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN{printf "idle CPU over 10 s: %.2f %%\n", (b - a) / hz / 10 * 100}'
grep -E 'VmRSS|VmHWM' "/proc/$pid/status" | sed 's/^/idle kiosk /'
kill "$pid"; wait "$pid" 2>/dev/null || true

# Fling-scrolling the association list (80 000 items), frame by frame.
"${kiosk[@]}" --script bench/scroll.script --today 2026-11-25
