//! Clash-pair search: simulated annealing on the clash pairs under a hard peak cap.
//!
//! Once the peak is settled, the clash pairs are the next term of the default objective.
//! The greedy descent and ejection chains of `local_search.rs` stop at the first local
//! optimum; this search walks through worse plans (Metropolis acceptance with a geometric
//! cooling schedule) to reach much better ones. Trials: re-place one item on another
//! candidate; or send it to a day where another item of one of its components sits, which
//! takes the first one's old day (a swap) or steps aside to another candidate (an
//! ejection, sometimes displacing a third item in turn). Trials are evaluated exactly
//! without changing the plan and applied only when accepted. The cap (and the move
//! budget) are hard: a trial that breaks either is rejected. The best plan
//! seen (by pairs, then moves, then shift) is restored at the end, so the result is never
//! worse than the starting plan. Deterministic: a fixed-seed ChaCha generator and an
//! effort counted in trial moves, not wall-clock (the deadline is only a safety stop).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::optimise::deadline::Deadline;
use crate::optimise::instance::Instance;
use crate::optimise::state::{State, UNASSIGNED};

/// Seed of the search's random generator (fixed: same input, same plan).
const SEED: u64 = 0x057a_66e4;
/// Temperature (in clash pairs) at the start and at the end of a run.
const START_TEMPERATURE: f64 = 0.8;
const END_TEMPERATURE: f64 = 0.03;
/// Weight of a move and of one unit of shift in the annealing energy (clash pairs
/// weigh 1): small, so the walk prefers plans with fewer moves among equal pairs.
const MOVE_WEIGHT: f64 = 0.01;
const SHIFT_WEIGHT: f64 = 0.0001;
/// Share of trials (in percent) that move two items rather than one: the item goes to
/// a day where another item of one of its components sits, and that item steps aside.
/// Most single moves break the tight peak cap on their own, so pairs of moves dominate.
const SWAP_PERCENT: u32 = 75;
/// Share of those (in percent) where the other item takes the first one's old day when
/// it may (a swap); otherwise it goes to a random other candidate (an ejection chain).
const DIRECT_PERCENT: u32 = 70;
/// Share of ejections (in percent) that go on one step: an item where the ejected item
/// lands makes room in turn (taking the first item's old day when it may).
const CHAIN_PERCENT: u32 = 30;

/// Effort of one annealing run: trial moves per movable item, and at most this many
/// (about 1.7 s on the 5,000-release benchmark calendar).
const TRIALS_PER_ITEM: u64 = 8_000;
const MAX_TRIALS: u64 = 3_500_000;
/// Groups of movable items up to this size get several runs (different seeds, each
/// from the best plan so far): cheap there, and it evens out the luck of one run.
const SMALL_ITEMS: usize = 1_000;
const RUNS_WHEN_SMALL: u64 = 3;

/// The trial budget of the clash-pair search for `items` of `instance`.
pub(crate) fn pairs_trials(instance: &Instance, items: &[usize]) -> u64 {
    let movable = items
        .iter()
        .filter(|&&i| instance.items[i].candidates.len() > 1)
        .count() as u64;
    (TRIALS_PER_ITEM * movable).min(MAX_TRIALS)
}

/// The clash-pair stage on `items` (all assigned, cap met): simulated annealing with
/// an effort of [`TRIALS_PER_ITEM`] trials per movable item (at most [`MAX_TRIALS`]).
/// Returns whether the plan improved (by pairs, moves, shift); never makes it worse.
pub(crate) fn improve_pairs(
    state: &mut State<'_>,
    items: &[usize],
    budget: Option<u32>,
    pairs_floor: Option<u64>,
    deadline: &Deadline,
) -> bool {
    let trials = pairs_trials(state.instance, items);
    let movable = items
        .iter()
        .filter(|&&i| state.choice[i] != UNASSIGNED && state.instance.items[i].candidates.len() > 1)
        .count();
    let runs = if movable <= SMALL_ITEMS {
        RUNS_WHEN_SMALL
    } else {
        1
    };
    anneal_pairs(
        state,
        items,
        trials,
        runs,
        SEED,
        budget,
        pairs_floor,
        deadline,
    )
}

