//! The `nli` stage: three probabilities (entailment, neutral, contradiction) for sentence
//! pairs, in both directions, batched by length. Training and evaluation of crosscheck's own
//! model live in the submodules.

pub mod data;
pub mod eval;
pub mod train;

use anyhow::Result;
use indicatif::ProgressBar;
use tch::{Device, Kind};
use tokenizers::{Tokenizer, TruncationParams, TruncationStrategy};

use crate::batch::{length_sorted_batches, pad, Tokens};
pub use crate::domain::Probabilities;
use crate::models::hf::load_hf_checkpoint;
use crate::models::{ModelDir, PairClassifier};
use std::path::Path;

/// Knobs of NLI inference.
#[derive(Debug, Clone)]
pub struct NliConfig {
    /// Pairs per forward pass.
    pub batch_size: usize,
    /// Pairs are truncated (longest side first) to this many tokens.
    pub max_tokens: usize,
}

impl Default for NliConfig {
    fn default() -> Self {
        NliConfig {
            batch_size: 32,
            max_tokens: 256,
        }
    }
}

/// A loaded NLI model with its tokenizer. `M` is crosscheck's cross-encoder when training,
/// and any [`PairClassifier`] at inference.
pub struct NliModel<M: PairClassifier = Box<dyn PairClassifier>> {
    model: M,
    tokenizer: Tokenizer,
    pad_id: u32,
    config: NliConfig,
}

impl NliModel {
    /// Loads the NLI model: a Hugging Face sequence-classification checkpoint folder when
    /// `checkpoint` is given, else crosscheck's shipped cross-encoder (e5 weights + the
    /// fine-tuned file).
    pub fn new(models: &ModelDir, checkpoint: Option<&Path>, config: NliConfig) -> Result<Self> {
        let (model, tokenizer): (Box<dyn PairClassifier>, Tokenizer) = match checkpoint {
            Some(dir) => load_hf_checkpoint(dir, Device::Cpu)?,
            None => (
                Box::new(models.nli_cross_encoder(Device::Cpu)?),
                models.tokenizer()?,
            ),
        };
        Ok(Self::from_parts(model, tokenizer, config))
    }
}

impl<M: PairClassifier> NliModel<M> {
    /// Wraps an already built model and its tokenizer.
    pub fn from_parts(model: M, tokenizer: Tokenizer, config: NliConfig) -> Self {
        let tokenizer = pair_tokenizer(tokenizer, config.max_tokens);
        let pad_id = ["<pad>", "[PAD]"]
            .iter()
            .find_map(|t| tokenizer.token_to_id(t))
            .unwrap_or(0);
        NliModel {
            model,
            tokenizer,
            pad_id,
            config,
        }
    }

    /// The underlying model (for training).
    pub fn model(&self) -> &M {
        &self.model
    }

    /// Tokens of each pair as the tokenizer's pair template lays them out
    /// (`<s> premise </s></s> hypothesis </s>` for XLM-R vocabularies).
    pub fn encode(&self, pairs: &[(&str, &str)]) -> Result<Vec<Tokens>> {
        let inputs: Vec<tokenizers::EncodeInput> = pairs
            .iter()
            .map(|&(p, h)| (p.to_string(), h.to_string()).into())
            .collect();
        let encodings = self
            .tokenizer
            .encode_batch(inputs, true)
            .map_err(|e| anyhow::anyhow!("tokenising pairs: {e}"))?;
        Ok(encodings
            .iter()
            .map(|e| Tokens::from_encoding(e, self.config.max_tokens))
            .collect())
    }

    /// The pad token id.
    pub fn pad_id(&self) -> u32 {
        self.pad_id
    }

    /// Probabilities for each (premise, hypothesis) pair; `progress` advances per pair.
    pub fn predict(
        &self,
        pairs: &[(&str, &str)],
        progress: &ProgressBar,
    ) -> Result<Vec<Probabilities>> {
        let tokens = self.encode(pairs)?;
        let lengths: Vec<usize> = tokens.iter().map(Tokens::len).collect();
        let mut out = vec![Probabilities::from_row(&[0.0, 1.0, 0.0]); pairs.len()];
        let _no_grad = tch::no_grad_guard();
        for batch in length_sorted_batches(&lengths, self.config.batch_size) {
            let seqs: Vec<&Tokens> = batch.iter().map(|&i| &tokens[i]).collect();
            let padded = pad(&seqs, self.pad_id, Device::Cpu);
            let probs = self.model.logits(&padded, false).softmax(-1, Kind::Float);
            let flat = Vec::<f32>::try_from(probs.flatten(0, -1))?;
            for (row, &i) in flat.chunks_exact(3).zip(&batch) {
                out[i] = Probabilities::from_row(row);
            }
            progress.inc(batch.len() as u64);
        }
        Ok(out)
    }

    /// For each pair (a, b): the probabilities of a => b and of b => a, in one batched pass.
    pub fn predict_both_ways(
        &self,
        pairs: &[(&str, &str)],
        progress: &ProgressBar,
    ) -> Result<Vec<(Probabilities, Probabilities)>> {
        let mut both: Vec<(&str, &str)> = pairs.to_vec();
        both.extend(pairs.iter().map(|&(a, b)| (b, a)));
        let probs = self.predict(&both, progress)?;
        let (forward, backward) = probs.split_at(pairs.len());
        Ok(forward
            .iter()
            .copied()
            .zip(backward.iter().copied())
            .collect())
    }
}

/// A copy of the tokenizer that truncates pairs longest-side-first to `max_tokens`.
fn pair_tokenizer(mut tokenizer: Tokenizer, max_tokens: usize) -> Tokenizer {
    let params = TruncationParams {
        max_length: max_tokens,
        strategy: TruncationStrategy::LongestFirst,
        ..Default::default()
    };
    tokenizer
        .with_truncation(Some(params))
        .expect("longest-first truncation is valid for pairs");
    tokenizer
}
