//! The `measures` stage: what each value counts or measures, and whose. A count knows its
//! concept ("dead", "injured", "people on board"), or the noun it counts when no concept names
//! it, and its holder (the people of a nationality, children, police: "120 Spaniards", "17
//! children"); a day, a time or a length knows the event it belongs to ("the call", "the
//! crash") and a time its zone ("17h45 in Madrid"). Identifiers ("runway 27"), page stamps
//! ("updated 5 March") and history ("opened in 1902") are marked to be dropped. The words of
//! every language are data (`data/measures/<lang>.json`, registered in [`crate::lang`]); the
//! concepts and their English labels are shared (`data/measures/concepts.json`).
//!
//! ```
//! use crosscheck::domain::ValueClass;
//! use crosscheck::values::measures::measure;
//! let claim = "At least 180 people died, including 120 Spaniards.";
//! let at = |v: &str| { let s = claim.find(v).unwrap(); (s, s + v.len()) };
//! let total = measure(claim, at("180"), &[at("120")], "en", &ValueClass::Quantity, None);
//! let part = measure(claim, at("120"), &[at("180")], "en", &ValueClass::Quantity, None);
//! assert_eq!(total.concept, Some("dead"));
//! assert_eq!((part.concept, part.holder.as_deref()), (Some("dead"), Some("es")));
//! ```

mod lexicon;

pub use lexicon::{concepts, ConceptRules, Concepts};

use crate::domain::{Measure, ValueClass};
use lexicon::MeasureWords;

/// Words looked at on each side of a value for what it measures: enough for "X people were
/// killed" and "the death toll rose to X", few enough to stay in the value's clause.
pub const MEASURE_WORDS: usize = 5;

/// Words (not generic) on each side within which the event of a day, a time, a length or a
/// share is read.
pub const FIRM_WORDS: usize = 2;

/// Words (not generic) after a count within which what happened to the people counted is
/// read ("three members of a family died").
pub const STATE_WORDS_AFTER: usize = 3;

