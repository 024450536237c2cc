//! Event separation: two articles can describe different events of the same kind (the seeds
//! hold Trump calls in March, July and September 2025). A conflict between claims about two
//! different calls is not a contradiction about one call, so every conflict is marked
//! `same_event` yes / no / unsure, with the evidence.
//!
//! Evidence, strongest first:
//! 1. the conflicting claims' own resolved dates (equal: yes; different days: no);
//! 2. publication dates more than [`MAX_DAYS_APART`] apart: no;
//! 3. story groups: articles linked by at least [`MIN_AGREEMENTS`] agreeing claim pairs (NLI
//!    entailment both ways, no slot conflict) tell the same story; claims in one group: yes;
//!    claims in articles that were compared on at least [`MIN_COMPARED`] pairs and never
//!    agreed: no;
//! 4. otherwise: unsure.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::facts::{SlotComparison, SlotOutcome};
use crate::ingest::Article;
use crate::verdict::Label;

/// Articles sharing this many agreeing claim pairs tell the same story.
pub const MIN_AGREEMENTS: usize = 2;
/// Articles compared on this many candidate pairs without one agreement tell different stories.
pub const MIN_COMPARED: usize = 3;
/// Publication dates further apart than this cannot be about one event's reporting.
pub const MAX_DAYS_APART: i64 = 31;

/// Whether two conflicting claims are about the same event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SameEvent {
    /// The evidence says one event: a real contradiction or one-sided detail.
    Yes,
    /// Not enough evidence either way.
    Unsure,
    /// The evidence says two different events.
    No,
}

impl SameEvent {
    /// The value written in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            SameEvent::Yes => "yes",
            SameEvent::Unsure => "unsure",
            SameEvent::No => "no",
        }
    }
}

/// Story groups of the drop's articles, from the agreeing pairs between them.
#[derive(Debug, Clone)]
pub struct StoryGroups {
    group: Vec<usize>,
    agreements: BTreeMap<(usize, usize), usize>,
    compared: BTreeMap<(usize, usize), usize>,
}

/// A pair as the event grouping sees it: the two claims' articles, its verdict and slots.
#[derive(Debug, Clone, Copy)]
pub struct PairEvidence<'a> {
    /// Article of the first claim.
    pub article_a: usize,
    /// Article of the second claim.
    pub article_b: usize,
    /// The pair's verdict.
    pub label: Label,
    /// The typed slot comparisons of the pair.
    pub slots: &'a [SlotComparison],
}

fn key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

impl StoryGroups {
    /// Groups articles linked by agreeing pairs (union-find), except where their publication
    /// dates are too far apart.
    pub fn new(articles: &[Article], pairs: &[PairEvidence]) -> Self {
        let mut agreements = BTreeMap::new();
        let mut compared = BTreeMap::new();
        for p in pairs {
            *compared.entry(key(p.article_a, p.article_b)).or_insert(0) += 1;
            let slot_conflict = p.slots.iter().any(|s| s.outcome == SlotOutcome::Conflict);
            if p.label == Label::Agree && !slot_conflict {
                *agreements.entry(key(p.article_a, p.article_b)).or_insert(0) += 1;
            }
        }
        let mut group: Vec<usize> = (0..articles.len()).collect();
        fn root(group: &mut [usize], mut i: usize) -> usize {
            while group[i] != i {
                group[i] = group[group[i]];
                i = group[i];
            }
            i
        }
        for (&(a, b), &n) in &agreements {
            if n >= MIN_AGREEMENTS && days_apart(&articles[a], &articles[b]).is_none_or(|d| d <= MAX_DAYS_APART) {
                let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                group[ra.max(rb)] = ra.min(rb);
            }
        }
        let group = (0..articles.len()).map(|i| root(&mut group, i)).collect();
        StoryGroups {
            group,
            agreements,
            compared,
        }
    }

    /// The story group (its smallest article index) of each article.
    pub fn group_of(&self, article: usize) -> usize {
        self.group[article]
    }

    /// Decides whether the two claims of a pair are about the same event, and why.
    pub fn same_event(&self, articles: &[Article], pair: &PairEvidence) -> (SameEvent, String) {
        let dated: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = pair
            .slots
            .iter()
            .filter_map(|s| Some((s.a.as_ref()?.resolved_date?, s.b.as_ref()?.resolved_date?)))
            .collect();
        if let Some(&(a, b)) = dated.iter().find(|(a, b)| a != b) {
            return (SameEvent::No, format!("dates_differ:{a}/{b}"));
        }
        if let Some(&(a, _)) = dated.first() {
            return (SameEvent::Yes, format!("same_date:{a}"));
        }
        let (a, b) = (pair.article_a, pair.article_b);
        if let Some(days) = days_apart(&articles[a], &articles[b]).filter(|&d| d > MAX_DAYS_APART) {
            return (SameEvent::No, format!("published_{days}_days_apart"));
        }
        if self.group[a] == self.group[b] {
            return (SameEvent::Yes, "same_story_group".into());
        }
        let agreed = self.agreements.get(&key(a, b)).copied().unwrap_or(0);
        let compared = self.compared.get(&key(a, b)).copied().unwrap_or(0);
        if agreed == 0 && compared >= MIN_COMPARED {
            return (SameEvent::No, format!("no_agreement_in_{compared}_compared_claims"));
        }
        (SameEvent::Unsure, format!("{agreed}_agreements_in_{compared}_compared_claims"))
    }
}

/// Days between two articles' publication dates, when both are known to the day (or to the
/// month, counted from the first of the month).
fn days_apart(a: &Article, b: &Article) -> Option<i64> {
    let day = |article: &Article| {
        let (date, _) = article.date?;
        chrono::NaiveDate::from_ymd_opt(date.year, date.month, date.day.unwrap_or(1))
    };
    Some((day(a)? - day(b)?).num_days().abs())
}
