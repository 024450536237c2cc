#![warn(missing_docs)]
//! crosscheck: gathers the facts that news articles in different languages state into one
//! table, and reports where the articles agree, where they contradict each other, and which
//! details only one source gives.
//!
//! The folders are the pipeline, in the order data flows through it:
//! [`read`] (articles → sentences → claims), [`values`] (claims → typed values in their
//! frames), [`matching`] (claims → vectors → candidate pairs, also with earlier drops),
//! [`judging`] (pairs → NLI verdicts → events), [`fact_table`] (values → facts and
//! discrepancies) and [`report`] (a run → CSV files and one HTML page). [`pipeline`] runs the
//! stages in that order. Beside them: [`domain`] (the plain types that flow between the
//! stages), [`lang`] (the language data files, registered in one place), [`io`] (files,
//! hashes, progress bars), [`models`] (loading and running every model), [`store`] (model
//! result caches, the SQLite/PostgreSQL archive and its workers) and [`eval`] (scoring runs
//! against gold files).

pub mod domain;
pub mod eval;
pub mod fact_table;
pub mod io;
pub mod judging;
pub mod lang;
pub mod matching;
pub mod models;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod store;
pub mod values;
