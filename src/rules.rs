//! Rule findings on the input calendar: what a release-calendar team should fix or know.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{NonWorking, WorkingCalendar};
use crate::model::{Release, Status};

/// Kinds of rule finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// Release on a Saturday or Sunday.
    Weekend,
    /// Release on a bank holiday of its nation.
    BankHoliday,
    /// Release on a closure day.
    Closure,
    /// Release time other than 09:30.
    NonStandardTime,
    /// A confirmed release with `earliest`/`latest` (a confirmed date never moves).
    ConfirmedWithWindow,
    /// The release date is outside its own `earliest`..`latest` window.
    OutsideWindow,
    /// The release depends on no failure point, so its exposure cannot be assessed.
    NoFailurePoints,
}

impl Rule {
    /// The identifier used in JSON and CSV output, e.g. `bank-holiday`.
    pub fn slug(self) -> &'static str {
        match self {
            Rule::Weekend => "weekend",
            Rule::BankHoliday => "bank-holiday",
            Rule::Closure => "closure",
            Rule::NonStandardTime => "non-standard-time",
            Rule::ConfirmedWithWindow => "confirmed-with-window",
            Rule::OutsideWindow => "outside-window",
            Rule::NoFailurePoints => "no-failure-points",
        }
    }
}

/// One finding about one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the release.
    pub release: usize,
    /// Which rule.
    pub rule: Rule,
    /// A plain-English explanation naming the release.
    pub message: String,
}

/// Formats a date the way UK release calendars write it: `Thursday 5 August 2027`.
pub fn long_date(d: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        crate::calendar::full_weekday(d.weekday()),
        d.day(),
        crate::io::fields::month_name(d.month()),
        d.year()
    )
}

/// Checks every non-cancelled release against the calendar rules, in input order.
pub fn findings(releases: &[Release], calendar: &WorkingCalendar) -> Vec<Finding> {
    let mut out = Vec::new();
    let std_time = crate::io::standard_release_time();
    for (i, r) in releases.iter().enumerate() {
        if r.status == Status::Cancelled {
            continue;
        }
        let mut add = |rule, message: String| {
            out.push(Finding {
                release: i,
                rule,
                message,
            })
        };
        if let Some(why) = calendar.non_working_reason(r.date, r.region) {
            let rule = match why {
                NonWorking::Weekend(_) => Rule::Weekend,
                NonWorking::BankHoliday(_) => Rule::BankHoliday,
                NonWorking::Closure(_) => Rule::Closure,
            };
            let consequence = if r.status == Status::Confirmed {
                "it is confirmed, so it cannot be moved: correct the announced date"
            } else {
                "it must move to a working day"
            };
            let what = match &why {
                NonWorking::Weekend(_) => "a weekend day".to_string(),
                NonWorking::BankHoliday(n) => {
                    format!("a bank holiday in {} ({n})", r.region.name())
                }
                NonWorking::Closure(n) => format!("a closure day ({n})"),
            };
            add(
                rule,
                format!(
                    "{} is on {}, {what}; {consequence}",
                    r.id,
                    long_date(r.date)
                ),
            );
        }
        if r.time != std_time {
            add(
                Rule::NonStandardTime,
                format!(
                    "{} is released at {} rather than the standard 09:30",
                    r.id,
                    r.time.format("%H:%M")
                ),
            );
        }
        if r.status == Status::Confirmed && (r.earliest.is_some() || r.latest.is_some()) {
            add(
                Rule::ConfirmedWithWindow,
                format!(
                    "{} is confirmed but has an earliest/latest window; confirmed dates never move, so the window is ignored",
                    r.id
                ),
            );
        }
        let before = r.earliest.is_some_and(|e| r.date < e);
        let after = r.latest.is_some_and(|l| r.date > l);
        if before || after {
            let window = match (r.earliest, r.latest) {
                (Some(e), Some(l)) => format!("{e} to {l}"),
                (Some(e), None) => format!("on or after {e}"),
                (None, Some(l)) => format!("on or before {l}"),
                (None, None) => String::new(),
            };
            add(
                Rule::OutsideWindow,
                format!(
                    "{} is on {}, outside its own window ({window})",
                    r.id, r.date
                ),
            );
        }
        if r.depends_on.is_empty() {
            add(
                Rule::NoFailurePoints,
                format!(
                    "{} lists no infrastructure in depends_on, so no failure can be assessed for it",
                    r.id
                ),
            );
        }
    }
    out
}
