//! A finished run as the archive's rows, whichever backend writes them: the run row, its
//! articles in reading order, their claims with file offsets, and its facts and values. Rows
//! that several runs share (articles, claims) come sorted by key, so that concurrent writers
//! take their locks in one order.

use super::RunRecord;
use crate::io::sha256_hex;
use crate::pipeline::{RunConfig, RunOutput};

/// The `runs` row.
pub(super) struct RunRow {
    pub drop_path: String,
    pub started: String,
    pub finished: String,
    pub tool_version: &'static str,
    pub embedding_model: Option<String>,
    pub nli_model: Option<String>,
    pub settings: String,
    pub timings: String,
    pub model_work: String,
}

/// An `articles` row; its position in the run is its index in [`RunRows::articles`].
pub struct ArticleRow {
    /// Content hash.
    pub sha256: String,
    /// Its id in the run that wrote it.
    pub id: String,
    /// Where that run read it.
    pub path: String,
    /// Detected language code.
    pub language: String,
    /// Publication date (`YYYY-MM-DD` or `YYYY-MM`).
    pub date: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// The text as read (UTF-8), so that later runs can compare new drops with it.
    pub text: String,
    /// Where its body starts in `text`.
    pub body_start: i64,
}

/// A `claims` row.
pub(super) struct ClaimRow {
    pub article: String,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub text_sha256: String,
}

/// A `facts` row (without its run).
pub(super) struct FactRow {
    pub fact: i64,
    pub value_type: String,
    pub label: String,
    pub outcome: String,
}

/// A `fact_values` row (without its run).
pub(super) struct ValueRow {
    pub fact: i64,
    pub value_group: i64,
    pub value: String,
    pub span: String,
    pub start: i64,
    pub end: i64,
    pub article: String,
}

/// Every row of one run but the model results (those are in its [`super::Pending`]).
pub(super) struct RunRows {
    pub run: RunRow,
    pub articles: Vec<ArticleRow>,
    pub claims: Vec<ClaimRow>,
    pub facts: Vec<FactRow>,
    pub values: Vec<ValueRow>,
}

/// The name serde gives a unit enum value (`"consensus"`).
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
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
        "earlier": config.earlier,
    })
}

/// One row per article of the drop, in drop order (articles of earlier drops that the run
/// compared it with are archived already, and come after the drop's own).
fn article_rows(out: &RunOutput) -> Vec<ArticleRow> {
    out.articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.earlier.is_none())
        .map(|(i, a)| ArticleRow {
            sha256: a.sha256.clone(),
            id: a.id.clone(),
            path: a.path.display().to_string(),
            language: out
                .languages
                .get(i)
                .map_or(String::new(), |l| l.code.clone()),
            date: a.date.map(|(d, _)| d.to_string()),
            outlet: a.outlet.clone(),
            url: a.url.clone(),
            title: a.title.clone(),
            text: a.text.clone(),
            body_start: a.body_start as i64,
        })
        .collect()
}

/// One row per claim of the drop's own articles, with offsets into the article's file, sorted
/// by article and offsets.
fn claim_rows(out: &RunOutput) -> Vec<ClaimRow> {
    let mut claims: Vec<ClaimRow> = out
        .claims
        .iter()
        .filter_map(|c| {
            let a = out
                .articles
                .get(c.article)
                .filter(|a| a.earlier.is_none())?;
            Some(ClaimRow {
                article: a.sha256.clone(),
                start: a.source_offsets.to_file(c.start) as i64,
                end: a.source_offsets.to_file(c.end) as i64,
                text: c.text.clone(),
                text_sha256: sha256_hex(c.text.as_bytes()),
            })
        })
        .collect();
    claims.sort_by(|x, y| (&x.article, x.start, x.end).cmp(&(&y.article, y.start, y.end)));
    claims
}

/// One row per fact, and one per value of each fact's value groups.
fn fact_rows(out: &RunOutput) -> (Vec<FactRow>, Vec<ValueRow>) {
    let mut facts = Vec::new();
    let mut values = Vec::new();
    for f in &out.facts.facts {
        facts.push(FactRow {
            fact: f.id as i64,
            value_type: f.class.to_string(),
            label: f.label.clone(),
            outcome: name(&f.outcome),
        });
        for (g, group) in f.groups.iter().enumerate() {
            for &m in &group.members {
                let Some(v) = out.values.get(m) else {
                    continue;
                };
                let Some(a) = out.articles.get(v.article) else {
                    continue;
                };
                values.push(ValueRow {
                    fact: f.id as i64,
                    value_group: g as i64 + 1,
                    value: v.mention.value.to_string(),
                    span: v.mention.text.clone(),
                    start: a.source_offsets.to_file(v.start) as i64,
                    end: a.source_offsets.to_file(v.end) as i64,
                    article: a.sha256.clone(),
                });
            }
        }
    }
    (facts, values)
}

impl RunRows {
    /// The rows of `run`.
    pub(super) fn of(run: &RunRecord<'_>) -> Result<Self, serde_json::Error> {
        let (config, out) = (run.config, run.output);
        let row = RunRow {
            drop_path: config.drop.display().to_string(),
            started: run.started.to_string(),
            finished: run.finished.to_string(),
            tool_version: env!("CARGO_PKG_VERSION"),
            embedding_model: out.model_work.embedding_model.clone(),
            nli_model: out.model_work.nli_model.clone(),
            settings: serde_json::to_string(&settings(config))?,
            timings: serde_json::to_string(&out.timings)?,
            model_work: serde_json::to_string(&out.model_work)?,
        };
        let (facts, values) = fact_rows(out);
        Ok(RunRows {
            run: row,
            articles: article_rows(out),
            claims: claim_rows(out),
            facts,
            values,
        })
    }

    /// The articles sorted by content hash (the order to insert them in), with their
    /// positions.
    pub(super) fn articles_by_key(&self) -> Vec<(usize, &ArticleRow)> {
        let mut sorted: Vec<(usize, &ArticleRow)> = self.articles.iter().enumerate().collect();
        sorted.sort_by(|x, y| x.1.sha256.cmp(&y.1.sha256));
        sorted
    }
}

/// The model results of `pending`, each list sorted by key (the order to lock them in).
pub(super) fn sorted_pending(mut pending: super::Pending) -> super::Pending {
    pending
        .embeddings
        .sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    pending
        .embeddings
        .dedup_by(|x, y| (&x.0, &x.1) == (&y.0, &y.1));
    pending
        .nli
        .sort_by(|x, y| (&x.0, &x.1, &x.2).cmp(&(&y.0, &y.1, &y.2)));
    pending
        .nli
        .dedup_by(|x, y| (&x.0, &x.1, &x.2) == (&y.0, &y.1, &y.2));
    pending.used_embeddings.sort();
    pending.used_embeddings.dedup();
    pending.used_nli.sort();
    pending.used_nli.dedup();
    pending
}
