#!/usr/bin/env bash
# Runs one UI script against a fresh database holding the sample content and the
# PIN 2580.  usage: run-ui.sh KIOSK KIOSKCTL SRC SHOTS SCRIPT MODE [SIZE]
#   MODE headless: SDL draws into memory; xvfb: a real window on an Xvfb display.
set -euo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4 script=$5 mode=$6 size=${7:-1920x1080}
# Under AddressSanitizer: leaks in system libraries behind a real X11 window are not
# ours to fix.
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ctl" --db "$tmp/ui.db" import "$src/assets/content/sample.json" >/dev/null
echo 2580 | "$ctl" --db "$tmp/ui.db" pin set >/dev/null
mkdir -p "$shots"
# A script may set the day it runs on in a "#today YYYY-MM-DD" line (default 2026-11-25).
today=$(sed -n 's/^#today //p' "$src/tests/ui/$script" | head -1)
args=(--db "$tmp/ui.db" --assets "$src/assets" --today "${today:-2026-11-25}" --idle 60
      --size "$size" --script "$src/tests/ui/$script" --shots "$shots")
# A script may name the kiosk's place (kiosk.conf `place`) in a "#place TEXT" line.
place=$(sed -n 's/^#place //p' "$src/tests/ui/$script" | head -1)
[ -n "$place" ] && args+=(--place "$place")
if [ "$mode" = xvfb ]; then
  w=${size%x*} h=${size#*x}
  exec xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$kiosk" "${args[@]}" --fullscreen
fi
SDL_VIDEODRIVER=dummy exec "$kiosk" "${args[@]}" --headless
