//! Labelled NLI pairs as prepared in data/nli/ (tools/prepare_nli_data.py): gzipped JSONL with
//! premise, hypothesis, label, lang, source and group (the underlying pair).

use anyhow::{Context, Result};
use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::domain::NLI_LABELS as LABELS;

/// One labelled pair.
#[derive(Debug, Clone, Deserialize)]
pub struct NliExample {
    /// The premise text.
    pub premise: String,
    /// The hypothesis text.
    pub hypothesis: String,
    /// `entailment`, `neutral` or `contradiction`.
    pub label: String,
    /// ISO 639-1 language code.
    pub lang: String,
    /// Which data set and split it comes from.
    pub source: String,
}

impl NliExample {
    /// Index of the label in [`LABELS`].
    pub fn label_index(&self) -> Option<usize> {
        LABELS.iter().position(|l| *l == self.label)
    }
}

/// Reads a `.jsonl.gz` (or plain `.jsonl`) file of examples.
pub fn read_examples(path: &Path) -> Result<Vec<NliExample>> {
    let file = std::fs::File::open(path).with_context(|| {
        format!(
            "cannot open {}; run tools/prepare_nli_data.py or check out data/nli",
            path.display()
        )
    })?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let mut examples = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let example: NliExample = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not an NLI example", path.display(), i + 1))?;
        anyhow::ensure!(
            example.label_index().is_some(),
            "{}:{}: unknown label {:?}",
            path.display(),
            i + 1,
            example.label
        );
        examples.push(example);
    }
    Ok(examples)
}
