//! The `crosscheck` command line: parses and checks arguments, runs the library, chooses the
//! report sinks, prints warnings and the summary. Exit status: 0 done, 1 error, 2 usage.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

use crosscheck::align::AlignConfig;
use crosscheck::archive::{ArchiveStore, Cutoff, Job, Location, Pending, PgArchive, RunRecord};
use crosscheck::cache::Caches;
use crosscheck::domain::{FactOutcome, LabelCounts, SameEvent};
use crosscheck::earlier::EarlierConfig;
use crosscheck::embed::EmbedConfig;
use crosscheck::fact_table::LinkConfig;
use crosscheck::ingest::IngestConfig;
use crosscheck::io::ReportSet;
use crosscheck::models::{ModelDir, Precision};
use crosscheck::nli::eval::{evaluate_sets, markdown_table};
use crosscheck::nli::train::TrainConfig;
use crosscheck::nli::{NliConfig, NliModel};
use crosscheck::pipeline::{analyse, analyse_with, RunConfig, RunOutput};
use crosscheck::progress::Progress;
use crosscheck::report::{CsvReports, HtmlReport, Report, ReportSink};
use crosscheck::verdict::VerdictConfig;

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
    /// CPU threads for the models (default: all cores; at least 1).
    #[arg(long, global = true, value_parser = clap::value_parser!(i32).range(1..=4096))]
    threads: Option<i32>,
    /// No progress bars; only warnings, errors and the final summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Number format of the models' weights and activations (pooling, logits and
    /// probabilities stay fp32). bf16 is faster on CPUs with bf16 instructions; on the seeds
    /// its embeddings keep a cosine of at least 0.9999 to fp32 and its NLI probabilities
    /// move by up to 0.03, which can change pairs at the similarity threshold. Default: bf16
    /// where /proc/cpuinfo lists avx512_bf16 or amx_bf16, else fp32. Imported
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
    Run(RunArgs),
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
    /// Runs the pipeline on development drops and scores the reports against their gold files
    /// of labelled fact pairs (data/gold/README.md): pairs right per label, precision of the
    /// reported agreements, discrepancies and single-source facts, and how many of the first
    /// 10 and 20 discrepancy rows are real. Prints a Markdown table.
    EvalDrop {
        /// Drop folders (e.g. data/dev/quake data/seeds).
        #[arg(required = true)]
        drops: Vec<PathBuf>,
        /// Folder of gold files, one per drop, named after the drop folder.
        #[arg(long, default_value = "data/gold")]
        gold_dir: PathBuf,
    },
    /// The claim archive that `run` keeps (<out>/archive.sqlite, or --archive): `stats`,
    /// `verify`, `export`, `prune`.
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Queues drops for the workers of a PostgreSQL archive: one job per drop, its reports to
    /// be written to <out>/<drop name>/ (paths are stored absolute: on several machines, mount
    /// the drops and the output at the same paths). A drop already queued or running for that
    /// folder is not queued twice.
    Enqueue {
        /// Drop folders (or manifest files).
        #[arg(required = true)]
        drops: Vec<PathBuf>,
        /// Where report folders are created.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// The PostgreSQL archive (postgresql://USER@HOST/DATABASE; see README "Archive").
        #[arg(long)]
        archive: PathBuf,
    },
    /// Takes queued drops from a PostgreSQL archive and processes them one at a time, as `run`
    /// would (same settings for every job), renewing its lease on the job every third of
    /// --lease; a job whose worker stopped renewing is taken again by another. Runs until
    /// stopped, or with --drain until no job is queued or running.
    Worker(WorkerArgs),
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

