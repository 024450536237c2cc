//! `crosscheck eval-drop`: scores a run against a gold file of labelled fact pairs
//! (`data/gold/README.md`): per label, whether the reports got each pair right; precision and
//! recall of the reported agreements, discrepancies and single-source facts; and the precision
//! of the first 10 and 20 rows of the discrepancy report, with discrepancies listed twice.
//!
//! ```no_run
//! # fn demo(output: &crosscheck::pipeline::RunOutput) -> anyhow::Result<()> {
//! let gold = crosscheck::eval::drop::read_gold(std::path::Path::new("data/gold/quake.csv"))?;
//! let score = crosscheck::eval::drop::score(output, &gold);
//! println!("{}", score.markdown("quake"));
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

use crate::domain::{Article, Claim, FactOutcome, JudgedPair, Label, SameEvent, ValueMention};
use crate::pipeline::RunOutput;

/// The label of a gold row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoldLabel {
    /// Same fact, same value.
    Agree,
    /// Same fact, overlapping values.
    Compatible,
    /// Same event, values that cannot both be true.
    Conflict,
    /// Look-alike facts of different events.
    DifferentEvent,
    /// Only `article_a` gives the fact.
    SingleSource,
}

impl std::fmt::Display for GoldLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.serialize(f)
    }
}

/// One labelled fact pair.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRow {
    /// Name of the fact.
    pub fact: String,
    /// What the reports should say.
    pub label: GoldLabel,
    /// First article id.
    pub article_a: String,
    /// Exact text in it.
    pub quote_a: String,
    /// Second article id (empty for single-source rows).
    pub article_b: String,
    /// Exact text in it.
    pub quote_b: String,
}

/// Reads a gold file.
pub fn read_gold(path: &Path) -> anyhow::Result<Vec<GoldRow>> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| anyhow::anyhow!("cannot read gold file {}: {e}", path.display()))?;
    reader
        .deserialize()
        .map(|r| r.map_err(|e| anyhow::anyhow!("{}: {e}", path.display())))
        .collect()
}

/// A stretch of an article's text: (article index, start, end) in byte offsets of its text.
pub type Span = (usize, usize, usize);

pub(crate) fn overlaps(a: &Span, b: &Span) -> bool {
    a.0 == b.0 && a.1 < b.2 && b.1 < a.2
}

/// What the reports claim, in spans: the links they present as one fact stated twice, the
/// discrepancies in report order (each with its two sides and whether it is about one event),
/// and the spans reported as stated by one source only.
#[derive(Debug, Default)]
pub struct Reported {
    /// Two spans stating the same fact consistently.
    pub links: Vec<(Span, Span)>,
    /// Discrepancy rows in report order: the spans of each side (two sides, or every value
    /// group of a fact: any two of them cannot both be true), and whether the row says they
    /// are about one event (yes or unsure).
    pub discrepancies: Vec<(Vec<Vec<Span>>, bool)>,
    /// Spans reported as single-source.
    pub single_source: Vec<Span>,
    /// Every value read, with its key ([`value_key`]): a discrepancy between two other
    /// articles with the same pair of values as a gold conflict is that conflict
    /// (`data/gold/README.md`).
    pub values: Vec<(Span, String)>,
}

/// What a value says, whatever its wording and hedge: its class with its number, date or
/// weekday ("125" and "at least 125" are one key, "125" and "131" two).
pub fn value_key(v: &ValueMention) -> String {
    use crate::domain::Value;
    let class = format!("{:?}", v.class);
    match &v.mention.value {
        Value::Quantity { value, unit, .. } => format!("{class} {value} {unit:?}"),
        Value::Duration { seconds, .. } => format!("{class} {seconds}s"),
        other => match v.mention.resolved_date {
            Some(day) => format!("{class} {day}"),
            None => format!("{class} {other:?}"),
        },
    }
}

