//! The linear relaxation of the moves and shift stages over every movable item: lower
//! bounds, LP-guided rounding (its rounded solution followed and repaired), and the
//! integer moves stage within a node budget. Model in `milp.rs`; the stage order in
//! `solve.rs`.

use std::time::Instant;

use crate::optimise::deadline::Deadline;
use crate::optimise::local_search::improve;
use crate::optimise::milp::{
    integer_bound, relaxed_stage_bound, solve_stage, MilpEffort, StageGoal, StageLimits,
};
use crate::optimise::options::Backend;
use crate::optimise::state::State;

/// Most `x` variables (candidates of the items that can move) of the relaxation bounds:
/// beyond this the embedded simplex takes longer than the search (measured on the ONS
/// calendar, `docs/performance.md`).
const RELAXATION_MAX_CANDIDATES: usize = 12_000;
/// Most candidate–failure-point incidences of the relaxation bounds, per backend. The
/// embedded simplex took 0.5–0.8 s at 3,000–4,700 (the ONS calendar, 5 failure points,
/// where the bound proves the moves optimal), 1.8 s at 12,000, 9.5 s at 21,000 and 26 s
/// at 34,000 (generated calendars with 66 and 116 failure points, where it proved
/// nothing); HiGHS solves those in well under a second.
fn relaxation_max_incidence(backend: Backend) -> usize {
    match backend {
        Backend::Microlp => 15_000,
        #[cfg(feature = "highs")]
        Backend::Highs => 400_000,
    }
}
/// Most chord rows of the clash-pairs relaxation, per backend: the embedded simplex took
/// 2.5 s at 10,000 rows (500 generated releases, 43 failure points) and 9.4 s at 13,000
/// (500 releases on 12 failure points with multi-day outages); HiGHS has no limit but
/// the deadline.
fn pairs_max_chord_rows(backend: Backend) -> Option<usize> {
    match backend {
        Backend::Microlp => Some(10_000),
        #[cfg(feature = "highs")]
        Backend::Highs => None,
    }
}
/// Simplex effort of the relaxation bounds (a node budget only matters for integer
/// models; the relaxation has none).
const RELAXATION_NODES: u64 = 1;
/// Most candidates, and the node budget, of the integer moves stage tried when the
/// relaxation leaves a gap: small for the embedded solver, national calendars for HiGHS.
fn integer_scope(backend: Backend) -> (usize, u64) {
    match backend {
        Backend::Microlp => (1_000, 500),
        #[cfg(feature = "highs")]
        Backend::Highs => (50_000, 20_000),
    }
}

/// Whether the integer moves stage is tried on a relaxation gap from `bound` to the plan's
/// `moves`. The embedded solver's stage is small (its node budget ends it in well under a
/// second) and always tried. HiGHS's is tried only on a gap it can close: at most 3 moves
/// or a tenth of the plan's. On the example (37 against 35) it proves the optimum at
/// once; on 800 generated releases on 12 failure points (381 against 311) its 20,000
/// nodes took the 50 s left of a 60 s limit and closed nothing, leaving the anytime
/// rounds no time.
#[cfg_attr(not(feature = "highs"), allow(unused_variables))]
fn integer_gap_is_closable(backend: Backend, bound: u64, moves: u64) -> bool {
    match backend {
        Backend::Microlp => true,
        #[cfg(feature = "highs")]
        Backend::Highs => moves.saturating_sub(bound) <= (moves / 10).max(3),
    }
}

/// Lower bounds of the relaxation stage (`None`: not computed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RelaxedBounds {
    /// Clash pairs at the plan's peak or lower.
    pub(crate) pairs: Option<u64>,
    /// Moves at the plan's peak and clash pairs.
    pub(crate) moves: Option<u64>,
    /// Total shift at the plan's peak, clash pairs and moves.
    pub(crate) shift: Option<u64>,
}