/// A word of a claim: byte range, folded text, whether it starts with a capital.
struct Word {
    start: usize,
    end: usize,
    folded: String,
    capital: bool,
    upper: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let in_word = c.is_alphanumeric() || (start.is_some() && (c == '-' || c == '\''));
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let raw = text[s..i].trim_end_matches(['-', '\'']);
                out.push(Word {
                    start: s,
                    end: s + raw.len(),
                    folded: crate::values::facts::fold(raw),
                    capital: raw.chars().next().is_some_and(char::is_uppercase),
                    upper: raw.chars().count() >= 2 && raw.chars().all(|c| c.is_uppercase()),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The words on one side of a value, nearest first, up to [`MEASURE_WORDS`] that are not
/// generic, stopping at another value or a word that links clauses.
fn side(
    all: &[Word],
    order: impl Iterator<Item = usize>,
    others: &[(usize, usize)],
    language: &str,
    lex: &MeasureWords,
    folded: &[String],
    limit: usize,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut kept = 0;
    for i in order {
        let w = &all[i];
        if others.iter().any(|&(s, e)| w.start < e && s < w.end) {
            break;
        }
        if crate::read::claims::is_linker(language, &w.folded) && !lex.generic.has(folded, i) {
            break;
        }
        out.push(i);
        if !lex.generic.has(folded, i) {
            kept += 1;
            if kept >= limit {
                break;
            }
        }
    }
    out
}

/// What the value at `start..end` of `claim` measures. `others` are the byte ranges of the
/// claim's other values; `head` the noun the value reader found right after a count.
pub fn measure(
    claim: &str,
    (start, end): (usize, usize),
    others: &[(usize, usize)],
    language: &str,
    class: &ValueClass,
    head: Option<&str>,
) -> Measure {
    let Some(lex) = lexicon::get(language) else {
        return Measure::default();
    };
    let all = words(claim);
    let folded: Vec<String> = all.iter().map(|w| w.folded.clone()).collect();
    let first_after = all.iter().position(|w| w.start >= end).unwrap_or(all.len());
    let last_before = all.iter().rposition(|w| w.end <= start);
    let after = side(
        &all,
        first_after..all.len(),
        others,
        language,
        lex,
        &folded,
        MEASURE_WORDS,
    );
    let before = match last_before {
        Some(b) => side(
            &all,
            (0..=b).rev(),
            others,
            language,
            lex,
            &folded,
            MEASURE_WORDS,
        ),
        None => Vec::new(),
    };
    let mut m = Measure::default();
    // What a day, a time, a length or a share belongs to stands right beside it ("the
    // blackout began at 12:33", "87 % restored"); a word further off belongs to another part
    // of the claim as often as not.
    let firm = |list: &[usize]| -> Vec<usize> {
        let mut kept = 0;
        list.iter()
            .copied()
            .take_while(|&i| {
                let take = kept < FIRM_WORDS;
                kept += usize::from(!lex.generic.has(&folded, i));
                take
            })
            .collect()
    };
    let count_at = |i: usize| lex.counts.at(&folded, i).map(|(c, _)| c);
    let drop_at = |i: usize| count_at(i).filter(|c| is_dropped(c));
    match class {
        ValueClass::Quantity | ValueClass::Ordinal => {
            if is_score(claim, start, end) {
                m.concept = Some("score");
                return m;
            }
            if let Some(b) = last_before.filter(|&b| lex.identifiers.has(&folded, b)) {
                // "runway 27", "flight 5017", "Route 66": a name, not an amount.
                if all[b].end + 2 >= start {
                    m.concept = Some("identifier");
                    return m;
                }
            }
            counted(&mut m, lex, &folded, &after, &before, head);
            if m.concept.is_none() && m.holder.is_none() {
                // "The death toll from Saturday's stampede ... has increased to 131": the
                // state may stand further off, in the value's clause.
                // Days and names between do not stop the search; a linking word does.
                let far = match last_before {
                    Some(b) => side(&all, (0..=b).rev(), &[], language, lex, &folded, usize::MAX),
                    None => Vec::new(),
                };
                m.concept = far
                    .iter()
                    .find_map(|&i| count_at(i).filter(|c| is_state(c)));
            }
            m.part = is_part(&all, &after, others, lex, &folded);
        }
        ValueClass::Day | ValueClass::Time => {
            let near_before = before.iter().take(3);
            if let Some(c) = near_before.clone().find_map(|&i| drop_at(i)) {
                m.concept = Some(c);
                return m;
            }
            m.concept = event(lex, &folded, &firm(&after), &firm(&before));
            if *class == ValueClass::Time {
                m.holder = zone(&all, &after, lex, &folded);
            }
        }
        ValueClass::Duration => {
            let near = after.iter().take(2).chain(before.iter().take(2));
            if near.clone().any(|&i| count_at(i) == Some("age")) {
                m.concept = Some("age");
                return m;
            }
            m.concept = event(lex, &folded, &firm(&after), &firm(&before));
        }
        ValueClass::Money(_) | ValueClass::Percentage => {
            if *class == ValueClass::Percentage {
                m.noun = share_of(&all, &after, lex, &folded);
            }
            // "87 % restored": the event a share or an amount belongs to.
            let (after, before) = (firm(&after), firm(&before));
            m.concept = after
                .iter()
                .chain(&before)
                .find_map(|&i| lex.events.at(&folded, i).map(|(e, _)| e));
        }
    }
    m
}

/// What a share is a share of: the first word after a partitive right after it that is not
/// generic ("80 percent of trains", "60 Prozent der Nachfrage", "90 % du réseau").
fn share_of(
    all: &[Word],
    after: &[usize],
    lex: &MeasureWords,
    folded: &[String],
) -> Option<String> {
    let &first = after.first()?;
    if !lex.partitive.has(folded, first) {
        return None;
    }
    after
        .iter()
        .skip(1)
        .take(3)
        .find(|&&i| !lex.generic.has(folded, i) && all[i].folded.chars().all(char::is_alphabetic))
        .map(|&i| all[i].folded.clone())
}

/// Whether values of this concept are not facts of the story.
pub fn is_dropped(concept: &str) -> bool {
    concepts().counts.get(concept).is_some_and(|r| r.drop)
}

/// The concept of an injury count with its severity next to it ("four critically injured",
/// "31 luka berat"): seriously or lightly injured.
fn severity(
    lex: &MeasureWords,
    folded: &[String],
    at: usize,
    concept: &'static str,
) -> &'static str {
    if concept != "injured" {
        return concept;
    }
    let near = at.saturating_sub(2)..(at + 3).min(folded.len());
    if near.clone().any(|i| lex.serious.has(folded, i)) {
        "seriously_injured"
    } else if near.into_iter().any(|i| lex.light.has(folded, i)) {
        "lightly_injured"
    } else {
        concept
    }
}

/// Whether a count is a part of another one in its clause ("seven of the 12 bodies").
fn is_part(
    all: &[Word],
    after: &[usize],
    others: &[(usize, usize)],
    lex: &MeasureWords,
    folded: &[String],
) -> bool {
    let Some(&first) = after.first() else {
        return false;
    };
    if !lex.partitive.has(folded, first) {
        return false;
    }
    // A number follows within two more words ("of the 12", "des 6,5 millions"; not "de
    // este lunes").
    let next = all
        .get(first + 1..(first + 3).min(all.len()))
        .unwrap_or(&[]);
    next.iter().any(|w| {
        w.folded.chars().any(|c| c.is_ascii_digit())
            && others.iter().any(|&(s, e)| w.start < e && s < w.end)
    })
}

/// The event a day, a time or a length belongs to: the nearest event word on either side
/// (before it on a tie: "the blackout began at 12:33, the operator announced").
fn event(
    lex: &MeasureWords,
    folded: &[String],
    after: &[usize],
    before: &[usize],
) -> Option<&'static str> {
    let find = |list: &[usize]| {
        list.iter()
            .enumerate()
            .find_map(|(d, &i)| lex.events.at(folded, i).map(|(e, _)| (d, e)))
    };
    match (find(before), find(after)) {
        (Some((d, e)), Some((d2, _))) if d <= d2 => Some(e),
        (_, Some((_, e))) => Some(e),
        (Some((_, e)), None) => Some(e),
        (None, None) => None,
    }
}

/// The concept, holder and noun of a count. The counted noun is the first word after the
/// value that is not generic ("120 Spaniards", "17 niños", "48 firefighters"); a state
/// (dead, injured) near the value wins over a group it counts (passengers, fans), which
/// becomes the holder ("the deaths of 126 fans": dead, fans).
fn counted(
    m: &mut Measure,
    lex: &MeasureWords,
    folded: &[String],
    after: &[usize],
    before: &[usize],
    head: Option<&str>,
) {
    let generic = |i: usize| lex.generic.has(folded, i);
    let noun = after.iter().copied().find(|&i| !generic(i));
    let count_at = |i: usize| {
        lex.counts
            .at(folded, i)
            .map(|(c, _)| c)
            .filter(|c| !is_dropped(c))
    };
    // Nearest first: a few words after the value, then those before it.
    let near: Vec<usize> = after
        .iter()
        .copied()
        .filter(|&i| !generic(i))
        .take(STATE_WORDS_AFTER)
        .chain(before.iter().copied().filter(|&i| !generic(i)))
        .collect();
    let state = near.iter().find_map(|&i| {
        let c = count_at(i).filter(|c| is_state(c))?;
        Some(severity(lex, folded, i, c))
    });
    let group = noun.and_then(count_at).filter(|c| !is_state(c));
    m.concept = state
        .or(group)
        .or_else(|| near.iter().find_map(|&i| count_at(i)));
    // The side of a vote stands in the first words after it ("7 votos a favor y 2 en
    // contra"); only a count of votes has one ("12 400 hectares contre 4 500" compares).
    let side = after
        .iter()
        .filter(|&&i| !generic(i))
        .take(2)
        .find_map(|&i| lex.sides.at(folded, i).map(|(s, _)| s.to_string()))
        .filter(|_| m.concept == Some("votes"));
    m.holder = noun
        .and_then(|i| lex.holders.at(folded, i).map(|(h, _)| h.to_string()))
        .or(side)
        .or_else(|| state.and(group).map(str::to_string));
    if m.concept.is_none() && m.holder.is_none() {
        m.noun = head
            .map(crate::values::facts::fold)
            .filter(|h| !h.is_empty())
            .filter(|h| noun.is_some_and(|i| &folded[i] == h));
    }
}

/// Whether a concept is what happened to the people counted.
fn is_state(concept: &str) -> bool {
    concepts().counts.get(concept).is_some_and(|r| r.state)
}

/// Whether the number at `start..end` is one side of a score or a pair ("lost 3-2", "2:3").
fn is_score(claim: &str, start: usize, end: usize) -> bool {
    let after: Vec<char> = claim.get(end..).unwrap_or("").chars().take(2).collect();
    let before: Vec<char> = claim
        .get(..start)
        .unwrap_or("")
        .chars()
        .rev()
        .take(2)
        .collect();
    let joins = |c: Option<&char>| matches!(c, Some('-' | ':' | '–'));
    let digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
    (joins(after.first()) && digit(after.get(1))) || (joins(before.first()) && digit(before.get(1)))
}

/// The zone a time is given in: a zone abbreviation after it ("CEST"), "local time", or the
/// place after a linking word ("17h45 in Madrid", "7h30 em Brasília").
fn zone(all: &[Word], after: &[usize], lex: &MeasureWords, folded: &[String]) -> Option<String> {
    for (k, &i) in after.iter().take(3).enumerate() {
        let w = &all[i];
        if w.upper && (2..=5).contains(&w.folded.len()) {
            return Some(w.folded.clone());
        }
        if lex.zone_words.has(folded, i) && w.folded.starts_with("local") {
            return Some("local".to_string());
        }
        if lex.zone_links.has(folded, i) {
            if let Some(&next) = after.get(k + 1) {
                if all[next].capital {
                    return Some(all[next].folded.clone());
                }
            }
        }
    }
    None
}

/// Whether two values' measures allow them to state one fact: no two different things
/// counted, no two different holders (a nationality's count is not the total), no part
/// against a whole, and, for counts whose concept is unknown, the same noun when both are
/// in one language (nouns of two languages are left to the similarity of their claims). Days
/// and times of different events (read right beside them) are kept apart too; the event of a
/// length, a share or an amount names the fact but does not keep values apart.
pub fn comparable(a: &Measure, b: &Measure, class: &ValueClass, one_language: bool) -> bool {
    if a.part != b.part {
        return false;
    }
    let counts = &concepts().counts;
    let both_counted = a.concept.is_some_and(|x| counts.contains_key(x))
        && b.concept.is_some_and(|y| counts.contains_key(y));
    // A day or a time whose event stands right beside it ("the blackout began at 12:33",
    // "power returned at 22:00") is kept apart from another event's.
    let counting = matches!(
        class,
        ValueClass::Quantity | ValueClass::Ordinal | ValueClass::Day | ValueClass::Time
    );
    if let (Some(x), Some(y)) = (a.concept, b.concept) {
        if !same_event(x, y) && (counting || both_counted) {
            return false;
        }
    }
    match class {
        ValueClass::Quantity | ValueClass::Ordinal => {
            if a.holder != b.holder {
                return false;
            }
            match (a.concept, &a.noun, b.concept, &b.noun) {
                // A noun no concept names counts something other than a named concept.
                (Some(_), _, None, Some(_)) | (None, Some(_), Some(_), _) => false,
                (None, Some(x), None, Some(y)) => !one_language || same_noun(x, y),
                _ => true,
            }
        }
        // Shares of different things ("80 percent of trains", "60 % of demand"), told in one
        // language.
        ValueClass::Percentage => match (&a.noun, &b.noun) {
            (Some(x), Some(y)) if one_language => same_noun(x, y),
            _ => true,
        },
        ValueClass::Time => match (&a.holder, &b.holder) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        },
        _ => true,
    }
}

