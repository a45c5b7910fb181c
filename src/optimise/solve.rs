//! The engine: bounds, construction, search, exact sub-problems, proof bookkeeping.
//!
//! Every stage's effort is a deterministic work budget (operations, trial moves, nodes);
//! the [`Deadline`] is the safety stop every stage checks. When it fires, the stages
//! still to come get no time, the best plan so far is kept and the bounds computed so
//! far (all still valid) are reported, with [`StopReason::Time`].

use std::time::Instant;

use super::bounds::{
    moves_and_shift_lower_bounds, pairs_lower_bound, peak_lower_bound, risk_lower_bound,
};
use super::compact::CompactAxis;
use super::deadline::{Deadline, StopReason};
use super::decompose::independent_groups;
use super::exact_search::{exact_search, PeakTerm};
use super::greedy::{candidate_order, construct};
use super::instance::Instance;
use super::layout::Layout;
use super::links::prune_by_links;
use super::local_search::improve;
use super::merge::merge_components;
use super::milp::MilpEffort;
use super::milp_groups::{
    group_proven_by_bounds, group_values, milp_stages, proven_at_pairs_bound, TIGHT_BOUND_MAX_ITEMS,
};
use super::moves_bound::{moves_bound_at_pairs_bound, shift_bound_at_pairs_bound};
use super::neighbourhood::reduce_excess;
use super::objective::{key_of, Key, RISK_SCALE};
use super::options::{Backend, ObjectiveKind, SolveOptions};
use super::pairs_bound::best_pairs_bound;
use super::pairs_search::improve_pairs;
use super::peak_proof::strengthen_peak_bound;
use super::relaxation::{relaxed_bounds, RelaxedBounds};
use super::rounds::{improve_by_rounds, RoundsLimits};
use super::solution::{Solution, StageReport, Status};
use super::stages::{stage_names, stage_values};
use super::state::State;
use super::window_search::{improve_by_exact_neighbourhoods, NeighbourhoodLimits};
use super::PlanError;

/// Largest total item weight accepted (keeps every sum far from overflow).
const MAX_TOTAL_WEIGHT: u64 = 1 << 40;
/// Largest independent group handed to the exact branch and bound.
const EXACT_MAX_ITEMS: usize = 40;
/// Node budget of one exact branch and bound run.
const EXACT_NODE_LIMIT: u64 = 300_000;
/// Node budget of all exact branch and bound runs together (instances with many groups).
const EXACT_TOTAL_NODES: u64 = 20_000_000;
/// Rounds of neighbourhood search per cap, and neighbourhoods per round.
const LNS_ROUNDS: usize = 2;
/// Neighbourhood MILPs are only tried on instances up to this size (on larger ones
/// the breakout search is both faster and better).
const LNS_MAX_ITEMS: usize = 1500;
const LNS_PER_ROUND: usize = 8;
/// Largest group whose clash pairs, moves and shift are re-solved by exact MILPs, the
/// branch-and-bound node budget of one such MILP (a stage not proven within it is
/// discarded, so results do not depend on machine speed), and the most groups treated
/// (microlp rarely proves the moves stage, so it gets few), per backend.
fn milp_stage_scope(backend: Backend) -> (usize, u64, usize) {
    match backend {
        Backend::Microlp => (60, 2_000, 4),
        #[cfg(feature = "highs")]
        Backend::Highs => (400, 20_000, 20),
    }
}
/// Largest group (in candidates) given a shift MILP alone, once its pairs and moves are
/// proven: on the ONS calendar's groups of 350–420 candidates the embedded solver proved
/// the shift of one group in four, in a second; on the small calendars of the exact
/// sweep (up to 152 candidates) it proves it in 0.02–0.8 s.
const SHIFT_ONLY_MAX_CANDIDATES: usize = 200;
/// Shares of the whole time (from the run's start to the search's deadline) after
/// which a stage stops and leaves the rest to the later stages. They only matter when
/// the time limit would cut the work short anyway: the first peak bound, the peak
/// stage, the clash-pair search, the exact neighbourhoods (then the MILP stages and
/// the bounds get the rest).
const BOUND_SHARE: f64 = 0.15;
const PEAK_SHARE: f64 = 0.5;
const PAIRS_SHARE: f64 = 0.8;
const NEIGHBOURHOOD_SHARE: f64 = 0.9;
/// Effort of the exact neighbourhoods of the later stages for `n` items, level by
/// level: small neighbourhoods first (they finish, so a pass is cheap), then wider ones
/// from the plan they reach. Large instances get a smaller total so that 5,000 items
/// plan within seconds.
fn neighbourhood_levels(n: usize) -> [NeighbourhoodLimits; 3] {
    let total_nodes = if n <= 1500 { 1_500_000 } else { 200_000 };
    let level = |max_free, radius, nodes_per_neighbourhood, block| NeighbourhoodLimits {
        max_free,
        radius,
        nodes_per_neighbourhood,
        total_nodes,
        block,
    };
    [
        level(6, 4, 5_000, 8),
        level(8, 6, 5_000, 10),
        level(12, 6, 20_000, 16),
    ]
}
/// Annealing trials the anytime rounds may spend per second of `--time-limit`: about a
/// third of what this machine anneals per second on the generated and ONS calendars
/// (3–4 million), so that a machine several times slower still stops by effort, not by
/// the clock.
const ROUND_TRIALS_PER_SECOND: f64 = 250_000.0;
/// The anytime rounds' work budget for a time limit.
fn rounds_trials(time_limit: std::time::Duration) -> u64 {
    let trials = time_limit.as_secs_f64() * ROUND_TRIALS_PER_SECOND;
    if trials.is_finite() && trials < u64::MAX as f64 {
        trials as u64
    } else {
        u64::MAX
    }
}
/// At most this many cap-lowering rounds in the peak stage.
const CAP_ROUNDS: usize = 6;

