#!/usr/bin/env bash
# The screen matrix at one screen size: the main screens in the given configurations
# (language, A+, contrast), in the real window on a bare Xvfb, each screen checked on
# the UI layer's widget list (`expect layout`: no button text cut, no two buttons or
# texts on top of each other, no target under 9 mm at the panel's DPI, nothing outside
# the window) and photographed from the X server.
#   usage: matrix.sh KIOSK KIOSKCTL SRC SHOTS WxH DPI CONFIG...
#   CONFIG: LANG[+aplus][+contrast], e.g. fi sv+aplus en+aplus+contrast
set -uo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4 size=$5 dpi=$6
shift 6
w=${size%x*} h=${size#*x}
if [ -z "${MATRIX_INNER:-}" ]; then
  export MATRIX_INNER=1
  exec xvfb-run -a -s "-screen 0 ${w}x${h}x24 -nolisten tcp" bash "$0" "$kiosk" "$ctl" \
    "$src" "$shots" "$size" "$dpi" "$@"
fi
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$src/tests/lib/check.sh"
db=$tmp/ui.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null || exit 1
echo 2580 | "$ctl" --db "$db" pin set >/dev/null || exit 1
"$ctl" --db "$db" survey import "$src"/assets/content/surveys/*.json >/dev/null || exit 1
"$ctl" --db "$db" ballot import "$src"/assets/content/ballots/*.json >/dev/null || exit 1
out=$shots/matrix
mkdir -p "$out"
for config in "$@"; do
  IFS=+ read -r lang flags <<<"$config"
  name="$size-${config//+/-}"
  python3 "$src/tests/ui/matrix.py" "$src" "$lang" "$name" ${flags//+/ } >"$tmp/$name.script"
  cp "$db" "$tmp/run.db"
  check "$name" 0 "$kiosk" --db "$tmp/run.db" --assets "$src/assets" --today 2026-11-25 \
    --lang "$lang" --dpi "$dpi" --place "Porvoon pääkirjasto – Borgå huvudbibliotek" --fullscreen --script "$tmp/$name.script" --shots "$out"
  [ -s "$tmp/err" ] && sed 's/^/  /' "$tmp/err" | head -40
done
finish
