//! Earlier drops of the same story: which archived articles a new drop is compared with.
//! A running story comes in drops (morning, noon, night); a run with an archive looks up the
//! archived claims nearest to each of the drop's claims, within a time window around the
//! drop's dates, and takes the articles those claims belong to into the run, marked with the
//! run that first read them ([`crate::domain::EarlierDrop`]). The pipeline then pairs and
//! judges the drop against them (never two earlier articles against each other: their own
//! runs did that), and the fact table of the story grows drop after drop. The archive behind
//! the lookup is a trait, [`ArchivedArticles`], so this stage knows nothing of databases.
//!
//! ```
//! use crosscheck::matching::earlier::{articles_by_matches, EarlierConfig};
//! use crosscheck::matching::embed::Embeddings;
//! // Two new claims; three archived claims, of articles "x", "x" and "y".
//! let new = Embeddings { dim: 2, values: vec![1.0, 0.0, 0.0, 1.0] };
//! let archived = Embeddings { dim: 2, values: vec![1.0, 0.0, 0.6, 0.8, 0.0, 1.0] };
//! let owners = ["x".to_string(), "x".to_string(), "y".to_string()];
//! let config = EarlierConfig { min_similarity: 0.9, min_matches: 1, ..EarlierConfig::default() };
//! assert_eq!(articles_by_matches(&new, &archived, &owners, &config), ["x", "y"]);
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::{Article, Pair, PublicationDate};
use crate::matching::embed::Embeddings;
use crate::store::cache::CacheError;

/// How a run finds earlier articles of its story. The defaults were set on the development
/// drops split into a morning and a later drop (README, "Drop after drop").
#[derive(Debug, Clone, Serialize)]
pub struct EarlierConfig {
    /// Compare the drop with earlier drops at all (`--no-earlier` turns it off).
    pub enabled: bool,
    /// Days before the drop's earliest date that still count as the same story; an article
    /// dated later than the drop's latest date is not "earlier" and is left out. Undated
    /// articles (on either side) are judged by their claims alone.
    pub window_days: i64,
    /// Archived claims looked at per claim of the drop, the most similar first.
    pub top_k: usize,
    /// Cosine similarity an archived claim needs to count as a match.
    pub min_similarity: f32,
    /// Claims of the drop that must match an archived article for it to join: one shared
    /// stock sentence does not make two articles the same story.
    pub min_matches: usize,
    /// At most this many earlier articles join a run: those with the most matches (ties by
    /// content hash). Bounds the work a large archive can add to a small drop.
    pub max_articles: usize,
    /// Pairs with earlier claims kept per claim of the drop, the most similar first: the
    /// earlier claims were judged against each other when their drop ran, so a new claim
    /// needs the nearest of them, not all (bounds the NLI work an earlier drop adds).
    pub per_claim: usize,
    /// Archived claims in the window from which a backend with a vector index (PostgreSQL's
    /// HNSW) narrows the look-up through it, to the claims near some claim of the drop; below,
    /// every claim in the window is read and searched exactly, so that every backend gives the
    /// same reports.
    pub index_from: usize,
    /// The archive as it was at this time (RFC 3339 in UTC): only articles of runs finished by
    /// then count, so that a drop's reports do not depend on which other drops happened to
    /// finish first (a run's start; a worker's job: when it was queued). Not a setting.
    #[serde(skip)]
    pub as_of: Option<String>,
}

impl Default for EarlierConfig {
    fn default() -> Self {
        EarlierConfig {
            enabled: true,
            window_days: 14,
            top_k: 8,
            min_similarity: 0.88,
            min_matches: 2,
            max_articles: 40,
            per_claim: PER_CLAIM,
            index_from: INDEX_FROM,
            as_of: None,
        }
    }
}

/// Default of [`EarlierConfig::per_claim`] (README, "Drop after drop").
const PER_CLAIM: usize = 2;

/// Through an index, each drop claim fetches this many times `top_k` nearest archived
/// embeddings, so that those outside the window or of other runs still leave `top_k`.
const NEAR_FACTOR: usize = 4;

/// Default of [`EarlierConfig::index_from`]: 100,000 claims are 150 MB of vectors to read
/// (README, "Archive on PostgreSQL").
const INDEX_FROM: usize = 100_000;

/// The dates an archived article may carry to count as the same story: from `from` to `to`,
/// both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Earliest day.
    pub from: NaiveDate,
    /// Latest day.
    pub to: NaiveDate,
}

