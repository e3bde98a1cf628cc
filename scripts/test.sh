#!/usr/bin/env bash
# The README's test command: install what the tests need, start it, run every test on embedded PGlite and again on
# PostgreSQL, stop what it started, and fail on any failure. `.ci/run` calls this same script.
#   scripts/test.sh            everything (npm ci, lint, type check, tests on both databases)
#   SKIP_INSTALL=1 scripts/test.sh   reuse node_modules and installed packages
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
log() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

if [ -z "${SKIP_INSTALL:-}" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
  need=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium) # the portal's browser tests (test/e2e/browser) fail without it
  # The independent reader of the report's workbook (test/e2e/formats) fails without it.
  /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
  if [ ${#need[@]} -gt 0 ]; then
    log "apt-get install ${need[*]}"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    else
      echo "Missing Debian packages: ${need[*]}. Install them (sudo apt-get install ${need[*]}) and run again." >&2
      exit 1
    fi
  fi
fi

log "lint and type check"
npm run lint

PGPORT_CHOSEN=${CUSTOS_TEST_PGPORT:-55432}
export CUSTOS_TEST_PGPORT=$PGPORT_CHOSEN
export CUSTOS_TEST_PGDATA=${CUSTOS_TEST_PGDATA:-$(mktemp -d /tmp/custos-test-pg.XXXXXX)}
cleanup() { scripts/postgres.sh stop || true; }
trap cleanup EXIT

log "tests on embedded PGlite"
env -u DATABASE_URL -u TEST_DATABASE_URL npx vitest run

log "starting PostgreSQL"
url=$(scripts/postgres.sh start)
echo "PostgreSQL at $url"

log "tests on PostgreSQL"
TEST_DATABASE_URL="$url" npx vitest run

log "all tests passed on PGlite and PostgreSQL"
