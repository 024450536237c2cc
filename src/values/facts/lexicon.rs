//! Per-language word lists, compiled from `data/facts/<lang>.json` into phrase tables.
//!
//! The JSON files are embedded with `include_str!` so the binary needs no data directory,
//! and parsed once on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::text::{tokenize, Input};
use super::{CalendarUnit, Yearly};
use crate::domain::Qualifier;

/// A table from multi-token phrases to values, matched on folded tokens.
///
/// Hyphens inside phrases are optional on both sides, so "sexta-feira" in the data matches
/// "sexta feira", "sexta -feira" and "sexta-feira" in text.
pub(crate) struct PhraseMap<V> {
    by_first: HashMap<String, Vec<(Vec<String>, V)>>,
}

/// A phrase table that only records membership.
pub(crate) type PhraseSet = PhraseMap<()>;

impl<V> PhraseMap<V> {
    fn build(entries: impl IntoIterator<Item = (String, V)>) -> Self {
        let mut by_first: HashMap<String, Vec<(Vec<String>, V)>> = HashMap::new();
        for (phrase, value) in entries {
            let words: Vec<String> = tokenize(&phrase)
                .into_iter()
                .filter(|t| !t.is_hyphen())
                .map(|t| t.norm)
                .collect();
            if let Some(first) = words.first() {
                by_first
                    .entry(first.clone())
                    .or_default()
                    .push((words, value));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        PhraseMap { by_first }
    }

    /// The longest phrase starting at token `i`: (index after it, value).
    pub fn longest(&self, inp: &Input, i: usize) -> Option<(usize, &V)> {
        let candidates = self.by_first.get(inp.norm(i))?;
        candidates.iter().find_map(|(words, value)| {
            let mut j = i + 1;
            for w in &words[1..] {
                while inp.tok(j).is_some_and(|t| t.is_hyphen()) {
                    j += 1;
                }
                if inp.norm(j) != w {
                    return None;
                }
                j += 1;
            }
            Some((j, value))
        })
    }

    /// The index after the longest phrase starting at `i`.
    pub fn end(&self, inp: &Input, i: usize) -> Option<usize> {
        self.longest(inp, i).map(|(end, _)| end)
    }

    /// Whether a one-token phrase equals `word` (already folded).
    pub fn has_word(&self, word: &str) -> bool {
        self.by_first
            .get(word)
            .is_some_and(|l| l.iter().any(|(w, _)| w.len() == 1))
    }
}

/// The hedges a qualifier word can express, as the data files name them.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum QualifierWord {
    About,
    Nearly,
    AtLeast,
    AtMost,
}

impl QualifierWord {
    fn qualifier(self) -> Qualifier {
        match self {
            QualifierWord::About => Qualifier::About,
            QualifierWord::Nearly => Qualifier::Nearly,
            QualifierWord::AtLeast => Qualifier::AtLeast,
            QualifierWord::AtMost => Qualifier::AtMost,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Raw {
    decimal_comma: bool,
    month_first: bool,
    ordinal_months: bool,
    capitalized_nouns: bool,
    compound_numbers: bool,
    months: HashMap<String, u32>,
    ambiguous_months: Vec<String>,
    weekdays: HashMap<String, u8>,
    weekday_abbreviations: HashMap<String, u8>,
    cardinals: HashMap<String, f64>,
    scales: HashMap<String, f64>,
    compound_parts: HashMap<String, f64>,
    articles: Vec<String>,
    halves: Vec<String>,
    fractions: HashMap<String, f64>,
    connectors: Vec<String>,
    ordinals: HashMap<String, u32>,
    ordinal_suffixes: Vec<String>,
    ordinal_prefixes: Vec<String>,
    ordinal_word_suffixes: Vec<String>,
    durations: HashMap<String, f64>,
    whole: Vec<String>,
    currencies: HashMap<String, String>,
    percent: Vec<String>,
    relative_days: HashMap<String, i64>,
    event_days: HashMap<String, i64>,
    later: HashMap<String, i64>,
    ago: Vec<String>,
    date_offsets: HashMap<String, i64>,
    ago_prefix: Vec<String>,
    modifiers: HashMap<String, i8>,
    periods: HashMap<String, CalendarUnit>,
    period_phrases: HashMap<String, (CalendarUnit, i32)>,
    qualifiers: HashMap<String, QualifierWord>,
    approx_cardinals: HashMap<String, f64>,
    magnitude_cardinals: HashMap<String, f64>,
    approx_links: Vec<String>,
    range_starts: Vec<String>,
    range_joiners: Vec<String>,
    time_cues: Vec<String>,
    time_suffixes: Vec<String>,
    pm_suffixes: Vec<String>,
    scale_links: Vec<String>,
    year_markers: Vec<String>,
    year_links: Vec<String>,
    holidays: HashMap<String, Yearly>,
    date_joiners: Vec<String>,
    date_articles: Vec<String>,
    day_cues: Vec<String>,
    week_links: Vec<String>,
    hence: Vec<String>,
    negatives: Vec<String>,
    decimal_points: Vec<String>,
    pronoun_markers: Vec<String>,
    head_links: Vec<String>,
    head_skip: Vec<String>,
    stopwords: Vec<String>,
}

/// Everything the recognisers know about one language.
pub(crate) struct Lexicon {
    /// "1.000,5" style (true) or "1,000.5" style (false).
    pub decimal_comma: bool,
    /// Numeric dates read month first ("4/22").
    pub month_first: bool,
    /// Months may be written as ordinals after an ordinal day ("am 7. vierter").
    pub ordinal_months: bool,
    /// Nouns are capitalised, so a lowercase word after "am 15." cannot be the noun an
    /// ordinal counts ("am 15. wieder" is a date, "am 15. Tag" is not).
    pub capitalized_nouns: bool,
    pub months: PhraseMap<u32>,
    /// Month names that are also common words ("may"): not read after a cardinal word.
    pub ambiguous_months: PhraseSet,
    /// ISO weekday numbers, 1 = Monday.
    pub weekdays: PhraseMap<u8>,
    /// Short weekday forms only trusted directly before a date ("Qua, 22 de Jan").
    pub weekday_abbreviations: PhraseMap<u8>,
    pub cardinals: PhraseMap<f64>,
    /// Multipliers: hundred, thousand, million, "miliar", "Milliarden"...
    pub scales: PhraseMap<f64>,
    /// Folded single words usable inside compound number words ("vierundzwanzig"); empty
    /// for languages that write numbers as separate words.
    pub compound_words: HashMap<String, f64>,
    /// Words meaning "one" only in front of a unit ("a", "uma", "o", "eine").
    pub articles: PhraseSet,
    pub halves: PhraseSet,
    /// Fraction words after a numerator, with their denominator: "Drittel" = 3.
    pub fractions: PhraseMap<f64>,
    /// "and" between number words.
    pub connectors: PhraseSet,
    pub ordinals: PhraseMap<u32>,
    pub ordinal_suffixes: PhraseSet,
    pub ordinal_prefixes: PhraseSet,
    pub ordinal_word_suffixes: Vec<String>,
    /// Duration units in seconds.
    pub durations: PhraseMap<f64>,
    /// "all day", "den ganzen Tag": the unit taken once.
    pub whole: PhraseSet,
    /// Currency words and symbols to ISO 4217 codes.
    pub currencies: PhraseMap<String>,
    pub percent: PhraseSet,
    /// Days from publication: yesterday = -1.
    pub relative_days: PhraseMap<i64>,
    /// Days from another event in the text: "the next day" = 1.
    pub event_days: PhraseMap<i64>,
    /// Direction words after "<n> <unit>": later = 1, earlier = -1.
    pub later: PhraseMap<i64>,
    pub ago: PhraseSet,
    /// Words after "<n> <unit>" counting from a date that follows: from/after = 1,
    /// before = -1 ("2 weeks before Christmas").
    pub date_offsets: PhraseMap<i64>,
    pub ago_prefix: PhraseSet,
    /// last = -1, this = 0, next = 1.
    pub modifiers: PhraseMap<i8>,
    pub periods: PhraseMap<CalendarUnit>,
    pub period_phrases: PhraseMap<(CalendarUnit, i32)>,
    /// Words that hedge a number: "about", "more than", "até".
    pub qualifiers: PhraseMap<Qualifier>,
    /// Round numbers that are approximate by themselves: "une quarantaine", "una ventina".
    pub approx_cardinals: PhraseMap<f64>,
    /// Plurals of round numbers that stand for an order of magnitude: "thousands",
    /// "milhares", "Tausende" (from the number to ten times it).
    pub magnitude_cardinals: PhraseMap<f64>,
    /// Words between such a number and what it counts: "une quarantaine *de* minutes".
    pub approx_links: PhraseSet,
    /// Words opening a range: "between", "entre", "zwischen".
    pub range_starts: PhraseSet,
    /// Words joining its two ends: "and", "to", "e", "bis".
    pub range_joiners: PhraseSet,
    /// Words before a time of day: "at", "um", "alle", "pukul".
    pub time_cues: PhraseSet,
    /// Words after a time of day: "a.m.", "Uhr", "h", "WIB".
    pub time_suffixes: PhraseSet,
    /// Suffixes that put a time in the afternoon: "p.m.".
    pub pm_suffixes: PhraseSet,
    /// Words between a number and its scale: "50 *de* milioane".
    pub scale_links: PhraseSet,
    pub year_markers: PhraseSet,
    /// Words between a date and its year besides the date joiners: "in", "im Jahr".
    pub year_links: PhraseSet,
    /// Holiday names and how to find their dates.
    pub holidays: PhraseMap<Yearly>,
    pub date_joiners: PhraseSet,
    /// Words that open a date and belong to it: "the 27th", "den 28.10.", "dia 12".
    pub date_articles: PhraseSet,
    /// Words right before a day of the month that make a bare day number a date:
    /// "on 15", "no 15", "am 15.".
    pub day_cues: PhraseSet,
    /// Words between a weekday and its week: "friday of next week", "domingo da semana".
    pub week_links: PhraseSet,
    /// Words after "<n> <unit>" counting forward from publication: "from now".
    pub hence: PhraseSet,
    /// Words for a minus sign before a number: "minus", "negative".
    pub negatives: PhraseSet,
    /// Words for the decimal point inside spelled-out numbers: "point", "Komma", "vírgula".
    pub decimal_points: PhraseSet,
    /// Words after which a lone "one" is a pronoun, not a number: "the one", "which one".
    pub pronoun_markers: PhraseSet,
    pub head_links: PhraseSet,
    pub head_skip: PhraseSet,
    pub stopwords: PhraseSet,
}

fn set(words: Vec<String>) -> PhraseSet {
    PhraseMap::build(words.into_iter().map(|w| (w, ())))
}

impl Lexicon {
    fn compile(raw: Raw) -> Self {
        let mut compound_words: HashMap<String, f64> = HashMap::new();
        if raw.compound_numbers {
            let parts = raw
                .cardinals
                .iter()
                .chain(&raw.scales)
                .chain(&raw.compound_parts);
            for (w, v) in parts {
                compound_words.insert(super::text::fold(w), *v);
            }
            for c in &raw.connectors {
                compound_words.insert(super::text::fold(c), f64::NAN);
            }
        }
        Lexicon {
            decimal_comma: raw.decimal_comma,
            month_first: raw.month_first,
            ordinal_months: raw.ordinal_months,
            capitalized_nouns: raw.capitalized_nouns,
            months: PhraseMap::build(raw.months),
            ambiguous_months: set(raw.ambiguous_months),
            weekdays: PhraseMap::build(raw.weekdays),
            weekday_abbreviations: PhraseMap::build(raw.weekday_abbreviations),
            cardinals: PhraseMap::build(raw.cardinals),
            scales: PhraseMap::build(raw.scales),
            compound_words,
            articles: set(raw.articles),
            halves: set(raw.halves),
            fractions: PhraseMap::build(raw.fractions),
            connectors: set(raw.connectors),
            ordinals: PhraseMap::build(raw.ordinals),
            ordinal_suffixes: set(raw.ordinal_suffixes),
            ordinal_prefixes: set(raw.ordinal_prefixes),
            ordinal_word_suffixes: raw.ordinal_word_suffixes,
            durations: PhraseMap::build(raw.durations),
            whole: set(raw.whole),
            currencies: PhraseMap::build(raw.currencies),
            percent: set(raw.percent),
            relative_days: PhraseMap::build(raw.relative_days),
            event_days: PhraseMap::build(raw.event_days),
            later: PhraseMap::build(raw.later),
            ago: set(raw.ago),
            date_offsets: PhraseMap::build(raw.date_offsets),
            ago_prefix: set(raw.ago_prefix),
            modifiers: PhraseMap::build(raw.modifiers),
            periods: PhraseMap::build(raw.periods),
            period_phrases: PhraseMap::build(raw.period_phrases),
            qualifiers: PhraseMap::build(
                raw.qualifiers.into_iter().map(|(w, q)| (w, q.qualifier())),
            ),
            approx_cardinals: PhraseMap::build(raw.approx_cardinals),
            magnitude_cardinals: PhraseMap::build(raw.magnitude_cardinals),
            approx_links: set(raw.approx_links),
            range_starts: set(raw.range_starts),
            range_joiners: set(raw.range_joiners),
            time_cues: set(raw.time_cues),
            time_suffixes: set(raw.time_suffixes),
            pm_suffixes: set(raw.pm_suffixes),
            scale_links: set(raw.scale_links),
            year_markers: set(raw.year_markers),
            year_links: set(raw.year_links),
            holidays: PhraseMap::build(raw.holidays),
            date_joiners: set(raw.date_joiners),
            date_articles: set(raw.date_articles),
            day_cues: set(raw.day_cues),
            week_links: set(raw.week_links),
            hence: set(raw.hence),
            negatives: set(raw.negatives),
            decimal_points: set(raw.decimal_points),
            pronoun_markers: set(raw.pronoun_markers),
            head_links: set(raw.head_links),
            head_skip: set(raw.head_skip),
            stopwords: set(raw.stopwords),
        }
    }
}

/// The lexicon of a language (or of the first language along its fallback chain that has
/// one), or None for languages whose numbers and dates are not read.
pub(crate) fn get(lang: &str) -> Option<&'static Lexicon> {
    static ALL: OnceLock<HashMap<&'static str, Lexicon>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        crate::lang::LANGUAGES
            .iter()
            .filter_map(|l| Some((l.code, l.facts?)))
            .map(|(code, src)| {
                let raw: Raw = serde_json::from_str(src)
                    .unwrap_or_else(|e| panic!("data/facts/{code}.json is invalid: {e}"));
                (code, Lexicon::compile(raw))
            })
            .collect()
    });
    let language = crate::lang::find(lang)?.facts_language()?;
    all.get(language.code)
}
