//! Working-day arithmetic per nation, with bank holidays and closures.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{bank_holidays, Closure, ExtraHoliday, Region};

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NonWorking {
    /// Saturday or Sunday.
    Weekend(Weekday),
    /// A bank holiday of the release's nation (name given).
    BankHoliday(String),
    /// A closure from the closures file (name given).
    Closure(String),
}

impl std::fmt::Display for NonWorking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NonWorking::Weekend(w) => write!(f, "a {}", full_weekday(*w)),
            NonWorking::BankHoliday(n) => write!(f, "a bank holiday ({n})"),
            NonWorking::Closure(n) => write!(f, "a closure ({n})"),
        }
    }
}

impl NonWorking {
    /// A phrase for messages, e.g. `a weekend day`, `a bank holiday in Scotland (St Andrew's Day)`.
    pub fn describe(&self, region: Region) -> String {
        match self {
            NonWorking::Weekend(_) => "a weekend day".to_string(),
            NonWorking::BankHoliday(n) => format!("a bank holiday in {} ({n})", region.name()),
            NonWorking::Closure(n) => format!("a closure day ({n})"),
        }
    }
}

/// The English name of a weekday, e.g. `Thursday`.
pub fn full_weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Which days are working days for each nation.
///
/// Bank holidays are computed once for a range of years (and on demand outside it);
/// extra bank holidays come from the user's holidays file (any year), closures
/// from the user's closures file.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    holidays: BTreeMap<(Region, NaiveDate), String>,
    years: (i32, i32),
    extra: BTreeMap<(Region, NaiveDate), String>,
    cancelled: BTreeSet<(Region, NaiveDate)>,
    closures: Vec<Closure>,
    /// Indices into `closures` by date, so a lookup never scans the whole file.
    closure_dates: BTreeMap<NaiveDate, Vec<usize>>,
}

impl WorkingCalendar {
    /// A calendar covering bank holidays of `first_year..=last_year`, plus `closures`.
    pub fn new(first_year: i32, last_year: i32, closures: Vec<Closure>) -> Self {
        let mut holidays = BTreeMap::new();
        for region in Region::ALL {
            for year in first_year..=last_year {
                for h in bank_holidays(region, year) {
                    holidays.insert((region, h.date), h.name);
                }
            }
        }
        let mut closure_dates: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
        for (i, c) in closures.iter().enumerate() {
            closure_dates.entry(c.date).or_default().push(i);
        }
        WorkingCalendar {
            holidays,
            years: (first_year, last_year),
            extra: BTreeMap::new(),
            cancelled: BTreeSet::new(),
            closures,
            closure_dates,
        }
    }

