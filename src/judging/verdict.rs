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
//!
//! ```
//! use crosscheck::domain::{Label, Probabilities};
//! use crosscheck::judging::verdict::{decide, VerdictConfig};
//! let sure = Probabilities { entailment: 0.9, neutral: 0.08, contradiction: 0.02 };
//! let verdict = decide(&sure, &sure, &VerdictConfig::default());
//! assert_eq!(verdict.label, Label::Agree);
//! ```

use serde::Serialize;

use crate::domain::{
    EventMark, Label, NliBasis, Probabilities, Reason, SameEvent, Side, SlotComparison,
    SlotEvidence, SlotOutcome, Verdict,
};

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

/// Confidence given to a verdict that rests on typed evidence alone (NLI found the pair
/// neutral): the values are certain, that the sentences speak of the same thing is not.
pub const TYPED_EVIDENCE_CONFIDENCE: f32 = 0.5;

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
            reason: Reason {
                slot: Some(evidence(c)),
                ..nli.reason
            },
            ..nli
        },
        (_, Some(c), _) => Verdict {
            label: Label::Contradict,
            confidence: typed_confidence(&nli),
            reason: slot_reason(c),
            detail_side: None,
            ..nli
        },
        (Label::Agree | Label::Related, None, Some(o)) => Verdict {
            label: Label::OneSidedDetail,
            confidence: typed_confidence(&nli),
            reason: slot_reason(o),
            detail_side: Some(if o.a.is_some() { Side::A } else { Side::B }),
            ..nli
        },
        _ => nli,
    };
    Verdict { slots, ..decided }
}

fn evidence(slot: &SlotComparison) -> SlotEvidence {
    SlotEvidence {
        outcome: slot.outcome,
        kind: slot.kind,
    }
}

/// The reason of a verdict that rests on one typed value.
fn slot_reason(slot: &SlotComparison) -> Reason {
    Reason {
        nli: None,
        slot: Some(evidence(slot)),
        other_event: false,
    }
}

/// Records event separation's decision on a verdict. A one-sided detail whose other claim is
/// about a different event becomes only `related` (nothing was left open by the other claim),
/// its reason suffixed `;other_event`; a contradiction between two events stays reported.
pub fn apply_same_event(verdict: &mut Verdict, mark: Option<EventMark>) {
    if verdict.label == Label::OneSidedDetail
        && mark.as_ref().is_some_and(|m| m.decision == SameEvent::No)
    {
        verdict.label = Label::Related;
        verdict.reason.other_event = true;
        verdict.detail_side = None;
    }
    verdict.event = mark;
}

/// Decides a pair from its NLI probabilities a => b and b => a.
pub fn decide(ab: &Probabilities, ba: &Probabilities, config: &VerdictConfig) -> Verdict {
    let contradiction = (ab.contradiction + ba.contradiction) / 2.0;
    let entailment = ab.entailment.max(ba.entailment);
    let verdict = |label, confidence, basis, detail_side| Verdict {
        label,
        confidence,
        reason: Reason::nli(basis),
        detail_side,
        slots: Vec::new(),
        event: None,
    };
    if contradiction >= config.contradiction && contradiction > entailment {
        return verdict(
            Label::Contradict,
            contradiction,
            NliBasis::ContradictionBothWays,
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
            NliBasis::EntailmentBothWays,
            None,
        ),
        // a entails b but not the reverse: a says more.
        (true, false) => verdict(
            Label::OneSidedDetail,
            ab.entailment * (1.0 - ba.entailment),
            NliBasis::EntailmentAToBOnly,
            Some(Side::A),
        ),
        (false, true) => verdict(
            Label::OneSidedDetail,
            ba.entailment * (1.0 - ab.entailment),
            NliBasis::EntailmentBToAOnly,
            Some(Side::B),
        ),
        (false, false) => verdict(
            Label::Related,
            (ab.neutral + ba.neutral) / 2.0,
            NliBasis::NoEntailment,
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
            Some(EventMark {
                decision: SameEvent::No,
                evidence: crate::domain::EventEvidence::SameStoryGroup,
            }),
        );
        assert_eq!(demoted.label, Label::Related);
        assert_eq!(demoted.detail_side, None);
        assert_eq!(
            demoted.reason.to_string(),
            format!("{};other_event", detail.reason)
        );
        assert_eq!(demoted.confidence, detail.confidence);
    }
}
