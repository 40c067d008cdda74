#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server on loopback for the store tests, and prints the
# URL they read from LOUPE_TEST_POSTGRES_URL:
#   export LOUPE_TEST_POSTGRES_URL=$(Scripts/test-postgres.sh start)
#   Scripts/test-postgres.sh stop
# Runs the server as the postgres user when started as root (PostgreSQL refuses root).
set -euo pipefail
DATA=${LOUPE_TEST_PGDATA:-/tmp/loupe-test-pgdata}
PORT=${LOUPE_TEST_PGPORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    # A data directory left by a run that was killed: start afresh.
    as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" = "0" ] && chown postgres "$DATA"
      as_owner "$BIN/initdb" -D "$DATA" -U loupe --auth=trust >/dev/null
    fi
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off" start >/dev/null
    echo "postgres://loupe@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 64
    ;;
esac
