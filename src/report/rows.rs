//! The rows of the CSV reports, one public type per file. A column is one field; text that a
//! spreadsheet could run as a formula is a [`Cell`].

use serde::Serialize;

use crate::domain::{
    Article, ArticleLanguage, JudgedPair, LabelCounts, Mention, Sentence, Side, SlotComparison,
};
use crate::io::Cell;
use crate::pipeline::RunOutput;

/// Probabilities and similarities are written with 4 decimals, so that reports do not change
/// with the last bits of floating-point arithmetic.
pub fn fixed(value: f32) -> String {
    format!("{value:.4}")
}

/// The serde name of a unit enum variant (`snake_case` as the type declares it).
fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A row of `claims.csv`: every sentence, kept as a claim or dropped as furniture. `start` and
/// `end` are byte offsets into the article's file as it is on disk.
#[derive(Debug, Default, Serialize)]
pub struct ClaimRow<'a> {
    /// Article id.
    pub article: Cell<'a>,
    /// Sentence number within the article, from 0.
    pub sentence: usize,
    /// Detected language of the sentence.
    pub language: &'a str,
    /// Confidence of the detection.
    pub language_confidence: String,
    /// First byte in the file.
    pub start: usize,
    /// Byte just past the sentence in the file.
    pub end: usize,
    /// `kept` or `dropped`.
    pub status: &'static str,
    /// Why it was dropped.
    pub drop_reason: String,
    /// The sentence.
    pub text: Cell<'a>,
}

impl<'a> ClaimRow<'a> {
    /// The row of one sentence.
    pub fn of(article: &'a Article, s: &'a Sentence) -> Self {
        ClaimRow {
            article: article.id.as_str().into(),
            sentence: s.index,
            language: &s.language,
            language_confidence: fixed(s.language_confidence as f32),
            start: article.source_offsets.to_file(s.start),
            end: article.source_offsets.to_file(s.end),
            status: if s.is_claim() { "kept" } else { "dropped" },
            drop_reason: s.dropped.map(|r| r.to_string()).unwrap_or_default(),
            text: s.text.as_str().into(),
        }
    }
}

/// A row of `pairs.csv` (every candidate pair) and of `conflicts.csv` (the contradictions and
/// one-sided details, most important first): both sentences, similarity, NLI probabilities
/// both ways, the verdict with its reason, and the typed evidence.
#[derive(Debug, Default, Serialize)]
pub struct PairRow<'a> {
    /// Pair number (1-based position in pairs.csv).
    pub pair: usize,
    /// Position in conflicts.csv.
    pub conflict_rank: Option<usize>,
    /// The verdict.
    pub verdict: String,
    /// Its confidence.
    pub confidence: String,
    /// Its typed reason.
    pub reason: String,
    /// `yes`, `unsure` or `no` for conflicts.
    pub same_event: String,
    /// Why.
    pub event_evidence: Cell<'a>,
    /// The article stating a one-sided detail.
    pub detail_article: Cell<'a>,
    /// First claim's article.
    pub article_a: Cell<'a>,
    /// Its sentence number.
    pub sentence_a: usize,
    /// Its language.
    pub language_a: &'a str,
    /// Second claim's article.
    pub article_b: Cell<'a>,
    /// Its sentence number.
    pub sentence_b: usize,
    /// Its language.
    pub language_b: &'a str,
    /// Cosine similarity of the embeddings.
    pub similarity: String,
    /// a => b entailment.
    pub ab_entailment: String,
    /// a => b neutral.
    pub ab_neutral: String,
    /// a => b contradiction.
    pub ab_contradiction: String,
    /// b => a entailment.
    pub ba_entailment: String,
    /// b => a neutral.
    pub ba_neutral: String,
    /// b => a contradiction.
    pub ba_contradiction: String,
    /// Kind of the deciding typed value.
    pub slot_type: String,
    /// How the two sides relate on it.
    pub slot_outcome: String,
    /// Normalised value on side a.
    pub value_a: String,
    /// Normalised value on side b.
    pub value_b: String,
    /// The value's text on side a.
    pub span_a: Cell<'a>,
    /// The value's text on side b.
    pub span_b: Cell<'a>,
    /// Every compared slot, `kind:outcome(a|b)`, `;`-separated.
    pub all_slots: Cell<'a>,
    /// First claim.
    pub text_a: Cell<'a>,
    /// Second claim.
    pub text_b: Cell<'a>,
}

