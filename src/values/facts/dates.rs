//! Dates, weekdays and relative dates: "4 de julho", "joi, 3 iulie", "19. März",
//! "2025-07", "na sexta -feira", "ontem", "bulan lalu", "um dia depois", "in 2018".

use chrono::{Datelike, NaiveDate};

use super::anchor::shift;
use super::lexicon::Lexicon;
use super::numbers::{self, amount, compound_value};
use super::text::{Input, TokKind};
use super::{longer, CalendarUnit, Date, Found, MentionKind, Occurrence, Relative, Value, Yearly};

/// The longest date-like reading starting at token `i`.
pub(crate) fn find(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let mut best =
        date(inp, i, lex).map(|(end, d)| Found::new(end, MentionKind::Date, Value::Date(d)));
    for candidate in [
        weekday(inp, i, lex),
        weekday_day(inp, i, lex),
        nth_weekday(inp, i, lex),
        relative_day(inp, i, lex),
        offset(inp, i, lex),
        period(inp, i, lex),
        year(inp, i, lex),
        modified_date(inp, i, lex),
    ] {
        best = longer(best, candidate);
    }
    best
}

/// A date-like value found up to token `end`, with the kind its value implies.
pub(crate) fn dated(end: usize, value: Value) -> Found {
    let kind = match value {
        Value::Date(_) => MentionKind::Date,
        Value::Weekday(_) => MentionKind::Weekday,
        _ => MentionKind::RelativeDate,
    };
    Found::new(end, kind, value)
}

/// An absolute date, optionally preceded by its weekday ("joi, 3 iulie") or a date article
/// ("the 9th of May", "den 28.10."); a day of the month alone needs a cue ("on the 15th",
/// "Friday the 13th", "dia 12").
fn date(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, Date)> {
    let cued = i > 0 && lex.day_cues.has_word(inp.norm(i - 1));
    let mut best = date_core(inp, i, lex, cued).or_else(|| day_only(inp, i, lex, Cue::from(cued)));
    let mut consider = |c: Option<(usize, Date)>| {
        if let Some(c) = c {
            if best.is_none_or(|b| c.0 > b.0) {
                best = Some(c);
            }
        }
    };
    if let Some((j, _)) = weekday_prefix(inp, i, lex) {
        // "this friday (jun-15)": the date in brackets, brackets included.
        match inp.norm(j) {
            "(" => consider(
                date_core(inp, j + 1, lex, true)
                    .filter(|(e, _)| inp.norm(*e) == ")")
                    .map(|(e, d)| (e + 1, d)),
            ),
            _ => consider(date_core(inp, j, lex, true)),
        }
    }
    // An article goes with a day ("the 27th", "den 28.10."), not with a year-first date.
    let year_first = |j: usize| num_at(inp, j).is_some_and(|(_, len)| len == 4);
    if let Some(j) = lex.date_articles.end(inp, i).filter(|j| !year_first(*j)) {
        let cue = if cued || lex.day_cues.end(inp, i) == Some(j) {
            Cue::Word
        } else {
            Cue::Article
        };
        consider(date_core(inp, j, lex, cued).or_else(|| day_only(inp, j, lex, cue)));
    }
    best
}

/// A day and month right after a modifier: "next 6th of April" (the first one after
/// publication), "last 5/12", "this May 5" (this year's).
fn modified_date(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let (j, direction) = lex.modifiers.longest(inp, i)?;
    let (end, d) = date_core(inp, j, lex, true)?;
    if d.year.is_some() {
        return None;
    }
    let rel = Relative::Yearly {
        date: Yearly::Fixed(d.month?, d.day?),
        when: Occurrence::of_modifier(*direction),
    };
    Some(dated(end, Value::Relative(rel)))
}

/// What licenses a day of the month standing alone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Nothing: never a date.
    None,
    /// A date article only ("the 27th"): the day must carry an ordinal suffix.
    Article,
    /// A cue word before it ("on 15", "no dia 15", "am 15.").
    Word,
    /// A weekday before it ("Friday the 13th", "Monday 21", "sexta-feira dia vinte").
    Weekday,
}

impl From<bool> for Cue {
    fn from(cued: bool) -> Self {
        if cued {
            Cue::Word
        } else {
            Cue::None
        }
    }
}

/// True when nothing that would continue a number or a noun phrase follows token `k - 1`.
fn free_after(inp: &Input, k: usize) -> bool {
    match inp.tok(k) {
        None => true,
        Some(t) if t.kind == TokKind::Punct => {
            !matches!(t.norm.as_str(), "-" | "/" | ":" | "%" | "'" | "&")
                && (t.gap || !inp.glued(k + 1, TokKind::Num))
        }
        _ => false,
    }
}

