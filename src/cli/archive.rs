//! `crosscheck archive stats|verify|export|prune`: looking after the archive.

use anyhow::Result;
use std::path::{Path, PathBuf};

use crosscheck::store::archive::{Cutoff, Location};

/// The subcommands of `crosscheck archive`.
#[derive(clap::Subcommand)]
pub enum ArchiveCommand {
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

/// `crosscheck archive stats|verify|export|prune`.
pub fn archive(command: ArchiveCommand) -> Result<()> {
    let open = |given: &Path| crosscheck::store::archive::open_existing(&Location::parse(given));
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
            let counts = crosscheck::store::archive::export(archive.as_mut(), &to)?;
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
