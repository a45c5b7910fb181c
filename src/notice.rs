//! Plain-English change notices for moved releases, ready to publish.
//!
//! A notice names both days and what each holds after the move, and says the true
//! reason for the move under the objective that was planned for:
//!
//! > Moved from Thursday 5 August to Monday 2 August 2027 so that fewer releases that
//! > depend on the BSO website go out on the same day. Thursday 5 August now has two
//! > releases that depend on the BSO website (it had four), Monday 2 August one.
//!
//! Two wordings: [`Audience::Public`] never names infrastructure ("the same publishing
//! systems"), [`Audience::Internal`] names the failure point the counts are about.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{NonWorking, Region, WorkingCalendar};
use crate::exposure::{PlanningAxis, Touches};
use crate::model::{Infrastructure, Link, LinkReason, Release, SeriesIndex, TogetherGroup, Weight};
use crate::optimise::ObjectiveKind;
use crate::rules::long_date;

/// Small numbers in words, as a statistician would write them in a notice.
pub fn count_words(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// Who a notice is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// Text to publish (schedule CSV and iCalendar by default): no infrastructure names.
    #[default]
    Public,
    /// Text for the release team (the report by default): names the failure points.
    Internal,
}

/// Why a release moved. Forced reasons come first; the others follow the objective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveReason {
    /// Its date is not a working day (weekend, bank holiday or closure).
    NonWorkingDay {
        /// Why the day is not a working day.
        why: NonWorking,
        /// The nation whose calendar applies.
        region: Region,
    },
    /// Its date lies outside its own `earliest`/`latest` window.
    OutsideWindow {
        /// The window's first allowed date, if any.
        earliest: Option<NaiveDate>,
        /// The window's last allowed date, if any.
        latest: Option<NaiveDate>,
    },
    /// To lower the peak: the most releases one failure can delay together.
    Peak,
    /// To lower the clash pairs: fewer releases sharing a failure point on one day.
    ClashPairs,
    /// To lower the chance that one failure delays two or more releases (`--objective risk`).
    Risk,
    /// To keep a hard rule with another release that the plan moved: its series' order
    /// and spacing, or an `after` link (staying would break the rule).
    KeepsLink {
        /// What ties the two releases.
        tie: Tie,
        /// Date of the other release before the plan.
        other_from: NaiveDate,
        /// Date of the other release after the plan.
        other_to: NaiveDate,
    },
    /// Published on one day with the other releases of its `together` group, which
    /// moved as one.
    Together {
        /// The group's name (its `together` value).
        group: String,
        /// How many other releases of the group moved with it.
        others: usize,
    },
    /// To free its old day for another release the plan moved there.
    MakesRoom,
    /// None of the above applies on its own: part of the plan's overall spreading.
    Spreading,
}

/// What ties a moved release to another release (see [`MoveReason::KeepsLink`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tie {
    /// Both are releases of the series of this name; the other one comes `earlier`.
    Series {
        /// The series' name.
        name: String,
        /// Whether the other release is the earlier one of the two.
        earlier: bool,
    },
    /// An `after` link with the other release, titled `title`; `earlier` as above.
    After {
        /// The other release's title.
        title: String,
        /// Whether the other release is the earlier one of the two.
        earlier: bool,
    },
}

/// The failure point a notice counts releases on, and the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// Index of the failure point.
    pub component: usize,
    /// How many working days one failure of it can last (its `outage_days`).
    pub outage_days: u32,
    /// The outage window around the old date that the counts are for (first, last day).
    pub old_span: (NaiveDate, NaiveDate),
    /// The outage window around the new date (the busiest one holding it after the plan).
    pub new_span: (NaiveDate, NaiveDate),
    /// Releases relying on the failure point in `old_span` before the plan.
    pub old_before: usize,
    /// The same after the plan.
    pub old_after: usize,
    /// Releases relying on it in `new_span` after the plan (this release included).
    pub new_after: usize,
}

/// A change notice before it is worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The date the release moved from.
    pub from: NaiveDate,
    /// The date it moved to.
    pub to: NaiveDate,
    /// Why it moved.
    pub reason: MoveReason,
    /// What its old and new days hold, on the failure point that explains the move best.
    pub focus: Option<Focus>,
}

/// Per failure point and cell (outage window ending on an axis day): weight and count,
/// for the cells some release touches only (sorted by cell, indexed by failure point),
/// so memory follows the releases and their failure points, not the span of the
/// calendar.
#[derive(Debug, Clone)]
struct Cells {
    /// Start of each failure point's cells in `load` (one more than failure points).
    offsets: Vec<usize>,
    /// (window end, weight, count), sorted within each failure point.
    load: Vec<(usize, u64, u32)>,
}

impl Cells {
    fn new(
        releases: &[Release],
        failure_sets: &[Vec<usize>],
        windows: &[usize],
        axis: &PlanningAxis,
        dates: &[NaiveDate],
    ) -> Cells {
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
            windows.get(c).copied().unwrap_or(1)
        });
        let mut offsets = vec![0usize; windows.len() + 1];
        let mut load: Vec<(usize, u64, u32)> = Vec::new();
        for (c, e, cell) in touches.cells() {
            let weight = cell
                .iter()
                .map(|&(_, i)| releases[i as usize].weight.0)
                .sum();
            load.push((e, weight, cell.len() as u32));
            if let Some(o) = offsets.get_mut(c + 1) {
                *o += 1;
            }
        }
        for c in 0..windows.len() {
            offsets[c + 1] += offsets[c];
        }
        Cells { offsets, load }
    }

    fn get(&self, c: usize, e: usize) -> (u64, u32) {
        let (Some(&from), Some(&to)) = (self.offsets.get(c), self.offsets.get(c + 1)) else {
            return (0, 0);
        };
        let own = &self.load[from..to];
        own.binary_search_by_key(&e, |&(cell, _, _)| cell)
            .map_or((0, 0), |k| (own[k].1, own[k].2))
    }
}

