//! The `crosscheck` binary: parses the command line and hands each subcommand to its file in
//! [`cli`].

mod cli;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crosscheck::io::progress::Progress;
use crosscheck::judging::nli::train::TrainConfig;
use crosscheck::models::Precision;

/// Cross-checks a drop of news articles written in different languages: embeds every sentence
/// in one multilingual space, pairs the sentences that state the same fact across articles, and
/// writes CSV reports.
#[derive(Parser)]
#[command(name = "crosscheck", version, about, long_about = None)]
struct Cli {
    /// Folder with the model files (fetched by `make models`). Default: `models/` beside the
    /// executable, else $CROSSCHECK_MODELS, else the checkout's `models/`.
    #[arg(long, global = true)]
    models: Option<PathBuf>,
    /// A Hugging Face sequence-classification checkpoint folder (config.json with
    /// entailment/neutral/contradiction labels, model.safetensors or pytorch_model.bin,
    /// tokenizer.json; BERT, XLM-RoBERTa or DeBERTa-v2/v3) to use instead of crosscheck's own
    /// NLI model.
    #[arg(long, global = true)]
    nli_checkpoint: Option<PathBuf>,
    /// CPU threads for the models (default: all cores; at least 1).
    #[arg(long, global = true, value_parser = clap::value_parser!(i32).range(1..=4096))]
    threads: Option<i32>,
    /// No progress bars; only warnings, errors and the final summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Number format of the models' weights and activations (pooling, logits and
    /// probabilities stay fp32). bf16 is faster on some CPUs with bf16 instructions and
    /// slower on others; on the seeds its embeddings keep a cosine of at least 0.9999 to
    /// fp32 and its NLI probabilities move by up to 0.03, which can change pairs at the
    /// similarity threshold. Default: measured once per machine (CPU model, threads,
    /// libtorch), a few seconds on a fixed workload kept in <models>/cache/paths-*.json; each
    /// stage runs the fastest path whose embeddings keep a cosine of 0.999 to fp32 and whose
    /// verdicts are fp32's (run.json and --timings say which ran and why). Imported
    /// --nli-checkpoint models run in fp32.
    #[arg(long, global = true, value_enum)]
    precision: Option<Precision>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the whole pipeline on a drop and writes the reports to <out>/<drop name>/:
    /// facts.csv (the drop's facts, one row per fact and value, with each fact's outcome:
    /// consensus, compatible, conflict, single_source), conflicts.csv (one row per discrepancy,
    /// most important first), claims.csv (every claim unit with the articles corroborating it,
    /// and the sentences dropped as page furniture), pairs.csv (every compared claim pair with
    /// NLI probabilities both ways and a verdict), summary.csv (per article), run.json (models, hashes, settings, timings) and index.html (one self-contained page for a browser: discrepancies, fact table, evidence; --no-html skips it). The report folder is replaced whole,
    /// only once the new reports are complete. Exit status: 0 done (warnings may have been
    /// printed for skipped files), 1 error (nothing usable, or models missing), 2 usage.
    Run(cli::run::RunArgs),
    /// Fine-tunes crosscheck's NLI cross-encoder (e5-small + 3-way head) on data/nli/train;
    /// checkpoints every few minutes and resumes from --checkpoint-dir when run again.
    TrainNli(TrainConfig),
    /// Measures the pairing (align stage) on gold sentence alignments and sweeps top-k and the
    /// similarity threshold: precision, recall and F1 of the candidate pairs.
    EvalAlign(cli::eval_align::EvalAlignArgs),
    /// Runs the pipeline on development drops and scores the reports against their gold files
    /// of labelled fact pairs (data/gold/README.md): pairs right per label, precision of the
    /// reported agreements, discrepancies and single-source facts, and how many of the first
    /// 10 and 20 discrepancy rows are real. Prints a Markdown table.
    EvalDrop(cli::eval_drop::EvalDropArgs),
    /// The claim archive that `run` keeps (<out>/archive.sqlite, or --archive): `stats`,
    /// `verify`, `export`, `prune`.
    #[command(subcommand)]
    Archive(cli::archive::ArchiveCommand),
    /// Queues drops for the workers of a PostgreSQL archive: one job per drop, its reports to
    /// be written to <out>/<drop name>/ (paths are stored absolute: on several machines, mount
    /// the drops and the output at the same paths). A drop already queued or running for that
    /// folder is not queued twice.
    Enqueue(cli::enqueue::EnqueueArgs),
    /// Takes queued drops from a PostgreSQL archive and processes them one at a time, as `run`
    /// would (same settings for every job), renewing its lease on the job every third of
    /// --lease; a job whose worker stopped renewing is taken again by another. Runs until
    /// stopped, or with --drain until no job is queued or running.
    Worker(cli::worker::WorkerArgs),
    /// Lists the languages crosscheck knows: the codes a `lang:` header or column takes, and
    /// whether numbers and dates are read in each.
    Languages,
    /// Scores an NLI model on the held-out sets in data/nli/eval: accuracy and per-class F1 per
    /// set and language, printed as a Markdown table and written to --out as CSV.
    EvalNli(cli::eval_nli::EvalNliArgs),
    /// Prints the article crosscheck reads from saved web pages (.html, .htm, .html.gz): the
    /// main text (menus, ads, share buttons, cookie and paywall notices, related links,
    /// comments and captions left out) under header lines from the page's metadata (title,
    /// date, lang, url, outlet), as a .txt article; --json for the extraction benchmark.
    Extract(cli::extract::ExtractArgs),
    /// Saves the pages of a links file (one URL a line, or a CSV with a url column) into a
    /// drop folder as .html, with the response's date, content type and final URL, so that
    /// `run` reads them offline and a rerun of fetch fetches only what is missing. Timeout,
    /// size cap, redirect limit, a few requests at a time and one at a time per host; a link
    /// that fails is a warning naming it.
    Fetch(cli::fetch::FetchArgs),
}