/// A day of the month with no month: "27th", "the second", "15.", "13" after a weekday.
/// A following "of next month" / "this month" is taken into the span.
fn day_only(inp: &Input, i: usize, lex: &Lexicon, cue: Cue) -> Option<(usize, Date)> {
    let (d, e) = day(inp, i, lex)?;
    if cue == Cue::None && month_ref(inp, e, lex).is_none() {
        return None;
    }
    let digits = inp.tok(i)?.kind == TokKind::Num;
    let suffixed = digits && e > i + 1;
    let cardinal_words = !digits && numbers::words(inp, i, lex).is_some_and(|n| n.end == e);
    let next_is_link = inp.tok(e).is_some_and(|t| {
        t.kind == TokKind::Word
            && (lex.stopwords.has_word(&t.norm)
                || lex.modifiers.longest(inp, e).is_some()
                || lex.capitalized_nouns && inp.text[t.start..].starts_with(char::is_lowercase))
    });
    let ok = cue != Cue::None
        && match (digits, suffixed, cardinal_words) {
            (true, true, _) => free_after(inp, e) || next_is_link,
            (true, false, _) => cue != Cue::Article && free_after(inp, e),
            (false, _, false) => cue != Cue::Article && free_after(inp, e),
            (false, _, true) => cue == Cue::Weekday && free_after(inp, e),
        };
    let ok = ok || (suffixed || !digits && !cardinal_words) && month_ref(inp, e, lex).is_some();
    if !ok {
        return None;
    }
    let end = month_ref(inp, e, lex).unwrap_or(e);
    let date = Date {
        year: None,
        month: None,
        day: Some(d),
    };
    Some((end, date))
}

/// "of next month", "this month", "do próximo mês" after a day: the index after it.
fn month_ref(inp: &Input, i: usize, lex: &Lexicon) -> Option<usize> {
    let j = lex.date_joiners.end(inp, i).unwrap_or(i);
    let found = period(inp, j, lex)?;
    matches!(
        found.value,
        Value::Relative(Relative::Period {
            unit: CalendarUnit::Month,
            ..
        })
    )
    .then_some(found.end)
}

/// "Thursday, the" / "Qua," / "Dienstag den": (the index where the date itself starts, the
/// ISO weekday).
fn weekday_prefix(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, u8)> {
    let i = lex.modifiers.end(inp, i).unwrap_or(i);
    let (mut j, w) = lex
        .weekdays
        .longest(inp, i)
        .or_else(|| lex.weekday_abbreviations.longest(inp, i))?;
    if matches!(inp.norm(j), "," | ".") || inp.glued_punct(j, "-") {
        j += 1;
    }
    Some((lex.date_joiners.end(inp, j).unwrap_or(j), *w))
}

/// A weekday and a day of the month with no month: "Friday the 13th", "Mon 13th",
/// "sexta-feira dia vinte".
fn weekday_day(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let (j, weekday) = weekday_prefix(inp, i, lex)?;
    let (end, date) = day_only(inp, j, lex, Cue::Weekday)?;
    let rel = Relative::DayOnWeekday {
        day: date.day?,
        weekday,
    };
    Some(dated(end, Value::Relative(rel)))
}

fn date_core(inp: &Input, i: usize, lex: &Lexicon, cued: bool) -> Option<(usize, Date)> {
    let mut best: Option<(usize, Date)> = None;
    for candidate in [
        compact(inp, i),
        numeric(inp, i, lex, cued),
        mixed_order(inp, i, lex),
        day_month(inp, i, lex, cued),
        month_day(inp, i, lex),
        month_year(inp, i, lex),
    ]
    .into_iter()
    .flatten()
    {
        if best.is_none_or(|b| candidate.0 > b.0) {
            best = Some(candidate);
        }
    }
    best
}

/// ISO 8601 basic dates: "20161016" (years 1900..2100 only).
fn compact(inp: &Input, i: usize) -> Option<(usize, Date)> {
    let t = inp.tok(i)?;
    if t.kind != TokKind::Num || t.norm.len() != 8 || inp.glued(i + 1, TokKind::Word) {
        return None;
    }
    let n = &t.norm;
    let year: i32 = n[..4].parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let d = Date {
        year: Some(year),
        month: Some(n[4..6].parse().ok()?),
        day: Some(n[6..].parse().ok()?),
    };
    d.full().map(|_| (i + 1, d))
}

