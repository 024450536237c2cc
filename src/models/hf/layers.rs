//! Building blocks shared by the imported architectures: the checkpoint's tensors looked up by
//! their Hugging Face names (with shape checks that name the tensor), and the few layers every
//! transformer here is made of. Inference only: there is no dropout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::{Device, Kind, Tensor};

use crate::models::ModelError;

/// The fields every encoder `config.json` here shares (BERT, RoBERTa, DeBERTa-v2): its size
/// and the activation of its feed-forward layers.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct EncoderShape {
    /// Rows of the word embedding table.
    pub vocab_size: i64,
    /// Width of the hidden states.
    pub hidden_size: i64,
    /// Number of transformer layers.
    pub num_hidden_layers: i64,
    /// Attention heads per layer.
    pub num_attention_heads: i64,
    /// Width of the feed-forward layer.
    pub intermediate_size: i64,
    /// Activation of the feed-forward layer.
    #[serde(default = "default_gelu")]
    pub hidden_act: String,
    /// Rows of the absolute position table (DeBERTa-v2: also the relative span when
    /// `max_relative_positions < 1`).
    #[serde(default = "default_max_positions")]
    pub max_position_embeddings: i64,
}

/// serde's default activation of the encoder configs (transformers' `gelu`).
pub(super) fn default_gelu() -> String {
    "gelu".into()
}

fn default_max_positions() -> i64 {
    512
}

/// The tensors of one checkpoint file, by name, in fp32 on the target device.
pub struct Weights {
    tensors: HashMap<String, Tensor>,
    path: PathBuf,
    fix: &'static str,
}

/// What a missing or misshapen tensor of an imported checkpoint calls for.
const CHECKPOINT_FIX: &str =
    "it does not match the config.json beside it: download both files again from the same \
     model revision";

impl Weights {
    /// Wraps named tensors read from `path` (which only names the file in errors); every
    /// tensor is converted to fp32 and moved to `device`.
    pub fn new(tensors: Vec<(String, Tensor)>, path: &Path, device: Device) -> Self {
        Self::with_kind(tensors, path, device, Kind::Float)
    }

    /// As [`Weights::new`], with floating-point tensors converted to `kind` (fp32 or bf16).
    /// Tensors already of that kind on that device are shared, not copied.
    pub fn with_kind(
        tensors: Vec<(String, Tensor)>,
        path: &Path,
        device: Device,
        kind: Kind,
    ) -> Self {
        let tensors = tensors
            .into_iter()
            .map(|(name, t)| {
                let t = if t.is_floating_point() {
                    t.to_kind(kind)
                } else {
                    t
                };
                (name, t.to_device(device))
            })
            .collect();
        Weights {
            tensors,
            path: path.to_path_buf(),
            fix: CHECKPOINT_FIX,
        }
    }

    /// The same weights with another fix named in the errors (for files that have no
    /// config.json beside them).
    pub fn with_fix(self, fix: &'static str) -> Self {
        Weights { fix, ..self }
    }

    /// The file the tensors came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the checkpoint has a tensor of that name.
    pub fn contains(&self, name: &str) -> bool {
        self.tensors.contains_key(name)
    }

    /// The tensor `name`, which must have shape `shape`. Old checkpoints name LayerNorm
    /// parameters `gamma`/`beta`; those are accepted for `weight`/`bias` as transformers does.
    pub fn get(&self, name: &str, shape: &[i64]) -> Result<Tensor, ModelError> {
        let legacy = name
            .strip_suffix(".weight")
            .map(|p| format!("{p}.gamma"))
            .or_else(|| name.strip_suffix(".bias").map(|p| format!("{p}.beta")));
        let tensor = self
            .tensors
            .get(name)
            .or_else(|| legacy.and_then(|l| self.tensors.get(&l)))
            .ok_or_else(|| self.unusable(format!("it has no tensor {name}")))?;
        if tensor.size() != shape {
            return Err(self.unusable(format!(
                "tensor {name} has shape {:?} where config.json implies {shape:?}",
                tensor.size()
            )));
        }
        Ok(tensor.shallow_clone())
    }

    /// A linear layer `prefix.weight` `[output, input]` with `prefix.bias` `[output]` if `bias`.
    pub fn linear(
        &self,
        prefix: &str,
        input: i64,
        output: i64,
        bias: bool,
    ) -> Result<Linear, ModelError> {
        Ok(Linear {
            weight: self.get(&format!("{prefix}.weight"), &[output, input])?,
            bias: if bias {
                Some(self.get(&format!("{prefix}.bias"), &[output])?)
            } else {
                None
            },
        })
    }

    /// A layer norm over the last dimension (`size`) with `prefix.weight` and `prefix.bias`.
    pub fn layer_norm(&self, prefix: &str, size: i64, eps: f64) -> Result<LayerNorm, ModelError> {
        Ok(LayerNorm {
            weight: self.get(&format!("{prefix}.weight"), &[size])?,
            bias: self.get(&format!("{prefix}.bias"), &[size])?,
            eps,
        })
    }

    /// An embedding table `prefix.weight` `[rows, dim]`.
    pub fn embedding(&self, prefix: &str, rows: i64, dim: i64) -> Result<Embedding, ModelError> {
        Ok(Embedding {
            weight: self.get(&format!("{prefix}.weight"), &[rows, dim])?,
        })
    }

