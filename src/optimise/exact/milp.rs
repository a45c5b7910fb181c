//! Exact MILP models (good_lp), stage by stage, for a set of free items on top of a
//! fixed partial plan; also the whole-instance lexicographic MILP used by benchmarks.
//!
//! `x[i,k]` = item `i` on candidate `k`. Peak: every reachable cell's load `<= P`.
//! Pairs: `y_cell >= j N - j (j + 1) / 2` for `j = 0..`, `N` the cell's item count
//! (exact for integer `N`, the chords of the convex `N (N - 1) / 2`). Risk: binary
//! `z_cell >= (N - 1) / (M - 1)` with `M` the most items the cell can hold. Moves and
//! shift are linear. Earlier stages' values are kept as `<=` constraints. Solutions
//! are rounded (largest `x` per item) and re-evaluated exactly by the caller.

use std::collections::BTreeMap;

use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

use crate::optimise::deadline::Deadline;
use crate::optimise::instance::Instance;
use crate::optimise::layout::Layout;
use crate::optimise::options::Backend;
use crate::optimise::state::State;

/// The quantity a MILP stage minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StageGoal {
    /// Sum of component risk over cells with two or more items.
    Risk,
    /// Highest cell load.
    Peak,
    /// Clash pairs.
    Pairs,
    /// Items off their proposed day.
    Moves,
    /// Total shift.
    Shift,
    /// Sum over reachable cells of the load above the given cap (for neighbourhoods).
    Excess(u64),
}

/// Upper limits from earlier stages (whole-plan values, free and fixed items together).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StageLimits {
    pub(crate) risk: Option<f64>,
    pub(crate) peak: Option<u64>,
    pub(crate) pairs: Option<u64>,
    pub(crate) moves: Option<u64>,
    /// For a relaxation: the pairs chords kept, up to this count per cell (the others
    /// are left out, which only weakens the relaxation: its bound stays valid).
    pub(crate) chords: Option<u64>,
    /// Most pairs chord rows the model may have: a larger model is not solved (`Err`
    /// naming its size), so that a slow solver is not started on it.
    pub(crate) max_chord_rows: Option<usize>,
}

/// The outcome of one MILP stage.
pub(crate) struct StageOutcome {
    /// Candidate index per free item (in the order given).
    pub(crate) choice: Vec<usize>,
    /// Whether the solver proved optimality.
    pub(crate) optimal: bool,
    /// The solution's whole-plan value of the clash pairs, moves or total shift from the
    /// solver's (possibly fractional) values; `None` for the other goals.
    pub(crate) value: Option<f64>,
}

/// Per reachable cell: constant part and free contributions `(x variable, weight)`.
struct CellTerms {
    component: usize,
    base_load: u64,
    base_count: u64,
    /// `(x variable, weight, count)` of each free placement reaching the cell.
    free: Vec<(Variable, u64, u64)>,
}

/// Solves one stage for the unassigned items `free` of `state` (every other item keeps
/// its day). `Err` when the solver fails or finds nothing in time (not a proof of anything).
pub(crate) fn solve_stage(
    state: &State<'_>,
    free: &[usize],
    goal: StageGoal,
    limits: StageLimits,
    budget: Option<u32>,
    backend: Backend,
    effort: MilpEffort<'_>,
) -> Result<StageOutcome, String> {
    stage_model(state, free, goal, limits, budget, backend, effort, false)
}

/// The linear-programming relaxation of a clash-pairs, moves or total-shift stage over the free items
/// (every `x` in `[0, 1]`): its optimal value rounded up is a lower bound on the stage
/// over every plan of the free items within `limits` and `budget`, the other items kept.
/// `None` when the solver did not prove the relaxation optimal. With the bound comes the
/// relaxed solution rounded (each free item's largest `x`), a guide for the search.
pub(crate) fn relaxed_stage_bound(
    state: &State<'_>,
    free: &[usize],
    goal: StageGoal,
    limits: StageLimits,
    budget: Option<u32>,
    backend: Backend,
    effort: MilpEffort<'_>,
) -> Option<(u64, Vec<usize>)> {
    debug_assert!(matches!(
        goal,
        StageGoal::Pairs | StageGoal::Moves | StageGoal::Shift
    ));
    let outcome = stage_model(state, free, goal, limits, budget, backend, effort, true).ok()?;
    let value = outcome.value.filter(|_| outcome.optimal)?;
    Some((integer_bound(value), outcome.choice))
}

