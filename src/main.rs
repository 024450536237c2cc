//! The `crosscheck` command line: parses arguments and calls the library.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crosscheck::embed::EmbedConfig;
use crosscheck::models::ModelDir;
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
    }
    Ok(())
}
