//! bf16 against fp32 on the seeds: every sentence embedding keeps a cosine of at least 0.999
//! to its fp32 vector, and the NLI labels (the most probable class each way, and the verdict
//! the probabilities decide) are unchanged for at least 99% of the candidate pairs.

use std::path::PathBuf;

use crosscheck::io::progress::Progress;
use crosscheck::judging::nli::{NliConfig, NliModel};
use crosscheck::judging::verdict::{decide, VerdictConfig};
use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::{ModelDir, Precision};
use crosscheck::pipeline::{analyse, RunConfig};
use indicatif::ProgressBar;

fn models() -> ModelDir {
    ModelDir::new(ModelDir::default_location())
}

#[test]
fn bf16_embeddings_keep_cosine_0_999_to_fp32() {
    let articles = crosscheck::read::ingest::read_drop(
        std::path::Path::new("data/seeds"),
        &Default::default(),
    )
    .unwrap()
    .articles;
    let (_, sentences, _) = crosscheck::pipeline::segment_all(
        &articles,
        crosscheck::read::segment::DEFAULT_MAX_SENTENCES,
        &indicatif::ProgressBar::hidden(),
    );
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let models = models();
    let embed = |precision| {
        let config = EmbedConfig {
            precision,
            ..EmbedConfig::default()
        };
        Embedder::new(&models, config)
            .unwrap()
            .embed(&texts, &ProgressBar::hidden())
            .unwrap()
    };
    let (fp32, bf16) = (embed(Precision::Fp32), embed(Precision::Bf16));
    let cosines: Vec<f32> = (0..texts.len())
        .map(|i| {
            let (a, b) = (fp32.row(i), bf16.row(i));
            let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
            dot / (norm(a) * norm(b))
        })
        .collect();
    let worst = cosines.iter().copied().fold(f32::MAX, f32::min);
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    println!(
        "bf16 vs fp32 embeddings, {} sentences: min cosine {worst:.5}, mean {mean:.5}",
        texts.len()
    );
    assert!(worst >= 0.999, "min cosine {worst}");
}

#[test]
fn bf16_nli_labels_match_fp32_on_99_percent_of_seed_pairs() {
    let models = models();
    let output = analyse(&RunConfig::new(
        PathBuf::from("data/seeds"),
        models.clone(),
        Progress { quiet: true },
    ))
    .unwrap();
    let inputs =
        crosscheck::pipeline::nli_inputs(&output.claims, output.pairs.iter().map(|p| &p.pair));
    let pairs = inputs.pairs();
    let bf16 = NliModel::new(
        &models,
        None,
        NliConfig {
            precision: Precision::Bf16,
            ..NliConfig::default()
        },
    )
    .unwrap()
    .predict_both_ways(&pairs, &ProgressBar::hidden())
    .unwrap();
    let config = VerdictConfig::default();
    let (mut same_argmax, mut same_verdict, mut worst) = (0, 0, 0f32);
    for (judged, (ab, ba)) in output.pairs.iter().zip(&bf16) {
        same_argmax += usize::from(judged.ab.argmax() == ab.argmax());
        same_argmax += usize::from(judged.ba.argmax() == ba.argmax());
        let before = decide(&judged.ab, &judged.ba, &config).label;
        same_verdict += usize::from(before == decide(ab, ba, &config).label);
        for (x, y) in [(judged.ab, *ab), (judged.ba, *ba)] {
            for d in [
                x.entailment - y.entailment,
                x.neutral - y.neutral,
                x.contradiction - y.contradiction,
            ] {
                worst = worst.max(d.abs());
            }
        }
    }
    let n = pairs.len();
    println!(
        "bf16 vs fp32 NLI, {n} seed pairs: argmax same {same_argmax}/{}, verdict same \
         {same_verdict}/{n}, max |probability difference| {worst:.4}",
        2 * n
    );
    assert!(n >= 100);
    assert!(same_argmax * 100 >= 99 * 2 * n, "{same_argmax}/{}", 2 * n);
    assert!(same_verdict * 100 >= 99 * n, "{same_verdict}/{n}");
}
