//! Property tests of the engine against exhaustive enumeration on tiny instances.

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::bounds::{
    moves_and_shift_lower_bounds, pairs_lower_bound, peak_lower_bound, risk_lower_bound,
};
use super::objective::{evaluate_with_units, RISK_SCALE};
use super::*;

/// A random tiny instance and a move budget (see the module tests' brief).
pub(crate) fn tiny_instance(seed: u64) -> (Instance, Option<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_days = rng.random_range(5..=9u32);
    let n_components = rng.random_range(1..=4usize);
    let components = (0..n_components)
        .map(|_| Component {
            window: if rng.random_bool(0.3) { 2 } else { 1 },
            risk: rng.random_range(1..=50u32) as f64 / 100.0,
            multiplicity: 1,
        })
        .collect();
    let n_items = rng.random_range(1..=8usize);
    let mut items = Vec::new();
    let mut must_move = 0;
    for _ in 0..n_items {
        let weight = if rng.random_bool(0.5) {
            1000 * rng.random_range(1..=3u64)
        } else {
            rng.random_range(1000..=3000u64)
        };
        let mut comps: Vec<u32> = (0..n_components as u32)
            .filter(|_| rng.random_bool(0.5))
            .collect();
        if comps.is_empty() {
            comps.push(rng.random_range(0..n_components as u32));
        }
        let n_candidates = if rng.random_bool(0.15) {
            1
        } else {
            rng.random_range(1..=5u32)
        };
        let mut days: Vec<u32> = (0..n_days).collect();
        // Partial Fisher-Yates to pick distinct days.
        for j in 0..n_candidates as usize {
            let pick = rng.random_range(j..days.len());
            days.swap(j, pick);
        }
        let mut chosen: Vec<u32> = days[..n_candidates as usize].to_vec();
        chosen.sort_unstable();
        let roll = rng.random_range(0..100u32);
        let proposed = if roll < 10 {
            None
        } else if roll < 25 {
            Some(rng.random_range(0..n_days))
        } else {
            Some(chosen[rng.random_range(0..chosen.len())])
        };
        if !proposed.is_some_and(|p| chosen.contains(&p)) {
            must_move += 1;
        }
        let candidates = chosen
            .iter()
            .map(|&day| Candidate {
                day,
                shift: proposed.map_or(1 + day % 3, |p| p.abs_diff(day)),
            })
            .collect();
        items.push(Item {
            weight,
            components: comps,
            candidates,
            proposed,
            block: None,
        });
    }
    let budget = if rng.random_bool(0.3) {
        Some(must_move + rng.random_range(0..=2u32))
    } else {
        None
    };
    (
        Instance {
            n_days: n_days as usize,
            components,
            items,
            ..Default::default()
        },
        budget,
    )
}

/// The plan that puts every item on its day in `days` (each a candidate day of its
/// item), default objective, no cap.
fn state_at<'a>(
    instance: &'a Instance,
    layout: &'a super::layout::Layout,
    budget: Option<u32>,
    days: &[u32],
) -> super::state::State<'a> {
    let mut state = super::state::State::new(instance, layout, 0, budget, ObjectiveKind::Default);
    for (i, item) in instance.items.iter().enumerate() {
        let k = item
            .candidates
            .iter()
            .position(|c| c.day == days[i])
            .expect("the plan uses a candidate");
        state.add(i, k);
    }
    state
}

fn options(kind: ObjectiveKind, budget: Option<u32>) -> SolveOptions {
    SolveOptions {
        objective: kind,
        max_moves: budget,
        ..SolveOptions::default()
    }
}

