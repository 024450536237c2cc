#!/usr/bin/env python3
"""The Python side of `make bench-python` (issue 14): crosscheck's two models run with Hugging
Face transformers (BertModel, with its default attention `sdpa` or with `eager` attention) and torch
on the SAME weights and the SAME inputs, so that crosscheck's model stages can be compared with the
usual Python stack.

- e5: models/e5-small-q4.bin, read and dequantised by tools/reference_embeddings.py's parser
  (the one the parity test's reference uses), loaded into a BertModel; "query: " prefix, mean
  pooling over the mask, L2 norm, as crosscheck.
- NLI: models/nli/crosscheck-nli-e5s.safetensors (every weight but the word embeddings, which
  come from the e5 file) into a BertModel, mean pooling, head dense -> tanh -> out, softmax.
- inputs: the JSON that `cargo run --release --example bench_models -- --inputs-out FILE` writes
  (the seed claims and the candidate pairs of one run, as crosscheck's model stages see them).
- batches as crosscheck's: longest first, at most 128 rows and 4,096 padded tokens; NLI pairs
  truncated longest-first to 256 tokens, both directions in one pass.
- 2 threads; fp32, or bf16 weights and activations with pooling and head in fp32.
- attention: sdpa (transformers' default for BERT, torch's scaled_dot_product_attention) or eager
  (the explicit softmax(QK^T)V of the original implementation); the row names the one that ran.

Prints one JSON line per repetition: seconds to load e5, embed, load NLI, NLI (both ways).
bench_models calls it between its own rows (`--python`), so both share the machine's load.

usage: bench_python.py --inputs FILE --precision fp32|bf16 [--attention sdpa|eager] [--repeat 1]
       [--check]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from reference_embeddings import read_e5s1  # noqa: E402  (the project's own E5S1 parser)

E5_PREFIX = "query: "
ROWS, BUDGET = 128, 4096
NLI_MAX_TOKENS = 256
# E5S1 tensor names -> Hugging Face BertModel names.
LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
SUFFIX = {"w": "weight", "b": "bias"}


def e5_state(attention):
    """(BertConfig with `attention`, state dict) of e5-small from the E5S1 file."""
    weights, (hidden, layers, heads) = read_e5s1(ROOT / "models" / "e5-small-q4.bin")
    state = {
        "embeddings.word_embeddings.weight": weights["emb.word"],
        "embeddings.position_embeddings.weight": weights["emb.pos"],
        "embeddings.token_type_embeddings.weight": weights["emb.type"],
        "embeddings.LayerNorm.weight": weights["emb.ln.w"],
        "embeddings.LayerNorm.bias": weights["emb.ln.b"],
    }
    for name, value in weights.items():
        parts = name.split(".")
        if name.startswith("l") and parts[0][1:].isdigit():
            state[f"encoder.layer.{parts[0][1:]}.{LAYER_NAMES[parts[1]]}.{SUFFIX[parts[2]]}"] = value
    state = {k: torch.from_numpy(v).float() for k, v in state.items()}
    config = BertConfig(
        vocab_size=state["embeddings.word_embeddings.weight"].shape[0],
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=state["encoder.layer.0.intermediate.dense.weight"].shape[0],
        max_position_embeddings=state["embeddings.position_embeddings.weight"].shape[0],
        type_vocab_size=state["embeddings.token_type_embeddings.weight"].shape[0],
        layer_norm_eps=1e-12,
        hidden_act="gelu",
        attn_implementation=attention,
    )
    return config, state


def bert(config, state, dtype):
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if "position_ids" not in m]
    if missing or unexpected:
        sys.exit(f"bench_python: weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    return model.to(dtype).eval()


def batches(lengths):
    """crosscheck's budget batches: longest first, <= ROWS rows, <= BUDGET padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    out, cur = [], []
    for i in order:
        longest = lengths[cur[0]] if cur else lengths[i]
        if cur and (len(cur) + 1 > ROWS or (len(cur) + 1) * longest > BUDGET):
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    return out


def pooled(model, encodings, idx):
    """Masked mean of the last hidden states (fp32) of the encodings `idx`."""
    width = max(len(encodings[i].ids) for i in idx)
    ids = torch.ones(len(idx), width, dtype=torch.long)  # <pad> is 1
    mask = torch.zeros(len(idx), width, dtype=torch.long)
    for r, i in enumerate(idx):
        n = len(encodings[i].ids)
        ids[r, :n] = torch.tensor(encodings[i].ids)
        mask[r, :n] = 1
    hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state.float()
    m = mask.unsqueeze(-1).float()
    return (hidden * m).sum(1) / m.sum(1).clamp_min(1e-9)


def embed(model, tokenizer, texts):
    encodings = tokenizer.encode_batch([E5_PREFIX + t for t in texts])
    out = [None] * len(texts)
    for idx in batches([len(e.ids) for e in encodings]):
        v = torch.nn.functional.normalize(pooled(model, encodings, idx), dim=-1)
        for r, i in enumerate(idx):
            out[i] = v[r]
    return torch.stack(out)


def nli(model, head, tokenizer, pairs):
    both = [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs]
    encodings = tokenizer.encode_batch(both)
    out = [None] * len(both)
    for idx in batches([len(e.ids) for e in encodings]):
        probs = head(pooled(model, encodings, idx)).softmax(-1)
        for r, i in enumerate(idx):
            out[i] = probs[r]
    return torch.stack(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    parser.add_argument("--attention", choices=["sdpa", "eager"], default="sdpa")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="print the outputs' checksums too")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32
    inputs = json.loads(Path(args.inputs).read_text(encoding="utf-8"))
    texts, pairs = inputs["texts"], [tuple(p) for p in inputs["pairs"]]
    tokenizer = Tokenizer.from_file(str(ROOT / "models" / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.enable_truncation(512)
    pair_tokenizer = Tokenizer.from_file(str(ROOT / "models" / "tokenizer.json"))
    pair_tokenizer.enable_truncation(NLI_MAX_TOKENS, strategy="longest_first")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        config, state = e5_state(args.attention)
        e5 = bert(config, state, dtype)
        t1 = time.perf_counter()
        vectors = embed(e5, tokenizer, texts)
        t2 = time.perf_counter()
        del e5
        config, state = e5_state(args.attention)
        tuned = {k: v.float() for k, v in load_file(str(ROOT / "models/nli/crosscheck-nli-e5s.safetensors")).items()}
        head_w = {k: v for k, v in tuned.items() if k.startswith("head.")}
        state.update({k: v for k, v in tuned.items() if not k.startswith("head.")})
        encoder = bert(config, state, dtype)
        dense = torch.nn.Linear(config.hidden_size, config.hidden_size)
        out = torch.nn.Linear(config.hidden_size, 3)
        dense.load_state_dict({"weight": head_w["head.dense.weight"], "bias": head_w["head.dense.bias"]})
        out.load_state_dict({"weight": head_w["head.out.weight"], "bias": head_w["head.out.bias"]})
        t3 = time.perf_counter()
        probs = nli(encoder, lambda x: out(torch.tanh(dense(x))), pair_tokenizer, pairs)
        t4 = time.perf_counter()
        row = {"precision": args.precision, "attention": encoder.config._attn_implementation,
               "threads": torch.get_num_threads(), "load_e5": t1 - t0, "embed": t2 - t1,
               "load_nli": t3 - t2, "nli": t4 - t3}
        if args.check:
            row["embedding_sum"] = float(vectors.sum())
            row["first_probs"] = [round(float(x), 5) for x in probs[0]]
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
