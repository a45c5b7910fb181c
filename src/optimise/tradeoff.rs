//! The trade-off between date changes and safety, read off a finished plan in one pass.
//!
//! Starting from the proposed calendar (with the moves that are forced anyway), the
//! plan's own moves are applied one at a time, each time the one that improves the
//! objective most (lexicographically: risk first under `--objective risk`, then the
//! peak, the number of cells at the peak, the clash pairs; ties by item index). After
//! `k` steps the calendar is a valid plan with `forced + k` moves, so every point of the
//! curve is a plan that could be published; after the last step it is the plan itself.
//! The value reported for a budget is the best calendar seen with at most that many
//! moves. It is not the optimum for that budget (`--max-moves` computes that), only a
//! plan that reaches it: an upper bound on the optimum.
//!
//! Cost: `O(M²)` move evaluations for `M` moves, each touching only the cells of the
//! item's failure points (no re-evaluation of the whole calendar): about 1 s for the
//! 4,000 moves of a 5,000-release plan.

use std::collections::BTreeMap;

use super::compact::CompactAxis;
use super::deadline::Deadline;
use super::instance::Instance;
use super::objective::risk_units;
use super::options::ObjectiveKind;

/// The best calendar found with at most `moves` moved releases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    /// Moves used (forced moves included).
    pub moves: u32,
    /// Peak exposure (thousandths).
    pub peak: u64,
    /// Clash pairs.
    pub clash_pairs: u64,
    /// The risk term: sum of component risk over cells with two or more items.
    pub risk: f64,
}

/// Cell loads and counts with the objective terms kept up to date.
struct Loads<'a> {
    instance: &'a Instance,
    /// Per component, loads of cells `0..n_days + window - 1`.
    load: Vec<Vec<u64>>,
    count: Vec<Vec<u32>>,
    /// Multiset of positive cell loads.
    hist: BTreeMap<u64, u32>,
    pairs: u64,
    risk_units: u64,
    units: Vec<u64>,
}

/// The effect of one candidate move on the touched cells: (component, cell, change
/// in releases, change in weight).
type Touch = (u32, u32, i32, i64);

impl<'a> Loads<'a> {
    fn new(instance: &'a Instance) -> Self {
        let load = instance
            .components
            .iter()
            .map(|c| vec![0; instance.n_days + c.window.max(1) as usize - 1])
            .collect::<Vec<_>>();
        let count = load.iter().map(|l| vec![0; l.len()]).collect();
        Loads {
            instance,
            load,
            count,
            hist: BTreeMap::new(),
            pairs: 0,
            risk_units: 0,
            units: instance
                .components
                .iter()
                .map(|c| risk_units(c.risk).saturating_mul(c.factor()))
                .collect(),
        }
    }

