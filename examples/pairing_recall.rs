//! Issue 14: the claim pairing of today (top-k nearest claims of other articles over the whole
//! drop, mutual, [`crosscheck::matching::align::candidate_pairs`]) against the pairing it replaced (top-k
//! claims *per other article*, mutual, same thresholds, same fact-anchored channel), whose
//! pairs grow with the square of the drop. For each drop: the pairs of each, and the share of
//! the old pairs that the new pairing also proposes (its recall against the old), at the old
//! default k = 2 and at the new default k = 8. Then, on drops with a gold file
//! (`data/gold/<drop>.csv`), the recall that matters: of the gold rows that join two articles
//! on one fact (agree, compatible, conflict), how many have their two claims (the claims that
//! hold the quotes) paired by each pairing.
//!
//! Run: `cargo run --release --example pairing_recall -- data/dev/quake data/dev/rates ...`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use common::DropClaims;
use crosscheck::domain::MentionKind;
use crosscheck::matching::align::{both_channels, candidate_pairs, AlignConfig};
use crosscheck::matching::embed::Embeddings;

/// The old pairing: for each claim of `pool` and each other article, that article's `top_k`
/// most similar claims of `pool`; pairs both sides chose that reach `threshold`.
fn per_article_top_k(
    articles: &[usize],
    embeddings: &Embeddings,
    pool: &[usize],
    top_k: usize,
    threshold: f32,
) -> BTreeSet<(usize, usize)> {
    let groups: BTreeSet<usize> = pool.iter().map(|&i| articles[i]).collect();
    let mut chosen = BTreeSet::new();
    for &i in pool {
        for &article in groups.iter().filter(|&&a| a != articles[i]) {
            let mut scored: Vec<(f32, usize)> = pool
                .iter()
                .filter(|&&j| articles[j] == article)
                .map(|&j| (embeddings.cosine(i, j), j))
                .collect();
            scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            chosen.extend(scored.into_iter().take(top_k).map(|(_, j)| (i, j)));
        }
    }
    chosen
        .iter()
        .filter(|&&(i, j)| chosen.contains(&(j, i)))
        .filter(|&&(i, j)| embeddings.cosine(i, j) >= threshold)
        .map(|&(i, j)| (i.min(j), i.max(j)))
        .collect()
}

/// The old pairing with both channels, as `candidate_pairs` combines them.
fn old_pairs(
    articles: &[usize],
    embeddings: &Embeddings,
    anchors: &[BTreeSet<MentionKind>],
    config: &AlignConfig,
) -> BTreeSet<(usize, usize)> {
    both_channels(articles.len(), anchors, config, |pool, threshold| {
        per_article_top_k(articles, embeddings, pool, config.top_k, threshold)
    })
}

/// Claims of article `id` whose text holds `quote` (else those whose sentence holds it).
fn claims_quoting(d: &DropClaims, id: &str, quote: &str) -> Vec<usize> {
    let in_article = |i: &usize| d.articles[d.claims[*i].article].id == id;
    let by_claim: Vec<usize> = (0..d.claims.len())
        .filter(in_article)
        .filter(|&i| d.claims[i].text.contains(quote))
        .collect();
    if !by_claim.is_empty() {
        return by_claim;
    }
    (0..d.claims.len())
        .filter(in_article)
        .filter(|&i| d.sentences[d.claims[i].sentence].text.contains(quote))
        .collect()
}

/// Gold rows of two articles on one fact in `gold`, each as the claims holding its quotes.
fn gold_claim_pairs(d: &DropClaims, gold: &Path) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    let mut reader = csv::Reader::from_path(gold)?;
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let field = |i| row.get(i).unwrap_or("");
        if !["agree", "compatible", "conflict"].contains(&field(1)) || field(4).is_empty() {
            continue;
        }
        out.push((
            claims_quoting(d, field(2), field(3)),
            claims_quoting(d, field(4), field(5)),
        ));
    }
    Ok(out)
}

/// How many gold rows have one of their claim pairs among `pairs`.
fn gold_found(gold: &[(Vec<usize>, Vec<usize>)], pairs: &BTreeSet<(usize, usize)>) -> usize {
    gold.iter()
        .filter(|(xs, ys)| {
            xs.iter()
                .any(|&x| ys.iter().any(|&y| pairs.contains(&(x.min(y), x.max(y)))))
        })
        .count()
}

