//! Length-sorted batching with dynamic padding, shared by the embedder and the NLI model:
//! sorting by token count keeps padding (wasted compute) small, and each batch is padded only
//! to its own longest sequence. Batches are cut by a budget of padded tokens (rows × longest
//! row) as well as rows, so that short inputs run many to a batch and long ones few; inputs are
//! tokenised a batch's worth at a time, and identical inputs are computed once.
//!
//! ```
//! use crosscheck::models::batch::{budget_batches, longest_first, BatchLimits, Tokens};
//! let lengths = [3, 9, 4, 8];
//! let order = longest_first(&lengths);
//! assert_eq!(order, [1, 3, 2, 0]);
//! let tokens = |i: usize| Tokens { ids: vec![1; lengths[i]], type_ids: vec![0; lengths[i]] };
//! let mut batches = Vec::new();
//! budget_batches::<()>(
//!     &order,
//!     BatchLimits { rows: 4, tokens: 18 },
//!     |items| Ok(items.iter().map(|&i| vec![tokens(i)]).collect()),
//!     |batch| Ok(batches.push(batch.iter().map(|(i, _)| *i).collect::<Vec<_>>())),
//! )?;
//! // Two rows of up to 9 tokens fill the budget of 18 padded tokens; the short ones share one.
//! assert_eq!(batches, [vec![1, 3], vec![2, 0]]);
//! # Ok::<(), ()>(())
//! ```

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use tch::{Device, Tensor};

/// How large one forward pass may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// At most this many rows (sequences).
    pub rows: usize,
    /// At most this many padded tokens (rows × the longest row's tokens); a single item longer
    /// than this still runs, alone.
    pub tokens: usize,
}

/// The distinct values of `items` in first-seen order, and for each item the index of its
/// value among them: identical inputs are then computed once.
pub fn unique<T: Eq + Hash + Copy>(items: &[T]) -> (Vec<T>, Vec<usize>) {
    let mut index: HashMap<T, usize> = HashMap::with_capacity(items.len());
    let mut values = Vec::new();
    let slots = items
        .iter()
        .map(|&item| {
            *index.entry(item).or_insert_with(|| {
                values.push(item);
                values.len() - 1
            })
        })
        .collect();
    (values, slots)
}

/// Indices of `lengths`, longest first; ties keep input order.
pub fn longest_first(lengths: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    order
}

/// Runs `run` on batches of items within `limits`. Items are taken in `order` (longest
/// first by a cheap estimate such as characters) and tokenised by `tokenise` a batch's worth
/// (`limits.rows` items) at a time, each into one or more rows that stay in one batch (the
/// two directions of an NLI pair). The tokenised items waiting are kept longest first by
/// tokens, and each batch takes them from the front while the rows and the padded tokens
/// stay within the limits. `run` receives each item's index and rows.
pub fn budget_batches<E>(
    order: &[usize],
    limits: BatchLimits,
    mut tokenise: impl FnMut(&[usize]) -> Result<Vec<Vec<Tokens>>, E>,
    mut run: impl FnMut(&[(usize, Vec<Tokens>)]) -> Result<(), E>,
) -> Result<(), E> {
    let max_rows = limits.rows.max(1);
    let longest = |rows: &[Tokens]| rows.iter().map(Tokens::len).max().unwrap_or(0);
    let mut waiting: VecDeque<(usize, Vec<Tokens>)> = VecDeque::new();
    let mut waiting_rows = 0;
    let mut next = 0;
    loop {
        if waiting_rows < max_rows && next < order.len() {
            let chunk = &order[next..(next + max_rows).min(order.len())];
            next += chunk.len();
            for (&item, rows) in chunk.iter().zip(tokenise(chunk)?) {
                waiting_rows += rows.len();
                waiting.push_back((item, rows));
            }
            waiting
                .make_contiguous()
                .sort_by_key(|(_, rows)| std::cmp::Reverse(longest(rows)));
        }
        let Some((_, first)) = waiting.front() else {
            break;
        };
        let width = longest(first);
        let mut batch = Vec::new();
        let mut rows = 0;
        while let Some((_, next_rows)) = waiting.front() {
            let after = rows + next_rows.len();
            if !batch.is_empty() && (after > max_rows || after * width > limits.tokens) {
                break;
            }
            rows = after;
            batch.push(waiting.pop_front().expect("front exists"));
        }
        waiting_rows -= rows;
        run(&batch)?;
    }
    Ok(())
}

/// Groups item indices into batches of at most `batch_size`, longest items first, so that the
/// most memory-hungry batch runs first and items of similar length share a batch. Ties keep
/// input order, which keeps results deterministic.
pub fn length_sorted_batches(lengths: &[usize], batch_size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    order
        .chunks(batch_size.max(1))
        .map(<[usize]>::to_vec)
        .collect()
}

/// One tokenised input: token ids and segment (token type) ids of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Tokens {
    /// Vocabulary ids, special tokens included.
    pub ids: Vec<u32>,
    /// Segment of each token (0 for the first text, 1 for the second where the tokenizer
    /// marks it so).
    pub type_ids: Vec<u32>,
}