/// Three glued parts in any order, one a month name, one a four-digit year and one a day:
/// "2020/Sep/23", "23-2020-September", "September-2020-23.".
fn mixed_order(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, Date)> {
    let (mut year, mut month, mut day_of_month) = (None, None, None);
    let mut k = i;
    for part in 0..3 {
        if part > 0 {
            let same_sep = inp.norm(k) == inp.norm(i + 1) && matches!(inp.norm(k), "-" | "/");
            if !same_sep || !inp.glued(k, TokKind::Punct) || inp.tok(k + 1).is_none_or(|t| t.gap) {
                return None;
            }
            k += 1;
        }
        // Each of the three must be filled exactly once.
        let slot_was_empty =
            if let Some((e, m)) = lex.months.longest(inp, k).filter(|(e, _)| *e == k + 1) {
                k = e;
                month.replace(*m).is_none()
            } else if let Some((y, 4)) = num_at(inp, k) {
                k += 1;
                year.replace(y as i32).is_none()
            } else {
                let (d, e) = day(inp, k, lex)?;
                k = e;
                day_of_month.replace(d).is_none()
            };
        if !slot_was_empty {
            return None;
        }
    }
    let continued = matches!(inp.norm(k), "-" | "/") && inp.glued(k + 1, TokKind::Num);
    if continued {
        return None;
    }
    let d = Date {
        year: Some(year?),
        month: Some(month?),
        day: Some(day_of_month?),
    };
    valid(d).map(|d| (k, d))
}

fn num_at(inp: &Input, i: usize) -> Option<(u32, usize)> {
    let t = inp.tok(i)?;
    if t.kind != TokKind::Num || t.end - t.start > 4 {
        return None;
    }
    Some((t.norm.parse().ok()?, t.end - t.start))
}

fn valid(d: Date) -> Option<Date> {
    let month_ok = d.month.is_none_or(|m| (1..=12).contains(&m));
    let day_ok = d.day.is_none_or(|x| (1..=31).contains(&x));
    // Impossible days such as 29 February 2019 are still dates as written.
    let day_fits = match (d.month, d.day) {
        (Some(2), Some(x)) => x <= 30,
        (Some(4 | 6 | 9 | 11), Some(x)) => x <= 30,
        _ => true,
    };
    (month_ok && day_ok && day_fits).then_some(d)
}

fn two_digit_year(y: u32, digits: usize) -> i32 {
    match (digits, y) {
        (2, 0..=30) => 2000 + y as i32,
        (2, _) => 1900 + y as i32,
        _ => y as i32,
    }
}

/// Digit dates: "2025-07-04", "2015/08/12", "2019/sep/01", "2025-07", "21/04/2016",
/// "02/22/2016" (month first in English), "22/04", "28.10.", "11/12, 2016"; after a cue
/// ("on 4.22", "Friday 7-6") also "4-22" and "4.22".
fn numeric(inp: &Input, i: usize, lex: &Lexicon, cued: bool) -> Option<(usize, Date)> {
    let (a, a_len) = num_at(inp, i)?;
    if continues_a_number(inp, i) {
        return None;
    }
    let sep = inp.norm(i + 1);
    if !matches!(sep, "-" | "/" | ".") || !inp.glued(i + 1, TokKind::Punct) {
        return None;
    }
    let b = second_part(inp, i + 2, lex)?;
    let parts = DigitParts {
        a,
        b,
        b_is_word: num_at(inp, i + 2).is_none(),
        sep,
        third_sep: inp.glued_punct(i + 3, sep),
    };
    let third = if parts.third_sep && inp.glued(i + 4, TokKind::Num) {
        num_at(inp, i + 4)
    } else {
        None
    };
    match a_len {
        4 => year_first(inp, i, &parts, third),
        1 | 2 => day_first(inp, i, lex, cued, &parts, third),
        _ => None,
    }
}

/// The first two parts of a digit date and how they are joined.
struct DigitParts<'a> {
    a: u32,
    b: u32,
    /// The second part is a month name ("2019/sep/01").
    b_is_word: bool,
    /// The separator after the first part.
    sep: &'a str,
    /// The same separator follows the second part.
    third_sep: bool,
}

/// Token `i` goes on from a number before it: "6 1/4%" (a mixed fraction), "133-03-03-2020"
/// (the tail of a longer code), "4/5 %" (a ratio).
fn continues_a_number(inp: &Input, i: usize) -> bool {
    let after_number = i > 0 && inp.toks[i - 1].kind == TokKind::Num;
    let inside_code = i >= 2
        && inp.glued(i, TokKind::Num)
        && inp.glued(i - 1, TokKind::Punct)
        && inp.toks[i - 2].kind == TokKind::Num;
    after_number || inside_code || inp.norm(i + 3) == "%"
}

