#!/usr/bin/env bash
# Second half of `npm start` (scripts/start.sh runs it, directly or inside the embedded
# PostgreSQL): migrates and seeds DATABASE_URL, starts the API, and once it listens prints
# where it is and the demo accounts. Stops the API on SIGINT/SIGTERM/SIGHUP.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { echo "[start] $*"; }
: "${DATABASE_URL:?DATABASE_URL must be set}"
api_host="${HOST:-127.0.0.1}"
api_port="${PORT:-8000}"
[ "$api_host" = "0.0.0.0" ] && public_host=127.0.0.1 || public_host="$api_host"
base_url="http://${public_host}:${api_port}"
# Development HTTPS for the Excel add-in (api/src/routes/addin/dev-https.ts); HTTPS_PORT= turns it off.
https_port="${HTTPS_PORT-8443}"

# Until the API runs, a signal ends this script (after the step in progress).
api_pid=""
stopping=""
# shellcheck disable=SC2317 # invoked by the trap
on_signal() {
  if [ -z "$api_pid" ]; then exit 143; fi
  if [ -z "$stopping" ]; then
    stopping=1
    kill -TERM -- "-$api_pid" 2>/dev/null || true
  fi
}
trap on_signal INT TERM HUP

log "applying migrations"
npm run --silent db:migrate

log "loading demo data"
seed_output="$(npm run --silent seed -w @storesync/db)"
grep '^\[seed\]' <<<"$seed_output" || true

# Demo copy has no embeddings yet; similarity search and generation examples need them.
npm run --silent embeddings:backfill -w @storesync/worker

log "starting the API"
# In its own process group (job control on), so that one signal reaches npm, tsx and node
# alike: npm does not pass signals on through the `sh -c` it runs scripts with.
set -m
# The generation worker runs inside the API process here (see EMBEDDED_WORKER in api/src/env.ts).
EMBEDDED_WORKER="${EMBEDDED_WORKER:-true}" HTTPS_PORT="$https_port" npm run --silent start -w @storesync/api &
api_pid=$!
set +m

ready=""
for _ in $(seq 1 300); do
  if ! kill -0 "$api_pid" 2>/dev/null; then break; fi
  if (exec 3<>"/dev/tcp/${public_host}/${api_port}") 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
if [ -n "$ready" ] && [ -z "$stopping" ]; then
  addin_line=""
  if [ -n "$https_port" ]; then
    # The HTTPS listener starts right after the HTTP one (certificates are made on first use).
    addin_line=$'\n'"    Excel add-in (not served: the HTTPS listener on port ${https_port} did not start, see the log above)"
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/${public_host}/${https_port}") 2>/dev/null; then
        addin_line=$'\n'"    Excel add-in https://localhost:${https_port}/addin/taskpane.html (manifest.xml; to trust .certs/ca.crt see addin-excel/README.md)"
        break
      fi
      sleep 0.2
    done
  fi
  admin_email="$(awk '$2 == "admin" { print $1; exit }' <<<"$seed_output")"
  demo_password="$(sed -n 's/^Demo accounts (shared password: \(.*\))$/\1/p' <<<"$seed_output")"
  cat <<BANNER

  StoreSync is running
    API         ${base_url}/api/v1/
    Swagger UI  ${base_url}/api/docs
    Approvals   ${base_url}/approvals
    OpenAPI     ${base_url}/api/schema${addin_line}
    Database    $(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"${DATABASE_URL%%\?*}")

$(sed -n '/^Demo accounts/,$p' <<<"$seed_output" | sed 's/^./  &/')

  Sign in: curl -s -X POST ${base_url}/api/v1/auth/token/ -H 'content-type: application/json' \\
             -d '{"email":"${admin_email}","password":"${demo_password}"}'
  Stop with Ctrl-C.

BANNER
elif [ -z "$ready" ] && kill -0 "$api_pid" 2>/dev/null; then
  log "the API did not start listening on ${base_url} within 60 seconds"
fi

# `wait` returns early when a trapped signal arrives; wait again until the API has exited,
# then for the rest of its process group (node may outlive npm while it closes connections).
status=0
while :; do
  wait "$api_pid" && status=0 || status=$?
  kill -0 "$api_pid" 2>/dev/null || break
done
for _ in $(seq 1 100); do
  kill -0 -- "-$api_pid" 2>/dev/null || break
  sleep 0.1
done
exit "$status"
