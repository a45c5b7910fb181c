//! The planning engine: bounds, construction, search, exact MILP and verification.
//!
//! The engine works on an abstract [`Instance`]: items (releases) to place on an
//! axis of days, each with its candidate days, its weight and the failure points
//! (components) it touches. Building the instance from a data set and turning the
//! result back into dates is done by [`crate::app`]; checking the result is done
//! independently by [`verify`]. The algorithm is described in `docs/engine.md`.

// The pipeline, by directory (see `solve.rs` for the order of the stages):
// the problem the stages share, its bounds, the construction of a first plan, the
// searches that improve it and the exact methods that prove it.
mod bounds;
mod construct;
mod exact;
mod problem;
mod search;

#[cfg(test)]
mod properties;
mod solve;
pub mod synthetic;
pub mod tradeoff;
pub mod verify;

// Short paths for the engine's own modules (`crate::optimise::state`, ...).
use bounds::{moves_bound, pairs_bound, peak_proof};
use construct::{decompose, greedy};
use exact::{brute_force, exact_milp, milp, milp_groups, relaxation};
use problem::{
    compact, deadline, instance, layout, links, merge, objective, options, solution, stages, state,
};
use search::{exact_search, local_search, neighbourhood, pairs_search, rounds, window_search};

pub use brute_force::{brute_force, BRUTE_FORCE_MAX_PLANS};
pub use deadline::{Deadline, StopReason, MAX_TIME_LIMIT};
pub use exact_milp::solve_exact_milp;
pub use instance::{Block, Candidate, Component, Instance, Item, Link};
pub use links::{prune_by_links, LinkConflict};
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