/// The second part of a digit date at `k`: one or two digits, or a month name.
fn second_part(inp: &Input, k: usize, lex: &Lexicon) -> Option<u32> {
    if inp.tok(k).is_none_or(|t| t.gap) {
        return None;
    }
    num_at(inp, k)
        .filter(|(_, len)| *len <= 2)
        .map(|(v, _)| v)
        .or_else(|| {
            lex.months
                .longest(inp, k)
                .filter(|(e, _)| *e == k + 1)
                .map(|(_, m)| *m)
        })
}

/// "2025-07-04", "2019/sep/01", "2025-07".
fn year_first(
    inp: &Input,
    i: usize,
    parts: &DigitParts,
    third: Option<(u32, usize)>,
) -> Option<(usize, Date)> {
    if let Some((c, _)) = third.filter(|(_, len)| *len <= 2) {
        let d = Date {
            year: Some(parts.a as i32),
            month: Some(parts.b),
            day: Some(c),
        };
        return valid(d).map(|d| (i + 5, d));
    }
    if parts.sep == "-" && !parts.b_is_word && !parts.third_sep && inp.norm(i + 2).len() == 2 {
        let d = Date {
            year: Some(parts.a as i32),
            month: Some(parts.b),
            day: None,
        };
        return valid(d).map(|d| (i + 3, d));
    }
    None
}

/// "21/04/2016", "02/22/2016", "22/04", "28.10.", "22.04", "11/12, 2016", and after a cue
/// "4-22" or "6.3".
fn day_first(
    inp: &Input,
    i: usize,
    lex: &Lexicon,
    cued: bool,
    parts: &DigitParts,
    third: Option<(u32, usize)>,
) -> Option<(usize, Date)> {
    let (a, b) = (parts.a, parts.b);
    let (day, month) = if parts.b_is_word || !(lex.month_first && a <= 12 || b > 12) {
        (a, b)
    } else {
        (b, a)
    };
    if let Some((c, c_len)) = third.filter(|(_, len)| *len == 2 || *len == 4) {
        let d = Date {
            year: Some(two_digit_year(c, c_len)),
            month: Some(month),
            day: Some(day),
        };
        return valid(d).map(|d| (i + 5, d));
    }
    if parts.third_sep && parts.sep != "." {
        return None;
    }
    let d = Date {
        year: None,
        month: Some(month),
        day: Some(day),
    };
    if inp.glued_punct(i + 3, ".") && inp.glued(i + 4, TokKind::Num) {
        // "30/4.85": a ratio of decimals.
        return None;
    }
    let with_year = |end: usize, d: Date| match year_part(inp, end, lex) {
        Some((y, e)) if !inp.tok(end).is_some_and(|t| t.is_hyphen()) => {
            valid(Date { year: Some(y), ..d }).map(|d| (e, d))
        }
        _ => valid(d).map(|d| (end, d)),
    };
    let free = free_after(inp, i + 3) || inp.tok(i + 3).is_some_and(|t| t.gap);
    let two_digits = |k: usize| inp.norm(k).len() == 2;
    match parts.sep {
        "/" => with_year(i + 3, d),
        "-" if parts.b_is_word => valid(d).map(|d| (i + 3, d)),
        "-" | "." if cued && !parts.third_sep && free => valid(d).map(|d| (i + 3, d)),
        "." if lex.decimal_comma && parts.third_sep => valid(d).map(|d| (i + 4, d)),
        // "22.04" alone: both parts in two digits, since "magnitudo 6.3" or "cresciuto del
        // 2.5" (a decimal point where the language writes a comma) is no date.
        "." if lex.decimal_comma && two_digits(i) && two_digits(i + 2) => {
            valid(d).map(|d| (i + 3, d))
        }
        _ => None,
    }
}

/// A day of the month: "4", "19.", "1st", "1º", "first", "twenty-second", "zweiten",
/// "neunundzwanzigsten", "vinte e um".
fn day(inp: &Input, i: usize, lex: &Lexicon) -> Option<(u32, usize)> {
    if let Some((d, len)) = num_at(inp, i) {
        if len > 2 || !(1..=31).contains(&d) {
            return None;
        }
        let mut j = i + 1;
        if let Some(e) = lex
            .ordinal_suffixes
            .end(inp, j)
            .filter(|_| inp.tok(j).is_some_and(|t| !t.gap))
        {
            j = e;
        }
        return Some((d, j));
    }
    let value_end = day_word(inp, i, lex)?;
    (1..=31).contains(&value_end.0).then_some(value_end)
}

fn day_word(inp: &Input, i: usize, lex: &Lexicon) -> Option<(u32, usize)> {
    ordinal_word(inp, i, lex).or_else(|| {
        let n = numbers::words(inp, i, lex)?;
        (n.value.fract() == 0.0).then_some((n.value as u32, n.end))
    })
}

