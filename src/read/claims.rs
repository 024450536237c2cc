//! The `claims` stage: splits each sentence into claim units (clauses), the unit the pairing,
//! the NLI model and the fact table compare. News sentences carry two to four claims ("The
//! quake, which struck at 3:27 on Tuesday, killed 17 people and injured 240, officials said"):
//! compared whole, one sentence's extra claims hide the one it shares with another article.
//!
//! Boundaries come from one table per language (`data/clauses/<code>.json`, registered in
//! [`crate::lang`]): semicolons; a conjunction that starts a clause ("but", "while", "mas");
//! a conjunction or relative pronoun right after a comma (", and", ", which", ", que"). A
//! quotation is never split inside, and it keeps its attribution ("“...”, escreveu Zelensky");
//! a piece that starts with a speech verb ("said the minister") stays with the claim before it,
//! and pieces shorter than [`MIN_CLAIM_WORDS`] words join their neighbour.
//!
//! ```
//! use crosscheck::read::claims::split_sentence;
//! let pieces = split_sentence(
//!     "The quake killed 17 people, and rescuers searched the rubble all night, officials said.",
//!     "en",
//! );
//! assert_eq!(pieces.len(), 2);
//! ```

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::{Claim, Sentence};

/// A claim has at least this many words (spaced languages); shorter pieces join a neighbour.
pub const MIN_CLAIM_WORDS: usize = 4;

/// A language's clause boundaries, as written in `data/clauses/<code>.json`.
#[derive(Debug, Deserialize)]
struct Rules {
    /// Words that start a clause wherever they stand ("but", "while").
    clause_starts: Vec<String>,
    /// Words that start a clause right after a comma (", and", ", which").
    after_comma: Vec<String>,
    /// Speech verbs and attributions ("said", "according to"): a piece starting with one is
    /// the attribution of the claim before it.
    speech: Vec<String>,
}

fn rules(language: &str) -> Option<&'static Rules> {
    static ALL: OnceLock<HashMap<&'static str, Rules>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        crate::lang::LANGUAGES
            .iter()
            .filter_map(|l| Some((l.code, l.clauses?)))
            .map(|(code, src)| {
                let rules: Rules = serde_json::from_str(src)
                    .unwrap_or_else(|e| panic!("data/clauses/{code}.json is invalid: {e}"));
                (code, rules)
            })
            .collect()
    });
    let language = crate::lang::find(language)?;
    all.get(language.code)
}

/// Opening and closing quotation marks; nothing inside a quotation is split.
const QUOTES: &[(char, char)] = &[('“', '”'), ('„', '“'), ('„', '”'), ('«', '»'), ('"', '"')];

/// Byte ranges of `text` inside quotation marks (marks included).
fn quoted(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let next = QUOTES
            .iter()
            .filter_map(|&(open, close)| {
                let o = from + text[from..].find(open)?;
                let inner = o + open.len_utf8();
                let c = text[inner..]
                    .find(close)
                    .map(|c| inner + c + close.len_utf8());
                Some((o, c.unwrap_or(text.len())))
            })
            .min();
        match next {
            Some((o, c)) => {
                out.push((o, c));
                from = c.max(o + 1);
            }
            None => break,
        }
    }
    out
}

/// Whether `phrase` (lowercase words) starts at byte `at` of `lower` and ends at a word end.
fn phrase_at(lower: &str, at: usize, phrase: &str) -> bool {
    lower[at..].starts_with(phrase)
        && lower[at + phrase.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Byte offsets where a new claim may start in `text`.
fn cuts(text: &str, rules: &Rules) -> Vec<usize> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // Lowercasing changed byte lengths (rare letters): offsets would not line up.
        return Vec::new();
    }
    let protected = quoted(text);
    let inside = |at: usize| protected.iter().any(|&(o, c)| o < at && at < c);
    let mut out = Vec::new();
    for (at, c) in text.char_indices() {
        if inside(at) {
            continue;
        }
        if c == ';' {
            out.push(at + 1);
            continue;
        }
        let word_start = at > 0 && text[..at].ends_with(char::is_whitespace) && c.is_alphabetic();
        if !word_start {
            continue;
        }
        let after_comma = text[..at].trim_end().ends_with(',');
        let starts = rules.clause_starts.iter().any(|w| phrase_at(&lower, at, w));
        let joins = after_comma && rules.after_comma.iter().any(|w| phrase_at(&lower, at, w));
        if starts || joins {
            out.push(at);
        }
    }
    out
}

