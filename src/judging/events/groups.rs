//! Story groups: articles whose claims share enough facts tell the same story (union-find
//! over article pairs), and the rate of shared facts between two groups.

use std::collections::BTreeMap;

use crate::domain::{Article, Label, MentionKind, SlotComparison, SlotOutcome};

/// Articles sharing this many facts (claim pairs, see [`PairEvidence::shares_fact`]), on at
/// least [`MIN_SHARED_RATE`] of the pairs compared between them, tell the same story.
pub const MIN_SHARED_FACTS: usize = 2;
/// Share of two articles' compared pairs that must state a shared fact to join them: a rate,
/// not a count, because an NLI model's chance entailments between different stories grow with
/// the number of pairs (on the seeds, 2 of 18-19 pairs link the September article to each July
/// one; the July articles share 8 of 19 and 2 of 6).
pub const MIN_SHARED_RATE: f64 = 0.2;
/// Value types whose equality across two claims is evidence of one story: specific enough not
/// to match by chance (a weekday is one in seven, so it does not count).
const SPECIFIC_KINDS: &[MentionKind] = &[
    MentionKind::Date,
    MentionKind::Duration,
    MentionKind::Money,
    MentionKind::Percentage,
];
/// Publication dates further apart than this cannot be about one event's reporting.
pub const MAX_DAYS_APART: i64 = 31;

/// Story groups of the drop's articles, from the facts their claims share.
#[derive(Debug, Clone)]
pub struct StoryGroups {
    group: Vec<usize>,
    /// Shared facts and candidate pairs between two story groups (keyed by group roots).
    between_groups: BTreeMap<(usize, usize), (usize, usize)>,
}

/// A pair as the event grouping sees it: the two claims' articles, its verdict and slots.
#[derive(Debug, Clone, Copy)]
pub struct PairEvidence<'a> {
    /// Article of the first claim.
    pub article_a: usize,
    /// Article of the second claim.
    pub article_b: usize,
    /// The two sentences (indices into the drop's sentence list).
    pub sentence_a: usize,
    /// See `sentence_a`.
    pub sentence_b: usize,
    /// The pair's verdict.
    pub label: Label,
    /// NLI found entailment in at least one direction (at the verdict's threshold).
    pub entailed: bool,
    /// The typed slot comparisons of the pair.
    pub slots: &'a [SlotComparison],
}

impl PairEvidence<'_> {
    /// Whether the two claims state a fact in common: entailment in a direction or an equal
    /// specific value, and no contradiction or slot conflict.
    pub fn shares_fact(&self) -> bool {
        let conflict = self
            .slots
            .iter()
            .any(|s| s.outcome == SlotOutcome::Conflict);
        let same_value = self
            .slots
            .iter()
            .any(|s| s.outcome == SlotOutcome::Match && SPECIFIC_KINDS.contains(&s.kind));
        self.label != Label::Contradict && !conflict && (self.entailed || same_value)
    }
}

fn key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

impl StoryGroups {
    /// Groups articles linked by at least [`MIN_SHARED_FACTS`] shared facts (union-find),
    /// except where their publication dates are too far apart.
    pub fn new(articles: &[Article], pairs: &[PairEvidence]) -> Self {
        // (shared facts, compared pairs) per pair of articles, counted once.
        let mut links: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        for p in pairs {
            let counts = links.entry(key(p.article_a, p.article_b)).or_default();
            counts.0 += usize::from(p.shares_fact());
            counts.1 += 1;
        }
        let mut group: Vec<usize> = (0..articles.len()).collect();
        fn root(group: &mut [usize], mut i: usize) -> usize {
            while group[i] != i {
                group[i] = group[group[i]];
                i = group[i];
            }
            i
        }
        for (&(a, b), &(shared, compared)) in &links {
            if shared >= MIN_SHARED_FACTS
                && shared as f64 >= MIN_SHARED_RATE * compared as f64
                && days_apart(&articles[a], &articles[b]).is_none_or(|d| d <= MAX_DAYS_APART)
            {
                let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                group[ra.max(rb)] = ra.min(rb);
            }
        }
        let group: Vec<usize> = (0..articles.len()).map(|i| root(&mut group, i)).collect();
        let mut between_groups: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        for (&(a, b), &(shared, compared)) in &links {
            let counts = between_groups.entry(key(group[a], group[b])).or_default();
            counts.0 += shared;
            counts.1 += compared;
        }
        StoryGroups {
            group,
            between_groups,
        }
    }

    /// Whether two articles are in one story group.
    pub fn same_group(&self, a: usize, b: usize) -> bool {
        self.group[a] == self.group[b]
    }

    /// (shared facts, compared pairs) between the story groups of two articles.
    pub fn between(&self, a: usize, b: usize) -> (usize, usize) {
        self.between_groups
            .get(&key(self.group[a], self.group[b]))
            .copied()
            .unwrap_or_default()
    }

    /// The story group (its smallest article index) of each article.
    pub fn group_of(&self, article: usize) -> usize {
        self.group[article]
    }
}

/// Days between two articles' publication dates, when both are known to the day (or to the
/// month, counted from the first of the month).
pub(super) fn days_apart(a: &Article, b: &Article) -> Option<i64> {
    let day = |article: &Article| {
        let (date, _) = article.date?;
        chrono::NaiveDate::from_ymd_opt(date.year, date.month, date.day.unwrap_or(1))
    };
    Some((day(a)? - day(b)?).num_days().abs())
}
