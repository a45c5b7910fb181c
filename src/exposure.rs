//! Exposure of failure points: peak, clash pairs and the clashes themselves.
//!
//! Definitions (see `docs/objective.md`):
//! - a release's failure points are its `depends_on` and everything they rely on;
//! - the exposure of failure point `c` on day `d` is the sum of the weights of the
//!   non-cancelled releases on `d` that have `c` among their failure points; for a
//!   failure point with `outage_days = k > 1`, the releases on the `k` consecutive
//!   planning days ending on `d`;
//! - the peak exposure is the largest exposure over all `(c, d)`;
//! - clash pairs add up `n (n - 1) / 2` over all `(c, d)`, `n` the number of such releases.
//!
//! This module recomputes everything from dates alone: it is the reference the
//! independent plan checker relies on, and shares no code with the optimiser.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::{Region, WorkingCalendar};
use crate::model::{Infrastructure, Release, Weight};

/// The planning days: every date from the first to the last that is a working day
/// for at least one nation in use, plus any date that carries a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanningAxis {
    days: Vec<NaiveDate>,
}

impl PlanningAxis {
    /// The axis spanning `from..=to` for releases of `regions`, with `extra` dates added.
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        regions: &[Region],
        calendar: &WorkingCalendar,
        extra: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        let mut set = std::collections::BTreeSet::new();
        let mut d = from;
        while d <= to {
            if regions.iter().any(|&r| calendar.is_working_day(d, r)) {
                set.insert(d);
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        set.extend(extra);
        PlanningAxis {
            days: set.into_iter().collect(),
        }
    }

    /// The axis spanning the given release dates (cancelled releases ignored).
    pub fn for_dates(
        releases: &[Release],
        dates: &[NaiveDate],
        calendar: &WorkingCalendar,
    ) -> Self {
        let active: Vec<(usize, &Release)> = releases
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_active())
            .collect();
        let mut regions: Vec<Region> = active.iter().map(|(_, r)| r.region).collect();
        regions.sort();
        regions.dedup();
        let used: Vec<NaiveDate> = active.iter().map(|&(i, _)| dates[i]).collect();
        match (used.iter().min(), used.iter().max()) {
            (Some(&lo), Some(&hi)) => PlanningAxis::new(lo, hi, &regions, calendar, used.clone()),
            _ => PlanningAxis { days: Vec::new() },
        }
    }

    /// The days in order.
    pub fn days(&self) -> &[NaiveDate] {
        &self.days
    }

    /// The position of `date` on the axis.
    pub fn position(&self, date: NaiveDate) -> Option<usize> {
        self.days.binary_search(&date).ok()
    }
}

/// Releases that one failure of a failure point would delay together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// Index of the failure point.
    pub component: usize,
    /// First day of the outage window (the day itself for one-day outages).
    pub date: NaiveDate,
    /// Last day of the outage window.
    pub end_date: NaiveDate,
    /// Sum of the weights of the releases.
    pub exposure: Weight,
    /// Indices of the releases, in input order.
    pub releases: Vec<usize>,
}

/// The worst day of one failure point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentExposure {
    /// Index of the failure point.
    pub component: usize,
    /// Its largest exposure.
    pub worst: Weight,
    /// The first day of the window where it occurs (earliest if several), if it carries any release.
    pub date: Option<NaiveDate>,
    /// Number of non-cancelled releases that rely on it.
    pub releases: usize,
}

/// Exposure of a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Largest exposure of any failure point on any day.
    pub peak: Weight,
    /// Sum over failure points and days of n(n-1)/2.
    pub clash_pairs: u64,
    /// Every (failure point, day) with two or more releases, worst first.
    pub clashes: Vec<Clash>,
    /// Per failure point (in input order), its worst day.
    pub components: Vec<ComponentExposure>,
    /// Per date with releases, the largest exposure of any failure point on the window ending that day.
    pub day_peaks: BTreeMap<NaiveDate, Weight>,
}

