//! The default precision of the model stages, chosen by measurement. On first use on a
//! machine (keyed by CPU model, threads and libtorch build: [`record::MachineKey`]) every
//! available path (fp32, and bf16 where the CPU has bf16 instructions) embeds and judges a
//! small fixed workload built into the binary (16 pairs of the NLI dev set, both ways, and
//! their 32 sentences), interleaved, median of 3 rounds, and is checked once against fp32 on
//! 128 more pairs of that set and their sentences; the result is kept in the model
//! folder's cache ([`record::Calibration`]) and each stage runs the fastest path whose numbers
//! stay within bounds of fp32's ([`choice::choose`]). `--precision` overrides the choice.
//!
//! ```no_run
//! use crosscheck::io::progress::Progress;
//! use crosscheck::models::{calibration, ModelDir};
//! let models = ModelDir::new(ModelDir::default_location());
//! let paths = calibration::measured_paths(&models, &Progress { quiet: true })?;
//! println!("embed in {}: {}", paths.embed.precision, paths.embed.why);
//! # Ok::<(), calibration::CalibrationError>(())
//! ```

pub mod choice;
pub mod record;

use std::time::Instant;

use indicatif::ProgressBar;
use serde::Serialize;

use self::choice::{choose, Accuracy, Measured};
use self::record::{Calibration, MachineKey};
use crate::io::progress::Progress;
use crate::judging::nli::{NliConfig, NliModel};
use crate::judging::verdict::{decide, VerdictConfig};
use crate::matching::embed::{EmbedConfig, Embedder, Embeddings};
use crate::models::{ModelDir, ModelError, Precision};

/// The calibration workload: one pair a line, premise and hypothesis first (then the gold
/// label and the language, for the reader); `#` lines are comments.
const WORKLOAD: &str = include_str!("pairs.tsv");
/// Timed rounds per path; each stage's seconds are the median.
const ROUNDS: usize = 3;

/// Why the paths could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    /// A model file is missing or damaged.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A model failed on the workload.
    #[error("measuring the precision paths on this CPU: {0:#}; pass --precision fp32 to run without the measurement")]
    Inference(anyhow::Error),
}

/// The path one stage runs, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StagePath {
    /// The number format.
    pub precision: Precision,
    /// Why this one: "chosen by --precision", "measured: bf16 1.83x faster than fp32 on ...".
    pub why: String,
}

/// The paths of the two model stages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paths {
    /// The embed stage's.
    pub embed: StagePath,
    /// The NLI stage's.
    pub nli: StagePath,
}

impl Paths {
    /// Both stages in `precision`, for the reason `why` (a flag, a caller's setting).
    pub fn given(precision: Precision, why: &str) -> Paths {
        let path = StagePath {
            precision,
            why: why.to_string(),
        };
        Paths {
            embed: path.clone(),
            nli: path,
        }
    }

    /// Why each stage runs its path, for the run's record.
    pub fn reasons(&self) -> Reasons {
        Reasons {
            embed: self.embed.why.clone(),
            nli: self.nli.why.clone(),
        }
    }
}

/// Why each model stage of a run computes in its precision (run.json, `--timings`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reasons {
    /// The embed stage's reason.
    pub embed: String,
    /// The NLI stage's reason.
    pub nli: String,
}

impl Default for Reasons {
    fn default() -> Self {
        let why = "set by the caller (the library's default is fp32)".to_string();
        Reasons {
            embed: why.clone(),
            nli: why,
        }
    }
}

/// The accuracy set: 128 pairs of the NLI dev set, judged once by each path (not timed), so
/// that a verdict bound of 1 % can be told from one unlucky pair.
const ACCURACY: &str = include_str!("accuracy.tsv");

/// The calibration pairs (premise, hypothesis) that are timed.
pub fn workload() -> Vec<(&'static str, &'static str)> {
    pairs_of(WORKLOAD)
}

/// The pairs (premise, hypothesis) whose verdicts and sentences each path is checked on.
pub fn accuracy_set() -> Vec<(&'static str, &'static str)> {
    pairs_of(ACCURACY)
}

/// The pairs of a built-in table: one a line, premise and hypothesis first; `#` comments.
fn pairs_of(table: &'static str) -> Vec<(&'static str, &'static str)> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut fields = l.split('\t');
            Some((fields.next()?, fields.next()?))
        })
        .collect()
}

