//! Proclaimed one-off changes to the bank-holiday rules: extra days, moved
//! days and (rarely) regular days that were not proclaimed.
//!
//! Everything year-specific lives in [`ONE_OFF_CHANGES`], one plain data table.
//! To add a proclamation, append an entry in date order with a comment citing
//! the proclamation or announcement; the tests in `holidays.rs` check that each
//! entry fits the rules (moved and removed days exist, no clashes, weekdays).

use chrono::{Datelike, NaiveDate};

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
        /// The rule date it was moved from (the day the rules alone would give).
        from: NaiveDate,
        /// The day it was moved to.
        to: NaiveDate,
        /// The name of the holiday on its new day, e.g. `Early May bank holiday (VE day)`.
        name: &'static str,
        /// The nations it applies to.
        regions: &'static [Region],
    },
    /// A day the rules would give that was not a bank holiday that year
    /// (no substitute day was proclaimed).
    Removed {
        /// The rule date that was not a bank holiday.
        date: NaiveDate,
        /// The nations it applies to.
        regions: &'static [Region],
    },
}

impl OneOffChange {
    /// The nations the change applies to.
    pub fn regions(&self) -> &'static [Region] {
        match self {
            OneOffChange::Extra { regions, .. }
            | OneOffChange::Moved { regions, .. }
            | OneOffChange::Removed { regions, .. } => regions,
        }
    }

    /// Whether the change applies to `region`.
    pub fn applies_to(&self, region: Region) -> bool {
        self.regions().contains(&region)
    }

    /// The year the change was made for.
    pub fn year(&self) -> i32 {
        match self {
            OneOffChange::Extra { date, .. } | OneOffChange::Removed { date, .. } => date.year(),
            OneOffChange::Moved { from, .. } => from.year(),
        }
    }

    /// The day the change is about, used to keep the table in date order.
    pub fn sort_date(&self) -> NaiveDate {
        match self {
            OneOffChange::Extra { date, .. } | OneOffChange::Removed { date, .. } => *date,
            OneOffChange::Moved { from, to, .. } => (*from).min(*to),
        }
    }
}

/// A date for the table. Only used to build the `const` table below, so it is
/// evaluated at compile time: a mistyped date fails the build, never a run.
#[allow(clippy::panic)] // const evaluation only: the panic is a compile error
const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid date in ONE_OFF_CHANGES"),
    }
}

/// All three nations.
const UK: &[Region] = &Region::ALL;
/// Scotland only.
const SCOTLAND: &[Region] = &[Region::Scotland];

