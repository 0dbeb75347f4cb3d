#!/usr/bin/env bash
# `make bench`: builds a 100 000-item synthetic catalog and measures import and
# per-keystroke search.  Figures go to stdout and to $build/bench/results.txt.
set -euo pipefail
build=${1:-build}
items=${BENCH_ITEMS:-100000}
out="$build/bench"
mkdir -p "$out"
ctl="$build/kioskctl"
{
  echo "== machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%dT%H:%MZ)"
  # made again when kioskctl changed: the generator may have
  if [ ! -f "$out/catalog-$items.json" ] || [ "$ctl" -nt "$out/catalog-$items.json" ]; then
    "$ctl" gen --items "$items" --seed 42 -o "$out/catalog-$items.json"
  fi
  rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
  # Import time and peak resident memory of the importing process (target: under
  # 150 MB for 100 000 items; the file is read a piece at a time, core/jstream.h).
  python3 - "$ctl" "$out/bench.db" "$out/catalog-$items.json" "$items" <<'PY'
import resource, subprocess, sys, time
ctl, db, path, items = sys.argv[1:]
t = time.time()
subprocess.run([ctl, "--db", db, "import", path], check=True)
took = time.time() - t
mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print("import: %s items in %.2f s, peak RSS %d MB (target < 150 MB%s)"
      % (items, took, mb, "" if mb < 150 else ": OVER"))
PY
  echo "content file: $(stat -c %s "$out/catalog-$items.json") bytes"
  echo "database: $(stat -c %s "$out/bench.db") bytes"
} | tee "$out/results.txt"

# Search: the relevance set (tests/search/relevance.tsv) per category next to an FTS5
# trigram + bm25 baseline built from the same items, on the sample catalog and on the
# sample merged with the generated catalog; there also per-keystroke latency, index
# build time and index memory.
{
  echo "== search, sample catalog"
  rm -f "$out/sample.db" "$out/sample.db-wal" "$out/sample.db-shm"
  "$ctl" --db "$out/sample.db" import assets/content/sample.json >/dev/null
  "$build/bench/bench_search" "$out/sample.db" bench/queries.txt tests/search/relevance.tsv \
    assets/content/sample.json
  echo "== search, sample + $items generated items"
  rm -f "$out/search.db" "$out/search.db-wal" "$out/search.db-shm"
  "$ctl" --db "$out/search.db" import assets/content/sample.json >/dev/null
  "$ctl" --db "$out/search.db" import "$out/catalog-$items.json" >/dev/null
  "$build/bench/bench_search" "$out/search.db" bench/queries.txt tests/search/relevance.tsv \
    assets/content/sample.json "$out/catalog-$items.json"
} | tee -a "$out/results.txt"

# Participatory budgeting: a 100 000-ballot, 60-project election counted under each
# method, and its pabulib export and import.
{
  echo "== tally"
  "$build/bench/bench_tally" "$out"
} | tee -a "$out/results.txt"

# Sync (docs/protocol.md): a real kiosk-server on loopback; push 10 000 queued
# responses, pull the catalog above into an empty kiosk, the cost of an unchanged
# check, and 200 simulated kiosks at once.
{
  echo "== sync"
  "$build/bench/bench_sync" "$build/sync/kiosk-server" "$out/catalog-$items.json" \
    assets/content/sample.json "$out"
} | tee -a "$out/results.txt"

# Fleet (docs/deploy.md, "What it costs"): 500 simulated kiosks, each pushing,
# checking for changes and sending heartbeats, side by side against one process on
# SQLite, one process on PostgreSQL and two processes on one PostgreSQL database (a
# private cluster of the bench's own, tests/lib/pg.sh, on a unix socket, with fsync).  `uptime`
# before and after: the machine's load is part of the figures.
{
  echo "== fleet"
  echo "load before: $(uptime)"
  rm -f "$out/fleet.db" "$out/fleet.db-wal" "$out/fleet.db-shm"
  "$build/bench/bench_fleet" "$build/sync/kiosk-server" "$out/fleet.db" "$out" \
    --kiosks 500 --rounds 10 --label "1 process, SQLite"
  # durable like SQLite's synchronous=FULL: every commit waits for its fsync
  pgdir="/tmp/kcbench-$$"
  KC_PG_DURABLE=1 bash tests/lib/pg.sh run "$pgdir" bash -c '
    set -euo pipefail
    build=$1 out=$2
    for n in 1 2; do
      PGOPTIONS="-c client_min_messages=warning" psql -q "$KC_TEST_PG" -c "DROP DATABASE IF EXISTS fleet$n" -c "CREATE DATABASE fleet$n"
      spec="postgresql:///fleet$n?${KC_TEST_PG#*\?}"
      "$build/bench/bench_fleet" "$build/sync/kiosk-server" "$spec" "$out" \
        --kiosks 500 --rounds 10 --processes $n \
        --label "$n process$([ $n -gt 1 ] && echo es), PostgreSQL"
    done' fleet "$build" "$out"
  echo "load after: $(uptime)"
} | tee -a "$out/results.txt"

# Source imports (docs/sources.md): 10 000 Linked Events events over 2 000 places from
# a loopback server, then again with nothing changed.
{
  echo "== sources"
  "$build/bench/bench_sources" "$build/sync/kiosk-server" "$out"
} | tee -a "$out/results.txt"

# The kiosk on the 100 000-item catalog, a real window under Xvfb at 1920x1080 with
# SDL's software renderer: first frame, frame times while fling-scrolling the list,
# resident memory, CPU while idle.
{
  echo "== kiosk"
  xvfb-run -a -s "-screen 0 1920x1080x24" bash bench/kiosk.sh "$build" "$out/bench.db"
} | tee -a "$out/results.txt"

# The attract screen a kiosk shows most of the day: first frame, idle CPU over 60 s,
# resident memory after start and after touring every screen (bench/kiosk-attract.sh).
{
  echo "== kiosk attract screen and tour"
  xvfb-run -a -s "-screen 0 1920x1080x24" bash bench/kiosk-attract.sh "$build" "$out/bench.db"
} | tee -a "$out/results.txt"

# The city console (docs/admin-api.md): list pages of the admin API with the catalog
# above and 200 kiosks, and the console's first page in headless Chromium.
{
  echo "== console"
  node bench/console.mjs "$build/sync/kiosk-server" "$out/catalog-$items.json" "$out"
} | tee -a "$out/results.txt"

# Results (docs/admin-api.md): 1 000 000 stored responses from 40 kiosks, 800 000 quick
# feedback and 200 000 survey responses (the first 20 000 of each pushed, the rest
# inserted with the push's statement, its triggers counting), then the results API as
# the console calls it and exports of every response.
{
  echo "== results"
  node bench/results.mjs "$build/sync/kiosk-server" "$out"
} | tee -a "$out/results.txt"
