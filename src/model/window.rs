//! Where a release may be scheduled: its window of allowed working days.

use chrono::{Datelike, NaiveDate};

use super::{Release, Status};
use crate::calendar::WorkingCalendar;

/// How far provisional releases may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowRules {
    /// Working days either side of the proposed date when the release has no
    /// `earliest`/`latest` (or on the side that has none).
    pub max_shift: u32,
    /// Also keep each release in the month of its proposed date.
    pub keep_month: bool,
    /// Planning from this date on: a release dated before it stays where it is, and
    /// no release moves onto a day before it (e.g. today, mid-year).
    pub not_before: Option<NaiveDate>,
}

impl Default for WindowRules {
    fn default() -> Self {
        WindowRules {
            max_shift: 10,
            keep_month: false,
            not_before: None,
        }
    }
}

/// One day a release may go out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateDay {
    /// The date.
    pub date: NaiveDate,
    /// Signed working days from the release's current date (its `date`).
    pub shift: i32,
}

/// The days `release` may be scheduled on, in date order. Confirmed releases get
/// their own date only (even if it is not a working day: that is reported elsewhere);
/// cancelled ones get none.
pub fn candidate_days(
    release: &Release,
    calendar: &WorkingCalendar,
    rules: WindowRules,
) -> Vec<CandidateDay> {
    let day = |date| CandidateDay {
        date,
        shift: calendar.working_days_between(release.date, date, release.region),
    };
    match release.status {
        Status::Cancelled => Vec::new(),
        Status::Confirmed => vec![day(release.date)],
        Status::Provisional if rules.not_before.is_some_and(|n| release.date < n) => {
            vec![day(release.date)]
        }
        Status::Provisional => {
            let (lo, hi) = window_bounds(release, calendar, rules);
            calendar
                .working_days_in(lo, hi, release.region)
                .into_iter()
                .filter(|d| rules.not_before.is_none_or(|n| *d >= n))
                .filter(|d| {
                    !rules.keep_month
                        || (d.year() == release.anchor.year()
                            && d.month() == release.anchor.month())
                })
                .map(day)
                .collect()
        }
    }
}

/// The first and last day of a provisional release's window before working days,
/// `--keep-month` and `--not-before` apply: its `earliest` and `latest`, and on a side
/// without one, `rules.max_shift` working days from its proposed date (`anchor`);
/// never beyond the supported dates ([`crate::limits::FIRST_DATE`] to
/// [`crate::limits::LAST_DATE`]).
pub fn window_bounds(
    release: &Release,
    calendar: &WorkingCalendar,
    rules: WindowRules,
) -> (NaiveDate, NaiveDate) {
    let around = || calendar.window_around(release.anchor, rules.max_shift, release.region);
    let lo = match release.earliest {
        Some(e) => e,
        None => around().first().copied().unwrap_or(release.anchor),
    };
    let hi = match release.latest {
        Some(l) => l,
        None => around().last().copied().unwrap_or(release.anchor),
    };
    // Never onto a day outside the supported dates (a schedule must read back).
    (
        lo.max(crate::limits::FIRST_DATE),
        hi.min(crate::limits::LAST_DATE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn release(date: &str) -> Release {
        Release::new("r", d(date))
    }

    #[test]
    fn default_window_counts_working_days_each_side() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let c = candidate_days(
            &release("2027-11-04"),
            &cal,
            WindowRules {
                max_shift: 2,
                keep_month: false,
                not_before: None,
            },
        );
        let dates: Vec<_> = c.iter().map(|c| c.date.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2027-11-02",
                "2027-11-03",
                "2027-11-04",
                "2027-11-05",
                "2027-11-08"
            ]
        );
        assert_eq!(c[0].shift, -2);
        assert_eq!(c[4].shift, 2);
    }

    #[test]
    fn explicit_bounds_and_keep_month() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let mut r = release("2027-09-29");
        r.latest = Some(d("2027-10-01"));
        let c = candidate_days(
            &r,
            &cal,
            WindowRules {
                max_shift: 1,
                keep_month: true,
                not_before: None,
            },
        );
        let dates: Vec<_> = c.iter().map(|c| c.date.to_string()).collect();
        assert_eq!(dates, ["2027-09-28", "2027-09-29", "2027-09-30"]);
    }

    #[test]
    fn windows_stop_at_the_supported_dates() {
        let cal = WorkingCalendar::new(1977, 1978, vec![]);
        let c = candidate_days(&release("1978-01-03"), &cal, WindowRules::default());
        assert_eq!(c.first().map(|c| c.date), Some(d("1978-01-03")), "{c:?}");
        let cal = WorkingCalendar::new(2199, 2200, vec![]);
        let c = candidate_days(&release("2199-12-30"), &cal, WindowRules::default());
        assert_eq!(c.last().map(|c| c.date), Some(d("2199-12-31")), "{c:?}");
    }

    #[test]
    fn not_before_keeps_the_past_and_cuts_the_window() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let rules = WindowRules {
            max_shift: 2,
            keep_month: false,
            not_before: Some(d("2027-11-04")),
        };
        let past = candidate_days(&release("2027-11-02"), &cal, rules);
        assert_eq!(past.len(), 1, "a release dated before the cut-off stays");
        let dates: Vec<_> = candidate_days(&release("2027-11-04"), &cal, rules)
            .iter()
            .map(|c| c.date.to_string())
            .collect();
        assert_eq!(dates, ["2027-11-04", "2027-11-05", "2027-11-08"]);
    }

    #[test]
    fn confirmed_stays_and_cancelled_has_no_day() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let mut r = release("2027-11-04");
        r.status = Status::Confirmed;
        assert_eq!(candidate_days(&r, &cal, WindowRules::default()).len(), 1);
        r.status = Status::Cancelled;
        assert!(candidate_days(&r, &cal, WindowRules::default()).is_empty());
    }
}
