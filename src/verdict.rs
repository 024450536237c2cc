//! The `verdict` stage: one verdict per candidate pair, from the NLI probabilities in both
//! directions and, through [`apply_slots`], from the typed fact checks of `facts`.
//!
//! - `agree`: each sentence entails the other (a paraphrase, or the same fact told twice);
//! - `contradict`: the model finds a contradiction, on average over both directions, and it
//!   outweighs entailment;
//! - `one_sided_detail`: one sentence entails the other but not the reverse, so it states
//!   something specific the other leaves open (the side is named); not when event separation
//!   finds the two claims about different events ([`apply_same_event`]);
//! - `related`: same topic (they were paired by similarity), neither of the above.

use serde::Serialize;

use crate::events::SameEvent;
use crate::facts::{SlotComparison, SlotOutcome};
use crate::nli::Probabilities;

/// Thresholds of the verdict rules, in one place.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictConfig {
    /// A direction counts as entailed when its entailment probability reaches this.
    pub entailment: f32,
    /// A pair is a contradiction when the mean of its two directions' contradiction
    /// probabilities reaches this and exceeds both entailment probabilities. Contradiction is
    /// symmetric (if a rules b out, b rules a out), so a model that sees it one way only is
    /// more likely misled, typically by two unrelated statements about the same war.
    pub contradiction: f32,
}

impl Default for VerdictConfig {
    fn default() -> Self {
        VerdictConfig {
            entailment: 0.5,
            contradiction: 0.5,
        }
    }
}

/// The four verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

impl Label {
    /// The name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Label::Agree => "agree",
            Label::Contradict => "contradict",
            Label::OneSidedDetail => "one_sided_detail",
            Label::Related => "related",
        }
    }
}

/// Which sentence of a pair carries a one-sided detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    /// The pair's first sentence.
    A,
    /// The pair's second sentence.
    B,
}

/// The decision for one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The verdict.
    pub label: Label,
    /// How sure, 0-1 (the probability mass behind the rule that fired).
    pub confidence: f32,
    /// Machine-readable reason, e.g. `entailment_both_ways`, `contradiction_both_ways`.
    pub reason: String,
    /// For `one_sided_detail`: the side that states the detail.
    pub detail_side: Option<Side>,
    /// The typed slot comparisons (numbers, dates, weekdays, durations) of the pair.
    pub slots: Vec<SlotComparison>,
    /// For contradictions and one-sided details: same event or not, and the evidence.
    pub same_event: Option<(SameEvent, String)>,
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

/// Confidence given to a verdict that rests on typed evidence alone (NLI found the pair
/// neutral): the values are certain, that the sentences speak of the same thing is not.
pub const TYPED_EVIDENCE_CONFIDENCE: f32 = 0.5;

/// Lowercase name of a slot's kind for reasons and reports (`weekday`, `duration`, ...).
pub fn slot_kind_name(slot: &SlotComparison) -> String {
    format!("{:?}", slot.kind).to_lowercase()
}

/// Folds the typed fact checks into an NLI verdict. A slot conflict (Thursday vs Friday,
/// one hour vs 40 minutes) makes any candidate pair a contradiction candidate, since the pair
/// was matched as stating the same fact; event separation later says whether both sentences
/// are about one event. A value on one side only (a 40-minute call vs a call of no stated
/// length) makes an agreeing or neutral pair a one-sided detail.
pub fn apply_slots(nli: Verdict, slots: Vec<SlotComparison>) -> Verdict {
    let conflict = slots.iter().find(|s| s.outcome == SlotOutcome::Conflict);
    let one_sided = slots.iter().find(|s| s.outcome == SlotOutcome::OneSided);
    let typed_confidence = |v: &Verdict| match v.label {
        Label::Related => TYPED_EVIDENCE_CONFIDENCE,
        _ => v.confidence.max(TYPED_EVIDENCE_CONFIDENCE),
    };
    let decided = match (nli.label, conflict, one_sided) {
        (Label::Contradict, Some(c), _) => Verdict {
            reason: format!("{}+slot_conflict:{}", nli.reason, slot_kind_name(c)),
            ..nli
        },
        (_, Some(c), _) => Verdict {
            label: Label::Contradict,
            confidence: typed_confidence(&nli),
            reason: format!("slot_conflict:{}", slot_kind_name(c)),
            detail_side: None,
            ..nli
        },
        (Label::Agree | Label::Related, None, Some(o)) => Verdict {
            label: Label::OneSidedDetail,
            confidence: typed_confidence(&nli),
            reason: format!("slot_one_sided:{}", slot_kind_name(o)),
            detail_side: Some(if o.a.is_some() { Side::A } else { Side::B }),
            ..nli
        },
        _ => nli,
    };
    Verdict { slots, ..decided }
}

