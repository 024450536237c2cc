//! `crosscheck archive stats` and `verify`: rows per table and size on disk; SQLite's
//! integrity check, the schema version and the foreign keys.

use super::{schema, Archive, ArchiveError};

/// The tables of the archive, in the order `stats` lists them.
pub const TABLES: &[&str] = &[
    "runs",
    "articles",
    "run_articles",
    "claims",
    "embeddings",
    "nli",
    "facts",
    "fact_values",
];

/// What `archive stats` shows.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Schema version.
    pub schema_version: i64,
    /// Rows per table.
    pub tables: Vec<(&'static str, i64)>,
    /// Bytes of the archive file (with its journal, when one is there).
    pub bytes: u64,
}

/// What `archive verify` found; the archive is sound when [`Verification::ok`].
#[derive(Debug, Clone)]
pub struct Verification {
    /// Schema version.
    pub schema_version: i64,
    /// The lines of `PRAGMA integrity_check` (`["ok"]` when sound).
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

impl Archive {
    /// Rows per table and size on disk.
    pub fn stats(&self) -> Result<Stats, ArchiveError> {
        let e = |e| super::sqlite(&self.path, e);
        let schema_version = schema::check(&self.conn).map_err(|e| e.at(&self.path))?;
        let mut tables = Vec::new();
        for &table in TABLES {
            let rows: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(e)?;
            tables.push((table, rows));
        }
        let mut bytes = 0;
        for suffix in ["", "-journal", "-wal"] {
            let mut name = self.path.as_os_str().to_owned();
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
    pub fn verify(&self) -> Result<Verification, ArchiveError> {
        let e = |e| super::sqlite(&self.path, e);
        let schema_version = schema::check(&self.conn).map_err(|e| e.at(&self.path))?;
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(e)?;
        let integrity = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(e)?;
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check").map_err(e)?;
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
}