/// Whether two folded nouns are one word, give or take an inflection ("carriage",
/// "carriages"; "Wagen", "Wagens"). Nouns of different languages rarely share a stem, so
/// they are compared by their first letters only when both are long.
fn same_noun(x: &str, y: &str) -> bool {
    let stem = |s: &str| s.chars().take(5).collect::<String>();
    x == y || (x.chars().count() >= 5 && y.chars().count() >= 5 && stem(x) == stem(y))
}

/// Words (of any kind) after a linking word ("with", "com", "mit") within which the
/// counterpart of an event is named, title included ("com o presidente dos EUA, Donald Trump") ("his call with Zelenskiy", "uma ligação com o líder russo
/// Vladimir Putin").
pub const COUNTERPART_WORDS: usize = 7;

/// The byte offsets (in `claim`) after which a counterpart may be named: the ends of the
/// linking words of `language` ("with"), each with the end of the stretch it covers.
pub fn counterpart_spans(claim: &str, language: &str) -> Vec<(usize, usize)> {
    let Some(lex) = lexicon::get(language) else {
        return Vec::new();
    };
    let all = words(claim);
    let folded: Vec<String> = all.iter().map(|w| w.folded.clone()).collect();
    (0..all.len())
        .filter(|&i| lex.counterpart_links.has(&folded, i))
        .map(|i| {
            let last = (i + COUNTERPART_WORDS).min(all.len() - 1);
            (all[i].end, all[last].end)
        })
        .collect()
}

