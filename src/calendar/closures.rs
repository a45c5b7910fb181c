//! Extra non-release days: office closures, pre-election periods.

use chrono::NaiveDate;

use super::Region;

/// One extra non-release day, for one nation or (with `region: None`) for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The day on which nothing may be released.
    pub date: NaiveDate,
    /// Why, e.g. `Pre-election period`.
    pub name: String,
    /// The nation it applies to; `None` applies to every nation.
    pub region: Option<Region>,
}

impl Closure {
    /// Whether this closure applies to releases of `region`.
    pub fn applies_to(&self, region: Region) -> bool {
        self.region.is_none_or(|r| r == region)
    }
}
