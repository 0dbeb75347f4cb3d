#!/usr/bin/env bash
# keyboard_sizes.script at one screen size in a real window (run-station.sh, xvfb):
# Home's feedback tile lies below the fold on small and portrait panels, so the script
# starts with a slow drag of Home that fits the size.
#   usage: keyboard-sizes.sh KIOSK KIOSKCTL SRC SHOTS WxH DPI
set -euo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4 size=$5 dpi=$6
w=${size%x*} h=${size#*x}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "drag $((w / 2)) $((h * 5 / 6)) $((w / 2)) $((h / 4)) 900"
  echo "wait 1500"
  cat "$src/tests/ui/keyboard_sizes.script"
} >"$tmp/keyboard-$size.script"
bash "$src/tests/ui/run-station.sh" "$kiosk" "$ctl" "$src" "$shots" "$tmp/keyboard-$size.script" \
  xvfb "$size" "$dpi"
