//! Exhaustive enumeration for tiny instances: the reference the engine is tested against.

use crate::optimise::deadline::StopReason;
use crate::optimise::instance::Instance;
use crate::optimise::objective::{evaluate_with_units, key_of, Key};
use crate::optimise::options::ObjectiveKind;
use crate::optimise::solution::{Solution, Status};
use crate::optimise::stages::exact_stages;

/// Largest number of plans [`brute_force`] enumerates.
pub const BRUTE_FORCE_MAX_PLANS: u64 = 2_000_000;

/// The lexicographic optimum by enumerating every plan (ties: the lexicographically
/// smallest vector of days). `None` when there are more than [`BRUTE_FORCE_MAX_PLANS`]
/// plans, an item has no candidate, or no plan respects `max_moves` and the links.
pub fn brute_force(
    instance: &Instance,
    kind: ObjectiveKind,
    max_moves: Option<u32>,
) -> Option<Solution> {
    let mut plans: u64 = 1;
    for item in &instance.items {
        if item.candidates.is_empty() {
            return None;
        }
        plans = plans.saturating_mul(item.candidates.len() as u64);
        if plans > BRUTE_FORCE_MAX_PLANS {
            return None;
        }
    }
    let n = instance.items.len();
    let mut index = vec![0usize; n];
    let mut best: Option<(Key, Vec<u32>)> = None;
    loop {
        let days: Vec<u32> = instance
            .items
            .iter()
            .zip(&index)
            .map(|(item, &k)| item.candidates[k].day)
            .collect();
        let (objective, units) = evaluate_with_units(instance, &days, None);
        let within_budget = max_moves.is_none_or(|m| objective.moves <= u64::from(m));
        let keeps_links = instance.links.iter().all(|l| {
            let (a, b) = (days[l.before as usize], days[l.after as usize]);
            instance.day_number(b) - instance.day_number(a) >= l.min_days
        });
        if within_budget && keeps_links {
            let key = key_of(&objective, units, kind);
            if best.as_ref().is_none_or(|(b, _)| key < *b) {
                best = Some((key, days));
            }
        }
        // Odometer, last item fastest: plans come in lexicographic order of days.
        let mut position = n;
        loop {
            if position == 0 {
                let (_, days) = best?;
                let (objective, _) = evaluate_with_units(instance, &days, None);
                return Some(Solution {
                    stages: exact_stages(&objective, kind),
                    days,
                    objective,
                    status: Status::Optimal,
                    stopped_by: StopReason::Proven,
                });
            }
            position -= 1;
            index[position] += 1;
            if index[position] < instance.items[position].candidates.len() {
                break;
            }
            index[position] = 0;
        }
    }
}
