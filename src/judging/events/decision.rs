//! The same-event decision for one conflicting pair, from the strongest evidence down.

use super::groups::{days_apart, PairEvidence, StoryGroups, MAX_DAYS_APART};
use crate::domain::{Article, EventEvidence, EventMark, SameEvent, SlotOutcome};
use crate::values::participants::Participants;

/// Story groups compared on this many candidate pairs, sharing facts on fewer than
/// [`MAX_CHANCE_RATE`] of them, tell different stories.
pub const MIN_COMPARED: usize = 3;
/// Below this share of shared facts, two story groups' few links are taken for chance.
pub const MAX_CHANCE_RATE: f64 = 0.1;
/// Decides whether the two claims of a pair are about the same event, and why.
pub fn same_event(
    groups: &StoryGroups,
    articles: &[Article],
    participants: &Participants,
    pair: &PairEvidence,
) -> EventMark {
    let mark = |decision, evidence| EventMark { decision, evidence };
    let dated: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = pair
        .slots
        .iter()
        .filter_map(|s| Some((s.a.as_ref()?.resolved_date?, s.b.as_ref()?.resolved_date?)))
        .collect();
    if let Some(&(a, b)) = dated.iter().find(|(a, b)| a != b) {
        return mark(SameEvent::No, EventEvidence::DatesDiffer(a, b));
    }
    if let Some(&(a, _)) = dated.first() {
        return mark(SameEvent::Yes, EventEvidence::SameDate(a));
    }
    let values_near_other_people = pair.slots.iter().find_map(|s| {
        let (a, b) = (s.a.as_ref()?, s.b.as_ref()?);
        (s.outcome == SlotOutcome::Conflict).then_some(())?;
        participants.different_near((pair.sentence_a, a.start), (pair.sentence_b, b.start))
    });
    if let Some((x, y)) = values_near_other_people {
        return mark(
            SameEvent::No,
            EventEvidence::ValuesOfDifferentParticipants(x.into(), y.into()),
        );
    }
    if let Some((x, y)) = participants.different(pair.sentence_a, pair.sentence_b) {
        return mark(
            SameEvent::No,
            EventEvidence::DifferentParticipants(x.into(), y.into()),
        );
    }
    let (a, b) = (pair.article_a, pair.article_b);
    if let Some(days) = days_apart(&articles[a], &articles[b]).filter(|&d| d > MAX_DAYS_APART) {
        return mark(SameEvent::No, EventEvidence::PublishedDaysApart(days));
    }
    if groups.same_group(a, b) {
        return mark(SameEvent::Yes, EventEvidence::SameStoryGroup);
    }
    let (shared, compared) = groups.between(a, b);
    if compared >= MIN_COMPARED && (shared as f64) < MAX_CHANCE_RATE * compared as f64 {
        return mark(
            SameEvent::No,
            EventEvidence::DifferentStories { shared, compared },
        );
    }
    mark(
        SameEvent::Unsure,
        EventEvidence::SharedFacts { shared, compared },
    )
}