    /// The cells of `item` on `day`: (component, cell, releases, weight) — a block
    /// of releases published together puts several on a cell.
    fn cells(&self, item: usize, day: u32) -> impl Iterator<Item = (u32, u32, u32, u64)> + '_ {
        let it = &self.instance.items[item];
        it.loads().flat_map(move |(c, count, weight)| {
            let w = self.instance.components[c].window.max(1);
            (day..day + w).map(move |e| (c as u32, e, count, weight))
        })
    }

    fn hist_add(&mut self, v: u64, n: i32) {
        if v == 0 {
            return;
        }
        let e = self.hist.entry(v).or_insert(0);
        *e = (*e as i32 + n) as u32;
        if *e == 0 {
            self.hist.remove(&v);
        }
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) item `item` on `day`.
    fn apply(&mut self, item: usize, day: u32, sign: i32) {
        let cells: Vec<(u32, u32, u32, u64)> = self.cells(item, day).collect();
        for (c, e, releases, weight) in cells {
            let (c, e) = (c as usize, e as usize);
            let Some(old) = self.load[c].get(e).copied() else {
                continue;
            };
            let n = self.count[c][e];
            let new_load = if sign > 0 {
                old + weight
            } else {
                old.saturating_sub(weight)
            };
            let new_n = if sign > 0 {
                n + releases
            } else {
                n.saturating_sub(releases)
            };
            self.hist_add(old, -1);
            self.hist_add(new_load, 1);
            let factor = self.instance.components[c].factor();
            self.pairs = self.pairs + pairs_of(new_n) * factor - pairs_of(n) * factor;
            if (n >= 2) != (new_n >= 2) {
                if new_n >= 2 {
                    self.risk_units += self.units[c];
                } else {
                    self.risk_units -= self.units[c];
                }
            }
            self.load[c][e] = new_load;
            self.count[c][e] = new_n;
        }
    }

    fn peak(&self) -> u64 {
        self.hist.keys().next_back().copied().unwrap_or(0)
    }

    /// (risk units, peak, cells at the peak, pairs) after moving `item` from `from` to
    /// `to`, without changing anything; `touch` is scratch space.
    fn evaluate(
        &self,
        item: usize,
        from: u32,
        to: u32,
        touch: &mut Vec<Touch>,
    ) -> (u64, u64, u64, u64) {
        touch.clear();
        for (c, e, n, w) in self.cells(item, from) {
            touch.push((c, e, -(n as i32), -(w as i64)));
        }
        for (c, e, n, w) in self.cells(item, to) {
            match touch.iter_mut().find(|t| t.0 == c && t.1 == e) {
                Some(t) => {
                    t.2 += n as i32;
                    t.3 += w as i64;
                }
                None => touch.push((c, e, n as i32, w as i64)),
            }
        }
        let mut pairs = self.pairs;
        let mut risk = self.risk_units;
        let mut top_new = 0u64;
        for &(c, e, d, dw) in touch.iter() {
            if d == 0 && dw == 0 {
                continue;
            }
            let (ci, ei) = (c as usize, e as usize);
            let (Some(&old), Some(&n)) = (self.load[ci].get(ei), self.count[ci].get(ei)) else {
                continue;
            };
            let new_load = (old as i64 + dw).max(0) as u64;
            let new_n = (i64::from(n) + i64::from(d)).max(0) as u32;
            let factor = self.instance.components[ci].factor();
            pairs = pairs + pairs_of(new_n) * factor - pairs_of(n) * factor;
            if (n >= 2) != (new_n >= 2) {
                if new_n >= 2 {
                    risk += self.units[ci];
                } else {
                    risk -= self.units[ci];
                }
            }
            top_new = top_new.max(new_load);
        }
        // The largest load among cells whose load did not change.
        let changed_old = |v: u64| {
            touch
                .iter()
                .filter(|&&(c, e, _, dw)| {
                    dw != 0 && self.load[c as usize].get(e as usize) == Some(&v)
                })
                .count() as u32
        };
        let mut untouched = 0;
        for (&v, &cnt) in self.hist.iter().rev() {
            if cnt > changed_old(v) {
                untouched = v;
                break;
            }
        }
        let peak = untouched.max(top_new);
        // Cells at the peak afterwards.
        let mut at_peak = u64::from(self.hist.get(&peak).copied().unwrap_or(0))
            .saturating_sub(u64::from(changed_old(peak)));
        for &(c, e, _, dw) in touch.iter() {
            if dw == 0 {
                continue;
            }
            let old = self.load[c as usize].get(e as usize).copied().unwrap_or(0);
            let new_load = (old as i64 + dw).max(0) as u64;
            if new_load == peak {
                at_peak += 1;
            }
        }
        (risk, peak, at_peak, pairs)
    }
}

fn pairs_of(n: u32) -> u64 {
    let n = u64::from(n);
    n * n.saturating_sub(1) / 2
}

