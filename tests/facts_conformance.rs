//! Conformance of `crosscheck::values::facts` against the Recognizers-Text specs (MIT, Microsoft),
//! copied under `tests/fixtures/recognizers-text` for English, German and Portuguese.
//!
//! For each spec file the test runs `extract` (and `anchor` with the case's reference date)
//! and scores each case as passed when crosscheck finds exactly the expected spans and, for
//! parsers and models, the same normalised values. It prints a language × file table and
//! fails when a rate drops below the floor recorded in `FLOORS`.
//!
//! Skipped cases (not counted):
//! - cases marked NotSupported for all four reference platforms (dotnet, javascript, java,
//!   python);
//! - DateTimeModel cases expecting any type other than `datetimeV2.date` and
//!   `datetimeV2.duration` (times, date-times, date ranges, time ranges, sets, time zones:
//!   crosscheck has no time-of-day or range values);
//! - NumberModel cases expecting `fraction` or `power` subtypes (crosscheck does not read
//!   fractions or exponents).
//!
//! Offsets in the specs count characters; crosscheck's byte offsets are converted. A span that
//! adds a qualifier before the expected one ("mindestens fünf dutzend") passes: crosscheck
//! keeps qualifiers in the value's span on purpose.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use crosscheck::domain::Qualifier;
use crosscheck::values::facts::{anchor, extract, Mention, MentionKind, Value};
use serde_json::Value as Json;

const LANGUAGES: [(&str, &str); 3] = [("English", "en"), ("German", "de"), ("Portuguese", "pt")];
const FILES: [&str; 5] = [
    "DateExtractor",
    "DateTimeModel",
    "DurationExtractor",
    "DurationParser",
    "NumberModel",
];
const PLATFORMS: [&str; 4] = ["dotnet", "javascript", "java", "python"];

/// Minimum pass rate (percent) per (language, file), set just below the rate reached.
const FLOORS: [(&str, &str, f64); 15] = [
    ("English", "DateExtractor", 89.3),
    ("English", "DateTimeModel", 79.0),
    ("English", "DurationExtractor", 86.6),
    ("English", "DurationParser", 88.8),
    ("English", "NumberModel", 83.0),
    ("German", "DateExtractor", 89.2),
    ("German", "DateTimeModel", 91.2),
    ("German", "DurationExtractor", 94.2),
    ("German", "DurationParser", 99.5),
    ("German", "NumberModel", 88.6),
    ("Portuguese", "DateExtractor", 92.9),
    ("Portuguese", "DateTimeModel", 89.5),
    ("Portuguese", "DurationExtractor", 99.5),
    ("Portuguese", "DurationParser", 99.5),
    ("Portuguese", "NumberModel", 92.6),
];

fn fixtures() -> PathBuf {
    Path::new(file!())
        .parent()
        .expect("test file has a directory")
        .join("fixtures/recognizers-text")
}

