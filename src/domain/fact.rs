//! Facts: a typed value in its place (which claim states it, what it measures, which event it
//! belongs to), the facts of the drop that gather the values measuring one thing of one event
//! across articles, and the discrepancies between them.

use serde::Serialize;
use std::collections::BTreeSet;

use super::{Interval, Mention, SameEvent};

/// What values are compared as: a value is only ever compared with values of its class.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueClass {
    /// A day: a date, a weekday, "yesterday".
    Day,
    /// A time of day.
    Time,
    /// A length of time.
    Duration,
    /// A count or a number measuring something ("17 dead", "magnitude 6.3").
    Quantity,
    /// An amount of money in one currency (ISO 4217 code).
    Money(String),
    /// A percentage.
    Percentage,
    /// A rank.
    Ordinal,
}

impl std::fmt::Display for ValueClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueClass::Money(code) => write!(f, "money_{}", code.to_lowercase()),
            other => other.serialize(f),
        }
    }
}

/// A stretch of days an event is placed in by a claim ("in 2019": the whole year; "on 9
/// November 2019": one day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DaySpan {
    /// First day.
    pub first: chrono::NaiveDate,
    /// Last day.
    pub last: chrono::NaiveDate,
}

/// What places a value's event: the days named beside it and the people its claim names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventContext {
    /// Days named in the same sentence (other than the value itself).
    pub days: Vec<DaySpan>,
    /// The drop's participants its claim names (ids of [`crate::values::participants`]).
    pub participants: BTreeSet<usize>,
}

/// A typed value in its place: the claim that states it, what it is compared as, the words
/// around it (the frame that says what it measures) and its event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueMention {
    /// Index of the claim in the drop's claim list.
    pub claim: usize,
    /// Index of its sentence.
    pub sentence: usize,
    /// Index of its article.
    pub article: usize,
    /// The value as extracted (offsets relative to its sentence).
    pub mention: Mention,
    /// Byte offset of the value in the article text.
    pub start: usize,
    /// Byte offset just past the value.
    pub end: usize,
    /// What it is compared as.
    pub class: ValueClass,
    /// The words around the value in its claim, the value itself replaced by a placeholder:
    /// "the call lasted about X", "X feridos".
    pub frame: String,
    /// What places its event.
    pub event: EventContext,
}

/// How the articles stating one fact relate.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactOutcome {
    /// Every article gives the same value.
    Consensus,
    /// The values differ but can all be true (overlapping intervals: 35 minutes and "less
    /// than an hour").
    Compatible,
    /// Some values cannot both be true (12 against 14 injured).
    Conflict,
    /// One article only gives it.
    SingleSource,
}

/// The values of a fact that can all be true together, with the articles giving them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueGroup {
    /// Value mentions (indices into the drop's value mentions).
    pub members: Vec<usize>,
    /// The normalised value of its first member.
    pub value: String,
    /// The range the group's values share, for numeric values.
    pub interval: Option<Interval>,
}

/// One fact of the drop: the values that measure one thing of one event, across articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// 1-based id, stable for the same input.
    pub id: usize,
    /// What its values are compared as.
    pub class: ValueClass,
    /// A readable label: the frame of its first value ("the call lasted about X").
    pub label: String,
    /// Value mentions (indices into the drop's value mentions), in drop order.
    pub members: Vec<usize>,
    /// The values that can be true together, largest group first.
    pub groups: Vec<ValueGroup>,
    /// How the articles relate on it.
    pub outcome: FactOutcome,
}

/// Why a discrepancy is listed.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyReason {
    /// A fact whose values cannot all be true (typed values).
    ValueConflict,
    /// Two claims the NLI model finds contradictory both ways, with no typed value
    /// explaining it.
    NliContradiction,
    /// Look-alike facts of two different events (the 2019 quake's toll against this one's):
    /// kept for context, ranked last.
    DifferentEvents,
}

/// What a discrepancy sets against what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancySubject {
    /// The value groups of one fact.
    Fact(usize),
    /// Two facts measuring the same thing for different events.
    Facts(usize, usize),
    /// A claim pair (index into the judged pairs).
    Claims(usize),
}

/// One row of the discrepancy report: never the same discrepancy twice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discrepancy {
    /// What is set against what.
    pub subject: DiscrepancySubject,
    /// Why it is listed.
    pub reason: DiscrepancyReason,
    /// Whether both sides are about one event.
    pub same_event: SameEvent,
    /// How sure, 0-1.
    pub confidence: f32,
}
