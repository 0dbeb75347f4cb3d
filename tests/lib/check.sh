# Sourced by the shell tests: a temporary directory and two checks that count.
#   check NAME EXPECTED_STATUS COMMAND...   runs COMMAND (stdout in $tmp/out, stderr in
#                                           $tmp/err) and compares its exit status
#   expect_in NAME FILE TEXT                FILE contains TEXT
# End a test with `finish`: prints "N passed, M failed", fails when M > 0.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: exit $got, expected $want"
    sed 's/^/  | /' "$tmp/err" | head -5
  fi
}
expect_in() {
  if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: '$3' not in $2:"; head -5 "$2" | sed 's/^/  | /'; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