/// Checks the engine's preconditions; malformed instances are reported, never panicked on.
fn validate(instance: &Instance, options: &SolveOptions) -> Result<(), PlanError> {
    let mut conflicts = Vec::new();
    let mut must_move = 0u64;
    let total_weight = instance
        .items
        .iter()
        .try_fold(0u64, |sum, item| sum.checked_add(item.weight));
    if total_weight.is_none_or(|w| w > MAX_TOTAL_WEIGHT) {
        return Err(PlanError::Solver(format!(
            "malformed instance: total weight above {MAX_TOTAL_WEIGHT} thousandths"
        )));
    }
    for (i, item) in instance.items.iter().enumerate() {
        if item.candidates.is_empty() {
            conflicts.push(format!("item {i} has no allowed day"));
            continue;
        }
        if let Some(candidate) = item
            .candidates
            .iter()
            .find(|c| c.day as usize >= instance.n_days)
        {
            return Err(PlanError::Solver(format!(
                "malformed instance: item {i} has candidate day {} outside the axis of {} days",
                candidate.day, instance.n_days
            )));
        }
        if let Some(c) = item
            .components
            .iter()
            .find(|&&c| c as usize >= instance.components.len())
        {
            return Err(PlanError::Solver(format!(
                "malformed instance: item {i} touches unknown component {c}"
            )));
        }
        must_move += (0..item.candidates.len())
            .map(|k| u64::from(item.moves_at(k)))
            .min()
            .unwrap_or(0);
        if let Some(b) = &item.block {
            if b.counts.len() != item.components.len()
                || b.weights.len() != item.components.len()
                || b.moves.len() != item.candidates.len()
            {
                return Err(PlanError::Solver(format!(
                    "malformed instance: block item {i} has tables of the wrong length"
                )));
            }
        }
    }
    if let Some(link) = instance.links.iter().find(|l| {
        l.before as usize >= instance.items.len() || l.after as usize >= instance.items.len()
    }) {
        return Err(PlanError::Solver(format!(
            "malformed instance: a link joins items {} and {}, of {} items",
            link.before,
            link.after,
            instance.items.len()
        )));
    }
    if !instance.day_numbers.is_empty()
        && (instance.day_numbers.len() != instance.n_days
            || instance.day_numbers.windows(2).any(|w| w[0] >= w[1]))
    {
        return Err(PlanError::Solver(
            "malformed instance: day numbers must rise strictly, one per axis day".into(),
        ));
    }
    if let Some(budget) = options.max_moves {
        if must_move > u64::from(budget) {
            conflicts.push(format!(
                "{must_move} releases cannot keep their proposed date but at most {budget} may move"
            ));
        }
    }
    if conflicts.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Infeasible { conflicts })
    }
}

/// The highest load on the cells of item `i` (its group's cells hold only its group).
fn item_peak(state: &State<'_>, i: usize) -> u64 {
    let item = &state.instance.items[i];
    let k = state.choice[i] as usize;
    let day = item.candidates[k].day;
    item.components
        .iter()
        .flat_map(|&c| state.layout.cells(c as usize, day))
        .map(|cell| state.load[cell])
        .max()
        .unwrap_or(0)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Per-group proof data.
struct GroupBounds {
    risk: u64,
    peak: u64,
    pairs: u64,
    moves: u64,
    shift: u64,
}

/// Plans the instance: see `docs/engine.md` for the algorithm and what "proven" means.
///
/// `options.time_limit` is the safety stop, from this call on; see [`solve_until`].
///
/// Never panics; returns [`PlanError::Infeasible`] when an item has no candidate or the
/// move budget is below the number of items that must move, and [`PlanError::Solver`]
/// for a malformed instance.
pub fn solve(instance: &Instance, options: &SolveOptions) -> Result<Solution, PlanError> {
    solve_until(instance, options, &Deadline::after(options.time_limit))
}

/// [`solve`] with the caller's deadline (shared with the caller's other phases) as the
/// safety stop instead of `options.time_limit`.
///
/// Search effort is counted in deterministic work units, so unless the deadline fires
/// (the solution then says [`StopReason::Time`]) the same instance and options give the
/// same solution on any machine. A passed deadline only shortens the search: the best
/// plan found is returned with the bounds computed so far. Even with no time left, a
/// first plan is built (every release on its proposed day where allowed, in time linear
/// in the instance), so a solution is always returned.
pub fn solve_until(
    instance: &Instance,
    options: &SolveOptions,
    deadline: &Deadline,
) -> Result<Solution, PlanError> {
    validate(instance, options)?;
    // Drop the candidates no plan keeping the links can use (see `links.rs`); the
    // plan is returned as axis days, so the smaller candidate lists change nothing else.
    let pruned;
    let instance = if instance.links.is_empty() {
        instance
    } else {
        pruned = prune_by_links(instance).map_err(|conflict| PlanError::Infeasible {
            conflicts: vec![format!(
                "item {} has no day left that keeps its links (pushed later by items {:?}, earlier by items {:?})",
                conflict.item, conflict.pushed_late_by, conflict.pushed_early_by
            )],
        })?;
        // Pruning may force more moves than the budget allows: check again.
        validate(&pruned, options)?;
        &pruned
    };
    // Interchangeable failure points become one with a multiplicity (see `merge.rs`):
    // the same objective for every plan, far fewer cells on deep dependency chains.
    let merged = merge_components(instance);
    let axis = CompactAxis::new(&merged);
    // The stages' shares of the time count from here, not from the caller's start.
    let deadline = &deadline.from_now();
    let mut solution = solve_compact(axis.instance(), options, deadline)?;
    if std::env::var_os("STAGGER_ENGINE_TRACE").is_some() {
        eprintln!(
            "engine returned, {:.3}s left",
            deadline.remaining().as_secs_f64()
        );
    }
    solution.days = axis.original_days(solution.days);
    Ok(solution)
}

/// What every stage of one run shares: the instance and its cell layout, the options,
/// the deadline, the independent groups and the search budget.
struct Run<'a> {
    instance: &'a Instance,
    layout: &'a Layout,
    options: &'a SolveOptions,
    deadline: &'a Deadline,
    kind: ObjectiveKind,
    /// Independent groups of items (one group under a move budget).
    groups: Vec<Vec<usize>>,
    /// Every item.
    all: Vec<usize>,
    /// Every group small enough for the exact branch and bound.
    all_small: bool,
    /// Local-search operations of one search (`20,000 + 300 × candidates`).
    search_budget: u64,
    /// `STAGGER_ENGINE_TRACE` is set: stages print what they did.
    trace: bool,
    start: Instant,
}

