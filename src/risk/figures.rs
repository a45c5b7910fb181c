//! The risk figures of one calendar: expected multi-release failures, the chance
//! that one failure delays `k` or more releases, expected delays, and which failure
//! points contribute most. Formulas: `docs/risk.md`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::delay::delay_minutes;
use super::probability::{probability_from_rate, YearLengths};
use super::{failures_per_year, RiskOptions};
use crate::calendar::WorkingCalendar;
use crate::exposure::PlanningAxis;
use crate::model::{Infrastructure, Release};

/// One failure point's share of the risk figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Contributor {
    /// Index of the failure point.
    pub component: usize,
    /// Its expected failures per year that delay two or more releases at once.
    pub multi_hit_failures_per_year: f64,
    /// Probability that it alone delays two or more releases at once at least once
    /// during the planning period.
    pub p_multi_hit: f64,
    /// Its expected release delays per year.
    pub release_delays_per_year: f64,
    /// Its expected delay minutes per year (summed over delayed releases).
    pub delay_minutes_per_year: f64,
}

/// The risk figures of a calendar. "Per year" figures are the expectation over the
/// planning period divided by [`RiskFigures::planning_years`]; probabilities are
/// over the planning period.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskFigures {
    /// Number of planning days (see [`PlanningAxis`]).
    pub planning_days: usize,
    /// Length of the planning period in years: the sum over planning days of `1 / W(y)`.
    pub planning_years: f64,
    /// Most releases one failure can delay at once.
    pub max_releases_hit: u32,
    /// Expected number of failures per year that delay two or more releases at once.
    pub expected_multi_hit_failures_per_year: f64,
    /// For `k = 2 ..= max(4, max_releases_hit)`: the probability that at least one
    /// failure during the planning period delays `k` or more releases at once.
    pub p_at_least_k: BTreeMap<u32, f64>,
    /// Expected number of release delays per year (a failure delaying three releases counts three).
    pub expected_release_delays_per_year: f64,
    /// Expected minutes of delay per year, summed over delayed releases.
    pub expected_delay_minutes_per_year: f64,
    /// Failure points that delay any release with a positive probability, ranked by
    /// multi-release failures, then release delays, then delay minutes (then input order).
    pub top_contributors: Vec<Contributor>,
}

/// Per failure point, sums over the planning period.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    multi_hit: f64,
    log_no_multi_hit: f64,
    delays: f64,
    minutes: f64,
}

