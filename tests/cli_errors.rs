//! The command line reports bad input and missing models in one line that names the file and
//! the fix, and exits non-zero.

use std::path::PathBuf;
use std::process::Command;

fn crosscheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crosscheck-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn missing_model_file_names_the_file_and_make_models() {
    let empty_models = scratch_dir("models");
    let out = scratch_dir("out");
    let (code, _, stderr) = crosscheck(&[
        "--quiet",
        "--models",
        empty_models.to_str().unwrap(),
        "run",
        "data/seeds",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let error_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "{stderr}");
    assert!(
        error_lines[0].contains("tokenizer.json") || error_lines[0].contains("e5-small-q4.bin")
    );
    assert!(error_lines[0].contains("make models"), "{stderr}");
}

#[test]
fn corrupt_model_file_says_to_fetch_it_again() {
    let models = scratch_dir("corrupt");
    std::fs::copy("models/tokenizer.json", models.join("tokenizer.json")).unwrap();
    std::fs::write(
        models.join("e5-small-q4.bin"),
        b"E5S1\x01\x00\x00\x00truncated",
    )
    .unwrap();
    let out = scratch_dir("out2");
    let (code, _, stderr) = crosscheck(&[
        "--quiet",
        "--models",
        models.to_str().unwrap(),
        "run",
        "data/seeds",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("e5-small-q4.bin is corrupt"), "{stderr}");
    assert!(stderr.contains("make models"), "{stderr}");
}

#[test]
fn missing_drop_folder_is_named() {
    let (code, _, stderr) = crosscheck(&["--quiet", "run", "no/such/folder"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no/such/folder"), "{stderr}");
}

#[test]
fn help_explains_every_subcommand() {
    let (code, stdout, _) = crosscheck(&["--help"]);
    assert_eq!(code, 0);
    for sub in ["run", "train-nli", "eval-nli"] {
        assert!(stdout.contains(sub), "--help lacks {sub}: {stdout}");
    }
}