/// One step of a 64-bit mixing function (splitmix64 finaliser).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The failure points that can never be the one a notice names: a point with the same
/// outage days and failure rate as an earlier point, relied on by exactly the same
/// releases, has the same cells before and after and the same number of users, so it
/// ties with that earlier point on every ranking and the earlier one wins; only
/// whether a release names it directly in `depends_on` can set it apart (checked per
/// notice). On a deep dependency chain this leaves a few points per release to look
/// at instead of thousands.
///
/// Linear in the release–point pairs: a running hash of each point's releases groups
/// candidates, and every grouping is then checked exactly.
fn shadowed_points(failure_sets: &[Vec<usize>], infrastructure: &Infrastructure) -> Vec<bool> {
    let points = infrastructure.points();
    let n = points.len();
    let mut hash = vec![0u64; n];
    let mut len = vec![0u64; n];
    for (i, set) in failure_sets.iter().enumerate() {
        for &c in set {
            if c < n {
                hash[c] = mix(hash[c].wrapping_add(mix(i as u64)));
                len[c] += 1;
            }
        }
    }
    let key = |c: usize| {
        (
            points[c].outage_days.max(1),
            points[c].failures_per_year.map(f64::to_bits),
            len[c],
            hash[c],
        )
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by_key(|&c| (key(c), c));
    let mut first = vec![usize::MAX; n];
    for pair in order.windows(2) {
        if key(pair[0]) == key(pair[1]) {
            first[pair[1]] = if first[pair[0]] == usize::MAX {
                pair[0]
            } else {
                first[pair[0]]
            };
        }
    }
    // Exact check: every release relying on a shadowed point relies on its first one
    // (equal counts then make the two sets of releases equal).
    let mut stamp = vec![usize::MAX; n];
    for (i, set) in failure_sets.iter().enumerate() {
        for &c in set {
            if c < n {
                stamp[c] = i;
            }
        }
        for &c in set {
            if c < n && first[c] != usize::MAX && stamp[first[c]] != i {
                first[c] = usize::MAX;
            }
        }
    }
    first.iter().map(|&f| f != usize::MAX).collect()
}

/// Works out the notices of a plan: who moved, why, and what the days hold.
#[derive(Debug, Clone)]
pub struct NoticeBuilder<'a> {
    releases: &'a [Release],
    failure_sets: &'a [Vec<usize>],
    infrastructure: &'a Infrastructure,
    calendar: &'a WorkingCalendar,
    before: &'a [NaiveDate],
    after: &'a [NaiveDate],
    objective: ObjectiveKind,
    axis: PlanningAxis,
    windows: Vec<usize>,
    cells_before: Cells,
    cells_after: Cells,
    peak_after: u64,
    users: Vec<usize>,
    /// Failure points that never decide a notice (see [`shadowed_points`]).
    shadowed: Vec<bool>,
    /// Days some active release was moved onto (sorted).
    arrival_days: Vec<NaiveDate>,
    /// Hard-rule links per release (see [`NoticeBuilder::with_links`]).
    links: Vec<Vec<&'a Link>>,
    /// Series names (index of [`NoticeBuilder::with_links`]).
    series: Option<&'a SeriesIndex>,
    /// The `together` group of each release, if any.
    together: Vec<Option<&'a TogetherGroup>>,
}

