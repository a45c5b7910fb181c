//! What the engine returns: the days, the objective and per-stage proof status.

use crate::optimise::deadline::StopReason;
use crate::optimise::objective::Objective;

/// The outcome of one lexicographic stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageReport {
    /// `"risk"`, `"peak"`, `"clash_pairs"`, `"moves"` or `"total_shift"`.
    pub name: &'static str,
    /// The value reached by the returned plan.
    pub value: f64,
    /// The best lower bound known for this stage, given the earlier stages at their
    /// reached values (a valid bound on the stage's optimum when the earlier stages are proven).
    pub lower_bound: f64,
    /// Whether `value` is proven optimal (all earlier stages proven too).
    pub proven: bool,
}

/// Whether the whole lexicographic optimum is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every stage is proven optimal.
    Optimal,
    /// A valid plan; at least one stage is not proven optimal.
    Feasible,
}

/// A plan found by the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The axis day of every item, in item order.
    pub days: Vec<u32>,
    /// The plan's objective values, recomputed with [`crate::optimise::evaluate`].
    pub objective: Objective,
    /// One report per lexicographic stage, in priority order.
    pub stages: Vec<StageReport>,
    /// `Optimal` when every stage is proven.
    pub status: Status,
    /// Why the engine stopped: everything proven, every deterministic work budget spent,
    /// or the wall-clock safety stop (only then may another run give another plan).
    pub stopped_by: StopReason,
}