/// A number written as an ordinal: "4.", "4th", "vierter", "twenty-first",
/// "siebenundzwanzigsten": (value, index after it).
fn ordinal_at(inp: &Input, i: usize, lex: &Lexicon) -> Option<(u32, usize)> {
    match num_at(inp, i) {
        Some((n, len)) if len <= 2 => {
            let e = lex.ordinal_suffixes.end(inp, i + 1)?;
            inp.tok(i + 1).is_some_and(|t| !t.gap).then_some((n, e))
        }
        Some(_) => None,
        None => ordinal_word(inp, i, lex),
    }
}

/// An ordinal number word: "first", "twenty-second", "zweiten", "neunundzwanzigsten".
fn ordinal_word(inp: &Input, i: usize, lex: &Lexicon) -> Option<(u32, usize)> {
    let tens = lex
        .ordinals
        .longest(inp, i)
        .map(|(e, v)| (*v, e))
        .or_else(|| lex.cardinals.longest(inp, i).map(|(e, v)| (*v as u32, e)))
        .filter(|(v, _)| *v == 20 || *v == 30);
    if let Some((t, e)) = tens {
        let mut j = e;
        while inp.tok(j).is_some_and(|t| t.is_hyphen()) {
            j += 1;
        }
        if let Some((j2, unit)) = lex.ordinals.longest(inp, j) {
            if *unit < 10 {
                return Some((t + unit, j2));
            }
        }
    }
    if let Some((e, v)) = lex.ordinals.longest(inp, i) {
        return Some((*v, e));
    }
    let tok = inp.tok(i)?;
    if tok.kind == TokKind::Word {
        for suffix in &lex.ordinal_word_suffixes {
            if let Some(stem) = tok.norm.strip_suffix(suffix.as_str()) {
                if let Some(v) = compound_value(stem, lex) {
                    return Some((v as u32, i + 1));
                }
            }
        }
    }
    None
}

/// The index after a word linking a date to its year or month ("of", "de", "in", "im Jahr"),
/// or `i`.
fn date_link(inp: &Input, i: usize, lex: &Lexicon) -> usize {
    lex.date_joiners
        .end(inp, i)
        .or_else(|| lex.year_links.end(inp, i))
        .unwrap_or(i)
}

/// A year after a date: ", 2016", " de 2016", "-2020", " 82", " in 2020",
/// "dois mil e vinte".
pub(crate) fn year_part(inp: &Input, i: usize, lex: &Lexicon) -> Option<(i32, usize)> {
    let mut j = i;
    if matches!(inp.norm(j), "," | "." | "-" | "/") {
        j += 1;
    }
    j = date_link(inp, j, lex);
    if let Some((y, len)) = num_at(inp, j) {
        let at_end = free_after(inp, j + 1) && !inp.glued(j + 1, TokKind::Num);
        return match len {
            4 if (1000..3000).contains(&y) => Some((y as i32, j + 1)),
            2 if at_end => Some((two_digit_year(y, 2), j + 1)),
            _ => None,
        };
    }
    let n = numbers::words(inp, j, lex)?;
    if n.value.fract() == 0.0 && (1000.0..3000.0).contains(&n.value) {
        return Some((n.value as i32, n.end));
    }
    // Years read in pairs: "nineteen seventy eight", "twenty twenty", "nineteen zero one".
    let low = numbers::words(inp, n.end, lex)?;
    let pair = (11.0..=29.0).contains(&n.value) && (0.0..100.0).contains(&low.value);
    (pair && n.value.fract() == 0.0 && low.value.fract() == 0.0)
        .then_some(((n.value * 100.0 + low.value) as i32, low.end))
}

fn with_year(inp: &Input, j: usize, lex: &Lexicon, month: u32, day: u32) -> Option<(usize, Date)> {
    let (year, end) = match year_part(inp, j, lex) {
        Some((y, e)) => (Some(y), e),
        None => (None, j),
    };
    valid(Date {
        year,
        month: Some(month),
        day: Some(day),
    })
    .map(|d| (end, d))
}