fn main() {
    // A closed stdout (`crosscheck run ... | head`) ends the process quietly, as for any Unix
    // filter, instead of a panic in `println!`.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Ctrl-C and SIGTERM remove the unfinished report folders before the process exits.
    if let Err(e) = crosscheck::io::interrupt::clean_up_on_signals() {
        eprintln!("warning: Ctrl-C will not remove unfinished reports ({e}); the next run does");
    }
    let cli = Cli::parse();
    if let Err(e) = real_main(cli) {
        eprintln!("error: {e:#}");
        let usage = e.downcast_ref::<cli::Usage>().is_some();
        std::process::exit(if usage { 2 } else { 1 });
    }
}

/// Sets the process-wide options and runs the subcommand.
fn real_main(cli: Cli) -> Result<()> {
    if let Some(threads) = cli.threads {
        tch::set_num_threads(threads);
    }
    let shared = cli::Shared {
        models: cli.models,
        nli_checkpoint: cli.nli_checkpoint,
        precision: cli.precision,
        paths: std::sync::OnceLock::new(),
        progress: Progress { quiet: cli.quiet },
    };
    match cli.command {
        Command::Run(args) => cli::run::run(args, &shared),
        Command::Enqueue(args) => cli::enqueue::enqueue(args),
        Command::Worker(args) => cli::worker::worker(args, &shared),
        Command::TrainNli(config) => cli::train_nli::train_nli(config, &shared),
        Command::EvalAlign(args) => cli::eval_align::eval_align(args, &shared),
        Command::Archive(command) => cli::archive::archive(command),
        Command::EvalDrop(args) => cli::eval_drop::eval_drops(args, &shared),
        Command::EvalNli(args) => cli::eval_nli::eval_nli(args, &shared),
        Command::Extract(args) => cli::extract::extract(args, &shared.progress),
        Command::Fetch(args) => cli::fetch::fetch(args, &shared.progress),
        Command::Languages => {
            cli::languages::languages();
            Ok(())
        }
    }
}
