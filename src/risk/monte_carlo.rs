//! A seeded Monte Carlo simulation of the failure model, checked against the exact
//! risk figures. It rebuilds every failure window by brute force from the dates
//! (independently of `figures.rs`), draws each (failure point, start day) failure
//! independently, and compares the sample means with the exact expectations within
//! a 99.9% confidence interval.

use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::figures::tests::{rel, sets};
use super::{
    delay_minutes, failures_per_year, probability_from_rate, risk_figures, working_days_in_year,
    RiskFigures, RiskOptions,
};
use crate::calendar::WorkingCalendar;
use crate::exposure::PlanningAxis;
use crate::model::{FailurePoint, Infrastructure, Release};

/// Two-sided 99.9% quantile of the standard normal distribution.
const Z_999: f64 = 3.290_526_731_491_926;

/// One possible failure: its probability, how many releases it delays, and the minutes.
#[derive(Debug, Clone, Copy)]
struct Event {
    p: f64,
    hit: usize,
    minutes: f64,
}

/// Every (failure point, start day) whose failure delays a release, found by brute force.
fn events(
    infra: &Infrastructure,
    rels: &[Release],
    dates: &[NaiveDate],
    cal: &WorkingCalendar,
    options: &RiskOptions,
) -> Vec<Event> {
    let (failure_sets, fallback_sets) = sets(infra, rels);
    let axis = PlanningAxis::for_dates(rels, dates, cal);
    let days = axis.days();
    let n = days.len() as i64;
    let mut out = Vec::new();
    for (c, point) in infra.points().iter().enumerate() {
        let k = i64::from(point.outage_days.max(1));
        for start in -(k - 1)..n {
            let year = days[start.max(0) as usize].year();
            let p = probability_from_rate(
                failures_per_year(point),
                working_days_in_year(cal, year, options.region),
            );
            let mut hit = 0;
            let mut minutes = 0.0;
            for (i, r) in rels.iter().enumerate() {
                let pos = days.iter().position(|&x| x == dates[i]).unwrap() as i64;
                if r.is_active() && failure_sets[i].contains(&c) && start <= pos && pos < start + k
                {
                    hit += 1;
                    minutes += delay_minutes(point, c, &fallback_sets[i], options.fallback_minutes);
                }
            }
            if hit > 0 {
                out.push(Event { p, hit, minutes });
            }
        }
    }
    out
}

/// Running mean and variance (Welford).
#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Stat {
    fn add(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn half_width(&self) -> f64 {
        let var = if self.n > 1.0 {
            self.m2 / (self.n - 1.0)
        } else {
            0.0
        };
        Z_999 * (var / self.n).sqrt()
    }

    /// Whether `expected` lies in the 99.9% confidence interval of the mean.
    fn accepts(&self, expected: f64) -> bool {
        (self.mean - expected).abs() <= self.half_width() + 1e-12
    }
}

/// Sample statistics of simulated planning periods.
struct Simulated {
    multi_hit: Stat,
    at_least: Vec<Stat>,
    delays: Stat,
    minutes: Stat,
}

fn simulate(events: &[Event], periods: usize, seed: u64) -> Simulated {
    let max_hit = events.iter().map(|e| e.hit).max().unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sim = Simulated {
        multi_hit: Stat::default(),
        at_least: vec![Stat::default(); max_hit.max(4) + 1],
        delays: Stat::default(),
        minutes: Stat::default(),
    };
    for _ in 0..periods {
        let (mut multi, mut worst, mut delays, mut minutes) = (0.0, 0, 0.0, 0.0);
        for e in events {
            if rng.random::<f64>() < e.p {
                if e.hit >= 2 {
                    multi += 1.0;
                }
                worst = worst.max(e.hit);
                delays += e.hit as f64;
                minutes += e.minutes;
            }
        }
        sim.multi_hit.add(multi);
        for (k, s) in sim.at_least.iter_mut().enumerate() {
            s.add(if worst >= k { 1.0 } else { 0.0 });
        }
        sim.delays.add(delays);
        sim.minutes.add(minutes);
    }
    sim
}

fn point(id: &str, deps: &[&str], per_year: f64, outage_days: u32, recovery: f64) -> FailurePoint {
    let mut p = FailurePoint::new(id, "x", deps);
    p.failures_per_year = Some(per_year);
    p.outage_days = outage_days;
    p.recovery_minutes = Some(recovery);
    p
}

