//! What crosscheck concludes about a pair of claims: the verdict, its typed reason, the typed
//! values that decided it, and whether both claims are about one event.

use serde::Serialize;
use std::fmt;

use super::{MentionKind, Probabilities, SlotComparison, SlotOutcome};

/// The four verdicts on a pair of claims.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Both sentences state the same fact.
    Agree,
    /// They cannot both be true.
    Contradict,
    /// One states a detail the other leaves open.
    OneSidedDetail,
    /// Same topic, no entailment either way.
    Related,
}

/// Which sentence of a pair carries a one-sided detail.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    /// The pair's first sentence.
    A,
    /// The pair's second sentence.
    B,
}

/// What the NLI probabilities said, as a reason.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NliBasis {
    /// Each entails the other.
    EntailmentBothWays,
    /// Contradiction, on average over both directions.
    ContradictionBothWays,
    /// Only a => b.
    EntailmentAToBOnly,
    /// Only b => a.
    EntailmentBToAOnly,
    /// Neither direction entailed.
    NoEntailment,
}

/// A typed value that decided a verdict: a conflict (Thursday vs Friday) or a value on one
/// side only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlotEvidence {
    /// How the two sides relate on the slot.
    pub outcome: SlotOutcome,
    /// The kind of value.
    pub kind: MentionKind,
}

/// Why a pair got its verdict; written as `entailment_both_ways`,
/// `contradiction_both_ways+slot_conflict:weekday`, `slot_one_sided:duration;other_event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The NLI rule, when NLI decided (or agreed with the typed evidence).
    pub nli: Option<NliBasis>,
    /// The typed value that decided, when one did.
    pub slot: Option<SlotEvidence>,
    /// A one-sided detail demoted because the other claim is about another event.
    pub other_event: bool,
}

impl Reason {
    /// A reason resting on NLI alone.
    pub fn nli(basis: NliBasis) -> Self {
        Reason {
            nli: Some(basis),
            slot: None,
            other_event: false,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(basis) = self.nli {
            basis.serialize(&mut *f)?;
        }
        if let Some(slot) = self.slot {
            if self.nli.is_some() {
                f.write_str("+")?;
            }
            f.write_str("slot_")?;
            slot.outcome.serialize(&mut *f)?;
            f.write_str(":")?;
            slot.kind.serialize(&mut *f)?;
        }
        if self.other_event {
            f.write_str(";other_event")?;
        }
        Ok(())
    }
}

/// Whether two conflicting claims are about the same event.
#[cfg_attr(test, derive(strum::EnumIter))]
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

impl fmt::Display for SameEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.serialize(f)
    }
}

/// The evidence behind a [`SameEvent`] decision, strongest first.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventEvidence {
    /// The claims' own resolved dates differ.
    DatesDiffer(chrono::NaiveDate, chrono::NaiveDate),
    /// The claims' own resolved dates are one day.
    SameDate(chrono::NaiveDate),
    /// Different people are named near the two conflicting values.
    ValuesOfDifferentParticipants(String, String),
    /// Each claim names two or more people, and one the other does not.
    DifferentParticipants(String, String),
    /// The articles were published this many days apart.
    PublishedDaysApart(i64),
    /// Both articles are in one story group.
    SameStoryGroup,
    /// The two story groups share facts on too few of their compared pairs.
    DifferentStories {
        /// Pairs sharing a fact.
        shared: usize,
        /// Pairs compared.
        compared: usize,
    },
    /// Nothing decided; the story groups' shared facts for the record.
    SharedFacts {
        /// Pairs sharing a fact.
        shared: usize,
        /// Pairs compared.
        compared: usize,
    },
}

