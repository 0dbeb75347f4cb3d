#!/usr/bin/env bash
# The kiosk under systemd's notify protocol: READY=1 after the first frame, then
# WATCHDOG=1 from the event loop at half of WATCHDOG_USEC even while nobody touches
# the screen; and none once the loop stops (SIGSTOP), which is what makes systemd
# restart a hung kiosk.  usage: watchdog.sh KIOSK KIOSKCTL SRC
set -euo pipefail
kiosk=$1 ctl=$2 src=$3
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && { kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"$ctl" --db "$tmp/k.db" import "$src/assets/content/sample.json" >/dev/null
# systemd's side: a datagram socket that records what arrives, with arrival times.
python3 - "$tmp/notify" "$tmp/log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(12)
with open(sys.argv[2], "w", buffering=1) as log:
    try:
        while True:
            msg = s.recv(4096).decode()
            log.write("%.3f %s\n" % (time.monotonic(), msg.strip().replace("\n", ",")))
    except socket.timeout:
        pass
PY
listener=$!
for _ in $(seq 100); do [ -S "$tmp/notify" ] && break; sleep 0.05; done
# WATCHDOG_USEC 0.5 s: a ping every 0.25 s.  The dummy video driver gives a real
# window and event loop without a display.
NOTIFY_SOCKET="$tmp/notify" WATCHDOG_USEC=500000 SDL_VIDEODRIVER=dummy \
  "$kiosk" --db "$tmp/k.db" --assets "$src/assets" --windowed --size 800x600 &
pid=$!
sleep 3
kill -STOP "$pid"
stopped=$(wc -l <"$tmp/log")
sleep 1.5
after=$(wc -l <"$tmp/log")
kill -CONT "$pid"
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
kill "$listener" 2>/dev/null || true
cat "$tmp/log" | head -3
ready=$(grep -c "READY=1" "$tmp/log" || true)
pings=$(grep -c "WATCHDOG=1" "$tmp/log" || true)
echo "READY=1 x$ready, WATCHDOG=1 x$pings in ~3 s; after SIGSTOP: $((after - stopped)) more"
[ "$ready" -eq 1 ] || { echo "FAIL: READY=1 $ready times"; exit 1; }
# 3 s at one ping per 0.25 s is 12; a loaded machine may start late.
[ "$pings" -ge 6 ] || { echo "FAIL: only $pings watchdog pings"; exit 1; }
[ "$after" -eq "$stopped" ] || { echo "FAIL: pings while the loop was stopped"; exit 1; }
echo PASS
