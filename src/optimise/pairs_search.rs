//! Clash-pair search: simulated annealing on the clash pairs under a hard peak cap.
//!
//! Once the peak is settled, the clash pairs are the next term of the default objective.
//! The greedy descent and ejection chains of `local_search.rs` stop at the first local
//! optimum; this search walks through worse plans (Metropolis acceptance with a geometric
//! cooling schedule) to reach much better ones. Two moves: re-place one item on another
//! candidate, and swap two items (an item goes to a day where another item of one of its
//! components sits, and that item takes the first one's old day when it may). The cap
//! (and the move budget) are hard: a move that breaks either is undone. The best plan
//! seen (by pairs, then moves, then shift) is restored at the end, so the result is never
//! worse than the starting plan. Deterministic: a fixed-seed ChaCha generator and an
//! effort counted in trial moves, not wall-clock (`stop` is only a safety stop).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::instance::Instance;
use super::state::{State, UNASSIGNED};

/// Seed of the search's random generator (fixed: same input, same plan).
const SEED: u64 = 0x057a_66e4;
/// Temperature (in clash pairs) at the start and at the end of a run.
const START_TEMPERATURE: f64 = 0.8;
const END_TEMPERATURE: f64 = 0.03;
/// Weight of a move and of one unit of shift in the annealing energy (clash pairs
/// weigh 1): small, so the walk prefers plans with fewer moves among equal pairs.
const MOVE_WEIGHT: f64 = 0.01;
const SHIFT_WEIGHT: f64 = 0.0001;
/// Share of trials (in percent) that are swaps rather than single re-placements.
const SWAP_PERCENT: u32 = 40;

/// Effort of one annealing run: trial moves per movable item, and at most this many.
const TRIALS_PER_ITEM: u64 = 2_000;
const MAX_TRIALS: u64 = 12_000_000;

/// The trial budget of the clash-pair search for `items` of `instance`.
pub(crate) fn pairs_trials(instance: &Instance, items: &[usize]) -> u64 {
    let movable = items
        .iter()
        .filter(|&&i| instance.items[i].candidates.len() > 1)
        .count() as u64;
    (TRIALS_PER_ITEM * movable).min(MAX_TRIALS)
}

/// The terms annealing compares, in lexicographic order.
fn terms(state: &State<'_>) -> [u64; 3] {
    [state.pairs, state.moves, state.shift]
}

fn energy_delta(before: [u64; 3], after: [u64; 3]) -> f64 {
    (after[0] as f64 - before[0] as f64)
        + MOVE_WEIGHT * (after[1] as f64 - before[1] as f64)
        + SHIFT_WEIGHT * (after[2] as f64 - before[2] as f64)
}

/// Whether the plan respects the cap and the move budget.
fn feasible(state: &State<'_>) -> bool {
    state.excess == 0 && state.budget_excess() == 0
}

/// Moves item `i` to candidate `k` (it must be assigned).
fn place(state: &mut State<'_>, i: usize, k: usize) {
    state.remove(i);
    state.add(i, k);
}

/// Proposes a swap partner for item `i` going to candidate `k`: an item on that day in
/// one of `i`'s components that may take `i`'s current day; `(j, candidate of j)`.
fn swap_partner(
    state: &State<'_>,
    rng: &mut ChaCha8Rng,
    i: usize,
    k: usize,
) -> Option<(usize, usize)> {
    let instance = state.instance;
    let item = &instance.items[i];
    let old_day = item.candidates[state.choice[i] as usize].day;
    let new_day = item.candidates[k].day as usize;
    let c = item.components[rng.random_range(0..item.components.len())] as usize;
    let occupants = state.occupants(c, new_day);
    if occupants.is_empty() {
        return None;
    }
    let j = occupants[rng.random_range(0..occupants.len())] as usize;
    if j == i {
        return None;
    }
    let kj = instance.items[j]
        .candidates
        .binary_search_by_key(&old_day, |c| c.day)
        .ok()?;
    Some((j, kj))
}

