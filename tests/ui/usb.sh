#!/usr/bin/env bash
# The coordinator's "Export to USB stick" (kiosk/usb.c, core/stick.h) in a real window
# under a bare Xvfb: the kiosk runs a UI script (PIN, the menu's button, the result on
# screen) while this script photographs the X server once the export has finished, and
# then reads the files on the "stick" back.  Cases: a stick (a folder named by
# export-dir: mounting needs privileges), no stick, and, when run as root, a read-only
# and a full stick (tiny tmpfs mounts found through usb-roots in the real mount table).
#   usage: usb.sh KIOSK KIOSKCTL SRC SHOTS
set -uo pipefail
kiosk=$1 ctl=$2 src=$3 shots=$4
if [ -z "${USB_INNER:-}" ]; then
  export USB_INNER=1
  fails=0
  # fi on a 7" 1024x600 panel, sv on a portrait 1080x1920 one.
  xvfb-run -a -s "-screen 0 1024x600x24 -nolisten tcp" bash "$0" "$@" fi 1024x600 ||
    fails=1
  xvfb-run -a -s "-screen 0 1080x1920x24 -nolisten tcp" bash "$0" "$@" sv 1080x1920 ||
    fails=1
  exit $fails
fi
lang=$5 size=$6
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$src/tests/lib/check.sh"
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$shots"
db=$tmp/k.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null || exit 1
echo 2580 | "$ctl" --db "$db" pin set >/dev/null || exit 1
"$ctl" --db "$db" survey import "$src"/assets/content/surveys/*.json >/dev/null || exit 1
ws=$("$ctl" --db "$db" workshop start ylojarvi-kumppanuusfoorumi | grep -Eo '[0-9a-f-]{36}' | head -1)
[ -n "$ws" ] || { echo "FAIL no workshop started"; exit 1; }
"$ctl" --db "$db" workshop answer "$ws" seniorit tavoite "yhteinen tekeminen" "tieto; \"kulkee\"" \
  >/dev/null || { echo "FAIL workshop answer"; exit 1; }

if [ "$lang" = fi ]; then
  T_BTN="Vie USB-tikulle" T_OK="Viety kansioon"
  T_NONE="USB-tikkua ei löytynyt" T_RO="vain luku" T_FULL="USB-tikku on täynnä"
  T_ROWS="feedback.csv: 0 riviä" T_WS="rivi"
else
  T_BTN="Exportera till USB-minne" T_OK="Exporterat till"
  T_NONE="Inget USB-minne hittades" T_RO="skrivskyddat" T_FULL="USB-minnet är fullt"
  T_ROWS="feedback.csv: 0 rader" T_WS="rad"
fi
w=${size%x*} h=${size#*x}

# run NAME EXPECT [kiosk args...]: opens the menu, taps the button, waits for EXPECT;
# the X server's picture is taken while the script keeps the result on screen.
run() {
  local name=$1 want=$2
  shift 2
  {
    [ "$lang" = sv ] && echo "tap svenska"
    echo "longpress 30 30 3100"
    echo "type 2580"
    echo "tap OK"
    # the button lies below the fold on short panels
    echo "drag $((w / 2)) $((h * 5 / 6)) $((w / 2)) $((h / 6)) 900"
    echo "wait 1200"
    echo "tap \"$T_BTN\""
    echo "await text \"$want\" 20000"
    echo "expect layout"
    echo "shot usb-$lang-$size-$name.png"
    echo "realtime 2500"
    if [ "$name" = ok ]; then
      # Walking away: after the idle reset the next coordinator's menu shows the
      # button but not the last export's folder and files.
      echo "idle 61"
      echo "idle 16"
      echo "expect text \"Kosketa · Tryck · Touch\""
      echo "tap \"Kosketa · Tryck · Touch\""
      echo "longpress 30 30 3100"
      echo "type 2580"
      echo "tap OK"
      echo "drag $((w / 2)) $((h * 5 / 6)) $((w / 2)) $((h / 6)) 900"
      echo "wait 1200"
      echo "expect text \"Vie USB-tikulle\""
      echo "expect no text \"Viety kansioon\""
      echo "expect no text \"Exporterat till\""
      echo "expect no text \"feedback.csv\""
      echo "shot usb-$lang-$size-after-reset.png"
    fi
  } >"$tmp/$name.script"
  rm -f "$tmp/$name.err"
  "$kiosk" --db "$db" --assets "$src/assets" --today 2026-11-25 --idle 60 --size "$size" \
    --fullscreen --script "$tmp/$name.script" --shots "$shots" "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  local kp=$!
  # The result is on screen once the folder is on the stick or the kiosk said why not.
  for _ in $(seq 300); do
    grep -q "kiosk: usb" "$tmp/$name.err" 2>/dev/null && break
    [ -n "${stickdir:-}" ] && ls "$stickdir" 2>/dev/null | grep -q '^kiosk-export-' && break
    kill -0 $kp 2>/dev/null || break
    sleep 0.1
  done
  sleep 1
  check "$name-xshot" 0 python3 "$src/tests/ui/xshot.py" "$DISPLAY" \
    "$shots/usb-$lang-$size-$name-x.png" --min-colours 20
  wait $kp
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: the kiosk script failed ($rc)"
    cat "$tmp/$name.out" "$tmp/$name.err"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

# 1. A stick: the folder of exports, read back.
stickdir=$tmp/stick
mkdir -p "$stickdir"
run ok "$T_OK" --export-dir "$stickdir"
out=$(ls -d "$stickdir"/kiosk-export-* 2>/dev/null | head -1)
check "one folder, nothing hidden left" 0 test "$(ls -A "$stickdir" | wc -l)" -eq 1
check "feedback, workshop files" 0 test -s "$out/feedback.csv" -a -s "$out/feedback.json" \
  -a -s "$out/workshop-$ws.csv" -a -s "$out/workshop-$ws.json"
check "files parse back" 0 python3 - "$out" "$ws" <<'PY'
import csv, json, sys
d, ws = sys.argv[1:]
for n in ("feedback.json", "workshop-%s.json" % ws):
    json.load(open("%s/%s" % (d, n), encoding="utf-8"))
rows = list(csv.reader(open("%s/workshop-%s.csv" % (d, ws), encoding="utf-8-sig", newline=""),
                       delimiter=";"))
assert any("yhteinen tekeminen" in c for r in rows for c in r), rows
assert any('tieto; "kulkee"' in c for r in rows for c in r), rows
fb = list(csv.reader(open("%s/feedback.csv" % d, encoding="utf-8-sig", newline=""), delimiter=";"))
assert len(fb) == 1, fb  # the header: no feedback was given
PY
check "no ballots on the stick" 1 bash -c "ls '$out' | grep -i ballot"
stickdir=

# 2. No stick: export-dir names a folder that is not there.
run none "$T_NONE" --export-dir "$tmp/no-stick"
check "no-stick folder not made" 1 test -e "$tmp/no-stick"

# 3./4. Read-only and full sticks: tmpfs mounts found in /proc/self/mountinfo.
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/media/ro" "$tmp/media/full" &&
   mount -t tmpfs -o ro,size=64k tmpfs "$tmp/media/ro" 2>/dev/null; then
  mounts+=("$tmp/media/ro")
  run readonly "$T_RO" --usb-roots "$tmp/media/ro"
  umount "$tmp/media/ro"
  mounts=()
  # A 4 KiB stick, already nearly full: the workshop's files do not fit.
  if mount -t tmpfs -o size=4k tmpfs "$tmp/media/full" 2>/dev/null; then
    mounts+=("$tmp/media/full")
    head -c 3000 /dev/zero >"$tmp/media/full/photo.jpg"
    run full "$T_FULL" --usb-roots "$tmp/media/*"
    check "full stick: only the old file" 0 test "$(ls -A "$tmp/media/full")" = photo.jpg
  fi
else
  echo "skipped: read-only and full sticks need root to mount a tmpfs"
fi
finish
