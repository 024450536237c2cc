//! Nearest neighbours over a drop's unit vectors: for each row of a pool, its `k` most similar
//! rows of the same pool that belong to another group (another article). Pairing and the fact
//! table take their candidates from here, a bounded number per row over the whole drop, so the
//! candidates grow linearly with the drop. Pools below [`HNSW_MIN_ROWS`] rows are searched
//! exactly, by blocked matrix products (one GEMM per block of [`BLOCK_ROWS`] rows, never scalar
//! loops); larger pools through an HNSW index ([`nearest_hnsw`]), whose work grows as
//! n log n instead of n².
//!
//! ```
//! use crosscheck::matching::embed::Embeddings;
//! use crosscheck::matching::neighbours::nearest;
//! let e = Embeddings { dim: 2, values: vec![1.0, 0.0, 0.6, 0.8, 0.0, 1.0] };
//! let lists = nearest(&e, &[0, 1, 2], &[0, 1, 2], 1);
//! assert_eq!(lists[0][0].row, 1);
//! ```

use instant_distance::{Builder, Point, Search};
use rayon::prelude::*;
use tch::{Kind, Tensor};

use crate::matching::embed::Embeddings;

/// Rows scored per matrix product: 1,024 rows against a 15,000-row drop is 61 MB of scores.
pub const BLOCK_ROWS: usize = 1024;

/// One neighbour of a row: the other row and their cosine similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// Index into the embeddings.
    pub row: usize,
    /// Cosine similarity (a dot product of unit vectors).
    pub similarity: f32,
}

/// For each row of `pool` (indices into `embeddings`), its at most `k` most similar rows of
/// `pool` whose group differs (`groups[i]` is row `i`'s group, e.g. its article), most similar
/// first, ties by row. The result is parallel to `pool`. Exact ([`nearest_exact`]) below
/// [`HNSW_MIN_ROWS`] rows, approximate ([`nearest_hnsw`]) from there on.
pub fn nearest(
    embeddings: &Embeddings,
    pool: &[usize],
    groups: &[usize],
    k: usize,
) -> Vec<Vec<Neighbour>> {
    if pool.len() >= HNSW_MIN_ROWS {
        nearest_hnsw(embeddings, pool, groups, k, &HnswConfig::default())
    } else {
        nearest_exact(embeddings, pool, groups, k)
    }
}

/// [`nearest`] by brute force: every row of the pool against every other, in blocked matrix
/// products. Exact; its work grows with the square of the pool.
pub fn nearest_exact(
    embeddings: &Embeddings,
    pool: &[usize],
    groups: &[usize],
    k: usize,
) -> Vec<Vec<Neighbour>> {
    if pool.is_empty() || k == 0 || embeddings.dim == 0 {
        return vec![Vec::new(); pool.len()];
    }
    let _guard = tch::no_grad_guard();
    let dim = embeddings.dim as i64;
    let gathered: Vec<f32> = pool
        .iter()
        .flat_map(|&i| embeddings.row(i).iter().copied())
        .collect();
    let matrix = Tensor::from_slice(&gathered).reshape([pool.len() as i64, dim]);
    let pool_groups: Vec<i64> = pool.iter().map(|&i| groups[i] as i64).collect();
    let all_groups = Tensor::from_slice(&pool_groups);
    let take = (k + 1).min(pool.len()) as i64;
    let mut out = Vec::with_capacity(pool.len());
    for start in (0..pool.len()).step_by(BLOCK_ROWS) {
        let rows = BLOCK_ROWS.min(pool.len() - start) as i64;
        let block = matrix.narrow(0, start as i64, rows);
        let same = all_groups
            .narrow(0, start as i64, rows)
            .unsqueeze(1)
            .eq_tensor(&all_groups.unsqueeze(0));
        let scores = block
            .matmul(&matrix.transpose(0, 1))
            .masked_fill(&same, f64::NEG_INFINITY);
        let (values, indices) = scores.topk(take, 1, true, true);
        let values: Vec<f32> =
            Vec::try_from(values.to_kind(Kind::Float).reshape([-1])).unwrap_or_default();
        let indices: Vec<i64> = Vec::try_from(indices.reshape([-1])).unwrap_or_default();
        for r in 0..rows as usize {
            let mut list: Vec<Neighbour> = (0..take as usize)
                .map(|c| r * take as usize + c)
                .filter(|&at| values.get(at).is_some_and(|v| v.is_finite()) && at < indices.len())
                .map(|at| Neighbour {
                    row: pool[indices[at] as usize],
                    similarity: values[at],
                })
                .collect();
            sort_and_truncate(&mut list, k);
            out.push(list);
        }
    }
    out
}

