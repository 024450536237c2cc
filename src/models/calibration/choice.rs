//! Which path a stage runs by default: the fastest measured path whose numbers stay within
//! bounds of fp32's. Pure: measured seconds and accuracy in, a choice and its reason out.

use serde::{Deserialize, Serialize};

use crate::models::Precision;

/// A path's embeddings must keep at least this cosine to the fp32 vector of every
/// calibration sentence.
pub const MIN_COSINE: f64 = 0.999;
/// A path may change at most this share of the accuracy set's verdicts (issue 24's bound for
/// the development drops: at most 1 %); every change is named in the path's reason.
pub const MAX_VERDICT_CHANGES: f64 = 0.01;
/// A path other than fp32 is chosen only when fp32 takes at least this many times its
/// seconds: a smaller difference is within the noise of a few seconds' measurement on a
/// shared machine, and fp32 gives the reference numbers.
pub const MIN_SPEEDUP: f64 = 1.05;

/// How a path's numbers compare with fp32's on the calibration workload.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Accuracy {
    /// fp32 itself: the reference numbers.
    Reference,
    /// Embeddings: the lowest cosine between a sentence's vector and its fp32 vector.
    Embed {
        /// The lowest cosine over the calibration sentences.
        min_cosine: f64,
    },
    /// NLI: how many pairs' verdicts (both directions decided together) differ from fp32's.
    Nli {
        /// Pairs whose verdict label is not fp32's.
        verdict_changes: usize,
        /// Pairs judged.
        pairs: usize,
    },
}

impl Accuracy {
    /// Why a path with this accuracy may not be chosen by default; `None` when it is within
    /// bounds (a cosine of at least [`MIN_COSINE`], at most [`MAX_VERDICT_CHANGES`] of the
    /// verdicts changed).
    pub fn out_of_bounds(&self) -> Option<String> {
        match *self {
            Accuracy::Reference => None,
            Accuracy::Embed { min_cosine } if min_cosine < MIN_COSINE => Some(format!(
                "an embedding's cosine to fp32 fell to {min_cosine:.5} (bound {MIN_COSINE})"
            )),
            Accuracy::Nli {
                verdict_changes,
                pairs,
            } if verdict_changes as f64 > MAX_VERDICT_CHANGES * pairs as f64 => Some(format!(
                "{verdict_changes} of {pairs} calibration verdicts differ from fp32's (bound {:.0} %)",
                MAX_VERDICT_CHANGES * 100.0
            )),
            Accuracy::Embed { .. } | Accuracy::Nli { .. } => None,
        }
    }
}

impl Accuracy {
    /// What a path within bounds still changed, for its reason ("1 of 128 calibration
    /// verdicts differ from fp32's, within 1 %"): a changed verdict is never chosen silently.
    pub fn changes(&self) -> Option<String> {
        match *self {
            Accuracy::Nli {
                verdict_changes,
                pairs,
            } if verdict_changes > 0 && self.out_of_bounds().is_none() => Some(format!(
                "{verdict_changes} of {pairs} calibration verdicts differ from fp32's, within {:.0} %",
                MAX_VERDICT_CHANGES * 100.0
            )),
            _ => None,
        }
    }
}

/// One path measured on one stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// The path.
    pub precision: Precision,
    /// Median seconds of the stage on the calibration workload.
    pub seconds: f64,
    /// Its numbers against fp32's.
    pub accuracy: Accuracy,
}

/// The path chosen for one stage, with a sentence saying why.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The path the stage runs.
    pub precision: Precision,
    /// Why, from the figures: "bf16 1.83x faster than fp32", "fp32 (bf16 0.52x as fast)",
    /// "fp32 (bf16 1.60x faster but not eligible: ...)".
    pub why: String,
}

