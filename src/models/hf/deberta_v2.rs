//! DeBERTa-v2 and DeBERTa-v3 (`model_type: "deberta-v2"`) sequence classification, following
//! Hugging Face transformers' `modeling_deberta_v2.py` operation for operation.
//!
//! rust-bert 0.23 ships a DeBERTa-v2, but it gives wrong logits for v3 checkpoints (its
//! content-to-position and position-to-content scores are scaled without the square root, its
//! content-to-position gather index lacks `+ att_span`, and its log-bucket positions use integer
//! division), and its internals are private, so this module is a compact rewrite. It covers the
//! v3 settings (relative attention with log buckets, shared attention keys, layer-normed
//! relative embeddings, no absolute positions) as well as the v2 ones (separate position
//! projections, absolute positions, embedding projection, the convolution after layer 0).
//! Inference only: dropout is never applied.

use serde::Deserialize;
use tch::{Kind, Tensor};

use super::layers::{
    default_gelu, merge_heads, split_heads, Activation, Embedding, EncoderShape, FeedForward,
    LayerNorm, Linear, ResidualOutput, Weights,
};
use crate::models::ModelError;

/// The fields of a DeBERTa-v2 `config.json` this implementation reads, with transformers'
/// defaults (`DebertaV2Config` and the `getattr` defaults in the modelling code).
#[derive(Debug, Clone, Deserialize)]
pub struct DebertaV2Config {
    /// Size and activation, as every encoder config here writes them.
    #[serde(flatten)]
    pub shape: EncoderShape,
    /// Rows of the token type table; 0 means no token type embeddings.
    #[serde(default)]
    pub type_vocab_size: i64,
    /// Epsilon of every layer norm.
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    /// Whether attention adds disentangled relative-position scores.
    #[serde(default)]
    pub relative_attention: bool,
    /// Relative distance span; values below 1 mean `max_position_embeddings`.
    #[serde(default = "minus_one")]
    pub max_relative_positions: i64,
    /// Number of log buckets of relative positions; values below 1 mean no bucketing.
    #[serde(default = "minus_one")]
    pub position_buckets: i64,
    /// Which relative scores are added: `c2p` (content to position), `p2c`.
    #[serde(default)]
    pub pos_att_type: PosAttType,
    /// Whether the position projections reuse the content query/key projections.
    #[serde(default)]
    pub share_att_key: bool,
    /// `layer_norm` (possibly among `|`-separated options) normalises the relative embeddings.
    #[serde(default = "default_none")]
    pub norm_rel_ebd: String,
    /// Whether absolute position embeddings are added to the input.
    #[serde(default = "default_true")]
    pub position_biased_input: bool,
    /// Width of the embeddings, projected to `hidden_size` when different.
    #[serde(default)]
    pub embedding_size: Option<i64>,
    /// Width of one attention head (default `hidden_size / num_attention_heads`).
    #[serde(default)]
    pub attention_head_size: Option<i64>,
    /// Width of the pooler (default `hidden_size`).
    #[serde(default)]
    pub pooler_hidden_size: Option<i64>,
    /// Activation after the pooler's dense layer.
    #[serde(default = "default_gelu")]
    pub pooler_hidden_act: String,
    /// Kernel of the convolution after the first layer; 0 means none.
    #[serde(default)]
    pub conv_kernel_size: i64,
    /// Groups of that convolution.
    #[serde(default = "one")]
    pub conv_groups: i64,
    /// Activation of that convolution.
    #[serde(default = "default_tanh")]
    pub conv_act: String,
}

fn default_tanh() -> String {
    "tanh".into()
}
fn default_none() -> String {
    "none".into()
}
fn default_eps() -> f64 {
    1e-7
}
fn minus_one() -> i64 {
    -1
}
fn one() -> i64 {
    1
}
fn default_true() -> bool {
    true
}

