//! Parity of imported Hugging Face checkpoints with transformers: tiny random BERT,
//! XLM-RoBERTa, DeBERTa-v3 and DeBERTa-v2 models (and the BERT one as pytorch_model.bin) written by
//! tools/make_tiny_hf_checkpoints.py, with the logits transformers computed, must give the same
//! logits (to 1e-4) through `load_hf_checkpoint`, permuted into crosscheck's label order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crosscheck::domain::NLI_LABELS as LABELS;
use crosscheck::judging::nli::{NliConfig, NliModel};
use crosscheck::models::batch::PaddedBatch;
use crosscheck::models::hf::load_hf_checkpoint;
use tch::{Device, Tensor};

const TOLERANCE: f64 = 1e-4;

#[derive(serde::Deserialize)]
struct Expected {
    id2label: BTreeMap<String, String>,
    cases: Vec<Case>,
    text_pairs: Vec<(String, String)>,
    text_logits: Vec<Vec<f64>>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    input_ids: Vec<Vec<i64>>,
    token_type_ids: Vec<Vec<i64>>,
    attention_mask: Vec<Vec<i64>>,
    logits: Vec<Vec<f64>>,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tiny-hf")
        .join(name)
}

fn expected(dir: &Path) -> Expected {
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json parses")
}

fn matrix(rows: &[Vec<i64>]) -> Tensor {
    let flat: Vec<i64> = rows.iter().flatten().copied().collect();
    Tensor::from_slice(&flat).reshape([rows.len() as i64, rows[0].len() as i64])
}

/// transformers' logits rows, rearranged into LABELS order by the checkpoint's id2label.
fn in_label_order(row: &[f64], id2label: &BTreeMap<String, String>) -> Vec<f64> {
    LABELS
        .iter()
        .map(|wanted| {
            let (index, _) = id2label
                .iter()
                .find(|(_, l)| l.eq_ignore_ascii_case(wanted))
                .expect("fixture labels are the NLI ones");
            row[index.parse::<usize>().unwrap()]
        })
        .collect()
}

/// Runs every case of one fixture and returns the largest absolute difference.
fn max_difference(name: &str) -> f64 {
    let dir = fixture(name);
    let exp = expected(&dir);
    let (model, _tokenizer) = load_hf_checkpoint(&dir, Device::Cpu).expect("fixture loads");
    let _guard = tch::no_grad_guard();
    let mut worst = 0f64;
    for case in &exp.cases {
        let batch = PaddedBatch {
            ids: matrix(&case.input_ids),
            mask: matrix(&case.attention_mask),
            type_ids: matrix(&case.token_type_ids),
        };
        let logits = model.logits(&batch, false);
        assert_eq!(logits.size(), [case.input_ids.len() as i64, 3]);
        let got = Vec::<f32>::try_from(logits.flatten(0, -1)).unwrap();
        for (row, want) in got.chunks_exact(3).zip(&case.logits) {
            let want = in_label_order(want, &exp.id2label);
            for (g, w) in row.iter().zip(&want) {
                let diff = (f64::from(*g) - w).abs();
                assert!(
                    diff <= TOLERANCE,
                    "{name}, {}: got {row:?}, transformers {want:?}",
                    case.name
                );
                worst = worst.max(diff);
            }
        }
    }
    println!("{name}: max |logit difference| = {worst:.2e}");
    worst
}

#[test]
fn bert_matches_transformers() {
    max_difference("bert");
}

#[test]
fn xlm_roberta_matches_transformers() {
    max_difference("xlm-roberta");
}

#[test]
fn deberta_v3_matches_transformers() {
    max_difference("deberta-v3");
}

#[test]
fn deberta_v2_matches_transformers() {
    max_difference("deberta-v2");
}

/// The BERT fixture saved as `pytorch_model.bin` (no safetensors file): libtorch reads the
/// zip pickle that `torch.save` writes.
#[test]
fn pytorch_bin_weights_match_transformers() {
    max_difference("bert-pytorch-bin");
}

/// The whole inference path: the checkpoint's own tokenizer and pair template, length-sorted
/// batching with padding, softmax into probabilities in crosscheck's label order.
#[test]
fn nli_model_runs_an_imported_checkpoint_end_to_end() {
    for name in ["deberta-v3", "xlm-roberta"] {
        let dir = fixture(name);
        let exp = expected(&dir);
        let (model, tokenizer) = load_hf_checkpoint(&dir, Device::Cpu).expect("fixture loads");
        let nli = NliModel::from_parts(
            model,
            tokenizer,
            NliConfig {
                batch_size: 3,
                max_tokens: 256,
                ..NliConfig::default()
            },
        );
        let pairs: Vec<(&str, &str)> = exp
            .text_pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let probs = nli
            .predict(&pairs, &indicatif::ProgressBar::hidden())
            .expect("prediction runs");
        assert_eq!(probs.len(), pairs.len());
        for (p, logits) in probs.iter().zip(&exp.text_logits) {
            let got = [p.entailment, p.neutral, p.contradiction];
            let sum: f32 = got.iter().sum();
            assert!((sum - 1.0).abs() < 1e-5, "{name}: {got:?} sums to {sum}");
            let logits = in_label_order(logits, &exp.id2label);
            let top = logits.iter().copied().fold(f64::MIN, f64::max);
            let norm: f64 = logits.iter().map(|l| (l - top).exp()).sum();
            for (g, l) in got.iter().zip(&logits) {
                let want = (l - top).exp() / norm;
                assert!(
                    (f64::from(*g) - want).abs() <= TOLERANCE,
                    "{name}: probabilities {got:?}, transformers' logits {logits:?}"
                );
            }
        }
    }
}

#[test]
fn a_folder_without_weights_says_which_file_and_how_to_get_it() {
    let dir = std::env::temp_dir().join(format!("crosscheck-hf-noweights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("bert").join("config.json"), dir.join("config.json")).unwrap();
    let err = load_hf_checkpoint(&dir, Device::Cpu)
        .err()
        .expect("no weights");
    let text = err.to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert!(text.contains("model.safetensors"), "{text}");
    assert!(text.contains("pytorch_model.bin"), "{text}");
}

#[test]
fn a_two_way_head_is_refused_naming_config_json() {
    let dir = std::env::temp_dir().join(format!("crosscheck-hf-twoway-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("bert").join("config.json")).unwrap(),
    )
    .unwrap();
    config["id2label"] = serde_json::json!({"0": "entailment", "1": "not_entailment"});
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let err = load_hf_checkpoint(&dir, Device::Cpu)
        .err()
        .expect("2-way head");
    let text = err.to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert!(text.contains("config.json"), "{text}");
    assert!(text.contains("2-way"), "{text}");
}

#[test]
fn a_tensor_of_the_wrong_shape_is_named() {
    let dir = std::env::temp_dir().join(format!("crosscheck-hf-shape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["model.safetensors", "tokenizer.json"] {
        std::fs::copy(fixture("bert").join(f), dir.join(f)).unwrap();
    }
    let mut config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("bert").join("config.json")).unwrap(),
    )
    .unwrap();
    config["intermediate_size"] = serde_json::json!(40);
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let err = load_hf_checkpoint(&dir, Device::Cpu)
        .err()
        .expect("shape mismatch");
    let text = err.to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        text.contains("bert.encoder.layer.0.intermediate.dense.weight"),
        "{text}"
    );
}