/// What a fact table claims: values of one group in different articles are linked; each
/// discrepancy about a fact sets its groups against each other (every group against every
/// other), one about claims sets the two claims against each other; a single-source
/// fact's value is single-source.
pub fn fact_view(
    values: &[ValueMention],
    facts: &[crate::domain::Fact],
    discrepancies: &[crate::domain::Discrepancy],
    claims: &[Claim],
    pairs: &[JudgedPair],
) -> Reported {
    let span = |v: usize| (values[v].article, values[v].start, values[v].end);
    let mut view = Reported {
        values: values
            .iter()
            .map(|v| ((v.article, v.start, v.end), value_key(v)))
            .collect(),
        ..Reported::default()
    };
    for fact in facts {
        for group in &fact.groups {
            for (i, &x) in group.members.iter().enumerate() {
                for &y in &group.members[i + 1..] {
                    if values[x].article != values[y].article {
                        view.links.push((span(x), span(y)));
                    }
                }
            }
        }
        if fact.outcome == FactOutcome::SingleSource {
            view.single_source
                .extend(fact.members.iter().map(|&m| span(m)));
        }
    }
    for d in discrepancies {
        let one_event = d.same_event != SameEvent::No;
        let sides = |f: &crate::domain::Fact| -> Vec<Vec<Span>> {
            f.groups
                .iter()
                .map(|g| g.members.iter().map(|&m| span(m)).collect())
                .collect()
        };
        match d.subject {
            crate::domain::DiscrepancySubject::Fact(f) => {
                view.discrepancies.push((sides(&facts[f]), one_event));
            }
            crate::domain::DiscrepancySubject::Facts(x, y) => {
                let all = |f: usize| sides(&facts[f]).into_iter().flatten().collect::<Vec<_>>();
                view.discrepancies.push((vec![all(x), all(y)], one_event));
            }
            crate::domain::DiscrepancySubject::Claims(n) => {
                let c = |x: usize| {
                    let claim = &claims[x];
                    (claim.article, claim.start, claim.end)
                };
                let p = &pairs[n].pair;
                view.discrepancies
                    .push((vec![vec![c(p.a)], vec![c(p.b)]], one_event));
            }
        }
    }
    view
}

/// What the reports of a run claim: the fact table's view ([`fact_view`]), plus the claim
/// pairs it calls agreements (claim spans) and the NLI contradictions it lists, in the order
/// of conflicts.csv.
pub fn reported(out: &RunOutput) -> Reported {
    let mut view = fact_view(
        &out.values,
        &out.facts.facts,
        &out.discrepancies,
        &out.claims,
        &out.pairs,
    );
    let span = |c: usize| {
        let claim = &out.claims[c];
        (claim.article, claim.start, claim.end)
    };
    for p in &out.pairs {
        if p.verdict.label == Label::Agree {
            view.links.push((span(p.pair.a), span(p.pair.b)));
        }
    }
    view
}

/// How a run did on one drop.
#[derive(Debug, Default, Clone)]
pub struct Score {
    /// Per label: (right, total).
    pub by_label: Vec<(GoldLabel, usize, usize)>,
    /// Gold rows right, of all rows.
    pub right: usize,
    /// All gold rows that could be placed in the drop.
    pub total: usize,
    /// Gold rows whose quotes were not found in their articles.
    pub missing_quotes: usize,
    /// Reported agreements matching a gold row: (right, judged).
    pub agreement_precision: (usize, usize),
    /// Reported discrepancies matching a gold row: (real, judged).
    pub discrepancy_precision: (usize, usize),
    /// Reported single-source spans matching a gold quote: (right, judged).
    pub single_source_precision: (usize, usize),
    /// Real discrepancies among the first 10 rows, and how many rows there were.
    pub top10: (usize, usize),
    /// Real discrepancies among the first 20 rows.
    pub top20: (usize, usize),
    /// Rows repeating a discrepancy (a gold conflict fact) an earlier row already reported.
    pub repeated: usize,
    /// Rows in the discrepancy report.
    pub discrepancy_rows: usize,
}

/// A gold row placed in the drop: its two quotes as spans.
pub(crate) struct Placed<'a> {
    pub(crate) row: &'a GoldRow,
    pub(crate) a: Span,
    pub(crate) b: Option<Span>,
}

pub(crate) fn place<'a>(articles: &[Article], row: &'a GoldRow) -> Option<Placed<'a>> {
    let find = |id: &str, quote: &str| -> Option<Span> {
        let i = articles.iter().position(|a| a.id == id)?;
        let at = articles[i].text.find(quote)?;
        Some((i, at, at + quote.len()))
    };
    let a = find(&row.article_a, &row.quote_a)?;
    let b = if row.label == GoldLabel::SingleSource {
        None
    } else {
        Some(find(&row.article_b, &row.quote_b)?)
    };
    Some(Placed { row, a, b })
}

