//! The `align` stage: proposes candidate pairs of sentences from *different* articles that may
//! state the same fact, by cosine similarity of their e5 embeddings.
//!
//! For every claim, its `top_k` most similar claims of other articles over the whole drop
//! ([`crate::matching::neighbours`]) are candidates; a pair is kept when the choice is mutual (each is
//! among the other's top-k) and its similarity reaches `min_similarity`. A second, fact-anchored channel does the same among
//! only the claims that state a value of the same type (a duration, a sum of money, a weekday):
//! "a call of about one hour" finds "a one-hour call" even when other sentences of that article
//! are closer in wording. Both channels keep top-k per claim, so the number of pairs (and of
//! NLI calls) grows linearly with the number of claims, never with their square.
//!
//! ```no_run
//! # fn demo(claims: &[crosscheck::domain::Claim], embeddings: &crosscheck::matching::embed::Embeddings) {
//! use crosscheck::matching::align::{candidate_pairs, AlignConfig};
//! let articles: Vec<usize> = claims.iter().map(|c| c.article).collect();
//! let pairs = candidate_pairs(&articles, embeddings, &[], &AlignConfig::default());
//! for p in pairs {
//!     println!("claim {} ~ claim {} ({:.3})", p.a, p.b, p.similarity);
//! }
//! # }
//! ```

use std::collections::BTreeSet;

use crate::domain::{MentionKind, Notice, Pair};
use crate::matching::embed::Embeddings;

/// Pairing knobs; `top_k` and `min_similarity` were chosen on the Text+Berg de-fr gold
/// alignments (`crosscheck eval-align`, see the README).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AlignConfig {
    /// Candidates per claim, over the whole drop.
    pub top_k: usize,
    /// Cosine similarity below which no pair is proposed.
    pub min_similarity: f32,
    /// Keep only pairs each side picked (mutual top-k).
    pub mutual: bool,
    /// Similarity threshold of the fact-anchored channel (claims sharing a value type).
    pub anchored_min_similarity: f32,
    /// At most this many pairs are judged (the most similar); a guard against a drop that
    /// would keep the NLI stage busy for hours.
    pub max_pairs: usize,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            top_k: 8,
            min_similarity: 0.85,
            mutual: true,
            anchored_min_similarity: 0.80,
            max_pairs: DEFAULT_MAX_PAIRS,
        }
    }
}

/// Default of [`AlignConfig::max_pairs`]: about half an hour of NLI on two cores.
pub const DEFAULT_MAX_PAIRS: usize = 50_000;

/// Directed NLI pairs per second per core, measured on the seeds (2 cores, fp32): what the
/// work estimate before the NLI stage divides by.
pub const NLI_PAIRS_PER_CORE_SECOND: f64 = 8.0;
/// Memory per directed NLI input while the stage runs (tokens and padded batches), measured
/// on a drop of 2,000 one-sentence articles, plus the two models.
pub const NLI_BYTES_PER_INPUT: f64 = 5_000.0;
/// Memory of both models loaded, in bytes.
pub const MODELS_BYTES: f64 = 1.3e9;

/// Keeps the `max` most similar pairs (ties by position), in (a, b) order; returns the
/// warning that says what was cut, when anything was.
pub fn cap_pairs(pairs: &mut Vec<Pair>, max: usize) -> Option<Notice> {
    if pairs.len() <= max {
        return None;
    }
    let found = pairs.len();
    pairs.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    pairs.truncate(max);
    let min_similarity = pairs.last().map_or(0.0, |p| p.similarity);
    pairs.sort_by_key(|p| (p.a, p.b));
    Some(Notice::PairsCut {
        found,
        kept: max,
        min_similarity,
    })
}

/// The NLI stage's work for `pairs` candidate pairs on `cores` cores, when it is large enough
/// to say so (over ten minutes or four gigabytes). `inputs` is what the model will run on: the
/// distinct directed pairs that the archive does not hold (a pair met twice in the run, or
/// judged by an earlier run, costs nothing).
pub fn workload(pairs: usize, inputs: usize, cores: usize) -> Option<Notice> {
    let directed = inputs as f64;
    let minutes = directed / (NLI_PAIRS_PER_CORE_SECOND * cores.max(1) as f64) / 60.0;
    let gigabytes = (MODELS_BYTES + directed * NLI_BYTES_PER_INPUT) / 1e9;
    (minutes > 10.0 || gigabytes > 4.0).then_some(Notice::LargeWorkload {
        pairs,
        inputs,
        minutes,
        gigabytes,
    })
}

