//! What the end-to-end tests share: running the release binary and reading its reports.
//! Each test binary uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the binary with `args`: (exit status, stdout, stderr).
pub fn crosscheck(args: &[&str]) -> (i32, String, String) {
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

/// Runs `crosscheck --quiet run drop --out out` (plus `extra`), which must succeed; returns
/// the report folder.
pub fn run_drop(drop: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let (drop_arg, out_arg) = (
        drop.to_str().expect("UTF-8 path"),
        out.to_str().expect("UTF-8 path"),
    );
    let mut args = vec!["--quiet", "run", drop_arg, "--out", out_arg];
    args.extend(extra);
    let (code, _, stderr) = crosscheck(&args);
    assert_eq!(
        code,
        0,
        "crosscheck run {} failed: {stderr}",
        drop.display()
    );
    out.join(drop.file_name().expect("a drop folder"))
}

/// The data rows of a CSV report.
pub fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .records()
        .map(|r| r.expect("a CSV row"))
        .collect()
}