fn check_against_brute_force(seed: u64, kind: ObjectiveKind) -> Result<(), TestCaseError> {
    let (instance, budget) = tiny_instance(seed);
    let reference = brute_force(&instance, kind, budget).expect("tiny instance is enumerable");
    let solution = solve(&instance, &options(kind, budget)).expect("feasible by construction");
    let got = &solution.objective;
    let want = &reference.objective;
    prop_assert_eq!(
        (got.peak, got.clash_pairs, got.moves, got.total_shift),
        (want.peak, want.clash_pairs, want.moves, want.total_shift),
        "seed {}",
        seed
    );
    if kind == ObjectiveKind::Risk {
        prop_assert!((got.risk - want.risk).abs() < 1e-9);
    }
    prop_assert_eq!(solution.status, Status::Optimal);
    prop_assert!(solution.stages.iter().all(|s| s.proven));
    prop_assert_eq!(evaluate(&instance, &solution.days), solution.objective);
    if let Some(b) = budget {
        prop_assert!(got.moves <= u64::from(b));
    }
    // The proposed plan, when valid, is never beaten on peak by the engine's plan.
    let proposed: Option<Vec<u32>> = instance
        .items
        .iter()
        .map(|item| {
            item.proposed
                .filter(|p| item.candidates.iter().any(|c| c.day == *p))
        })
        .collect();
    if let (Some(proposed), ObjectiveKind::Default) = (proposed, kind) {
        prop_assert!(got.peak <= evaluate(&instance, &proposed).peak);
    }
    let again = solve(&instance, &options(kind, budget)).expect("feasible");
    prop_assert_eq!(again, solution);
    Ok(())
}

proptest! {
    #![proptest_config(crate::prop_config(150))]

    #[test]
    fn solve_matches_brute_force(seed in any::<u64>()) {
        check_against_brute_force(seed, ObjectiveKind::Default)?;
    }

    #[test]
    fn solve_matches_brute_force_for_risk(seed in any::<u64>()) {
        check_against_brute_force(seed, ObjectiveKind::Risk)?;
    }

    #[test]
    fn bounds_never_exceed_the_optimum(seed in any::<u64>()) {
        let (instance, _) = tiny_instance(seed);
        let all: Vec<usize> = (0..instance.items.len()).collect();
        let best = brute_force(&instance, ObjectiveKind::Default, None).expect("enumerable");
        let o = &best.objective;
        prop_assert!(peak_lower_bound(&instance, &all, &Deadline::never()) <= o.peak);
        prop_assert!(pairs_lower_bound(&instance, &all, &Deadline::never()) <= o.clash_pairs);
        let (moves, shift) = moves_and_shift_lower_bounds(&instance, &all, o.peak, &Deadline::never());
        prop_assert!(moves <= o.moves);
        prop_assert!(shift <= o.total_shift);
        if o.clash_pairs == pairs_lower_bound(&instance, &all, &Deadline::never()) {
            let tight = crate::optimise::moves_bound::moves_bound_at_pairs_bound(&instance, &all, &Deadline::never());
            prop_assert!(tight.is_some_and(|m| m <= o.moves), "{tight:?} > {}", o.moves);
        }
        let risky = brute_force(&instance, ObjectiveKind::Risk, None).expect("enumerable");
        let (_, units) = evaluate_with_units(&instance, &risky.days, None);
        prop_assert!(risk_lower_bound(&instance, &all, &Deadline::never()) <= units);
        prop_assert!(risk_lower_bound(&instance, &all, &Deadline::never()) as f64 / RISK_SCALE <= risky.objective.risk + 1e-9);
    }
}

/// `instance` with every component of multiplicity `k` written out as `k` identical
/// components of multiplicity 1 (what merging undoes).
fn expand(instance: &Instance) -> Instance {
    let mut first = Vec::new();
    let mut components = Vec::new();
    for component in &instance.components {
        first.push(components.len() as u32);
        for _ in 0..component.multiplicity.max(1) {
            components.push(Component {
                multiplicity: 1,
                ..component.clone()
            });
        }
    }
    let mut expanded = instance.clone();
    expanded.components = components;
    for item in &mut expanded.items {
        item.components = item
            .components
            .iter()
            .flat_map(|&c| {
                let k = instance.components[c as usize].multiplicity.max(1);
                let start = first[c as usize];
                (0..k).map(move |j| start + j)
            })
            .collect();
        assert!(item.block.is_none(), "tiny instances have no blocks");
    }
    expanded
}

