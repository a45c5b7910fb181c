//! Lower bounds, one file per stage: the peak (`tilings`: interval bounds over block
//! tilings, and `peak_proof`: the exact proof of a cap), the clash pairs
//! (`pairs_bound`) and the moves and total shift at the pairs bound (`moves_bound`).
//! Every bound is valid under the hard rules (they only remove plans), so a stage is
//! proven when its value meets its bound. Proof sketches are in `docs/engine.md`.

pub(crate) mod moves_bound;
pub(crate) mod pairs_bound;
pub(crate) mod peak_proof;
mod tilings;

pub(crate) use tilings::*;