impl<'a> Run<'a> {
    fn new(
        instance: &'a Instance,
        layout: &'a Layout,
        options: &'a SolveOptions,
        deadline: &'a Deadline,
        start: Instant,
        trace: bool,
    ) -> Self {
        let n = instance.items.len();
        let all: Vec<usize> = (0..n).collect();
        let total_candidates: u64 = instance
            .items
            .iter()
            .map(|item| item.candidates.len() as u64)
            .sum();
        options.report("decomposing");
        let groups = if options.max_moves.is_some() {
            // A move budget couples every item.
            vec![all.clone()]
        } else {
            independent_groups(instance)
        };
        if trace {
            let mut sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
            sizes.sort_unstable();
            sizes.reverse();
            sizes.truncate(20);
            eprintln!(
                "groups: {} largest {:?}, {} cells",
                groups.len(),
                sizes,
                layout.n_cells()
            );
        }
        // When every group is small the exact branch and bound settles everything, and
        // MILP neighbourhoods and relaxations are not needed.
        let all_small = groups.iter().all(|g| g.len() <= EXACT_MAX_ITEMS);
        Run {
            instance,
            layout,
            options,
            deadline,
            kind: options.objective,
            groups,
            all,
            all_small,
            search_budget: 20_000 + 300 * total_candidates,
            trace,
            start,
        }
    }
}

/// The engine proper, on an axis without long empty stretches: the stages in order,
/// each a function below (bounds, greedy start, peak, exact groups, later stages, MILP
/// groups, relaxation, anytime rounds, proof).
fn solve_compact(
    instance: &Instance,
    options: &SolveOptions,
    deadline: &Deadline,
) -> Result<Solution, PlanError> {
    let start = Instant::now();
    let trace = std::env::var_os("STAGGER_ENGINE_TRACE").is_some();
    let options = &SolveOptions {
        progress: if trace {
            Some(std::sync::Arc::new(move |m: &str| {
                eprintln!("  {:8.3}s {m}", start.elapsed().as_secs_f64())
            }))
        } else {
            options.progress.clone()
        },
        ..options.clone()
    };
    let layout = Layout::new(instance);
    let run = Run::new(instance, &layout, options, deadline, start, trace);
    let (static_peak, static_pairs) = lower_bounds(&run);
    let peak_floor = static_peak.iter().copied().max().unwrap_or(0);

    options.report("greedy start");
    let mut state = State::new(instance, &layout, peak_floor, options.max_moves, run.kind);
    // The plan that moves nothing it need not: the result is never worse than it.
    let stay = stay_plan(&mut state, run.kind);
    construct(&mut state, &run.all, deadline);

    let peak_floor = peak_stage(&run, &mut state, peak_floor);
    let (exact_peak, mut exact_keys, cap) = exact_groups(&run, &mut state);
    let inexact = later_stages(&run, &mut state, &exact_keys, &static_pairs, cap);
    let proven_peak = cap <= peak_floor.max(static_peak.iter().copied().max().unwrap_or(0));
    // The linear relaxation before the MILP stages: on calendars like ONS it proves the
    // moves of every group at once (and its rounding improves the plan), where the
    // embedded solver's moves MILPs per group prove nothing in a second; the MILP stages
    // then only have the shift left (`milp_groups`).
    let mut milp_values = vec![[None; 3]; run.groups.len()];
    let relaxed = relaxation(
        &run,
        &mut state,
        &inexact,
        cap,
        &static_pairs,
        &mut exact_keys,
        &mut milp_values,
    );
    // The relaxation's moves bound is at the plan's pairs; with every group's pairs at
    // its own bound the groups are separable, so each group's moves are optimal.
    let moves_optimal = relaxed.moves.is_some_and(|bound| state.moves <= bound)
        && known_pairs(&run, &exact_keys, &milp_values, &static_pairs)
            .is_some_and(|bound| state.pairs <= bound);
    milp_values = milp_groups(
        &run,
        &mut state,
        &exact_keys,
        &static_pairs,
        moves_optimal,
        cap,
        proven_peak,
    );
    if !exactly_solved(&run, &exact_keys, &milp_values) {
        anytime_rounds(
            &run,
            &mut state,
            &inexact,
            Known {
                exact_keys: &exact_keys,
                milp_values: &milp_values,
                static_pairs: &static_pairs,
                relaxed,
            },
        );
    }
    prove(
        &run,
        &mut state,
        stay,
        Findings {
            static_peak,
            static_pairs,
            peak_floor,
            exact_peak,
            exact_keys,
            milp_values,
            relaxed,
        },
    )
}

