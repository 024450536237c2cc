//! `crosscheck enqueue`: drops queued as jobs for the workers of a PostgreSQL archive.

use anyhow::Result;
use std::path::PathBuf;

use super::{absolute, postgres_archive, report_dir, Usage};

/// The options of `crosscheck enqueue`.
#[derive(clap::Args)]
pub struct EnqueueArgs {
    /// Drop folders (or manifest files).
    #[arg(required = true)]
    pub drops: Vec<PathBuf>,
    /// Where report folders are created.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// The PostgreSQL archive (postgresql://USER@HOST/DATABASE; see docs/archive.md).
    #[arg(long)]
    pub archive: PathBuf,
}

/// `crosscheck enqueue`: one job per drop.
pub fn enqueue(args: EnqueueArgs) -> Result<()> {
    let mut archive = postgres_archive(&args.archive, "enqueue")?;
    for drop in &args.drops {
        if !drop.exists() {
            return Err(Usage(format!(
                "drop {} does not exist; pass a folder of articles or a manifest file",
                drop.display()
            ))
            .into());
        }
        let target = report_dir(&args.out, drop)?;
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
