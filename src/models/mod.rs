//! Model loading lives here, in one place: where the model files are, how a missing or corrupt
//! file is reported, and how weights become tch modules. The stages (`embed`, `nli`) receive
//! ready models and never open model files themselves.
//!
//! ```
//! use crosscheck::models::{ModelDir, E5_FILE};
//! let models = ModelDir::new(ModelDir::default_location());
//! // Every file is checked against its sha256 in models/manifest.tsv before it is used.
//! let e5 = models.verified_path(E5_FILE)?;
//! assert!(e5.ends_with(E5_FILE));
//! let tokenizer = models.tokenizer()?;
//! assert!(tokenizer.get_vocab_size(true) > 200_000);
//! # Ok::<(), crosscheck::models::ModelError>(())
//! ```

pub mod batch;
pub mod calibration;
pub mod cross_encoder;
pub mod e5s1;
pub mod hf;
pub mod loaded;
pub mod manifest;

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Activation;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};
use tokenizers::Tokenizer;

use self::manifest::{Entry, Manifest, Stamp, Verified};

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
    /// The file's sha256 is not the one recorded in the manifest: it was damaged (a truncated
    /// download, a flipped bit) or replaced.
    #[error("{path} is corrupt or replaced: sha256 mismatch (recorded {expected}, found {found}); {fix}")]
    HashMismatch {
        /// The file that failed the check.
        path: PathBuf,
        /// The sha256 recorded in the manifest.
        expected: String,
        /// The sha256 of the file as it is.
        found: String,
        /// What brings the right file back.
        fix: &'static str,
    },
    /// A model file has no recorded sha256, so it cannot be checked.
    #[error("model file {path} has no recorded sha256 in {manifest}; add its row (file name and `sha256sum` of the file) or restore the manifest with `git checkout -- models/manifest.tsv`")]
    Unlisted {
        /// The file.
        path: PathBuf,
        /// The manifest that lacks it.
        manifest: PathBuf,
    },
    /// The manifest of recorded sha256s cannot be read.
    #[error("model manifest {path} is unreadable or malformed: {reason}; restore it with `git checkout -- models/manifest.tsv`")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
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
    /// No model folder was given and none was found where crosscheck looks for one.
    #[error("no model folder found; looked in {}; run `make models` in the checkout, or pass --models DIR or set CROSSCHECK_MODELS", .tried.join(", "))]
    NoModelFolder {
        /// Each place looked in, with why it did not do.
        tried: Vec<String>,
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

/// The number format the models compute in. Weights and activations are in this format;
/// mean pooling, the NLI head, logits and probabilities are always fp32.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// 32-bit floats: the reference numbers.
    #[default]
    Fp32,
    /// bfloat16 weights and activations: available on CPUs with bf16 instructions
    /// (AVX512-BF16 or AMX), the default where it measures faster ([`calibration`]).
    Bf16,
}

impl Precision {
    /// The tensor kind of this format.
    pub fn kind(self) -> Kind {
        match self {
            Precision::Fp32 => Kind::Float,
            Precision::Bf16 => Kind::BFloat16,
        }
    }

    /// The name used on the command line and in run.json.
    pub fn name(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Bf16 => "bf16",
        }
    }

    /// Whether /proc/cpuinfo lists `avx512_bf16` or `amx_bf16` among the CPU flags (false
    /// where it cannot be read).
    pub fn cpu_has_bf16() -> bool {
        std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|info| cpu_flags_have_bf16(&info))
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether the `flags` lines of a /proc/cpuinfo text name a bf16 instruction set.
fn cpu_flags_have_bf16(cpuinfo: &str) -> bool {
    cpuinfo
        .lines()
        .filter(|l| l.starts_with("flags"))
        .flat_map(|l| l.split_whitespace())
        .any(|flag| flag == "avx512_bf16" || flag == "amx_bf16")
}

/// How a file that is fetched by `make models` is brought back.
const FETCH_FIX: &str = "run `make models` to fetch it again";
/// How a file that is part of the repository is brought back.
const REPOSITORY_FIX: &str = "it is part of the repository: restore it with `git checkout -- models/nli` (or `make models` to check all model files), or train one with `crosscheck train-nli`";

