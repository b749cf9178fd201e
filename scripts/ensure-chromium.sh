#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium: the browser tests drive it with
# playwright-core (which downloads no browser of its own).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "[chromium] available"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "[chromium] missing: install it with 'sudo apt-get install chromium' (the browser tests use $CHROMIUM)." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "[chromium] missing: no apt-get here; install Chromium so that $CHROMIUM exists." >&2
  exit 1
fi
echo "[chromium] installing Debian's chromium (about a minute)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -x "$CHROMIUM" ] || { echo "[chromium] the chromium package installed, but $CHROMIUM is missing" >&2; exit 1; }
echo "[chromium] installed"
