//! A fact's outcome: its values fall into groups that can be true together (overlapping
//! intervals, the same day); one group of one article is single-source, one group of several
//! is a consensus (all values equal) or compatible, several groups are a conflict. A value
//! that cannot be compared with any other of the fact (an unanchored "yesterday" among dates)
//! stays out of every group: it neither joins nor splits them. A running total reported on
//! several days with different figures gets its timeline.

use crate::domain::{Article, Fact, FactOutcome, Timeline, Trend, ValueGroup, ValueMention};
use crate::values::facts::interval;

use super::agreement::agree;

/// The fact of one event's values (in drop order); its id is set by the caller.
pub fn fact(values: &[ValueMention], members: Vec<usize>, articles: &[Article]) -> Fact {
    let (groups, unresolved) = groups(values, &members);
    let sources: std::collections::BTreeSet<usize> =
        members.iter().map(|&m| values[m].article).collect();
    let outcome = if sources.len() == 1 {
        FactOutcome::SingleSource
    } else if groups.len() > 1 {
        FactOutcome::Conflict
    } else {
        let first = &values[groups[0].members[0]].mention.value;
        if members.iter().all(|&m| &values[m].mention.value == first) {
            FactOutcome::Consensus
        } else {
            FactOutcome::Compatible
        }
    };
    let first = named(values, &members);
    let timeline = (outcome == FactOutcome::Conflict
        && crate::values::measures::cumulative(&first.measure))
    .then(|| timeline(values, &groups, articles))
    .flatten();
    Fact {
        id: 0,
        class: first.class.clone(),
        label: crate::values::measures::label(&first.measure, &first.class)
            .unwrap_or_else(|| first.frame.clone()),
        measure: first.measure.clone(),
        members,
        groups,
        unresolved,
        outcome,
        timeline,
    }
}

/// The member whose measure names the fact: the measure most of its values have (ties: the
/// first), else its first value.
fn named<'a>(values: &'a [ValueMention], members: &[usize]) -> &'a ValueMention {
    // Each label once, with how many members carry it and its first member.
    let mut counts: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (order, &m) in members.iter().enumerate() {
        if let Some(l) = crate::values::measures::label(&values[m].measure, &values[m].class) {
            counts.entry(l).or_insert((0, order)).0 += 1;
        }
    }
    let best = counts
        .values()
        .max_by_key(|&&(n, order)| (n, std::cmp::Reverse(order)))
        .map_or(0, |&(_, order)| order);
    &values[members[best]]
}

/// The reports of a running total in order: each group placed at the earliest publication day
/// of its articles; None unless the groups were published on at least two different days.
fn timeline(
    values: &[ValueMention],
    groups: &[ValueGroup],
    articles: &[Article],
) -> Option<Timeline> {
    let day = |g: &ValueGroup| {
        g.members
            .iter()
            .filter_map(|&m| articles[values[m].article].publication_day())
            .min()
    };
    let last_day = |g: &ValueGroup| {
        g.members
            .iter()
            .filter_map(|&m| articles[values[m].article].publication_day())
            .max()
    };
    let mut placed: Vec<(chrono::NaiveDate, usize, f64)> = groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let mid = g.interval.map(|iv| (iv.low + iv.high) / 2.0)?;
            Some((day(g)?, i, mid))
        })
        .collect();
    placed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let (first, last) = (placed.first()?.0, placed.last()?.0);
    if first == last {
        return None;
    }
    let rising = placed
        .windows(2)
        .all(|w| w[0].0 == w[1].0 || w[1].2 >= w[0].2);
    let falling = placed
        .windows(2)
        .all(|w| w[0].0 == w[1].0 || w[1].2 <= w[0].2);
    let trend = match (rising, falling) {
        (true, false) => Trend::Grew,
        (false, true) => Trend::Shrank,
        _ => Trend::Revised,
    };
    let latest = (0..groups.len())
        .filter_map(|i| Some((last_day(&groups[i])?, std::cmp::Reverse(i))))
        .max()
        .map(|(_, std::cmp::Reverse(i))| i)?;
    Some(Timeline {
        latest,
        trend,
        first_day: first,
        last_day: last,
    })
}