/// The folder holding the model files named in `models/manifest.tsv`. Every model file is
/// checked against its recorded sha256 here, when it is loaded ([`ModelDir::verify`]); clones
/// share what has been checked and loaded, so a process reads and checks each file once.
#[derive(Clone)]
pub struct ModelDir {
    root: PathBuf,
    shared: Arc<Mutex<Shared>>,
}

impl std::fmt::Debug for ModelDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelDir")
            .field("root", &self.root)
            .finish()
    }
}

/// What the clones of one [`ModelDir`] share within a process.
#[derive(Default)]
struct Shared {
    /// The manifest, once read.
    manifest: Option<(PathBuf, Manifest)>,
    /// Files checked in this process: the stamp they had and the sha256 they matched.
    verified: HashMap<String, Verified>,
    /// The e5 weights, read and dequantised once, by the kind they were converted to: the
    /// embedder and the NLI model's word embeddings share them.
    e5: HashMap<Kind, e5s1::E5Weights>,
}

/// How [`ModelDir::verify`] established that a file matches its recorded sha256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The file was hashed (first use, or its size or modification time changed).
    Hashed,
    /// The cache (`cache/verified.tsv`, or this process) says it hashed right with the same
    /// size and modification time.
    Cached,
}

/// The fix for a missing or damaged file of this manifest row.
fn fix_for(entry: &Entry) -> &'static str {
    if entry.in_repository() {
        REPOSITORY_FIX
    } else {
        FETCH_FIX
    }
}

/// The manifest compiled into the binary, used when the model folder has none (a folder
/// given with `--models` that holds only the model files).
const BUILT_IN_MANIFEST: &str = include_str!("../../models/manifest.tsv");
/// File name of the manifest inside the model folder.
pub const MANIFEST_FILE: &str = "manifest.tsv";
/// The cache of checked files inside the model folder (git-ignored).
pub const VERIFIED_CACHE: &str = "cache/verified.tsv";

/// File name of the multilingual-e5-small weights inside the model folder.
pub const E5_FILE: &str = "e5-small-q4.bin";
/// File name of the XLM-R tokenizer inside the model folder.
pub const TOKENIZER_FILE: &str = "tokenizer.json";