/// `pos_att_type` as a list (`["p2c", "c2p"]`) or in the legacy `"p2c|c2p"` form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "PosAttTypeJson")]
pub struct PosAttType {
    /// Content-to-position scores are added.
    pub c2p: bool,
    /// Position-to-content scores are added.
    pub p2c: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PosAttTypeJson {
    List(Vec<String>),
    Piped(String),
    Null(()),
}

impl From<PosAttTypeJson> for PosAttType {
    fn from(json: PosAttTypeJson) -> Self {
        let items: Vec<String> = match json {
            PosAttTypeJson::List(v) => v,
            PosAttTypeJson::Piped(s) => s.split('|').map(str::to_string).collect(),
            PosAttTypeJson::Null(_) => Vec::new(),
        };
        let has = |name: &str| items.iter().any(|s| s.trim().eq_ignore_ascii_case(name));
        PosAttType {
            c2p: has("c2p"),
            p2c: has("p2c"),
        }
    }
}

impl DebertaV2Config {
    /// Width of one attention head.
    fn head_size(&self) -> i64 {
        self.attention_head_size
            .unwrap_or(self.shape.hidden_size / self.shape.num_attention_heads)
    }

    /// The relative span `max_relative_positions` after transformers' defaulting.
    fn max_relative_positions(&self) -> i64 {
        if self.max_relative_positions < 1 {
            self.shape.max_position_embeddings
        } else {
            self.max_relative_positions
        }
    }

    /// `att_span`: half the number of relative embeddings attention uses.
    fn att_span(&self) -> i64 {
        if self.position_buckets > 0 {
            self.position_buckets
        } else {
            self.max_relative_positions()
        }
    }

    /// The activation named `name`, or an error naming the config field.
    fn activation(&self, field: &str, name: &str) -> Result<Activation, String> {
        Activation::parse(name)
            .ok_or_else(|| format!("{field} \"{name}\" is not an activation crosscheck implements"))
    }
}

/// Word (+ position) (+ token type) embeddings, optional projection, layer norm, padding zeroed.
struct Embeddings {
    word: Embedding,
    position: Option<Embedding>,
    token_type: Option<Embedding>,
    projection: Option<Linear>,
    norm: LayerNorm,
}

impl Embeddings {
    fn load(w: &Weights, c: &DebertaV2Config) -> Result<Self, ModelError> {
        let p = "deberta.embeddings";
        let width = c.embedding_size.unwrap_or(c.shape.hidden_size);
        Ok(Embeddings {
            word: w.embedding(&format!("{p}.word_embeddings"), c.shape.vocab_size, width)?,
            position: if c.position_biased_input {
                Some(w.embedding(
                    &format!("{p}.position_embeddings"),
                    c.shape.max_position_embeddings,
                    width,
                )?)
            } else {
                None
            },
            token_type: if c.type_vocab_size > 0 {
                Some(w.embedding(
                    &format!("{p}.token_type_embeddings"),
                    c.type_vocab_size,
                    width,
                )?)
            } else {
                None
            },
            projection: if width != c.shape.hidden_size {
                Some(w.linear(
                    &format!("{p}.embed_proj"),
                    width,
                    c.shape.hidden_size,
                    false,
                )?)
            } else {
                None
            },
            norm: w.layer_norm(
                &format!("{p}.LayerNorm"),
                c.shape.hidden_size,
                c.layer_norm_eps,
            )?,
        })
    }

