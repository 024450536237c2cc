//! `make bench-scale`, last part: the HNSW index against the exact search on the claims of the
//! scale drops (`tools/make_scale_drops.py`). For each drop it embeds the claims as a run does
//! (kept in `target/scale/embeddings-<N>.f32` for the next time), finds each claim's top-k of
//! other articles both ways, and prints the recall of the index (exact neighbours it also
//! finds) and the seconds of each search, with the claim pairs a run would judge (the align
//! stage on the same embeddings); then the same on growing slices of the largest drop,
//! which is how `neighbours::HNSW_MIN_ROWS` was chosen.
//!
//! Run: `cargo run --release --example hnsw_recall -- target/scale/300 target/scale/1000`.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use common::DropClaims;
use crosscheck::matching::align::{candidate_pairs, AlignConfig};
use crosscheck::matching::embed::Embeddings;
use crosscheck::matching::neighbours::{nearest_exact, nearest_hnsw, HnswConfig, Neighbour};

/// Neighbours per claim, as the claim pairing asks for (`AlignConfig::top_k`).
const K: usize = 8;

/// Fraction of the exact neighbours that the approximate lists hold.
fn recall(exact: &[Vec<Neighbour>], approx: &[Vec<Neighbour>]) -> f64 {
    let (mut found, mut all) = (0usize, 0usize);
    for (e, a) in exact.iter().zip(approx) {
        all += e.len();
        found += e
            .iter()
            .filter(|n| a.iter().any(|m| m.row == n.row))
            .count();
    }
    found as f64 / all.max(1) as f64
}

/// The first `rows` claims of `articles`/`embeddings`, extended past their end by copies
/// whose vectors are moved by a deterministic pseudo-random offset and renormalised, each copy
/// with article ids of its own.
fn grown(articles: &[usize], embeddings: &Embeddings, rows: usize) -> (Vec<usize>, Embeddings) {
    let (n, dim) = (articles.len(), embeddings.dim);
    let groups = articles.iter().max().map_or(1, |m| m + 1);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
    };
    let mut ids = Vec::with_capacity(rows);
    let mut values = Vec::with_capacity(rows * dim);
    for i in 0..rows {
        let (copy, row) = (i / n, i % n);
        ids.push(articles[row] + copy * groups);
        let moved: Vec<f32> = embeddings
            .row(row)
            .iter()
            .map(|v| if copy == 0 { *v } else { v + 0.01 * next() })
            .collect();
        let norm = moved
            .iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON);
        values.extend(moved.iter().map(|x| x / norm));
    }
    (ids, Embeddings { dim, values })
}

/// One row of the table: pool size, exact seconds, HNSW seconds, recall.
fn compare(articles: &[usize], embeddings: &Embeddings, rows: usize) -> (f64, f64, f64) {
    let pool: Vec<usize> = (0..rows).collect();
    let start = Instant::now();
    let exact = nearest_exact(embeddings, &pool, articles, K);
    let exact_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let approx = nearest_hnsw(embeddings, &pool, articles, K, &HnswConfig::default());
    let hnsw_s = start.elapsed().as_secs_f64();
    (exact_s, hnsw_s, recall(&exact, &approx))
}

fn main() -> Result<()> {
    let drops: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!drops.is_empty(), "usage: hnsw_recall DROP [DROP ...]");
    let c = HnswConfig::default();
    println!(
        "HNSW (instant-distance, ef_construction {}, ef_search {}, one build thread) against the exact search, top-{K} of other articles per claim",
        c.ef_construction, c.ef_search
    );
    println!("| drop | claims | candidate pairs (align, both channels) | exact s | HNSW s | recall |\n|---|---:|---:|---:|---:|---:|");
    let mut largest = None;
    for drop in &drops {
        let d = DropClaims::read(drop)?;
        let anchors = crosscheck::pipeline::claim_anchors(&d.articles, &d.sentences, &d.claims);
        let pairs = candidate_pairs(
            &d.claim_articles,
            &d.embeddings,
            &anchors,
            &AlignConfig::default(),
        );
        let (articles, embeddings) = (d.claim_articles, d.embeddings);
        let (exact_s, hnsw_s, r) = compare(&articles, &embeddings, articles.len());
        println!(
            "| {} | {} | {} | {exact_s:.2} | {hnsw_s:.2} | {r:.4} |",
            drop.display(),
            articles.len(),
            pairs.len()
        );
        largest = Some((articles, embeddings));
    }
    if let Some((articles, embeddings)) = largest {
        println!("\nthe first n claims of the last drop; beyond its size, copies of it with each vector moved");
        println!("by a small pseudo-random offset (cosine about 0.998 to the original) and new article ids");
        println!("| claims | exact s | HNSW s | recall |\n|---:|---:|---:|---:|");
        for rows in [2_000, 5_000, 10_000, 20_000] {
            let (articles, embeddings) = grown(&articles, &embeddings, rows);
            let (exact_s, hnsw_s, r) = compare(&articles, &embeddings, rows);
            println!("| {rows} | {exact_s:.2} | {hnsw_s:.2} | {r:.4} |");
        }
    }
    Ok(())
}