fn load(language: &str, file: &str) -> Vec<Json> {
    let path = fixtures().join(language).join(format!("{file}.json"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(raw.trim_start_matches('\u{feff}')).expect("spec is JSON")
}

fn unsupported_everywhere(case: &Json) -> bool {
    let listed = case["NotSupported"]
        .as_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    let listed: Vec<&str> = listed.split(',').map(str::trim).collect();
    PLATFORMS.iter().all(|p| listed.contains(p))
}

fn skipped(file: &str, case: &Json) -> bool {
    if unsupported_everywhere(case) {
        return true;
    }
    let results = case["Results"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    results.iter().any(|r| match file {
        "DateTimeModel" => !matches!(
            r["TypeName"].as_str(),
            Some("datetimeV2.date" | "datetimeV2.duration")
        ),
        "NumberModel" => matches!(
            r["Resolution"]["subtype"].as_str(),
            Some("fraction" | "power")
        ),
        _ => false,
    })
}

fn relevant(file: &str, kind: MentionKind) -> bool {
    use MentionKind::*;
    match file {
        "DateExtractor" => matches!(kind, Date | Weekday | RelativeDate),
        "DateTimeModel" => matches!(kind, Date | Weekday | RelativeDate | Duration),
        "DurationExtractor" | "DurationParser" => kind == Duration,
        _ => matches!(kind, Number | Count),
    }
}

/// (start, length) in characters.
fn expected_span(r: &Json) -> (usize, usize) {
    let start = r["Start"].as_u64().unwrap_or(0) as usize;
    let len = match r["Length"].as_u64() {
        Some(l) => l as usize,
        None => r["End"].as_u64().unwrap_or(0) as usize + 1 - start,
    };
    (start, len)
}

fn char_span(text: &str, m: &Mention) -> (usize, usize) {
    let start = text[..m.start].chars().count();
    (start, text[m.start..m.end].chars().count())
}

/// Whether crosscheck's span of `m` is the expected one. crosscheck keeps a qualifier in the
/// value's span ("mindestens fünf dutzend", "bis zu 256": the qualifier is part of what the
/// value says), which the specs leave out: such a span passes when it ends where the
/// expected one ends and only adds words before it.
fn span_matches(expected: (usize, usize), text: &str, m: &Mention) -> bool {
    let ours = char_span(text, m);
    let qualified = matches!(
        m.value,
        Value::Quantity { qualifier, .. } | Value::Duration { qualifier, .. }
            if qualifier != Qualifier::Exact
    );
    ours == expected
        || (qualified && ours.0 < expected.0 && ours.0 + ours.1 == expected.0 + expected.1)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn number_of(s: &str, language: &str) -> Option<f64> {
    let s = if language == "English" {
        s.to_string()
    } else {
        s.replace(',', ".")
    };
    s.parse().ok()
}

fn same_value(file: &str, language: &str, r: &Json, m: &Mention) -> bool {
    match (file, &m.value) {
        ("DurationParser", Value::Duration { seconds, .. }) => r["Value"]["FutureResolution"]
            ["duration"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .is_some_and(|v: f64| close(v, *seconds)),
        ("NumberModel", Value::Quantity { value, .. }) => r["Resolution"]["value"]
            .as_str()
            .and_then(|s| number_of(s, language))
            .is_some_and(|v| close(v, *value)),
        ("DateTimeModel", _) => {
            let values = r["Resolution"]["values"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            values.iter().any(|v| same_datetime(v, m))
        }
        _ => false,
    }
}

fn same_datetime(v: &Json, m: &Mention) -> bool {
    let value = v["value"].as_str().unwrap_or("");
    if let Value::Duration { seconds, .. } = m.value {
        return value.parse().is_ok_and(|x: f64| close(x, seconds));
    }
    let timex = v["timex"].as_str().unwrap_or("");
    let timex = if timex.starts_with("XXXX-WXX-") {
        timex.to_string()
    } else {
        timex.replacen("XXXX-", "--", 1)
    };
    let resolved = m.resolved_date.map(|d| d.to_string());
    m.value.to_string() == timex || resolved.as_deref() == Some(value)
}

fn reference_date(case: &Json) -> Option<NaiveDate> {
    let text = case["Context"]["ReferenceDateTime"].as_str()?;
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

fn passes(language: &str, lang: &str, file: &str, case: &Json) -> bool {
    let input = case["Input"].as_str().unwrap_or("");
    let mut mentions: Vec<Mention> = extract(input, lang)
        .into_iter()
        .filter(|m| relevant(file, m.kind))
        .collect();
    anchor(&mut mentions, reference_date(case));
    let expected = case["Results"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if expected.len() != mentions.len() {
        return false;
    }
    expected.iter().zip(&mentions).all(|(r, m)| {
        span_matches(expected_span(r), input, m)
            && (file.ends_with("Extractor") || same_value(file, language, r, m))
    })
}

#[test]
fn recognizers_text_conformance() {
    let mut failures = Vec::new();
    println!(
        "\n{:<11} {:<18} {:>7} {:>7} {:>7}",
        "language", "file", "passed", "total", "%"
    );
    for (language, lang) in LANGUAGES {
        for file in FILES {
            let cases: Vec<Json> = load(language, file)
                .into_iter()
                .filter(|c| !skipped(file, c))
                .collect();
            let passed = cases
                .iter()
                .filter(|c| passes(language, lang, file, c))
                .count();
            let rate = if cases.is_empty() {
                100.0
            } else {
                100.0 * passed as f64 / cases.len() as f64
            };
            println!(
                "{language:<11} {file:<18} {passed:>7} {:>7} {rate:>7.1}",
                cases.len()
            );
            let floor = FLOORS
                .iter()
                .find(|(l, f, _)| *l == language && *f == file)
                .map_or(100.0, |(_, _, v)| *v);
            if rate < floor {
                failures.push(format!("{language}/{file}: {rate:.1}% < floor {floor}%"));
            }
        }
    }
    assert!(failures.is_empty(), "conformance regressed: {failures:?}");
}

/// Prints the failing cases of one file when FACTS_CONFORMANCE_DEBUG=Language/File is set.
#[test]
fn recognizers_text_debug_listing() {
    let Ok(target) = std::env::var("FACTS_CONFORMANCE_DEBUG") else {
        return;
    };
    for (language, lang) in LANGUAGES {
        for file in FILES {
            if target != format!("{language}/{file}") {
                continue;
            }
            for case in load(language, file).iter().filter(|c| !skipped(file, c)) {
                if passes(language, lang, file, case) {
                    continue;
                }
                let input = case["Input"].as_str().unwrap_or("");
                let got: Vec<String> = extract(input, lang)
                    .iter()
                    .filter(|m| relevant(file, m.kind))
                    .map(|m| format!("{:?}={}", m.text, m.value))
                    .collect();
                let want: Vec<String> = case["Results"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|r| r["Text"].to_string())
                    .collect();
                println!("{input:?}\n   want {want:?}\n   got  {got:?}");
            }
        }
    }
}
