//! The plain structs and enums that flow between the stages. They live here, below every
//! stage, so that a stage only ever imports this module and earlier stages, never a later one
//! (`tests/module_graph.rs` checks it).

mod article;
mod fact;
mod facts;
mod nli;
mod sentence;
mod timing;
mod verdict;
mod warning;

pub use self::article::{
    Article, DateSource, EarlierDrop, PageDetails, PublicationDate, SourceOffsets,
};
pub use self::fact::{
    DaySpan, Discrepancy, DiscrepancyReason, DiscrepancySubject, EventContext, Fact, FactOutcome,
    Measure, Timeline, Trend, ValueClass, ValueGroup, ValueMention,
};
pub use self::facts::{
    CalendarUnit, Date, Interval, Mention, MentionKind, Occurrence, Qualifier, Relative,
    SlotComparison, SlotOutcome, Value, Yearly,
};
pub use self::nli::{Probabilities, NLI_LABELS};
pub use self::sentence::{ArticleLanguage, Claim, DropReason, Sentence, UNKNOWN_LANGUAGE};
pub use self::timing::{Stage, StageClock, StageTiming};
pub use self::verdict::{
    EventEvidence, EventMark, JudgedPair, Label, LabelCounts, NliBasis, Pair, Reason, SameEvent,
    Side, SlotEvidence, Verdict,
};
pub use self::warning::{escaped_name, Notice, SkipReason, Warning};

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeSet;
    use strum::IntoEnumIterator;

    /// The name a report writes for a value: its serde name (the tag of a tagged enum, the key
    /// of a variant with data).
    fn serde_name(value: &impl Serialize) -> String {
        match serde_json::to_value(value).expect("domain values serialise") {
            serde_json::Value::String(name) => name,
            serde_json::Value::Object(map) => map
                .get("kind")
                .or_else(|| map.get("reason"))
                .and_then(|v| v.as_str().map(str::to_string))
                .or_else(|| {
                    (map.len() == 1)
                        .then(|| map.keys().next().cloned())
                        .flatten()
                })
                .unwrap_or_else(|| panic!("no name in {map:?}")),
            other => panic!("no name in {other}"),
        }
    }

    /// Every variant of `T` has its own name, by `name`.
    fn distinct<T: IntoEnumIterator + std::fmt::Debug>(name: impl Fn(&T) -> String) {
        let mut seen = BTreeSet::new();
        for variant in T::iter() {
            let written = name(&variant);
            assert!(!written.is_empty(), "{variant:?} has an empty name");
            assert!(
                seen.insert(written.clone()),
                "{variant:?}: name {written:?} used twice"
            );
        }
    }

    #[test]
    fn every_typed_variant_has_a_distinct_report_name() {
        distinct::<DateSource>(serde_name);
        distinct::<ValueClass>(serde_name);
        distinct::<ValueClass>(ToString::to_string);
        distinct::<FactOutcome>(serde_name);
        distinct::<DiscrepancyReason>(serde_name);
        distinct::<CalendarUnit>(serde_name);
        distinct::<MentionKind>(serde_name);
        distinct::<SlotOutcome>(serde_name);
        distinct::<Yearly>(serde_name);
        distinct::<Yearly>(ToString::to_string);
        distinct::<Occurrence>(serde_name);
        distinct::<Occurrence>(ToString::to_string);
        distinct::<Qualifier>(serde_name);
        distinct::<DropReason>(serde_name);
        distinct::<DropReason>(ToString::to_string);
        distinct::<Stage>(serde_name);
        distinct::<Stage>(ToString::to_string);
        distinct::<Label>(serde_name);
        distinct::<Side>(serde_name);
        distinct::<NliBasis>(serde_name);
        distinct::<SameEvent>(serde_name);
        distinct::<SameEvent>(ToString::to_string);
        distinct::<EventEvidence>(serde_name);
        distinct::<SkipReason>(serde_name);
    }
}
