//! The `embed` stage: every sentence becomes one L2-normalised multilingual-e5-small vector,
//! so that sentences of different languages stating the same fact lie close together.
//!
//! e5 is used as its authors prescribe: each text is prefixed with `query: `, the last hidden
//! states are mean-pooled over the attention mask and the result is L2-normalised.

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use tch::{Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::batch::{length_sorted_batches, pad, Tokens};
use crate::models::{Encoder, ModelDir};

/// The prefix e5 expects for symmetric tasks such as sentence similarity.
pub const E5_PREFIX: &str = "query: ";

/// Knobs of the embedder.
#[derive(Debug, Clone)]
pub struct EmbedConfig {
    /// Sentences per forward pass (sorted by length, padded per batch).
    pub batch_size: usize,
    /// Longer inputs are truncated to this many tokens (e5's limit is 512).
    pub max_tokens: usize,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig {
            batch_size: 32,
            max_tokens: 512,
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
    encoder: Encoder,
    tokenizer: Tokenizer,
    config: EmbedConfig,
}

impl Embedder {
    /// Loads e5-small and its tokenizer from the model folder.
    pub fn new(models: &ModelDir, config: EmbedConfig) -> Result<Self> {
        let tokenizer = models.tokenizer()?;
        let encoder = models.e5_encoder(Device::Cpu)?;
        Ok(Embedder {
            encoder,
            tokenizer,
            config,
        })
    }

    /// Embeds `texts`; `progress` advances by one per text.
    pub fn embed(&self, texts: &[&str], progress: &ProgressBar) -> Result<Embeddings> {
        let prefixed: Vec<String> = texts.iter().map(|t| format!("{E5_PREFIX}{t}")).collect();
        let encodings = self
            .tokenizer
            .encode_batch(prefixed, true)
            .map_err(|e| anyhow::anyhow!("tokenising sentences: {e}"))?;
        let tokens: Vec<Tokens> = encodings
            .iter()
            .map(|e| Tokens::from_encoding(e, self.config.max_tokens))
            .collect();
        let pad_id = self
            .tokenizer
            .token_to_id("<pad>")
            .context("tokenizer has no <pad>")?;
        let dim = self.encoder.config.hidden_size as usize;
        let mut values = vec![0f32; texts.len() * dim];
        let lengths: Vec<usize> = tokens.iter().map(|t| t.len()).collect();
        let _no_grad = tch::no_grad_guard();
        for batch in length_sorted_batches(&lengths, self.config.batch_size) {
            let seqs: Vec<&Tokens> = batch.iter().map(|&i| &tokens[i]).collect();
            let padded = pad(&seqs, pad_id, Device::Cpu);
            let pooled = self.encoder.mean_pooled(&padded, false);
            let unit = normalise(&pooled);
            let flat = Vec::<f32>::try_from(unit.flatten(0, -1))?;
            for (row, &i) in flat.chunks_exact(dim).zip(&batch) {
                values[i * dim..(i + 1) * dim].copy_from_slice(row);
            }
            progress.inc(batch.len() as u64);
        }
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