/// A solver's optimal value of a stage whose plans all have integer values, as a lower
/// bound: rounded up after allowing for the solver's tolerance.
pub(crate) fn integer_bound(value: f64) -> u64 {
    (value - 1e-6 * (1.0 + value.abs())).ceil().max(0.0) as u64
}

/// Builds and solves a stage model; `relax` makes every `x` continuous in `[0, 1]`.
#[allow(clippy::too_many_arguments)]
fn stage_model(
    state: &State<'_>,
    free: &[usize],
    goal: StageGoal,
    limits: StageLimits,
    budget: Option<u32>,
    backend: Backend,
    effort: MilpEffort<'_>,
    relax: bool,
) -> Result<StageOutcome, String> {
    let instance: &Instance = state.instance;
    let layout: &Layout = state.layout;
    let mut vars = ProblemVariables::new();
    let mut x: Vec<Vec<Variable>> = Vec::with_capacity(free.len());
    // Position of every `x` variable among all variables (they are read back by position).
    let mut x_positions: Vec<usize> = Vec::new();
    let mut cells: BTreeMap<usize, CellTerms> = BTreeMap::new();
    let mut moves = Expression::from(state.moves as f64);
    let mut shift = Expression::from(state.shift as f64);
    let mut constraints: Vec<Constraint> = Vec::new();
    for &i in free {
        let item = &instance.items[i];
        let row: Vec<Variable> = item
            .candidates
            .iter()
            .map(|_| {
                x_positions.push(vars.len());
                if relax {
                    vars.add(variable().min(0.0).max(1.0))
                } else {
                    vars.add(variable().binary())
                }
            })
            .collect();
        constraints.push(constraint!(row.iter().copied().sum::<Expression>() == 1));
        for (k, candidate) in item.candidates.iter().enumerate() {
            // Links to the items that keep their day rule some candidates out.
            if !state.allowed(i, k) {
                constraints.push(constraint!(row[k] == 0));
                continue;
            }
            let item_moves = item.moves_at(k);
            if item_moves > 0 {
                moves += f64::from(item_moves) * row[k];
            }
            if candidate.shift > 0 {
                shift += f64::from(candidate.shift) * row[k];
            }
            for (c, count, weight) in item.loads() {
                for cell in layout.cells(c, candidate.day) {
                    cells
                        .entry(cell)
                        .or_insert_with(|| CellTerms {
                            component: c,
                            base_load: state.load[cell],
                            base_count: u64::from(state.count[cell]),
                            free: Vec::new(),
                        })
                        .free
                        .push((row[k], weight, u64::from(count)));
                }
            }
        }
        x.push(row);
    }
    // Links between two free items: the later one's calendar day number minus the
    // earlier one's is at least the gap.
    if !layout.links.is_empty() {
        for (slot, &i) in free.iter().enumerate() {
            for &(j, gap) in layout.links.succs(i) {
                let Some(other) = free.iter().position(|&f| f == j as usize) else {
                    continue;
                };
                let day_number = |slot: usize, item: usize| -> Expression {
                    instance.items[item]
                        .candidates
                        .iter()
                        .zip(&x[slot])
                        .map(|(c, &v)| instance.day_number(c.day) as f64 * v)
                        .sum()
                };
                let later = day_number(other, j as usize);
                let earlier = day_number(slot, i);
                constraints.push(constraint!(later - earlier >= gap as f64));
            }
        }
    }
    // The peak of the cells no free item can reach.
    let untouched_peak = state
        .load
        .iter()
        .enumerate()
        .filter(|(cell, _)| !cells.contains_key(cell))
        .map(|(_, &l)| l)
        .max()
        .unwrap_or(0);

    let chord_limit = limits.chords.unwrap_or(u64::MAX);
    let needs_peak = goal == StageGoal::Peak || limits.peak.is_some();
    let needs_pairs = goal == StageGoal::Pairs || limits.pairs.is_some();
    let needs_risk = goal == StageGoal::Risk || limits.risk.is_some();
    let peak_var = vars.add(variable().min(untouched_peak as f64));
    let mut excess = Expression::from(0.0);
    let mut pairs = Expression::from(0.0);
    let mut risk = Expression::from(0.0);
    // Pairs and risk of cells no free item reaches are constants.
    let mut constant_pairs = 0u64;
    // Position and factor of each cell's pairs variable (read back for a pairs goal).
    let mut pairs_terms: Vec<(usize, u64)> = Vec::new();
    let mut chord_rows = 0usize;
    let mut constant_risk = 0.0f64;
    for c in 0..instance.components.len() {
        for cell in layout.component_cells(c) {
            if cells.contains_key(&cell) {
                continue;
            }
            let n = u64::from(state.count[cell]);
            let factor = instance.components[c].factor();
            constant_pairs += n * n.saturating_sub(1) / 2 * factor;
            if n >= 2 {
                constant_risk += instance.components[c].risk.max(0.0) * factor as f64;
            }
        }
    }
    pairs += constant_pairs as f64;
    risk += constant_risk;
    for terms in cells.values() {
        let load: Expression = terms
            .free
            .iter()
            .map(|&(v, w, _)| (w as f64) * v)
            .sum::<Expression>()
            + terms.base_load as f64;
        let count: Expression = terms
            .free
            .iter()
            .map(|&(v, _, n)| (n as f64) * v)
            .sum::<Expression>()
            + terms.base_count as f64;
        if let StageGoal::Excess(cap) = goal {
            let over = vars.add(variable().min(0.0));
            constraints.push(constraint!(over >= load.clone() - cap as f64));
            excess += over;
        }
        if needs_peak {
            constraints.push(constraint!(load <= peak_var));
        }
        let most = terms.base_count + terms.free.iter().map(|&(_, _, n)| n).sum::<u64>();
        // Under a peak limit the cell holds at most the releases whose lightest share
        // fills the room left: chords above that count never bind. (Only the pairs
        // relaxation leaves them out: the other models keep the rows they were measured
        // with, as an LP's choice among equal optima depends on its redundant rows.)
        let most = match limits.peak {
            Some(limit) if relax && goal == StageGoal::Pairs => {
                most.min(count_under_peak(terms, limit))
            }
            _ => most,
        };
        if needs_pairs {
            let base = terms.base_count;
            if most >= 2 {
                pairs_terms.push((vars.len(), instance.components[terms.component].factor()));
                let y = vars.add(variable().min((base * base.saturating_sub(1) / 2) as f64));
                // A relaxation may leave out the chords above `chord_limit` (fewer
                // constraints; `y` can then only be lower, so its bound stays valid).
                let top = if relax {
                    most.min(chord_limit.max(base + 1))
                } else {
                    most
                };
                for j in base.max(1)..top {
                    let rhs = count.clone() * (j as f64) - (j * (j + 1) / 2) as f64;
                    constraints.push(constraint!(y >= rhs));
                    chord_rows += 1;
                }
                if let Some(most) = limits.max_chord_rows.filter(|&most| chord_rows > most) {
                    return Err(format!(
                        "more than {most} clash-pair chord rows: not solved"
                    ));
                }
                // A merged component's cell counts its multiplicity times.
                pairs += instance.components[terms.component].factor() as f64 * y;
            }
        }
        if needs_risk {
            let component = &instance.components[terms.component];
            let weight = component.risk.max(0.0) * component.factor() as f64;
            if terms.base_count >= 2 {
                risk += weight;
            } else if most >= 2 && weight > 0.0 {
                let z = vars.add(variable().binary());
                let rhs = (count.clone() - 1.0) * (1.0 / (most - 1) as f64);
                constraints.push(constraint!(z >= rhs));
                risk += weight * z;
            }
        }
    }
    if let Some(limit) = limits.peak {
        constraints.push(constraint!(peak_var <= limit as f64 + 0.5));
    }
    if let Some(limit) = limits.pairs {
        constraints.push(constraint!(pairs.clone() <= limit as f64 + 0.5));
    }
    if let Some(limit) = limits.risk {
        constraints.push(constraint!(risk.clone() <= limit + 1e-7 * (1.0 + limit)));
    }
    if let Some(limit) = limits.moves {
        constraints.push(constraint!(moves.clone() <= limit as f64 + 0.5));
    }
    if let Some(limit) = budget {
        constraints.push(constraint!(moves.clone() <= f64::from(limit) + 0.5));
    }
    let objective: Expression = match goal {
        StageGoal::Risk => risk,
        StageGoal::Peak => Expression::from(peak_var),
        StageGoal::Pairs => pairs,
        StageGoal::Moves => moves,
        StageGoal::Shift => shift,
        StageGoal::Excess(_) => excess,
    };
    let mut read = x_positions.clone();
    if goal == StageGoal::Pairs {
        read.extend(pairs_terms.iter().map(|&(position, _)| position));
    }
    let answer = solve_model(
        vars,
        Direction::Minimise,
        objective,
        constraints,
        &read,
        backend,
        effort,
    )?;
    let (values, optimal) = (answer.values, answer.optimal);
    let pairs_value = || {
        let ys = values.get(x_positions.len()..).unwrap_or(&[]);
        constant_pairs as f64
            + pairs_terms
                .iter()
                .zip(ys)
                .map(|(&(_, factor), &y)| factor as f64 * y)
                .sum::<f64>()
    };
    let linear_value = |per_candidate: &dyn Fn(usize, usize) -> u64, base: u64| {
        let mut total = base as f64;
        let mut position = 0;
        for (slot, &i) in free.iter().enumerate() {
            for k in 0..x[slot].len() {
                let v = values.get(position + k).copied().unwrap_or(0.0);
                total += per_candidate(i, k) as f64 * v;
            }
            position += x[slot].len();
        }
        total
    };
    let value = match goal {
        StageGoal::Moves => Some(linear_value(
            &|i, k| u64::from(instance.items[i].moves_at(k)),
            state.moves,
        )),
        StageGoal::Shift => Some(linear_value(
            &|i, k| u64::from(instance.items[i].candidates[k].shift),
            state.shift,
        )),
        StageGoal::Pairs => Some(pairs_value()),
        _ => None,
    };
    let mut choice = Vec::with_capacity(free.len());
    let mut position = 0;
    for row in &x {
        let mut best = (f64::NEG_INFINITY, 0usize);
        for k in 0..row.len() {
            let value = values.get(position + k).copied().unwrap_or(0.0);
            if value > best.0 {
                best = (value, k);
            }
        }
        position += row.len();
        choice.push(best.1);
    }
    Ok(StageOutcome {
        choice,
        optimal,
        value,
    })
}

