//! Writes one run into the PostgreSQL archive in one transaction, like the SQLite backend; a
//! worker's run also marks its job done in that transaction, and only while the job is still
//! the worker's (a worker whose lease ran out writes nothing). Rows shared between runs are
//! written in key order, and a transaction that meets a deadlock with another writer anyway is
//! tried again.

use pgvector::Vector;
use postgres::error::SqlState;
use postgres::Transaction;

use super::{Job, PgArchive};
use crate::store::archive::rows::{sorted_pending, RunRows};
use crate::store::archive::{ArchiveError, Pending, RunRecord};

/// How often a transaction that lost a deadlock is tried.
const TRIES: usize = 3;

/// Records `run` (for `job`, when a worker ran it); returns the run id, or `None` when the job
/// is no longer this worker's (nothing was written).
pub(super) fn record(
    archive: &mut PgArchive,
    run: RunRecord<'_>,
    job: Option<&Job>,
) -> Result<Option<i64>, ArchiveError> {
    let rows = RunRows::of(&run)?;
    let pending = sorted_pending(run.pending);
    let mut client = archive.client.borrow_mut();
    let mut tries = 0;
    loop {
        tries += 1;
        let attempt =
            client
                .transaction()
                .and_then(|mut tx| match write(&mut tx, &rows, &pending, job)? {
                    Some(id) => tx.commit().map(|_| Some(id)),
                    None => tx.rollback().map(|_| None),
                });
        match attempt {
            Ok(id) => return Ok(id),
            Err(e)
                if tries < TRIES
                    && matches!(
                        e.code(),
                        Some(&SqlState::T_R_DEADLOCK_DETECTED)
                            | Some(&SqlState::T_R_SERIALIZATION_FAILURE)
                    ) =>
            {
                continue
            }
            Err(source) => {
                return Err(ArchiveError::Postgres {
                    url: archive.url.clone(),
                    source,
                })
            }
        }
    }
}

/// Every row of the run inside `tx`; `None` when `job` is no longer held by its worker.
fn write(
    tx: &mut Transaction<'_>,
    rows: &RunRows,
    pending: &Pending,
    job: Option<&Job>,
) -> Result<Option<i64>, postgres::Error> {
    if let Some(job) = job {
        let held = tx.query_opt(
            "SELECT 1 FROM jobs WHERE id = $1 AND worker = $2 AND state = 'running' FOR UPDATE",
            &[&job.id, &job.worker],
        )?;
        if held.is_none() {
            return Ok(None);
        }
    }
    let run = insert_run(tx, rows)?;
    insert_articles_and_claims(tx, rows, run)?;
    insert_model_results(tx, pending, run)?;
    insert_facts(tx, rows, run)?;
    if let Some(job) = job {
        tx.execute(
            "UPDATE jobs SET state = 'done', finished = now(), lease_until = NULL, run = $2, error = NULL
             WHERE id = $1",
            &[&job.id, &run],
        )?;
    }
    Ok(Some(run))
}

/// The run's own row; returns its id.
fn insert_run(tx: &mut Transaction<'_>, rows: &RunRows) -> Result<i64, postgres::Error> {
    let r = &rows.run;
    Ok(tx
        .query_one(
            "INSERT INTO runs (drop_path, started, finished, tool_version, embedding_model,
                               nli_model, settings, timings, model_work)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            &[
                &r.drop_path,
                &r.started,
                &r.finished,
                &r.tool_version,
                &r.embedding_model,
                &r.nli_model,
                &r.settings,
                &r.timings,
                &r.model_work,
            ],
        )?
        .get(0))
}