    /// `[batch, len]` ids, type ids and mask → `[batch, len, hidden]`.
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Tensor {
        let mut x = self.word.forward(ids);
        if let Some(position) = &self.position {
            let len = ids.size()[1];
            let positions = Tensor::arange(len, (Kind::Int64, ids.device())).unsqueeze(0);
            x += position.forward(&positions);
        }
        if let Some(token_type) = &self.token_type {
            x += token_type.forward(type_ids);
        }
        if let Some(projection) = &self.projection {
            x = projection.forward(&x);
        }
        self.norm.forward(&x) * mask.unsqueeze(2).to_kind(Kind::Float)
    }
}

/// Relative positions `query - key` of a `len`-token sequence, log-bucketed when
/// `bucket_size > 0` (transformers' `build_relative_position`): `[len, len]` int64.
pub fn relative_positions(
    len: i64,
    bucket_size: i64,
    max_position: i64,
    device: tch::Device,
) -> Tensor {
    let ids = Tensor::arange(len, (Kind::Int64, device));
    let relative = ids.unsqueeze(1) - ids.unsqueeze(0);
    if bucket_size > 0 && max_position > 0 {
        log_bucket_positions(&relative, bucket_size, max_position)
    } else {
        relative
    }
}

/// transformers' `make_log_bucket_position`: distances within `bucket_size / 2` stay as they
/// are, longer ones are mapped logarithmically up to `max_position`. The ratio is a FLOAT
/// division (`abs_pos / mid`, computed in fp32 as PyTorch does), not an integer one.
pub fn log_bucket_positions(relative: &Tensor, bucket_size: i64, max_position: i64) -> Tensor {
    let sign = relative.sign();
    let mid = bucket_size / 2;
    let near = relative.lt(mid).logical_and(&relative.gt(-mid));
    let abs = Tensor::from(mid - 1)
        .to_device(relative.device())
        .where_self(&near, &relative.abs());
    let ratio = abs.to_kind(Kind::Float) / (mid as f64);
    let log_max = Tensor::from(((max_position - 1) as f64 / mid as f64) as f32)
        .to_device(relative.device())
        .log();
    let log_pos = (ratio.log() / log_max * ((mid - 1) as f64)).ceil() + (mid as f64);
    let bucketed = relative
        .to_kind(Kind::Float)
        .where_self(&abs.le(mid), &(log_pos * sign));
    bucketed.to_kind(Kind::Int64)
}

/// Disentangled self-attention (`attention.self.*`): content-to-content scores plus the
/// relative content-to-position and position-to-content scores.
struct DisentangledSelfAttention {
    query: Linear,
    key: Linear,
    value: Linear,
    /// `pos_key_proj` (unshared keys with c2p); with `share_att_key` the key projection is used.
    pos_key: Option<Linear>,
    /// `pos_query_proj` (unshared keys with p2c); with `share_att_key` the query projection.
    pos_query: Option<Linear>,
    heads: i64,
    head_size: i64,
    relative: bool,
    share_att_key: bool,
    pos_att: PosAttType,
    att_span: i64,
}

impl DisentangledSelfAttention {
    fn load(w: &Weights, prefix: &str, c: &DebertaV2Config) -> Result<Self, ModelError> {
        let all = c.shape.num_attention_heads * c.head_size();
        let h = c.shape.hidden_size;
        let separate = c.relative_attention && !c.share_att_key;
        Ok(DisentangledSelfAttention {
            query: w.linear(&format!("{prefix}.query_proj"), h, all, true)?,
            key: w.linear(&format!("{prefix}.key_proj"), h, all, true)?,
            value: w.linear(&format!("{prefix}.value_proj"), h, all, true)?,
            pos_key: if separate && c.pos_att_type.c2p {
                Some(w.linear(&format!("{prefix}.pos_key_proj"), h, all, true)?)
            } else {
                None
            },
            pos_query: if separate && c.pos_att_type.p2c {
                Some(w.linear(&format!("{prefix}.pos_query_proj"), h, all, true)?)
            } else {
                None
            },
            heads: c.shape.num_attention_heads,
            head_size: c.head_size(),
            relative: c.relative_attention,
            share_att_key: c.share_att_key,
            pos_att: c.pos_att_type.clone(),
            att_span: c.att_span(),
        })
    }

