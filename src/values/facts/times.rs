//! Times of day: "3:27 a.m.", "um 3.27 Uhr", "alle 3.27", "pukul 03.27 WIB", "à 3 h 27",
//! "às 14h30". A time needs a cue word before it or a suffix after it, or a colon between
//! hours and two-digit minutes; "3.27" alone stays a date (or a number).

use super::lexicon::Lexicon;
use super::text::{Input, TokKind};
use super::{Found, MentionKind, Value};

/// The time of day starting at token `i`, cue word included.
pub(crate) fn find(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let cue = lex.time_cues.end(inp, i);
    let start = cue.unwrap_or(i);
    if let Some(found) = cue.and_then(|_| spelled(inp, start, lex)) {
        return Some(found);
    }
    if let Some(found) = military(inp, start, lex) {
        return Some(found);
    }
    let (hour, minute, end, colon) = clock(inp, start)?;
    let suffix = lex.time_suffixes.end(inp, end);
    // "16h00", "11h30": hours and minutes glued by an h are a clock time in every language
    // that writes them so (never "16 hours" and "00").
    let h_clock = minute.is_some() && inp.norm(start + 1) == "h";
    if cue.is_none() && suffix.is_none() && !(colon && minute.is_some()) && !h_clock {
        return None;
    }
    let pm = lex.pm_suffixes.end(inp, end).is_some();
    let hour = if pm && hour < 12 { hour + 12 } else { hour };
    if hour > 23 {
        return None;
    }
    let minutes = hour * 60 + minute.unwrap_or(0);
    let (end, minutes) = match (minute, suffix) {
        // "3 h 27": minutes after the hour suffix.
        (None, Some(e)) => match two_digits(inp, e) {
            Some(m) if inp.norm(e - 1) == "h" => (e + 1, minutes + m),
            _ => (e, minutes),
        },
        (_, Some(e)) => (e, minutes),
        (_, None) => (end, minutes),
    };
    if minute.is_none() && suffix.is_none() && !h_clock {
        return None;
    }
    Some(Found::new(
        end,
        MentionKind::TimeOfDay,
        Value::Time(minutes),
    ))
}

/// Four digits and a zone after them: "0100 GMT", "1433 UTC" (wire copy).
fn military(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let tok = inp.tok(i)?;
    if tok.kind != TokKind::Num || tok.end - tok.start != 4 {
        return None;
    }
    let end = lex.time_suffixes.end(inp, i + 1)?;
    let (hour, minute): (u32, u32) = (tok.norm[..2].parse().ok()?, tok.norm[2..].parse().ok()?);
    (hour < 24 && minute < 60)
        .then(|| Found::new(end, MentionKind::TimeOfDay, Value::Time(hour * 60 + minute)))
}

/// An hour written in words after a time cue: "à quatre heures", "um drei Uhr", "às duas
/// horas" (the cue is the caller's). The hour word must be followed by the hour suffix.
fn spelled(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let (end, &hour) = lex.cardinals.longest(inp, i)?;
    let suffix = lex.time_suffixes.end(inp, end)?;
    let whole = hour.fract() == 0.0 && (0.0..=23.0).contains(&hour);
    whole.then(|| {
        Found::new(
            suffix,
            MentionKind::TimeOfDay,
            Value::Time(hour as u32 * 60),
        )
    })
}

/// Hours and optional minutes at token `i`: "3:27", "03.27", "14h30", "15": (hour, minute,
/// index after it, whether a colon separated them).
fn clock(inp: &Input, i: usize) -> Option<(u32, Option<u32>, usize, bool)> {
    let tok = inp.tok(i)?;
    if tok.kind != TokKind::Num || tok.end - tok.start > 2 {
        return None;
    }
    let hour: u32 = tok.norm.parse().ok()?;
    let separator = inp.norm(i + 1);
    let glued = inp.glued(i + 1, TokKind::Punct) || inp.glued(i + 1, TokKind::Word);
    if glued && matches!(separator, ":" | "." | "h") && inp.glued(i + 2, TokKind::Num) {
        if let Some(minute) = two_digits(inp, i + 2) {
            return Some((hour, Some(minute), i + 3, separator == ":"));
        }
    }
    Some((hour, None, i + 1, false))
}

/// A two-digit minute (00-59) at token `i`.
fn two_digits(inp: &Input, i: usize) -> Option<u32> {
    let tok = inp.tok(i)?;
    (tok.kind == TokKind::Num && tok.end - tok.start == 2)
        .then(|| tok.norm.parse().ok())
        .flatten()
        .filter(|m| *m < 60)
}
