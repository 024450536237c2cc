//! The `segment` stage: splits each article into sentences with byte offsets, and detects the
//! language of the article and of each sentence (so stray furniture in another language shows).
//!
//! ```
//! use crosscheck::domain::Article;
//! use crosscheck::read::segment::{article_language, split, DEFAULT_MAX_SENTENCES};
//! let article = Article::new(
//!     "a".into(),
//!     std::path::Path::new("a.txt"),
//!     "The quake struck at dawn. Rescuers searched all night.".into(),
//!     String::new(),
//! );
//! let language = article_language(&article);
//! let (sentences, _notes) = split(0, &article, &language, DEFAULT_MAX_SENTENCES);
//! assert_eq!(sentences.len(), 2);
//! assert_eq!(&article.text[sentences[1].start..sentences[1].end], "Rescuers searched all night.");
//! ```

use std::borrow::Cow;

use crate::domain::{Article, ArticleLanguage, Notice, Sentence, UNKNOWN_LANGUAGE};
use crate::lang::Language;

/// The sentence as the NLI model should read it: without an opening quotation mark that
/// the split left unclosed (a quotation of several sentences leaves its opening mark on the
/// first sentence). On the seeds such a mark cost an exact pt/ro translation of a quote its
/// entailment (0.37 against 0.85 without it). The closing mark on the quotation's last
/// sentence is kept: it shows where the quoted claim ends and the attribution ("”, escreveu
/// Zelensky") begins, and without it two translated quotes lost their agreement.
pub fn nli_text(text: &str) -> Cow<'_, str> {
    without_unclosed_quotes(text)
}

/// Sentences shorter than this (in characters) inherit their article's language: detection
/// on a handful of words is a guess.
const MIN_CHARS_FOR_SENTENCE_LANGUAGE: usize = 40;

/// Sentences longer than this many characters are cut (at a space, comma or semicolon) into
/// pieces the models can read whole: e5 reads 512 tokens and NLI 256 per pair, and a "sentence"
/// of thousands of characters is a page without full stops, not one claim.
pub const MAX_SENTENCE_CHARS: usize = 1_000;

/// Language of a text, restricted to the registry's languages (far more reliable on short
/// sentences than all of whatlang's 69), with the detector's confidence (0-1); `None` when it
/// cannot be told.
pub fn detect_language(text: &str) -> Option<(&'static Language, f64)> {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        whatlang::Detector::with_allowlist(
            crate::lang::LANGUAGES.iter().map(|l| l.detector).collect(),
        )
    });
    let info = detector.detect(text)?;
    Some((crate::lang::by_detector(info.lang())?, info.confidence()))
}

