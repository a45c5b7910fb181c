//! Proclaimed one-off changes to the bank-holiday rules (STUB).

use chrono::NaiveDate;

use super::Region;

/// A one-off change proclaimed for a single year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOffChange {
    /// An extra bank holiday.
    Extra {
        /// The day.
        date: NaiveDate,
        /// Its name.
        name: &'static str,
        /// The nations it applies to.
        regions: &'static [Region],
    },
    /// A regular holiday moved to another day.
    Moved {
        /// The rule date it was moved from.
        from: NaiveDate,
        /// The day it was moved to.
        to: NaiveDate,
        /// The nations it applies to.
        regions: &'static [Region],
    },
}

/// Every proclaimed one-off change, in date order.
pub const ONE_OFF_CHANGES: &[OneOffChange] = &[];