/// One more annealing run of the clash-pair stage from the current plan, on its own
/// random stream (`stream` > 0; stream 0 is the stage's first run), with the stage's
/// effort per run: the work of one anytime round (`rounds.rs`). Returns the trials it
/// may spend (its deterministic work) and whether the plan improved.
pub(crate) fn anneal_once(
    state: &mut State<'_>,
    items: &[usize],
    stream: u64,
    budget: Option<u32>,
    deadline: &Deadline,
) -> (u64, bool) {
    let trials = pairs_trials(state.instance, items);
    let seed = SEED ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (
        trials,
        anneal_pairs(state, items, trials, 1, seed, budget, None, deadline),
    )
}

/// The terms annealing compares, in lexicographic order.
fn terms(state: &State<'_>) -> [u64; 3] {
    [state.pairs, state.moves, state.shift]
}

/// Scratch space of [`changes_delta`]: per-cell count and load changes, and the cells
/// touched (all zero again between calls).
struct Scratch {
    count: Vec<i64>,
    load: Vec<i64>,
    touched: Vec<usize>,
}

impl Scratch {
    fn new(n_cells: usize) -> Self {
        Scratch {
            count: vec![0; n_cells],
            load: vec![0; n_cells],
            touched: Vec::new(),
        }
    }

    fn note(&mut self, cell: usize, count: i64, load: i64) {
        if self.count[cell] == 0 && self.load[cell] == 0 {
            self.touched.push(cell);
        }
        self.count[cell] += count;
        self.load[cell] += load;
    }
}

/// Change of (pairs, moves, shift) when the assigned items of `changes` move to the
/// given candidates (distinct items), or `None` when that would break the cap or the
/// move budget. The state is not changed.
fn changes_delta(
    state: &State<'_>,
    changes: &[(usize, usize)],
    budget: Option<u32>,
    scratch: &mut Scratch,
) -> Option<[i64; 3]> {
    let mut moves = 0i64;
    let mut shift = 0i64;
    for &(i, k) in changes {
        let item = &state.instance.items[i];
        let current = state.choice[i] as usize;
        moves += i64::from(item.moves_at(k)) - i64::from(item.moves_at(current));
        shift += i64::from(item.candidates[k].shift) - i64::from(item.candidates[current].shift);
    }
    if moves > 0 && budget.is_some_and(|b| state.moves as i64 + moves > i64::from(b)) {
        return None;
    }
    if !keeps_links(state, changes) {
        return None;
    }
    for &(i, k) in changes {
        let item = &state.instance.items[i];
        let current = state.choice[i] as usize;
        for (c, count, weight) in item.loads() {
            let (count, weight) = (i64::from(count), weight as i64);
            for cell in state.layout.cells(c, item.candidates[current].day) {
                scratch.note(cell, -count, -weight);
            }
            for cell in state.layout.cells(c, item.candidates[k].day) {
                scratch.note(cell, count, weight);
            }
        }
    }
    let mut pairs = 0i64;
    let mut feasible = true;
    for &cell in &scratch.touched {
        let (count, load) = (scratch.count[cell], scratch.load[cell]);
        scratch.count[cell] = 0;
        scratch.load[cell] = 0;
        if load > 0 && state.load[cell] as i64 + load > state.cap as i64 {
            feasible = false;
        }
        let n = i64::from(state.count[cell]);
        let m = n + count;
        pairs += (m * (m - 1) / 2 - n * (n - 1) / 2) * state.layout.factor(cell) as i64;
    }
    scratch.touched.clear();
    feasible.then_some([pairs, moves, shift])
}

/// Whether moving the items of `changes` keeps every link (items not in `changes`
/// stay where they are).
fn keeps_links(state: &State<'_>, changes: &[(usize, usize)]) -> bool {
    let links = &state.layout.links;
    if links.is_empty() {
        return true;
    }
    let instance = state.instance;
    let day_after = |j: usize| match changes.iter().find(|&&(m, _)| m == j) {
        Some(&(m, km)) => Some(instance.items[m].candidates[km].day),
        None => state.day_of(j),
    };
    changes
        .iter()
        .all(|&(i, k)| links.allows(instance, i, instance.items[i].candidates[k].day, day_after))
}

