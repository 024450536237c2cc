//! Writes one run into the archive, all in one transaction: the run row, its articles and
//! claims, the model results it computed, and its facts and their values.

use rusqlite::{params, Transaction};

use super::run_cache::{to_blob, Pending};
use super::{Archive, ArchiveError};
use crate::io::sha256_hex;
use crate::pipeline::{RunConfig, RunOutput};

/// The name serde gives a unit enum value (`"consensus"`).
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl Archive {
    /// Records a finished run: `started` and `finished` as RFC 3339 times, `pending` the model
    /// results its cache collected. One transaction: all of it or nothing. Returns the run id.
    pub fn record(
        &mut self,
        config: &RunConfig,
        output: &RunOutput,
        pending: Pending,
        started: &str,
        finished: &str,
    ) -> Result<i64, ArchiveError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| super::sqlite(&path, e))?;
        let run = write(&tx, config, output, &pending, started, finished)?;
        tx.commit().map_err(|e| super::sqlite(&path, e))?;
        Ok(run)
    }
}

/// The settings of a run, as run.json gives them.
fn settings(config: &RunConfig) -> serde_json::Value {
    serde_json::json!({
        "ingest": config.ingest,
        "embed": { "batch_size": config.embed.batch_size, "max_tokens": config.embed.max_tokens },
        "align": config.align,
        "nli": { "batch_size": config.nli.batch_size, "max_tokens": config.nli.max_tokens },
        "nli_checkpoint": config.nli_checkpoint.as_ref().map(|p| p.display().to_string()),
        "verdict": config.verdict,
        "facts": config.facts,
    })
}

/// Every row of the run, inside `tx`.
fn write(
    tx: &Transaction,
    config: &RunConfig,
    out: &RunOutput,
    pending: &Pending,
    started: &str,
    finished: &str,
) -> Result<i64, ArchiveError> {
    let path = tx.path().map(std::path::PathBuf::from).unwrap_or_default();
    let e = |e: rusqlite::Error| super::sqlite(&path, e);
    tx.execute(
        "INSERT INTO runs (drop_path, started, finished, tool_version, embedding_model, nli_model,
                           settings, timings, model_work)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            config.drop.display().to_string(),
            started,
            finished,
            env!("CARGO_PKG_VERSION"),
            out.model_work.embedding_model,
            out.model_work.nli_model,
            serde_json::to_string(&settings(config))?,
            serde_json::to_string(&out.timings)?,
            serde_json::to_string(&out.model_work)?,
        ],
    )
    .map_err(e)?;
    let run = tx.last_insert_rowid();

    let mut article = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO articles (sha256, id, path, language, date, outlet, url, title, first_run)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(e)?;
    let mut run_article = tx
        .prepare_cached(
            "INSERT INTO run_articles (run, position, article, id, path) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(e)?;
    for (i, a) in out.articles.iter().enumerate() {
        let language = out.languages.get(i).map_or("", |l| l.code.as_str());
        let path = a.path.display().to_string();
        article
            .execute(params![
                a.sha256,
                a.id,
                path,
                language,
                a.date.map(|(d, _)| d.to_string()),
                a.outlet,
                a.url,
                a.title,
                run
            ])
            .map_err(e)?;
        run_article
            .execute(params![run, i as i64, a.sha256, a.id, path])
            .map_err(e)?;
    }

    let mut claim = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO claims (article, start, end, text, text_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(e)?;
    for c in &out.claims {
        let Some(a) = out.articles.get(c.article) else {
            continue;
        };
        claim
            .execute(params![
                a.sha256,
                a.source_offsets.to_file(c.start) as i64,
                a.source_offsets.to_file(c.end) as i64,
                c.text,
                sha256_hex(c.text.as_bytes())
            ])
            .map_err(e)?;
    }

    let mut embedding = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO embeddings (model, text_sha256, dim, vector) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(e)?;
    for (model, text, vector) in &pending.embeddings {
        embedding
            .execute(params![model, text, vector.len() as i64, to_blob(vector)])
            .map_err(e)?;
    }
    let mut nli = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO nli (model, premise_sha256, hypothesis_sha256, entailment, neutral, contradiction)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .map_err(e)?;
    for (model, premise, hypothesis, p) in &pending.nli {
        nli.execute(params![
            model,
            premise,
            hypothesis,
            f64::from(p.entailment),
            f64::from(p.neutral),
            f64::from(p.contradiction)
        ])
        .map_err(e)?;
    }

    let mut fact = tx
        .prepare_cached(
            "INSERT INTO facts (run, fact, value_type, label, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(e)?;
    let mut value = tx
        .prepare_cached(
            "INSERT INTO fact_values (run, fact, value_group, value, span, start, end, article)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(e)?;
    for f in &out.facts.facts {
        fact.execute(params![
            run,
            f.id as i64,
            f.class.to_string(),
            f.label,
            name(&f.outcome)
        ])
        .map_err(e)?;
        for (g, group) in f.groups.iter().enumerate() {
            for &m in &group.members {
                let Some(v) = out.values.get(m) else {
                    continue;
                };
                let Some(a) = out.articles.get(v.article) else {
                    continue;
                };
                value
                    .execute(params![
                        run,
                        f.id as i64,
                        g as i64 + 1,
                        v.mention.value.to_string(),
                        v.mention.text,
                        a.source_offsets.to_file(v.start) as i64,
                        a.source_offsets.to_file(v.end) as i64,
                        a.sha256
                    ])
                    .map_err(e)?;
            }
        }
    }
    Ok(run)
}