/// Stage bounds that do not depend on the plan, per group: the peak, and (default
/// objective) the clash pairs, within the bounds' share of the time.
fn lower_bounds(run: &Run<'_>) -> (Vec<u64>, Vec<Option<u64>>) {
    let (instance, options, deadline, kind, groups) = (
        run.instance,
        run.options,
        run.deadline,
        run.kind,
        &run.groups,
    );
    options.report("lower bounds");
    // A cut peak bound is still a bound (only weaker), so it gets a share of the time.
    let bound_deadline = deadline.share(BOUND_SHARE);
    let static_peak: Vec<u64> = groups
        .iter()
        .map(|g| peak_lower_bound(instance, g, &bound_deadline))
        .collect();
    // The clash-pair bounds do not depend on the plan: computed here, within the bounds'
    // share, they are there at the end even when the time limit cuts the search short
    // (`None` for a group whose bound the share cut short: recomputed at the end).
    let static_pairs: Vec<Option<u64>> = if kind == ObjectiveKind::Default {
        groups
            .iter()
            .map(|g| {
                let bound = best_pairs_bound(instance, g, &bound_deadline);
                (!bound_deadline.expired()).then_some(bound)
            })
            .collect()
    } else {
        vec![None; groups.len()]
    };

    (static_peak, static_pairs)
}

/// Stage "peak" (after risk when asked): lowers the cap while search can meet it, by
/// bisection between the bound and the best peak, then tries to prove the best peak with
/// small relaxations around its binding cells. Leaves the best plan in `state` with its
/// peak as the cap; returns the (possibly strengthened) peak lower bound.
fn peak_stage(run: &Run<'_>, state: &mut State<'_>, peak_floor: u64) -> u64 {
    let (instance, layout, options, deadline, kind, all) = (
        run.instance,
        run.layout,
        run.options,
        run.deadline,
        run.kind,
        &run.all,
    );
    let (n, all_small, search_budget, trace, start) = (
        instance.items.len(),
        run.all_small,
        run.search_budget,
        run.trace,
        run.start,
    );
    let peak_budget = 2 * search_budget;
    // Stage "peak" (after risk when asked): lower the cap while search can meet it.
    options.report("local search: peak");
    let peak_deadline = deadline.share(PEAK_SHARE);
    let step = instance
        .items
        .iter()
        .flat_map(|item| (0..item.components.len()).map(|j| item.weight_on(j)))
        .fold(0, gcd)
        .max(1);
    if kind == ObjectiveKind::Risk {
        // Risk ranks above the peak: lower it first with no cap at all; the cap search
        // below never accepts a move that raises it again.
        options.report("local search: risk");
        state.set_cap(u64::MAX);
        improve(state, all, search_budget, &peak_deadline, false);
    }
    let mut best_snapshot = state.choice.clone();
    let mut best_peak = state.peak();
    let mut best_first = state.key()[..2].to_vec();
    let mut failed_cap: Option<u64> = None;
    for round in 0..CAP_ROUNDS {
        if best_peak <= peak_floor || peak_deadline.expired() {
            break;
        }
        let target = match failed_cap {
            None => peak_floor,
            Some(low) => {
                let mid = (low + (best_peak - low) / 2).div_ceil(step) * step;
                if mid >= best_peak {
                    break;
                }
                mid
            }
        };
        state.set_caps(target, target.saturating_sub(step));
        // Only the budget and the risk rank above the peak, and the key never lets them
        // get worse, so the search may stop as soon as the cap is met. The first round
        // (at the bound) gets the large budget, bisection rounds a smaller one.
        let budget = if round == 0 {
            peak_budget
        } else {
            search_budget
        };
        improve(state, all, budget, &peak_deadline, true);
        if state.excess > 0
            && state.budget_excess() == 0
            && n <= LNS_MAX_ITEMS
            && !all_small
            && !peak_deadline.expired()
        {
            options.report("neighbourhoods: peak");
            for _ in 0..LNS_ROUNDS {
                let reduced = reduce_excess(state, LNS_PER_ROUND, options.backend, &peak_deadline);
                if reduced == 0 || state.excess == 0 {
                    break;
                }
                improve(state, all, search_budget, &peak_deadline, true);
            }
        }
        if trace {
            eprintln!(
                "cap {target}: excess {} peak {} ops {} t {:?}",
                state.excess,
                state.peak(),
                state.operations,
                start.elapsed()
            );
        }
        if state.excess > 0 {
            failed_cap = Some(target);
        }
        // Keep the plan when it is better on (budget excess, risk), or equal there
        // with a lower peak.
        let first = state.key()[..2].to_vec();
        let peak = state.peak();
        if first < best_first || (first == best_first && peak < best_peak) {
            best_peak = peak;
            best_snapshot = state.choice.clone();
            best_first = first;
        }
        if failed_cap.is_some_and(|f| f + step >= best_peak) {
            break;
        }
    }
    state.restore_to(&best_snapshot);
    state.set_cap(best_peak);
    let mut peak_floor = peak_floor;
    if best_peak > peak_floor && !all_small && !peak_deadline.expired() {
        options.report("proof: peak");
        let binding: Vec<(usize, usize)> = (0..instance.components.len())
            .flat_map(|c| {
                layout
                    .component_cells(c)
                    .filter(|&cell| state.load[cell] == best_peak)
                    .map(|cell| (c, layout.end_day(c, cell)))
                    .collect::<Vec<_>>()
            })
            .collect();
        peak_floor = strengthen_peak_bound(
            instance,
            all,
            &binding,
            peak_floor,
            best_peak,
            options.backend,
            &peak_deadline,
        );
    }

    peak_floor
}

