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

pub use self::article::{Article, DateSource, PublicationDate, SourceOffsets};
pub use self::fact::{
    DaySpan, Discrepancy, DiscrepancyReason, DiscrepancySubject, EventContext, Fact, FactOutcome,
    ValueClass, ValueGroup, ValueMention,
};
pub use self::facts::{
    CalendarUnit, Date, Interval, Mention, MentionKind, Occurrence, Qualifier, Relative,
    SlotComparison, SlotOutcome, Value, Yearly,
};
pub use self::nli::{Probabilities, NLI_LABELS};
pub use self::sentence::{ArticleLanguage, Claim, DropReason, Sentence, UNKNOWN_LANGUAGE};
pub use self::timing::{Stage, StageTiming};
pub use self::verdict::{
    EventEvidence, EventMark, JudgedPair, Label, LabelCounts, NliBasis, Pair, Reason, SameEvent,
    Side, SlotEvidence, Verdict,
};
pub use self::warning::{Notice, SkipReason, Warning};
