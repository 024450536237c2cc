//! The rows of the fact reports: `facts.csv` (one row per fact and value) and `conflicts.csv`
//! (one row per discrepancy). Both read the run output only, so every sink shows the same
//! values.

use serde::Serialize;

use super::rows::{fixed, name};
use crate::domain::{Discrepancy, DiscrepancySubject, Fact, Mention, Qualifier, ValueMention};
use crate::io::Cell;
use crate::pipeline::RunOutput;

/// A number of an interval bound as written in the reports: empty for an open end.
fn bound(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// The qualifier of a value's mention ("about", "at_least"), empty when exact or not numeric.
fn qualifier(m: &Mention) -> String {
    let q = match &m.value {
        crate::domain::Value::Duration { qualifier, .. }
        | crate::domain::Value::Quantity { qualifier, .. } => *qualifier,
        _ => return String::new(),
    };
    match q {
        Qualifier::Exact => String::new(),
        Qualifier::Between(_) => "between".to_string(),
        other => name(&other),
    }
}

/// A row of `facts.csv`: one value of one fact, with where it stands.
#[derive(Debug, Default, Serialize)]
pub struct FactRow<'a> {
    /// Fact id (1-based, stable for the same input).
    pub fact: usize,
    /// A readable label: the frame of the fact's first value.
    pub label: Cell<'a>,
    /// What the values are compared as (`duration`, `quantity`, `money_eur`, `day`...).
    pub value_type: String,
    /// `consensus`, `compatible`, `conflict` or `single_source`.
    pub outcome: String,
    /// Which value group of the fact it belongs to (1 = the largest); 0 for a value that
    /// could not be compared with any other of the fact (an unanchored "yesterday").
    pub group: usize,
    /// For a running total reported with different figures on different days: `latest`
    /// for the values of the latest report, else `earlier`; empty otherwise.
    pub report: String,
    /// How that total moved over the days (`grew`, `shrank`, `revised`), with its first and
    /// last publication day: `grew 2022-10-02..2022-10-05`.
    pub trend: String,
    /// The normalised value.
    pub value: String,
    /// `about`, `nearly`, `at_least`, `at_most`, `between`, or empty.
    pub qualifier: String,
    /// Lowest number the value allows (numeric values).
    pub low: String,
    /// Highest number it allows; empty when open ("more than").
    pub high: String,
    /// The value as written.
    pub span: Cell<'a>,
    /// First byte of the span in the article's file.
    pub start: usize,
    /// Byte just past the span in the file.
    pub end: usize,
    /// Article id.
    pub article: Cell<'a>,
    /// Its language.
    pub language: &'a str,
    /// Its publication date.
    pub date: String,
    /// Sentence number within the article.
    pub sentence: usize,
    /// The whole sentence.
    pub sentence_text: Cell<'a>,
}

impl<'a> FactRow<'a> {
    /// The rows of one fact, group by group, in drop order inside a group.
    pub fn of(out: &'a RunOutput, fact: &'a Fact) -> Vec<Self> {
        let mut rows = Vec::new();
        let unresolved = (usize::MAX, &fact.unresolved);
        let groups = fact
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| (g, &group.members))
            .chain(std::iter::once(unresolved));
        let trend = fact.timeline.as_ref().map_or(String::new(), |t| {
            format!("{} {}..{}", name(&t.trend), t.first_day, t.last_day)
        });
        for (g, members) in groups {
            let report = match &fact.timeline {
                Some(t) if t.latest == g => "latest",
                Some(_) if g != usize::MAX => "earlier",
                _ => "",
            };
            for &m in members {
                let v = &out.values[m];
                let article = &out.articles[v.article];
                let sentence = &out.sentences[v.sentence];
                let interval = crate::values::facts::interval(&v.mention.value);
                rows.push(FactRow {
                    fact: fact.id,
                    label: fact.label.as_str().into(),
                    value_type: fact.class.to_string(),
                    outcome: name(&fact.outcome),
                    group: g.wrapping_add(1),
                    report: report.to_string(),
                    trend: trend.clone(),
                    value: v.mention.value.to_string(),
                    qualifier: qualifier(&v.mention),
                    low: interval.map(|i| bound(i.low)).unwrap_or_default(),
                    high: interval.map(|i| bound(i.high)).unwrap_or_default(),
                    span: v.mention.text.as_str().into(),
                    start: article.source_offsets.to_file(v.start),
                    end: article.source_offsets.to_file(v.end),
                    article: article.id.as_str().into(),
                    language: &sentence.language,
                    date: article.date.map(|(d, _)| d.to_string()).unwrap_or_default(),
                    sentence: sentence.index,
                    sentence_text: sentence.text.as_str().into(),
                });
            }
        }
        rows
    }
}

