//! The `frames` stage: every typed value in its place. For each value of each claim it records
//! what the value is compared as (its [`ValueClass`]), the words around it in its claim with
//! the value replaced by a placeholder (the frame, which says what the value measures: "the
//! call lasted about X", "X feridos"), and what places its event (the other days named in its
//! sentence, the people its sentence names). The fact table compares values only when their
//! frames say the same thing and their events can be one.
//!
//! ```
//! use crosscheck::values::frames::frame_text;
//! let claim = "The call lasted about 40 minutes, officials said.";
//! let at = claim.find("about 40 minutes").unwrap();
//! let frame = frame_text(claim, (at, at + "about 40 minutes".len()), "en", &[]);
//! assert_eq!(frame, "The call lasted X, officials said.");
//! ```

use chrono::NaiveDate;

use crate::domain::{
    Claim, DaySpan, EventContext, Mention, MentionKind, Relative, Sentence, Value, ValueClass,
    ValueMention,
};
use crate::values::participants::Participants;

/// Words kept on each side of a value in its frame: enough for what it counts and the verb
/// ("killing X people", "X Menschen wurden verletzt"), few enough that a second value of the
/// same clause (killed 17, injured 240) does not share the frame.
pub const FRAME_WORDS: usize = 4;

/// The placeholder a value's own text becomes in its frame.
pub const PLACEHOLDER: &str = "X";

/// The frame of the value at `start..end` of `claim`: up to [`FRAME_WORDS`] words on each side,
/// the value itself replaced by [`PLACEHOLDER`]. A side stops before a word that links clauses
/// in `language` ([`crate::read::claims::is_linker`]) and before another value (`others`, byte
/// ranges in `claim`): "killed X people" and "injured X" then get frames of their own.
pub fn frame_text(
    claim: &str,
    (start, end): (usize, usize),
    language: &str,
    others: &[(usize, usize)],
) -> String {
    if start > end || !claim.is_char_boundary(start) || !claim.is_char_boundary(end) {
        // Offsets that do not fall on characters of this claim: no frame rather than a panic.
        return PLACEHOLDER.to_string();
    }
    let words = |from: usize, to: usize| -> Vec<(usize, &str)> {
        claim[from..to]
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - claim.as_ptr() as usize, w))
            .collect()
    };
    let blocked = |at: usize, w: &str| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        crate::read::claims::is_linker(language, bare)
            || others.iter().any(|&(s, e)| at < e && s < at + w.len())
    };
    let before = words(0, start);
    let mut left: Vec<&str> = before
        .iter()
        .rev()
        .take_while(|(at, w)| !blocked(*at, w))
        .take(FRAME_WORDS)
        .map(|&(_, w)| w)
        .collect();
    left.reverse();
    let right: Vec<&str> = words(end, claim.len())
        .iter()
        .take_while(|(at, w)| !blocked(*at, w))
        .take(FRAME_WORDS)
        .map(|&(_, w)| w)
        .collect();
    let glued_after = claim[end..]
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace());
    let mut text = left.join(" ");
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(PLACEHOLDER);
    if !right.is_empty() {
        if !glued_after {
            text.push(' ');
        }
        text.push_str(&right.join(" "));
    }
    text
}

/// The class a mention is compared as, or None when it is not a fact of its own (a
/// calendar period such as "last month", a day counted from another event).
pub fn class_of(m: &Mention) -> Option<ValueClass> {
    match (m.kind, &m.value) {
        (MentionKind::RelativeDate, Value::Relative(Relative::Period { .. }))
        | (MentionKind::RelativeDate, Value::Relative(Relative::FromEvent { .. })) => None,
        (MentionKind::Date | MentionKind::Weekday | MentionKind::RelativeDate, _) => {
            Some(ValueClass::Day)
        }
        (MentionKind::TimeOfDay, _) => Some(ValueClass::Time),
        (MentionKind::Duration, _) => Some(ValueClass::Duration),
        (MentionKind::Money, Value::Quantity { unit: Some(u), .. }) => {
            Some(ValueClass::Money(u.clone()))
        }
        (MentionKind::Percentage, _) => Some(ValueClass::Percentage),
        (MentionKind::Count | MentionKind::Number, Value::Quantity { .. }) => {
            Some(ValueClass::Quantity)
        }
        (MentionKind::Ordinal, _) => Some(ValueClass::Ordinal),
        _ => None,
    }
}

