//! The typed values that `facts` finds in sentences (dates, weekdays, durations, amounts,
//! ordinals) and how the values of two sentences compare. Normalised forms, produced by
//! `Display for Value`: dates `2025-07-04`, `2025-07`, `2018`, `--07-04` (no year); weekdays
//! `XXXX-WXX-5` (TIMEX3, 1 = Monday); durations ISO 8601 `PT40M`, `P3D`, `P3.5Y`; quantities
//! `1100000000 EUR`, `12 %`, `26`; ordinals `#19`; a leading `~` marks approximate values.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar date that may lack parts ("4 de julho" has no year, "2025-07" no day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Date {
    /// Calendar year, when stated.
    pub year: Option<i32>,
    /// Month of the year, 1 = January .. 12 = December, when stated.
    pub month: Option<u32>,
    /// Day of the month, when stated.
    pub day: Option<u32>,
}

impl Date {
    /// The complete date, when year, month and day are all known and valid.
    pub fn full(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => write!(f, "{y:04}-{m:02}-{d:02}"),
            (Some(y), Some(m), None) => write!(f, "{y:04}-{m:02}"),
            (Some(y), None, _) => write!(f, "{y:04}"),
            (None, Some(m), Some(d)) => write!(f, "--{m:02}-{d:02}"),
            (None, Some(m), None) => write!(f, "--{m:02}"),
            (None, None, Some(d)) => write!(f, "---{d:02}"),
            (None, None, None) => write!(f, "--"),
        }
    }
}

/// Calendar units used by relative expressions ("two months ago", "last week").
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarUnit {
    /// One day (86 400 s as a duration). Display letter `D`.
    Day,
    /// Seven days. Display letter `W`.
    Week,
    /// A calendar month (30 days as a duration). Display letter `M`.
    Month,
    /// A calendar year (365 days as a duration). Display letter `Y`.
    Year,
}

impl CalendarUnit {
    /// The unit whose length is exactly `seconds` (30-day months, 365-day years), if any.
    pub(crate) fn from_seconds(seconds: f64) -> Option<Self> {
        match seconds as i64 {
            86_400 => Some(CalendarUnit::Day),
            604_800 => Some(CalendarUnit::Week),
            2_592_000 => Some(CalendarUnit::Month),
            31_536_000 => Some(CalendarUnit::Year),
            _ => None,
        }
    }

    pub(crate) fn letter(self) -> char {
        match self {
            CalendarUnit::Day => 'D',
            CalendarUnit::Week => 'W',
            CalendarUnit::Month => 'M',
            CalendarUnit::Year => 'Y',
        }
    }
}

/// A date stated relative to something else; [`crate::values::facts::anchor`] turns some of these into dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relative {
    /// Whole days from publication: yesterday = -1, today = 0. Display `pub-1D`.
    Days(i64),
    /// The weekday strictly before (-1, "last Tuesday") or after (+1, "next Tuesday")
    /// publication. Display `pub<W2` / `pub>W2`.
    Weekday {
        /// ISO weekday, 1 = Monday .. 7 = Sunday.
        weekday: u8,
        /// -1 for the one before publication, +1 for the one after.
        direction: i8,
    },
    /// Units before publication: "two months ago". Display `pub-2M`.
    Ago {
        /// How many units back; always positive.
        amount: i64,
        /// The unit counted.
        unit: CalendarUnit,
    },
    /// Units after publication: "two weeks from now". Display `pub+2W`.
    Hence {
        /// How many units forward; always positive.
        amount: i64,
        /// The unit counted.
        unit: CalendarUnit,
    },
    /// A weekday in a week counted from publication's (Monday-based) week: "Friday next
    /// week" = (5, +1), "diese Woche Dienstag" = (2, 0). Display `week(pub+1)W5`.
    WeekOf {
        /// ISO weekday, 1 = Monday .. 7 = Sunday.
        weekday: u8,
        /// Weeks from the one containing publication.
        offset: i32,
    },
    /// Units after (+) or before (-) another event in the text: "a day later". Needs an
    /// event date the module does not have, so it is never anchored. Display `event+1D`.
    FromEvent {
        /// Signed number of units: positive after the event, negative before it.
        amount: i64,
        /// The unit counted.
        unit: CalendarUnit,
    },
    /// A calendar period around publication: "last month" = -1, "this week" = 0.
    /// Display `month(pub-1)`.
    Period {
        /// The kind of period: day, week, month or year.
        unit: CalendarUnit,
        /// Periods from the one containing publication: -1 previous, 0 current, +1 next.
        offset: i32,
    },
    /// A day of the month said with its weekday but no month: "Friday the 13th". Resolves
    /// to the latest such day on or before publication's month. Display `W5---13`.
    DayOnWeekday {
        /// Day of the month.
        day: u32,
        /// ISO weekday, 1 = Monday .. 7 = Sunday.
        weekday: u8,
    },
    /// The nth weekday of a month: "the first Friday of July" = (1, 5, Some(7)); without a
    /// month, publication's ("first Sunday"). Display (TIMEX3) `XXXX-07-WXX-5-#1`.
    NthWeekday {
        /// Rank in the month, 1 = first .. 5 = fifth.
        nth: u8,
        /// ISO weekday, 1 = Monday .. 7 = Sunday.
        weekday: u8,
        /// The month, 1 = January; None for publication's month.
        month: Option<u32>,
    },
    /// A yearly date whose year depends on publication: "Easter", "last Easter", "Christmas
    /// next year", "next 6th of April". Display `easter+0@pub<`, `--04-06@pub>`.
    Yearly {
        /// The date's rule within a year.
        date: Yearly,
        /// Which year's occurrence is meant.
        when: Occurrence,
    },
}

