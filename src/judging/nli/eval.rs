//! `crosscheck eval-nli`: accuracy and per-class F1 of an NLI model on the held-out sets,
//! per set and language.

use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::data::read_examples;
use super::NliModel;
use crate::domain::NLI_LABELS as LABELS;
use crate::io::progress::Progress;

/// Accuracy and F1 of one group of predictions.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// Number of pairs.
    pub n: usize,
    /// Share of pairs predicted right.
    pub accuracy: f64,
    /// F1 per class, in [`LABELS`] order.
    pub f1: [f64; 3],
    /// Mean of the three F1s.
    pub macro_f1: f64,
}

/// Scores predictions against gold labels (both as [`LABELS`] indices).
pub fn score(gold: &[usize], predicted: &[usize]) -> Scores {
    let mut confusion = [[0usize; 3]; 3];
    for (&g, &p) in gold.iter().zip(predicted) {
        confusion[g][p] += 1;
    }
    let correct: usize = (0..3).map(|c| confusion[c][c]).sum();
    let f1 = std::array::from_fn(|c| {
        let tp = confusion[c][c] as f64;
        let predicted_c: usize = (0..3).map(|g| confusion[g][c]).sum();
        let gold_c: usize = confusion[c].iter().sum();
        if predicted_c + gold_c == 0 {
            0.0
        } else {
            2.0 * tp / (predicted_c + gold_c) as f64
        }
    });
    Scores {
        n: gold.len(),
        accuracy: correct as f64 / gold.len().max(1) as f64,
        f1,
        macro_f1: f1.iter().sum::<f64>() / 3.0,
    }
}

/// One line of the evaluation table.
#[derive(Debug, Clone)]
pub struct EvalRow {
    /// Evaluation set (file stem under data/nli/eval).
    pub set: String,
    /// Language.
    pub lang: String,
    /// The scores.
    pub scores: Scores,
}

/// The CSV form of an [`EvalRow`] (flat columns).
#[derive(Debug, Serialize, Default)]
pub struct EvalCsvRow<'a> {
    set: &'a str,
    lang: &'a str,
    n: usize,
    accuracy: f64,
    f1_entailment: f64,
    f1_neutral: f64,
    f1_contradiction: f64,
    macro_f1: f64,
}

impl EvalRow {
    /// Flat columns for CSV output.
    pub fn csv(&self) -> EvalCsvRow<'_> {
        let s = &self.scores;
        EvalCsvRow {
            set: &self.set,
            lang: &self.lang,
            n: s.n,
            accuracy: s.accuracy,
            f1_entailment: s.f1[0],
            f1_neutral: s.f1[1],
            f1_contradiction: s.f1[2],
            macro_f1: s.macro_f1,
        }
    }
}

/// Evaluates `model` on every `*.jsonl.gz` in `eval_dir` (or only those named in `only`),
/// scoring each language separately; `limit` caps the pairs per set and language.
pub fn evaluate_sets(
    model: &NliModel,
    eval_dir: &Path,
    only: &[String],
    limit: Option<usize>,
    progress: &Progress,
) -> Result<Vec<EvalRow>> {
    let mut files: Vec<_> = std::fs::read_dir(eval_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for file in files {
        let set = file
            .file_name()
            .map(|n| {
                n.to_string_lossy()
                    .trim_end_matches(".jsonl.gz")
                    .to_string()
            })
            .unwrap_or_default();
        if !only.is_empty() && !only.contains(&set) {
            continue;
        }
        let mut by_lang: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for example in read_examples(&file)? {
            let group = by_lang.entry(example.lang.clone()).or_default();
            if limit.is_none_or(|l| group.len() < l) {
                group.push(example);
            }
        }
        for (lang, examples) in by_lang {
            let pairs: Vec<(&str, &str)> = examples
                .iter()
                .map(|e| (e.premise.as_str(), e.hypothesis.as_str()))
                .collect();
            let bar = progress.bar(pairs.len() as u64, &format!("{set} {lang}"));
            let predicted: Vec<usize> = model
                .predict(&pairs, &bar)?
                .iter()
                .map(|p| p.argmax())
                .collect();
            bar.finish_and_clear();
            let gold: Vec<usize> = examples
                .iter()
                .map(|e| e.label_index().expect("checked on read"))
                .collect();
            rows.push(EvalRow {
                set: set.clone(),
                lang,
                scores: score(&gold, &predicted),
            });
        }
    }
    Ok(rows)
}

/// The table as Markdown, for the README and the model card.
pub fn markdown_table(rows: &[EvalRow]) -> String {
    let mut out = format!(
        "| set | lang | n | accuracy | F1 {} | F1 {} | F1 {} | macro-F1 |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
        LABELS[0], LABELS[1], LABELS[2]
    );
    for r in rows {
        let s = &r.scores;
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
            r.set,
            r.lang,
            s.n,
            100.0 * s.accuracy,
            s.f1[0],
            s.f1[1],
            s.f1[2],
            s.macro_f1
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_accuracy_and_f1() {
        let s = score(&[0, 0, 1, 2], &[0, 1, 1, 1]);
        assert_eq!(s.accuracy, 0.5);
        assert!((s.f1[0] - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.f1[1] - 0.5).abs() < 1e-12);
        assert_eq!(s.f1[2], 0.0);
    }
}