/// Every engine path (search, bounds, exact stages, proofs) on an instance with
/// component multiplicities, against brute force on the same instance written out.
fn check_multiplicities(seed: u64, kind: ObjectiveKind) -> Result<(), TestCaseError> {
    let (mut instance, budget) = tiny_instance(seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x00c0_ffee);
    for component in &mut instance.components {
        component.multiplicity = rng.random_range(1..=3);
    }
    let expanded = expand(&instance);
    let reference = brute_force(&expanded, kind, budget).expect("tiny instance is enumerable");
    let want = &reference.objective;
    for (name, solution) in [
        (
            "merged",
            solve(&instance, &options(kind, budget)).expect("feasible"),
        ),
        (
            "expanded",
            solve(&expanded, &options(kind, budget)).expect("feasible"),
        ),
    ] {
        let got = &solution.objective;
        prop_assert_eq!(
            (got.peak, got.clash_pairs, got.moves, got.total_shift),
            (want.peak, want.clash_pairs, want.moves, want.total_shift),
            "{} seed {}",
            name,
            seed
        );
        if kind == ObjectiveKind::Risk {
            prop_assert!((got.risk - want.risk).abs() < 1e-9);
        }
        prop_assert_eq!(solution.status, Status::Optimal, "{} seed {}", name, seed);
        let (a, a_units) = evaluate_with_units(&instance, &solution.days, None);
        let (b, b_units) = evaluate_with_units(&expanded, &solution.days, None);
        prop_assert_eq!(
            (a.peak, a.clash_pairs, a.moves, a.total_shift, a_units),
            (b.peak, b.clash_pairs, b.moves, b.total_shift, b_units)
        );
    }
    let all: Vec<usize> = (0..instance.items.len()).collect();
    let never = Deadline::never();
    if kind == ObjectiveKind::Default && budget.is_none() {
        prop_assert!(pairs_lower_bound(&instance, &all, &never) <= want.clash_pairs);
        prop_assert!(
            crate::optimise::pairs_bound::best_pairs_bound(&instance, &all, &never)
                <= want.clash_pairs
        );
        if want.clash_pairs == pairs_lower_bound(&instance, &all, &never) {
            let tight =
                crate::optimise::moves_bound::moves_bound_at_pairs_bound(&instance, &all, &never);
            prop_assert!(
                tight.is_some_and(|m| m <= want.moves),
                "{tight:?} > {}",
                want.moves
            );
        }
    }
    if kind == ObjectiveKind::Risk && budget.is_none() {
        let (_, units) = evaluate_with_units(&expanded, &reference.days, None);
        prop_assert!(risk_lower_bound(&instance, &all, &never) <= units);
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::prop_config(100))]

    #[test]
    fn multiplicities_match_the_written_out_instance(seed in any::<u64>()) {
        check_multiplicities(seed, ObjectiveKind::Default)?;
    }

    #[test]
    fn multiplicities_match_the_written_out_instance_for_risk(seed in any::<u64>()) {
        check_multiplicities(seed, ObjectiveKind::Risk)?;
    }
}

