//! The `report` stage: writes the CSV reports and the run record. Files are written under a temporary name and
//! renamed into place, so an interrupted run never leaves a half-written report.

use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

use crate::facts::{Mention, SlotComparison};
use crate::models::{E5_FILE, NLI_FILE, TOKENIZER_FILE};
use crate::pipeline::{JudgedPair, RunConfig, RunOutput};
use crate::verdict::{slot_kind_name, Label, Side};

/// Writes `rows` as a CSV file with a header row (RFC 4180 quoting, UTF-8), atomically.
pub fn write_csv<R: Serialize>(path: &Path, rows: &[R]) -> Result<()> {
    write_atomically(path, |tmp| {
        let mut writer = csv::Writer::from_path(tmp)?;
        for row in rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        Ok(())
    })
}

/// Writes a file by calling `fill` with a temporary sibling path, then renaming it over
/// `path`; on failure the temporary file is removed and `path` is left as it was.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temporary_sibling(path);
    let result = fill(&tmp).and_then(|()| {
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("writing {}; check the folder is writable", path.display()))
}

fn temporary_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Seconds spent in one stage and how many items it handled.
#[derive(Debug, Clone, Serialize)]
pub struct StageTiming {
    /// Stage name.
    pub stage: String,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Articles, sentences or pairs, depending on the stage.
    pub items: usize,
}

/// What the report writer needs: the run's settings and its output.
pub struct Report<'a> {
    /// Settings of the run.
    pub config: &'a RunConfig,
    /// What the stages produced.
    pub output: &'a RunOutput,
}

/// Probabilities and similarities are written with 4 decimals, so that reports do not change
/// with the last bits of floating-point arithmetic.
fn fixed(value: f32) -> String {
    format!("{value:.4}")
}

/// A row of `claims.csv`: every sentence, kept as a claim or dropped as furniture.
#[derive(Serialize)]
struct ClaimRow<'a> {
    article: &'a str,
    sentence: usize,
    language: &'a str,
    language_confidence: String,
    start: usize,
    end: usize,
    status: &'static str,
    drop_reason: &'a str,
    text: &'a str,
}

/// A row of `pairs.csv` (every candidate pair) and of `conflicts.csv` (the contradictions and
/// one-sided details, most important first): both sentences, similarity, NLI probabilities
/// both ways, the verdict with its reason, and the typed evidence.
#[derive(Serialize)]
struct PairRow<'a> {
    pair: usize,
    conflict_rank: Option<usize>,
    verdict: &'static str,
    confidence: String,
    reason: &'a str,
    same_event: &'static str,
    event_evidence: &'a str,
    detail_article: &'a str,
    article_a: &'a str,
    sentence_a: usize,
    language_a: &'a str,
    article_b: &'a str,
    sentence_b: usize,
    language_b: &'a str,
    similarity: String,
    ab_entailment: String,
    ab_neutral: String,
    ab_contradiction: String,
    ba_entailment: String,
    ba_neutral: String,
    ba_contradiction: String,
    slot_type: String,
    slot_outcome: String,
    value_a: String,
    value_b: String,
    span_a: &'a str,
    span_b: &'a str,
    all_slots: String,
    text_a: &'a str,
    text_b: &'a str,
}

