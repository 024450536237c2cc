//! `crosscheck eval-drop --rows DIR`: the score of [`mod@super::drop`] row by row, so that a
//! wrong pair can be traced to what the fact table did with its two quotes, and each
//! discrepancy row to the gold conflict it matches (or to none).

use serde::Serialize;

use super::drop::{
    place, reported, row_right, sets_against, states_conflict, GoldLabel, GoldRow, Span,
};
use crate::domain::{DiscrepancySubject, Fact};
use crate::pipeline::RunOutput;

/// One gold row with the run's outcome.
#[derive(Debug, Default, Serialize)]
pub struct RowOutcome {
    /// The gold row's fact name.
    pub fact: String,
    /// What the reports should say.
    pub label: String,
    /// First article id.
    pub article_a: String,
    /// Second article id (empty for single-source rows).
    pub article_b: String,
    /// Whether the reports got it right; empty when a quote is not in its article.
    pub right: Option<bool>,
    /// The values read inside quote a, with the fact and group each joined.
    pub values_a: String,
    /// The values read inside quote b.
    pub values_b: String,
}

/// One discrepancy row, in report order, with the gold conflict it matches.
#[derive(Debug, Default, Serialize)]
pub struct TopRow {
    /// 1-based rank in conflicts.csv.
    pub rank: usize,
    /// The gold conflict fact it matches, empty when none.
    pub real: String,
    /// The gold rows of other labels it sets against each other (a false row's cause).
    pub against_gold: String,
    /// Why the row is listed.
    pub reason: String,
    /// The fact's label, or `claims` for an NLI row.
    pub label: String,
    /// The values of each side, sides split by ` | `.
    pub sides: String,
}

/// For every value, the fact that holds it and its group there (0: compared with nothing).
fn places(out: &RunOutput) -> Vec<Option<(&Fact, usize)>> {
    let mut at = vec![None; out.values.len()];
    for f in &out.facts.facts {
        for &v in &f.unresolved {
            at[v] = Some((f, 0));
        }
        for (g, group) in f.groups.iter().enumerate() {
            for &v in &group.members {
                at[v] = Some((f, g + 1));
            }
        }
    }
    at
}

/// How each value inside `span` ended up: `text@fact:group label` (group 0: compared with
/// nothing), `text@- concept` when it joined no fact.
fn describe(out: &RunOutput, at: &[Option<(&Fact, usize)>], span: &Span) -> String {
    out.values
        .iter()
        .enumerate()
        .filter(|(_, v)| super::drop::overlaps(&(v.article, v.start, v.end), span))
        .map(|(i, v)| {
            let text = out.articles[v.article]
                .text
                .get(v.start..v.end)
                .unwrap_or("?");
            match at[i] {
                Some((f, g)) => format!("{text}@{}:{g} {}", f.id, f.label),
                None => format!("{text}@- {}", v.measure.concept.unwrap_or("")),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every gold row with its outcome and the values found in its quotes.
pub fn rows(out: &RunOutput, gold: &[GoldRow]) -> Vec<RowOutcome> {
    let view = reported(out);
    let at = places(out);
    gold.iter()
        .map(|row| {
            let placed = place(&out.articles, row);
            let right = placed.as_ref().map(|p| row_right(&view, p));
            let (a, b) = placed
                .as_ref()
                .map(|p| {
                    (
                        describe(out, &at, &p.a),
                        p.b.map(|b| describe(out, &at, &b)).unwrap_or_default(),
                    )
                })
                .unwrap_or_default();
            RowOutcome {
                fact: row.fact.clone(),
                label: row.label.to_string(),
                article_a: row.article_a.clone(),
                article_b: row.article_b.clone(),
                right,
                values_a: a,
                values_b: b,
            }
        })
        .collect()
}

/// Every discrepancy row in report order, with the gold conflict it matches.
pub fn top(out: &RunOutput, gold: &[GoldRow]) -> Vec<TopRow> {
    let view = reported(out);
    let placed: Vec<_> = gold
        .iter()
        .filter_map(|r| place(&out.articles, r))
        .collect();
    let text = |s: &Span| {
        let a = &out.articles[s.0];
        format!("{}:{}", a.id, a.text.get(s.1..s.2).unwrap_or("?"))
    };
    view.discrepancies
        .iter()
        .zip(&out.discrepancies)
        .enumerate()
        .map(|(rank, (d, disc))| {
            let against = |label: Option<GoldLabel>| {
                placed
                    .iter()
                    .filter(|p| label.is_none_or(|l| p.row.label == l))
                    .filter(|p| {
                        p.b.is_some_and(|b| match p.row.label {
                            GoldLabel::Conflict => states_conflict(&view, d, &p.a, &b),
                            _ => d.1 && sets_against(d, &p.a, &b),
                        })
                    })
                    .map(|p| format!("{} ({})", p.row.fact, p.row.label))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let label = match disc.subject {
                DiscrepancySubject::Fact(f) | DiscrepancySubject::Facts(f, _) => {
                    out.facts.facts[f].label.clone()
                }
                DiscrepancySubject::Claims(_) => "claims".into(),
            };
            TopRow {
                rank: rank + 1,
                real: against(Some(GoldLabel::Conflict)),
                against_gold: against(None),
                reason: disc.reason.to_string(),
                label,
                sides: d
                    .0
                    .iter()
                    .map(|side| side.iter().map(text).collect::<Vec<_>>().join(", "))
                    .collect::<Vec<_>>()
                    .join(" | "),
            }
        })
        .collect()
}
