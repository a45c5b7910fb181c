//! `stagger holidays`: a nation's bank holidays as CSV.

use crate::calendar::{holidays_csv, CalendarError, Region};

/// CSV `date,name` of the bank holidays (actual days off) of `region` from `from` to `to`.
pub fn holidays(region: Region, from: i32, to: i32) -> Result<String, CalendarError> {
    holidays_csv(region, from, to)
}
