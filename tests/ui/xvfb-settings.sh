#!/usr/bin/env bash
# The server's settings for one kiosk reaching the running kiosk, in a real window on
# a bare Xvfb: the place name and default language from the console's API, a changed
# place name arriving without a restart, and outside opening hours a black screen
# (pictures from the X server, xwd) that a touch does not wake and that opens again
# when the hours change.  Opening hours from kiosk.conf alone do the same.
#   usage: xvfb-settings.sh KIOSK KIOSKCTL SERVER SRC SHOTS
set -uo pipefail
kiosk=$1 ctl=$2 server=$3 src=$4 shots=$5
if [ -z "${XVFB_SETTINGS_INNER:-}" ]; then
  export XVFB_SETTINGS_INNER=1
  exec xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" bash "$0" "$@"
fi
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$src/tests/lib/check.sh"
mkdir -p "$shots"
spid= kp=
trap '[ -n "$kp" ] && kill $kp 2>/dev/null; [ -n "$spid" ] && kill $spid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
"$server" --db "$tmp/s.db" admin import "$src/assets/content/sample.json" >/dev/null || exit 1
"$server" --db "$tmp/s.db" admin device-add lobby | grep -oE '[0-9a-f]{64}' >"$tmp/token"
echo 'a long passphrase' | "$server" --db "$tmp/s.db" admin user-add anna --role admin >/dev/null
"$server" --db "$tmp/s.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet &
spid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$tmp/port")"
csrf=$(curl -s -c "$tmp/cookies" -H 'Content-Type: application/json' \
  -d '{"name":"anna","password":"a long passphrase"}' "$url/v1/admin/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
settings() {  # JSON: the kiosk's settings through the console's API
  curl -s -o "$tmp/reply" -w '%{http_code}' -b "$tmp/cookies" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $csrf" -d "$1" "$url/v1/admin/kiosks/lobby/settings"
}
# Hours closed today and tomorrow (so midnight during the test changes nothing), open
# all day otherwise: "now" is outside opening hours whenever this runs.
read -r closed_json open_json conf_hours < <(python3 - <<'P'
import datetime, json
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
t = datetime.date.today().weekday()
shut = {t, (t + 1) % 7}
print(json.dumps({d: ("closed" if i in shut else "00:00-24:00") for i, d in enumerate(days)}, separators=(",", ":")),
      json.dumps({d: "00:00-24:00" for d in days}, separators=(",", ":")),
      ",".join(f"{d}%00:00-24:00" for i, d in enumerate(days) if i not in shut))
P
)
conf_hours=${conf_hours//%/ }
check "save place, language, hours" 0 test "$(settings "{\"place\":\"Porvoon pääkirjasto\",\"language\":\"sv\",\"idle_s\":45,\"hours\":$open_json}")" = 200

# 1. The place name and Swedish as the default language arrive with the first sync;
#    a new place name saved while the kiosk runs shows without a restart.
cat >"$tmp/s1.script" <<'S'
await text "Porvoon pääkirjasto" 20000
expect button svenska on
expect text "Sök"
shot settings-place.png
await text "Kirjasto Entresse" 20000
expect button svenska on
shot settings-place-changed.png
S
( sleep 3; settings '{"place":"Kirjasto Entresse","language":"sv","idle_s":45}' >/dev/null ) &
later=$!
check "place name from the server, then changed without a restart" 0 \
  "$kiosk" --create-db --db "$tmp/k.db" --assets "$src/assets" --server "$url" \
  --token-file "$tmp/token" --sync-interval 5 --script "$tmp/s1.script" --shots "$shots" --fullscreen
sed 's/^/  /' "$tmp/err" | grep -v '^  $' | head -5
wait $later
check "settings stored on the kiosk" 0 "$ctl" --db "$tmp/k.db" sync settings
expect_in "stored place" "$tmp/out" '"place":"Kirjasto Entresse"'

shot() {  # NAME ARGS...: X-server screenshot with checks
  local name=$1
  shift
  check "$name" 0 python3 "$src/tests/ui/xshot.py" "$DISPLAY" "$shots/xvfb-$name.png" "$@"
  sed 's/^/  /' "$tmp/out"
}
black() {  # NAME: the whole screen one colour, black
  shot "$1" --bg 000000
  expect_in "$1 is one colour" "$tmp/out" "colours=1 "
}
start_kiosk() {
  rm -f "$tmp/first"
  "$kiosk" --db "$tmp/k.db" --assets "$src/assets" --first-frame "$tmp/first" "$@" 2>"$tmp/kiosk.err" &
  kp=$!
  for _ in $(seq 100); do [ -s "$tmp/first" ] && break; sleep 0.1; done
}
stop_kiosk() { kill $kp 2>/dev/null; wait $kp 2>/dev/null; kp=; }

# 2. Outside opening hours (from the server): black; a touch shows when it opens for
#    a few seconds ("Avataan: ..."), then black again with no further input.
check "save closed hours" 0 test "$(settings "{\"place\":\"Kirjasto Entresse\",\"hours\":$closed_json}")" = 200
start_kiosk --server "$url" --token-file "$tmp/token" --sync-interval 5
sleep 4
black closed
xdotool mousemove 683 400 click 1
sleep 1.5
shot closed-touched --bg 000000 --min-colours 2 --min-text-frac 0.002
sleep 6
black closed-after-touch
# Open again when the hours change (the next sync, then the closed screen's recheck).
check "save open hours" 0 test "$(settings "{\"place\":\"Kirjasto Entresse\",\"hours\":$open_json}")" = 200
for _ in $(seq 20); do
  sleep 2
  python3 "$src/tests/ui/xshot.py" "$DISPLAY" "$tmp/probe.png" >"$tmp/probe" 2>&1
  grep -q "colours=1 " "$tmp/probe" || break
done
shot reopened --min-colours 20
stop_kiosk

# 3. No server: opening hours from kiosk.conf do the same.
printf 'hours = %s\n' "$conf_hours" >"$tmp/kiosk.conf"
rm -f "$tmp/k2.db"
"$ctl" --db "$tmp/k2.db" import "$src/assets/content/sample.json" >/dev/null
kiosk_db=$tmp/k2.db
rm -f "$tmp/first"
"$kiosk" --config "$tmp/kiosk.conf" --db "$kiosk_db" --assets "$src/assets" --first-frame "$tmp/first" \
  2>"$tmp/kiosk.err" &
kp=$!
for _ in $(seq 100); do [ -s "$tmp/first" ] && break; sleep 0.1; done
sleep 1
black conf-closed
stop_kiosk
finish
