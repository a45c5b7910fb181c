//! Daily failure probabilities of failure points, and the risk weight of one
//! (failure point, day) cell for the optimiser.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::DEFAULT_FAILURES_PER_YEAR;
use crate::calendar::{Region, WorkingCalendar};
use crate::model::{FailurePoint, Infrastructure};

/// The largest weight [`risk_weight`] returns: `-ln(1e-12)` ≈ 27.6, the weight of a
/// cell whose failure is certain (`p = 1`), kept finite so optimiser sums stay finite.
pub const MAX_RISK_WEIGHT: f64 = 27.631_021_115_928_547;

/// `W(y)`: the working days of `region` in calendar year `year` (weekends, its bank
/// holidays and the calendar's closures for it excluded). 0 for a year chrono cannot
/// represent.
pub fn working_days_in_year(calendar: &WorkingCalendar, year: i32, region: Region) -> u32 {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return 0;
    };
    calendar.working_days_in(first, last, region).len() as u32
}

/// The failures per year of `point`: its `failures_per_year`, or
/// [`DEFAULT_FAILURES_PER_YEAR`] when the column is empty.
pub fn failures_per_year(point: &FailurePoint) -> f64 {
    point.failures_per_year.unwrap_or(DEFAULT_FAILURES_PER_YEAR)
}

/// The daily failure probability for a rate of `failures_per_year` spread over
/// `working_days` days: `min(rate / working_days, 1)`. A rate that is zero, negative
/// or not a number gives 0; a positive rate over a year without working days gives 1.
pub fn probability_from_rate(failures_per_year: f64, working_days: u32) -> f64 {
    if failures_per_year.is_nan() || failures_per_year <= 0.0 {
        return 0.0;
    }
    if working_days == 0 {
        return 1.0;
    }
    (failures_per_year / f64::from(working_days)).min(1.0)
}

/// The probability that `point` fails on one planning day of `year`:
/// `min(failures_per_year / W(year), 1)` with `W` counted for `region`.
pub fn daily_failure_probability(
    point: &FailurePoint,
    year: i32,
    region: Region,
    calendar: &WorkingCalendar,
) -> f64 {
    probability_from_rate(
        failures_per_year(point),
        working_days_in_year(calendar, year, region),
    )
}

/// The risk weight of a (failure point, day) cell whose failure probability is `p`:
/// `-ln(1 - p)`. Summed over a set of cells it is `-ln P(none of them fails)`, so
/// minimising the sum over clash cells minimises the probability that one failure
/// delays two or more releases. `p` outside `[0, 1]` or not a number gives 0 (below)
/// or [`MAX_RISK_WEIGHT`] (at or above 1).
pub fn risk_weight(p: f64) -> f64 {
    if p.is_nan() || p <= 0.0 {
        return 0.0;
    }
    (-(-p).ln_1p()).min(MAX_RISK_WEIGHT)
}

/// [`Component::risk`](crate::optimise::Component::risk) for every failure point, in
/// input order: the [`risk_weight`] of its daily failure probability in `year`.
/// The optimiser weighs every day of a component alike, so pick one year, e.g.
/// [`busiest_year`] of the planning axis.
pub fn risk_weights_for_year(
    infrastructure: &Infrastructure,
    year: i32,
    region: Region,
    calendar: &WorkingCalendar,
) -> Vec<f64> {
    let w = working_days_in_year(calendar, year, region);
    infrastructure
        .points()
        .iter()
        .map(|p| risk_weight(probability_from_rate(failures_per_year(p), w)))
        .collect()
}

/// [`Component::risk`](crate::optimise::Component::risk) for every failure point of a
/// planning axis: [`risk_weights_for_year`] for the [`busiest_year`] of `axis_days`
/// (all 0 when the axis is empty).
pub fn component_risk_weights(
    infrastructure: &Infrastructure,
    axis_days: &[NaiveDate],
    region: Region,
    calendar: &WorkingCalendar,
) -> Vec<f64> {
    match busiest_year(axis_days) {
        Some(year) => risk_weights_for_year(infrastructure, year, region, calendar),
        None => vec![0.0; infrastructure.points().len()],
    }
}

/// The year holding the most of `days` (the earliest such year on a tie), `None`
/// when `days` is empty.
pub fn busiest_year(days: &[NaiveDate]) -> Option<i32> {
    let mut count: BTreeMap<i32, usize> = BTreeMap::new();
    for d in days {
        *count.entry(d.year()).or_insert(0) += 1;
    }
    let best = count.values().copied().max()?;
    count.into_iter().find(|&(_, n)| n == best).map(|(y, _)| y)
}

/// `W(y)` per year, computed once per year.
#[derive(Debug)]
pub(super) struct YearLengths<'a> {
    calendar: &'a WorkingCalendar,
    region: Region,
    known: BTreeMap<i32, u32>,
}

impl<'a> YearLengths<'a> {
    /// An empty cache for `region`.
    pub(super) fn new(calendar: &'a WorkingCalendar, region: Region) -> Self {
        YearLengths {
            calendar,
            region,
            known: BTreeMap::new(),
        }
    }

