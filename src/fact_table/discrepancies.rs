//! The discrepancy report: one row per fact whose value groups cannot all be true, one per
//! NLI contradiction that no typed value explains, and, ranked last, one per pair of facts
//! that measure the same thing for different events. A discrepancy about one event comes
//! first; within a kind, the surer row first.

use crate::domain::{
    Claim, Discrepancy, DiscrepancyReason, DiscrepancySubject, Fact, FactOutcome, JudgedPair,
    Label, NliBasis, SameEvent, ValueMention,
};
use crate::matching::embed::Embeddings;

/// Mean contradiction probability (both directions) from which an NLI contradiction between
/// two claims is listed as a discrepancy; weaker ones stay in pairs.csv only.
pub const MIN_NLI_CONTRADICTION: f32 = 0.8;

/// Words each claim of an NLI contradiction needs to be listed: shorter claims ("Siga-nos no
/// Telegram", a photo credit) are furniture the boilerplate patterns missed, and the model
/// reads any two of them as contradictory.
pub const MIN_NLI_CLAIM_WORDS: usize = 6;

/// Whether the two sides of a conflicting fact are placed in one event by days they resolve
/// to or their sentences name (yes), or only assumed to be (unsure).
fn fact_event(values: &[ValueMention], fact: &Fact) -> SameEvent {
    let dated = |g: &crate::domain::ValueGroup| {
        g.members.iter().any(|&m| {
            let v = &values[m];
            !v.event.days.is_empty()
                || (v.class == crate::domain::ValueClass::Day
                    && crate::values::frames::day_span(&v.mention).is_some())
        })
    };
    if fact.groups.iter().filter(|g| dated(g)).count() >= 2 {
        SameEvent::Yes
    } else {
        SameEvent::Unsure
    }
}

/// How alike the values on different sides of a fact are (mean similarity across groups).
fn confidence(fact: &Fact, similarity: &Embeddings) -> f32 {
    let mut total = 0.0;
    let mut n = 0;
    for (i, g) in fact.groups.iter().enumerate() {
        for h in &fact.groups[i + 1..] {
            for &x in &g.members {
                for &y in &h.members {
                    total += similarity.cosine(x, y);
                    n += 1;
                }
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        total / n as f32
    }
}

/// The discrepancies of a drop, most important first. `siblings` are pairs of facts that
/// measure one thing for different events; `pairs` the judged pairs of `claims`.
pub fn discrepancies(
    facts: &[Fact],
    siblings: &[(usize, usize)],
    values: &[ValueMention],
    similarity: &Embeddings,
    claims: &[Claim],
    pairs: &[JudgedPair],
) -> Vec<Discrepancy> {
    let long = |c: usize| claims[c].text.split_whitespace().count() >= MIN_NLI_CLAIM_WORDS;
    let mut out = Vec::new();
    for (i, fact) in facts.iter().enumerate() {
        if fact.outcome == FactOutcome::Conflict {
            let reason = if fact.timeline.is_some() {
                DiscrepancyReason::Update
            } else {
                DiscrepancyReason::ValueConflict
            };
            out.push(Discrepancy {
                subject: DiscrepancySubject::Fact(i),
                reason,
                same_event: fact_event(values, fact),
                confidence: confidence(fact, similarity),
            });
        }
    }
    for (n, p) in pairs.iter().enumerate() {
        let nli_only = p.verdict.label == Label::Contradict
            && p.verdict.reason.nli == Some(NliBasis::ContradictionBothWays)
            && p.verdict.reason.slot.is_none()
            && p.verdict.confidence >= MIN_NLI_CONTRADICTION
            && long(p.pair.a)
            && long(p.pair.b);
        let other_event = p
            .verdict
            .event
            .as_ref()
            .is_some_and(|m| m.decision == SameEvent::No);
        if nli_only && !other_event {
            out.push(Discrepancy {
                subject: DiscrepancySubject::Claims(n),
                reason: DiscrepancyReason::NliContradiction,
                same_event: p
                    .verdict
                    .event
                    .as_ref()
                    .map_or(SameEvent::Unsure, |m| m.decision),
                confidence: p.verdict.confidence,
            });
        }
    }
    for &(x, y) in siblings {
        let (fx, fy) = (&facts[x], &facts[y]);
        let differ = fx.groups.iter().any(|g| {
            fy.groups.iter().any(|h| {
                super::agreement::agree(&values[g.members[0]], &values[h.members[0]]) == Some(false)
            })
        });
        if differ {
            out.push(Discrepancy {
                subject: DiscrepancySubject::Facts(x, y),
                reason: DiscrepancyReason::DifferentEvents,
                same_event: SameEvent::No,
                confidence: 0.0,
            });
        }
    }
    // Typed evidence first: a conflict of values, however unsure its event, before a
    // contradiction only the NLI model sees.
    out.sort_by(|a, b| {
        rank(a.reason)
            .cmp(&rank(b.reason))
            .then(a.same_event.cmp(&b.same_event))
            .then(b.confidence.total_cmp(&a.confidence))
    });
    out
}

fn rank(reason: DiscrepancyReason) -> u8 {
    match reason {
        DiscrepancyReason::ValueConflict | DiscrepancyReason::Update => 0,
        DiscrepancyReason::NliContradiction => 1,
        DiscrepancyReason::DifferentEvents => 2,
    }
}
