//! The command line reports bad input and missing models in one line that names the file and
//! the fix, and exits non-zero.

mod common;

use common::crosscheck;
use std::path::{Path, PathBuf};

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crosscheck-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `crosscheck run <drop>` (with `--models` when given) into a scratch output folder;
/// returns the exit code, stdout, stderr and the drop's report folder.
fn run_drop(drop: &Path, models: Option<&Path>, name: &str) -> (i32, String, String, PathBuf) {
    let out = scratch_dir(name);
    let mut args = vec!["--quiet".to_string()];
    if let Some(models) = models {
        args.extend(["--models".to_string(), models.display().to_string()]);
    }
    args.extend([
        "run".to_string(),
        drop.display().to_string(),
        "--out".to_string(),
        out.display().to_string(),
    ]);
    let (code, stdout, stderr) = crosscheck(&args.iter().map(String::as_str).collect::<Vec<_>>());
    (code, stdout, stderr, out.join(drop.file_name().unwrap()))
}

#[test]
fn missing_model_file_names_the_file_and_make_models() {
    let empty_models = scratch_dir("models");
    let (code, _, stderr, _) = run_drop(Path::new("data/seeds"), Some(&empty_models), "out");
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
    let (code, _, stderr, _) = run_drop(Path::new("data/seeds"), Some(&models), "out2");
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

#[test]
fn bad_files_are_skipped_with_one_line_each_and_the_rest_is_processed() {
    let drop = scratch_dir("bad-drop");
    std::fs::copy("data/seeds/003_695f938456953354.txt", drop.join("good.txt")).unwrap();
    std::fs::write(drop.join("empty.txt"), b"").unwrap();
    std::fs::write(
        drop.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
    )
    .unwrap();
    std::fs::write(
        drop.join("latin1.txt"),
        b"O presidente falou na sexta-feira com o l\xedder ucraniano sobre defesa a\xe9rea.",
    )
    .unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Der Präsident sprach am Freitag mit Selenskyj über Luftabwehr."
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(drop.join("utf16.txt"), utf16).unwrap();
    std::fs::write(drop.join("notes.pdf"), b"%PDF-1.4").unwrap();
    let (code, stdout, stderr, reports) = run_drop(&drop, None, "bad-out");
    assert_eq!(code, 0, "{stderr}");
    let warning = |file: &str| {
        stderr
            .lines()
            .find(|l| l.starts_with("warning:") && l.contains(file))
    };
    assert!(
        warning("empty.txt").is_some_and(|l| l.contains("empty")),
        "{stderr}"
    );
    assert!(
        warning("binary.txt").is_some_and(|l| l.contains("binary")),
        "{stderr}"
    );
    assert!(
        warning("latin1.txt").is_some_and(|l| l.contains("Windows-1252")),
        "{stderr}"
    );
    assert!(warning("notes.pdf").is_some(), "{stderr}");
    assert!(stdout.contains("3 articles"), "{stdout}");
    let claims = std::fs::read_to_string(reports.join("claims.csv")).unwrap();
    assert!(claims.contains("líder ucraniano"), "Latin-1 text decoded");
    assert!(
        claims.contains("Selenskyj über Luftabwehr"),
        "UTF-16 text decoded"
    );
    for name in [
        "pairs.csv",
        "conflicts.csv",
        "facts.csv",
        "summary.csv",
        "run.json",
    ] {
        assert!(reports.join(name).exists(), "{name} written");
    }
}

#[test]
fn a_drop_with_one_article_still_writes_its_claims() {
    let drop = scratch_dir("single");
    std::fs::copy("data/seeds/004_04176028538e426f.txt", drop.join("only.txt")).unwrap();
    let (code, _, stderr, reports) = run_drop(&drop, None, "single-out");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("only one article"), "{stderr}");
    let summary = std::fs::read_to_string(reports.join("summary.csv")).unwrap();
    assert!(summary.contains("only,de,2025-03-20,url"), "{summary}");
}