/// Groups of values that agree with each other (connected by agreement), largest first, and
/// the values that could not be compared with any other. A wide value ("more than 1,000",
/// "thousands") joins the largest group of precise values it agrees with but never joins
/// two: it cannot reconcile "1,354" and "1,534".
fn groups(values: &[ValueMention], members: &[usize]) -> (Vec<ValueGroup>, Vec<usize>) {
    let n = members.len();
    let verdict = |i: usize, j: usize| agree(&values[members[i]], &values[members[j]]);
    let agreeing = |i: usize, j: usize| verdict(i, j) == Some(true);
    // A value with no verdict against any other is left out of every group (but a fact of
    // values none of which compare stays one group).
    let compared: Vec<bool> = (0..n)
        .map(|i| (0..n).any(|j| j != i && verdict(i, j).is_some()))
        .collect();
    let placed: Vec<usize> = if compared.iter().any(|&c| c) {
        (0..n).filter(|&i| compared[i]).collect()
    } else {
        (0..n).collect()
    };
    let unresolved: Vec<usize> = (0..n)
        .filter(|i| !placed.contains(i))
        .map(|i| members[i])
        .collect();
    let mut group_of: Vec<usize> = (0..n).collect();
    let wide: Vec<bool> = members
        .iter()
        .map(|&m| interval(&values[m].mention.value).is_some_and(|i| is_wide(&i)))
        .collect();
    let join = |group_of: &mut Vec<usize>, i: usize, j: usize| {
        let (keep, gone) = (group_of[i].min(group_of[j]), group_of[i].max(group_of[j]));
        for g in group_of.iter_mut() {
            if *g == gone {
                *g = keep;
            }
        }
    };
    let all_agree = placed.len() == n && !compared.iter().any(|&c| c);
    for (a, &i) in placed.iter().enumerate() {
        for &j in &placed[..a] {
            if !wide[i] && !wide[j] && (all_agree || agreeing(i, j)) {
                join(&mut group_of, i, j);
            }
        }
    }
    let size = |group_of: &[usize], g: usize| placed.iter().filter(|&&h| group_of[h] == g).count();
    let mut attached = vec![true; n];
    for &i in &placed {
        if !wide[i] {
            continue;
        }
        // The largest group of precise values it agrees with (ties: the first).
        let best = placed
            .iter()
            .filter(|&&j| !wide[j] && agreeing(i, j))
            .map(|&j| group_of[j])
            .max_by_key(|&g| (size(&group_of, g), std::cmp::Reverse(g)));
        if let Some(g) = best {
            group_of[i] = g;
        }
        attached[i] = best.is_some();
    }
    for (a, &i) in placed.iter().enumerate() {
        for &j in &placed[..a] {
            if !attached[i] && !attached[j] && (all_agree || agreeing(i, j)) {
                join(&mut group_of, i, j);
            }
        }
    }
    let mut ids: Vec<usize> = placed.iter().map(|&i| group_of[i]).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut groups: Vec<ValueGroup> = ids
        .into_iter()
        .map(|g| {
            let in_group: Vec<usize> = placed
                .iter()
                .filter(|&&i| group_of[i] == g)
                .map(|&i| members[i])
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
    (groups, unresolved)
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
                    measure: Default::default(),
                    language: "en".into(),
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
        let f = fact(&v, vec![0, 1, 2, 3], &[]);
        assert_eq!(f.outcome, FactOutcome::Conflict);
        let sizes: Vec<usize> = f.groups.iter().map(|g| g.members.len()).collect();
        assert_eq!(sizes, [3, 1], "the wide value joins the larger group");
        // Alone with one precise value, it agrees with it.
        let f = fact(&v, vec![0, 2], &[]);
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
