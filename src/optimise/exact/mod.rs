//! Exact methods: the stage MILPs over small groups through good_lp (`milp`, run per
//! group by `milp_groups`), the linear relaxation of the moves and shift stages with
//! LP-guided rounding (`relaxation`), the whole
//! lexicographic MILP (`exact_milp`, microlp or HiGHS with `--features highs`), and
//! brute force over tiny calendars for tests (`brute_force`).

pub(crate) mod brute_force;
pub(crate) mod exact_milp;
pub(crate) mod milp;
pub(crate) mod milp_groups;
pub(crate) mod relaxation;
