//! `crosscheck eval-drop`: runs development drops and scores them against their gold files.

use anyhow::Result;
use std::path::PathBuf;

use crosscheck::judging::nli::NliConfig;
use crosscheck::matching::embed::EmbedConfig;
use crosscheck::pipeline::{analyse, RunConfig};

use super::Shared;

/// The options of `crosscheck eval-drop`.
#[derive(clap::Args)]
pub struct EvalDropArgs {
    /// Drop folders (e.g. data/dev/quake data/seeds).
    #[arg(required = true)]
    pub drops: Vec<PathBuf>,
    /// Folder of gold files, one per drop, named after the drop folder.
    #[arg(long, default_value = "data/gold")]
    pub gold_dir: PathBuf,
}

/// One scored row per drop, printed as a Markdown table.
pub fn eval_drops(args: EvalDropArgs, shared: &Shared) -> Result<()> {
    let models = shared.model_dir()?;
    let paths = shared.paths()?;
    let mut rows = Vec::new();
    for drop in &args.drops {
        let name = drop
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gold = crosscheck::eval::drop::read_gold(&args.gold_dir.join(format!("{name}.csv")))?;
        let config = RunConfig {
            embed: EmbedConfig {
                precision: paths.embed.precision,
                ..EmbedConfig::default()
            },
            nli: NliConfig {
                precision: paths.nli.precision,
                ..NliConfig::default()
            },
            precision_why: paths.reasons(),
            nli_checkpoint: shared.nli_checkpoint.clone(),
            ..RunConfig::new(drop.clone(), models.clone(), shared.progress)
        };
        let output = analyse(&config)?;
        let score = crosscheck::eval::drop::score(&output, &gold);
        rows.push(score.markdown(&name));
    }
    println!("{}", crosscheck::eval::drop::Score::markdown_header());
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
