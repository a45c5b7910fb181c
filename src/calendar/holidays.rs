//! Bank-holiday rules for each UK nation, for any year.
//!
//! The regular rules (Banking and Financial Dealings Act 1971, Schedule 1, and
//! the annual royal proclamations that GOV.UK publishes) are computed here; the
//! proclaimed one-off changes come from [`ONE_OFF_CHANGES`]. See
//! `docs/holidays.md` for the rules in prose.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::easter::easter_sunday;
use super::one_off::{OneOffChange, ONE_OFF_CHANGES};
use super::substitute::{DaysOff, FixedDateHoliday};
use super::Region;

/// The first year of the modern rule set: the Early May bank holiday (first
/// Monday of May) was introduced in England, Wales and Northern Ireland in 1978.
pub const FIRST_SUPPORTED_YEAR: i32 = 1978;

/// The last year [`holidays_in_years`](super::holidays_in_years) accepts.
pub const LAST_SUPPORTED_YEAR: i32 = 2199;

/// The first year St Andrew's Day was a bank holiday in Scotland (St Andrew's
/// Day Bank Holiday (Scotland) Act 2007).
pub const FIRST_ST_ANDREWS_DAY_YEAR: i32 = 2007;

/// A bank holiday as a day off: substitute days carry the name of the holiday they replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The day off.
    pub date: NaiveDate,
    /// Its name, e.g. `Christmas Day (substitute day)`.
    pub name: String,
    /// Where the day comes from: the rules, the one-off table or a holidays file.
    pub source: HolidaySource,
}

/// Where a bank holiday comes from (the `source` column of `stagger holidays`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HolidaySource {
    /// Computed from the regular rules (the 1971 Act and the yearly proclamations),
    /// substitute days included.
    Rule,
    /// The built-in table of proclaimed one-off changes ([`ONE_OFF_CHANGES`]):
    /// an extra day, or a regular day moved to this date.
    OneOff,
    /// A `--holidays` file: a day a team added without waiting for a release.
    File,
}

impl HolidaySource {
    /// The identifier used in CSV output: `rule`, `one-off` or `file`.
    pub fn slug(self) -> &'static str {
        match self {
            HolidaySource::Rule => "rule",
            HolidaySource::OneOff => "one-off",
            HolidaySource::File => "file",
        }
    }
}

/// The bank holidays (actual days off) of `region` in `year`, sorted by date.
///
/// Substitute days are included (named e.g. `Christmas Day (substitute day)`),
/// and so are the proclaimed one-off changes of [`ONE_OFF_CHANGES`]. Outside
/// the supported years (1978 to 2199) the modern rules are simply extrapolated;
/// for years chrono cannot represent the list is empty. Never panics.
pub fn bank_holidays(region: Region, year: i32) -> Vec<Holiday> {
    let Some(mut days) = regular_holidays(region, year) else {
        return Vec::new();
    };
    apply_one_off_changes(&mut days, region, year, ONE_OFF_CHANGES);
    days.sort_by_key(|h| h.date);
    days
}

/// The days off the regular rules give `region` in `year`, in no particular
/// order; `None` when a date falls outside chrono's range.
fn regular_holidays(region: Region, year: i32) -> Option<Vec<Holiday>> {
    let ymd = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let easter = easter_sunday(year)?;
    let mut days = DaysOff::new();

    // New Year: 1 January, or the first weekday after it. In Scotland the
    // 2nd January holiday is the next weekday after the New Year's Day
    // holiday, which is how GOV.UK lists the pairs (2022: Mon 3 Jan New Year's
    // Day substitute, Tue 4 Jan 2nd January substitute; 2023: Mon 2 Jan New
    // Year's Day substitute, Tue 3 Jan 2nd January substitute).
    let jan1 = ymd(1, 1)?;
    let new_year = days.first_free_from(jan1)?;
    days.add(new_year, "New Year's Day", new_year != jan1);
    if region == Region::Scotland {
        let jan2 = ymd(1, 2)?;
        let second = days.first_free_after(new_year)?;
        days.add(second, "2nd January", second != jan2);
    }

    // Holidays whose rule always gives a weekday.
    days.add_weekday_rule(easter.checked_sub_days(Days::new(2))?, "Good Friday");
    if region != Region::Scotland {
        days.add_weekday_rule(easter.checked_add_days(Days::new(1))?, "Easter Monday");
    }
    days.add_weekday_rule(first_monday(year, 5)?, "Early May bank holiday");
    days.add_weekday_rule(last_monday(year, 5)?, "Spring bank holiday");
    let summer = match region {
        Region::Scotland => first_monday(year, 8)?,
        Region::EnglandAndWales | Region::NorthernIreland => last_monday(year, 8)?,
    };
    days.add_weekday_rule(summer, "Summer bank holiday");

    // Holidays tied to a calendar date, with substitute days, in date order.
    let mut fixed = Vec::new();
    if region == Region::NorthernIreland {
        fixed.push(FixedDateHoliday {
            nominal: ymd(3, 17)?,
            name: "St Patrick's Day",
        });
        fixed.push(FixedDateHoliday {
            nominal: ymd(7, 12)?,
            name: "Battle of the Boyne (Orangemen's Day)",
        });
    }
    if region == Region::Scotland && year >= FIRST_ST_ANDREWS_DAY_YEAR {
        fixed.push(FixedDateHoliday {
            nominal: ymd(11, 30)?,
            name: "St Andrew's Day",
        });
    }
    fixed.push(FixedDateHoliday {
        nominal: ymd(12, 25)?,
        name: "Christmas Day",
    });
    fixed.push(FixedDateHoliday {
        nominal: ymd(12, 26)?,
        name: "Boxing Day",
    });
    days.add_fixed_date_rules(&fixed)?;
    Some(days.into_holidays())
}