/// A hand-built instance whose optimum follows by reasoning.
#[test]
fn stated_optimum_of_a_hand_built_instance() {
    // Component 0 (window 1) is shared by 5 unit items allowed on days 0..=2 (shift =
    // day), all proposed on day 0; item 5 (weight 2000, component 1 only) is fixed on day 1.
    // Peak: 5 items on 3 days need a day with two -> 2000 (the heavy item is 2000 too).
    // Pairs: the balanced split 2/2/1 gives 1 + 1 + 0 = 2. Moves: day 0 keeps at most
    // two -> 3 moves. Shift: the 3 movers split 2/1 over days 1 and 2 -> 2*1 + 1*2 = 4.
    let unit = |_: usize| Item {
        weight: 1000,
        components: vec![0],
        candidates: (0..3).map(|d| Candidate { day: d, shift: d }).collect(),
        proposed: Some(0),
        block: None,
    };
    let mut items: Vec<Item> = (0..5).map(unit).collect();
    items.push(Item {
        weight: 2000,
        components: vec![1],
        candidates: vec![Candidate { day: 1, shift: 0 }],
        proposed: Some(1),
        block: None,
    });
    let instance = Instance {
        n_days: 4,
        components: vec![
            Component {
                window: 1,
                risk: 0.0,
                multiplicity: 1,
            },
            Component {
                window: 1,
                risk: 0.0,
                multiplicity: 1,
            },
        ],
        items,
        ..Default::default()
    };
    let solution = solve(&instance, &SolveOptions::default()).expect("feasible");
    let o = solution.objective;
    assert_eq!(
        (o.peak, o.clash_pairs, o.moves, o.total_shift),
        (2000, 2, 3, 4)
    );
    assert_eq!(solution.status, Status::Optimal);
}

/// The bounds alone prove a balanced instance.
#[test]
fn four_items_two_days_proven_by_bounds() {
    let instance = Instance {
        n_days: 3,
        components: vec![Component {
            window: 1,
            risk: 0.0,
            multiplicity: 1,
        }],
        items: (0..4)
            .map(|_| Item {
                weight: 1000,
                components: vec![0],
                candidates: vec![
                    Candidate { day: 0, shift: 0 },
                    Candidate { day: 1, shift: 1 },
                ],
                proposed: Some(0),
                block: None,
            })
            .collect(),
        ..Default::default()
    };
    let solution = solve(&instance, &SolveOptions::default()).expect("feasible");
    assert_eq!(solution.objective.peak, 2000);
    assert_eq!(solution.objective.clash_pairs, 2);
    assert_eq!(solution.objective.moves, 2);
    assert!(solution
        .stages
        .iter()
        .all(|s| s.proven && s.lower_bound <= s.value));
}

/// Edge cases: no items, items without components, a single fixed item.
#[test]
fn degenerate_instances_are_solved() {
    let empty = Instance {
        n_days: 0,
        components: vec![],
        items: vec![],
        ..Default::default()
    };
    let solution = solve(&empty, &SolveOptions::default()).expect("empty is feasible");
    assert!(solution.days.is_empty());
    assert_eq!(solution.status, Status::Optimal);
    let loose = Instance {
        n_days: 3,
        components: vec![Component {
            window: 3,
            risk: 0.1,
            multiplicity: 1,
        }],
        items: vec![
            Item {
                weight: 1500,
                components: vec![],
                candidates: vec![
                    Candidate { day: 1, shift: 1 },
                    Candidate { day: 2, shift: 0 },
                ],
                proposed: Some(2),
                block: None,
            },
            Item {
                weight: 2500,
                components: vec![0],
                candidates: vec![Candidate { day: 0, shift: 0 }],
                proposed: Some(0),
                block: None,
            },
        ],
        ..Default::default()
    };
    let solution = solve(&loose, &SolveOptions::default()).expect("feasible");
    assert_eq!(solution.days, vec![2, 0]);
    assert_eq!(solution.objective.peak, 2500);
    assert_eq!(solution.status, Status::Optimal);
}