/// Computes the risk figures of the calendar that puts release `i` on `dates[i]`.
///
/// `failure_sets[i]` are release `i`'s failure points and `fallback_sets[i]` those of
/// its fallback route (empty when it has none), both transitive (see
/// [`Infrastructure::closure_of`]). Only the first `min(len)` entries of `releases`,
/// `failure_sets` and `dates` are used; a missing fallback set counts as none.
pub fn risk_figures(
    releases: &[Release],
    failure_sets: &[Vec<usize>],
    fallback_sets: &[Vec<usize>],
    infrastructure: &Infrastructure,
    dates: &[NaiveDate],
    calendar: &WorkingCalendar,
    options: &RiskOptions,
) -> RiskFigures {
    let m = releases.len().min(failure_sets.len()).min(dates.len());
    let (releases, dates) = (&releases[..m], &dates[..m]);
    let axis = PlanningAxis::for_dates(releases, dates, calendar);
    let days = axis.days();
    let points = infrastructure.points();

    // (failure point, last position of the window) -> releases hit, as exposure::assess.
    let mut windows: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, r) in releases.iter().enumerate() {
        if !r.is_active() {
            continue;
        }
        let Some(pos) = axis.position(dates[i]) else {
            continue;
        };
        for &c in &failure_sets[i] {
            let Some(point) = points.get(c) else {
                continue;
            };
            let k = point.outage_days.max(1) as usize;
            for end in pos..pos + k {
                windows.entry((c, end)).or_default().push(i);
            }
        }
    }

    let mut years = YearLengths::new(calendar, options.region);
    let planning_years: f64 = days
        .iter()
        .map(|d| match years.of(d.year()) {
            0 => 0.0,
            w => 1.0 / f64::from(w),
        })
        .sum();

    let mut sums = vec![Sums::default(); points.len()];
    // log_none[n]: sum of ln(1 - p) over the windows that hit exactly n releases.
    let mut log_none: BTreeMap<usize, f64> = BTreeMap::new();
    let no_fallback: Vec<usize> = Vec::new();
    for (&(c, end), hit) in &windows {
        let point = &points[c];
        let k = point.outage_days.max(1) as usize;
        // The failure starts on position end + 1 - k; a window starting before the
        // axis takes the probability of the axis's first day.
        let start = (end + 1)
            .saturating_sub(k)
            .min(days.len().saturating_sub(1));
        let Some(start_day) = days.get(start) else {
            continue;
        };
        let p = probability_from_rate(failures_per_year(point), years.of(start_day.year()));
        let n = hit.len();
        let minutes: f64 = hit
            .iter()
            .map(|&i| {
                let fallback = fallback_sets.get(i).unwrap_or(&no_fallback);
                delay_minutes(point, c, fallback, options.fallback_minutes)
            })
            .sum();
        let log_survive = (-p).ln_1p();
        *log_none.entry(n).or_insert(0.0) += log_survive;
        let s = &mut sums[c];
        if n >= 2 {
            s.multi_hit += p;
            s.log_no_multi_hit += log_survive;
        }
        s.delays += p * n as f64;
        s.minutes += p * minutes;
    }

    let per_year = |x: f64| {
        if planning_years > 0.0 {
            x / planning_years
        } else {
            0.0
        }
    };
    let max_n = log_none.keys().next_back().copied().unwrap_or(0);
    let top_k = max_n.max(4);
    let mut p_at_least_k = BTreeMap::new();
    for k in 2..=top_k {
        let log: f64 = log_none.range(k..).map(|(_, l)| l).sum();
        p_at_least_k.insert(k as u32, probability_of_any(log));
    }

    let mut top_contributors: Vec<Contributor> = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.delays > 0.0)
        .map(|(c, s)| Contributor {
            component: c,
            multi_hit_failures_per_year: per_year(s.multi_hit),
            p_multi_hit: probability_of_any(s.log_no_multi_hit),
            release_delays_per_year: per_year(s.delays),
            delay_minutes_per_year: per_year(s.minutes),
        })
        .collect();
    top_contributors.sort_by(|a, b| {
        b.multi_hit_failures_per_year
            .total_cmp(&a.multi_hit_failures_per_year)
            .then(
                b.release_delays_per_year
                    .total_cmp(&a.release_delays_per_year),
            )
            .then(
                b.delay_minutes_per_year
                    .total_cmp(&a.delay_minutes_per_year),
            )
            .then(a.component.cmp(&b.component))
    });

    RiskFigures {
        planning_days: days.len(),
        planning_years,
        max_releases_hit: max_n as u32,
        expected_multi_hit_failures_per_year: per_year(sums.iter().map(|s| s.multi_hit).sum()),
        p_at_least_k,
        expected_release_delays_per_year: per_year(sums.iter().map(|s| s.delays).sum()),
        expected_delay_minutes_per_year: per_year(sums.iter().map(|s| s.minutes).sum()),
        top_contributors,
    }
}

