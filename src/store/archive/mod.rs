//! The claim archive: what runs learn — runs (settings, timings), articles by content hash,
//! their claims, embeddings and NLI probabilities by input hash and model hash, and the facts
//! and values of every run. Two backends keep the same schema behind one trait,
//! [`ArchiveStore`]: one SQLite file ([`SqliteArchive`], `reports/archive.sqlite` by default, no
//! set-up) and a PostgreSQL database with pgvector ([`PgArchive`], `postgresql://...`, for
//! several machines and [`crate::store::worker`]s). A run's results are written in one transaction
//! when it ends, so an interrupted run leaves the archive as it was. The archive is also the
//! model cache of the next run ([`RunCache`]).
//!
//! ```no_run
//! use crosscheck::store::archive::{open_existing, Location};
//! let mut archive = open_existing(&Location::parse("reports/archive.sqlite".as_ref()))?;
//! for (table, rows) in archive.stats()?.tables {
//!     println!("{table}: {rows}");
//! }
//! # Ok::<(), crosscheck::store::archive::ArchiveError>(())
//! ```

mod export;
mod location;
mod lookups;
mod pg;
mod prune;
mod record;
mod rows;
mod run_cache;
mod schema;
mod sqlite;
mod stats;

use std::path::{Path, PathBuf};

pub use self::export::{export, EXPORT_TABLES};
pub use self::location::Location;
pub use self::pg::{
    Heartbeat, Job, PgArchive, QueueCounts, SimilarClaim, INDEXED_DIM, SIMILAR_CLAIMS,
};
pub use self::prune::{Cutoff, Pruned};
pub use self::run_cache::{ClaimVector, Lookups, Pending, RunCache, StoredArticle, VectorScope};
pub use self::schema::SCHEMA_VERSION;
pub use self::sqlite::SqliteArchive;
pub use self::stats::{Stats, Verification, PG_TABLES, TABLES};

use crate::pipeline::{RunConfig, RunOutput};

/// Why the archive could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// SQLite failed (the cause is its source).
    #[error("archive {path}")]
    Sqlite {
        /// The archive file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// PostgreSQL failed (the cause is its source).
    #[error("archive {url}")]
    Postgres {
        /// The database URL, without its password.
        url: String,
        /// The driver's error.
        source: postgres::Error,
    },
    /// The PostgreSQL URL cannot be read.
    #[error("archive URL {url} cannot be read ({reason}); write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or postgresql://USER@/DATABASE?host=/socket/folder&port=5432 for a unix socket")]
    BadUrl {
        /// The URL, without its password.
        url: String,
        /// What the driver said.
        reason: String,
    },
    /// The database has no pgvector and this user cannot add it.
    #[error("archive {url}: the pgvector extension is missing and cannot be created ({reason}); install pgvector on the server and run `CREATE EXTENSION vector` in that database as its owner")]
    NoVector {
        /// The database URL, without its password.
        url: String,
        /// PostgreSQL's message.
        reason: String,
    },
    /// The archive was written by a newer crosscheck.
    #[error("archive {path} has schema version {found}, newer than the {supported} this crosscheck knows; use a newer crosscheck, or another archive (--archive PATH, or --no-archive)")]
    NewerSchema {
        /// The archive file or URL.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The file is an SQLite database of something else.
    #[error("{path} is a database but not a crosscheck archive (it has tables of its own and no schema_version); choose another --archive")]
    NotAnArchive {
        /// The file or URL.
        path: PathBuf,
    },
    /// `archive stats` or `verify` on a path where there is no archive.
    #[error("no archive at {path}; `crosscheck run` creates one")]
    Missing {
        /// The path given.
        path: PathBuf,
    },
    /// A file or folder of the archive or of an export cannot be written (the cause is its
    /// source).
    #[error("cannot write {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `archive export` into a folder that already holds files.
    #[error(
        "{path} exists and is not empty; export into a new folder (nothing there was changed)"
    )]
    ExportTarget {
        /// The folder given.
        path: PathBuf,
    },
    /// `archive prune --before` with a date that cannot be read.
    #[error("--before {given:?} is not a date; write it as YYYY-MM-DD (UTC midnight) or as an RFC 3339 time such as 2026-11-30T12:00:00Z")]
    BadDate {
        /// What was given.
        given: String,
    },
    /// A run's record could not be serialised.
    #[error("archive: cannot serialise the run record: {0}")]
    Json(#[from] serde_json::Error),
}

/// One finished run, as [`ArchiveStore::record`] writes it.
pub struct RunRecord<'a> {
    /// The settings it ran with.
    pub config: &'a RunConfig,
    /// What it found.
    pub output: &'a RunOutput,
    /// The model results its [`RunCache`] collected.
    pub pending: Pending,
    /// Start time, RFC 3339 in UTC.
    pub started: &'a str,
    /// End time, RFC 3339 in UTC.
    pub finished: &'a str,
}

/// What every archive backend does, so that the command line and the pipeline need not know
/// which database holds the archive.
pub trait ArchiveStore {
    /// Where the archive lives, for messages (a path, or a URL without its password).
    fn location(&self) -> String;
    /// A model cache over this archive for one run; its new results are written by
    /// [`ArchiveStore::record`].
    fn cache(&self) -> RunCache<'_>;
    /// Records a finished run in one transaction (all of it or nothing); returns the run id.
    fn record(&mut self, run: RunRecord<'_>) -> Result<i64, ArchiveError>;
    /// Rows per table and size on disk.
    fn stats(&mut self) -> Result<Stats, ArchiveError>;
    /// Checks the schema version, the database's integrity and the foreign keys.
    fn verify(&mut self) -> Result<Verification, ArchiveError>;
    /// The tables `stats` counts and `export` writes, in that order.
    fn tables(&self) -> &'static [&'static str] {
        TABLES
    }
    /// Calls `each` with every row of `table` as one JSON object, in primary-key order.
    fn rows(
        &mut self,
        table: &str,
        each: &mut dyn FnMut(serde_json::Value) -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError>;
    /// Removes the runs started before `cutoff` and what only they used, in one transaction.
    fn prune(&mut self, cutoff: &Cutoff) -> Result<Pruned, ArchiveError>;
}

/// Opens the archive at `location`, creating it when missing and bringing its schema up to
/// [`SCHEMA_VERSION`].
pub fn open(location: &Location) -> Result<Box<dyn ArchiveStore>, ArchiveError> {
    Ok(match location {
        Location::Sqlite(path) => Box::new(SqliteArchive::open(path)?),
        Location::Postgres(url) => Box::new(PgArchive::open(url)?),
    })
}

/// Opens an archive that exists, without creating or migrating anything (for `archive stats`,
/// `verify`, `export` and `prune`).
pub fn open_existing(location: &Location) -> Result<Box<dyn ArchiveStore>, ArchiveError> {
    Ok(match location {
        Location::Sqlite(path) => Box::new(SqliteArchive::open_existing(path)?),
        Location::Postgres(url) => Box::new(PgArchive::open_existing(url)?),
    })
}

/// An SQLite error on the archive at `path`.
fn sqlite_error(path: &Path, source: rusqlite::Error) -> ArchiveError {
    ArchiveError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}
