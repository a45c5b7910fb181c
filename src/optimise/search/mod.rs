//! Improving a plan: local search with compound moves (`local_search`), clash-pair
//! annealing (`pairs_search`), windowed re-optimisation (`window_search`), and exact
//! branch and bound over small neighbourhoods (`neighbourhood`, `exact_search`), and
//! the anytime rounds of annealing runs on every core (`rounds`).

pub(crate) mod exact_search;
pub(crate) mod local_search;
pub(crate) mod neighbourhood;
pub(crate) mod pairs_search;
pub(crate) mod rounds;
pub(crate) mod window_search;
