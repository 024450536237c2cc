//! Saved web pages as articles, on the team's test pages (data/test/pages/, built by
//! tools/make_test_pages.py from the wildfire drop, in 8 languages and the shapes news sites
//! use, plus hand-written hostile pages): the metadata each page states is read right, the
//! furniture stays out of the text, bad pages are skipped with their reason, and a drop of
//! pages gives the same facts and discrepancies as the same articles as `.txt`.

mod common;

use std::path::{Path, PathBuf};

use crosscheck::domain::{DateSource, SkipReason};
use crosscheck::read::ingest::html::{extract_page, ExtractedPage};
use crosscheck::read::ingest::{read_drop, IngestConfig};

const PAGES: &str = "data/test/pages/wildfire";
const TEXTS: &str = "data/test/pages/wildfire-txt";
const LIMIT: u64 = 20_000_000;

fn page(path: &Path) -> Result<ExtractedPage, SkipReason> {
    extract_page(&std::fs::read(path).unwrap(), LIMIT)
}

/// Rows of expected.tsv: file, title, date, lang, outlet, url, shape.
fn expected() -> Vec<Vec<String>> {
    std::fs::read_to_string("data/test/pages/expected.tsv")
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn every_stated_title_date_outlet_language_and_url_is_read_right() {
    let rows = expected();
    assert_eq!(rows.len(), 8);
    let mut right = [0usize; 5];
    let mut wrong = Vec::new();
    for row in &rows {
        let p = page(&Path::new(PAGES).join(&row[0])).unwrap();
        let got = [
            p.title().map(str::to_string),
            p.meta.published.map(|d| d.to_string()),
            p.meta.language.clone(),
            p.meta.outlet.clone(),
            p.url().map(str::to_string),
        ];
        for (i, (field, value)) in ["title", "date", "lang", "outlet", "url"]
            .iter()
            .zip(got)
            .enumerate()
        {
            if value.as_deref() == Some(row[i + 1].as_str()) {
                right[i] += 1;
            } else {
                wrong.push(format!("{} {field}: {value:?} != {:?}", row[0], row[i + 1]));
            }
        }
    }
    println!(
        "metadata right of 8 pages: title {}, date {}, lang {}, outlet {}, url {}",
        right[0], right[1], right[2], right[3], right[4]
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The body paragraphs of the `.txt` twin of a page.
fn twin_paragraphs(stem: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(TEXTS).join(format!("{stem}.txt"))).unwrap();
    let body = text.split_once("\n\n").unwrap().1;
    body.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn the_body_is_the_article_and_nothing_else() {
    for row in expected() {
        let p = page(&Path::new(PAGES).join(&row[0])).unwrap();
        let stem = row[0].split('.').next().unwrap();
        // rs-trafilatura drops the no-break space French puts before `:`, `;`, `!`, `?`.
        let french = |t: &str| t.replace(['\u{a0}', '\u{202f}'], " ").replace(" :", ":");
        let mut paragraphs: Vec<String> = twin_paragraphs(stem).iter().map(|p| french(p)).collect();
        let mut got: Vec<String> = p.body.split("\n\n").map(french).collect();
        if row[6] == "liveblog" {
            // A live blog lists its newest entry first.
            paragraphs.sort();
            got.sort();
        }
        assert_eq!(got, paragraphs, "{}", row[0]);
        for furniture in [
            "cookies",
            "Share on Facebook",
            "Heatwave grips",
            "marco77",
            "All rights reserved",
            "dataLayer",
            "Foto 1",
            "Assine o Jornal",
            "Publicidade",
            "Leia também",
            "Réagir",
        ] {
            assert!(!p.body.contains(furniture), "{}: {furniture}", row[0]);
        }
    }
}

#[test]
fn pages_in_a_drop_become_articles_with_their_metadata() {
    let drop = read_drop(Path::new(PAGES), &IngestConfig::default()).unwrap();
    assert_eq!(drop.articles.len(), 8, "{:?}", drop.warnings);
    let ids: Vec<&str> = drop.articles.iter().map(|a| a.id.as_str()).collect();
    assert!(ids.contains(&"04_cronaca-it"), "{ids:?}");
    for a in &drop.articles {
        assert!(matches!(a.date, Some((_, DateSource::Page))), "{}", a.id);
        assert!(a.declared_language.is_some(), "{}", a.id);
        assert!(a.text.starts_with("title: "), "{}", a.id);
        assert!(a.page.is_some());
    }
    let es = drop
        .articles
        .iter()
        .find(|a| a.id == "05_diario-es")
        .unwrap();
    assert!(
        es.body().contains("hectáreas"),
        "Windows-1252 decoded as declared"
    );
    let pt = drop
        .articles
        .iter()
        .find(|a| a.id == "08_jornal-pt")
        .unwrap();
    assert_eq!(
        pt.page.as_ref().unwrap().modified.as_deref(),
        Some("2026-07-31")
    );
}

#[test]
fn a_template_language_that_the_text_contradicts_is_not_used() {
    let html = std::fs::read_to_string(Path::new(PAGES).join("08_jornal-pt.html")).unwrap();
    let lying = html.replacen("<html lang=\"pt\">", "<html lang=\"en\">", 1);
    let p = extract_page(lying.as_bytes(), LIMIT).unwrap();
    assert_eq!(p.meta.language, None);
    assert!(!p.as_text().contains("lang: "));
    assert!(
        p.notes
            .iter()
            .any(|n| n.to_string().contains("reads as \"pt\"")),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_value_given_by_the_user_wins_over_the_page() {
    let html = std::fs::read(Path::new(PAGES).join("01_wire-en.html")).unwrap();
    let mut saved = b"<!-- saved by crosscheck fetch\nlink: https://example-wire.com/x\ngiven-date: 2026-08-01\ngiven-outlet: My Outlet\n-->\n".to_vec();
    saved.extend(html);
    let p = extract_page(&saved, LIMIT).unwrap();
    let text = p.as_text();
    assert!(text.contains("date: 2026-08-01\n"), "{text}");
    assert!(text.contains("outlet: My Outlet\n"), "{text}");
    assert!(
        text.contains("url: https://example-wire.com/world/2026/07/29/"),
        "{text}"
    );
}

fn skipped(name: &str) -> SkipReason {
    page(&Path::new("data/test/pages/hostile").join(name)).unwrap_err()
}

#[test]
fn pages_without_an_article_are_skipped_with_the_reason() {
    for (name, reason) in [
        ("consent-wall.html", "consent or paywall"),
        ("home-page.html", "list of links"),
        ("search-page.html", "list of links"),
    ] {
        let why = skipped(name).to_string();
        assert!(why.contains(reason), "{name}: {why}");
        assert!(why.contains("no article"), "{name}: {why}");
    }
    assert_eq!(skipped("empty.html"), SkipReason::Empty);
    assert!(matches!(
        skipped("not-html.html"),
        SkipReason::Binary { .. }
    ));
}

#[test]
fn scripts_styles_and_markup_never_reach_the_text() {
    let p = page(Path::new("data/test/pages/hostile/injection.html")).unwrap();
    let text = p.as_text();
    for bad in [
        "<",
        ">",
        "alert",
        "SCRIPT TEXT",
        "STYLE TEXT",
        "NOSCRIPT",
        "IFRAME",
        "javascript:",
    ] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
    assert_eq!(p.title(), Some("Harbour reopens after storm"));
    assert_eq!(p.url(), None);
    assert!(text.contains("320 passengers"));
    let broken = page(Path::new("data/test/pages/hostile/broken-markup.html")).unwrap();
    assert!(
        broken
            .body
            .contains("About 5,000 commuters use the line every day."),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("built in 1911"));
}

#[test]
fn huge_and_packed_pages_are_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = b"<html><body><p>".to_vec();
    big.resize(21_000_000, b'a');
    std::fs::write(dir.path().join("big.html"), &big).unwrap();
    // 30 MB of zeros packed into a few KB: refused once unpacked past the limit.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &vec![b' '; 30_000_000]).unwrap();
    std::fs::write(dir.path().join("bomb.html.gz"), gz.finish().unwrap()).unwrap();
    let drop = read_drop(dir.path(), &IngestConfig::default()).unwrap();
    assert!(drop.articles.is_empty());
    let warnings: Vec<String> = drop.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.contains("over the limit")),
        "{warnings:?}"
    );
}

/// Copies `names` (file stems) of `from` with extension matching into a fresh folder `to`.
fn subset(from: &str, to: &Path, stems: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if stems.iter().any(|s| name.starts_with(s)) {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// A CSV report's rows as cells, without the columns that name offsets (a page's text is its
/// extracted text, whose header lines differ in order from the twin's).
fn rows_without_offsets(report: &Path, file: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(report.join(file)).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let keep: Vec<usize> = (0..headers.len())
        .filter(|&i| {
            !matches!(
                headers[i].as_str(),
                "start" | "end" | "start_a" | "end_a" | "start_b" | "end_b"
            )
        })
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            keep.iter().map(|&i| r[i].to_string()).collect()
        })
        .collect()
}

#[test]
fn a_drop_of_pages_gives_the_same_facts_and_discrepancies_as_its_text_twin() {
    let dir = tempfile::tempdir().unwrap();
    let stems = [
        "01_wire-en",
        "02_nachrichten-de",
        "05_diario-es",
        "08_jornal-pt",
    ];
    let pages: PathBuf = dir.path().join("pages");
    let texts: PathBuf = dir.path().join("texts");
    subset(PAGES, &pages, &stems);
    subset(TEXTS, &texts, &stems);
    let out = dir.path().join("out");
    let page_report = common::run_drop(&pages, &out, &["--no-archive", "--no-html"]);
    let text_report = common::run_drop(&texts, &out, &["--no-archive", "--no-html"]);
    for file in ["facts.csv", "conflicts.csv", "pairs.csv"] {
        let a = rows_without_offsets(&page_report, file);
        let b = rows_without_offsets(&text_report, file);
        assert_eq!(a, b, "{file} differs");
        if file != "pairs.csv" {
            assert!(!a.is_empty(), "{file} is empty");
        }
    }
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(page_report.join("run.json")).unwrap())
            .unwrap();
    let pt = run["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "08_jornal-pt")
        .unwrap();
    assert_eq!(pt["page"]["modified"], "2026-07-31", "{pt}");
    // The extracted text is kept beside the reports, and offsets point into it.
    let facts = csv::Reader::from_path(page_report.join("facts.csv"))
        .unwrap()
        .into_records()
        .map(|r| r.unwrap())
        .collect::<Vec<_>>();
    let headers = csv::Reader::from_path(page_report.join("facts.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for row in facts.iter().take(20) {
        let text = std::fs::read_to_string(
            page_report
                .join("pages")
                .join(format!("{}.txt", &row[col("article")])),
        )
        .unwrap();
        let (start, end): (usize, usize) = (
            row[col("start")].parse().unwrap(),
            row[col("end")].parse().unwrap(),
        );
        assert_eq!(&text[start..end], &row[col("span")], "{row:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// Any soup of tags, entities, scripts and words: extraction never panics, and no tag or
    /// script text reaches the article's text.
    #[test]
    fn no_markup_soup_panics_or_leaks_tags(parts in proptest::collection::vec(proptest::sample::select(vec![
        "<p>", "</p>", "<div>", "</div>", "<a href=\"javascript:alert(1)\">", "</a>", "<script>evil()</script>",
        "<style>.x{}</style>", "<title>", "</title>", "&lt;b&gt;", "&amp;", "<!--", "-->", "<h1>", "</h1>",
        "<meta property=\"og:title\" content=\"&lt;i&gt;T\">", "<time datetime=\"2026-07-29\">",
        "The harbour reopened on Monday after the storm, officials said.", "About 40 ships waited.",
        "word", " ", "\n", "<br>", "<![CDATA[x]]>", "<svg><script>evil()</script></svg>", "\u{feff}", "é",
    ]), 0..120)) {
        let html: String = parts.concat();
        if let Ok(page) = extract_page(html.as_bytes(), LIMIT) {
            let text = page.as_text();
            proptest::prop_assert!(!text.contains("evil()"), "{}", text);
            proptest::prop_assert!(!text.contains("<script") && !text.contains("<p>") && !text.contains("</"), "{}", text);
        }
    }
}