/// `kind:outcome(value_a|value_b)` for every slot of a pair, `;`-separated.
fn slots_summary(slots: &[SlotComparison]) -> String {
    let value = |m: &Option<Mention>| m.as_ref().map(|m| m.value.to_string()).unwrap_or_default();
    slots
        .iter()
        .map(|s| {
            format!(
                "{}:{}({}|{})",
                name(&s.kind),
                name(&s.outcome),
                value(&s.a),
                value(&s.b)
            )
            .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(";")
}

impl<'a> PairRow<'a> {
    /// The row of pair `n` (0-based) with its conflict rank.
    pub fn of(out: &'a RunOutput, n: usize, conflict_rank: Option<usize>) -> Self {
        let p: &JudgedPair = &out.pairs[n];
        let (a, b) = (&out.sentences[p.pair.a], &out.sentences[p.pair.b]);
        let article_id = |s: &Sentence| -> Cell<'a> { out.articles[s.article].id.as_str().into() };
        let key = p.verdict.key_slot();
        let value = |m: Option<&Mention>| m.map(|m| m.value.to_string()).unwrap_or_default();
        let (slot_a, slot_b) = (
            key.and_then(|k| k.a.as_ref()),
            key.and_then(|k| k.b.as_ref()),
        );
        let event = p.verdict.event.as_ref();
        PairRow {
            pair: n + 1,
            conflict_rank,
            verdict: name(&p.verdict.label),
            confidence: fixed(p.verdict.confidence),
            reason: p.verdict.reason.to_string(),
            same_event: event.map(|m| m.decision.to_string()).unwrap_or_default(),
            event_evidence: event
                .map(|m| m.evidence.to_string())
                .unwrap_or_default()
                .into(),
            detail_article: match p.verdict.detail_side {
                Some(Side::A) => article_id(a),
                Some(Side::B) => article_id(b),
                None => Cell::default(),
            },
            article_a: article_id(a),
            sentence_a: a.index,
            language_a: &a.language,
            article_b: article_id(b),
            sentence_b: b.index,
            language_b: &b.language,
            similarity: fixed(p.pair.similarity),
            ab_entailment: fixed(p.ab.entailment),
            ab_neutral: fixed(p.ab.neutral),
            ab_contradiction: fixed(p.ab.contradiction),
            ba_entailment: fixed(p.ba.entailment),
            ba_neutral: fixed(p.ba.neutral),
            ba_contradiction: fixed(p.ba.contradiction),
            slot_type: key.map(|k| name(&k.kind)).unwrap_or_default(),
            slot_outcome: key.map(|k| name(&k.outcome)).unwrap_or_default(),
            value_a: value(slot_a),
            value_b: value(slot_b),
            span_a: slot_a.map_or_else(Cell::default, |m| m.text.as_str().into()),
            span_b: slot_b.map_or_else(Cell::default, |m| m.text.as_str().into()),
            all_slots: slots_summary(&p.verdict.slots).into(),
            text_a: a.text.as_str().into(),
            text_b: b.text.as_str().into(),
        }
    }
}

/// A row of `summary.csv`: one per article.
#[derive(Debug, Default, Serialize)]
pub struct SummaryRow<'a> {
    /// Article id.
    pub article: Cell<'a>,
    /// Its language.
    pub language: &'a str,
    /// Publication date.
    pub date: String,
    /// `header` or `url`.
    pub date_source: String,
    /// Sentences.
    pub sentences: usize,
    /// Claims (sentences kept).
    pub claims: usize,
    /// Furniture dropped.
    pub dropped: usize,
    /// Pairs involving it.
    pub pairs: usize,
    /// Of those, `agree`.
    pub agreements: usize,
    /// `contradict`.
    pub contradictions: usize,
    /// `one_sided_detail`.
    pub one_sided_details: usize,
    /// `related`.
    pub related: usize,
}

impl<'a> SummaryRow<'a> {
    /// The row of article `i`.
    pub fn of(out: &'a RunOutput, i: usize, language: &'a ArticleLanguage) -> Self {
        let article = &out.articles[i];
        let sentences: Vec<&Sentence> = out.sentences.iter().filter(|s| s.article == i).collect();
        let claims = sentences.iter().filter(|s| s.is_claim()).count();
        let involving: Vec<&JudgedPair> = out
            .pairs
            .iter()
            .filter(|p| {
                out.sentences[p.pair.a].article == i || out.sentences[p.pair.b].article == i
            })
            .collect();
        let counts: LabelCounts = involving.iter().copied().collect();
        SummaryRow {
            article: article.id.as_str().into(),
            language: &language.code,
            date: article.date.map(|(d, _)| d.to_string()).unwrap_or_default(),
            date_source: article.date.map(|(_, s)| name(&s)).unwrap_or_default(),
            sentences: sentences.len(),
            claims,
            dropped: sentences.len() - claims,
            pairs: involving.len(),
            agreements: counts.agreements,
            contradictions: counts.contradictions,
            one_sided_details: counts.one_sided_details,
            related: counts.related,
        }
    }
}
