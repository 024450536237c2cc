//! The `segment` stage: splits each article into sentences with byte offsets, and detects the
//! language of the article and of each sentence (so stray furniture in another language shows).

use crate::ingest::Article;

/// One sentence of one article.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Index of the article in the drop.
    pub article: usize,
    /// Position of the sentence within its article, from 0.
    pub index: usize,
    /// Byte offset of the first character in the article text.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The sentence, trimmed.
    pub text: String,
    /// ISO 639-1 code of the detected language.
    pub language: String,
    /// Confidence of the language detection, 0 to 1.
    pub language_confidence: f64,
}

/// Language of a text: ISO 639-1 code and confidence, or `None` when it cannot be told.
pub fn detect_language(text: &str) -> Option<(String, f64)> {
    let info = whatlang::detect(text)?;
    Some((iso_639_1(info.lang()).to_string(), info.confidence()))
}

/// Maps whatlang's ISO 639-3 languages to the two-letter codes sentencex and reports use.
fn iso_639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Por => "pt",
        Ron => "ro",
        Ind => "id",
        Eng => "en",
        Deu => "de",
        Spa => "es",
        Fra => "fr",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Aze => "az",
        Tur => "tr",
        other => other.code(),
    }
}

/// Opening and closing quotation marks whose content may hold several sentences.
const QUOTE_PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('„', '“'),
    ('„', '”'),
    ('«', '»'),
    ('"', '"'),
    ('‘', '’'),
];

/// Byte spans of `text` between sentence boundaries: sentencex's boundaries, plus the
/// boundaries inside quotations (sentencex keeps a quoted passage whole, but each quoted
/// sentence is a claim of its own), plus line breaks (headlines and page furniture sit on
/// lines of their own, often without a full stop).
fn sentence_spans(text: &str, language: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for boundary in sentencex::get_sentence_boundaries(language, text) {
        let (start, end) = (boundary.start_byte, boundary.end_byte);
        let mut cuts = quoted_sentence_starts(&text[start..end], language);
        cuts.extend(text[start..end].match_indices('\n').map(|(i, _)| i + 1));
        cuts.sort_unstable();
        cuts.dedup();
        let mut from = start;
        for cut in cuts.into_iter().map(|c| start + c) {
            spans.push((from, cut));
            from = cut;
        }
        spans.push((from, end));
    }
    spans
}

/// Offsets in `sentence` where a sentence starts inside a quotation.
fn quoted_sentence_starts(sentence: &str, language: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    for &(open, close) in QUOTE_PAIRS {
        let mut search_from = 0;
        while let Some(o) = sentence[search_from..].find(open) {
            let inner_start = search_from + o + open.len_utf8();
            let Some(c) = sentence[inner_start..].find(close) else {
                break;
            };
            let inner = &sentence[inner_start..inner_start + c];
            let inner_boundaries = sentencex::get_sentence_boundaries(language, inner);
            cuts.extend(
                inner_boundaries
                    .iter()
                    .skip(1)
                    .map(|b| inner_start + b.start_byte),
            );
            search_from = inner_start + c + close.len_utf8();
        }
    }
    cuts
}

/// Splits an article into sentences; `language` picks sentencex's rules (abbreviations etc.).
pub fn split(article_index: usize, article: &Article, language: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for (start, end) in sentence_spans(&article.text, language) {
        let span = &article.text[start..end];
        let trimmed = span.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = start + (span.len() - span.trim_start().len());
        let (language, language_confidence) = detect_language(trimmed)
            .filter(|(_, c)| *c >= 0.5)
            .unwrap_or_else(|| (language.to_string(), 0.0));
        sentences.push(Sentence {
            article: article_index,
            index: sentences.len(),
            start,
            end: start + trimmed.len(),
            text: trimmed.to_string(),
            language,
            language_confidence,
        });
    }
    sentences
}