/// The most releases a cell can hold with its load at most `peak`: its fixed releases,
/// and as many free ones as the room left takes at the lightest weight per release.
fn count_under_peak(terms: &CellTerms, peak: u64) -> u64 {
    let room = peak.saturating_sub(terms.base_load);
    let lightest = terms
        .free
        .iter()
        .filter(|&&(_, _, n)| n > 0)
        .map(|&(_, w, n)| (w, n))
        // w1 / n1 < w2 / n2 without division.
        .min_by(|a, b| {
            (u128::from(a.0) * u128::from(b.1)).cmp(&(u128::from(b.0) * u128::from(a.1)))
        });
    match lightest {
        Some((w, n)) if w > 0 => {
            let free = u128::from(room) * u128::from(n) / u128::from(w);
            terms
                .base_count
                .saturating_add(u64::try_from(free).unwrap_or(u64::MAX))
        }
        _ => u64::MAX,
    }
}

/// How much one MILP call may do: a deterministic node budget (the same model stops at
/// the same node on any machine) and the run's deadline as the safety stop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MilpEffort<'d> {
    /// Branch-and-bound nodes (the root relaxation is not counted).
    pub(crate) nodes: u64,
    /// The run's safety stop; a solver stopping on it marks the deadline fired.
    pub(crate) deadline: &'d Deadline,
}

