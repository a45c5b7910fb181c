//! The wall-clock safety stop shared by every phase of a run, and why a run stopped.
//!
//! Search effort is counted in deterministic work units (add/remove operations, trial
//! moves, branch-and-bound nodes, MILP nodes), so the same input and options give the
//! same plan on any machine. The wall clock is only a safety stop: a [`Deadline`] that
//! every phase checks. Whenever a check finds it passed (or a solver reports that it
//! stopped on the clock), the deadline records that it *fired*; the run then reports
//! [`StopReason::Time`], the one case where the plan may depend on the machine's speed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest wall-clock limit honoured (longer limits are clamped to it, so that
/// `now + limit` cannot overflow).
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// Why the engine stopped improving the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Every stage is proven optimal.
    Proven,
    /// Every stage spent its deterministic work budget (or had nothing left to try):
    /// the same input and options give the same plan on any machine.
    Effort,
    /// The wall-clock safety stop (`--time-limit`) fired: the plan is the best found in
    /// time, and another run may find a different one.
    Time,
}

impl StopReason {
    /// `"proven"`, `"effort"` or `"time"` (as in `plan --json`'s `stopped_by`).
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Proven => "proven",
            StopReason::Effort => "effort",
            StopReason::Time => "time",
        }
    }
}

/// A wall-clock safety stop, shared (cheaply cloned) by every phase of one run.
///
/// Clones share the record of whether it fired. A *share* ([`Deadline::share`]) is an
/// earlier stop for one phase that also shares that record, so that a phase cut by its
/// share marks the whole run as stopped by time.
#[derive(Clone, Debug)]
pub struct Deadline {
    /// When the run started (the time limit counts from there).
    start: Instant,
    end: Option<Instant>,
    fired: Arc<AtomicBool>,
}

