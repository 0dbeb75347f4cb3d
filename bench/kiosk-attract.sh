#!/usr/bin/env bash
# Runs inside xvfb-run at 1920x1080 (see run.sh).  usage: kiosk-attract.sh BUILD DB
# The kiosk as it stands in a room: the time from process start to the first frame on
# the X server, the attract screen's CPU over 60 idle seconds (utime + stime of
# /proc/PID/stat), resident memory after start and after a tour of every screen
# (bench/tour.script in a real window), and the machine's load while measuring.
set -euo pipefail
build=$1 db=$2
tmp=$(mktemp -d)
kp=
trap '[ -n "$kp" ] && kill "$kp" 2>/dev/null; rm -rf "$tmp"' EXIT
echo "load before: $(uptime)"
# A copy with a coordinator PIN, so the tour reaches the coordinator's screens.
cp "$db" "$tmp/k.db"
echo 2580 | "$build/kioskctl" --db "$tmp/k.db" pin set >/dev/null
kiosk=("$build/kiosk/kiosk" --db "$tmp/k.db" --assets assets --today 2026-11-25)

# Idle 5 s: Home with nothing to wipe gives way to the attract screen.
start=$(date +%s.%N)
"${kiosk[@]}" --idle 5 --place "Porvoon pääkirjasto" --first-frame "$tmp/ff" &
kp=$!
for _ in $(seq 500); do [ -s "$tmp/ff" ] && break; sleep 0.01; done
awk -v s="$start" -v f="$(cat "$tmp/ff")" \
  'BEGIN{printf "first frame (attract run): %.0f ms after process start\n", (f - s) * 1000}'
sleep 1
grep -E 'VmRSS' "/proc/$kp/status" | sed 's/^VmRSS:/RSS after start:/'
sleep 9  # past the idle time
# The search index is built on a worker thread after the first frame (seconds for
# 100 000 items on a loaded machine): wait until 5 s pass with at most one tick of CPU,
# at most 180 s, so the 60 s below measure the attract screen and nothing else.
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$kp/stat"; }
settle=0
for _ in $(seq 36); do
  a=$(ticks); sleep 5; b=$(ticks); settle=$((settle + 5))
  [ $((b - a)) -le 1 ] && break
done
echo "settled (index built) after $((settle + 10)) s"
# The picture on the X server is the attract screen (its background colour at 5,5).
if python3 tests/ui/xshot.py "$DISPLAY" "$tmp/attract.png" --pixel 5,5,eeebe4 >/dev/null; then
  echo "attract screen: showing"
else
  echo "attract screen: NOT showing (figures below are of another screen)"
fi
t0=$(ticks)
w0=$(date +%s.%N)
sleep 60
t1=$(ticks)
w1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v hz="$hz" -v w="$w0" -v x="$w1" \
  'BEGIN{printf "attract idle CPU over %.0f s: %d ticks = %.2f %% of one core (target near 0)\n", x - w, b - a, (b - a) / hz / (x - w) * 100}'
grep -E 'VmRSS' "/proc/$kp/status" | sed 's/^VmRSS:/RSS after 60 s on the attract screen:/'
kill "$kp"; wait "$kp" 2>/dev/null || true
kp=

# The tour: every screen once, in a real window; `rss` prints VmHWM and VmRSS.
"${kiosk[@]}" --size 1920x1080 --script bench/tour.script --shots "$tmp" >"$tmp/tour.out"
awk '/VmRSS/ { n++; printf "RSS %s: %s %s\n", n == 1 ? "after start (tour run)" : "after touring all screens", $2, $3 }
     /VmHWM/ { h = $2 " " $3 } END { print "peak RSS during the tour: " h }' "$tmp/tour.out"
echo "load after: $(uptime)"
