#!/usr/bin/env bash
# Start-up on a bare X server (no window manager), as on a kiosk PC, pictures from the
# X server (xwd):
#  - the shipped assets/kiosk.conf.example (`fullscreen`) covers the whole display and
#    lays out for it: corners are the kiosk's, the rightmost top-bar button (Contrast)
#    answers a real tap.  Before: a 1280x800 window in the middle, laid out for the
#    whole screen, its right-hand buttons outside the window (issue 18, defect 2);
#  - a start-up failure (no database) is said on the screen, never a black screen.
#   usage: xvfb-start.sh KIOSK KIOSKCTL SRC SHOTS
set -uo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4
W=1366 H=768
if [ -z "${XVFB_START_INNER:-}" ]; then
  export XVFB_START_INNER=1
  exec xvfb-run -a -s "-screen 0 ${W}x${H}x24 -nolisten tcp" bash "$0" "$@"
fi
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$src/tests/lib/check.sh"
mkdir -p "$shots"
"$ctl" --db "$tmp/k.db" import "$src/assets/content/sample.json" >/dev/null || exit 1
kp=
trap '[ -n "$kp" ] && kill $kp 2>/dev/null; rm -rf "$tmp"' EXIT
start() {  # ARGS...: runs the kiosk, waits for a picture
  rm -f "$tmp/first"
  "$kiosk" "$@" 2>"$tmp/kiosk.err" &
  kp=$!
  sleep 2.5
}
stop() { kill $kp 2>/dev/null; wait $kp 2>/dev/null; kp=; }
shot() {
  local name=$1
  shift
  check "$name" 0 python3 "$src/tests/ui/xshot.py" "$DISPLAY" "$shots/xvfb-start-$name.png" "$@"
  sed 's/^/  /' "$tmp/out"
}
accent=0b4a7f bg=eeebe4 failbar=852200

start --config "$src/assets/kiosk.conf.example" --db "$tmp/k.db" --assets "$src/assets"
shot conf-fullscreen --min-colours 20 --pixel 0,0,$accent --pixel -1,-1,$bg \
  --pixel -1,0,$accent
xdotool mousemove $((W - 25)) 38 click 1
sleep 1
shot conf-contrast --min-colours 20 --bg 101010
stop

start --db "$tmp/missing/k.db" --assets "$src/assets"
shot no-database --min-colours 20 --pixel 0,0,$failbar --pixel -1,-1,$bg
expect_in "message on stderr too" "$tmp/kiosk.err" "does not exist"
stop
finish
