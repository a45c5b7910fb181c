//! Anytime improvement rounds: after the stages, while the plan is not proven, batches
//! of independent annealing runs from the best plan, each on its own random stream,
//! run on the available threads and merged deterministically.
//!
//! A batch is always the same [`BATCH`] runs (streams numbered from the batch), whatever
//! the number of threads: threads only decide how many run at once. The batch's result
//! is its best plan by the lexicographic key, ties to the lowest stream, and it replaces
//! the plan only when it is better. Rounds stop when the plan meets the bounds known so
//! far, after a stretch of batches without improvement ([`patience`]: a third of the
//! batches the budget holds, 1 to [`MAX_STALL_BATCHES`]), when the work budget (annealing
//! trials, set by the caller from `--time-limit`) is spent, or at the safety stop. So the
//! same input and options give the same plan on any machine and with any `--threads`,
//! unless the safety stop fired (which the solution then says).

use std::num::NonZeroUsize;

use crate::optimise::deadline::Deadline;
use crate::optimise::local_search::improve;
use crate::optimise::objective::Key;
use crate::optimise::pairs_search::{anneal_once, pairs_trials};
use crate::optimise::state::State;

/// Annealing runs per batch (independent of the thread count).
pub(crate) const BATCH: u64 = 4;
/// Most batches in a row that may fail to improve the plan before the rounds stop.
pub(crate) const MAX_STALL_BATCHES: u64 = 8;

/// Batches in a row that may fail to improve the plan before the rounds stop, for a
/// budget of `budget_batches` batches: a third of them (at least 1, at most
/// [`MAX_STALL_BATCHES`]). Under the default time limit the budget of a calendar of a few
/// hundred releases or more holds one or two batches, so the rounds stop at the first
/// batch without improvement as before; a longer `--time-limit` buys patience too (on
/// 500 generated releases, `--time-limit 300`: the third batch found the clash-pairs
/// optimum after one without improvement). Deterministic: it depends on the budget, not
/// on the clock.
pub(crate) fn patience(budget_batches: u64) -> u64 {
    (budget_batches / 3).clamp(1, MAX_STALL_BATCHES)
}

/// A run's plan and key when it beat the batch's starting plan.
type RunResult = Option<(Key, Vec<u32>)>;

/// What the rounds may spend.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoundsLimits {
    /// Annealing trials in all (each run counts its whole trial budget).
    pub(crate) trials: u64,
    /// Local-search operations of the descent after each run.
    pub(crate) descent: u64,
    /// Threads that run a batch's runs at once (at least 1).
    pub(crate) threads: NonZeroUsize,
    /// Move budget (`--max-moves`).
    pub(crate) max_moves: Option<u32>,
}

/// What the rounds did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RoundsReport {
    /// Batches run.
    pub(crate) batches: u64,
    /// Batches that improved the plan.
    pub(crate) improved: u64,
}

/// One run of a batch: from a copy of `base`, anneal on `stream`, then descend.
/// Returns the resulting key and plan, or `None` when it is no better than `base`.
fn run(
    base: &State<'_>,
    items: &[usize],
    stream: u64,
    limits: RoundsLimits,
    deadline: &Deadline,
) -> RunResult {
    let mut state = base.clone();
    anneal_once(&mut state, items, stream, limits.max_moves, deadline);
    improve(&mut state, items, limits.descent, deadline, false);
    let key = state.key();
    (key < base.key()).then(|| (key, state.choice.clone()))
}

