//! `crosscheck archive stats` and `verify`: what both backends report, and the SQLite
//! backend's way of finding it (rows per table and size on disk; SQLite's integrity check, the
//! schema version and the foreign keys).

use super::{schema, ArchiveError, SqliteArchive};

/// The tables of a PostgreSQL archive, in the order `stats` lists them: those of every
/// archive, then the job queue.
pub const PG_TABLES: &[&str] = &[
    "runs",
    "articles",
    "run_articles",
    "claims",
    "embeddings",
    "nli",
    "facts",
    "fact_values",
    "jobs",
];

/// The tables of every archive, in the order `stats` lists them.
pub const TABLES: &[&str] = PG_TABLES.split_at(PG_TABLES.len() - 1).0;

/// What `archive stats` shows.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Schema version.
    pub schema_version: i64,
    /// Rows per table.
    pub tables: Vec<(&'static str, i64)>,
    /// Bytes on disk: the SQLite file (with its journal, when one is there), or the
    /// PostgreSQL tables with their indexes.
    pub bytes: u64,
}

/// What `archive verify` found; the archive is sound when [`Verification::ok`].
#[derive(Debug, Clone)]
pub struct Verification {
    /// Schema version.
    pub schema_version: i64,
    /// The lines of SQLite's `PRAGMA integrity_check`, or PostgreSQL's invalid indexes
    /// (`["ok"]` when sound).
    pub integrity: Vec<String>,
    /// Rows whose foreign key points at nothing, as `table (parent)`.
    pub broken_keys: Vec<String>,
}

impl Verification {
    /// Integrity check passed, no broken foreign key, a schema this build knows.
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"]
            && self.broken_keys.is_empty()
            && self.schema_version == schema::SCHEMA_VERSION
    }
}

/// Rows per table and size on disk.
pub(super) fn stats(archive: &SqliteArchive) -> Result<Stats, ArchiveError> {
    let e = |e| super::sqlite_error(archive.path(), e);
    let schema_version = schema::check(archive.conn()).map_err(|e| e.at(archive.path()))?;
    let mut tables = Vec::new();
    for &table in TABLES {
        let rows: i64 = archive
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(e)?;
        tables.push((table, rows));
    }
    let mut bytes = 0;
    for suffix in ["", "-journal", "-wal"] {
        let mut name = archive.path().as_os_str().to_owned();
        name.push(suffix);
        if let Ok(meta) = std::fs::metadata(&name) {
            bytes += meta.len();
        }
    }
    Ok(Stats {
        schema_version,
        tables,
        bytes,
    })
}

/// Runs SQLite's integrity check and foreign key check and reads the schema version.
pub(super) fn verify(archive: &SqliteArchive) -> Result<Verification, ArchiveError> {
    let e = |e| super::sqlite_error(archive.path(), e);
    let schema_version = schema::check(archive.conn()).map_err(|e| e.at(archive.path()))?;
    let mut stmt = archive
        .conn()
        .prepare("PRAGMA integrity_check")
        .map_err(e)?;
    let integrity = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(e)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(e)?;
    let mut stmt = archive
        .conn()
        .prepare("PRAGMA foreign_key_check")
        .map_err(e)?;
    let broken_keys = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} row {} ({})",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?
                    .map_or("-".to_string(), |n| n.to_string()),
                r.get::<_, String>(2)?
            ))
        })
        .map_err(e)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(e)?;
    Ok(Verification {
        schema_version,
        integrity,
        broken_keys,
    })
}