/// Anneals the clash pairs of `items` (all assigned) under the state's cap, spending at
/// most `max_trials` trial moves. Returns whether the plan improved (by pairs, moves,
/// shift). The state's cap must already be met (`excess == 0`); otherwise nothing is done.
pub(crate) fn anneal_pairs(
    state: &mut State<'_>,
    items: &[usize],
    max_trials: u64,
    stop: &dyn Fn() -> bool,
) -> bool {
    let movable: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| state.choice[i] != UNASSIGNED && state.instance.items[i].candidates.len() > 1)
        .collect();
    if movable.is_empty() || !feasible(state) || max_trials == 0 || state.pairs == 0 {
        return false;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let start = terms(state);
    let mut best = start;
    let mut best_choice: Vec<u32> = movable.iter().map(|&i| state.choice[i]).collect();
    let cooling = (END_TEMPERATURE / START_TEMPERATURE).powf(1.0 / max_trials as f64);
    let mut temperature = START_TEMPERATURE;
    for trial in 0..max_trials {
        if trial % 65_536 == 0 && stop() {
            break;
        }
        temperature *= cooling;
        let i = movable[rng.random_range(0..movable.len())];
        let n_candidates = state.instance.items[i].candidates.len();
        let current = state.choice[i] as usize;
        let mut k = rng.random_range(0..n_candidates - 1);
        if k >= current {
            k += 1;
        }
        let before = terms(state);
        let partner = if rng.random_range(0..100) < SWAP_PERCENT {
            swap_partner(state, &mut rng, i, k)
        } else {
            None
        };
        let j_old = partner.map(|(j, _)| state.choice[j] as usize);
        place(state, i, k);
        if let Some((j, kj)) = partner {
            place(state, j, kj);
        }
        let after = terms(state);
        let accept = feasible(state) && {
            let delta = energy_delta(before, after);
            delta <= 0.0 || rng.random::<f64>() < (-delta / temperature).exp()
        };
        if !accept {
            if let (Some((j, _)), Some(kj)) = (partner, j_old) {
                place(state, j, kj);
            }
            place(state, i, current);
            continue;
        }
        if after < best {
            best = after;
            for (slot, &m) in best_choice.iter_mut().zip(&movable) {
                *slot = state.choice[m];
            }
        }
    }
    for (&m, &k) in movable.iter().zip(&best_choice) {
        if state.choice[m] != k {
            place(state, m, k as usize);
        }
    }
    best < start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};
    use crate::optimise::layout::Layout;
    use crate::optimise::objective::evaluate;
    use crate::optimise::options::ObjectiveKind;

    /// Items on one window-1 component, each allowed on a few consecutive days.
    fn crowded_instance() -> Instance {
        Instance {
            n_days: 6,
            components: vec![Component {
                window: 1,
                risk: 0.0,
            }],
            items: (0..12u32)
                .map(|i| Item {
                    weight: 1000,
                    components: vec![0],
                    candidates: (i % 3..(i % 3 + 4).min(6))
                        .map(|d| Candidate { day: d, shift: d })
                        .collect(),
                    proposed: Some(i % 3),
                })
                .collect(),
        }
    }

    #[test]
    fn annealing_reaches_the_balanced_plan_and_keeps_the_cap() {
        let instance = crowded_instance();
        let layout = Layout::new(&instance);
        let mut state = State::new(&instance, &layout, 3000, None, ObjectiveKind::Default);
        // Start: everything on its first candidate (days 0, 1, 2: four items each),
        // cap 4000 so the start is feasible; the balanced plan has 2 per day: 6 pairs.
        state.set_cap(4000);
        for i in 0..instance.items.len() {
            state.add(i, 0);
        }
        let start_pairs = state.pairs;
        let items: Vec<usize> = (0..instance.items.len()).collect();
        let improved = anneal_pairs(&mut state, &items, 50_000, &|| false);
        assert!(improved);
        let objective = evaluate(&instance, &state.days());
        assert_eq!(objective.clash_pairs, state.pairs);
        assert!(objective.peak <= 4000);
        assert!(state.pairs < start_pairs);
        assert_eq!(state.pairs, 6);
    }

    #[test]
    fn annealing_is_deterministic_and_never_worse() {
        let instance = crowded_instance();
        let layout = Layout::new(&instance);
        let run = || {
            let mut state = State::new(&instance, &layout, 2000, None, ObjectiveKind::Default);
            for i in 0..instance.items.len() {
                // Days 3, 4, 5 where possible: a balanced start.
                let n = instance.items[i].candidates.len();
                state.add(i, (i / 3) % n);
            }
            let before = [state.pairs, state.moves, state.shift];
            if state.excess > 0 {
                return (before, before, state.days());
            }
            let items: Vec<usize> = (0..instance.items.len()).collect();
            anneal_pairs(&mut state, &items, 20_000, &|| false);
            (
                [state.pairs, state.moves, state.shift],
                before,
                state.days(),
            )
        };
        let (after, before, days) = run();
        assert!(after <= before);
        assert_eq!(run().2, days);
    }
}