impl Relative {
    /// The weekday this expression names, if it names one.
    pub(crate) fn weekday(&self) -> Option<u8> {
        match self {
            Relative::Weekday { weekday, .. }
            | Relative::WeekOf { weekday, .. }
            | Relative::DayOnWeekday { weekday, .. }
            | Relative::NthWeekday { weekday, .. } => Some(*weekday),
            _ => None,
        }
    }
}

impl fmt::Display for Relative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Relative::Days(n) => write!(f, "pub{n:+}D"),
            Relative::Weekday { weekday, direction } => {
                let sign = if direction < 0 { '<' } else { '>' };
                write!(f, "pub{sign}W{weekday}")
            }
            Relative::Ago { amount, unit } => write!(f, "pub-{amount}{}", unit.letter()),
            Relative::Hence { amount, unit } => write!(f, "pub+{amount}{}", unit.letter()),
            Relative::WeekOf { weekday, offset } => write!(f, "week(pub{offset:+})W{weekday}"),
            Relative::FromEvent { amount, unit } => write!(f, "event{amount:+}{}", unit.letter()),
            Relative::Period { unit, offset } => {
                let name = match unit {
                    CalendarUnit::Day => "day",
                    CalendarUnit::Week => "week",
                    CalendarUnit::Month => "month",
                    CalendarUnit::Year => "year",
                };
                write!(f, "{name}(pub{offset:+})")
            }
            Relative::DayOnWeekday { day, weekday } => write!(f, "W{weekday}---{day:02}"),
            Relative::NthWeekday {
                nth,
                weekday,
                month,
            } => match month {
                Some(m) => write!(f, "XXXX-{m:02}-WXX-{weekday}-#{nth}"),
                None => write!(f, "XXXX-XX-WXX-{weekday}-#{nth}"),
            },
            Relative::Yearly { date, when } => write!(f, "{date}@{when}"),
        }
    }
}

/// The normalised value of a mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// Absolute (possibly partial) date. Display `2025-07-04`, `2025-07`, `--07-04`.
    Date(Date),
    /// ISO weekday, 1 = Monday .. 7 = Sunday. Display `XXXX-WXX-5`.
    Weekday(u8),
    /// Relative date. Display see [`Relative`].
    Relative(Relative),
    /// Length of time. Display ISO 8601 `PT40M`, `P3D`, with its qualifier: `~PT1H`.
    Duration {
        /// Total length in seconds (months count 30 days, years 365).
        seconds: f64,
        /// How the text hedges it ("about", "less than", "between ... and").
        qualifier: Qualifier,
    },
    /// Amount with an optional normalised unit (`EUR`, `USD`, `%`). Display `1100000000 EUR`,
    /// with its qualifier: `>=120`, `~6000`.
    Quantity {
        /// The number, with scale words applied ("1,1 miliar" = 1 100 000 000).
        value: f64,
        /// ISO 4217 currency code or `%`; None for plain counts and numbers.
        unit: Option<String>,
        /// How the text hedges it.
        qualifier: Qualifier,
        /// The unit of the last digit written when the number is written with decimals or a
        /// scale word ("1.35 billion": 0.01 billion); the value stands for anything it rounds
        /// from. None for whole numbers written out.
        step: Option<f64>,
    },
    /// Rank: "19th", "ke-19", "al 19-lea". Display `#19`.
    Ordinal(i64),
    /// A time of day in minutes after midnight: "3:27 a.m.", "um 3.27 Uhr", "pukul 03.27".
    /// Display `T03:27`.
    Time(u32),
}