/// The paths this CPU offers: fp32, and bf16 where /proc/cpuinfo lists bf16 instructions
/// (without them libtorch emulates bf16 far below the fp32 rate, so it is not measured).
pub fn available() -> Vec<Precision> {
    if Precision::cpu_has_bf16() {
        vec![Precision::Fp32, Precision::Bf16]
    } else {
        vec![Precision::Fp32]
    }
}

/// The two models of one path.
struct Loaded {
    precision: Precision,
    embedder: Embedder,
    nli: NliModel,
}

/// One path's outputs on the workload: the embeddings and the verdict label of each pair.
struct Outputs {
    embeddings: Embeddings,
    verdicts: Vec<crate::domain::Label>,
}

/// Measures `paths` on the workload with the models of `models` (loaded afresh, so that the
/// caller's process keeps only the kind it then uses): per stage, the median seconds of
/// [`ROUNDS`] interleaved rounds after a warm-up, and each path's numbers against fp32's.
/// `paths` must include fp32, the reference.
pub fn measure(models: &ModelDir, paths: &[Precision]) -> Result<Calibration, CalibrationError> {
    let models = ModelDir::new(models.root());
    let pairs = workload();
    let texts: Vec<&str> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    let hidden = ProgressBar::hidden();
    let loaded = paths
        .iter()
        .map(|&precision| {
            let embed = EmbedConfig {
                precision,
                ..EmbedConfig::default()
            };
            let nli = NliConfig {
                precision,
                ..NliConfig::default()
            };
            Ok(Loaded {
                precision,
                embedder: Embedder::new(&models, embed).map_err(inference)?,
                nli: NliModel::new(&models, None, nli).map_err(inference)?,
            })
        })
        .collect::<Result<Vec<_>, CalibrationError>>()?;
    for path in &loaded {
        path.embedder
            .embed(&texts[..4], &hidden)
            .map_err(inference)?;
        path.nli
            .predict_both_ways(&pairs[..2], &hidden)
            .map_err(inference)?;
    }
    let verdict = VerdictConfig::default();
    let mut seconds = vec![(Vec::new(), Vec::new()); loaded.len()];
    let mut outputs: Vec<Outputs> = Vec::new();
    for _ in 0..ROUNDS {
        for (path, (embed_s, nli_s)) in loaded.iter().zip(seconds.iter_mut()) {
            let start = Instant::now();
            path.embedder.embed(&texts, &hidden).map_err(inference)?;
            embed_s.push(start.elapsed().as_secs_f64());
            let start = Instant::now();
            path.nli
                .predict_both_ways(&pairs, &hidden)
                .map_err(inference)?;
            nli_s.push(start.elapsed().as_secs_f64());
        }
    }
    // The numbers of each path on the accuracy set, once (not timed).
    let checked = accuracy_set();
    let checked_texts: Vec<&str> = checked.iter().flat_map(|&(a, b)| [a, b]).collect();
    for path in &loaded {
        let embeddings = path
            .embedder
            .embed(&checked_texts, &hidden)
            .map_err(inference)?;
        let verdicts = path
            .nli
            .predict_both_ways(&checked, &hidden)
            .map_err(inference)?
            .iter()
            .map(|(ab, ba)| decide(ab, ba, &verdict).label)
            .collect();
        outputs.push(Outputs {
            embeddings,
            verdicts,
        });
    }
    let reference = loaded
        .iter()
        .position(|p| p.precision == Precision::Fp32)
        .expect("fp32 is among the measured paths");
    let mut calibration = Calibration {
        key: MachineKey::current(),
        sentences: texts.len(),
        pairs: pairs.len(),
        embed: Vec::new(),
        nli: Vec::new(),
    };
    for (i, path) in loaded.iter().enumerate() {
        let (embed_s, nli_s) = &seconds[i];
        let (ours, fp32) = (&outputs[i], &outputs[reference]);
        let (embed_accuracy, nli_accuracy) = if i == reference {
            (Accuracy::Reference, Accuracy::Reference)
        } else {
            let min_cosine = (0..fp32.embeddings.len())
                .map(|row| {
                    let dot: f32 = ours
                        .embeddings
                        .row(row)
                        .iter()
                        .zip(fp32.embeddings.row(row))
                        .map(|(a, b)| a * b)
                        .sum();
                    f64::from(dot)
                })
                .fold(1.0, f64::min);
            let verdict_changes = ours
                .verdicts
                .iter()
                .zip(&fp32.verdicts)
                .filter(|(a, b)| a != b)
                .count();
            (
                Accuracy::Embed { min_cosine },
                Accuracy::Nli {
                    verdict_changes,
                    pairs: checked.len(),
                },
            )
        };
        calibration.embed.push(Measured {
            precision: path.precision,
            seconds: median(embed_s),
            accuracy: embed_accuracy,
        });
        calibration.nli.push(Measured {
            precision: path.precision,
            seconds: median(nli_s),
            accuracy: nli_accuracy,
        });
    }
    Ok(calibration)
}

