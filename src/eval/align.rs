//! `crosscheck eval-align`: measures the `align` stage on gold sentence alignments (Text+Berg
//! de-fr, data/align-eval/) and sweeps its two knobs, top-k and the similarity threshold, so
//! the defaults are chosen on data.
//!
//! Each document pair is treated as a drop of two articles. Recall is the share of gold 1-1
//! links found among the candidate pairs; precision is the share of candidate pairs that lie
//! inside some gold alignment (any source line with any target line of one gold bead).

use anyhow::{Context, Result};
use std::collections::BTreeSet;
use std::path::Path;

use crate::domain::Sentence;
use crate::io::progress::Progress;
use crate::matching::align::{candidate_pairs, AlignConfig};
use crate::matching::embed::{Embedder, Embeddings};

/// One document pair: its lines and gold beads (source line ids, target line ids).
struct Document {
    source: Vec<String>,
    target: Vec<String>,
    beads: Vec<(Vec<usize>, Vec<usize>)>,
}

/// Precision and recall of one setting.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AlignScore {
    /// Candidates per sentence.
    pub top_k: usize,
    /// Similarity threshold.
    pub min_similarity: f32,
    /// Candidate pairs inside a gold bead / all candidate pairs.
    pub precision: f64,
    /// Gold 1-1 links found / all gold 1-1 links.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .lines()
        .map(str::to_string)
        .collect())
}

/// Parses a gold line `[0, 1]:[2]`.
fn parse_bead(line: &str) -> Option<(Vec<usize>, Vec<usize>)> {
    let (src, tgt) = line.split_once(':')?;
    let ids = |s: &str| -> Vec<usize> {
        s.trim()
            .trim_matches(['[', ']'])
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect()
    };
    Some((ids(src), ids(tgt)))
}

fn read_documents(dir: &Path) -> Result<Vec<Document>> {
    let mut names: Vec<_> = std::fs::read_dir(dir.join("gold"))
        .with_context(|| format!("cannot read {}/gold", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            Ok(Document {
                source: read_lines(&dir.join("de").join(&name))?,
                target: read_lines(&dir.join("fr").join(&name))?,
                beads: read_lines(&dir.join("gold").join(&name))?
                    .iter()
                    .filter_map(|l| parse_bead(l))
                    .collect(),
            })
        })
        .collect()
}

fn sentence(article: usize, index: usize, text: &str) -> Sentence {
    Sentence {
        article,
        index,
        start: 0,
        end: text.len(),
        text: text.to_string(),
        language: String::new(),
        language_confidence: 0.0,
        dropped: text
            .trim()
            .is_empty()
            .then_some(crate::domain::DropReason::Fragment),
    }
}

/// Scores every (top_k, threshold) combination on the gold documents in `dir`.
pub fn sweep(
    embedder: &Embedder,
    dir: &Path,
    top_ks: &[usize],
    thresholds: &[f32],
    progress: &Progress,
) -> Result<Vec<AlignScore>> {
    let documents = read_documents(dir)?;
    let embedded: Vec<(Vec<Sentence>, Embeddings)> = documents
        .iter()
        .map(|doc| {
            let sentences: Vec<Sentence> = doc
                .source
                .iter()
                .enumerate()
                .map(|(i, t)| sentence(0, i, t))
                .chain(
                    doc.target
                        .iter()
                        .enumerate()
                        .map(|(i, t)| sentence(1, i, t)),
                )
                .collect();
            let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
            let bar = progress.bar(texts.len() as u64, "embed");
            let embeddings = embedder.embed(&texts, &bar)?;
            bar.finish_and_clear();
            Ok((sentences, embeddings))
        })
        .collect::<Result<_>>()?;
    let mut scores = Vec::new();
    for &top_k in top_ks {
        for &min_similarity in thresholds {
            let config = AlignConfig {
                top_k,
                min_similarity,
                ..AlignConfig::default()
            };
            let (mut inside, mut candidates, mut found, mut gold_links) =
                (0usize, 0usize, 0usize, 0usize);
            for (doc, (sentences, embeddings)) in documents.iter().zip(&embedded) {
                let offset = doc.source.len();
                let articles: Vec<usize> = sentences.iter().map(|s| s.article).collect();
                let pairs: BTreeSet<(usize, usize)> =
                    candidate_pairs(&articles, embeddings, &[], &config)
                        .iter()
                        .filter(|p| sentences[p.a].is_claim() && sentences[p.b].is_claim())
                        .map(|p| (p.a, p.b - offset))
                        .collect();
                let in_bead = |&(s, t): &(usize, usize)| {
                    doc.beads
                        .iter()
                        .any(|(bs, bt)| bs.contains(&s) && bt.contains(&t))
                };
                candidates += pairs.len();
                inside += pairs.iter().filter(|p| in_bead(p)).count();
                for (bs, bt) in doc
                    .beads
                    .iter()
                    .filter(|(s, t)| s.len() == 1 && t.len() == 1)
                {
                    gold_links += 1;
                    found += usize::from(pairs.contains(&(bs[0], bt[0])));
                }
            }
            let precision = inside as f64 / candidates.max(1) as f64;
            let recall = found as f64 / gold_links.max(1) as f64;
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            scores.push(AlignScore {
                top_k,
                min_similarity,
                precision,
                recall,
                f1,
            });
        }
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_beads_parse() {
        assert_eq!(parse_bead("[0]:[0, 1]"), Some((vec![0], vec![0, 1])));
        assert_eq!(parse_bead("[]:[3]"), Some((vec![], vec![3])));
    }
}
