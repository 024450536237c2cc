#!/usr/bin/env python3
"""Checks gold files (data/gold/<drop>.csv) against their drops: labels valid, article ids
exist, every quote occurs exactly once in its article file. Usage:
    tools/check_gold.py data/gold/quake.csv [more.csv ...]
The drop of data/gold/<name>.csv is data/dev/<name>/ or data/test/<name>/ (data/seeds/ for
seeds.csv)."""
import csv, pathlib, sys

LABELS = {"agree", "compatible", "conflict", "different_event", "single_source"}
ROOT = pathlib.Path(__file__).resolve().parent.parent


def drop_of(gold: pathlib.Path) -> pathlib.Path:
    name = gold.stem
    if name == "seeds":
        return ROOT / "data" / "seeds"
    dev = ROOT / "data" / "dev" / name
    return dev if dev.is_dir() else ROOT / "data" / "test" / name


def check(gold: pathlib.Path) -> list[str]:
    drop = drop_of(gold)
    texts = {p.stem: p.read_bytes().decode("utf-8") for p in drop.iterdir()
             if p.suffix in (".txt", ".md")}
    errors = []
    with gold.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    want = ["fact", "label", "article_a", "quote_a", "article_b", "quote_b", "note"]
    if rows and list(rows[0].keys()) != want:
        errors.append(f"header is {list(rows[0].keys())}, want {want}")
    facts = set()
    for n, r in enumerate(rows, start=2):
        facts.add(r["fact"])
        if r["label"] not in LABELS:
            errors.append(f"line {n}: label {r['label']!r}")
        sides = [("a", r["article_a"], r["quote_a"])]
        if r["label"] == "single_source":
            if r["article_b"] or r["quote_b"]:
                errors.append(f"line {n}: single_source rows leave article_b/quote_b empty")
        else:
            sides.append(("b", r["article_b"], r["quote_b"]))
            if r["article_a"] == r["article_b"]:
                errors.append(f"line {n}: both quotes from one article")
        for side, art, quote in sides:
            if art not in texts:
                errors.append(f"line {n}: article_{side} {art!r} not in {drop}")
                continue
            count = texts[art].count(quote) if quote else 0
            if count != 1:
                errors.append(f"line {n}: quote_{side} {quote!r} occurs {count} times in {art}")
    print(f"{gold}: {len(rows)} rows, {len(facts)} facts, {len(texts)} articles, "
          f"{len(errors)} errors")
    return errors


if __name__ == "__main__":
    bad = False
    for path in sys.argv[1:]:
        for e in check(pathlib.Path(path)):
            print(f"  {e}")
            bad = True
    sys.exit(1 if bad else 0)