    /// `hidden` `[batch, len, hidden]`, `blocked` `[batch, 1, len, len]` true where attention
    /// is masked, `relative_pos` `[len, len]`, `rel_embeddings` `[2 * span, hidden]`.
    fn forward(
        &self,
        hidden: &Tensor,
        blocked: &Tensor,
        relative_pos: &Tensor,
        rel_embeddings: Option<&Tensor>,
    ) -> Tensor {
        let (batch, len, _) = hidden.size3().expect("3-D hidden states");
        let query = split_heads(&self.query.forward(hidden), self.heads);
        let key = split_heads(&self.key.forward(hidden), self.heads);
        let value = split_heads(&self.value.forward(hidden), self.heads);

        let scale_factor = 1 + i64::from(self.pos_att.c2p) + i64::from(self.pos_att.p2c);
        let scale = ((self.head_size * scale_factor) as f32).sqrt() as f64;
        let mut scores = query.bmm(&(key.transpose(-1, -2) / scale));
        if self.relative {
            let rel = rel_embeddings.expect("relative attention has relative embeddings");
            scores += self.relative_scores(&query, &key, relative_pos, rel, scale);
        }
        let scores = scores.view([batch, self.heads, len, len]);
        // As transformers: masked scores get the dtype minimum before the softmax.
        let probs = scores
            .masked_fill(blocked, f64::from(f32::MIN))
            .softmax(-1, Kind::Float);
        let context = probs.view([batch * self.heads, len, len]).bmm(&value);
        merge_heads(&context, self.heads)
    }

    /// transformers' `disentangled_attention_bias` for a sequence attending to itself.
    fn relative_scores(
        &self,
        query: &Tensor,
        key: &Tensor,
        relative_pos: &Tensor,
        rel_embeddings: &Tensor,
        scale: f64,
    ) -> Tensor {
        let span = self.att_span;
        let (batch_heads, len, _) = query.size3().expect("3-D per-head states");
        let repeats = batch_heads / self.heads;
        let rel = rel_embeddings.narrow(0, 0, 2 * span).unsqueeze(0);
        let project =
            |layer: &Linear| split_heads(&layer.forward(&rel), self.heads).repeat([repeats, 1, 1]);
        let gather_index = |positions: Tensor| {
            positions
                .clamp(0, 2 * span - 1)
                .expand([batch_heads, len, len], false)
        };
        let mut score = Tensor::zeros([batch_heads, len, len], (Kind::Float, query.device()));
        if self.pos_att.c2p {
            let pos_key = if self.share_att_key {
                project(&self.key)
            } else {
                project(self.pos_key.as_ref().expect("pos_key_proj loaded for c2p"))
            };
            let c2p = query.bmm(&pos_key.transpose(-1, -2));
            let c2p = c2p.gather(-1, &gather_index(relative_pos + span), false);
            score += c2p / scale;
        }
        if self.pos_att.p2c {
            let pos_query = if self.share_att_key {
                project(&self.query)
            } else {
                project(
                    self.pos_query
                        .as_ref()
                        .expect("pos_query_proj loaded for p2c"),
                )
            };
            let p2c = key.bmm(&pos_query.transpose(-1, -2));
            let p2c = p2c
                .gather(-1, &gather_index(-relative_pos + span), false)
                .transpose(-1, -2);
            score += p2c / scale;
        }
        score
    }
}

/// One transformer layer: disentangled attention, its residual output, the feed-forward block.
struct Layer {
    attention: DisentangledSelfAttention,
    attention_output: ResidualOutput,
    feed_forward: FeedForward,
}

impl Layer {
    fn load(w: &Weights, index: i64, c: &DebertaV2Config) -> Result<Self, ModelError> {
        let p = format!("deberta.encoder.layer.{index}");
        let act = c
            .activation("hidden_act", &c.shape.hidden_act)
            .map_err(|reason| config_error(w, reason))?;
        let all = c.shape.num_attention_heads * c.head_size();
        Ok(Layer {
            attention: DisentangledSelfAttention::load(w, &format!("{p}.attention.self"), c)?,
            attention_output: ResidualOutput::load(
                w,
                &format!("{p}.attention.output"),
                all,
                c.shape.hidden_size,
                c.layer_norm_eps,
            )?,
            feed_forward: FeedForward::load(
                w,
                &p,
                c.shape.hidden_size,
                c.shape.intermediate_size,
                act,
                c.layer_norm_eps,
            )?,
        })
    }

