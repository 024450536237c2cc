//! `crosscheck eval-nli`: an NLI model on the held-out sets in data/nli/eval.

use anyhow::Result;
use std::path::PathBuf;

use crosscheck::judging::nli::eval::{evaluate_sets, markdown_table};
use crosscheck::judging::nli::{NliConfig, NliModel};

use super::Shared;

/// The options of `crosscheck eval-nli`.
#[derive(clap::Args)]
pub struct EvalNliArgs {
    /// Folder of evaluation sets.
    #[arg(long, default_value = "data/nli/eval")]
    pub eval_dir: PathBuf,
    /// Only these sets (file stems, e.g. xnli-test); default all.
    #[arg(long)]
    pub set: Vec<String>,
    /// At most this many pairs per set and language (quick checks).
    #[arg(long)]
    pub limit: Option<usize>,
    /// CSV of the results.
    #[arg(long, default_value = "reports/nli-eval.csv")]
    pub out: PathBuf,
}

/// Scores the model, prints a Markdown table and writes the CSV.
pub fn eval_nli(args: EvalNliArgs, shared: &Shared) -> Result<()> {
    let model = NliModel::new(
        &shared.model_dir()?,
        shared.nli_checkpoint.as_deref(),
        NliConfig {
            precision: shared.paths()?.nli.precision,
            ..NliConfig::default()
        },
    )?;
    let rows = evaluate_sets(
        &model,
        &args.eval_dir,
        &args.set,
        args.limit,
        &shared.progress,
    )?;
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let csv_rows: Vec<_> = rows.iter().map(|r| r.csv()).collect();
    crosscheck::io::write_csv(&args.out, &csv_rows)?;
    print!("{}", markdown_table(&rows));
    Ok(())
}