/// Every proclaimed one-off change since 1978, in date order.
///
/// Names follow GOV.UK's bank-holiday data where GOV.UK lists the year (2012
/// onwards), with ASCII apostrophes; earlier names are descriptive.
pub const ONE_OFF_CHANGES: &[OneOffChange] = &[
    // Wedding of the Prince of Wales and Lady Diana Spencer, Wednesday 29 July
    // 1981: extra bank holiday throughout the UK by royal proclamation (see
    // Wikipedia, "Public holidays in the United Kingdom", special holidays).
    OneOffChange::Extra {
        date: date(1981, 7, 29),
        name: "Royal wedding bank holiday",
        regions: UK,
    },
    // 50th anniversary of VE Day: the May Day bank holiday moved from Monday
    // 1 May to Monday 8 May 1995 by royal proclamation, throughout the UK.
    OneOffChange::Moved {
        from: date(1995, 5, 1),
        to: date(1995, 5, 8),
        name: "Early May bank holiday (VE day)",
        regions: UK,
    },
    // Millennium: extra bank holiday on Friday 31 December 1999 throughout the
    // UK by royal proclamation (Wikipedia, "Public holidays in the United
    // Kingdom" and "Public and bank holidays in Scotland").
    OneOffChange::Extra {
        date: date(1999, 12, 31),
        name: "Millennium bank holiday",
        regions: UK,
    },
    // Golden Jubilee of Queen Elizabeth II: Spring bank holiday moved from
    // Monday 27 May to Tuesday 4 June 2002, after an extra bank holiday on
    // Monday 3 June, throughout the UK (royal proclamation; Wikipedia,
    // "Public holidays in the United Kingdom" and "Public and bank holidays in
    // Scotland"). Entries are ordered by the earliest day they touch.
    OneOffChange::Moved {
        from: date(2002, 5, 27),
        to: date(2002, 6, 4),
        name: "Spring bank holiday",
        regions: UK,
    },
    OneOffChange::Extra {
        date: date(2002, 6, 3),
        name: "Golden Jubilee bank holiday",
        regions: UK,
    },
    // Scotland, 2010 (1 January a Friday): no royal proclamation appointed a
    // substitute for 2 January (a Saturday), so Monday 4 January 2010 was not
    // a bank holiday. Confirmed by the Scottish Government via the Privy
    // Council, the Crown Office and the Edinburgh Gazette, as reported at
    // https://dracos.co.uk/wrote/bad-bank-holidays (update of 21 January 2014).
    OneOffChange::Removed {
        date: date(2010, 1, 4),
        regions: SCOTLAND,
    },
    // Scotland, 2011 (1 January a Saturday, 2 January a Sunday): only Monday
    // 3 January was a holiday; no proclamation made Tuesday 4 January 2011 a
    // bank holiday (same source as the 2010 entry).
    OneOffChange::Removed {
        date: date(2011, 1, 4),
        regions: SCOTLAND,
    },
    // Wedding of Prince William and Catherine Middleton, Friday 29 April 2011:
    // extra bank holiday throughout the UK by royal proclamation.
    OneOffChange::Extra {
        date: date(2011, 4, 29),
        name: "Royal wedding bank holiday",
        regions: UK,
    },
    // Diamond Jubilee of Queen Elizabeth II: Spring bank holiday moved from
    // Monday 28 May to Monday 4 June 2012 and an extra bank holiday on Tuesday
    // 5 June, throughout the UK (royal proclamation; GOV.UK bank-holidays.json
    // lists both for all three nations).
    OneOffChange::Moved {
        from: date(2012, 5, 28),
        to: date(2012, 6, 4),
        name: "Spring bank holiday",
        regions: UK,
    },
    OneOffChange::Extra {
        date: date(2012, 6, 5),
        name: "Queen's Diamond Jubilee",
        regions: UK,
    },
    // 75th anniversary of VE Day: Early May bank holiday moved from Monday
    // 4 May to Friday 8 May 2020, throughout the UK (proclamation announced
    // June 2019; GOV.UK lists "Early May bank holiday (VE day)" for all nations).
    OneOffChange::Moved {
        from: date(2020, 5, 4),
        to: date(2020, 5, 8),
        name: "Early May bank holiday (VE day)",
        regions: UK,
    },
    // Platinum Jubilee of Queen Elizabeth II: Spring bank holiday moved from
    // Monday 30 May to Thursday 2 June 2022 and an extra bank holiday on
    // Friday 3 June, throughout the UK (proclamation of 2021; GOV.UK data).
    OneOffChange::Moved {
        from: date(2022, 5, 30),
        to: date(2022, 6, 2),
        name: "Spring bank holiday",
        regions: UK,
    },
    OneOffChange::Extra {
        date: date(2022, 6, 3),
        name: "Platinum Jubilee bank holiday",
        regions: UK,
    },
    // State Funeral of Queen Elizabeth II, Monday 19 September 2022: extra bank
    // holiday throughout the UK (proclamation of 12 September 2022; GOV.UK data).
    OneOffChange::Extra {
        date: date(2022, 9, 19),
        name: "Bank Holiday for the State Funeral of Queen Elizabeth II",
        regions: UK,
    },
    // Coronation of King Charles III, Monday 8 May 2023: extra bank holiday
    // throughout the UK (proclamation of November 2022; GOV.UK data).
    OneOffChange::Extra {
        date: date(2023, 5, 8),
        name: "Bank holiday for the coronation of King Charles III",
        regions: UK,
    },
    // No one-off change was proclaimed for 2024 or 2025 (GOV.UK's
    // bank-holidays.json lists only regular days for those years; no extra
    // holiday was given for VE Day 80 in 2025).
    //
    // Scotland's men's football team at the FIFA World Cup (first time since
    // 1998; opening match against Haiti on Sunday 14 June 2026): extra bank
    // holiday on Monday 15 June 2026, in Scotland only. Proposed by the First
    // Minister on 5 January 2026; appointed by royal proclamation under section
    // 1(3) of the Banking and Financial Dealings Act 1971, announced by
    // Buckingham Palace on Wednesday 4 February 2026 ("... do hereby appoint
    // Monday, the fifteenth day of June in the year 2026 to be a bank holiday
    // in Scotland"), as reported by PA (Shropshire Star, 4 February 2026) and
    // The Independent (5 February 2026). The name is descriptive: GOV.UK's
    // title for the day could not be checked when it was added.
    OneOffChange::Extra {
        date: date(2026, 6, 15),
        name: "World Cup bank holiday",
        regions: SCOTLAND,
    },
];
