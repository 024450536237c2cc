//! Property tests of the parsers that take outside input: decoding, header lines, manifests,
//! sentence splitting and the typed-fact extractors. Whatever the bytes, they must not panic,
//! and every offset they return must point at the text it claims. proptest keeps any failing
//! case under `proptest-regressions/` so that it is replayed on every later run.

use proptest::prelude::*;
use std::path::Path;

use crosscheck::domain::ArticleLanguage;
use crosscheck::read::ingest::{decode, parse_article, parse_manifest};

/// Text with what breaks parsers: header-like lines, multi-byte letters at the start, quotes,
/// digits in local formats, lone CRs, control bytes.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("date: 2025-07-04\n".to_string()),
        Just("lang: pt\r".to_string()),
        Just("title:".to_string()),
        Just(" date 2025-07 ".to_string()),
        Just("Também ".to_string()),
        Just("Élysée ".to_string()),
        Just("Президент ".to_string()),
        Just("总统周五".to_string()),
        Just("ประธานาธิบดี".to_string()),
        Just("„Wir reden. Später“ ".to_string()),
        Just("“Quote. Two”, said he. ".to_string()),
        Just("1.354 ".to_string()),
        Just("1,354 ".to_string()),
        Just("1 354 ".to_string()),
        Just("3,75 % ".to_string()),
        Just("about 40 minutes ".to_string()),
        Just("sexta -feira ".to_string()),
        Just("on Friday the 13th ".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just(". ".to_string()),
        Just("\u{feff}".to_string()),
        "\\PC{0,12}",
        "[0-9.,: -]{0,8}",
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn decoding_never_panics_and_offsets_stay_in_the_file(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(decoded) = decode(&bytes) {
            let mut last = 0;
            for (at, _) in decoded.text.char_indices() {
                let file = decoded.offsets.to_file(at);
                prop_assert!(file <= bytes.len());
                prop_assert!(file >= last);
                last = file;
            }
        }
    }

    #[test]
    fn articles_parse_without_panic_and_bodies_are_in_the_text(text in hostile_text()) {
        if let Ok(article) = parse_article("a".into(), Path::new("a.txt"), text.as_bytes()) {
            prop_assert!(article.text.is_char_boundary(article.body_start));
            prop_assert!(!article.body().trim().is_empty());
        }
    }

    #[test]
    fn manifests_parse_without_panic(text in hostile_text(), quote in any::<bool>()) {
        let csv = format!("id,lang,text\nx,pt,{}{text}\n", if quote { "\"" } else { "" });
        let _ = parse_manifest(Path::new("m.csv"), csv.as_bytes(), true);
        let _ = parse_manifest(Path::new("m.jsonl"), text.as_bytes(), false);
    }

    #[test]
    fn sentences_point_at_their_text(text in hostile_text(), lang in prop::sample::select(vec!["en", "pt", "de", "th", "zh", "und"])) {
        if let Ok(article) = parse_article("a".into(), Path::new("a.txt"), text.as_bytes()) {
            let language = ArticleLanguage { code: lang.into(), confidence: 1.0 };
            let (sentences, _) = crosscheck::read::segment::split(0, &article, &language, crosscheck::read::segment::DEFAULT_MAX_SENTENCES);
            for s in sentences {
                prop_assert_eq!(&article.text[s.start..s.end], s.text.as_str());
            }
        }
    }

    #[test]
    fn facts_point_at_their_text(text in hostile_text(), lang in prop::sample::select(vec!["en", "pt", "ro", "id", "de", "es", "fr", "it"])) {
        for m in crosscheck::values::facts::extract(&text, lang) {
            prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
        }
    }
}