    /// An error about this checkpoint file, with the fix appended.
    fn unusable(&self, what: String) -> ModelError {
        ModelError::Unusable {
            path: self.path.clone(),
            reason: format!("{what}; {}", self.fix),
        }
    }
}

/// `y = x Wᵀ + b`.
pub struct Linear {
    weight: Tensor,
    bias: Option<Tensor>,
}

impl Linear {
    /// Applies the layer to the last dimension of `x`.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        x.linear(&self.weight, self.bias.as_ref())
    }
}

/// Layer normalisation over the last dimension.
pub struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f64,
}

impl LayerNorm {
    /// Normalises the last dimension of `x`.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        let size = *self.weight.size().last().expect("1-D weight");
        x.layer_norm(
            [size],
            Some(&self.weight),
            Some(&self.bias),
            self.eps,
            false,
        )
    }
}

/// A lookup table.
pub struct Embedding {
    weight: Tensor,
}

impl Embedding {
    /// Rows of the table for integer `ids` (any shape; a trailing dimension is added).
    pub fn forward(&self, ids: &Tensor) -> Tensor {
        Tensor::embedding(&self.weight, ids, -1, false, false)
    }

    /// The whole table `[rows, dim]`.
    pub fn table(&self) -> &Tensor {
        &self.weight
    }
}

/// The activation functions Hugging Face configs name (`hidden_act`, `pooler_hidden_act`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Exact GELU (`gelu`).
    Gelu,
    /// GELU with the tanh approximation (`gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`).
    GeluTanh,
    /// `relu`.
    Relu,
    /// `tanh`.
    Tanh,
    /// `silu` / `swish`.
    Silu,
}

impl Activation {
    /// Parses a transformers `ACT2FN` name; `None` for names crosscheck does not implement.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "gelu" => Activation::Gelu,
            "gelu_new" | "gelu_pytorch_tanh" | "gelu_fast" => Activation::GeluTanh,
            "relu" => Activation::Relu,
            "tanh" => Activation::Tanh,
            "silu" | "swish" => Activation::Silu,
            _ => return None,
        })
    }

    /// Applies the function elementwise.
    pub fn forward(self, x: &Tensor) -> Tensor {
        match self {
            Activation::Gelu => x.gelu("none"),
            Activation::GeluTanh => x.gelu("tanh"),
            Activation::Relu => x.relu(),
            Activation::Tanh => x.tanh(),
            Activation::Silu => x.silu(),
        }
    }
}

/// `LayerNorm(dense(x) + residual)`: the output block after attention and after the
/// feed-forward layer of BERT-style layers (`attention.output.*`, `output.*`).
pub struct ResidualOutput {
    dense: Linear,
    norm: LayerNorm,
}

impl ResidualOutput {
    /// Loads `prefix.dense` (`input` → `hidden`) and `prefix.LayerNorm`.
    pub fn load(
        w: &Weights,
        prefix: &str,
        input: i64,
        hidden: i64,
        eps: f64,
    ) -> Result<Self, ModelError> {
        Ok(ResidualOutput {
            dense: w.linear(&format!("{prefix}.dense"), input, hidden, true)?,
            norm: w.layer_norm(&format!("{prefix}.LayerNorm"), hidden, eps)?,
        })
    }

    /// `LayerNorm(dense(x) + residual)`.
    pub fn forward(&self, x: &Tensor, residual: &Tensor) -> Tensor {
        self.norm.forward(&(self.dense.forward(x) + residual))
    }
}

/// The position-wise feed-forward half of a layer: `intermediate.dense`, the activation, then
/// `output.dense` + residual + `output.LayerNorm`.
pub struct FeedForward {
    intermediate: Linear,
    activation: Activation,
    output: ResidualOutput,
}

impl FeedForward {
    /// Loads `{layer}.intermediate.dense` and `{layer}.output.*`.
    pub fn load(
        w: &Weights,
        layer: &str,
        hidden: i64,
        intermediate: i64,
        activation: Activation,
        eps: f64,
    ) -> Result<Self, ModelError> {
        Ok(FeedForward {
            intermediate: w.linear(
                &format!("{layer}.intermediate.dense"),
                hidden,
                intermediate,
                true,
            )?,
            activation,
            output: ResidualOutput::load(w, &format!("{layer}.output"), intermediate, hidden, eps)?,
        })
    }

    /// The block's output for the attention output `x`.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        let inner = self.activation.forward(&self.intermediate.forward(x));
        self.output.forward(&inner, x)
    }
}

/// `[batch, len, heads * d]` → `[batch * heads, len, d]` (transformers' `transpose_for_scores`
/// of DeBERTa; BERT uses the 4-D form of the same permutation).
pub fn split_heads(x: &Tensor, heads: i64) -> Tensor {
    let (batch, len, _) = x.size3().expect("3-D hidden states");
    x.view([batch, len, heads, -1])
        .permute([0, 2, 1, 3])
        .contiguous()
        .view([batch * heads, len, -1])
}

/// `[batch * heads, len, d]` → `[batch, len, heads * d]`.
pub fn merge_heads(x: &Tensor, heads: i64) -> Tensor {
    let (bh, len, d) = x.size3().expect("3-D per-head states");
    x.view([bh / heads, heads, len, d])
        .permute([0, 2, 1, 3])
        .contiguous()
        .view([bh / heads, len, heads * d])
}