/// The subcommands of `crosscheck archive`.
#[derive(Subcommand)]
enum ArchiveCommand {
    /// Rows per table, schema version and size on disk.
    Stats {
        /// The archive file or postgresql:// URL.
        #[arg(default_value = DEFAULT_ARCHIVE)]
        path: PathBuf,
    },
    /// SQLite's integrity check (PostgreSQL: its indexes), the schema version and the foreign
    /// keys; exit status 1 when something is wrong.
    Verify {
        /// The archive file or postgresql:// URL.
        #[arg(default_value = DEFAULT_ARCHIVE)]
        path: PathBuf,
    },
    /// Writes every table as JSON Lines (<table>.jsonl, rows in key order) into a new folder;
    /// the same archive always gives the same files.
    Export {
        /// The archive file or postgresql:// URL.
        #[arg(default_value = DEFAULT_ARCHIVE)]
        path: PathBuf,
        /// The folder to create (it must not exist, or be empty).
        #[arg(long)]
        to: PathBuf,
    },
    /// Removes the runs started before --before, with their facts, the articles no remaining
    /// run read (and their claims), and the model results no remaining run computed or used;
    /// in one transaction.
    Prune {
        /// The archive file or postgresql:// URL.
        #[arg(default_value = DEFAULT_ARCHIVE)]
        path: PathBuf,
        /// YYYY-MM-DD (midnight UTC) or an RFC 3339 time.
        #[arg(long)]
        before: String,
    },
}

/// Where `run` keeps its archive with the default --out.
const DEFAULT_ARCHIVE: &str = "reports/archive.sqlite";

/// The options of `crosscheck run`.
#[derive(clap::Args)]
struct RunArgs {
    /// A folder of articles (.txt, .md, optional `date:`/`lang:`/`url:`/`outlet:`/`title:`
    /// header lines) and/or manifests (.csv, .jsonl with those columns and `text`), or one
    /// manifest file.
    drop: PathBuf,
    /// Where report folders are created (not the drop itself, nor a folder inside it).
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// The claim archive to keep the run in and to look model results up in: an SQLite file,
    /// or a postgresql:// URL (default: <out>/archive.sqlite).
    #[arg(long, conflicts_with = "no_archive")]
    archive: Option<PathBuf>,
    /// Keep no archive: every model result is computed, nothing is stored.
    #[arg(long)]
    no_archive: bool,
    #[command(flatten)]
    settings: RunSettings,
}

/// The options of `crosscheck worker`.
#[derive(clap::Args)]
struct WorkerArgs {
    /// The PostgreSQL archive whose queue to take jobs from.
    #[arg(long)]
    archive: PathBuf,
    /// Seconds a job stays this worker's without a renewal (at least 1); renewed every third
    /// of it.
    #[arg(long, default_value_t = 60.0, value_parser = lease_seconds)]
    lease: f64,
    /// Seconds between looks at an empty queue.
    #[arg(long, default_value_t = 2.0, value_parser = positive_seconds)]
    poll: f64,
    /// Stop once no job is queued or running.
    #[arg(long)]
    drain: bool,
    #[command(flatten)]
    settings: RunSettings,
}

