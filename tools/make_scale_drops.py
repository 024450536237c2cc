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
Deterministic, standard library only.

usage: tools/make_scale_drops.py [--out target/scale] [N ...]   (default 10 30 100 300 1000)
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


def article(index, block, number):
    """(file name, text) of article `index`, the `number`-th telling of `block`."""
    b = index // ARTICLES_PER_BLOCK
    # The three languages of block b: all but one, rotating.
    langs = [lang for i, lang in enumerate(LANGUAGES) if i != b % len(LANGUAGES)]
    lang = langs[number]
    lines = [
        f"title: Scale block {b} part {number + 1}",
        f"date: {DATE}",
        f"lang: {lang}",
        f"outlet: Scale {lang}",
        "",
    ]
    lines += [s[lang] + "\n" for s in block]
    return f"{index + 1:04d}_block{b:04d}-{lang}.txt", "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--out", default="target/scale")
    args = parser.parse_args()
    all_blocks = blocks(load_groups(SOURCE))
    most = len(all_blocks) * ARTICLES_PER_BLOCK
    for n in args.sizes:
        if not 0 < n <= most:
            sys.exit(f"make_scale_drops: {n} articles asked, 1..{most} possible")
        folder = Path(args.out) / str(n)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for i in range(n):
            name, text = article(
                i, all_blocks[i // ARTICLES_PER_BLOCK], i % ARTICLES_PER_BLOCK
            )
            (folder / name).write_text(text, encoding="utf-8")
        print(f"{folder}: {n} articles, {n * SENTENCES_PER_ARTICLE} sentences")


if __name__ == "__main__":
    main()