/// `kind:outcome(value_a|value_b)` for every slot of a pair, `;`-separated.
fn slots_summary(slots: &[SlotComparison]) -> String {
    let value = |m: &Option<Mention>| m.as_ref().map(|m| m.value.to_string()).unwrap_or_default();
    slots
        .iter()
        .map(|s| {
            format!(
                "{}:{:?}({}|{})",
                slot_kind_name(s),
                s.outcome,
                value(&s.a),
                value(&s.b)
            )
            .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Importance order of conflicts: contradictions before one-sided details; same event before
/// unsure before different events; then by confidence.
fn conflict_order(x: &JudgedPair, y: &JudgedPair) -> std::cmp::Ordering {
    let event = |p: &JudgedPair| p.verdict.same_event.as_ref().map(|(e, _)| *e);
    x.verdict
        .label
        .cmp(&y.verdict.label)
        .then(event(x).cmp(&event(y)))
        .then(y.verdict.confidence.total_cmp(&x.verdict.confidence))
}

/// A row of `summary.csv`: one per article.
#[derive(Serialize)]
struct SummaryRow<'a> {
    article: &'a str,
    language: &'a str,
    date: String,
    date_source: &'static str,
    sentences: usize,
    claims: usize,
    dropped: usize,
    pairs: usize,
    agreements: usize,
    contradictions: usize,
    one_sided_details: usize,
    related: usize,
}

/// Writes claims.csv, pairs.csv, conflicts.csv, summary.csv and run.json into `dir`.
pub fn write_reports(dir: &Path, report: &Report) -> Result<()> {
    let out = report.output;
    let article_id = |sentence: usize| out.articles[out.sentences[sentence].article].id.as_str();

    let claims: Vec<ClaimRow> = out
        .sentences
        .iter()
        .map(|s| ClaimRow {
            article: &out.articles[s.article].id,
            sentence: s.index,
            language: &s.language,
            language_confidence: fixed(s.language_confidence as f32),
            start: s.start,
            end: s.end,
            status: if s.dropped.is_some() {
                "dropped"
            } else {
                "kept"
            },
            drop_reason: s.dropped.as_deref().unwrap_or(""),
            text: &s.text,
        })
        .collect();
    write_csv(&dir.join("claims.csv"), &claims)?;

    let mut conflicts: Vec<usize> = (0..out.pairs.len())
        .filter(|&n| {
            matches!(
                out.pairs[n].verdict.label,
                Label::Contradict | Label::OneSidedDetail
            )
        })
        .collect();
    conflicts.sort_by(|&n, &m| conflict_order(&out.pairs[n], &out.pairs[m]).then(n.cmp(&m)));
    let mut rank = vec![None; out.pairs.len()];
    for (r, &n) in conflicts.iter().enumerate() {
        rank[n] = Some(r + 1);
    }
    let row = |n: usize| -> PairRow {
        let p = &out.pairs[n];
        let (a, b) = (&out.sentences[p.pair.a], &out.sentences[p.pair.b]);
        let key = p.verdict.key_slot();
        let value = |m: Option<&Mention>| m.map(|m| m.value.to_string()).unwrap_or_default();
        let (slot_a, slot_b) = (
            key.and_then(|k| k.a.as_ref()),
            key.and_then(|k| k.b.as_ref()),
        );
        PairRow {
            pair: n + 1,
            conflict_rank: rank[n],
            verdict: p.verdict.label.as_str(),
            confidence: fixed(p.verdict.confidence),
            reason: &p.verdict.reason,
            same_event: p
                .verdict
                .same_event
                .as_ref()
                .map_or("", |(e, _)| e.as_str()),
            event_evidence: p
                .verdict
                .same_event
                .as_ref()
                .map_or("", |(_, why)| why.as_str()),
            detail_article: match p.verdict.detail_side {
                Some(Side::A) => article_id(p.pair.a),
                Some(Side::B) => article_id(p.pair.b),
                None => "",
            },
            article_a: article_id(p.pair.a),
            sentence_a: a.index,
            language_a: &a.language,
            article_b: article_id(p.pair.b),
            sentence_b: b.index,
            language_b: &b.language,
            similarity: fixed(p.pair.similarity),
            ab_entailment: fixed(p.ab.entailment),
            ab_neutral: fixed(p.ab.neutral),
            ab_contradiction: fixed(p.ab.contradiction),
            ba_entailment: fixed(p.ba.entailment),
            ba_neutral: fixed(p.ba.neutral),
            ba_contradiction: fixed(p.ba.contradiction),
            slot_type: key.map(slot_kind_name).unwrap_or_default(),
            slot_outcome: key
                .map(|k| format!("{:?}", k.outcome).to_lowercase())
                .unwrap_or_default(),
            value_a: value(slot_a),
            value_b: value(slot_b),
            span_a: slot_a.map_or("", |m| m.text.as_str()),
            span_b: slot_b.map_or("", |m| m.text.as_str()),
            all_slots: slots_summary(&p.verdict.slots),
            text_a: &a.text,
            text_b: &b.text,
        }
    };
    let pair_rows: Vec<PairRow> = (0..out.pairs.len()).map(row).collect();
    write_csv(&dir.join("pairs.csv"), &pair_rows)?;
    let conflict_rows: Vec<PairRow> = conflicts.into_iter().map(row).collect();
    write_csv(&dir.join("conflicts.csv"), &conflict_rows)?;

    write_csv(&dir.join("summary.csv"), &summary_rows(out))?;
    write_run_record(&dir.join("run.json"), report)
}

fn summary_rows(out: &RunOutput) -> Vec<SummaryRow<'_>> {
    out.articles
        .iter()
        .enumerate()
        .map(|(i, article)| {
            let sentences: Vec<&crate::segment::Sentence> =
                out.sentences.iter().filter(|s| s.article == i).collect();
            let claims = sentences.iter().filter(|s| s.dropped.is_none()).count();
            let involving: Vec<&JudgedPair> = out
                .pairs
                .iter()
                .filter(|p| {
                    out.sentences[p.pair.a].article == i || out.sentences[p.pair.b].article == i
                })
                .collect();
            let count = |label: Label| {
                involving
                    .iter()
                    .filter(|p| p.verdict.label == label)
                    .count()
            };
            SummaryRow {
                article: &article.id,
                language: &out.languages[i].code,
                date: article.date.map(|(d, _)| d.to_string()).unwrap_or_default(),
                date_source: article.date.map_or("", |(_, source)| source.as_str()),
                sentences: sentences.len(),
                claims,
                dropped: sentences.len() - claims,
                pairs: involving.len(),
                agreements: count(Label::Agree),
                contradictions: count(Label::Contradict),
                one_sided_details: count(Label::OneSidedDetail),
                related: count(Label::Related),
            }
        })
        .collect()
}

/// sha256 of a file, or a note that it could not be read.
fn file_sha256(path: &Path) -> String {
    use sha2::Digest;
    match std::fs::read(path) {
        Ok(bytes) => sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        Err(e) => format!("unreadable: {e}"),
    }
}

/// `run.json`: what produced the reports (tool version, models and hashes, thresholds, inputs
/// and their hashes) and how long each stage took.
fn write_run_record(path: &Path, report: &Report) -> Result<()> {
    let (config, out) = (report.config, report.output);
    let mut model_files: Vec<PathBuf> = [E5_FILE, TOKENIZER_FILE]
        .iter()
        .map(|n| config.models.file(n))
        .collect();
    match &config.nli_checkpoint {
        Some(dir) => model_files.extend(
            [
                "config.json",
                "model.safetensors",
                "pytorch_model.bin",
                "tokenizer.json",
            ]
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.exists()),
        ),
        None => model_files.push(config.models.file(NLI_FILE)),
    }
    let models: Vec<serde_json::Value> = model_files
        .iter()
        .map(|file| serde_json::json!({ "file": file.display().to_string(), "sha256": file_sha256(file) }))
        .collect();
    let inputs: Vec<serde_json::Value> = out
        .articles
        .iter()
        .map(|a| serde_json::json!({ "id": a.id, "path": a.path.display().to_string(), "sha256": a.sha256 }))
        .collect();
    let record = serde_json::json!({
        "tool": "crosscheck",
        "version": env!("CARGO_PKG_VERSION"),
        "drop": config.drop.display().to_string(),
        "models": models,
        "settings": {
            "embed": { "batch_size": config.embed.batch_size, "max_tokens": config.embed.max_tokens },
            "align": config.align,
            "nli": { "batch_size": config.nli.batch_size, "max_tokens": config.nli.max_tokens },
            "verdict": config.verdict,
        },
        "inputs": inputs,
        "warnings": out.warnings,
        "timings": out.timings,
    });
    let json = serde_json::to_vec_pretty(&record)?;
    write_atomically(path, |tmp| Ok(std::fs::write(tmp, &json)?))
}