/// Whether `word` links two clauses in `language` ("and", "but", "y", "und", "while"): a
/// value's frame stops there, so that "inflation will end the year at X and the economy"
/// does not carry the next clause's subject.
pub fn is_linker(language: &str, word: &str) -> bool {
    let Some(rules) = rules(language) else {
        return false;
    };
    let word = word.to_lowercase();
    rules
        .clause_starts
        .iter()
        .chain(&rules.after_comma)
        .any(|w| *w == word)
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The claim units of one sentence: byte ranges of `text`, trimmed, in order, covering every
/// word. Languages without clause rules give the whole sentence.
pub fn split_sentence(text: &str, language: &str) -> Vec<(usize, usize)> {
    let whole = vec![(0, text.len())];
    let Some(rules) = rules(language) else {
        return whole;
    };
    let mut bounds = vec![0];
    bounds.extend(cuts(text, rules));
    bounds.push(text.len());
    bounds.dedup();
    let lower = text.to_lowercase();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for w in bounds.windows(2) {
        let (start, end) = (w[0], w[1]);
        let attribution = rules.speech.iter().any(|s| {
            let first = start + (text[start..end].len() - text[start..end].trim_start().len());
            phrase_at(&lower, first, s)
        });
        match pieces.last_mut() {
            Some(last) if attribution || words(&text[last.0..last.1]) < MIN_CLAIM_WORDS => {
                last.1 = end
            }
            _ => pieces.push((start, end)),
        }
    }
    if pieces.len() > 1 && words(&text[pieces[pieces.len() - 1].0..text.len()]) < MIN_CLAIM_WORDS {
        let last = pieces.pop().unwrap_or((0, text.len()));
        if let Some(previous) = pieces.last_mut() {
            previous.1 = last.1;
        }
    }
    pieces
        .into_iter()
        .map(|(s, e)| {
            let piece = &text[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            (s + lead, s + lead + trimmed.len())
        })
        .filter(|(s, e)| s < e)
        .collect()
}

/// The claims of every sentence that is not furniture, in drop order.
pub fn split_all(sentences: &[Sentence]) -> Vec<Claim> {
    let mut claims = Vec::new();
    for (index, s) in sentences.iter().enumerate() {
        if !s.is_claim() {
            continue;
        }
        for (start, end) in split_sentence(&s.text, &s.language) {
            claims.push(Claim {
                sentence: index,
                article: s.article,
                start: s.start + start,
                end: s.start + end,
                text: s.text[start..end].to_string(),
            });
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, lang: &str) -> Vec<String> {
        split_sentence(text, lang)
            .into_iter()
            .map(|(s, e)| text[s..e].to_string())
            .collect()
    }

    #[test]
    fn clauses_split_at_conjunctions_semicolons_and_relative_pronouns() {
        assert_eq!(
            texts(
                "Trump described the call as very good, but he did not say how long it lasted.",
                "en"
            ),
            [
                "Trump described the call as very good,",
                "but he did not say how long it lasted."
            ]
        );
        assert_eq!(
            texts(
                "The call lasted 40 minutes; the two leaders agreed to meet again.",
                "en"
            ),
            [
                "The call lasted 40 minutes;",
                "the two leaders agreed to meet again."
            ]
        );
        assert_eq!(
            texts("O sismo matou 17 pessoas, e as equipas de resgate procuraram sobreviventes durante a noite, disse o ministro.", "pt"),
            ["O sismo matou 17 pessoas,", "e as equipas de resgate procuraram sobreviventes durante a noite, disse o ministro."]
        );
        assert_eq!(
            texts(
                "Das Beben forderte 38 Todesopfer, die Behörden meldeten zudem 214 Verletzte.",
                "de"
            )
            .len(),
            2
        );
    }

    #[test]
    fn quotations_and_attributions_stay_with_their_claim() {
        for (text, lang) in [
            ("“Conversamos sobre a defesa, e também concordamos em uma reunião”, escreveu Zelensky.", "pt"),
            ("Os dois falaram na sexta-feira, disse Kiev.", "pt"),
            ("The call lasted 40 minutes, said the German government spokesman on Friday.", "en"),
            ("Die Regierung teilte mit, dass 38 Menschen starben.", "de"),
        ] {
            assert_eq!(texts(text, lang), [text], "{text}");
        }
    }

    #[test]
    fn languages_without_rules_keep_the_sentence_whole() {
        assert_eq!(
            split_sentence("Один, и два; три.", "ru"),
            vec![(0, "Один, и два; три.".len())]
        );
    }
}
