//! The `report` stage: writes the CSV reports. Files are written under a temporary name and
//! renamed into place, so an interrupted run never leaves a half-written report.

use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Writes `rows` as a CSV file with a header row (RFC 4180 quoting, UTF-8), atomically.
pub fn write_csv<R: Serialize>(path: &Path, rows: &[R]) -> Result<()> {
    write_atomically(path, |file| {
        let mut writer = csv::Writer::from_writer(file);
        for row in rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        Ok(())
    })
}

/// Writes a file by calling `fill` on a temporary sibling, then renaming it over `path`.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let tmp = temporary_sibling(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp).with_context(|| {
            format!(
                "cannot create {}; check the output folder is writable",
                tmp.display()
            )
        })?;
        fill(&mut file)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn temporary_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}