impl<'a> NoticeBuilder<'a> {
    /// Indexes the calendar `before` (each release's date before the plan) and `after`
    /// (its planned date) for notices on a plan made with `objective`.
    pub fn new(
        releases: &'a [Release],
        failure_sets: &'a [Vec<usize>],
        infrastructure: &'a Infrastructure,
        calendar: &'a WorkingCalendar,
        before: &'a [NaiveDate],
        after: &'a [NaiveDate],
        objective: ObjectiveKind,
    ) -> Self {
        let active = || {
            releases
                .iter()
                .zip(before.iter().zip(after))
                .filter(|(r, _)| r.is_active())
                .flat_map(|(_, (&b, &a))| [b, a])
        };
        let mut regions: Vec<Region> = releases
            .iter()
            .filter(|r| r.is_active())
            .map(|r| r.region)
            .collect();
        regions.sort();
        regions.dedup();
        let axis = match (active().min(), active().max()) {
            (Some(lo), Some(hi)) => PlanningAxis::new(lo, hi, &regions, calendar, active()),
            _ => PlanningAxis::new(NaiveDate::MIN, NaiveDate::MIN, &[], calendar, []),
        };
        let windows: Vec<usize> = infrastructure
            .points()
            .iter()
            .map(|p| p.outage_days.max(1) as usize)
            .collect();
        let shadowed = shadowed_points(failure_sets, infrastructure);
        // Cells only for the points a notice can name: not shadowed, or named directly by
        // some release (a shadowed point has the cells of the point that shadows it, so
        // the peak over the points kept is the peak over all).
        let named: std::collections::BTreeSet<&str> = releases
            .iter()
            .flat_map(|r| r.depends_on.iter().map(String::as_str))
            .collect();
        let needed: Vec<bool> = (0..windows.len())
            .map(|c| !shadowed[c] || named.contains(infrastructure.point(c).id.as_str()))
            .collect();
        let kept: Vec<Vec<usize>> = failure_sets
            .iter()
            .map(|set| {
                set.iter()
                    .copied()
                    .filter(|&c| needed.get(c).copied().unwrap_or(true))
                    .collect()
            })
            .collect();
        let cells_before = Cells::new(releases, &kept, &windows, &axis, before);
        let cells_after = Cells::new(releases, &kept, &windows, &axis, after);
        let peak_after = cells_after
            .load
            .iter()
            .map(|&(_, w, _)| w)
            .max()
            .unwrap_or(0);
        let mut users = vec![0usize; windows.len()];
        for (r, set) in releases.iter().zip(failure_sets) {
            if r.is_active() {
                for &c in set {
                    users[c] += 1;
                }
            }
        }
        let mut arrival_days: Vec<NaiveDate> = releases
            .iter()
            .zip(before.iter().zip(after))
            .filter(|(r, (b, a))| r.is_active() && a != b)
            .map(|(_, (_, &a))| a)
            .collect();
        arrival_days.sort_unstable();
        arrival_days.dedup();
        NoticeBuilder {
            releases,
            failure_sets,
            infrastructure,
            calendar,
            before,
            after,
            objective,
            axis,
            windows,
            cells_before,
            cells_after,
            peak_after,
            users,
            shadowed,
            arrival_days,
            links: Vec::new(),
            series: None,
            together: Vec::new(),
        }
    }

    /// Lets the notices name the hard rules that tie releases (series order and
    /// spacing, `after` links, `together` groups): a move that none of the objective's
    /// reasons explains, but that its series or link forced, says so.
    pub fn with_links(
        mut self,
        links: &'a [Link],
        series: &'a SeriesIndex,
        together: &'a [TogetherGroup],
    ) -> Self {
        self.links = vec![Vec::new(); self.releases.len()];
        for l in links {
            for i in [l.before, l.after] {
                if let Some(v) = self.links.get_mut(i) {
                    v.push(l);
                }
            }
        }
        self.series = Some(series);
        self.together = vec![None; self.releases.len()];
        for g in together {
            for &m in &g.members {
                if let Some(slot) = self.together.get_mut(m) {
                    *slot = Some(g);
                }
            }
        }
        self
    }

    /// The first link of release `index` that staying on its old date would break,
    /// given where the plan put the other release.
    fn broken_link_if_stayed(&self, index: usize) -> Option<MoveReason> {
        let from = self.before[index];
        for l in self.links.get(index)? {
            let (other, gap) = if l.after == index {
                (l.before, (from - self.after[l.before]).num_days())
            } else {
                (l.after, (self.after[l.after] - from).num_days())
            };
            if gap >= l.min_days {
                continue;
            }
            let earlier = l.before == other;
            let tie = match l.reason {
                LinkReason::Series(s) => Tie::Series {
                    name: self
                        .series
                        .and_then(|x| x.series.get(s))
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                    earlier,
                },
                LinkReason::After => Tie::After {
                    title: self.releases[other].title.clone(),
                    earlier,
                },
            };
            return Some(MoveReason::KeepsLink {
                tie,
                other_from: self.before[other],
                other_to: self.after[other],
            });
        }
        None
    }

    /// The release's `together` group when the plan moved its other members with it.
    fn moved_together(&self, index: usize) -> Option<MoveReason> {
        let g = (*self.together.get(index)?)?;
        let others = g
            .members
            .iter()
            .filter(|&&m| m != index && self.before[m] != self.after[m])
            .count();
        (others > 0).then(|| MoveReason::Together {
            group: g.name.clone(),
            others,
        })
    }

    /// The cell (outage window end) among those holding `day` that is the largest in
    /// `cells` (by weight, then count; the earliest on a tie), with its span.
    fn busiest_cell(
        &self,
        cells: &Cells,
        c: usize,
        day: NaiveDate,
    ) -> Option<(usize, (NaiveDate, NaiveDate))> {
        let p = self.axis.position(day)?;
        let w = self.windows[c];
        let last = self.axis.days().len() - 1;
        let mut best: Option<(usize, (u64, u32))> = None;
        for e in p..p + w {
            let v = cells.get(c, e);
            if best.is_none_or(|(_, b)| v > b) {
                best = Some((e, v));
            }
        }
        let (e, _) = best?;
        let start = self.axis.days()[(e + 1).saturating_sub(w).min(last)];
        let end = self.axis.days()[e.min(last)];
        Some((e, (start, end)))
    }

