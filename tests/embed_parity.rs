//! Parity of the Rust e5 embedder with an independent numpy implementation
//! (tools/reference_embeddings.py) on the same E5S1 weights: cosine >= 0.9999 per sentence.

use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::ModelDir;
use indicatif::ProgressBar;
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    sentences: Vec<ReferenceSentence>,
}

#[derive(Deserialize)]
struct ReferenceSentence {
    language: String,
    text: String,
    token_ids: Vec<u32>,
    embedding: Vec<f32>,
}

#[test]
fn rust_embeddings_match_the_numpy_reference() {
    let fixture = std::fs::read_to_string("tests/fixtures/e5_reference.json").unwrap();
    let reference: Reference = serde_json::from_str(&fixture).unwrap();
    assert!(reference.sentences.len() >= 10);
    let languages: std::collections::BTreeSet<&str> = reference
        .sentences
        .iter()
        .map(|s| s.language.as_str())
        .collect();
    for lang in ["pt", "ro", "id", "en", "de"] {
        assert!(languages.contains(lang), "fixture lacks {lang}");
    }

    let models = ModelDir::new(ModelDir::default_location());
    // Batch of 4 so that padding and length sorting are exercised against unpadded references.
    let config = EmbedConfig {
        batch_size: 4,
        ..EmbedConfig::default()
    };
    let embedder = Embedder::new(&models, config).unwrap();
    let texts: Vec<&str> = reference
        .sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    let embeddings = embedder.embed(&texts, &ProgressBar::hidden()).unwrap();

    let tokenizer = models.tokenizer().unwrap();
    for (i, expected) in reference.sentences.iter().enumerate() {
        let ids = tokenizer
            .encode(format!("query: {}", expected.text), true)
            .unwrap()
            .get_ids()
            .to_vec();
        assert_eq!(
            ids, expected.token_ids,
            "token ids differ for {:?}",
            expected.text
        );
        let got = embeddings.row(i);
        let norm: f32 = expected.embedding.iter().map(|v| v * v).sum::<f32>().sqrt();
        let cosine: f32 = got
            .iter()
            .zip(&expected.embedding)
            .map(|(a, b)| a * b)
            .sum::<f32>()
            / norm;
        assert!(
            cosine >= 0.9999,
            "cosine {cosine} < 0.9999 for [{}] {:?}",
            expected.language,
            expected.text
        );
    }
}