/// The pipeline's settings, shared by `run` and `worker`.
#[derive(clap::Args, Clone)]
struct RunSettings {
    /// Candidate pairs per claim over the whole drop (mutual top-k); at least 1.
    #[arg(long, default_value_t = AlignConfig::default().top_k, value_parser = at_least_one)]
    top_k: usize,
    /// Minimum cosine similarity of a candidate pair, -1 to 1.
    #[arg(long, default_value_t = AlignConfig::default().min_similarity, value_parser = cosine)]
    min_similarity: f32,
    /// Entailment probability at which a direction counts as entailed, 0 to 1.
    #[arg(long, default_value_t = VerdictConfig::default().entailment, value_parser = probability)]
    entailment_threshold: f32,
    /// Contradiction probability at which a pair is a contradiction, 0 to 1.
    #[arg(long, default_value_t = VerdictConfig::default().contradiction, value_parser = probability)]
    contradiction_threshold: f32,
    /// At most this many candidate pairs are judged (the most similar); the rest are cut with
    /// a warning.
    #[arg(long, default_value_t = AlignConfig::default().max_pairs, value_parser = at_least_one)]
    max_pairs: usize,
    /// Files larger than this many megabytes are skipped with a warning.
    #[arg(long, default_value_t = IngestConfig::default().max_file_bytes as f64 / 1e6, value_parser = positive_megabytes)]
    max_file_mb: f64,
    /// Print the time and throughput of every stage (what `make bench` shows).
    #[arg(long)]
    timings: bool,
    /// Do not write index.html, the report page for a browser.
    #[arg(long)]
    no_html: bool,
    /// Do not compare the drop with articles of earlier drops in the archive.
    #[arg(long)]
    no_earlier: bool,
    /// Days before the drop's earliest date that an earlier drop's article may be dated and
    /// still count as the same story.
    #[arg(long, default_value_t = EarlierConfig::default().window_days, value_parser = days)]
    earlier_days: i64,
    /// Cosine similarity an archived claim needs to match one of the drop's, -1 to 1.
    #[arg(long, default_value_t = EarlierConfig::default().min_similarity, value_parser = cosine)]
    earlier_min_similarity: f32,
    /// Claims of the drop that must match an archived article for it to join the run.
    #[arg(long, default_value_t = EarlierConfig::default().min_matches, value_parser = at_least_one)]
    earlier_min_matches: usize,
    /// At most this many articles of earlier drops join a run (those with the most matches).
    #[arg(long, default_value_t = EarlierConfig::default().max_articles)]
    earlier_max: usize,
    /// Pairs with claims of earlier drops kept per claim of the drop (the most similar).
    #[arg(long, default_value_t = EarlierConfig::default().per_claim, value_parser = at_least_one)]
    earlier_per_claim: usize,
    /// Archived claims in the story's window from which a PostgreSQL archive narrows the
    /// look-up of earlier drops through its HNSW index (approximate) instead of reading them
    /// all (exact).
    #[arg(long, default_value_t = EarlierConfig::default().index_from)]
    earlier_index_from: usize,
}

fn days(s: &str) -> Result<i64, String> {
    match s.parse::<i64>() {
        Ok(n) if (0..=36_500).contains(&n) => Ok(n),
        _ => Err(format!(
            "{s:?} is not a whole number of days from 0 to 36500"
        )),
    }
}

fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?} is not a whole number of at least 1")),
    }
}

fn in_range(s: &str, low: f32, high: f32) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if (low..=high).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not a number from {low} to {high}")),
    }
}

fn probability(s: &str) -> Result<f32, String> {
    in_range(s, 0.0, 1.0)
}

fn cosine(s: &str) -> Result<f32, String> {
    in_range(s, -1.0, 1.0)
}

fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x < 1e9 => Ok(x),
        _ => Err(format!("{s:?} is not a positive number of seconds")),
    }
}

fn lease_seconds(s: &str) -> Result<f64, String> {
    match positive_seconds(s) {
        Ok(x) if x >= 1.0 => Ok(x),
        _ => Err(format!("{s:?} is not a lease of at least 1 second")),
    }
}

fn positive_megabytes(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("{s:?} is not a positive number of megabytes")),
    }
}

/// A command-line problem found after parsing: exit status 2, like clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

fn main() {
    // A closed stdout (`crosscheck run ... | head`) ends the process quietly, as for any Unix
    // filter, instead of a panic in `println!`.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    if let Err(e) = real_main(cli) {
        eprintln!("error: {e:#}");
        let usage = e.downcast_ref::<Usage>().is_some();
        std::process::exit(if usage { 2 } else { 1 });
    }
}

