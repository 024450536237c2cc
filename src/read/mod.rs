//! Reading a drop: files and manifests become [`crate::domain::Article`]s ([`ingest`]),
//! articles become sentences with their languages ([`segment`]), page furniture is marked
//! ([`boilerplate`]), and sentences are split into the claims the later stages compare
//! ([`claims`]). In: a folder or manifest. Out: articles, sentences, claims, warnings.
//! [`fetch`] saves the pages of a links file into a drop before a run.

pub mod boilerplate;
pub mod claims;
pub mod fetch;
pub mod ingest;
pub mod segment;
