//! Large-neighbourhood search for the peak: free the items around an over-cap cell and
//! re-place them exactly with a MILP minimising the excess over the cap.

use crate::optimise::deadline::Deadline;
use crate::optimise::milp::{solve_stage, MilpEffort, StageGoal, StageLimits};
use crate::optimise::options::Backend;
use crate::optimise::state::State;

/// Largest number of items freed in one neighbourhood.
const MAX_FREE: usize = 80;
/// Days either side of the over-cap cell whose items are freed.
const MARGIN: usize = 6;
/// Branch-and-bound node budget of one neighbourhood MILP (deterministic; a MILP that
/// does not finish within it is discarded).
const MILP_NODES: u64 = 2_000;

/// Runs at most `max_neighbourhoods` neighbourhoods, one per over-cap cell in cell
/// order, keeping a re-placement only when the plan's key does not get worse.
/// Returns the number of neighbourhoods that reduced the excess.
pub(crate) fn reduce_excess(
    state: &mut State<'_>,
    max_neighbourhoods: usize,
    backend: Backend,
    deadline: &Deadline,
) -> usize {
    let instance = state.instance;
    let mut successes = 0;
    let mut tried = 0;
    for c in 0..instance.components.len() {
        let window = state.layout.window(c);
        for cell in state.layout.component_cells(c) {
            if state.excess == 0 || tried >= max_neighbourhoods || deadline.expired() {
                return successes;
            }
            if state.load[cell] <= state.cap {
                continue;
            }
            tried += 1;
            // Items on component c placed within the margin of the cell's days.
            let d = state.layout.end_day(c, cell);
            let from = (d + 1).saturating_sub(window + MARGIN);
            let to = (d + MARGIN).min(instance.n_days - 1);
            let mut free: Vec<usize> = Vec::new();
            for day in from..=to {
                for &j in state.occupants(c, day) {
                    if instance.items[j as usize].candidates.len() > 1 {
                        free.push(j as usize);
                    }
                }
            }
            free.sort_unstable();
            free.dedup();
            free.truncate(MAX_FREE);
            if free.is_empty() {
                continue;
            }
            let before_key = state.key();
            let before_excess = state.excess;
            let old: Vec<usize> = free.iter().map(|&i| state.choice[i] as usize).collect();
            for &i in &free {
                state.remove(i);
            }
            let outcome = solve_stage(
                state,
                &free,
                StageGoal::Excess(state.cap),
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
                    "  lns c{c} d{d} free {} -> {:?}",
                    free.len(),
                    outcome.as_ref().map(|o| o.optimal)
                );
            }
            let mut kept = false;
            // Only proven-optimal re-placements are used (within the node budget, so
            // the same on any machine).
            if let Ok(outcome) =
                outcome
                    .as_ref()
                    .map_err(|_| ())
                    .and_then(|o| if o.optimal { Ok(o) } else { Err(()) })
            {
                for (&i, &k) in free.iter().zip(&outcome.choice) {
                    state.add(i, k);
                }
                if state.key() <= before_key && state.keeps_links(&free) {
                    kept = true;
                } else {
                    for &i in &free {
                        state.remove(i);
                    }
                }
            }
            if !kept {
                for (&i, &k) in free.iter().zip(&old) {
                    state.add(i, k);
                }
            }
            if state.excess < before_excess {
                successes += 1;
            }
        }
    }
    successes
}