/// Exact branch and bound on the small groups: phase A minimises each group's peak
/// term, phase B everything else under the resulting cap. Returns each group's phase A
/// result (peak and plan) when complete, its exact key when phase B completed, and the
/// cap (the largest group peak).
#[allow(clippy::type_complexity)]
fn exact_groups(
    run: &Run<'_>,
    state: &mut State<'_>,
) -> (Vec<Option<(u64, Vec<usize>)>>, Vec<Option<[u64; 6]>>, u64) {
    let (instance, layout, options, deadline, kind, groups) = (
        run.instance,
        run.layout,
        run.options,
        run.deadline,
        run.kind,
        &run.groups,
    );
    // Exact branch and bound on small groups, phase A (peak term minimised).
    options.report("exact sub-problems");
    // A second, empty plan for the exact searches, made only when some group is small.
    let mut scratch = groups
        .iter()
        .any(|g| g.len() <= EXACT_MAX_ITEMS)
        .then(|| State::new(instance, layout, 0, options.max_moves, kind));
    let mut exact_peak: Vec<Option<(u64, Vec<usize>)>> = vec![None; groups.len()];
    let mut nodes_left = EXACT_TOTAL_NODES;
    for (g, items) in groups.iter().enumerate() {
        if items.len() > EXACT_MAX_ITEMS || nodes_left == 0 || deadline.expired() {
            continue;
        }
        let Some(scratch) = scratch.as_mut() else {
            continue;
        };
        let incumbent: Vec<usize> = items.iter().map(|&i| state.choice[i] as usize).collect();
        let result = exact_search(
            scratch,
            items,
            &incumbent,
            PeakTerm::Minimise,
            EXACT_NODE_LIMIT.min(nodes_left),
            deadline,
        );
        nodes_left = nodes_left.saturating_sub(result.nodes);
        if result.complete {
            exact_peak[g] = Some((result.peak, result.choice));
        }
    }
    let mut cap = 0;
    for (g, items) in groups.iter().enumerate() {
        let group_peak = match &exact_peak[g] {
            Some((peak, _)) => *peak,
            None => items
                .iter()
                .map(|&i| item_peak(state, i))
                .max()
                .unwrap_or(0),
        };
        cap = cap.max(group_peak);
    }

    // Phase B: everything else under the cap.
    let mut exact_keys: Vec<Option<[u64; 6]>> = vec![None; groups.len()];
    for (g, items) in groups.iter().enumerate() {
        let Some((_, phase_a)) = &exact_peak[g] else {
            continue;
        };
        if deadline.expired() {
            // Keep the phase A plan (complete, and optimal on the peak term).
            for (&i, &k) in items.iter().zip(phase_a) {
                state.remove(i);
                state.add(i, k);
            }
            continue;
        }
        let Some(scratch) = scratch.as_mut() else {
            continue;
        };
        let result = exact_search(
            scratch,
            items,
            phase_a,
            PeakTerm::Cap(cap),
            EXACT_NODE_LIMIT.min(nodes_left.max(1)),
            deadline,
        );
        nodes_left = nodes_left.saturating_sub(result.nodes);
        for (&i, &k) in items.iter().zip(&result.choice) {
            state.remove(i);
            state.add(i, k);
        }
        if result.complete {
            exact_keys[g] = Some(result.key);
        }
    }
    drop(scratch);
    (exact_peak, exact_keys, cap)
}

/// The later stages (clash pairs, moves, shift) under the cap on the groups not solved
/// exactly: descent, clash-pair annealing, exact neighbourhoods. Returns those items.
fn later_stages(
    run: &Run<'_>,
    state: &mut State<'_>,
    exact_keys: &[Option<[u64; 6]>],
    static_pairs: &[Option<u64>],
    cap: u64,
) -> Vec<usize> {
    let (options, deadline, kind, groups) = (run.options, run.deadline, run.kind, &run.groups);
    let (search_budget, trace) = (run.search_budget, run.trace);
    state.set_cap(cap);
    options.report("local search: clash pairs, moves, shift");
    let inexact: Vec<usize> = groups
        .iter()
        .enumerate()
        .filter(|(g, _)| exact_keys[*g].is_none())
        .flat_map(|(_, items)| items.iter().copied())
        .collect();
    // Under the default objective the clash-pair annealing follows, so the descent
    // before it needs less effort.
    let pairs_deadline = deadline.share(PAIRS_SHARE);
    let descent = if kind == ObjectiveKind::Default { 2 } else { 4 } * search_budget;
    let mut converged = improve(state, &inexact, descent, &pairs_deadline, false);
    if kind == ObjectiveKind::Default
        && improve_pairs(
            state,
            &inexact,
            options.max_moves,
            known_pairs(
                run,
                exact_keys,
                &vec![[None; 3]; groups.len()],
                static_pairs,
            ),
            &pairs_deadline,
        )
    {
        converged = improve(state, &inexact, search_budget, &pairs_deadline, false);
    }
    if !inexact.is_empty() && !deadline.expired() {
        options.report("exact neighbourhoods: clash pairs, moves, shift");
        let neighbourhood_deadline = deadline.share(NEIGHBOURHOOD_SHARE);
        neighbourhood_pass(run, state, &inexact, cap, &neighbourhood_deadline);
    }
    if trace {
        eprintln!(
            "phase B: converged {converged} ops {} pairs {} moves {}",
            state.operations, state.pairs, state.moves
        );
    }

    inexact
}

