//! The problem every stage works on: the [`Instance`](instance::Instance) (items,
//! candidate days, failure points, links), its compact day axis and cell layout, the
//! incremental [`State`](state::State) of a plan with its exact objective, the options,
//! the time limit and the engine's report.

pub(crate) mod compact;
pub(crate) mod deadline;
pub(crate) mod instance;
pub(crate) mod layout;
pub(crate) mod links;
pub(crate) mod merge;
pub(crate) mod objective;
pub(crate) mod options;
pub(crate) mod solution;
pub(crate) mod stages;
pub(crate) mod state;