/// The days a day mention places an event in: its resolved day, or the month or year a
/// partial date names.
pub fn day_span(m: &Mention) -> Option<DaySpan> {
    if let Some(day) = m.resolved_date {
        return Some(DaySpan {
            first: day,
            last: day,
        });
    }
    let Value::Date(d) = &m.value else {
        return None;
    };
    let year = d.year?;
    let (first, last) = match d.month {
        Some(month) => {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            (first, next.pred_opt()?)
        }
        None => (
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        ),
    };
    Some(DaySpan { first, last })
}

/// Whether a day mention is a dateline ("ROME, 12 March (Wire) -", "JAKARTA, Selasa -"): the
/// day the article was filed, near the start of one of its first sentences (a title may come
/// first) and followed by the agency or a dash, not a fact of the story.
pub fn is_dateline(sentence: &Sentence, m: &Mention) -> bool {
    const NEAR_START: usize = 60;
    if sentence.index > 2 || m.start > NEAR_START || class_of(m) != Some(ValueClass::Day) {
        return false;
    }
    if m.start == 0 && matches!(&m.value, Value::Date(d) if d.year.is_some()) {
        // "30 de abril de 2025Las ...": a byline date glued to the first words.
        return true;
    }
    let rest = sentence.text[m.end.min(sentence.text.len())..].trim_start();
    let rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
    ['(', '-', '–', '—', ':', '/']
        .iter()
        .any(|&c| rest.starts_with(c))
}

/// The byte ranges (in `claim`) of the sentence's other values that lie inside it.
fn others_in_claim(
    claim: &Claim,
    sentence: &Sentence,
    mentions: &[Mention],
    own: usize,
) -> Vec<(usize, usize)> {
    mentions
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != own)
        .filter_map(|(_, m)| {
            let (s, e) = (sentence.start + m.start, sentence.start + m.end);
            (s >= claim.start && e <= claim.end).then(|| (s - claim.start, e - claim.start))
        })
        .collect()
}

/// Whether a time of day is a conversion of another ("3:27 (4:27, ora României)", "03.27
/// waktu setempat (08.27 WIB)"): inside parentheses, or followed by a zone abbreviation. The
/// local time is the fact; its conversions are not compared.
pub fn is_conversion(sentence: &Sentence, m: &Mention) -> bool {
    if class_of(m) != Some(ValueClass::Time) {
        return false;
    }
    let text = &sentence.text;
    let before = text[..m.start.min(text.len())].trim_end();
    let after = text[m.end.min(text.len())..].trim_start();
    let zone: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    let abbreviation =
        (2..=5).contains(&zone.chars().count()) && zone.chars().all(|c| c.is_uppercase());
    before.ends_with('(') || abbreviation
}

/// Whether mention `k` of a sentence is part of a page's time stamp: a date with its year
/// and a clock time written straight after one another, with nothing but spaces and
/// punctuation between ("5 March 2026 07:12", "2025-07-04, 10:30"), as bylines and "updated"
/// lines give them; a story tells the time of an event with words ("on 5 March at 07:12").
pub fn is_stamp(mentions: &[Mention], k: usize) -> bool {
    let dated = |m: &Mention| matches!(&m.value, Value::Date(d) if d.year.is_some());
    let timed = |m: &Mention| m.kind == MentionKind::TimeOfDay;
    let adjacent = |a: &Mention, b: &Mention, text_between: usize| {
        b.start >= a.end && b.start - a.end <= text_between
    };
    let m = &mentions[k];
    let before = k.checked_sub(1).map(|j| &mentions[j]);
    let after = mentions.get(k + 1);
    (timed(m) && before.is_some_and(|d| dated(d) && adjacent(d, m, 3)))
        || (dated(m) && after.is_some_and(|t| timed(t) && adjacent(m, t, 3)))
}