/// Exact MILP stages (pairs, moves, shift) for the small groups left, once the peak is
/// proven: each group's proven optimal values, or `None` per stage.
fn milp_groups(
    run: &Run<'_>,
    state: &mut State<'_>,
    exact_keys: &[Option<[u64; 6]>],
    static_pairs: &[Option<u64>],
    moves_optimal: bool,
    cap: u64,
    proven_peak: bool,
) -> Vec<[Option<u64>; 3]> {
    let (options, deadline, kind, groups) = (run.options, run.deadline, run.kind, &run.groups);
    // Exact MILP stages for small remaining groups, once the peak is proven.
    let mut milp_values: Vec<[Option<u64>; 3]> = vec![[None; 3]; groups.len()];
    let (milp_max_items, milp_nodes, milp_max_groups) = milp_stage_scope(options.backend);
    let candidates = |items: &[usize]| -> usize {
        items
            .iter()
            .map(|&i| run.instance.items[i].candidates.len())
            .sum()
    };
    if kind == ObjectiveKind::Default && proven_peak {
        options.report("exact MILP stages");
        let mut milp_groups = 0;
        for (g, items) in groups.iter().enumerate() {
            if exact_keys[g].is_some()
                || items.len() > milp_max_items
                || milp_groups >= milp_max_groups
                || deadline.expired()
                || group_proven_by_bounds(state, items, cap, deadline)
                || (moves_optimal && candidates(items) > SHIFT_ONLY_MAX_CANDIDATES)
            {
                continue;
            }
            milp_groups += 1;
            let t0 = std::time::Instant::now();
            milp_values[g] = milp_stages(
                state,
                items,
                cap,
                static_pairs[g],
                moves_optimal,
                options,
                MilpEffort {
                    nodes: milp_nodes,
                    deadline,
                },
            );
            if run.trace {
                eprintln!(
                    "milp group {g}: {} items, {} candidates: {:?} in {:.3}s",
                    items.len(),
                    candidates(items),
                    milp_values[g],
                    t0.elapsed().as_secs_f64()
                );
            }
        }
    }

    milp_values
}

/// The linear relaxation of the moves (and shift) stage over every movable item, with
/// LP-guided rounding (`relaxed_bounds`), unless every group is solved exactly. When it
/// changes the plan, the exact groups' keys and MILP values no longer describe it.
fn relaxation(
    run: &Run<'_>,
    state: &mut State<'_>,
    inexact: &[usize],
    cap: u64,
    static_pairs: &[Option<u64>],
    exact_keys: &mut [Option<[u64; 6]>],
    milp_values: &mut [[Option<u64>; 3]],
) -> RelaxedBounds {
    let (options, deadline, kind, search_budget, trace) = (
        run.options,
        run.deadline,
        run.kind,
        run.search_budget,
        run.trace,
    );
    // The linear relaxation of the moves stage: its bound, and its rounded solution as a
    // guide for one more repair by local search (`relaxed_bounds`). Not needed when every
    // group is solved exactly.
    let relaxed = if kind == ObjectiveKind::Default
        && !exactly_solved(run, exact_keys, milp_values)
        && !deadline.expired()
    {
        options.report("relaxation: moves");
        let before = state.key();
        let pairs_known = known_pairs(run, exact_keys, milp_values, static_pairs)
            .is_some_and(|b| state.pairs <= b);
        let bounds = relaxed_bounds(
            state,
            options.max_moves,
            options.backend,
            deadline,
            search_budget,
            pairs_known,
            trace,
        );
        if state.key() < before {
            // The plan changed: the exact groups' keys no longer describe it.
            exact_keys.iter_mut().for_each(|k| *k = None);
            milp_values.iter_mut().for_each(|v| *v = [None; 3]);
            // The exact neighbourhoods ran on the plan before; on the rounded one they
            // find more (the ONS scenario without series: shift 758 -> 756).
            if !deadline.expired() {
                neighbourhood_pass(
                    run,
                    state,
                    inexact,
                    cap,
                    &deadline.share(NEIGHBOURHOOD_SHARE),
                );
            }
        }
        bounds
    } else {
        RelaxedBounds::default()
    };

    relaxed
}

/// Whether every group is solved exactly (branch and bound, or the MILP stages through
/// the moves): then no relaxation or anytime round is needed.
fn exactly_solved(
    run: &Run<'_>,
    exact_keys: &[Option<[u64; 6]>],
    milp_values: &[[Option<u64>; 3]],
) -> bool {
    (0..run.groups.len()).all(|g| exact_keys[g].is_some() || milp_values[g][1].is_some())
}

/// The clash-pair bound of the whole plan from the groups' own bounds (exact keys, MILP
/// stages, static bounds); `None` when a group has none.
fn known_pairs(
    run: &Run<'_>,
    exact_keys: &[Option<[u64; 6]>],
    milp_values: &[[Option<u64>; 3]],
    static_pairs: &[Option<u64>],
) -> Option<u64> {
    (0..run.groups.len())
        .map(|g| match exact_keys[g] {
            Some(key) => Some(key[3]),
            None => milp_values[g][0].or(static_pairs[g]),
        })
        .sum()
}

/// One pass of the exact neighbourhoods over `inexact`, level by level (small ones
/// first), stopped by `until` or once the plan meets the pairs bound; a descent follows
/// when they improved the plan.
fn neighbourhood_pass(
    run: &Run<'_>,
    state: &mut State<'_>,
    inexact: &[usize],
    cap: u64,
    until: &Deadline,
) {
    let (n, trace, start) = (run.instance.items.len(), run.trace, run.start);
    let before = state.key();
    let mut local = false;
    for limits in neighbourhood_levels(n) {
        if proven_at_pairs_bound(state, inexact, until) {
            break;
        }
        if trace {
            eprintln!(
                "  {:8.3}s neighbourhoods of {} items",
                start.elapsed().as_secs_f64(),
                limits.max_free
            );
        }
        local = improve_by_exact_neighbourhoods(state, inexact, cap, limits, until);
    }
    if state.key() < before {
        run.options
            .report("local search: after the exact neighbourhoods");
        improve(state, inexact, run.search_budget, run.deadline, false);
    }
    if trace {
        eprintln!(
            "exact neighbourhoods: local optimum {local} pairs {} moves {} shift {} (before {} {} {})",
            state.pairs, state.moves, state.shift, before[3], before[4], before[5]
        );
    }
}

/// The bounds known before the proof, for the anytime rounds' stop.
struct Known<'k> {
    exact_keys: &'k [Option<[u64; 6]>],
    milp_values: &'k [[Option<u64>; 3]],
    static_pairs: &'k [Option<u64>],
    relaxed: RelaxedBounds,
}