impl ModelDir {
    /// Uses `root` as the model folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ModelDir {
            root: root.into(),
            shared: Arc::default(),
        }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn shared(&self) -> MutexGuard<'_, Shared> {
        // A panic elsewhere while the lock was held leaves nothing half-done worth refusing.
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The manifest row of `name` (read once): the folder's manifest.tsv, or the one built
    /// into the binary when the folder has none.
    fn entry(&self, name: &str) -> Result<Entry, ModelError> {
        let mut shared = self.shared();
        if shared.manifest.is_none() {
            let path = self.file(MANIFEST_FILE);
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => BUILT_IN_MANIFEST.to_string(),
                Err(e) => {
                    return Err(ModelError::Manifest {
                        path,
                        reason: e.to_string(),
                    })
                }
            };
            let manifest = manifest::parse(&text).map_err(|reason| ModelError::Manifest {
                path: path.clone(),
                reason,
            })?;
            shared.manifest = Some((path, manifest));
        }
        let (path, manifest) = shared.manifest.as_ref().expect("set above");
        manifest
            .entries
            .get(name)
            .cloned()
            .ok_or_else(|| ModelError::Unlisted {
                path: self.file(name),
                manifest: path.clone(),
            })
    }

    /// Checks the model file `name` (relative to the folder, as in the manifest) against its
    /// recorded sha256. A file whose size and modification time are those of its last good
    /// check (in this process, or in `cache/verified.tsv`) is not hashed again; otherwise it
    /// is hashed (from `content` when the caller has already read it) and, when it matches,
    /// the cache is updated. A missing file, an unlisted one and a mismatch are typed errors
    /// that name the file and the fix.
    pub fn verify(&self, name: &str, content: Option<&[u8]>) -> Result<Verification, ModelError> {
        let path = self.file(name);
        let entry = self.entry(name)?;
        let fix = fix_for(&entry);
        let metadata = std::fs::metadata(&path).map_err(|source| ModelError::Missing {
            path: path.clone(),
            source,
            fix,
        })?;
        let stamp = Stamp::of(&metadata);
        let good = |v: &Verified| Some(v.stamp) == stamp && v.sha256 == entry.sha256;
        if self.shared().verified.get(name).is_some_and(good) {
            return Ok(Verification::Cached);
        }
        let cache_path = self.file(VERIFIED_CACHE);
        let mut cache = manifest::read_cache(&cache_path);
        if cache.get(name).is_some_and(good) {
            let v = cache.remove(name).expect("checked above");
            self.shared().verified.insert(name.to_string(), v);
            return Ok(Verification::Cached);
        }
        let found = match content {
            Some(bytes) => crate::io::sha256_hex(bytes),
            None => crate::io::file_sha256(&path)
                .map_err(|e| ModelError::missing_or_unreadable(&path, e))?,
        };
        if found != entry.sha256 {
            return Err(ModelError::HashMismatch {
                path,
                expected: entry.sha256,
                found,
                fix,
            });
        }
        if let Some(stamp) = stamp {
            let v = Verified {
                stamp,
                sha256: found,
            };
            cache.insert(name.to_string(), v.clone());
            // The cache only saves time: a read-only model folder is checked on every run.
            let _ = manifest::write_cache(&cache_path, &cache);
            self.shared().verified.insert(name.to_string(), v);
        }
        Ok(Verification::Hashed)
    }

    /// The path of model file `name` after checking it ([`ModelDir::verify`]).
    pub fn verified_path(&self, name: &str) -> Result<PathBuf, ModelError> {
        self.verify(name, None)?;
        Ok(self.file(name))
    }

    /// The content of model file `name`, read once and checked ([`ModelDir::verify`]).
    pub fn read_verified(&self, name: &str) -> Result<Vec<u8>, ModelError> {
        let path = self.file(name);
        let entry = self.entry(name)?;
        let bytes = std::fs::read(&path).map_err(|source| ModelError::Missing {
            path: path.clone(),
            source,
            fix: fix_for(&entry),
        })?;
        self.verify(name, Some(&bytes))?;
        Ok(bytes)
    }

    /// Records `file`'s current sha256 in the folder's manifest when `file` is one of the
    /// model files it lists (`crosscheck train-nli` calls this after exporting new NLI
    /// weights into the model folder); returns whether a row was updated.
    pub fn record_sha256(&self, file: &Path) -> Result<bool, ModelError> {
        let (Ok(file), Ok(root)) = (file.canonicalize(), self.root.canonicalize()) else {
            return Ok(false);
        };
        let Ok(relative) = file.strip_prefix(&root) else {
            return Ok(false);
        };
        let name = relative.to_string_lossy().replace('\\', "/");
        let manifest_path = self.file(MANIFEST_FILE);
        let manifest_error = |reason: String| ModelError::Manifest {
            path: manifest_path.clone(),
            reason,
        };
        let Ok(text) = std::fs::read_to_string(&manifest_path) else {
            return Ok(false);
        };
        let sha256 = crate::io::file_sha256(&file)
            .map_err(|e| ModelError::missing_or_unreadable(&file, e))?;
        let Some(updated) = manifest::with_sha256(&text, &name, &sha256) else {
            return Ok(false);
        };
        crate::io::write_atomically(&manifest_path, |tmp| std::fs::write(tmp, &updated))
            .map_err(|e| manifest_error(e.to_string()))?;
        self.shared().manifest = None;
        Ok(true)
    }

    /// The model folder of this checkout (`models/` beside Cargo.toml), where `make models`
    /// puts the files; the last place [`ModelDir::locate`] looks.
    pub fn default_location() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
    }

    /// The model folder when the user gives no `--models`, so that a binary copied elsewhere
    /// still finds its models: `models/` beside the executable, else the folder in
    /// `CROSSCHECK_MODELS`, else the checkout's ([`ModelDir::default_location`]). A folder
    /// counts when it holds the manifest or the e5 file; the error names every place tried.
    pub fn locate() -> Result<ModelDir, ModelError> {
        let beside = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("models")));
        let variable = std::env::var_os("CROSSCHECK_MODELS").map(PathBuf::from);
        let places = [
            ("beside the executable", beside),
            ("CROSSCHECK_MODELS", variable),
            ("the checkout", Some(ModelDir::default_location())),
        ];
        let mut tried = Vec::new();
        for (what, place) in places {
            match place {
                Some(dir) if dir.join(MANIFEST_FILE).is_file() || dir.join(E5_FILE).is_file() => {
                    return Ok(ModelDir::new(dir));
                }
                Some(dir) => tried.push(format!("{} ({what}: no model files)", dir.display())),
                None => tried.push(format!("{what} (not set)")),
            }
        }
        Err(ModelError::NoModelFolder { tried })
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
            None => files.extend([self.file(NLI_FILE), self.file(NLI_CARD_FILE)]),
        }
        files
    }

    /// Loads the XLM-R tokenizer shared by the embedder and the NLI model.
    pub fn tokenizer(&self) -> Result<Tokenizer, ModelError> {
        let path = self.file(TOKENIZER_FILE);
        let bytes = self.read_verified(TOKENIZER_FILE)?;
        Tokenizer::from_bytes(&bytes).map_err(|e| ModelError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })
    }

    /// The multilingual-e5-small weights dequantised to fp32. The file is read, checked and
    /// dequantised once per process (clones of this `ModelDir` share the result); later calls
    /// return handles on the same tensors.
    pub fn e5_weights(&self) -> Result<e5s1::E5Weights, ModelError> {
        self.e5_weights_as(Kind::Float)
    }

    /// The e5 weights converted to `kind` (fp32 or bf16), converted once and shared like
    /// [`ModelDir::e5_weights`]. Only the kinds asked for are kept.
    pub fn e5_weights_as(&self, kind: Kind) -> Result<e5s1::E5Weights, ModelError> {
        if let Some(w) = self.shared().e5.get(&kind) {
            return Ok(w.shallow_clone());
        }
        let fp32 = self
            .shared()
            .e5
            .get(&Kind::Float)
            .map(|w| w.shallow_clone());
        let fp32 = match fp32 {
            Some(w) => w,
            None => {
                let bytes = self.read_verified(E5_FILE)?;
                e5s1::parse(&bytes).map_err(|reason| ModelError::Corrupt {
                    path: self.file(E5_FILE),
                    reason,
                })?
            }
        };
        let weights = fp32.to_kind(kind);
        let mut shared = self.shared();
        let kept = shared.e5.entry(kind).or_insert(weights);
        Ok(kept.shallow_clone())
    }

    /// The e5-small sentence encoder for inference in `precision`, built directly from the
    /// shared e5 tensors (no variable store: nothing is initialised and then overwritten).
    pub fn e5_encoder(
        &self,
        device: Device,
        precision: Precision,
    ) -> Result<E5Encoder, ModelError> {
        let kind = precision.kind();
        let weights = self.e5_weights_as(kind)?;
        let tensors = weights
            .tensors
            .iter()
            .map(|(n, t)| (n.clone(), t.shallow_clone()))
            .collect();
        E5Encoder::new(tensors, &weights.dims, device, kind, &self.file(E5_FILE))
    }
}