/// The participants named near a value (within [`crate::values::participants::NEAR_WORDS`]
/// words of it, inside its claim): the parties of the event it measures, not of the whole
/// sentence ("A ligação de Zelensky com Trump ocorreu ... depois que o último fez uma ligação
/// com uma hora com o líder russo Vladimir Putin": the hour's parties are Putin's).
fn parties(
    claim: &Claim,
    sentence: &Sentence,
    participants: &Participants,
    at: usize,
) -> std::collections::BTreeSet<usize> {
    participants.near_in(
        claim.sentence,
        at,
        (claim.start - sentence.start, claim.end - sentence.start),
    )
}

/// The participant a claim names right after a linking word ("with Zelenskiy"), the one
/// nearest to the value at byte `at` of the claim.
fn counterpart(
    claim: &Claim,
    sentence: &Sentence,
    participants: &Participants,
    at: usize,
) -> Option<usize> {
    let spans = crate::values::measures::counterpart_spans(&claim.text, &sentence.language);
    let named = participants.named_at(claim.sentence);
    spans
        .iter()
        .filter_map(|&(from, to)| {
            let id = named.iter().find_map(|&(word, id)| {
                let word = (sentence.start + word).checked_sub(claim.start)?;
                (from <= word && word <= to).then_some(id)
            })?;
            Some((from.abs_diff(at), id))
        })
        .min()
        .map(|(_, id)| id)
}

/// Whether mention `k` is the day of the month in parentheses after a weekday ("segunda-feira
/// (28)", "on Monday (28)"), as Brazilian and Portuguese papers write dates: part of the day,
/// not a count.
pub fn is_day_of_month(sentence: &Sentence, mentions: &[Mention], k: usize) -> bool {
    let m = &mentions[k];
    let Some(weekday) = k.checked_sub(1).map(|j| &mentions[j]) else {
        return false;
    };
    let text = &sentence.text;
    // Only spaces and the opening parenthesis between the weekday and the number.
    let between = text.get(weekday.end..m.start).unwrap_or("x").trim();
    let after = text.get(m.end..).unwrap_or("").trim_start();
    matches!(
        m.kind,
        MentionKind::Count | MentionKind::Number | MentionKind::Ordinal
    ) && class_of(weekday) == Some(ValueClass::Day)
        && between == "("
        && after.starts_with(')')
}

/// Words after a time of day within which a share makes it the time of a reading.
pub const READING_WORDS: usize = 4;

/// Whether a time of day says when a share stood ("as of 6 am, 99.16 percent", "À quatre
/// heures du matin, environ 90 %"): a percentage follows within [`READING_WORDS`] words, in
/// the same clause. Readings at two times can both be true; they are not the event's time.
fn is_reading(sentence: &Sentence, mentions: &[Mention], own: usize) -> bool {
    let text = &sentence.text;
    let end = mentions[own].end.min(text.len());
    mentions.iter().enumerate().any(|(j, other)| {
        if j == own || other.kind != MentionKind::Percentage || other.start < end {
            return false;
        }
        let between = text.get(end..other.start).unwrap_or(".");
        !between.contains(['.', ';', ':', '?', '!'])
            && between.split_whitespace().count() <= READING_WORDS
    })
}

