//! The archive's schema and its migrations: `schema_version` holds the version; each
//! migration brings it one step up in its own transaction. An archive of a newer version is
//! refused, never written.

use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

use super::ArchiveError;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

/// The migrations, in order: `MIGRATIONS[i]` brings version `i` to `i + 1` (the PostgreSQL
/// backend translates them).
pub(super) const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (0);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    drop_path TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    embedding_model TEXT,
    nli_model TEXT,
    settings TEXT NOT NULL,
    timings TEXT NOT NULL,
    model_work TEXT NOT NULL
);
CREATE TABLE articles (
    sha256 TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    path TEXT NOT NULL,
    language TEXT NOT NULL,
    date TEXT,
    outlet TEXT,
    url TEXT,
    title TEXT,
    first_run INTEGER NOT NULL REFERENCES runs(id)
);
CREATE TABLE run_articles (
    run INTEGER NOT NULL REFERENCES runs(id),
    position INTEGER NOT NULL,
    article TEXT NOT NULL REFERENCES articles(sha256),
    id TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (run, position)
);
CREATE INDEX run_articles_article ON run_articles(article);
CREATE TABLE claims (
    article TEXT NOT NULL REFERENCES articles(sha256),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    PRIMARY KEY (article, start, end)
) WITHOUT ROWID;
CREATE INDEX claims_text ON claims(text_sha256);
CREATE TABLE embeddings (
    model TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_sha256)
) WITHOUT ROWID;
CREATE TABLE nli (
    model TEXT NOT NULL,
    premise_sha256 TEXT NOT NULL,
    hypothesis_sha256 TEXT NOT NULL,
    entailment REAL NOT NULL,
    neutral REAL NOT NULL,
    contradiction REAL NOT NULL,
    PRIMARY KEY (model, premise_sha256, hypothesis_sha256)
) WITHOUT ROWID;
CREATE TABLE facts (
    run INTEGER NOT NULL REFERENCES runs(id),
    fact INTEGER NOT NULL,
    value_type TEXT NOT NULL,
    label TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (run, fact)
);
CREATE TABLE fact_values (
    run INTEGER NOT NULL,
    fact INTEGER NOT NULL,
    value_group INTEGER NOT NULL,
    value TEXT NOT NULL,
    span TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    article TEXT NOT NULL REFERENCES articles(sha256),
    FOREIGN KEY (run, fact) REFERENCES facts(run, fact)
);
CREATE INDEX fact_values_fact ON fact_values(run, fact);
"#,
    MIGRATION_2,
    MIGRATION_3,
];

/// Version 2: the last run that computed or used each model result, so that `archive prune`
/// removes the results no remaining run needs (an older archive's results count as used by
/// its newest run).
const MIGRATION_2: &str = r#"
ALTER TABLE embeddings ADD COLUMN last_run BIGINT;
ALTER TABLE nli ADD COLUMN last_run BIGINT;
UPDATE embeddings SET last_run = (SELECT max(id) FROM runs);
UPDATE nli SET last_run = (SELECT max(id) FROM runs);
CREATE INDEX embeddings_last_run ON embeddings(last_run);
CREATE INDEX nli_last_run ON nli(last_run);
"#;

/// Version 3: each article's text as read and where its body starts, so that a later run can
/// compare a new drop with the articles of earlier drops (`crate::matching::earlier`). Articles archived
/// before have no text until a run reads them again.
const MIGRATION_3: &str = r#"
ALTER TABLE articles ADD COLUMN text TEXT;
ALTER TABLE articles ADD COLUMN body_start INTEGER;
"#;

/// A schema problem, before the path is known.
pub(super) enum SchemaError {
    /// SQLite failed.
    Sqlite(rusqlite::Error),
    /// The archive is newer than this build.
    Newer(i64),
    /// The database is something else.
    NotAnArchive,
}

impl From<rusqlite::Error> for SchemaError {
    fn from(e: rusqlite::Error) -> Self {
        SchemaError::Sqlite(e)
    }
}

impl SchemaError {
    /// The error for the archive at `path`.
    pub(super) fn at(self, path: &Path) -> ArchiveError {
        match self {
            SchemaError::Sqlite(e) => super::sqlite_error(path, e),
            SchemaError::Newer(found) => ArchiveError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            },
            SchemaError::NotAnArchive => ArchiveError::NotAnArchive {
                path: path.to_path_buf(),
            },
        }
    }
}

/// The schema version of the database (0: empty).
pub(super) fn version(conn: &Connection) -> Result<i64, SchemaError> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        return if tables == 0 {
            Ok(0)
        } else {
            Err(SchemaError::NotAnArchive)
        };
    }
    let version: Option<i64> = conn
        .query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(version.unwrap_or(0))
}

/// Checks that the archive's version is one this build knows (it may be older).
pub(super) fn check(conn: &Connection) -> Result<i64, SchemaError> {
    let v = version(conn)?;
    if v > SCHEMA_VERSION {
        return Err(SchemaError::Newer(v));
    }
    Ok(v)
}

/// Brings the archive up to [`SCHEMA_VERSION`], one migration per transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), SchemaError> {
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v = check(&tx)?;
        let Some(step) = usize::try_from(v).ok().and_then(|v| MIGRATIONS.get(v)) else {
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.execute("UPDATE schema_version SET version = ?1", [v + 1])?;
        tx.commit()?;
    }
}