/// Malformed instances are reported, not panicked on.
#[test]
fn malformed_instances_are_errors() {
    let no_candidates = Instance {
        n_days: 2,
        components: vec![],
        items: vec![Item {
            weight: 1000,
            components: vec![],
            candidates: vec![],
            proposed: Some(0),
            block: None,
        }],
        ..Default::default()
    };
    assert!(matches!(
        solve(&no_candidates, &SolveOptions::default()),
        Err(PlanError::Infeasible { .. })
    ));
    let off_axis = Instance {
        n_days: 2,
        components: vec![],
        items: vec![Item {
            weight: 1000,
            components: vec![3],
            candidates: vec![Candidate { day: 5, shift: 0 }],
            proposed: None,
            block: None,
        }],
        ..Default::default()
    };
    assert!(matches!(
        solve(&off_axis, &SolveOptions::default()),
        Err(PlanError::Solver(_))
    ));
    let heavy = Instance {
        n_days: 2,
        components: vec![],
        items: vec![
            Item {
                weight: u64::MAX,
                components: vec![],
                candidates: vec![Candidate { day: 0, shift: 0 }],
                proposed: Some(0),
                block: None,
            };
            2
        ],
        ..Default::default()
    };
    assert!(matches!(
        solve(&heavy, &SolveOptions::default()),
        Err(PlanError::Solver(_))
    ));
    let (instance, _) = tiny_instance(11);
    let must_move = instance
        .items
        .iter()
        .filter(|item| {
            !item
                .proposed
                .is_some_and(|p| item.candidates.iter().any(|c| c.day == p))
        })
        .count() as u32;
    if must_move > 0 {
        let options = SolveOptions {
            max_moves: Some(must_move - 1),
            ..SolveOptions::default()
        };
        assert!(matches!(
            solve(&instance, &options),
            Err(PlanError::Infeasible { .. })
        ));
    }
}

/// A medium synthetic instance gives identical output on repeated runs, never a worse
/// peak than the proposed plan would (where it is valid), and bounds below the values.
#[test]
fn synthetic_runs_are_deterministic_and_consistent() {
    let instance = super::synthetic::synthetic_instance(150, 5);
    let options = SolveOptions::default();
    let first = solve(&instance, &options).expect("feasible");
    let second = solve(&instance, &options).expect("feasible");
    assert_eq!(first, second);
    assert_eq!(evaluate(&instance, &first.days), first.objective);
    for stage in &first.stages {
        assert!(stage.lower_bound <= stage.value, "{stage:?}");
    }
    for (item, &day) in instance.items.iter().zip(&first.days) {
        assert!(item.candidates.iter().any(|c| c.day == day));
    }
}

/// A 48-item group (too big for the branch and bound, small enough for the MILP stages)
/// gives the same objective as the whole-instance lexicographic MILP when both prove it.
#[test]
fn milp_stages_agree_with_the_whole_instance_milp() {
    let items: Vec<Item> = (0..48u32)
        .map(|i| {
            let first = (i * 7) % 20;
            let proposed = first + (i % 2);
            Item {
                weight: 1000 * (1 + u64::from(i % 3)),
                components: if i % 4 == 0 { vec![0, 1] } else { vec![0] },
                candidates: (first..first + 2 + (i % 2))
                    .map(|day| Candidate {
                        day,
                        shift: day.abs_diff(proposed),
                    })
                    .collect(),
                proposed: Some(proposed),
                block: None,
            }
        })
        .collect();
    let instance = Instance {
        n_days: 23,
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
        items,
        ..Default::default()
    };
    let engine = solve(&instance, &SolveOptions::default()).expect("feasible");
    let reference = solve_exact_milp(
        &instance,
        Backend::Microlp,
        std::time::Duration::from_secs(3),
    )
    .expect("solves");
    for stage in &engine.stages {
        assert!(stage.lower_bound <= stage.value, "{stage:?}");
    }
    if reference.status == Status::Optimal {
        let (a, b) = (engine.objective, reference.objective);
        assert!(a.peak >= b.peak);
        if engine.stages.iter().all(|s| s.proven) {
            assert_eq!(
                (a.peak, a.clash_pairs, a.moves, a.total_shift),
                (b.peak, b.clash_pairs, b.moves, b.total_shift)
            );
        }
    }
    eprintln!(
        "engine {:?}\nreference {:?}",
        engine.stages, reference.stages
    );
}

