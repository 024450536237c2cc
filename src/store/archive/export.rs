//! `crosscheck archive export DIR`: every table of the archive as one JSON Lines file
//! (`<table>.jsonl`, one object per row, columns in table order, rows in primary-key order),
//! so the same archive always exports to the same bytes, whichever backend holds it. The
//! files are written into a fresh folder beside DIR and moved into place whole.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ArchiveError, ArchiveStore};

/// Every exportable table and the columns its rows are ordered by (its primary key; all
/// columns for `fact_values`, which has none).
pub const EXPORT_TABLES: &[(&str, &str)] = &[
    ("runs", "id"),
    ("articles", "sha256"),
    ("run_articles", "run, position"),
    ("claims", "article, start, \"end\""),
    ("embeddings", "model, text_sha256"),
    ("nli", "model, premise_sha256, hypothesis_sha256"),
    ("facts", "run, fact"),
    (
        "fact_values",
        "run, fact, value_group, article, start, \"end\", value, span",
    ),
    ("jobs", "id"),
];

/// The ORDER BY columns of `table` (`rowid` order for a table not listed).
pub(super) fn order_of(table: &str) -> &'static str {
    EXPORT_TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map_or("1", |(_, order)| order)
}

/// Writes every table of `store` into `dir` (which must not exist, or be empty); returns the
/// rows written per table.
pub fn export(
    store: &mut dyn ArchiveStore,
    dir: &Path,
) -> Result<Vec<(&'static str, u64)>, ArchiveError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ArchiveError::Io { path, source }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(ArchiveError::ExportTarget {
                path: dir.to_path_buf(),
            });
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".archive-export.")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let mut counts = Vec::new();
    for &table in store.tables() {
        let path = staging.path().join(format!("{table}.jsonl"));
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        let mut out = std::io::BufWriter::new(file);
        let mut rows = 0u64;
        store.rows(table, &mut |row| {
            serde_json::to_writer(&mut out, &row)?;
            out.write_all(b"\n").map_err(io(&path))?;
            rows += 1;
            Ok(())
        })?;
        out.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .map_err(io(&path))?;
        counts.push((table, rows));
    }
    if dir.exists() {
        std::fs::remove_dir(dir).map_err(io(dir))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, dir).map_err(|source| {
        let _ = std::fs::remove_dir_all(&staged);
        ArchiveError::Io {
            path: dir.to_path_buf(),
            source,
        }
    })?;
    Ok(counts)
}