/// Lower bounds on the clash pairs, the moves and the total shift from the linear
/// relaxation of their stage models (`milp.rs`) over every item that can move, the
/// others fixed: the clash pairs at the plan's peak (unless `pairs_known`: the plan's
/// pairs are already proven), the moves at the plan's peak and clash pairs, and, when
/// the plan's moves meet that bound, the shift at those moves too. The moves and shift
/// bounds are conditional on the earlier stages' values like every stage bound
/// (unconditional once they are proven); the pairs bound holds for every plan. `None` for a bound not computed: too
/// large, no time left, or the relaxation not solved.
///
/// With `repair_operations` > 0 the relaxation also guides the search: its rounded
/// solution, repaired by local search within that many operations, replaces the plan
/// when it is better on the whole key and keeps every link (LP-guided rounding).
pub(crate) fn relaxed_bounds(
    state: &mut State<'_>,
    budget: Option<u32>,
    backend: Backend,
    deadline: &Deadline,
    repair_operations: u64,
    pairs_known: bool,
    trace: bool,
) -> RelaxedBounds {
    let instance = state.instance;
    let free: Vec<usize> = (0..instance.items.len())
        .filter(|&i| instance.items[i].candidates.len() > 1)
        .collect();
    let size: usize = free
        .iter()
        .map(|&i| instance.items[i].candidates.len())
        .sum();
    // The simplex's cost follows the assignment's nonzeros in the cell rows: each
    // candidate of each free item in each of its failure points' cells.
    let incidence: usize = free
        .iter()
        .map(|&i| instance.items[i].candidates.len() * instance.items[i].components.len())
        .sum();
    if free.is_empty()
        || size > RELAXATION_MAX_CANDIDATES
        || incidence > relaxation_max_incidence(backend)
        || deadline.expired()
    {
        if trace {
            eprintln!("relaxation bounds skipped: {size} candidates, incidence {incidence}");
        }
        return RelaxedBounds::default();
    }
    let started = Instant::now();
    let moves_before = state.moves;
    // Chords up to a few releases above the busiest cell of the plan: a relaxation at the
    // plan's clash pairs rarely fills a cell more, and fewer chords only weaken it.
    let busiest = state.count.iter().copied().max().map_or(0, u64::from);
    let limits = StageLimits {
        peak: Some(state.peak()),
        pairs: Some(state.pairs),
        chords: Some(busiest + 3),
        ..StageLimits::default()
    };
    let effort = MilpEffort {
        nodes: RELAXATION_NODES,
        deadline,
    };
    // A guide (a solution of the free items) is followed when it promises better.
    let follow = |state: &mut State<'_>, promise: u64, value: u64, choice: &[usize]| {
        if repair_operations > 0 && promise < value && !deadline.expired() {
            follow_rounding(state, &free, choice, repair_operations, deadline);
        }
    };
    // The clash pairs first (at the plan's peak): the cells' convex costs through their
    // chords, every chord up to what the peak lets a cell hold, couple the failure
    // points, the outage days and the links that the flow bound takes one at a time.
    let pairs_bound = if pairs_known {
        None
    } else {
        let pairs_limits = StageLimits {
            peak: Some(state.peak()),
            max_chord_rows: pairs_max_chord_rows(backend),
            ..StageLimits::default()
        };
        let relaxed = without(state, &free, |s| {
            relaxed_stage_bound(
                s,
                &free,
                StageGoal::Pairs,
                pairs_limits,
                budget,
                backend,
                effort,
            )
        });
        if trace {
            eprintln!(
                "relaxation: pairs LP {:?} in {:.3}s",
                relaxed.as_ref().map(|r| r.0),
                started.elapsed().as_secs_f64()
            );
        }
        relaxed.map(|(bound, rounded)| {
            let pairs = state.pairs;
            follow(state, bound, pairs, &rounded);
            bound
        })
    };
    let limits = StageLimits {
        pairs: Some(state.pairs),
        ..limits
    };
    let relaxed = without(state, &free, |s| {
        relaxed_stage_bound(s, &free, StageGoal::Moves, limits, budget, backend, effort)
    });
    let mut moves_bound = relaxed.as_ref().map(|r| r.0);
    if let Some((bound, rounded)) = relaxed {
        let moves = state.moves;
        follow(state, bound, moves, &rounded);
    }
    // A gap left: the integer stage (branch and bound from the relaxation) may close it
    // within its node budget; its proven optimum is the bound, and its plan a guide.
    let (integer_candidates, integer_nodes) = integer_scope(backend);
    if moves_bound
        .is_some_and(|b| b < state.moves && integer_gap_is_closable(backend, b, state.moves))
        && size <= integer_candidates
        && !deadline.expired()
    {
        let integer = StageLimits {
            chords: None,
            ..limits
        };
        let effort = MilpEffort {
            nodes: integer_nodes,
            deadline,
        };
        let solved = without(state, &free, |s| {
            let outcome =
                solve_stage(s, &free, StageGoal::Moves, integer, budget, backend, effort).ok()?;
            let value = outcome.value.filter(|_| outcome.optimal)?;
            Some((integer_bound(value), outcome.choice))
        });
        if let Some((optimum, choice)) = solved {
            moves_bound = moves_bound.max(Some(optimum));
            let moves = state.moves;
            follow(state, optimum, moves, &choice);
        }
    }
    let moves = state.moves;
    let shift_bound = if moves_bound.is_some_and(|b| b >= moves) && !deadline.expired() {
        let limits = StageLimits {
            moves: Some(moves),
            ..limits
        };
        let relaxed = without(state, &free, |s| {
            relaxed_stage_bound(s, &free, StageGoal::Shift, limits, budget, backend, effort)
        });
        // The shift relaxation's rounded solution is a guide too (the moves stay within
        // the plan's, so the bound still holds for the plan that follows it).
        relaxed.map(|(bound, rounded)| {
            let shift = state.shift;
            follow(state, bound, shift, &rounded);
            bound
        })
    } else {
        None
    };
    if trace {
        eprintln!(
            "relaxation bounds: {} items, {size} candidates: pairs >= {pairs_bound:?} (plan {}), moves >= {moves_bound:?} (plan {moves_before} -> {moves}), shift >= {shift_bound:?} (plan {}) in {:.3}s",
            free.len(),
            state.pairs,
            state.shift,
            started.elapsed().as_secs_f64()
        );
    }
    RelaxedBounds {
        pairs: pairs_bound,
        moves: moves_bound,
        shift: shift_bound,
    }
}