/// Improves `state` (cap met, every item assigned) by batches of annealing runs over
/// `items` until `proven(state)`, the limits, or the deadline. Never makes it worse.
/// `after_batch` is told the plan after each batch (for the progress line).
pub(crate) fn improve_by_rounds(
    state: &mut State<'_>,
    items: &[usize],
    limits: RoundsLimits,
    deadline: &Deadline,
    proven: impl Fn(&State<'_>) -> bool,
    after_batch: impl Fn(&State<'_>, RoundsReport),
) -> RoundsReport {
    let mut report = RoundsReport::default();
    let mut spent = 0u64;
    let mut stall = 0u64;
    // Trials of one run (as `anneal_once` counts them), known before running it.
    let trials = pairs_trials(state.instance, items);
    if trials == 0 {
        return report;
    }
    let patience = patience(limits.trials / BATCH.saturating_mul(trials));
    while !proven(state) && stall < patience && !deadline.expired() {
        if spent.saturating_add(BATCH * trials) > limits.trials {
            break;
        }
        spent += BATCH * trials;
        let first_stream = 1 + report.batches * BATCH;
        let streams: Vec<u64> = (first_stream..first_stream + BATCH).collect();
        let base: &State<'_> = state;
        let mut results: Vec<RunResult> = vec![None; streams.len()];
        let threads = limits.threads.get().min(streams.len());
        if threads <= 1 {
            for (slot, &stream) in results.iter_mut().zip(&streams) {
                *slot = run(base, items, stream, limits, deadline);
            }
        } else {
            // Run k of the batch goes to thread k % threads; results land in their slot.
            // A thread the system cannot start runs its share here instead.
            let share = |t: usize| -> Vec<(usize, u64)> {
                streams
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|(k, _)| k % threads == t)
                    .collect()
            };
            let work = |mine: Vec<(usize, u64)>| -> Vec<(usize, RunResult)> {
                mine.into_iter()
                    .map(|(k, stream)| (k, run(base, items, stream, limits, deadline)))
                    .collect()
            };
            std::thread::scope(|scope| {
                let mut done = Vec::new();
                let mut handles = Vec::new();
                for t in 0..threads {
                    let mine = share(t);
                    match std::thread::Builder::new().spawn_scoped(scope, {
                        let mine = mine.clone();
                        move || work(mine)
                    }) {
                        Ok(handle) => handles.push(handle),
                        Err(_) => done.extend(work(mine)),
                    }
                }
                for handle in handles {
                    // A run that panicked is a bug; its slot stays empty (no result).
                    if let Ok(results_of_thread) = handle.join() {
                        done.extend(results_of_thread);
                    }
                }
                for (k, result) in done {
                    results[k] = result;
                }
            });
        }
        report.batches += 1;
        // The best run, ties to the lowest stream.
        let best = results.into_iter().flatten().min_by(|a, b| a.0.cmp(&b.0));
        match best {
            Some((key, choice)) if key < state.key() => {
                state.restore_to(&choice);
                report.improved += 1;
                stall = 0;
            }
            _ => stall += 1,
        }
        after_batch(state, report);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Instance, Item};
    use crate::optimise::layout::Layout;
    use crate::optimise::objective::evaluate;
    use crate::optimise::options::ObjectiveKind;

    /// 40 items on 3 overlapping failure points, each allowed on 4 of 10 days.
    fn instance() -> Instance {
        Instance {
            n_days: 10,
            components: (0..3)
                .map(|_| Component {
                    window: 1,
                    risk: 0.0,
                    multiplicity: 1,
                })
                .collect(),
            items: (0..40u32)
                .map(|i| {
                    let first = (i * 3) % 7;
                    Item {
                        weight: 1000,
                        components: if i % 4 == 0 { vec![0, 1] } else { vec![i % 3] },
                        candidates: (first..first + 4)
                            .map(|d| Candidate {
                                day: d,
                                shift: d.abs_diff(first),
                            })
                            .collect(),
                        proposed: Some(first),
                        block: None,
                    }
                })
                .collect(),
            ..Default::default()
        }
    }

    fn limits(threads: usize, trials: u64) -> RoundsLimits {
        RoundsLimits {
            trials,
            descent: 10_000,
            threads: NonZeroUsize::new(threads).unwrap(),
            max_moves: None,
        }
    }

    /// The plan after the rounds, its key, and the report, from everything on day one.
    fn rounds(threads: usize, trials: u64, proven: bool) -> (Vec<u32>, Key, Key, RoundsReport) {
        let instance = instance();
        let layout = Layout::new(&instance);
        let mut state = State::new(&instance, &layout, 0, None, ObjectiveKind::Default);
        state.set_cap(u64::MAX);
        for i in 0..instance.items.len() {
            state.add(i, 0);
        }
        let start = state.key();
        let items: Vec<usize> = (0..instance.items.len()).collect();
        let report = improve_by_rounds(
            &mut state,
            &items,
            limits(threads, trials),
            &Deadline::never(),
            |_| proven,
            |_, _| {},
        );
        let objective = evaluate(&instance, &state.days());
        assert_eq!(
            objective.clash_pairs, state.pairs,
            "the state's figures are the plan's"
        );
        (state.choice.clone(), start, state.key(), report)
    }

    #[test]
    fn rounds_improve_and_never_depend_on_the_thread_count() {
        let (one, start, key, report) = rounds(1, u64::MAX, false);
        assert!(
            key < start,
            "the rounds improve a plan with everything on day one"
        );
        assert!(
            report.batches > report.improved,
            "they stop after a batch without improvement"
        );
        for threads in [2, 3, 8] {
            let (plan, _, k, r) = rounds(threads, u64::MAX, false);
            assert_eq!(
                (plan, k, r),
                (one.clone(), key, report),
                "{threads} threads"
            );
        }
    }

    #[test]
    fn patience_is_a_third_of_the_budget_within_limits() {
        assert_eq!(
            [0, 1, 2, 3, 5, 6, 9, 24, 30, u64::MAX].map(patience),
            [1, 1, 1, 1, 1, 2, 3, 8, 8, 8]
        );
    }

    #[test]
    fn a_larger_budget_waits_longer_for_an_improvement() {
        let per_batch = BATCH * 8_000 * 40;
        let (_, _, short_key, short) = rounds(2, 2 * per_batch, false);
        let (_, _, long_key, long) = rounds(2, 30 * per_batch, false);
        // With two batches' budget the rounds stop at the first batch without
        // improvement; with thirty they wait up to eight such batches in a row.
        assert!(short.batches <= 2);
        assert!(short.batches == 2 || short.batches - short.improved == 1);
        assert!(
            long.batches == 30 || long.batches - long.improved >= MAX_STALL_BATCHES,
            "eight batches without improvement before stopping: {long:?}"
        );
        assert!(long.batches > short.batches);
        assert!(long_key <= short_key);
    }

    #[test]
    fn rounds_stop_when_proven_or_when_a_batch_does_not_fit_the_budget() {
        let (_, start, key, report) = rounds(2, u64::MAX, true);
        assert_eq!((key, report.batches), (start, 0));
        let per_batch = BATCH * 8_000 * 40;
        let (_, start, key, report) = rounds(2, per_batch - 1, false);
        assert_eq!((key, report.batches), (start, 0));
        let (_, _, _, report) = rounds(2, per_batch, false);
        assert_eq!(report.batches, 1);
    }
}
