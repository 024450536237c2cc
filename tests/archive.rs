//! The claim archive with the real models and real databases, the same suite on both backends:
//! an SQLite file, and a PostgreSQL 18 server with pgvector (started by `make test` through
//! tools/with-postgres.sh, which sets CROSSCHECK_PG_URL; each test makes a database of its
//! own). A rerun of the seeds writes byte-identical CSVs and does no model work; an archive of
//! a newer schema is refused; `archive verify` passes; `export` is deterministic and `prune`
//! removes old runs and what only they used. PostgreSQL only: three workers on a set of drops
//! write the same reports as one worker, each drop once; the job of a worker killed mid-job is
//! taken and finished by another.

mod common;

use crosscheck::store::archive::{open, ArchiveError, Location, SqliteArchive, SCHEMA_VERSION};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary quietly: (exit status, stdout, stderr).
fn crosscheck(args: &[&str]) -> (i32, String, String) {
    common::crosscheck(&[&["--quiet"], args].concat())
}

/// Runs the binary and insists that it succeeds; returns stdout.
fn ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = crosscheck(args);
    assert_eq!(code, 0, "crosscheck {args:?}\n{stdout}\n{stderr}");
    stdout
}

/// Which database holds the archive.
#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty archive location for one test: a file in `dir`, or a new database on the
/// server of CROSSCHECK_PG_URL.
fn fresh(backend: Backend, dir: &Path, name: &str) -> String {
    match backend {
        Backend::Sqlite => dir.join(format!("{name}.sqlite")).display().to_string(),
        Backend::Postgres => {
            let base = pg_url();
            let db = format!("cc_{name}_{}", std::process::id());
            let mut admin = ::postgres::Client::connect(&base, ::postgres::NoTls)
                .unwrap_or_else(|e| panic!("cannot connect to CROSSCHECK_PG_URL {base}: {e}"));
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
                .and_then(|_| admin.batch_execute(&format!("CREATE DATABASE {db}")))
                .unwrap();
            with_database(&base, &db)
        }
    }
}

/// The server the PostgreSQL tests use; they fail (never skip) without one.
fn pg_url() -> String {
    std::env::var("CROSSCHECK_PG_URL").unwrap_or_else(|_| {
        panic!(
            "CROSSCHECK_PG_URL is not set: the PostgreSQL archive tests need a server with \
             pgvector. Run `make test` (it starts one), or \
             `tools/with-postgres.sh cargo test --release --locked --test archive` after \
             `make postgres`"
        )
    })
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let scheme_end = head.find("://").unwrap() + 3;
    let base = match head[scheme_end..].find('/') {
        Some(slash) => &head[..scheme_end + slash],
        None => head,
    };
    if query.is_empty() {
        format!("{base}/{db}")
    } else {
        format!("{base}/{db}?{query}")
    }
}

/// One integer from the archive at `location`.
fn number(location: &str, sql: &str) -> i64 {
    match Location::parse(location.as_ref()) {
        Location::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap(),
        Location::Postgres(url) => ::postgres::Client::connect(&url, ::postgres::NoTls)
            .unwrap()
            .query_one(sql, &[])
            .unwrap()
            .get(0),
    }
}

/// Runs statements on the archive at `location`.
fn execute(location: &str, sql: &str) {
    match Location::parse(location.as_ref()) {
        Location::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
        Location::Postgres(url) => ::postgres::Client::connect(&url, ::postgres::NoTls)
            .unwrap()
            .batch_execute(sql)
            .unwrap(),
    }
}

/// The model work of run `run` as the archive recorded it.
fn model_work(location: &str, run: i64) -> serde_json::Value {
    let sql = format!("SELECT model_work FROM runs WHERE id = {run}");
    let json: String = match Location::parse(location.as_ref()) {
        Location::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .query_row(&sql, [], |r| r.get(0))
            .unwrap(),
        Location::Postgres(url) => ::postgres::Client::connect(&url, ::postgres::NoTls)
            .unwrap()
            .query_one(&sql, &[])
            .unwrap()
            .get(0),
    };
    serde_json::from_str(&json).unwrap()
}

