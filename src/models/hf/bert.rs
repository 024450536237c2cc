//! BERT (`model_type: "bert"`) and RoBERTa / XLM-RoBERTa (`"roberta"`, `"xlm-roberta"`)
//! sequence classification, following transformers' `modeling_bert.py` and
//! `modeling_roberta.py`.
//!
//! rust-bert has both models, but it fixes every layer norm's epsilon at 1e-12 (XLM-RoBERTa
//! checkpoints say 1e-5 in `layer_norm_eps`) and RoBERTa's padding id at 1, and it would need
//! its own weight-copying path; so the encoder is written here, honouring config.json, sharing
//! the weight loading (errors name the tensor) and feed-forward blocks with DeBERTa-v2. On the
//! tiny XLM-R fixture the epsilon alone moves logits by about 3e-6: small, but not nothing for
//! checkpoints whose hidden states have a small variance.

use serde::Deserialize;
use tch::{Kind, Tensor};

use super::layers::{
    merge_heads, split_heads, Activation, Embedding, EncoderShape, FeedForward, LayerNorm, Linear,
    ResidualOutput, Weights,
};
use crate::models::ModelError;

/// Which of the two families: they differ in position ids, token types and the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// BERT: positions 0.., token types from the tokenizer, pooler + `classifier`.
    Bert,
    /// RoBERTa / XLM-R: positions counted after `pad_token_id`, token types all zero,
    /// `classifier.dense` + `classifier.out_proj` on the first token.
    Roberta,
}

impl Flavour {
    /// The prefix of the encoder's tensors in the checkpoint.
    fn prefix(self) -> &'static str {
        match self {
            Flavour::Bert => "bert",
            Flavour::Roberta => "roberta",
        }
    }
}

/// The fields of a BERT / RoBERTa `config.json` this implementation reads.
#[derive(Debug, Clone, Deserialize)]
pub struct BertFamilyConfig {
    /// Size and activation, as every encoder config here writes them.
    #[serde(flatten)]
    pub shape: EncoderShape,
    /// Rows of the token type table.
    #[serde(default = "default_type_vocab")]
    pub type_vocab_size: i64,
    /// Epsilon of every layer norm.
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    /// Padding token id (RoBERTa position ids start after it).
    #[serde(default)]
    pub pad_token_id: Option<i64>,
    /// Only `absolute` is supported.
    #[serde(default = "default_absolute")]
    pub position_embedding_type: String,
}

fn default_absolute() -> String {
    "absolute".into()
}
fn default_type_vocab() -> i64 {
    2
}
fn default_eps() -> f64 {
    1e-12
}

/// Word + position + token type embeddings, then a layer norm.
struct Embeddings {
    word: Embedding,
    position: Embedding,
    token_type: Embedding,
    norm: LayerNorm,
}

/// Multi-head self-attention (`attention.self.{query,key,value}`).
struct SelfAttention {
    query: Linear,
    key: Linear,
    value: Linear,
    heads: i64,
    scale: f64,
}

impl SelfAttention {
    /// `additive_mask` is `[batch, 1, 1, len]`: 0 for real keys, the dtype minimum for padding.
    fn forward(&self, hidden: &Tensor, additive_mask: &Tensor) -> Tensor {
        let (batch, len, _) = hidden.size3().expect("3-D hidden states");
        let q = split_heads(&self.query.forward(hidden), self.heads);
        let k = split_heads(&self.key.forward(hidden), self.heads);
        let v = split_heads(&self.value.forward(hidden), self.heads);
        let scores = q
            .bmm(&k.transpose(-1, -2))
            .view([batch, self.heads, len, len])
            * self.scale
            + additive_mask;
        // In fp32 (the additive mask makes the scores fp32); back to the values' kind.
        let probs = scores.softmax(-1, Kind::Float).to_kind(v.kind());
        merge_heads(
            &probs.view([batch * self.heads, len, len]).bmm(&v),
            self.heads,
        )
    }
}

