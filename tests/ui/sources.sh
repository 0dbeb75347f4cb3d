#!/usr/bin/env bash
# A kiosk syncing from a server that imported Linked Events (docs/sources.md): the
# events are in its calendar with their date and area, the card has the time, the
# address and the venue, and a cancelled event says so.
# usage: sources.sh KIOSK SERVER SRC SHOTS
set -euo pipefail
kiosk=$1 server=$2 src=$3 shots=$4
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$server" --db "$tmp/server.db" admin import-source linkedevents --quiet \
  --file "$src/tests/data/sources/linkedevents/v1/event.json" --now 2026-12-01T00:00 >/dev/null
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
expect text "3.12.2026"
expect text "Kallio"
expect text "Joulukonsertti"
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