/// For each row of `queries`, its at most `k` most similar rows of another set, `pool` (a
/// new drop's claims against archived ones), most similar first, ties by row. Exact, one
/// matrix product per block of [`BLOCK_ROWS`] queries.
pub fn nearest_across(queries: &Embeddings, pool: &Embeddings, k: usize) -> Vec<Vec<Neighbour>> {
    let n = queries.len();
    if n == 0 || pool.is_empty() || k == 0 || queries.dim != pool.dim {
        return vec![Vec::new(); n];
    }
    let _guard = tch::no_grad_guard();
    let dim = pool.dim as i64;
    let matrix = Tensor::from_slice(&pool.values).reshape([pool.len() as i64, dim]);
    let take = k.min(pool.len()) as i64;
    let mut out = Vec::with_capacity(n);
    for start in (0..n).step_by(BLOCK_ROWS) {
        let rows = BLOCK_ROWS.min(n - start);
        let block =
            Tensor::from_slice(&queries.values[start * pool.dim..(start + rows) * pool.dim])
                .reshape([rows as i64, dim]);
        let (values, indices) = block
            .matmul(&matrix.transpose(0, 1))
            .topk(take, 1, true, true);
        let values: Vec<f32> =
            Vec::try_from(values.to_kind(Kind::Float).reshape([-1])).unwrap_or_default();
        let indices: Vec<i64> = Vec::try_from(indices.reshape([-1])).unwrap_or_default();
        for r in 0..rows {
            let mut list: Vec<Neighbour> = (r * take as usize..(r + 1) * take as usize)
                .filter(|&at| at < values.len() && at < indices.len())
                .map(|at| Neighbour {
                    row: indices[at] as usize,
                    similarity: values[at],
                })
                .collect();
            sort_and_truncate(&mut list, k);
            out.push(list);
        }
    }
    out
}

/// Most similar first, ties by row; at most `k`.
fn sort_and_truncate(list: &mut Vec<Neighbour>, k: usize) {
    list.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then(x.row.cmp(&y.row))
    });
    list.truncate(k);
}

/// Pool size from which [`nearest`] uses the HNSW index. Measured on the claims of the
/// 300-article scale drop and copies of it (`examples/hnsw_recall.rs`, README): the exact
/// search took 2.5 / 9.3 / 33 s for 5,000 / 10,000 / 20,000 claims (n², one GEMM a block),
/// the index 73 / 182 / 110 s (built on one thread, for determinism); extrapolated, the two
/// meet near 80,000 claims, about 5,000 articles. Below it the exact search is faster and
/// loses nothing.
pub const HNSW_MIN_ROWS: usize = 80_000;

/// Parameters of the HNSW index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HnswConfig {
    /// Candidates kept while building (efConstruction).
    pub ef_construction: usize,
    /// Candidates kept while searching (ef); rows of the query's own group are dropped from
    /// these afterwards, so it is kept well above `k`.
    pub ef_search: usize,
    /// Seed of the layer assignment: the same pool gives the same index.
    pub seed: u64,
    /// Choose each node's links by the paper's heuristic (diverse directions) rather than
    /// simply the nearest: better recall on clustered data, but most of the build's work.
    pub heuristic: bool,
}

impl Default for HnswConfig {
    fn default() -> Self {
        HnswConfig {
            ef_construction: 64,
            ef_search: 48,
            seed: 0x5eed_c0de,
            heuristic: true,
        }
    }
}

/// One row of the pool as an HNSW point: a unit vector, distance 1 - cosine.
#[derive(Clone, Copy)]
struct UnitRow<'a>(&'a [f32]);

impl Point for UnitRow<'_> {
    fn distance(&self, other: &Self) -> f32 {
        1.0 - dot(self.0, other.0)
    }
}

