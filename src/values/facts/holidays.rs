//! Holidays: "Christmas", "easter 2018", "last Easter", "Pfingsten 2022",
//! "Fastnachtssonntag im nächsten Jahr", "independence day of this year".
//!
//! Names and their date rules live in the `holidays` table of each language file; the code
//! knows the three kinds of rule (a fixed day, a day counted from Easter Sunday, a weekday
//! on or after a fixed day) and how a year or a modifier attaches to a name.

use chrono::{Datelike, Days, NaiveDate};

use super::dates::{dated, relative_year, year_part};
use super::lexicon::Lexicon;
use super::text::Input;
use super::{Date, Found, Occurrence, Relative, Value, Yearly};

impl Yearly {
    /// The date in `year`.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        match *self {
            Yearly::Fixed(month, day) => NaiveDate::from_ymd_opt(year, month, day),
            Yearly::Easter(offset) => {
                let easter = easter_sunday(year)?;
                if offset >= 0 {
                    easter.checked_add_days(Days::new(offset.unsigned_abs()))
                } else {
                    easter.checked_sub_days(Days::new(offset.unsigned_abs()))
                }
            }
            Yearly::WeekdayFrom(month, day, weekday) => {
                let from = NaiveDate::from_ymd_opt(year, month, day)?;
                let today = i64::from(from.weekday().number_from_monday());
                let ahead = (i64::from(weekday) - today).rem_euclid(7);
                from.checked_add_days(Days::new(ahead as u64))
            }
        }
    }
}

impl Occurrence {
    /// The occurrence a modifier names: last = before, next = after, this = this year's.
    pub(crate) fn of_modifier(direction: i8) -> Self {
        match direction {
            d if d < 0 => Occurrence::Before,
            d if d > 0 => Occurrence::After,
            _ => Occurrence::Year(0),
        }
    }
}

/// Easter Sunday of a Gregorian year (Meeus/Jones/Butcher algorithm).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// A holiday name at token `i`, with an optional modifier before it ("last Easter") or a
/// year after it ("Easter 2018", "Pfingsten im nächsten Jahr", "independence day of this
/// year"). Fixed holidays without a modifier read as dates ("Christmas" = `--12-25`), and any
/// holiday with a stated year as a full date.
pub(crate) fn find(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let (modifier, j) = match lex.modifiers.longest(inp, i) {
        Some((e, d)) => (Some(*d), e),
        None => (None, i),
    };
    let (mut end, holiday) = lex.holidays.longest(inp, j)?;
    let mut when = modifier.map_or(Occurrence::Nearest, Occurrence::of_modifier);
    let mut year = None;
    if modifier.is_none() {
        if let Some((y, e)) = year_part(inp, end, lex).filter(|(y, _)| *y >= 1000) {
            year = Some(y);
            end = e;
        } else if let Some((e, offset)) = relative_year(inp, end, lex) {
            when = Occurrence::Year(offset);
            end = e;
        }
    }
    let value = match (year, holiday, when) {
        (Some(y), h, _) => {
            let d = h.in_year(y)?;
            Value::Date(Date {
                year: Some(y),
                month: Some(d.month()),
                day: Some(d.day()),
            })
        }
        (None, Yearly::Fixed(month, day), Occurrence::Nearest) => Value::Date(Date {
            year: None,
            month: Some(*month),
            day: Some(*day),
        }),
        (None, h, when) => Value::Relative(Relative::Yearly { date: *h, when }),
    };
    Some(dated(end, value))
}
