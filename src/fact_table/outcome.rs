//! A fact's outcome: its values fall into groups that can be true together (overlapping
//! intervals, the same day); one group of one article is single-source, one group of several
//! is a consensus (all values equal) or compatible, several groups are a conflict.

use crate::domain::{Fact, FactOutcome, ValueGroup, ValueMention};
use crate::facts::{agree, interval};

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

/// Groups of values that agree with each other (connected by agreement), largest first.
fn groups(values: &[ValueMention], members: &[usize]) -> Vec<ValueGroup> {
    let mut group_of: Vec<usize> = (0..members.len()).collect();
    for i in 0..members.len() {
        for j in 0..i {
            let agreeing =
                agree(&values[members[i]].mention, &values[members[j]].mention).unwrap_or(true);
            if agreeing {
                let (gi, gj) = (group_of[i], group_of[j]);
                let (keep, gone) = (gi.min(gj), gi.max(gj));
                for g in group_of.iter_mut() {
                    if *g == gone {
                        *g = keep;
                    }
                }
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