/// Dot product in eight independent lanes, which the compiler turns into SIMD (a plain
/// iterator sum must keep its order and stays scalar).
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (xs, ys) = (x.chunks_exact(8), y.chunks_exact(8));
    let tail: f32 = xs
        .remainder()
        .iter()
        .zip(ys.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in xs.zip(ys) {
        for ((lane, p), q) in lanes.iter_mut().zip(a).zip(b) {
            *lane += p * q;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// [`nearest`] through an HNSW index (instant-distance): approximate, but its work grows as
/// n log n. The index is built on one thread, so its layers and links, and hence the result,
/// are the same on every run; the searches run in parallel, each independent of the others.
/// Each row asks for `ef_search` (at least `k` + 16) candidates and keeps the best `k` of
/// other groups.
pub fn nearest_hnsw(
    embeddings: &Embeddings,
    pool: &[usize],
    groups: &[usize],
    k: usize,
    config: &HnswConfig,
) -> Vec<Vec<Neighbour>> {
    if pool.is_empty() || k == 0 || embeddings.dim == 0 {
        return vec![Vec::new(); pool.len()];
    }
    let points: Vec<UnitRow> = pool.iter().map(|&i| UnitRow(embeddings.row(i))).collect();
    let ef = config.ef_search.max(k + 16);
    let builder = Builder::default()
        .seed(config.seed)
        .ef_construction(config.ef_construction)
        .ef_search(ef);
    let builder = if config.heuristic {
        builder
    } else {
        builder.select_heuristic(None)
    };
    let build = || builder.build(points.clone(), pool.to_vec());
    // One thread: the insertion order, hence the graph, is then fixed.
    let map = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(single) => single.install(build),
        Err(_) => return nearest_exact(embeddings, pool, groups, k),
    };
    points
        .par_iter()
        .zip(pool.par_iter())
        .map_init(Search::default, |search, (point, &row)| {
            let mut list: Vec<Neighbour> = map
                .search(point, search)
                .filter(|item| groups[*item.value] != groups[row])
                .map(|item| Neighbour {
                    row: *item.value,
                    similarity: dot(point.0, item.point.0),
                })
                .collect();
            sort_and_truncate(&mut list, k);
            list
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    /// `n` pseudo-random unit vectors of `dim` dimensions.
    fn random_units(n: usize, dim: usize, mut seed: u64) -> Embeddings {
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let values: Vec<f32> = (0..n)
            .flat_map(|_| unit(&(0..dim).map(|_| next()).collect::<Vec<_>>()))
            .collect();
        Embeddings { dim, values }
    }

    #[test]
    fn neighbours_match_a_scalar_search_and_skip_the_own_group() {
        // 40 pseudo-random vectors in 8 dimensions, 5 groups.
        let e = random_units(40, 8, 7);
        let groups: Vec<usize> = (0..40).map(|i| i % 5).collect();
        let pool: Vec<usize> = (0..40).filter(|i| i % 7 != 3).collect();
        let lists = nearest(&e, &pool, &groups, 4);
        for (p, list) in pool.iter().zip(&lists) {
            let mut want: Vec<(f32, usize)> = pool
                .iter()
                .filter(|&&q| groups[q] != groups[*p])
                .map(|&q| (e.cosine(*p, q), q))
                .collect();
            want.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let got: Vec<usize> = list.iter().map(|n| n.row).collect();
            let want: Vec<usize> = want.iter().take(4).map(|w| w.1).collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn the_hnsw_search_finds_the_exact_neighbours_of_a_small_pool_and_repeats_itself() {
        let e = random_units(300, 16, 11);
        let groups: Vec<usize> = (0..300).map(|i| i / 10).collect();
        let pool: Vec<usize> = (0..300).collect();
        let exact = nearest_exact(&e, &pool, &groups, 5);
        let config = HnswConfig::default();
        let approx = nearest_hnsw(&e, &pool, &groups, 5, &config);
        let rows = |l: &Vec<Vec<Neighbour>>| -> Vec<Vec<usize>> {
            l.iter()
                .map(|x| x.iter().map(|n| n.row).collect())
                .collect()
        };
        // 300 points and ef 64: the graph search is all but exhaustive.
        let found: usize = rows(&exact)
            .iter()
            .zip(rows(&approx))
            .map(|(x, y)| x.iter().filter(|r| y.contains(r)).count())
            .sum();
        assert!(found as f64 >= 0.98 * (300 * 5) as f64, "{found} of 1500");
        for (p, list) in pool.iter().zip(&approx) {
            assert!(list.iter().all(|n| groups[n.row] != groups[*p]));
        }
        assert_eq!(
            rows(&approx),
            rows(&nearest_hnsw(&e, &pool, &groups, 5, &config))
        );
    }

    #[test]
    fn a_pool_of_one_group_has_no_neighbours() {
        let e = Embeddings {
            dim: 2,
            values: vec![1.0, 0.0, 0.0, 1.0],
        };
        assert!(nearest(&e, &[0, 1], &[3, 3], 2).iter().all(Vec::is_empty));
    }
}
