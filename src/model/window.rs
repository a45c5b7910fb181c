//! Where a release may be scheduled: its window of allowed working days.

use chrono::{Datelike, NaiveDate};

use super::{Release, Status};
use crate::calendar::WorkingCalendar;

/// Notice periods (Code of Practice for Statistics, T3.1): an exact date is announced
/// at least four weeks ahead (six months for market-sensitive releases), so a date
/// inside that period is fixed and nothing may move into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeRules {
    /// The planning date (`--today`).
    pub today: NaiveDate,
    /// Working days of notice for a changed date (`--min-notice`, default 20).
    pub min_notice: u32,
    /// Working days of notice for market-sensitive releases (`--min-notice-sensitive`,
    /// default 130).
    pub min_notice_sensitive: u32,
}

impl NoticeRules {
    /// Default notice periods from `today`: 20 and 130 working days.
    pub fn from_today(today: NaiveDate) -> NoticeRules {
        NoticeRules {
            today,
            min_notice: 20,
            min_notice_sensitive: 130,
        }
    }

    /// The working days of notice `release` needs.
    pub fn notice_for(&self, release: &Release) -> u32 {
        if release.market_sensitive {
            self.min_notice_sensitive
        } else {
            self.min_notice
        }
    }

    /// The first date `release` may be moved onto: `today` plus its notice in
    /// working days of its nation. A release dated earlier is frozen.
    pub fn first_open_date(&self, release: &Release, calendar: &WorkingCalendar) -> NaiveDate {
        calendar.working_days_after(self.today, self.notice_for(release), release.region)
    }
}

/// How far provisional releases may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowRules {
    /// Working days either side of the proposed date when the release has no
    /// `earliest`/`latest` (or on the side that has none).
    pub max_shift: u32,
    /// Also keep each release in the month of its proposed date.
    pub keep_month: bool,
    /// Notice periods from the planning date; `None` plans as if every date were
    /// open (library callers only: the command line always sets `--today`).
    pub notice: Option<NoticeRules>,
}

impl Default for WindowRules {
    fn default() -> Self {
        WindowRules {
            max_shift: 10,
            keep_month: false,
            notice: None,
        }
    }
}

/// Why a provisional release cannot move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frozen {
    /// Its date is before the end of its notice period (`first_open` is the first
    /// date that could still change).
    WithinNotice {
        /// The first open date.
        first_open: NaiveDate,
        /// Whether the longer market-sensitive notice applied.
        market_sensitive: bool,
    },
}

/// Whether a provisional release is frozen by the notice rules.
pub fn frozen(release: &Release, calendar: &WorkingCalendar, rules: WindowRules) -> Option<Frozen> {
    let notice = rules.notice?;
    let first_open = notice.first_open_date(release, calendar);
    (release.date < first_open).then_some(Frozen::WithinNotice {
        first_open,
        market_sensitive: release.market_sensitive,
    })
}

/// One day a release may go out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateDay {
    /// The date.
    pub date: NaiveDate,
    /// Signed working days from the release's current date (its `date`).
    pub shift: i32,
}

/// The first and last date of a provisional release's window before working days,
/// notice and month are applied: `earliest`/`latest` where given; otherwise
/// `--max-shift` working days from the anchor, cut to the announced `period` if any.
pub fn window_bounds(
    release: &Release,
    calendar: &WorkingCalendar,
    rules: WindowRules,
) -> (NaiveDate, NaiveDate) {
    let around = calendar.window_around(release.anchor, rules.max_shift, release.region);
    let mut lo = around.first().copied().unwrap_or(release.anchor);
    let mut hi = around.last().copied().unwrap_or(release.anchor);
    if let Some((first, last)) = release.period {
        lo = lo.max(first);
        hi = hi.min(last);
    }
    let (lo, hi) = (release.earliest.unwrap_or(lo), release.latest.unwrap_or(hi));
    // Never onto a day outside the supported dates (a schedule must read back).
    (
        lo.max(crate::limits::FIRST_DATE),
        hi.min(crate::limits::LAST_DATE),
    )
}

/// The days `release` may be scheduled on, in date order. Confirmed releases get
/// their own date only (even if it is not a working day: that is reported elsewhere),
/// and so do provisional releases frozen by the notice rules; cancelled ones get none.
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
        Status::Provisional if frozen(release, calendar, rules).is_some() => {
            vec![day(release.date)]
        }
        Status::Provisional => {
            let (lo, hi) = window_bounds(release, calendar, rules);
            let open = rules.notice.map(|n| n.first_open_date(release, calendar));
            let lo = open.map_or(lo, |o| lo.max(o));
            calendar
                .working_days_in(lo, hi, release.region)
                .into_iter()
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
                notice: None,
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
                notice: None,
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
    fn notice_freezes_near_releases_and_keeps_moves_out_of_the_notice_period() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        // Today Monday 1 November 2027; 3 working days of notice: open from Thu 4 Nov.
        let rules = WindowRules {
            max_shift: 2,
            keep_month: false,
            notice: Some(NoticeRules {
                today: d("2027-11-01"),
                min_notice: 3,
                min_notice_sensitive: 6,
            }),
        };
        let near = release("2027-11-03");
        assert!(frozen(&near, &cal, rules).is_some());
        assert_eq!(candidate_days(&near, &cal, rules).len(), 1, "frozen: stays");
        let dates: Vec<_> = candidate_days(&release("2027-11-04"), &cal, rules)
            .iter()
            .map(|c| c.date.to_string())
            .collect();
        assert_eq!(dates, ["2027-11-04", "2027-11-05", "2027-11-08"]);
        // Market-sensitive: six working days of notice, open from Tue 9 Nov.
        let mut sensitive = release("2027-11-08");
        sensitive.market_sensitive = true;
        assert_eq!(
            frozen(&sensitive, &cal, rules),
            Some(Frozen::WithinNotice {
                first_open: d("2027-11-09"),
                market_sensitive: true
            })
        );
    }

    #[test]
    fn the_announced_period_cuts_the_window() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let mut r = release("2027-10-29"); // Friday
        r.period = Some((d("2027-10-01"), d("2027-10-31")));
        let dates: Vec<_> = candidate_days(
            &r,
            &cal,
            WindowRules {
                max_shift: 2,
                keep_month: false,
                notice: None,
            },
        )
        .iter()
        .map(|c| c.date.to_string())
        .collect();
        assert_eq!(dates, ["2027-10-27", "2027-10-28", "2027-10-29"]);
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
