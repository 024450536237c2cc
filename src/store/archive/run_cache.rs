//! The archive as the model cache of one run, whichever backend holds it: look-ups read what
//! earlier runs stored (through the backend's [`Lookups`]); what the run computes, and which
//! stored results it used, are kept in memory and written with the run's record, in its
//! transaction. It is also where a run finds the articles of earlier drops
//! ([`ArchivedArticles`]).

use std::cell::RefCell;
use std::path::Path;

use super::rows::ArticleRow;
use super::ArchiveError;
use crate::domain::{
    Article, DateSource, EarlierDrop, Probabilities, PublicationDate, UNKNOWN_LANGUAGE,
};
use crate::matching::earlier::{ArchivedArticles, Query};
use crate::matching::embed::Embeddings;
use crate::store::cache::{CacheError, EmbeddingCache, NliCache};

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
    /// Every archived claim in `scope`: (article sha256, article date, vector), by article and
    /// offsets.
    fn claim_vectors(&self, scope: &VectorScope) -> Result<Vec<ClaimVector>, ArchiveError>;
    /// Through a vector index, when the archive has one and `scope` holds at least
    /// `index_from` claims: the claims in `scope` among the `near` nearest embeddings of one
    /// of `vectors`, in the order of [`Lookups::claim_vectors`]; `None` otherwise (the caller
    /// then reads the whole scope).
    fn indexed_claim_vectors(
        &self,
        _scope: &VectorScope,
        _vectors: &Embeddings,
        _near: usize,
        _index_from: usize,
    ) -> Result<Option<Vec<ClaimVector>>, ArchiveError> {
        Ok(None)
    }
    /// The stored article with content hash `sha256`, if its text is stored.
    fn article(&self, sha256: &str) -> Result<Option<StoredArticle>, ArchiveError>;
}

/// Which archived claims a look-up of earlier drops reads: those of articles whose text is
/// stored and that a run finished by `as_of` read, embedded under `model`, and whose article
/// is undated, dated to the month only, or dated from `from` to `to` (`YYYY-MM-DD`, as text),
/// so that an archive of many stories is not read whole for one.
pub struct VectorScope<'a> {
    /// Hash of the embedding model.
    pub model: &'a str,
    /// RFC 3339 time in UTC.
    pub as_of: &'a str,
    /// Earliest day.
    pub from: &'a str,
    /// Latest day.
    pub to: &'a str,
}

/// An archived claim's article (sha256), that article's date and the claim's embedding.
pub type ClaimVector = (String, Option<String>, Vec<f32>);

/// An archived article as stored, with the first run that read it.
pub struct StoredArticle {
    /// The stored row, text included.
    pub row: ArticleRow,
    /// The first run that read it.
    pub first_read: EarlierDrop,
}

impl StoredArticle {
    /// The article as ingest read it (offsets now index the stored text; the date counts as a
    /// header's), marked as one of an earlier drop.
    fn into_article(self) -> Article {
        let row = self.row;
        let mut a = Article::new(row.id, Path::new(&row.path), row.text, row.sha256);
        let start = usize::try_from(row.body_start).unwrap_or(0);
        a.body_start = if a.text.is_char_boundary(start) {
            start
        } else {
            0
        };
        a.declared_language = Some(row.language).filter(|l| !l.is_empty() && l != UNKNOWN_LANGUAGE);
        a.date = row
            .date
            .as_deref()
            .and_then(PublicationDate::parse)
            .map(|d| (d, DateSource::Header));
        (a.outlet, a.url, a.title) = (row.outlet, row.url, row.title);
        a.earlier = Some(self.first_read);
        a
    }
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

impl ArchivedArticles for RunCache<'_> {
    fn claim_vectors(&self, query: &Query) -> Result<Vec<(String, Vec<f32>)>, CacheError> {
        // RFC 3339 times in UTC compare as text; "9" sorts after every year 0-8999.
        let as_of = query.as_of.unwrap_or("9");
        let (from, to) = match query.window {
            Some(w) => (w.from.to_string(), w.to.to_string()),
            None => (String::new(), "9".to_string()),
        };
        let scope = VectorScope {
            model: query.model,
            as_of,
            from: &from,
            to: &to,
        };
        let indexed = self
            .lookups
            .indexed_claim_vectors(&scope, query.drop_vectors, query.near, query.index_from)
            .map_err(store)?;
        let rows = match indexed {
            Some(rows) => rows,
            None => self.lookups.claim_vectors(&scope).map_err(store)?,
        };
        Ok(rows
            .into_iter()
            // The SQL compares dates as text to read less; the window's own rule decides.
            .filter(|(article, date, _)| {
                !query.exclude.contains(article)
                    && query.window.is_none_or(|w| w.admits(date.as_deref()))
            })
            .map(|(article, _, vector)| (article, vector))
            .collect())
    }

    fn article(&self, sha256: &str) -> Result<Option<Article>, CacheError> {
        let stored = self.lookups.article(sha256).map_err(store)?;
        Ok(stored.map(StoredArticle::into_article))
    }
}