/// "4 de julho", "3 iulie 2025", "19. März", "4th of march", "1-jan", "16. nov. 2016"; after
/// a cue, where the language writes months as ordinals, "7. vierter", "27. 11.",
/// "siebten vierten".
fn day_month(inp: &Input, i: usize, lex: &Lexicon, cued: bool) -> Option<(usize, Date)> {
    let (d, mut j) = day(inp, i, lex)?;
    let ordinal_day = ordinal_at(inp, i, lex).is_some_and(|(_, e)| e == j);
    if matches!(inp.norm(j), "-" | "/" | ".") && inp.glued(j, TokKind::Punct) {
        j += 1;
    }
    let joined = lex.date_joiners.end(inp, j);
    j = joined.unwrap_or(j);
    // "One may ask": a month name that is also a common word needs a day in digits or
    // ordinal words before it.
    let cardinal_day = !ordinal_day && inp.tok(i)?.kind == TokKind::Word;
    let word_month = lex
        .months
        .longest(inp, j)
        .filter(|_| !(cardinal_day && lex.ambiguous_months.has_word(inp.norm(j))))
        .map(|(e, m)| (e, *m));
    // "9 de 8 de 1971": a numeric month only between joiners and before a full year.
    let numeric_month = || {
        let (m, len) = num_at(inp, j)?;
        let year_follows = lex.date_joiners.end(inp, j + 1).is_some()
            && year_part(inp, j + 1, lex).is_some_and(|(y, _)| y >= 1000);
        (joined.is_some() && len <= 2 && (1..=12).contains(&m) && year_follows)
            .then_some((j + 1, m))
    };
    let ordinal_month = || {
        ordinal_at(inp, j, lex)
            .filter(|(m, _)| lex.ordinal_months && cued && ordinal_day && (1..=12).contains(m))
            .map(|(m, e)| (e, m))
    };
    let (e, m) = word_month.or_else(numeric_month).or_else(ordinal_month)?;
    let mut end = e;
    if inp.glued_punct(end, ".") && year_part(inp, end + 1, lex).is_some() {
        end += 1;
    }
    with_year(inp, end, lex, m, d)
}

/// "July 4", "january 12, 2016", "jan-1", "Oct/2", "may the eleventh", "Sep-23-2020".
fn month_day(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, Date)> {
    let (mut j, m) = lex.months.longest(inp, i)?;
    if matches!(inp.norm(j), "." | "-" | "/") && inp.glued(j, TokKind::Punct) {
        j += 1;
    }
    j = lex.date_joiners.end(inp, j).unwrap_or(j);
    if inp.norm(j) == "," {
        // "October, 1st": only a suffixed day number may follow the comma.
        let (d, e) = day(inp, j + 1, lex)?;
        let suffixed = inp.tok(j + 1)?.kind == TokKind::Num && e > j + 2;
        return suffixed.then(|| with_year(inp, e, lex, *m, d)).flatten();
    }
    let (d, e) = day(inp, j, lex)?;
    with_year(inp, e, lex, *m, d)
}

/// "Februari 2022", "julho de 2025", "July 2025".
fn month_year(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, Date)> {
    let (mut j, m) = lex.months.longest(inp, i)?;
    if inp.glued_punct(j, ".") {
        j += 1;
    }
    j = lex.date_joiners.end(inp, j).unwrap_or(j);
    let (y, len) = num_at(inp, j)?;
    (len == 4 && (1000..3000).contains(&y)).then_some((
        j + 1,
        Date {
            year: Some(y as i32),
            month: Some(*m),
            day: None,
        },
    ))
}

/// "Friday", "na sexta -feira", "last Tuesday", "na última terça-feira", "Kamis lalu",
/// and a weekday tied to a week: "Friday next week", "next week on Friday",
/// "tuesday of last week", "diese Woche Dienstag", "domingo da semana seguinte".
fn weekday(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let week_of = |end: usize, weekday: u8, offset: i32| {
        let rel = Relative::WeekOf { weekday, offset };
        Found::new(end, MentionKind::RelativeDate, Value::Relative(rel))
    };
    let week_first = week_ref(inp, i, lex).and_then(|(j, offset)| {
        let mut k = j;
        while inp.tok(k).is_some_and(|t| t.is_hyphen()) {
            k += 1;
        }
        k = lex.week_links.end(inp, k).unwrap_or(k);
        let (e, w) = lex
            .weekdays
            .longest(inp, k)
            .or_else(|| lex.weekday_abbreviations.longest(inp, k))?;
        Some(week_of(e, *w, offset))
    });
    let (direction, j) = match lex.modifiers.longest(inp, i) {
        Some((e, d)) => (Some(*d), e),
        None => (None, i),
    };
    let Some((mut end, w)) = lex.weekdays.longest(inp, j) else {
        return week_first;
    };
    let mut direction = direction;
    if direction.is_none() {
        let mut k = end;
        if inp.norm(k) == "," {
            k += 1;
        }
        k = lex.week_links.end(inp, k).unwrap_or(k);
        if let Some((e, offset)) = week_ref(inp, k, lex) {
            return longer(week_first, Some(week_of(e, *w, offset)));
        }
        if let Some((e, d)) = lex.modifiers.longest(inp, end) {
            if lex.periods.longest(inp, e).is_none() {
                direction = Some(*d);
                end = e;
            }
        }
    }
    let found = match direction {
        Some(d) if d != 0 => Found::new(
            end,
            MentionKind::RelativeDate,
            Value::Relative(Relative::Weekday {
                weekday: *w,
                direction: d,
            }),
        ),
        _ => Found::new(end, MentionKind::Weekday, Value::Weekday(*w)),
    };
    longer(week_first, Some(found))
}

