//! `crosscheck eval-drop`: runs development drops and scores them against their gold files.

use anyhow::Result;
use std::path::PathBuf;

use crosscheck::judging::nli::NliConfig;
use crosscheck::matching::embed::EmbedConfig;
use crosscheck::pipeline::{analyse, analyse_with, RunConfig, RunOutput};
use crosscheck::store::archive::{ArchiveStore, Location, RunRecord};
use crosscheck::store::cache::Caches;

use super::Shared;
use crosscheck::io::write_csv;

/// The options of `crosscheck eval-drop`.
#[derive(clap::Args)]
pub struct EvalDropArgs {
    /// Drop folders (e.g. data/dev/quake data/seeds).
    #[arg(required = true)]
    pub drops: Vec<PathBuf>,
    /// Folder of gold files, one per drop, named after the drop folder.
    #[arg(long, default_value = "data/gold")]
    pub gold_dir: PathBuf,
    /// Also write, per drop, `<drop>.rows.csv` (each gold row: right or not, the values read
    /// in its quotes and the fact each joined) and `<drop>.top.csv` (each discrepancy row with
    /// the gold conflict it matches) into this folder.
    #[arg(long)]
    pub rows: Option<PathBuf>,
    /// Look embeddings and NLI results up in this archive (an SQLite file or a postgresql://
    /// URL) and store the ones computed, so that scoring a change of the fact table again
    /// takes seconds. Earlier drops in it are not compared: scores do not depend on it.
    #[arg(long)]
    pub archive: Option<PathBuf>,
}

/// One scored row per drop, printed as a Markdown table.
pub fn eval_drops(args: EvalDropArgs, shared: &Shared) -> Result<()> {
    let models = shared.model_dir()?;
    let paths = shared.paths()?;
    let mut rows = Vec::new();
    let mut archive = args
        .archive
        .as_ref()
        .map(|given| crosscheck::store::archive::open(&Location::parse(given)))
        .transpose()?;
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
        let output = match &mut archive {
            Some(archive) => cached(archive.as_mut(), &config)?,
            None => analyse(&config)?,
        };
        let score = crosscheck::eval::drop::score(&output, &gold);
        if let Some(dir) = &args.rows {
            use crosscheck::eval::explain;
            std::fs::create_dir_all(dir)?;
            write_csv(
                &dir.join(format!("{name}.rows.csv")),
                &explain::rows(&output, &gold),
            )?;
            write_csv(
                &dir.join(format!("{name}.top.csv")),
                &explain::top(&output, &gold),
            )?;
        }
        rows.push(score.markdown(&name));
    }
    println!("{}", crosscheck::eval::drop::Score::markdown_header());
    for row in rows {
        println!("{row}");
    }
    Ok(())
}

/// Runs one drop with its model results looked up in (and added to) `archive`.
fn cached(archive: &mut dyn ArchiveStore, config: &RunConfig) -> Result<RunOutput> {
    let started = super::now();
    let cache = archive.cache();
    let caches = Caches {
        embeddings: Some(&cache),
        nli: Some(&cache),
    };
    let output = analyse_with(config, caches, None)?;
    let pending = cache.into_pending();
    archive.record(RunRecord {
        config,
        output: &output,
        pending,
        started: &started,
        finished: &super::now(),
    })?;
    Ok(output)
}