fn real_main(cli: Cli) -> Result<()> {
    if let Some(threads) = cli.threads {
        tch::set_num_threads(threads);
    }
    let progress = Progress { quiet: cli.quiet };
    let models = ModelDir::new(cli.models);
    let precision = cli.precision.unwrap_or_else(Precision::detect);
    let shared = Models {
        dir: models.clone(),
        nli_checkpoint: cli.nli_checkpoint.clone(),
        precision,
        progress,
    };
    match cli.command {
        Command::Run(args) => run(args, &shared),
        Command::Enqueue {
            drops,
            out,
            archive,
        } => enqueue(&drops, &out, &archive),
        Command::Worker(args) => worker(args, &shared),
        Command::TrainNli(config) => {
            let best = crosscheck::nli::train::train(&models, config, &progress)?;
            println!("best dev accuracy {best:.4}");
            Ok(())
        }
        Command::EvalAlign { gold } => eval_align(&models, &gold, precision, &progress),
        Command::Archive(command) => archive(command),
        Command::EvalDrop { drops, gold_dir } => eval_drops(
            &drops,
            &gold_dir,
            models,
            cli.nli_checkpoint,
            precision,
            progress,
        ),
        Command::EvalNli {
            eval_dir,
            set,
            limit,
            out,
        } => {
            let model = NliModel::new(
                &models,
                cli.nli_checkpoint.as_deref(),
                NliConfig {
                    precision,
                    ..NliConfig::default()
                },
            )?;
            let rows = evaluate_sets(&model, &eval_dir, &set, limit, &progress)?;
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let csv_rows: Vec<_> = rows.iter().map(|r| r.csv()).collect();
            crosscheck::io::write_csv(&out, &csv_rows)?;
            print!("{}", markdown_table(&rows));
            Ok(())
        }
    }
}

/// The model settings every run of this process shares.
struct Models {
    dir: ModelDir,
    nli_checkpoint: Option<PathBuf>,
    precision: Precision,
    progress: Progress,
}

/// The pipeline's configuration for `drop`.
fn run_config(drop: PathBuf, settings: &RunSettings, models: &Models) -> RunConfig {
    RunConfig {
        drop,
        models: models.dir.clone(),
        ingest: IngestConfig {
            max_file_bytes: (settings.max_file_mb * 1e6) as u64,
        },
        embed: EmbedConfig {
            precision: models.precision,
            ..EmbedConfig::default()
        },
        align: AlignConfig {
            top_k: settings.top_k,
            min_similarity: settings.min_similarity,
            max_pairs: settings.max_pairs,
            ..AlignConfig::default()
        },
        nli: NliConfig {
            precision: models.precision,
            ..NliConfig::default()
        },
        nli_checkpoint: models.nli_checkpoint.clone(),
        verdict: VerdictConfig {
            entailment: settings.entailment_threshold,
            contradiction: settings.contradiction_threshold,
        },
        facts: LinkConfig::default(),
        earlier: EarlierConfig {
            enabled: !settings.no_earlier,
            window_days: settings.earlier_days,
            min_similarity: settings.earlier_min_similarity,
            min_matches: settings.earlier_min_matches,
            max_articles: settings.earlier_max,
            per_claim: settings.earlier_per_claim,
            index_from: settings.earlier_index_from,
            ..EarlierConfig::default()
        },
        progress: models.progress,
    }
}

/// Runs the pipeline (through the archive's caches, when there is one) and writes the reports
/// into the staging folder of `set`; returns the output and the model results to record.
fn analyse_into(
    config: &RunConfig,
    archive: Option<&dyn ArchiveStore>,
    set: &ReportSet,
    no_html: bool,
) -> Result<(RunOutput, Option<Pending>)> {
    let (output, pending) = match archive {
        Some(archive) => {
            let cache = archive.cache();
            let caches = Caches {
                embeddings: Some(&cache),
                nli: Some(&cache),
            };
            let output = analyse_with(config, caches, Some(&cache))?;
            (output, Some(cache.into_pending()))
        }
        None => (analyse(config)?, None),
    };
    let report = Report {
        config,
        output: &output,
    };
    let mut sinks: Vec<Box<dyn ReportSink>> = vec![Box::new(CsvReports::new(set.staging().into()))];
    if !no_html {
        sinks.push(Box::new(HtmlReport::new(set.staging().into())));
    }
    for sink in &sinks {
        sink.write(&report)?;
    }
    Ok((output, pending))
}

