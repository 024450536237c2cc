//! Model result caches: the pipeline looks embeddings and NLI probabilities up by the sha256 of
//! the exact model input and the model's hash before it runs a model, computes only the misses
//! and hands them back to the cache. The caches are traits, so the pipeline knows nothing of
//! where results are kept (the SQLite archive of [`crate`]'s `archive` module is one).
//!
//! ```
//! use crosscheck::store::cache::{embed_through, ModelWork};
//! use crosscheck::matching::embed::Embeddings;
//! let mut work = ModelWork::default();
//! let out = embed_through(None, "model", &["a", "b"], &mut work, |t| {
//!     Ok::<_, crosscheck::store::cache::CacheError>(Embeddings { dim: 1, values: vec![1.0; t.len()] })
//! })?;
//! assert_eq!((out.len(), work.embeddings_computed), (2, 2));
//! # Ok::<(), crosscheck::store::cache::CacheError>(())
//! ```

use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::domain::Probabilities;
use crate::io::{file_sha256, sha256_hex};
use crate::judging::nli::NliConfig;
use crate::matching::embed::{EmbedConfig, Embeddings, E5_PREFIX};
use crate::models::{ModelDir, E5_FILE, TOKENIZER_FILE};

/// A cache lookup failed, or what it returned cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The store behind the cache failed.
    #[error("model cache: {0}")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored vector does not have the width of the others.
    #[error("model cache: a stored embedding has {found} values where {expected} were expected; the archive is damaged (run `crosscheck archive verify`)")]
    Width {
        /// Width of the other vectors.
        expected: usize,
        /// Width of the stored one.
        found: usize,
    },
    /// A model file could not be hashed.
    #[error("model file {path} is missing or unreadable; run `make models` to fetch it")]
    ModelFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Embeddings stored by (model hash, sha256 of the embedded text).
pub trait EmbeddingCache {
    /// The stored vector of the text whose sha256 is `text`, under `model`.
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, CacheError>;
    /// Keeps a vector just computed (the store decides when it is written).
    fn keep_embedding(&self, model: &str, text: &str, vector: &[f32]);
}

/// NLI probabilities stored by (model hash, premise sha256, hypothesis sha256).
pub trait NliCache {
    /// The stored probabilities of premise => hypothesis under `model`.
    fn nli(
        &self,
        model: &str,
        premise: &str,
        hypothesis: &str,
    ) -> Result<Option<Probabilities>, CacheError>;
    /// Keeps probabilities just computed (the store decides when they are written).
    fn keep_nli(&self, model: &str, premise: &str, hypothesis: &str, p: Probabilities);
}

/// The caches a run looks model results up in; none: every result is computed.
#[derive(Clone, Copy, Default)]
pub struct Caches<'a> {
    /// Where embeddings are looked up.
    pub embeddings: Option<&'a dyn EmbeddingCache>,
    /// Where NLI probabilities are looked up.
    pub nli: Option<&'a dyn NliCache>,
}

/// How much model work a run did and how much it found in the caches. Each model input is
/// counted once under `computed` or `cached` (distinct inputs), and every further time the
/// run meets it under `repeated`: `computed + cached + repeated` is every input asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModelWork {
    /// Distinct texts the embedder ran on.
    pub embeddings_computed: usize,
    /// Distinct texts whose embedding came from the cache (stored by an earlier run).
    pub embeddings_cached: usize,
    /// Texts met again in the run (a duplicated article, a repeated frame): the vector of
    /// their first occurrence is used.
    pub embeddings_repeated: usize,
    /// Distinct ordered pairs (premise => hypothesis) the NLI model ran on.
    pub nli_computed: usize,
    /// Distinct ordered pairs whose probabilities came from the cache (stored by an earlier
    /// run).
    pub nli_cached: usize,
    /// Ordered pairs met again in the run: the probabilities of their first occurrence are
    /// used.
    pub nli_repeated: usize,
    /// Models loaded (0 when every result was cached).
    pub models_loaded: usize,
    /// Hash of the embedder (files and settings), when a cache was used.
    pub embedding_model: Option<String>,
    /// Hash of the NLI model (files and settings), when a cache was used.
    pub nli_model: Option<String>,
}

