//! The measure words of each language, compiled from `data/measures/<lang>.json` (registered in
//! [`crate::lang`]) against the concepts shared by every language
//! (`data/measures/concepts.json`). Words are folded like the fact lexicons ([`fold`]); a word
//! ending in `*` matches every word it starts; a phrase of several words matches them in a row.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::values::facts::fold;

/// How a counted concept behaves, as `data/measures/concepts.json` says.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConceptRules {
    /// English label, for reports.
    pub label: String,
    /// A running total revised as reports come in (a toll).
    #[serde(default)]
    pub cumulative: bool,
    /// Values join a fact only when they agree (ages of different people).
    #[serde(default)]
    pub agree_only: bool,
    /// Not a fact of the story (identifiers, page stamps, history).
    #[serde(default)]
    pub drop: bool,
    /// What happened to the people counted (dead, injured): it wins over the group they are
    /// counted as (passengers, fans), which becomes the holder.
    #[serde(default)]
    pub state: bool,
}

/// The concepts shared by every language.
#[derive(Debug, Deserialize)]
pub struct Concepts {
    /// Days within which a cumulative value's report can lag its event.
    pub cumulative_gap_days: i64,
    /// What counts and measures count: id → rules.
    pub counts: BTreeMap<String, ConceptRules>,
    /// What days, times and lengths belong to: id → English noun.
    pub events: BTreeMap<String, String>,
    /// The events an "incident" word ("the tragedy") may name: the kinds of incident.
    pub incidents: BTreeSet<String>,
}

/// The concepts, parsed once.
pub fn concepts() -> &'static Concepts {
    static CONCEPTS: OnceLock<Concepts> = OnceLock::new();
    CONCEPTS.get_or_init(|| {
        serde_json::from_str(include_str!("../../../data/measures/concepts.json"))
            .unwrap_or_else(|e| panic!("data/measures/concepts.json is invalid: {e}"))
    })
}

/// A language's measure words, as written in `data/measures/<code>.json`.
#[derive(Debug, Deserialize)]
struct Raw {
    counts: BTreeMap<String, Vec<String>>,
    severity: BTreeMap<String, Vec<String>>,
    identifiers: Vec<String>,
    generic: Vec<String>,
    holders: BTreeMap<String, Vec<String>>,
    partitive: Vec<String>,
    events: BTreeMap<String, Vec<String>>,
    zone_words: Vec<String>,
    zone_links: Vec<String>,
    counterpart_links: Vec<String>,
    sides: BTreeMap<String, Vec<String>>,
    /// Whether the language writes compounds as one word (German).
    #[serde(default)]
    compounds: bool,
}

/// One entry of a word list: the folded words of a phrase, the last one a prefix when it
/// ended in `*`; in a language that writes compounds as one word (German), a one-word entry
/// also matches the end of a compound ("Regionalzüge", "Schwerverletzte").
#[derive(Debug, Clone)]
struct Entry {
    words: Vec<String>,
    prefix: bool,
    compound: bool,
}

/// Letters a compound keeps before the word it ends in ("Regional" + "züge").
const MIN_COMPOUND_PREFIX: usize = 3;

impl Entry {
    fn new(raw: &str, compounds: bool) -> Entry {
        let prefix = raw.ends_with('*');
        let words: Vec<String> = fold(raw.trim_end_matches('*'))
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let compound = compounds && words.len() == 1 && words[0].len() >= 3;
        Entry {
            words,
            prefix,
            compound,
        }
    }

    /// Whether `text` ends in this one-word entry after a few letters of its own.
    fn ends_compound(&self, text: &str) -> bool {
        let w = &self.words[0];
        (MIN_COMPOUND_PREFIX..text.len()).any(|k| {
            text.is_char_boundary(k)
                && if self.prefix {
                    text[k..].starts_with(w.as_str())
                } else {
                    &text[k..] == w
                }
        })
    }

    /// Words matched at `at` of `words` (folded), or None.
    fn matches(&self, words: &[String], at: usize) -> Option<usize> {
        let n = self.words.len();
        if n == 0 || at + n > words.len() {
            return None;
        }
        for (k, w) in self.words.iter().enumerate() {
            let text = &words[at + k];
            let last = k + 1 == n;
            let ok = if last && self.prefix {
                text.starts_with(w.as_str())
            } else {
                text == w
            } || (self.compound && self.ends_compound(text));
            if !ok {
                return None;
            }
        }
        Some(n)
    }
}

