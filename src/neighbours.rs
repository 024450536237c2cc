//! Nearest neighbours over a drop's unit vectors: for each row of a pool, its `k` most similar
//! rows of the same pool that belong to another group (another article). Pairing and the fact
//! table take their candidates from here, a bounded number per row over the whole drop, so the
//! candidates grow linearly with the drop while the similarities are computed as blocked matrix
//! products (one GEMM per block of [`BLOCK_ROWS`] rows), never as scalar loops.
//!
//! ```
//! use crosscheck::embed::Embeddings;
//! use crosscheck::neighbours::nearest;
//! let e = Embeddings { dim: 2, values: vec![1.0, 0.0, 0.6, 0.8, 0.0, 1.0] };
//! let lists = nearest(&e, &[0, 1, 2], &[0, 1, 2], 1);
//! assert_eq!(lists[0][0].row, 1);
//! ```

use tch::{Kind, Tensor};

use crate::embed::Embeddings;

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
/// first, ties by row. The result is parallel to `pool`.
pub fn nearest(
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
            list.sort_by(|x, y| {
                y.similarity
                    .total_cmp(&x.similarity)
                    .then(x.row.cmp(&y.row))
            });
            list.truncate(k);
            out.push(list);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn neighbours_match_a_scalar_search_and_skip_the_own_group() {
        // 40 pseudo-random vectors in 8 dimensions, 5 groups.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let values: Vec<f32> = (0..40)
            .flat_map(|_| unit(&(0..8).map(|_| next()).collect::<Vec<_>>()))
            .collect();
        let e = Embeddings { dim: 8, values };
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
    fn a_pool_of_one_group_has_no_neighbours() {
        let e = Embeddings {
            dim: 2,
            values: vec![1.0, 0.0, 0.0, 1.0],
        };
        assert!(nearest(&e, &[0, 1], &[3, 3], 2).iter().all(Vec::is_empty));
    }
}