/// The curve of `plan` (one axis day per item of `instance`) under `kind`: one point
/// per number of moves from the forced ones up to the plan's, each the best calendar
/// found with at most that many moves.
///
/// Within `deadline`: once it passes, the moves not yet applied are applied together
/// and the curve jumps to the plan's own point (the points so far stay valid). Memory
/// follows the releases, not the span of the calendar (long empty stretches of the axis
/// are shortened first, see `compact.rs`).
pub fn curve_from_plan(
    instance: &Instance,
    plan: &[u32],
    kind: ObjectiveKind,
    deadline: &Deadline,
) -> Vec<CurvePoint> {
    let axis = CompactAxis::new(instance);
    let plan = axis.compact_days(plan);
    let (instance, plan) = (axis.instance(), &plan[..]);
    let n = instance.items.len().min(plan.len());
    let mut loads = Loads::new(instance);
    let mut day: Vec<u32> = Vec::with_capacity(n);
    let mut pending: Vec<usize> = Vec::new();
    let mut forced = 0u32;
    let moves_on = |i: usize, d: u32| -> u32 {
        let item = &instance.items[i];
        item.candidates
            .iter()
            .position(|c| c.day == d)
            .map_or(item.releases(), |k| item.moves_at(k))
    };
    for (i, item) in instance.items.iter().enumerate().take(n) {
        let home = item
            .home()
            .map(|k| item.candidates[k].day)
            .filter(|&h| moves_on(i, h) < moves_on(i, plan[i]));
        let start = match home {
            Some(h) => {
                pending.push(i);
                forced += moves_on(i, h);
                h
            }
            None => {
                forced += moves_on(i, plan[i]);
                plan[i]
            }
        };
        day.push(start);
        loads.apply(i, start, 1);
    }
    // Series and `after` links: a move waits until the items it is linked to allow it
    // (so that each point is a calendar that keeps them), unless nothing else can move.
    let graph = super::links::LinkGraph::new(instance);
    let key = |risk: u64, peak: u64, at_peak: u64, pairs: u64| match kind {
        ObjectiveKind::Risk => (risk, peak, at_peak, pairs),
        ObjectiveKind::Default => (0, peak, at_peak, pairs),
    };
    let point = |loads: &Loads, moves: u32| CurvePoint {
        moves,
        peak: loads.peak(),
        clash_pairs: loads.pairs,
        risk: loads.risk_units as f64 / super::objective::RISK_SCALE,
    };
    let mut points = vec![point(&loads, forced)];
    let mut touch = Vec::new();
    let mut used = forced;
    while !pending.is_empty() {
        if deadline.expired() {
            // Out of time: the rest of the plan's moves at once, to end on the plan.
            for i in pending.drain(..) {
                loads.apply(i, day[i], -1);
                loads.apply(i, plan[i], 1);
                day[i] = plan[i];
                used += 1;
            }
            points.push(point(&loads, used));
            break;
        }
        let mut best: Option<((u64, u64, u64, u64), usize)> = None;
        let allowed = |i: usize| graph.allows(instance, i, plan[i], |j| day.get(j).copied());
        let any_allowed = pending.iter().any(|&i| allowed(i));
        for (slot, &i) in pending.iter().enumerate() {
            if any_allowed && !allowed(i) {
                continue;
            }
            let (r, p, a, c) = loads.evaluate(i, day[i], plan[i], &mut touch);
            let k = key(r, p, a, c);
            if best.is_none_or(|(b, _)| k < b) {
                best = Some((k, slot));
            }
        }
        let Some((_, slot)) = best else { break };
        let i = pending.remove(slot);
        used += moves_on(i, plan[i]) - moves_on(i, day[i]);
        loads.apply(i, day[i], -1);
        loads.apply(i, plan[i], 1);
        day[i] = plan[i];
        points.push(point(&loads, used));
    }
    // Best calendar seen with at most that many moves.
    let rank = |p: &CurvePoint| match kind {
        ObjectiveKind::Risk => (super::objective::risk_units(p.risk), p.peak, p.clash_pairs),
        ObjectiveKind::Default => (0, p.peak, p.clash_pairs),
    };
    for k in 1..points.len() {
        if rank(&points[k - 1]) < rank(&points[k]) {
            let moves = points[k].moves;
            points[k] = CurvePoint {
                moves,
                ..points[k - 1]
            };
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};
    use crate::optimise::{evaluate, solve, SolveOptions};

    fn item(components: Vec<u32>, days: &[u32], proposed: u32) -> Item {
        Item {
            weight: 1000,
            components,
            candidates: days
                .iter()
                .map(|&day| Candidate {
                    day,
                    shift: day.abs_diff(proposed),
                })
                .collect(),
            proposed: Some(proposed),
            block: None,
        }
    }

    fn crowded(n: usize, window: u32) -> Instance {
        Instance {
            n_days: 12,
            components: vec![
                Component {
                    window,
                    risk: 0.01,
                    multiplicity: 1,
                },
                Component {
                    window: 1,
                    risk: 0.02,
                    multiplicity: 1,
                },
            ],
            items: (0..n)
                .map(|i| {
                    let comps = if i % 3 == 0 { vec![0, 1] } else { vec![0] };
                    item(comps, &(0..12).collect::<Vec<_>>(), 5 + (i % 2) as u32)
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn ends_at_the_plan_starts_at_the_proposal_and_never_rises() {
        for (n, window) in [(9, 1), (14, 2), (20, 1)] {
            let instance = crowded(n, window);
            let plan = solve(&instance, &SolveOptions::default()).unwrap();
            for kind in [ObjectiveKind::Default, ObjectiveKind::Risk] {
                let curve = curve_from_plan(&instance, &plan.days, kind, &Deadline::never());
                let proposed: Vec<u32> =
                    instance.items.iter().map(|i| i.proposed.unwrap()).collect();
                let start = evaluate(&instance, &proposed);
                let end = evaluate(&instance, &plan.days);
                assert_eq!(curve[0].moves, 0);
                assert_eq!(
                    (curve[0].peak, curve[0].clash_pairs),
                    (start.peak, start.clash_pairs)
                );
                let last = curve.last().unwrap();
                assert_eq!(last.moves as u64, end.moves);
                if kind == ObjectiveKind::Default {
                    assert!((last.peak, last.clash_pairs) <= (end.peak, end.clash_pairs));
                    assert!(curve
                        .windows(2)
                        .all(|w| (w[1].peak, w[1].clash_pairs) <= (w[0].peak, w[0].clash_pairs)));
                }
                assert_eq!(curve.len() as u64, end.moves + 1);
            }
        }
    }

    #[test]
    fn each_point_is_a_real_calendar() {
        // Replay the greedy order independently and re-evaluate from scratch.
        let instance = crowded(14, 2);
        let plan = solve(&instance, &SolveOptions::default()).unwrap();
        let curve = curve_from_plan(
            &instance,
            &plan.days,
            ObjectiveKind::Default,
            &Deadline::never(),
        );
        // Every point's values are reached by some subset of the plan's moves: check the
        // peak of each point against brute force over the subsets of that size.
        let moved: Vec<usize> = (0..instance.items.len())
            .filter(|&i| instance.items[i].proposed != Some(plan.days[i]))
            .collect();
        assert!(moved.len() <= 16, "keep the brute force small");
        for p in &curve {
            let k = p.moves as usize;
            let mut reachable = false;
            for mask in 0u32..(1 << moved.len()) {
                if mask.count_ones() as usize > k {
                    continue;
                }
                let mut days: Vec<u32> =
                    instance.items.iter().map(|i| i.proposed.unwrap()).collect();
                for (b, &i) in moved.iter().enumerate() {
                    if mask & (1 << b) != 0 {
                        days[i] = plan.days[i];
                    }
                }
                let o = evaluate(&instance, &days);
                if (o.peak, o.clash_pairs) == (p.peak, p.clash_pairs) {
                    reachable = true;
                    break;
                }
            }
            assert!(
                reachable,
                "point {p:?} is not a calendar of the plan's moves"
            );
        }
    }

    #[test]
    fn forced_moves_are_counted_from_the_start() {
        let mut instance = crowded(6, 1);
        // Item 0's proposed day is not allowed: it must move.
        instance.items[0].candidates.retain(|c| c.day != 5);
        let plan = solve(&instance, &SolveOptions::default()).unwrap();
        let curve = curve_from_plan(
            &instance,
            &plan.days,
            ObjectiveKind::Default,
            &Deadline::never(),
        );
        assert_eq!(curve[0].moves, 1);
    }
}