    fn forward(
        &self,
        hidden: &Tensor,
        blocked: &Tensor,
        relative_pos: &Tensor,
        rel_embeddings: Option<&Tensor>,
    ) -> Tensor {
        let context = self
            .attention
            .forward(hidden, blocked, relative_pos, rel_embeddings);
        let attended = self.attention_output.forward(&context, hidden);
        self.feed_forward.forward(&attended)
    }
}

/// The convolution DeBERTa-v2 (xlarge, xxlarge) applies beside the first layer
/// (`deberta.encoder.conv.*`).
struct ConvLayer {
    weight: Tensor,
    bias: Tensor,
    groups: i64,
    padding: i64,
    activation: Activation,
    norm: LayerNorm,
}

impl ConvLayer {
    fn load(w: &Weights, c: &DebertaV2Config) -> Result<Self, ModelError> {
        let p = "deberta.encoder.conv";
        let h = c.shape.hidden_size;
        let k = c.conv_kernel_size;
        if c.conv_groups < 1 || h % c.conv_groups != 0 {
            return Err(config_error(
                w,
                format!(
                    "conv_groups {} does not divide hidden_size {h}",
                    c.conv_groups
                ),
            ));
        }
        Ok(ConvLayer {
            weight: w.get(&format!("{p}.conv.weight"), &[h, h / c.conv_groups, k])?,
            bias: w.get(&format!("{p}.conv.bias"), &[h])?,
            groups: c.conv_groups,
            padding: (k - 1) / 2,
            activation: c
                .activation("conv_act", &c.conv_act)
                .map_err(|reason| config_error(w, reason))?,
            norm: w.layer_norm(&format!("{p}.LayerNorm"), h, c.layer_norm_eps)?,
        })
    }

    /// `layer_input` is what the first layer received, `layer_output` what it returned.
    fn forward(&self, layer_input: &Tensor, layer_output: &Tensor, mask: &Tensor) -> Tensor {
        let out = layer_input
            .permute([0, 2, 1])
            .contiguous()
            .conv1d(
                &self.weight,
                Some(&self.bias),
                [1],
                [self.padding],
                [1],
                self.groups,
            )
            .permute([0, 2, 1])
            .contiguous();
        let mask = mask.unsqueeze(2).to_kind(Kind::Float);
        let out = self
            .activation
            .forward(&out.masked_fill(&mask.eq(0.0), 0.0));
        self.norm.forward(&(layer_output + out)) * mask
    }
}

/// The encoder: the layers, the shared relative embeddings and the optional convolution.
struct Encoder {
    layers: Vec<Layer>,
    rel_embeddings: Option<Embedding>,
    rel_norm: Option<LayerNorm>,
    conv: Option<ConvLayer>,
    position_buckets: i64,
    max_relative_positions: i64,
}

impl Encoder {
    fn load(w: &Weights, c: &DebertaV2Config) -> Result<Self, ModelError> {
        let rel_rows = 2 * c.att_span();
        let norm_rel = c
            .norm_rel_ebd
            .to_lowercase()
            .split('|')
            .any(|s| s.trim() == "layer_norm");
        Ok(Encoder {
            layers: (0..c.shape.num_hidden_layers)
                .map(|i| Layer::load(w, i, c))
                .collect::<Result<_, _>>()?,
            rel_embeddings: if c.relative_attention {
                Some(w.embedding(
                    "deberta.encoder.rel_embeddings",
                    rel_rows,
                    c.shape.hidden_size,
                )?)
            } else {
                None
            },
            rel_norm: if norm_rel {
                Some(w.layer_norm(
                    "deberta.encoder.LayerNorm",
                    c.shape.hidden_size,
                    c.layer_norm_eps,
                )?)
            } else {
                None
            },
            conv: if c.conv_kernel_size > 0 {
                Some(ConvLayer::load(w, c)?)
            } else {
                None
            },
            position_buckets: c.position_buckets,
            max_relative_positions: c.max_relative_positions(),
        })
    }

