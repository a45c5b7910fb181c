//! TEMPORARY stand-in for the engine (replaced when the engine branch merges).

use std::sync::Arc;
use std::time::Duration;

use super::{Instance, PlanError};

/// Options of [`solve`].
#[derive(Clone)]
#[allow(clippy::type_complexity)]
pub struct SolveOptions {
    /// Wall-clock safety stop.
    pub time_limit: Duration,
    /// At most this many moves.
    pub max_moves: Option<u32>,
    /// Objective order.
    pub objective: ObjectiveKind,
    /// MILP backend.
    pub backend: Backend,
    /// Stage messages.
    pub progress: Option<Arc<dyn Fn(&str) + Send + Sync>>,
}

/// Objective order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectiveKind {
    /// peak, pairs, moves, shift.
    Default,
    /// risk first.
    Risk,
}

/// MILP backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Pure Rust.
    Microlp,
}

/// Objective values.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Peak.
    pub peak: u64,
    /// Pairs.
    pub clash_pairs: u64,
    /// Moves.
    pub moves: u64,
    /// Shift.
    pub total_shift: u64,
    /// Risk.
    pub risk: f64,
}

/// One stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageReport {
    /// Name.
    pub name: &'static str,
    /// Value.
    pub value: f64,
    /// Bound.
    pub lower_bound: f64,
    /// Proven.
    pub proven: bool,
}

/// Overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Proven.
    Optimal,
    /// Not proven.
    Feasible,
}

/// Result.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Day per item.
    pub days: Vec<u32>,
    /// Values.
    pub objective: Objective,
    /// Stages.
    pub stages: Vec<StageReport>,
    /// Status.
    pub status: Status,
}

/// Stub: keeps proposed days where allowed.
pub fn solve(instance: &Instance, _options: &SolveOptions) -> Result<Solution, PlanError> {
    let days: Vec<u32> = instance
        .items
        .iter()
        .map(|it| {
            it.proposed
                .filter(|p| it.candidates.iter().any(|c| c.day == *p))
                .unwrap_or(it.candidates[0].day)
        })
        .collect();
    Ok(Solution {
        days,
        objective: Objective {
            peak: 0,
            clash_pairs: 0,
            moves: 0,
            total_shift: 0,
            risk: 0.0,
        },
        stages: vec![],
        status: Status::Feasible,
    })
}