    /// The notice of release `index`, or `None` when the plan did not move it.
    pub fn notice(&self, index: usize) -> Option<Notice> {
        let r = &self.releases[index];
        let (from, to) = (self.before[index], self.after[index]);
        if from == to {
            return None;
        }
        let forced = if let Some(why) = self.calendar.non_working_reason(from, r.region) {
            Some(MoveReason::NonWorkingDay {
                why,
                region: r.region,
            })
        } else if r.earliest.is_some_and(|e| from < e) || r.latest.is_some_and(|l| from > l) {
            Some(MoveReason::OutsideWindow {
                earliest: r.earliest,
                latest: r.latest,
            })
        } else {
            None
        };
        // Per failure point of the release: its busiest old cell before the plan and
        // that cell's count after, and its busiest new cell after the plan.
        struct Seen {
            c: usize,
            old: (NaiveDate, NaiveDate),
            new: (NaiveDate, NaiveDate),
            old_before: (u64, u32),
            old_after: (u64, u32),
            new_after: (u64, u32),
        }
        let direct = |c: usize| {
            r.depends_on
                .iter()
                .any(|id| *id == self.infrastructure.point(c).id)
        };
        let mut seen = Vec::new();
        for &c in &self.failure_sets[index] {
            if self.shadowed[c] && !direct(c) {
                continue;
            }
            let (Some((eo, old)), Some((en, new))) = (
                self.busiest_cell(&self.cells_before, c, from),
                self.busiest_cell(&self.cells_after, c, to),
            ) else {
                continue;
            };
            seen.push(Seen {
                c,
                old,
                new,
                old_before: self.cells_before.get(c, eo),
                old_after: self.cells_after.get(c, eo),
                new_after: self.cells_after.get(c, en),
            });
        }
        // Best by `key`, then the direct dependency (the website rather than the DNS
        // under everything), then the most specific one (fewest users), then input order.
        let pick = |key: &dyn Fn(&Seen) -> Option<u64>| -> Option<&Seen> {
            type Rank = (u64, bool, std::cmp::Reverse<usize>);
            let mut best: Option<(Rank, &Seen)> = None;
            for s in &seen {
                let Some(k) = key(s) else { continue };
                let full = (k, direct(s.c), std::cmp::Reverse(self.users[s.c]));
                if best.as_ref().is_none_or(|(b, _)| full > *b) {
                    best = Some((full, s));
                }
            }
            best.map(|(_, s)| s)
        };
        let drop = |s: &Seen| u64::from(s.old_before.1.saturating_sub(s.old_after.1));
        let peak = || {
            pick(&|s: &Seen| {
                (s.old_before.0 > self.peak_after && s.old_after.0 < s.old_before.0)
                    .then_some(s.old_before.0)
            })
            .map(|s| (MoveReason::Peak, s))
        };
        let risk = || {
            pick(&|s: &Seen| {
                let rate = self
                    .infrastructure
                    .point(s.c)
                    .failures_per_year
                    .unwrap_or(crate::risk::DEFAULT_FAILURES_PER_YEAR);
                (s.old_before.1 >= 2 && s.old_after.1 <= 1 && rate > 0.0)
                    .then_some((rate * 1e6) as u64)
            })
            .map(|s| (MoveReason::Risk, s))
        };
        let pairs = || {
            pick(&|s: &Seen| (s.old_before.1 >= 2 && drop(s) > 0).then(|| drop(s)))
                .map(|s| (MoveReason::ClashPairs, s))
        };
        let tied = || {
            self.broken_link_if_stayed(index)
                .or_else(|| self.moved_together(index))
                .map(|reason| {
                    let s = pick(&|s: &Seen| Some(u64::from(s.new_after.1)));
                    (reason, s)
                })
        };
        let room = || {
            // Another release moved onto the old day (this one left it, so it is not one).
            let arrived = self.arrival_days.binary_search(&from).is_ok();
            arrived
                .then(|| pick(&|s: &Seen| Some(u64::from(s.old_after.1))))
                .flatten()
                .map(|s| (MoveReason::MakesRoom, s))
        };
        let chosen = match (forced, self.objective) {
            (Some(reason), _) => {
                let s = pick(&|s: &Seen| Some(drop(s) * 1_000_000 + u64::from(s.old_before.1)));
                (reason, s)
            }
            (None, kind) => {
                let objective = match kind {
                    ObjectiveKind::Risk => risk().or_else(peak).or_else(pairs),
                    ObjectiveKind::Default => peak().or_else(pairs),
                };
                match objective.map(|(reason, s)| (reason, Some(s))) {
                    Some(found) => found,
                    None => match tied() {
                        Some(found) => found,
                        None => match room() {
                            Some((reason, s)) => (reason, Some(s)),
                            None => (MoveReason::Spreading, pick(&|s: &Seen| Some(drop(s)))),
                        },
                    },
                }
            }
        };
        let (reason, s) = chosen;
        let focus = s.map(|s| Focus {
            component: s.c,
            outage_days: self.windows[s.c] as u32,
            old_span: s.old,
            new_span: s.new,
            old_before: s.old_before.1 as usize,
            old_after: s.old_after.1 as usize,
            new_after: s.new_after.1 as usize,
        });
        Some(Notice {
            from,
            to,
            reason,
            focus,
        })
    }

    /// The worded notice of release `index` (empty when it did not move).
    pub fn text(&self, index: usize, audience: Audience) -> String {
        self.notice(index)
            .map(|n| n.text(audience, self.infrastructure))
            .unwrap_or_default()
    }

    /// The heaviest outage window of the plan (thousandths), as used for the peak reason.
    pub fn peak_after(&self) -> Weight {
        Weight(self.peak_after)
    }
}

/// `Thursday 5 August`.
fn day_month(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        crate::calendar::full_weekday(d.weekday()),
        d.day(),
        crate::io::fields::month_name(d.month())
    )
}

/// `from Thursday 5 August to Monday 2 August 2027` (both years when they differ).
fn from_to(from: NaiveDate, to: NaiveDate) -> String {
    if from.year() == to.year() {
        format!("from {} to {}", day_month(from), long_date(to))
    } else {
        format!("from {} to {}", long_date(from), long_date(to))
    }
}