/// Rows of `table`.
fn rows(location: &str, table: &str) -> i64 {
    number(location, &format!("SELECT count(*) FROM {table}"))
}

/// Runs the seeds into `out` with the archive at `location`.
fn run_seeds(location: &str, out: &Path) {
    ok(&[
        "run",
        "data/seeds",
        "--out",
        out.to_str().unwrap(),
        "--archive",
        location,
    ]);
}

/// The report CSVs of the drop folder `dir`, by name.
fn csvs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{}: {files:?}", dir.display());
    files
}

/// Every test of the suite, once per backend.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::Backend::Sqlite) })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name(super::Backend::Postgres) })*
        }
    };
}

both_backends!(
    an_unchanged_rerun_reuses_every_model_result_and_writes_the_same_csvs,
    a_fresh_archive_verifies,
    an_archive_of_a_newer_schema_is_refused,
    other_databases_are_not_taken_for_archives,
    export_is_deterministic_and_prune_removes_old_runs_and_what_only_they_used,
    a_later_drop_is_compared_with_the_earlier_drops_of_its_story,
);

/// Writes a drop of `(file name, date, language, outlet, body)` articles into `dir`.
fn write_drop(dir: &Path, articles: &[(&str, &str, &str, &str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, date, lang, outlet, body) in articles {
        let text = format!("date: {date}\nlang: {lang}\noutlet: {outlet}\n\n{body}\n");
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The values of `column` in the CSV `file`.
fn column(file: &Path, column: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("{}: no column {column}", file.display()));
    reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect()
}

/// A story in two drops, written for this test: the morning's two articles say the fire
/// destroyed 40 homes, the night's says 55. The night's run, against the archive of the
/// morning's, takes the morning articles in (marked with their run), pairs its claims with
/// theirs, and its fact table shows the figure that changed; with a window that ends before
/// the morning, or with `--no-earlier`, it runs alone.
fn a_later_drop_is_compared_with_the_earlier_drops_of_its_story(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let a = &fresh(backend, dir.path(), "story");
    let (morning, night) = (dir.path().join("morning"), dir.path().join("night"));
    write_drop(&morning, &[
        ("m1.txt", "2026-11-20", "en", "Morning Post",
         "A fire at the Riverside warehouse in Lenbrook destroyed 40 homes on Tuesday, the fire brigade said. About 120 firefighters fought the blaze for six hours. The mayor opened the town hall to families who lost their homes."),
        ("m2.txt", "2026-11-20", "de", "Lenbrooker Anzeiger",
         "Ein Brand im Lagerhaus Riverside in Lenbrook hat am Dienstag 40 Häuser zerstört, teilte die Feuerwehr mit. Rund 120 Feuerwehrleute kämpften sechs Stunden lang gegen die Flammen. Der Bürgermeister öffnete das Rathaus für die Familien, die ihr Zuhause verloren haben."),
    ]);
    write_drop(&night, &[
        ("n1.txt", "2026-11-21", "fr", "Soir de Lenbrook",
         "L'incendie de l'entrepôt Riverside à Lenbrook a détruit 55 maisons mardi, selon les pompiers. Environ 120 pompiers ont lutté contre les flammes pendant six heures. Le maire a ouvert l'hôtel de ville aux familles qui ont perdu leur maison."),
    ]);
    let out = dir.path().join("reports");
    let run = |drop: &Path, extra: &[&str]| {
        let args = [
            &[
                "run",
                drop.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--archive",
                a,
            ],
            extra,
        ]
        .concat();
        ok(&args);
    };
    run(&morning, &[]);
    run(&night, &[]);
    let reports = out.join("night");
    let summary = reports.join("summary.csv");
    let mut ids = column(&summary, "article");
    ids[1..].sort();
    assert_eq!(
        ids,
        ["n1", "m1", "m2"],
        "the drop first, then the earlier articles"
    );
    assert_eq!(column(&summary, "earlier_run"), ["", "1", "1"]);
    let outlets = column(&summary, "outlet");
    assert!(outlets.contains(&"Morning Post".to_string()), "{outlets:?}");
    assert!(column(&summary, "earlier_drop")[1].ends_with("morning"));
    let earlier_pairs = column(&reports.join("pairs.csv"), "earlier_run_b");
    assert!(earlier_pairs.iter().any(|r| r == "1"), "{earlier_pairs:?}");
    assert!(
        column(&reports.join("pairs.csv"), "article_a")
            .iter()
            .all(|id| id == "n1"),
        "two morning articles are never paired again"
    );
    let facts = reports.join("facts.csv");
    let (values, outcomes) = (column(&facts, "value"), column(&facts, "outcome"));
    let changed = values
        .iter()
        .zip(&outcomes)
        .any(|(v, o)| v.starts_with("55") && o == "conflict");
    assert!(
        changed,
        "the homes figure that changed: {values:?} {outcomes:?}"
    );
    let page = std::fs::read_to_string(reports.join("index.html")).unwrap();
    assert!(
        page.contains("2 of them from earlier drops"),
        "the page header counts them"
    );
    assert_eq!(page.matches("from an earlier drop</strong>").count(), 2);
    // Only the drop's own article was recorded as read by the night's run.
    assert_eq!(
        number(a, "SELECT count(*) FROM run_articles WHERE run = 2"),
        1
    );

    // Through PostgreSQL's HNSW index (SQLite has none: the same exact look-up), the same
    // articles join and the same pairs are judged.
    let pairs = std::fs::read(reports.join("pairs.csv")).unwrap();
    run(&night, &["--earlier-index-from", "0"]);
    assert_eq!(column(&summary, "article")[1..].len(), 2);
    assert_eq!(std::fs::read(reports.join("pairs.csv")).unwrap(), pairs);

    run(&night, &["--earlier-days", "0"]);
    assert_eq!(
        column(&summary, "earlier_run"),
        [""],
        "the morning is outside the window"
    );
    run(&night, &["--no-earlier"]);
    assert_eq!(column(&summary, "article"), ["n1"]);
}

fn an_unchanged_rerun_reuses_every_model_result_and_writes_the_same_csvs(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let a = &fresh(backend, dir.path(), "rerun");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    run_seeds(a, &first);
    run_seeds(a, &second);
    let work = model_work(a, 1);
    assert!(work["embeddings_computed"].as_u64().unwrap() > 0, "{work}");
    assert!(work["nli_computed"].as_u64().unwrap() > 0, "{work}");
    let again = model_work(a, 2);
    assert_eq!(again["embeddings_computed"], 0, "{again}");
    assert_eq!(again["nli_computed"], 0, "{again}");
    assert_eq!(again["models_loaded"], 0, "{again}");
    // Each distinct text computed by the first run is reused by the second; the first reused
    // nothing (its archive was empty), and repeats inside a run are counted apart.
    assert_eq!(work["embeddings_cached"], 0, "{work}");
    assert_eq!(again["embeddings_cached"], work["embeddings_computed"]);
    assert_eq!(again["nli_cached"], work["nli_computed"]);
    assert_eq!(again["embeddings_repeated"], work["embeddings_repeated"]);
    assert_eq!(csvs(&first.join("seeds")), csvs(&second.join("seeds")));

    let stdout = ok(&["archive", "verify", a]);
    assert!(stdout.contains("is sound"), "{stdout}");
    let stdout = ok(&["archive", "stats", a]);
    assert!(stdout.contains("| runs | 2 |"), "{stdout}");
    assert_eq!(rows(a, "articles"), 5);
    assert_eq!(rows(a, "run_articles"), 10);
    assert!(rows(a, "facts") > 0 && rows(a, "fact_values") >= rows(a, "facts"));
    // Every stored result was used by the rerun.
    assert_eq!(
        number(a, "SELECT count(*) FROM embeddings WHERE last_run = 2"),
        rows(a, "embeddings")
    );
}

fn a_fresh_archive_verifies(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let a = match backend {
        Backend::Sqlite => dir.path().join("nested/fresh.sqlite").display().to_string(),
        Backend::Postgres => fresh(backend, dir.path(), "fresh"),
    };
    let mut archive = open(&Location::parse(a.as_ref())).unwrap();
    let check = archive.verify().unwrap();
    assert!(check.ok(), "{check:?}");
    assert_eq!(check.schema_version, SCHEMA_VERSION);
    drop(archive);
    let stdout = ok(&["archive", "verify", &a]);
    assert!(stdout.contains("is sound"), "{stdout}");
}

fn an_archive_of_a_newer_schema_is_refused(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let a = &fresh(backend, dir.path(), "future");
    drop(open(&Location::parse(a.as_ref())).unwrap());
    execute(
        a,
        &format!("UPDATE schema_version SET version = {}", SCHEMA_VERSION + 1),
    );
    match open(&Location::parse(a.as_ref())) {
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
        a,
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("newer than the"), "{stderr}");
    let (code, _, stderr) = crosscheck(&["archive", "stats", a]);
    assert_eq!(code, 1);
    let newer = format!("schema version {}", SCHEMA_VERSION + 1);
    assert!(stderr.contains(&newer), "{stderr}");
}

fn other_databases_are_not_taken_for_archives(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let other = &fresh(backend, dir.path(), "other");
    execute(
        other,
        "CREATE TABLE runs (text TEXT); CREATE TABLE notes (text TEXT)",
    );
    assert!(matches!(
        open(&Location::parse(other.as_ref())),
        Err(ArchiveError::NotAnArchive { .. })
    ));
    match backend {
        Backend::Sqlite => {
            let text = dir.path().join("text.sqlite");
            std::fs::write(
                &text,
                "not a database at all, just some text that is long enough",
            )
            .unwrap();
            assert!(SqliteArchive::open(&text).is_err());
            let (code, _, stderr) =
                crosscheck(&["archive", "verify", "/nonexistent/archive.sqlite"]);
            assert_eq!(code, 1);
            assert!(stderr.contains("no archive at"), "{stderr}");
        }
        Backend::Postgres => {
            let empty = fresh(backend, dir.path(), "empty");
            let (code, _, stderr) = crosscheck(&["archive", "stats", &empty]);
            assert_eq!(code, 1);
            assert!(stderr.contains("no archive at"), "{stderr}");
            let nowhere = "postgresql://nobody:secret@/nowhere?host=/nonexistent/socket&port=1";
            let (code, _, stderr) = crosscheck(&["archive", "stats", nowhere]);
            assert_eq!(code, 1);
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains("nobody:***@"), "{stderr}");
            assert!(!stderr.contains("secret"), "{stderr}");
        }
    }
}

fn export_is_deterministic_and_prune_removes_old_runs_and_what_only_they_used(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let a = &fresh(backend, dir.path(), "prune");
    let out = dir.path().join("reports");
    run_seeds(a, &out);
    execute(
        a,
        "UPDATE runs SET started = '2020-01-01T00:00:00.000Z' WHERE id = 1",
    );
    run_seeds(a, &out);

    let (x, y) = (dir.path().join("export-1"), dir.path().join("export-2"));
    for to in [&x, &y] {
        ok(&["archive", "export", a, "--to", to.to_str().unwrap()]);
    }
    for table in [
        "runs",
        "articles",
        "claims",
        "embeddings",
        "nli",
        "facts",
        "fact_values",
    ] {
        let name = format!("{table}.jsonl");
        let (one, two) = (
            std::fs::read(x.join(&name)).unwrap(),
            std::fs::read(y.join(&name)).unwrap(),
        );
        assert!(one == two, "{name} differs between two exports");
        let lines = one.iter().filter(|&&b| b == b'\n').count() as i64;
        assert_eq!(lines, rows(a, table), "{name}");
    }
    let first = std::fs::read_to_string(x.join("embeddings.jsonl")).unwrap();
    let row: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(row["vector"].as_array().unwrap().len(), 384, "{row}");
    let (code, _, stderr) = crosscheck(&["archive", "export", a, "--to", x.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not empty"), "{stderr}");

    let (code, _, stderr) = crosscheck(&["archive", "prune", a, "--before", "last week"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
    let (embeddings, nli) = (rows(a, "embeddings"), rows(a, "nli"));
    ok(&["archive", "prune", a, "--before", "2021-01-01"]);
    assert_eq!(rows(a, "runs"), 1);
    assert_eq!(rows(a, "run_articles"), 5);
    assert_eq!(rows(a, "articles"), 5);
    assert_eq!(number(a, "SELECT min(first_run) FROM articles"), 2);
    assert_eq!(number(a, "SELECT count(*) FROM facts WHERE run = 1"), 0);
    assert_eq!((rows(a, "embeddings"), rows(a, "nli")), (embeddings, nli));
    assert!(ok(&["archive", "verify", a]).contains("is sound"));
    // The remaining run still finds every model result.
    run_seeds(a, &out);
    assert_eq!(model_work(a, 3)["embeddings_computed"], 0);
    assert_eq!(model_work(a, 3)["nli_computed"], 0);

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let tomorrow = chrono::DateTime::from_timestamp(now.as_secs() as i64 + 86_400, 0).unwrap();
    ok(&[
        "archive",
        "prune",
        a,
        "--before",
        &tomorrow.format("%Y-%m-%d").to_string(),
    ]);
    for table in crosscheck::store::archive::TABLES {
        assert_eq!(rows(a, table), 0, "{table} after pruning everything");
    }
    assert!(ok(&["archive", "verify", a]).contains("is sound"));
}

// ---- PostgreSQL only: the workers ----

/// Starts a worker on `url` that stops when the queue is empty.
fn worker(url: &str, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args([
            "--quiet",
            "--threads",
            "1",
            "worker",
            "--archive",
            url,
            "--drain",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the worker starts")
}

/// Waits for a worker and insists that it succeeded; returns its stdout.
fn finished(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "worker failed\n{stdout}\n{stderr}");
    stdout
}

/// The drops of the worker tests.
const DROPS: &[&str] = &["data/seeds", "data/dev/rates", "data/dev/strike"];

#[test]
fn three_workers_write_the_same_reports_as_one_and_take_each_drop_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs: Vec<PathBuf> = Vec::new();
    for workers in [1, 3] {
        let url = fresh(Backend::Postgres, dir.path(), &format!("workers{workers}"));
        let out = dir.path().join(format!("out{workers}"));
        let mut args = vec!["enqueue"];
        args.extend(DROPS);
        args.extend(["--out", out.to_str().unwrap(), "--archive", &url]);
        ok(&args);
        // Queuing a drop again while it waits does not queue it twice.
        ok(&args);
        assert_eq!(rows(&url, "jobs"), DROPS.len() as i64);
        let children: Vec<Child> = (0..workers).map(|_| worker(&url, &[])).collect();
        for child in children {
            finished(child);
        }
        let done = number(
            &url,
            "SELECT count(*) FROM jobs WHERE state = 'done' AND attempts = 1",
        );
        assert_eq!(done, DROPS.len() as i64);
        assert_eq!(rows(&url, "runs"), DROPS.len() as i64);
        assert_eq!(
            number(&url, "SELECT count(DISTINCT run) FROM jobs"),
            DROPS.len() as i64
        );
        assert!(ok(&["archive", "verify", &url]).contains("is sound"));
        outs.push(out);
    }
    for drop in DROPS {
        let name = Path::new(drop).file_name().unwrap();
        assert_eq!(
            csvs(&outs[0].join(name)),
            csvs(&outs[1].join(name)),
            "the reports of {drop} differ between one worker and three"
        );
    }
}

#[test]
fn the_job_of_a_killed_worker_is_taken_again_and_finished_by_another() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh(Backend::Postgres, dir.path(), "killed");
    let out = dir.path().join("out");
    ok(&[
        "enqueue",
        "data/seeds",
        "--out",
        out.to_str().unwrap(),
        "--archive",
        &url,
    ]);
    let mut first = worker(&url, &["--lease", "2"]);
    let start = Instant::now();
    while number(&url, "SELECT count(*) FROM jobs WHERE state = 'running'") == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no worker took the job"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(
        number(&url, "SELECT count(*) FROM jobs WHERE state = 'running'"),
        1,
        "the first worker finished before it was killed"
    );
    assert_eq!(rows(&url, "runs"), 0);

    let second = worker(&url, &["--lease", "2", "--poll", "0.2"]);
    let pid = second.id();
    let stdout = finished(second);
    assert!(stdout.contains("1 jobs done"), "{stdout}");
    assert_eq!(
        number(&url, "SELECT attempts FROM jobs WHERE state = 'done'"),
        2
    );
    assert_eq!(
        number(
            &url,
            &format!("SELECT count(*) FROM jobs WHERE worker LIKE '%:{pid}'")
        ),
        1
    );
    assert_eq!(rows(&url, "runs"), 1);
    csvs(&out.join("seeds"));
}

#[test]
fn workers_need_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.sqlite");
    let (code, _, stderr) = crosscheck(&["worker", "--archive", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a PostgreSQL archive"), "{stderr}");
}

#[test]
fn claims_are_found_through_the_hnsw_index() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh(Backend::Postgres, dir.path(), "search");
    let archive = crosscheck::store::archive::PgArchive::open(&url).unwrap();
    let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    client
        .batch_execute(
            "INSERT INTO runs (drop_path, started, finished, tool_version, settings, timings, model_work)
             VALUES ('d', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 't', '{}', '[]', '{}');
             INSERT INTO articles (sha256, id, path, language, first_run) VALUES ('a', 'a', 'a.txt', 'en', 1);",
        )
        .unwrap();
    // 200 vectors that point in different directions: a few non-zero components each.
    let vector = |i: usize| -> Vec<f32> {
        (0..crosscheck::store::archive::INDEXED_DIM)
            .map(|j| ((i * 7 + j * 13) % 17) as f32 - 8.0 + if j == i % 384 { 40.0 } else { 0.0 })
            .collect()
    };
    for i in 0..200usize {
        let hash = format!("h{i:03}");
        client
            .execute(
                "INSERT INTO claims (article, start, \"end\", text, text_sha256) VALUES ('a', $1, $2, $3, $4)",
                &[&(i as i64 * 10), &(i as i64 * 10 + 9), &format!("claim {i}"), &hash],
            )
            .unwrap();
        client
            .execute(
                "INSERT INTO embeddings (model, text_sha256, dim, vector, last_run) VALUES ('m', $1, 384, $2, 1)",
                &[&hash, &pgvector::Vector::from(vector(i))],
            )
            .unwrap();
    }
    let found = archive.similar_claims("m", &vector(42), 3).unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].text, "claim 42");
    assert!(found[0].distance < 1e-5, "{found:?}");
    assert!(found[1].distance > found[0].distance);
    assert!(archive
        .similar_claims("other model", &vector(42), 3)
        .unwrap()
        .is_empty());
    // On 200 rows a scan and a sort cost less; without them the planner takes the HNSW index.
    client
        .batch_execute("SET enable_seqscan = off; SET enable_sort = off")
        .unwrap();
    let plan: Vec<String> = client
        .query(
            &format!("EXPLAIN {}", crosscheck::store::archive::SIMILAR_CLAIMS),
            &[&"m", &pgvector::Vector::from(vector(42)), &3i64],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        plan.iter().any(|l| l.contains("embeddings_hnsw")),
        "{}",
        plan.join("\n")
    );
}
