//! Claim search in the PostgreSQL archive: the archived claims nearest to a vector by cosine
//! distance, through the HNSW index over the 384-wide embeddings (an exact scan for other
//! widths). What a new drop's claims are compared with when the archive grows past memory.

use pgvector::Vector;

use super::PgArchive;
use crate::store::archive::ArchiveError;

/// The width the HNSW index covers (multilingual-e5-small's).
pub const INDEXED_DIM: usize = 384;

/// The nearest embeddings by the index (`$1` model, `$2` vector, `$3` how many), with the
/// claims whose text they embed.
pub const SIMILAR_CLAIMS: &str = r#"
WITH near AS (
    SELECT text_sha256, vector::vector(384) <=> $2::vector(384) AS distance
    FROM embeddings
    WHERE dim = 384 AND model = $1
    ORDER BY vector::vector(384) <=> $2::vector(384)
    LIMIT $3)
SELECT c.article, c.start, c."end", c.text, near.distance
FROM near JOIN claims c ON c.text_sha256 = near.text_sha256
ORDER BY near.distance, c.article, c.start"#;

/// The same by an exact scan, for vectors of another width (`$4`).
const SIMILAR_CLAIMS_EXACT: &str = r#"
WITH near AS (
    SELECT text_sha256, vector <=> $2 AS distance
    FROM embeddings
    WHERE dim = $4 AND model = $1
    ORDER BY vector <=> $2
    LIMIT $3)
SELECT c.article, c.start, c."end", c.text, near.distance
FROM near JOIN claims c ON c.text_sha256 = near.text_sha256
ORDER BY near.distance, c.article, c.start"#;

/// An archived claim found by [`PgArchive::similar_claims`].
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarClaim {
    /// sha256 of its article.
    pub article: String,
    /// Byte offsets in the article's file.
    pub start: i64,
    /// End offset.
    pub end: i64,
    /// The claim's text.
    pub text: String,
    /// Cosine distance to the query (0: same direction).
    pub distance: f64,
}

impl PgArchive {
    /// The claims whose embeddings under `model` are the `k` nearest to `vector` (a text that
    /// several claims share gives them all).
    pub fn similar_claims(
        &self,
        model: &str,
        vector: &[f32],
        k: i64,
    ) -> Result<Vec<SimilarClaim>, ArchiveError> {
        let query = Vector::from(vector.to_vec());
        let mut client = self.client.borrow_mut();
        let rows = if vector.len() == INDEXED_DIM {
            client.query(SIMILAR_CLAIMS, &[&model, &query, &k])
        } else {
            let dim = vector.len() as i64;
            client.query(SIMILAR_CLAIMS_EXACT, &[&model, &query, &k, &dim])
        }
        .map_err(|e| self.error(e))?;
        Ok(rows
            .into_iter()
            .map(|r| SimilarClaim {
                article: r.get(0),
                start: r.get(1),
                end: r.get(2),
                text: r.get(3),
                distance: r.get(4),
            })
            .collect())
    }
}