/// `solve` on `state` with the items `free` taken out of the plan; they are put back
/// on their days afterwards.
pub(crate) fn without<T>(
    state: &mut State<'_>,
    free: &[usize],
    solve: impl FnOnce(&State<'_>) -> T,
) -> T {
    let choice: Vec<usize> = free.iter().map(|&i| state.choice[i] as usize).collect();
    for &i in free {
        state.remove(i);
    }
    let result = solve(state);
    for (&i, &k) in free.iter().zip(&choice) {
        state.add(i, k);
    }
    result
}

/// Puts the free items on the relaxation's rounded choice, repairs the plan by local
/// search, and keeps it only when it is better on the whole key, keeps every link and
/// the move budget; otherwise the plan is left as it was.
fn follow_rounding(
    state: &mut State<'_>,
    free: &[usize],
    rounded: &[usize],
    operations: u64,
    deadline: &Deadline,
) {
    let before: Vec<u32> = state.choice.clone();
    let key_before = state.key();
    for (&i, &k) in free.iter().zip(rounded) {
        if state.choice[i] as usize != k {
            state.remove(i);
            state.add(i, k);
        }
    }
    // Links the rounding breaks: both ends go back to the plan's days, until none is
    // broken (the plan kept them all, so this ends).
    let instance = state.instance;
    loop {
        let mut reverted = false;
        for l in &instance.links {
            let (a, b) = (l.before as usize, l.after as usize);
            let day = |state: &State<'_>, i: usize| {
                instance.day_number(instance.items[i].candidates[state.choice[i] as usize].day)
            };
            if day(state, b) - day(state, a) >= l.min_days {
                continue;
            }
            for i in [a, b] {
                if state.choice[i] != before[i] {
                    state.remove(i);
                    state.add(i, before[i] as usize);
                    reverted = true;
                }
            }
        }
        if !reverted {
            break;
        }
    }
    let all: Vec<usize> = (0..instance.items.len()).collect();
    if state.keeps_links(&all) {
        improve(state, &all, operations, deadline, false);
    }
    let better = state.key() < key_before && state.keeps_links(&all) && state.budget_excess() == 0;
    if !better {
        state.restore_to(&before);
    }
}