/// sha256 over the hashes of `files` and `settings`: what a cached result depends on.
fn model_hash(files: &[PathBuf], settings: &str) -> Result<String, CacheError> {
    let mut all = String::new();
    for path in files {
        let hash = file_sha256(path).map_err(|source| CacheError::ModelFile {
            path: path.clone(),
            source,
        })?;
        all.push_str(&hash);
        all.push('\n');
    }
    all.push_str(settings);
    Ok(sha256_hex(all.as_bytes()))
}

/// The hash of multilingual-e5-small as the embedder runs it (weights, tokenizer, prefix,
/// token limit, precision).
pub fn embedding_model_hash(models: &ModelDir, config: &EmbedConfig) -> Result<String, CacheError> {
    let files = [models.file(E5_FILE), models.file(TOKENIZER_FILE)];
    let settings = format!(
        "e5 prefix={E5_PREFIX:?} max_tokens={} precision={:?}",
        config.max_tokens, config.precision
    );
    model_hash(&files, &settings)
}

/// The hash of the NLI model in use (crosscheck's own or an imported `checkpoint`), with its
/// tokenizer, token limit and precision.
pub fn nli_model_hash(
    models: &ModelDir,
    checkpoint: Option<&std::path::Path>,
    config: &NliConfig,
) -> Result<String, CacheError> {
    let e5 = models.file(E5_FILE);
    let files: Vec<PathBuf> = models
        .files_in_use(checkpoint)
        .into_iter()
        .filter(|f| *f != e5)
        .collect();
    let settings = format!(
        "nli max_tokens={} precision={:?}",
        config.max_tokens, config.precision
    );
    model_hash(&files, &settings)
}

/// Embeds `texts` through `cache`: stored vectors are reused, `compute` runs once on the
/// distinct texts that miss, and their vectors are kept. Without a cache, `compute` runs on
/// `texts` as they are (the embedder computes each distinct text once, and `work` counts it
/// so).
pub fn embed_through<E: From<CacheError>>(
    cache: Option<&dyn EmbeddingCache>,
    model: &str,
    texts: &[&str],
    work: &mut ModelWork,
    compute: impl FnOnce(&[&str]) -> Result<Embeddings, E>,
) -> Result<Embeddings, E> {
    let Some(cache) = cache else {
        let distinct = distinct_count(texts);
        work.embeddings_computed += distinct;
        work.embeddings_repeated += texts.len() - distinct;
        return compute(texts);
    };
    let hashes: Vec<String> = texts.iter().map(|t| sha256_hex(t.as_bytes())).collect();
    let mut found: HashMap<&str, Vec<f32>> = HashMap::new();
    let mut misses: Vec<&str> = Vec::new();
    let mut miss_hashes: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (text, hash) in texts.iter().zip(&hashes) {
        if !seen.insert(hash.as_str()) {
            continue;
        }
        match cache.embedding(model, hash)? {
            Some(v) => {
                found.insert(hash, v);
            }
            None => {
                misses.push(text);
                miss_hashes.push(hash);
            }
        }
    }
    let distinct = found.len() + misses.len();
    work.embeddings_computed += misses.len();
    work.embeddings_cached += found.len();
    work.embeddings_repeated += texts.len() - distinct;
    if !misses.is_empty() {
        let computed = compute(&misses)?;
        for (i, hash) in miss_hashes.iter().enumerate() {
            let row = computed.row(i);
            cache.keep_embedding(model, hash, row);
            found.insert(hash, row.to_vec());
        }
    }
    let dim = found.values().next().map_or(0, Vec::len);
    let mut values = Vec::with_capacity(texts.len() * dim);
    for hash in &hashes {
        let v = found.get(hash.as_str()).map_or(&[][..], Vec::as_slice);
        if v.len() != dim {
            return Err(CacheError::Width {
                expected: dim,
                found: v.len(),
            }
            .into());
        }
        values.extend_from_slice(v);
    }
    Ok(Embeddings { dim, values })
}