    fn forward(&self, embeddings: &Tensor, mask: &Tensor) -> Tensor {
        let len = embeddings.size()[1];
        // Pairwise mask: query i may attend to key j when both are real tokens.
        let m = mask.to_kind(Kind::Float);
        let pair = m.unsqueeze(1).unsqueeze(2) * m.unsqueeze(1).unsqueeze(3);
        let blocked = pair.eq(0.0);
        let relative_pos = relative_positions(
            len,
            self.position_buckets,
            self.max_relative_positions,
            embeddings.device(),
        );
        let rel_embeddings = self.rel_embeddings.as_ref().map(|e| match &self.rel_norm {
            Some(norm) => norm.forward(e.table()),
            None => e.table().shallow_clone(),
        });
        let mut hidden = embeddings.shallow_clone();
        for (i, layer) in self.layers.iter().enumerate() {
            let out = layer.forward(&hidden, &blocked, &relative_pos, rel_embeddings.as_ref());
            hidden = match (&self.conv, i) {
                (Some(conv), 0) => conv.forward(&hidden, &out, mask),
                _ => out,
            };
        }
        hidden
    }
}

/// `DebertaV2ForSequenceClassification`: encoder, context pooler (dense on the first token,
/// then `pooler_hidden_act`) and linear classifier. Logits are in the checkpoint's label order.
pub struct DebertaV2Classifier {
    embeddings: Embeddings,
    encoder: Encoder,
    pooler: Linear,
    pooler_activation: Activation,
    classifier: Linear,
}

impl DebertaV2Classifier {
    /// Builds the model from its config and weights; `num_labels` is the classifier's width.
    pub fn load(w: &Weights, c: &DebertaV2Config, num_labels: i64) -> Result<Self, ModelError> {
        let pooler_size = c.pooler_hidden_size.unwrap_or(c.shape.hidden_size);
        Ok(DebertaV2Classifier {
            embeddings: Embeddings::load(w, c)?,
            encoder: Encoder::load(w, c)?,
            pooler: w.linear("pooler.dense", pooler_size, pooler_size, true)?,
            pooler_activation: c
                .activation("pooler_hidden_act", &c.pooler_hidden_act)
                .map_err(|reason| config_error(w, reason))?,
            classifier: w.linear("classifier", pooler_size, num_labels, true)?,
        })
    }

    /// Logits `[batch, num_labels]` for `[batch, len]` ids, token type ids and attention mask.
    pub fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Tensor {
        let embedded = self.embeddings.forward(ids, type_ids, mask);
        let hidden = self.encoder.forward(&embedded, mask);
        let first = hidden.select(1, 0);
        let pooled = self.pooler_activation.forward(&self.pooler.forward(&first));
        self.classifier.forward(&pooled)
    }
}

/// An error about a config value, reported against the config.json beside the weights.
fn config_error(w: &Weights, reason: String) -> ModelError {
    ModelError::Unusable {
        path: w.path().with_file_name("config.json"),
        reason: format!("{reason}; crosscheck cannot run this DeBERTa-v2 variant"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pos_att_type: serde_json::Value) -> DebertaV2Config {
        serde_json::from_value(serde_json::json!({
            "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1,
            "num_attention_heads": 2, "intermediate_size": 16,
            "pos_att_type": pos_att_type
        }))
        .unwrap()
    }

    #[test]
    fn pos_att_type_reads_lists_legacy_strings_and_null() {
        let list = config(serde_json::json!(["p2c", "c2p"])).pos_att_type;
        assert!(list.c2p && list.p2c);
        let piped = config(serde_json::json!("c2p|P2C")).pos_att_type;
        assert!(piped.c2p && piped.p2c);
        let only = config(serde_json::json!("c2p")).pos_att_type;
        assert!(only.c2p && !only.p2c);
        let none = config(serde_json::Value::Null).pos_att_type;
        assert!(!none.c2p && !none.p2c);
    }

    #[test]
    fn defaults_follow_transformers() {
        let c = config(serde_json::Value::Null);
        assert_eq!(c.layer_norm_eps, 1e-7);
        assert!(c.position_biased_input && !c.relative_attention && !c.share_att_key);
        assert_eq!((c.type_vocab_size, c.conv_kernel_size), (0, 0));
        // Span defaults to max_position_embeddings (512) without buckets.
        assert_eq!(c.att_span(), 512);
    }
}
