//! Anchoring relative mentions to the article's publication date.
//!
//! News reports past events, so a bare weekday ("on Friday") resolves to the nearest such
//! day on or before publication; "last Friday" to the one strictly before, "next Friday"
//! strictly after. A day of the month alone takes the publication month; with a weekday
//! ("Friday the 13th") the latest month up to publication's where that day is that
//! weekday. "The first Friday" is in publication's month. A day and month without a year,
//! like a holiday or "the first Friday of July" without one, take the
//! publication year, or the year before if that would land more than 60 days after
//! publication; "last Easter" and "next Easter" take the nearest one strictly before /
//! after publication. Expressions relative to another event ("a day later") and calendar
//! periods ("last month") stay unresolved.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::{CalendarUnit, Date, Mention, Occurrence, Relative, Value, Yearly};

/// Days a yearless date may lie after publication before it is read as last year's.
const FUTURE_SLACK_DAYS: i64 = 60;

/// Fills `resolved_date` on every mention that denotes one day: full dates always, relative
/// ones only when `publication` is known. Mentions that cannot be resolved keep `None`.
pub fn anchor(mentions: &mut [Mention], publication: Option<NaiveDate>) {
    for m in mentions {
        m.resolved_date = resolve(&m.value, publication);
    }
}

fn resolve(value: &Value, publication: Option<NaiveDate>) -> Option<NaiveDate> {
    match value {
        Value::Date(d) => d.full().or_else(|| yearless(d, publication?)),
        Value::Weekday(w) => weekday_on_or_before(publication?, *w),
        Value::Relative(r) => relative(r, publication?),
        _ => None,
    }
}

fn yearless(d: &Date, publication: NaiveDate) -> Option<NaiveDate> {
    if d.year.is_some() {
        return None;
    }
    let Some(month) = d.month else {
        // A day of the month alone ("on the 15th") falls in the publication month.
        return NaiveDate::from_ymd_opt(publication.year(), publication.month(), d.day?);
    };
    let day = d.day?;
    nearest(publication, |year| {
        NaiveDate::from_ymd_opt(year, month, day)
    })
}

/// A yearly date in publication's year, or the year before when that lies more than
/// `FUTURE_SLACK_DAYS` after publication.
fn nearest(publication: NaiveDate, on: impl Fn(i32) -> Option<NaiveDate>) -> Option<NaiveDate> {
    match on(publication.year()) {
        Some(date) if (date - publication).num_days() <= FUTURE_SLACK_DAYS => Some(date),
        _ => on(publication.year() - 1),
    }
}

/// Months searched back for a day of the month falling on a given weekday; every
/// combination recurs within this span.
const WEEKDAY_DAY_SEARCH_MONTHS: u32 = 84;

/// The `day` in publication's month if it falls on `weekday`, else the latest earlier one.
fn day_on_weekday(day: u32, weekday: u8, publication: NaiveDate) -> Option<NaiveDate> {
    let first = publication.with_day(1)?;
    (0..WEEKDAY_DAY_SEARCH_MONTHS).find_map(|back| {
        let date = first.checked_sub_months(Months::new(back))?.with_day(day)?;
        (date.weekday().number_from_monday() == u32::from(weekday)).then_some(date)
    })
}

fn yearly(date: Yearly, when: Occurrence, publication: NaiveDate) -> Option<NaiveDate> {
    let year = publication.year();
    match when {
        Occurrence::Nearest => nearest(publication, |y| date.in_year(y)),
        Occurrence::Before => date
            .in_year(year)
            .filter(|d| *d < publication)
            .or_else(|| date.in_year(year - 1)),
        Occurrence::After => date
            .in_year(year)
            .filter(|d| *d > publication)
            .or_else(|| date.in_year(year + 1)),
        Occurrence::Year(offset) => date.in_year(year + offset),
    }
}

fn weekday_on_or_before(publication: NaiveDate, weekday: u8) -> Option<NaiveDate> {
    let today = publication.weekday().number_from_monday() as i64;
    let back = (today - i64::from(weekday)).rem_euclid(7);
    publication.checked_sub_days(Days::new(back as u64))
}

/// `date` moved by `amount` units (calendar months and years, not 30 / 365 days).
pub(crate) fn shift(date: NaiveDate, amount: i64, unit: CalendarUnit) -> Option<NaiveDate> {
    let magnitude = amount.unsigned_abs();
    let forward = amount >= 0;
    match unit {
        CalendarUnit::Day | CalendarUnit::Week => {
            let days = Days::new(if unit == CalendarUnit::Week {
                magnitude * 7
            } else {
                magnitude
            });
            if forward {
                date.checked_add_days(days)
            } else {
                date.checked_sub_days(days)
            }
        }
        CalendarUnit::Month | CalendarUnit::Year => {
            let months = if unit == CalendarUnit::Year {
                magnitude * 12
            } else {
                magnitude
            };
            let months = Months::new(u32::try_from(months).ok()?);
            if forward {
                date.checked_add_months(months)
            } else {
                date.checked_sub_months(months)
            }
        }
    }
}

fn relative(r: &Relative, publication: NaiveDate) -> Option<NaiveDate> {
    match *r {
        Relative::Days(n) => shift(publication, n, CalendarUnit::Day),
        Relative::Weekday { weekday, direction } if direction < 0 => {
            weekday_on_or_before(publication.pred_opt()?, weekday)
        }
        Relative::Weekday { weekday, .. } => {
            weekday_on_or_before(shift(publication, 7, CalendarUnit::Day)?, weekday)
        }
        Relative::Ago { amount, unit } => shift(publication, -amount, unit),
        Relative::Hence { amount, unit } => shift(publication, amount, unit),
        Relative::WeekOf { weekday, offset } => {
            let from_monday = i64::from(publication.weekday().num_days_from_monday());
            let days = i64::from(offset) * 7 + i64::from(weekday) - 1 - from_monday;
            shift(publication, days, CalendarUnit::Day)
        }
        Relative::DayOnWeekday { day, weekday } => day_on_weekday(day, weekday, publication),
        Relative::NthWeekday {
            nth,
            weekday,
            month,
        } => {
            let rule = |m: u32| Yearly::WeekdayFrom(m, 1 + 7 * (u32::from(nth) - 1), weekday);
            match month {
                Some(m) => nearest(publication, |y| rule(m).in_year(y)),
                None => rule(publication.month()).in_year(publication.year()),
            }
        }
        Relative::Yearly { date, when } => yearly(date, when, publication),
        Relative::FromEvent { .. } | Relative::Period { .. } => None,
    }
}
