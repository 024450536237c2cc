//! The `boilerplate` stage: page furniture is not a claim. Sentences such as "Junte-se a nós
//! no Telegram", "[Anzeige_2]", "Kommentar (0)", "Quelle: https://...", site names, photo
//! captions and bylines are marked dropped, with a reason, and never reach the pairing.
//!
//! Language-specific patterns live in `data/boilerplate.tsv` (language or `*`, reason, regex);
//! the structural rules (fragments, links after a "related" marker) are below.

use regex::Regex;
use std::sync::OnceLock;

use crate::segment::Sentence;

/// One furniture pattern from the data file.
struct Pattern {
    language: String,
    reason: String,
    regex: Regex,
}

/// The patterns of `data/boilerplate.tsv`, compiled once.
fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        include_str!("../data/boilerplate.tsv")
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let mut cols = line.splitn(3, '\t');
                let (language, reason, pattern) = (
                    cols.next().unwrap_or_default(),
                    cols.next().unwrap_or_default(),
                    cols.next().unwrap_or_default(),
                );
                Pattern {
                    language: language.to_string(),
                    reason: reason.to_string(),
                    regex: Regex::new(pattern).unwrap_or_else(|e| {
                        panic!("data/boilerplate.tsv: bad pattern {pattern:?}: {e}")
                    }),
                }
            })
            .collect()
    })
}

/// Reason given to a line that follows a "related links" marker and is not a sentence.
pub const RELATED_LINK: &str = "related_link";
/// Reason given to a line with fewer than [`MIN_WORDS`] words.
pub const FRAGMENT: &str = "fragment";
/// Fewer words than this (of two letters or more) and a line is a fragment, not a claim.
pub const MIN_WORDS: usize = 3;

/// Why `text` is page furniture, or `None` when it may be a claim. Patterns of the sentence's
/// language, the article's language and `*` apply.
pub fn furniture_reason(
    text: &str,
    sentence_language: &str,
    article_language: &str,
) -> Option<String> {
    let text = text.trim();
    let by_pattern = patterns().iter().find(|p| {
        (p.language == "*" || p.language == sentence_language || p.language == article_language)
            && p.regex.is_match(text)
    });
    if let Some(p) = by_pattern {
        return Some(p.reason.clone());
    }
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    (words < MIN_WORDS).then(|| FRAGMENT.to_string())
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
            None if after_related_marker && !ends_like_sentence => Some(RELATED_LINK.to_string()),
            None => None,
        };
        after_related_marker = matches!(
            sentence.dropped.as_deref(),
            Some("related_links" | RELATED_LINK)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_furniture_is_recognised() {
        let cases = [
            ("Junte -se a nós no Telegram", "pt", "social_promo"),
            ("Siga nossa cobertura da guerra no @Kyivpost_official.", "pt", "social_promo"),
            ("[Anzeige_2]", "de", "ad_placeholder"),
            ("Kommentar (0)", "de", "comment_counter"),
            ("Quelle: https://dantri.com.vn/the-gioi/x-20250320062607212.htm", "de", "source_link"),
            ("10Mənbələr", "en", FRAGMENT),
            ("News.Az", "en", "site_name"),
            ("news.az", "en", "site_name"),
            ("50", "en", FRAGMENT),
            ("Outros tópicos de interesse", "pt", "related_links"),
            (
                "US-Präsident Donald Trump und der russische Präsident Wladimir Putin trafen sich 2018 in Finnland (Foto: AFP).",
                "de",
                "photo_caption",
            ),
        ];
        for (text, lang, reason) in cases {
            assert_eq!(
                furniture_reason(text, lang, lang).as_deref(),
                Some(reason),
                "{text}"
            );
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
}