/// A model's failure on the workload: a missing or damaged model file stays that typed error
/// (its message names the file and the fix), anything else is an inference failure.
fn inference(e: anyhow::Error) -> CalibrationError {
    match e.downcast::<ModelError>() {
        Ok(model) => CalibrationError::Model(model),
        Err(e) => CalibrationError::Inference(e),
    }
}

/// The middle value (the upper one of an even count).
fn median(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The default paths of this machine: where the CPU offers fp32 alone, fp32; otherwise the
/// choice over the measurement kept in the model folder's cache for this machine's key,
/// measured now (a few seconds, under a spinner) and cached when there is none. A cache that
/// cannot be written (a read-only model folder) only means measuring again next time.
pub fn measured_paths(models: &ModelDir, progress: &Progress) -> Result<Paths, CalibrationError> {
    let paths = available();
    if paths.len() == 1 {
        return Ok(Paths::given(
            Precision::Fp32,
            "fp32, the only path: the CPU lists no bf16 instructions (avx512_bf16, amx_bf16)",
        ));
    }
    let key = MachineKey::current();
    let file = key.file_in(models.root());
    let (calibration, kept) = match Calibration::read(&file, &key) {
        Some(calibration) => (calibration, format!("cached in {}", file.display())),
        None => {
            let names: Vec<&str> = paths.iter().map(|p| p.name()).collect();
            let spinner = progress.spinner(&format!(
                "measuring {} on this CPU (once per machine)",
                names.join(" and ")
            ));
            let calibration = measure(models, &paths);
            spinner.finish_and_clear();
            let calibration = calibration?;
            let kept = match calibration.write(&file) {
                Ok(()) => format!("measured now, cached in {}", file.display()),
                Err(e) => format!("measured now, not cached ({e})"),
            };
            (calibration, kept)
        }
    };
    let on = format!(
        "on {} with {} threads (libtorch {}), {} sentences and {} pairs both ways, median of {ROUNDS}; {kept}",
        key.cpu, key.threads, key.libtorch, calibration.sentences, calibration.pairs
    );
    let stage = |measured: &[Measured]| {
        let choice = choose(measured);
        StagePath {
            precision: choice.precision,
            why: format!("measured: {} {on}", choice.why),
        }
    };
    Ok(Paths {
        embed: stage(&calibration.embed),
        nli: stage(&calibration.nli),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_has_sixteen_distinct_pairs() {
        let pairs = workload();
        assert_eq!(pairs.len(), 16);
        let distinct: std::collections::BTreeSet<_> = pairs.iter().collect();
        assert_eq!(distinct.len(), 16);
        assert!(pairs.iter().all(|(a, b)| !a.is_empty() && !b.is_empty()));
    }

    #[test]
    fn the_accuracy_set_has_128_distinct_pairs_apart_from_the_timed_ones() {
        let pairs = accuracy_set();
        assert_eq!(pairs.len(), 128);
        let distinct: std::collections::BTreeSet<_> = pairs.iter().collect();
        assert_eq!(distinct.len(), 128);
        // One changed verdict is within the 1 % bound, two are not.
        assert!(1.0 <= choice::MAX_VERDICT_CHANGES * pairs.len() as f64);
        assert!(2.0 > choice::MAX_VERDICT_CHANGES * pairs.len() as f64);
        let timed: std::collections::BTreeSet<_> = workload().into_iter().collect();
        assert!(pairs.iter().all(|p| !timed.contains(p)));
    }

    #[test]
    fn fp32_is_always_available_and_first() {
        assert_eq!(available()[0], Precision::Fp32);
    }
}
