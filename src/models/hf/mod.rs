//! Imported Hugging Face sequence-classification checkpoints: a folder with `config.json`,
//! `model.safetensors` (or `pytorch_model.bin`) and `tokenizer.json`, of a BERT,
//! (XLM-)RoBERTa or DeBERTa-v2/v3 model with a 3-way NLI head. The head's labels are matched by
//! name to [`LABELS`], so a checkpoint whose `id2label` lists them in any order plugs into the
//! `nli` stage through [`load_hf_checkpoint`].

pub mod bert;
pub mod deberta_v2;
pub mod layers;

use std::collections::BTreeMap;
use std::path::Path;
use tch::{Device, Tensor};
use tokenizers::Tokenizer;

use self::bert::{BertFamilyClassifier, BertFamilyConfig, Flavour};
use self::deberta_v2::{DebertaV2Classifier, DebertaV2Config};
use self::layers::Weights;
use super::{ModelError, PairClassifier};
use crate::domain::NLI_LABELS as LABELS;
use crate::models::batch::PaddedBatch;

/// Name of the configuration file in a checkpoint folder.
pub const CONFIG_FILE: &str = "config.json";
/// Name of the weights file crosscheck prefers.
pub const SAFETENSORS_FILE: &str = "model.safetensors";
/// Name of the PyTorch pickle weights file, read when there is no safetensors file.
pub const PYTORCH_FILE: &str = "pytorch_model.bin";
/// Name of the tokenizer file.
pub const TOKENIZER_FILE: &str = "tokenizer.json";

const FOLDER_FIX: &str = "a Hugging Face checkpoint folder needs config.json, model.safetensors \
     (or pytorch_model.bin) and tokenizer.json: download them from the model's hub page \
     (`huggingface-cli download MODEL --local-dir DIR`)";

/// Loads the checkpoint in `dir` as a [`PairClassifier`] whose logits are in [`LABELS`] order,
/// with the checkpoint's own tokenizer (pass both to `NliModel::from_parts`).
pub fn load_hf_checkpoint(
    dir: &Path,
    device: Device,
) -> Result<(Box<dyn PairClassifier>, Tokenizer), ModelError> {
    let config_path = dir.join(CONFIG_FILE);
    let config_text =
        std::fs::read_to_string(&config_path).map_err(|source| ModelError::Missing {
            path: config_path.clone(),
            source,
            fix: FOLDER_FIX,
        })?;
    let config: serde_json::Value =
        serde_json::from_str(&config_text).map_err(|e| ModelError::Unusable {
            path: config_path.clone(),
            reason: format!("it is not valid JSON ({e}); download it again"),
        })?;
    let header: ConfigHeader = parse_config(&config, &config_path)?;
    let order = label_order(&header.id2label).map_err(|reason| ModelError::Unusable {
        path: config_path.clone(),
        reason,
    })?;
    let num_labels = header.id2label.len() as i64;
    let weights = read_weights(dir, device)?;
    let model: Box<dyn PairClassifier> = match header.model_type.as_str() {
        "bert" | "roberta" | "xlm-roberta" => {
            let flavour = if header.model_type == "bert" {
                Flavour::Bert
            } else {
                Flavour::Roberta
            };
            let c: BertFamilyConfig = parse_config(&config, &config_path)?;
            let model = BertFamilyClassifier::load(&weights, &c, flavour, num_labels)?;
            Box::new(Reordered::new(order, device, move |b: &PaddedBatch| {
                model.forward(&b.ids, &b.type_ids, &b.mask)
            }))
        }
        "deberta-v2" => {
            let c: DebertaV2Config = parse_config(&config, &config_path)?;
            let model = DebertaV2Classifier::load(&weights, &c, num_labels)?;
            Box::new(Reordered::new(order, device, move |b: &PaddedBatch| {
                model.forward(&b.ids, &b.type_ids, &b.mask)
            }))
        }
        other => {
            return Err(ModelError::Unusable {
                path: config_path,
                reason: format!(
                    "model_type \"{other}\" is not supported; crosscheck runs \"bert\", \
                     \"roberta\", \"xlm-roberta\" and \"deberta-v2\" (which covers DeBERTa-v3) \
                     checkpoints: pick an NLI checkpoint of one of those"
                ),
            })
        }
    };
    let tokenizer_path = dir.join(TOKENIZER_FILE);
    let bytes = std::fs::read(&tokenizer_path).map_err(|source| ModelError::Missing {
        path: tokenizer_path.clone(),
        source,
        fix: "crosscheck needs the fast-tokenizer file tokenizer.json; download it from the \
              model's hub page, or write it from Python with \
              `AutoTokenizer.from_pretrained(MODEL).save_pretrained(DIR)`",
    })?;
    let tokenizer = Tokenizer::from_bytes(&bytes).map_err(|e| ModelError::Unusable {
        path: tokenizer_path.clone(),
        reason: format!("the tokenizers library cannot read it ({e}); download it again"),
    })?;
    Ok((model, tokenizer))
}

