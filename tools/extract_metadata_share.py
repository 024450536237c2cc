#!/usr/bin/env python3
"""Prints how many pages of a `crosscheck extract --json` output have each metadata field
(publication date, title, outlet, language, URL, author) and how many were skipped as holding
no article (`make bench-extract`, last line)."""
import json
import sys

pages = json.load(open(sys.argv[1], encoding='utf-8'))
n = len(pages)
fields = ['date', 'title', 'outlet', 'lang', 'url', 'author']
found = ', '.join(f'{k} {sum(1 for v in pages.values() if v.get(k))} ({100 * sum(1 for v in pages.values() if v.get(k)) / n:.0f} %)' for k in fields)
skipped = sum(1 for v in pages.values() if v.get('skipped'))
print(f'metadata found on {n} pages: {found}; skipped as no article: {skipped}')
