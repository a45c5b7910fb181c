//! Bank-holiday rules for each nation (STUB: replaced by the calendar work).

use chrono::NaiveDate;

use super::Region;

/// A bank holiday as a day off: substitute days carry the name of the holiday they replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The day off.
    pub date: NaiveDate,
    /// Its name, e.g. `Christmas Day (substitute day)`.
    pub name: String,
}

/// The bank holidays (actual days off) of `region` in `year`, sorted by date.
pub fn bank_holidays(region: Region, year: i32) -> Vec<Holiday> {
    let _ = (region, year);
    Vec::new()
}
