//! Which pairs go into conflicts.csv, and in what order: contradictions before one-sided
//! details; same event before unsure before different events; then by confidence.

use crate::domain::{JudgedPair, Label};

/// Importance order of two conflicts.
fn conflict_order(x: &JudgedPair, y: &JudgedPair) -> std::cmp::Ordering {
    let event = |p: &JudgedPair| p.verdict.event.as_ref().map(|m| m.decision);
    x.verdict
        .label
        .cmp(&y.verdict.label)
        .then(event(x).cmp(&event(y)))
        .then(y.verdict.confidence.total_cmp(&x.verdict.confidence))
}

/// The indices of the conflicting pairs (contradictions and one-sided details) in importance
/// order; ties keep pair order.
pub fn conflict_ranks(pairs: &[JudgedPair]) -> Vec<usize> {
    let mut conflicts: Vec<usize> = (0..pairs.len())
        .filter(|&n| {
            matches!(
                pairs[n].verdict.label,
                Label::Contradict | Label::OneSidedDetail
            )
        })
        .collect();
    conflicts.sort_by(|&n, &m| conflict_order(&pairs[n], &pairs[m]).then(n.cmp(&m)));
    conflicts
}
