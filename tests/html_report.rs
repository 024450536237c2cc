//! The HTML report page (index.html) end to end with the release binary and the real models:
//! one card per row of conflicts.csv and one fact-table row per fact of facts.csv, from the
//! same run (one source of truth), a page that loads nothing from anywhere, hostile article
//! text that stays text, and `--no-html`. The page in a real browser: `tests/html_browser.rs`.

mod common;

use common::{csv_rows, run_drop};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A development drop with discrepancies of every kind (value conflicts, an NLI contradiction,
/// different events), smaller than the quake drop of the browser test.
const DROP: &str = "data/dev/rates";

#[test]
fn the_page_has_one_card_per_conflicts_row_and_one_row_per_fact() {
    let out = tempfile::tempdir().unwrap();
    let dir = run_drop(Path::new(DROP), out.path(), &[]);
    let page = std::fs::read_to_string(dir.join("index.html")).expect("index.html is written");
    let conflicts = csv_rows(&dir.join("conflicts.csv"));
    assert!(!conflicts.is_empty(), "{DROP} has discrepancies");
    let cards = page.matches("<article class=\"card f\"").count();
    assert_eq!(cards, conflicts.len(), "one card per row of conflicts.csv");
    for row in &conflicts {
        let rank = &row[0];
        assert!(
            page.contains(&format!("id=\"d{rank}\"")),
            "no card for conflicts.csv rank {rank}"
        );
    }
    assert!(page.contains("<mark>"), "a disputed span is highlighted");

    let facts: BTreeSet<String> = csv_rows(&dir.join("facts.csv"))
        .iter()
        .map(|r| r[0].to_string())
        .collect();
    let fact_rows = page.matches("<tr class=\"f o-").count();
    assert_eq!(
        fact_rows,
        facts.len(),
        "one fact-table row per fact of facts.csv"
    );
    let summary = csv_rows(&dir.join("summary.csv"));
    assert_eq!(
        page.matches("<details class=\"doc f\"").count(),
        summary.len(),
        "one article view per article"
    );
    for word in ["consensus", "conflict", "single_source"] {
        assert!(page.contains(&format!("o-{word}")), "outcome {word} shown");
    }

    // Self-contained: nothing is loaded from anywhere.
    for resource in ["<link", "src=", "<img", "<iframe", "@import", "url("] {
        assert!(
            !page.contains(resource),
            "the page loads something: {resource}"
        );
    }
    assert_eq!(
        page.matches("<script").count(),
        1,
        "one script, the page's own"
    );
    println!("index.html of {DROP}: {} bytes", page.len());
}

/// An article whose headers and text try to inject markup and script. (`<em>`, not `<b>`: the
/// value parser reads a lone "b" as a billion, and the value link would split the tag's text.)
const HOSTILE: &str = "title: <script>alert(1)</script> Trump \"call\" news\n\
outlet: \"><img src=x onerror=alert(1)>\n\
url: javascript:alert(document.cookie)\n\
date: 2025-07-05\n\
lang: en\n\
\n\
President Trump spoke with President Zelensky for 40 minutes on Friday <script>alert(1)</script> about air defence for Ukraine.\n\
The call came a day after a one-hour call with Vladimir Putin \"><img src=x onerror=alert(1)> officials in Kyiv said.\n\
Trump said he was 'not happy' with Putin & that the war must end soon.\n\
<em>Zelensky</em> thanked the United States for its support and wished Americans a happy Fourth of July.\n";

/// File name of the hostile article: its id is hostile too.
const HOSTILE_FILE: &str = "hostile\"><img src=x onerror=alert(2)>.txt";

/// A drop of two seed articles and the hostile one.
fn hostile_drop(root: &Path) -> PathBuf {
    let drop = root.join("hostile");
    std::fs::create_dir_all(&drop).unwrap();
    for seed in ["000_fb869e7f90e41ed4.txt", "003_695f938456953354.txt"] {
        std::fs::copy(Path::new("data/seeds").join(seed), drop.join(seed)).unwrap();
    }
    std::fs::write(drop.join(HOSTILE_FILE), HOSTILE).unwrap();
    drop
}

#[test]
fn hostile_article_text_cannot_inject_markup_or_script() {
    let root = tempfile::tempdir().unwrap();
    let drop = hostile_drop(root.path());
    let dir = run_drop(&drop, &root.path().join("out"), &[]);
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();

    // The hostile article is in the page, as text.
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
        "hostile&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
        "&lt;em&gt;Zelensky&lt;/em&gt;",
        "javascript:alert(document.cookie)",
    ] {
        assert!(page.contains(escaped), "{escaped} is not shown as text");
    }
    // No markup of it got through.
    assert!(!page.contains("<script>alert"), "a script got through");
    assert_eq!(
        page.matches("<script").count(),
        1,
        "one script, the page's own"
    );
    assert!(!page.contains("<img"), "an image element got through");
    assert!(!page.contains("<em>"), "markup of the article got through");
    for (at, _) in page.match_indices("onerror=") {
        assert!(
            page[..at].ends_with("&lt;img src=x "),
            "onerror= outside escaped text: {}",
            &page[at.saturating_sub(80)..at + 20]
        );
    }
    let lower = page.to_lowercase();
    assert!(!lower.contains("href=\"javascript"), "a javascript: link");
    assert!(!lower.contains("href=\"data:"), "a data: link");
    // Every link is to the page itself, a report file beside it, or an http(s) URL.
    for (at, _) in page.match_indices("href=\"") {
        let target = &page[at + 6..];
        let target = &target[..target.find('"').unwrap()];
        assert!(
            target.starts_with('#')
                || target.starts_with("http://")
                || target.starts_with("https://")
                || target.ends_with(".csv")
                || target == "run.json",
            "unexpected link {target}"
        );
    }
}

#[test]
fn no_html_writes_the_csv_files_only() {
    let root = tempfile::tempdir().unwrap();
    let drop = root.path().join("two");
    std::fs::create_dir_all(&drop).unwrap();
    for seed in ["000_fb869e7f90e41ed4.txt", "003_695f938456953354.txt"] {
        std::fs::copy(Path::new("data/seeds").join(seed), drop.join(seed)).unwrap();
    }
    let dir = run_drop(&drop, &root.path().join("out"), &["--no-html"]);
    assert!(dir.join("conflicts.csv").is_file());
    assert!(
        !dir.join("index.html").exists(),
        "--no-html wrote index.html"
    );
}
