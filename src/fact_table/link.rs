//! Which values state the same fact: a value links to the most similar value of its class in
//! each other article, when the choice is mutual and the similarity (of frames and claims)
//! reaches a threshold ([`LinkConfig`]). Candidates come from each value's few most similar
//! values over the whole drop, so the work grows linearly with the values.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Value, ValueClass, ValueMention};
use crate::matching::embed::Embeddings;

/// When two values state the same fact. The defaults were set on the development drops quake,
/// summit and strike and checked on rates and the seeds (see the README).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LinkConfig {
    /// Candidate partners per value, over the whole drop.
    pub neighbours: usize,
    /// Similarity (of frame and claim together) below which two values that agree are never
    /// linked.
    pub min_similarity: f32,
    /// Similarity needed to link two values that cannot both be true: higher than for
    /// agreeing values, because a false link between disagreeing values becomes a false
    /// discrepancy, the costliest error for a fact-checker.
    pub min_conflict_similarity: f32,
    /// Values further apart than this factor measure different things (a 40-minute call and
    /// a 40-month war; 11 teams and 2,000 rescuers).
    pub max_value_ratio: f64,
    /// NLI entailment (the better direction) that the frames of two values that cannot both
    /// be true need for their link to count.
    pub min_frame_entailment: f32,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            neighbours: 24,
            min_similarity: 0.80,
            min_conflict_similarity: 0.86,
            max_value_ratio: 10.0,
            min_frame_entailment: 0.5,
        }
    }
}

/// Two values stating the same fact, with their similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// First value (index into the drop's values), the smaller index.
    pub a: usize,
    /// Second value.
    pub b: usize,
    /// Their similarity.
    pub similarity: f32,
    /// Whether the two values can both be true. A link between values that cannot is a
    /// discrepancy in the making, so the pipeline has it confirmed (NLI on the two frames)
    /// before it counts.
    pub agreeing: bool,
}

/// The magnitude of a numeric value, for the ratio test.
fn magnitude(value: &Value) -> Option<f64> {
    match value {
        Value::Duration { seconds, .. } => Some(*seconds),
        Value::Quantity { value, .. } => Some(*value),
        _ => None,
    }
}

/// Whether two values give the same number, whatever their hedges ("at least 125" and "125").
fn same_number(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (
            Value::Quantity {
                value: p, unit: u, ..
            },
            Value::Quantity {
                value: q, unit: v, ..
            },
        ) => p == q && u == v,
        (Value::Duration { seconds: p, .. }, Value::Duration { seconds: q, .. }) => p == q,
        _ => false,
    }
}

/// Whether a quantity is written with a fractional part (a magnitude of 5.9, a rate of
/// 4.25): such a measure is never a count of things.
fn fractional(value: &Value) -> bool {
    matches!(value, Value::Quantity { value, .. } if value.fract() != 0.0)
}

/// Whether two claims name different events by their people: each names at least two of the
/// drop's participants and each names one the other does not (Trump and Putin against Trump
/// and Zelensky). One name alone leaves the other party open ("according to Zelensky").
fn different_people(x: &BTreeSet<usize>, y: &BTreeSet<usize>) -> bool {
    x.len() >= 2 && y.len() >= 2 && !x.is_subset(y) && !y.is_subset(x)
}

/// Whether two values of one class could measure the same thing: same class, different
/// articles, within `max_value_ratio` of each other, not a fractional measure against a
/// whole count (magnitude 5.9 against 11 dead), not told of different people, and of one
/// measure ([`crate::values::measures::comparable`]: not dead against injured, not 120
/// Spaniards against the 180 dead).
fn comparable(x: &ValueMention, y: &ValueMention, max_value_ratio: f64) -> bool {
    if x.class != y.class || x.article == y.article {
        return false;
    }
    if fractional(&x.mention.value) != fractional(&y.mention.value) {
        return false;
    }
    if different_people(&x.event.participants, &y.event.participants) {
        return false;
    }
    if other_counterparts(x, y) {
        return false;
    }
    if !crate::values::measures::comparable(
        &x.measure,
        &y.measure,
        &x.class,
        x.language == y.language,
    ) {
        return false;
    }
    match (magnitude(&x.mention.value), magnitude(&y.mention.value)) {
        (Some(p), Some(q)) => {
            let (small, large) = (p.abs().min(q.abs()), p.abs().max(q.abs()));
            small > 0.0 && large / small <= max_value_ratio
        }
        _ => true,
    }
}

