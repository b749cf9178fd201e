#!/usr/bin/env bash
# `npm test`: everything CI checks. Prepares services, generates the Prisma client, then runs
# the linter, the type checker over every package and the whole vitest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh
npm run --silent db:generate >/dev/null
echo "[test] eslint"
npx eslint . --max-warnings=0
echo "[test] typecheck"
npm run --silent typecheck
echo "[test] vitest"
npx vitest run