impl Window {
    /// The window of a drop: `window_days` before its earliest known day to its latest; `None`
    /// when no article of the drop is dated to the day (then no date limit applies).
    pub fn of(articles: &[Article], window_days: i64) -> Option<Window> {
        let days: Vec<NaiveDate> = articles
            .iter()
            .filter_map(Article::publication_day)
            .collect();
        let from = *days.iter().min()?;
        let to = *days.iter().max()?;
        Some(Window {
            from: from - Duration::days(window_days.max(0)),
            to,
        })
    }

    /// Whether an article dated `date` (as the archive stores it) may belong to the story:
    /// undated or month-only dates pass.
    pub fn admits(&self, date: Option<&str>) -> bool {
        match date
            .and_then(PublicationDate::parse)
            .and_then(|d| d.naive_date())
        {
            Some(day) => self.from <= day && day <= self.to,
            None => true,
        }
    }
}

/// What a run asks the archive for.
pub struct Query<'a> {
    /// Hash of the embedding model: only vectors of the same model compare.
    pub model: &'a str,
    /// Content hashes of the drop's own articles, never returned as earlier ones.
    pub exclude: &'a BTreeSet<String>,
    /// The story's dates, when the drop has any.
    pub window: Option<Window>,
    /// Only articles of runs finished by this time (RFC 3339 in UTC), when given.
    pub as_of: Option<&'a str>,
    /// The drop's claim vectors: with at least `index_from` claims in the window, an archive
    /// with a vector index may return only the claims among the `near` nearest of one of them.
    pub drop_vectors: &'a Embeddings,
    /// See `drop_vectors`.
    pub near: usize,
    /// See `drop_vectors`.
    pub index_from: usize,
}

/// Archived claim vectors and their articles, wherever the archive keeps them.
pub trait ArchivedArticles {
    /// Every archived claim embedded under `query.model` whose article is not excluded, passes
    /// the window and was read by a run finished by `query.as_of`: (article content hash, unit
    /// vector), in a stable order.
    fn claim_vectors(&self, query: &Query) -> Result<Vec<(String, Vec<f32>)>, CacheError>;
    /// The archived article with content hash `sha256`, rebuilt as ingest read it, with
    /// [`Article::earlier`] set; `None` when the archive does not hold its text.
    fn article(&self, sha256: &str) -> Result<Option<Article>, CacheError>;
}

