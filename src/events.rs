//! Event separation: two articles can describe different events of the same kind (the seeds
//! hold Trump calls in March, July and September 2025). A conflict between claims about two
//! different calls is not a contradiction about one call, so every conflict is marked
//! `same_event` yes / no / unsure, with the evidence.
//!
//! Evidence, strongest first:
//! 1. the conflicting claims' own resolved dates (equal: yes; different days: no);
//! 2. participants: when each claim names a person the other does not (Putin and Trump
//!    against Trump and Zelensky), they speak of different events: no. The drop's people are
//!    the surnames written as a full name somewhere and named in at least
//!    [`MIN_ARTICLES_FOR_PARTICIPANT`] articles, matched across spellings (Zelensky, Zelenskiy,
//!    Zelenski, Selenskyj);
//! 3. publication dates more than [`MAX_DAYS_APART`] apart: no;
//! 4. story groups: articles linked by at least [`MIN_AGREEMENTS`] agreeing claim pairs (NLI
//!    entailment both ways, no slot conflict) tell the same story; claims in one group: yes;
//!    claims in articles that were compared on at least [`MIN_COMPARED`] pairs and never
//!    agreed: no;
//! 5. otherwise: unsure.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{SlotComparison, SlotOutcome};
use crate::ingest::Article;
use crate::verdict::Label;

/// Articles sharing this many agreeing claim pairs tell the same story.
pub const MIN_AGREEMENTS: usize = 2;
/// Articles compared on this many candidate pairs without one agreement tell different stories.
pub const MIN_COMPARED: usize = 3;
/// A name must occur in this many articles to count as a participant of the drop's story.
pub const MIN_ARTICLES_FOR_PARTICIPANT: usize = 3;
/// Two spellings are one name when their letter-trigram sets overlap this much (Jaccard).
pub const SAME_NAME_SIMILARITY: f64 = 0.4;

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

/// The participants of the drop (names shared by several articles) and the participants each
/// sentence names.
#[derive(Debug, Clone)]
pub struct Participants {
    /// Per sentence: the indices of the participants it names.
    named: Vec<BTreeSet<usize>>,
    /// Canonical spelling of each participant (its first spelling in the drop).
    pub names: Vec<String>,
}

/// Capitalised words of a sentence (folded to lowercase without diacritics, possessives
/// removed: "Trump’s" -> "trump"), each with whether it ends a run of two or more capitalised
/// words, the shape of a person's full name ("Volodymyr Zelensky", "Donald Trump").
fn capitalised_words(text: &str) -> Vec<(String, bool)> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 3
            && !w.chars().all(char::is_uppercase)
    };
    (1..words.len())
        .filter(|&i| capitalised(words[i]))
        .map(|i| {
            let ends_full_name =
                capitalised(words[i - 1]) && !words.get(i + 1).is_some_and(|w| capitalised(w));
            let word = words[i].trim_end_matches("’s").trim_end_matches("'s");
            (crate::facts::fold(word), ends_full_name)
        })
        .collect()
}

fn trigrams(word: &str) -> BTreeSet<String> {
    let padded: Vec<char> = format!("^{word}$").chars().collect();
    padded.windows(3).map(|w| w.iter().collect()).collect()
}

fn similar(a: &str, b: &str) -> bool {
    let (x, y) = (trigrams(a), trigrams(b));
    x.intersection(&y).count() as f64 / x.union(&y).count() as f64 >= SAME_NAME_SIMILARITY
}

impl Participants {
    /// Finds the people of the drop: surnames written at least once as a full name ("Donald
    /// Trump") and named in at least [`MIN_ARTICLES_FOR_PARTICIPANT`] articles, in any spelling;
    /// and which of them each sentence names.
    pub fn new(sentences: &[crate::segment::Sentence]) -> Self {
        let words: Vec<Vec<(String, bool)>> = sentences
            .iter()
            .map(|s| {
                if s.dropped.is_some() {
                    Vec::new()
                } else {
                    capitalised_words(&s.text)
                }
            })
            .collect();
        let mut names: Vec<String> = Vec::new();
        for (word, _) in words.iter().flatten().filter(|(_, full)| *full) {
            if !names.iter().any(|n| similar(n, word)) {
                names.push(word.clone());
            }
        }
        let mut articles_of = vec![BTreeSet::new(); names.len()];
        let named: Vec<BTreeSet<usize>> = words
            .iter()
            .zip(sentences)
            .map(|(ws, s)| {
                let ids: BTreeSet<usize> = ws
                    .iter()
                    .filter_map(|(w, _)| names.iter().position(|n| similar(n, w)))
                    .collect();
                for &id in &ids {
                    articles_of[id].insert(s.article);
                }
                ids
            })
            .collect();
        let shared = |id: &usize| articles_of[*id].len() >= MIN_ARTICLES_FOR_PARTICIPANT;
        Participants {
            named: named
                .into_iter()
                .map(|ids| ids.into_iter().filter(shared).collect())
                .collect(),
            names,
        }
    }

    /// When each sentence names a participant the other does not: those two names.
    pub fn different(&self, a: usize, b: usize) -> Option<(&str, &str)> {
        let only_a = self.named[a].difference(&self.named[b]).next()?;
        let only_b = self.named[b].difference(&self.named[a]).next()?;
        Some((&self.names[*only_a], &self.names[*only_b]))
    }
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
            if n >= MIN_AGREEMENTS
                && days_apart(&articles[a], &articles[b]).is_none_or(|d| d <= MAX_DAYS_APART)
            {
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
    pub fn same_event(
        &self,
        articles: &[Article],
        participants: &Participants,
        pair: &PairEvidence,
    ) -> (SameEvent, String) {
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
        if let Some((x, y)) = participants.different(pair.sentence_a, pair.sentence_b) {
            return (SameEvent::No, format!("different_participants:{x}/{y}"));
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
            return (
                SameEvent::No,
                format!("no_agreement_in_{compared}_compared_claims"),
            );
        }
        (
            SameEvent::Unsure,
            format!("{agreed}_agreements_in_{compared}_compared_claims"),
        )
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
