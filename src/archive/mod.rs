//! The claim archive: what runs learn, kept in one SQLite file (`reports/archive.sqlite` by
//! default): runs (settings, timings), articles by content hash, their claims, embeddings and
//! NLI probabilities by input hash and model hash, and the facts and values of every run. A
//! run's results are written in one transaction when it ends, so an interrupted run leaves the
//! archive as it was. The archive is also the model cache of the next run ([`RunCache`]).
//!
//! ```no_run
//! use crosscheck::archive::Archive;
//! let archive = Archive::open("reports/archive.sqlite".as_ref())?;
//! for (table, rows) in archive.stats()?.tables {
//!     println!("{table}: {rows}");
//! }
//! # Ok::<(), crosscheck::archive::ArchiveError>(())
//! ```

mod record;
mod run_cache;
mod schema;
mod stats;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use self::run_cache::{Pending, RunCache};
pub use self::schema::SCHEMA_VERSION;
pub use self::stats::{Stats, Verification};

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
    /// The archive was written by a newer crosscheck.
    #[error("archive {path} has schema version {found}, newer than the {supported} this crosscheck knows; use a newer crosscheck, or another archive (--archive PATH, or --no-archive)")]
    NewerSchema {
        /// The archive file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The file is an SQLite database of something else.
    #[error("{path} is an SQLite database but not a crosscheck archive (it has tables and no schema_version); choose another --archive path")]
    NotAnArchive {
        /// The file.
        path: PathBuf,
    },
    /// `archive stats` or `verify` on a path where there is no archive.
    #[error("no archive at {path}; `crosscheck run` creates one")]
    Missing {
        /// The path given.
        path: PathBuf,
    },
    /// The folder of the archive cannot be created (the cause is its source).
    #[error("cannot create the archive's folder {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A run's record could not be serialised.
    #[error("archive: cannot serialise the run record: {0}")]
    Json(#[from] serde_json::Error),
}

/// An open archive.
pub struct Archive {
    conn: Connection,
    path: PathBuf,
}

impl Archive {
    /// Opens the archive at `path`, creating it (and its folder) when missing and bringing its
    /// schema up to [`SCHEMA_VERSION`].
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| ArchiveError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| sqlite(path, e))?;
        let mut archive = Archive::prepared(conn, path)?;
        schema::migrate(&mut archive.conn).map_err(|e| e.at(path))?;
        Ok(archive)
    }

    /// Opens an archive that exists, without creating or migrating anything (for `archive
    /// stats` and `verify`).
    pub fn open_existing(path: &Path) -> Result<Self, ArchiveError> {
        if !path.is_file() {
            return Err(ArchiveError::Missing {
                path: path.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite(path, e))?;
        let archive = Archive::prepared(conn, path)?;
        schema::check(&archive.conn).map_err(|e| e.at(path))?;
        Ok(archive)
    }

    /// Sets the connection up: foreign keys on, wait for a concurrent writer.
    fn prepared(conn: Connection, path: &Path) -> Result<Self, ArchiveError> {
        conn.busy_timeout(Duration::from_secs(60))
            .and_then(|_| conn.pragma_update(None, "foreign_keys", true))
            .map_err(|e| sqlite(path, e))?;
        Ok(Archive {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Where the archive lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A model cache over this archive for one run; its new results are written by
    /// [`Archive::record`].
    pub fn cache(&self) -> RunCache<'_> {
        RunCache::new(&self.conn, &self.path)
    }
}

/// An SQLite error on the archive at `path`.
fn sqlite(path: &Path, source: rusqlite::Error) -> ArchiveError {
    ArchiveError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}
