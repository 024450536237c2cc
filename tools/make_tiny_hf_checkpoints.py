#!/usr/bin/env python3
"""Writes the tiny Hugging Face checkpoints that tests/hf_parity.rs loads.

Run once, by hand, in a throwaway virtual environment; the output is committed, so neither
tests nor CI need Python:

    python3 -m venv /tmp/hfvenv
    /tmp/hfvenv/bin/pip install torch==2.4.0 "transformers<5" safetensors tokenizers numpy
    /tmp/hfvenv/bin/python tools/make_tiny_hf_checkpoints.py

(transformers 5 needs torch >= 2.6; torch 2.4.0 matches crosscheck's libtorch. The committed
files were made with transformers 4.57.6, recorded in each expected.json.) Re-running it
rewrites the same bytes.

For each architecture crosscheck imports (BERT, XLM-RoBERTa, DeBERTa-v3, and a DeBERTa-v2
variant exercising the other code paths) it builds a randomly initialised
`*ForSequenceClassification` model with a fixed seed, a word-level tokenizer over a small
vocabulary with the architecture's pair template, and writes to
tests/fixtures/tiny-hf/<name>/: config.json, model.safetensors, tokenizer.json and
expected.json (inputs and the logits transformers computes for them in eval mode, fp32).
The BERT model is also written as pytorch_model.bin (bert-pytorch-bin/) for the pickle path.

The id2label of every model lists the NLI labels in an order other than crosscheck's
(entailment, neutral, contradiction), so the tests also check the mapping by name.
"""

import json
import math
import pathlib
import random

import torch
import transformers
from tokenizers import Tokenizer, models, pre_tokenizers, processors

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny-hf"

WORDS = """the a of to in and is was on for with by at from that this it not no
minister said says police army city river bridge fire storm flood election vote votes
president government court judge law report reports people killed injured dead missing
two three five ten hundred thousand million monday tuesday friday night morning
rose fell rise fall prices bank rate rates percent new old large small north south
east west capital border attack peace talks deal agreed rejected opened closed
announced denied confirmed officials spokesman company workers strike market oil gas
""".split()

SEED = 20240611


def vocabulary(specials):
    vocab = {tok: i for i, tok in enumerate(specials)}
    for w in WORDS:
        vocab.setdefault(w, len(vocab))
    return vocab


def tokenizer(specials, unk, single, pair):
    vocab = vocabulary(specials)
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token=unk))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single=single,
        pair=pair,
        special_tokens=[(s, vocab[s]) for s in specials if s in single + pair],
    )
    return tok, len(vocab)


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def randomise(model):
    """Replaces transformers' small initialisation (std 0.02, unit layer norms) by larger
    random values, so every part of the network moves the logits well above the tolerance."""
    gen = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=gen)
            if "LayerNorm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * noise)
            elif name.endswith("bias"):
                p.copy_(0.2 * noise)
            elif "embeddings" in name:
                p.copy_(0.7 * noise)
            else:
                fan_in = p.shape[1] if p.dim() > 1 else p.shape[0]
                if p.dim() == 3:  # conv1d [out, in / groups, kernel]
                    fan_in = p.shape[1] * p.shape[2]
                p.copy_(noise * (1.5 / math.sqrt(fan_in)))


def pad_batch(encodings, pad_id):
    longest = max(len(e.ids) for e in encodings)
    ids, types, mask = [], [], []
    for e in encodings:
        n = len(e.ids)
        ids.append(e.ids + [pad_id] * (longest - n))
        types.append(e.type_ids + [0] * (longest - n))
        mask.append([1] * n + [0] * (longest - n))
    return ids, types, mask


def build(name, model, tok, pad_id, use_type_ids):
    rng = random.Random(SEED + len(name))
    randomise(model)
    model.eval()
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    tok.save(str(folder / "tokenizer.json"))

    def run(ids, types, mask):
        kwargs = dict(
            input_ids=torch.tensor(ids),
            attention_mask=torch.tensor(mask),
        )
        if use_type_ids:
            kwargs["token_type_ids"] = torch.tensor(types)
        with torch.no_grad():
            return model(**kwargs).logits.float().tolist()

    cases = []
    # A padded batch with one long pair (about 40 tokens: longer than DeBERTa's buckets and
    # its relative span), one medium and one short.
    pairs = [
        (sentence(rng, 19), sentence(rng, 18)),
        (sentence(rng, 9), sentence(rng, 6)),
        (sentence(rng, 2), sentence(rng, 1)),
    ]
    encodings = tok.encode_batch(pairs)
    ids, types, mask = pad_batch(encodings, pad_id)
    cases.append(
        dict(name="padded batch", input_ids=ids, token_type_ids=types, attention_mask=mask)
    )
    # The same long pair alone: no padding.
    one = tok.encode(*pairs[0])
    cases.append(
        dict(
            name="long pair alone",
            input_ids=[one.ids],
            token_type_ids=[one.type_ids],
            attention_mask=[[1] * len(one.ids)],
        )
    )
    # A batch of medium pairs of equal length in words.
    more = [(sentence(rng, 7), sentence(rng, 8)) for _ in range(4)]
    ids, types, mask = pad_batch(tok.encode_batch(more), pad_id)
    cases.append(
        dict(name="medium batch", input_ids=ids, token_type_ids=types, attention_mask=mask)
    )
    for case in cases:
        case["logits"] = run(case["input_ids"], case["token_type_ids"], case["attention_mask"])

    # Text pairs for the end-to-end test through NliModel, each run alone (unpadded).
    text_pairs = [(sentence(rng, 12), sentence(rng, 10)), pairs[1], pairs[2], more[0]]
    text_logits = []
    for a, b in text_pairs:
        e = tok.encode(a, b)
        text_logits.append(run([e.ids], [e.type_ids], [[1] * len(e.ids)])[0])

    expected = dict(
        generated_by="tools/make_tiny_hf_checkpoints.py",
        transformers=transformers.__version__,
        torch=torch.__version__,
        model_class=type(model).__name__,
        id2label={str(k): v for k, v in model.config.id2label.items()},
        cases=cases,
        text_pairs=[list(p) for p in text_pairs],
        text_logits=text_logits,
    )
    (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    size = sum(f.stat().st_size for f in folder.iterdir())
    print(f"{name}: {type(model).__name__}, {size / 1024:.0f} KiB")
    return expected


def build_pickled(name, model, tok, expected):
    """The same model saved as pytorch_model.bin (the older format some hub models still
    have), to test that path."""
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=False)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(f"{name}: {type(model).__name__} as pytorch_model.bin")


