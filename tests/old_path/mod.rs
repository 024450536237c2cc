//! The model loops crosscheck used before the inference rework (issue 14): everything
//! tokenised up front, batches of 32 by length, NLI directions appended after each other.
//! Kept once, for the parity test that pins the new path to the old numbers
//! (tests/inference_parity.rs) and the benchmark that times the old path
//! (examples/bench_models.rs `--before`).

use anyhow::Result;
use crosscheck::judging::nli::{NliModel, Probabilities};
use crosscheck::matching::embed::E5_PREFIX;
use crosscheck::models::batch::{length_sorted_batches, pad, Tokens};
use crosscheck::models::{Encoder, PairClassifier};
use tch::{Device, Kind};
use tokenizers::Tokenizer;

/// Sequences per batch on the old path.
const BATCH: usize = 32;

/// Unit-length e5 embeddings of `texts` (with the e5 query prefix), in input order.
pub fn embeddings(
    encoder: &Encoder,
    tokenizer: &Tokenizer,
    texts: &[&str],
) -> Result<Vec<Vec<f32>>> {
    let pad_id = tokenizer.token_to_id("<pad>").unwrap_or(1);
    let prefixed: Vec<String> = texts.iter().map(|t| format!("{E5_PREFIX}{t}")).collect();
    let tokens: Vec<Tokens> = tokenizer
        .encode_batch(prefixed, true)
        .map_err(anyhow::Error::msg)?
        .iter()
        .map(|e| Tokens::from_encoding(e, 512))
        .collect();
    let lengths: Vec<usize> = tokens.iter().map(Tokens::len).collect();
    let mut out = vec![Vec::new(); texts.len()];
    let _guard = tch::no_grad_guard();
    for batch in length_sorted_batches(&lengths, BATCH) {
        let seqs: Vec<&Tokens> = batch.iter().map(|&i| &tokens[i]).collect();
        let pooled = encoder.mean_pooled(&pad(&seqs, pad_id, Device::Cpu), false);
        let norm = pooled
            .norm_scalaropt_dim(2, [1i64].as_slice(), true)
            .clamp_min(1e-12);
        let unit = (&pooled / norm).to_kind(Kind::Float);
        let flat = Vec::<f32>::try_from(unit.flatten(0, -1))?;
        let width = flat.len() / batch.len();
        for (row, &i) in flat.chunks_exact(width).zip(&batch) {
            out[i] = row.to_vec();
        }
    }
    Ok(out)
}

/// For each pair (a, b): the probabilities of a => b and of b => a, both directions appended
/// after each other and batched by length as before.
pub fn probabilities<M: PairClassifier>(
    nli: &NliModel<M>,
    pairs: &[(&str, &str)],
) -> Result<Vec<(Probabilities, Probabilities)>> {
    let mut both: Vec<(&str, &str)> = pairs.to_vec();
    both.extend(pairs.iter().map(|&(a, b)| (b, a)));
    let tokens = nli.encode(&both)?;
    let lengths: Vec<usize> = tokens.iter().map(Tokens::len).collect();
    let mut probs = vec![Probabilities::from_row(&[0.0, 1.0, 0.0]); both.len()];
    let _guard = tch::no_grad_guard();
    for batch in length_sorted_batches(&lengths, BATCH) {
        let seqs: Vec<&Tokens> = batch.iter().map(|&i| &tokens[i]).collect();
        let padded = pad(&seqs, nli.pad_id(), Device::Cpu);
        let p = nli.model().logits(&padded, false).softmax(-1, Kind::Float);
        let flat = Vec::<f32>::try_from(p.flatten(0, -1))?;
        for (row, &i) in flat.chunks_exact(3).zip(&batch) {
            probs[i] = Probabilities::from_row(row);
        }
    }
    let (forward, backward) = probs.split_at(pairs.len());
    Ok(forward
        .iter()
        .copied()
        .zip(backward.iter().copied())
        .collect())
}