/// Extreme time limits neither panic nor change the result on a tiny instance.
#[test]
fn extreme_time_limits_are_safe() {
    let (instance, budget) = tiny_instance(3);
    let long = SolveOptions {
        time_limit: std::time::Duration::MAX,
        max_moves: budget,
        ..SolveOptions::default()
    };
    let normal = SolveOptions {
        max_moves: budget,
        ..SolveOptions::default()
    };
    assert_eq!(
        solve(&instance, &long).expect("feasible"),
        solve(&instance, &normal).expect("feasible")
    );
    let zero = SolveOptions {
        time_limit: std::time::Duration::ZERO,
        max_moves: budget,
        ..SolveOptions::default()
    };
    let rushed = solve(&instance, &zero).expect("still a plan");
    assert_eq!(evaluate(&instance, &rushed.days), rushed.objective);
    assert!(solve_exact_milp(&instance, Backend::Microlp, std::time::Duration::MAX).is_ok());
}

/// A deadline that has already passed still gives a complete plan on allowed days,
/// marked as stopped by time, within the move budget, and never worse than leaving every
/// item on its proposed day (its first candidate in greedy order).
#[test]
fn a_passed_deadline_still_gives_a_valid_plan_stopped_by_time() {
    for seed in 0..40u64 {
        let (instance, budget) = tiny_instance(seed);
        let options = SolveOptions {
            max_moves: budget,
            ..SolveOptions::default()
        };
        let passed = Deadline::after(std::time::Duration::ZERO);
        let Ok(solution) = solve_until(&instance, &options, &passed) else {
            continue;
        };
        assert_eq!(solution.stopped_by, StopReason::Time, "seed {seed}");
        assert_eq!(evaluate(&instance, &solution.days), solution.objective);
        for (item, day) in instance.items.iter().zip(&solution.days) {
            assert!(item.candidates.iter().any(|c| c.day == *day), "seed {seed}");
        }
        assert!(budget.is_none_or(|b| solution.objective.moves <= u64::from(b)));
        let stay: Vec<u32> = instance
            .items
            .iter()
            .map(|item| {
                item.proposed
                    .filter(|p| item.candidates.iter().any(|c| c.day == *p))
                    .unwrap_or_else(|| {
                        item.candidates
                            .iter()
                            .min_by_key(|c| (c.shift, c.day))
                            .map_or(0, |c| c.day)
                    })
            })
            .collect();
        let home = evaluate(&instance, &stay);
        if budget.is_none_or(|b| home.moves <= u64::from(b)) {
            let o = &solution.objective;
            assert!(
                (o.peak, o.clash_pairs) <= (home.peak, home.clash_pairs),
                "seed {seed}: {o:?} worse than staying {home:?}"
            );
        }
    }
}

/// Effort, not time, decides the plan: with no deadline and with a far one that never
/// fires, the solutions are identical and not stopped by time.
#[test]
fn a_deadline_that_does_not_fire_changes_nothing() {
    let mut instances: Vec<(Instance, Option<u32>)> = (0..15u64).map(tiny_instance).collect();
    instances.push((synthetic::synthetic_instance(150, 3), None));
    for (instance, budget) in &instances {
        let options = SolveOptions {
            max_moves: *budget,
            ..SolveOptions::default()
        };
        let Ok(free) = solve_until(instance, &options, &Deadline::never()) else {
            continue;
        };
        let far = Deadline::after(std::time::Duration::from_secs(3600));
        let timed = solve_until(instance, &options, &far).expect("feasible as before");
        assert_ne!(free.stopped_by, StopReason::Time);
        assert!(!far.fired());
        assert_eq!(free, timed);
    }
}

