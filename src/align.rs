//! The `align` stage: finds, for every sentence, its most similar sentences in *other* articles
//! by cosine similarity of the e5 embeddings. Only top-k per sentence is kept, so the number of
//! candidate pairs grows linearly with the number of sentences.

use crate::embed::Embeddings;
use crate::segment::Sentence;

/// A sentence of another article and how similar it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// Index into the drop's sentence list.
    pub sentence: usize,
    /// Cosine similarity of the two embeddings.
    pub similarity: f32,
}

/// For each sentence, its `k` nearest sentences from other articles, most similar first
/// (ties broken by sentence order, so results are deterministic).
pub fn cross_article_neighbours(
    sentences: &[Sentence],
    embeddings: &Embeddings,
    k: usize,
) -> Vec<Vec<Neighbour>> {
    (0..sentences.len())
        .map(|i| {
            let mut candidates: Vec<Neighbour> = (0..sentences.len())
                .filter(|&j| sentences[j].article != sentences[i].article)
                .map(|j| Neighbour {
                    sentence: j,
                    similarity: embeddings.cosine(i, j),
                })
                .collect();
            candidates.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(a.sentence.cmp(&b.sentence))
            });
            candidates.truncate(k);
            candidates
        })
        .collect()
}
