#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer target built in $1 (tests/fuzz/fuzz_*.c) for
# FUZZ_SECONDS seconds, starting from its seeds (tests/fuzz/corpus/NAME) and kept
# crashes (tests/fuzz/regressions/NAME).  New inputs that add coverage go to
# $1/fuzz/NAME/corpus, crashes to $1/fuzz/NAME/; copy a crash into
# tests/fuzz/regressions/NAME/ when fixing it, so ctest replays it forever.
# FUZZ_ONLY=NAME runs one target.  Exits non-zero when any target found a crash.
set -uo pipefail
build=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-30}
src=$(cd "$(dirname "$0")/.." && pwd)
failed=()
for f in "$src"/tests/fuzz/fuzz_*.c; do
  name=$(basename "$f" .c)
  short=${name#fuzz_}
  [ -n "${FUZZ_ONLY:-}" ] && [ "$FUZZ_ONLY" != "$short" ] && continue
  exe="$build/tests/fuzz/$name"
  work="$build/fuzz/$short"
  mkdir -p "$work/corpus"
  dirs=("$work/corpus" "$src/tests/fuzz/corpus/$short")
  [ -d "$src/tests/fuzz/regressions/$short" ] && dirs+=("$src/tests/fuzz/regressions/$short")
  echo "== $short: ${secs}s"
  # -rss_limit_mb: the readers must stay bounded; -max_len 64 KiB keeps each
  # execution fast while exceeding every nesting and string limit.
  if ! ASAN_OPTIONS=detect_leaks=1 "$exe" -max_total_time="$secs" -max_len=65536 \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$work/" \
      "${dirs[@]}" >"$work/log.txt" 2>&1; then
    failed+=("$short")
    tail -n 40 "$work/log.txt"
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$work/log.txt" |
    sed "s/^/  /"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} (inputs in $build/fuzz/NAME/)"
  exit 1
fi
echo "fuzz: no crashes"