proptest! {
    #![proptest_config(crate::prop_config(300))]

    /// The relaxation bounds (`relaxation::relaxed_bounds`) never exceed the true optimum's
    /// clash pairs, moves and shift, with and without links: measured at the brute-force
    /// optimum's peak and clash pairs (where they bound the lexicographic optimum).
    #[test]
    fn relaxation_bounds_never_exceed_the_optimum(seed in any::<u64>(), linked in any::<bool>()) {
        let (mut instance, budget) = tiny_instance(seed);
        if linked {
            // Links every earlier item of a random plan to a later one, so that plan
            // (and so the instance) stays feasible.
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
            let plan: Vec<u32> = instance
                .items
                .iter()
                .map(|item| item.candidates[rng.random_range(0..item.candidates.len())].day)
                .collect();
            let n = instance.items.len() as u32;
            for a in 0..n {
                for b in 0..n {
                    let gap = instance.day_number(plan[b as usize]) - instance.day_number(plan[a as usize]);
                    if gap > 0 && rng.random_bool(0.3) {
                        instance.links.push(Link { before: a, after: b, min_days: rng.random_range(1..=gap) });
                    }
                }
            }
        }
        let Some(reference) = brute_force(&instance, ObjectiveKind::Default, budget) else {
            return Ok(());
        };
        let layout = super::layout::Layout::new(&instance);
        let mut state = state_at(&instance, &layout, budget, &reference.days);
        let optimum = &reference.objective;
        let bounds = super::relaxation::relaxed_bounds(&mut state, budget, Backend::Microlp, &Deadline::never(), 0, false, false);
        if let Some(p) = bounds.pairs {
            prop_assert!(p <= optimum.clash_pairs, "pairs bound {p} > optimum {}", optimum.clash_pairs);
        }
        let (moves, shift) = (bounds.moves, bounds.shift);
        if let Some(m) = moves {
            prop_assert!(m <= optimum.moves, "moves bound {m} > optimum {}", optimum.moves);
        }
        if let Some(s) = shift {
            prop_assert!(s <= optimum.total_shift, "shift bound {s} > optimum {}", optimum.total_shift);
        }
    }
}

/// The relaxation bounds are computed on tiny instances (so the property above is not
/// vacuous), and on some of them they prove the moves.
#[test]
fn relaxation_bounds_are_computed_and_sometimes_tight() {
    let (mut computed, mut tight) = (0, 0);
    let (mut pairs_computed, mut pairs_tight) = (0, 0);
    for seed in 0..100u64 {
        let (instance, budget) = tiny_instance(seed);
        let Some(reference) = brute_force(&instance, ObjectiveKind::Default, budget) else {
            continue;
        };
        let layout = super::layout::Layout::new(&instance);
        let mut state = state_at(&instance, &layout, budget, &reference.days);
        let bounds = super::relaxation::relaxed_bounds(
            &mut state,
            budget,
            Backend::Microlp,
            &Deadline::never(),
            0,
            false,
            false,
        );
        if let Some(m) = bounds.moves {
            computed += 1;
            tight += usize::from(m == reference.objective.moves);
        }
        if let Some(p) = bounds.pairs {
            pairs_computed += 1;
            pairs_tight += usize::from(p == reference.objective.clash_pairs);
        }
    }
    assert!(computed >= 80, "computed on {computed} of 100");
    assert!(tight >= 20, "tight on {tight} of {computed}");
    assert!(
        pairs_computed >= 80,
        "pairs computed on {pairs_computed} of 100"
    );
    assert!(
        pairs_tight >= 20,
        "pairs tight on {pairs_tight} of {pairs_computed}"
    );
}