/// The highest rank read as "the nth weekday of a month" ("the fifth Sunday").
const MAX_WEEKDAY_RANK: u32 = 5;

/// "first sunday", "the first friday of july", "the 2nd Tuesday in this month".
fn nth_weekday(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let j = lex.date_articles.end(inp, i).unwrap_or(i);
    let (nth, k) = ordinal_at(inp, j, lex).filter(|(n, _)| (1..=MAX_WEEKDAY_RANK).contains(n))?;
    let (mut end, weekday) = lex.weekdays.longest(inp, k)?;
    let link = date_link(inp, end, lex);
    let mut month = None;
    if let Some((e, m)) = lex.months.longest(inp, link).filter(|_| link > end) {
        month = Some(*m);
        end = e;
    } else if let Some(e) = this_month(inp, end, lex) {
        end = e;
    }
    let rel = Relative::NthWeekday {
        nth: nth as u8,
        weekday: *weekday,
        month,
    };
    Some(dated(end, Value::Relative(rel)))
}

/// A calendar period of `unit` named at token `i` ("next week", "diese Woche", "of this
/// year"): (index after it, periods from publication's).
fn period_of(inp: &Input, i: usize, lex: &Lexicon, unit: CalendarUnit) -> Option<(usize, i32)> {
    match period(inp, i, lex)? {
        Found {
            end,
            value: Value::Relative(Relative::Period { unit: u, offset }),
            ..
        } if u == unit => Some((end, offset)),
        _ => None,
    }
}

/// "in this month", "of this month": the index after it.
fn this_month(inp: &Input, i: usize, lex: &Lexicon) -> Option<usize> {
    period_of(inp, date_link(inp, i, lex), lex, CalendarUnit::Month)
        .filter(|&(_, offset)| offset == 0)
        .map(|(end, _)| end)
}

/// "next week", "diese Woche", "semana seguinte": (index after it, weeks from publication's).
fn week_ref(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, i32)> {
    period_of(inp, i, lex, CalendarUnit::Week)
}

/// "ontem", "gestern", "gestrigen", "kemarin"; "um dia depois"-style phrases from the data.
fn relative_day(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    // "guten Morgen", "am Morgen": capitalised inside a sentence, the word is the noun.
    let noun = lex.capitalized_nouns
        && inp.text[inp.tok(i)?.start..].starts_with(char::is_uppercase)
        && i.checked_sub(1)
            .and_then(|p| inp.tok(p))
            .is_some_and(|p| p.kind != TokKind::Punct);
    let from_publication = lex
        .relative_days
        .longest(inp, i)
        .filter(|_| !noun)
        .map(|(e, n)| {
            Found::new(
                e,
                MentionKind::RelativeDate,
                Value::Relative(Relative::Days(*n)),
            )
        });
    let from_event = lex.event_days.longest(inp, i).map(|(e, n)| {
        let rel = Relative::FromEvent {
            amount: *n,
            unit: CalendarUnit::Day,
        };
        Found::new(e, MentionKind::RelativeDate, Value::Relative(rel))
    });
    longer(from_publication, from_event)
}

/// "<n> <unit> ago|later" and "vor <n> <unit>" / "há <n> <unit>".
fn offset(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let prefixed = lex.ago_prefix.end(inp, i);
    let start = prefixed.unwrap_or(i);
    let n = amount(inp, start, lex)?;
    let (end, seconds) = lex.durations.longest(inp, n.end)?;
    let unit = CalendarUnit::from_seconds(*seconds)?;
    if n.value.fract() != 0.0 || n.value <= 0.0 {
        return None;
    }
    let count = n.value as i64;
    let relative = |end: usize, rel: Relative| {
        Found::new(end, MentionKind::RelativeDate, Value::Relative(rel))
    };
    if prefixed.is_some() {
        return Some(relative(
            end,
            Relative::Ago {
                amount: count,
                unit,
            },
        ));
    }
    if let Some(e) = lex.ago.end(inp, end) {
        return Some(relative(
            e,
            Relative::Ago {
                amount: count,
                unit,
            },
        ));
    }
    if let Some(e) = lex.hence.end(inp, end) {
        return Some(relative(
            e,
            Relative::Hence {
                amount: count,
                unit,
            },
        ));
    }
    if let Some(found) = from_date(inp, end, count, unit, lex) {
        return Some(found);
    }
    let (e, direction) = lex.later.longest(inp, end)?;
    Some(relative(
        e,
        Relative::FromEvent {
            amount: count * direction,
            unit,
        },
    ))
}