/// Candidate pairs among the claims, sorted by (a, b). `articles[i]` is claim `i`'s article;
/// `anchors[i]` names the value types claim `i` states (empty when the fact-anchored channel
/// is unused).
pub fn candidate_pairs(
    articles: &[usize],
    embeddings: &Embeddings,
    anchors: &[BTreeSet<MentionKind>],
    config: &AlignConfig,
) -> Vec<Pair> {
    both_channels(articles.len(), anchors, config, |pool, threshold| {
        mutual_top_k(articles, embeddings, pool, config, threshold)
    })
    .into_iter()
    .map(|(a, b)| Pair {
        a,
        b,
        similarity: embeddings.cosine(a, b),
    })
    .collect()
}

/// The pairs of both channels for `claims` claims: `channel(pool, threshold)` pairs the claims
/// of a pool, once over all claims at `min_similarity`, then over the claims of each anchor
/// value type at `anchored_min_similarity`. Public so that another pairing rule can be
/// measured through the same channels (`examples/pairing_recall.rs`).
pub fn both_channels(
    claims: usize,
    anchors: &[BTreeSet<MentionKind>],
    config: &AlignConfig,
    mut channel: impl FnMut(&[usize], f32) -> BTreeSet<(usize, usize)>,
) -> BTreeSet<(usize, usize)> {
    let all: Vec<usize> = (0..claims).collect();
    let mut pairs = channel(&all, config.min_similarity);
    let kinds: BTreeSet<&MentionKind> = anchors.iter().flatten().collect();
    for kind in kinds {
        let anchored: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| anchors[i].contains(kind))
            .collect();
        pairs.extend(channel(&anchored, config.anchored_min_similarity));
    }
    pairs
}

/// Unordered pairs (a < b) of `pool` claims from different articles that are among each
/// other's `top_k` nearest (over the whole pool) and reach `threshold`.
fn mutual_top_k(
    articles: &[usize],
    embeddings: &Embeddings,
    pool: &[usize],
    config: &AlignConfig,
    threshold: f32,
) -> BTreeSet<(usize, usize)> {
    let lists = crate::matching::neighbours::nearest(embeddings, pool, articles, config.top_k);
    let chosen: BTreeSet<(usize, usize)> = pool
        .iter()
        .zip(&lists)
        .flat_map(|(&i, list)| list.iter().map(move |n| (i, n.row)))
        .collect();
    chosen
        .iter()
        .filter(|&&(i, j)| !config.mutual || chosen.contains(&(j, i)))
        .filter(|&&(i, j)| embeddings.cosine(i, j) >= threshold)
        .map(|&(i, j)| (i.min(j), i.max(j)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_keeps_the_most_similar_pairs_and_says_what_it_cut() {
        let mut pairs: Vec<Pair> = (0..5)
            .map(|i| Pair {
                a: i,
                b: 10 + i,
                similarity: 0.80 + 0.01 * i as f32,
            })
            .collect();
        assert_eq!(cap_pairs(&mut pairs.clone(), 5), None);
        let notice = cap_pairs(&mut pairs, 2).unwrap();
        assert_eq!(pairs.iter().map(|p| p.a).collect::<Vec<_>>(), [3, 4]);
        assert!(matches!(
            notice,
            Notice::PairsCut {
                found: 5,
                kept: 2,
                ..
            }
        ));
        assert!(notice.to_string().contains("3 not judged"), "{notice}");
    }

    #[test]
    fn a_large_workload_is_announced() {
        assert_eq!(workload(100, 200, 2), None);
        let notice = workload(2_200_000, 4_400_000, 2).unwrap();
        assert!(notice.to_string().contains("GB"), "{notice}");
        // Many pairs, but the model runs on few inputs (repeats, cached results): no estimate.
        assert_eq!(workload(50_000, 300, 1), None);
    }
}
