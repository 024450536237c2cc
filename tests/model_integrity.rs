//! Model files are checked against the sha256 recorded in models/manifest.tsv when they are
//! loaded: a corrupt NLI weights file is refused with one line naming the file and the fix, and
//! the check is cached by (path, size, mtime) so that a second run does not hash again.

use std::fs::File;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use crosscheck::models::{
    ModelDir, ModelError, Precision, Verification, E5_FILE, NLI_CARD_FILE, NLI_FILE,
    TOKENIZER_FILE, VERIFIED_CACHE,
};

/// A copy of the model folder in a temporary directory: the manifest and the NLI files are
/// copied (the tests change them), the large downloaded files are linked.
fn model_copy() -> tempfile::TempDir {
    let source = ModelDir::default_location();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("nli")).unwrap();
    for name in ["manifest.tsv", NLI_FILE, NLI_CARD_FILE] {
        std::fs::copy(source.join(name), dir.path().join(name)).unwrap();
    }
    for name in [E5_FILE, TOKENIZER_FILE] {
        std::os::unix::fs::symlink(source.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// Flips one bit in the middle of `path`, keeping its size.
fn flip_a_byte(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn set_mtime(path: &Path, time: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn flipped_byte_in_the_nli_weights_is_a_typed_error_naming_file_and_fix() {
    let dir = model_copy();
    flip_a_byte(&dir.path().join(NLI_FILE));
    let models = ModelDir::new(dir.path());
    let err = models.verify(NLI_FILE, None).unwrap_err();
    assert!(matches!(err, ModelError::HashMismatch { .. }), "{err:?}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(
        message.contains("nli/crosscheck-nli-e5s.safetensors"),
        "{message}"
    );
    assert!(message.contains("sha256 mismatch"), "{message}");
    assert!(message.contains("git checkout -- models/nli"), "{message}");
    // Loading the model goes through the same check (before any weights are read).
    let err = models
        .nli_cross_encoder(tch::Device::Cpu, Precision::Fp32)
        .err()
        .expect("the corrupt file is refused");
    assert!(matches!(err, ModelError::HashMismatch { .. }), "{err:?}");
}

#[test]
fn the_command_line_refuses_corrupt_nli_weights_with_one_line_and_exit_1() {
    let dir = model_copy();
    flip_a_byte(&dir.path().join(NLI_FILE));
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .arg("--quiet")
        .arg("--models")
        .arg(dir.path())
        .args(["run", "data/seeds", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("crosscheck-nli-e5s.safetensors") && errors[0].contains("sha256"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.path().join("seeds").exists(), "no reports on failure");
}

#[test]
fn a_second_check_uses_the_cache_and_a_changed_mtime_invalidates_it() {
    let dir = model_copy();
    let weights = dir.path().join(NLI_FILE);
    // A new ModelDir each time: clones share what this process checked, new ones do not, so
    // these go through the cache file as separate runs would.
    let check = || ModelDir::new(dir.path()).verify(NLI_FILE, None);
    assert_eq!(check().unwrap(), Verification::Hashed);
    let cache = std::fs::read_to_string(dir.path().join(VERIFIED_CACHE)).unwrap();
    assert!(cache.contains(NLI_FILE), "{cache}");
    assert_eq!(check().unwrap(), Verification::Cached);

    // Same content, new mtime: hashed again (and cached again).
    let later = SystemTime::now() + Duration::from_secs(60);
    set_mtime(&weights, later);
    assert_eq!(check().unwrap(), Verification::Hashed);
    assert_eq!(check().unwrap(), Verification::Cached);

    // Changed content with a new mtime: hashed and refused, not waved through by the cache.
    flip_a_byte(&weights);
    set_mtime(&weights, later + Duration::from_secs(60));
    let err = check().unwrap_err();
    assert!(matches!(err, ModelError::HashMismatch { .. }), "{err:?}");

    // The same size but a different sha256 recorded in the manifest (new weights committed):
    // the cache row of the old hash does not count.
    let dir = model_copy();
    let check = || ModelDir::new(dir.path()).verify(NLI_FILE, None);
    assert_eq!(check().unwrap(), Verification::Hashed);
    let manifest = dir.path().join("manifest.tsv");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let recorded = "155e3e5c875d5e6df8dbd1cfcc66adda89bb0c3ba8564ee65ad569b48ea60977";
    assert!(text.contains(recorded), "the test knows the shipped hash");
    std::fs::write(&manifest, text.replace(recorded, &"0".repeat(64))).unwrap();
    assert!(matches!(
        check().unwrap_err(),
        ModelError::HashMismatch { .. }
    ));
}

#[test]
fn clones_share_the_check_within_a_process() {
    let dir = model_copy();
    let models = ModelDir::new(dir.path());
    assert_eq!(
        models.verify(NLI_CARD_FILE, None).unwrap(),
        Verification::Hashed
    );
    std::fs::remove_file(dir.path().join(VERIFIED_CACHE)).unwrap();
    assert_eq!(
        models.clone().verify(NLI_CARD_FILE, None).unwrap(),
        Verification::Cached
    );
}

#[test]
fn every_shipped_model_file_matches_its_recorded_sha256() {
    let models = ModelDir::new(ModelDir::default_location());
    for name in [E5_FILE, TOKENIZER_FILE, NLI_FILE, NLI_CARD_FILE] {
        models.verify(name, None).unwrap();
    }
}

#[test]
fn a_file_the_manifest_does_not_list_is_refused() {
    let dir = model_copy();
    let models = ModelDir::new(dir.path());
    std::fs::write(dir.path().join("extra.bin"), b"x").unwrap();
    let err = models.verify("extra.bin", None).unwrap_err();
    assert!(matches!(err, ModelError::Unlisted { .. }), "{err:?}");
    assert!(err.to_string().contains("manifest.tsv"), "{err}");
}

#[test]
fn exported_weights_in_the_model_folder_get_their_sha256_recorded() {
    let dir = model_copy();
    let weights = dir.path().join(NLI_FILE);
    flip_a_byte(&weights);
    let models = ModelDir::new(dir.path());
    assert!(models.verify(NLI_FILE, None).is_err());
    assert!(models.record_sha256(&weights).unwrap());
    assert_eq!(models.verify(NLI_FILE, None).unwrap(), Verification::Hashed);
    let elsewhere = tempfile::NamedTempFile::new().unwrap();
    assert!(!models.record_sha256(elsewhere.path()).unwrap());
}
