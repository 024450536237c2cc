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
    /// The drop's participants named near the value in its claim: the parties of its event.
    pub parties: BTreeSet<usize>,
    /// The participant the event was held with, as its claim names it after "with" ("his call
    /// with Zelenskiy": Zelensky): calls with different counterparts are different calls.
    pub counterpart: Option<usize>,
}

/// What a value counts or measures, and whose ([`crate::values::measures`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// For a count, an amount or a share: what it counts, a concept of
    /// `data/measures/concepts.json` ("dead", "injured", "on_board"); for a day, a time or a
    /// length: the event it belongs to ("call", "crash"). None when the claim does not say.
    pub concept: Option<&'static str>,
    /// The counted noun, folded, when no concept names it ("trains" where the words lack it).
    pub noun: Option<String>,
    /// Whose count it is: a nationality (ISO 3166 code), "children", "police"; for a time, its
    /// zone ("local", "cest", "madrid").
    pub holder: Option<String>,
    /// A part of another count of the clause ("seven of the 12 bodies").
    pub part: bool,
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
    /// What it counts or measures, and whose.
    pub measure: Measure,
    /// The language of its sentence (ISO 639-1).
    pub language: String,
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

/// Which way a running total moved over the days it was reported.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Each later report gives a higher figure.
    Grew,
    /// Each later report gives a lower figure.
    Shrank,
    /// Revised up and down.
    Revised,
}

/// The reports of a running total in the order of their publication days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// The group (index into the fact's groups) of the latest report.
    pub latest: usize,
    /// Which way the figure moved.
    pub trend: Trend,
    /// First and last publication day of the reports.
    pub first_day: chrono::NaiveDate,
    /// Last publication day.
    pub last_day: chrono::NaiveDate,
}

/// One fact of the drop: the values that measure one thing of one event, across articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// 1-based id, stable for the same input.
    pub id: usize,
    /// What its values are compared as.
    pub class: ValueClass,
    /// A readable label: what it measures ("dead", "day of the call", "call length"), or
    /// the frame of its first value when the measure is not known ("the call lasted X").
    pub label: String,
    /// What its values measure (that of its first value).
    pub measure: Measure,
    /// Value mentions (indices into the drop's value mentions), in drop order.
    pub members: Vec<usize>,
    /// The values that can be true together, largest group first.
    pub groups: Vec<ValueGroup>,
    /// Values that could not be compared with any other of the fact (an unanchored
    /// "yesterday" beside dates): in no group, counted neither for nor against.
    pub unresolved: Vec<usize>,
    /// How the articles relate on it.
    pub outcome: FactOutcome,
    /// For a running total reported on several days with different figures: the reports in
    /// order.
    pub timeline: Option<Timeline>,
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
    /// A running total (a toll) whose reports differ as time passed: the values are told as
    /// a timeline, with the latest, and still listed because the early figures stand in
    /// print.
    Update,
    /// Look-alike facts of two different events (the 2019 quake's toll against this one's):
    /// kept for context, ranked last.
    DifferentEvents,
}

impl std::fmt::Display for DiscrepancyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.serialize(f)
    }
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
