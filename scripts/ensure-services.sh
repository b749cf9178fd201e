#!/usr/bin/env bash
# Makes sure what StoreSync's tests and local start need is running on this machine:
# PostgreSQL with pgvector (unless DATABASE_URL/TEST_DATABASE_URL point elsewhere) and Redis.
# Fixes what it can; otherwise says in one line what is missing and how to fix it.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

fail() { echo "[services] $*" >&2; exit 1; }

# --- PostgreSQL -----------------------------------------------------------
if ! command -v psql >/dev/null; then
  fail "psql not found: install PostgreSQL 15+ (apt-get install postgresql) or set TEST_DATABASE_URL to a server with pgvector"
fi
if ! psql "$PG_URL" -tAc 'select 1' >/dev/null 2>&1; then
  if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = "0" ]; then
    echo "[services] starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  fi
  for _ in $(seq 1 20); do psql "$PG_URL" -tAc 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
  psql "$PG_URL" -tAc 'select 1' >/dev/null 2>&1 ||
    fail "PostgreSQL is not reachable at $PG_URL: start it (pg_ctlcluster 15 main start) or set TEST_DATABASE_URL"
fi
PGVECTOR_CHECK_URL="$PG_URL" bash scripts/ensure-pgvector.sh
bash scripts/ensure-xmllint.sh # the Excel add-in's manifest test validates with it
bash scripts/ensure-chromium.sh # browser tests drive Debian's Chromium through playwright-core

# --- Redis ----------------------------------------------------------------
redis_ping() { bash scripts/lib/redis-ping.sh "$REDIS_URL"; }
if ! redis_ping; then
  if command -v redis-server >/dev/null; then
    echo "[services] starting Redis"
    mkdir -p /tmp/storesync-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$REDIS_URL")" \
      --save "" --appendonly no --dir /tmp/storesync-redis --logfile /tmp/storesync-redis/redis.log
    for _ in $(seq 1 20); do redis_ping && break; sleep 0.25; done
  fi
  redis_ping || fail "Redis is not reachable at $REDIS_URL: install and start it (apt-get install redis-server && redis-server --daemonize yes) or set REDIS_URL"
fi
echo "[services] PostgreSQL with pgvector and Redis are ready"
