//! Model loading lives here, in one place: where the model files are, how a missing or corrupt
//! file is reported, and how weights become tch modules. The stages (`embed`, `nli`) receive
//! ready models and never open model files themselves.

pub mod cross_encoder;
pub mod e5s1;
pub mod hf;

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Activation;
use std::path::{Path, PathBuf};
use tch::nn::VarStore;
use tch::Device;
use tokenizers::Tokenizer;

/// Why a model could not be loaded; every message names the file and the fix.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file does not exist or cannot be read.
    #[error("model file {path} is missing or unreadable ({source}); {fix}")]
    Missing {
        /// The file that was looked for.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
        /// What brings the file back.
        fix: &'static str,
    },
    /// The file exists but is not what it should be.
    #[error("model file {path} is corrupt: {reason}; delete it and run `make models` again")]
    Corrupt {
        /// The damaged file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The file is readable but describes a model crosscheck cannot use (an imported checkpoint
    /// of an unsupported architecture, or without a 3-way NLI head); `make models` would not
    /// help, so the reason ends with what would.
    #[error("model file {path} cannot be used: {reason}")]
    Unusable {
        /// The file that says what the model is.
        path: PathBuf,
        /// What is wrong and what to do about it.
        reason: String,
    },
}

impl ModelError {
    /// Wraps an I/O error on a downloaded model file (the fix is `make models`).
    pub fn missing_or_unreadable(path: &Path, source: std::io::Error) -> Self {
        ModelError::Missing {
            path: path.to_path_buf(),
            source,
            fix: "run `make models` to fetch it",
        }
    }
}

/// The folder holding the model files named in `models/manifest.tsv`.
#[derive(Debug, Clone)]
pub struct ModelDir {
    root: PathBuf,
}

/// File name of the multilingual-e5-small weights inside the model folder.
pub const E5_FILE: &str = "e5-small-q4.bin";
/// File name of the XLM-R tokenizer inside the model folder.
pub const TOKENIZER_FILE: &str = "tokenizer.json";

impl ModelDir {
    /// Uses `root` as the model folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ModelDir { root: root.into() }
    }

    /// The model folder of this checkout (`models/` beside Cargo.toml), where `make models`
    /// puts the files; used when the user gives no `--models`.
    pub fn default_location() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
    }

    /// Path of a file inside the model folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The model files a run reads: e5, the tokenizer, and crosscheck's NLI weights or the
    /// files of a Hugging Face `checkpoint` folder.
    pub fn files_in_use(&self, checkpoint: Option<&Path>) -> Vec<PathBuf> {
        let mut files = vec![self.file(E5_FILE), self.file(TOKENIZER_FILE)];
        match checkpoint {
            Some(dir) => files.extend(
                [
                    hf::CONFIG_FILE,
                    hf::SAFETENSORS_FILE,
                    hf::PYTORCH_FILE,
                    hf::TOKENIZER_FILE,
                ]
                .iter()
                .map(|n| dir.join(n))
                .filter(|p| p.exists()),
            ),
            None => files.push(self.file(NLI_FILE)),
        }
        files
    }

    /// Loads the XLM-R tokenizer shared by the embedder and the NLI model.
    pub fn tokenizer(&self) -> Result<Tokenizer, ModelError> {
        let path = self.file(TOKENIZER_FILE);
        let bytes =
            std::fs::read(&path).map_err(|e| ModelError::missing_or_unreadable(&path, e))?;
        Tokenizer::from_bytes(&bytes).map_err(|e| ModelError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })
    }

    /// Reads the multilingual-e5-small weights (dequantised to fp32).
    pub fn e5_weights(&self) -> Result<e5s1::E5Weights, ModelError> {
        e5s1::read(&self.file(E5_FILE))
    }

    /// Builds the e5-small sentence encoder: a BertModel without pooler, weights from the E5S1 file.
    pub fn e5_encoder(&self, device: Device) -> Result<Encoder, ModelError> {
        let weights = self.e5_weights()?;
        Encoder::from_e5(&weights, device, &self.file(E5_FILE))
    }
}

/// A model that classifies padded (premise, hypothesis) batches into the three NLI classes.
/// crosscheck's own cross-encoder and imported Hugging Face checkpoints both implement it, so
/// the `nli` stage does not care which one it runs.
pub trait PairClassifier {
    /// Logits `[batch, 3]` in [`crate::domain::NLI_LABELS`] order; `train` enables dropout.
    fn logits(&self, batch: &crate::batch::PaddedBatch, train: bool) -> tch::Tensor;
}

impl PairClassifier for Box<dyn PairClassifier> {
    fn logits(&self, batch: &crate::batch::PaddedBatch, train: bool) -> tch::Tensor {
        self.as_ref().logits(batch, train)
    }
}

