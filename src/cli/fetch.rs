//! `crosscheck fetch LINKS --into DROP`: saves the pages of a links file into a drop folder
//! (see [`crosscheck::read::fetch`]); a failing link is a one-line warning naming it.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::time::Duration;

use crosscheck::io::progress::Progress;
use crosscheck::read::fetch::{fetch_all, parse, FetchConfig, Outcome};

use super::Usage;

/// The options of `crosscheck fetch`.
#[derive(clap::Args)]
pub struct FetchArgs {
    /// The links: one http(s) URL a line (`#` starts a comment), or a CSV with a header row
    /// naming a `url` column (optional columns `id`, `title`, `date`, `lang`, `outlet` are
    /// kept with the page and win over its own metadata).
    pub links: PathBuf,
    /// The drop folder the pages are saved into (created if missing).
    #[arg(long)]
    pub into: PathBuf,
    /// Seconds one request may take, from connecting to the last byte.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout_s: u64,
    /// Largest page saved, in MB.
    #[arg(long, default_value_t = 20.0)]
    pub max_mb: f64,
    /// Redirects followed before a link fails.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=30))]
    pub max_redirects: u32,
    /// Requests at a time (never two at once to one host).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=32))]
    pub parallel: u64,
}

/// `crosscheck fetch`: fetches what is not saved yet, prints one warning per failed link and a
/// summary line; fails only when the links file gives no link at all.
pub fn fetch(args: FetchArgs, progress: &Progress) -> Result<()> {
    if args.max_mb.is_nan() || args.max_mb <= 0.0 || args.max_mb.is_infinite() {
        return Err(Usage("--max-mb must be a number above 0".into()).into());
    }
    if args.into.exists() && !args.into.is_dir() {
        return Err(Usage(format!(
            "--into {} is a file, not a folder",
            args.into.display()
        ))
        .into());
    }
    let bytes = std::fs::read(&args.links)
        .with_context(|| format!("cannot read the links file {}", args.links.display()))?;
    let (links, bad) = parse(&String::from_utf8_lossy(&bytes));
    for line in &bad {
        eprintln!(
            "warning: {}:{}: not a link: {}",
            args.links.display(),
            line.line,
            line.reason
        );
    }
    if links.is_empty() {
        anyhow::bail!(
            "no http(s) link in {}; put one URL a line, or a CSV with a url column",
            args.links.display()
        );
    }
    std::fs::create_dir_all(&args.into)
        .with_context(|| format!("cannot create the drop folder {}", args.into.display()))?;
    let config = FetchConfig {
        timeout: Duration::from_secs(args.timeout_s),
        max_bytes: (args.max_mb * 1e6) as u64,
        max_redirects: args.max_redirects,
        parallel: args.parallel as usize,
        ..FetchConfig::default()
    };
    let bar = progress.bar(links.len() as u64, "fetch");
    let report = fetch_all(links, &args.into, &config, &|link, outcome| {
        if let Outcome::Failed(e) = outcome {
            bar.suspend(|| eprintln!("warning: {}: not fetched: {e}", link.url));
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    println!(
        "{} pages fetched, {} already in {} (not fetched again), {} links failed",
        report.saved(),
        report.already_saved(),
        args.into.display(),
        report.failed() + bad.len()
    );
    Ok(())
}