impl fmt::Display for EventEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventEvidence::DatesDiffer(a, b) => write!(f, "dates_differ:{a}/{b}"),
            EventEvidence::SameDate(a) => write!(f, "same_date:{a}"),
            EventEvidence::ValuesOfDifferentParticipants(x, y) => {
                write!(f, "values_of_different_participants:{x}/{y}")
            }
            EventEvidence::DifferentParticipants(x, y) => {
                write!(f, "different_participants:{x}/{y}")
            }
            EventEvidence::PublishedDaysApart(days) => write!(f, "published_{days}_days_apart"),
            EventEvidence::SameStoryGroup => f.write_str("same_story_group"),
            EventEvidence::DifferentStories { shared, compared } => write!(
                f,
                "different_stories:{shared}_shared_facts_in_{compared}_compared_claims"
            ),
            EventEvidence::SharedFacts { shared, compared } => {
                write!(f, "{shared}_shared_facts_in_{compared}_compared_claims")
            }
        }
    }
}

/// Event separation's decision on a pair, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventMark {
    /// Same event or not.
    pub decision: SameEvent,
    /// Why.
    pub evidence: EventEvidence,
}

/// The decision for one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The verdict.
    pub label: Label,
    /// How sure, 0-1 (the probability mass behind the rule that fired).
    pub confidence: f32,
    /// Why.
    pub reason: Reason,
    /// For `one_sided_detail`: the side that states the detail.
    pub detail_side: Option<Side>,
    /// The typed slot comparisons (numbers, dates, weekdays, durations) of the pair.
    pub slots: Vec<SlotComparison>,
    /// For contradictions and one-sided details: same event or not, and the evidence.
    pub event: Option<EventMark>,
}

impl Verdict {
    /// The slot that decided the verdict, else the most telling one: a conflict, then a
    /// one-sided value, then a match.
    pub fn key_slot(&self) -> Option<&SlotComparison> {
        [
            SlotOutcome::Conflict,
            SlotOutcome::OneSided,
            SlotOutcome::Match,
        ]
        .iter()
        .find_map(|o| self.slots.iter().find(|s| s.outcome == *o))
    }
}

/// Two claims from different articles that may state the same fact; `a` comes first in the
/// drop's sentence order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Index of the first sentence in the drop's sentence list.
    pub a: usize,
    /// Index of the second sentence.
    pub b: usize,
    /// Cosine similarity of their embeddings.
    pub similarity: f32,
}

/// A candidate pair with its NLI probabilities both ways and its verdict.
#[derive(Debug, Clone)]
pub struct JudgedPair {
    /// The two sentences and their similarity.
    pub pair: Pair,
    /// a => b.
    pub ab: Probabilities,
    /// b => a.
    pub ba: Probabilities,
    /// The decision.
    pub verdict: Verdict,
}

/// How many pairs got each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LabelCounts {
    /// `agree` pairs.
    pub agreements: usize,
    /// `contradict` pairs.
    pub contradictions: usize,
    /// `one_sided_detail` pairs.
    pub one_sided_details: usize,
    /// `related` pairs.
    pub related: usize,
}

impl<'a> FromIterator<&'a JudgedPair> for LabelCounts {
    fn from_iter<I: IntoIterator<Item = &'a JudgedPair>>(pairs: I) -> Self {
        let mut counts = LabelCounts::default();
        for p in pairs {
            *match p.verdict.label {
                Label::Agree => &mut counts.agreements,
                Label::Contradict => &mut counts.contradictions,
                Label::OneSidedDetail => &mut counts.one_sided_details,
                Label::Related => &mut counts.related,
            } += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_before() {
        let slot = |outcome, kind| SlotEvidence { outcome, kind };
        let cases = [
            (
                Reason::nli(NliBasis::EntailmentAToBOnly),
                "entailment_a_to_b_only",
            ),
            (
                Reason {
                    nli: Some(NliBasis::ContradictionBothWays),
                    slot: Some(slot(SlotOutcome::Conflict, MentionKind::Weekday)),
                    other_event: false,
                },
                "contradiction_both_ways+slot_conflict:weekday",
            ),
            (
                Reason {
                    nli: None,
                    slot: Some(slot(SlotOutcome::OneSided, MentionKind::RelativeDate)),
                    other_event: true,
                },
                "slot_one_sided:relative_date;other_event",
            ),
        ];
        for (reason, written) in cases {
            assert_eq!(reason.to_string(), written);
        }
    }
}
