//! Exact MILP stages over small independent groups (clash pairs, then moves, then
//! shift, through good_lp), and the checks that decide when a group needs none: its
//! values measured alone, and whether the bounds already prove it.

use crate::optimise::bounds::{moves_and_shift_lower_bounds, pairs_lower_bound};
use crate::optimise::deadline::Deadline;
use crate::optimise::milp::{solve_stage, MilpEffort, StageGoal, StageLimits};
use crate::optimise::moves_bound::{moves_bound_at_pairs_bound, shift_bound_at_pairs_bound};
use crate::optimise::options::SolveOptions;
use crate::optimise::pairs_bound::best_pairs_bound;
use crate::optimise::state::State;

/// Largest group given the moves and shift bounds at the pairs bound (0/1 programs).
pub(crate) const TIGHT_BOUND_MAX_ITEMS: usize = 1000;

/// Re-solves the clash pairs, moves and shift of one independent group with exact MILPs
/// (peak at most `cap`, each stage keeping the earlier ones at their optimum). A stage's
/// plan is kept only when the solver proves it optimal; the group's proven stage values
/// are returned (`None` from the first stage not proven on).
///
/// When the group's clash pairs already meet `pairs_bound` (a lower bound on them), the
/// pairs stage is proven without a MILP and the moves stage starts at once: the pairs
/// MILP is the hardest of the three for the embedded solver, and on the ONS calendar it
/// proved nothing in a second while the pairs were at their bound. When besides
/// `moves_optimal` says the group's moves are optimal at those pairs (the linear
/// relaxation proved the whole plan's moves with every group's pairs at its bound), the
/// shift stage starts at once.
pub(crate) fn milp_stages(
    state: &mut State<'_>,
    items: &[usize],
    cap: u64,
    pairs_bound: Option<u64>,
    moves_optimal: bool,
    options: &SolveOptions,
    effort: MilpEffort<'_>,
) -> [Option<u64>; 3] {
    let mut proven = [None; 3];
    let old: Vec<usize> = items.iter().map(|&i| state.choice[i] as usize).collect();
    let old_key = state.key();
    let [group_pairs, group_moves, _] = group_values(state, items);
    let pairs_at_bound = pairs_bound
        .is_some_and(|bound| group_pairs <= bound)
        .then_some(group_pairs);
    let moves_known = (pairs_at_bound.is_some() && moves_optimal).then_some(group_moves);
    let (total_pairs, total_moves) = (state.pairs, state.moves);
    for &i in items {
        state.remove(i);
    }
    let base = [state.pairs, state.moves, state.shift];
    let mut current = old.clone();
    let mut limits = StageLimits {
        peak: Some(cap),
        ..StageLimits::default()
    };
    for (stage, goal) in [StageGoal::Pairs, StageGoal::Moves, StageGoal::Shift]
        .into_iter()
        .enumerate()
    {
        if effort.deadline.expired() {
            break;
        }
        if let (StageGoal::Pairs, Some(pairs)) = (goal, pairs_at_bound) {
            proven[stage] = Some(pairs);
            limits.pairs = Some(total_pairs);
            continue;
        }
        if let (StageGoal::Moves, Some(moves)) = (goal, moves_known) {
            proven[stage] = Some(moves);
            limits.moves = Some(total_moves);
            continue;
        }
        let Ok(outcome) = solve_stage(
            state,
            items,
            goal,
            limits,
            options.max_moves,
            options.backend,
            effort,
        ) else {
            break;
        };
        if !outcome.optimal {
            break;
        }
        // Check the rounded plan exactly before trusting it.
        for (&i, &k) in items.iter().zip(&outcome.choice) {
            state.add(i, k);
        }
        let totals = [state.pairs, state.moves, state.shift];
        let respects = state.peak() <= cap
            && limits.pairs.is_none_or(|p| totals[0] <= p)
            && limits.moves.is_none_or(|m| totals[1] <= m)
            && state.budget_excess() == 0
            && state.keeps_links(items);
        for &i in items {
            state.remove(i);
        }
        if !respects {
            break;
        }
        current = outcome.choice;
        proven[stage] = Some(totals[stage] - base[stage]);
        match goal {
            StageGoal::Pairs => limits.pairs = Some(totals[0]),
            StageGoal::Moves => limits.moves = Some(totals[1]),
            _ => {}
        }
    }
    for (&i, &k) in items.iter().zip(&current) {
        state.add(i, k);
    }
    if state.key() > old_key {
        // Never worse than the search's plan (cannot happen when a stage was proven).
        for &i in items {
            state.remove(i);
        }
        for (&i, &k) in items.iter().zip(&old) {
            state.add(i, k);
        }
        proven = [None; 3];
    }
    proven
}

/// The group's clash pairs, moves and shift (its items' cells hold only its items),
/// measured by taking it out and putting it back.
pub(crate) fn group_values(state: &mut State<'_>, items: &[usize]) -> [u64; 3] {
    let totals = [state.pairs, state.moves, state.shift];
    let choice: Vec<usize> = items.iter().map(|&i| state.choice[i] as usize).collect();
    for &i in items {
        state.remove(i);
    }
    let values = [
        totals[0] - state.pairs,
        totals[1] - state.moves,
        totals[2] - state.shift,
    ];
    for (&i, &k) in items.iter().zip(&choice) {
        state.add(i, k);
    }
    values
}

/// Whether the plan of `items` (independent of every other item) is proven optimal in
/// pairs, moves and shift by the pairs bound and the bounds at the pairs bound (then the
/// later stages need no more search).
pub(crate) fn proven_at_pairs_bound(
    state: &mut State<'_>,
    items: &[usize],
    deadline: &Deadline,
) -> bool {
    if items.is_empty() || items.len() > TIGHT_BOUND_MAX_ITEMS || deadline.expired() {
        return false;
    }
    let instance = state.instance;
    let [pairs, moves, shift] = group_values(state, items);
    pairs <= pairs_lower_bound(instance, items, deadline)
        && !deadline.expired()
        && moves_bound_at_pairs_bound(instance, items, deadline).is_some_and(|bound| moves <= bound)
        && shift_bound_at_pairs_bound(instance, items, moves, deadline)
            .is_some_and(|bound| shift <= bound)
}

/// Whether the static bounds already prove the group's pairs, moves and shift (then no
/// MILP is needed). The group's values are measured by taking it out and putting it back.
pub(crate) fn group_proven_by_bounds(
    state: &mut State<'_>,
    items: &[usize],
    cap: u64,
    deadline: &Deadline,
) -> bool {
    let values = group_values(state, items);
    let instance = state.instance;
    let (moves, shift) = moves_and_shift_lower_bounds(instance, items, cap, deadline);
    let bounds = [best_pairs_bound(instance, items, deadline), moves, shift];
    values.iter().zip(&bounds).all(|(v, b)| v <= b)
}
