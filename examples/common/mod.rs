//! What the measuring examples (`hnsw_recall`, `pairing_recall`) share: a drop read, split into
//! claims and embedded the way a run does it, with the embeddings kept beside the drop.

use std::hash::{Hash, Hasher};
use std::path::Path;

use anyhow::{Context, Result};
use crosscheck::domain::{Article, Claim, Sentence};
use crosscheck::matching::embed::{EmbedConfig, Embedder, Embeddings};
use crosscheck::models::ModelDir;

/// A drop's articles, sentences and claims, and the claims' embeddings.
#[allow(dead_code)] // each example reads the fields it needs
pub struct DropClaims {
    /// The articles, in drop order.
    pub articles: Vec<Article>,
    /// Every sentence of the drop.
    pub sentences: Vec<Sentence>,
    /// Every claim of the drop.
    pub claims: Vec<Claim>,
    /// Each claim's article.
    pub claim_articles: Vec<usize>,
    /// Each claim's e5 embedding (default precision, as a run).
    pub embeddings: Embeddings,
}

impl DropClaims {
    /// Reads, splits and embeds `drop`; the embeddings are written to
    /// `target/embeddings/<hash of the claims>.f32` and read back from there next time.
    pub fn read(drop: &Path) -> Result<DropClaims> {
        let articles = crosscheck::read::ingest::read_drop(drop, &Default::default())?.articles;
        let (_, sentences, _) = crosscheck::pipeline::segment_all(
            &articles,
            crosscheck::read::segment::DEFAULT_MAX_SENTENCES,
            &indicatif::ProgressBar::hidden(),
        );
        let claims = crosscheck::read::claims::split_all(&sentences);
        let claim_articles: Vec<usize> = claims.iter().map(|c| c.article).collect();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for c in &claims {
            c.text.hash(&mut hasher);
        }
        let folder = Path::new("target/embeddings");
        std::fs::create_dir_all(folder).context("creating target/embeddings")?;
        let cache = folder.join(format!("{:016x}.f32", hasher.finish()));
        let dim = 384;
        let cached = std::fs::read(&cache)
            .ok()
            .filter(|bytes| bytes.len() == claims.len() * dim * 4);
        let embeddings = match cached {
            Some(bytes) => Embeddings {
                dim,
                values: bytes
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
            },
            None => {
                let models = ModelDir::new(ModelDir::default_location());
                let embedder = Embedder::new(&models, EmbedConfig::default())?;
                let bar = indicatif::ProgressBar::new(claims.len() as u64);
                let texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
                let embeddings = embedder.embed(&texts, &bar)?;
                bar.finish_and_clear();
                let bytes: Vec<u8> = embeddings
                    .values
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect();
                std::fs::write(&cache, bytes)?;
                embeddings
            }
        };
        Ok(DropClaims {
            articles,
            sentences,
            claims,
            claim_articles,
            embeddings,
        })
    }
}
