//! The archive as the model cache of one run: look-ups read what earlier runs stored; what
//! the run computes is kept in memory and written with the run's record, in its transaction.

use rusqlite::{Connection, OptionalExtension};
use std::cell::RefCell;
use std::path::Path;

use crate::cache::{CacheError, EmbeddingCache, NliCache};
use crate::domain::Probabilities;

/// Model results computed by a run, not yet written.
#[derive(Debug, Default)]
pub struct Pending {
    /// (model hash, text sha256, vector).
    pub embeddings: Vec<(String, String, Vec<f32>)>,
    /// (model hash, premise sha256, hypothesis sha256, probabilities).
    pub nli: Vec<(String, String, String, Probabilities)>,
}

/// The archive's embeddings and NLI results as [`EmbeddingCache`] and [`NliCache`].
pub struct RunCache<'a> {
    conn: &'a Connection,
    path: &'a Path,
    pending: RefCell<Pending>,
}

impl<'a> RunCache<'a> {
    /// A cache reading `conn`, the archive at `path`.
    pub(super) fn new(conn: &'a Connection, path: &'a Path) -> Self {
        RunCache {
            conn,
            path,
            pending: RefCell::new(Pending::default()),
        }
    }

    /// The results computed during the run, for [`super::Archive::record`].
    pub fn into_pending(self) -> Pending {
        self.pending.into_inner()
    }

    /// A store error of this archive.
    fn store(&self, e: rusqlite::Error) -> CacheError {
        CacheError::Store(Box::new(super::sqlite(self.path, e)))
    }
}

/// Little-endian bytes of a vector.
pub(super) fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The vector of little-endian bytes (a trailing partial value is ignored).
fn from_blob(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

impl EmbeddingCache for RunCache<'_> {
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT vector FROM embeddings WHERE model = ?1 AND text_sha256 = ?2")
            .map_err(|e| self.store(e))?;
        let blob: Option<Vec<u8>> = stmt
            .query_row([model, text], |r| r.get(0))
            .optional()
            .map_err(|e| self.store(e))?;
        Ok(blob.map(|b| from_blob(&b)))
    }

    fn keep_embedding(&self, model: &str, text: &str, vector: &[f32]) {
        self.pending
            .borrow_mut()
            .embeddings
            .push((model.into(), text.into(), vector.to_vec()));
    }
}

impl NliCache for RunCache<'_> {
    fn nli(
        &self,
        model: &str,
        premise: &str,
        hypothesis: &str,
    ) -> Result<Option<Probabilities>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT entailment, neutral, contradiction FROM nli
                 WHERE model = ?1 AND premise_sha256 = ?2 AND hypothesis_sha256 = ?3",
            )
            .map_err(|e| self.store(e))?;
        stmt.query_row([model, premise, hypothesis], |r| {
            Ok(Probabilities {
                entailment: r.get::<_, f64>(0)? as f32,
                neutral: r.get::<_, f64>(1)? as f32,
                contradiction: r.get::<_, f64>(2)? as f32,
            })
        })
        .optional()
        .map_err(|e| self.store(e))
    }

    fn keep_nli(&self, model: &str, premise: &str, hypothesis: &str, p: Probabilities) {
        self.pending
            .borrow_mut()
            .nli
            .push((model.into(), premise.into(), hypothesis.into(), p));
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