/// Whether a row sets `x` against `y`: they are on two different sides of it.
pub(crate) fn sets_against(row: &(Vec<Vec<Span>>, bool), x: &Span, y: &Span) -> bool {
    let on = |side: &Vec<Span>, s: &Span| side.iter().any(|t| overlaps(t, s));
    let (sides, _) = row;
    sides
        .iter()
        .enumerate()
        .any(|(i, a)| on(a, x) && sides.iter().enumerate().any(|(j, b)| i != j && on(b, y)))
}

/// Scores the run's reports against the gold rows.
pub fn score(out: &RunOutput, gold: &[GoldRow]) -> Score {
    score_view(&out.articles, &reported(out), gold)
}

/// Scores what reports claim (`view`) about `articles` against the gold rows.
pub fn score_view(articles: &[Article], view: &Reported, gold: &[GoldRow]) -> Score {
    let placed: Vec<Placed> = gold.iter().filter_map(|r| place(articles, r)).collect();
    let mut score = Score {
        missing_quotes: gold.len() - placed.len(),
        total: placed.len(),
        discrepancy_rows: view.discrepancies.len(),
        ..Score::default()
    };
    score_labels(&mut score, view, &placed);
    score_link_precision(&mut score, view, &placed);
    score_discrepancies(&mut score, view, &placed);
    score_single_source(&mut score, view, &placed);
    score
}

/// The keys of the values read exactly at `span`.
fn keys_at<'v>(view: &'v Reported, span: &Span) -> impl Iterator<Item = &'v str> + 'v {
    let span = *span;
    view.values
        .iter()
        .filter(move |(s, _)| *s == span)
        .map(|(_, k)| k.as_str())
}

/// The keys of the values read inside a gold quote.
fn keys_in(view: &Reported, quote: &Span) -> BTreeSet<String> {
    view.values
        .iter()
        .filter(|(s, _)| overlaps(s, quote))
        .map(|(_, k)| k.clone())
        .collect()
}

/// Whether a discrepancy row about one event sets the gold conflict's quotes against each
/// other, or two other values with the same pair of values (the gold README's rule: one
/// conflict row stands for every pair of articles with those two values).
pub(crate) fn states_conflict(
    view: &Reported,
    row: &(Vec<Vec<Span>>, bool),
    a: &Span,
    b: &Span,
) -> bool {
    if !row.1 {
        return false;
    }
    if sets_against(row, a, b) {
        return true;
    }
    let (ka, kb) = (keys_in(view, a), keys_in(view, b));
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    let has = |side: &Vec<Span>, keys: &BTreeSet<String>| {
        side.iter()
            .any(|s| keys_at(view, s).any(|k| keys.contains(k)))
    };
    let sides = &row.0;
    sides
        .iter()
        .enumerate()
        .any(|(i, x)| has(x, &ka) && sides.iter().enumerate().any(|(j, y)| i != j && has(y, &kb)))
}

/// Whether `x` and `y` are the two sides of a reported discrepancy about one event.
fn opposed(view: &Reported, x: &Span, y: &Span) -> bool {
    view.discrepancies
        .iter()
        .any(|d| d.1 && sets_against(d, x, y))
}

/// Whether the reports got one placed gold row right.
pub(crate) fn row_right(view: &Reported, p: &Placed) -> bool {
    let linked = |x: &Span, y: &Span| {
        view.links
            .iter()
            .any(|(q, r)| (overlaps(q, x) && overlaps(r, y)) || (overlaps(q, y) && overlaps(r, x)))
    };
    match (p.row.label, p.b) {
        (GoldLabel::Agree | GoldLabel::Compatible, Some(b)) => {
            linked(&p.a, &b) && !opposed(view, &p.a, &b)
        }
        (GoldLabel::Conflict, Some(b)) => view
            .discrepancies
            .iter()
            .any(|d| states_conflict(view, d, &p.a, &b)),
        (GoldLabel::DifferentEvent, Some(b)) => !opposed(view, &p.a, &b),
        (GoldLabel::SingleSource, None) => view.single_source.iter().any(|s| overlaps(s, &p.a)),
        _ => false,
    }
}

