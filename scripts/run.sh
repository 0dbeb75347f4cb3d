#!/usr/bin/env bash
# `make run`: the kiosk with the built-in sample content.
#   With a display: a window (close it, or use the coordinator menu: long press the
#   top-left corner for 3 s, PIN 2580).
#   Without one (a server, CI): the kiosk runs under Xvfb through a short tour and
#   saves its screenshots, then says where they are.
set -euo pipefail
build=${1:-build}
db="$build/sample.db"
ctl="$build/kioskctl"
fresh=0
[ -f "$db" ] || fresh=1
"$ctl" --db "$db" import assets/content/sample.json
"$ctl" --db "$db" survey import assets/content/surveys/*.json
"$ctl" --db "$db" ballot import assets/content/ballots/*.json
# Voting codes for trying the Porvoo youth budget vote (a printable sheet too).
if [ "$fresh" = 1 ] || [ ! -s "$build/demo-codes.txt" ]; then
  "$ctl" --db "$db" ballot codes --ballot porvoo-toimintaraha-2026 --count 6 \
    --out "$build/demo-codes.png" --txt "$build/demo-codes.txt" >/dev/null
fi
echo "voting codes for this demo (one vote each): $(tr '\n' ' ' <"$build/demo-codes.txt")"
echo "  (a printable sheet with QR codes: $build/demo-codes.png)"
# A demo PIN so the coordinator menu can be tried; a real kiosk sets its own.
if ! sqlite3 "$db" "SELECT 1 FROM meta WHERE key = 'pin.hash'" 2>/dev/null | grep -q 1; then
  echo 2580 | "$ctl" --db "$db" pin set >/dev/null
  echo "coordinator PIN for this demo: 2580"
fi
kiosk=("$build/kiosk/kiosk" --db "$db" --assets assets)
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "starting the kiosk in a window (coordinator menu: hold the top-left corner 3 s)"
  exec "${kiosk[@]}" --windowed --size 1600x900
fi
shots="$build/shots"
mkdir -p "$shots"
echo "no display: running the kiosk under Xvfb at 1920x1080 for a short tour"
xvfb-run -a -s "-screen 0 1920x1080x24" "${kiosk[@]}" \
  --script assets/demo.script --shots "$shots" --today 2026-11-25
echo "screenshots of the tour are in $shots/:"
ls -1 "$shots" | sed 's/^/  /'