/// A span of working days: `Thursday 5 August`, `Thursday 5 to Friday 6 August`,
/// `Friday 30 July to Monday 2 August`.
fn span_text((start, end): (NaiveDate, NaiveDate)) -> String {
    if start == end {
        return day_month(start);
    }
    let first = if start.month() == end.month() && start.year() == end.year() {
        format!(
            "{} {}",
            crate::calendar::full_weekday(start.weekday()),
            start.day()
        )
    } else {
        day_month(start)
    };
    format!("{first} to {}", day_month(end))
}

/// `one release that depends` / `three releases that depend`.
fn releases_that_depend(n: usize) -> String {
    if n == 1 {
        "one release that depends".to_string()
    } else {
        format!("{} releases that depend", count_words(n))
    }
}

impl Notice {
    /// The notice in words for `audience`.
    pub fn text(&self, audience: Audience, infrastructure: &Infrastructure) -> String {
        let head = format!("Moved {}", from_to(self.from, self.to));
        let name = |f: &Focus| infrastructure.point(f.component).name.clone();
        let old_day = day_month(self.from);
        let why = match &self.reason {
            MoveReason::NonWorkingDay { why, region } => format!(
                "because {old_day} is {}, and releases go out on working days only",
                why.describe(*region)
            ),
            MoveReason::OutsideWindow { earliest, latest } => {
                let window = match (earliest, latest) {
                    (Some(e), Some(l)) => format!(" ({} to {})", long_date(*e), long_date(*l)),
                    (Some(e), None) => format!(" (from {})", long_date(*e)),
                    (None, Some(l)) => format!(" (until {})", long_date(*l)),
                    (None, None) => String::new(),
                };
                format!("to bring it inside its own window of allowed dates{window}")
            }
            MoveReason::Peak => match audience {
                Audience::Internal => {
                    "to lower the most releases that a single failure can delay together"
                        .to_string()
                }
                Audience::Public => {
                    "to avoid many releases depending on the same publishing systems on one day"
                        .to_string()
                }
            },
            MoveReason::ClashPairs => match (audience, &self.focus) {
                (Audience::Internal, Some(f)) => format!(
                    "so that fewer releases that depend on the {} go out on the same day",
                    name(f)
                ),
                _ => "to avoid several releases depending on the same publishing systems on one day"
                    .to_string(),
            },
            MoveReason::Risk => match audience {
                Audience::Internal => {
                    "to lower the chance that a single failure delays two or more releases at once"
                        .to_string()
                }
                Audience::Public => "to lower the chance that a single failure of the publishing systems delays two or more releases at once".to_string(),
            },
            MoveReason::KeepsLink {
                tie,
                other_from,
                other_to,
            } => {
                let other = format!("moved {}", from_to(*other_from, *other_to));
                match tie {
                    Tie::Series { name, earlier } => format!(
                        "to keep the releases of '{name}' in order and spaced out: its {} release {other}",
                        if *earlier { "previous" } else { "next" }
                    ),
                    Tie::After { title, earlier: true } => {
                        format!("because it follows '{title}', which {other}")
                    }
                    Tie::After { title, earlier: false } => {
                        format!("because '{title}' follows it and {other}")
                    }
                }
            }
            MoveReason::Together { others, .. } => format!(
                "because it is published on the same day as {} that moved with it",
                if *others == 1 {
                    "a linked release".to_string()
                } else {
                    format!("{} linked releases", count_words(*others))
                }
            ),
            MoveReason::MakesRoom => {
                format!("to make room on {old_day} for another release that the plan moved there")
            }
            MoveReason::Spreading => {
                "as part of spreading releases more evenly across days".to_string()
            }
        };
        let mut text = format!("{head} {why}.");
        let forced = matches!(
            self.reason,
            MoveReason::NonWorkingDay { .. }
                | MoveReason::OutsideWindow { .. }
                | MoveReason::KeepsLink { .. }
                | MoveReason::Together { .. }
        );
        // A forced move's counts matter only when its new day is shared.
        let focus = self.focus.as_ref().filter(|f| !forced || f.new_after >= 2);
        if let Some(f) = focus {
            let subject = match audience {
                Audience::Internal => format!("the {}", name(f)),
                Audience::Public => "the same publishing systems as this one".to_string(),
            };
            let had = if f.old_before != f.old_after {
                format!(" (it had {})", count_words(f.old_before))
            } else {
                String::new()
            };
            let counts = format!(
                "{} now {} {} on {subject}{had}, {} {}.",
                span_text(f.old_span),
                if f.outage_days > 1 { "hold" } else { "has" },
                releases_that_depend(f.old_after),
                span_text(f.new_span),
                count_words(f.new_after)
            );
            if f.outage_days > 1 {
                let lasting = match audience {
                    Audience::Internal => format!("A failure of the {}", name(f)),
                    Audience::Public => "A failure of these systems".to_string(),
                };
                text.push_str(&format!(
                    " {lasting} can last {} working days: {counts}",
                    count_words(f.outage_days as usize)
                ));
            } else {
                text.push(' ');
                text.push_str(&capitalise(&counts));
            }
        }
        text
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Region;
    use crate::model::FailurePoint;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rel(id: &str, date: &str, deps: &[&str]) -> Release {
        let mut r = Release::new(id, d(date)).depending_on(deps);
        r.region = Region::NorthernIreland;
        r
    }

    struct Case {
        infra: Infrastructure,
        rels: Vec<Release>,
        after: Vec<NaiveDate>,
        cal: WorkingCalendar,
    }

    impl Case {
        fn new(points: Vec<FailurePoint>, rels: Vec<Release>, after: &[&str]) -> Case {
            Case {
                infra: Infrastructure::new(points).unwrap(),
                rels,
                after: after.iter().map(|s| d(s)).collect(),
                cal: WorkingCalendar::new(2019, 2028, vec![]),
            }
        }
        fn notice(&self, i: usize, objective: ObjectiveKind, audience: Audience) -> String {
            let sets: Vec<Vec<usize>> = self
                .rels
                .iter()
                .map(|r| self.infra.closure_of(&r.depends_on))
                .collect();
            let before: Vec<NaiveDate> = self.rels.iter().map(|r| r.date).collect();
            let b = NoticeBuilder::new(
                &self.rels,
                &sets,
                &self.infra,
                &self.cal,
                &before,
                &self.after,
                objective,
            );
            b.text(i, audience)
        }
        fn reason(&self, i: usize, objective: ObjectiveKind) -> MoveReason {
            let sets: Vec<Vec<usize>> = self
                .rels
                .iter()
                .map(|r| self.infra.closure_of(&r.depends_on))
                .collect();
            let before: Vec<NaiveDate> = self.rels.iter().map(|r| r.date).collect();
            NoticeBuilder::new(
                &self.rels,
                &sets,
                &self.infra,
                &self.cal,
                &before,
                &self.after,
                objective,
            )
            .notice(i)
            .unwrap()
            .reason
        }
    }

    #[test]
    fn only_points_tied_with_an_earlier_identical_point_are_shadowed() {
        // web → cms → db → dns: both releases rely on all four, so cms, db and dns tie
        // with web (the earliest) on every ranking. A faster rate sets one apart.
        let web = FailurePoint::new("web", "website", &["cms"]);
        let cms = FailurePoint::new("cms", "cms", &["db"]);
        let db = FailurePoint::new("db", "database", &["dns"]);
        let mut dns = FailurePoint::new("dns", "dns", &[]);
        let other = FailurePoint::new("other", "website", &["dns"]);
        let infra = Infrastructure::new(vec![web, cms, db, dns.clone(), other.clone()]).unwrap();
        let sets = vec![vec![0, 1, 2, 3], vec![0, 1, 2, 3]];
        assert_eq!(
            shadowed_points(&sets, &infra),
            vec![false, true, true, true, false]
        );
        dns.failures_per_year = Some(12.0);
        let web = FailurePoint::new("web", "website", &["cms"]);
        let cms = FailurePoint::new("cms", "cms", &["db"]);
        let db = FailurePoint::new("db", "database", &["dns"]);
        let infra = Infrastructure::new(vec![web, cms, db, dns, other]).unwrap();
        assert_eq!(
            shadowed_points(&sets, &infra),
            vec![false, true, true, false, false]
        );
        // A release relying on db alone sets db apart from web and cms.
        let sets = vec![vec![0, 1, 2, 3], vec![2, 3]];
        assert_eq!(
            shadowed_points(&sets, &infra),
            vec![false, true, false, false, false]
        );
    }

    /// Two websites on one database server; four releases on 6 August 2020.
    fn six_august() -> Case {
        let mut db = FailurePoint::new("db", "database", &[]);
        db.name = "BSO website database server".into();
        let mut web1 = FailurePoint::new("web1", "website", &["db"]);
        web1.name = "BSO website".into();
        let mut web2 = FailurePoint::new("web2", "website", &["db"]);
        web2.name = "BSO legacy website".into();
        let rels = vec![
            rel("a", "2020-08-06", &["web1"]),
            rel("b", "2020-08-06", &["web1"]),
            rel("c", "2020-08-06", &["web2"]),
            rel("e", "2020-08-06", &["web2"]),
        ];
        Case::new(
            vec![web1, web2, db],
            rels,
            &["2020-08-06", "2020-08-11", "2020-08-07", "2020-08-10"],
        )
    }

    #[test]
    fn a_move_its_series_or_link_forced_says_so() {
        use crate::model::{links, together_groups, SeriesRules, SeriesSource};
        let web = FailurePoint::new("web", "website", &[]);
        let mut rels = vec![
            rel("s1", "2020-08-06", &["web"]),
            rel("s2", "2020-08-13", &["web"]),
            rel("x", "2020-08-06", &["web"]),
            rel("rev", "2020-08-20", &[]),
            rel("data", "2020-08-13", &[]),
        ];
        for r in &mut rels[..2] {
            r.series = Some("Deaths weekly".into());
        }
        rels[1].title = "Deaths weekly: week ending 7 August".into();
        rels[3].title = "Deaths revised".into();
        rels[3].after = vec!["s2".into()];
        rels[4].together = Some("s2".into());
        rels[1].together = Some("s2".into());
        // s1 leaves x's day for the next Thursday; s2 and its dataset follow a week on;
        // the revision follows s2.
        let case = Case::new(
            vec![web],
            rels,
            &[
                "2020-08-13",
                "2020-08-20",
                "2020-08-06",
                "2020-08-27",
                "2020-08-20",
            ],
        );
        let series = SeriesIndex::build(&case.rels, true, SeriesSource::Titles);
        let all = links(&case.rels, &series, SeriesRules::default());
        let groups = together_groups(&case.rels);
        let sets: Vec<Vec<usize>> = case
            .rels
            .iter()
            .map(|r| case.infra.closure_of(&r.depends_on))
            .collect();
        let before: Vec<NaiveDate> = case.rels.iter().map(|r| r.date).collect();
        let b = NoticeBuilder::new(
            &case.rels,
            &sets,
            &case.infra,
            &case.cal,
            &before,
            &case.after,
            ObjectiveKind::Default,
        )
        .with_links(&all, &series, &groups);
        assert_eq!(b.notice(0).unwrap().reason, MoveReason::Peak);
        assert_eq!(
            b.text(1, Audience::Public),
            "Moved from Thursday 13 August to Thursday 20 August 2020 to keep the releases of \
             'Deaths weekly' in order and spaced out: its previous release moved from Thursday \
             6 August to Thursday 13 August 2020."
        );
        assert_eq!(
            b.text(3, Audience::Public),
            "Moved from Thursday 20 August to Thursday 27 August 2020 because it follows \
             'Deaths weekly: week ending 7 August', which moved from Thursday 13 August to Thursday 20 August 2020."
        );
        assert_eq!(
            b.text(4, Audience::Public),
            "Moved from Thursday 13 August to Thursday 20 August 2020 because it is published \
             on the same day as a linked release that moved with it."
        );
    }

    #[test]
    fn peak_notice_names_both_days_and_their_counts() {
        let case = six_august();
        // The plan's peak is 1 on every failure point: the database server carried four.
        assert_eq!(case.reason(1, ObjectiveKind::Default), MoveReason::Peak);
        assert_eq!(
            case.notice(1, ObjectiveKind::Default, Audience::Internal),
            "Moved from Thursday 6 August to Tuesday 11 August 2020 to lower the most releases \
             that a single failure can delay together. Thursday 6 August now has one release that \
             depends on the BSO website database server (it had four), Tuesday 11 August one."
        );
        let public = case.notice(1, ObjectiveKind::Default, Audience::Public);
        assert_eq!(
            public,
            "Moved from Thursday 6 August to Tuesday 11 August 2020 to avoid many releases \
             depending on the same publishing systems on one day. Thursday 6 August now has one \
             release that depends on the same publishing systems as this one (it had four), \
             Tuesday 11 August one."
        );
        assert!(!public.contains("BSO") && !public.contains("database"));
        // Not moved: no notice.
        assert_eq!(case.notice(0, ObjectiveKind::Default, Audience::Public), "");
    }

    #[test]
    fn clash_pair_notice_when_the_peak_is_not_at_stake() {
        // web carries three on Thursday; the plan leaves two there (peak 2 elsewhere too).
        let web = FailurePoint::new("web", "website", &[]);
        let rels = vec![
            rel("a", "2027-08-05", &["web"]),
            rel("b", "2027-08-05", &["web"]),
            rel("c", "2027-08-05", &["web"]),
            rel("x", "2027-08-02", &["web"]),
            rel("y", "2027-08-02", &["web"]),
        ];
        let case = Case::new(
            vec![web],
            rels,
            &[
                "2027-08-05",
                "2027-08-05",
                "2027-08-03",
                "2027-08-02",
                "2027-08-02",
            ],
        );
        // Peak after is 2: the old day held 3 > 2, so this is the peak's move.
        assert_eq!(case.reason(2, ObjectiveKind::Default), MoveReason::Peak);
        // With another release at 3 elsewhere the peak stays 3: the move is for the pairs.
        let mut rels = case.rels.clone();
        rels.extend(["p", "q", "r"].map(|i| rel(i, "2027-08-10", &["web"])));
        let mut after = case.after.clone();
        after.extend([d("2027-08-10"); 3]);
        let pairs_case = Case {
            rels,
            after,
            ..case
        };
        assert_eq!(
            pairs_case.reason(2, ObjectiveKind::Default),
            MoveReason::ClashPairs
        );
        assert_eq!(
            pairs_case.notice(2, ObjectiveKind::Default, Audience::Internal),
            "Moved from Thursday 5 August to Tuesday 3 August 2027 so that fewer releases that \
             depend on the web go out on the same day. Thursday 5 August now has two releases \
             that depend on the web (it had three), Tuesday 3 August one."
        );
        assert_eq!(
            pairs_case.notice(2, ObjectiveKind::Default, Audience::Public),
            "Moved from Thursday 5 August to Tuesday 3 August 2027 to avoid several releases \
             depending on the same publishing systems on one day. Thursday 5 August now has two \
             releases that depend on the same publishing systems as this one (it had three), \
             Tuesday 3 August one."
        );
    }

    #[test]
    fn risk_notice_says_the_chance_and_the_pile_up_it_made() {
        // Under --objective risk the plan may pile releases onto one day of a team to
        // free other days: the notice must say so rather than claim it spread them.
        let team = FailurePoint::new("team", "team", &[]);
        let rels = vec![
            rel("a", "2027-08-02", &["team"]),
            rel("b", "2027-08-02", &["team"]),
            rel("c", "2027-08-04", &["team"]),
            rel("d", "2027-08-04", &["team"]),
        ];
        let case = Case::new(
            vec![team],
            rels,
            &["2027-08-02", "2027-08-04", "2027-08-04", "2027-08-04"],
        );
        assert_eq!(case.reason(1, ObjectiveKind::Risk), MoveReason::Risk);
        assert_eq!(
            case.notice(1, ObjectiveKind::Risk, Audience::Internal),
            "Moved from Monday 2 August to Wednesday 4 August 2027 to lower the chance that a \
             single failure delays two or more releases at once. Monday 2 August now has one \
             release that depends on the team (it had two), Wednesday 4 August three."
        );
        let public = case.notice(1, ObjectiveKind::Risk, Audience::Public);
        assert!(public.contains("to lower the chance that a single failure of the publishing systems delays two or more releases at once"), "{public}");
        assert!(public.contains("Wednesday 4 August three."), "{public}");
        // The same move planned for the default objective is not a peak or pairs move
        // (it adds pairs on the 4th): it made room for nothing, so it is "spreading" at most.
        assert_ne!(case.reason(1, ObjectiveKind::Default), MoveReason::Risk);
    }

    #[test]
    fn forced_moves_say_why() {
        let web = FailurePoint::new("web", "website", &[]);
        let mut windowed = rel("w", "2027-08-05", &["web"]);
        windowed.earliest = Some(d("2027-08-09"));
        windowed.latest = Some(d("2027-08-13"));
        let rels = vec![
            rel("sat", "2027-08-07", &["web"]),
            rel("hol", "2027-07-12", &["web"]),
            windowed,
        ];
        let case = Case::new(vec![web], rels, &["2027-08-09", "2027-07-13", "2027-08-10"]);
        let n = case.notice(0, ObjectiveKind::Default, Audience::Public);
        assert!(
            n.starts_with("Moved from Saturday 7 August to Monday 9 August 2027 because Saturday 7 August is a weekend day, and releases go out on working days only."),
            "{n}"
        );
        let n = case.notice(1, ObjectiveKind::Default, Audience::Public);
        assert!(
            n.contains("because Monday 12 July is a bank holiday in Northern Ireland (Battle of the Boyne (Orangemen's Day))"),
            "{n}"
        );
        let n = case.notice(2, ObjectiveKind::Risk, Audience::Internal);
        assert!(
            n.contains("to bring it inside its own window of allowed dates (Monday 9 August 2027 to Friday 13 August 2027)"),
            "{n}"
        );
    }

    #[test]
    fn makes_room_and_spreading() {
        let web = FailurePoint::new("web", "website", &[]);
        let other = FailurePoint::new("other", "website", &[]);
        // x leaves Monday for Tuesday so that y (from the crowded Thursday) can take Monday.
        let rels = vec![
            rel("x", "2027-08-02", &["other"]),
            rel("y", "2027-08-05", &["web", "other"]),
            rel("z", "2027-08-05", &["web"]),
            rel("lone", "2027-08-10", &["web"]),
        ];
        let case = Case::new(
            vec![web, other],
            rels,
            &["2027-08-03", "2027-08-02", "2027-08-05", "2027-08-11"],
        );
        assert_eq!(
            case.reason(0, ObjectiveKind::Default),
            MoveReason::MakesRoom
        );
        assert!(case
            .notice(0, ObjectiveKind::Default, Audience::Public)
            .contains(
                "to make room on Monday 2 August for another release that the plan moved there."
            ));
        assert_eq!(
            case.reason(3, ObjectiveKind::Default),
            MoveReason::Spreading
        );
    }

    #[test]
    fn multi_day_outages_name_the_window() {
        let mut cache = FailurePoint::new("cache", "cache", &[]);
        cache.outage_days = 2;
        cache.name = "BSO web cache".into();
        // Thu 5 and Fri 6 August hold two releases; one moves to Tuesday 10 August.
        let rels = vec![
            rel("a", "2027-08-05", &["cache"]),
            rel("b", "2027-08-06", &["cache"]),
            rel("c", "2027-08-12", &["cache"]),
            rel("d", "2027-08-13", &["cache"]),
        ];
        let case = Case::new(
            vec![cache],
            rels,
            &["2027-08-05", "2027-08-10", "2027-08-12", "2027-08-13"],
        );
        let n = case.notice(1, ObjectiveKind::Default, Audience::Internal);
        assert!(
            n.contains("A failure of the BSO web cache can last two working days: Thursday 5 to Friday 6 August now hold one release that depends on the BSO web cache (it had two), Monday 9 to Tuesday 10 August one."),
            "{n}"
        );
        let p = case.notice(1, ObjectiveKind::Default, Audience::Public);
        assert!(
            p.contains("A failure of these systems can last two working days"),
            "{p}"
        );
        assert!(!p.contains("cache"), "{p}");
    }

    #[test]
    fn names_the_direct_dependency_over_shared_layers_below_it() {
        let web = FailurePoint::new("web", "website", &["dns"]);
        let dns = FailurePoint::new("dns", "dns", &[]);
        let rels = vec![
            rel("a", "2020-08-06", &["web"]),
            rel("b", "2020-08-06", &["web"]),
        ];
        let case = Case::new(vec![web, dns], rels, &["2020-08-06", "2020-08-07"]);
        let n = case.notice(1, ObjectiveKind::Default, Audience::Internal);
        assert!(n.contains("depends on the web (it had two)"), "{n}");
    }

    #[test]
    fn across_a_year_end_both_years_are_written() {
        assert_eq!(
            from_to(d("2027-12-31"), d("2028-01-04")),
            "from Friday 31 December 2027 to Tuesday 4 January 2028"
        );
        assert_eq!(
            span_text((d("2027-07-30"), d("2027-08-02"))),
            "Friday 30 July to Monday 2 August"
        );
    }
}
