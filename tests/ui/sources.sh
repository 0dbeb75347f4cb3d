#!/usr/bin/env bash
# A kiosk syncing from a server that imported Linked Events (docs/sources.md): the
# events are in its calendar, each row with its weekday, date, time and place
# ("to 3.12.", "klo 16  ·  Kallion kirjasto", "Tänään" for today) and a cancelled or
# postponed event saying so on the row; the card has the time, the address and the
# venue.  Then the synced calendar in a real window on a bare Xvfb at 1024x600 and
# 3840x2160 in fi, sv and en, checked on the widget list (`expect layout`) and
# photographed from the X server (shots/sources-*.png).
# usage: sources.sh KIOSK SERVER SRCSERVE SRC SHOTS
set -euo pipefail
kiosk=$1 server=$2 srcserve=$3 src=$4 shots=$5
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
pid=
cleanup() { exec 9>&-; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
# Both pages of the fixture, from the source tests' loopback server (it stops when
# its standard input, fd 9 here, closes).
mkfifo "$tmp/ctl"
"$srcserve" "$src/tests/data/sources" <"$tmp/ctl" >"$tmp/sport" &
exec 9>"$tmp/ctl"
for _ in $(seq 100); do [ -s "$tmp/sport" ] && break; sleep 0.05; done
"$server" --db "$tmp/server.db" admin import-source linkedevents --quiet \
  --url "http://127.0.0.1:$(awk '{print $2}' "$tmp/sport")/linkedevents/v1/event/" \
  --now 2026-12-01T00:00 >/dev/null
"$server" --db "$tmp/server.db" admin device-add lobby | grep -oE '[0-9a-f]{64}' >"$tmp/token"
"$server" --db "$tmp/server.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$tmp/port")"
mkdir -p "$shots"
cat >"$tmp/s.script" <<'S'
await text "Ajan tasalla"
tap Tapahtumat
await text "Satutunti lapsille"
expect text "joulukuu 2026"
expect text "Satutunti lapsille, to 3.12. klo 16"
expect text "klo 16  ·  Kallion kirjasto"
expect text "Senioritanssit, Tänään klo 13"
expect text "Tänään"
expect text "Joulukonsertti, to 10.12. klo 19, Peruttu"
expect text "klo 19  ·  Vallilan kirjasto"
expect text "Kirjailijavieras, la 12.12. klo 10, Siirretty"
expect text "Siirretty"
shot fi-sources-calendar.png
tap "Satutunti lapsille"
await text "3.12.2026 16.00"
expect text "Tervetuloa kuuntelemaan satuja!"
drag 900 900 900 150 400
wait 1500
expect text "Viides linja 11, Helsinki"
expect text "Kallion kirjasto"
shot fi-sources-card.png
tap Takaisin
tap Joulukonsertti
await text "Joululauluja kuorolle"
expect text "Tila"
expect text "Peruttu"
shot fi-sources-cancelled.png
S
SDL_VIDEODRIVER=dummy "$kiosk" --headless --create-db --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server "$url" --token-file "$tmp/token" --sync-interval 5 --today 2026-12-01 \
  --script "$tmp/s.script" --shots "$shots"

# The same calendar in a real window: two sizes, three languages.
cal() {  # SIZE DPI LANG TILE LINE...
  local size=$1 dpi=$2 lang=$3 tile=$4
  shift 4
  {
    echo "tap \"$tile\""
    for l in "$@"; do echo "await text \"$l\""; done
    echo "expect layout"
    echo "shot sources-$size-$lang.png"
  } >"$tmp/$size-$lang.script"
  cp "$tmp/kiosk.db" "$tmp/run.db"
  xvfb-run -a -s "-screen 0 ${size}x24 -nolisten tcp" \
    "$kiosk" --db "$tmp/run.db" --assets "$src/assets" --today 2026-12-01 --lang "$lang" \
    --dpi "$dpi" --fullscreen --script "$tmp/$size-$lang.script" --shots "$shots"
}
for sd in 1024x600:118 3840x2160:163; do
  size=${sd%:*} dpi=${sd#*:}
  cal "$size" "$dpi" fi Tapahtumat "to 3.12. klo 16" "Tänään klo 13" "Peruttu"
  cal "$size" "$dpi" sv Evenemang "tor 3.12. kl. 16" "Idag kl. 13" "Inställt"
  cal "$size" "$dpi" en Events "Thu 3 Dec 16:00" "Today 13:00" "Cancelled"
done
