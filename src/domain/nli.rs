//! What an NLI model says about one ordered pair of texts.

/// The three NLI classes, in the order every model's logits are arranged in crosscheck (an
/// imported checkpoint's columns are permuted into it).
pub const NLI_LABELS: [&str; 3] = ["entailment", "neutral", "contradiction"];

/// The model's belief about one ordered pair (premise => hypothesis); the three sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Probabilities {
    /// The premise implies the hypothesis.
    pub entailment: f32,
    /// Neither implies nor contradicts.
    pub neutral: f32,
    /// The premise contradicts the hypothesis.
    pub contradiction: f32,
}

impl Probabilities {
    /// From a row of softmax output in [`NLI_LABELS`] order.
    pub fn from_row(row: &[f32]) -> Self {
        Probabilities {
            entailment: row[0],
            neutral: row[1],
            contradiction: row[2],
        }
    }

    /// Index of the most probable class in [`NLI_LABELS`].
    pub fn argmax(&self) -> usize {
        let v = [self.entailment, self.neutral, self.contradiction];
        (0..3).fold(0, |best, i| if v[i] > v[best] { i } else { best })
    }
}
