//! One criterion benchmark per heavy stage, on the seeds: segment, facts (typed values, then
//! frames, links and the fact table), embed, align, NLI. `make bench` runs it next to the
//! end-to-end timings; the models run at the precision the CLI would choose on this CPU
//! (measured, `crosscheck::models::calibration`).
//!
//! Each stage is timed on the real output of the stages before it, computed once up front.

use criterion::{criterion_group, criterion_main, Criterion};
use indicatif::ProgressBar;
use std::time::Duration;

use crosscheck::io::progress::Progress;
use crosscheck::judging::nli::{NliConfig, NliModel};
use crosscheck::matching::align::candidate_pairs;
use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::{calibration, ModelDir};
use crosscheck::pipeline::{
    anchor_kinds, nli_inputs, per_claim, segment_all, typed_mentions, value_vectors, RunConfig,
};
use crosscheck::read::claims::split_all;
use crosscheck::read::ingest::read_drop;
use crosscheck::values::participants::Participants;

/// NLI is timed on this many candidate pairs (both directions), a slice of the seeds' pairs:
/// enough for stable figures in a few seconds per sample.
const NLI_PAIRS: usize = 48;

fn stages(c: &mut Criterion) {
    let models = ModelDir::new(ModelDir::default_location());
    let drop = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/seeds");
    let config = RunConfig::new(drop, models.clone(), Progress { quiet: true });
    let paths = calibration::measured_paths(&models, &Progress { quiet: true })
        .expect("the precision paths are measured");
    let hidden = ProgressBar::hidden();

    let articles = read_drop(&config.drop, &config.ingest)
        .expect("the seeds are readable")
        .articles;
    c.bench_function("segment", |b| {
        b.iter(|| {
            segment_all(
                &articles,
                crosscheck::read::segment::DEFAULT_MAX_SENTENCES,
                &indicatif::ProgressBar::hidden(),
            )
        })
    });
    let (_, sentences, _) = segment_all(
        &articles,
        crosscheck::read::segment::DEFAULT_MAX_SENTENCES,
        &indicatif::ProgressBar::hidden(),
    );
    let claims = split_all(&sentences);

    c.bench_function("facts/typed_values", |b| {
        b.iter(|| typed_mentions(&articles, &sentences))
    });
    let mentions = typed_mentions(&articles, &sentences);
    let claim_mentions = per_claim(&sentences, &claims, &mentions);

    let embedder = Embedder::new(
        &models,
        EmbedConfig {
            precision: paths.embed.precision,
            ..EmbedConfig::default()
        },
    )
    .expect("make models fetches e5");
    let texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
    let mut slow = c.benchmark_group("models");
    slow.sample_size(10)
        .measurement_time(Duration::from_secs(20));
    slow.bench_function(
        format!("embed/{} claims/{}", texts.len(), paths.embed.precision),
        |b| b.iter(|| embedder.embed(&texts, &hidden).expect("embeds")),
    );
    let embeddings = embedder.embed(&texts, &hidden).expect("embeds");

    let claim_articles: Vec<usize> = claims.iter().map(|c| c.article).collect();
    let anchors = anchor_kinds(&claim_mentions);
    let pairs = candidate_pairs(&claim_articles, &embeddings, &anchors, &config.align);

    let nli = NliModel::new(
        &models,
        None,
        NliConfig {
            precision: paths.nli.precision,
            ..NliConfig::default()
        },
    )
    .expect("make models fetches the NLI model");
    let inputs = nli_inputs(&claims, pairs.iter().take(NLI_PAIRS));
    let inputs = inputs.pairs();
    slow.bench_function(
        format!(
            "nli/{} pairs both ways/{}",
            inputs.len(),
            paths.nli.precision
        ),
        |b| b.iter(|| nli.predict_both_ways(&inputs, &hidden).expect("predicts")),
    );
    slow.finish();

    c.bench_function("align", |b| {
        b.iter(|| candidate_pairs(&claim_articles, &embeddings, &anchors, &config.align))
    });

    let participants = Participants::new(&sentences);
    let values = crosscheck::values::frames::value_mentions(
        &sentences,
        &claims,
        &claim_mentions,
        &participants,
    );
    let frames: Vec<&str> = values.iter().map(|v| v.frame.as_str()).collect();
    let framed = embedder.embed(&frames, &hidden).expect("embeds");
    let similarity = value_vectors(&framed, &embeddings, &values);
    c.bench_function("facts/frames_links_table", |b| {
        b.iter(|| {
            let participants = Participants::new(&sentences);
            let values = crosscheck::values::frames::value_mentions(
                &sentences,
                &claims,
                &claim_mentions,
                &participants,
            );
            let links = crosscheck::fact_table::links(&values, &similarity, &config.facts);
            crosscheck::fact_table::build(&values, &links, &articles)
        })
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
