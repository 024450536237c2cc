//! Scoring crosscheck against gold files: a run against labelled fact pairs ([`mod@drop`],
//! `crosscheck eval-drop`) and the pairing stage against gold sentence alignments ([`align`],
//! `crosscheck eval-align`). The NLI model's own evaluation lives with it
//! ([`crate::judging::nli::eval`]).

pub mod align;
pub mod drop;
pub mod explain;
