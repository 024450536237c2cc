//! The `nli` stage: three probabilities (entailment, neutral, contradiction) for sentence
//! pairs, in both directions (in one batch), batched by length within a budget of padded
//! tokens; identical pairs are computed once. Training and evaluation of crosscheck's own
//! model live in the submodules.
//!
//! ```
//! use crosscheck::models::ModelDir;
//! use crosscheck::judging::nli::{NliConfig, NliModel};
//! use indicatif::ProgressBar;
//! let models = ModelDir::new(ModelDir::default_location());
//! let nli = NliModel::new(&models, None, NliConfig::default())?;
//! let p = nli.predict(
//!     &[("The call lasted forty minutes.", "The call was short: it lasted two minutes.")],
//!     &ProgressBar::hidden(),
//! )?;
//! assert!(p[0].contradiction > p[0].entailment);
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod data;
pub mod eval;
pub mod train;

use anyhow::Result;
use indicatif::ProgressBar;
use tch::{Device, Kind};
use tokenizers::{Tokenizer, TruncationParams, TruncationStrategy};

pub use crate::domain::Probabilities;
use crate::models::batch::{budget_batches, longest_first, pad, unique, BatchLimits, Tokens};
use crate::models::hf::load_hf_checkpoint;
use crate::models::{ModelDir, PairClassifier, Precision};
use std::path::Path;

/// Knobs of NLI inference.
#[derive(Debug, Clone)]
pub struct NliConfig {
    /// At most this many directed pairs per forward pass.
    pub batch_size: usize,
    /// At most this many padded tokens (directed pairs × the longest one's tokens) per
    /// forward pass.
    pub batch_tokens: usize,
    /// Pairs are truncated (longest side first) to this many tokens.
    pub max_tokens: usize,
    /// Number format of crosscheck's own model (its pooling, head and probabilities are
    /// fp32); imported Hugging Face checkpoints always run in fp32.
    pub precision: Precision,
}

impl Default for NliConfig {
    fn default() -> Self {
        NliConfig {
            batch_size: 128,
            batch_tokens: 4096,
            max_tokens: 256,
            precision: Precision::Fp32,
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
                Box::new(models.nli_cross_encoder(Device::Cpu, config.precision)?),
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
    /// Identical pairs are computed once.
    pub fn predict(
        &self,
        pairs: &[(&str, &str)],
        progress: &ProgressBar,
    ) -> Result<Vec<Probabilities>> {
        let (distinct, slots) = unique(pairs);
        let groups: Vec<Vec<(&str, &str)>> = distinct.iter().map(|&p| vec![p]).collect();
        let probs = self.predict_groups(&groups, &copies(&slots, groups.len(), 1), progress)?;
        Ok(slots.iter().map(|&slot| probs[slot][0]).collect())
    }

    /// For each pair (a, b): the probabilities of a => b and of b => a. Both directions of a
    /// pair run in the same batch; a pair met again (either way round) is computed once.
    pub fn predict_both_ways(
        &self,
        pairs: &[(&str, &str)],
        progress: &ProgressBar,
    ) -> Result<Vec<(Probabilities, Probabilities)>> {
        let unordered: Vec<(&str, &str)> = pairs
            .iter()
            .map(|&(a, b)| if a <= b { (a, b) } else { (b, a) })
            .collect();
        let (distinct, slots) = unique(&unordered);
        let groups: Vec<Vec<(&str, &str)>> = distinct
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    vec![(a, b)]
                } else {
                    vec![(a, b), (b, a)]
                }
            })
            .collect();
        let probs = self.predict_groups(&groups, &copies(&slots, groups.len(), 2), progress)?;
        let neutral = Probabilities::from_row(&[0.0, 1.0, 0.0]);
        Ok(pairs
            .iter()
            .zip(&slots)
            .map(|(&(a, b), &slot)| {
                let group = &probs[slot];
                let forward = group.first().copied().unwrap_or(neutral);
                let backward = group.last().copied().unwrap_or(neutral);
                if a <= b {
                    (forward, backward)
                } else {
                    (backward, forward)
                }
            })
            .collect())
    }

    /// Probabilities for every directed pair of every group; the pairs of a group run in one
    /// batch. `progress` advances by `weights[g]` when group `g` is done.
    fn predict_groups(
        &self,
        groups: &[Vec<(&str, &str)>],
        weights: &[u64],
        progress: &ProgressBar,
    ) -> Result<Vec<Vec<Probabilities>>> {
        let neutral = Probabilities::from_row(&[0.0, 1.0, 0.0]);
        let mut out: Vec<Vec<Probabilities>> =
            groups.iter().map(|g| vec![neutral; g.len()]).collect();
        let chars: Vec<usize> = groups
            .iter()
            .map(|g| {
                g.first()
                    .map_or(0, |(p, h)| p.chars().count() + h.chars().count())
            })
            .collect();
        let limits = BatchLimits {
            rows: self.config.batch_size,
            tokens: self.config.batch_tokens,
        };
        let _no_grad = tch::no_grad_guard();
        budget_batches::<anyhow::Error>(
            &longest_first(&chars),
            limits,
            |items| {
                let directed: Vec<(&str, &str)> = items
                    .iter()
                    .flat_map(|&g| groups[g].iter().copied())
                    .collect();
                let mut tokens = self.encode(&directed)?.into_iter();
                Ok(items
                    .iter()
                    .map(|&g| tokens.by_ref().take(groups[g].len()).collect())
                    .collect())
            },
            |batch| {
                let seqs: Vec<&Tokens> = batch.iter().flat_map(|(_, rows)| rows).collect();
                let padded = pad(&seqs, self.pad_id, Device::Cpu);
                let probs = self.model.logits(&padded, false).softmax(-1, Kind::Float);
                let flat = Vec::<f32>::try_from(probs.flatten(0, -1))?;
                let mut rows = flat.chunks_exact(3);
                for (g, _) in batch {
                    for (slot, row) in out[*g].iter_mut().zip(rows.by_ref()) {
                        *slot = Probabilities::from_row(row);
                    }
                }
                progress.inc(batch.iter().map(|(g, _)| weights[*g]).sum());
                Ok(())
            },
        )?;
        Ok(out)
    }
}

/// How far the progress bar advances per group: `per_item` for each input mapped to it.
fn copies(slots: &[usize], groups: usize, per_item: u64) -> Vec<u64> {
    let mut weights = vec![0u64; groups];
    for &slot in slots {
        weights[slot] += per_item;
    }
    weights
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
