//! Failure risk in numbers: how likely one infrastructure failure is to delay
//! several releases at once, and how many release delays (and minutes) to expect.
//!
//! The model and every formula are in `docs/risk.md`. In short: failure point `c`
//! fails on a planning day of year `y` with probability
//! `p = min(failures_per_year / W(y), 1)`, `W(y)` the working days of the `--region`
//! nation in `y`; failures are independent; a failure starting on planning day `s`
//! delays the releases that rely on `c` on the `outage_days` planning days `s..`, the
//! same windows [`crate::exposure::assess`] counts.

mod delay;
mod figures;
#[cfg(test)]
mod monte_carlo;
mod probability;

pub use delay::{delay_minutes, recovery_minutes};
pub use figures::{risk_figures, Contributor, RiskFigures};
pub use probability::{
    busiest_year, component_risk_weights, daily_failure_probability, failures_per_year,
    probability_from_rate, risk_weight, risk_weights_for_year, working_days_in_year,
    MAX_RISK_WEIGHT,
};

use crate::calendar::Region;

/// Failures per year assumed for a failure point whose `failures_per_year` is empty:
/// one a year, the order of magnitude of unplanned outages of a departmental
/// website, content management system or database server.
pub const DEFAULT_FAILURES_PER_YEAR: f64 = 1.0;

/// Minutes to restore assumed for a failure point whose `recovery_minutes` is empty:
/// one hour.
pub const DEFAULT_RECOVERY_MINUTES: f64 = 60.0;

/// Default minutes to switch a release over to its fallback publication route.
pub const DEFAULT_FALLBACK_MINUTES: f64 = 15.0;

/// Settings of the risk figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskOptions {
    /// The nation whose working days per year turn `failures_per_year` into a
    /// daily probability.
    pub region: Region,
    /// Minutes to switch a release over to its fallback route.
    pub fallback_minutes: f64,
}

impl Default for RiskOptions {
    fn default() -> Self {
        RiskOptions {
            region: Region::EnglandAndWales,
            fallback_minutes: DEFAULT_FALLBACK_MINUTES,
        }
    }
}
