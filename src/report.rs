//! The `report` stage: writes the CSV reports. Files are written under a temporary name and
//! renamed into place, so an interrupted run never leaves a half-written report.

use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Writes `rows` as a CSV file with a header row (RFC 4180 quoting, UTF-8), atomically.
pub fn write_csv<R: Serialize>(path: &Path, rows: &[R]) -> Result<()> {
    write_atomically(path, |tmp| {
        let mut writer = csv::Writer::from_path(tmp)?;
        for row in rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        Ok(())
    })
}

/// Writes a file by calling `fill` with a temporary sibling path, then renaming it over
/// `path`; on failure the temporary file is removed and `path` is left as it was.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temporary_sibling(path);
    let result = fill(&tmp).and_then(|()| {
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("writing {}; check the folder is writable", path.display()))
}

fn temporary_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}
