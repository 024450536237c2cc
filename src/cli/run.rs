//! `crosscheck run`: one drop through the whole pipeline into its report folder, kept in the
//! archive, with the end-of-run summary.

use anyhow::Result;
use std::path::{Path, PathBuf};

use crosscheck::domain::{FactOutcome, LabelCounts, SameEvent};
use crosscheck::io::ReportSet;
use crosscheck::pipeline::{RunConfig, RunOutput};
use crosscheck::store::archive::{Location, RunRecord};

use super::args::RunSettings;
use super::{absolute, analyse_into, now, report_dir, run_config, Shared};

/// The options of `crosscheck run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// A folder of articles (.txt, .md, optional `date:`/`lang:`/`url:`/`outlet:`/`title:`
    /// header lines; saved web pages .html, .htm, .html.gz, see `crosscheck extract`) and/or
    /// manifests (.csv, .jsonl with those columns and `text`), or one
    /// manifest file.
    pub drop: PathBuf,
    /// Where report folders are created (not the drop itself, nor a folder inside it).
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// The claim archive to keep the run in and to look model results up in: an SQLite file,
    /// or a postgresql:// URL (default: <out>/archive.sqlite).
    #[arg(long, conflicts_with = "no_archive")]
    pub archive: Option<PathBuf>,
    /// Keep no archive: every model result is computed, nothing is stored.
    #[arg(long)]
    pub no_archive: bool,
    #[command(flatten)]
    pub settings: RunSettings,
}

/// `crosscheck run`: checks the output folder first (before any model is loaded), runs the
/// pipeline, writes the reports into a fresh folder, records the run and swaps the reports in
/// whole.
pub fn run(args: RunArgs, models: &Shared) -> Result<()> {
    let target = report_dir(&args.out, &args.drop)?;
    let set = ReportSet::begin(&target)?;
    let started = now();
    let location = match (&args.archive, args.no_archive) {
        (_, true) => None,
        (Some(given), false) => Some(Location::parse(given)),
        (None, false) => Some(Location::Sqlite(absolute(&args.out).join("archive.sqlite"))),
    };
    if let Some(Location::Sqlite(path)) = &location {
        super::archive_access::check_writable(path)?;
    }
    let mut archive = location
        .map(|l| crosscheck::store::archive::open(&l))
        .transpose()?;
    let mut config = run_config(args.drop, &args.settings, models)?;
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
            "archive {location} (run {run}): {} embeddings and {} NLI results reused from earlier runs, {} and {} computed; {} and {} repeats inside this run computed once",
            w.embeddings_cached,
            w.nli_cached,
            w.embeddings_computed,
            w.nli_computed,
            w.embeddings_repeated,
            w.nli_repeated
        );
    }
    if args.settings.timings {
        print_timings(&config, &output);
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

/// Per-stage wall-clock time and throughput, then the path each model stage ran and why.
fn print_timings(config: &RunConfig, output: &RunOutput) {
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
    let why = &config.precision_why;
    println!("\nembed ran {}: {}", config.embed.precision, why.embed);
    println!("nli ran {}: {}", config.nli.precision, why.nli);
}
