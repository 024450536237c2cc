//! The PostgreSQL backend: the archive's schema in one PostgreSQL database with pgvector (an
//! HNSW index over the claim embeddings), for newsrooms whose machines share one archive, and
//! the job queue the [`crate::store::worker`]s take drops from. It talks through the `postgres` crate
//! (no TLS: a unix socket or a trusted network; put a TLS proxy in front otherwise).

mod housekeeping;
mod jobs;
mod lookups;
mod record;
mod schema;
mod search;

use postgres::{Client, NoTls, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

pub use self::jobs::{Heartbeat, Job, QueueCounts};
pub use self::search::{SimilarClaim, INDEXED_DIM, SIMILAR_CLAIMS};

use super::location::redact;
use super::{
    ArchiveError, ArchiveStore, Cutoff, Pruned, RunCache, RunRecord, Stats, Verification, PG_TABLES,
};

/// An open PostgreSQL archive.
pub struct PgArchive {
    client: RefCell<Client>,
    config: postgres::Config,
    url: String,
    statements: RefCell<HashMap<&'static str, Statement>>,
}

impl PgArchive {
    /// Connects to the database at `url` and brings its schema up to
    /// [`super::SCHEMA_VERSION`] (creating the tables, and the `vector` extension when it is
    /// missing and the user may).
    pub fn open(url: &str) -> Result<Self, ArchiveError> {
        let mut archive = PgArchive::connect(url)?;
        schema::migrate(&mut archive)?;
        Ok(archive)
    }

    /// Connects to a database that holds an archive, without creating or migrating anything.
    pub fn open_existing(url: &str) -> Result<Self, ArchiveError> {
        let mut archive = PgArchive::connect(url)?;
        if schema::check(&mut archive)? == 0 {
            return Err(ArchiveError::Missing {
                path: PathBuf::from(&archive.url),
            });
        }
        Ok(archive)
    }

    /// Reads the URL and connects.
    fn connect(url: &str) -> Result<Self, ArchiveError> {
        let shown = redact(url);
        let mut config: postgres::Config =
            url.parse()
                .map_err(|e: postgres::Error| ArchiveError::BadUrl {
                    url: shown.clone(),
                    reason: e.to_string(),
                })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("crosscheck");
        }
        let client = config
            .connect(NoTls)
            .map_err(|source| ArchiveError::Postgres {
                url: shown.clone(),
                source,
            })?;
        Ok(PgArchive {
            client: RefCell::new(client),
            config,
            url: shown,
            statements: RefCell::new(HashMap::new()),
        })
    }

    /// The URL, without its password.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A driver error of this archive.
    fn error(&self, source: postgres::Error) -> ArchiveError {
        ArchiveError::Postgres {
            url: self.url.clone(),
            source,
        }
    }

    /// `sql` prepared once per connection.
    fn statement(&self, sql: &'static str) -> Result<Statement, ArchiveError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self
            .client
            .borrow_mut()
            .prepare(sql)
            .map_err(|e| self.error(e))?;
        self.statements.borrow_mut().insert(sql, stmt.clone());
        Ok(stmt)
    }
}

impl ArchiveStore for PgArchive {
    fn location(&self) -> String {
        self.url.clone()
    }

    fn cache(&self) -> RunCache<'_> {
        RunCache::new(self)
    }

    fn record(&mut self, run: RunRecord<'_>) -> Result<i64, ArchiveError> {
        record::record(self, run, None).map(|id| id.unwrap_or_default())
    }

    fn stats(&mut self) -> Result<Stats, ArchiveError> {
        housekeeping::stats(self)
    }

    fn verify(&mut self) -> Result<Verification, ArchiveError> {
        housekeeping::verify(self)
    }

    fn tables(&self) -> &'static [&'static str] {
        PG_TABLES
    }

    fn rows(
        &mut self,
        table: &str,
        each: &mut dyn FnMut(serde_json::Value) -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError> {
        housekeeping::rows(self, table, each)
    }

    fn prune(&mut self, cutoff: &Cutoff) -> Result<Pruned, ArchiveError> {
        housekeeping::prune(self, cutoff)
    }
}
