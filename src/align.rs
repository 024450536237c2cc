//! The `align` stage: proposes candidate pairs of sentences from *different* articles that may
//! state the same fact, by cosine similarity of their e5 embeddings.
//!
//! For every claim and every other article, the `top_k` most similar claims of that article are
//! candidates; a pair is kept when the choice is mutual (each is among the other's top-k) and
//! its similarity reaches `min_similarity`. A second, fact-anchored channel does the same among
//! only the claims that state a value of the same type (a duration, a sum of money, a weekday):
//! "a call of about one hour" finds "a one-hour call" even when other sentences of that article
//! are closer in wording. Both channels keep top-k per sentence, so the number of pairs (and of
//! NLI calls) grows linearly with the number of sentences, never with their square.

use std::collections::BTreeSet;

use crate::embed::Embeddings;
use crate::segment::Sentence;

/// Pairing knobs; `top_k` and `min_similarity` were chosen on the Text+Berg de-fr gold
/// alignments (`crosscheck eval-align`, see the README).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AlignConfig {
    /// Candidates per sentence and other article.
    pub top_k: usize,
    /// Cosine similarity below which no pair is proposed.
    pub min_similarity: f32,
    /// Keep only pairs each side picked (mutual top-k).
    pub mutual: bool,
    /// Similarity threshold of the fact-anchored channel (claims sharing a value type).
    pub anchored_min_similarity: f32,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            top_k: 2,
            min_similarity: 0.85,
            mutual: true,
            anchored_min_similarity: 0.80,
        }
    }
}

/// Two claims from different articles that may state the same fact; `a` comes first in the
/// drop's sentence order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Index of the first sentence in the drop's sentence list.
    pub a: usize,
    /// Index of the second sentence.
    pub b: usize,
    /// Cosine similarity of their embeddings.
    pub similarity: f32,
}

/// Candidate pairs among the claims (sentences not dropped), sorted by (a, b). `anchors[i]`
/// names the value types sentence `i` states (empty when the fact-anchored channel is unused).
pub fn candidate_pairs(
    sentences: &[Sentence],
    embeddings: &Embeddings,
    anchors: &[BTreeSet<String>],
    config: &AlignConfig,
) -> Vec<Pair> {
    let claims: Vec<usize> = (0..sentences.len())
        .filter(|&i| sentences[i].dropped.is_none())
        .collect();
    let mut pairs = mutual_top_k(
        sentences,
        embeddings,
        &claims,
        config,
        config.min_similarity,
    );
    let kinds: BTreeSet<&String> = anchors.iter().flatten().collect();
    for kind in kinds {
        let anchored: Vec<usize> = claims
            .iter()
            .copied()
            .filter(|&i| anchors[i].contains(kind))
            .collect();
        pairs.extend(mutual_top_k(
            sentences,
            embeddings,
            &anchored,
            config,
            config.anchored_min_similarity,
        ));
    }
    pairs
        .into_iter()
        .map(|(a, b)| Pair {
            a,
            b,
            similarity: embeddings.cosine(a, b),
        })
        .collect()
}

/// Unordered pairs (a < b) of `pool` sentences from different articles that are among each
/// other's `top_k` within the other's article and reach `threshold`.
fn mutual_top_k(
    sentences: &[Sentence],
    embeddings: &Embeddings,
    pool: &[usize],
    config: &AlignConfig,
    threshold: f32,
) -> BTreeSet<(usize, usize)> {
    let articles: BTreeSet<usize> = pool.iter().map(|&i| sentences[i].article).collect();
    // (i, j): j is among the top-k sentences of its article for sentence i.
    let mut chosen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &i in pool {
        for &article in articles.iter().filter(|&&a| a != sentences[i].article) {
            let mut scored: Vec<(f32, usize)> = pool
                .iter()
                .filter(|&&j| sentences[j].article == article)
                .map(|&j| (embeddings.cosine(i, j), j))
                .collect();
            scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            chosen.extend(scored.into_iter().take(config.top_k).map(|(_, j)| (i, j)));
        }
    }
    chosen
        .iter()
        .filter(|&&(i, j)| !config.mutual || chosen.contains(&(j, i)))
        .filter(|&&(i, j)| embeddings.cosine(i, j) >= threshold)
        .map(|&(i, j)| (i.min(j), i.max(j)))
        .collect()
}
