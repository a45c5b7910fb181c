//! Proof step for the peak: exact MILPs on relaxations around the binding cells.
//!
//! Keeping only one component and only the items of that component whose candidates
//! all lie in a day interval `[a, b]` is a relaxation (items and cells are dropped, no
//! constraint is added), so the relaxation's optimal peak, when the MILP proves it, is a
//! valid lower bound on the peak of the whole instance. Unlike the block-interval bound,
//! it accounts for overlapping windows and for integrality of the weights.

use std::time::Instant;

use crate::optimise::deadline::Deadline;
use crate::optimise::instance::{Component, Instance, Item};
use crate::optimise::layout::Layout;
use crate::optimise::milp::{solve_stage, MilpEffort, StageGoal, StageLimits};
use crate::optimise::objective::evaluate;
use crate::optimise::options::{Backend, ObjectiveKind};
use crate::optimise::state::State;

/// Interval half-widths tried around a binding cell.
const HALF_WIDTHS: [usize; 3] = [4, 8, 12];
/// Largest relaxation handed to the MILP.
const MAX_ITEMS: usize = 70;
/// At most this many binding cells are examined.
const MAX_CELLS: usize = 4;
/// Branch-and-bound node budget of one relaxation MILP (deterministic; a relaxation not
/// proven within it proves nothing).
const MILP_NODES: u64 = 1_000;

/// Tries to raise `bound` towards `target` (the peak reached); returns the best bound
/// proven (at least `bound`). `binding` lists (component, window-end day) cells at the peak.
pub(crate) fn strengthen_peak_bound(
    instance: &Instance,
    items: &[usize],
    binding: &[(usize, usize)],
    bound: u64,
    target: u64,
    backend: Backend,
    deadline: &Deadline,
) -> u64 {
    let mut best = bound;
    for &(c, d) in binding.iter().take(MAX_CELLS) {
        if best >= target || deadline.expired() {
            break;
        }
        let window = instance.components[c].window.max(1) as usize;
        for half in HALF_WIDTHS {
            if best >= target || deadline.expired() {
                break;
            }
            // Days of the cell's window, widened by `half` either side.
            let a = (d + 1).saturating_sub(window + half);
            let b = (d + half).min(instance.n_days.saturating_sub(1));
            let subset: Vec<Item> = items
                .iter()
                .map(|&i| &instance.items[i])
                .filter(|item| {
                    item.components.binary_search(&(c as u32)).is_ok()
                        && item.candidates.first().is_some_and(|f| f.day as usize >= a)
                        && item.candidates.last().is_some_and(|l| l.day as usize <= b)
                })
                .map(|item| Item {
                    weight: item
                        .components
                        .binary_search(&(c as u32))
                        .map_or(0, |j| item.weight_on(j)),
                    components: vec![0],
                    candidates: item.candidates.clone(),
                    proposed: item.proposed,
                    block: None,
                })
                .collect();
            if subset.is_empty() || subset.len() > MAX_ITEMS {
                continue;
            }
            let relaxed = Instance {
                n_days: instance.n_days,
                components: vec![Component {
                    window: window as u32,
                    risk: 0.0,
                    multiplicity: 1,
                }],
                items: subset,
                ..Default::default()
            };
            let layout = Layout::new(&relaxed);
            let state = State::new(&relaxed, &layout, 0, None, ObjectiveKind::Default);
            let free: Vec<usize> = (0..relaxed.items.len()).collect();
            let t0 = Instant::now();
            let result = solve_stage(
                &state,
                &free,
                StageGoal::Peak,
                StageLimits::default(),
                None,
                backend,
                MilpEffort {
                    nodes: MILP_NODES,
                    deadline,
                },
            );
            if std::env::var_os("STAGGER_ENGINE_TRACE").is_some() {
                eprintln!(
                    "  relax c{c} d{d} half {half} n {} ok {} {:?}",
                    relaxed.items.len(),
                    result.is_ok(),
                    t0.elapsed()
                );
            }
            let Ok(outcome) = result else {
                continue;
            };
            if outcome.optimal {
                let days: Vec<u32> = free
                    .iter()
                    .zip(&outcome.choice)
                    .map(|(&i, &k)| relaxed.items[i].candidates[k].day)
                    .collect();
                best = best.max(evaluate(&relaxed, &days).peak);
            }
        }
    }
    best
}
