//! The SQLite backend: one file, opened with foreign keys on and a busy timeout so that runs
//! on one machine wait for each other's writes instead of failing.

use rusqlite::{types::ValueRef, Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::lookups::from_blob;
use super::{
    schema, ArchiveError, ArchiveStore, Cutoff, Pruned, RunCache, RunRecord, Stats, Verification,
};

/// An open SQLite archive.
pub struct SqliteArchive {
    conn: Connection,
    path: PathBuf,
}

impl SqliteArchive {
    /// Opens the archive at `path`, creating it (and its folder) when missing and bringing its
    /// schema up to [`super::SCHEMA_VERSION`].
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| ArchiveError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| super::sqlite_error(path, e))?;
        let mut archive = SqliteArchive::prepared(conn, path)?;
        schema::migrate(&mut archive.conn).map_err(|e| e.at(path))?;
        Ok(archive)
    }

    /// Opens an archive that exists, without creating or migrating anything (for `archive
    /// stats`, `verify`, `export` and `prune`).
    pub fn open_existing(path: &Path) -> Result<Self, ArchiveError> {
        if !path.is_file() {
            return Err(ArchiveError::Missing {
                path: path.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| super::sqlite_error(path, e))?;
        let archive = SqliteArchive::prepared(conn, path)?;
        schema::check(&archive.conn).map_err(|e| e.at(path))?;
        Ok(archive)
    }

    /// Sets the connection up: foreign keys on, wait for a concurrent writer.
    fn prepared(conn: Connection, path: &Path) -> Result<Self, ArchiveError> {
        conn.busy_timeout(Duration::from_secs(60))
            .and_then(|_| conn.pragma_update(None, "foreign_keys", true))
            .map_err(|e| super::sqlite_error(path, e))?;
        Ok(SqliteArchive {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Where the archive lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the backend's other modules.
    pub(super) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, mutable, for transactions.
    pub(super) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// A value of an SQLite row as JSON: `vector` blobs as arrays of numbers, other blobs as hex,
/// reals as the shortest decimal of their f32 (every real in the archive is an f32).
fn json(column: &str, value: ValueRef<'_>) -> serde_json::Value {
    use serde_json::Value;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(x) => short(x as f32),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(b) if column == "vector" => {
            Value::Array(from_blob(b).into_iter().map(short).collect())
        }
        ValueRef::Blob(b) => b
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into(),
    }
}

/// An f32 as the JSON number of its shortest decimal (what PostgreSQL prints for a `real`).
pub(super) fn short(x: f32) -> serde_json::Value {
    format!("{x}")
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

impl ArchiveStore for SqliteArchive {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn cache(&self) -> RunCache<'_> {
        RunCache::new(self)
    }

    fn record(&mut self, run: RunRecord<'_>) -> Result<i64, ArchiveError> {
        super::record::record(self, run)
    }

    fn stats(&mut self) -> Result<Stats, ArchiveError> {
        super::stats::stats(self)
    }

    fn verify(&mut self) -> Result<Verification, ArchiveError> {
        super::stats::verify(self)
    }

    fn rows(
        &mut self,
        table: &str,
        each: &mut dyn FnMut(serde_json::Value) -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError> {
        let path = self.path.clone();
        let e = |e| super::sqlite_error(&path, e);
        let sql = format!(
            "SELECT * FROM {table} ORDER BY {}",
            super::export::order_of(table)
        );
        let mut stmt = self.conn.prepare(&sql).map_err(e)?;
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        let mut rows = stmt.query([]).map_err(e)?;
        while let Some(row) = rows.next().map_err(e)? {
            let mut object = serde_json::Map::new();
            for (i, name) in names.iter().enumerate() {
                object.insert(name.clone(), json(name, row.get_ref(i).map_err(e)?));
            }
            each(serde_json::Value::Object(object))?;
        }
        Ok(())
    }

    fn prune(&mut self, cutoff: &Cutoff) -> Result<Pruned, ArchiveError> {
        let path = self.path.clone();
        let e = |e| super::sqlite_error(&path, e);
        // Pruning needs the newest schema (it follows `last_run`).
        schema::migrate(&mut self.conn).map_err(|e| e.at(&path))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(e)?;
        let mut pruned = Pruned::default();
        for step in super::prune::STEPS {
            let n = if step.cutoff {
                tx.execute(step.sql, [cutoff.as_str()])
            } else {
                tx.execute(step.sql, [])
            }
            .map_err(e)?;
            pruned.add(step.table, n as u64);
        }
        tx.commit().map_err(e)?;
        Ok(pruned)
    }
}