/// The cells (failure point, outage window ending on an axis position) that releases
/// touch, each with its releases in input order, grouped without a global sort: a
/// counting sort by failure point, then a sort of each failure point's own entries.
/// Time and memory are linear in the (release, failure point, outage day) triples.
pub(crate) struct Touches {
    /// Start of each failure point's entries in `entries` (one more than points).
    offsets: Vec<usize>,
    /// (window end position, release), sorted within each failure point.
    entries: Vec<(u32, u32)>,
}

/// One more than the highest failure point any release relies on (0 when none does).
fn point_count(failure_sets: &[Vec<usize>]) -> usize {
    failure_sets
        .iter()
        .flatten()
        .map(|&c| c + 1)
        .max()
        .unwrap_or(0)
}

impl Touches {
    /// The cells of the releases at `positions` (axis position, `None` to leave a
    /// release out); `window(c)` is failure point `c`'s outage in positions (>= 1).
    pub(crate) fn new(
        failure_sets: &[Vec<usize>],
        positions: &[Option<usize>],
        window: impl Fn(usize) -> usize,
    ) -> Touches {
        let n_points = point_count(failure_sets);
        let windows: Vec<usize> = (0..n_points).map(|c| window(c).max(1)).collect();
        let mut offsets = vec![0usize; n_points + 1];
        for (set, p) in failure_sets.iter().zip(positions) {
            if p.is_some() {
                for &c in set {
                    offsets[c + 1] += windows[c];
                }
            }
        }
        for c in 0..n_points {
            offsets[c + 1] += offsets[c];
        }
        let mut next = offsets.clone();
        let mut entries = vec![(0u32, 0u32); offsets[n_points]];
        for (i, (set, p)) in failure_sets.iter().zip(positions).enumerate() {
            let Some(p) = *p else { continue };
            for &c in set {
                for e in p..p + windows[c] {
                    entries[next[c]] = (e as u32, i as u32);
                    next[c] += 1;
                }
            }
        }
        for c in 0..n_points {
            entries[offsets[c]..offsets[c + 1]].sort_unstable();
        }
        Touches { offsets, entries }
    }

    /// Every touched cell in (failure point, position) order: `(c, e, entries)`, the
    /// entries `(e, release)` in release order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = (usize, usize, &[(u32, u32)])> + '_ {
        self.offsets.windows(2).enumerate().flat_map(move |(c, w)| {
            self.entries[w[0]..w[1]]
                .chunk_by(|a, b| a.0 == b.0)
                .map(move |cell| (c, cell[0].0 as usize, cell))
        })
    }
}

/// The two headline figures of a calendar's exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Largest exposure of any failure point on any day.
    pub peak: Weight,
    /// Sum over failure points and days of n(n-1)/2.
    pub clash_pairs: u64,
}

/// The peak exposure and clash pairs of the calendar that puts release `i` on
/// `dates[i]`: the same figures as [`assess`], without listing the clashes (time and
/// memory linear in the releases and their failure points).
pub fn totals(
    releases: &[Release],
    failure_sets: &[Vec<usize>],
    infrastructure: &Infrastructure,
    dates: &[NaiveDate],
    calendar: &WorkingCalendar,
) -> Totals {
    let axis = PlanningAxis::for_dates(releases, dates, calendar);
    let positions: Vec<Option<usize>> = releases
        .iter()
        .zip(dates)
        .map(|(r, &d)| {
            if r.is_active() {
                axis.position(d)
            } else {
                None
            }
        })
        .collect();
    // Failure points that carry the same releases with the same outage have the same
    // exposure every day: count each class once, its clash pairs as many times as it
    // has points (a 10,000-deep chain of servers is a few classes).
    let classes = PointClasses::new(failure_sets, &positions, |c| {
        infrastructure.point(c).outage_days.max(1) as usize
    });
    let touches = Touches::new(&classes.sets, &positions, |k| classes.window[k]);
    let mut result = Totals {
        peak: Weight::ZERO,
        clash_pairs: 0,
    };
    for (k, _, cell) in touches.cells() {
        let w = cell.iter().fold(Weight::ZERO, |sum, &(_, i)| {
            sum + releases[i as usize].weight
        });
        result.peak = result.peak.max(w);
        let n = cell.len() as u64;
        result.clash_pairs += classes.size[k] * (n * n.saturating_sub(1) / 2);
    }
    result
}