/// Records event separation's decision on a verdict. A one-sided detail whose other claim is
/// about a different event becomes only `related` (nothing was left open by the other claim),
/// its reason suffixed `;other_event`; a contradiction between two events stays reported.
pub fn apply_same_event(verdict: &mut Verdict, decision: Option<(SameEvent, String)>) {
    if verdict.label == Label::OneSidedDetail
        && decision.as_ref().is_some_and(|(e, _)| *e == SameEvent::No)
    {
        verdict.label = Label::Related;
        verdict.reason.push_str(";other_event");
        verdict.detail_side = None;
    }
    verdict.same_event = decision;
}

/// Decides a pair from its NLI probabilities a => b and b => a.
pub fn decide(ab: &Probabilities, ba: &Probabilities, config: &VerdictConfig) -> Verdict {
    let contradiction = (ab.contradiction + ba.contradiction) / 2.0;
    let entailment = ab.entailment.max(ba.entailment);
    let verdict = |label, confidence, reason: &str, detail_side| Verdict {
        label,
        confidence,
        reason: reason.to_string(),
        detail_side,
        slots: Vec::new(),
        same_event: None,
    };
    if contradiction >= config.contradiction && contradiction > entailment {
        return verdict(
            Label::Contradict,
            contradiction,
            "contradiction_both_ways",
            None,
        );
    }
    match (
        ab.entailment >= config.entailment,
        ba.entailment >= config.entailment,
    ) {
        (true, true) => verdict(
            Label::Agree,
            ab.entailment.min(ba.entailment),
            "entailment_both_ways",
            None,
        ),
        // a entails b but not the reverse: a says more.
        (true, false) => verdict(
            Label::OneSidedDetail,
            ab.entailment * (1.0 - ba.entailment),
            "entailment_a_to_b_only",
            Some(Side::A),
        ),
        (false, true) => verdict(
            Label::OneSidedDetail,
            ba.entailment * (1.0 - ab.entailment),
            "entailment_b_to_a_only",
            Some(Side::B),
        ),
        (false, false) => verdict(
            Label::Related,
            (ab.neutral + ba.neutral) / 2.0,
            "no_entailment",
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(e: f32, n: f32, c: f32) -> Probabilities {
        Probabilities {
            entailment: e,
            neutral: n,
            contradiction: c,
        }
    }

    #[test]
    fn rules() {
        let config = VerdictConfig::default();
        assert_eq!(
            decide(&p(0.9, 0.05, 0.05), &p(0.8, 0.1, 0.1), &config).label,
            Label::Agree
        );
        assert_eq!(
            decide(&p(0.1, 0.2, 0.7), &p(0.2, 0.3, 0.5), &config).label,
            Label::Contradict
        );
        // Seen one way only: not a contradiction.
        assert_ne!(
            decide(&p(0.1, 0.2, 0.7), &p(0.1, 0.8, 0.1), &config).label,
            Label::Contradict
        );
        let one_sided = decide(&p(0.2, 0.7, 0.1), &p(0.9, 0.05, 0.05), &config);
        assert_eq!(one_sided.label, Label::OneSidedDetail);
        assert_eq!(one_sided.detail_side, Some(Side::B));
        assert_eq!(
            decide(&p(0.2, 0.7, 0.1), &p(0.3, 0.6, 0.1), &config).label,
            Label::Related
        );
    }

    #[test]
    fn a_detail_against_another_event_is_only_related() {
        let detail = decide(
            &p(0.2, 0.7, 0.1),
            &p(0.9, 0.05, 0.05),
            &VerdictConfig::default(),
        );
        let mut demoted = detail.clone();
        apply_same_event(
            &mut demoted,
            Some((SameEvent::No, "different_stories".into())),
        );
        assert_eq!(demoted.label, Label::Related);
        assert_eq!(demoted.detail_side, None);
        assert_eq!(demoted.reason, format!("{};other_event", detail.reason));
        assert_eq!(demoted.confidence, detail.confidence);
    }
}