/// A leap year, for day arithmetic on dates without a year.
const LEAP_YEAR: i32 = 2000;

/// "from tomorrow", "before May 13 1999", "after Christmas" after "<n> <unit>": the date
/// moved by `count` units, where that gives a date: from a full date, from a day and month
/// ("--01-29"), or in days from publication ("three weeks from tomorrow").
fn from_date(
    inp: &Input,
    i: usize,
    count: i64,
    unit: CalendarUnit,
    lex: &Lexicon,
) -> Option<Found> {
    let (k, direction) = lex.date_offsets.longest(inp, i)?;
    let base = super::day_at(inp, k, lex)?;
    let amount = count * direction;
    let value = match base.value {
        Value::Relative(Relative::Days(days)) => {
            let days_per_unit = match unit {
                CalendarUnit::Day => 1,
                CalendarUnit::Week => 7,
                _ => return None,
            };
            Value::Relative(Relative::Days(days + amount * days_per_unit))
        }
        Value::Date(Date {
            year,
            month: Some(month),
            day: Some(day),
        }) => {
            let moved = shift(
                NaiveDate::from_ymd_opt(year.unwrap_or(LEAP_YEAR), month, day)?,
                amount,
                unit,
            )?;
            Value::Date(Date {
                year: year.map(|_| moved.year()),
                month: Some(moved.month()),
                day: Some(moved.day()),
            })
        }
        _ => return None,
    };
    Some(dated(base.end, value))
}

/// "last month", "bulan lalu", "minggu ini", "this week", "Anfang des Monats".
fn period(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let phrase = lex
        .period_phrases
        .longest(inp, i)
        .map(|(e, (u, o))| (e, *u, *o));
    let prefixed = lex.modifiers.longest(inp, i).and_then(|(j, o)| {
        lex.periods
            .longest(inp, j)
            .map(|(e, u)| (e, *u, i32::from(*o)))
    });
    let postfixed = lex.periods.longest(inp, i).and_then(|(j, u)| {
        lex.modifiers
            .longest(inp, j)
            .map(|(e, o)| (e, *u, i32::from(*o)))
    });
    [phrase, prefixed, postfixed]
        .into_iter()
        .flatten()
        .fold(
            None,
            |best: Option<(usize, CalendarUnit, i32)>, c| match best {
                Some(b) if b.0 >= c.0 => Some(b),
                _ => Some(c),
            },
        )
        .map(|(end, unit, offset)| {
            Found::new(
                end,
                MentionKind::RelativeDate,
                Value::Relative(Relative::Period { unit, offset }),
            )
        })
}

/// A year named relative to publication's after a date, with its link word: "of this year",
/// "im nächsten Jahr", "letzten Jahres": (index after it, years from publication's).
pub(crate) fn relative_year(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, i32)> {
    period_of(inp, date_link(inp, i, lex), lex, CalendarUnit::Year)
}

/// A bare year, only where the context says it is one: "in 2018", "2018 in Finnland",
/// "pada tahun 2018". Other four-digit numbers stay numbers.
fn year(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let (y, len) = num_at(inp, i)?;
    if len != 4 || !(1900..=2100).contains(&y) {
        return None;
    }
    let prev_glued_joiner = inp.tok(i).is_some_and(|t| !t.gap)
        && i > 0
        && matches!(inp.norm(i - 1), "-" | "/" | "." | ",");
    let next_glued = inp
        .tok(i + 1)
        .is_some_and(|t| !t.gap && !matches!(t.norm.as_str(), "." | "," | ")" | ";" | ":"));
    if prev_glued_joiner || next_glued {
        return None;
    }
    let marker = |k: usize| {
        inp.tok(k)
            .is_some_and(|t| t.kind == TokKind::Word && lex.year_markers.has_word(&t.norm))
    };
    let next_is_noun = inp.tok(i + 1).is_some_and(|t| {
        t.kind == TokKind::Word
            && !lex.stopwords.has_word(&t.norm)
            && !lex.year_markers.has_word(&t.norm)
    });
    let next_is_unit = lex.currencies.longest(inp, i + 1).is_some()
        || lex.percent.end(inp, i + 1).is_some()
        || lex.durations.longest(inp, i + 1).is_some();
    let context = (i > 0 && marker(i - 1)) || marker(i + 1);
    (context && !next_is_noun && !next_is_unit).then(|| {
        Found::new(
            i + 1,
            MentionKind::Date,
            Value::Date(Date {
                year: Some(y as i32),
                month: None,
                day: None,
            }),
        )
    })
}