/// A BERT encoder with its variable store, as used by the embedder and the NLI cross-encoder.
pub struct Encoder {
    /// The variables; kept so fine-tuning can train and save them.
    pub vars: VarStore,
    /// The transformer itself (no pooler: we pool ourselves).
    pub bert: BertModel<BertEmbeddings>,
    /// The configuration it was built with.
    pub config: BertConfig,
}

impl Encoder {
    /// The last hidden states mean-pooled over the attention mask, `[batch, hidden]`: the
    /// sentence representation both the embedder and the cross-encoder start from.
    /// Segment ids are not passed: e5 and crosscheck's cross-encoder use all-zero token types.
    pub fn mean_pooled(&self, batch: &crate::batch::PaddedBatch, train: bool) -> tch::Tensor {
        let output = self
            .bert
            .forward_t(
                Some(&batch.ids),
                Some(&batch.mask),
                None,
                None,
                None,
                None,
                None,
                train,
            )
            .expect("input ids are given and the mask is 2-D");
        crate::batch::masked_mean(&output.hidden_state, &batch.mask)
    }

    /// Builds a BertModel of e5's shape and copies the dequantised weights into it.
    /// `source` only names the file in error messages.
    pub fn from_e5(
        weights: &e5s1::E5Weights,
        device: Device,
        source: &Path,
    ) -> Result<Self, ModelError> {
        let config = bert_config(&weights.dims);
        let mut vars = VarStore::new(device);
        let bert = BertModel::new_with_optional_pooler(vars.root(), &config, false);
        copy_weights(&mut vars, weights, source)?;
        Ok(Encoder { vars, bert, config })
    }
}

/// The rust-bert configuration matching an E5S1 header.
pub fn bert_config(d: &e5s1::E5Dimensions) -> BertConfig {
    BertConfig {
        hidden_act: Activation::gelu,
        attention_probs_dropout_prob: 0.1,
        hidden_dropout_prob: 0.1,
        hidden_size: d.hidden,
        initializer_range: 0.02,
        intermediate_size: d.intermediate,
        max_position_embeddings: d.max_positions,
        num_attention_heads: d.heads,
        num_hidden_layers: d.layers,
        type_vocab_size: d.type_vocab,
        vocab_size: d.vocab,
        output_attentions: None,
        output_hidden_states: None,
        is_decoder: None,
        id2label: None,
        label2id: None,
    }
}

/// Copies every variable of `vars` that the E5 weights provide; variables under a prefix other
/// than the BERT ones (a classification head) are left as initialised.
pub fn copy_weights(
    vars: &mut VarStore,
    weights: &e5s1::E5Weights,
    source: &Path,
) -> Result<(), ModelError> {
    let _guard = tch::no_grad_guard();
    for (name, mut var) in vars.variables() {
        let key = name.strip_prefix("bert.").unwrap_or(&name);
        if !key.starts_with("embeddings.") && !key.starts_with("encoder.") {
            continue;
        }
        copy_checked(&mut var, key, weights.tensors.get(key), source)?;
    }
    Ok(())
}

/// Copies `value` into the variable `name` after checking that it exists and has the
/// variable's shape (a truncated or foreign file fails here, naming the tensor).
pub fn copy_checked(
    var: &mut tch::Tensor,
    name: &str,
    value: Option<&tch::Tensor>,
    source: &Path,
) -> Result<(), ModelError> {
    let corrupt = |reason: String| ModelError::Corrupt {
        path: source.to_path_buf(),
        reason,
    };
    let value = value.ok_or_else(|| corrupt(format!("it has no tensor {name}")))?;
    if value.size() != var.size() {
        return Err(corrupt(format!(
            "{name} has shape {:?}, expected {:?}",
            value.size(),
            var.size()
        )));
    }
    var.copy_(&value.to_kind(var.kind()));
    Ok(())
}

/// File name of crosscheck's fine-tuned NLI weights inside the model folder.
pub const NLI_FILE: &str = "nli/crosscheck-nli-e5s.safetensors";

impl ModelDir {
    /// crosscheck's NLI cross-encoder: e5-small weights overlaid with the fine-tuned file.
    pub fn nli_cross_encoder(
        &self,
        device: Device,
    ) -> Result<cross_encoder::CrossEncoder, ModelError> {
        let weights = self.e5_weights()?;
        let mut model =
            cross_encoder::CrossEncoder::from_e5(&weights, device, 0, &self.file(E5_FILE))?;
        let finetuned = self.file(NLI_FILE);
        if let Err(source) = std::fs::metadata(&finetuned) {
            return Err(ModelError::Missing {
                path: finetuned,
                source,
                fix: "it is part of the repository: restore it with `git checkout -- models/nli`, or train one with `crosscheck train-nli`",
            });
        }
        model.load_finetuned(&finetuned)?;
        Ok(model)
    }
}
