#!/usr/bin/env python3
"""Growth exponents of the scale series (`make bench-scale`): for each count and time column
of the TSV that tools/bench_scale.py writes, the slope of log(value) against log(claims)
between two drop sizes (default 30 and 300 articles). 1.0 is linear in the claims, 2.0
quadratic; issue 14 asks for at most 1.1 for candidate pairs and NLI calls. The last row of
each size counts (a rerun replaces an earlier one). Standard library only.

usage: tools/scale_growth.py [--tsv target/scale/scale.tsv] [--from 30] [--to 300]
"""

import argparse
import csv
import math
import sys

COLUMNS = ["pairs", "nli_calls", "embeddings", "values", "s_embed", "s_align", "s_nli",
           "s_verdict", "s_facts", "s_total", "wall_s", "cpu_s", "peak_mib"]


def slope(x0, y0, x1, y1):
    """log-log slope, or None when a value is missing or not positive."""
    try:
        x0, y0, x1, y1 = (float(v) for v in (x0, y0, x1, y1))
    except ValueError:
        return None
    if min(x0, y0, x1, y1) <= 0 or x0 == x1:
        return None
    return math.log(y1 / y0) / math.log(x1 / x0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", default="target/scale/scale.tsv")
    parser.add_argument("--from", dest="lo", type=int, default=30)
    parser.add_argument("--to", dest="hi", type=int, default=300)
    args = parser.parse_args()
    with open(args.tsv, encoding="utf-8") as f:
        rows = {int(r["articles"]): r for r in csv.DictReader(f, delimiter="\t") if r["status"] == "ok"}
    if args.lo not in rows or args.hi not in rows:
        sys.exit(f"scale_growth: need finished runs of {args.lo} and {args.hi} articles in {args.tsv}")
    lo, hi = rows[args.lo], rows[args.hi]
    print(f"growth from {args.lo} to {args.hi} articles "
          f"({lo['claims']} to {hi['claims']} claims), exponent of claims:")
    print("| quantity | exponent |\n|---|---:|")
    for c in COLUMNS:
        e = slope(lo["claims"], lo.get(c, ""), hi["claims"], hi.get(c, ""))
        print(f"| {c} | {'n/a' if e is None else f'{e:.2f}'} |")


if __name__ == "__main__":
    main()