/// Gold rows right, per label and in all.
fn score_labels(score: &mut Score, view: &Reported, placed: &[Placed]) {
    let labels: BTreeSet<GoldLabel> = placed.iter().map(|p| p.row.label).collect();
    for label in labels {
        let rows: Vec<&Placed> = placed.iter().filter(|p| p.row.label == label).collect();
        let right = rows.iter().filter(|p| row_right(view, p)).count();
        score.right += right;
        score.by_label.push((label, right, rows.len()));
    }
}

/// Of the reported links that join a labelled pair, how many the gold calls agreeing.
fn score_link_precision(score: &mut Score, view: &Reported, placed: &[Placed]) {
    let pair_label = |x: &Span, y: &Span| {
        placed.iter().find_map(|p| {
            let b = p.b?;
            ((overlaps(&p.a, x) && overlaps(&b, y)) || (overlaps(&p.a, y) && overlaps(&b, x)))
                .then_some(p.row.label)
        })
    };
    for (x, y) in &view.links {
        if let Some(label) = pair_label(x, y) {
            score.agreement_precision.1 += 1;
            score.agreement_precision.0 +=
                usize::from(matches!(label, GoldLabel::Agree | GoldLabel::Compatible));
        }
    }
}

/// Precision of the discrepancy rows, real rows among the first 10 and 20, repeats.
fn score_discrepancies(score: &mut Score, view: &Reported, placed: &[Placed]) {
    let conflicts: Vec<&Placed> = placed
        .iter()
        .filter(|p| p.row.label == GoldLabel::Conflict)
        .collect();
    let mut facts_seen: BTreeSet<&str> = BTreeSet::new();
    for (rank, d) in view.discrepancies.iter().enumerate() {
        let real = conflicts
            .iter()
            .find(|p| p.b.is_some_and(|b| states_conflict(view, d, &p.a, &b)));
        let judged = placed
            .iter()
            .any(|p| p.b.is_some_and(|b| sets_against(d, &p.a, &b)));
        if judged {
            score.discrepancy_precision.1 += 1;
            score.discrepancy_precision.0 += usize::from(real.is_some());
        }
        if let Some(p) = real {
            if !facts_seen.insert(p.row.fact.as_str()) {
                score.repeated += 1;
            }
        }
        let is_real = usize::from(real.is_some());
        if rank < 10 {
            score.top10.0 += is_real;
            score.top10.1 += 1;
        }
        if rank < 20 {
            score.top20.0 += is_real;
            score.top20.1 += 1;
        }
    }
}

/// Of the single-source marks that touch a labelled quote, how many the gold calls
/// single-source.
fn score_single_source(score: &mut Score, view: &Reported, placed: &[Placed]) {
    for s in &view.single_source {
        let touched: Vec<&Placed> = placed
            .iter()
            .filter(|p| overlaps(&p.a, s) || p.b.is_some_and(|b| overlaps(&b, s)))
            .collect();
        if !touched.is_empty() {
            score.single_source_precision.1 += 1;
            score.single_source_precision.0 += usize::from(
                touched
                    .iter()
                    .any(|p| p.row.label == GoldLabel::SingleSource && overlaps(&p.a, s)),
            );
        }
    }
}

impl Score {
    /// One Markdown table row: drop, pairs right, per label, precisions, top 10/20, repeats.
    pub fn markdown(&self, drop: &str) -> String {
        let ratio = |(a, b): (usize, usize)| format!("{a}/{b}");
        let labels: Vec<String> = self
            .by_label
            .iter()
            .map(|(l, right, n)| format!("{l}: {right}/{n}"))
            .collect();
        format!(
            "| {drop} | {}/{} | {} | {} | {} | {} | {} | {} | {} | {} |",
            self.right,
            self.total,
            labels.join(", "),
            ratio(self.agreement_precision),
            ratio(self.discrepancy_precision),
            ratio(self.single_source_precision),
            ratio(self.top10),
            ratio(self.top20),
            self.repeated,
            self.discrepancy_rows,
        )
    }

    /// The header of [`Score::markdown`] rows.
    pub fn markdown_header() -> &'static str {
        "| drop | pairs right | by label | agreements precise | discrepancies real | single-source precise | top 10 real | top 20 real | repeated | discrepancy rows |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    }
}