    /// This calendar with `extra` bank holidays (from a `--holidays` file)
    /// merged into the built-in ones, in every year. A day that is already a
    /// bank holiday keeps its built-in name; a weekend day changes nothing; a
    /// day listed twice for one nation keeps its first name. A cancelled day
    /// (`ExtraHoliday::cancelled`) is no bank holiday of its nations, whether
    /// built in or added.
    pub fn with_extra_holidays(mut self, extra: &[ExtraHoliday]) -> Self {
        for e in extra {
            if e.cancelled {
                for region in Region::ALL.into_iter().filter(|&r| e.applies_to(r)) {
                    self.cancelled.insert((region, e.date));
                }
                continue;
            }
            if matches!(e.date.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            for region in Region::ALL.into_iter().filter(|&r| e.applies_to(r)) {
                self.extra
                    .entry((region, e.date))
                    .or_insert_with(|| e.name.clone());
            }
        }
        self
    }

    /// The closures this calendar applies.
    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    /// The bank holiday of `region` on `date`, if any: built in, or from the
    /// holidays file (and not cancelled by it).
    pub fn bank_holiday(&self, date: NaiveDate, region: Region) -> Option<String> {
        if self.cancelled.contains(&(region, date)) {
            return None;
        }
        let y = date.year();
        let built_in = if y >= self.years.0 && y <= self.years.1 {
            self.holidays.get(&(region, date)).cloned()
        } else {
            bank_holidays(region, y)
                .into_iter()
                .find(|h| h.date == date)
                .map(|h| h.name)
        };
        built_in.or_else(|| self.extra.get(&(region, date)).cloned())
    }

    /// The closure of `region` on `date`, if any.
    pub fn closure(&self, date: NaiveDate, region: Region) -> Option<&Closure> {
        self.closure_dates
            .get(&date)?
            .iter()
            .filter_map(|&i| self.closures.get(i))
            .find(|c| c.applies_to(region))
    }

    /// Why `date` is not a working day in `region`, or `None` if it is one.
    pub fn non_working_reason(&self, date: NaiveDate, region: Region) -> Option<NonWorking> {
        let wd = date.weekday();
        if matches!(wd, Weekday::Sat | Weekday::Sun) {
            return Some(NonWorking::Weekend(wd));
        }
        if let Some(name) = self.bank_holiday(date, region) {
            return Some(NonWorking::BankHoliday(name));
        }
        self.closure(date, region)
            .map(|c| NonWorking::Closure(c.name.clone()))
    }

    /// Whether releases of `region` may go out on `date`.
    pub fn is_working_day(&self, date: NaiveDate, region: Region) -> bool {
        self.non_working_reason(date, region).is_none()
    }

    /// Signed number of working days from `from` to `to`: the working days `d` with
    /// `from < d <= to` when `to` is later, minus those with `to <= d < from` when earlier.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate, region: Region) -> i32 {
        if to == from {
            return 0;
        }
        let (lo, hi, sign) = if to > from {
            (from.succ_opt(), Some(to), 1)
        } else {
            (Some(to), from.pred_opt(), -1)
        };
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return 0;
        };
        let mut n = 0;
        let mut d = lo;
        while d <= hi {
            if self.is_working_day(d, region) {
                n += 1;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        sign * n
    }

    /// The working days of `region` from `from` to `to` inclusive, in order.
    pub fn working_days_in(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        region: Region,
    ) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut d = from;
        while d <= to {
            if self.is_working_day(d, region) {
                out.push(d);
            }
            match d.checked_add_days(Days::new(1)) {
                Some(next) => d = next,
                None => break,
            }
        }
        out
    }

    /// The `n`-th working day of `region` after `date` (`date` itself when `n` is 0).
    /// Stops at the end of the date range chrono supports.
    pub fn working_days_after(&self, date: NaiveDate, n: u32, region: Region) -> NaiveDate {
        let mut d = date;
        let mut counted = 0;
        while counted < n {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_working_day(d, region) {
                counted += 1;
            }
        }
        d
    }