/// `1 - exp(log_none)`: the probability that at least one of a set of independent
/// events happens, given the sum of `ln(1 - p)` over them (never `-0.0`).
fn probability_of_any(log_none: f64) -> f64 {
    0.0 - log_none.exp_m1()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::exposure::assess;
    use crate::model::{FailurePoint, Status};

    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn rel(id: &str, date: &str, deps: &[&str], fallback: &[&str]) -> Release {
        let mut r = Release::new(id, d(date)).depending_on(deps);
        r.fallback = fallback.iter().map(|s| s.to_string()).collect();
        r
    }

    fn point(
        id: &str,
        deps: &[&str],
        per_year: Option<f64>,
        outage_days: u32,
        recovery: Option<f64>,
    ) -> FailurePoint {
        let mut p = FailurePoint::new(id, "x", deps);
        p.failures_per_year = per_year;
        p.outage_days = outage_days;
        p.recovery_minutes = recovery;
        p
    }

    /// The worked example of `docs/risk.md`: W(2027) = 253 in England and Wales, so
    /// 25.3 failures a year is p = 0.1 a day and 50.6 is p = 0.2.
    pub(crate) fn worked_example() -> (Infrastructure, Vec<Release>) {
        let infra = Infrastructure::new(vec![
            point("web", &["db"], Some(25.3), 1, Some(120.0)),
            point("db", &[], Some(50.6), 2, Some(240.0)),
            point("team", &[], None, 1, None),
            point("govuk", &[], Some(0.0), 1, None),
        ])
        .unwrap();
        let rels = vec![
            rel("a", "2027-08-05", &["web"], &[]),
            rel("b", "2027-08-05", &["web"], &["govuk"]),
            rel("c", "2027-08-06", &["db", "team"], &[]),
        ];
        (infra, rels)
    }

    pub(crate) fn sets(
        infra: &Infrastructure,
        rels: &[Release],
    ) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        (
            rels.iter()
                .map(|r| infra.closure_of(&r.depends_on))
                .collect(),
            rels.iter().map(|r| infra.closure_of(&r.fallback)).collect(),
        )
    }

    fn figures_at(infra: &Infrastructure, rels: &[Release], dates: &[NaiveDate]) -> RiskFigures {
        let (f, fb) = sets(infra, rels);
        let cal = WorkingCalendar::new(2026, 2028, vec![]);
        risk_figures(rels, &f, &fb, infra, dates, &cal, &RiskOptions::default())
    }

    fn figures(infra: &Infrastructure, rels: &[Release]) -> RiskFigures {
        let dates: Vec<NaiveDate> = rels.iter().map(|r| r.date).collect();
        figures_at(infra, rels, &dates)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn worked_example_from_the_docs() {
        let (infra, rels) = worked_example();
        let f = figures(&infra, &rels);
        // Two planning days (Thu 5, Fri 6 Aug 2027): 2/253 of a year.
        assert_eq!(f.planning_days, 2);
        assert!(close(f.planning_years, 2.0 / 253.0));
        let per_year = 253.0 / 2.0;
        // Windows: web(5 Aug) {a,b} p .1; db(4–5 Aug) {a,b} p .2; db(5–6 Aug) {a,b,c} p .2;
        // db(6–9 Aug) {c} p .2; team(6 Aug) {c} p 1/253.
        assert_eq!(f.max_releases_hit, 3);
        assert!(close(
            f.expected_multi_hit_failures_per_year,
            0.5 * per_year
        ));
        assert!(close(f.p_at_least_k[&2], 1.0 - 0.9 * 0.8 * 0.8));
        assert!(close(f.p_at_least_k[&3], 0.2));
        assert_eq!(f.p_at_least_k[&4], 0.0);
        assert_eq!(f.p_at_least_k.len(), 3);
        let delays = 0.1 * 2.0 + 0.2 * 2.0 + 0.2 * 3.0 + 0.2 + 1.0 / 253.0;
        assert!(close(f.expected_release_delays_per_year, delays * per_year));
        // a waits for repairs; b switches to govuk in 15 minutes; c has no fallback.
        let minutes = 0.1 * (120.0 + 15.0)
            + 0.2 * (240.0 + 15.0)
            + 0.2 * (240.0 + 15.0 + 240.0)
            + 0.2 * 240.0
            + 60.0 / 253.0;
        assert!(close(f.expected_delay_minutes_per_year, minutes * per_year));
        assert!(close(f.expected_delay_minutes_per_year, 26784.75));
        let order: Vec<usize> = f.top_contributors.iter().map(|c| c.component).collect();
        assert_eq!(order, vec![1, 0, 2]);
        let db = &f.top_contributors[0];
        assert!(close(db.multi_hit_failures_per_year, 0.4 * per_year));
        assert!(close(db.p_multi_hit, 1.0 - 0.8 * 0.8));
        assert!(close(db.release_delays_per_year, 1.2 * per_year));
        assert!(close(db.delay_minutes_per_year, 198.0 * per_year));
        let team = &f.top_contributors[2];
        assert_eq!(team.multi_hit_failures_per_year, 0.0);
        assert_eq!(team.p_multi_hit, 0.0);
        assert!(team.p_multi_hit.is_sign_positive());
        assert!(f.p_at_least_k[&4].is_sign_positive());
        assert!(close(team.release_delays_per_year, 0.5));
        assert!(close(team.delay_minutes_per_year, 30.0));
    }

    #[test]
    fn windows_are_the_ones_exposure_counts() {
        // Multi-hit windows of the figures = clashes of exposure::assess, for any dates.
        let (infra, rels) = worked_example();
        let (fs, _) = sets(&infra, &rels);
        let cal = WorkingCalendar::new(2026, 2028, vec![]);
        for dates in [
            ["2027-08-05", "2027-08-05", "2027-08-06"],
            ["2027-08-06", "2027-08-09", "2027-08-09"],
            ["2027-08-05", "2027-08-10", "2027-08-12"],
        ] {
            let dates: Vec<NaiveDate> = dates.iter().map(|s| d(s)).collect();
            let a = assess(&rels, &fs, &infra, &dates, &cal);
            let f = figures_at(&infra, &rels, &dates);
            let multi: f64 = a
                .clashes
                .iter()
                .map(|c| {
                    let p = probability_from_rate(failures_per_year(infra.point(c.component)), 253);
                    p / f.planning_years
                })
                .sum();
            assert!(close(f.expected_multi_hit_failures_per_year, multi));
        }
    }

    #[test]
    fn spreading_releases_lowers_the_multi_hit_risk() {
        let (infra, rels) = worked_example();
        let before = figures(&infra, &rels);
        let spread: Vec<NaiveDate> = ["2027-08-02", "2027-08-05", "2027-08-10"]
            .iter()
            .map(|s| d(s))
            .collect();
        let after = figures_at(&infra, &rels, &spread);
        assert_eq!(after.max_releases_hit, 1);
        assert_eq!(after.p_at_least_k[&2], 0.0);
        assert_eq!(after.expected_multi_hit_failures_per_year, 0.0);
        assert!(before.p_at_least_k[&2] > 0.4);
    }

    #[test]
    fn no_releases_gives_zero_figures() {
        let (infra, _) = worked_example();
        let f = figures(&infra, &[]);
        assert_eq!(f.planning_days, 0);
        assert_eq!(f.planning_years, 0.0);
        assert_eq!(f.max_releases_hit, 0);
        assert_eq!(f.expected_multi_hit_failures_per_year, 0.0);
        assert_eq!(f.expected_release_delays_per_year, 0.0);
        assert_eq!(f.expected_delay_minutes_per_year, 0.0);
        assert!(f.top_contributors.is_empty());
        let keys: Vec<u32> = f.p_at_least_k.keys().copied().collect();
        assert_eq!(keys, vec![2, 3, 4]);
        assert!(f.p_at_least_k.values().all(|&p| p == 0.0));
    }

    #[test]
    fn cancelled_releases_and_zero_rates_do_not_count() {
        let infra = Infrastructure::new(vec![point("web", &[], Some(0.0), 1, None)]).unwrap();
        let mut rels = vec![
            rel("a", "2027-08-05", &["web"], &[]),
            rel("b", "2027-08-05", &["web"], &[]),
        ];
        let f = figures(&infra, &rels);
        assert_eq!(f.max_releases_hit, 2);
        assert_eq!(f.p_at_least_k[&2], 0.0);
        assert_eq!(f.expected_release_delays_per_year, 0.0);
        assert!(f.top_contributors.is_empty());
        let infra = Infrastructure::new(vec![point("web", &[], Some(2.0), 1, None)]).unwrap();
        rels[1].status = Status::Cancelled;
        let f = figures(&infra, &rels);
        assert_eq!(f.max_releases_hit, 1);
        assert_eq!(f.p_at_least_k[&2], 0.0);
        assert!(close(f.expected_release_delays_per_year, 2.0));
    }

    #[test]
    fn rates_above_the_working_days_are_certain_failures() {
        let infra =
            Infrastructure::new(vec![point("web", &[], Some(1000.0), 1, Some(10.0))]).unwrap();
        let rels = vec![
            rel("a", "2027-08-05", &["web"], &[]),
            rel("b", "2027-08-05", &["web"], &[]),
            rel("c", "2027-08-06", &["web"], &[]),
        ];
        let f = figures(&infra, &rels);
        assert_eq!(f.p_at_least_k[&2], 1.0);
        assert_eq!(f.p_at_least_k[&3], 0.0);
        // p = 1 each planning day: one multi-hit failure in 2/253 of a year.
        assert!(close(f.expected_multi_hit_failures_per_year, 253.0 / 2.0));
        assert!(close(f.expected_release_delays_per_year, 3.0 * 253.0 / 2.0));
        assert!(close(f.expected_delay_minutes_per_year, 30.0 * 253.0 / 2.0));
        assert_eq!(f.top_contributors[0].p_multi_hit, 1.0);
    }

    #[test]
    fn tiny_probabilities_keep_their_precision() {
        let infra = Infrastructure::new(vec![point("web", &[], Some(1e-9), 1, None)]).unwrap();
        let rels = vec![
            rel("a", "2027-08-05", &["web"], &[]),
            rel("b", "2027-08-05", &["web"], &[]),
        ];
        let f = figures(&infra, &rels);
        let p = 1e-9 / 253.0;
        assert!((f.p_at_least_k[&2] - p).abs() < 1e-12 * p);
    }

    #[test]
    fn a_year_boundary_uses_each_years_working_days() {
        // Fri 31 Dec 2027 (W = 253) and Tue 4 Jan 2028 (W = 252; Mon 3 Jan is a holiday),
        // consecutive planning days; a two-day outage joins them.
        let infra = Infrastructure::new(vec![point("db", &[], Some(25.2), 2, None)]).unwrap();
        let rels = vec![
            rel("a", "2027-12-31", &["db"], &[]),
            rel("b", "2028-01-04", &["db"], &[]),
        ];
        let f = figures(&infra, &rels);
        assert_eq!(f.planning_days, 2);
        assert!(close(f.planning_years, 1.0 / 253.0 + 1.0 / 252.0));
        // Windows: 30–31 Dec {a} and 31 Dec–4 Jan {a,b} start in 2027; 4 Jan–5 Jan {b} in 2028.
        let (p27, p28) = (25.2 / 253.0, 25.2 / 252.0);
        assert!(close(f.p_at_least_k[&2], p27));
        assert!(close(
            f.expected_release_delays_per_year,
            (p27 + 2.0 * p27 + p28) / f.planning_years
        ));
    }

    #[test]
    fn mismatched_lengths_do_not_panic() {
        let (infra, rels) = worked_example();
        let (fs, fb) = sets(&infra, &rels);
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let dates = [d("2027-08-05")];
        let f = risk_figures(
            &rels,
            &fs,
            &fb[..0],
            &infra,
            &dates,
            &cal,
            &RiskOptions::default(),
        );
        assert_eq!(f.max_releases_hit, 1);
        let f = risk_figures(
            &rels,
            &[],
            &fb,
            &infra,
            &dates,
            &cal,
            &RiskOptions::default(),
        );
        assert_eq!(f.planning_days, 0);
    }
}
