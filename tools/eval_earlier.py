#!/usr/bin/env python3
"""How well a run finds the earlier drops of its own story (issue 15), measured on the team's
development drops (data/dev/*) and the seeds: each story is split into a morning drop (the
first half of its articles by file name) and a later drop (the rest). All morning drops go
into one archive; then each later drop runs against a copy of it, at each similarity
threshold given, and its summary.csv says which archived articles it took in. An article of
the same story's morning drop is a hit; one of another story's is a false match.

Prints a markdown table: threshold, morning articles of the same story found (recall),
articles taken in that belong to other stories, and the seconds of the later runs.
`--per-claim N ...` measures `--earlier-per-claim` instead (at the default similarity, in the
default window): per cap, the pairs across drops, the discrepancy rows across drops and how
many of the largest cap's it keeps, the fact-table values in conflict, and the seconds. `--days`
sets the time window (default: 36500, so that only the embeddings decide; the dev stories are
dated days apart, which the default 14-day window alone would partly separate).

usage: tools/eval_earlier.py [--bin target/release/crosscheck] [--out target/earlier-eval]
                             [--days 36500] [--min-matches 2]
                             [THRESHOLD ...]   (default 0.85 0.88 0.90 0.92)
       tools/eval_earlier.py --per-claim 1 2 3 8
"""

import argparse
import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

STORIES = ["data/dev/quake", "data/dev/rates", "data/dev/strike", "data/dev/summit", "data/seeds"]
ARTICLE_SUFFIXES = {".txt", ".md"}


def split(story, out):
    """Copies the story's articles into <name>-morning/ and <name>-later/; returns both."""
    files = sorted(p for p in Path(story).iterdir() if p.suffix in ARTICLE_SUFFIXES)
    half = (len(files) + 1) // 2
    name = Path(story).name
    drops = []
    for part, chosen in (("morning", files[:half]), ("later", files[half:])):
        folder = out / f"{name}-{part}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for f in chosen:
            shutil.copy(f, folder / f.name)
        drops.append(folder)
    return drops


def run(binary, drop, reports, archive, extra=()):
    """Runs crosscheck on `drop`; returns wall seconds."""
    cmd = [binary, "--quiet", "run", str(drop), "--out", str(reports), "--archive", str(archive),
           "--no-html", *extra]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"eval_earlier: {' '.join(cmd)} failed:\n{done.stderr}")
    return time.monotonic() - started


def taken_in(summary):
    """The earlier drops of the articles a run took in, one entry per article."""
    with open(summary, newline="", encoding="utf-8") as f:
        return [row["earlier_drop"] for row in csv.DictReader(f) if row["earlier_run"]]


def across(reports):
    """Pairs across drops in pairs.csv, and the keys of the discrepancy rows across drops in
    conflicts.csv (articles and spans of both sides), and the conflict values of facts.csv."""
    with open(reports / "pairs.csv", newline="", encoding="utf-8") as f:
        pairs = sum(1 for row in csv.DictReader(f) if row["earlier_run_b"])
    with open(reports / "summary.csv", newline="", encoding="utf-8") as f:
        earlier = {row["article"] for row in csv.DictReader(f) if row["earlier_run"]}
    with open(reports / "conflicts.csv", newline="", encoding="utf-8") as f:
        rows = {(r["article_a"], r["span_a"], r["article_b"], r["span_b"])
                for r in csv.DictReader(f) if (r["article_a"] in earlier) != (r["article_b"] in earlier)}
    with open(reports / "facts.csv", newline="", encoding="utf-8") as f:
        values = sum(1 for r in csv.DictReader(f) if r["outcome"] == "conflict")
    return pairs, rows, values


def per_claim(args, out, pairs, base):
    """The `--per-claim` table (see the module's doc)."""
    caps = sorted(args.per_claim)
    rows = {n: [0, 0, 0, 0, 0.0] for n in caps}  # pairs, conflict rows, kept, values, seconds
    for _, later in pairs:
        found = {}
        for n in reversed(caps):
            archive = out / f"{later.name}-{n}.sqlite"
            shutil.copy(base, archive)
            reports = out / f"reports-cap{n}"
            seconds = run(args.bin, later, reports, archive, ["--earlier-per-claim", str(n)])
            found[n] = across(reports / later.name)
            row = rows[n]
            row[0] += found[n][0]
            row[1] += len(found[n][1])
            row[2] += len(found[n][1] & found[caps[-1]][1])
            row[3] += found[n][2]
            row[4] += seconds
    print("| pairs per new claim | pairs across drops | discrepancy rows across drops | of "
          f"those at {caps[-1]}, kept | fact values in conflict | seconds (later drops) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in caps:
        p, c, kept, v, seconds = rows[n]
        print(f"| {n} | {p} | {c} | {kept}/{rows[caps[-1]][1]} | {v} | {seconds:.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("thresholds", nargs="*", type=float, default=[0.85, 0.88, 0.90, 0.92])
    parser.add_argument("--bin", default="target/release/crosscheck")
    parser.add_argument("--out", default="target/earlier-eval")
    parser.add_argument("--days", default="36500")
    parser.add_argument("--min-matches", default="2", help="--earlier-min-matches")
    parser.add_argument("--per-claim", nargs="+", type=int, help="caps to compare instead")
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    base = out / "morning.sqlite"
    base.unlink(missing_ok=True)
    pairs = [split(story, out) for story in STORIES]
    for morning, _ in pairs:
        run(args.bin, morning, out / "reports", base)
    if args.per_claim:
        return per_claim(args, out, pairs, base)
    morning_sizes = {m.name: len(list(m.iterdir())) for m, _ in pairs}
    rows = {t: [0, 0, 0, 0.0] for t in args.thresholds}  # found, expected, foreign, seconds
    for morning, later in pairs:
        archive = out / f"{later.name}.sqlite"
        shutil.copy(base, archive)
        for t in sorted(args.thresholds):
            reports = out / f"reports-{t}"
            extra = ["--earlier-min-similarity", str(t), "--earlier-days", args.days,
                     "--earlier-min-matches", args.min_matches]
            seconds = run(args.bin, later, reports, archive, extra)
            drops = taken_in(reports / later.name / "summary.csv")
            same = sum(1 for d in drops if Path(d).name == morning.name)
            row = rows[t]
            row[0] += same
            row[1] += morning_sizes[morning.name]
            row[2] += len(drops) - same
            row[3] += seconds
            print(f"{later.name} at {t}: {same}/{morning_sizes[morning.name]} of its morning, "
                  f"{len(drops) - same} of other stories, {seconds:.1f} s", file=sys.stderr)
    print("| min similarity | morning articles of the same story found | articles of other "
          "stories taken in | seconds (later drops, in order of thresholds) |")
    print("|---:|---:|---:|---:|")
    for t in args.thresholds:
        found, expected, foreign, seconds = rows[t]
        print(f"| {t:.2f} | {found}/{expected} | {foreign} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
