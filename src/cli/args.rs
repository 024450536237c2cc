//! The pipeline settings that `run` and `worker` share, and the value parsers that check
//! every option before any work starts (a value out of range is a usage error).

use crosscheck::judging::verdict::VerdictConfig;
use crosscheck::matching::align::AlignConfig;
use crosscheck::matching::earlier::EarlierConfig;
use crosscheck::read::ingest::IngestConfig;

/// The pipeline's settings, shared by `run` and `worker`.
#[derive(clap::Args, Clone)]
pub struct RunSettings {
    /// Candidate pairs per claim over the whole drop (mutual top-k); at least 1.
    #[arg(long, default_value_t = AlignConfig::default().top_k, value_parser = at_least_one)]
    pub top_k: usize,
    /// Minimum cosine similarity of a candidate pair, -1 to 1.
    #[arg(long, default_value_t = AlignConfig::default().min_similarity, value_parser = cosine, allow_negative_numbers = true)]
    pub min_similarity: f32,
    /// Entailment probability at which a direction counts as entailed, 0 to 1.
    #[arg(long, default_value_t = VerdictConfig::default().entailment, value_parser = probability, allow_negative_numbers = true)]
    pub entailment_threshold: f32,
    /// Contradiction probability at which a pair is a contradiction, 0 to 1.
    #[arg(long, default_value_t = VerdictConfig::default().contradiction, value_parser = probability, allow_negative_numbers = true)]
    pub contradiction_threshold: f32,
    /// At most this many candidate pairs are judged (the most similar); the rest are cut with
    /// a warning.
    #[arg(long, default_value_t = AlignConfig::default().max_pairs, value_parser = at_least_one)]
    pub max_pairs: usize,
    /// Files larger than this many megabytes are skipped with a warning.
    #[arg(long, default_value_t = IngestConfig::default().max_file_bytes as f64 / 1e6, value_parser = positive_megabytes)]
    pub max_file_mb: f64,
    /// At most this many sentences of one article are read; the rest is not checked, with a
    /// warning. Bounds the time and memory one article takes.
    #[arg(long, default_value_t = crosscheck::read::segment::DEFAULT_MAX_SENTENCES, value_parser = at_least_one)]
    pub max_sentences: usize,
    /// Print the time and throughput of every stage (what `make bench` shows).
    #[arg(long)]
    pub timings: bool,
    /// Do not write index.html, the report page for a browser.
    #[arg(long)]
    pub no_html: bool,
    /// Do not compare the drop with articles of earlier drops in the archive.
    #[arg(long)]
    pub no_earlier: bool,
    /// Days before the drop's earliest date that an earlier drop's article may be dated and
    /// still count as the same story.
    #[arg(long, default_value_t = EarlierConfig::default().window_days, value_parser = days)]
    pub earlier_days: i64,
    /// Cosine similarity an archived claim needs to match one of the drop's, -1 to 1.
    #[arg(long, default_value_t = EarlierConfig::default().min_similarity, value_parser = cosine, allow_negative_numbers = true)]
    pub earlier_min_similarity: f32,
    /// Claims of the drop that must match an archived article for it to join the run.
    #[arg(long, default_value_t = EarlierConfig::default().min_matches, value_parser = at_least_one)]
    pub earlier_min_matches: usize,
    /// At most this many articles of earlier drops join a run (those with the most matches).
    #[arg(long, default_value_t = EarlierConfig::default().max_articles)]
    pub earlier_max: usize,
    /// Pairs with claims of earlier drops kept per claim of the drop (the most similar).
    #[arg(long, default_value_t = EarlierConfig::default().per_claim, value_parser = at_least_one)]
    pub earlier_per_claim: usize,
    /// Archived claims in the story's window from which a PostgreSQL archive narrows the
    /// look-up of earlier drops through its HNSW index (approximate) instead of reading them
    /// all (exact).
    #[arg(long, default_value_t = EarlierConfig::default().index_from)]
    pub earlier_index_from: usize,
}

pub fn days(s: &str) -> Result<i64, String> {
    match s.parse::<i64>() {
        Ok(n) if (0..=36_500).contains(&n) => Ok(n),
        _ => Err(format!(
            "{s:?} is not a whole number of days from 0 to 36500"
        )),
    }
}

pub fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?} is not a whole number of at least 1")),
    }
}

pub fn in_range(s: &str, low: f32, high: f32) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if (low..=high).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not a number from {low} to {high}")),
    }
}

pub fn probability(s: &str) -> Result<f32, String> {
    in_range(s, 0.0, 1.0)
}

pub fn cosine(s: &str) -> Result<f32, String> {
    in_range(s, -1.0, 1.0)
}

pub fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x < 1e9 => Ok(x),
        _ => Err(format!("{s:?} is not a positive number of seconds")),
    }
}

pub fn lease_seconds(s: &str) -> Result<f64, String> {
    match positive_seconds(s) {
        Ok(x) if x >= 1.0 => Ok(x),
        _ => Err(format!("{s:?} is not a lease of at least 1 second")),
    }
}

pub fn positive_megabytes(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("{s:?} is not a positive number of megabytes")),
    }
}
