//! `crosscheck worker`: takes queued drops from a PostgreSQL archive and processes them one
//! at a time, as `run` would.

use anyhow::Result;
use std::path::PathBuf;

use crosscheck::io::ReportSet;
use crosscheck::store::archive::{Job, PgArchive, RunRecord};

use super::args::{lease_seconds, positive_seconds, RunSettings};
use super::{analyse_into, now, postgres_archive, run_config, Shared};

/// The options of `crosscheck worker`.
#[derive(clap::Args)]
pub struct WorkerArgs {
    /// The PostgreSQL archive whose queue to take jobs from.
    #[arg(long)]
    pub archive: PathBuf,
    /// Seconds a job stays this worker's without a renewal (at least 1); renewed every third
    /// of it.
    #[arg(long, default_value_t = 60.0, value_parser = lease_seconds)]
    pub lease: f64,
    /// Seconds between looks at an empty queue.
    #[arg(long, default_value_t = 2.0, value_parser = positive_seconds)]
    pub poll: f64,
    /// Stop once no job is queued or running.
    #[arg(long)]
    pub drain: bool,
    #[command(flatten)]
    pub settings: RunSettings,
}

/// Processes one job: reports first (swapped in whole; a job done twice writes the same
/// bytes), then the run and the job's end in one transaction.
fn process_job(
    archive: &mut PgArchive,
    job: &Job,
    settings: &RunSettings,
    models: &Shared,
) -> Result<Option<i64>> {
    let set = ReportSet::begin(&job.out)?;
    let started = now();
    let mut config = run_config(job.drop.clone(), settings, models)?;
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
pub fn worker(args: WorkerArgs, models: &Shared) -> Result<()> {
    let mut archive = postgres_archive(&args.archive, "worker")?;
    let options = crosscheck::store::worker::WorkerOptions {
        lease: std::time::Duration::from_secs_f64(args.lease),
        poll: std::time::Duration::from_secs_f64(args.poll),
        drain: args.drain,
        ..Default::default()
    };
    let name = crosscheck::store::worker::worker_name();
    println!("worker {name} on {}", archive.url());
    let worked = crosscheck::store::worker::work(&mut archive, &name, &options, |archive, job| {
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
