//! Matching: every claim becomes one multilingual-e5-small vector ([`embed`]), nearest
//! neighbours across articles ([`neighbours`]) give the candidate pairs of claims that may
//! state the same fact ([`align`]), and claims of earlier drops of the same story are
//! brought in from the archive ([`earlier`]). In: claims. Out: embeddings and candidate pairs.

pub mod align;
pub mod earlier;
pub mod embed;
pub mod neighbours;
