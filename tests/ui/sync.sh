#!/usr/bin/env bash
# The kiosk syncing with a real kiosk-server on loopback: an empty kiosk gets the
# catalog, shows its sync state, and a change on the server reaches the screen.
# usage: sync.sh KIOSK KIOSKCTL SERVER SRC SHOTS
set -euo pipefail
kiosk=$1 ctl=$2 server=$3 src=$4 shots=$5
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
mkdir -p "$shots"
cat >"$tmp/s1.script" <<'S'
await text "Ajan tasalla"
tap Yhdistykset
await text "Ahlaisten Kyläyhdistys ry"
shot fi-synced-browse.png
tap Etusivu
tap Kontrasti
S
# A new kiosk: its first run makes the database (never silently: --create-db).
SDL_VIDEODRIVER=dummy "$kiosk" --headless --create-db --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server "$url" --token-file "$tmp/token" --sync-interval 5 --script "$tmp/s1.script" \
  --shots "$shots"
# A new association on the server reaches the running kiosk's search.
cat >"$tmp/new.json" <<'J'
{"format":"kiosk-content","version":1,"items":[{"id":"a-sync-test","kind":"association",
 "name":{"fi":"Synkronoinnin Testiseura ry"}}]}
J
cat >"$tmp/s2.script" <<'S'
await text "Ajan tasalla"
tap Hae
type testiseura
await text "Synkronoinnin Testiseura ry" 20000
shot fi-synced-search.png
S
( sleep 1; "$server" --db "$tmp/server.db" admin import "$tmp/new.json" >/dev/null ) &
SDL_VIDEODRIVER=dummy "$kiosk" --headless --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server "$url" --token-file "$tmp/token" --sync-interval 5 --script "$tmp/s2.script" \
  --shots "$shots"
# A row the server refuses (a ballot row with a field it does not know) is set aside
# and the coordinator menu says so with the reason.
sqlite3 "$tmp/kiosk.db" "INSERT INTO outbox(uuid, kind, payload) VALUES
  ('0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d01', 'ballot',
   '{\"ballot\":\"b1\",\"picks\":[],\"eligibility\":\"staff\",\"x\":1}')"
echo 2580 | "$ctl" --db "$tmp/kiosk.db" pin set >/dev/null
cat >"$tmp/s5.script" <<'S'
await text "Ajan tasalla"
longpress 30 30 3100
type 2580
tap OK
await text "Sivuun siirretty (palvelin hylkäsi): 1"
expect text "unknown field"
expect layout
shot fi-admin-set-aside.png
S
SDL_VIDEODRIVER=dummy "$kiosk" --headless --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server "$url" --token-file "$tmp/token" --sync-interval 5 --script "$tmp/s5.script" \
  --shots "$shots"
"$ctl" --db "$tmp/kiosk.db" sync status | grep -q "set aside: *1, the newest: .*unknown field"
# The server goes away: the kiosk keeps working and says it is offline.
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
cat >"$tmp/s3.script" <<'S'
await text "Ei yhteyttä" 20000
tap Hae
type testiseura
expect text "Synkronoinnin Testiseura ry"
shot fi-offline.png
S
SDL_VIDEODRIVER=dummy "$kiosk" --headless --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server "$url" --token-file "$tmp/token" --sync-interval 5 --script "$tmp/s3.script" \
  --shots "$shots"
# Plain http to a server that is not this machine: refused unless the insecure option
# is on, and then the sync line says so (192.0.2.1 is a documentation address).
if SDL_VIDEODRIVER=dummy "$kiosk" --headless --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server http://192.0.2.1:9 --token-file "$tmp/token" --script "$tmp/s3.script" \
  2>"$tmp/err"; then
  echo "FAIL: the kiosk accepted plain http to 192.0.2.1"; exit 1
fi
grep -q "refusing plain http" "$tmp/err" || { cat "$tmp/err"; exit 1; }
cat >"$tmp/s4.script" <<'S'
await text "suojaamaton http"
shot fi-insecure-http.png
S
SDL_VIDEODRIVER=dummy "$kiosk" --headless --db "$tmp/kiosk.db" --assets "$src/assets" \
  --server http://192.0.2.1:9 --token-file "$tmp/token" --allow-insecure-http \
  --script "$tmp/s4.script" --shots "$shots"
echo "sync UI: 5 passed, 0 failed"
