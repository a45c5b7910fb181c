//! The planning engine: bounds, construction, search, exact MILP and verification.
//!
//! The engine works on an abstract [`Instance`]: items (releases) to place on an
//! axis of days, each with its candidate days, its weight and the failure points
//! (components) it touches. Building the instance from a data set and turning the
//! result back into dates is done by [`crate::app`]; checking the result is done
//! independently by [`verify`]. The algorithm is described in `docs/engine.md`.

mod bounds;
mod brute_force;
mod compact;
mod deadline;
mod decompose;
mod exact_milp;
mod exact_search;
mod greedy;
mod instance;
mod layout;
mod local_search;
mod milp;
mod moves_bound;
mod neighbourhood;
mod objective;
mod options;
mod pairs_bound;
mod pairs_search;
mod peak_proof;
#[cfg(test)]
mod properties;
mod solution;
mod solve;
mod stages;
mod state;
pub mod synthetic;
pub mod tradeoff;
pub mod verify;
mod window_search;

pub use brute_force::{brute_force, BRUTE_FORCE_MAX_PLANS};
pub use deadline::{Deadline, StopReason, MAX_TIME_LIMIT};
pub use exact_milp::solve_exact_milp;
pub use instance::{Candidate, Component, Instance, Item};
pub use objective::{evaluate, Objective};
pub use options::{Backend, ObjectiveKind, ProgressCallback, SolveOptions};
pub use solution::{Solution, StageReport, Status};
pub use solve::{solve, solve_until};

use crate::error::ExitCode;

/// Errors from planning.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// No calendar satisfies the hard rules; each entry names a release and the rule it cannot meet.
    #[error("no plan satisfies the hard rules:\n{}", crate::limits::bullet_list(.conflicts))]
    Infeasible {
        /// One line per conflicting release and rule.
        conflicts: Vec<String>,
    },
    /// The independent checker rejected the plan (a bug in stagger).
    #[error("internal error: the independent checker rejected the plan (please report this as a bug):\n{}", crate::limits::bullet_list(.problems))]
    Verification {
        /// What the checker found wrong.
        problems: Vec<String>,
    },
    /// The MILP solver failed in a way the engine could not recover from.
    #[error("internal solver error: {0}")]
    Solver(String),
    /// The time limit passed before even a first plan existed; nothing was written.
    #[error("the time limit of {seconds} s passed before a first plan could be built ({phase}); nothing was written: allow more time with --time-limit")]
    TimeLimit {
        /// The time limit, in seconds.
        seconds: f64,
        /// What was still being done ("reading the inputs", "building the planning problem", ...).
        phase: String,
    },
}

impl PlanError {
    /// The exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            PlanError::Infeasible { .. } => ExitCode::Infeasible,
            PlanError::Verification { .. } | PlanError::Solver(_) => ExitCode::Internal,
            PlanError::TimeLimit { .. } => ExitCode::TimeLimit,
        }
    }
}
