//! The report page in a real browser: headless Chromium (Debian package `chromium`, installed
//! by `make browser`, which `make test` runs) opens index.html of the seeds and of the largest
//! development drop from file://, runs its script, and the rendered DOM is checked: one card
//! per row of conflicts.csv, a highlighted span, the fact table, the articles, the filters
//! working from the address (`?event=no`). Screenshots for review: target/html-seeds.png and
//! target/html-quake.png. Chromium missing is a failure, not a skip.

mod common;

use common::run_drop;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `chromium` package puts the browser; `CHROMIUM` overrides it.
fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "{} is missing: run `make browser` (it installs the Debian package chromium; `make test` \
         does it too), or set CHROMIUM to a Chromium binary",
        path.display()
    );
    path
}

/// The folder cargo builds into (screenshots go there).
fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}

/// Runs headless Chromium with `args` and a fresh profile, at most two minutes; its stdout.
fn headless(args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--no-first-run",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let started = Instant::now();
    loop {
        if child
            .try_wait()
            .expect("chromium can be waited for")
            .is_some()
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within two minutes: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader
        .join()
        .expect("the reader thread")
        .expect("chromium's output is UTF-8")
}

/// The rendered DOM of `page` (with `query` appended to its file:// URL).
fn dom(page: &Path, query: &str) -> String {
    let url = format!("file://{}{query}", page.display());
    headless(&[
        "--virtual-time-budget=5000".to_string(),
        "--dump-dom".to_string(),
        url,
    ])
}

/// The opening tags of the elements whose tag starts with `start`.
fn tags<'a>(dom: &'a str, start: &str) -> Vec<&'a str> {
    dom.match_indices(start)
        .map(|(at, _)| {
            let tag = &dom[at..];
            &tag[..tag.find('>').map_or(tag.len(), |e| e + 1)]
        })
        .collect()
}

/// Rows of a CSV report.
fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .records()
        .map(|r| r.expect("a CSV row"))
        .collect()
}

/// Runs `drop`, renders its page in Chromium, checks the DOM and writes
/// `target/html-<name>.png`; returns the number of discrepancy cards.
fn check_in_browser(drop: &Path, name: &str) -> usize {
    chromium();
    let out = tempfile::tempdir().unwrap();
    let dir = run_drop(drop, out.path(), &[]);
    let page = dir.join("index.html");
    let conflicts = csv_rows(&dir.join("conflicts.csv"));
    let summary = csv_rows(&dir.join("summary.csv"));

    let rendered = dom(&page, "");
    assert!(
        rendered.contains("data-ready=\"1\""),
        "the page's script did not run to its end in Chromium"
    );
    let cards = tags(&rendered, "<article class=\"card f");
    assert_eq!(
        cards.len(),
        conflicts.len(),
        "cards rendered vs conflicts.csv rows"
    );
    if conflicts.is_empty() {
        assert!(
            rendered.contains("No discrepancy about one event."),
            "a page without discrepancies says so"
        );
    } else {
        assert!(
            rendered.contains("<mark>"),
            "no highlighted span in the rendered page"
        );
    }
    assert!(
        cards.iter().all(|t| !t.contains("hidden")),
        "a card is hidden without a filter"
    );
    assert_eq!(
        tags(&rendered, "<details class=\"doc f").len(),
        summary.len(),
        "one article view per article"
    );
    assert!(
        rendered.contains("<table class=\"facts\">"),
        "no fact table"
    );
    assert!(!rendered.contains("<img"), "an image element in the page");

    // The same-event filter from the address hides the cards about one event.
    let filtered = dom(&page, "?event=no");
    let cards = tags(&filtered, "<article class=\"card f");
    assert_eq!(cards.len(), conflicts.len());
    let (about_one, other): (Vec<&str>, Vec<&str>) =
        cards.iter().partition(|t| !t.contains("data-e=\"no\""));
    assert!(
        about_one.iter().all(|t| t.contains("hidden")),
        "?event=no left a card about one event visible"
    );
    assert!(
        other.iter().all(|t| !t.contains("hidden")),
        "?event=no hid a card between different events"
    );
    assert!(
        filtered.contains("items shown"),
        "the filter says what it shows"
    );

    let shot = target_dir().join(format!("html-{name}.png"));
    let _ = std::fs::remove_file(&shot);
    headless(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1280,2000".to_string(),
        "--virtual-time-budget=5000".to_string(),
        format!("file://{}", page.display()),
    ]);
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("{}: {e}", shot.display()));
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is a PNG"
    );
    assert!(png.len() > 20_000, "the screenshot is nearly empty");
    println!("screenshot: {} ({} bytes)", shot.display(), png.len());
    conflicts.len()
}

#[test]
fn the_seeds_page_renders_in_chromium() {
    check_in_browser(Path::new("data/seeds"), "seeds");
}

#[test]
fn the_largest_development_drop_renders_in_chromium() {
    let cards = check_in_browser(Path::new("data/dev/quake"), "quake");
    assert!(cards > 0, "the quake drop's page shows discrepancy cards");
}