/// Decides the language of an article: declared in its header, or detected on its body.
pub fn article_language(article: &Article) -> ArticleLanguage {
    if let Some(code) = &article.declared_language {
        return ArticleLanguage {
            code: code.clone(),
            confidence: 1.0,
        };
    }
    match detect_language(article.body()) {
        Some((language, confidence)) => ArticleLanguage {
            code: language.code.to_string(),
            confidence,
        },
        None => ArticleLanguage {
            code: UNKNOWN_LANGUAGE.to_string(),
            confidence: 0.0,
        },
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

/// `text` without its opening quotation marks that are never closed. Marks are matched
/// innermost first over `QUOTE_PAIRS`, so „…“ (German) and “…” (English) both balance, and a
/// closing mark with no opening one before it is left alone; the text is trimmed.
pub fn without_unclosed_quotes(text: &str) -> Cow<'_, str> {
    let is_pair = |open: char, close: char| QUOTE_PAIRS.contains(&(open, close));
    let opens = |c: char| QUOTE_PAIRS.iter().any(|&(o, _)| o == c);
    let mut open_marks: Vec<(usize, char)> = Vec::new();
    for (at, c) in text.char_indices() {
        if open_marks.last().is_some_and(|&(_, open)| is_pair(open, c)) {
            open_marks.pop();
        } else if opens(c) {
            open_marks.push((at, c));
        }
    }
    if open_marks.is_empty() {
        return Cow::Borrowed(text);
    }
    let kept: String = text
        .char_indices()
        .filter(|(at, _)| !open_marks.iter().any(|&(open_at, _)| open_at == *at))
        .map(|(_, c)| c)
        .collect();
    Cow::Owned(kept.trim().to_string())
}

/// Byte spans of `text` between sentence boundaries: sentencex's boundaries, plus the
/// boundaries inside quotations (sentencex keeps a quoted passage whole, but each quoted
/// sentence is a claim of its own), plus line breaks (headlines and page furniture sit on
/// lines of their own, often without a full stop). A boundary right after a full stop with no
/// space behind it is undone: "News.Az reports" or "news.az" is one word, not two sentences.
fn sentence_spans(text: &str, language: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for boundary in sentencex::get_sentence_boundaries(language, text) {
        let (start, end) = (boundary.start_byte, boundary.end_byte);
        let mut cuts = quoted_sentence_starts(&text[start..end], language);
        cuts.extend(line_breaks(&text[start..end]));
        cuts.sort_unstable();
        cuts.dedup();
        let mut from = start;
        for cut in cuts.into_iter().map(|c| start + c) {
            spans.push((from, cut));
            from = cut;
        }
        spans.push((from, end));
    }
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if last.1 == start && inside_word(text, start) => last.1 = end,
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Offsets just after each line break of `text` (`\n`, or a lone `\r` as old Mac files end
/// their lines).
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .filter(|&(i, c)| c == '\n' || (c == '\r' && !text[i + 1..].starts_with('\n')))
        .map(|(i, _)| i + 1)
}

/// Whether byte offset `at` falls between a full stop and a letter or digit of one token.
fn inside_word(text: &str, at: usize) -> bool {
    text[..at].ends_with('.') && text[at..].chars().next().is_some_and(char::is_alphanumeric)
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

/// Default of `--max-sentences`: at most this many sentences of one article are read. A long
/// news article has a few hundred; 5,000 is a report of a hundred pages. Every later stage
/// (claims, embeddings, pairs, values, facts) grows with the sentences, so this bounds the
/// time and memory one article can take (see README "What crosscheck does with bad input").
pub const DEFAULT_MAX_SENTENCES: usize = 5_000;

/// Splits an article's body into sentences (offsets index into `article.text`), each with its
/// own detected language when it is long enough to tell, else the article's. Sentences longer
/// than [`MAX_SENTENCE_CHARS`] are cut into pieces, with a note. After `max_sentences`
/// sentences the rest of the article is not read, with a note that says where it stopped.
pub fn split(
    article_index: usize,
    article: &Article,
    language: &ArticleLanguage,
    max_sentences: usize,
) -> (Vec<Sentence>, Vec<Notice>) {
    let rules = crate::lang::find(&language.code)
        .map_or(crate::lang::GENERIC_SENTENCE_RULES, |l| l.sentence_rules);
    let mut sentences = Vec::new();
    let mut notes = Vec::new();
    for (start, end) in sentence_spans(article.body(), rules) {
        let span = &article.body()[start..end];
        if span.trim().is_empty() {
            continue;
        }
        let pieces = pieces(span);
        if pieces.len() > 1 {
            notes.push(Notice::LongSentenceSplit {
                chars: span.trim().chars().count(),
                pieces: pieces.len(),
            });
        }
        for (from, to) in pieces {
            let piece = &span[from..to];
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let start =
                article.body_start + start + from + (piece.len() - piece.trim_start().len());
            if sentences.len() == max_sentences {
                notes.push(Notice::ArticleCut {
                    sentences: max_sentences,
                    at_byte: start,
                    bytes: article.text.len(),
                });
                return (sentences, notes);
            }
            let detected = (trimmed.chars().count() >= MIN_CHARS_FOR_SENTENCE_LANGUAGE)
                .then(|| detect_language(trimmed))
                .flatten();
            let (language, language_confidence) = match detected {
                Some((detected, confidence)) => (detected.code.to_string(), confidence),
                None => (language.code.clone(), language.confidence),
            };
            sentences.push(Sentence {
                article: article_index,
                index: sentences.len(),
                start,
                end: start + trimmed.len(),
                text: trimmed.to_string(),
                language,
                language_confidence,
                dropped: None,
            });
        }
    }
    (sentences, notes)
}

/// `span` cut into pieces of at most [`MAX_SENTENCE_CHARS`] characters, each ending after the
/// last semicolon, comma or space before the limit (or at the limit when there is none).
fn pieces(span: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while span[from..].chars().count() > MAX_SENTENCE_CHARS {
        let limit = span[from..]
            .char_indices()
            .nth(MAX_SENTENCE_CHARS)
            .map_or(span.len(), |(i, _)| from + i);
        let window = &span[from..limit];
        let cut = [';', ',', ' ']
            .iter()
            .find_map(|&c| {
                window
                    .rfind(c)
                    .filter(|&i| i > 0)
                    .map(|i| from + i + c.len_utf8())
            })
            .unwrap_or(limit);
        out.push((from, cut));
        from = cut;
    }
    out.push((from, span.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article::new(
            "t".into(),
            std::path::Path::new("t.txt"),
            text.into(),
            String::new(),
        )
    }

    fn texts(text: &str, lang: &str) -> Vec<String> {
        let language = ArticleLanguage {
            code: lang.into(),
            confidence: 1.0,
        };
        split(0, &article(text), &language, DEFAULT_MAX_SENTENCES)
            .0
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn quoted_sentences_are_split() {
        let t = texts(
            "“Conversamos sobre a defesa. Também concordamos em uma reunião”, escreveu Zelensky.",
            "pt",
        );
        assert_eq!(
            t,
            vec![
                "“Conversamos sobre a defesa.",
                "Também concordamos em uma reunião”, escreveu Zelensky."
            ]
        );
    }

    #[test]
    fn unclosed_opening_quotation_marks_are_left_out_for_nli() {
        let t = texts(
            "“Conversamos sobre a defesa. Também concordamos em uma reunião”, escreveu Zelensky.",
            "pt",
        );
        assert_eq!(
            without_unclosed_quotes(&t[0]),
            "Conversamos sobre a defesa."
        );
        assert_eq!(
            without_unclosed_quotes("„Am vorbit despre apărare."),
            "Am vorbit despre apărare."
        );
        assert_eq!(
            without_unclosed_quotes("Er sagte: „Wir reden. Später"),
            "Er sagte: Wir reden. Später"
        );
        for kept in [
            "Também concordamos em uma reunião”, escreveu Zelensky.",
            "Er nannte das Gespräch „sehr gut“.",
            "He called it “very good”, and “productive”.",
            "Zelensky saudou uma “conversa frutífera” com Trump.",
            "She said \"yes\" twice.",
            "Trump didn’t say when.",
        ] {
            assert!(
                matches!(without_unclosed_quotes(kept), Cow::Borrowed(_)),
                "{kept}"
            );
        }
    }

    #[test]
    fn a_full_stop_inside_a_word_is_no_boundary() {
        assert_eq!(
            texts(
                "He criticized Putin, News.Az reports, citing Reuters. Then he left.",
                "en"
            ),
            vec![
                "He criticized Putin, News.Az reports, citing Reuters.",
                "Then he left."
            ]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            texts("The U.S. military paused shipments. Kyiv asked why.", "en").len(),
            2
        );
        assert_eq!(
            texts(
                "Hr. Selenskyj forderte 20 Batterien. Trump stimmte zu.",
                "de"
            )
            .len(),
            2
        );
    }

    #[test]
    fn headlines_without_full_stop_stand_alone() {
        let t = texts("Trump says Ukraine needs patriot missiles\n\nU.S. President Donald Trump on Friday expressed support.", "en");
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn translation_artefacts_keep_the_sentence_whole() {
        let t = texts(
            "Os dois falaram na sexta -feira, disse Kyiv. Depois houve ataques.",
            "pt",
        );
        assert_eq!(t.len(), 2);
        assert!(t[0].contains("sexta -feira"));
    }

    #[test]
    fn offsets_point_into_the_article_text() {
        let a = article("Erste Aussage hier.\nZweite Aussage dort.");
        let language = ArticleLanguage {
            code: "de".into(),
            confidence: 1.0,
        };
        for s in split(0, &a, &language, DEFAULT_MAX_SENTENCES).0 {
            assert_eq!(&a.text[s.start..s.end], s.text);
        }
    }

    #[test]
    fn lone_carriage_returns_break_lines() {
        assert_eq!(
            texts(
                "Headline without stop\rThe body says a thing.\rAnd more",
                "en"
            ),
            vec![
                "Headline without stop",
                "The body says a thing.",
                "And more"
            ]
        );
    }

    #[test]
    fn an_article_over_the_sentence_limit_is_read_up_to_it_with_a_note() {
        let a = article(&"The talks lasted forty minutes. ".repeat(10));
        let language = ArticleLanguage {
            code: "en".into(),
            confidence: 1.0,
        };
        let (sentences, notes) = split(0, &a, &language, 3);
        assert_eq!(sentences.len(), 3);
        let at = sentences[2].end + 1;
        assert_eq!(
            notes,
            [Notice::ArticleCut {
                sentences: 3,
                at_byte: at,
                bytes: a.text.len()
            }]
        );
        // Exactly at the limit: nothing is cut.
        let (all, notes) = split(0, &a, &language, 10);
        assert_eq!((all.len(), notes), (10, vec![]));
    }

    #[test]
    fn a_sentence_too_long_for_the_models_is_cut_with_a_note() {
        let long = "word, ".repeat(500);
        let language = ArticleLanguage {
            code: "en".into(),
            confidence: 1.0,
        };
        let a = article(&long);
        let (sentences, notes) = split(0, &a, &language, DEFAULT_MAX_SENTENCES);
        assert!(sentences.len() >= 3, "{}", sentences.len());
        assert!(sentences
            .iter()
            .all(|s| s.text.chars().count() <= MAX_SENTENCE_CHARS));
        for s in &sentences {
            assert_eq!(&a.text[s.start..s.end], s.text);
        }
        assert!(
            matches!(notes[0], Notice::LongSentenceSplit { pieces, .. } if pieces == sentences.len())
        );
        let unbroken = "x".repeat(2_500);
        assert_eq!(pieces(&unbroken).len(), 3);
    }
}
