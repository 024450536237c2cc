//! Runs the stages in order over one drop: ingest, segment, embed, align, report.
//! Data flows one way through plain structs; each stage lives in its own module.

use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

use crate::align::cross_article_neighbours;
use crate::embed::{EmbedConfig, Embedder};
use crate::ingest::{read_drop, Article};
use crate::models::ModelDir;
use crate::progress::Progress;
use crate::report::write_csv;
use crate::segment::{detect_language, split, Sentence};

/// What a run needs to know.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The folder of articles.
    pub drop: PathBuf,
    /// Reports go to `<out>/<drop name>/`.
    pub out: PathBuf,
    /// The model folder.
    pub models: ModelDir,
    /// Embedder settings.
    pub embed: EmbedConfig,
    /// Progress bars or not.
    pub progress: Progress,
}

/// Counts printed at the end of a run.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Articles read.
    pub articles: usize,
    /// Files skipped, with reasons.
    pub skipped: Vec<String>,
    /// Sentences embedded.
    pub sentences: usize,
    /// Where the reports are.
    pub report_dir: PathBuf,
}

/// One row of `sentences.csv`: a sentence and its nearest sentence in another article.
#[derive(Debug, Serialize)]
pub struct SentenceRow<'a> {
    article: &'a str,
    sentence: usize,
    language: &'a str,
    language_confidence: String,
    start: usize,
    end: usize,
    text: &'a str,
    neighbour_article: &'a str,
    neighbour_sentence: Option<usize>,
    neighbour_similarity: String,
    neighbour_text: &'a str,
}

/// Runs the pipeline over `config.drop` and writes the reports.
pub fn run(config: &RunConfig) -> Result<RunSummary> {
    let (articles, skipped) = read_drop(&config.drop)?;
    for s in &skipped {
        eprintln!("warning: skipped {s}");
    }
    if articles.is_empty() {
        anyhow::bail!(
            "no readable articles in {}; put .txt or .md files there",
            config.drop.display()
        );
    }
    let sentences = segment_all(&articles);

    let spinner = config.progress.spinner("loading multilingual-e5-small");
    let embedder = Embedder::new(&config.models, config.embed.clone())?;
    spinner.finish_and_clear();
    let bar = config.progress.bar(sentences.len() as u64, "embed");
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let embeddings = embedder.embed(&texts, &bar)?;
    bar.finish_and_clear();

    let neighbours = cross_article_neighbours(&sentences, &embeddings, 1);
    let report_dir = report_dir(&config.out, &config.drop);
    std::fs::create_dir_all(&report_dir)
        .with_context(|| format!("cannot create the report folder {}", report_dir.display()))?;
    let rows: Vec<SentenceRow> = sentences
        .iter()
        .zip(&neighbours)
        .map(|(s, n)| {
            let nearest = n.first().map(|n| (&sentences[n.sentence], n.similarity));
            SentenceRow {
                article: &articles[s.article].id,
                sentence: s.index,
                language: &s.language,
                language_confidence: format!("{:.3}", s.language_confidence),
                start: s.start,
                end: s.end,
                text: &s.text,
                neighbour_article: nearest.map_or("", |(t, _)| &articles[t.article].id),
                neighbour_sentence: nearest.map(|(t, _)| t.index),
                neighbour_similarity: nearest.map_or(String::new(), |(_, sim)| format!("{sim:.4}")),
                neighbour_text: nearest.map_or("", |(t, _)| &t.text),
            }
        })
        .collect();
    write_csv(&report_dir.join("sentences.csv"), &rows)?;
    Ok(RunSummary {
        articles: articles.len(),
        skipped: skipped.iter().map(ToString::to_string).collect(),
        sentences: sentences.len(),
        report_dir,
    })
}

/// Splits every article, with the article's language detected over its whole text.
pub fn segment_all(articles: &[Article]) -> Vec<Sentence> {
    let mut all = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        let language = detect_language(&article.text).map_or_else(|| "en".to_string(), |(l, _)| l);
        all.extend(split(i, article, &language));
    }
    all
}

/// `reports/<drop folder name>/`.
pub fn report_dir(out: &Path, drop: &Path) -> PathBuf {
    let name = drop
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_owned()))
        .unwrap_or_else(|| "drop".into());
    out.join(name)
}
