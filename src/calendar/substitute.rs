//! Placing bank holidays on days off, with substitute days for weekends.
//!
//! A holiday fixed to a calendar date (Christmas Day, St Andrew's Day, ...)
//! that falls on a Saturday or Sunday is replaced by a "substitute day": the
//! first weekday after it that is not already a holiday. Holidays that fall on
//! a weekday keep their own date first, so when Christmas Day is a Sunday,
//! Boxing Day stays on Monday 26 and Christmas moves to Tuesday 27, as GOV.UK
//! lists it.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Holiday, HolidaySource};

/// The suffix GOV.UK's names carry on a substitute day.
pub const SUBSTITUTE_SUFFIX: &str = " (substitute day)";

/// A holiday tied to a calendar date, before weekend substitution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedDateHoliday {
    /// The date the rule names, e.g. 25 December.
    pub nominal: NaiveDate,
    /// The holiday's name.
    pub name: &'static str,
}

/// Whether `date` is a Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days off of one nation in one year, built up holiday by holiday.
#[derive(Debug, Default)]
pub struct DaysOff {
    days: Vec<Holiday>,
}

impl DaysOff {
    /// No days off yet.
    pub fn new() -> Self {
        DaysOff::default()
    }

    /// The days placed so far, in the order they were placed.
    pub fn into_holidays(self) -> Vec<Holiday> {
        self.days
    }

    /// Whether `date` is a weekday that is not yet a holiday.
    pub fn is_free(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.days.iter().any(|h| h.date == date)
    }

    /// The first free weekday strictly after `date`, if chrono can represent it.
    pub fn first_free_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut d = date.succ_opt()?;
        while !self.is_free(d) {
            d = d.succ_opt()?;
        }
        Some(d)
    }

    /// The first free weekday on or after `date`.
    pub fn first_free_from(&self, date: NaiveDate) -> Option<NaiveDate> {
        if self.is_free(date) {
            Some(date)
        } else {
            self.first_free_after(date)
        }
    }

    /// Adds a holiday on `date`, marked as a substitute day when `substitute`.
    pub fn add(&mut self, date: NaiveDate, name: &str, substitute: bool) {
        let name = if substitute {
            format!("{name}{SUBSTITUTE_SUFFIX}")
        } else {
            name.to_string()
        };
        self.days.push(Holiday {
            date,
            name,
            source: HolidaySource::Rule,
        });
    }

    /// Adds a holiday whose rule always gives a weekday (Easter, "first Monday of").
    pub fn add_weekday_rule(&mut self, date: NaiveDate, name: &str) {
        self.add(date, name, false);
    }

    /// Places holidays tied to calendar dates: first every one that falls on a
    /// free weekday keeps its date; then, in the order given (date order), each
    /// one on a weekend or on a day already taken gets the first free weekday
    /// after its date as its substitute day.
    ///
    /// Returns `None` only when a substitute would fall beyond chrono's range.
    pub fn add_fixed_date_rules(&mut self, holidays: &[FixedDateHoliday]) -> Option<()> {
        let mut waiting = Vec::new();
        for h in holidays {
            if self.is_free(h.nominal) {
                self.add(h.nominal, h.name, false);
            } else {
                waiting.push(*h);
            }
        }
        for h in waiting {
            let day = self.first_free_after(h.nominal)?;
            self.add(day, h.name, true);
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn christmas(year: i32) -> Vec<(NaiveDate, String)> {
        let mut days = DaysOff::new();
        days.add_fixed_date_rules(&[
            FixedDateHoliday {
                nominal: NaiveDate::from_ymd_opt(year, 12, 25).unwrap(),
                name: "Christmas Day",
            },
            FixedDateHoliday {
                nominal: NaiveDate::from_ymd_opt(year, 12, 26).unwrap(),
                name: "Boxing Day",
            },
        ])
        .unwrap();
        let mut out: Vec<_> = days
            .into_holidays()
            .into_iter()
            .map(|h| (h.date, h.name))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn christmas_on_saturday_gives_monday_and_tuesday() {
        // 2021: Christmas Saturday, Boxing Day Sunday.
        assert_eq!(
            christmas(2021),
            vec![
                (
                    d("2021-12-27"),
                    "Christmas Day (substitute day)".to_string()
                ),
                (d("2021-12-28"), "Boxing Day (substitute day)".to_string()),
            ]
        );
    }

    #[test]
    fn christmas_on_sunday_keeps_boxing_day_on_monday() {
        // 2022: Christmas Sunday; Boxing Day Monday 26; Christmas moves to 27.
        assert_eq!(
            christmas(2022),
            vec![
                (d("2022-12-26"), "Boxing Day".to_string()),
                (
                    d("2022-12-27"),
                    "Christmas Day (substitute day)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn christmas_on_friday_moves_boxing_day_to_monday() {
        assert_eq!(
            christmas(2026),
            vec![
                (d("2026-12-25"), "Christmas Day".to_string()),
                (d("2026-12-28"), "Boxing Day (substitute day)".to_string()),
            ]
        );
    }

    #[test]
    fn substitute_search_stops_at_the_end_of_chrono_range() {
        let mut days = DaysOff::new();
        assert_eq!(days.first_free_after(NaiveDate::MAX), None);
        // Fill the last weekdays so that no free day is left.
        let mut date = NaiveDate::MAX;
        for _ in 0..5 {
            days.add(date, "x", false);
            date = date.pred_opt().unwrap();
        }
        assert_eq!(
            days.add_fixed_date_rules(&[FixedDateHoliday {
                nominal: NaiveDate::MAX.pred_opt().unwrap(),
                name: "y",
            }]),
            None
        );
    }
}