/// Four releases over Thu 5 – Mon 9 Aug 2027 on three failure points with large daily
/// probabilities (0.1, 0.2, 0.3), a two-day outage across the weekend and a fallback.
fn busy_calendar() -> (Infrastructure, Vec<Release>) {
    let infra = Infrastructure::new(vec![
        point("web", &["db"], 25.3, 1, 120.0),
        point("db", &[], 50.6, 2, 240.0),
        point("team", &[], 75.9, 1, 30.0),
        point("govuk", &[], 0.0, 1, 60.0),
    ])
    .unwrap();
    let rels = vec![
        rel("a", "2027-08-05", &["web", "team"], &[]),
        rel("b", "2027-08-05", &["web"], &["govuk"]),
        rel("c", "2027-08-06", &["db", "team"], &[]),
        rel("d", "2027-08-09", &["db", "team"], &[]),
    ];
    (infra, rels)
}

fn exact(infra: &Infrastructure, rels: &[Release], cal: &WorkingCalendar) -> RiskFigures {
    let (fs, fb) = sets(infra, rels);
    let dates: Vec<NaiveDate> = rels.iter().map(|r| r.date).collect();
    risk_figures(rels, &fs, &fb, infra, &dates, cal, &RiskOptions::default())
}

#[test]
fn simulation_agrees_with_the_exact_figures() {
    let cal = WorkingCalendar::new(2027, 2027, vec![]);
    let (infra, rels) = busy_calendar();
    let dates: Vec<NaiveDate> = rels.iter().map(|r| r.date).collect();
    let ev = events(&infra, &rels, &dates, &cal, &RiskOptions::default());
    let sim = simulate(&ev, 200_000, 20_270_805);
    let f = exact(&infra, &rels, &cal);
    let t = f.planning_years;
    assert_eq!(f.max_releases_hit, 3);
    assert!(sim
        .multi_hit
        .accepts(f.expected_multi_hit_failures_per_year * t));
    for (&k, &p) in &f.p_at_least_k {
        assert!(sim.at_least[k as usize].accepts(p), "P(>= {k})");
    }
    assert!(sim.delays.accepts(f.expected_release_delays_per_year * t));
    assert!(sim.minutes.accepts(f.expected_delay_minutes_per_year * t));

    // The test can fail: plausible wrong answers fall outside the intervals.
    // 1. Adding up probabilities instead of multiplying survival chances.
    let union_bound: f64 = ev.iter().filter(|e| e.hit >= 2).map(|e| e.p).sum();
    assert!(!sim.at_least[2].accepts(union_bound.min(1.0)));
    // 2. Forgetting the fallback route (every delay = recovery time).
    let mut no_fallback = rels.clone();
    no_fallback[1].fallback.clear();
    let wrong = exact(&infra, &no_fallback, &cal);
    assert!(!sim
        .minutes
        .accepts(wrong.expected_delay_minutes_per_year * t));
    // 3. Treating the two-day database outage as one day.
    let mut one_day: Vec<FailurePoint> = infra.points().to_vec();
    one_day[1].outage_days = 1;
    let one_day = Infrastructure::new(one_day).unwrap();
    let wrong = exact(&one_day, &rels, &cal);
    assert!(!sim
        .multi_hit
        .accepts(wrong.expected_multi_hit_failures_per_year * t));
    assert!(!sim
        .delays
        .accepts(wrong.expected_release_delays_per_year * t));
}

#[test]
fn confidence_interval_rejects_a_biased_coin() {
    // 10 000 flips of a fair coin: the 99.9% interval of the mean is about ±0.0165.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut s = Stat::default();
    for _ in 0..10_000 {
        s.add(if rng.random::<f64>() < 0.5 { 1.0 } else { 0.0 });
    }
    assert!((s.half_width() - Z_999 * 0.005).abs() < 1e-4);
    assert!(s.accepts(0.5));
    assert!(!s.accepts(0.53));
    assert!(!s.accepts(0.47));
}

#[test]
fn brute_force_windows_match_on_the_docs_example() {
    let cal = WorkingCalendar::new(2027, 2027, vec![]);
    let (infra, rels) = super::figures::tests::worked_example();
    let dates: Vec<NaiveDate> = rels.iter().map(|r| r.date).collect();
    let ev = events(&infra, &rels, &dates, &cal, &RiskOptions::default());
    let f = exact(&infra, &rels, &cal);
    let multi: f64 = ev.iter().filter(|e| e.hit >= 2).map(|e| e.p).sum();
    assert!((multi - f.expected_multi_hit_failures_per_year * f.planning_years).abs() < 1e-12);
}