/// Whether two events may be one: the same event, or a word for any incident ("the
/// tragedy", "the disaster") and an incident of a named kind ("the stampede", "the crash").
pub fn same_event(x: &str, y: &str) -> bool {
    let incidents = &concepts().incidents;
    x == y || (x == INCIDENT && incidents.contains(y)) || (y == INCIDENT && incidents.contains(x))
}

/// The event of a time of day that says when a figure stood ("as of 6 am, 99.16 percent"):
/// such times join only when they agree, never as a conflict.
pub const READING: &str = "reading";

/// The event of the words that name any incident ("tragedy", "disaster").
const INCIDENT: &str = "incident";

/// Whether a value is the time of a reading ([`READING`]).
pub fn reading(m: &Measure) -> bool {
    m.concept == Some(READING)
}

/// Whether a measure says nothing: no concept, no noun, no holder.
pub fn vague(m: &Measure) -> bool {
    m.concept.is_none() && m.noun.is_none() && m.holder.is_none()
}

/// Whether values of this measure join a fact only when they agree (ages of people).
pub fn agree_only(m: &Measure) -> bool {
    m.concept
        .and_then(|c| concepts().counts.get(c))
        .is_some_and(|r| r.agree_only)
}

/// Whether values of this measure are a running total told as a timeline (a toll).
pub fn cumulative(m: &Measure) -> bool {
    m.concept
        .and_then(|c| concepts().counts.get(c))
        .is_some_and(|r| r.cumulative)
}

