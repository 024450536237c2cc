//! The archive as the model cache of one run, whichever backend holds it: look-ups read what
//! earlier runs stored (through the backend's [`Lookups`]); what the run computes, and which
//! stored results it used, are kept in memory and written with the run's record, in its
//! transaction.

use std::cell::RefCell;

use super::ArchiveError;
use crate::cache::{CacheError, EmbeddingCache, NliCache};
use crate::domain::Probabilities;

/// How a backend reads stored model results (keys: model hash and sha256 of the inputs).
pub trait Lookups {
    /// The stored vector of the text whose sha256 is `text`, under `model`.
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, ArchiveError>;
    /// The stored probabilities of premise => hypothesis under `model`.
    fn nli(
        &self,
        model: &str,
        premise: &str,
        hypothesis: &str,
    ) -> Result<Option<Probabilities>, ArchiveError>;
}

/// Model results computed by a run, not yet written, and the keys of the stored results it
/// used (so that `archive prune` knows which results a remaining run still needs).
#[derive(Debug, Default)]
pub struct Pending {
    /// (model hash, text sha256, vector).
    pub embeddings: Vec<(String, String, Vec<f32>)>,
    /// (model hash, premise sha256, hypothesis sha256, probabilities).
    pub nli: Vec<(String, String, String, Probabilities)>,
    /// (model hash, text sha256) of the embeddings found in the archive.
    pub used_embeddings: Vec<(String, String)>,
    /// (model hash, premise sha256, hypothesis sha256) of the NLI results found.
    pub used_nli: Vec<(String, String, String)>,
}

/// The archive's embeddings and NLI results as [`EmbeddingCache`] and [`NliCache`].
pub struct RunCache<'a> {
    lookups: &'a dyn Lookups,
    pending: RefCell<Pending>,
}

impl<'a> RunCache<'a> {
    /// A cache reading through `lookups`.
    pub fn new(lookups: &'a dyn Lookups) -> Self {
        RunCache {
            lookups,
            pending: RefCell::new(Pending::default()),
        }
    }

    /// The results computed during the run, for [`super::ArchiveStore::record`].
    pub fn into_pending(self) -> Pending {
        self.pending.into_inner()
    }
}

/// A store error as the cache reports it.
fn store(e: ArchiveError) -> CacheError {
    CacheError::Store(Box::new(e))
}

impl EmbeddingCache for RunCache<'_> {
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, CacheError> {
        let found = self.lookups.embedding(model, text).map_err(store)?;
        if found.is_some() {
            self.pending
                .borrow_mut()
                .used_embeddings
                .push((model.into(), text.into()));
        }
        Ok(found)
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
        let found = self
            .lookups
            .nli(model, premise, hypothesis)
            .map_err(store)?;
        if found.is_some() {
            self.pending.borrow_mut().used_nli.push((
                model.into(),
                premise.into(),
                hypothesis.into(),
            ));
        }
        Ok(found)
    }

    fn keep_nli(&self, model: &str, premise: &str, hypothesis: &str, p: Probabilities) {
        self.pending
            .borrow_mut()
            .nli
            .push((model.into(), premise.into(), hypothesis.into(), p));
    }
}
