//! Values as the ranges of numbers they stand for: a qualifier ("about", "more than", "up
//! to", "between") widens a value into an interval, and so does rounding ("1.35 billion" stands
//! for anything from 1.345 to 1.355 billion). Two values agree when their intervals overlap.
//!
//! ```
//! use crosscheck::domain::{Qualifier, Value};
//! use crosscheck::values::facts::interval;
//! let about = |s: f64| Value::Duration { seconds: s, qualifier: Qualifier::About };
//! let less_than_hour = Value::Duration { seconds: 3600.0, qualifier: Qualifier::AtMost };
//! let exact = |s: f64| Value::Duration { seconds: s, qualifier: Qualifier::Exact };
//! assert!(interval(&exact(2100.0)).unwrap().overlaps(&interval(&less_than_hour).unwrap()));
//! assert!(!interval(&about(3600.0)).unwrap().overlaps(&interval(&exact(2400.0)).unwrap()));
//! ```

use super::{Interval, Qualifier, Value};

/// How far "about" reaches either side of a value, as a share of it ("about one hour": 51 to
/// 69 minutes; "about one hour" and "40 minutes" do not overlap).
pub const ABOUT: f64 = 0.15;

/// The interval a value stands for, for numeric values (durations, amounts, ordinals, times).
pub fn interval(value: &Value) -> Option<Interval> {
    match value {
        Value::Duration { seconds, qualifier } => Some(hedge(*seconds, *qualifier, None)),
        Value::Quantity {
            value,
            qualifier,
            step,
            ..
        } => {
            let qualifier = if *qualifier == Qualifier::Exact && step.is_none() && round(*value) {
                Qualifier::About
            } else {
                *qualifier
            };
            Some(hedge(*value, qualifier, *step))
        }
        Value::Ordinal(n) => Some(point(*n as f64)),
        Value::Time(minutes) => Some(point(f64::from(*minutes))),
        _ => None,
    }
}

/// A round figure, given in whole hundreds (300, 1,200, 6,000): news rounds counts that way, so
/// it is read as "about" that many (300 injured against 323 is a rounding, not a conflict).
pub const ROUND_FIGURE: f64 = 100.0;

/// Whether a count is written as a round figure ([`ROUND_FIGURE`]).
fn round(v: f64) -> bool {
    v.abs() >= ROUND_FIGURE && (v % ROUND_FIGURE) == 0.0
}

fn point(v: f64) -> Interval {
    Interval { low: v, high: v }
}

fn hedge(v: f64, qualifier: Qualifier, step: Option<f64>) -> Interval {
    let half = step.map_or(0.0, |s| s / 2.0);
    let (low, high) = (v - half, v + half);
    let spread = v.abs() * ABOUT;
    match qualifier {
        Qualifier::Exact => Interval { low, high },
        Qualifier::About => Interval {
            low: v - spread.max(half),
            high: v + spread.max(half),
        },
        Qualifier::Nearly => Interval {
            low: v - spread.max(half),
            high,
        },
        Qualifier::AtLeast => Interval {
            low,
            high: f64::INFINITY,
        },
        Qualifier::AtMost => Interval {
            low: f64::NEG_INFINITY.max(if v >= 0.0 { 0.0 } else { f64::NEG_INFINITY }),
            high,
        },
        Qualifier::Between(top) => Interval {
            low,
            high: top + half,
        },
    }
}
