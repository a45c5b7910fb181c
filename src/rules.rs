//! Rule findings on the input calendar: what a release-calendar team should fix or know.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{NonWorking, WorkingCalendar};
use crate::model::{min_series_gap, Release, SeriesIndex, SeriesRules, Status};

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
    /// Two releases of a series are in the opposite order to their proposed dates.
    SeriesOrder,
    /// Two releases of a series proposed on different days are on one day.
    SeriesSameDay,
    /// Two consecutive releases of a series are closer than `--min-gap-ratio` of
    /// their proposed gap.
    SeriesGap,
    /// A release of a weekday-regular series is on another weekday.
    SeriesWeekday,
    /// Releases of one `together` group are on different days.
    TogetherSplit,
    /// A release is not strictly after a release its `after` column names.
    AfterOrder,
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
            Rule::SeriesOrder => "series-order",
            Rule::SeriesSameDay => "series-same-day",
            Rule::SeriesGap => "series-gap",
            Rule::SeriesWeekday => "series-weekday",
            Rule::TogetherSplit => "together-split",
            Rule::AfterOrder => "after-order",
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

/// Checks the series, `together` and `after` rules of `planned` dates against the
/// `reference` dates they were planned from (one date per release): series keep
/// their order (by reference date, then id), never put two releases proposed on
/// different days on one day, keep at least `min_gap_ratio` of each proposed gap,
/// and weekday-regular series keep their weekday (unless `any_weekday`); `together`
/// groups share a day; `after` links hold strictly. Cancelled releases are ignored.
///
/// This is the independent statement of the rules: `check` runs it with the
/// proposed dates as reference and the file's dates as planned, and the plan
/// verifier with the input dates as reference and the plan as planned. It shares no
/// code with how the engine encodes the rules.
pub fn link_findings(
    releases: &[Release],
    series: &SeriesIndex,
    rules: SeriesRules,
    reference: &[NaiveDate],
    planned: &[NaiveDate],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let active = |i: &usize| releases[*i].is_active();
    for s in &series.series {
        let mut members: Vec<usize> = s.all.iter().copied().filter(active).collect();
        members.sort_by(|&a, &b| {
            (reference[a], &releases[a].id).cmp(&(reference[b], &releases[b].id))
        });
        for pair in members.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let proposed_gap = (reference[b] - reference[a]).num_days();
            let gap = (planned[b] - planned[a]).num_days();
            let need = min_series_gap(proposed_gap, rules.min_gap_ratio);
            let (ra, rb) = (&releases[a], &releases[b]);
            let finding = if gap < 0 {
                Some((
                    Rule::SeriesOrder,
                    format!(
                        "{} ({}) is before {} ({}), which comes first in the series '{}'",
                        rb.id,
                        long_date(planned[b]),
                        ra.id,
                        long_date(planned[a]),
                        s.name
                    ),
                ))
            } else if proposed_gap > 0 && gap == 0 {
                Some((
                    Rule::SeriesSameDay,
                    format!(
                        "{} and {} of the series '{}' are both on {}, though proposed {} days apart",
                        ra.id,
                        rb.id,
                        s.name,
                        long_date(planned[a]),
                        proposed_gap
                    ),
                ))
            } else if gap < need {
                Some((
                    Rule::SeriesGap,
                    format!(
                        "{} and {} of the series '{}' are {gap} days apart ({} and {}), under the {need} days the minimum gap ratio {} keeps of their proposed {proposed_gap}",
                        ra.id,
                        rb.id,
                        s.name,
                        long_date(planned[a]),
                        long_date(planned[b]),
                        rules.min_gap_ratio
                    ),
                ))
            } else {
                None
            };
            if let Some((rule, message)) = finding {
                out.push(Finding {
                    release: b,
                    rule,
                    message,
                });
            }
        }
        if rules.any_weekday || members.len() < 3 {
            continue;
        }
        // Weekday-regular: at least `weekday_share` of three or more releases on one
        // weekday (counted here from the reference dates); those keep that weekday.
        let Some((weekday, count)) =
            crate::model::usual_weekday(members.iter().map(|&i| reference[i]))
        else {
            continue;
        };
        let need = (rules.weekday_share.clamp(0.0, 1.0) * members.len() as f64 - 1e-9)
            .ceil()
            .max(1.0) as usize;
        if count < need {
            continue;
        }
        for &i in &members {
            if reference[i].weekday() == weekday && planned[i].weekday() != weekday {
                out.push(Finding {
                    release: i,
                    rule: Rule::SeriesWeekday,
                    message: format!(
                        "{} is on {}, but the series '{}' is on a {} ({count} of its {} releases)",
                        releases[i].id,
                        long_date(planned[i]),
                        s.name,
                        crate::calendar::full_weekday(weekday),
                        members.len()
                    ),
                });
            }
        }
    }
    for g in crate::model::together_groups(releases) {
        let first = g.members[0];
        for &i in &g.members[1..] {
            if planned[i] != planned[first] {
                out.push(Finding {
                    release: i,
                    rule: Rule::TogetherSplit,
                    message: format!(
                        "{} ({}) and {} ({}) are to be published together ('{}') but are on different days",
                        releases[first].id,
                        long_date(planned[first]),
                        releases[i].id,
                        long_date(planned[i]),
                        g.name
                    ),
                });
            }
        }
    }
    let by_id: std::collections::BTreeMap<&str, usize> = releases
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    for (b, r) in releases.iter().enumerate() {
        if !r.is_active() {
            continue;
        }
        for id in &r.after {
            let Some(&a) = by_id.get(id.as_str()) else {
                continue;
            };
            if releases[a].is_active() && planned[b] <= planned[a] {
                out.push(Finding {
                    release: b,
                    rule: Rule::AfterOrder,
                    message: format!(
                        "{} ({}) must come after {} ({})",
                        r.id,
                        long_date(planned[b]),
                        releases[a].id,
                        long_date(planned[a])
                    ),
                });
            }
        }
    }
    out
}
