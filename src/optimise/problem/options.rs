//! What the caller can ask of the engine: objective, move budget, backend and time limit.

use std::sync::Arc;
use std::time::Duration;

/// Which lexicographic objective the engine optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectiveKind {
    /// 1. min peak exposure, 2. min clash pairs, 3. min moves, 4. min total shift.
    #[default]
    Default,
    /// Min total clash risk first, then the default order.
    Risk,
}

/// The MILP backend used for exact sub-problems and [`crate::optimise::solve_exact_milp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// The pure-Rust microlp solver (always available).
    #[default]
    Microlp,
    /// HiGHS (needs the `highs` cargo feature).
    #[cfg(feature = "highs")]
    Highs,
}

/// A callback receiving short stage messages ("bounds", "greedy", ...) for a spinner.
pub type ProgressCallback = Arc<dyn Fn(&str) + Send + Sync>;

/// Options for [`crate::optimise::solve`].
#[derive(Clone)]
pub struct SolveOptions {
    /// Wall-clock safety stop of [`crate::optimise::solve`], from the call ([`crate::optimise::solve_until`]
    /// takes the caller's [`crate::optimise::Deadline`] instead). Search effort is counted in
    /// deterministic work units; when this limit cuts it short instead, the solution
    /// says so ([`crate::optimise::StopReason::Time`]) and keeps the best plan found and its bounds.
    pub time_limit: Duration,
    /// At most this many items may be placed off their proposed day.
    pub max_moves: Option<u32>,
    /// The lexicographic objective.
    pub objective: ObjectiveKind,
    /// The MILP backend for exact steps.
    pub backend: Backend,
    /// Stage messages for a progress spinner.
    pub progress: Option<ProgressCallback>,
    /// Threads for the anytime rounds (`--threads`; at least 1). The plan does not
    /// depend on it: each round's runs are fixed, threads only run them at once.
    pub threads: std::num::NonZeroUsize,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(60),
            max_moves: None,
            objective: ObjectiveKind::Default,
            backend: Backend::Microlp,
            progress: None,
            threads: std::num::NonZeroUsize::MIN,
        }
    }
}

impl std::fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveOptions")
            .field("time_limit", &self.time_limit)
            .field("max_moves", &self.max_moves)
            .field("objective", &self.objective)
            .field("backend", &self.backend)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl SolveOptions {
    /// Sends a stage message to the progress callback, if any.
    pub(crate) fn report(&self, message: &str) {
        if let Some(progress) = &self.progress {
            progress(message);
        }
    }
}
