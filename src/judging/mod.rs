//! Judging: the NLI model reads each candidate pair in both directions ([`nli`]), the
//! probabilities and the typed value checks become one verdict per pair ([`verdict`]), and
//! pairs are told apart by event (a March call is not a July call, [`events`]). In: candidate
//! pairs and typed values. Out: judged pairs.

pub mod events;
pub mod nli;
pub mod verdict;
