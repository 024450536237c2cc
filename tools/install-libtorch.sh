#!/usr/bin/env bash
# Installs libtorch 2.4.0 (CPU) into .deps/libtorch from PyPI wheels; see README "Set-up".
# pytorch.org is unreachable here and PyPI has no CPU-only x86_64 wheel, so we take the CPU
# libraries out of the CUDA wheel, add the two CUDA runtime libraries libtorch_cpu.so needs by
# symbol version, and an empty stub libtorch.so so that torch-sys's `-ltorch` links nothing else.
# Re-runs are no-ops: wheels are cached in $CROSSCHECK_CACHE, the tree is marked when complete.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.deps/libtorch"
cache="${CROSSCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crosscheck}/wheels"
if [ -f "$dest/.complete-2.4.0" ]; then exit 0; fi
mkdir -p "$cache"
echo "libtorch: downloading wheels into $cache (about 812 MB, cached for later runs)"
python3 -m pip download --quiet --no-deps --dest "$cache" \
  torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105
tmp=$(mktemp -d "$root/.deps-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
torch_whl=$(ls "$cache"/torch-2.4.0-*.whl | head -n1)
echo "libtorch: extracting $(basename "$torch_whl")"
python3 - "$torch_whl" "$tmp" <<'PY'
import sys, zipfile, re
whl, out = sys.argv[1], sys.argv[2]
keep = re.compile(r"^torch/(include/.*|lib/libc10\.so|lib/libtorch_cpu\.so|lib/libgomp-[^/]*\.so\.1)$")
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        if keep.match(name):
            z.extract(name, out)
PY
mkdir -p "$tmp/torch/lib"
for whl in "$cache"/nvidia_cuda_runtime_cu12-*.whl "$cache"/nvidia_cuda_cupti_cu12-*.whl; do
  python3 - "$whl" "$tmp/torch/lib" <<'PY'
import sys, zipfile, os
whl, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        base = os.path.basename(name)
        if base in ("libcudart.so.12", "libcupti.so.12"):
            with open(os.path.join(out, base), "wb") as f:
                f.write(z.read(name))
PY
done
echo "" | gcc -shared -x c - -o "$tmp/torch/lib/libtorch.so" -Wl,-soname,libtorch.so
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/torch" "$dest"
touch "$dest/.complete-2.4.0"
echo "libtorch: installed in $dest ($(du -sh "$dest" | cut -f1))"
