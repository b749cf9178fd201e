#!/usr/bin/env bash
# Makes sure `xmllint` (Debian's libxml2-utils) is installed: the Excel add-in's manifest test
# validates manifest.xml against Microsoft's XSDs with it (addin-excel/test/manifest.test.ts).
set -euo pipefail

if command -v xmllint >/dev/null; then
  echo "[xmllint] available"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "[xmllint] missing: install it with 'sudo apt-get install libxml2-utils' (macOS ships xmllint)." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "[xmllint] missing: no apt-get here; install libxml2's xmllint with your package manager." >&2
  exit 1
fi
echo "[xmllint] installing libxml2-utils"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq libxml2-utils >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libxml2-utils >/dev/null; }
command -v xmllint >/dev/null || { echo "[xmllint] libxml2-utils installed but xmllint is still not on PATH" >&2; exit 1; }
echo "[xmllint] installed"
