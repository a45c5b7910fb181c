//! The objective values of a plan and their straightforward recomputation.

use crate::optimise::instance::Instance;
use crate::optimise::options::ObjectiveKind;

/// Objective values of a plan (see `docs/engine.md` for the exact definitions).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Objective {
    /// Highest weighted exposure of any component over any of its windows (thousandths).
    pub peak: u64,
    /// Sum over components and windows of `n (n - 1) / 2`, `n` the number of releases
    /// (a merged component's cells counting its multiplicity times).
    pub clash_pairs: u64,
    /// Number of releases not on their proposed day.
    pub moves: u64,
    /// Sum of the chosen candidates' shifts.
    pub total_shift: u64,
    /// Sum of `component.risk` over component windows holding at least two items.
    pub risk: f64,
}

/// Scale of the integer risk units used for all risk comparisons (1e-12).
pub(crate) const RISK_SCALE: f64 = 1e12;

/// A component's risk in integer units (negative, NaN or infinite risks count as 0).
pub(crate) fn risk_units(risk: f64) -> u64 {
    if risk.is_finite() && risk > 0.0 {
        let scaled = (risk * RISK_SCALE).round();
        if scaled >= u64::MAX as f64 / 1e6 {
            // Keep sums far from overflow; such risks are meaningless anyway.
            (u64::MAX as f64 / 1e6) as u64
        } else {
            scaled as u64
        }
    } else {
        0
    }
}

/// A lexicographic comparison key: `[budget excess, risk units, peak term, pairs, moves, shift]`.
pub(crate) type Key = [u64; 6];

/// Recomputes the objective of `days` (one axis day per item) from scratch.
///
/// Days outside the axis or components out of range are ignored; a day that is not
/// among the item's candidates counts as a move with shift 0 (the independent checker
/// rejects such plans).
pub fn evaluate(instance: &Instance, days: &[u32]) -> Objective {
    let (objective, _) = evaluate_with_units(instance, days, None);
    objective
}

/// [`evaluate`] restricted to the items with `mask[i]` (all when `None`), also
/// returning the integer risk units.
pub(crate) fn evaluate_with_units(
    instance: &Instance,
    days: &[u32],
    mask: Option<&[bool]>,
) -> (Objective, u64) {
    let n_days = instance.n_days;
    let mut objective = Objective::default();
    let mut risk_total_units = 0u64;
    // One entry (component, window-end day, weight, releases) per item and cell it
    // touches; sorted, equal cells are adjacent. Memory follows the items, not the axis.
    let mut touches: Vec<(usize, usize, u64, u64)> = Vec::new();
    for (i, item) in instance.items.iter().enumerate() {
        if let Some(mask) = mask {
            if !mask.get(i).copied().unwrap_or(false) {
                continue;
            }
        }
        let Some(&day) = days.get(i) else { continue };
        match item.candidates.iter().position(|c| c.day == day) {
            Some(k) => {
                objective.moves += u64::from(item.moves_at(k));
                objective.total_shift += u64::from(item.candidates[k].shift);
            }
            None => objective.moves += u64::from(item.releases()),
        }
        if day as usize >= n_days {
            continue;
        }
        for (c, count, weight) in item.loads() {
            let Some(component) = instance.components.get(c) else {
                continue;
            };
            let window = component.window.max(1) as usize;
            for d in day as usize..day as usize + window {
                touches.push((c, d, weight, u64::from(count)));
            }
        }
    }
    touches.sort_unstable();
    let mut start = 0;
    while start < touches.len() {
        let (c, d, _, _) = touches[start];
        let mut end = start;
        let mut load = 0u64;
        let mut n = 0u64;
        while end < touches.len() && touches[end].0 == c && touches[end].1 == d {
            load = load.saturating_add(touches[end].2);
            n += touches[end].3;
            end += 1;
        }
        objective.peak = objective.peak.max(load);
        let component = &instance.components[c];
        objective.clash_pairs += n * n.saturating_sub(1) / 2 * component.factor();
        if n >= 2 {
            objective.risk += component.risk * component.factor() as f64;
            risk_total_units += risk_units(component.risk) * component.factor();
        }
        start = end;
    }
    (objective, risk_total_units)
}

/// The lexicographic key of an objective (no budget excess).
pub(crate) fn key_of(objective: &Objective, risk_units_total: u64, kind: ObjectiveKind) -> Key {
    let risk = match kind {
        ObjectiveKind::Default => 0,
        ObjectiveKind::Risk => risk_units_total,
    };
    [
        0,
        risk,
        objective.peak,
        objective.clash_pairs,
        objective.moves,
        objective.total_shift,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};

    fn item(weight: u64, components: Vec<u32>, days: &[u32], proposed: Option<u32>) -> Item {
        Item {
            weight,
            components,
            candidates: days
                .iter()
                .map(|&day| Candidate {
                    day,
                    shift: proposed.map_or(1, |p| p.abs_diff(day)),
                })
                .collect(),
            proposed,
            block: None,
        }
    }

    #[test]
    fn evaluates_windows_pairs_moves_and_shift() {
        let instance = Instance {
            n_days: 5,
            components: vec![
                Component {
                    window: 1,
                    risk: 0.5,
                    multiplicity: 1,
                },
                Component {
                    window: 2,
                    risk: 0.25,
                    multiplicity: 1,
                },
            ],
            items: vec![
                item(1000, vec![0, 1], &[0, 1, 2], Some(0)),
                item(2000, vec![0], &[0, 1], Some(1)),
                item(3000, vec![1], &[1, 3], None),
            ],
            ..Default::default()
        };
        // item0 day 0, item1 day 0 (moved, shift 1), item2 day 1 (moved, shift 1).
        let objective = evaluate(&instance, &[0, 0, 1]);
        // component 0: day 0 load 3000 (2 items -> 1 pair).
        // component 1 (window 2): item0 on 0 -> cells 0,1 ; item2 on 1 -> cells 1,2.
        // cell 1 load 4000 with 2 items -> 1 pair.
        assert_eq!(objective.peak, 4000);
        assert_eq!(objective.clash_pairs, 2);
        assert_eq!(objective.moves, 2);
        assert_eq!(objective.total_shift, 2);
        assert!((objective.risk - 0.75).abs() < 1e-12);
    }

    #[test]
    fn empty_instance_is_zero() {
        let instance = Instance {
            n_days: 3,
            components: vec![],
            items: vec![],
            ..Default::default()
        };
        assert_eq!(evaluate(&instance, &[]), Objective::default());
    }
}
