#!/usr/bin/env python3
"""A long generated English article (distinct sentences of news prose with varying numbers),
for the bad-input figures of docs/figures.md ("Bad input: a 50 MB article"). Not committed
as data: `python3 tools/long_article.py 50 /tmp/big/a50.txt` writes 50 MB.
Usage: long_article.py MEGABYTES OUT"""
import random
import sys

random.seed(1)
mb = float(sys.argv[1])
out = sys.argv[2]
subj = ["The minister", "A spokesman", "The president", "Officials", "The mayor", "Rescuers",
        "The agency", "Witnesses", "The ministry", "Police"]
verb = ["said", "reported", "confirmed", "announced", "denied", "claimed", "estimated",
        "told reporters"]
obj = ["people were killed", "homes were damaged", "talks lasted", "flights were cancelled",
       "families were evacuated", "workers went on strike", "votes were counted",
       "tonnes of grain were shipped"]
days = ["on Monday", "on Tuesday", "on Friday", "on Sunday", "last week", "on 4 July",
        "in March", ""]
words = ("river bridge harbour council storm budget contract school hospital railway border "
         "market factory election court report").split()
with open(out, "w") as f:
    f.write("title: A very long article\nlang: en\ndate: 2025-07-04\n\n")
    n = 0
    target = int(mb * 1e6)
    while n < target:
        s = (f"{random.choice(subj)} {random.choice(verb)} {random.choice(days)} that "
             f"{random.randint(2, 99999)} {random.choice(obj)} near the {random.choice(words)} "
             f"of {random.choice(words)} {random.randint(1, 500)}.")
        s += "\n\n" if random.random() < 0.1 else " "
        f.write(s)
        n += len(s)
