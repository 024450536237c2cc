//! The `align` stage: proposes candidate pairs of sentences from *different* articles that may
//! state the same fact, by cosine similarity of their e5 embeddings.
//!
//! For every claim and every other article, the `top_k` most similar claims of that article are
//! candidates; a pair is kept when the choice is mutual (each is among the other's top-k) and
//! its similarity reaches `min_similarity`. The number of pairs (and of NLI calls) therefore
//! grows linearly with the number of sentences, never with their square.

use crate::embed::Embeddings;
use crate::segment::Sentence;

/// Pairing knobs; the defaults were chosen on the Text+Berg de-fr gold alignments
/// (`crosscheck eval-align`, see the README).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AlignConfig {
    /// Candidates per sentence and other article.
    pub top_k: usize,
    /// Cosine similarity below which no pair is proposed.
    pub min_similarity: f32,
    /// Keep only pairs each side picked (mutual top-k).
    pub mutual: bool,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            top_k: 2,
            min_similarity: 0.84,
            mutual: true,
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

/// Candidate pairs among the claims (sentences not dropped), sorted by (a, b).
pub fn candidate_pairs(sentences: &[Sentence], embeddings: &Embeddings, config: &AlignConfig) -> Vec<Pair> {
    let claims: Vec<usize> = (0..sentences.len()).filter(|&i| sentences[i].dropped.is_none()).collect();
    let articles: std::collections::BTreeSet<usize> = claims.iter().map(|&i| sentences[i].article).collect();
    // (i, j): j is among the top-k claims of its article for sentence i.
    let mut chosen: std::collections::BTreeSet<(usize, usize)> = Default::default();
    let top = |i: usize, article: usize| -> Vec<usize> {
        let mut scored: Vec<(f32, usize)> = claims
            .iter()
            .filter(|&&j| sentences[j].article == article)
            .map(|&j| (embeddings.cosine(i, j), j))
            .collect();
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        scored.into_iter().take(config.top_k).map(|(_, j)| j).collect()
    };
    for &i in &claims {
        for &article in articles.iter().filter(|&&a| a != sentences[i].article) {
            for j in top(i, article) {
                chosen.insert((i, j));
            }
        }
    }
    let unordered: std::collections::BTreeSet<(usize, usize)> = chosen
        .iter()
        .filter(|&&(i, j)| !config.mutual || chosen.contains(&(j, i)))
        .map(|&(i, j)| (i.min(j), i.max(j)))
        .collect();
    unordered
        .into_iter()
        .map(|(a, b)| Pair {
            a,
            b,
            similarity: embeddings.cosine(a, b),
        })
        .filter(|p| p.similarity >= config.min_similarity)
        .collect()
}
