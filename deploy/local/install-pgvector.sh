#!/usr/bin/env bash
# Builds Debian's own pgvector source package against the installed PostgreSQL server headers.
# Debian bookworm ships no pgvector binary package; trixie's source builds cleanly against 15.
# OPTFLAGS="" keeps the build portable: pgvector defaults to -march=native otherwise.
set -euo pipefail

pg_major="${1:?usage: install-pgvector.sh PG_MAJOR}"
pg_config="/usr/lib/postgresql/${pg_major}/bin/pg_config"

if [ -f "$("$pg_config" --sharedir 2>/dev/null)/extension/vector.control" ]; then
  exit 0
fi

if apt-cache show "postgresql-${pg_major}-pgvector" >/dev/null 2>&1; then
  apt-get install -y -qq "postgresql-${pg_major}-pgvector"
  exit 0
fi

source_list=/etc/apt/sources.list.d/ragline-trixie-src.list
if [ ! -f "$source_list" ]; then
  echo "deb-src http://deb.debian.org/debian trixie main" >"$source_list"
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "postgresql-server-dev-${pg_major}" dpkg-dev make gcc >/dev/null

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT
(
  cd "$work_dir"
  apt-get source -qq --download-only pgvector >/dev/null
  dpkg-source -x --no-check ./pgvector_*.dsc src >/dev/null
  cd src
  make -s OPTFLAGS="" PG_CONFIG="$pg_config" with_llvm=no
  make -s OPTFLAGS="" PG_CONFIG="$pg_config" with_llvm=no install
)
echo "pgvector built from Debian source for PostgreSQL ${pg_major}"