/// What a missing or misshapen tensor of crosscheck's own model files calls for.
const OWN_FILE_FIX: &str = "it does not fit crosscheck's e5-small model: run `make models` and \
     restore models/nli with `git checkout -- models/nli`";

/// multilingual-e5-small for inference: the BERT encoder built directly from loaded tensors,
/// with mean pooling over the attention mask. It computes in the kind of its weights (fp32 or
/// bf16) and pools in fp32.
pub struct E5Encoder {
    bert: hf::bert::BertEncoder,
    hidden: i64,
}

impl E5Encoder {
    /// Builds the encoder from tensors under Hugging Face BertModel names
    /// (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`,
    /// ...) converted to `kind`; `source` only names the file in errors.
    pub fn new(
        tensors: Vec<(String, Tensor)>,
        dims: &e5s1::E5Dimensions,
        device: Device,
        kind: Kind,
        source: &Path,
    ) -> Result<Self, ModelError> {
        let config = hf::bert::BertFamilyConfig {
            shape: hf::layers::EncoderShape {
                vocab_size: dims.vocab,
                hidden_size: dims.hidden,
                num_hidden_layers: dims.layers,
                num_attention_heads: dims.heads,
                intermediate_size: dims.intermediate,
                hidden_act: "gelu".into(),
                max_position_embeddings: dims.max_positions,
            },
            type_vocab_size: dims.type_vocab,
            layer_norm_eps: f64::from(dims.layer_norm_eps),
            pad_token_id: None,
            position_embedding_type: "absolute".into(),
        };
        let weights =
            hf::layers::Weights::with_kind(tensors, source, device, kind).with_fix(OWN_FILE_FIX);
        let bert = hf::bert::BertEncoder::load(&weights, "", &config, hf::bert::Flavour::Bert)?;
        Ok(E5Encoder {
            bert,
            hidden: dims.hidden,
        })
    }