/// For each pair (a, b), the probabilities of a => b and of b => a, through `cache`: stored
/// ones are reused, `predict` runs once on the distinct ordered pairs that miss, and their
/// probabilities are kept. Without a cache, `predict` runs on every pair forwards, then every
/// pair backwards (as [`crate::judging::nli::NliModel::predict_both_ways`] does; the model
/// computes each distinct ordered pair once, and `work` counts it so).
pub fn nli_through<E: From<CacheError>>(
    cache: Option<&dyn NliCache>,
    model: &str,
    pairs: &[(&str, &str)],
    work: &mut ModelWork,
    predict: impl FnOnce(&[(&str, &str)]) -> Result<Vec<Probabilities>, E>,
) -> Result<Vec<(Probabilities, Probabilities)>, E> {
    let mut ordered: Vec<(&str, &str)> = pairs.to_vec();
    ordered.extend(pairs.iter().map(|&(a, b)| (b, a)));
    let probs = match cache {
        None => {
            let distinct = distinct_count(&ordered);
            work.nli_computed += distinct;
            work.nli_repeated += ordered.len() - distinct;
            predict(&ordered)?
        }
        Some(cache) => cached_nli(cache, model, &ordered, work, predict)?,
    };
    let (forward, backward) = probs.split_at(pairs.len().min(probs.len()));
    Ok(forward
        .iter()
        .copied()
        .zip(backward.iter().copied())
        .collect())
}

/// The probabilities of every ordered pair, looked up first, the distinct misses computed.
fn cached_nli<E: From<CacheError>>(
    cache: &dyn NliCache,
    model: &str,
    ordered: &[(&str, &str)],
    work: &mut ModelWork,
    predict: impl FnOnce(&[(&str, &str)]) -> Result<Vec<Probabilities>, E>,
) -> Result<Vec<Probabilities>, E> {
    let mut hashes: HashMap<&str, String> = HashMap::new();
    for &(a, b) in ordered {
        for t in [a, b] {
            hashes.entry(t).or_insert_with(|| sha256_hex(t.as_bytes()));
        }
    }
    let key = |&(a, b): &(&str, &str)| (hashes[a].as_str(), hashes[b].as_str());
    let mut found: HashMap<(&str, &str), Probabilities> = HashMap::new();
    let mut misses: Vec<(&str, &str)> = Vec::new();
    let mut miss_keys: Vec<(&str, &str)> = Vec::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for pair in ordered {
        let k = key(pair);
        if !seen.insert(k) {
            continue;
        }
        match cache.nli(model, k.0, k.1)? {
            Some(p) => {
                found.insert(k, p);
            }
            None => {
                misses.push(*pair);
                miss_keys.push(k);
            }
        }
    }
    let distinct = found.len() + misses.len();
    work.nli_computed += misses.len();
    work.nli_cached += found.len();
    work.nli_repeated += ordered.len() - distinct;
    if !misses.is_empty() {
        let computed = predict(&misses)?;
        for (k, p) in miss_keys.iter().zip(computed) {
            cache.keep_nli(model, k.0, k.1, p);
            found.insert(*k, p);
        }
    }
    Ok(ordered
        .iter()
        .map(|pair| {
            found
                .get(&key(pair))
                .copied()
                .unwrap_or(Probabilities::from_row(&[0.0, 1.0, 0.0]))
        })
        .collect())
}

