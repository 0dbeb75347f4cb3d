#!/usr/bin/env bash
# Runs one UI script as run-ui.sh does (sample content, PIN 2580), with the sample
# surveys and workshop definitions imported too, then checks the database the kiosk
# wrote: every script line "#check ARGS => REGEX" runs `kioskctl ARGS` on the same
# database and needs REGEX (grep -E) in its output.  Script mode skips those lines
# as comments.
# usage: run-station.sh KIOSK KIOSKCTL SRC SHOTS SCRIPT MODE [SIZE [DPI]]
set -euo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4 script=$5 mode=$6 size=${7:-1920x1080} dpi=${8:-}
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/ui.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null
echo 2580 | "$ctl" --db "$db" pin set >/dev/null
"$ctl" --db "$db" survey import "$src"/assets/content/surveys/*.json >/dev/null
mkdir -p "$shots"
case $script in /*) spath=$script ;; *) spath=$src/tests/ui/$script ;; esac
args=(--db "$db" --assets "$src/assets" --today 2026-11-25 --idle 60
      --size "$size" --script "$spath" --shots "$shots")
[ -n "$dpi" ] && args+=(--dpi "$dpi")
if [ "$mode" = xvfb ]; then
  w=${size%x*} h=${size#*x}
  xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$kiosk" "${args[@]}" --fullscreen
else
  SDL_VIDEODRIVER=dummy "$kiosk" "${args[@]}" --headless
fi
fails=0
while IFS= read -r line; do
  spec=${line#\#check }
  cmd=${spec%% => *} want=${spec#* => }
  read -r -a words <<<"$cmd"
  out=$("$ctl" --db "$db" "${words[@]}" 2>&1) || true
  if grep -Eq -- "$want" <<<"$out"; then
    echo "check ok: kioskctl $cmd => $want"
  else
    echo "check FAILED: kioskctl $cmd has no \"$want\"; it printed:" >&2
    printf '%s\n' "$out" >&2
    fails=$((fails + 1))
  fi
done < <(grep "^#check " "$spath" || true)
[ "$fails" -eq 0 ]
