#!/usr/bin/env bash
# A response reaches the server within seconds of being stored, not at the next
# periodic sync: the kiosk syncs every 300 s here, and a feedback (two taps merged into
# one) is on the server a few seconds after the person leaves the feedback screen.
# usage: sync_nudge.sh KIOSK SERVER SRC
set -euo pipefail
kiosk=$1 server=$2 src=$3
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$server" --db "$tmp/server.db" admin import "$src/assets/content/sample.json" >/dev/null
"$server" --db "$tmp/server.db" admin device-add lobby | grep -oE '[0-9a-f]{64}' >"$tmp/token"
"$server" --db "$tmp/server.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$tmp/port")"
count() {
  sqlite3 "$tmp/server.db" "SELECT count(*) || ' ' || coalesce(sum(json_extract(payload, '$.merged')), 0)
    FROM response WHERE kind = 'feedback'"
}
# The first sync is over before the feedback is given; the next periodic one would be
# five minutes later, long after the script (and the kiosk) ended.
cat >"$tmp/s.script" <<'S'
await text "Ajan tasalla"
tap Palaute
tap "Tosi tyytyväinen"
tap Tyytyväinen
tap Etusivu
realtime 5000
S
SDL_VIDEODRIVER=dummy "$kiosk" --headless --create-db --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server "$url" --token-file "$tmp/token" --sync-interval 300 --script "$tmp/s.script"
got=$(count)
if [ "$got" != "1 1" ]; then
  echo "expected one feedback with one merged tap on the server, got: $got" >&2
  exit 1
fi
