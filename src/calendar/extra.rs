//! Bank holidays added by a team (`--holidays FILE`): days proclaimed after
//! this version of `stagger` was built, merged into the built-in table.

use chrono::{Datelike, NaiveDate};

use super::substitute::is_weekend;
use super::{Holiday, HolidaySource, Region};

/// One extra bank holiday, for one nation or (with `region: None`) for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraHoliday {
    /// The day off.
    pub date: NaiveDate,
    /// Its name, e.g. `World Cup bank holiday`.
    pub name: String,
    /// The nation it applies to; `None` applies to every nation.
    pub region: Option<Region>,
}

impl ExtraHoliday {
    /// Whether this holiday applies to releases of `region`.
    pub fn applies_to(&self, region: Region) -> bool {
        self.region.is_none_or(|r| r == region)
    }
}

/// Adds to `days` (the bank holidays of `region` in `year`) every extra holiday
/// of that nation and year, marked [`HolidaySource::File`], and sorts by date.
///
/// A day that is already a bank holiday keeps its built-in name and source, a
/// day listed twice is added once (the first name wins), and a weekend day is
/// left out: it is not a day off that releases could otherwise use.
pub fn merge_extra_holidays(
    days: &mut Vec<Holiday>,
    region: Region,
    year: i32,
    extra: &[ExtraHoliday],
) {
    for e in extra {
        if e.date.year() != year || !e.applies_to(region) || is_weekend(e.date) {
            continue;
        }
        if !days.iter().any(|h| h.date == e.date) {
            days.push(Holiday {
                date: e.date,
                name: e.name.clone(),
                source: HolidaySource::File,
            });
        }
    }
    days.sort_by_key(|h| h.date);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::bank_holidays;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn extra(date: &str, name: &str, region: Option<Region>) -> ExtraHoliday {
        ExtraHoliday {
            date: d(date),
            name: name.into(),
            region,
        }
    }

    #[test]
    fn adds_days_of_the_nation_and_year_in_date_order() {
        let file = [
            extra("2027-06-14", "Extra day", Some(Region::Scotland)),
            extra("2027-09-20", "Everywhere day", None),
            extra("2028-06-12", "Next year", None),
        ];
        let mut days = bank_holidays(Region::Scotland, 2027);
        let before = days.len();
        merge_extra_holidays(&mut days, Region::Scotland, 2027, &file);
        assert_eq!(days.len(), before + 2);
        assert!(days.windows(2).all(|w| w[0].date < w[1].date));
        let added: Vec<_> = days
            .iter()
            .filter(|h| h.source == HolidaySource::File)
            .map(|h| (h.date, h.name.as_str()))
            .collect();
        assert_eq!(
            added,
            vec![
                (d("2027-06-14"), "Extra day"),
                (d("2027-09-20"), "Everywhere day")
            ]
        );
        // England and Wales gets only the day without a region.
        let mut ew = bank_holidays(Region::EnglandAndWales, 2027);
        merge_extra_holidays(&mut ew, Region::EnglandAndWales, 2027, &file);
        assert_eq!(
            ew.iter()
                .filter(|h| h.source == HolidaySource::File)
                .count(),
            1
        );
    }

    #[test]
    fn a_built_in_day_wins_and_weekends_and_repeats_are_left_out() {
        let file = [
            // Already Christmas Day in every nation.
            extra("2027-12-27", "Our Christmas", None),
            // A Saturday.
            extra("2027-06-12", "Saturday", None),
            extra("2027-06-14", "First", None),
            extra("2027-06-14", "Second", Some(Region::NorthernIreland)),
        ];
        let mut days = bank_holidays(Region::NorthernIreland, 2027);
        let before = days.clone();
        merge_extra_holidays(&mut days, Region::NorthernIreland, 2027, &file);
        assert_eq!(days.len(), before.len() + 1);
        let xmas = days.iter().find(|h| h.date == d("2027-12-27")).unwrap();
        assert_eq!(xmas.name, "Christmas Day (substitute day)");
        assert_eq!(xmas.source, HolidaySource::Rule);
        assert!(!days.iter().any(|h| h.date == d("2027-06-12")));
        let added = days.iter().find(|h| h.date == d("2027-06-14")).unwrap();
        assert_eq!(added.name, "First");
    }
}