    /// Width of the pooled vectors (384 for e5-small).
    pub fn hidden_size(&self) -> i64 {
        self.hidden
    }

    /// The last hidden states mean-pooled over the attention mask, `[batch, hidden]` in fp32.
    /// Token types are all zero, as e5 and crosscheck's cross-encoder were trained.
    pub fn mean_pooled(&self, batch: &crate::models::batch::PaddedBatch) -> Tensor {
        let hidden = self
            .bert
            .forward(&batch.ids, &batch.ids.zeros_like(), &batch.mask);
        crate::models::batch::masked_mean(&hidden.to_kind(Kind::Float), &batch.mask)
    }
}

/// A model that classifies padded (premise, hypothesis) batches into the three NLI classes.
/// crosscheck's own cross-encoder and imported Hugging Face checkpoints both implement it, so
/// the `nli` stage does not care which one it runs.
pub trait PairClassifier {
    /// Logits `[batch, 3]` in [`crate::domain::NLI_LABELS`] order; `train` enables dropout.
    fn logits(&self, batch: &crate::models::batch::PaddedBatch, train: bool) -> tch::Tensor;
}

impl PairClassifier for Box<dyn PairClassifier> {
    fn logits(&self, batch: &crate::models::batch::PaddedBatch, train: bool) -> tch::Tensor {
        self.as_ref().logits(batch, train)
    }
}

/// A rust-bert BERT encoder with its variable store: what `crosscheck train-nli` fine-tunes
/// (inference uses [`E5Encoder`], built from the tensors without a variable store).
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
    pub fn mean_pooled(
        &self,
        batch: &crate::models::batch::PaddedBatch,
        train: bool,
    ) -> tch::Tensor {
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
        crate::models::batch::masked_mean(&output.hidden_state, &batch.mask)
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
/// File name of the NLI weights' training record (config, dev scores) beside them.
pub const NLI_CARD_FILE: &str = "nli/crosscheck-nli-e5s.json";

impl ModelDir {
    /// crosscheck's NLI cross-encoder for inference: the fine-tuned file's tensors with the
    /// word embeddings of the shared e5 weights (the same tensor the embedder uses).
    pub fn nli_cross_encoder(
        &self,
        device: Device,
        precision: Precision,
    ) -> Result<cross_encoder::NliCrossEncoder, ModelError> {
        let finetuned = self.verified_path(NLI_FILE)?;
        self.verify(NLI_CARD_FILE, None)?;
        let kind = precision.kind();
        let e5 = self.e5_weights_as(kind)?;
        cross_encoder::NliCrossEncoder::load(&e5, &finetuned, device, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bf16_is_detected_from_the_flags_line_only() {
        let with = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n";
        let without = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni\n\
                       bugs\t\t: avx512_bf16_made_up\n";
        assert!(cpu_flags_have_bf16(with));
        assert!(!cpu_flags_have_bf16(without));
        assert!(cpu_flags_have_bf16("flags : sse amx_bf16 amx_tile"));
        assert!(!cpu_flags_have_bf16(""));
    }

    #[test]
    fn precision_names_and_kinds() {
        assert_eq!(Precision::default(), Precision::Fp32);
        assert_eq!(Precision::Bf16.to_string(), "bf16");
        assert_eq!(Precision::Bf16.kind(), Kind::BFloat16);
        assert_eq!(serde_json::to_string(&Precision::Fp32).unwrap(), "\"fp32\"");
    }
}
