#!/usr/bin/env bash
# Makes `CREATE EXTENSION vector` work on the local PostgreSQL.
# Debian bookworm does not package pgvector for PostgreSQL 15, so we build it from
# Debian trixie's source package (no binary is downloaded, only Debian sources).
set -euo pipefail

PGHOST_URL="${PGVECTOR_CHECK_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

extension_available() {
  psql "$PGHOST_URL" -tAc "select 1 from pg_available_extensions where name = 'vector'" 2>/dev/null | grep -q 1
}

if extension_available; then
  echo "[pgvector] extension available"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "[pgvector] missing: the 'vector' extension is not installed and building it needs root (apt-get)." >&2
  echo "[pgvector] fix: run 'sudo bash scripts/ensure-pgvector.sh' once, or point DATABASE_URL at a PostgreSQL with pgvector." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "[pgvector] missing: no apt-get here; install pgvector for your PostgreSQL by hand (https://github.com/pgvector/pgvector#installation)." >&2
  exit 1
fi

PG_MAJOR="$(psql "$PGHOST_URL" -tAc 'show server_version_num' | cut -c1-2)"
echo "[pgvector] building pgvector for PostgreSQL ${PG_MAJOR} from Debian source"
SRC_LIST=/etc/apt/sources.list.d/storesync-trixie-src.sources
if [ ! -f "$SRC_LIST" ]; then
  cat > "$SRC_LIST" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" make gcc dpkg-dev >/dev/null
BUILD_DIR="$(mktemp -d)"
(
  cd "$BUILD_DIR"
  apt-get source -qq pgvector >/dev/null
  cd pgvector-*/
  make -s PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config" >/dev/null
  make -s install PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config" >/dev/null
)
rm -rf "$BUILD_DIR"

if extension_available; then
  echo "[pgvector] installed"
else
  echo "[pgvector] build finished but PostgreSQL still does not list the extension" >&2
  exit 1
fi
