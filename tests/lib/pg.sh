#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the tests (Debian `postgresql`): initdb and
# pg_ctl into a directory of its own, listening only on a unix socket in that
# directory (no TCP port), trust authentication for the one local role "kiosk".
#
#   pg.sh start DIR      creates DIR (removing a stale cluster there) and starts it
#   pg.sh stop DIR       stops it and removes DIR
#   pg.sh run DIR CMD..  start, run CMD with KC_TEST_PG set, stop (also on failure)
#
# The tests connect with KC_TEST_PG="postgresql:///postgres?host=DIR&user=kiosk" and
# make a database of their own each.  KC_PG_DURABLE=1 keeps PostgreSQL's durable
# defaults (fsync, synchronous commit, full pages) for benchmarks that compare it with
# SQLite's synchronous=FULL; tests run without them.  Run as root, the cluster belongs to `nobody`
# (PostgreSQL refuses to run as root); DIR must then be a path nobody can reach, so
# keep it under /tmp.  A unix socket path may have at most 107 bytes: keep DIR short.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg.sh start|stop|run DIR [CMD...]" >&2; exit 2; }
[ -x "$bin/initdb" ] || { echo "pg.sh: $bin/initdb missing (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

start() {
  stop
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" -ne 0 ] || chown nobody: "$dir"
  # fsync off: a test cluster that a crash loses is simply made again.
  local durable="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${KC_PG_DURABLE:-0}" = 1 ] && durable=""
  if ! as_owner "$bin/initdb" -D "$dir/data" -U kiosk --auth=trust -E UTF8 --locale=C \
       >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    stop
    return 1
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
       -o "-c listen_addresses='' -k $dir $durable -c max_connections=200" start \
       >/dev/null; then
    cat "$dir/server.log" >&2 || true
    stop
    return 1
  fi
}

case "$cmd" in
start) start ;;
stop) stop ;;
run)
  shift 2
  trap stop EXIT
  start
  KC_TEST_PG="postgresql:///postgres?host=$dir&user=kiosk" "$@"
  ;;
*) echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
