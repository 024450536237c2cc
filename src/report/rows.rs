//! The rows of the CSV reports, one public type per file. A column is one field; text that a
//! spreadsheet could run as a formula is a [`Cell`].

use serde::Serialize;

use std::collections::BTreeSet;

use crate::domain::{
    Article, ArticleLanguage, Claim, FactOutcome, JudgedPair, Label, LabelCounts, Mention,
    Sentence, Side, SlotComparison,
};
use crate::io::Cell;
use crate::pipeline::RunOutput;

/// Probabilities and similarities are written with 4 decimals, so that reports do not change
/// with the last bits of floating-point arithmetic.
pub fn fixed(value: f32) -> String {
    format!("{value:.4}")
}

/// The serde name of a unit enum variant (`snake_case` as the type declares it).
pub(super) fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A row of `claims.csv`: every claim unit, and every sentence dropped as furniture. `start`
/// and `end` are byte offsets into the article's file as it is on disk.
#[derive(Debug, Default, Serialize)]
pub struct ClaimRow<'a> {
    /// Article id.
    pub article: Cell<'a>,
    /// Sentence number within the article, from 0.
    pub sentence: usize,
    /// Claim number within the sentence, from 1 (0 for furniture).
    pub claim: usize,
    /// Detected language of the sentence.
    pub language: &'a str,
    /// Confidence of the detection.
    pub language_confidence: String,
    /// First byte of the claim in the file.
    pub start: usize,
    /// Byte just past the claim in the file.
    pub end: usize,
    /// `kept` or `dropped`.
    pub status: &'static str,
    /// Why it was dropped.
    pub drop_reason: String,
    /// How many other articles state the same claim or one of its values.
    pub corroborations: usize,
    /// Their ids, `;`-separated: empty marks a single-source claim, the ones to verify first.
    pub corroborated_by: Cell<'a>,
    /// The claim (or the dropped sentence).
    pub text: Cell<'a>,
    /// The whole sentence.
    pub sentence_text: Cell<'a>,
}

impl<'a> ClaimRow<'a> {
    /// The row of a sentence dropped as furniture.
    pub fn dropped(article: &'a Article, s: &'a Sentence) -> Self {
        ClaimRow {
            article: article.id.as_str().into(),
            sentence: s.index,
            claim: 0,
            language: &s.language,
            language_confidence: fixed(s.language_confidence as f32),
            start: article.source_offsets.to_file(s.start),
            end: article.source_offsets.to_file(s.end),
            status: "dropped",
            drop_reason: s.dropped.map(|r| r.to_string()).unwrap_or_default(),
            text: s.text.as_str().into(),
            sentence_text: s.text.as_str().into(),
            ..ClaimRow::default()
        }
    }

    /// The row of claim `c`, the `number`-th of its sentence (from 1).
    pub fn kept(
        out: &'a RunOutput,
        c: usize,
        number: usize,
        corroboration: &BTreeSet<usize>,
    ) -> Self {
        let claim: &Claim = &out.claims[c];
        let article = &out.articles[claim.article];
        let s = &out.sentences[claim.sentence];
        let ids: Vec<&str> = corroboration
            .iter()
            .map(|&a| out.articles[a].id.as_str())
            .collect();
        ClaimRow {
            article: article.id.as_str().into(),
            sentence: s.index,
            claim: number,
            language: &s.language,
            language_confidence: fixed(s.language_confidence as f32),
            start: article.source_offsets.to_file(claim.start),
            end: article.source_offsets.to_file(claim.end),
            status: "kept",
            drop_reason: String::new(),
            corroborations: ids.len(),
            corroborated_by: ids.join(";").into(),
            text: claim.text.as_str().into(),
            sentence_text: s.text.as_str().into(),
        }
    }
}

/// For each claim, the other articles that state it: the other side of every agreeing pair,
/// and the articles giving a value of the same group of a fact.
pub fn corroboration(out: &RunOutput) -> Vec<BTreeSet<usize>> {
    let mut by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); out.claims.len()];
    for p in &out.pairs {
        if p.verdict.label == Label::Agree {
            let (a, b) = (p.pair.a, p.pair.b);
            by[a].insert(out.claims[b].article);
            by[b].insert(out.claims[a].article);
        }
    }
    for fact in &out.facts.facts {
        for group in &fact.groups {
            for &x in &group.members {
                for &y in &group.members {
                    let (vx, vy) = (&out.values[x], &out.values[y]);
                    if vx.article != vy.article {
                        by[vx.claim].insert(vy.article);
                    }
                }
            }
        }
    }
    by
}