    /// `W(year)`.
    pub(super) fn of(&mut self, year: i32) -> u32 {
        *self
            .known
            .entry(year)
            .or_insert_with(|| working_days_in_year(self.calendar, year, self.region))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn working_days_per_year_by_hand() {
        let cal = WorkingCalendar::new(2027, 2028, vec![]);
        // 2027: 261 weekdays, 8 bank holidays on weekdays in England and Wales.
        assert_eq!(
            working_days_in_year(&cal, 2027, Region::EnglandAndWales),
            253
        );
        // 2028 starts on a Saturday: 260 weekdays, 8 bank holidays on weekdays.
        assert_eq!(
            working_days_in_year(&cal, 2028, Region::EnglandAndWales),
            252
        );
        // Scotland 2027: 1 Jan, 4 Jan (2nd January substitute), 26 Mar, 3 May, 31 May,
        // 2 Aug, Tue 30 Nov (St Andrew's Day), 27 and 28 Dec: 9 on weekdays.
        assert_eq!(working_days_in_year(&cal, 2027, Region::Scotland), 252);
    }

    #[test]
    fn closures_shorten_the_year() {
        let cal = WorkingCalendar::new(
            2027,
            2027,
            vec![crate::calendar::Closure {
                date: d("2027-06-01"),
                name: "Office move".into(),
                region: None,
            }],
        );
        assert_eq!(
            working_days_in_year(&cal, 2027, Region::EnglandAndWales),
            252
        );
    }

    #[test]
    fn probability_uses_the_year_and_clamps() {
        let cal = WorkingCalendar::new(2027, 2028, vec![]);
        let mut web = FailurePoint::new("web", "website", &[]);
        let r = Region::EnglandAndWales;
        // Empty column: the default of one a year.
        assert_eq!(daily_failure_probability(&web, 2027, r, &cal), 1.0 / 253.0);
        web.failures_per_year = Some(25.3);
        assert!((daily_failure_probability(&web, 2027, r, &cal) - 0.1).abs() < 1e-15);
        assert_eq!(daily_failure_probability(&web, 2028, r, &cal), 25.3 / 252.0);
        web.failures_per_year = Some(1000.0);
        assert_eq!(daily_failure_probability(&web, 2027, r, &cal), 1.0);
        web.failures_per_year = Some(0.0);
        assert_eq!(daily_failure_probability(&web, 2027, r, &cal), 0.0);
        assert_eq!(probability_from_rate(f64::NAN, 253), 0.0);
        assert_eq!(probability_from_rate(-1.0, 253), 0.0);
        assert_eq!(probability_from_rate(2.0, 0), 1.0);
        assert_eq!(probability_from_rate(f64::INFINITY, 253), 1.0);
    }

    #[test]
    fn risk_weight_is_minus_log_of_survival() {
        assert_eq!(risk_weight(0.0), 0.0);
        assert_eq!(risk_weight(-0.5), 0.0);
        assert_eq!(risk_weight(f64::NAN), 0.0);
        assert!((risk_weight(0.5) - std::f64::consts::LN_2).abs() < 1e-15);
        // Accurate for tiny p: -ln(1 - p) ≈ p + p²/2.
        let p = 1e-12;
        assert!((risk_weight(p) - (p + p * p / 2.0)).abs() < 1e-27);
        assert_eq!(risk_weight(1.0), MAX_RISK_WEIGHT);
        assert!((MAX_RISK_WEIGHT + 1e-12f64.ln()).abs() < 1e-12);
        // Sum of weights = -ln P(no cell fails).
        let (a, b) = (0.1, 0.2);
        let survive = (1.0 - a) * (1.0 - b);
        assert!((risk_weight(a) + risk_weight(b) + survive.ln()).abs() < 1e-15);
    }

    #[test]
    fn weights_per_component_for_the_optimiser() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let mut web = FailurePoint::new("web", "website", &[]);
        web.failures_per_year = Some(25.3);
        let team = FailurePoint::new("team", "team", &[]);
        let infra = Infrastructure::new(vec![web, team]).unwrap();
        let w = risk_weights_for_year(&infra, 2027, Region::EnglandAndWales, &cal);
        assert_eq!(w.len(), 2);
        assert!((w[0] - (-(0.9f64).ln())).abs() < 1e-12);
        assert!((w[1] - (-(1.0 - 1.0 / 253.0f64).ln())).abs() < 1e-12);
        let axis = [d("2027-12-30"), d("2027-12-31"), d("2028-01-04")];
        let r = Region::EnglandAndWales;
        assert_eq!(component_risk_weights(&infra, &axis, r, &cal), w);
        let axis = [d("2027-12-31"), d("2028-01-04"), d("2028-01-05")];
        let w28 = component_risk_weights(&infra, &axis, r, &cal);
        assert!((w28[0] - (-(1.0 - 25.3 / 252.0f64).ln())).abs() < 1e-12);
        assert_eq!(component_risk_weights(&infra, &[], r, &cal), vec![0.0, 0.0]);
    }

    #[test]
    fn busiest_year_breaks_ties_early() {
        assert_eq!(busiest_year(&[]), None);
        let days = [d("2027-12-30"), d("2027-12-31"), d("2028-01-04")];
        assert_eq!(busiest_year(&days), Some(2027));
        let days = [d("2027-12-31"), d("2028-01-04")];
        assert_eq!(busiest_year(&days), Some(2027));
        let days = [d("2027-12-31"), d("2028-01-04"), d("2028-01-05")];
        assert_eq!(busiest_year(&days), Some(2028));
    }
}
