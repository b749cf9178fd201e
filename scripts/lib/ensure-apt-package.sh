#!/usr/bin/env bash
# Makes sure a program the tests need is installed, from a Debian package when it is missing.
# Usage: bash scripts/lib/ensure-apt-package.sh <program (name or absolute path)> <package> <what needs it>
# Without root or apt-get it says in one line how to install it, and fails.
set -euo pipefail

program="$1" package="$2" purpose="$3"
label="[$(basename "$program")]"

if command -v "$program" >/dev/null; then
  echo "$label available"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "$label missing ($purpose): install it with 'sudo apt-get install $package'" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "$label missing ($purpose): no apt-get here; install $package with your package manager" >&2
  exit 1
fi
echo "$label installing Debian's $package"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$package" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$package" >/dev/null; }
command -v "$program" >/dev/null || { echo "$label $package installed, but $program is still missing" >&2; exit 1; }
echo "$label installed"
