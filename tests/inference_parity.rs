//! The inference path (e5 read once and shared, encoders built from the loaded tensors, token-
//! budget batches tokenised per batch, both NLI directions in one batch, identical inputs
//! computed once) gives the same numbers, within 1e-5, as the path it replaced: rust-bert
//! BertModels with their weights copied in, everything tokenised up front, batches of 32 by
//! length. Checked on the seeds: every sentence's embedding and every candidate pair's NLI
//! probabilities both ways.

use std::path::PathBuf;
use std::sync::OnceLock;

use crosscheck::io::progress::Progress;
use crosscheck::judging::nli::{NliConfig, NliModel, Probabilities};
use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::cross_encoder::CrossEncoder;
use crosscheck::models::{Encoder, ModelDir, E5_FILE, NLI_FILE};
use crosscheck::pipeline::{analyse, RunConfig, RunOutput};
use indicatif::ProgressBar;
use tch::{Device, Tensor};

const TOLERANCE: f32 = 1e-5;

fn models() -> ModelDir {
    ModelDir::new(ModelDir::default_location())
}

/// The pipeline on the seeds with the default (fp32) settings: the new path.
fn seeds() -> &'static RunOutput {
    static RUN: OnceLock<RunOutput> = OnceLock::new();
    RUN.get_or_init(|| {
        analyse(&RunConfig::new(
            PathBuf::from("data/seeds"),
            models(),
            Progress { quiet: true },
        ))
        .expect("the seeds run")
    })
}

mod old_path;

/// The old embedder: rust-bert BertModel with the e5 weights copied in.
fn old_embeddings(models: &ModelDir, texts: &[&str]) -> Vec<Vec<f32>> {
    let weights = models.e5_weights().unwrap();
    let encoder = Encoder::from_e5(&weights, Device::Cpu, &models.file(E5_FILE)).unwrap();
    old_path::embeddings(&encoder, &models.tokenizer().unwrap(), texts).unwrap()
}

/// The old NLI model: rust-bert cross-encoder initialised, then overwritten with e5 and the
/// fine-tuned file.
fn old_probabilities(
    models: &ModelDir,
    pairs: &[(&str, &str)],
) -> Vec<(Probabilities, Probabilities)> {
    let weights = models.e5_weights().unwrap();
    let mut model = CrossEncoder::from_e5(&weights, Device::Cpu, 0, &models.file(E5_FILE)).unwrap();
    model.load_finetuned(&models.file(NLI_FILE)).unwrap();
    let nli = NliModel::from_parts(
        model,
        models.tokenizer().unwrap(),
        NliConfig {
            batch_size: 32,
            max_tokens: 256,
            ..NliConfig::default()
        },
    );
    old_path::probabilities(&nli, pairs).unwrap()
}

fn max_difference(a: &Probabilities, b: &Probabilities) -> f32 {
    [
        a.entailment - b.entailment,
        a.neutral - b.neutral,
        a.contradiction - b.contradiction,
    ]
    .iter()
    .fold(0f32, |m, d| m.max(d.abs()))
}

#[test]
fn embeddings_match_the_rust_bert_path() {
    let output = seeds();
    let models = models();
    let texts: Vec<&str> = output.sentences.iter().map(|s| s.text.as_str()).collect();
    assert!(texts.len() >= 100);
    // Identical texts are embedded once and copied: add repeats to exercise that.
    let mut with_repeats = texts.clone();
    with_repeats.extend(texts.iter().take(10));
    let new = Embedder::new(&models, EmbedConfig::default())
        .unwrap()
        .embed(&with_repeats, &ProgressBar::hidden())
        .unwrap();
    let old = old_embeddings(&models, &texts);
    let mut worst = 0f32;
    for (i, expected) in old.iter().enumerate() {
        for (g, e) in new.row(i).iter().zip(expected) {
            worst = worst.max((g - e).abs());
        }
    }
    for i in 0..10 {
        assert_eq!(new.row(texts.len() + i), new.row(i), "a repeat is a copy");
    }
    println!("embeddings: max |difference| to the old path = {worst:.2e}");
    assert!(worst <= TOLERANCE, "max difference {worst}");
}

#[test]
fn nli_probabilities_match_the_rust_bert_path() {
    let output = seeds();
    let models = models();
    let inputs =
        crosscheck::pipeline::nli_inputs(&output.claims, output.pairs.iter().map(|p| &p.pair));
    let pairs = inputs.pairs();
    assert!(pairs.len() >= 100, "{} pairs", pairs.len());
    let old = old_probabilities(&models, &pairs);
    let mut worst = 0f32;
    for (judged, (ab, ba)) in output.pairs.iter().zip(&old) {
        worst = worst
            .max(max_difference(&judged.ab, ab))
            .max(max_difference(&judged.ba, ba));
    }
    println!(
        "nli: max |difference| to the old path = {worst:.2e} over {} pairs both ways",
        pairs.len()
    );
    assert!(worst <= TOLERANCE, "max difference {worst}");
}

/// Repeated and reversed pairs give exactly what the pair gives alone, in either order.
#[test]
fn repeated_and_reversed_pairs_are_computed_once_and_stay_consistent() {
    let models = models();
    let nli = NliModel::new(&models, None, NliConfig::default()).unwrap();
    let a = "O presidente falou com Trump na sexta-feira.";
    let b = "Președintele a vorbit cu Trump vineri.";
    let c = "The talks were held on Monday.";
    let alone = nli
        .predict_both_ways(&[(a, b)], &ProgressBar::hidden())
        .unwrap()[0];
    let bar = ProgressBar::hidden();
    let mixed = nli
        .predict_both_ways(&[(a, b), (c, a), (b, a), (a, b), (a, a)], &bar)
        .unwrap();
    assert_eq!(
        bar.position(),
        10,
        "progress counts every directed pair asked for"
    );
    // Other batch neighbours may change the last bits (another padding width), no more.
    assert!(max_difference(&mixed[0].0, &alone.0) <= TOLERANCE);
    assert!(max_difference(&mixed[0].1, &alone.1) <= TOLERANCE);
    // A repeat, either way round, is the same computation.
    assert_eq!(mixed[3], mixed[0]);
    assert_eq!(mixed[2], (mixed[0].1, mixed[0].0));
    assert_eq!(mixed[4].0, mixed[4].1);
    let single = nli.predict(&[(c, a), (a, c)], &bar).unwrap();
    assert!(max_difference(&single[0], &mixed[1].0) <= TOLERANCE);
    assert!(max_difference(&single[1], &mixed[1].1) <= TOLERANCE);
}

/// The embedder and the NLI model read e5 once per process: a second embedder from a clone
/// of the same ModelDir shares the dequantised tensors.
#[test]
fn the_e5_file_is_read_once_and_shared() {
    let models = models();
    let first = models.e5_weights().unwrap();
    let second = models.clone().e5_weights().unwrap();
    let key = "embeddings.word_embeddings.weight";
    let same = |a: &Tensor, b: &Tensor| a.data_ptr() == b.data_ptr();
    assert!(same(&first.tensors[key], &second.tensors[key]));
}