/// A row of `pairs.csv` (every candidate pair) and of `conflicts.csv` (the contradictions and
/// one-sided details, most important first): both sentences, similarity, NLI probabilities
/// both ways, the verdict with its reason, and the typed evidence.
#[derive(Debug, Default, Serialize)]
pub struct PairRow<'a> {
    /// Pair number (1-based position in pairs.csv).
    pub pair: usize,
    /// Position in conflicts.csv, for an NLI contradiction listed there.
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
    pub claim_a: Cell<'a>,
    /// Second claim.
    pub claim_b: Cell<'a>,
    /// The first claim's whole sentence.
    pub text_a: Cell<'a>,
    /// The second claim's whole sentence.
    pub text_b: Cell<'a>,
    /// First article's outlet.
    pub outlet_a: Cell<'a>,
    /// Its publication date.
    pub date_a: String,
    /// Second article's outlet.
    pub outlet_b: Cell<'a>,
    /// Its publication date.
    pub date_b: String,
    /// When the second article comes from an earlier drop (the archive's articles come after
    /// the drop's, so only side b can): the archive's id of the run that first read it
    /// (summary.csv says which drop that was).
    pub earlier_run_b: Option<i64>,
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
        let (claim_a, claim_b) = (&out.claims[p.pair.a], &out.claims[p.pair.b]);
        let (a, b) = (
            &out.sentences[claim_a.sentence],
            &out.sentences[claim_b.sentence],
        );
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
            claim_a: claim_a.text.as_str().into(),
            claim_b: claim_b.text.as_str().into(),
            text_a: a.text.as_str().into(),
            text_b: b.text.as_str().into(),
            outlet_a: outlet(&out.articles[a.article]),
            date_a: date(&out.articles[a.article]),
            outlet_b: outlet(&out.articles[b.article]),
            date_b: date(&out.articles[b.article]),
            earlier_run_b: out.articles[b.article].earlier.as_ref().map(|e| e.run),
        }
    }
}

/// An article's outlet, empty when unknown.
fn outlet(article: &Article) -> Cell<'_> {
    article.outlet.as_deref().unwrap_or_default().into()
}

/// An article's publication date, empty when unknown.
fn date(article: &Article) -> String {
    article.date.map(|(d, _)| d.to_string()).unwrap_or_default()
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
    /// Claim units of the sentences kept.
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
    /// Facts it gives a value for.
    pub facts_stated: usize,
    /// Of those, facts on which the articles agree (consensus or compatible).
    pub facts_agreed: usize,
    /// Facts in conflict.
    pub facts_disputed: usize,
    /// Facts only it gives.
    pub facts_single_source: usize,
    /// Its outlet.
    pub outlet: Cell<'a>,
    /// For an article of an earlier drop that the run compared the drop with: the archive's
    /// id of the run that first read it (empty for the drop's own articles).
    pub earlier_run: Option<i64>,
    /// That run's drop.
    pub earlier_drop: Cell<'a>,
    /// When that run started.
    pub earlier_started: &'a str,
}

impl<'a> SummaryRow<'a> {
    /// The row of article `i`.
    pub fn of(out: &'a RunOutput, i: usize, language: &'a ArticleLanguage) -> Self {
        let article = &out.articles[i];
        let sentences: Vec<&Sentence> = out.sentences.iter().filter(|s| s.article == i).collect();
        let kept = sentences.iter().filter(|s| s.is_claim()).count();
        let claims = out.claims.iter().filter(|c| c.article == i).count();
        let involving: Vec<&JudgedPair> = out
            .pairs
            .iter()
            .filter(|p| out.claims[p.pair.a].article == i || out.claims[p.pair.b].article == i)
            .collect();
        let outcomes: Vec<FactOutcome> = out
            .facts
            .facts
            .iter()
            .filter(|f| f.members.iter().any(|&m| out.values[m].article == i))
            .map(|f| f.outcome)
            .collect();
        let count = |wanted: &[FactOutcome]| outcomes.iter().filter(|o| wanted.contains(o)).count();
        let counts: LabelCounts = involving.iter().copied().collect();
        SummaryRow {
            article: article.id.as_str().into(),
            language: &language.code,
            date: date(article),
            date_source: article.date.map(|(_, s)| name(&s)).unwrap_or_default(),
            sentences: sentences.len(),
            claims,
            dropped: sentences.len() - kept,
            pairs: involving.len(),
            agreements: counts.agreements,
            contradictions: counts.contradictions,
            one_sided_details: counts.one_sided_details,
            related: counts.related,
            facts_stated: outcomes.len(),
            facts_agreed: count(&[FactOutcome::Consensus, FactOutcome::Compatible]),
            facts_disputed: count(&[FactOutcome::Conflict]),
            facts_single_source: count(&[FactOutcome::SingleSource]),
            outlet: outlet(article),
            earlier_run: article.earlier.as_ref().map(|e| e.run),
            earlier_drop: article
                .earlier
                .as_ref()
                .map_or_else(Cell::default, |e| e.drop.as_str().into()),
            earlier_started: article.earlier.as_ref().map_or("", |e| e.started.as_str()),
        }
    }
}