/// The content hashes of the archived articles that at least `config.min_matches` of the
/// drop's claims match, most matches first (ties by hash), at most `config.max_articles`. `new` are the drop's claim vectors,
/// `archived` the archive's, `owners[i]` the article of archived vector `i`.
pub fn articles_by_matches(
    new: &Embeddings,
    archived: &Embeddings,
    owners: &[String],
    config: &EarlierConfig,
) -> Vec<String> {
    let mut matches: BTreeMap<&str, usize> = BTreeMap::new();
    for list in crate::matching::neighbours::nearest_across(new, archived, config.top_k) {
        let articles: BTreeSet<&str> = list
            .iter()
            .filter(|n| n.similarity >= config.min_similarity)
            .map(|n| owners[n.row].as_str())
            .collect();
        for a in articles {
            *matches.entry(a).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = matches
        .into_iter()
        .filter(|&(_, n)| n >= config.min_matches.max(1))
        .collect();
    ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    ranked
        .into_iter()
        .take(config.max_articles)
        .map(|(a, _)| a.to_string())
        .collect()
}

/// The earlier articles of the story for a drop whose articles are `articles` and whose claim
/// vectors are `new`, in the order of [`articles_by_matches`]; empty when turned off.
pub fn find(
    source: &dyn ArchivedArticles,
    config: &EarlierConfig,
    model: &str,
    articles: &[Article],
    new: &Embeddings,
) -> Result<Vec<Article>, CacheError> {
    if !config.enabled || new.is_empty() {
        return Ok(Vec::new());
    }
    let exclude: BTreeSet<String> = articles.iter().map(|a| a.sha256.clone()).collect();
    let query = Query {
        model,
        exclude: &exclude,
        window: Window::of(articles, config.window_days),
        as_of: config.as_of.as_deref(),
        drop_vectors: new,
        near: NEAR_FACTOR * config.top_k,
        index_from: config.index_from,
    };
    let stored = source.claim_vectors(&query)?;
    let Some(dim) = stored.first().map(|(_, v)| v.len()) else {
        return Ok(Vec::new());
    };
    if dim != new.dim {
        return Err(CacheError::Width {
            expected: new.dim,
            found: dim,
        });
    }
    let mut values = Vec::with_capacity(stored.len() * dim);
    let mut owners = Vec::with_capacity(stored.len());
    for (article, vector) in stored {
        if vector.len() != dim {
            return Err(CacheError::Width {
                expected: dim,
                found: vector.len(),
            });
        }
        values.extend(vector);
        owners.push(article);
    }
    let archived = Embeddings { dim, values };
    let mut found = Vec::new();
    for sha in articles_by_matches(new, &archived, &owners, config) {
        if let Some(article) = source.article(&sha)? {
            found.push(article);
        }
    }
    Ok(found)
}

/// Keeps, of the pairs that join a claim of the drop to a claim of an earlier article
/// (`earlier(claim)` says which side is which), the `per_claim` most similar of each drop
/// claim (ties: the first pair); pairs inside the drop are kept, and the order is kept.
pub fn keep_nearest_earlier(
    pairs: &mut Vec<Pair>,
    earlier: impl Fn(usize) -> bool,
    per_claim: usize,
) {
    let mut across: Vec<usize> = (0..pairs.len())
        .filter(|&i| earlier(pairs[i].a) != earlier(pairs[i].b))
        .collect();
    across.sort_by(|&x, &y| {
        pairs[y]
            .similarity
            .total_cmp(&pairs[x].similarity)
            .then(x.cmp(&y))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut dropped = vec![false; pairs.len()];
    for i in across {
        let own = if earlier(pairs[i].a) {
            pairs[i].b
        } else {
            pairs[i].a
        };
        let n = taken.entry(own).or_default();
        *n += 1;
        dropped[i] = *n > per_claim;
    }
    let mut next = 0;
    pairs.retain(|_| {
        next += 1;
        !dropped[next - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn dated(day: &str) -> Article {
        let mut a = Article::new("a".into(), Path::new("a.txt"), "x".into(), "h".into());
        a.date = PublicationDate::parse(day).map(|d| (d, crate::domain::DateSource::Header));
        a
    }

    #[test]
    fn the_window_reaches_back_from_the_earliest_day_and_stops_at_the_latest() {
        let w = Window::of(&[dated("2026-10-13"), dated("2026-10-15")], 2).unwrap();
        assert!(w.admits(Some("2026-10-11")) && w.admits(Some("2026-10-15")));
        assert!(!w.admits(Some("2026-10-10")) && !w.admits(Some("2026-10-16")));
        assert!(
            w.admits(None) && w.admits(Some("2026-10")),
            "undated passes"
        );
        assert_eq!(
            Window::of(&[dated("")], 2),
            None,
            "an undated drop has no window"
        );
    }

    #[test]
    fn articles_rank_by_matching_claims_and_stop_at_the_cap() {
        let new = Embeddings {
            dim: 2,
            values: vec![1.0, 0.0, 0.0, 1.0],
        };
        let archived = Embeddings {
            dim: 2,
            values: vec![1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.6, 0.8],
        };
        let owners: Vec<String> = ["y", "x", "x", "z"].map(String::from).into();
        let config = EarlierConfig {
            min_similarity: 0.95,
            min_matches: 1,
            ..EarlierConfig::default()
        };
        // y matches claim 1; x matches claim 2 (twice, counted once); z matches nothing.
        assert_eq!(
            articles_by_matches(&new, &archived, &owners, &config),
            ["x", "y"]
        );
        let one = EarlierConfig {
            max_articles: 1,
            ..config.clone()
        };
        assert_eq!(articles_by_matches(&new, &archived, &owners, &one), ["x"]);
        let two = EarlierConfig {
            min_matches: 2,
            ..config
        };
        assert!(articles_by_matches(&new, &archived, &owners, &two).is_empty());
    }

    #[test]
    fn each_new_claim_keeps_its_nearest_earlier_pairs() {
        // Claims 0 and 1 are the drop's, 2-5 earlier ones.
        let pair = |a, b, similarity| Pair { a, b, similarity };
        let mut pairs = vec![
            pair(0, 1, 0.90),
            pair(0, 2, 0.91),
            pair(0, 3, 0.95),
            pair(4, 0, 0.93),
            pair(1, 5, 0.89),
            pair(2, 3, 0.99),
        ];
        keep_nearest_earlier(&mut pairs, |c| c >= 2, 2);
        let kept: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(kept, [(0, 1), (0, 3), (4, 0), (1, 5), (2, 3)]);
    }
}
