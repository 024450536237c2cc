#!/usr/bin/env python3
"""The scale series of issue 14 (`make bench-scale`): runs crosscheck on the synthetic drops
of tools/make_scale_drops.py (target/scale/<N>/) with `--timings --no-archive` under
`/usr/bin/time -v`, and appends one row per drop to a TSV: articles, claims, candidate pairs,
NLI calls (ordered pairs the model ran on, claim pairs and frames), seconds per stage, wall
seconds and peak resident memory. `--archive PATH` runs against that archive instead (issue
15: building one from a drop, then a later drop such as `next10` against it). Standard library
only.

usage: tools/bench_scale.py [--bin target/release/crosscheck] [--tsv target/scale/scale.tsv]
                            [--timeout SECONDS] [--flags "--precision fp32"]
                            [--run-flags "--earlier-per-claim 3"]
                            [--archive PATH] DROP [DROP ...]   (folder names under --scale)
"""

import argparse
import json
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

STAGES = [
    "ingest",
    "segment",
    "claims",
    "load_embedder",
    "embed",
    "earlier",
    "align",
    "load_nli",
    "nli",
    "verdict",
    "facts",
]
COLUMNS = (
    ["articles", "claims", "pairs", "nli_calls", "embeddings", "values"]
    + [f"s_{s}" for s in STAGES]
    + ["s_total", "wall_s", "cpu_s", "peak_mib", "status"]
)


def peak_mib(time_output):
    """Peak resident memory in MiB from `/usr/bin/time -v`'s report."""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_output)
    return int(m.group(1)) / 1024 if m else float("nan")


def cpu_seconds(time_output):
    """User + system CPU seconds from `/usr/bin/time -v`'s report (all threads; less
    disturbed by other work on the machine than the wall clock)."""
    found = re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", time_output)
    return sum(float(x) for x in found) if found else float("nan")


def run_one(args, n):
    """One row (dict) for the drop folder `n` under --scale."""
    drop = Path(args.scale) / str(n)
    if not drop.is_dir():
        sys.exit(f"bench_scale: {drop} is missing; run tools/make_scale_drops.py {n}")
    out = Path(args.scale) / "reports"
    cmd = ["/usr/bin/time", "-v", args.bin, "--quiet", *shlex.split(args.flags)]
    archive = ["--archive", args.archive] if args.archive else ["--no-archive"]
    cmd += ["run", str(drop), "--out", str(out), "--timings", *archive,
            *shlex.split(args.run_flags)]
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
        stderr = done.stderr
    except subprocess.TimeoutExpired as e:
        status = f"timeout {args.timeout}s"
        stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
    wall = time.monotonic() - started
    row = {c: "" for c in COLUMNS}
    row.update(
        articles=len(list(drop.glob("*.txt"))),
        wall_s=f"{wall:.1f}",
        cpu_s=f"{cpu_seconds(stderr):.1f}",
        peak_mib=f"{peak_mib(stderr):.0f}",
        status=status,
    )
    if status != "ok":
        print(stderr[-2000:], file=sys.stderr)
        return row
    record = json.loads((out / drop.name / "run.json").read_text())
    items = {t["stage"]: t["items"] for t in record["timings"]}
    seconds = {t["stage"]: t["seconds"] for t in record["timings"]}
    work = record.get("model_work", {})
    row.update(
        claims=items.get("claims", ""),
        pairs=items.get("align", ""),
        nli_calls=work.get("nli_computed", ""),
        embeddings=work.get("embeddings_computed", ""),
        values=items.get("facts", ""),
        s_total=f"{sum(seconds.values()):.1f}",
    )
    for s in STAGES:
        row[f"s_{s}"] = f"{seconds.get(s, 0.0):.2f}"
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", help="drop folders under --scale: 10, 1000, next10")
    parser.add_argument("--bin", default="target/release/crosscheck")
    parser.add_argument("--scale", default="target/scale")
    parser.add_argument("--tsv", default="target/scale/scale.tsv")
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--flags", default="", help="global crosscheck flags")
    parser.add_argument("--run-flags", default="", help="flags of `crosscheck run`")
    parser.add_argument("--archive", default=None, help="archive to run against (default: none)")
    args = parser.parse_args()
    tsv = Path(args.tsv)
    new = not tsv.exists()
    with tsv.open("a", encoding="utf-8") as f:
        if new:
            f.write("\t".join(COLUMNS) + "\n")
        for n in args.sizes:
            row = run_one(args, n)
            f.write("\t".join(str(row[c]) for c in COLUMNS) + "\n")
            f.flush()
            print("\t".join(f"{c}={row[c]}" for c in COLUMNS if row[c] != ""), flush=True)


if __name__ == "__main__":
    main()
