//! The claim archive with the real models and a real SQLite file: a rerun of the seeds against
//! the same archive writes byte-identical CSVs and does no model work; an archive of a newer
//! schema is refused with a clear error; `archive verify` passes on a fresh archive.

use crosscheck::archive::{Archive, ArchiveError, SCHEMA_VERSION};
use std::path::Path;
use std::process::Command;

/// Runs the binary: (exit status, stdout, stderr).
fn crosscheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .arg("--quiet")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The model work of run `run` as the archive recorded it.
fn model_work(archive: &Path, run: i64) -> serde_json::Value {
    let conn = rusqlite::Connection::open(archive).unwrap();
    let json: String = conn
        .query_row("SELECT model_work FROM runs WHERE id = ?1", [run], |r| {
            r.get(0)
        })
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

#[test]
fn an_unchanged_rerun_reuses_every_model_result_and_writes_the_same_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive.sqlite");
    let a = archive.to_str().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for out in [&first, &second] {
        let (code, stdout, stderr) = crosscheck(&[
            "run",
            "data/seeds",
            "--out",
            out.to_str().unwrap(),
            "--archive",
            a,
        ]);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
    }
    let work = model_work(&archive, 1);
    assert!(work["embeddings_computed"].as_u64().unwrap() > 0, "{work}");
    assert!(work["nli_computed"].as_u64().unwrap() > 0, "{work}");
    let again = model_work(&archive, 2);
    assert_eq!(again["embeddings_computed"], 0, "{again}");
    assert_eq!(again["nli_computed"], 0, "{again}");
    assert_eq!(again["models_loaded"], 0, "{again}");
    assert_eq!(
        again["embeddings_cached"].as_u64().unwrap(),
        work["embeddings_cached"].as_u64().unwrap() + work["embeddings_computed"].as_u64().unwrap()
    );
    for file in ["claims", "pairs", "conflicts", "facts", "summary"] {
        let name = format!("seeds/{file}.csv");
        let (x, y) = (
            std::fs::read(first.join(&name)).unwrap(),
            std::fs::read(second.join(&name)).unwrap(),
        );
        assert!(x == y, "{name} differs between the first run and the rerun");
    }

    let (code, stdout, stderr) = crosscheck(&["archive", "verify", a]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("is sound"), "{stdout}");
    let (code, stdout, _) = crosscheck(&["archive", "stats", a]);
    assert_eq!(code, 0);
    assert!(stdout.contains("| runs | 2 |"), "{stdout}");
    let stats = Archive::open_existing(&archive).unwrap().stats().unwrap();
    let rows = |t: &str| stats.tables.iter().find(|(n, _)| *n == t).unwrap().1;
    assert_eq!(rows("articles"), 5);
    assert_eq!(rows("run_articles"), 10);
    assert!(rows("facts") > 0 && rows("fact_values") >= rows("facts"));
}

#[test]
fn a_fresh_archive_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/fresh.sqlite");
    let check = Archive::open(&path).unwrap().verify().unwrap();
    assert!(check.ok(), "{check:?}");
    assert_eq!(check.schema_version, SCHEMA_VERSION);
    let (code, stdout, stderr) = crosscheck(&["archive", "verify", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}

#[test]
fn an_archive_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    drop(Archive::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE schema_version SET version = ?1",
        [SCHEMA_VERSION + 1],
    )
    .unwrap();
    drop(conn);
    match Archive::open(&path) {
        Err(ArchiveError::NewerSchema {
            found, supported, ..
        }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a newer archive was opened"),
    }
    let out = dir.path().join("reports");
    let (code, _, stderr) = crosscheck(&[
        "run",
        "data/seeds",
        "--out",
        out.to_str().unwrap(),
        "--archive",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("newer than the"), "{stderr}");
    let (code, _, stderr) = crosscheck(&["archive", "stats", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("schema version 2"), "{stderr}");
}

#[test]
fn other_files_are_not_taken_for_archives() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT)")
        .unwrap();
    drop(conn);
    assert!(matches!(
        Archive::open(&other),
        Err(ArchiveError::NotAnArchive { .. })
    ));
    let text = dir.path().join("text.sqlite");
    std::fs::write(
        &text,
        "not a database at all, just some text that is long enough",
    )
    .unwrap();
    assert!(Archive::open(&text).is_err());
    let (code, _, stderr) = crosscheck(&["archive", "verify", "/nonexistent/archive.sqlite"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no archive at"), "{stderr}");
}
