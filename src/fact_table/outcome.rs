//! A fact's outcome: its values fall into groups that can be true together (overlapping
//! intervals, the same day); one group of one article is single-source, one group of several
//! is a consensus (all values equal) or compatible, several groups are a conflict.

use crate::domain::{Fact, FactOutcome, ValueGroup, ValueMention};
use crate::values::facts::{agree, interval};

/// The fact of one event's values (in drop order); its id is set by the caller.
pub fn fact(values: &[ValueMention], members: Vec<usize>) -> Fact {
    let groups = groups(values, &members);
    let articles: std::collections::BTreeSet<usize> =
        members.iter().map(|&m| values[m].article).collect();
    let outcome = if articles.len() == 1 {
        FactOutcome::SingleSource
    } else if groups.len() > 1 {
        FactOutcome::Conflict
    } else {
        let first = &values[members[0]].mention.value;
        if members.iter().all(|&m| &values[m].mention.value == first) {
            FactOutcome::Consensus
        } else {
            FactOutcome::Compatible
        }
    };
    Fact {
        id: 0,
        class: values[members[0]].class.clone(),
        label: values[members[0]].frame.clone(),
        members,
        groups,
        outcome,
    }
}

/// Groups of values that agree with each other (connected by agreement), largest first. A
/// wide value ("more than 1,000", "thousands") joins the largest group of precise values it
/// agrees with but never joins two: it cannot reconcile "1,354" and "1,534".
fn groups(values: &[ValueMention], members: &[usize]) -> Vec<ValueGroup> {
    let mut group_of: Vec<usize> = (0..members.len()).collect();
    let wide: Vec<bool> = members
        .iter()
        .map(|&m| interval(&values[m].mention.value).is_some_and(|i| is_wide(&i)))
        .collect();
    let agreeing = |i: usize, j: usize| {
        agree(&values[members[i]].mention, &values[members[j]].mention).unwrap_or(true)
    };
    let join = |group_of: &mut Vec<usize>, i: usize, j: usize| {
        let (keep, gone) = (group_of[i].min(group_of[j]), group_of[i].max(group_of[j]));
        for g in group_of.iter_mut() {
            if *g == gone {
                *g = keep;
            }
        }
    };
    for i in 0..members.len() {
        for j in 0..i {
            if !wide[i] && !wide[j] && agreeing(i, j) {
                join(&mut group_of, i, j);
            }
        }
    }
    let size = |group_of: &[usize], g: usize| group_of.iter().filter(|&&h| h == g).count();
    let attached: Vec<bool> = (0..members.len())
        .map(|i| {
            // The largest group of precise values it agrees with (ties: the first).
            let best = (0..members.len())
                .filter(|&j| wide[i] && !wide[j] && agreeing(i, j))
                .map(|j| group_of[j])
                .max_by_key(|&g| (size(&group_of, g), std::cmp::Reverse(g)));
            if let Some(g) = best {
                group_of[i] = g;
            }
            !wide[i] || best.is_some()
        })
        .collect();
    for i in 0..members.len() {
        for j in 0..i {
            if !attached[i] && !attached[j] && agreeing(i, j) {
                join(&mut group_of, i, j);
            }
        }
    }
    let mut ids: Vec<usize> = group_of.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut groups: Vec<ValueGroup> = ids
        .into_iter()
        .map(|g| {
            let in_group: Vec<usize> = (0..members.len())
                .filter(|&i| group_of[i] == g)
                .map(|i| members[i])
                .collect();
            let shared = in_group
                .iter()
                .filter_map(|&m| interval(&values[m].mention.value))
                .reduce(|a, b| crate::domain::Interval {
                    low: a.low.max(b.low),
                    high: a.high.min(b.high),
                });
            ValueGroup {
                value: values[in_group[0]].mention.value.to_string(),
                members: in_group,
                interval: shared,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members[0].cmp(&b.members[0]))
    });
    groups
}

/// An interval too wide to tell two precise values apart: open-ended, or as wide as half its
/// largest magnitude (a factor of two for positive values: "more than 1,000", "up to 50",
/// "thousands"). An exact value, zero or negative included, is never wide.
fn is_wide(i: &crate::domain::Interval) -> bool {
    let magnitude = i.low.abs().max(i.high.abs());
    !(i.low.is_finite() && i.high.is_finite())
        || (magnitude > 0.0 && i.high - i.low >= 0.5 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventContext, ValueClass};

    /// One counted value per article, read from `text` in English.
    fn values(texts: &[&str]) -> Vec<ValueMention> {
        texts
            .iter()
            .enumerate()
            .map(|(article, text)| {
                let mention = crate::values::facts::extract(text, "en")
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| panic!("{text}: no value"));
                ValueMention {
                    claim: article,
                    sentence: article,
                    article,
                    start: 0,
                    end: 0,
                    mention,
                    class: ValueClass::Quantity,
                    frame: "X trains".into(),
                    event: EventContext::default(),
                }
            })
            .collect()
    }

    #[test]
    fn a_wide_value_does_not_reconcile_two_precise_ones() {
        let v = values(&[
            "1,354 trains",
            "1,534 trains",
            "more than 1,000 trains",
            "1,354 trains",
        ]);
        let f = fact(&v, vec![0, 1, 2, 3]);
        assert_eq!(f.outcome, FactOutcome::Conflict);
        let sizes: Vec<usize> = f.groups.iter().map(|g| g.members.len()).collect();
        assert_eq!(sizes, [3, 1], "the wide value joins the larger group");
        // Alone with one precise value, it agrees with it.
        let f = fact(&v, vec![0, 2]);
        assert_eq!(f.outcome, FactOutcome::Compatible);
    }

    #[test]
    fn exact_values_are_never_wide_zero_and_negatives_included() {
        use crate::domain::Interval;
        for v in [0.0, -5.0, 1354.0] {
            assert!(!is_wide(&Interval { low: v, high: v }), "{v}");
        }
        assert!(is_wide(&Interval {
            low: 0.0,
            high: 2030.0
        }));
        assert!(is_wide(&Interval {
            low: 1000.0,
            high: 10000.0
        }));
        assert!(!is_wide(&Interval {
            low: 8.5,
            high: 11.5
        }));
    }
}