/// Every value of every claim, in drop order. `mentions[i]` are sentence `i`'s values
/// (anchored to its article's publication day).
pub fn value_mentions(
    sentences: &[Sentence],
    claims: &[Claim],
    mentions: &[Vec<Mention>],
    participants: &Participants,
) -> Vec<ValueMention> {
    let mut out = Vec::new();
    for (claim_index, claim) in claims.iter().enumerate() {
        let sentence = &sentences[claim.sentence];
        let in_sentence = &mentions[claim.sentence];
        for (k, m) in in_sentence.iter().enumerate() {
            let (start, end) = (sentence.start + m.start, sentence.start + m.end);
            if start < claim.start || start >= claim.end {
                continue;
            }
            let Some(class) = class_of(m) else { continue };
            if is_dateline(sentence, m)
                || is_stamp(in_sentence, k)
                || is_day_of_month(sentence, in_sentence, k)
            {
                continue;
            }
            let local = (
                (start - claim.start).min(claim.text.len()),
                (end - claim.start).min(claim.text.len()),
            );
            let others = others_in_claim(claim, sentence, in_sentence, k);
            let mut measure = crate::values::measures::measure(
                &claim.text,
                local,
                &others,
                &sentence.language,
                &class,
                m.head.as_deref(),
            );
            if class == ValueClass::Time
                && measure.concept.is_none()
                && is_reading(sentence, in_sentence, k)
            {
                measure.concept = Some(crate::values::measures::READING);
            }
            if measure
                .concept
                .is_some_and(crate::values::measures::is_dropped)
            {
                continue;
            }
            if is_conversion(sentence, m) && measure.holder.is_none() {
                // A conversion to a zone it does not name: the local time is the fact.
                continue;
            }
            let days = in_sentence
                .iter()
                .enumerate()
                .filter(|&(j, other)| j != k && !is_dateline(sentence, other))
                .filter_map(|(_, other)| day_span(other))
                .collect();
            out.push(ValueMention {
                claim: claim_index,
                sentence: claim.sentence,
                article: claim.article,
                mention: m.clone(),
                start,
                end,
                class,
                frame: frame_text(&claim.text, local, &sentence.language, &others),
                event: EventContext {
                    days,
                    participants: participants.in_sentence(claim.sentence),
                    parties: parties(claim, sentence, participants, m.start),
                    counterpart: counterpart(claim, sentence, participants, start - claim.start),
                },
                measure,
                language: sentence.language.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_with_a_share_beside_it_is_a_reading() {
        let reading = |text: &str, lang: &str| {
            let sentence = Sentence {
                article: 0,
                index: 0,
                start: 0,
                end: text.len(),
                text: text.to_string(),
                language: lang.to_string(),
                language_confidence: 1.0,
                dropped: None,
            };
            let mentions = crate::values::facts::extract(text, lang);
            let time = mentions
                .iter()
                .position(|m| m.kind == MentionKind::TimeOfDay)
                .expect("a time of day");
            is_reading(&sentence, &mentions, time)
        };
        assert!(reading(
            "As of 6 am, 99.16 percent of supply was restored.",
            "en"
        ));
        assert!(reading(
            "À quatre heures du matin, environ 90 % du réseau était rétabli.",
            "fr"
        ));
        assert!(!reading("The blackout began at 12:33 on Monday.", "en"));
        // A share in the next sentence part is another statement.
        assert!(!reading(
            "Power failed at 12:33. About 60 % of demand was lost.",
            "en"
        ));
    }

    #[test]
    fn frames_keep_a_few_words_around_the_value_within_its_clause() {
        let claim = "The quake killed 17 people and injured 240 in the province of Campobasso.";
        let at = |v: &str| {
            let s = claim.find(v).unwrap();
            (s, s + v.len())
        };
        assert_eq!(
            frame_text(claim, at("17"), "en", &[at("240")]),
            "The quake killed X people"
        );
        assert_eq!(
            frame_text(claim, at("240"), "en", &[at("17")]),
            "people and injured X in the province of"
                .split_once("and ")
                .map(|(_, rest)| rest)
                .unwrap()
        );
        let glued = "His 40-minute call was good.";
        assert_eq!(
            frame_text(glued, (4, 13), "en", &[]),
            "His X call was good."
        );
    }
}
