#![warn(missing_docs)]
//! crosscheck: gathers the facts that news articles in different languages state into one
//! table, and reports where the articles agree, where they contradict each other, and which
//! details only one source gives.
//!
//! The stages, in the order data flows through them: [`ingest`], [`segment`],
//! [`boilerplate`], [`claims`], [`facts`], [`participants`], [`frames`], [`embed`],
//! [`neighbours`], [`earlier`], [`align`], [`nli`], [`verdict`], [`events`], [`fact_table`], [`report`];
//! [`pipeline`] runs them, [`models`] loads every model, [`cache`] keeps model results
//! from being computed twice, [`archive`] keeps what runs learn (SQLite, or PostgreSQL with
//! pgvector) and [`worker`] takes drops from the PostgreSQL archive's job queue.

pub mod align;
pub mod align_eval;
pub mod archive;
pub mod batch;
pub mod boilerplate;
pub mod cache;
pub mod claims;
pub mod domain;
pub mod earlier;
pub mod embed;
pub mod eval_drop;
pub mod events;
pub mod fact_table;
pub mod facts;
pub mod frames;
pub mod ingest;
pub mod io;
pub mod lang;
pub mod models;
pub mod neighbours;
pub mod nli;
pub mod participants;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod segment;
pub mod verdict;
pub mod worker;
