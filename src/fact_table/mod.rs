//! The fact table: the values of the whole drop gathered into facts. Values of one class whose
//! frames say the same thing link across articles (`link`); linked values that belong to
//! different events become different facts (`events`); each fact's values fall into groups
//! that can be true together, which decide its outcome (`outcome`); the facts whose groups
//! cannot all be true, and NLI contradictions no typed value explains, become the
//! discrepancies, each listed once ([`discrepancies`]).
//!
//! ```no_run
//! # fn demo(values: &[crosscheck::domain::ValueMention], similarity: &crosscheck::matching::embed::Embeddings,
//! #         articles: &[crosscheck::domain::Article]) {
//! let config = crosscheck::fact_table::LinkConfig::default();
//! let links = crosscheck::fact_table::links(values, similarity, &config);
//! let table = crosscheck::fact_table::build(values, &links, articles);
//! for fact in &table.facts {
//!     println!("{} {:?} {}", fact.id, fact.outcome, fact.label);
//! }
//! # }
//! ```

mod agreement;
mod discrepancies;
mod events;
mod link;
mod outcome;

pub use self::agreement::agree;
pub use self::discrepancies::{discrepancies, MIN_NLI_CLAIM_WORDS, MIN_NLI_CONTRADICTION};
pub use self::link::{links, Link, LinkConfig};

use crate::domain::{Article, Fact, ValueMention};

/// The facts of a drop, and which of them measure one thing for different events.
#[derive(Debug, Clone, Default)]
pub struct FactTable {
    /// Facts in order of their first value; `id` is the position plus one.
    pub facts: Vec<Fact>,
    /// Pairs of facts (indices) that measure one thing for different events.
    pub siblings: Vec<(usize, usize)>,
}

/// Builds the facts of a drop from its values and the links that hold between them (from
/// [`links`], the conflicting ones confirmed by the caller).
pub fn build(values: &[ValueMention], links: &[Link], articles: &[Article]) -> FactTable {
    let mut facts = Vec::new();
    let mut families: Vec<Vec<usize>> = Vec::new();
    for cluster in link::clusters(values, links) {
        let mut family = Vec::new();
        for members in events::split(values, &cluster, articles) {
            family.push(members[0]);
            facts.push(outcome::fact(values, members, articles));
        }
        families.push(family);
    }
    facts.sort_by_key(|f| f.members[0]);
    for (i, fact) in facts.iter_mut().enumerate() {
        fact.id = i + 1;
    }
    let index_of = |first: usize| {
        facts
            .iter()
            .position(|f| f.members[0] == first)
            .unwrap_or(0)
    };
    let mut siblings = Vec::new();
    for family in families {
        for (i, &x) in family.iter().enumerate() {
            for &y in &family[i + 1..] {
                let (a, b) = (index_of(x), index_of(y));
                siblings.push((a.min(b), a.max(b)));
            }
        }
    }
    siblings.sort_unstable();
    FactTable { facts, siblings }
}
