//! Writes one run into the SQLite archive, all in one transaction: the run row, its articles
//! and claims, the model results it computed (and which stored ones it used), and its facts
//! and their values.

use rusqlite::{params, Transaction};

use super::lookups::to_blob;
use super::rows::{sorted_pending, RunRows};
use super::{ArchiveError, Pending, RunRecord, SqliteArchive};

/// Records a finished run in one transaction: all of it or nothing. Returns the run id.
pub(super) fn record(archive: &mut SqliteArchive, run: RunRecord<'_>) -> Result<i64, ArchiveError> {
    let rows = RunRows::of(&run)?;
    let pending = sorted_pending(run.pending);
    let path = archive.path().to_path_buf();
    let tx = archive
        .conn_mut()
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| super::sqlite_error(&path, e))?;
    let id = write(&tx, &rows, &pending).map_err(|e| super::sqlite_error(&path, e))?;
    tx.commit().map_err(|e| super::sqlite_error(&path, e))?;
    Ok(id)
}

/// Every row of the run, inside `tx`.
fn write(tx: &Transaction, rows: &RunRows, pending: &Pending) -> Result<i64, rusqlite::Error> {
    let run = insert_run(tx, rows)?;
    insert_articles_and_claims(tx, rows, run)?;
    insert_model_results(tx, pending, run)?;
    insert_facts(tx, rows, run)?;
    Ok(run)
}

/// The run's own row; returns its id.
fn insert_run(tx: &Transaction, rows: &RunRows) -> Result<i64, rusqlite::Error> {
    let r = &rows.run;
    tx.execute(
        "INSERT INTO runs (drop_path, started, finished, tool_version, embedding_model, nli_model,
                           settings, timings, model_work)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.drop_path,
            r.started,
            r.finished,
            r.tool_version,
            r.embedding_model,
            r.nli_model,
            r.settings,
            r.timings,
            r.model_work,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The articles (first seen in this run or not), their places in the run, their claims.
fn insert_articles_and_claims(
    tx: &Transaction,
    rows: &RunRows,
    run: i64,
) -> Result<(), rusqlite::Error> {
    let mut article = tx.prepare_cached(
        "INSERT INTO articles (sha256, id, path, language, date, outlet, url, title, first_run, text, body_start)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (sha256) DO UPDATE SET text = excluded.text, body_start = excluded.body_start
         WHERE articles.text IS NULL",
    )?;
    for (_, a) in rows.articles_by_key() {
        article.execute(params![
            a.sha256,
            a.id,
            a.path,
            a.language,
            a.date,
            a.outlet,
            a.url,
            a.title,
            run,
            a.text,
            a.body_start
        ])?;
    }
    let mut run_article = tx.prepare_cached(
        "INSERT INTO run_articles (run, position, article, id, path) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, a) in rows.articles.iter().enumerate() {
        run_article.execute(params![run, i as i64, a.sha256, a.id, a.path])?;
    }
    let mut claim = tx.prepare_cached(
        "INSERT OR IGNORE INTO claims (article, start, end, text, text_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in &rows.claims {
        claim.execute(params![c.article, c.start, c.end, c.text, c.text_sha256])?;
    }
    Ok(())
}

/// The embeddings and NLI results computed in this run, and the last run of those reused.
fn insert_model_results(
    tx: &Transaction,
    pending: &Pending,
    run: i64,
) -> Result<(), rusqlite::Error> {
    let mut embedding = tx.prepare_cached(
        "INSERT INTO embeddings (model, text_sha256, dim, vector, last_run) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET last_run = excluded.last_run",
    )?;
    for (model, text, vector) in &pending.embeddings {
        embedding.execute(params![
            model,
            text,
            vector.len() as i64,
            to_blob(vector),
            run
        ])?;
    }
    let mut used = tx.prepare_cached(
        "UPDATE embeddings SET last_run = ?1 WHERE model = ?2 AND text_sha256 = ?3",
    )?;
    for (model, text) in &pending.used_embeddings {
        used.execute(params![run, model, text])?;
    }
    let mut nli = tx.prepare_cached(
        "INSERT INTO nli (model, premise_sha256, hypothesis_sha256, entailment, neutral, contradiction, last_run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT DO UPDATE SET last_run = excluded.last_run",
    )?;
    for (model, premise, hypothesis, p) in &pending.nli {
        nli.execute(params![
            model,
            premise,
            hypothesis,
            f64::from(p.entailment),
            f64::from(p.neutral),
            f64::from(p.contradiction),
            run
        ])?;
    }
    let mut used = tx.prepare_cached(
        "UPDATE nli SET last_run = ?1
         WHERE model = ?2 AND premise_sha256 = ?3 AND hypothesis_sha256 = ?4",
    )?;
    for (model, premise, hypothesis) in &pending.used_nli {
        used.execute(params![run, model, premise, hypothesis])?;
    }
    Ok(())
}

/// The run's facts and their values.
fn insert_facts(tx: &Transaction, rows: &RunRows, run: i64) -> Result<(), rusqlite::Error> {
    let mut fact = tx.prepare_cached(
        "INSERT INTO facts (run, fact, value_type, label, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for f in &rows.facts {
        fact.execute(params![run, f.fact, f.value_type, f.label, f.outcome])?;
    }
    let mut value = tx.prepare_cached(
        "INSERT INTO fact_values (run, fact, value_group, value, span, start, end, article)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for v in &rows.values {
        value.execute(params![
            run,
            v.fact,
            v.value_group,
            v.value,
            v.span,
            v.start,
            v.end,
            v.article
        ])?;
    }
    Ok(())
}