/// A fact's readable name, in English: "dead", "dead (children)", "day of the call", "time
/// of the crash", "call length", "restoration (share)"; None when a count's measure says
/// nothing (the caller shows its frame).
pub fn label(m: &Measure, class: &ValueClass) -> Option<String> {
    let c = concepts();
    let event = m.concept.and_then(|e| c.events.get(e));
    let counted = m
        .concept
        .and_then(|k| c.counts.get(k))
        .map(|r| r.label.clone());
    let with_holder = |text: String| match &m.holder {
        Some(h) => format!("{text} ({h})"),
        None => text,
    };
    Some(match class {
        ValueClass::Day => event.map_or("day".into(), |e| format!("day of the {e}")),
        ValueClass::Time => event.map_or("time of day".into(), |e| format!("time of the {e}")),
        ValueClass::Duration => event.map_or("length".into(), |e| format!("{e} length")),
        ValueClass::Percentage => match counted.or(event.cloned()) {
            Some(what) => format!("{what} (share)"),
            None => "share".into(),
        },
        ValueClass::Money(code) => match counted.or(event.cloned()) {
            Some(what) => format!("{what} (amount in {code})"),
            None => format!("amount in {code}"),
        },
        ValueClass::Quantity | ValueClass::Ordinal => match counted.or_else(|| m.noun.clone()) {
            Some(text) if m.part => with_holder(format!("{text} (part)")),
            Some(text) => with_holder(text),
            None => format!("people ({})", m.holder.clone()?),
        },
    })
}

#[cfg(test)]
mod tests;
