#!/usr/bin/env python3
"""Synthetic drops for the scale series of issue 14 (`make bench-scale`).

Built from the committed XNLI test set (data/nli/eval/xnli-test.jsonl.gz): a *group* there is
one premise/hypothesis pair in 15 languages, translations of each other. Groups are taken in
file order, 15 to a *block*; a block's sentence for group g is the group's premise the first
time that premise is met, its hypothesis otherwise (XNLI gives each premise three hypotheses,
so a block reads like one story told in related sentences). Each block is written as three
articles in three of the four XNLI languages crosscheck reads (de en es fr), so every sentence
has two translations in the drop and the rest of the drop is unrelated.

A drop of N articles is the first N articles of that series (article i is block i // 3), each
a `.txt` file with the header lines the ingest stage reads (lang, date, outlet, title) and one
sentence per paragraph. Written to target/scale/<N>/, replacing what was there.

`--next M` also writes target/scale/next<M>/, a later drop (dated a day after) of M articles:
the fourth telling, in the language the series left out, of M blocks spread evenly over the
whole series. Run against an archive of the series (issue 15), every one of its sentences has
earlier translations there. Deterministic, standard library only.

usage: tools/make_scale_drops.py [--out target/scale] [--next M] [N ...]
       (default sizes 10 30 100 300 1000)
"""

import argparse
import gzip
import json
import shutil
import sys
from pathlib import Path

SOURCE = Path("data/nli/eval/xnli-test.jsonl.gz")
# XNLI languages that crosscheck's language registry reads.
LANGUAGES = ["de", "en", "es", "fr"]
SENTENCES_PER_ARTICLE = 15
ARTICLES_PER_BLOCK = 3
DATE = "2026-10-13"
NEXT_DATE = "2026-10-14"
DEFAULT_SIZES = [10, 30, 100, 300, 1000]


def load_groups(path):
    """Group id -> {lang: (premise, hypothesis)}, groups in file order."""
    groups = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["lang"] in LANGUAGES:
                groups.setdefault(row["group"], {})[row["lang"]] = (
                    row["premise"].strip(),
                    row["hypothesis"].strip(),
                )
    return [g for g in groups.values() if all(lang in g for lang in LANGUAGES)]


def sentence(text):
    """One sentence with its final punctuation, so the segmenter ends it there."""
    text = " ".join(text.split())
    return text if text[-1:] in ".!?\"'»”" else text + "."


def blocks(groups):
    """Lists of SENTENCES_PER_ARTICLE {lang: sentence} dicts."""
    seen = set()
    picked = []
    for g in groups:
        key = g["en"][0]
        use = 0 if key not in seen else 1
        seen.add(key)
        picked.append({lang: sentence(pair[use]) for lang, pair in g.items()})
    return [
        picked[i : i + SENTENCES_PER_ARTICLE]
        for i in range(0, len(picked) - SENTENCES_PER_ARTICLE + 1, SENTENCES_PER_ARTICLE)
    ]


def left_out(b):
    """The language block b is not told in within the series (rotating)."""
    return LANGUAGES[b % len(LANGUAGES)]


def text(b, block, lang, part, date):
    """An article's text: header lines, then the block's sentences in `lang`."""
    lines = [
        f"title: Scale block {b} part {part}",
        f"date: {date}",
        f"lang: {lang}",
        f"outlet: Scale {lang}",
        "",
    ]
    lines += [s[lang] + "\n" for s in block]
    return "\n".join(lines)


def article(index, block, number):
    """(file name, text) of article `index`, the `number`-th telling of `block`."""
    b = index // ARTICLES_PER_BLOCK
    lang = [lang for lang in LANGUAGES if lang != left_out(b)][number]
    name = f"{index + 1:04d}_block{b:04d}-{lang}.txt"
    return name, text(b, block, lang, number + 1, DATE)


def write_next(folder, all_blocks, m):
    """The later drop: the left-out telling of m blocks spread over the series."""
    step = max(1, len(all_blocks) // m)
    for j in range(m):
        b = j * step
        lang = left_out(b)
        name = f"{j + 1:04d}_block{b:04d}-{lang}.txt"
        (folder / name).write_text(
            text(b, all_blocks[b], lang, ARTICLES_PER_BLOCK + 1, NEXT_DATE), encoding="utf-8"
        )
    print(f"{folder}: {m} later articles, each a fourth telling of a block of the series")


def fresh(folder):
    """`folder`, emptied."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--out", default="target/scale")
    parser.add_argument("--next", type=int, default=0, help="also write a later drop of M articles")
    args = parser.parse_args()
    all_blocks = blocks(load_groups(SOURCE))
    most = len(all_blocks) * ARTICLES_PER_BLOCK
    for n in args.sizes:
        if not 0 < n <= most:
            sys.exit(f"make_scale_drops: {n} articles asked, 1..{most} possible")
        folder = fresh(Path(args.out) / str(n))
        for i in range(n):
            name, text = article(
                i, all_blocks[i // ARTICLES_PER_BLOCK], i % ARTICLES_PER_BLOCK
            )
            (folder / name).write_text(text, encoding="utf-8")
        print(f"{folder}: {n} articles, {n * SENTENCES_PER_ARTICLE} sentences")
    if args.next:
        write_next(fresh(Path(args.out) / f"next{args.next}"), all_blocks, args.next)


if __name__ == "__main__":
    main()
