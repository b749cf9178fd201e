#!/usr/bin/env bash
# `npm start`: StoreSync with demo data on this machine (the README's first command).
#
#   DATABASE_URL set    migrate and seed that database, then run the API;
#   DATABASE_URL unset  run an embedded PostgreSQL (PGlite + pgvector, data in .data/pglite,
#                       port EMBEDDED_PG_PORT or 5433) and do the same against it.
#
# Needs Redis at REDIS_URL (default redis://127.0.0.1:6379). A JWT_SECRET is generated once and
# kept in .data/jwt-secret unless one is set. HOST and PORT choose where the API listens
# (default 127.0.0.1:8000). Ctrl-C stops everything and closes the embedded database cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[start] $*"; }
fail() { echo "[start] $*" >&2; exit 1; }

[ -x node_modules/.bin/tsx ] || fail "dependencies are not installed: run 'npm install' first"

log "generating the Prisma client"
generate_output="$(npm run --silent db:generate 2>&1)" || { echo "$generate_output" >&2; fail "npm run db:generate failed"; }

# The Excel add-in's task pane, which the API serves at /addin/ (a few seconds).
log "building the Excel add-in's task pane"
build_output="$(npm run --silent build -w @storesync/addin-excel 2>&1)" || { echo "$build_output" >&2; fail "building the task pane failed"; }

export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
bash scripts/lib/redis-ping.sh "$REDIS_URL" ||
  fail "Redis is not reachable at $REDIS_URL: start it with 'redis-server --daemonize yes --port 6379 --save \"\" --appendonly no' (or set REDIS_URL)"

api_host="${HOST:-127.0.0.1}"
api_port="${PORT:-8000}"
[ "$api_host" = "0.0.0.0" ] && probe_host=127.0.0.1 || probe_host="$api_host"
if (exec 3<>"/dev/tcp/${probe_host}/${api_port}") 2>/dev/null; then
  fail "port ${api_port} on ${probe_host} is already in use (is StoreSync already running?): stop that process or set PORT"
fi

if [ -z "${JWT_SECRET:-}" ]; then
  secret_file=.data/jwt-secret
  if [ ! -s "$secret_file" ]; then
    mkdir -p .data
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))' >"$secret_file")
    log "generated a JWT secret for local use in $secret_file"
  fi
  JWT_SECRET="$(cat "$secret_file")"
  export JWT_SECRET
fi

if [ -n "${DATABASE_URL:-}" ]; then
  log "using DATABASE_URL ($(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"${DATABASE_URL%%\?*}"))"
  exec bash scripts/lib/serve.sh
fi

log "DATABASE_URL is not set: starting an embedded PostgreSQL (PGlite) with data in .data/pglite"
exec node --import tsx prisma/scripts/embedded-postgres.ts \
  --data-dir .data/pglite --host 127.0.0.1 --port "${EMBEDDED_PG_PORT:-5433}" -- bash scripts/lib/serve.sh
