//! Comparing the typed values of two sentences that state the same fact.
//!
//! Mentions are grouped into slots of comparable values; within a slot values are paired,
//! matches first, then conflicts. Rules:
//! - dates, weekdays and relative dates form one slot, compared by resolved date when both
//!   have one, else by weekday, else by the date fields both state;
//! - durations form one slot, percentages another, money one slot per currency;
//! - counts are compared only with counts about the same head noun, ordinals with ordinals,
//!   and neither produces `OneSided` (a count about some other noun is too common to report);
//! - bare numbers are never compared;
//! - numeric values match when their intervals overlap (qualifiers and rounding, see
//!   [`interval`]).
//!
//! A slot filled on one side only yields `OneSided` for each of its mentions; mentions left
//! unpaired in a slot both sides fill are not reported.

use super::{interval, Mention, MentionKind, SlotComparison, SlotOutcome, Value};

/// Which mentions can be compared with each other. Slots are compared in this order, so the
/// result does not depend on which sentence comes first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Day,
    Duration,
    Percentage,
    Money(String),
    Count(String),
    Ordinal,
    Time,
}

impl Slot {
    fn of(m: &Mention) -> Option<Slot> {
        match (m.kind, &m.value) {
            (MentionKind::Date | MentionKind::Weekday | MentionKind::RelativeDate, _) => {
                Some(Slot::Day)
            }
            (MentionKind::Duration, _) => Some(Slot::Duration),
            (MentionKind::Percentage, _) => Some(Slot::Percentage),
            (MentionKind::Money, Value::Quantity { unit: Some(u), .. }) => {
                Some(Slot::Money(u.clone()))
            }
            (MentionKind::Count, _) => m.head.clone().map(Slot::Count),
            (MentionKind::Ordinal, _) => Some(Slot::Ordinal),
            (MentionKind::TimeOfDay, _) => Some(Slot::Time),
            _ => None,
        }
    }

    fn reports_one_sided(&self) -> bool {
        !matches!(self, Slot::Count(_) | Slot::Ordinal)
    }
}

/// Compares the mentions of sentence `a` with those of sentence `b`, slot by slot, in the
/// order of `Slot`; a compared pair's kind is the greater of its two mentions' kinds, so that
/// swapping `a` and `b` changes no kind.
pub fn compare(a: &[Mention], b: &[Mention]) -> Vec<SlotComparison> {
    let slots: std::collections::BTreeSet<Slot> = a.iter().chain(b).filter_map(Slot::of).collect();
    let mut out = Vec::new();
    for slot in slots {
        let left: Vec<&Mention> = a
            .iter()
            .filter(|m| Slot::of(m).as_ref() == Some(&slot))
            .collect();
        let right: Vec<&Mention> = b
            .iter()
            .filter(|m| Slot::of(m).as_ref() == Some(&slot))
            .collect();
        if left.is_empty() || right.is_empty() {
            if slot.reports_one_sided() {
                for m in &left {
                    out.push(one_sided(m, true));
                }
                for m in &right {
                    out.push(one_sided(m, false));
                }
            }
            continue;
        }
        pair(&left, &right, &mut out);
    }
    out
}

fn one_sided(m: &Mention, on_a: bool) -> SlotComparison {
    SlotComparison {
        kind: m.kind,
        outcome: SlotOutcome::OneSided,
        a: on_a.then(|| m.clone()),
        b: (!on_a).then(|| m.clone()),
    }
}

fn pair(left: &[&Mention], right: &[&Mention], out: &mut Vec<SlotComparison>) {
    let mut used_left = vec![false; left.len()];
    let mut used_right = vec![false; right.len()];
    for (wanted, outcome) in [(true, SlotOutcome::Match), (false, SlotOutcome::Conflict)] {
        for (li, l) in left.iter().enumerate() {
            if used_left[li] {
                continue;
            }
            let partner = right
                .iter()
                .enumerate()
                .find(|(ri, r)| !used_right[*ri] && agree(l, r) == Some(wanted));
            if let Some((ri, r)) = partner {
                used_left[li] = true;
                used_right[ri] = true;
                out.push(SlotComparison {
                    kind: l.kind.max(r.kind),
                    outcome,
                    a: Some((*l).clone()),
                    b: Some((*r).clone()),
                });
            }
        }
    }
}

/// Some(true) when the two values agree (their intervals overlap, see [`interval`]),
/// Some(false) when they disagree, None when the mentions do not say enough to tell.
pub fn agree(a: &Mention, b: &Mention) -> Option<bool> {
    match (&a.value, &b.value) {
        (Value::Duration { seconds: x, .. }, Value::Duration { seconds: y, .. })
        | (Value::Quantity { value: x, .. }, Value::Quantity { value: y, .. }) => {
            comparable(*x, *y).then(|| overlap(&a.value, &b.value))
        }
        (Value::Ordinal(x), Value::Ordinal(y)) => Some(x == y),
        (Value::Time(x), Value::Time(y)) => Some(x == y),
        _ => same_day(a, b),
    }
}

fn overlap(a: &Value, b: &Value) -> bool {
    match (interval(a), interval(b)) {
        (Some(x), Some(y)) => x.overlaps(&y),
        _ => false,
    }
}

/// Values further apart than this factor measure different things (a 40-minute call and a
/// 30-day ceasefire), not the same thing reported differently; they are not compared.
pub const MAX_COMPARABLE_RATIO: f64 = 10.0;

fn comparable(x: f64, y: f64) -> bool {
    let (small, large) = (x.abs().min(y.abs()), x.abs().max(y.abs()));
    small > 0.0 && large / small <= MAX_COMPARABLE_RATIO
}

fn full_date(m: &Mention) -> Option<chrono::NaiveDate> {
    match &m.value {
        Value::Date(d) => m.resolved_date.or_else(|| d.full()),
        _ => m.resolved_date,
    }
}

fn weekday_of(m: &Mention) -> Option<u8> {
    use chrono::Datelike;
    m.value
        .weekday()
        .or_else(|| full_date(m).map(|d| d.weekday().number_from_monday() as u8))
}

fn same_day(a: &Mention, b: &Mention) -> Option<bool> {
    if let (Some(x), Some(y)) = (full_date(a), full_date(b)) {
        return Some(x == y);
    }
    if let (Some(x), Some(y)) = (weekday_of(a), weekday_of(b)) {
        return Some(x == y);
    }
    let (Value::Date(x), Value::Date(y)) = (&a.value, &b.value) else {
        return None;
    };
    let fields = [
        (x.year.map(i64::from), y.year.map(i64::from)),
        (x.month.map(i64::from), y.month.map(i64::from)),
        (x.day.map(i64::from), y.day.map(i64::from)),
    ];
    let shared: Vec<bool> = fields
        .iter()
        .filter_map(|(p, q)| Some(p.as_ref()? == q.as_ref()?))
        .collect();
    (!shared.is_empty()).then(|| shared.iter().all(|s| *s))
}
