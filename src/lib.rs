#![warn(missing_docs)]
//! crosscheck: pairs the sentences of news articles in different languages that state the same
//! fact, and reports where the articles agree, contradict each other, or give one-sided details.
//!
//! The stages, in the order data flows through them: [`ingest`], [`segment`],
//! [`boilerplate`], [`embed`], [`align`], [`nli`], [`facts`], [`verdict`], [`events`], [`report`]; [`pipeline`] runs
//! them, [`models`] loads every model.

pub mod align;
pub mod align_eval;
pub mod batch;
pub mod boilerplate;
pub mod claims;
pub mod domain;
pub mod embed;
pub mod eval_drop;
pub mod events;
pub mod facts;
pub mod ingest;
pub mod io;
pub mod lang;
pub mod models;
pub mod nli;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod segment;
pub mod verdict;