impl Tokens {
    /// Takes the first `max` tokens of a tokenizer encoding.
    pub fn from_encoding(encoding: &tokenizers::Encoding, max: usize) -> Self {
        let n = encoding.get_ids().len().min(max);
        Tokens {
            ids: encoding.get_ids()[..n].to_vec(),
            type_ids: encoding.get_type_ids()[..n].to_vec(),
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Token ids, attention mask and token type ids of one padded batch, all `[batch, longest]`
/// int64.
pub struct PaddedBatch {
    /// Token ids, padded with the tokenizer's pad id.
    pub ids: Tensor,
    /// 1 for real tokens, 0 for padding.
    pub mask: Tensor,
    /// Segment ids, padded with 0.
    pub type_ids: Tensor,
}

/// Pads `sequences` to the longest one with `pad_id`.
pub fn pad(sequences: &[&Tokens], pad_id: u32, device: Device) -> PaddedBatch {
    let longest = sequences.iter().map(|s| s.len()).max().unwrap_or(0);
    let cells = sequences.len() * longest;
    let (mut ids, mut mask, mut type_ids) = (
        Vec::with_capacity(cells),
        Vec::with_capacity(cells),
        Vec::with_capacity(cells),
    );
    for seq in sequences {
        let padding = longest - seq.len();
        ids.extend(seq.ids.iter().map(|&t| i64::from(t)));
        ids.extend(std::iter::repeat_n(i64::from(pad_id), padding));
        mask.extend(std::iter::repeat_n(1i64, seq.len()));
        mask.extend(std::iter::repeat_n(0i64, padding));
        type_ids.extend(seq.type_ids.iter().map(|&t| i64::from(t)));
        type_ids.extend(std::iter::repeat_n(0i64, padding));
    }
    let shape = [sequences.len() as i64, longest as i64];
    let tensor = |v: &[i64]| Tensor::from_slice(v).reshape(shape).to_device(device);
    PaddedBatch {
        ids: tensor(&ids),
        mask: tensor(&mask),
        type_ids: tensor(&type_ids),
    }
}

/// Mean of the hidden states over the real (unmasked) tokens: `[batch, seq, hidden]` and
/// `[batch, seq]` give `[batch, hidden]`.
pub fn masked_mean(hidden: &Tensor, mask: &Tensor) -> Tensor {
    let mask = mask.unsqueeze(-1).to_kind(hidden.kind());
    let summed = (hidden * &mask).sum_dim_intlist([1i64].as_slice(), false, hidden.kind());
    let counts = mask
        .sum_dim_intlist([1i64].as_slice(), false, hidden.kind())
        .clamp_min(1.0);
    summed / counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_longest_first_and_stable() {
        let batches = length_sorted_batches(&[3, 9, 3, 5, 9], 2);
        assert_eq!(batches, vec![vec![1, 4], vec![3, 0], vec![2]]);
    }

    fn tokens(len: usize) -> Tokens {
        Tokens {
            ids: vec![7; len],
            type_ids: vec![0; len],
        }
    }

    #[test]
    fn identical_items_share_a_slot() {
        let (values, slots) = unique(&["a", "b", "a", "c", "b"]);
        assert_eq!(values, vec!["a", "b", "c"]);
        assert_eq!(slots, vec![0, 1, 0, 2, 1]);
    }

    #[test]
    fn budget_batches_respect_rows_and_padded_tokens_and_keep_groups_whole() {
        // Item i has two rows of length lengths[i]; 2 * 3 rows of 40 tokens = 240 > 200.
        let lengths = [40usize, 5, 30, 40, 12, 3, 7, 100, 1, 9, 8];
        let order = longest_first(&lengths);
        let limits = BatchLimits {
            rows: 6,
            tokens: 200,
        };
        let mut chunks = Vec::new();
        let mut batches: Vec<Vec<usize>> = Vec::new();
        budget_batches::<()>(
            &order,
            limits,
            |items| {
                chunks.push(items.len());
                Ok(items
                    .iter()
                    .map(|&i| vec![tokens(lengths[i]), tokens(lengths[i])])
                    .collect())
            },
            |batch| {
                let rows: usize = batch.iter().map(|(_, r)| r.len()).sum();
                let width = batch.iter().map(|(i, _)| lengths[*i]).max().unwrap();
                assert!(batch.iter().all(|(_, r)| r.len() == 2), "groups stay whole");
                assert!(batch.len() == 1 || (rows <= 6 && rows * width <= 200));
                batches.push(batch.iter().map(|(i, _)| *i).collect());
                Ok(())
            },
        )
        .unwrap();
        assert!(
            chunks.iter().all(|&c| c <= 6),
            "tokenised a batch at a time"
        );
        let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
        // The 100-token item runs alone (over budget), first; the two 40s share a batch.
        assert_eq!(batches[0], vec![7]);
        assert_eq!(batches[1], vec![0, 3]);
    }

    #[test]
    fn padding_fills_ids_and_mask() {
        let a = Tokens {
            ids: vec![5, 6, 7],
            type_ids: vec![0, 1, 1],
        };
        let b = Tokens {
            ids: vec![8],
            type_ids: vec![0],
        };
        let batch = pad(&[&a, &b], 1, Device::Cpu);
        assert_eq!(
            Vec::<i64>::try_from(batch.type_ids.flatten(0, -1)).unwrap(),
            vec![0, 1, 1, 0, 0, 0]
        );
        assert_eq!(
            Vec::<i64>::try_from(batch.ids.flatten(0, -1)).unwrap(),
            vec![5, 6, 7, 8, 1, 1]
        );
        assert_eq!(
            Vec::<i64>::try_from(batch.mask.flatten(0, -1)).unwrap(),
            vec![1, 1, 1, 1, 0, 0]
        );
    }

    #[test]
    fn mean_ignores_padding() {
        let hidden = Tensor::from_slice(&[1f32, 3., 100.]).reshape([1, 3, 1]);
        let mask = Tensor::from_slice(&[1i64, 1, 0]).reshape([1, 2 + 1]);
        let mean = masked_mean(&hidden, &mask);
        assert_eq!(f32::try_from(mean.flatten(0, -1)).unwrap(), 2.0);
    }
}