/// `crosscheck run`: checks the output folder first (before any model is loaded), runs the
/// pipeline, writes the reports into a fresh folder, records the run and swaps the reports in
/// whole.
fn run(args: RunArgs, models: &Models) -> Result<()> {
    let target = report_dir(&args.out, &args.drop)?;
    let set = ReportSet::begin(&target)?;
    let started = now();
    let mut archive = match (&args.archive, args.no_archive) {
        (_, true) => None,
        (Some(given), false) => Some(crosscheck::archive::open(&Location::parse(given))?),
        (None, false) => Some(crosscheck::archive::open(&Location::Sqlite(
            absolute(&args.out).join("archive.sqlite"),
        ))?),
    };
    let mut config = run_config(args.drop, &args.settings, models);
    config.earlier.as_of = Some(started.clone());
    let (output, pending) = analyse_into(&config, archive.as_deref(), &set, args.settings.no_html)?;
    let recorded = match (&mut archive, pending) {
        (Some(archive), Some(pending)) => {
            let run = archive.record(RunRecord {
                config: &config,
                output: &output,
                pending,
                started: &started,
                finished: &now(),
            })?;
            Some((run, archive.location()))
        }
        _ => None,
    };
    let report_dir = set.commit()?;
    print_summary(&report_dir, &output);
    if let Some((run, location)) = recorded {
        let w = &output.model_work;
        println!(
            "archive {location} (run {run}): {} embeddings and {} NLI results reused, {} and {} computed",
            w.embeddings_cached, w.nli_cached, w.embeddings_computed, w.nli_computed
        );
    }
    if args.settings.timings {
        print_timings(&output);
    }
    Ok(())
}

/// The PostgreSQL archive at `given`, or a usage error for anything else.
fn postgres_archive(given: &Path, what: &str) -> Result<PgArchive> {
    match Location::parse(given) {
        Location::Postgres(url) => Ok(PgArchive::open(&url)?),
        Location::Sqlite(path) => Err(Usage(format!(
            "{what} needs a PostgreSQL archive (--archive postgresql://USER@HOST/DATABASE), not the file {}; see README \"Archive\"",
            path.display()
        ))
        .into()),
    }
}

/// `crosscheck enqueue`: one job per drop.
fn enqueue(drops: &[PathBuf], out: &Path, archive: &Path) -> Result<()> {
    let mut archive = postgres_archive(archive, "enqueue")?;
    for drop in drops {
        if !drop.exists() {
            return Err(Usage(format!(
                "drop {} does not exist; pass a folder of articles or a manifest file",
                drop.display()
            ))
            .into());
        }
        let target = report_dir(out, drop)?;
        let drop = absolute(drop);
        match archive.enqueue(&drop, &target)? {
            Some(id) => println!("job {id}: {} -> {}", drop.display(), target.display()),
            None => println!(
                "{} -> {} is already queued or running",
                drop.display(),
                target.display()
            ),
        }
    }
    Ok(())
}

/// Processes one job: reports first (swapped in whole; a job done twice writes the same
/// bytes), then the run and the job's end in one transaction.
fn process_job(
    archive: &mut PgArchive,
    job: &Job,
    settings: &RunSettings,
    models: &Models,
) -> Result<Option<i64>> {
    let set = ReportSet::begin(&job.out)?;
    let started = now();
    let mut config = run_config(job.drop.clone(), settings, models);
    config.earlier.as_of = Some(job.enqueued.clone());
    let (output, pending) = analyse_into(&config, Some(&*archive), &set, settings.no_html)?;
    let report_dir = set.commit()?;
    let run = archive.record_job(
        job,
        RunRecord {
            config: &config,
            output: &output,
            pending: pending.unwrap_or_default(),
            started: &started,
            finished: &now(),
        },
    )?;
    match run {
        Some(run) => println!(
            "job {} (attempt {}): run {run}, reports in {}",
            job.id,
            job.attempts,
            report_dir.display()
        ),
        None => println!(
            "job {}: its lease went to another worker; reports in {}, nothing recorded",
            job.id,
            report_dir.display()
        ),
    }
    Ok(run)
}