/// Anytime rounds (`rounds.rs`) on the items not solved exactly, until the plan meets
/// the bounds known so far or the rounds' work budget (set by the time limit) is spent.
fn anytime_rounds(run: &Run<'_>, state: &mut State<'_>, inexact: &[usize], known: Known<'_>) {
    let (options, deadline, kind, search_budget, trace) = (
        run.options,
        run.deadline,
        run.kind,
        run.search_budget,
        run.trace,
    );
    let Known {
        exact_keys,
        milp_values,
        static_pairs,
        relaxed,
    } = known;
    // Anytime rounds: while the plan is above the bounds known so far, batches of
    // annealing runs from it on every thread, within a work budget set by the time limit.
    if kind == ObjectiveKind::Default
        && !inexact.is_empty()
        && state.excess == 0
        && state.budget_excess() == 0
        && !deadline.expired()
    {
        options.report("anytime rounds: clash pairs, moves, shift");
        let pairs_known =
            known_pairs(run, exact_keys, milp_values, static_pairs).max(relaxed.pairs);
        let (moves_known, shift_known) = (relaxed.moves, relaxed.shift);
        let proven = |s: &State<'_>| {
            pairs_known.is_some_and(|b| s.pairs <= b)
                && moves_known.is_some_and(|b| s.moves <= b)
                && shift_known.is_some_and(|b| s.shift <= b)
        };
        let report = improve_by_rounds(
            state,
            inexact,
            RoundsLimits {
                trials: rounds_trials(options.time_limit),
                descent: search_budget,
                threads: options.threads,
                max_moves: options.max_moves,
            },
            deadline,
            proven,
            |s, done| {
                let gap = |value: u64, bound: Option<u64>| match bound {
                    Some(b) => format!("{value} (≥ {b})"),
                    None => value.to_string(),
                };
                options.report(&format!(
                    "anytime rounds: {} done, {} improved; clash pairs {}, moves {}, shift {}",
                    done.batches,
                    done.improved,
                    gap(s.pairs, pairs_known),
                    gap(s.moves, moves_known),
                    gap(s.shift, shift_known)
                ));
            },
        );
        if trace {
            eprintln!(
                "anytime rounds: {} batches, {} improved: pairs {} moves {} shift {}",
                report.batches, report.improved, state.pairs, state.moves, state.shift
            );
        }
    }
}

/// What the stages found that the proof needs.
struct Findings {
    static_peak: Vec<u64>,
    static_pairs: Vec<Option<u64>>,
    peak_floor: u64,
    exact_peak: Vec<Option<(u64, Vec<usize>)>>,
    exact_keys: Vec<Option<[u64; 6]>>,
    milp_values: Vec<[Option<u64>; 3]>,
    relaxed: RelaxedBounds,
}

