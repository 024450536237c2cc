//! The SQLite backend's [`Lookups`]: stored embeddings (little-endian f32 blobs) and NLI
//! probabilities by their keys.

use rusqlite::OptionalExtension;

use super::{ArchiveError, Lookups, SqliteArchive};
use crate::domain::Probabilities;

/// Little-endian bytes of a vector.
pub(super) fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The vector of little-endian bytes (a trailing partial value is ignored).
pub(super) fn from_blob(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

impl Lookups for SqliteArchive {
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, ArchiveError> {
        let e = |e| super::sqlite_error(self.path(), e);
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT vector FROM embeddings WHERE model = ?1 AND text_sha256 = ?2")
            .map_err(e)?;
        let blob: Option<Vec<u8>> = stmt
            .query_row([model, text], |r| r.get(0))
            .optional()
            .map_err(e)?;
        Ok(blob.map(|b| from_blob(&b)))
    }

    fn nli(
        &self,
        model: &str,
        premise: &str,
        hypothesis: &str,
    ) -> Result<Option<Probabilities>, ArchiveError> {
        let e = |e| super::sqlite_error(self.path(), e);
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT entailment, neutral, contradiction FROM nli
                 WHERE model = ?1 AND premise_sha256 = ?2 AND hypothesis_sha256 = ?3",
            )
            .map_err(e)?;
        stmt.query_row([model, premise, hypothesis], |r| {
            Ok(Probabilities {
                entailment: r.get::<_, f64>(0)? as f32,
                neutral: r.get::<_, f64>(1)? as f32,
                contradiction: r.get::<_, f64>(2)? as f32,
            })
        })
        .optional()
        .map_err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_the_blob() {
        let v = vec![0.1f32, -3.5e-8, f32::MAX, 0.0];
        assert_eq!(from_blob(&to_blob(&v)), v);
    }
}