/// Failure points grouped into classes of points relied on by exactly the same
/// (placed) releases and with the same outage length: such points have the same
/// cells, so exposure is computed once per class. Exact (sets are compared element
/// by element, never by hash alone); time linear in the (release, failure point) pairs.
struct PointClasses {
    /// Each release's classes (sorted), empty for a release left out.
    sets: Vec<Vec<usize>>,
    /// The number of failure points in each class.
    size: Vec<u64>,
    /// Each class's outage window in positions.
    window: Vec<usize>,
}

impl PointClasses {
    fn new(
        failure_sets: &[Vec<usize>],
        positions: &[Option<usize>],
        window: impl Fn(usize) -> usize,
    ) -> PointClasses {
        use std::collections::HashMap;
        // Distinct failure sets among placed releases: bucketed by a cheap summary,
        // then compared exactly.
        let summary = |set: &[usize]| -> u64 {
            set.iter().fold(set.len() as u64, |h, &c| {
                (h ^ (c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).rotate_left(17)
            })
        };
        let mut distinct: Vec<usize> = Vec::new(); // a release holding each distinct set
        let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut set_of: Vec<Option<usize>> = vec![None; failure_sets.len()];
        for (i, (set, p)) in failure_sets.iter().zip(positions).enumerate() {
            if p.is_none() || set.is_empty() {
                continue;
            }
            let bucket = buckets.entry(summary(set)).or_default();
            let found = bucket
                .iter()
                .copied()
                .find(|&s| failure_sets[distinct[s]] == *set);
            set_of[i] = Some(found.unwrap_or_else(|| {
                distinct.push(i);
                bucket.push(distinct.len() - 1);
                distinct.len() - 1
            }));
        }
        // A point's signature: the distinct sets that hold it, and its window.
        let n_points = point_count(failure_sets);
        let mut holders: Vec<Vec<u32>> = vec![Vec::new(); n_points];
        for (s, &i) in distinct.iter().enumerate() {
            for &c in &failure_sets[i] {
                holders[c].push(s as u32);
            }
        }
        let mut class_of: HashMap<(Vec<u32>, usize), usize> = HashMap::new();
        let mut point_class: Vec<Option<usize>> = vec![None; n_points];
        let mut size: Vec<u64> = Vec::new();
        let mut windows: Vec<usize> = Vec::new();
        for (c, held) in holders.into_iter().enumerate() {
            if held.is_empty() {
                continue;
            }
            let w = window(c).max(1);
            let k = *class_of.entry((held, w)).or_insert_with(|| {
                size.push(0);
                windows.push(w);
                size.len() - 1
            });
            size[k] += 1;
            point_class[c] = Some(k);
        }
        let class_sets: Vec<Vec<usize>> = distinct
            .iter()
            .map(|&i| {
                let mut ks: Vec<usize> = failure_sets[i]
                    .iter()
                    .filter_map(|&c| point_class[c])
                    .collect();
                ks.sort_unstable();
                ks.dedup();
                ks
            })
            .collect();
        let sets = set_of
            .iter()
            .map(|s| s.map(|s| class_sets[s].clone()).unwrap_or_default())
            .collect();
        PointClasses {
            sets,
            size,
            window: windows,
        }
    }
}

/// Computes the exposure of the calendar that puts release `i` on `dates[i]`.
/// `failure_sets[i]` are release `i`'s failure points (see [`crate::model::Dataset::failure_sets`]).
pub fn assess(
    releases: &[Release],
    failure_sets: &[Vec<usize>],
    infrastructure: &Infrastructure,
    dates: &[NaiveDate],
    calendar: &WorkingCalendar,
) -> Assessment {
    let axis = PlanningAxis::for_dates(releases, dates, calendar);
    let n_days = axis.days().len();
    let positions: Vec<Option<usize>> = releases
        .iter()
        .zip(dates)
        .map(|(r, &d)| {
            if r.is_active() {
                axis.position(d)
            } else {
                None
            }
        })
        .collect();
    let touches = Touches::new(failure_sets, &positions, |c| {
        infrastructure.point(c).outage_days.max(1) as usize
    });
    let mut users = vec![0usize; infrastructure.points().len()];
    for (set, p) in failure_sets.iter().zip(&positions) {
        if p.is_some() {
            for &c in set {
                users[c] += 1;
            }
        }
    }
    let span = |c: usize, e: usize| {
        let k = infrastructure.point(c).outage_days.max(1) as usize;
        let start = axis.days()[(e + 1).saturating_sub(k).min(n_days - 1)];
        let end = axis.days()[e.min(n_days - 1)];
        (start, end)
    };
    let mut peak = Weight::ZERO;
    let mut clash_pairs = 0u64;
    let mut clashes = Vec::new();
    let mut components: Vec<ComponentExposure> = (0..infrastructure.points().len())
        .map(|c| ComponentExposure {
            component: c,
            worst: Weight::ZERO,
            date: None,
            releases: users[c],
        })
        .collect();
    let mut day_peaks: BTreeMap<NaiveDate, Weight> = BTreeMap::new();
    for (c, e, cell) in touches.cells() {
        let w = cell.iter().fold(Weight::ZERO, |sum, &(_, i)| {
            sum + releases[i as usize].weight
        });
        peak = peak.max(w);
        let n = cell.len() as u64;
        clash_pairs += n * n.saturating_sub(1) / 2;
        let (start, end) = span(c, e);
        let entry = &mut components[c];
        if w > entry.worst {
            entry.worst = w;
            entry.date = Some(start);
        }
        let dp = day_peaks.entry(end).or_insert(Weight::ZERO);
        *dp = (*dp).max(w);
        if cell.len() >= 2 {
            clashes.push(Clash {
                component: c,
                date: start,
                end_date: end,
                exposure: w,
                releases: cell.iter().map(|&(_, i)| i as usize).collect(),
            });
        }
    }
    clashes.sort_by(|a, b| {
        b.exposure
            .cmp(&a.exposure)
            .then(b.releases.len().cmp(&a.releases.len()))
            .then(a.date.cmp(&b.date))
            .then(a.component.cmp(&b.component))
    });
    Assessment {
        peak,
        clash_pairs,
        clashes,
        components,
        day_peaks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FailurePoint, Status};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rel(id: &str, date: &str, deps: &[&str], w: u64) -> Release {
        let mut r = Release::new(id, d(date)).depending_on(deps);
        r.weight = Weight(w * 1000);
        r
    }

    fn run(infra: Vec<FailurePoint>, rels: &[Release]) -> Assessment {
        let infra = Infrastructure::new(infra).unwrap();
        let sets: Vec<Vec<usize>> = rels
            .iter()
            .map(|r| infra.closure_of(&r.depends_on))
            .collect();
        let dates: Vec<NaiveDate> = rels.iter().map(|r| r.date).collect();
        let cal = WorkingCalendar::new(2026, 2027, vec![]);
        let a = assess(rels, &sets, &infra, &dates, &cal);
        let t = totals(rels, &sets, &infra, &dates, &cal);
        assert_eq!((t.peak, t.clash_pairs), (a.peak, a.clash_pairs));
        a
    }

    proptest::proptest! {
        #![proptest_config(crate::prop_config(200))]
        /// `totals` (which counts interchangeable failure points once) agrees with
        /// `assess` (which counts every point) on random graphs with chains, shared
        /// parents and multi-day outages.
        #[test]
        fn totals_by_point_class_match_the_full_count(
            parents in proptest::collection::vec(proptest::option::of(0usize..8), 1..9),
            outages in proptest::collection::vec(1u32..3, 9),
            releases in proptest::collection::vec((0usize..9, 0usize..9, 0u32..6, 1u64..4, proptest::bool::ANY), 0..14),
        ) {
            let n = parents.len();
            let infra: Vec<FailurePoint> = (0..n)
                .map(|k| {
                    // A point may rely on a later point only: no cycles.
                    let deps: Vec<String> = parents[k]
                        .filter(|&p| p > k && p < n)
                        .map(|p| format!("p{p}"))
                        .into_iter()
                        .collect();
                    let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
                    let mut f = FailurePoint::new(&format!("p{k}"), "server", &deps);
                    f.outage_days = outages[k];
                    f
                })
                .collect();
            let rels: Vec<Release> = releases
                .iter()
                .enumerate()
                .map(|(i, &(a, b, day, w, cancelled))| {
                    let deps = [format!("p{}", a % n), format!("p{}", b % n)];
                    let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
                    let date = d("2027-08-02") + chrono::Duration::days(day as i64);
                    let mut r = rel(&format!("r{i}"), &date.to_string(), &deps, w);
                    if cancelled {
                        r.status = Status::Cancelled;
                    }
                    r
                })
                .collect();
            run(infra, &rels);
        }
    }

    #[test]
    fn worked_example_from_the_docs() {
        // web1 and web2 both sit on db; a team handles r3 and r4.
        let infra = vec![
            FailurePoint::new("web1", "website", &["db"]),
            FailurePoint::new("web2", "website", &["db"]),
            FailurePoint::new("db", "database", &[]),
            FailurePoint::new("team", "team", &[]),
        ];
        let rels = [
            rel("r1", "2027-08-05", &["web1"], 1),
            rel("r2", "2027-08-05", &["web1"], 1),
            rel("r3", "2027-08-05", &["web2", "team"], 3),
            rel("r4", "2027-08-06", &["web2", "team"], 1),
        ];
        let a = run(infra, &rels);
        // db on 5 Aug: r1 + r2 + r3 = 1 + 1 + 3 = 5.
        assert_eq!(a.peak, Weight(5000));
        // web1 on 5 Aug: 1 pair; db on 5 Aug: 3 pairs. Nothing else shares a day.
        assert_eq!(a.clash_pairs, 4);
        assert_eq!(a.clashes.len(), 2);
        assert_eq!(a.clashes[0].component, 2);
        assert_eq!(a.clashes[0].releases, vec![0, 1, 2]);
        assert_eq!(a.components[0].worst, Weight(2000));
        assert_eq!(a.components[3].worst, Weight(3000));
        assert_eq!(a.components[3].releases, 2);
    }

    #[test]
    fn cancelled_releases_do_not_count() {
        let infra = vec![FailurePoint::new("web", "website", &[])];
        let mut r2 = rel("r2", "2027-08-05", &["web"], 1);
        r2.status = Status::Cancelled;
        let a = run(infra, &[rel("r1", "2027-08-05", &["web"], 1), r2]);
        assert_eq!(a.peak, Weight(1000));
        assert_eq!(a.clash_pairs, 0);
    }

    #[test]
    fn clash_pairs_prefer_two_and_two_to_three_and_one() {
        let infra = vec![FailurePoint::new("web", "website", &[])];
        let even = run(
            infra.clone(),
            &[
                rel("a", "2027-08-05", &["web"], 1),
                rel("b", "2027-08-05", &["web"], 1),
                rel("c", "2027-08-06", &["web"], 1),
                rel("d", "2027-08-06", &["web"], 1),
            ],
        );
        let uneven = run(
            infra,
            &[
                rel("a", "2027-08-05", &["web"], 1),
                rel("b", "2027-08-05", &["web"], 1),
                rel("c", "2027-08-05", &["web"], 1),
                rel("d", "2027-08-06", &["web"], 1),
            ],
        );
        assert_eq!(even.clash_pairs, 2);
        assert_eq!(uneven.clash_pairs, 3);
    }

    #[test]
    fn multi_day_outage_counts_consecutive_working_days() {
        let mut web = FailurePoint::new("web", "website", &[]);
        web.outage_days = 2;
        // Fri 6 Aug and Mon 9 Aug 2027 are consecutive working days.
        let a = run(
            vec![web],
            &[
                rel("a", "2027-08-06", &["web"], 1),
                rel("b", "2027-08-09", &["web"], 1),
            ],
        );
        assert_eq!(a.peak, Weight(2000));
        assert_eq!(a.clash_pairs, 1);
        assert_eq!(a.clashes[0].date, d("2027-08-06"));
        assert_eq!(a.clashes[0].end_date, d("2027-08-09"));
    }
}
