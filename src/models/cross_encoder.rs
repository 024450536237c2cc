//! crosscheck's own NLI cross-encoder: multilingual-e5-small with a 3-way head, fine-tuned by
//! `crosscheck train-nli`. The shipped file holds only what fine-tuning changed (every weight
//! but the frozen word embeddings, in fp16); the word embeddings come from the e5 file.
//!
//! [`CrossEncoder`] is the trainable form (rust-bert with a variable store, dropout, gradients);
//! [`NliCrossEncoder`] is the inference form, built directly from the loaded tensors.

use std::path::Path;
use tch::nn::{self, Module, VarStore};
use tch::{Device, Kind, Tensor};

use super::e5s1::E5Weights;
use super::hf::layers::{Linear, Weights};
use super::{copy_checked, copy_weights, E5Encoder, Encoder, ModelError, PairClassifier};
use crate::models::batch::PaddedBatch;

/// The variable that stays frozen and is not stored in the fine-tuned file.
pub const FROZEN_VARIABLE: &str = "embeddings.word_embeddings.weight";

/// e5-small encoder + mean pooling + a two-layer classification head.
pub struct CrossEncoder {
    /// The transformer and its variables (the head's variables live in the same store).
    pub encoder: Encoder,
    dense: nn::Linear,
    out: nn::Linear,
    dropout: f64,
}

impl CrossEncoder {
    /// A cross-encoder initialised from e5-small, with a freshly initialised head; `seed` makes
    /// the head's initialisation reproducible.
    pub fn from_e5(
        weights: &E5Weights,
        device: Device,
        seed: i64,
        source: &Path,
    ) -> Result<Self, ModelError> {
        tch::manual_seed(seed);
        let config = super::bert_config(&weights.dims);
        let mut vars = VarStore::new(device);
        let bert =
            rust_bert::bert::BertModel::new_with_optional_pooler(vars.root(), &config, false);
        let hidden = config.hidden_size;
        let head = vars.root() / "head";
        let dense = nn::linear(&head / "dense", hidden, hidden, Default::default());
        let out = nn::linear(
            &head / "out",
            hidden,
            crate::domain::NLI_LABELS.len() as i64,
            Default::default(),
        );
        copy_weights(&mut vars, weights, source)?;
        let dropout = config.hidden_dropout_prob;
        let encoder = Encoder { vars, bert, config };
        Ok(CrossEncoder {
            encoder,
            dense,
            out,
            dropout,
        })
    }

    /// Loads the fine-tuned weights over an e5-initialised model.
    pub fn load_finetuned(&mut self, path: &Path) -> Result<(), ModelError> {
        let tensors = Tensor::read_safetensors(path).map_err(|e| ModelError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let tensors: std::collections::HashMap<String, Tensor> = tensors.into_iter().collect();
        let _guard = tch::no_grad_guard();
        for (name, mut var) in self.encoder.vars.variables() {
            if name == FROZEN_VARIABLE {
                continue;
            }
            copy_checked(&mut var, &name, tensors.get(&name), path)?;
        }
        Ok(())
    }

    /// Saves every variable but the frozen word embeddings, in fp16 (about 43 MB).
    pub fn save_finetuned(&self, path: &Path) -> anyhow::Result<()> {
        let mut named: Vec<(String, Tensor)> = self
            .trainable_variables()
            .into_iter()
            .map(|(n, t)| (n, t.detach().to_kind(Kind::Half)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(crate::io::write_atomically(path, |tmp| {
            Tensor::write_safetensors(&named, tmp)
        })?)
    }

    /// The variables fine-tuning updates, sorted by name (everything but the word embeddings).
    pub fn trainable_variables(&self) -> Vec<(String, Tensor)> {
        let mut vars: Vec<(String, Tensor)> = self
            .encoder
            .vars
            .variables()
            .into_iter()
            .filter(|(name, _)| name != FROZEN_VARIABLE)
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        vars
    }

    /// Freezes the word embeddings (250k x 384: most of the model, and its gradient would be
    /// the costliest part of a training step).
    pub fn freeze_word_embeddings(&self) {
        for (name, var) in self.encoder.vars.variables() {
            if name == FROZEN_VARIABLE {
                let _ = var.set_requires_grad(false);
            }
        }
    }
}

impl PairClassifier for CrossEncoder {
    /// Segment ids are not used: the model was trained with all-zero token types, the pair
    /// being marked by the `</s></s>` separator as in XLM-R.
    fn logits(&self, batch: &PaddedBatch, train: bool) -> Tensor {
        let pooled = self
            .encoder
            .mean_pooled(batch, train)
            .dropout(self.dropout, train);
        self.dense
            .forward(&pooled)
            .tanh()
            .dropout(self.dropout, train)
            .apply(&self.out)
    }
}

/// The head's variables in the fine-tuned file: `head.dense` (hidden → hidden, tanh) and
/// `head.out` (hidden → 3).
const HEAD_PREFIX: &str = "head.";

/// crosscheck's NLI cross-encoder for inference: the e5-small encoder (in fp32 or bf16) with
/// the fine-tuned weights, mean pooling and the two-layer head in fp32. No dropout.
pub struct NliCrossEncoder {
    encoder: E5Encoder,
    dense: Linear,
    out: Linear,
}

impl NliCrossEncoder {
    /// Builds the model from the fine-tuned file `finetuned` and the word embeddings of `e5`
    /// (shared, not copied, when they are already of `kind`).
    pub fn load(
        e5: &E5Weights,
        finetuned: &Path,
        device: Device,
        kind: Kind,
    ) -> Result<Self, ModelError> {
        let tensors = Tensor::read_safetensors(finetuned).map_err(|e| ModelError::Corrupt {
            path: finetuned.to_path_buf(),
            reason: e.to_string(),
        })?;
        let (head, mut body): (Vec<_>, Vec<_>) = tensors
            .into_iter()
            .filter(|(name, _)| name != FROZEN_VARIABLE)
            .partition(|(name, _)| name.starts_with(HEAD_PREFIX));
        let word = e5
            .tensors
            .get(FROZEN_VARIABLE)
            .ok_or_else(|| ModelError::Corrupt {
                path: finetuned.with_file_name("e5-small-q4.bin"),
                reason: format!("it has no tensor {FROZEN_VARIABLE}"),
            })?;
        body.push((FROZEN_VARIABLE.to_string(), word.shallow_clone()));
        let encoder = E5Encoder::new(body, &e5.dims, device, kind, finetuned)?;
        let hidden = encoder.hidden_size();
        let head = Weights::new(head, finetuned, device).with_fix(
            "it is not a crosscheck NLI file: restore it with `git checkout -- models/nli`",
        );
        Ok(NliCrossEncoder {
            encoder,
            dense: head.linear("head.dense", hidden, hidden, true)?,
            out: head.linear(
                "head.out",
                hidden,
                crate::domain::NLI_LABELS.len() as i64,
                true,
            )?,
        })
    }
}

impl PairClassifier for NliCrossEncoder {
    /// Token types are all zero (see [`CrossEncoder`]); `train` is ignored: this form has no
    /// dropout.
    fn logits(&self, batch: &PaddedBatch, _train: bool) -> Tensor {
        let pooled = self.encoder.mean_pooled(batch);
        self.out.forward(&self.dense.forward(&pooled).tanh())
    }
}
