//! Length-sorted batching with dynamic padding, shared by the embedder and the NLI model:
//! sorting by token count keeps padding (wasted compute) small, and each batch is padded only
//! to its own longest sequence.

use tch::{Device, Tensor};

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