/// The first Monday of `month` in `year`.
fn first_monday(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1)
}

/// The last Monday of `month` (1 to 11) in `year`.
fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let last_day = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    let back = last_day.weekday().num_days_from_monday();
    last_day.checked_sub_days(Days::new(u64::from(back)))
}

/// Applies the one-off changes of `year` that concern `region` to `days`.
///
/// An extra day already taken, or a moved/removed day the rules do not give,
/// is left alone: the table's tests make sure neither happens.
fn apply_one_off_changes(
    days: &mut Vec<Holiday>,
    region: Region,
    year: i32,
    changes: &[OneOffChange],
) {
    for change in changes
        .iter()
        .filter(|c| c.year() == year && c.applies_to(region))
    {
        match *change {
            OneOffChange::Extra { date, name, .. } => {
                if !days.iter().any(|h| h.date == date) {
                    days.push(Holiday {
                        date,
                        name: name.to_string(),
                        source: HolidaySource::OneOff,
                    });
                }
            }
            OneOffChange::Moved { from, to, name, .. } => {
                let target_free = !days.iter().any(|h| h.date == to);
                if let Some(h) = days.iter_mut().find(|h| h.date == from) {
                    if target_free {
                        h.date = to;
                        h.name = name.to_string();
                        h.source = HolidaySource::OneOff;
                    }
                }
            }
            OneOffChange::Removed { date, .. } => days.retain(|h| h.date != date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::substitute;
    use super::*;
    use std::collections::BTreeSet;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn listed(region: Region, year: i32) -> Vec<(String, String)> {
        bank_holidays(region, year)
            .into_iter()
            .map(|h| (h.date.to_string(), h.name))
            .collect()
    }

    /// GOV.UK's published bank holidays for 2019-2027, from the data behind
    /// https://www.gov.uk/bank-holidays (https://www.gov.uk/bank-holidays.json,
    /// snapshot covering 2019-2027, looked up through the search tool).
    /// Transcribed as `region date name`: GOV.UK's "Substitute day" note is
    /// written as the ` (substitute day)` suffix and its curly apostrophes as
    /// ASCII ones. One line postdates that snapshot: Scotland's World Cup bank
    /// holiday of Monday 15 June 2026, proclaimed in February 2026 (see
    /// `one_off.rs`), under the one-off table's descriptive name.
    const GOVUK_2019_TO_2027: &str = "
england-and-wales 2019-01-01 New Year's Day
england-and-wales 2019-04-19 Good Friday
england-and-wales 2019-04-22 Easter Monday
england-and-wales 2019-05-06 Early May bank holiday
england-and-wales 2019-05-27 Spring bank holiday
england-and-wales 2019-08-26 Summer bank holiday
england-and-wales 2019-12-25 Christmas Day
england-and-wales 2019-12-26 Boxing Day
england-and-wales 2020-01-01 New Year's Day
england-and-wales 2020-04-10 Good Friday
england-and-wales 2020-04-13 Easter Monday
england-and-wales 2020-05-08 Early May bank holiday (VE day)
england-and-wales 2020-05-25 Spring bank holiday
england-and-wales 2020-08-31 Summer bank holiday
england-and-wales 2020-12-25 Christmas Day
england-and-wales 2020-12-28 Boxing Day (substitute day)
england-and-wales 2021-01-01 New Year's Day
england-and-wales 2021-04-02 Good Friday
england-and-wales 2021-04-05 Easter Monday
england-and-wales 2021-05-03 Early May bank holiday
england-and-wales 2021-05-31 Spring bank holiday
england-and-wales 2021-08-30 Summer bank holiday
england-and-wales 2021-12-27 Christmas Day (substitute day)
england-and-wales 2021-12-28 Boxing Day (substitute day)
england-and-wales 2022-01-03 New Year's Day (substitute day)
england-and-wales 2022-04-15 Good Friday
england-and-wales 2022-04-18 Easter Monday
england-and-wales 2022-05-02 Early May bank holiday
england-and-wales 2022-06-02 Spring bank holiday
england-and-wales 2022-06-03 Platinum Jubilee bank holiday
england-and-wales 2022-08-29 Summer bank holiday
england-and-wales 2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II
england-and-wales 2022-12-26 Boxing Day
england-and-wales 2022-12-27 Christmas Day (substitute day)
england-and-wales 2023-01-02 New Year's Day (substitute day)
england-and-wales 2023-04-07 Good Friday
england-and-wales 2023-04-10 Easter Monday
england-and-wales 2023-05-01 Early May bank holiday
england-and-wales 2023-05-08 Bank holiday for the coronation of King Charles III
england-and-wales 2023-05-29 Spring bank holiday
england-and-wales 2023-08-28 Summer bank holiday
england-and-wales 2023-12-25 Christmas Day
england-and-wales 2023-12-26 Boxing Day
england-and-wales 2024-01-01 New Year's Day
england-and-wales 2024-03-29 Good Friday
england-and-wales 2024-04-01 Easter Monday
england-and-wales 2024-05-06 Early May bank holiday
england-and-wales 2024-05-27 Spring bank holiday
england-and-wales 2024-08-26 Summer bank holiday
england-and-wales 2024-12-25 Christmas Day
england-and-wales 2024-12-26 Boxing Day
england-and-wales 2025-01-01 New Year's Day
england-and-wales 2025-04-18 Good Friday
england-and-wales 2025-04-21 Easter Monday
england-and-wales 2025-05-05 Early May bank holiday
england-and-wales 2025-05-26 Spring bank holiday
england-and-wales 2025-08-25 Summer bank holiday
england-and-wales 2025-12-25 Christmas Day
england-and-wales 2025-12-26 Boxing Day
england-and-wales 2026-01-01 New Year's Day
england-and-wales 2026-04-03 Good Friday
england-and-wales 2026-04-06 Easter Monday
england-and-wales 2026-05-04 Early May bank holiday
england-and-wales 2026-05-25 Spring bank holiday
england-and-wales 2026-08-31 Summer bank holiday
england-and-wales 2026-12-25 Christmas Day
england-and-wales 2026-12-28 Boxing Day (substitute day)
england-and-wales 2027-01-01 New Year's Day
england-and-wales 2027-03-26 Good Friday
england-and-wales 2027-03-29 Easter Monday
england-and-wales 2027-05-03 Early May bank holiday
england-and-wales 2027-05-31 Spring bank holiday
england-and-wales 2027-08-30 Summer bank holiday
england-and-wales 2027-12-27 Christmas Day (substitute day)
england-and-wales 2027-12-28 Boxing Day (substitute day)
scotland 2019-01-01 New Year's Day
scotland 2019-01-02 2nd January
scotland 2019-04-19 Good Friday
scotland 2019-05-06 Early May bank holiday
scotland 2019-05-27 Spring bank holiday
scotland 2019-08-05 Summer bank holiday
scotland 2019-12-02 St Andrew's Day (substitute day)
scotland 2019-12-25 Christmas Day
scotland 2019-12-26 Boxing Day
scotland 2020-01-01 New Year's Day
scotland 2020-01-02 2nd January
scotland 2020-04-10 Good Friday
scotland 2020-05-08 Early May bank holiday (VE day)
scotland 2020-05-25 Spring bank holiday
scotland 2020-08-03 Summer bank holiday
scotland 2020-11-30 St Andrew's Day
scotland 2020-12-25 Christmas Day
scotland 2020-12-28 Boxing Day (substitute day)
scotland 2021-01-01 New Year's Day
scotland 2021-01-04 2nd January (substitute day)
scotland 2021-04-02 Good Friday
scotland 2021-05-03 Early May bank holiday
scotland 2021-05-31 Spring bank holiday
scotland 2021-08-02 Summer bank holiday
scotland 2021-11-30 St Andrew's Day
scotland 2021-12-27 Christmas Day (substitute day)
scotland 2021-12-28 Boxing Day (substitute day)
scotland 2022-01-03 New Year's Day (substitute day)
scotland 2022-01-04 2nd January (substitute day)
scotland 2022-04-15 Good Friday
scotland 2022-05-02 Early May bank holiday
scotland 2022-06-02 Spring bank holiday
scotland 2022-06-03 Platinum Jubilee bank holiday
scotland 2022-08-01 Summer bank holiday
scotland 2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II
scotland 2022-11-30 St Andrew's Day
scotland 2022-12-26 Boxing Day
scotland 2022-12-27 Christmas Day (substitute day)
scotland 2023-01-02 New Year's Day (substitute day)
scotland 2023-01-03 2nd January (substitute day)
scotland 2023-04-07 Good Friday
scotland 2023-05-01 Early May bank holiday
scotland 2023-05-08 Bank holiday for the coronation of King Charles III
scotland 2023-05-29 Spring bank holiday
scotland 2023-08-07 Summer bank holiday
scotland 2023-11-30 St Andrew's Day
scotland 2023-12-25 Christmas Day
scotland 2023-12-26 Boxing Day
scotland 2024-01-01 New Year's Day
scotland 2024-01-02 2nd January
scotland 2024-03-29 Good Friday
scotland 2024-05-06 Early May bank holiday
scotland 2024-05-27 Spring bank holiday
scotland 2024-08-05 Summer bank holiday
scotland 2024-12-02 St Andrew's Day (substitute day)
scotland 2024-12-25 Christmas Day
scotland 2024-12-26 Boxing Day
scotland 2025-01-01 New Year's Day
scotland 2025-01-02 2nd January
scotland 2025-04-18 Good Friday
scotland 2025-05-05 Early May bank holiday
scotland 2025-05-26 Spring bank holiday
scotland 2025-08-04 Summer bank holiday
scotland 2025-12-01 St Andrew's Day (substitute day)
scotland 2025-12-25 Christmas Day
scotland 2025-12-26 Boxing Day
scotland 2026-01-01 New Year's Day
scotland 2026-01-02 2nd January
scotland 2026-04-03 Good Friday
scotland 2026-05-04 Early May bank holiday
scotland 2026-05-25 Spring bank holiday
scotland 2026-06-15 World Cup bank holiday
scotland 2026-08-03 Summer bank holiday
scotland 2026-11-30 St Andrew's Day
scotland 2026-12-25 Christmas Day
scotland 2026-12-28 Boxing Day (substitute day)
scotland 2027-01-01 New Year's Day
scotland 2027-01-04 2nd January (substitute day)
scotland 2027-03-26 Good Friday
scotland 2027-05-03 Early May bank holiday
scotland 2027-05-31 Spring bank holiday
scotland 2027-08-02 Summer bank holiday
scotland 2027-11-30 St Andrew's Day
scotland 2027-12-27 Christmas Day (substitute day)
scotland 2027-12-28 Boxing Day (substitute day)
northern-ireland 2019-01-01 New Year's Day
northern-ireland 2019-03-18 St Patrick's Day (substitute day)
northern-ireland 2019-04-19 Good Friday
northern-ireland 2019-04-22 Easter Monday
northern-ireland 2019-05-06 Early May bank holiday
northern-ireland 2019-05-27 Spring bank holiday
northern-ireland 2019-07-12 Battle of the Boyne (Orangemen's Day)
northern-ireland 2019-08-26 Summer bank holiday
northern-ireland 2019-12-25 Christmas Day
northern-ireland 2019-12-26 Boxing Day
northern-ireland 2020-01-01 New Year's Day
northern-ireland 2020-03-17 St Patrick's Day
northern-ireland 2020-04-10 Good Friday
northern-ireland 2020-04-13 Easter Monday
northern-ireland 2020-05-08 Early May bank holiday (VE day)
northern-ireland 2020-05-25 Spring bank holiday
northern-ireland 2020-07-13 Battle of the Boyne (Orangemen's Day) (substitute day)
northern-ireland 2020-08-31 Summer bank holiday
northern-ireland 2020-12-25 Christmas Day
northern-ireland 2020-12-28 Boxing Day (substitute day)
northern-ireland 2021-01-01 New Year's Day
northern-ireland 2021-03-17 St Patrick's Day
northern-ireland 2021-04-02 Good Friday
northern-ireland 2021-04-05 Easter Monday
northern-ireland 2021-05-03 Early May bank holiday
northern-ireland 2021-05-31 Spring bank holiday
northern-ireland 2021-07-12 Battle of the Boyne (Orangemen's Day)
northern-ireland 2021-08-30 Summer bank holiday
northern-ireland 2021-12-27 Christmas Day (substitute day)
northern-ireland 2021-12-28 Boxing Day (substitute day)
northern-ireland 2022-01-03 New Year's Day (substitute day)
northern-ireland 2022-03-17 St Patrick's Day
northern-ireland 2022-04-15 Good Friday
northern-ireland 2022-04-18 Easter Monday
northern-ireland 2022-05-02 Early May bank holiday
northern-ireland 2022-06-02 Spring bank holiday
northern-ireland 2022-06-03 Platinum Jubilee bank holiday
northern-ireland 2022-07-12 Battle of the Boyne (Orangemen's Day)
northern-ireland 2022-08-29 Summer bank holiday
northern-ireland 2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II
northern-ireland 2022-12-26 Boxing Day
northern-ireland 2022-12-27 Christmas Day (substitute day)
northern-ireland 2023-01-02 New Year's Day (substitute day)
northern-ireland 2023-03-17 St Patrick's Day
northern-ireland 2023-04-07 Good Friday
northern-ireland 2023-04-10 Easter Monday
northern-ireland 2023-05-01 Early May bank holiday
northern-ireland 2023-05-08 Bank holiday for the coronation of King Charles III
northern-ireland 2023-05-29 Spring bank holiday
northern-ireland 2023-07-12 Battle of the Boyne (Orangemen's Day)
northern-ireland 2023-08-28 Summer bank holiday
northern-ireland 2023-12-25 Christmas Day
northern-ireland 2023-12-26 Boxing Day
northern-ireland 2024-01-01 New Year's Day
northern-ireland 2024-03-18 St Patrick's Day (substitute day)
northern-ireland 2024-03-29 Good Friday
northern-ireland 2024-04-01 Easter Monday
northern-ireland 2024-05-06 Early May bank holiday
northern-ireland 2024-05-27 Spring bank holiday
northern-ireland 2024-07-12 Battle of the Boyne (Orangemen's Day)
northern-ireland 2024-08-26 Summer bank holiday
northern-ireland 2024-12-25 Christmas Day
northern-ireland 2024-12-26 Boxing Day
northern-ireland 2025-01-01 New Year's Day
northern-ireland 2025-03-17 St Patrick's Day
northern-ireland 2025-04-18 Good Friday
northern-ireland 2025-04-21 Easter Monday
northern-ireland 2025-05-05 Early May bank holiday
northern-ireland 2025-05-26 Spring bank holiday
northern-ireland 2025-07-14 Battle of the Boyne (Orangemen's Day) (substitute day)
northern-ireland 2025-08-25 Summer bank holiday
northern-ireland 2025-12-25 Christmas Day
northern-ireland 2025-12-26 Boxing Day
northern-ireland 2026-01-01 New Year's Day
northern-ireland 2026-03-17 St Patrick's Day
northern-ireland 2026-04-03 Good Friday
northern-ireland 2026-04-06 Easter Monday
northern-ireland 2026-05-04 Early May bank holiday
northern-ireland 2026-05-25 Spring bank holiday
northern-ireland 2026-07-13 Battle of the Boyne (Orangemen's Day) (substitute day)
northern-ireland 2026-08-31 Summer bank holiday
northern-ireland 2026-12-25 Christmas Day
northern-ireland 2026-12-28 Boxing Day (substitute day)
northern-ireland 2027-01-01 New Year's Day
northern-ireland 2027-03-17 St Patrick's Day
northern-ireland 2027-03-26 Good Friday
northern-ireland 2027-03-29 Easter Monday
northern-ireland 2027-05-03 Early May bank holiday
northern-ireland 2027-05-31 Spring bank holiday
northern-ireland 2027-07-12 Battle of the Boyne (Orangemen's Day)
northern-ireland 2027-08-30 Summer bank holiday
northern-ireland 2027-12-27 Christmas Day (substitute day)
northern-ireland 2027-12-28 Boxing Day (substitute day)
";

    /// Dates only, from an older GOV.UK bank-holidays.json snapshot (2012-2016).
    /// Names are not compared: that snapshot notes the moved 2012 Spring bank
    /// holiday as a substitute day and names Scotland's 2012 New Year pair
    /// after the 1971 Act (2 Jan "2nd January", 3 Jan New Year's Day
    /// substitute), where current GOV.UK data names such pairs the other way
    /// round (see 2023). The dates agree either way.
    const GOVUK_DATES_2012_TO_2016: &str = "
england-and-wales 2012 01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26
england-and-wales 2013 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26
england-and-wales 2014 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26
england-and-wales 2015 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28
england-and-wales 2016 01-01 03-25 03-28 05-02 05-30 08-29 12-26 12-27
scotland 2012 01-02 01-03 04-06 05-07 06-04 06-05 08-06 11-30 12-25 12-26
scotland 2013 01-01 01-02 03-29 05-06 05-27 08-05 12-02 12-25 12-26
scotland 2014 01-01 01-02 04-18 05-05 05-26 08-04 12-01 12-25 12-26
scotland 2015 01-01 01-02 04-03 05-04 05-25 08-03 11-30 12-25 12-28
scotland 2016 01-01 01-04 03-25 05-02 05-30 08-01 11-30 12-26 12-27
northern-ireland 2012 01-02 03-19 04-06 04-09 05-07 06-04 06-05 07-12 08-27 12-25 12-26
northern-ireland 2013 01-01 03-18 03-29 04-01 05-06 05-27 07-12 08-26 12-25 12-26
";

    #[test]
    fn matches_govuk_for_2019_to_2027_in_every_nation() {
        let mut expected: std::collections::BTreeMap<(Region, i32), Vec<(String, String)>> =
            Default::default();
        for line in GOVUK_2019_TO_2027.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, ' ');
            let region: Region = parts.next().unwrap().parse().unwrap();
            let date = d(parts.next().unwrap());
            let name = parts.next().unwrap().to_string();
            expected
                .entry((region, date.year()))
                .or_default()
                .push((date.to_string(), name));
        }
        assert_eq!(expected.len(), 3 * 9, "every nation and year transcribed");
        for ((region, year), days) in expected {
            assert_eq!(listed(region, year), days, "{region} {year}");
        }
    }

    #[test]
    fn matches_govuk_dates_for_2012_to_2016() {
        for line in GOVUK_DATES_2012_TO_2016.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.split(' ');
            let region: Region = parts.next().unwrap().parse().unwrap();
            let year: i32 = parts.next().unwrap().parse().unwrap();
            let expected: Vec<NaiveDate> = parts.map(|md| d(&format!("{year}-{md}"))).collect();
            let got: Vec<NaiveDate> = bank_holidays(region, year)
                .into_iter()
                .map(|h| h.date)
                .collect();
            assert_eq!(got, expected, "{region} {year}");
        }
    }

    fn find(region: Region, date: &str) -> Option<String> {
        bank_holidays(region, d(date).year())
            .into_iter()
            .find(|h| h.date == d(date))
            .map(|h| h.name)
    }

    #[test]
    fn christmas_on_saturday_and_on_sunday_in_every_nation() {
        for r in Region::ALL {
            // 2010: Christmas on a Saturday.
            assert_eq!(find(r, "2010-12-25"), None);
            assert_eq!(
                find(r, "2010-12-27").unwrap(),
                "Christmas Day (substitute day)"
            );
            assert_eq!(
                find(r, "2010-12-28").unwrap(),
                "Boxing Day (substitute day)"
            );
            // 2033: Christmas on a Sunday.
            assert_eq!(find(r, "2033-12-26").unwrap(), "Boxing Day");
            assert_eq!(
                find(r, "2033-12-27").unwrap(),
                "Christmas Day (substitute day)"
            );
        }
    }

    #[test]
    fn new_year_on_a_weekend() {
        // 2028: 1 January a Saturday.
        assert_eq!(
            find(Region::EnglandAndWales, "2028-01-03").unwrap(),
            "New Year's Day (substitute day)"
        );
        assert_eq!(find(Region::EnglandAndWales, "2028-01-04"), None);
        assert_eq!(
            find(Region::Scotland, "2028-01-03").unwrap(),
            "New Year's Day (substitute day)"
        );
        assert_eq!(
            find(Region::Scotland, "2028-01-04").unwrap(),
            "2nd January (substitute day)"
        );
        // 2034: 1 January a Sunday.
        assert_eq!(
            find(Region::NorthernIreland, "2034-01-02").unwrap(),
            "New Year's Day (substitute day)"
        );
        assert_eq!(
            find(Region::Scotland, "2034-01-02").unwrap(),
            "New Year's Day (substitute day)"
        );
        assert_eq!(
            find(Region::Scotland, "2034-01-03").unwrap(),
            "2nd January (substitute day)"
        );
        // 2032: 1 January a Thursday, 2 January a Friday: no substitutes.
        assert_eq!(find(Region::Scotland, "2032-01-02").unwrap(), "2nd January");
    }

    #[test]
    fn st_andrews_st_patricks_and_boyne_on_weekends_move_to_monday() {
        // St Andrew's Day: Saturday 30 Nov 2030 -> Monday 2 Dec; Sunday 2031 -> Monday 1 Dec.
        assert_eq!(
            find(Region::Scotland, "2030-12-02").unwrap(),
            "St Andrew's Day (substitute day)"
        );
        assert_eq!(
            find(Region::Scotland, "2031-12-01").unwrap(),
            "St Andrew's Day (substitute day)"
        );
        assert_eq!(find(Region::EnglandAndWales, "2031-12-01"), None);
        // St Patrick's Day: Saturday 2029 -> Monday 19 March; Sunday 2030 -> Monday 18.
        assert_eq!(
            find(Region::NorthernIreland, "2029-03-19").unwrap(),
            "St Patrick's Day (substitute day)"
        );
        assert_eq!(
            find(Region::NorthernIreland, "2030-03-18").unwrap(),
            "St Patrick's Day (substitute day)"
        );
        // Boyne: Saturday 2031 -> Monday 14 July; Sunday 2037 -> Monday 13 July.
        assert_eq!(
            find(Region::NorthernIreland, "2031-07-14").unwrap(),
            "Battle of the Boyne (Orangemen's Day) (substitute day)"
        );
        assert_eq!(
            find(Region::NorthernIreland, "2037-07-13").unwrap(),
            "Battle of the Boyne (Orangemen's Day) (substitute day)"
        );
        assert_eq!(find(Region::Scotland, "2037-07-13"), None);
    }

    #[test]
    fn st_andrews_day_only_from_2007() {
        let has = |y: i32| {
            bank_holidays(Region::Scotland, y)
                .iter()
                .any(|h| h.name.starts_with("St Andrew's Day"))
        };
        assert!(!has(2006));
        assert!(has(FIRST_ST_ANDREWS_DAY_YEAR));
    }

    #[test]
    fn moved_may_holiday_2020_and_1995() {
        for r in Region::ALL {
            assert_eq!(find(r, "2020-05-04"), None);
            assert_eq!(
                find(r, "2020-05-08").unwrap(),
                "Early May bank holiday (VE day)"
            );
            assert_eq!(find(r, "1995-05-01"), None);
            assert!(find(r, "1995-05-08").is_some());
        }
    }

    #[test]
    fn jubilees_funeral_coronation_weddings_and_millennium() {
        for r in Region::ALL {
            // 2022 Platinum Jubilee: Spring moved to Thursday 2 June, extra Friday 3 June.
            assert_eq!(find(r, "2022-05-30"), None);
            assert_eq!(find(r, "2022-06-02").unwrap(), "Spring bank holiday");
            assert_eq!(
                find(r, "2022-06-03").unwrap(),
                "Platinum Jubilee bank holiday"
            );
            assert!(find(r, "2022-09-19").unwrap().contains("State Funeral"));
            assert!(find(r, "2023-05-08").unwrap().contains("coronation"));
            // 2012 Diamond Jubilee and 2002 Golden Jubilee.
            assert_eq!(find(r, "2012-05-28"), None);
            assert_eq!(find(r, "2012-06-04").unwrap(), "Spring bank holiday");
            assert!(find(r, "2012-06-05").is_some());
            assert_eq!(find(r, "2002-05-27"), None);
            assert!(find(r, "2002-06-03").is_some());
            assert_eq!(find(r, "2002-06-04").unwrap(), "Spring bank holiday");
            assert!(find(r, "2011-04-29").is_some());
            assert!(find(r, "1981-07-29").is_some());
            assert!(find(r, "1999-12-31").is_some());
        }
    }

    #[test]
    fn latest_one_off_is_scotlands_world_cup_day_and_none_in_2024_2025_2027() {
        let latest = ONE_OFF_CHANGES.iter().map(|c| c.year()).max().unwrap();
        assert_eq!(latest, 2026);
        for r in Region::ALL {
            for year in 2024..=2027 {
                let expected = match r {
                    Region::EnglandAndWales => 8,
                    Region::Scotland if year == 2026 => 10,
                    Region::Scotland => 9,
                    Region::NorthernIreland => 10,
                };
                assert_eq!(bank_holidays(r, year).len(), expected, "{r} {year}");
            }
        }
    }

    #[test]
    fn scotland_world_cup_bank_holiday_2026() {
        let day = bank_holidays(Region::Scotland, 2026)
            .into_iter()
            .find(|h| h.date == d("2026-06-15"))
            .expect("Monday 15 June 2026 is a bank holiday in Scotland");
        assert_eq!(day.name, "World Cup bank holiday");
        assert_eq!(day.source, HolidaySource::OneOff);
        assert_eq!(day.date.weekday(), Weekday::Mon);
        assert_eq!(find(Region::EnglandAndWales, "2026-06-15"), None);
        assert_eq!(find(Region::NorthernIreland, "2026-06-15"), None);
    }

    #[test]
    fn sources_mark_rules_and_one_off_days() {
        let source = |r: Region, date: &str| {
            bank_holidays(r, d(date).year())
                .into_iter()
                .find(|h| h.date == d(date))
                .map(|h| h.source)
        };
        assert_eq!(
            source(Region::EnglandAndWales, "2026-12-28"),
            Some(HolidaySource::Rule)
        );
        // Moved and extra days come from the one-off table.
        assert_eq!(
            source(Region::Scotland, "2022-06-02"),
            Some(HolidaySource::OneOff)
        );
        assert_eq!(
            source(Region::Scotland, "2022-06-03"),
            Some(HolidaySource::OneOff)
        );
        assert_eq!(
            source(Region::NorthernIreland, "2020-05-08"),
            Some(HolidaySource::OneOff)
        );
        // No built-in day is ever marked as from a file.
        for r in Region::ALL {
            for year in FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR {
                assert!(bank_holidays(r, year)
                    .iter()
                    .all(|h| h.source != HolidaySource::File));
            }
        }
    }

    #[test]
    fn scotland_2010_and_2011_had_no_4_january_holiday() {
        assert_eq!(find(Region::Scotland, "2010-01-04"), None);
        assert_eq!(find(Region::Scotland, "2011-01-04"), None);
        assert!(find(Region::Scotland, "2011-01-03").is_some());
        // The rules alone would give it, as in 2016 and 2021.
        assert!(find(Region::Scotland, "2016-01-04").is_some());
        assert!(find(Region::Scotland, "2021-01-04").is_some());
    }

    #[test]
    fn every_one_off_change_fits_the_rules() {
        let mut previous = None;
        for change in ONE_OFF_CHANGES {
            // Table kept in date order.
            assert!(Some(change.sort_date()) >= previous, "{change:?}");
            previous = Some(change.sort_date());
            assert!(!change.regions().is_empty(), "{change:?}");
            for &r in change.regions() {
                let mut rules = regular_holidays(r, change.year()).unwrap();
                rules.sort_by_key(|h| h.date);
                let taken = |date: NaiveDate| rules.iter().any(|h| h.date == date);
                match *change {
                    OneOffChange::Extra { date, .. } => {
                        assert!(!taken(date), "{change:?} clashes in {r}");
                        assert!(!substitute::is_weekend(date), "{change:?}");
                    }
                    OneOffChange::Moved { from, to, .. } => {
                        assert!(taken(from), "{change:?}: no rule holiday to move in {r}");
                        assert!(!taken(to) && !substitute::is_weekend(to), "{change:?}");
                        assert_eq!(from.year(), to.year(), "{change:?}");
                    }
                    OneOffChange::Removed { date, .. } => {
                        assert!(taken(date), "{change:?}: nothing to remove in {r}");
                    }
                }
            }
        }
    }

    /// How many days off `region` has in `year` by the rules plus the table.
    fn expected_count(region: Region, year: i32) -> usize {
        let base = match region {
            Region::EnglandAndWales => 8,
            Region::Scotland if year >= FIRST_ST_ANDREWS_DAY_YEAR => 9,
            Region::Scotland => 8,
            Region::NorthernIreland => 10,
        };
        ONE_OFF_CHANGES
            .iter()
            .filter(|c| c.year() == year && c.applies_to(region))
            .fold(base, |n, c| match c {
                OneOffChange::Extra { .. } => n + 1,
                OneOffChange::Moved { .. } => n,
                OneOffChange::Removed { .. } => n - 1,
            })
    }

    #[test]
    fn every_supported_year_is_sorted_distinct_weekdays_with_the_expected_count() {
        for region in Region::ALL {
            for year in FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR {
                let days = bank_holidays(region, year);
                assert_eq!(days.len(), expected_count(region, year), "{region} {year}");
                assert!(
                    days.windows(2).all(|w| w[0].date < w[1].date),
                    "{region} {year}: not sorted and distinct"
                );
                for h in &days {
                    assert_eq!(h.date.year(), year, "{region} {h:?}");
                    assert!(!substitute::is_weekend(h.date), "{region} {h:?}");
                }
                // Every regular holiday appears exactly once, on its day or as a substitute.
                let names: BTreeSet<&str> = days
                    .iter()
                    .map(|h| h.name.trim_end_matches(substitute::SUBSTITUTE_SUFFIX))
                    .collect();
                for must in [
                    "Good Friday",
                    "Christmas Day",
                    "Boxing Day",
                    "Spring bank holiday",
                ] {
                    assert!(names.contains(must), "{region} {year}: {must}");
                }
            }
        }
    }

    #[test]
    fn substitute_days_follow_a_weekend_holiday() {
        // A substitute day is never more than three days after its holiday's date.
        for region in Region::ALL {
            for year in FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR {
                for h in bank_holidays(region, year) {
                    if h.name.ends_with(substitute::SUBSTITUTE_SUFFIX) {
                        let wd = h.date.weekday();
                        assert!(matches!(wd, Weekday::Mon | Weekday::Tue), "{region} {h:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn never_panics_for_any_year() {
        for year in [
            i32::MIN,
            i32::MIN + 1,
            -262_145,
            -262_144,
            -262_143,
            -1,
            0,
            1,
            1977,
            262_142,
            262_143,
            262_144,
            i32::MAX - 1,
            i32::MAX,
        ] {
            for region in Region::ALL {
                let days = bank_holidays(region, year);
                assert!(days.windows(2).all(|w| w[0].date < w[1].date));
            }
        }
        assert!(bank_holidays(Region::Scotland, i32::MAX).is_empty());
        assert!(bank_holidays(Region::Scotland, i32::MIN).is_empty());
        assert_eq!(bank_holidays(Region::NorthernIreland, 0).len(), 10);
    }

    #[test]
    fn weekday_rules() {
        assert_eq!(first_monday(2026, 5), Some(d("2026-05-04")));
        assert_eq!(last_monday(2026, 5), Some(d("2026-05-25")));
        assert_eq!(last_monday(2026, 8), Some(d("2026-08-31")));
        assert_eq!(first_monday(2026, 8), Some(d("2026-08-03")));
        assert_eq!(last_monday(2027, 5), Some(d("2027-05-31")));
    }
}
