#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL server for the tests (Debian's packages; no systemd; runs as user postgres).
#   scripts/postgres.sh start   -> prints the DATABASE_URL to use
#   scripts/postgres.sh stop
# Port: $CUSTOS_TEST_PGPORT (default 55432). Data folder: $CUSTOS_TEST_PGDATA (default /tmp/custos-test-pg).
set -euo pipefail
PGPORT=${CUSTOS_TEST_PGPORT:-55432}
PGDATA=${CUSTOS_TEST_PGDATA:-/tmp/custos-test-pg}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pgbin() {
  local bin
  # The server's initdb, not only the client tools (psql alone may be on the image).
  bin=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 | xargs -r dirname || true)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed: installing it from Debian's packages" >&2
    if [ "$(id -u)" != 0 ]; then echo "run as root, or install postgresql yourself" >&2; exit 1; fi
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1 | xargs dirname)
  fi
  echo "$bin"
}

case "${1:-}" in
  start)
    BIN=$(pgbin)
    if [ -f "$PGDATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      echo "postgres://postgres@127.0.0.1:$PGPORT/custos_test"; exit 0
    fi
    rm -rf "$PGDATA"; mkdir -p "$PGDATA"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDATA"; fi
    chmod 700 "$PGDATA"
    as_postgres "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atqc "create database custos_test" >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/custos_test"
    ;;
  stop)
    BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -n "$BIN" ] && [ -d "$PGDATA" ]; then as_postgres "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$PGDATA"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