/// `crosscheck worker`.
fn worker(args: WorkerArgs, models: &Models) -> Result<()> {
    let mut archive = postgres_archive(&args.archive, "worker")?;
    let options = crosscheck::worker::WorkerOptions {
        lease: std::time::Duration::from_secs_f64(args.lease),
        poll: std::time::Duration::from_secs_f64(args.poll),
        drain: args.drain,
        ..Default::default()
    };
    let name = crosscheck::worker::worker_name();
    println!("worker {name} on {}", archive.url());
    let worked = crosscheck::worker::work(&mut archive, &name, &options, |archive, job| {
        process_job(archive, job, &args.settings, models)
            .map_err(|e| format!("{e:#}"))
            .inspect_err(|e| eprintln!("job {} failed: {e}", job.id))
    })?;
    println!(
        "worker {name}: {} jobs done, {} failed, {} lost to another worker",
        worked.done, worked.failed, worked.lost
    );
    Ok(())
}

/// The time now, RFC 3339 in UTC.
fn now() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// `crosscheck archive stats|verify|export|prune`.
fn archive(command: ArchiveCommand) -> Result<()> {
    let open = |given: &Path| crosscheck::archive::open_existing(&Location::parse(given));
    match command {
        ArchiveCommand::Stats { path } => {
            let mut archive = open(&path)?;
            let stats = archive.stats()?;
            println!(
                "archive {} (schema version {})",
                archive.location(),
                stats.schema_version
            );
            println!("| table | rows |\n|---|---:|");
            for (table, rows) in &stats.tables {
                println!("| {table} | {rows} |");
            }
            println!(
                "size on disk: {} bytes ({:.1} MB)",
                stats.bytes,
                stats.bytes as f64 / 1e6
            );
            Ok(())
        }
        ArchiveCommand::Verify { path } => {
            let mut archive = open(&path)?;
            let check = archive.verify()?;
            println!("schema version {}", check.schema_version);
            println!("integrity check: {}", check.integrity.join("; "));
            println!("broken foreign keys: {}", check.broken_keys.len());
            for key in &check.broken_keys {
                println!("  {key}");
            }
            if check.ok() {
                println!("archive {} is sound", archive.location());
                Ok(())
            } else {
                anyhow::bail!("archive {} failed verification", archive.location())
            }
        }
        ArchiveCommand::Export { path, to } => {
            let mut archive = open(&path)?;
            let counts = crosscheck::archive::export(archive.as_mut(), &to)?;
            for (table, rows) in &counts {
                println!("{table}.jsonl: {rows} rows");
            }
            println!(
                "archive {} exported to {}",
                archive.location(),
                to.display()
            );
            Ok(())
        }
        ArchiveCommand::Prune { path, before } => {
            let cutoff = Cutoff::parse(&before)?;
            let mut archive = open(&path)?;
            let pruned = archive.prune(&cutoff)?;
            for (table, rows) in &pruned.tables {
                println!("{table}: {rows} rows");
            }
            println!(
                "archive {}: runs started before {} removed",
                archive.location(),
                cutoff.as_str()
            );
            Ok(())
        }
    }
}

/// `<out>/<drop folder name>/` (for a manifest file, its stem); refused when it is the drop,
/// inside it, or holds it, since the reports would mix with the articles or replace them.
fn report_dir(out: &Path, drop: &Path) -> Result<PathBuf> {
    let canonical_drop = drop.canonicalize().unwrap_or_else(|_| drop.to_path_buf());
    let name = if canonical_drop.is_file() {
        canonical_drop.file_stem()
    } else {
        canonical_drop.file_name()
    }
    .map(|n| n.to_owned())
    .unwrap_or_else(|| "drop".into());
    let target = absolute(out).join(name);
    let drop_folder = if canonical_drop.is_file() {
        canonical_drop.parent().map(Path::to_path_buf)
    } else {
        Some(canonical_drop.clone())
    };
    if let Some(folder) = drop_folder {
        if target.starts_with(&folder) || folder.starts_with(&target) {
            return Err(Usage(format!(
                "--out {} would put the reports of {} at {}, inside the drop or around it; pass an --out folder outside the drop (e.g. --out reports)",
                out.display(),
                drop.display(),
                target.display()
            ))
            .into());
        }
    }
    Ok(target)
}

