#!/usr/bin/env bash
# Debian's Chromium at /usr/bin/chromium: the browser tests drive it with playwright-core, which
# downloads no browser of its own.
set -euo pipefail
exec bash "$(dirname "$0")/lib/ensure-apt-package.sh" /usr/bin/chromium chromium "the browser tests drive it"