/// One side of a discrepancy: a value (or a claim) in its article.
struct Side<'a> {
    article: &'a str,
    language: &'a str,
    date: String,
    span: &'a str,
    start: usize,
    end: usize,
    claim: &'a str,
    sentence: &'a str,
}

impl<'a> Side<'a> {
    /// The side stating `span` (a stretch of the article text) in claim `c`.
    fn new(out: &'a RunOutput, c: usize, span: &'a str, (start, end): (usize, usize)) -> Self {
        let claim = &out.claims[c];
        let article = &out.articles[claim.article];
        let sentence = &out.sentences[claim.sentence];
        Side {
            article: &article.id,
            language: &sentence.language,
            date: article.date.map(|(d, _)| d.to_string()).unwrap_or_default(),
            span,
            start: article.source_offsets.to_file(start),
            end: article.source_offsets.to_file(end),
            claim: &claim.text,
            sentence: &sentence.text,
        }
    }

    /// The side of value `v`.
    fn of_value(out: &'a RunOutput, v: &'a ValueMention) -> Self {
        Side::new(out, v.claim, &v.mention.text, (v.start, v.end))
    }

    /// The side of claim `c`.
    fn of_claim(out: &'a RunOutput, c: usize) -> Self {
        let claim = &out.claims[c];
        Side::new(out, c, &claim.text, (claim.start, claim.end))
    }
}

/// A row of `conflicts.csv`: one discrepancy, never the same one twice. For a fact, its value
/// groups with their articles and one value of each of the two largest groups as evidence;
/// for an NLI contradiction, both claims.
#[derive(Debug, Default, Serialize)]
pub struct DiscrepancyRow<'a> {
    /// Position in the report, from 1.
    pub rank: usize,
    /// `value_conflict`, `update`, `nli_contradiction` or `different_events`.
    pub reason: String,
    /// `yes`, `unsure` or `no` (different events, ranked last).
    pub same_event: String,
    /// How sure, 0-1.
    pub confidence: String,
    /// The fact's id (two ids, `;`-separated, for different events).
    pub fact: String,
    /// The fact's label.
    pub label: Cell<'a>,
    /// What its values are compared as.
    pub value_type: String,
    /// Every value group with its articles: `PT40M: 01, 02 | PT1H: 07`.
    pub value_groups: Cell<'a>,
    /// The pair in pairs.csv (NLI contradictions).
    pub pair: Option<usize>,
    /// First side's article.
    pub article_a: Cell<'a>,
    /// Its language.
    pub language_a: &'a str,
    /// Its publication date.
    pub date_a: String,
    /// The disputed words on side a (a value's text, or the claim).
    pub span_a: Cell<'a>,
    /// First byte of the span in the article's file.
    pub start_a: usize,
    /// Byte just past it.
    pub end_a: usize,
    /// The claim stating it.
    pub claim_a: Cell<'a>,
    /// The whole sentence.
    pub sentence_a: Cell<'a>,
    /// Second side's article.
    pub article_b: Cell<'a>,
    /// Its language.
    pub language_b: &'a str,
    /// Its publication date.
    pub date_b: String,
    /// The disputed words on side b.
    pub span_b: Cell<'a>,
    /// First byte of the span in the article's file.
    pub start_b: usize,
    /// Byte just past it.
    pub end_b: usize,
    /// The claim stating it.
    pub claim_b: Cell<'a>,
    /// The whole sentence.
    pub sentence_b: Cell<'a>,
}

