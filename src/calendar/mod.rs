//! Working days: weekends, the bank holidays of each UK nation (built in, plus
//! any a team adds with `--holidays`), and closures.
//!
//! Releases go out on working days only: Monday to Friday, not a bank holiday
//! of the release's nation, and not a closure (office closure, pre-election
//! period) that applies to it.

mod closures;
mod easter;
mod extra;
mod holiday_list;
mod holidays;
mod one_off;
mod region;
mod substitute;
mod working_days;

pub use closures::Closure;
pub use easter::easter_sunday;
pub use extra::{merge_extra_holidays, ExtraHoliday};
pub use holiday_list::{holidays_csv, holidays_in_years, holidays_in_years_with};
pub use holidays::{
    bank_holidays, Holiday, HolidaySource, FIRST_ST_ANDREWS_DAY_YEAR, FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR,
};
pub use one_off::{OneOffChange, ONE_OFF_CHANGES};
pub use region::{Region, REGION_ALIASES};
pub use working_days::{full_weekday, NonWorking, WorkingCalendar};

/// Errors from the calendar area.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// A region name that is not one of the three UK bank-holiday nations.
    #[error(
        "unknown region '{}': expected england-and-wales, scotland or northern-ireland \
         (or ni, wales, england, scot){hint}",
        crate::limits::echo(value)
    )]
    UnknownRegion {
        /// The text that was given.
        value: String,
        /// `; did you mean '…'?` or an explanation, or empty.
        hint: String,
    },
    /// A year range that is empty or outside the supported years.
    #[error("invalid year range {from}..={to}: {reason}")]
    YearRange {
        /// First year asked for.
        from: i32,
        /// Last year asked for.
        to: i32,
        /// Why the range is rejected.
        reason: String,
    },
}
