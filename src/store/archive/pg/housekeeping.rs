//! `archive stats`, `verify`, `export` and `prune` on the PostgreSQL archive: rows per table
//! and their size on disk; the schema version, invalid indexes and rows whose foreign key
//! points at nothing; every row as JSON; the shared prune statements in one transaction.

use super::PgArchive;
use crate::store::archive::export::order_of;
use crate::store::archive::prune::STEPS;
use crate::store::archive::{schema, ArchiveError, Cutoff, Pruned, Stats, Verification, PG_TABLES};

/// The foreign keys of the archive: (table, its columns, parent table, the parent's columns).
const FOREIGN_KEYS: &[(&str, &str, &str, &str)] = &[
    ("articles", "first_run", "runs", "id"),
    ("run_articles", "run", "runs", "id"),
    ("run_articles", "article", "articles", "sha256"),
    ("claims", "article", "articles", "sha256"),
    ("facts", "run", "runs", "id"),
    ("fact_values", "article", "articles", "sha256"),
    ("fact_values", "run, fact", "facts", "run, fact"),
];

/// The indexes the archive must have (the others come with its primary keys).
const INDEXES: &[&str] = &[
    "embeddings_hnsw",
    "runs_started",
    "claims_text",
    "run_articles_article",
    "fact_values_fact",
    "jobs_open",
];

/// Rows per table and their bytes with indexes and TOAST.
pub(super) fn stats(archive: &mut PgArchive) -> Result<Stats, ArchiveError> {
    let schema_version = super::schema::check(archive)?;
    let mut client = archive.client.borrow_mut();
    let mut tables = Vec::new();
    let mut bytes = 0u64;
    for &table in PG_TABLES {
        let row = client
            .query_one(
                &format!("SELECT count(*), pg_total_relation_size('{table}') FROM {table}"),
                &[],
            )
            .map_err(|e| archive.error(e))?;
        tables.push((table, row.get::<_, i64>(0)));
        bytes += row.get::<_, i64>(1).max(0) as u64;
    }
    Ok(Stats {
        schema_version,
        tables,
        bytes,
    })
}

/// The schema version, indexes that are missing or invalid, rows with a broken foreign key.
pub(super) fn verify(archive: &mut PgArchive) -> Result<Verification, ArchiveError> {
    let schema_version = super::schema::check(archive)?;
    let mut client = archive.client.borrow_mut();
    let mut integrity = Vec::new();
    for &index in INDEXES {
        let valid: Option<bool> = client
            .query_opt(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE c.relname = $1 AND pg_table_is_visible(c.oid)",
                &[&index],
            )
            .map_err(|e| archive.error(e))?
            .map(|r| r.get(0));
        match valid {
            None => integrity.push(format!("index {index} is missing")),
            Some(false) => integrity.push(format!("index {index} is invalid (REINDEX it)")),
            Some(true) => {}
        }
    }
    if integrity.is_empty() {
        integrity.push("ok".to_string());
    }
    let mut broken_keys = Vec::new();
    for &(table, columns, parent, keys) in FOREIGN_KEYS {
        let matches: Vec<String> = columns
            .split(", ")
            .zip(keys.split(", "))
            .map(|(c, k)| format!("p.{k} = t.{c}"))
            .collect();
        let n: i64 = client
            .query_one(
                &format!(
                    "SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM {parent} p WHERE {})",
                    matches.join(" AND ")
                ),
                &[],
            )
            .map_err(|e| archive.error(e))?
            .get(0);
        if n > 0 {
            broken_keys.push(format!("{table} ({parent}): {n} rows"));
        }
    }
    Ok(Verification {
        schema_version,
        integrity,
        broken_keys,
    })
}

/// Every row of `table` as a JSON object, in primary-key order; embeddings as arrays of
/// numbers.
pub(super) fn rows(
    archive: &mut PgArchive,
    table: &str,
    each: &mut dyn FnMut(serde_json::Value) -> Result<(), ArchiveError>,
) -> Result<(), ArchiveError> {
    if !PG_TABLES.contains(&table) {
        return Ok(());
    }
    let source = if table == "embeddings" {
        "SELECT model, text_sha256, dim, vector::real[] AS vector, last_run FROM embeddings"
            .to_string()
    } else {
        format!("SELECT * FROM {table}")
    };
    let sql = format!(
        "SELECT row_to_json(t)::text FROM ({source}) t ORDER BY {}",
        order_of(table)
    );
    let mut client = archive.client.borrow_mut();
    let mut tx = client.transaction().map_err(|e| archive.error(e))?;
    let portal = tx.bind(&sql, &[]).map_err(|e| archive.error(e))?;
    loop {
        let batch = tx
            .query_portal(&portal, 1000)
            .map_err(|e| archive.error(e))?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            let json: &str = row.get(0);
            each(serde_json::from_str(json)?)?;
        }
    }
    tx.commit().map_err(|e| archive.error(e))
}

/// The prune statements in one transaction (after bringing the schema up to date); the jobs
/// of pruned runs keep their rows but no longer name the run.
pub(super) fn prune(archive: &mut PgArchive, cutoff: &Cutoff) -> Result<Pruned, ArchiveError> {
    if super::schema::check(archive)? < schema::SCHEMA_VERSION {
        super::schema::migrate(archive)?;
    }
    let mut client = archive.client.borrow_mut();
    let mut tx = client.transaction().map_err(|e| archive.error(e))?;
    let mut pruned = Pruned::default();
    // Jobs stay (they say what was done), without their pruned runs.
    let forgotten = tx
        .execute(
            "UPDATE jobs SET run = NULL WHERE run IN (SELECT id FROM runs WHERE started < $1)",
            &[&cutoff.as_str()],
        )
        .map_err(|e| archive.error(e))?;
    pruned.add("jobs (run forgotten)", forgotten);
    for step in STEPS {
        let n = if step.cutoff {
            tx.execute(step.sql, &[&cutoff.as_str()])
        } else {
            tx.execute(step.sql, &[])
        }
        .map_err(|e| archive.error(e))?;
        pruned.add(step.table, n);
    }
    tx.commit().map_err(|e| archive.error(e))?;
    Ok(pruned)
}