    /// The working days of `region` within `n` working days of `date` either side
    /// (the date itself included if it is a working day), looking at most
    /// [`crate::limits::MAX_WINDOW_DAYS`] − 1 days away.
    pub fn window_around(&self, date: NaiveDate, n: u32, region: Region) -> Vec<NaiveDate> {
        // Never look further than a window may reach (two years): a calendar closed for
        // years gives a short window, not a walk to the end of time.
        let reach = chrono::Duration::days(crate::limits::MAX_WINDOW_DAYS - 1);
        let first = date.checked_sub_signed(reach).unwrap_or(NaiveDate::MIN);
        let last = date.checked_add_signed(reach).unwrap_or(NaiveDate::MAX);
        let mut before = Vec::new();
        let mut d = date;
        while (before.len() as u32) < n {
            match d.pred_opt() {
                Some(p) if p >= first => d = p,
                _ => break,
            }
            if self.is_working_day(d, region) {
                before.push(d);
            }
        }
        before.reverse();
        if self.is_working_day(date, region) {
            before.push(date);
        }
        let mut after = 0;
        let mut d = date;
        while after < n {
            match d.succ_opt() {
                Some(s) if s <= last => d = s,
                _ => break,
            }
            if self.is_working_day(d, region) {
                before.push(d);
                after += 1;
            }
        }
        before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekends_are_not_working_days() {
        let cal = WorkingCalendar::new(2026, 2026, vec![]);
        assert!(!cal.is_working_day(d("2026-11-21"), Region::Scotland));
        assert!(cal.is_working_day(d("2026-11-23"), Region::Scotland));
    }

    #[test]
    fn working_days_between_is_signed_and_skips_weekends() {
        let cal = WorkingCalendar::new(2026, 2026, vec![]);
        // Fri 20 Nov -> Mon 23 Nov is one working day.
        let r = Region::EnglandAndWales;
        assert_eq!(
            cal.working_days_between(d("2026-11-20"), d("2026-11-23"), r),
            1
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-23"), d("2026-11-20"), r),
            -1
        );
        // From a Saturday: Monday is +1, Friday is -1.
        assert_eq!(
            cal.working_days_between(d("2026-11-21"), d("2026-11-23"), r),
            1
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-21"), d("2026-11-20"), r),
            -1
        );
    }

    #[test]
    fn closures_apply_to_their_region_only() {
        let cal = WorkingCalendar::new(
            2026,
            2026,
            vec![Closure {
                date: d("2026-11-23"),
                name: "Office move".into(),
                region: Some(Region::Scotland),
            }],
        );
        assert!(!cal.is_working_day(d("2026-11-23"), Region::Scotland));
        assert!(cal.is_working_day(d("2026-11-23"), Region::EnglandAndWales));
    }

    #[test]
    fn bank_holidays_are_not_working_days_in_their_nation_only() {
        let cal = WorkingCalendar::new(2026, 2026, vec![]);
        // Monday 3 August 2026: Summer bank holiday in Scotland only.
        assert!(!cal.is_working_day(d("2026-08-03"), Region::Scotland));
        assert!(cal.is_working_day(d("2026-08-03"), Region::EnglandAndWales));
        assert_eq!(
            cal.non_working_reason(d("2026-08-03"), Region::Scotland),
            Some(NonWorking::BankHoliday("Summer bank holiday".into()))
        );
        // Monday 28 December 2026: Boxing Day substitute everywhere.
        for r in Region::ALL {
            assert!(!cal.is_working_day(d("2026-12-28"), r));
        }
        // Monday 13 July 2026: Boyne substitute, Northern Ireland only.
        assert!(!cal.is_working_day(d("2026-07-13"), Region::NorthernIreland));
        assert!(cal.is_working_day(d("2026-07-13"), Region::Scotland));
        // Outside the precomputed years the holidays are computed on demand.
        assert!(!cal.is_working_day(d("2027-03-29"), Region::EnglandAndWales));
        assert!(cal.is_working_day(d("2027-03-29"), Region::Scotland));
        // Working-day arithmetic skips them: Thu 24 Dec -> Tue 29 Dec 2026 is one day.
        assert_eq!(
            cal.working_days_between(d("2026-12-24"), d("2026-12-29"), Region::EnglandAndWales),
            1
        );
    }

    #[test]
    fn a_cancelled_day_is_a_working_day_of_its_nations() {
        let extra = vec![
            ExtraHoliday {
                // Summer bank holiday 2026 in England and Wales, cancelled there.
                date: d("2026-08-31"),
                name: String::new(),
                region: Some(Region::EnglandAndWales),
                cancelled: true,
            },
            ExtraHoliday {
                // A day the file adds and cancels: cancelled wins.
                date: d("2026-09-14"),
                name: "Added".into(),
                region: None,
                cancelled: false,
            },
            ExtraHoliday {
                date: d("2026-09-14"),
                name: String::new(),
                region: None,
                cancelled: true,
            },
        ];
        let cal = WorkingCalendar::new(2026, 2026, vec![]).with_extra_holidays(&extra);
        assert!(cal.is_working_day(d("2026-08-31"), Region::EnglandAndWales));
        // Northern Ireland keeps its summer bank holiday on the same day.
        assert!(!cal.is_working_day(d("2026-08-31"), Region::NorthernIreland));
        for r in Region::ALL {
            assert!(cal.is_working_day(d("2026-09-14"), r));
        }
        // Working-day arithmetic counts the freed day: Fri 28 Aug -> Tue 1 Sep.
        assert_eq!(
            cal.working_days_between(d("2026-08-28"), d("2026-09-01"), Region::EnglandAndWales),
            2
        );
    }

    #[test]
    fn extra_holidays_apply_to_their_nation_in_any_year() {
        let extra = vec![
            ExtraHoliday {
                date: d("2026-09-14"),
                name: "Added day".into(),
                region: Some(Region::Scotland),
                cancelled: false,
            },
            ExtraHoliday {
                // Outside the precomputed years, for every nation.
                date: d("2031-03-10"),
                name: "Far day".into(),
                region: None,
                cancelled: false,
            },
            ExtraHoliday {
                // Already Christmas Day: the built-in name stays.
                date: d("2026-12-25"),
                name: "Our Christmas".into(),
                region: None,
                cancelled: false,
            },
            ExtraHoliday {
                // A Saturday: still a weekend, not a bank holiday.
                date: d("2026-09-12"),
                name: "Saturday".into(),
                region: None,
                cancelled: false,
            },
        ];
        let cal = WorkingCalendar::new(2026, 2026, vec![]).with_extra_holidays(&extra);
        assert_eq!(
            cal.non_working_reason(d("2026-09-14"), Region::Scotland),
            Some(NonWorking::BankHoliday("Added day".into()))
        );
        assert!(cal.is_working_day(d("2026-09-14"), Region::EnglandAndWales));
        for r in Region::ALL {
            assert!(!cal.is_working_day(d("2031-03-10"), r));
            assert_eq!(
                cal.bank_holiday(d("2026-12-25"), r).as_deref(),
                Some("Christmas Day")
            );
            assert_eq!(
                cal.non_working_reason(d("2026-09-12"), r),
                Some(NonWorking::Weekend(Weekday::Sat))
            );
        }
        // Working-day arithmetic skips the added day: Fri 11 -> Tue 15 Sept is one day.
        assert_eq!(
            cal.working_days_between(d("2026-09-11"), d("2026-09-15"), Region::Scotland),
            1
        );
        assert_eq!(
            cal.working_days_between(d("2026-09-11"), d("2026-09-15"), Region::EnglandAndWales),
            2
        );
    }

    #[test]
    fn scotland_world_cup_day_2026_is_not_a_working_day_there_only() {
        let cal = WorkingCalendar::new(2026, 2026, vec![]);
        assert_eq!(
            cal.non_working_reason(d("2026-06-15"), Region::Scotland),
            Some(NonWorking::BankHoliday("World Cup bank holiday".into()))
        );
        assert!(cal.is_working_day(d("2026-06-15"), Region::EnglandAndWales));
        assert!(cal.is_working_day(d("2026-06-15"), Region::NorthernIreland));
    }

    #[test]
    fn window_around_counts_working_days_each_side() {
        let cal = WorkingCalendar::new(2026, 2026, vec![]);
        let w = cal.window_around(d("2026-11-23"), 1, Region::EnglandAndWales);
        assert_eq!(w, vec![d("2026-11-20"), d("2026-11-23"), d("2026-11-24")]);
    }

    #[test]
    fn a_calendar_closed_for_years_gives_a_short_window_not_a_hang() {
        // Every day from 2020 to 2034 closed: the walk stops two years away (it once
        // walked to the year -262144, computing bank holidays on the way).
        let start = d("2020-01-01");
        let closures = (0..15 * 366)
            .map(|i| Closure {
                date: start + chrono::Duration::days(i),
                name: "closed".into(),
                region: None,
            })
            .collect();
        let cal = WorkingCalendar::new(2020, 2034, closures);
        assert!(cal
            .window_around(d("2027-06-01"), 10, Region::EnglandAndWales)
            .is_empty());
        let edge = cal.window_around(NaiveDate::MIN, 3, Region::EnglandAndWales);
        assert!(edge.len() <= 3);
    }
}