proptest! {
    #![proptest_config(crate::prop_config(200))]

    /// LP-guided rounding (`relaxed_bounds` with repair) starting from a random plan that
    /// keeps the links: the plan never gets worse on the key, keeps every link and the
    /// budget, and its incremental values are those of the plan evaluated from scratch.
    #[test]
    fn lp_guided_rounding_never_worsens_a_plan_nor_breaks_a_link(seed in any::<u64>()) {
        let (mut instance, budget) = tiny_instance(seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xface);
        let plan: Vec<usize> = instance
            .items
            .iter()
            .map(|item| rng.random_range(0..item.candidates.len()))
            .collect();
        let day = |instance: &Instance, i: usize| instance.day_number(instance.items[i].candidates[plan[i]].day);
        let n = instance.items.len();
        let mut links = Vec::new();
        for a in 0..n {
            for b in 0..n {
                let gap = day(&instance, b) - day(&instance, a);
                if gap > 0 && rng.random_bool(0.25) {
                    links.push(Link { before: a as u32, after: b as u32, min_days: rng.random_range(1..=gap) });
                }
            }
        }
        instance.links = links;
        let layout = super::layout::Layout::new(&instance);
        // No budget: a random plan may move any number of items.
        let _ = budget;
        let mut state = super::state::State::new(&instance, &layout, 0, None, ObjectiveKind::Default);
        for (i, &k) in plan.iter().enumerate() {
            state.add(i, k);
        }
        let all: Vec<usize> = (0..n).collect();
        prop_assert!(state.keeps_links(&all));
        let before = state.key();
        let _ = super::relaxation::relaxed_bounds(&mut state, None, Backend::Microlp, &Deadline::never(), 10_000, false, false);
        prop_assert!(state.key() <= before);
        prop_assert!(state.keeps_links(&all));
        let (objective, _) = state.objective();
        prop_assert_eq!(evaluate(&instance, &state.days()), objective);
    }
}

/// LP-guided rounding does improve random plans (the property above is not vacuous).
#[test]
fn lp_guided_rounding_improves_random_plans() {
    let mut improved = 0;
    for seed in 0..100u64 {
        let (instance, _) = tiny_instance(seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xface);
        let layout = super::layout::Layout::new(&instance);
        let mut state =
            super::state::State::new(&instance, &layout, 0, None, ObjectiveKind::Default);
        for (i, item) in instance.items.iter().enumerate() {
            state.add(i, rng.random_range(0..item.candidates.len()));
        }
        let before = state.key();
        let _ = super::relaxation::relaxed_bounds(
            &mut state,
            None,
            Backend::Microlp,
            &Deadline::never(),
            10_000,
            false,
            false,
        );
        improved += usize::from(state.key() < before);
    }
    assert!(improved >= 10, "improved {improved} of 100 random plans");
}

proptest! {
    #![proptest_config(crate::prop_config(200))]

    /// The MILP stages of a group whose earlier stages are known (`milp_stages` with the
    /// pairs at their bound, and the moves optimal) skip those stages' MILPs and still
    /// report only true optima: run from the brute-force optimum, every stage value they
    /// claim is the optimum's, and the plan stays an optimum.
    #[test]
    fn milp_stages_with_known_stages_claim_only_optima(seed in any::<u64>(), moves_optimal in any::<bool>()) {
        let (instance, budget) = tiny_instance(seed);
        let Some(reference) = brute_force(&instance, ObjectiveKind::Default, budget) else {
            return Ok(());
        };
        let layout = super::layout::Layout::new(&instance);
        let mut state = state_at(&instance, &layout, budget, &reference.days);
        let cap = state.peak();
        state.set_cap(cap);
        let optimum = &reference.objective;
        let key = state.key();
        let items: Vec<usize> = (0..instance.items.len()).collect();
        let proven = super::milp_groups::milp_stages(
            &mut state,
            &items,
            cap,
            Some(optimum.clash_pairs),
            moves_optimal,
            &options(ObjectiveKind::Default, budget),
            super::milp::MilpEffort { nodes: 2_000, deadline: &Deadline::never() },
        );
        prop_assert_eq!(proven[0], Some(optimum.clash_pairs), "pairs at their bound are proven");
        if moves_optimal {
            prop_assert_eq!(proven[1], Some(optimum.moves), "known moves are proven");
        }
        for (value, truth) in proven.iter().zip([optimum.clash_pairs, optimum.moves, optimum.total_shift]) {
            if let Some(value) = value {
                prop_assert_eq!(*value, truth);
            }
        }
        prop_assert_eq!(state.key(), key, "an optimum stays an optimum");
    }
}
