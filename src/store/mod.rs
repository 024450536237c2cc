//! What runs keep: model results cached by the hash of their exact input ([`cache`]), the
//! SQLite or PostgreSQL archive of runs, articles, claims, vectors and facts ([`archive`]), and
//! the workers that take drops from the PostgreSQL job queue ([`worker`]).

pub mod archive;
pub mod cache;
pub mod worker;