/// How many distinct values `items` holds.
pub fn distinct_count<T: Eq + std::hash::Hash>(items: &[T]) -> usize {
    items.iter().collect::<HashSet<&T>>().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// An in-memory cache for the look-up logic.
    #[derive(Default)]
    struct Memory {
        vectors: RefCell<HashMap<String, Vec<f32>>>,
        probs: RefCell<HashMap<(String, String), Probabilities>>,
    }

    impl EmbeddingCache for Memory {
        fn embedding(&self, _: &str, text: &str) -> Result<Option<Vec<f32>>, CacheError> {
            Ok(self.vectors.borrow().get(text).cloned())
        }
        fn keep_embedding(&self, _: &str, text: &str, vector: &[f32]) {
            self.vectors
                .borrow_mut()
                .insert(text.to_string(), vector.to_vec());
        }
    }

    impl NliCache for Memory {
        fn nli(&self, _: &str, a: &str, b: &str) -> Result<Option<Probabilities>, CacheError> {
            Ok(self.probs.borrow().get(&(a.into(), b.into())).copied())
        }
        fn keep_nli(&self, _: &str, a: &str, b: &str, p: Probabilities) {
            self.probs.borrow_mut().insert((a.into(), b.into()), p);
        }
    }

    fn length_vectors(texts: &[&str]) -> Result<Embeddings, CacheError> {
        Ok(Embeddings {
            dim: 2,
            values: texts.iter().flat_map(|t| [t.len() as f32, 1.0]).collect(),
        })
    }

    #[test]
    fn repeated_texts_are_computed_once_and_reruns_not_at_all() {
        let memory = Memory::default();
        let mut work = ModelWork::default();
        let texts = ["aa", "b", "aa"];
        let first = embed_through(Some(&memory), "m", &texts, &mut work, length_vectors).unwrap();
        assert_eq!(first.values, vec![2.0, 1.0, 1.0, 1.0, 2.0, 1.0]);
        // "aa" twice in one run is one computed and one repeated, not one cached.
        assert_eq!(
            (
                work.embeddings_computed,
                work.embeddings_cached,
                work.embeddings_repeated
            ),
            (2, 0, 1)
        );
        let mut again = ModelWork::default();
        let second = embed_through(Some(&memory), "m", &texts, &mut again, |_: &[&str]| {
            Err(CacheError::Width {
                expected: 0,
                found: 0,
            })
        })
        .unwrap();
        assert_eq!(second.values, first.values);
        assert_eq!(
            (
                again.embeddings_computed,
                again.embeddings_cached,
                again.embeddings_repeated
            ),
            (0, 2, 1)
        );
        let mut plain = ModelWork::default();
        embed_through(None, "m", &texts, &mut plain, length_vectors).unwrap();
        assert_eq!(
            (plain.embeddings_computed, plain.embeddings_repeated),
            (2, 1)
        );
    }

    #[test]
    fn nli_both_ways_is_looked_up_per_direction() {
        let memory = Memory::default();
        let mut work = ModelWork::default();
        let predict = |pairs: &[(&str, &str)]| -> Result<Vec<Probabilities>, CacheError> {
            Ok(pairs
                .iter()
                .map(|(a, b)| {
                    let e = a.len() as f32 / (a.len() + b.len()) as f32;
                    Probabilities::from_row(&[e, 1.0 - e, 0.0])
                })
                .collect())
        };
        let pairs = [("a", "bbb"), ("bbb", "a")];
        let first = nli_through(Some(&memory), "m", &pairs, &mut work, predict).unwrap();
        let plain = nli_through(None, "m", &pairs, &mut ModelWork::default(), predict).unwrap();
        assert_eq!(first, plain);
        // The pair and its reverse ask for the same two ordered pairs: two computed, two
        // repeated, none cached (the cache was empty).
        assert_eq!(
            (work.nli_computed, work.nli_cached, work.nli_repeated),
            (2, 0, 2)
        );
        let mut again = ModelWork::default();
        let second = nli_through(Some(&memory), "m", &pairs, &mut again, predict).unwrap();
        assert_eq!(second, first);
        assert_eq!(
            (again.nli_computed, again.nli_cached, again.nli_repeated),
            (0, 2, 2)
        );
    }
}