impl Deadline {
    /// A deadline `limit` from now (clamped to [`MAX_TIME_LIMIT`]).
    pub fn after(limit: Duration) -> Self {
        let start = Instant::now();
        Deadline {
            start,
            end: start.checked_add(limit.min(MAX_TIME_LIMIT)),
            fired: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A deadline that never passes (tests, brute-force references).
    pub fn never() -> Self {
        Deadline {
            start: Instant::now(),
            end: None,
            fired: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether the deadline has passed; if so, records that it fired (shared with every
    /// clone and slice).
    pub fn expired(&self) -> bool {
        match self.end {
            Some(end) if Instant::now() >= end => {
                self.fire();
                true
            }
            _ => false,
        }
    }

    /// Whether any check found the deadline (or one of its slices) passed, or a solver
    /// stopped on it: the run's result may then depend on the machine's speed.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::Relaxed)
    }

    /// Records that the safety stop cut something short (e.g. a solver reached the
    /// time limit it was given).
    pub fn fire(&self) {
        self.fired.store(true, Ordering::Relaxed);
    }

    /// Time left (zero once passed; [`MAX_TIME_LIMIT`] for [`Deadline::never`]).
    pub fn remaining(&self) -> Duration {
        match self.end {
            Some(end) => end.saturating_duration_since(Instant::now()),
            None => MAX_TIME_LIMIT,
        }
    }

    /// A deadline for one phase: when `share` (0 to 1) of the whole time, from the run's
    /// start to `self`, has passed. It shares the record of firing, so cutting a phase
    /// short counts as the safety stop (while `self` itself only passes at its own time,
    /// so the later phases still run). The share of [`Deadline::never`] never passes.
    pub fn share(&self, share: f64) -> Deadline {
        let end = self.end.map(|end| {
            let whole = end.saturating_duration_since(self.start);
            let part = whole.mul_f64(share.clamp(0.0, 1.0));
            self.start.checked_add(part).map_or(end, |e| e.min(end))
        });
        Deadline {
            start: self.start,
            end,
            fired: Arc::clone(&self.fired),
        }
    }

    /// The same deadline, with its shares ([`Deadline::share`]) counted from now rather
    /// than from the run's start (for a phase that starts late, e.g. after reading).
    pub fn from_now(&self) -> Deadline {
        Deadline {
            start: Instant::now(),
            end: self.end,
            fired: Arc::clone(&self.fired),
        }
    }

    /// A deadline `reserve` earlier than `self` (for the phases that must still run after
    /// the search), sharing its record of firing.
    pub fn before(&self, reserve: Duration) -> Deadline {
        Deadline {
            start: self.start,
            end: self
                .end
                .map(|end| end.checked_sub(reserve).unwrap_or(end).max(self.start)),
            fired: Arc::clone(&self.fired),
        }
    }
}

/// A deterministic work counter with a budget, for loops whose effort is not already
/// counted by a search state (bounds, MILP preparation): `spend` returns `false` once the
/// budget is used up or the deadline passed (checked every few thousand units).
#[derive(Debug)]
pub(crate) struct Work<'d> {
    used: u64,
    budget: u64,
    next_check: u64,
    deadline: &'d Deadline,
    /// Whether a look at the clock found the deadline passed.
    timed_out: bool,
}

/// Work units between two looks at the clock.
const CHECK_EVERY: u64 = 1 << 14;

impl<'d> Work<'d> {
    /// A counter allowing `budget` units before `deadline`.
    pub(crate) fn new(budget: u64, deadline: &'d Deadline) -> Self {
        Work {
            used: 0,
            budget,
            next_check: CHECK_EVERY,
            deadline,
            timed_out: false,
        }
    }

    /// Counts `units` of work; `false` when the budget is spent or the deadline passed
    /// (the caller then gives up on its result, or keeps what it has).
    pub(crate) fn spend(&mut self, units: u64) -> bool {
        self.used = self.used.saturating_add(units);
        if self.used > self.budget {
            return false;
        }
        if self.timed_out {
            return false;
        }
        if self.used >= self.next_check {
            self.next_check = self.used.saturating_add(CHECK_EVERY);
            if self.deadline.expired() {
                self.timed_out = true;
                return false;
            }
        }
        true
    }

    /// Whether the counter can still spend (budget left, deadline not found passed).
    pub(crate) fn ok(&self) -> bool {
        self.used <= self.budget && !self.timed_out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_limit_fires_and_is_remembered_by_clones_and_slices() {
        let deadline = Deadline::after(Duration::ZERO);
        let part = deadline.share(0.5);
        assert!(!deadline.fired());
        assert!(part.expired());
        assert!(deadline.fired(), "a share shares the record");
        assert!(deadline.clone().expired());
        assert_eq!(deadline.remaining(), Duration::ZERO);
    }

    #[test]
    fn a_passed_share_leaves_the_rest_of_the_time_to_later_phases() {
        let deadline = Deadline::after(Duration::from_secs(3600));
        let phase = deadline.share(0.0);
        assert!(phase.expired());
        assert!(deadline.fired(), "cutting a phase short is the safety stop");
        assert!(
            !deadline.expired(),
            "but the run's own deadline has not passed"
        );
        assert!(deadline.remaining() > Duration::from_secs(3000));
    }

    #[test]
    fn never_and_long_limits_do_not_fire() {
        let never = Deadline::never();
        assert!(!never.expired());
        assert!(!never.share(0.1).expired());
        let long = Deadline::after(Duration::MAX);
        assert!(!long.expired());
        assert!(!long.before(Duration::from_secs(1)).expired());
        assert!(long.remaining() > Duration::from_secs(3600));
        assert!(!long.fired());
    }

    #[test]
    fn work_budget_is_deterministic() {
        let never = Deadline::never();
        let mut work = Work::new(10, &never);
        assert!(work.spend(4));
        assert!(work.spend(6));
        assert!(!work.spend(1));
        assert!(!work.ok());
        assert!(!never.fired(), "running out of work is not the clock");
    }

    #[test]
    fn work_stops_at_a_passed_deadline_and_records_it() {
        let passed = Deadline::after(Duration::ZERO);
        let mut work = Work::new(u64::MAX, &passed);
        assert!(!work.spend(CHECK_EVERY));
        assert!(passed.fired());
    }
}
