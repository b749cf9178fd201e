#!/usr/bin/env bash
# xmllint (Debian's libxml2-utils): the Excel add-in's manifest test validates manifest.xml against
# Microsoft's XSDs with it (addin-excel/test/manifest.test.ts). macOS ships xmllint.
set -euo pipefail
exec bash "$(dirname "$0")/lib/ensure-apt-package.sh" xmllint libxml2-utils "the Excel manifest test validates with it"