/// The closed range of numbers a hedged or rounded value stands for ("about 40 minutes":
/// 34 to 46 minutes; "more than 200": 200 and up). Two values that overlap can both be true.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lowest value it allows.
    pub low: f64,
    /// Highest value it allows (infinite for "more than").
    pub high: f64,
}

impl Interval {
    /// Whether some number lies in both.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.low <= other.high && other.low <= self.high
    }
}

/// How the text hedges a number: the difference between "40 minutes", "about 40 minutes",
/// "more than 40 minutes" and "between 30 and 40 minutes".
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// As written.
    Exact,
    /// "about", "sekitar", "une quarantaine de": within a tolerance either side.
    About,
    /// "nearly", "almost", "quase": a little under.
    Nearly,
    /// "at least", "more than", "over", "mais de", "peste", "lebih dari".
    AtLeast,
    /// "less than", "up to", "under", "até", "sub".
    AtMost,
    /// "between 20 and 30": the value is the low end, this the high end (same unit).
    Between(f64),
}

impl Qualifier {
    /// The symbol written before (or, for a range, with) a normalised value.
    fn prefix(&self) -> &'static str {
        match self {
            Qualifier::Exact | Qualifier::Between(_) => "",
            Qualifier::About => "~",
            Qualifier::Nearly => "<~",
            Qualifier::AtLeast => ">=",
            Qualifier::AtMost => "<=",
        }
    }
}

impl Value {
    /// The weekday the value names directly (not via anchoring).
    pub fn weekday(&self) -> Option<u8> {
        match self {
            Value::Weekday(w) => Some(*w),
            Value::Relative(r) => r.weekday(),
            _ => None,
        }
    }
}

/// ISO 8601 duration in the largest unit that gives at most two decimals. Months are used
/// only from two months up (so "30 Tagen" reads `P30D`, not `P1M`); months are 30 days and
/// years 365 days, as in Recognizers-Text.
fn write_duration(f: &mut fmt::Formatter<'_>, seconds: f64) -> fmt::Result {
    const UNITS: [(f64, f64, &str, &str); 7] = [
        (31_536_000.0, 1.0, "P", "Y"),
        (2_592_000.0, 2.0, "P", "M"),
        (604_800.0, 1.0, "P", "W"),
        (86_400.0, 1.0, "P", "D"),
        (3_600.0, 1.0, "PT", "H"),
        (60.0, 1.0, "PT", "M"),
        (1.0, 0.0, "PT", "S"),
    ];
    for (size, at_least, prefix, letter) in UNITS {
        let q = seconds / size;
        if q >= at_least && ((q * 100.0).round() - q * 100.0).abs() < 1e-6 {
            return write!(f, "{prefix}{}{letter}", (q * 100.0).round() / 100.0);
        }
    }
    write!(f, "PT{seconds}S")
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Date(d) => d.fmt(f),
            Value::Weekday(w) => write!(f, "XXXX-WXX-{w}"),
            Value::Relative(r) => r.fmt(f),
            Value::Duration { seconds, qualifier } => {
                f.write_str(qualifier.prefix())?;
                write_duration(f, *seconds)?;
                if let Qualifier::Between(high) = qualifier {
                    f.write_str("..")?;
                    write_duration(f, *high)?;
                }
                Ok(())
            }
            Value::Quantity {
                value,
                unit,
                qualifier,
                ..
            } => {
                write!(f, "{}{value}", qualifier.prefix())?;
                if let Qualifier::Between(high) = qualifier {
                    write!(f, "..{high}")?;
                }
                match unit {
                    Some(u) => write!(f, " {u}"),
                    None => Ok(()),
                }
            }
            Value::Ordinal(n) => write!(f, "#{n}"),
            Value::Time(minutes) => write!(f, "T{:02}:{:02}", minutes / 60, minutes % 60),
        }
    }
}