/// The proof: never worse than the stay plan, then every stage's value against its
/// lower bound (every bound computed under a passed deadline is still valid), the
/// status and why the search stopped.
fn prove(
    run: &Run<'_>,
    state: &mut State<'_>,
    stay: Option<(Vec<u32>, Key)>,
    findings: Findings,
) -> Result<Solution, PlanError> {
    let (instance, options, deadline, kind, groups, trace, start) = (
        run.instance,
        run.options,
        run.deadline,
        run.kind,
        &run.groups,
        run.trace,
        run.start,
    );
    let Findings {
        static_peak,
        static_pairs,
        peak_floor,
        exact_peak,
        mut exact_keys,
        mut milp_values,
        relaxed,
    } = findings;
    // Never worse than leaving every release where it is, when that is allowed: the
    // safety net for a search cut short by the deadline.
    options.report("proof");
    if keep_stay_plan_if_better(state, kind, stay.as_ref()) {
        exact_keys.iter_mut().for_each(|k| *k = None);
        milp_values.iter_mut().for_each(|v| *v = [None; 3]);
    }

    // Bounds and proofs (every bound computed under a passed deadline is still valid).
    options.report("proof: bounds");
    let days = state.days();
    let (objective, risk_units_total) = state.objective();
    if state.budget_excess() > 0 {
        if instance.links.is_empty() {
            return Err(PlanError::Solver(
                "the search could not respect the move budget".to_string(),
            ));
        }
        // Links can force moves that no single release shows on its own (two releases
        // on one day, one of which must come after the other).
        let proven = exact_keys.iter().all(Option::is_some);
        return Err(PlanError::Infeasible {
            conflicts: vec![format!(
                "{} plan moves at most {} releases and keeps the series, `after` and `together` rules (the best found moves {}); allow more moves with --max-moves",
                if proven { "no" } else { "the search found no" },
                options.max_moves.unwrap_or(0),
                state.moves
            )],
        });
    }
    // Moves bound for groups whose clash pairs meet the pairs bound (`moves_bound.rs`).
    let tight_moves: Vec<Option<u64>> = groups
        .iter()
        .enumerate()
        .map(|(g, items)| {
            if exact_keys[g].is_some()
                || milp_values[g][1].is_some()
                || items.len() > TIGHT_BOUND_MAX_ITEMS
                || deadline.expired()
            {
                return None;
            }
            let pairs = group_values(state, items)[0];
            // The moves bound rests on the balanced intervals of the interval bound:
            // it applies only when the pairs meet that bound (not the stronger flow bound).
            (pairs == pairs_lower_bound(instance, items, deadline) && !deadline.expired())
                .then(|| moves_bound_at_pairs_bound(instance, items, deadline))
                .flatten()
        })
        .collect();
    // Shift bound for those groups whose moves meet that bound too (so the group's moves
    // are its optimum).
    let tight_shift: Vec<Option<u64>> = groups
        .iter()
        .enumerate()
        .map(|(g, items)| {
            let bound = tight_moves[g]?;
            if deadline.expired() {
                return None;
            }
            let moves = group_values(state, items)[1];
            if moves > bound {
                return None;
            }
            shift_bound_at_pairs_bound(instance, items, moves, deadline)
        })
        .collect();
    options.report("proof: stage bounds");
    let bounds: Vec<GroupBounds> = groups
        .iter()
        .enumerate()
        .map(|(g, items)| match (&exact_peak[g], exact_keys[g]) {
            (Some((peak, _)), Some(key)) => GroupBounds {
                risk: key[1],
                peak: *peak,
                pairs: key[3],
                moves: key[4],
                shift: key[5],
            },
            _ => {
                let (moves, shift) = if deadline.expired() {
                    (0, 0)
                } else {
                    moves_and_shift_lower_bounds(instance, items, objective.peak, deadline)
                };
                GroupBounds {
                    risk: if kind == ObjectiveKind::Risk {
                        risk_lower_bound(instance, items, deadline)
                    } else {
                        0
                    },
                    peak: static_peak[g],
                    pairs: milp_values[g][0].unwrap_or_else(|| {
                        static_pairs[g]
                            .unwrap_or_else(|| best_pairs_bound(instance, items, deadline))
                    }),
                    moves: milp_values[g][1].unwrap_or(moves.max(tight_moves[g].unwrap_or(0))),
                    shift: milp_values[g][2].unwrap_or(shift.max(tight_shift[g].unwrap_or(0))),
                }
            }
        })
        .collect();
    let risk_bound: u64 = bounds.iter().map(|b| b.risk).sum();
    let lower_bounds = {
        let mut values = Vec::new();
        if kind == ObjectiveKind::Risk {
            values.push(risk_bound as f64 / RISK_SCALE);
        }
        // `peak_floor` is a bound for the whole instance (possibly strengthened).
        values.push(
            bounds
                .iter()
                .map(|b| b.peak)
                .max()
                .unwrap_or(0)
                .max(peak_floor) as f64,
        );
        values.push(bounds.iter().map(|b| b.pairs).sum::<u64>() as f64);
        values.push(bounds.iter().map(|b| b.moves).sum::<u64>() as f64);
        values.push(bounds.iter().map(|b| b.shift).sum::<u64>() as f64);
        values
    };
    let values = stage_values(&objective, kind);
    let mut lower_bounds = lower_bounds;
    if kind == ObjectiveKind::Default {
        // [peak, pairs, moves, shift]
        if let Some(p) = relaxed.pairs {
            lower_bounds[1] = lower_bounds[1].max(p as f64);
        }
        if let Some(m) = relaxed.moves {
            lower_bounds[2] = lower_bounds[2].max(m as f64);
        }
        if let Some(sh) = relaxed.shift {
            lower_bounds[3] = lower_bounds[3].max(sh as f64);
        }
    }
    let mut proven_so_far = true;
    let mut stages = Vec::new();
    for (index, name) in stage_names(kind).into_iter().enumerate() {
        let value = values[index];
        let mut lower_bound = lower_bounds[index];
        let reached = if name == "risk" {
            risk_units_total <= risk_bound
        } else {
            value <= lower_bound
        };
        if name == "risk" && reached {
            lower_bound = value;
        }
        proven_so_far = proven_so_far && reached;
        stages.push(StageReport {
            name,
            value,
            lower_bound: lower_bound.min(value),
            proven: proven_so_far,
        });
    }
    let status = if proven_so_far {
        Status::Optimal
    } else {
        Status::Feasible
    };
    let stopped_by = if deadline.fired() {
        StopReason::Time
    } else if proven_so_far {
        StopReason::Proven
    } else {
        StopReason::Effort
    };
    if trace {
        eprintln!(
            "stopped by {} at {:.3}s",
            stopped_by.as_str(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(Solution {
        days,
        objective,
        stages,
        status,
        stopped_by,
    })
}

/// The plan that leaves every item on its proposed day (its first candidate in greedy
/// order: the proposed day when allowed) and its key on the true objective, measured on
/// the empty `state` (left empty again); `None` when it breaks the move budget or a link.
fn stay_plan(state: &mut State<'_>, kind: ObjectiveKind) -> Option<(Vec<u32>, Key)> {
    let plan: Vec<u32> = (0..state.instance.items.len())
        .map(|i| candidate_order(state, i).first().copied().unwrap_or(0) as u32)
        .collect();
    let instance = state.instance;
    let moves: u64 = plan
        .iter()
        .enumerate()
        .map(|(i, &k)| u64::from(instance.items[i].moves_at(k as usize)))
        .sum();
    let day = |i: u32| {
        instance.day_number(instance.items[i as usize].candidates[plan[i as usize] as usize].day)
    };
    let keeps_links = instance
        .links
        .iter()
        .all(|l| day(l.after) - day(l.before) >= l.min_days);
    if !keeps_links || !state.budget_within(moves) {
        return None;
    }
    for (i, &k) in plan.iter().enumerate() {
        state.add(i, k as usize);
    }
    let (objective, units) = state.objective();
    for i in 0..plan.len() {
        state.remove(i);
    }
    Some((plan, key_of(&objective, units, kind)))
}

/// Puts the plan back to `stay` when that is strictly better than the current plan on
/// the true objective (one pass over the cells); returns whether it did.
fn keep_stay_plan_if_better(
    state: &mut State<'_>,
    kind: ObjectiveKind,
    stay: Option<&(Vec<u32>, Key)>,
) -> bool {
    let Some((plan, stay_key)) = stay else {
        return false;
    };
    let (objective, units) = state.objective();
    if *stay_key < key_of(&objective, units, kind) {
        state.restore_to(plan);
        return true;
    }
    false
}