fn energy(delta: [i64; 3]) -> f64 {
    delta[0] as f64 + MOVE_WEIGHT * delta[1] as f64 + SHIFT_WEIGHT * delta[2] as f64
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

/// Proposes an item to make room for item `i` arriving on candidate `k`: an item on
/// that day in one of `i`'s components (not in `exclude`), which takes `free_day` (the
/// day the chain vacated) when it may, else a random other candidate of its own;
/// `(item, candidate)`.
fn displaced(
    state: &State<'_>,
    rng: &mut ChaCha8Rng,
    i: usize,
    k: usize,
    free_day: u32,
    exclude: &[usize],
) -> Option<(usize, usize)> {
    let instance = state.instance;
    let item = &instance.items[i];
    let new_day = item.candidates[k].day as usize;
    if item.components.is_empty() {
        // No failure point: the item clashes with nothing, so nothing needs displacing.
        return None;
    }
    let c = item.components[rng.random_range(0..item.components.len())] as usize;
    let occupants = state.occupants(c, new_day);
    if occupants.is_empty() {
        return None;
    }
    let j = occupants[rng.random_range(0..occupants.len())] as usize;
    if j == i || exclude.contains(&j) {
        return None;
    }
    let candidates = &instance.items[j].candidates;
    let j_current = state.choice[j] as usize;
    match candidates.binary_search_by_key(&free_day, |c| c.day) {
        Ok(kj) if kj != j_current && rng.random_range(0..100) < DIRECT_PERCENT => Some((j, kj)),
        _ if candidates.len() > 1 => {
            // An ejection chain: j steps aside to another of its candidates.
            let mut kj = rng.random_range(0..candidates.len() - 1);
            if kj >= j_current {
                kj += 1;
            }
            Some((j, kj))
        }
        _ => None,
    }
}

/// Metropolis acceptance of an energy change at `temperature`.
fn accept(rng: &mut ChaCha8Rng, delta: f64, temperature: f64) -> bool {
    delta <= 0.0 || rng.random::<f64>() < (-delta / temperature).exp()
}

/// Anneals the clash pairs of `items` (all assigned) under the state's cap, spending at
/// most `max_trials` trial moves. Returns whether the plan improved (by pairs, moves,
/// shift). The state's cap must already be met (`excess == 0`); otherwise nothing is done.
/// Once the best plan's clash pairs meet `pairs_floor` (a lower bound), no further run starts.
#[allow(clippy::too_many_arguments)]
fn anneal_pairs(
    state: &mut State<'_>,
    items: &[usize],
    max_trials: u64,
    runs: u64,
    seed: u64,
    budget: Option<u32>,
    pairs_floor: Option<u64>,
    deadline: &Deadline,
) -> bool {
    let movable: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| state.choice[i] != UNASSIGNED && state.instance.items[i].candidates.len() > 1)
        .collect();
    if movable.is_empty() || !feasible(state) || max_trials == 0 || state.pairs == 0 {
        return false;
    }
    let start = terms(state);
    let clock = std::time::Instant::now();
    let mut scratch = Scratch::new(state.load.len());
    let mut best = start;
    // The best plan, kept up to date lazily: only the items changed since it was last
    // reached (`dirty`) are copied when a better plan is found.
    let mut best_choice: Vec<u32> = state.choice.clone();
    let mut is_dirty = vec![false; state.choice.len()];
    let mut dirty: Vec<usize> = Vec::new();
    let cooling = (END_TEMPERATURE / START_TEMPERATURE).powf(1.0 / max_trials as f64);
    for run in 0..runs {
        if run > 0 && pairs_floor.is_some_and(|floor| best[0] <= floor) {
            // The clash pairs are at their bound: the later stages (exact
            // neighbourhoods, the moves relaxation and its rounding) finish the moves.
            break;
        }
        if run > 0 {
            // Each further run starts again, hot, from the best plan so far.
            restore_best(state, &mut dirty, &mut is_dirty, &best_choice);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(run));
        let mut temperature = START_TEMPERATURE;
        for trial in 0..max_trials {
            // Rejected trials change nothing in the state, so count trials here.
            if trial % 1_024 == 0 && deadline.expired() {
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
            let old_day = state.instance.items[i].candidates[current].day;
            let mut changes = [(i, k); 3];
            let mut n_changes = 1;
            if rng.random_range(0..100) < SWAP_PERCENT {
                if let Some((j, kj)) = displaced(state, &mut rng, i, k, old_day, &[]) {
                    changes[1] = (j, kj);
                    n_changes = 2;
                    let j_day = state.instance.items[j].candidates[kj].day;
                    if j_day != old_day && rng.random_range(0..100) < CHAIN_PERCENT {
                        if let Some(third) = displaced(state, &mut rng, j, kj, old_day, &[i]) {
                            changes[2] = third;
                            n_changes = 3;
                        }
                    }
                }
            }
            let changes = &changes[..n_changes];
            let Some(delta) = changes_delta(state, changes, budget, &mut scratch) else {
                continue;
            };
            if !accept(&mut rng, energy(delta), temperature) {
                continue;
            }
            for &(m, km) in changes {
                place(state, m, km);
                if !is_dirty[m] {
                    is_dirty[m] = true;
                    dirty.push(m);
                }
            }
            let now = terms(state);
            if now < best {
                best = now;
                for m in dirty.drain(..) {
                    best_choice[m] = state.choice[m];
                    is_dirty[m] = false;
                }
            }
        }
        if std::env::var_os("STAGGER_ENGINE_TRACE").is_some() {
            eprintln!(
                "anneal: {} movable, best {:?}, ops {} in {:?}",
                movable.len(),
                best,
                state.operations,
                clock.elapsed()
            );
        }
    }
    restore_best(state, &mut dirty, &mut is_dirty, &best_choice);
    best < start
}

/// Puts the items changed since the best plan (`dirty`) back on their candidates in
/// `best` (indexed by item), and clears the record.
fn restore_best(
    state: &mut State<'_>,
    dirty: &mut Vec<usize>,
    is_dirty: &mut [bool],
    best: &[u32],
) {
    for m in dirty.drain(..) {
        is_dirty[m] = false;
        if state.choice[m] != best[m] {
            place(state, m, best[m] as usize);
        }
    }
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
                multiplicity: 1,
            }],
            items: (0..12u32)
                .map(|i| Item {
                    weight: 1000,
                    components: vec![0],
                    candidates: (i % 3..(i % 3 + 4).min(6))
                        .map(|d| Candidate { day: d, shift: d })
                        .collect(),
                    proposed: Some(i % 3),
                    block: None,
                })
                .collect(),
            ..Default::default()
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
        let improved = anneal_pairs(
            &mut state,
            &items,
            50_000,
            RUNS_WHEN_SMALL,
            SEED,
            None,
            None,
            &Deadline::never(),
        );
        assert!(improved);
        let objective = evaluate(&instance, &state.days());
        assert_eq!(objective.clash_pairs, state.pairs);
        assert!(objective.peak <= 4000);
        assert!(state.pairs < start_pairs);
        assert_eq!(state.pairs, 6);
    }

    #[test]
    fn annealing_respects_the_move_budget() {
        let instance = crowded_instance();
        let layout = Layout::new(&instance);
        let mut state = State::new(&instance, &layout, 4000, Some(2), ObjectiveKind::Default);
        // Everything on its proposed day (candidate 0): no moves, 18 pairs.
        for i in 0..instance.items.len() {
            state.add(i, 0);
        }
        let start_pairs = state.pairs;
        let items: Vec<usize> = (0..instance.items.len()).collect();
        assert!(anneal_pairs(
            &mut state,
            &items,
            20_000,
            RUNS_WHEN_SMALL,
            SEED,
            Some(2),
            None,
            &Deadline::never()
        ));
        let objective = evaluate(&instance, &state.days());
        assert!(objective.moves <= 2);
        assert!(objective.peak <= 4000);
        assert!(objective.clash_pairs < start_pairs);
        assert_eq!(objective.clash_pairs, state.pairs);
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
            anneal_pairs(
                &mut state,
                &items,
                20_000,
                RUNS_WHEN_SMALL,
                SEED,
                None,
                None,
                &Deadline::never(),
            );
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