def common(vocab_size, id2label, **extra):
    return dict(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=37,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
        **extra,
    )


def main():
    torch.manual_seed(SEED)

    tok, v = tokenizer(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        "[UNK]",
        "[CLS] $A [SEP]",
        "[CLS] $A [SEP] $B:1 [SEP]:1",
    )
    config = transformers.BertConfig(
        **common(
            v,
            {0: "contradiction", 1: "entailment", 2: "neutral"},
            max_position_embeddings=64,
            type_vocab_size=2,
            layer_norm_eps=1e-12,
            pad_token_id=0,
        )
    )
    bert = transformers.BertForSequenceClassification(config)
    expected = build("bert", bert, tok, 0, use_type_ids=True)
    build_pickled("bert-pytorch-bin", bert, tok, expected)

    tok, v = tokenizer(
        ["<s>", "<pad>", "</s>", "<unk>"],
        "<unk>",
        "<s> $A </s>",
        "<s> $A </s> </s> $B </s>",
    )
    config = transformers.XLMRobertaConfig(
        **common(
            v,
            {0: "neutral", 1: "contradiction", 2: "entailment"},
            max_position_embeddings=66,
            type_vocab_size=1,
            layer_norm_eps=1e-5,
            pad_token_id=1,
            bos_token_id=0,
            eos_token_id=2,
        )
    )
    build(
        "xlm-roberta",
        transformers.XLMRobertaForSequenceClassification(config),
        tok,
        1,
        use_type_ids=False,
    )

    deberta_tok, v = tokenizer(
        ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"],
        "[UNK]",
        "[CLS] $A [SEP]",
        "[CLS] $A [SEP] $B:1 [SEP]:1",
    )
    # mDeBERTa-v3 settings: log-bucketed relative positions shared with the content keys,
    # layer-normed relative embeddings, no absolute positions, no token types.
    config = transformers.DebertaV2Config(
        **common(
            v,
            {0: "contradiction", 1: "entailment", 2: "neutral"},
            max_position_embeddings=64,
            type_vocab_size=0,
            layer_norm_eps=1e-7,
            pad_token_id=0,
            relative_attention=True,
            max_relative_positions=-1,
            position_buckets=8,
            norm_rel_ebd="layer_norm",
            share_att_key=True,
            pos_att_type=["p2c", "c2p"],
            position_biased_input=False,
            pooler_hidden_size=32,
            pooler_hidden_act="gelu",
            pooler_dropout=0,
        )
    )
    build(
        "deberta-v3",
        transformers.DebertaV2ForSequenceClassification(config),
        deberta_tok,
        0,
        use_type_ids=True,
    )

    # DeBERTa-v2 (xlarge-style) settings: separate position projections, a relative span
    # shorter than the long input, absolute positions, token types, an embedding projection,
    # the convolution after layer 0, the legacy "c2p|p2c" spelling and a tanh GELU.
    config = transformers.DebertaV2Config(
        **common(
            v,
            {0: "neutral", 1: "entailment", 2: "contradiction"},
            max_position_embeddings=64,
            type_vocab_size=2,
            layer_norm_eps=1e-7,
            pad_token_id=0,
            relative_attention=True,
            max_relative_positions=12,
            position_buckets=-1,
            norm_rel_ebd="none",
            share_att_key=False,
            pos_att_type="c2p|p2c",
            position_biased_input=True,
            embedding_size=24,
            conv_kernel_size=3,
            conv_act="tanh",
            pooler_hidden_size=32,
            pooler_hidden_act="tanh",
            pooler_dropout=0,
        )
    )
    config.hidden_act = "gelu_new"
    build(
        "deberta-v2",
        transformers.DebertaV2ForSequenceClassification(config),
        deberta_tok,
        0,
        use_type_ids=True,
    )


if __name__ == "__main__":
    main()
