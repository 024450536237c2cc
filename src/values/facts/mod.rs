//! Typed facts in sentences: dates, weekdays, durations, money, percentages, counts, ordinals.
//!
//! NLI models are weak on numbers and dates, so the pipeline extracts these values here,
//! anchors relative ones ("yesterday", "on Friday") to the article's publication date, and
//! compares the slots of two aligned sentences to catch "Thursday" vs "Friday",
//! "about one hour" vs "40 minutes" or "EUR 1.1 billion" vs "EUR 1.3 billion".
//!
//! Language knowledge lives in `data/facts/<lang>.json` (see `lexicon`); the code only
//! knows patterns. Supported languages: pt, ro, id, en, de, es, fr, it.
//!
//! Normalised forms produced by `Display for Value` (documented on [`Value`]):
//! dates `2025-07-04`, `2025-07`, `2018`, `--07-04` (no year); weekdays `XXXX-WXX-5`
//! (TIMEX3, 1 = Monday); durations ISO 8601 `PT40M`, `P3D`, `P3.5Y`; quantities
//! `1100000000 EUR`, `12 %`, `26`; ordinals `#19`; a leading `~` marks approximate values.
//!
//! ```
//! use crosscheck::values::facts::{extract, Value};
//! let found = extract("The call lasted about 40 minutes on Friday.", "en");
//! assert!(found.iter().any(|m| matches!(m.value, Value::Duration { seconds, .. } if seconds == 2400.0)));
//! assert!(found.iter().any(|m| m.value.weekday() == Some(5)));
//! ```

mod anchor;
mod compare;
mod dates;
mod holidays;
mod interval;
mod lexicon;
mod numbers;
mod quantities;
mod text;
mod times;

pub use crate::domain::{
    CalendarUnit, Date, Interval, Mention, MentionKind, Occurrence, Qualifier, Relative,
    SlotComparison, SlotOutcome, Value, Yearly,
};
pub use anchor::anchor;
pub use compare::{agree, compare};
pub use interval::{interval, ABOUT};
pub use text::fold;

/// A recogniser's result at some token: where it ends and what it found.
pub(crate) struct Found {
    /// Token index just after the match.
    pub end: usize,
    pub kind: MentionKind,
    pub value: Value,
    pub head: Option<String>,
}

impl Found {
    fn new(end: usize, kind: MentionKind, value: Value) -> Self {
        Found {
            end,
            kind,
            value,
            head: None,
        }
    }
}

/// Keeps the longer of two candidate matches; on a tie the earlier one wins.
pub(crate) fn longer(best: Option<Found>, next: Option<Found>) -> Option<Found> {
    match (best, next) {
        (Some(b), Some(n)) if n.end > b.end => Some(n),
        (Some(b), _) => Some(b),
        (None, n) => n,
    }
}

/// The longest day expression at token `i`: a date-like value ([`dates`]) or a holiday
/// ([`holidays`]). Offsets from a day ("two days after Christmas") recurse through here, so
/// neither module needs the other.
pub(crate) fn day_at(inp: &text::Input, i: usize, lex: &lexicon::Lexicon) -> Option<Found> {
    longer(dates::find(inp, i, lex), holidays::find(inp, i, lex))
}

/// Finds the typed values in `text` written in language `lang` (ISO 639-1).
///
/// Mentions come back sorted by start and non-overlapping; where several readings start at
/// the same place the longest wins. Unknown languages yield no mentions.
pub fn extract(text: &str, lang: &str) -> Vec<Mention> {
    let Some(lex) = lexicon::get(lang) else {
        return Vec::new();
    };
    let inp = text::Input::new(text);
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < inp.toks.len() {
        let found = [quantities::find(&inp, i, lex), times::find(&inp, i, lex)]
            .into_iter()
            .fold(day_at(&inp, i, lex), longer);
        match found {
            Some(f) if f.end > i => {
                let start = inp.toks[i].start;
                let end = inp.toks[f.end - 1].end;
                mentions.push(Mention {
                    kind: f.kind,
                    value: f.value,
                    text: text[start..end].to_string(),
                    start,
                    end,
                    resolved_date: None,
                    head: f.head,
                });
                i = f.end;
            }
            _ => i += 1,
        }
    }
    mentions
}

#[cfg(test)]
mod tests;
