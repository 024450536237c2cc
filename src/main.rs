//! The `crosscheck` command line: parses arguments and calls the library.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crosscheck::embed::EmbedConfig;
use crosscheck::models::ModelDir;
use crosscheck::nli::eval::{evaluate_sets, markdown_table};
use crosscheck::nli::train::TrainConfig;
use crosscheck::nli::{NliConfig, NliModel};
use crosscheck::pipeline::{run, RunConfig};
use crosscheck::progress::Progress;

/// Cross-checks a drop of news articles written in different languages: embeds every sentence
/// in one multilingual space, pairs the sentences that state the same fact across articles, and
/// writes CSV reports.
#[derive(Parser)]
#[command(name = "crosscheck", version, about, long_about = None)]
struct Cli {
    /// Folder with the model files (fetched by `make models`).
    #[arg(long, global = true, default_value_os_t = ModelDir::default_location())]
    models: PathBuf,
    /// CPU threads for the models (default: all cores).
    #[arg(long, global = true)]
    threads: Option<i32>,
    /// No progress bars; only warnings, errors and the final summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the whole pipeline on a folder of articles (.txt, .md) and writes the reports to
    /// <out>/<folder name>/: sentences.csv lists every sentence with its language, offsets and
    /// nearest sentence in another article.
    Run {
        /// The folder of articles.
        drop: PathBuf,
        /// Where report folders are created.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// Sentences per embedding batch.
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
    },
    /// Fine-tunes crosscheck's NLI cross-encoder (e5-small + 3-way head) on data/nli/train;
    /// checkpoints every few minutes and resumes from --checkpoint-dir when run again.
    TrainNli {
        /// Training pairs.
        #[arg(long, default_value = "data/nli/train.jsonl.gz")]
        train: PathBuf,
        /// Model-selection pairs.
        #[arg(long, default_value = "data/nli/dev.jsonl.gz")]
        dev: PathBuf,
        /// Checkpoints; kept outside the work tree so they survive a fresh checkout.
        #[arg(long, default_value_os_t = default_checkpoint_dir())]
        checkpoint_dir: PathBuf,
        /// Where the best model (by dev accuracy) is written.
        #[arg(long, default_value = "models/nli/crosscheck-nli-e5s.safetensors")]
        export: PathBuf,
        #[arg(long, default_value_t = 2)]
        epochs: usize,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        #[arg(long, default_value_t = 5e-5)]
        learning_rate: f64,
        #[arg(long, default_value_t = 0.06)]
        warmup_fraction: f64,
        #[arg(long, default_value_t = 0.01)]
        weight_decay: f64,
        #[arg(long, default_value_t = 128)]
        max_tokens: usize,
        #[arg(long, default_value_t = 20251)]
        seed: u64,
        /// Minutes between checkpoints.
        #[arg(long, default_value_t = 10.0)]
        checkpoint_minutes: f64,
        /// Steps between dev evaluations (and exports of a better model).
        #[arg(long, default_value_t = 500)]
        eval_every: usize,
        /// Stop after this many minutes (after a checkpoint); run again to resume.
        #[arg(long)]
        max_minutes: Option<f64>,
    },
    /// Scores an NLI model on the held-out sets in data/nli/eval: accuracy and per-class F1 per
    /// set and language, printed as a Markdown table and written to --out as CSV.
    EvalNli {
        /// Folder of evaluation sets.
        #[arg(long, default_value = "data/nli/eval")]
        eval_dir: PathBuf,
        /// Only these sets (file stems, e.g. xnli-test); default all.
        #[arg(long)]
        set: Vec<String>,
        /// At most this many pairs per set and language (quick checks).
        #[arg(long)]
        limit: Option<usize>,
        /// CSV of the results.
        #[arg(long, default_value = "reports/nli-eval.csv")]
        out: PathBuf,
    },
}

fn default_checkpoint_dir() -> PathBuf {
    let cache = std::env::var_os("CROSSCHECK_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("crosscheck")))
        .or_else(|| std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/crosscheck")))
        .unwrap_or_else(|| PathBuf::from(".cache/crosscheck"));
    cache.join("nli-train")
}

fn main() {
    if let Err(e) = real_main() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let cli = Cli::parse();
    if let Some(threads) = cli.threads {
        tch::set_num_threads(threads);
    }
    let progress = Progress { quiet: cli.quiet };
    match cli.command {
        Command::Run {
            drop,
            out,
            batch_size,
        } => {
            let config = RunConfig {
                drop,
                out,
                models: ModelDir::new(cli.models),
                embed: EmbedConfig {
                    batch_size,
                    ..EmbedConfig::default()
                },
                progress,
            };
            let summary = run(&config)?;
            println!(
                "{} articles, {} sentences; {} files skipped; reports in {}",
                summary.articles,
                summary.sentences,
                summary.skipped.len(),
                summary.report_dir.display()
            );
        }
        Command::TrainNli {
            train,
            dev,
            checkpoint_dir,
            export,
            epochs,
            batch_size,
            learning_rate,
            warmup_fraction,
            weight_decay,
            max_tokens,
            seed,
            checkpoint_minutes,
            eval_every,
            max_minutes,
        } => {
            let config = TrainConfig {
                train,
                dev,
                checkpoint_dir,
                export,
                epochs,
                batch_size,
                learning_rate,
                warmup_fraction,
                weight_decay,
                max_tokens,
                seed,
                checkpoint_minutes,
                eval_every,
                max_minutes,
            };
            let best =
                crosscheck::nli::train::train(&ModelDir::new(cli.models), config, &progress)?;
            println!("best dev accuracy {:.4}", best);
        }
        Command::EvalNli {
            eval_dir,
            set,
            limit,
            out,
        } => {
            let model = NliModel::new(&ModelDir::new(cli.models), NliConfig::default())?;
            let rows = evaluate_sets(&model, &eval_dir, &set, limit, &progress)?;
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let csv_rows: Vec<_> = rows.iter().map(|r| r.csv()).collect();
            crosscheck::report::write_csv(&out, &csv_rows)?;
            print!("{}", markdown_table(&rows));
        }
    }
    Ok(())
}