/// Optimisation direction of [`solve_model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Minimise,
    Maximise,
}

/// A solved model: the values of the variables asked for, and whether the solver
/// proved optimality (a node-limit stop is "not optimal"; so is a time stop, which
/// also marks the deadline fired).
pub(crate) struct MilpAnswer {
    pub(crate) values: Vec<f64>,
    pub(crate) optimal: bool,
}

/// Solves a model built with `vars` (every variable created in order, so a variable's
/// position is `vars.len()` just before it was added) and reads the variables at the
/// positions `read`. Deterministic within its node budget; `Err` when the solver fails,
/// the problem is infeasible, or no solution was found before the deadline.
pub(crate) fn solve_model(
    vars: ProblemVariables,
    direction: Direction,
    objective: Expression,
    constraints: Vec<Constraint>,
    read: &[usize],
    backend: Backend,
    effort: MilpEffort<'_>,
) -> Result<MilpAnswer, String> {
    if effort.deadline.expired() {
        return Err("no time left".to_string());
    }
    let problem = match direction {
        Direction::Minimise => vars.minimise(objective),
        Direction::Maximise => vars.maximise(objective),
    };
    match backend {
        Backend::Microlp => {
            use good_lp::SolverModel as _;
            let mut model = problem.using(good_lp::microlp);
            for c in constraints {
                model.add_constraint(c);
            }
            let mut options = microlp::SolveOptions::default();
            options.node_limit = Some(effort.nodes);
            options.time_limit = Some(effort.deadline.remaining());
            let outcome = model
                .as_inner()
                .solve_with(options)
                .map_err(|e| e.to_string())?;
            let reason = outcome.termination_reason();
            if reason == microlp::TerminationReason::TimeLimit {
                effort.deadline.fire();
            }
            let solution = outcome
                .solution()
                .ok_or_else(|| "stopped before finding a solution".to_string())?;
            let all: Vec<f64> = solution.iter().map(|(_, value)| value).collect();
            Ok(MilpAnswer {
                values: read
                    .iter()
                    .map(|&p| all.get(p).copied().unwrap_or(0.0))
                    .collect(),
                optimal: reason == microlp::TerminationReason::ProvenOptimal,
            })
        }
        #[cfg(feature = "highs")]
        Backend::Highs => {
            use good_lp::{Solution as _, SolverModel as _, WithTimeLimit as _};

            let mut model = problem
                .using(good_lp::highs)
                .with_time_limit(effort.deadline.remaining().as_secs_f64());
            model.set_verbose(false);
            let nodes = i32::try_from(effort.nodes).unwrap_or(i32::MAX);
            let mut model = model.set_option("mip_max_nodes", nodes);
            for c in constraints {
                model.add_constraint(c);
            }
            let solution = model.solve().map_err(|e| e.to_string())?;
            let optimal = matches!(solution.status(), good_lp::SolutionStatus::Optimal);
            // HiGHS reports node and time limits alike: a stop with the deadline passed
            // counts as the safety stop (`expired` records it).
            if !optimal {
                effort.deadline.expired();
            }
            let columns = solution.into_inner();
            let columns = columns.columns();
            Ok(MilpAnswer {
                values: read
                    .iter()
                    .map(|&p| columns.get(p).copied().unwrap_or(0.0))
                    .collect(),
                optimal,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::objective::evaluate_with_units;
    use crate::optimise::options::ObjectiveKind;
    use crate::optimise::properties::tiny_instance;

    /// Brute-force minimum of `value` over the free items' candidates (others fixed),
    /// among plans satisfying `allowed`.
    fn brute_min(
        instance: &Instance,
        fixed: &[(usize, usize)],
        free: &[usize],
        value: &dyn Fn(&crate::optimise::Objective, u64) -> u64,
        allowed: &dyn Fn(&crate::optimise::Objective, u64) -> bool,
    ) -> Option<u64> {
        let mut index = vec![0usize; free.len()];
        let mut best: Option<u64> = None;
        loop {
            let mut days = vec![0u32; instance.items.len()];
            for &(i, k) in fixed {
                days[i] = instance.items[i].candidates[k].day;
            }
            for (slot, &i) in free.iter().enumerate() {
                days[i] = instance.items[i].candidates[index[slot]].day;
            }
            let (objective, units) = evaluate_with_units(instance, &days, None);
            if allowed(&objective, units) {
                let v = value(&objective, units);
                best = Some(best.map_or(v, |b: u64| b.min(v)));
            }
            let mut p = free.len();
            loop {
                if p == 0 {
                    return best;
                }
                p -= 1;
                index[p] += 1;
                if index[p] < instance.items[free[p]].candidates.len() {
                    break;
                }
                index[p] = 0;
            }
        }
    }

    #[test]
    fn stage_models_match_enumeration_on_sub_problems() {
        let mut checked = 0;
        for seed in 0..40u64 {
            let (instance, _) = tiny_instance(seed);
            let layout = Layout::new(&instance);
            let mut state = State::new(&instance, &layout, 0, None, ObjectiveKind::Default);
            let fixed: Vec<(usize, usize)> = (0..instance.items.len())
                .filter(|i| i % 3 == 0)
                .map(|i| (i, 0))
                .collect();
            for &(i, k) in &fixed {
                state.add(i, k);
            }
            let free: Vec<usize> = (0..instance.items.len()).filter(|i| i % 3 != 0).collect();
            if free.is_empty() {
                continue;
            }
            let never = Deadline::never();
            let limit = MilpEffort {
                nodes: u64::MAX,
                deadline: &never,
            };
            let peak = solve_stage(
                &state,
                &free,
                StageGoal::Peak,
                StageLimits::default(),
                None,
                Backend::Microlp,
                limit,
            )
            .expect("peak stage solves");
            assert!(peak.optimal);
            let apply = |choice: &[usize]| {
                let mut days = vec![0u32; instance.items.len()];
                for &(i, k) in &fixed {
                    days[i] = instance.items[i].candidates[k].day;
                }
                for (&i, &k) in free.iter().zip(choice) {
                    days[i] = instance.items[i].candidates[k].day;
                }
                evaluate_with_units(&instance, &days, None)
            };
            let best_peak = apply(&peak.choice).0.peak;
            let want_peak = brute_min(&instance, &fixed, &free, &|o, _| o.peak, &|_, _| true);
            assert_eq!(Some(best_peak), want_peak, "seed {seed} peak");
            let limits = StageLimits {
                peak: Some(best_peak),
                ..StageLimits::default()
            };
            let pairs = solve_stage(
                &state,
                &free,
                StageGoal::Pairs,
                limits,
                None,
                Backend::Microlp,
                limit,
            )
            .expect("pairs stage solves");
            assert!(pairs.optimal);
            let got = apply(&pairs.choice).0;
            assert!(got.peak <= best_peak);
            let want = brute_min(&instance, &fixed, &free, &|o, _| o.clash_pairs, &|o, _| {
                o.peak <= best_peak
            });
            assert_eq!(Some(got.clash_pairs), want, "seed {seed} pairs");
            let risk = solve_stage(
                &state,
                &free,
                StageGoal::Risk,
                StageLimits::default(),
                None,
                Backend::Microlp,
                limit,
            )
            .expect("risk stage solves");
            assert!(risk.optimal);
            let (_, got_units) = apply(&risk.choice);
            let want = brute_min(&instance, &fixed, &free, &|_, u| u, &|_, _| true);
            assert_eq!(Some(got_units), want, "seed {seed} risk");
            checked += 1;
        }
        assert!(checked > 20);
    }
}