/// `path` made absolute with symbolic links resolved as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            return rest.iter().rev().fold(canonical, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(part)) => {
                rest.push(part.to_owned());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        }
    }
}

/// `crosscheck eval-drop`: one scored row per drop.
fn eval_drops(
    drops: &[PathBuf],
    gold_dir: &Path,
    models: ModelDir,
    nli_checkpoint: Option<PathBuf>,
    precision: Precision,
    progress: Progress,
) -> Result<()> {
    let mut rows = Vec::new();
    for drop in drops {
        let name = drop
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gold = crosscheck::eval_drop::read_gold(&gold_dir.join(format!("{name}.csv")))?;
        let config = RunConfig {
            embed: EmbedConfig {
                precision,
                ..EmbedConfig::default()
            },
            nli: NliConfig {
                precision,
                ..NliConfig::default()
            },
            nli_checkpoint: nli_checkpoint.clone(),
            ..RunConfig::new(drop.clone(), models.clone(), progress)
        };
        let output = analyse(&config)?;
        let score = crosscheck::eval_drop::score(&output, &gold);
        rows.push(score.markdown(&name));
    }
    println!("{}", crosscheck::eval_drop::Score::markdown_header());
    for row in rows {
        println!("{row}");
    }
    Ok(())
}

fn eval_align(
    models: &ModelDir,
    gold: &Path,
    precision: Precision,
    progress: &Progress,
) -> Result<()> {
    let config = EmbedConfig {
        precision,
        ..EmbedConfig::default()
    };
    let embedder = crosscheck::embed::Embedder::new(models, config)?;
    let thresholds: Vec<f32> = (0..=12).map(|i| 0.78 + 0.01 * i as f32).collect();
    let scores = crosscheck::align_eval::sweep(&embedder, gold, &[1, 2, 3], &thresholds, progress)?;
    println!("| top_k | min_similarity | precision | recall | F1 |\n|---:|---:|---:|---:|---:|");
    for s in scores {
        println!(
            "| {} | {:.2} | {:.3} | {:.3} | {:.3} |",
            s.top_k, s.min_similarity, s.precision, s.recall, s.f1
        );
    }
    Ok(())
}

/// The end-of-run summary: counts, and where the reports are.
fn print_summary(report_dir: &Path, output: &RunOutput) {
    let counts: LabelCounts = output.pairs.iter().collect();
    let outcome = |o: FactOutcome| output.facts.facts.iter().filter(|f| f.outcome == o).count();
    let one_event = output
        .discrepancies
        .iter()
        .filter(|d| d.same_event != SameEvent::No)
        .count();
    let earlier = output
        .articles
        .iter()
        .filter(|a| a.earlier.is_some())
        .count();
    if earlier > 0 {
        println!(
            "compared with {earlier} articles of earlier drops of the story (summary.csv: earlier_run)"
        );
    }
    println!(
        "{} articles, {} sentences, {} claims; {} facts: {} agreed, {} in conflict, {} single-source; {} discrepancies ({} about one event)",
        output.articles.len(),
        output.sentences.len(),
        output.claims.len(),
        output.facts.facts.len(),
        outcome(FactOutcome::Consensus) + outcome(FactOutcome::Compatible),
        outcome(FactOutcome::Conflict),
        outcome(FactOutcome::SingleSource),
        output.discrepancies.len(),
        one_event,
    );
    println!(
        "{} claim pairs: {} agreements, {} contradictions, {} one-sided details, {} related",
        output.pairs.len(),
        counts.agreements,
        counts.contradictions,
        counts.one_sided_details,
        counts.related,
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
