//! `crosscheck eval-align`: the pairing stage on gold sentence alignments, swept over top-k
//! and the similarity threshold.

use anyhow::Result;
use std::path::PathBuf;

use crosscheck::matching::embed::EmbedConfig;

use super::Shared;

/// The options of `crosscheck eval-align`.
#[derive(clap::Args)]
pub struct EvalAlignArgs {
    /// Folder with de/, fr/ and gold/ (Text+Berg layout).
    #[arg(long, default_value = "data/align-eval/textberg-de-fr")]
    pub gold: PathBuf,
}

/// Prints precision, recall and F1 of the candidate pairs for each setting.
pub fn eval_align(args: EvalAlignArgs, shared: &Shared) -> Result<()> {
    let models = &shared.model_dir()?;
    let config = EmbedConfig {
        precision: shared.paths()?.embed.precision,
        ..EmbedConfig::default()
    };
    let embedder = crosscheck::matching::embed::Embedder::new(models, config)?;
    let thresholds: Vec<f32> = (0..=12).map(|i| 0.78 + 0.01 * i as f32).collect();
    let scores = crosscheck::eval::align::sweep(
        &embedder,
        &args.gold,
        &[1, 2, 3],
        &thresholds,
        &shared.progress,
    )?;
    println!("| top_k | min_similarity | precision | recall | F1 |\n|---:|---:|---:|---:|---:|");
    for s in scores {
        println!(
            "| {} | {:.2} | {:.3} | {:.3} | {:.3} |",
            s.top_k, s.min_similarity, s.precision, s.recall, s.f1
        );
    }
    Ok(())
}