/// `value: article, article | value: article` for the groups of `facts`.
fn value_groups(out: &RunOutput, facts: &[&Fact]) -> String {
    facts
        .iter()
        .flat_map(|f| &f.groups)
        .map(|g| {
            let mut ids: Vec<&str> = g
                .members
                .iter()
                .map(|&m| out.articles[out.values[m].article].id.as_str())
                .collect();
            ids.dedup();
            format!("{}: {}", g.value, ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// What one side of a discrepancy shows as its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A value mention (index into the run's values); its text is the disputed span.
    Value(usize),
    /// A claim (index into the run's claims); the whole claim is the disputed span.
    Claim(usize),
}

/// The evidence of the two sides of discrepancy `d`: a value of each of a fact's two largest
/// groups, the first values of two facts, or the two claims of a pair. Every report shows
/// these two sides.
pub fn evidence(out: &RunOutput, d: &Discrepancy) -> (Evidence, Evidence) {
    let facts = &out.facts.facts;
    match d.subject {
        DiscrepancySubject::Fact(f) => (
            Evidence::Value(facts[f].groups[0].members[0]),
            Evidence::Value(facts[f].groups[1].members[0]),
        ),
        DiscrepancySubject::Facts(x, y) => (
            Evidence::Value(facts[x].groups[0].members[0]),
            Evidence::Value(facts[y].groups[0].members[0]),
        ),
        DiscrepancySubject::Claims(n) => (
            Evidence::Claim(out.pairs[n].pair.a),
            Evidence::Claim(out.pairs[n].pair.b),
        ),
    }
}

/// The two sides of discrepancy `d`, as [`evidence`] chooses them.
fn sides<'a>(out: &'a RunOutput, d: &Discrepancy) -> (Side<'a>, Side<'a>) {
    let side = |e: Evidence| match e {
        Evidence::Value(m) => Side::of_value(out, &out.values[m]),
        Evidence::Claim(c) => Side::of_claim(out, c),
    };
    let (a, b) = evidence(out, d);
    (side(a), side(b))
}

impl<'a> DiscrepancyRow<'a> {
    /// The row of discrepancy `d` at `rank` (1-based).
    pub fn of(out: &'a RunOutput, rank: usize, d: &'a Discrepancy) -> Self {
        let facts = &out.facts.facts;
        let (fact, label, value_type, groups, pair) = match d.subject {
            DiscrepancySubject::Fact(f) => (
                facts[f].id.to_string(),
                facts[f].label.as_str(),
                facts[f].class.to_string(),
                value_groups(out, &[&facts[f]]),
                None,
            ),
            DiscrepancySubject::Facts(x, y) => (
                format!("{};{}", facts[x].id, facts[y].id),
                facts[x].label.as_str(),
                facts[x].class.to_string(),
                value_groups(out, &[&facts[x], &facts[y]]),
                None,
            ),
            DiscrepancySubject::Claims(n) => {
                (String::new(), "", String::new(), String::new(), Some(n + 1))
            }
        };
        let (a, b) = sides(out, d);
        DiscrepancyRow {
            rank,
            reason: name(&d.reason),
            same_event: d.same_event.to_string(),
            confidence: fixed(d.confidence),
            fact,
            label: label.into(),
            value_type,
            value_groups: groups.into(),
            pair,
            article_a: a.article.into(),
            language_a: a.language,
            date_a: a.date,
            span_a: a.span.into(),
            start_a: a.start,
            end_a: a.end,
            claim_a: a.claim.into(),
            sentence_a: a.sentence.into(),
            article_b: b.article.into(),
            language_b: b.language,
            date_b: b.date,
            span_b: b.span.into(),
            start_b: b.start,
            end_b: b.end,
            claim_b: b.claim.into(),
            sentence_b: b.sentence.into(),
        }
    }
}