/// The fields every supported config.json has.
#[derive(serde::Deserialize)]
struct ConfigHeader {
    model_type: String,
    #[serde(default)]
    id2label: BTreeMap<String, String>,
}

fn parse_config<T: serde::de::DeserializeOwned>(
    config: &serde_json::Value,
    path: &Path,
) -> Result<T, ModelError> {
    T::deserialize(config).map_err(|e| ModelError::Unusable {
        path: path.to_path_buf(),
        reason: format!(
            "{e}; it is not a transformers config.json for a supported model: download it again"
        ),
    })
}

/// For each of [`LABELS`], the checkpoint's output index carrying it, matched by name
/// (case-insensitive). `id2label` maps output indices (as strings, as in config.json) to names.
pub fn label_order(id2label: &BTreeMap<String, String>) -> Result<[i64; 3], String> {
    let listed = || {
        id2label
            .iter()
            .map(|(i, l)| format!("{i}: \"{l}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut by_name: Vec<(i64, String)> = Vec::with_capacity(id2label.len());
    for (index, label) in id2label {
        let index: i64 = index
            .trim()
            .parse()
            .map_err(|_| format!("id2label has a key \"{index}\" that is not an index"))?;
        by_name.push((index, label.trim().to_lowercase()));
    }
    let mut indices: Vec<i64> = by_name.iter().map(|(i, _)| *i).collect();
    indices.sort_unstable();
    if indices != (0..by_name.len() as i64).collect::<Vec<_>>() {
        return Err(format!(
            "id2label ({}) does not number its labels 0..{}; the file is damaged: download it \
             again",
            listed(),
            by_name.len()
        ));
    }
    if by_name
        .iter()
        .any(|(_, l)| l == "not_entailment" || l == "non_entailment")
    {
        return Err(format!(
            "id2label ({}) is a 2-way entailment / not_entailment head, which cannot give the \
             neutral and contradiction probabilities crosscheck reports; use a 3-way NLI \
             checkpoint (labels entailment, neutral, contradiction)",
            listed()
        ));
    }
    let mut order = [0i64; 3];
    for (slot, wanted) in order.iter_mut().zip(LABELS) {
        let found: Vec<i64> = by_name
            .iter()
            .filter(|(_, l)| l == wanted)
            .map(|(i, _)| *i)
            .collect();
        *slot = match (found.as_slice(), by_name.len()) {
            ([index], 3) => *index,
            _ => {
                return Err(format!(
                    "id2label ({}) is not the three NLI labels entailment, neutral, \
                     contradiction; crosscheck maps a head's outputs by these names. If the \
                     model card says which output is which (e.g. LABEL_0 = entailment), write \
                     those names into id2label in config.json; otherwise use a 3-way NLI \
                     checkpoint",
                    if id2label.is_empty() {
                        "missing".to_string()
                    } else {
                        listed()
                    }
                ))
            }
        };
    }
    Ok(order)
}

/// Reads `model.safetensors`, or failing that `pytorch_model.bin`.
fn read_weights(dir: &Path, device: Device) -> Result<Weights, ModelError> {
    let safetensors = dir.join(SAFETENSORS_FILE);
    if safetensors.exists() {
        let tensors = Tensor::read_safetensors(&safetensors).map_err(|e| ModelError::Unusable {
            path: safetensors.clone(),
            reason: format!("it cannot be read as safetensors ({e}); download it again"),
        })?;
        return Ok(Weights::new(tensors, &safetensors, device));
    }
    let pytorch = dir.join(PYTORCH_FILE);
    if let Err(source) = std::fs::metadata(&pytorch) {
        return Err(ModelError::Missing {
            path: safetensors,
            source,
            fix: FOLDER_FIX,
        });
    }
    let tensors = Tensor::loadz_multi_with_device(&pytorch, Device::Cpu).map_err(|e| {
        ModelError::Unusable {
            path: pytorch.clone(),
            reason: format!(
                "libtorch cannot read this PyTorch pickle ({e}); convert it to \
                 model.safetensors (in Python: `AutoModelForSequenceClassification.\
                 from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)`) or \
                 download model.safetensors if the hub has it"
            ),
        }
    })?;
    Ok(Weights::new(tensors, &pytorch, device))
}

/// A checkpoint's model with its logits' columns permuted into [`LABELS`] order.
struct Reordered<F> {
    forward: F,
    order: Tensor,
}

impl<F: Fn(&PaddedBatch) -> Tensor> Reordered<F> {
    fn new(order: [i64; 3], device: Device, forward: F) -> Self {
        Reordered {
            forward,
            order: Tensor::from_slice(&order).to_device(device),
        }
    }
}

impl<F: Fn(&PaddedBatch) -> Tensor> PairClassifier for Reordered<F> {
    /// Imported checkpoints are for inference: `train` is ignored (no dropout).
    fn logits(&self, batch: &PaddedBatch, _train: bool) -> Tensor {
        (self.forward)(batch).index_select(1, &self.order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|&(i, l)| (i.to_string(), l.to_string()))
            .collect()
    }

    #[test]
    fn labels_are_matched_by_name_in_any_order_and_case() {
        let order = label_order(&labels(&[
            ("0", "CONTRADICTION"),
            ("1", "entailment"),
            ("2", "Neutral"),
        ]))
        .unwrap();
        assert_eq!(order, [1, 2, 0]);
        let identity = label_order(&labels(&[
            ("0", "entailment"),
            ("1", "neutral"),
            ("2", "contradiction"),
        ]))
        .unwrap();
        assert_eq!(identity, [0, 1, 2]);
    }

    #[test]
    fn two_way_heads_are_refused_with_the_reason() {
        let err =
            label_order(&labels(&[("0", "entailment"), ("1", "not_entailment")])).unwrap_err();
        assert!(err.contains("2-way"), "{err}");
    }

    #[test]
    fn generic_or_missing_labels_are_refused_with_the_fix() {
        let err = label_order(&labels(&[
            ("0", "LABEL_0"),
            ("1", "LABEL_1"),
            ("2", "LABEL_2"),
        ]))
        .unwrap_err();
        assert!(err.contains("write those names into id2label"), "{err}");
        let err = label_order(&BTreeMap::new()).unwrap_err();
        assert!(err.contains("(missing)"), "{err}");
        let err = label_order(&labels(&[
            ("0", "entailment"),
            ("1", "neutral"),
            ("2", "contradiction"),
            ("3", "other"),
        ]))
        .unwrap_err();
        assert!(err.contains("not the three NLI labels"), "{err}");
        let err = label_order(&labels(&[
            ("0", "entailment"),
            ("1", "entailment"),
            ("2", "contradiction"),
        ]))
        .unwrap_err();
        assert!(err.contains("not the three NLI labels"), "{err}");
    }

    #[test]
    fn misnumbered_labels_are_refused() {
        let err = label_order(&labels(&[
            ("0", "entailment"),
            ("1", "neutral"),
            ("5", "contradiction"),
        ]))
        .unwrap_err();
        assert!(err.contains("does not number"), "{err}");
    }

    #[test]
    fn missing_folder_names_the_config_and_the_fix() {
        let dir = std::env::temp_dir().join("crosscheck-no-such-checkpoint");
        let err = load_hf_checkpoint(&dir, Device::Cpu)
            .err()
            .expect("no folder");
        let text = err.to_string();
        assert!(text.contains("config.json"), "{text}");
        assert!(text.contains("model.safetensors"), "{text}");
    }

    #[test]
    fn log_buckets_use_float_division() {
        // transformers (bucket_size 8, max_position 64): distances below 4 kept, beyond that
        // ceil(ln(|d| / 4) / ln(63 / 4) * 3) + 4 with the sign.
        let rel = Tensor::from_slice(&[0i64, 3, -3, 4, 5, -6, 7, 10, 20, -40, 63, 100]);
        let got = Vec::<i64>::try_from(deberta_v2::log_bucket_positions(&rel, 8, 64)).unwrap();
        let expect: Vec<i64> = [0i64, 3, -3, 4, 5, -6, 7, 10, 20, -40, 63, 100]
            .iter()
            .map(|&d| {
                let a = d.abs();
                if a <= 4 {
                    d
                } else {
                    let l = ((a as f32 / 4.0).ln() / (63f32 / 4.0).ln() * 3.0).ceil() + 4.0;
                    (l as i64) * d.signum()
                }
            })
            .collect();
        assert_eq!(got, expect);
        assert_eq!(&got[..5], &[0, 3, -3, 4, 5]);
    }
}