/// One transformer layer.
struct Layer {
    attention: SelfAttention,
    attention_output: ResidualOutput,
    feed_forward: FeedForward,
}

/// The classification head.
enum Head {
    /// BERT: `pooler.dense` + tanh on the first token, then `classifier`.
    Pooler { pooler: Linear, classifier: Linear },
    /// RoBERTa: `classifier.dense` + tanh on the first token, then `classifier.out_proj`.
    Roberta { dense: Linear, out_proj: Linear },
}

/// The encoder without a head: embeddings and transformer layers, built directly from the
/// loaded tensors (nothing is initialised and then overwritten). Computes in the kind of its
/// weights (fp32 or bf16); attention probabilities are taken in fp32.
pub struct BertEncoder {
    flavour: Flavour,
    embeddings: Embeddings,
    layers: Vec<Layer>,
    pad_token_id: i64,
}

/// `prefix.name`, or `name` when the prefix is empty.
fn under(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

impl BertEncoder {
    /// Builds the encoder from tensors named `{prefix}.embeddings.*` and
    /// `{prefix}.encoder.layer.*` (no prefix when `prefix` is empty).
    pub fn load(
        w: &Weights,
        prefix: &str,
        c: &BertFamilyConfig,
        flavour: Flavour,
    ) -> Result<Self, ModelError> {
        let act = supported_activation(w, c)?;
        let embeddings = Embeddings::load(w, &under(prefix, "embeddings"), c)?;
        let layers = (0..c.shape.num_hidden_layers)
            .map(|i| Layer::load(w, &under(prefix, &format!("encoder.layer.{i}")), c, act))
            .collect::<Result<_, ModelError>>()?;
        let pad_token_id = c.pad_token_id.unwrap_or(match flavour {
            Flavour::Bert => 0,
            Flavour::Roberta => 1,
        });
        Ok(BertEncoder {
            flavour,
            embeddings,
            layers,
            pad_token_id,
        })
    }

    /// Last hidden states `[batch, len, hidden]` (in the weights' kind) for `[batch, len]`
    /// ids, token type ids and attention mask.
    pub fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Tensor {
        let len = ids.size()[1];
        let (positions, type_ids) = match self.flavour {
            Flavour::Bert => (
                Tensor::arange(len, (Kind::Int64, ids.device())).unsqueeze(0),
                type_ids.shallow_clone(),
            ),
            Flavour::Roberta => {
                // transformers' create_position_ids_from_input_ids.
                let real = ids.ne(self.pad_token_id).to_kind(Kind::Int64);
                let positions = real.cumsum(1, Kind::Int64) * &real + self.pad_token_id;
                (positions, ids.zeros_like())
            }
        };
        let e = &self.embeddings;
        let x =
            e.word.forward(ids) + e.token_type.forward(&type_ids) + e.position.forward(&positions);
        let mut hidden = e.norm.forward(&x);
        // 0 for real keys, the fp32 minimum for padding: [batch, 1, 1, len].
        let additive_mask = mask
            .to_kind(Kind::Float)
            .eq(0.0)
            .to_kind(Kind::Float)
            .unsqueeze(1)
            .unsqueeze(2)
            * f64::from(f32::MIN);
        for layer in &self.layers {
            let context = layer.attention.forward(&hidden, &additive_mask);
            let attended = layer.attention_output.forward(&context, &hidden);
            hidden = layer.feed_forward.forward(&attended);
        }
        hidden
    }
}

/// `BertForSequenceClassification` or `(XLM)RobertaForSequenceClassification`; logits are in
/// the checkpoint's label order.
pub struct BertFamilyClassifier {
    encoder: BertEncoder,
    head: Head,
}

impl BertFamilyClassifier {
    /// Builds the model from its config and weights; `num_labels` is the classifier's width.
    pub fn load(
        w: &Weights,
        c: &BertFamilyConfig,
        flavour: Flavour,
        num_labels: i64,
    ) -> Result<Self, ModelError> {
        let encoder = BertEncoder::load(w, flavour.prefix(), c, flavour)?;
        let (h, p) = (c.shape.hidden_size, flavour.prefix());
        let head = match flavour {
            Flavour::Bert => Head::Pooler {
                pooler: w.linear(&format!("{p}.pooler.dense"), h, h, true)?,
                classifier: w.linear("classifier", h, num_labels, true)?,
            },
            Flavour::Roberta => Head::Roberta {
                dense: w.linear("classifier.dense", h, h, true)?,
                out_proj: w.linear("classifier.out_proj", h, num_labels, true)?,
            },
        };
        Ok(BertFamilyClassifier { encoder, head })
    }

    /// Logits `[batch, num_labels]` for `[batch, len]` ids, token type ids and attention mask.
    pub fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Tensor {
        let hidden = self.encoder.forward(ids, type_ids, mask);
        let first = hidden.select(1, 0);
        match &self.head {
            Head::Pooler { pooler, classifier } => {
                classifier.forward(&pooler.forward(&first).tanh())
            }
            Head::Roberta { dense, out_proj } => out_proj.forward(&dense.forward(&first).tanh()),
        }
    }
}

/// The activation of a config crosscheck can run: absolute positions, heads that divide the
/// hidden size, an activation it implements.
fn supported_activation(w: &Weights, c: &BertFamilyConfig) -> Result<Activation, ModelError> {
    let unusable = |reason: String| ModelError::Unusable {
        path: w.path().with_file_name("config.json"),
        reason,
    };
    if c.position_embedding_type != "absolute" {
        return Err(unusable(format!(
            "position_embedding_type \"{}\" is not supported (only \"absolute\"); use a \
             checkpoint with absolute position embeddings",
            c.position_embedding_type
        )));
    }
    if c.shape.num_attention_heads < 1 || c.shape.hidden_size % c.shape.num_attention_heads != 0 {
        return Err(unusable(format!(
            "hidden_size {} is not a multiple of num_attention_heads {}; the file is damaged",
            c.shape.hidden_size, c.shape.num_attention_heads
        )));
    }
    Activation::parse(&c.shape.hidden_act).ok_or_else(|| {
        unusable(format!(
            "hidden_act \"{}\" is not an activation crosscheck implements",
            c.shape.hidden_act
        ))
    })
}

impl Embeddings {
    /// Word, position and token type embeddings under `e` (`{prefix}.embeddings`).
    fn load(w: &Weights, e: &str, c: &BertFamilyConfig) -> Result<Self, ModelError> {
        let h = c.shape.hidden_size;
        Ok(Embeddings {
            word: w.embedding(&format!("{e}.word_embeddings"), c.shape.vocab_size, h)?,
            position: w.embedding(
                &format!("{e}.position_embeddings"),
                c.shape.max_position_embeddings,
                h,
            )?,
            token_type: w.embedding(&format!("{e}.token_type_embeddings"), c.type_vocab_size, h)?,
            norm: w.layer_norm(&format!("{e}.LayerNorm"), h, c.layer_norm_eps)?,
        })
    }
}

impl Layer {
    /// One transformer layer under `l` (`{prefix}.encoder.layer.{i}`).
    fn load(
        w: &Weights,
        l: &str,
        c: &BertFamilyConfig,
        act: Activation,
    ) -> Result<Self, ModelError> {
        let (h, eps) = (c.shape.hidden_size, c.layer_norm_eps);
        let head_size = h / c.shape.num_attention_heads;
        Ok(Layer {
            attention: SelfAttention {
                query: w.linear(&format!("{l}.attention.self.query"), h, h, true)?,
                key: w.linear(&format!("{l}.attention.self.key"), h, h, true)?,
                value: w.linear(&format!("{l}.attention.self.value"), h, h, true)?,
                heads: c.shape.num_attention_heads,
                scale: 1.0 / (head_size as f64).sqrt(),
            },
            attention_output: ResidualOutput::load(w, &format!("{l}.attention.output"), h, h, eps)?,
            feed_forward: FeedForward::load(w, l, h, c.shape.intermediate_size, act, eps)?,
        })
    }
}
