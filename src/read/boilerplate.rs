//! The `boilerplate` stage: page furniture is not a claim. Sentences such as "Junte-se a nós
//! no Telegram", "\[Anzeige_2\]", "Kommentar (0)", "Quelle: https://...", site names, photo
//! captions and bylines are marked dropped, with a reason, and never reach the pairing.
//!
//! Language-specific patterns live in `data/boilerplate.tsv` (language or `*`, reason, regex);
//! the structural rules (fragments, links after a "related" marker) are below.
//!
//! ```
//! use crosscheck::read::boilerplate::furniture_reason;
//! assert!(furniture_reason("[Anzeige_2]", "de", "de").is_some());
//! assert!(furniture_reason("Das Beben tötete 38 Menschen in der Region.", "de", "de").is_none());
//! ```

use regex::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

use crate::domain::{DropReason, Sentence};

/// One furniture pattern: a row of `data/boilerplate.tsv`.
#[derive(Deserialize)]
struct Row {
    lang: String,
    reason: DropReason,
    pattern: String,
}

/// One furniture pattern, compiled.
struct Pattern {
    language: String,
    reason: DropReason,
    regex: Regex,
}

/// The patterns of `data/boilerplate.tsv`, compiled once.
fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .quoting(false)
            .from_reader(include_str!("../../data/boilerplate.tsv").as_bytes())
            .deserialize::<Row>()
            .map(|row| {
                let row = row.unwrap_or_else(|e| panic!("data/boilerplate.tsv: bad row: {e}"));
                Pattern {
                    regex: Regex::new(&row.pattern).unwrap_or_else(|e| {
                        panic!("data/boilerplate.tsv: bad pattern {:?}: {e}", row.pattern)
                    }),
                    language: row.lang,
                    reason: row.reason,
                }
            })
            .collect()
    })
}

/// Fewer words than this (of two letters or more) and a line is a fragment, not a claim.
pub const MIN_WORDS: usize = 3;

/// In a language written without spaces between words (Thai, Chinese, Japanese), fewer
/// letters than this and a line is a fragment.
pub const MIN_UNSPACED_LETTERS: usize = 8;

/// Why `text` is page furniture, or `None` when it may be a claim. Patterns of the sentence's
/// language, the article's language and `*` apply.
pub fn furniture_reason(
    text: &str,
    sentence_language: &str,
    article_language: &str,
) -> Option<DropReason> {
    let text = text.trim();
    let by_pattern = patterns().iter().find(|p| {
        (p.language == "*" || p.language == sentence_language || p.language == article_language)
            && p.regex.is_match(text)
    });
    if let Some(p) = by_pattern {
        return Some(p.reason);
    }
    let spaced = crate::lang::find(sentence_language).is_none_or(|l| l.spaced);
    if !spaced {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        return (letters < MIN_UNSPACED_LETTERS).then_some(DropReason::Fragment);
    }
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    (words < MIN_WORDS).then_some(DropReason::Fragment)
}

/// Marks furniture in one article's sentences (`article_language` is the article's).
/// Lines right after a "related links" marker that do not end like a sentence are link titles.
pub fn mark(sentences: &mut [Sentence], article_language: &str) {
    let mut after_related_marker = false;
    for sentence in sentences.iter_mut() {
        let reason = furniture_reason(&sentence.text, &sentence.language, article_language);
        let ends_like_sentence = sentence
            .text
            .trim_end()
            .ends_with(['.', '!', '?', '"', '”', '»']);
        sentence.dropped = match reason {
            Some(r) => Some(r),
            None if after_related_marker && !ends_like_sentence => Some(DropReason::RelatedLink),
            None => None,
        };
        after_related_marker = matches!(
            sentence.dropped,
            Some(DropReason::RelatedLinks | DropReason::RelatedLink)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_furniture_is_recognised() {
        let cases = [
            ("Junte -se a nós no Telegram", "pt", DropReason::SocialPromo),
            ("Siga nossa cobertura da guerra no @Kyivpost_official.", "pt", DropReason::SocialPromo),
            ("[Anzeige_2]", "de", DropReason::AdPlaceholder),
            ("Kommentar (0)", "de", DropReason::CommentCounter),
            ("Quelle: https://dantri.com.vn/the-gioi/x-20250320062607212.htm", "de", DropReason::SourceLink),
            ("10Mənbələr", "en", DropReason::Fragment),
            ("News.Az", "en", DropReason::SiteName),
            ("news.az", "en", DropReason::SiteName),
            ("50", "en", DropReason::Fragment),
            ("Outros tópicos de interesse", "pt", DropReason::RelatedLinks),
            (
                "US-Präsident Donald Trump und der russische Präsident Wladimir Putin trafen sich 2018 in Finnland (Foto: AFP).",
                "de",
                DropReason::PhotoCaption,
            ),
        ];
        for (text, lang, reason) in cases {
            assert_eq!(furniture_reason(text, lang, lang), Some(reason), "{text}");
        }
    }

    #[test]
    fn claims_are_kept() {
        for (text, lang) in [
            (
                "Trump says Ukraine needs patriot missiles, slams Putin over ceasefire stalemate",
                "en",
            ),
            (
                "Putin telah menolak untuk berkomitmen pada pertemuan.",
                "id",
            ),
            ("Kommentare zu Trumps Anruf gab es viele.", "de"),
        ] {
            assert_eq!(furniture_reason(text, lang, lang), None, "{text}");
        }
    }

    #[test]
    fn sentences_without_spaces_are_not_fragments() {
        let thai = "นายกรัฐมนตรีพูดคุยทางโทรศัพท์กับประธานาธิบดีเป็นเวลาสี่สิบนาที";
        assert_eq!(furniture_reason(thai, "th", "th"), None);
        assert_eq!(
            furniture_reason("ข่าว", "th", "th"),
            Some(DropReason::Fragment)
        );
    }
}