/// A list of named word lists: the longest entry matching at a word wins (ties: the longer
/// written entry, then the first name).
#[derive(Debug, Default)]
pub(crate) struct Named {
    entries: Vec<(&'static str, Entry)>,
}

impl Named {
    fn build(
        raw: BTreeMap<String, Vec<String>>,
        compounds: bool,
        known: impl Fn(&str) -> Option<&'static str>,
    ) -> Named {
        let mut entries = Vec::new();
        for (name, list) in raw {
            let id = known(&name)
                .unwrap_or_else(|| panic!("data/measures: '{name}' is not a known concept"));
            entries.extend(list.iter().map(|w| (id, Entry::new(w, compounds))));
        }
        Named { entries }
    }

    /// The name matching at word `at`, with the number of words it covers.
    pub fn at(&self, words: &[String], at: usize) -> Option<(&'static str, usize)> {
        self.entries
            .iter()
            .filter_map(|(id, e)| {
                e.matches(words, at)
                    .map(|n| (n, e.words.iter().map(String::len).sum::<usize>(), *id))
            })
            .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.cmp(a.2)))
            .map(|(n, _, id)| (id, n))
    }
}

/// A plain word list.
#[derive(Debug, Default)]
pub(crate) struct Words {
    entries: Vec<Entry>,
}

impl Words {
    fn build(raw: &[String]) -> Words {
        Words {
            entries: raw.iter().map(|w| Entry::new(w, false)).collect(),
        }
    }

    /// Whether an entry matches at word `at`.
    pub fn has(&self, words: &[String], at: usize) -> bool {
        self.entries.iter().any(|e| e.matches(words, at).is_some())
    }
}

/// A language's compiled measure words.
#[derive(Debug)]
pub(crate) struct MeasureWords {
    pub counts: Named,
    pub serious: Words,
    pub light: Words,
    pub identifiers: Words,
    pub generic: Words,
    pub holders: Named,
    pub partitive: Words,
    pub events: Named,
    pub zone_words: Words,
    pub zone_links: Words,
    pub counterpart_links: Words,
    pub sides: Named,
}

/// Interns a name of the shared tables as a `'static` string.
fn intern(name: &str, table: impl Iterator<Item = &'static String>) -> Option<&'static str> {
    table
        .into_iter()
        .find(|k| k.as_str() == name)
        .map(String::as_str)
}

fn compile(code: &str, json: &str) -> MeasureWords {
    let raw: Raw = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("data/measures/{code}.json is invalid: {e}"));
    let c = concepts();
    let mut severity = raw.severity;
    let holder_ids: &'static Vec<String> =
        Box::leak(Box::new(raw.holders.keys().cloned().collect()));
    MeasureWords {
        counts: Named::build(raw.counts, raw.compounds, |n| intern(n, c.counts.keys())),
        serious: Words::build(&severity.remove("serious").unwrap_or_default()),
        light: Words::build(&severity.remove("light").unwrap_or_default()),
        identifiers: Words::build(&raw.identifiers),
        generic: Words::build(&raw.generic),
        holders: Named::build(raw.holders, raw.compounds, |n| intern(n, holder_ids.iter())),
        partitive: Words::build(&raw.partitive),
        events: Named::build(raw.events, raw.compounds, |n| intern(n, c.events.keys())),
        zone_words: Words::build(&raw.zone_words),
        zone_links: Words::build(&raw.zone_links),
        counterpart_links: Words::build(&raw.counterpart_links),
        sides: Named::build(raw.sides, false, |n| match n {
            "for" => Some("for"),
            "against" => Some("against"),
            _ => None,
        }),
    }
}

/// The measure words of a registered language (or of its fallback), compiled once.
pub(crate) fn get(code: &str) -> Option<&'static MeasureWords> {
    static ALL: OnceLock<BTreeMap<&'static str, MeasureWords>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        crate::lang::LANGUAGES
            .iter()
            .filter_map(|l| Some((l.code, compile(l.code, l.measures?))))
            .collect()
    });
    let mut language = crate::lang::find(code)?;
    for _ in 0..crate::lang::LANGUAGES.len() {
        if let Some(words) = all.get(language.code) {
            return Some(words);
        }
        language = crate::lang::find(language.fallback?)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_compiles_and_names_only_known_concepts() {
        for l in crate::lang::LANGUAGES
            .iter()
            .filter(|l| l.measures.is_some())
        {
            assert!(get(l.code).is_some(), "{}", l.code);
        }
    }

    #[test]
    fn no_word_names_two_concepts_of_one_language() {
        for l in crate::lang::LANGUAGES
            .iter()
            .filter(|l| l.measures.is_some())
        {
            let raw: Raw = serde_json::from_str(l.measures.unwrap()).unwrap();
            for table in [&raw.counts, &raw.events] {
                let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                for (name, list) in table {
                    for w in list {
                        let key = fold(w);
                        if let Some(other) = seen.insert(key.clone(), name) {
                            assert_eq!(
                                other, name,
                                "{}: '{w}' is under {other} and {name}",
                                l.code
                            );
                        }
                    }
                }
            }
        }
    }
}
