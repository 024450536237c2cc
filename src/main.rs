//! The `crosscheck` command line: parses arguments and calls the library.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crosscheck::align::AlignConfig;
use crosscheck::embed::EmbedConfig;
use crosscheck::models::ModelDir;
use crosscheck::nli::eval::{evaluate_sets, markdown_table};
use crosscheck::nli::train::TrainConfig;
use crosscheck::nli::{NliConfig, NliModel};
use crosscheck::pipeline::{run, RunConfig, RunOutput};
use crosscheck::progress::Progress;
use crosscheck::verdict::{Label, VerdictConfig};

/// Cross-checks a drop of news articles written in different languages: embeds every sentence
/// in one multilingual space, pairs the sentences that state the same fact across articles, and
/// writes CSV reports.
#[derive(Parser)]
#[command(name = "crosscheck", version, about, long_about = None)]
struct Cli {
    /// Folder with the model files (fetched by `make models`).
    #[arg(long, global = true, default_value_os_t = ModelDir::default_location())]
    models: PathBuf,
    /// A Hugging Face sequence-classification checkpoint folder (config.json with
    /// entailment/neutral/contradiction labels, model.safetensors or pytorch_model.bin,
    /// tokenizer.json; BERT, XLM-RoBERTa or DeBERTa-v2/v3) to use instead of crosscheck's own
    /// NLI model.
    #[arg(long, global = true)]
    nli_checkpoint: Option<PathBuf>,
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
    /// Runs the whole pipeline on a drop and writes the reports to <out>/<drop name>/:
    /// claims.csv (every sentence, kept or dropped as page furniture), pairs.csv (every
    /// candidate pair with NLI probabilities both ways and a verdict), conflicts.csv
    /// (contradictions and one-sided details, most important first), summary.csv (per article)
    /// and run.json (models, hashes, settings, timings). Exit status: 0 done (warnings may have
    /// been printed for skipped files), 1 error (nothing usable, or models missing), 2 usage.
    Run {
        /// A folder of articles (.txt, .md, optional `date:`/`lang:`/`url:`/`outlet:`/`title:`
        /// header lines) and/or manifests (.csv, .jsonl with those columns and `text`), or one
        /// manifest file.
        drop: PathBuf,
        /// Where report folders are created.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// Candidate pairs per sentence and other article (mutual top-k).
        #[arg(long, default_value_t = AlignConfig::default().top_k)]
        top_k: usize,
        /// Minimum cosine similarity of a candidate pair.
        #[arg(long, default_value_t = AlignConfig::default().min_similarity)]
        min_similarity: f32,
        /// Entailment probability at which a direction counts as entailed.
        #[arg(long, default_value_t = VerdictConfig::default().entailment)]
        entailment_threshold: f32,
        /// Contradiction probability at which a pair is a contradiction.
        #[arg(long, default_value_t = VerdictConfig::default().contradiction)]
        contradiction_threshold: f32,
        /// Print the time and throughput of every stage (what `make bench` shows).
        #[arg(long)]
        timings: bool,
    },
    /// Fine-tunes crosscheck's NLI cross-encoder (e5-small + 3-way head) on data/nli/train;
    /// checkpoints every few minutes and resumes from --checkpoint-dir when run again.
    TrainNli(TrainConfig),
    /// Measures the pairing (align stage) on gold sentence alignments and sweeps top-k and the
    /// similarity threshold: precision, recall and F1 of the candidate pairs.
    EvalAlign {
        /// Folder with de/, fr/ and gold/ (Text+Berg layout).
        #[arg(long, default_value = "data/align-eval/textberg-de-fr")]
        gold: PathBuf,
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
            top_k,
            min_similarity,
            entailment_threshold,
            contradiction_threshold,
            timings,
        } => {
            let config = RunConfig {
                drop,
                out,
                models: ModelDir::new(cli.models),
                embed: EmbedConfig::default(),
                align: AlignConfig {
                    top_k,
                    min_similarity,
                    ..AlignConfig::default()
                },
                nli: NliConfig::default(),
                nli_checkpoint: cli.nli_checkpoint,
                verdict: VerdictConfig {
                    entailment: entailment_threshold,
                    contradiction: contradiction_threshold,
                },
                progress,
            };
            let (report_dir, output) = run(&config)?;
            print_summary(&report_dir, &output);
            if timings {
                print_timings(&output);
            }
        }
        Command::TrainNli(config) => {
            let best =
                crosscheck::nli::train::train(&ModelDir::new(cli.models), config, &progress)?;
            println!("best dev accuracy {:.4}", best);
        }
        Command::EvalAlign { gold } => {
            let embedder = crosscheck::embed::Embedder::new(
                &ModelDir::new(cli.models),
                EmbedConfig::default(),
            )?;
            let thresholds: Vec<f32> = (0..=12).map(|i| 0.78 + 0.01 * i as f32).collect();
            let scores = crosscheck::align_eval::sweep(
                &embedder,
                &gold,
                &[1, 2, 3],
                &thresholds,
                &progress,
            )?;
            println!(
                "| top_k | min_similarity | precision | recall | F1 |\n|---:|---:|---:|---:|---:|"
            );
            for s in scores {
                println!(
                    "| {} | {:.2} | {:.3} | {:.3} | {:.3} |",
                    s.top_k, s.min_similarity, s.precision, s.recall, s.f1
                );
            }
        }
        Command::EvalNli {
            eval_dir,
            set,
            limit,
            out,
        } => {
            let model = NliModel::new(
                &ModelDir::new(cli.models),
                cli.nli_checkpoint.as_deref(),
                NliConfig::default(),
            )?;
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

/// The end-of-run summary: counts, and where the reports are.
fn print_summary(report_dir: &std::path::Path, output: &RunOutput) {
    let claims = output
        .sentences
        .iter()
        .filter(|s| s.dropped.is_none())
        .count();
    let count = |label: Label| {
        output
            .pairs
            .iter()
            .filter(|p| p.verdict.label == label)
            .count()
    };
    println!(
        "{} articles, {} sentences, {} claims, {} pairs: {} agreements, {} contradictions, {} one-sided details, {} related",
        output.articles.len(),
        output.sentences.len(),
        claims,
        output.pairs.len(),
        count(Label::Agree),
        count(Label::Contradict),
        count(Label::OneSidedDetail),
        count(Label::Related),
    );
    if !output.warnings.is_empty() {
        println!(
            "{} warnings (see above and run.json)",
            output.warnings.len()
        );
    }
    println!("reports in {}", report_dir.display());
}

/// Per-stage wall-clock time and throughput.
fn print_timings(output: &RunOutput) {
    println!("| stage | seconds | items | items/s |\n|---|---:|---:|---:|");
    for t in &output.timings {
        println!(
            "| {} | {:.2} | {} | {:.1} |",
            t.stage,
            t.seconds,
            t.items,
            t.items as f64 / t.seconds.max(1e-9)
        );
    }
    let total: f64 = output.timings.iter().map(|t| t.seconds).sum();
    println!("| total | {total:.2} | | |");
}
