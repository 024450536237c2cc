//! The `embed` stage: every sentence becomes one L2-normalised multilingual-e5-small vector,
//! so that sentences of different languages stating the same fact lie close together.
//!
//! e5 is used as its authors prescribe: each text is prefixed with `query: `, the last hidden
//! states are mean-pooled over the attention mask and the result is L2-normalised.
//!
//! ```
//! use crosscheck::matching::embed::{EmbedConfig, Embedder};
//! use crosscheck::models::ModelDir;
//! use indicatif::ProgressBar;
//! let models = ModelDir::new(ModelDir::default_location());
//! let embedder = Embedder::new(&models, EmbedConfig::default())?;
//! let texts = [
//!     "The call lasted forty minutes.",
//!     "Das Telefonat dauerte vierzig Minuten.",
//!     "Stock markets closed higher on Friday.",
//! ];
//! let e = embedder.embed(&texts, &ProgressBar::hidden())?;
//! assert!(e.cosine(0, 1) > e.cosine(0, 2)); // a translation lies closer than another fact
//! # Ok::<(), anyhow::Error>(())
//! ```

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use tch::{Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::models::batch::{budget_batches, longest_first, pad, unique, BatchLimits, Tokens};
use crate::models::{E5Encoder, ModelDir, Precision};

/// The prefix e5 expects for symmetric tasks such as sentence similarity.
pub const E5_PREFIX: &str = "query: ";

/// Knobs of the embedder.
#[derive(Debug, Clone)]
pub struct EmbedConfig {
    /// At most this many sentences per forward pass (sorted by length, padded per batch).
    pub batch_size: usize,
    /// At most this many padded tokens (sentences × the longest one's tokens) per forward
    /// pass: short sentences run many to a batch, long ones few.
    pub batch_tokens: usize,
    /// Longer inputs are truncated to this many tokens (e5's limit is 512).
    pub max_tokens: usize,
    /// Number format of the weights and activations (pooling and normalisation are fp32).
    pub precision: Precision,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig {
            batch_size: 128,
            batch_tokens: 4096,
            max_tokens: 512,
            precision: Precision::Fp32,
        }
    }
}

/// Unit vectors, one row per input text, in input order.
#[derive(Debug, Clone)]
pub struct Embeddings {
    /// Width of each vector (384 for e5-small).
    pub dim: usize,
    /// Row-major values, `len() * dim` of them.
    pub values: Vec<f32>,
}

impl Embeddings {
    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.dim).unwrap_or(0)
    }

    /// True when there are no vectors.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The `i`-th vector.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.dim..(i + 1) * self.dim]
    }

    /// Cosine similarity of rows `i` and `j` (a dot product: rows are unit length).
    pub fn cosine(&self, i: usize, j: usize) -> f32 {
        self.row(i)
            .iter()
            .zip(self.row(j))
            .map(|(a, b)| a * b)
            .sum()
    }
}

/// The multilingual-e5-small sentence embedder.
pub struct Embedder {
    encoder: E5Encoder,
    tokenizer: Tokenizer,
    pad_id: u32,
    config: EmbedConfig,
}

impl Embedder {
    /// Loads e5-small and its tokenizer from the model folder (the e5 weights are read once
    /// per process and shared with the NLI model).
    pub fn new(models: &ModelDir, config: EmbedConfig) -> Result<Self> {
        let tokenizer = models.tokenizer()?;
        let pad_id = tokenizer
            .token_to_id("<pad>")
            .context("tokenizer has no <pad>")?;
        let encoder = models.e5_encoder(Device::Cpu, config.precision)?;
        Ok(Embedder {
            encoder,
            tokenizer,
            pad_id,
            config,
        })
    }

    /// Embeds `texts`; `progress` advances by one per text. Identical texts are embedded
    /// once; texts are tokenised a batch at a time, longest first, in batches within the
    /// configured rows and padded tokens.
    pub fn embed(&self, texts: &[&str], progress: &ProgressBar) -> Result<Embeddings> {
        let dim = self.encoder.hidden_size() as usize;
        let (distinct, slots) = unique(texts);
        let mut copies = vec![0u64; distinct.len()];
        for &slot in &slots {
            copies[slot] += 1;
        }
        let chars: Vec<usize> = distinct.iter().map(|t| t.chars().count()).collect();
        let limits = BatchLimits {
            rows: self.config.batch_size,
            tokens: self.config.batch_tokens,
        };
        let mut values = vec![0f32; distinct.len() * dim];
        let _no_grad = tch::no_grad_guard();
        budget_batches::<anyhow::Error>(
            &longest_first(&chars),
            limits,
            |items| {
                let prefixed: Vec<String> = items
                    .iter()
                    .map(|&i| format!("{E5_PREFIX}{}", distinct[i]))
                    .collect();
                let encodings = self
                    .tokenizer
                    .encode_batch(prefixed, true)
                    .map_err(|e| anyhow::anyhow!("tokenising sentences: {e}"))?;
                Ok(encodings
                    .iter()
                    .map(|e| vec![Tokens::from_encoding(e, self.config.max_tokens)])
                    .collect())
            },
            |batch| {
                let seqs: Vec<&Tokens> = batch.iter().flat_map(|(_, rows)| rows).collect();
                let padded = pad(&seqs, self.pad_id, Device::Cpu);
                let unit = normalise(&self.encoder.mean_pooled(&padded));
                let flat = Vec::<f32>::try_from(unit.flatten(0, -1))?;
                for (row, (i, _)) in flat.chunks_exact(dim).zip(batch) {
                    values[i * dim..(i + 1) * dim].copy_from_slice(row);
                }
                progress.inc(batch.iter().map(|(i, _)| copies[*i]).sum());
                Ok(())
            },
        )?;
        let values = slots
            .iter()
            .flat_map(|&slot| values[slot * dim..(slot + 1) * dim].iter().copied())
            .collect();
        Ok(Embeddings { dim, values })
    }
}

/// Scales each row of `[batch, dim]` to unit L2 norm.
fn normalise(x: &Tensor) -> Tensor {
    let norm = x
        .norm_scalaropt_dim(2, [1i64].as_slice(), true)
        .clamp_min(1e-12);
    (x / norm).to_kind(Kind::Float)
}
