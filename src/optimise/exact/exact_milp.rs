//! The whole instance as one lexicographic MILP per stage (the benchmark baseline).

use std::time::Duration;

use crate::optimise::bounds::{moves_and_shift_lower_bounds, pairs_lower_bound, peak_lower_bound};
use crate::optimise::deadline::{Deadline, StopReason};
use crate::optimise::greedy::construct;
use crate::optimise::instance::Instance;
use crate::optimise::layout::Layout;
use crate::optimise::milp::{solve_stage, MilpEffort, StageGoal, StageLimits};
use crate::optimise::objective::{evaluate, Objective};
use crate::optimise::options::{Backend, ObjectiveKind};
use crate::optimise::solution::{Solution, StageReport, Status};
use crate::optimise::state::State;
use crate::optimise::PlanError;

/// Solves the default lexicographic objective (peak, clash pairs, moves, shift) with one
/// full MILP per stage, earlier stages' values fixed as constraints. Starts from the
/// greedy plan and keeps the best plan known, so a solver failure or time-out only means
/// "not proven". Stages share `time_limit`.
pub fn solve_exact_milp(
    instance: &Instance,
    backend: Backend,
    time_limit: Duration,
) -> Result<Solution, PlanError> {
    if let Some(i) = instance
        .items
        .iter()
        .position(|item| item.candidates.is_empty())
    {
        return Err(PlanError::Infeasible {
            conflicts: vec![format!("item {i} has no allowed day")],
        });
    }
    if instance.items.iter().any(|item| {
        item.candidates
            .iter()
            .any(|c| c.day as usize >= instance.n_days)
            || item
                .components
                .iter()
                .any(|&c| c as usize >= instance.components.len())
    }) {
        return Err(PlanError::Solver("malformed instance".to_string()));
    }
    let pruned =
        crate::optimise::links::prune_by_links(instance).map_err(|c| PlanError::Infeasible {
            conflicts: vec![format!(
                "item {} has no day left that keeps its links",
                c.item
            )],
        })?;
    let instance = &pruned;
    // The baseline is time-limited by design (no node limit): it is what HiGHS or
    // microlp reach in the time given.
    let deadline = Deadline::after(time_limit);
    let layout = Layout::new(instance);
    let all: Vec<usize> = (0..instance.items.len()).collect();
    let mut state = State::new(instance, &layout, 0, None, ObjectiveKind::Default);
    construct(&mut state, &all, &deadline);
    let mut best: Vec<usize> = state.choice.iter().map(|&k| k as usize).collect();
    let mut best_objective = evaluate(instance, &state.days());
    let mut empty = State::new(instance, &layout, 0, None, ObjectiveKind::Default);
    let goals = [
        ("peak", StageGoal::Peak),
        ("clash_pairs", StageGoal::Pairs),
        ("moves", StageGoal::Moves),
        ("total_shift", StageGoal::Shift),
    ];
    let mut limits = StageLimits::default();
    let mut stages = Vec::new();
    let mut proven_so_far = true;
    for (name, goal) in goals {
        let outcome = solve_stage(
            &empty,
            &all,
            goal,
            limits,
            None,
            backend,
            MilpEffort {
                nodes: u64::MAX,
                deadline: &deadline,
            },
        );
        let mut optimal = false;
        if let Ok(outcome) = outcome {
            for (&i, &k) in all.iter().zip(&outcome.choice) {
                empty.add(i, k);
            }
            let objective = evaluate(instance, &empty.days());
            let keeps_links = empty.keeps_links(&all);
            for &i in &all {
                empty.remove(i);
            }
            if keeps_links
                && within(&objective, &limits)
                && value_of(&objective, goal) <= value_of(&best_objective, goal)
            {
                best = outcome.choice.clone();
                best_objective = objective;
                optimal = outcome.optimal;
            }
        }
        let value = value_of(&best_objective, goal);
        proven_so_far = proven_so_far && optimal;
        let static_bound = match goal {
            StageGoal::Peak => peak_lower_bound(instance, &all, &deadline),
            StageGoal::Pairs => pairs_lower_bound(instance, &all, &deadline),
            StageGoal::Moves => {
                moves_and_shift_lower_bounds(instance, &all, best_objective.peak, &deadline).0
            }
            StageGoal::Shift => {
                moves_and_shift_lower_bounds(instance, &all, best_objective.peak, &deadline).1
            }
            StageGoal::Risk | StageGoal::Excess(_) => 0,
        };
        let proven = proven_so_far
            || (stages.iter().all(|s: &StageReport| s.proven) && value <= static_bound);
        proven_so_far = proven;
        stages.push(StageReport {
            name,
            value: value as f64,
            lower_bound: if proven {
                value as f64
            } else {
                static_bound.min(value) as f64
            },
            proven,
        });
        match goal {
            StageGoal::Peak => limits.peak = Some(value),
            StageGoal::Pairs => limits.pairs = Some(value),
            StageGoal::Moves => limits.moves = Some(value),
            _ => {}
        }
    }
    let days: Vec<u32> = all
        .iter()
        .map(|&i| instance.items[i].candidates[best[i]].day)
        .collect();
    let objective = evaluate(instance, &days);
    Ok(Solution {
        days,
        objective,
        status: if proven_so_far {
            Status::Optimal
        } else {
            Status::Feasible
        },
        stopped_by: if deadline.fired() {
            StopReason::Time
        } else if proven_so_far {
            StopReason::Proven
        } else {
            StopReason::Effort
        },
        stages,
    })
}

fn value_of(objective: &Objective, goal: StageGoal) -> u64 {
    match goal {
        StageGoal::Peak => objective.peak,
        StageGoal::Pairs => objective.clash_pairs,
        StageGoal::Moves => objective.moves,
        StageGoal::Shift => objective.total_shift,
        StageGoal::Risk | StageGoal::Excess(_) => 0,
    }
}

fn within(objective: &Objective, limits: &StageLimits) -> bool {
    limits.peak.is_none_or(|p| objective.peak <= p)
        && limits.pairs.is_none_or(|p| objective.clash_pairs <= p)
        && limits.moves.is_none_or(|m| objective.moves <= m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::brute_force;
    use crate::optimise::instance::{Candidate, Component, Item};

    #[test]
    fn exact_milp_matches_brute_force_on_a_small_instance() {
        let instance = Instance {
            n_days: 5,
            components: vec![
                Component {
                    window: 1,
                    risk: 0.0,
                    multiplicity: 1,
                },
                Component {
                    window: 2,
                    risk: 0.0,
                    multiplicity: 1,
                },
            ],
            items: (0..6u32)
                .map(|i| Item {
                    weight: 1000 + 1000 * u64::from(i % 3),
                    components: if i % 2 == 0 { vec![0, 1] } else { vec![0] },
                    candidates: (i % 2..5)
                        .step_by(1 + (i as usize % 2))
                        .map(|d| Candidate {
                            day: d,
                            shift: d.abs_diff(2),
                        })
                        .collect(),
                    proposed: Some(2),
                    block: None,
                })
                .collect(),
            ..Default::default()
        };
        let reference = brute_force(&instance, ObjectiveKind::Default, None).expect("small");
        let solution =
            solve_exact_milp(&instance, Backend::Microlp, Duration::from_secs(20)).expect("solves");
        let (a, b) = (solution.objective, reference.objective);
        assert_eq!(
            (a.peak, a.clash_pairs, a.moves, a.total_shift),
            (b.peak, b.clash_pairs, b.moves, b.total_shift)
        );
        assert_eq!(solution.status, Status::Optimal);
    }
}