/// The articles (first seen in this run or not), their places in the run, their claims.
fn insert_articles_and_claims(
    tx: &mut Transaction<'_>,
    rows: &RunRows,
    run: i64,
) -> Result<(), postgres::Error> {
    let article = tx.prepare(
        "INSERT INTO articles (sha256, id, path, language, date, outlet, url, title, first_run, text, body_start)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (sha256) DO UPDATE SET text = excluded.text, body_start = excluded.body_start
         WHERE articles.text IS NULL",
    )?;
    for (_, a) in rows.articles_by_key() {
        tx.execute(
            &article,
            &[
                &a.sha256,
                &a.id,
                &a.path,
                &a.language,
                &a.date,
                &a.outlet,
                &a.url,
                &a.title,
                &run,
                &a.text,
                &a.body_start,
            ],
        )?;
    }
    let run_article = tx.prepare(
        "INSERT INTO run_articles (run, position, article, id, path) VALUES ($1, $2, $3, $4, $5)",
    )?;
    for (i, a) in rows.articles.iter().enumerate() {
        tx.execute(
            &run_article,
            &[&run, &(i as i64), &a.sha256, &a.id, &a.path],
        )?;
    }
    let claim = tx.prepare(
        "INSERT INTO claims (article, start, \"end\", text, text_sha256) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
    )?;
    for c in &rows.claims {
        tx.execute(
            &claim,
            &[&c.article, &c.start, &c.end, &c.text, &c.text_sha256],
        )?;
    }
    Ok(())
}

/// The embeddings and NLI results computed in this run, and the last run of those reused.
fn insert_model_results(
    tx: &mut Transaction<'_>,
    pending: &Pending,
    run: i64,
) -> Result<(), postgres::Error> {
    let embedding = tx.prepare(
        "INSERT INTO embeddings (model, text_sha256, dim, vector, last_run) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (model, text_sha256) DO UPDATE SET last_run = excluded.last_run",
    )?;
    for (model, text, vector) in &pending.embeddings {
        let v = Vector::from(vector.clone());
        tx.execute(&embedding, &[model, text, &(vector.len() as i64), &v, &run])?;
    }
    let (models, texts): (Vec<&str>, Vec<&str>) = pending
        .used_embeddings
        .iter()
        .map(|(m, t)| (m.as_str(), t.as_str()))
        .unzip();
    tx.execute(
        "UPDATE embeddings e SET last_run = $1
         FROM unnest($2::text[], $3::text[]) AS u(model, text_sha256)
         WHERE e.model = u.model AND e.text_sha256 = u.text_sha256",
        &[&run, &models, &texts],
    )?;
    let nli = tx.prepare(
        "INSERT INTO nli (model, premise_sha256, hypothesis_sha256, entailment, neutral,
                          contradiction, last_run)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (model, premise_sha256, hypothesis_sha256) DO UPDATE SET last_run = excluded.last_run",
    )?;
    for (model, premise, hypothesis, p) in &pending.nli {
        tx.execute(
            &nli,
            &[
                model,
                premise,
                hypothesis,
                &p.entailment,
                &p.neutral,
                &p.contradiction,
                &run,
            ],
        )?;
    }
    let mut models = Vec::new();
    let mut premises = Vec::new();
    let mut hypotheses = Vec::new();
    for (m, p, h) in &pending.used_nli {
        models.push(m.as_str());
        premises.push(p.as_str());
        hypotheses.push(h.as_str());
    }
    tx.execute(
        "UPDATE nli n SET last_run = $1
         FROM unnest($2::text[], $3::text[], $4::text[]) AS u(model, premise, hypothesis)
         WHERE n.model = u.model AND n.premise_sha256 = u.premise
           AND n.hypothesis_sha256 = u.hypothesis",
        &[&run, &models, &premises, &hypotheses],
    )?;
    Ok(())
}

/// The run's facts and their values.
fn insert_facts(tx: &mut Transaction<'_>, rows: &RunRows, run: i64) -> Result<(), postgres::Error> {
    let fact = tx.prepare(
        "INSERT INTO facts (run, fact, value_type, label, outcome) VALUES ($1, $2, $3, $4, $5)",
    )?;
    for f in &rows.facts {
        tx.execute(&fact, &[&run, &f.fact, &f.value_type, &f.label, &f.outcome])?;
    }
    let value = tx.prepare(
        "INSERT INTO fact_values (run, fact, value_group, value, span, start, \"end\", article)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )?;
    for v in &rows.values {
        tx.execute(
            &value,
            &[
                &run,
                &v.fact,
                &v.value_group,
                &v.value,
                &v.span,
                &v.start,
                &v.end,
                &v.article,
            ],
        )?;
    }
    Ok(())
}
