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

/// Splits an article into sentences; `language` picks sentencex's rules (abbreviations etc.).
pub fn split(article_index: usize, article: &Article, language: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for boundary in sentencex::get_sentence_boundaries(language, &article.text) {
        // A sentence never spans a line break: articles put headlines and furniture on lines
        // of their own, without a full stop.
        let mut offset = boundary.start_byte;
        for line in boundary.text.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let start = offset + (line.len() - line.trim_start().len());
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
            offset += line.len();
        }
    }
    sentences
}