/// What kind of fact a mention states; decides which mentions are compared.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// An absolute, possibly partial, calendar date ([`Value::Date`]).
    Date,
    /// A bare weekday name, "on Friday" ([`Value::Weekday`]).
    Weekday,
    /// A date relative to publication or another event ([`Value::Relative`]).
    RelativeDate,
    /// A length of time ([`Value::Duration`]).
    Duration,
    /// An amount with a currency ([`Value::Quantity`] with an ISO 4217 unit).
    Money,
    /// A percentage ([`Value::Quantity`] with unit `%`).
    Percentage,
    /// A number counting a noun, "26 negara" ([`Value::Quantity`], `head` set).
    Count,
    /// A rank, "19th" ([`Value::Ordinal`]).
    Ordinal,
    /// A bare number with no unit or counted noun ([`Value::Quantity`]): compared only
    /// where the words around it say what it measures ("magnitude 6.3", "i feriti sono 241").
    Number,
    /// A time of day ([`Value::Time`]).
    TimeOfDay,
}

/// One typed value found in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// What kind of fact this is; decides which slot it is compared in.
    pub kind: MentionKind,
    /// The normalised value.
    pub value: Value,
    /// The matched text, exactly as in the input.
    pub text: String,
    /// Byte offset where the match starts in the input (always on a char boundary).
    pub start: usize,
    /// Byte offset just past the end of the match (exclusive; on a char boundary).
    pub end: usize,
    /// The date this mention denotes once anchored (see [`crate::values::facts::anchor`]); serialised as ISO text.
    #[serde(serialize_with = "serialize_date")]
    pub resolved_date: Option<chrono::NaiveDate>,
    /// Lowercased noun the value attaches to ("call", "negara"), when cheap to find.
    pub head: Option<String>,
}

fn serialize_date<S: serde::Serializer>(
    date: &Option<chrono::NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    date.map(|d| d.to_string()).serialize(serializer)
}

/// How a date that recurs every year (a holiday, or a day and month) is found in a year.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Yearly {
    /// The same day every year: (month, day). "Christmas" = (12, 25). Display `--12-25`.
    Fixed(u32, u32),
    /// Days after (+) or before (-) Easter Sunday: "Pfingsten" = 49. Display `easter+49`.
    Easter(i64),
    /// The first ISO weekday (1 = Monday) on or after (month, day): "Thanksgiving" =
    /// (11, 22, 4), the fourth Thursday of November. Display `--11-22>W4`.
    WeekdayFrom(u32, u32, u8),
}

impl std::fmt::Display for Yearly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Yearly::Fixed(month, day) => write!(f, "--{month:02}-{day:02}"),
            Yearly::Easter(offset) => write!(f, "easter{offset:+}"),
            Yearly::WeekdayFrom(month, day, weekday) => {
                write!(f, "--{month:02}-{day:02}>W{weekday}")
            }
        }
    }
}

/// Which occurrence of a holiday an expression names, relative to publication.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Occurrence {
    /// No year stated: the one nearest publication, read like a date without a year.
    /// Display `pub`.
    Nearest,
    /// "last Easter": the latest one strictly before publication. Display `pub<`.
    Before,
    /// "next Easter": the first one strictly after publication. Display `pub>`.
    After,
    /// "Easter next year": the one in the year this many years from publication's.
    /// Display `year(pub+1)`.
    Year(i32),
}

impl std::fmt::Display for Occurrence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Occurrence::Nearest => f.write_str("pub"),
            Occurrence::Before => f.write_str("pub<"),
            Occurrence::After => f.write_str("pub>"),
            Occurrence::Year(offset) => write!(f, "year(pub{offset:+})"),
        }
    }
}

/// How two sentences relate on one slot.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotOutcome {
    /// Both sides state the value and agree (within `TOLERANCE` when approximate).
    Match,
    /// Both sides state the value and disagree.
    Conflict,
    /// Only one sentence states a value for this slot.
    OneSided,
}

/// One compared slot: the mention from each side (one is None for `OneSided`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotComparison {
    /// Kind of the mention on side `a` (or the only mention, for `OneSided`).
    pub kind: MentionKind,
    /// How the two sides relate.
    pub outcome: SlotOutcome,
    /// The mention from the first sentence, if it has one in this slot.
    pub a: Option<Mention>,
    /// The mention from the second sentence, if it has one in this slot.
    pub b: Option<Mention>,
}