fn main() -> Result<()> {
    let drops: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!drops.is_empty(), "usage: pairing_recall DROP [DROP ...]");
    println!("| drop | claims | old k=2 pairs | new k=8 pairs | old k=2 found by new k=8 | old k=8 pairs | new k=8 found of old k=8 | new k=2 pairs | old k=2 found by new k=2 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut totals = [0usize; 7];
    let mut gold_rows = Vec::new();
    // New pairing at larger k: (k, pairs, gold rows found) summed over the drops.
    let sweep_ks = [8usize, 12, 16, 24];
    let mut sweep = vec![(0usize, 0usize, 0usize); sweep_ks.len()];
    for drop in &drops {
        let d = DropClaims::read(drop)?;
        let anchors = crosscheck::pipeline::claim_anchors(&d.articles, &d.sentences, &d.claims);
        let at = |top_k| AlignConfig {
            top_k,
            ..AlignConfig::default()
        };
        let new = |top_k| -> BTreeSet<(usize, usize)> {
            candidate_pairs(&d.claim_articles, &d.embeddings, &anchors, &at(top_k))
                .iter()
                .map(|p| (p.a, p.b))
                .collect()
        };
        let (new2, new8) = (new(2), new(8));
        let old2 = old_pairs(&d.claim_articles, &d.embeddings, &anchors, &at(2));
        let old8 = old_pairs(&d.claim_articles, &d.embeddings, &anchors, &at(8));
        let row = [
            old2.len(),
            new8.len(),
            old2.intersection(&new8).count(),
            old8.len(),
            old8.intersection(&new8).count(),
            new2.len(),
            old2.intersection(&new2).count(),
        ];
        let name = drop.file_name().map(|n| n.to_string_lossy().into_owned());
        let gold = Path::new("data/gold").join(format!("{}.csv", name.unwrap_or_default()));
        if gold.is_file() {
            let g = gold_claim_pairs(&d, &gold)?;
            for (at_k, &k) in sweep.iter_mut().zip(&sweep_ks) {
                let pairs = new(k);
                at_k.0 += 1;
                at_k.1 += pairs.len();
                at_k.2 += gold_found(&g, &pairs);
            }
            gold_rows.push((
                drop.display().to_string(),
                g.len(),
                g.iter()
                    .filter(|(x, y)| !x.is_empty() && !y.is_empty())
                    .count(),
                gold_found(&g, &old2),
                gold_found(&g, &new8),
                gold_found(&g, &old8),
                gold_found(&g, &new2),
            ));
        }
        for (t, r) in totals.iter_mut().zip(row) {
            *t += r;
        }
        let share =
            |x: usize, of: usize| format!("{x} ({:.1} %)", 100.0 * x as f64 / of.max(1) as f64);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            drop.display(),
            d.claims.len(),
            row[0],
            row[1],
            share(row[2], row[0]),
            row[3],
            share(row[4], row[3]),
            row[5],
            share(row[6], row[0]),
        );
    }
    let t = totals;
    println!(
        "| all | | {} | {} | {} ({:.1} %) | {} | {} ({:.1} %) | {} | {} ({:.1} %) |",
        t[0],
        t[1],
        t[2],
        100.0 * t[2] as f64 / t[0].max(1) as f64,
        t[3],
        t[4],
        100.0 * t[4] as f64 / t[3].max(1) as f64,
        t[5],
        t[6],
        100.0 * t[6] as f64 / t[0].max(1) as f64
    );
    println!("\ngold rows joining two articles on one fact (agree, compatible, conflict) whose claims are paired");
    println!(
        "| drop | gold rows | quotes found in claims | old k=2 | new k=8 | old k=8 | new k=2 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut all = [0usize; 6];
    for (name, rows, located, o2, n8, o8, n2) in gold_rows {
        println!("| {name} | {rows} | {located} | {o2} | {n8} | {o8} | {n2} |");
        for (a, x) in all.iter_mut().zip([rows, located, o2, n8, o8, n2]) {
            *a += x;
        }
    }
    println!(
        "| all | {} | {} | {} | {} | {} | {} |",
        all[0], all[1], all[2], all[3], all[4], all[5]
    );
    println!("\nthe new pairing at larger k, over the drops with gold");
    println!("| k | drops | pairs | gold rows paired |\n|---:|---:|---:|---:|");
    for (k, (drops, pairs, found)) in sweep_ks.iter().zip(sweep) {
        println!("| {k} | {drops} | {pairs} | {found} |");
    }
    Ok(())
}
