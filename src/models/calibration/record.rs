//! The measured paths of one machine, kept with the model caches: what the measurement is
//! keyed by (CPU model, threads, libtorch build, workload version) and its JSON file,
//! `<model folder>/cache/paths-<hash of the key>.json`, written atomically.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::choice::Measured;
use crate::io::{sha256_hex, write_atomically, WriteError};

/// Version of the calibration workload and of its measurement: a change to either makes
/// every machine measure again.
pub const WORKLOAD_VERSION: u32 = 2;
/// The folder of the model caches inside the model folder (beside `verified.tsv`).
pub const CACHE_FOLDER: &str = "cache";

/// What a measurement holds for: the same CPU, thread count, libtorch build and workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineKey {
    /// The CPU's model name (`model name` of /proc/cpuinfo, as `lscpu` prints it).
    pub cpu: String,
    /// The threads libtorch computes with.
    pub threads: i32,
    /// The libtorch version the binary was built against.
    pub libtorch: String,
    /// [`WORKLOAD_VERSION`].
    pub workload: u32,
}

impl MachineKey {
    /// The key of this process: its CPU, libtorch's thread count now, the linked libtorch.
    pub fn current() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        MachineKey {
            cpu: cpu_model(&cpuinfo).unwrap_or_else(|| "an unknown CPU".into()),
            threads: tch::get_num_threads(),
            libtorch: env!("CROSSCHECK_LIBTORCH_VERSION").into(),
            workload: WORKLOAD_VERSION,
        }
    }

    /// The file of this key inside `model_folder`: `cache/paths-<12 hex digits>.json`, the
    /// digits from the sha256 of the key, so that each machine and setting has its own file.
    pub fn file_in(&self, model_folder: &Path) -> PathBuf {
        let json = serde_json::to_string(self).expect("a key serialises");
        let hash = sha256_hex(json.as_bytes());
        model_folder
            .join(CACHE_FOLDER)
            .join(format!("paths-{}.json", &hash[..12]))
    }
}

/// The first `model name` of a /proc/cpuinfo text.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == "model name")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// One machine's measurement: the key, the workload's size, each stage's measured paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// What it holds for.
    pub key: MachineKey,
    /// Calibration sentences embedded.
    pub sentences: usize,
    /// Calibration pairs judged, both ways.
    pub pairs: usize,
    /// The embed stage's paths.
    pub embed: Vec<Measured>,
    /// The NLI stage's paths.
    pub nli: Vec<Measured>,
}

impl Calibration {
    /// The measurement stored in `path` when it is there, readable and made under `key`
    /// (`None` otherwise: a missing, damaged or foreign file is measured again).
    pub fn read(path: &Path, key: &MachineKey) -> Option<Calibration> {
        let text = std::fs::read(path).ok()?;
        let calibration: Calibration = serde_json::from_slice(&text).ok()?;
        (calibration.key == *key).then_some(calibration)
    }

    /// Writes the measurement to `path` atomically, creating its folder.
    pub fn write(&self, path: &Path) -> Result<(), WriteError> {
        let json = serde_json::to_vec_pretty(self).expect("a calibration serialises");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| WriteError {
                path: path.to_path_buf(),
                source: e.into(),
            })?;
        }
        write_atomically(path, |tmp| std::fs::write(tmp, &json))
    }
}

#[cfg(test)]
mod tests {
    use super::super::choice::Accuracy;
    use super::*;
    use crate::models::Precision;

    fn key(threads: i32) -> MachineKey {
        MachineKey {
            cpu: "AMD EPYC".into(),
            threads,
            libtorch: "2.4.0".into(),
            workload: WORKLOAD_VERSION,
        }
    }

    fn calibration() -> Calibration {
        Calibration {
            key: key(2),
            sentences: 32,
            pairs: 16,
            embed: vec![
                Measured {
                    precision: Precision::Fp32,
                    seconds: 0.5,
                    accuracy: Accuracy::Reference,
                },
                Measured {
                    precision: Precision::Bf16,
                    seconds: 0.25,
                    accuracy: Accuracy::Embed { min_cosine: 0.9999 },
                },
            ],
            nli: vec![Measured {
                precision: Precision::Bf16,
                seconds: 1.0,
                accuracy: Accuracy::Nli {
                    verdict_changes: 0,
                    pairs: 16,
                },
            }],
        }
    }

    #[test]
    fn the_cpu_model_is_read_from_cpuinfo() {
        let info = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n\
                    processor\t: 1\nmodel name\t: AMD EPYC\n";
        assert_eq!(cpu_model(info).as_deref(), Some("AMD EPYC"));
        assert_eq!(cpu_model("model name\t: \n"), None);
        assert_eq!(cpu_model(""), None);
    }

    #[test]
    fn each_key_has_its_own_file_in_the_cache_folder() {
        let folder = Path::new("models");
        let two = key(2).file_in(folder);
        assert!(two.starts_with("models/cache"), "{}", two.display());
        assert!(two.to_string_lossy().ends_with(".json"));
        assert_eq!(two, key(2).file_in(folder));
        assert_ne!(two, key(4).file_in(folder));
    }

    #[test]
    fn a_written_calibration_reads_back_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = key(2).file_in(dir.path());
        calibration().write(&path).unwrap();
        assert_eq!(Calibration::read(&path, &key(2)), Some(calibration()));
        assert_eq!(Calibration::read(&path, &key(4)), None);
        std::fs::write(&path, "{ half").unwrap();
        assert_eq!(Calibration::read(&path, &key(2)), None);
        assert_eq!(
            Calibration::read(&dir.path().join("none.json"), &key(2)),
            None
        );
    }
}
