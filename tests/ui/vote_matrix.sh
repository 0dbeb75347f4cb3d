#!/usr/bin/env bash
# The voting steps at one screen size: intro, the project list, a project page, the
# code keyboard (empty and with its error), the picks, a refused pick on a project
# page, "Stop voting?" after Back and in the idle warning, review and receipt, in a
# real window on a bare Xvfb, each checked on the widget list (`expect layout`: no
# button text cut, nothing overlapping, no target under 9 mm at the panel's DPI,
# nothing outside the window) and photographed from the X server (shots/vote-matrix/).
#   usage: vote_matrix.sh KIOSK KIOSKCTL SRC SHOTS WxH DPI CONFIG...
#   CONFIG: LANG[+aplus][+contrast], e.g. fi+aplus sv+aplus
set -uo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4 size=$5 dpi=$6
shift 6
w=${size%x*} h=${size#*x}
if [ -z "${VMATRIX_INNER:-}" ]; then
  export VMATRIX_INNER=1
  exec xvfb-run -a -s "-screen 0 ${w}x${h}x24 -nolisten tcp" bash "$0" "$kiosk" "$ctl" \
    "$src" "$shots" "$size" "$dpi" "$@"
fi
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$src/tests/lib/check.sh"
db=$tmp/ui.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null || exit 1
echo 2580 | "$ctl" --db "$db" pin set >/dev/null || exit 1
"$ctl" --db "$db" ballot import "$src"/assets/content/ballots/*.json >/dev/null || exit 1
out=$shots/vote-matrix
mkdir -p "$out"
for config in "$@"; do
  IFS=+ read -r lang flags <<<"$config"
  name="$size-${config//+/-}"
  cp "$db" "$tmp/run.db"
  "$ctl" --db "$tmp/run.db" ballot codes --ballot porvoo-toimintaraha-2026 --count 2 \
    --out "$tmp/sheet.png" --txt "$tmp/codes.txt" >/dev/null || exit 1
  mapfile -t codes < <(tr -d - <"$tmp/codes.txt")
  python3 "$src/tests/ui/vote_matrix.py" "$src" "$lang" "$name" "${codes[0]}" "${codes[1]}" \
    ${flags//+/ } >"$tmp/$name.script"
  check "$name" 0 "$kiosk" --db "$tmp/run.db" --assets "$src/assets" --today 2026-11-25 \
    --idle 60 --lang "$lang" --dpi "$dpi" --fullscreen --script "$tmp/$name.script" \
    --shots "$out"
  [ -s "$tmp/err" ] && sed 's/^/  /' "$tmp/err" | head -40
  # the confirmed ballot, and only it, is stored
  "$ctl" --db "$tmp/run.db" ballot status >"$tmp/status" 2>&1
  expect_in "$name stored" "$tmp/status" "votes 1 with code + 0 staff"
done
finish
