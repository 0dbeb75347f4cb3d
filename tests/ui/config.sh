#!/usr/bin/env bash
# The kiosk's settings file as an operator writes it (kconf.h, docs/deploy.md): values
# trimmed, any number of settings, bad lines refused with file and line, and never a
# new database unless asked for.  usage: config.sh KIOSK KIOSKCTL SRC
set -u
kiosk=$1 ctl=$2 src=$3
. "$src/tests/lib/check.sh"
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export SDL_VIDEODRIVER=dummy
db=$tmp/kiosk.db
"$ctl" --db "$db" import "$src/assets/content/sample.json" >/dev/null
# The script passes only on the sample content: an empty database has no associations.
cat >"$tmp/s.script" <<'S'
tap English
tap Associations
expect text "75 results"
S
run() { (cd "$tmp/cwd" && "$kiosk" --headless --size 1280x800 --script "$tmp/s.script" "$@"); }
mkdir -p "$tmp/cwd"

# Eleven settings a file, three files, then flags: more values than the 32 the kiosk
# once kept in a fixed pool (the 33rd, the last file's db, then pointed into a dead
# buffer).  The last word wins and is used whole.
eleven() {
  printf '# settings\nassets = %s\nlang = fi\nfallback = fi,sv,en\nidle = 60\n' "$src/assets"
  printf 'size = 1280x800\nrenderer = software\nheadless\nsync-interval = 60\n'
  printf 'today = 2026-11-25\nshots = %s\n' "$tmp"
  for i in $(seq 30); do printf '# comment %d\n' "$i"; done
  printf 'db = %s\n' "$1"
}
eleven "$tmp/nowhere.db" >"$tmp/a.conf"
eleven "$tmp/nowhere.db" >"$tmp/a2.conf"
eleven "$db" >"$tmp/b.conf"
check many-settings 0 run --config "$tmp/a.conf" --config "$tmp/a2.conf" --config "$tmp/b.conf" \
  --idle 70 --lang fi
[ -e "$tmp/nowhere.db" ] && { echo "FAIL: a.conf's database was created"; fail=$((fail + 1)); }
leftover=$(ls -A "$tmp/cwd")
[ -z "$leftover" ] || { echo "FAIL: files appeared in the working directory: $leftover"; fail=$((fail + 1)); }

# Spaces and tabs around keys and values, flags as yes/no.
{
  printf 'db = %s \t\n  assets\t=   %s  \n' "$db" "$src/assets"
  printf 'idle = 60 \nsize = 1280x800 \nheadless = yes \nwindowed = no\nfullscreen = no \n'
  printf 'create-db = no \n'
} >"$tmp/spaces.conf"
check spaces 0 run --config "$tmp/spaces.conf"

# A trailing space after the path is not part of it.
printf 'db = %s   \nassets = %s\n' "$db" "$src/assets" >"$tmp/c.conf"
check trailing-space 0 run --config "$tmp/c.conf"
[ -e "$db   " ] && { echo "FAIL: \"$db   \" was created"; fail=$((fail + 1)); }

# A configured database that does not exist: said so, nothing created, non-zero exit.
printf 'db = %s\nassets = %s\n' "$tmp/typo.db" "$src/assets" >"$tmp/d.conf"
check missing-db 1 run --config "$tmp/d.conf"
expect_in missing-db "$tmp/err" "typo.db does not exist"
expect_in missing-db "$tmp/err" "--create-db"
[ -e "$tmp/typo.db" ] && { echo "FAIL: typo.db was created"; fail=$((fail + 1)); }
# With a display the kiosk stays up and says it on the screen (the operator may never
# see stderr) until it is stopped; still nothing is created.
(cd "$tmp/cwd" && SDL_VIDEODRIVER=dummy timeout 5 "$kiosk" --config "$tmp/d.conf" --windowed \
  --size 800x600 >"$tmp/out" 2>"$tmp/err")
st=$?
[ "$st" -eq 124 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL screen: exit $st, expected to stay up"; }
expect_in screen "$tmp/err" "typo.db does not exist"
[ -e "$tmp/typo.db" ] && { echo "FAIL: typo.db was created"; fail=$((fail + 1)); }
# ... unless asked for: the first run makes an empty database.
printf 'expect text "Yhdistykset"\n' >"$tmp/none.script"
check create-db 0 "$kiosk" --headless --db "$tmp/new.db" --assets "$src/assets" --create-db \
  --script "$tmp/none.script"
[ -e "$tmp/new.db" ] || { echo "FAIL: --create-db made no database"; fail=$((fail + 1)); }

# Refused lines name the file and the line.
bad() {  # NAME CONTENT EXPECTED-MESSAGE
  printf '%b' "$2" >"$tmp/$1.conf"
  check "$1" 2 run --db "$db" --config "$tmp/$1.conf"
  expect_in "$1" "$tmp/err" "$tmp/$1.conf:$3"
}
bad unknown '# c\nidle = 60\ncolour = blue\n' '3: unknown setting "colour"'
bad no-value 'idle = 60\nassets\n' '2: expected assets = value'
bad empty-value 'assets =   \n' '1: assets: needs a value'
bad range 'idle = 3\n' '1: idle: must be 5..86400 seconds'
bad number 'idle = 60s\n' '1: idle: must be a whole number'
bad lang 'lang = de\n' '1: lang: must be fi, sv or en'
bad flag 'headless = maybe\n' '1: headless: a flag is yes or no'
bad twice 'idle = 60\n\nidle = 70\n' '3: idle is already set on line 1'
bad control 'assets = a\033[2Jb\n' '1: a control character'
bad bidi 'assets = a\xe2\x80\xaeb\n' '1: assets: holds control or invisible characters'
long=$(head -c 1100 /dev/zero | tr '\0' a)
bad long-line "# x\nassets = $long\n" '2: longer than 1024 bytes'
printf '\xef\xbb\xbfidle = 60\n' >"$tmp/bom.conf"
check bom 2 run --db "$db" --config "$tmp/bom.conf"
expect_in bom "$tmp/err" "byte order mark"
printf '\xff\xfei\x00d\x00' >"$tmp/u16.conf"
check utf16 2 run --db "$db" --config "$tmp/u16.conf"
expect_in utf16 "$tmp/err" "UTF-16"
finish