/// The candidate links of a drop's values, in (a, b) order: each value's best comparable
/// value in each other article among its nearest of its class, when the choice is mutual and
/// the similarity reaches the threshold for agreeing or for conflicting values.
pub fn links(values: &[ValueMention], similarity: &Embeddings, config: &LinkConfig) -> Vec<Link> {
    let articles: Vec<usize> = values.iter().map(|v| v.article).collect();
    let classes: BTreeSet<&ValueClass> = values.iter().map(|v| &v.class).collect();
    // For every value, its best candidate in each other article.
    let mut best: Vec<BTreeMap<usize, (usize, f32)>> = vec![BTreeMap::new(); values.len()];
    for class in classes {
        let pool: Vec<usize> = (0..values.len())
            .filter(|&i| &values[i].class == class)
            .collect();
        let lists =
            crate::matching::neighbours::nearest(similarity, &pool, &articles, config.neighbours);
        for (&x, list) in pool.iter().zip(lists) {
            for n in list {
                if !comparable(&values[x], &values[n.row], config.max_value_ratio) {
                    continue;
                }
                // Of an article's values, one with the same number (and similar enough to
                // link) is a better partner than a more similar one without: "de 174 a 125"
                // links its 174 to another article's 174. Only the same number: a hedged
                // value that merely overlaps ("about 1,200") must not take the place of the
                // conflicting figure ("1.534" against "1,354").
                let agrees = |y: usize, s: f32| {
                    s >= config.min_similarity
                        && same_number(&values[x].mention.value, &values[y].mention.value)
                };
                let slot = best[x]
                    .entry(values[n.row].article)
                    .or_insert((n.row, n.similarity));
                if !agrees(slot.0, slot.1) && agrees(n.row, n.similarity) {
                    *slot = (n.row, n.similarity);
                }
            }
        }
    }
    let mut out: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for (x, per_article) in best.iter().enumerate() {
        for &(y, s) in per_article.values() {
            let mutual = best[y]
                .get(&values[x].article)
                .is_some_and(|&(back, _)| back == x);
            let agreeing = super::agreement::agree(&values[x], &values[y]) != Some(false);
            if only_agreeing(&values[x], &values[y]) && !agreeing {
                continue;
            }
            let needed = if agreeing {
                config.min_similarity
            } else {
                config.min_conflict_similarity
            };
            if mutual && s >= needed {
                out.insert((x.min(y), x.max(y)), agreeing);
            }
        }
    }
    out.into_iter()
        .map(|((a, b), agreeing)| Link {
            a,
            b,
            similarity: similarity.cosine(a, b),
            agreeing,
        })
        .collect()
}

/// Whether two values belong to events held with different people: "his call with
/// Zelenskiy" and "a call with Vladimir Putin" are two calls, while "a call with Trump" and
/// "Trump's call with Zelensky" (each counterpart a party of the other) are one.
fn other_counterparts(x: &ValueMention, y: &ValueMention) -> bool {
    match (x.event.counterpart, y.event.counterpart) {
        (Some(p), Some(q)) => {
            p != q && !y.event.parties.contains(&p) && !x.event.parties.contains(&q)
        }
        _ => false,
    }
}

/// Whether two values may share a fact only when they agree, never as the two sides of a
/// conflict: one of them is an age or the like (`agree_only` in concepts.json), a count of
/// unknown measure (it may be any count of its claim: a day of the month, a member of a list),
/// or the time of a reading (two readings of a process at two times can both be true).
fn only_agreeing(x: &ValueMention, y: &ValueMention) -> bool {
    use crate::values::measures::{agree_only, reading, vague};
    let either = |test: fn(&crate::domain::Measure) -> bool| test(&x.measure) || test(&y.measure);
    either(agree_only) || either(reading) || (x.class == ValueClass::Quantity && either(vague))
}

/// Whether two values must not share a fact: of one article and not both true, of measures
/// that cannot be compared, or not both true where one of them may only agree (a value of
/// unknown measure, an age). Links are checked one by one; this keeps a chain of them ("131"
/// agrees with "hundreds", which agrees with "323 injured") from doing what no single link
/// may.
fn clash(x: &ValueMention, y: &ValueMention) -> bool {
    use crate::values::measures::comparable;
    let disagree = super::agreement::agree(x, y) == Some(false);
    let counterparts = other_counterparts(x, y);
    (x.article == y.article && disagree)
        || counterparts
        || !comparable(&x.measure, &y.measure, &x.class, x.language == y.language)
        || (only_agreeing(x, y) && disagree)
}

/// Connected values, most similar links first; a link is refused when it would put two
/// values into one cluster that must not share a fact ([`clash`]). Every value is in exactly
/// one cluster (alone when unlinked); clusters and their members are in drop order.
pub fn clusters(values: &[ValueMention], links: &[Link]) -> Vec<Vec<usize>> {
    let mut root: Vec<usize> = (0..values.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..values.len()).map(|i| vec![i]).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    let mut order: Vec<&Link> = links.iter().collect();
    order.sort_by(|p, q| {
        q.similarity
            .total_cmp(&p.similarity)
            .then((p.a, p.b).cmp(&(q.a, q.b)))
    });
    for link in order {
        let (ra, rb) = (find(&mut root, link.a), find(&mut root, link.b));
        if ra == rb {
            continue;
        }
        let clash = members[ra]
            .iter()
            .any(|&x| members[rb].iter().any(|&y| clash(&values[x], &values[y])));
        if clash {
            continue;
        }
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        root[gone] = keep;
        let moved = std::mem::take(&mut members[gone]);
        members[keep].extend(moved);
    }
    let mut out: Vec<Vec<usize>> = members.into_iter().filter(|m| !m.is_empty()).collect();
    for m in &mut out {
        m.sort_unstable();
    }
    out.sort_by_key(|m| m[0]);
    out
}
