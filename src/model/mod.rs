//! Releases, failure points and the dependency graph between them.

mod graph;
mod links;
mod release;
mod series;
mod weight;
mod window;

pub use graph::{FailurePoint, Infrastructure};
pub use links::{
    find_cycle, links, min_series_gap, same_day_blocks, together_groups, Link, LinkReason,
    SeriesRules, TogetherGroup,
};
pub use release::{Release, Status};
pub use series::{series_stem, usual_weekday, Series, SeriesIndex, SeriesOrigin, SeriesSource};
pub use weight::Weight;
pub use window::{
    candidate_days, frozen, window_bounds, CandidateDay, Frozen, NoticeRules, WindowRules,
};

/// Errors from building the model out of already-parsed rows.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The infrastructure graph has a cycle; the ids are listed in cycle order,
    /// the first repeated at the end.
    #[error("dependency cycle: {}", .cycle.join(" → "))]
    Cycle {
        /// The ids on the cycle, first one repeated at the end.
        cycle: Vec<String>,
    },
    /// A dependency names an id that is not a failure point.
    #[error("unknown failure point '{}'", crate::limits::echo(id))]
    UnknownFailurePoint {
        /// The unknown id.
        id: String,
    },
}

/// A validated data set: the releases and the infrastructure they depend on.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Releases in input order.
    pub releases: Vec<Release>,
    /// The failure points and their dependency graph.
    pub infrastructure: Infrastructure,
}

impl Dataset {
    /// The failure points of each release (transitive closure of its `depends_on`),
    /// as sorted indices into [`Infrastructure::points`].
    pub fn failure_sets(&self) -> Vec<Vec<usize>> {
        // Releases often share their `depends_on`: walk the graph once per distinct list.
        let mut memo: std::collections::HashMap<&[String], Vec<usize>> =
            std::collections::HashMap::new();
        self.releases
            .iter()
            .map(|r| {
                memo.entry(r.depends_on.as_slice())
                    .or_insert_with(|| self.infrastructure.closure_of(&r.depends_on))
                    .clone()
            })
            .collect()
    }
}