/// The fastest path within bounds, fp32 unless another is at least [`MIN_SPEEDUP`] times
/// faster. Paths out of bounds are never chosen, and the reason names each one that was
/// faster than the choice, so that a refused path is never dropped silently.
pub fn choose(measured: &[Measured]) -> Choice {
    let Some(reference) = measured.iter().find(|m| m.accuracy == Accuracy::Reference) else {
        return Choice {
            precision: Precision::Fp32,
            why: "fp32 (no fp32 reference was measured)".into(),
        };
    };
    let speedup = |m: &Measured| reference.seconds / m.seconds.max(1e-9);
    let mut others: Vec<&Measured> = measured
        .iter()
        .filter(|m| m.accuracy != Accuracy::Reference)
        .collect();
    others.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let best = others
        .iter()
        .find(|m| m.accuracy.out_of_bounds().is_none() && speedup(m) >= MIN_SPEEDUP);
    let chosen = best.map_or(reference, |m| *m);
    let mut notes: Vec<String> = others
        .iter()
        .filter(|m| m.precision != chosen.precision)
        .map(|m| match m.accuracy.out_of_bounds() {
            Some(why) if m.seconds < chosen.seconds => format!(
                "{} {:.2}x faster than fp32 but not eligible: {why}",
                m.precision,
                speedup(m)
            ),
            _ if chosen.precision == Precision::Fp32 && speedup(m) >= 1.0 => format!(
                "{} {:.2}x: within the {:.0} % noise margin",
                m.precision,
                speedup(m),
                (MIN_SPEEDUP - 1.0) * 100.0
            ),
            _ => format!("{} {:.2}x as fast as fp32", m.precision, speedup(m)),
        })
        .collect();
    let why = match best {
        Some(m) => match m.accuracy.changes() {
            Some(changes) => format!(
                "{} {:.2}x faster than fp32; {changes}",
                m.precision,
                speedup(m)
            ),
            None => format!("{} {:.2}x faster than fp32", m.precision, speedup(m)),
        },
        None if notes.is_empty() => "fp32 (no other path measured)".to_string(),
        None => {
            let why = format!("fp32 ({})", notes.join("; "));
            notes.clear();
            why
        }
    };
    let why = if notes.is_empty() {
        why
    } else {
        format!("{why} ({})", notes.join("; "))
    };
    Choice {
        precision: chosen.precision,
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp32(seconds: f64) -> Measured {
        Measured {
            precision: Precision::Fp32,
            seconds,
            accuracy: Accuracy::Reference,
        }
    }

    fn bf16(seconds: f64, accuracy: Accuracy) -> Measured {
        Measured {
            precision: Precision::Bf16,
            seconds,
            accuracy,
        }
    }

    const CLOSE: Accuracy = Accuracy::Embed { min_cosine: 0.9999 };

    #[test]
    fn the_faster_path_within_bounds_is_chosen() {
        let choice = choose(&[fp32(2.0), bf16(1.0, CLOSE)]);
        assert_eq!(choice.precision, Precision::Bf16);
        assert_eq!(choice.why, "bf16 2.00x faster than fp32");
    }

    #[test]
    fn fp32_stays_when_it_is_faster_or_within_the_noise_margin() {
        let slower = choose(&[fp32(1.0), bf16(2.0, CLOSE)]);
        assert_eq!(slower.precision, Precision::Fp32);
        assert_eq!(slower.why, "fp32 (bf16 0.50x as fast as fp32)");
        let close = choose(&[bf16(0.98, CLOSE), fp32(1.0)]);
        assert_eq!(close.precision, Precision::Fp32);
        assert!(close.why.contains("noise margin"), "{}", close.why);
    }

    #[test]
    fn a_path_that_changes_more_than_one_percent_of_verdicts_is_refused_and_named() {
        let changed = Accuracy::Nli {
            verdict_changes: 1,
            pairs: 16,
        };
        let choice = choose(&[fp32(2.0), bf16(1.0, changed)]);
        assert_eq!(choice.precision, Precision::Fp32);
        assert_eq!(
            choice.why,
            "fp32 (bf16 2.00x faster than fp32 but not eligible: 1 of 16 calibration \
             verdicts differ from fp32's (bound 1 %))"
        );
        // One change in 128 is within the 1 % bound, and the reason says so.
        let one_in_128 = Accuracy::Nli {
            verdict_changes: 1,
            pairs: 128,
        };
        let choice = choose(&[fp32(2.0), bf16(1.0, one_in_128)]);
        assert_eq!(choice.precision, Precision::Bf16);
        assert_eq!(
            choice.why,
            "bf16 2.00x faster than fp32; 1 of 128 calibration verdicts differ from fp32's, \
             within 1 %"
        );
        let two_in_128 = Accuracy::Nli {
            verdict_changes: 2,
            pairs: 128,
        };
        assert_eq!(
            choose(&[fp32(2.0), bf16(1.0, two_in_128)]).precision,
            Precision::Fp32
        );
        let same = Accuracy::Nli {
            verdict_changes: 0,
            pairs: 16,
        };
        assert_eq!(
            choose(&[fp32(2.0), bf16(1.0, same)]).precision,
            Precision::Bf16
        );
    }

    #[test]
    fn embeddings_below_the_cosine_bound_are_refused() {
        let far = Accuracy::Embed { min_cosine: 0.998 };
        let choice = choose(&[fp32(2.0), bf16(1.0, far)]);
        assert_eq!(choice.precision, Precision::Fp32);
        assert!(choice.why.contains("0.99800"), "{}", choice.why);
    }

    #[test]
    fn without_a_reference_fp32_is_kept() {
        assert_eq!(choose(&[bf16(1.0, CLOSE)]).precision, Precision::Fp32);
        assert_eq!(choose(&[fp32(1.0)]).why, "fp32 (no other path measured)");
    }
}
